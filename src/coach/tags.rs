//! Conditions read from a message beside its situation ("they want to meet", "I've been
//! drinking", "it's my own birthday"). A reply variant in the content pack may say which
//! conditions it needs; the composer only picks variants whose conditions the message meets.

use std::fmt;
use std::sync::LazyLock;

use super::pattern::PatternSet;
use super::rules::{Actor, Contact, Mode};
use super::text::Text;

/// A condition of a message.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Tag {
    /// They have been drinking or are high.
    Drinking,
    /// It is late at night (in the words, or on the user's clock).
    Night,
    /// The contact already happened.
    Happened,
    /// The contact is wished for or about to happen, not done.
    AboutTo,
    /// The ex wants to meet or see them.
    WantsMeet,
    /// The user is about to act this minute: the message typed, a thumb on send, keys in
    /// hand.
    Urgent,
    /// They already slept together (not only talked).
    Slept,
    /// The ex said sorry.
    Apologised,
    /// The ex said they miss the user or love them.
    MissesMe,
    /// The ex only said hello, asked how they are.
    SaidHello,
    /// It is the user's own birthday.
    OwnBirthday,
    /// It is the ex's birthday.
    TheirBirthday,
    /// The user blocked the ex (or was blocked).
    Blocked,
    /// Children or co-parenting are involved.
    Kids,
    /// The ex is with someone new.
    NewPartner,
    /// The ex's family or friends are in it: they wrote, passed news on, or the user
    /// misses them.
    TheirPeople,
    /// The user shares progress: proud of themselves, a good day, a milestone reached.
    Proud,
    /// An anniversary, or a date that would have been one.
    Anniversary,
    /// A holiday named by its name (Christmas, Diwali, Valentine's...).
    Holiday,
    /// A home shared or being left: a lease, rent, moving out, still living together.
    Home,
    /// A pet of both.
    Pet,
    /// Money owed, shared accounts, bills.
    Money,
    /// The user shows a message they wrote and asks what it's worth ("how does this
    /// sound", "is this ok to send").
    Draft,
    /// The user set a boundary ("I told him I need space") and the ex keeps contacting them.
    Boundary,
    /// The user answered a message of the ex's ("I replied and we talked for hours").
    Replied,
    /// What to tell the people around them ("what do I tell my parents", "how do I explain
    /// it at work").
    Telling,
    /// When the pain eases, rather than when no contact ends ("when does it stop hurting",
    /// "how long to get over someone").
    Healing,
    /// The message asks a question (rather than telling).
    Question,
}

impl Tag {
    pub const ALL: [Tag; 28] = [
        Tag::Drinking,
        Tag::Night,
        Tag::Happened,
        Tag::AboutTo,
        Tag::Urgent,
        Tag::Slept,
        Tag::WantsMeet,
        Tag::Apologised,
        Tag::MissesMe,
        Tag::SaidHello,
        Tag::OwnBirthday,
        Tag::TheirBirthday,
        Tag::Blocked,
        Tag::Kids,
        Tag::NewPartner,
        Tag::TheirPeople,
        Tag::Proud,
        Tag::Anniversary,
        Tag::Holiday,
        Tag::Home,
        Tag::Pet,
        Tag::Money,
        Tag::Draft,
        Tag::Boundary,
        Tag::Replied,
        Tag::Telling,
        Tag::Healing,
        Tag::Question,
    ];

