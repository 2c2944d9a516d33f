//! The repository on its own: jobs, leases, deduplication, concurrency, migrations.

use crate::support;

use chrono::{Duration, NaiveDate};
use nocontact::domain::ChatId;
use nocontact::store::{JobKind, NewJob, NewSlip, Store};
use support::test_app::{TestApp, default_start};

fn job(minutes: i64, key: Option<&str>) -> NewJob {
    NewJob {
        kind: JobKind::WaitCheckback,
        due_at: default_start() + Duration::minutes(minutes),
        payload: "{}".into(),
        dedupe_key: key.map(str::to_owned),
    }
}

#[tokio::test]
async fn jobs_are_claimed_by_due_time_once_and_leases_expire() {
    let t = TestApp::new().await;
    let store = &t.app.store;
    let now = default_start();
    let (user, _) = store.ensure_user(ChatId(7), now).await.unwrap();
    for m in [5, 1, 3, 60] {
        assert!(
            store
                .schedule_job(user.id, &job(m, None), now)
                .await
                .unwrap()
        );
    }
    let at = now + Duration::minutes(10);
    let lease = Duration::seconds(30);
    let a = store.claim_due_jobs("a", at, lease, 2).await.unwrap();
    let b = store.claim_due_jobs("b", at, lease, 10).await.unwrap();
    assert_eq!(a.len(), 2);
    assert_eq!(b.len(), 1, "the not-yet-due job stays");
    assert!(
        a[0].due_at <= a[1].due_at && a[1].due_at <= b[0].due_at,
        "oldest first"
    );
    assert!(store.finish_job(a[0].id, "a").await.unwrap());
    assert!(
        !store.finish_job(a[0].id, "a").await.unwrap(),
        "finished once"
    );
    assert!(
        !store.finish_job(b[0].id, "a").await.unwrap(),
        "not a's claim"
    );
    // Worker a dies holding a[1]; after the lease, another worker gets it.
    let early = store
        .claim_due_jobs("c", at + Duration::seconds(10), lease, 10)
        .await
        .unwrap();
    assert!(early.is_empty());
    let late = store
        .claim_due_jobs("c", at + Duration::seconds(31), lease, 10)
        .await
        .unwrap();
    let ids: Vec<i64> = late.iter().map(|j| j.id).collect();
    assert!(ids.contains(&a[1].id), "{ids:?}");
    assert!(
        !store.finish_job(a[1].id, "a").await.unwrap(),
        "a lost its claim"
    );
    assert!(store.finish_job(a[1].id, "c").await.unwrap());
}

#[tokio::test]
async fn a_dedupe_key_schedules_a_job_only_once() {
    let t = TestApp::new().await;
    let store = &t.app.store;
    let (user, _) = store.ensure_user(ChatId(7), default_start()).await.unwrap();
    assert!(
        store
            .schedule_job(user.id, &job(1, Some("k")), default_start())
            .await
            .unwrap()
    );
    assert!(
        !store
            .schedule_job(user.id, &job(2, Some("k")), default_start())
            .await
            .unwrap()
    );
}

#[tokio::test]
async fn a_slip_closes_the_running_period_atomically() {
    let t = TestApp::new().await;
    let store = &t.app.store;
    let now = default_start();
    let (user, _) = store.ensure_user(ChatId(3), now).await.unwrap();
    let d = |day| NaiveDate::from_ymd_opt(2026, 11, day).unwrap();
    store.set_streak_start(user.id, d(1), now).await.unwrap();
    store.set_streak_start(user.id, d(2), now).await.unwrap();
    let slip = NewSlip {
        happened_at: now,
        local_date: d(10),
        streak_days: 8,
        note: Some("ouch".into()),
    };
    store.record_slip(user.id, &slip, now).await.unwrap();
    let periods = store.periods(user.id).await.unwrap();
    assert_eq!(periods.len(), 2);
    assert_eq!(
        (periods[0].started_on, periods[0].ended_on),
        (d(2), Some(d(10)))
    );
    assert_eq!((periods[1].started_on, periods[1].ended_on), (d(10), None));
    let slips = store.slips(user.id).await.unwrap();
    assert_eq!(slips[0].note.as_deref(), Some("ouch"));
    assert_eq!(slips[0].streak_days, 8);
}

