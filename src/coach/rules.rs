//! Precise rules: crisis language, scam (spell caster) questions and
//! the direction and tense of contact ("he texted me" / "I texted him" /
//! "I didn't text him" / "should I text him").

use std::sync::LazyLock;

use super::lexicon::{NEGATORS, OTHER_PEOPLE, PARTNER_TITLES, is_ex_word};
use super::pattern::{Hit, PatternSet};
use super::text::Text;

/// Crisis phrasings. Idioms ("killing me", "dying to", "to die for",
/// "killed it", "dying inside") are simply never matched: every pattern
/// needs a self-directed or explicit form.
const CRISIS: &[&str] = &[
    "-caffeine|coffee|sugar|chocolate|carb|carbs|cake|netflix|information|cuteness suicide|suicidal|suicidality|overdose|overdosed|overdosing|noose|painless -on|of|with",
    "kill|killing|killed|kills myself|yourself",
    "kill|killing my self",
    "end|ending|ended|off|offing myself",
    "-only hurt|hurting|harm|harming|cut|cutting|burn|burned|burnt|burning|scratch|scratching|starve|starving|hang|hanging|hanged|poison|poisoning|stab|stabbing myself -by|more|emotionally|mentally|even|further|up|over|out",
    "self harm|harming|injury|injuring|injure|mutilation",
    "started|start|been|keep|am cutting -class|school|work|off|ties|people|contact|him|her|them|back|down|out|corners",
    "cutting again",
    "cut|cutting|slit|slitting|slice my? wrist|wrists|arm|arms|thigh|thighs|legs|skin",
    "got|have|holding|hold|grabbed|bought|took a|the|my? razor|razors|blade|blades",
    "razor|razors|blade|blades .. hand|wrist|wrists|arm|arms|skin",
    "until|till|til i|they|it bleed|bleeds",
    "make myself bleed",
    "end|ending|ended|take|taking|took|end|ends my own? life",
    "end|ending it all|tonight",
    // "I'm done. And I don't mean done with no contact": done with living
    "do not mean done with no|nc|contact|him|her|them|this|the",
    "done with everything .. and? i do not mean",
    "end|ending everything -with|between",
    "^to end it -with|off|between|there|for|properly|now|officially|completely",
    "^to end|ending things -with|off|between|officially|properly",
    "end|ending things tonight|today|now",
    "^to just|simply|really|actually|literally? die -for|of|from|laughing|alone|happy|inside|single|with|in|without",
    "let|hope|hopes|hoping|hoped|if i|me die|died -of|from|laughing|alone|inside",
    "wish i could|would die",
    "i should just? die",
    "wish|want|wanted|wanna|rather|better|wishing|if .. be|was|were|am dead -inside|tired|to|serious|lol|haha",
    "off dead",
    "feel|felt|feeling like dying -to|for|inside|of|laughing",
    "think|thinking|thought|thinks about dying|death|suicide -of|for",
    "not|never|longer .. want to live|exist|continue -with|together|in|here|there|near|close",
    "not|never|longer .. want to be alive|here|around -at|in|with|for|when|if|right",
    "not|never|longer .. want to go on -with|a|the|like|holiday|vacation|trip|dates|date",
    "not|never|longer .. want to wake up",
    "stop|quit existing|living|breathing",
    "cease to exist",
    "done|tired|sick|over of|with? living|existing|breathing",
    "done|tired|sick|over of|with life",
    "tired|sick of being alive",
    "point|reason|purpose in|of|to? living|live|life|existing|exist|breathing",
    "want|wish|need it all to end|stop",
    "point|reason|purpose in|of|to? going|go|carry|carrying on -with|like",
    "point|reason|purpose in|of|to? be|being|stay|staying alive",
    "point|reason|purpose in|of|to? wake|waking up",
    "nothing left? to live for",
    "not worth living|it|anything -to|for",
    "life is not worth",
    "can|could not go on -a|the|with|holiday|vacation|trip|date|dates|his|her|my|social|instagram|facebook|like|dating|tinder|apps|app|about|and",
    "never wake|waking up",
    "never woke up",
    "hope|hoping|wish|pray|praying|want|wanted .. not|never wake|waking|woke up",
    "sleep forever",
    "sleep and not|never wake",
    "^disappear|vanish forever|permanently",
    "not .. in|on this world|earth",
    "^leave|leaving this world|earth",
    "%better|easier off? without me",
    "%better|easier off? if i was|were|am gone|dead|not",
    "notice|care|miss me? if i was|were|am gone|dead|died",
    "if i was|were gone -for|on|away",
    "took|take|taking|swallow|swallowed|swallowing|down|downed|downing|overdose|od .. all|many|lot|bunch|handful|bottle|whole|every|box .. pills|tablets|painkillers|paracetamol|tylenol|benzos|xanax|meds|pill",
    "bottle|handful|box|stash|stockpile|bunch of pills|tablets|painkillers|paracetamol|sleeping",
    "pills|tablets|painkillers .. here|drawer|next|front|hand|ready|counted|counting|saved|saving|stockpil*|stash",
    "looking|look|staring|stare at the? pills|tablets",
    "saving|stockpiling|collecting|hoarding|counting up? my|the? pills|tablets",
    "too many pills|tablets|painkillers",
    "thinking|thought|think about jumping",
    "-bungee|cliff|base|ski|parachute jump|jumping|jumped off|from the|a roof|bridge|building|balcony|cliff|window|ledge|tower -with|into|for|at|in",
    "jump|jumping|jumped in front",
    "in front of a|the train|bus|car|truck|traffic|lorry",
    "balcony|bridge|roof|rooftop|ledge|cliff .. looking|look|staring down",
    "standing|stood|sat|sitting on|at the? balcony|bridge|roof|rooftop|ledge|cliff|edge .. jump*|think*|end|down",
    "walk|walking|walked|step|stepping|swim|swimming into|in the|a? sea|ocean|river|lake|traffic",
    "drive|driving|drove|crash|crashing|steer|swerve|swerving my? car? into|off a|the? wall|tree|cliff|bridge|truck|traffic|lake|river|lorry",
    "rope .. garage|neck|beam|ceiling|tree|hang*|tie|attic|basement -himself|herself|themselves|swing|out",
    "^not|never be around|here .. much|long|longer|tomorrow|anymore",
    "goodbye|farewell|suicide letters|notes",
    "goodbye|farewell|suicide letter|note|video .. family|mom|mum|dad|parents|kids|everyone|friends|sister|brother|children",
    "ways|way|how to die|kill",
    "want|wanna|wanted|wanting .. to die -for|of|laughing|alone|inside",
    "no future for me",
    "feel|felt|feeling like ending it|everything|myself",
    "think*|thought|considering|contemplating .. ending|end it -with|things|off",
    "bought|got|have|buy|buying|tied a? rope -swing|swings|ladder|course|bridge",
    "until|till my .. bled|bleed|bleeding",
    "wish i was|were|had never been? born",
    "never been born",
    "point of|in anything|everything -with",
    "what is the point anymore",
    "goodbye world|everyone|everybody|forever|cruel",
    "standing|stood|sitting|sat on|at a|the? bridge|ledge|rooftop|railing|edge",
    "i am just|such? a burden",
    "being a burden",
    "burden to|on everyone|everybody|my|them|people|you",
    "^not|never .. be around|here .. much|long|longer|tomorrow|anymore",
    "cut again",
    "dark thoughts",
    "live or die",
    "if i just? ended|end it -with",
    "no|not see? a|any? way out",
    "give|giving|gave up on life|living",
    "wish i did not|never exist|existed",
    "wish i was|were not here|alive|around",
    "point|reason|purpose in|of|to? keep|keeping living|going",
    "knife|knives|blade .. wrist|wrists|myself|arm|arms|skin|throat",
    "gun|pistol .. head|mouth|myself",
    "bought|have|got|holding|grabbed|loaded a|my|the? gun|pistol|firearm",
    "drink|drinking|drank|swallow|swallowed bleach",
    "hope|hoping|wish|pray|praying .. hit by",
    "hope|hoping|wish|pray|praying .. run over",
    "nobody|noone|one would|will even? miss me",
    "nobody|noone|one would|will even? notice|care if",
    "if i was|were not here|around",
    "hate|hating being alive",
    "wish i could disappear|vanish",
    "asleep forever",
    "not|never deserve to live|exist|breathe",
    "not|never deserve to be alive|here",
    "relapsed .. cut|cutting|harm|harming|hurting",
    "can|could not live like this",
    "giving|gave|give|given away my? stuff|things|belongings|possessions|everything|stuff",
    "wrote|writing|write|made|make|making|updated my will",
    "saying|said|say goodbye to my? family|everyone|everybody|friends|mom|mum|dad|kids|parents",
    "when|if|after i am|was gone",
    "affairs in order",
    "sorted|sorting|sort|settled|settling my affairs",
    "left|leaving|wrote|writing a note|letter for|to my family|kids|children|parents|mom|mum|dad",
    "do|doing something to myself",
    "might|could|will|would do to myself",
    "not trust myself tonight|anymore|alone|right",
    "keep myself safe",
    "want|wish everything to stop|end -reminding|hurting|being|making|feeling|going",
    "how many pills|tablets",
    "ways|way|how to end it|things|myself",
    "ways|way|how to end my life",
    "scratch|scratching|scratched my? wrist|wrists|arms|arm|skin",
    "can|could not do|take this|it anymore|no|any -without|with|like",
    "my own? funeral",
    "tell my family|parents|kids|children|mom|mum|dad|sister|brother|friends i love|am -him",
    "not have to deal with me",
    "not have to worry about me",
    "gave|given|giving my? dog|cat|pet|pets|things|stuff|belongings .. away",
    "left|leaving|wrote|writing a note|letter for|to my roommate|flatmate|friends|sister|brother|husband|wife|partner",
    "want|wish it all to be over",
    "scared|afraid|terrified of myself",
    "dark place",
    "thoughts are|getting|get .. dark",
    "be|join .. in heaven",
    "want|wanna|wanted to not exist",
    "want|wanna|wanted to be gone -for|from|by|when|before",
    "going|about|planning to do something stupid|drastic|dangerous -and|like|again|with",
    "might|will|could do something stupid|drastic|dangerous -and|like|again|with",
    "unalive|unaliving|unalived",
    "bridge|tracks|train|roof|rooftop|ledge|cliff|balcony|pills|rope|knife|razor|river|sea .. tempting|inviting",
    "bridge|tracks|roof|rooftop|ledge|cliff|balcony|pills|rope|river|sea .. calling me",
    "can|could not keep living|existing|going like this",
    "keep|keeping on? living|existing like this",
    "pain|hurt|hurting|suffering to end|stop forever|permanently",
    "pain|hurt|hurting|suffering to end|stop for good",
    "all|everything|it to end|stop forever|permanently",
    "all|everything|it to end|stop for good",
    "life|living is|feels pointless|meaningless|worthless|hopeless",
    "about|of not|never waking|wake up",
    "asleep and not|never wake|waking",
    "^disappear|vanish for good|forever|permanently",
    "out of this life|world",
    "i am|feel not safe -to|with|around|at|in|driving|there|here|going",
    "do not feel safe with myself|alone|tonight",
    "reason|point|purpose for me to live|stay|be|keep|exist|continue|carry|go",
    "%better|happier|easier place|world|lives|life without me",
    "%better|easier|happier off? if i just|even? was|were|am gone|dead|not",
    // plans and methods without a death word
    "worked out the timing|method|plan|way|date|day",
    "picked|chosen|choose|chose the|a date|day|spot|place|method",
    "purchased|bought|ordered|got the|some rat poison|poison|bleach|rope|charcoal",
    "rat poison",
    "question of when",
    "kept|keeping|keep .. rifle|gun|shotgun|pistol .. under|in|bed|bullets",
    "know where .. bullets|rope|pills",
    "stash",
    "which is more certain|sure|reliable",
    "hanging is quick|painless",
    "definitely .. not|do not survive",
    "not survive the fall|it",
    "cut along|across",
    "bleed out",
    "does drowning hurt",
    "hesitate less",
    "rope .. hold .. weight",
    "look like an accident",
    "before it is over",
    "freezing river|water .. before",
    "tried to drown|hang|poison|overdose myself",
    "drown myself",
    "attempted -to",
    "an|my|the|last attempt -to|at",
    // goodbyes and affairs
    "thank you to everyone who tried",
    "texted|told|called everyone i love",
    "to whoever reads|finds this",
    "sorry for the mess",
    "she|he|they can have my room|stuff|things|switch|clothes",
    "can have my room",
    // burden
    "deserve|deserves a better mum|mom|dad|father|mother|parent|wife|husband|partner|son|daughter than me",
    "would raise them better",
    "maths|math does not add up",
    "not add up for me to stay",
    "if there was|were a me",
    "not in the picture",
    "make that|it permanent",
    "easier for them",
    "only thing in the way",
    // passive
    "fade out|away -from|of",
    "not be anymore",
    "just not be",
    "if i got|get hit by a car|bus|train|truck",
    "do not want to do tomorrow",
    "any tomorrow",
    "terminal diagnosis|illness",
    "never have been here",
    "not have to come back",
    "not care .. whether|if i live|wake",
    "lie there and let it",
    "did not stop in time",
    "heart would|will just? give up|stop",
    "not being alive",
    "flu|virus|cancer|illness|covid takes me",
    "want it to be over .. me",
    "it to be over me",
    "keep waking up",
    "just not exist",
    "never get up again",
    "switch me off",
    "sleep permanently|forever",
    "forever nap",
    // self-harm
    "clean for .. days|weeks|months|years .. ruined|not anymore|until|till|relapsed|broke",
    "days|weeks|months clean and i ruined|broke|relapsed",
    "was clean for",
    "relapsed|relapsing|relapse -on|with",
    "two|three|few|new marks",
    "because|bc|cause of my arms|wrists|thighs|scars",
    "long sleeves .. why|summer|hide",
    "still in long sleeves",
    "razor|razors|blade|blades .. again|tonight|opening|opened|bathroom",
    "feel a pain that",
    "self harm urges|again",
    "s h urges",
    // slang, misspellings, other languages
    "kil|kll|kilk|kill myslef|myslf|mself|meself|my self",
    "kms|kmss|kmsss",
    "ctb",
    "suicidle|suicidal|sucidal|suisidal",
    "sewer slide|sewerslide",
    "quiero morir|morirme|matarme|suicidarme|desaparecer",
    "no despertar",
    "não|nao quero mais viver",
    "quero mais viver",
    "jeena nahi|nhi|nahin chahta|chahti",
    "mar jaana|jana|jaun|jaunga|jaungi",
    "mamatay|magpakamatay|mabuhay",
    "nicht mehr leben",
    "bring mich um",
    "voglio morire",
    "envie de mourir",
    "kil|kll myslef|myself|myslf",
    "least messy|painful way|method",
    "car exhaust|exhaust thing",
    "everything is in order",
    "made a will",
    "carrying this around after",
    "just for a couple of weeks .. it is not|isnt",
    "won't|will not be around for them",
    "not moving anywhere",
    "songs .. at the funeral",
    "someone to know i was here",
    "hoping the plane goes down",
    "plane goes down",
    "banging|bang|hitting|hit my head against",
    "razors and plasters",
    "keep opening it",
    "going to jump tonight|now|today",
    "overdosed|od on monday|tuesday|wednesday|thursday|friday|saturday|sunday|purpose",
    "^want|wanna|wanted to kill -him|her|them|my|his|their|the|time|it|someone|you|everyone|this|that|a|some|all|for|off|and|people|whoever",
    "want|wanna|wish|gonna|going to .. die for real",
];

/// An ex who threatens self-harm (or to spread pictures) to make the user answer or
/// stay: abuse, and not the user's own crisis, so these phrases are in both lists.
const EX_SELF_HARM_THREAT: &str = "he will kill himself|she will kill herself|they will kill themselves|kill himself if|kill herself if|kill themselves if|hurt himself if|hurt herself if|he will hurt himself|she will hurt herself|cut her wrist|cut his wrist|her own wrist|his own wrist|threatening she will|threatening he will|threatening to overdose|threatened to overdose|threatens to overdose|threatened to jump|threatening to jump|threatens to jump|threatened to kill himself|threatened to kill herself|threatening to kill himself|threatening to kill herself|photos of herself with cuts|photos of himself with cuts|pictures of herself with cuts|pictures of himself with cuts|my fault because i left";
const EX_PICTURE_THREAT: &str = "send the video to|send the pics to|send the photos to";
/// "My mum is going to kill me when she sees my hair": an idiom, neither a crisis nor abuse.
const FAMILY_WILL_KILL_ME: &str = "mum is going to kill me|mom is going to kill me|dad is going to kill me|boss is going to kill me|parents are going to kill me|sister is going to kill me|brother is going to kill me|teacher is going to kill me|coach is going to kill me|mum will kill me|mom will kill me|dad will kill me|boss will kill me|mum would kill me|mom would kill me|dad would kill me|parents would kill me|boss would kill me";

