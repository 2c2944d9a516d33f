//! Matches a free-text message to exactly one [`Situation`].
//!
//! Two layers:
//! 1. precise rules where precision matters: crisis language (scanned over
//!    the whole text), spell-caster questions, and the direction, tense and
//!    negation of contact ("he texted me" / "I texted him" / "I didn't");
//! 2. a multinomial logistic regression over word unigrams, bigrams and
//!    character 3-5 grams, trained at start-up from labelled examples, for
//!    the topic.
//!
//! Every verdict carries an [`Explanation`].

use std::fmt;

use super::concepts;
use super::model::{self, Model, Params, Weights};
use super::rules::{self, Actor, Contact, Mode};
use super::sentinel::{Concern, Reading, Sentinel};
use super::situation::Situation;
use super::tags::{self, Tag, TagReason};
use super::text::Text;

/// How many tokens the classifier and contact rules look at. Crisis rules
/// always scan the whole message.
pub const MAX_TOKENS: usize = 250;

/// A classifier abuse probability from which abuse is chosen without a rule (0.5 before
/// the situation model's training step changed; this keeps the abuse sets where they were).
const ABUSE_CLASSIFIER_PROBABILITY: f32 = 0.4;

/// In the careful time, a classifier crisis probability from which a message is answered
/// as a crisis.
const CONCERN_CRISIS_PROBABILITY: f32 = 0.15;

/// A message with fewer words known to the classifier is "other".
const MIN_KNOWN_WORDS: usize = 1;

/// The matcher: rules plus a classifier trained from examples.
#[derive(Debug, Clone)]
pub struct Matcher {
    model: Model,
    sentinel: Sentinel,
    tuning: Tuning,
}

/// Knobs of the decision layer (kept together for experiments).
#[derive(Debug, Clone, Copy)]
pub(crate) struct Tuning {
    /// Let the classifier choose slipped / they_reached_out when no rule saw
    /// contact happen (and none saw it denied).
    pub classifier_contact: bool,
    /// Feed rule signals to the classifier as features.
    pub signals: bool,
    pub params: Params,
    pub weights: Weights,
    /// Classifier probability above which crisis is chosen without a rule, when the
    /// message has a dark word.
    pub crisis_threshold: f32,
    /// Classifier probability above which crisis is chosen without a rule or a dark word
    /// (answered with a gentle "are you safe?", see [`Verdict::is_certain_crisis`]).
    pub crisis_alone_threshold: f32,
    /// Sexual wording decides hookup even without contact.
    pub hookup_rule: bool,
    /// Safety-model crisis probability from which a message is answered as a possible
    /// crisis (the gentle "are you safe?").
    pub sentinel_crisis: f32,
    /// Safety-model abuse probability from which a message is answered as abuse.
    pub sentinel_abuse: f32,
    /// In the careful time, the safety-model crisis probability that is concerning.
    pub sentinel_concern: f32,
    /// The least safety-model crisis probability that lets the situation classifier's
    /// crisis stand without a rule: the two models must not flatly disagree ("me muero de
    /// risa" reads as crisis to a classifier that saw few Spanish lines, not to the
    /// safety model).
    pub classifier_crisis_corroboration: f32,
}

impl Default for Tuning {
    fn default() -> Self {
        Tuning {
            classifier_contact: false,
            signals: true,
            // A larger step with stronger decay of the touched weights: five-fold
            // cross-validation on training.tsv (`cargo run --release --example cv`) gave
            // 0.842 against 0.821 with the defaults (rate 0.5, l2 1e-5).
            params: Params {
                rate: 2.0,
                l2: 6e-4,
                ..Params::default()
            },
            weights: Weights::default(),
            crisis_threshold: 0.85,
            // lower than the 0.62 it was before the training step above: that model is
            // less peaked, and this keeps the crisis sets where they were
            crisis_alone_threshold: 0.53,
            hookup_rule: true,
            sentinel_crisis: 0.62,
            sentinel_abuse: 0.7,
            sentinel_concern: 0.2,
            // on the eleven crisis sets: 3 innocent messages no longer flagged, no crisis
            // lost (0.3 would lose one)
            classifier_crisis_corroboration: 0.2,
        }
    }
}

