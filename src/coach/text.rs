//! Text normalisation: lower case, punctuation and emoji to separators,
//! contractions and common slang expanded, clause and quote boundaries kept.
//!
//! The output is a flat list of tokens pointing into one buffer, so that
//! analysing a message costs a handful of allocations however long it is.

use std::collections::HashMap;
use std::sync::LazyLock;

/// Skips the rest of a terminal escape sequence after its ESC: a CSI sequence up to its
/// final byte ("[31m"), an OSC string up to BEL or ESC \\, or else one character.
fn skip_escape(chars: &mut std::iter::Peekable<std::str::Chars<'_>>) {
    match chars.next() {
        Some('[') => {
            for c in chars.by_ref() {
                if ('\u{40}'..='\u{7e}').contains(&c) {
                    break;
                }
            }
        }
        Some(']') => {
            while let Some(c) = chars.next() {
                if c == '\u{7}' || (c == '\u{1b}' && chars.next_if_eq(&'\\').is_some()) {
                    break;
                }
            }
        }
        _ => {}
    }
}

/// One normalised word.
#[derive(Debug, Clone, Copy)]
pub(crate) struct Tok {
    start: u32,
    end: u32,
    /// Clause number: clauses break at punctuation, quotes and conjunctions.
    pub clause: u32,
    /// True inside quotation marks (someone else's words).
    pub quoted: bool,
}

/// A normalised message.
#[derive(Debug, Default)]
pub(crate) struct Text {
    buf: String,
    toks: Vec<Tok>,
}

/// Words that open a new clause (they stay in the clause they open).
const CLAUSE_WORDS: &[&str] = &[
    "but", "and", "so", "because", "then", "when", "while", "after", "before", "until", "though",
    "although", "if", "or", "since", "whenever", "unless",
];

