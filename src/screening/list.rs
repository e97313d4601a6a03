//! The Consolidated Screening List as published by the International Trade
//! Administration (CSV, TSV or JSON), read by header name, with its
//! provenance: path, SHA-256, row count and the list's date.

use crate::diagnostic::Diagnostic;
use jiff::civil::Date;
use serde::Serialize;

/// The largest list file chipcheck reads (the full JSON is ~34 MB).
pub const MAX_LIST_BYTES: u64 = 256 << 20;

/// Columns every list file must have (found by name, in any order). A list
/// without aliases or requirements could clear a party it should not.
const REQUIRED: &[&str] = &[
    "source",
    "name",
    "alt_names",
    "addresses",
    "federal_register_notice",
    "start_date",
    "license_requirement",
    "license_policy",
];

/// Which list an entry is on, by its effect on an export.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, PartialOrd, Ord)]
pub enum ListKind {
    /// Entity List (BIS).
    #[serde(rename = "EL")]
    EntityList,
    /// Military End User List (BIS).
    #[serde(rename = "MEU")]
    MilitaryEndUser,
    /// Denied Persons List (BIS).
    #[serde(rename = "DPL")]
    DeniedPersons,
    /// Unverified List (BIS).
    #[serde(rename = "UVL")]
    Unverified,
    /// Specially Designated Nationals (Treasury).
    #[serde(rename = "SDN")]
    Sdn,
    /// Any other list of the CSL (CMIC, SSI, DTC, ISN, ...).
    #[serde(rename = "other")]
    Other,
}

impl ListKind {
    /// The list a CSL `source` label names (`Entity List (EL) - Bureau of
    /// Industry and Security`), or a bare code (`EL`).
    pub fn of_source(source: &str) -> ListKind {
        let code = source
            .split_once('(')
            .and_then(|(_, rest)| rest.split_once(')'))
            .map(|(code, _)| code.trim())
            .unwrap_or(source.trim());
        match code.to_ascii_uppercase().as_str() {
            "EL" => ListKind::EntityList,
            "MEU" => ListKind::MilitaryEndUser,
            "DPL" => ListKind::DeniedPersons,
            "UVL" => ListKind::Unverified,
            "SDN" => ListKind::Sdn,
            _ => ListKind::Other,
        }
    }

    pub fn code(self) -> &'static str {
        match self {
            ListKind::EntityList => "EL",
            ListKind::MilitaryEndUser => "MEU",
            ListKind::DeniedPersons => "DPL",
            ListKind::Unverified => "UVL",
            ListKind::Sdn => "SDN",
            ListKind::Other => "other",
        }
    }
}

/// One row of the list.
#[derive(Clone, Debug, Serialize)]
pub struct Entry {
    /// `_id` (CSV, TSV) or `id` (JSON).
    pub id: String,
    /// The `source` label as published.
    pub source: String,
    pub kind: ListKind,
    pub name: String,
    pub alt_names: Vec<String>,
    pub addresses: Vec<String>,
    pub federal_register_notice: String,
    pub start_date: Option<String>,
    pub license_requirement: String,
    pub license_policy: String,
    pub programs: Vec<String>,
    /// A hash of the fields above: a screening decision naming the entry is
    /// void once it changes.
    pub fingerprint: String,
}

impl Entry {
    /// The name (index 0) and its aliases.
    pub fn names(&self) -> impl Iterator<Item = &str> {
        std::iter::once(self.name.as_str()).chain(self.alt_names.iter().map(String::as_str))
    }

    /// The countries of its addresses (the ISO code at each address's end).
    pub fn countries(&self) -> Vec<String> {
        let mut out: Vec<String> = self
            .addresses
            .iter()
            .filter_map(|a| a.rsplit(',').next())
            .map(str::trim)
            .filter(|c| c.len() == 2 && c.chars().all(|c| c.is_ascii_uppercase()))
            .map(str::to_string)
            .collect();
        out.sort();
        out.dedup();
        out
    }

