//! Typed identifiers: a carrier's id cannot be passed where a district's is expected.

use serde::{Deserialize, Serialize};

macro_rules! id_type {
    ($(#[$meta:meta])* $name:ident) => {
        $(#[$meta])*
        #[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
        #[serde(transparent)]
        pub struct $name(pub i64);

        impl std::fmt::Display for $name {
            fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
                self.0.fmt(f)
            }
        }

        impl std::str::FromStr for $name {
            type Err = std::num::ParseIntError;
            fn from_str(s: &str) -> Result<Self, Self::Err> {
                s.trim().parse().map($name)
            }
        }
    };
}

id_type!(
    /// Identifies an incubation carrier (孵化载体).
    CarrierId
);
id_type!(
    /// Identifies a district, county or development zone of the city.
    DistrictId
);
id_type!(
    /// Identifies an account.
    UserId
);
id_type!(
    /// Identifies a startup (在孵企业).
    StartupId
);
id_type!(
    /// Identifies a site (园区) of a carrier.
    SiteId
);
id_type!(
    /// Identifies a building on a site.
    BuildingId
);
id_type!(
    /// Identifies a floor of a building.
    FloorId
);
id_type!(
    /// Identifies a unit (office, workstation area, public space) on a floor.
    UnitId
);
id_type!(
    /// Identifies a kept import report of units.
    ImportId
);
id_type!(
    /// Identifies a space application.
    ApplicationId
);
id_type!(
    /// Identifies a lease.
    LeaseId
);
id_type!(
    /// Identifies an event of an equity ledger.
    EquityEventId
);
id_type!(
    /// Identifies a financing round (a round's first event).
    RoundId
);
id_type!(
    /// Identifies an area target.
    TargetId
);
id_type!(
    /// Identifies a set of readiness rules.
    RuleSetId
);
id_type!(
    /// Identifies a criterion of a rule set.
    CriterionId
);
id_type!(
    /// Identifies an invitation or password-reset link.
    LinkId
);
