//! Helplines by country (`helplines.toml` in the content pack): crisis lines, domestic-abuse
//! lines and emergency numbers, each with the page it was taken from and the day it was
//! last checked, plus a worldwide fallback. A crisis reply shows the lines of the user's
//! country; with no country known, the fallback and the most common lines.

use std::collections::BTreeSet;

use chrono::NaiveDate;
use serde::Deserialize;

use crate::domain::country::Country;

/// What a helpline is for.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum LineKind {
    /// Suicide and emotional crisis.
    Crisis,
    /// Domestic abuse, stalking, coercive control.
    Abuse,
    /// The emergency number for danger right now.
    Emergency,
}

/// One helpline as the content pack writes it.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Helpline {
    pub country: String,
    pub kind: LineKind,
    pub name: String,
    #[serde(default)]
    pub phone: Option<String>,
    #[serde(default)]
    pub text: Option<String>,
    #[serde(default)]
    pub url: Option<String>,
    #[serde(default)]
    pub hours: Option<String>,
    /// The page the number was read from: the service's own site or a health authority.
    pub source: String,
    /// The day the number was last checked against its source (YYYY-MM-DD).
    pub checked: String,
}

/// The worldwide directory shown when no country is known, and the lines shown beside it.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Fallback {
    pub name: String,
    pub url: String,
    pub source: String,
    pub checked: String,
    /// Countries whose crisis lines are shown when the user's country is unknown.
    #[serde(default)]
    pub common: Vec<String>,
}

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub(super) struct HelplinesFile {
    pub fallback: Fallback,
    #[serde(default)]
    pub line: Vec<Helpline>,
}

/// Every helpline of the pack.
#[derive(Debug, Clone)]
pub struct Helplines {
    fallback: Fallback,
    lines: Vec<Helpline>,
}

impl Helplines {
    pub(super) fn new(file: HelplinesFile) -> Helplines {
        Helplines {
            fallback: file.fallback,
            lines: file.line,
        }
    }

    pub fn fallback(&self) -> &Fallback {
        &self.fallback
    }

    /// The lines of one kind for a country, in file order.
    pub fn of(&self, country: Country, kind: LineKind) -> impl Iterator<Item = &Helpline> {
        self.lines
            .iter()
            .filter(move |l| l.kind == kind && l.country.eq_ignore_ascii_case(country.code()))
    }

    /// Countries with at least one line of this kind.
    pub fn countries(&self, kind: LineKind) -> BTreeSet<&str> {
        self.lines
            .iter()
            .filter(|l| l.kind == kind)
            .map(|l| l.country.as_str())
            .collect()
    }

    /// The helplines block of a reply: the lines of `kind` for the country (or, with no
    /// country or none of its lines known, those of the common countries, each named),
    /// then the emergency number, then the worldwide directory.
    pub fn render(&self, country: Option<Country>, kind: LineKind, labels: &Labels) -> String {
        let mut out = Vec::new();
        let own: Vec<&Helpline> = country
            .map(|c| self.of(c, kind).collect())
            .unwrap_or_default();
        if own.is_empty() {
            // With no country known, the crisis lines of the common countries; a known
            // country without a checked line gets its emergency number and the directory,
            // never another country's lines.
            if kind == LineKind::Crisis && country.is_none() {
                for code in &self.fallback.common {
                    let Some(c) = Country::from_code(code) else {
                        continue;
                    };
                    for line in self.of(c, kind) {
                        out.push(format!("{} ({}): {}", c.name(), c.code(), describe(line)));
                    }
                }
            }
        } else {
            out.extend(own.iter().map(|line| describe(line)));
        }
        let emergency = country.and_then(|c| self.of(c, LineKind::Emergency).next());
        out.push(match emergency.and_then(|e| e.phone.as_deref()) {
            Some(number) => labels.emergency.replace("{number}", number),
            None => labels.emergency_unknown.clone(),
        });
        out.push(
            labels
                .directory
                .replace("{name}", &self.fallback.name)
                .replace("{url}", &self.fallback.url),
        );
        out.join("\n")
    }
}

/// The words around the lines, from the content pack (`guidance.toml`, `[helplines]`).
#[derive(Debug, Clone, Default, PartialEq, Eq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Labels {
    /// "If you are in danger right now, call {number}."
    pub emergency: String,
    /// The same without a known number.
    pub emergency_unknown: String,
    /// "Anywhere in the world: {name}, {url}, lists free helplines."
    pub directory: String,
}

/// "Lifeline Australia: 13 11 14, text 0477 13 11 14, lifeline.org.au (24/7)".
fn describe(line: &Helpline) -> String {
    let mut ways = Vec::new();
    if let Some(phone) = &line.phone {
        ways.push(format!("call {phone}"));
    }
    if let Some(text) = &line.text {
        ways.push(format!("text {text}"));
    }
    if let Some(url) = &line.url {
        ways.push(url.clone());
    }
    let mut s = format!("{}: {}", line.name, ways.join(", "));
    if let Some(hours) = &line.hours {
        s.push_str(&format!(" ({hours})"));
    }
    s
}

