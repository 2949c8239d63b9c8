//! Demonstration data: the districts of Linyi (临沂) and a few dozen carriers modelled on the
//! city's real ones. The carriers are made up; the districts and their division codes are real.
//! Seeding is idempotent: what exists already (by code or name) is left alone.
//!
//! Rooms: [`carriers`] (the demonstration carriers as data) and [`city`] (loading them, with
//! accounts, spaces, plans and a tenancy, through the product's own write paths).

mod carriers;
mod city;

pub use city::{DEMO_PASSWORD, Seeded, demo, districts, is_empty};
