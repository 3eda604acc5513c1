//! Making the PDF report from the app: the work runs on a named thread and sends its
//! result back over a channel, so the window stays responsive; the app polls once a frame.

use std::path::{Path, PathBuf};
use std::sync::mpsc::{Receiver, TryRecvError, channel};
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
    Running {
        rx: Receiver<Result<PathBuf, String>>,
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
    pub history: Vec<Evaluation>,
    pub lang: Lang,
    pub today: NaiveDate,
    pub output: PathBuf,
}

/// Where the app writes a report: `WORKSPACE/reports/<service folder>_<date>_<type>.pdf`.
pub fn output_path(root: &Path, folder: &str, evaluation: &Evaluation) -> PathBuf {
    root.join("reports").join(format!("{folder}_{}_{}.pdf", evaluation.date, evaluation.kind.code()))
}

/// Makes the PDF and writes it atomically (replacing an earlier one).
pub fn make(req: &ReportRequest) -> Result<PathBuf, String> {
    let history: Vec<&Evaluation> = req.history.iter().collect();
    let bytes = ips_pdf::report(&req.scales, &req.service, &req.evaluation, &history, req.lang, req.today)
        .map_err(|e| e.to_string())?;
    store::write_output(&req.output, &bytes).map_err(|e| e.to_string())?;
    Ok(req.output.clone())
}

impl ReportStatus {
    /// Starts making the report on its own thread.
    pub fn start(req: ReportRequest) -> ReportStatus {
        Self::spawn(move || make(&req))
    }

    /// Starts making another PDF (a meeting pack, a preparation pack) on its own thread and
    /// writes it to `output`.
    pub fn start_with(
        output: PathBuf,
        render: impl FnOnce() -> Result<Vec<u8>, String> + Send + 'static,
    ) -> ReportStatus {
        Self::spawn(move || {
            let bytes = render()?;
            store::write_output(&output, &bytes).map_err(|e| e.to_string())?;
            Ok(output)
        })
    }

    fn spawn(job: impl FnOnce() -> Result<PathBuf, String> + Send + 'static) -> ReportStatus {
        let (tx, rx) = channel();
        let spawned = std::thread::Builder::new().name("pdf-report".into()).spawn(move || {
            // The receiver may be gone if the app closed meanwhile; nothing to tell then.
            let _ = tx.send(job());
        });
        match spawned {
            Ok(_) => ReportStatus::Running { rx, started: Instant::now() },
            Err(e) => ReportStatus::Failed(e.to_string()),
        }
    }

    /// Checks for a finished report; true when the status changed.
    pub fn poll(&mut self) -> bool {
        let ReportStatus::Running { rx, .. } = self else {
            return false;
        };
        match rx.try_recv() {
            Ok(Ok(path)) => *self = ReportStatus::Done(path),
            Ok(Err(e)) => *self = ReportStatus::Failed(e),
            Err(TryRecvError::Empty) => return false,
            Err(TryRecvError::Disconnected) => *self = ReportStatus::Failed("the report thread stopped".into()),
        }
        true
    }

    pub fn is_running(&self) -> bool {
        matches!(self, ReportStatus::Running { .. })
    }
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
    fn report_thread_writes_the_pdf() {
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
        let mut status = ReportStatus::start(ReportRequest {
            scales,
            service: ServiceInfo::named("IPS Ås"),
            evaluation: e,
            history: Vec::new(),
            lang: Lang::Nb,
            today: NaiveDate::default(),
            output: output.clone(),
        });
        let deadline = Instant::now() + std::time::Duration::from_secs(30);
        while !status.poll() && Instant::now() < deadline {
            std::thread::sleep(std::time::Duration::from_millis(10));
        }
        assert!(matches!(&status, ReportStatus::Done(p) if *p == output), "{status:?}");
        assert!(std::fs::read(&output).unwrap_or_default().starts_with(b"%PDF"));
    }
}
