//! What the bot has done since it started, for `/metrics`, through `prometheus-client`
//! (the OpenMetrics text format). Every series the bot can produce exists from the start,
//! at zero, so a dashboard or an alert never waits for the first error to see its line.
//! Labels are small closed sets (kinds, outcomes, operations): never a chat id or text.

use std::time::Duration;

use prometheus_client::encoding::EncodeLabelSet;
use prometheus_client::metrics::counter::Counter;
use prometheus_client::metrics::family::Family;
use prometheus_client::metrics::gauge::Gauge;
use prometheus_client::metrics::histogram::Histogram;
use prometheus_client::registry::{Registry, Unit};

use crate::store::{Latency, OperationLabels, Store};

/// The content type of [`Metrics::render`].
pub const CONTENT_TYPE: &str = "application/openmetrics-text; version=1.0.0; charset=utf-8";

/// The Telegram update kinds the bot tells apart.
pub const UPDATE_KINDS: [&str; 5] = [
    "message",
    "edited_message",
    "callback_query",
    "my_chat_member",
    "other",
];

/// What became of an update.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Outcome {
    /// Its turn committed.
    Committed,
    /// It was handled before (a replay).
    Replayed,
    /// Its turn failed; nothing of it was kept.
    Failed,
    /// The same update is being handled right now.
    InFlight,
    /// It needs no turn (a group, a membership change, an unknown kind).
    Ignored,
}

impl Outcome {
    pub const ALL: [Outcome; 5] = [
        Outcome::Committed,
        Outcome::Replayed,
        Outcome::Failed,
        Outcome::InFlight,
        Outcome::Ignored,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            Outcome::Committed => "committed",
            Outcome::Replayed => "replayed",
            Outcome::Failed => "failed",
            Outcome::InFlight => "in_flight",
            Outcome::Ignored => "ignored",
        }
    }
}

/// Every error kind counted, so each starts at zero.
pub const ERROR_KINDS: [&str; 17] = [
    "answer_callback",
    "blocked",
    "duplicate_update",
    "engine",
    "inbox",
    "network",
    "panic",
    "rate_limited",
    "rejected",
    "send_failed",
    "send_refused",
    "unknown",
    "unreadable_response",
    "webhook_body",
    "webhook_slow_body",
    "webhook_too_large",
    "webhook_unparsable",
];

/// The store operations on every update's or pass's path, whose latency series exist from
/// the start (the others appear at their first use).
pub const HOT_OPERATIONS: [&str; 7] = [
    "begin_turn",
    "commit",
    "claim_due_jobs",
    "take_send_token",
    "outbox_claim",
    "outbox_done",
    "outbox_depth",
];

#[derive(Debug, Clone, Hash, PartialEq, Eq, EncodeLabelSet)]
struct UpdateLabels {
    kind: &'static str,
    outcome: &'static str,
}

#[derive(Debug, Clone, Hash, PartialEq, Eq, EncodeLabelSet)]
struct ErrorLabels {
    kind: &'static str,
}

/// Latency buckets in seconds, from a fast local statement to a slow retried send.
pub fn latency_buckets() -> impl Iterator<Item = f64> {
    [
        0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0, 2.5, 5.0, 10.0,
    ]
    .into_iter()
}

/// Scheduler lag buckets in seconds: on time, a poll late, minutes late, hours late.
fn lag_buckets() -> impl Iterator<Item = f64> {
    [
        0.5, 1.0, 2.0, 5.0, 10.0, 30.0, 60.0, 300.0, 900.0, 3600.0, 10_800.0,
    ]
    .into_iter()
}

/// The registry and handles to its series. Cheap to share behind an `Arc`.
pub struct Metrics {
    registry: Registry,
    updates: Family<UpdateLabels, Counter>,
    replies: Counter,
    errors: Family<ErrorLabels, Counter>,
    rate_limited: Counter,
    send_latency: Histogram,
    scheduler_lag: Histogram,
    jobs_claimed: Counter,
    outbox_depth: Gauge,
}

impl std::fmt::Debug for Metrics {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Metrics").finish_non_exhaustive()
    }
}

impl Metrics {
    /// The bot's series, with the store's statement latencies among them.
    pub fn new(store: &Store) -> Metrics {
        Self::with_database(store.latency())
    }

    fn with_database(database: Latency) -> Metrics {
        let mut metrics = Metrics {
            registry: Registry::with_prefix("nocontact"),
            updates: Family::default(),
            replies: Counter::default(),
            errors: Family::default(),
            rate_limited: Counter::default(),
            send_latency: Histogram::new(latency_buckets()),
            scheduler_lag: Histogram::new(lag_buckets()),
            jobs_claimed: Counter::default(),
            outbox_depth: Gauge::default(),
        };
        metrics.registry.register(
            "updates",
            "Telegram updates handled, by kind and outcome",
            metrics.updates.clone(),
        );
        metrics.registry.register(
            "replies_sent",
            "Messages Telegram confirmed",
            metrics.replies.clone(),
        );
        metrics
            .registry
            .register("errors", "Errors by kind", metrics.errors.clone());
        metrics.registry.register(
            "telegram_rate_limited",
            "Answers of 429 Too Many Requests from Telegram",
            metrics.rate_limited.clone(),
        );
        metrics.registry.register_with_unit(
            "send_latency",
            "Time to deliver a message to Telegram, retries included",
            Unit::Seconds,
            metrics.send_latency.clone(),
        );
        metrics.registry.register_with_unit(
            "scheduler_lag",
            "Time from a scheduled message falling due to Telegram confirming it",
            Unit::Seconds,
            metrics.scheduler_lag.clone(),
        );
        metrics.registry.register(
            "jobs_claimed",
            "Scheduled jobs claimed by this process",
            metrics.jobs_claimed.clone(),
        );
        metrics.registry.register(
            "outbox_depth",
            "Messages committed and not yet confirmed by Telegram (all replicas)",
            metrics.outbox_depth.clone(),
        );
        metrics.registry.register_with_unit(
            "database",
            "Time of a store operation, by operation",
            Unit::Seconds,
            database.clone(),
        );
        for kind in UPDATE_KINDS {
            for outcome in Outcome::ALL {
                metrics.updates.get_or_create_owned(&UpdateLabels {
                    kind,
                    outcome: outcome.as_str(),
                });
            }
        }
        for kind in ERROR_KINDS {
            metrics.errors.get_or_create_owned(&ErrorLabels { kind });
        }
        for operation in HOT_OPERATIONS {
            database.get_or_create_owned(&OperationLabels { operation });
        }
        metrics
    }