/// Slang, typos and contractions: one token to one or more words.
static TABLE: LazyLock<HashMap<&'static str, &'static str>> = LazyLock::new(|| {
    const PAIRS: &[(&str, &str)] = &[
        // pronoun + verb contractions, with and without apostrophe
        ("im", "i am"),
        ("i'm", "i am"),
        ("ima", "i am going to"),
        ("imma", "i am going to"),
        ("ive", "i have"),
        ("i've", "i have"),
        ("i'll", "i will"),
        ("youre", "you are"),
        ("ur", "your"),
        ("u", "you"),
        ("ya", "you"),
        ("yu", "you"),
        ("r", "are"),
        ("y", "why"),
        ("hes", "he is"),
        ("shes", "she is"),
        ("theyre", "they are"),
        ("thats", "that is"),
        ("whats", "what is"),
        ("wats", "what is"),
        ("wat", "what"),
        ("theres", "there is"),
        ("dont", "do not"),
        ("didnt", "did not"),
        ("doesnt", "does not"),
        ("cant", "can not"),
        ("cannot", "can not"),
        ("wont", "will not"),
        ("isnt", "is not"),
        ("wasnt", "was not"),
        ("arent", "are not"),
        ("werent", "were not"),
        ("havent", "have not"),
        ("hasnt", "has not"),
        ("hadnt", "had not"),
        ("shouldnt", "should not"),
        ("wouldnt", "would not"),
        ("couldnt", "could not"),
        ("mustnt", "must not"),
        ("aint", "is not"),
        ("dunno", "do not know"),
        ("wanna", "want to"),
        ("gonna", "going to"),
        ("gotta", "got to"),
        ("hafta", "have to"),
        ("kinda", "kind of"),
        ("sorta", "sort of"),
        ("lemme", "let me"),
        ("gimme", "give me"),
        ("outta", "out of"),
        ("let's", "let us"),
        ("it's", "it is"),
        // chat abbreviations
        ("rn", "right now"),
        ("atm", "at the moment"),
        ("msg", "message"),
        ("msgs", "messages"),
        ("msged", "messaged"),
        ("msgd", "messaged"),
        ("msging", "messaging"),
        ("mssg", "message"),
        ("txt", "text"),
        ("txts", "texts"),
        ("txted", "texted"),
        ("txtd", "texted"),
        ("txting", "texting"),
        ("textd", "texted"),
        ("texed", "texted"),
        ("tex", "text"),
        ("dm'd", "dmed"),
        ("dmd", "dmed"),
        ("dm'ed", "dmed"),
        ("pmed", "messaged"),
        ("pm'd", "messaged"),
        ("vm", "voicemail"),
        ("vn", "voice note"),
        ("bf", "boyfriend"),
        ("gf", "girlfriend"),
        ("bff", "best friend"),
        ("bestie", "best friend"),
        ("bestfriend", "best friend"),
        ("hubby", "husband"),
        ("wifey", "wife"),
        ("bae", "partner"),
        ("idk", "i do not know"),
        ("idc", "i do not care"),
        ("tbh", "to be honest"),
        ("tbf", "to be fair"),
        ("ngl", "not going to lie"),
        ("imo", "in my opinion"),
        ("imho", "in my opinion"),
        ("fr", "for real"),
        ("frfr", "for real"),
        ("istg", "i swear to god"),
        ("omg", "oh my god"),
        ("omfg", "oh my god"),
        ("wtf", "what the fuck"),
        ("smh", "shaking my head"),
        ("fb", "facebook"),
        ("ig", "instagram"),
        ("insta", "instagram"),
        ("snap", "snapchat"),
        ("sc", "snapchat"),
        ("pls", "please"),
        ("plz", "please"),
        ("plss", "please"),
        ("abt", "about"),
        ("bc", "because"),
        ("cuz", "because"),
        ("coz", "because"),
        ("cos", "because"),
        ("cause", "because"),
        ("bcs", "because"),
        ("b4", "before"),
        ("tho", "though"),
        ("thru", "through"),
        ("luv", "love"),
        ("bday", "birthday"),
        ("b-day", "birthday"),
        ("bdays", "birthdays"),
        ("hbd", "happy birthday"),
        ("xmas", "christmas"),
        ("nc", "no contact"),
        ("ppl", "people"),
        ("smth", "something"),
        ("sth", "something"),
        ("smthg", "something"),
        ("nth", "nothing"),
        ("tmrw", "tomorrow"),
        ("tmr", "tomorrow"),
        ("tmrrw", "tomorrow"),
        ("2moro", "tomorrow"),
        ("2morrow", "tomorrow"),
        ("tomorow", "tomorrow"),
        ("tommorow", "tomorrow"),
        ("tommorrow", "tomorrow"),
        ("2nite", "tonight"),
        ("tonite", "tonight"),
        ("2day", "today"),
        ("tdy", "today"),
        ("yday", "yesterday"),
        ("yest", "yesterday"),
        ("prolly", "probably"),
        ("probs", "probably"),
        ("sry", "sorry"),
        ("soz", "sorry"),
        ("thx", "thanks"),
        ("thanx", "thanks"),
        ("ty", "thank you"),
        ("tysm", "thank you so much"),
        ("fwb", "friends with benefits"),
        ("ons", "one night stand"),
        ("hmu", "hit me up"),
        ("kms", "kill myself"),
        ("kmsl", "kill myself"),
        ("kys", "kill yourself"),
        ("4ever", "forever"),
        ("gr8", "great"),
        ("l8r", "later"),
        ("no1", "no one"),
        ("some1", "someone"),
        ("any1", "anyone"),
        ("every1", "everyone"),
        ("unalive", "kill"),
        ("sewerslide", "suicide"),
        ("su1c1de", "suicide"),
        ("suicde", "suicide"),
        ("sucide", "suicide"),
        ("suiside", "suicide"),
        ("suicidel", "suicidal"),
        ("sucidal", "suicidal"),
        ("suicidial", "suicidal"),
        ("selfharm", "self harm"),
        ("b", "be"),
        ("c", "see"),
        ("k", "ok"),
        ("kk", "ok"),
        ("okay", "ok"),
        ("okey", "ok"),
        ("ok'", "ok"),
        ("gr8", "great"),
        ("l8r", "later"),
        ("w8", "wait"),
        ("bout", "about"),
        ("til", "until"),
        ("till", "until"),
        ("nite", "night"),
        ("ex's", "ex"),
        ("exs", "exes"),
        ("soo", "so"),
        ("sooo", "so"),
        ("pleasee", "please"),
        ("yess", "yes"),
        ("noo", "no"),
        ("nah", "no"),
        ("nope", "no"),
        ("yeah", "yes"),
        ("yep", "yes"),
        ("yup", "yes"),
        ("alot", "a lot"),
        ("everytime", "every time"),
        // frequent misspellings
        ("recieved", "received"),
        ("recieve", "receive"),
        ("embarassing", "embarrassing"),
        ("embarassed", "embarrassed"),
        ("becuase", "because"),
        ("becasue", "because"),
        ("beacuse", "because"),
        ("wierd", "weird"),
        ("freind", "friend"),
        ("freinds", "friends"),
        ("frend", "friend"),
        ("frends", "friends"),
        ("girlfirend", "girlfriend"),
        ("boyfreind", "boyfriend"),
        ("anniversery", "anniversary"),
        ("annivesary", "anniversary"),
        ("aniversary", "anniversary"),
        ("birthdya", "birthday"),
        ("brithday", "birthday"),
        ("bithday", "birthday"),
        ("birtday", "birthday"),
        ("messege", "message"),
        ("mesage", "message"),
        ("massage", "message"),
        ("messeged", "messaged"),
        ("mesaged", "messaged"),
        ("definately", "definitely"),
        ("compleatly", "completely"),
        ("completly", "completely"),
        ("realy", "really"),
        ("reallly", "really"),
        ("shoud", "should"),
        ("shuld", "should"),
        ("sould", "should"),
        ("woud", "would"),
        ("wich", "which"),
        ("thier", "their"),
        ("untill", "until"),
        ("beleive", "believe"),
        ("breath", "breathe"),
        ("lonley", "lonely"),
        ("anxios", "anxious"),
        ("instagarm", "instagram"),
        ("instgram", "instagram"),
        ("facebok", "facebook"),
        ("contect", "contact"),
        ("conact", "contact"),
        ("miss'", "miss"),
    ];
    PAIRS.iter().copied().collect()
});

