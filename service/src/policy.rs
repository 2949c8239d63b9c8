//! Who may do what: every rule of access, in one place. Every service call that touches business
//! data takes an [`Actor`] and asks this module first; list queries are narrowed to the actor's
//! scope. A rule that allows a change hands out a [`Permit`], proof that the check passed, and
//! nothing else can make one: the audit trail takes a permit as the author of every change an
//! actor makes ([`crate::audit::By::Actor`]), and every change writes its audit row in its own
//! transaction, so a write whose check was forgotten does not compile. A permit also names the
//! records it is for (`Permit::covers`): the trail refuses, inside the transaction, a change to
//! another carrier's or startup's records, or to someone else's account.
//!
//! | rule | who |
//! |---|---|
//! | read the registry, a carrier's spaces, tenants, readiness | the bureau: every carrier; operators: their own |
//! | manage the registry, targets, readiness rules | the bureau |
//! | operate a carrier: its spaces, applications, leases, tenants, annual return | its operators (the bureau reads but does not change what it supervises) |
//! | act for a startup: its profile, applications | its members |
//! | read a startup | its members, the bureau, operators of a carrier it applied to or leases from |
//! | read a cap table | its members, the bureau, operators of a carrier that leases to it or holds its equity |
//! | record in an equity ledger | operators of a carrier that leases to the startup now |
//! | override a failing credit code | operators of a carrier the startup deals with |
//! | administer accounts | admins (who see no business data) |
//!
//! A permit cannot be made outside this module, so an actor's change cannot reach the audit
//! trail without one. With a permit it compiles:
//!
//! ```
//! # fn checked(actor: &service::Actor) -> Result<(), service::ServiceError> {
//! let permit = service::policy::manage_registry(actor)?;
//! let _author = service::audit::By::Actor(permit);
//! # Ok(())
//! # }
//! ```
//!
//! and without one it does not:
//!
//! ```compile_fail
//! # fn check_less(actor: &service::Actor) {
//! let author = service::audit::By::Actor(actor); // expected `Permit`, found `&Actor`
//! # }
//! ```
//!
//! ```compile_fail
//! # fn forged(actor: &service::Actor) {
//! let permit = service::policy::Permit { actor, rule: service::policy::Rule::ManageRegistry }; // private fields
//! # }
//! ```
//!
//! Deny by default: a role not named for an action may not perform it. Where a record is not
//! found, only the bureau (which may read every record) learns so; everyone else is refused, so
//! that ids cannot be probed ([`hidden`]).

use crate::entity::{application, equity_holder, lease};
use crate::{Result, ServiceError};
use domain::account::Role;
use domain::tenancy::application::{ApplicationState, Party};
use domain::{CarrierId, StartupId, UserId};
use sea_orm::{ColumnTrait, ConnectionTrait, EntityTrait, QueryFilter};
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

/// The rule a [`Permit`] was granted under.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Rule {
    ManageRegistry,
    AdministerAccounts,
    OperateCarrier(CarrierId),
    ActForStartup(StartupId),
    RecordEquity {
        startup: StartupId,
        carrier: CarrierId,
    },
    OverrideCode {
        startup: StartupId,
    },
    /// Changes to one's own account (a password).
    OwnAccount,
    Invite(Role),
    /// Taking part in an application as the applicant, the carrier's operator or the bureau.
    ApplicationParty {
        startup: StartupId,
        carrier: CarrierId,
        party: Party,
    },
}

/// Proof that an actor passed a rule of this module. Only this module makes one (its fields are
/// private and it has no public constructor); the audit trail requires one as the author of an
/// actor's change.
#[derive(Debug, Clone, Copy)]
pub struct Permit<'a> {
    actor: &'a Actor,
    rule: Rule,
}

impl<'a> Permit<'a> {
    fn grant(actor: &'a Actor, rule: Rule) -> Permit<'a> {
        Permit { actor, rule }
    }

    pub fn actor(&self) -> &'a Actor {
        self.actor
    }

