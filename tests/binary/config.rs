//! Configuration through the real binary, table-driven from the one list of variables in
//! `src/config/mod.rs`: each variable takes a valid value, and an invalid one stops `sous` with a
//! one-line message naming the variable and what it accepts, never a panic.
use std::collections::{BTreeMap, BTreeSet};

use clap::CommandFactory;

use crate::support::{TempDir, assert_clean_failure, sous};

/// The HS256 secret the checks run with (`serve` needs a way to verify tokens).
const SECRET: &str = "the-binary-tests-secret-of-32-bytes-or-more";

/// `sous serve --check` with token verification configured as `name` needs it: the key files
/// go with their algorithm, everything else with the shared secret.
fn check(dir: &std::path::Path, name: &str) -> std::process::Command {
    let mut command = sous(dir);
    command.args(["serve", "--check"]);
    match name {
        "SOUS_AUTH_PUBLIC_KEY_FILE" => command.env("SOUS_AUTH_ALGORITHM", "ES256"),
        "SOUS_AUTH_JWKS_FILE" => command.env("SOUS_AUTH_ALGORITHM", "RS256"),
        "SOUS_AUTH_SECRET" => &mut command,
        _ => command.env("SOUS_AUTH_SECRET", SECRET),
    };
    command
}

/// `(variable, a valid value, an invalid value)`, one row per variable of `src/config/mod.rs`.
const SETTINGS: &[(&str, &str, &str)] = &[
    ("DATABASE_URL", "postgres://sous:s3cret@db.invalid:5432/sous", "mysql://sous:s3cret@db.invalid/sous"),
    ("SOUS_ADDR", "0.0.0.0:0", "8080"),
    ("SOUS_DEMO", "true", "maybe"),
    ("SOUS_DB_MAX_CONNECTIONS", "4", "0"),
    ("SOUS_LOG", "warn,sous::plans=debug", "sous=loud"),
    ("SOUS_LOG_FORMAT", "json", "xml"),
    ("SOUS_LLM_BASE_URL", "http://127.0.0.1:8000/v1", "not a url"),
    ("SOUS_LLM_MODEL", "llama3.1:8b", "two words"),
    ("SOUS_LLM_API_KEY", "sk-test-0123456789", "sk test with spaces"),
    ("SOUS_LLM_OUTPUT_MODE", "json_object", "yaml"),
    ("SOUS_LLM_TIMEOUT_SECS", "2.5", "0"),
    ("SOUS_LLM_DEADLINE_SECS", "120", "soon"),
    ("SOUS_LLM_TEMPERATURE", "omit", "hot"),
    ("SOUS_LLM_MAX_TOKENS", "512", "-3"),
    ("SOUS_LLM_TOKEN_LIMIT_FIELD", "max_completion_tokens", "tokens"),
    ("SOUS_LLM_MAX_ATTEMPTS", "1", "0"),
    ("SOUS_LLM_TOKEN_BUDGET", "5000", "lots"),
    ("SOUS_LLM_HTTP_RETRIES", "0", "11"),
    ("SOUS_LLM_BAND_LOW", "0.8", "1.5"),
    ("SOUS_LLM_BAND_HIGH", "1.25", "0.5"),
    ("SOUS_LLM_BAND_FLOOR", "0", "-1"),
    ("SOUS_LLM_NOTE_TEXT", "redacted", "verbatim"),
    ("SOUS_LLM_PROMPT_VERSION", "v1", "v3"),
    ("SOUS_REPLAN_COVERS_SHARE", "0.25", "a quarter"),
    ("SOUS_REPLAN_COVERS_MIN", "10", "-1"),
    ("SOUS_REPLAN_DAILY_CAP", "0", "101"),
    ("SOUS_MODEL_PRICES", "gpt-4o-mini=0.15/0.6,local=0/0", "gpt-4o-mini=cheap"),
    ("SOUS_CACHE_MAX_BYTES", "1048576", "10"),
    ("SOUS_CACHE_TTL_SECS", "60", "0"),
    ("SOUS_CACHE_TTI_SECS", "30", "1h"),
    ("SOUS_CACHE_FALLBACK_TTL_SECS", "10", "0"),
    ("SOUS_CACHE_FRESHNESS_MS", "0", "-1"),
    ("SOUS_HTTP_IDLE_TIMEOUT_SECS", "10", "0"),
    ("SOUS_HTTP_HEADER_TIMEOUT_SECS", "5", "601"),
    ("SOUS_HTTP_BODY_TIMEOUT_SECS", "5", "forever"),
    ("SOUS_HTTP_MAX_CONNECTIONS", "64", "0"),
    ("SOUS_AUTH_ALGORITHM", "HS256", "HS384"),
    ("SOUS_AUTH_SECRET", "another-secret-of-at-least-32-bytes-000", "short"),
    (
        "SOUS_AUTH_PUBLIC_KEY_FILE",
        concat!(env!("CARGO_MANIFEST_DIR"), "/tests/data/auth/ec_public.pem"),
        "/no/such/key.pem",
    ),
    (
        "SOUS_AUTH_JWKS_FILE",
        concat!(env!("CARGO_MANIFEST_DIR"), "/tests/data/auth/rsa_jwks.json"),
        "/no/such/jwks.json",
    ),
    ("SOUS_AUTH_ISSUER", "https://id.example.com/", "two words"),
    ("SOUS_AUTH_AUDIENCE", "sous-api", "an audience"),
    ("SOUS_AUTH_LEEWAY_SECS", "0", "301"),
    ("SOUS_METRICS_ADDR", "127.0.0.1:9100", "9100"),
    ("SOUS_TENANT_MODEL_REQUESTS_PER_MINUTE", "5", "0"),
    ("SOUS_TENANT_DAILY_TOKENS", "100000", "-5"),
    ("SOUS_IDEMPOTENCY_TTL_SECS", "3600", "59"),
    ("SOUS_NIGHTLY_AT", "off", "25:00"),
    ("SOUS_NIGHTLY_CHECK_SECS", "5", "0"),
];

