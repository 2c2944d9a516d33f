//! Builders that enqueue realistic updates from users and groups.
//!
//! Every update built here is checked against the spec's `Update` type before it is queued
//! (a failure is a bug in this fake and panics).

use serde_json::{Value, json};

use super::{
    FakeBotApi,
    record::Injected,
    state::{ChatKind, State, StoredMessage, unix_now},
};

/// A user in a private chat with the bot (`chat_id == user id`). Get one with
/// [`FakeBotApi::user`].
#[derive(Clone, Copy)]
pub struct UserHandle<'a> {
    pub(crate) fake: &'a FakeBotApi,
    pub(crate) user_id: i64,
}

/// A group or supergroup with the bot. Get one with [`FakeBotApi::group`]; messages come from
/// the member set with [`GroupHandle::from`] (default: user 100001 "Member").
#[derive(Clone, Copy)]
pub struct GroupHandle<'a> {
    pub(crate) fake: &'a FakeBotApi,
    pub(crate) chat_id: i64,
    pub(crate) sender: i64,
}

/// The two updates Telegram sends when the bot is added to / removed from a group.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct BotMembership {
    /// The `my_chat_member` update (bot status `left` → `member`, or back).
    pub my_chat_member: Injected,
    /// The service message (`new_chat_members: [bot]` or `left_chat_member: bot`).
    pub message: Injected,
}

fn fnv(s: &str) -> u64 {
    s.bytes().fold(0xcbf29ce484222325u64, |h, b| {
        (h ^ u64::from(b)).wrapping_mul(0x100000001b3)
    })
}

/// A message from `from_id` in `chat_id`, stored so it can be edited / replied to later.
fn user_message(st: &mut State, chat_id: i64, from_id: i64, content: Value) -> (Value, i32) {
    let id = st.next_message_id(chat_id);
    let mut msg = json!({
        "message_id": id,
        "from": st.user(from_id),
        "chat": st.chat_json(chat_id),
        "date": unix_now(),
    });
    if let (Some(m), Some(c)) = (msg.as_object_mut(), content.as_object()) {
        for (k, v) in c {
            m.insert(k.clone(), v.clone());
        }
    }
    st.messages.insert(
        (chat_id, id),
        StoredMessage {
            json: msg.clone(),
            from_bot: false,
            deleted: false,
        },
    );
    (msg, id)
}

fn command_content(text: &str) -> Value {
    let command_len = text
        .split_whitespace()
        .next()
        .unwrap_or("")
        .encode_utf16()
        .count();
    json!({
        "text": text,
        "entities": [{"type": "bot_command", "offset": 0, "length": command_len}],
    })
}

fn member(bot: &Value, status: &str) -> Value {
    let mut m = json!({"user": bot, "status": status});
    if status == "kicked" {
        m["until_date"] = json!(0);
    }
    m
}