    pub fn rule(&self) -> Rule {
        self.rule
    }

    /// Whether this permit allows a change to the record the audit trail names (its carrier,
    /// startup, kind and id): a permit for one carrier or startup is no permit for another, and
    /// one's own account is one's own.
    pub fn covers(
        &self,
        carrier: Option<CarrierId>,
        startup: Option<StartupId>,
        entity_type: &str,
        entity_id: i64,
    ) -> bool {
        match self.rule {
            Rule::ManageRegistry | Rule::AdministerAccounts => true,
            Rule::Invite(_) => entity_type == "invitation",
            Rule::OperateCarrier(c) => carrier == Some(c),
            Rule::ActForStartup(s) | Rule::OverrideCode { startup: s } | Rule::RecordEquity { startup: s, .. } => {
                startup == Some(s)
            }
            Rule::ApplicationParty { startup: s, carrier: c, .. } => startup == Some(s) || carrier == Some(c),
            Rule::OwnAccount => entity_type == "user" && entity_id == self.actor.user.0,
        }
    }

    /// The carrier an equity permit records for.
    pub fn recording_carrier(&self) -> Option<CarrierId> {
        match self.rule {
            Rule::RecordEquity { carrier, .. } => Some(carrier),
            _ => None,
        }
    }
}

/// The signed-in actor, or [`ServiceError::Unauthenticated`].
pub fn signed_in(actor: Option<&Actor>) -> Result<&Actor> {
    actor.ok_or(ServiceError::Unauthenticated)
}

/// What to answer when a record the actor asked for does not exist: the bureau, which reads
/// every record, learns that it is missing; anyone else is refused as if it existed.
pub fn hidden(actor: &Actor) -> ServiceError {
    if actor.bureau { ServiceError::NotFound } else { ServiceError::Forbidden }
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

/// Figures of a district or of the city: the bureau's.
pub fn read_city(actor: &Actor) -> Result<()> {
    if actor.bureau { Ok(()) } else { Err(ServiceError::Forbidden) }
}

/// Registering, editing and archiving carriers, the area targets and the readiness rules: the
/// bureau's job.
pub fn manage_registry(actor: &Actor) -> Result<Permit<'_>> {
    if actor.bureau { Ok(Permit::grant(actor, Rule::ManageRegistry)) } else { Err(ServiceError::Forbidden) }
}

/// Account administration.
pub fn administer_accounts(actor: &Actor) -> Result<Permit<'_>> {
    if actor.admin { Ok(Permit::grant(actor, Rule::AdministerAccounts)) } else { Err(ServiceError::Forbidden) }
}

/// Deactivating or reactivating an account: admins, never their own deactivation (an admin who
/// locks themselves out may leave nobody to let them back in).
pub fn set_account_active(actor: &Actor, user: UserId, active: bool) -> Result<Permit<'_>> {
    let permit = administer_accounts(actor)?;
    if user == actor.user && !active { Err(ServiceError::Forbidden) } else { Ok(permit) }
}

/// Approving a one-time link that waits for a second admin: an admin who neither issued it nor
/// is the person it is for (four eyes).
pub fn approve_link(actor: &Actor, issuer: Option<i64>, subject: Option<i64>) -> Result<Permit<'_>> {
    let permit = administer_accounts(actor)?;
    if issuer == Some(actor.user.0) || subject == Some(actor.user.0) {
        Err(ServiceError::Forbidden)
    } else {
        Ok(permit)
    }
}

/// Inviting someone: admins invite admins, bureau staff and operators; bureau staff invite
/// operators.
pub fn invite(actor: &Actor, role: Role) -> Result<Permit<'_>> {
    match role {
        Role::Operator if actor.admin || actor.bureau => Ok(Permit::grant(actor, Rule::Invite(role))),
        Role::Admin | Role::Bureau if actor.admin => Ok(Permit::grant(actor, Rule::Invite(role))),
        _ => Err(ServiceError::Forbidden),
    }
}

