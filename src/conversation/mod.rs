//! The transport-agnostic conversation engine. An incoming event (text, command, button
//! press, forwarded message, location) for a chat goes in; replies come out. The engine
//! loads and stores the user's state itself and knows nothing of Telegram or terminals.

pub mod actions;
mod coaching;
pub mod commands;
mod drafts;
pub mod intents;
mod nudges;
mod onboarding;
mod privacy;
mod progress;
pub mod reply;
mod safety;
mod settings;
mod streaks;

use std::sync::Arc;

use chrono::{DateTime, NaiveDate, NaiveDateTime, Utc};
use tracing::instrument;

use crate::coach::{Coach, Verdict};
use crate::domain::ChatId;
use crate::domain::clock::Clock;
pub use crate::domain::dialogue::Dialogue;
use crate::metrics::Metrics;
use crate::store::{Lock, Parcel, Settle, Store, StoreError, User};
pub use actions::Action;
pub use commands::{COMMANDS, Command};
pub use nudges::DueMessage;
pub use reply::{Button, Document, Reply};

/// Something the user did.
#[derive(Debug, Clone, PartialEq)]
pub enum Incoming {
    Text(String),
    Command(Command),
    /// A slash command this bot does not have: its name, and the whole line as typed.
    UnknownCommand {
        name: String,
        line: String,
    },
    /// A new version of an earlier message. Acted on only if it speaks of self-harm;
    /// anything else was answered already.
    Edited(String),
    /// A button press, with the button's callback data.
    Button(String),
    /// A message forwarded from someone else: handled as the ex's words.
    Forwarded(String),
    Location {
        latitude: f64,
        longitude: f64,
    },
    /// Something that is not text: a sticker, photo, voice message…
    Unsupported(Media),
}

/// A change in the bot's membership of a chat, as Telegram reports it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Membership {
    /// The user blocked the bot: nothing more is scheduled for them until they write again.
    Blocked,
    /// The bot was added to a group: it says once that it only talks in private chats.
    AddedToGroup,
}

/// What the bot says in a group it was added to (and nothing else there).
pub const GROUP_NOTE: &str = "Hi! I only talk in private chats, to protect everyone's \
     privacy. Open a private chat with me to begin. I won't read or keep anything from this group.";

/// Kinds of non-text messages, for a fitting answer.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Media {
    Sticker,
    Photo,
    Voice,
    Video,
    Document,
    Other,
}

impl Incoming {
    /// Reads a typed line: `/name args` is a command, anything else text.
    pub fn from_text(line: &str) -> Incoming {
        let trimmed = line.trim_start();
        if let Some(rest) = trimmed.strip_prefix('/') {
            let (name, args) = rest.split_once(char::is_whitespace).unwrap_or((rest, ""));
            if !name.is_empty() && name.len() <= 64 {
                return match Command::parse(name, args) {
                    Some(command) => Incoming::Command(command),
                    None => Incoming::UnknownCommand {
                        name: name.chars().take(32).collect(),
                        line: line.to_owned(),
                    },
                };
            }
        }
        Incoming::Text(line.to_owned())
    }

    /// The words of the event, wherever they are: text, a forward, command arguments.
    fn words(&self) -> Option<&str> {
        match self {
            Incoming::Text(text) | Incoming::Forwarded(text) | Incoming::Edited(text) => Some(text),
            Incoming::UnknownCommand { line, .. } => Some(line),
            Incoming::Command(
                Command::Since(args)
                | Command::Slip(args)
                | Command::Mood(args)
                | Command::Why(args),
            ) => Some(args),
            _ => None,
        }
    }

    /// What kind of event this is, for logs and metrics (never its words).
    pub fn kind(&self) -> &'static str {
        match self {
            Incoming::Text(_) => "text",
            Incoming::Command(_) => "command",
            Incoming::UnknownCommand { .. } => "unknown_command",
            Incoming::Edited(_) => "edited",
            Incoming::Button(_) => "button",
            Incoming::Forwarded(_) => "forwarded",
            Incoming::Location { .. } => "location",
            Incoming::Unsupported(_) => "unsupported",
        }
    }
}

