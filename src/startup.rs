//! Builds the application: binds the listener first (so port 0 works and tests learn the
//! port), then serves the routes until stopped.
use std::{io, net::SocketAddr, sync::Arc, time::Duration};

use poem::{
    Server,
    listener::{Acceptor, Listener, TcpAcceptor, TcpListener},
};
use sea_orm::DatabaseConnection;

use crate::{
    api::{self, AppState},
    cache::PlanCache,
    config::{CacheSettings, HttpSettings, LlmSettings, NightlySettings},
    connections::Capped,
    jobs,
    llm::LlmClient,
    plans::Planner,
};

pub struct Application {
    addr: SocketAddr,
    acceptor: TcpAcceptor,
    db: DatabaseConnection,
    llm: Option<Arc<LlmClient>>,
    cache: CacheSettings,
    nightly: Option<NightlySettings>,
    http: HttpSettings,
}

impl Application {
    /// Binds `addr` (port 0 picks a free port) for an already migrated database.
    pub async fn build(addr: &str, db: DatabaseConnection) -> io::Result<Self> {
        crate::llm::install_crypto_provider();
        let acceptor = TcpListener::bind(addr.to_owned()).into_acceptor().await?;
        let addr = acceptor
            .local_addr()
            .into_iter()
            .find_map(|a| a.as_socket_addr().copied())
            .ok_or_else(|| io::Error::other("the listener has no socket address"))?;
        Ok(Self {
            addr,
            acceptor,
            db,
            llm: None,
            cache: CacheSettings::default(),
            nightly: None,
            http: HttpSettings::default(),
        })
    }

    /// Plans are written by this model (validated, with the baseline as fallback); without
    /// one they come from the baseline.
    pub fn with_llm(mut self, llm: Option<LlmSettings>) -> io::Result<Self> {
        self.llm = match llm {
            Some(settings) => Some(Arc::new(LlmClient::new(settings).map_err(io::Error::other)?)),
            None => None,
        };
        Ok(self)
    }

    pub fn with_cache(mut self, cache: CacheSettings) -> Self {
        self.cache = cache;
        self
    }

    /// Limits on slow and numerous clients.
    pub fn with_http(mut self, http: HttpSettings) -> Self {
        self.http = http;
        self
    }

    /// Pre-generates tomorrow's plans every night (none when `None`).
    pub fn with_nightly(mut self, nightly: Option<NightlySettings>) -> Self {
        self.nightly = nightly;
        self
    }

    pub fn addr(&self) -> SocketAddr {
        self.addr
    }

    pub fn port(&self) -> u16 {
        self.addr.port()
    }

    /// Serves until Ctrl-C or SIGTERM, then lets in-flight requests finish (up to 10 s).
    pub async fn run_until_stopped(self) -> io::Result<()> {
        let cache = Arc::new(PlanCache::new(self.cache));
        let planner = Arc::new(Planner::new(self.db.clone(), self.llm, cache));
        if let Some(nightly) = self.nightly {
            tokio::spawn(jobs::run_nightly(planner.clone(), nightly));
        }
        let routes =
            api::routes(AppState { db: self.db, planner }, &format!("http://{}", self.addr), self.http.body_timeout);
        Server::new_with_acceptor(Capped::new(self.acceptor, self.http.max_connections, self.http.header_timeout))
            .idle_timeout(self.http.idle_timeout)
            .run_with_graceful_shutdown(routes, shutdown_signal(), Some(Duration::from_secs(10)))
            .await
    }
}

async fn shutdown_signal() {
    let ctrl_c = async {
        let _ = tokio::signal::ctrl_c().await;
    };
    #[cfg(unix)]
    let terminate = async {
        match tokio::signal::unix::signal(tokio::signal::unix::SignalKind::terminate()) {
            Ok(mut signal) => {
                signal.recv().await;
            }
            Err(_) => std::future::pending::<()>().await,
        }
    };
    #[cfg(not(unix))]
    let terminate = std::future::pending::<()>();
    tokio::select! {
        () = ctrl_c => {},
        () = terminate => {},
    }
    tracing::info!("shutting down");
}
