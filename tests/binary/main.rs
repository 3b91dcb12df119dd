//! Tests of the `sous` binary as users run it: the real command-line parser, the real
//! `main`, real processes. Each test works in a temporary directory of its own.
mod access;
mod commands;
mod config;
mod serve;
mod support;
