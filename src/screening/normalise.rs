//! The party-name normaliser: one place for how chipcheck reads the name of
//! a company or person on a restricted-party list.
//!
//! It is not `library::normalise_name`: a product name folds to one string
//! (`H100 SXM5` = `h100sxm5`), while a party name must stay a list of words,
//! each tagged (legal form, common word, place, number, distinctive word), so
//! that words can be aligned in any order and a common word alone never makes
//! a match. Both fold case and punctuation the same way (`library::fold`).
//!
//! Documented steps (README, "Screening the parties"):
//! 1. CSL artefacts repaired (`?s` for `'s`); accents folded (é -> e, ß -> ss);
//!    `&` read as `and`; apostrophes dropped; other punctuation is a space.
//! 2. Runs of single letters are joined (`L.L.C.` -> `llc`, `A B C` -> `abc`).
//! 3. Legal forms are read as one canonical form (`Co., Ltd.` = `Company
//!    Limited` = `co ltd`; `AO` = `JSC`; `OOO` = `LLC`). Unambiguous forms are
//!    legal forms anywhere; short ones (`AG`, `SA`, `AS`, `AO`) only at the
//!    start or end of the name.
//! 4. `the`, `of`, `and`, `for` are dropped.
//! 5. Every other word is tagged: a number, a place (a city, province or
//!    country the table knows), a common word (Technology, Group, ...; with
//!    its abbreviations and plurals read as one canonical word), or
//!    distinctive.

use crate::library::fold;

/// What a word of a party name is.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Kind {
    /// A word that tells one party from another (`biren`, `sugon`).
    Distinctive,
    /// A word with digits; must agree exactly (`13th` is not `14th`).
    Number,
    /// A word many unrelated firms share (`technology`, `group`).
    Common,
    /// A city, province or country (`beijing`, `sichuan`).
    Place,
    /// A legal form, in its canonical spelling (`co ltd`, `jsc`).
    LegalForm,
}

impl Kind {
    /// How much a word counts towards a score (README, "Screening").
    pub fn weight(self) -> f64 {
        match self {
            Kind::Distinctive | Kind::Number => 1.0,
            Kind::Common => 0.5,
            Kind::Place => 0.3,
            Kind::LegalForm => 0.2,
        }
    }

    pub fn name(self) -> &'static str {
        match self {
            Kind::Distinctive => "distinctive",
            Kind::Number => "number",
            Kind::Common => "common word",
            Kind::Place => "place",
            Kind::LegalForm => "legal form",
        }
    }
}

/// One word of a party name.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Word {
    /// As written, folded (case, accents, punctuation): compared for `match`.
    pub text: String,
    /// Abbreviations and plurals of common words read as one (`tech` ->
    /// `technology`), legal forms canonical: compared for near misses.
    pub canon: String,
    /// A transliteration skeleton (`kh` = `h`, `iy` = `y`, doubled letters
    /// once): transliteration variants share it.
    pub skeleton: String,
    pub kind: Kind,
    /// Written as initials (`I.`, `A. I.`): each letter may stand for a
    /// listed word that begins with it.
    pub initials: bool,
    /// Written with a point after it (`Circ.`, `Kronsht.`): it may be cut
    /// short, and is looked for among the listed words it begins.
    pub cut: bool,
}

/// A party name as chipcheck compares it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct PartyName {
    pub words: Vec<Word>,
    /// Equal keys are a `match`: every word as written (spacing ignored),
    /// legal forms canonical.
    pub key: String,
    /// What the normaliser changed, for explanations (`legal form Co., Ltd.
    /// read as co ltd`).
    pub normalised: Vec<String>,
}

impl PartyName {
    /// Can an equal listed name be taken for a match? A distinctive word, or
    /// at least two words that are not legal forms: a common word alone
    /// (`Technology Co.`) never makes a match.
    pub fn can_match(&self) -> bool {
        self.is_distinctive()
            || self
                .words
                .iter()
                .filter(|w| w.kind != Kind::LegalForm)
                .count()
                >= 2
    }

