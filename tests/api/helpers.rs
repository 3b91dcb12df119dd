//! `TestApp`: the real server on a free port over a database of its own, plus builders
//! that create fixtures through the API, so every test owns its data.
//!
//! Tests of the model pipeline need the baseline plan before the fake model starts (a good
//! answer echoes it), while the server needs the fake model's URL when it starts. So the
//! kitchen is built on a server with no model, the baseline is read straight from the same
//! database ([`TestApp::baseline_prep_list`]), and [`TestApp::with_llm`] then serves that
//! database again with the fake model configured.
use std::{
    io,
    path::PathBuf,
    sync::{
        Mutex, Once, PoisonError,
        atomic::{AtomicU64, Ordering},
    },
    time::{SystemTime, UNIX_EPOCH},
};

use chrono::NaiveDate;
use reqwest::{Response, StatusCode};
use sea_orm::{ConnectionTrait, Database, DatabaseConnection};
use secrecy::SecretString;
use serde_json::{Value, json};
use sous::{
    auth::Grant,
    config::{AuthSettings, DatabaseSettings, LlmSettings},
    domain::Role,
    plans::{PrepList, StaffingPlan},
    startup::Application,
};

/// The HS256 secret every test server verifies tokens with.
pub const TEST_SECRET: &str = "a-test-secret-of-more-than-32-bytes-0123456789";

/// How test servers verify tokens: HS256 with [`TEST_SECRET`], default issuer and audience.
pub fn auth_settings() -> AuthSettings {
    AuthSettings::hs256(SecretString::from(TEST_SECRET))
}

/// A token for `role` in `tenant_id` (all its locations, or only `locations`), valid an hour.
pub fn token(tenant_id: i64, role: Role, locations: Option<Vec<i64>>) -> String {
    let grant = Grant {
        subject: format!("test-{role}"),
        tenant_id,
        role,
        locations,
        ttl: std::time::Duration::from_secs(3600),
    };
    let settings = auth_settings();
    let sous::config::AuthKeys::Secret(secret) = &settings.keys else { unreachable!("HS256") };
    sous::auth::mint(secret, &settings.issuer, &settings.audience, &grant).expect("mint a test token")
}

/// The tenant every server of a test database shares ("Test group"), created by the first.
async fn default_tenant(db: &DatabaseConnection) -> i64 {
    for _ in 0..3 {
        let existing = sous::catalog::list_tenants(db).await.expect("list tenants");
        if let Some(tenant) = existing.iter().find(|t| t.name == DEFAULT_TENANT) {
            return tenant.id;
        }
        // Another replica may create it at the same moment: then read it again.
        if let Ok(created) = sous::catalog::create_tenant(db, DEFAULT_TENANT).await {
            return created.id;
        }
    }
    panic!("no default tenant")
}

const DEFAULT_TENANT: &str = "Test group";

/// An HTTP client that sends `token` (if any) on every request.
pub fn client_with(token: Option<&str>) -> reqwest::Client {
    let mut headers = reqwest::header::HeaderMap::new();
    if let Some(token) = token {
        let value = reqwest::header::HeaderValue::from_str(&format!("Bearer {token}")).expect("a header value");
        headers.insert(reqwest::header::AUTHORIZATION, value);
    }
    reqwest::Client::builder().no_proxy().default_headers(headers).build().expect("build the HTTP client")
}

/// A PostgreSQL server URL (the user may `CREATE DATABASE`); unset means a SQLite file per test.
const POSTGRES_ENV: &str = "SOUS_TEST_DATABASE_URL";

static TELEMETRY: Once = Once::new();
/// Every log line of this test process, for tests that assert what never reaches the logs.
static LOGS: Mutex<Vec<u8>> = Mutex::new(Vec::new());