/// Why an event could not be handled.
#[derive(Debug, thiserror::Error)]
pub enum EngineError {
    #[error(transparent)]
    Store(#[from] StoreError),
}

/// How often a turn is tried when the database fails in passing.
const TURN_ATTEMPTS: u32 = 4;

/// What a turn came to.
#[derive(Debug)]
pub enum Settled {
    /// Committed: the replies and, for an update, the same replies staged in the outbox.
    Committed {
        replies: Vec<Reply>,
        parcels: Vec<Parcel>,
    },
    /// A turn for this update was committed before: nothing was done.
    Replayed,
}

/// Tunables of the engine.
#[derive(Debug, Clone, Copy)]
pub struct EngineSettings {
    pub wait_minutes: u32,
    pub crisis_checkin_hours: u32,
    /// How long replies stay careful (no streak talk, resources one tap away) after a
    /// crisis message.
    pub care_hours: u32,
    /// How late a nudge may still be sent (after downtime); later ones are skipped.
    pub nudge_grace_minutes: u32,
}

/// The engine. Cheap to clone; share it between adapters and the scheduler.
#[derive(Clone)]
pub struct Engine {
    store: Store,
    coach: Arc<Coach>,
    clock: Arc<dyn Clock>,
    metrics: Arc<Metrics>,
    settings: EngineSettings,
    /// Inside a turn: what the coach made of the texts classified so far, so that no text is
    /// classified twice and the message's own words are classified before the transaction
    /// begins (on SQLite a turn holds the one write lock).
    memo: Option<Arc<Memo>>,
}

/// Texts and their verdicts, for one turn.
type Memo = std::sync::Mutex<Vec<(String, Verdict)>>;

/// One handled event: the user, their pending question, and the moment.
struct Turn {
    user: User,
    dialogue: Dialogue,
    now: DateTime<Utc>,
    /// The user asked for and confirmed deletion: nothing of theirs may be written again.
    deleted: bool,
    /// The message's words as the crisis check classified them, so that coaching does not
    /// classify the same words twice.
    classified: Option<(String, Verdict)>,
}

impl Turn {
    /// The user's local calendar day.
    fn today(&self) -> NaiveDate {
        self.user.settings.timezone.local_date(self.now)
    }

    fn local_now(&self) -> NaiveDateTime {
        self.user.settings.timezone.local_datetime(self.now)
    }
}

impl Engine {
    pub fn new(
        store: Store,
        coach: Arc<Coach>,
        clock: Arc<dyn Clock>,
        metrics: Arc<Metrics>,
        settings: EngineSettings,
    ) -> Self {
        Engine {
            store,
            coach,
            clock,
            metrics,
            settings,
            memo: None,
        }
    }

    /// The engine's store, for the scheduler's claims and deliveries; adapters go through
    /// the engine's own methods instead.
    pub(crate) fn store(&self) -> &Store {
        &self.store
    }

    /// Whether the chat has a user (false after `/delete`): the console forgets the chat's
    /// files then.
    pub async fn has_user(&self, chat: ChatId) -> Result<bool, EngineError> {
        Ok(self.store.user(chat).await?.is_some())
    }

    /// Whether a turn for a Telegram update was committed (a webhook post seen before).
    pub async fn update_done(&self, update_id: i64) -> Result<bool, EngineError> {
        Ok(self.store.inbox_is_done(update_id).await?)
    }

    /// Forgets the inbox notes of updates received before `before`; returns how many.
    pub async fn prune_inbox(&self, before: DateTime<Utc>) -> Result<u64, EngineError> {
        Ok(self.store.inbox_prune(before).await?)
    }

    pub fn coach(&self) -> &Coach {
        &self.coach
    }

    pub fn metrics(&self) -> &Arc<Metrics> {
        &self.metrics
    }

    pub fn now(&self) -> DateTime<Utc> {
        self.clock.now()
    }

    /// The same engine working inside a turn's transaction.
    pub fn with_store(&self, store: Store) -> Engine {
        Engine {
            store,
            memo: Some(self.memo.clone().unwrap_or_default()),
            ..self.clone()
        }
    }

    /// The coach's reading of a text, once per text and turn.
    fn classify(&self, text: &str) -> Verdict {
        let Some(memo) = &self.memo else {
            return self.coach.classify(text);
        };
        let known = memo
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner)
            .iter()
            .find(|(t, _)| t == text)
            .map(|(_, verdict)| verdict.clone());
        known.unwrap_or_else(|| {
            let verdict = self.coach.classify(text);
            memo.lock()
                .unwrap_or_else(std::sync::PoisonError::into_inner)
                .push((text.to_owned(), verdict.clone()));
            verdict
        })
    }

