//! Reading CSV files as people save them (the reviews' CSV and the outcome figures' CSV):
//! the cell separator judged from the header, and each record's line in the file.

/// A reader for a CSV file as people save it: `;` (Norwegian Excel) or `,` between cells,
/// judged from the header line. `text` has no byte-order mark.
pub(crate) fn reader_of(text: &str) -> csv::Reader<&[u8]> {
    let first_line = text.lines().next().unwrap_or("");
    let delimiter = if first_line.contains(';') && !first_line.contains(',') { b';' } else { b',' };
    csv::ReaderBuilder::new().delimiter(delimiter).flexible(false).from_reader(text.as_bytes())
}

/// The file's line where each record starts (1-based), counted from its byte offset:
/// quoted cells may span lines, and the reader's own line count goes wrong with CRLF.
/// Records come in order, so the newlines are counted once over the file, not again from
/// its start for every row (60,000 rows would otherwise scan the file 60,000 times).
pub(crate) struct LineCounter<'a> {
    bytes: &'a [u8],
    at: usize,
    line: u64,
}

impl<'a> LineCounter<'a> {
    pub(crate) fn new(text: &'a str) -> Self {
        LineCounter { bytes: text.as_bytes(), at: 0, line: 1 }
    }

    /// The line of the record at `position` (row `row_no` counted from 0 after the header,
    /// when the reader gives no position).
    pub(crate) fn line_of(&mut self, position: Option<&csv::Position>, row_no: usize) -> u64 {
        let Some(p) = position else {
            return row_no as u64 + 2;
        };
        let bytes = self.bytes;
        let mut start = usize::try_from(p.byte()).unwrap_or(usize::MAX).min(bytes.len());
        // After a CRLF record the reader stands on the LF it has not consumed yet.
        while start < bytes.len() && (bytes[start] == b'\n' || bytes[start] == b'\r') {
            start += 1;
        }
        if start < self.at {
            // Not in order after all: count from the start.
            self.at = 0;
            self.line = 1;
        }
        self.line += bytes[self.at..start].iter().filter(|&&b| b == b'\n').count() as u64;
        self.at = start;
        self.line
    }
}

/// A column named twice in the header (compared without case and surrounding spaces):
/// which of the two cells counts would be a guess, so such a file is refused.
pub(crate) fn duplicate_column(file: &str, headers: &[String]) -> Option<ips_domain::scale::DataFileError> {
    let mut seen = std::collections::HashSet::new();
    let twice = headers.iter().filter(|h| !h.trim().is_empty()).find(|h| !seen.insert(h.trim().to_lowercase()))?;
    let m = ips_text::msg!("core.csv.duplicate_column", column = twice.trim());
    Some(ips_domain::scale::DataFileError::single(file, "", m))
}
