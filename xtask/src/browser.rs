//! The browser check of the built book: headless Chromium opens the front page, one lecture
//! chapter and the results gallery, saves a screenshot of each and asserts that every image
//! loaded (natural width above zero) and that the page logged nothing to the console.
//!
//! Chromium is driven by its command-line flags only. A small harness page (written to a
//! temporary folder) loads the book's page in a window-sized iframe, which
//! `--allow-file-access-from-files` lets it read: `--screenshot` of the harness is the page's
//! screenshot, and the harness writes each image's natural width into its own DOM, which
//! `--dump-dom` prints once the page settled (`--virtual-time-budget`). For the
//! console, `--enable-logging=stderr` prints every console message of the page as a `CONSOLE`
//! line; Chromium's log does not say which were errors, so every message counts as one.

use anyhow::{Context, Result, bail};
use serde::Deserialize;
use std::path::Path;
use std::process::Command;

/// The Chromium binaries tried, in order (Debian's package installs `chromium`).
const BROWSERS: [&str; 3] = ["chromium", "chromium-browser", "google-chrome"];
/// The pages opened, relative to the book's root: the page, where its screenshot scrolls to
/// (the lecture's pictures) and the screenshot's name.
const PAGES: [(&str, &str, &str); 3] = [
    ("index.html", "", "front-page"),
    ("lectures/lecture-01-rnn/index.html", "#pictures", "lecture-01-rnn"),
    ("results.html", "", "results-gallery"),
];
/// The flags of every run: headless, as root in CI (no sandbox), no GPU.
const FLAGS: [&str; 4] = ["--headless", "--no-sandbox", "--disable-gpu", "--hide-scrollbars"];

/// Checks the built book in `site` and writes the screenshots into `screenshots`; prints the
/// reason and returns Ok when no Chromium is installed.
pub fn check(site: &Path, screenshots: &Path) -> Result<()> {
    let Some(browser) = find_browser() else {
        println!(
            "browser check skipped: none of {BROWSERS:?} is installed (Debian: apt-get install chromium)"
        );
        return Ok(());
    };
    let failures = check_pages(browser, site, &PAGES, screenshots)?;
    if !failures.is_empty() {
        bail!("browser check failed:\n  {}", failures.join("\n  "));
    }
    println!("browser check: every image loaded and no console message, on {} pages", PAGES.len());
    Ok(())
}

/// The first of [`BROWSERS`] that runs.
fn find_browser() -> Option<&'static str> {
    BROWSERS.into_iter().find(|b| Command::new(b).arg("--version").output().is_ok_and(|o| o.status.success()))
}

/// Opens each `(page, anchor, name)` of `site` in `browser`, saves `<name>.png` into
/// `screenshots` and returns what failed: images that did not load, console messages.
fn check_pages(
    browser: &str,
    site: &Path,
    pages: &[(&str, &str, &str)],
    screenshots: &Path,
) -> Result<Vec<String>> {
    std::fs::create_dir_all(screenshots)
        .with_context(|| format!("cannot create {}", screenshots.display()))?;
    let harness_dir = std::env::temp_dir().join(format!("xtask-browser-{}", std::process::id()));
    std::fs::create_dir_all(&harness_dir)?;
    let mut failures = Vec::new();
    for (page, anchor, name) in pages {
        let url = file_url(&site.join(page))?;
        let harness = harness_dir.join(format!("{name}.html"));
        std::fs::write(&harness, harness_page(&format!("{url}{anchor}")))?;
        let harness = file_url(&harness)?;
        let shot = screenshots.join(format!("{name}.png"));
        screenshot(browser, &harness, &shot)?;
        let report = inspect(browser, &harness)?;
        let broken: Vec<&Image> = report.images.iter().filter(|i| i.width == 0).collect();
        println!(
            "{page}: {} images, {} broken, {} console messages; screenshot {}",
            report.images.len(),
            broken.len(),
            report.console.len(),
            shot.display()
        );
        failures.extend(broken.iter().map(|i| format!("{page}: image {} did not load", i.src)));
        failures.extend(report.console.iter().map(|m| format!("{page}: console: {m}")));
    }
    let _ = std::fs::remove_dir_all(&harness_dir);
    Ok(failures)
}

/// `file://` address of an existing file.
fn file_url(path: &Path) -> Result<String> {
    let path = path.canonicalize().with_context(|| format!("{} does not exist", path.display()))?;
    Ok(format!("file://{}", path.display().to_string().replace('%', "%25").replace(' ', "%20")))
}

/// A screenshot of the harness at `url` (the page's first 1280 x 1600 pixels, scrolled to its
/// anchor: Chromium paints a page opened at an anchor blank, a frame scrolled to one it does not).
fn screenshot(browser: &str, url: &str, to: &Path) -> Result<()> {
    let output = Command::new(browser)
        .args(FLAGS)
        .args(["--allow-file-access-from-files", "--window-size=1280,1600", "--virtual-time-budget=10000"])
        .arg(format!("--screenshot={}", to.display()))
        .arg(url)
        .output()
        .with_context(|| format!("cannot start {browser}"))?;
    if !output.status.success() || !to.exists() {
        bail!("{browser} could not screenshot {url}: {}", String::from_utf8_lossy(&output.stderr));
    }
    Ok(())
}

/// What the harness found on one page.
#[derive(Debug, Deserialize)]
struct Report {
    images: Vec<Image>,
    /// The console messages Chromium logged (filled from its log, not by the harness).
    #[serde(skip)]
    console: Vec<String>,
}

