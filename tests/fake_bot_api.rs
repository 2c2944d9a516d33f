//! Self-tests of the fake Telegram Bot API server (tests/support/fake_bot_api), driven by a
//! real teloxide client where possible.

use crate::support;

use std::{
    sync::{Arc, Mutex},
    time::{Duration, Instant},
};

use serde_json::{Value, json};
use support::fake_bot_api::{
    Encoding, FakeBotApi, Fault, FaultRule, formatting::visible_text, post_update_to,
};
use teloxide::{
    ApiError, RequestError,
    prelude::*,
    types::{
        AllowedUpdate, ChatMemberKind, InlineKeyboardButton, InlineKeyboardMarkup, InputFile,
        MaybeInaccessibleMessage, MessageOrigin, ParseMode, UpdateKind,
    },
};

const CHAT: i64 = 42;

fn bot_for(fake: &FakeBotApi) -> Bot {
    Bot::new(fake.token()).set_api_url(fake.url().parse().expect("valid url"))
}

fn keyboard(data: &str) -> InlineKeyboardMarkup {
    InlineKeyboardMarkup::new([[
        InlineKeyboardButton::callback("Yes", data.to_owned()),
        InlineKeyboardButton::callback("No", "no"),
    ]])
}

// --- basics ------------------------------------------------------------------------------

#[tokio::test]
async fn get_me_parses_in_teloxide() {
    let fake = FakeBotApi::start().await;
    let me = bot_for(&fake).get_me().await.expect("getMe");
    assert_eq!(me.username(), "nocontact_test_bot");
    assert!(me.user.is_bot);
    assert_eq!(me.user.id.0, 123456);
    assert!(me.can_join_groups);
    let req = &fake.requests_for("getMe")[0];
    assert_eq!(req.method, "getme");
    assert_eq!(
        req.method_original, "GetMe",
        "teloxide sends PascalCase method names"
    );
    fake.assert_no_violations();
}

#[tokio::test]
async fn send_message_with_inline_keyboard_is_recorded() {
    let fake = FakeBotApi::start().await;
    let bot = bot_for(&fake);
    let msg = bot
        .send_message(ChatId(CHAT), "Are you sure?")
        .reply_markup(keyboard("yes"))
        .await
        .expect("sendMessage");
    assert_eq!(msg.text(), Some("Are you sure?"));
    assert_eq!(msg.chat.id, ChatId(CHAT));
    assert!(msg.chat.is_private());
    assert_eq!(msg.from.as_ref().map(|u| u.id.0), Some(123456));
    assert_eq!(
        msg.reply_markup(),
        Some(&keyboard("yes")),
        "inline keyboard echoed"
    );

    let second = bot.send_message(ChatId(CHAT), "again").await.unwrap();
    assert_eq!(second.id.0, msg.id.0 + 1, "message ids increase per chat");

    let sent = fake.sent_messages(CHAT);
    assert_eq!(sent.len(), 2);
    assert_eq!(sent[0].text, "Are you sure?");
    assert_eq!(sent[0].message_id, msg.id.0);
    assert_eq!(sent[0].callback_data(), vec!["yes", "no"]);
    assert_eq!(
        sent[0].reply_markup.as_ref().unwrap()["inline_keyboard"][0][0],
        json!({"text": "Yes", "callback_data": "yes"})
    );
    assert_eq!(sent[1].reply_markup, None);
    let req = &fake.requests_for("sendMessage")[0];
    assert_eq!(req.encoding, Encoding::Json);
    assert_eq!(req.chat_id(), Some(CHAT));
    fake.assert_no_violations();
}

#[tokio::test]
async fn text_longer_than_4096_is_rejected() {
    let fake = FakeBotApi::start().await;
    let bot = bot_for(&fake);
    bot.send_message(ChatId(CHAT), "a".repeat(4096))
        .await
        .expect("4096 is fine");
    let err = bot
        .send_message(ChatId(CHAT), "a".repeat(4097))
        .await
        .unwrap_err();
    assert!(
        matches!(err, RequestError::Api(ApiError::MessageIsTooLong)),
        "{err:?}"
    );
    let v = fake.violations();
    assert_eq!(v.len(), 1, "{v:?}");
    assert_eq!(v[0].path, "text");
    assert!(v[0].message.contains("4097"), "{}", v[0].message);
    assert_eq!(
        fake.sent_messages(CHAT).len(),
        1,
        "the rejected message was not sent"
    );
    // Emoji count 2 UTF-16 code units each, as Telegram counts.
    let err = bot
        .send_message(ChatId(CHAT), "😀".repeat(2049))
        .await
        .unwrap_err();
    assert!(
        matches!(err, RequestError::Api(ApiError::MessageIsTooLong)),
        "{err:?}"
    );
    // Empty text.
    let err = bot.send_message(ChatId(CHAT), "").await.unwrap_err();
    assert!(
        matches!(err, RequestError::Api(ApiError::MessageTextIsEmpty)),
        "{err:?}"
    );
    assert_eq!(fake.violations().len(), 3);
}

#[tokio::test]
async fn callback_data_over_64_bytes_is_rejected() {
    let fake = FakeBotApi::start().await;
    let bot = bot_for(&fake);
    bot.send_message(ChatId(CHAT), "ok")
        .reply_markup(keyboard(&"x".repeat(64)))
        .await
        .unwrap();
    let err = bot
        .send_message(ChatId(CHAT), "too long")
        .reply_markup(keyboard(&"x".repeat(65)))
        .await
        .unwrap_err();
    assert!(
        matches!(err, RequestError::Api(ApiError::ButtonDataInvalid)),
        "{err:?}"
    );
    let v = fake.violations();
    assert_eq!(v.len(), 1, "{v:?}");
    assert_eq!(
        v[0].path,
        "reply_markup.inline_keyboard[0][0].callback_data"
    );
    assert!(v[0].message.contains("65 bytes"), "{}", v[0].message);
    // Multi-byte: 22 × "é" (2 bytes) = 44 bytes is fine, 33 × = 66 bytes is not.
    bot.send_message(ChatId(CHAT), "ok")
        .reply_markup(keyboard(&"é".repeat(22)))
        .await
        .unwrap();
    assert!(
        bot.send_message(ChatId(CHAT), "no")
            .reply_markup(keyboard(&"é".repeat(33)))
            .await
            .is_err()
    );
    assert_eq!(fake.violations().len(), 2);
}

