//! Button presses: actions happen once; stale, replayed, foreign and forged presses are
//! answered kindly and change nothing.

use crate::support;

use chrono::Duration;
use nocontact::domain::ChatId;
use nocontact::store::EventKind;
use support::test_app::{TestApp, button, text_of};

#[tokio::test]
async fn i_resisted_counts_once_however_often_it_is_pressed() {
    let t = TestApp::new().await;
    t.onboard(1, "2026-11-20", "UTC").await;
    let coached = t.say(1, "I really want to text her right now").await;
    let resisted = button(&coached, "I resisted");
    let first = text_of(&t.press(1, &resisted).await);
    assert!(!first.contains("expired"), "{first}");
    let again = text_of(&t.press(1, &resisted).await);
    assert!(again.contains("already logged"), "{again}");
    let user = t.app.store.user(ChatId(1)).await.unwrap().unwrap();
    assert_eq!(
        t.app
            .store
            .count_events(user.id, EventKind::UrgeResisted)
            .await
            .unwrap(),
        1
    );
    assert!(t.streak(1).await.contains("Urges resisted: 1"));
}

#[tokio::test]
async fn forged_and_foreign_presses_do_nothing() {
    let t = TestApp::new().await;
    t.onboard(1, "2026-11-20", "UTC").await;
    t.onboard(2, "2026-11-20", "UTC").await;
    let coached = t.say(1, "should I call him").await;
    let resisted = button(&coached, "I resisted");
    // User 2 presses user 1's button data (forged, or from a forwarded keyboard).
    let foreign = text_of(&t.press(2, &resisted).await);
    assert!(foreign.contains("expired"), "{foreign}");
    for forged in [
        "r:999999",
        "w:-1",
        "d:abc",
        "del:yes",
        "slip:now",
        "time:keep",
        "dt:2026-11-01",
        "zzz",
        "",
        "set:unknown",
        &"r:1".repeat(40),
    ] {
        let reply = text_of(&t.press(1, forged).await);
        assert!(!reply.is_empty(), "{forged:?}");
        assert!(
            t.app.store.user(ChatId(1)).await.unwrap().is_some(),
            "{forged:?} must not delete anything"
        );
    }
    let user = t.app.store.user(ChatId(1)).await.unwrap().unwrap();
    assert_eq!(
        t.app
            .store
            .count_events(user.id, EventKind::UrgeResisted)
            .await
            .unwrap(),
        0
    );
    assert!(t.streak(1).await.contains("Day 2"));
}

#[tokio::test]
async fn wait_with_me_comes_back_once_after_the_wait_even_after_a_restart() {
    let t = TestApp::new().await;
    t.onboard(1, "2026-11-20", "UTC").await;
    let coached = t.say(1, "I'm drunk and I want to call him").await;
    let wait = button(&coached, "Wait with me");
    let started = text_of(&t.press(1, &wait).await);
    assert!(started.contains("15"), "{started}");
    let again = text_of(&t.press(1, &wait).await);
    assert!(again.contains("already waiting"), "{again}");

    // A restart: a new instance on the same database runs the scheduler.
    let restarted = t.another_instance().await;
    let outbox = support::test_app::RecordingOutbox::default();
    let scheduler = nocontact::scheduler::Scheduler::new(
        restarted.engine.clone(),
        "test",
        restarted.settings.scheduler.clone(),
    );
    t.clock.advance(Duration::minutes(14));
    assert_eq!(
        scheduler.run_due(&outbox).await.unwrap().sent,
        0,
        "not due yet"
    );
    t.clock.advance(Duration::minutes(2));
    assert_eq!(scheduler.run_due(&outbox).await.unwrap().sent, 1);
    assert_eq!(
        scheduler.run_due(&outbox).await.unwrap().sent,
        0,
        "sent once"
    );
    let sent = outbox.sent();
    assert_eq!(sent.len(), 1);
    assert_eq!(sent[0].0, ChatId(1));
    assert!(
        sent[0].1[0]
            .buttons()
            .any(|b| b.label.contains("I resisted"))
    );
}