/// The result of [`Matcher::classify`].
#[derive(Debug, Clone)]
pub struct Verdict {
    pub situation: Situation,
    /// Conditions read from the message, with their evidence.
    pub tags: Vec<TagReason>,
    pub explanation: Explanation,
}

impl Verdict {
    /// A crisis that a rule recognised (not only the classifier's lean): answered with
    /// the full crisis reply; an uncertain one gets a gentle "are you safe?" first.
    pub fn is_certain_crisis(&self) -> bool {
        self.situation == Situation::Crisis && self.explanation.rule.is_some()
    }

    /// Whether the message meets a condition.
    pub fn has(&self, tag: Tag) -> bool {
        self.tags.iter().any(|r| r.tag == tag)
    }
}

/// Why a situation was chosen.
#[derive(Debug, Clone, Default)]
pub struct Explanation {
    /// The rule that decided, if one did.
    pub rule: Option<RuleFired>,
    /// The classifier's winner (with its top features), if it ran.
    pub winner: Option<Scored>,
    /// The classifier's runner-up.
    pub runner_up: Option<Scored>,
    /// Other observations (contact seen but overridden, etc.).
    pub notes: Vec<String>,
    /// The safety model's reading, where it ran (not after a crisis rule or on no words).
    pub safety: Option<Safety>,
}

/// The safety model's probabilities for a message.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Safety {
    pub crisis: f32,
    pub abuse: f32,
}

/// A rule that fired.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RuleFired {
    /// Rule name, e.g. "crisis", "contact", "scam".
    pub name: &'static str,
    /// The words of the message that matched.
    pub matched: String,
    /// The pattern or reasoning.
    pub detail: String,
}

/// A classifier score.
#[derive(Debug, Clone)]
pub struct Scored {
    pub situation: Situation,
    /// Probability (softmax over the situations considered).
    pub probability: f32,
    /// Features that pushed most toward this situation, with contributions.
    pub features: Vec<(String, f32)>,
}

impl fmt::Display for Explanation {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if let Some(r) = &self.rule {
            writeln!(
                f,
                "rule {}: matched \"{}\" ({})",
                r.name, r.matched, r.detail
            )?;
        }
        for (label, s) in [("classifier", &self.winner), ("runner-up", &self.runner_up)] {
            if let Some(s) = s {
                write!(f, "{label}: {} p={:.2}", s.situation, s.probability)?;
                if !s.features.is_empty() {
                    let feats: Vec<String> = s
                        .features
                        .iter()
                        .map(|(n, w)| format!("{n} {w:+.2}"))
                        .collect();
                    write!(f, " [{}]", feats.join(", "))?;
                }
                writeln!(f)?;
            }
        }
        for n in &self.notes {
            writeln!(f, "note: {n}")?;
        }
        if let Some(s) = &self.safety {
            writeln!(
                f,
                "safety model: crisis p={:.2}, abuse p={:.2}",
                s.crisis, s.abuse
            )?;
        }
        if self.rule.is_none() && self.winner.is_none() && self.notes.is_empty() {
            writeln!(f, "no explanation")?;
        }
        Ok(())
    }
}

/// Rule signals given to the classifier as extra features.
fn signals(contact: &Contact, hookup: bool) -> Vec<&'static str> {
    let mut s = Vec::new();
    for (actor, mode, name) in [
        (Actor::User, Mode::Happened, "user-contacted"),
        (Actor::Ex, Mode::Happened, "ex-contacted"),
        (Actor::User, Mode::Negated, "user-did-not"),
        (Actor::User, Mode::Hypothetical, "user-might"),
        (Actor::Ex, Mode::Negated, "ex-did-not"),
        (Actor::Ex, Mode::Hypothetical, "ex-might"),
    ] {
        if contact.any(actor, mode) {
            s.push(name);
        }
    }
    if hookup {
        s.push("sexual");
    }
    s
}

struct Analysis {
    text: Text,
    contact: Contact,
    hookup: Option<rules::RuleHit>,
    features: Vec<(u64, f32)>,
}

impl Matcher {
    /// Trains the classifier from labelled examples. Crisis examples are
    /// learned too: crisis is decided by rules, and the classifier can only
    /// add a crisis verdict as a safety net (confident, with dark words).
    pub fn train(examples: &[(Situation, String)], safety: &[(Concern, String)]) -> Matcher {
        Matcher::train_tuned(examples, safety, Tuning::default())
    }

