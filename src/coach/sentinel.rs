//! The safety model: a classifier of its own that only asks "is this a crisis, an unsafe
//! ex, or neither?".
//!
//! The situation classifier splits its attention over twenty-odd topics and learns crisis
//! as one of them; the rules catch the usual words. What both miss is the indirect
//! message (a full bathroom cabinet, a letter scheduled to send "after", a parent who
//! could finally retire). This model is trained on every example of the pack, folded into
//! three classes, plus `safety.tsv`: more crisis and abuse messages and, as important,
//! innocent messages that use the same words (killing time, died laughing, he hit me up),
//! so that it learns the difference rather than the words. It can only add a safety
//! verdict, never take one away from the rules.

use super::model::{self, Model, Params, Weights};
use super::situation::Situation;
use super::text::Text;

/// What a message is, for safety.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Concern {
    /// Suicide or self-harm, in any words.
    Crisis,
    /// An ex who hurts, threatens, stalks, controls or harasses.
    Abuse,
    /// Neither (including the same words said figuratively).
    Innocent,
}

impl Concern {
    pub const ALL: [Concern; 3] = [Concern::Crisis, Concern::Abuse, Concern::Innocent];

    pub fn id(self) -> &'static str {
        match self {
            Concern::Crisis => "crisis",
            Concern::Abuse => "abuse",
            Concern::Innocent => "innocent",
        }
    }

    pub fn from_id(id: &str) -> Option<Concern> {
        Concern::ALL.into_iter().find(|c| c.id() == id)
    }

    fn index(self) -> usize {
        self as usize
    }

    /// A pack example's situation, folded.
    fn of(s: Situation) -> Concern {
        match s {
            Situation::Crisis => Concern::Crisis,
            Situation::Abuse => Concern::Abuse,
            _ => Concern::Innocent,
        }
    }
}

/// How many tokens the model reads (crisis words may come late in a long message).
const MAX_TOKENS: usize = 400;

/// The weights of the feature kinds: spelling (character grams) counts for more than in
/// the situation classifier, for slang, leetspeak and other languages.
const WEIGHTS: Weights = Weights {
    word: 1.0,
    bigram: 1.0,
    char: 0.35,
    signal: 0.0,
    concept: 1.0,
    first: 0.0,
    neg: 0.5,
};

const PARAMS: Params = Params {
    epochs: 30,
    rate: 0.5,
    l2: 1e-4,
};

/// The trained safety model.
#[derive(Debug, Clone)]
pub struct Sentinel {
    model: Model,
}

/// The safety model's reading of one message.
#[derive(Debug, Clone)]
pub struct Reading {
    /// Probability of each [`Concern`], in [`Concern::ALL`] order.
    pub probability: [f32; 3],
    /// Features that pushed most toward the likelier concern (crisis or abuse).
    pub features: Vec<(String, f32)>,
}

impl Reading {
    pub fn of(&self, c: Concern) -> f32 {
        self.probability[c.index()]
    }
}

impl Sentinel {
    /// Trains from the pack's situation examples and its safety examples.
    pub fn train(situations: &[(Situation, String)], safety: &[(Concern, String)]) -> Sentinel {
        let mut names = model::IdMap::default();
        let rows: Vec<(usize, Vec<(u64, f32)>)> = situations
            .iter()
            .map(|(s, m)| (Concern::of(*s), m.as_str()))
            .chain(safety.iter().map(|(c, m)| (*c, m.as_str())))
            .map(|(c, m)| {
                let t = Text::analyse(m);
                let v = model::training_vector(&t, MAX_TOKENS, &[], &WEIGHTS, &mut names);
                (c.index(), v)
            })
            .collect();
        Sentinel {
            model: Model::train(Concern::ALL.len(), &rows, names, PARAMS),
        }
    }

    /// Reads an analysed message.
    pub(crate) fn read(&self, t: &Text) -> Reading {
        let mut v = Vec::with_capacity(t.len().min(MAX_TOKENS) * 16);
        model::extract(t, MAX_TOKENS, &[], &WEIGHTS, &mut v);
        model::finish_vector(&mut v);
        let mut p = Vec::with_capacity(3);
        self.model.scores(&v, &mut p);
        model::softmax(&mut p);
        let probability = [p[0], p[1], p[2]];
        let lean = if probability[0] >= probability[1] {
            Concern::Crisis
        } else {
            Concern::Abuse
        };
        Reading {
            probability,
            features: self.model.top_features(&v, lean.index(), 5),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn learns_the_difference_between_a_plan_and_a_figure_of_speech() {
        let situations = [
            (Situation::Crisis, "i have been saving my pills for weeks"),
            (Situation::Crisis, "counted my tablets again tonight"),
            (Situation::Abuse, "he hit me when i tried to leave"),
            (Situation::Other, "hello there"),
        ]
        .map(|(s, m)| (s, m.to_string()));
        let safety = [
            (Concern::Innocent, "took my vitamin tablets this morning"),
            (Concern::Innocent, "he hit me up last night"),
        ]
        .map(|(c, m)| (c, m.to_string()));
        let s = Sentinel::train(&situations, &safety);
        let r = s.read(&Text::analyse("been saving pills"));
        assert!(r.of(Concern::Crisis) > r.of(Concern::Innocent), "{r:?}");
        let r = s.read(&Text::analyse("she hit me"));
        assert!(r.of(Concern::Abuse) > r.of(Concern::Crisis), "{r:?}");
        assert_eq!(Concern::from_id("abuse"), Some(Concern::Abuse));
        assert_eq!(Concern::from_id("other"), None);
    }
}
