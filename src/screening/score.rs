//! How near a query is to one listed name: its words aligned with the
//! listed words in any order, each listed word used once, and a score that
//! says how much of the query the listed name accounts for.
//!
//! score = Σ weight(query word) × similarity / (Σ weight(query word) +
//! EXTRA_LISTED × Σ weight(listed words left over))
//!
//! Extra words in the query cost in full (the query is the party's name as
//! the shipper wrote it); extra words in the list cost a little (listed
//! names carry places and legal forms the query may leave out).

use super::index::edit_budget;
use super::normalise::{Kind, PartyName, Word};

/// The score at or above which a near miss is a `possible_match`.
pub const POSSIBLE_MATCH_THRESHOLD: f64 = 0.70;

/// What a listed word left over costs, relative to its weight.
const EXTRA_LISTED: f64 = 0.3;

/// The least share of the listed name's distinctive words the query must
/// hold for a near miss.
const DISTINCTIVE_SHARE: f64 = 0.5;

/// A query word and the listed word it was aligned with.
#[derive(Clone, Debug)]
pub struct Pair {
    pub query: String,
    pub listed: String,
    pub kind: Kind,
    pub similarity: f64,
    /// `equal`, `abbreviation`, `transliteration`, `typo`, `spacing`.
    pub how: &'static str,
}

/// A query aligned with one listed name.
#[derive(Clone, Debug)]
pub struct Alignment {
    pub pairs: Vec<Pair>,
    /// Query words no listed word accounts for.
    pub extra_query: Vec<(String, Kind)>,
    /// Listed words the query leaves out.
    pub extra_listed: Vec<(String, Kind)>,
    pub score: f64,
}

impl Alignment {
    /// The alignment in words: `biren=biren; tech≈technology
    /// (abbreviation); listed only: beijing (place)`.
    pub fn explain(&self) -> String {
        let mut parts: Vec<String> = self
            .pairs
            .iter()
            .map(|p| match p.how {
                "equal" => format!("{}={}", p.query, p.listed),
                how => format!("{}≈{} ({how})", p.query, p.listed),
            })
            .collect();
        if !self.extra_query.is_empty() {
            let extra: Vec<&str> = self.extra_query.iter().map(|(w, _)| w.as_str()).collect();
            parts.push(format!("not in the listed name: {}", extra.join(", ")));
        }
        if !self.extra_listed.is_empty() {
            let listed: Vec<String> = self
                .extra_listed
                .iter()
                .map(|(w, k)| format!("{w} ({})", k.name()))
                .collect();
            parts.push(format!("listed only: {}", listed.join(", ")));
        }
        parts.join("; ")
    }

    /// Is it near enough, and for the right reasons, to be a possible match?
    pub fn is_near(&self, listed: &PartyName) -> bool {
        let distinctive = |k: Kind| matches!(k, Kind::Distinctive | Kind::Number);
        let held: f64 = self
            .pairs
            .iter()
            .filter(|p| distinctive(p.kind))
            .map(|p| p.similarity)
            .sum();
        let wanted = listed.words.iter().filter(|w| distinctive(w.kind)).count() as f64;
        let numbers_differ = self.extra_listed.iter().any(|(_, k)| *k == Kind::Number)
            && self.extra_query.iter().any(|(_, k)| *k == Kind::Number);
        let enough = if wanted > 0.0 {
            held > 0.0 && held >= DISTINCTIVE_SHARE * wanted
        } else {
            // A listed name of common words only (`Semiconductor Manufacturing
            // International Corporation`): every one of them, and two at least.
            self.pairs.len() >= 2 && self.extra_listed.iter().all(|(_, k)| *k == Kind::LegalForm)
        };
        enough
            && !numbers_differ
            && (self.score >= POSSIBLE_MATCH_THRESHOLD || self.holds_whole(listed))
    }

