//! Sous: an AI sous-chef kitchens can trust. Data flows one way:
//! `api` -> `plans` (the service) -> `history`, `forecast` -> storage (`entity`, `db`).
pub mod api;
pub mod catalog;
pub mod cli;
pub mod config;
pub mod db;
pub mod demo;
pub mod domain;
pub mod error;
pub mod forecast;
pub mod history;
pub mod ingest;
pub mod plans;
pub mod startup;
pub mod telemetry;
pub mod validation;