/// The process's subscriber: the filter of `src/telemetry.rs` (`SOUS_LOG`, sqlx and sea-orm kept
/// quiet), but `debug` by default, and `debug` for Sous itself unless `SOUS_LOG` names it, so the
/// privacy tests check the detailed lines too. Each line goes to the test harness's capture (shown for
/// failing tests) and to [`captured_logs`].
fn init_telemetry() {
    use tracing_subscriber::fmt::{self, writer::MakeWriterExt};
    let chosen = std::env::var("SOUS_LOG")
        .unwrap_or_else(|_| "debug,hyper=info,hyper_util=info,reqwest=info,h2=info,tower=info,rustls=info".to_owned());
    let sous = if chosen.contains("sous") { "" } else { ",sous=debug" };
    // The service's own fixed directives (quiet sqlx, no async-openai bodies) apply in tests too.
    let filter = sous::telemetry::filter(&format!("{chosen}{sous}"));
    let writer = (|| CapturedLogs).and(fmt::TestWriter::new());
    let _ = tracing_subscriber::fmt().with_env_filter(filter).with_ansi(false).with_writer(writer).try_init();
}

/// Appends to [`LOGS`]; the formatter writes each event in one call, so lines never interleave.
struct CapturedLogs;

impl io::Write for CapturedLogs {
    fn write(&mut self, buf: &[u8]) -> io::Result<usize> {
        LOGS.lock().unwrap_or_else(PoisonError::into_inner).extend_from_slice(buf);
        Ok(buf.len())
    }

    fn flush(&mut self) -> io::Result<()> {
        Ok(())
    }
}

/// Everything logged so far by every test of this process. Tests run side by side, so assert
/// only that values planted by the test itself (unique strings) are absent.
pub fn captured_logs() -> String {
    String::from_utf8_lossy(&LOGS.lock().unwrap_or_else(PoisonError::into_inner)).into_owned()
}

static COUNTER: AtomicU64 = AtomicU64::new(0);
/// Fixture names, unique in the process: every server of a test database shares one tenant.
static NAMES: AtomicU64 = AtomicU64::new(0);

/// Unique within the machine: process id, a per-process counter and the clock.
fn unique_suffix() -> String {
    let n = COUNTER.fetch_add(1, Ordering::Relaxed);
    let nanos = SystemTime::now().duration_since(UNIX_EPOCH).map_or(0, |d| d.subsec_nanos());
    format!("{}_{n}_{nanos}", std::process::id())
}

pub struct TestApp {
    pub port: u16,
    /// The separate listener of `/metrics`.
    pub metrics_port: u16,
    /// Sends the owner's token of [`TestApp::tenant_id`].
    client: reqwest::Client,
    /// The tenant the app's own requests act for ("Test group").
    pub tenant_id: i64,
    /// An owner's token of that tenant.
    pub owner_token: String,
    /// The server's own database (the same pool), for what the API does not show.
    db: DatabaseConnection,
    sqlite_file: Option<PathBuf>,
}

/// Ids of the fixture most tests start from: a Paris location open 11:00-23:00 every day.
#[derive(Debug, Clone, Copy)]
pub struct Kitchen {
    pub tenant_id: i64,
    pub location_id: i64,
    pub grill_station: i64,
    pub cold_station: i64,
    pub burger: i64,
    pub salad: i64,
    pub soup: i64,
    /// each, batch 10, 1 per burger, shelf life 24 h.
    pub patties: i64,
    /// kg, batch 0.5, 0.15 per salad, par 1, shelf life 24 h.
    pub lettuce: i64,
    /// l, batch 2, max batch 20, 0.05 per burger and 0.3 per soup, shelf life 72 h.
    pub sauce: i64,
    /// Driven by covers: 12 an hour, 1..6 people.
    pub server_role: i64,
    /// Driven by orders: 8 an hour, 1..4 people.
    pub cook_role: i64,
}

impl TestApp {
    /// Boots the production code path (connect, migrate, bind port 0, serve) on a fresh database.
    pub async fn spawn() -> Self {
        Self::spawn_serving(None).await
    }

    /// Like [`TestApp::spawn`], with plans written by the model at `settings`.
    pub async fn spawn_with_llm(settings: LlmSettings) -> Self {
        Self::spawn_serving(Some(settings)).await
    }

