//! Morning encouragement, evening reflection and milestones: right in every timezone, once
//! per local day, durable across restarts, and within the grace window only.

use crate::support;

use chrono::{DateTime, Duration, NaiveDate, NaiveTime, TimeZone, Timelike, Utc};
use nocontact::domain::ChatId;
use nocontact::domain::timezone::UserTimezone;
use nocontact::store::{JobKind, JournalKind};
use support::test_app::{RecordingOutbox, TestApp, button, scheduler, text_of};

/// A nudge as the user saw it: local time, and whether it was the evening prompt.
#[derive(Debug)]
struct Seen {
    local: chrono::NaiveDateTime,
    evening: bool,
    text: String,
}

/// Runs the scheduler every `step` until `until`, collecting what chat 1 received.
async fn drive(
    t: &TestApp,
    outbox: &RecordingOutbox,
    until: DateTime<Utc>,
    step: Duration,
    tz: UserTimezone,
) -> Vec<Seen> {
    let s = scheduler(&t.app, "drive");
    let mut seen = Vec::new();
    while t.clock_now() < until {
        t.clock.advance(step);
        let before = outbox.sent().len();
        s.run_due(outbox).await.unwrap();
        for (_, replies) in &outbox.sent()[before..] {
            seen.push(Seen {
                local: tz.local_datetime(t.clock_now()),
                evening: !replies[0].keyboard.is_empty(),
                text: replies[0].text.clone(),
            });
        }
    }
    seen
}

fn at(t: &str) -> NaiveTime {
    NaiveTime::parse_from_str(t, "%H:%M").unwrap()
}

async fn check_a_fortnight_in(zone: &str, start: DateTime<Utc>) {
    let t = TestApp::starting_at(start).await;
    t.onboard(1, "yesterday", zone).await;
    let tz = UserTimezone::from_stored(zone).unwrap();
    let outbox = RecordingOutbox::default();
    let seen = drive(
        &t,
        &outbox,
        start + Duration::days(14),
        Duration::minutes(10),
        tz,
    )
    .await;
    let mornings: Vec<&Seen> = seen.iter().filter(|s| !s.evening).collect();
    let evenings: Vec<&Seen> = seen.iter().filter(|s| s.evening).collect();
    assert!(
        (13..=14).contains(&mornings.len()),
        "{zone}: {} mornings",
        mornings.len()
    );
    assert!(
        (13..=14).contains(&evenings.len()),
        "{zone}: {} evenings",
        evenings.len()
    );
    for (list, wanted) in [(&mornings, at("09:00")), (&evenings, at("21:00"))] {
        let mut days: Vec<NaiveDate> = list.iter().map(|s| s.local.date()).collect();
        days.dedup();
        assert_eq!(
            days.len(),
            list.len(),
            "{zone}: two nudges on one local day"
        );
        for s in list.iter() {
            let late = s.local.time() - wanted;
            assert!(
                late >= Duration::zero() && late < Duration::minutes(10),
                "{zone}: sent at local {} instead of {wanted}",
                s.local
            );
        }
    }
}

#[tokio::test]
async fn nine_and_nine_local_across_spring_forward() {
    // Europe/Berlin and America/New_York spring forward in March 2026 (29th and 8th).
    check_a_fortnight_in(
        "Europe/Berlin",
        Utc.with_ymd_and_hms(2026, 3, 22, 12, 0, 0).unwrap(),
    )
    .await;
    check_a_fortnight_in(
        "America/New_York",
        Utc.with_ymd_and_hms(2026, 3, 1, 15, 0, 0).unwrap(),
    )
    .await;
}

#[tokio::test]
async fn nine_and_nine_local_across_fall_back_and_half_hours() {
    // Berlin falls back on 25 Oct 2026, Sydney springs forward on 4 Oct 2026, Kolkata is +05:30.
    check_a_fortnight_in(
        "Europe/Berlin",
        Utc.with_ymd_and_hms(2026, 10, 18, 12, 0, 0).unwrap(),
    )
    .await;
    check_a_fortnight_in(
        "Australia/Sydney",
        Utc.with_ymd_and_hms(2026, 9, 28, 2, 0, 0).unwrap(),
    )
    .await;
    check_a_fortnight_in(
        "Asia/Kolkata",
        Utc.with_ymd_and_hms(2026, 11, 1, 7, 0, 0).unwrap(),
    )
    .await;
}

