//! The whole integration suite as one test binary: the fake Bot API and the harness are
//! compiled once, not once per file. Each module is one area of the bot.

mod support;

mod buttons;
mod cli;
mod coach_composer;
mod coach_content;
mod coach_crisis;
mod coach_matcher;
mod coach_safety_sets;
mod coach_seeds;
mod coaching;
mod crash;
mod fake_bot_api;
mod nudges;
mod onboarding;
mod privacy;
mod progress;
mod replicas;
mod robustness;
mod store;
mod streaks;
mod telegram;
mod turns;
