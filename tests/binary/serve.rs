//! `sous serve --demo` as the README's first command runs it: a fresh directory, a printed
//! address, both plans, the API description, a clean stop on SIGTERM, and a second start that
//! reuses the demo database.
use std::{
    io::{BufRead, BufReader},
    process::{Child, Stdio},
    sync::mpsc,
    time::{Duration, Instant},
};

use serde_json::Value;

use crate::support::{TempDir, sous};

/// Seeding a year of history in a debug build, on a busy machine, takes a while.
const START_TIMEOUT: Duration = Duration::from_secs(300);
/// The server's own grace period is 10 s.
const STOP_TIMEOUT: Duration = Duration::from_secs(20);

/// A running `sous serve --demo` and what it printed before it started listening.
struct Server {
    child: Child,
    printed: String,
    base: String,
    location: i64,
    date: String,
    /// The demo tokens it printed, by role.
    staff: String,
    manager: String,
    reviewer: String,
}

impl Server {
    fn start(dir: &TempDir) -> Self {
        let mut child = sous(dir.path())
            .args(["serve", "--demo"])
            .env("SOUS_ADDR", "127.0.0.1:0")
            .env("SOUS_NIGHTLY_AT", "off")
            .stdout(Stdio::piped())
            .stderr(Stdio::null())
            .spawn()
            .expect("start sous serve --demo");
        let (lines, received) = mpsc::channel();
        let stdout = child.stdout.take().expect("stdout");
        std::thread::spawn(move || {
            for line in BufReader::new(stdout).lines().map_while(Result::ok) {
                if lines.send(line).is_err() {
                    break;
                }
            }
        });
        let started = Instant::now();
        let mut printed = String::new();
        // The last line printed before serving is the backtest example.
        while !printed.contains("/backtest'") {
            let left = START_TIMEOUT.saturating_sub(started.elapsed());
            match received.recv_timeout(left) {
                Ok(line) => {
                    printed.push_str(&line);
                    printed.push('\n');
                }
                Err(_) => {
                    let _ = child.kill();
                    panic!("sous serve --demo did not print its address and examples:\n{printed}");
                }
            }
        }
        let base = after(&printed, "Sous listening on ").to_owned();
        let location = after(&printed, "Demo location id: ").parse().expect("a location id");
        let date = after(&printed, "/staffing?date=").trim_end_matches('\'').to_owned();
        assert!(base.starts_with("http://127.0.0.1:"), "{printed}");
        let token = |role: &str| after(&printed, &format!("export SOUS_{role}_TOKEN=")).to_owned();
        let (staff, manager, reviewer) = (token("STAFF"), token("MANAGER"), token("REVIEWER"));
        Self { child, printed, base, location, date, staff, manager, reviewer }
    }

    /// GET as the demo's staff member (the wall dashboard).
    async fn get(&self, path: &str) -> (u16, String) {
        self.send(reqwest::Method::GET, path, Some(&self.staff)).await
    }

    async fn send(&self, method: reqwest::Method, path: &str, token: Option<&str>) -> (u16, String) {
        let mut request = reqwest::Client::new().request(method, format!("{}{path}", self.base));
        if let Some(token) = token {
            request = request.bearer_auth(token);
        }
        let response = request.send().await.expect("the server answers");
        let status = response.status().as_u16();
        (status, response.text().await.expect("a body"))
    }

    /// A plan as served, less the time it was made (baseline plans are made again after a
    /// restart, from the same data).
    async fn plan(&self, kind: &str) -> Value {
        let (status, body) = self.get(&format!("/api/v1/locations/{}/{kind}?date={}", self.location, self.date)).await;
        assert_eq!(status, 200, "{kind}: {body}");
        let mut plan: Value = serde_json::from_str(&body).expect("a JSON plan");
        assert!(plan["generated_at"].is_string(), "{plan}");
        plan["generated_at"] = Value::Null;
        plan
    }

    /// SIGTERM, then the process must exit 0 within the grace period.
    fn stop(mut self) {
        let pid = self.child.id().to_string();
        let sent = std::process::Command::new("kill").args(["-TERM", &pid]).status().expect("kill runs");
        assert!(sent.success());
        let asked = Instant::now();
        loop {
            if let Some(status) = self.child.try_wait().expect("wait") {
                assert!(status.success(), "sous exited with {status} on SIGTERM");
                return;
            }
            if asked.elapsed() > STOP_TIMEOUT {
                let _ = self.child.kill();
                panic!("sous did not stop within {STOP_TIMEOUT:?} of SIGTERM");
            }
            std::thread::sleep(Duration::from_millis(50));
        }
    }
}

impl Drop for Server {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// The rest of the line after `marker`, up to the first space.
fn after<'a>(text: &'a str, marker: &str) -> &'a str {
    let start = text.find(marker).unwrap_or_else(|| panic!("{marker:?} not printed in:\n{text}")) + marker.len();
    text[start..].split_whitespace().next().unwrap_or_default()
}

