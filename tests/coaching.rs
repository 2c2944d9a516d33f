//! Free text through the engine: guidance with buttons, crisis safety first, variety.

use crate::support;

use chrono::Duration;
use nocontact::conversation::Incoming;
use nocontact::domain::ChatId;
use support::test_app::{RecordingOutbox, TestApp, text_of};

const CRISIS: &str = "I don't want to live anymore, I have pills here";

fn is_crisis_reply(text: &str) -> bool {
    text.contains("findahelpline.com") && text.contains("988") && text.contains("116 123")
}

#[tokio::test]
async fn a_crisis_message_gets_resources_first_never_streak_talk() {
    let t = TestApp::new().await;
    t.onboard(1, "2026-11-01", "UTC").await;
    let replies = t.say(1, CRISIS).await;
    let first = &replies[0].text;
    assert!(is_crisis_reply(first), "{first}");
    assert!(
        !first.contains("Day ") && !first.contains("streak") && !first.contains("21"),
        "{first}"
    );
    // no streak buttons under a crisis reply: only the one that opens /sos
    let buttons: Vec<&str> = replies[0]
        .keyboard
        .iter()
        .flatten()
        .map(|b| b.data.as_str())
        .collect();
    assert_eq!(buttons, ["sos"], "no streak buttons under a crisis reply");
    // A gentle check-in the next day.
    let outbox = RecordingOutbox::default();
    let scheduler = nocontact::scheduler::Scheduler::new(
        t.app.engine.clone(),
        "test",
        t.app.settings.scheduler.clone(),
    );
    // 12:00 + 20 h is 08:00, in the night's quiet hours: the check-in waits for 09:00.
    t.clock.advance(Duration::hours(20));
    scheduler.run_due(&outbox).await.unwrap();
    let checkins = |outbox: &RecordingOutbox| {
        outbox
            .sent()
            .iter()
            .filter(|(_, replies)| replies[0].text.contains("findahelpline.com"))
            .count()
    };
    assert_eq!(checkins(&outbox), 0, "not during quiet hours");
    t.clock.advance(Duration::hours(1));
    scheduler.run_due(&outbox).await.unwrap();
    assert_eq!(checkins(&outbox), 1);
    for (_, replies) in outbox.sent() {
        if replies[0].text.contains("findahelpline.com") {
            assert!(!replies[0].text.contains("streak"), "{}", replies[0].text);
        }
    }
}

#[tokio::test]
async fn crisis_comes_first_in_the_middle_of_any_question() {
    let t = TestApp::new().await;
    t.say(1, "/start").await;
    let during_onboarding = text_of(&t.say(1, CRISIS).await);
    assert!(is_crisis_reply(&during_onboarding), "{during_onboarding}");
    // The question is still open afterwards: nothing was lost.
    let date = text_of(&t.say(1, "yesterday").await);
    assert!(date.contains("Got it"), "{date}");
    t.say(1, "UTC").await;
    t.say(1, "9").await;
    t.say(1, "21").await;
    let coached = t.say(1, "should I text him").await;
    t.press(1, &support::test_app::button(&coached, "Write it here"))
        .await;
    let while_drafting = t.say(1, "i want to kill myself").await;
    assert!(
        is_crisis_reply(&while_drafting[0].text),
        "{}",
        text_of(&while_drafting)
    );
}

#[tokio::test]
async fn idioms_are_not_crises() {
    let t = TestApp::new().await;
    for idiom in ["this waiting is killing me", "I'm dying to text him"] {
        let reply = text_of(&t.say(1, idiom).await);
        assert!(!is_crisis_reply(&reply), "{idiom}: {reply}");
    }
}

#[tokio::test]
async fn guidance_is_personal_varied_and_offers_something_to_do() {
    let t = TestApp::new().await;
    t.onboard(1, "2026-11-10", "UTC").await;
    let mut previous = String::new();
    for _ in 0..6 {
        let replies = t.say(1, "should I reach out to him?").await;
        let reply = &replies[0];
        assert!(
            reply.text.contains("12"),
            "uses the streak day: {}",
            reply.text
        );
        assert!(reply.text.chars().count() <= 4096);
        let labels: Vec<&str> = reply.buttons().map(|b| b.label.as_str()).collect();
        for expected in [
            "Wait with me",
            "Write it here instead",
            "I resisted",
            "I reached out",
        ] {
            assert!(labels.contains(&expected), "{labels:?}");
        }
        assert_ne!(reply.text, previous, "the same text twice in a row");
        previous = reply.text.clone();
    }
}

