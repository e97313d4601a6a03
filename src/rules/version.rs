//! A checked rule version: paragraphs with parsed conditions, destination
//! sets resolved against the country groups, citations required.

use super::file::{date_of, RawKind, RawVersion};
use super::groups::CountryGroups;
use crate::condition::Condition;
use crate::diagnostic::{did_you_mean, Diagnostic};
use jiff::civil::Date;
use serde::Serialize;
use toml::Spanned;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, serde::Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum RuleKind {
    /// A rule published in the Federal Register; one is in force at a time.
    Regulation,
    /// A company-specific "is-informed" letter, layered over the regulation.
    Letter,
}

#[derive(Debug, Clone, Serialize, serde::Deserialize)]
pub struct RuleVersion {
    pub id: String,
    pub title: String,
    pub kind: RuleKind,
    pub authority: String,
    pub citation: String,
    pub fr_doc: Option<String>,
    pub url: Option<String>,
    pub published: Date,
    pub in_force: Date,
    /// How sure `in_force` is (`primary`, `secondary`, `none`), when said.
    pub in_force_evidence: Option<Evidence>,
    /// For a start no source dates: the last date known before it. Between
    /// this and `in_force` (exclusive) whether it applied is unknown.
    pub in_force_known_before: Option<Date>,
    pub until: Option<Date>,
    pub not_enforced_from: Option<Date>,
    pub not_enforced_citation: Option<String>,
    pub supersedes: Vec<String>,
    pub reviewed: Date,
    pub summary: Option<String>,
    pub notes: Vec<String>,
    pub applies_to: Option<AppliesTo>,
    pub paragraphs: Vec<Paragraph>,
    pub exclusions: Vec<Exclusion>,
    pub requirements: Vec<Requirement>,
    pub policies: Vec<Policy>,
    pub exceptions: Vec<Exception>,
    pub systems: Option<Systems>,
    /// Where performance density can decide the answer (`density_decides`
    /// in the file), so that a die whose planarity is not given is worked
    /// out both ways only there; none: wherever a test turns on it.
    pub density_decides: Option<Vec<Condition>>,
    /// The file it came from, for messages.
    pub path: String,
}

#[derive(Debug, Clone, Serialize, serde::Deserialize)]
pub struct AppliesTo {
    pub vendor: String,
    /// `vendor` as the library's normaliser keys it, worked out once (a
    /// chip's vendor is compared with it for every result).
    pub vendor_key: String,
    pub products: Vec<String>,
    /// Every name the letter's products go by, normalised: the products as
    /// written, and the names and aliases of the library chips they are.
    /// Each with the product it stands for.
    pub names: Vec<(String, crate::library::ProductName)>,
    /// How each of `names` looks (`library::look` of its core), in the same
    /// order: a chip whose name looks like one may be that product.
    pub looks: Vec<String>,
    /// `library::char_mask` of each of `names`' cores, in the same order.
    pub core_masks: Vec<u64>,
    pub reaching_all: Vec<Condition>,
    pub reaching_any: Vec<Condition>,
    pub any_vendor: bool,
}

/// A condition tree of the small form rule files use: all of `all` and, when
/// `any` is not empty, at least one of `any`.
#[derive(Debug, Clone, Default, Serialize, serde::Deserialize)]
pub struct Test {
    pub all: Vec<Condition>,
    pub any: Vec<Condition>,
}

#[derive(Debug, Clone, Serialize, serde::Deserialize)]
pub struct Paragraph {
    pub id: String,
    pub summary: String,
    pub test: Test,
    pub unless: Vec<String>,
    pub citation: String,
}

#[derive(Debug, Clone, Serialize, serde::Deserialize)]
pub struct Exclusion {
    pub id: String,
    pub summary: String,
    pub test: Test,
    pub paragraphs: Vec<String>,
    pub citation: String,
}

/// A set of places: country groups, single countries, or everywhere.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, serde::Deserialize)]
pub enum Place {
    Everywhere,
    Group(String),
    Country(String),
}

