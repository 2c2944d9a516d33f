//! The coach: matches a message to a [`Situation`] and composes the reply
//! from the content pack.
//!
//! - [`situation`]: the twenty-one situations;
//! - [`content`]: the content pack (all user-facing text) and its checks;
//! - [`matcher`]: rules plus a classifier trained at start-up.
//!
//! No user-facing guidance text lives in the Rust code: it all comes from
//! the pack.

pub mod content;
pub mod helplines;
pub mod matcher;
pub mod situation;
pub mod tags;

pub(crate) mod concepts;
mod lexicon;
pub mod meta;
pub(crate) mod model;
pub(crate) mod pattern;
pub(crate) mod rules;
pub mod sentinel;
pub(crate) mod text;

use std::path::Path;

use crate::domain::country::Country;
use crate::domain::text::{prefix_within, utf16_len};
pub use content::{ContentError, ContentPack, ContentProblem, Milestone, Variant, render};
pub use helplines::LineKind;
pub use matcher::{Explanation, Matcher, RuleFired, Safety, Scored, Verdict};
pub use situation::Situation;
pub use tags::{Tag, TagReason};

/// Telegram's limit for one message.
pub const MAX_MESSAGE_CHARS: usize = crate::domain::text::TELEGRAM_MAX_UTF16;

/// The content pack and the matcher trained from its examples.
#[derive(Debug, Clone)]
pub struct Coach {
    pack: ContentPack,
    matcher: Matcher,
}

/// What the composer needs to know about the person.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct AdviceContext {
    /// Whole days of the current no-contact streak, if known.
    pub streak_days: Option<i64>,
    /// The reply variant this person got last time (never repeated).
    pub previous_variant: Option<u32>,
    /// Any number; the same seed gives the same choice.
    pub seed: u64,
    /// Whose helplines to show.
    pub country: Option<Country>,
    /// In the careful time after a crisis message: no streak talk, care first.
    pub care: bool,
    /// The user said the ex was violent, threatening or controlling.
    pub unsafe_ex: bool,
    /// Late at night on the user's clock.
    pub night: bool,
}

/// A composed reply.
#[derive(Debug, Clone)]
pub struct Advice {
    pub situation: Situation,
    /// Conditions of the message the reply was chosen by.
    pub tags: Vec<Tag>,
    /// Ready to send (at most [`MAX_MESSAGE_CHARS`] characters).
    pub text: String,
    /// Index of the reply variant used (store it as `previous_variant`).
    pub variant: u32,
    /// For a message about the bot itself, what it asked.
    pub meta: Option<meta::Meta>,
    pub explanation: Explanation,
}

/// Situations about the ex, answered with safety advice once the user said the ex is unsafe.
fn about_the_ex(situation: Situation) -> bool {
    matches!(
        situation,
        Situation::ReachOut
            | Situation::TheyReachedOut
            | Situation::Slipped
            | Situation::Convince
            | Situation::RunInto
            | Situation::Hookup
            | Situation::SpecialDate
            | Situation::HowLong
            | Situation::ComeBack
            | Situation::Logistics
            | Situation::FriendsFamily
            | Situation::SocialMedia
    )
}

impl Coach {
    /// Loads the pack in `dir` and trains the matcher from its training.tsv.
    pub fn load(dir: &Path) -> Result<Coach, ContentError> {
        let pack = ContentPack::load(dir)?;
        Ok(Coach::new(pack))
    }

    /// Builds a coach from an already loaded pack.
    pub fn new(pack: ContentPack) -> Coach {
        let matcher = Matcher::train(pack.training_examples(), pack.safety_examples());
        Coach { pack, matcher }
    }

    pub fn pack(&self) -> &ContentPack {
        &self.pack
    }

    pub fn matcher(&self) -> &Matcher {
        &self.matcher
    }

    pub fn classify(&self, text: &str) -> Verdict {
        self.matcher.classify(text)
    }

    /// What a message asks about the bot itself, if anything.
    pub fn meta(&self, text: &str) -> Option<meta::Meta> {
        meta::read(&text::Text::analyse(text))
    }

    /// Whether a message is even slightly worrying (see [`Matcher::concerning`]).
    pub fn concerning(&self, text: &str) -> bool {
        self.matcher.concerning(text)
    }

    /// Composes the reply for a message.
    pub fn advise(&self, text: &str, ctx: &AdviceContext) -> Advice {
        self.compose(self.matcher.classify(text), text, ctx)
    }

    /// Composes the reply for a message already classified with [`Coach::classify`].
    pub fn advise_classified(&self, verdict: Verdict, text: &str, ctx: &AdviceContext) -> Advice {
        self.compose(verdict, text, ctx)
    }

