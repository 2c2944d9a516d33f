//! The pack is written in its own words: no 7-word sequence of the seed
//! texts appears in it, and none of the seeds' spam does either.

use std::collections::HashSet;
use std::path::Path;

use nocontact::coach::{ContentPack, Situation};

const N: usize = 7;

fn words(text: &str) -> Vec<String> {
    text.to_lowercase()
        .replace(['\u{2019}', '\u{2018}', '\''], "")
        .split(|c: char| !c.is_alphanumeric())
        .filter(|w| !w.is_empty())
        .map(str::to_string)
        .collect()
}

fn ngrams(text: &str) -> Vec<String> {
    let w = words(text);
    if w.len() < N {
        return Vec::new();
    }
    w.windows(N).map(|g| g.join(" ")).collect()
}

/// Every user-facing text of the pack, with a name for messages.
fn pack_texts(pack: &ContentPack) -> Vec<(String, String)> {
    let mut out = Vec::new();
    fn add(out: &mut Vec<(String, String)>, name: &str, texts: &[String]) {
        for (i, t) in texts.iter().enumerate() {
            out.push((format!("{name}[{i}]"), t.clone()));
        }
    }
    add(&mut out, "openers", pack.openers());
    add(&mut out, "slip", pack.slip_replies());
    add(&mut out, "resisted", pack.resisted_replies());
    add(&mut out, "wait.start", pack.wait_start());
    add(&mut out, "wait.checkback", pack.wait_checkback());
    add(&mut out, "draft.prompt", pack.draft_prompts());
    add(&mut out, "draft.saved", pack.draft_saved());
    add(&mut out, "crisis_checkin", pack.crisis_checkins());
    add(&mut out, "morning", pack.morning_messages());
    add(&mut out, "evening", pack.evening_prompts());
    for s in Situation::ALL {
        let replies: Vec<String> = pack.replies(s).iter().map(|v| v.text.clone()).collect();
        add(
            &mut out,
            &format!("situations.{}.replies", s.id()),
            &replies,
        );
        out.push((
            format!("situations.{}.label", s.id()),
            pack.label(s).to_string(),
        ));
    }
    for m in pack.milestones() {
        out.push((
            format!("milestone {}", m.day),
            format!("{}\n{}", m.title, m.message),
        ));
    }
    add(&mut out, "unsafe_ex", pack.unsafe_ex_replies());
    add(&mut out, "crisis_check", pack.crisis_check());
    add(&mut out, "care.openers", pack.care_openers());
    add(&mut out, "care_checkin", pack.care_checkins());
    add(&mut out, "sos.grounding", &pack.sos().grounding);
    out.push(("sos.intro".into(), pack.sos().intro.clone()));
    out.push((
        "crisis.resources".into(),
        pack.helplines_for(None, nocontact::coach::LineKind::Crisis),
    ));
    out.push(("scam.warning".into(), pack.scam_warning().to_string()));
    out.push(("welcome".into(), pack.welcome().to_string()));
    for (i, (_, t)) in pack.training_examples().iter().enumerate() {
        out.push((format!("training.tsv example {i}"), t.clone()));
    }
    out
}

fn pack() -> ContentPack {
    ContentPack::load(&Path::new(env!("CARGO_MANIFEST_DIR")).join("config/content"))
        .expect("content pack loads")
}

#[test]
fn no_seven_word_sequence_of_the_seeds() {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("../shared/seeds");
    let Ok(entries) = std::fs::read_dir(&dir) else {
        crate::support::missing_input(&dir);
        return;
    };
    let mut seed_grams = HashSet::new();
    let mut files = 0;
    for e in entries.flatten() {
        if e.path().extension().is_some_and(|x| x == "txt") {
            let text = std::fs::read_to_string(e.path()).unwrap_or_default();
            seed_grams.extend(ngrams(&text));
            files += 1;
        }
    }
    if files == 0 {
        crate::support::missing_input(&dir.join("*.txt"));
        return;
    }
    let mut copied = Vec::new();
    for (name, text) in pack_texts(&pack()) {
        for g in ngrams(&text) {
            if seed_grams.contains(&g) {
                copied.push(format!("{name}: \"{g}\""));
            }
        }
    }
    assert!(
        copied.is_empty(),
        "copied from the seeds:\n{}",
        copied.join("\n")
    );
}

#[test]
fn no_spell_caster_spam() {
    for (name, text) in pack_texts(&pack()) {
        let lower = text.to_lowercase();
        for bad in [
            "mack",
            "yahoo",
            "gmail",
            "(@)",
            "hotmail",
            "contact dr",
            "dr_",
            "testimony",
        ] {
            assert!(!lower.contains(bad), "{name} contains {bad:?}: {text}");
        }
        // no e-mail addresses
        for (i, _) in lower.match_indices('@') {
            let before = lower[..i].chars().last().is_some_and(char::is_alphanumeric);
            let after = lower[i + 1..]
                .chars()
                .next()
                .is_some_and(char::is_alphanumeric);
            assert!(
                !(before && after),
                "{name} contains an e-mail address: {text}"
            );
        }
        // no phone numbers other than the helplines (988, 116 123, 112, 911)
        let digits: String = lower
            .chars()
            .map(|c| {
                if c.is_ascii_digit() || c == ' ' || c == '+' {
                    c
                } else {
                    '|'
                }
            })
            .collect();
        for run in digits.split('|') {
            let n = run.chars().filter(char::is_ascii_digit).count();
            assert!(n < 8, "{name} contains a long number {run:?}");
        }
    }
}

#[test]
fn ngram_helper_works() {
    let g = ngrams("One, two; three — four five SIX seven eight");
    assert_eq!(g[0], "one two three four five six seven");
    assert_eq!(g.len(), 2);
    assert!(ngrams("too short").is_empty());
}
