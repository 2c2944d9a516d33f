//! `/streak`, `/since`, `/slip` and `/history` through the engine, with time moving.

use crate::support;

use chrono::{Duration, TimeZone, Utc};
use nocontact::domain::ChatId;
use support::test_app::{TestApp, button, longest_streak, streak_day, text_of};

/// The slips on record for a chat.
async fn slips_logged(t: &TestApp, chat: i64) -> usize {
    let user = t.app.store.user(ChatId(chat)).await.unwrap().unwrap();
    t.app.store.slips(user.id).await.unwrap().len()
}

#[tokio::test]
async fn the_streak_grows_with_the_users_calendar() {
    let t = TestApp::new().await;
    t.onboard(1, "2026-11-01", "Europe/Berlin").await;
    let s = t.streak(1).await;
    assert_eq!(streak_day(&s), 21, "{s}");
    assert!(s.contains("Sun 1 Nov 2026"), "{s}");
    assert!(s.contains("Next milestone: day 30"), "{s}");
    assert!(s.contains("9 days to go"), "{s}");
    assert!(s.contains("Urges resisted: 0"), "{s}");
    // 22:59 UTC is 23:59 in Berlin: still the same day. Two minutes later it is tomorrow.
    t.clock
        .set(Utc.with_ymd_and_hms(2026, 11, 22, 22, 59, 0).unwrap());
    assert_eq!(streak_day(&t.streak(1).await), 21);
    t.clock.advance(Duration::minutes(2));
    assert_eq!(streak_day(&t.streak(1).await), 22);
}

#[tokio::test]
async fn daylight_saving_never_adds_or_drops_a_day() {
    // Europe/Berlin springs forward on 29 Mar 2026 and falls back on 25 Oct 2026.
    let t = TestApp::starting_at(Utc.with_ymd_and_hms(2026, 3, 27, 10, 0, 0).unwrap()).await;
    t.onboard(1, "today", "Europe/Berlin").await;
    for day in 1..=220 {
        t.clock.advance(Duration::days(1));
        assert_eq!(streak_day(&t.streak(1).await), day, "day {day}");
    }
}

#[tokio::test]
async fn since_sets_and_corrects_the_start_without_onboarding() {
    let t = TestApp::new().await;
    let before = text_of(&t.say(1, "/streak").await);
    assert!(before.contains("/since"), "{before}");
    let set = text_of(&t.say(1, "/since 5 days ago").await);
    assert!(set.contains("day 5"), "{set}");
    assert_eq!(streak_day(&t.streak(1).await), 5);
    let corrected = text_of(&t.say(1, "/since 2026-11-20").await);
    assert!(corrected.contains("day 2"), "{corrected}");
    let asked = text_of(&t.say(1, "/since").await);
    assert!(asked.contains("When was your last contact"), "{asked}");
    let answered = text_of(&t.say(1, "yesterday").await);
    assert!(answered.contains("day 1"), "{answered}");
    let junk = text_of(&t.say(1, "/since next tuesday maybe").await);
    assert!(!junk.contains("Done"), "{junk}");
    assert_eq!(
        streak_day(&t.streak(1).await),
        1,
        "a bad /since changes nothing"
    );
}

