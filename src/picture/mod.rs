//! Pictures the bot sends: the `/progress` calendar, rendered in Rust to PNG.

pub mod calendar;
pub mod canvas;
pub mod font;
