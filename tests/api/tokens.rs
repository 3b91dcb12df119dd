//! Bearer tokens: every kind of bad token is a 401 with the envelope and a `WWW-Authenticate:
//! Bearer` challenge, and none lets its request reach an operation (the server's count of
//! accepted tokens does not move, and nothing is written). RS256 and ES256 verify with public
//! keys from a PEM file or a JWKS document.
use std::path::PathBuf;

use jsonwebtoken::{Algorithm, EncodingKey, Header};
use reqwest::{Method, StatusCode};
use secrecy::SecretString;
use serde_json::{Value, json};
use sous::{
    config::{AuthAlgorithm, AuthKeys, AuthSettings},
    domain::Role,
    startup::Application,
};

use crate::{
    cache::{day, kitchen_with_recent_history, metric, staffing_path},
    helpers::{TEST_SECRET, TestApp, TestDatabase, assert_envelope, order},
};

fn now() -> i64 {
    chrono::Utc::now().timestamp()
}

/// Claims of a valid manager token of `tenant`, to be spoiled one way at a time.
fn claims(tenant: i64) -> Value {
    json!({
        "sub": "someone", "tenant": tenant, "role": "manager",
        "iss": "sous", "aud": "sous", "exp": now() + 600, "nbf": now() - 5, "iat": now() - 5,
    })
}

fn signed(algorithm: Algorithm, claims: &Value, secret: &str) -> String {
    let key = EncodingKey::from_secret(secret.as_bytes()).expect("a key");
    jsonwebtoken::encode(&Header::new(algorithm), claims, &key).expect("sign")
}

fn with(mut claims: Value, field: &str, value: Value) -> Value {
    claims[field] = value;
    claims
}

fn without(mut claims: Value, field: &str) -> Value {
    claims.as_object_mut().expect("an object").remove(field);
    claims
}

/// Base64url without padding, as JWTs encode their parts.
fn base64url(bytes: &[u8]) -> String {
    const ALPHABET: &[u8; 64] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";
    let mut out = String::new();
    for chunk in bytes.chunks(3) {
        let n = chunk.iter().enumerate().fold(0u32, |n, (i, b)| n | u32::from(*b) << (16 - 8 * i));
        for i in 0..=chunk.len() {
            out.push(ALPHABET[(n >> (18 - 6 * i) & 63) as usize] as char);
        }
    }
    out
}

/// A JWT with `alg: none` and no signature.
fn unsigned(claims: &Value) -> String {
    let b64 = |v: &Value| base64url(v.to_string().as_bytes());
    format!("{}.{}.", b64(&json!({ "alg": "none", "typ": "JWT" })), b64(claims))
}

#[test]
fn base64url_encodes_as_the_rfc_says() {
    assert_eq!(base64url(b"f"), "Zg");
    assert_eq!(base64url(b"fo"), "Zm8");
    assert_eq!(base64url(b"foo"), "Zm9v");
    assert_eq!(base64url(&[0xfb, 0xff]), "-_8");
}

/// Every way a request's credentials can be wrong, by name: the `Authorization` header to send
/// (none for a missing one).
fn bad_credentials(tenant: i64) -> Vec<(&'static str, Option<String>)> {
    let good = claims(tenant);
    let hs = |c: &Value| Some(format!("Bearer {}", signed(Algorithm::HS256, c, TEST_SECRET)));
    vec![
        ("missing", None),
        ("another scheme", Some("Basic dXNlcjpwYXNz".to_owned())),
        ("empty bearer", Some("Bearer ".to_owned())),
        ("malformed", Some("Bearer not.a.jwt".to_owned())),
        ("not even base64", Some("Bearer %%%.%%%.%%%".to_owned())),
        ("expired", hs(&with(good.clone(), "exp", json!(now() - 3600)))),
        ("not yet valid", hs(&with(good.clone(), "nbf", json!(now() + 3600)))),
        ("wrong issuer", hs(&with(good.clone(), "iss", json!("someone-else")))),
        ("wrong audience", hs(&with(good.clone(), "aud", json!("another-api")))),
        (
            "wrong signature",
            Some(format!("Bearer {}", signed(Algorithm::HS256, &good, "another-secret-of-32-bytes-or-more!!"))),
        ),
        ("alg none", Some(format!("Bearer {}", unsigned(&good)))),
        ("another algorithm", Some(format!("Bearer {}", signed(Algorithm::HS512, &good, TEST_SECRET)))),
        ("exp as a string", hs(&with(good.clone(), "exp", json!("99999999999")))),
        ("nbf as a string, in the future", hs(&with(good.clone(), "nbf", json!("99999999999")))),
        ("no expiry", hs(&without(good.clone(), "exp"))),
        ("no subject", hs(&without(good.clone(), "sub"))),
        ("no tenant", hs(&without(good.clone(), "tenant"))),
        ("an unknown role", hs(&with(good.clone(), "role", json!("admin")))),
        ("a tenant of the wrong type", hs(&with(good.clone(), "tenant", json!("1")))),
        ("locations of the wrong type", hs(&with(good, "locations", json!("all")))),
    ]
}