    async fn spawn_serving(llm: Option<LlmSettings>) -> Self {
        TELEMETRY.call_once(init_telemetry);
        let (url, sqlite_file) = match std::env::var(POSTGRES_ENV) {
            Ok(server_url) if !server_url.trim().is_empty() => (fresh_postgres_database(&server_url).await, None),
            _ => {
                let path = std::env::temp_dir().join(format!("sous_test_{}.db", unique_suffix()));
                (format!("sqlite://{}?mode=rwc", path.display()), Some(path))
            }
        };
        let settings = DatabaseSettings { url: SecretString::from(url), max_connections: 5 };
        let conn = sous::db::connect(&settings).await.expect("connect to the test database");
        sous::db::migrate(&conn).await.expect("migrate the test database");
        Self::serve(conn, llm, sqlite_file).await
    }

    /// Serves this app's database again, this time with plans written by the model at
    /// `settings`. The returned app talks to the new server and owns the database from now on.
    pub async fn with_llm(mut self, settings: LlmSettings) -> Self {
        Self::serve(self.db.clone(), Some(settings), self.sqlite_file.take()).await
    }

    async fn serve(db: DatabaseConnection, llm: Option<LlmSettings>, sqlite_file: Option<PathBuf>) -> Self {
        let app = Application::build("127.0.0.1:0", db.clone())
            .await
            .expect("bind the test server")
            .with_auth(&auth_settings())
            .expect("load the test key")
            .with_llm(llm)
            .expect("configure the model")
            .with_metrics(Some("127.0.0.1:0"))
            .await
            .expect("bind the metrics listener");
        let ports = (app.port(), app.metrics_addr().expect("metrics served").port());
        tokio::spawn(app.run_until_stopped());
        Self::client_of(ports, db, sqlite_file).await
    }

    /// The app of a server on `port`, acting as an owner of the database's default tenant.
    async fn client_of((port, metrics_port): (u16, u16), db: DatabaseConnection, sqlite_file: Option<PathBuf>) -> Self {
        let tenant_id = default_tenant(&db).await;
        let owner_token = token(tenant_id, Role::Owner, None);
        let client = client_with(Some(&owner_token));
        Self { port, metrics_port, client, tenant_id, owner_token, db, sqlite_file }
    }

    /// The same server, acting as an owner of `tenant_id` (fixtures made through it are that
    /// tenant's). The original keeps the database.
    pub fn acting_for(&self, tenant_id: i64) -> TestApp {
        let owner_token = token(tenant_id, Role::Owner, None);
        let client = client_with(Some(&owner_token));
        let (port, metrics_port, db) = (self.port, self.metrics_port, self.db.clone());
        TestApp { port, metrics_port, client, tenant_id, owner_token, db, sqlite_file: None }
    }

    /// A token of this app's tenant for `role`.
    pub fn token(&self, role: Role) -> String {
        token(self.tenant_id, role, None)
    }

    /// Sends `method path` (with a JSON `body`, if any) with `token` (none: anonymous).
    pub async fn send_as(
        &self,
        token: Option<&str>,
        method: reqwest::Method,
        path: &str,
        body: Option<&Value>,
    ) -> Response {
        let mut request = client_with(token).request(method, self.url(path));
        if let Some(body) = body {
            request = request.json(body);
        }
        request.send().await.expect("request")
    }

    /// The statistical baseline prep list, as the plan service computes it before asking a model.
    pub async fn baseline_prep_list(&self, location_id: i64, date: NaiveDate) -> PrepList {
        let location = sous::catalog::get_location(&self.db, location_id).await.expect("the location exists");
        sous::plans::baseline::prep_baseline(&self.db, &location, date).await.expect("a baseline prep list").plan
    }

    /// The statistical baseline staffing plan, as the plan service computes it before asking a model.
    pub async fn baseline_staffing(&self, location_id: i64, date: NaiveDate) -> StaffingPlan {
        let location = sous::catalog::get_location(&self.db, location_id).await.expect("the location exists");
        sous::plans::baseline::staffing_baseline(&self.db, &location, date)
            .await
            .expect("a baseline staffing plan")
            .plan
    }

