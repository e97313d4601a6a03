//! Country Groups (15 CFR part 740, Supplement No. 1), dated.
//!
//! Membership is a baseline plus dated changes, so the groups on any date
//! can be rebuilt and later changes added as data.

use super::file::{date_of, RawGroups};
use crate::diagnostic::Diagnostic;
use jiff::civil::Date;
use std::collections::{BTreeMap, BTreeSet};

#[derive(Debug, Clone, serde::Serialize, serde::Deserialize)]
pub struct CountryGroups {
    pub title: String,
    pub citation: String,
    pub baseline: Date,
    pub groups: BTreeMap<String, Group>,
    pub changes: Vec<Change>,
    /// Places evaluated as another (Hong Kong as China since 2020-12-23).
    pub treated_as: Vec<TreatedAs>,
}

#[derive(Debug, Clone, serde::Serialize, serde::Deserialize)]
pub struct Group {
    pub id: String,
    pub name: String,
    pub members: BTreeSet<String>,
}

#[derive(Debug, Clone, serde::Serialize, serde::Deserialize)]
pub struct Change {
    /// From this date the change is certain (for a dated change, the date
    /// it took effect; for an undated one, the first date known after).
    pub effective: Date,
    /// For a change no source dates: the last date known before it. Between
    /// this and `effective` (exclusive) whether it had happened is unknown.
    pub known_before: Option<Date>,
    pub group: String,
    pub add: Vec<String>,
    pub remove: Vec<String>,
    pub citation: String,
    /// `primary`, `secondary` or `none`, when the file says.
    pub evidence: Option<String>,
}

impl Change {
    /// Is it unknown on `date` whether this change had happened?
    pub fn uncertain_on(&self, date: Date) -> bool {
        self.known_before
            .is_some_and(|before| date > before && date < self.effective)
    }

    /// Does the change touch `code`?
    pub fn touches(&self, code: &str) -> bool {
        self.add.iter().chain(&self.remove).any(|c| c == code)
    }

    /// The fact, in words: `CY leaves D:5`.
    pub fn describe(&self) -> String {
        let mut what = Vec::new();
        if !self.add.is_empty() {
            what.push(format!("{} joins {}", self.add.join(", "), self.group));
        }
        if !self.remove.is_empty() {
            what.push(format!("{} leaves {}", self.remove.join(", "), self.group));
        }
        what.join("; ")
    }

    /// One way the fact may stand on `date`, in words: `CY had left D:5 by
    /// 2025-06-01` or `CY was still in D:5 on 2025-06-01`.
    pub fn stood(&self, happened: bool, date: Date) -> String {
        let mut what = Vec::new();
        if !self.add.is_empty() {
            let codes = self.add.join(", ");
            what.push(if happened {
                format!("{codes} had joined {} by {date}", self.group)
            } else {
                format!("{codes} was not yet in {} on {date}", self.group)
            });
        }
        if !self.remove.is_empty() {
            let codes = self.remove.join(", ");
            what.push(if happened {
                format!("{codes} had left {} by {date}", self.group)
            } else {
                format!("{codes} was still in {} on {date}", self.group)
            });
        }
        what.join(" and ")
    }

    /// The window, in words, for a reason.
    pub fn window(&self) -> String {
        match self.known_before {
            Some(before) => format!(
                "no source dates it: not yet on {before} (last date known before), done by {} (first date known after)",
                self.effective
            ),
            None => format!("effective {}", self.effective),
        }
    }
}