#[tokio::test]
async fn migrations_are_idempotent_and_create_every_table() {
    let t = TestApp::new().await;
    t.app.store.migrate().await.unwrap();
    let again = t.another_instance().await;
    let tables = again.store.table_names().await.unwrap();
    for expected in [
        "events",
        "journal_entries",
        "scheduled_jobs",
        "slips",
        "streaks",
        "users",
    ] {
        assert!(
            tables.iter().any(|t| t == expected),
            "{expected} missing: {tables:?}"
        );
    }
}

#[tokio::test]
async fn two_writers_on_one_database_lose_nothing() {
    let t = TestApp::new().await;
    let other = t.another_instance().await;
    let writers: Vec<Store> = vec![t.app.store.clone(), other.store.clone()];
    let now = default_start();
    let (user, _) = writers[0].ensure_user(ChatId(9), now).await.unwrap();
    let mut tasks = Vec::new();
    for (w, store) in writers.into_iter().enumerate() {
        tasks.push(tokio::spawn(async move {
            for i in 0..100 {
                let key = format!("w{w}-{i}");
                store
                    .schedule_job(user.id, &job(i, Some(&key)), now)
                    .await
                    .expect("concurrent write succeeds");
                store
                    .ensure_user(ChatId(1000 + w as i64 * 1000 + i), now)
                    .await
                    .unwrap();
            }
        }));
    }
    for task in tasks {
        task.await.unwrap();
    }
    let claimed = t
        .app
        .store
        .claim_due_jobs("x", now + Duration::days(1), Duration::seconds(60), 1000)
        .await
        .unwrap();
    assert_eq!(claimed.len(), 200);
}

#[tokio::test]
async fn the_sqlite_file_and_its_directory_are_created_on_first_run() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("nested").join("deeper").join("bot.db");
    let url = secrecy::SecretString::from(format!("sqlite://{}?mode=rwc", path.display()));
    let store = Store::connect(&url, 2).await.unwrap();
    assert!(store.ping().await);
    assert!(path.exists());
    store.close().await;
}

