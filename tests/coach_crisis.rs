//! Crisis detection: many phrasings must be crisis, idioms must not.

use nocontact::coach::matcher::Matcher;
use nocontact::coach::situation::Situation;

fn matcher() -> Matcher {
    // the rules decide crisis; a tiny classifier is enough here
    let ex: Vec<(Situation, String)> = [
        (Situation::Panic, "this waiting is killing me"),
        (Situation::ReachOut, "i want to text him"),
        (Situation::WhyItHurts, "why does it hurt so much"),
        (Situation::Other, "hello"),
    ]
    .iter()
    .map(|(s, t)| (*s, t.to_string()))
    .collect();
    Matcher::train(&ex, &[])
}

pub const CRISIS: &[&str] = &[
    // in emoji alone, in other languages, in the old habit's words
    "🔫 tonight",
    "🪢🪢 ready",
    "ne hochu zhit, segodnya vsyo",
    "chcę się zabić. serio",
    "relapsed on sh after 400 days",
    "the old habit is back, long sleeves at work again",
    "punched the wall till my knuckles split, on purpose",
    "sunday. that's when. the house will be empty till monday",
    "i want to die",
    "I'm going to kill myself tonight",
    "thinking of killing myself",
    "i felt like dying all day",
    "everyone would be better off without me",
    "I have pills here",
    "I tried to kill myself last year and I feel like that again",
    "i keep thinking about suicide",
    "im suicidal",
    "kms",
    "i wanna die so bad",
    "I don't want to live anymore",
    "I dont wanna be alive",
    "what's the point of living without her",
    "there's no reason to go on",
    "I want to end my life",
    "I'm planning to end it tonight",
    "I cut myself last night",
    "I've been cutting again",
    "i hurt myself on purpose",
    "I want to hurt myself",
    "I'm standing on a bridge right now",
    "I want to jump off a building",
    "i just want to go to sleep and never wake up",
    "I wish I was dead",
    "I wish I'd never been born",
    "nobody would miss me if I was gone",
    "I'm a burden to everyone",
    "I took a bunch of pills",
    "I've been saving up my pills",
    "I wrote a suicide note",
    "I'm writing goodbye letters",
    "I don't see the point in anything anymore",
    "life isn't worth living without her",
    "i'd be better off dead",
    "maybe it would be easier if i wasn't here",
    "I want to disappear forever",
    "I have a rope",
    "i'm thinking about overdosing",
    "I want to stop existing",
    "i'm done with life",
    "I don't want to wake up tomorrow",
    "i keep thinking about ending it",
    "I might end it all",
    "I'm gonna unalive myself",
    "I want to drive my car off a cliff",
    "i wish i could fall asleep forever",
    "i don't want to be here anymore",
    "if he doesn't come back I'll kill myself",
    "sometimes I think about dying",
    "i have thoughts of hurting myself",
    "I'm ready to die",
    "I'm so tired of living",
    "Tonight I'm going to take all my sleeping pills",
    "I have a knife to my wrist",
    "I don't deserve to live",
    "The world would be better without me",
    "I'm not going to be around much longer",
    "i want to kill my self",
    "Im gonna end it",
    "I took an overdose",
    "I'd rather be dead than live without him",
    "I feel suicidal",
    "having suicidal thoughts again",
    "I hope I don't wake up",
    "I'm thinking about jumping in front of a train",
    "I relapsed and cut",
    "relapsed last night, cut myself and then texted him",
    "relapsed again and hurt myself",
    "I keep scratching myself until I bleed",
    "I can't live like this anymore",
    "There is no way out for me",
    "SUICIDAL AGAIN",
    "i'm so sucidal rn",
    "self-harm urges all night",
    "my family would be better off if i was gone",
    "I've been giving away my things",
    "i wrote my will last night",
    "I said goodbye to my family today",
    "who will take care of my cat when i'm gone",
    "I've put my affairs in order",
    "I'm scared of what I might do to myself",
    "I don't trust myself tonight",
    "I can't keep myself safe",
    "i just want everything to stop",
    "i googled how many pills it takes",
    "searching for ways to end it",
    "i scratched my wrists again",
    "i just want to not exist",
    "I can't do this anymore",
    "i cant take it anymore",
    "nobody would even come to my funeral",
    "please tell my mom i love her",
    "my friends won't have to deal with me anymore",
    "I gave my dog away to my sister",
    "i left a letter for my roommate",
    "i just want it all to be over",
    "I'm scared of myself tonight",
    "I'm in a really dark place",
    "my thoughts are getting really dark",
    "I just want to be with my dad in heaven",
    // crisis anywhere in a long message wins
    "We broke up in March. I've been doing no contact for 20 days. Yesterday I saw his \
     story with another girl. Honestly I don't want to live anymore. Should I text him?",
];

