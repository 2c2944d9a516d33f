//! Shared test harness. Each integration test file includes what it needs; not every
//! file uses every helper.
#![allow(dead_code)]

pub mod fake_bot_api;
pub mod test_app;
