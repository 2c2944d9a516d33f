//! `/export` returns everything; `/delete` removes everything, in every table.

use crate::support;

use std::path::{Path, PathBuf};
use std::sync::Arc;

use chrono::{TimeZone, Utc};
use nocontact::console::{self, Screen};
use nocontact::domain::ChatId;
use nocontact::store::Backend;
use support::test_app::{RecordingOutbox, TestApp, button, scheduler, text_of};

/// Gives a user data in every table: streaks, a slip, events, a draft, scheduled jobs.
async fn busy_user(t: &TestApp, chat: i64) {
    t.onboard(chat, "2026-11-01", "Europe/Berlin").await;
    t.say(chat, "/slip yesterday").await;
    t.say(chat, "a private note").await;
    let coached = t.say(chat, "I want to text him so badly right now").await;
    t.press(chat, &button(&coached, "Wait with me")).await;
    let coached = t.say(chat, "should I reach out to her").await;
    t.press(chat, &button(&coached, "Write it here instead"))
        .await;
    t.say(chat, "my secret draft to him").await;
    t.press(chat, &button(&coached, "I resisted")).await;
    t.say(chat, "I don't want to live anymore").await;
    t.say(chat, "/why I deserve someone who chooses me").await;
    t.say(chat, "/mood 2").await;
    t.say(chat, "my ex used to hit me when he was drunk").await;
}

#[tokio::test]
async fn export_contains_every_table_and_the_users_words() {
    let t = TestApp::new().await;
    busy_user(&t, 1).await;
    let replies = t.say(1, "/export").await;
    let document = replies
        .iter()
        .find_map(|r| r.document.clone())
        .expect("the export is a file");
    assert!(document.file_name.ends_with(".json"));
    let export: serde_json::Value = serde_json::from_slice(&document.bytes).unwrap();
    let data = export["data"].as_object().unwrap();
    let user_tables = t.app.store.user_table_names().await.unwrap();
    assert!(user_tables.len() >= 6, "{user_tables:?}");
    for table in user_tables {
        let rows = data[&table]
            .as_array()
            .unwrap_or_else(|| panic!("{table} missing"));
        assert!(!rows.is_empty(), "export has no rows of {table}");
    }
    let text = String::from_utf8(document.bytes).unwrap();
    assert!(text.contains("my secret draft to him"));
    assert!(text.contains("a private note"));
    assert!(text.contains("I deserve someone who chooses me"));
    assert!(text.contains("Europe/Berlin"));
    // the safety state is the user's data too
    let user = &data["users"][0];
    assert!(user["care_until"].is_i64(), "careful time exported: {user}");
    assert_eq!(user["unsafe_ex"], 1, "unsafe-ex note exported: {user}");
}

#[tokio::test]
async fn delete_asks_first_then_removes_every_row_and_nothing_of_others() {
    let t = TestApp::new().await;
    busy_user(&t, 1).await;
    busy_user(&t, 2).await;
    let user = t.app.store.user(ChatId(1)).await.unwrap().unwrap();
    let other = t.app.store.user(ChatId(2)).await.unwrap().unwrap();
    let owned = t.app.store.rows_owned_by(user.id).await.unwrap();
    assert!(
        owned.iter().all(|(_, n)| *n > 0),
        "every table holds data: {owned:?}"
    );
    // Every table of the schema either holds users' rows or is a shared one without any
    // (the send rate, and the inbox of update ids), or the outbox, whose messages wait by
    // chat until Telegram confirms them and go with a delete.
    let all = t.app.store.table_names().await.unwrap();
    for table in &all {
        assert!(
            owned.iter().any(|(t, _)| t == table)
                || ["rate_limits", "inbox", "outbox"].contains(&table.as_str()),
            "{table} is neither a user table nor known to be shared"
        );
    }

    let confirm = t.say(1, "/delete").await;
    assert!(text_of(&confirm).contains("can't be undone"));
    // Declining keeps everything.
    t.press(1, &button(&confirm, "No, keep it")).await;
    assert_eq!(t.app.store.rows_owned_by(user.id).await.unwrap(), owned);
    // A stale "yes" from the earlier question does nothing.
    let stale = t.press(1, &button(&confirm, "Yes, delete")).await;
    assert!(text_of(&stale).contains("expired"));
    assert_eq!(t.app.store.rows_owned_by(user.id).await.unwrap(), owned);

    let confirm = t.say(1, "/delete").await;
    let done = t.press(1, &button(&confirm, "Yes, delete")).await;
    assert!(text_of(&done).contains("gone"));
    for (table, n) in t.app.store.rows_owned_by(user.id).await.unwrap() {
        assert_eq!(n, 0, "rows of the deleted user remain in {table}");
    }
    assert!(t.app.store.user(ChatId(1)).await.unwrap().is_none());
    let others = t.app.store.rows_owned_by(other.id).await.unwrap();
    assert!(
        others.iter().all(|(_, n)| *n > 0),
        "the other user's data is intact: {others:?}"
    );
    // Writing again starts afresh.
    let again = text_of(&t.say(1, "/streak").await);
    assert!(
        again.contains("don't know when your last contact was"),
        "{again}"
    );
}

