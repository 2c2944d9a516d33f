//! A turn is one unit of work: it commits whole or not at all, an update is acted on once,
//! its replies wait in the outbox until delivered, and a nudge never takes over a question
//! in progress.

use crate::support;

use std::sync::Arc;

use chrono::{Duration, TimeZone, Utc};
use nocontact::conversation::{Incoming, Settled};
use nocontact::domain::ChatId;
use nocontact::store::{Backend, JournalKind};
use support::test_app::{RecordingOutbox, TestApp, button, scheduler, text_of};

const LEASE: Duration = Duration::seconds(60);

async fn slips(t: &TestApp, chat: i64) -> usize {
    let user = t.app.store.user(ChatId(chat)).await.unwrap().unwrap();
    t.app.store.slips(user.id).await.unwrap().len()
}

async fn outbox_rows(t: &TestApp) -> i64 {
    sqlx::query_scalar("SELECT CAST(COUNT(*) AS BIGINT) FROM outbox")
        .fetch_one(t.app.store.pool())
        .await
        .unwrap()
}

async fn update(t: &TestApp, id: i64, chat: i64, line: &str) -> Settled {
    t.app
        .engine
        .handle_update(id, ChatId(chat), Incoming::from_text(line), LEASE)
        .await
        .unwrap()
}

#[tokio::test]
async fn an_update_delivered_twice_is_acted_on_once_and_its_replies_wait_in_the_outbox() {
    let t = TestApp::new().await;
    t.onboard(1, "2026-11-01", "UTC").await;
    let first = update(&t, 500, 1, "/slip 2 hours ago").await;
    let Settled::Committed { replies, parcels } = first else {
        panic!("the first delivery is handled: {first:?}");
    };
    assert!(!replies.is_empty());
    assert_eq!(parcels.len(), replies.len(), "every reply is staged");
    assert_eq!(outbox_rows(&t).await, replies.len() as i64);
    assert_eq!(slips(&t, 1).await, 1);

    let again = update(&t, 500, 1, "/slip 2 hours ago").await;
    assert!(matches!(again, Settled::Replayed), "{again:?}");
    assert_eq!(slips(&t, 1).await, 1, "not logged twice");
    assert_eq!(
        outbox_rows(&t).await,
        replies.len() as i64,
        "nothing staged twice"
    );

    // Nobody sent them (the process died, say): after the lease any drain delivers them,
    // in order, and the outbox is empty.
    let outbox = RecordingOutbox::default();
    let s = scheduler(&t.app, "drain");
    s.run_due(&outbox).await.unwrap();
    assert!(outbox.sent().is_empty(), "still leased to the committer");
    t.clock.advance(LEASE + Duration::seconds(1));
    s.run_due(&outbox).await.unwrap();
    let sent: Vec<String> = outbox
        .sent()
        .into_iter()
        .flat_map(|(_, r)| r.into_iter().map(|r| r.text))
        .collect();
    let expected: Vec<String> = replies.iter().map(|r| r.text.clone()).collect();
    assert_eq!(sent, expected);
    assert_eq!(outbox_rows(&t).await, 0);
}

#[tokio::test]
async fn a_failed_delivery_is_sent_again_later_and_a_late_nudge_is_dropped() {
    let t = TestApp::new().await;
    t.onboard(2, "2026-11-01", "UTC").await;
    let Settled::Committed { parcels, .. } = update(&t, 600, 2, "/streak").await else {
        panic!("handled");
    };
    let outbox = RecordingOutbox::default();
    outbox.set_failing(true);
    let store = &t.app.store;
    let now = || t.clock_now();
    let done = nocontact::scheduler::delivery::deliver(store, &outbox, parcels, now)
        .await
        .unwrap();
    assert_eq!((done.sent, done.later), (0, 1), "{done:?}");
    assert_eq!(outbox_rows(&t).await, 1, "kept for another try");
    outbox.set_failing(false);
    t.clock.advance(Duration::minutes(1));
    nocontact::scheduler::delivery::drain(store, &outbox, LEASE, now)
        .await
        .unwrap();
    assert_eq!(outbox.sent().len(), 1);
    assert_eq!(outbox_rows(&t).await, 0);
}