    pub fn url(&self, path: &str) -> String {
        format!("http://127.0.0.1:{}{path}", self.port)
    }

    /// A name no other fixture of this app has, e.g. `Location 3`.
    pub fn unique_name(&self, prefix: &str) -> String {
        format!("{prefix} {}", NAMES.fetch_add(1, Ordering::Relaxed) + 1)
    }

    pub async fn get(&self, path: &str) -> Response {
        self.client.get(self.url(path)).send().await.expect("GET request")
    }

    pub async fn post_json(&self, path: &str, body: &Value) -> Response {
        self.client.post(self.url(path)).json(body).send().await.expect("POST request")
    }

    /// A POST with a body sent as given, with the content type given (or none).
    pub async fn post_raw(&self, path: &str, body: &str, content_type: Option<&str>) -> Response {
        let mut request = self.client.post(self.url(path)).body(body.to_owned());
        if let Some(content_type) = content_type {
            request = request.header("content-type", content_type);
        }
        request.send().await.expect("POST request")
    }

    pub async fn request(&self, method: reqwest::Method, path: &str) -> Response {
        self.client.request(method, self.url(path)).send().await.expect("request")
    }

    /// GET that must answer 200; returns the JSON body.
    pub async fn get_ok(&self, path: &str) -> Value {
        json_body(self.get(path).await, StatusCode::OK).await
    }

    async fn create(&self, path: &str, body: &Value) -> i64 {
        let created = json_body(self.post_json(path, body).await, StatusCode::CREATED).await;
        created["id"].as_i64().unwrap_or_else(|| panic!("POST {path} answered no id: {created}"))
    }

    /// A new tenant, as the operator creates one (`sous tenant create`).
    pub async fn create_tenant(&self, name: &str) -> i64 {
        sous::catalog::create_tenant(&self.db, name).await.expect("create a tenant").id
    }

    /// A location of `tenant_id`, created by one of its owners.
    pub async fn create_location(&self, tenant_id: i64, timezone: &str, opening_hours: Value) -> i64 {
        let body = json!({
            "name": self.unique_name("Location"),
            "timezone": timezone,
            "seats": 60,
            "opening_hours": opening_hours,
        });
        let owner = token(tenant_id, Role::Owner, None);
        let created = json_body(
            self.send_as(Some(&owner), reqwest::Method::POST, "/api/v1/locations", Some(&body)).await,
            StatusCode::CREATED,
        )
        .await;
        created["id"].as_i64().unwrap_or_else(|| panic!("POST /api/v1/locations answered no id: {created}"))
    }

    pub async fn create_station(&self, location_id: i64, name: &str) -> i64 {
        self.create(&format!("/api/v1/locations/{location_id}/stations"), &json!({ "name": name })).await
    }

    pub async fn create_menu_item(&self, location_id: i64, name: &str, category: &str) -> i64 {
        let body = json!({ "name": name, "category": category, "price_cents": 1450 });
        self.create(&format!("/api/v1/locations/{location_id}/menu-items"), &body).await
    }

    /// `body` is usually [`prep_item`], possibly with fields changed.
    pub async fn create_prep_item(&self, location_id: i64, body: &Value) -> i64 {
        self.create(&format!("/api/v1/locations/{location_id}/prep-items"), body).await
    }

    pub async fn create_recipe_line(
        &self,
        location_id: i64,
        menu_item_id: i64,
        prep_item_id: i64,
        quantity: f64,
    ) -> i64 {
        let body = json!({ "menu_item_id": menu_item_id, "prep_item_id": prep_item_id, "quantity": quantity });
        self.create(&format!("/api/v1/locations/{location_id}/recipe-lines"), &body).await
    }

    /// `body` is usually [`role`].
    pub async fn create_role(&self, location_id: i64, body: &Value) -> i64 {
        self.create(&format!("/api/v1/locations/{location_id}/roles"), body).await
    }

    pub async fn post_orders(&self, location_id: i64, orders: Value) -> Response {
        self.post_json(&format!("/api/v1/locations/{location_id}/orders/batch"), &json!({ "orders": orders })).await
    }

