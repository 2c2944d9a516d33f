//! Messages about the bot itself ("hi", "thanks", "are you a real person", "is this
//! private", "how do I change my timezone"): situation `other`, answered for what they are
//! and never with coaching about an ex the message does not mention.

use std::sync::LazyLock;

use super::pattern::PatternSet;
use super::text::Text;

/// What a message about the bot asks.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Meta {
    /// How do I change my timezone, morning or evening time.
    Settings,
    /// Stop or pause the messages.
    Nudges,
    /// Is this private, who reads it, my data.
    Privacy,
    /// Is a real person answering.
    Human,
    /// What is this, what can it do.
    About,
    /// Wrong chat, sent by mistake.
    WrongChat,
    Thanks,
    Greeting,
}

impl Meta {
    pub fn id(self) -> &'static str {
        match self {
            Meta::Settings => "settings",
            Meta::Nudges => "nudges",
            Meta::Privacy => "privacy",
            Meta::Human => "human",
            Meta::About => "about",
            Meta::WrongChat => "wrong_chat",
            Meta::Thanks => "thanks",
            Meta::Greeting => "greeting",
        }
    }
}

/// Phrases of each kind, most specific first (the first kind that matches wins).
const PHRASES: &[(Meta, &[&str])] = &[
    (
        Meta::Settings,
        &[
            "change|set|update|fix|edit|correct|switch my|the timezone|zone|morning|evening|time|times|settings|country",
            "change|set|update|fix|edit|correct|switch my|the time zone",
            "timezone is wrong|off|incorrect",
            "wrong timezone|time zone|time",
            "where|how .. settings",
            "different time|timezone",
            "moved to|travelling|traveling .. timezone|time",
        ],
    ),
    (
        Meta::Nudges,
        &[
            "stop|pause|mute|disable|fewer|less .. nudges|messages|notifications|reminders|texts|pings|those",
            "turn off .. nudges|messages|notifications|reminders",
            "stop sending|messaging|texting|pinging",
            "too many messages|notifications|nudges|reminders",
            "unsubscribe",
            "do not message|text me in the morning|at night",
        ],
    ),
    (
        Meta::Privacy,
        &[
            "is|are this|it|these|my|the chat|chats|messages|data? private|confidential|anonymous|encrypted|secure|safe",
            "privacy",
            "who can|could|will see|read this|these|my",
            "can anyone|someone|somebody|people|you read|see this|these|my",
            "what happens to my data|information|messages",
            "do you store|save|keep|share|sell",
            "delete my data|account|everything",
        ],
    ),
    (
        Meta::Human,
        &[
            "real person|human|people|guy|woman|man",
            "are you a|an bot|robot|ai|human|person|therapist|chatgpt|machine",
            "is this a bot|robot|ai|human|person",
            "am i talking|speaking|chatting to|with",
            "actual person|human|people",
        ],
    ),
    (
        Meta::About,
        &[
            "what are you",
            "who are you",
            "what is this|nocontact|no contact bot|bot|app",
            "what can|do you do",
            "how does this|it|the bot work|works",
            "how do i use",
            "what should i do here",
            "what are you for",
            "who made|built|created you|this",
        ],
    ),
    (
        Meta::WrongChat,
        &[
            "wrong chat|person|number|window|conversation|account|bot",
            "sent|send|sending .. by mistake|accident",
            "not for you",
            "meant to send|text",
            "ignore that|this|me",
        ],
    ),
    (
        Meta::Thanks,
        &[
            "thanks|thank|thx|ty|cheers|grateful|appreciate|thnx|tnx|tq",
            "that|this helped|helps",
            "you are|u are a lifesaver|the best|amazing|great",
        ],
    ),
    (
        Meta::Greeting,
        &[
            "hi|hello|hey|heya|hiya|yo|sup|howdy|hallo|hola|namaste|salut|ciao|hellooo|helo|hai|morning|evening|greetings",
            "good morning|afternoon|evening|night",
            "how are you",
            "anyone there|here",
            "are you there|awake|up",
        ],
    ),
];

static SETS: LazyLock<Vec<(Meta, PatternSet)>> = LazyLock::new(|| {
    PHRASES
        .iter()
        .map(|(meta, phrases)| (*meta, PatternSet::new(phrases)))
        .collect()
});

/// What a message says about the bot, if anything.
pub(crate) fn read(t: &Text) -> Option<Meta> {
    SETS.iter()
        .find(|(_, set)| set.first_hit(t).is_some())
        .map(|(meta, _)| *meta)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn meta(s: &str) -> Option<Meta> {
        read(&Text::analyse(s))
    }

    #[test]
    fn messages_about_the_bot() {
        assert_eq!(meta("hi"), Some(Meta::Greeting));
        assert_eq!(meta("good morning!"), Some(Meta::Greeting));
        assert_eq!(meta("thank you so much"), Some(Meta::Thanks));
        assert_eq!(meta("are you a real person?"), Some(Meta::Human));
        assert_eq!(meta("is this private"), Some(Meta::Privacy));
        assert_eq!(meta("who can read this?"), Some(Meta::Privacy));
        assert_eq!(meta("how do i change my timezone"), Some(Meta::Settings));
        assert_eq!(
            meta("can you stop the morning messages"),
            Some(Meta::Nudges)
        );
        assert_eq!(meta("oops wrong chat"), Some(Meta::WrongChat));
        assert_eq!(meta("what are you"), Some(Meta::About));
        assert_eq!(meta("the weather is nice"), None);
    }
}
