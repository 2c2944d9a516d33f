//! Results of the methods the fake implements. Every other method of the spec answers `true`.

use serde_json::{Map, Value, json};

use super::{
    formatting::visible_text,
    record::{SentMessage, UploadedFile, WebhookConfig},
    server::ApiError,
    state::{ChatKind, Shared, State, StoredMessage, unix_now},
};

pub(crate) type MethodResult = Result<(Value, Option<String>), ApiError>;

fn ok(v: Value) -> MethodResult {
    Ok((v, None))
}

pub(crate) fn call(
    shared: &Shared,
    st: &mut State,
    method: &str,
    params: &Map<String, Value>,
    files: &[UploadedFile],
    seq: u64,
) -> MethodResult {
    let s = |k: &str| params.get(k).and_then(Value::as_str);
    match method {
        "getme" => {
            let mut me = shared.cfg.bot.user_json();
            let extra = json!({
                "can_join_groups": true,
                "can_read_all_group_messages": false,
                "supports_inline_queries": false,
                "can_connect_to_business": false,
                "has_main_web_app": false,
            });
            merge(&mut me, &extra);
            ok(me)
        }
        "logout" | "close" => ok(Value::Bool(true)),
        "getwebhookinfo" => {
            let pending = st.updates.len();
            let mut info = json!({
                "url": "",
                "has_custom_certificate": false,
                "pending_update_count": pending,
            });
            if let Some(w) = &st.webhook {
                info["url"] = Value::String(w.url.clone());
                info["has_custom_certificate"] = Value::Bool(w.has_custom_certificate);
                info["max_connections"] = json!(w.max_connections.unwrap_or(40));
                if let Some(ip) = &w.ip_address {
                    info["ip_address"] = json!(ip);
                }
                if let Some(a) = &w.allowed_updates {
                    info["allowed_updates"] = json!(a);
                }
            }
            ok(info)
        }
        "setwebhook" => {
            let url = s("url").unwrap_or_default().to_owned();
            if params.get("drop_pending_updates") == Some(&Value::Bool(true)) {
                st.updates.clear();
            }
            if url.is_empty() {
                let was = st.webhook.take().is_some();
                let d = if was {
                    "Webhook was deleted"
                } else {
                    "Webhook is already deleted"
                };
                return Ok((Value::Bool(true), Some(d.into())));
            }
            let allowed = params
                .get("allowed_updates")
                .and_then(Value::as_array)
                .map(|a| {
                    a.iter()
                        .filter_map(|k| k.as_str().map(str::to_owned))
                        .collect::<Vec<_>>()
                });
            if allowed.is_some() {
                st.allowed_updates = allowed.clone();
            }
            let same = st.webhook.as_ref().is_some_and(|w| w.url == url);
            st.webhook = Some(WebhookConfig {
                url,
                secret_token: s("secret_token").map(str::to_owned),
                allowed_updates: allowed,
                max_connections: params.get("max_connections").and_then(Value::as_i64),
                ip_address: s("ip_address").map(str::to_owned),
                has_custom_certificate: params.contains_key("certificate"),
            });
            let d = if same {
                "Webhook is already set"
            } else {
                "Webhook was set"
            };
            Ok((Value::Bool(true), Some(d.into())))
        }
        "deletewebhook" => {
            if params.get("drop_pending_updates") == Some(&Value::Bool(true)) {
                st.updates.clear();
            }
            let was = st.webhook.take().is_some();
            let d = if was {
                "Webhook was deleted"
            } else {
                "Webhook is already deleted"
            };
            Ok((Value::Bool(true), Some(d.into())))
        }
        "setmycommands" => {
            let key = commands_key(params);
            st.commands
                .insert(key, params.get("commands").cloned().unwrap_or(json!([])));
            ok(Value::Bool(true))
        }
        "getmycommands" => ok(st
            .commands
            .get(&commands_key(params))
            .cloned()
            .unwrap_or(json!([]))),
        "deletemycommands" => {
            st.commands.remove(&commands_key(params));
            ok(Value::Bool(true))
        }
        "sendmessage" => {
            let text = s("text").unwrap_or_default();
            let mut extra = json!({"text": visible(text, s("parse_mode"))});
            if let Some(e) = params.get("entities") {
                extra["entities"] = e.clone();
            }
            if let Some(l) = params.get("link_preview_options") {
                extra["link_preview_options"] = l.clone();
            }
            send(shared, st, method, params, extra, text, seq)
        }
        "sendphoto" => {
            let file = input_file(st, params, files, "photo", "photo", ".jpg")?;
            let size = file.1.len();
            let small = st.store_file("photo", ".jpg", file.1.iter().take(1024).copied().collect());
            let extra = json!({"photo": [
                {"file_id": small.file_id, "file_unique_id": small.file_unique_id,
                 "width": 90, "height": 68, "file_size": small.bytes.len()},
                {"file_id": file.0, "file_unique_id": file.2,
                 "width": 1280, "height": 960, "file_size": size},
            ]});
            send_media(shared, st, method, params, extra, seq)
        }
        "senddocument" => {
            let (file_id, bytes, unique, name) =
                input_file(st, params, files, "document", "document", "")?;
            let mut doc = json!({
                "file_id": file_id,
                "file_unique_id": unique,
                "file_size": bytes.len(),
            });
            if let Some(name) = name.filter(|n| !n.is_empty()) {
                doc["mime_type"] = json!(mime_for(&name));
                doc["file_name"] = json!(name);
            }
            send_media(shared, st, method, params, json!({"document": doc}), seq)
        }
        "sendvoice" => {
            let (file_id, bytes, unique, _) =
                input_file(st, params, files, "voice", "voice", ".ogg")?;
            let voice = json!({
                "file_id": file_id, "file_unique_id": unique,
                "duration": params.get("duration").and_then(Value::as_i64).unwrap_or(1),
                "mime_type": "audio/ogg", "file_size": bytes.len(),
            });
            send_media(shared, st, method, params, json!({"voice": voice}), seq)
        }
        "sendsticker" => {
            let (file_id, bytes, unique, _) =
                input_file(st, params, files, "sticker", "sticker", ".webp")?;
            let sticker = json!({
                "file_id": file_id, "file_unique_id": unique, "type": "regular",
                "width": 512, "height": 512, "is_animated": false, "is_video": false,
                "emoji": s("emoji").unwrap_or("👍"), "file_size": bytes.len(),
            });
            send_media(shared, st, method, params, json!({"sticker": sticker}), seq)
        }
        "sendlocation" => {
            let loc = json!({
                "latitude": params.get("latitude").cloned().unwrap_or(json!(0.0)),
                "longitude": params.get("longitude").cloned().unwrap_or(json!(0.0)),
            });
            send_media(shared, st, method, params, json!({"location": loc}), seq)
        }
        "editmessagetext" => edit(shared, st, params, |msg| {
            let text = s("text").unwrap_or_default();
            if msg.get("text").is_none() {
                return Err(ApiError::bad_request(
                    "there is no text in the message to edit",
                ));
            }
            let mut changed = msg["text"].as_str() != Some(&visible(text, s("parse_mode")));
            msg["text"] = json!(visible(text, s("parse_mode")));
            match params.get("entities") {
                Some(e) => msg["entities"] = e.clone(),
                None => {
                    msg.as_object_mut().expect("object").remove("entities");
                }
            }
            changed |= set_markup(msg, params);
            Ok(changed)
        }),
        "editmessagecaption" => edit(shared, st, params, |msg| {
            let caption = s("caption").unwrap_or_default();
            let new = visible(caption, s("parse_mode"));
            let mut changed = msg.get("caption").and_then(Value::as_str).unwrap_or("") != new;
            if new.is_empty() {
                msg.as_object_mut().expect("object").remove("caption");
            } else {
                msg["caption"] = json!(new);
            }
            changed |= set_markup(msg, params);
            Ok(changed)
        }),
        "editmessagereplymarkup" => edit(shared, st, params, |msg| Ok(set_markup(msg, params))),
        "answercallbackquery" => {
            let id = s("callback_query_id").unwrap_or_default();
            match st.callback_queries.get_mut(id) {
                Some(answered) if !*answered => {
                    *answered = true;
                    ok(Value::Bool(true))
                }
                _ => Err(ApiError::bad_request(
                    "query is too old and response timeout expired or query ID is invalid",
                )),
            }
        }
        "sendchataction" => {
            let chat_id = chat_of(st, params)?;
            let _ = st.chat(chat_id);
            ok(Value::Bool(true))
        }
        "deletemessage" => {
            let chat_id = chat_of(st, params)?;
            let id = params
                .get("message_id")
                .and_then(Value::as_i64)
                .unwrap_or(0) as i32;
            match st.messages.get_mut(&(chat_id, id)) {
                Some(m) if !m.deleted => {
                    m.deleted = true;
                    ok(Value::Bool(true))
                }
                _ => Err(ApiError::bad_request("message to delete not found")),
            }
        }
        "leavechat" => {
            let _ = chat_of(st, params)?;
            ok(Value::Bool(true))
        }
        "getfile" => {
            let id = s("file_id").unwrap_or_default();
            match st.files.get(id) {
                Some(f) => ok(json!({
                    "file_id": f.file_id,
                    "file_unique_id": f.file_unique_id,
                    "file_size": f.bytes.len(),
                    "file_path": f.file_path,
                })),
                None => Err(ApiError::bad_request("invalid file_id")),
            }
        }
        _ => ok(Value::Bool(true)),
    }
}