/// The ex hurt, threatened, stalked, controlled or harasses the user: phrases (each `|`
/// alternative a word or a phrase, read through [`concept`]).
const ABUSE: &[&str] = &[
    "abusive|abuser|abused me|abusing me|abuse me|was abuse|is abuse|domestic violence|domestic abuse|coercive control|controlling behaviour|controlling behavior",
    "restraining order|protection order|protective order|non-molestation order|called the police|call the police|called the cops|police on him|police on her|cops on him|cops on her|safe house|women's refuge|shelter",
    "threatened me|threatens me|threatening me|threatened to|threatens to|threatening to|threatening messages|threatening voice notes|death threats",
    "kill the guy|he'd hurt me|she'd hurt me|would hurt me|will hurt me|going to hurt me|gonna hurt me|ruin my life|ruin me|get me fired|take the kids|never see them again|make me regret|make me pay|out me to|send the video|post my nudes|share my nudes|leak my|my nudes|revenge porn",
    "scared of him|scared of her|scared of them|afraid of him|afraid of her|afraid of them|terrified of him|terrified of her|frightened of him|frightened of her|afraid of what he|afraid of what she|scared of what he|scared of what she|fear for my life|fear for my safety|not safe around him|not safe around her",
    "flinch|flinching|flinched|walk on eggshells|walking on eggshells|my hands shake when his|my hands shake when her|sleep with the light on",
    "wouldn't let me|would not let me|didn't let me|did not let me|won't let me|never let me|not let me leave|not let me sleep|let me see my friends",
    "controlled everything|controlled all|controlled the money|controlled my money|controls my|controlled my|controlled literally|what i ate|who i texted|how much i spent|bus fare",
    "went through my phone|go through my phone|goes through my phone|made me give her my passwords|made me give him my passwords|all my passwords|my icloud password|reads my messages|read all my messages|reading my messages",
    "tracking me|tracked me|tracks me|tracker|gps tracker|airtag|air tag|spyware|stalkerware|checks my location|checking my location|checked my location|running my plates|knows my new address|pictures of my house|photos of my house",
    "stalking me|stalked me|stalks me|following me home|followed me home|follows me home|followed me to|following me around|been following me|following me everywhere",
    "parked outside|waiting outside|waited outside|waits outside|outside my flat|outside my house|outside my work|outside my uni|outside my parents|drive by|driving by|drives by|keeps showing up|kept showing up|came anyway|knocking for an hour",
    "since i blocked|after i blocked|after i'd blocked|even after i blocked|blocked like|new accounts|fake account|random accounts|another number|different number|no caller id|unknown numbers|private number|withheld number|pretending to be a client|through his brother|through her sister|his mates to follow|his friends keep|her friends keep",
    "harass|harassed|harassing|harassment|harasses",
    "banging on my door|banging and shouting|shouting my name|screaming my name|at my door at 1am|at my door at 2am|at my door at 3am|at my door at 4am|picture of my building|photo of my building|picture of my house|photo of my house|picture of my street|photo of my street|picture of my car|photo of my car|my building on his story|my building on her story|my house on his story|my house on her story|parked at the end of my street|parked on my street|parked outside my building|grab my arm|grabbed my arm|grabs my arm|grabbing my arm|grab me by|grabbed me by|grabs me by|grabbed my face|grabbed my hair|grabbed my neck|squeezed my arm|heavy-handed|heavy handed|got rough with me|gets rough with me|get rough with me|rough with me when|emailing my manager|emailed my manager|emails my manager|emailing my boss|emailed my boss|emails my boss|messaging my boss|messaged my boss|calling my work|calls my work|rang my work|contacting my work|contacted my work|contacting my employer|contacted my employer|watching me for an hour|watching me for hours|watching me for ages|stood there watching me|stood watching me|just stood watching|sat in his car watching|sat in her car watching|sits in his car outside|sits in her car outside",
    "locked me out|locked me in|lock me out|corner me|cornered me|pinned me|pin me down|pushed me|shoved me|dragged me|grabbed me|grab my wrist|grabbed my wrist|pulled my hair|threw my phone|broke my phone|smashed my phone|took my car keys|took my keys|took my passport",
    "hit me|hits me|hitting me|slapped me|slap me|slaps me|punched me|punch me|kicked me|choked me|choke me|strangled me|strangle me|beat me|bit me|bite me|spat on me|scratch and punch|punch the wall right next to|throw things at me|threw things at me|threw a|physically hurt|hurt me really bad physically|hurt me physically|put his hands on me|put her hands on me|laid hands|bruise|bruises|black eye|forced me",
    "drive like a maniac|scream at me for hours|yell at me for hours|wake me up yelling|roar at me|nose to nose",
    "hands around my neck|hands round my neck|hands around my throat|round my neck|knocked me about|knocked me around|push me around|pushed me around|bend my fingers|sit on my chest|sat on my chest|hold me down|held me down|stubbed a cigarette|fist through the door|ran my car off|lock me in|locked me in|held a knife|a knife to|kicked you|kicked me|smacked me|spit in my face|spat in my face|fed my boss|get me sacked|get me fired|a photo of me asleep|panic alarm|he's threatening|she's threatening|threatened my|knows where i live|know where i live|i know where you are|what he'll do|what she'll do|find out where i",
    "new snapchats|new tiktok|a new profile every|new profiles|new sim|new whatsapp numbers|new numbers|another one appears|through venmo|venmo requests|sending his boys|sends his boys|messaged my brother|message my sister|messages my mum|calls my mum|calls her asking about me|his brother's number|his mum's number|writing on my car",
    EX_SELF_HARM_THREAT,
    "forced me|force me|would force me|made me have sex|did it anyway|even though i said no|not always something i wanted|was not something i wanted|angry if i said no|squeezed my neck|by the throat|grabbed me by",
    "keep showing up|keeps turning up|keep turning up|still show up|still shows up|follow me home|to follow me|following me too|take my car keys|take my keys|take my card|takes my card|took my card|took my bank card|hide my meds|hid my meds|hide my medication|made me quit my job|quit my job so|go out without him|go out without her|anywhere without him|anywhere without her|without his permission|without her permission|never allowed to|was never allowed",
    "my private pics|my private photos|private pics of me|share the pic|share the pics|share my pics|share the photo|unless i send|send more pics|posted my address|my address on|pay me a visit|pic of my front door|photo of my front door|picture of my front door|found my new job|pretending to be my|pretending to be me|coming into my flat|been coming into|things are moved|access to my instagram|reads my dms|reading my dms|my tyres|slashed|you will regret|regret leaving me|better watch out|watch your back|run me over|broke my nose|broke my arm|broke my rib|broke my jaw|broke my finger|broke my wrist|smack me|smacked me|smacks me|twist my arm|twisted my arm|arm behind my back|so i could not leave|could not leave the room|scratch me|scratched me|scratches me|outside my window|letters to my new|messaging me through|through my xbox|through my playstation|everything else is blocked|everything else blocked|gets his little cousin|gets her little cousin|got his best friend|got her best friend|gets his cousin|gets her cousin|gets his friends|gets her friends|got his friends|got her friends|gets his mates|got his mates|accidentally bumping into|accidentally bumps into|keeps driving past|keeps driving by|drives past my|driving past my|drove past my|whatever was near|whatever was nearby|he will kill me|she will kill me|would kill me|going to kill me|kill me if|said he would kill me|said she would kill me",
    "send them to my|send them to his|send it to my dad|send it to my mum|has nudes of me|got nudes of me|i had blocked him everywhere|blocked him everywhere|blocked her everywhere|check my phone every|checked my phone every|go through my messages|went through my messages|see my friends without him|see my friends without her|told him not to|told her not to|calling me a slut|calling me a whore|grabbed my arm|left fingerprints|covered it with makeup|to prove where i was|where i was every|would sulk for days if i did not|throw out anything|punched the wall|punches the wall|fake profile pretending|pretending to be a girl|pretending to be a guy|another new account|new account from him|new account from her|1p transfers|in the reference|i see you|jump off his balcony|jump off her balcony|he has got a gun|he's got a gun|she has got a gun|nothing left to lose|your choice|accuse me of cheating|smash something|smashed something|reading my journal|turned up at my uni|turned up at my work|turned up at my lectures|someone gave him the number|gave him my number|i never gave him|i never gave her|a man like him outside|shook me|he shook me|made him do it|made her do it|burn me with|burned me with|burnt me with|burner account|only he would know|only she would know|owed him sex|owed her sex|go along with it|dead bird|on my doorstep",
    EX_PICTURE_THREAT,
    // the same, said in another language or half in one (Spanish, Portuguese, German,
    // French, Italian, Hindi and Tagalog in Latin script, Indonesian)
    "me pegaba|me pegó|me pegaste|me golpeaba|me golpeó|me empujó|me empujaba|me amenazó|me amenaza|me amenazaba|me maltrataba|me maltrata|me acosa|me acosaba|me agredió|me agredía|me bateu|me batia|me empurrou|me ameaçou|me ameaça|me ameaçava|me agrediu|me agredia|me persegue|me perseguia|hat mich geschlagen|schlug mich|schlägt mich|hat mich bedroht|bedroht mich|hat mich gestoßen|hat mich geschubst|il me frappait|elle me frappait|il me frappe|elle me frappe|me menaçait|mi picchiava|mi ha picchiato|mi picchia|mi ha minacciato|mi minaccia|mi minacciava|mujhe maarta|mujhe maarti|mujhe maara|mujhe maari|mujhe marta tha|haath uthaya|dhamki deta|dhamki deti|dhamki di|dhamkiyan|sinasaktan ako|sinaktan ako|sinasaktan niya ako|sinaktan niya ako|binugbog ako|binubugbog ako|sinampal ako|tinatakot ako|tinakot ako|memukul aku|mukul aku|mengancam aku|ngancam aku",
    // threats to pets and family, outing, sextortion
    "threatening to tell my parents|threatened to tell my parents|threatening to tell my family|threatened to tell my family|will tell my parents i am|will tell my family i am|hurt my cat|hurt my dog|hurt the cat|hurt the dog|kill my cat|kill my dog|kill my rabbit|kill my pet|kill the cat|kill the dog|kicked my dog|kicked the dog|kicks my dog|kicked my cat|poison my dog|poison my cat|drown my cat|a knife next to|kill my family|will out me|to out me|threatening to out|threatened to out|post the pics|post the photos|post the video|post our sex tape|sex tape|send the nudes|send my nudes|post the nudes|share the nudes|leak the pics|leak the photos|leak our|recorded without asking|recorded me without|can not have you no one can|cannot have you no one can|if i can not have you|next time it is your face|next time it will be me|next time it is me|next time it will be you|keyed my car|cut up all my clothes|cut up my clothes|broke into my flat|broke into my house|broke into my place|broke in while",
    // hurting the body, in many words
    "spit on me|gripped my wrists|gripped my wrist|grabbed my wrists|grabbed my arm|gripped my arm|split my lip|threw the remote at|threw a glass at|threw a plate at|threw a mug at|threw his phone at|threw her phone at|threw me down|threw me against|threw me out of the car|pushed me down|shoved me against|slammed me against|slammed my head|pinned me down|pillow over my face|hand over my mouth|spat at me|beating me|beat me up|beat me with|choking me|dragged me by|by my hair|drove like a maniac to scare|drive fast to scare|sped up to scare|wouldn't take no for an answer|would not take no for an answer|forced himself on me|forced herself on me|pressure me into|pressured me into|pressuring me into",
    // watching, tracking, turning up
    "and just breathes|and just breathing|he just breathes|she just breathes|breathing down the phone|from work numbers|knows what time i|her car behind me|parked across the road|parked at the end of my road|parked on my street|sitting in his car outside|sitting in her car outside|sleeping in his car outside|sleeping in her car outside|sitting outside for hours|outside my gym|outside my school|outside my building|waits outside|waiting outside school|rang my work|ringing my work|calling my work|called my work|emailing my employer|emailing my new employer|emails my boss|emailed my boss|messaged my manager|sent my manager|hidden numbers|from new numbers|where i have been each day|where i have been every day|lists of where i|knows every place|every place i have been|screenshots of my location|tracked my phone|tracks my phone|track my phone|track where i go|tracked where i|find my iphone|got into my phone|into my phone while|deleted all my male contacts|deleted my contacts|knows my new wifi|messaging my new girlfriend|messaging my new boyfriend|messaging my new partner|watch her back|watch his back",
    // control and coercion
    "he will tell my husband|she will tell my husband|he will tell my wife|she will tell my wife|he will tell my boss|she will tell my boss|he will tell my employer|she will tell my employer|or he will tell|or she will tell|refuse to let me go to work|refused to let me go to work|my medication in the bin|threw away my meds|won't give me my medication|will not give me my medication|keeps my passport|kept my passport|has my passport|took my passport|lock herself in the car with my keys|lock himself in the car with my keys|with my keys and|refuse to let me leave|refused to let me leave|report it stolen|report the car stolen|unless i sleep with|sign over the house or|scary when he|scary when she|he is scary|she is scary|he gets scary|she gets scary|i am scared of my ex|everyone says adjust",
    "if he can not have me|if she can not have me|no one can have me|keeps coming to my place|keeps coming to my flat|keeps coming to my house|scared to go back to my own|squeeze my arm|squeezed my arm|still drives past|used to hurt me|hurt me when he was drunk|hurt me when she was drunk|turned up at my flat again|turned up at my house again|not allowing me|not allowed me|throw my phone against|threw my phone against|so he could not find me|so she could not find me",
];

static ABUSE_SET: LazyLock<PatternSet> = LazyLock::new(|| concept(ABUSE));

/// Abuse by co-occurrence: contact or visits that go on after the user said no, control
/// of daily life, fear, being watched. (name, first concept, second concept, distance).
const ABUSE_PAIRS: &[(&str, &[&str], &[&str], usize)] = &[
    ("keeps on after a no", PERSISTS, AFTER_NO, 16),
    ("control of daily life", CONTROL_VERB, CONTROL_OBJECT, 6),
    ("fear of the ex", FEAR, EX_ACTS, 6),
    ("being watched", KNEW, UNTOLD, 14),
];

const PERSISTS: &[&str] = &[
    "keeps|kept|keep|still|again|every|another|new|started|starts|appeared|appears|shows up|showed up|turned up|turns up|turning up|coming|comes|came|sending|sends|sent|messaging|messaged|texting|calling|emailing|drives past|driving past|drove past|bumping into|sat|sitting|waiting|parked|voicemails|packages|notes|third go",
];

const AFTER_NO: &[&str] = &[
    "after i told|after i said|after i asked|even though i asked|even though i told|even though i said|even though ive said|though i asked|told him to stop|told her to stop|told them to stop|told him not to|told her not to|told them not to|asked him to stop|asked her to stop|asked them to stop|asked him not to|asked her not to|said no|said leave me alone|leave me alone|not to come|i needed time apart|told him straight|told her straight|said it's over|told him twice|told her twice|i blocked|i block|i've blocked|we're done|i moved out|said we're done|no contact in writing|in writing|every way i know",
];

const CONTROL_VERB: &[&str] = &[
    "wasn't allowed|was not allowed|not allowed|had to ask|had to beg|beg his|beg her|permission|made me|make me|would make me|rationed|rations|controlled|controls|decided|took my|takes my|held onto|holding onto|hid|hides|drained|moved my|had my|kept a list|quizzed|account for|read every|reads every|read all|deleted|switch the heating|locked",
    "never allowed",
];

const CONTROL_OBJECT: &[&str] = &[
    "money|salary|savings|cards|card|debit|bank|banking|login|keys|car keys|passport|phone|messages|eat|food|weight|friends|sister|family|parents|mum|mom|see|go|leave|wear|sleep|bed|selfie|every minute|every hour|everyone i spoke|pocket money|allowance|warm|heating|out loud|the car|anywhere",
    "receipt|receipts",
];

const FEAR: &[&str] = &[
    "scared|terrified|afraid|frightened|petrified|fear|nightmares|flinch|jump at|hands go numb|hands shake|want to throw up|panic alarm|sure he's|sure she's",
];

const EX_ACTS: &[&str] = &[
    "of him|of her|of them|of my ex|find out where|find me|find where i|come after|hurt me|hurt my|do to me|what he'll do|what she'll do|what he might|what she might|what they'll do|turn up at my|show up at my|turn up at work|show up at work|come round|standing in the room|hands around|hands round|raised voice|because of him|because of her|looks like her|looks like him|it'll be her|it'll be him",
];

const KNEW: &[&str] = &[
    "knew|knows|know where|knew where|sent me a photo|photo of me|photo of my|pictures of|listen to my|listened to my|in my apple id|in my icloud|my running app|my location|baby monitor|worked out where|found out where|pop by",
    "turned up at|showed up at|knows my location|sending letters",
];

const UNTOLD: &[&str] = &[
    "told nobody|told no one|hadn't told|never told|didn't tell|didnt tell|without telling|i never gave|never gave|my new street|my new place|my new address|where i moved|where i'm staying|where i am|asleep|my calls|i went|staying",
    "never told anyone|told anyone",
];

/// Idioms that share abuse words ("he hit me up", "the breakup hit me hard"), and the
/// user doing it themselves ("I made a fake account", "I feel like a stalker").
const ABUSE_EXCEPT: &[&str] = &[
    "hits me up|hitting me up|hits me all over|it hits me|hits me again|let me explain|let me have my say|let me finish|let me talk|let me speak|who can read|can you read|does it read|do you read|actually read|hit me up|hit me hard|hit me with|hit me like|hits me hard|hurt my feelings|threatened to break up|threatened to leave|threatened to move|threatening to take back|threatened to unfollow|i threw my phone|i made a fake account|i made a new account|feel like a stalker|i'm stalking|im stalking|i was stalking|i was the one|i kept calling|following me on|followed me on|follows me on|started following me|reminds me of|left me on read|in my dreams|beat me at|beat me to",
    "hit me way|hit me so|hit me really|hit me harder|controlled the aux|controlled the music|controlled the remote|controlled the tv|controlled the playlist|the aux|pushed me to apply|pushed me to be|pushed me to do|pushed me to try|pushed me to go|pushed me to get|pushed me to take|pushed me to start|always pushed me|pushes me to be|threatened to cancel|threatened to end it|threatened to dump|threatening to dump|threatened to break|threatened to call it off|back through her|back through his|forced me to watch|forced me to try|forced me to listen|forced me to eat|kill me now|showing up in my|shows up in my|showing up on my|in my memories|on my feed|on my fyp|keeps popping up",
    FAMILY_WILL_KILL_ME,
    "breakup is beating me|this is beating me|it is beating me|small claims|slap in the face|it hit me at|hit me that|not scared of him|not scared of her|not afraid of him|not afraid of her|scared of how i will feel|spotify|netflix|family plan|you will regret this|kill me if i ever told|would kill me if i told anyone about|call the police if i|if i showed up|he will block me|she will block me|block me if|kicked me out of the flat|kicked me out of her|kicked me out of his|buy out his half|buy out her half|within his rights|within her rights|unfriended|post it back|threw a party|party the weekend|tell my husband about the surprise",
    // figurative blows ("everything is hitting me at once")
    "everything is hitting me|everything hitting me|all hitting me|all of it hitting me|hitting me at once|hitting me all at once|hitting me in waves|hitting me now|hitting me today|hitting me tonight|reality is hitting me|it is hitting me|its hitting me|loneliness is hitting me|grief is hitting me|the breakup is hitting me|it all hit me|everything hit me",
    // a pet at one's heels, or a threat from someone at work or home ("my cat follows me",
    // "my manager threatened to write me up")
    // a breakup that hurts in the body ("is it normal for a breakup to physically hurt")
    "breakup to physically hurt|heartbreak to physically hurt|normal to physically hurt|possible to physically hurt|breakup physically hurt|heartbreak physically hurt|it physically hurts|why does it physically hurt|physically hurts so much",
    "cat follows me|cat followed me|cat is following me|dog follows me|dog followed me|dog is following me|puppy follows me|kitten follows me|my manager threatened|my boss threatened|my landlord threatened|my teacher threatened|my supervisor threatened|my manager threatens|my boss threatens|my landlord threatens|threatened to write me up|threatened to fire me|threatened to sack me|my friend threatened to|my best friend threatened to|my bestie threatened to|my mate threatened to|my friends threatened to|tracking a parcel|tracking the parcel|tracking a package|tracking the package|tracking my run|tracking my runs|tracking my steps|tracking my period|tracking my sleep|tracking my mood|tracking my streak|tracking my days",
    "threatened my sister with|threatened to fight him|threatened to fight her|threatened to sell|threatened to eat|punched me in the gut|it hit me today|still hit me|harassing myself|i was the one who controlled|i controlled|and he did|and she did|he has not tried|she has not tried",
];

