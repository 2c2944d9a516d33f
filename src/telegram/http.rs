//! `/healthz` and `/metrics`, served in both modes (and beside the webhook route).

use std::sync::Arc;

use axum::Router;
use axum::extract::State;
use axum::http::{StatusCode, header};
use axum::response::IntoResponse;
use axum::routing::get;

use crate::metrics::Metrics;
use crate::store::Store;

#[derive(Clone)]
struct HealthState {
    store: Store,
    metrics: Arc<Metrics>,
}

/// The health and metrics routes.
pub fn router(store: Store, metrics: Arc<Metrics>) -> Router {
    Router::new()
        .route("/healthz", get(healthz))
        .route("/metrics", get(metrics_text))
        .with_state(HealthState { store, metrics })
}

/// 200 when the database answers, 503 otherwise.
async fn healthz(State(state): State<HealthState>) -> (StatusCode, &'static str) {
    if state.store.ping().await {
        (StatusCode::OK, "ok\n")
    } else {
        (StatusCode::SERVICE_UNAVAILABLE, "database unreachable\n")
    }
}

async fn metrics_text(State(state): State<HealthState>) -> impl IntoResponse {
    // Shared by every replica: what waits for Telegram (a growing depth means sends fail).
    if let Ok(depth) = state.store.outbox_depth().await {
        state.metrics.set_outbox_depth(depth);
    }
    (
        [(header::CONTENT_TYPE, crate::metrics::CONTENT_TYPE)],
        state.metrics.render(),
    )
}
