//! Accounts, roles and the password policy.

use crate::validation::{self, FieldErrors, Problem};
use crate::{CarrierId, StartupId, UserId};
use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};

coded_enum! {
    /// What an account may do, and where.
    pub enum Role {
        /// Accounts and roles; no business data.
        Admin = "admin",
        /// City staff: read everything, manage the registry.
        Bureau = "bureau",
        /// Staff of one carrier.
        Operator = "operator",
        /// A member of one startup.
        Startup = "startup",
    }
}

/// One role of an account, with the carrier or startup it applies to.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Serialize, Deserialize)]
pub enum Membership {
    Admin,
    Bureau,
    Operator { carrier: CarrierId, carrier_name: String },
    Startup { startup: StartupId, startup_name: String },
}

impl Membership {
    pub fn role(&self) -> Role {
        match self {
            Membership::Admin => Role::Admin,
            Membership::Bureau => Role::Bureau,
            Membership::Operator { .. } => Role::Operator,
            Membership::Startup { .. } => Role::Startup,
        }
    }
}

/// The signed-in user, as the UI needs to know them.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Me {
    pub id: UserId,
    pub email: String,
    pub display_name: String,
    pub memberships: Vec<Membership>,
}

impl Me {
    pub fn has(&self, role: Role) -> bool {
        self.memberships.iter().any(|m| m.role() == role)
    }

    /// The carriers this user operates.
    pub fn carriers(&self) -> impl Iterator<Item = (CarrierId, &str)> {
        self.memberships.iter().filter_map(|m| match m {
            Membership::Operator { carrier, carrier_name } => Some((*carrier, carrier_name.as_str())),
            _ => None,
        })
    }

    /// The startups this user belongs to.
    pub fn startups(&self) -> impl Iterator<Item = (StartupId, &str)> {
        self.memberships.iter().filter_map(|m| match m {
            Membership::Startup { startup, startup_name } => Some((*startup, startup_name.as_str())),
            _ => None,
        })
    }
}

/// The shortest password accepted. NIST SP 800-63B asks for at least 8 characters and
/// recommends 15 for a password that is the only factor; 12 is our compromise for staff who
/// type Chinese and Latin input alike, backed by the blocklist and login throttling.
pub const PASSWORD_MIN: u32 = 12;
/// Long passphrases are welcome; the cap only bounds the hashing work.
pub const PASSWORD_MAX: u32 = 128;

/// Passwords that attackers try first. Compared case-insensitively after removing spaces, with
/// every password of the length we accept that appears in the public top-10,000 lists we know
/// of, plus patterns of keyboard walks and repeats.
const COMMON_PASSWORDS: &[&str] = &[
    "123456789012",
    "1234567890123",
    "12345678901234",
    "123456789123",
    "1234567891011",
    "098765432109",
    "111111111111",
    "000000000000",
    "123123123123",
    "121212121212",
    "password1234",
    "password12345",
    "passwordpassword",
    "password123456",
    "p@ssw0rd1234",
    "qwertyuiop12",
    "qwertyuiopasdf",
    "qwertyuiopasdfgh",
    "1qaz2wsx3edc",
    "1q2w3e4r5t6y",
    "qwerty123456",
    "qwertyqwerty",
    "asdfghjkl123",
    "zxcvbnm12345",
    "abcdefghijkl",
    "abc123abc123",
    "abcd12345678",
    "aaaaaaaaaaaa",
    "iloveyou1234",
    "welcome12345",
    "letmein12345",
    "administrator",
    "admin1234567",
    "adminadmin12",
    "changeme1234",
    "woaini1314520",
    "woaini123456",
    "5201314520131",
    "1314520131452",
    "wodemima1234",
    "zhang123456789",
    "wang123456789",
    "88888888888888",
    "666666666666",
    "147258369123",
    "iloveyouiloveyou",
    "football1234",
    "baseball1234",
    "sunshine1234",
    "princess1234",
    "dragon123456",
    "monkey123456",
    "shadow123456",
    "master123456",
    "superman1234",
    "trustno1trustno1",
    "computer1234",
    "internet1234",
    "starwars1234",
    "whatever1234",
];

