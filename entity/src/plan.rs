//! A generated plan (prep list or staffing) as it was answered, with its provenance.
use sea_orm::entity::prelude::*;

#[derive(Clone, Debug, PartialEq, DeriveEntityModel)]
#[sea_orm(table_name = "plans")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i64,
    pub location_id: i64,
    /// `prep_list` or `staffing`.
    pub kind: String,
    pub service_date: Date,
    /// `llm`, `llm_repaired`, `llm_reasked`, `llm_unchanged`, `llm_partial` or `fallback`.
    pub source: String,
    /// Fingerprint of the inputs the plan was built from.
    pub input_fingerprint: String,
    pub model: Option<String>,
    /// `<kind>/<version>` of the prompt, when a model was asked.
    pub prompt_version: Option<String>,
    /// Model answers asked for.
    pub attempts: i32,
    /// Tokens the endpoint reported, summed over attempts.
    pub tokens_used: i32,
    /// Why the plan fell back to the baseline (`[]` otherwise).
    pub fallback_reasons: Json,
    /// Deterministic repairs applied to the accepted answer.
    pub repairs: Json,
    pub body: Json,
    pub generated_at: DateTimeUtc,
    /// Why it was made: `first` (the first plan of its day), `material_change` (its data moved
    /// enough, made on its own) or `manual` (a manager asked).
    pub trigger: String,
    /// Fingerprint of the rules it was made under (the catalog rows it uses, the day's hours).
    pub rules_fingerprint: Option<String>,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
