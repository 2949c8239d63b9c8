//! Accounts: signing in, registering, invitations and password resets, one's own account, and
//! the admins' accounts page.

pub mod api;
pub mod auth;
pub mod pages;
