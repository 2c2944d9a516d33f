//! Streak arithmetic, in the user's own calendar.
//!
//! **Definition.** A streak starts on the local calendar day of the last contact. Its
//! length is the number of calendar days since then: contact on 1 Nov, today 4 Nov → day 3;
//! contact today → day 0. Only local dates enter the arithmetic, so daylight-saving
//! changes never add or drop a day, and changing timezone moves "today" by exactly as
//! many calendar days as the two zones differ, never more.

use chrono::NaiveDate;

/// The earliest last-contact date accepted.
pub const EARLIEST_DATE: NaiveDate = match NaiveDate::from_ymd_opt(1990, 1, 1) {
    Some(d) => d,
    None => unreachable!(),
};

/// One no-contact period: from the day of last contact until the day of the slip that
/// ended it, or still running.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Period {
    pub started_on: NaiveDate,
    pub ended_on: Option<NaiveDate>,
}

impl Period {
    /// Days of no contact in this period as of `today` (for a running period) or at its end.
    pub fn days(&self, today: NaiveDate) -> i64 {
        days_between(self.started_on, self.ended_on.unwrap_or(today))
    }
}

/// Whole calendar days from `from` to `to`, never negative.
pub fn days_between(from: NaiveDate, to: NaiveDate) -> i64 {
    (to - from).num_days().max(0)
}

/// What `/streak` shows.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Summary {
    pub current_days: i64,
    pub started_on: NaiveDate,
    pub longest_days: i64,
    /// Periods that ended with a slip.
    pub slips: usize,
}

/// Summarises a user's periods (any order). `None` when there is no running period.
pub fn summarize(periods: &[Period], today: NaiveDate) -> Option<Summary> {
    let current = periods.iter().find(|p| p.ended_on.is_none())?;
    let longest_days = periods.iter().map(|p| p.days(today)).max().unwrap_or(0);
    Some(Summary {
        current_days: current.days(today),
        started_on: current.started_on,
        longest_days,
        slips: periods.iter().filter(|p| p.ended_on.is_some()).count(),
    })
}

/// Why a date cannot become the start of the running streak or the day of a slip.
#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
pub enum StreakDateError {
    #[error("{0} is in the future")]
    InFuture(NaiveDate),
    #[error("{0} is too long ago")]
    TooEarly(NaiveDate),
    /// A slip is already logged on `last_slip`; the running streak cannot start before it.
    #[error("the running streak cannot start before the last slip on {last_slip}")]
    BeforeLastSlip { last_slip: NaiveDate },
    /// A slip cannot be dated before the running streak began.
    #[error("the running streak only began on {started_on}")]
    BeforeStreakStart { started_on: NaiveDate },
}

fn check_range(date: NaiveDate, today: NaiveDate) -> Result<(), StreakDateError> {
    if date > today {
        Err(StreakDateError::InFuture(date))
    } else if date < EARLIEST_DATE {
        Err(StreakDateError::TooEarly(date))
    } else {
        Ok(())
    }
}

/// Checks a new start date for the running streak (`/since`, onboarding): not in the
/// future, not before 1990, and not before the last slip already on record.
pub fn check_new_start(
    date: NaiveDate,
    last_slip: Option<NaiveDate>,
    today: NaiveDate,
) -> Result<(), StreakDateError> {
    check_range(date, today)?;
    match last_slip {
        Some(last_slip) if date < last_slip => Err(StreakDateError::BeforeLastSlip { last_slip }),
        _ => Ok(()),
    }
}

/// Checks the day of a slip against the running streak; returns how many days the
/// streak it ends had lasted.
pub fn check_slip(
    slip_on: NaiveDate,
    running: &Period,
    today: NaiveDate,
) -> Result<i64, StreakDateError> {
    check_range(slip_on, today)?;
    if slip_on < running.started_on {
        return Err(StreakDateError::BeforeStreakStart {
            started_on: running.started_on,
        });
    }
    Ok(days_between(running.started_on, slip_on))
}

/// What logging a slip does to the counts, so the reply can say what really happened.
/// A slip dated back splits the running streak in two: the days before it and a new
/// streak from its day, which may leave the longest streak shorter than it looked.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct SlipOutcome {
    /// The running streak's days as shown before the slip was logged.
    pub running_before: i64,
    /// Days the streak the slip ends had lasted (its start to the slip's day).
    pub ended_days: i64,
    /// Today's day of the new streak: 0 for a slip today, more for one dated back.
    pub new_days: i64,
    /// The longest streak before the slip was logged (the running one included).
    pub longest_before: i64,
    /// The longest streak once the slip is on record.
    pub longest_after: i64,
}

