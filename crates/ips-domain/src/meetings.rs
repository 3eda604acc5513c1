//! The styringsgruppe's meetings (date, who attended, decisions), as stored in the
//! service's `meetings.json`. What the group looks at when it meets is in
//! the `meeting_pack` module.

use chrono::NaiveDate;
use serde::{Deserialize, Serialize};

use crate::scale::{DataFileError, Problem};

/// One styringsgruppe meeting.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Meeting {
    pub date: NaiveDate,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub attendees: Vec<String>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub decisions: Vec<String>,
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub notes: String,
}

/// The `meetings.json` file of a service.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, Default)]
pub struct MeetingsFile {
    #[serde(default = "one")]
    pub format_version: u32,
    #[serde(default)]
    pub meetings: Vec<Meeting>,
}

fn one() -> u32 {
    1
}

impl MeetingsFile {
    /// Parses the file; meetings come out oldest first.
    pub fn from_json(file: &str, json: &str) -> Result<MeetingsFile, DataFileError> {
        let mut f: MeetingsFile = crate::scale::parse_json(file, json)?;
        if f.format_version != 1 {
            let m = ips_text::msg!("core.format_version", found = f.format_version, supported = 1);
            return Err(DataFileError::single(file, "format_version", m));
        }
        let problems: Vec<Problem> = f
            .meetings
            .iter()
            .enumerate()
            .filter(|(i, m)| f.meetings[..*i].iter().any(|o| o.date == m.date))
            .map(|(i, m)| Problem::new(format!("meetings[{i}]"), ips_text::msg!("core.meetings.twice", date = m.date)))
            .collect();
        if !problems.is_empty() {
            return Err(DataFileError { file: file.to_string(), problems });
        }
        f.meetings.sort_by_key(|m| m.date);
        Ok(f)
    }

    pub fn to_json(&self) -> String {
        serde_json::to_string_pretty(self).unwrap_or_else(|_| "{}".to_string()) + "\n"
    }
}
