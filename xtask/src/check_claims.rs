//! `cargo xtask check-claims`: the rules that keep a lecture's claim tests able to fail.
//!
//! For every lecture crate:
//! - each `fn claim_<name>` in its `tests/` has a negative control `fn control_<name>`: the same
//!   experiment with the claimed mechanism removed, asserting that the claim then does not hold;
//! - its README's claims table (the table whose header has `claim` and `holds?`) has a `control`
//!   column (a header starting with `control`), and every row's control cell names, in backticks, a `control_*` test that exists;
//! - no claim test reads the clock (`Instant`, `SystemTime`, `elapsed`): speed is asserted on
//!   counted work and measured by `cargo xtask bench`.
//!
//! `test-all` runs this check first: it reads files only and takes milliseconds.

use crate::workspace::Workspace;
use anyhow::{Context, Result, bail};
use std::collections::BTreeSet;
use std::fs;
use std::path::Path;

/// What breaks the rules, one line per problem (`crate: what`).
pub fn run() -> Result<()> {
    let workspace = Workspace::load()?;
    let mut problems = Vec::new();
    for lecture in workspace.lectures() {
        let dir = lecture.manifest_path.parent().context("a manifest has a folder")?;
        for problem in check_lecture(dir)? {
            problems.push(format!("{}: {problem}", lecture.name));
        }
    }
    if problems.is_empty() {
        println!("check-claims: every claim has its negative control, named in its README");
        return Ok(());
    }
    for problem in &problems {
        eprintln!("{problem}");
    }
    bail!(
        "{} claim rule(s) broken (see the lines above and `cargo xtask check-claims --help`)",
        problems.len()
    )
}

/// The rule breaks of one lecture crate at `dir`.
fn check_lecture(dir: &Path) -> Result<Vec<String>> {
    let mut tests = Vec::new();
    let tests_dir = dir.join("tests");
    if tests_dir.is_dir() {
        for entry in fs::read_dir(&tests_dir)? {
            let path = entry?.path();
            if path.extension().is_some_and(|e| e == "rs") {
                let text =
                    fs::read_to_string(&path).with_context(|| format!("cannot read {}", path.display()))?;
                tests.push((path.file_name().unwrap_or_default().to_string_lossy().into_owned(), text));
            }
        }
    }
    tests.sort();
    let readme_path = dir.join("README.md");
    let readme =
        fs::read_to_string(&readme_path).with_context(|| format!("cannot read {}", readme_path.display()))?;
    Ok(problems(&tests, &readme))
}

/// The rule breaks given a crate's test files (`(file name, text)`) and its README.
fn problems(tests: &[(String, String)], readme: &str) -> Vec<String> {
    let claims = function_names(tests, "claim_");
    let controls = function_names(tests, "control_");
    let mut found = Vec::new();
    for name in &claims {
        if !controls.contains(name) {
            found.push(format!("`claim_{name}` has no negative control `control_{name}`"));
        }
    }
    for name in &controls {
        if !claims.contains(name) {
            found.push(format!("`control_{name}` controls no claim (`claim_{name}` is missing)"));
        }
    }
    for (file, text) in tests {
        let is_claim_file = file.starts_with("claims") || text.contains("fn claim_");
        for clock in ["Instant", "SystemTime", ".elapsed("] {
            if is_claim_file && text.contains(clock) {
                found
                    .push(format!("tests/{file} reads the clock (`{clock}`): assert counted work, not time"));
            }
        }
    }
    found.extend(table_problems(readme, &controls));
    found
}

/// The `<name>` of every `fn <prefix><name>` in the test files.
fn function_names(tests: &[(String, String)], prefix: &str) -> BTreeSet<String> {
    let pattern = format!("fn {prefix}");
    let mut names = BTreeSet::new();
    for (_, text) in tests {
        for (at, _) in text.match_indices(&pattern) {
            let rest = &text[at + pattern.len()..];
            let name: String = rest.chars().take_while(|c| c.is_alphanumeric() || *c == '_').collect();
            if !name.is_empty() {
                names.insert(name);
            }
        }
    }
    names
}

