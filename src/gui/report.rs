//! Making the PDF report from the app: the work runs on the job runner's output lane
//! ([`super::jobs`]), so the window stays responsive; [`ReportStatus`] is what the report
//! button shows meanwhile.

use std::path::{Path, PathBuf};
use std::time::Instant;

use chrono::NaiveDate;

use ips_domain::evaluation::{Evaluation, ServiceInfo};
use ips_domain::service::ScaleSet;
use ips_store::store;
use ips_text::text::Lang;

/// What the report button shows.
#[derive(Debug, Default)]
pub enum ReportStatus {
    #[default]
    Idle,
    /// Being made on the job runner's output lane since `started`.
    Running {
        started: Instant,
    },
    Done(PathBuf),
    Failed(String),
}

/// Everything the report thread needs, owned.
pub struct ReportRequest {
    pub scales: ScaleSet,
    pub service: ServiceInfo,
    pub evaluation: Evaluation,
    pub reviews: Vec<Evaluation>,
    pub lang: Lang,
    pub today: NaiveDate,
    pub output: PathBuf,
}

/// Where the app writes a report: `WORKSPACE/reports/<service folder>_<date>_<type>.pdf`.
pub fn output_path(root: &Path, folder: &str, evaluation: &Evaluation) -> PathBuf {
    root.join("reports").join(format!("{folder}_{}_{}.pdf", evaluation.date, evaluation.kind.code()))
}

/// Makes the report and writes it atomically (replacing an earlier one): a Word document
/// when the chosen file ends in .docx, else the PDF.
pub fn make(req: &ReportRequest) -> Result<PathBuf, String> {
    let reviews: Vec<&Evaluation> = req.reviews.iter().collect();
    let word = req.output.extension().is_some_and(|x| x.eq_ignore_ascii_case("docx"));
    let bytes = if word {
        let now = chrono::Local::now().fixed_offset();
        let kind = ips_docx::Kind::Report;
        ips_docx::report(&req.scales, &req.service, &req.evaluation, &reviews, req.lang, now, kind)
            .map_err(|e| e.to_string())?
    } else {
        ips_pdf::report(&req.scales, &req.service, &req.evaluation, &reviews, req.lang, req.today)
            .map_err(|e| e.to_string())?
    };
    store::write_output(&req.output, &bytes).map_err(|e| e.to_string())?;
    Ok(req.output.clone())
}

impl ReportStatus {
    pub fn is_running(&self) -> bool {
        matches!(self, ReportStatus::Running { .. })
    }
}

/// Renders a PDF with `render` and writes it to `output` (on the job runner's output lane).
pub fn render_to(output: PathBuf, render: impl FnOnce() -> Result<Vec<u8>, String>) -> Result<PathBuf, String> {
    let bytes = render()?;
    store::write_output(&output, &bytes).map_err(|e| e.to_string())?;
    Ok(output)
}

/// Opens a file or folder with the system's default program.
pub fn open_path(path: &Path) -> std::io::Result<()> {
    #[cfg(target_os = "windows")]
    let mut cmd = {
        let mut c = std::process::Command::new("explorer");
        c.arg(path);
        c
    };
    #[cfg(target_os = "macos")]
    let mut cmd = {
        let mut c = std::process::Command::new("open");
        c.arg(path);
        c
    };
    #[cfg(not(any(target_os = "windows", target_os = "macos")))]
    let mut cmd = {
        let mut c = std::process::Command::new("xdg-open");
        c.arg(path);
        c
    };
    let mut child = cmd.spawn()?;
    // Reap the opener when it exits, so no zombie process is left behind.
    std::thread::Builder::new().name("open-path".into()).spawn(move || {
        let _ = child.wait();
    })?;
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use ips_domain::evaluation::EvaluationType;
    use ips_domain::service::ScaleSet;

    #[test]
    fn a_report_is_rendered_and_written() {
        let dir = tempfile::tempdir().unwrap_or_else(|e| panic!("{e}"));
        let scales = ScaleSet::builtin().0;
        let scale = scales.get("ips-25").cloned().unwrap_or_else(|| panic!("ips-25"));
        let e = Evaluation::new(
            &scale,
            "IPS Ås",
            NaiveDate::from_ymd_opt(2026, 1, 5).unwrap_or_default(),
            EvaluationType::Independent,
        );
        let output = output_path(dir.path(), "ips-as", &e);
        let made = make(&ReportRequest {
            scales,
            service: ServiceInfo::named("IPS Ås"),
            evaluation: e,
            reviews: Vec::new(),
            lang: Lang::Nb,
            today: NaiveDate::default(),
            output: output.clone(),
        });
        assert_eq!(made, Ok(output.clone()));
        assert!(std::fs::read(&output).unwrap_or_default().starts_with(b"%PDF"));
    }
}