/// The word an emoji stands for, for the few that carry a feeling, a greeting or a means.
fn emoji_word(c: char) -> Option<&'static str> {
    Some(match c {
        '\u{1F494}' => "heartbroken",
        '\u{1F62D}' | '\u{1F622}' | '\u{1F97A}' | '\u{1F63F}' => "crying",
        '\u{1F61E}' | '\u{1F614}' | '\u{1F625}' | '\u{2639}' | '\u{1F641}' => "sad",
        '\u{1F64F}' => "thanks",
        '\u{1F44B}' => "hi",
        // means of self-harm, so that a message in emoji alone is still read
        '\u{1F52B}' => "gun",
        '\u{1FAA2}' => "rope",
        '\u{1F52A}' => "knife",
        '\u{1F48A}' => "pills",
        '\u{26B0}' => "coffin",
        '\u{1FAA6}' => "grave",
        _ => return None,
    })
}

/// A word that mixes letters with digits written for letters ("k1ll", "mys3lf",
/// "su1c1d3"), with the digits read as letters. Ordinary words, numbers and things like
/// "2am", "3rd" or "b4" stay as they are.
fn unleet(w: &str) -> std::borrow::Cow<'_, str> {
    let letters = w.chars().filter(|c| c.is_alphabetic()).count();
    let digits = w.chars().filter(|c| c.is_ascii_digit()).count();
    let leading_digits = w.chars().take_while(|c| c.is_ascii_digit()).count();
    // "2am", "10pm", "3rd", "21st", "90s": a number with a unit or ordinal
    let number_with_suffix = leading_digits > 0
        && w[leading_digits..].chars().all(char::is_alphabetic)
        && matches!(
            &w[leading_digits..],
            "am" | "pm"
                | "st"
                | "nd"
                | "rd"
                | "th"
                | "s"
                | "h"
                | "hr"
                | "hrs"
                | "k"
                | "m"
                | "x"
                | "yo"
                | "y"
                | "mins"
                | "min"
                | "d"
                | "kg"
                | "km"
                | "mg"
                | "ml"
        );
    let chars: Vec<char> = w.chars().collect();
    let internal_digit = chars.windows(3).any(|t| {
        t[0].is_alphabetic()
            && t[1].is_ascii_digit()
            && (t[2].is_alphabetic() || t[2].is_ascii_digit())
    });
    // a short word ending in a digit written for a letter ("t0", "d13", "m3"), but
    // not the usual shorthand ("b4", "gr8", "l8r") or product names
    let trailing_leet = chars.len() >= 2
        && chars[0].is_alphabetic()
        && chars.last().is_some_and(char::is_ascii_digit)
        && !matches!(
            w,
            "b4" | "gr8" | "l8" | "l8r" | "m8" | "h8" | "mp3" | "mp4" | "b12"
        );
    if digits == 0 || letters < 1 || number_with_suffix || !(internal_digit || trailing_leet) {
        return std::borrow::Cow::Borrowed(w);
    }
    std::borrow::Cow::Owned(
        w.chars()
            .map(|c| match c {
                '0' => 'o',
                '1' => 'i',
                '3' => 'e',
                '4' => 'a',
                '5' => 's',
                '7' => 't',
                '8' => 'b',
                '9' => 'g',
                c => c,
            })
            .collect(),
    )
}

