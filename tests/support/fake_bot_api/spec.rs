//! The Bot API specification (`api.json`, PaulSonOfLars/telegram-bot-api-spec format) and the
//! checks of requests against it.
//!
//! What is checked, for every method parameter and, recursively, every field of every object
//! type the spec describes (e.g. `reply_markup` → `InlineKeyboardMarkup` → `inline_keyboard`
//! → `InlineKeyboardButton`):
//! - unknown method, unknown parameter / field, missing required parameter / field
//!   (including "Required if inline_message_id is not specified");
//! - JSON type (`Integer`, `Float`, `Boolean`, `String`, `InputFile`, `Array of …`, object
//!   types, unions such as `Integer or String` and `InlineKeyboardMarkup or ReplyKeyboardMarkup
//!   or …`, and abstract types such as `BotCommandScope` whose subtypes are tried in turn).
//!   Form / multipart / query values arrive as strings and are coerced first (numbers,
//!   `true`/`false`, JSON-serialized objects and arrays); JSON bodies are checked strictly;
//! - length limits written in the descriptions as "N-M characters" / "N-M bytes" (`text`
//!   1-4096, `caption` 0-1024, `callback_data` 1-64 bytes, answerCallbackQuery `text` 0-200,
//!   `BotCommand.command` 1-32, …). "Characters" are counted in UTF-16 code units, as Telegram
//!   counts all text lengths and entity offsets (same as `chars` for text without emoji; an
//!   emoji counts 2, so this is slightly stricter than counting `char`s). For fields limited
//!   "after entities parsing", the text is measured after parsing the `parse_mode` markup
//!   (`quote_parse_mode` for `quote`, …), and the markup itself must parse (see
//!   [`super::formatting`]);
//! - constants of subtypes (`"type": "chat"` in `BotCommandScopeChat`), `parse_mode` values,
//!   `sendChatAction.action` values, `allowed_updates` names, `secret_token` characters,
//!   `BotCommand.command` characters, "exactly one of the optional fields" of an
//!   `InlineKeyboardButton` and a non-empty button text.

use std::{
    collections::{HashMap, HashSet},
    fmt,
    path::{Path, PathBuf},
    sync::{Arc, Mutex, OnceLock},
};

use serde_json::{Map, Value};

use super::formatting::{utf16_len, visible_text};

/// Default location of the spec: `<crate>/../shared/telegram-bot-api-spec/api.json`.
pub fn default_spec_path() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../shared/telegram-bot-api-spec/api.json")
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum LengthUnit {
    /// UTF-16 code units (Telegram's "characters").
    Utf16,
    /// UTF-8 bytes.
    Bytes,
}

/// One parameter of a method or one field of a type.
#[derive(Debug, Clone)]
pub struct FieldSpec {
    pub name: String,
    /// Alternatives, e.g. `["Integer", "String"]` or `["Array of Array of InlineKeyboardButton"]`.
    pub types: Vec<String>,
    pub required: bool,
    pub description: String,
    /// `(min, max, unit)` parsed from "N-M characters" / "N-M bytes" in the description.
    pub limit: Option<(usize, usize, LengthUnit)>,
    /// The limit applies to the text after parsing `parse_mode` markup.
    pub after_entities: bool,
    /// Constant value of a discriminator field (`always "user"`, `must be chat`).
    pub constant: Option<String>,
    /// "Required if inline_message_id is not specified".
    pub required_without_inline_id: bool,
}

#[derive(Debug, Clone)]
pub struct TypeSpec {
    pub name: String,
    pub fields: Vec<FieldSpec>,
    pub subtypes: Vec<String>,
}

#[derive(Debug, Clone)]
pub struct MethodSpec {
    /// Spec spelling, e.g. `sendMessage`.
    pub name: String,
    pub fields: Vec<FieldSpec>,
    pub returns: Vec<String>,
}

/// The parsed `api.json`.
pub struct Spec {
    pub version: String,
    pub path: PathBuf,
    methods: HashMap<String, MethodSpec>,
    types: HashMap<String, TypeSpec>,
}

