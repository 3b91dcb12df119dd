//! Requests sent with an `Idempotency-Key`: the first claims the key (a row with no answer yet),
//! its answer is stored when it is done, and a retry finds it. The unique key `(tenant, key)`
//! decides between concurrent first requests: one inserts, the others find its row and wait.
use chrono::{DateTime, Utc};
use entity::idempotency_key::{self, Column, Entity};
use sea_orm::{
    ActiveModelTrait, ColumnTrait, DatabaseConnection, DbErr, EntityTrait, QueryFilter, Set, sea_query::OnConflict,
};

/// A stored answer.
#[derive(Debug, Clone)]
pub struct Answer {
    pub status: u16,
    pub content_type: Option<String>,
    /// Other headers of the answer, as `(name, value)`.
    pub headers: Vec<(String, String)>,
    pub body: String,
}

/// What a key holds when a request arrives.
#[derive(Debug)]
pub enum Claim {
    /// The key was free: this request does the work (the row's id).
    Claimed(i64),
    /// Another request holds the key (answered or still working), for this request hash.
    Held { request_hash: String, answer: Option<Answer> },
}

/// Claims `key` for a request of `tenant_id` whose hash is `request_hash`. A row past its expiry,
/// or left unanswered since `stale_before` (its request died with its process), is taken over.
pub async fn claim(
    db: &DatabaseConnection,
    tenant_id: i64,
    key: &str,
    request_hash: &str,
    expires_at: DateTime<Utc>,
    stale_before: DateTime<Utc>,
) -> Result<Claim, DbErr> {
    for _ in 0..3 {
        let row = idempotency_key::ActiveModel {
            tenant_id: Set(tenant_id),
            key: Set(key.to_owned()),
            request_hash: Set(request_hash.to_owned()),
            status: Set(None),
            content_type: Set(None),
            body: Set(None),
            headers: Set(None),
            created_at: Set(Utc::now()),
            expires_at: Set(expires_at),
            ..Default::default()
        };
        let on_conflict = OnConflict::columns([Column::TenantId, Column::Key]).do_nothing().to_owned();
        let inserted = Entity::insert(row).on_conflict(on_conflict).exec_without_returning(db).await?;
        let held = find(db, tenant_id, key).await?;
        let Some(held) = held else { continue };
        if inserted == 1 && held.status.is_none() && held.request_hash == request_hash {
            return Ok(Claim::Claimed(held.id));
        }
        let abandoned = held.status.is_none() && held.created_at < stale_before;
        if held.expires_at < Utc::now() || abandoned {
            // Gone stale: free it (only if it is still that row) and try again.
            Entity::delete_many().filter(Column::Id.eq(held.id)).exec(db).await?;
            continue;
        }
        return Ok(held_by(held));
    }
    Err(DbErr::Custom("the idempotency key kept changing hands".to_owned()))
}

async fn find(db: &DatabaseConnection, tenant_id: i64, key: &str) -> Result<Option<idempotency_key::Model>, DbErr> {
    Entity::find().filter(Column::TenantId.eq(tenant_id)).filter(Column::Key.eq(key)).one(db).await
}

/// The current state of a key held by another request.
pub async fn held(db: &DatabaseConnection, tenant_id: i64, key: &str) -> Result<Option<Claim>, DbErr> {
    Ok(find(db, tenant_id, key).await?.map(held_by))
}

/// A key's row as a claim held by another request, with its answer once there is one.
fn held_by(row: idempotency_key::Model) -> Claim {
    let answer = row.status.map(|status| Answer {
        status: u16::try_from(status).unwrap_or(500),
        content_type: row.content_type,
        headers: row.headers.and_then(|h| serde_json::from_str(&h).ok()).unwrap_or_default(),
        body: row.body.unwrap_or_default(),
    });
    Claim::Held { request_hash: row.request_hash, answer }
}

/// Stores the answer of the request that claimed row `id`.
pub async fn answer(db: &DatabaseConnection, id: i64, answer: &Answer) -> Result<(), DbErr> {
    let row = idempotency_key::ActiveModel {
        id: Set(id),
        status: Set(Some(i32::from(answer.status))),
        content_type: Set(answer.content_type.clone()),
        body: Set(Some(answer.body.clone())),
        headers: Set(serde_json::to_string(&answer.headers).ok()),
        ..Default::default()
    };
    row.update(db).await.map(|_| ())
}

/// Frees row `id`: its request failed in a way a retry may fix (busy, rate-limited, crashed).
pub async fn release(db: &DatabaseConnection, id: i64) -> Result<(), DbErr> {
    Entity::delete_many().filter(Column::Id.eq(id)).exec(db).await.map(|_| ())
}

/// Deletes keys past their expiry (a few at a time, by whoever claims a key).
pub async fn expire(db: &DatabaseConnection) -> Result<(), DbErr> {
    Entity::delete_many().filter(Column::ExpiresAt.lt(Utc::now())).exec(db).await.map(|_| ())
}
