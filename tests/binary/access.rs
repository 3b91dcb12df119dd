//! The operator's commands for access: `sous tenant create|list|limits` and `sous token`, run as
//! the binary, their output read (and the tokens verified as the server verifies them).
use secrecy::SecretString;
use sous::{auth::Verifier, config::AuthSettings, domain::Role};

use crate::support::{TempDir, assert_clean_failure, run_ok, sous};

const SECRET: &str = "the-operators-secret-of-32-bytes-or-more!";

fn command(dir: &TempDir, url: &str, args: &[&str]) -> std::process::Command {
    let mut command = sous(dir.path());
    command.args(args).env("DATABASE_URL", url).env("SOUS_AUTH_SECRET", SECRET);
    command
}

#[test]
fn tenants_are_created_listed_and_given_limits_at_the_command_line() {
    let dir = TempDir::new("tenants");
    let url = dir.sqlite_url("tenants.db");
    let id = run_ok(command(&dir, &url, &["tenant", "create", "--name", "  Maison Dupont "]));
    let id: i64 = id.trim().parse().unwrap_or_else(|_| panic!("an id: {id}"));
    run_ok(command(&dir, &url, &["tenant", "create", "--name", "Chez Marcel", "--daily-tokens", "5000"]));
    run_ok(command(&dir, &url, &["tenant", "limits", "--tenant", &id.to_string(), "--model-requests-per-minute", "3"]));

    let listed = run_ok(command(&dir, &url, &["tenant", "list"]));
    let lines: Vec<serde_json::Value> = listed.lines().map(|l| serde_json::from_str(l).expect("a JSON line")).collect();
    assert_eq!(lines.len(), 2, "{listed}");
    assert_eq!(lines[0]["name"], "Maison Dupont");
    assert_eq!(lines[0]["model_requests_per_minute"], "3");
    assert_eq!(lines[0]["daily_tokens"], "default");
    assert_eq!(lines[1]["daily_tokens"], "5000");

    let twice = command(&dir, &url, &["tenant", "create", "--name", "Maison Dupont"]).output().expect("sous runs");
    let stderr = assert_clean_failure(&twice);
    assert!(stderr.contains("already exists"), "{stderr}");
    for bad in ["", "   ", "Bistro\u{202E}x", "a\tb"] {
        let refused = command(&dir, &url, &["tenant", "create", "--name", bad]).output().expect("sous runs");
        assert_clean_failure(&refused);
    }
    let mut unknown = command(&dir, &url, &["tenant", "limits", "--tenant", "999", "--daily-tokens", "default"]);
    let stderr = assert_clean_failure(&unknown.output().expect("sous runs"));
    assert!(stderr.contains("tenant 999 does not exist"), "{stderr}");
}

#[test]
fn a_minted_token_verifies_as_the_server_verifies_it_and_says_what_was_asked() {
    let dir = TempDir::new("token");
    let url = dir.sqlite_url("token.db");
    let tenant = run_ok(command(&dir, &url, &["tenant", "create", "--name", "Maison Dupont"])).trim().to_owned();
    let other = run_ok(command(&dir, &url, &["tenant", "create", "--name", "Chez Marcel"])).trim().to_owned();

    let token = run_ok(command(&dir, &url, &["token", "--tenant", &tenant, "--role", "staff", "--ttl", "30m"]));
    let token = token.trim();
    assert!(!token.contains(SECRET));
    let verifier = Verifier::new(&AuthSettings::hs256(SecretString::from(SECRET))).expect("the verifier");
    let caller = verifier.verify(token).expect("the token verifies");
    assert_eq!(caller.tenant_id(), Some(tenant.parse().expect("an id")));
    assert_eq!(caller.role(), Role::Staff);
    assert_eq!(caller.locations(), None);

    for (args, says) in [
        (vec!["token", "--tenant", "999", "--role", "staff"], "tenant 999 does not exist"),
        (vec!["token", "--tenant", &other, "--role", "admin"], "accepts owner, manager"),
        (vec!["token", "--tenant", &other, "--role", "staff", "--ttl", "2y"], "--ttl"),
        (vec!["token", "--tenant", &other, "--role", "staff", "--location", "12345"], "location 12345"),
    ] {
        let output = command(&dir, &url, &args).output().expect("sous runs");
        let stderr = assert_clean_failure(&output);
        assert!(stderr.contains(says), "{args:?}: {stderr}");
    }
    let no_secret = sous(dir.path())
        .args(["token", "--tenant", &tenant, "--role", "staff"])
        .env("DATABASE_URL", &url)
        .output()
        .expect("sous runs");
    let stderr = assert_clean_failure(&no_secret);
    assert!(stderr.contains("SOUS_AUTH_SECRET"), "{stderr}");
}
