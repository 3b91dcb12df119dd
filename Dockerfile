# Sous: the service in a container.
#
# Build:
#   docker build -t sous .
# Run (embedded SQLite demo with a year of synthetic history, no model needed):
#   docker run --rm -p 8080:8080 sous serve --demo
# Run against PostgreSQL (migrations run at start):
#   docker run --rm -p 8080:8080 -e DATABASE_URL=postgres://sous:PASSWORD@HOST:5432/sous sous
# Or the whole stack (PostgreSQL + Sous): docker compose up --build   (see compose.yaml)
#
# Two stages: `build` compiles a release binary with the Rust toolchain; the runtime stage is
# a slim Debian with the binary, CA certificates (for the model endpoint over TLS), tzdata and
# curl (for HEALTHCHECK), running as an unprivileged user.
#
# Dependency caching without extra tools: the manifests and lock file are copied first, with
# empty stand-ins for every crate root and bench target, and built once. That layer (all of
# the dependencies, compiled) is reused until Cargo.toml or Cargo.lock changes; an edit to the
# sources only rebuilds the workspace's own crates.

FROM rust:1.95-bookworm AS build
WORKDIR /src

# 1. Dependencies only: manifests, lock file and stub sources.
COPY Cargo.toml Cargo.lock ./
COPY entity/Cargo.toml entity/Cargo.toml
COPY migration/Cargo.toml migration/Cargo.toml
RUN mkdir -p src entity/src migration/src benches \
    && echo 'fn main() {}' > src/main.rs \
    && touch src/lib.rs entity/src/lib.rs migration/src/lib.rs \
    && for bench in pipeline redaction cache_memory bare_poem; do \
         echo 'fn main() {}' > "benches/${bench}.rs"; \
       done \
    && cargo build --release --locked --bin sous

# 2. The real sources. prompts/ is embedded in the binary (include_str!), so it is part of
#    the build. COPY keeps the files' own modification times, which may be older than the
#    stubs' build: touch the crate roots so cargo rebuilds the workspace's crates.
COPY src src
COPY entity entity
COPY migration migration
COPY prompts prompts
RUN touch src/main.rs src/lib.rs entity/src/lib.rs migration/src/lib.rs \
    && cargo build --release --locked --bin sous \
    && strip target/release/sous

FROM debian:bookworm-slim AS runtime

# DL3008 (pin apt versions) is accepted in .hadolint.yaml: bookworm-slim's security updates
# are what we want in these three packages.
RUN apt-get update \
    && apt-get install -y --no-install-recommends ca-certificates tzdata curl \
    && rm -rf /var/lib/apt/lists/* \
    && groupadd --system --gid 10001 sous \
    && useradd --system --no-log-init --uid 10001 --gid sous --create-home --home-dir /home/sous \
         --shell /usr/sbin/nologin sous

COPY --from=build /src/target/release/sous /usr/local/bin/sous

USER 10001:10001
# `serve --demo` writes sous-demo.db into the working directory.
WORKDIR /home/sous

ENV SOUS_ADDR=0.0.0.0:8080
EXPOSE 8080

# /healthz answers while the process runs (/readyz also needs the database).
HEALTHCHECK --interval=30s --timeout=3s --start-period=30s --retries=3 \
    CMD ["curl", "-fsS", "-o", "/dev/null", "http://127.0.0.1:8080/healthz"]

ENTRYPOINT ["sous"]
CMD ["serve"]