    /// The id used in the content pack's `when = [...]`.
    pub fn id(self) -> &'static str {
        match self {
            Tag::Drinking => "drinking",
            Tag::Night => "night",
            Tag::Happened => "happened",
            Tag::AboutTo => "about_to",
            Tag::Urgent => "urgent",
            Tag::Slept => "slept",
            Tag::WantsMeet => "wants_meet",
            Tag::Apologised => "apologised",
            Tag::MissesMe => "misses_me",
            Tag::SaidHello => "said_hello",
            Tag::OwnBirthday => "own_birthday",
            Tag::TheirBirthday => "their_birthday",
            Tag::Blocked => "blocked",
            Tag::Kids => "kids",
            Tag::NewPartner => "new_partner",
            Tag::TheirPeople => "their_people",
            Tag::Proud => "proud",
            Tag::Anniversary => "anniversary",
            Tag::Holiday => "holiday",
            Tag::Home => "home",
            Tag::Pet => "pet",
            Tag::Money => "money",
            Tag::Draft => "draft",
            Tag::Boundary => "boundary",
            Tag::Replied => "replied",
            Tag::Telling => "telling",
            Tag::Healing => "healing",
            Tag::Question => "question",
        }
    }

    pub fn from_id(id: &str) -> Option<Tag> {
        Tag::ALL.iter().copied().find(|t| t.id() == id)
    }
}

impl fmt::Display for Tag {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.id())
    }
}