    /// Does it have a word that tells one party from another?
    pub fn is_distinctive(&self) -> bool {
        self.words
            .iter()
            .any(|w| matches!(w.kind, Kind::Distinctive | Kind::Number))
    }
}

/// Legal forms as written (folded words) and their canonical form. Longest
/// first, so `company limited` is read before `company`.
const LEGAL_FORMS: &[(&str, &str)] = &[
    ("public joint stock company", "pjsc"),
    ("closed joint stock company", "cjsc"),
    ("open joint stock company", "ojsc"),
    ("limited liability company", "llc"),
    ("limited liability partnership", "llp"),
    ("joint stock company", "jsc"),
    ("free zone establishment", "fze"),
    ("free zone company", "fzco"),
    ("private limited company", "pte ltd"),
    ("company limited", "co ltd"),
    ("company ltd", "co ltd"),
    ("co limited", "co ltd"),
    ("co ltd", "co ltd"),
    ("ltd co", "co ltd"),
    ("limited company", "co ltd"),
    ("private limited", "pte ltd"),
    ("pvt ltd", "pte ltd"),
    ("pte ltd", "pte ltd"),
    ("sdn bhd", "sdn bhd"),
    ("sa de cv", "sa de cv"),
    ("fz llc", "fz llc"),
    ("coltd", "co ltd"),
    ("corporation", "corp"),
    ("incorporated", "inc"),
    ("company", "co"),
    ("limited", "ltd"),
    ("lmtd", "ltd"),
    ("limitd", "ltd"),
    ("ltd", "ltd"),
    ("corp", "corp"),
    ("inc", "inc"),
    ("llc", "llc"),
    ("ooo", "llc"),
    ("llp", "llp"),
    ("jsc", "jsc"),
    ("pjsc", "pjsc"),
    ("pao", "pjsc"),
    ("ojsc", "ojsc"),
    ("oao", "ojsc"),
    ("cjsc", "cjsc"),
    ("zao", "cjsc"),
    ("fze", "fze"),
    ("fzco", "fzco"),
    ("fzc", "fzco"),
    ("gmbh", "gmbh"),
    ("plc", "plc"),
    ("sarl", "sarl"),
    ("srl", "srl"),
    ("spa", "spa"),
    ("kft", "kft"),
    ("bhd", "bhd"),
    ("ltda", "ltda"),
    ("tov", "tov"),
    ("co", "co"),
];

/// Legal forms that are also ordinary words or initials: legal forms only at
/// the start or end of a name.
const EDGE_ONLY_FORMS: &[(&str, &str)] = &[
    ("ao", "jsc"),
    ("ag", "ag"),
    ("sa", "sa"),
    ("as", "as"),
    ("ab", "ab"),
    ("oy", "oy"),
    ("bv", "bv"),
    ("nv", "nv"),
    ("lp", "lp"),
    ("pte", "pte ltd"),
    ("too", "llp"),
    ("lda", "lda"),
];

