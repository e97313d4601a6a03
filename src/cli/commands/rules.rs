//! `chipcheck rules`: list, show and check rule versions.

use super::super::args::{Format, RulesAction, RulesArgs};
use super::super::write_out;
use crate::error::Error;
use crate::rules::{Place, RuleSet};
use jiff::civil::Date;
use std::io::Write;

fn show_places(places: &[Place]) -> String {
    places
        .iter()
        .map(|p| match p {
            Place::Everywhere => "*".to_string(),
            Place::Group(g) => g.clone(),
            Place::Country(c) => c.clone(),
        })
        .collect::<Vec<_>>()
        .join(", ")
}

pub fn run(
    rules: &RuleSet,
    args: RulesArgs,
    today: Date,
    out: &mut dyn Write,
) -> Result<i32, Error> {
    match args.action.unwrap_or(RulesAction::List) {
        RulesAction::Check { dir } => {
            let checked = match &dir {
                Some(d) => RuleSet::from_dir(d)?,
                None => rules.clone(),
            };
            let findings = crate::rules::check::check(&checked);
            let errors = findings
                .iter()
                .filter(|f| f.severity == crate::rules::check::Severity::Error)
                .count();
            let text = match args.format {
                Format::Json => serde_json::to_string_pretty(&serde_json::json!({
                    "rules_origin": checked.origin,
                    "rules_hash": checked.hash,
                    "versions": checked.versions.len(),
                    "findings": findings,
                    "errors": errors,
                }))
                .unwrap_or_default(),
                Format::Table => {
                    let mut s = String::new();
                    for f in &findings {
                        let sev = match f.severity {
                            crate::rules::check::Severity::Error => "error",
                            crate::rules::check::Severity::Warning => "warning",
                        };
                        let file = if f.file.is_empty() {
                            String::new()
                        } else {
                            format!(" ({})", f.file)
                        };
                        s.push_str(&format!("{sev}: {}{file}\n", f.message));
                    }
                    s.push_str(&format!(
                        "{} rule versions in {}: {errors} errors, {} warnings\n",
                        checked.versions.len(),
                        checked.origin,
                        findings.len().saturating_sub(errors)
                    ));
                    s
                }
            };
            write_out(out, &text)?;
            return Ok(if errors > 0 {
                crate::verdict::exit::ERROR
            } else {
                0
            });
        }
        RulesAction::List => {
            let text = match args.format {
                Format::Json => {
                    let versions: Vec<serde_json::Value> = rules
                        .versions
                        .iter()
                        .map(|v| {
                            serde_json::json!({
                                "id": v.id,
                                "title": v.title,
                                "kind": v.kind,
                                "citation": v.citation,
                                "published": v.published.to_string(),
                                "in_force": v.in_force.to_string(),
                                "until": v.until.map(|d| d.to_string()),
                                "not_enforced_from": v.not_enforced_from.map(|d| d.to_string()),
                                "supersedes": v.supersedes,
                                "status": rules.status_on(v, today),
                                "reviewed": v.reviewed.to_string(),
                            })
                        })
                        .collect();
                    serde_json::to_string_pretty(&serde_json::json!({
                        "rules": versions,
                        "rules_origin": rules.origin,
                        "rules_hash": rules.hash,
                        "status_on": today.to_string(),
                    }))
                    .unwrap_or_default()
                }
                Format::Table => {
                    #[derive(tabled::Tabled)]
                    struct Row {
                        #[tabled(rename = "ID")]
                        id: String,
                        #[tabled(rename = "KIND")]
                        kind: String,
                        #[tabled(rename = "IN FORCE")]
                        from: String,
                        #[tabled(rename = "UNTIL")]
                        until: String,
                        #[tabled(rename = "STATUS")]
                        status: String,
                        #[tabled(rename = "CITATION")]
                        citation: String,
                        #[tabled(rename = "TITLE")]
                        title: String,
                    }
                    let rows: Vec<Row> = rules
                        .versions
                        .iter()
                        .map(|v| {
                            let next = rules
                                .versions
                                .iter()
                                .filter(|o| o.supersedes.contains(&v.id))
                                .map(|o| o.in_force)
                                .min();
                            let end = [v.until, v.not_enforced_from, next]
                                .into_iter()
                                .flatten()
                                .min();
                            Row {
                                id: v.id.clone(),
                                kind: format!("{:?}", v.kind).to_lowercase(),
                                from: v.in_force.to_string(),
                                until: end.map(|d| d.to_string()).unwrap_or_else(|| "-".into()),
                                status: rules.status_on(v, today).to_string(),
                                citation: v.citation.clone(),
                                title: v.title.clone(),
                            }
                        })
                        .collect();
                    let mut t = tabled::Table::new(rows);
                    t.with(tabled::settings::Style::blank());
                    format!(
                        "{t}\n\nstatus as of {today} · rules {} ({})\n",
                        rules.origin,
                        crate::report::short_hash(&rules.hash)
                    )
                }
            };
            write_out(out, &text)?;
        }
        RulesAction::Show { id } => {
            let Some(v) = rules.get(&id) else {
                let ids: Vec<&str> = rules.versions.iter().map(|v| v.id.as_str()).collect();
                let hint = crate::diagnostic::did_you_mean(&id, ids.iter().copied())
                    .map(|n| format!("did you mean `{n}`?"))
                    .unwrap_or_else(|| format!("versions: {}", ids.join(", ")));
                return Err(Error::Usage(format!("no rule version `{id}`; {hint}")));
            };
            let text = match args.format {
                Format::Json => serde_json::to_string_pretty(&show_json(v)).unwrap_or_default(),
                Format::Table => show_text(rules, v, today),
            };
            write_out(out, &text)?;
        }
    }
    Ok(0)
}