/// Idioms of [`ABUSE_EXCEPT`] that need the pattern language: "it hurt me so much" is a
/// feeling, "he physically hurt me when I left" is not.
const ABUSE_EXCEPT_PATTERNS: &[&str] = &["-physically|physical hurt me so|when"];

static ABUSE_EXCEPT_SET: LazyLock<PatternSet> = LazyLock::new(|| {
    PatternSet::new(
        &[
            concept_sources(ABUSE_EXCEPT),
            ABUSE_EXCEPT_PATTERNS.to_vec(),
        ]
        .concat(),
    )
});

static ABUSE_PAIR_SETS: LazyLock<Vec<Pair>> =
    LazyLock::new(|| ABUSE_PAIRS.iter().map(|&p| Pair::new(p, true)).collect());

/// Words that are not crisis language on their own but are worrying from someone who
/// spoke of self-harm recently: farewells, hopelessness, being worn out by everything.
const CONCERN: &[&str] = &[
    "goodbye|bye|farewell|farewells -to|for|then|lol|haha",
    "thank you for everything|all",
    "thanks for everything|all",
    "sorry for everything",
    "take care of yourself|yourselves|everyone|my",
    "hopeless|hopelessness|worthless|pointless|meaningless|numb|empty|trapped|defeated|broken",
    "no hope|point|way|future|reason",
    "what is the point",
    "give|giving|gave|given up",
    "can|could|do not do|take|handle|cope|go|keep .. anymore|on",
    "can|could not do|take|handle|cope|go|keep .. any more",
    "can|could not cope|breathe",
    "can|could not go on",
    "can|could not keep going|up",
    "tired|exhausted|worn|done|sick|drained .. of|with|by everything|life|this|people|trying|fighting|it",
    "tired|exhausted|worn|done|sick|drained .. of|with|by it all",
    "worn out",
    "i am done",
    "so tired",
    "nothing matters|helps|works|left",
    "nobody cares|understands",
    "no one cares|understands",
    "nobody would care|notice",
    "no one would care|notice",
    "disappear|vanish",
    "all alone",
    "dark|darkness",
    "sleep and|forever",
    "last|final message|text|time|night|day",
    "not okay|ok|alright|fine",
    "pills|meds|tablets|rope|knife|blade|razor|bridge|roof|ledge|gun",
];

/// Crisis by co-occurrence: a message that names a means (pills, a height, a rope) and,
/// anywhere near it, an intent, an amount or a plan ("enough", "counted", "how easy",
/// "picked the day") is crisis, whatever words of death it lacks. Each rule is
/// (name, first concept, second concept, the widest distance in words between them).
const CRISIS_PAIRS: &[(&str, &[&str], &[&str], usize)] = &[
    ("means and intent", MEANS, INTENT, 30),
    ("a hidden stockpile", MEANS, STOCKPILE, 30),
    ("an end that is near", NEAR_END, NO_MORE_ME, 12),
    ("a plan for when alone", PLAN, WHEN_ALONE, 20),
    ("goodbye and finality", FAREWELL, FINALITY, 30),
    ("burden and without me", BURDEN, WITHOUT_ME, 25),
    ("self-harm act and on purpose", HARM_ACT, HARM_INTENT, 14),
    ("a wish not to be", WISH, NOT_BEING, 8),
    ("a question about a method", QUESTION, METHOD, 12),
    (
        "a question about a method, weakly put",
        QUESTION,
        WEAK_METHOD,
        12,
    ),
];

/// Wishing, hoping, not minding.
const WISH: &[&str] = &[
    "daydream|daydreaming|daydreamed|fantasise|fantasize|fantasising|fantasizing|the thought of|would not be the worst|not be the worst thing|not the worst thing|makes me calm|i would feel relieved|god please|please god",
    "wish|wishing|wished|hope|hoping|hoped|pray|praying|prayed|want|wanna|wanted|rather|longing|crave|craving",
    "would be nice|sounds nice|sounds peaceful|would be peaceful|so peaceful|be a relief|be relieved|i'd be relieved|would not mind|wouldn't mind|would not care|wouldn't care|a kindness|be grateful|be happy if|felt happy|glad if|if only|part of me wants|kinda want|kind of want|secretly hope|count it as",
    "wanting|fine|so be it",
    "felt relieved|relieved|secretly",
];

/// Not being: not existing, not waking, being taken, being erased.
const NOT_BEING: &[&str] = &[
    "being gone|everything just stops|everything stops|it all stops|all just stops|wishing i had not|wish i had not woken|wish i did not wake|comes back bad|come back bad|scan comes back|just take me|take me now|a car just hit me|car just hit|an accident bad enough",
    "not exist|not to exist|stop existing|not be here|not be alive|not be around|not wake up|never wake up|not to wake up|not wake|not come back|never come back|not be anymore|be gone|be erased|be forgotten|be nothing",
    "disappear|vanish|dissolve|fade away|fade out|evaporate|cease|erased|gone forever|gone for good",
    "takes me|take me|took me|would take me|come for me|end me|finish me|switch me off|turn me off|put me down|put me to sleep",
    "hit by|run over|crash|crashes|goes down|went down|heart stopped|heart would stop|heart just stopped|stop breathing|stopped breathing|in my sleep|in the ground|six feet under|not survive|did not survive",
    "terminal|fatal accident|an accident|cancer|illness|dangerous|worse",
    "never been born|never existed|never been here",
    "sleep for a very long time|sleep for a really long time|sleep for a long long time|sleep for ever and|sleep and never",
    "car gets me|car hits me|bus hits me|lorry hits me|truck hits me|something hits me|under one|in a coffin|in a box",
    "lump|something bad|tumour|tumor|turbulence|plane crash|plane goes down",
];

/// A question.
const QUESTION: &[&str] = &[
    "what floor|which floor|what do people use|would a|how long does|how long would|how many of|what kind of",
    "how|which|what is the|what's the|whats the|is it true|is it quick|is being|does it|would it|will it|is there a|if someone|kindly advise|tell me which|tell me how|which one",
    "what height|how high|how far",
    "will anyone|would anyone|is it too late",
];

/// Asking how, how much, how sure: words that speak of a method on their own.
const METHOD: &[&str] = &[
    "car running|closed garage|stop my heart|stop the heart|hold a grown|definitely be fatal|be fatal",
    "quickest|fastest|painless|surest",
    "lethal|fatal|bleed faster|bleed out|suffocation|suffocate|hanging|drowning|freezing to|high enough|tall enough|deep enough",
    "lose consciousness|unconscious|survival rate|lowest survival|success rate",
];

/// Asking how quick, how sure, how survivable: a method only where a means or a death
/// is named too ("how quick would it be with pills"), never on their own ("how do I
/// know for sure", "how do I survive the weekend").
const WEAK_METHOD: &[&str] = &[
    "quick|quicker|instant|instantly|peaceful|for sure|certain|definitely|reliable|does not fail|doesn't fail|won't fail|never fails|that works|would work|actually work",
    "enough to|be enough|too late|save me|live through|survive",
    "would it hurt|does it hurt",
];

/// What makes a weakly put method question a crisis: a means, or death itself.
const METHOD_CONTEXT: &[&str] = &[
    "die|dying|death|dead|end it|end it all|ending it|not wake up|never wake up|unalive|kms|overdose|od|not be here|be gone|go quietly|slip away|way to go",
    "wrist|wrists|thigh|thighs|skin|vein|veins|height|heights|floor|floors|storey|storeys|drop|fall|jump",
];

static METHOD_CONTEXT_SET: LazyLock<PatternSet> =
    LazyLock::new(|| concept(&[MEANS, METHOD_CONTEXT].concat()));

/// Means of self-harm and dangerous places.
const MEANS: &[&str] = &[
    "the pier|the knot|hunting rifle|his rifle",
    "prescription|prescriptions|strip of|jar of|heart tablets|what i need|plastic bag|hook in the ceiling|a cord|the cord|shotgun|quarry|platform edge|fast trains|dual carriageway|head under|without a coat|into the snow|into the sea",
    "pills|pill|tablets|tablet|paracetamol|acetaminophen|tylenol|tramadol|codeine|co-codamol|cocodamol|lithium|sertraline|prozac|fluoxetine|citalopram|amitriptyline|benadryl|ibuprofen|aspirin|insulin|antidepressants|antidepressant|painkillers|opioids|oxy|oxycodone|fentanyl|morphine|benzos|xanax|diazepam|valium|zopiclone|melatonin|meds|medication|medications|medicine|medicines|sleeping tablets|sleeping pills",
    "poison|bleach|antifreeze|pesticide|weedkiller|charcoal|carbon monoxide|monoxide|helium|nitrogen gas",
    "rope|noose|knot",
    "gun|rifle|shotgun|pistol|bullets|firearm",
    "blade|blades|razor|razors|knife|knives",
    "roof|rooftop|balcony|railing|ledge|bridge|overpass|flyover|cliff|cliffs|parapet|multi storey|car park|carpark|parking garage",
    "9th|10th|12th|14th|15th|20th|23rd|top floor",
    "railway|tracks|train|lorry|truck|bus|traffic|motorway|highway",
    "river|sea|lake|canal",
    "engine running|exhaust|car fumes|garage with",
    "floors|storeys|stories high|how high|how tall|stopped eating and drinking|stop eating and drinking|starve myself|starving myself|yellow line|red light|red lights",
    "garage|heart meds|her meds|his meds",
];

/// Intent, amount, method or plan.
const INTENT: &[&str] = &[
    "looking down|look down|staring down|nobody noticed|no one noticed|under my bed|duct tape|the tape|sealing|seal up|taped up|tape up|already tied|is tied|in the boot|nobody walks|nobody around|no one around|enough now|i have enough",
    "enough|lethal|fatal|overdose|od|dose|doses|how many|how much|quickest|fastest|painless|surest|certain|certainty|definitely",
    "to work|would work|will work|it work|actually work",
    "stash|stashed|collecting|collected|saving|saved up|hoarding|stockpile|stockpiling|counted|counting|count them|lined up|hiding|hidden",
    "two different shops|nobody would ask|no one would ask",
    "how simple|how easy|so easy|very easy|simple it|easy it|easy from here|easy way",
    "let go|one push|little push|a push|step off|lean|leaning|closer than",
    "not survive|do not survive|would not survive|never survive|will not survive|not come back|not wake|never wake|not waking",
    "kind of hoping|sort of hoping|hoping a|hoping the|hoping it|hoping something|whatever happens|sort it out for me|gets me|it gets me",
    "the night|the day|the date|the timing|picked|chosen|choose the|worked out|planned|plan|a spot|my spot|the angle",
    "just to see|a bit longer|longer every time|keep thinking about|keep picturing|can't stop thinking about the|keep going back to|keep looking at",
    "on purpose|no seatbelt|did not look|do not look",
    "to stop it all|to make it all stop",
    "mix|mixing|all of them|all my|everything in|the whole box|the whole bottle|full box|whole box|a full",
    "no fence|the fence|without a fence|no barrier|no railing|high enough|deep enough|suss it out|for when i'm ready|keeping them|putting a little|aside for|a little further|further forward|part of me wants|not see me|free weekend|nobody knows|no one knows|got what i need|i've got what|marked a date|chose it because|one of these times|won't come up|could be when|a few seconds longer|each time|third chemist|different chemists|different pharmacies",
    "drown|drowning|bleed out|bleeding out|hanging|hang|jump|jumping|fall",
    "exactly where i would|exactly how i would|exactly when i would|know where i would|know how i would|waist high|only waist|a bit closer|bit closer|not go over|did not go over|go over the edge|over the edge|over the railing|the drop|how far down|long way down|think about it a lot|think about it more|more than i would like to admit|see it coming|would you even feel|would you feel it|would it hurt|how many days|would it take|not slip|does not slip|will not slip|not for camping|without looking|if a car|car gets me|to be sure|be sure",
    "not notice|stop hesitating|everything i need|got everything i need|is empty on|the code is|found out the code|combination",
];

/// Gathering means out of sight: stands even where the medicine itself is ordinary.
const STOCKPILE: &[&str] = &[
    "two pharmacies|two chemists|hid it|hid them|hidden in|sock drawer|early again|one more week|stacking them|stacking|piling them up|not taken a single|have not taken a single|not taken any of|actually for|really for",
    "different pharmacies|different chemists|two different|neither would flag|would not flag|will not notice|would not notice|nobody notices|nobody would ask|from each new box|not what they are for|i sleep fine|stashed|stash|hoarding|stockpile|stockpiling|saving them up|been saving them",
    "putting a little|a little of each|each prescription",
];

/// A near moment: tonight, after the weekend, by Friday.
const NEAR_END: &[&str] = &[
    "after tonight|after today|after this weekend|after this week|after friday|after saturday|after sunday|after the weekend|by friday|by tomorrow|by then|by morning|tomorrow|tonight|this weekend",
];

/// That the user will not be there to mind or to matter.
const NO_MORE_ME: &[&str] = &[
    "won't be bothering anyone|won't bother anyone|won't be a bother|won't be needing|won't matter|none of it matters|none of this matters|nothing will matter|it won't matter|won't exist|won't hear from me|there won't be",
];

/// A plan worked out.
const PLAN: &[&str] = &[
    "that is when|that's when|thats when|i have picked|i've picked|picked sunday|picked saturday|picked friday|picked a day|picked the day|got the date|date sorted|the date is set",
    "worked it out|figured it out|it is decided|decided on|sorted the details|calming to have a date|have a date now|picked the night",
];

/// A time when nobody will be there.
const WHEN_ALONE: &[&str] = &[
    "house will be empty|house is empty|nobody checks on me|no one checks on me|nobody will come|no one will come|till monday|until monday|nobody comes round|no one comes round|will not be back till|at her mum's|at his mum's|gone to her parents|gone to his parents",
    "when my roommate|when my flatmate|when everyone|when nobody|when no one|night shift|home alone|house to myself|flat to myself|away for the weekend|nobody will be home|no one will be home|no one home",
];

/// Farewells and putting affairs in order.
const FAREWELL: &[&str] = &[
    "envelope|instructions|for after|voice message for|recorded a voice|recorded a message|last message to|my last message|deleting all my accounts|delete all my accounts|notes for everyone|scheduled a post|funeral plan|said my goodbyes|made my peace|love her and sorry|love him and sorry|saying i love her|saying i love him|to say i love|tell her i am sorry|tell him i am sorry|tell her i never|tell him i never|gave all my|neighbour a key|neighbor a key|the cat plenty",
    "letter|note|video|goodbye|farewell|passwords|notebook|last message|goodbye message|my will|a will|made a will",
    "gave away|giving away|given away|give away|gave my|given my|gave him my|gave her my|giving my|left a letter|left a note|left my",
    "giving her away|giving him away|giving them away|found a home for my|found a family for my|nice family for my|new family for my|new home for my|look after|take care of|water my plants|feed biscuit|feed my|gets my cat|gets my dog|gets my rabbit|gets my plants|gets my things|gets my savings|have my cat|have my dog|take my cat|take my dog|deleted all my accounts|deleted my accounts|sent my friends a|sent everyone a|message each|a message to each",
    "can have my|she can have|he can have|they can have|you can have my|gets my car|gets my stuff|give my stuff|have all my",
    "in order|paperwork|life insurance|pension|paid off|arranged for",
    "songs i want|my funeral|at the funeral|the funeral",
    "love you all|thank you to everyone|thanks everyone|forgave him|forgave her|forgive me|not your fault|not his fault|not her fault|not on you|never about you",
    "bye guys|goodbye guys|goodbye everyone|bye everyone|bye all",
    "signing off|returned everything|loose ends|solicitor|provided for|bank logins|my logins|the code is|whoever finds|whoever comes|key under the mat|last message|goes live|salamat sa lahat|couldn't hang on|could not hang on|my car and my|are hers|are his|is yours|are yours",
    "thanks for listening|thank you for listening|thanks for everything|thank you for everything|spare key|the key with|left the key|food and water for|enough food|voice note for|recorded a message for|wrote him a letter|wrote her a letter|a letter he|a letter she",
    "letters|notes|rehome|rehoming|a new home for|who would take|leave my dog with|leave my cat with|paid back|owed money|saying i love them|told them i love them|scheduled an email|set up an email|email to send|scheduled a message|explains everything|goes to my cousin|goes to my sister|goes to my brother|goes to my friend|ring goes to|laptop to my|wrote it all down|top to bottom|cleaned the whole flat|cleaned the flat|cleaned my room",
];