/// Common words (and their abbreviations and plurals) with the canonical
/// word each stands for. A name made only of these never matches.
const COMMON_WORDS: &[(&str, &str)] = &[
    ("technology", "technology"),
    ("technologies", "technology"),
    ("tech", "technology"),
    ("techn", "technology"),
    ("technol", "technology"),
    ("development", "development"),
    ("developments", "development"),
    ("dev", "development"),
    ("devt", "development"),
    ("group", "group"),
    ("groups", "group"),
    ("grp", "group"),
    ("international", "international"),
    ("intl", "international"),
    ("intern", "international"),
    ("industry", "industry"),
    ("industries", "industry"),
    ("industrial", "industry"),
    ("ind", "industry"),
    ("indus", "industry"),
    ("information", "information"),
    ("info", "information"),
    ("science", "science"),
    ("sciences", "science"),
    ("sci", "science"),
    ("scientific", "science"),
    ("trading", "trading"),
    ("trade", "trading"),
    ("holding", "holding"),
    ("holdings", "holding"),
    ("hldgs", "holding"),
    ("electronic", "electronic"),
    ("electronics", "electronic"),
    ("elec", "electronic"),
    ("electric", "electric"),
    ("system", "system"),
    ("systems", "system"),
    ("sys", "system"),
    ("service", "service"),
    ("services", "service"),
    ("svc", "service"),
    ("svcs", "service"),
    ("srvces", "service"),
    ("srvcs", "service"),
    ("engineering", "engineering"),
    ("eng", "engineering"),
    ("engg", "engineering"),
    ("research", "research"),
    ("institute", "institute"),
    ("inst", "institute"),
    ("center", "center"),
    ("centre", "center"),
    ("ctr", "center"),
    ("manufacturing", "manufacturing"),
    ("mfg", "manufacturing"),
    ("enterprise", "enterprise"),
    ("enterprises", "enterprise"),
    ("investment", "investment"),
    ("investments", "investment"),
    ("network", "network"),
    ("networks", "network"),
    ("software", "software"),
    ("communication", "communication"),
    ("communications", "communication"),
    ("comm", "communication"),
    ("comms", "communication"),
    ("equipment", "equipment"),
    ("equip", "equipment"),
    ("import", "import"),
    ("export", "export"),
    ("logistics", "logistics"),
    ("global", "global"),
    ("shipping", "shipping"),
    ("university", "university"),
    ("univ", "university"),
    ("national", "national"),
    ("natl", "national"),
    ("computer", "computer"),
    ("computing", "computing"),
    ("intelligent", "intelligent"),
    ("intelligence", "intelligence"),
    ("semiconductor", "semiconductor"),
    ("semiconductors", "semiconductor"),
    ("semi", "semiconductor"),
    ("microelectronics", "microelectronics"),
    ("digital", "digital"),
    ("data", "data"),
    ("smart", "smart"),
    ("new", "new"),
    ("high", "high"),
    ("energy", "energy"),
    ("material", "material"),
    ("materials", "material"),
    ("solutions", "solution"),
    ("solution", "solution"),
    ("precision", "precision"),
    ("machinery", "machinery"),
    ("factory", "factory"),
    ("plant", "plant"),
    ("academy", "academy"),
    ("laboratory", "laboratory"),
    ("lab", "laboratory"),
    ("labs", "laboratory"),
    ("general", "general"),
    ("import-export", "import"),
    ("supply", "supply"),
    ("supplies", "supply"),
    ("aviation", "aviation"),
    ("aerospace", "aerospace"),
    ("defense", "defense"),
    ("defence", "defense"),
    ("scientific", "science"),
    ("commerce", "commerce"),
    ("commercial", "commerce"),
    ("bureau", "bureau"),
    ("branch", "branch"),
    ("office", "office"),
    ("subsidiary", "subsidiary"),
    ("no", "no"),
];

/// Places that appear in listed names as qualifiers (`Beijing`, `(Shenzhen)`,
/// `, Chengdu, Sichuan`). Only the ones seen in Entity List names; a place
/// not here is read as a distinctive word, which fails safe (it must align).
const PLACES: &[&str] = &[
    "beijing",
    "shanghai",
    "shenzhen",
    "guangzhou",
    "tianjin",
    "chengdu",
    "wuhan",
    "hangzhou",
    "nanjing",
    "xian",
    "chongqing",
    "hefei",
    "suzhou",
    "wuxi",
    "jinan",
    "zhengzhou",
    "changsha",
    "dongguan",
    "xiamen",
    "harbin",
    "dalian",
    "qingdao",
    "shenyang",
    "kunming",
    "changchun",
    "nanchang",
    "fuzhou",
    "ningbo",
    "zhuhai",
    "foshan",
    "mianyang",
    "sichuan",
    "guangdong",
    "jiangsu",
    "zhejiang",
    "hubei",
    "hunan",
    "shandong",
    "anhui",
    "fujian",
    "hebei",
    "henan",
    "shaanxi",
    "shanxi",
    "liaoning",
    "jilin",
    "heilongjiang",
    "yunnan",
    "guizhou",
    "guangxi",
    "jiangxi",
    "hainan",
    "gansu",
    "xinjiang",
    "tibet",
    "hongkong",
    "hong",
    "kong",
    "macau",
    "macao",
    "taiwan",
    "china",
    "chinese",
    "prc",
    "moscow",
    "petersburg",
    "russia",
    "russian",
    "dubai",
    "sharjah",
    "abu",
    "dhabi",
    "uae",
    "emirates",
    "tehran",
    "iran",
    "karachi",
    "lahore",
    "islamabad",
    "pakistan",
    "istanbul",
    "ankara",
    "turkey",
    "turkiye",
    "minsk",
    "belarus",
    "singapore",
    "malaysia",
    "kuala",
    "lumpur",
    "yerevan",
    "armenia",
    "tashkent",
    "almaty",
    "kazakhstan",
    "kyrgyzstan",
    "bishkek",
    "asia",
    "pacific",
    "europe",
    "america",
];

