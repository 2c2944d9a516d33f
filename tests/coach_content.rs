//! The content pack: the real pack loads, and check() finds each kind of problem.

use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicU32, Ordering};

use nocontact::coach::content::{ContentPack, ContentProblem};
use nocontact::coach::situation::Situation;

fn real_pack() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("config/content")
}

#[test]
fn real_pack_loads() {
    let dir = real_pack();
    let problems = ContentPack::check(&dir);
    assert!(
        problems.is_empty(),
        "problems in the real pack:\n{}",
        problems
            .iter()
            .map(|p| p.to_string())
            .collect::<Vec<_>>()
            .join("\n")
    );
    let pack = ContentPack::load(&dir).expect("real pack loads");
    for s in Situation::ALL {
        assert!(!pack.replies(s).is_empty(), "{s} has no replies");
        assert!(!pack.label(s).is_empty(), "{s} has no label");
    }
    assert!(!pack.welcome().is_empty());
    assert!(pack.openers().iter().all(|o| o.contains("{days}")));
    assert!(
        pack.helplines_for(None, nocontact::coach::LineKind::Crisis)
            .contains("findahelpline.com")
    );
    assert!(!pack.scam_warning().is_empty());
    assert!(pack.training_examples().len() >= 20 * 5);
    let days: Vec<u32> = pack.milestones().iter().map(|m| m.day).collect();
    let mut sorted = days.clone();
    sorted.sort();
    assert_eq!(days, sorted);
    assert!(!pack.slip_replies().is_empty());
    assert!(!pack.resisted_replies().is_empty());
    assert!(!pack.wait_start().is_empty());
    assert!(!pack.wait_checkback().is_empty());
    assert!(!pack.draft_prompts().is_empty());
    assert!(!pack.draft_saved().is_empty());
    assert!(!pack.crisis_checkins().is_empty());
    assert!(!pack.morning_messages().is_empty());
    assert!(!pack.evening_prompts().is_empty());
}

#[test]
fn milestone_lookup() {
    let pack = ContentPack::load(&real_pack()).expect("real pack loads");
    let first = pack.milestones()[0].day;
    assert_eq!(pack.next_milestone(-5).map(|m| m.day), Some(first));
    assert_eq!(
        pack.next_milestone(i64::from(first) - 1).map(|m| m.day),
        Some(first)
    );
    assert_eq!(
        pack.milestone_on(i64::from(first)).map(|m| m.day),
        Some(first)
    );
    let last = pack.milestones().last().unwrap().day;
    assert_eq!(pack.next_milestone(i64::from(last)), None);
    assert_eq!(pack.milestone_on(i64::from(last) + 1000), None);
    if let Some(m) = pack.next_milestone(i64::from(first)) {
        assert!(m.day > first);
    }
}

// ---------------------------------------------------------------------
// A minimal valid pack written to a temporary directory, then broken.

static COUNTER: AtomicU32 = AtomicU32::new(0);

struct TempPack(PathBuf);

impl Drop for TempPack {
    fn drop(&mut self) {
        let _ = std::fs::remove_dir_all(&self.0);
    }
}

fn guidance() -> String {
    let mut g = String::from(
        "[openers]\nlines = [\"Day {days}.\", \"You are on day {days}.\"]\n\n\
         [helplines]\ncrisis_intro = \"Talk to someone:\"\nabuse_intro = \"Help:\"\n\
         emergency = \"Danger: call {number}.\"\nemergency_unknown = \"Danger: call your emergency number.\"\n\
         directory = \"World: {name} {url}\"\n\n\
         [scam]\nwarning = \"Spell casters are scams.\"\n\n\
         [unsafe_ex]\nreplies = [\"Stay safe one.\", \"Stay safe two.\"]\n\n\
         [crisis_check]\nreplies = [\"Are you safe?\"]\n\n\
         [care]\nopeners = [\"How are you holding up?\"]\n\n",
    );
    for s in Situation::ALL {
        g.push_str(&format!(
            "[situations.{id}]\nlabel = \"Label {id}\"\nreplies = [\"First reply for {id}.\", \"Second reply for {id}.\", \"Third reply.\"]\n\n",
            id = s.id()
        ));
    }
    g
}

