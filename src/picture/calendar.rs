//! The `/progress` picture: a calendar of no-contact days, slips, urges resisted and moods,
//! under the current and longest streak as headline numbers. Marks differ in shape, not
//! only in colour (a slip is a cross, an urge a dot, a mood a bar), and nothing in it names
//! the ex or quotes the journal.

use std::collections::{BTreeMap, BTreeSet};

use chrono::{Datelike, Duration, NaiveDate};

use super::canvas::{Canvas, Rgb};
use super::font::text_width;
use crate::domain::plural::plural;
use crate::domain::streak::Period;

pub const BACKGROUND: Rgb = [255, 255, 255];
pub const INK: Rgb = [33, 37, 41];
pub const MUTED: Rgb = [120, 124, 130];
pub const NO_CONTACT: Rgb = [134, 205, 150];
pub const SLIP_CELL: Rgb = [250, 218, 218];
pub const SLIP_MARK: Rgb = [196, 32, 40];
pub const EMPTY: Rgb = [214, 216, 220];
pub const URGE: Rgb = [28, 64, 170];
pub const MOOD: Rgb = [236, 150, 20];

const CELL: u32 = 84;
const GAP: u32 = 6;
const LEFT: u32 = 96;
const TOP: u32 = 250;
/// At most this many weeks are drawn: half a year stays readable on a phone.
const MAX_WEEKS: i64 = 26;
const MIN_WEEKS: i64 = 4;

/// Everything the picture shows. No text the user wrote.
#[derive(Debug, Clone, Default)]
pub struct Progress {
    pub today: NaiveDate,
    pub current_days: Option<i64>,
    pub longest_days: i64,
    pub resisted_total: i64,
    pub periods: Vec<Period>,
    pub slip_days: BTreeSet<NaiveDate>,
    pub resisted_by_day: BTreeMap<NaiveDate, u32>,
    pub mood_by_day: BTreeMap<NaiveDate, u8>,
}

/// How a day is drawn.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Kind {
    /// Before the first streak: an outline only.
    Unknown,
    NoContact,
    Slip,
}

impl Progress {
    fn kind(&self, day: NaiveDate) -> Kind {
        if self.slip_days.contains(&day) {
            return Kind::Slip;
        }
        let kept = self.periods.iter().any(|p| {
            let end = p.ended_on.unwrap_or(self.today + Duration::days(1));
            p.started_on < day && day < end
        });
        if kept { Kind::NoContact } else { Kind::Unknown }
    }

    /// The first Monday shown and the number of weeks.
    fn weeks(&self) -> (NaiveDate, i64) {
        let this_monday =
            self.today - Duration::days(i64::from(self.today.weekday().num_days_from_monday()));
        let first = self
            .periods
            .iter()
            .map(|p| p.started_on)
            .min()
            .unwrap_or(self.today);
        let first_monday =
            first - Duration::days(i64::from(first.weekday().num_days_from_monday()));
        let weeks = ((this_monday - first_monday).num_days() / 7 + 1).clamp(MIN_WEEKS, MAX_WEEKS);
        (this_monday - Duration::weeks(weeks - 1), weeks)
    }
}

/// Draws the picture.
pub fn render(progress: &Progress) -> Canvas {
    let (first_monday, weeks) = progress.weeks();
    let width = LEFT + 7 * (CELL + GAP) + 24;
    let legend_top = TOP + 40 + weeks as u32 * (CELL + GAP) + 24;
    let height = legend_top + 4 * 44 + 24;
    let mut c = Canvas::new(width, height, BACKGROUND);

    // Headline numbers.
    c.text(24, 24, "CURRENT STREAK", 3, MUTED);
    let headline = match progress.current_days {
        Some(n) => day_count(n),
        None => "NOT STARTED".to_owned(),
    };
    c.text(24, 58, &headline, 10, INK);
    c.text(
        24,
        148,
        &format!(
            "LONGEST {}",
            plural(progress.longest_days, "day").to_uppercase()
        ),
        4,
        INK,
    );
    c.text(
        24,
        188,
        &format!(
            "URGES RESISTED {}   SLIPS {}",
            progress.resisted_total,
            progress.slip_days.len()
        ),
        3,
        MUTED,
    );

    // Weekday initials above the columns.
    for (i, day) in ["M", "T", "W", "T", "F", "S", "S"].iter().enumerate() {
        let x = LEFT + i as u32 * (CELL + GAP) + (CELL - text_width(day, 3)) / 2;
        c.text(i64::from(x), i64::from(TOP), day, 3, MUTED);
    }

    for week in 0..weeks {
        let y = i64::from(TOP + 40 + week as u32 * (CELL + GAP));
        let monday = first_monday + Duration::weeks(week);
        // A month label where a month begins (and on the first row).
        let month_start = (0..7)
            .map(|d| monday + Duration::days(d))
            .find(|d| d.day() == 1);
        if let Some(day) = month_start.or((week == 0).then_some(monday)) {
            let label = day.format("%b").to_string().to_uppercase();
            c.text(12, y + 30, &label, 3, MUTED);
        }
        for weekday in 0..7 {
            let day = monday + Duration::days(weekday);
            if day > progress.today {
                continue;
            }
            let x = i64::from(LEFT + weekday as u32 * (CELL + GAP));
            draw_day(&mut c, progress, day, x, y);
        }
    }
    draw_legend(&mut c, i64::from(legend_top));
    c
}