/// That it is the end.
const FINALITY: &[&str] = &[
    "for after|when he hears|when she hears|when they hear|if she ever asks|if he ever asks|will not remember me|not going on a trip|so people know why|so they know why|so everyone knows why|did not tell him why|did not tell her why|where i am going|will not be returning|nothing of me left|anything of me left|scrolling through me|through me after|weirdly calm|how calm i feel|strangely calm|she will be found|he will be found|be found before|fancy send|send-off|send off|the last time i will|thanks for trying|thank you for trying|kinder than most|everything in order|all in order",
    "won't be needing|wont be needing|won't need it|won't need them|won't need|wont need|won't be around|won't be there|won't be here|won't be online|will not be around|be needing",
    "last time|last message|one last|the last time",
    "when i'm gone|after i'm gone|once i'm gone|by the time they|it'll be done|it will be done|after that",
    "ready now|i'm ready|everything is ready|all set now",
    "she'll find|he'll find|they'll find|will find it|to open on|open it on|when she's back|when he gets home|when they read|whoever reads",
    "do not know why i am|they do not know why|do not want to explain|without explaining|if anything happens|if i'm not online|if i'm not here|if i don't|when i'm not here|when i am not here|when i'm not around|when i am not around|at peace with it|i am at peace|i'm at peace|peace with it now",
    "sorry for the mess|easy for you|not moving anywhere|it isn't|it is not",
    "for good|forever|permanently",
    "everything sorted|that's everything|all of it goes|goes to my|gets the car|can have my|she can have|he can have",
    "i was here|been a good run|don't be sad|bye",
    "decluttering|moving abroad|couple of weeks",
    "love you|loved you|you were the best|you did all you could",
    "that's it from me|thats it from me|i can rest|i feel i can rest|need them after|after i'm|if anything ever happens|by then|they'll understand|wala na ako|from everything|no loose ends|any longer|anymore",
    "take care of the next|the next person|someone will need|will need them soon|need them soon|get after|gets after|get it after|read it after|i will not be coming back|think i will be coming back|i am not coming back",
    "after this|do not worry about me|if something happened to me|if something happens to me|who will be around|by friday|by sunday|by saturday|decide by|before i go|everything tidy|tidy before|they think it is about|explains everything|tomorrow morning|so nobody fights|nobody fights after|so nobody has to|nobody has to deal|mess after",
    "eats twice a day|twice a day|likes the sunny|her favourite spot|his favourite spot",
];

/// Being a burden.
const BURDEN: &[&str] = &[
    "in everyone's way|in everybody's way|exhausted|sick of me|tired of me|wasted on me|checking on me|checking if i am|babysit|babysitting me|another sad|the thing everyone|a chore",
    "burden|weight|drain|problem|problems|in the way|net negative|extra work|favour|favor|cost|costs|costing|babysitting|dragging|ruining|ruin|wreck|wrecks|the reason|duty|savings|kindest thing",
    "better|lighter|easier|freer|free|happier|relieved|relief|fine|thrive|rest|retire|breathe easier|normal lives",
    "hurt the people who love me|all i do is hurt",
    "nicer|calmer|quieter",
];

/// Without the user.
const WITHOUT_ME: &[&str] = &[
    "a permanent one|permanent break|out of the way completely|step out of the way|stepped out of the way|one less|fix that for|rid of me|once i am gone|when i am gone|after i am gone|would not matter|put me down|out of the way",
    "stop costing|remove me|peace and quiet|finally get|finally spend|could remarry|if i wasnt alive|if i was not alive|if i wasn't alive|when i'm in the ground|who would even miss me|happy family|get it back if",
    "without me|without having me|if i was not|if i were not|if i wasnt|if i werent|if i was gone|if i were gone|not around|not here|out of the picture|room empty|did not have me|didnt have me|without my|stopped|stop being|take me out|remove the problem|remove myself|set him free|set her free|set them free|taking myself out|the equation|put myself down|stop making|stop taking up|for good|permanently|if i just|just was not|just wasnt",
    "i was just gone|i were just gone|i was just not|gone gone|selfish to stay",
];

/// Acts of self-harm.
const HARM_ACT: &[&str] = &[
    "plasters|plaster|razor|sharpener|pencil sharpener|knuckles|hitting my head|banging my head|carved|initial into|barcode|old habit",
    "punched|punch|punching|banging|bang|hit|hitting|burned|burnt|burn|carved|carve|carving|scratched|scratch|picked|snapped|cuts|cut|marks|scars|stitches|bruises|starving|punishing|slamming|slammed|rubbed|rubbing|scalding|scalded|compass|eraser|lighter|bled|bleed|bleeding",
    "held my hand|hand on the hob|on the hob|on the stove|bite my arms|bite my arm|biting my arms|bit my arm|bite my skin|hide cuts|hide the cuts|deep cut|clean a cut",
    "pressed|hot iron|iron|snap|hair tie|rubber band|welts",
];

/// That it was done to oneself.
const HARM_INTENT: &[&str] = &[
    "deserve|deserved|deserve the pain|the only thing that|only thing that|noise in my head|no cat|there is no cat|clumsy|hard to cover|i know what that means|my forearm|forearm",
    "on my arm|on my wrist|on my thigh|on my thighs|on my hips|on my legs|on my stomach|the skin came|skin came off|a good hurt|on purpose|deliberately|until it|till it|until they|till they|so hard|myself|my arm|my arms|my legs|my thighs|my wrist|my wrists|my skin|opened again|deeper|i didn't fall|didnt fall|not an accident|was an accident|i deserve it|i deserved it",
    "to feel something other than|needed to feel something|need to feel something|just to feel something|a few seconds|upper arm|from a doctor|from the doctor|from my doctor|long sleeves|explain how i got|not have to explain|hide them|hide it from|until they bruise",
    "do not ask how|deep this time|a bit deep|so it does not scar|leaves welts",
];

static CRISIS_PAIR_SETS: LazyLock<Vec<Pair>> =
    LazyLock::new(|| CRISIS_PAIRS.iter().map(|&p| Pair::new(p, false)).collect());

/// A concept list as patterns: each `|` alternative is a word or a phrase, written as
/// people write it ("won't be around"), normalised as messages are ("will not be around").
/// Built once at start-up; the patterns live as long as the program.
fn concept(entries: &[&str]) -> PatternSet {
    PatternSet::new(&concept_sources(entries))
}

/// The patterns of [`concept`]: one per phrase, and one for all single words.
fn concept_sources(entries: &[&str]) -> Vec<&'static str> {
    let mut singles = Vec::new();
    let mut phrases: Vec<&'static str> = Vec::new();
    for alt in entries.iter().flat_map(|e| e.split('|')) {
        let t = Text::analyse(alt);
        let words: Vec<&str> = (0..t.len()).map(|i| t.word(i)).collect();
        match words.len() {
            0 => {}
            1 => singles.push(words[0].to_owned()),
            _ => phrases.push(Box::leak(words.join(" ").into_boxed_str())),
        }
    }
    singles.sort();
    singles.dedup();
    if !singles.is_empty() {
        phrases.push(Box::leak(singles.join("|").into_boxed_str()));
    }
    phrases
}

/// Ordinary use of medicine ("the doctor upped my dose"). With [`ORDINARY_FUN`] ("cliff
/// jumping with friends, best day ever") it makes the means-and-intent rule stand down.
const ORDINARY_MEDICINE: &[&str] = &[
    "birth control|contraceptive|contraception|the pill|mini pill|morning after|jet lag|jetlag|sprained|sprain|hayfever|hay fever|pill organiser|pill organizer|on top of my meds|work in a pharmacy|at the pharmacy counter|pharmacy shift|his hayfever|her hayfever",
    "doctor|doc|gp|psychiatrist|pharmacist|prescription|prescribed|nurse practitioner|nerve pain|headache|migraine|period pain|back pain|low dose|tiny dose|upped my|helping|hopeful|for my sleep|was benign|is benign|not cancer|all clear",
];

/// The ordinary uses that are not medicine: fun, sport, idioms ("go jump in a lake"),
/// cooking. These also stand a crisis phrase down; medicine does not ("sh again, might
/// need a doctor" is still a crisis).
const ORDINARY_FUN: &[&str] = &[
    "book it|booked it|bridge climb|climbs|sightseeing|tour|enough rope|hang himself|hang herself|hang themselves|for all i care|go jump|jump off a pier|jump in a lake|antibiotics|for my sinuses|cup final|penalties|heist film|parachutes|bungee|glow up",
    "with my cousins|local tradition|this summer|final boss|video game|the game|gaming",
    "with my friends|with friends|best decision|best day|so fun|was fun|holiday|nephews|nieces|rope swing|bungee|diving board|high board",
    "mandoline|veg|vegetables|meal prep|chef",
];

static ORDINARY_SET: LazyLock<PatternSet> =
    LazyLock::new(|| concept(&[ORDINARY_MEDICINE, ORDINARY_FUN].concat()));
static ORDINARY_FUN_SET: LazyLock<PatternSet> = LazyLock::new(|| concept(ORDINARY_FUN));

/// A co-occurrence rule: a hit of `first` and a hit of `second` at most `span` words
/// apart (after it only, when `ordered`).
pub(crate) struct Pair {
    name: &'static str,
    first: PatternSet,
    second: PatternSet,
    span: usize,
    ordered: bool,
}