fn merge(target: &mut Value, extra: &Value) {
    if let (Some(t), Some(e)) = (target.as_object_mut(), extra.as_object()) {
        for (k, v) in e {
            t.insert(k.clone(), v.clone());
        }
    }
}

fn visible(text: &str, parse_mode: Option<&str>) -> String {
    visible_text(text, parse_mode).unwrap_or_else(|_| text.to_owned())
}

fn commands_key(params: &Map<String, Value>) -> String {
    let scope = params
        .get("scope")
        .cloned()
        .unwrap_or(json!({"type": "default"}));
    let lang = params
        .get("language_code")
        .and_then(Value::as_str)
        .unwrap_or("");
    format!("{scope}|{lang}")
}

fn chat_of(st: &mut State, params: &Map<String, Value>) -> Result<i64, ApiError> {
    params
        .get("chat_id")
        .and_then(|v| st.resolve_chat_id(v))
        .ok_or_else(|| ApiError::bad_request("chat not found"))
}

fn mime_for(name: &str) -> &'static str {
    let ext = name
        .rsplit_once('.')
        .map(|(_, e)| e.to_ascii_lowercase())
        .unwrap_or_default();
    match ext.as_str() {
        "txt" => "text/plain",
        "csv" => "text/csv",
        "json" => "application/json",
        "pdf" => "application/pdf",
        "zip" => "application/zip",
        "html" => "text/html",
        "jpg" | "jpeg" => "image/jpeg",
        "png" => "image/png",
        "ogg" | "oga" => "audio/ogg",
        "mp3" => "audio/mpeg",
        "mp4" => "video/mp4",
        _ => "application/octet-stream",
    }
}