fn draw_day(c: &mut Canvas, progress: &Progress, day: NaiveDate, x: i64, y: i64) {
    match progress.kind(day) {
        Kind::Unknown => c.stroke_rect(x, y, CELL, CELL, 3, EMPTY),
        Kind::NoContact => c.fill_rect(x, y, CELL, CELL, NO_CONTACT),
        Kind::Slip => {
            c.fill_rect(x, y, CELL, CELL, SLIP_CELL);
            c.cross(x + 22, y + 24, 44, 7, SLIP_MARK);
        }
    }
    c.text(x + 6, y + 6, &day.day().to_string(), 2, INK);
    if progress.resisted_by_day.get(&day).copied().unwrap_or(0) > 0 {
        c.disc(x + 72, y + 12, 7, URGE);
    }
    if let Some(mood) = progress.mood_by_day.get(&day) {
        let h = u32::from((*mood).clamp(1, 5)) * 11;
        c.fill_rect(x + 6, y + i64::from(CELL) - 6 - i64::from(h), 10, h, MOOD);
    }
    if day == progress.today {
        c.stroke_rect(x - 3, y - 3, CELL + 6, CELL + 6, 4, INK);
    }
}

fn draw_legend(c: &mut Canvas, top: i64) {
    let at = |row: i64| (24, top + row * 44);
    let (x, y) = at(0);
    c.fill_rect(x, y, 30, 30, NO_CONTACT);
    c.text(x + 44, y + 4, "NO CONTACT", 3, INK);
    let (x, y) = at(1);
    c.fill_rect(x, y, 30, 30, SLIP_CELL);
    c.cross(x + 5, y + 5, 20, 4, SLIP_MARK);
    c.text(x + 44, y + 4, "SLIP", 3, INK);
    let (x, y) = at(2);
    c.disc(x + 15, y + 15, 7, URGE);
    c.text(x + 44, y + 4, "URGE RESISTED", 3, INK);
    let (x, y) = at(3);
    c.fill_rect(x + 10, y + 2, 10, 28, MOOD);
    c.text(x + 44, y + 4, "MOOD 1-5", 3, INK);
}

/// "1 DAY", "12 DAYS": the font draws capitals.
fn day_count(n: i64) -> String {
    plural(n, "day").to_uppercase()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn d(y: i32, m: u32, day: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(y, m, day).unwrap()
    }

    #[test]
    fn day_counts_read_right() {
        assert_eq!(day_count(1), "1 DAY");
        assert_eq!(day_count(0), "0 DAYS");
        assert_eq!(day_count(12), "12 DAYS");
    }

    #[test]
    fn days_are_classified_by_periods_and_slips() {
        let p = Progress {
            today: d(2026, 11, 22),
            periods: vec![
                Period {
                    started_on: d(2026, 11, 1),
                    ended_on: Some(d(2026, 11, 10)),
                },
                Period {
                    started_on: d(2026, 11, 10),
                    ended_on: None,
                },
            ],
            slip_days: [d(2026, 11, 10)].into(),
            ..Progress::default()
        };
        assert_eq!(
            p.kind(d(2026, 11, 1)),
            Kind::Unknown,
            "the day of last contact"
        );
        assert_eq!(p.kind(d(2026, 11, 2)), Kind::NoContact);
        assert_eq!(p.kind(d(2026, 11, 10)), Kind::Slip);
        assert_eq!(p.kind(d(2026, 11, 22)), Kind::NoContact);
        assert_eq!(p.weeks().1, 4);
    }
}