#[derive(Debug, Clone, serde::Serialize, serde::Deserialize)]
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
            let (effective, known_before) =
                match (&c.effective, &c.last_known_before, &c.first_known_after) {
                    (Some(e), None, None) => (date_of(e, path, source)?, None),
                    (None, Some(before), Some(after)) => {
                        let before = date_of(before, path, source)?;
                        let after_date = date_of(after, path, source)?;
                        if before >= after_date {
                            return Err(Diagnostic::new(
                                path,
                                format!("last_known_before {before} is not before first_known_after {after_date}"),
                            )
                            .at(source, Some(after.span()))
                            .field("change.first_known_after"));
                        }
                        (after_date, Some(before))
                    }
                    _ => {
                        return Err(Diagnostic::new(
                            path,
                            "a change gives either `effective` or both `last_known_before` and `first_known_after` (when no source dates it)",
                        )
                        .at(source, Some(c.group.span()))
                        .field("change"))
                    }
                };
            if let Some(e) = &c.evidence {
                if super::version::Evidence::parse(e).is_none() {
                    return Err(Diagnostic::new(path, super::version::Evidence::unknown(e))
                        .at(source, Some(c.group.span()))
                        .field("change.evidence"));
                }
            }
            changes.push(Change {
                effective,
                known_before,
                group: c.group.into_inner(),
                add,
                remove,
                citation: c.citation,
                evidence: c.evidence,
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

    /// Is `code` in `group` on `date`? The same answer as
    /// `members(group, date).contains(code)`, without building the set: it
    /// is asked once per paragraph and destination, on every result.
    pub fn is_member(&self, group: &str, code: &str, date: Date) -> bool {
        let mut member = self
            .groups
            .get(group)
            .is_some_and(|g| g.members.contains(code));
        for change in self
            .changes
            .iter()
            .filter(|c| c.group == group && c.effective <= date)
        {
            if change.add.iter().any(|c| c == code) {
                member = true;
            }
            if change.remove.iter().any(|c| c == code) {
                member = false;
            }
        }
        member
    }

    /// The groups `code` belongs to on `date`, in id order.
    pub fn groups_of(&self, code: &str, date: Date) -> Vec<String> {
        self.group_ids_of(code, date)
            .into_iter()
            .map(str::to_string)
            .collect()
    }

    /// [`CountryGroups::groups_of`], borrowed from these groups.
    pub fn group_ids_of(&self, code: &str, date: Date) -> Vec<&str> {
        // What `is_member` answers for each group, in one pass over the
        // changes rather than one per group (it is asked for every result).
        let mut member: Vec<(&String, bool)> = self
            .groups
            .iter()
            .map(|(id, g)| (id, g.members.contains(code)))
            .collect();
        for change in self.changes.iter().filter(|c| c.effective <= date) {
            let added = change.add.iter().any(|c| c == code);
            let removed = change.remove.iter().any(|c| c == code);
            if !added && !removed {
                continue;
            }
            if let Some((_, m)) = member.iter_mut().find(|(id, _)| **id == change.group) {
                // As in `is_member`: a removal in the same change wins.
                *m = added && !removed;
            }
        }
        member
            .into_iter()
            .filter(|(_, m)| *m)
            .map(|(id, _)| id.as_str())
            .collect()
    }

    /// The changes touching any of `codes` whose date is unknown on `date`:
    /// the facts an answer may turn on without chipcheck knowing them.
    pub fn uncertain_for(&self, codes: &[&str], date: Date) -> Vec<usize> {
        self.changes
            .iter()
            .enumerate()
            .filter(|(_, c)| c.uncertain_on(date) && codes.iter().any(|code| c.touches(code)))
            .map(|(i, _)| i)
            .collect()
    }

    /// These groups with the undated change `index` settled one way for
    /// `date`: done (`happened`) or not yet.
    pub fn assuming(&self, index: usize, happened: bool, date: Date) -> CountryGroups {
        let mut out = self.clone();
        if let Some(c) = out.changes.get_mut(index) {
            c.known_before = None;
            if happened {
                c.effective = date;
            } else if let Ok(next) = date.tomorrow() {
                c.effective = c.effective.max(next);
            }
        }
        out
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

#[cfg(test)]
mod tests {
    /// `groups_of` answers as `is_member` does for every group, country and
    /// date around every dated change, including settled undated ones.
    #[test]
    fn groups_of_is_is_member_for_every_group() {
        let rules = crate::RuleSet::embedded().unwrap();
        let mut worlds = vec![rules.groups.clone()];
        for (i, c) in rules.groups.changes.iter().enumerate() {
            for happened in [false, true] {
                worlds.push(rules.groups.assuming(i, happened, c.effective));
            }
        }
        for groups in &worlds {
            let mut dates = vec![groups.baseline];
            for c in &groups.changes {
                dates.extend([
                    c.effective,
                    c.effective.yesterday().unwrap(),
                    c.effective.tomorrow().unwrap(),
                ]);
            }
            for date in dates {
                for country in crate::country::all() {
                    let by_one: Vec<String> = groups
                        .groups
                        .keys()
                        .filter(|g| groups.is_member(g, country.code, date))
                        .cloned()
                        .collect();
                    assert_eq!(
                        groups.groups_of(country.code, date),
                        by_one,
                        "{} on {date}",
                        country.code
                    );
                }
            }
        }
    }
}