    pub async fn post_reservations(&self, location_id: i64, reservations: Value) -> Response {
        let body = json!({ "reservations": reservations });
        self.post_json(&format!("/api/v1/locations/{location_id}/reservations/batch"), &body).await
    }

    pub async fn post_on_hand(&self, location_id: i64, counts: Value) -> Response {
        self.post_json(&format!("/api/v1/locations/{location_id}/on-hand"), &json!({ "counts": counts })).await
    }

    /// Orders that must be accepted; returns the batch result.
    pub async fn ingest_orders(&self, location_id: i64, orders: Value) -> Value {
        json_body(self.post_orders(location_id, orders).await, StatusCode::OK).await
    }

    /// Reservations that must be accepted; returns the batch result.
    pub async fn ingest_reservations(&self, location_id: i64, reservations: Value) -> Value {
        json_body(self.post_reservations(location_id, reservations).await, StatusCode::OK).await
    }

    /// Tenant, Paris location open 11:00-23:00 every day, two stations, three menu items,
    /// three prep items with recipes, and two roles (one driven by covers, one by orders).
    pub async fn standard_kitchen(&self) -> Kitchen {
        let tenant_id = self.tenant_id;
        let location_id = self.create_location(tenant_id, "Europe/Paris", every_day("11:00", "23:00")).await;
        let grill_station = self.create_station(location_id, "Grill").await;
        let cold_station = self.create_station(location_id, "Garde manger").await;
        let burger = self.create_menu_item(location_id, "Burger", "mains").await;
        let salad = self.create_menu_item(location_id, "Caesar salad", "starters").await;
        let soup = self.create_menu_item(location_id, "Tomato soup", "starters").await;

        let patties =
            self.create_prep_item(location_id, &prep_item(grill_station, "Burger patties", "each", 10.0)).await;
        let mut lettuce_body = prep_item(cold_station, "Chopped lettuce", "kg", 0.5);
        lettuce_body["par"] = json!(1.0);
        let lettuce = self.create_prep_item(location_id, &lettuce_body).await;
        let mut sauce_body = prep_item(grill_station, "Tomato sauce", "l", 2.0);
        sauce_body["max_batch"] = json!(20.0);
        sauce_body["shelf_life_hours"] = json!(72);
        sauce_body["prep_minutes"] = json!(90);
        let sauce = self.create_prep_item(location_id, &sauce_body).await;

        self.create_recipe_line(location_id, burger, patties, 1.0).await;
        self.create_recipe_line(location_id, burger, sauce, 0.05).await;
        self.create_recipe_line(location_id, salad, lettuce, 0.15).await;
        self.create_recipe_line(location_id, soup, sauce, 0.3).await;

        let server_role = self.create_role(location_id, &role("Server", "covers", 12.0, 1, 6)).await;
        let cook_role = self.create_role(location_id, &role("Line cook", "orders", 8.0, 1, 4)).await;
        Kitchen {
            tenant_id,
            location_id,
            grill_station,
            cold_station,
            burger,
            salad,
            soup,
            patties,
            lettuce,
            sauce,
            server_role,
            cook_role,
        }
    }
}

/// Removes a SQLite database file and its WAL companions.
fn remove_sqlite(path: &std::path::Path) {
    for suffix in ["", "-wal", "-shm"] {
        let mut file = path.to_path_buf().into_os_string();
        file.push(suffix);
        let _ = std::fs::remove_file(file);
    }
}

impl Drop for TestApp {
    fn drop(&mut self) {
        if let Some(path) = &self.sqlite_file {
            remove_sqlite(path);
        }
    }
}

/// Creates `sous_test_<unique>` on the server and returns its URL (the server URL with the
/// database path replaced). The databases are left behind: the server is disposable.
async fn fresh_postgres_database(server_url: &str) -> String {
    let name = format!("sous_test_{}", unique_suffix());
    let admin = Database::connect(server_url).await.expect("connect to the PostgreSQL test server");
    admin.execute_unprepared(&format!("CREATE DATABASE {name}")).await.expect("create the test database");
    let _ = admin.close().await;
    with_database(server_url, &name)
}

