//! The content pack: every user-facing text of the coach, written by a
//! coach in TOML, plus the labelled training examples of the matcher.
//!
//! Files in the pack directory (default `config/content/`):
//! `guidance.toml`, `moments.toml`, `nudges.toml`, `milestones.toml`,
//! `training.tsv`, `safety.tsv`. [`ContentPack::check`] lists every problem it finds;
//! [`ContentPack::load`] refuses a pack with any problem.

use std::collections::BTreeMap;
use std::fmt;
use std::path::{Path, PathBuf};

use serde::Deserialize;

use super::helplines::{self, Helplines, HelplinesFile, Labels, LineKind};
use super::sentinel::Concern;
use super::situation::Situation;
use super::tags::Tag;
use crate::domain::country::Country;

/// Longest text in characters (a phone screen or two).
pub const MAX_TEXT_CHARS: usize = 700;
/// Minimum training examples per situation.
pub const MIN_EXAMPLES: usize = 5;
/// Countries whose crisis lines the pack must have (the most common users' countries).
pub const REQUIRED_COUNTRIES: [&str; 2] = ["US", "GB"];

pub const GUIDANCE: &str = "guidance.toml";
pub const MOMENTS: &str = "moments.toml";
pub const NUDGES: &str = "nudges.toml";
pub const MILESTONES: &str = "milestones.toml";
pub const TRAINING: &str = "training.tsv";
pub const SAFETY: &str = "safety.tsv";
pub const HELPLINES: &str = "helplines.toml";

// ---------------------------------------------------------------------
// File schemas

/// A list that may also be written as a single string.
#[derive(Debug, Clone, Deserialize)]
#[serde(untagged)]
enum Texts {
    One(String),
    Many(Vec<String>),
}