async fn send(
    app: &TestApp,
    method: Method,
    path: &str,
    authorization: Option<&str>,
    body: Option<&Value>,
) -> reqwest::Response {
    let mut request = reqwest::Client::builder().no_proxy().build().expect("a client").request(method, app.url(path));
    if let Some(value) = authorization {
        request = request.header("Authorization", value);
    }
    if let Some(body) = body {
        request = request.json(body);
    }
    request.send().await.expect("a request")
}

async fn assert_unauthorized(response: reqwest::Response, name: &str) {
    assert_eq!(response.status(), StatusCode::UNAUTHORIZED, "{name}");
    let challenge = response.headers().get("www-authenticate").map(|v| v.to_str().unwrap_or_default().to_owned());
    assert!(challenge.as_deref().is_some_and(|c| c.starts_with("Bearer")), "{name}: {challenge:?}");
    let body: Value = response.json().await.expect("the envelope");
    assert_envelope(&body);
    assert_eq!(body["code"], "unauthorized", "{name}: {body}");
}

#[tokio::test]
async fn every_kind_of_bad_token_is_a_401_that_reaches_no_operation() {
    let app = TestApp::spawn().await;
    let k = kitchen_with_recent_history(&app).await;
    let orders_path = format!("/api/v1/locations/{}/orders/batch", k.location_id);
    let plan_path = staffing_path(k.location_id, day(1));
    // A warm plan: the cached-read path must refuse too, not answer from memory.
    assert_eq!(app.get(&plan_path).await.status(), StatusCode::OK);
    let accepted = metric(&app, "sous_tokens_accepted_total").await;
    let orders_before = app.get_ok(&format!("/api/v1/locations/{}/history/daily", k.location_id)).await;
    let accepted_after_setup = accepted + 1;

    let at = format!("{}T12:00:00+01:00", day(-1));
    let batch = json!({ "orders": [order("bad-token-1", &at, 2, &[(k.burger, 1)])] });
    for (name, authorization) in bad_credentials(app.tenant_id) {
        let write = send(&app, Method::POST, &orders_path, authorization.as_deref(), Some(&batch)).await;
        assert_unauthorized(write, name).await;
        let read = send(&app, Method::GET, &plan_path, authorization.as_deref(), None).await;
        assert_unauthorized(read, name).await;
        let unknown = send(&app, Method::GET, "/api/v1/no-such-route", authorization.as_deref(), None).await;
        assert_unauthorized(unknown, name).await;
    }

    assert_eq!(metric(&app, "sous_tokens_accepted_total").await, accepted_after_setup, "no bad token was accepted");
    // Each request refused once, the plan reads included (the cached-read path's verification
    // is the router's too).
    assert_eq!(metric(&app, "sous_tokens_refused_total").await, 60);
    let orders_after = app.get_ok(&format!("/api/v1/locations/{}/history/daily", k.location_id)).await;
    assert_eq!(orders_before, orders_after, "no order was stored");
}

#[tokio::test]
async fn a_token_within_the_leeway_is_accepted_and_the_open_routes_need_none() {
    let app = TestApp::spawn().await;
    let just_expired = with(claims(app.tenant_id), "exp", json!(now() - 5));
    let token = signed(Algorithm::HS256, &just_expired, TEST_SECRET);
    let with_audience_list = with(claims(app.tenant_id), "aud", json!(["other", "sous"]));

    let response = send(&app, Method::GET, "/api/v1/locations", Some(&format!("Bearer {token}")), None).await;
    assert_eq!(response.status(), StatusCode::OK, "5 s past expiry is within the 30 s leeway");
    let listed = signed(Algorithm::HS256, &with_audience_list, TEST_SECRET);
    let response = send(&app, Method::GET, "/api/v1/locations", Some(&format!("bearer {listed}")), None).await;
    assert_eq!(response.status(), StatusCode::OK, "an audience list naming Sous, scheme in any case");
    for open in ["/healthz", "/readyz", "/openapi.json", "/docs"] {
        assert_eq!(send(&app, Method::GET, open, None, None).await.status(), StatusCode::OK, "{open}");
    }
    assert_eq!(
        send(&app, Method::GET, "/metrics", None, None).await.status(),
        StatusCode::NOT_FOUND,
        "metrics are not on the API's listener"
    );
}