    /// Whether the query holds the whole listed name (every word but its
    /// legal form and places, a distinctive one among them) and more: a
    /// branch or a unit of the listed party (`Huawei Technologies Co., Ltd.
    /// Dubai Branch`), or its name with words added, is not cleared by
    /// the words added. Extra words otherwise cost in full.
    pub fn holds_whole(&self, listed: &PartyName) -> bool {
        let held = |k: Kind| matches!(k, Kind::LegalForm | Kind::Place);
        !self.extra_query.is_empty()
            && self.extra_listed.iter().all(|(_, k)| held(*k))
            // One typo a word (0.85) still holds the word.
            && self.pairs.iter().all(|p| p.similarity >= 0.85)
            && self.pairs.iter().any(|p| p.kind == Kind::Distinctive)
            && listed.words.iter().any(|w| w.kind == Kind::Distinctive)
    }
}

/// How alike two words are, and why; `None` when they are not the same word.
fn similarity(q: &Word, l: &Word) -> Option<(f64, &'static str)> {
    let number = |w: &Word| w.kind == Kind::Number;
    if q.text == l.text {
        return Some((1.0, "equal"));
    }
    if number(q) || number(l) {
        return None;
    }
    // An initial stands for a word that begins with it (`I.` for
    // `Ivanovich`): a middle initial added to a listed person's name had
    // made the name no match at all.
    let initial_of = |i: &Word, w: &Word| {
        i.initials
            && i.text.chars().count() == 1
            && w.text.chars().count() > 1
            && w.kind != Kind::LegalForm
            && w.text.starts_with(&i.text)
    };
    if initial_of(q, l) || initial_of(l, q) {
        return Some((0.8, "initial"));
    }
    if q.canon == l.canon {
        return Some((0.95, "abbreviation"));
    }
    if q.kind == Kind::LegalForm && l.kind == Kind::LegalForm {
        // `Co` and `Co., Ltd.`: one form the shorter part of the other.
        let within = |a: &str, b: &str| b.split(' ').any(|w| w == a);
        return (within(&q.canon, &l.canon) || within(&l.canon, &q.canon))
            .then_some((0.9, "legal form"));
    }
    if q.kind == Kind::LegalForm || l.kind == Kind::LegalForm {
        return None;
    }
    if q.skeleton == l.skeleton {
        return Some((0.9, "transliteration"));
    }
    // Lengths further apart than the budget cannot be within it: skip the
    // edit distance, the costly part of screening.
    let near = |a: &str, b: &str, most: usize| -> Option<usize> {
        let budget = edit_budget(a.len().min(b.len())).min(most);
        if budget == 0 || a.len().abs_diff(b.len()) > budget {
            return None;
        }
        Some(strsim::damerau_levenshtein(a, b)).filter(|d| *d <= budget)
    };
    match near(&q.text, &l.text, 2) {
        Some(1) => return Some((0.85, "typo")),
        Some(2) => return Some((0.75, "typo")),
        _ => {}
    }
    if near(&q.skeleton, &l.skeleton, 1).is_some() {
        return Some((0.8, "transliteration"));
    }
    // A word cut short (`Circ.` for `Circuits`, `Aleks.` for `Aleksandr`):
    // two letters or more that begin a longer word, on either side.
    let shortened = |a: &Word, b: &Word| {
        a.text.chars().count() >= 2 && b.text.len() > a.text.len() && b.text.starts_with(&a.text)
    };
    (shortened(q, l) || shortened(l, q)).then_some((0.75, "shortened"))
}

/// Words of `a` run together where two of them make one word of `b`
/// (`zhong ke` -> `zhongke` when `b` has `zhongke`); `None` when none do.
fn join_spaced(a: &[Word], b: &[Word]) -> Option<Vec<Word>> {
    let joinable = a.windows(2).any(|p| {
        let long = p[0].text.len().saturating_add(p[1].text.len());
        b.iter().any(|w| {
            w.text.len() == long && w.text.starts_with(&p[0].text) && w.text.ends_with(&p[1].text)
        })
    });
    if !joinable {
        return None;
    }
    let mut out: Vec<Word> = Vec::new();
    let mut i = 0;
    while i < a.len() {
        if let (Some(x), Some(y)) = (a.get(i), a.get(i.saturating_add(1))) {
            let joined = format!("{}{}", x.text, y.text);
            if x.kind != Kind::LegalForm
                && y.kind != Kind::LegalForm
                && b.iter().any(|w| w.text == joined)
            {
                out.push(Word {
                    skeleton: super::normalise::skeleton(&joined),
                    canon: joined.clone(),
                    text: joined,
                    kind: Kind::Distinctive,
                    initials: false,
                    cut: false,
                });
                i = i.saturating_add(2);
                continue;
            }
        }
        out.push(a[i].clone());
        i = i.saturating_add(1);
    }
    Some(out)
}

