//! Locations: time zone, seats, opening hours.
use super::{
    ApiTags, AppState, allow,
    auth::Bearer,
    fields::{Clock, Name},
};
use crate::{
    catalog::{self, Location, NewLocation},
    domain::{Action, DayOfWeek, OpeningHours},
    error::{ApiError, ErrorResponse, FieldError},
};
use chrono::{DateTime, Utc};
use chrono_tz::Tz;
use poem_openapi::{ApiResponse, Object, OpenApi, param::Path, payload::Json};

pub struct LocationsApi(pub AppState);

/// One service window.
#[derive(Debug, Clone, Object, serde::Serialize)]
pub struct DayHoursDto {
    pub weekday: DayOfWeek,
    /// Local opening time, `HH:MM`.
    pub opens: Clock,
    /// Local closing time, `HH:MM`, later than `opens` on the same day.
    pub closes: Clock,
}

#[derive(Debug, Object, serde::Serialize)]
struct NewLocationBody {
    name: Name<200>,
    /// IANA time zone name, e.g. `Europe/Paris`.
    #[oai(validator(min_length = 1, max_length = 64))]
    timezone: String,
    #[oai(validator(minimum(value = "1"), maximum(value = "5000")))]
    seats: i32,
    /// Weekdays the location opens, each once; a weekday not listed is closed.
    #[oai(validator(min_items = 1, max_items = 7))]
    opening_hours: Vec<DayHoursDto>,
}

#[derive(Debug, Object)]
pub struct LocationDto {
    id: i64,
    tenant_id: i64,
    name: String,
    timezone: String,
    seats: i32,
    opening_hours: Vec<DayHoursDto>,
    created_at: DateTime<Utc>,
}

impl From<catalog::Location> for LocationDto {
    fn from(l: catalog::Location) -> Self {
        Self {
            id: l.id,
            tenant_id: l.tenant_id,
            name: l.name,
            timezone: l.timezone.name().to_owned(),
            seats: l.seats,
            opening_hours: l
                .hours
                .days()
                .iter()
                .map(|d| DayHoursDto { weekday: d.weekday, opens: Clock::of(d.opens), closes: Clock::of(d.closes) })
                .collect(),
            created_at: l.created_at,
        }
    }
}

#[derive(ApiResponse)]
enum LocationCreated {
    /// The location was created.
    #[oai(status = 201)]
    Created(Json<LocationDto>),
}

impl NewLocationBody {
    fn parse(self, tenant_id: i64) -> Result<NewLocation, ApiError> {
        let mut errors = Vec::new();
        let timezone = self.timezone.parse::<Tz>().map_err(|_| {
            errors.push(FieldError::new("timezone", "is not an IANA time zone name"));
        });
        let days: Vec<(DayOfWeek, &str, &str)> =
            self.opening_hours.iter().map(|d| (d.weekday, &*d.opens, &*d.closes)).collect();
        let hours = OpeningHours::parse(&days).map_err(|e| {
            errors.extend(e.into_iter().map(|(field, message)| FieldError::new(field, message)));
        });
        match (timezone, hours) {
            (Ok(timezone), Ok(hours)) if errors.is_empty() => {
                Ok(NewLocation { tenant_id, name: self.name.trim().to_owned(), timezone, seats: self.seats, hours })
            }
            _ => Err(ApiError::Validation(errors)),
        }
    }
}

/// A location's own thresholds for making a published plan again on its own; a field left out
/// (or `null`) takes the server's default.
#[derive(Debug, Object, serde::Serialize)]
struct ReplanningBody {
    /// Share of the expected covers they must move by (with `covers_min`) to be a material change.
    #[oai(validator(minimum(value = "0"), maximum(value = "10")))]
    covers_share: Option<f64>,
    /// Least number of covers they must move by (with `covers_share`).
    #[oai(validator(minimum(value = "0"), maximum(value = "100000")))]
    covers_min: Option<f64>,
    /// Automatic regenerations with the model per service day.
    #[oai(validator(minimum(value = "0"), maximum(value = "100")))]
    daily_cap: Option<u32>,
}