const STOPWORDS: &[&str] = &["the", "of", "and", "for"];

/// Folds accented Latin letters to their base letters (é -> e, ß -> ss,
/// Ł -> l); other characters are left as they are.
fn fold_accents(c: char) -> &'static str {
    if c.is_ascii() {
        return "";
    }
    const TABLE: &[(&str, &str)] = &[
        ("àáâãäåāăą", "a"),
        ("çćĉċč", "c"),
        ("ďđ", "d"),
        ("èéêëēĕėęě", "e"),
        ("ĝğġģ", "g"),
        ("ĥħ", "h"),
        ("ìíîïĩīĭįı", "i"),
        ("ĵ", "j"),
        ("ķ", "k"),
        ("ĺļľŀł", "l"),
        ("ñńņňŉ", "n"),
        ("òóôõöøōŏő", "o"),
        ("ŕŗř", "r"),
        ("śŝşšș", "s"),
        ("ţťŧț", "t"),
        ("ùúûüũūŭůűų", "u"),
        ("ŵ", "w"),
        ("ýÿŷ", "y"),
        ("źżž", "z"),
        ("ß", "ss"),
        ("æ", "ae"),
        ("œ", "oe"),
        ("þ", "th"),
        ("ð", "d"),
    ];
    TABLE
        .iter()
        .find(|(from, _)| from.contains(c))
        .map(|(_, to)| *to)
        .unwrap_or("")
}

/// Is `c` a Han (CJK) character? A run of them is one word, compared as
/// written (no automatic pinyin: it is lossy).
fn is_han(c: char) -> bool {
    matches!(c as u32, 0x3400..=0x4DBF | 0x4E00..=0x9FFF | 0xF900..=0xFAFF | 0x20000..=0x2FA1F)
}

/// Step 1: the name as lowercase words of letters and digits.
fn raw_words(name: &str) -> Vec<String> {
    // `?s` is how the CSL writes `'s` (`Academy?s`).
    let repaired = name.replace("?s ", "s ").replace('&', " and ");
    let mut text = String::with_capacity(repaired.len());
    let mut previous_han = false;
    for c in repaired.chars().flat_map(char::to_lowercase) {
        let han = is_han(c);
        if han != previous_han {
            text.push(' ');
        }
        previous_han = han;
        let folded = fold_accents(c);
        if !folded.is_empty() {
            text.push_str(folded);
        } else if c == '\'' || c == '’' || c == '`' {
            // `Xi'an` is `xian`, `Academy's` is `academys`.
        } else if c.is_alphanumeric() {
            text.push(c);
        } else {
            text.push(' ');
        }
    }
    text.split_whitespace().map(fold_word).collect()
}

/// One word through `library::fold` (Han runs kept as they are).
fn fold_word(word: &str) -> String {
    if word.chars().any(is_han) {
        word.to_string()
    } else {
        fold(word)
    }
}

