//! HTTP integration tests: each test boots the real server on a database of its own.
mod helpers;

#[path = "../support/fake_llm.rs"]
mod fake_llm;

mod access;
mod accuracy;
mod actuals;
mod backtest;
mod body_limit;
mod cache;
mod cache_fast_path;
mod cache_invalidation;
mod cache_jobs;
mod cache_keys;
mod cache_replicas;
mod catalog;
mod contract;
mod fixtures;
mod health;
mod history;
mod idempotency;
mod ingest;
mod ingest_concurrency;
mod llm;
mod llm_answers;
mod llm_edits;
mod llm_endpoint;
mod llm_privacy;
mod llm_requests;
mod llm_staffing;
mod openapi;
mod plan_lifecycle;
mod plans;
mod privacy_guests;
mod privacy_secrets;
mod reports;
mod slow_clients;
mod spending;
mod tokens;
