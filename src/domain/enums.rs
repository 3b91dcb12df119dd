//! Closed vocabularies. Each is a poem-openapi enum (so the OpenAPI document lists its
//! values and a wrong value is refused at parse time) stored in the database as its name.
use poem_openapi::Enum;
use serde::{Deserialize, Serialize};

/// Declares `as_str` and `parse` from the same table of names, so the two never disagree.
macro_rules! named {
    ($ty:ident { $($variant:ident => $name:literal),+ $(,)? }) => {
        impl $ty {
            pub const ALL: &'static [$ty] = &[$($ty::$variant),+];

            pub fn as_str(self) -> &'static str {
                match self { $($ty::$variant => $name),+ }
            }

            pub fn parse(text: &str) -> Option<Self> {
                match text { $($name => Some($ty::$variant),)+ _ => None }
            }
        }

        impl std::fmt::Display for $ty {
            fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
                f.write_str(self.as_str())
            }
        }
    };
}

/// Unit a prep item is counted in.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Enum, Serialize, Deserialize)]
#[oai(rename_all = "snake_case")]
#[serde(rename_all = "snake_case")]
pub enum Unit {
    G,
    Kg,
    Ml,
    L,
    Each,
}
named!(Unit { G => "g", Kg => "kg", Ml => "ml", L => "l", Each => "each" });

/// Where a reservation stands. Cancelled and no-show bookings bring no covers.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Enum, Serialize, Deserialize)]
#[oai(rename_all = "snake_case")]
#[serde(rename_all = "snake_case")]
pub enum ReservationStatus {
    Booked,
    Confirmed,
    Seated,
    Completed,
    Cancelled,
    NoShow,
}
named!(ReservationStatus {
    Booked => "booked", Confirmed => "confirmed", Seated => "seated",
    Completed => "completed", Cancelled => "cancelled", NoShow => "no_show",
});

/// How an order reached the kitchen.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Enum, Serialize, Deserialize)]
#[oai(rename_all = "snake_case")]
#[serde(rename_all = "snake_case")]
pub enum OrderChannel {
    DineIn,
    Takeout,
    Delivery,
}
named!(OrderChannel { DineIn => "dine_in", Takeout => "takeout", Delivery => "delivery" });

/// What drives a role's headcount.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Enum, Serialize, Deserialize)]
#[oai(rename_all = "snake_case")]
#[serde(rename_all = "snake_case")]
pub enum LaborDriver {
    /// Guests seated per hour.
    Covers,
    /// Orders (all channels) per hour.
    Orders,
}
named!(LaborDriver { Covers => "covers", Orders => "orders" });

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Enum, Serialize, Deserialize)]
#[oai(rename_all = "snake_case")]
#[serde(rename_all = "snake_case")]
pub enum DayOfWeek {
    Mon,
    Tue,
    Wed,
    Thu,
    Fri,
    Sat,
    Sun,
}
named!(DayOfWeek { Mon => "mon", Tue => "tue", Wed => "wed", Thu => "thu", Fri => "fri", Sat => "sat", Sun => "sun" });

impl DayOfWeek {
    pub fn from_chrono(day: chrono::Weekday) -> Self {
        Self::ALL[day.num_days_from_monday() as usize]
    }

    /// 0 = Monday ... 6 = Sunday, as stored in `orders.weekday`.
    pub fn index(self) -> i32 {
        self as i32
    }
}

/// The two plans Sous writes.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Enum, Serialize, Deserialize)]
#[oai(rename_all = "snake_case")]
#[serde(rename_all = "snake_case")]
pub enum PlanKind {
    PrepList,
    Staffing,
}
named!(PlanKind { PrepList => "prep_list", Staffing => "staffing" });

/// Where a plan came from.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Enum, Serialize, Deserialize)]
#[oai(rename_all = "snake_case")]
#[serde(rename_all = "snake_case")]
pub enum PlanSource {
    /// The statistical baseline, with no model involved.
    Baseline,
    /// A model's answer that passed validation as it was.
    Llm,
    /// A model's first answer, which passed validation after Sous repaired it (no model call).
    LlmRepaired,
    /// A model's answer accepted after a re-ask with the problems of the previous one (and
    /// perhaps repaired too: the plan's `repairs` say).
    LlmReasked,
    /// A model's valid answer that changes nothing: the baseline stands, as the model judged.
    LlmUnchanged,
    /// The valid changes of a model's last answer, whose other changes failed their checks
    /// (prompt v2): those lines keep the baseline, and `provenance` says how many and why.
    LlmPartial,
    /// The baseline, because the model's answers failed.
    Fallback,
}
named!(PlanSource { Baseline => "baseline", Llm => "llm", LlmRepaired => "llm_repaired", LlmReasked => "llm_reasked", LlmUnchanged => "llm_unchanged", LlmPartial => "llm_partial", Fallback => "fallback" });

impl PlanSource {
    /// Sources whose plan holds a model's checked answer (whole or in part): stored plans of
    /// these sources are served again for the same inputs.
    pub const FROM_MODEL: [PlanSource; 5] =
        [Self::Llm, Self::LlmRepaired, Self::LlmReasked, Self::LlmUnchanged, Self::LlmPartial];
}

/// Why a stored plan was made.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Enum, Serialize, Deserialize)]
#[oai(rename_all = "snake_case")]
#[serde(rename_all = "snake_case")]
pub enum PlanTrigger {
    /// The first plan of its location, kind and service day (a read or the nightly job).
    First,
    /// Its data moved enough since the plan before it (made on its own, within the daily cap).
    MaterialChange,
    /// A manager (or the operator) asked for it.
    Manual,
}
named!(PlanTrigger { First => "first", MaterialChange => "material_change", Manual => "manual" });

/// Who set a line of a served plan.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Enum, Serialize, Deserialize)]
#[oai(rename_all = "snake_case")]
#[serde(rename_all = "snake_case")]
pub enum LineOrigin {
    /// The statistical baseline's number.
    Baseline,
    /// The model changed the baseline's number (its reason is beside it).
    Model,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_round_trip() {
        for status in ReservationStatus::ALL {
            assert_eq!(ReservationStatus::parse(status.as_str()), Some(*status));
        }
        for unit in Unit::ALL {
            assert_eq!(Unit::parse(unit.as_str()), Some(*unit));
        }
        assert_eq!(Unit::parse("kgs"), None);
    }

    #[test]
    fn weekdays_follow_chrono_from_monday() {
        assert_eq!(DayOfWeek::from_chrono(chrono::Weekday::Mon), DayOfWeek::Mon);
        assert_eq!(DayOfWeek::from_chrono(chrono::Weekday::Sun).index(), 6);
    }
}