impl Pair {
    fn new(
        (name, first, second, span): (&'static str, &[&str], &[&str], usize),
        ordered: bool,
    ) -> Pair {
        Pair {
            name,
            first: concept(first),
            second: concept(second),
            span,
            ordered,
        }
    }

    /// The first pair of hits that `accept` takes, as a rule hit.
    fn find(&self, t: &Text, accept: impl Fn(&Hit, &Hit) -> bool) -> Option<RuleHit> {
        let firsts = self.first.hits(t);
        if firsts.is_empty() {
            return None;
        }
        let seconds = self.second.hits(t);
        for a in &firsts {
            let from = if self.ordered {
                a.end
            } else {
                a.start.saturating_sub(self.span)
            };
            let to = (a.end + self.span).min(t.len());
            let near =
                |b: &&Hit| b.start >= from && b.end <= to && (b.end <= a.start || b.start >= a.end);
            if let Some(b) = seconds.iter().filter(near).find(|b| accept(a, b)) {
                return Some(RuleHit {
                    pattern: self.name,
                    words: format!("{} … {}", t.span(a.start, a.end), t.span(b.start, b.end)),
                });
            }
        }
        None
    }
}

/// Whether a word of `from..to` names someone other than the user.
fn someone_else(t: &Text, from: usize, to: usize) -> bool {
    (from..to.min(t.len())).any(|i| {
        matches!(
            t.word(i),
            "he" | "she" | "they" | "him" | "her" | "them" | "ex" | "it" | "you"
        )
    })
}

/// The first crisis co-occurrence rule that fires.
fn crisis_pair(t: &Text, free: &dyn Fn(&Hit) -> bool) -> Option<RuleHit> {
    let ordinary = ORDINARY_SET.first_hit(t).is_some();
    // The ex threatening to take pills is coercion (abuse), not the user's means.
    let ex_threat = EX_THREAT_SET.first_hit(t).is_some();
    // Where the ex hurts the user ("grabbed my arm", "shoved me"), bruises and marks are
    // the ex's doing.
    // (looked for only once a self-harm pair is found)
    let violence = std::cell::OnceCell::new();
    let near_violence = |h: &Hit| {
        let violence: &Vec<Hit> = violence.get_or_init(|| {
            ABUSE_SET
                .hits(t)
                .into_iter()
                .filter(|v| (v.start..v.end).any(|i| matches!(t.word(i), "me" | "my")))
                .collect()
        });
        violence
            .iter()
            .any(|v| v.start <= h.end + 5 && h.start <= v.end + 5)
    };
    CRISIS_PAIR_SETS.iter().find_map(|pair| {
        let about_others = matches!(pair.name, "burden and without me" | "a wish not to be");
        let method_question = pair.name.starts_with("a question about a method");
        if ordinary && (method_question || pair.name == "means and intent") {
            return None;
        }
        if pair.name == "a question about a method, weakly put"
            && METHOD_CONTEXT_SET.first_hit(t).is_none()
        {
            return None;
        }
        if ex_threat && pair.name == "means and intent" {
            return None;
        }
        let ex_before =
            |h: &Hit| (h.start.saturating_sub(3)..h.start).any(|i| is_ex_word(t.word(i)));
        let self_harm = pair.name == "self-harm act and on purpose";
        pair.find(t, |a, b| {
            if self_harm && (ex_before(a) || near_violence(a) || near_violence(b)) {
                return false;
            }
            // "he is better off without me" is about the ex, not a burden; "I wish HE
            // would disappear" (or "she wants to disappear? fine") is about someone else
            let about_someone_else = about_others
                && (ex_before(a)
                    || (pair.name == "a wish not to be" && b.end <= a.start && ex_before(b))
                    || (pair.name == "a wish not to be"
                        && b.start >= a.end
                        && someone_else(t, a.end, b.start)));
            free(a) && free(b) && !about_someone_else
        })
    })
}

/// Mentions of spells and similar: a "come back" question that gets the
/// scam warning.
const SCAM: &[&str] = &[
    "spell|spells|spellcaster|spellcasters|spellcasting|witch|witches|witchcraft|voodoo|voodo|psychic|psychics|hoodoo|juju|shaman|sorcerer|sorcery|clairvoyant|tarot|horoscope|astrologer|astrology",
    "love potion|potions",
    "black|white|love magic",
    "fortune teller|tellers|telling",
];

/// What gets the scam warning on a "come back" reply (a little wider than
/// [`SCAM`]: "ritual" alone is too vague to decide the situation).
const SCAM_WARN: &[&str] = &[
    "spell|spells|spellcaster|spellcasters|spellcasting|witch|witches|witchcraft|voodoo|voodo|psychic|psychics|hoodoo|juju|shaman|sorcerer|sorcery|clairvoyant|ritual|rituals|potion|potions",
    "black|white|love magic",
    "fortune teller|tellers|telling",
];

/// Words that make a contact about sex (the booty call beats "they reached out").
const HOOKUP: &[&str] = &[
    "sex|sexy|sexual|sexually|sext|sexts|sexted|sexting|horny|nudes|nude|naked|hookup|hookups",
    "end|ended|ending|up in bed",
    "to|in bed with|together",
    "hook|hooking|hooked up",
    "sleep|slept|sleeping with",
    "sleep|slept|sleeping together",
    "booty call",
    "friends with benefits",
    "no strings",
    "netflix and chill",
    "one night stand",
    "stay|spend|spent the night",
    "are you up|awake",
    "you up|awake",
    "if i am|was|were up|awake",
    "hotel|motel",
    "night together",
    "one more night",
    "woke|wake|waking up next to|with",
    "come|came|coming over tonight|late|at|midnight|now",
    "cuddle|cuddling|intimate|physical|seduce",
    "miss|missing|want|wants|wanted your|my|his|her body",
    "made|make|making out",
    "make|made|making love",
    "for one night",
    "booty|situationship",
    "in his|her bed",
    "stay|stayed|staying|sleep|slept|sleeping over -at|with|for",
    "we kissed",
];

pub(crate) static CRISIS_SET: LazyLock<PatternSet> = LazyLock::new(|| PatternSet::new(CRISIS));
pub(crate) static CONCERN_SET: LazyLock<PatternSet> = LazyLock::new(|| PatternSet::new(CONCERN));
pub(crate) static SCAM_SET: LazyLock<PatternSet> = LazyLock::new(|| PatternSet::new(SCAM));
pub(crate) static SCAM_WARN_SET: LazyLock<PatternSet> =
    LazyLock::new(|| PatternSet::new(SCAM_WARN));
pub(crate) static HOOKUP_SET: LazyLock<PatternSet> = LazyLock::new(|| PatternSet::new(HOOKUP));

/// A matched rule phrase, for explanations.
#[derive(Debug, Clone)]
pub(crate) struct RuleHit {
    pub pattern: &'static str,
    pub words: String,
}

fn to_rule_hit(set: &PatternSet, t: &Text, h: Hit) -> RuleHit {
    RuleHit {
        pattern: set.source(h.pattern),
        words: t.span(h.start, h.end),
    }
}

/// Crisis language anywhere in the text.
pub(crate) fn crisis(t: &Text) -> Option<RuleHit> {
    // words inside a known innocent use ("said goodbye to him", "my character jumped
    // off a cliff") decide nothing
    let excepted = CRISIS_EXCEPT_SET.hits(t);
    // where the ex hurts or threatens, what the ex says he will do ("he'll end it
    // tonight if I leave", "he's got a gun") is the ex's threat: abuse decides
    // (the abuse rule runs only for a hit that has the ex as its subject)
    let abusive = std::cell::OnceCell::new();
    let the_ex_says = |h: &Hit| {
        (h.start.saturating_sub(3)..h.start).any(|i| {
            let w = t.word(i);
            w == "they" || is_ex_word(w)
        }) && *abusive.get_or_init(|| abuse(t).is_some())
    };
    let free =
        |h: &Hit| !excepted.iter().any(|e| e.start < h.end && h.start < e.end) && !the_ex_says(h);
    CRISIS_SET
        .hits(t)
        .into_iter()
        .find(free)
        .map(|h| to_rule_hit(&CRISIS_SET, t, h))
        .or_else(|| {
            // phrases stand down where dark words are plainly figurative or ordinary
            // ("jump off a pier for all I care", "bungee jumping off the bridge")
            if FIGURATIVE_SET.first_hit(t).is_some() || ORDINARY_FUN_SET.first_hit(t).is_some() {
                return None;
            }
            CRISIS_PHRASE_SET
                .hits(t)
                .into_iter()
                .find(free)
                .map(|h| to_rule_hit(&CRISIS_PHRASE_SET, t, h))
        })
        .or_else(|| crisis_pair(t, &free))
}

/// Innocent uses of crisis words, recognised as wholes: a goodbye said to the ex, a
/// death in a game or a film, a wish to vanish from the ex's life.
const CRISIS_EXCEPT: &[&str] = &[
    "goodbye to him|goodbye to her|goodbye to them|goodbye to my ex|goodbye to the man|goodbye to the woman|goodbye to the guy|goodbye to the girl|goodbye to that|goodbye to us|goodbye to our|goodbye forever to|him a goodbye|her a goodbye|them a goodbye|goodbye coffee|goodbye hug|goodbye kiss|goodbye text to him|goodbye text to her|goodbye letter to him|goodbye letter to her|goodbye letter i will never send|letter i will never send|never send",
    "my character|the character|favourite character|favorite character|in the game|by accident and|jack freezing|killed off|horror film|horror movie|season finale",
    "disappear from his|disappear from her|disappear from their|disappear from his world|disappear from her world|vanish from his|vanish from her|disappear under my duvet|disappear under the duvet|disappear under my covers|disappear for a weekend|disappear for the weekend",
    "jumping off a cliff and hoping|like jumping off a cliff|feels like jumping|like jumping off",
    EX_SELF_HARM_THREAT,
    "ended things|ended it for good|we ended|bungee|bungee jumping|bungy|washing line|clothes line|clothesline|rope and pegs|tent pegs|skipping rope|jump rope|climbing rope|went climbing|climbing gym|climbing wall|bouldering|belay|belayer|belaying|checked my rope|rope knot|figure eight knot|figure 8 knot|my harness",
    EX_PICTURE_THREAT,
    "he is not worth it|she is not worth it|they are not worth it|he is not worth|she is not worth|ex is not worth",
    // idioms and ordinary life
    "things for good|it for good|dead to me|goodbye letter to my ex|goodbye letter to the ex|drowning in work|drowning in paperwork|drowning in emails|drowning in debt|drowning in assignments|drowning in deadlines|drowning in laundry|quick question|quick q|quick one|not in a dark way|not literally|ok not literally|not suicidal|i am not suicidal|not in that way|disappear into|disappear to|disappear for a|disappear for the|vanish for a|vanish off|vanish into|off the grid|disappear off|kill the vibe|kill this energy|kill my energy|kill off the old|nail in the coffin|one foot in the grave|was the knife|the knife and|lawnmower|mower blade|punched the bag|punching bag|boxing class|kickboxing|breakup funeral|goodbye drinks|leaving drinks|farewell party|goodbye party|leaving do|goodbye email|final email to him|final email to her|never going to send|not going to send|will not send it|chats gone|messages gone|photos gone|texts gone|pictures gone|all our chats|bought a house|solicitor recommended|adulting|on the oven|making dinner|wake up before|wake up early|before noon|before midday|final boss|boss fight|the level|respawn|speedrun",
    FAMILY_WILL_KILL_ME,
    "gonna kill me when|going to kill me when|going to kill me if|is going to murder me|will murder me",
    "she is been cutting|he is been cutting|they have been cutting|friend is been cutting|he has been cutting|she has been cutting|they have been cutting|he is cutting again|she is cutting again|friend has been cutting|friend is cutting|my friend told me he|my friend told me she|how do i help him|how do i help her|how can i help him|how can i help her|what do i say to him|what do i say to her",
    "threatening to kill me|threatened to kill me|threatens to kill me|threatening to kill my|threatened to kill my|threatens to kill my|threatening to hurt my|threatened to hurt my|kill my cat|kill my dog|kill my rabbit|hurt my cat|hurt my dog|i am gay|i am bi|i am trans|i am lesbian",
    "how do i survive that|how do i survive the|how to survive the|how do i survive christmas|how do i survive a|survive the wedding|miss me enough",
    // anger at a friend or family, said as a joke ("I'm gonna kill my best friend")
    "kill my best friend|kill my friend|kill my bestie|kill my mate|kill my cousin|kill my roommate|kill my flatmate|kill my housemate|kill my coworker|kill my co-worker|kill my colleague|kill my boss|kill my brother|kill my sister|kill my mum|kill my mom|kill my dad|kill my friends",
    // living in the past, leaving social media, a date ("the 14th of March")
    "living in the past|living in my head|living in denial|living in a fantasy|living rent free|living rent-free|living for his approval|living for her approval",
    "disappear from instagram|disappear from insta|disappear from social media|disappear from socials|disappear off social media|disappear off instagram|disappear off insta|disappear from facebook|disappear from snapchat|disappear from tiktok|disappear from twitter|disappear from whatsapp|vanish from social media|vanish from instagram",
    "9th of|10th of|12th of|14th of|15th of|20th of|23rd of|cutting onions|chopping onions",
    // "dying of" idioms in other languages (laughter, hunger, tiredness, pride, longing)
    "me muero de risa|me muero de hambre|me muero de sueño|me muero de sueno|me muero de vergüenza|me muero de verguenza|me muero de ganas|me muero de orgullo|me muero de calor|me muero de frío|me muero de frio|me muero de celos|muerta de cansancio|muerto de cansancio|muerta de sueño|muerto de sueño|muerta de hambre|muerto de hambre|muerta de risa|muerto de risa|morta de cansaço|morto de cansaço|morta de cansaco|morto de cansaco|morta de fome|morto de fome|morrendo de saudade|morrendo de fome|morrendo de rir|morrendo de sono|morta de sono|morto de sono|mort de rire|morte de rire|mort de fatigue|morte de fatigue|muoio dal ridere|sto morendo dal ridere|morta di sonno|morto di fame|sterbe vor langeweile|sterbe vor lachen|sterbe vor hunger|öldüm gülmekten|umieram ze śmiechu|hanste hanste mar gaya|hanste hanste mar gayi|hans hans ke mar gaya|hans hans ke mar gayi",
    // no contact that feels like a punishment ("I feel like I'm punishing myself"), whether
    // no contact works ("the minimum number of days for nc to actually work"), one last
    // night together said as a goodbye
    "feel like i'm punishing myself|feels like i'm punishing myself|feel like im punishing myself|feels like punishing myself|like i'm punishing myself for|i'm only punishing myself|only punishing myself|just punishing myself",
    "nc to actually work|no contact to actually work|nc to work|no contact to work|nc actually work|no contact actually work|nc really work|no contact really work|does nc work|does no contact work",
    // the ex saying goodbye before a move ("he's moving abroad and wants to say goodbye")
    "he wants to say goodbye|she wants to say goodbye|they want to say goodbye|wants to say goodbye|asked to say goodbye|say goodbye in person|goodbye at the airport|goodbye before he leaves|goodbye before she leaves|goodbye before they leave",
    "goodbye letter that i will not send|goodbye letter i will not send|letter that i will not send|letter that i will never send|letter i am not going to send|letter that i am not going to send|one last time to say goodbye|one last time and say goodbye|see him to say goodbye|see her to say goodbye|meet him to say goodbye|meet her to say goodbye|meet up to say goodbye",
    "sleep with him one last|sleep with her one last|sleep with them one last|hook up one last|kiss him one last|kiss her one last|see him one last|see her one last|see them one last|hug him one last|hug her one last|hug them one last",
];

/// Innocent uses of crisis words written in the pattern language, where one pattern says
/// what a list of phrases would.
const CRISIS_EXCEPT_PATTERNS: &[&str] = &[
    // a relapse into contact, not self-harm ("relapsed and texted him", "relapsed hard,
    // called her", "relapsed last night and rang him")
    "relapsed again|hard|today|tonight|yesterday|last|earlier? night|again? and|then? texted|called|messaged|rang|rung|facetimed|replied|dmed|unblocked|emailed|snapchatted|drunk-texted",
    // a goodbye said to the ex ("told him goodbye for good")
    "told|tell|telling|texted him|her|them goodbye",
    "told|tell|telling|texted my|the ex goodbye",
    // success and dread as idioms ("gonna kill it at my interview", "it's going to kill me
    // but I'll do it")
    "kill|killed|killing it at|in|on|today|tonight|tomorrow|lately",
    "going|will|would to? kill me but|lol|haha|lmao",
    // a burden through one's venting, or on a sofa ("a burden on my friends with all my
    // breakup talk", "a burden on her couch")
    "burden on|to my|everyone|them|people|her|his|their .. with|by all? my|the|this|our? breakup? talk|talking|venting|vents|ranting|rants|moaning|complaining|drama|whining|oversharing|messages|texts|voice",
    "burden on her|his|their|the|my couch|sofa|floor|futon|settee|spare",
    // asking how people get through a breakup or a season ("how did you survive your first
    // breakup", "how do I survive valentine's single")
    "how did|do|does you|u|people|anyone|everyone|others|someone survive",
    "how do|will|can|am i going? to? survive valentine*|christmas|xmas|holidays|thanksgiving|diwali|eid|my|his|her|our|breakups|breakup|heartbreak|nc|work|exams|single|being|seeing|another|next",
    // a short message to the ex ("can I send a quick hey")
    "quick hey|hi|hello|hiya|coffee|chat|catch|update|check|like|reply",
    "quick text|txt|message|msg|call|dm to? him|her|them",
    "quick text|txt|message|msg|call|dm to? my|the ex",
    // the quickest way over a breakup ("fastest way to get over him", "quickest way to
    // stop loving someone"), and whether blocking hurts less
    "fastest|quickest|easiest|painless|surest|best way|ways to|of get|getting|forget|forgetting|move|moving|heal|healing|detach|unlove|recover|recovering|let|letting|tell|telling|break|breaking",
    "fastest|quickest|easiest|painless|surest|best way|ways to|of stop|stopping loving|thinking|missing|caring|texting|checking|obsessing|crying|wanting",
    "would|does|will it hurt less",
    "would|does|will it hurt any less",
    "hurt|hurts less if",
];

static CRISIS_EXCEPT_SET: LazyLock<PatternSet> = LazyLock::new(|| {
    PatternSet::new(
        &[
            concept_sources(CRISIS_EXCEPT),
            CRISIS_EXCEPT_PATTERNS.to_vec(),
        ]
        .concat(),
    )
});
static EX_THREAT_SET: LazyLock<PatternSet> = LazyLock::new(|| concept(&[EX_SELF_HARM_THREAT]));

/// An ex who hurts, threatens, stalks, controls or harasses, anywhere in the text.
pub(crate) fn abuse(t: &Text) -> Option<RuleHit> {
    let excepted = ABUSE_EXCEPT_SET.hits(t);
    let inside_an_idiom =
        |start: usize, end: usize| excepted.iter().any(|e| e.start < end && start < e.end);
    if let Some(h) = ABUSE_SET
        .hits(t)
        .into_iter()
        .find(|h| !inside_an_idiom(h.start, h.end) && !done_by_someone_else(t, h.start))
    {
        return Some(to_rule_hit(&ABUSE_SET, t, h));
    }
    if !excepted.is_empty() {
        return None;
    }
    // the user doing it ("I kept texting him after he said we're done") is not abuse
    ABUSE_PAIR_SETS.iter().find_map(|pair| {
        pair.find(t, |a, _| {
            !(a.start.saturating_sub(2)..a.start).any(|i| matches!(t.word(i), "i" | "we"))
        })
    })
}

/// Verbs of an act against the user whose doer decides whether it is abuse by the ex.
const ACTS: &[&str] = &[
    "hit",
    "hits",
    "hitting",
    "slapped",
    "slap",
    "slaps",
    "punched",
    "punch",
    "kicked",
    "pushed",
    "shoved",
    "forced",
    "threatened",
    "threatens",
    "threatening",
    "controls",
    "controlled",
    "harass",
    "harassed",
    "harassing",
    "harasses",
    "choked",
    "strangled",
    "beat",
    "beating",
    "bit",
    "grabbed",
    "smacked",
    "dragged",
    "pinned",
    "tracking",
    "tracked",
    "tracks",
    "checks",
    "stalking",
    "stalked",
    "stalks",
    "following",
    "followed",
    "follows",
];

/// Someone who is neither the user nor the ex, named as who did it, when not somebody of
/// the ex's circle ("his brother threatened me" still counts).
const SOMEONE_UNKNOWN: &[&str] = &[
    "you", "one", "someone", "somebody", "anyone", "people", "guy", "man", "woman", "stranger",
];

/// Whether the act an abuse phrase starts with (`start`) was done by someone other than
/// the ex: "my sister punched me", "the breakup forced me to", "I threatened to leave".
/// The doer is the nearest subject before the verb in its clause.
fn done_by_someone_else(t: &Text, start: usize) -> bool {
    if !ACTS.contains(&t.word(start)) {
        return false;
    }
    let clause = t.tok(start).clause;
    for j in (start.saturating_sub(6)..start).rev() {
        if t.tok(j).clause != clause || t.tok(j).quoted {
            return false;
        }
        let w = t.word(j);
        match subject_ref(w) {
            None => {}
            Some(Ref::Ex) => return false,
            Some(Ref::User | Ref::We) => return true,
            Some(Ref::Other) => {
                let ex_circle =
                    j > 0 && matches!(t.word(j - 1), "his" | "her" | "their" | "ex" | "exs");
                return !ex_circle && !SOMEONE_UNKNOWN.contains(&w);
            }
        }
    }
    false
}

/// Idioms and self-reports that look like abuse but are not.
pub(crate) fn abuse_idiom(t: &Text) -> bool {
    ABUSE_EXCEPT_SET.first_hit(t).is_some()
}

/// Crisis words and phrases, each `|` alternative a word or a phrase, read through
/// [`concept`]: slang, other languages, attempts, plans and self-harm in plain words.
const CRISIS_PHRASES: &[&str] = &[
    // slang and euphemisms
    "self deleting|self delete|self-delete|delete myself|deleting myself|commit sudoku|yeet myself|unalive myself|sewer slide|forever nap|final sleep|catch the bus|ctb|kms|kys myself|end it all|end my life|off myself|top myself|take my life|take my own life",
    // other languages
    "me quiero matar|quiero matarme|me voy a matar|quiero morir|quiero morirme|no quiero vivir|suicidarme|me mato",
    "quero morrer|vou me matar|me matar|não quero viver|nao quero viver|quero sumir",
    "ich will sterben|will nicht mehr leben|bring mich um|mich umbringen|mich umzubringen",
    "je veux mourir|envie de mourir|me suicider|en finir|me tuer",
    "voglio morire|uccidermi|ammazzarmi|farla finita",
    "khudkushi|aatmahatya|mar jaunga|mar jaungi|mar jana hai|marna hai|jeena nahi chahta|jeena nahi chahti|jeene ka mann nahi",
    "magpapakamatay|magpakamatay|mamatay na|gusto ko nang mamatay|ayoko nang mabuhay|ayoko na mabuhay",
    "pengen mati|ingin mati|mau mati|bunuh diri|akhiri hidup",
    "nataka kufa|kujiua",
    // attempts
    "made two attempts|made an attempt|my last attempt|my attempt|an attempt|suicide attempt|attempted suicide|i attempted|tried to end it|tried to take my life|the third one will be the last|found me unconscious|roommate found me|swallowed a whole bottle|took a whole bottle|pumped my stomach|stomach pumped",
    "i took an overdose|overdosed on saturday|overdosed on sunday|overdosed last|overdosed again|overdosed on purpose",
    // plans and means in plain words
    "marked a date|picked a date|picked the date|set a date|chosen the day|chose the day|the day i go|my plan is|i have a plan|made a plan|worked out how|worked out when|worked out where|could be when i use it|full jar|aside for months|putting pills aside|saving my pills|saving up my pills|before i try it|when i try it",
    "freezing to death|walk into the sea|walk into the river|walk into traffic|step in front|in front of a train|myself off the balcony|myself off the roof|myself off the bridge|myself off a|going to jump off|gonna jump off|hang myself|hanging myself|drown myself|slit my|overdose tonight|od tonight",
    // goodbyes
    "by the time they read it|by the time you read this|by the time you read it|by the time anyone reads|whoever finds my phone|whoever finds this|the letter for my|a letter for my|my suicide note|goodbye letter|goodbye letters|goodbye note|final goodbye|saying goodbye forever",
    // burden and passive
    "who would even miss me|nobody would miss me|no one would miss me|peace and quiet without me|could finally rest|finally be free of me|fine if i never|never get up|lights to go out|into the dark and never|never arrive|not to wake up|never to wake up|never wake up|stop waking up|don't want to wake up|dont want to wake up|hope i don't wake up|not wake up again",
    // passive wishes: giving one's life away to someone who wants it
    "swap places with someone who is dying|swap places with someone dying|trade places with someone who is dying|trade places with someone dying|swap lives with someone who is dying|trade lives with someone who is dying|give my life to someone who wants it|give my life to someone who deserves it|give my years to someone|swap places with someone who has cancer|trade places with someone who has cancer",
    // self-harm
    "made myself bleed|make myself bleed|marks on my|on my arm again|on my wrist again|until my skin|until the skin|skin came off|skin blisters|skin blistered|burn myself|burned myself|burning myself|scald myself|slamming my hand|slammed my hand|sh again|self harm|self-harm|selfharm|cutting again|cut again|cut myself|cutting myself|deeper than before|bandaged it|bandage it|my scars|fresh cuts|new cuts",
    "die for real|wanna die for real|there will not be a tomorrow|will not be a tomorrow|no tomorrow for me|to remember me by|something to remember me|already a ghost|body to catch up|waiting to die|just waiting to die|clean counter|sh free|self harm free|harm free|will not be bothering anyone|will not bother anyone|selfish to stay|selfish of me to stay",
    "jeena nahi hai|nahi jeena|zinda nahi rehna|marna chahta|marna chahti|khud ko khatam|khatam kar doon|khatam kar du|veux plus être là|veux plus etre la|plus être là|plus etre la|plus envie de vivre|veux disparaître|veux disparaitre|schluss mit allem|nicht mehr da sein|nicht mehr aufwachen",
    "die for real for real|the bad kind of sudoku|sudoku lol the bad kind|sudoku the bad kind|do not send me the hotline|not send me the hotline|do not send me a hotline|last check in from me|jealous of people who die|envy people who die|jealous of the dead|envious of people who die|do not care what happens to me|not scared of dying|if something happens to me it happens",
    "want to unalive|to unalive|unaliving",
    "chcę się zabić|chce sie zabic|się zabić|sie zabic|nie chcę żyć|nie chce zyc|chcę umrzeć|chce umrzec|ze sobą skończyć",
    "ne hochu zhit|ne khochu zhit|hochu umeret|khochu umeret|pokonchit s soboy|не хочу жить|хочу умереть|покончить с собой|хочу сдохнуть",
    "yaşamak istemiyorum|yasamak istemiyorum|ölmek istiyorum|olmek istiyorum|intihar|kendimi öldür|kendimi oldur",
    "ik wil dood|wil niet meer leven|zelfmoord|jag vill dö|jeg vil dø|shinitai|死にたい|죽고 싶다|jukgo sipda|عايز اموت|أريد أن أموت|بدي موت|انتحار",
    "relapsed on sh|relapsed with sh|back on sh|relapsed on self harm|urge to cut|the urge to cut|urge to self harm|urge to hurt myself|want to cut again|wanna cut again|gun tonight|rope ready|noose ready|gun ready|knife ready",
    "go home to god|going home to god|home to the lord|be with the lord|meet my maker|lord take me|lord just take me|god just take me|god take me|take me home lord|ready to go home to",
];

static CRISIS_PHRASE_SET: LazyLock<PatternSet> = LazyLock::new(|| concept(CRISIS_PHRASES));

/// Dark words said figuratively ("I'd kill for a kebab", "died in minecraft"): the
/// classifier alone does not call these a crisis (a crisis rule still can).
const FIGURATIVE: &[&str] = &[
    "he would disappear|she would disappear|they would disappear|would disappear off|disappear off the face|disappear from my life|vanish from my feed|out of my life",
    "kill my brother|kill my sister|kill my mum|kill my mom|kill my dad|kill my boss|kill my ex|kill my flatmate|kill my roommate|kill him|kill her|kill them|murder him|murder her|murder my|strangle him|strangle her",
    "kill for|killing time|kill time|killed it|killing it|to die for|died laughing|dying laughing|dying to|died in|killing me|killed me|dead tired|dead into|dead little|dead town|dead between us|nearly killed me|almost killed me|murder a|could murder|shot him a|shoot my shot|overdosed on|overdose on|caffeine overdose|sugar overdose|bored to death|scared to death|to death lol|in minecraft|in the game|my sims|my character|the movie|the film|the show|the book",
    "kill whole weekends|kill the weekend|burning the hours|burn the hours|going to die lol|thought i was going to die|ghost pepper|spicy|hot sauce|by accident and i lost|lost all my loot",
    "better version of myself|version of myself|not for him|not for her",
];

static FIGURATIVE_SET: LazyLock<PatternSet> = LazyLock::new(|| concept(FIGURATIVE));

/// Whether dark words are said figuratively, or about ordinary medicine or fun.
pub(crate) fn figurative(t: &Text) -> bool {
    FIGURATIVE_SET.first_hit(t).is_some()
        || ORDINARY_SET.first_hit(t).is_some()
        || CRISIS_EXCEPT_SET.first_hit(t).is_some()
}

/// Worrying words (for the careful time after a crisis message).
pub(crate) fn concern(t: &Text) -> Option<RuleHit> {
    CONCERN_SET
        .first_hit(t)
        .map(|h| to_rule_hit(&CONCERN_SET, t, h))
}

/// The ex's own words reported ("she said hi", "he said he's changed", "they texted sorry"):
/// with a condition of what the ex said (hello, sorry, I miss you, let's meet) it means the
/// ex got in touch, though no contact verb says so.
const EX_SPOKE: &[&str] = &[
    "he|she|they|ex said|says|sent|wrote|messaged|asked|dmed|emailed|replied|answered|goes|went",
    "he|she|they|ex just|literally|finally|even|then|also said|says|sent|wrote|messaged|asked",
    "he|she|they|ex keeps|kept|is|was saying|telling|asking|sending",
    "he|she|they|ex has|have|had been saying|telling|asking|sending",
    "he|she|they|ex told me",
];

static EX_SPOKE_SET: LazyLock<PatternSet> = LazyLock::new(|| PatternSet::new(EX_SPOKE));

/// Where the ex's words are reported, within the first `limit` tokens.
pub(crate) fn ex_spoke(t: &Text, limit: usize) -> Option<RuleHit> {
    EX_SPOKE_SET
        .first_hit_in(t, 0, limit)
        .map(|h| to_rule_hit(&EX_SPOKE_SET, t, h))
}

/// A spell caster / psychic question.
pub(crate) fn scam(t: &Text, limit: usize) -> Option<RuleHit> {
    SCAM_SET
        .first_hit_in(t, 0, limit)
        .map(|h| to_rule_hit(&SCAM_SET, t, h))
}

/// Anything that should get the scam warning appended.
pub(crate) fn scam_warning_needed(t: &Text) -> bool {
    SCAM_WARN_SET.first_hit(t).is_some()
}

/// Sexual wording.
pub(crate) fn hookup(t: &Text, limit: usize) -> Option<RuleHit> {
    HOOKUP_SET
        .first_hit_in(t, 0, limit)
        .map(|h| to_rule_hit(&HOOKUP_SET, t, h))
}

// ---------------------------------------------------------------------
// Contact: who contacted whom, did it happen.

/// Who did it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Actor {
    /// The person writing to the bot.
    User,
    /// The ex.
    Ex,
}