/// A run of initials (`ai` from `A. I.`) as one word a letter, where the
/// other name has no word written as the run; `None` when there is none.
fn initials_apart(words: &[Word], other: &[Word]) -> Option<Vec<Word>> {
    let apart = |w: &Word| {
        w.initials && w.text.chars().count() > 1 && !other.iter().any(|o| o.text == w.text)
    };
    if !words.iter().any(apart) {
        return None;
    }
    let mut out = Vec::with_capacity(words.len().saturating_add(2));
    for w in words {
        if !apart(w) {
            out.push(w.clone());
            continue;
        }
        out.extend(w.text.chars().map(|c| Word {
            text: c.to_string(),
            canon: c.to_string(),
            skeleton: c.to_string(),
            kind: Kind::Distinctive,
            initials: true,
            cut: false,
        }));
    }
    Some(out)
}

/// Aligns a query with a listed name.
pub fn align(query: &PartyName, listed: &PartyName) -> Alignment {
    let q_apart = initials_apart(&query.words, &listed.words);
    let q_words: &[Word] = q_apart.as_deref().unwrap_or(&query.words);
    let l_apart = initials_apart(&listed.words, q_words);
    let l_words: &[Word] = l_apart.as_deref().unwrap_or(&listed.words);
    let q_joined = join_spaced(q_words, l_words);
    let q_words: &[Word] = q_joined.as_deref().unwrap_or(q_words);
    let l_joined = join_spaced(l_words, q_words);
    let l_words: &[Word] = l_joined.as_deref().unwrap_or(l_words);
    let mut used = vec![false; l_words.len()];
    let mut order: Vec<&Word> = q_words.iter().collect();
    // Initials last: a whole word takes the listed word it equals first.
    order.sort_by(|a, b| {
        b.kind
            .weight()
            .total_cmp(&a.kind.weight())
            .then(a.initials.cmp(&b.initials))
    });
    let mut pairs = Vec::new();
    let mut extra_query = Vec::new();
    let (mut matched, mut total) = (0.0, 0.0);
    for q in order {
        total += q.kind.weight();
        let best = l_words
            .iter()
            .enumerate()
            .filter(|(i, _)| !used.get(*i).copied().unwrap_or(true))
            .filter_map(|(i, l)| similarity(q, l).map(|s| (i, l, s)))
            .max_by(|a, b| a.2 .0.total_cmp(&b.2 .0));
        match best {
            Some((i, l, (sim, how))) => {
                if let Some(u) = used.get_mut(i) {
                    *u = true;
                }
                matched += q.kind.weight() * sim;
                let how = if how == "equal" && (q.text != l.text) {
                    "spacing"
                } else {
                    how
                };
                pairs.push(Pair {
                    query: q.text.clone(),
                    listed: l.text.clone(),
                    kind: l.kind.min(q.kind),
                    similarity: sim,
                    how,
                });
            }
            None => extra_query.push((q.text.clone(), q.kind)),
        }
    }
    let extra_listed: Vec<(String, Kind)> = l_words
        .iter()
        .zip(&used)
        .filter(|(_, u)| !**u)
        .map(|(w, _)| (w.text.clone(), w.kind))
        .collect();
    let left: f64 = extra_listed.iter().map(|(_, k)| k.weight()).sum();
    let denominator = total + EXTRA_LISTED * left;
    let score = if denominator > 0.0 {
        matched / denominator
    } else {
        0.0
    };
    Alignment {
        pairs,
        extra_query,
        extra_listed,
        score,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::screening::normalise::party_name;

    /// Initials stand for the listed words they begin, on either side; an
    /// ordinal is its number. Neither makes a near miss of another name.
    #[test]
    fn initials_and_ordinals_are_read_as_written_elsewhere() {
        let person = "PETROV, Aleksandr Ivanovich";
        for q in [
            "Aleksandr I. Petrov",
            "A. I. Petrov",
            "Petrov A.I.",
            "A. Petrov",
            "Aleks. I. Petrov",
            "Al. Iv. Petrov",
            "Alek I Petrov",
        ] {
            assert!(near(q, person).0, "{q}: {:?}", near(q, person));
        }
        assert!(near("Aleksandr Ivanovich Petrov", "PETROV, A. I.").0);
        for q in ["B. I. Petrov", "Aleksandr I. Ivanov", "Ivan Sidorov"] {
            assert!(!near(q, person).0, "{q}: {:?}", near(q, person));
        }
        let institute = "China Electronics Technology Group Corporation 13th Research Institute";
        for q in [
            "China Electronics Technology Group Corp. No. 13 Research Institute",
            "China Electronics Technology Group Corporation 13 Research Institute",
        ] {
            assert!(near(q, institute).0, "{q}: {:?}", near(q, institute));
        }
        assert!(
            !near(
                "China Electronics Technology Group 14th Research Institute",
                institute
            )
            .0
        );
        for q in [
            "China Electronics Technology Group Corporation Thirteenth Research Institute",
            "China Electronics Technology Group XIII Research Institute",
        ] {
            assert!(near(q, institute).0, "{q}: {:?}", near(q, institute));
        }
        // The alias, written out.
        assert!(near("CETC Thirteenth Research Institute", "CETC 13").0);
        // Words cut short.
        assert!(near("Nordic Circ. Trading FZE", "Nordic Circuits Trading FZE").0);
        assert!(near("Zhukovskiy Av. Plant", "Zhukovskiy Aviation Plant").0);
    }

    fn near(q: &str, l: &str) -> (bool, f64) {
        let listed = party_name(l);
        let a = align(&party_name(q), &listed);
        (a.is_near(&listed), a.score)
    }

    /// The whole listed name in a longer query is near, however many words
    /// are added; a query holding only some of its words is not.
    #[test]
    fn a_query_holding_the_whole_listed_name_is_near() {
        let listed = "Huawei Technologies Co., Ltd.";
        for q in [
            "Huawei Technologies Co., Ltd. Dubai Branch",
            "Huawei Cloud Computing Technologies Co., Ltd.",
            "Huawei Technologies Regional Procurement Centre Middle East",
        ] {
            let (is_near, score) = near(q, listed);
            assert!(is_near, "{q}: {score}");
        }
        for q in ["Huawei Consulting Ltd", "Technologies Co., Ltd. Dubai"] {
            assert!(!near(q, listed).0, "{q}: {:?}", near(q, listed));
        }
    }

    #[test]
    fn variants_are_near_and_decoys_are_not() {
        let listed = "Beijing Biren Technology Development Co., Ltd.";
        for q in [
            "Biren Technology",
            "Beijing Biren Tech Development Co Ltd",
            "Beijing Birren Technology Development",
            "Biren Technology Development (Beijing)",
            "Beijing Baren Technology",
        ] {
            assert!(near(q, listed).0, "{q}: {:?}", near(q, listed));
        }
        for q in [
            "Beijing Technology Development Co., Ltd.",
            "Biren Consulting Services GmbH",
            "Beijing Barun Technology",
        ] {
            assert!(!near(q, listed).0, "{q}: {:?}", near(q, listed));
        }
        assert!(!near("CETC 14th Institute", "CETC 13th Institute").0);
        assert!(!near("Institute 14", "Institute 13").0);
        assert!(!near("CETC 14 Institute", "CETC 13th Institute").0);
        assert!(
            near(
                "Haige Guangzhou Comm Grp",
                "Guangzhou Haige Communications Group Co., Ltd."
            )
            .0
        );
    }
}
