//! The statistical part of the matcher: sparse features of a normalised
//! message and a multinomial logistic regression trained at start-up.

use std::collections::HashMap;
use std::hash::{BuildHasherDefault, Hasher};

use super::concepts;
use super::lexicon::{NEGATORS, PARTNER_TITLES};
use super::text::{Text, stem};

/// Features are 64-bit hashes; this hasher passes them through.
#[derive(Default)]
pub(crate) struct IdHasher(u64);

impl Hasher for IdHasher {
    fn finish(&self) -> u64 {
        self.0
    }
    fn write(&mut self, bytes: &[u8]) {
        for &b in bytes {
            self.0 = (self.0 << 8) ^ u64::from(b);
        }
    }
    fn write_u64(&mut self, n: u64) {
        self.0 = n;
    }
}

pub(crate) type IdMap<V> = HashMap<u64, V, BuildHasherDefault<IdHasher>>;

const FNV_OFFSET: u64 = 0xcbf2_9ce4_8422_2325;
const FNV_PRIME: u64 = 0x0000_0100_0000_01b3;

#[derive(Clone, Copy)]
struct Fnv(u64);

impl Fnv {
    fn new(tag: u8) -> Fnv {
        Fnv(FNV_OFFSET).byte(tag)
    }
    fn byte(self, b: u8) -> Fnv {
        Fnv((self.0 ^ u64::from(b)).wrapping_mul(FNV_PRIME))
    }
    fn bytes(mut self, s: &[u8]) -> Fnv {
        for &b in s {
            self = self.byte(b);
        }
        self
    }
    fn finish(self) -> u64 {
        // final avalanche so that the identity-hashed map spreads well
        let mut x = self.0;
        x ^= x >> 33;
        x = x.wrapping_mul(0xff51_afd7_ed55_8ccd);
        x ^= x >> 33;
        x
    }
}

/// Feature weights by kind.
#[derive(Debug, Clone, Copy)]
pub(crate) struct Weights {
    pub word: f32,
    pub bigram: f32,
    pub char: f32,
    pub signal: f32,
    pub concept: f32,
    pub first: f32,
    pub neg: f32,
}

impl Default for Weights {
    fn default() -> Self {
        Weights {
            word: 1.0,
            bigram: 0.8,
            char: 0.25,
            signal: 1.5,
            concept: 1.0,
            first: 0.7,
            neg: 0.5,
        }
    }
}

/// Receives features; `name` is only called by sinks that want names.
pub(crate) trait Sink {
    fn add(&mut self, hash: u64, value: f32, name: &dyn Fn() -> String);
}

/// Collects (hash, value) pairs.
impl Sink for Vec<(u64, f32)> {
    fn add(&mut self, hash: u64, value: f32, _name: &dyn Fn() -> String) {
        self.push((hash, value));
    }
}

/// Collects names too (training only).
pub(crate) struct Named<'a> {
    pub feats: &'a mut Vec<(u64, f32)>,
    pub names: &'a mut IdMap<String>,
}

impl Sink for Named<'_> {
    fn add(&mut self, hash: u64, value: f32, name: &dyn Fn() -> String) {
        self.feats.push((hash, value));
        self.names.entry(hash).or_insert_with(name);
    }
}

/// The classifier's view of a word: digits collapse to "#", pronouns and
/// partner words lose their gender, the rest is stemmed.
fn word_key(w: &str) -> (&str, &'static str) {
    if w.bytes().all(|b| b.is_ascii_digit()) {
        return ("#", "");
    }
    match w {
        "he" | "she" => ("he/she", ""),
        "him" | "his" | "her" | "hers" => ("him/her", ""),
        "himself" | "herself" => ("himself/herself", ""),
        _ if w != "ex" && PARTNER_TITLES.contains(&w) => ("partner", ""),
        _ => stem(w),
    }
}

