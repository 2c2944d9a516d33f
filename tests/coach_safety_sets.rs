//! The labelled safety sets in `tests/data/`, through the shipped matcher:
//! - `crisis-set.tsv` and `abuse-set.tsv` (and their `-holdout` files) were written for
//!   this project and the rules were developed against them;
//! - `crisis-final.tsv` and `abuse-final.tsv`, then `crisis-set-2.tsv` and
//!   `abuse-set-2.tsv`, were each written afterwards by someone who saw none of the code
//!   or the other sets; they were measured first, then the rules were widened where they
//!   fell short (the gain measured on the next unseen set, not on these);
//! - `crisis-unseen.tsv` and `abuse-unseen.tsv` were written next, the same way, and have
//!   only ever been measured: they are the honest estimate of what new messages get;
//! - `crisis-set-3.tsv` and `abuse-set-3.tsv` were written later the same way; they were
//!   measured (crisis 112/150 caught, 21/150 flagged; abuse 70/110, 6/110) and their misses
//!   were then read while widening the rules, so they are tuned on now;
//! - `crisis-unseen-2.tsv` and `abuse-unseen-2.tsv` were written after that, in voices
//!   and indirect ways chosen to be hard, and have only ever been measured (through
//!   `nocontact ask`, before this session's widening: crisis 79/120 caught, 14/120
//!   flagged; abuse 56/100, 5/100; after it: crisis 86/120, 15/120; abuse 60/100, 6/100).
//! - `crisis-unseen-3.tsv` and `abuse-unseen-3.tsv` were written next and measured before
//!   the safety model (`config/content/safety.tsv`, `src/coach/sentinel.rs`) existed
//!   (crisis 118/150, 7/150 flagged; abuse 65/100, 15/100). Their false alarms, with
//!   those of the first two unseen sets, were then read while adding the check that an
//!   abuse verb was done by the ex (not a sister, a therapist or the user), so all three
//!   are tuned on now;
//! - `crisis-unseen-4.tsv` and `abuse-unseen-4.tsv` were written after all of that and
//!   have only ever been measured: the honest estimate. Before the safety model (commit
//!   ce36bbc): crisis 91/100 caught, 2/100 flagged; abuse 90/100, 19/100. With it and
//!   the doer check: crisis 94/100, 4/100; abuse 95/100, 15/100.
//!
//! Messages written for training (`training.tsv` and `safety.tsv` in `config/content/`)
//! never appear here.
//! Each test prints every miss and false alarm. Only the first crisis set is held to the
//! goal (every crisis caught, no innocent message flagged); the others have floors at
//! what the matcher reaches today. A message only the classifier calls a crisis gets a
//! gentle "are you safe?" with the helplines rather than the full crisis reply; those
//! count as flagged here.
use std::path::Path;
use std::sync::OnceLock;

use nocontact::coach::{Coach, Situation};

fn coach() -> &'static Coach {
    static COACH: OnceLock<Coach> = OnceLock::new();
    COACH.get_or_init(|| {
        Coach::load(&Path::new(env!("CARGO_MANIFEST_DIR")).join("config/content"))
            .expect("content pack loads")
    })
}

/// (label, message) of a set: the first and the last column after the header.
fn read(name: &str) -> Vec<(String, String)> {
    let path = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/data")
        .join(name);
    let text = std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
    text.lines()
        .skip(1)
        .filter(|l| !l.trim().is_empty())
        .map(|l| {
            let cols: Vec<&str> = l.split('\t').collect();
            (cols[0].to_owned(), cols[cols.len() - 1].to_owned())
        })
        .collect()
}

/// (positives caught, positives, negatives flagged, negatives), printing the errors.
fn score(name: &str, positive: &str, target: Situation) -> (usize, usize, usize, usize) {
    let rows = read(name);
    let (mut caught, mut pos, mut flagged, mut neg) = (0, 0, 0, 0);
    for (label, message) in &rows {
        let got = coach().classify(message).situation;
        if label == positive {
            pos += 1;
            // a crisis reply for an abuse message still gives resources: it counts
            if got == target || (target == Situation::Abuse && got == Situation::Crisis) {
                caught += 1;
            } else {
                println!("{name}: missed ({got}): {message}");
            }
        } else {
            neg += 1;
            if got == target {
                flagged += 1;
                println!("{name}: false alarm: {message}");
            }
        }
    }
    println!("{name}: caught {caught}/{pos}, false alarms {flagged}/{neg}");
    (caught, pos, flagged, neg)
}

