//! Helpers shared by the integration tests: run the binary, make temp workspaces.

use egui_kittest::kittest::Queryable;
use std::path::{Path, PathBuf};
use std::process::{Command, Output};

pub fn bin() -> Command {
    let mut c = Command::new(env!("CARGO_BIN_EXE_ips-fidelity"));
    c.env_remove("IPS_FIDELITY_WORKSPACE");
    // The local index of the workspaces the tests use goes to one scratch folder, not the
    // user's cache.
    c.env("IPS_FIDELITY_CACHE_DIR", std::env::temp_dir().join("ips-fidelity-test-cache"));
    // The language comes from --lang or the environment: a fixed environment (bokmål, the
    // default) so the tests do not depend on the machine's locale.
    for var in ["LC_ALL", "LC_MESSAGES", "LANGUAGE"] {
        c.env_remove(var);
    }
    c.env("LANG", "C.UTF-8");
    c.current_dir(env!("CARGO_MANIFEST_DIR"));
    c
}

pub struct Run {
    pub code: i32,
    pub stdout: String,
    pub stderr: String,
}

pub fn run(args: &[&str]) -> Run {
    let out: Output = bin().args(args).output().unwrap_or_else(|e| panic!("cannot run binary: {e}"));
    let r = Run {
        code: out.status.code().unwrap_or(-1),
        stdout: String::from_utf8_lossy(&out.stdout).into_owned(),
        stderr: String::from_utf8_lossy(&out.stderr).into_owned(),
    };
    assert!(!r.stderr.contains("panicked"), "the binary panicked: {}", r.stderr);
    assert!(!r.stderr.contains("RUST_BACKTRACE"), "backtrace hint: {}", r.stderr);
    r
}

/// Runs the binary with English output (`--lang en`), for tests that read its messages.
pub fn run_en(args: &[&str]) -> Run {
    let mut all: Vec<&str> = args.to_vec();
    all.extend(["--lang", "en"]);
    run(&all)
}

pub fn repo(path: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join(path)
}

pub fn tempdir() -> tempfile::TempDir {
    tempfile::tempdir().unwrap_or_else(|e| panic!("{e}"))
}

pub fn write(path: &Path, text: &str) {
    if let Some(p) = path.parent() {
        std::fs::create_dir_all(p).unwrap_or_else(|e| panic!("{e}"));
    }
    std::fs::write(path, text).unwrap_or_else(|e| panic!("{e}"));
}

/// Copies a folder tree (the example workspace into a temp folder).
pub fn copy_tree(from: &Path, to: &Path) {
    std::fs::create_dir_all(to).unwrap_or_else(|e| panic!("{e}"));
    for entry in std::fs::read_dir(from).unwrap_or_else(|e| panic!("{e}")).flatten() {
        let target = to.join(entry.file_name());
        if entry.path().is_dir() {
            copy_tree(&entry.path(), &target);
        } else {
            std::fs::copy(entry.path(), &target).unwrap_or_else(|e| panic!("{e}"));
        }
    }
}

/// Stands in for the person at the system's file dialog: records each request and answers
/// it with `answer`.
pub fn choose(
    app: &mut ips_fidelity::gui::App,
    answer: Option<Vec<PathBuf>>,
) -> std::sync::Arc<std::sync::Mutex<Vec<ips_fidelity::gui::FileRequest>>> {
    let asked = std::sync::Arc::new(std::sync::Mutex::new(Vec::new()));
    let log = std::sync::Arc::clone(&asked);
    app.picker = std::sync::Arc::new(move |request| {
        log.lock().expect("lock").push(request);
        answer.clone()
    });
    asked
}

/// A file dropped on the window, as the windowing layer hands it to egui.
#[derive(Debug)]
struct Dropped(PathBuf);

impl egui::DroppedFile for Dropped {
    fn path(&self) -> &Path {
        &self.0
    }
    fn bytes(&self) -> Result<Vec<u8>, String> {
        std::fs::read(&self.0).map_err(|e| e.to_string())
    }
}

/// Runs frames until the app's work off the window's thread is done (a workspace read,
/// saves written by the writer thread, commands that waited for them): the real disk,
/// the real threads.
pub fn settle(h: &mut egui_kittest::Harness<'static, ips_fidelity::gui::App>) {
    let started = std::time::Instant::now();
    // Steps, not `run`: a spinner repaints until the work is done.
    h.step();
    h.step();
    while h.state().busy() {
        assert!(started.elapsed() < std::time::Duration::from_secs(30), "the app never finished its work");
        h.step();
        std::thread::sleep(std::time::Duration::from_millis(5));
    }
    frames(h);
}

