//! Heavy work (forecasting, backtest replays) off the async workers: it runs on tokio's blocking
//! threads, at most one job per core at a time, so a burst of backtests cannot starve the
//! workers that answer `/healthz` and cached plans. A job that cannot start within
//! [`QUEUE_WAIT`] is refused as [`ApiError::Overloaded`] (503 with `Retry-After`).
//!
//! A job that also loads its data takes its [`Slot`] before loading, so a refused request has
//! cost nothing and the loads of heavy jobs do not crowd the database pool either.
use std::{sync::LazyLock, time::Duration};

use tokio::sync::{Semaphore, SemaphorePermit};

use crate::error::ApiError;

/// How long a job waits for its turn before the request is turned away.
pub const QUEUE_WAIT: Duration = Duration::from_secs(2);

/// One permit per core: heavy jobs never outnumber the cores.
static SLOTS: LazyLock<Semaphore> =
    LazyLock::new(|| Semaphore::new(std::thread::available_parallelism().map_or(2, usize::from)));

/// The right to run one heavy job, held from before its data is loaded until its result is in.
pub struct Slot {
    what: &'static str,
    _permit: SemaphorePermit<'static>,
}

impl Slot {
    /// Waits up to [`QUEUE_WAIT`] for a free slot.
    pub async fn take(what: &'static str) -> Result<Self, ApiError> {
        let permit = tokio::time::timeout(QUEUE_WAIT, SLOTS.acquire())
            .await
            .map_err(|_| ApiError::Overloaded(what))?
            .map_err(|_| ApiError::Internal("the heavy-work slots are closed".to_owned()))?;
        Ok(Self { what, _permit: permit })
    }

    /// Runs `job` on a blocking thread; the slot is given back afterwards.
    pub async fn run<T, F>(self, job: F) -> Result<T, ApiError>
    where
        F: FnOnce() -> T + Send + 'static,
        T: Send + 'static,
    {
        let done = tokio::task::spawn_blocking(job).await;
        done.map_err(|e| ApiError::Internal(format!("{} failed: {e}", self.what)))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[tokio::test]
    async fn heavy_work_runs_off_the_async_workers_and_returns_its_result() {
        let worker = std::thread::current().id();
        let slot = Slot::take("a test").await.expect("a slot");
        let (result, ran_on) = slot.run(|| (6 * 7, std::thread::current().id())).await.expect("a result");
        assert_eq!(result, 42);
        assert_ne!(ran_on, worker, "ran on a blocking thread");
    }
}