/// Step 2: runs of single letters are one word (`l l c`), marked as
/// initials (a lone `I.` too).
fn join_initials(words: Vec<String>) -> Vec<(String, bool)> {
    let mut out: Vec<(String, bool)> = Vec::new();
    let mut run = String::new();
    let single = |w: &str| w.chars().count() == 1 && w.chars().all(char::is_alphabetic);
    for w in words {
        if single(&w) {
            run.push_str(&w);
            continue;
        }
        if !run.is_empty() {
            out.push((std::mem::take(&mut run), true));
        }
        out.push((w, false));
    }
    if !run.is_empty() {
        out.push((run, true));
    }
    out
}

/// Number words, cardinal and ordinal, with their values.
const NUMBER_WORDS: [(&str, &str, u32); 28] = [
    ("one", "first", 1),
    ("two", "second", 2),
    ("three", "third", 3),
    ("four", "fourth", 4),
    ("five", "fifth", 5),
    ("six", "sixth", 6),
    ("seven", "seventh", 7),
    ("eight", "eighth", 8),
    ("nine", "ninth", 9),
    ("ten", "tenth", 10),
    ("eleven", "eleventh", 11),
    ("twelve", "twelfth", 12),
    ("thirteen", "thirteenth", 13),
    ("fourteen", "fourteenth", 14),
    ("fifteen", "fifteenth", 15),
    ("sixteen", "sixteenth", 16),
    ("seventeen", "seventeenth", 17),
    ("eighteen", "eighteenth", 18),
    ("nineteen", "nineteenth", 19),
    ("twenty", "twentieth", 20),
    ("thirty", "thirtieth", 30),
    ("forty", "fortieth", 40),
    ("fifty", "fiftieth", 50),
    ("sixty", "sixtieth", 60),
    ("seventy", "seventieth", 70),
    ("eighty", "eightieth", 80),
    ("ninety", "ninetieth", 90),
    ("hundred", "hundredth", 100),
];

/// A Roman numeral up to 100 in its one proper spelling (`xiii`, `xix`).
/// Two letters only for `ii` and `ix`: `li` and `xi` are surnames, `iv` is
/// how people shorten Ivan, `xl` is a size.
fn roman(word: &str) -> Option<u32> {
    let short_ok = matches!(word, "ii" | "ix");
    if word.len() < 3 && !short_ok {
        return None;
    }
    let value = |c: char| match c {
        'i' => Some(1u32),
        'v' => Some(5),
        'x' => Some(10),
        'l' => Some(50),
        'c' => Some(100),
        _ => None,
    };
    let digits: Vec<u32> = word.chars().map(value).collect::<Option<_>>()?;
    // A letter before a larger one is taken from it (`ix` is 10 - 1): the
    // pairs are added, each once.
    let mut total: u32 = 0;
    let mut rest = digits.as_slice();
    while let Some((&d, after)) = rest.split_first() {
        match after.first() {
            Some(&next) if d < next => {
                total = total.checked_add(next.checked_sub(d)?)?;
                rest = after.get(1..).unwrap_or_default();
            }
            _ => {
                total = total.checked_add(d)?;
                rest = after;
            }
        }
    }
    // Only the proper spelling: `iiii` or `vx` is a word, not a number.
    (1..=100).contains(&total).then_some(())?;
    (roman_spelling(total) == word).then_some(total)
}

/// The proper Roman spelling of 1..=100.
fn roman_spelling(mut n: u32) -> String {
    const PARTS: [(u32, &str); 9] = [
        (100, "c"),
        (90, "xc"),
        (50, "l"),
        (40, "xl"),
        (10, "x"),
        (9, "ix"),
        (5, "v"),
        (4, "iv"),
        (1, "i"),
    ];
    let mut out = String::new();
    for (value, letters) in PARTS {
        while n >= value {
            out.push_str(letters);
            n = n.saturating_sub(value);
        }
    }
    out
}