#[tokio::test]
async fn a_slip_starts_a_new_streak_and_keeps_the_longest_and_the_history() {
    let t = TestApp::new().await;
    t.onboard(1, "2026-11-01", "UTC").await;
    let asked = t.say(1, "/slip").await;
    assert!(
        text_of(&asked).contains("When did the contact happen"),
        "{}",
        text_of(&asked)
    );
    let logged = t.press(1, &button(&asked, "Just now")).await;
    let logged_text = text_of(&logged);
    assert!(logged_text.contains("today is day 0"), "{logged_text}");
    assert!(
        logged_text.contains("longest streak stays 21 days"),
        "{logged_text}"
    );
    let noted = text_of(
        &t.say(1, "He texted first and I answered, I was lonely")
            .await,
    );
    assert!(noted.contains("Kept"), "{noted}");
    let s = t.streak(1).await;
    assert_eq!(streak_day(&s), 0);
    assert_eq!(longest_streak(&s), 21);
    t.clock.advance(Duration::days(4));
    let s = t.streak(1).await;
    assert_eq!(streak_day(&s), 4);
    assert_eq!(longest_streak(&s), 21);
    let history = text_of(&t.say(1, "/history").await);
    assert!(
        history.contains("Sun 1 Nov 2026 to Sun 22 Nov 2026: 21 days"),
        "{history}"
    );
    assert!(history.contains("I was lonely"), "{history}");
    // Replaying the "Just now" button after the flow ended does nothing.
    let replay = text_of(&t.press(1, &button(&asked, "Just now")).await);
    assert!(replay.contains("expired"), "{replay}");
}

#[tokio::test]
async fn a_slip_with_a_past_time_counts_from_that_day() {
    let t = TestApp::new().await;
    t.onboard(1, "2026-11-01", "UTC").await;
    let logged = text_of(&t.say(1, "/slip 2 days ago").await);
    assert!(logged.contains("today is day 2"), "{logged}");
    // The 21 days shown before included the slip's day: the longest is now 19.
    assert!(logged.contains("19 days"), "{logged}");
    assert!(!logged.contains("longest streak stays"), "{logged}");
    assert_eq!(longest_streak(&t.streak(1).await), 19);
    t.press(1, "slip:skip").await;
    let before_start = text_of(&t.say(1, "/slip 2026-10-01").await);
    assert!(before_start.contains("can't be earlier"), "{before_start}");
    let future = text_of(&t.say(1, "/slip tomorrow").await);
    assert!(future.contains("hasn't happened yet"), "{future}");
    assert_eq!(streak_day(&t.streak(1).await), 2);
}

#[tokio::test]
async fn since_cannot_move_the_start_before_a_logged_slip() {
    let t = TestApp::new().await;
    t.onboard(1, "2026-11-01", "UTC").await;
    t.say(1, "/slip 2026-11-10").await;
    let reply = text_of(&t.say(1, "/since 2026-11-05").await);
    assert!(reply.contains("logged a slip"), "{reply}");
    assert_eq!(streak_day(&t.streak(1).await), 12);
}

#[tokio::test]
async fn a_slip_before_any_start_date_starts_the_streak() {
    let t = TestApp::new().await;
    let reply = text_of(&t.say(1, "/slip yesterday").await);
    assert!(reply.contains("started your streak"), "{reply}");
    assert_eq!(streak_day(&t.streak(1).await), 1);
}

#[tokio::test]
async fn changing_timezone_moves_the_count_only_as_the_calendar_does() {
    // 11:30 UTC on 22 Nov: 23 Nov 00:30 in Kiritimati (UTC+14), 21 Nov 23:30 in UTC-12.
    let t = TestApp::starting_at(Utc.with_ymd_and_hms(2026, 11, 22, 11, 30, 0).unwrap()).await;
    t.onboard(1, "2026-11-12", "UTC").await;
    assert_eq!(streak_day(&t.streak(1).await), 10);
    let settings = t.say(1, "/settings").await;
    t.press(1, &button(&settings, "Timezone")).await;
    let moved = text_of(&t.say(1, "Pacific/Kiritimati").await);
    assert!(moved.contains("day 11"), "{moved}");
    t.press(1, "set:tz").await;
    let back = text_of(&t.say(1, "UTC-12").await);
    assert!(back.contains("day 9"), "{back}");
}

#[tokio::test]
async fn streak_questions_in_free_text_get_the_streak() {
    let t = TestApp::new().await;
    t.onboard(1, "2026-11-15", "UTC").await;
    let reply = text_of(&t.say(1, "what's my streak?").await);
    assert_eq!(streak_day(&reply), 7, "{reply}");
}