/// Problems with the helplines file, as (location, message).
pub(super) fn problems(file: &HelplinesFile) -> Vec<(String, String)> {
    let mut out = Vec::new();
    let mut check_sourced = |loc: &str, source: &str, checked: &str| {
        if !(source.starts_with("https://") || source.starts_with("http://")) || source.len() < 12 {
            out.push((
                format!("{loc}.source"),
                "needs the address of the page the number was taken from".into(),
            ));
        }
        match NaiveDate::parse_from_str(checked, "%Y-%m-%d") {
            Ok(_) => {}
            Err(_) => out.push((
                format!("{loc}.checked"),
                "needs the day it was last checked, as YYYY-MM-DD".into(),
            )),
        }
    };
    check_sourced("fallback", &file.fallback.source, &file.fallback.checked);
    let mut problems = Vec::new();
    for code in &file.fallback.common {
        if Country::from_code(code).is_none() || code.len() != 2 {
            problems.push((
                "fallback.common".to_owned(),
                format!("unknown country code {code:?}"),
            ));
        }
    }
    for (i, line) in file.line.iter().enumerate() {
        let loc = format!("line[{i}] ({} {})", line.country, line.name);
        check_sourced(&loc, &line.source, &line.checked);
        if line.country.len() != 2
            || line.country != line.country.to_ascii_uppercase()
            || Country::from_code(&line.country).is_none()
        {
            problems.push((
                format!("{loc}.country"),
                "needs an ISO 3166-1 alpha-2 code in capitals, like \"AU\"".into(),
            ));
        }
        if line.name.trim().is_empty() {
            problems.push((format!("{loc}.name"), "name is empty".into()));
        }
        let blank = |v: &Option<String>| v.as_deref().is_none_or(|s| s.trim().is_empty());
        if blank(&line.phone) && blank(&line.text) && blank(&line.url) {
            problems.push((
                loc.clone(),
                "needs a phone number, a text number or an address".into(),
            ));
        }
        if line.kind == LineKind::Emergency && blank(&line.phone) {
            problems.push((
                format!("{loc}.phone"),
                "an emergency line needs a number".into(),
            ));
        }
    }
    out.append(&mut problems);
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn file(src: &str) -> HelplinesFile {
        toml::from_str(src).unwrap()
    }

    const BASE: &str = r#"
[fallback]
name = "Find A Helpline"
url = "findahelpline.com"
source = "https://findahelpline.com"
checked = "2026-12-01"
common = ["US"]

[[line]]
country = "US"
kind = "crisis"
name = "988 Lifeline"
phone = "988"
source = "https://988lifeline.org"
checked = "2026-12-01"

[[line]]
country = "AU"
kind = "crisis"
name = "Lifeline"
phone = "13 11 14"
hours = "24/7"
source = "https://www.lifeline.org.au"
checked = "2026-12-01"

[[line]]
country = "AU"
kind = "emergency"
name = "Emergency"
phone = "000"
source = "https://www.triplezero.gov.au"
checked = "2026-12-01"
"#;

    fn labels() -> Labels {
        Labels {
            emergency: "Danger now: {number}.".into(),
            emergency_unknown: "Danger now: your emergency number.".into(),
            directory: "World: {name} {url}".into(),
        }
    }

    #[test]
    fn a_country_gets_its_own_lines_and_emergency_number() {
        let h = Helplines::new(file(BASE));
        let au = Country::from_code("AU");
        let text = h.render(au, LineKind::Crisis, &labels());
        assert!(text.contains("13 11 14 (24/7)"), "{text}");
        assert!(text.contains("Danger now: 000."), "{text}");
        assert!(!text.contains("988"), "{text}");
        assert!(text.ends_with("World: Find A Helpline findahelpline.com"));
    }

    #[test]
    fn no_country_gets_the_common_lines_and_the_directory() {
        let h = Helplines::new(file(BASE));
        let text = h.render(None, LineKind::Crisis, &labels());
        assert!(
            text.contains("United States (US): 988 Lifeline: call 988"),
            "{text}"
        );
        assert!(text.contains("your emergency number"), "{text}");
        assert!(text.contains("findahelpline.com"), "{text}");
        // a known country without a checked line: its emergency number and the directory
        let text = h.render(Country::from_code("FR"), LineKind::Crisis, &labels());
        assert!(!text.contains("988"), "{text}");
        assert!(text.contains("findahelpline.com"), "{text}");
        // abuse lines are never guessed from another country
        let text = h.render(None, LineKind::Abuse, &labels());
        assert!(!text.contains("988"), "{text}");
    }

    #[test]
    fn unsourced_or_undated_lines_are_problems() {
        assert!(problems(&file(BASE)).is_empty());
        let bad = BASE
            .replace(
                "source = \"https://988lifeline.org\"",
                "source = \"my memory\"",
            )
            .replace(
                "checked = \"2026-12-01\"\n\n[[line]]\ncountry = \"AU\"\nkind = \"crisis\"",
                "checked = \"last year\"\n\n[[line]]\ncountry = \"au\"\nkind = \"crisis\"",
            );
        let found = problems(&file(&bad));
        let text = format!("{found:?}");
        assert!(text.contains("988 Lifeline).source"), "{text}");
        assert!(text.contains(".checked"), "{text}");
        assert!(text.contains(".country"), "{text}");
        assert!(
            toml::from_str::<HelplinesFile>(&BASE.replace("\"crisis\"", "\"hotline\"")).is_err()
        );
    }
}