    fn seal(mut self) -> Entry {
        let text = [
            self.source.as_str(),
            &self.name,
            &self.alt_names.join("; "),
            &self.addresses.join("; "),
            &self.federal_register_notice,
            self.start_date.as_deref().unwrap_or(""),
            &self.license_requirement,
            &self.license_policy,
        ]
        .join("\u{1f}");
        let full = crate::input::sha256(text.as_bytes());
        self.fingerprint = full.chars().skip(7).take(16).collect();
        self
    }
}

/// Where a list's date came from.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum DateSource {
    /// `--party-list-date`.
    Given,
    /// The oldest `last_imported` (else newest `source_last_updated`) of the
    /// JSON's `sources_used`.
    SourcesUsed,
    /// The newest `start_date` of its entries: the list is at least that
    /// recent, and may be more.
    NewestStartDate,
    /// Nothing gave one: the list's age is unknown.
    Unknown,
}

/// A list file read: its provenance and entries.
#[derive(Clone, Debug, Serialize)]
pub struct PartyList {
    pub path: String,
    pub sha256: String,
    pub rows: usize,
    /// The list's date, if known.
    pub date: Option<String>,
    pub date_from: DateSource,
    /// Rows per list code (`EL`, `SDN`, ...).
    pub per_list: std::collections::BTreeMap<String, usize>,
    #[serde(skip)]
    pub entries: Vec<Entry>,
}

impl PartyList {
    /// Reads a list's bytes; `given` is `--party-list-date`.
    pub fn parse(path: &str, bytes: &[u8], given: Option<Date>) -> Result<PartyList, Diagnostic> {
        let sha256 = crate::input::sha256(bytes);
        let text = std::str::from_utf8(bytes).map_err(|e| {
            Diagnostic::new(
                path,
                format!(
                    "the party list is not UTF-8 text (invalid byte at offset {})",
                    e.valid_up_to()
                ),
            )
        })?;
        let text = text.trim_start_matches('\u{feff}');
        let (entries, sources_date) = if text.trim_start().starts_with(['{', '[']) {
            read_json(path, text)?
        } else {
            (read_delimited(path, text)?, None)
        };
        // A list with no one on it clears every name: a truncated or
        // failed download, never a screening.
        if entries.is_empty() {
            return Err(Diagnostic::new(path, "the party list has no entries, so it would clear every name")
                .help("download the Consolidated Screening List again; a list with no rows (or only a header) is not one to screen against"));
        }
        let (date, date_from) = match (given, sources_date) {
            (Some(d), _) => (Some(d), DateSource::Given),
            (None, Some(d)) => (Some(d), DateSource::SourcesUsed),
            (None, None) => match newest_start(&entries) {
                Some(d) => (Some(d), DateSource::NewestStartDate),
                None => (None, DateSource::Unknown),
            },
        };
        let mut per_list: std::collections::BTreeMap<String, usize> = Default::default();
        for e in &entries {
            let n = per_list.entry(list_code(e)).or_default();
            *n = n.saturating_add(1);
        }
        Ok(PartyList {
            path: path.to_string(),
            sha256,
            rows: entries.len(),
            date: date.map(|d| d.to_string()),
            date_from,
            per_list,
            entries,
        })
    }

    pub fn date(&self) -> Option<Date> {
        self.date.as_deref().and_then(|d| d.parse().ok())
    }
}

/// The code in a `source` label (`EL`), else the label.
fn list_code(e: &Entry) -> String {
    match e.kind {
        ListKind::Other => e
            .source
            .split_once('(')
            .and_then(|(_, r)| r.split_once(')'))
            .map(|(c, _)| c.trim().to_string())
            .unwrap_or_else(|| e.source.clone()),
        k => k.code().to_string(),
    }
}