#[derive(Debug, Clone, Serialize, serde::Deserialize)]
pub struct Requirement {
    pub id: String,
    pub summary: String,
    pub paragraphs: Vec<String>,
    pub destinations: Vec<Place>,
    pub except: Vec<Place>,
    pub headquartered_in: Vec<Place>,
    pub citation: String,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, serde::Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum ReviewPolicy {
    PresumptionOfDenial,
    CaseByCase,
    PresumptionOfApproval,
    /// No source states the policy, or the answer turns on a fact chipcheck
    /// does not know; the reasons say which.
    Unknown,
}

impl ReviewPolicy {
    pub fn name(self) -> &'static str {
        match self {
            ReviewPolicy::PresumptionOfDenial => "presumption_of_denial",
            ReviewPolicy::CaseByCase => "case_by_case",
            ReviewPolicy::PresumptionOfApproval => "presumption_of_approval",
            ReviewPolicy::Unknown => "unknown",
        }
    }

    pub fn words(self) -> &'static str {
        match self {
            ReviewPolicy::PresumptionOfDenial => "presumption of denial",
            ReviewPolicy::CaseByCase => "case-by-case review",
            ReviewPolicy::PresumptionOfApproval => "presumption of approval",
            ReviewPolicy::Unknown => "review policy not known",
        }
    }
}

/// How sure a fact in a rule file is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, serde::Deserialize)]
pub enum Evidence {
    /// The text of the rule, filing or agency notice was read.
    Primary,
    /// A secondary source (law firm, press, tracker) states it.
    Secondary,
    /// No source states it: chipcheck's assumption.
    None,
}

impl Evidence {
    pub fn parse(text: &str) -> Option<Evidence> {
        match text {
            "primary" => Some(Evidence::Primary),
            "secondary" => Some(Evidence::Secondary),
            "none" => Some(Evidence::None),
            _ => None,
        }
    }

    /// The message for a value that is none of them.
    pub fn unknown(text: &str) -> String {
        format!("evidence `{text}` is not one of primary, secondary, none")
    }
}

#[derive(Debug, Clone, Serialize, serde::Deserialize)]
pub struct Policy {
    pub policy: ReviewPolicy,
    /// How sure the policy is, when the file says.
    pub evidence: Option<Evidence>,
    pub destinations: Vec<Place>,
    pub headquartered_in: Vec<Place>,
    pub paragraphs: Vec<String>,
    pub test: Test,
    pub note: Option<String>,
    pub citation: String,
}

#[derive(Debug, Clone, Serialize, serde::Deserialize)]
pub struct Exception {
    pub id: String,
    pub title: String,
    pub citation: String,
    pub destinations: Vec<Place>,
    pub except: Vec<Place>,
    pub headquartered_in: Vec<Place>,
    pub except_headquartered_in: Vec<Place>,
    pub eligible: Vec<Eligible>,
    pub notification: Option<Notification>,
}

#[derive(Debug, Clone, Serialize, serde::Deserialize)]
pub struct Eligible {
    pub paragraphs: Vec<String>,
    pub test: Test,
}

#[derive(Debug, Clone, Serialize, serde::Deserialize)]
pub struct Notification {
    pub destinations: Vec<Place>,
    pub headquartered_in: Vec<Place>,
    pub days: Option<u32>,
    pub citation: String,
}

#[derive(Debug, Clone, Serialize, serde::Deserialize)]
pub struct Systems {
    pub eccn: String,
    pub summary: String,
    pub paragraph_map: Vec<(String, String)>,
    pub citation: String,
}

/// Does paragraph reference `prefix` cover paragraph `id`? `3A090` covers
/// `3A090.a.1`; `3A090.a` does not cover `3A090.ab`.
pub fn covers(prefix: &str, id: &str) -> bool {
    id == prefix
        || (id.len() > prefix.len()
            && id.starts_with(prefix)
            && id.as_bytes()[prefix.len()] == b'.')
}

struct Checker<'a> {
    path: &'a str,
    source: &'a str,
    groups: &'a CountryGroups,
}