/// Checks a new password against the policy: length (counted in characters), the blocklist, and
/// the user's own details (email, name), which attackers guess first. No composition rules.
pub fn check_password(password: &str, personal: &[&str]) -> Result<(), Problem> {
    let length = u32::try_from(password.chars().count()).unwrap_or(u32::MAX);
    if length == 0 {
        return Err(Problem::Required);
    }
    if length < PASSWORD_MIN {
        return Err(Problem::TooShort { min: PASSWORD_MIN });
    }
    if length > PASSWORD_MAX {
        return Err(Problem::TooLong { max: PASSWORD_MAX });
    }
    let normalised: String = password.chars().filter(|c| !c.is_whitespace()).flat_map(char::to_lowercase).collect();
    let distinct = {
        let mut chars: Vec<char> = normalised.chars().collect();
        chars.sort_unstable();
        chars.dedup();
        chars.len()
    };
    if distinct < 4 || COMMON_PASSWORDS.contains(&normalised.as_str()) || is_sequence(&normalised) {
        return Err(Problem::PasswordCommon);
    }
    for detail in personal {
        let detail = detail.trim().to_lowercase();
        let local = detail.split('@').next().unwrap_or_default();
        if (local.chars().count() >= 4 && normalised.contains(local)) || (!detail.is_empty() && normalised == detail) {
            return Err(Problem::PasswordPersonal);
        }
    }
    Ok(())
}

/// `abcdefghijkl`, `987654321098`: runs of consecutive characters.
fn is_sequence(text: &str) -> bool {
    let codes: Vec<u32> = text.chars().map(u32::from).collect();
    let steps: Vec<i64> = codes.windows(2).map(|w| i64::from(w[1]) - i64::from(w[0])).collect();
    let ascending = steps.iter().filter(|s| **s == 1 || **s == -9).count();
    let descending = steps.iter().filter(|s| **s == -1 || **s == 9).count();
    !steps.is_empty() && (ascending == steps.len() || descending == steps.len())
}

/// An email address as an account name: trimmed and lower-cased.
pub fn account_email(raw: &str) -> Result<String, Problem> {
    validation::email(raw).map(|email| email.to_lowercase())
}

/// Field names shared by the account forms.
pub mod field {
    pub const EMAIL: &str = "email";
    pub const PASSWORD: &str = "password";
    pub const NEW_PASSWORD: &str = "new_password";
    pub const CONFIRM: &str = "confirm";
    pub const DISPLAY_NAME: &str = "display_name";
    pub const STARTUP_NAME: &str = "startup_name";
    pub const ROLE: &str = "role";
    pub const CARRIER: &str = "carrier_id";
    pub const CURRENT_PASSWORD: &str = "current_password";
}

/// A new password typed twice.
pub fn new_password(password: &str, confirm: &str, personal: &[&str]) -> FieldErrors {
    let mut errors = FieldErrors::new();
    if let Err(problem) = check_password(password, personal) {
        errors.add(field::NEW_PASSWORD, problem);
    } else if password != confirm {
        errors.add(field::CONFIRM, Problem::PasswordMismatch);
    }
    errors
}

/// Self-registration of a startup and its first member.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
pub struct RegistrationForm {
    pub startup_name: String,
    pub display_name: String,
    pub email: String,
    pub new_password: String,
    pub confirm: String,
}

/// A checked registration.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Registration {
    pub startup_name: String,
    pub display_name: String,
    pub email: String,
    pub password: String,
}

impl RegistrationForm {
    pub fn parse(&self) -> Result<Registration, FieldErrors> {
        let mut errors = FieldErrors::new();
        let startup_name = errors.check(field::STARTUP_NAME, validation::text(&self.startup_name, 2, 100));
        let display_name = errors.check(field::DISPLAY_NAME, validation::text(&self.display_name, 1, 50));
        let email = errors.check(field::EMAIL, account_email(&self.email));
        let personal = [self.email.as_str(), self.display_name.as_str(), self.startup_name.as_str()];
        for error in new_password(&self.new_password, &self.confirm, &personal).iter() {
            errors.add(&error.field, error.problem.clone());
        }
        match (startup_name, display_name, email) {
            (Some(startup_name), Some(display_name), Some(email)) if errors.is_empty() => {
                Ok(Registration { startup_name, display_name, email, password: self.new_password.clone() })
            }
            _ => Err(errors),
        }
    }

    /// The form without its passwords, safe to send back to the browser with its errors.
    pub fn without_secrets(&self) -> Self {
        RegistrationForm { new_password: String::new(), confirm: String::new(), ..self.clone() }
    }
}

/// An invitation to join as staff.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
pub struct InvitationForm {
    pub email: String,
    pub role: String,
    pub carrier_id: String,
}

/// A checked invitation: the role and where it applies.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Invitation {
    pub email: String,
    pub role: Role,
    pub carrier: Option<CarrierId>,
}

