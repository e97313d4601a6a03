//! Views of the rules and the library for people: the rule versions, the
//! chip library, and the rule history (timeline and diff). The command line
//! only writes what these return.

pub mod chips;
pub mod diff;
pub mod history;
pub mod rules;
pub mod timeline;