/// Changing a carrier's spaces, reviewing its applications, signing and changing its leases,
/// moving its tenants, filing its annual return: its operators only. The bureau reads every
/// carrier but does not change the records it supervises (README, "Accounts, roles and access").
pub fn operate_carrier(actor: &Actor, carrier: CarrierId) -> Result<Permit<'_>> {
    if actor.operates(carrier) {
        Ok(Permit::grant(actor, Rule::OperateCarrier(carrier)))
    } else {
        Err(ServiceError::Forbidden)
    }
}

/// Acting for a startup (its profile, figures and applications): its members.
pub fn act_for_startup(actor: &Actor, startup: StartupId) -> Result<Permit<'_>> {
    if actor.belongs_to(startup) {
        Ok(Permit::grant(actor, Rule::ActForStartup(startup)))
    } else {
        Err(ServiceError::Forbidden)
    }
}

/// Who may take part in an application, and as whom: the applicant's members always; the
/// carrier's operators and the bureau once it is submitted (a draft is the applicant's alone).
pub fn application_party(
    actor: &Actor,
    startup: StartupId,
    carrier: CarrierId,
    draft: bool,
) -> Result<(Party, Permit<'_>)> {
    let party = if actor.belongs_to(startup) {
        Party::Applicant
    } else if actor.operates(carrier) && !draft {
        Party::Operator
    } else if actor.bureau && !draft {
        Party::Supervisor
    } else {
        return Err(ServiceError::Forbidden);
    };
    Ok((party, Permit::grant(actor, Rule::ApplicationParty { startup, carrier, party })))
}

/// Reading a lease: the landlord's operators, the tenant's members and the bureau.
pub fn read_lease(actor: &Actor, carrier: CarrierId, startup: StartupId) -> Result<()> {
    if actor.operates(carrier) || actor.bureau || actor.belongs_to(startup) {
        Ok(())
    } else {
        Err(ServiceError::Forbidden)
    }
}

/// The accounts page: admins see every account; bureau staff the operators they invite.
pub fn list_accounts(actor: &Actor) -> Result<()> {
    if actor.admin || actor.bureau { Ok(()) } else { Err(ServiceError::Forbidden) }
}

/// Changes to the actor's own account.
pub fn own_account(actor: &Actor) -> Permit<'_> {
    Permit::grant(actor, Rule::OwnAccount)
}

/// Reading a startup's own pages as its members and the bureau do.
pub fn read_startup_as_member(actor: &Actor, startup: StartupId) -> Result<()> {
    if actor.bureau || actor.belongs_to(startup) { Ok(()) } else { Err(ServiceError::Forbidden) }
}

/// The carriers a startup deals with: where it applied (beyond a draft) or holds a lease.
pub(crate) async fn carriers_of(db: &impl ConnectionTrait, startup: StartupId) -> Result<Vec<CarrierId>> {
    let mut carriers: Vec<CarrierId> = application::Entity::find()
        .filter(application::Column::StartupId.eq(startup.0))
        // A withdrawn or rejected application ends the carrier's view of the startup.
        .filter(application::Column::State.is_in([
            ApplicationState::Submitted.code(),
            ApplicationState::UnderReview.code(),
            ApplicationState::Admitted.code(),
        ]))
        .all(db)
        .await?
        .into_iter()
        .map(|a| CarrierId(a.carrier_id))
        .collect();
    carriers.extend(landlords(db, startup).await?);
    carriers.sort_unstable();
    carriers.dedup();
    Ok(carriers)
}

/// Carriers that lease (or leased) space to the startup.
async fn landlords(db: &impl ConnectionTrait, startup: StartupId) -> Result<BTreeSet<CarrierId>> {
    Ok(lease::Entity::find()
        .filter(lease::Column::StartupId.eq(startup.0))
        .all(db)
        .await?
        .into_iter()
        .map(|l| CarrierId(l.carrier_id))
        .collect())
}

