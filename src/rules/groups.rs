//! Country Groups (15 CFR part 740, Supplement No. 1), dated.
//!
//! Membership is a baseline plus dated changes, so the groups on any date
//! can be rebuilt and later changes added as data.

use super::file::{date_of, RawGroups};
use crate::diagnostic::Diagnostic;
use jiff::civil::Date;
use std::collections::{BTreeMap, BTreeSet};

#[derive(Debug, Clone)]
pub struct CountryGroups {
    pub title: String,
    pub citation: String,
    pub baseline: Date,
    pub groups: BTreeMap<String, Group>,
    pub changes: Vec<Change>,
    /// Places evaluated as another (Hong Kong as China since 2020-12-23).
    pub treated_as: Vec<TreatedAs>,
}

#[derive(Debug, Clone)]
pub struct Group {
    pub id: String,
    pub name: String,
    pub members: BTreeSet<String>,
}

#[derive(Debug, Clone)]
pub struct Change {
    pub effective: Date,
    pub group: String,
    pub add: Vec<String>,
    pub remove: Vec<String>,
    pub citation: String,
}

#[derive(Debug, Clone)]
pub struct TreatedAs {
    pub code: String,
    pub treated_as: String,
    pub since: Date,
    pub citation: String,
}

impl CountryGroups {
    pub(super) fn from_raw(raw: RawGroups, path: &str, source: &str) -> Result<Self, Diagnostic> {
        if raw.schema != 1 {
            return Err(Diagnostic::new(
                path,
                format!(
                    "unsupported country-groups schema {}; this chipcheck reads schema 1",
                    raw.schema
                ),
            ));
        }
        let mut groups = BTreeMap::new();
        for g in raw.group {
            let members = g
                .members
                .iter()
                .map(|m| check_code(m, path, source))
                .collect::<Result<BTreeSet<_>, _>>()?;
            groups.insert(
                g.id.get_ref().clone(),
                Group {
                    id: g.id.into_inner(),
                    name: g.name,
                    members,
                },
            );
        }
        let mut changes = Vec::new();
        for c in raw.change {
            if !groups.contains_key(c.group.get_ref()) {
                return Err(Diagnostic::new(
                    path,
                    format!("unknown country group `{}`", c.group.get_ref()),
                )
                .at(source, Some(c.group.span()))
                .field("change.group"));
            }
            let add = c
                .add
                .iter()
                .map(|m| check_code(m, path, source))
                .collect::<Result<_, _>>()?;
            let remove = c
                .remove
                .iter()
                .map(|m| check_code(m, path, source))
                .collect::<Result<_, _>>()?;
            changes.push(Change {
                effective: date_of(&c.effective, path, source)?,
                group: c.group.into_inner(),
                add,
                remove,
                citation: c.citation,
            });
        }
        changes.sort_by_key(|c| c.effective);
        let mut treated_as = Vec::new();
        for t in raw.treated_as {
            treated_as.push(TreatedAs {
                code: check_code(&t.code, path, source)?,
                treated_as: check_code(&t.r#as, path, source)?,
                since: date_of(&t.since, path, source)?,
                citation: t.citation,
            });
        }
        Ok(CountryGroups {
            title: raw.title,
            citation: raw.citation,
            baseline: date_of(&raw.baseline, path, source)?,
            groups,
            changes,
            treated_as,
        })
    }

    /// The code a destination is evaluated as on `date` (HK -> CN).
    pub fn evaluated_as<'a>(
        &'a self,
        code: &'a str,
        date: Date,
    ) -> (&'a str, Option<&'a TreatedAs>) {
        for t in &self.treated_as {
            if t.code == code && date >= t.since {
                return (t.treated_as.as_str(), Some(t));
            }
        }
        (code, None)
    }

    /// Members of `group` on `date`.
    pub fn members(&self, group: &str, date: Date) -> BTreeSet<String> {
        let mut members = self
            .groups
            .get(group)
            .map(|g| g.members.clone())
            .unwrap_or_default();
        for change in self
            .changes
            .iter()
            .filter(|c| c.group == group && c.effective <= date)
        {
            for code in &change.add {
                members.insert(code.clone());
            }
            for code in &change.remove {
                members.remove(code);
            }
        }
        members
    }

    /// The groups `code` belongs to on `date`, in id order.
    pub fn groups_of(&self, code: &str, date: Date) -> Vec<String> {
        self.groups
            .keys()
            .filter(|g| self.members(g, date).contains(code))
            .cloned()
            .collect()
    }

    /// The dated changes that touch `code`, for explanations.
    pub fn changes_for(&self, code: &str) -> impl Iterator<Item = &Change> {
        let code = code.to_string();
        self.changes
            .iter()
            .filter(move |c| c.add.contains(&code) || c.remove.contains(&code))
    }
}

fn check_code(
    code: &toml::Spanned<String>,
    path: &str,
    source: &str,
) -> Result<String, Diagnostic> {
    let value = code.get_ref();
    if crate::country::is_code(value) {
        Ok(value.clone())
    } else {
        Err(Diagnostic::new(
            path,
            format!("`{value}` is not an ISO 3166-1 alpha-2 country code"),
        )
        .at(source, Some(code.span())))
    }
}