/// Clicks the field with this accessible label and types into it, as a person would: the
/// click gives it focus, the text goes in, and the frames after each show the result.
pub fn type_into(h: &mut egui_kittest::Harness<'static, ips_fidelity::gui::App>, label: &str, text: &str) {
    h.get_by_label(label).click();
    frames(h);
    h.get_by_label(label).type_text(text);
    frames(h);
}

/// Runs frames as `Harness::run` does, and on until the work those frames started off the
/// window's thread (reading a service, a new service or review, the version list) is done:
/// what a person sees a moment after a click.
pub fn frames(h: &mut egui_kittest::Harness<'static, ips_fidelity::gui::App>) {
    let started = std::time::Instant::now();
    loop {
        assert!(started.elapsed() < std::time::Duration::from_secs(30), "the app never finished its work");
        h.step();
        if h.state().settling() {
            // The "working" spinner repaints meanwhile.
            h.state_mut().settle();
            continue;
        }
        if h.try_run().is_ok() && !h.state().settling() {
            break;
        }
    }
}

pub fn drop_files(h: &mut egui_kittest::Harness<'static, ips_fidelity::gui::App>, paths: &[&Path]) {
    for p in paths {
        h.input_mut().dropped_files.push(std::sync::Arc::new(Dropped(p.to_path_buf())));
    }
    settle(h);
}

/// Chooses `lang` in the window's language menu (opened by its label, "Språk: Bokmål").
pub fn choose_language(h: &mut egui_kittest::Harness<'static, ips_fidelity::gui::App>, lang: ips_text::text::Lang) {
    let now = h.state().settings.lang;
    let menu = format!("{}: {}", ips_fidelity::gui::strings::get(now).switch_language, now.native_name());
    h.get_by_label(&menu).click();
    frames(h);
    h.get_by_label(lang.native_name()).click();
    frames(h);
}

/// Every accessible label in the window (for a test's message when a node is missing).
pub fn labels(h: &egui_kittest::Harness<'static, ips_fidelity::gui::App>) -> Vec<String> {
    use egui_kittest::kittest::NodeT;
    h.query_all(egui_kittest::kittest::By::new()).filter_map(|n| n.accesskit_node().label()).collect()
}

/// Every message the app shows, one per line.
pub fn messages(app: &ips_fidelity::gui::App) -> String {
    app.messages.iter().map(|m| m.text(app.settings.lang).to_string()).collect::<Vec<_>>().join("\n")
}

/// The day the UI tests run on, so dates in the window are the same every day.
pub fn today() -> chrono::NaiveDate {
    chrono::NaiveDate::from_ymd_opt(2026, 11, 23).expect("test data")
}

/// The app in a headless window the size of a laptop screen, with the program's fonts.
pub fn harness(app: ips_fidelity::gui::App) -> egui_kittest::Harness<'static, ips_fidelity::gui::App> {
    egui_kittest::Harness::builder()
        .with_size([1400.0, 1000.0])
        .with_max_steps(12)
        .with_context_setup(ips_fidelity::gui::setup_context)
        .build_ui_state(|ui, app: &mut ips_fidelity::gui::App| app.ui(ui), app)
}

/// Puts every review of the workspace at `root` back to `scoring`, as the example's reviews
/// were while their reviewers scored them (the example's reviews are final, and locked).
pub fn in_scoring(root: &Path) {
    for service in std::fs::read_dir(root.join("services")).expect("services").flatten() {
        for review in std::fs::read_dir(service.path().join("evaluations")).into_iter().flatten().flatten() {
            let path = review.path();
            let mut v: serde_json::Value =
                serde_json::from_str(&std::fs::read_to_string(&path).expect("review")).expect("json");
            v["status"] = serde_json::json!("scoring");
            // Reopened as the app reopens a final review, so the trail agrees (a status
            // edited by hand against the trail does not unlock a review).
            let last_to_final = v["audit"]
                .as_array()
                .and_then(|a| a.iter().rev().find(|e| e["change"] == "status"))
                .is_some_and(|e| e["to"] == "final");
            if last_to_final && let Some(audit) = v["audit"].as_array_mut() {
                audit.push(serde_json::json!({
                    "at": "2026-06-01T10:00:00", "by": "test", "change": "status",
                    "from": "final", "to": "scoring", "reason": "Åpnet igjen for testen"
                }));
            }
            write(&path, &serde_json::to_string_pretty(&v).expect("json"));
        }
    }
}