impl Checker<'_> {
    fn error(&self, span: std::ops::Range<usize>, message: String) -> Diagnostic {
        Diagnostic::new(self.path, message).at(self.source, Some(span))
    }

    /// An `evidence` key, when given: primary, secondary or none.
    fn evidence(&self, raw: &Option<Spanned<String>>) -> Result<Option<Evidence>, Diagnostic> {
        raw.as_ref()
            .map(|e| {
                Evidence::parse(e.get_ref())
                    .ok_or_else(|| self.error(e.span(), Evidence::unknown(e.get_ref())))
            })
            .transpose()
    }

    fn conditions(
        &self,
        raw: &[Spanned<String>],
        field: &str,
    ) -> Result<Vec<Condition>, Diagnostic> {
        raw.iter()
            .map(|c| {
                Condition::parse(c.get_ref()).map_err(|m| self.error(c.span(), m).field(field))
            })
            .collect()
    }

    fn test(
        &self,
        all: &[Spanned<String>],
        any: &[Spanned<String>],
        field: &str,
    ) -> Result<Test, Diagnostic> {
        Ok(Test {
            all: self.conditions(all, &format!("{field}.all"))?,
            any: self.conditions(any, &format!("{field}.any"))?,
        })
    }

    fn places(&self, raw: &[Spanned<String>], field: &str) -> Result<Vec<Place>, Diagnostic> {
        raw.iter()
            .map(|p| {
                let text = p.get_ref().trim();
                if text == "*" {
                    Ok(Place::Everywhere)
                } else if self.groups.groups.contains_key(text) {
                    Ok(Place::Group(text.to_string()))
                } else if crate::country::is_code(text) {
                    Ok(Place::Country(text.to_string()))
                } else {
                    let mut names: Vec<&str> =
                        self.groups.groups.keys().map(String::as_str).collect();
                    names.push("*");
                    let help = match did_you_mean(text, names.iter().copied()) {
                        Some(near) => format!("did you mean `{near}`?"),
                        None => format!(
                            "use a country group ({}), an ISO country code, or `*`",
                            names.join(", ")
                        ),
                    };
                    Err(self
                        .error(
                            p.span(),
                            format!("unknown country group or country `{text}`"),
                        )
                        .field(field)
                        .help(help))
                }
            })
            .collect()
    }

    fn paragraph_refs(
        &self,
        raw: &[Spanned<String>],
        known: &[String],
        field: &str,
    ) -> Result<Vec<String>, Diagnostic> {
        raw.iter()
            .map(|r| {
                let text = r.get_ref().trim().to_string();
                if known.iter().any(|id| covers(&text, id)) {
                    Ok(text)
                } else {
                    let help = match did_you_mean(&text, known.iter().map(String::as_str)) {
                        Some(near) => format!("did you mean `{near}`?"),
                        None => format!("paragraphs in this file: {}", known.join(", ")),
                    };
                    Err(self
                        .error(
                            r.span(),
                            format!("`{text}` names no paragraph of this rule"),
                        )
                        .field(field)
                        .help(help))
                }
            })
            .collect()
    }

    fn citation(
        &self,
        citation: &str,
        what: &str,
        span: std::ops::Range<usize>,
    ) -> Result<String, Diagnostic> {
        if citation.trim().is_empty() {
            Err(self.error(span, format!("{what} has an empty citation")).help(
                "cite the Federal Register volume and page and the CFR section, e.g. \"88 FR 73458; 15 CFR 774 Supp. No. 1, ECCN 3A090.a\"",
            ))
        } else {
            Ok(citation.trim().to_string())
        }
    }
}

