//! The one-line reason an audit gives for each result (the audit CSV `reason`
//! column and the table), and the catalogue columns that would settle an
//! undecided answer.

use crate::engine::Outcome;
use crate::verdict::Verdict;

/// Spec paths (as the engine names them) as catalogue columns.
pub fn settle_columns(fields: &[String]) -> String {
    let mut out: Vec<&str> = Vec::new();
    for f in fields {
        let c = match f.as_str() {
            "compute" => "figures (fp16, fp8, int8, ...)",
            "die.area_mm2" => "area_mm2",
            "die.non_planar" => "non_planar",
            "io.interconnect_gbps" => "interconnect_gbps",
            "io.memory_bandwidth_gbps" => "memory_bandwidth_gbps",
            other => other,
        };
        if !out.contains(&c) {
            out.push(c);
        }
    }
    out.join(", ")
}

fn exception_text(o: &Outcome, to: &str, paras: &str) -> String {
    let ex: Vec<String> = o
        .exceptions
        .iter()
        .map(|e| {
            let notify = match (e.notification_required, e.notification_days) {
                (true, Some(d)) => format!(", with prior notification to BIS ({d} days)"),
                (true, None) => ", with prior notification to BIS".to_string(),
                _ => String::new(),
            };
            format!("License Exception {}{notify}", e.id)
        })
        .collect();
    format!(
        "meets {paras}; licence required{to} unless under {}",
        ex.join(" or ")
    )
}

fn undecided_text(o: &Outcome, to: [&str; 2], every: bool) -> String {
    if o.settle_with.is_empty() && !o.uncertain_facts.is_empty() {
        // No figure settles it: the answer turns on a fact no source dates.
        let facts = o.uncertain_facts.join("; ");
        return ["undecided", to[0], to[1], ": it turns on ", &facts].concat();
    }
    let settle = settle_columns(&o.settle_with);
    let settle = if settle.is_empty() {
        "more figures"
    } else {
        &settle
    };
    if every {
        let n = o
            .indeterminate_destinations
            .as_ref()
            .map(Vec::len)
            .unwrap_or(0);
        format!("undecided for {n} destinations; give {settle} to settle it")
    } else {
        [
            "undecided",
            to[0],
            to[1],
            "; give ",
            settle,
            " to settle it",
        ]
        .concat()
    }
}

/// The parties whose listing makes the licence requirement, as the line
/// names them (`end user `X` is on the EL`).
fn listed_parties(o: &Outcome) -> String {
    o.parties
        .iter()
        .filter(|p| p.requires_licence)
        .map(|p| {
            let mut lists: Vec<&str> = p.matches.iter().map(|m| m.list.as_str()).collect();
            lists.dedup();
            format!(
                "{} `{}` is on the {}",
                p.role.words(),
                p.name,
                lists.join(", ")
            )
        })
        .collect::<Vec<_>>()
        .join("; ")
}

/// The line for a result's verdict. Built from pieces, each line sized
/// once: it is written for every result of an audit.
fn verdict_text(o: &Outcome) -> String {
    // ` to CN`, or nothing without a destination.
    let to = match o.destination.as_deref() {
        Some(d) => [" to ", d],
        None => ["", ""],
    };
    let paras = o.paragraphs.join(", ");
    let every = o.destination.is_none();
    match o.verdict {
        Verdict::LicenseRequired | Verdict::LicenseException if every => {
            let list = o.license_destinations.clone().unwrap_or_default();
            format!(
                "meets {paras}; licence required (or a licence exception) for {} destinations: {}",
                list.len(),
                list.join(", ")
            )
        }
        Verdict::LicenseRequired => {
            let policy = match o.review_policy {
                Some(p) => ["; ", p.words()],
                None => ["", ""],
            };
            let listed = listed_parties(o);
            let required = ["licence required", to[0], to[1], policy[0], policy[1]].concat();
            match (paras.is_empty(), listed.is_empty()) {
                (false, true) => ["meets ", &paras, "; ", &required].concat(),
                (false, false) => ["meets ", &paras, "; ", &listed, "; ", &required].concat(),
                // The item meets no paragraph: a listed party makes the
                // requirement, and the line says so rather than "meets ".
                (true, _) => [&listed, "; ", &required].concat(),
            }
        }
        Verdict::LicenseException => exception_text(o, &to.concat(), &paras),
        Verdict::Indeterminate => undecided_text(o, to, every),
        Verdict::NoLicenseRequired if o.paragraphs.is_empty() => match o.rule.as_deref() {
            Some(rule) => ["meets no controlled paragraph of ", rule].concat(),
            None => ["meets no controlled paragraph of ", &o.basis.join(", ")].concat(),
        },
        Verdict::NoLicenseRequired if every => {
            ["meets ", &paras, ", but no destination needs a licence"].concat()
        }
        Verdict::NoLicenseRequired => [
            "meets ",
            &paras,
            ", but no licence requirement reaches",
            to[0],
            to[1],
        ]
        .concat(),
        Verdict::Licensed => o.reasons.last().cloned().unwrap_or_default(),
        Verdict::Prohibited => o
            .reasons
            .iter()
            .find(|r| r.starts_with("prohibited"))
            .cloned()
            .unwrap_or_else(|| "prohibited: a party is on a list that bars the export".into()),
        Verdict::Error => String::new(),
    }
}

/// The one-line reason for the CSV `reason` column and the table.
pub fn reason(o: &Outcome, library_chip: Option<&str>, miss: Option<&str>) -> String {
    if o.verdict == Verdict::Error {
        return o.reasons.first().cloned().unwrap_or_default();
    }
    if let Some(m) = miss {
        // A letter naming the product decided it all the same: said first.
        if o.verdict == Verdict::LicenseRequired {
            return format!("{}; {m}", verdict_text(o));
        }
        return m.to_string();
    }
    let text = if o.rule.is_none() && o.basis.is_empty() {
        o.reasons
            .iter()
            .find(|r| r.starts_with("no advanced-computing"))
            .or(o.reasons.last())
            .cloned()
            .unwrap_or_default()
    } else {
        verdict_text(o)
    };
    match library_chip {
        Some(chip) => ["library: ", chip, "; ", &text].concat(),
        None => text,
    }
}