/// The number a word writes, and whether it is a number *word* (which may
/// join the next: `twenty third`): digits with an ordinal ending (`13th`),
/// a number word (`thirteenth`, `thirteen`), a Roman numeral (`xiii`).
fn number_in(word: &str) -> Option<(String, Option<u32>)> {
    let digits = |w: &str| !w.is_empty() && w.bytes().all(|b| b.is_ascii_digit());
    if let Some(n) = ["st", "nd", "rd", "th"]
        .iter()
        .find_map(|suffix| word.strip_suffix(suffix).filter(|n| digits(n)))
    {
        return Some((n.to_string(), None));
    }
    if let Some((_, _, n)) = NUMBER_WORDS
        .iter()
        .find(|(cardinal, ordinal, _)| *cardinal == word || *ordinal == word)
    {
        return Some((n.to_string(), Some(*n)));
    }
    roman(word).map(|n| (n.to_string(), None))
}

/// Step 3: numbers written as words, ordinals or Roman numerals read as
/// their digits (`Thirteenth`, `13th`, `XIII` are `13`; `twenty third` is
/// `23`), and the word that says a number follows left out (`No. 13`), so
/// that `CETC 13th`, `CETC No. 13`, `CETC Thirteenth` and `CETC 13` are
/// one name.
fn plain_numbers(words: Vec<(String, bool)>, normalised: &mut Vec<String>) -> Vec<(String, bool)> {
    let mut read: Vec<(String, bool, Option<u32>)> = Vec::with_capacity(words.len());
    for (word, initials) in words {
        // Initials (`I.`, `V.`) are letters, not numerals.
        match number_in(&word).filter(|_| !initials) {
            Some((number, as_word)) => {
                // Tens then units, each a word: one number.
                if let (Some(units @ 1..=9), Some(last)) = (as_word, read.last_mut()) {
                    // Number words for 20 to 90 are whole tens.
                    if let Some(tens @ 20..=90) = last.2 {
                        let sum = tens.saturating_add(units);
                        normalised.push(format!("`{tens} {word}` read as `{sum}`"));
                        last.0 = sum.to_string();
                        last.2 = None;
                        continue;
                    }
                }
                if number != word {
                    normalised.push(format!("`{word}` read as `{number}`"));
                }
                read.push((number, false, as_word));
            }
            None => read.push((word, initials, None)),
        }
    }
    let mut out: Vec<(String, bool)> = Vec::with_capacity(read.len());
    let mut read = read.into_iter().peekable();
    while let Some((word, initials, _)) = read.next() {
        let next_is_number = read
            .peek()
            .is_some_and(|(w, ..)| w.starts_with(|c: char| c.is_ascii_digit()));
        if matches!(word.as_str(), "no" | "nr" | "number") && next_is_number {
            normalised.push(format!("`{word}` before a number left out"));
            continue;
        }
        out.push((word, initials));
    }
    out
}

/// A legal-form table with each form split into words, once.
type Forms = Vec<(Vec<&'static str>, &'static str)>;

fn split_forms(table: &'static [(&'static str, &'static str)]) -> Forms {
    table
        .iter()
        .map(|(written, canon)| (written.split(' ').collect(), *canon))
        .collect()
}

/// The legal form starting at `words[at]`, if any: (words used, canonical).
fn legal_form_at(words: &[String], at: usize, edge: bool) -> Option<(usize, &'static str)> {
    static ANYWHERE: std::sync::OnceLock<Forms> = std::sync::OnceLock::new();
    static AT_EDGE: std::sync::OnceLock<Forms> = std::sync::OnceLock::new();
    let anywhere = ANYWHERE.get_or_init(|| split_forms(LEGAL_FORMS));
    let at_edge = AT_EDGE.get_or_init(|| split_forms(EDGE_ONLY_FORMS));
    let tables: &[&Forms] = if edge {
        &[anywhere, at_edge]
    } else {
        &[anywhere]
    };
    for table in tables {
        for (parts, canon) in table.iter() {
            let end = at.checked_add(parts.len())?;
            let Some(slice) = words.get(at..end) else {
                continue;
            };
            if slice.iter().zip(parts.iter()).all(|(w, p)| w == p) {
                return Some((parts.len(), canon));
            }
        }
    }
    None
}

