//! Accounts: passwords, sign-in with throttling, self-registration of startups, invitations of
//! staff, password resets, and the account administration.
//!
//! Rooms: [`sign_in`] (throttled sign-in, sessions' actor, sign-out), [`registration`]
//! (startups registering themselves), [`links`] (invitations, approvals and password resets by
//! one-time link) and [`admin`] (the account list, passwords, the command line).

mod admin;
mod links;
mod registration;
mod sign_in;

pub(crate) use admin::grant_operator;
pub use admin::{change_password, create_from_cli, list, reset_link_from_cli, set_active};
pub use links::{
    InvitationDetails, accept_invitation, approve_link, invitation_details, invite, issue_password_reset,
    password_reset_email, pending_approvals, reset_password,
};
pub use registration::register_startup;
pub(crate) use registration::register_startup_unthrottled;
pub(crate) use registration::taken_on_unique_violation;
pub use sign_in::{
    ACCOUNT_FAILURES, CLIENT_FAILURES, CLIENT_REGISTRATIONS, THROTTLE_WINDOW_MINUTES, load_actor, me,
    prune_login_attempts, record_refusal, record_sign_out, sign_in,
};