impl UserHandle<'_> {
    /// The user's id (= the private chat's id).
    pub fn id(&self) -> i64 {
        self.user_id
    }

    fn set_profile(self, key: &str, value: &str) -> Self {
        let mut st = self.fake.shared.lock();
        let mut user = st.user(self.user_id);
        user[key] = json!(value);
        st.users.insert(self.user_id, user);
        self
    }

    /// Sets the user's first name (default `User<id>`), used in later updates and in the
    /// `chat` of messages the bot sends to this user.
    pub fn first_name(self, name: &str) -> Self {
        self.set_profile("first_name", name)
    }

    pub fn last_name(self, name: &str) -> Self {
        self.set_profile("last_name", name)
    }

    pub fn username(self, username: &str) -> Self {
        self.set_profile("username", username)
    }

    /// Default `en`.
    pub fn language_code(self, code: &str) -> Self {
        self.set_profile("language_code", code)
    }

    fn message(&self, content: Value) -> Injected {
        let (chat, from) = (self.user_id, self.user_id);
        self.fake.inject(|st| {
            let (msg, id) = user_message(st, chat, from, content);
            (json!({"message": msg}), Some(id), None)
        })
    }

    /// A plain text message.
    pub fn send_text(&self, text: &str) -> Injected {
        self.message(json!({"text": text}))
    }

    /// A command such as `/start` or `/start ref123`, with its `bot_command` entity.
    pub fn send_command(&self, command: &str) -> Injected {
        assert!(
            command.starts_with('/'),
            "a command starts with '/': {command:?}"
        );
        self.message(command_content(command))
    }

    /// A text message replying to message `reply_to` of this chat.
    pub fn reply_text(&self, reply_to: i32, text: &str) -> Injected {
        let original = {
            let st = self.fake.shared.lock();
            st.messages
                .get(&(self.user_id, reply_to))
                .map(|m| m.json.clone())
                .unwrap_or_else(|| {
                    panic!("reply_text: no message {reply_to} in chat {}", self.user_id)
                })
        };
        self.message(json!({"text": text, "reply_to_message": original}))
    }

    /// Presses the inline button with `callback_data == data` under the bot's message
    /// `message_id`. Panics if the bot never sent that message to this chat or the message has
    /// no such button now (use [`press_button_unchecked`](Self::press_button_unchecked) for
    /// stale buttons).
    pub fn press_button(&self, message_id: i32, data: &str) -> Injected {
        self.press(message_id, data, true)
    }

    /// Like [`press_button`](Self::press_button) without checking that the button exists
    /// (e.g. a press on a keyboard the bot has since edited away).
    pub fn press_button_unchecked(&self, message_id: i32, data: &str) -> Injected {
        self.press(message_id, data, false)
    }

    fn press(&self, message_id: i32, data: &str, checked: bool) -> Injected {
        let (chat, user_id) = (self.user_id, self.user_id);
        self.fake.inject(|st| {
            let stored = st
                .messages
                .get(&(chat, message_id))
                .filter(|m| m.from_bot)
                .unwrap_or_else(|| {
                    panic!("press_button: the bot never sent message {message_id} to chat {chat}")
                })
                .json
                .clone();
            if checked {
                let available: Vec<&str> = stored["reply_markup"]["inline_keyboard"]
                    .as_array()
                    .into_iter()
                    .flatten()
                    .filter_map(Value::as_array)
                    .flatten()
                    .filter_map(|b| b.get("callback_data").and_then(Value::as_str))
                    .collect();
                assert!(
                    available.contains(&data),
                    "press_button: message {message_id} in chat {chat} has no button with \
                     callback_data {data:?}; it has {available:?}"
                );
            }
            let n = st.next_callback;
            st.next_callback += 1;
            let id = format!(
                "{}{:06}",
                (user_id as u64).wrapping_mul(4_294_967_311) % 10u64.pow(13),
                n
            );
            st.callback_queries.insert(id.clone(), false);
            let chat_instance = format!("{}", (fnv(&chat.to_string()) >> 2) as i64);
            let update = json!({"callback_query": {
                "id": id,
                "from": st.user(user_id),
                "message": stored,
                "chat_instance": chat_instance,
                "data": data,
            }});
            (update, Some(message_id), Some(id))
        })
    }

    /// A text forwarded from a user called `from_name` (`forward_origin` of type `user`, as
    /// Bot API 7+ sends and teloxide 0.17 reads; the pre-7.0 `forward_from` fields are gone).
    pub fn forward_text(&self, text: &str, from_name: &str) -> Injected {
        let sender_id = 5_000_000_000 + (fnv(from_name) % 1_000_000_000) as i64;
        self.message(json!({
            "text": text,
            "forward_origin": {
                "type": "user",
                "date": unix_now() - 3600,
                "sender_user": {"id": sender_id, "is_bot": false, "first_name": from_name},
            },
        }))
    }

    /// A text forwarded from a user who hides their account in forwards (`forward_origin` of
    /// type `hidden_user` with only `sender_user_name`).
    pub fn forward_text_hidden(&self, text: &str, sender_name: &str) -> Injected {
        self.message(json!({
            "text": text,
            "forward_origin": {
                "type": "hidden_user",
                "date": unix_now() - 3600,
                "sender_user_name": sender_name,
            },
        }))
    }

    pub fn send_location(&self, latitude: f64, longitude: f64) -> Injected {
        self.message(json!({"location": {"latitude": latitude, "longitude": longitude}}))
    }

    pub fn send_sticker(&self) -> Injected {
        let file = self.fake.shared.lock().store_file(
            "sticker",
            ".webp",
            b"RIFF\0\0\0\0WEBPVP8 ".to_vec(),
        );
        self.message(json!({"sticker": {
            "file_id": file.file_id,
            "file_unique_id": file.file_unique_id,
            "type": "regular",
            "width": 512,
            "height": 512,
            "is_animated": false,
            "is_video": false,
            "emoji": "😢",
            "set_name": "FakeStickers",
            "file_size": file.bytes.len(),
        }}))
    }

    pub fn send_photo(&self) -> Injected {
        self.send_photo_inner(None)
    }

    pub fn send_photo_with_caption(&self, caption: &str) -> Injected {
        self.send_photo_inner(Some(caption))
    }

    fn send_photo_inner(&self, caption: Option<&str>) -> Injected {
        let (small, big) = {
            let mut st = self.fake.shared.lock();
            let jpeg = b"\xFF\xD8\xFF\xE0\0\x10JFIF\0fake-jpeg\xFF\xD9".to_vec();
            (
                st.store_file("photo", ".jpg", jpeg.clone()),
                st.store_file("photo", ".jpg", jpeg),
            )
        };
        let mut content = json!({"photo": [
            {"file_id": small.file_id, "file_unique_id": small.file_unique_id,
             "width": 90, "height": 68, "file_size": small.bytes.len()},
            {"file_id": big.file_id, "file_unique_id": big.file_unique_id,
             "width": 1280, "height": 960, "file_size": big.bytes.len()},
        ]});
        if let Some(c) = caption {
            content["caption"] = json!(c);
        }
        self.message(content)
    }

    pub fn send_voice(&self) -> Injected {
        let file = self
            .fake
            .shared
            .lock()
            .store_file("voice", ".oga", b"OggS\0fake-opus".to_vec());
        self.message(json!({"voice": {
            "file_id": file.file_id,
            "file_unique_id": file.file_unique_id,
            "duration": 3,
            "mime_type": "audio/ogg",
            "file_size": file.bytes.len(),
        }}))
    }

    /// The user edits their earlier text message `message_id` (an `edited_message` update).
    pub fn edit_text(&self, message_id: i32, text: &str) -> Injected {
        let chat = self.user_id;
        self.fake.inject(|st| {
            let stored = st
                .messages
                .get_mut(&(chat, message_id))
                .filter(|m| !m.from_bot && !m.deleted)
                .unwrap_or_else(|| {
                    panic!("edit_text: chat {chat} has no message {message_id} from the user")
                });
            stored.json["text"] = json!(text);
            stored.json["edit_date"] = json!(unix_now());
            (
                json!({"edited_message": stored.json.clone()}),
                Some(message_id),
                None,
            )
        })
    }

    /// The user blocks the bot: a `my_chat_member` update (member → kicked), and from now on
    /// every send to this chat is answered 403 "Forbidden: bot was blocked by the user".
    pub fn block_bot(&self) -> Injected {
        self.member_change("member", "kicked", true)
    }

    /// The user unblocks the bot (kicked → member).
    pub fn unblock_bot(&self) -> Injected {
        self.member_change("kicked", "member", false)
    }

    fn member_change(&self, old: &str, new: &str, blocked: bool) -> Injected {
        let (chat, bot) = (self.user_id, self.fake.shared.cfg.bot.user_json());
        self.fake.inject(|st| {
            st.chat(chat).blocked = blocked;
            let update = json!({"my_chat_member": {
                "chat": st.chat_json(chat),
                "from": st.user(chat),
                "date": unix_now(),
                "old_chat_member": member(&bot, old),
                "new_chat_member": member(&bot, new),
            }});
            (update, None, None)
        })
    }
}

