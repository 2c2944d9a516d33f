//! Shared test harness. Each integration test file includes what it needs; not every
//! file uses every helper.
#![allow(dead_code)]

pub mod fake_bot_api;
pub mod test_app;

/// Whether this is a CI run (`CI` set, and not to `false` or `0`).
pub fn in_ci() -> bool {
    means_ci(std::env::var("CI").ok().as_deref())
}

/// Whether a value of `CI` asks for a CI run.
fn means_ci(value: Option<&str>) -> bool {
    value.is_some_and(|v| !v.is_empty() && v != "false" && v != "0")
}

#[test]
fn ci_is_on_for_true_and_off_when_unset_empty_or_false() {
    assert!(means_ci(Some("true")) && means_ci(Some("1")));
    assert!(!means_ci(None) && !means_ci(Some("")) && !means_ci(Some("false")));
}

/// A test input from outside the repository (`../shared`) is missing. On a laptop the test
/// is skipped with a note; in CI it fails, so a missing input never passes silently.
pub fn missing_input(what: &std::path::Path) {
    assert!(
        !in_ci(),
        "{} is missing and CI is set: this test cannot be skipped",
        what.display()
    );
    eprintln!("skipped: {} not found", what.display());
}

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