    /// An engine whose memo already holds the event's words (as sent, and as cleaned for
    /// reading), classified outside any transaction.
    fn primed(&self, incoming: &Incoming) -> Engine {
        let engine = Engine {
            memo: Some(Arc::default()),
            ..self.clone()
        };
        if let Some(words) = incoming.words() {
            engine.classify(words);
            let (cleaned, _) = crate::domain::text::clean(words);
            engine.classify(&cleaned);
        }
        engine
    }

    /// Handles one event from a chat as one unit of work and returns the replies, in
    /// order: everything the turn changes commits together, or nothing does. A transient
    /// database failure runs the turn again (nothing of it was committed).
    #[instrument(level = "debug", skip_all, fields(kind = incoming.kind()))]
    pub async fn handle(
        &self,
        chat: ChatId,
        incoming: Incoming,
    ) -> Result<Vec<Reply>, EngineError> {
        // An inbox id of its own (negative, so never a Telegram update's): should a COMMIT
        // fail to answer after it did commit, the retry finds the turn done and does not
        // act twice.
        let id = -i64::try_from(seed() >> 2).unwrap_or(i64::MAX) - 1;
        match self.settle(chat, &incoming, id, None).await {
            Ok(Settled::Committed { replies, .. }) => Ok(replies),
            Ok(Settled::Replayed) => Ok(vec![Reply::text(
                "Done: that went through, though I lost my answer on the way. \
                 Type /help if you want to check anything.",
            )]),
            // Crisis resources reach the person even with the database down.
            Err(error) if self.is_crisis(&incoming) => {
                tracing::error!(%error, "a turn failed; crisis resources sent without it");
                Ok(vec![self.fallback(&incoming)])
            }
            Err(error) => Err(error),
        }
    }

    /// Handles a Telegram update: the turn, the note in the inbox that the update was
    /// handled and the replies staged in the outbox (leased to the caller for `lease`)
    /// commit together. An update whose turn was committed before is not acted on again.
    pub async fn handle_update(
        &self,
        update_id: i64,
        chat: ChatId,
        incoming: Incoming,
        lease: chrono::Duration,
    ) -> Result<Settled, EngineError> {
        self.settle(chat, &incoming, update_id, Some(lease)).await
    }

    /// Handles a change of the bot's membership of a chat as a turn of its own: the note in
    /// the inbox, what the change does (a blocked user's nudges stop) and any reply (the
    /// group note) commit together, so a replayed change is not acted on twice.
    pub async fn handle_membership(
        &self,
        update_id: i64,
        chat: ChatId,
        change: Membership,
        lease: chrono::Duration,
    ) -> Result<Settled, EngineError> {
        retrying(|| async {
            let store = self.store.begin_turn(Lock::Chat(chat)).await?;
            let now = self.clock.now();
            if !store.inbox_settle(update_id, now).await? {
                return Ok(Settled::Replayed);
            }
            let replies = match change {
                Membership::Blocked => {
                    store.mark_unreachable(chat).await?;
                    Vec::new()
                }
                Membership::AddedToGroup => vec![Reply::text(GROUP_NOTE)],
            };
            let parcels = store
                .outbox_push(chat, &replies, now, now + lease, None)
                .await?;
            store.commit().await?;
            Ok(Settled::Committed { replies, parcels })
        })
        .await
    }

    /// Runs a turn until it commits, retrying transient failures a few times.
    /// `id` is the event's inbox id; `lease`, for a Telegram update, is how long the replies
    /// it stages in the outbox are leased to the caller (the console stages none).
    async fn settle(
        &self,
        chat: ChatId,
        incoming: &Incoming,
        id: i64,
        lease: Option<chrono::Duration>,
    ) -> Result<Settled, EngineError> {
        let primed = self.primed(incoming);
        retrying(|| primed.attempt(chat, incoming, id, lease)).await
    }