impl GroupHandle<'_> {
    pub fn id(&self) -> i64 {
        self.chat_id
    }

    /// Sets the group's title.
    pub fn title(self, title: &str) -> Self {
        let mut st = self.fake.shared.lock();
        match &mut st.chat(self.chat_id).kind {
            ChatKind::Group { title: t }
            | ChatKind::Supergroup { title: t, .. }
            | ChatKind::Channel { title: t, .. } => *t = title.to_owned(),
            ChatKind::Private => {}
        }
        drop(st);
        self
    }

    /// Messages built by this handle come from user `user_id`.
    pub fn from(self, user_id: i64) -> Self {
        GroupHandle {
            sender: user_id,
            ..self
        }
    }

    fn message(&self, content: Value) -> Injected {
        let (chat, from) = (self.chat_id, self.sender);
        self.fake.inject(|st| {
            let (msg, id) = user_message(st, chat, from, content);
            (json!({"message": msg}), Some(id), None)
        })
    }

    pub fn send_text(&self, text: &str) -> Injected {
        self.message(json!({"text": text}))
    }

    /// A command; in groups clients usually send `/cmd@botname`.
    pub fn send_command(&self, command: &str) -> Injected {
        assert!(
            command.starts_with('/'),
            "a command starts with '/': {command:?}"
        );
        self.message(command_content(command))
    }

    /// The bot is added to the group by the current sender: a `my_chat_member` update
    /// (left → member) followed by a message with `new_chat_members: [bot]`.
    pub fn added_bot(&self) -> BotMembership {
        let my_chat_member = self.bot_member_change("left", "member");
        let bot = self.fake.shared.cfg.bot.user_json();
        let message = self.message(json!({"new_chat_members": [bot]}));
        BotMembership {
            my_chat_member,
            message,
        }
    }

    /// The bot is removed from the group (member → left): a `my_chat_member` update followed
    /// by a message with `left_chat_member: bot`.
    pub fn removed_bot(&self) -> BotMembership {
        let my_chat_member = self.bot_member_change("member", "left");
        let bot = self.fake.shared.cfg.bot.user_json();
        let message = self.message(json!({"left_chat_member": bot}));
        BotMembership {
            my_chat_member,
            message,
        }
    }

    fn bot_member_change(&self, old: &str, new: &str) -> Injected {
        let (chat, from, bot) = (
            self.chat_id,
            self.sender,
            self.fake.shared.cfg.bot.user_json(),
        );
        self.fake.inject(|st| {
            let update = json!({"my_chat_member": {
                "chat": st.chat_json(chat),
                "from": st.user(from),
                "date": unix_now(),
                "old_chat_member": member(&bot, old),
                "new_chat_member": member(&bot, new),
            }});
            (update, None, None)
        })
    }
}