#[tokio::test]
async fn a_forwarded_message_is_treated_as_the_ex_reaching_out() {
    let t = TestApp::new().await;
    let forwarded = t
        .app
        .engine
        .handle(
            ChatId(1),
            Incoming::Forwarded("hey, how are you? miss u".into()),
        )
        .await
        .unwrap();
    let direct = t
        .app
        .engine
        .handle(
            ChatId(2),
            Incoming::from_text("he texted me out of nowhere, should I reply?"),
        )
        .await
        .unwrap();
    assert!(!forwarded[0].keyboard.is_empty());
    assert_eq!(first_situation(&t, 1).await, "they_reached_out");
    assert_eq!(first_situation(&t, 2).await, "they_reached_out");
    assert!(!direct.is_empty());
}

#[tokio::test]
async fn guidance_works_before_onboarding_without_a_streak() {
    let t = TestApp::new().await;
    let reply = text_of(&t.say(1, "can I like her post on instagram?").await);
    assert!(!reply.contains("{days}"), "{reply}");
    assert!(!reply.is_empty());
}

#[tokio::test]
async fn guidance_opens_with_the_running_streak_and_follows_a_slip() {
    // Today is Sunday 22 Nov 2026.
    let t = TestApp::new().await;
    t.say(1, "/since 2026-11-12").await;
    // Openers vary ("Day 10 …", "… no-contact day 10 …").
    let reply = text_of(&t.say(1, "should I text him?").await).to_lowercase();
    assert!(reply.contains("day 10"), "{reply}");
    t.say(1, "/slip today").await;
    t.say(1, "/cancel").await; // no note
    let reply = text_of(&t.say(1, "should I text him?").await).to_lowercase();
    assert!(reply.contains("day 0"), "{reply}");
}

/// The situation of the user's first coaching event.
async fn first_situation(t: &TestApp, chat: i64) -> String {
    let user = t.app.store.user(ChatId(chat)).await.unwrap().unwrap();
    let export = t.app.store.export_user(user.id).await.unwrap();
    export["events"][0]["situation"]
        .as_str()
        .unwrap_or_default()
        .to_owned()
}

#[tokio::test]
async fn crisis_words_anywhere_get_resources_first() {
    let t = TestApp::new().await;
    t.onboard(1, "2026-11-01", "UTC").await;
    for line in [
        "/slip texted him, now I want to die",
        "/since yesterday and I want to kill myself",
        "/i want to end my life",
        "/why i don't want to live anymore",
    ] {
        let replies = t.say(1, line).await;
        assert!(
            is_crisis_reply(&replies[0].text),
            "{line}: {}",
            text_of(&replies)
        );
    }
    let edited = t
        .app
        .engine
        .handle(
            ChatId(1),
            Incoming::Edited("actually I want to kill myself".into()),
        )
        .await
        .unwrap();
    assert!(is_crisis_reply(&edited[0].text));
    let harmless_edit = t
        .app
        .engine
        .handle(ChatId(1), Incoming::Edited("should I text him".into()))
        .await
        .unwrap();
    assert!(
        harmless_edit.is_empty(),
        "an ordinary edit does not act twice"
    );
    // The streak was not touched by the command arguments.
    assert!(t.streak(1).await.contains("Day 21"));
}

#[tokio::test]
async fn crisis_resources_arrive_even_when_the_database_is_down() {
    let t = TestApp::new().await;
    t.onboard(1, "2026-11-01", "UTC").await;
    t.app.store.close().await;
    let replies = t
        .app
        .engine
        .handle(
            ChatId(1),
            Incoming::from_text("I'm going to kill myself tonight"),
        )
        .await
        .expect("the crisis answer does not depend on the database");
    assert!(is_crisis_reply(&replies[0].text));
}

/// Every button's callback data under the replies.
fn buttons(replies: &[nocontact::conversation::Reply]) -> Vec<String> {
    replies
        .iter()
        .flat_map(|r| r.keyboard.iter().flatten())
        .map(|b| b.data.clone())
        .collect()
}