/// Phrases of each word-read condition (the pattern language of [`super::pattern`]).
const PHRASES: &[(Tag, &[&str])] = &[
    (
        Tag::Drinking,
        &[
            "drunk|tipsy|wasted|hammered|buzzed|smashed|plastered|sloshed|pissed|high|stoned|faded|lit -off|at|with|about|school|up|five|key|light|lights|point|points|hopes|standards",
            "been|am|was|started drinking",
            "had|downed a? few|couple|some|several drinks|beers|shots|glasses|wines|pints|pegs",
            "had|downed too many drinks|beers|shots|glasses|wines|pints|pegs",
            "drinks|beers|shots|wine|vodka|whiskey|tequila|pints|booze|alcohol -free",
            "after a|the? party|club|bar -with",
            "drunk text|texting|dial|dialing|call|calling",
        ],
    ),
    (
        Tag::Night,
        &[
            "1|2|3|4|5|one|two|three|four am|a.m.",
            "1am|2am|3am|4am|5am|midnight",
            "middle of the night",
            "can|could not sleep",
            "lying|laying awake|in bed",
            "late at night",
            "tonight -is|was",
            "awake all night",
        ],
    ),
    (
        Tag::WantsMeet,
        &[
            "wants|wanted|asked|asking|asks|wanna|want to meet|see|catch|grab|hang|talk|come|get|link",
            "meet up|for",
            "grab|get|have a|some? coffee|drink|drinks|lunch|dinner|food",
            "catch up",
            "friends with benefits",
            "booty call",
            "keep|stay sleeping|hooking together|up",
            "keep it|things casual",
            "wants|wanted|asked|asking|asks to? sleep|hook|hookup",
            "asked|asking|asks|invited|inviting|invites me out|over",
            "come|coming|came over|round",
            "let us meet|talk|see|hang",
            "lets meet|talk|see|hang",
            "can we meet|talk|see|hang",
            "in person",
        ],
    ),
    (
        Tag::Apologised,
        &[
            "said|says|saying|texted|wrote|sent|messaged he|she|they|ex? is|was|are|were? sorry",
            "apologised|apologized|apologising|apologizing|apologises|apologizes|apology|apologies",
            "he|she|they|ex said|says|wrote|texted sorry",
            "said|says|saying|texted|wrote|sent .. sorry",
            "i am sorry for|about",
        ],
    ),
    (
        Tag::MissesMe,
        &[
            "he|she|they|ex misses|missed|miss me",
            "said|says|saying|texted|wrote|sent|told .. misses|miss|missed me|us",
            "said|says|saying|texted|wrote|sent|told .. loves|love me",
            "i miss you",
            "i still love you",
            "said|says|saying .. think|thinks|thinking about|of me",
            "told|tells me .. think|thinks|thinking about|of me",
            "misses|missing me",
            "still loves me",
        ],
    ),
    (
        Tag::SaidHello,
        &[
            "said|says|sent|texted|wrote|messaged hi|hey|hello|heyy|heyyy|hii|yo|hiya|sup",
            "just|only|literally hi|hey|hello|heyy|sup|yo",
            "how are you|u",
            "how is it going",
            "how have you been",
            "asked|asking|asks how i am|was|have|doing",
            "checking|checked in",
            "check on me",
            "hope you are|u well|good|ok|okay",
            "happy birthday",
            "wished me",
        ],
    ),
    (
        Tag::OwnBirthday,
        &[
            "my birthday|bday|b-day -party",
            "my own birthday",
            "i turn|turned",
            "i am turning",
            "my 18|20|21|25|30|40|50 th|st",
        ],
    ),
    (
        Tag::TheirBirthday,
        &[
            "his|her|their|ex birthday|bday",
            "birthday is|was tomorrow|today|coming",
            "wish|wishing him|her|them a? happy birthday",
            "he|she|they turn|turns|turned",
            "he|she|they is|are turning",
        ],
    ),
    (
        Tag::Urgent,
        &[
            "typing|drafting|writing a|the? message|text|it|dm|email right? now",
            "typed|drafted|wrote the|a message|text|dm -and|then",
            "thumb|finger|thumbs is|are? on|over|hovering over? the? send",
            "send button",
            "hovering over",
            "about to send|text|call|ring|message|dm|press|hit|go",
            "stop me",
            "talk me out of it",
            "keys in my hand",
            "car keys",
            "phone in my hand",
            "outside his|her|their flat|house|place|apartment|door|building|work|office|window|dorm|halls",
            "on|at his|her|their doorstep|door|street",
        ],
    ),
    (
        Tag::Slept,
        &[
            "-never|not|havent slept with him|her|them|my|the ex?",
            "-not|never hooked up",
            "-not|never had sex",
            "-not|never made out",
            "ended up in bed",
            "ended up sleeping together|with",
            "slept together",
            "went home with",
            "woke up next to",
            "woke up in his|her|their bed",
        ],
    ),
    (
        Tag::TheirPeople,
        &[
            "his|her|their|ex|exs best? mum|mom|mother|dad|father|parents|sister|sis|brother|bro|family|cousin|aunt|auntie|uncle|gran|grandma|grandmother|nan|nana|grandad|grandpa|friend|friends|mate|mates|bestie|bff|flatmate|roommate|housemate",
            "friends|friend|family|mum|mom|sister|brother of my|the ex",
        ],
    ),
    (
        Tag::Telling,
        &[
            "what|how do|should|can|will i tell|explain .. my|our parents|mum|mom|dad|family|friends|kids|boss|work|colleagues|coworkers|people|everyone",
            "what|how do|should|can|will i say to my|our parents|mum|mom|dad|family|friends|kids|boss|colleagues|coworkers|people|everyone",
            "how to tell|explain .. my|our parents|mum|mom|dad|family|friends|kids|boss|colleagues|coworkers|people|everyone",
            "what do i say when people|everyone|they ask",
            "keep|keeps asking about him|her|them|us",
            "keep|keeps asking what happened",
            "questions from my|the family|parents|aunts|aunt|uncles|relatives|cousins|mum|mom|dad|friends|colleagues|coworkers|boss",
        ],
    ),
    (
        Tag::Healing,
        &[
            "stop|stops hurting|hurt",
            "get|gets|getting easier|better",
            "feel|feeling normal|better|okay|ok",
            "feel|feeling like myself",
            "to get over him|her|them|someone|it|exes",
            "to get over a breakup",
            "to heal",
            "to move on",
            "still not over",
            "still hurt|hurts|hurting|miss",
        ],
    ),
    (
        Tag::Proud,
        &[
            "-not|never|nothing|hardly|barely proud of myself|me|us",
            "first|a|really good|decent|great day -for|to|of",
            "first day|week|weekend|night|morning without",
            "first day|week|weekend|night|morning i did|have not",
            "made it to|through|past -the|his|her|their",
            "milestone|milestones",
            "new|personal record|best",
            "still going strong",
            "i did it -again|and",
            "feeling stronger|better|good|great today|now|lately",
            "feeling stronger|better|good|great this week",
        ],
    ),
    (
        Tag::Anniversary,
        &[
            "anniversary|anniversery|anniversay|anniv",
            "would|could have been our|together",
            "would have been|made one|two|three|four|five|six|ten|1|2|3|4|5|6|10 years|year|months",
            "the day we met",
            "the day we first met",
            "the day we got together|engaged|married",
            "year|years since we met|got|first|started",
        ],
    ),
    (
        Tag::Holiday,
        &[
            "christmas|xmas|thanksgiving|diwali|eid|hanukkah|chanukah|valentines|valentine|easter|halloween|hogmanay|holi|ramadan|navratri|karwa|raksha|onam|pongal|festive|holidays",
            "new year|years",
            "nye",
            "mothers|fathers|mother|father day",
            "lunar|chinese new year",
        ],
    ),
    (
        Tag::Home,
        &[
            "lease|tenancy|landlord|mortgage|flatshare|rent|rental|deposit",
            "our|shared|joint|same apartment|flat|house|condo|place|home",
            "share|sharing a|the apartment|flat|house|condo|place|home",
            "his|her|their apartment|flat|house|condo|place .. my stuff|things|belongings",
            "live|living|stay|staying together",
            "live|living|stay|staying with him|her|them",
            "move|moving|moved out",
            "same roof",
            "still live|living together",
        ],
    ),
    (
        Tag::Pet,
        &[
            "dog|dogs|puppy|pup|cat|cats|kitten|kitty|pet|pets|rabbit|bunny|hamster|parrot|budgie|horse|doggo|pupper",
        ],
    ),
    (
        Tag::Money,
        &[
            "money|bank|debt|debts|loan|loans|owes|owe|owed|owing|bills|bill|quid|bucks|dollars|pounds|euros|rupees|venmo|paypal|zelle|refund|repay|repaid|payback|splitwise",
            "joint|shared account|accounts|card|savings",
            "pay|paid me|him|her|them back",
        ],
    ),
    (
        Tag::Draft,
        &[
            "draft|drafted|drafting -here|it",
            "how does|do this|these|it sound|read|look",
            "is|does this|it ok|okay|alright|fine|good to? send",
            "is|does this|it too much|needy|long|desperate|clingy",
            "should i send this|these|it",
            "what do you think of|about this|my message|text|draft",
            "check|proofread|rate|review my|this message|text|draft",
            "this is what i want to send|say|write",
            "here is|heres what i wrote|want to send",
        ],
    ),
    (
        Tag::Blocked,
        &["blocked|block|blocking|unblocked|unblock|unblocking"],
    ),
    (
        Tag::Kids,
        &[
            "kid|kids|child|children|son|daughter|baby|toddler|custody|coparent|coparenting|pickup|dropoff|handover|handovers",
            "school run",
            "drop off",
            "co parent|parenting",
            "our boy|girl|boys|girls|son|daughter",
            "our little one|ones",
        ],
    ),
    (
        Tag::NewPartner,
        &[
            "new girlfriend|boyfriend|partner|gf|bf|man|woman|guy|girl|fling|person",
            "seeing|dating|with someone|somebody new|else",
            "rebound",
            "moved on with",
            "in a relationship",
            "engaged|married to",
        ],
    ),
];

