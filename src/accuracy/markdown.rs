//! Accuracy as a markdown table, for `sous accuracy` and the AI quality report.
use std::fmt::Write;

use super::types::{Accuracy, Forecasters, Score};

fn percent(value: Option<f64>, signed: bool) -> String {
    match value {
        Some(v) if signed => format!("{:+.1}%", v * 100.0),
        Some(v) => format!("{:.1}%", v * 100.0),
        None => "–".to_owned(),
    }
}

fn cells(score: Option<&Score>) -> String {
    match score {
        Some(s) => format!("{} | {} | {}", percent(s.wape, false), percent(s.bias, true), s.points),
        None => "– | – | 0".to_owned(),
    }
}

fn row(out: &mut String, measure: &str, f: &Forecasters) {
    // Writing to a String cannot fail.
    let _ = writeln!(
        out,
        "| {measure} | {} | {} | {} |",
        cells(f.baseline.as_ref()),
        cells(f.model.as_ref()),
        cells(f.manager.as_ref())
    );
}

/// The figures of one location, as a table and its notes (no heading).
pub fn render_table(a: &Accuracy) -> String {
    let mut out = String::new();
    out.push_str("| measure | baseline WAPE | bias | n | model WAPE | bias | n | manager WAPE | bias | n |\n");
    out.push_str("|---|---|---|---|---|---|---|---|---|---|\n");
    row(&mut out, "covers", &a.covers);
    row(&mut out, "dishes", &a.dishes);
    row(&mut out, "prep quantities (batches)", &a.prep);
    row(&mut out, "headcounts", &a.headcount);
    let _ = writeln!(
        out,
        "\nWaste: {} of what was prepped (in batches), over {} item-days. Lines overridden by a manager: {}.\n",
        percent(a.waste.share, false),
        a.waste.lines,
        a.overridden_lines
    );
    for note in &a.notes {
        let _ = writeln!(out, "- {note}");
    }
    out
}

/// A whole report for one location.
pub fn render_markdown(a: &Accuracy) -> String {
    format!(
        "# Accuracy: location {}, {} to {} (both included), {} service days scored\n\n{}",
        a.location_id,
        a.from,
        a.to.pred_opt().unwrap_or(a.to),
        a.days,
        render_table(a)
    )
}