#[tokio::test]
async fn unknown_method_is_rejected() {
    let fake = FakeBotApi::start().await;
    let resp = fake
        .post_json("sendTelepathy", &json!({"chat_id": 1}))
        .await;
    assert_eq!(resp.status, 400);
    assert_eq!(resp.json()["ok"], false);
    assert_eq!(resp.json()["error_code"], 400);
    let v = fake.violations();
    assert_eq!(v.len(), 1);
    assert!(v[0].message.contains("unknown method"), "{}", v[0].message);
}

#[tokio::test]
async fn missing_required_parameter_is_rejected() {
    let fake = FakeBotApi::start().await;
    let resp = fake.post_json("sendMessage", &json!({"text": "hi"})).await;
    assert_eq!(resp.status, 400);
    assert_eq!(resp.json()["description"], "Bad Request: chat_id is empty");
    let v = fake.violations();
    assert_eq!(v.len(), 1);
    assert_eq!(v[0].path, "chat_id");
    assert!(fake.sent_messages(CHAT).is_empty());
}

#[tokio::test]
async fn wrong_type_is_rejected() {
    let fake = FakeBotApi::start().await;
    let resp = fake
        .post_json("sendMessage", &json!({"chat_id": true, "text": "hi"}))
        .await;
    assert_eq!(resp.status, 400);
    let v = fake.violations();
    assert_eq!(v.len(), 1);
    assert_eq!(v[0].path, "chat_id");
    assert!(
        v[0].message.contains("expected Integer or String"),
        "{}",
        v[0].message
    );
    // A reply_markup that is not an object, an unknown parameter, a Float where Integer.
    let resp = fake
        .post_json(
            "sendMessage",
            &json!({"chat_id": 1, "text": "hi", "reply_markup": "[]", "txet": 1, "message_thread_id": 1.5}),
        )
        .await;
    assert_eq!(resp.status, 400);
    let paths: Vec<String> = fake
        .violations()
        .iter()
        .skip(1)
        .map(|v| v.path.clone())
        .collect();
    assert!(paths.contains(&"reply_markup".to_owned()), "{paths:?}");
    assert!(paths.contains(&"txet".to_owned()), "{paths:?}");
    assert!(paths.contains(&"message_thread_id".to_owned()), "{paths:?}");
}

#[tokio::test]
async fn method_names_are_case_insensitive() {
    let fake = FakeBotApi::start().await;
    for method in ["sendmessage", "SendMessage", "sendMessage", "SENDMESSAGE"] {
        let resp = fake
            .post_json(method, &json!({"chat_id": CHAT, "text": method}))
            .await;
        assert_eq!(resp.status, 200, "{method}: {}", resp.text());
        assert_eq!(resp.json()["result"]["text"], method);
    }
    assert_eq!(fake.sent_messages(CHAT).len(), 4);
    assert_eq!(fake.requests_for("SENDmessage").len(), 4);
    fake.assert_no_violations();
}

#[tokio::test]
async fn form_and_query_parameters_are_coerced() {
    let fake = FakeBotApi::start().await;
    let markup = json!({"inline_keyboard": [[{"text": "A", "callback_data": "a"}]]}).to_string();
    let resp = fake
        .post_form(
            "sendMessage",
            &[
                ("chat_id", "42"),
                ("text", "hi & bye"),
                ("reply_markup", &markup),
                ("disable_notification", "true"),
            ],
        )
        .await;
    assert_eq!(resp.status, 200, "{}", resp.text());
    let req = &fake.requests()[0];
    assert_eq!(req.encoding, Encoding::Form);
    assert_eq!(req.params["chat_id"], json!(42));
    assert_eq!(req.params["disable_notification"], json!(true));
    assert_eq!(
        req.params["reply_markup"]["inline_keyboard"][0][0]["callback_data"],
        "a"
    );
    assert_eq!(fake.sent_messages(CHAT)[0].text, "hi & bye");

    let path = format!("bot{}/getUpdates?offset=0&timeout=0", fake.token());
    let resp = fake.request_raw("GET", &path, None, b"").await;
    assert_eq!(resp.status, 200, "{}", resp.text());
    assert_eq!(resp.json()["result"], json!([]));
    assert_eq!(fake.requests()[1].encoding, Encoding::Query);

    let resp = fake
        .post_form(
            "sendMessage",
            &[
                ("chat_id", "42"),
                ("text", "x"),
                ("disable_notification", "yes"),
            ],
        )
        .await;
    assert_eq!(resp.status, 400);
    assert_eq!(fake.violations()[0].path, "disable_notification");
}

#[tokio::test]
async fn wrong_token_gets_401() {
    let fake = FakeBotApi::start().await;
    let err = Bot::new("999:other")
        .set_api_url(fake.url().parse().unwrap())
        .get_me()
        .await
        .unwrap_err();
    // teloxide maps the description "Unauthorized" to InvalidToken.
    assert!(
        matches!(err, RequestError::Api(ApiError::InvalidToken)),
        "{err:?}"
    );
    let resp = fake
        .request_raw("POST", "bot999:other/getMe", None, b"")
        .await;
    assert_eq!(resp.status, 401);
    assert_eq!(
        resp.json(),
        json!({"ok": false, "error_code": 401, "description": "Unauthorized"})
    );
    fake.assert_no_violations();
}