fn newest_start(entries: &[Entry]) -> Option<Date> {
    entries
        .iter()
        .filter_map(|e| e.start_date.as_deref())
        .filter_map(|d| d.get(..10)?.parse::<Date>().ok())
        .max()
}

/// A `; `-joined cell as a list; the last item's `and ` dropped.
pub fn split_list(cell: &str) -> Vec<String> {
    let mut items: Vec<String> = cell
        .split("; ")
        .map(str::trim)
        .filter(|s| !s.is_empty())
        .map(str::to_string)
        .collect();
    if let Some(last) = items.last_mut() {
        if let Some(rest) = last.strip_prefix("and ") {
            *last = rest.trim().to_string();
        }
    }
    items
}

/// The sources a whole Consolidated Screening List holds entries from, at
/// the least: the Entity List, OFAC's SDN list and the Denied Persons List.
pub const SOURCES_REQUIRED: [&str; 3] = ["EL", "SDN", "DPL"];

fn read_delimited(path: &str, text: &str) -> Result<Vec<Entry>, Diagnostic> {
    // An odd number of quotes: the file ends inside a quoted field, which
    // the reader would take as one last (and last-but-partial) row.
    if text.bytes().filter(|b| *b == b'"').count() % 2 == 1 {
        return Err(Diagnostic::new(
            path,
            "the party list ends inside a quoted field (a quote is never closed): a truncated download?",
        ));
    }
    let first = text.lines().next().unwrap_or("");
    let delimiter = if first.contains('\t') { b'\t' } else { b',' };
    let mut reader = csv::ReaderBuilder::new()
        .delimiter(delimiter)
        .flexible(true)
        .from_reader(text.as_bytes());
    let headers = reader
        .headers()
        .map_err(|e| Diagnostic::new(path, format!("cannot read the party list's header: {e}")))?
        .clone();
    let column = |name: &str| headers.iter().position(|h| h.trim() == name);
    let id = column("_id")
        .or_else(|| column("id"))
        .ok_or_else(|| missing(path, "_id (or id)"))?;
    let mut at = Vec::new();
    for name in REQUIRED {
        at.push(column(name).ok_or_else(|| missing(path, name))?);
    }
    let programs = column("programs");
    let mut entries = Vec::new();
    for (i, record) in reader.records().enumerate() {
        let line = i.saturating_add(2);
        let record = record.map_err(|e| {
            Diagnostic::new(path, format!("the party list cannot be read: {e}")).with_line(line)
        })?;
        let cell = |i: usize| record.get(i).unwrap_or("").trim().to_string();
        let get = |n: usize| at.get(n).map(|&i| cell(i)).unwrap_or_default();
        let entry = Entry {
            id: cell(id),
            kind: ListKind::of_source(&get(0)),
            source: get(0),
            name: get(1),
            alt_names: split_list(&get(2)),
            addresses: split_list(&get(3)),
            federal_register_notice: get(4),
            start_date: Some(get(5)).filter(|s| !s.is_empty()),
            license_requirement: get(6),
            license_policy: get(7),
            programs: programs.map(|p| split_list(&cell(p))).unwrap_or_default(),
            fingerprint: String::new(),
        };
        if entry.name.is_empty() {
            return Err(Diagnostic::new(path, "a party list row has no name").with_line(line));
        }
        entries.push(entry.seal());
    }
    Ok(entries)
}

fn missing(path: &str, column: &str) -> Diagnostic {
    Diagnostic::new(
        path,
        format!("the party list has no `{column}` column; is it the Consolidated Screening List (CSV, TSV or JSON)?"),
    )
}

