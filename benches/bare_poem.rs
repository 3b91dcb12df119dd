//! The reference for the cached-read benchmark: a bare poem server answering every request with
//! the same bytes (a plan saved from Sous), no routing, no cache, no logging.
//!
//! `bare_poem <file> <addr>`; run by `benches/cached_read.sh`.
use poem::{Response, Server, handler, listener::TcpListener};

#[handler]
fn plan(body: poem::web::Data<&bytes::Bytes>) -> Response {
    Response::builder().content_type("application/json; charset=utf-8").body(body.0.clone())
}

#[tokio::main]
async fn main() -> std::io::Result<()> {
    let args: Vec<String> = std::env::args().collect();
    // `cargo bench` runs every bench with `--bench`; this one only serves when given a file.
    let (Some(file), Some(addr)) = (args.get(1).filter(|a| !a.starts_with('-')), args.get(2)) else {
        println!("bare_poem: reference server for benches/cached_read.sh (usage: bare_poem <file> <addr>)");
        return Ok(());
    };
    let body = bytes::Bytes::from(std::fs::read(file)?);
    use poem::EndpointExt;
    Server::new(TcpListener::bind(addr.clone())).run(plan.data(body)).await
}
