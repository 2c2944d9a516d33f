//! A very small phrase-pattern language over normalised tokens.
//!
//! A pattern is a space separated list of slots:
//! - `a|b|c` one of these words; `kill*` any word starting with "kill";
//! - a trailing `?` makes a slot optional (`own?`);
//! - `..` skips up to 3 words, `...` up to 6;
//! - a leading `-a|b` slot: the word before the match must not be one of these;
//! - a trailing `-a|b` slot: the word after the match must not be one of these;
//! - a leading `^` flag: the nearest subject before the match must not be a
//!   third person (he, she, they, his mum...);
//! - a leading `%` flag: like `^` but only the ex (he, she, ex...) is refused,
//!   "they"/"everyone" are fine;
//! - a leading `@` flag: the nearest subject before the match must not be the user
//!   (I, my...): someone else did it.

use std::collections::HashMap;

use super::lexicon::{OTHER_PEOPLE, is_ex_word};
use super::text::Text;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum SubjectCheck {
    Any,
    NotThird,
    NotEx,
    /// Someone other than the user is the subject.
    NotFirst,
}

#[derive(Debug)]
enum Slot {
    Words { alts: Vec<Alt>, optional: bool },
    Gap(usize),
}

#[derive(Debug)]
struct Alt {
    word: &'static str,
    prefix: bool,
}

impl Alt {
    fn matches(&self, w: &str) -> bool {
        if self.prefix {
            w.starts_with(self.word)
        } else {
            w == self.word
        }
    }
}

#[derive(Debug)]
pub(crate) struct Pattern {
    pub source: &'static str,
    slots: Vec<Slot>,
    not_before: Vec<&'static str>,
    not_after: Vec<&'static str>,
    subject: SubjectCheck,
}

const FIRST_WORDS: &[&str] = &["i", "me", "my", "myself", "we"];

fn parse_alts(s: &'static str) -> Vec<Alt> {
    s.split('|')
        .map(|a| match a.strip_suffix('*') {
            Some(p) => Alt {
                word: p,
                prefix: true,
            },
            None => Alt {
                word: a,
                prefix: false,
            },
        })
        .collect()
}

impl Pattern {
    pub fn parse(source: &'static str) -> Pattern {
        let mut rest = source;
        let mut subject = SubjectCheck::Any;
        if let Some(r) = rest.strip_prefix('^') {
            subject = SubjectCheck::NotThird;
            rest = r;
        } else if let Some(r) = rest.strip_prefix('%') {
            subject = SubjectCheck::NotEx;
            rest = r;
        } else if let Some(r) = rest.strip_prefix('@') {
            subject = SubjectCheck::NotFirst;
            rest = r;
        }
        let parts: Vec<&'static str> = rest.split_whitespace().collect();
        let mut slots = Vec::new();
        let mut not_before = Vec::new();
        let mut not_after = Vec::new();
        for (i, p) in parts.iter().enumerate() {
            if let Some(neg) = p.strip_prefix('-') {
                let list: Vec<&'static str> = neg.split('|').collect();
                if i == 0 {
                    not_before = list;
                } else {
                    assert_eq!(i, parts.len() - 1, "negative slot in the middle: {source}");
                    not_after = list;
                }
                continue;
            }
            match *p {
                ".." => slots.push(Slot::Gap(3)),
                "..." => slots.push(Slot::Gap(6)),
                _ => {
                    let (body, optional) = match p.strip_suffix('?') {
                        Some(b) => (b, true),
                        None => (*p, false),
                    };
                    slots.push(Slot::Words {
                        alts: parse_alts(body),
                        optional,
                    });
                }
            }
        }
        assert!(
            matches!(
                slots.first(),
                Some(Slot::Words {
                    optional: false,
                    ..
                })
            ),
            "pattern must start with a required word slot: {source}"
        );
        Pattern {
            source,
            slots,
            not_before,
            not_after,
            subject,
        }
    }

    /// Exact first words (for indexing), or None when the first slot uses a prefix.
    fn first_words(&self) -> Option<Vec<&'static str>> {
        match &self.slots[0] {
            Slot::Words { alts, .. } if alts.iter().all(|a| !a.prefix) => {
                Some(alts.iter().map(|a| a.word).collect())
            }
            _ => None,
        }
    }

    /// Tries to match starting at token `start`; returns the end (exclusive).
    pub fn match_at(&self, t: &Text, start: usize) -> Option<usize> {
        let end = self.match_slots(t, 0, start)?;
        if start > 0 && self.not_before.contains(&t.word(start - 1)) {
            return None;
        }
        if end < t.len() && self.not_after.contains(&t.word(end)) {
            return None;
        }
        if self.subject != SubjectCheck::Any && !subject_ok(t, start, self.subject) {
            return None;
        }
        Some(end)
    }

    fn match_slots(&self, t: &Text, si: usize, ti: usize) -> Option<usize> {
        if si == self.slots.len() {
            return Some(ti);
        }
        match &self.slots[si] {
            Slot::Words { alts, optional } => {
                if ti < t.len()
                    && alts.iter().any(|a| a.matches(t.word(ti)))
                    && let Some(e) = self.match_slots(t, si + 1, ti + 1)
                {
                    return Some(e);
                }
                if *optional {
                    return self.match_slots(t, si + 1, ti);
                }
                None
            }
            Slot::Gap(max) => {
                for skip in 0..=*max {
                    if ti + skip > t.len() {
                        break;
                    }
                    if let Some(e) = self.match_slots(t, si + 1, ti + skip) {
                        return Some(e);
                    }
                }
                None
            }
        }
    }
}

/// Another third person: "they", or someone who is neither the user nor the ex.
fn is_third(w: &str) -> bool {
    matches!(w, "they" | "them") || (OTHER_PEOPLE.contains(&w) && !FIRST_WORDS.contains(&w))
}