const MOMENTS: &str = "[slip]\nreplies = [\"Your streak was {days} days.\"]\n\
[resisted]\nreplies = [\"That is {count} urges.\"]\n\
[wait]\nstart = [\"Back in {minutes} minutes.\"]\ncheckback = [\"How is it now?\"]\n\
[draft]\nprompt = [\"Write it here.\"]\nsaved = [\"Saved.\"]\n\
[crisis_checkin]\nmessages = [\"Checking in on you.\"]\n\
[care_checkin]\nmessages = [\"Gently checking in.\"]\n\
[sos]\nintro = \"Help now.\"\ngrounding = [\"Breathe.\"]\nlater = \"Later.\"\n\
[meta]\ngreeting = [\"Hi.\"]\nthanks = [\"Welcome.\"]\nabout = \"About.\"\nhuman = \"A bot.\"\n\
privacy = \"Private.\"\nsettings = \"Settings.\"\nnudges = \"Nudges.\"\nwrong_chat = \"No problem.\"\n\
[welcome]\ntext = \"Welcome.\"\n";

const HELPLINES: &str = "[fallback]\nname = \"Find A Helpline\"\nurl = \"findahelpline.com\"\n\
source = \"https://findahelpline.com\"\nchecked = \"2026-12-01\"\ncommon = [\"US\"]\n\n\
[[line]]\ncountry = \"US\"\nkind = \"crisis\"\nname = \"988 Lifeline\"\nphone = \"988\"\n\
source = \"https://988lifeline.org\"\nchecked = \"2026-12-01\"\n\n\
[[line]]\ncountry = \"GB\"\nkind = \"crisis\"\nname = \"Samaritans\"\nphone = \"116 123\"\n\
source = \"https://www.samaritans.org\"\nchecked = \"2026-12-01\"\n";

const NUDGES: &str = "[morning]\nmessages = [\"Day {days}, good morning.\"]\n\
[evening]\nprompts = [\"How was today?\"]\n";

const MILESTONES: &str = "[[milestones]]\nday = 7\ntitle = \"One week\"\nmessage = \"{days} days!\"\n\n\
[[milestones]]\nday = 1\ntitle = \"Day one\"\nmessage = \"First day.\"\n";

const SAFETY: &str = "label\tmessage\ncrisis\ta crisis line\nabuse\tan abuse line\n\
innocent\tan innocent line\n";

fn training() -> String {
    let mut t = String::from("situation\tmessage\n");
    for s in Situation::ALL {
        for i in 0..5 {
            t.push_str(&format!("{}\texample {i} for {}\n", s.id(), s.id()));
        }
    }
    t
}

/// Writes a valid pack with `edit(file, contents)` applied.
fn pack_with(edit: impl Fn(&str, String) -> Option<String>) -> TempPack {
    let dir = std::env::temp_dir().join(format!(
        "coach-content-test-{}-{}",
        std::process::id(),
        COUNTER.fetch_add(1, Ordering::SeqCst)
    ));
    std::fs::create_dir_all(&dir).unwrap();
    for (name, body) in [
        ("guidance.toml", guidance()),
        ("moments.toml", MOMENTS.to_string()),
        ("nudges.toml", NUDGES.to_string()),
        ("milestones.toml", MILESTONES.to_string()),
        ("training.tsv", training()),
        ("safety.tsv", SAFETY.to_string()),
        ("helplines.toml", HELPLINES.to_string()),
    ] {
        if let Some(b) = edit(name, body) {
            std::fs::write(dir.join(name), b).unwrap();
        }
    }
    TempPack(dir)
}

fn problems_with(file: &str, f: impl Fn(String) -> String) -> Vec<ContentProblem> {
    let p = pack_with(|name, body| Some(if name == file { f(body) } else { body }));
    ContentPack::check(&p.0)
}

fn assert_problem(problems: &[ContentProblem], file: &str, location: &str, needle: &str) {
    assert!(
        problems
            .iter()
            .any(|p| p.file == file && p.location.contains(location) && p.message.contains(needle)),
        "expected {file} {location} \"{needle}\" in {problems:#?}"
    );
}

