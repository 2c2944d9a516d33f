//! The `nocontact` binary as a user runs it: `ask`, `content check`, `migrate`, and two
//! console processes writing one SQLite file at the same time.

use std::io::Write;
use std::path::Path;
use std::process::{Command, Stdio};

fn nocontact(dir: &Path) -> Command {
    let mut command = Command::new(env!("CARGO_BIN_EXE_nocontact"));
    command
        .current_dir(env!("CARGO_MANIFEST_DIR"))
        .env_remove("DATABASE_URL")
        .env_remove("TELOXIDE_TOKEN")
        .env("NOCONTACT__DATABASE__SQLITE_PATH", dir.join("bot.db"))
        .env("RUST_LOG", "error");
    command
}

#[test]
fn ask_prints_json_without_a_token_or_database() {
    let dir = tempfile::tempdir().unwrap();
    let output = nocontact(dir.path())
        .args([
            "ask",
            "--json",
            "it's his birthday tomorrow, can I text him?",
        ])
        .output()
        .unwrap();
    assert!(
        output.status.success(),
        "{}",
        String::from_utf8_lossy(&output.stderr)
    );
    let answer: serde_json::Value = serde_json::from_slice(&output.stdout).unwrap();
    assert_eq!(answer["situation"], "special_date");
    assert!(answer["reply"].as_str().unwrap().len() > 50);
    assert!(!dir.path().join("bot.db").exists(), "ask needs no database");
}

#[test]
fn ask_reads_one_message_per_line_and_explains() {
    let dir = tempfile::tempdir().unwrap();
    let mut child = nocontact(dir.path())
        .args(["ask", "--json", "--explain"])
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .spawn()
        .unwrap();
    child
        .stdin
        .take()
        .unwrap()
        .write_all(b"he texted me last night\n\nI want to kill myself\nhello\n")
        .unwrap();
    let output = child.wait_with_output().unwrap();
    let lines: Vec<serde_json::Value> = String::from_utf8(output.stdout)
        .unwrap()
        .lines()
        .map(|l| serde_json::from_str(l).unwrap())
        .collect();
    let situations: Vec<&str> = lines
        .iter()
        .map(|l| l["situation"].as_str().unwrap())
        .collect();
    assert_eq!(situations, ["they_reached_out", "crisis", "other"]);
    assert!(
        lines
            .iter()
            .all(|l| l["explanation"].as_str().is_some_and(|e| !e.is_empty()))
    );
}

#[test]
fn content_check_passes_the_shipped_pack_and_names_problems_in_a_broken_one() {
    let dir = tempfile::tempdir().unwrap();
    let ok = nocontact(dir.path())
        .args(["content", "check"])
        .output()
        .unwrap();
    assert!(
        ok.status.success(),
        "{}",
        String::from_utf8_lossy(&ok.stderr)
    );

    let broken = dir.path().join("content");
    std::fs::create_dir_all(&broken).unwrap();
    let shipped = Path::new(env!("CARGO_MANIFEST_DIR")).join("config/content");
    for entry in std::fs::read_dir(&shipped).unwrap() {
        let entry = entry.unwrap();
        std::fs::copy(entry.path(), broken.join(entry.file_name())).unwrap();
    }
    // a helpline without its source
    let helplines = std::fs::read_to_string(broken.join("helplines.toml")).unwrap();
    let helplines = helplines.replacen("source = \"https://", "source = \"", 1);
    std::fs::write(broken.join("helplines.toml"), helplines).unwrap();
    let bad = nocontact(dir.path())
        .args(["content", "check"])
        .arg(&broken)
        .output()
        .unwrap();
    assert!(!bad.status.success());
    let errors = String::from_utf8_lossy(&bad.stderr);
    assert!(errors.contains("helplines.toml"), "{errors}");
    assert!(errors.contains(".source"), "{errors}");
}

#[test]
fn migrate_creates_the_database() {
    let dir = tempfile::tempdir().unwrap();
    let output = nocontact(dir.path()).arg("migrate").output().unwrap();
    assert!(
        output.status.success(),
        "{}",
        String::from_utf8_lossy(&output.stderr)
    );
    assert!(dir.path().join("bot.db").exists());
}

