//! Matcher throughput on one thread: `cargo bench --bench matcher`.
//! Classifies every labelled message of the content pack over and over for
//! about two seconds and prints messages per second.

use std::hint::black_box;
use std::path::Path;
use std::time::{Duration, Instant};

use nocontact::coach::Coach;

fn main() {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("config/content");
    let start = Instant::now();
    let coach = Coach::load(&dir).expect("content pack loads");
    println!(
        "load + train: {:.1} ms ({} examples, {} features)",
        start.elapsed().as_secs_f64() * 1000.0,
        coach.pack().training_examples().len(),
        coach.matcher().num_features()
    );
    let mut messages: Vec<String> = coach
        .pack()
        .training_examples()
        .iter()
        .map(|(_, t)| t.clone())
        .collect();
    let eval = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/data/intents-eval.tsv");
    if let Ok(src) = std::fs::read_to_string(eval) {
        messages.extend(
            src.lines()
                .skip(1)
                .filter_map(|l| Some(l.split_once('\t')?.1.to_string())),
        );
    }
    let total_chars: usize = messages.iter().map(|m| m.chars().count()).sum();
    println!(
        "{} messages, {:.0} characters on average",
        messages.len(),
        total_chars as f64 / messages.len() as f64
    );

    // warm up
    for m in &messages {
        black_box(coach.classify(m));
    }
    let budget = Duration::from_secs(2);
    let start = Instant::now();
    let mut n = 0u64;
    while start.elapsed() < budget {
        for m in &messages {
            black_box(coach.classify(black_box(m)));
        }
        n += messages.len() as u64;
    }
    let secs = start.elapsed().as_secs_f64();
    println!(
        "classify: {n} messages in {secs:.2} s = {:.0} messages/second ({:.1} µs each)",
        n as f64 / secs,
        secs * 1e6 / n as f64
    );

    // worst case: long inputs
    let long = "i miss him so much and i keep thinking about texting him tonight. ".repeat(150);
    let start = Instant::now();
    let reps = 200;
    for _ in 0..reps {
        black_box(coach.classify(black_box(&long)));
    }
    println!(
        "{}-character message: {:.0} µs each",
        long.chars().count(),
        start.elapsed().as_secs_f64() * 1e6 / reps as f64
    );
}
