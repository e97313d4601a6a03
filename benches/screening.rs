//! `cargo bench --bench screening`: screening party names against a
//! generated list in the CSL layout.
//!
//! Generates a 30,000-entry list (names of two to four made-up words plus
//! common words, places and legal forms, half of them with an alias) and
//! 100,000 distinct party names (a quarter are listed names with a typo, a
//! dropped word or a swapped order; the rest are made-up names sharing
//! common words and places with the list). Times reading the list, building
//! the index, and screening every name once (no cache hits). Set
//! `CHIPCHECK_BENCH_ENTRIES` and `CHIPCHECK_BENCH_NAMES` for other sizes.

/// The allocator the chipcheck binary uses, so that in-process figures are
/// the binary's.
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

use chipcheck::screening::{PartyList, Screener, Settings, Status};
use std::time::Instant;

/// A small deterministic generator (xorshift), so every run screens the
/// same names.
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 ^= self.0 << 13;
        self.0 ^= self.0 >> 7;
        self.0 ^= self.0 << 17;
        self.0
    }
    fn below(&mut self, n: usize) -> usize {
        (self.next() % n as u64) as usize
    }
    fn pick<'a>(&mut self, from: &[&'a str]) -> &'a str {
        from[self.below(from.len())]
    }
}

const SYLLABLES: &[&str] = &[
    "ba", "bi", "ren", "zhong", "ke", "shu", "guang", "hai", "ge", "xin", "tai", "long", "feng",
    "hua", "wei", "ro", "sta", "vek", "mir", "kov", "tek", "lan", "dar", "nor", "sol", "vin",
    "pet", "rov", "al", "far", "sa", "mi", "qi", "yun", "tian", "jin", "ming", "zhi", "kai", "da",
];
const COMMON: &[&str] = &[
    "Technology",
    "Development",
    "Group",
    "International",
    "Electronics",
    "Trading",
    "Information",
    "Industry",
    "Semiconductor",
    "Systems",
    "Science",
    "Engineering",
];
const PLACES: &[&str] = &[
    "Beijing", "Shanghai", "Shenzhen", "Moscow", "Dubai", "Tianjin", "",
];
const FORMS: &[&str] = &[
    "Co., Ltd.",
    "LLC",
    "JSC",
    "Corporation",
    "FZE",
    "Limited",
    "",
];

fn word(rng: &mut Rng) -> String {
    let n = 2 + rng.below(2);
    let mut w: String = (0..n).map(|_| rng.pick(SYLLABLES)).collect();
    if let Some(first) = w.get_mut(0..1) {
        first.make_ascii_uppercase();
    }
    w
}

fn name(rng: &mut Rng) -> String {
    let mut parts = vec![rng.pick(PLACES).to_string()];
    for _ in 0..1 + rng.below(2) {
        parts.push(word(rng));
    }
    for _ in 0..rng.below(3) {
        parts.push(rng.pick(COMMON).to_string());
    }
    parts.push(rng.pick(FORMS).to_string());
    parts.retain(|p| !p.is_empty());
    parts.join(" ")
}

/// A listed name changed the way people write names: a typo, a dropped
/// first word, or two words swapped.
fn variant(rng: &mut Rng, listed: &str) -> String {
    let mut words: Vec<String> = listed.split(' ').map(str::to_string).collect();
    match rng.below(3) {
        0 => {
            let i = rng.below(words.len());
            let w = &mut words[i];
            if w.len() > 4 {
                w.insert(2, 'x');
            }
        }
        1 if words.len() > 2 => {
            words.remove(0);
        }
        _ if words.len() > 1 => words.swap(0, 1),
        _ => {}
    }
    words.join(" ")
}

fn csv_list(names: &[String], rng: &mut Rng) -> String {
    let mut out = String::from("_id,source,name,alt_names,addresses,federal_register_notice,start_date,license_requirement,license_policy\n");
    for (i, n) in names.iter().enumerate() {
        let alias = if i % 2 == 0 { word(rng) } else { String::new() };
        out.push_str(&format!(
            "e{i},Entity List (EL) - Bureau of Industry and Security,\"{n}\",\"{alias}\",\"Beijing, CN\",88 FR 71991,2023-10-17,For all items subject to the EAR.,Presumption of denial.\n"
        ));
    }
    out
}

fn size(var: &str, default: usize) -> usize {
    std::env::var(var)
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(default)
}

fn main() {
    // `cargo bench` passes `--bench`; `cargo test --all-targets` runs this
    // binary too, unoptimised and without it: then a small smoke run that
    // the code still works, not a measurement.
    let measuring = std::env::args().any(|a| a == "--bench");
    let entries = size(
        "CHIPCHECK_BENCH_ENTRIES",
        if measuring { 30_000 } else { 300 },
    );
    let queries = size(
        "CHIPCHECK_BENCH_NAMES",
        if measuring { 100_000 } else { 1_000 },
    );
    let mut rng = Rng(0x9E37_79B9_7F4A_7C15);
    let listed: Vec<String> = (0..entries).map(|_| name(&mut rng)).collect();
    let text = csv_list(&listed, &mut rng);
    let mut names: Vec<String> = Vec::with_capacity(queries);
    let mut seen = std::collections::HashSet::new();
    while names.len() < queries {
        let n = if rng.below(4) == 0 {
            let i = rng.below(listed.len());
            variant(&mut rng, &listed[i])
        } else {
            name(&mut rng)
        };
        if seen.insert(n.clone()) {
            names.push(n);
        }
    }
    let date = "2026-12-01".parse().expect("date");
    let start = Instant::now();
    let list = PartyList::parse("bench.csv", text.as_bytes(), Some(date)).expect("list");
    let read = start.elapsed();
    let start = Instant::now();
    let mut screener = Screener::new(
        vec![list],
        Vec::new(),
        Settings {
            date,
            max_age_days: 30,
        },
    );
    let indexed = start.elapsed();
    let start = Instant::now();
    let mut counts = [0usize; 4];
    for n in &names {
        let status = screener.screen(n, None).status;
        counts[status as usize] += 1;
    }
    let screened = start.elapsed();
    let per_second = names.len() as f64 / screened.as_secs_f64();
    println!(
        "list: {entries} entries ({} bytes) read in {:.2} s, indexed in {:.2} s",
        text.len(),
        read.as_secs_f64(),
        indexed.as_secs_f64()
    );
    println!(
        "screened {} distinct names in {:.2} s: {:.0} names/s ({:.1} µs each); match {}, possible_match {}, indeterminate {}, no_match {}",
        names.len(),
        screened.as_secs_f64(),
        per_second,
        screened.as_secs_f64() * 1e6 / names.len() as f64,
        counts[Status::Match as usize],
        counts[Status::PossibleMatch as usize],
        counts[Status::Indeterminate as usize],
        counts[Status::NoMatch as usize],
    );
}
