//! Who is asking, and what they may do. Every service call that touches business data takes an
//! [`Actor`] and asks this module first; list queries are narrowed to the actor's scope. The
//! rules, in one place:
//!
//! | role | registry | audit trail | accounts |
//! |---|---|---|---|
//! | bureau | read and manage all | all | invite operators |
//! | operator | read own carriers | own carriers | — |
//! | startup | — | — | — |
//! | admin | — | — | everything |
//!
//! Deny by default: a role not named for an action may not perform it.

use crate::{Result, ServiceError};
use domain::{CarrierId, StartupId, UserId};
use std::collections::BTreeSet;

/// A signed-in user with the memberships they hold right now (loaded from the database on every
/// request, so a revoked role stops working at once).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Actor {
    pub user: UserId,
    pub email: String,
    pub admin: bool,
    pub bureau: bool,
    pub carriers: BTreeSet<CarrierId>,
    pub startups: BTreeSet<StartupId>,
}

impl Actor {
    pub fn operates(&self, carrier: CarrierId) -> bool {
        self.carriers.contains(&carrier)
    }

    pub fn belongs_to(&self, startup: StartupId) -> bool {
        self.startups.contains(&startup)
    }
}

/// The signed-in actor, or [`ServiceError::Unauthenticated`].
pub fn signed_in(actor: Option<&Actor>) -> Result<&Actor> {
    actor.ok_or(ServiceError::Unauthenticated)
}

/// Which carriers an actor may read.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum CarrierScope {
    All,
    Only(BTreeSet<CarrierId>),
}

impl CarrierScope {
    pub fn contains(&self, carrier: CarrierId) -> bool {
        match self {
            CarrierScope::All => true,
            CarrierScope::Only(carriers) => carriers.contains(&carrier),
        }
    }
}

/// Bureau staff read every carrier; operators read theirs; nobody else reads the registry.
pub fn carrier_scope(actor: &Actor) -> Result<CarrierScope> {
    if actor.bureau {
        Ok(CarrierScope::All)
    } else if !actor.carriers.is_empty() {
        Ok(CarrierScope::Only(actor.carriers.clone()))
    } else {
        Err(ServiceError::Forbidden)
    }
}

/// Reading one carrier.
pub fn read_carrier(actor: &Actor, carrier: CarrierId) -> Result<()> {
    if carrier_scope(actor)?.contains(carrier) { Ok(()) } else { Err(ServiceError::Forbidden) }
}

/// Registering, editing and archiving carriers: the bureau's job.
pub fn manage_registry(actor: &Actor) -> Result<()> {
    if actor.bureau { Ok(()) } else { Err(ServiceError::Forbidden) }
}

/// Account administration.
pub fn administer_accounts(actor: &Actor) -> Result<()> {
    if actor.admin { Ok(()) } else { Err(ServiceError::Forbidden) }
}

/// Reading a startup's own pages: its members and the bureau.
pub fn read_startup(actor: &Actor, startup: StartupId) -> Result<()> {
    if actor.bureau || actor.belongs_to(startup) { Ok(()) } else { Err(ServiceError::Forbidden) }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn actor() -> Actor {
        Actor {
            user: UserId(1),
            email: "x@example.cn".into(),
            admin: false,
            bureau: false,
            carriers: BTreeSet::new(),
            startups: BTreeSet::new(),
        }
    }

    #[test]
    fn nobody_reads_the_registry_by_default() {
        assert!(matches!(carrier_scope(&actor()), Err(ServiceError::Forbidden)));
        let admin = Actor { admin: true, ..actor() };
        assert!(matches!(carrier_scope(&admin), Err(ServiceError::Forbidden)), "admins see no business data");
        let startup = Actor { startups: [StartupId(3)].into(), ..actor() };
        assert!(matches!(read_carrier(&startup, CarrierId(1)), Err(ServiceError::Forbidden)));
    }

    #[test]
    fn operators_read_their_own_carriers_only_and_manage_none() {
        let operator = Actor { carriers: [CarrierId(1), CarrierId(2)].into(), ..actor() };
        assert!(read_carrier(&operator, CarrierId(2)).is_ok());
        assert!(matches!(read_carrier(&operator, CarrierId(3)), Err(ServiceError::Forbidden)));
        assert!(matches!(manage_registry(&operator), Err(ServiceError::Forbidden)));
    }

    #[test]
    fn the_bureau_reads_and_manages_everything_in_the_registry_but_not_accounts() {
        let bureau = Actor { bureau: true, ..actor() };
        assert_eq!(carrier_scope(&bureau).unwrap(), CarrierScope::All);
        assert!(manage_registry(&bureau).is_ok());
        assert!(matches!(administer_accounts(&bureau), Err(ServiceError::Forbidden)));
    }

    #[test]
    fn a_startup_reads_only_its_own_pages() {
        let member = Actor { startups: [StartupId(3)].into(), ..actor() };
        assert!(read_startup(&member, StartupId(3)).is_ok());
        assert!(matches!(read_startup(&member, StartupId(4)), Err(ServiceError::Forbidden)));
        assert!(matches!(signed_in(None), Err(ServiceError::Unauthenticated)));
    }
}