impl fmt::Debug for Spec {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Spec")
            .field("version", &self.version)
            .field("path", &self.path)
            .field("methods", &self.methods.len())
            .field("types", &self.types.len())
            .finish()
    }
}

/// One thing wrong with a request.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Problem {
    /// Where: `text`, `reply_markup.inline_keyboard[0][1].callback_data`, or `` for the request.
    pub path: String,
    pub message: String,
    /// The description the real Bot API answers for this mistake, when it is known
    /// (e.g. `Bad Request: message is too long`).
    pub telegram: Option<String>,
}

impl fmt::Display for Problem {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if self.path.is_empty() {
            write!(f, "{}", self.message)
        } else {
            write!(f, "{}: {}", self.path, self.message)
        }
    }
}

fn problem(path: &str, message: impl Into<String>) -> Problem {
    Problem {
        path: path.to_owned(),
        message: message.into(),
        telegram: None,
    }
}

fn problem_tg(path: &str, message: impl Into<String>, telegram: &str) -> Problem {
    Problem {
        path: path.to_owned(),
        message: message.into(),
        telegram: Some(telegram.to_owned()),
    }
}

static CACHE: OnceLock<Mutex<HashMap<PathBuf, Arc<Spec>>>> = OnceLock::new();

const CHAT_ACTIONS: &[&str] = &[
    "typing",
    "upload_photo",
    "record_video",
    "upload_video",
    "record_voice",
    "upload_voice",
    "upload_document",
    "choose_sticker",
    "find_location",
    "record_video_note",
    "upload_video_note",
];

impl Spec {
    /// Loads (once per process and path) and parses the spec.
    pub fn load(path: impl AsRef<Path>) -> Result<Arc<Spec>, String> {
        let path = path.as_ref().to_path_buf();
        let cache = CACHE.get_or_init(|| Mutex::new(HashMap::new()));
        if let Some(spec) = cache.lock().unwrap_or_else(|e| e.into_inner()).get(&path) {
            return Ok(spec.clone());
        }
        let text = std::fs::read_to_string(&path)
            .map_err(|e| format!("cannot read Bot API spec {}: {e}", path.display()))?;
        let spec = Arc::new(Self::parse(&text, path.clone())?);
        cache
            .lock()
            .unwrap_or_else(|e| e.into_inner())
            .insert(path, spec.clone());
        Ok(spec)
    }

    fn parse(text: &str, path: PathBuf) -> Result<Spec, String> {
        let root: Value =
            serde_json::from_str(text).map_err(|e| format!("invalid spec JSON: {e}"))?;
        let version = root["version"].as_str().unwrap_or("?").to_owned();
        let methods_json = root["methods"]
            .as_object()
            .ok_or("spec has no `methods` object")?;
        let types_json = root["types"]
            .as_object()
            .ok_or("spec has no `types` object")?;
        let methods = methods_json
            .values()
            .map(|m| {
                let name = m["name"].as_str().unwrap_or_default().to_owned();
                let spec = MethodSpec {
                    name: name.clone(),
                    fields: parse_fields(&m["fields"]),
                    returns: str_list(&m["returns"]),
                };
                (name.to_ascii_lowercase(), spec)
            })
            .collect();
        let types = types_json
            .values()
            .map(|t| {
                let name = t["name"].as_str().unwrap_or_default().to_owned();
                let spec = TypeSpec {
                    name: name.clone(),
                    fields: parse_fields(&t["fields"]),
                    subtypes: str_list(&t["subtypes"]),
                };
                (name, spec)
            })
            .collect();
        Ok(Spec {
            version,
            path,
            methods,
            types,
        })
    }

    /// Looks a method up case-insensitively (`SendMessage`, `sendmessage`, `sendMessage`).
    pub fn method(&self, name: &str) -> Option<&MethodSpec> {
        self.methods.get(&name.to_ascii_lowercase())
    }

    pub fn type_spec(&self, name: &str) -> Option<&TypeSpec> {
        self.types.get(name)
    }