/// Reading a startup: its members, the bureau, and operators of a carrier it deals with.
pub async fn read_startup(db: &impl ConnectionTrait, actor: &Actor, startup: StartupId) -> Result<()> {
    if read_startup_as_member(actor, startup).is_ok() {
        return Ok(());
    }
    if !actor.carriers.is_empty() && carriers_of(db, startup).await?.iter().any(|c| actor.operates(*c)) {
        return Ok(());
    }
    Err(ServiceError::Forbidden)
}

/// Reading a startup's cap table: its members, the bureau, and operators of a carrier that
/// leases (or leased) to it or holds its equity.
pub async fn read_cap_table(db: &impl ConnectionTrait, actor: &Actor, startup: StartupId) -> Result<()> {
    if read_startup_as_member(actor, startup).is_ok() {
        return Ok(());
    }
    if actor.carriers.is_empty() {
        return Err(ServiceError::Forbidden);
    }
    if landlords(db, startup).await?.iter().any(|c| actor.operates(*c)) {
        return Ok(());
    }
    let holds = equity_holder::Entity::find()
        .filter(equity_holder::Column::StartupId.eq(startup.0))
        .filter(equity_holder::Column::CarrierId.is_in(actor.carriers.iter().map(|c| c.0)))
        .one(db)
        .await?
        .is_some();
    if holds { Ok(()) } else { Err(ServiceError::Forbidden) }
}

/// The carriers `actor` records for on this startup's ledger: those it operates that hold an
/// active lease with the startup (a former landlord still reads, but records no more).
pub async fn recording_carriers(
    db: &impl ConnectionTrait,
    actor: &Actor,
    startup: StartupId,
) -> Result<Vec<CarrierId>> {
    if actor.carriers.is_empty() {
        return Ok(Vec::new());
    }
    let mut carriers: Vec<CarrierId> = lease::Entity::find()
        .filter(lease::Column::StartupId.eq(startup.0))
        .filter(lease::Column::State.eq(domain::tenancy::lease::LeaseState::Active.code()))
        .filter(lease::Column::CarrierId.is_in(actor.carriers.iter().map(|c| c.0)))
        .all(db)
        .await?
        .into_iter()
        .map(|l| CarrierId(l.carrier_id))
        .collect();
    carriers.sort_unstable();
    carriers.dedup();
    Ok(carriers)
}

/// Recording in a startup's equity ledger: for the first carrier the actor operates that leases
/// to the startup now.
pub async fn record_equity<'a>(db: &impl ConnectionTrait, actor: &'a Actor, startup: StartupId) -> Result<Permit<'a>> {
    let carrier = *recording_carriers(db, actor, startup).await?.first().ok_or(ServiceError::Forbidden)?;
    Ok(Permit::grant(actor, Rule::RecordEquity { startup, carrier }))
}