/// A transliteration skeleton of a word: spellings of one sound in the
/// common romanisations made one (`kh` = `h`, `ks` = `x`, `iy`/`ii`/`yy` =
/// `y`, `w` = `v`, `ph` = `f`, `c`/`q`/`ck` = `k`), doubled letters once.
pub fn skeleton(word: &str) -> String {
    const SOUNDS: &[(&str, &str)] = &[
        ("shch", "sh"),
        ("sch", "sh"),
        ("kh", "h"),
        ("ks", "x"),
        ("iy", "y"),
        ("ii", "y"),
        ("yy", "y"),
        ("ij", "y"),
        ("ph", "f"),
        ("ck", "k"),
        ("w", "v"),
        ("q", "k"),
        ("c", "k"),
    ];
    let mut s = word.to_string();
    for (from, to) in SOUNDS {
        s = s.replace(from, to);
    }
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        if !out.ends_with(c) {
            out.push(c);
        }
    }
    out
}

fn tag(text: String, initials: bool) -> Word {
    let common = COMMON_WORDS.iter().find(|(w, _)| *w == text);
    let (kind, canon) = if text.chars().any(|c| c.is_ascii_digit()) {
        (Kind::Number, text.clone())
    } else if let Some((_, canon)) = common {
        (Kind::Common, canon.to_string())
    } else if PLACES.contains(&text.as_str()) {
        (Kind::Place, text.clone())
    } else {
        (Kind::Distinctive, text.clone())
    };
    Word {
        skeleton: skeleton(&canon),
        canon,
        text,
        kind,
        initials,
        cut: false,
    }
}

/// The words a name writes with a point after them (`Nord. Circ.`), folded.
fn written_cut(name: &str) -> Vec<String> {
    name.split(|c: char| !(c.is_alphanumeric() || c == '.'))
        .filter_map(|token| token.strip_suffix('.'))
        .filter_map(|token| token.rsplit('.').next())
        .filter(|word| !word.is_empty())
        .map(fold_word)
        .collect()
}

