//! What views ask the app to do ([`Command`], applied once per frame after drawing), and the
//! messages shown in the status area ([`Message`]).

use std::path::PathBuf;

use chrono::NaiveDate;

use ips_domain::evaluation::{Evaluation, EvaluationType, ReviewStatus, ServiceInfo};
use ips_domain::meetings::Meeting;
use ips_domain::outcomes::{Quarter, QuarterFigures};
use ips_text::text::Lang;

use super::strings::{self, Strings};
use super::*;

/// What views ask the app to do. Applied once per frame, after drawing.
#[derive(Debug, Clone)]
#[must_use]
pub enum Command {
    Navigate(Route),
    OpenExample,
    CreateService(ServiceInfo),
    /// Score new reviews on a scale version a package brought (the user's consent).
    AdoptScale {
        id: String,
        version: String,
    },
    /// New details for the service in a folder.
    UpdateService(String, ServiceInfo),
    DeleteService(String),
    NewEvaluation {
        /// The service's folder.
        service: String,
        date: NaiveDate,
        kind: EvaluationType,
    },
    /// Open the review in (service folder, file name).
    OpenEvaluation(String, String),
    SetLang(Lang),
    SetDark(bool),
    Reload,
    Notify(Message),
    /// Make the PDF report of the open evaluation.
    MakeReport,
    /// Open a file or folder with the system's program.
    OpenPath(PathBuf),
    /// List the open evaluation's earlier versions.
    ShowVersions,
    /// Make an earlier version of the open evaluation the current one.
    RestoreVersion(PathBuf),
    /// Re-score the open evaluation on the newest version of its scale (recorded in the file).
    RescoreOnNewerScale,
    /// Show the system's file dialog for this purpose.
    PickFile(FilePurpose),
    /// Open the workspace in this folder.
    OpenWorkspace(PathBuf),
    /// Import these CSV or review files (chosen in a dialog or dropped on the window).
    ImportFiles(Vec<PathBuf>),
    /// Import the previewed files (the workbooks as read for the preview), with the service
    /// and date typed for scoring sheets that lack them.
    ImportPreviewed(ips_store::xlsx_in::SheetDefaults),
    /// The import's preview was cancelled: nothing is written.
    CloseImportPreview,
    /// Export every review, the summary and the outcome figures to this Excel workbook.
    ExportExcel(PathBuf),
    /// Export every review to this CSV file (for Norwegian Excel, and for importing again).
    ExportCsv(PathBuf),
    /// Make the open evaluation's report into this file.
    SaveReportAs(PathBuf),
    /// Show or hide the keyboard shortcuts (F1).
    ToggleShortcuts,
    /// Settle the first reviewer conflict: take the incoming scores, or keep those here.
    SettleReviewerConflict {
        take_incoming: bool,
    },
    /// Write the service's package (in its folder) to this file.
    ExportPackage(String, PathBuf),
    /// Write the regional overview (its selected region) to this file: a PDF, or an Excel
    /// workbook when its name ends in .xlsx.
    SaveSummary(PathBuf),
    /// Write one reviewer's own scores for the review in (service folder, file) to a file.
    ExportReviewerPackage {
        service: String,
        file: String,
        reviewer: usize,
        path: PathBuf,
    },
    /// Move the open review to another status (a reason is needed to leave `final`).
    SetStatus {
        to: ReviewStatus,
        reason: String,
    },
    /// Save one quarter's outcome figures of the service (in its folder), replacing the
    /// quarter `replaces` when editing one.
    SaveQuarter {
        service: String,
        figures: QuarterFigures,
        replaces: Option<Quarter>,
    },
    DeleteQuarter {
        service: String,
        period: Quarter,
    },
    /// Record a styringsgruppe meeting, replacing the one on `replaces` when editing one.
    SaveMeeting {
        service: String,
        meeting: Meeting,
        replaces: Option<NaiveDate>,
    },
    DeleteMeeting {
        service: String,
        date: NaiveDate,
    },
    /// Make the meeting pack PDF for the service's meeting on a date.
    MakeMeetingPack {
        service: String,
        date: NaiveDate,
    },
    /// Make the reviewers' preparation pack PDF for the default scale.
    MakePrepPack,
    /// Save `result` over the review a sync conflict copy (in the service's folder) was
    /// made of, and move the copy aside.
    ResolveConflictCopy {
        service: String,
        copy: String,
        result: Box<Evaluation>,
    },
}

impl Command {
    /// The service folder the command works on, whose reviews must be read first.
    pub(super) fn service_folder(&self) -> Option<&str> {
        match self {
            Command::Navigate(Route::Service(f, _) | Route::Evaluation(f, _))
            | Command::OpenEvaluation(f, _)
            | Command::UpdateService(f, _)
            | Command::ExportPackage(f, _)
            | Command::NewEvaluation { service: f, .. }
            | Command::ExportReviewerPackage { service: f, .. }
            | Command::MakeMeetingPack { service: f, .. }
            | Command::SaveQuarter { service: f, .. }
            | Command::DeleteQuarter { service: f, .. }
            | Command::SaveMeeting { service: f, .. }
            | Command::DeleteMeeting { service: f, .. }
            | Command::ResolveConflictCopy { service: f, .. } => Some(f),
            _ => None,
        }
    }

    /// Whether the command changes the workspace's files (refused when it is read-only).
    /// Exports and reports go where the user chooses.
    pub(super) fn writes_workspace(&self) -> bool {
        matches!(
            self,
            Command::CreateService(_)
                | Command::AdoptScale { .. }
                | Command::UpdateService(..)
                | Command::DeleteService(_)
                | Command::NewEvaluation { .. }
                | Command::RestoreVersion(_)
                | Command::RescoreOnNewerScale
                | Command::ImportFiles(_)
                | Command::ImportPreviewed(..)
                | Command::SettleReviewerConflict { .. }
                | Command::SetStatus { .. }
                | Command::SaveQuarter { .. }
                | Command::DeleteQuarter { .. }
                | Command::SaveMeeting { .. }
                | Command::DeleteMeeting { .. }
                | Command::ResolveConflictCopy { .. }
        )
    }
}

/// A message shown in the status area until dismissed. It is put into words in every
/// language when it is made (from the texts and the facts it names), so switching the
/// language re-words the messages already shown too.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Message {
    pub error: bool,
    /// The message in each language, in [`Lang::ALL`]'s order.
    words: Vec<String>,
}

impl Message {
    /// A problem, worded by `say` for each language.
    pub fn error(say: impl Fn(&Strings, Lang) -> String) -> Self {
        Self::worded(true, say)
    }

    /// News, worded by `say` for each language.
    pub fn info(say: impl Fn(&Strings, Lang) -> String) -> Self {
        Self::worded(false, say)
    }

    fn worded(error: bool, say: impl Fn(&Strings, Lang) -> String) -> Self {
        Message { error, words: Lang::ALL.iter().map(|&lang| say(strings::get(lang), lang)).collect() }
    }

    /// The message in `lang`.
    pub fn text(&self, lang: Lang) -> &str {
        let i = Lang::ALL.iter().position(|&l| l == lang).unwrap_or(0);
        self.words.get(i).map_or("", String::as_str)
    }

    /// Whether the message says `part` in any language.
    pub fn mentions(&self, part: &str) -> bool {
        self.words.iter().any(|w| w.contains(part))
    }
}