static SETS: LazyLock<Vec<(Tag, PatternSet)>> = LazyLock::new(|| {
    PHRASES
        .iter()
        .map(|(tag, phrases)| (*tag, PatternSet::new(phrases)))
        .collect()
});

/// Why a tag was set, for `--explain`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TagReason {
    pub tag: Tag,
    pub evidence: String,
}

/// Reads the conditions of a message. `raw` is the message as written (for the question
/// mark), `contact` the contact rule's findings.
pub(crate) fn read(t: &Text, raw: &str, contact: &Contact, limit: usize) -> Vec<TagReason> {
    let mut out = Vec::new();
    for (tag, set) in SETS.iter() {
        if let Some(hit) = set.first_hit_in(t, 0, limit) {
            if SAID.contains(tag) && negated_before(t, hit.start) {
                continue;
            }
            out.push(TagReason {
                tag: *tag,
                evidence: format!(
                    "\"{}\" (`{}`)",
                    t.span(hit.start, hit.end),
                    set.source(hit.pattern)
                ),
            });
        }
    }
    // who did what comes from the contact rule
    if let Some(ev) = contact.first_happened() {
        out.push(TagReason {
            tag: Tag::Happened,
            evidence: format!("contact happened: \"{}\"", ev.words),
        });
    } else if let Some(ev) = contact
        .events
        .iter()
        .find(|e| e.mode == Mode::Hypothetical && e.actor == Actor::User)
    {
        out.push(TagReason {
            tag: Tag::AboutTo,
            evidence: format!("contact not done yet: \"{}\"", ev.words),
        });
    }
    if let Some(ev) = contact.user_reply() {
        out.push(TagReason {
            tag: Tag::Replied,
            evidence: format!("the user answered: \"{}\"", ev.words),
        });
    }
    if let Some(ev) = contact.boundary_ignored(t) {
        out.push(TagReason {
            tag: Tag::Boundary,
            evidence: format!("a boundary set, and the ex still: \"{}\"", ev.words),
        });
    }
    // "my birthday" beats a loose "birthday is tomorrow" for the ex
    if out.iter().any(|r| r.tag == Tag::OwnBirthday)
        && PHRASES_THEIR_STRICT.first_hit_in(t, 0, limit).is_none()
    {
        out.retain(|r| r.tag != Tag::TheirBirthday);
    }
    if raw.contains('?') || asks(t) {
        out.push(TagReason {
            tag: Tag::Question,
            evidence: "a question".into(),
        });
    }
    out.sort_by_key(|r| r.tag);
    out.dedup_by_key(|r| r.tag);
    out
}

