//! `chipcheck rules`: list, show and check rule versions.

use super::super::args::{Format, RulesAction, RulesArgs};
use super::super::write_out;
use crate::error::Error;
use crate::rules::RuleSet;
use crate::views::rules as view;
use jiff::civil::Date;
use std::io::Write;

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
            let text = match args.format {
                Format::Json => view::check_json(&checked, &findings),
                Format::Table => view::check_text(&checked, &findings),
            };
            write_out(out, &text)?;
            return Ok(if view::errors(&findings) > 0 {
                crate::verdict::exit::ERROR
            } else {
                0
            });
        }
        RulesAction::List => {
            let text = match args.format {
                Format::Json => view::list_json(rules, today),
                Format::Table => view::list_text(rules, today),
            };
            write_out(out, &text)?;
        }
        RulesAction::Show { id } => {
            let Some(v) = rules.get(&id) else {
                let ids: Vec<&str> = rules.versions().map(|v| v.id.as_str()).collect();
                let hint = crate::diagnostic::did_you_mean(&id, ids.iter().copied())
                    .map(|n| format!("did you mean `{n}`?"))
                    .unwrap_or_else(|| format!("versions: {}", ids.join(", ")));
                return Err(Error::Usage(format!("no rule version `{id}`; {hint}")));
            };
            let text = match args.format {
                Format::Json => {
                    serde_json::to_string_pretty(&view::show_json(v)).unwrap_or_default()
                }
                Format::Table => view::show_text(rules, v, today),
            };
            write_out(out, &text)?;
        }
    }
    Ok(0)
}