    /// One try at a turn: begin, decide, stage the replies, commit. Dropped uncommitted on
    /// any error, so a failed try leaves nothing behind.
    async fn attempt(
        &self,
        chat: ChatId,
        incoming: &Incoming,
        id: i64,
        lease: Option<chrono::Duration>,
    ) -> Result<Settled, EngineError> {
        let store = self.store.begin_turn(Lock::Chat(chat)).await?;
        let now = self.clock.now();
        let known = match store.inbox_settle_loading(id, now, chat).await? {
            Settle::Replayed => return Ok(Settled::Replayed),
            Settle::Fresh(known) => known,
        };
        let engine = self.with_store(store.clone());
        let replies = engine.decide(chat, incoming.clone(), known).await?;
        let parcels = match lease {
            Some(lease) => {
                let staged = self.clock.now();
                store
                    .outbox_push(chat, &replies, staged, staged + lease, None)
                    .await?
            }
            None => Vec::new(),
        };
        store.commit().await?;
        Ok(Settled::Committed { replies, parcels })
    }

    /// What to say when a turn could not be committed even after retries: crisis resources
    /// for words of self-harm (from the content pack, without the database), else an
    /// apology. Nothing of the turn was done.
    pub fn fallback(&self, incoming: &Incoming) -> Reply {
        if let Some(words) = incoming.words()
            && self.is_crisis(incoming)
        {
            let context = crate::coach::AdviceContext {
                seed: seed(),
                ..Default::default()
            };
            let text = self
                .coach
                .advise_for(crate::coach::Situation::Crisis, words, &context)
                .text;
            return Reply::text(text).row([coaching::sos_button()]);
        }
        Reply::text(
            "Sorry, something went wrong on my side, so I didn't keep or change anything. Please try again in a moment.",
        )
    }

    /// True when the event's words speak of self-harm or suicide, or are even slightly
    /// worrying (a farewell, hopelessness): asked only when a turn could not be committed,
    /// when the careful time cannot be read, so safety is preferred.
    pub fn is_crisis(&self, incoming: &Incoming) -> bool {
        incoming.words().is_some_and(|words| {
            self.coach.classify(words).situation == crate::coach::Situation::Crisis
                || self.coach.concerning(words)
        })
    }

    /// Decides one event inside a turn: the engine's store is the turn's, and `known` the
    /// chat's user as the turn began (`None`: they never wrote before).
    async fn decide(
        &self,
        chat: ChatId,
        incoming: Incoming,
        known: Option<User>,
    ) -> Result<Vec<Reply>, EngineError> {
        // Safety first, before anything that could fail: words of self-harm or suicide, in
        // any kind of message and whatever question is pending, get crisis resources.
        let mut classified = None;
        if let Some(words) = incoming.words() {
            let verdict = self.classify(words);
            if verdict.situation == crate::coach::Situation::Crisis {
                let certain = verdict.is_certain_crisis();
                return self.crisis_first(chat, &incoming, certain).await;
            }
            classified = Some((words.to_owned(), verdict));
        }
        let now = self.clock.now();
        let (user, came_back) = self.store.ensure_loaded_user(chat, now, known).await?;
        if came_back {
            // Unreachable until now (blocked the bot): their nudges start again.
            self.schedule_nudges(&user, now).await?;
        }
        // In the careful time after a crisis message, even a slightly ambiguous message (a
        // farewell, hopelessness, being worn out) gets the crisis reply.
        if user.in_care(now)
            && let Some(words) = incoming.words()
            && self.coach.concerning(words)
        {
            return self.crisis_first(chat, &incoming, true).await;
        }
        let dialogue = user.pending(now);
        let mut turn = Turn {
            user,
            dialogue: dialogue.clone(),
            now,
            deleted: false,
            classified,
        };
        let replies = match incoming {
            Incoming::Command(command) => self.on_command(&mut turn, command).await?,
            Incoming::UnknownCommand { name, .. } => vec![unknown_command(&name)],
            Incoming::Edited(_) => Vec::new(),
            Incoming::Button(data) => self.on_button(&mut turn, &data).await?,
            Incoming::Text(text) => self.on_text(&mut turn, &text).await?,
            Incoming::Forwarded(text) => self.on_forwarded(&mut turn, &text).await?,
            Incoming::Location {
                latitude,
                longitude,
            } => self.on_location(&mut turn, latitude, longitude).await?,
            Incoming::Unsupported(media) => vec![unsupported(media)],
        };
        if !turn.deleted && turn.dialogue != dialogue {
            self.store
                .save_dialogue(turn.user.id, &turn.dialogue, now)
                .await?;
        }
        Ok(replies)
    }

