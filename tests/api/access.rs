//! Who reaches what: every route × every role × (own tenant, another tenant, a token limited to
//! another location of the same tenant, no token). The expected status of every cell comes from
//! one table ([`ROUTES`]); a route the OpenAPI document lists without a row here fails the test.
//! Plan reads run with the plan warm in memory, so the cached-read path is in the matrix too.
use std::collections::BTreeSet;

use reqwest::{Method, StatusCode};
use serde_json::{Value, json};
use sous::domain::Role;

use crate::{
    cache::{day, fake_model, kitchen_with_recent_history, model_settings},
    helpers::{TestApp, TestDatabase, every_day, json_body, order, prep_item, reservation, role, token},
};

/// Who may use a route: O(wner), M(anager), S(taff), R(eviewer), I(ntegration).
struct Row {
    method: &'static str,
    /// `{loc}`: a location of the tenant under test; `{plan}`: one of its stored plans.
    path: &'static str,
    allowed: &'static str,
    /// The status an allowed caller of the tenant gets.
    ok: u16,
}

const fn row(method: &'static str, path: &'static str, allowed: &'static str, ok: u16) -> Row {
    Row { method, path, allowed, ok }
}

/// The one table.
const ROUTES: &[Row] = &[
    row("GET", "/api/v1/tenants", "OMSR", 200),
    row("GET", "/api/v1/locations", "OMSR", 200),
    row("POST", "/api/v1/locations", "O", 201),
    row("GET", "/api/v1/locations/{loc}", "OMSR", 200),
    row("GET", "/api/v1/locations/{loc}/replanning", "OMSR", 200),
    row("PUT", "/api/v1/locations/{loc}/replanning", "O", 200),
    row("POST", "/api/v1/locations/{loc}/stations", "O", 201),
    row("GET", "/api/v1/locations/{loc}/stations", "OMR", 200),
    row("POST", "/api/v1/locations/{loc}/menu-items", "O", 201),
    row("GET", "/api/v1/locations/{loc}/menu-items", "OMR", 200),
    row("POST", "/api/v1/locations/{loc}/prep-items", "O", 201),
    row("GET", "/api/v1/locations/{loc}/prep-items", "OMR", 200),
    row("POST", "/api/v1/locations/{loc}/recipe-lines", "O", 201),
    row("GET", "/api/v1/locations/{loc}/recipe-lines", "OMR", 200),
    row("POST", "/api/v1/locations/{loc}/roles", "O", 201),
    row("GET", "/api/v1/locations/{loc}/roles", "OMR", 200),
    row("POST", "/api/v1/locations/{loc}/orders/batch", "OMI", 200),
    row("POST", "/api/v1/locations/{loc}/reservations/batch", "OMI", 200),
    row("POST", "/api/v1/locations/{loc}/on-hand", "OMI", 200),
    row("GET", "/api/v1/locations/{loc}/history/daily", "OMR", 200),
    row("GET", "/api/v1/locations/{loc}/history/hourly", "OMR", 200),
    row("GET", "/api/v1/locations/{loc}/history/items", "OMR", 200),
    row("GET", "/api/v1/locations/{loc}/reservations/summary", "OMR", 200),
    row("GET", "/api/v1/locations/{loc}/backtest", "OMR", 200),
    row("GET", "/api/v1/locations/{loc}/prep-list", "OMSR", 200),
    row("POST", "/api/v1/locations/{loc}/prep-list/generate", "OM", 200),
    row("GET", "/api/v1/locations/{loc}/staffing", "OMSR", 200),
    row("POST", "/api/v1/locations/{loc}/staffing/generate", "OM", 200),
    row("PUT", "/api/v1/locations/{loc}/prep-list/overrides", "OM", 200),
    row("PUT", "/api/v1/locations/{loc}/staffing/overrides", "OM", 200),
    row("PUT", "/api/v1/locations/{loc}/actuals", "OMI", 200),
    row("GET", "/api/v1/locations/{loc}/actuals", "OMR", 200),
    row("GET", "/api/v1/locations/{loc}/accuracy", "OMR", 200),
    row("GET", "/api/v1/plans/{plan}/audit", "OR", 200),
    row("GET", "/api/v1/reports/ai-quality", "OR", 200),
];

fn letter(role: Role) -> char {
    match role {
        Role::Owner => 'O',
        Role::Manager => 'M',
        Role::Staff => 'S',
        Role::Reviewer => 'R',
        Role::Integration => 'I',
    }
}

