//! Shared test harness. Each integration test file includes what it needs; not every
//! file uses every helper.
#![allow(dead_code)]

pub mod fake_bot_api;
pub mod test_app;

/// A private message update with a chosen id, as Telegram delivers it (a command gets its
/// `bot_command` entity).
pub fn text_update(update_id: i64, chat: i64, message_id: i64, text: &str) -> serde_json::Value {
    let mut message = serde_json::json!({
        "message_id": message_id, "date": 1_700_000_000,
        "chat": {"id": chat, "type": "private", "first_name": "R"},
        "from": {"id": chat, "is_bot": false, "first_name": "R"},
        "text": text,
    });
    if text.starts_with('/') {
        let len = text
            .split_whitespace()
            .next()
            .unwrap_or("")
            .encode_utf16()
            .count();
        message["entities"] =
            serde_json::json!([{"type": "bot_command", "offset": 0, "length": len}]);
    }
    serde_json::json!({"update_id": update_id, "message": message})
}
