//! The system's file dialogs (rfd): choosing a workspace folder, files to import, where an
//! export or a report goes. A dialog runs on the job runner's dialog lane, so the window
//! keeps drawing while it is open; its answer comes back like any job's.
//!
//! The dialog is behind [`FilePicker`] so the UI tests can stand in for the person choosing
//! (a headless test has no desktop to show a dialog on); the app uses [`system_picker`].

use std::path::{Path, PathBuf};

/// What a file dialog is for.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum FilePurpose {
    OpenWorkspace,
    Import,
    /// Every review, the summary and the outcome figures as an Excel workbook.
    ExportExcel,
    /// Every review as CSV.
    ExportCsv,
    SaveReport,
    /// A service's package, for a colleague without the shared folder.
    ExportPackage,
    /// The open review's reviewer (by position) sends their own scores.
    ExportReviewerPackage(usize),
    /// The regional overview as a PDF.
    SaveSummary,
    /// The regional overview as an Excel workbook.
    SaveSummaryExcel,
}

/// A dialog to show: its purpose, title, the folder it starts in and a suggested file name.
#[derive(Debug, Clone, PartialEq)]
pub struct FileRequest {
    pub purpose: FilePurpose,
    pub title: String,
    pub start: PathBuf,
    pub file_name: String,
}

/// The answer: the chosen paths, or `None` when the dialog was cancelled.
pub type FileAnswer = Option<Vec<PathBuf>>;

/// Shows a dialog and waits for the answer; the app calls it on the job runner's dialog
/// lane, so the window goes on drawing meanwhile.
pub type FilePicker = std::sync::Arc<dyn Fn(FileRequest) -> FileAnswer + Send + Sync>;

/// The system's dialogs: Windows' and macOS' own, on Linux the desktop portal or zenity.
pub fn system_picker() -> FilePicker {
    std::sync::Arc::new(|request| pollster::block_on(show(&request)))
}

async fn show(request: &FileRequest) -> FileAnswer {
    let dialog = rfd::AsyncFileDialog::new().set_title(&request.title).set_directory(existing_dir(&request.start));
    let one = |h: Option<rfd::FileHandle>| h.map(|h| vec![h.path().to_path_buf()]);
    match request.purpose {
        FilePurpose::OpenWorkspace => one(dialog.pick_folder().await),
        FilePurpose::Import => dialog
            .add_filter("CSV, Excel, JSON", &["csv", "xlsx", "xlsm", "xls", "ods", "json"])
            .pick_files()
            .await
            .map(|files| files.iter().map(|h| h.path().to_path_buf()).collect()),
        FilePurpose::ExportExcel | FilePurpose::SaveSummaryExcel => {
            one(dialog.add_filter("Excel", &["xlsx"]).set_file_name(&request.file_name).save_file().await)
        }
        FilePurpose::ExportCsv => {
            one(dialog.add_filter("CSV", &["csv"]).set_file_name(&request.file_name).save_file().await)
        }
        FilePurpose::SaveReport => one(dialog
            .add_filter("PDF", &["pdf"])
            .add_filter("Word", &["docx"])
            .set_file_name(&request.file_name)
            .save_file()
            .await),
        FilePurpose::SaveSummary => {
            one(dialog.add_filter("PDF", &["pdf"]).set_file_name(&request.file_name).save_file().await)
        }
        FilePurpose::ExportPackage | FilePurpose::ExportReviewerPackage(_) => {
            one(dialog.add_filter("JSON", &["json"]).set_file_name(&request.file_name).save_file().await)
        }
    }
}

/// The nearest existing folder at or above `dir` (a dialog cannot start in a missing one).
fn existing_dir(dir: &Path) -> PathBuf {
    dir.ancestors().find(|d| d.is_dir()).map_or_else(|| PathBuf::from("."), Path::to_path_buf)
}

/// Recent workspaces, newest first: `root` moved to the front, no duplicates, at most
/// `MAX_RECENT`.
pub fn remember(recent: &mut Vec<PathBuf>, root: &Path) {
    const MAX_RECENT: usize = 8;
    recent.retain(|p| p != root);
    recent.insert(0, root.to_path_buf());
    recent.truncate(MAX_RECENT);
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn recent_list_keeps_order_without_duplicates() {
        let mut recent = Vec::new();
        for p in ["a", "b", "c", "a"] {
            remember(&mut recent, Path::new(p));
        }
        assert_eq!(recent, [PathBuf::from("a"), PathBuf::from("c"), PathBuf::from("b")]);
        for k in 0..20 {
            remember(&mut recent, &PathBuf::from(format!("w{k}")));
        }
        assert_eq!(recent.len(), 8);
        assert_eq!(recent[0], PathBuf::from("w19"));
    }

    #[test]
    fn dialogs_start_in_a_folder_that_exists() {
        let dir = tempfile::tempdir().unwrap_or_else(|e| panic!("{e}"));
        assert_eq!(existing_dir(&dir.path().join("not/yet")), dir.path());
    }
}