#[tokio::test]
async fn the_demo_serves_both_plans_stops_on_sigterm_and_restarts_on_the_same_data() {
    sous::llm::install_crypto_provider();
    let dir = TempDir::new("serve-demo");

    let first = Server::start(&dir);
    assert!(first.printed.contains("Demo data seeded: location"), "{}", first.printed);
    assert!(dir.path().join("sous-demo.db").exists(), "the demo database is made in the working directory");
    let (status, body) = first.get("/healthz").await;
    assert_eq!(status, 200, "{body}");
    let prep_list = first.plan("prep-list").await;
    let stations = prep_list["stations"].as_array().expect("stations");
    assert!(!stations.is_empty(), "{prep_list}");
    assert!(stations.iter().any(|s| !s["items"].as_array().is_none_or(Vec::is_empty)), "no prep items: {prep_list}");
    let staffing = first.plan("staffing").await;
    assert!(!staffing["roles"].as_array().is_none_or(Vec::is_empty), "{staffing}");
    let (status, openapi) = first.get("/openapi.json").await;
    assert_eq!(status, 200);
    let openapi: Value = serde_json::from_str(&openapi).expect("the OpenAPI document is JSON");
    assert!(openapi["paths"].as_object().is_some_and(|paths| paths.keys().any(|p| p.ends_with("/prep-list"))));
    let (status, docs) = first.get("/docs").await;
    assert_eq!(status, 200);
    assert!(docs.to_lowercase().contains("<html") && docs.contains("swagger"), "the Swagger UI page");
    // The example printed for tomorrow works as printed (no date: tomorrow in the restaurant's zone).
    let (status, _) = first.get(&format!("/api/v1/locations/{}/prep-list", first.location)).await;
    assert_eq!(status, 200);
    // The printed tokens work as printed, each for what its role may do.
    let plan = format!("/api/v1/locations/{}/prep-list", first.location);
    assert_eq!(first.send(reqwest::Method::GET, &plan, None).await.0, 401, "a plan needs a token");
    let generate = format!("{plan}/generate");
    assert_eq!(first.send(reqwest::Method::POST, &generate, Some(&first.staff)).await.0, 403);
    assert_eq!(first.send(reqwest::Method::POST, &generate, Some(&first.manager)).await.0, 200);
    let backtest = format!("/api/v1/locations/{}/backtest", first.location);
    assert_eq!(first.send(reqwest::Method::GET, &backtest, Some(&first.reviewer)).await.0, 200);
    let secret = dir.path().join("sous-demo.db.jwt-secret");
    assert!(secret.exists(), "the demo's secret is kept beside its database");
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        let mode = std::fs::metadata(&secret).expect("the secret file").permissions().mode();
        assert_eq!(mode & 0o077, 0, "the secret is readable by its owner only: {mode:o}");
    }
    let location = first.location;
    let staff_token = first.staff.clone();
    first.stop();

    let second = Server::start(&dir);
    let (status, _) = second.send(reqwest::Method::GET, &plan, Some(&staff_token)).await;
    assert_eq!(status, 200, "a token printed before the restart still works");
    // `sous token --demo`, as the demo's output suggests, mints one the server takes.
    let tenant = after(&second.printed, "--tenant ").to_owned();
    let minted = crate::support::run_ok({
        let mut command = sous(dir.path());
        command.args(["token", "--demo", "--tenant", &tenant, "--role", "reviewer", "--ttl", "10m"]);
        command
    });
    let (status, _) = second.send(reqwest::Method::GET, &backtest, Some(minted.trim())).await;
    assert_eq!(status, 200, "a token from `sous token --demo` works");
    assert!(!second.printed.contains("Demo data seeded"), "seeded twice:\n{}", second.printed);
    assert!(second.printed.contains("Demo data already there"), "{}", second.printed);
    assert_eq!(second.location, location);
    assert_eq!(second.plan("prep-list").await, prep_list, "the same plan after a restart");
    assert_eq!(second.plan("staffing").await, staffing);
    second.stop();
}

#[test]
fn a_port_already_taken_fails_at_once_and_seeds_nothing() {
    let taken = std::net::TcpListener::bind("127.0.0.1:0").expect("a port");
    let addr = taken.local_addr().expect("an address").to_string();
    let dir = TempDir::new("serve-taken");
    let output = sous(dir.path()).args(["serve", "--demo"]).env("SOUS_ADDR", &addr).output().expect("sous runs");
    let stderr = crate::support::assert_clean_failure(&output);
    assert!(stderr.contains(&format!("cannot listen on {addr}")), "{stderr}");
    let stdout = String::from_utf8_lossy(&output.stdout);
    assert!(!stdout.contains("Demo data seeded"), "seeded before finding the port taken: {stdout}");
}
