//! Building the application once, the same way for `main` and for tests.

use std::sync::Arc;

use crate::coach::{Coach, ContentError};
use crate::config::Settings;
use crate::conversation::{Engine, EngineSettings};
use crate::domain::clock::{Clock, SystemClock};
use crate::metrics::Metrics;
use crate::store::{Store, StoreError};

/// Why the application could not start.
#[derive(Debug, thiserror::Error)]
pub enum BuildError {
    #[error("cannot open the database: {0}")]
    Store(#[from] StoreError),
    #[error("cannot load the content pack from {dir}: {source}")]
    Content {
        dir: std::path::PathBuf,
        source: ContentError,
    },
}

/// A ready application: storage migrated, content loaded, engine built.
pub struct Application {
    pub settings: Settings,
    pub store: Store,
    pub engine: Engine,
    /// What `/metrics` serves: shared by the engine, the scheduler and the adapters.
    pub metrics: Arc<Metrics>,
}

impl Application {
    /// Builds with the real clock.
    pub async fn build(settings: Settings) -> Result<Application, BuildError> {
        Self::build_with_clock(settings, Arc::new(SystemClock)).await
    }

    /// Builds with a given clock (tests drive time with a manual one).
    pub async fn build_with_clock(
        settings: Settings,
        clock: Arc<dyn Clock>,
    ) -> Result<Application, BuildError> {
        let coach = Coach::load(&settings.content.dir).map_err(|source| BuildError::Content {
            dir: settings.content.dir.clone(),
            source,
        })?;
        Self::build_with(settings, clock, Arc::new(coach)).await
    }

    /// Builds with a given clock and an already loaded coach (tests share one).
    #[tracing::instrument(skip_all)]
    pub async fn build_with(
        settings: Settings,
        clock: Arc<dyn Clock>,
        coach: Arc<Coach>,
    ) -> Result<Application, BuildError> {
        crate::secrets::protect_settings(&settings);
        let store = Store::connect(
            &settings.database.connection_url(),
            settings.database.max_connections,
        )
        .await?;
        tracing::info!(backend = ?store.backend(), "database ready");
        let metrics = Arc::new(Metrics::new(&store));
        let engine = Engine::new(
            store.clone(),
            coach,
            clock,
            metrics.clone(),
            EngineSettings {
                wait_minutes: settings.coaching.wait_minutes,
                crisis_checkin_hours: settings.coaching.crisis_checkin_hours,
                care_hours: settings.coaching.care_hours,
                nudge_grace_minutes: settings.scheduler.grace_minutes,
            },
        );
        Ok(Application {
            settings,
            store,
            engine,
            metrics,
        })
    }
}