/// Resolves an `InputFile or String` parameter: an uploaded part, a known file_id or an
/// http(s) URL. Returns (file_id, bytes, file_unique_id, file_name).
fn input_file(
    st: &mut State,
    params: &Map<String, Value>,
    files: &[UploadedFile],
    param: &str,
    kind: &str,
    ext: &str,
) -> Result<(String, Vec<u8>, String, Option<String>), ApiError> {
    let value = params
        .get(param)
        .and_then(Value::as_str)
        .unwrap_or_default();
    if let Some(part) = value.strip_prefix("attach://") {
        let f = files
            .iter()
            .find(|f| f.part_name == part)
            .ok_or_else(|| ApiError::bad_request("wrong file identifier/HTTP URL specified"))?;
        let unique = st
            .files
            .get(&f.file_id)
            .map(|s| s.file_unique_id.clone())
            .unwrap_or_default();
        return Ok((
            f.file_id.clone(),
            f.bytes.clone(),
            unique,
            f.file_name.clone(),
        ));
    }
    if let Some(f) = st.files.get(value) {
        let name = f.file_path.rsplit('/').next().map(str::to_owned);
        return Ok((
            f.file_id.clone(),
            f.bytes.clone(),
            f.file_unique_id.clone(),
            name,
        ));
    }
    if value.starts_with("http://") || value.starts_with("https://") {
        let name = value
            .rsplit('/')
            .next()
            .filter(|n| n.contains('.'))
            .map(str::to_owned);
        let f = st.store_file(kind, ext, b"downloaded by the fake".to_vec());
        return Ok((f.file_id, f.bytes, f.file_unique_id, name));
    }
    Err(ApiError::bad_request(
        "wrong file identifier/HTTP URL specified",
    ))
}

fn send_media(
    shared: &Shared,
    st: &mut State,
    method: &str,
    params: &Map<String, Value>,
    mut extra: Value,
    seq: u64,
) -> MethodResult {
    let caption = params
        .get("caption")
        .and_then(Value::as_str)
        .unwrap_or_default()
        .to_owned();
    if !caption.is_empty() {
        let parse_mode = params.get("parse_mode").and_then(Value::as_str);
        extra["caption"] = json!(visible(&caption, parse_mode));
        if let Some(e) = params.get("caption_entities") {
            extra["caption_entities"] = e.clone();
        }
    }
    send(shared, st, method, params, extra, &caption, seq)
}