fn test_text(t: &crate::rules::Test) -> String {
    let mut parts: Vec<String> = t.all.iter().map(|c| c.to_string()).collect();
    if !t.any.is_empty() {
        parts.push(format!(
            "any of ({})",
            t.any
                .iter()
                .map(|c| c.to_string())
                .collect::<Vec<_>>()
                .join(" | ")
        ));
    }
    if parts.is_empty() {
        "always".into()
    } else {
        parts.join(" and ")
    }
}

fn show_json(v: &crate::rules::RuleVersion) -> serde_json::Value {
    use serde_json::json;
    let strings = |t: &crate::rules::Test| {
        (
            t.all.iter().map(|c| c.to_string()).collect::<Vec<_>>(),
            t.any.iter().map(|c| c.to_string()).collect::<Vec<_>>(),
        )
    };
    json!({
        "id": v.id, "title": v.title, "kind": v.kind, "authority": v.authority,
        "citation": v.citation, "fr_doc": v.fr_doc, "url": v.url,
        "published": v.published.to_string(), "in_force": v.in_force.to_string(),
        "until": v.until.map(|d| d.to_string()), "not_enforced_from": v.not_enforced_from.map(|d| d.to_string()),
        "supersedes": v.supersedes, "reviewed": v.reviewed.to_string(), "summary": v.summary, "notes": v.notes,
        "paragraphs": v.paragraphs.iter().map(|p| { let (all, any) = strings(&p.test); json!({"id": p.id, "summary": p.summary, "all": all, "any": any, "unless": p.unless, "citation": p.citation}) }).collect::<Vec<_>>(),
        "exclusions": v.exclusions.iter().map(|e| { let (all, any) = strings(&e.test); json!({"id": e.id, "summary": e.summary, "all": all, "any": any, "paragraphs": e.paragraphs, "citation": e.citation}) }).collect::<Vec<_>>(),
        "license_requirements": v.requirements.iter().map(|r| json!({"id": r.id, "summary": r.summary, "paragraphs": r.paragraphs, "destinations": show_places(&r.destinations), "except": show_places(&r.except), "headquartered_in": show_places(&r.headquartered_in), "citation": r.citation})).collect::<Vec<_>>(),
        "review_policies": v.policies.iter().map(|p| json!({"policy": p.policy, "destinations": show_places(&p.destinations), "headquartered_in": show_places(&p.headquartered_in), "paragraphs": p.paragraphs, "all": strings(&p.test).0, "note": p.note, "citation": p.citation})).collect::<Vec<_>>(),
        "exceptions": v.exceptions.iter().map(|e| json!({"id": e.id, "title": e.title, "destinations": show_places(&e.destinations), "except": show_places(&e.except), "eligible": e.eligible.iter().map(|el| { let (all, any) = strings(&el.test); json!({"paragraphs": el.paragraphs, "all": all, "any": any}) }).collect::<Vec<_>>(), "notification": e.notification.as_ref().map(|n| json!({"destinations": show_places(&n.destinations), "headquartered_in": show_places(&n.headquartered_in), "days": n.days, "citation": n.citation})), "citation": e.citation})).collect::<Vec<_>>(),
        "systems": v.systems.as_ref().map(|s| json!({"eccn": s.eccn, "summary": s.summary, "paragraph_map": s.paragraph_map, "citation": s.citation})),
    })
}