    /// Composes for a known situation (e.g. a forwarded message of the ex
    /// is [`Situation::TheyReachedOut`]); the conditions are still read from the words.
    pub fn advise_for(&self, situation: Situation, text: &str, ctx: &AdviceContext) -> Advice {
        let read = self.matcher.classify(text);
        let verdict = Verdict {
            situation,
            tags: read.tags,
            explanation: Explanation {
                rule: Some(RuleFired {
                    name: "given",
                    matched: String::new(),
                    detail: format!("situation {situation} chosen by the caller"),
                }),
                ..Explanation::default()
            },
        };
        self.compose(verdict, text, ctx)
    }

    fn compose(&self, verdict: Verdict, text: &str, ctx: &AdviceContext) -> Advice {
        let Verdict {
            mut situation,
            tags,
            mut explanation,
        } = verdict;
        let mut tags: Vec<Tag> = tags.iter().map(|r| r.tag).collect();
        if ctx.night && !tags.contains(&Tag::Night) {
            tags.push(Tag::Night);
            explanation
                .notes
                .push("night: late on the user's own clock".into());
        }
        let mut before = Vec::new();
        let mut after = Vec::new();
        let asked = (situation == Situation::Other)
            .then(|| meta::read(&text::Text::analyse(text)))
            .flatten();
        let meta_text;
        let (variant, reply) = if let Some(m) = asked {
            explanation
                .notes
                .push(format!("about the bot itself: {}", m.id()));
            meta_text = self.meta_text(m, ctx.seed);
            (0, meta_text.as_str())
        } else if !ctx.care
            && tags.contains(&Tag::Proud)
            && shares_progress(situation)
            && !self.pack.progress_replies().is_empty()
        {
            explanation.notes.push(format!(
                "read as {situation}, answered as progress shared: proud"
            ));
            let replies = self.pack.progress_replies();
            let i = pick(replies.len(), ctx.seed, None);
            (i, replies.get(i as usize).map(String::as_str).unwrap_or(""))
        } else if ctx.unsafe_ex && about_the_ex(situation) {
            explanation.notes.push(format!(
                "read as {situation}, answered with safety advice: the user said the ex is unsafe"
            ));
            situation = Situation::Abuse;
            let replies = self.pack.unsafe_ex_replies();
            let i = pick(replies.len(), ctx.seed, None);
            (i, replies.get(i as usize).map(String::as_str).unwrap_or(""))
        } else {
            let variants = self.pack.replies(situation);
            let i = choose(variants, &tags, ctx.seed, ctx.previous_variant);
            (
                i,
                variants
                    .get(i as usize)
                    .map(|v| v.text.as_str())
                    .unwrap_or(""),
            )
        };
        match situation {
            Situation::Crisis => {
                after.push(self.pack.helplines_for(ctx.country, LineKind::Crisis));
            }
            Situation::Abuse => {
                after.push(self.pack.helplines_for(ctx.country, LineKind::Abuse));
            }
            Situation::Other => {}
            _ if ctx.care => {
                let openers = self.pack.care_openers();
                if !openers.is_empty() {
                    let i = pick(openers.len(), model::splitmix(ctx.seed ^ 0xca5e), None) as usize;
                    before.push(openers[i].clone());
                }
            }
            _ => {
                if let Some(days) = ctx.streak_days {
                    let openers = self.pack.openers();
                    if !openers.is_empty() {
                        let i =
                            pick(openers.len(), model::splitmix(ctx.seed ^ 0x0be4), None) as usize;
                        before.push(render(&openers[i], &[("days", days.max(0).to_string())]));
                    }
                }
            }
        }
        if situation == Situation::ComeBack
            && rules::scam_warning_needed(&text::Text::analyse(text))
        {
            after.push(self.pack.scam_warning().to_string());
        }
        tags.sort();
        Advice {
            situation,
            tags,
            text: assemble(&before, reply, &after, MAX_MESSAGE_CHARS),
            variant,
            meta: asked,
            explanation,
        }
    }

    /// The answer to a message about the bot.
    fn meta_text(&self, m: meta::Meta, seed: u64) -> String {
        let t = self.pack.meta();
        let one = |list: &[String]| {
            list.get(pick(list.len(), seed, None) as usize)
                .cloned()
                .unwrap_or_default()
        };
        match m {
            meta::Meta::Greeting => one(&t.greeting),
            meta::Meta::Thanks => one(&t.thanks),
            meta::Meta::About => t.about.clone(),
            meta::Meta::Human => t.human.clone(),
            meta::Meta::Privacy => t.privacy.clone(),
            meta::Meta::Settings => t.settings.clone(),
            meta::Meta::Nudges => t.nudges.clone(),
            meta::Meta::WrongChat => t.wrong_chat.clone(),
        }
    }
}

/// Situations where a message that shares progress ("proud of myself", "first good day",
/// "first day I didn't check her profile") is answered as that: not contact, a date, a slip
/// or safety.
fn shares_progress(situation: Situation) -> bool {
    matches!(
        situation,
        Situation::SocialMedia
            | Situation::HowLong
            | Situation::Other
            | Situation::StayBusy
            | Situation::LetGo
            | Situation::WhyItHurts
            | Situation::ComeBack
            | Situation::ForgetMe
    )
}

