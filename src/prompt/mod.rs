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

/// Fills `{{name}}` placeholders. Values are inserted as they are: callers put anything
/// untrusted inside the template's `<data>` block, never in the instructions.
pub fn render(template: &str, values: &[(&str, String)]) -> String {
    let mut out = template.to_owned();
    for (name, value) in values {
        out = out.replace(&format!("{{{{{name}}}}}"), value);
    }
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