/// The thresholds in force at a location, and which of them are its own.
#[derive(Debug, Object)]
struct ReplanningDto {
    location_id: i64,
    covers_share: f64,
    covers_min: f64,
    daily_cap: u32,
    /// The fields set for this location; the others are the server's defaults.
    own: Vec<String>,
}

impl ReplanningDto {
    fn of(location: &Location, defaults: crate::config::Replan) -> Self {
        let own = &location.replan;
        let set = [
            ("covers_share", own.covers_share.is_some()),
            ("covers_min", own.covers_min.is_some()),
            ("daily_cap", own.daily_cap.is_some()),
        ];
        let effective = own.over(defaults);
        Self {
            location_id: location.id,
            covers_share: effective.covers_share,
            covers_min: effective.covers_min,
            daily_cap: effective.daily_cap,
            own: set.iter().filter(|(_, on)| *on).map(|(name, _)| (*name).to_owned()).collect(),
        }
    }
}

/// The caller's tenant (every token names one; only the operator has none, and never here).
pub(super) fn tenant_of(caller: &crate::domain::Caller) -> Result<i64, ApiError> {
    caller.tenant_id().ok_or_else(|| ApiError::Internal("a request without a tenant".to_owned()))
}

#[OpenApi(prefix_path = "/api/v1", tag = "ApiTags::Locations")]
impl LocationsApi {
    /// Create a location of the caller's tenant (owners).
    #[oai(path = "/locations", method = "post")]
    async fn create(&self, auth: Bearer, body: Json<NewLocationBody>) -> Result<LocationCreated, ErrorResponse> {
        allow(&auth.0, Action::EditLocations)?;
        let tenant_id = tenant_of(&auth.0)?;
        let location = catalog::create_location(&self.0.db, body.0.parse(tenant_id)?).await?;
        Ok(LocationCreated::Created(Json(location.into())))
    }

    /// The caller's locations: the tenant's, or those the token lists.
    #[oai(path = "/locations", method = "get")]
    async fn list(&self, auth: Bearer) -> Result<Json<Vec<LocationDto>>, ErrorResponse> {
        allow(&auth.0, Action::ReadLocations)?;
        let visible = self.0.visible_locations(&auth.0).await?;
        Ok(Json(visible.into_iter().map(LocationDto::from).collect()))
    }

    /// One location.
    #[oai(path = "/locations/:id", method = "get")]
    async fn get(&self, auth: Bearer, id: Path<i64>) -> Result<Json<LocationDto>, ErrorResponse> {
        let location = self.0.location(&auth.0, Action::ReadLocations, id.0).await?;
        Ok(Json(Location::clone(&location).into()))
    }

    /// When this location's published plans are made again on their own: expected covers
    /// moved by more than `covers_share` and by at least `covers_min`, at most `daily_cap`
    /// times a service day (a moved baseline quantity or headcount, or changed rules or hours,
    /// are material whatever the covers). See `docs/plan-lifecycle.md`.
    #[oai(path = "/locations/:id/replanning", method = "get")]
    async fn get_replanning(&self, auth: Bearer, id: Path<i64>) -> Result<Json<ReplanningDto>, ErrorResponse> {
        let location = self.0.location(&auth.0, Action::ReadLocations, id.0).await?;
        Ok(Json(ReplanningDto::of(&location, self.0.planner.replan())))
    }

    /// Set this location's own replanning thresholds (owners); a field left out takes the
    /// server's default. Takes effect at the next change of the location's data.
    #[oai(path = "/locations/:id/replanning", method = "put")]
    async fn set_replanning(
        &self,
        auth: Bearer,
        id: Path<i64>,
        body: Json<ReplanningBody>,
    ) -> Result<Json<ReplanningDto>, ErrorResponse> {
        let location = self.0.location(&auth.0, Action::EditLocations, id.0).await?;
        let own = catalog::ReplanOverrides {
            covers_share: body.0.covers_share,
            covers_min: body.0.covers_min,
            daily_cap: body.0.daily_cap,
        };
        let updated = catalog::set_replan(&self.0.db, location.id, own).await?;
        self.0.planner.cache.forget_location(location.id);
        Ok(Json(ReplanningDto::of(&updated, self.0.planner.replan())))
    }
}