impl RuleVersion {
    pub(super) fn from_raw(
        raw: RawVersion,
        path: &str,
        source: &str,
        groups: &CountryGroups,
    ) -> Result<RuleVersion, Diagnostic> {
        let c = Checker {
            path,
            source,
            groups,
        };
        let id_span = raw.id.span();
        if raw.schema != 1 {
            return Err(c.error(
                id_span,
                format!(
                    "unsupported rule schema {}; this chipcheck reads schema 1",
                    raw.schema
                ),
            ));
        }
        let citation = c.citation(&raw.citation, "the rule", id_span.clone())?;
        let kind = match raw.kind {
            RawKind::Regulation => RuleKind::Regulation,
            RawKind::Letter => RuleKind::Letter,
        };
        let applies_to = match raw.applies_to {
            Some(a) => Some(AppliesTo {
                looks: Vec::new(),
                core_masks: Vec::new(),
                names: letter_names(&a.vendor, &a.products),
                vendor_key: crate::library::vendor_key(&a.vendor),
                vendor: a.vendor,
                products: a.products,
                reaching_all: c.conditions(&a.reaching_all, "applies_to.reaching_all")?,
                reaching_any: c.conditions(&a.reaching_any, "applies_to.reaching_any")?,
                any_vendor: a.any_vendor,
            }),
            None => None,
        };
        let applies_to = applies_to.map(|a| AppliesTo {
            looks: a
                .names
                .iter()
                .map(|(_, n)| crate::library::look(&n.core))
                .collect(),
            core_masks: a
                .names
                .iter()
                .map(|(_, n)| crate::library::char_mask(&n.core))
                .collect(),
            ..a
        });
        if kind == RuleKind::Letter && applies_to.is_none() {
            return Err(c.error(
                id_span,
                "a letter needs an [applies_to] table naming its vendor and products".into(),
            ));
        }

        let mut paragraphs: Vec<Paragraph> = Vec::new();
        let mut known: Vec<String> = Vec::new();
        for p in raw.paragraph {
            let id = p.id.get_ref().trim().to_string();
            if known.contains(&id) {
                return Err(c.error(p.id.span(), format!("paragraph `{id}` is defined twice")));
            }
            // `unless` may only name paragraphs defined above, so evaluation
            // in file order never needs a value it has not computed.
            let unless = c.paragraph_refs(&p.unless, &known, "paragraph.unless")?;
            let test = c.test(&p.all, &p.any, "paragraph")?;
            let citation = c.citation(&p.citation, &format!("paragraph `{id}`"), p.id.span())?;
            known.push(id.clone());
            paragraphs.push(Paragraph {
                id,
                summary: p.summary,
                test,
                unless,
                citation,
            });
        }
        if paragraphs.is_empty() {
            return Err(c.error(id_span, "a rule needs at least one [[paragraph]]".into()));
        }

        let systems = match raw.systems {
            Some(s) => {
                let mut map = Vec::new();
                for (from, to) in s.paragraph_map {
                    let to = to.as_str().map(str::to_string).ok_or_else(|| {
                        c.error(
                            id_span.clone(),
                            format!("systems.paragraph_map: `{from}` must map to a string"),
                        )
                    })?;
                    if !known.iter().any(|id| covers(&from, id)) {
                        return Err(c.error(
                            id_span.clone(),
                            format!(
                                "systems.paragraph_map: `{from}` names no paragraph of this rule"
                            ),
                        ));
                    }
                    map.push((from, to));
                }
                Some(Systems {
                    eccn: s.eccn,
                    summary: s.summary,
                    paragraph_map: map,
                    citation: s.citation,
                })
            }
            None => None,
        };
        // Requirements and exceptions may name system paragraphs (4A090.a)
        // as well as the chip paragraphs they come from.
        let mut referable = known.clone();
        if let Some(s) = &systems {
            referable.extend(s.paragraph_map.iter().map(|(_, to)| to.clone()));
        }

        let mut exclusions = Vec::new();
        for e in raw.exclusion {
            exclusions.push(Exclusion {
                test: c.test(&e.all, &e.any, "exclusion")?,
                paragraphs: c.paragraph_refs(&e.paragraphs, &known, "exclusion.paragraphs")?,
                citation: c.citation(
                    &e.citation,
                    &format!("exclusion `{}`", e.id),
                    id_span.clone(),
                )?,
                id: e.id,
                summary: e.summary,
            });
        }
        let mut requirements = Vec::new();
        for r in raw.license_requirement {
            if r.destinations.is_empty() && r.headquartered_in.is_empty() {
                return Err(c.error(id_span.clone(), format!(
                    "license_requirement `{}` needs `destinations`, `headquartered_in`, or both", r.id
                )));
            }
            requirements.push(Requirement {
                paragraphs: c.paragraph_refs(
                    &r.paragraphs,
                    &referable,
                    "license_requirement.paragraphs",
                )?,
                destinations: c.places(&r.destinations, "license_requirement.destinations")?,
                except: c.places(&r.except, "license_requirement.except")?,
                headquartered_in: c
                    .places(&r.headquartered_in, "license_requirement.headquartered_in")?,
                citation: c.citation(
                    &r.citation,
                    &format!("license_requirement `{}`", r.id),
                    id_span.clone(),
                )?,
                id: r.id,
                summary: r.summary,
            });
        }
        let mut policies = Vec::new();
        for p in raw.review_policy {
            let policy = match p.policy.get_ref().as_str() {
                "presumption_of_denial" => ReviewPolicy::PresumptionOfDenial,
                "case_by_case" => ReviewPolicy::CaseByCase,
                "presumption_of_approval" => ReviewPolicy::PresumptionOfApproval,
                "unknown" => ReviewPolicy::Unknown,
                other => {
                    let names = [
                        "presumption_of_denial",
                        "case_by_case",
                        "presumption_of_approval",
                    ];
                    return Err(c
                        .error(p.policy.span(), format!("unknown review policy `{other}`"))
                        .help(match did_you_mean(other, names) {
                            Some(n) => format!("did you mean `{n}`?"),
                            None => format!("one of: {}", names.join(", ")),
                        }));
                }
            };
            let evidence = c.evidence(&p.evidence)?;
            policies.push(Policy {
                policy,
                evidence,
                destinations: c.places(&p.destinations, "review_policy.destinations")?,
                headquartered_in: c
                    .places(&p.headquartered_in, "review_policy.headquartered_in")?,
                paragraphs: c.paragraph_refs(
                    &p.paragraphs,
                    &referable,
                    "review_policy.paragraphs",
                )?,
                test: c.test(&p.all, &[], "review_policy")?,
                note: p.note,
                citation: c.citation(&p.citation, "review_policy", p.policy.span())?,
            });
        }
        let mut exceptions = Vec::new();
        for e in raw.exception {
            let mut eligible = Vec::new();
            for el in &e.eligible {
                eligible.push(Eligible {
                    paragraphs: c.paragraph_refs(
                        &el.paragraphs,
                        &referable,
                        "exception.eligible.paragraphs",
                    )?,
                    test: c.test(&el.all, &el.any, "exception.eligible")?,
                });
            }
            let notification = match &e.notification {
                Some(n) => Some(Notification {
                    destinations: c
                        .places(&n.destinations, "exception.notification.destinations")?,
                    headquartered_in: c.places(
                        &n.headquartered_in,
                        "exception.notification.headquartered_in",
                    )?,
                    days: n.days,
                    citation: n.citation.clone(),
                }),
                None => None,
            };
            exceptions.push(Exception {
                citation: c.citation(
                    &e.citation,
                    &format!("exception `{}`", e.id),
                    id_span.clone(),
                )?,
                destinations: c.places(&e.destinations, "exception.destinations")?,
                except: c.places(&e.except, "exception.except")?,
                headquartered_in: c.places(&e.headquartered_in, "exception.headquartered_in")?,
                except_headquartered_in: c.places(
                    &e.except_headquartered_in,
                    "exception.except_headquartered_in",
                )?,
                eligible,
                notification,
                id: e.id,
                title: e.title,
            });
        }

        let mut supersedes = Vec::new();
        for s in &raw.supersedes {
            supersedes.push(s.get_ref().clone());
        }
        let in_force = date_of(&raw.in_force, path, source)?;
        let until = raw
            .until
            .as_ref()
            .map(|d| date_of(d, path, source))
            .transpose()?;
        if let Some(u) = until {
            if u <= in_force {
                return Err(c.error(
                    raw.until.as_ref().map(|d| d.span()).unwrap_or(id_span),
                    format!("`until` ({u}) must be after `in_force` ({in_force})"),
                ));
            }
        }
        let in_force_evidence = c.evidence(&raw.in_force_evidence)?;
        let in_force_known_before = raw
            .in_force_known_before
            .as_ref()
            .map(|d| date_of(d, path, source))
            .transpose()?;
        if let (Some(before), Some(span)) =
            (in_force_known_before, raw.in_force_known_before.as_ref())
        {
            if before >= in_force {
                return Err(c.error(
                    span.span(),
                    format!(
                        "`in_force_known_before` ({before}) must be before `in_force` ({in_force})"
                    ),
                ));
            }
        }
        Ok(RuleVersion {
            in_force_evidence,
            in_force_known_before,
            id: raw.id.into_inner(),
            title: raw.title,
            kind,
            authority: raw.authority,
            citation,
            fr_doc: raw.fr_doc,
            url: raw.url,
            published: date_of(&raw.published, path, source)?,
            in_force,
            until,
            not_enforced_from: raw
                .not_enforced_from
                .as_ref()
                .map(|d| date_of(d, path, source))
                .transpose()?,
            not_enforced_citation: raw.not_enforced_citation,
            supersedes,
            reviewed: date_of(&raw.reviewed, path, source)?,
            summary: raw.summary,
            notes: raw.notes,
            applies_to,
            paragraphs,
            exclusions,
            requirements,
            policies,
            exceptions,
            systems,
            density_decides: (!raw.density_decides.is_empty())
                .then(|| c.conditions(&raw.density_decides, "density_decides"))
                .transpose()?,
            path: path.to_string(),
        })
    }