/// The variant that fits the message best: never one whose conditions the message does
/// not meet; among those, the ones meeting the most conditions; among equals, a rotation
/// from `seed` that avoids `previous`.
fn choose(variants: &[Variant], tags: &[Tag], seed: u64, previous: Option<u32>) -> u32 {
    let fits = |v: &Variant| v.when.iter().all(|t| tags.contains(t));
    let best = variants
        .iter()
        .filter(|v| fits(v))
        .map(|v| v.when.len())
        .max()
        .unwrap_or(0);
    let candidates: Vec<u32> = (0..variants.len() as u32)
        .filter(|&i| {
            let v = &variants[i as usize];
            fits(v) && v.when.len() == best
        })
        .collect();
    let previous = previous.and_then(|p| candidates.iter().position(|&c| c == p));
    let k = pick(candidates.len(), seed, previous.map(|p| p as u32));
    candidates.get(k as usize).copied().unwrap_or(0)
}

/// Chooses a variant from `seed`, never `previous` when there is a choice.
fn pick(n: usize, seed: u64, previous: Option<u32>) -> u32 {
    if n == 0 {
        return 0;
    }
    let r = model::splitmix(seed);
    match previous {
        Some(p) if n >= 2 && (p as usize) < n => {
            let i = (r % (n as u64 - 1)) as u32;
            if i >= p { i + 1 } else { i }
        }
        _ => (r % n as u64) as u32,
    }
}

/// Joins `before`, the reply and `after` with blank lines; if the result is
/// longer than `max` characters the reply is cut at a paragraph boundary
/// (then a line, then a word) so that the other parts survive.
fn assemble(before: &[String], reply: &str, after: &[String], max: usize) -> String {
    let join = |reply: &str| {
        before
            .iter()
            .map(String::as_str)
            .chain(std::iter::once(reply).filter(|r| !r.is_empty()))
            .chain(after.iter().map(String::as_str))
            .collect::<Vec<_>>()
            .join("\n\n")
    };
    let full = join(reply);
    if utf16_len(&full) <= max {
        return full;
    }
    let fixed = utf16_len(&join("")) + 2;
    let budget = max.saturating_sub(fixed);
    let cut = prefix_within(reply, budget);
    let text = join(cut);
    if utf16_len(&text) <= max {
        return text;
    }
    // the fixed parts alone are too long: cut the whole text
    prefix_within(&text, max).to_string()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn pick_never_repeats() {
        for n in 2..6 {
            for prev in 0..n as u32 {
                for seed in 0..200 {
                    let v = pick(n, seed, Some(prev));
                    assert!(v < n as u32);
                    assert_ne!(v, prev);
                }
            }
        }
        assert_eq!(pick(1, 7, Some(0)), 0);
        assert_eq!(pick(3, 42, None), pick(3, 42, None));
        // every variant is reachable
        let seen: std::collections::BTreeSet<u32> = (0..100).map(|s| pick(4, s, Some(1))).collect();
        assert_eq!(seen.into_iter().collect::<Vec<_>>(), [0, 2, 3]);
    }

    fn v(when: &[Tag]) -> Variant {
        Variant {
            when: when.to_vec(),
            text: String::new(),
        }
    }

    #[test]
    fn choose_never_picks_a_condition_the_message_does_not_meet() {
        let variants = [
            v(&[]),
            v(&[Tag::Drinking]),
            v(&[Tag::WantsMeet]),
            v(&[]),
            v(&[Tag::WantsMeet, Tag::Apologised]),
        ];
        for seed in 0..200 {
            // a sober message with no conditions: only the general answers
            let i = choose(&variants, &[], seed, None);
            assert!(i == 0 || i == 3, "{i}");
            // drinking: the drinking variant is the best fit
            assert_eq!(
                choose(&variants, &[Tag::Drinking, Tag::Question], seed, None),
                1
            );
            // wants to meet and apologised: the variant meeting both
            assert_eq!(
                choose(&variants, &[Tag::Apologised, Tag::WantsMeet], seed, Some(4)),
                4
            );
            // equals rotate, never repeating the previous one
            assert_eq!(choose(&variants, &[], seed, Some(0)), 3);
        }
    }

    #[test]
    fn assemble_cuts_the_reply_at_a_paragraph() {
        let reply = format!("{}\n\n{}", "a".repeat(50), "b".repeat(100));
        let out = assemble(&["top".into()], &reply, &["end".into()], 80);
        assert_eq!(out, format!("top\n\n{}\n\nend", "a".repeat(50)));
        let huge = "word ".repeat(2000);
        let out = assemble(&[], &huge, &["resources".into()], 4096);
        assert!(utf16_len(&out) <= 4096);
        assert!(out.ends_with("resources"));
        let out = assemble(&[], "short", &[], 4096);
        assert_eq!(out, "short");
    }
}
