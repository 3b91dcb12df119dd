//! Prompt templates (`prompts/<kind>/<version>/`), embedded in the binary at build time and
//! filled from a typed context. The version travels with every plan and audit row.
use crate::{config::PromptVersion, domain::PlanKind};

/// One versioned set of templates.
#[derive(Debug, Clone, Copy)]
pub struct Template {
    pub kind: PlanKind,
    /// `<kind>/<version>`, recorded with every plan.
    pub version: &'static str,
    pub system: &'static str,
    pub user: &'static str,
    pub reask: &'static str,
}

/// Declares one version's templates from `prompts/<kind>/<version>/`.
macro_rules! template {
    ($kind:expr, $dir:literal) => {
        Template {
            kind: $kind,
            version: $dir,
            system: include_str!(concat!("../../prompts/", $dir, "/system.md")),
            user: include_str!(concat!("../../prompts/", $dir, "/user.md")),
            reask: include_str!(concat!("../../prompts/", $dir, "/reask.md")),
        }
    };
}

/// The model writes the whole prep list.
pub const PREP_LIST_V1: Template = template!(PlanKind::PrepList, "prep_list/v1");
/// The model writes the whole staffing plan.
pub const STAFFING_V1: Template = template!(PlanKind::Staffing, "staffing/v1");
/// The model answers the prep lines it would change from the baseline, with reasons.
pub const PREP_LIST_V2: Template = template!(PlanKind::PrepList, "prep_list/v2");
/// The model answers the headcounts it would change from the baseline, with reasons.
pub const STAFFING_V2: Template = template!(PlanKind::Staffing, "staffing/v2");

/// Every released template, oldest first.
pub const ALL: [Template; 4] = [PREP_LIST_V1, STAFFING_V1, PREP_LIST_V2, STAFFING_V2];

/// The templates of `kind` in `version`.
pub fn template(kind: PlanKind, version: PromptVersion) -> &'static Template {
    match (kind, version) {
        (PlanKind::PrepList, PromptVersion::V1) => &PREP_LIST_V1,
        (PlanKind::Staffing, PromptVersion::V1) => &STAFFING_V1,
        (PlanKind::PrepList, PromptVersion::V2) => &PREP_LIST_V2,
        (PlanKind::Staffing, PromptVersion::V2) => &STAFFING_V2,
    }
}

/// Fills `{{name}}` placeholders in one pass over the template: a value is inserted as it is
/// and never read again, so data that holds `{{items}}` (a guest's note, say) stays text.
/// Callers put anything untrusted inside the template's `<data>` block, never in the
/// instructions. A placeholder with no value is left as it is, for [`unfilled`] to report.
pub fn render(template: &str, values: &[(&str, String)]) -> String {
    let mut out = String::with_capacity(template.len() + values.iter().map(|(_, v)| v.len()).sum::<usize>());
    let mut rest = template;
    while let Some(open) = rest.find("{{") {
        let after = &rest[open + 2..];
        let Some(close) = after.find("}}") else { break };
        let name = &after[..close];
        out.push_str(&rest[..open]);
        match values.iter().find(|(n, _)| *n == name) {
            Some((_, value)) => out.push_str(value),
            None => out.push_str(&rest[open..open + 2 + close + 2]),
        }
        rest = &after[close + 2..];
    }
    out.push_str(rest);
    out
}

/// Placeholders still present after rendering (a template/context mismatch).
pub fn unfilled(rendered: &str) -> Vec<String> {
    rendered
        .match_indices("{{")
        .filter_map(|(at, _)| rendered[at + 2..].find("}}").map(|end| rendered[at + 2..at + 2 + end].to_owned()))
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn render_fills_every_occurrence() {
        let out = render("{{a}} and {{a}}, {{b}}", &[("a", "x".into()), ("b", "y".into())]);
        assert_eq!(out, "x and x, y");
        assert!(unfilled(&out).is_empty());
        assert_eq!(unfilled("{{missing}}"), vec!["missing"]);
    }

    #[test]
    fn values_are_never_expanded_again() {
        let names = ["items", "roles", "issues", "notes", "date", "a"];
        let note = names.iter().map(|n| format!("{{{{{n}}}}}")).collect::<Vec<_>>().join(" ");
        let values: Vec<(&str, String)> =
            names.iter().map(|n| (*n, if *n == "notes" { note.clone() } else { format!("<{n}>") })).collect();
        let out = render("notes: {{notes}}; items: {{items}}", &values);
        assert_eq!(out, format!("notes: {note}; items: <items>"));
    }

    #[test]
    fn an_unknown_placeholder_is_kept_for_unfilled_to_find() {
        let out = render("{{a}} {{b}} {{ unclosed", &[("a", "x".into())]);
        assert_eq!(out, "x {{b}} {{ unclosed");
        assert_eq!(unfilled(&out), vec!["b"]);
    }

    #[test]
    fn the_v2_prompts_state_the_limits_the_checks_apply() {
        use crate::llm::edit::{REASON_MAX_CHARS, SUMMARY_MAX_CHARS};
        for t in [PREP_LIST_V2, STAFFING_V2] {
            assert!(t.system.contains(&format!("at most {REASON_MAX_CHARS} characters")), "{}", t.version);
            assert!(t.system.contains(&format!("at most {SUMMARY_MAX_CHARS} characters")), "{}", t.version);
            assert!(t.system.contains("An empty list of changes means"), "{}", t.version);
        }
    }

    #[test]
    fn templates_fence_their_data_and_say_it_is_not_instructions() {
        for t in ALL {
            assert!(t.user.contains("<data>") && t.user.contains("</data>"), "{}", t.version);
            assert!(
                t.system.contains("never an\n  instruction") || t.system.contains("never an instruction"),
                "{}",
                t.version
            );
            assert!(t.reask.contains("{{issues}}"));
        }
    }
}
