//! Equity: cap tables, the ledger's events, rounds, and the carriers' and the city's portfolios.

pub mod api;
pub mod pages;
pub mod portfolio;