#[tokio::test]
async fn a_nudge_missed_while_down_is_sent_once_within_grace_and_skipped_after() {
    // Onboarded at 12:00 UTC; morning nudge due tomorrow 09:00.
    let t = TestApp::new().await;
    t.onboard(1, "yesterday", "UTC").await;
    let outbox = RecordingOutbox::default();
    // Down from before 09:00 until 10:30: a fresh instance (a restart) sends it, once.
    t.clock
        .set(Utc.with_ymd_and_hms(2026, 11, 23, 10, 30, 0).unwrap());
    let restarted = t.another_instance().await;
    let s = scheduler(&restarted, "after-restart");
    s.run_due(&outbox).await.unwrap();
    s.run_due(&outbox).await.unwrap();
    assert_eq!(outbox.sent().len(), 1, "{:#?}", outbox.sent());
    // The scheduler's lag is what an operator sees of it: sent 90 minutes after due.
    let metrics = restarted.metrics.render();
    assert!(
        metrics.contains("nocontact_scheduler_lag_seconds_bucket{le=\"3600.0\"} 0\n")
            && metrics.contains("nocontact_scheduler_lag_seconds_bucket{le=\"10800.0\"} 1\n"),
        "{metrics}"
    );
    assert!(
        !metrics.contains("nocontact_jobs_claimed_total 0\n"),
        "{metrics}"
    );
    // The next morning the bot is down until 12:30, past the 3-hour grace: skipped.
    t.clock
        .set(Utc.with_ymd_and_hms(2026, 11, 24, 12, 30, 0).unwrap());
    s.run_due(&outbox).await.unwrap();
    let mornings_on_24th = outbox.sent().len() - 1;
    assert_eq!(
        mornings_on_24th,
        0,
        "never a late good morning: {:#?}",
        outbox.sent()
    );
    // …and the chain continues: 25th 09:00 arrives.
    t.clock
        .set(Utc.with_ymd_and_hms(2026, 11, 25, 9, 0, 0).unwrap());
    s.run_due(&outbox).await.unwrap();
    let last = outbox.sent().last().unwrap().1[0].text.clone();
    assert_eq!(outbox.sent().len(), 2, "{last}");
}

#[tokio::test]
async fn a_milestone_replaces_the_ordinary_encouragement() {
    let t = TestApp::new().await;
    // Last contact 16 Nov: 23 Nov is day 7.
    t.onboard(1, "2026-11-16", "UTC").await;
    let outbox = RecordingOutbox::default();
    t.clock
        .set(Utc.with_ymd_and_hms(2026, 11, 23, 9, 1, 0).unwrap());
    scheduler(&t.app, "m").run_due(&outbox).await.unwrap();
    let text = &outbox.sent()[0].1[0].text;
    let milestones = t.app.engine.coach().pack().milestones();
    let week = milestones
        .iter()
        .find(|m| m.day == 7)
        .expect("a day-7 milestone");
    assert!(text.starts_with(&week.title), "{text}");
}

#[tokio::test]
async fn encouragements_rotate_without_repeats() {
    let t = TestApp::starting_at(Utc.with_ymd_and_hms(2026, 1, 1, 12, 0, 0).unwrap()).await;
    // A start date far enough back that no milestone falls in the coming weeks.
    t.onboard(1, "2025-06-01", "UTC").await;
    let outbox = RecordingOutbox::default();
    let n = t.app.engine.coach().pack().morning_messages().len();
    let tz = UserTimezone::from_stored("UTC").unwrap();
    let until = t.clock_now() + Duration::days(n as i64);
    let seen = drive(&t, &outbox, until, Duration::hours(1), tz).await;
    let mornings: Vec<&str> = seen
        .iter()
        .filter(|s| !s.evening)
        .map(|s| s.text.as_str())
        .collect();
    assert_eq!(mornings.len(), n);
    let mut unique = mornings.clone();
    unique.sort_unstable();
    unique.dedup();
    assert_eq!(
        unique.len(),
        n,
        "a morning text repeated before all were seen"
    );
}

#[tokio::test]
async fn a_reply_to_the_evening_prompt_is_kept_and_one_mood_a_day_counts() {
    let t = TestApp::new().await;
    t.onboard(1, "yesterday", "UTC").await;
    let outbox = RecordingOutbox::default();
    t.clock
        .set(Utc.with_ymd_and_hms(2026, 11, 22, 21, 0, 0).unwrap());
    scheduler(&t.app, "e").run_due(&outbox).await.unwrap();
    let prompt = outbox.sent()[0].1.clone();
    assert_eq!(prompt[0].keyboard[0].len(), 5, "a 1–5 mood check-in");
    let kept = text_of(
        &t.say(1, "Today I went running and didn't check his profile once.")
            .await,
    );
    assert!(kept.contains("journal"), "{kept}");
    let journal = text_of(&t.say(1, "/journal").await);
    assert!(journal.contains("went running"), "{journal}");
    let first = text_of(&t.press(1, &button(&prompt, "4")).await);
    assert!(
        !first.contains("already") && !first.contains("expired"),
        "{first}"
    );
    // A second answer for the same evening replaces the first: one mood a day.
    t.press(1, &button(&prompt, "2")).await;
    t.press(1, &button(&prompt, "2")).await;
    t.clock.advance(Duration::days(4));
    let stale = text_of(&t.press(1, &button(&prompt, "3")).await);
    assert!(stale.contains("expired"), "{stale}");
    let entries = t.journal(1, JournalKind::Reflection).await;
    let user = t.app.store.user(ChatId(1)).await.unwrap().unwrap();
    assert_eq!(entries.len(), 1);
    let moods = t
        .app
        .store
        .events_of(user.id, nocontact::store::EventKind::Mood)
        .await
        .unwrap();
    assert_eq!(moods.len(), 1, "one mood a day: {moods:?}");
    assert_eq!(moods[0].value, Some(2), "the latest answer counts");
}

