//! Domain types parsed at the edge: once a value has one of these types, it is valid.
pub mod access;
pub mod enums;
pub mod external_id;
pub mod fingerprint;
pub mod opening_hours;
pub mod time_window;

pub use access::{Action, Caller, Role};
pub use enums::{
    DayOfWeek, LaborDriver, LineOrigin, OrderChannel, PlanKind, PlanSource, PlanTrigger, ReservationStatus, Unit,
};
pub use external_id::ExternalId;
pub use opening_hours::{DayHours, OpeningHours};
