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
            "wrong timezone|time",
            "wrong time zone",
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
            "do not message|text me in the morning|evening",
            "do not message|text me at night",
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
            "what is this|nocontact",
            "what is this|the bot|app",
            "what can|do you do",
            "how does this|it work|works",
            "how does the bot work|works",
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
            "you are a lifesaver",
            "you are the best",
            "you are amazing|great",
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

    /// Every pattern matches one of these: a pattern that matches nothing is dead, usually
    /// phrases written as one slot's alternatives.
    #[test]
    fn every_pattern_has_an_example() {
        const EXAMPLES: &[&str] = &[
            "can i change my timezone",
            "how do i set the time zone",
            "my timezone is wrong",
            "it shows the wrong time",
            "it has the wrong time zone",
            "where are the settings",
            "i am in a different timezone",
            "i moved to berlin, new timezone",
            "please stop the nudges",
            "turn off the notifications",
            "stop sending these",
            "too many reminders",
            "unsubscribe",
            "do not text me in the morning",
            "do not message me at night",
            "are my messages private",
            "privacy?",
            "who can see this",
            "can anyone read this",
            "what happens to my data",
            "do you store this",
            "delete my data",
            "is there a real person",
            "are you a bot",
            "is this a bot",
            "am i talking to a human",
            "an actual person?",
            "what are you",
            "who are you",
            "what is this",
            "what is this bot",
            "what can you do",
            "how does it work",
            "how does the bot work",
            "how do i use this",
            "what should i do here",
            "what are you for",
            "who made this",
            "wrong chat sorry",
            "sent that by mistake",
            "that was not for you",
            "meant to send that to my sister",
            "ignore that",
            "thanks",
            "that helped",
            "you are a lifesaver",
            "you are the best",
            "you are amazing",
            "hey",
            "good evening",
            "how are you",
            "anyone there",
            "are you there",
        ];
        let texts: Vec<Text> = EXAMPLES.iter().map(|e| Text::analyse(e)).collect();
        let dead: Vec<&str> = PHRASES
            .iter()
            .flat_map(|(_, phrases)| phrases.iter().copied())
            .filter(|p| {
                let set = PatternSet::new(&[p]);
                !texts.iter().any(|t| set.first_hit(t).is_some())
            })
            .collect();
        assert_eq!(dead, Vec::<&str>::new());
    }
}
