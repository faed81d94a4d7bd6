//! `memseed optimize`: fits FSRS parameters to the person's own reviews and keeps them only
//! if they predict those reviews better than the parameters in use.

use std::process::ExitCode;

use anyhow::Result;

use super::{now, open};
use crate::cli::{Global, OptimizeArgs};
use crate::commands::{catalog, resolve_id};
use crate::output::println;

/// `memseed optimize [--topic T]`.
pub fn optimize(global: &Global, args: &OptimizeArgs) -> Result<ExitCode> {
    let cat = catalog(global)?;
    let topic = args
        .topic
        .as_deref()
        .map(|t| resolve_id(&cat, t))
        .transpose()?;
    let mut recall = open(global, &cat, None)?;
    let o = recall.optimize(topic.as_deref(), now())?;
    let scope = o.topic.as_deref().unwrap_or("all topics");
    println(&format!(
        "Fitted FSRS to {} reviews of {scope}.\n  parameters in use: log loss {:.4}, RMSE (bins) {:.4}\n  fitted parameters: log loss {:.4}, RMSE (bins) {:.4}",
        o.reviews, o.before.log_loss, o.before.rmse_bins, o.fitted.log_loss, o.fitted.rmse_bins
    ))?;
    println(if o.kept {
        "Kept: the fitted parameters predict your reviews better, and schedule from now on."
    } else {
        "Not kept: they predict your reviews no better than the parameters in use."
    })?;
    Ok(ExitCode::SUCCESS)
}