#[tokio::test]
async fn paused_users_get_nothing_until_they_resume() {
    let t = TestApp::new().await;
    t.onboard(1, "yesterday", "UTC").await;
    let settings = t.say(1, "/settings").await;
    t.press(1, &button(&settings, "Pause")).await;
    assert_eq!(
        t.app
            .store
            .count_pending_jobs(JobKind::Morning)
            .await
            .unwrap(),
        0
    );
    let outbox = RecordingOutbox::default();
    let tz = UserTimezone::from_stored("UTC").unwrap();
    let seen = drive(
        &t,
        &outbox,
        t.clock_now() + Duration::days(2),
        Duration::hours(1),
        tz,
    )
    .await;
    assert!(seen.is_empty(), "{seen:?}");
    let settings = t.say(1, "/settings").await;
    t.press(1, &button(&settings, "Resume")).await;
    let seen = drive(
        &t,
        &outbox,
        t.clock_now() + Duration::days(1),
        Duration::hours(1),
        tz,
    )
    .await;
    assert_eq!(seen.len(), 2, "{seen:?}");
}

#[tokio::test]
async fn a_user_who_blocked_the_bot_is_skipped_until_they_write_again() {
    let t = TestApp::new().await;
    t.onboard(1, "yesterday", "UTC").await;
    let outbox = RecordingOutbox::default();
    outbox.block(ChatId(1));
    let tz = UserTimezone::from_stored("UTC").unwrap();
    drive(
        &t,
        &outbox,
        t.clock_now() + Duration::days(1),
        Duration::hours(1),
        tz,
    )
    .await;
    let user = t.app.store.user(ChatId(1)).await.unwrap().unwrap();
    assert!(!user.active);
    assert_eq!(
        t.app
            .store
            .count_pending_jobs(JobKind::Morning)
            .await
            .unwrap(),
        0
    );
    assert_eq!(
        t.app
            .store
            .count_pending_jobs(JobKind::Evening)
            .await
            .unwrap(),
        0
    );
    outbox.unblock(ChatId(1));
    t.say(1, "hi, I'm back").await;
    assert!(t.app.store.user(ChatId(1)).await.unwrap().unwrap().active);
    let seen = drive(
        &t,
        &outbox,
        t.clock_now() + Duration::days(1),
        Duration::hours(1),
        tz,
    )
    .await;
    assert_eq!(seen.len(), 2, "nudges resume: {seen:?}");
}

#[tokio::test]
async fn quiet_hours_hold_for_every_scheduled_message() {
    let t = TestApp::new().await;
    t.onboard(1, "yesterday", "Europe/Berlin").await;
    let outbox = RecordingOutbox::default();
    let tz = UserTimezone::from_stored("Europe/Berlin").unwrap();
    let seen = drive(
        &t,
        &outbox,
        t.clock_now() + Duration::days(5),
        Duration::minutes(20),
        tz,
    )
    .await;
    for s in &seen {
        let h = s.local.hour();
        assert!(
            (9..21).contains(&h) || (h == 21 && s.local.minute() < 20),
            "{s:?}"
        );
    }
}

#[tokio::test]
async fn retries_during_an_outage_never_turn_into_a_late_good_morning() {
    let t = TestApp::new().await;
    t.onboard(1, "yesterday", "UTC").await;
    let outbox = RecordingOutbox::default();
    let s = scheduler(&t.app, "outage");
    // From 09:00 to 12:30 every delivery fails; the job is retried with backoff.
    outbox.set_failing(true);
    t.clock
        .set(Utc.with_ymd_and_hms(2026, 11, 23, 9, 0, 0).unwrap());
    while t.clock_now() < Utc.with_ymd_and_hms(2026, 11, 23, 12, 30, 0).unwrap() {
        s.run_due(&outbox).await.unwrap();
        t.clock.advance(Duration::minutes(5));
    }
    outbox.set_failing(false);
    // Past the 3-hour grace from 09:00: the retried morning nudge is dropped, not sent.
    while t.clock_now() < Utc.with_ymd_and_hms(2026, 11, 23, 20, 0, 0).unwrap() {
        s.run_due(&outbox).await.unwrap();
        t.clock.advance(Duration::minutes(5));
    }
    assert!(outbox.sent().is_empty(), "{:#?}", outbox.sent());
}

