//! The twenty-one situations a message can be matched to.

use std::fmt;

/// What a message is about. Exactly one situation is chosen per message.
#[derive(
    Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, serde::Serialize, serde::Deserialize,
)]
#[serde(rename_all = "snake_case")]
pub enum Situation {
    Crisis,
    /// The ex hurt, threatened, stalked, controlled or harasses the user: a safety matter.
    Abuse,
    Slipped,
    TheyReachedOut,
    Convince,
    SocialMedia,
    SpecialDate,
    RunInto,
    Hookup,
    NewPartner,
    ForgetMe,
    Panic,
    WhyItHurts,
    ComeBack,
    StayBusy,
    FriendsFamily,
    HowLong,
    LetGo,
    Logistics,
    ReachOut,
    Other,
}

impl Situation {
    /// Every situation, in declaration order.
    pub const ALL: [Situation; 21] = [
        Situation::Crisis,
        Situation::Abuse,
        Situation::Slipped,
        Situation::TheyReachedOut,
        Situation::Convince,
        Situation::SocialMedia,
        Situation::SpecialDate,
        Situation::RunInto,
        Situation::Hookup,
        Situation::NewPartner,
        Situation::ForgetMe,
        Situation::Panic,
        Situation::WhyItHurts,
        Situation::ComeBack,
        Situation::StayBusy,
        Situation::FriendsFamily,
        Situation::HowLong,
        Situation::LetGo,
        Situation::Logistics,
        Situation::ReachOut,
        Situation::Other,
    ];

    /// The stable id used in content files, training data and storage.
    pub fn id(self) -> &'static str {
        match self {
            Situation::Crisis => "crisis",
            Situation::Abuse => "abuse",
            Situation::Slipped => "slipped",
            Situation::TheyReachedOut => "they_reached_out",
            Situation::Convince => "convince",
            Situation::SocialMedia => "social_media",
            Situation::SpecialDate => "special_date",
            Situation::RunInto => "run_into",
            Situation::Hookup => "hookup",
            Situation::NewPartner => "new_partner",
            Situation::ForgetMe => "forget_me",
            Situation::Panic => "panic",
            Situation::WhyItHurts => "why_it_hurts",
            Situation::ComeBack => "come_back",
            Situation::StayBusy => "stay_busy",
            Situation::FriendsFamily => "friends_family",
            Situation::HowLong => "how_long",
            Situation::LetGo => "let_go",
            Situation::Logistics => "logistics",
            Situation::ReachOut => "reach_out",
            Situation::Other => "other",
        }
    }

    /// Parses an id as written by [`Situation::id`].
    pub fn from_id(id: &str) -> Option<Situation> {
        Situation::ALL.iter().copied().find(|s| s.id() == id)
    }

    /// Situations in which the person is tempted to break (or is facing a
    /// break of) no contact right now.
    pub fn is_tempting(self) -> bool {
        matches!(
            self,
            Situation::ReachOut
                | Situation::Convince
                | Situation::Hookup
                | Situation::SpecialDate
                | Situation::SocialMedia
                | Situation::RunInto
                | Situation::Panic
                | Situation::TheyReachedOut
        )
    }

    /// Situations about safety, not coaching: they beat every other reading and their
    /// replies never suggest contact.
    pub fn is_safety(self) -> bool {
        matches!(self, Situation::Crisis | Situation::Abuse)
    }

    /// Position in [`Situation::ALL`].
    pub fn index(self) -> usize {
        self as usize
    }
}

impl fmt::Display for Situation {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.id())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ids_round_trip() {
        for (i, s) in Situation::ALL.iter().enumerate() {
            assert_eq!(s.index(), i);
            assert_eq!(Situation::from_id(s.id()), Some(*s));
            assert_eq!(s.to_string(), s.id());
        }
        assert_eq!(Situation::from_id("nope"), None);
        assert_eq!(Situation::TheyReachedOut.id(), "they_reached_out");
    }

    #[test]
    fn serde_uses_ids() {
        #[derive(serde::Deserialize)]
        struct W {
            s: Situation,
        }
        let w: W = toml::from_str("s = \"they_reached_out\"").unwrap();
        assert_eq!(w.s, Situation::TheyReachedOut);
    }

    #[test]
    fn tempting_set() {
        let tempting: Vec<_> = Situation::ALL.iter().filter(|s| s.is_tempting()).collect();
        assert_eq!(tempting.len(), 8);
        assert!(!Situation::Crisis.is_tempting());
        assert!(!Situation::Abuse.is_tempting());
        assert!(Situation::Panic.is_tempting());
    }
}