    /// An update of `kind` (one of [`UPDATE_KINDS`]) came to `outcome`.
    pub fn update(&self, kind: &'static str, outcome: Outcome) {
        self.updates
            .get_or_create(&UpdateLabels {
                kind,
                outcome: outcome.as_str(),
            })
            .inc();
    }

    /// A message reached Telegram after `latency` (including any retries).
    pub fn reply_sent(&self, latency: Duration) {
        self.replies.inc();
        self.send_latency.observe(latency.as_secs_f64());
    }

    /// Counts an error of a kind (one of [`ERROR_KINDS`]).
    pub fn error(&self, kind: &'static str) {
        debug_assert!(ERROR_KINDS.contains(&kind), "unlisted error kind {kind}");
        self.errors.get_or_create(&ErrorLabels { kind }).inc();
        if kind == "rate_limited" {
            self.rate_limited.inc();
        }
    }

    /// A scheduled message was confirmed `lag` after it fell due.
    pub fn scheduled_sent(&self, lag: Duration) {
        self.scheduler_lag.observe(lag.as_secs_f64());
    }

    /// `n` due jobs were claimed.
    pub fn jobs_claimed(&self, n: usize) {
        self.jobs_claimed.inc_by(n as u64);
    }

    /// The outbox holds `depth` messages (read from the database at each scrape).
    pub fn set_outbox_depth(&self, depth: i64) {
        self.outbox_depth.set(depth);
    }

    /// Updates handled, whatever their outcome.
    pub fn updates(&self) -> u64 {
        UPDATE_KINDS
            .iter()
            .flat_map(|&kind| Outcome::ALL.map(|outcome| (kind, outcome)))
            .map(|(kind, outcome)| {
                self.updates
                    .get_or_create(&UpdateLabels {
                        kind,
                        outcome: outcome.as_str(),
                    })
                    .get()
            })
            .sum()
    }

    /// The OpenMetrics text exposition.
    pub fn render(&self) -> String {
        let mut out = String::new();
        // Writing to a String cannot fail.
        let _ = prometheus_client::encoding::text::encode(&mut out, &self.registry);
        out
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn metrics() -> Metrics {
        Metrics::with_database(Family::new_with_constructor(|| {
            Histogram::new(latency_buckets())
        }))
    }

    #[test]
    fn every_series_exists_at_zero_before_anything_happens() {
        let text = metrics().render();
        assert!(
            text.contains("nocontact_updates_total{kind=\"message\",outcome=\"committed\"} 0\n"),
            "{text}"
        );
        assert!(text.contains("nocontact_errors_total{kind=\"network\"} 0\n"));
        assert!(text.contains("nocontact_telegram_rate_limited_total 0\n"));
        assert!(text.contains("nocontact_replies_sent_total 0\n"));
        assert!(text.contains("nocontact_jobs_claimed_total 0\n"));
        assert!(text.contains("nocontact_outbox_depth 0\n"));
        assert!(text.contains("nocontact_send_latency_seconds_count 0\n"));
        assert!(text.contains("nocontact_scheduler_lag_seconds_count 0\n"));
        assert!(
            text.contains("nocontact_database_seconds_count{operation=\"commit\"} 0\n"),
            "{text}"
        );
        assert!(text.ends_with("# EOF\n"));
    }

    #[test]
    fn counts_updates_errors_and_latencies() {
        let m = metrics();
        m.update("message", Outcome::Committed);
        m.update("callback_query", Outcome::Replayed);
        m.reply_sent(Duration::from_millis(30));
        m.reply_sent(Duration::from_secs(3));
        m.error("blocked");
        m.error("rate_limited");
        m.scheduled_sent(Duration::from_secs(2));
        m.jobs_claimed(3);
        m.set_outbox_depth(4);
        let text = m.render();
        assert_eq!(m.updates(), 2);
        assert!(
            text.contains("nocontact_updates_total{kind=\"message\",outcome=\"committed\"} 1\n")
        );
        assert!(
            text.contains(
                "nocontact_updates_total{kind=\"callback_query\",outcome=\"replayed\"} 1\n"
            )
        );
        assert!(text.contains("nocontact_replies_sent_total 2\n"));
        assert!(text.contains("nocontact_errors_total{kind=\"blocked\"} 1\n"));
        assert!(text.contains("nocontact_telegram_rate_limited_total 1\n"));
        assert!(text.contains("nocontact_send_latency_seconds_bucket{le=\"0.05\"} 1\n"));
        assert!(text.contains("nocontact_send_latency_seconds_bucket{le=\"5.0\"} 2\n"));
        assert!(text.contains("nocontact_send_latency_seconds_count 2\n"));
        assert!(text.contains("nocontact_scheduler_lag_seconds_count 1\n"));
        assert!(text.contains("nocontact_jobs_claimed_total 3\n"));
        assert!(text.contains("nocontact_outbox_depth 4\n"));
    }
}