#[tokio::test]
async fn html_and_markdown_v2_are_checked() {
    let fake = FakeBotApi::start().await;
    let bot = bot_for(&fake);
    let ok = bot
        .send_message(ChatId(CHAT), "<b>Day 3</b> &lt;3")
        .parse_mode(ParseMode::Html)
        .await
        .unwrap();
    assert_eq!(ok.text(), Some("Day 3 <3"), "the visible text is returned");
    assert_eq!(
        fake.sent_messages(CHAT)[0].text,
        "<b>Day 3</b> &lt;3",
        "recorded as sent"
    );
    let err = bot
        .send_message(ChatId(CHAT), "I <3 you")
        .parse_mode(ParseMode::Html)
        .await
        .unwrap_err();
    assert!(
        matches!(err, RequestError::Api(ApiError::CantParseEntities(_))),
        "{err:?}"
    );
    bot.send_message(ChatId(CHAT), "*Day 3* done\\!")
        .parse_mode(ParseMode::MarkdownV2)
        .await
        .unwrap();
    let err = bot
        .send_message(ChatId(CHAT), "Day 3. Done!")
        .parse_mode(ParseMode::MarkdownV2)
        .await
        .unwrap_err();
    assert!(
        matches!(err, RequestError::Api(ApiError::CantParseEntities(_))),
        "{err:?}"
    );
    assert_eq!(fake.violations().len(), 2);
    // 4096 visible characters plus markup are fine.
    let long = format!("<b>{}</b>", "a".repeat(4096));
    bot.send_message(ChatId(CHAT), long)
        .parse_mode(ParseMode::Html)
        .await
        .unwrap();
    assert_eq!(fake.violations().len(), 2);
}

#[test]
fn formatting_parser() {
    assert_eq!(
        visible_text("<b>hi</b> &lt;3", Some("HTML")).unwrap(),
        "hi <3"
    );
    assert!(visible_text("I <3 you", Some("HTML")).is_err());
    assert!(visible_text("<b>open", Some("html")).is_err());
    assert!(visible_text("a<br>b", Some("HTML")).is_err());
    assert_eq!(visible_text("AT&T", Some("HTML")).unwrap(), "AT&T");
    assert_eq!(
        visible_text(
            "<a href=\"https://x.y/?a=1&amp;b=2\">link</a>",
            Some("HTML")
        )
        .unwrap(),
        "link"
    );
    assert_eq!(
        visible_text("*bold* \\.", Some("MarkdownV2")).unwrap(),
        "bold ."
    );
    assert!(visible_text("Hello.", Some("MarkdownV2")).is_err());
    assert!(visible_text("*open", Some("MarkdownV2")).is_err());
    assert_eq!(
        visible_text("[site](https://a.b/c-d.e)", Some("MarkdownV2")).unwrap(),
        "site"
    );
    assert_eq!(visible_text("`a.b`", Some("MarkdownV2")).unwrap(), "a.b");
    assert_eq!(
        visible_text("> quote", Some("MarkdownV2")).unwrap(),
        " quote"
    );
    assert_eq!(visible_text("*b* _i_", Some("Markdown")).unwrap(), "b i");
    assert!(visible_text("*open", Some("Markdown")).is_err());
}

#[tokio::test]
async fn commands_are_checked_and_stored() {
    let fake = FakeBotApi::start().await;
    let bot = bot_for(&fake);
    let cmds = vec![
        teloxide::types::BotCommand::new("start", "Start"),
        teloxide::types::BotCommand::new("sos", "I want to text them"),
    ];
    bot.set_my_commands(cmds.clone()).await.unwrap();
    assert_eq!(bot.get_my_commands().await.unwrap(), cmds);
    assert_eq!(fake.my_commands().unwrap()[1]["command"], "sos");
    let err = bot
        .set_my_commands([teloxide::types::BotCommand::new("SOS", "x")])
        .await
        .unwrap_err();
    assert!(matches!(err, RequestError::Api(_)), "{err:?}");
    assert_eq!(fake.violations().len(), 1);
    assert_eq!(fake.violations()[0].path, "commands[0].command");
}

// --- long polling ------------------------------------------------------------------------

#[tokio::test]
async fn get_updates_returns_pending_updates_immediately() {
    let fake = FakeBotApi::start().await;
    let bot = bot_for(&fake);
    let sent = fake.user(CHAT).send_text("hello");
    // A 12-second long poll that answers well before: it never waited for its timeout.
    let updates = tokio::time::timeout(Duration::from_secs(6), bot.get_updates().timeout(12))
        .await
        .expect("answered without holding")
        .unwrap();
    assert_eq!(updates.len(), 1);
    assert_eq!(updates[0].id.0 as i64, sent.update_id);
    let UpdateKind::Message(msg) = &updates[0].kind else {
        panic!("{:?}", updates[0].kind)
    };
    assert_eq!(msg.text(), Some("hello"));
    assert_eq!(msg.id.0, sent.message_id());
}

#[tokio::test]
async fn get_updates_holds_until_timeout_then_returns_empty() {
    let fake = FakeBotApi::start().await;
    let started = Instant::now();
    let updates = bot_for(&fake).get_updates().timeout(1).await.unwrap();
    let waited = started.elapsed();
    assert!(updates.is_empty());
    assert!(
        waited >= Duration::from_millis(950),
        "returned too early: {waited:?}"
    );
    assert!(
        waited < Duration::from_secs(10),
        "held far too long: {waited:?}"
    );
}

#[tokio::test]
async fn get_updates_returns_an_update_injected_while_waiting() {
    let fake = Arc::new(FakeBotApi::start().await);
    let bot = bot_for(&fake);
    let poll = tokio::spawn(async move { bot.get_updates().timeout(12).await });
    fake.wait_for_requests("getUpdates", 1, Duration::from_secs(10))
        .await;
    let injected = fake.user(CHAT).send_command("/start");
    // A 12-second long poll that answers with the update: it was woken, not timed out.
    let updates = tokio::time::timeout(Duration::from_secs(6), poll)
        .await
        .expect("woken by the update")
        .unwrap()
        .unwrap();
    assert_eq!(updates.len(), 1);
    assert_eq!(updates[0].id.0 as i64, injected.update_id);
}

