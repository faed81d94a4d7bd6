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
    let pack = resolve(global, &args.topic)?;
    let compressor = Compressor::new(&pack);
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