#[tokio::test]
async fn a_date_shaped_slip_is_a_date_and_out_of_range_ones_log_nothing() {
    let t = TestApp::new().await;
    // A start long ago, so that a misreading (a time today or this year) would be a slip
    // inside the running streak and be logged.
    t.onboard(1, "2024-01-01", "UTC").await;
    for (typed, year) in [
        ("/slip 0001-01-01", "0001"),
        ("/slip 1230-05-05", "1230"),
        ("/slip 2359-12-31", "2359"),
        ("/slip 0001-01-01 10:00", "0001"),
    ] {
        let reply = text_of(&t.say(1, typed).await);
        assert!(reply.contains(year), "{typed}: the date is named: {reply}");
        assert_eq!(
            slips_logged(&t, 1).await,
            0,
            "{typed} logged a slip: {reply}"
        );
        assert_eq!(streak_day(&t.streak(1).await), 1056, "{typed}");
    }
    // The same refusal as /since gives for such a date.
    let since = text_of(&t.say(1, "/since 0001-01-01").await);
    assert!(since.contains("0001"), "{since}");
    assert_eq!(streak_day(&t.streak(1).await), 1056);
}

#[tokio::test]
async fn negative_numbers_are_refused_and_change_nothing() {
    let t = TestApp::new().await;
    t.onboard(1, "2026-11-01", "UTC").await;
    let since = text_of(&t.say(1, "/since -5 days ago").await);
    assert!(!since.contains("Done"), "{since}");
    assert!(since.contains("minus"), "the reply says why: {since}");
    assert_eq!(streak_day(&t.streak(1).await), 21);
    let slip = text_of(&t.say(1, "/slip -3 hours ago").await);
    assert!(slip.contains("minus"), "{slip}");
    assert_eq!(slips_logged(&t, 1).await, 0, "{slip}");
    // The question stays open: a proper answer now logs the slip.
    t.say(1, "/slip").await;
    let again = text_of(&t.say(1, "-1").await);
    assert!(again.contains("minus"), "{again}");
    assert_eq!(slips_logged(&t, 1).await, 0, "{again}");
    t.say(1, "3 hours ago").await;
    assert_eq!(slips_logged(&t, 1).await, 1);
}

#[tokio::test]
async fn a_backdated_slip_says_what_happened_to_the_count_and_the_longest_streak() {
    let t = TestApp::new().await;
    // 1 Nov to today (22 Nov): 21 days shown, and the longest streak so far.
    t.onboard(1, "2026-11-01", "UTC").await;
    let logged = text_of(&t.say(1, "/slip 2026-11-10").await);
    let s = t.streak(1).await;
    assert_eq!(streak_day(&s), 12);
    assert_eq!(longest_streak(&s), 12);
    // The reply gives the same numbers /streak gives now.
    assert!(logged.contains("today is day 12"), "{logged}");
    assert!(logged.contains("9 days"), "the streak that ended: {logged}");
    assert!(logged.contains("is now 12 days"), "{logged}");
    assert!(!logged.contains("longest streak stays"), "{logged}");
    assert!(!logged.contains("counts from today"), "{logged}");
    t.press(1, "slip:skip").await;

    // A second backdated slip with an older, longer streak on record: the longest stays.
    let t = TestApp::new().await;
    t.onboard(1, "2026-10-01", "UTC").await;
    t.say(1, "/slip 2026-11-01").await;
    t.press(1, "slip:skip").await;
    let logged = text_of(&t.say(1, "/slip 2026-11-20").await);
    assert!(logged.contains("stays 31 days"), "{logged}");
    assert_eq!(longest_streak(&t.streak(1).await), 31);
}

#[test]
fn no_slip_reply_says_the_new_count_starts_today() {
    // A slip can be dated back, so the content never dates the new count itself.
    let coach = support::test_app::shared_coach();
    for reply in coach.pack().slip_replies() {
        let lower = reply.to_lowercase();
        for claim in [
            "starts today",
            "begins today",
            "starts now",
            "begins now",
            "start today",
        ] {
            assert!(!lower.contains(claim), "{claim:?} in {reply}");
        }
    }
}