    /// Is it unknown on `date` whether this version had come into force?
    pub fn start_uncertain_on(&self, date: Date) -> bool {
        self.window().start_uncertain_on(date)
    }

    /// The dates that say when it applies.
    pub fn window(&self) -> Window {
        Window {
            in_force: self.in_force,
            in_force_known_before: self.in_force_known_before,
            until: self.until,
            not_enforced_from: self.not_enforced_from,
        }
    }

    /// Every test the version makes, as its `all` and `any` conditions:
    /// paragraphs, exclusions, exceptions' eligibility, policies, and a
    /// letter's figures.
    pub fn every_test(&self) -> impl Iterator<Item = (&[Condition], &[Condition])> {
        let tests = self
            .paragraphs
            .iter()
            .map(|p| &p.test)
            .chain(self.exclusions.iter().map(|e| &e.test))
            .chain(
                self.exceptions
                    .iter()
                    .flat_map(|e| e.eligible.iter().map(|el| &el.test)),
            )
            .chain(self.policies.iter().map(|p| &p.test))
            .map(|t| (t.all.as_slice(), t.any.as_slice()));
        let reaching = self
            .applies_to
            .iter()
            .map(|a| (a.reaching_all.as_slice(), a.reaching_any.as_slice()));
        tests.chain(reaching)
    }