    async fn on_command(
        &self,
        turn: &mut Turn,
        command: Command,
    ) -> Result<Vec<Reply>, EngineError> {
        // A command always answers; whatever question was pending is dropped.
        turn.dialogue = Dialogue::Idle;
        match command {
            Command::Sos => Ok(self.sos(turn)),
            Command::Start => self.start(turn).await,
            Command::Help => Ok(vec![help()]),
            Command::Streak => self.streak(turn).await,
            Command::Since(args) => self.since(turn, &args).await,
            Command::Slip(args) => self.slip(turn, &args).await,
            Command::History => self.history(turn).await,
            Command::Settings => self.show_settings(turn).await,
            Command::Export => self.export(turn).await,
            Command::Journal => self.journal(turn).await,
            Command::Drafts => self.drafts(turn).await,
            Command::Progress => self.progress(turn).await,
            Command::Mood(args) => self.mood_command(turn, &args).await,
            Command::Why(args) => self.why(turn, &args).await,
            Command::Delete => Ok(self.ask_delete(turn)),
            Command::Cancel => Ok(vec![Reply::text(
                "Okay, I've stopped asking. Write to me any time, or see /help.",
            )]),
        }
    }

    async fn on_button(&self, turn: &mut Turn, data: &str) -> Result<Vec<Reply>, EngineError> {
        let Some(action) = Action::decode(data) else {
            return Ok(vec![expired()]);
        };
        match action {
            Action::Wait(event) => self.wait_with_me(turn, event).await,
            Action::WriteInstead(event) => self.write_instead(turn, event).await,
            Action::Resisted(event) => self.resisted(turn, event).await,
            Action::ReachedOut(event) => self.reached_out(turn, event).await,
            Action::PickDate(date) => self.pick_date(turn, date).await,
            Action::SlipNow => match turn.dialogue {
                Dialogue::AskSlipWhen => self.log_slip_at(turn, turn.now, None).await,
                _ => Ok(vec![expired()]),
            },
            Action::SkipNote => match turn.dialogue {
                Dialogue::AskSlipNote { .. } => {
                    turn.dialogue = Dialogue::Idle;
                    Ok(vec![Reply::text(
                        "No note, that's fine. I'm here whenever you want to talk.",
                    )])
                }
                _ => Ok(vec![expired()]),
            },
            Action::KeepTime => self.keep_default_time(turn).await,
            Action::DeleteConfirm => self.confirm_delete(turn).await,
            Action::DeleteCancel => match turn.dialogue {
                Dialogue::ConfirmDelete => {
                    turn.dialogue = Dialogue::Idle;
                    Ok(vec![Reply::text(
                        "Nothing was deleted. Everything stays as it was.",
                    )])
                }
                _ => Ok(vec![expired()]),
            },
            Action::Setting(key) => Ok(self.ask_setting(turn, key)),
            Action::Mood { day, score } => self.mood(turn, day, score).await,
            Action::ReadDraft(id) => self.read_draft(turn, id).await,
            Action::DeleteDraft(id) => self.delete_draft(turn, id).await,
            Action::DeleteReason(id) => self.delete_reason(turn, id).await,
            Action::Sos => Ok(self.sos(turn)),
            Action::CheckInLater => self.check_in_later(turn).await,
            Action::ClearUnsafe => self.clear_unsafe(turn).await,
            Action::PauseNudges => self.set_paused(turn, true).await,
            Action::ResumeNudges => self.set_paused(turn, false).await,
        }
    }

