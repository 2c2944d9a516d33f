//! `/start` as a new user meets it: dates, timezones and times in the forms people type.

use crate::support;

use chrono::{Duration, TimeZone, Utc};
use support::test_app::{TestApp, button, streak_day, text_of};

#[tokio::test]
async fn onboarding_sets_date_timezone_and_times() {
    let t = TestApp::new().await;
    let welcome = t.say(1, "/start").await;
    assert!(
        text_of(&welcome).contains("last contact"),
        "{}",
        text_of(&welcome)
    );
    let date = t.say(1, "3 days ago").await;
    assert!(
        text_of(&date).contains("Thu 19 Nov 2026"),
        "{}",
        text_of(&date)
    );
    let tz = t.say(1, "new york").await;
    assert!(
        text_of(&tz).contains("America/New_York"),
        "{}",
        text_of(&tz)
    );
    let morning = t.say(1, "7:30am").await;
    assert!(text_of(&morning).contains("07:30"), "{}", text_of(&morning));
    let done = t.say(1, "9pm").await;
    let done = text_of(&done);
    assert!(done.contains("All set") && done.contains("21:00"), "{done}");
    assert_eq!(streak_day(&done), 3);
    let user = t
        .app
        .store
        .user(nocontact::domain::ChatId(1))
        .await
        .unwrap()
        .unwrap();
    assert!(user.onboarded);
    assert_eq!(user.settings.timezone.to_string(), "America/New_York");
}

#[tokio::test]
async fn default_times_can_be_kept_with_a_button() {
    let t = TestApp::new().await;
    t.say(1, "/start").await;
    t.say(1, "yesterday").await;
    let ask_morning = t.say(1, "UTC+2").await;
    let ask_evening = t.press(1, &button(&ask_morning, "09:00")).await;
    let done = t.press(1, &button(&ask_evening, "21:00")).await;
    assert!(text_of(&done).contains("09:00") && text_of(&done).contains("21:00"));
    assert_eq!(streak_day(&text_of(&done)), 1);
}

#[tokio::test]
async fn every_documented_date_form_is_accepted() {
    // Today is Sunday 22 Nov 2026.
    for (typed, expected) in [
        ("today", "Sun 22 Nov 2026"),
        ("yesterday", "Sat 21 Nov 2026"),
        ("3 days ago", "Thu 19 Nov 2026"),
        ("last friday", "Fri 20 Nov 2026"),
        ("2026-11-01", "Sun 1 Nov 2026"),
        ("1 Nov", "Sun 1 Nov 2026"),
        ("Nov 1", "Sun 1 Nov 2026"),
        ("13/11", "Fri 13 Nov 2026"),
    ] {
        let t = TestApp::new().await;
        t.say(1, "/start").await;
        let reply = text_of(&t.say(1, typed).await);
        assert!(reply.contains(expected), "{typed:?} → {reply}");
    }
}

#[tokio::test]
async fn an_ambiguous_date_is_asked_about_and_the_choice_counts() {
    let t = TestApp::new().await;
    t.say(1, "/start").await;
    let question = t.say(1, "1/11").await;
    assert!(
        text_of(&question).contains("which one"),
        "{}",
        text_of(&question)
    );
    let chosen = t.press(1, &button(&question, "1 Nov 2026")).await;
    assert!(
        text_of(&chosen).contains("Sun 1 Nov 2026"),
        "{}",
        text_of(&chosen)
    );
    // The other reading offered is 11 January; pressing it now is stale.
    let stale = t.press(1, &button(&question, "11 Jan 2026")).await;
    assert!(text_of(&stale).contains("expired"), "{}", text_of(&stale));
}

#[tokio::test]
async fn impossible_dates_get_a_kind_answer_and_the_question_again() {
    let t = TestApp::new().await;
    t.say(1, "/start").await;
    for (typed, hint) in [
        ("tomorrow", "hasn't happened yet"),
        ("2027-01-05", "hasn't happened yet"),
        ("1985-03-01", "before 1990"),
        ("purple monkey dishwasher", "couldn't read that as a date"),
        ("31/02/2026", "calendar"),
    ] {
        let reply = text_of(&t.say(1, typed).await);
        assert!(reply.contains(hint), "{typed:?} → {reply}");
    }
    // Still waiting for the date: a valid answer now works.
    let ok = text_of(&t.say(1, "yesterday").await);
    assert!(ok.contains("Got it"), "{ok}");
}

#[tokio::test]
async fn unknown_timezones_and_times_are_asked_again() {
    let t = TestApp::new().await;
    t.say(1, "/start").await;
    t.say(1, "today").await;
    let bad_tz = text_of(&t.say(1, "Atlantis").await);
    assert!(bad_tz.contains("don't know that timezone"), "{bad_tz}");
    t.say(1, "Europe/Berlin").await;
    let bad_time = text_of(&t.say(1, "25:99").await);
    assert!(
        bad_time.contains("couldn't read that as a time"),
        "{bad_time}"
    );
    let ok = text_of(&t.say(1, "09:30").await);
    assert!(ok.contains("09:30"), "{ok}");
}

#[tokio::test]
async fn a_relative_date_is_counted_in_the_users_own_calendar() {
    // 23:30 UTC on 22 Nov is already 23 Nov in Auckland.
    let t = TestApp::starting_at(Utc.with_ymd_and_hms(2026, 11, 22, 23, 30, 0).unwrap()).await;
    t.say(1, "/start").await;
    t.say(1, "2 days ago").await;
    t.say(1, "Pacific/Auckland").await;
    t.say(1, "9").await;
    let done = text_of(&t.say(1, "21").await);
    assert_eq!(streak_day(&done), 2, "{done}");
    assert!(done.contains("Sat 21 Nov 2026"), "{done}");
}

#[tokio::test]
async fn a_restart_in_the_middle_of_onboarding_continues_where_it_stopped() {
    let t = TestApp::new().await;
    t.say(1, "/start").await;
    t.say(1, "yesterday").await;
    // Another process (or the same one restarted) picks the conversation up.
    let restarted = t.another_instance().await;
    let reply = restarted
        .engine
        .handle(
            nocontact::domain::ChatId(1),
            nocontact::conversation::Incoming::from_text("Berlin"),
        )
        .await
        .unwrap();
    assert!(
        text_of(&reply).contains("Europe/Berlin"),
        "{}",
        text_of(&reply)
    );
    t.clock.advance(Duration::days(1));
}

/// The stored morning time of a chat.
async fn morning_of(t: &TestApp, chat: i64) -> String {
    let user = t.app.store.user(nocontact::domain::ChatId(chat)).await;
    user.unwrap().unwrap().settings.morning.to_string()
}

#[tokio::test]
async fn a_negative_time_is_refused_kindly_and_asked_again() {
    let t = TestApp::new().await;
    t.say(1, "/start").await;
    t.say(1, "today").await;
    t.say(1, "UTC").await;
    let negative = text_of(&t.say(1, "-1").await);
    assert!(negative.contains("negative"), "{negative}");
    assert_eq!(morning_of(&t, 1).await, "09:00:00", "unchanged");
    let ok = text_of(&t.say(1, "7").await);
    assert!(ok.contains("07:00"), "{ok}");
    // In /settings too.
    t.say(1, "21").await;
    let settings = t.say(1, "/settings").await;
    t.press(1, &button(&settings, "Morning")).await;
    let negative = text_of(&t.say(1, "-7").await);
    assert!(negative.contains("negative"), "{negative}");
    assert_eq!(morning_of(&t, 1).await, "07:00:00", "unchanged");
}
