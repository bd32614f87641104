//! The command-line tool as a user runs it: its output, its exit status
//! and its messages.

use std::process::Command;

fn layerwise(args: &[&str]) -> std::process::Output {
    Command::new(env!("CARGO_BIN_EXE_layerwise"))
        .args(args)
        .output()
        .expect("the layerwise binary runs")
}

#[test]
fn table_prints_header_and_rows() {
    let output = layerwise(&[
        "table",
        "--d",
        "1",
        "--n",
        "2",
        "--depth",
        "4",
        "--p",
        "2",
        "--expr",
        "abs(x-1/3)",
    ]);
    assert!(output.status.success());
    let stdout = String::from_utf8(output.stdout).unwrap();
    let lines: Vec<&str> = stdout.lines().collect();
    assert_eq!(lines[0], "level,cells,error,omega,bound,ratio");
    assert_eq!(lines.len(), 5);
    for (index, line) in lines[1..].iter().enumerate() {
        let fields: Vec<&str> = line.split(',').collect();
        assert_eq!(fields.len(), 6, "{line}");
        assert_eq!(fields[0], (index + 1).to_string());
        assert_eq!(fields[1], (1u64 << (index + 1)).to_string());
        for field in &fields[2..] {
            let value: f64 = field.parse().unwrap();
            assert!(value.is_finite(), "{line}");
            assert!(value >= 0.0, "{line}");
        }
    }
}

#[test]
fn json_has_the_same_rows() {
    let csv = layerwise(&["table", "--target", "kink", "--n", "3", "--depth", "3"]);
    let json = layerwise(&[
        "table", "--target", "kink", "--n", "3", "--depth", "3", "--format", "json",
    ]);
    assert!(json.status.success());
    let parsed: serde_json::Value = serde_json::from_slice(&json.stdout).unwrap();
    let rows = parsed["rows"].as_array().unwrap();
    let csv_text = String::from_utf8(csv.stdout).unwrap();
    for (row, line) in rows.iter().zip(csv_text.lines().skip(1)) {
        let error: f64 = line.split(',').nth(2).unwrap().parse().unwrap();
        let json_error = row["error"].as_f64().unwrap();
        assert!(((error - json_error) / json_error).abs() < 1e-5, "{line}");
    }
    // 1-Lipschitz, so the certified depth is the least L with
    // 3·3^(−L) ≤ ε = 0.01: 3^5 = 243 < 300 ≤ 729 = 3^6.
    assert_eq!(parsed["certified_depth"].as_u64(), Some(6));
}

#[test]
fn bad_arguments_exit_with_one_line_message() {
    let cases: [&[&str]; 10] = [
        &["table", "--n", "17"],
        &["table", "--n", "1.5"],
        &["table", "--d", "3"],
        &["table", "--depth", "13"],
        &["table", "--p", "0.5"],
        &["table", "--alpha", "NaN"],
        &["table", "--target", "banana"],
        &["table", "--expr", "x +* 2"],
        &["table", "--bogus", "1"],
        &["plot"],
    ];
    for args in cases {
        let output = layerwise(args);
        assert_eq!(output.status.code(), Some(2), "{args:?}");
        assert!(output.stdout.is_empty(), "{args:?}");
        let stderr = String::from_utf8(output.stderr).unwrap();
        assert!(stderr.starts_with("layerwise: "), "{args:?}: {stderr}");
        assert_eq!(stderr.trim_end().lines().count(), 1, "{args:?}: {stderr}");
    }
}

#[test]
fn figure_writes_svg() {
    let path = std::env::temp_dir().join(format!("layerwise-figure-{}.svg", std::process::id()));
    let path_text = path.to_str().unwrap();
    let output = layerwise(&[
        "figure", "--out", path_text, "--n", "2", "--depth", "3", "--level", "2",
    ]);
    assert!(
        output.status.success(),
        "{}",
        String::from_utf8_lossy(&output.stderr)
    );
    let svg = std::fs::read_to_string(&path).unwrap();
    std::fs::remove_file(&path).unwrap();
    assert!(svg.starts_with("<svg"));
    assert!(svg.contains("Φ_2"));
}

#[test]
fn non_finite_warning_names_point() {
    let output = layerwise(&[
        "table", "--d", "1", "--n", "3", "--depth", "2", "--expr", "1/0",
    ]);
    assert!(output.status.success());
    let stderr = String::from_utf8(output.stderr).unwrap();
    assert!(stderr.contains("first at x = 0."), "{stderr}");
    assert!(!stderr.contains('['), "{stderr}");

    // Every evaluation is NaN or ±∞, so the share is all of them.
    let share = stderr
        .split(" evaluations")
        .next()
        .and_then(|head| head.rsplit(" at ").next())
        .unwrap();
    let (count, total) = share.split_once(" of ").unwrap();
    assert_eq!(count, total, "{stderr}");
}

#[test]
fn constant_target_notes_rounding() {
    let output = layerwise(&[
        "table", "--d", "1", "--n", "3", "--depth", "3", "--expr", "pi",
    ]);
    assert!(output.status.success());
    let stderr = String::from_utf8(output.stderr).unwrap();
    assert!(stderr.contains("floating-point rounding"), "{stderr}");
}

#[test]
fn figure_marks_infinite_errors() {
    let path =
        std::env::temp_dir().join(format!("layerwise-figure-inf-{}.svg", std::process::id()));
    let path_text = path.to_str().unwrap();
    let output = layerwise(&[
        "figure",
        "--out",
        path_text,
        "--n",
        "3",
        "--depth",
        "2",
        "--level",
        "1",
        "--expr",
        "exp(1000*x)",
    ]);
    assert!(output.status.success());
    let svg = std::fs::read_to_string(&path).unwrap();
    std::fs::remove_file(&path).unwrap();
    assert!(svg.contains(">∞</text>"), "no ∞ mark in the error panel");
}