/// What the ex said or did for the user, which a negation just before undoes ("I never
/// got an apology", "he didn't say he misses me").
const SAID: &[Tag] = &[
    Tag::Apologised,
    Tag::MissesMe,
    Tag::SaidHello,
    Tag::WantsMeet,
];

/// Whether one of the three words before `start` negates what follows.
fn negated_before(t: &Text, start: usize) -> bool {
    (start.saturating_sub(3)..start)
        .any(|i| matches!(t.word(i), "not" | "never" | "no" | "without"))
}

/// The ex's birthday named as theirs, which a mention of the user's own does not cancel.
static PHRASES_THEIR_STRICT: LazyLock<PatternSet> =
    LazyLock::new(|| PatternSet::new(&["his|her|their|ex birthday|bday"]));

/// A question without a question mark: it opens with a question word ("should i text
/// him"), perhaps after a filler ("ok so how long"). A question word later on ("my ex is
/// with someone") asks nothing.
fn asks(t: &Text) -> bool {
    let fillers = (0..t.len().min(2))
        .take_while(|&i| QUESTION_FILLERS.contains(&t.word(i)))
        .count();
    QUESTION.first_hit_in(t, fillers, fillers + 1).is_some()
}

/// Words that may come before a question's opening word.
const QUESTION_FILLERS: &[&str] = &[
    "so",
    "but",
    "and",
    "ok",
    "okay",
    "like",
    "um",
    "hey",
    "honestly",
    "seriously",
    "please",
    "pls",
    "also",
    "well",
    "hmm",
    "wait",
    "then",
    "genuinely",
    "quick",
    "question",
];

/// Openers of a question without a question mark.
static QUESTION: LazyLock<PatternSet> = LazyLock::new(|| {
    PatternSet::new(&[
        "should|can|could|would|will|do|does|did|is|are|am|how|what|when|why|where|which|who",
    ])
});

#[cfg(test)]
mod tests {
    use super::*;
    use crate::coach::rules;

    fn tags(s: &str) -> Vec<Tag> {
        let t = Text::analyse(s);
        let contact = rules::contact(&t, 250);
        read(&t, s, &contact, 250)
            .into_iter()
            .map(|r| r.tag)
            .collect()
    }

    #[test]
    fn ids_round_trip() {
        for t in Tag::ALL {
            assert_eq!(Tag::from_id(t.id()), Some(t));
        }
        assert_eq!(Tag::from_id("sober"), None);
    }