    /// Is the rule legally in force, and enforced, on `date`?
    pub fn in_force_on(&self, date: Date) -> bool {
        self.window().in_force_on(date)
    }
}

/// A version's dates, which say when it applies: all a rule set needs to
/// know of a version before it is asked for the version itself.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, serde::Deserialize)]
pub struct Window {
    pub in_force: Date,
    pub in_force_known_before: Option<Date>,
    pub until: Option<Date>,
    pub not_enforced_from: Option<Date>,
}

impl Window {
    /// Is the rule legally in force, and enforced, on `date`?
    pub fn in_force_on(&self, date: Date) -> bool {
        date >= self.in_force
            && self.until.is_none_or(|u| date < u)
            && self.not_enforced_from.is_none_or(|n| date < n)
    }

    /// Is it unknown on `date` whether the version had come into force?
    pub fn start_uncertain_on(&self, date: Date) -> bool {
        self.in_force_known_before
            .is_some_and(|before| date > before && date < self.in_force)
    }
}

/// The names a letter's products go by: each as written and, where the
/// library holds that product (by name, vendor and memory size, never by a
/// guess), its library name and aliases too. Each pair once, in the order
/// first met: a repeat could never be matched first.
fn letter_names(vendor: &str, products: &[String]) -> Vec<(String, crate::library::ProductName)> {
    use crate::library::{named, normalise_name};
    let mut out: Vec<(String, crate::library::ProductName)> = Vec::new();
    let mut add = |product: &String, name: crate::library::ProductName| {
        if !out.iter().any(|(p, n)| p == product && *n == name) {
            out.push((product.clone(), name));
        }
    };
    for product in products {
        add(product, normalise_name(product, Some(vendor)));
        // An unreadable library is reported by whoever reads it; the
        // products as written still match.
        for chip in named(product, Some(vendor)).unwrap_or_default() {
            for name in &chip.names {
                add(product, name.clone());
            }
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::covers;

    #[test]
    fn paragraph_prefixes_cover_on_dot_boundaries() {
        assert!(covers("3A090", "3A090.a.1"));
        assert!(covers("3A090.a", "3A090.a.2"));
        assert!(covers("3A090.a.1", "3A090.a.1"));
        assert!(!covers("3A090.a", "3A090.ab"));
        assert!(!covers("3A090.b", "3A090.a.1"));
    }
}
