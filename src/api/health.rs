//! `/healthz` (the process answers) and `/readyz` (the database answers too).
use poem_openapi::{ApiResponse, Object, OpenApi, payload::Json};

use super::{ApiTags, AppState};

pub struct HealthApi(pub AppState);

#[derive(Debug, Object)]
struct Status {
    status: String,
}

#[derive(ApiResponse)]
enum Readiness {
    /// Ready to serve.
    #[oai(status = 200)]
    Ready(Json<Status>),
    /// The database does not answer.
    #[oai(status = 503)]
    NotReady(Json<Status>),
}

#[OpenApi(tag = "ApiTags::Health")]
impl HealthApi {
    /// The process is alive.
    #[oai(path = "/healthz", method = "get")]
    async fn healthz(&self) -> Json<Status> {
        Json(Status { status: "ok".to_owned() })
    }

    /// The process can serve: its database answers.
    #[oai(path = "/readyz", method = "get")]
    async fn readyz(&self) -> Readiness {
        match crate::db::ping(&self.0.db).await {
            Ok(()) => Readiness::Ready(Json(Status { status: "ready".to_owned() })),
            Err(err) => {
                tracing::warn!(error = %err, "readiness check failed");
                Readiness::NotReady(Json(Status { status: "database unavailable".to_owned() }))
            }
        }
    }
}