    pub(crate) fn train_tuned(
        examples: &[(Situation, String)],
        safety: &[(Concern, String)],
        tuning: Tuning,
    ) -> Matcher {
        // The two models are independent: on a machine with two cores, start-up takes the
        // time of the slower one.
        let (model, sentinel) = std::thread::scope(|scope| {
            let sentinel = scope.spawn(|| Sentinel::train(examples, safety));
            let model = Matcher::train_situations(examples, &tuning);
            let sentinel = sentinel
                .join()
                .unwrap_or_else(|panic| std::panic::resume_unwind(panic));
            (model, sentinel)
        });
        Matcher {
            model,
            sentinel,
            tuning,
        }
    }

    /// The situation classifier, trained on the pack's examples.
    fn train_situations(examples: &[(Situation, String)], tuning: &Tuning) -> Model {
        let mut names = model::IdMap::default();
        let rows: Vec<(usize, Vec<(u64, f32)>)> = examples
            .iter()
            .map(|(s, text)| {
                let t = Text::analyse(text);
                let limit = MAX_TOKENS;
                let contact = rules::contact(&t, limit);
                let hookup = rules::hookup(&t, limit).is_some();
                let sig = if tuning.signals {
                    signals(&contact, hookup)
                } else {
                    Vec::new()
                };
                let v = model::training_vector(&t, limit, &sig, &tuning.weights, &mut names);
                (s.index(), v)
            })
            .collect();
        Model::train(Situation::ALL.len(), &rows, names, tuning.params)
    }

    /// Number of distinct features the classifier knows.
    pub fn num_features(&self) -> usize {
        self.model.num_features()
    }

    fn analyse(&self, text: Text) -> Analysis {
        let limit = MAX_TOKENS;
        let contact = rules::contact(&text, limit);
        let hookup = rules::hookup(&text, limit);
        let sig = if self.tuning.signals {
            signals(&contact, hookup.is_some())
        } else {
            Vec::new()
        };
        let mut features = Vec::with_capacity(text.len().min(limit) * 16);
        model::extract(&text, limit, &sig, &self.tuning.weights, &mut features);
        model::finish_vector(&mut features);
        Analysis {
            text,
            contact,
            hookup,
            features,
        }
    }

    /// Whether a message is even slightly worrying: worrying words (a farewell,
    /// hopelessness, being worn out), or a classifier that leans toward crisis. Used in the
    /// careful time after a crisis message, where safety beats precision.
    pub fn concerning(&self, text: &str) -> bool {
        let t = Text::analyse(text);
        if rules::crisis(&t).is_some() || rules::concern(&t).is_some() {
            return true;
        }
        if t.is_empty() {
            return false;
        }
        if self.sentinel.read(&t).of(Concern::Crisis) >= self.tuning.sentinel_concern {
            return true;
        }
        let a = self.analyse(t);
        let mut p = Vec::with_capacity(Situation::ALL.len());
        self.model.scores(&a.features, &mut p);
        model::softmax(&mut p);
        p[Situation::Crisis.index()] >= CONCERN_CRISIS_PROBABILITY
    }

    /// What the safety model adds where no crisis rule spoke: a possible crisis (unless the
    /// dark words are plainly figurative; over an abuse rule only when crisis is the
    /// likelier reading), or else an unsafe ex the abuse rules missed.
    fn sentinel_verdict(
        &self,
        t: &Text,
        r: &Reading,
        tags: &[TagReason],
        abuse_rule: bool,
        classifier_crisis: f32,
    ) -> Option<Verdict> {
        let crisis = r.of(Concern::Crisis);
        let abuse = r.of(Concern::Abuse);
        let situation = if crisis >= self.tuning.sentinel_crisis
            && !rules::figurative(t)
            && (!abuse_rule || crisis > abuse)
        {
            Situation::Crisis
        } else if !abuse_rule && abuse >= self.tuning.sentinel_abuse && !rules::abuse_idiom(t) {
            Situation::Abuse
        } else {
            return None;
        };
        let probability = if situation == Situation::Crisis {
            crisis
        } else {
            abuse
        };
        Some(Verdict {
            situation,
            tags: tags.to_vec(),
            explanation: Explanation {
                rule: None,
                winner: Some(Scored {
                    situation,
                    probability,
                    features: r.features.clone(),
                }),
                runner_up: None,
                notes: vec![format!(
                    "no {situation} phrase matched; the safety model is confident \
                     (the situation classifier's crisis p={classifier_crisis:.3})"
                )],
                safety: None,
            },
        })
    }

