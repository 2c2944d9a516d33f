//! Word classes ("concepts") given to the classifier as extra features, so
//! that a word never seen in training still lands near its neighbours:
//! "funeral" is an occasion like "birthday", "tiktok" is social media like
//! "instagram". The classifier learns how much each concept matters; a
//! concept never decides on its own.

use std::sync::LazyLock;

use super::model::{IdMap, word_hash};

const CONCEPTS: &[(&str, &str)] = &[
    (
        "OCCASION",
        "birthday birthdays anniversary christmas easter thanksgiving hanukkah chanukah diwali eid ramadan \
         valentine valentines halloween holiday holidays graduation graduating graduate graduated exam exams \
         final finals interview promotion promoted funeral condolences condolence passed died death surgery \
         operation congrats congratulate congratulations celebrate celebrating celebration gift present \
         presents card wish wishes mothers fathers thesis retirement retiring newyear eve merry happy \
         mubarak festive season baby born pregnant engaged hospital accident sick illness cancer diagnosis \
         grandma grandpa nan grandmother grandfather first new job",
    ),
    (
        "SOCIAL",
        "instagram facebook snapchat tiktok twitter whatsapp messenger linkedin telegram spotify youtube \
         threads reddit story stories post posts posted posting profile feed pic pics photo photos selfie \
         follow follows following followed unfollow unfollowed follower followers block blocked blocking \
         unblock unblocked mute muted unfriend unfriended friended online active offline seen viewed view \
         views viewer viewers stalk stalking stalked scroll scrolling refresh refreshing  comment \
         comments tagged tag bio finsta account accounts archive archived dp status reels reel tweet \
         tweets app apps social socials media screenshot screenshots notification notifications map \
         watched watch watching hashtag caption upload uploaded",
    ),
    (
        "PLACE",
        "gym bar pub club party cafe coffee shop supermarket store grocery mall church class classes \
         college uni university school campus festival concert gig wedding event conference park street \
         neighborhood neighbourhood bus train station route downtown restaurant library game airport \
         flight yoga bump bumped ran spot spotted glimpse walk walking walked past drove drive driving \
         parked town city beach venue market temple mosque synagogue hangout usual same avoid  \
         appear cinema theatre theater",
    ),
    (
        "SEX",
        "sex sexy sexual sleep slept sleeping hook hooking hookup hooked horny nudes nude bed booty benefits \
         cuddle cuddling intimate intimacy physical kiss kissed kissing seduce hotel body naked chill \
         strings casual lust desire   ",
    ),
    (
        "NEWPARTNER",
        "dating dated date rebound rebounds  someone somebody engaged married marriage tinder bumble \
         hinge another else replaced replace replacement official couple new together   \
         kissing girl guy woman man lady dude younger older prettier hotter baby pregnant",
    ),
    (
        "FORGET",
        "forget forgets forgetting forgotten forgot remember remembers memory silence silent quiet \
         invisible disappear fade fading distance mind care cares caring ignore ignoring notice notices \
         realise realize happier  further away lose losing replace gone absence absent cold",
    ),
    (
        "PANIC",
        "panic panicking panicked anxious anxiety attack shaking shake shaky racing pounding breathe breath \
         breathing calm restless pacing helpless powerless desperate desperation insane crazy explode \
         scream trapped torture unbearable agony suspense waiting wait act fix   sit  \
         control freaking freak nuts hyperventilating urge chest tight paralysed paralyzed nervous sweating \
         dizzy overwhelmed tense frantic impatient",
    ),
    (
        "HURT",
        "hurt hurts hurting pain painful ache aching cry crying cried cries tears sob sobbing sad sadness \
         empty broken heartbroken heartbreak worthless unlovable ugly miss missing obsess obsessing \
         obsessed overthinking replay replaying dream dreams dreaming eat eating appetite grieve grief \
         grieving numb devastated depressed depression lonely loneliness rejected rejection heart \
         enough stupid pathetic useless wrong",
    ),
    (
        "COMEBACK",
        "back return returns returning returned reunite reunited reunion reconcile reconciliation \
         chance chances odds percent percentage likely likelihood win regain rekindle crawling \
         future signs sign hope hopeful possible possibility realise realize comeback",
    ),
    (
        "BUSY",
        "bored boring boredom busy hobby hobbies gym book books series movie movies cook \
         cooking learn learning course routine meditation meditate journal journaling yoga trip travel \
         improve improvement improving glow weekend evening evenings saturday sunday friday free plans \
         distraction distractions distract occupied needy clingy attached attachment dependent challenge \
         ideas idea tips esteem instead distracted confidence sport paint painting draw drawing music instrument \
         guitar podcast walk hike hiking workout productive goals",
    ),
    (
        "FAMILY",
        "mom mum mother dad father parents parent sister brother family cousin aunt uncle grandma grandpa \
         nan friend friends mutual mutuals mate mates best roommate flatmate sides group inlaws niece \
         nephew sibling siblings stepmom stepdad relatives bestie circle",
    ),
    (
        "TIME",
        "long longer days day weeks week months month enough minimum maximum end ends ending over last \
         lasts forever extend counter countdown clock length ideal rule first opener start starts \
         started after finish finished done period timeline #",
    ),
    (
        "LETGO",
        "deserve deserves deserved worth toxic abusive abuse abused respect disrespect disrespected \
         cheated cheat cheating lied lie lies liar hit treated treat treats trash peace accept \
         acceptance closure chapter let letting heal healing option chasing chase forgive meant red \
         flags manipulative narcissist narcissistic selfish  free freedom happier",
    ),
    (
        "LOGISTICS",
        "kid kids child children son daughter custody coparent coparenting lease rent house apartment \
         mortgage stuff things belongings laptop passport documents key keys ring car insurance bill \
         bills money owe owes owed loan bank account joint deposit dog cat pet pets vet work office job \
         colleague colleagues coworker coworkers manager boss team project  business divorce \
         papers lawyer plan phone split refund tickets storage landlord sign signed sell selling share \
         shared return charger clothes furniture contract school pickup dropoff",
    ),
    (
        "CONVINCE",
        "explain explaining explanation prove proof understand understands apologise apologize apology \
         apologies sorry changed change different promise promised convince argue argument case side \
         truth misunderstood clear defend regret guilty guilt letter poem video mistake wrong threw \
           remind tell  realise realize therapy  beg",
    ),
    (
        "REACH",
        "text texting call calling message messaging write writing reach contact talk talking hear voice \
         phone send sending hi hey check ask number dm email emoji meme convo conversation tempted urge \
         itching hovering typed drafted draft notes unblock just once quick casual friendly",
    ),
    (
        "DARK",
        "die dying died dead death suicide suicidal kill killing alive exist existing existence pills \
         tablets overdose blood bleed bleeding wrist wrists razor blade blades knife bridge ledge rope \
         noose hang hanging goodbye burden hopeless hopelessness pointless heaven grave disappear \
         vanish numb darkness harm poison gun lifeless unbearable",
    ),
    (
        "BOT",
        "bot   ai app data privacy store delete free cost subscription human robot real person \
         created    function features joke weather rain capital pizza dinner lunch \
         breakfast eat spanish french language  thanks thank hello hi hey bye  goodnight \
          test",
    ),
];

/// Concept ids per unigram hash.
pub(crate) static INDEX: LazyLock<IdMap<Vec<u8>>> = LazyLock::new(|| {
    let mut m: IdMap<Vec<u8>> = IdMap::default();
    for (id, (_, words)) in CONCEPTS.iter().enumerate() {
        for w in words.split_whitespace() {
            let e = m.entry(word_hash(w)).or_default();
            if !e.contains(&(id as u8)) {
                e.push(id as u8);
            }
        }
    }
    m
});

/// Does the text contain a word of the DARK concept?
pub(crate) fn has_dark(hashes: impl Iterator<Item = u64>) -> bool {
    let dark = CONCEPTS.iter().position(|c| c.0 == "DARK").unwrap_or(0) as u8;
    hashes
        .into_iter()
        .any(|h| INDEX.get(&h).is_some_and(|ids| ids.contains(&dark)))
}

pub(crate) fn name(id: u8) -> &'static str {
    CONCEPTS[id as usize].0
}