impl Texts {
    fn into_vec(self) -> Vec<String> {
        match self {
            Texts::One(s) => vec![s],
            Texts::Many(v) => v,
        }
    }
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct GuidanceFile {
    openers: Lines,
    helplines: HelplineTexts,
    scam: ScamFile,
    unsafe_ex: RepliesFile,
    crisis_check: RepliesFile,
    care: CareFile,
    situations: BTreeMap<String, SituationFile>,
}

/// The words around helplines in a reply.
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(deny_unknown_fields)]
struct HelplineTexts {
    crisis_intro: String,
    abuse_intro: String,
    #[serde(flatten)]
    labels: Labels,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct CareFile {
    openers: Vec<String>,
}

/// A reply variant: plain text (fits any message of its situation), or a text with the
/// conditions it needs.
#[derive(Debug, Clone, Deserialize)]
#[serde(untagged)]
enum VariantFile {
    Plain(String),
    When { when: Vec<String>, text: String },
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct Lines {
    lines: Vec<String>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct ScamFile {
    warning: String,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct SituationFile {
    label: String,
    replies: Vec<VariantFile>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct MomentsFile {
    slip: RepliesFile,
    resisted: RepliesFile,
    /// Optional: without it, progress shared is answered as its situation.
    progress: Option<RepliesFile>,
    wait: WaitFile,
    draft: DraftFile,
    crisis_checkin: MessagesFile,
    care_checkin: MessagesFile,
    sos: SosFile,
    meta: MetaFile,
    welcome: WelcomeFile,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct SosFile {
    intro: String,
    grounding: Vec<String>,
    later: String,
}

/// Answers to messages about the bot itself.
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct MetaTexts {
    pub greeting: Vec<String>,
    pub thanks: Vec<String>,
    pub about: String,
    pub human: String,
    pub privacy: String,
    pub settings: String,
    pub nudges: String,
    pub wrong_chat: String,
}

type MetaFile = MetaTexts;

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct RepliesFile {
    replies: Vec<String>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct WaitFile {
    start: Texts,
    checkback: Texts,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct DraftFile {
    prompt: Texts,
    saved: Texts,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct MessagesFile {
    messages: Vec<String>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct WelcomeFile {
    text: String,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct NudgesFile {
    morning: MessagesFile,
    evening: PromptsFile,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct PromptsFile {
    prompts: Vec<String>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct MilestonesFile {
    milestones: Vec<Milestone>,
}

// ---------------------------------------------------------------------
// Public types

/// A streak milestone.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Milestone {
    pub day: u32,
    pub title: String,
    /// May contain `{days}`.
    pub message: String,
}

/// A reply variant and the conditions it needs (none: the general answer).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Variant {
    pub when: Vec<Tag>,
    pub text: String,
}

/// The texts of one situation.
#[derive(Debug, Clone, Default)]
struct SituationTexts {
    label: String,
    replies: Vec<Variant>,
}

/// `/sos`: helplines, a grounding exercise, and the offer to check in later.
#[derive(Debug, Clone, Default)]
pub struct SosTexts {
    pub intro: String,
    pub grounding: Vec<String>,
    pub later: String,
}

/// A parsed and validated content pack.
#[derive(Debug, Clone)]
pub struct ContentPack {
    dir: PathBuf,
    openers: Vec<String>,
    helplines: Helplines,
    helpline_texts: HelplineTexts,
    scam_warning: String,
    unsafe_ex: Vec<String>,
    crisis_check: Vec<String>,
    care_openers: Vec<String>,
    care_checkins: Vec<String>,
    sos: SosTexts,
    meta: MetaTexts,
    situations: Vec<SituationTexts>,
    slip_replies: Vec<String>,
    resisted_replies: Vec<String>,
    progress_replies: Vec<String>,
    wait_start: Vec<String>,
    wait_checkback: Vec<String>,
    draft_prompts: Vec<String>,
    draft_saved: Vec<String>,
    crisis_checkins: Vec<String>,
    welcome: String,
    morning_messages: Vec<String>,
    evening_prompts: Vec<String>,
    milestones: Vec<Milestone>,
    training: Vec<(Situation, String)>,
    safety: Vec<(Concern, String)>,
}

/// One problem found in a content pack.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ContentProblem {
    /// File name within the pack, e.g. `guidance.toml`.
    pub file: String,
    /// Where in the file, e.g. `situations.reach_out.replies[2]` or `line 14`.
    pub location: String,
    pub message: String,
}

impl fmt::Display for ContentProblem {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if self.location.is_empty() {
            write!(f, "{}: {}", self.file, self.message)
        } else {
            write!(f, "{}: {}: {}", self.file, self.location, self.message)
        }
    }
}

/// Why a content pack could not be loaded: every problem found.
#[derive(Debug, Clone, thiserror::Error)]
#[error("invalid content pack {}: {}", dir.display(), list(problems))]
pub struct ContentError {
    pub dir: PathBuf,
    pub problems: Vec<ContentProblem>,
}

fn list(problems: &[ContentProblem]) -> String {
    let shown: Vec<String> = problems.iter().take(10).map(|p| p.to_string()).collect();
    let mut s = shown.join("; ");
    if problems.len() > 10 {
        s.push_str(&format!("; and {} more", problems.len() - 10));
    }
    s
}

/// Replaces every `{name}` of `vars` in `template`. Unknown placeholders
/// are left as they are.
pub fn render(template: &str, vars: &[(&str, String)]) -> String {
    let mut out = String::with_capacity(template.len() + 16);
    let mut rest = template;
    while let Some(open) = rest.find('{') {
        out.push_str(&rest[..open]);
        let after = &rest[open + 1..];
        match after.find('}') {
            Some(close) => {
                let name = &after[..close];
                match vars.iter().find(|(n, _)| *n == name) {
                    Some((_, v)) => out.push_str(v),
                    None => {
                        out.push('{');
                        out.push_str(name);
                        out.push('}');
                    }
                }
                rest = &after[close + 1..];
            }
            None => {
                out.push_str(&rest[open..]);
                rest = "";
            }
        }
    }
    out.push_str(rest);
    out
}

// ---------------------------------------------------------------------
// Loading and checking

impl ContentPack {
    /// Parses and validates the pack in `dir`.
    pub fn load(dir: &Path) -> Result<ContentPack, ContentError> {
        let (pack, problems) = parse(dir);
        match pack {
            Some(p) if problems.is_empty() => Ok(p),
            _ => Err(ContentError {
                dir: dir.to_path_buf(),
                problems,
            }),
        }
    }

    /// Every problem of the pack in `dir`; empty means it is fine.
    pub fn check(dir: &Path) -> Vec<ContentProblem> {
        parse(dir).1
    }

    /// The directory the pack was loaded from.
    pub fn dir(&self) -> &Path {
        &self.dir
    }

    /// Milestones sorted by day.
    pub fn milestones(&self) -> &[Milestone] {
        &self.milestones
    }

    /// The first milestone after `days`.
    pub fn next_milestone(&self, days: i64) -> Option<&Milestone> {
        self.milestones.iter().find(|m| i64::from(m.day) > days)
    }

    /// The milestone reached exactly on `days`.
    pub fn milestone_on(&self, days: i64) -> Option<&Milestone> {
        self.milestones.iter().find(|m| i64::from(m.day) == days)
    }

    pub fn welcome(&self) -> &str {
        &self.welcome
    }

    /// After a logged slip; `{days}` = the streak that ended.
    pub fn slip_replies(&self) -> &[String] {
        &self.slip_replies
    }

    /// After "I resisted"; `{count}` = urges resisted so far.
    pub fn resisted_replies(&self) -> &[String] {
        &self.resisted_replies
    }

    /// When the user shares progress ("proud of myself", "first good day").
    pub fn progress_replies(&self) -> &[String] {
        &self.progress_replies
    }

    /// "Wait with me" starts; `{minutes}`.
    pub fn wait_start(&self) -> &[String] {
        &self.wait_start
    }

    pub fn wait_checkback(&self) -> &[String] {
        &self.wait_checkback
    }

    pub fn draft_prompts(&self) -> &[String] {
        &self.draft_prompts
    }

    pub fn draft_saved(&self) -> &[String] {
        &self.draft_saved
    }

    /// Check-in messages the day after a crisis.
    pub fn crisis_checkins(&self) -> &[String] {
        &self.crisis_checkins
    }

    /// Morning nudges; `{days}`.
    pub fn morning_messages(&self) -> &[String] {
        &self.morning_messages
    }

    pub fn evening_prompts(&self) -> &[String] {
        &self.evening_prompts
    }

    /// Every helpline of the pack.
    pub fn helplines(&self) -> &Helplines {
        &self.helplines
    }

    /// The helplines block for a crisis (or abuse) reply in a country, with its intro.
    pub fn helplines_for(&self, country: Option<Country>, kind: LineKind) -> String {
        let intro = match kind {
            LineKind::Abuse => &self.helpline_texts.abuse_intro,
            _ => &self.helpline_texts.crisis_intro,
        };
        let kind = if kind == LineKind::Emergency {
            LineKind::Crisis
        } else {
            kind
        };
        format!(
            "{intro}\n{}",
            self.helplines
                .render(country, kind, &self.helpline_texts.labels)
        )
    }

    /// The helplines block alone, without its intro (for `/sos`, which has its own).
    pub fn helplines_plain(&self, country: Option<Country>, kind: LineKind) -> String {
        self.helplines
            .render(country, kind, &self.helpline_texts.labels)
    }

    /// Replies about the ex for a user who said the ex was violent or threatening.
    pub fn unsafe_ex_replies(&self) -> &[String] {
        &self.unsafe_ex
    }

    /// A gentle "are you safe?" for a message that only may speak of self-harm.
    pub fn crisis_check(&self) -> &[String] {
        &self.crisis_check
    }

    /// Openers of replies in the careful time after a crisis message (no streak talk).
    pub fn care_openers(&self) -> &[String] {
        &self.care_openers
    }

    /// Gentle check-ins that replace morning nudges in the careful time.
    pub fn care_checkins(&self) -> &[String] {
        &self.care_checkins
    }

    pub fn sos(&self) -> &SosTexts {
        &self.sos
    }

    pub fn meta(&self) -> &MetaTexts {
        &self.meta
    }

    /// Appended to come-back replies that mention spells or psychics.
    pub fn scam_warning(&self) -> &str {
        &self.scam_warning
    }

    /// Lines put before a reply when the streak is known; `{days}`.
    pub fn openers(&self) -> &[String] {
        &self.openers
    }

    /// Reply variants of a situation (never empty in a loaded pack).
    pub fn replies(&self, situation: Situation) -> &[Variant] {
        &self.situations[situation.index()].replies
    }

    /// Short human label of a situation.
    pub fn label(&self, situation: Situation) -> &str {
        &self.situations[situation.index()].label
    }

    /// Labelled examples for the matcher, in file order.
    pub fn training_examples(&self) -> &[(Situation, String)] {
        &self.training
    }

    /// Labelled examples for the safety model (crisis, abuse, innocent), in file order.
    pub fn safety_examples(&self) -> &[(Concern, String)] {
        &self.safety
    }
}

/// Collects problems of one file.
struct Checker {
    file: &'static str,
    problems: Vec<ContentProblem>,
}

impl Checker {
    fn new(file: &'static str) -> Checker {
        Checker {
            file,
            problems: Vec::new(),
        }
    }

    fn problem(&mut self, location: impl Into<String>, message: impl Into<String>) {
        self.problems.push(ContentProblem {
            file: self.file.to_string(),
            location: location.into(),
            message: message.into(),
        });
    }

    /// A single text: not empty, not too long, only allowed placeholders,
    /// required placeholders present.
    fn text(&mut self, loc: &str, text: &str, allowed: &[&str], required: &[&str], max: usize) {
        if text.trim().is_empty() {
            self.problem(loc, "text is empty");
            return;
        }
        let n = text.chars().count();
        if n > max {
            self.problem(loc, format!("text is {n} characters long (at most {max})"));
        }
        match placeholders(text) {
            Ok(found) => {
                for p in &found {
                    if !allowed.contains(&p.as_str()) {
                        let msg = if allowed.is_empty() {
                            format!("placeholder {{{p}}} is not allowed here (none are)")
                        } else {
                            let list: Vec<String> =
                                allowed.iter().map(|a| format!("{{{a}}}")).collect();
                            format!(
                                "placeholder {{{p}}} is not allowed here (allowed: {})",
                                list.join(", ")
                            )
                        };
                        self.problem(loc, msg);
                    }
                }
                for r in required {
                    if !found.iter().any(|f| f == r) {
                        self.problem(loc, format!("placeholder {{{r}}} is required"));
                    }
                }
            }
            Err(msg) => self.problem(loc, msg),
        }
    }

    /// A non-empty list of texts.
    fn texts(&mut self, loc: &str, texts: &[String], allowed: &[&str], required: &[&str]) {
        if texts.is_empty() {
            self.problem(loc, "needs at least one text");
        }
        for (i, t) in texts.iter().enumerate() {
            self.text(&format!("{loc}[{i}]"), t, allowed, required, MAX_TEXT_CHARS);
        }
    }
}

/// The placeholder names of a text, or a message about broken braces.
fn placeholders(text: &str) -> Result<Vec<String>, String> {
    let mut out = Vec::new();
    let mut rest = text;
    loop {
        let open = rest.find('{');
        let close = rest.find('}');
        match (open, close) {
            (None, None) => return Ok(out),
            (None, Some(_)) => return Err("unbalanced '}'".into()),
            (Some(o), Some(c)) if c < o => return Err("unbalanced '}'".into()),
            (Some(_), None) => return Err("unbalanced '{'".into()),
            (Some(o), Some(c)) => {
                let name = &rest[o + 1..c];
                if name.is_empty()
                    || !name
                        .chars()
                        .all(|ch| ch.is_ascii_lowercase() || ch == '_' || ch.is_ascii_digit())
                {
                    return Err(format!("malformed placeholder {{{name}}}"));
                }
                out.push(name.to_string());
                rest = &rest[c + 1..];
            }
        }
    }
}

/// Reads and deserialises one TOML file, reporting problems.
fn read_toml<T: serde::de::DeserializeOwned>(dir: &Path, c: &mut Checker) -> Option<T> {
    let path = dir.join(c.file);
    let src = match std::fs::read_to_string(&path) {
        Ok(s) => s,
        Err(e) => {
            c.problem("", format!("cannot read {}: {e}", path.display()));
            return None;
        }
    };
    match toml::from_str::<T>(&src) {
        Ok(v) => Some(v),
        Err(e) => {
            let loc = e
                .span()
                .map(|s| {
                    let line = src[..s.start.min(src.len())].matches('\n').count() + 1;
                    format!("line {line}")
                })
                .unwrap_or_default();
            c.problem(loc, e.message().trim().to_string());
            None
        }
    }
}

fn parse(dir: &Path) -> (Option<ContentPack>, Vec<ContentProblem>) {
    let mut problems = Vec::new();

    // guidance.toml
    let mut c = Checker::new(GUIDANCE);
    let guidance: Option<GuidanceFile> = read_toml(dir, &mut c);
    let mut situations = vec![SituationTexts::default(); Situation::ALL.len()];
    let (mut openers, mut warning) = (Vec::new(), String::new());
    let (mut helpline_texts, mut unsafe_ex, mut care_openers) =
        (HelplineTexts::default(), Vec::new(), Vec::new());
    let mut crisis_check = Vec::new();
    if let Some(g) = guidance {
        c.texts("openers.lines", &g.openers.lines, &["days"], &["days"]);
        let h = &g.helplines;
        for (loc, text, allowed) in [
            ("helplines.crisis_intro", &h.crisis_intro, &[][..]),
            ("helplines.abuse_intro", &h.abuse_intro, &[][..]),
            ("helplines.emergency", &h.labels.emergency, &["number"][..]),
            (
                "helplines.emergency_unknown",
                &h.labels.emergency_unknown,
                &[][..],
            ),
            (
                "helplines.directory",
                &h.labels.directory,
                &["name", "url"][..],
            ),
        ] {
            c.text(loc, text, allowed, allowed, MAX_TEXT_CHARS);
        }
        c.text("scam.warning", &g.scam.warning, &[], &[], MAX_TEXT_CHARS);
        c.texts("unsafe_ex.replies", &g.unsafe_ex.replies, &[], &[]);
        if g.unsafe_ex.replies.len() < 2 {
            c.problem("unsafe_ex.replies", "needs at least 2 replies");
        }
        c.texts("care.openers", &g.care.openers, &[], &[]);
        c.texts("crisis_check.replies", &g.crisis_check.replies, &[], &[]);
        let longest_opener = g
            .openers
            .lines
            .iter()
            .chain(&g.care.openers)
            .map(|l| l.chars().count())
            .max()
            .unwrap_or(0);
        for id in g.situations.keys() {
            if Situation::from_id(id).is_none() {
                c.problem(format!("situations.{id}"), "unknown situation");
            }
        }
        for s in Situation::ALL {
            let loc = format!("situations.{}", s.id());
            let Some(f) = g.situations.get(s.id()) else {
                c.problem(loc, "situation is missing");
                continue;
            };
            c.text(&format!("{loc}.label"), &f.label, &[], &[], 100);
            let min = match s {
                Situation::Crisis | Situation::Other => 1,
                _ => 2,
            };
            let mut replies = Vec::new();
            for (i, r) in f.replies.iter().enumerate() {
                let rloc = format!("{loc}.replies[{i}]");
                let (when, text) = match r {
                    VariantFile::Plain(text) => (Vec::new(), text.clone()),
                    VariantFile::When { when, text } => {
                        let mut tags = Vec::new();
                        for id in when {
                            match Tag::from_id(id) {
                                Some(t) => tags.push(t),
                                None => c.problem(
                                    format!("{rloc}.when"),
                                    format!(
                                        "unknown condition \"{id}\" (known: {})",
                                        Tag::ALL.map(Tag::id).join(", ")
                                    ),
                                ),
                            }
                        }
                        (tags, text.clone())
                    }
                };
                let n = text.chars().count();
                c.text(&rloc, &text, &[], &[], MAX_TEXT_CHARS);
                if !s.is_safety() && n <= MAX_TEXT_CHARS && n + 2 + longest_opener > MAX_TEXT_CHARS
                {
                    c.problem(
                        &rloc,
                        format!(
                            "reply plus the longest opener is {} characters (at most {MAX_TEXT_CHARS})",
                            n + 2 + longest_opener
                        ),
                    );
                }
                replies.push(Variant { when, text });
            }
            if replies.iter().filter(|v| v.when.is_empty()).count() < min {
                c.problem(
                    format!("{loc}.replies"),
                    format!(
                        "needs at least {min} replies without a condition (the general answers)"
                    ),
                );
            }
            situations[s.index()] = SituationTexts {
                label: f.label.clone(),
                replies,
            };
        }
        openers = g.openers.lines;
        warning = g.scam.warning;
        helpline_texts = g.helplines;
        unsafe_ex = g.unsafe_ex.replies;
        care_openers = g.care.openers;
        crisis_check = g.crisis_check.replies;
    }
    problems.append(&mut c.problems);

    // helplines.toml
    let mut c = Checker::new(HELPLINES);
    let helplines_file: Option<HelplinesFile> = read_toml(dir, &mut c);
    let mut helplines = None;
    if let Some(file) = helplines_file {
        for (loc, message) in helplines::problems(&file) {
            c.problem(loc, message);
        }
        let h = Helplines::new(file);
        let have = h.countries(LineKind::Crisis);
        for code in REQUIRED_COUNTRIES
            .iter()
            .copied()
            .chain(h.fallback().common.iter().map(String::as_str))
        {
            if !have.contains(code) {
                c.problem("", format!("no crisis line for {code}"));
            }
        }
        helplines = Some(h);
    }
    problems.append(&mut c.problems);

    // moments.toml
    let mut c = Checker::new(MOMENTS);
    let moments: Option<MomentsFile> = read_toml(dir, &mut c);
    let mut m_out: [Vec<String>; 8] = Default::default();
    let mut progress = Vec::new();
    let mut welcome = String::new();
    let (mut sos, mut meta) = (SosTexts::default(), MetaTexts::default());
    if let Some(m) = moments {
        let lists = [
            ("slip.replies", m.slip.replies, &["days"][..]),
            ("resisted.replies", m.resisted.replies, &["count"][..]),
            ("wait.start", m.wait.start.into_vec(), &["minutes"][..]),
            ("wait.checkback", m.wait.checkback.into_vec(), &[][..]),
            ("draft.prompt", m.draft.prompt.into_vec(), &[][..]),
            ("draft.saved", m.draft.saved.into_vec(), &[][..]),
            (
                "crisis_checkin.messages",
                m.crisis_checkin.messages,
                &[][..],
            ),
            ("care_checkin.messages", m.care_checkin.messages, &[][..]),
        ];
        for (i, (loc, texts, allowed)) in lists.into_iter().enumerate() {
            c.texts(loc, &texts, allowed, &[]);
            m_out[i] = texts;
        }
        if let Some(p) = m.progress {
            c.texts("progress.replies", &p.replies, &[], &[]);
            progress = p.replies;
        }
        c.text("welcome.text", &m.welcome.text, &[], &[], MAX_TEXT_CHARS);
        welcome = m.welcome.text;
        c.text("sos.intro", &m.sos.intro, &[], &[], MAX_TEXT_CHARS);
        c.texts("sos.grounding", &m.sos.grounding, &[], &[]);
        c.text("sos.later", &m.sos.later, &[], &[], MAX_TEXT_CHARS);
        sos = SosTexts {
            intro: m.sos.intro,
            grounding: m.sos.grounding,
            later: m.sos.later,
        };
        let mt = &m.meta;
        c.texts("meta.greeting", &mt.greeting, &[], &[]);
        c.texts("meta.thanks", &mt.thanks, &[], &[]);
        for (loc, text) in [
            ("meta.about", &mt.about),
            ("meta.human", &mt.human),
            ("meta.privacy", &mt.privacy),
            ("meta.settings", &mt.settings),
            ("meta.nudges", &mt.nudges),
            ("meta.wrong_chat", &mt.wrong_chat),
        ] {
            c.text(loc, text, &[], &[], MAX_TEXT_CHARS);
        }
        meta = m.meta;
    }
    problems.append(&mut c.problems);
    let [
        slip,
        resisted,
        wait_start,
        wait_checkback,
        draft_prompts,
        draft_saved,
        checkins,
        care_checkins,
    ] = m_out;

    // nudges.toml
    let mut c = Checker::new(NUDGES);
    let nudges: Option<NudgesFile> = read_toml(dir, &mut c);
    let (mut morning, mut evening) = (Vec::new(), Vec::new());
    if let Some(n) = nudges {
        c.texts("morning.messages", &n.morning.messages, &["days"], &[]);
        c.texts("evening.prompts", &n.evening.prompts, &[], &[]);
        morning = n.morning.messages;
        evening = n.evening.prompts;
    }
    problems.append(&mut c.problems);

    // milestones.toml
    let mut c = Checker::new(MILESTONES);
    let ms: Option<MilestonesFile> = read_toml(dir, &mut c);
    let mut milestones = Vec::new();
    if let Some(ms) = ms {
        if ms.milestones.is_empty() {
            c.problem("milestones", "needs at least one milestone");
        }
        let mut seen = std::collections::BTreeSet::new();
        for (i, m) in ms.milestones.iter().enumerate() {
            let loc = format!("milestones[{i}]");
            if m.day == 0 {
                c.problem(format!("{loc}.day"), "day must be positive");
            }
            if !seen.insert(m.day) {
                c.problem(format!("{loc}.day"), format!("day {} appears twice", m.day));
            }
            c.text(&format!("{loc}.title"), &m.title, &[], &[], 100);
            c.text(
                &format!("{loc}.message"),
                &m.message,
                &["days"],
                &[],
                MAX_TEXT_CHARS,
            );
        }
        milestones = ms.milestones;
        milestones.sort_by_key(|m| m.day);
    }
    problems.append(&mut c.problems);

    // training.tsv
    let mut c = Checker::new(TRAINING);
    let training = read_training(dir, &mut c);
    problems.append(&mut c.problems);
    let mut c = Checker::new(SAFETY);
    let safety = read_safety(dir, &mut c);
    problems.append(&mut c.problems);

    let Some(helplines) = helplines.filter(|_| problems.is_empty()) else {
        return (None, problems);
    };
    let pack = ContentPack {
        dir: dir.to_path_buf(),
        openers,
        helplines,
        helpline_texts,
        scam_warning: warning,
        unsafe_ex,
        crisis_check,
        care_openers,
        care_checkins,
        sos,
        meta,
        situations,
        slip_replies: slip,
        resisted_replies: resisted,
        progress_replies: progress,
        wait_start,
        wait_checkback,
        draft_prompts,
        draft_saved,
        crisis_checkins: checkins,
        welcome,
        morning_messages: morning,
        evening_prompts: evening,
        milestones,
        training,
        safety,
    };
    (Some(pack), problems)
}

/// `situation<TAB>message` lines after a header line. Blank lines are
/// ignored.
fn read_training(dir: &Path, c: &mut Checker) -> Vec<(Situation, String)> {
    let out = read_labelled(dir, c, "situation", Situation::from_id);
    for s in Situation::ALL {
        let n = out.iter().filter(|(x, _)| *x == s).count();
        if n < MIN_EXAMPLES {
            c.problem(
                "",
                format!("situation {s} has {n} examples (at least {MIN_EXAMPLES} needed)"),
            );
        }
    }
    out
}

/// `label<TAB>message` lines of the safety model (`crisis`, `abuse` or `innocent`).
fn read_safety(dir: &Path, c: &mut Checker) -> Vec<(Concern, String)> {
    read_labelled(dir, c, "label", Concern::from_id)
}

/// `label<TAB>message` lines after a header line, each label read by `parse`; blank
/// lines are ignored.
fn read_labelled<L>(
    dir: &Path,
    c: &mut Checker,
    what: &str,
    parse: impl Fn(&str) -> Option<L>,
) -> Vec<(L, String)> {
    let path = dir.join(c.file);
    let src = match std::fs::read_to_string(&path) {
        Ok(s) => s,
        Err(e) => {
            c.problem("", format!("cannot read {}: {e}", path.display()));
            return Vec::new();
        }
    };
    let mut out = Vec::new();
    let mut lines = src.lines().enumerate();
    match lines.next() {
        None => c.problem("line 1", "file is empty (expected a header line)"),
        Some((_, header)) => {
            let first = header.split('\t').next().unwrap_or("").trim();
            if parse(first).is_some() {
                c.problem(
                    "line 1",
                    format!("first line must be a header ({what}<TAB>message)"),
                );
            }
        }
    }
    for (i, line) in lines {
        let loc = format!("line {}", i + 1);
        let line = line.strip_suffix('\r').unwrap_or(line);
        if line.trim().is_empty() {
            continue;
        }
        let mut parts = line.split('\t');
        let (Some(label), Some(message), None) = (parts.next(), parts.next(), parts.next()) else {
            c.problem(loc, format!("malformed line (expected {what}<TAB>message)"));
            continue;
        };
        let Some(l) = parse(label.trim()) else {
            c.problem(loc, format!("unknown {what} \"{}\"", label.trim()));
            continue;
        };
        if message.trim().is_empty() {
            c.problem(loc, "message is empty");
            continue;
        }
        out.push((l, message.to_string()));
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn render_replaces_known_names() {
        assert_eq!(render("day {days}!", &[("days", "5".into())]), "day 5!");
        assert_eq!(render("{a}{b}{a}", &[("a", "x".into())]), "x{b}x");
        assert_eq!(render("no braces", &[]), "no braces");
        assert_eq!(
            render("open { only", &[("days", "1".into())]),
            "open { only"
        );
    }

    #[test]
    fn placeholder_parsing() {
        assert_eq!(
            placeholders("a {days} b {count}").unwrap(),
            ["days", "count"]
        );
        assert!(placeholders("a {days b").is_err());
        assert!(placeholders("a days} b").is_err());
        assert!(placeholders("a {Days} b").is_err());
        assert!(placeholders("plain").unwrap().is_empty());
    }
}
