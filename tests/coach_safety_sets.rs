//! The labelled safety sets in `tests/data/`, through the shipped matcher:
//! - `crisis-set.tsv` and `abuse-set.tsv` (and their `-holdout` files) were written for
//!   this project and the rules were developed against them;
//! - `crisis-final.tsv` and `abuse-final.tsv`, then `crisis-set-2.tsv` and
//!   `abuse-set-2.tsv`, were each written afterwards by someone who saw none of the code
//!   or the other sets; they were measured first, then the rules were widened where they
//!   fell short (the gain measured on the next unseen set, not on these);
//! - `crisis-unseen.tsv` and `abuse-unseen.tsv` were written next, the same way, and were
//!   only measured until their false alarms were read (see unseen-3 below);
//! - `crisis-set-3.tsv` and `abuse-set-3.tsv` were written later the same way; they were
//!   measured (crisis 112/150 caught, 21/150 flagged; abuse 70/110, 6/110) and their misses
//!   were then read while widening the rules, so they are tuned on now;
//! - `crisis-unseen-2.tsv` and `abuse-unseen-2.tsv` were written after that, in voices
//!   and indirect ways chosen to be hard, and were only measured (through
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
//!   the doer check: crisis 94/100, 4/100; abuse 95/100, 15/100. After the situation
//!   model's training step changed (2026-12-03): crisis 94/100, 5/100; abuse 93/100,
//!   15/100. The false alarms of this step were read on this set too.
//! - `crisis-unseen-5.tsv` and `abuse-unseen-5.tsv` were written on 2026-12-03 the same
//!   way and measured at once (crisis 87/100 caught, 8/100 flagged; abuse 79/100, 9/100).
//!   Their misses were read before the last batch of `safety.tsv` lines was written (by
//!   someone who saw neither these sets nor the code, asked for the kinds of the issue),
//!   so they are not quite unseen any more. After that batch: crisis 89/100, 8/100; abuse
//!   unchanged. A fresh set is needed for the next honest estimate.
//!
//! - `crisis-unseen-6.tsv` and `abuse-unseen-6.tsv` were written on 2026-12-04 by a helper
//!   who saw neither the code nor the other sets, and measured at once: crisis 96/100
//!   caught, 7/100 flagged; abuse 72/80, 3/80 (counting only `abuse` as caught). Their
//!   misses were then read, and the crisis exceptions and the abuse phrases in other
//!   languages written that day answer some of them: crisis 96/100, 2/100; abuse 75/80,
//!   3/80 after. They are not unseen any more.
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

/// A set's floors: at least `share` of its positives caught, at most `max_flagged` of
/// its negatives flagged, and at least `size` of each.
struct Floors {
    share: f64,
    max_flagged: usize,
    size: usize,
}

/// Scores a set (printing its errors) and holds it to its floors.
fn holds(name: &str, target: Situation, f: Floors) {
    let (caught, pos, flagged, neg) = score(name, target.id(), target);
    assert!(
        pos >= f.size && neg >= f.size,
        "{name}: the set is complete"
    );
    assert!(
        caught as f64 >= f.share * pos as f64,
        "{name}: {caught}/{pos} caught"
    );
    assert!(flagged <= f.max_flagged, "{name}: {flagged}/{neg} flagged");
}

const fn floors(share: f64, max_flagged: usize, size: usize) -> Floors {
    Floors {
        share,
        max_flagged,
        size,
    }
}

#[test]
fn the_crisis_holdout() {
    holds("crisis-holdout.tsv", Situation::Crisis, floors(0.96, 4, 80));
}

#[test]
fn the_final_crisis_set_unseen_while_writing_the_rules() {
    holds("crisis-final.tsv", Situation::Crisis, floors(0.8, 9, 100));
}

#[test]
fn the_abuse_sets() {
    holds("abuse-set.tsv", Situation::Abuse, floors(0.85, 10, 150));
    holds("abuse-final.tsv", Situation::Abuse, floors(0.6, 10, 100));
}

#[test]
fn the_second_sets_after_widening_the_rules() {
    holds("crisis-set-2.tsv", Situation::Crisis, floors(0.95, 5, 100));
    holds("abuse-set-2.tsv", Situation::Abuse, floors(0.9, 3, 90));
}

#[test]
fn the_third_sets_measured_then_tuned_on() {
    holds("crisis-set-3.tsv", Situation::Crisis, floors(0.88, 12, 150));
    holds("abuse-set-3.tsv", Situation::Abuse, floors(0.9, 3, 110));
}

#[test]
fn the_unseen_sets_measured_then_read() {
    holds("crisis-unseen.tsv", Situation::Crisis, floors(0.75, 4, 90));
    holds("abuse-unseen.tsv", Situation::Abuse, floors(0.7, 9, 70));
}

#[test]
fn the_second_unseen_sets_measured_then_read() {
    holds(
        "crisis-unseen-2.tsv",
        Situation::Crisis,
        floors(0.7, 19, 119),
    );
    holds("abuse-unseen-2.tsv", Situation::Abuse, floors(0.6, 7, 100));
}

#[test]
fn the_third_unseen_sets_measured_then_read() {
    holds(
        "crisis-unseen-3.tsv",
        Situation::Crisis,
        floors(0.85, 8, 150),
    );
    holds("abuse-unseen-3.tsv", Situation::Abuse, floors(0.7, 11, 100));
}

#[test]
fn the_fourth_unseen_sets_only_ever_measured() {
    holds(
        "crisis-unseen-4.tsv",
        Situation::Crisis,
        floors(0.9, 5, 100),
    );
    holds("abuse-unseen-4.tsv", Situation::Abuse, floors(0.9, 15, 100));
}

#[test]
fn the_fifth_unseen_sets_measured_then_read() {
    holds(
        "crisis-unseen-5.tsv",
        Situation::Crisis,
        floors(0.88, 8, 100),
    );
    holds("abuse-unseen-5.tsv", Situation::Abuse, floors(0.78, 9, 100));
}

#[test]
fn the_sixth_unseen_sets_measured_then_read() {
    holds(
        "crisis-unseen-6.tsv",
        Situation::Crisis,
        floors(0.95, 3, 100),
    );
    holds("abuse-unseen-6.tsv", Situation::Abuse, floors(0.92, 4, 80));
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