impl Text {
    /// Normalises `input` completely.
    pub fn analyse(input: &str) -> Text {
        let mut b = Builder::default();
        b.text.buf.reserve(input.len() + 16);
        let mut raw = String::new();
        let mut chars = input.chars().peekable();
        let mut prev_alnum = false;
        while let Some(c) = chars.next() {
            if c == '\u{1b}' {
                // a terminal escape sequence ("\x1b[31m") is not words: skip all of it
                skip_escape(&mut chars);
                b.flush(&mut raw);
                prev_alnum = false;
                continue;
            }
            let next = chars.peek().copied();
            if c.is_alphanumeric() {
                for l in c.to_lowercase() {
                    raw.push(l);
                }
                prev_alnum = true;
                continue;
            }
            let next_alnum = next.is_some_and(char::is_alphanumeric);
            match c {
                '\'' | '\u{2019}' | '\u{2018}' | '\u{02BC}' | '`' | '\u{00B4}' => {
                    if prev_alnum && next_alnum {
                        raw.push('\'');
                    } else {
                        b.flush(&mut raw);
                        if !prev_alnum && next_alnum {
                            // opening single quote
                            b.squote = true;
                            b.break_clause();
                        } else if prev_alnum && b.squote {
                            b.squote = false;
                            b.break_clause();
                        }
                    }
                }
                '-' | '\u{2010}' | '\u{2011}' if prev_alnum && next_alnum => raw.push('-'),
                // leetspeak inside a word: "my$elf", "k!ll", "su!c!de"
                '$' | '@' | '!' | '|' if prev_alnum && next_alnum => {
                    raw.push(match c {
                        '$' => 's',
                        '@' => 'a',
                        _ => 'i',
                    });
                    continue;
                }
                '"' | '\u{201C}' | '\u{201D}' | '\u{201E}' | '\u{00AB}' | '\u{00BB}' => {
                    b.flush(&mut raw);
                    b.dquote = match c {
                        '\u{201C}' | '\u{201E}' | '\u{00AB}' => true,
                        '\u{201D}' | '\u{00BB}' => false,
                        _ => !b.dquote,
                    };
                    b.break_clause();
                }
                '.' | '!' | '?' | ';' | ':' | ',' | '\n' | '\r' | '(' | ')' | '[' | ']' | '…'
                | '|' | '\u{2014}' | '\u{2013}' | '-' => {
                    b.flush(&mut raw);
                    b.break_clause();
                    if matches!(c, '.' | '!' | '?' | '\n') {
                        // a sentence end also closes an unbalanced quote
                        b.squote = false;
                    }
                }
                _ => {
                    b.flush(&mut raw);
                    // a few emoji carry the whole message ("💔"): read them as words
                    if let Some(word) = emoji_word(c) {
                        b.break_clause();
                        b.push_raw(word);
                        b.break_clause();
                    }
                }
            }
            prev_alnum = false;
        }
        b.flush(&mut raw);
        b.finish()
    }

    pub fn len(&self) -> usize {
        self.toks.len()
    }

