//! Staffing plans written by a model: accepted within each role's limits and the service
//! day's blocks, refused outside them.
use serde_json::{Value, json};

use crate::{
    fake_llm::Reply,
    llm::{LlmKitchen, issues, outcomes, reasons},
};

/// `(start, role, headcount, baseline_headcount)` of every block and role of a staffing plan.
fn headcounts(plan: &Value) -> Vec<(String, String, u64, u64)> {
    let text = |v: &Value| v.as_str().unwrap_or_else(|| panic!("not text: {v}")).to_owned();
    plan["blocks"]
        .as_array()
        .unwrap_or_else(|| panic!("no blocks: {plan}"))
        .iter()
        .flat_map(|b| {
            b["staff"].as_array().expect("staff").iter().map(move |s| {
                let n = |k: &str| s[k].as_u64().unwrap_or_else(|| panic!("no {k}: {s}"));
                (text(&b["start"]), text(&s["role"]), n("headcount"), n("baseline_headcount"))
            })
        })
        .collect()
}

#[tokio::test]
async fn a_good_llm_staffing_answer_is_served_as_written() {
    let kitchen = LlmKitchen::new().await;
    let mut answer = kitchen.staffing_answer();
    let first = &kitchen.staffing_baseline.blocks[0];
    let server = first.staff.iter().position(|s| s.role == "Server").expect("a server");
    let more = first.staff[server].headcount + 1;
    answer["blocks"][0]["staff"][server]["headcount"] = json!(more);
    let served = kitchen.serve(vec![Reply::json(&answer)]).await;

    let plan = served.staffing().await;

    assert_eq!(plan["source"], "llm", "{plan}");
    assert_eq!(plan["provenance"]["prompt_version"], "staffing/v1");
    assert_eq!(plan["provenance"]["summary"], "Quiet lunch, busier dinner.");
    let first_start = plan["blocks"][0]["start"].as_str().unwrap().to_owned();
    for (start, role, headcount, baseline) in headcounts(&plan) {
        if start == first_start && role == "Server" {
            assert_eq!((headcount, baseline), (u64::from(more), u64::from(more - 1)), "the model's headcount");
        } else {
            assert_eq!(headcount, baseline, "{start} {role} as the model (and the baseline) said");
        }
    }
    let audit = served.audit(&plan).await;
    assert_eq!(audit["kind"], "staffing");
    assert_eq!(outcomes(&audit), ["accepted"]);
    assert_eq!(served.fake.calls(), 1);
}

#[tokio::test]
async fn an_llm_headcount_above_the_roles_maximum_is_a_grounding_issue() {
    let kitchen = LlmKitchen::new().await;
    let mut answer = kitchen.staffing_answer();
    let server = kitchen.staffing_baseline.blocks[0].staff.iter().position(|s| s.role == "Server").unwrap();
    answer["blocks"][0]["staff"][server]["headcount"] = json!(7);
    let served = kitchen.serve(vec![Reply::json(&answer)]).await;

    let plan = served.staffing().await;

    assert_eq!(plan["source"], "fallback", "{plan}");
    assert!(reasons(&plan).contains("headcount outside the role's limits (1)"), "{plan}");
    assert!(headcounts(&plan).iter().all(|(_, _, h, b)| h == b), "the baseline's headcounts: {plan}");
    let audit = served.audit(&plan).await;
    assert_eq!(outcomes(&audit), ["invalid", "invalid", "invalid"]);
    let path = format!("blocks[0].staff[{server}].headcount");
    assert!(issues(&audit, 0).contains(&("grounding".to_owned(), path.clone())), "{path}: {audit}");
    assert_eq!(served.fake.calls(), 3);
}

#[tokio::test]
async fn an_llm_staffing_answer_missing_a_block_is_a_grounding_issue() {
    let kitchen = LlmKitchen::new().await;
    let mut answer = kitchen.staffing_answer();
    answer["blocks"].as_array_mut().unwrap().pop();
    let served = kitchen.serve(vec![Reply::json(&answer)]).await;

    let plan = served.staffing().await;

    assert_eq!(plan["source"], "fallback", "{plan}");
    assert_eq!(plan["blocks"].as_array().unwrap().len(), 12, "every hour of 11:00–23:00: {plan}");
    let audit = served.audit(&plan).await;
    assert_eq!(outcomes(&audit), ["invalid", "invalid", "invalid"]);
    assert!(issues(&audit, 0).contains(&("grounding".to_owned(), "blocks".to_owned())), "{audit}");
    assert_eq!(served.fake.calls(), 3);
}
