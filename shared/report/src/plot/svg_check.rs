//! A test helper: a tiny well-formedness check of the SVG we write, without an XML parser.
//!
//! It walks the tags, requires every opened element to be closed in order under one root
//! `<svg>`, attribute values to be quoted, and every `&` to start one of the five XML entities.

/// Panics with the reason when `svg` is not well formed.
pub(crate) fn assert_well_formed(svg: &str) {
    if let Err(reason) = check_well_formed(svg) {
        panic!("malformed SVG: {reason}\n{svg}");
    }
}

/// `Ok` when the tags of `svg` balance under a single `<svg>` root; else what is wrong.
pub(crate) fn check_well_formed(svg: &str) -> Result<(), String> {
    let mut open: Vec<&str> = Vec::new();
    let mut roots = 0;
    let mut rest = svg;
    while let Some(start) = rest.find('<') {
        check_entities(&rest[..start])?;
        let end = rest[start..].find('>').ok_or("a tag is never closed with '>'")? + start;
        let tag = &rest[start + 1..end];
        rest = &rest[end + 1..];
        if let Some(name) = tag.strip_prefix('/') {
            match open.pop() {
                Some(expected) if expected == name.trim() => {}
                other => return Err(format!("</{name}> closes {other:?}")),
            }
            continue;
        }
        let name = tag.split_whitespace().next().unwrap_or("").trim_end_matches('/');
        if name.is_empty() {
            return Err(format!("a tag without a name: <{tag}>"));
        }
        check_attributes(tag)?;
        if open.is_empty() {
            roots += 1;
        }
        if !tag.ends_with('/') {
            open.push(name);
        }
    }
    check_entities(rest)?;
    match (open.as_slice(), roots) {
        ([], 1) if svg.trim_start().starts_with("<svg") => Ok(()),
        ([], n) => Err(format!("{n} root elements, want one <svg>")),
        (unclosed, _) => Err(format!("unclosed elements {unclosed:?}")),
    }
}

/// Every attribute value is in double quotes: the tag has an even number of `"`.
fn check_attributes(tag: &str) -> Result<(), String> {
    if tag.matches('"').count().is_multiple_of(2) {
        Ok(())
    } else {
        Err(format!("unbalanced quotes in <{tag}>"))
    }
}

/// Every `&` begins `&amp;`, `&lt;`, `&gt;`, `&quot;` or `&apos;`.
fn check_entities(text: &str) -> Result<(), String> {
    for (at, _) in text.match_indices('&') {
        let entity = ["&amp;", "&lt;", "&gt;", "&quot;", "&apos;"].iter().any(|e| text[at..].starts_with(e));
        if !entity {
            return Err(format!("a bare '&' in {text:?}"));
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn accepts_balanced_tags_and_rejects_broken_ones() {
        assert!(check_well_formed(r#"<svg a="1"><g><text>a &amp; b</text></g><rect/></svg>"#).is_ok());
        assert!(check_well_formed("<svg><g></svg>").is_err());
        assert!(check_well_formed("<svg><text>a</g></svg>").is_err());
        assert!(check_well_formed("<svg><text>a & b</text></svg>").is_err());
        assert!(check_well_formed(r#"<svg a="1></svg>"#).is_err());
        assert!(check_well_formed("<svg></svg><svg></svg>").is_err());
        assert!(check_well_formed("<svg>").is_err());
    }
}