/// A JSON field as text: a string, a number, or a list joined with `; `.
fn json_text(value: Option<&serde_json::Value>) -> String {
    match value {
        Some(serde_json::Value::String(s)) => s.trim().to_string(),
        Some(serde_json::Value::Number(n)) => n.to_string(),
        Some(serde_json::Value::Array(items)) => items
            .iter()
            .map(|v| json_text(Some(v)))
            .filter(|s| !s.is_empty())
            .collect::<Vec<_>>()
            .join("; "),
        Some(serde_json::Value::Object(o)) => {
            ["address", "city", "state", "postal_code", "country"]
                .iter()
                .map(|k| json_text(o.get(*k)))
                .filter(|s| !s.is_empty())
                .collect::<Vec<_>>()
                .join(", ")
        }
        _ => String::new(),
    }
}

/// A JSON list field: an array (of strings or address objects) or a
/// `; `-joined string.
fn json_list(value: Option<&serde_json::Value>) -> Vec<String> {
    match value {
        Some(serde_json::Value::Array(items)) => items
            .iter()
            .map(|v| json_text(Some(v)))
            .filter(|s| !s.is_empty())
            .collect(),
        other => split_list(&json_text(other)),
    }
}

fn read_json(path: &str, text: &str) -> Result<(Vec<Entry>, Option<Date>), Diagnostic> {
    let doc: serde_json::Value = serde_json::from_str(text).map_err(|e| {
        Diagnostic::new(path, format!("the party list is not valid JSON: {e}")).with_line(e.line())
    })?;
    let rows = match &doc {
        serde_json::Value::Array(rows) => rows,
        serde_json::Value::Object(o) => match o.get("results") {
            Some(serde_json::Value::Array(rows)) => rows,
            _ => return Err(missing(path, "results")),
        },
        _ => return Err(missing(path, "results")),
    };
    // The search API pages its answer: a page is not the list, and a party
    // on another page would screen as no match.
    if let Some(why) = not_the_whole_list(&doc, rows.len()) {
        return Err(Diagnostic::new(
            path,
            format!(
                "the party list is one page of a search ({why}), not the whole list: download the whole Consolidated Screening List"
            ),
        ));
    }
    let mut entries = Vec::new();
    for (i, row) in rows.iter().enumerate() {
        let at =
            |what: &str| Diagnostic::new(path, format!("party list entry {i} has no `{what}`"));
        let object = row.as_object().ok_or_else(|| at("fields"))?;
        for name in REQUIRED {
            if !object.contains_key(*name) {
                return Err(at(name));
            }
        }
        let id = object
            .get("id")
            .or_else(|| object.get("_id"))
            .ok_or_else(|| at("id"))?;
        let field = |k: &str| json_text(object.get(k));
        let entry = Entry {
            id: json_text(Some(id)),
            kind: ListKind::of_source(&field("source")),
            source: field("source"),
            name: field("name"),
            alt_names: json_list(object.get("alt_names")),
            addresses: json_list(object.get("addresses")),
            federal_register_notice: field("federal_register_notice"),
            start_date: Some(field("start_date")).filter(|s| !s.is_empty()),
            license_requirement: field("license_requirement"),
            license_policy: field("license_policy"),
            programs: json_list(object.get("programs")),
            fingerprint: String::new(),
        };
        if entry.name.is_empty() {
            return Err(at("name"));
        }
        entries.push(entry.seal());
    }
    Ok((entries, sources_used_date(&doc)))
}