/// Reads a party name (see the module documentation for the steps).
pub fn party_name(name: &str) -> PartyName {
    let mut normalised = Vec::new();
    let (words, initials): (Vec<String>, Vec<bool>) =
        plain_numbers(join_initials(raw_words(name)), &mut normalised)
            .into_iter()
            .unzip();
    let mut out: Vec<Word> = Vec::new();
    let mut at = 0;
    while at < words.len() {
        let end = |(n, _): (usize, &str)| at.saturating_add(n);
        let edge = at == 0 || legal_form_at(&words, at, true).map(end) == Some(words.len());
        if let Some((used, canon)) = legal_form_at(&words, at, edge) {
            let written = words[at..at.saturating_add(used)].join(" ");
            if written != canon {
                normalised.push(format!("legal form `{written}` read as `{canon}`"));
            }
            out.push(Word {
                text: canon.to_string(),
                canon: canon.to_string(),
                skeleton: canon.replace(' ', ""),
                kind: Kind::LegalForm,
                initials: false,
                cut: false,
            });
            at = at.saturating_add(used);
            continue;
        }
        let w = &words[at];
        let initial = initials.get(at).copied().unwrap_or(false);
        at = at.saturating_add(1);
        if STOPWORDS.contains(&w.as_str()) {
            continue;
        }
        out.push(tag(w.clone(), initial));
    }
    let cut = written_cut(name);
    for w in &mut out {
        w.cut = cut.contains(&w.text);
    }
    // A name that is only a legal form (`Company`) keeps it as its word.
    if out.iter().all(|w| w.kind == Kind::LegalForm) {
        for w in &mut out {
            w.kind = Kind::Common;
        }
    }
    let key = out
        .iter()
        .map(|w| match w.kind {
            Kind::LegalForm => format!("|{}|", w.canon),
            _ => w.text.clone(),
        })
        .collect::<String>();
    PartyName {
        words: out,
        key,
        normalised,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn key(n: &str) -> String {
        party_name(n).key
    }

    #[test]
    fn legal_forms_spacing_case_and_accents_do_not_change_the_key() {
        assert_eq!(
            key("Huawei Technologies Co., Ltd."),
            key("HUAWEI TECHNOLOGIES COMPANY LIMITED")
        );
        assert_eq!(key("Zhongke Shuguang"), key("Zhong Ke Shu-Guang"));
        assert_eq!(key("Société Générale S.A."), key("Societe Generale SA"));
        assert_eq!(key("Acme L.L.C."), key("ACME LLC"));
        assert_eq!(key("AO Kronshtadt"), key("JSC Kronshtadt"));
        assert_ne!(
            key("Huawei Technologies"),
            key("Huawei Technologies Co., Ltd.")
        );
        assert_ne!(key("Huawei Tech"), key("Huawei Technologies"));
    }

    #[test]
    fn words_are_tagged() {
        let n = party_name("Beijing Biren Technology Development Company Limited");
        let kinds: Vec<Kind> = n.words.iter().map(|w| w.kind).collect();
        assert_eq!(
            kinds,
            [
                Kind::Place,
                Kind::Distinctive,
                Kind::Common,
                Kind::Common,
                Kind::LegalForm
            ]
        );
        assert!(n.normalised[0].contains("co ltd"));
        assert!(!party_name("Technology Development Group Co").is_distinctive());
        assert_eq!(party_name("Intl Tech Grp").words[1].canon, "technology");
        // An ordinal is its number, and `No.` before a number says nothing.
        assert_eq!(party_name("The 13th Institute").words[0].text, "13");
        assert_eq!(party_name("The 13th Institute").words[0].kind, Kind::Number);
        assert_eq!(
            party_name("Institute No. 13").key,
            party_name("Institute 13th").key
        );
        assert_eq!(party_name("Unit No 7").words.len(), 2);
        assert_eq!(party_name("The Fourth Institute").words[0].text, "4");
        assert_eq!(party_name("Twenty-Third Bureau").words[0].text, "23");
        assert_eq!(party_name("Institute XIII").words[1].text, "13");
        assert_eq!(party_name("Institute IX").words[1].text, "9");
        assert_eq!(party_name("Institute XIX").words[1].text, "19");
        assert_eq!(party_name("Institute XLIV").words[1].text, "44");
        assert_eq!(party_name("Institute XCIX").words[1].text, "99");
        assert_eq!(party_name("Iv. Petrov").words[0].text, "iv");
        assert_eq!(party_name("Fund II").words[1].text, "2");
        // Surnames that are Roman numerals, and initials, stay letters.
        assert_eq!(party_name("Li Xi Mix").words[0].text, "li");
        assert_eq!(party_name("Li Xi Mix").words[1].text, "xi");
        assert_eq!(party_name("Li Xi Mix").words[2].text, "mix");
        assert_eq!(party_name("V. Petrov").words[0].text, "v");
        // A word written with a point after it may be cut short.
        let n = party_name("Nord. Circ. Trading FZE");
        assert!(n.words[0].cut && n.words[1].cut && !n.words[2].cut);
        assert!(!party_name("Nordic Circuits").words[0].cut);
    }

    #[test]
    fn edge_only_forms_stay_words_inside_a_name() {
        let n = party_name("Holdings Sa Ag Trading AG");
        assert_eq!(n.words[1].kind, Kind::Distinctive);
        assert_eq!(n.words.last().map(|w| w.kind), Some(Kind::LegalForm));
    }

    #[test]
    fn skeletons_join_transliterations() {
        assert_eq!(skeleton("zhukovskiy"), skeleton("zhukovsky"));
        assert_eq!(skeleton("mikhail"), skeleton("mihail"));
        assert_eq!(skeleton("aleksandr"), skeleton("alexandr"));
    }
}
