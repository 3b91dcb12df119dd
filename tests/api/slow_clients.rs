//! Slow and numerous clients: a connection that sends nothing is closed after the idle timeout,
//! one that stops halfway through its headers (or trickles them) after the header timeout, a
//! body trickled slower than the body timeout gets 408, and connections beyond the cap wait to
//! be accepted. Real sockets, short limits.
use std::{
    io::{ErrorKind, Read, Write},
    net::TcpStream,
    time::Duration,
};

use sous::{config::HttpSettings, startup::Application};

use crate::helpers::TestDatabase;

/// A server on a fresh database with these limits; returns its address.
async fn serve(http: HttpSettings) -> (String, TestDatabase) {
    let database = TestDatabase::create().await;
    let app = Application::build("127.0.0.1:0", database.connect().await)
        .await
        .expect("bind")
        .with_http(http)
        .with_auth(&crate::helpers::auth_settings())
        .expect("the test key");
    let addr = app.addr().to_string();
    tokio::spawn(app.run_until_stopped());
    (addr, database)
}

/// What the server sent before closing or going quiet for `wait`.
fn read_for(stream: &mut TcpStream, wait: Duration) -> (String, bool) {
    stream.set_read_timeout(Some(wait)).expect("a read timeout");
    let mut seen = Vec::new();
    let mut buf = [0u8; 4096];
    loop {
        match stream.read(&mut buf) {
            Ok(0) => return (String::from_utf8_lossy(&seen).into_owned(), true),
            Ok(n) => seen.extend_from_slice(&buf[..n]),
            Err(e) if matches!(e.kind(), ErrorKind::WouldBlock | ErrorKind::TimedOut) => {
                return (String::from_utf8_lossy(&seen).into_owned(), false);
            }
            Err(_) => return (String::from_utf8_lossy(&seen).into_owned(), true),
        }
    }
}

#[tokio::test]
async fn a_connection_that_sends_nothing_is_closed_after_the_idle_timeout() {
    let limits = HttpSettings { idle_timeout: Duration::from_secs(1), ..HttpSettings::default() };
    let (addr, _database) = serve(limits).await;
    let closed = tokio::task::spawn_blocking(move || {
        let mut stream = TcpStream::connect(&addr).expect("connect");
        read_for(&mut stream, Duration::from_secs(20)).1
    })
    .await
    .expect("the client");
    assert!(closed, "the idle connection was still open after 20 s");
}

#[tokio::test]
async fn a_connection_that_stops_or_trickles_halfway_through_its_headers_is_closed() {
    let limits = HttpSettings {
        header_timeout: Duration::from_secs(1),
        idle_timeout: Duration::from_secs(60),
        ..HttpSettings::default()
    };
    let (addr, _database) = serve(limits).await;
    let (stopped, trickled, whole) = tokio::task::spawn_blocking(move || {
        let mut stopped = TcpStream::connect(&addr).expect("connect");
        stopped.write_all(b"GET /healthz HTTP/1.1\r\nHost: sous\r\n").expect("half the headers");
        let mut trickled = TcpStream::connect(&addr).expect("connect");
        trickled.write_all(b"GET /healthz HTTP/1.1\r\n").expect("the request line");
        // A header byte every 300 ms: never idle, never done.
        for _ in 0..10 {
            std::thread::sleep(Duration::from_millis(300));
            if trickled.write_all(b"X").is_err() {
                break;
            }
        }
        // A whole request is answered as usual, and the connection lives on for the next one.
        let mut whole = TcpStream::connect(&addr).expect("connect");
        whole.write_all(b"GET /healthz HTTP/1.1\r\nHost: sous\r\n\r\n").expect("a request");
        let (answer, _) = read_for(&mut whole, Duration::from_millis(1500));
        (read_for(&mut stopped, Duration::from_secs(20)).1, read_for(&mut trickled, Duration::from_secs(20)).1, answer)
    })
    .await
    .expect("the client");
    assert!(stopped, "a connection halfway through its headers was still open");
    assert!(trickled, "a connection trickling its headers was still open");
    assert!(whole.starts_with("HTTP/1.1 200"), "{whole}");
}

#[tokio::test]
async fn a_body_trickled_slower_than_the_body_timeout_gets_408() {
    let limits = HttpSettings { body_timeout: Duration::from_secs(1), ..HttpSettings::default() };
    let (addr, _database) = serve(limits).await;
    let answer = tokio::task::spawn_blocking(move || {
        let mut stream = TcpStream::connect(&addr).expect("connect");
        // An ingest route with an idempotency key: the body is read once, within its time, before
        // the key's handling looks at it.
        let token = crate::helpers::token(1, sous::domain::Role::Owner, None);
        let head = format!(
            "POST /api/v1/locations/1/on-hand HTTP/1.1\r\nHost: sous\r\nAuthorization: Bearer {token}\r\nIdempotency-Key: slow-1\r\nContent-Type: application/json\r\nContent-Length: 64\r\n\r\n"
        );
        stream.write_all(head.as_bytes()).expect("the headers");
        // One byte every 300 ms: never idle, never done.
        for _ in 0..20 {
            if stream.write_all(b" ").is_err() {
                break;
            }
            std::thread::sleep(Duration::from_millis(300));
            stream.set_nonblocking(true).expect("non-blocking");
            let mut peek = [0u8; 1];
            let answered = stream.peek(&mut peek).is_ok_and(|n| n > 0);
            stream.set_nonblocking(false).expect("blocking");
            if answered {
                break;
            }
        }
        read_for(&mut stream, Duration::from_secs(10)).0
    })
    .await
    .expect("the client");
    assert!(answer.starts_with("HTTP/1.1 408"), "{answer}");
    assert!(answer.contains("request_timeout"), "{answer}");
}

#[tokio::test]
async fn connections_beyond_the_cap_wait_until_one_closes() {
    let limits = HttpSettings { max_connections: 2, ..HttpSettings::default() };
    let (addr, _database) = serve(limits).await;
    tokio::task::spawn_blocking(move || {
        let first = TcpStream::connect(&addr).expect("first");
        let _second = TcpStream::connect(&addr).expect("second");
        std::thread::sleep(Duration::from_millis(200));
        let mut third = TcpStream::connect(&addr).expect("third: the kernel queues it");
        third.write_all(b"GET /healthz HTTP/1.1\r\nHost: sous\r\nConnection: close\r\n\r\n").expect("a request");
        let (early, _) = read_for(&mut third, Duration::from_millis(700));
        assert!(early.is_empty(), "answered beyond the cap: {early}");
        drop(first);
        let (late, _) = read_for(&mut third, Duration::from_secs(10));
        assert!(late.starts_with("HTTP/1.1 200"), "not answered once a place was free: {late:?}");
    })
    .await
    .expect("the client");
}
