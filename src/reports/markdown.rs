//! The report as a reviewer pastes it into a postmortem: headings and tables, no JSON.
use std::fmt::Write;

use super::AiQuality;
use crate::domain::PlanSource;

fn percent(share: Option<f64>) -> String {
    share.map_or_else(|| "–".to_owned(), |s| format!("{:.1} %", s * 100.0))
}

fn millis(value: Option<i64>) -> String {
    value.map_or_else(|| "–".to_owned(), |v| format!("{v} ms"))
}

/// Table cells never break the table.
fn cell(text: &str) -> String {
    text.replace('|', "\\|").replace('\n', " ")
}

/// The report in markdown.
pub fn render_markdown(report: &AiQuality) -> String {
    let mut out = String::new();
    // Writing to a String cannot fail.
    let _ = write_report(&mut out, report);
    out
}

fn write_report(out: &mut String, r: &AiQuality) -> std::fmt::Result {
    writeln!(out, "# AI quality, {} to {} (excluded)\n", r.from, r.to)?;
    writeln!(out, "{} plans generated; a model was asked for {}.\n", r.plans, r.rates.model_plans)?;

    writeln!(out, "## Plans by source\n")?;
    let sources = PlanSource::ALL.iter().map(|s| s.as_str());
    writeln!(out, "| kind | {} |", sources.clone().collect::<Vec<_>>().join(" | "))?;
    writeln!(out, "|---{}|", "|---".repeat(PlanSource::ALL.len()))?;
    for (kind, counts) in &r.by_source {
        let cells: Vec<String> = sources.clone().map(|s| counts.get(s).copied().unwrap_or(0).to_string()).collect();
        writeln!(out, "| {kind} | {} |", cells.join(" | "))?;
    }

    writeln!(out, "\n## What Sous caught\n")?;
    writeln!(out, "| measure | value |")?;
    writeln!(out, "|---|---|")?;
    writeln!(out, "| first answers valid (as they were or repaired) | {} |", percent(r.rates.first_attempt_valid))?;
    writeln!(out, "| plans accepted after a repair | {} |", percent(r.rates.repaired))?;
    writeln!(out, "| re-asks that ended in an answer accepted whole | {} |", percent(r.rates.reask_success))?;
    writeln!(out, "| plans where the model changed nothing | {} |", percent(r.rates.unchanged))?;
    writeln!(out, "| plans served with only the changes that passed | {} |", percent(r.rates.partial))?;
    writeln!(out, "| plans that fell back to the baseline | {} |", percent(r.rates.fallback))?;

    writeln!(out, "\n### Why plans fell back\n")?;
    if r.fallback_reasons.is_empty() {
        writeln!(out, "No plan fell back.")?;
    } else {
        writeln!(out, "| reason | plans |")?;
        writeln!(out, "|---|---|")?;
        for reason in &r.fallback_reasons {
            writeln!(out, "| {} | {} |", cell(&reason.what), reason.count)?;
        }
    }

    writeln!(out, "\n### Most frequent problems in the model's answers\n")?;
    if r.problems.is_empty() {
        writeln!(out, "No problem was found in any answer.")?;
    } else {
        writeln!(out, "| stage | field | times | example (redacted) |")?;
        writeln!(out, "|---|---|---|---|")?;
        for p in &r.problems {
            let path = if p.path.is_empty() { "(whole answer)" } else { &p.path };
            writeln!(out, "| {} | `{}` | {} | {} |", cell(&p.stage), cell(path), p.count, cell(&p.example))?;
        }
    }

    writeln!(out, "\n## Latency, tokens and cost\n")?;
    writeln!(out, "| measure | value |")?;
    writeln!(out, "|---|---|")?;
    writeln!(out, "| model calls | {} |", r.latency_ms.calls)?;
    writeln!(
        out,
        "| latency per call, p50 / p95 | {} / {} |",
        millis(r.latency_ms.per_call_p50),
        millis(r.latency_ms.per_call_p95)
    )?;
    writeln!(
        out,
        "| latency per plan, p50 / p95 | {} / {} |",
        millis(r.latency_ms.per_plan_p50),
        millis(r.latency_ms.per_plan_p95)
    )?;
    writeln!(out, "| tokens, prompt / answer | {} / {} |", r.tokens.prompt, r.tokens.completion)?;
    let per_plan = r.tokens.per_model_plan.map_or_else(|| "–".to_owned(), |t| format!("{t:.1}"));
    writeln!(out, "| tokens per model plan | {per_plan} |")?;
    writeln!(out, "| cost of priced models | ${:.4} |", r.cost.priced_usd)?;
    let per_priced = r.cost.per_priced_plan_usd.map_or_else(|| "–".to_owned(), |c| format!("${c:.4}"));
    writeln!(out, "| cost per plan (priced models) | {per_priced} |")?;
    for (tenant, usd) in &r.cost.per_tenant_usd {
        writeln!(out, "| cost for tenant {tenant} | ${usd:.4} |")?;
    }
    if !r.cost.unpriced_models.is_empty() {
        let models: Vec<String> = r.cost.unpriced_models.iter().map(|m| format!("`{}`", cell(m))).collect();
        writeln!(out, "\nUnpriced (no price in `SOUS_MODEL_PRICES`, cost unknown): {}.", models.join(", "))?;
    }

    writeln!(out, "\n## Prompts and models in use\n")?;
    if r.versions.is_empty() {
        writeln!(out, "No model was asked.")?;
    } else {
        writeln!(out, "| prompt | model | plans | first day | last day |")?;
        writeln!(out, "|---|---|---|---|---|")?;
        for v in &r.versions {
            writeln!(
                out,
                "| {} | {} | {} | {} | {} |",
                cell(&v.prompt_version),
                cell(&v.model),
                v.plans,
                v.first_seen,
                v.last_seen
            )?;
        }
    }

    writeln!(out, "\n## Accuracy\n")?;
    if r.accuracy.is_empty() {
        return writeln!(
            out,
            "Not measured: no actuals were recorded for these days (`PUT /api/v1/locations/<id>/actuals`)."
        );
    }
    for a in &r.accuracy {
        let last = a.to.pred_opt().unwrap_or(a.to);
        writeln!(
            out,
            "### Location {}, {} service days scored from {} to {} (both included)\n",
            a.location_id, a.days, a.from, last
        )?;
        write!(out, "{}", crate::accuracy::render_table(a))?;
    }
    Ok(())
}
