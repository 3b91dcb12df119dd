//! Each accepted connection is held to two limits poem does not set itself:
//! - a cap on open connections: the listener accepts a new one only while fewer than the cap are
//!   open; beyond it, clients wait in the kernel's backlog instead of each holding a task and
//!   buffers here;
//! - a header deadline: once a request's first byte has arrived, its head (request line and
//!   headers, up to the blank line) must be complete within the deadline, or the connection is
//!   closed. A client that stops halfway through its headers, or trickles them a byte at a time,
//!   cannot hold its place. The body has its own timeout (`api::body_limit`);
//! - an idle timeout: a connection waiting for its next request (or an HTTP/2 connection) that
//!   sends and receives nothing for that long is closed.
//!
//! Both deadlines share one timer per connection, moved only when it fires before the deadline
//! now due (poem's own idle timeout wakes a watcher task on every read and write, which costs
//! more than a cached read itself).
//!
//! The head's end is seen in the bytes read (`\r\n\r\n`). A connection that opens with HTTP/2's
//! preface (`PRI * HTTP/2.0`) has no such heads: the deadline never applies to it (its requests
//! are frames on a long-lived connection, and poem's idle timeout and the body timeout hold).
use std::{
    io,
    pin::Pin,
    sync::Arc,
    task::{Context, Poll},
    time::Duration,
};

use poem::{
    http::uri::Scheme,
    listener::Acceptor,
    web::{LocalAddr, RemoteAddr},
};
use tokio::{
    io::{AsyncRead, AsyncWrite, ReadBuf},
    sync::{OwnedSemaphorePermit, Semaphore},
    time::{Instant, Sleep},
};

/// Accepts through `inner` at most `max` connections at a time, each with a header deadline.
pub struct Capped<A> {
    inner: A,
    places: Arc<Semaphore>,
    header_timeout: Duration,
    idle_timeout: Duration,
}

impl<A> Capped<A> {
    pub fn new(inner: A, max: usize, header_timeout: Duration, idle_timeout: Duration) -> Self {
        Self { inner, places: Arc::new(Semaphore::new(max.max(1))), header_timeout, idle_timeout }
    }
}

impl<A: Acceptor> Acceptor for Capped<A> {
    type Io = Placed<A::Io>;

    fn local_addr(&self) -> Vec<LocalAddr> {
        self.inner.local_addr()
    }

    async fn accept(&mut self) -> io::Result<(Self::Io, LocalAddr, RemoteAddr, Scheme)> {
        let place = self.places.clone().acquire_owned().await.map_err(io::Error::other)?;
        let (io, local, remote, scheme) = self.inner.accept().await?;
        let placed = Placed {
            io,
            _place: place,
            header_timeout: self.header_timeout,
            idle_timeout: self.idle_timeout,
            head: Head::Awaiting,
            tail: [0; 3],
            read_any: false,
            head_started: Instant::now(),
            last_active: Instant::now(),
            deadline: Box::pin(tokio::time::sleep(self.header_timeout.min(self.idle_timeout))),
        };
        Ok((placed, local, remote, scheme))
    }
}

/// Where the connection stands with respect to a request's head.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Head {
    /// No byte of the next request yet.
    Awaiting,
    /// Part of a head has arrived; the deadline runs.
    Reading,
    /// The head is complete; the request is the application's (until the answer is written).
    Done,
    /// An HTTP/2 connection: no heads to time.
    Http2,
}

/// A connection holding its place under the cap until it is dropped.
pub struct Placed<T> {
    io: T,
    _place: OwnedSemaphorePermit,
    header_timeout: Duration,
    idle_timeout: Duration,
    head: Head,
    /// The last bytes read, to find `\r\n\r\n` across reads.
    tail: [u8; 3],
    /// Whether any byte has been read yet (the first ones tell HTTP/2 apart).
    read_any: bool,
    /// When the head being read began.
    head_started: Instant,
    /// When a byte was last read or written.
    last_active: Instant,
    /// Never later than the deadline due (the head's, or the idle one): re-armed only when it
    /// fires early or is due sooner (a timer is not moved for every request).
    deadline: Pin<Box<Sleep>>,
}

impl<T> Placed<T> {
    /// Follows the head through the bytes just read.
    fn saw(&mut self, bytes: &[u8]) {
        if bytes.is_empty() {
            return;
        }
        if !std::mem::replace(&mut self.read_any, true) && bytes.starts_with(b"PRI ") {
            self.head = Head::Http2;
        }
        if matches!(self.head, Head::Done | Head::Http2) {
            return;
        }
        if self.head == Head::Awaiting {
            self.head = Head::Reading;
            self.head_started = Instant::now();
        }
        // No allocation on this path (every read of every connection): the blank line is looked
        // for across the seam with the last read, then within this one.
        const BLANK: &[u8] = b"\r\n\r\n";
        // A request without a body usually ends its read with the blank line: no scan then.
        if bytes.ends_with(BLANK) {
            self.head = Head::Done;
            self.tail.copy_from_slice(&bytes[bytes.len() - 3..]);
            return;
        }
        let mut seam = [0u8; 6];
        let head_of_bytes = bytes.len().min(3);
        seam[..3].copy_from_slice(&self.tail);
        seam[3..3 + head_of_bytes].copy_from_slice(&bytes[..head_of_bytes]);
        if seam[..3 + head_of_bytes].windows(4).any(|w| w == BLANK) || bytes.windows(4).any(|w| w == BLANK) {
            self.head = Head::Done;
        }
        if bytes.len() >= 3 {
            self.tail.copy_from_slice(&bytes[bytes.len() - 3..]);
        } else {
            self.tail.rotate_left(bytes.len());
            self.tail[3 - bytes.len()..].copy_from_slice(bytes);
        }
    }
}