    /// Checks the parameters of a call to `method`. `stringly` means the values came from a
    /// form, a multipart body or a query string: they are strings and are coerced (in place)
    /// to the spec's types. `attachments` are the names of the uploaded multipart file parts
    /// that `attach://<name>` may refer to.
    pub fn check_request(
        &self,
        method: &str,
        params: &mut Map<String, Value>,
        stringly: bool,
        attachments: &HashSet<String>,
    ) -> Vec<Problem> {
        let Some(m) = self.method(method) else {
            return vec![problem_tg(
                "",
                format!("unknown method \"{method}\" (not in {})", self.version),
                "Not Found: method not found",
            )];
        };
        let mut ctx = Ctx {
            spec: self,
            attachments,
            problems: Vec::new(),
        };
        ctx.check_fields(&m.fields, params, "", stringly, &m.name, true);
        ctx.method_rules(&m.name, params);
        ctx.problems
    }

    /// Checks a JSON value against a spec type, e.g. `check_value("Update", &update)`. Used to
    /// make sure the updates and results this fake produces are themselves spec-conformant.
    pub fn check_value(&self, type_name: &str, value: &Value) -> Vec<Problem> {
        let empty = HashSet::new();
        let mut ctx = Ctx {
            spec: self,
            attachments: &empty,
            problems: Vec::new(),
        };
        let mut v = value.clone();
        ctx.problems = ctx.check_alternatives(&[type_name.to_owned()], &mut v, "", false);
        ctx.problems
    }

    /// Names of the fields of `Update` that can be passed in `allowed_updates`.
    pub fn update_kinds(&self) -> Vec<String> {
        self.types
            .get("Update")
            .map(|t| {
                t.fields
                    .iter()
                    .filter(|f| f.name != "update_id")
                    .map(|f| f.name.clone())
                    .collect()
            })
            .unwrap_or_default()
    }
}

fn str_list(v: &Value) -> Vec<String> {
    v.as_array()
        .map(|a| {
            a.iter()
                .filter_map(|s| s.as_str().map(str::to_owned))
                .collect()
        })
        .unwrap_or_default()
}

fn parse_fields(v: &Value) -> Vec<FieldSpec> {
    let Some(fields) = v.as_array() else {
        return Vec::new();
    };
    fields
        .iter()
        .map(|f| {
            let name = f["name"].as_str().unwrap_or_default().to_owned();
            let description = f["description"].as_str().unwrap_or_default().to_owned();
            let types = str_list(&f["types"]);
            let limit = if types.iter().any(|t| t == "String") {
                parse_limit(&description)
            } else {
                None
            };
            let constant = if matches!(name.as_str(), "type" | "source" | "status") {
                parse_constant(&description)
            } else {
                None
            };
            FieldSpec {
                after_entities: description.contains("after entit"),
                required_without_inline_id: description
                    .starts_with("Required if inline_message_id is not specified"),
                required: f["required"].as_bool().unwrap_or(false),
                name,
                types,
                description,
                limit,
                constant,
            }
        })
        .collect()
}

/// Finds "N-M characters" or "N-M bytes".
fn parse_limit(description: &str) -> Option<(usize, usize, LengthUnit)> {
    let words: Vec<&str> = description.split_whitespace().collect();
    for pair in words.windows(2) {
        let unit = pair[1].trim_end_matches([',', '.', ';', ')']);
        let unit = match unit {
            "characters" | "character" => LengthUnit::Utf16,
            "bytes" | "byte" => LengthUnit::Bytes,
            _ => continue,
        };
        let range = pair[0].trim_start_matches('(');
        if let Some((lo, hi)) = range.split_once('-')
            && let (Ok(lo), Ok(hi)) = (lo.parse(), hi.parse())
        {
            return Some((lo, hi, unit));
        }
    }
    None
}