#[test]
fn minimal_pack_is_valid() {
    let p = pack_with(|_, b| Some(b));
    assert_eq!(ContentPack::check(&p.0), vec![]);
    let pack = ContentPack::load(&p.0).unwrap();
    assert_eq!(pack.milestones()[0].day, 1, "milestones are sorted");
    assert_eq!(pack.replies(Situation::ReachOut).len(), 3);
}

#[test]
fn missing_file() {
    let p = pack_with(|name, b| (name != "nudges.toml").then_some(b));
    let problems = ContentPack::check(&p.0);
    assert_problem(&problems, "nudges.toml", "", "cannot read");
    let err = ContentPack::load(&p.0).unwrap_err();
    assert!(err.to_string().contains("nudges.toml"), "{err}");
}

#[test]
fn toml_syntax_error_names_the_line() {
    let problems = problems_with("moments.toml", |b| b.replace("[draft]", "[draft"));
    assert_problem(&problems, "moments.toml", "line", "");
}

#[test]
fn unknown_field_is_rejected() {
    let problems = problems_with("nudges.toml", |b| b + "\n[night]\nprompts = [\"x\"]\n");
    assert_problem(&problems, "nudges.toml", "", "night");
}

#[test]
fn missing_situation_and_unknown_situation() {
    let problems = problems_with("guidance.toml", |b| {
        b.replace("[situations.hookup]", "[situations.hook_up]")
    });
    assert_problem(&problems, "guidance.toml", "situations.hookup", "missing");
    assert_problem(
        &problems,
        "guidance.toml",
        "situations.hook_up",
        "unknown situation",
    );
}

#[test]
fn too_few_replies() {
    let problems = problems_with("guidance.toml", |b| {
        b.replace(
            "replies = [\"First reply for panic.\", \"Second reply for panic.\", \"Third reply.\"]",
            "replies = [\"Only one.\"]",
        )
    });
    assert_problem(
        &problems,
        "guidance.toml",
        "situations.panic.replies",
        "at least 2",
    );
    // crisis and other may have a single reply
    let problems = problems_with("guidance.toml", |b| {
        b.replace(
            "replies = [\"First reply for other.\", \"Second reply for other.\", \"Third reply.\"]",
            "replies = [\"Only one.\"]",
        )
    });
    assert!(problems.is_empty(), "{problems:#?}");
}

#[test]
fn empty_text() {
    let problems = problems_with("guidance.toml", |b| {
        b.replace("Second reply for reach_out.", "   ")
    });
    assert_problem(
        &problems,
        "guidance.toml",
        "situations.reach_out.replies[1]",
        "empty",
    );
}

#[test]
fn too_long_texts() {
    let long = "x".repeat(701);
    let problems = problems_with("moments.toml", |b| b.replace("Welcome.", &long));
    assert_problem(&problems, "moments.toml", "welcome.text", "701 characters");
    // a reply that fits alone but not with the longest opener
    let reply = "y".repeat(690);
    let problems = problems_with("guidance.toml", |b| {
        b.replace("Second reply for convince.", &reply)
    });
    assert_problem(
        &problems,
        "guidance.toml",
        "situations.convince.replies[1]",
        "opener",
    );
}

#[test]
fn placeholders_are_checked() {
    // not allowed at all
    let problems = problems_with("guidance.toml", |b| {
        b.replace("Second reply for panic.", "Day {days} of panic.")
    });
    assert_problem(
        &problems,
        "guidance.toml",
        "situations.panic.replies[1]",
        "{days}",
    );
    // allowed elsewhere, not here
    let problems = problems_with("moments.toml", |b| {
        b.replace("That is {count} urges.", "{days} days")
    });
    assert_problem(
        &problems,
        "moments.toml",
        "resisted.replies[0]",
        "allowed: {count}",
    );
    // required
    let problems = problems_with("guidance.toml", |b| b.replace("\"Day {days}.\"", "\"Hi.\""));
    assert_problem(&problems, "guidance.toml", "openers.lines[0]", "required");
    // broken braces
    let problems = problems_with("nudges.toml", |b| {
        b.replace("Day {days}, good", "Day {days, good")
    });
    assert_problem(
        &problems,
        "nudges.toml",
        "morning.messages[0]",
        "unbalanced",
    );
}