/// Creates a message from the bot in `chat_id`, stores and records it.
fn send(
    shared: &Shared,
    st: &mut State,
    method: &str,
    params: &Map<String, Value>,
    extra: Value,
    sent_text: &str,
    seq: u64,
) -> MethodResult {
    let chat_id = chat_of(st, params)?;
    let id = st.next_message_id(chat_id);
    let chat = st.chat_json(chat_id);
    let is_channel = matches!(st.chat(chat_id).kind, ChatKind::Channel { .. });
    let mut msg = json!({"message_id": id, "date": unix_now(), "chat": chat});
    if is_channel {
        msg["sender_chat"] = msg["chat"].clone();
    } else {
        msg["from"] = shared.cfg.bot.user_json();
    }
    if let Some(thread) = params.get("message_thread_id") {
        msg["message_thread_id"] = thread.clone();
    }
    if let Some(reply_to) = params
        .get("reply_parameters")
        .and_then(|r| r.get("message_id"))
        .and_then(Value::as_i64)
    {
        match st.messages.get(&(chat_id, reply_to as i32)) {
            Some(m) if !m.deleted => {
                let mut original = m.json.clone();
                original
                    .as_object_mut()
                    .expect("object")
                    .remove("reply_to_message");
                msg["reply_to_message"] = original;
            }
            _ => {
                let allow = params["reply_parameters"].get("allow_sending_without_reply");
                if allow != Some(&Value::Bool(true)) {
                    return Err(ApiError::bad_request("message to be replied not found"));
                }
            }
        }
    }
    merge(&mut msg, &extra);
    let markup = params.get("reply_markup").cloned();
    if let Some(m) = markup
        .as_ref()
        .filter(|m| m.get("inline_keyboard").is_some())
    {
        // Telegram echoes inline keyboards only (teloxide's Message.reply_markup is an
        // InlineKeyboardMarkup; echoing a reply keyboard would not even parse).
        msg["reply_markup"] = m.clone();
    }
    st.messages.insert(
        (chat_id, id),
        StoredMessage {
            json: msg.clone(),
            from_bot: true,
            deleted: false,
        },
    );
    st.sent.push(SentMessage {
        chat_id,
        message_id: id,
        text: sent_text.to_owned(),
        reply_markup: markup,
        parse_mode: params
            .get("parse_mode")
            .and_then(Value::as_str)
            .map(str::to_owned),
        method: method.to_owned(),
        message: msg.clone(),
        request_seq: seq,
    });
    ok(msg)
}

/// Sets or (when absent) removes the inline keyboard; returns whether it changed.
fn set_markup(msg: &mut Value, params: &Map<String, Value>) -> bool {
    let new = params.get("reply_markup").filter(|m| {
        m.get("inline_keyboard")
            .and_then(Value::as_array)
            .is_some_and(|rows| !rows.is_empty())
    });
    let old = msg.get("reply_markup").cloned();
    match new {
        Some(m) => msg["reply_markup"] = m.clone(),
        None => {
            msg.as_object_mut().expect("object").remove("reply_markup");
        }
    }
    old.as_ref() != new
}

fn edit(
    _shared: &Shared,
    st: &mut State,
    params: &Map<String, Value>,
    apply: impl FnOnce(&mut Value) -> Result<bool, ApiError>,
) -> MethodResult {
    if params.contains_key("inline_message_id") {
        return ok(Value::Bool(true));
    }
    let chat_id = chat_of(st, params)?;
    let id = params
        .get("message_id")
        .and_then(Value::as_i64)
        .unwrap_or(0) as i32;
    let stored = match st.messages.get_mut(&(chat_id, id)) {
        Some(m) if !m.deleted => m,
        _ => return Err(ApiError::bad_request("message to edit not found")),
    };
    if !stored.from_bot {
        return Err(ApiError::bad_request("message can't be edited"));
    }
    let mut msg = stored.json.clone();
    if !apply(&mut msg)? {
        return Err(ApiError::bad_request(
            "message is not modified: specified new message content and reply markup are \
             exactly the same as a current content and reply markup of the message",
        ));
    }
    msg["edit_date"] = json!(unix_now());
    stored.json = msg.clone();
    ok(msg)
}