#[tokio::test]
async fn get_updates_offset_confirms_updates() {
    let fake = FakeBotApi::start().await;
    let bot = bot_for(&fake);
    let alice = fake.user(CHAT);
    let first = alice.send_text("one");
    alice.send_text("two");
    alice.send_text("three");
    // Without an offset nothing is confirmed: the same updates come again.
    assert_eq!(bot.get_updates().await.unwrap().len(), 3);
    let again = bot.get_updates().limit(2).await.unwrap();
    assert_eq!(again.len(), 2, "limit");
    assert_eq!(again[0].id.0 as i64, first.update_id);
    // offset = last seen + 1 confirms everything before it.
    let rest = bot
        .get_updates()
        .offset(again[1].id.as_offset())
        .await
        .unwrap();
    assert_eq!(rest.len(), 1);
    assert_eq!(fake.pending_updates().len(), 1);
    let none = bot
        .get_updates()
        .offset(rest[0].id.as_offset())
        .timeout(0)
        .await
        .unwrap();
    assert!(none.is_empty());
    assert!(fake.pending_updates().is_empty());
    // allowed_updates is accepted (and remembered, as Telegram does).
    fake.user(CHAT).send_text("four");
    let got = bot
        .get_updates()
        .allowed_updates([AllowedUpdate::CallbackQuery])
        .timeout(0)
        .await
        .unwrap();
    assert!(got.is_empty(), "a message is not an allowed callback_query");
    let got = bot
        .get_updates()
        .allowed_updates([AllowedUpdate::Message])
        .await
        .unwrap();
    assert_eq!(got.len(), 1);
    fake.assert_no_violations();
}

#[tokio::test]
async fn a_second_get_updates_terminates_the_first() {
    let fake = Arc::new(FakeBotApi::start().await);
    let bot = bot_for(&fake);
    let first = tokio::spawn({
        let bot = bot.clone();
        async move { bot.get_updates().timeout(5).await }
    });
    fake.wait_for_requests("getUpdates", 1, Duration::from_secs(2))
        .await;
    let second = bot.get_updates().timeout(0).await;
    assert!(second.unwrap().is_empty());
    let err = first.await.unwrap().unwrap_err();
    assert!(
        matches!(
            err,
            RequestError::Api(ApiError::TerminatedByOtherGetUpdates)
        ),
        "{err:?}"
    );
}

// --- faults ------------------------------------------------------------------------------

#[tokio::test]
async fn too_many_requests_surfaces_as_retry_after() {
    let fake = FakeBotApi::start().await;
    let bot = bot_for(&fake);
    fake.fault(
        FaultRule::method("sendMessage").chat(CHAT).times(2),
        Fault::TooManyRequests { retry_after: 7 },
    );
    for _ in 0..2 {
        let err = bot.send_message(ChatId(CHAT), "hi").await.unwrap_err();
        assert!(
            matches!(err, RequestError::RetryAfter(s) if s.seconds() == 7),
            "{err:?}"
        );
    }
    bot.send_message(ChatId(CHAT), "hi")
        .await
        .expect("the fault was used up");
    assert_eq!(
        fake.sent_messages(CHAT).len(),
        1,
        "faulted sends do not count"
    );
    let reqs = fake.requests_for("sendMessage");
    assert_eq!(reqs.len(), 3);
    assert_eq!(
        reqs[0].fault,
        Some(Fault::TooManyRequests { retry_after: 7 })
    );
    assert_eq!(reqs[0].status, Some(429));
    assert_eq!(
        reqs[0].response.as_ref().unwrap()["parameters"]["retry_after"],
        7
    );
    assert_eq!(reqs[2].fault, None);
    assert_eq!(fake.pending_faults(), 0);
    assert!(fake.unexpected_errors().is_empty());
}

#[tokio::test]
async fn sends_beyond_the_flood_limit_get_429_and_the_bucket_refills() {
    let fake = FakeBotApi::start().await;
    let bot = bot_for(&fake);
    fake.limit_send_rate(3);
    let mut limited = 0;
    for _ in 0..5 {
        match bot.send_message(ChatId(CHAT), "hi").await {
            Ok(_) => {}
            Err(RequestError::RetryAfter(s)) => {
                assert_eq!(s.seconds(), 1);
                limited += 1;
            }
            Err(other) => panic!("{other:?}"),
        }
    }
    // 3 in the same second, the other 2 refused.
    assert_eq!(limited, 2);
    // Not a send: never limited.
    bot.get_me().await.expect("getMe is not a send");
    tokio::time::sleep(Duration::from_millis(1100)).await;
    bot.send_message(ChatId(CHAT), "later")
        .await
        .expect("a new second");
    let refused = fake
        .requests_for("sendMessage")
        .iter()
        .filter(|r| r.status == Some(429))
        .count();
    assert_eq!(refused, limited);
    fake.assert_no_violations();
}

#[tokio::test]
async fn subscribers_see_each_request_once_answered() {
    let fake = FakeBotApi::start().await;
    let bot = bot_for(&fake);
    let mut events = fake.subscribe();
    bot.send_message(ChatId(CHAT), "one").await.unwrap();
    fake.fault(FaultRule::method("sendMessage"), Fault::Blocked);
    let _ = bot.send_message(ChatId(CHAT), "two").await.unwrap_err();
    let first = events.recv().await.unwrap();
    assert_eq!(first.method, "sendmessage");
    assert_eq!(first.chat_id(), Some(CHAT));
    assert!(first.ok());
    assert_eq!(first.result().unwrap()["text"], "one");
    let second = events.recv().await.unwrap();
    assert_eq!(second.status, Some(403));
    assert_eq!(second.fault, Some(Fault::Blocked));
    assert!(events.try_recv().is_err(), "nothing else happened");
}

#[tokio::test]
async fn forbidden_and_bad_request_faults_map_to_api_errors() {
    let fake = FakeBotApi::start().await;
    let bot = bot_for(&fake);
    fake.fault(FaultRule::any().chat(7), Fault::Blocked);
    fake.fault(FaultRule::method("sendMessage"), Fault::UserDeactivated);
    fake.fault(FaultRule::method("sendMessage"), Fault::ChatNotFound);
    fake.fault(
        FaultRule::method("sendMessage"),
        Fault::MigrateToChat(-1001234567890),
    );
    let err = bot.send_message(ChatId(7), "hi").await.unwrap_err();
    assert!(
        matches!(err, RequestError::Api(ApiError::BotBlocked)),
        "{err:?}"
    );
    let err = bot.send_message(ChatId(8), "hi").await.unwrap_err();
    assert!(
        matches!(err, RequestError::Api(ApiError::UserDeactivated)),
        "{err:?}"
    );
    let err = bot.send_message(ChatId(8), "hi").await.unwrap_err();
    assert!(
        matches!(err, RequestError::Api(ApiError::ChatNotFound)),
        "{err:?}"
    );
    let err = bot.send_message(ChatId(-5), "hi").await.unwrap_err();
    assert!(
        matches!(err, RequestError::MigrateToChatId(ChatId(-1001234567890))),
        "{err:?}"
    );
    bot.send_message(ChatId(7), "hi")
        .await
        .expect("one-shot faults are used up");
}