impl SlipOutcome {
    /// True when the slip was on an earlier day than today.
    pub fn backdated(&self) -> bool {
        self.new_days > 0
    }
}

/// Checks a slip on `slip_on` against the `running` streak (as [`check_slip`]) and says
/// what logging it will do to the counts; `periods` are all of the user's, any order.
pub fn slip_outcome(
    periods: &[Period],
    running: &Period,
    slip_on: NaiveDate,
    today: NaiveDate,
) -> Result<SlipOutcome, StreakDateError> {
    let ended_days = check_slip(slip_on, running, today)?;
    let closed = periods
        .iter()
        .filter(|p| p.ended_on.is_some())
        .map(|p| p.days(today))
        .max()
        .unwrap_or(0);
    let running_before = running.days(today);
    let new_days = days_between(slip_on, today);
    Ok(SlipOutcome {
        running_before,
        ended_days,
        new_days,
        longest_before: closed.max(running_before),
        longest_after: closed.max(ended_days).max(new_days),
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::{Duration, NaiveDateTime, TimeZone, Utc};
    use chrono_tz::Tz;
    use proptest::prelude::*;

    fn d(y: i32, m: u32, day: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(y, m, day).unwrap()
    }

    #[test]
    fn the_documented_example_holds() {
        let p = Period {
            started_on: d(2026, 11, 1),
            ended_on: None,
        };
        assert_eq!(p.days(d(2026, 11, 4)), 3);
        assert_eq!(p.days(d(2026, 11, 1)), 0);
    }

    #[test]
    fn longest_counts_closed_and_running_periods() {
        let periods = [
            Period {
                started_on: d(2026, 1, 1),
                ended_on: Some(d(2026, 1, 20)),
            },
            Period {
                started_on: d(2026, 1, 20),
                ended_on: Some(d(2026, 1, 22)),
            },
            Period {
                started_on: d(2026, 1, 22),
                ended_on: None,
            },
        ];
        let s = summarize(&periods, d(2026, 1, 30)).unwrap();
        assert_eq!(s.current_days, 8);
        assert_eq!(s.longest_days, 19);
        assert_eq!(s.slips, 2);
        assert_eq!(s.started_on, d(2026, 1, 22));
        let later = summarize(&periods, d(2026, 3, 1)).unwrap();
        assert_eq!(later.longest_days, later.current_days);
    }

    #[test]
    fn no_running_period_means_no_summary() {
        assert_eq!(summarize(&[], d(2026, 1, 1)), None);
    }

    #[test]
    fn start_dates_are_checked() {
        let today = d(2026, 11, 22);
        assert_eq!(
            check_new_start(d(2026, 11, 23), None, today),
            Err(StreakDateError::InFuture(d(2026, 11, 23)))
        );
        assert_eq!(
            check_new_start(d(1989, 12, 31), None, today),
            Err(StreakDateError::TooEarly(d(1989, 12, 31)))
        );
        assert_eq!(
            check_new_start(d(2026, 11, 1), Some(d(2026, 11, 5)), today),
            Err(StreakDateError::BeforeLastSlip {
                last_slip: d(2026, 11, 5)
            })
        );
        assert_eq!(check_new_start(today, Some(today), today), Ok(()));
    }

    #[test]
    fn slips_are_checked_against_the_running_streak() {
        let running = Period {
            started_on: d(2026, 11, 10),
            ended_on: None,
        };
        let today = d(2026, 11, 22);
        assert_eq!(check_slip(d(2026, 11, 20), &running, today), Ok(10));
        assert_eq!(check_slip(d(2026, 11, 10), &running, today), Ok(0));
        assert!(matches!(
            check_slip(d(2026, 11, 9), &running, today),
            Err(StreakDateError::BeforeStreakStart { .. })
        ));
        assert!(matches!(
            check_slip(d(2026, 11, 23), &running, today),
            Err(StreakDateError::InFuture(_))
        ));
    }

    #[test]
    fn a_slip_today_keeps_the_longest_streak() {
        let running = Period {
            started_on: d(2026, 11, 1),
            ended_on: None,
        };
        let today = d(2026, 11, 22);
        let outcome = slip_outcome(&[running], &running, today, today).unwrap();
        assert!(!outcome.backdated());
        assert_eq!(outcome.ended_days, 21);
        assert_eq!(outcome.new_days, 0);
        assert_eq!(outcome.longest_before, 21);
        assert_eq!(outcome.longest_after, 21);
    }

    #[test]
    fn a_backdated_slip_splits_the_running_streak_and_may_shorten_the_longest() {
        let running = Period {
            started_on: d(2026, 11, 1),
            ended_on: None,
        };
        let today = d(2026, 11, 22);
        let outcome = slip_outcome(&[running], &running, d(2026, 11, 10), today).unwrap();
        assert!(outcome.backdated());
        assert_eq!(outcome.running_before, 21);
        assert_eq!(outcome.ended_days, 9);
        assert_eq!(outcome.new_days, 12);
        assert_eq!(outcome.longest_before, 21);
        assert_eq!(outcome.longest_after, 12);
        // An older, longer streak stays the longest.
        let old = Period {
            started_on: d(2025, 1, 1),
            ended_on: Some(d(2025, 3, 1)),
        };
        let outcome = slip_outcome(&[old, running], &running, d(2026, 11, 10), today).unwrap();
        assert_eq!(outcome.longest_before, 59);
        assert_eq!(outcome.longest_after, 59);
        assert!(matches!(
            slip_outcome(&[running], &running, d(2026, 10, 30), today),
            Err(StreakDateError::BeforeStreakStart { .. })
        ));
    }

    const ZONES: [Tz; 6] = [
        chrono_tz::Europe::Berlin,
        chrono_tz::America::New_York,
        chrono_tz::Australia::Sydney,
        chrono_tz::Asia::Kolkata,
        chrono_tz::Pacific::Chatham,
        chrono_tz::America::St_Johns,
    ];

    fn local_date(tz: Tz, instant: chrono::DateTime<Utc>) -> NaiveDate {
        instant.with_timezone(&tz).date_naive()
    }

    proptest! {
        /// Across any stretch of time in any zone (DST transitions included), the streak
        /// grows by exactly one at every local midnight and at no other moment.
        #[test]
        fn streak_grows_by_one_per_local_day(
            zone in 0usize..ZONES.len(),
            start_secs in 946_684_800i64..1_900_000_000i64,
            steps in 1usize..200,
            step_minutes in 1i64..(6 * 60),
        ) {
            let tz = ZONES[zone];
            let start = Utc.timestamp_opt(start_secs, 0).unwrap();
            let last_contact = local_date(tz, start);
            let mut previous = days_between(last_contact, local_date(tz, start));
            prop_assert_eq!(previous, 0);
            for i in 1..=steps {
                let t = start + Duration::minutes(step_minutes * i as i64);
                let days = days_between(last_contact, local_date(tz, t));
                let prev_t = start + Duration::minutes(step_minutes * (i as i64 - 1));
                let midnights = (local_date(tz, t) - local_date(tz, prev_t)).num_days();
                prop_assert_eq!(days - previous, midnights);
                previous = days;
            }
        }

        /// The streak at local noon on day N after the last contact is N, whatever the zone
        /// does with its clocks in between.
        #[test]
        fn local_noon_n_days_later_is_day_n(
            zone in 0usize..ZONES.len(),
            start in (0i64..15_000).prop_map(|n| d(2000, 1, 1) + Duration::days(n)),
            n in 0i64..800,
        ) {
            let tz = ZONES[zone];
            let noon = (start + Duration::days(n)).and_hms_opt(12, 0, 0).unwrap();
            let instant = resolve(tz, noon);
            prop_assert_eq!(days_between(start, local_date(tz, instant)), n);
        }

        /// Switching timezone changes the count by exactly the difference between the two
        /// local calendars at that instant (at most two days, from UTC-12 to UTC+14).
        #[test]
        fn timezone_change_moves_streak_only_by_calendar_difference(
            a in 0usize..ZONES.len(),
            b in 0usize..ZONES.len(),
            secs in 946_684_800i64..1_900_000_000i64,
            back in 0i64..1000,
        ) {
            let now = Utc.timestamp_opt(secs, 0).unwrap();
            let start = local_date(ZONES[a], now) - Duration::days(back);
            let in_a = days_between(start, local_date(ZONES[a], now));
            let in_b = (local_date(ZONES[b], now) - start).num_days();
            let calendar_gap = (local_date(ZONES[b], now) - local_date(ZONES[a], now)).num_days();
            prop_assert_eq!(in_b - in_a, calendar_gap);
            prop_assert!(calendar_gap.abs() <= 2);
        }
    }

    fn resolve(tz: Tz, local: NaiveDateTime) -> chrono::DateTime<Utc> {
        tz.from_local_datetime(&local)
            .earliest()
            .expect("noon exists in every zone")
            .with_timezone(&Utc)
    }
}
