//! The HTTP side: an axum server on 127.0.0.1 whose connections can be dropped on purpose,
//! request decoding (JSON, form, query, multipart) and the request pipeline
//! (auth → decode → spec check → record → fault → method).

use std::{
    collections::HashSet,
    io,
    net::SocketAddr,
    pin::Pin,
    sync::{
        Arc,
        atomic::{AtomicBool, Ordering},
    },
    task::{Context, Poll},
    time::{Duration, Instant, SystemTime},
};

use axum::{
    Router,
    body::{Body, to_bytes},
    extract::{ConnectInfo, Request, State, connect_info::Connected},
    http::{HeaderMap, StatusCode, header},
    response::{IntoResponse, Response},
    serve::{IncomingStream, Listener},
};
use serde_json::{Map, Value, json};
use tokio::{
    io::{AsyncRead, AsyncWrite, ReadBuf},
    net::{TcpListener, TcpStream},
};

use super::{
    fault::Fault,
    methods,
    record::{Encoding, RecordedRequest, SpecViolation, UploadedFile, chat_id_of},
    state::{Shared, update_kind},
};

/// Largest request body accepted (Telegram allows 50 MB uploads).
const MAX_BODY: usize = 64 * 1024 * 1024;

// ---------------------------------------------------------------------------------------------
// A listener whose connections the handler can kill (for `Fault::Drop`).

pub(crate) struct KillableListener(pub TcpListener);

#[derive(Clone, Debug)]
pub(crate) struct ConnHandle {
    kill: Arc<AtomicBool>,
}

impl ConnHandle {
    fn kill(&self) {
        self.kill.store(true, Ordering::SeqCst);
    }
}

pub(crate) struct KillableStream {
    inner: TcpStream,
    kill: Arc<AtomicBool>,
}

fn killed() -> io::Error {
    io::Error::new(
        io::ErrorKind::ConnectionAborted,
        "fake_bot_api: Fault::Drop",
    )
}

impl AsyncRead for KillableStream {
    fn poll_read(
        mut self: Pin<&mut Self>,
        cx: &mut Context<'_>,
        buf: &mut ReadBuf<'_>,
    ) -> Poll<io::Result<()>> {
        if self.kill.load(Ordering::SeqCst) {
            return Poll::Ready(Err(killed()));
        }
        Pin::new(&mut self.inner).poll_read(cx, buf)
    }
}

impl AsyncWrite for KillableStream {
    fn poll_write(
        mut self: Pin<&mut Self>,
        cx: &mut Context<'_>,
        buf: &[u8],
    ) -> Poll<io::Result<usize>> {
        if self.kill.load(Ordering::SeqCst) {
            return Poll::Ready(Err(killed()));
        }
        Pin::new(&mut self.inner).poll_write(cx, buf)
    }

    fn poll_flush(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<io::Result<()>> {
        if self.kill.load(Ordering::SeqCst) {
            return Poll::Ready(Err(killed()));
        }
        Pin::new(&mut self.inner).poll_flush(cx)
    }

    fn poll_shutdown(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<io::Result<()>> {
        Pin::new(&mut self.inner).poll_shutdown(cx)
    }
}

impl Listener for KillableListener {
    type Io = KillableStream;
    type Addr = ConnHandle;

    async fn accept(&mut self) -> (Self::Io, Self::Addr) {
        loop {
            match self.0.accept().await {
                Ok((stream, _)) => {
                    let _ = stream.set_nodelay(true);
                    let kill = Arc::new(AtomicBool::new(false));
                    return (
                        KillableStream {
                            inner: stream,
                            kill: kill.clone(),
                        },
                        ConnHandle { kill },
                    );
                }
                Err(_) => tokio::time::sleep(Duration::from_millis(5)).await,
            }
        }
    }

    fn local_addr(&self) -> io::Result<Self::Addr> {
        self.0.local_addr().map(|_| ConnHandle {
            kill: Arc::new(AtomicBool::new(false)),
        })
    }
}

impl Connected<IncomingStream<'_, KillableListener>> for ConnHandle {
    fn connect_info(stream: IncomingStream<'_, KillableListener>) -> Self {
        stream.remote_addr().clone()
    }
}

pub(crate) async fn bind() -> io::Result<(TcpListener, SocketAddr)> {
    let listener = TcpListener::bind("127.0.0.1:0").await?;
    let addr = listener.local_addr()?;
    Ok((listener, addr))
}

pub(crate) fn spawn(shared: Arc<Shared>, listener: TcpListener) -> tokio::task::JoinHandle<()> {
    let app = Router::new().fallback(handle).with_state(shared);
    tokio::spawn(async move {
        let _ = axum::serve(
            KillableListener(listener),
            app.into_make_service_with_connect_info::<ConnHandle>(),
        )
        .await;
    })
}

// ---------------------------------------------------------------------------------------------
// Responses

/// An error answer: HTTP status and the JSON (or, for 502, HTML) body.
#[derive(Debug, Clone)]
pub(crate) struct ApiError {
    pub status: u16,
    pub body: Value,
}

impl ApiError {
    pub fn new(status: u16, description: &str) -> Self {
        ApiError {
            status,
            body: json!({"ok": false, "error_code": status, "description": description}),
        }
    }

