//! Seeing progress: the `/progress` picture, `/mood` and `/why`.

use crate::support;

use chrono::{Duration, NaiveDate, TimeZone, Utc};
use nocontact::domain::ChatId;
use nocontact::domain::streak::Period;
use nocontact::picture::calendar::{self, Progress, SLIP_MARK, URGE};
use support::test_app::{TestApp, button, text_of};

fn d(y: i32, m: u32, day: u32) -> NaiveDate {
    NaiveDate::from_ymd_opt(y, m, day).unwrap()
}

/// Decodes a PNG, returning (width, height).
fn decode(png: &[u8]) -> (u32, u32) {
    assert_eq!(&png[..8], b"\x89PNG\r\n\x1a\n", "a PNG signature");
    let decoder = png::Decoder::new(std::io::Cursor::new(png));
    let reader = decoder.read_info().expect("a valid PNG");
    let info = reader.info();
    (info.width, info.height)
}

fn year_of_data() -> Progress {
    let today = d(2026, 11, 22);
    let slips = [d(2026, 2, 10), d(2026, 6, 1), d(2026, 10, 30)];
    let mut starts = vec![d(2025, 11, 20)];
    starts.extend(slips);
    let periods = starts
        .iter()
        .enumerate()
        .map(|(i, &started_on)| Period {
            started_on,
            ended_on: starts.get(i + 1).copied(),
        })
        .collect();
    let resisted_by_day = (0..60)
        .map(|i| (today - Duration::days(i * 3), 1))
        .collect();
    let mood_by_day = (0..120)
        .map(|i| (today - Duration::days(i), (i % 5 + 1) as u8))
        .collect();
    Progress {
        today,
        current_days: Some(23),
        longest_days: 141,
        resisted_total: 60,
        periods,
        slip_days: slips.into(),
        resisted_by_day,
        mood_by_day,
    }
}

#[test]
fn pictures_for_a_new_user_a_long_streak_and_a_year_of_data() {
    let new_user = Progress {
        today: d(2026, 11, 22),
        current_days: Some(0),
        periods: vec![Period {
            started_on: d(2026, 11, 22),
            ended_on: None,
        }],
        ..Progress::default()
    };
    let long_streak = Progress {
        today: d(2026, 11, 22),
        current_days: Some(100),
        longest_days: 100,
        periods: vec![Period {
            started_on: d(2026, 8, 14),
            ended_on: None,
        }],
        ..Progress::default()
    };
    for (name, progress) in [
        ("new user", new_user),
        ("long streak", long_streak),
        ("a year", year_of_data()),
    ] {
        let canvas = calendar::render(&progress);
        let png = canvas.to_png();
        let (w, h) = decode(&png);
        assert_eq!((w, h), (canvas.width(), canvas.height()), "{name}");
        assert!(
            w >= 600 && (800..=3500).contains(&h),
            "{name}: {w}x{h} fits a phone"
        );
        assert!(png.len() < 400_000, "{name}: {} bytes", png.len());
    }
}

#[test]
fn slips_and_urges_are_drawn_as_shapes_one_per_day() {
    // Pixel counts: the legend has one cross and one dot; each slip day in view adds a cross
    // and each day with resisted urges a dot, all of the same size.
    let empty = Progress {
        today: d(2026, 11, 22),
        current_days: Some(30),
        periods: vec![Period {
            started_on: d(2026, 10, 23),
            ended_on: None,
        }],
        ..Progress::default()
    };
    let base = calendar::render(&empty);
    let (legend_cross, legend_dot) = (base.count(SLIP_MARK), base.count(URGE));
    assert!(legend_cross > 0 && legend_dot > 0);

    let mut one = empty.clone();
    one.periods = vec![
        Period {
            started_on: d(2026, 10, 23),
            ended_on: Some(d(2026, 11, 1)),
        },
        Period {
            started_on: d(2026, 11, 1),
            ended_on: None,
        },
    ];
    one.slip_days = [d(2026, 11, 1)].into();
    one.resisted_by_day = [(d(2026, 11, 5), 2)].into();
    let one_canvas = calendar::render(&one);
    let cross = one_canvas.count(SLIP_MARK) - legend_cross;
    let dot = one_canvas.count(URGE) - legend_dot;
    assert!(
        cross > 100 && dot > 50,
        "a visible cross ({cross}) and dot ({dot})"
    );

    let mut three = one.clone();
    three.slip_days.extend([d(2026, 11, 8), d(2026, 11, 15)]);
    three
        .resisted_by_day
        .extend([(d(2026, 11, 6), 1), (d(2026, 11, 20), 4)]);
    let three_canvas = calendar::render(&three);
    assert_eq!(three_canvas.count(SLIP_MARK), legend_cross + 3 * cross);
    assert_eq!(three_canvas.count(URGE), legend_dot + 3 * dot);
}