/// `postgres://u:p@h:5432/old?sslmode=x` -> `postgres://u:p@h:5432/<name>?sslmode=x`.
fn with_database(url: &str, name: &str) -> String {
    let authority_start = url.find("://").map_or(0, |i| i + 3);
    let (base, query) = match url.find('?') {
        Some(q) => (&url[..q], &url[q..]),
        None => (url, ""),
    };
    let path_start = base[authority_start..].find('/').map_or(base.len(), |i| authority_start + i);
    format!("{}/{name}{query}", &base[..path_start])
}

/// Asserts the status (showing the body when it differs) and returns the JSON body.
pub async fn json_body(response: Response, expected: StatusCode) -> Value {
    let status = response.status();
    let text = response.text().await.expect("read the response body");
    assert_eq!(status, expected, "unexpected status; body: {text}");
    serde_json::from_str(&text).unwrap_or_else(|e| panic!("the body is not JSON ({e}): {text}"))
}

/// Asserts an error answer: status, the `{code, message, details}` envelope and its code,
/// and, when given, that `details` names `field`. Returns the envelope.
pub async fn assert_error(response: Response, status: StatusCode, code: &str, field: Option<&str>) -> Value {
    let body = json_body(response, status).await;
    assert_envelope(&body);
    assert_eq!(body["code"], code, "error code; body: {body}");
    if let Some(field) = field {
        assert!(fields(&body).contains(&field.to_owned()), "details should name {field:?}; body: {body}");
    }
    body
}

/// The error envelope's shape: a code, a human message, and a list of `{field, message}`.
pub fn assert_envelope(body: &Value) {
    assert!(body["code"].as_str().is_some_and(|c| !c.is_empty()), "no code: {body}");
    assert!(body["message"].as_str().is_some_and(|m| !m.is_empty()), "no message: {body}");
    let details = body["details"].as_array().unwrap_or_else(|| panic!("no details list: {body}"));
    for detail in details {
        assert!(detail["field"].is_string() && detail["message"].is_string(), "bad detail {detail} in {body}");
    }
}

/// The fields an error envelope names.
pub fn fields(body: &Value) -> Vec<String> {
    body["details"].as_array().into_iter().flatten().filter_map(|d| d["field"].as_str().map(str::to_owned)).collect()
}

/// Opening hours: the same window on all seven weekdays.
pub fn every_day(opens: &str, closes: &str) -> Value {
    let days = ["mon", "tue", "wed", "thu", "fri", "sat", "sun"];
    Value::Array(days.iter().map(|d| json!({ "weekday": d, "opens": opens, "closes": closes })).collect())
}

/// A prep item body with plain defaults: no minimum or maximum batch, no par, 24 h shelf life.
pub fn prep_item(station_id: i64, name: &str, unit: &str, batch_size: f64) -> Value {
    json!({
        "station_id": station_id,
        "name": name,
        "unit": unit,
        "batch_size": batch_size,
        "shelf_life_hours": 24,
        "prep_minutes": 30,
    })
}

pub fn role(name: &str, driver: &str, ratio: f64, min_staff: i32, max_staff: i32) -> Value {
    json!({ "name": name, "driver": driver, "ratio": ratio, "min_staff": min_staff, "max_staff": max_staff })
}

/// A dine-in order with the given `(menu item, quantity)` lines.
pub fn order(external_id: &str, ordered_at: &str, covers: i32, lines: &[(i64, i32)]) -> Value {
    json!({
        "external_id": external_id,
        "ordered_at": ordered_at,
        "covers": covers,
        "channel": "dine_in",
        "lines": lines.iter().map(|(id, q)| json!({ "menu_item_id": id, "quantity": q })).collect::<Vec<_>>(),
    })
}

/// A reservation booked on 2026-03-01 (before every service date the tests use).
pub fn reservation(external_id: &str, reserved_for: &str, party_size: i32, status: &str) -> Value {
    json!({
        "external_id": external_id,
        "reserved_for": reserved_for,
        "party_size": party_size,
        "status": status,
        "channel": "web",
        "booked_at": "2026-03-01T10:00:00+01:00",
    })
}