/// Whether the word at `i` is the object of a preposition ("for my friends", "to them"),
/// so not a subject.
fn after_preposition(t: &Text, i: usize) -> bool {
    let mut j = i;
    while j > 0
        && matches!(
            t.word(j - 1),
            "my" | "his" | "her" | "their" | "our" | "the"
        )
    {
        j -= 1;
    }
    j > 0
        && matches!(
            t.word(j - 1),
            "for" | "to" | "with" | "at" | "about" | "from" | "of" | "without" | "like"
        )
}

/// Looks back from `start` within the clause for the nearest subject word.
fn subject_ok(t: &Text, start: usize, check: SubjectCheck) -> bool {
    if start == 0 {
        return true;
    }
    let clause = t.tok(start).clause;
    let mut i = start;
    let mut seen = 0;
    while i > 0 && seen < 6 {
        i -= 1;
        seen += 1;
        if t.tok(i).clause != clause {
            break;
        }
        let w = t.word(i);
        if check == SubjectCheck::NotFirst {
            if is_ex_word(w) || is_third(w) {
                return true;
            }
            if matches!(w, "i" | "we") {
                return false;
            }
            continue;
        }
        if FIRST_WORDS.contains(&w) {
            return true;
        }
        if is_ex_word(w) {
            return false;
        }
        if check == SubjectCheck::NotThird && is_third(w) && !after_preposition(t, i) {
            return false;
        }
    }
    true
}

/// A set of patterns indexed by first word.
#[derive(Debug)]
pub(crate) struct PatternSet {
    patterns: Vec<Pattern>,
    by_first: HashMap<&'static str, Vec<usize>>,
    always: Vec<usize>,
}

/// One match: pattern index and token range.
#[derive(Debug, Clone, Copy)]
pub(crate) struct Hit {
    pub pattern: usize,
    pub start: usize,
    pub end: usize,
}

impl PatternSet {
    pub fn new(sources: &[&'static str]) -> PatternSet {
        let patterns: Vec<Pattern> = sources.iter().map(|s| Pattern::parse(s)).collect();
        let mut by_first: HashMap<&'static str, Vec<usize>> = HashMap::new();
        let mut always = Vec::new();
        for (i, p) in patterns.iter().enumerate() {
            match p.first_words() {
                Some(ws) => {
                    for w in ws {
                        by_first.entry(w).or_default().push(i);
                    }
                }
                None => always.push(i),
            }
        }
        PatternSet {
            patterns,
            by_first,
            always,
        }
    }

    #[cfg(test)]
    pub fn len(&self) -> usize {
        self.patterns.len()
    }

    /// Whether pattern `i` matches anywhere in `t` (for self-checks).
    #[cfg(test)]
    pub fn pattern_matches(&self, i: usize, t: &Text) -> bool {
        (0..t.len()).any(|start| self.patterns[i].match_at(t, start).is_some())
    }

    pub fn source(&self, i: usize) -> &'static str {
        self.patterns[i].source
    }

    /// The first match in text order, if any.
    /// Every match, in text order (at most one per start position and pattern).
    pub fn hits(&self, t: &Text) -> Vec<Hit> {
        let mut out = Vec::new();
        for start in 0..t.len() {
            let candidates = self
                .by_first
                .get(t.word(start))
                .into_iter()
                .flatten()
                .chain(self.always.iter());
            for &i in candidates {
                if let Some(end) = self.patterns[i].match_at(t, start) {
                    out.push(Hit {
                        pattern: i,
                        start,
                        end,
                    });
                }
            }
        }
        out
    }

    pub fn first_hit(&self, t: &Text) -> Option<Hit> {
        self.first_hit_in(t, 0, t.len())
    }

    /// The first match starting in `from..to`.
    pub fn first_hit_in(&self, t: &Text, from: usize, to: usize) -> Option<Hit> {
        for start in from..to.min(t.len()) {
            let w = t.word(start);
            let indexed = self.by_first.get(w).map(Vec::as_slice).unwrap_or(&[]);
            for &pi in indexed.iter().chain(self.always.iter()) {
                if let Some(end) = self.patterns[pi].match_at(t, start) {
                    return Some(Hit {
                        pattern: pi,
                        start,
                        end,
                    });
                }
            }
        }
        None
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn hit(p: &'static str, s: &str) -> bool {
        PatternSet::new(&[p]).first_hit(&Text::analyse(s)).is_some()
    }

    #[test]
    fn slots() {
        assert!(hit("kill* myself", "i keep thinking about killing myself"));
        assert!(!hit("kill* myself", "this is killing me"));
        assert!(hit("take|taking|took my own? life", "taking my life"));
        assert!(hit("take|taking|took my own? life", "took my own life"));
        assert!(hit("want .. die", "i want to just die"));
        assert!(!hit("want .. die", "i want to go to the shop and die"));
        assert!(hit("to die -for|of", "i want to die"));
        assert!(!hit("to die -for|of", "a dress to die for"));
        assert!(!hit("-rather i die", "i'd rather i die"));
        assert!(hit("^to die", "i want to die"));
        assert!(!hit("^to die", "i want him to die"));
        assert!(!hit(
            "%better off without me",
            "he is better off without me"
        ));
        assert!(hit(
            "%better off without me",
            "everyone is better off without me"
        ));
    }

    #[test]
    fn a_person_after_a_preposition_is_not_the_subject() {
        assert!(!hit("^not be here", "my friends can not be here"));
        assert!(hit(
            "^not be here",
            "the kind thing for my friends is not be here"
        ));
        assert!(!hit("^to die", "i want my boss to die"));
    }
}