#[tokio::test]
async fn a_user_who_blocked_the_bot_gets_403_until_unblocked() {
    let fake = FakeBotApi::start().await;
    let bot = bot_for(&fake);
    let user = fake.user(CHAT);
    user.block_bot();
    let err = bot.send_message(ChatId(CHAT), "hi").await.unwrap_err();
    assert!(
        matches!(err, RequestError::Api(ApiError::BotBlocked)),
        "{err:?}"
    );
    user.unblock_bot();
    bot.send_message(ChatId(CHAT), "welcome back")
        .await
        .unwrap();
    let updates = bot.get_updates().await.unwrap();
    let UpdateKind::MyChatMember(m) = &updates[0].kind else {
        panic!("{:?}", updates[0].kind)
    };
    assert!(matches!(m.new_chat_member.kind, ChatMemberKind::Banned(_)));
}

#[tokio::test]
async fn rule_options_skip_always_and_clear() {
    let fake = FakeBotApi::start().await;
    let bot = bot_for(&fake);
    fake.fault(
        FaultRule::method("sendChatAction").skip(1).always(),
        Fault::ChatNotFound,
    );
    assert!(
        bot.send_chat_action(ChatId(CHAT), teloxide::types::ChatAction::Typing)
            .await
            .is_ok()
    );
    for _ in 0..3 {
        assert!(
            bot.send_chat_action(ChatId(CHAT), teloxide::types::ChatAction::Typing)
                .await
                .is_err()
        );
    }
    assert_eq!(fake.pending_faults(), 1);
    fake.clear_faults();
    assert!(
        bot.send_chat_action(ChatId(CHAT), teloxide::types::ChatAction::Typing)
            .await
            .is_ok()
    );
}

/// teloxide sleeps 10 s before reading any 5xx answer (DELAY_ON_SERVER_ERROR), so this test
/// runs on tokio's paused clock: the sleep passes instantly.
#[tokio::test(start_paused = true)]
async fn server_error_surfaces_and_the_next_request_succeeds() {
    let fake = FakeBotApi::start().await;
    let bot = bot_for(&fake);
    fake.fault(FaultRule::method("sendMessage"), Fault::ServerError);
    fake.fault(FaultRule::method("sendMessage"), Fault::BadGateway);
    let err = bot.send_message(ChatId(CHAT), "hi").await.unwrap_err();
    assert!(
        matches!(err, RequestError::Api(ApiError::Unknown(ref s)) if s == "Internal Server Error"),
        "{err:?}"
    );
    let err = bot.send_message(ChatId(CHAT), "hi").await.unwrap_err();
    assert!(matches!(err, RequestError::InvalidJson { .. }), "{err:?}");
    bot.send_message(ChatId(CHAT), "hi")
        .await
        .expect("next request succeeds");
    assert_eq!(fake.sent_messages(CHAT).len(), 1);
}

#[tokio::test]
async fn dropped_connection_surfaces_as_network_error_and_the_next_request_succeeds() {
    let fake = FakeBotApi::start().await;
    let bot = bot_for(&fake);
    bot.get_me().await.unwrap(); // a pooled keep-alive connection exists now
    fake.fault(FaultRule::method("sendMessage"), Fault::Drop);
    let err = bot.send_message(ChatId(CHAT), "hi").await.unwrap_err();
    assert!(matches!(err, RequestError::Network(_)), "{err:?}");
    let reqs = fake.requests_for("sendMessage");
    assert_eq!(reqs.len(), 1, "reqwest did not retry");
    assert_eq!(reqs[0].status, None);
    assert_eq!(reqs[0].fault, Some(Fault::Drop));
    bot.send_message(ChatId(CHAT), "hi")
        .await
        .expect("next request succeeds");
    assert_eq!(fake.sent_messages(CHAT).len(), 1);
}

#[tokio::test]
async fn slow_fault_delays_then_answers() {
    let fake = FakeBotApi::start().await;
    let bot = bot_for(&fake);
    fake.fault(
        FaultRule::method("sendMessage"),
        Fault::Slow(Duration::from_millis(300)),
    );
    let started = Instant::now();
    bot.send_message(ChatId(CHAT), "hi").await.unwrap();
    assert!(started.elapsed() >= Duration::from_millis(300));
    assert_eq!(
        fake.sent_messages(CHAT).len(),
        1,
        "a slow send still counts"
    );
}

// --- files -------------------------------------------------------------------------------

#[tokio::test]
async fn send_document_multipart_is_recorded() {
    let fake = FakeBotApi::start().await;
    let bot = bot_for(&fake);
    let msg = bot
        .send_document(
            ChatId(CHAT),
            InputFile::memory(b"day,mood\n1,ok\n".to_vec()).file_name("export.csv"),
        )
        .caption("Your export")
        .await
        .unwrap();
    let doc = msg.document().expect("a document message");
    assert_eq!(doc.file_name.as_deref(), Some("export.csv"));
    assert_eq!(
        doc.mime_type.as_ref().map(|m| m.essence_str().to_owned()),
        Some("text/csv".to_owned())
    );
    assert_eq!(msg.caption(), Some("Your export"));

    let req = &fake.requests_for("sendDocument")[0];
    assert_eq!(req.encoding, Encoding::Multipart);
    assert_eq!(
        req.params["chat_id"],
        json!(CHAT),
        "multipart strings are coerced"
    );
    assert!(req.str_param("document").unwrap().starts_with("attach://"));
    assert_eq!(req.files.len(), 1);
    let file = &req.files[0];
    assert_eq!(file.field, "document");
    assert_eq!(file.file_name.as_deref(), Some("export.csv"));
    assert_eq!(file.bytes, b"day,mood\n1,ok\n");
    assert_eq!(file.size, 14);
    let sent = &fake.sent_messages(CHAT)[0];
    assert_eq!(sent.method, "senddocument");
    assert_eq!(sent.text, "Your export");

    // The stored file can be fetched back with getFile + download.
    let f = bot.get_file(doc.file.id.clone()).await.unwrap();
    let path = format!("file/bot{}/{}", fake.token(), f.path);
    assert_eq!(
        fake.request_raw("GET", &path, None, b"").await.body,
        b"day,mood\n1,ok\n"
    );

    // A photo, and a caption over 1024.
    let photo = bot
        .send_photo(ChatId(CHAT), InputFile::memory(vec![0xFF, 0xD8, 0xFF]))
        .await
        .unwrap();
    assert_eq!(photo.photo().unwrap().len(), 2);
    let err = bot
        .send_photo(ChatId(CHAT), InputFile::memory(vec![1]))
        .caption("c".repeat(1025))
        .await
        .unwrap_err();
    assert!(matches!(err, RequestError::Api(_)), "{err:?}");
    assert_eq!(fake.violations().len(), 1);
    assert_eq!(fake.violations()[0].path, "caption");
    // Resending by file_id.
    bot.send_document(ChatId(CHAT), InputFile::file_id(doc.file.id.clone()))
        .await
        .unwrap();
}

