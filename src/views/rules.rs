//! Rule versions as people read them: the list, one version in full, and
//! what `rules check` found. Text and JSON; the command line only writes them.

use crate::rules::check::{Finding, Severity};
use crate::rules::{Place, RuleSet, RuleVersion};
use jiff::civil::Date;

pub fn show_places(places: &[Place]) -> String {
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

/// What `rules check` found, as JSON, and the number of errors.
pub fn check_json(checked: &RuleSet, findings: &[Finding]) -> String {
    serde_json::to_string_pretty(&serde_json::json!({
        "rules_origin": checked.origin,
        "rules_hash": checked.hash,
        "versions": checked.versions().len(),
        "findings": findings,
        "errors": errors(findings),
    }))
    .unwrap_or_default()
}

/// How many findings are errors.
pub fn errors(findings: &[Finding]) -> usize {
    findings
        .iter()
        .filter(|f| f.severity == Severity::Error)
        .count()
}

/// What `rules check` found, a line each, then a count.
pub fn check_text(checked: &RuleSet, findings: &[Finding]) -> String {
    let mut s = String::new();
    for f in findings {
        let sev = match f.severity {
            Severity::Error => "error",
            Severity::Warning => "warning",
        };
        let file = if f.file.is_empty() {
            String::new()
        } else {
            format!(" ({})", f.file)
        };
        s.push_str(&format!("{sev}: {}{file}\n", f.message));
    }
    let errors = errors(findings);
    s.push_str(&format!(
        "{} rule versions in {}: {errors} errors, {} warnings\n",
        checked.versions().len(),
        checked.origin,
        findings.len().saturating_sub(errors)
    ));
    s
}

/// Every rule version, as JSON, with its status on `today`.
pub fn list_json(rules: &RuleSet, today: Date) -> String {
    let versions: Vec<serde_json::Value> = rules
        .versions()
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

/// Every rule version, a row each, with its status on `today`.
pub fn list_text(rules: &RuleSet, today: Date) -> String {
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
        .versions()
        .map(|v| {
            let next = rules
                .versions()
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

/// One rule version in full, as JSON.
pub fn show_json(v: &RuleVersion) -> serde_json::Value {
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
        "in_force_known_before": v.in_force_known_before.map(|d| d.to_string()),
        "in_force_evidence": v.in_force_evidence.map(evidence_name),
        "until": v.until.map(|d| d.to_string()), "not_enforced_from": v.not_enforced_from.map(|d| d.to_string()),
        "supersedes": v.supersedes, "reviewed": v.reviewed.to_string(), "summary": v.summary, "notes": v.notes,
        "paragraphs": v.paragraphs.iter().map(|p| { let (all, any) = strings(&p.test); json!({"id": p.id, "summary": p.summary, "all": all, "any": any, "unless": p.unless, "citation": p.citation}) }).collect::<Vec<_>>(),
        "exclusions": v.exclusions.iter().map(|e| { let (all, any) = strings(&e.test); json!({"id": e.id, "summary": e.summary, "all": all, "any": any, "paragraphs": e.paragraphs, "citation": e.citation}) }).collect::<Vec<_>>(),
        "license_requirements": v.requirements.iter().map(|r| json!({"id": r.id, "summary": r.summary, "paragraphs": r.paragraphs, "destinations": show_places(&r.destinations), "except": show_places(&r.except), "headquartered_in": show_places(&r.headquartered_in), "citation": r.citation})).collect::<Vec<_>>(),
        "review_policies": v.policies.iter().map(|p| json!({"policy": p.policy, "destinations": show_places(&p.destinations), "headquartered_in": show_places(&p.headquartered_in), "paragraphs": p.paragraphs, "all": strings(&p.test).0, "note": p.note, "citation": p.citation, "evidence": p.evidence.map(evidence_name)})).collect::<Vec<_>>(),
        "exceptions": v.exceptions.iter().map(|e| json!({"id": e.id, "title": e.title, "destinations": show_places(&e.destinations), "except": show_places(&e.except), "eligible": e.eligible.iter().map(|el| { let (all, any) = strings(&el.test); json!({"paragraphs": el.paragraphs, "all": all, "any": any}) }).collect::<Vec<_>>(), "notification": e.notification.as_ref().map(|n| json!({"destinations": show_places(&n.destinations), "headquartered_in": show_places(&n.headquartered_in), "days": n.days, "citation": n.citation})), "citation": e.citation})).collect::<Vec<_>>(),
        "systems": v.systems.as_ref().map(|s| json!({"eccn": s.eccn, "summary": s.summary, "paragraph_map": s.paragraph_map, "citation": s.citation})),
    })
}

fn evidence_name(e: crate::rules::Evidence) -> &'static str {
    match e {
        crate::rules::Evidence::Primary => "primary",
        crate::rules::Evidence::Secondary => "secondary",
        crate::rules::Evidence::None => "none",
    }
}

/// One rule version in full, as people read it.
pub fn show_text(rules: &RuleSet, v: &RuleVersion, today: Date) -> String {
    let mut s = String::new();
    heading(&mut s, rules, v, today);
    paragraphs(&mut s, v);
    requirements(&mut s, rules, v, today);
    policies(&mut s, v);
    exceptions(&mut s, v);
    notes(&mut s, v);
    s
}

/// Id, title, citation, dates, summary and what the version applies to.
fn heading(s: &mut String, rules: &RuleSet, v: &RuleVersion, today: Date) {
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
    if let Some(before) = v.in_force_known_before {
        s.push_str(&format!(
            " (no source gives the day: not yet on {before}, in force by {})",
            v.in_force
        ));
    }
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
}

/// Paragraphs, exclusions and the systems map.
fn paragraphs(s: &mut String, v: &RuleVersion) {
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
}

/// Licence requirements, with the members of each group named.
fn requirements(s: &mut String, rules: &RuleSet, v: &RuleVersion, today: Date) {
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
}

/// Review policies, first match first, with their evidence.
fn policies(s: &mut String, v: &RuleVersion) {
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
}

/// Licence exceptions and their notifications.
fn exceptions(s: &mut String, v: &RuleVersion) {
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
}

/// The version's notes.
fn notes(s: &mut String, v: &RuleVersion) {
    if !v.notes.is_empty() {
        s.push_str("\nNotes:\n");
        for n in &v.notes {
            s.push_str(&format!("  - {n}\n"));
        }
    }
}
