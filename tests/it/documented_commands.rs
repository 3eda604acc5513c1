//! Every `ips-fidelity ...` command line in README.md and docs/*.md runs exactly as printed:
//! from the root of a scratch copy of the repository, with its relative paths, with the
//! optional `[...]` parts both left out and put in, and twice in a row (a second run must
//! not fail either, e.g. on the file the first run wrote). `DIR` stands for a workspace: a
//! copy of the example workspace. This is the test form of `../shared/hooks/readme-smoke.sh`.

use crate::util;

use std::path::{Path, PathBuf};

use util::{copy_tree, repo, tempdir};

/// The command lines of the fenced shell blocks of a Markdown file.
fn command_lines(markdown: &str) -> Vec<String> {
    let mut lines = Vec::new();
    let mut in_block = false;
    for line in markdown.lines() {
        let trimmed = line.trim_start();
        if let Some(fence) = trimmed.strip_prefix("```") {
            in_block = !in_block && matches!(fence.trim(), "" | "sh" | "bash" | "shell" | "console");
            continue;
        }
        if in_block {
            let command = line.split('#').next().unwrap_or("").trim();
            if command.starts_with("ips-fidelity") {
                lines.push(command.to_string());
            }
        }
    }
    lines
}

/// The line without its optional parts, and with them (brackets dropped; for `[a|b]`, `a`).
fn variants(line: &str) -> [String; 2] {
    let (mut plain, mut full) = (String::new(), String::new());
    let mut rest = line;
    while let Some(open) = rest.find('[') {
        plain.push_str(&rest[..open]);
        full.push_str(&rest[..open]);
        let after = &rest[open + 1..];
        let close = after.find(']').unwrap_or(after.len());
        full.push_str(after[..close].split('|').next().unwrap_or(""));
        rest = after.get(close + 1..).unwrap_or("");
    }
    plain.push_str(rest);
    full.push_str(rest);
    let tidy = |s: String| s.split_whitespace().collect::<Vec<_>>().join(" ");
    [tidy(plain), tidy(full)]
}

fn documents() -> Vec<PathBuf> {
    let mut docs = vec![repo("README.md")];
    let mut more: Vec<PathBuf> = std::fs::read_dir(repo("docs"))
        .map(|rd| rd.flatten().map(|e| e.path()).filter(|p| p.extension().is_some_and(|x| x == "md")).collect())
        .expect("the docs folder");
    more.sort();
    docs.extend(more);
    docs
}

/// A scratch copy of what the documented commands read: the examples and the scales.
fn scratch_repo() -> tempfile::TempDir {
    let dir = tempdir();
    for folder in ["examples", "scales"] {
        copy_tree(&repo(folder), &dir.path().join(folder));
    }
    dir
}

/// A fresh `ws` (the `DIR` of the docs): a copy of the example workspace.
fn fresh_workspace(root: &Path) {
    let ws = root.join("ws");
    let _ = std::fs::remove_dir_all(&ws);
    copy_tree(&repo("examples/workspace"), &ws);
}

fn run_line(root: &Path, line: &str) -> (Option<i32>, String) {
    let bin = env!("CARGO_BIN_EXE_ips-fidelity");
    let words: Vec<String> =
        line.split_whitespace().map(|w| if w == "DIR" { "ws".to_string() } else { w.to_string() }).collect();
    // Through the shell, as a user types it (globs such as scales/*.json expand).
    let script = format!("\"$0\" {}", words[1..].join(" "));
    // snapbox runs it as clap runs its documented examples, and stops a command that hangs.
    let out = snapbox::cmd::Command::new("sh")
        .arg("-c")
        .arg(&script)
        .arg(bin)
        .current_dir(root)
        .env_remove("IPS_FIDELITY_WORKSPACE")
        .env("LANG", "C.UTF-8")
        .timeout(std::time::Duration::from_secs(60))
        .output()
        .unwrap_or_else(|e| panic!("cannot run sh: {e}"));
    let text = format!("{}{}", String::from_utf8_lossy(&out.stdout), String::from_utf8_lossy(&out.stderr));
    (out.status.code(), text)
}

#[test]
fn every_documented_command_runs_as_printed_twice() {
    let root = scratch_repo();
    let mut ran = 0;
    let mut failures = Vec::new();
    for doc in documents() {
        let text = std::fs::read_to_string(&doc).unwrap_or_else(|e| panic!("{}: {e}", doc.display()));
        for line in command_lines(&text) {
            for command in variants(&line) {
                // Twice on the same workspace and folder: the second run meets what the
                // first one wrote.
                fresh_workspace(root.path());
                for attempt in 1..=2 {
                    let (code, output) = run_line(root.path(), &command);
                    ran += 1;
                    if code != Some(0) || output.contains("panicked") {
                        failures.push(format!("{} (run {attempt}, exit {code:?}): {command}\n{output}", doc.display()));
                    }
                }
            }
        }
    }
    assert!(ran >= 20, "only {ran} documented command runs found: is the README's command block still there?");
    assert!(failures.is_empty(), "{} failing:\n{}", failures.len(), failures.join("\n"));
}

