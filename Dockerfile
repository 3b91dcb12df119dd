# Build: docker build -t sous .   Run: docker run -p 8080:8080 sous serve --demo
FROM rust:1.95-bookworm AS build
WORKDIR /src
COPY . .
RUN cargo build --release --locked --bin sous

FROM debian:bookworm-slim
RUN apt-get update && apt-get install -y --no-install-recommends ca-certificates tzdata \
    && rm -rf /var/lib/apt/lists/* && useradd --system --create-home sous
USER sous
WORKDIR /home/sous
COPY --from=build /src/target/release/sous /usr/local/bin/sous
ENV SOUS_ADDR=0.0.0.0:8080
EXPOSE 8080
ENTRYPOINT ["sous"]
CMD ["serve"]
