# nocontact: multi-stage build. Dependencies are compiled in their own cached layer
# (cargo-chef), the runtime image is slim and runs as a non-root user.

FROM rust:1.95-slim-bookworm AS chef
RUN cargo install cargo-chef --locked --version 0.1.78
WORKDIR /app

FROM chef AS planner
COPY . .
RUN cargo chef prepare --recipe-path recipe.json

FROM chef AS builder
COPY --from=planner /app/recipe.json recipe.json
RUN cargo chef cook --release --locked --recipe-path recipe.json
COPY . .
RUN cargo build --release --locked --bin nocontact

FROM debian:bookworm-slim AS runtime
# curl serves the HEALTHCHECK; ca-certificates lets the bot reach api.telegram.org.
# hadolint ignore=DL3008
RUN apt-get update \
    && apt-get install -y --no-install-recommends ca-certificates curl \
    && rm -rf /var/lib/apt/lists/* \
    && useradd --system --uid 10001 --home-dir /app --shell /usr/sbin/nologin nocontact \
    && mkdir -p /data \
    && chown nocontact /data
WORKDIR /app
COPY --from=builder /app/target/release/nocontact /usr/local/bin/nocontact
COPY config ./config
ENV NOCONTACT__DATABASE__SQLITE_PATH=/data/nocontact.db \
    RUST_LOG=warn,nocontact=info
VOLUME ["/data"]
USER 10001
EXPOSE 8080
HEALTHCHECK --interval=30s --timeout=3s --start-period=10s --retries=3 \
    CMD ["curl", "-fsS", "http://127.0.0.1:8080/healthz"]
ENTRYPOINT ["nocontact"]
CMD ["run"]
