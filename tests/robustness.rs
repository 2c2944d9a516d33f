//! Any input gets a clear reply and loses nothing.

use crate::support;

use nocontact::conversation::Incoming;
use nocontact::domain::ChatId;
use support::test_app::{TestApp, streak_day, text_of};

fn nasty_inputs() -> Vec<String> {
    vec![
        String::new(),
        "   ".into(),
        "\n\n\t".into(),
        "x".repeat(10_000),
        "💔😭🙏".into(),
        "אני מתגעגע אליו כל כך".into(),
        "أريد أن أرسل له رسالة".into(),
        "\u{0}\u{1}\u{7}\u{1b}[2J\u{202e}reversed".into(),
        "'; DROP TABLE users; --".into(),
        "Robert'); DELETE FROM streaks WHERE ('1'='1".into(),
        "/unknowncommand with args".into(),
        "/".into(),
        "//".into(),
        "/streak extra junk 123".into(),
        "/help me please".into(),
        "/settings ???".into(),
        "/since 💔".into(),
        "/slip 99999999999 days ago".into(),
        "/cancel".into(),
        "%s%n%x{}{{}}".into(),
        "null".into(),
        "1".into(),
        "ok".into(),
    ]
}

#[tokio::test]
async fn every_kind_of_input_gets_a_reply_and_keeps_the_streak() {
    let t = TestApp::new().await;
    t.onboard(1, "2026-11-12", "UTC").await;
    for input in nasty_inputs() {
        let replies = t.say(1, &input).await;
        assert!(!replies.is_empty(), "no reply to {input:?}");
        for reply in &replies {
            assert!(!reply.text.trim().is_empty(), "empty reply to {input:?}");
            assert!(
                reply.text.chars().count() <= 4096,
                "reply too long for {input:?}"
            );
        }
        // Leave any question the input opened, then check nothing was lost.
        t.say(1, "/cancel").await;
        assert_eq!(streak_day(&t.streak(1).await), 10, "after {input:?}");
    }
    let tables = t.app.store.table_names().await.unwrap();
    assert!(tables.contains(&"users".to_owned()), "{tables:?}");
}

#[tokio::test]
async fn unknown_commands_are_named_and_help_is_offered() {
    let t = TestApp::new().await;
    let reply = text_of(&t.say(1, "/frobnicate now").await);
    assert!(
        reply.contains("/frobnicate") && reply.contains("/help"),
        "{reply}"
    );
}

#[tokio::test]
async fn non_text_messages_get_a_kind_reply() {
    let t = TestApp::new().await;
    let voice = t
        .app
        .engine
        .handle(
            ChatId(1),
            Incoming::Unsupported(nocontact::conversation::Media::Voice),
        )
        .await
        .unwrap();
    assert!(
        text_of(&voice).contains("only read text"),
        "{}",
        text_of(&voice)
    );
    let location = t
        .app
        .engine
        .handle(
            ChatId(1),
            Incoming::Location {
                latitude: 52.5,
                longitude: 13.4,
            },
        )
        .await
        .unwrap();
    assert!(!text_of(&location).is_empty());
}

#[tokio::test]
async fn a_draft_of_any_length_is_kept_whole_up_to_the_cap() {
    let t = TestApp::new().await;
    t.onboard(1, "yesterday", "UTC").await;
    let coached = t.say(1, "can I text him just to say hi").await;
    let write = support::test_app::button(&coached, "Write it here");
    t.press(1, &write).await;
    let long = "I miss you. ".repeat(700);
    let saved = t.say(1, &long).await;
    assert!(!text_of(&saved).is_empty());
    let drafts = t.journal(1, nocontact::store::JournalKind::Draft).await;
    assert_eq!(drafts.len(), 1);
    assert_eq!(drafts[0].body, long.trim_end());
}

#[tokio::test]
async fn an_urgent_message_during_a_question_gets_guidance_and_the_question_waits() {
    let t = TestApp::new().await;
    t.say(1, "/start").await;
    let replies = t.say(1, "he's calling me right now, what do I do??").await;
    let text = support::test_app::text_of(&replies);
    assert!(!text.contains("couldn't read that as a date"), "{text}");
    assert!(
        replies[0].buttons().count() == 4,
        "guidance with its buttons: {text}"
    );
    // The question is still open: a date now continues the onboarding.
    let date = support::test_app::text_of(&t.say(1, "yesterday").await);
    assert!(date.contains("Got it"), "{date}");
}

