//! Tenants and locations.
use chrono::Utc;
use chrono_tz::Tz;
use entity::{location, tenant};
use sea_orm::{ActiveModelTrait, ColumnTrait, ConnectionTrait, EntityTrait, QueryFilter, QueryOrder, Set};

use super::on_unique;
use crate::{
    config::Replan,
    domain::{DayHours, DayOfWeek, OpeningHours},
    error::ApiError,
};

/// A location as the rest of Sous uses it: its time zone and hours already parsed.
#[derive(Debug, Clone)]
pub struct Location {
    pub id: i64,
    pub tenant_id: i64,
    pub name: String,
    pub timezone: Tz,
    pub seats: i32,
    pub hours: OpeningHours,
    pub created_at: chrono::DateTime<Utc>,
    /// This location's own thresholds for regenerating a published plan on its own, where set.
    pub replan: ReplanOverrides,
}

impl Location {
    /// Today in the location's time zone.
    pub fn today(&self) -> chrono::NaiveDate {
        Utc::now().with_timezone(&self.timezone).date_naive()
    }

    /// The opening hours of `date`, or `location_closed` when the location does not open then.
    pub fn hours_on(&self, date: chrono::NaiveDate) -> Result<DayHours, ApiError> {
        self.hours.for_weekday(DayOfWeek::from_chrono(chrono::Datelike::weekday(&date))).ok_or_else(|| {
            ApiError::LocationClosed(format!("location {} is closed on {} ({})", self.id, date, date.format("%A")))
        })
    }
}

/// A location's own replanning thresholds; `None` takes the configured default.
#[derive(Debug, Clone, Copy, Default, PartialEq)]
pub struct ReplanOverrides {
    pub covers_share: Option<f64>,
    pub covers_min: Option<f64>,
    pub daily_cap: Option<u32>,
}

impl ReplanOverrides {
    /// The thresholds in force: this location's where set, else `defaults`.
    pub fn over(&self, defaults: Replan) -> Replan {
        Replan {
            covers_share: self.covers_share.unwrap_or(defaults.covers_share),
            covers_min: self.covers_min.unwrap_or(defaults.covers_min),
            daily_cap: self.daily_cap.unwrap_or(defaults.daily_cap),
        }
    }
}

impl TryFrom<location::Model> for Location {
    type Error = ApiError;

    fn try_from(model: location::Model) -> Result<Self, ApiError> {
        let timezone = model
            .timezone
            .parse::<Tz>()
            .map_err(|_| ApiError::Internal(format!("location {} has an unknown stored time zone", model.id)))?;
        let hours = OpeningHours::from_json(&model.opening_hours)
            .map_err(|e| ApiError::Internal(format!("location {} has unreadable opening hours: {e}", model.id)))?;
        Ok(Self {
            id: model.id,
            tenant_id: model.tenant_id,
            name: model.name,
            timezone,
            seats: model.seats,
            hours,
            created_at: model.created_at,
            replan: ReplanOverrides {
                covers_share: model.replan_covers_share,
                covers_min: model.replan_covers_min,
                daily_cap: model.replan_daily_cap.map(|cap| cap.max(0) as u32),
            },
        })
    }
}

pub struct NewLocation {
    pub tenant_id: i64,
    pub name: String,
    pub timezone: Tz,
    pub seats: i32,
    pub hours: OpeningHours,
}

pub async fn create_tenant(db: &impl ConnectionTrait, name: &str) -> Result<tenant::Model, ApiError> {
    let model = tenant::ActiveModel { name: Set(name.to_owned()), created_at: Set(Utc::now()), ..Default::default() };
    model.insert(db).await.map_err(|e| on_unique(e, "name", format!("a tenant named {name:?} already exists")))
}

/// The tenant `id`, if it exists.
pub async fn get_tenant(db: &impl ConnectionTrait, id: i64) -> Result<Option<tenant::Model>, ApiError> {
    Ok(tenant::Entity::find_by_id(id).one(db).await?)
}

pub async fn list_tenants(db: &impl ConnectionTrait) -> Result<Vec<tenant::Model>, ApiError> {
    Ok(tenant::Entity::find().order_by_asc(tenant::Column::Id).all(db).await?)
}

pub async fn create_location(db: &impl ConnectionTrait, new: NewLocation) -> Result<Location, ApiError> {
    if tenant::Entity::find_by_id(new.tenant_id).one(db).await?.is_none() {
        return Err(ApiError::NotFound { what: "tenant", id: new.tenant_id });
    }
    let model = location::ActiveModel {
        tenant_id: Set(new.tenant_id),
        name: Set(new.name.clone()),
        timezone: Set(new.timezone.name().to_owned()),
        seats: Set(new.seats),
        opening_hours: Set(new.hours.to_json()),
        created_at: Set(Utc::now()),
        ..Default::default()
    };
    let saved = model
        .insert(db)
        .await
        .map_err(|e| on_unique(e, "name", format!("this tenant already has a location named {:?}", new.name)))?;
    Location::try_from(saved)
}

/// Sets a location's own replanning thresholds (`None`: the configured default).
pub async fn set_replan(db: &impl ConnectionTrait, id: i64, replan: ReplanOverrides) -> Result<Location, ApiError> {
    let model = location::ActiveModel {
        id: Set(id),
        replan_covers_share: Set(replan.covers_share),
        replan_covers_min: Set(replan.covers_min),
        replan_daily_cap: Set(replan.daily_cap.map(|cap| cap as i32)),
        ..Default::default()
    };
    Location::try_from(model.update(db).await?)
}

pub async fn get_location(db: &impl ConnectionTrait, id: i64) -> Result<Location, ApiError> {
    let model = location::Entity::find_by_id(id).one(db).await?.ok_or(ApiError::NotFound { what: "location", id })?;
    Location::try_from(model)
}

pub async fn list_locations(db: &impl ConnectionTrait, tenant_id: Option<i64>) -> Result<Vec<Location>, ApiError> {
    let mut query = location::Entity::find().order_by_asc(location::Column::Id);
    if let Some(tenant_id) = tenant_id {
        query = query.filter(location::Column::TenantId.eq(tenant_id));
    }
    query.all(db).await?.into_iter().map(Location::try_from).collect()
}
