//! Three-valued (Kleene) logic.
//!
//! A missing figure is *unknown*, never zero or false: every condition over the
//! spec evaluates to [`Truth`], and an unknown only becomes an answer when the
//! other operand settles it (`false AND unknown` is `false`).

use serde::Serialize;

#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Truth {
    True,
    False,
    Unknown,
}

impl Truth {
    pub fn from_bool(value: bool) -> Self {
        if value {
            Truth::True
        } else {
            Truth::False
        }
    }

    pub fn and(self, other: Truth) -> Truth {
        match (self, other) {
            (Truth::False, _) | (_, Truth::False) => Truth::False,
            (Truth::True, Truth::True) => Truth::True,
            _ => Truth::Unknown,
        }
    }

    pub fn or(self, other: Truth) -> Truth {
        match (self, other) {
            (Truth::True, _) | (_, Truth::True) => Truth::True,
            (Truth::False, Truth::False) => Truth::False,
            _ => Truth::Unknown,
        }
    }

    #[allow(clippy::should_implement_trait)]
    pub fn not(self) -> Truth {
        match self {
            Truth::True => Truth::False,
            Truth::False => Truth::True,
            Truth::Unknown => Truth::Unknown,
        }
    }

    pub fn all(values: impl IntoIterator<Item = Truth>) -> Truth {
        values.into_iter().fold(Truth::True, Truth::and)
    }

    pub fn any(values: impl IntoIterator<Item = Truth>) -> Truth {
        values.into_iter().fold(Truth::False, Truth::or)
    }

    pub fn is_true(self) -> bool {
        self == Truth::True
    }

    pub fn is_unknown(self) -> bool {
        self == Truth::Unknown
    }
}

#[cfg(test)]
mod tests {
    use super::Truth::{self, False, True, Unknown};

    #[test]
    fn kleene_tables() {
        let all = [True, False, Unknown];
        for a in all {
            for b in all {
                let and = a.and(b);
                let or = a.or(b);
                let expected_and = match (a, b) {
                    (False, _) | (_, False) => False,
                    (True, True) => True,
                    _ => Unknown,
                };
                let expected_or = match (a, b) {
                    (True, _) | (_, True) => True,
                    (False, False) => False,
                    _ => Unknown,
                };
                assert_eq!(and, expected_and, "{a:?} and {b:?}");
                assert_eq!(or, expected_or, "{a:?} or {b:?}");
                // De Morgan holds in Kleene logic.
                assert_eq!(a.and(b).not(), a.not().or(b.not()));
            }
        }
    }

    #[test]
    fn empty_folds() {
        assert_eq!(Truth::all([]), True);
        assert_eq!(Truth::any([]), False);
        assert_eq!(Truth::all([True, Unknown]), Unknown);
        assert_eq!(Truth::any([False, Unknown, True]), True);
    }
}
