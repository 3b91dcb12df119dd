//! Sous: an AI sous-chef kitchens can trust. Data flows one way:
//! `api` -> `plans` (the service) -> `history`, `forecast`, `llm`, `validate` -> storage (`entity`, `db`).
pub mod api;
pub mod auth;
pub mod backtest;
pub mod cache;
pub mod catalog;
pub mod cli;
pub mod config;
pub mod connections;
pub mod db;
pub mod demo;
pub mod domain;
pub mod error;
pub mod forecast;
pub mod history;
pub mod ingest;
pub mod jobs;
pub mod llm;
pub mod plans;
pub mod prompt;
pub mod redact;
pub mod reports;
pub mod startup;
pub mod telemetry;
pub mod validate;
pub mod validation;
pub mod work;