    pub fn is_empty(&self) -> bool {
        self.toks.is_empty()
    }

    pub fn word(&self, i: usize) -> &str {
        let t = self.toks[i];
        &self.buf[t.start as usize..t.end as usize]
    }

    pub fn tok(&self, i: usize) -> Tok {
        self.toks[i]
    }

    /// Words `from..to`, joined by spaces (for explanations).
    pub fn span(&self, from: usize, to: usize) -> String {
        (from..to.min(self.len()))
            .map(|i| self.word(i))
            .collect::<Vec<_>>()
            .join(" ")
    }
}

#[derive(Default)]
struct Builder {
    text: Text,
    clause: u32,
    clause_used: bool,
    squote: bool,
    dquote: bool,
    /// Index of a pending "'d" token to resolve as "had"/"would".
    pending_d: Option<usize>,
}

impl Builder {
    fn break_clause(&mut self) {
        if self.clause_used {
            self.clause += 1;
            self.clause_used = false;
        }
    }

    fn push_word(&mut self, w: &str) {
        if w.is_empty() {
            return;
        }
        if let Some(i) = self.pending_d.take() {
            let had = w.ends_with("ed")
                || matches!(
                    w,
                    "been"
                        | "gone"
                        | "done"
                        | "sent"
                        | "written"
                        | "seen"
                        | "told"
                        | "left"
                        | "had"
                        | "met"
                        | "got"
                        | "said"
                        | "already"
                        | "never"
                        | "just"
                );
            if had {
                // the pending word is last in the buffer
                let t = self.text.toks[i];
                self.text.buf.truncate(t.start as usize);
                self.text.buf.push_str("had");
                self.text.toks[i].end = self.text.buf.len() as u32;
            }
        }
        if CLAUSE_WORDS.contains(&w) {
            self.break_clause();
        }
        let start = self.text.buf.len() as u32;
        self.text.buf.push_str(w);
        self.text.toks.push(Tok {
            start,
            end: self.text.buf.len() as u32,
            clause: self.clause,
            quoted: self.squote || self.dquote,
        });
        self.clause_used = true;
    }

    fn push_expansion(&mut self, s: &str) {
        for w in s.split(' ') {
            self.push_word(w);
        }
    }

    /// Normalises one raw token (lower case, internal ' and - kept).
    fn flush(&mut self, raw: &mut String) {
        if raw.is_empty() {
            return;
        }
        let collapsed = collapse_runs(raw);
        raw.clear();
        if TABLE.contains_key(collapsed.as_str()) {
            self.push_raw(&collapsed);
        } else {
            self.push_raw(&unleet(&collapsed));
        }
    }

    fn push_raw(&mut self, w: &str) {
        if let Some(exp) = TABLE.get(w) {
            self.push_expansion(exp);
            return;
        }
        if w.contains('-') {
            for part in w.split('-') {
                if !part.is_empty() {
                    self.push_raw(part);
                }
            }
            return;
        }
        if let Some(pos) = w.find('\'') {
            let (base, suffix) = (&w[..pos], &w[pos + 1..]);
            if suffix == "t" && base.ends_with('n') {
                let stem = &base[..base.len() - 1];
                let stem = match stem {
                    "ca" => "can",
                    "wo" => "will",
                    "ai" => "is",
                    "sha" => "shall",
                    s => s,
                };
                self.push_raw(stem);
                self.push_word("not");
                return;
            }
            match suffix {
                "s" => {
                    self.push_raw(base);
                    if matches!(
                        base,
                        "he" | "she"
                            | "it"
                            | "that"
                            | "what"
                            | "there"
                            | "who"
                            | "where"
                            | "how"
                            | "here"
                    ) {
                        self.push_word("is");
                    }
                }
                "re" => {
                    self.push_raw(base);
                    self.push_word("are");
                }
                "ve" => {
                    self.push_raw(base);
                    self.push_word("have");
                }
                "ll" => {
                    self.push_raw(base);
                    self.push_word("will");
                }
                "m" => {
                    self.push_raw(base);
                    self.push_word("am");
                }
                "d" => {
                    self.push_raw(base);
                    self.push_word("would");
                    self.pending_d = Some(self.text.toks.len() - 1);
                }
                _ => {
                    let joined: String = w.chars().filter(|&c| c != '\'').collect();
                    self.push_raw(&joined);
                }
            }
            return;
        }
        // split digit/letter runs: "3am" -> "3 am"
        let has_digit = w.bytes().any(|b| b.is_ascii_digit());
        let has_alpha = w.chars().any(|c| !c.is_ascii_digit());
        if has_digit && has_alpha {
            let mut start = 0;
            let mut prev_digit = None;
            for (i, c) in w.char_indices() {
                let d = c.is_ascii_digit();
                if prev_digit.is_some_and(|p| p != d) {
                    self.push_piece(&w[start..i]);
                    start = i;
                }
                prev_digit = Some(d);
            }
            self.push_piece(&w[start..]);
            return;
        }
        self.push_word(w);
    }