impl InvitationForm {
    pub fn parse(&self) -> Result<Invitation, FieldErrors> {
        let mut errors = FieldErrors::new();
        let email = errors.check(field::EMAIL, account_email(&self.email));
        let role = errors.check(field::ROLE, validation::choice(&self.role, Role::from_code));
        let carrier = match role {
            Some(Role::Operator) => errors.check(
                field::CARRIER,
                if self.carrier_id.trim().is_empty() {
                    Err(Problem::Required)
                } else {
                    self.carrier_id.parse().map(Some).map_err(|_| Problem::NotAChoice)
                },
            ),
            // Startups register themselves; they are not invited.
            Some(Role::Startup) => {
                errors.add(field::ROLE, Problem::NotAChoice);
                None
            }
            _ => Some(None),
        };
        match (email, role, carrier) {
            (Some(email), Some(role), Some(carrier)) if errors.is_empty() => Ok(Invitation { email, role, carrier }),
            _ => Err(errors),
        }
    }
}

/// One entry of the audit trail, as the UI lists it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct AuditEntry {
    pub id: i64,
    pub at: DateTime<Utc>,
    pub actor: String,
    pub action: String,
    pub entity_type: String,
    pub entity_id: i64,
    pub carrier: Option<CarrierId>,
    /// JSON of the record before and after the change; `None` where it did not exist.
    pub before: Option<String>,
    pub after: Option<String>,
    /// The actor's name, where the actor is an account.
    #[serde(default)]
    pub actor_name: Option<String>,
    /// The record as people name it (a carrier's name, a unit's `A座 3F·304`, a lease's tenant,
    /// units and dates), where it still exists.
    #[serde(default)]
    pub subject: Option<crate::Text>,
}

/// The filters of the audit trail, read from the URL.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
pub struct AuditQuery {
    pub entity_type: Option<String>,
    pub action: Option<String>,
    pub carrier: Option<CarrierId>,
    pub actor: Option<String>,
    pub from: Option<chrono::NaiveDate>,
    pub to: Option<chrono::NaiveDate>,
    pub page: u32,
}

impl Default for AuditQuery {
    fn default() -> Self {
        AuditQuery { entity_type: None, action: None, carrier: None, actor: None, from: None, to: None, page: 1 }
    }
}

impl AuditQuery {
    pub const PAGE_SIZE: u32 = 50;
    /// The most entries one filter lists (two hundred pages), newest first: counting or skipping
    /// further would cost every page a scan of the city's whole trail. Older entries are reached
    /// by narrowing the dates, the action or the account.
    pub const LISTED: u64 = 10_000;

    pub fn from_pairs<'a>(pairs: impl IntoIterator<Item = (&'a str, &'a str)>) -> Self {
        let mut query = AuditQuery::default();
        let text = |v: &str| Some(v.trim().chars().take(100).collect::<String>()).filter(|s| !s.is_empty());
        for (key, value) in pairs {
            match key {
                "entity" => query.entity_type = text(value),
                "action" => query.action = text(value),
                "carrier" => query.carrier = value.parse().ok(),
                "actor" => query.actor = text(value),
                "from" => query.from = crate::time::parse_date(value).ok(),
                "to" => query.to = crate::time::parse_date(value).ok(),
                "page" => query.page = value.parse().ok().filter(|p| *p >= 1).unwrap_or(1),
                _ => {}
            }
        }
        query
    }

    pub fn to_pairs(&self) -> Vec<(&'static str, String)> {
        let mut pairs = Vec::new();
        if let Some(v) = &self.entity_type {
            pairs.push(("entity", v.clone()));
        }
        if let Some(v) = &self.action {
            pairs.push(("action", v.clone()));
        }
        if let Some(v) = self.carrier {
            pairs.push(("carrier", v.to_string()));
        }
        if let Some(v) = &self.actor {
            pairs.push(("actor", v.clone()));
        }
        if let Some(v) = self.from {
            pairs.push(("from", v.format("%Y-%m-%d").to_string()));
        }
        if let Some(v) = self.to {
            pairs.push(("to", v.format("%Y-%m-%d").to_string()));
        }
        if self.page > 1 {
            pairs.push(("page", self.page.to_string()));
        }
        pairs
    }
}

/// An account as the accounts page lists it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct AccountRow {
    pub id: UserId,
    pub email: String,
    pub display_name: String,
    pub active: bool,
    pub memberships: Vec<Membership>,
    /// False for an invited account that has not set its password yet.
    pub has_password: bool,
}