/// Whose token a cell sends.
#[derive(Debug, Clone, Copy)]
enum Caller {
    /// The tenant under test.
    Own(Role),
    /// Another tenant, same role.
    OtherTenant(Role),
    /// The tenant under test, but a token listing only its other location.
    OtherLocation(Role),
    Anonymous,
}

impl Row {
    /// Whether the path names something of the tenant under test (a location or a plan).
    fn scoped(&self) -> bool {
        self.path.contains('{')
    }

    /// The one place the expected status of a cell is decided.
    fn expected(&self, caller: Caller) -> u16 {
        let may = |role: Role| self.allowed.contains(letter(role));
        match caller {
            Caller::Anonymous => 401,
            Caller::Own(role) => {
                if may(role) {
                    self.ok
                } else {
                    403
                }
            }
            // The role is judged first (it does not depend on whose data it is), then the data:
            // another tenant's, or a location the token does not list, is not found.
            Caller::OtherTenant(role) | Caller::OtherLocation(role) => match (may(role), self.scoped()) {
                (false, _) => 403,
                (true, true) => 404,
                (true, false) => self.ok,
            },
        }
    }
}

/// What the matrix runs against: a tenant with a kitchen (history, a stored model plan), a second
/// location of it, and another tenant with a location of its own.
struct World {
    app: TestApp,
    location: i64,
    /// The location's name, as JSON writes it (`"name":"Location 7"`).
    location_name: String,
    other_location: i64,
    other_tenant: i64,
    plan: i64,
    bodies: Bodies,
}

struct Bodies {
    grill_station: i64,
    burger: i64,
    soup: i64,
    lettuce: i64,
    server_role: i64,
}

impl World {
    fn token(&self, caller: Caller) -> Option<String> {
        match caller {
            Caller::Own(role) => Some(token(self.app.tenant_id, role, None)),
            Caller::OtherTenant(role) => Some(token(self.other_tenant, role, None)),
            Caller::OtherLocation(role) => Some(token(self.app.tenant_id, role, Some(vec![self.other_location]))),
            Caller::Anonymous => None,
        }
    }

    fn path(&self, row: &Row) -> String {
        let date = day(2);
        let path = row.path.replace("{loc}", &self.location.to_string()).replace("{plan}", &self.plan.to_string());
        match row.path.rsplit('/').next() {
            Some("prep-list" | "staffing") => format!("{path}?date={date}"),
            Some("summary") => format!("{path}?date={date}"),
            Some("actuals") if row.method == "GET" => format!("{path}?date={}", day(-1)),
            _ => path,
        }
    }

    /// A valid body for each POST; `n` makes names unique across cells.
    fn body(&self, row: &Row, n: usize) -> Option<Value> {
        let b = &self.bodies;
        let at = format!("{}T19:30:00+01:00", day(-1));
        let body = match row.path.rsplit('/').next()? {
            "locations" if row.method == "POST" => json!({
                "name": format!("Matrix location {n}"),
                "timezone": "Europe/Paris",
                "seats": 30,
                "opening_hours": every_day("11:00", "23:00"),
            }),
            "stations" => json!({ "name": format!("Matrix station {n}") }),
            "menu-items" => json!({ "name": format!("Matrix dish {n}"), "category": "mains", "price_cents": 900 }),
            "prep-items" => prep_item(b.grill_station, &format!("Matrix prep {n}"), "kg", 1.0),
            "recipe-lines" => json!({ "menu_item_id": b.soup, "prep_item_id": b.lettuce, "quantity": 0.1 }),
            "roles" => role(&format!("Matrix role {n}"), "covers", 10.0, 1, 3),
            "batch" if row.path.contains("orders") => {
                json!({ "orders": [order("matrix-1", &at, 2, &[(b.burger, 2)])] })
            }
            "batch" => {
                json!({ "reservations": [reservation("matrix-r1", &format!("{}T20:00:00+01:00", day(2)), 4, "confirmed")] })
            }
            "on-hand" => json!({ "counts": [{ "prep_item_id": b.lettuce, "quantity": 1.5 }] }),
            "replanning" => json!({ "covers_share": 0.2, "daily_cap": 2 }),
            "overrides" if row.path.contains("prep-list") => json!({
                "date": day(2).to_string(), "prep_item_id": b.lettuce, "quantity": 2.5, "reason": "Matrix override",
            }),
            "overrides" => json!({
                "date": day(2).to_string(), "block": "12:00", "role_id": b.server_role, "headcount": 2,
                "reason": "Matrix override",
            }),
            "actuals" => json!({
                "date": day(-1).to_string(),
                "prep": [{ "prep_item_id": b.lettuce, "prepped": 2.0, "used": 1.5, "wasted": 0.5 }],
                "staff": [{ "block": "12:00", "role_id": b.server_role, "headcount": 2 }],
                "sold_out": [{ "menu_item_id": b.soup, "at": "20:15" }],
            }),
            _ => return None,
        };
        (row.method != "GET").then_some(body)
    }
}