    async fn on_text(&self, turn: &mut Turn, raw: &str) -> Result<Vec<Reply>, EngineError> {
        let (text, truncated) = crate::domain::text::clean(raw);
        if text.is_empty() {
            return Ok(vec![Reply::text(
                "I'm here. Write whatever is on your mind, or type /help to see what I can do.",
            )]);
        }
        if let Dialogue::AwaitDraft { event_id } = turn.dialogue
            && self.is_urgent(&text)
        {
            // Written "here instead": it stays a draft, and an urgent contact still gets
            // guidance.
            let mut replies = self.keep_draft(turn, event_id, &text, truncated).await?;
            replies.extend(self.free_text(turn, &text).await?);
            return Ok(replies);
        }
        if self.not_an_answer(turn, &text) {
            let pending = turn.dialogue.clone();
            let mut replies = self.free_text(turn, &text).await?;
            // the question stays open, whatever the answer did
            turn.dialogue = pending;
            replies.push(Reply::text(
                "(My earlier question is still open: answer it whenever you're ready, or /cancel.)",
            ));
            return Ok(replies);
        }
        match turn.dialogue.clone() {
            Dialogue::Idle => self.free_text(turn, &text).await,
            Dialogue::AskLastContact => self.answer_last_contact(turn, &text).await,
            Dialogue::AskTimezone { contact, days_ago } => {
                self.answer_timezone(turn, &text, contact, days_ago).await
            }
            Dialogue::AskMorning | Dialogue::AskEvening => self.answer_time(turn, &text).await,
            Dialogue::AskSinceDate => self.since(turn, &text).await,
            Dialogue::PickDate { purpose, .. } => self.retype_date(turn, purpose, &text).await,
            Dialogue::AskSlipWhen => self.slip(turn, &text).await,
            Dialogue::AskSlipNote { slip_id } => self.slip_note(turn, slip_id, &text).await,
            Dialogue::AwaitDraft { event_id } => {
                self.keep_draft(turn, event_id, &text, truncated).await
            }
            Dialogue::ConfirmDelete => {
                turn.dialogue = Dialogue::Idle;
                let mut replies = vec![Reply::text(
                    "I didn't delete anything: deleting needs a tap on the button. Your data is safe.",
                )];
                replies.extend(self.free_text(turn, &text).await?);
                Ok(replies)
            }
            Dialogue::AskSetting { key } => self.answer_setting(turn, key, &text).await,
            Dialogue::AwaitReflection { day } => self.reflection(turn, day, &text, truncated).await,
            Dialogue::AwaitReason => self.keep_reason(turn, &text).await,
        }
    }
}

impl Engine {
    /// An urge or a contact that needs guidance now ("he's calling me, what do I do?").
    fn is_urgent(&self, text: &str) -> bool {
        let situation = self.classify(text).situation;
        situation.is_tempting()
            || matches!(
                situation,
                crate::coach::Situation::Slipped | crate::coach::Situation::Abuse
            )
    }

    /// True when a question is pending and the message does not answer it: a streak
    /// question, a thank-you or a question about the bot, an urge or a contact, or (for a
    /// date, a time or a timezone) anything that does not read as one. Such a message is
    /// answered for what it is and the question stays open.
    fn not_an_answer(&self, turn: &Turn, text: &str) -> bool {
        use crate::domain::dates::{DateError, parse_contact_date, parse_slip_when};
        use crate::domain::time_of_day::{TimeError, parse_time_of_day};
        use crate::domain::timezone::UserTimezone;
        use actions::SettingKey;
        let unreadable_date = |e: &DateError| matches!(e, DateError::Empty | DateError::NotADate);
        // Some(true): the text reads as the answer; Some(false): it does not; None: the
        // answer is free text.
        let reads = match &turn.dialogue {
            Dialogue::Idle | Dialogue::ConfirmDelete | Dialogue::AwaitDraft { .. } => {
                return false;
            }
            Dialogue::AskLastContact | Dialogue::AskSinceDate | Dialogue::PickDate { .. } => Some(
                !parse_contact_date(text, turn.today())
                    .as_ref()
                    .is_err_and(unreadable_date),
            ),
            Dialogue::AskSlipWhen => Some(
                !parse_slip_when(text, turn.local_now())
                    .as_ref()
                    .is_err_and(unreadable_date),
            ),
            Dialogue::AskTimezone { .. }
            | Dialogue::AskSetting {
                key: SettingKey::Timezone,
            } => Some(UserTimezone::parse(text).is_ok()),
            Dialogue::AskSetting {
                key: SettingKey::Country,
            } => Some(
                crate::domain::country::Country::parse(text).is_some()
                    || matches!(text.trim().to_lowercase().as_str(), "auto" | "reset"),
            ),
            Dialogue::AskMorning
            | Dialogue::AskEvening
            | Dialogue::AskSetting {
                key: SettingKey::Morning | SettingKey::Evening,
            } => Some(!matches!(
                parse_time_of_day(text),
                Err(TimeError::Empty | TimeError::NotATime)
            )),
            Dialogue::AskSlipNote { .. }
            | Dialogue::AwaitReason
            | Dialogue::AwaitReflection { .. } => None,
        };
        if reads == Some(true) {
            return false;
        }
        if intents::asks_for_streak(text) {
            return true;
        }
        let verdict = self.classify(text);
        let about_the_bot =
            verdict.situation == crate::coach::Situation::Other && self.coach.meta(text).is_some();
        let asks = text.trim_end().ends_with('?');
        use crate::coach::Situation as S;
        match (&turn.dialogue, reads) {
            // a date, time or timezone question: a question, an urge, a contact
            (_, Some(_)) => {
                about_the_bot
                    || asks
                    || verdict.situation.is_tempting()
                    || verdict.situation == S::Abuse
                    || (verdict.situation == S::Slipped && turn.dialogue != Dialogue::AskSlipWhen)
            }
            // a reflection naturally talks about the day and the ex: only a question about
            // the bot or a moment that needs help now is not one
            (Dialogue::AwaitReflection { .. }, None) => {
                about_the_bot || matches!(verdict.situation, S::Panic | S::Abuse)
            }
            // a slip note or a reason: their words are the answer, unless they ask
            // something else, or an urge or a contact is happening now (a note that tells
            // what happened is a note)
            (_, None) => {
                about_the_bot
                    || asks
                    || matches!(verdict.situation, S::Panic | S::Abuse)
                    || (verdict.situation.is_tempting()
                        && !verdict.has(crate::coach::Tag::Happened))
            }
        }
    }
}

