//! Word lists that several parts of the matcher read (the rules, the phrase patterns,
//! the classifier's features): one home for each, so that they cannot disagree.

/// Words that name a partner or the ex ("my ex", "her husband").
pub(crate) const PARTNER_TITLES: &[&str] = &[
    "ex",
    "boyfriend",
    "girlfriend",
    "husband",
    "wife",
    "partner",
    "fiance",
    "fiancee",
    "wifey",
    "hubby",
    "bf",
    "gf",
];

/// Words that turn what follows into its opposite ("not texting", "never replied").
pub(crate) const NEGATORS: &[&str] = &["not", "never", "no", "nor", "without", "neither"];

/// Whether `w` can name the ex as a subject or object: a pronoun of one third person or a
/// partner title.
pub(crate) fn is_ex_word(w: &str) -> bool {
    matches!(w, "he" | "she" | "him" | "her") || PARTNER_TITLES.contains(&w)
}
