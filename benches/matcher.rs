//! Matcher throughput on one thread, with criterion: `cargo bench --bench matcher`.
//!
//! Each benchmark classifies every message of one labelled set once per iteration, so
//! criterion's throughput line reads in messages per second:
//! - `dev`: the shared development set (`../shared/eval/intents-dev.tsv`, skipped if absent);
//! - `held-out`: the project's evaluation set, never trained on (`tests/data/intents-eval.tsv`);
//! - `training`: the content pack's own examples (`config/content/training.tsv`);
//! - `long`: one 10,000-character message, the worst case the engine accepts.
//!
//! After the run it appends the median rates to the benchmark report (see `.ci/bench`).

mod support;

use std::hint::black_box;
use std::path::{Path, PathBuf};

use criterion::{Criterion, Throughput};
use nocontact::coach::Coach;

const GROUP: &str = "classify";

fn sets() -> Vec<(&'static str, Vec<String>)> {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let mut sets = Vec::new();
    for (name, path) in [
        ("dev", root.join("../shared/eval/intents-dev.tsv")),
        ("held-out", root.join("tests/data/intents-eval.tsv")),
        ("training", root.join("config/content/training.tsv")),
    ] {
        match support::labelled_messages(&path) {
            Some(messages) => sets.push((name, messages)),
            None => eprintln!("{}: not found or empty, skipped", path.display()),
        }
    }
    let long = "i miss him so much and i keep thinking about texting him tonight. ".repeat(150);
    sets.push(("long", vec![long]));
    sets
}

/// Where criterion keeps its results: as criterion itself resolves it, minus `cargo metadata`.
fn criterion_dir() -> PathBuf {
    if let Some(home) = std::env::var_os("CRITERION_HOME") {
        return PathBuf::from(home);
    }
    std::env::var_os("CARGO_TARGET_DIR")
        .map(PathBuf::from)
        .unwrap_or_else(|| Path::new(env!("CARGO_MANIFEST_DIR")).join("target"))
        .join("criterion")
}

/// The median time of one iteration in nanoseconds, from criterion's estimates.
fn median_ns(dir: &Path, id: &str) -> Option<f64> {
    let path = dir.join(GROUP).join(id).join("new/estimates.json");
    let estimates: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(path).ok()?).ok()?;
    estimates["median"]["point_estimate"].as_f64()
}

fn main() {
    let coach = Coach::load(&Path::new(env!("CARGO_MANIFEST_DIR")).join("config/content"))
        .expect("the content pack loads");
    let sets = sets();
    let dir = criterion_dir();
    let mut criterion = Criterion::default()
        .output_directory(&dir)
        .configure_from_args();
    let benchmarking = std::env::args().any(|a| a == "--bench");
    {
        let mut group = criterion.benchmark_group(GROUP);
        for (name, messages) in &sets {
            group.throughput(Throughput::Elements(messages.len() as u64));
            group.bench_function(*name, |b| {
                b.iter(|| {
                    for message in messages {
                        black_box(coach.classify(black_box(message)));
                    }
                })
            });
        }
        group.finish();
    }
    criterion.final_summary();
    if !benchmarking {
        return;
    }
    let per_second =
        |name: &str, count: usize| median_ns(&dir, name).map(|ns| count as f64 / (ns / 1e9));
    let Some(reference) = sets
        .iter()
        .find(|(name, _)| *name == "held-out")
        .and_then(|(name, m)| per_second(name, m.len()))
    else {
        return;
    };
    for (name, messages) in &sets {
        let Some(rate) = per_second(name, messages.len()) else {
            continue;
        };
        let chars = messages.iter().map(|m| m.chars().count()).sum::<usize>() / messages.len();
        support::report(
            "matcher",
            &format!("{name} set: messages per second, one core"),
            &format!("{rate:.0}"),
            &format!("{:.2}x held-out", rate / reference),
            &format!("{} messages, {chars} chars on average", messages.len()),
        );
    }
}
