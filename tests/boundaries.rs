//! Thresholds are inclusive (>=) and band tops exclusive (<): each boundary
//! is tested exactly on it and just either side, in exact decimal arithmetic.

mod common;

use common::{check, spec};

fn chip(fp16: &str, area: &str, datacenter: bool) -> chipcheck::ChipSpec {
    spec(&format!(
        "name = \"B\"\ndatacenter = {datacenter}\ncompute = {{ fp16 = {fp16} }}\ndie = {{ area_mm2 = {area}, non_planar = true }}\n"
    ))
}

fn paragraphs(s: &chipcheck::ChipSpec) -> Vec<String> {
    check(s, "CN", "2024-06-01", None).paragraphs
}

#[test]
fn tpp_4800() {
    // fp16 300 x 16 = 4800 exactly; area large so density stays low.
    assert!(paragraphs(&chip("300", "5000", true)).contains(&"3A090.a.1".into()));
    assert!(!paragraphs(&chip("299.9999", "5000", true)).contains(&"3A090.a.1".into()));
    assert!(paragraphs(&chip("300.0001", "5000", true)).contains(&"3A090.a.1".into()));
}

#[test]
fn tpp_2400_for_b1() {
    // PD 2.4 (in b.1's band, below b.2's 3.2).
    assert_eq!(paragraphs(&chip("150", "1000", true)), vec!["3A090.b.1"]);
    assert!(paragraphs(&chip("149.9999", "1000", true)).is_empty());
}

#[test]
fn tpp_1600_for_a2() {
    // fp16 100 -> TPP 1600; area 250 -> PD 6.4.
    assert_eq!(paragraphs(&chip("100", "250", true)), vec!["3A090.a.2"]);
    assert!(paragraphs(&chip("99.9999", "250", true)).is_empty());
}

#[test]
fn density_5_92() {
    // TPP 4736 / 800 mm2 = 5.92 exactly: a.2; a hair more area: b.1 and b.2.
    assert_eq!(paragraphs(&chip("296", "800", true)), vec!["3A090.a.2"]);
    assert_eq!(
        paragraphs(&chip("296", "800.0001", true)),
        vec!["3A090.b.1", "3A090.b.2"]
    );
}

#[test]
fn density_3_2() {
    // TPP 2000 (below b.1's 2400) / 625 = 3.2 exactly: b.2; just below: nothing.
    assert_eq!(paragraphs(&chip("125", "625", true)), vec!["3A090.b.2"]);
    assert!(paragraphs(&chip("125", "625.0001", true)).is_empty());
}

#[test]
fn density_1_6() {
    // TPP 2400 / 1500 = 1.6 exactly: b.1; just below: nothing.
    assert_eq!(paragraphs(&chip("150", "1500", true)), vec!["3A090.b.1"]);
    assert!(paragraphs(&chip("150", "1500.0001", true)).is_empty());
}

#[test]
fn note_2_at_4800() {
    // Consumer part at TPP exactly 4800: Note 2 needs TPP < 4800, so a.1 stands.
    assert!(paragraphs(&chip("300", "800", false)).contains(&"3A090.a.1".into()));
    // At 4799.9984 the consumer part leaves 3A090 entirely.
    assert!(paragraphs(&chip("299.9999", "800", false)).is_empty());
}

#[test]
fn interconnect_600_in_2022() {
    let at = |io: &str| {
        let s = spec(&format!(
            "name = \"X\"\ncompute = {{ int8 = 624 }}\nio = {{ interconnect_gbps = {io} }}\n"
        ));
        check(&s, "CN", "2023-06-01", None)
            .verdict
            .name()
            .to_string()
    };
    assert_eq!(at("600"), "license_required");
    assert_eq!(at("599.99"), "no_license_required");
    assert_eq!(at("600.01"), "license_required");
}

#[test]
fn float_literals_are_exact() {
    // 0.1 + 0.2 style traps: 3 units of fp16 = 100.1 sum to TPP 4804.8 exactly.
    let s = spec("name = \"U\"\n[[compute.unit]]\nfp16 = 100.1\n[[compute.unit]]\nfp16 = 100.1\n[[compute.unit]]\nfp16 = 100.1\n");
    let o = check(&s, "CN", "2024-06-01", None);
    assert_eq!(o.tpp.map(|d| d.to_string()).as_deref(), Some("4804.8"));
}

fn number(token: &str) -> Option<rust_decimal::Decimal> {
    let digits: String = token
        .trim_matches(|c: char| !c.is_ascii_digit())
        .chars()
        .filter(|c| *c != ',')
        .collect();
    digits.parse().ok()
}

/// Every `a OP b` printed in an explanation holds for the printed figures,
/// and a printed `= a / b mm² = c` is exact (an inexact one says `≈`).
fn printed_comparisons_hold(text: &str) {
    let tokens: Vec<&str> = text.split(' ').collect();
    for (i, op) in tokens.iter().enumerate() {
        let holds: fn(std::cmp::Ordering) -> bool = match *op {
            "<" => |o| o.is_lt(),
            "<=" => |o| o.is_le(),
            ">" => |o| o.is_gt(),
            ">=" => |o| o.is_ge(),
            _ => continue,
        };
        if tokens[i + 1].contains('`') {
            continue; // a condition quoted as written, not a comparison made
        }
        let mut left = i - 1;
        if tokens[left].ends_with(')') {
            while !tokens[left].starts_with('(') {
                left -= 1;
            }
            left -= 1;
        }
        let (Some(a), Some(b)) = (number(tokens[left]), number(tokens[i + 1])) else {
            panic!("no figures around `{op}` in {text}");
        };
        assert!(holds(a.cmp(&b)), "printed {a} {op} {b} is false: {text}");
    }
    if let Some(rest) = text.strip_prefix("performance density = ") {
        let t: Vec<&str> = rest.split(' ').collect();
        let (a, b, eq, c) = (number(t[0]), number(t[2]), t[4], number(t[5]));
        let (a, b, c) = (a.unwrap(), b.unwrap(), c.unwrap());
        assert!(eq == "≈" || c * b == a, "{text}");
    }
}

#[test]
fn printed_comparisons_are_true_as_printed_at_every_boundary() {
    // Just under and over TPP 4800, 2400 and 1600, and density 5.92, 3.2 and
    // 1.6, with figures whose density needs more than four places.
    let chips = [
        ("295.9995", "800"),
        ("296.0005", "800"),
        ("299.99999", "5000"),
        ("300.00001", "5000"),
        ("149.99999", "1000"),
        ("150.00001", "1000"),
        ("99.999999", "250"),
        ("125", "625.00001"),
        ("125", "624.99999"),
        ("150", "1500.00001"),
        ("150", "1499.99999"),
        ("296", "800.000001"),
        ("296", "799.999999"),
        ("100", "3"),
    ];
    for (fp16, area) in chips {
        for datacenter in [true, false] {
            let o = check(&chip(fp16, area, datacenter), "CN", "2024-06-01", None);
            for reason in &o.reasons {
                printed_comparisons_hold(reason);
            }
        }
    }
}