    #[test]
    fn conditions_are_read_from_the_words() {
        // (message, condition, whether it is read)
        let cases: &[(&str, Tag, bool)] = &[
            ("i'm so drunk and i want to call him", Tag::Drinking, true),
            ("i want to call him", Tag::Drinking, false),
            ("he texted asking to meet for coffee", Tag::WantsMeet, true),
            ("he texted hey how are you", Tag::WantsMeet, false),
            ("he texted hey how are you", Tag::SaidHello, true),
            (
                "she texted saying she's sorry for everything",
                Tag::Apologised,
                true,
            ),
            ("he messaged me saying he misses me", Tag::MissesMe, true),
            (
                "it's my birthday tomorrow, will he text me",
                Tag::OwnBirthday,
                true,
            ),
            (
                "it's my birthday tomorrow, will he text me",
                Tag::TheirBirthday,
                false,
            ),
            (
                "it's his birthday tomorrow, can I text",
                Tag::TheirBirthday,
                true,
            ),
            ("we share custody of our daughter", Tag::Kids, true),
            (
                "his mum messaged me asking how i am",
                Tag::TheirPeople,
                true,
            ),
            (
                "her sister told me she's been crying every night",
                Tag::TheirPeople,
                true,
            ),
            ("my mum keeps asking about him", Tag::TheirPeople, false),
            (
                "she wants to stay friends with benefits",
                Tag::WantsMeet,
                true,
            ),
            ("i slept with him last night", Tag::Slept, true),
            (
                "day 12 and i haven't texted her. proud of myself tbh",
                Tag::Proud,
                true,
            ),
            (
                "honestly doing ok today. first good day in weeks",
                Tag::Proud,
                true,
            ),
            ("i'm not proud of myself", Tag::Proud, false),
            (
                "it would have been our 3rd year today",
                Tag::Anniversary,
                true,
            ),
            (
                "christmas is coming and we always spent it with his family",
                Tag::Holiday,
                true,
            ),
            ("it's his birthday tomorrow", Tag::Holiday, false),
            ("we're both on the lease until august", Tag::Home, true),
            ("our dog lives with her now", Tag::Pet, true),
            ("he owes me 1200 quid", Tag::Money, true),
            ("he owes me 1200 quid", Tag::Pet, false),
            (
                "how does this sound - \"hi, no hard feelings\"",
                Tag::Draft,
                true,
            ),
            ("should i text him", Tag::Draft, false),
            ("i never got an apology from her", Tag::Apologised, false),
            ("we had sex at his place last night", Tag::Slept, true),
            ("we hooked up after the party", Tag::Slept, true),
            ("we have not had sex since march", Tag::Slept, false),
            ("she texted just checking in", Tag::SaidHello, true),
            ("tomorrow is the day we first met", Tag::Anniversary, true),
            ("is this too needy? miss you", Tag::Draft, true),
            ("what do you think of my text", Tag::Draft, true),
            (
                "first weekend i haven't looked at his insta",
                Tag::Proud,
                true,
            ),
            ("first time i texted him in a month", Tag::Proud, false),
            (
                "i replied to her text and we talked till 3",
                Tag::Replied,
                true,
            ),
            ("i texted him first last night", Tag::Replied, false),
            (
                "not sure why but he apologised today",
                Tag::Apologised,
                true,
            ),
            ("i slept badly last night", Tag::Slept, false),
            ("he asked if we can keep it casual", Tag::Slept, false),
            ("should i text him", Tag::Question, true),
            ("i texted him", Tag::Question, false),
            ("ok so how long does no contact last", Tag::Question, true),
            (
                "my thumb is literally on the send button",
                Tag::Question,
                false,
            ),
            ("i texted him", Tag::Happened, true),
            ("i want to text him", Tag::AboutTo, true),
            ("i want to text him", Tag::Urgent, false),
            (
                "my thumb is literally on the send button",
                Tag::Urgent,
                true,
            ),
            (
                "I'm typing a message to her right now, stop me",
                Tag::Urgent,
                true,
            ),
            (
                "i'm standing outside his building, should i buzz",
                Tag::Urgent,
                true,
            ),
            ("he was outside my flat again", Tag::Urgent, false),
            ("i'm outside her flat right now", Tag::Home, false),
            ("who keeps our flat when the lease ends", Tag::Home, true),
            ("we still share a flat till march", Tag::Home, true),
            ("it's 3am and i can't sleep", Tag::Night, true),
            (
                "what do i tell my parents, they loved her",
                Tag::Telling,
                true,
            ),
            ("how do i explain it to my coworkers", Tag::Telling, true),
            ("my aunts keep asking about him", Tag::Telling, true),
            ("i told my mum everything", Tag::Telling, false),
            ("what should i say to my kids", Tag::Telling, true),
            ("how to tell my friends we split", Tag::Telling, true),
            ("what do i say when people ask", Tag::Telling, true),
            ("everyone keeps asking what happened", Tag::Telling, true),
            ("day 45. when does it stop hurting", Tag::Healing, true),
            (
                "how long did it take you to get over someone",
                Tag::Healing,
                true,
            ),
            (
                "how many days of no contact before i can text him",
                Tag::Healing,
                false,
            ),
        ];
        for &(text, tag, expected) in cases {
            assert_eq!(tags(text).contains(&tag), expected, "{text}: {tag:?}");
        }
    }
}

