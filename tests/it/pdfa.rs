//! Every PDF the tool writes is PDF/A-1b, the form Noark 5 archives take (Riksarkivarens
//! forskrift § 5-17), as Apache PDFBox Preflight judges it: a validator independent of our
//! writer, from Debian's packages. The report (bokmål, English, a partial review), the
//! summary, the preparation pack and the meeting pack in every language; the draft report is
//! checked in `review_cycle`. A PDF that breaks the standard is refused by the same check.

use crate::util;

use std::path::Path;

use util::{preflight_a1b, repo, run, run_en, tempdir, write};

fn made(dir: &Path, name: &str, english: bool, args: &[&str]) -> std::path::PathBuf {
    let out = dir.join(name);
    let out_arg = out.display().to_string();
    let args: Vec<&str> = args.iter().copied().chain(["-o", out_arg.as_str()]).collect();
    let r = if english { run_en(&args) } else { run(&args) };
    assert_eq!(r.code, 0, "{args:?}: {}", r.stderr);
    out
}

/// `made` in nynorsk (`--lang nn`).
fn made_nn(dir: &Path, name: &str, args: &[&str]) -> std::path::PathBuf {
    let args: Vec<&str> = ["--lang", "nn"].into_iter().chain(args.iter().copied()).collect();
    made(dir, name, false, &args)
}

#[test]
fn every_pdf_the_tool_writes_is_pdf_a_1b() {
    let dir = tempdir();
    let d = dir.path();
    let service = ["--workspace", "examples/workspace", "--service", "IPS Nordby"];
    let pdfs = [
        made(d, "report-nb.pdf", false, &[&["report"], &service[..]].concat()),
        made(d, "report-en.pdf", true, &[&["report"], &service[..]].concat()),
        made(d, "partial.pdf", false, &["report", "examples/minimal.json"]),
        made(d, "summary-nb.pdf", false, &["summary", "--workspace", "examples/workspace"]),
        made(d, "summary-en.pdf", true, &["summary", "--workspace", "examples/workspace"]),
        made(d, "prep-nb.pdf", false, &["prepare", "--scale", "ips-25"]),
        made(d, "prep-en.pdf", true, &["prepare", "--scale", "ips-25"]),
        made(d, "pack-nb.pdf", false, &[&["meeting-pack"], &service[..]].concat()),
        made(d, "pack-en.pdf", true, &[&["meeting-pack"], &service[..]].concat()),
        made_nn(d, "report-nn.pdf", &[&["report"], &service[..]].concat()),
        made_nn(d, "summary-nn.pdf", &["summary", "--workspace", "examples/workspace"]),
        made_nn(d, "prep-nn.pdf", &["prepare", "--scale", "ips-25"]),
        made_nn(d, "pack-nn.pdf", &[&["meeting-pack"], &service[..]].concat()),
    ];
    let failures: Vec<String> =
        pdfs.iter().filter_map(|p| preflight_a1b(p).err().map(|e| format!("{}:\n{e}", p.display()))).collect();
    assert!(failures.is_empty(), "not PDF/A-1b:\n{}", failures.join("\n"));
}

#[test]
fn characters_the_font_lacks_still_make_a_valid_pdf_a() {
    // A service name with an emoji and a Chinese character: DejaVu Sans has neither, so they
    // are drawn as "�", and the file stays PDF/A-1b.
    let dir = tempdir();
    let text = std::fs::read_to_string(repo("examples/minimal.json"))
        .expect("the example")
        .replace("IPS Bodø", "IPS Bodø 🙂 漢");
    let input = dir.path().join("odd.json");
    write(&input, &text);
    let out = made(dir.path(), "odd.pdf", false, &["report", &input.display().to_string()]);
    preflight_a1b(&out).unwrap_or_else(|e| panic!("{e}"));
}

#[test]
fn the_check_refuses_a_pdf_that_is_not_pdf_a() {
    // The same report with its PDF/A identification taken out of the XMP metadata (same
    // length, so the file's offsets still hold): Preflight must say it is not PDF/A.
    let dir = tempdir();
    let out = made(dir.path(), "report.pdf", false, &["report", "examples/minimal.json"]);
    let mut bytes = std::fs::read(&out).expect("the report");
    let needle = b"pdfaid:part";
    let at = bytes.windows(needle.len()).position(|w| w == needle).expect("the XMP metadata names the PDF/A part");
    bytes[at..at + needle.len()].copy_from_slice(b"pdfaid:pArt");
    std::fs::write(&out, &bytes).expect("write");
    assert!(preflight_a1b(&out).is_err(), "Preflight accepted a PDF without its PDF/A identification");
}
