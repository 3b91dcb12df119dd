//! A scripted OpenAI-compatible chat-completions server on loopback, for tests and benches.
//! It is a real HTTP/1.1 server on a real socket, so Sous's client, retries and timeouts are
//! exercised exactly as against a real endpoint. Replies are played in order; when the script
//! runs out, the last reply repeats.
#![allow(dead_code, reason = "included by the API tests and by a bench, each of which uses part of it")]

use std::{
    sync::{Arc, Mutex},
    time::Duration,
};

use serde_json::{Value, json};
use tokio::{
    io::{AsyncReadExt, AsyncWriteExt},
    net::{TcpListener, TcpStream},
};

/// What the server does with one request.
#[derive(Debug, Clone)]
pub enum Reply {
    /// An HTTP answer with this status, extra headers and JSON body.
    Http { status: u16, headers: Vec<(String, String)>, body: Value },
    /// Reads the request and never answers (until the client gives up).
    Hang,
    /// Reads the request and closes the connection without answering.
    Reset,
}

impl Reply {
    /// A chat completion whose first choice says `content`.
    pub fn content(content: impl Into<String>) -> Self {
        Self::completion(json!({"role": "assistant", "content": content.into()}), "stop", 120, 80)
    }

    /// A chat completion with the given message, finish reason and token usage.
    pub fn completion(message: Value, finish_reason: &str, prompt_tokens: u64, completion_tokens: u64) -> Self {
        Self::Http {
            status: 200,
            headers: vec![],
            body: json!({
                "id": "chatcmpl-test",
                "object": "chat.completion",
                "created": 1_760_000_000,
                "model": "fake-model",
                "choices": [{"index": 0, "message": message, "finish_reason": finish_reason}],
                "usage": {"prompt_tokens": prompt_tokens, "completion_tokens": completion_tokens,
                          "total_tokens": prompt_tokens + completion_tokens}
            }),
        }
    }

    /// A JSON answer (an answer whose JSON is this value).
    pub fn json(answer: &Value) -> Self {
        Self::content(answer.to_string())
    }

    /// An error status with OpenAI's error envelope.
    pub fn status(status: u16, message: &str) -> Self {
        Self::Http {
            status,
            headers: vec![],
            body: json!({"error": {"message": message, "type": "test_error", "param": null, "code": null}}),
        }
    }

    pub fn with_header(self, name: &str, value: &str) -> Self {
        match self {
            Self::Http { status, mut headers, body } => {
                headers.push((name.to_owned(), value.to_owned()));
                Self::Http { status, headers, body }
            }
            other => other,
        }
    }
}

#[derive(Default)]
struct State {
    script: Vec<Reply>,
    requests: Vec<Value>,
    authorization: Vec<Option<String>>,
}

pub struct FakeLlm {
    /// Base URL to configure Sous with (ends in `/v1`).
    pub base_url: String,
    state: Arc<Mutex<State>>,
    task: tokio::task::JoinHandle<()>,
}

impl Drop for FakeLlm {
    fn drop(&mut self) {
        self.task.abort();
    }
}

impl FakeLlm {
    pub async fn start(script: Vec<Reply>) -> Self {
        let listener = TcpListener::bind("127.0.0.1:0").await.expect("bind the fake model");
        let addr = listener.local_addr().expect("fake model address");
        let state = Arc::new(Mutex::new(State { script, ..State::default() }));
        let shared = state.clone();
        let task = tokio::spawn(async move {
            loop {
                let Ok((stream, _)) = listener.accept().await else { return };
                let state = shared.clone();
                let _ = stream.set_nodelay(true);
                tokio::spawn(async move { serve(stream, state).await });
            }
        });
        Self { base_url: format!("http://{addr}/v1"), state, task }
    }

    /// Requests received so far.
    pub fn calls(&self) -> usize {
        self.state.lock().unwrap().requests.len()
    }

    /// The JSON bodies received, in order.
    pub fn requests(&self) -> Vec<Value> {
        self.state.lock().unwrap().requests.clone()
    }

    /// The `Authorization` header of each request.
    pub fn authorizations(&self) -> Vec<Option<String>> {
        self.state.lock().unwrap().authorization.clone()
    }
}

async fn serve(mut stream: TcpStream, state: Arc<Mutex<State>>) {
    // HTTP/1.1 with keep-alive: answer requests on this connection until it closes.
    let mut buffer = Vec::new();
    loop {
        let Some((head_len, content_length, auth)) = read_head(&mut stream, &mut buffer).await else { return };
        while buffer.len() < head_len + content_length {
            let mut chunk = [0u8; 8192];
            match stream.read(&mut chunk).await {
                Ok(0) | Err(_) => return,
                Ok(n) => buffer.extend_from_slice(&chunk[..n]),
            }
        }
        let body: Value = serde_json::from_slice(&buffer[head_len..head_len + content_length]).unwrap_or(Value::Null);
        buffer.drain(..head_len + content_length);
        let reply = {
            let mut state = state.lock().unwrap();
            let index = state.requests.len();
            state.requests.push(body);
            state.authorization.push(auth);
            state.script.get(index).or(state.script.last()).cloned().unwrap_or_else(|| Reply::status(500, "no script"))
        };
        match reply {
            Reply::Hang => {
                tokio::time::sleep(Duration::from_secs(3600)).await;
                return;
            }
            Reply::Reset => return,
            Reply::Http { status, headers, body } => {
                let body = body.to_string();
                let mut head = format!(
                    "HTTP/1.1 {status} {}\r\ncontent-type: application/json\r\ncontent-length: {}\r\n",
                    if status < 400 { "OK" } else { "Error" },
                    body.len()
                );
                for (name, value) in headers {
                    head.push_str(&format!("{name}: {value}\r\n"));
                }
                head.push_str("\r\n");
                // One write: a head and a body sent apart meet Nagle's algorithm and the peer's
                // delayed ACK, and every answer would take 40 ms.
                head.push_str(&body);
                if stream.write_all(head.as_bytes()).await.is_err() {
                    return;
                }
            }
        }
    }
}

/// Reads up to the end of the request head: `(head length, content length, authorization)`.
async fn read_head(stream: &mut TcpStream, buffer: &mut Vec<u8>) -> Option<(usize, usize, Option<String>)> {
    loop {
        if let Some(end) = buffer.windows(4).position(|w| w == b"\r\n\r\n") {
            let head = String::from_utf8_lossy(&buffer[..end]).to_string();
            let header = |name: &str| {
                head.lines().find_map(|line| {
                    let (key, value) = line.split_once(':')?;
                    key.trim().eq_ignore_ascii_case(name).then(|| value.trim().to_owned())
                })
            };
            let content_length = header("content-length").and_then(|v| v.parse().ok()).unwrap_or(0);
            return Some((end + 4, content_length, header("authorization")));
        }
        let mut chunk = [0u8; 8192];
        match stream.read(&mut chunk).await {
            Ok(0) | Err(_) => return None,
            Ok(n) => buffer.extend_from_slice(&chunk[..n]),
        }
    }
}