#[tokio::test]
async fn a_worker_that_lost_its_lease_cannot_renew_it_and_failing_jobs_stop() {
    let t = TestApp::new().await;
    let store = &t.app.store;
    let now = default_start();
    let (user, _) = store.ensure_user(ChatId(5), now).await.unwrap();
    store
        .schedule_job(user.id, &job(0, None), now)
        .await
        .unwrap();
    let lease = Duration::seconds(60);
    let a = store.claim_due_jobs("a", now, lease, 10).await.unwrap();
    assert!(store.renew_lease(a[0].id, "a", now + lease).await.unwrap());
    let later = now + Duration::seconds(130);
    let b = store.claim_due_jobs("b", later, lease, 10).await.unwrap();
    assert_eq!(b[0].id, a[0].id, "b took over after the lease ran out");
    assert!(
        !store
            .renew_lease(a[0].id, "a", later + lease)
            .await
            .unwrap(),
        "a must not send"
    );
    store.fail_job(b[0].id, "b").await.unwrap();
    let again = store
        .claim_due_jobs("c", later + Duration::days(1), lease, 10)
        .await
        .unwrap();
    assert!(again.is_empty(), "a failed job is not claimed again");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn racing_writers_never_open_two_running_streaks() {
    let t = TestApp::new().await;
    let other = t.another_instance().await;
    let now = default_start();
    let (user, _) = t.app.store.ensure_user(ChatId(8), now).await.unwrap();
    let mut tasks = Vec::new();
    for (i, store) in [t.app.store.clone(), other.store.clone()]
        .into_iter()
        .cycle()
        .take(20)
        .enumerate()
    {
        tasks.push(tokio::spawn(async move {
            let day = NaiveDate::from_ymd_opt(2026, 11, 1 + i as u32).unwrap();
            store.set_streak_start(user.id, day, now).await.unwrap();
        }));
    }
    for task in tasks {
        task.await.unwrap();
    }
    let periods = t.app.store.periods(user.id).await.unwrap();
    assert_eq!(
        periods.iter().filter(|p| p.ended_on.is_none()).count(),
        1,
        "{periods:?}"
    );
}

#[tokio::test]
async fn noting_an_update_reads_the_user_in_the_same_statement_and_refuses_a_replay() {
    use nocontact::store::{Lock, Settle};
    let t = TestApp::new().await;
    let store = &t.app.store;
    let now = default_start();
    let chat = ChatId(4242);

    // A turn holds SQLite's one writer until its store is dropped: one scope each.
    {
        let turn = store.begin_turn(Lock::Chat(chat)).await.unwrap();
        let before = turn.round_trips();
        match turn.inbox_settle_loading(1, now, chat).await.unwrap() {
            Settle::Fresh(None) => {}
            other => panic!("a chat that never wrote has no user: {other:?}"),
        }
        assert_eq!(
            turn.round_trips() - before,
            1,
            "the note and the read are one statement"
        );
        turn.ensure_user(chat, now).await.unwrap();
        turn.commit().await.unwrap();
    }
    {
        let turn = store.begin_turn(Lock::Chat(chat)).await.unwrap();
        let Settle::Fresh(Some(user)) = turn.inbox_settle_loading(2, now, chat).await.unwrap()
        else {
            panic!("the user written by the first turn is read with the second note");
        };
        assert_eq!(user.chat, chat);
        turn.commit().await.unwrap();
    }
    let turn = store.begin_turn(Lock::Chat(chat)).await.unwrap();
    assert!(matches!(
        turn.inbox_settle_loading(2, now, chat).await.unwrap(),
        Settle::Replayed
    ));
}

#[tokio::test]
async fn a_coaching_reply_stores_its_variant_and_its_event_together() {
    use nocontact::store::EventKind;
    let t = TestApp::new().await;
    let store = &t.app.store;
    let now = default_start();
    let (user, _) = store.ensure_user(ChatId(77), now).await.unwrap();
    let first = store
        .add_coached(user.id, 3, "reach_out", now)
        .await
        .unwrap();
    let second = store.add_coached(user.id, 5, "slipped", now).await.unwrap();
    assert_ne!(first, second, "each reply has an event of its own");
    let user = store.user(ChatId(77)).await.unwrap().unwrap();
    assert_eq!(user.last_variant, Some(5));
    assert_eq!(
        store
            .count_events(user.id, EventKind::Coached)
            .await
            .unwrap(),
        2
    );
    assert!(store.is_coached_event(user.id, first).await.unwrap());
}

#[tokio::test]
async fn the_streak_card_reads_periods_and_a_count_in_one_statement() {
    use nocontact::store::EventKind;
    let t = TestApp::new().await;
    let store = &t.app.store;
    let now = default_start();
    let (user, _) = store.ensure_user(ChatId(78), now).await.unwrap();
    let (periods, counted) = store
        .periods_counting(user.id, EventKind::UrgeResisted)
        .await
        .unwrap();
    assert!(periods.is_empty());
    assert_eq!(counted, None, "no period, no count read");
    let start = NaiveDate::from_ymd_opt(2026, 1, 1).unwrap();
    store.set_streak_start(user.id, start, now).await.unwrap();
    for _ in 0..3 {
        store
            .add_event(user.id, EventKind::UrgeResisted, None, now)
            .await
            .unwrap();
    }
    let (periods, counted) = store
        .periods_counting(user.id, EventKind::UrgeResisted)
        .await
        .unwrap();
    assert_eq!(periods.len(), 1);
    assert_eq!(periods[0].started_on, start);
    assert_eq!(counted, Some(3));
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn confirmations_arriving_together_are_deleted_together_and_none_is_lost() {
    use nocontact::conversation::Reply;
    let t = TestApp::new().await;
    let store = t.app.store.clone();
    let now = default_start();
    let mut ids = Vec::new();
    for chat in 0..60 {
        let parcels = store
            .outbox_push(ChatId(500 + chat), &[Reply::text("hello")], now, now, None)
            .await
            .unwrap();
        ids.extend(parcels.into_iter().map(|p| p.id));
    }
    assert_eq!(store.outbox_depth().await.unwrap(), 60);
    let before = store.round_trips();
    let tasks: Vec<_> = ids
        .iter()
        .map(|&id| {
            let store = store.clone();
            tokio::spawn(async move { store.outbox_done(id).await })
        })
        .collect();
    for task in tasks {
        task.await.unwrap().expect("each confirmation is deleted");
    }
    assert_eq!(
        store.outbox_depth().await.unwrap(),
        0,
        "every confirmed row is gone"
    );
    let statements = store.round_trips() - before;
    assert!(
        statements <= 60,
        "never more than one statement per confirmation: {statements}"
    );
}
