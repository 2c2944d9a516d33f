//! The labelled safety sets in `tests/data/`, through the shipped matcher:
//! - `crisis-set.tsv` and `abuse-set.tsv` (and their `-holdout` files) were written for
//!   this project and the rules were developed against them;
//! - `crisis-final.tsv` and `abuse-final.tsv` were written afterwards by someone who saw
//!   none of the code or the other sets, and are only measured.
//!
//! Each test prints every miss and false alarm. The floors are what the matcher reaches
//! today; the goal (every crisis caught, no innocent message flagged) is not met yet.
//! A message only the classifier calls a crisis gets a gentle "are you safe?" with the
//! helplines rather than the full crisis reply; those count as flagged here.

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
    assert!(caught + 3 >= pos, "crisis set: {caught}/{pos} caught");
    assert!(
        flagged <= 8,
        "crisis set: {flagged}/{neg} innocent messages flagged"
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