/// The whole turn commits or nothing does: here the dialogue write at the end of a
/// `/slip` turn fails, after the slip itself was written.
#[tokio::test]
async fn a_turn_that_fails_halfway_leaves_nothing_behind() {
    let t = TestApp::new().await;
    if t.app.store.backend() != Backend::Sqlite {
        return; // the failing trigger is written in SQLite's dialect
    }
    t.onboard(3, "2026-11-01", "UTC").await;
    sqlx::query(
        "CREATE TRIGGER fail_dialogue BEFORE UPDATE OF dialogue ON users \
         BEGIN SELECT RAISE(ABORT, 'injected failure'); END",
    )
    .execute(t.app.store.pool())
    .await
    .unwrap();
    let result = t
        .app
        .engine
        .handle_update(
            700,
            ChatId(3),
            Incoming::from_text("/slip 2 hours ago"),
            LEASE,
        )
        .await;
    assert!(result.is_err(), "the turn failed: {result:?}");
    assert_eq!(slips(&t, 3).await, 0, "the slip went with the turn");
    assert_eq!(outbox_rows(&t).await, 0, "no reply was staged");
    let done: Option<i64> = sqlx::query_scalar("SELECT done_at FROM inbox WHERE update_id = 700")
        .fetch_optional(t.app.store.pool())
        .await
        .unwrap()
        .flatten();
    assert_eq!(
        done, None,
        "the update is not marked handled: it can come again"
    );
    sqlx::query("DROP TRIGGER fail_dialogue")
        .execute(t.app.store.pool())
        .await
        .unwrap();
    // When it comes again, it is handled.
    assert!(matches!(
        update(&t, 700, 3, "/slip 2 hours ago").await,
        Settled::Committed { .. }
    ));
    assert_eq!(slips(&t, 3).await, 1);
}

/// An evening prompt falls due while a delete confirmation is open: the prompt is sent,
/// and the user's tap still answers their question.
#[tokio::test]
async fn an_evening_prompt_never_takes_over_an_open_question() {
    let t = TestApp::new().await;
    t.onboard(4, "2026-11-01", "UTC").await;
    let confirm = t.say(4, "/delete").await;
    let yes = button(&confirm, "Yes");
    let outbox = RecordingOutbox::default();
    let s = scheduler(&t.app, "evening");
    t.clock
        .set(Utc.with_ymd_and_hms(2026, 11, 22, 21, 0, 30).unwrap());
    s.run_due(&outbox).await.unwrap();
    assert_eq!(outbox.sent().len(), 1, "the evening prompt went out");
    let gone = t.press(4, &yes).await;
    assert!(
        t.app.store.user(ChatId(4)).await.unwrap().is_none(),
        "the confirmation still deleted: {}",
        text_of(&gone)
    );

    // A draft being written: the prompt does not turn it into a reflection.
    t.onboard(5, "2026-11-01", "UTC").await;
    t.clock
        .set(Utc.with_ymd_and_hms(2026, 11, 23, 20, 58, 0).unwrap());
    let urge = t.say(5, "I really want to text him right now").await;
    t.press(5, &button(&urge, "Write it here")).await;
    t.clock
        .set(Utc.with_ymd_and_hms(2026, 11, 23, 21, 0, 30).unwrap());
    let before = outbox.sent().len();
    s.run_due(&outbox).await.unwrap();
    assert!(outbox.sent().len() > before, "the evening prompt went out");
    t.say(5, "I miss you and I hate that I do").await;
    let user = t.app.store.user(ChatId(5)).await.unwrap().unwrap();
    let entries = |kind| t.app.store.journal_entries(user.id, kind, 10);
    let drafts = entries(JournalKind::Draft).await.unwrap();
    let reflections = entries(JournalKind::Reflection).await.unwrap();
    assert_eq!(
        (drafts.len(), reflections.len()),
        (1, 0),
        "kept as a draft, not as a reflection"
    );
}

