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
    auth::Verifier,
    cache::PlanCache,
    config::{AuthSettings, CacheSettings, HttpSettings, LimitSettings, LlmSettings, NightlySettings, PriceTable},
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
    verifier: Option<Arc<Verifier>>,
    limits: LimitSettings,
    prices: PriceTable,
    /// The separate listener of `/metrics`, if any.
    metrics: Option<(SocketAddr, TcpAcceptor)>,
}

impl Application {
    /// Binds `addr` (port 0 picks a free port) for an already migrated database.
    pub async fn build(addr: &str, db: DatabaseConnection) -> io::Result<Self> {
        crate::llm::install_crypto_provider();
        let (addr, acceptor) = bind(addr).await?;
        Ok(Self {
            addr,
            acceptor,
            db,
            llm: None,
            cache: CacheSettings::default(),
            nightly: None,
            http: HttpSettings::default(),
            verifier: None,
            limits: LimitSettings::default(),
            prices: PriceTable::default(),
            metrics: None,
        })
    }

    /// How bearer tokens are verified (required: without it the API does not start). A key
    /// file that cannot be read or used is an error here.
    pub fn with_auth(mut self, auth: &AuthSettings) -> io::Result<Self> {
        self.verifier = Some(Arc::new(Verifier::new(auth).map_err(io::Error::other)?));
        Ok(self)
    }

    /// Per-tenant limits on model spending, and the life of idempotency keys.
    pub fn with_limits(mut self, limits: LimitSettings) -> Self {
        self.limits = limits;
        self
    }

    /// What model calls cost, for the AI quality report.
    pub fn with_prices(mut self, prices: PriceTable) -> Self {
        self.prices = prices;
        self
    }

    /// Serves `/metrics` on its own listener at `addr` (port 0 picks one).
    pub async fn with_metrics(mut self, addr: Option<&str>) -> io::Result<Self> {
        self.metrics = match addr {
            Some(addr) => Some(bind(addr).await?),
            None => None,
        };
        Ok(self)
    }

    /// Where `/metrics` is served, if it is.
    pub fn metrics_addr(&self) -> Option<SocketAddr> {
        self.metrics.as_ref().map(|(addr, _)| *addr)
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
        let verifier = self.verifier.ok_or_else(|| io::Error::other("no token verification configured"))?;
        let cache = Arc::new(PlanCache::new(self.cache));
        let planner = Arc::new(Planner::new(self.db.clone(), self.llm, cache, self.limits));
        if let Some(nightly) = self.nightly {
            tokio::spawn(jobs::run_nightly(planner.clone(), nightly));
        }
        if let Some((_, acceptor)) = self.metrics {
            let metrics = api::metrics::routes(planner.clone(), verifier.clone());
            tokio::spawn(Server::new_with_acceptor(acceptor).run_with_graceful_shutdown(
                metrics,
                shutdown_signal(),
                Some(Duration::from_secs(1)),
            ));
        }
        let state = AppState { db: self.db, planner, verifier, prices: Arc::new(self.prices) };
        let routes =
            api::routes(state, &format!("http://{}", self.addr), self.http.body_timeout, self.limits.idempotency_ttl);
        let capped =
            Capped::new(self.acceptor, self.http.max_connections, self.http.header_timeout, self.http.idle_timeout);
        Server::new_with_acceptor(capped)
            .run_with_graceful_shutdown(routes, shutdown_signal(), Some(Duration::from_secs(10)))
            .await
    }
}

/// Listens on `addr` (port 0 picks a free port); the address it got.
async fn bind(addr: &str) -> io::Result<(SocketAddr, TcpAcceptor)> {
    let acceptor = TcpListener::bind(addr.to_owned()).into_acceptor().await?;
    let bound = acceptor
        .local_addr()
        .into_iter()
        .find_map(|a| a.as_socket_addr().copied())
        .ok_or_else(|| io::Error::other("the listener has no socket address"))?;
    Ok((bound, acceptor))
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