#[test]
fn the_postgres_url_gets_the_new_database_name_and_keeps_the_rest() {
    assert_eq!(
        with_database("postgres://u:p@h:5432/postgres?sslmode=disable", "x"),
        "postgres://u:p@h:5432/x?sslmode=disable"
    );
    assert_eq!(with_database("postgres://u@h", "x"), "postgres://u@h/x");
}

/// A database that outlives the servers on it: a server restarted on it, or replicas side by
/// side. It is deleted (SQLite) when dropped; each server on it has its own pool and cache.
pub struct TestDatabase {
    url: String,
    sqlite_file: Option<PathBuf>,
}

impl TestDatabase {
    /// A fresh, migrated database: on the PostgreSQL server at `SOUS_TEST_DATABASE_URL` when
    /// it is set, else a SQLite file of its own.
    pub async fn create() -> Self {
        TELEMETRY.call_once(init_telemetry);
        let database = match std::env::var(POSTGRES_ENV) {
            Ok(server_url) if !server_url.trim().is_empty() => {
                Self { url: fresh_postgres_database(&server_url).await, sqlite_file: None }
            }
            _ => {
                let path = std::env::temp_dir().join(format!("sous_test_{}.db", unique_suffix()));
                Self { url: format!("sqlite://{}?mode=rwc", path.display()), sqlite_file: Some(path) }
            }
        };
        let _ = database.connect().await.close().await;
        database
    }

    pub fn is_postgres(&self) -> bool {
        self.sqlite_file.is_none()
    }

    /// A new pool on the database, migrated as a server starting up would find it.
    pub async fn connect(&self) -> DatabaseConnection {
        let settings = DatabaseSettings { url: SecretString::from(self.url.clone()), max_connections: 5 };
        let conn = sous::db::connect(&settings).await.expect("connect to the test database");
        sous::db::migrate(&conn).await.expect("migrate the test database");
        conn
    }

    /// Starts a server on this database, as a process starting up would: a pool and a plan
    /// cache of its own, and plans written by the model at `llm` (the baseline when `None`).
    pub async fn serve(&self, llm: Option<LlmSettings>, cache: sous::config::CacheSettings) -> Replica {
        self.serve_limited(llm, cache, sous::config::LimitSettings::default()).await
    }

    /// Like [`TestDatabase::serve`], with these per-tenant limits.
    pub async fn serve_limited(
        &self,
        llm: Option<LlmSettings>,
        cache: sous::config::CacheSettings,
        limits: sous::config::LimitSettings,
    ) -> Replica {
        let db = self.connect().await;
        let server = Application::build("127.0.0.1:0", db.clone())
            .await
            .expect("bind the test server")
            .with_auth(&auth_settings())
            .expect("load the test key")
            .with_llm(llm)
            .expect("configure the model")
            .with_cache(cache)
            .with_limits(limits)
            .with_metrics(Some("127.0.0.1:0"))
            .await
            .expect("bind the metrics listener");
        let ports = (server.port(), server.metrics_addr().expect("metrics served").port());
        let task = tokio::spawn(server.run_until_stopped());
        let app = TestApp::client_of(ports, db, None).await;
        Replica { app, task }
    }
}

impl Drop for TestDatabase {
    fn drop(&mut self) {
        if let Some(path) = &self.sqlite_file {
            remove_sqlite(path);
        }
    }
}

/// A server on a [`TestDatabase`], which a test can stop.
pub struct Replica {
    pub app: TestApp,
    task: tokio::task::JoinHandle<std::io::Result<()>>,
}

impl Replica {
    /// Stops the server: it stops listening, and its connections, pool and cache go with it.
    pub async fn stop(self) {
        let Self { app, task } = self;
        task.abort();
        let _ = task.await;
        drop(app);
    }
}

impl TestApp {
    /// The server's database, to check what it stored.
    pub fn db(&self) -> &DatabaseConnection {
        &self.db
    }
}
