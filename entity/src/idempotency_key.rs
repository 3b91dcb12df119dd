//! A request sent with an `Idempotency-Key`: the hash of what was asked and, once answered, the
//! answer, replayed to a retry of the same request until the key expires.
use sea_orm::entity::prelude::*;

#[derive(Clone, Debug, PartialEq, DeriveEntityModel)]
#[sea_orm(table_name = "idempotency_keys")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i64,
    pub tenant_id: i64,
    pub key: String,
    /// SHA-256 of the method, path, query and body.
    pub request_hash: String,
    /// `None` while the first request is being answered.
    pub status: Option<i32>,
    pub content_type: Option<String>,
    pub body: Option<String>,
    /// The answer's other headers worth replaying, as a JSON list of `[name, value]` pairs.
    pub headers: Option<String>,
    pub created_at: DateTimeUtc,
    pub expires_at: DateTimeUtc,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