async fn world() -> (World, TestDatabase, crate::fake_llm::FakeLlm) {
    let database = TestDatabase::create().await;
    let model = fake_model().await;
    // Keys remembered for a minute: a warm plan is read from memory by the cached-read path.
    let cache = sous::config::CacheSettings {
        freshness: std::time::Duration::from_secs(60),
        ..sous::config::CacheSettings::default()
    };
    let app = database.serve(Some(model_settings(&model.base_url)), cache).await.app;
    let k = kitchen_with_recent_history(&app).await;
    let other_location = app.create_location(app.tenant_id, "Europe/Paris", every_day("11:00", "23:00")).await;
    let other_tenant = app.create_tenant("Another group").await;
    app.create_location(other_tenant, "Europe/Paris", every_day("11:00", "23:00")).await;
    let plan = json_body(
        app.get(&format!("/api/v1/locations/{}/prep-list?date={}", k.location_id, day(2))).await,
        StatusCode::OK,
    )
    .await["provenance"]["plan_id"]
        .as_i64()
        .expect("a stored model plan");
    let name =
        json_body(app.get(&format!("/api/v1/locations/{}", k.location_id)).await, StatusCode::OK).await["name"].clone();
    let location_name = format!("\"name\":{name}");
    let bodies = Bodies {
        grill_station: k.grill_station,
        burger: k.burger,
        soup: k.soup,
        lettuce: k.lettuce,
        server_role: k.server_role,
    };
    let world = World { app, location: k.location_id, location_name, other_location, other_tenant, plan, bodies };
    (world, database, model)
}

/// Every `/api/v1` operation of the OpenAPI document, as `METHOD path` with `{loc}`/`{plan}`.
async fn documented_operations(app: &TestApp) -> BTreeSet<String> {
    let spec = app.get_ok("/openapi.json").await;
    let mut operations = BTreeSet::new();
    for (path, item) in spec["paths"].as_object().expect("paths") {
        for method in item.as_object().expect("a path item").keys() {
            let path = path.replace("{id}", "{loc}").replace("{plan_id}", "{plan}");
            operations.insert(format!("{} {path}", method.to_uppercase()));
        }
    }
    operations.retain(|op| op.contains(" /api/v1/"));
    operations
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn every_route_answers_every_caller_as_the_table_says() {
    let (world, _database, _model) = world().await;
    let tabled: BTreeSet<String> = ROUTES.iter().map(|r| format!("{} {}", r.method, r.path)).collect();
    assert_eq!(tabled.len(), ROUTES.len(), "a route has two rows");
    assert_eq!(documented_operations(&world.app).await, tabled, "every documented route needs a row in ROUTES");

    let mut callers = vec![Caller::Anonymous];
    for role in Role::ALL {
        callers.extend([Caller::Own(role), Caller::OtherTenant(role), Caller::OtherLocation(role)]);
    }
    let mut wrong = Vec::new();
    let mut cells = 0;
    for (r, row) in ROUTES.iter().enumerate() {
        let path = world.path(row);
        if row.method == "GET" && (path.contains("/prep-list") || path.contains("/staffing")) {
            // Warm: the cells below are answered from memory when they may be.
            json_body(world.app.get(&path).await, StatusCode::OK).await;
        }
        for (c, caller) in callers.iter().enumerate() {
            let token = world.token(*caller);
            let method = Method::from_bytes(row.method.as_bytes()).expect("a method");
            let body = world.body(row, r * 100 + c);
            let response = world.app.send_as(token.as_deref(), method, &path, body.as_ref()).await;
            let status = response.status().as_u16();
            let text = response.text().await.unwrap_or_default();
            cells += 1;
            if status != row.expected(*caller) {
                wrong.push(format!(
                    "{} {path} as {caller:?}: {status}, expected {} ({text})",
                    row.method,
                    row.expected(*caller)
                ));
            }
            // Whatever the route, another tenant never sees this tenant's location.
            if matches!(caller, Caller::OtherTenant(_)) && status < 300 {
                let shown = text.contains(&world.location_name);
                assert!(!shown, "{} {path} as {caller:?} showed the location: {text}", row.method);
            }
        }
    }
    assert_eq!(cells, ROUTES.len() * 16);
    assert!(wrong.is_empty(), "{} of {cells} cells differ:\n{}", wrong.len(), wrong.join("\n"));
}