// --- edits and callbacks -----------------------------------------------------------------

#[tokio::test]
async fn edit_message_text_and_reply_markup() {
    let fake = FakeBotApi::start().await;
    let bot = bot_for(&fake);
    let msg = bot
        .send_message(ChatId(CHAT), "Question?")
        .reply_markup(keyboard("yes"))
        .await
        .unwrap();
    let edited = bot
        .edit_message_text(ChatId(CHAT), msg.id, "Answered: yes")
        .await
        .expect("editMessageText");
    assert_eq!(edited.text(), Some("Answered: yes"));
    assert!(edited.edit_date().is_some());
    assert_eq!(
        edited.reply_markup(),
        None,
        "editing without reply_markup removes the keyboard"
    );
    let current = fake.message(CHAT, msg.id.0).unwrap();
    assert_eq!(current["text"], "Answered: yes");

    let err = bot
        .edit_message_text(ChatId(CHAT), msg.id, "Answered: yes")
        .await
        .unwrap_err();
    assert!(
        matches!(err, RequestError::Api(ApiError::MessageNotModified)),
        "{err:?}"
    );
    let err = bot
        .edit_message_text(ChatId(CHAT), teloxide::types::MessageId(999), "x")
        .await
        .unwrap_err();
    assert!(
        matches!(err, RequestError::Api(ApiError::MessageToEditNotFound)),
        "{err:?}"
    );

    let with_kb = bot
        .edit_message_reply_markup(ChatId(CHAT), msg.id)
        .reply_markup(keyboard("again"))
        .await
        .unwrap();
    assert_eq!(with_kb.reply_markup(), Some(&keyboard("again")));

    bot.delete_message(ChatId(CHAT), msg.id).await.unwrap();
    assert!(fake.is_deleted(CHAT, msg.id.0));
    let err = bot.delete_message(ChatId(CHAT), msg.id).await.unwrap_err();
    assert!(
        matches!(err, RequestError::Api(ApiError::MessageToDeleteNotFound)),
        "{err:?}"
    );
    fake.assert_no_violations();
}

#[tokio::test]
async fn answer_callback_query() {
    let fake = FakeBotApi::start().await;
    let bot = bot_for(&fake);
    let msg = bot
        .send_message(ChatId(CHAT), "Did you text them?")
        .reply_markup(keyboard("yes"))
        .await
        .unwrap();
    let press = fake.user(CHAT).press_button(msg.id.0, "yes");
    let updates = bot.get_updates().await.unwrap();
    let UpdateKind::CallbackQuery(q) = &updates[0].kind else {
        panic!("{:?}", updates[0].kind)
    };
    assert_eq!(q.data.as_deref(), Some("yes"));
    assert_eq!(Some(q.id.0.clone()), press.callback_query_id);
    let Some(MaybeInaccessibleMessage::Regular(m)) = &q.message else {
        panic!("{:?}", q.message)
    };
    assert_eq!(m.id, msg.id);
    assert_eq!(m.reply_markup(), Some(&keyboard("yes")));

    bot.answer_callback_query(q.id.clone())
        .text("Noted")
        .await
        .expect("answerCallbackQuery");
    assert!(fake.callback_answered(&q.id.0));
    let err = bot.answer_callback_query(q.id.clone()).await.unwrap_err();
    assert!(
        matches!(err, RequestError::Api(_)),
        "answering twice fails: {err:?}"
    );
    fake.assert_no_violations();

    let press = fake.user(CHAT).press_button(msg.id.0, "no");
    let err = bot
        .answer_callback_query(teloxide::types::CallbackQueryId(
            press.callback_query_id.unwrap(),
        ))
        .text("x".repeat(201))
        .await
        .unwrap_err();
    assert!(matches!(err, RequestError::Api(_)), "{err:?}");
    assert_eq!(fake.violations()[0].path, "text");
}

#[tokio::test]
#[should_panic(expected = "has no button with callback_data")]
async fn pressing_a_missing_button_panics() {
    let fake = FakeBotApi::start().await;
    let msg = bot_for(&fake)
        .send_message(ChatId(CHAT), "q")
        .reply_markup(keyboard("yes"))
        .await
        .unwrap();
    fake.user(CHAT).press_button(msg.id.0, "maybe");
}

// --- every injected update parses in teloxide --------------------------------------------