/// The documentation table at the top of `src/config/mod.rs`: each variable and its default cell.
fn documented() -> BTreeMap<&'static str, &'static str> {
    include_str!("../../src/config/mod.rs")
        .lines()
        .filter_map(|line| line.strip_prefix("//! | `"))
        .filter_map(|rest| {
            let cells: Vec<&str> = rest.split(" | ").collect();
            Some((cells.first()?.trim_end_matches('`'), *cells.get(2)?))
        })
        .collect()
}

/// The variables of that table.
fn documented_variables() -> BTreeSet<String> {
    documented().into_keys().map(str::to_owned).collect()
}

/// Every environment variable the command line reads, across all subcommands.
fn parsed_variables() -> BTreeSet<String> {
    let command = sous::cli::Cli::command();
    command
        .get_arguments()
        .chain(command.get_subcommands().flat_map(|sub| sub.get_arguments()))
        .filter_map(|arg| arg.get_env())
        .map(|env| env.to_string_lossy().into_owned())
        .collect()
}

#[test]
fn every_variable_has_a_row_here_and_in_the_documented_list() {
    let tested: BTreeSet<String> = SETTINGS.iter().map(|(name, _, _)| (*name).to_owned()).collect();
    assert_eq!(tested.len(), SETTINGS.len(), "a variable has two rows");
    let documented = documented_variables();
    assert_eq!(documented, tested, "src/config/mod.rs's table and this test's table differ");
    assert_eq!(
        parsed_variables(),
        documented,
        "the CLI reads variables src/config/mod.rs does not list, or the reverse"
    );
}

#[test]
fn every_variable_accepts_a_valid_value() {
    let dir = TempDir::new("config-valid");
    for (name, valid, _) in SETTINGS {
        let output = check(dir.path(), name).env(name, valid).output().expect("sous runs");
        let stdout = String::from_utf8_lossy(&output.stdout);
        let stderr = String::from_utf8_lossy(&output.stderr);
        assert!(output.status.success(), "{name}={valid} refused: {stderr}");
        assert!(stdout.starts_with("configuration is valid"), "{name}={valid}: {stdout}");
    }
}

#[test]
fn every_variable_refuses_an_invalid_value_with_one_line_naming_it() {
    let dir = TempDir::new("config-invalid");
    for (name, _, invalid) in SETTINGS {
        let output = check(dir.path(), name).env(name, invalid).output().expect("sous runs");
        let stderr = assert_clean_failure(&output);
        assert_eq!(output.status.code(), Some(2), "{name}={invalid}: {stderr}");
        assert_eq!(stderr.trim_end().lines().count(), 1, "{name}={invalid}: not one line: {stderr}");
        assert!(stderr.contains(name), "{name}={invalid}: the message does not name the variable: {stderr}");
        assert!(stderr.contains("accepts"), "{name}={invalid}: the message does not say what it accepts: {stderr}");
    }
}

#[test]
fn a_refused_secret_is_never_repeated() {
    let dir = TempDir::new("config-secret");
    let secrets = [
        ("DATABASE_URL", "mysql://sous:hunter2@db/sous"),
        ("SOUS_LLM_API_KEY", "sk hunter2 x"),
        ("SOUS_AUTH_SECRET", "hunter2-but-too-short"),
    ];
    for (name, value) in secrets {
        let output = check(dir.path(), name).env(name, value).output().expect("sous runs");
        let stderr = assert_clean_failure(&output);
        assert!(!stderr.contains("hunter2"), "{name}: {stderr}");
    }
}