/// A server verifying with `algorithm` and `keys`, on a database with one tenant; its URL base.
async fn serve_with(algorithm: AuthAlgorithm, keys: AuthKeys) -> (String, TestDatabase) {
    let database = TestDatabase::create().await;
    let db = database.connect().await;
    sous::catalog::create_tenant(&db, "Key group").await.expect("a tenant");
    let mut auth = AuthSettings::hs256(SecretString::from(TEST_SECRET));
    auth.algorithm = algorithm;
    auth.keys = keys;
    let app = Application::build("127.0.0.1:0", db).await.expect("bind").with_auth(&auth).expect("the keys load");
    let base = format!("http://127.0.0.1:{}", app.port());
    tokio::spawn(app.run_until_stopped());
    (base, database)
}

fn key_file(name: &str) -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("tests/data/auth").join(name)
}

async fn status_with(base: &str, token: &str) -> StatusCode {
    reqwest::Client::new()
        .get(format!("{base}/api/v1/tenants"))
        .bearer_auth(token)
        .send()
        .await
        .expect("a request")
        .status()
}

fn signed_with_pem(algorithm: Algorithm, private: &str, kid: Option<&str>, claims: &Value) -> String {
    let pem = std::fs::read(key_file(private)).expect("the private key");
    let key = match algorithm {
        Algorithm::ES256 => EncodingKey::from_ec_pem(&pem),
        _ => EncodingKey::from_rsa_pem(&pem),
    }
    .expect("a signing key");
    let mut header = Header::new(algorithm);
    header.kid = kid.map(str::to_owned);
    jsonwebtoken::encode(&header, claims, &key).expect("sign")
}

#[tokio::test]
async fn es256_and_rs256_tokens_verify_with_a_pem_key_or_a_jwks_and_nothing_else_does() {
    let good = claims(1);
    let hs256 = signed(Algorithm::HS256, &good, TEST_SECRET);

    let (es, _es_db) = serve_with(AuthAlgorithm::Es256, AuthKeys::PublicKeyFile(key_file("ec_public.pem"))).await;
    assert_eq!(
        status_with(&es, &signed_with_pem(Algorithm::ES256, "ec_private.pem", None, &good)).await,
        StatusCode::OK
    );
    assert_eq!(status_with(&es, &hs256).await, StatusCode::UNAUTHORIZED, "HS256 is not what this server takes");
    let expired = with(good.clone(), "exp", json!(now() - 3600));
    let token = signed_with_pem(Algorithm::ES256, "ec_private.pem", None, &expired);
    assert_eq!(status_with(&es, &token).await, StatusCode::UNAUTHORIZED);

    let (rs, _rs_db) = serve_with(AuthAlgorithm::Rs256, AuthKeys::JwksFile(key_file("rsa_jwks.json"))).await;
    let by_kid = signed_with_pem(Algorithm::RS256, "rsa_private.pem", Some("sous-test-2026"), &good);
    assert_eq!(status_with(&rs, &by_kid).await, StatusCode::OK);
    // The JWKS's only signing key serves a token that names no key.
    let no_kid = signed_with_pem(Algorithm::RS256, "rsa_private.pem", None, &good);
    assert_eq!(status_with(&rs, &no_kid).await, StatusCode::OK);
    let unknown_kid = signed_with_pem(Algorithm::RS256, "rsa_private.pem", Some("rotated-away"), &good);
    assert_eq!(status_with(&rs, &unknown_kid).await, StatusCode::UNAUTHORIZED);
    // An HS256 token "signed" with the public key as a secret: the classic confusion.
    let public = std::fs::read_to_string(key_file("rsa_public.pem")).expect("the public key");
    let confused = signed(Algorithm::HS256, &good, &public);
    assert_eq!(status_with(&rs, &confused).await, StatusCode::UNAUTHORIZED);
    assert_eq!(status_with(&rs, &hs256).await, StatusCode::UNAUTHORIZED);
}

#[tokio::test]
async fn a_token_limited_to_locations_lists_only_those() {
    let app = TestApp::spawn().await;
    let first = app.create_location(app.tenant_id, "Europe/Paris", crate::helpers::every_day("11:00", "23:00")).await;
    let second = app.create_location(app.tenant_id, "Europe/Paris", crate::helpers::every_day("11:00", "23:00")).await;
    let limited = crate::helpers::token(app.tenant_id, Role::Staff, Some(vec![second]));

    let listed = app.send_as(Some(&limited), Method::GET, "/api/v1/locations", None).await;
    let listed: Value = listed.json().await.expect("JSON");
    let ids: Vec<i64> = listed.as_array().expect("a list").iter().filter_map(|l| l["id"].as_i64()).collect();

    assert_eq!(ids, [second]);
    let hidden = app.send_as(Some(&limited), Method::GET, &format!("/api/v1/locations/{first}"), None).await;
    assert_eq!(hidden.status(), StatusCode::NOT_FOUND);
}
