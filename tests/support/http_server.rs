//! A scripted HTTP/1.1 server on a loopback address for the API client's tests.
//!
//! Each request takes the first unused scripted reply whose target filter matches (no filter
//! matches anything), so a plain script is served in order while concurrent requests can still
//! be told apart by target. Every request is recorded (method, target, headers) for assertions.
//! Replies are written as raw bytes, so a test can send what a real server must never send: a
//! lying `Content-Length`, a body that stalls, a body that drips.

use std::fmt::Write as _;
use std::net::SocketAddr;
use std::sync::{Arc, Mutex, PoisonError};
use std::time::{Duration, Instant};

use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::{TcpListener, TcpStream};
use tokio::sync::watch;
use tokio::task::{JoinHandle, JoinSet};

/// How long a reply waits for the request it is gated on before giving up with a 599.
const GATE_TIMEOUT: Duration = Duration::from_secs(5);

#[derive(Debug, Clone)]
pub struct Recorded {
    pub method: String,
    /// Path and query exactly as sent.
    pub target: String,
    pub headers: Vec<(String, String)>,
    pub at: Instant,
}

impl Recorded {
    /// The value of a header, by case-insensitive name.
    pub fn header(&self, name: &str) -> Option<&str> {
        self.headers.iter().find(|(key, _)| key.eq_ignore_ascii_case(name)).map(|(_, value)| value.as_str())
    }
}

#[derive(Debug, Clone)]
enum Tail {
    /// Write the body, then close.
    Close,
    /// Write the body, then keep the connection open and silent.
    Stall,
    /// Write the body `chunk` bytes at a time, one chunk per `every`.
    Drip { chunk: usize, every: Duration },
}

#[derive(Debug, Clone, Copy)]
enum Length {
    /// The body's real length.
    Actual,
    Declared(usize),
    /// No `Content-Length`: the body ends when the connection closes.
    Absent,
}

#[derive(Debug, Clone)]
pub struct Reply {
    status: String,
    headers: Vec<(String, String)>,
    body: Vec<u8>,
    length: Length,
    tail: Tail,
    target: Option<String>,
    gate: Option<String>,
}

impl Reply {
    pub fn new(status: u16, reason: &str) -> Self {
        Self {
            status: format!("{status} {reason}"),
            headers: vec![("Connection".into(), "close".into())],
            body: Vec::new(),
            length: Length::Actual,
            tail: Tail::Close,
            target: None,
            gate: None,
        }
    }

    pub fn json(status: u16, reason: &str, body: &str) -> Self {
        Self::new(status, reason).header("Content-Type", "application/json").body(body)
    }

    pub fn header(mut self, name: &str, value: &str) -> Self {
        self.headers.push((name.into(), value.into()));
        self
    }

    pub fn body(mut self, body: impl Into<Vec<u8>>) -> Self {
        self.body = body.into();
        self
    }

    /// Gzips the body and says so.
    pub fn gzip(self) -> Self {
        let body = gzip_stored(&self.body);
        self.header("Content-Encoding", "gzip").body(body)
    }

    /// Declares this `Content-Length` whatever the body's real length.
    pub fn content_length(mut self, length: usize) -> Self {
        self.length = Length::Declared(length);
        self
    }

    /// Sends no `Content-Length`: the body ends when the connection closes.
    pub fn no_length(mut self) -> Self {
        self.length = Length::Absent;
        self
    }

    pub fn then_stall(mut self) -> Self {
        self.tail = Tail::Stall;
        self
    }

    pub fn drip(mut self, chunk: usize, every: Duration) -> Self {
        self.tail = Tail::Drip { chunk, every };
        self
    }

    /// Serves this reply only to a request for exactly this target (path and query).
    pub fn for_target(mut self, target: &str) -> Self {
        self.target = Some(target.into());
        self
    }

    /// Holds this reply back until a request for `target` has arrived too, which proves that
    /// two requests are in flight together.
    pub fn after_target(mut self, target: &str) -> Self {
        self.gate = Some(target.into());
        self
    }

    fn head(&self) -> Vec<u8> {
        let mut head = format!("HTTP/1.1 {}\r\n", self.status);
        for (name, value) in &self.headers {
            let _ = write!(head, "{name}: {value}\r\n");
        }
        match self.length {
            Length::Actual => _ = write!(head, "Content-Length: {}\r\n", self.body.len()),
            Length::Declared(length) => _ = write!(head, "Content-Length: {length}\r\n"),
            Length::Absent => {}
        }
        head.push_str("\r\n");
        head.into_bytes()
    }
}

struct Shared {
    script: Mutex<Vec<Option<Reply>>>,
    requests: Mutex<Vec<Recorded>>,
    count: watch::Sender<usize>,
}

pub struct TestServer {
    pub addr: SocketAddr,
    shared: Arc<Shared>,
    task: JoinHandle<()>,
}

impl TestServer {
    /// Serves `script` on 127.0.0.1.
    pub async fn start(script: Vec<Reply>) -> Self {
        Self::start_on("127.0.0.1:0", script).await
    }

    pub async fn start_on(bind: &str, script: Vec<Reply>) -> Self {
        let listener = TcpListener::bind(bind).await.expect("bind the test server");
        let addr = listener.local_addr().expect("test server address");
        let shared = Arc::new(Shared {
            script: Mutex::new(script.into_iter().map(Some).collect()),
            requests: Mutex::new(Vec::new()),
            count: watch::Sender::new(0),
        });
        let task = tokio::spawn(accept_loop(listener, Arc::clone(&shared)));
        Self { addr, shared, task }
    }

