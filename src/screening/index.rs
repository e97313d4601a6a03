//! The list, indexed: every listed name and alias normalised once; a map
//! from a `match` key to the names that have it; postings from each
//! distinctive word (as written, canonical, and its transliteration
//! skeleton) to the names that hold it; and a deletion index of those words
//! (every spelling with one or two letters left out), so that a misspelt
//! word finds its listed spelling without comparing it with every word.

use super::normalise::{party_name, skeleton, Kind, PartyName};
use std::collections::HashMap;

/// One listed name or alias.
#[derive(Clone, Debug)]
pub struct IndexedName {
    /// Which entry of which list.
    pub list: usize,
    pub entry: usize,
    /// `None` for the entry's name, else the alias's position.
    pub alias: Option<usize>,
    pub written: String,
    pub name: PartyName,
}

#[derive(Default, Debug)]
pub struct Index {
    pub names: Vec<IndexedName>,
    exact: HashMap<String, Vec<u32>>,
    /// Word (text, canonical, `~skeleton`) -> names holding it.
    postings: HashMap<String, Vec<u32>>,
    /// A distinctive word with letters deleted -> the words it comes from.
    deletions: HashMap<String, Vec<u32>>,
    words: Vec<String>,
    word_ids: HashMap<String, u32>,
    /// Each distinctive word and its name, sorted once when first asked:
    /// the words a query word cut short begins are a range of it.
    distinctive: Vec<(String, u32)>,
    sorted: std::sync::OnceLock<Vec<(String, u32)>>,
}

/// How many letters a word may differ by and still be the same word: none
/// up to 3 letters, one up to 8, two beyond (README, "Screening").
pub fn edit_budget(len: usize) -> usize {
    match len {
        0..=3 => 0,
        4..=8 => 1,
        _ => 2,
    }
}

/// Every spelling of `word` with up to `depth` letters left out (`word`
/// itself included).
fn deletions(word: &str, depth: usize) -> Vec<String> {
    let mut seen: std::collections::HashSet<String> = std::collections::HashSet::new();
    let mut level = vec![word.to_string()];
    seen.insert(word.to_string());
    for _ in 0..depth {
        let mut next = Vec::new();
        for w in &level {
            let chars: Vec<char> = w.chars().collect();
            for i in 0..chars.len() {
                let shorter: String = chars
                    .iter()
                    .enumerate()
                    .filter(|(j, _)| *j != i)
                    .map(|(_, c)| *c)
                    .collect();
                if seen.insert(shorter.clone()) {
                    next.push(shorter);
                }
            }
        }
        level = next;
    }
    seen.into_iter().collect()
}

fn push(map: &mut HashMap<String, Vec<u32>>, key: String, id: u32) {
    let ids = map.entry(key).or_default();
    if ids.last() != Some(&id) {
        ids.push(id);
    }
}

impl Index {
    pub fn add(&mut self, list: usize, entry: usize, alias: Option<usize>, written: &str) {
        let name = party_name(written);
        let Ok(id) = u32::try_from(self.names.len()) else {
            return;
        };
        push(&mut self.exact, name.key.clone(), id);
        let words: Vec<String> = name
            .words
            .iter()
            .filter(|w| matches!(w.kind, Kind::Distinctive | Kind::Number))
            .map(|w| w.text.clone())
            .collect();
        for w in &words {
            self.add_word(w, id);
        }
        // A word cut short (`Kronsht.`, `Circ.`) finds the words it begins.
        for w in name.words.iter().filter(|w| w.kind == Kind::Distinctive) {
            self.distinctive.push((w.text.clone(), id));
        }
        // A listed name of common words only (`Semiconductor Manufacturing
        // International Corporation`) is found by those words.
        if !name.is_distinctive() {
            for w in name.words.iter().filter(|w| w.kind != Kind::LegalForm) {
                self.add_word(&w.text, id);
                push(&mut self.postings, format!("c:{}", w.canon), id);
            }
        }
        // Spacing: `Zhong Ke` in a query finds `Zhongke`, and `Shuguang` finds
        // `Shu Guang`.
        for pair in name.words.windows(2) {
            if pair.iter().any(|w| w.kind == Kind::Distinctive) {
                let joined = format!("{}{}", pair[0].text, pair[1].text);
                push(&mut self.postings, format!("={joined}"), id);
            }
        }
        self.names.push(IndexedName {
            list,
            entry,
            alias,
            written: written.to_string(),
            name,
        });
    }