#[tokio::test]
async fn write_it_here_instead_keeps_a_draft_that_is_never_sent() {
    let t = TestApp::new().await;
    t.onboard(1, "2026-11-20", "UTC").await;
    let coached = t
        .say(1, "I want to write him a long letter about everything")
        .await;
    t.press(1, &button(&coached, "Write it here instead")).await;
    let saved = t
        .say(1, "Dear you, I still think about us every day.")
        .await;
    assert!(saved[0].buttons().any(|b| b.label.contains("I resisted")));
    let drafts = t.journal(1, nocontact::store::JournalKind::Draft).await;
    assert_eq!(drafts.len(), 1);
    assert!(drafts[0].body.contains("every day"));
    // The next message is coaching again, not another draft.
    let next = t.say(1, "thanks").await;
    assert!(!text_of(&next).is_empty());
    let drafts = t.journal(1, nocontact::store::JournalKind::Draft).await;
    assert_eq!(drafts.len(), 1);
}

#[tokio::test]
async fn i_reached_out_leads_into_the_slip_flow() {
    let t = TestApp::new().await;
    t.onboard(1, "2026-11-10", "UTC").await;
    let coached = t.say(1, "can I text her happy birthday").await;
    let asked = t.press(1, &button(&coached, "I reached out")).await;
    let logged = text_of(&t.press(1, &button(&asked, "Just now")).await);
    assert!(logged.contains("today is day 0"), "{logged}");
    let replay = text_of(&t.press(1, &button(&coached, "I reached out")).await);
    assert!(replay.contains("expired"), "{replay}");
}

#[tokio::test]
async fn drafts_stay_sealed_for_a_day_then_can_be_read_and_deleted() {
    let t = TestApp::new().await;
    t.onboard(1, "2026-11-20", "UTC").await;
    let coached = t.say(1, "I need to tell him how much I love him").await;
    t.press(1, &button(&coached, "Write it here instead")).await;
    t.say(1, "You were my whole world and I still wait for you.")
        .await;
    let listed = t.say(1, "/drafts").await;
    let listed_text = text_of(&listed);
    assert!(listed_text.contains("sealed until"), "{listed_text}");
    assert!(
        !listed_text.contains("whole world"),
        "sealed drafts hide their words"
    );
    assert!(
        listed
            .iter()
            .all(|r| r.buttons().all(|b| !b.label.contains("Read")))
    );
    t.clock.advance(Duration::hours(25));
    let listed = t.say(1, "/drafts").await;
    let read = text_of(&t.press(1, &button(&listed, "Read it all")).await);
    assert!(read.contains("You were my whole world"), "{read}");
    // Another user cannot read or delete it, whatever data they send.
    let data = button(&listed, "Delete");
    assert!(text_of(&t.press(2, &data).await).contains("expired"));
    let deleted = text_of(&t.press(1, &data).await);
    assert!(deleted.contains("Deleted"), "{deleted}");
    assert!(
        text_of(&t.press(1, &data).await).contains("expired"),
        "deleted once"
    );
    assert!(text_of(&t.say(1, "/drafts").await).contains("No drafts"));
}

#[tokio::test]
async fn wait_with_me_counts_its_minutes_in_words_that_read_right() {
    let t = TestApp::new().await;
    t.onboard(1, "2026-11-20", "UTC").await;
    let one_minute = t
        .instance_with(&[("NOCONTACT__COACHING__WAIT_MINUTES", "1")])
        .await;
    let coached = t.say(1, "I'm drunk and I want to call him").await;
    let started = one_minute
        .engine
        .handle(
            ChatId(1),
            nocontact::conversation::Incoming::Button(button(&coached, "Wait with me")),
        )
        .await
        .unwrap();
    let started = text_of(&started);
    assert!(started.contains("1 minute"), "{started}");
    assert!(!started.contains("1 minutes"), "{started}");
    let coached = t.say(1, "I really want to text her right now").await;
    let started = text_of(&t.press(1, &button(&coached, "Wait with me")).await);
    assert!(started.contains("15 minutes"), "{started}");
    assert!(!started.contains("minutes minutes"), "{started}");
}

#[test]
fn every_wait_text_reads_right_for_one_minute_and_for_many() {
    use nocontact::domain::plural::plural;
    let coach = support::test_app::shared_coach();
    for text in coach.pack().wait_start() {
        for n in [1, 15] {
            let shown = nocontact::coach::render(text, &[("minutes", plural(n, "minute"))]);
            assert!(shown.contains(&plural(n, "minute")), "{shown}");
            assert!(!shown.contains("1 minutes"), "{shown}");
            assert!(!shown.contains("minute minute"), "{shown}");
            assert!(!shown.contains("minutes minutes"), "{shown}");
        }
    }
}