/// Extracts the features of the first `limit` tokens plus rule signals.
pub(crate) fn extract<S: Sink>(
    t: &Text,
    limit: usize,
    signals: &[&'static str],
    wt: &Weights,
    sink: &mut S,
) {
    let n = t.len().min(limit);
    let mut prev: Option<(u32, (&str, &'static str))> = None;
    let mut neg_left = 0;
    for i in 0..n {
        let w = t.word(i);
        let tok = t.tok(i);
        let key = word_key(w);
        let uh = Fnv::new(b'u')
            .bytes(key.0.as_bytes())
            .bytes(key.1.as_bytes())
            .finish();
        sink.add(uh, wt.word, &|| format!("{}{}", key.0, key.1));
        let clause_start = match prev {
            Some((clause, pk)) if clause == tok.clause => {
                let h = Fnv::new(b'b')
                    .bytes(pk.0.as_bytes())
                    .bytes(pk.1.as_bytes())
                    .byte(b' ')
                    .bytes(key.0.as_bytes())
                    .bytes(key.1.as_bytes());
                sink.add(h.finish(), wt.bigram, &|| {
                    format!("{}{} {}{}", pk.0, pk.1, key.0, key.1)
                });
                false
            }
            _ => true,
        };
        if clause_start {
            neg_left = 0;
            if wt.first > 0.0 {
                let h = Fnv::new(b'f')
                    .bytes(key.0.as_bytes())
                    .bytes(key.1.as_bytes());
                sink.add(h.finish(), wt.first, &|| format!("^{}{}", key.0, key.1));
            }
        }
        if neg_left > 0 && wt.neg > 0.0 {
            let h = Fnv::new(b'n')
                .bytes(key.0.as_bytes())
                .bytes(key.1.as_bytes());
            sink.add(h.finish(), wt.neg, &|| format!("!{}{}", key.0, key.1));
            neg_left -= 1;
        }
        if NEGATORS.contains(&w) {
            neg_left = 3;
        }
        if wt.concept > 0.0
            && let Some(ids) = concepts::INDEX.get(&uh)
        {
            for &id in ids {
                let h = Fnv::new(b'k').byte(id);
                sink.add(h.finish(), wt.concept, &|| concepts::name(id).to_string());
            }
        }
        prev = Some((tok.clause, key));
        if wt.char > 0.0 {
            char_grams(w, wt.char, sink);
        }
    }
    for s in signals {
        let h = Fnv::new(b's').bytes(s.as_bytes());
        sink.add(h.finish(), wt.signal, &|| format!("[{s}]"));
    }
}

/// Character 3-5 grams of "<word>".
fn char_grams<S: Sink>(w: &str, weight: f32, sink: &mut S) {
    // byte offsets of char boundaries in "<" + w + ">"
    let mut bounds: [usize; 40] = [0; 40];
    let mut nb = 0;
    for (i, _) in w.char_indices() {
        if nb == bounds.len() {
            break;
        }
        bounds[nb] = i;
        nb += 1;
    }
    if nb == bounds.len() {
        return; // very long "word": skip
    }
    let len = w.len();
    // positions 0..=nb+1 in the padded word: 0 = '<', 1..=nb chars, nb+1 = '>'
    let total = nb + 2;
    let piece = |p: usize| -> &[u8] {
        if p == 0 {
            b"<"
        } else if p == total - 1 {
            b">"
        } else {
            let s = bounds[p - 1];
            let e = if p < nb { bounds[p] } else { len };
            &w.as_bytes()[s..e]
        }
    };
    for n in 3..=5 {
        if total < n {
            break;
        }
        for start in 0..=total - n {
            let mut h = Fnv::new(b'c');
            for p in start..start + n {
                h = h.bytes(piece(p));
            }
            sink.add(h.finish(), weight, &|| {
                let s: Vec<u8> = (start..start + n).flat_map(|p| piece(p).to_vec()).collect();
                format!("'{}'", String::from_utf8_lossy(&s))
            });
        }
    }
}

/// The finished feature vector of a training example, its feature names recorded in
/// `names` (for `--explain`).
pub(crate) fn training_vector(
    t: &Text,
    limit: usize,
    signals: &[&'static str],
    wt: &Weights,
    names: &mut IdMap<String>,
) -> Vec<(u64, f32)> {
    let mut v = Vec::new();
    extract(
        t,
        limit,
        signals,
        wt,
        &mut Named {
            feats: &mut v,
            names,
        },
    );
    finish_vector(&mut v);
    v
}

/// Sorts, merges duplicates and L2-normalises.
pub(crate) fn finish_vector(v: &mut Vec<(u64, f32)>) {
    v.sort_unstable_by_key(|p| p.0);
    let mut out = 0;
    for i in 0..v.len() {
        if out > 0 && v[out - 1].0 == v[i].0 {
            v[out - 1].1 += v[i].1;
        } else {
            v[out] = v[i];
            out += 1;
        }
    }
    v.truncate(out);
    let norm: f32 = v.iter().map(|p| p.1 * p.1).sum::<f32>().sqrt();
    if norm > 0.0 {
        for p in v.iter_mut() {
            p.1 /= norm;
        }
    }
}

/// Multinomial logistic regression over hashed sparse features.
#[derive(Clone)]
pub(crate) struct Model {
    classes: usize,
    index: IdMap<u32>,
    /// feature-major: weights[f * classes + c]
    weights: Vec<f32>,
    bias: Vec<f32>,
    names: Vec<String>,
}

impl std::fmt::Debug for Model {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Model")
            .field("classes", &self.classes)
            .field("features", &self.index.len())
            .finish_non_exhaustive()
    }
}

/// Training hyper-parameters.
#[derive(Debug, Clone, Copy)]
pub(crate) struct Params {
    pub epochs: usize,
    pub rate: f32,
    pub l2: f32,
}

impl Default for Params {
    fn default() -> Self {
        Params {
            epochs: 30,
            rate: 0.5,
            l2: 1e-5,
        }
    }
}

/// Deterministic pseudo-random numbers (splitmix64).
pub(crate) fn splitmix(mut x: u64) -> u64 {
    x = x.wrapping_add(0x9e37_79b9_7f4a_7c15);
    x = (x ^ (x >> 30)).wrapping_mul(0xbf58_476d_1ce4_e5b9);
    x = (x ^ (x >> 27)).wrapping_mul(0x94d0_49bb_1331_11eb);
    x ^ (x >> 31)
}

impl Model {
    /// `examples`: (class, feature vector after [`finish_vector`]).
    pub fn train(
        classes: usize,
        examples: &[(usize, Vec<(u64, f32)>)],
        mut names: IdMap<String>,
        p: Params,
    ) -> Model {
        let mut index: IdMap<u32> = IdMap::default();
        let mut feat_names = Vec::new();
        let mut rows: Vec<(usize, Vec<(u32, f32)>)> = Vec::with_capacity(examples.len());
        for (c, v) in examples {
            let row = v
                .iter()
                .map(|&(h, x)| {
                    let next = index.len() as u32;
                    let id = *index.entry(h).or_insert_with(|| {
                        feat_names.push(names.remove(&h).unwrap_or_default());
                        next
                    });
                    (id, x)
                })
                .collect();
            rows.push((*c, row));
        }
        let nf = index.len();
        let mut weights = vec![0.0f32; nf * classes];
        let mut bias = vec![0.0f32; classes];
        // class priors as the starting bias
        let mut counts = vec![1.0f32; classes];
        for (c, _) in &rows {
            counts[*c] += 1.0;
        }
        let total: f32 = counts.iter().sum();
        for (b, n) in bias.iter_mut().zip(&counts) {
            *b = (n / total).ln();
        }
        let mut order: Vec<usize> = (0..rows.len()).collect();
        let mut scores = vec![0.0f32; classes];
        let mut seed = 0x5eed_u64;
        for epoch in 0..p.epochs {
            // Fisher-Yates with a fixed seed: deterministic
            for i in (1..order.len()).rev() {
                seed = splitmix(seed);
                let j = (seed % (i as u64 + 1)) as usize;
                order.swap(i, j);
            }
            let rate = p.rate / (1.0 + epoch as f32 * 0.2);
            for &ri in &order {
                let (y, row) = &rows[ri];
                scores.copy_from_slice(&bias);
                for &(f, x) in row {
                    let w = &weights[f as usize * classes..(f as usize + 1) * classes];
                    for (s, wc) in scores.iter_mut().zip(w) {
                        *s += wc * x;
                    }
                }
                softmax(&mut scores);
                scores[*y] -= 1.0; // gradient p - y
                for (b, g) in bias.iter_mut().zip(&scores) {
                    *b -= rate * g;
                }
                let decay = 1.0 - rate * p.l2;
                for &(f, x) in row {
                    let w = &mut weights[f as usize * classes..(f as usize + 1) * classes];
                    for (wc, g) in w.iter_mut().zip(&scores) {
                        *wc = *wc * decay - rate * g * x;
                    }
                }
            }
        }
        Model {
            classes,
            index,
            weights,
            bias,
            names: feat_names,
        }
    }

    pub fn num_features(&self) -> usize {
        self.index.len()
    }

    /// Raw scores (logits) per class, and the number of known features.
    pub fn scores(&self, v: &[(u64, f32)], out: &mut Vec<f32>) -> usize {
        out.clear();
        out.extend_from_slice(&self.bias);
        let mut known = 0;
        for &(h, x) in v {
            if let Some(&f) = self.index.get(&h) {
                known += 1;
                let w = &self.weights[f as usize * self.classes..(f as usize + 1) * self.classes];
                for (s, wc) in out.iter_mut().zip(w) {
                    *s += wc * x;
                }
            }
        }
        known
    }

    /// Whether a feature hash is known to the model.
    pub fn knows(&self, h: u64) -> bool {
        self.index.contains_key(&h)
    }

    /// The `k` features contributing most to class `c`, with contributions.
    pub fn top_features(&self, v: &[(u64, f32)], c: usize, k: usize) -> Vec<(String, f32)> {
        let mut contrib: Vec<(u32, f32)> = v
            .iter()
            .filter_map(|&(h, x)| {
                let f = *self.index.get(&h)?;
                Some((f, self.weights[f as usize * self.classes + c] * x))
            })
            .collect();
        if contrib.len() > k {
            contrib.select_nth_unstable_by(k, |a, b| b.1.total_cmp(&a.1));
            contrib.truncate(k);
        }
        contrib.sort_by(|a, b| b.1.total_cmp(&a.1));
        contrib
            .into_iter()
            .take(k)
            .filter(|p| p.1 > 0.0)
            .map(|(f, x)| (self.names[f as usize].clone(), x))
            .collect()
    }
}

/// In-place softmax.
pub(crate) fn softmax(s: &mut [f32]) {
    let max = s.iter().copied().fold(f32::NEG_INFINITY, f32::max);
    let mut sum = 0.0;
    for x in s.iter_mut() {
        *x = (*x - max).exp();
        sum += *x;
    }
    for x in s.iter_mut() {
        *x /= sum;
    }
}

/// Hash of a unigram feature (to ask whether a word is known).
pub(crate) fn word_hash(w: &str) -> u64 {
    let key = word_key(w);
    Fnv::new(b'u')
        .bytes(key.0.as_bytes())
        .bytes(key.1.as_bytes())
        .finish()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn char_grams_cover_word() {
        let mut names = IdMap::default();
        let mut feats = Vec::new();
        char_grams(
            "text",
            1.0,
            &mut Named {
                feats: &mut feats,
                names: &mut names,
            },
        );
        let mut got: Vec<String> = names.values().cloned().collect();
        got.sort();
        // "<text>" has 4 trigrams, 3 four-grams, 2 five-grams
        assert_eq!(got.len(), 9);
        assert!(got.contains(&"'<te'".to_string()));
        assert!(got.contains(&"'text>'".to_string()));
        // non-ASCII words are cut at char boundaries
        let mut v: Vec<(u64, f32)> = Vec::new();
        char_grams("привет", 1.0, &mut v);
        assert_eq!(v.len(), 6 + 5 + 4);
    }

    #[test]
    fn learns_a_toy_problem() {
        let data = [
            (0, "i texted him"),
            (0, "texted her last night"),
            (1, "happy birthday"),
            (1, "his birthday is tomorrow"),
        ];
        let mut names = IdMap::default();
        let ex: Vec<(usize, Vec<(u64, f32)>)> = data
            .iter()
            .map(|(c, s)| {
                let mut v = Vec::new();
                extract(
                    &Text::analyse(s),
                    100,
                    &[],
                    &Weights::default(),
                    &mut Named {
                        feats: &mut v,
                        names: &mut names,
                    },
                );
                finish_vector(&mut v);
                (*c, v)
            })
            .collect();
        let m = Model::train(2, &ex, names, Params::default());
        let mut v = Vec::new();
        extract(
            &Text::analyse("i txted him"),
            100,
            &[],
            &Weights::default(),
            &mut v,
        );
        finish_vector(&mut v);
        let mut s = Vec::new();
        m.scores(&v, &mut s);
        assert!(s[0] > s[1]);
        assert!(!m.top_features(&v, 0, 3).is_empty());
    }
}
