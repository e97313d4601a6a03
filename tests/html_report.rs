//! The HTML report: one self-contained page with a chart of the 3A090 plane
//! (regions from the rule in force on the date), a summary, a table, and the
//! provenance; and, in a real browser (headless chromium), that the chart and
//! the table are rendered and visible.

mod common;

use common::{chipcheck, ROOT};
use std::path::{Path, PathBuf};

fn scratch(tag: &str) -> tempfile::TempDir {
    tempfile::Builder::new()
        .prefix(tag)
        .tempdir_in(env!("CARGO_TARGET_TMPDIR"))
        .expect("scratch dir")
}

fn stdout(args: &[&str]) -> String {
    let out = chipcheck().args(args).output().expect("run");
    String::from_utf8(out.stdout).expect("UTF-8")
}

/// Nothing the page loads comes from anywhere but the page itself.
fn assert_self_contained(page: &str) {
    for needle in ["src=\"http", "href=\"http", "@import", "url(http", "<link"] {
        assert!(!page.contains(needle), "page loads `{needle}`");
    }
    assert!(page.starts_with("<!DOCTYPE html>"));
    assert!(page.trim_end().ends_with("</html>"));
}

#[test]
fn audit_writes_a_page_with_chart_summary_table_and_provenance() {
    let dir = scratch("html-audit-");
    let page_path = dir.path().join("report.html");
    let status = chipcheck()
        .args([
            "audit",
            "tests/fixtures/audit/catalogue.csv",
            "--date",
            "2024-06-01",
        ])
        .args(["--to", "CN,DE"])
        .arg("--output")
        .arg(format!("html={}", page_path.display()))
        .output()
        .expect("run")
        .status;
    // Line 9 cannot be read: the run fails, and the page is written all the same.
    assert_eq!(status.code(), Some(2));
    let page = std::fs::read_to_string(&page_path).expect("report written");
    assert_self_contained(&page);
    assert!(page.contains("<svg id=\"plane\""));
    // Regions of the rule in force on 2024-06-01 (us-2023-11), not fixed numbers.
    for id in ["3A090.a.1", "3A090.a.2", "3A090.b.1", "3A090.b.2"] {
        assert!(page.contains(&format!("data-paragraph=\"{id}\"")), "{id}");
    }
    assert!(page.contains("data-exclusion=\"Note 2 to 3A090\""));
    assert!(
        page.contains("<strong>us-2024-04</strong>"),
        "the rule in force is named"
    );
    assert!(page.contains("<table id=\"results\">"));
    assert!(
        page.contains(">line 2<"),
        "rows point at their catalogue line"
    );
    assert!(page.contains("<details><summary>why</summary>"));
    assert!(page.contains("<h2>By destination</h2>"));
    assert!(page.contains("<h2>Provenance</h2>"));
    assert!(page.contains("sha256:"), "inputs' hashes in the provenance");
}

#[test]
fn classify_escapes_what_a_spec_says() {
    let dir = scratch("html-escape-");
    let spec = dir.path().join("evil.toml");
    std::fs::write(
        &spec,
        "name = \"<script>alert(1)</script> & 'co'\"\ndatacenter = true\n[compute]\nfp16 = 2000\n[die]\narea_mm2 = 800\n",
    )
    .unwrap();
    let out = chipcheck()
        .arg("classify")
        .arg(&spec)
        .args(["--date", "2024-06-01", "--to", "CN", "--format", "html"])
        .output()
        .expect("run");
    let page = String::from_utf8(out.stdout).unwrap();
    assert_self_contained(&page);
    assert!(!page.contains("<script>alert"), "chip name is escaped");
    assert!(page.contains("&lt;script&gt;alert(1)&lt;/script&gt; &amp; &#39;co&#39;"));
}

#[test]
fn chips_draws_the_rule_in_force_on_the_date() {
    let y2023 = stdout(&[
        "chips",
        "--format",
        "html",
        "--date",
        "2023-03-01",
        "--to",
        "CN",
    ]);
    assert_self_contained(&y2023);
    // The 2022 rule: one line at TPP 4800, with its interconnect test named.
    assert!(y2023.contains("data-paragraph=\"3A090.a.1\""));
    assert!(!y2023.contains("data-paragraph=\"3A090.b.1\""));
    assert!(y2023.contains("chip-to-chip I/O (GB/s) ≥ 600"));
    assert!(!y2023.contains("class=\"window\""));
    let y2026 = stdout(&[
        "chips",
        "--format",
        "html",
        "--date",
        "2026-03-01",
        "--to",
        "CN",
    ]);
    assert!(y2026.contains("class=\"window\""), "the 2026 China window");
    assert!(y2026.contains("below TPP 21,000"));
    assert!(y2026.contains("H100 SXM5 80GB"));
    // A chip with unknown density sits on the strip, not hidden.
    assert!(y2026.contains("density</text>"));
}

