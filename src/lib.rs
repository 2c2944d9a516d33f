//! nocontact: a Telegram bot that helps a person keep the no contact rule after a breakup.
//!
//! Layers, from the inside out: [`domain`] (pure rules), [`coach`] (guidance),
//! [`conversation`] (the transport-agnostic engine), [`store`] and [`scheduler`]
//! (persistence and due work), and the adapters: [`console`] (and Telegram).

pub mod app;
pub mod coach;
pub mod config;
pub mod console;
pub mod conversation;
pub mod domain;
pub mod metrics;
pub mod picture;
pub mod scheduler;
pub mod secrets;
pub mod store;
pub mod telegram;
pub mod telemetry;
