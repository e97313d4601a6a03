//! The embedded rules and chip library as loaded, kept in `src/compiled/`
//! as JSON so that a run reads them instead of parsing and checking the
//! TOML (most of a one-shot run's time).
//!
//! A test writes each form from the TOML and fails when the committed one
//! differs (`CHIPCHECK_UPDATE_COMPILED=1 cargo test compiled` rewrites
//! them). Each form records the fingerprint of what it was made from: the
//! rule files, the chip files and the Rust that loads them (build.rs works
//! it out for those built in). A form that does not match is never used,
//! and the TOML is loaded instead, so a stale form cannot answer.

use serde::de::DeserializeOwned;
use serde::{Deserialize, Serialize};

/// The fingerprint of the files the forms must have been made from: the
/// rule files, the chip files and the Rust that loads them (build.rs).
pub const FINGERPRINT: &str = include!(concat!(env!("OUT_DIR"), "/compiled_fingerprint.rs"));

/// The environment variable that makes the tests rewrite the forms.
pub const UPDATE_VAR: &str = "CHIPCHECK_UPDATE_COMPILED";

#[derive(Serialize, Deserialize)]
struct Form<T> {
    /// The fingerprint of the files the content was loaded from.
    fingerprint: String,
    content: T,
}

/// The content of a form made from the files whose fingerprint is
/// `fingerprint`; `None` for a form of other files or one that does not read.
pub fn read<T: DeserializeOwned>(text: &str, fingerprint: &str) -> Option<T> {
    let form: Form<T> = serde_json::from_str(text).ok()?;
    (form.fingerprint == fingerprint).then_some(form.content)
}

/// The first line of a form with parts: `content`, and the length of each
/// part's line, so that no run has to search the text for line ends.
#[derive(Serialize, Deserialize)]
struct FormWithParts<T> {
    fingerprint: String,
    part_lengths: Vec<usize>,
    content: T,
}

/// Like [`read`], for a form whose first line holds `T` and whose every
/// later line is a part, returned unread: a part is read only when a run
/// asks for it (a one-shot run needs few of them).
pub fn read_with_parts<T: DeserializeOwned>(
    text: &'static str,
    fingerprint: &str,
) -> Option<(T, Vec<&'static str>)> {
    // Lengths, not a search for newlines: the memchr crate's first call
    // asks the CPU for its features (slow under a hypervisor), and a plain
    // search of the whole text cost a one-shot run as much.
    let mut stream = serde_json::Deserializer::from_str(text).into_iter::<FormWithParts<T>>();
    let form = stream.next()?.ok()?;
    if form.fingerprint != fingerprint {
        return None;
    }
    let mut rest = text.get(stream.byte_offset()..)?;
    let mut parts = Vec::with_capacity(form.part_lengths.len());
    for length in form.part_lengths {
        let (part, after) = rest.strip_prefix('\n')?.split_at_checked(length)?;
        parts.push(part);
        rest = after;
    }
    (rest == "\n").then_some((form.content, parts))
}

/// A form of `content`, loaded from the files whose fingerprint is
/// `fingerprint`, as the committed file holds it (the tests write them).
#[cfg(test)]
pub fn render<T: Serialize>(fingerprint: &str, content: &T) -> String {
    let form = Form {
        fingerprint: fingerprint.to_string(),
        content,
    };
    let mut text = serde_json::to_string(&form).expect("a compiled form serialises");
    text.push('\n');
    text
}

/// Like [`render`], with each of `parts` on a line of its own after it (see
/// [`read_with_parts`]); compact JSON holds no raw newline.
#[cfg(test)]
pub fn render_with_parts<T: Serialize, P: Serialize>(
    fingerprint: &str,
    content: &T,
    parts: &[P],
) -> String {
    let lines: Vec<String> = parts
        .iter()
        .map(|part| serde_json::to_string(part).expect("a compiled part serialises"))
        .collect();
    let form = FormWithParts {
        fingerprint: fingerprint.to_string(),
        part_lengths: lines.iter().map(String::len).collect(),
        content,
    };
    let mut text = serde_json::to_string(&form).expect("a compiled form serialises");
    text.push('\n');
    for line in lines {
        text.push_str(&line);
        text.push('\n');
    }
    text
}

/// Checks a committed form against `rendered` (what the files give now):
/// rewrites it when `CHIPCHECK_UPDATE_COMPILED` is set, else fails.
#[cfg(test)]
pub fn check_current(file: &str, committed: &str, rendered: &str) {
    if committed == rendered {
        return;
    }
    if std::env::var_os(UPDATE_VAR).is_some() {
        let path = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join(file);
        std::fs::write(&path, rendered).expect("write the compiled form");
        return;
    }
    panic!(
        "{file} is not what the embedded files give (a rule or chip file, or the Rust that loads them, changed?); \
         run `{UPDATE_VAR}=1 cargo test compiled` and commit it"
    );
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_form_of_other_files_is_not_read() {
        let text = render("fnv1a64:0000000000000001", &vec![1, 2, 3]);
        assert_eq!(
            read::<Vec<u32>>(&text, "fnv1a64:0000000000000001"),
            Some(vec![1, 2, 3])
        );
        assert_eq!(read::<Vec<u32>>(&text, "fnv1a64:0000000000000002"), None);
        assert_eq!(
            read::<Vec<u32>>("not json", "fnv1a64:0000000000000001"),
            None
        );
    }

    #[test]
    fn parts_are_a_line_each_and_read_back() {
        // A newline inside a part's text is escaped, so it cannot split it.
        let parts = ["one\ntwo".to_string(), "three".to_string()];
        let text = render_with_parts("fnv1a64:0000000000000001", &7u32, &parts);
        let text: &'static str = Box::leak(text.into_boxed_str());
        let (content, lines) =
            read_with_parts::<u32>(text, "fnv1a64:0000000000000001").expect("read");
        assert_eq!(content, 7);
        let back: Vec<String> = lines
            .iter()
            .map(|l| serde_json::from_str(l).expect("a part"))
            .collect();
        assert_eq!(back, parts);
        assert!(read_with_parts::<u32>(text, "fnv1a64:0000000000000002").is_none());
    }

    #[test]
    fn parts_whose_lengths_do_not_match_are_not_read() {
        let text = render_with_parts("fnv1a64:0000000000000001", &7u32, &["one", "three"]);
        let read = |text: String| {
            let text: &'static str = Box::leak(text.into_boxed_str());
            read_with_parts::<u32>(text, "fnv1a64:0000000000000001").map(|(_, parts)| parts)
        };
        assert_eq!(read(text.clone()), Some(vec!["\"one\"", "\"three\""]));
        // A part edited by hand, a part lost, a line added.
        assert_eq!(read(text.replace("three", "thre")), None);
        assert_eq!(read(text.replace("\"three\"\n", "")), None);
        assert_eq!(read(format!("{text}\"four\"\n")), None);
    }
}