    /// `http://addr`, for a base URL.
    pub fn url(&self) -> String {
        format!("http://{}", self.addr)
    }

    pub fn requests(&self) -> Vec<Recorded> {
        self.shared.requests.lock().unwrap_or_else(PoisonError::into_inner).clone()
    }

    /// Waits until at least `n` requests have arrived, or panics after `timeout`.
    pub async fn wait_for_requests(&self, n: usize, timeout: Duration) -> Vec<Recorded> {
        let mut count = self.shared.count.subscribe();
        tokio::time::timeout(timeout, count.wait_for(|seen| *seen >= n))
            .await
            .unwrap_or_else(|_| panic!("expected {n} requests within {timeout:?}, got {:?}", self.requests()))
            .expect("server alive");
        self.requests()
    }
}

impl Drop for TestServer {
    fn drop(&mut self) {
        self.task.abort();
    }
}

async fn accept_loop(listener: TcpListener, shared: Arc<Shared>) {
    // Dropped with this task, which aborts every connection still stalling.
    let mut connections = JoinSet::new();
    while let Ok((stream, _)) = listener.accept().await {
        connections.spawn(serve(stream, Arc::clone(&shared)));
    }
}

async fn serve(mut stream: TcpStream, shared: Arc<Shared>) {
    let Some(request) = read_request(&mut stream).await else { return };
    let target = request.target.clone();
    shared.requests.lock().unwrap_or_else(PoisonError::into_inner).push(request);
    shared.count.send_modify(|count| *count += 1);
    let reply = {
        let mut script = shared.script.lock().unwrap_or_else(PoisonError::into_inner);
        script
            .iter_mut()
            .find(|slot| slot.as_ref().is_some_and(|reply| reply.target.as_ref().is_none_or(|t| *t == target)))
            .and_then(Option::take)
    };
    let mut reply = reply.unwrap_or_else(|| Reply::new(599, "Unscripted").body(format!("no reply for {target}")));
    if let Some(gate) = reply.gate.take() {
        let mut count = shared.count.subscribe();
        let seen =
            |_: &usize| shared.requests.lock().unwrap_or_else(PoisonError::into_inner).iter().any(|r| r.target == gate);
        if tokio::time::timeout(GATE_TIMEOUT, count.wait_for(seen)).await.is_err() {
            reply = Reply::new(599, "Gate Timeout").body(format!("{gate} never arrived"));
        }
    }
    let _ = write_reply(&mut stream, &reply).await;
    if matches!(reply.tail, Tail::Stall) {
        std::future::pending::<()>().await;
    }
    let _ = stream.shutdown().await;
}

async fn write_reply(stream: &mut TcpStream, reply: &Reply) -> std::io::Result<()> {
    stream.write_all(&reply.head()).await?;
    match reply.tail {
        Tail::Close | Tail::Stall => stream.write_all(&reply.body).await?,
        Tail::Drip { chunk, every } => {
            let mut ticks = tokio::time::interval(every);
            for piece in reply.body.chunks(chunk) {
                ticks.tick().await;
                stream.write_all(piece).await?;
                stream.flush().await?;
            }
        }
    }
    stream.flush().await
}

async fn read_request(stream: &mut TcpStream) -> Option<Recorded> {
    let mut buffer = Vec::new();
    let mut chunk = [0_u8; 4096];
    let end = loop {
        let n = stream.read(&mut chunk).await.ok()?;
        if n == 0 {
            return None;
        }
        buffer.extend_from_slice(&chunk[..n]);
        if let Some(end) = buffer.windows(4).position(|w| w == b"\r\n\r\n") {
            break end;
        }
        if buffer.len() > 64 * 1024 {
            return None;
        }
    };
    let head = String::from_utf8_lossy(&buffer[..end]).into_owned();
    let mut lines = head.split("\r\n");
    let mut request_line = lines.next()?.split(' ');
    let method = request_line.next()?.to_owned();
    let target = request_line.next()?.to_owned();
    let headers = lines
        .filter_map(|line| line.split_once(':'))
        .map(|(name, value)| (name.trim().to_ascii_lowercase(), value.trim().to_owned()))
        .collect();
    Some(Recorded { method, target, headers, at: Instant::now() })
}

/// A gzip stream of stored (uncompressed) deflate blocks: valid gzip that any decoder must
/// read, without a compression crate.
pub fn gzip_stored(data: &[u8]) -> Vec<u8> {
    let mut out = vec![0x1f, 0x8b, 8, 0, 0, 0, 0, 0, 0, 0xff];
    let blocks: Vec<&[u8]> = if data.is_empty() { vec![&[]] } else { data.chunks(0xffff).collect() };
    for (i, block) in blocks.iter().enumerate() {
        out.push(u8::from(i + 1 == blocks.len()));
        let len = u16::try_from(block.len()).expect("block fits");
        out.extend_from_slice(&len.to_le_bytes());
        out.extend_from_slice(&(!len).to_le_bytes());
        out.extend_from_slice(block);
    }
    out.extend_from_slice(&crc32(data).to_le_bytes());
    out.extend_from_slice(&u32::try_from(data.len() % (1 << 32)).expect("mod 2^32").to_le_bytes());
    out
}

fn crc32(data: &[u8]) -> u32 {
    let mut crc = !0_u32;
    for &byte in data {
        crc ^= u32::from(byte);
        for _ in 0..8 {
            crc = if crc & 1 == 1 { (crc >> 1) ^ 0xedb8_8320 } else { crc >> 1 };
        }
    }
    !crc
}

#[test]
fn crc32_matches_the_reference_value() {
    assert_eq!(crc32(b"123456789"), 0xcbf4_3926);
}
