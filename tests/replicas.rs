//! Several scheduler replicas on one database: no job sent twice, none lost, a dead
//! replica's jobs taken over after its lease, and one send rate for all of them.
//! On PostgreSQL this exercises `FOR UPDATE SKIP LOCKED`; on SQLite, the single writer.

use crate::support;

use std::collections::HashMap;

use chrono::Duration;
use nocontact::domain::ChatId;
use nocontact::scheduler::Scheduler;
use nocontact::store::{JobKind, NewJob};
use support::test_app::{RecordingOutbox, TestApp};

/// Gives `n` users a job each, due now.
async fn due_jobs(t: &TestApp, n: i64) {
    let now = t.clock_now();
    for chat in 1..=n {
        let (user, _) = t.app.store.ensure_user(ChatId(chat), now).await.unwrap();
        let job = NewJob {
            kind: JobKind::WaitCheckback,
            due_at: now,
            payload: "{}".into(),
            dedupe_key: None,
        };
        t.app.store.schedule_job(user.id, &job, now).await.unwrap();
    }
}

fn replica(app: &nocontact::app::Application, name: &str, rate: f64, batch: u32) -> Scheduler {
    let mut settings = app.settings.scheduler.clone();
    settings.rate_per_second = rate;
    settings.batch_size = batch;
    Scheduler::new(app.engine.clone(), name, settings)
}

/// Runs a replica until a pass finds nothing more to do, or the shared rate stops it
/// (the clock is manual: no token comes back until the test moves time).
async fn drain(s: &Scheduler, outbox: &RecordingOutbox) {
    loop {
        let pass = s.run_due(outbox).await.unwrap();
        if pass.rate_limited || pass.sent + pass.skipped == 0 {
            break;
        }
        tokio::task::yield_now().await;
    }
}

fn sends_per_chat(outbox: &RecordingOutbox) -> HashMap<ChatId, usize> {
    let mut counts = HashMap::new();
    for (chat, _) in outbox.sent() {
        *counts.entry(chat).or_default() += 1;
    }
    counts
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn two_replicas_send_every_job_exactly_once() {
    let t = TestApp::new().await;
    due_jobs(&t, 300).await;
    let other = t.another_instance().await;
    let outbox = RecordingOutbox::default();
    let a = replica(&t.app, "a", 1e6, 20);
    let b = replica(&other, "b", 1e6, 20);
    tokio::join!(drain(&a, &outbox), drain(&b, &outbox));
    let counts = sends_per_chat(&outbox);
    assert_eq!(counts.len(), 300, "every job sent");
    assert!(counts.values().all(|&n| n == 1), "a job sent twice");
}

#[tokio::test]
async fn a_dead_replicas_jobs_are_sent_by_another_after_its_lease() {
    let t = TestApp::new().await;
    due_jobs(&t, 50).await;
    // Replica "dead" claims a batch and dies without sending.
    let lease = Duration::seconds(i64::from(t.app.settings.scheduler.lease_seconds));
    let claimed = t
        .app
        .store
        .claim_due_jobs("dead", t.clock_now(), lease, 30)
        .await
        .unwrap();
    assert_eq!(claimed.len(), 30);
    let outbox = RecordingOutbox::default();
    let survivor = replica(&t.app, "survivor", 1e6, 100);
    drain(&survivor, &outbox).await;
    assert_eq!(
        outbox.sent().len(),
        20,
        "the dead replica's claims are still leased"
    );
    t.clock.advance(lease + Duration::seconds(1));
    drain(&survivor, &outbox).await;
    let counts = sends_per_chat(&outbox);
    assert_eq!(counts.len(), 50, "nothing lost");
    assert!(counts.values().all(|&n| n == 1), "nothing sent twice");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn the_send_rate_holds_across_replicas() {
    let t = TestApp::new().await;
    due_jobs(&t, 100).await;
    let other = t.another_instance().await;
    let outbox = RecordingOutbox::default();
    let rate = 10.0;
    let a = replica(&t.app, "a", rate, 7);
    let b = replica(&other, "b", rate, 7);
    // Time moves in steps of 100 ms; in each step both replicas push as hard as they can.
    let mut sent_by_tick = Vec::new();
    for _ in 0..150 {
        tokio::join!(drain(&a, &outbox), drain(&b, &outbox));
        sent_by_tick.push(outbox.sent().len());
        t.clock.advance(Duration::milliseconds(100));
    }
    // Any one second (10 steps) carries at most the rate plus the burst (a fifth of it).
    let burst = (rate / 5.0) as usize;
    for window in sent_by_tick.windows(11) {
        let in_one_second = window[10] - window[0];
        assert!(
            in_one_second <= rate as usize + burst,
            "{in_one_second} sends within one second"
        );
    }
    let total = *sent_by_tick.last().unwrap();
    assert_eq!(total, 100, "the backlog drains at the rate");
    let counts = sends_per_chat(&outbox);
    assert!(counts.values().all(|&n| n == 1));
}