#[test]
fn json_log_format_writes_one_object_per_line() {
    let dir = tempfile::tempdir().unwrap();
    let output = nocontact(dir.path())
        .arg("migrate")
        .env("RUST_LOG", "info")
        .env("NOCONTACT__LOG__FORMAT", "json")
        .output()
        .unwrap();
    assert!(output.status.success());
    let logs = String::from_utf8_lossy(&output.stderr);
    let lines: Vec<serde_json::Value> = logs
        .lines()
        .map(|line| serde_json::from_str(line).unwrap_or_else(|e| panic!("{e}: {line}")))
        .collect();
    let ready = lines
        .iter()
        .find(|line| line["fields"]["message"] == "database ready")
        .unwrap_or_else(|| panic!("no 'database ready' line in {logs}"));
    assert_eq!(ready["level"], "INFO");
    assert!(ready["timestamp"].is_string());

    let refused = nocontact(dir.path())
        .arg("migrate")
        .env("NOCONTACT__LOG__FORMAT", "xml")
        .output()
        .unwrap();
    assert!(!refused.status.success());
    let error = String::from_utf8_lossy(&refused.stderr);
    assert!(error.contains("xml") && error.contains("json"), "{error}");
}

#[test]
fn two_processes_write_one_sqlite_file_without_losing_anything() {
    let dir = tempfile::tempdir().unwrap();
    let script: String = (0..40)
        .map(|i| format!("/since {} days ago\nshould I text him\n3\n", i % 20))
        .collect();
    let children: Vec<_> = [11, 12]
        .iter()
        .map(|chat| {
            let mut child = nocontact(dir.path())
                .arg("chat")
                .env("NOCONTACT__CONSOLE__CHAT_ID", chat.to_string())
                .stdin(Stdio::piped())
                .stdout(Stdio::piped())
                .stderr(Stdio::piped())
                .spawn()
                .unwrap();
            child
                .stdin
                .take()
                .unwrap()
                .write_all(script.as_bytes())
                .unwrap();
            child
        })
        .collect();
    for child in children {
        let output = child.wait_with_output().unwrap();
        assert!(
            output.status.success(),
            "{}",
            String::from_utf8_lossy(&output.stderr)
        );
        let transcript = String::from_utf8_lossy(&output.stdout);
        assert_eq!(transcript.matches("Done: your last contact").count(), 40);
    }
    // Both conversations are complete in the file: 40 urges resisted each.
    let check = nocontact(dir.path())
        .arg("chat")
        .env("NOCONTACT__CONSOLE__CHAT_ID", "11")
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .spawn()
        .unwrap();
    let output = {
        let mut check = check;
        check.stdin.take().unwrap().write_all(b"/streak\n").unwrap();
        check.wait_with_output().unwrap()
    };
    let streak = String::from_utf8_lossy(&output.stdout);
    assert!(streak.contains("Urges resisted: 40"), "{streak}");
}

#[test]
fn a_setting_that_breaks_a_rule_stops_start_up_naming_the_key() {
    let dir = tempfile::tempdir().unwrap();
    for (var, value, key) in [
        (
            "NOCONTACT__COACHING__WAIT_MINUTES",
            "0",
            "coaching.wait_minutes",
        ),
        (
            "NOCONTACT__SCHEDULER__RATE_PER_SECOND",
            "-1.0",
            "scheduler.rate_per_second",
        ),
        (
            "NOCONTACT__SCHEDULER__RETENTION_DAYS",
            "1",
            "scheduler.retention_days",
        ),
        (
            "NOCONTACT__TELEGRAM__WEBHOOK_SECRET",
            "not valid!",
            "telegram.webhook_secret",
        ),
        (
            "NOCONTACT__TELEGRAM__WEBHOOK_PATH",
            "hook",
            "telegram.webhook_path",
        ),
    ] {
        let output = nocontact(dir.path())
            .arg("migrate")
            .env(var, value)
            .output()
            .unwrap();
        let errors = String::from_utf8_lossy(&output.stderr);
        assert!(!output.status.success(), "{var}={value:?} was accepted");
        assert!(errors.contains(key), "{var}: {errors}");
        assert!(!errors.contains("panicked"), "{var}: {errors}");
        assert!(
            !errors.contains("not valid!"),
            "the secret is never shown: {errors}"
        );
    }
    assert!(!dir.path().join("bot.db").exists(), "nothing started");
}

/// Runs `command` with `input` on its standard input and returns its output.
fn run_with_input(command: &mut Command, input: &[u8]) -> std::process::Output {
    let mut child = command
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    child.stdin.take().unwrap().write_all(input).unwrap();
    child.wait_with_output().unwrap()
}

/// Runs `nocontact chat` for chat 1 on `input` and returns its output.
fn chat(dir: &Path, input: &[u8]) -> std::process::Output {
    run_with_input(nocontact(dir).arg("chat"), input)
}