fn show_text(rules: &RuleSet, v: &crate::rules::RuleVersion, today: Date) -> String {
    let mut s = String::new();
    s.push_str(&format!("{}: {}\n", v.id, v.title));
    s.push_str(&format!(
        "  {} · {} · status on {today}: {}\n",
        v.authority,
        v.citation,
        rules.status_on(v, today)
    ));
    s.push_str(&format!(
        "  published {}, in force {}",
        v.published, v.in_force
    ));
    if let Some(u) = v.until {
        s.push_str(&format!(", until {u}"));
    }
    if let Some(n) = v.not_enforced_from {
        s.push_str(&format!(", not enforced from {n}"));
    }
    if !v.supersedes.is_empty() {
        s.push_str(&format!(", supersedes {}", v.supersedes.join(", ")));
    }
    s.push_str(&format!("; reviewed {}\n", v.reviewed));
    if let Some(sum) = &v.summary {
        s.push_str(&format!("\n{sum}\n"));
    }
    if let Some(a) = &v.applies_to {
        s.push_str(&format!(
            "\nApplies to: {} products {}",
            if a.any_vendor {
                "any vendor's".to_string()
            } else {
                format!("{}'s", a.vendor)
            },
            if a.products.is_empty() {
                "(none by name)".to_string()
            } else {
                a.products.join(", ")
            }
        ));
        if !a.reaching_all.is_empty() || !a.reaching_any.is_empty() {
            let test = crate::rules::Test {
                all: a.reaching_all.clone(),
                any: a.reaching_any.clone(),
            };
            s.push_str(&format!(", and others reaching {}", test_text(&test)));
        }
        s.push('\n');
    }
    s.push_str("\nParagraphs:\n");
    for p in &v.paragraphs {
        s.push_str(&format!(
            "  {:<12} {}\n               when {}",
            p.id,
            p.summary,
            test_text(&p.test)
        ));
        if !p.unless.is_empty() {
            s.push_str(&format!(", unless {}", p.unless.join(", ")));
        }
        s.push_str(&format!("\n               [{}]\n", p.citation));
    }
    if !v.exclusions.is_empty() {
        s.push_str("\nExclusions:\n");
        for e in &v.exclusions {
            s.push_str(&format!(
                "  {}: {} (removes {} when {}) [{}]\n",
                e.id,
                e.summary,
                e.paragraphs.join(", "),
                test_text(&e.test),
                e.citation
            ));
        }
    }
    if let Some(sys) = &v.systems {
        let map: Vec<String> = sys
            .paragraph_map
            .iter()
            .map(|(a, b)| format!("{a} -> {b}"))
            .collect();
        s.push_str(&format!(
            "\nSystems ({}): {} ({}) [{}]\n",
            sys.eccn,
            sys.summary,
            map.join(", "),
            sys.citation
        ));
    }
    s.push_str("\nLicence requirements:\n");
    for r in &v.requirements {
        s.push_str(&format!(
            "  {}: {} — {}",
            r.id,
            r.summary,
            r.paragraphs.join(", ")
        ));
        if !r.destinations.is_empty() {
            s.push_str(&format!("; to {}", show_places(&r.destinations)));
        }
        if !r.except.is_empty() {
            s.push_str(&format!(" less {}", show_places(&r.except)));
        }
        if !r.headquartered_in.is_empty() {
            s.push_str(&format!(
                "; end users headquartered in {}",
                show_places(&r.headquartered_in)
            ));
        }
        s.push_str(&format!(" [{}]\n", r.citation));
        for place in r.destinations.iter().chain(r.headquartered_in.iter()) {
            if let Place::Group(g) = place {
                let members: Vec<String> = rules
                    .groups
                    .members(g, today.max(v.in_force))
                    .into_iter()
                    .collect();
                s.push_str(&format!("      {g}: {}\n", members.join(" ")));
            }
        }
    }
    s.push_str("\nReview policy (first match):\n");
    for p in &v.policies {
        let mut scope = Vec::new();
        if !p.destinations.is_empty() {
            scope.push(format!("to {}", show_places(&p.destinations)));
        }
        if !p.headquartered_in.is_empty() {
            scope.push(format!(
                "end users headquartered in {}",
                show_places(&p.headquartered_in)
            ));
        }
        if !p.paragraphs.is_empty() {
            scope.push(format!("for {}", p.paragraphs.join(", ")));
        }
        if !p.test.all.is_empty() {
            scope.push(format!("when {}", test_text(&p.test)));
        }
        if scope.is_empty() {
            scope.push("otherwise".into());
        }
        s.push_str(&format!("  {}: {}", p.policy.name(), scope.join(" and ")));
        if let Some(n) = &p.note {
            s.push_str(&format!(" ({n})"));
        }
        let evidence = match p.evidence {
            Some(crate::rules::Evidence::Primary) => "; evidence: primary",
            Some(crate::rules::Evidence::Secondary) => "; evidence: secondary",
            Some(crate::rules::Evidence::None) => "; evidence: none",
            None => "",
        };
        s.push_str(&format!(" [{}{evidence}]\n", p.citation));
    }
    if !v.exceptions.is_empty() {
        s.push_str("\nLicence exceptions:\n");
        for e in &v.exceptions {
            s.push_str(&format!("  {} ({}) [{}]\n", e.id, e.title, e.citation));
            if !e.destinations.is_empty() {
                s.push_str(&format!("      usable to {}", show_places(&e.destinations)));
                if !e.except.is_empty() {
                    s.push_str(&format!(" less {}", show_places(&e.except)));
                }
                s.push('\n');
            }
            for el in &e.eligible {
                s.push_str(&format!(
                    "      eligible: {} when {}\n",
                    el.paragraphs.join(", "),
                    test_text(&el.test)
                ));
            }
            if let Some(n) = &e.notification {
                s.push_str(&format!(
                    "      prior notification: to {} or end users headquartered in {}{} [{}]\n",
                    show_places(&n.destinations),
                    show_places(&n.headquartered_in),
                    n.days.map(|d| format!(", {d} days")).unwrap_or_default(),
                    n.citation
                ));
            }
        }
    }
    if !v.notes.is_empty() {
        s.push_str("\nNotes:\n");
        for n in &v.notes {
            s.push_str(&format!("  - {n}\n"));
        }
    }
    s
}
