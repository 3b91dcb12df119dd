//! Prompt templates (`prompts/<kind>/<version>/`), embedded in the binary at build time and
//! filled from a typed context. The version travels with every plan and audit row.
use crate::domain::PlanKind;

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

pub const PREP_LIST: Template = Template {
    kind: PlanKind::PrepList,
    version: "prep_list/v1",
    system: include_str!("../../prompts/prep_list/v1/system.md"),
    user: include_str!("../../prompts/prep_list/v1/user.md"),
    reask: include_str!("../../prompts/prep_list/v1/reask.md"),
};

pub const STAFFING: Template = Template {
    kind: PlanKind::Staffing,
    version: "staffing/v1",
    system: include_str!("../../prompts/staffing/v1/system.md"),
    user: include_str!("../../prompts/staffing/v1/user.md"),
    reask: include_str!("../../prompts/staffing/v1/reask.md"),
};

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
    fn templates_fence_their_data_and_say_it_is_not_instructions() {
        for t in [PREP_LIST, STAFFING] {
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