/// A one-time link, shown once to the person who created it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct OneTimeLink {
    /// The path with the token, e.g. `/invite/…`; the UI prefixes the site's origin.
    pub path: String,
    pub expires_at: DateTime<Utc>,
    /// The link grants its issuer a role, or reaches an account with rights the issuer lacks: it
    /// works only once a second admin has approved it.
    pub needs_approval: bool,
}

/// What a link that waits for a second admin is for.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub enum ApprovalSubject {
    /// An invitation to `email` as `role` (of `carrier_name`).
    Invitation { email: String, role: Role, carrier_name: Option<String> },
    /// A password reset for the account `email`, which holds `memberships`.
    Reset { email: String, memberships: Vec<Membership> },
}

/// A one-time link waiting for a second admin's approval, as the accounts page lists it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct PendingApproval {
    pub id: i64,
    pub subject: ApprovalSubject,
    /// The account that issued the link.
    pub requested_by: String,
    pub created_at: DateTime<Utc>,
    pub expires_at: DateTime<Utc>,
    /// The reader issued it, and so may not approve it.
    pub own: bool,
}

/// What an invitation offers, for the page that accepts it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct InvitationSummary {
    pub email: String,
    pub role: Role,
    pub carrier_name: Option<String>,
    /// The email has an account already: accepting adds the role to it.
    pub existing_account: bool,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn passwords_need_twelve_characters_counted_as_characters() {
        assert_eq!(check_password("short pass", &[]), Err(Problem::TooShort { min: 12 }));
        assert_eq!(check_password("沂蒙山下好风光红嫂故里", &[]), Err(Problem::TooShort { min: 12 }));
        assert_eq!(check_password("沂蒙山下好风光红嫂故里情深", &[]), Ok(()));
        assert_eq!(check_password(&"x1".repeat(65), &[]), Err(Problem::TooLong { max: 128 }));
        assert_eq!(check_password("", &[]), Err(Problem::Required));
    }

    #[test]
    fn common_and_patterned_passwords_are_refused_without_composition_rules() {
        for common in [
            "password1234",
            "Password 1234",
            "123456789012",
            "aaaaaaaaaaaaaa",
            "abababababab",
            "abcdefghijklm",
            "9876543210987",
        ] {
            assert_eq!(check_password(common, &[]), Err(Problem::PasswordCommon), "{common}");
        }
        // A long passphrase of lower-case words is fine: no "must contain a digit" rules.
        assert_eq!(check_password("correct horse battery staple", &[]), Ok(()));
    }

    #[test]
    fn a_password_made_of_the_users_own_details_is_refused() {
        assert_eq!(check_password("wangmin2024lanshan", &["wangmin@lyfh.cn"]), Err(Problem::PasswordPersonal));
        assert_eq!(check_password("rivers and mountains", &["wangmin@lyfh.cn", "王敏"]), Ok(()));
    }

    #[test]
    fn a_new_password_must_be_typed_the_same_twice() {
        let errors = new_password("rivers and mountains", "rivers and mountain", &[]);
        assert_eq!(errors.for_field(field::CONFIRM).next(), Some(&Problem::PasswordMismatch));
        assert!(new_password("rivers and mountains", "rivers and mountains", &[]).is_empty());
    }

    #[test]
    fn staff_invitations_name_a_carrier_for_operators_and_never_invite_startups() {
        let operator = InvitationForm { email: "Ops@LYFH.cn".into(), role: "operator".into(), carrier_id: "7".into() };
        assert_eq!(
            operator.parse(),
            Ok(Invitation { email: "ops@lyfh.cn".into(), role: Role::Operator, carrier: Some(CarrierId(7)) })
        );
        let missing = InvitationForm { carrier_id: String::new(), ..operator.clone() };
        assert_eq!(missing.parse().unwrap_err().for_field(field::CARRIER).next(), Some(&Problem::Required));
        let startup = InvitationForm { role: "startup".into(), ..operator };
        assert_eq!(startup.parse().unwrap_err().for_field(field::ROLE).next(), Some(&Problem::NotAChoice));
    }

    #[test]
    fn a_registration_sent_back_carries_no_password() {
        let form = RegistrationForm {
            startup_name: "沂蒙智造".into(),
            display_name: "王敏".into(),
            email: "wm@ymzz.cn".into(),
            new_password: "rivers and mountains".into(),
            confirm: "rivers and mountains".into(),
        };
        assert!(form.parse().is_ok());
        let echoed = form.without_secrets();
        assert!(echoed.new_password.is_empty() && echoed.confirm.is_empty());
    }
}
