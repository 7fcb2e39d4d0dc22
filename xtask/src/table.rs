//! Plain-text tables for summaries printed to the terminal (also valid markdown).

/// Renders `rows` under `header` as a markdown table with padded columns.
pub fn markdown(header: &[&str], rows: &[Vec<String>]) -> String {
    let widths: Vec<usize> = (0..header.len())
        .map(|c| {
            rows.iter()
                .map(|r| r.get(c).map_or(0, |s| s.chars().count()))
                .max()
                .unwrap_or(0)
                .max(header[c].len())
        })
        .collect();
    let line = |cells: Vec<String>| -> String {
        let padded: Vec<String> = cells.iter().zip(&widths).map(|(c, w)| format!("{c:<w$}")).collect();
        format!("| {} |\n", padded.join(" | "))
    };
    let mut out = line(header.iter().map(|h| h.to_string()).collect());
    out += &line(widths.iter().map(|w| "-".repeat(*w)).collect());
    for row in rows {
        out += &line((0..header.len()).map(|c| row.get(c).cloned().unwrap_or_default()).collect());
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn columns_are_padded_to_the_widest_cell() {
        let table = markdown(&["crate", "flex"], &[vec!["shared".into(), "ok 12".into()], vec!["x".into()]]);
        assert_eq!(table, "| crate  | flex  |\n| ------ | ----- |\n| shared | ok 12 |\n| x      |       |\n");
    }
}