    /// Indexes a word (with its typo budget) and its transliteration
    /// skeleton (`~` before it, one letter's slack).
    fn add_word(&mut self, word: &str, id: u32) {
        let skeleton = skeleton(word);
        let budget = edit_budget(word.chars().count());
        self.add_spelling(word.to_string(), word, budget, id);
        self.add_spelling(format!("~{skeleton}"), &skeleton, budget.min(1), id);
    }

    fn add_spelling(&mut self, key: String, spelling: &str, depth: usize, id: u32) {
        push(&mut self.postings, key.clone(), id);
        if self.word_ids.contains_key(&key) {
            return;
        }
        let Ok(wid) = u32::try_from(self.words.len()) else {
            return;
        };
        self.words.push(key.clone());
        self.word_ids.insert(key, wid);
        for d in deletions(spelling, depth) {
            push(&mut self.deletions, d, wid);
        }
    }

    /// Names whose key equals the query's.
    pub fn exact(&self, name: &PartyName) -> &[u32] {
        self.exact.get(&name.key).map(Vec::as_slice).unwrap_or(&[])
    }

    /// Names sharing a distinctive word with the query, allowing for typos,
    /// spacing and transliteration.
    pub fn candidates(&self, name: &PartyName) -> Vec<u32> {
        let words: Vec<String> = name
            .words
            .iter()
            .filter(|w| matches!(w.kind, Kind::Distinctive | Kind::Number))
            .map(|w| w.text.clone())
            .collect();
        let mut out: Vec<u32> = Vec::new();
        // Spacing, exactly: a query's `Zhong Ke` finds a listed `Zhongke`,
        // and a query's `Shuguang` a listed `Shu Guang`.
        let pairs = name
            .words
            .windows(2)
            .filter(|p| p.iter().any(|w| w.kind == Kind::Distinctive))
            .map(|p| format!("{}{}", p[0].text, p[1].text));
        let keys = pairs.chain(words.iter().map(|w| format!("={w}")));
        for key in keys {
            out.extend(self.postings.get(&key).into_iter().flatten());
        }
        for w in &words {
            for key in self
                .spellings(w)
                .into_iter()
                .chain(self.spellings(&format!("~{}", skeleton(w))))
            {
                if let Some(ids) = self.postings.get(key) {
                    out.extend(ids);
                }
            }
        }
        // A query word written cut short, four letters or more (`Circ.`,
        // `Kronsht.`), finds the listed words it begins. Only one written
        // with its point: any word begins many others in a long list.
        let sorted = self.sorted.get_or_init(|| {
            let mut all = self.distinctive.clone();
            all.sort_unstable();
            all
        });
        for w in name
            .words
            .iter()
            .filter(|w| w.cut && w.kind == Kind::Distinctive && w.text.chars().count() >= 4)
        {
            let from = sorted.partition_point(|(listed, _)| listed.as_str() < w.text.as_str());
            out.extend(
                sorted
                    .get(from..)
                    .unwrap_or_default()
                    .iter()
                    .take_while(|(listed, _)| listed.starts_with(w.text.as_str()))
                    .map(|(_, id)| *id),
            );
        }
        for w in name.words.iter().filter(|w| w.kind == Kind::Common) {
            if let Some(ids) = self.postings.get(&format!("c:{}", w.canon)) {
                out.extend(ids);
            }
        }
        out.sort_unstable();
        out.dedup();
        out
    }

    /// The index keys of listed spellings within the edit budget of `word`
    /// (a `~skeleton` probe finds skeletons).
    fn spellings(&self, word: &str) -> Vec<&str> {
        let bare = word.trim_start_matches('~');
        let skeletal = word.starts_with('~');
        let budget = edit_budget(bare.chars().count());
        let budget = if skeletal { budget.min(1) } else { budget };
        let mut found: Vec<u32> = Vec::new();
        for p in deletions(bare, budget) {
            for &id in self
                .deletions
                .get(p.as_str())
                .map(Vec::as_slice)
                .unwrap_or(&[])
            {
                let key = &self.words[id as usize];
                if key.starts_with('~') != skeletal {
                    continue;
                }
                let listed = key.trim_start_matches('~');
                // Lengths further apart than the budget cannot be within it.
                if listed.len().abs_diff(bare.len()) > budget || found.contains(&id) {
                    continue;
                }
                let allowed = budget.min(edit_budget(listed.chars().count()));
                if strsim::damerau_levenshtein(bare, listed) <= allowed {
                    found.push(id);
                }
            }
        }
        found
            .iter()
            .map(|&id| self.words[id as usize].as_str())
            .collect()
    }
}