#[test]
fn a_page_keeps_the_most_severe_rows_and_says_where_the_rest_are() {
    let dir = scratch("html-cap-");
    let catalogue = dir.path().join("big.csv");
    let mut text = String::from("name,fp16,area_mm2,datacenter\n");
    for i in 0..(chipcheck::report::html::MAX_ROWS + 5) {
        text.push_str(&format!("Edge {i},5,120,no\n"));
    }
    text.push_str("Big,2000,800,yes\n");
    std::fs::write(&catalogue, text).unwrap();
    let page_path = dir.path().join("r.html");
    let csv_path = dir.path().join("all.csv");
    chipcheck()
        .arg("audit")
        .arg(&catalogue)
        .args(["--date", "2024-06-01", "--to", "CN"])
        .arg("--output")
        .arg(format!("html={}", page_path.display()))
        .arg("--output")
        .arg(format!("csv={}", csv_path.display()))
        .output()
        .expect("run");
    let page = std::fs::read_to_string(&page_path).unwrap();
    assert_eq!(
        page.matches("<tr data-verdict").count(),
        chipcheck::report::html::MAX_ROWS
    );
    assert!(page.contains("<strong>6 more results are not in this page</strong>"));
    assert!(page.contains("all.csv"), "names the full report");
    assert!(page.contains(">Big<"), "the restricted row is kept");
}

// ---- In a browser --------------------------------------------------------

const CHROMIUM: &str = "/usr/bin/chromium";

/// Headless chromium on a page, sandboxed from the network and any profile.
fn chromium(profile: &Path, args: &[String], page: &Path) -> std::process::Output {
    std::process::Command::new(CHROMIUM)
        .args([
            "--headless",
            "--no-sandbox",
            "--disable-gpu",
            "--disable-background-networking",
            "--disable-component-update",
            "--disable-sync",
            "--no-first-run",
            "--hide-scrollbars",
        ])
        .arg(format!("--user-data-dir={}", profile.display()))
        .args(args)
        .arg(format!("file://{}", page.display()))
        .output()
        .expect("run chromium")
}

/// Chromium, or None when it is absent outside CI (in CI its absence fails).
fn browser() -> Option<PathBuf> {
    if Path::new(CHROMIUM).exists() {
        return Some(PathBuf::from(CHROMIUM));
    }
    assert!(
        std::env::var_os("CI").is_none(),
        "{CHROMIUM} is missing in CI: .ci/run installs it with `apt-get install -y chromium`"
    );
    eprintln!("skipping the browser test: {CHROMIUM} is missing (apt-get install -y chromium)");
    None
}

#[test]
fn the_page_renders_in_a_browser_with_chart_and_table_visible() {
    if browser().is_none() {
        return;
    }
    let dir = scratch("html-browser-");
    let page = stdout(&[
        "chips",
        "--format",
        "html",
        "--date",
        "2026-03-01",
        "--to",
        "CN,SA,DE",
    ]);
    // The report as written, plus a probe that records what the browser laid
    // out: the chart and the table, their size, and whether anything hides them.
    let probe = r#"<script>
(function(){function seen(el){if(!el)return null;var r=el.getBoundingClientRect(),s=getComputedStyle(el);
return {w:Math.round(r.width),h:Math.round(r.height),visible:s.display!=='none'&&s.visibility!=='hidden'&&r.width>0&&r.height>0};}
var out={chart:seen(document.getElementById('plane')),table:seen(document.getElementById('results')),
points:document.querySelectorAll('#plane .point').length,regions:document.querySelectorAll('#plane rect.region').length,
rows:document.querySelectorAll('#results tbody tr').length,shown:(document.getElementById('shown')||{}).textContent};
document.documentElement.setAttribute('data-probe',JSON.stringify(out));})();
</script></body>"#;
    let probed = page.replacen("</body>", probe, 1);
    let path = dir.path().join("report.html");
    std::fs::write(&path, probed).unwrap();
    let profile = dir.path().join("profile");
    let dom = chromium(&profile, &["--dump-dom".into()], &path);
    let dom = String::from_utf8_lossy(&dom.stdout).into_owned();
    let probe = dom
        .split("data-probe=\"")
        .nth(1)
        .and_then(|s| s.split('"').next())
        .expect("the probe ran")
        .replace("&quot;", "\"");
    let probe: serde_json::Value = serde_json::from_str(&probe).expect("probe JSON");
    assert_eq!(probe["chart"]["visible"], true, "{probe}");
    assert!(probe["chart"]["w"].as_u64().unwrap() > 600, "{probe}");
    assert!(probe["chart"]["h"].as_u64().unwrap() > 400, "{probe}");
    assert_eq!(probe["table"]["visible"], true, "{probe}");
    assert!(probe["points"].as_u64().unwrap() > 20, "{probe}");
    assert!(probe["regions"].as_u64().unwrap() >= 4, "{probe}");
    assert!(probe["rows"].as_u64().unwrap() > 100, "{probe}");
    // The page's own script ran (sorting and filtering are live).
    assert!(
        probe["shown"].as_str().unwrap().ends_with(" shown"),
        "{probe}"
    );
    let shot = dir.path().join("report.png");
    let out = chromium(
        &profile,
        &[
            format!("--screenshot={}", shot.display()),
            "--window-size=1200,1000".into(),
        ],
        &path,
    );
    let png = std::fs::read(&shot)
        .unwrap_or_else(|_| panic!("no screenshot: {}", String::from_utf8_lossy(&out.stderr)));
    assert_eq!(png.get(..8), Some(&b"\x89PNG\r\n\x1a\n"[..]));
    let width = u32::from_be_bytes(png[16..20].try_into().unwrap());
    assert_eq!(width, 1200);
    // Kept for a person to look at (target/tmp is not committed).
    let _ = std::fs::copy(
        &shot,
        Path::new(env!("CARGO_TARGET_TMPDIR")).join("html-report.png"),
    );
    let _ = ROOT;
}
