//! Counting words in replies: "1 minute", "15 minutes", "0 days".

/// `n` and the noun, in the plural unless `n` is exactly one: `plural(1, "minute")` is
/// "1 minute", `plural(15, "minute")` "15 minutes". Only for nouns whose plural adds an
/// "s" (day, minute, hour, urge, slip), which is every noun the replies count.
pub fn plural(n: i64, noun: &str) -> String {
    if n == 1 {
        format!("1 {noun}")
    } else {
        format!("{n} {noun}s")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn one_is_singular_and_everything_else_plural() {
        assert_eq!(plural(1, "minute"), "1 minute");
        assert_eq!(plural(15, "minute"), "15 minutes");
        assert_eq!(plural(0, "day"), "0 days");
        assert_eq!(plural(-1, "day"), "-1 days");
        assert_eq!(plural(2, "urge"), "2 urges");
    }
}