/// A command line split into words as a shell would: on white space, but not inside
/// double quotes (`--service "IPS Nordby"`).
fn words_of(line: &str) -> Vec<String> {
    let (mut words, mut word, mut quoted) = (Vec::new(), String::new(), false);
    for c in line.chars() {
        match c {
            '"' => quoted = !quoted,
            c if c.is_whitespace() && !quoted => {
                if !word.is_empty() {
                    words.push(std::mem::take(&mut word));
                }
            }
            c => word.push(c),
        }
    }
    if !word.is_empty() {
        words.push(word);
    }
    words
}

/// The documented commands, run by the Windows build under Wine (`tests/windows/run.sh`):
/// as printed, then with Windows' backslashes in every path, twice each. No shell comes
/// between: `scales/*.json` reaches the program as typed in `cmd`, and the program itself
/// expands it.
#[test]
#[ignore = "needs the Windows build under Wine: tests/windows/run.sh"]
fn every_documented_command_runs_under_wine() {
    let root = scratch_repo();
    let exe = crate::under_wine::exe();
    let (mut ran, mut failures) = (0, Vec::new());
    for doc in documents() {
        let text = std::fs::read_to_string(&doc).unwrap_or_else(|e| panic!("{}: {e}", doc.display()));
        for line in command_lines(&text) {
            for command in variants(&line) {
                for slash in ["/", "\\"] {
                    fresh_workspace(root.path());
                    let words: Vec<String> = words_of(&command)[1..]
                        .iter()
                        .map(|w| if w == "DIR" { "ws".to_string() } else { w.clone() })
                        .map(|w| if w.starts_with('-') { w } else { w.replace('/', slash) })
                        .collect();
                    for attempt in 1..=2 {
                        let out = crate::under_wine::wine(&exe, root.path())
                            .args(&words)
                            .stdin(std::process::Stdio::null())
                            .output()
                            .expect("cannot run wine");
                        ran += 1;
                        let text =
                            format!("{}{}", String::from_utf8_lossy(&out.stdout), String::from_utf8_lossy(&out.stderr));
                        if out.status.code() != Some(0) || text.contains("panicked") {
                            failures.push(format!(
                                "{} (run {attempt}, exit {:?}): {words:?}\n{text}",
                                doc.display(),
                                out.status.code()
                            ));
                        }
                    }
                }
            }
        }
    }
    assert!(ran >= 40, "only {ran} runs");
    assert!(failures.is_empty(), "{} failing under Wine:\n{}", failures.len(), failures.join("\n"));
}

#[test]
fn relative_outputs_land_in_the_current_folder() {
    let root = scratch_repo();
    fresh_workspace(root.path());
    for _ in 0..2 {
        let (code, out) = run_line(root.path(), "ips-fidelity report examples/minimal.json -o report.pdf");
        assert_eq!(code, Some(0), "{out}");
        let (code, out) = run_line(root.path(), "ips-fidelity export --format csv -o out.csv --workspace DIR");
        assert_eq!(code, Some(0), "{out}");
    }
    let pdf = std::fs::read(root.path().join("report.pdf")).unwrap();
    assert!(pdf.starts_with(b"%PDF"), "report.pdf is not a PDF");
    let csv = std::fs::read_to_string(root.path().join("out.csv")).unwrap();
    assert!(csv.starts_with("service,date,type,scale,total,band"), "{csv}");
}

#[test]
fn dash_means_standard_output() {
    let root = scratch_repo();
    let bin = env!("CARGO_BIN_EXE_ips-fidelity");
    let assert = snapbox::cmd::Command::new(bin)
        .args(["report", "examples/minimal.json", "-o", "-"])
        .current_dir(root.path())
        .assert()
        .success();
    assert!(assert.get_output().stdout.starts_with(b"%PDF"), "the PDF goes to standard output");
    assert!(!root.path().join("-").exists(), "no file named '-'");
    let assert = snapbox::cmd::Command::new(bin)
        .args(["export", "--format", "csv", "-o", "-", "--workspace"])
        .arg(repo("examples/workspace"))
        .current_dir(root.path())
        .assert()
        .success();
    assert!(String::from_utf8_lossy(&assert.get_output().stdout).starts_with("service,date"));
}

#[test]
fn the_parser_sees_the_readme_commands() {
    let readme = std::fs::read_to_string(repo("README.md")).unwrap();
    let lines = command_lines(&readme);
    assert!(
        lines.iter().any(|l| l.starts_with("ips-fidelity report examples/minimal.json -o report.pdf")),
        "{lines:?}"
    );
    assert_eq!(
        variants("ips-fidelity score a.json [--json] [--lang en]"),
        ["ips-fidelity score a.json".to_string(), "ips-fidelity score a.json --json --lang en".to_string()]
    );
}
