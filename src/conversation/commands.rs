//! The command list: parsed here, printed by `/help`, registered with Telegram's menu.

/// A command the user typed.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Command {
    /// Help right now: helplines, grounding, a check-in later.
    Sos,
    Start,
    Help,
    Streak,
    /// `/since <date>`: set or correct the start date.
    Since(String),
    /// `/slip [when]`: "I broke no contact".
    Slip(String),
    History,
    Settings,
    Export,
    Journal,
    Drafts,
    Progress,
    /// `/mood [1-5]`.
    Mood(String),
    /// `/why [reason]`.
    Why(String),
    Delete,
    Cancel,
}

/// A command's name and one-line description, as the menu and `/help` show it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct CommandInfo {
    pub name: &'static str,
    pub description: &'static str,
}

/// Every command, in menu order.
pub const COMMANDS: &[CommandInfo] = &[
    CommandInfo {
        name: "sos",
        description: "help right now: helplines where you are, and a grounding exercise",
    },
    CommandInfo {
        name: "start",
        description: "set up: your last contact, timezone and nudge times",
    },
    CommandInfo {
        name: "streak",
        description: "your no-contact streak, longest streak and next milestone",
    },
    CommandInfo {
        name: "since",
        description: "set or correct the day of your last contact, e.g. /since yesterday",
    },
    CommandInfo {
        name: "slip",
        description: "I broke no contact: log it kindly and start again",
    },
    CommandInfo {
        name: "history",
        description: "your past streaks and slips",
    },
    CommandInfo {
        name: "settings",
        description: "timezone, morning and evening times, pause nudges",
    },
    CommandInfo {
        name: "progress",
        description: "a picture of how far you've come",
    },
    CommandInfo {
        name: "mood",
        description: "how you feel today, 1 to 5",
    },
    CommandInfo {
        name: "why",
        description: "your own reasons for no contact",
    },
    CommandInfo {
        name: "journal",
        description: "your recent reflections",
    },
    CommandInfo {
        name: "drafts",
        description: "what you wrote here instead of sending it",
    },
    CommandInfo {
        name: "export",
        description: "all your data as a JSON file",
    },
    CommandInfo {
        name: "delete",
        description: "delete everything I keep about you",
    },
    CommandInfo {
        name: "cancel",
        description: "stop the current question",
    },
    CommandInfo {
        name: "help",
        description: "what I can do",
    },
];

impl Command {
    /// Parses a command name (without the slash, any case, `@botname` allowed) and its
    /// arguments. `None` for a command this bot does not have.
    pub fn parse(name: &str, args: &str) -> Option<Command> {
        let name = name.split('@').next().unwrap_or_default().to_lowercase();
        let args = args.trim().to_owned();
        Some(match name.as_str() {
            "sos" | "help_now" | "helpline" | "helplines" | "crisis" => Command::Sos,
            "start" => Command::Start,
            "help" => Command::Help,
            "streak" => Command::Streak,
            "since" => Command::Since(args),
            "slip" => Command::Slip(args),
            "history" => Command::History,
            "settings" => Command::Settings,
            "export" => Command::Export,
            "journal" => Command::Journal,
            "drafts" => Command::Drafts,
            "progress" => Command::Progress,
            "mood" => Command::Mood(args),
            "why" => Command::Why(args),
            "delete" => Command::Delete,
            "cancel" | "stop" => Command::Cancel,
            _ => return None,
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_listed_command_parses() {
        for info in COMMANDS {
            assert!(Command::parse(info.name, "").is_some(), "{}", info.name);
            assert!(info.name.len() <= 32 && info.description.len() <= 256);
        }
    }

    #[test]
    fn names_are_case_insensitive_and_may_carry_the_bot_name() {
        assert_eq!(
            Command::parse("STREAK@nocontact_bot", ""),
            Some(Command::Streak)
        );
        assert_eq!(
            Command::parse("since", "  3 days ago "),
            Some(Command::Since("3 days ago".into()))
        );
        assert_eq!(Command::parse("frobnicate", ""), None);
        assert_eq!(Command::parse("SOS", ""), Some(Command::Sos));
        assert_eq!(COMMANDS[0].name, "sos", "help first in the menu");
    }
}