#[tokio::test]
async fn injected_updates_parse_in_teloxide() {
    let fake = FakeBotApi::start().await;
    let bot = bot_for(&fake);
    let anna = fake
        .user(CHAT)
        .first_name("Anna")
        .last_name("K")
        .username("anna_k");
    let bot_msg = bot
        .send_message(ChatId(CHAT), "menu")
        .reply_markup(keyboard("yes"))
        .await
        .unwrap();
    assert_eq!(
        bot_msg.chat.first_name(),
        Some("Anna"),
        "chat object follows the user's profile"
    );
    let text = anna.send_text("hi");
    anna.send_command("/start ref42");
    anna.press_button(bot_msg.id.0, "yes");
    anna.forward_text("I miss you", "Ex");
    anna.forward_text_hidden("call me", "Ex Hidden");
    anna.send_location(52.52, 13.405);
    anna.send_sticker();
    anna.send_photo();
    anna.send_photo_with_caption("us");
    anna.send_voice();
    anna.edit_text(text.message_id(), "hi!");
    anna.reply_text(text.message_id(), "reply");
    let group = fake.group(-1001234567890).title("Support group").from(7);
    let added = group.added_bot();
    group.send_text("hello group");
    group.send_command("/start@nocontact_test_bot");
    group.removed_bot();
    fake.group(-5).send_text("small group");

    let updates = bot.get_updates().await.unwrap();
    assert_eq!(updates.len(), 19);
    for u in &updates {
        assert!(
            !matches!(u.kind, UpdateKind::Error(_)),
            "teloxide could not parse: {:?}",
            u.kind
        );
    }
    let msg = |i: usize| match &updates[i].kind {
        UpdateKind::Message(m) | UpdateKind::EditedMessage(m) => m.clone(),
        other => panic!("update {i} is not a message: {other:?}"),
    };
    assert_eq!(msg(0).from.as_ref().unwrap().first_name, "Anna");
    assert_eq!(msg(0).chat.username(), Some("anna_k"));
    assert_eq!(msg(1).text(), Some("/start ref42"));
    assert_eq!(msg(1).entities().unwrap()[0].length, 6);
    assert!(matches!(updates[2].kind, UpdateKind::CallbackQuery(_)));
    match msg(3).forward_origin() {
        Some(MessageOrigin::User { sender_user, .. }) => assert_eq!(sender_user.first_name, "Ex"),
        other => panic!("{other:?}"),
    }
    assert!(matches!(
        msg(4).forward_origin(),
        Some(MessageOrigin::HiddenUser { .. })
    ));
    assert_eq!(msg(5).location().unwrap().latitude, 52.52);
    assert!(msg(6).sticker().is_some());
    assert_eq!(msg(7).photo().unwrap().len(), 2);
    assert_eq!(msg(8).caption(), Some("us"));
    assert!(msg(9).voice().is_some());
    assert!(matches!(updates[10].kind, UpdateKind::EditedMessage(_)));
    assert_eq!(msg(10).text(), Some("hi!"));
    assert_eq!(msg(11).reply_to_message().unwrap().id.0, text.message_id());
    assert!(matches!(updates[12].kind, UpdateKind::MyChatMember(_)));
    assert_eq!(updates[12].id.0 as i64, added.my_chat_member.update_id);
    assert_eq!(msg(13).new_chat_members().unwrap()[0].id.0, 123456);
    assert!(msg(13).chat.is_supergroup());
    assert_eq!(msg(14).chat.title(), Some("Support group"));
    assert_eq!(msg(14).from.as_ref().unwrap().id.0, 7);
    assert!(msg(18).chat.is_group());

    // The fake's own results conform to the spec too.
    for r in fake.requests() {
        let spec_method = fake.spec().method(&r.method).unwrap().clone();
        if let Some(result) = r.result() {
            let problems = fake.spec().check_value(&spec_method.returns[0], result);
            assert!(problems.is_empty(), "{} result: {problems:?}", r.method);
        }
    }
}

// --- webhook -----------------------------------------------------------------------------

#[tokio::test]
async fn webhook_mode() {
    // A stand-in for the bot's webhook endpoint: records bodies and the secret header.
    type Seen = Arc<Mutex<Vec<(Option<String>, Value)>>>;
    let seen: Seen = Arc::default();
    let app = axum::Router::new().route(
        "/hook",
        axum::routing::post(
            |axum::extract::State(seen): axum::extract::State<Seen>,
             headers: axum::http::HeaderMap,
             body: String| async move {
                let secret = headers
                    .get("x-telegram-bot-api-secret-token")
                    .map(|v| v.to_str().unwrap().to_owned());
                seen.lock()
                    .unwrap()
                    .push((secret, serde_json::from_str(&body).unwrap()));
                axum::http::StatusCode::OK
            },
        ),
    );
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let hook_url = format!("http://{}/hook", listener.local_addr().unwrap());
    let server = tokio::spawn(axum::serve(listener, app.with_state(seen.clone())).into_future());

    let fake = FakeBotApi::start().await;
    let bot = bot_for(&fake);
    assert_eq!(bot.get_webhook_info().await.unwrap().url, None);
    bot.set_webhook(hook_url.parse().unwrap())
        .secret_token("s3cret_token".to_owned())
        .await
        .unwrap();
    let info = bot.get_webhook_info().await.unwrap();
    assert_eq!(
        info.url.as_ref().map(|u| u.as_str()),
        Some(hook_url.as_str())
    );
    assert_eq!(
        fake.webhook().unwrap().secret_token.as_deref(),
        Some("s3cret_token")
    );

    // Real Telegram's 409 text is longer than teloxide's ApiError::CantGetUpdates string, so
    // teloxide reports it as Unknown.
    let err = bot.get_updates().await.unwrap_err();
    assert!(
        matches!(err, RequestError::Api(ApiError::Unknown(ref s)) if s.starts_with("Conflict: can't use getUpdates")),
        "{err:?}"
    );

    fake.user(CHAT).send_text("one");
    fake.user(CHAT).send_text("two");
    assert_eq!(fake.deliver_to_webhook().await, vec![200, 200]);
    assert!(fake.pending_updates().is_empty());
    {
        let seen = seen.lock().unwrap();
        assert_eq!(seen.len(), 2);
        assert_eq!(seen[0].0.as_deref(), Some("s3cret_token"));
        assert_eq!(seen[1].1["message"]["text"], "two");
    }
    let status = post_update_to(&hook_url, None, &json!({"update_id": 99}))
        .await
        .unwrap();
    assert_eq!(status, 200);

    bot.delete_webhook().await.unwrap();
    assert!(fake.webhook().is_none());
    assert!(bot.get_updates().await.unwrap().is_empty());
    fake.assert_no_violations();
    server.abort();
}

// --- a whole teloxide dispatcher against the fake -------------------------------------------