/// `Type of the message origin, always "user"` → `user`; `Scope type, must be chat` → `chat`.
fn parse_constant(description: &str) -> Option<String> {
    if let Some(rest) = description.split("always \"").nth(1) {
        return rest.split('"').next().map(str::to_owned);
    }
    if let Some(rest) = description.split("must be ").nth(1) {
        let word: String = rest
            .chars()
            .take_while(|c| c.is_ascii_alphanumeric() || *c == '_')
            .collect();
        if !word.is_empty() && word != "one" {
            return Some(word);
        }
    }
    None
}

fn json_kind(v: &Value) -> &'static str {
    match v {
        Value::Null => "null",
        Value::Bool(_) => "Boolean",
        Value::Number(n) if n.is_i64() || n.is_u64() => "Integer",
        Value::Number(_) => "Float",
        Value::String(_) => "String",
        Value::Array(_) => "Array",
        Value::Object(_) => "Object",
    }
}

fn join_path(parent: &str, child: &str) -> String {
    if parent.is_empty() {
        child.to_owned()
    } else {
        format!("{parent}.{child}")
    }
}

struct Ctx<'a> {
    spec: &'a Spec,
    attachments: &'a HashSet<String>,
    problems: Vec<Problem>,
}

impl Ctx<'_> {
    /// Checks an object's fields (a method's parameters when `method` is given).
    fn check_fields(
        &mut self,
        fields: &[FieldSpec],
        obj: &mut Map<String, Value>,
        path: &str,
        stringly: bool,
        owner: &str,
        is_method: bool,
    ) {
        let what = if is_method { "parameter" } else { "field" };
        for key in obj.keys() {
            if !fields.iter().any(|f| &f.name == key) {
                self.problems.push(problem(
                    &join_path(path, key),
                    format!("unknown {what} \"{key}\" (not a {what} of {owner} in the spec)"),
                ));
            }
        }
        let has_inline_id = obj.get("inline_message_id").is_some_and(|v| !v.is_null());
        for field in fields {
            let fpath = join_path(path, &field.name);
            let present = obj.get(&field.name).is_some_and(|v| !v.is_null());
            if !present {
                if field.required || (field.required_without_inline_id && !has_inline_id) {
                    let tg = match field.name.as_str() {
                        "chat_id" => "Bad Request: chat_id is empty",
                        "text" if is_method => "Bad Request: message text is empty",
                        _ => "",
                    };
                    let msg = if field.required {
                        format!("required {what} \"{}\" is missing", field.name)
                    } else {
                        format!(
                            "{what} \"{}\" is required when inline_message_id is not given",
                            field.name
                        )
                    };
                    let mut p = problem(&fpath, msg);
                    if !tg.is_empty() {
                        p.telegram = Some(tg.to_owned());
                    }
                    self.problems.push(p);
                }
                continue;
            }
            let value = obj.get_mut(&field.name).expect("present");
            let problems = self.check_alternatives(&field.types, value, &fpath, stringly);
            self.problems.extend(problems);
        }
        // Second pass: constraints that need the (coerced) values and their siblings.
        for field in fields {
            let Some(Value::String(s)) = obj.get(&field.name) else {
                continue;
            };
            let fpath = join_path(path, &field.name);
            // `quote` goes with `quote_parse_mode`, `question` with `question_parse_mode`, …;
            // `text`, `caption` and `message_text` with `parse_mode`.
            let own_mode = obj.get(&format!("{}_parse_mode", field.name));
            let shared_mode = if matches!(field.name.as_str(), "text" | "caption" | "message_text")
            {
                obj.get("parse_mode")
            } else {
                None
            };
            let parse_mode = own_mode
                .or(shared_mode)
                .and_then(Value::as_str)
                .map(str::to_owned);
            if let Some(constant) = &field.constant
                && s != constant
            {
                self.problems.push(problem(
                    &fpath,
                    format!("must be \"{constant}\", got \"{s}\""),
                ));
            }
            if (field.name == "parse_mode" || field.name.ends_with("_parse_mode"))
                && !["html", "markdownv2", "markdown"].contains(&s.to_ascii_lowercase().as_str())
            {
                self.problems.push(problem_tg(
                    &fpath,
                    format!("unsupported parse_mode \"{s}\" (HTML, MarkdownV2 or Markdown)"),
                    &format!("Bad Request: unsupported parse_mode \"{s}\""),
                ));
            }
            let mut measured = s.clone();
            if field.after_entities {
                match visible_text(s, parse_mode.as_deref()) {
                    Ok(v) => measured = v,
                    Err(e) => {
                        self.problems.push(problem_tg(
                            &fpath,
                            format!(
                                "cannot be parsed as {}: {e}",
                                parse_mode.as_deref().unwrap_or("?")
                            ),
                            &format!("Bad Request: can't parse entities: {e}"),
                        ));
                        continue;
                    }
                }
            }
            if let Some((min, max, unit)) = field.limit {
                let (len, unit_name) = match unit {
                    LengthUnit::Utf16 => (utf16_len(&measured), "characters (UTF-16 code units)"),
                    LengthUnit::Bytes => (measured.len(), "bytes"),
                };
                let blank = field.after_entities && measured.trim().is_empty();
                let too_short = len < min || (min > 0 && blank);
                if len > max || too_short {
                    let shown: String = s.chars().take(40).collect();
                    let msg = format!(
                        "length {len} {unit_name}{} is outside {min}-{max} (value starts \"{shown}\")",
                        if field.after_entities && parse_mode.is_some() {
                            " after entity parsing"
                        } else {
                            ""
                        }
                    );
                    let tg = match (field.name.as_str(), len > max) {
                        ("text" | "message_text", true) => "Bad Request: message is too long",
                        ("text" | "message_text", false) => "Bad Request: message text is empty",
                        ("caption", true) => "Bad Request: message caption is too long",
                        ("callback_data", _) => "Bad Request: BUTTON_DATA_INVALID",
                        _ => "",
                    };
                    let mut p = problem(&fpath, msg);
                    if !tg.is_empty() {
                        p.telegram = Some(tg.to_owned());
                    }
                    self.problems.push(p);
                }
            }
        }
    }

    /// Tries each alternative type; on success the (coerced) value is written back.
    fn check_alternatives(
        &mut self,
        types: &[String],
        value: &mut Value,
        path: &str,
        stringly: bool,
    ) -> Vec<Problem> {
        let mut best: Option<(usize, Vec<Problem>)> = None;
        // With string input, try the non-String alternatives first so "42" becomes 42.
        let mut order: Vec<&String> = types.iter().filter(|t| *t != "String").collect();
        if types.iter().any(|t| t == "String") {
            order.push(types.iter().find(|t| *t == "String").expect("has String"));
        }
        for ty in order {
            let mut candidate = value.clone();
            let problems = self.check_one(ty, &mut candidate, path, stringly);
            if problems.is_empty() {
                *value = candidate;
                return Vec::new();
            }
            let s = score(&problems, path);
            if best.as_ref().is_none_or(|(b, _)| s < *b) {
                best = Some((s, problems));
            }
        }
        let mut problems = best.map(|(_, p)| p).unwrap_or_default();
        if types.len() > 1 && problems.len() == 1 && problems[0].path == path {
            // A plain type mismatch: say which alternatives were allowed.
            problems[0].message = format!(
                "expected {}, got {} {}",
                types.join(" or "),
                json_kind(value),
                short(value)
            );
        }
        problems
    }

    fn check_one(
        &mut self,
        ty: &str,
        value: &mut Value,
        path: &str,
        stringly: bool,
    ) -> Vec<Problem> {
        if stringly && let Value::String(s) = &*value {
            let s = s.clone();
            match ty {
                "String" | "InputFile" => {}
                "Integer" => {
                    return match s.trim().parse::<i64>() {
                        Ok(n) => {
                            *value = Value::from(n);
                            Vec::new()
                        }
                        Err(_) => vec![problem(path, format!("expected Integer, got \"{s}\""))],
                    };
                }
                "Float" => {
                    return match s.trim().parse::<f64>() {
                        Ok(n) if n.is_finite() => {
                            *value = Value::from(n);
                            Vec::new()
                        }
                        _ => vec![problem(path, format!("expected Float, got \"{s}\""))],
                    };
                }
                "Boolean" => {
                    return match s.trim().to_ascii_lowercase().as_str() {
                        "true" | "1" => {
                            *value = Value::Bool(true);
                            Vec::new()
                        }
                        "false" | "0" => {
                            *value = Value::Bool(false);
                            Vec::new()
                        }
                        _ => vec![problem(path, format!("expected Boolean, got \"{s}\""))],
                    };
                }
                _ => match serde_json::from_str::<Value>(&s) {
                    // JSON-serialized object or array: parse, then check strictly.
                    Ok(parsed) if parsed.is_object() || parsed.is_array() => {
                        *value = parsed;
                        return self.check_one(ty, value, path, false);
                    }
                    _ => {
                        return vec![problem(
                            path,
                            format!("expected JSON-serialized {ty}, got \"{}\"", short_str(&s)),
                        )];
                    }
                },
            }
        }
        match ty {
            "Integer" if value.is_i64() || value.is_u64() => Vec::new(),
            "Float" if value.is_number() => Vec::new(),
            "Boolean" if value.is_boolean() => Vec::new(),
            "String" if value.is_string() => Vec::new(),
            "InputFile" => match value.as_str() {
                Some(s) => match s.strip_prefix("attach://") {
                    Some(name) if !self.attachments.contains(name) => vec![problem(
                        path,
                        format!("\"{s}\" refers to no uploaded multipart part named \"{name}\""),
                    )],
                    _ => Vec::new(),
                },
                None => vec![problem(
                    path,
                    format!("expected InputFile, got {}", json_kind(value)),
                )],
            },
            "Integer" | "Float" | "Boolean" | "String" => vec![problem(
                path,
                format!("expected {ty}, got {} {}", json_kind(value), short(value)),
            )],
            _ => {
                if let Some(inner) = ty.strip_prefix("Array of ") {
                    let Value::Array(items) = value else {
                        return vec![problem(
                            path,
                            format!("expected {ty}, got {} {}", json_kind(value), short(value)),
                        )];
                    };
                    let mut problems = Vec::new();
                    for (i, item) in items.iter_mut().enumerate() {
                        let ipath = format!("{path}[{i}]");
                        problems.extend(self.check_alternatives(
                            &[inner.to_owned()],
                            item,
                            &ipath,
                            false,
                        ));
                    }
                    problems
                } else {
                    self.check_object(ty, value, path)
                }
            }
        }
    }

    fn check_object(&mut self, ty: &str, value: &mut Value, path: &str) -> Vec<Problem> {
        let Some(tspec) = self.spec.types.get(ty) else {
            // A type the spec does not describe: accept anything.
            return Vec::new();
        };
        if !tspec.subtypes.is_empty() {
            let subtypes = tspec.subtypes.clone();
            let problems = self.check_alternatives(&subtypes, value, path, false);
            if problems.is_empty() {
                return problems;
            }
            let mut p = problem(
                path,
                format!(
                    "matches none of the kinds of {ty} ({}); closest: {}",
                    subtypes.join(", "),
                    problems
                        .iter()
                        .map(ToString::to_string)
                        .collect::<Vec<_>>()
                        .join("; ")
                ),
            );
            p.telegram = problems.iter().find_map(|p| p.telegram.clone());
            return vec![p];
        }
        let Value::Object(obj) = value else {
            return vec![problem(
                path,
                format!(
                    "expected {ty} object, got {} {}",
                    json_kind(value),
                    short(value)
                ),
            )];
        };
        let mut sub = Ctx {
            spec: self.spec,
            attachments: self.attachments,
            problems: Vec::new(),
        };
        let fields = tspec.fields.clone();
        sub.check_fields(&fields, obj, path, false, ty, false);
        sub.type_rules(ty, obj, path);
        sub.problems
    }

    /// Rules stated in prose in the spec for particular types.
    fn type_rules(&mut self, ty: &str, obj: &Map<String, Value>, path: &str) {
        match ty {
            "InlineKeyboardButton" => {
                let text = obj.get("text").and_then(Value::as_str).unwrap_or("");
                if text.trim().is_empty() {
                    self.problems.push(problem_tg(
                        &join_path(path, "text"),
                        "button text is empty",
                        "Bad Request: BUTTON_TEXT_EMPTY",
                    ));
                }
                let kinds: Vec<&String> = obj
                    .keys()
                    .filter(|k| !matches!(k.as_str(), "text" | "icon_custom_emoji_id" | "style"))
                    .collect();
                if kinds.len() != 1 {
                    self.problems.push(problem_tg(
                        path,
                        format!(
                            "exactly one of the optional fields other than icon_custom_emoji_id \
                             and style must be used, got {kinds:?}"
                        ),
                        "Bad Request: can't parse inline keyboard button: Text buttons are \
                         unallowed in the inline keyboard",
                    ));
                }
            }
            "BotCommand" => {
                if let Some(cmd) = obj.get("command").and_then(Value::as_str)
                    && !cmd
                        .chars()
                        .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '_')
                {
                    self.problems.push(problem_tg(
                        &join_path(path, "command"),
                        format!(
                            "\"{cmd}\": can contain only lowercase English letters, digits and \
                             underscores"
                        ),
                        "Bad Request: BOT_COMMAND_INVALID",
                    ));
                }
            }
            _ => {}
        }
    }

    /// Rules stated in prose in the spec for particular methods.
    fn method_rules(&mut self, method: &str, params: &Map<String, Value>) {
        match method {
            "sendChatAction" => {
                if let Some(a) = params.get("action").and_then(Value::as_str)
                    && !CHAT_ACTIONS.contains(&a)
                {
                    self.problems.push(problem_tg(
                        "action",
                        format!("unknown chat action \"{a}\" (one of {CHAT_ACTIONS:?})"),
                        "Bad Request: wrong parameter action in request",
                    ));
                }
            }
            "getUpdates" | "setWebhook" => {
                if let Some(Value::Array(kinds)) = params.get("allowed_updates") {
                    let known = self.spec.update_kinds();
                    for (i, k) in kinds.iter().enumerate() {
                        if let Some(k) = k.as_str()
                            && !known.iter().any(|n| n == k)
                        {
                            self.problems.push(problem(
                                &format!("allowed_updates[{i}]"),
                                format!("\"{k}\" is not an update type"),
                            ));
                        }
                    }
                }
                if let Some(secret) = params.get("secret_token").and_then(Value::as_str)
                    && !secret
                        .chars()
                        .all(|c| c.is_ascii_alphanumeric() || c == '_' || c == '-')
                {
                    self.problems.push(problem(
                        "secret_token",
                        "only characters A-Z, a-z, 0-9, _ and - are allowed",
                    ));
                }
            }
            "editMessageText"
                if !params.contains_key("text") && !params.contains_key("rich_message") =>
            {
                self.problems.push(problem_tg(
                    "text",
                    "either \"text\" or \"rich_message\" is required",
                    "Bad Request: message text is empty",
                ));
            }
            _ => {}
        }
    }
}

/// How badly a candidate type failed: a wrong or missing field of the candidate itself means
/// "probably not this type at all" and weighs much more than a problem deeper inside.
fn score(problems: &[Problem], path: &str) -> usize {
    let depth = |p: &str| p.matches(['.', '[']).count() + usize::from(!p.is_empty());
    let own = depth(path) + 1;
    problems
        .iter()
        .map(|p| {
            let structural = p.message.starts_with("unknown field")
                || p.message.starts_with("required field")
                || p.message.starts_with("must be \"")
                || p.message.starts_with("expected");
            if structural && depth(&p.path) <= own {
                100
            } else {
                1
            }
        })
        .sum()
}

fn short(v: &Value) -> String {
    let s = v.to_string();
    short_str(&s)
}

fn short_str(s: &str) -> String {
    if s.chars().count() > 60 {
        format!("{}…", s.chars().take(60).collect::<String>())
    } else {
        s.to_owned()
    }
}
