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

fn undecided_text(o: &Outcome, to: &str, every: bool) -> String {
    if o.settle_with.is_empty() && !o.uncertain_facts.is_empty() {
        // No figure settles it: the answer turns on a fact no source dates.
        return format!(
            "undecided{to}: it turns on {}",
            o.uncertain_facts.join("; ")
        );
    }
    let settle = settle_columns(&o.settle_with);
    let settle = if settle.is_empty() {
        "more figures".to_string()
    } else {
        settle
    };
    if every {
        let n = o
            .indeterminate_destinations
            .as_ref()
            .map(Vec::len)
            .unwrap_or(0);
        format!("undecided for {n} destinations; give {settle} to settle it")
    } else {
        format!("undecided{to}; give {settle} to settle it")
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

fn verdict_text(o: &Outcome) -> String {
    let to = o
        .destination
        .as_deref()
        .map(|d| format!(" to {d}"))
        .unwrap_or_default();
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
            let policy = o
                .review_policy
                .map(|p| format!("; {}", p.words()))
                .unwrap_or_default();
            let listed = listed_parties(o);
            match (paras.is_empty(), listed.is_empty()) {
                (false, true) => format!("meets {paras}; licence required{to}{policy}"),
                (false, false) => {
                    format!("meets {paras}; {listed}; licence required{to}{policy}")
                }
                // The item meets no paragraph: a listed party makes the
                // requirement, and the line says so rather than "meets ".
                (true, _) => format!("{listed}; licence required{to}{policy}"),
            }
        }
        Verdict::LicenseException => exception_text(o, &to, &paras),
        Verdict::Indeterminate => undecided_text(o, &to, every),
        Verdict::NoLicenseRequired if o.paragraphs.is_empty() => format!(
            "meets no controlled paragraph of {}",
            o.rule.clone().unwrap_or_else(|| o.basis.join(", "))
        ),
        Verdict::NoLicenseRequired if every => {
            format!("meets {paras}, but no destination needs a licence")
        }
        Verdict::NoLicenseRequired => {
            format!("meets {paras}, but no licence requirement reaches{to}")
        }
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
        Some(chip) => format!("library: {chip}; {text}"),
        None => text,
    }
}