    /// The ex's reported words where a condition says what they said (hello, sorry, "I miss
    /// you", "let's meet") and the classifier chose a situation about the user's own
    /// feelings or plans: the ex got in touch, and the reply should answer that.
    fn ex_spoke(
        &self,
        a: &Analysis,
        tags: &[TagReason],
        situation: Situation,
    ) -> Option<rules::RuleHit> {
        const SAID: [Tag; 4] = [
            Tag::SaidHello,
            Tag::MissesMe,
            Tag::Apologised,
            Tag::WantsMeet,
        ];
        let feelings_or_plans = matches!(
            situation,
            Situation::Other
                | Situation::StayBusy
                | Situation::ComeBack
                | Situation::WhyItHurts
                | Situation::LetGo
                | Situation::ForgetMe
                | Situation::Panic
                | Situation::Convince
                | Situation::HowLong
                | Situation::FriendsFamily
        );
        let said = tags.iter().any(|r| SAID.contains(&r.tag));
        // news passed on by their family or friends is theirs, not the ex's own message
        let their_people = tags.iter().any(|r| r.tag == Tag::TheirPeople);
        // the user's own contact, wished or denied, is theirs to answer for
        let user_contact = a.contact.events.iter().any(|e| e.actor == Actor::User);
        if !feelings_or_plans || !said || their_people || user_contact {
            return None;
        }
        rules::ex_spoke(&a.text, MAX_TOKENS)
    }

    /// Classifies one message. Never panics; empty or junk input is `Other`.
    pub fn classify(&self, text: &str) -> Verdict {
        let t = Text::analyse(text);
        if let Some(hit) = rules::crisis(&t) {
            return Verdict {
                situation: Situation::Crisis,
                tags: Vec::new(),
                explanation: Explanation {
                    rule: Some(RuleFired {
                        name: "crisis",
                        matched: hit.words,
                        detail: format!("pattern `{}`", hit.pattern),
                    }),
                    ..Explanation::default()
                },
            };
        }
        if t.is_empty() {
            return Verdict {
                situation: Situation::Other,
                tags: Vec::new(),
                explanation: Explanation {
                    rule: Some(RuleFired {
                        name: "empty",
                        matched: String::new(),
                        detail: "no words in the message".into(),
                    }),
                    ..Explanation::default()
                },
            };
        }
        let reading = self.sentinel.read(&t);
        let mut verdict = self.classify_words(t, text, &reading);
        verdict.explanation.safety = Some(Safety {
            crisis: reading.of(Concern::Crisis),
            abuse: reading.of(Concern::Abuse),
        });
        verdict
    }

