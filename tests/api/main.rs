//! HTTP integration tests: each test boots the real server on a database of its own.
mod helpers;

mod catalog;
mod health;
mod history;
mod ingest;
mod plans;
