//! The country a user is in: an ISO 3166-1 alpha-2 code, read from what they type or from
//! their timezone (the tz database names the country of every zone). It picks the
//! helplines a crisis reply shows.

use std::fmt;

use super::country_data::{COUNTRY_NAMES, ZONE_COUNTRIES};
use super::timezone::UserTimezone;

/// A country the tz database knows, by its two-letter code ("AU", "IN", "DE").
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct Country([u8; 2]);

/// Everyday names that are not the tz database's short names.
const ALIASES: &[(&str, &str)] = &[
    ("uk", "GB"),
    ("united kingdom", "GB"),
    ("great britain", "GB"),
    ("england", "GB"),
    ("scotland", "GB"),
    ("wales", "GB"),
    ("northern ireland", "GB"),
    ("usa", "US"),
    ("us", "US"),
    ("u.s.", "US"),
    ("u.s.a.", "US"),
    ("america", "US"),
    ("united states of america", "US"),
    ("the states", "US"),
    ("south korea", "KR"),
    ("korea", "KR"),
    ("north korea", "KP"),
    ("holland", "NL"),
    ("the netherlands", "NL"),
    ("deutschland", "DE"),
    ("españa", "ES"),
    ("espana", "ES"),
    ("italia", "IT"),
    ("brasil", "BR"),
    ("méxico", "MX"),
    ("bharat", "IN"),
    ("russian federation", "RU"),
    ("czech republic", "CZ"),
    ("czechia", "CZ"),
    ("uae", "AE"),
    ("emirates", "AE"),
    ("ivory coast", "CI"),
    ("vatican", "VA"),
    ("the philippines", "PH"),
    ("nz", "NZ"),
    ("aotearoa", "NZ"),
];

impl Country {
    /// A known two-letter code, in any case.
    pub fn from_code(code: &str) -> Option<Country> {
        let upper = code.trim().to_ascii_uppercase();
        let bytes: [u8; 2] = upper.as_bytes().try_into().ok()?;
        COUNTRY_NAMES
            .binary_search_by(|(c, _)| c.as_bytes().cmp(&bytes[..]))
            .ok()
            .map(|_| Country(bytes))
    }

    /// What a user typed: a code ("AU"), a name ("Australia", "india") or a common
    /// alias ("UK", "USA", "Deutschland"). `None` for anything else.
    pub fn parse(input: &str) -> Option<Country> {
        let folded = input
            .trim()
            .trim_end_matches(['.', '!'])
            .trim()
            .to_lowercase();
        if folded.is_empty() || folded.chars().count() > 60 {
            return None;
        }
        if let Some((_, code)) = ALIASES.iter().find(|(name, _)| *name == folded) {
            return Country::from_code(code);
        }
        if folded.len() == 2 {
            return Country::from_code(&folded);
        }
        let bare = folded.strip_prefix("the ").unwrap_or(&folded);
        COUNTRY_NAMES
            .iter()
            .find(|(_, name)| {
                let name = name.to_lowercase();
                // "Britain (UK)" and "Korea (South)" also answer to their first part
                name == bare || name.split(" (").next() == Some(bare)
            })
            .and_then(|(code, _)| Country::from_code(code))
    }

    /// The country of a named timezone; `None` for fixed offsets and zones of no country
    /// (UTC, Etc/…).
    pub fn of_timezone(tz: &UserTimezone) -> Option<Country> {
        let UserTimezone::Named(zone) = tz else {
            return None;
        };
        let name = zone.name();
        ZONE_COUNTRIES
            .binary_search_by(|(z, _)| (*z).cmp(name))
            .ok()
            .and_then(|i| Country::from_code(ZONE_COUNTRIES[i].1))
    }

    /// The two-letter code.
    pub fn code(&self) -> &str {
        // always two ASCII capitals, checked on construction
        std::str::from_utf8(&self.0).unwrap_or("??")
    }

    /// The tz database's short English name ("Australia", "Britain (UK)").
    pub fn name(&self) -> &'static str {
        COUNTRY_NAMES
            .binary_search_by(|(c, _)| c.as_bytes().cmp(&self.0[..]))
            .map(|i| COUNTRY_NAMES[i].1)
            .unwrap_or("")
    }
}

impl fmt::Display for Country {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.code())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn tz(name: &str) -> UserTimezone {
        UserTimezone::from_stored(name).unwrap()
    }

    #[test]
    fn tables_are_sorted_for_binary_search() {
        assert!(ZONE_COUNTRIES.windows(2).all(|w| w[0].0 < w[1].0));
        assert!(COUNTRY_NAMES.windows(2).all(|w| w[0].0 < w[1].0));
    }

    #[test]
    fn zones_map_to_their_country() {
        let code = |z: &str| Country::of_timezone(&tz(z)).map(|c| c.code().to_owned());
        assert_eq!(code("Australia/Sydney").as_deref(), Some("AU"));
        assert_eq!(code("Asia/Kolkata").as_deref(), Some("IN"));
        assert_eq!(code("Asia/Calcutta").as_deref(), Some("IN"), "a link");
        assert_eq!(code("Europe/Berlin").as_deref(), Some("DE"));
        assert_eq!(code("America/Toronto").as_deref(), Some("CA"));
        assert_eq!(code("Europe/London").as_deref(), Some("GB"));
        assert_eq!(code("UTC"), None);
        assert_eq!(code("UTC+05:30"), None);
    }

    #[test]
    fn typed_countries() {
        let code = |s: &str| Country::parse(s).map(|c| c.code().to_owned());
        assert_eq!(code("AU").as_deref(), Some("AU"));
        assert_eq!(code("india").as_deref(), Some("IN"));
        assert_eq!(code(" Germany. ").as_deref(), Some("DE"));
        assert_eq!(code("UK").as_deref(), Some("GB"));
        assert_eq!(code("Britain").as_deref(), Some("GB"));
        assert_eq!(code("the Philippines").as_deref(), Some("PH"));
        assert_eq!(code("South Korea").as_deref(), Some("KR"));
        assert_eq!(code("Atlantis"), None);
        assert_eq!(code("XX"), None);
        assert_eq!(code(""), None);
        assert_eq!(Country::parse("nz").unwrap().name(), "New Zealand");
    }
}