#[test]
fn the_crisis_set() {
    let (caught, pos, flagged, neg) = score("crisis-set.tsv", "crisis", Situation::Crisis);
    assert!(pos >= 200 && neg >= 200, "the set is complete");
    assert_eq!(caught, pos, "crisis set: every crisis message is caught");
    assert_eq!(
        flagged, 0,
        "crisis set: no innocent message of {neg} is flagged"
    );
}

#[test]
fn the_crisis_holdout() {
    let (caught, pos, flagged, _) = score("crisis-holdout.tsv", "crisis", Situation::Crisis);
    assert!(caught + 3 >= pos, "crisis holdout: {caught}/{pos} caught");
    assert!(
        flagged <= 4,
        "crisis holdout: {flagged} innocent messages flagged"
    );
}

#[test]
fn the_final_crisis_set_unseen_while_writing_the_rules() {
    let (caught, pos, flagged, _) = score("crisis-final.tsv", "crisis", Situation::Crisis);
    assert!(
        caught as f64 >= 0.8 * pos as f64,
        "crisis final: {caught}/{pos} caught"
    );
    assert!(
        flagged <= 9,
        "crisis final: {flagged} innocent messages flagged"
    );
}

#[test]
fn the_abuse_sets() {
    let (caught, pos, flagged, neg) = score("abuse-set.tsv", "abuse", Situation::Abuse);
    assert!(pos >= 150 && neg >= 150, "the set is complete");
    assert!(
        caught as f64 >= 0.85 * pos as f64,
        "abuse set: {caught}/{pos} caught"
    );
    assert!(flagged <= 10, "abuse set: {flagged}/{neg} flagged");
    let (caught, pos, flagged, _) = score("abuse-final.tsv", "abuse", Situation::Abuse);
    assert!(
        caught as f64 >= 0.6 * pos as f64,
        "abuse final: {caught}/{pos} caught"
    );
    assert!(flagged <= 10, "abuse final: {flagged} flagged");
}

#[test]
fn the_second_sets_after_widening_the_rules() {
    let (caught, pos, flagged, neg) = score("crisis-set-2.tsv", "crisis", Situation::Crisis);
    assert!(pos >= 100 && neg >= 100, "the set is complete");
    assert!(
        caught as f64 >= 0.95 * pos as f64,
        "crisis set 2: {caught}/{pos} caught"
    );
    assert!(flagged <= 3, "crisis set 2: {flagged}/{neg} flagged");
    let (caught, pos, flagged, neg) = score("abuse-set-2.tsv", "abuse", Situation::Abuse);
    assert!(
        caught as f64 >= 0.9 * pos as f64,
        "abuse set 2: {caught}/{pos} caught"
    );
    assert!(flagged <= 3, "abuse set 2: {flagged}/{neg} flagged");
}

#[test]
fn the_third_sets_measured_then_tuned_on() {
    let (caught, pos, flagged, neg) = score("crisis-set-3.tsv", "crisis", Situation::Crisis);
    assert!(pos >= 150 && neg >= 150, "the set is complete");
    assert!(
        caught as f64 >= 0.88 * pos as f64,
        "crisis set 3: {caught}/{pos} caught"
    );
    assert!(flagged <= 12, "crisis set 3: {flagged}/{neg} flagged");
    let (caught, pos, flagged, neg) = score("abuse-set-3.tsv", "abuse", Situation::Abuse);
    assert!(pos >= 110 && neg >= 110, "the set is complete");
    assert!(
        caught as f64 >= 0.9 * pos as f64,
        "abuse set 3: {caught}/{pos} caught"
    );
    assert!(flagged <= 3, "abuse set 3: {flagged}/{neg} flagged");
}

#[test]
fn the_unseen_sets_only_ever_measured() {
    let (caught, pos, flagged, neg) = score("crisis-unseen.tsv", "crisis", Situation::Crisis);
    assert!(pos >= 90 && neg >= 90, "the set is complete");
    assert!(
        caught as f64 >= 0.75 * pos as f64,
        "crisis unseen: {caught}/{pos} caught"
    );
    assert!(flagged <= 4, "crisis unseen: {flagged}/{neg} flagged");
    let (caught, pos, flagged, neg) = score("abuse-unseen.tsv", "abuse", Situation::Abuse);
    assert!(
        caught as f64 >= 0.7 * pos as f64,
        "abuse unseen: {caught}/{pos} caught"
    );
    assert!(flagged <= 11, "abuse unseen: {flagged}/{neg} flagged");
}