/// Makes sure a system tool a test needs is there: on a machine where we are root with
/// apt-get (a fresh Debian machine, and CI), it installs the Debian package, so README's
/// `cargo test` stays the one command; elsewhere the test fails saying what to install,
/// rather than passing without having run.
pub fn ensure_tool(tool: &str, package: &str) {
    ensure_packages(tool, || Command::new(tool).arg("-V").output().is_ok(), &[package]);
}

/// As [`ensure_tool`], for what `present` checks and the Debian `packages` that bring it.
/// One test at a time installs (apt-get holds a lock of its own).
pub fn ensure_packages(what: &str, present: impl Fn() -> bool, packages: &[&str]) {
    static INSTALLING: std::sync::Mutex<()> = std::sync::Mutex::new(());
    let _one_at_a_time = INSTALLING.lock().unwrap_or_else(|e| e.into_inner());
    if present() {
        return;
    }
    let root = Command::new("id").arg("-u").output().is_ok_and(|o| o.stdout.starts_with(b"0"));
    if root && Command::new("apt-get").arg("--version").output().is_ok() {
        eprintln!("{what} is missing: installing the Debian packages {}", packages.join(" "));
        let install = || {
            Command::new("apt-get")
                .args(["install", "-y", "-qq"])
                .args(packages)
                .env("DEBIAN_FRONTEND", "noninteractive")
                .status()
                .is_ok_and(|s| s.success())
        };
        if !install() {
            let _ = Command::new("apt-get").args(["update", "-qq"]).status();
            install();
        }
    }
    assert!(
        present(),
        "this test needs {what}: install it (`apt-get install -y {}`), as .ci/run does",
        packages.join(" ")
    );
}

/// The Debian packages of Apache PDFBox Preflight, the PDF/A validator the tests use.
pub const PREFLIGHT_PACKAGES: [&str; 4] =
    ["default-jre-headless", "libpdfbox2-java", "libactivation-java", "libjaxb-api-java"];
const PREFLIGHT_JARS: [&str; 7] =
    ["preflight", "pdfbox2", "fontbox2", "xmpbox", "javax.activation", "jaxb-api", "commons-logging"];

/// What Apache PDFBox Preflight (a validator independent of our writer) says of `pdf` as
/// PDF/A-1b: `Ok` when valid, else its list of errors. Installs it where it can
/// ([`ensure_packages`]).
pub fn preflight_a1b(pdf: &Path) -> Result<(), String> {
    let jar = |name: &str| PathBuf::from(format!("/usr/share/java/{name}.jar"));
    let present =
        || Command::new("java").arg("-version").output().is_ok() && PREFLIGHT_JARS.iter().all(|j| jar(j).is_file());
    ensure_packages("Apache PDFBox Preflight", present, &PREFLIGHT_PACKAGES);
    let classpath = std::env::join_paths(PREFLIGHT_JARS.iter().map(|j| jar(j))).expect("a class path");
    // Preflight compares the Info dictionary's dates with the XMP metadata's in the local
    // time zone: a fixed one keeps the verdict the same on every machine.
    let out = Command::new("java")
        .arg("-cp")
        .arg(classpath)
        .arg("org.apache.pdfbox.preflight.Validator_A1b")
        .arg(pdf)
        .env("TZ", "Europe/Oslo")
        .output()
        .expect("java runs");
    let text = format!("{}{}", String::from_utf8_lossy(&out.stdout), String::from_utf8_lossy(&out.stderr));
    if text.contains("is a valid PDF/A-1b file") { Ok(()) } else { Err(text) }
}

/// Every file under `root` with its bytes, but the lock files (which stay by design: they
/// hold no data): what "nothing was written" and "nothing was lost" compare.
pub fn files_of(root: &Path) -> std::collections::BTreeMap<PathBuf, Vec<u8>> {
    let mut out = std::collections::BTreeMap::new();
    let mut stack = vec![root.to_path_buf()];
    while let Some(dir) = stack.pop() {
        for entry in std::fs::read_dir(&dir).expect("read_dir").flatten() {
            let path = entry.path();
            if path.is_dir() {
                stack.push(path);
            } else if !path.to_string_lossy().ends_with(".lock") {
                out.insert(path.clone(), std::fs::read(&path).expect("read"));
            }
        }
    }
    out
}