#[tokio::test]
async fn dispatcher_end_to_end() {
    use teloxide::{dispatching::UpdateFilterExt, types::CallbackQuery, update_listeners::Polling};

    async fn on_message(bot: Bot, msg: Message) -> ResponseResult<()> {
        if msg.text() == Some("/start") {
            bot.send_message(msg.chat.id, "Day 1. Did you contact them?")
                .reply_markup(keyboard("yes"))
                .await?;
        }
        Ok(())
    }
    async fn on_callback(bot: Bot, q: CallbackQuery) -> ResponseResult<()> {
        bot.answer_callback_query(q.id.clone())
            .text("Noted")
            .await?;
        if let Some(MaybeInaccessibleMessage::Regular(m)) = q.message {
            bot.edit_message_text(
                m.chat.id,
                m.id,
                format!("You said: {}", q.data.unwrap_or_default()),
            )
            .await?;
        }
        Ok(())
    }

    let fake = FakeBotApi::start().await;
    let bot = bot_for(&fake);
    let handler = dptree::entry()
        .branch(Update::filter_message().endpoint(on_message))
        .branch(Update::filter_callback_query().endpoint(on_callback));
    let listener = Polling::builder(bot.clone())
        .timeout(Duration::from_secs(1))
        .delete_webhook()
        .await
        .build();
    let mut dispatcher = Dispatcher::builder(bot, handler).build();
    let running = tokio::spawn(async move {
        dispatcher
            .dispatch_with_listener(
                listener,
                LoggingErrorHandler::with_custom_text("dispatcher"),
            )
            .await
    });

    let user = fake.user(CHAT);
    user.send_command("/start");
    let sent = fake
        .wait_for_messages(CHAT, 1, Duration::from_secs(5))
        .await;
    assert_eq!(sent[0].text, "Day 1. Did you contact them?");
    let press = user.press_button(sent[0].message_id, "yes");
    let id = press.callback_query_id.clone().unwrap();
    fake.wait_until(Duration::from_secs(5), "the edit", |f| {
        f.callback_answered(&id)
            && f.message(CHAT, sent[0].message_id).unwrap()["text"] == "You said: yes"
    })
    .await;
    running.abort();
    fake.assert_no_violations();
    assert!(fake.unexpected_errors().is_empty(), "{}", fake.dump());
}

// --- teloxide's own payloads pass the spec check (no false positives) -----------------------

#[tokio::test]
async fn common_teloxide_payloads_conform_to_the_spec() {
    use teloxide::types::{
        BotCommand, BotCommandScope, ChatAction, InputMedia, InputMediaPhoto, KeyboardButton,
        KeyboardMarkup, KeyboardRemove, LinkPreviewOptions, MessageId, Recipient, ReplyParameters,
    };
    let fake = FakeBotApi::start().await;
    let bot = bot_for(&fake);
    let first = bot.send_message(ChatId(CHAT), "first").await.unwrap();
    bot.send_message(ChatId(CHAT), "all options")
        .parse_mode(ParseMode::Html)
        .link_preview_options(LinkPreviewOptions {
            is_disabled: true,
            url: None,
            prefer_small_media: false,
            prefer_large_media: false,
            show_above_text: false,
        })
        .disable_notification(true)
        .protect_content(true)
        .reply_parameters(ReplyParameters::new(first.id).allow_sending_without_reply())
        .reply_markup(
            KeyboardMarkup::new([[KeyboardButton::new("I'm ok"), KeyboardButton::new("Help")]])
                .resize_keyboard()
                .one_time_keyboard()
                .input_field_placeholder("How are you?"),
        )
        .await
        .unwrap();
    bot.send_message(ChatId(CHAT), "remove")
        .reply_markup(KeyboardRemove::new())
        .await
        .unwrap();
    bot.send_message(Recipient::ChannelUsername("@somechannel".into()), "channel")
        .await
        .unwrap();
    bot.send_chat_action(ChatId(CHAT), ChatAction::UploadDocument)
        .await
        .unwrap();
    bot.set_my_commands([BotCommand::new("start", "Start")])
        .scope(BotCommandScope::Chat {
            chat_id: Recipient::Id(ChatId(CHAT)),
        })
        .language_code("de")
        .await
        .unwrap();
    bot.delete_my_commands()
        .scope(BotCommandScope::AllPrivateChats)
        .await
        .unwrap();
    bot.set_webhook("https://example.invalid/hook".parse().unwrap())
        .allowed_updates([
            AllowedUpdate::Message,
            AllowedUpdate::CallbackQuery,
            AllowedUpdate::MyChatMember,
        ])
        .max_connections(10)
        .drop_pending_updates(true)
        .await
        .unwrap();
    bot.delete_webhook()
        .drop_pending_updates(true)
        .await
        .unwrap();
    bot.send_photo(
        ChatId(CHAT),
        InputFile::url("https://example.invalid/a.jpg".parse().unwrap()),
    )
    .caption("<i>url</i>")
    .parse_mode(ParseMode::Html)
    .has_spoiler(true)
    .await
    .unwrap();
    let _ = bot
        .send_media_group(
            ChatId(CHAT),
            [
                InputMedia::Photo(
                    InputMediaPhoto::new(InputFile::memory(vec![1, 2, 3])).caption("a"),
                ),
                InputMedia::Photo(InputMediaPhoto::new(InputFile::memory(vec![4, 5, 6]))),
            ],
        )
        .await;
    let _ = bot.copy_message(ChatId(CHAT), ChatId(CHAT), first.id).await;
    let _ = bot
        .forward_message(ChatId(CHAT), ChatId(CHAT), first.id)
        .await;
    bot.pin_chat_message(ChatId(CHAT), first.id).await.unwrap();
    let _ = bot.ban_chat_member(ChatId(-100), UserId(7)).await;
    bot.leave_chat(ChatId(-100)).await.unwrap();
    bot.edit_message_reply_markup(ChatId(CHAT), first.id)
        .reply_markup(keyboard("k"))
        .await
        .unwrap();
    bot.delete_message(ChatId(CHAT), MessageId(first.id.0))
        .await
        .unwrap();
    bot.send_location(ChatId(CHAT), 52.5, 13.4).await.unwrap();
    bot.send_voice(ChatId(CHAT), InputFile::memory(b"OggS".to_vec()))
        .await
        .unwrap();
    let _ = bot.send_dice(ChatId(CHAT)).await;
    let group = &fake.requests_for("sendMediaGroup")[0];
    assert_eq!(group.files.len(), 2);
    assert_eq!(group.files[1].field, "media[1].media");
    fake.assert_no_violations();
}