#[tokio::test]
async fn progress_is_sent_as_a_picture_without_private_words() {
    let t = TestApp::new().await;
    let before = text_of(&t.say(1, "/progress").await);
    assert!(before.contains("/since"), "{before}");
    t.onboard(1, "2026-11-01", "UTC").await;
    let coached = t.say(1, "should I text Jordan?").await;
    t.press(1, &button(&coached, "I resisted")).await;
    t.say(1, "/mood 4").await;
    let replies = t.say(1, "/progress").await;
    let picture = replies
        .iter()
        .find_map(|r| r.document.clone())
        .expect("a picture");
    assert!(picture.is_picture && picture.file_name.ends_with(".png"));
    let (w, h) = decode(&picture.bytes);
    assert!(w > 0 && h > 0);
    // The picture holds drawn pixels, never the user's text: no string from the chat in it.
    assert!(!picture.bytes.windows(6).any(|w| w == b"Jordan"));
}

#[tokio::test]
async fn progress_counts_one_day_in_the_singular() {
    let t = TestApp::new().await;
    t.onboard(1, "yesterday", "UTC").await;
    let reply = text_of(&t.say(1, "/progress").await);
    assert!(reply.contains("longest streak 1 day."), "{reply}");
    assert!(!reply.contains("1 days"), "{reply}");
}

#[tokio::test]
async fn mood_can_be_recorded_any_time_one_per_day() {
    let t = TestApp::new().await;
    t.onboard(1, "yesterday", "UTC").await;
    let asked = t.say(1, "/mood").await;
    assert_eq!(asked[0].keyboard[0].len(), 5);
    t.press(1, &button(&asked, "2")).await;
    t.say(1, "/mood 5").await;
    let junk = text_of(&t.say(1, "/mood seven").await);
    assert!(junk.contains("1 (awful) to 5 (good)"), "{junk}");
    t.clock.advance(Duration::days(1));
    t.say(1, "/mood 3").await;
    let user = t.app.store.user(ChatId(1)).await.unwrap().unwrap();
    let moods = t
        .app
        .store
        .events_of(user.id, nocontact::store::EventKind::Mood)
        .await
        .unwrap();
    let values: Vec<Option<i64>> = moods.iter().map(|m| m.value).collect();
    assert_eq!(values, vec![Some(5), Some(3)]);
}

#[tokio::test]
async fn reasons_are_kept_and_shown_when_tempted() {
    let t = TestApp::starting_at(Utc.with_ymd_and_hms(2026, 11, 22, 12, 0, 0).unwrap()).await;
    t.onboard(1, "2026-11-10", "UTC").await;
    let asked = text_of(&t.say(1, "/why").await);
    assert!(asked.contains("Why are you doing no contact"), "{asked}");
    t.say(1, "He made me feel small").await;
    t.say(1, "/why I want to heal").await;
    let listed = t.say(1, "/why").await;
    let listed_text = text_of(&listed);
    assert!(
        listed_text.contains("He made me feel small") && listed_text.contains("I want to heal")
    );
    t.say(1, "/cancel").await;
    let tempted = text_of(&t.say(1, "can I text him happy birthday tomorrow?").await);
    assert!(
        tempted.contains("He made me feel small") || tempted.contains("I want to heal"),
        "{tempted}"
    );
    let not_tempted = text_of(&t.say(1, "why does it hurt so much").await);
    assert!(!not_tempted.contains("You told me why"), "{not_tempted}");
    // Removing a reason works once; another user cannot remove it.
    let remove = button(&listed, "Remove");
    assert!(text_of(&t.press(2, &remove).await).contains("expired"));
    assert!(text_of(&t.press(1, &remove).await).contains("Removed"));
    assert!(text_of(&t.press(1, &remove).await).contains("expired"));
}