/// Overriding a failing credit code: operators of a carrier the startup deals with, who answer
/// for the record (the bureau reads it).
pub async fn override_code<'a>(db: &impl ConnectionTrait, actor: &'a Actor, startup: StartupId) -> Result<Permit<'a>> {
    if carriers_of(db, startup).await?.iter().any(|c| actor.operates(*c)) {
        Ok(Permit::grant(actor, Rule::OverrideCode { startup }))
    } else {
        Err(ServiceError::Forbidden)
    }
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
        assert!(read_startup_as_member(&member, StartupId(3)).is_ok());
        assert!(matches!(read_startup_as_member(&member, StartupId(4)), Err(ServiceError::Forbidden)));
        assert!(matches!(signed_in(None), Err(ServiceError::Unauthenticated)));
        assert_eq!(act_for_startup(&member, StartupId(3)).unwrap().rule(), Rule::ActForStartup(StartupId(3)));
        assert!(matches!(act_for_startup(&member, StartupId(4)), Err(ServiceError::Forbidden)));
    }

    #[test]
    fn a_permit_names_the_rule_and_the_actor_it_was_granted_to() {
        let operator = Actor { carriers: [CarrierId(1)].into(), ..actor() };
        let permit = operate_carrier(&operator, CarrierId(1)).unwrap();
        assert_eq!(permit.rule(), Rule::OperateCarrier(CarrierId(1)));
        assert_eq!(permit.actor().user, UserId(1));
        let bureau = Actor { bureau: true, ..actor() };
        assert!(
            matches!(operate_carrier(&bureau, CarrierId(1)), Err(ServiceError::Forbidden)),
            "the bureau supervises"
        );
        assert!(matches!(hidden(&bureau), ServiceError::NotFound));
        assert!(matches!(hidden(&operator), ServiceError::Forbidden), "operators cannot probe for ids");
    }

    #[test]
    fn a_permit_covers_only_the_records_its_rule_names() {
        let operator = Actor { carriers: [CarrierId(1), CarrierId(2)].into(), ..actor() };
        let permit = operate_carrier(&operator, CarrierId(1)).unwrap();
        assert!(permit.covers(Some(CarrierId(1)), None, "unit", 9));
        assert!(!permit.covers(Some(CarrierId(2)), None, "unit", 9), "another carrier the actor operates");
        assert!(!permit.covers(None, Some(StartupId(3)), "startup", 3));
        let own = own_account(&operator);
        assert!(own.covers(None, None, "user", 1));
        assert!(!own.covers(None, None, "user", 2), "someone else's account");
        assert!(!own.covers(Some(CarrierId(1)), None, "unit", 1), "own account is no carrier permit");
        let member = Actor { startups: [StartupId(3)].into(), ..actor() };
        let permit = act_for_startup(&member, StartupId(3)).unwrap();
        assert!(permit.covers(None, Some(StartupId(3)), "startup", 3));
        assert!(!permit.covers(None, Some(StartupId(4)), "startup", 4));
    }

    #[test]
    fn an_application_is_the_applicants_alone_until_it_is_submitted() {
        let applicant = Actor { startups: [StartupId(3)].into(), ..actor() };
        let operator = Actor { carriers: [CarrierId(1)].into(), ..actor() };
        let bureau = Actor { bureau: true, ..actor() };
        let party = |a: &Actor, draft| application_party(a, StartupId(3), CarrierId(1), draft).map(|(p, _)| p).ok();
        assert_eq!(party(&applicant, true), Some(Party::Applicant));
        assert_eq!(party(&operator, true), None);
        assert_eq!(party(&bureau, true), None);
        assert_eq!(party(&operator, false), Some(Party::Operator));
        assert_eq!(party(&bureau, false), Some(Party::Supervisor));
    }

    #[test]
    fn account_rules_keep_four_eyes_and_keep_an_admin_from_locking_themselves_out() {
        let admin = Actor { admin: true, ..actor() };
        assert!(matches!(set_account_active(&admin, UserId(1), false), Err(ServiceError::Forbidden)));
        assert!(set_account_active(&admin, UserId(1), true).is_ok());
        assert!(set_account_active(&admin, UserId(2), false).is_ok());
        assert!(matches!(approve_link(&admin, Some(1), Some(5)), Err(ServiceError::Forbidden)), "the issuer");
        assert!(matches!(approve_link(&admin, Some(5), Some(1)), Err(ServiceError::Forbidden)), "the subject");
        assert!(approve_link(&admin, Some(5), Some(6)).is_ok());
        let bureau = Actor { bureau: true, ..actor() };
        assert!(invite(&bureau, Role::Operator).is_ok());
        assert!(matches!(invite(&bureau, Role::Bureau), Err(ServiceError::Forbidden)));
        assert!(invite(&admin, Role::Admin).is_ok());
        assert!(matches!(invite(&actor(), Role::Operator), Err(ServiceError::Forbidden)));
    }
}
