//! `memseed compress`: one topic at one budget, as text, Markdown, JSON, the solver's model,
//! or the share card.

use std::process::ExitCode;

use anyhow::{Context, Result};

use memseed_core::{Card, Compressor, budget};

use super::resolve;
use crate::cli::{CardFormat, CompressArgs, Global};
use crate::output::{emit, emit_binary};

pub fn compress(global: &Global, args: &CompressArgs) -> Result<ExitCode> {
    let budget = budget::parse(&args.budget)?;
    let mut pack = resolve(global, &args.topic)?;
    let compressor = if args.for_me {
        let (forgetting, label) = personal(global, &pack, args.at.as_deref())?;
        pack.topic.title = format!("{} · {label}", pack.topic.title);
        Compressor::personal(&pack, &forgetting)
    } else {
        Compressor::new(&pack)
    };
    let card = Card::new(&pack, &compressor, budget)?;
    let out = match args.format {
        CardFormat::Text => card.text(),
        CardFormat::Md => card.markdown(),
        CardFormat::Json => serde_json::to_string_pretty(&card.report())? + "\n",
        CardFormat::Model => serde_json::to_string(&card.model_json())? + "\n",
        CardFormat::Svg => {
            memseed_render::render_svg(&memseed_render::CardContent::from_card(&card), args.theme)
        }
        CardFormat::Png => {
            let png = memseed_render::render_png(
                &memseed_render::CardContent::from_card(&card),
                args.theme,
            )
            .context("cannot draw the share card")?;
            emit_binary(args.output.as_deref(), &png)?;
            return Ok(ExitCode::SUCCESS);
        }
    };
    emit(args.output.as_deref(), &out)?;
    Ok(ExitCode::SUCCESS)
}

/// What the person is likely to have forgotten of `pack` by `at` (a date, else now), from
/// their study history, and the card's label for it (`for me`, `for me on 2026-12-20`).
fn personal(
    global: &Global,
    pack: &memseed_core::Pack,
    at: Option<&str>,
) -> Result<(memseed_core::select::Forgetting, String)> {
    // Reading is all it takes: no catalog, no sync, no write, so a card costs a few
    // milliseconds more.
    let db = crate::study::db_path(global)?;
    if !db.exists() {
        return Ok((
            memseed_core::select::Forgetting::unknown(pack),
            "for me (nothing studied yet)".to_string(),
        ));
    }
    let recall = memseed_recall::Recall::open_read_only(
        &db,
        memseed_recall::Deck::from_packs(std::iter::once(pack)),
        memseed_study::Settings::default(),
    )?;
    let (when, label) = match at {
        Some(date) => (
            memseed_recall::parse_date(date, recall.utc_offset).ok_or_else(|| {
                anyhow::anyhow!(
                    "invalid date \"{}\" for --at: use YYYY-MM-DD",
                    memseed_core::pack::text::clip(date, 40)
                )
            })?,
            format!("for me on {}", date.trim()),
        ),
        None => (crate::study::now(), "for me".to_string()),
    };
    Ok((recall.forgetting(pack, when)?, label))
}