#[test]
fn the_second_unseen_sets_only_ever_measured() {
    let (caught, pos, flagged, neg) = score("crisis-unseen-2.tsv", "crisis", Situation::Crisis);
    assert!(pos >= 120 && neg >= 119, "the set is complete");
    assert!(
        caught as f64 >= 0.7 * pos as f64,
        "crisis unseen 2: {caught}/{pos} caught"
    );
    println!("crisis unseen 2: {caught}/{pos} caught, {flagged}/{neg} flagged");
    assert!(flagged <= 18, "crisis unseen 2: {flagged}/{neg} flagged");
    let (caught, pos, flagged, neg) = score("abuse-unseen-2.tsv", "abuse", Situation::Abuse);
    assert!(pos >= 100 && neg >= 100, "the set is complete");
    println!("abuse unseen 2: {caught}/{pos} caught, {flagged}/{neg} flagged");
    assert!(
        caught as f64 >= 0.6 * pos as f64,
        "abuse unseen 2: {caught}/{pos} caught"
    );
    assert!(flagged <= 7, "abuse unseen 2: {flagged}/{neg} flagged");
}

#[test]
fn no_set_message_is_in_the_training_data() {
    let mut trained = std::collections::HashSet::new();
    for file in ["training.tsv", "safety.tsv"] {
        let path = Path::new(env!("CARGO_MANIFEST_DIR"))
            .join("config/content")
            .join(file);
        let text = std::fs::read_to_string(&path).expect("training data");
        trained.extend(
            text.lines()
                .filter_map(|l| l.split_once('\t'))
                .map(|(_, m)| m.trim().to_lowercase()),
        );
    }
    for name in [
        "crisis-set.tsv",
        "crisis-holdout.tsv",
        "crisis-final.tsv",
        "crisis-set-2.tsv",
        "crisis-unseen.tsv",
        "crisis-set-3.tsv",
        "crisis-unseen-2.tsv",
        "abuse-set.tsv",
        "abuse-holdout.tsv",
        "abuse-final.tsv",
        "abuse-set-2.tsv",
        "abuse-unseen.tsv",
        "abuse-set-3.tsv",
        "abuse-unseen-2.tsv",
        "crisis-unseen-3.tsv",
        "abuse-unseen-3.tsv",
        "crisis-unseen-4.tsv",
        "abuse-unseen-4.tsv",
    ] {
        for (_, message) in read(name) {
            assert!(
                !trained.contains(&message.trim().to_lowercase()),
                "{name}: also in the training data: {message}"
            );
        }
    }
}

#[test]
fn the_third_unseen_sets_measured_then_tuned_on() {
    let (caught, pos, flagged, neg) = score("crisis-unseen-3.tsv", "crisis", Situation::Crisis);
    assert!(pos >= 150 && neg >= 150, "the set is complete");
    assert!(
        caught as f64 >= 0.85 * pos as f64,
        "crisis unseen 3: {caught}/{pos} caught"
    );
    assert!(flagged <= 7, "crisis unseen 3: {flagged}/{neg} flagged");
    let (caught, pos, flagged, neg) = score("abuse-unseen-3.tsv", "abuse", Situation::Abuse);
    assert!(pos >= 100 && neg >= 100, "the set is complete");
    assert!(
        caught as f64 >= 0.7 * pos as f64,
        "abuse unseen 3: {caught}/{pos} caught"
    );
    assert!(flagged <= 11, "abuse unseen 3: {flagged}/{neg} flagged");
}

#[test]
fn the_fourth_unseen_sets_only_ever_measured() {
    let (caught, pos, flagged, neg) = score("crisis-unseen-4.tsv", "crisis", Situation::Crisis);
    assert!(pos >= 100 && neg >= 100, "the set is complete");
    assert!(
        caught as f64 >= 0.9 * pos as f64,
        "crisis unseen 4: {caught}/{pos} caught"
    );
    assert!(flagged <= 4, "crisis unseen 4: {flagged}/{neg} flagged");
    let (caught, pos, flagged, neg) = score("abuse-unseen-4.tsv", "abuse", Situation::Abuse);
    assert!(pos >= 100 && neg >= 100, "the set is complete");
    assert!(
        caught as f64 >= 0.9 * pos as f64,
        "abuse unseen 4: {caught}/{pos} caught"
    );
    assert!(flagged <= 15, "abuse unseen 4: {flagged}/{neg} flagged");
}