#[tokio::test]
async fn after_a_crisis_message_replies_are_careful_for_a_day() {
    let t = TestApp::new().await;
    t.onboard(1, "2026-11-01", "Europe/London").await;
    // an opener with the count: "day 21", "Day 22"
    let streak_talk = |text: &str| {
        let lower = text.to_lowercase();
        lower
            .match_indices("day ")
            .any(|(i, _)| lower[i + 4..].starts_with(|c: char| c.is_ascii_digit()))
    };
    let before = t.say(1, "should I text him? I really want to").await;
    assert!(streak_talk(&text_of(&before)), "{}", text_of(&before));

    t.say(1, CRISIS).await;
    t.clock.advance(Duration::hours(3));
    let replies = t.say(1, "should I text him? I really want to").await;
    let text = text_of(&replies);
    assert!(
        !streak_talk(&text),
        "streak talk in the careful time: {text}"
    );
    assert!(!text.contains("instead of going to them"), "{text}");
    assert!(
        buttons(&replies).contains(&"sos".to_owned()),
        "resources one tap away"
    );
    // a farewell, even a slightly ambiguous one, gets the crisis reply in that time
    let farewell = t.say(1, "thank you for everything. goodbye").await;
    assert!(
        farewell[0].text.contains("findahelpline.com") && farewell[0].text.contains("116 123"),
        "{}",
        farewell[0].text
    );

    // a day later, ordinary replies again
    t.clock.advance(Duration::hours(25));
    let after = t.say(1, "should I text him? I really want to").await;
    assert!(streak_talk(&text_of(&after)), "{}", text_of(&after));
}

#[tokio::test]
async fn sos_shows_the_helplines_where_the_user_is() {
    let t = TestApp::new().await;
    // no timezone known: the worldwide directory and the most common lines
    let replies = t.say(7, "/sos").await;
    let text = text_of(&replies);
    assert!(text.contains("findahelpline.com"), "{text}");
    assert!(text.contains("988") && text.contains("116 123"), "{text}");
    assert!(buttons(&replies).contains(&"sos:later".to_owned()));
    let later = t.press(7, "sos:later").await;
    assert!(!text_of(&later).is_empty());

    // Australia: its own lines and emergency number, nobody else's
    t.onboard(8, "2026-11-01", "Australia/Sydney").await;
    let text = text_of(&t.say(8, "/sos").await);
    assert!(text.contains("13 11 14") && text.contains("000"), "{text}");
    assert!(!text.contains("988"), "{text}");
    // a crisis message there too
    let text = text_of(&t.say(8, CRISIS).await);
    assert!(text.contains("13 11 14"), "{text}");
}

#[tokio::test]
async fn crisis_replies_in_india_and_germany_use_their_numbers() {
    let t = TestApp::new().await;
    for (chat, zone) in [(21, "Asia/Kolkata"), (22, "Europe/Berlin")] {
        t.onboard(chat, "2026-11-01", zone).await;
        let text = text_of(&t.say(chat, CRISIS).await);
        // emergency number of the country and the directory; no other country's lines
        assert!(text.contains("112"), "{zone}: {text}");
        assert!(text.contains("findahelpline.com"), "{zone}: {text}");
        assert!(
            !text.contains("988") && !text.contains("13 11 14"),
            "{zone}: {text}"
        );
    }
    // Germany's own crisis line (TelefonSeelsorge) is in the pack
    let text = text_of(&t.say(22, "/sos").await);
    assert!(text.contains("0800 111 0 111"), "{text}");
    // the country can also be chosen in /settings
    t.press(21, "set:cc").await;
    let set = t.say(21, "Australia").await;
    assert!(text_of(&set).contains("Australia"), "{}", text_of(&set));
    let text = text_of(&t.say(21, "/sos").await);
    assert!(text.contains("13 11 14"), "{text}");
}

#[tokio::test]
async fn an_ex_who_was_violent_is_never_met_again() {
    let t = TestApp::new().await;
    t.onboard(3, "2026-11-01", "Europe/London").await;
    let replies = t.say(3, "he used to hit me when he was drunk").await;
    let text = text_of(&replies);
    assert!(text.contains("emergency number"), "{text}");
    assert!(
        !buttons(&replies).iter().any(|b| b.starts_with("w:")),
        "no wait-with-me"
    );
    for later in [
        "he wants to meet for coffee",
        "he texted me saying he misses me, should I reply?",
        "it's his birthday tomorrow, can I text him?",
    ] {
        let replies = t.say(3, later).await;
        let text = text_of(&replies).to_lowercase();
        assert!(!text.contains("keep it short and easy"), "{later}: {text}");
        assert!(
            !text.contains("a coffee, not a long evening"),
            "{later}: {text}"
        );
        assert!(!text.contains("friendly and light"), "{later}: {text}");
        assert!(text.contains("safe"), "{later}: {text}");
        assert!(
            !buttons(&replies).iter().any(|b| b.starts_with("w:")),
            "{later}"
        );
    }
    // the user can clear the note in /settings
    let settings = text_of(&t.say(3, "/settings").await);
    assert!(settings.contains("unsafe"), "{settings}");
    t.press(3, "set:safe").await;
    let replies = t
        .say(3, "he texted me saying he misses me, should I reply?")
        .await;
    assert!(buttons(&replies).iter().any(|b| b.starts_with("w:")));
}