#[cfg(test)]
mod pattern_coverage {
    use super::*;

    /// Messages for the patterns that no line of the pack or the held-out set uses.
    const EXAMPLES: &[&str] = &[
        "had too many pints at the pub",
        "woke up in the middle of the night",
        "i was awake all night",
        "he wants to be fwb now",
        "she said let's meet for coffee",
        "he told me he still thinks about me",
        "she asked how is it going",
        "i turn 30 on friday",
        "i am turning 40 next week",
        "my 30th is on saturday",
        "he turns 25 tomorrow",
        "she is turning 30 this week",
        "standing here with the keys in my hand",
        "woke up in his bed this morning",
        "a friend of my ex messaged me",
        "first week without checking her page",
        "first day i have not cried",
        "hit a milestone today",
        "new personal best at the gym",
        "feeling stronger today",
        "feeling better this week",
        "it's the day we met",
        "tomorrow is the day we first met",
        "his flat still has my stuff",
        "we still live under the same roof",
        "how does this sound",
        "what do you think of my message",
        "can you check my draft",
        "this is what i want to send",
        "i do the school run with him",
        "our little one misses her",
        "what should i say to my kids",
        "how to tell my friends we split",
        "what do i say when people ask",
        "dreading the questions from my relatives",
        "when will i feel like myself again",
        "how long to move on",
        "i still miss her",
        "how long to get over a breakup",
        "how long to heal",
        "i am still not over him",
    ];

    /// Every pattern of every condition matches something: a pattern that matches nothing
    /// is dead, usually phrases written as the alternatives of one slot ("had sex|made
    /// out", which reads as "had", then "sex" or "made", then "out").
    #[test]
    fn every_condition_pattern_has_an_example() {
        let mut texts: Vec<Text> = EXAMPLES.iter().map(|s| Text::analyse(s)).collect();
        for data in [
            include_str!("../../config/content/training.tsv"),
            include_str!("../../tests/data/intents-eval.tsv"),
        ] {
            texts.extend(
                data.lines()
                    .skip(1)
                    .filter_map(|l| l.rsplit('\t').next())
                    .map(Text::analyse),
            );
        }
        let dead: Vec<String> = PHRASES
            .iter()
            .flat_map(|(tag, phrases)| phrases.iter().map(move |p| (tag, p)))
            .filter(|(_, p)| {
                let set = PatternSet::new(&[p]);
                !texts.iter().any(|t| set.first_hit(t).is_some())
            })
            .map(|(tag, p)| format!("{tag:?}: {p}"))
            .collect();
        assert_eq!(dead, Vec::<String>::new());
    }
}
