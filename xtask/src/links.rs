//! The local link check of a built HTML site: every `href` and `src` that names a file of the
//! site (not a web address, not an anchor on the same page) must resolve to an existing file.

use anyhow::{Context, Result};
use std::path::{Path, PathBuf};

/// A local link that resolves to no file.
#[derive(Debug, PartialEq)]
pub struct Broken {
    /// The page that holds it, relative to the site's root.
    pub page: PathBuf,
    /// The link as written in the page.
    pub link: String,
}

/// The broken local links of every `.html` page under `site`, with how many local links there are.
pub fn check_site(site: &Path) -> Result<(Vec<Broken>, usize)> {
    let mut pages = Vec::new();
    html_files(site, &mut pages)?;
    pages.sort();
    let (mut broken, mut checked) = (Vec::new(), 0);
    for page in pages {
        let html =
            std::fs::read_to_string(&page).with_context(|| format!("cannot read {}", page.display()))?;
        if html.contains("<base href") {
            continue; // 404.html: served from the site's root whatever the address, not opened as a file
        }
        let dir = page.parent().unwrap_or(site);
        for link in links(&html).into_iter().filter_map(local_target) {
            checked += 1;
            if !resolves(site, dir, &link) {
                broken.push(Broken { page: page.strip_prefix(site).unwrap_or(&page).to_path_buf(), link });
            }
        }
    }
    Ok((broken, checked))
}

fn html_files(dir: &Path, found: &mut Vec<PathBuf>) -> Result<()> {
    for entry in std::fs::read_dir(dir).with_context(|| format!("cannot read {}", dir.display()))? {
        let path = entry?.path();
        if path.is_dir() {
            html_files(&path, found)?;
        } else if path.extension().is_some_and(|e| e == "html") {
            found.push(path);
        }
    }
    Ok(())
}

/// The values of every `href="..."` and `src="..."` attribute (either quote), entities decoded.
fn links(html: &str) -> Vec<String> {
    let mut found = Vec::new();
    for attribute in [" href=", " src="] {
        let mut rest = html;
        while let Some(at) = rest.find(attribute) {
            rest = &rest[at + attribute.len()..];
            let Some(quote) = rest.chars().next().filter(|c| *c == '"' || *c == '\'') else { continue };
            let value = &rest[1..];
            let Some(end) = value.find(quote) else { break };
            found.push(value[..end].replace("&amp;", "&").replace("&quot;", "\""));
            rest = &value[end..];
        }
    }
    found
}

/// The file part of a link that names a file of the site (query and fragment cut off,
/// `%20` and the like decoded); `None` for web addresses, same-page anchors and scripts.
fn local_target(link: String) -> Option<String> {
    let has_scheme = link.split_once(':').is_some_and(|(scheme, _)| {
        !scheme.is_empty() && scheme.chars().all(|c| c.is_ascii_alphanumeric() || "+-.".contains(c))
    });
    if has_scheme || link.starts_with("//") {
        return None;
    }
    let path = link.split(['#', '?']).next().unwrap_or("");
    (!path.is_empty()).then(|| percent_decode(path))
}

fn percent_decode(text: &str) -> String {
    let bytes = text.as_bytes();
    let mut decoded = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        let hex = bytes.get(i + 1..i + 3).and_then(|h| std::str::from_utf8(h).ok());
        match (bytes[i], hex.and_then(|h| u8::from_str_radix(h, 16).ok())) {
            (b'%', Some(byte)) => {
                decoded.push(byte);
                i += 3;
            }
            (byte, _) => {
                decoded.push(byte);
                i += 1;
            }
        }
    }
    String::from_utf8_lossy(&decoded).into_owned()
}

/// Whether `target` (from a page in `dir`) names an existing file; a folder counts when it holds
/// an `index.html`.
fn resolves(site: &Path, dir: &Path, target: &str) -> bool {
    let path = match target.strip_prefix('/') {
        Some(from_root) => site.join(from_root),
        None => dir.join(target),
    };
    path.is_file() || path.join("index.html").is_file()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn finds_href_and_src_with_either_quote() {
        let html = r#"<a href="a.html#x">a</a><img src='figures/b.svg' alt="b"><link rel="icon" href="c.png?v=1&amp;w=2">"#;
        assert_eq!(links(html), ["a.html#x", "c.png?v=1&w=2", "figures/b.svg"]);
    }

    #[test]
    fn web_addresses_and_anchors_are_not_local() {
        for link in [
            "https://burn.dev",
            "mailto:a@b.c",
            "data:image/png;base64,AA",
            "//cdn.x/y.js",
            "#top",
            "javascript:void(0)",
        ] {
            assert_eq!(local_target(link.to_string()), None, "{link}");
        }
        assert_eq!(
            local_target("lectures/a%20b.html#claims".to_string()),
            Some("lectures/a b.html".to_string())
        );
        assert_eq!(local_target("../results.html?x".to_string()), Some("../results.html".to_string()));
    }

    #[test]
    fn a_missing_file_is_broken_and_the_rest_resolve() {
        let site = std::env::temp_dir().join(format!("xtask-links-{}", std::process::id()));
        let _ = std::fs::remove_dir_all(&site);
        std::fs::create_dir_all(site.join("lectures/one/figures")).unwrap();
        std::fs::write(site.join("lectures/one/figures/a.svg"), "<svg/>").unwrap();
        std::fs::write(
            site.join("lectures/one/index.html"),
            r#"<img src="figures/a.svg"><img src="figures/missing.svg"><a href="../../index.html">home</a><a href="/lectures/one/">me</a>"#,
        )
        .unwrap();
        std::fs::write(
            site.join("index.html"),
            r#"<a href="lectures/one/index.html#x">one</a><a href="out/x.svg">x</a>"#,
        )
        .unwrap();
        std::fs::write(site.join("404.html"), r#"<base href="/"><a href="nowhere.html">x</a>"#).unwrap();
        let (broken, checked) = check_site(&site).unwrap();
        assert_eq!(checked, 6);
        assert_eq!(
            broken,
            [
                Broken { page: "index.html".into(), link: "out/x.svg".into() },
                Broken { page: "lectures/one/index.html".into(), link: "figures/missing.svg".into() },
            ]
        );
    }
}