#[test]
fn chat_reads_on_past_a_line_that_is_not_utf8() {
    let dir = tempfile::tempdir().unwrap();
    let output = chat(
        dir.path(),
        b"/since 3 days ago\n\xff\xfe I miss him \xc3\n/streak\n",
    );
    assert!(
        output.status.success(),
        "{}",
        String::from_utf8_lossy(&output.stderr)
    );
    let transcript = String::from_utf8_lossy(&output.stdout);
    assert!(
        transcript.contains("Done: your last contact"),
        "{transcript}"
    );
    assert!(
        transcript.contains("Day 3 of no contact"),
        "the line after the bad one is answered: {transcript}"
    );
}

#[tokio::test]
async fn chat_answers_a_database_error_kindly_and_keeps_going() {
    let dir = tempfile::tempdir().unwrap();
    let migrated = nocontact(dir.path()).arg("migrate").output().unwrap();
    assert!(migrated.status.success());
    // Break one table behind the bot's back: saving a reason fails, nothing else does.
    sqlx::any::install_default_drivers();
    let url = format!("sqlite://{}", dir.path().join("bot.db").display());
    let pool = sqlx::AnyPool::connect(&url).await.unwrap();
    sqlx::query("DROP TABLE reasons")
        .execute(&pool)
        .await
        .unwrap();
    pool.close().await;

    let output = chat(
        dir.path(),
        b"/since 3 days ago\n/why I want my peace back\n/streak\n",
    );
    let transcript = String::from_utf8_lossy(&output.stdout);
    assert!(
        output.status.success(),
        "{transcript}\n{}",
        String::from_utf8_lossy(&output.stderr)
    );
    assert!(transcript.contains("couldn't save that"), "{transcript}");
    assert!(
        transcript.contains("Day 3 of no contact"),
        "the chat goes on after the error: {transcript}"
    );
    assert!(
        !String::from_utf8_lossy(&output.stderr).contains("my peace"),
        "the message is never logged"
    );
}

#[test]
fn ask_names_a_line_it_could_not_read_and_answers_the_rest() {
    let dir = tempfile::tempdir().unwrap();
    let output = run_with_input(
        nocontact(dir.path()).args(["ask", "--json"]),
        b"he texted me last night\n\xff\xfe\nshould I like her post?\n",
    );
    let situations: Vec<String> = String::from_utf8_lossy(&output.stdout)
        .lines()
        .map(|l| {
            let answer: serde_json::Value = serde_json::from_str(l).unwrap();
            answer["situation"].as_str().unwrap().to_owned()
        })
        .collect();
    assert_eq!(situations, ["they_reached_out", "social_media"]);
    let errors = String::from_utf8_lossy(&output.stderr);
    assert!(errors.contains("line 2"), "{errors}");
    assert!(
        !output.status.success(),
        "a skipped line is reported in the status"
    );
}

/// Runs `command`, which must fail, and returns what it printed: exactly one line.
fn one_line_failure(command: &mut Command) -> String {
    let output = command.output().unwrap();
    assert!(!output.status.success());
    let errors = String::from_utf8_lossy(&output.stderr).into_owned();
    assert_eq!(errors.trim().lines().count(), 1, "{errors}");
    errors
}

#[test]
fn a_failure_is_one_line_with_its_cause_said_once_and_no_password() {
    let dir = tempfile::tempdir().unwrap();
    // nothing listens on port 1: the refused connection is named, not "pool timed out"
    let errors = one_line_failure(
        nocontact(dir.path())
            .env(
                "NOCONTACT__DATABASE__URL",
                "postgres://postgres:hunter2@127.0.0.1:1/nocontact",
            )
            .arg("migrate"),
    );
    assert!(errors.contains("127.0.0.1:1"), "{errors}");
    assert!(errors.to_lowercase().contains("refused"), "{errors}");
    assert!(!errors.contains("hunter2"), "{errors}");

    // a configuration file that is not there: its path, and the cause once
    let errors = one_line_failure(nocontact(dir.path()).current_dir(dir.path()).arg("migrate"));
    assert!(errors.contains("default.toml"), "{errors}");
    assert_eq!(errors.matches("os error 2").count(), 1, "{errors}");

    // an SQLite file whose directory cannot be made: the path is named
    let blocker = dir.path().join("a-file");
    std::fs::write(&blocker, b"").unwrap();
    let errors = one_line_failure(
        nocontact(dir.path())
            .env(
                "NOCONTACT__DATABASE__SQLITE_PATH",
                blocker.join("sub/bot.db"),
            )
            .arg("migrate"),
    );
    assert!(errors.contains("a-file"), "{errors}");
}