/// Why a JSON list's paging says it holds only part of the entries (of
/// `held`), if it does: a count other than `held`, an offset or page past
/// the first, a next page or cursor. A count written as text or as a
/// float is read as one; one that is no count at all is not trusted.
fn not_the_whole_list(doc: &serde_json::Value, held: usize) -> Option<String> {
    use serde_json::Value;
    let count = |v: &Value| -> Option<u64> {
        match v {
            Value::Number(n) => n.as_u64().or_else(|| {
                n.as_f64()
                    .filter(|f| f.fract() == 0.0 && *f >= 0.0)
                    .map(|f| f as u64)
            }),
            Value::String(s) => s.trim().parse().ok(),
            _ => None,
        }
    };
    let held = held as u64;
    for key in [
        "total",
        "count",
        "total_count",
        "totalCount",
        "total_results",
    ] {
        match doc.get(key) {
            None | Some(Value::Null) => {}
            Some(v) => match count(v) {
                Some(n) if n == held => {}
                Some(n) => return Some(format!("`{key}` is {n}, and it holds {held} entries")),
                None => return Some(format!("`{key}` is {v}, not a count of entries")),
            },
        }
    }
    for (key, first) in [
        ("offset", 0),
        ("start", 0),
        ("skip", 0),
        ("page", 1),
        ("total_pages", 1),
        ("pages", 1),
    ] {
        match doc.get(key) {
            None | Some(Value::Null) => {}
            Some(v) => match count(v) {
                Some(n) if n == first || (key == "page" && n == 0) => {}
                _ => return Some(format!("`{key}` is {v}")),
            },
        }
    }
    for key in [
        "next",
        "next_page",
        "nextPage",
        "next_url",
        "cursor",
        "next_cursor",
        "has_more",
    ] {
        match doc.get(key) {
            None | Some(Value::Null) | Some(Value::Bool(false)) => {}
            Some(Value::String(s)) if s.is_empty() => {}
            Some(v) => return Some(format!("`{key}` is {v}")),
        }
    }
    None
}

/// The list's date from `sources_used`: the oldest `last_imported` (when
/// the stalest list in the file was last current), else the newest
/// `source_last_updated`.
fn sources_used_date(doc: &serde_json::Value) -> Option<Date> {
    let sources = doc.get("sources_used")?.as_array()?;
    let dates = |key: &str| -> Vec<Date> {
        sources
            .iter()
            .filter_map(|s| s.get(key)?.as_str()?.get(..10)?.parse::<Date>().ok())
            .collect()
    };
    dates("last_imported")
        .into_iter()
        .min()
        .or_else(|| dates("source_last_updated").into_iter().max())
}

/// A list's provenance as reports record it.
#[derive(Debug, Clone, Serialize, PartialEq, Eq)]
pub struct ListProvenance {
    pub path: String,
    pub sha256: String,
    pub rows: usize,
    pub date: Option<String>,
    pub date_from: DateSource,
    pub per_list: std::collections::BTreeMap<String, usize>,
}

impl ListProvenance {
    pub fn of(list: &PartyList) -> ListProvenance {
        ListProvenance {
            path: list.path.clone(),
            sha256: list.sha256.clone(),
            rows: list.rows,
            date: list.date.clone(),
            date_from: list.date_from,
            per_list: list.per_list.clone(),
        }
    }