#[test]
fn a_valid_configuration_is_printed_with_its_secrets_masked() {
    let dir = TempDir::new("config-print");
    let output = sous(dir.path())
        .args(["serve", "--check"])
        .env("SOUS_AUTH_SECRET", "hunter2-hunter2-hunter2-hunter2-hunter2")
        .env("DATABASE_URL", "postgres://sous:hunter2@db.invalid/sous")
        .env("SOUS_LLM_BASE_URL", "http://127.0.0.1:8000/v1")
        .env("SOUS_LLM_MODEL", "smollm2")
        .env("SOUS_LLM_API_KEY", "sk-hunter2")
        .env("SOUS_LLM_TEMPERATURE", "omit")
        .output()
        .expect("sous runs");
    let stdout = String::from_utf8_lossy(&output.stdout);
    assert!(output.status.success(), "{}", String::from_utf8_lossy(&output.stderr));
    assert!(stdout.contains("postgres://sous:***@db.invalid/sous") && stdout.contains("smollm2"), "{stdout}");
    assert!(stdout.contains("shared secret ***"), "{stdout}");
    assert!(!stdout.contains("hunter2"), "{stdout}");
}

#[test]
fn serving_without_a_way_to_verify_tokens_is_refused_and_mismatched_keys_too() {
    let dir = TempDir::new("config-auth");
    let none = sous(dir.path()).args(["serve", "--check"]).output().expect("sous runs");
    let stderr = assert_clean_failure(&none);
    assert!(stderr.contains("SOUS_AUTH_SECRET") && stderr.contains("SOUS_AUTH_JWKS_FILE"), "{stderr}");
    let key = concat!(env!("CARGO_MANIFEST_DIR"), "/tests/data/auth/ec_public.pem");
    let mismatched = sous(dir.path())
        .args(["serve", "--check"])
        .env("SOUS_AUTH_PUBLIC_KEY_FILE", key)
        .env("SOUS_AUTH_SECRET", SECRET)
        .output()
        .expect("sous runs");
    let stderr = assert_clean_failure(&mismatched);
    assert!(stderr.contains("HS256") && !stderr.contains(SECRET), "{stderr}");
    let wrong_kind = sous(dir.path())
        .args(["serve", "--check"])
        .env("SOUS_AUTH_ALGORITHM", "RS256")
        .env("SOUS_AUTH_PUBLIC_KEY_FILE", key)
        .output()
        .expect("sous runs");
    let stderr = assert_clean_failure(&wrong_kind);
    assert!(stderr.contains("RSA public key"), "an EC key is not an RSA key: {stderr}");
    assert!(!dir.path().join("sous.db").exists(), "nothing was opened");
}

#[test]
fn serving_with_an_invalid_temperature_stops_before_anything_starts() {
    let dir = TempDir::new("config-serve");
    for args in [&["serve", "--demo"][..], &["migrate"], &["seed", "--demo", "--days", "1"]] {
        let output = sous(dir.path()).args(args).env("SOUS_LLM_TEMPERATURE", "hot").output().expect("sous runs");
        let stderr = assert_clean_failure(&output);
        assert!(stderr.contains("SOUS_LLM_TEMPERATURE") && stderr.contains("from 0 to 2"), "{args:?}: {stderr}");
    }
    assert!(!dir.path().join("sous-demo.db").exists(), "nothing is created before the configuration is checked");
}

#[test]
fn flags_override_the_environment_and_are_named_when_wrong() {
    let dir = TempDir::new("config-flags");
    let ok = sous(dir.path())
        .args(["serve", "--check", "--addr", "127.0.0.1:9999"])
        .env("SOUS_AUTH_SECRET", SECRET)
        .env("SOUS_ADDR", "127.0.0.1:7777")
        .output()
        .expect("sous runs");
    assert!(ok.status.success(), "{}", String::from_utf8_lossy(&ok.stderr));
    let printed = String::from_utf8_lossy(&ok.stdout);
    assert!(printed.contains("127.0.0.1:9999") && !printed.contains("7777"), "{printed}");
    let bad = check(dir.path(), "").args(["--cache-ttl-secs", "0"]).output().expect("sous runs");
    let stderr = assert_clean_failure(&bad);
    assert!(stderr.contains("--cache-ttl-secs"), "{stderr}");
}

#[test]
fn the_documented_defaults_are_the_ones_the_binary_uses() {
    let documented = documented();
    let command = sous::cli::Cli::command();
    let arguments = command.get_arguments().chain(command.get_subcommands().flat_map(|sub| sub.get_arguments()));
    let mut checked = 0;
    for arg in arguments {
        let (Some(env), [default]) = (arg.get_env(), arg.get_default_values()) else { continue };
        let env = env.to_string_lossy();
        let doc = documented.get(env.as_ref()).unwrap_or_else(|| panic!("{env} is not documented"));
        let default = default.to_string_lossy();
        assert!(
            doc.starts_with(&format!("`{default}`")),
            "{env}: the binary's default is {default}, the table says {doc}"
        );
        checked += 1;
    }
    assert!(checked >= 20, "only {checked} defaults checked");
}