#[tokio::test]
async fn an_open_question_never_swallows_a_message() {
    let t = TestApp::new().await;
    t.onboard(4, "2026-11-01", "Europe/London").await;
    // a reason is being asked for: an urge is answered, not stored as the reason
    t.say(4, "/why").await;
    let replies = t.say(4, "he's calling me right now, what do I do?").await;
    assert!(
        buttons(&replies).iter().any(|b| b.starts_with("w:")),
        "guidance"
    );
    assert!(
        text_of(&replies).contains("still open"),
        "{}",
        text_of(&replies)
    );
    let thanks = t.say(4, "thank you").await;
    assert!(
        text_of(&thanks).contains("still open"),
        "{}",
        text_of(&thanks)
    );
    let kept = t.say(4, "he made me feel small").await;
    let reasons = text_of(&t.say(4, "/why").await);
    assert!(
        reasons.contains("he made me feel small"),
        "{}\n{reasons}",
        text_of(&kept)
    );
    assert!(!reasons.contains("calling me"), "{reasons}");
    t.say(4, "/cancel").await;

    // a date is being asked for: a streak question gets the streak, the question stays
    t.say(4, "/slip").await;
    let replies = t.say(4, "what's my streak?").await;
    assert!(
        text_of(&replies).contains("still open"),
        "{}",
        text_of(&replies)
    );
    assert!(
        !text_of(&replies).contains("couldn't read"),
        "{}",
        text_of(&replies)
    );
    let logged = t.say(4, "2 hours ago").await;
    assert!(
        !text_of(&logged).contains("still open"),
        "{}",
        text_of(&logged)
    );
}

#[tokio::test]
async fn messages_about_the_bot_get_answers_about_the_bot() {
    let t = TestApp::new().await;
    t.onboard(5, "2026-11-01", "Europe/London").await;
    for (message, expected) in [
        ("thank you", ""),
        ("is this private?", "/delete"),
        ("how do I change my timezone", "/settings"),
        ("can you stop the morning messages", "/settings"),
        ("are you a real person?", "bot"),
    ] {
        let replies = t.say(5, message).await;
        let text = text_of(&replies);
        assert!(text.contains(expected), "{message}: {text}");
        assert!(
            replies.iter().all(|r| r.keyboard.is_empty()),
            "{message}: no coaching buttons"
        );
    }
}

#[tokio::test]
async fn a_message_that_may_be_a_crisis_gets_a_gentle_are_you_safe() {
    let t = TestApp::new().await;
    t.onboard(9, "2026-11-01", "Europe/London").await;
    // no crisis phrase, but the classifier leans strongly toward one
    let text = "i feel like a ghost drifting through the days, it would be easier to just stop";
    let verdict = t.app.engine.coach().classify(text);
    assert_eq!(verdict.situation, nocontact::coach::Situation::Crisis);
    assert!(!verdict.is_certain_crisis(), "{}", verdict.explanation);
    let replies = t.say(9, text).await;
    let pack = t.app.engine.coach().pack();
    assert!(
        pack.crisis_check()
            .iter()
            .any(|check| replies[0].text.starts_with(check.as_str())),
        "{}",
        replies[0].text
    );
    assert!(replies[0].text.contains("116 123"), "{}", replies[0].text);
    assert_eq!(buttons(&replies), ["sos"]);
    // and the careful time follows, as after any crisis message
    let next = text_of(&t.say(9, "should I text him?").await);
    assert!(!next.to_lowercase().contains("no-contact day"), "{next}");
    // a crisis a rule recognises is certain
    assert!(
        t.app
            .engine
            .coach()
            .classify("I want to kill myself")
            .is_certain_crisis()
    );
}
