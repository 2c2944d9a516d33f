//! When nudges are due, in the user's own clock: the next occurrence of a local time
//! (daylight saving included), quiet hours, and the grace window for late sends.

use chrono::{DateTime, Duration, NaiveDate, NaiveTime, Utc};

use super::timezone::UserTimezone;

/// The first local day whose `time` is strictly after `after`, and that instant. A local
/// time that does not exist that day (spring forward) moves to the first valid instant
/// after the gap; one that happens twice (fall back) is taken the first time.
pub fn next_occurrence(
    tz: &UserTimezone,
    time: NaiveTime,
    after: DateTime<Utc>,
) -> (NaiveDate, DateTime<Utc>) {
    let mut day = tz.local_date(after) - Duration::days(1);
    loop {
        let instant = tz.resolve_local(day.and_time(time));
        if instant > after {
            return (day, instant);
        }
        day += Duration::days(1);
    }
}

/// True between the evening time and the next morning time (local), when only replies
/// to what the user writes may be sent.
pub fn in_quiet_hours(
    tz: &UserTimezone,
    morning: NaiveTime,
    evening: NaiveTime,
    instant: DateTime<Utc>,
) -> bool {
    let now = tz.local_datetime(instant).time();
    if morning <= evening {
        now >= evening || now < morning
    } else {
        // A night owl's settings (evening before morning on the clock): quiet in between.
        now >= evening && now < morning
    }
}

/// `instant`, or the next morning time when `instant` falls in quiet hours.
pub fn outside_quiet_hours(
    tz: &UserTimezone,
    morning: NaiveTime,
    evening: NaiveTime,
    instant: DateTime<Utc>,
) -> DateTime<Utc> {
    if in_quiet_hours(tz, morning, evening, instant) {
        next_occurrence(tz, morning, instant).1
    } else {
        instant
    }
}

/// Whether a nudge due at `due` may still be sent at `now`: late by no more than `grace`.
pub fn still_timely(due: DateTime<Utc>, now: DateTime<Utc>, grace: Duration) -> bool {
    now - due <= grace
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::TimeZone;
    use proptest::prelude::*;

    fn tz(name: &str) -> UserTimezone {
        UserTimezone::from_stored(name).unwrap()
    }

    fn t(h: u32, m: u32) -> NaiveTime {
        NaiveTime::from_hms_opt(h, m, 0).unwrap()
    }

    fn utc(y: i32, mo: u32, d: u32, h: u32, mi: u32) -> DateTime<Utc> {
        Utc.with_ymd_and_hms(y, mo, d, h, mi, 0).unwrap()
    }

    #[test]
    fn nine_oclock_in_berlin_across_both_dst_changes() {
        let berlin = tz("Europe/Berlin");
        // Spring forward on 29 Mar 2026: 09:00 is 07:00 UTC (was 08:00 the day before).
        let (day, at) = next_occurrence(&berlin, t(9, 0), utc(2026, 3, 28, 9, 0));
        assert_eq!(day, NaiveDate::from_ymd_opt(2026, 3, 29).unwrap());
        assert_eq!(at, utc(2026, 3, 29, 7, 0));
        // Fall back on 25 Oct 2026: 09:00 is 08:00 UTC again.
        let (_, at) = next_occurrence(&berlin, t(9, 0), utc(2026, 10, 24, 8, 0));
        assert_eq!(at, utc(2026, 10, 25, 8, 0));
    }

    #[test]
    fn a_missing_local_time_moves_past_the_gap_and_a_doubled_one_fires_once() {
        let ny = tz("America/New_York");
        // 02:30 does not exist on 8 Mar 2026 in New York: 03:00 EDT = 07:00 UTC.
        let (_, at) = next_occurrence(&ny, t(2, 30), utc(2026, 3, 8, 0, 0));
        assert_eq!(at, utc(2026, 3, 8, 7, 0));
        // 01:30 happens twice on 1 Nov 2026: the first (EDT, 05:30 UTC) counts, and the
        // next occurrence after it is the next day.
        let (_, first) = next_occurrence(&ny, t(1, 30), utc(2026, 11, 1, 0, 0));
        assert_eq!(first, utc(2026, 11, 1, 5, 30));
        let (day, _) = next_occurrence(&ny, t(1, 30), first);
        assert_eq!(day, NaiveDate::from_ymd_opt(2026, 11, 2).unwrap());
    }

    #[test]
    fn kolkata_half_hour_offset() {
        let (_, at) = next_occurrence(&tz("Asia/Kolkata"), t(9, 0), utc(2026, 6, 1, 0, 0));
        assert_eq!(at, utc(2026, 6, 1, 3, 30));
    }

    #[test]
    fn quiet_hours_cover_the_night() {
        let utc_tz = tz("UTC");
        assert!(in_quiet_hours(
            &utc_tz,
            t(9, 0),
            t(21, 0),
            utc(2026, 1, 1, 23, 0)
        ));
        assert!(in_quiet_hours(
            &utc_tz,
            t(9, 0),
            t(21, 0),
            utc(2026, 1, 1, 3, 0)
        ));
        assert!(!in_quiet_hours(
            &utc_tz,
            t(9, 0),
            t(21, 0),
            utc(2026, 1, 1, 12, 0)
        ));
        let moved = outside_quiet_hours(&utc_tz, t(9, 0), t(21, 0), utc(2026, 1, 1, 23, 0));
        assert_eq!(moved, utc(2026, 1, 2, 9, 0));
    }

    proptest! {
        /// Stepping from one occurrence to the next visits every local day exactly once, at
        /// the wanted local time (or just after a gap), in zones with and without DST.
        #[test]
        fn one_occurrence_per_local_day(
            zone in prop::sample::select(vec![
                "Europe/Berlin", "America/New_York", "Australia/Sydney", "Asia/Kolkata",
                "Pacific/Chatham", "America/Sao_Paulo",
            ]),
            hour in 0u32..24,
            minute in prop::sample::select(vec![0u32, 15, 30, 45]),
            start in 1_700_000_000i64..1_900_000_000,
        ) {
            let zone = tz(zone);
            let time = t(hour, minute);
            let mut after = Utc.timestamp_opt(start, 0).unwrap();
            let (mut day, mut at) = next_occurrence(&zone, time, after);
            for _ in 0..400 {
                after = at;
                let (next_day, next_at) = next_occurrence(&zone, time, after);
                prop_assert_eq!(next_day, day + Duration::days(1));
                prop_assert!(next_at > at);
                let local = zone.local_datetime(next_at);
                prop_assert_eq!(local.date(), next_day);
                prop_assert!(local.time() >= time || local.time() < t(4, 0));
                day = next_day;
                at = next_at;
            }
        }
    }
}
