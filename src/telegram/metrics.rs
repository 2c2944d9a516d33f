//! Counters for `/metrics`, rendered in the Prometheus text format by hand (a handful of
//! numbers does not need a metrics library).

use std::collections::BTreeMap;
use std::sync::Mutex;
use std::sync::atomic::{AtomicU64, Ordering};
use std::time::Duration;

/// Upper bounds (seconds) of the send-latency histogram buckets.
const LATENCY_BUCKETS: [f64; 10] = [0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0, 2.5, 5.0, 10.0];

/// What the bot has done since it started.
#[derive(Debug, Default)]
pub struct Metrics {
    updates_handled: AtomicU64,
    replies_sent: AtomicU64,
    errors: Mutex<BTreeMap<&'static str, u64>>,
    latency: Mutex<Histogram>,
}

#[derive(Debug, Default)]
struct Histogram {
    buckets: [u64; LATENCY_BUCKETS.len()],
    count: u64,
    sum: f64,
}

impl Metrics {
    pub fn update_handled(&self) {
        self.updates_handled.fetch_add(1, Ordering::Relaxed);
    }

    /// A message reached Telegram after `latency` (including any retries).
    pub fn reply_sent(&self, latency: Duration) {
        self.replies_sent.fetch_add(1, Ordering::Relaxed);
        let seconds = latency.as_secs_f64();
        let mut h = self.latency.lock().unwrap_or_else(|e| e.into_inner());
        for (bucket, bound) in h.buckets.iter_mut().zip(LATENCY_BUCKETS) {
            if seconds <= bound {
                *bucket += 1;
            }
        }
        h.count += 1;
        h.sum += seconds;
    }

    /// Counts an error of a kind (`rate_limited`, `blocked`, `network`, `engine`, …).
    pub fn error(&self, kind: &'static str) {
        *self
            .errors
            .lock()
            .unwrap_or_else(|e| e.into_inner())
            .entry(kind)
            .or_default() += 1;
    }

    pub fn updates(&self) -> u64 {
        self.updates_handled.load(Ordering::Relaxed)
    }

    pub fn replies(&self) -> u64 {
        self.replies_sent.load(Ordering::Relaxed)
    }

    pub fn errors_of(&self, kind: &str) -> u64 {
        let errors = self.errors.lock().unwrap_or_else(|e| e.into_inner());
        errors.get(kind).copied().unwrap_or_default()
    }

    /// The Prometheus text exposition.
    pub fn render(&self) -> String {
        let mut out = String::new();
        out.push_str("# HELP nocontact_updates_handled_total Updates handled.\n");
        out.push_str("# TYPE nocontact_updates_handled_total counter\n");
        out.push_str(&format!(
            "nocontact_updates_handled_total {}\n",
            self.updates()
        ));
        out.push_str("# HELP nocontact_replies_sent_total Messages delivered to Telegram.\n");
        out.push_str("# TYPE nocontact_replies_sent_total counter\n");
        out.push_str(&format!(
            "nocontact_replies_sent_total {}\n",
            self.replies()
        ));
        out.push_str("# HELP nocontact_errors_total Errors by kind.\n");
        out.push_str("# TYPE nocontact_errors_total counter\n");
        for (kind, n) in self.errors.lock().unwrap_or_else(|e| e.into_inner()).iter() {
            out.push_str(&format!("nocontact_errors_total{{kind=\"{kind}\"}} {n}\n"));
        }
        let h = self.latency.lock().unwrap_or_else(|e| e.into_inner());
        out.push_str("# HELP nocontact_send_latency_seconds Time to deliver a message.\n");
        out.push_str("# TYPE nocontact_send_latency_seconds histogram\n");
        for (bound, n) in LATENCY_BUCKETS.iter().zip(h.buckets) {
            out.push_str(&format!(
                "nocontact_send_latency_seconds_bucket{{le=\"{bound}\"}} {n}\n"
            ));
        }
        out.push_str(&format!(
            "nocontact_send_latency_seconds_bucket{{le=\"+Inf\"}} {}\n",
            h.count
        ));
        out.push_str(&format!("nocontact_send_latency_seconds_sum {}\n", h.sum));
        out.push_str(&format!(
            "nocontact_send_latency_seconds_count {}\n",
            h.count
        ));
        out
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn renders_counters_errors_and_a_cumulative_histogram() {
        let m = Metrics::default();
        m.update_handled();
        m.reply_sent(Duration::from_millis(30));
        m.reply_sent(Duration::from_secs(3));
        m.error("blocked");
        let text = m.render();
        assert!(text.contains("nocontact_updates_handled_total 1\n"));
        assert!(text.contains("nocontact_replies_sent_total 2\n"));
        assert!(text.contains("nocontact_errors_total{kind=\"blocked\"} 1\n"));
        assert!(text.contains("nocontact_send_latency_seconds_bucket{le=\"0.05\"} 1\n"));
        assert!(text.contains("nocontact_send_latency_seconds_bucket{le=\"5\"} 2\n"));
        assert!(text.contains("nocontact_send_latency_seconds_count 2\n"));
    }
}