#[test]
fn helplines_need_a_source_a_date_and_a_country() {
    let problems = problems_with("helplines.toml", |b| {
        b.replace(
            "source = \"https://988lifeline.org\"",
            "source = \"from memory\"",
        )
    });
    assert_problem(
        &problems,
        "helplines.toml",
        "988 Lifeline).source",
        "address",
    );
    let problems = problems_with("helplines.toml", |b| {
        b.replace(
            "checked = \"2026-12-01\"\n\n[[line]]\ncountry = \"GB\"",
            "checked = \"recently\"\n\n[[line]]\ncountry = \"GB\"",
        )
    });
    assert_problem(
        &problems,
        "helplines.toml",
        "988 Lifeline).checked",
        "YYYY-MM-DD",
    );
    let problems = problems_with("helplines.toml", |b| {
        b.replace("country = \"GB\"", "country = \"UK\"")
    });
    assert_problem(&problems, "helplines.toml", ".country", "ISO 3166");
    // the most common countries must keep a crisis line
    let problems = problems_with("helplines.toml", |b| {
        b.replace("country = \"GB\"", "country = \"IE\"")
    });
    assert_problem(&problems, "helplines.toml", "", "no crisis line for GB");
}

#[test]
fn unknown_conditions_are_rejected() {
    let problems = problems_with("guidance.toml", |b| {
        b.replacen(
            "\"Third reply.\"]",
            "\"Third reply.\", { when = [\"sober\"], text = \"Sober reply.\" }]",
            1,
        )
    });
    assert_problem(
        &problems,
        "guidance.toml",
        ".when",
        "unknown condition \"sober\"",
    );
}

#[test]
fn milestones_are_checked() {
    let problems = problems_with("milestones.toml", |b| b.replace("day = 7", "day = 1"));
    assert_problem(&problems, "milestones.toml", "milestones[1].day", "twice");
    let problems = problems_with("milestones.toml", |b| b.replace("day = 7", "day = 0"));
    assert_problem(
        &problems,
        "milestones.toml",
        "milestones[0].day",
        "positive",
    );
    let problems = problems_with("milestones.toml", |b| b.replace("day = 7", "day = -3"));
    assert_problem(&problems, "milestones.toml", "line", "");
}

#[test]
fn training_is_checked() {
    let problems = problems_with("training.tsv", |b| b + "not_a_situation\thello\n");
    assert_problem(&problems, "training.tsv", "line 107", "unknown situation");
    let problems = problems_with("training.tsv", |b| b + "no tab here\n");
    assert_problem(&problems, "training.tsv", "line 107", "malformed");
    let problems = problems_with("training.tsv", |b| b + "other\ta\tb\n");
    assert_problem(&problems, "training.tsv", "line 107", "malformed");
    let problems = problems_with("training.tsv", |b| {
        b.lines()
            .filter(|l| !l.starts_with("logistics\texample 4"))
            .collect::<Vec<_>>()
            .join("\n")
    });
    assert_problem(&problems, "training.tsv", "", "logistics has 4 examples");
    let problems = problems_with("training.tsv", |b| {
        b.lines().skip(1).collect::<Vec<_>>().join("\n")
    });
    assert_problem(&problems, "training.tsv", "line 1", "header");
}

#[test]
fn safety_examples_are_checked() {
    let problems = problems_with("safety.tsv", |b| b + "suicide\thello\n");
    assert_problem(&problems, "safety.tsv", "line 5", "unknown label");
    let problems = problems_with("safety.tsv", |b| b + "crisis\t  \n");
    assert_problem(&problems, "safety.tsv", "line 5", "empty");
    let problems = problems_with("safety.tsv", |b| {
        b.lines().skip(1).collect::<Vec<_>>().join("\n")
    });
    assert_problem(&problems, "safety.tsv", "line 1", "header");
}

#[test]
fn problems_display_file_location_and_message() {
    let p = ContentProblem {
        file: "guidance.toml".into(),
        location: "situations.reach_out.replies[2]".into(),
        message: "text is empty".into(),
    };
    assert_eq!(
        p.to_string(),
        "guidance.toml: situations.reach_out.replies[2]: text is empty"
    );
}
