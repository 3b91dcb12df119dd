//! Who is calling and what they may do: roles, the actions routes need, and the caller every
//! handler, the plan service, the cache and the cached-read path receive. What a role may do is
//! written once, in [`Role::may`]; which tenant and locations a caller sees, once, in
//! [`Caller::sees`].
use std::{fmt, sync::Arc};

/// A caller's role within its tenant, from the token's `role` claim.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Role {
    /// Everything in the tenant: catalog, staff roles, locations, and all a manager does.
    Owner,
    /// Ingest, on-hand counts, read and regenerate plans, read history.
    Manager,
    /// Read plans only (the wall dashboard).
    Staff,
    /// Read plans, audit trails, history and reports only.
    Reviewer,
    /// A point-of-sale or booking system: ingest only.
    Integration,
}

impl Role {
    pub const ALL: [Role; 5] = [Role::Owner, Role::Manager, Role::Staff, Role::Reviewer, Role::Integration];

    pub fn parse(text: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|role| role.as_str() == text)
    }

    pub fn as_str(self) -> &'static str {
        match self {
            Self::Owner => "owner",
            Self::Manager => "manager",
            Self::Staff => "staff",
            Self::Reviewer => "reviewer",
            Self::Integration => "integration",
        }
    }

    /// The one table of permissions.
    pub fn may(self, action: Action) -> bool {
        use Action::*;
        match self {
            Self::Owner => true,
            Self::Manager => {
                matches!(
                    action,
                    ReadTenant
                        | ReadLocations
                        | ReadCatalog
                        | Ingest
                        | ReadHistory
                        | ReadPlans
                        | Regenerate
                        | OverridePlans
                        | RecordActuals
                )
            }
            Self::Staff => matches!(action, ReadTenant | ReadLocations | ReadPlans),
            Self::Reviewer => {
                matches!(action, ReadTenant | ReadLocations | ReadCatalog | ReadHistory | ReadPlans | ReadAudit)
            }
            Self::Integration => matches!(action, Ingest | RecordActuals),
        }
    }
}

impl fmt::Display for Role {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// What a route does, as far as permissions go.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Action {
    /// The caller's own tenant.
    ReadTenant,
    /// Locations, their time zone and opening hours.
    ReadLocations,
    /// Create locations.
    EditLocations,
    /// Stations, menu items, prep items, recipes, staff roles.
    ReadCatalog,
    EditCatalog,
    /// Orders, reservations, on-hand counts.
    Ingest,
    /// Sales and booking aggregates, backtests.
    ReadHistory,
    ReadPlans,
    /// Generate a plan afresh (may call the model).
    Regenerate,
    /// Set a line of a day's plan with a reason (a manager's override).
    OverridePlans,
    /// A plan's audit trail: every model attempt, raw answers included.
    ReadAudit,
    /// What really happened on a service day: prepped, used, wasted, staff on, sold-out times.
    RecordActuals,
}

impl Action {
    /// For the 403 message: what the caller was refused.
    pub fn describe(self) -> &'static str {
        match self {
            Self::ReadTenant => "read the tenant",
            Self::ReadLocations => "read locations",
            Self::EditLocations => "create locations",
            Self::ReadCatalog => "read the catalog",
            Self::EditCatalog => "change the catalog",
            Self::Ingest => "send orders, reservations or counts",
            Self::ReadHistory => "read history",
            Self::ReadPlans => "read plans",
            Self::Regenerate => "regenerate plans",
            Self::OverridePlans => "override plan lines",
            Self::ReadAudit => "read audit trails",
            Self::RecordActuals => "record actuals",
        }
    }
}

/// Whose data a caller reaches.
#[derive(Debug, Clone, PartialEq, Eq)]
enum Scope {
    /// The operator at the command line or a scheduled job: every tenant. Never from a token.
    Operator,
    /// One tenant's data; with `locations`, only those of its locations.
    Tenant { id: i64, locations: Option<Arc<[i64]>> },
}

/// An authenticated caller. Built from a verified token ([`Caller::new`]) or, for the command
/// line and jobs, [`Caller::operator`].
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Caller {
    subject: Arc<str>,
    role: Role,
    scope: Scope,
}

impl Caller {
    pub fn new(subject: &str, tenant_id: i64, role: Role, locations: Option<Vec<i64>>) -> Self {
        let locations = locations.map(Arc::from);
        Self { subject: Arc::from(subject), role, scope: Scope::Tenant { id: tenant_id, locations } }
    }

    /// Sous itself, acting for the operator (CLI commands, the nightly job): every tenant, and
    /// not subject to the per-tenant rate limit (the token budget still applies).
    pub fn operator() -> Self {
        Self { subject: Arc::from("operator"), role: Role::Owner, scope: Scope::Operator }
    }

    pub fn subject(&self) -> &str {
        &self.subject
    }

    pub fn role(&self) -> Role {
        self.role
    }

    /// The caller's tenant; `None` for the operator.
    pub fn tenant_id(&self) -> Option<i64> {
        match &self.scope {
            Scope::Operator => None,
            Scope::Tenant { id, .. } => Some(*id),
        }
    }

    pub fn is_operator(&self) -> bool {
        self.scope == Scope::Operator
    }

    pub fn may(&self, action: Action) -> bool {
        self.role.may(action)
    }

    /// Whether a location of `tenant_id` with this `location_id` is the caller's to see. Anything
    /// else is answered exactly like a location that does not exist.
    pub fn sees(&self, tenant_id: i64, location_id: i64) -> bool {
        match &self.scope {
            Scope::Operator => true,
            Scope::Tenant { id, locations } => {
                *id == tenant_id && locations.as_ref().is_none_or(|ids| ids.contains(&location_id))
            }
        }
    }

    /// The locations the token limits the caller to, if it does.
    pub fn locations(&self) -> Option<&[i64]> {
        match &self.scope {
            Scope::Tenant { locations: Some(ids), .. } => Some(ids),
            _ => None,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn roles_round_trip_and_unknown_roles_are_refused() {
        for role in Role::ALL {
            assert_eq!(Role::parse(role.as_str()), Some(role));
        }
        assert_eq!(Role::parse("admin"), None);
        assert_eq!(Role::parse("Owner"), None);
    }

    #[test]
    fn a_wall_dashboard_reads_and_cannot_write() {
        let staff = Caller::new("wall", 1, Role::Staff, None);
        assert!(staff.may(Action::ReadPlans));
        for action in
            [Action::Ingest, Action::Regenerate, Action::OverridePlans, Action::EditCatalog, Action::ReadAudit]
        {
            assert!(!staff.may(action), "{action:?}");
        }
        let pos = Caller::new("pos", 1, Role::Integration, None);
        assert!(pos.may(Action::Ingest) && !pos.may(Action::ReadPlans));
    }

    #[test]
    fn a_caller_sees_its_tenant_and_listed_locations_only() {
        let everywhere = Caller::new("a", 1, Role::Manager, None);
        assert!(everywhere.sees(1, 10) && everywhere.sees(1, 11) && !everywhere.sees(2, 10));
        let one = Caller::new("b", 1, Role::Manager, Some(vec![10]));
        assert!(one.sees(1, 10) && !one.sees(1, 11) && !one.sees(2, 10));
        assert!(Caller::operator().sees(7, 70));
        assert_eq!(Caller::operator().tenant_id(), None);
    }
}
