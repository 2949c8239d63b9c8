//! The audit trail read as sentences: "李强 签订了租约「临沂智云科技 · A座 3F·101 · …」". Each
//! entry names who acted (a person, or the system: demonstration data, reference data), what
//! they did, and to what, in the reader's language.

use crate::Text;
use crate::account::AuditEntry;

/// The kinds of record the trail can be filtered by, in the order the filter lists them.
pub const ENTITIES: [&str; 19] = [
    "carrier",
    "site",
    "building",
    "floor",
    "unit",
    "unit_import",
    "startup",
    "application",
    "lease",
    "tenant",
    "equity_event",
    "annual_return",
    "area_target",
    "criterion",
    "district",
    "user",
    "invitation",
    "membership",
    "request",
];

/// A kind of record, as a noun.
pub fn entity(kind: &str) -> Text {
    Text::key(match kind {
        "carrier" => "audit-entity-carrier",
        "site" => "audit-entity-site",
        "building" => "audit-entity-building",
        "floor" => "audit-entity-floor",
        "unit" => "audit-entity-unit",
        "unit_import" => "audit-entity-unit-import",
        "startup" => "audit-entity-startup",
        "application" => "audit-entity-application",
        "lease" => "audit-entity-lease",
        "tenant" => "audit-entity-tenant",
        "equity_event" => "audit-entity-equity-event",
        "annual_return" => "audit-entity-annual-return",
        "area_target" => "audit-entity-area-target",
        "criterion" => "audit-entity-criterion",
        "district" => "audit-entity-district",
        "user" => "audit-entity-user",
        "invitation" => "audit-entity-invitation",
        "membership" => "audit-entity-membership",
        "request" => "audit-entity-request",
        _ => return Text::plain(kind),
    })
}

/// What an action did, as a verb in the past.
pub fn action(action: &str) -> Text {
    Text::key(match action {
        "create" => "audit-do-create",
        "update" => "audit-do-update",
        "archive" => "audit-do-archive",
        "restore" => "audit-do-restore",
        "update_listing" => "audit-do-update-listing",
        // Units: each dated change.
        "added" => "audit-do-added",
        "resized" => "audit-do-resized",
        "recategorised" => "audit-do-recategorised",
        "edited" => "audit-do-edited",
        "out_of_service" => "audit-do-out-of-service",
        "back_in_service" => "audit-do-back-in-service",
        "removed" => "audit-do-removed",
        "import" => "audit-do-import",
        "import_rejected" => "audit-do-import-rejected",
        // Startups, applications, leases, tenants.
        "register" => "audit-do-register",
        "update_profile" => "audit-do-update-profile",
        "override_credit_code" => "audit-do-override-credit-code",
        "set_year" => "audit-do-set-year",
        "submit" => "audit-do-submit",
        "start_review" => "audit-do-start-review",
        "admit" => "audit-do-admit",
        "reject" => "audit-do-reject",
        "withdraw" => "audit-do-withdraw",
        "attach_document" => "audit-do-attach-document",
        "sign" => "audit-do-sign",
        "renewed" => "audit-do-renewed",
        "ended_early" => "audit-do-ended-early",
        "terminated" => "audit-do-terminated",
        "applicant" => "audit-do-applicant",
        "incubating" => "audit-do-incubating",
        "graduated" => "audit-do-graduated",
        "exited" => "audit-do-exited",
        // Equity.
        "formation" => "audit-do-formation",
        "capital_increase" => "audit-do-capital-increase",
        "transfer" => "audit-do-transfer",
        "reduction" => "audit-do-reduction",
        "reversal" => "audit-do-reversal",
        // The bureau's records.
        "annual_return_filed" => "audit-do-annual-return-filed",
        "annual_return_refiled" => "audit-do-annual-return-refiled",
        "target_added" => "audit-do-target-added",
        "target_changed" => "audit-do-target-changed",
        "target_removed" => "audit-do-target-removed",
        "criterion_added" => "audit-do-criterion-added",
        "criterion_changed" => "audit-do-criterion-changed",
        "criterion_corrected" => "audit-do-criterion-corrected",
        "criterion_removed" => "audit-do-criterion-removed",
        "district_added" => "audit-do-district-added",
        "district_updated" => "audit-do-district-updated",
        // Accounts.
        "create_user" => "audit-do-create-user",
        "activate" => "audit-do-activate",
        "deactivate" => "audit-do-deactivate",
        "grant" => "audit-do-grant",
        "invite" => "audit-do-invite",
        "approve_link" => "audit-do-approve-link",
        "accept_invitation" => "audit-do-accept-invitation",
        "issue_password_reset" => "audit-do-issue-password-reset",
        "reset_password" => "audit-do-reset-password",
        "change_password" => "audit-do-change-password",
        "sign_in" => "audit-do-sign-in",
        "sign_in_failed" => "audit-do-sign-in-failed",
        "sign_out" => "audit-do-sign-out",
        "access_refused" => "audit-do-access-refused",
        _ => return Text::plain(action),
    })
}

/// Who acted: a person by name (or email), or the system, labelled as such.
pub fn actor(email: &str, name: Option<&str>) -> Text {
    match email.strip_prefix("system:") {
        Some("seed") => Text::key("audit-actor-seed"),
        Some("reference") => Text::key("audit-actor-reference"),
        Some(other) => Text::key("audit-actor-system").arg("name", Text::plain(other)),
        None => match name {
            Some(name) if !name.is_empty() => Text::plain(name),
            _ => Text::plain(email),
        },
    }
}

/// Whether the system, not a person, made the change.
pub fn by_system(email: &str) -> bool {
    email.starts_with("system:")
}

/// The entry as a sentence.
pub fn sentence(entry: &AuditEntry) -> Text {
    let subject = entry.subject.clone().unwrap_or_else(|| Text::plain(format!("#{}", entry.entity_id)));
    Text::key("audit-sentence")
        .arg("actor", actor(&entry.actor, entry.actor_name.as_deref()))
        .arg("action", action(&entry.action))
        .arg("entity", entity(&entry.entity_type))
        .arg("subject", subject)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::Lang;
    use crate::text::Keys;

    fn entry(actor: &str, action: &str, entity: &str, subject: Option<Text>) -> AuditEntry {
        AuditEntry {
            id: 1,
            at: chrono::Utc::now(),
            actor: actor.into(),
            actor_name: Some("李强".into()),
            action: action.into(),
            entity_type: entity.into(),
            entity_id: 7,
            carrier: None,
            before: None,
            after: None,
            subject,
        }
    }

    #[test]
    fn an_entry_reads_who_did_what_to_which_record() {
        let signed = entry("li@ly.cn", "sign", "lease", Some(Text::plain("临沂智云科技 · A座 3F·101")));
        assert_eq!(
            sentence(&signed).render(&Keys(Lang::Zh)),
            "audit-sentence(actor=李强,action=audit-do-sign,entity=audit-entity-lease,subject=临沂智云科技 · A座 3F·101)"
        );
    }

    #[test]
    fn the_system_is_named_as_such_and_unknown_codes_still_read() {
        let seeded = entry("system:seed", "create", "carrier", None);
        assert_eq!(
            sentence(&seeded).render(&Keys(Lang::Zh)),
            "audit-sentence(actor=audit-actor-seed,action=audit-do-create,entity=audit-entity-carrier,subject=#7)"
        );
        assert!(by_system("system:reference") && !by_system("li@ly.cn"));
        assert_eq!(action("teleport").render(&Keys(Lang::Zh)), "teleport");
        assert_eq!(entity("spaceship").render(&Keys(Lang::Zh)), "spaceship");
    }
}