    /// [`Matcher::classify`] for a message with words that no crisis rule matched.
    fn classify_words(&self, t: Text, text: &str, reading: &Reading) -> Verdict {
        let abuse = rules::abuse(&t);
        let a = self.analyse(t);
        let tags = tags::read(&a.text, text, &a.contact, MAX_TOKENS);
        let mut scores = Vec::with_capacity(Situation::ALL.len());
        self.model.scores(&a.features, &mut scores);
        // the classifier's probabilities over every situation, before any is ruled out
        let p = {
            let mut p = scores.clone();
            model::softmax(&mut p);
            p
        };
        let ci = Situation::Crisis.index();
        if let Some(verdict) =
            self.sentinel_verdict(&a.text, reading, &tags, abuse.is_some(), p[ci])
        {
            return verdict;
        }
        if let Some(hit) = abuse {
            return Verdict {
                situation: Situation::Abuse,
                tags,
                explanation: Explanation {
                    rule: Some(RuleFired {
                        name: "abuse",
                        matched: hit.words,
                        detail: format!("pattern `{}` (safety beats coaching)", hit.pattern),
                    }),
                    ..Explanation::default()
                },
            };
        }
        let word_hashes: Vec<u64> = (0..a.text.len().min(MAX_TOKENS))
            .map(|i| model::word_hash(a.text.word(i)))
            .collect();
        let known_words = word_hashes.iter().filter(|&&h| self.model.knows(h)).count();

        // what the classifier may choose
        let happened = a.contact.main_happened(&a.text).cloned();
        let denied = a.contact.any(Actor::User, Mode::Negated)
            || a.contact.any(Actor::User, Mode::Hypothetical)
            || a.contact.any(Actor::Ex, Mode::Negated)
            || a.contact.any(Actor::Ex, Mode::Hypothetical);
        let mut allowed = [true; Situation::ALL.len()];
        // safety net: the classifier may add crisis (never take it away)
        {
            let top = (0..p.len())
                .max_by(|&a, &b| p[a].total_cmp(&p[b]))
                .unwrap_or(ci);
            let dark = concepts::has_dark(word_hashes.iter().copied());
            if top == ci
                && (p[ci] >= self.tuning.crisis_alone_threshold
                    || (dark && p[ci] >= self.tuning.crisis_threshold))
                && reading.of(Concern::Crisis) >= self.tuning.classifier_crisis_corroboration
                && !rules::figurative(&a.text)
            {
                return Verdict {
                    situation: Situation::Crisis,
                    tags,
                    explanation: Explanation {
                        rule: None,
                        winner: Some(Scored {
                            situation: Situation::Crisis,
                            probability: p[ci],
                            features: self.model.top_features(&a.features, ci, 5),
                        }),
                        runner_up: None,
                        notes: vec!["no crisis phrase matched; the classifier is confident".into()],
                        safety: None,
                    },
                };
            }
        }
        allowed[Situation::Crisis.index()] = false;
        // abuse is decided by rules; the classifier may add it only when confident
        let abuse_p = p[Situation::Abuse.index()];
        if abuse_p < ABUSE_CLASSIFIER_PROBABILITY || rules::abuse_idiom(&a.text) {
            allowed[Situation::Abuse.index()] = false;
        }
        if happened.is_none() && (denied || !self.tuning.classifier_contact) {
            allowed[Situation::Slipped.index()] = false;
            allowed[Situation::TheyReachedOut.index()] = false;
        }
        for (s, ok) in scores.iter_mut().zip(allowed) {
            if !ok {
                *s = f32::NEG_INFINITY;
            }
        }
        model::softmax(&mut scores);
        let mut ranked: Vec<usize> = (0..scores.len()).filter(|&i| allowed[i]).collect();
        ranked.sort_by(|&a, &b| scores[b].total_cmp(&scores[a]));
        let scored = |i: usize| Scored {
            situation: Situation::ALL[i],
            probability: scores[i],
            features: self.model.top_features(&a.features, i, 5),
        };
        let mut explanation = Explanation {
            winner: Some(scored(ranked[0])),
            runner_up: ranked.get(1).map(|&i| scored(i)),
            ..Explanation::default()
        };
        let mut situation = Situation::ALL[ranked[0]];

        if let Some(ev) = happened {
            let contact_situation = match ev.actor {
                Actor::User => Situation::Slipped,
                Actor::Ex => Situation::TheyReachedOut,
            };
            if let Some(h) = &a.hookup {
                situation = Situation::Hookup;
                explanation.rule = Some(RuleFired {
                    name: "hookup",
                    matched: h.words.clone(),
                    detail: format!("sexual wording beats contact (\"{}\")", ev.words),
                });
            } else {
                situation = contact_situation;
                explanation.rule = Some(RuleFired {
                    name: "contact",
                    matched: ev.words.clone(),
                    detail: match ev.actor {
                        Actor::User => "the user already contacted the ex".into(),
                        Actor::Ex => "the ex made contact".into(),
                    },
                });
            }
        } else if let Some(h) = a.hookup.as_ref().filter(|_| {
            self.tuning.hookup_rule
                && !matches!(situation, Situation::NewPartner | Situation::Hookup)
        }) {
            explanation.rule = Some(RuleFired {
                name: "hookup",
                matched: h.words.clone(),
                detail: format!("sexual wording beats the classifier's {situation}"),
            });
            situation = Situation::Hookup;
        } else if let Some(h) = rules::scam(&a.text, MAX_TOKENS) {
            situation = Situation::ComeBack;
            explanation.rule = Some(RuleFired {
                name: "scam",
                matched: h.words,
                detail: "spells and psychics are a come-back question".into(),
            });
        } else if let Some(h) = self.ex_spoke(&a, &tags, situation) {
            explanation.rule = Some(RuleFired {
                name: "ex_spoke",
                matched: h.words,
                detail: format!("the ex's words are reported: they got in touch (not {situation})"),
            });
            situation = Situation::TheyReachedOut;
        } else if known_words < MIN_KNOWN_WORDS {
            situation = Situation::Other;
            explanation.rule = Some(RuleFired {
                name: "unknown",
                matched: String::new(),
                detail: "no word the classifier knows".into(),
            });
        }
        if denied
            && !matches!(situation, Situation::Slipped | Situation::TheyReachedOut)
            && let Some(ev) = a.contact.events.iter().find(|e| e.mode != Mode::Happened)
        {
            explanation.notes.push(format!(
                "contact not happened ({:?}): \"{}\"",
                ev.mode, ev.words
            ));
        }
        Verdict {
            situation,
            tags,
            explanation,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn toy() -> Matcher {
        let data = [
            (Situation::ReachOut, "should i text him"),
            (Situation::ReachOut, "i want to call her"),
            (Situation::SpecialDate, "its his birthday"),
            (Situation::SpecialDate, "our anniversary is tomorrow"),
            (Situation::Other, "hello"),
            (Situation::Slipped, "i texted him"),
            (Situation::TheyReachedOut, "he texted me"),
        ];
        let ex: Vec<(Situation, String)> = data.iter().map(|(s, t)| (*s, t.to_string())).collect();
        Matcher::train(&ex, &[])
    }

    #[test]
    fn rules_and_classifier() {
        let m = toy();
        assert_eq!(
            m.classify("I want to kill myself").situation,
            Situation::Crisis
        );
        assert_eq!(m.classify("").situation, Situation::Other);
        assert_eq!(
            m.classify("he called me last night").situation,
            Situation::TheyReachedOut
        );
        assert_eq!(
            m.classify("I called her last night").situation,
            Situation::Slipped
        );
        assert_eq!(
            m.classify("is it ok to text on her birthday").situation,
            Situation::SpecialDate
        );
        assert_eq!(m.classify("zzzz qqqq").situation, Situation::Other);
        let v = m.classify("I didn't text him but I want to");
        assert_eq!(v.situation, Situation::ReachOut);
        let shown = v.explanation.to_string();
        assert!(shown.contains("classifier: reach_out"), "{shown}");
    }

    /// Words the situation classifier learned as crisis, which the safety model reads as
    /// less likely a crisis: the classifier's crisis stands only while the safety model's
    /// crisis probability reaches the corroboration threshold.
    #[test]
    fn the_classifier_crisis_needs_the_safety_model_not_to_disagree() {
        let ex: Vec<(Situation, String)> = [
            (Situation::Crisis, "zorble flimp quatch"),
            (Situation::Crisis, "flimp zorble now"),
            (Situation::Crisis, "quatch zorble flimp tonight"),
            (Situation::ReachOut, "should i text him"),
            (Situation::Other, "hello there"),
        ]
        .iter()
        .map(|(s, t)| (*s, t.to_string()))
        .collect();
        // the same words said innocently, often enough that the safety model leans away
        let mut safety: Vec<(Concern, String)> = ["lol", "again", "today", "haha", "so much"]
            .iter()
            .flat_map(|w| {
                [
                    format!("zorble flimp quatch {w}"),
                    format!("{w} flimp zorble quatch"),
                    format!("quatch {w} zorble flimp"),
                    format!("flimp zorble {w}"),
                ]
            })
            .map(|t| (Concern::Innocent, t))
            .collect();
        safety.push((Concern::Crisis, "i want to end my life".into()));
        safety.push((Concern::Abuse, "he hit me".into()));
        let text = "zorble flimp quatch";
        let loose = Tuning {
            classifier_crisis_corroboration: 0.0,
            ..Tuning::default()
        };
        let m = Matcher::train_tuned(&ex, &safety, loose);
        assert_eq!(m.classify(text).situation, Situation::Crisis);
        let strict = Tuning {
            classifier_crisis_corroboration: 0.9,
            ..Tuning::default()
        };
        let m = Matcher::train_tuned(&ex, &safety, strict);
        let v = m.classify(text);
        assert_ne!(v.situation, Situation::Crisis, "{}", v.explanation);
    }
}