    /// One line: `csl.csv sha256:… 18 rows, dated 2026-11-30 (as given)`.
    pub fn line(&self) -> String {
        let from = match self.date_from {
            DateSource::Given => "as given",
            DateSource::SourcesUsed => "from its sources_used",
            DateSource::NewestStartDate => "from its newest start_date",
            DateSource::Unknown => "unknown",
        };
        format!(
            "{} {} {} rows, dated {} ({from})",
            self.path,
            self.sha256,
            self.rows,
            self.date.as_deref().unwrap_or("?")
        )
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const HEADER: &str = "_id,source,entity_number,type,programs,name,title,addresses,federal_register_notice,start_date,end_date,standard_order,license_requirement,license_policy,call_sign,vessel_type,gross_tonnage,gross_registered_tonnage,vessel_flag,vessel_owner,remarks,source_list_url,alt_names,citizenships,dates_of_birth,nationalities,places_of_birth,source_information_url,ids";

    #[test]
    fn csv_columns_are_found_by_name_and_aliases_split() {
        let row = "a1,Entity List (EL) - Bureau of Industry and Security,,,,Sugon,,\"Beijing, CN; Tianjin, CN\",84 FR 29373,2019-06-24,,,For all items subject to the EAR.,Presumption of denial.,,,,,,,,,\"Dawning; Zhongke Shuguang; and Tianjin Shuguang Computer Industry\",,,,,,";
        let list = PartyList::parse("l.csv", format!("{HEADER}\n{row}\n").as_bytes(), None)
            .unwrap_or_else(|e| panic!("{e}"));
        let e = &list.entries[0];
        assert_eq!(e.kind, ListKind::EntityList);
        assert_eq!(
            e.alt_names.last().map(String::as_str),
            Some("Tianjin Shuguang Computer Industry")
        );
        assert_eq!(e.countries(), ["CN"]);
        assert_eq!(list.date.as_deref(), Some("2019-06-24"));
        assert_eq!(list.date_from, DateSource::NewestStartDate);
        let mut fields = vec![""; 29];
        fields[1] = "Unverified List (UVL) - Bureau of Industry and Security";
        fields[5] = "Acme, Inc.";
        fields[22] = "Acme; and Acme Trading";
        let tsv = format!("{}\n{}\n", HEADER.replace(',', "\t"), fields.join("\t"));
        let list =
            PartyList::parse("l.tsv", tsv.as_bytes(), None).unwrap_or_else(|e| panic!("{e}"));
        assert_eq!(list.entries[0].name, "Acme, Inc.");
        assert_eq!(list.entries[0].alt_names, ["Acme", "Acme Trading"]);
        assert_eq!(list.date_from, DateSource::Unknown);
        let e = PartyList::parse("l.csv", b"id,name\n1,x\n", None).unwrap_err();
        assert!(e.message.contains("`source`"), "{e}");
    }

    #[test]
    fn json_takes_its_date_from_sources_used() {
        let doc = r#"{"results":[{"id":"x","source":"Denied Persons List (DPL) - Bureau of Industry and Security","name":"A","alt_names":["B","C"],"addresses":[{"address":"1 Road","city":"Town","country":"RU"}],"federal_register_notice":"","start_date":null,"license_requirement":"","license_policy":""}],"sources_used":[{"source":"DPL","source_last_updated":"2026-11-01T00:00:00","last_imported":"2026-11-20T05:00:00"}]}"#;
        let list =
            PartyList::parse("l.json", doc.as_bytes(), None).unwrap_or_else(|e| panic!("{e}"));
        assert_eq!(list.date.as_deref(), Some("2026-11-20"));
        assert_eq!(list.date_from, DateSource::SourcesUsed);
        assert_eq!(list.entries[0].countries(), ["RU"]);
        assert_eq!(list.entries[0].kind, ListKind::DeniedPersons);
    }

    #[test]
    fn one_page_of_a_search_is_not_the_list() {
        let entry = r#"{"id":"x","source":"Denied Persons List (DPL) - Bureau of Industry and Security","name":"A","alt_names":[],"addresses":[],"federal_register_notice":"","start_date":null,"license_requirement":"","license_policy":""}"#;
        let doc = |paging: &str| format!(r#"{{"results":[{entry}],{paging}"sources_used":[]}}"#);
        for paging in [
            r#""total":1000,"offset":0,"#,
            r#""total":2,"offset":1,"#,
            r#""total":"1000","#,
            r#""total":1000.0,"#,
            r#""total":"many","#,
            r#""next":"https://example/page/2","count":1000,"#,
            r#""next":"https://example/page/2","#,
            r#""has_more":true,"#,
            r#""page":2,"#,
        ] {
            let e = PartyList::parse("l.json", doc(paging).as_bytes(), None).unwrap_err();
            assert!(e.message.contains("one page"), "{paging}: {e}");
        }
        for paging in [
            "",
            r#""total":1,"offset":0,"#,
            r#""total":"1","offset":"0","next":null,"has_more":false,"#,
        ] {
            assert!(
                PartyList::parse("l.json", doc(paging).as_bytes(), None).is_ok(),
                "{paging}"
            );
        }
    }
}