impl<T> Placed<T> {
    /// Waits for the deadline due, if one is: an error once it has passed, else pending (with the
    /// timer re-armed when it was set for another one).
    fn poll_deadline(&mut self, cx: &mut Context<'_>) -> Poll<io::Result<()>> {
        let (due, what) = match self.head {
            Head::Reading => (self.head_started + self.header_timeout, "request head not complete in time"),
            Head::Awaiting | Head::Http2 => (self.last_active + self.idle_timeout, "connection idle"),
            // The application has the request; the body has its own timeout.
            Head::Done => return Poll::Pending,
        };
        if self.deadline.deadline() > due {
            self.deadline.as_mut().reset(due);
        }
        while self.deadline.as_mut().poll(cx).is_ready() {
            if Instant::now() >= due {
                return Poll::Ready(Err(io::Error::new(io::ErrorKind::TimedOut, what)));
            }
            self.deadline.as_mut().reset(due);
        }
        Poll::Pending
    }
}

impl<T: AsyncRead + Unpin> AsyncRead for Placed<T> {
    fn poll_read(mut self: Pin<&mut Self>, cx: &mut Context<'_>, buf: &mut ReadBuf<'_>) -> Poll<io::Result<()>> {
        let before = buf.filled().len();
        match Pin::new(&mut self.io).poll_read(cx, buf) {
            Poll::Ready(Ok(())) => {
                if buf.filled().len() > before {
                    self.last_active = Instant::now();
                }
                self.saw(&buf.filled()[before..]);
                Poll::Ready(Ok(()))
            }
            Poll::Pending => self.poll_deadline(cx),
            other => other,
        }
    }
}

impl<T> Placed<T> {
    /// Follows what was just written.
    fn wrote(&mut self, written: &Poll<io::Result<usize>>) {
        if matches!(written, Poll::Ready(Ok(n)) if *n > 0) {
            self.last_active = Instant::now();
            if self.head == Head::Done {
                // An answer is going out: the next byte read starts the next request's head.
                self.head = Head::Awaiting;
                self.tail = [0; 3];
            }
        }
    }
}

impl<T: AsyncWrite + Unpin> AsyncWrite for Placed<T> {
    fn poll_write(mut self: Pin<&mut Self>, cx: &mut Context<'_>, buf: &[u8]) -> Poll<io::Result<usize>> {
        let written = Pin::new(&mut self.io).poll_write(cx, buf);
        self.wrote(&written);
        written
    }

    /// Passed through, so that the server writes head and body with one `writev` instead of
    /// copying the body after the head.
    fn poll_write_vectored(
        mut self: Pin<&mut Self>,
        cx: &mut Context<'_>,
        bufs: &[io::IoSlice<'_>],
    ) -> Poll<io::Result<usize>> {
        let written = Pin::new(&mut self.io).poll_write_vectored(cx, bufs);
        self.wrote(&written);
        written
    }

    fn is_write_vectored(&self) -> bool {
        self.io.is_write_vectored()
    }

    fn poll_flush(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<io::Result<()>> {
        Pin::new(&mut self.io).poll_flush(cx)
    }

    fn poll_shutdown(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<io::Result<()>> {
        Pin::new(&mut self.io).poll_shutdown(cx)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn placed() -> Placed<tokio::io::Empty> {
        Placed {
            io: tokio::io::empty(),
            _place: Arc::new(Semaphore::new(1)).try_acquire_owned().expect("a place"),
            header_timeout: Duration::from_secs(1),
            idle_timeout: Duration::from_secs(2),
            head: Head::Awaiting,
            tail: [0; 3],
            read_any: false,
            head_started: Instant::now(),
            last_active: Instant::now(),
            deadline: Box::pin(tokio::time::sleep(Duration::from_secs(1))),
        }
    }

    #[tokio::test]
    async fn an_http2_connection_has_no_head_deadline() {
        let mut connection = placed();
        connection.saw(b"PRI * HTTP/2.0\r\n\r\nSM\r\n\r\n");
        assert_eq!(connection.head, Head::Http2);
        connection.saw(b"\x00\x00\x12\x01frames");
        assert_eq!(connection.head, Head::Http2);
    }

    #[tokio::test]
    async fn the_head_ends_at_the_blank_line_even_across_reads() {
        let mut connection = placed();
        connection.saw(b"GET / HTTP/1.1\r\nHost: x\r");
        assert_eq!(connection.head, Head::Reading);
        connection.saw(b"\n\r");
        assert_eq!(connection.head, Head::Reading);
        connection.saw(b"\n");
        assert_eq!(connection.head, Head::Done);
        connection.saw(b"body bytes");
        assert_eq!(connection.head, Head::Done, "a body does not restart the deadline");
    }
}