#[tokio::test]
async fn a_question_left_open_overnight_no_longer_captures_messages() {
    let t = TestApp::new().await;
    t.onboard(1, "2026-11-01", "UTC").await;
    let coached = t.say(1, "should I text him").await;
    t.press(1, &support::test_app::button(&coached, "Write it here"))
        .await;
    t.clock.advance(chrono::Duration::hours(13));
    let replies = t.say(1, "can I like her post?").await;
    let text = support::test_app::text_of(&replies);
    assert_eq!(replies[0].buttons().count(), 4, "coached: {text}");
    let drafts = t.journal(1, nocontact::store::JournalKind::Draft).await;
    assert!(drafts.is_empty(), "not kept as a draft");
}

/// A full disk (SQLite refusing new pages): every failed write is told, never "Kept". An
/// `INSERT … RETURNING` read with `fetch_one` used to stop before the statement finished,
/// so its commit failed unseen and the reasons were answered "Kept" without being stored.
#[tokio::test]
async fn a_full_disk_is_told_and_nothing_unsaved_is_called_kept() {
    let t = TestApp::new().await;
    if t.app.store.backend() != nocontact::store::Backend::Sqlite {
        return; // a page limit is SQLite's; PostgreSQL reports a full disk on the statement
    }
    // One connection in the pool and the writer connection of turns, so the page limit
    // below (a setting of each connection) applies to every statement.
    let app = t
        .instance_with(&[("NOCONTACT__DATABASE__MAX_CONNECTIONS", "1")])
        .await;
    let chat = ChatId(5);
    app.engine
        .handle(chat, Incoming::from_text("/since 2026-11-01"))
        .await
        .unwrap();
    let user = app.store.user(chat).await.unwrap().unwrap();
    let pools = [app.store.pool(), app.store.write_pool()];
    let pages: i64 = sqlx::query_scalar("PRAGMA page_count")
        .fetch_one(pools[0])
        .await
        .unwrap();
    for pool in pools {
        sqlx::query(sqlx::AssertSqlSafe(format!(
            "PRAGMA max_page_count = {pages}"
        )))
        .execute(pool)
        .await
        .unwrap();
    }
    let (mut kept, mut told) = (0, 0);
    for i in 0..120 {
        let line = format!(
            "/why reason {i}: {}",
            "I deserve someone who chooses me. ".repeat(8)
        );
        match app.engine.handle(chat, Incoming::from_text(&line)).await {
            Ok(replies) if text_of(&replies).contains("Kept") => kept += 1,
            // The Telegram and console adapters answer an engine error with an apology.
            Ok(_) | Err(_) => told += 1,
        }
    }
    for pool in pools {
        sqlx::query("PRAGMA max_page_count = 1073741823")
            .execute(pool)
            .await
            .unwrap();
    }
    let stored = app.store.reasons(user.id).await.unwrap().len();
    assert!(told > 0, "the full disk was noticed ({kept} kept)");
    assert_eq!(stored, kept, "every reason called kept was stored");
}

/// A write that fails when it commits (here a deferred constraint, as a full disk fails
/// writing the WAL at commit): the reason is not called kept.
#[tokio::test]
async fn a_failed_commit_is_told_and_not_called_kept() {
    let t = TestApp::new().await;
    if t.app.store.backend() != nocontact::store::Backend::Sqlite {
        return;
    }
    let chat = ChatId(6);
    t.say(6, "/since 2026-11-01").await;
    let user = t.app.store.user(chat).await.unwrap().unwrap();
    let pool = t.app.store.pool();
    sqlx::query(
        "CREATE TABLE commit_blocker (id INTEGER REFERENCES users(id) DEFERRABLE INITIALLY DEFERRED)",
    )
    .execute(pool)
    .await
    .unwrap();
    sqlx::query(
        "CREATE TRIGGER block_reasons AFTER INSERT ON reasons \
         BEGIN INSERT INTO commit_blocker VALUES (-1); END",
    )
    .execute(pool)
    .await
    .unwrap();
    let result = t
        .app
        .engine
        .handle(chat, Incoming::from_text("/why I deserve better"))
        .await;
    let said = match &result {
        Ok(replies) => text_of(replies),
        Err(_) => String::new(),
    };
    let stored = t.app.store.reasons(user.id).await.unwrap().len();
    assert!(!said.contains("Kept"), "{said}");
    assert_eq!(stored, 0);
}