    pub fn bad_request(text: &str) -> Self {
        Self::new(400, &format!("Bad Request: {text}"))
    }
}

fn respond(status: u16, body: &Value) -> Response {
    let status = StatusCode::from_u16(status).unwrap_or(StatusCode::INTERNAL_SERVER_ERROR);
    match body {
        Value::String(html) => {
            (status, [(header::CONTENT_TYPE, "text/html")], html.clone()).into_response()
        }
        _ => (
            status,
            [(header::CONTENT_TYPE, "application/json")],
            body.to_string(),
        )
            .into_response(),
    }
}

// ---------------------------------------------------------------------------------------------
// Request decoding

pub(crate) struct RawFile {
    pub part_name: String,
    pub file_name: Option<String>,
    pub content_type: Option<String>,
    pub bytes: Vec<u8>,
}

struct Decoded {
    params: Map<String, Value>,
    files: Vec<RawFile>,
    encoding: Encoding,
}

fn decode(uri_query: Option<&str>, headers: &HeaderMap, body: &[u8]) -> Result<Decoded, String> {
    let mut params = Map::new();
    let mut files = Vec::new();
    if let Some(q) = uri_query {
        for (k, v) in parse_urlencoded(q) {
            params.insert(k, Value::String(v));
        }
    }
    let content_type = headers
        .get(header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .unwrap_or("")
        .to_owned();
    let mime = content_type
        .split(';')
        .next()
        .unwrap_or("")
        .trim()
        .to_ascii_lowercase();
    let encoding = if body.is_empty() {
        Encoding::Query
    } else if mime == "application/json" || (mime.is_empty() && body.first() == Some(&b'{')) {
        let v: Value =
            serde_json::from_slice(body).map_err(|e| format!("the body is not valid JSON: {e}"))?;
        let Value::Object(obj) = v else {
            return Err("the JSON body is not an object".into());
        };
        params.extend(obj);
        Encoding::Json
    } else if mime == "application/x-www-form-urlencoded" {
        let text = std::str::from_utf8(body).map_err(|_| "form body is not UTF-8")?;
        for (k, v) in parse_urlencoded(text) {
            params.insert(k, Value::String(v));
        }
        Encoding::Form
    } else if mime == "multipart/form-data" {
        let boundary = content_type
            .split(';')
            .filter_map(|p| p.trim().strip_prefix("boundary="))
            .next()
            .map(|b| b.trim_matches('"').to_owned())
            .ok_or("multipart body without boundary")?;
        for part in parse_multipart(body, &boundary)? {
            if part.file_name.is_some() {
                files.push(part);
            } else {
                let text = String::from_utf8(part.bytes)
                    .map_err(|_| format!("multipart field \"{}\" is not UTF-8", part.part_name))?;
                params.insert(part.part_name, Value::String(text));
            }
        }
        Encoding::Multipart
    } else {
        return Err(format!("unsupported Content-Type \"{content_type}\""));
    };
    Ok(Decoded {
        params,
        files,
        encoding,
    })
}

fn parse_urlencoded(s: &str) -> Vec<(String, String)> {
    s.split('&')
        .filter(|p| !p.is_empty())
        .map(|pair| {
            let (k, v) = pair.split_once('=').unwrap_or((pair, ""));
            (percent_decode(k, true), percent_decode(v, true))
        })
        .collect()
}

fn percent_decode(s: &str, plus_is_space: bool) -> String {
    let bytes = s.as_bytes();
    let hex = |b: u8| (b as char).to_digit(16);
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        match bytes[i] {
            b'+' if plus_is_space => out.push(b' '),
            b'%' if i + 2 < bytes.len() => match (hex(bytes[i + 1]), hex(bytes[i + 2])) {
                (Some(h), Some(l)) => {
                    out.push((h * 16 + l) as u8);
                    i += 2;
                }
                _ => out.push(b'%'),
            },
            b => out.push(b),
        }
        i += 1;
    }
    String::from_utf8_lossy(&out).into_owned()
}

fn find(haystack: &[u8], needle: &[u8], from: usize) -> Option<usize> {
    if from > haystack.len() {
        return None;
    }
    haystack[from..]
        .windows(needle.len())
        .position(|w| w == needle)
        .map(|p| p + from)
}

fn parse_multipart(body: &[u8], boundary: &str) -> Result<Vec<RawFile>, String> {
    let delim = format!("--{boundary}").into_bytes();
    let mut sep = b"\r\n".to_vec();
    sep.extend_from_slice(&delim);
    let mut pos = find(body, &delim, 0).ok_or("multipart body without its boundary")? + delim.len();
    let mut parts = Vec::new();
    loop {
        if body[pos..].starts_with(b"--") {
            break;
        }
        if !body[pos..].starts_with(b"\r\n") {
            return Err("malformed multipart body (no CRLF after boundary)".into());
        }
        pos += 2;
        let header_end = find(body, b"\r\n\r\n", pos).ok_or("malformed multipart part headers")?;
        let head = String::from_utf8_lossy(&body[pos..header_end]).into_owned();
        let start = header_end + 4;
        let end = find(body, &sep, start).ok_or("multipart body is not terminated")?;
        let mut part = RawFile {
            part_name: String::new(),
            file_name: None,
            content_type: None,
            bytes: body[start..end].to_vec(),
        };
        for line in head.split("\r\n") {
            let Some((name, value)) = line.split_once(':') else {
                continue;
            };
            match name.trim().to_ascii_lowercase().as_str() {
                "content-disposition" => {
                    for (k, v) in disposition_params(value) {
                        match k.as_str() {
                            "name" => part.part_name = v,
                            "name*" => {
                                part.part_name =
                                    percent_decode(v.trim_start_matches("utf-8''"), false)
                            }
                            "filename" => part.file_name = Some(v),
                            _ => {}
                        }
                    }
                }
                "content-type" => part.content_type = Some(value.trim().to_owned()),
                _ => {}
            }
        }
        parts.push(part);
        pos = end + sep.len();
    }
    Ok(parts)
}

/// `form-data; name="a"; filename="x \"y\".txt"` → `[("name","a"), ("filename","x \"y\".txt")]`.
fn disposition_params(value: &str) -> Vec<(String, String)> {
    let mut out = Vec::new();
    let chars: Vec<char> = value.chars().collect();
    let mut i = 0;
    while i < chars.len() {
        // key
        let mut key = String::new();
        while i < chars.len() && chars[i] != '=' && chars[i] != ';' {
            key.push(chars[i]);
            i += 1;
        }
        let key = key.trim().to_ascii_lowercase();
        let mut val = String::new();
        if i < chars.len() && chars[i] == '=' {
            i += 1;
            if i < chars.len() && chars[i] == '"' {
                i += 1;
                while i < chars.len() && chars[i] != '"' {
                    if chars[i] == '\\' && i + 1 < chars.len() {
                        i += 1;
                    }
                    val.push(chars[i]);
                    i += 1;
                }
                i += 1; // closing quote
                while i < chars.len() && chars[i] != ';' {
                    i += 1;
                }
            } else {
                while i < chars.len() && chars[i] != ';' {
                    val.push(chars[i]);
                    i += 1;
                }
                val = val.trim().to_owned();
            }
            out.push((key, val));
        }
        i += 1; // ';'
    }
    out
}

// ---------------------------------------------------------------------------------------------
// The pipeline

async fn handle(
    State(shared): State<Arc<Shared>>,
    ConnectInfo(conn): ConnectInfo<ConnHandle>,
    req: Request,
) -> Response {
    let received_at = SystemTime::now();
    let elapsed = shared.started.elapsed();
    let (parts, body) = req.into_parts();
    let path = percent_decode(parts.uri.path(), false);

    if let Some(rest) = path.strip_prefix("/file/bot") {
        return download(&shared, rest);
    }
    let Some((token, method)) = path.strip_prefix("/bot").and_then(|r| r.split_once('/')) else {
        // Not a Bot API URL at all: usually a misconfigured API URL (e.g. one with a path).
        let err = ApiError::new(404, "Not Found");
        let mut st = shared.lock();
        let seq = st.requests.len() as u64;
        let message = format!("request path \"{path}\" is not /bot<TOKEN>/<method>");
        st.requests.push(RecordedRequest {
            seq,
            method: String::new(),
            method_original: path.clone(),
            params: json!({}),
            files: Vec::new(),
            encoding: Encoding::Query,
            received_at,
            elapsed,
            fault: None,
            violations: vec![message.clone()],
            status: Some(404),
            response: Some(err.body.clone()),
        });
        st.violations.push(SpecViolation {
            request_seq: seq,
            method: path.clone(),
            path: String::new(),
            message,
        });
        drop(st);
        shared.bump();
        return respond(404, &err.body);
    };
    let method_original = method.trim_end_matches('/').to_owned();
    let method_lower = method_original.to_ascii_lowercase();

    let body = match to_bytes(Body::new(body), MAX_BODY).await {
        Ok(b) => b,
        Err(e) => {
            return respond(
                400,
                &ApiError::bad_request(&format!("cannot read body: {e}")).body,
            );
        }
    };
    let decoded = decode(parts.uri.query(), &parts.headers, &body);
    let (mut params, raw_files, encoding, decode_error) = match decoded {
        Ok(d) => (d.params, d.files, d.encoding, None),
        Err(e) => (Map::new(), Vec::new(), Encoding::Query, Some(e)),
    };

    // Spec check (before anything is stored, so a bad request changes nothing).
    let attachments: HashSet<String> = raw_files.iter().map(|f| f.part_name.clone()).collect();
    let mut problems = Vec::new();
    let authorized = token == shared.cfg.token;
    if let Some(e) = decode_error {
        problems.push(super::spec::Problem {
            path: String::new(),
            message: e,
            telegram: None,
        });
    } else if authorized {
        let stringly = encoding != Encoding::Json;
        problems = shared
            .spec
            .check_request(&method_original, &mut params, stringly, &attachments);
    }
    let files = resolve_files(&shared, raw_files, &params);

    let seq = {
        let mut st = shared.lock();
        let seq = st.requests.len() as u64;
        st.requests.push(RecordedRequest {
            seq,
            method: method_lower.clone(),
            method_original: method_original.clone(),
            params: Value::Object(params.clone()),
            files: if problems.is_empty() {
                files
            } else {
                Vec::new()
            },
            encoding,
            received_at,
            elapsed,
            fault: None,
            violations: problems.iter().map(ToString::to_string).collect(),
            status: None,
            response: None,
        });
        for p in &problems {
            st.violations.push(SpecViolation {
                request_seq: seq,
                method: method_original.clone(),
                path: p.path.clone(),
                message: p.message.clone(),
            });
        }
        seq
    };
    shared.bump();

    let finish = |status: Option<u16>, body: Option<Value>, fault: Option<Fault>| {
        let mut st = shared.lock();
        let r = &mut st.requests[seq as usize];
        r.status = status;
        r.response = body;
        if fault.is_some() {
            r.fault = fault;
        }
        let answered = shared.has_observers().then(|| r.clone());
        drop(st);
        shared.bump();
        if let Some(answered) = answered {
            shared.notify(&answered);
        }
    };

    if !authorized {
        let err = ApiError::new(401, "Unauthorized");
        finish(Some(401), Some(err.body.clone()), None);
        return respond(401, &err.body);
    }
    if let Some(first) = problems.first() {
        let description = first
            .telegram
            .clone()
            .unwrap_or_else(|| format!("Bad Request: {first}"));
        let err = ApiError::new(400, &description);
        finish(Some(400), Some(err.body.clone()), None);
        return respond(400, &err.body);
    }

    // Faults, scripted or from a user who blocked the bot.
    let chat_id = chat_id_of(&Value::Object(params.clone()));
    let fault = {
        let mut st = shared.lock();
        let is_send = ["send", "copy", "forward", "edit"]
            .iter()
            .any(|prefix| method_lower.starts_with(prefix))
            && method_lower != "sendchataction";
        let flooded = is_send
            && st
                .send_limit
                .as_mut()
                .is_some_and(|limit| !limit.take(Instant::now()));
        let scripted = if flooded {
            Some(Fault::TooManyRequests { retry_after: 1 })
        } else {
            st.take_fault(&method_lower, chat_id)
        };
        let blocked = chat_id.is_some_and(|id| {
            st.chats.get(&id).is_some_and(|c| c.blocked)
                && (method_lower.starts_with("send")
                    || method_lower.starts_with("copy")
                    || method_lower.starts_with("forward"))
        });
        scripted.or(if blocked { Some(Fault::Blocked) } else { None })
    };
    if let Some(fault) = &fault {
        match fault {
            Fault::Drop => {
                finish(None, None, Some(Fault::Drop));
                conn.kill();
                return respond(500, &Value::Null);
            }
            Fault::Slow(d) => {
                tokio::time::sleep(*d).await;
            }
            other => {
                let (status, body) = other.response().expect("has a response");
                finish(Some(status), Some(body.clone()), Some(other.clone()));
                return respond(status, &body);
            }
        }
    }

    let result = if method_lower == "getupdates" {
        get_updates(&shared, &params).await.map(|v| (v, None))
    } else {
        let mut st = shared.lock();
        let files = st.requests[seq as usize].files.clone();
        methods::call(&shared, &mut st, &method_lower, &params, &files, seq)
    };
    let (status, body) = match result {
        Ok((result, description)) => {
            let mut body = json!({"ok": true, "result": result});
            if let Some(d) = description {
                body["description"] = Value::String(d);
            }
            (200, body)
        }
        Err(e) => (e.status, e.body),
    };
    finish(Some(status), Some(body.clone()), fault);
    respond(status, &body)
}

/// Gives uploaded parts file ids and names them after the parameter that refers to them.
fn resolve_files(
    shared: &Shared,
    raw: Vec<RawFile>,
    params: &Map<String, Value>,
) -> Vec<UploadedFile> {
    let mut st = shared.lock();
    raw.into_iter()
        .map(|f| {
            let attach = format!("attach://{}", f.part_name);
            let field = params
                .iter()
                .find_map(|(k, v)| find_string(v, &attach, k))
                .unwrap_or_else(|| f.part_name.clone());
            let ext = f
                .file_name
                .as_deref()
                .and_then(|n| n.rsplit_once('.'))
                .map(|(_, e)| format!(".{e}"))
                .unwrap_or_default();
            let kind = match field.rsplit('.').next().unwrap_or_default() {
                "photo" => "photo",
                "document" => "document",
                "voice" => "voice",
                "audio" => "audio",
                "video" => "video",
                "sticker" => "sticker",
                _ => "file",
            };
            let stored = st.store_file(kind, &ext, f.bytes.clone());
            UploadedFile {
                field,
                size: f.bytes.len(),
                part_name: f.part_name,
                file_name: f.file_name,
                content_type: f.content_type,
                bytes: f.bytes,
                file_id: stored.file_id,
            }
        })
        .collect()
}

/// The path (`media[1].media`) of the string `needle` inside `v`, if present.
fn find_string(v: &Value, needle: &str, path: &str) -> Option<String> {
    match v {
        Value::String(s) if s == needle => Some(path.to_owned()),
        Value::Array(items) => items
            .iter()
            .enumerate()
            .find_map(|(i, item)| find_string(item, needle, &format!("{path}[{i}]"))),
        Value::Object(map) => map
            .iter()
            .find_map(|(k, item)| find_string(item, needle, &format!("{path}.{k}"))),
        _ => None,
    }
}

fn download(shared: &Shared, rest: &str) -> Response {
    let Some((token, file_path)) = rest.split_once('/') else {
        return respond(404, &ApiError::new(404, "Not Found").body);
    };
    if token != shared.cfg.token {
        return respond(401, &ApiError::new(401, "Unauthorized").body);
    }
    let st = shared.lock();
    match st.files.values().find(|f| f.file_path == file_path) {
        Some(f) => (
            StatusCode::OK,
            [(header::CONTENT_TYPE, "application/octet-stream")],
            f.bytes.clone(),
        )
            .into_response(),
        None => respond(404, &ApiError::new(404, "Not Found").body),
    }
}

/// getUpdates with long polling: answers at once when updates are pending, else holds the
/// request until one arrives or `timeout` (capped) runs out.
async fn get_updates(shared: &Shared, params: &Map<String, Value>) -> Result<Value, ApiError> {
    let offset = params.get("offset").and_then(Value::as_i64).unwrap_or(0);
    let limit = params
        .get("limit")
        .and_then(Value::as_i64)
        .unwrap_or(100)
        .clamp(1, 100) as usize;
    let timeout = params
        .get("timeout")
        .and_then(Value::as_i64)
        .unwrap_or(0)
        .max(0) as u64;
    let timeout = Duration::from_secs(timeout).min(shared.cfg.long_poll_cap);
    let deadline = Instant::now() + timeout;

    let generation = {
        let mut st = shared.lock();
        if st.webhook.is_some() {
            return Err(ApiError::new(
                409,
                "Conflict: can't use getUpdates method while webhook is active; use \
                 deleteWebhook to delete the webhook first",
            ));
        }
        if let Some(Value::Array(kinds)) = params.get("allowed_updates") {
            st.allowed_updates = Some(
                kinds
                    .iter()
                    .filter_map(|k| k.as_str().map(str::to_owned))
                    .collect(),
            );
        }
        if offset > 0 {
            st.updates
                .retain(|u| u["update_id"].as_i64().unwrap_or(0) >= offset);
        } else if offset < 0 {
            let keep = offset.unsigned_abs() as usize;
            while st.updates.len() > keep {
                st.updates.pop_front();
            }
        }
        st.poll_generation += 1;
        st.poll_generation
    };
    shared.bump();

    loop {
        let mut changed = shared.changed.subscribe();
        {
            let st = shared.lock();
            if st.poll_generation != generation {
                return Err(ApiError::new(
                    409,
                    "Conflict: terminated by other getUpdates request; make sure that only one \
                     bot instance is running",
                ));
            }
            let batch: Vec<Value> = st
                .updates
                .iter()
                .filter(|u| st.update_allowed(u) && update_kind(u).is_some())
                .take(limit)
                .cloned()
                .collect();
            if !batch.is_empty() {
                return Ok(Value::Array(batch));
            }
        }
        let now = Instant::now();
        if now >= deadline || shared.closed.load(Ordering::SeqCst) {
            return Ok(Value::Array(Vec::new()));
        }
        let _ = tokio::time::timeout(deadline - now, changed.changed()).await;
    }
}