/// How many jobs have each status, and whether a dedupe key is still stored.
async fn job_rows(t: &TestApp, status: &str) -> i64 {
    use sqlx::Row;
    sqlx::query("SELECT COUNT(*) AS n FROM scheduled_jobs WHERE status = $1")
        .bind(status)
        .fetch_one(t.app.store.pool())
        .await
        .unwrap()
        .try_get("n")
        .unwrap()
}

async fn key_stored(t: &TestApp, key: &str) -> bool {
    sqlx::query("SELECT id FROM scheduled_jobs WHERE dedupe_key = $1")
        .bind(key)
        .fetch_optional(t.app.store.pool())
        .await
        .unwrap()
        .is_some()
}

#[tokio::test]
async fn finished_and_cancelled_jobs_are_purged_after_the_retention_not_before() {
    let t = TestApp::new().await;
    assert_eq!(t.app.settings.scheduler.retention_days, 14, "the default");
    t.onboard(1, "yesterday", "UTC").await;
    let user = t.app.store.user(ChatId(1)).await.unwrap().unwrap();
    let outbox = RecordingOutbox::default();
    let s = scheduler(&t.app, "purge");
    // The evening nudge of 22 Nov is sent: a done job whose key guards that day.
    t.clock
        .set(Utc.with_ymd_and_hms(2026, 11, 22, 21, 0, 0).unwrap());
    s.run_due(&outbox).await.unwrap();
    assert_eq!(outbox.sent().len(), 1);
    let sent_key = format!("evening:{}:2026-11-22", user.id);
    assert!(key_stored(&t, &sent_key).await);
    // A "wait with me" check-back due on 23 Nov, cancelled.
    let wait = nocontact::store::NewJob {
        kind: JobKind::WaitCheckback,
        due_at: Utc.with_ymd_and_hms(2026, 11, 23, 10, 0, 0).unwrap(),
        payload: "{}".into(),
        dedupe_key: None,
    };
    t.app
        .store
        .schedule_job(user.id, &wait, t.clock_now())
        .await
        .unwrap();
    t.app
        .store
        .cancel_pending_jobs_of(user.id, JobKind::WaitCheckback)
        .await
        .unwrap();
    assert_eq!(job_rows(&t, "cancelled").await, 1);

    // The next day the sent nudge's key still stands: the day gets no second nudge.
    t.clock.advance(Duration::days(1));
    s.run_due(&outbox).await.unwrap();
    assert!(key_stored(&t, &sent_key).await, "kept for its day and more");
    // Just inside the retention: nothing is purged.
    t.clock
        .set(Utc.with_ymd_and_hms(2026, 12, 6, 19, 59, 0).unwrap());
    s.run_due(&outbox).await.unwrap();
    assert!(key_stored(&t, &sent_key).await, "14 days not yet over");
    assert_eq!(job_rows(&t, "cancelled").await, 1);
    // Past 14 days from when it was due (and an hour after the last purge), the sent
    // nudge goes; the cancelled one, due the next day, waits for its own 14 days.
    t.clock
        .set(Utc.with_ymd_and_hms(2026, 12, 6, 21, 1, 0).unwrap());
    s.run_due(&outbox).await.unwrap();
    assert!(!key_stored(&t, &sent_key).await, "purged after 14 days");
    assert_eq!(job_rows(&t, "cancelled").await, 1);
    t.clock
        .set(Utc.with_ymd_and_hms(2026, 12, 7, 22, 30, 0).unwrap());
    s.run_due(&outbox).await.unwrap();
    assert_eq!(job_rows(&t, "cancelled").await, 0);
    // Pending nudges are never purged.
    assert!(job_rows(&t, "pending").await >= 1);
    let done = job_rows(&t, "done").await;
    let cutoff = (t.clock_now() - Duration::days(14)).timestamp();
    let old: Vec<sqlx::any::AnyRow> = sqlx::query(
        "SELECT id FROM scheduled_jobs WHERE status IN ('done', 'cancelled') AND due_at < $1",
    )
    .bind(cutoff)
    .fetch_all(t.app.store.pool())
    .await
    .unwrap();
    assert!(
        old.is_empty(),
        "no finished job older than the retention ({done} done)"
    );
}