#[derive(Debug, Deserialize)]
struct Image {
    src: String,
    width: u32,
}

/// Loads the harness at `url` and reads its report from the dumped DOM and the console lines
/// from Chromium's log.
fn inspect(browser: &str, url: &str) -> Result<Report> {
    let output = Command::new(browser)
        .args(FLAGS)
        .args(["--allow-file-access-from-files", "--enable-logging=stderr", "--v=0"])
        .arg("--virtual-time-budget=15000")
        .arg("--dump-dom")
        .arg(url)
        .output()
        .with_context(|| format!("cannot start {browser}"))?;
    let dom = String::from_utf8_lossy(&output.stdout);
    let mut report = parse_report(&dom).with_context(|| format!("no report from the harness at {url}"))?;
    report.console = console_messages(&String::from_utf8_lossy(&output.stderr));
    Ok(report)
}

/// The harness: loads `url` in a window-sized iframe, then writes `RESULT {json}` into `#result`,
/// below the frame (out of the screenshot).
fn harness_page(url: &str) -> String {
    format!(
        r#"<!DOCTYPE html><html><body style="margin: 0">
<iframe id="page" src="{url}" width="1280" height="1600" style="border: 0; display: block"></iframe>
<pre id="result">pending</pre>
<script>
document.getElementById('page').addEventListener('load', () => setTimeout(() => {{
  const page = document.getElementById('page').contentDocument;
  const images = Array.from(page.images).map(i => ({{ src: i.getAttribute('src') || '', width: i.naturalWidth }}));
  document.getElementById('result').textContent = 'RESULT ' + JSON.stringify({{ images }});
}}, 3000));
</script></body></html>"#
    )
}

/// The harness's report in the DOM that `--dump-dom` printed.
fn parse_report(dom: &str) -> Option<Report> {
    let start = dom.find("<pre id=\"result\">RESULT ")? + "<pre id=\"result\">RESULT ".len();
    let json = &dom[start..start + dom[start..].find("</pre>")?];
    let json =
        json.replace("&lt;", "<").replace("&gt;", ">").replace("&nbsp;", "\u{a0}").replace("&amp;", "&");
    serde_json::from_str(&json).ok()
}

/// The console messages in Chromium's log: its `CONSOLE` lines, message and source.
fn console_messages(log: &str) -> Vec<String> {
    log.lines()
        .filter_map(|line| line.split_once(":CONSOLE").map(|(_, message)| message))
        .map(|message| message.split_once("] ").map_or(message, |(_, m)| m).to_string())
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_the_harness_report_from_the_dumped_dom() {
        let dom = r#"<html><body><pre id="result">RESULT {"images":[{"src":"figures/a.svg?x=1&amp;y=2","width":640},{"src":"b.png","width":0}]}</pre><iframe></iframe></body></html>"#;
        let report = parse_report(dom).unwrap();
        assert_eq!(report.images.len(), 2);
        assert_eq!((report.images[0].src.as_str(), report.images[0].width), ("figures/a.svg?x=1&y=2", 640));
        assert_eq!(report.images[1].width, 0);
        assert!(parse_report(r#"<pre id="result">pending</pre>"#).is_none());
    }

    #[test]
    fn every_console_line_of_the_log_is_a_message() {
        let log = "[1:1:1206/125324.439559:ERROR:dbus/bus.cc:405] Failed to connect to the bus\n\
                   [1:1:1206/125325.230090:INFO:CONSOLE:1] \"bad thing\", source: file:///b/index.html (1)\n";
        assert_eq!(console_messages(log), [r#""bad thing", source: file:///b/index.html (1)"#]);
    }

    #[test]
    fn the_harness_loads_the_page_and_reports_into_result() {
        let page = harness_page("file:///book/index.html#pictures");
        assert!(page.contains(r#"<iframe id="page" src="file:///book/index.html#pictures""#));
        assert!(page.contains("'RESULT ' + JSON.stringify({ images })"));
    }

    #[test]
    fn a_broken_image_and_a_console_error_fail_the_check() {
        let Some(browser) = find_browser() else {
            println!("skipped: no Chromium installed");
            return;
        };
        let site = std::env::temp_dir().join(format!("xtask-browser-test-{}", std::process::id()));
        let _ = std::fs::remove_dir_all(&site);
        std::fs::create_dir_all(site.join("figures")).unwrap();
        let svg = r#"<svg xmlns="http://www.w3.org/2000/svg" width="8" height="8"><rect width="8" height="8"/></svg>"#;
        std::fs::write(site.join("figures/ok.svg"), svg).unwrap();
        std::fs::write(site.join("good.html"), r#"<img src="figures/ok.svg">"#).unwrap();
        std::fs::write(
            site.join("bad.html"),
            r#"<img src="figures/gone.svg"><script>console.error("boom")</script>"#,
        )
        .unwrap();
        let pages = [("good.html", "", "good"), ("bad.html", "", "bad")];
        let failures = check_pages(browser, &site, &pages, &site.join("shots")).unwrap();
        assert_eq!(failures.len(), 2, "{failures:?}");
        assert!(failures[0].starts_with("bad.html: image figures/gone.svg"), "{failures:?}");
        assert!(failures[1].starts_with("bad.html: console: \"boom\""), "{failures:?}");
        assert!(site.join("shots/good.png").exists() && site.join("shots/bad.png").exists());
    }
}