/// Did it happen?
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Mode {
    Happened,
    /// "I didn't text him", "he never called".
    Negated,
    /// "should I text him", "I want to call", "if he texts me".
    Hypothetical,
}

/// One contact verb with its actor and mode.
#[derive(Debug, Clone)]
pub(crate) struct ContactEvent {
    pub actor: Actor,
    pub mode: Mode,
    pub words: String,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Form {
    /// texted, called
    Past,
    /// texting (needs an auxiliary: was/been/keep/am)
    Progressive,
    /// texts, calls (ex only)
    Third,
    /// text, call: only ever a wish or a negation ("should I text him")
    Base,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Kind {
    /// text, call, message...: a target is optional.
    Plain,
    /// wrote, told, asked, talked: the user needs an explicit ex target.
    NeedsTarget,
    /// liked, commented: social contact.
    Social,
    /// went (over/to his place), showed up, turned up, came.
    Visit,
    /// left (a voicemail).
    Left,
    /// got/received (a text from him).
    Received,
    /// broke (no contact), caved, reset (my counter).
    Broke,
    /// wants/asked (to meet): the ex only.
    Wants,
}

fn verb(w: &str) -> Option<(Kind, Form)> {
    use Form::*;
    use Kind::*;
    Some(match w {
        "texted" | "called" | "rang" | "phoned" | "dialed" | "dialled" | "facetimed"
        | "messaged" | "dmed" | "emailed" | "mailed" | "replied" | "responded" | "answered"
        | "snapped" | "snapchatted" | "whatsapped" | "sent" | "begged" | "pleaded"
        | "contacted" | "reached" | "sexted" | "voicemailed" | "picked" | "inboxed" | "skyped"
        | "wrote" => (Plain, Past),
        "texting" | "calling" | "ringing" | "phoning" | "facetiming" | "messaging" | "dming"
        | "emailing" | "replying" | "responding" | "answering" | "snapchatting" | "sending"
        | "begging" | "contacting" | "reaching" | "sexting" | "writing" => (Plain, Progressive),
        "texts" | "calls" | "rings" | "messages" | "dms" | "emails" | "replies" | "responds"
        | "sends" | "writes" | "contacts" | "reaches" | "facetimes" | "snapchats" => (Plain, Third),
        "told" | "asked" | "talked" | "spoke" | "visited" | "tagged" | "wished" => {
            (NeedsTarget, Past)
        }
        "talking" | "asking" => (NeedsTarget, Progressive),
        "liked" | "commented" | "reacted" | "hearted" | "unliked" => (Social, Past),
        "liking" | "commenting" | "reacting" => (Social, Progressive),
        "went" | "showed" | "turned" | "came" | "popped" | "slid" | "knocked" | "waited"
        | "appeared" | "stopped" | "dropped" => (Visit, Past),
        "waiting" | "standing" | "showing" | "coming" | "knocking" | "sitting" => {
            (Visit, Progressive)
        }
        "shows" | "comes" | "turns" | "pops" | "keeps" => (Visit, Third),
        "left" | "leaving" => (Left, Past),
        "got" | "received" | "recieved" | "had" | "woke" | "have" | "get" | "getting" => {
            (Received, Past)
        }
        "broke" | "caved" | "relapsed" | "failed" | "reset" | "slipped" | "gave" | "messed" => {
            (Broke, Past)
        }
        "breaking" => (Broke, Progressive),
        "wants" | "wanted" | "asks" | "invited" => (Wants, Third),
        "text" | "call" | "ring" | "phone" | "facetime" | "message" | "dm" | "email" | "reply"
        | "respond" | "answer" | "snapchat" | "send" | "beg" | "contact" | "reach" | "write"
        | "msg" => (Plain, Base),
        "talk" | "speak" | "visit" => (NeedsTarget, Base),
        _ => return None,
    })
}

/// Who a subject word refers to.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Ref {
    User,
    Ex,
    We,
    Other,
}

/// Subjects that are neither the user nor the ex ("my thumb slipped").
const THING_SUBJECTS: &[&str] = &[
    "it", "this", "that", "phone", "thumb", "finger", "fingers", "heart", "counter", "app",
];

fn subject_ref(w: &str) -> Option<Ref> {
    match w {
        "i" => Some(Ref::User),
        "we" => Some(Ref::We),
        "he" | "she" | "they" => Some(Ref::Ex),
        _ if PARTNER_TITLES.contains(&w) => Some(Ref::Ex),
        _ if OTHER_PEOPLE.contains(&w) || THING_SUBJECTS.contains(&w) => Some(Ref::Other),
        _ => None,
    }
}

/// Words that make a contact verb not (yet) a fact.
const HYPOTHETICAL: &[&str] = &[
    "should",
    "would",
    "could",
    "might",
    "can",
    "will",
    "shall",
    "must",
    "may",
    "want",
    "wanted",
    "wanting",
    "wants",
    "need",
    "needs",
    "going",
    "about",
    "almost",
    "nearly",
    "tempted",
    "thinking",
    "think",
    "if",
    "whether",
    "instead",
    "of",
    "to",
    "afraid",
    "scared",
    "hope",
    "hoping",
    "wish",
    "wait",
    "waiting",
    "until",
    "unless",
    "plan",
    "planning",
    "dying",
    "ready",
    "urge",
    "before",
    "whenever",
    "once",
    "let",
    "do",
    "does",
    "dont",
    "avoid",
    "stop",
    "resist",
    "resisted",
    "resisting",
];

/// Skipped between a verb and its object.
const FILLER: &[&str] = &[
    "back",
    "up",
    "out",
    "again",
    "over",
    "to",
    "at",
    "on",
    "with",
    "a",
    "an",
    "the",
    "this",
    "that",
    "just",
    "like",
    "literally",
    "drunk",
    "right",
    "now",
    "yesterday",
    "today",
    "last",
    "night",
    "morning",
    "twice",
    "also",
    "first",
    "all",
    "by",
    "in",
    "round",
    "around",
    "through",
    "via",
    "into",
    "finally",
    "accidentally",
    "randomly",
    "suddenly",
    "really",
    "so",
    "long",
    "few",
    "some",
    "many",
    "times",
    "tonight",
    "earlier",
    "late",
    "from",
    "outside",
    "front",
    "of",
    "near",
    "behind",
];

/// What the object of a contact verb refers to.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Target {
    User,
    Ex,
    Other,
    None,
    Quote,
}

fn object_target(t: &Text, from: usize, clause: u32) -> Target {
    let mut i = from;
    let mut steps = 0;
    while i < t.len() && steps < 6 {
        let tok = t.tok(i);
        if tok.quoted {
            return Target::Quote;
        }
        if tok.clause != clause {
            return Target::None;
        }
        let w = t.word(i);
        match w {
            "my" | "our" => {
                // "my ex" is the ex, "my sister" someone else, "my story" mine
                for j in i + 1..(i + 3).min(t.len()) {
                    let n = t.word(j);
                    if t.tok(j).clause != clause {
                        break;
                    }
                    if PARTNER_TITLES.contains(&n) {
                        return Target::Ex;
                    }
                    if OTHER_PEOPLE.contains(&n) {
                        return Target::Other;
                    }
                }
                return Target::User;
            }
            "me" | "us" | "mine" => return Target::User,
            "him" | "them" => return Target::Ex,
            "his" | "her" | "their" => {
                // possessive: "his sister" is someone else, "his photo" is his
                for j in i + 1..(i + 3).min(t.len()) {
                    let n = t.word(j);
                    if t.tok(j).clause != clause {
                        break;
                    }
                    if n == "new" || (OTHER_PEOPLE.contains(&n) && !PARTNER_TITLES.contains(&n)) {
                        return Target::Other;
                    }
                }
                return Target::Ex;
            }
            _ => {}
        }
        if PARTNER_TITLES.contains(&w) {
            return Target::Ex;
        }
        if OTHER_PEOPLE.contains(&w) {
            return Target::Other;
        }
        if !FILLER.contains(&w) {
            return Target::None;
        }
        i += 1;
        steps += 1;
    }
    Target::None
}

/// A boundary the user set, said to the ex ("I told him I need space", "asked her to
/// stop texting me").
const BOUNDARY: &[&str] = &[
    "to stop calling|to stop texting|to stop messaging|to stop contacting|to stop reaching out|to leave me alone|give me space|give me some space|give me time|give me some time|leave me be|need space|need some space|need my space|need time|need some time|time apart|time to myself|need a break|leave me alone|stop texting me|stop messaging me|stop calling me|stop contacting me|stop writing to me|not to contact me|not to text me|not to message me|not to call me|not contact me|doing no contact|going no contact|doing nc|going nc|want no contact|do not want to talk|do not contact me|not ready to talk|not to reach out",
];

static BOUNDARY_SET: LazyLock<PatternSet> = LazyLock::new(|| concept(BOUNDARY));

/// Whether a contact answered the other's ("he replied ok", "I texted her back").
fn a_reply(e: &ContactEvent) -> bool {
    e.words.split_whitespace().any(|w| {
        w.starts_with("repl") || w.starts_with("respond") || w.starts_with("answer") || w == "back"
    })
}

/// The whole contact analysis of one message.
#[derive(Debug, Clone, Default)]
pub(crate) struct Contact {
    /// Events in text order.
    pub events: Vec<ContactEvent>,
}

impl Contact {
    /// The first contact that really happened.
    pub fn first_happened(&self) -> Option<&ContactEvent> {
        self.events.iter().find(|e| e.mode == Mode::Happened)
    }

    /// The contact the message is about: the first that happened, except that the user
    /// setting a boundary ("I told her I need space") gives way to the ex's contact that
    /// it did not stop ("and she keeps messaging"), and the ex's message to the user's
    /// answer to it ("she messaged me so I replied").
    pub fn main_happened(&self, t: &Text) -> Option<&ContactEvent> {
        let first = self.first_happened()?;
        let instead = match first.actor {
            Actor::User => self.boundary_ignored(t),
            Actor::Ex => self.user_reply(),
        };
        instead.or(Some(first))
    }

    /// The ex's contact after the user set a boundary ("I told her I need space, she
    /// keeps texting"), if the message tells of both.
    pub fn boundary_ignored(&self, t: &Text) -> Option<&ContactEvent> {
        BOUNDARY_SET.first_hit(t)?;
        self.happened_where(Actor::Ex, false)
    }

    /// The user's answer to a message of the ex's ("I replied and we talked for hours").
    pub fn user_reply(&self) -> Option<&ContactEvent> {
        self.happened_where(Actor::User, true)
    }

    /// The first contact by `actor` that happened and is, or is not, a reply.
    fn happened_where(&self, actor: Actor, reply: bool) -> Option<&ContactEvent> {
        self.events
            .iter()
            .find(|e| e.actor == actor && e.mode == Mode::Happened && a_reply(e) == reply)
    }

    pub fn any(&self, actor: Actor, mode: Mode) -> bool {
        self.events
            .iter()
            .any(|e| e.actor == actor && e.mode == mode)
    }
}

/// Finds contact verbs in the first `limit` tokens and decides who did
/// what and whether it happened.
pub(crate) fn contact(t: &Text, limit: usize) -> Contact {
    let n = t.len().min(limit);
    let mut out = Contact::default();
    // subject of the last clause, for "i got drunk and called him"
    let mut last_subject: Option<(u32, Ref)> = None;
    let mut i = 0;
    while i < n {
        let tok = t.tok(i);
        if tok.quoted {
            i += 1;
            continue;
        }
        let w = t.word(i);
        // "her message: '...'", "his text said ..."
        if i > 0
            && MESSAGE_NOUNS.contains(&w)
            && matches!(t.word(i - 1), "his" | "her" | "ex")
            && i + 1 < t.len()
            && (t.tok(i + 1).quoted || matches!(t.word(i + 1), "said" | "says" | "reads" | "read"))
        {
            out.events.push(ContactEvent {
                actor: Actor::Ex,
                mode: Mode::Happened,
                words: t.span(i - 1, (i + 3).min(t.len())),
            });
            i += 1;
            continue;
        }
        let Some((kind, form)) = verb(w) else {
            if let Some(r) = subject_ref(w) {
                last_subject = Some((tok.clause, r));
            }
            i += 1;
            continue;
        };
        if let Some(ev) = contact_at(t, i, n, kind, form, last_subject) {
            out.events.push(ev);
        }
        i += 1;
    }
    // meeting in person, said without a contact verb ("we met up for coffee as friends",
    // "stayed over at his place")
    if out.first_happened().is_none()
        && let Some(h) = MET_UP_SET.hits(t).into_iter().find(|h| h.end <= n)
    {
        out.events.push(ContactEvent {
            actor: Actor::User,
            mode: Mode::Happened,
            words: t.span(h.start, h.end),
        });
    }
    out
}

/// Seeing the ex in person by arrangement, in words no contact verb covers. Past and
/// specific: "we hung out" or "we had dinner" may be memories of the relationship.
const MET_UP: &[&str] = &[
    "-when|before|until|since|after|where|how|the|first|if we met up",
    "-when|before|until|since|after|if met up with him|her|them",
    "-when|before|until|since|after|first|if met him|her|them for a? coffee|drinks|drink|dinner|lunch|brunch|walk|closure",
    "-if|never|not|ever stayed|slept over at his|her|their|hers|theirs",
    "-if|never|not|ever stayed the night at his|her|their|hers|theirs",
];

static MET_UP_SET: LazyLock<PatternSet> = LazyLock::new(|| PatternSet::new(MET_UP));

fn next_word(t: &Text, i: usize) -> &str {
    if i < t.len() { t.word(i) } else { "" }
}

fn next_is(t: &Text, i: usize, words: &[&str]) -> bool {
    i < t.len() && words.contains(&t.word(i))
}