/// Runs a turn until it commits, trying again a few times when it failed on a passing
/// database error (nothing of a failed try was committed).
async fn retrying<F, Fut>(mut attempt: F) -> Result<Settled, EngineError>
where
    F: FnMut() -> Fut,
    Fut: std::future::Future<Output = Result<Settled, EngineError>>,
{
    let mut tries = 1u32;
    loop {
        match attempt().await {
            Err(EngineError::Store(error)) if error.is_transient() && tries < TURN_ATTEMPTS => {
                tracing::warn!(attempt = tries, %error, "a turn failed on a passing database error; running it again");
                tokio::time::sleep(std::time::Duration::from_millis(50 << tries)).await;
                tries += 1;
            }
            outcome => return outcome,
        }
    }
}

fn help() -> Reply {
    let mut text = String::from(
        "I'm your friend in your pocket for no contact. Write to me whenever you want to \
         text your ex, when they get in touch, or when it just hurts: I'll answer with \
         guidance and something to do instead. I count your streak in your own timezone, \
         keep your words private, and never send anything to anyone.\n\nCommands:\n",
    );
    for info in COMMANDS {
        text.push_str(&format!("/{} - {}\n", info.name, info.description));
    }
    Reply::text(text.trim_end())
}

fn unknown_command(name: &str) -> Reply {
    Reply::text(format!(
        "I don't know the command /{name}. Type /help to see what I can do, or just write \
         to me in your own words."
    ))
}

/// The answer to a press of a button that no longer applies (or never did).
fn expired() -> Reply {
    Reply::text(
        "That button has expired, so I didn't act on it. Nothing was changed. \
         Write to me or type /help to carry on.",
    )
}

fn unsupported(media: Media) -> Reply {
    Reply::text(match media {
        Media::Voice => {
            "I can only read text for now. Could you type what you wanted to say? I'm listening."
        }
        Media::Sticker => "I can't read stickers, but I'm here. Tell me in words how you're doing?",
        Media::Photo | Media::Video => {
            "I can't look at pictures or videos. If something in it is on your mind, tell me in words."
        }
        Media::Document | Media::Other => {
            "I can only read text messages. Write to me in words and I'll answer."
        }
    })
}

/// A date as people read it: "Sun 1 Nov 2026".
fn human_date(date: NaiveDate) -> String {
    date.format("%a %-d %b %Y").to_string()
}

/// "1 day" / "3 days".
fn days(n: i64) -> String {
    crate::domain::plural::plural(n, "day")
}

/// A varied pick from a list, different from the previous pick where possible.
fn pick(list: &[String], seed: u64) -> &str {
    if list.is_empty() {
        return "";
    }
    &list[(seed % list.len() as u64) as usize]
}

/// A fresh seed for varied replies.
fn seed() -> u64 {
    use std::hash::BuildHasher;
    std::collections::hash_map::RandomState::new().hash_one(std::time::SystemTime::now())
}