    fn push_piece(&mut self, w: &str) {
        match TABLE.get(w) {
            Some(exp) => self.push_expansion(exp),
            None => self.push_word(w),
        }
    }

    fn finish(self) -> Text {
        self.text
    }
}

/// Collapses runs of three or more equal characters to two ("sooo" → "soo").
fn collapse_runs(w: &str) -> String {
    let mut out = String::with_capacity(w.len());
    let mut last = None;
    let mut run = 0;
    for c in w.chars() {
        if Some(c) == last {
            run += 1;
        } else {
            run = 1;
            last = Some(c);
        }
        if run <= 2 || c.is_ascii_digit() {
            out.push(c);
        }
    }
    out
}

/// A light suffix-stripping stemmer (Porter step 1) for ASCII words.
/// Returns the kept prefix of `w` and a suffix to append to it.
pub(crate) fn stem(w: &str) -> (&str, &'static str) {
    let b = w.as_bytes();
    if b.len() <= 3 || !w.is_ascii() {
        return (w, "");
    }
    let (mut base, mut tail): (&str, &'static str) = (w, "");
    // step 1a
    if w.ends_with("sses") {
        base = &w[..w.len() - 2];
    } else if w.ends_with("ies") && w.len() > 4 {
        base = &w[..w.len() - 3];
        tail = "i";
    } else if w.ends_with('s') && !w.ends_with("ss") && !w.ends_with("us") && !w.ends_with("is") {
        base = &w[..w.len() - 1];
    }
    if !tail.is_empty() {
        return (base, tail);
    }
    // step 1b
    // "need", "feed" keep their "eed"
    let mut stripped = false;
    if !base.ends_with("eed")
        && let Some(s) = base.strip_suffix("ing").or_else(|| base.strip_suffix("ed"))
        && s.len() >= 3
        && has_vowel(s)
    {
        base = s;
        stripped = true;
    }
    if stripped {
        let bb = base.as_bytes();
        let n = bb.len();
        if base.ends_with("at") || base.ends_with("bl") || base.ends_with("iz") {
            return (base, "e");
        }
        if n >= 2 && bb[n - 1] == bb[n - 2] && !is_vowel(bb[n - 1]) && !b"lsz".contains(&bb[n - 1])
        {
            return (&base[..n - 1], "");
        }
        if n <= 4 && is_cvc(bb) {
            return (base, "e");
        }
    }
    // step 1c
    if base.len() > 2 && base.ends_with('y') && has_vowel(&base[..base.len() - 1]) {
        return (&base[..base.len() - 1], "i");
    }
    (base, tail)
}

fn is_vowel(c: u8) -> bool {
    matches!(c, b'a' | b'e' | b'i' | b'o' | b'u')
}

fn has_vowel(s: &str) -> bool {
    s.bytes().any(|c| is_vowel(c) || c == b'y')
}

fn is_cvc(b: &[u8]) -> bool {
    let n = b.len();
    n >= 3
        && !is_vowel(b[n - 1])
        && !b"wxy".contains(&b[n - 1])
        && is_vowel(b[n - 2])
        && !is_vowel(b[n - 3])
}

#[cfg(test)]
mod tests {
    use super::*;

    fn words(s: &str) -> Vec<String> {
        let t = Text::analyse(s);
        (0..t.len()).map(|i| t.word(i).to_string()).collect()
    }

    fn stemmed(w: &str) -> String {
        let (a, b) = stem(w);
        format!("{a}{b}")
    }

    #[test]
    fn normalises_slang_and_contractions() {
        assert_eq!(
            words("Im SOOO sad rn 😭"),
            ["i", "am", "so", "sad", "right", "now", "crying"]
        );
        assert_eq!(
            words("I didn't text him"),
            ["i", "did", "not", "text", "him"]
        );
        assert_eq!(
            words("i didnt txt ur bf"),
            ["i", "did", "not", "text", "your", "boyfriend"]
        );
        assert_eq!(words("he'd texted me"), ["he", "had", "texted", "me"]);
        assert_eq!(words("she'd like that"), ["she", "would", "like", "that"]);
        assert_eq!(words("my ex's mom"), ["my", "ex", "mom"]);
        assert_eq!(words("he's gone"), ["he", "is", "gone"]);
        assert_eq!(words("called at 3am"), ["called", "at", "3", "am"]);
        assert_eq!(words("self-harm"), ["self", "harm"]);
        assert_eq!(words("b-day tmrw"), ["birthday", "tomorrow"]);
        assert_eq!(words("can’t"), ["can", "not"]);
        assert_eq!(words("ÉTÉ Straße"), ["été", "straße"]);
    }

    #[test]
    fn terminal_escapes_are_not_words() {
        assert!(words("\u{1b}[31m\u{1b}[0m").is_empty());
        assert_eq!(
            words("he \u{1b}[1;31mtexted\u{1b}[0m me"),
            ["he", "texted", "me"]
        );
        assert_eq!(words("\u{1b}]0;title\u{7}hi"), ["hi"]);
        assert_eq!(words("\u{1b}]0;title\u{1b}\\hi"), ["hi"]);
        assert!(words("\u{1b}").is_empty());
    }

    #[test]
    fn clauses_and_quotes() {
        let t = Text::analyse("he texted me \"i miss you\" and I replied");
        let q: Vec<bool> = (0..t.len()).map(|i| t.tok(i).quoted).collect();
        assert_eq!(
            q,
            [false, false, false, true, true, true, false, false, false]
        );
        assert_ne!(t.tok(2).clause, t.tok(3).clause);
        assert_ne!(t.tok(5).clause, t.tok(6).clause);
        let t = Text::analyse("he wrote: 'hey, how are you?' should i answer");
        assert!(t.tok(2).quoted);
        assert!(!t.tok(t.len() - 1).quoted);
    }

    #[test]
    fn stems() {
        assert_eq!(stemmed("texted"), "text");
        assert_eq!(stemmed("texting"), "text");
        assert_eq!(stemmed("texts"), "text");
        assert_eq!(stemmed("calling"), "call");
        assert_eq!(stemmed("stories"), "stori");
        assert_eq!(stemmed("story"), "stori");
        assert_eq!(stemmed("dating"), "date");
        assert_eq!(stemmed("liked"), "like");
        assert_eq!(stemmed("stopped"), "stop");
        assert_eq!(stemmed("his"), "his");
        assert_eq!(stemmed("this"), "this");
        assert_eq!(stemmed("need"), "need");
        assert_eq!(stemmed("used"), "used");
        assert_eq!(stemmed("died"), "died");
        assert_eq!(stemmed("lies"), "lie");
    }

    #[test]
    fn junk_is_fine() {
        assert!(Text::analyse("").is_empty());
        assert!(Text::analyse("   \t\n").is_empty());
        // a few emoji are read as the word they stand for; the rest are separators
        assert_eq!(words("😭😭🙏"), ["crying", "crying", "thanks"]);
        assert!(Text::analyse("🫠🪐").is_empty());
        assert_eq!(words("k1ll mys3lf"), ["kill", "myself"]);
        assert_eq!(words("b4 l8r"), ["before", "later"]);
        // short words ending in a digit for a letter; numbers and units stay
        assert_eq!(words("i w4nt t0 d13"), ["i", "want", "to", "die"]);
        assert!(!Text::analyse("שלום מה שלומך").is_empty());
        assert_eq!(words("a\u{0}b\u{7}c"), ["a", "be", "see"]);
    }
}