/// Looks ahead (same clause, up to `span` words) for any of `words`.
fn ahead(t: &Text, from: usize, span: usize, words: &[&str]) -> bool {
    if from >= t.len() {
        return false;
    }
    let clause = t.tok(from.saturating_sub(1)).clause;
    (from..(from + span).min(t.len()))
        .take_while(|&j| t.tok(j).clause == clause || t.tok(j).quoted)
        .any(|j| words.contains(&t.word(j)))
}

const CONTACT_NOUNS: &[&str] = &[
    "text",
    "texts",
    "message",
    "messages",
    "call",
    "calls",
    "email",
    "emails",
    "dm",
    "dms",
    "voicemail",
    "voicemails",
    "letter",
    "letters",
    "snap",
    "snapchat",
    "voice",
    "note",
    "comment",
    "reply",
    "missed",
    "whatsapp",
    "paragraph",
    "card",
    "gift",
    "flowers",
];

/// What the ex wrote, in "her message: '...'".
const MESSAGE_NOUNS: &[&str] = &[
    "text",
    "message",
    "email",
    "dm",
    "voicemail",
    "letter",
    "reply",
    "note",
    "answer",
];

/// What a contact verb needs around it to mean contact: "reached" needs "out", "showed"
/// needs "up", "broke" needs "contact" or "streak" close by.
enum Needs {
    /// The next word is one of these.
    Next(&'static [&'static str]),
    /// The next word is none of these.
    NextNot(&'static [&'static str]),
    /// One of these within so many words (same clause).
    Ahead(usize, &'static [&'static str]),
    /// None of these within so many words (same clause).
    NotAhead(usize, &'static [&'static str]),
}

impl Needs {
    fn met(&self, t: &Text, v: usize) -> bool {
        let next = next_word(t, v + 1);
        match *self {
            Needs::Next(words) => words.contains(&next),
            Needs::NextNot(words) => !words.contains(&next),
            Needs::Ahead(span, words) => ahead(t, v + 1, span, words),
            Needs::NotAhead(span, words) => !ahead(t, v + 1, span, words),
        }
    }
}

/// The particle rules: verbs that are contact only with a particular particle or object.
const PARTICLES: &[(&[&str], Needs)] = &[
    (&["reached", "reaching", "reaches"], Needs::Next(&["out"])),
    (&["picked"], Needs::Ahead(2, &["up"])),
    (
        &[
            "showed", "turned", "popped", "pops", "turns", "shows", "showing",
        ],
        Needs::Next(&["up"]),
    ),
    (&["slid"], Needs::Ahead(3, &["dms", "dm", "inbox"])),
    (&["gave"], Needs::Next(&["in"])),
    (
        &["slipped"],
        Needs::Next(&["up", "again", "today", "yesterday", "last"]),
    ),
    (
        &["failed", "breaking"],
        Needs::Ahead(3, &["contact", "rule", "streak"]),
    ),
    (
        &["broke"],
        Needs::Ahead(3, &["contact", "rule", "streak", "silence"]),
    ),
    (
        &["reset"],
        Needs::Ahead(3, &["counter", "streak", "clock", "days", "day"]),
    ),
    (
        &["relapsed"],
        Needs::NotAhead(4, &["cutting", "drinking", "drugs", "smoking"]),
    ),
    (
        &["keeps"],
        Needs::Next(&["texting", "calling", "messaging", "writing"]),
    ),
    (
        &["called", "calls", "calling"],
        Needs::NextNot(&["it", "off"]),
    ),
    (
        &["came", "coming", "comes", "dropped", "stopped"],
        Needs::Next(&["over", "by", "round", "to", "around"]),
    ),
    (
        &["went"],
        Needs::Next(&["over", "up", "round", "around", "to"]),
    ),
    (
        &[
            "waited", "waiting", "standing", "sitting", "knocked", "knocking",
        ],
        Needs::Ahead(4, &["outside", "door", "front"]),
    ),
    (
        &["left", "leaving"],
        Needs::Ahead(
            4,
            &[
                "voicemail",
                "message",
                "comment",
                "note",
                "voice",
                "text",
                "letter",
            ],
        ),
    ),
];

/// Stage 1: the verb has the particle or object it needs ([`PARTICLES`]), plus two rules
/// that look two steps ahead ("messed up again", "went to his place").
fn particle_fits(t: &Text, v: usize) -> bool {
    let w = t.word(v);
    let next = next_word(t, v + 1);
    match w {
        "messed" => return next == "up" && ahead(t, v + 2, 3, &["again", "no", "contact"]),
        "went" if next == "to" => return visit_place(t, v + 2),
        _ => {}
    }
    PARTICLES
        .iter()
        .find(|(verbs, _)| verbs.contains(&w))
        .is_none_or(|(_, needs)| needs.met(t, v))
}

/// Who is the subject of a contact verb, and where.
struct Subject {
    who: Option<Ref>,
    /// The subject word's position, when the clause names one.
    at: Option<usize>,
    /// Where the verb's clause starts.
    clause_start: usize,
}

/// Stage 2: the nearest subject word before the verb in its clause; else the previous
/// clause's subject when this one is linked to it ("and then called"); else, in diary
/// style ("texted him at 2am"), the user.
fn subject_of(
    t: &Text,
    v: usize,
    kind: Kind,
    form: Form,
    target: Target,
    last_subject: Option<(u32, Ref)>,
) -> Subject {
    let clause = t.tok(v).clause;
    let mut clause_start = v;
    while clause_start > 0 && t.tok(clause_start - 1).clause == clause {
        clause_start -= 1;
    }
    let named = (clause_start..v)
        .rev()
        .take(6)
        .take_while(|&j| !t.tok(j).quoted)
        .find_map(|j| subject_ref(t.word(j)).map(|r| (r, j)));
    if let Some((who, at)) = named {
        return Subject {
            who: Some(who),
            at: Some(at),
            clause_start,
        };
    }
    let linked = matches!(
        t.word(clause_start),
        "and" | "then" | "so" | "but" | "or" | "after"
    );
    let who = match last_subject {
        Some((c, r)) if linked && c + 1 >= clause && r != Ref::Other => Some(r),
        None if form == Form::Past
            && matches!(kind, Kind::Plain | Kind::Social | Kind::Broke)
            && target != Target::User =>
        {
            Some(Ref::User)
        }
        _ => None,
    };
    Subject {
        who,
        at: None,
        clause_start,
    }
}

/// Modal words that, before the subject ("should I text him"), make it a question.
const INVERTED_MODALS: &[&str] = &[
    "should", "would", "could", "can", "will", "may", "might", "shall", "must", "do", "does",
];

/// Stage 3: whether it happened, was negated or only wished, read from the negators and
/// modal words between the subject (or a leading "if" or inverted modal) and the verb,
/// with the turns of phrase that mean it happened after all ("I shouldn't have texted
/// him", "I regret calling", "couldn't stop texting"). Also says whether regret was
/// spoken.
fn mode_of(t: &Text, v: usize, subject: &Subject, form: Form) -> (Mode, bool) {
    let from = subject.at.map(|p| p + 1).unwrap_or(subject.clause_start);
    let mut mode = Mode::Happened;
    let mut regret = false;
    for k in subject.clause_start..v {
        let bw = t.word(k);
        if bw == "regret" || bw == "regretting" {
            regret = true;
        }
        if k < from {
            let conditional = k == subject.clause_start
                && matches!(bw, "if" | "whether" | "unless" | "once" | "whenever");
            let inversion = k + 1 == from.saturating_sub(1) && INVERTED_MODALS.contains(&bw);
            if !(conditional || inversion) {
                continue;
            }
        }
        if NEGATORS.contains(&bw) {
            mode = Mode::Negated;
        } else if HYPOTHETICAL.contains(&bw) && mode == Mode::Happened {
            mode = Mode::Hypothetical;
        }
    }
    let have_not = v >= 2 && t.word(v - 1) == "have" && t.word(v - 2) == "not";
    if (mode != Mode::Happened && have_not) || regret {
        mode = Mode::Happened;
    }
    let prev = if v > 0 { t.word(v - 1) } else { "" };
    // a gerund in a question of its own ("is emailing her less bad than texting?",
    // "would calling him be so wrong"): asked about, not done
    if form == Form::Progressive
        && subject.at.is_none()
        && v == subject.clause_start + 1
        && matches!(prev, "is" | "was" | "would" | "will" | "does" | "isnt")
    {
        mode = Mode::Hypothetical;
    }
    if form == Form::Progressive
        && mode == Mode::Negated
        && matches!(prev, "stop" | "resist" | "help")
    {
        mode = Mode::Happened;
    }
    (mode, regret)
}

/// Words before a progressive form that make it a report ("was texting", "keep calling").
const PROGRESSIVE_AUX: &[&str] = &[
    "am",
    "is",
    "are",
    "was",
    "were",
    "been",
    "keep",
    "kept",
    "started",
    "keeps",
    "start",
    "starts",
    "began",
    "still",
    "constantly",
    "always",
    "stop",
    "resist",
    "help",
];

/// Words before a base form that make it a noun ("a text", "his call").
const DETERMINERS: &[&str] = &[
    "a", "an", "the", "his", "her", "my", "your", "one", "that", "this", "no", "any", "every",
    "each", "another", "their", "our",
];

/// Stage 4: the verb's form can say this: a progressive needs an auxiliary ("I keep
/// texting him", "ended up calling"), a base form is only ever a wish or a negation
/// ("should I text him") and never a noun ("a text").
fn form_fits(t: &Text, v: usize, form: Form, mode: Mode, regret: bool) -> bool {
    let prev = if v > 0 { t.word(v - 1) } else { "" };
    match form {
        Form::Progressive if !regret => {
            PROGRESSIVE_AUX.contains(&prev)
                || (prev == "up" && v >= 2 && matches!(t.word(v - 2), "ended" | "end" | "ends"))
        }
        Form::Base => mode != Mode::Happened && !(v > 0 && DETERMINERS.contains(&prev)),
        _ => true,
    }
}

/// Stage 5: who reached whom, from the subject and the object.
fn actor_of(subject: &Subject, target: Target, kind: Kind, form: Form, v: usize) -> Option<Actor> {
    match (subject.who, target) {
        (Some(Ref::User), Target::Ex | Target::None | Target::Quote) => Some(Actor::User),
        (Some(Ref::Ex), Target::User | Target::None | Target::Quote) => Some(Actor::Ex),
        (None, Target::Ex) => Some(Actor::User),
        (None, Target::User) => Some(Actor::Ex),
        (None, Target::None | Target::Quote)
            if subject.clause_start == 0 && subject.at.is_none() =>
        {
            // "sent a long message" with nothing before it at the very start is the user
            match kind {
                Kind::Broke => Some(Actor::User),
                Kind::Plain | Kind::Social if form == Form::Past && v == 0 => Some(Actor::User),
                _ => None,
            }
        }
        _ => None,
    }
}

/// Stage 6: what each kind of verb allows: "I wrote a letter" is not sending it, "he told
/// me" is a report rather than contact, the ex "wants to meet" but the user's wish is not
/// contact, a visit needs a place or a target, the ex cannot break the user's no contact.
fn kind_allows(t: &Text, v: usize, kind: Kind, form: Form, actor: Actor, target: Target) -> bool {
    let w = t.word(v);
    let next = next_word(t, v + 1);
    if actor == Actor::User && matches!(w, "wrote" | "writing" | "written") && target != Target::Ex
    {
        return false;
    }
    if form == Form::Third && actor == Actor::User {
        return false;
    }
    match (kind, actor) {
        (Kind::NeedsTarget, Actor::User) => target == Target::Ex,
        (Kind::NeedsTarget, Actor::Ex) => {
            // "she asked me / asked if / asked through snapchat" is contact
            // "she tagged me", "he wished me a happy new year"
            let to_me = matches!(w, "tagged" | "wished") && target == Target::User;
            let asked = matches!(w, "asked" | "asking")
                && matches!(
                    next,
                    "me" | "if"
                        | "whether"
                        | "how"
                        | "through"
                        | "on"
                        | "via"
                        | "over"
                        | "to"
                        | "why"
                        | "what"
                );
            to_me || asked
        }
        (Kind::Wants, Actor::User) | (Kind::Broke, Actor::Ex) => false,
        (Kind::Wants, Actor::Ex) => {
            let what = ahead(
                t,
                v + 1,
                4,
                &[
                    "meet", "see", "talk", "hang", "catch", "grab", "coffee", "drink", "dinner",
                    "lunch", "be", "come", "visit", "friends", "out", "over", "chat", "speak",
                    "try",
                ],
            );
            matches!(next, "to" | "me") && what
        }
        (Kind::Visit, Actor::Ex) => {
            // "came over", "turned up at my work"
            target == Target::User
                || matches!(next, "over" | "by" | "round" | "around")
                || (next == "up" && !ahead(t, v + 2, 3, &["his", "her", "their"]))
                || w == "slid"
                || w == "keeps"
        }
        (Kind::Visit, Actor::User) => {
            // "went over to his place"
            target == Target::Ex
                || matches!(next, "over" | "round" | "around")
                || (w == "went" && next == "to")
        }
        (Kind::Left, _) => target != Target::Other,
        _ => true,
    }
}

/// A contact event at verb `v`, read in named stages: the particle the verb needs, its
/// subject, whether it happened, whether its form can say so, who reached whom, and what
/// the verb's kind allows.
fn contact_at(
    t: &Text,
    v: usize,
    n: usize,
    kind: Kind,
    form: Form,
    last_subject: Option<(u32, Ref)>,
) -> Option<ContactEvent> {
    if !particle_fits(t, v) {
        return None;
    }
    if kind == Kind::Received {
        return received(t, v, n);
    }
    let target = object_target(t, v + 1, t.tok(v).clause);
    let subject = subject_of(t, v, kind, form, target, last_subject);
    let (mode, regret) = mode_of(t, v, &subject, form);
    if !form_fits(t, v, form, mode, regret) {
        return None;
    }
    let actor = actor_of(&subject, target, kind, form, v)?;
    if !kind_allows(t, v, kind, form, actor, target) {
        return None;
    }
    let words = t.span(subject.at.unwrap_or(v), (v + 4).min(t.len()));
    Some(ContactEvent { actor, mode, words })
}

/// "went to his place/flat/house/door/work".
fn visit_place(t: &Text, i: usize) -> bool {
    let places = [
        "place",
        "flat",
        "house",
        "apartment",
        "home",
        "door",
        "work",
        "job",
        "office",
        "dorm",
        "room",
        "parents",
    ];
    if next_is(t, i, &["his", "her", "their", "my"]) {
        // "my ex's place" normalises to "my ex place"
        return ahead(t, i + 1, 3, &places);
    }
    false
}

