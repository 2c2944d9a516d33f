//! Five-fold cross-validation of the situation matcher on the content pack's own training
//! lines: `cargo run --release --example cv`. Each fold trains on four fifths of
//! `training.tsv` and `safety.tsv` and scores the fifth (situations, and crisis and abuse
//! caught or innocent lines flagged), so a change to the models can be judged without
//! looking at the held-out sets.

use std::path::Path;

use nocontact::coach::sentinel::Concern;
use nocontact::coach::{ContentPack, Matcher, Situation};

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let pack = ContentPack::load(Path::new("config/content"))?;
    let examples = pack.training_examples();
    const FOLDS: u64 = 5;
    let fold_of = |text: &str| {
        // FNV-1a: a fold that stays the same from run to run
        let mut h: u64 = 0xcbf2_9ce4_8422_2325;
        for b in text.bytes() {
            h = (h ^ u64::from(b)).wrapping_mul(0x0000_0100_0000_01b3);
        }
        h % FOLDS
    };
    let (mut right, mut total) = (0usize, 0usize);
    let mut per = vec![(0usize, 0usize); Situation::ALL.len()];
    // safety lines held out: (caught or flagged, total) per concern
    let mut safety = [(0usize, 0usize); 3];
    for fold in 0..FOLDS {
        let (test, train): (Vec<_>, Vec<_>) = examples
            .iter()
            .cloned()
            .partition(|(_, m)| fold_of(m) == fold);
        let (safety_test, safety_train): (Vec<_>, Vec<_>) = pack
            .safety_examples()
            .iter()
            .cloned()
            .partition(|(_, m)| fold_of(m) == fold);
        let matcher = Matcher::train(&train, &safety_train);
        for (concern, message) in &safety_test {
            let got = matcher.classify(message).situation;
            let i = Concern::ALL.iter().position(|c| c == concern).unwrap_or(2);
            safety[i].1 += 1;
            let hit = match concern {
                Concern::Crisis => got == Situation::Crisis,
                Concern::Abuse | Concern::Innocent => got.is_safety(),
            };
            safety[i].0 += usize::from(hit);
        }
        for (label, message) in &test {
            let got = matcher.classify(message).situation;
            total += 1;
            per[label.index()].1 += 1;
            if got == *label {
                right += 1;
                per[label.index()].0 += 1;
            }
        }
    }
    for s in Situation::ALL {
        let (r, n) = per[s.index()];
        if n > 0 {
            println!("{:18} {r:4}/{n:4} {:.3}", s.id(), r as f64 / n as f64);
        }
    }
    let [crisis, abuse, innocent] = safety;
    println!(
        "safety lines held out: crisis caught {}/{}, abuse caught {}/{}, innocent flagged {}/{}",
        crisis.0, crisis.1, abuse.0, abuse.1, innocent.0, innocent.1
    );
    println!(
        "cross-validated accuracy {right}/{total} = {:.4}",
        right as f64 / total as f64
    );
    Ok(())
}
