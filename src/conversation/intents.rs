//! Small, exact intents read from free text before coaching: "what's my streak?".

/// True when the message asks for the streak ("what's my streak?", "how many days have I
/// done?") rather than telling of a broken one ("I broke my streak").
pub fn asks_for_streak(text: &str) -> bool {
    let t = text.to_lowercase();
    if t.len() > 200 {
        return false;
    }
    let asks = [
        "streak",
        "how many days have i",
        "how many days am i",
        "how long have i been",
        "what day am i",
        "which day am i",
        "day count",
        "my count",
    ]
    .iter()
    .any(|p| t.contains(p));
    let tells_of_a_slip = [
        "broke", "broken", "break", "lost", "ruin", "reset", "slip", "texted", "called",
        "messaged", "ended", "blew",
    ]
    .iter()
    .any(|p| t.contains(p));
    asks && !tells_of_a_slip
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn streak_questions_are_recognised() {
        for q in [
            "what's my streak?",
            "Streak",
            "how many days have i done",
            "how long have I been in no contact",
            "what day am I on",
        ] {
            assert!(asks_for_streak(q), "{q}");
        }
    }

    #[test]
    fn slips_and_other_questions_are_not() {
        for q in [
            "I broke my streak last night",
            "i texted him, streak is gone",
            "how many days should no contact last?",
            "should I text him",
        ] {
            assert!(!asks_for_streak(q), "{q}");
        }
    }
}