#[tokio::test]
async fn typing_instead_of_confirming_deletes_nothing() {
    let t = TestApp::new().await;
    busy_user(&t, 1).await;
    let user = t.app.store.user(ChatId(1)).await.unwrap().unwrap();
    let before = t.app.store.rows_owned_by(user.id).await.unwrap();
    t.say(1, "/delete").await;
    let reply = text_of(&t.say(1, "yes").await);
    assert!(reply.contains("didn't delete anything"), "{reply}");
    let after = t.app.store.rows_owned_by(user.id).await.unwrap();
    assert_eq!(
        before.iter().find(|(t, _)| t == "streaks"),
        after.iter().find(|(t, _)| t == "streaks")
    );
}

const DRAFT_MARKER: &str = "MARKER-draft-7f3a91";
const REASON_MARKER: &str = "MARKER-reason-2c8e44";
const JOURNAL_MARKER: &str = "MARKER-journal-5b1d07";
const MARKERS: [&str; 3] = [DRAFT_MARKER, REASON_MARKER, JOURNAL_MARKER];

/// Every file under `dir`, however deep.
fn files_under(dir: &Path) -> Vec<PathBuf> {
    let mut files = Vec::new();
    let mut pending = vec![dir.to_path_buf()];
    while let Some(dir) = pending.pop() {
        for entry in std::fs::read_dir(&dir).unwrap().flatten() {
            let path = entry.path();
            if path.is_dir() {
                pending.push(path);
            } else {
                files.push(path);
            }
        }
    }
    files
}

/// The files under `dir` that still hold one of the markers' bytes, with the marker.
fn files_with_markers(dir: &Path) -> Vec<(PathBuf, &'static str)> {
    let mut found = Vec::new();
    for path in files_under(dir) {
        let bytes = std::fs::read(&path).unwrap_or_default();
        for marker in MARKERS {
            if bytes.windows(marker.len()).any(|w| w == marker.as_bytes()) {
                found.push((path.clone(), marker));
            }
        }
    }
    found
}

#[cfg(unix)]
fn mode_of(path: &Path) -> u32 {
    use std::os::unix::fs::PermissionsExt;
    std::fs::metadata(path).unwrap().permissions().mode() & 0o777
}

#[tokio::test]
async fn delete_leaves_no_word_of_the_user_in_any_file_under_the_data_directory() {
    let t = TestApp::new().await;
    let sqlite = t.app.store.backend() == Backend::Sqlite;
    // A draft, a reason and an evening reflection, each with its marker.
    t.onboard(1, "yesterday", "UTC").await;
    let coached = t.say(1, "should I reach out to her").await;
    t.press(1, &button(&coached, "Write it here instead")).await;
    t.say(1, &format!("{DRAFT_MARKER} never sent")).await;
    t.say(1, &format!("/why {REASON_MARKER} I want peace"))
        .await;
    t.clock
        .set(Utc.with_ymd_and_hms(2026, 11, 22, 21, 0, 0).unwrap());
    let outbox = RecordingOutbox::default();
    scheduler(&t.app, "e").run_due(&outbox).await.unwrap();
    assert!(!outbox.sent().is_empty(), "the evening prompt came");
    let kept = text_of(&t.say(1, &format!("Today {JOURNAL_MARKER} went well")).await);
    assert!(kept.contains("journal"), "{kept}");

    // The console writes the export and the picture next to the database.
    let exports = t.dir.path().join("exports");
    let screen = Arc::new(Screen::new(Vec::<u8>::new(), exports.clone()));
    console::run(
        &t.app.engine,
        ChatId(1),
        &b"/export\n/progress\n"[..],
        screen.clone(),
    )
    .await
    .unwrap();
    let written = files_under(&exports);
    assert_eq!(written.len(), 2, "export and picture written: {written:?}");
    let found = files_with_markers(t.dir.path());
    assert!(
        found.iter().any(|(p, _)| p.starts_with(&exports)),
        "the export holds the markers: {found:?}"
    );
    #[cfg(unix)]
    {
        assert_eq!(mode_of(&exports), 0o700, "exports directory");
        for file in &written {
            assert_eq!(mode_of(file), 0o600, "{}", file.display());
        }
        if sqlite {
            for file in files_under(t.dir.path()) {
                if file.to_string_lossy().contains("test.db") {
                    assert_eq!(mode_of(&file), 0o600, "{}", file.display());
                }
            }
        }
    }

    console::run(&t.app.engine, ChatId(1), &b"/delete\n1\n"[..], screen)
        .await
        .unwrap();
    assert!(t.app.store.user(ChatId(1)).await.unwrap().is_none());
    // While the bot runs (as after kill -9): no file holds a word of the user.
    let found = files_with_markers(t.dir.path());
    assert!(found.is_empty(), "markers left while running: {found:?}");
    assert!(files_under(&exports).is_empty(), "files left in exports");
    if sqlite {
        let wal = t.dir.path().join("test.db-wal");
        let wal_len = std::fs::metadata(&wal).map(|m| m.len()).unwrap_or(0);
        assert_eq!(wal_len, 0, "the write-ahead log was emptied");
    }
    t.app.store.close().await;
    let found = files_with_markers(t.dir.path());
    assert!(found.is_empty(), "markers left after closing: {found:?}");
}