/// PostgreSQL connections terminated in the middle of a load: every turn is retried on a
/// fresh connection, nothing is lost and nothing is done twice.
#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn terminated_postgres_connections_lose_nothing_and_do_nothing_twice() {
    let t = TestApp::new().await;
    if t.app.store.backend() != Backend::Postgres {
        return;
    }
    let name = format!("victim_{}", std::process::id());
    let url = format!("{}&application_name={name}", t.database_url);
    let settings = support::test_app::settings_with_database(&url, t.dir.path());
    let app = nocontact::app::Application::build_with(
        settings,
        Arc::new(t.clock.clone()),
        support::test_app::shared_coach(),
    )
    .await
    .unwrap();
    let killer_pool = t.app.store.pool().clone();
    let stop = Arc::new(std::sync::atomic::AtomicBool::new(false));
    let killer = {
        let stop = stop.clone();
        let name = name.clone();
        tokio::spawn(async move {
            let mut killed = 0u64;
            while !stop.load(std::sync::atomic::Ordering::Relaxed) {
                let n: Vec<bool> = sqlx::query_scalar(
                    "SELECT pg_terminate_backend(pid) FROM pg_stat_activity \
                     WHERE application_name = $1",
                )
                .bind(&name)
                .fetch_all(&killer_pool)
                .await
                .unwrap_or_default();
                killed += n.len() as u64;
                tokio::time::sleep(std::time::Duration::from_millis(30)).await;
            }
            killed
        })
    };
    let mut tasks = Vec::new();
    for chat in 1..=8i64 {
        let engine = app.engine.clone();
        tasks.push(tokio::spawn(async move {
            let mut failed = 0;
            for n in 0..15i64 {
                let id = chat * 1000 + n;
                let line = format!("/why reason {chat}-{n}");
                // The adapter's part: an update that failed is posted again by Telegram.
                loop {
                    let incoming = Incoming::from_text(&line);
                    match engine
                        .handle_update(id, ChatId(chat), incoming, LEASE)
                        .await
                    {
                        Ok(_) => break,
                        Err(_) => failed += 1,
                    }
                }
            }
            failed
        }));
    }
    let mut failed = 0;
    for task in tasks {
        failed += task.await.unwrap();
    }
    stop.store(true, std::sync::atomic::Ordering::Relaxed);
    let killed = killer.await.unwrap();
    assert!(killed > 0, "connections were terminated");
    let rows: Vec<(String, i64)> =
        sqlx::query_as("SELECT body, CAST(COUNT(*) AS BIGINT) FROM reasons GROUP BY body")
            .fetch_all(t.app.store.pool())
            .await
            .unwrap();
    assert_eq!(
        rows.len(),
        8 * 15,
        "none lost ({killed} killed, {failed} failed)"
    );
    assert!(rows.iter().all(|(_, n)| *n == 1), "none twice: {rows:?}");
    let staged: i64 = sqlx::query_scalar("SELECT CAST(COUNT(*) AS BIGINT) FROM outbox")
        .fetch_one(t.app.store.pool())
        .await
        .unwrap();
    assert_eq!(staged, 8 * 15, "one reply staged per update");
}

/// A console turn has no Telegram update, so it gets an inbox id of its own (negative):
/// a COMMIT that succeeded but whose answer was lost is then not run again by the retry.
#[tokio::test]
async fn a_console_turn_commits_with_an_inbox_id_of_its_own_and_stages_nothing() {
    let t = TestApp::new().await;
    t.onboard(4, "2026-11-01", "UTC").await;
    let console_ids = || async {
        sqlx::query_scalar::<_, i64>(
            "SELECT CAST(COUNT(*) AS BIGINT) FROM inbox WHERE update_id < 0 AND done_at IS NOT NULL",
        )
        .fetch_one(t.app.store.pool())
        .await
        .unwrap()
    };
    let before = console_ids().await;
    let replies = t
        .app
        .engine
        .handle(ChatId(4), Incoming::from_text("/slip 2 hours ago"))
        .await
        .unwrap();
    assert!(!replies.is_empty());
    assert_eq!(console_ids().await, before + 1, "one inbox id, committed");
    assert_eq!(slips(&t, 4).await, 1);
    assert_eq!(outbox_rows(&t).await, 0, "the console sends nothing later");
}

/// A holder whose lease ran out (slow sends before, a pause) neither sends the parcel nor
/// gives it back: the process that claimed it since holds it alone.
#[tokio::test]
async fn a_holder_whose_lease_ran_out_leaves_the_parcel_to_the_next_claim() {
    let t = TestApp::new().await;
    t.onboard(5, "2026-11-01", "UTC").await;
    let Settled::Committed { parcels, .. } = update(&t, 800, 5, "/streak").await else {
        panic!("handled");
    };
    assert_eq!(parcels.len(), 1);
    let store = &t.app.store;
    let now = || t.clock_now();
    t.clock.advance(LEASE + Duration::seconds(1));
    // Another replica claims it, for a lease of its own.
    let theirs = store.outbox_claim(now(), now() + LEASE, 10).await.unwrap();
    assert_eq!(theirs.len(), 1);
    assert!(
        theirs[0].attempts > parcels[0].attempts,
        "a claim of its own"
    );
    // The first holder comes back: it sends nothing, and its give-back changes nothing.
    let outbox = RecordingOutbox::default();
    let done = nocontact::scheduler::delivery::deliver(store, &outbox, parcels.clone(), now)
        .await
        .unwrap();
    assert!(
        outbox.sent().is_empty(),
        "not sent by a holder out of its lease"
    );
    assert_eq!(done.sent, 0);
    store
        .outbox_retry(&parcels[0], now() - Duration::minutes(5))
        .await
        .unwrap();
    let reclaimed = store.outbox_claim(now(), now() + LEASE, 10).await.unwrap();
    assert!(
        reclaimed.is_empty(),
        "still the other replica's, not free again"
    );
    // The replica that holds it sends it.
    nocontact::scheduler::delivery::deliver(store, &outbox, theirs, now)
        .await
        .unwrap();
    assert_eq!(outbox.sent().len(), 1);
    assert_eq!(outbox_rows(&t).await, 0);
}