/// The rule breaks of the README's claims table: a `control` column, and in every row a
/// backticked `control_*` test among `controls`.
fn table_problems(readme: &str, controls: &BTreeSet<String>) -> Vec<String> {
    let lines: Vec<&str> = readme.lines().collect();
    let Some(header_at) = lines.iter().position(|l| is_claims_header(&cells(l))) else {
        return vec!["README.md has no claims table (a table whose header has `claim` and `holds?`)".into()];
    };
    let header = cells(lines[header_at]);
    let Some(column) = header.iter().position(|c| c.to_ascii_lowercase().starts_with("control")) else {
        return vec!["README.md's claims table has no `control` column".into()];
    };
    let rows = lines[header_at + 2..].iter().take_while(|l| l.trim_start().starts_with('|'));
    let mut found = Vec::new();
    for (i, row) in rows.enumerate() {
        let row_cells = cells(row);
        let cell = row_cells.get(column).map(String::as_str).unwrap_or_default();
        let named =
            backticked(cell).into_iter().filter_map(|t| t.strip_prefix("control_").map(str::to_string));
        let named: Vec<String> = named.collect();
        let label = row_cells.first().cloned().unwrap_or_default();
        if named.is_empty() {
            found.push(format!("README.md claims row {} ({label}) names no `control_*` test", i + 1));
        }
        for name in named.iter().filter(|n| !controls.contains(*n)) {
            found.push(format!(
                "README.md claims row {} names `control_{name}`, which no test defines",
                i + 1
            ));
        }
    }
    found
}

fn is_claims_header(cells: &[String]) -> bool {
    cells.iter().any(|c| c == "claim") && cells.iter().any(|c| c.starts_with("holds"))
}

/// The trimmed cells of a markdown table row (`| a | b |` -> `["a", "b"]`); an escaped `\|`
/// belongs to its cell.
fn cells(line: &str) -> Vec<String> {
    let Some(inner) = line.trim().strip_prefix('|').and_then(|l| l.strip_suffix('|')) else {
        return Vec::new();
    };
    let mut cells = vec![String::new()];
    let mut escaped = false;
    for c in inner.chars() {
        match c {
            '|' if !escaped => cells.push(String::new()),
            _ => cells.last_mut().expect("one cell at least").push(c),
        }
        escaped = c == '\\' && !escaped;
    }
    cells.iter().map(|c| c.trim().to_string()).collect()
}

/// The spans of `text` between pairs of backticks.
fn backticked(text: &str) -> Vec<&str> {
    text.split('`').skip(1).step_by(2).collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    const README: &str = "# x\n\n| # | claim | experiment | ours | control | holds? |\n|---|---|---|---|---|---|\n\
                          | 1 | gates help | `gates` | 0.1 | no gate: 0.5 (`control_gates_help`) | yes |\n\nafter\n";

    fn files(text: &str) -> Vec<(String, String)> {
        vec![("claims.rs".into(), text.into())]
    }

    #[test]
    fn a_claim_with_its_control_named_in_the_readme_passes() {
        let tests = files("#[test]\nfn claim_gates_help() {}\n#[test]\nfn control_gates_help() {}\n");
        assert_eq!(problems(&tests, README), Vec::<String>::new());
    }

    #[test]
    fn a_claim_without_a_control_is_reported() {
        let tests = files("fn claim_gates_help() {}\nfn control_gates_help() {}\nfn claim_depth() {}\n");
        assert_eq!(problems(&tests, README), vec!["`claim_depth` has no negative control `control_depth`"]);
    }

    #[test]
    fn the_readme_must_name_an_existing_control_in_a_control_column() {
        let tests = files("fn claim_gates_help() {}\nfn control_gates_help() {}\n");
        let no_column = README.replace("| control ", "| other ");
        assert_eq!(problems(&tests, &no_column), vec!["README.md's claims table has no `control` column"]);
        let unknown = README.replace("control_gates_help", "control_gates");
        assert_eq!(
            problems(&tests, &unknown),
            vec!["README.md claims row 1 names `control_gates`, which no test defines"]
        );
        let unnamed = README.replace("(`control_gates_help`)", "");
        assert_eq!(problems(&tests, &unnamed), vec!["README.md claims row 1 (1) names no `control_*` test"]);
    }

    #[test]
    fn an_escaped_bar_stays_in_its_cell() {
        assert_eq!(cells(r"| a | \|x\| < 1 | c |"), vec!["a", r"\|x\| < 1", "c"]);
        assert_eq!(cells("not a row"), Vec::<String>::new());
    }

    #[test]
    fn a_claim_test_that_reads_the_clock_is_reported() {
        let tests = files("fn claim_gates_help() { let t = Instant::now(); }\nfn control_gates_help() {}\n");
        assert_eq!(
            problems(&tests, README),
            vec!["tests/claims.rs reads the clock (`Instant`): assert counted work, not time"]
        );
    }
}