pub const NOT_CRISIS: &[&str] = &[
    // a relapse into contact
    "relapsed last night and texted him",
    "relapsed hard, called her twice",
    "i relapsed again and messaged her on insta",
    "relapsed. rang him crying. do i reset my day count?",
    "relapsed last night and facetimed her",
    // no contact that feels like a punishment, whether it works, one last night together
    "my therapist says no contact is good but i feel like i'm punishing myself",
    "whats the minimum number of days for nc to actually work",
    "he's moving abroad next week and wants to say goodbye in person",
    "is it weird that i want to sleep with him one last time? like a goodbye?",
    "this waiting is killing me",
    "the suspense is killing me",
    "you're killing me",
    "I'm dying to text him",
    "dying to know what he's doing",
    "I'm dying for a drink",
    "that dress is to die for",
    "I killed it at work today",
    "she killed it at the gym",
    "I'm dying inside waiting",
    "he's dead to me",
    "my phone died",
    "his grandma died last week, should I text him",
    "her dad passed away, can I send condolences",
    "I'd rather die than text him first",
    "I could die of embarrassment",
    "I'm dead tired",
    "i'll die alone at this rate lol",
    "it kills me that he's happy",
    "killing time at the mall",
    "i'm so done with him",
    "I'm tired of waiting",
    "I want to end things with him for good",
    "she ended things last month",
    "does silence kill love",
    "will she stop missing me if i disappear",
    "am i better off without him",
    "he is better off without me",
    "I only hurt myself by checking his profile",
    "I didn't wake up until noon",
    "I deserve better than this",
    "how do i become a better version of myself",
    "i gave away his things to charity",
    "we still have to sort out the lease when he is gone for work",
    "I'm gone for the weekend, should I text him before I go",
    "I said goodbye to him at the airport",
    "i want everything to stop reminding me of him",
    "I can't do the waiting anymore",
    "cant take the waiting anymore, i have to act",
    "i can't do this without him",
    "I can't do it like this",
    "his mom's funeral is saturday, do i go",
    "I gave his stuff away",
    "tell my mom i love him, she hates him so much",
    "I sleep fine now that he is gone",
    "if it ends it ends, i am done chasing him",
    "i did a sudoku lol, it took me an hour",
    "my mum is going to kill me when she sees my hair",
    "quick question, how do i mute his stories without him knowing",
    "i wish i could disappear to a cabin for a month",
    "drowning in work since the breakup, which honestly helps",
    "the landlord is dead to me",
    "my friend told me she's been cutting again, what do i say to her",
    "ugh i'm going to kill my best friend, she told him where i was tonight",
    "gonna kill my roommate if she plays our song one more time",
    "I need to stop living in the past and start planning my summer",
    "it's the 14th of February tomorrow and I keep looking at his photos",
    "i want to disappear from social media until i'm over her",
    "me muero de risa con los memes que me manda mi hermana, at least I'm not texting him",
    "tô morto de fome e ainda não mandei mensagem pra ela, day 12!",
    "chopping onions and crying, honestly a great cover",
];

/// Where the ex hurts or threatens, the words of harm are the ex's: abuse, not the
/// user's own crisis (and never ordinary coaching).
#[test]
fn the_ex_hurting_or_threatening_is_abuse_not_the_users_crisis() {
    let m = matcher();
    for text in [
        "he grabbed my arm so hard it left bruises when i tried to leave",
        "last time we were alone he shoved me against the wall and i hit my head",
        "she keeps saying she'll kill herself if i don't come back, and sent a photo of pills",
        "he's threatening to kill my cat if i don't come get my stuff",
        // said half in another language
        "mi ex me pegaba cuando bebía y ahora quiere verme",
        "wo mujhe maarta tha, ab sorry bol raha hai",
        "er hat mich geschlagen and now he wants a coffee",
        "sinasaktan niya ako dati, now he messages my sister every day",
    ] {
        let v = m.classify(text);
        assert_eq!(v.situation, Situation::Abuse, "{text}: {}", v.explanation);
    }
}

#[test]
fn crisis_phrasings_are_crisis() {
    let m = matcher();
    let missed: Vec<&str> = CRISIS
        .iter()
        .copied()
        .filter(|t| m.classify(t).situation != Situation::Crisis)
        .collect();
    assert!(missed.is_empty(), "not detected as crisis: {missed:#?}");
}

#[test]
fn idioms_are_not_crisis() {
    let m = matcher();
    let wrong: Vec<(&str, String)> = NOT_CRISIS
        .iter()
        .copied()
        .filter_map(|t| {
            let v = m.classify(t);
            (v.situation == Situation::Crisis).then(|| (t, v.explanation.to_string()))
        })
        .collect();
    assert!(wrong.is_empty(), "idioms taken for crisis: {wrong:#?}");
}

#[test]
fn crisis_explanation_names_the_words() {
    let m = matcher();
    let v = m.classify("honestly I keep thinking about killing myself");
    let shown = v.explanation.to_string();
    assert!(shown.contains("crisis"), "{shown}");
    assert!(shown.contains("killing myself"), "{shown}");
}