/// "got a text from him", "received a message from my ex", "woke up to his text".
fn received(t: &Text, v: usize, n: usize) -> Option<ContactEvent> {
    let clause = t.tok(v).clause;
    // the receiver must be the user ("i got", "got" with no subject)
    if v > 0 && t.tok(v - 1).clause == clause {
        let prev = t.word(v - 1);
        if !matches!(
            prev,
            "i" | "just" | "finally" | "also" | "have" | "had" | "then" | "and"
        ) {
            return None;
        }
        if prev == "have" || prev == "had" {
            // "i have to", "had a dream"
            if v < 2 || t.word(v - 2) != "i" {
                return None;
            }
        }
    }
    let end = (v + 8).min(n);
    let mut saw_noun = false;
    for k in v + 1..end {
        if t.tok(k).clause != clause {
            break;
        }
        let w = t.word(k);
        if CONTACT_NOUNS.contains(&w) {
            saw_noun = true;
            // "his text", "her message"
            if k > v + 1 && matches!(t.word(k - 1), "his" | "her") {
                return Some(ContactEvent {
                    actor: Actor::Ex,
                    mode: Mode::Happened,
                    words: t.span(v, k + 1),
                });
            }
        }
        if saw_noun && w == "from" {
            let who = next_word(t, k + 1);
            let who2 = next_word(t, k + 2);
            let is_ex = matches!(who, "him" | "her" | "them")
                || PARTNER_TITLES.contains(&who)
                || (who == "my" && PARTNER_TITLES.contains(&who2))
                || (who == "the" && who2 == "ex");
            if is_ex {
                return Some(ContactEvent {
                    actor: Actor::Ex,
                    mode: Mode::Happened,
                    words: t.span(v, (k + 3).min(t.len())),
                });
            }
            return None;
        }
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;

    fn first(s: &str) -> Option<(Actor, Mode)> {
        let c = contact(&Text::analyse(s), 400);
        c.events.first().map(|e| (e.actor, e.mode))
    }

    #[test]
    fn an_abusive_act_counts_when_the_ex_or_their_circle_did_it() {
        let abusive = |s: &str| abuse(&Text::analyse(s)).is_some();
        assert!(abusive("he punched me when i tried to leave"));
        assert!(abusive("his brother threatened me outside my work"));
        assert!(abusive("he's the one stalking me"));
        assert!(!abusive("my little sister punched me for eating her chips"));
        assert!(!abusive("my therapist pushed me to grow this year"));
        assert!(!abusive("i threatened to leave twice before we ended it"));
        // rough hands, a workplace smeared, being watched
        assert!(abusive("she'd grab my arm whenever i tried to walk away"));
        assert!(abusive("he gets rough with me when he's had a few"));
        assert!(abusive(
            "my ex has been emailing my boss about me every week"
        ));
        assert!(abusive(
            "she stood there watching me from her car outside the office"
        ));
        // figurative blows, pets and threats from work
        assert!(!abusive(
            "it's all hitting me at once now that the flat is empty"
        ));
        assert!(!abusive("my dog follows me everywhere since he left"));
        assert!(!abusive(
            "my boss threatened to move me to nights if i keep crying at my desk"
        ));
        assert!(!abusive(
            "my best friend threatened to hide my phone if i unblock him"
        ));
        assert!(!abusive(
            "i've been tracking my runs and my mood since she left"
        ));
        assert!(abusive("he was banging on my door at midnight shouting"));
        assert!(!abusive("can heartbreak physically hurt? my ribs ache"));
        assert!(abusive("he used to physically hurt me when he drank"));
    }

    #[test]
    fn crisis_words_said_of_ordinary_things_stand_down() {
        let crisis = |s: &str| super::crisis(&Text::analyse(s)).is_some();
        // a burden through venting, success idioms, a goodbye to the ex, how people cope
        assert!(!crisis(
            "i must be a burden to my sister with all the breakup venting"
        ));
        assert!(!crisis(
            "gonna kill it in my exam tomorrow, no thinking about him"
        ));
        assert!(!crisis(
            "the wedding is going to kill me but i'm going anyway"
        ));
        assert!(!crisis("i told her goodbye for good at the station"));
        assert!(!crisis(
            "how do people survive their first christmas alone after a breakup"
        ));
        assert!(!crisis("can i send a quick hi or does that break nc"));
        assert!(!crisis("what is the quickest way to get over a girl"));
        assert!(!crisis("how do i know for sure she's not the one"));
        // while the dark ones are still read
        assert!(crisis(
            "i'm a burden to everyone and they'd be better off without me"
        ));
        assert!(crisis("who will take my cat when i'm not here anymore"));
        assert!(crisis(
            "i want to sleep for a really long time and never wake up"
        ));
        assert!(crisis("i'm done. and i do not mean done with no contact"));
        assert!(!crisis(
            "my belayer double checked my rope and we talked for ages"
        ));
        assert!(!crisis(
            "forgot my birth control pills twice this week, brain is mush"
        ));
    }

    fn happened(s: &str) -> Option<Actor> {
        contact(&Text::analyse(s), 400)
            .first_happened()
            .map(|e| e.actor)
    }

    #[test]
    fn direction() {
        assert_eq!(happened("I texted him last night"), Some(Actor::User));
        assert_eq!(happened("He texted me out of nowhere"), Some(Actor::Ex));
        assert_eq!(happened("my ex just called me"), Some(Actor::Ex));
        assert_eq!(
            happened("She sent me an email saying she misses me"),
            Some(Actor::Ex)
        );
        assert_eq!(
            happened("texted him at 2am, i'm an idiot"),
            Some(Actor::User)
        );
        assert_eq!(happened("got a text from him today"), Some(Actor::Ex));
        assert_eq!(happened("I got a text from my mom"), None);
        assert_eq!(happened("his mom texted me"), None);
        assert_eq!(happened("I texted his sister"), None);
        assert_eq!(happened("I broke no contact today"), Some(Actor::User));
        assert_eq!(happened("i got drunk and called him"), Some(Actor::User));
        assert_eq!(happened("he called me and i picked up"), Some(Actor::Ex));
        assert_eq!(happened("i called him and he picked up"), Some(Actor::User));
        assert_eq!(happened("she liked my pic"), Some(Actor::Ex));
        assert_eq!(
            happened("i accidentally liked her photo"),
            Some(Actor::User)
        );
        assert_eq!(
            happened("He showed up at my door last night"),
            Some(Actor::Ex)
        );
        assert_eq!(
            happened("went over to his place and knocked"),
            Some(Actor::User)
        );
        assert_eq!(happened("i went to his neighborhood"), None);
        assert_eq!(happened("she left me"), None);
        assert_eq!(happened("he left me a voicemail"), Some(Actor::Ex));
        assert_eq!(happened("she wants to meet for coffee"), Some(Actor::Ex));
        assert_eq!(happened("he told me he's met someone"), None);
        assert_eq!(
            happened("i caved and told her i love her"),
            Some(Actor::User)
        );
        assert_eq!(happened("I shouldn't have texted him"), Some(Actor::User));
        assert_eq!(
            happened("sent my ex a happy birthday text"),
            Some(Actor::User)
        );
        assert_eq!(
            happened("i texted my ex husband asking if he misses me"),
            Some(Actor::User)
        );
        assert_eq!(
            happened("watched his story and replied \"miss u\""),
            Some(Actor::User)
        );
        assert_eq!(happened("he was waiting outside my flat"), Some(Actor::Ex));
        assert_eq!(
            happened("her message: \"are you still mad?\" what do i say"),
            Some(Actor::Ex)
        );
        assert_eq!(happened("i texted my sister"), None);
        assert_eq!(happened("i wrote a 3 page apology, should i send it"), None);
        assert_eq!(happened("wrote to him on whatsapp"), Some(Actor::User));
        assert_eq!(happened("his whatsapp says last seen 2 minutes ago"), None);
        assert_eq!(
            happened("he watches my stories, does he want me back"),
            None
        );
        assert_eq!(
            happened("my thumb slipped and i sent a heart on his post"),
            Some(Actor::User)
        );
        assert_eq!(happened("i sent it anyway"), Some(Actor::User));
        assert_eq!(happened("i scroll through her tagged photos"), None);
        assert_eq!(happened("is viewing his story breaking no contact?"), None);
        assert_eq!(happened("he tagged me in a post"), Some(Actor::Ex));
        assert_eq!(happened("i ended up calling him at 3am"), Some(Actor::User));
        assert_eq!(
            happened("i couldn't stop texting him last night"),
            Some(Actor::User)
        );
        assert_eq!(
            happened("i couldn't resist messaging her"),
            Some(Actor::User)
        );
    }

    #[test]
    fn a_boundary_the_ex_ignores_is_their_contact() {
        let main = |s: &str| {
            let t = Text::analyse(s);
            contact(&t, 400).main_happened(&t).map(|e| e.actor)
        };
        assert_eq!(
            main("I told her I need some space and she keeps texting me anyway"),
            Some(Actor::Ex)
        );
        assert_eq!(
            main("asked him to stop texting me, he called twice tonight"),
            Some(Actor::Ex)
        );
        // a reply to the user's message is not the ex reaching out
        assert_eq!(
            main("texted her that i need space and she replied fine"),
            Some(Actor::User)
        );
        assert_eq!(
            main("I told him I miss him and he called me"),
            Some(Actor::User)
        );
        // once the user answered, the message is about their reply
        assert_eq!(
            main("she messaged me so i replied to her"),
            Some(Actor::User)
        );
        assert_eq!(main("he texted me and i did not reply"), Some(Actor::Ex));
    }

    #[test]
    fn the_exs_reported_speech_is_read() {
        let spoke = |s: &str| ex_spoke(&Text::analyse(s), 400).is_some();
        assert!(spoke("he keeps saying he misses me"));
        assert!(spoke("she has been telling everyone she regrets it"));
        assert!(spoke("my ex said he wants to talk"));
        assert!(!spoke("i keep saying i'm fine"));
    }

    #[test]
    fn a_gerund_asked_about_is_not_done() {
        assert_eq!(happened("is emailing him worse than texting?"), None);
        assert_eq!(happened("would calling her be so bad"), None);
        assert_eq!(happened("he is texting me again"), Some(Actor::Ex));
    }

    #[test]
    fn meeting_in_person_is_a_contact() {
        assert_eq!(
            happened("we met up for a drink last friday 'as friends'"),
            Some(Actor::User)
        );
        assert_eq!(
            happened("I stayed over at hers on saturday"),
            Some(Actor::User)
        );
        assert_eq!(
            happened("he wished me happy birthday on whatsapp"),
            Some(Actor::Ex)
        );
        assert_eq!(
            happened("i wished her luck before her exam"),
            Some(Actor::User)
        );
        assert_eq!(happened("when we met up the first time i knew"), None);
        assert_eq!(happened("what if we met up just once"), None);
    }

    #[test]
    fn negation_and_wishes() {
        assert_eq!(
            first("I didn't text him"),
            Some((Actor::User, Mode::Negated))
        );
        assert_eq!(happened("I didn't text him but I want to"), None);
        assert_eq!(happened("I haven't texted him in 2 weeks"), None);
        assert_eq!(
            first("should I have texted him?").map(|e| e.1),
            Some(Mode::Hypothetical)
        );
        assert_eq!(happened("I almost texted him"), None);
        assert_eq!(happened("if he texts me should i reply"), None);
        assert_eq!(happened("what should i do instead of texting her"), None);
        assert_eq!(happened("He texted me and I didn't reply"), Some(Actor::Ex));
        assert_eq!(happened("I was about to call her"), None);
        assert_eq!(happened("he never texted me back"), None);
    }
}

#[cfg(test)]
mod pattern_coverage {
    use super::*;

    /// At least one example per crisis pattern: a pattern that matches none
    /// of these is dead (usually a multi-word alternative in one slot).
    const EXAMPLES: &[&str] = &[
        "i am done, and i don't mean done with nc",
        "i'm done with everything and i don't mean the breakup",
        "i wanna die fr",
        "i am going to do something stupid tonight",
        "i cannot keep living like this",
        "i cannot keep on living like this",
        "keep on living like this is impossible",
        "i want the pain to end forever",
        "i want the pain to stop for good",
        "i want it all to end for good",
        "i might do something drastic",
        "thinking about unaliving myself",
        "the train tracks look so inviting lately",
        "the river keeps calling me",
        "i want it all to stop forever",
        "life is pointless without him",
        "thinking about not waking up tomorrow",
        "i wish i could fall asleep and not wake up",
        "i should just disappear for good",
        "i want out of this life",
        "i am not safe right now",
        "i do not feel safe with myself",
        "there is no reason for me to stay alive",
        "the world would be a better place without me",
        "everyone would be happier if i just was not here",
        "i am suicidal",
        "i want to kill myself",
        "i want to kill my self",
        "i want to end myself",
        "i hurt myself again",
        "self harm urges",
        "i have been cutting",
        "cutting again",
        "i cut my wrists",
        "i have a razor blade",
        "the razor is in my hand",
        "i scratch until i bleed",
        "i make myself bleed",
        "i want to end my life",
        "i will end it all",
        "i want to end everything",
        "i want to end it",
        "i am planning to end things",
        "end things tonight",
        "i want to die",
        "let me die",
        "i wish i could die",
        "i should just die",
        "i wish i was dead",
        "better off dead",
        "i feel like dying",
        "i think about dying",
        "i do not want to live",
        "i do not want to be alive",
        "i do not want to go on",
        "i do not want to wake up",
        "i do not wanna live",
        "i want to stop existing",
        "i want to cease to exist",
        "i am done living",
        "i am done with life",
        "i am tired of being alive",
        "what is the point of living",
        "no point in going on",
        "no reason to be alive",
        "no point in waking up",
        "nothing to live for",
        "it is not worth living",
        "life is not worth it",
        "i can not go on",
        "i hope i never wake up",
        "i never woke up",
        "i hope i do not wake up",
        "i want to sleep forever",
        "sleep and never wake",
        "i want to disappear forever",
        "i will not be in this world",
        "i want to leave this world",
        "everyone is better off without me",
        "it would be easier if i was gone",
        "nobody would notice if i was gone",
        "if i was gone",
        "i took all my pills",
        "a bottle of pills",
        "pills in the drawer",
        "staring at the pills",
        "saving up my pills",
        "too many pills",
        "thinking about jumping",
        "jump off the bridge",
        "jump in front of",
        "in front of a train",
        "the bridge looking down",
        "standing on the balcony thinking",
        "walking into the sea",
        "drive my car into a wall",
        "a rope in the garage",
        "i will not be around much longer",
        "goodbye letters",
        "a goodbye letter to my family",
        "ways to die",
        "i wanted to just die",
        "there is no future for me",
        "i feel like ending it",
        "thinking about ending it",
        "i bought a rope",
        "until my knuckles bled",
        "i wish i had never been born",
        "never been born",
        "no point in anything",
        "what is the point anymore",
        "goodbye world",
        "standing on a bridge",
        "i am just a burden",
        "being a burden",
        "a burden to everyone",
        "i am not going to be here much longer",
        "i cut again",
        "dark thoughts",
        "i do not care if i live or die",
        "if i just ended it",
        "i see no way out",
        "i give up on life",
        "i wish i did not exist",
        "i wish i was not here",
        "no point to keep going",
        "a knife to my wrist",
        "a gun to my head",
        "i bought a gun",
        "i drank bleach",
        "i hope i get hit by a car",
        "nobody would miss me",
        "nobody would care if",
        "if i was not here",
        "i hate being alive",
        "i wish i could disappear",
        "i want to fall asleep forever",
        "i do not deserve to live",
        "i do not deserve to be alive",
        "i relapsed and started cutting",
        "i can not live like this",
        "i am giving away my things",
        "i wrote my will",
        "saying goodbye to my family",
        "when i am gone",
        "my affairs in order",
        "i sorted my affairs",
        "i left a note for my family",
        "i hope i get run over",
        "ways to end my life",
        "they would be better off if i was dead",
        "i left a letter for my roommate",
        "i might do something to myself",
        "what i might do to myself",
        "i do not trust myself tonight",
        "keep myself safe",
        "i want everything to stop",
        "how many pills",
        "ways to end it",
        "i scratched my wrists",
        "i can not do this anymore",
        "my own funeral",
        "tell my mom i love her",
        "they will not have to deal with me",
        "you will not have to worry about me",
        "i gave my dog away",
        "i want it all to be over",
        "i am scared of myself",
        "a dark place",
        "my thoughts are getting dark",
        "i want to be with my dad in heaven",
        "i want to not exist",
        "i want to be gone",
        "i want it all to end",
        "i want to overdose",
    ];

    fn dead(set: &PatternSet, examples: &[&str]) -> Vec<&'static str> {
        let texts: Vec<Text> = examples.iter().map(|e| Text::analyse(e)).collect();
        (0..set.len())
            .filter(|&i| !texts.iter().any(|t| set.pattern_matches(i, t)))
            .map(|i| set.source(i))
            .collect()
    }

    #[test]
    fn every_hookup_scam_spoke_and_meeting_pattern_has_an_example() {
        let hookup = [
            "we had sex",
            "we ended up in bed",
            "i went to bed with him",
            "we hooked up",
            "should i sleep with him",
            "we slept together",
            "booty call",
            "friends with benefits",
            "no strings",
            "netflix and chill",
            "a one night stand",
            "she asked me to stay the night",
            "are you up",
            "u up",
            "asking if i am up",
            "she wants to meet at a hotel",
            "one night together",
            "one more night",
            "woke up next to him",
            "he wants to come over tonight",
            "just to cuddle",
            "i miss your body",
            "we made out",
            "we made love",
            "just for one night",
            "it is a situationship",
            "i woke up in his bed",
            "he wants me to stay over",
            "we kissed last night",
        ];
        assert_eq!(dead(&HOOKUP_SET, &hookup), Vec::<&str>::new());
        let scam = [
            "a spell caster",
            "a love potion",
            "black magic",
            "a fortune teller",
        ];
        assert_eq!(dead(&SCAM_SET, &scam), Vec::<&str>::new());
        let warn = ["a paid ritual", "white magic", "fortune telling"];
        assert_eq!(dead(&SCAM_WARN_SET, &warn), Vec::<&str>::new());
        let spoke = [
            "she said she misses me",
            "he just said hi",
            "he keeps saying sorry",
            "she has been telling people she regrets it",
            "he told me he was sorry",
        ];
        assert_eq!(dead(&EX_SPOKE_SET, &spoke), Vec::<&str>::new());
        let met = [
            "we met up on sunday",
            "i met up with him for a walk",
            "i met her for coffee",
            "i stayed over at his",
            "i stayed the night at hers",
        ];
        assert_eq!(dead(&MET_UP_SET, &met), Vec::<&str>::new());
        let concern = [
            "goodbye",
            "thank you for everything",
            "thanks for everything",
            "sorry for everything",
            "take care of yourselves",
            "i feel hopeless",
            "there is no point",
            "what is the point",
            "i have given up",
            "i cannot do this anymore",
            "i can't take it any more",
            "i can't cope",
            "i can't go on",
            "i can't keep going",
            "i am so tired of everything",
            "i am tired of it all",
            "i'm worn out",
            "i am done",
            "so tired",
            "nothing matters",
            "nobody cares",
            "no one understands",
            "nobody would care",
            "no one would notice",
            "i want to disappear",
            "all alone",
            "it is so dark",
            "i want to sleep forever",
            "my last message",
            "i am not okay",
            "the pills",
        ];
        assert_eq!(dead(&CONCERN_SET, &concern), Vec::<&str>::new());
        let innocent = [
            "relapsed last night and texted him",
            "i told him goodbye",
            "told the ex goodbye",
            "going to kill it at work",
            "this is going to kill me but fine",
            "a burden to my friends with all my venting",
            "a burden on her couch",
            "how did you survive it",
            "how will i survive christmas",
            "a quick hi",
            "a quick text to him",
            "a quick message to my ex",
            "fastest way to get over her",
            "quickest way to stop thinking about him",
            "would it hurt less",
            "will it hurt any less",
            "it hurts less if i sleep",
        ];
        let except = PatternSet::new(CRISIS_EXCEPT_PATTERNS);
        assert_eq!(dead(&except, &innocent), Vec::<&str>::new());
        let abuse_except = PatternSet::new(ABUSE_EXCEPT_PATTERNS);
        assert_eq!(
            dead(&abuse_except, &["it hurt me so much"]),
            Vec::<&str>::new()
        );
    }

    #[test]
    fn every_crisis_pattern_has_an_example() {
        // the examples here and the crisis lines of the repo's crisis set
        let set = include_str!("../../tests/data/crisis-set.tsv");
        let from_set = set
            .lines()
            .skip(1)
            .filter_map(|l| l.strip_prefix("crisis\t"))
            .filter_map(|l| l.split_once('\t').map(|(_, m)| m));
        let all: Vec<&str> = EXAMPLES.iter().copied().chain(from_set).collect();
        let texts: Vec<Text> = all.iter().map(|e| Text::analyse(e)).collect();
        let dead: Vec<&str> = (0..CRISIS_SET.len())
            .filter(|&i| !texts.iter().any(|t| CRISIS_SET.pattern_matches(i, t)))
            .map(|i| CRISIS_SET.source(i))
            .collect();
        assert!(
            dead.is_empty(),
            "crisis patterns without a matching example: {dead:#?}"
        );
        for (e, t) in EXAMPLES.iter().zip(&texts) {
            assert!(crisis(t).is_some(), "example not crisis: {e}");
        }
        assert!(all.len() > EXAMPLES.len() + 150, "the crisis set was read");
    }
}
