//! Fidelity scales as data. A scale file (`scales/*.json`, format in `docs/formats.md`) is
//! parsed once into raw serde types, then checked and turned into the validated [`Scale`]
//! that the rest of the program trusts. Every problem is reported with the file and the JSON
//! path, all at once, so a resource centre can fix a scale file in one round.
//!
//! Nothing here knows that the IPS scale has 25 items or a maximum of 125: item count,
//! sections, kinds, thresholds and bands all come from the file.

use std::collections::{BTreeMap, HashMap, HashSet};
use std::fmt;

use serde::Deserialize;

use ips_text::i18n::Msg;
use ips_text::text::{Lang, Text};

/// The scale file format this build reads.
pub const SCALE_FORMAT_VERSION: u32 = 1;

/// One problem found in a data file: where (a JSON path or line) and what.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Problem {
    pub location: String,
    /// Turned into words where it is shown, in the user's language.
    pub message: Msg,
}

impl Problem {
    pub fn new(location: impl Into<String>, message: impl Into<Msg>) -> Self {
        Problem { location: location.into(), message: message.into() }
    }
}

/// Every problem found in one data file. Displays as one line per problem:
/// `scales/x.json: items[3].levels: expected 5 levels, found 4`.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub struct DataFileError {
    pub file: String,
    pub problems: Vec<Problem>,
}

impl DataFileError {
    pub fn single(file: impl Into<String>, location: impl Into<String>, message: impl Into<Msg>) -> Self {
        DataFileError { file: file.into(), problems: vec![Problem::new(location, message)] }
    }

    /// One line per problem, each naming the file (in English; see [`DataFileError::lines_in`]).
    pub fn lines(&self) -> Vec<String> {
        self.lines_in(Lang::En)
    }

    /// One line per problem, each naming the file, in `lang`.
    pub fn lines_in(&self, lang: Lang) -> Vec<String> {
        self.problems
            .iter()
            .map(|p| {
                if p.location.is_empty() {
                    format!("{}: {}", self.file, p.message.text(lang))
                } else {
                    format!("{}: {}: {}", self.file, p.location, p.message.text(lang))
                }
            })
            .collect()
    }
}

impl fmt::Display for DataFileError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}", self.lines().join("\n"))
    }
}

/// Parses JSON into `T`, reporting the JSON path of a type error and the line of a syntax
/// error. Shared by the scale and evaluation loaders.
pub fn parse_json<T: serde::de::DeserializeOwned>(file: &str, json: &str) -> Result<T, DataFileError> {
    // Most files are fine: read them straight, and only a file that fails is read again
    // with its path tracked for the message (the tracking costs a tenth of a load).
    if let Ok(v) = serde_json::from_str(json) {
        return Ok(v);
    }
    let mut de = serde_json::Deserializer::from_str(json);
    let parsed: Result<T, _> = serde_path_to_error::deserialize(&mut de);
    match parsed {
        Ok(v) => match de.end() {
            Ok(()) => Ok(v),
            Err(e) => Err(DataFileError::single(file, "", json_error_text(&e))),
        },
        Err(e) => {
            let path = e.path().to_string();
            let inner = e.into_inner();
            let location = if path == "." || path == "?" || path.is_empty() { String::new() } else { path };
            Err(DataFileError::single(file, location, json_error_text(&inner)))
        }
    }
}

fn json_error_text(e: &serde_json::Error) -> Msg {
    use serde_json::error::Category;
    match e.classify() {
        Category::Eof => ips_text::msg!("core.json.truncated", line = e.line(), column = e.column()),
        // The parser's own words name what it expected and where.
        Category::Syntax => ips_text::msg!("core.json.syntax", error = e),
        Category::Data | Category::Io => Msg::literal(e.to_string()),
    }
}

// ---------------------------------------------------------------------------------------
// Raw file types: exactly what the JSON says, before any check.

type RawText = BTreeMap<String, String>;

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawScale {
    format_version: u32,
    id: String,
    version: String,
    #[serde(default)]
    languages: Vec<String>,
    name: RawText,
    #[serde(default)]
    description: Option<RawText>,
    score_min: i64,
    score_max: i64,
    /// Items scored at or below this are weak: areas to improve in the report, and drafted
    /// into the handlingsplan. Default: two below the top score.
    #[serde(default)]
    weak_item_max: Option<i64>,
    #[serde(default)]
    sources: Vec<RawSource>,
    sections: Vec<RawSection>,
    bands: Vec<RawBand>,
    cadence: RawCadence,
    /// Benchmarks for the outcome figures (måltall).
    #[serde(default)]
    outcome_benchmarks: Option<RawBenchmarks>,
    items: Vec<RawItem>,
    /// Where points of the anchors, the cadence and the benchmarks come from.
    #[serde(default)]
    provenance: Vec<RawProvenance>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawProvenance {
    about: Vec<String>,
    source: String,
    status: ProvenanceStatus,
    note: String,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawSource {
    id: String,
    name: RawText,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawSection {
    id: String,
    name: RawText,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawBand {
    id: String,
    min: i64,
    max: i64,
    label: RawText,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawCadence {
    first_review_months: RawMonthRange,
    target_band: String,
    review_interval_months: RawBeforeAfter,
    steering_group_meetings_per_year: RawBeforeAfter,
    #[serde(default)]
    steering_group_agenda: Vec<RawText>,
    /// Weeks from the visit until the final report is due.
    #[serde(default)]
    report_due_weeks: Option<i64>,
    /// Weeks from the visit until the service's handlingsplan is due.
    #[serde(default)]
    plan_due_weeks: Option<i64>,
    /// Where the deadlines come from and that they are defaults, said where they are shown.
    #[serde(default)]
    deadlines_note: Option<RawText>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawBenchmarks {
    #[serde(default)]
    employment_rate_percent: Option<f64>,
    #[serde(default)]
    job_seekers_per_fte_max: Option<f64>,
    /// Whom the employment rate is counted over, shown under the figures.
    #[serde(default)]
    employment_rate_definition: Option<RawText>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawMonthRange {
    earliest: i64,
    latest: i64,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawBeforeAfter {
    before_target: i64,
    after_target: i64,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawItem {
    id: String,
    section: String,
    name: RawText,
    #[serde(default)]
    purpose: Option<RawText>,
    #[serde(default)]
    sources: Vec<String>,
    levels: Vec<RawText>,
    kind: RawKind,
}

// The raw form lives only while a file is parsed, one item at a time: boxing the measured
// variant would buy nothing.
#[allow(clippy::large_enum_variant)]
#[derive(Deserialize)]
#[serde(tag = "type", rename_all = "snake_case", deny_unknown_fields)]
enum RawKind {
    Described,
    Checklist {
        elements: Vec<RawElement>,
        score_by_count: Vec<i64>,
    },
    Measured {
        inputs: Vec<RawInput>,
        value: RawValue,
        value_label: RawText,
        #[serde(default)]
        value_unit: Option<RawText>,
        direction: Direction,
        cuts: Vec<RawCut>,
        otherwise: i64,
        #[serde(default)]
        caps: Vec<RawCap>,
        #[serde(default)]
        described_levels: Vec<i64>,
        #[serde(default)]
        per_row: Option<RawPerRow>,
        #[serde(default)]
        routes: Vec<RawRoute>,
    },
}

/// Another way to a score: while `input` is above 0 and below `below`, a value of at
/// least `times` × `input` gives `score` (T6: 2 employer contacts per job seeker a week
/// when fewer than 3 are looking for work).
#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawRoute {
    score: i64,
    input: String,
    below: f64,
    times: f64,
    note: RawText,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawPerRow {
    label: RawText,
    rounding: Rounding,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawElement {
    id: String,
    text: RawText,
    #[serde(default)]
    proposed_from: Option<ElementProposal>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawInput {
    id: String,
    #[serde(rename = "type")]
    input_type: RawInputType,
    label: RawText,
    #[serde(default)]
    unit: Option<RawText>,
    #[serde(default)]
    min: Option<f64>,
    #[serde(default)]
    max: Option<f64>,
}

#[derive(Deserialize, Clone, Copy, PartialEq, Eq)]
#[serde(rename_all = "snake_case")]
enum RawInputType {
    Number,
    Flag,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawValue {
    op: RawOp,
    of: Vec<String>,
}

#[derive(Deserialize, Clone, Copy)]
#[serde(rename_all = "snake_case")]
enum RawOp {
    Input,
    Ratio,
    Percent,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawCut {
    score: i64,
    bound: f64,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawCap {
    input: String,
    max_score: i64,
    #[serde(default)]
    below: Option<f64>,
    /// Flags that count as `input`: the cap looks at whether any of them is ticked (a
    /// weekly-reviewed log is also a monthly-reviewed one).
    #[serde(default)]
    or: Vec<String>,
    /// The cap applies when a flag is ticked (default: when none is).
    #[serde(default)]
    when_ticked: bool,
}

// ---------------------------------------------------------------------------------------
// Validated types.

/// A validated fidelity scale.
#[derive(Debug, Clone, PartialEq)]
pub struct Scale {
    pub id: String,
    pub version: String,
    pub name: Text,
    pub description: Option<Text>,
    pub score_min: u8,
    pub score_max: u8,
    /// Items scored at or below this are weak (areas to improve, drafted into the plan).
    pub weak_item_max: u8,
    pub sources: Vec<Source>,
    pub sections: Vec<Section>,
    /// Ordered from best to worst; together they cover every possible total once.
    pub bands: Vec<Band>,
    pub cadence: Cadence,
    pub outcome_benchmarks: OutcomeBenchmarks,
    pub items: Vec<Item>,
    /// Where points of the scale come from, for the resource centres who keep the file.
    pub provenance: Vec<Provenance>,
    index: HashMap<String, usize>,
}

/// A data source code (ADM, DOK, INT, OBS).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Source {
    pub id: String,
    pub name: Text,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Section {
    pub id: String,
    pub name: Text,
}

/// A quality band on the total.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Band {
    pub id: String,
    pub min: u32,
    pub max: u32,
    pub label: Text,
}

/// Where a point of the scale file comes from: the items (ids) or parts (`cadence`,
/// `bands`, `outcome_benchmarks`) it is about, the published source, and whether the point
/// was read in that source or could not be confirmed there.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Provenance {
    pub about: Vec<String>,
    pub source: String,
    pub status: ProvenanceStatus,
    pub note: String,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum ProvenanceStatus {
    /// Read in the published text named as the source.
    Published,
    /// From practice or a secondary description; the source named could not be read in
    /// full, so the point is kept and marked.
    NotConfirmed,
}

/// How often reviews and steering group meetings should happen.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Cadence {
    pub first_review_earliest_months: u32,
    pub first_review_latest_months: u32,
    /// Index into `Scale::bands` of the band that counts as the target.
    pub target_band: usize,
    pub review_interval_before_target: u32,
    pub review_interval_after_target: u32,
    pub meetings_before_target: u32,
    pub meetings_after_target: u32,
    pub agenda: Vec<Text>,
    /// Weeks from the visit until the final report is due (no deadline when absent).
    pub report_due_weeks: Option<u32>,
    /// Weeks from the visit until the handlingsplan is due.
    pub plan_due_weeks: Option<u32>,
    /// Where the deadlines come from (e.g. UK practice) and that a resource centre may
    /// change them in the scale file.
    pub deadlines_note: Option<Text>,
}

impl Cadence {
    /// How many times a year the styringsgruppe should meet: the one definition for the
    /// meetings view, the meeting pack, the report and the proposal for the checklist
    /// element that asks for it.
    pub fn meetings_per_year(&self, target_reached: bool) -> u32 {
        let n = if target_reached { self.meetings_after_target } else { self.meetings_before_target };
        n.max(1)
    }
}

/// Benchmarks the outcome figures are held against (data, from the scale file).
#[derive(Debug, Clone, PartialEq, Default)]
pub struct OutcomeBenchmarks {
    /// The share of job seekers in ordinary paid work, from 0 to 1 (the file writes it in
    /// percent, `employment_rate_percent: 40`, read here as 0.4).
    pub employment_rate: Option<f64>,
    /// The most job seekers per specialist årsverk (e.g. 20).
    pub job_seekers_per_fte_max: Option<f64>,
    /// Whom the benchmark rate is counted over (IPS Grow: people out of work at entry).
    pub employment_rate_definition: Option<Text>,
}

#[derive(Debug, Clone, PartialEq)]
pub struct Item {
    pub id: String,
    /// Index into `Scale::sections`.
    pub section: usize,
    pub name: Text,
    pub purpose: Option<Text>,
    pub sources: Vec<String>,
    /// `levels[0]` describes `score_min`.
    pub levels: Vec<Text>,
    pub kind: ItemKind,
}

#[derive(Debug, Clone, PartialEq)]
pub enum ItemKind {
    /// The reviewer picks one of the described levels.
    Described,
    Checklist(Checklist),
    Measured(Box<Measured>),
}

impl ItemKind {
    pub fn label(&self, lang: Lang) -> &'static str {
        let key = match self {
            ItemKind::Described => "core.kind.described",
            ItemKind::Checklist(_) => "core.kind.checklist",
            ItemKind::Measured(_) => "core.kind.measured",
        };
        ips_text::i18n::text(lang, key)
    }
}

/// A checklist item: the score follows from how many elements are present.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Checklist {
    pub elements: Vec<Element>,
    /// `score_by_count[n]` is the score when `n` elements are present.
    pub score_by_count: Vec<u8>,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Element {
    pub id: String,
    pub text: Text,
    /// Recorded facts the editor proposes this element from, if any.
    pub proposed_from: Option<ElementProposal>,
}

/// Facts outside the item from which the editor can propose whether an element is met.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum ElementProposal {
    /// The styringsgruppe's meetings in the 12 months before the review, against the
    /// cadence rule (`meetings_before_review` in the schedule module).
    SteeringGroupMeetings,
}

impl Checklist {
    /// The score implied by `present` elements (clamped to the number of elements).
    pub fn score_for_count(&self, present: usize) -> u8 {
        let i = present.min(self.score_by_count.len().saturating_sub(1));
        self.score_by_count.get(i).copied().unwrap_or(0)
    }

    /// The score implied by the ticked element ids (unknown ids are ignored).
    pub fn score_for_checked<'a>(&self, checked: impl IntoIterator<Item = &'a String>) -> u8 {
        let ticked: HashSet<&str> = checked.into_iter().map(String::as_str).collect();
        let present = self.elements.iter().filter(|e| ticked.contains(e.id.as_str())).count();
        self.score_for_count(present)
    }

    /// How many more elements it takes to reach a score above `current`, if any can.
    pub fn elements_to_next(&self, present: usize, current: u8) -> Option<usize> {
        (present + 1..self.score_by_count.len()).find(|&n| self.score_by_count[n] > current).map(|n| n - present)
    }
}

/// Whether smaller or larger measured values are better.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Direction {
    LowerIsBetter,
    HigherIsBetter,
}

/// How the measured value is computed from the inputs.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ValueExpr {
    Input(String),
    Ratio(String, String),
    Percent(String, String),
}

#[derive(Debug, Clone, PartialEq)]
pub enum InputKind {
    Number { unit: Option<Text>, min: Option<f64>, max: Option<f64> },
    Flag,
}

#[derive(Debug, Clone, PartialEq)]
pub struct Input {
    pub id: String,
    pub label: Text,
    pub kind: InputKind,
}

#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Cut {
    pub score: u8,
    pub bound: f64,
}

/// Caps the proposed score at `max_score`. A cap on a number applies while the number is
/// missing or below `below`. A cap on a flag looks at the flag and the flags in `or`
/// together: it applies while none of them is ticked, or, with `when_ticked`, as soon as
/// one is (see [`Cap::applies`]).
#[derive(Debug, Clone, PartialEq)]
pub struct Cap {
    pub input: String,
    pub max_score: u8,
    pub below: Option<f64>,
    pub or: Vec<String>,
    pub when_ticked: bool,
}

impl Cap {
    /// Whether the cap limits the score for these inputs. The one definition of a cap's
    /// condition, for single inputs and for each row alike.
    pub fn applies(&self, inputs: &BTreeMap<String, InputValue>) -> bool {
        match self.below {
            // A missing number caps too: what the cap asks for is not shown to be there.
            Some(limit) => Measured::number(inputs, &self.input).is_none_or(|n| n < limit),
            None => {
                // `or` names flags that mean the same for this cap (weekly review is also
                // monthly review), so any one of them ticked counts as the flag ticked.
                let ticked = std::iter::once(&self.input).chain(&self.or).any(|id| Measured::flag(inputs, id));
                ticked == self.when_ticked
            }
        }
    }
}

/// How the mean of per-row scores becomes one score.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Rounding {
    /// The closest scale point; exactly half-way goes up (3.5 → 4).
    Nearest,
}

/// The inputs are entered once per row (e.g. per employment specialist); each row is scored
/// with the item's cuts and caps, and the proposal is the rows' mean score, rounded.
#[derive(Debug, Clone, PartialEq)]
pub struct PerRow {
    pub label: Text,
    pub rounding: Rounding,
}

pub use ips_text::text::{VALUE_DECIMALS, shown_value};

/// A measured item: the score follows from a number through thresholds.
#[derive(Debug, Clone, PartialEq)]
pub struct Measured {
    pub inputs: Vec<Input>,
    pub value: ValueExpr,
    pub value_label: Text,
    pub value_unit: Option<Text>,
    pub direction: Direction,
    /// From the best score down.
    pub cuts: Vec<Cut>,
    pub otherwise: u8,
    pub caps: Vec<Cap>,
    pub described_levels: Vec<u8>,
    /// Entered per row (e.g. per employment specialist) and averaged.
    pub per_row: Option<PerRow>,
    /// Other ways to a score than the cuts.
    pub routes: Vec<Route>,
}

/// Another way to a score than the cuts: while the number `input` is above 0 and below
/// `below`, a value of at least `times` × that number gives `score` (before caps). The
/// published T6 anchor: a specialist with fewer than 3 people looking for work reaches
/// the top level with 2 employer contacts per person a week.
#[derive(Debug, Clone, PartialEq)]
pub struct Route {
    pub score: u8,
    pub input: String,
    pub below: f64,
    pub times: f64,
    /// The rule in words, shown when the route gives the proposal.
    pub note: Text,
}

impl Route {
    /// Whether the route gives its score for this value and these inputs.
    pub fn reached(&self, value: f64, inputs: &BTreeMap<String, InputValue>) -> bool {
        Measured::number(inputs, &self.input).is_some_and(|n| n > 0.0 && n < self.below && value >= self.times * n)
    }
}

/// A value a reviewer entered for a measured item's input.
#[derive(Debug, Clone, Copy, PartialEq, serde::Serialize, Deserialize)]
#[serde(untagged)]
pub enum InputValue {
    Flag(bool),
    Number(f64),
}

/// What a measured item's inputs imply.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct MeasuredProposal {
    pub value: f64,
    pub score: u8,
    /// The route ([`Measured::routes`]) that raised the score, if one did.
    pub route: Option<usize>,
}

impl Measured {
    fn number(inputs: &BTreeMap<String, InputValue>, id: &str) -> Option<f64> {
        match inputs.get(id) {
            Some(InputValue::Number(n)) if n.is_finite() => Some(*n),
            _ => None,
        }
    }

    fn flag(inputs: &BTreeMap<String, InputValue>, id: &str) -> bool {
        matches!(inputs.get(id), Some(InputValue::Flag(true)))
    }

    /// The measured value as shown and compared with the cuts (rounded to
    /// [`VALUE_DECIMALS`]), or `None` while an input is missing or a divisor is zero.
    pub fn value_of(&self, inputs: &BTreeMap<String, InputValue>) -> Option<f64> {
        self.raw_value_of(inputs).map(shown_value)
    }

    fn raw_value_of(&self, inputs: &BTreeMap<String, InputValue>) -> Option<f64> {
        let v = match &self.value {
            ValueExpr::Input(a) => Self::number(inputs, a)?,
            ValueExpr::Ratio(a, b) | ValueExpr::Percent(a, b) => {
                let (a, b) = (Self::number(inputs, a)?, Self::number(inputs, b)?);
                if b <= 0.0 {
                    return None;
                }
                let ratio = a / b;
                if matches!(self.value, ValueExpr::Percent(..)) { ratio * 100.0 } else { ratio }
            }
        };
        v.is_finite().then_some(v)
    }

    /// The score for a value, before caps.
    pub fn score_for_value(&self, value: f64) -> u8 {
        self.cuts
            .iter()
            .find(|c| match self.direction {
                Direction::LowerIsBetter => value <= c.bound,
                Direction::HigherIsBetter => value >= c.bound,
            })
            .map_or(self.otherwise, |c| c.score)
    }

    /// The proposed score for the entered inputs, caps applied.
    pub fn propose(&self, inputs: &BTreeMap<String, InputValue>) -> Option<MeasuredProposal> {
        let value = self.value_of(inputs)?;
        let mut score = self.score_for_value(value);
        let mut route = None;
        for (i, r) in self.routes.iter().enumerate() {
            if r.score > score && r.reached(value, inputs) {
                (score, route) = (r.score, Some(i));
            }
        }
        for cap in self.caps.iter().filter(|c| c.applies(inputs)) {
            score = score.min(cap.max_score);
        }
        Some(MeasuredProposal { value, score, route })
    }

    /// The proposal from what was recorded for the item: its rows when the item is entered
    /// per row and rows are given (the mean of the rows' values, and the rows' mean score
    /// rounded as the scale says), else its single set of inputs. A row without its figures
    /// yet (a specialist just added) is left out of the mean; `None` while no row has them.
    pub fn propose_rows(
        &self,
        inputs: &BTreeMap<String, InputValue>,
        rows: &[BTreeMap<String, InputValue>],
    ) -> Option<MeasuredProposal> {
        let Some(per_row) = self.per_row.as_ref().filter(|_| !rows.is_empty()) else {
            return self.propose(inputs);
        };
        let proposals: Vec<MeasuredProposal> = rows.iter().filter_map(|r| self.propose(r)).collect();
        if proposals.is_empty() {
            return None;
        }
        let n = proposals.len() as f64;
        let value = shown_value(proposals.iter().map(|p| p.value).sum::<f64>() / n);
        let mean_score = proposals.iter().map(|p| f64::from(p.score)).sum::<f64>() / n;
        let score = match per_row.rounding {
            // f64::round goes half away from zero: 3.5 → 4.
            Rounding::Nearest => mean_score.round(),
        };
        // A route is named when every row that counted went by it.
        let route = proposals.first().and_then(|p| p.route).filter(|r| proposals.iter().all(|p| p.route == Some(*r)));
        Some(MeasuredProposal { value, score: score.clamp(0.0, 255.0) as u8, route })
    }

    /// The bound the value must reach for a score above `current`, if thresholds give one.
    pub fn bound_for_next(&self, current: u8) -> Option<f64> {
        self.next_cut(current).map(|c| c.bound)
    }

    /// The lowest cut above `current`: the score it gives and the bound to reach.
    pub fn next_cut(&self, current: u8) -> Option<Cut> {
        self.cuts.iter().filter(|c| c.score > current).min_by_key(|c| c.score).copied()
    }

    pub fn input(&self, id: &str) -> Option<&Input> {
        self.inputs.iter().find(|i| i.id == id)
    }
}

impl Scale {
    /// Parses and validates a scale. `file` names the source in every message.
    pub fn from_json(file: &str, json: &str) -> Result<Scale, DataFileError> {
        let raw: RawScale = parse_json(file, json)?;
        let mut v = Validator { problems: Vec::new() };
        let scale = v.scale(raw);
        match scale {
            Some(s) if v.problems.is_empty() => Ok(s),
            _ => Err(DataFileError { file: file.to_string(), problems: v.problems }),
        }
    }

    pub fn item(&self, id: &str) -> Option<&Item> {
        self.index.get(id).map(|&i| &self.items[i])
    }

    pub fn min_total(&self) -> u32 {
        self.items.len() as u32 * u32::from(self.score_min)
    }

    pub fn max_total(&self) -> u32 {
        self.items.len() as u32 * u32::from(self.score_max)
    }

    /// Whether an item score counts as weak: an area to improve, drafted into the plan.
    pub fn is_weak(&self, score: u8) -> bool {
        score <= self.weak_item_max
    }

    /// The band a complete total falls in.
    pub fn band_for(&self, total: u32) -> Option<&Band> {
        self.bands.iter().find(|b| b.min <= total && total <= b.max)
    }

    pub fn band_index(&self, id: &str) -> Option<usize> {
        self.bands.iter().position(|b| b.id == id)
    }

    /// Scores from `score_min` to `score_max`.
    pub fn score_range(&self) -> std::ops::RangeInclusive<u8> {
        self.score_min..=self.score_max
    }

    pub fn section_items(&self, section: usize) -> impl Iterator<Item = &Item> {
        self.items.iter().filter(move |i| i.section == section)
    }

    pub fn source(&self, id: &str) -> Option<&Source> {
        self.sources.iter().find(|s| s.id == id)
    }

    /// The minimum total of the target band ("bra kvalitet").
    pub fn target_total(&self) -> u32 {
        self.bands.get(self.cadence.target_band).map_or(self.max_total(), |b| b.min)
    }
}

struct Validator {
    problems: Vec<Problem>,
}

impl Validator {
    fn err(&mut self, at: impl Into<String>, msg: impl Into<Msg>) {
        self.problems.push(Problem::new(at, msg));
    }

    fn text(&mut self, at: &str, raw: &RawText) -> Text {
        let mut get = |code: &str| match raw.get(code) {
            Some(s) if !s.trim().is_empty() => s.clone(),
            Some(_) => {
                self.problems.push(Problem::new(format!("{at}.{code}"), ips_text::msg!("core.scale.empty_text")));
                String::new()
            }
            None => {
                self.problems.push(Problem::new(at, ips_text::msg!("core.scale.missing_translation", code = code)));
                String::new()
            }
        };
        let (nb, en) = (get("nb"), get("en"));
        // Nynorsk is optional: where a scale has none, its texts are shown in bokmål.
        let nn = raw.get("nn").filter(|s| !s.trim().is_empty()).cloned();
        Text { nb, nn, en }
    }

    fn id(&mut self, at: &str, id: &str) {
        let ok =
            !id.is_empty() && id.len() <= 64 && id.chars().all(|c| c.is_ascii_alphanumeric() || c == '_' || c == '-');
        if !ok {
            self.err(at, ips_text::msg!("core.scale.bad_id", id = id));
        }
    }

    fn score(&mut self, at: &str, value: i64, min: u8, max: u8) -> u8 {
        if value < i64::from(min) || value > i64::from(max) {
            self.err(at, ips_text::msg!("core.score_out_of_range", score = value, min = min, max = max));
            min
        } else {
            value as u8
        }
    }

    fn scale(&mut self, raw: RawScale) -> Option<Scale> {
        if raw.format_version != SCALE_FORMAT_VERSION {
            self.err(
                "format_version",
                ips_text::msg!("core.scale.scale_format", found = raw.format_version, supported = SCALE_FORMAT_VERSION),
            );
            return None;
        }
        self.id("id", &raw.id);
        if raw.version.trim().is_empty() {
            self.err("version", ips_text::msg!("core.scale.empty_version"));
        }
        for code in ["nb", "en"] {
            if !raw.languages.is_empty() && !raw.languages.iter().any(|l| l == code) {
                self.err("languages", ips_text::msg!("core.scale.language_required", code = code));
            }
        }
        let name = self.text("name", &raw.name);
        let description = raw.description.as_ref().map(|d| self.text("description", d));
        let (score_min, score_max) = match (u8::try_from(raw.score_min), u8::try_from(raw.score_max)) {
            (Ok(lo), Ok(hi)) if lo < hi && hi <= 10 => (lo, hi),
            _ => {
                self.err(
                    "score_min",
                    ips_text::msg!("core.scale.bad_score_range", min = raw.score_min, max = raw.score_max),
                );
                return None;
            }
        };
        let n_levels = usize::from(score_max - score_min) + 1;
        let weak_item_max = match raw.weak_item_max {
            None => score_max.saturating_sub(2).max(score_min),
            Some(w) => self.score("weak_item_max", w, score_min, score_max),
        };

        let mut sources = Vec::new();
        let mut seen = HashSet::new();
        for (i, s) in raw.sources.iter().enumerate() {
            let at = format!("sources[{i}]");
            self.id(&format!("{at}.id"), &s.id);
            if !seen.insert(s.id.clone()) {
                self.err(format!("{at}.id"), ips_text::msg!("core.scale.duplicate_source", id = s.id));
            }
            let name = self.text(&format!("{at}.name"), &s.name);
            sources.push(Source { id: s.id.clone(), name });
        }

        let mut sections = Vec::new();
        let mut seen = HashSet::new();
        if raw.sections.is_empty() {
            self.err("sections", ips_text::msg!("core.scale.no_sections"));
        }
        for (i, s) in raw.sections.iter().enumerate() {
            let at = format!("sections[{i}]");
            self.id(&format!("{at}.id"), &s.id);
            if !seen.insert(s.id.clone()) {
                self.err(format!("{at}.id"), ips_text::msg!("core.scale.duplicate_section", id = s.id));
            }
            let name = self.text(&format!("{at}.name"), &s.name);
            sections.push(Section { id: s.id.clone(), name });
        }

        if raw.items.is_empty() {
            self.err("items", ips_text::msg!("core.scale.no_items"));
        }
        if raw.items.len() > 1000 {
            self.err("items", ips_text::msg!("core.scale.too_many_items", n = raw.items.len()));
            return None;
        }
        let mut items = Vec::new();
        let mut index = HashMap::new();
        for (i, it) in raw.items.iter().enumerate() {
            let at = format!("items[{i}]");
            self.id(&format!("{at}.id"), &it.id);
            if index.insert(it.id.clone(), i).is_some() {
                self.err(format!("{at}.id"), ips_text::msg!("core.scale.duplicate_item", id = it.id));
            }
            let section = match raw.sections.iter().position(|s| s.id == it.section) {
                Some(s) => s,
                None => {
                    self.err(format!("{at}.section"), ips_text::msg!("core.scale.unknown_section", id = it.section));
                    0
                }
            };
            let name = self.text(&format!("{at}.name"), &it.name);
            let purpose = it.purpose.as_ref().map(|p| self.text(&format!("{at}.purpose"), p));
            for (j, src) in it.sources.iter().enumerate() {
                if !raw.sources.iter().any(|s| &s.id == src) {
                    self.err(format!("{at}.sources[{j}]"), ips_text::msg!("core.scale.unknown_source", id = src));
                }
            }
            if it.levels.len() != n_levels {
                self.err(
                    format!("{at}.levels"),
                    ips_text::msg!("core.scale.level_count", expected = n_levels, found = it.levels.len()),
                );
            }
            let levels =
                it.levels.iter().enumerate().map(|(j, l)| self.text(&format!("{at}.levels[{j}]"), l)).collect();
            let kind = self.kind(&format!("{at}.kind"), &it.kind, score_min, score_max);
            items.push(Item { id: it.id.clone(), section, name, purpose, sources: it.sources.clone(), levels, kind });
        }
        for (s, section) in sections.iter().enumerate() {
            if !items.iter().any(|i| i.section == s) {
                self.err(format!("sections[{s}]"), ips_text::msg!("core.scale.empty_section", id = section.id));
            }
        }

        let min_total = items.len() as u32 * u32::from(score_min);
        let max_total = items.len() as u32 * u32::from(score_max);
        let bands = self.bands(&raw.bands, min_total, max_total);
        let cadence = self.cadence(&raw.cadence, &bands);
        let outcome_benchmarks = match &raw.outcome_benchmarks {
            None => OutcomeBenchmarks::default(),
            Some(b) => {
                let mut positive = |at: &str, v: Option<f64>, max: f64| -> Option<f64> {
                    let v = v?;
                    if v.is_finite() && v > 0.0 && v <= max {
                        Some(v)
                    } else {
                        self.problems.push(Problem::new(at, ips_text::msg!("core.scale.bad_benchmark", value = v)));
                        None
                    }
                };
                OutcomeBenchmarks {
                    employment_rate: positive(
                        "outcome_benchmarks.employment_rate_percent",
                        b.employment_rate_percent,
                        100.0,
                    )
                    .map(|percent| percent / 100.0),
                    job_seekers_per_fte_max: positive(
                        "outcome_benchmarks.job_seekers_per_fte_max",
                        b.job_seekers_per_fte_max,
                        1000.0,
                    ),
                    employment_rate_definition: b
                        .employment_rate_definition
                        .as_ref()
                        .map(|t| self.text("outcome_benchmarks.employment_rate_definition", t)),
                }
            }
        };

        let parts = ["cadence", "bands", "outcome_benchmarks"];
        for (i, p) in raw.provenance.iter().enumerate() {
            if p.about.is_empty() {
                self.err(format!("provenance[{i}].about"), ips_text::msg!("core.scale.provenance_unknown", id = ""));
            }
            for (j, a) in p.about.iter().enumerate() {
                if !items.iter().any(|it| &it.id == a) && !parts.contains(&a.as_str()) {
                    self.err(
                        format!("provenance[{i}].about[{j}]"),
                        ips_text::msg!("core.scale.provenance_unknown", id = a),
                    );
                }
            }
        }
        let provenance = raw
            .provenance
            .into_iter()
            .map(|p| Provenance { about: p.about, source: p.source, status: p.status, note: p.note })
            .collect();
        Some(Scale {
            provenance,
            id: raw.id,
            version: raw.version,
            name,
            description,
            score_min,
            score_max,
            weak_item_max,
            sources,
            sections,
            bands,
            cadence,
            outcome_benchmarks,
            items,
            index,
        })
    }

    fn bands(&mut self, raw: &[RawBand], min_total: u32, max_total: u32) -> Vec<Band> {
        let mut bands = Vec::new();
        let mut seen = HashSet::new();
        if raw.is_empty() {
            self.err("bands", ips_text::msg!("core.scale.no_bands"));
            return bands;
        }
        for (i, b) in raw.iter().enumerate() {
            let at = format!("bands[{i}]");
            self.id(&format!("{at}.id"), &b.id);
            if !seen.insert(b.id.clone()) {
                self.err(format!("{at}.id"), ips_text::msg!("core.scale.duplicate_band", id = b.id));
            }
            let label = self.text(&format!("{at}.label"), &b.label);
            if b.min > b.max {
                self.err(at.clone(), ips_text::msg!("core.scale.min_above_max", min = b.min, max = b.max));
            }
            let (Ok(min), Ok(max)) = (u32::try_from(b.min), u32::try_from(b.max)) else {
                self.err(at, ips_text::msg!("core.scale.negative_band"));
                continue;
            };
            bands.push(Band { id: b.id.clone(), min, max, label });
        }
        if bands.len() != raw.len() {
            return bands;
        }
        // Bands are listed best first: each must start right after the next one ends.
        if let Some(first) = bands.first()
            && first.max != max_total
        {
            self.err("bands[0].max", ips_text::msg!("core.scale.best_band_end", end = first.max, max = max_total));
        }
        if let Some(last) = bands.last()
            && last.min != min_total
        {
            self.err(
                format!("bands[{}].min", bands.len() - 1),
                ips_text::msg!("core.scale.lowest_band_start", start = last.min, min = min_total),
            );
        }
        for i in 1..bands.len() {
            let (upper, lower) = (&bands[i - 1], &bands[i]);
            if lower.max >= upper.min {
                self.err(
                    format!("bands[{i}]"),
                    ips_text::msg!(
                        "core.scale.band_overlap",
                        band = lower.id,
                        min = lower.min,
                        max = lower.max,
                        other = upper.id,
                        other_min = upper.min,
                        other_max = upper.max
                    ),
                );
            } else if lower.max + 1 != upper.min {
                self.err(
                    format!("bands[{i}]"),
                    ips_text::msg!("core.scale.band_gap", from = lower.max + 1, to = upper.min - 1),
                );
            }
        }
        bands
    }

    fn cadence(&mut self, raw: &RawCadence, bands: &[Band]) -> Cadence {
        let mut months = |at: &str, v: i64| -> u32 {
            match u32::try_from(v) {
                Ok(m) if (1..=120).contains(&m) => m,
                _ => {
                    self.problems.push(Problem::new(at, ips_text::msg!("core.scale.bad_months", value = v)));
                    1
                }
            }
        };
        let earliest = months("cadence.first_review_months.earliest", raw.first_review_months.earliest);
        let latest = months("cadence.first_review_months.latest", raw.first_review_months.latest);
        let before = months("cadence.review_interval_months.before_target", raw.review_interval_months.before_target);
        let after = months("cadence.review_interval_months.after_target", raw.review_interval_months.after_target);
        if earliest > latest {
            self.err(
                "cadence.first_review_months",
                ips_text::msg!("core.scale.earliest_after_latest", earliest = earliest, latest = latest),
            );
        }
        let mut meetings = |at: &str, v: i64| -> u32 {
            match u32::try_from(v) {
                Ok(m) if (1..=52).contains(&m) => m,
                _ => {
                    self.problems.push(Problem::new(at, ips_text::msg!("core.scale.bad_meetings", value = v)));
                    1
                }
            }
        };
        let meetings_before = meetings(
            "cadence.steering_group_meetings_per_year.before_target",
            raw.steering_group_meetings_per_year.before_target,
        );
        let meetings_after = meetings(
            "cadence.steering_group_meetings_per_year.after_target",
            raw.steering_group_meetings_per_year.after_target,
        );
        let target_band = match bands.iter().position(|b| b.id == raw.target_band) {
            Some(i) => i,
            None => {
                self.err("cadence.target_band", ips_text::msg!("core.scale.unknown_band", id = raw.target_band));
                0
            }
        };
        let agenda = raw
            .steering_group_agenda
            .iter()
            .enumerate()
            .map(|(i, t)| self.text(&format!("cadence.steering_group_agenda[{i}]"), t))
            .collect();
        let mut weeks = |at: &str, v: Option<i64>| -> Option<u32> {
            let v = v?;
            match u32::try_from(v) {
                Ok(w) if (1..=104).contains(&w) => Some(w),
                _ => {
                    self.problems.push(Problem::new(at, ips_text::msg!("core.scale.bad_weeks", value = v)));
                    None
                }
            }
        };
        let report_due_weeks = weeks("cadence.report_due_weeks", raw.report_due_weeks);
        let plan_due_weeks = weeks("cadence.plan_due_weeks", raw.plan_due_weeks);
        let deadlines_note = raw.deadlines_note.as_ref().map(|t| self.text("cadence.deadlines_note", t));
        Cadence {
            report_due_weeks,
            plan_due_weeks,
            deadlines_note,
            first_review_earliest_months: earliest,
            first_review_latest_months: latest,
            target_band,
            review_interval_before_target: before,
            review_interval_after_target: after,
            meetings_before_target: meetings_before,
            meetings_after_target: meetings_after,
            agenda,
        }
    }

    fn kind(&mut self, at: &str, raw: &RawKind, lo: u8, hi: u8) -> ItemKind {
        match raw {
            RawKind::Described => ItemKind::Described,
            RawKind::Checklist { elements, score_by_count } => {
                let mut seen = HashSet::new();
                let elements: Vec<Element> = elements
                    .iter()
                    .enumerate()
                    .map(|(i, e)| {
                        let eat = format!("{at}.elements[{i}]");
                        self.id(&format!("{eat}.id"), &e.id);
                        if !seen.insert(e.id.clone()) {
                            self.err(format!("{eat}.id"), ips_text::msg!("core.scale.duplicate_element", id = e.id));
                        }
                        Element {
                            id: e.id.clone(),
                            text: self.text(&format!("{eat}.text"), &e.text),
                            proposed_from: e.proposed_from,
                        }
                    })
                    .collect();
                if elements.is_empty() {
                    self.err(format!("{at}.elements"), ips_text::msg!("core.scale.no_elements"));
                }
                if score_by_count.len() != elements.len() + 1 {
                    self.err(
                        format!("{at}.score_by_count"),
                        ips_text::msg!(
                            "core.scale.score_by_count_len",
                            expected = elements.len() + 1,
                            elements = elements.len(),
                            found = score_by_count.len()
                        ),
                    );
                }
                let scores: Vec<u8> = score_by_count
                    .iter()
                    .enumerate()
                    .map(|(i, &s)| self.score(&format!("{at}.score_by_count[{i}]"), s, lo, hi))
                    .collect();
                if scores.windows(2).any(|w| w[1] < w[0]) {
                    self.err(format!("{at}.score_by_count"), ips_text::msg!("core.scale.decreasing_scores"));
                }
                ItemKind::Checklist(Checklist { elements, score_by_count: scores })
            }
            RawKind::Measured {
                inputs,
                value,
                value_label,
                value_unit,
                direction,
                cuts,
                otherwise,
                caps,
                described_levels,
                per_row,
                routes,
            } => {
                let mut seen = HashSet::new();
                let inputs: Vec<Input> = inputs
                    .iter()
                    .enumerate()
                    .map(|(i, inp)| {
                        let iat = format!("{at}.inputs[{i}]");
                        self.id(&format!("{iat}.id"), &inp.id);
                        if !seen.insert(inp.id.clone()) {
                            self.err(format!("{iat}.id"), ips_text::msg!("core.scale.duplicate_input", id = inp.id));
                        }
                        let label = self.text(&format!("{iat}.label"), &inp.label);
                        let kind = match inp.input_type {
                            RawInputType::Flag => InputKind::Flag,
                            RawInputType::Number => {
                                if let (Some(a), Some(b)) = (inp.min, inp.max)
                                    && a > b
                                {
                                    self.err(iat.clone(), ips_text::msg!("core.scale.min_above_max", min = a, max = b));
                                }
                                InputKind::Number {
                                    unit: inp.unit.as_ref().map(|u| self.text(&format!("{iat}.unit"), u)),
                                    min: inp.min,
                                    max: inp.max,
                                }
                            }
                        };
                        Input { id: inp.id.clone(), label, kind }
                    })
                    .collect();
                let number_input =
                    |id: &str| inputs.iter().any(|i| i.id == id && matches!(i.kind, InputKind::Number { .. }));
                let arity = match value.op {
                    RawOp::Input => 1,
                    RawOp::Ratio | RawOp::Percent => 2,
                };
                if value.of.len() != arity {
                    self.err(
                        format!("{at}.value.of"),
                        ips_text::msg!("core.scale.value_arity", expected = arity, found = value.of.len()),
                    );
                }
                for (i, id) in value.of.iter().enumerate() {
                    if !number_input(id) {
                        self.err(format!("{at}.value.of[{i}]"), ips_text::msg!("core.scale.not_number_input", id = id));
                    }
                }
                let arg = |i: usize| value.of.get(i).cloned().unwrap_or_default();
                let expr = match value.op {
                    RawOp::Input => ValueExpr::Input(arg(0)),
                    RawOp::Ratio => ValueExpr::Ratio(arg(0), arg(1)),
                    RawOp::Percent => ValueExpr::Percent(arg(0), arg(1)),
                };
                let value_label = self.text(&format!("{at}.value_label"), value_label);
                let value_unit = value_unit.as_ref().map(|u| self.text(&format!("{at}.value_unit"), u));
                if cuts.is_empty() {
                    self.err(format!("{at}.cuts"), ips_text::msg!("core.scale.no_cuts"));
                }
                let cuts: Vec<Cut> = cuts
                    .iter()
                    .enumerate()
                    .map(|(i, c)| {
                        let cat = format!("{at}.cuts[{i}]");
                        if !c.bound.is_finite() {
                            self.err(format!("{cat}.bound"), ips_text::msg!("core.scale.bound_not_number"));
                        }
                        Cut { score: self.score(&format!("{cat}.score"), c.score, lo, hi), bound: c.bound }
                    })
                    .collect();
                for i in 1..cuts.len() {
                    let (a, b) = (cuts[i - 1], cuts[i]);
                    if b.score >= a.score {
                        self.err(
                            format!("{at}.cuts[{i}].score"),
                            ips_text::msg!("core.scale.cuts_order", score = b.score, before = a.score),
                        );
                    }
                    let monotonic = match direction {
                        Direction::LowerIsBetter => b.bound > a.bound,
                        Direction::HigherIsBetter => b.bound < a.bound,
                    };
                    if !monotonic {
                        // A whole sentence for each direction, so each language words it.
                        let m = match direction {
                            Direction::LowerIsBetter => {
                                ips_text::msg!("core.scale.cuts_must_increase", bound = b.bound, before = a.bound)
                            }
                            Direction::HigherIsBetter => {
                                ips_text::msg!("core.scale.cuts_must_decrease", bound = b.bound, before = a.bound)
                            }
                        };
                        self.err(format!("{at}.cuts[{i}].bound"), m);
                    }
                }
                let otherwise = self.score(&format!("{at}.otherwise"), *otherwise, lo, hi);
                if let Some(last) = cuts.last()
                    && otherwise >= last.score
                {
                    self.err(
                        format!("{at}.otherwise"),
                        ips_text::msg!("core.scale.otherwise_too_high", otherwise = otherwise, last = last.score),
                    );
                }
                let caps = caps
                    .iter()
                    .enumerate()
                    .map(|(i, c)| {
                        let cat = format!("{at}.caps[{i}]");
                        match inputs.iter().find(|inp| inp.id == c.input) {
                            None => self
                                .err(format!("{cat}.input"), ips_text::msg!("core.scale.unknown_input", id = c.input)),
                            Some(inp) => match (&inp.kind, c.below) {
                                (InputKind::Number { .. }, None) => {
                                    self.err(cat.clone(), ips_text::msg!("core.scale.cap_needs_below"))
                                }
                                (InputKind::Number { .. }, Some(_)) if !c.or.is_empty() || c.when_ticked => {
                                    self.err(cat.clone(), ips_text::msg!("core.scale.or_on_number"))
                                }
                                (InputKind::Flag, Some(_)) => {
                                    self.err(cat.clone(), ips_text::msg!("core.scale.cap_flag_below"))
                                }
                                _ => {}
                            },
                        }
                        for (j, other) in c.or.iter().enumerate() {
                            if !inputs.iter().any(|inp| &inp.id == other && matches!(inp.kind, InputKind::Flag)) {
                                self.err(
                                    format!("{cat}.or[{j}]"),
                                    ips_text::msg!("core.scale.not_flag_input", id = other),
                                );
                            }
                        }
                        Cap {
                            input: c.input.clone(),
                            max_score: self.score(&format!("{cat}.max_score"), c.max_score, lo, hi),
                            below: c.below,
                            or: c.or.clone(),
                            when_ticked: c.when_ticked,
                        }
                    })
                    .collect();
                let described_levels = described_levels
                    .iter()
                    .enumerate()
                    .map(|(i, &l)| self.score(&format!("{at}.described_levels[{i}]"), l, lo, hi))
                    .collect();
                let routes = routes
                    .iter()
                    .enumerate()
                    .map(|(i, r)| {
                        let rat = format!("{at}.routes[{i}]");
                        if !number_input(&r.input) {
                            self.err(
                                format!("{rat}.input"),
                                ips_text::msg!("core.scale.not_number_input", id = r.input),
                            );
                        }
                        for (field, v) in [("below", r.below), ("times", r.times)] {
                            if !(v.is_finite() && v > 0.0) {
                                self.err(format!("{rat}.{field}"), ips_text::msg!("core.scale.bound_not_number"));
                            }
                        }
                        Route {
                            score: self.score(&format!("{rat}.score"), r.score, lo, hi),
                            input: r.input.clone(),
                            below: r.below,
                            times: r.times,
                            note: self.text(&format!("{rat}.note"), &r.note),
                        }
                    })
                    .collect();
                ItemKind::Measured(Box::new(Measured {
                    routes,
                    inputs,
                    value: expr,
                    value_label,
                    value_unit,
                    direction: *direction,
                    cuts,
                    otherwise,
                    caps,
                    described_levels,
                    per_row: per_row.as_ref().map(|p| PerRow {
                        label: self.text(&format!("{at}.per_row.label"), &p.label),
                        rounding: p.rounding,
                    }),
                }))
            }
        }
    }
}

#[cfg(test)]
pub(crate) mod tests {
    use super::*;

    /// A small valid scale (3 items, scores 1-5, totals 3-15) for unit tests.
    pub(crate) fn tiny_scale_json() -> serde_json::Value {
        let t = |s: &str| serde_json::json!({"nb": s, "en": s});
        let levels: Vec<_> = (1..=5).map(|l| t(&format!("level {l}"))).collect();
        serde_json::json!({
            "format_version": 1, "id": "tiny", "version": "1", "languages": ["nb", "en"],
            "name": t("Tiny"), "score_min": 1, "score_max": 5,
            "sources": [{"id": "ADM", "name": t("adm")}],
            "sections": [{"id": "A", "name": t("A")}, {"id": "B", "name": t("B")}],
            "bands": [
                {"id": "good", "min": 12, "max": 15, "label": t("Good")},
                {"id": "fair", "min": 8, "max": 11, "label": t("Fair")},
                {"id": "poor", "min": 3, "max": 7, "label": t("Poor")}
            ],
            "cadence": {
                "first_review_months": {"earliest": 6, "latest": 9},
                "target_band": "good",
                "review_interval_months": {"before_target": 6, "after_target": 12},
                "steering_group_meetings_per_year": {"before_target": 4, "after_target": 2},
                "steering_group_agenda": [t("Status")]
            },
            "items": [
                {"id": "X1", "section": "A", "name": t("X1"), "sources": ["ADM"], "levels": levels, "kind": {"type": "described"}},
                {"id": "X2", "section": "A", "name": t("X2"), "levels": levels, "kind": {
                    "type": "checklist",
                    "elements": [{"id": "a", "text": t("a")}, {"id": "b", "text": t("b")}, {"id": "c", "text": t("c")}, {"id": "d", "text": t("d")}],
                    "score_by_count": [1, 2, 3, 4, 5]}},
                {"id": "Y1", "section": "B", "name": t("Y1"), "levels": levels, "kind": {
                    "type": "measured",
                    "inputs": [
                        {"id": "n", "type": "number", "label": t("n"), "min": 0},
                        {"id": "fte", "type": "number", "label": t("fte"), "min": 0}
                    ],
                    "value": {"op": "ratio", "of": ["n", "fte"]},
                    "value_label": t("per fte"),
                    "direction": "lower_is_better",
                    "cuts": [{"score": 5, "bound": 20}, {"score": 4, "bound": 25}, {"score": 3, "bound": 30}, {"score": 2, "bound": 40}],
                    "otherwise": 1}}
            ]
        })
    }

    pub(crate) fn tiny_scale() -> Scale {
        match Scale::from_json("tiny.json", &tiny_scale_json().to_string()) {
            Ok(s) => s,
            Err(e) => panic!("tiny scale invalid: {e}"),
        }
    }

    fn problems_of(v: serde_json::Value) -> Vec<String> {
        match Scale::from_json("x.json", &v.to_string()) {
            Ok(_) => vec![],
            Err(e) => e.lines(),
        }
    }

    #[test]
    fn tiny_scale_loads() {
        let s = tiny_scale();
        assert_eq!(s.items.len(), 3);
        assert_eq!((s.min_total(), s.max_total()), (3, 15));
        assert_eq!(s.band_for(12).map(|b| b.id.as_str()), Some("good"));
        assert_eq!(s.band_for(11).map(|b| b.id.as_str()), Some("fair"));
        assert_eq!(s.target_total(), 12);
    }

    #[test]
    fn wrong_level_count_names_path() {
        let mut v = tiny_scale_json();
        v["items"][1]["levels"].as_array_mut().map(|a| a.pop());
        let p = problems_of(v);
        assert!(p.contains(&"x.json: items[1].levels: expected 5 levels, found 4".to_string()), "{p:?}");
    }

    #[test]
    fn duplicate_ids_and_missing_translation() {
        let mut v = tiny_scale_json();
        v["items"][1]["id"] = "X1".into();
        v["items"][0]["name"] = serde_json::json!({"nb": "Bare norsk"});
        let p = problems_of(v).join("\n");
        assert!(p.contains("items[1].id: duplicate item id 'X1'"), "{p}");
        assert!(p.contains("items[0].name: missing translation 'en'"), "{p}");
    }

    #[test]
    fn band_overlap_and_gap() {
        let mut v = tiny_scale_json();
        v["bands"][1]["max"] = 12.into();
        let p = problems_of(v).join("\n");
        assert!(p.contains("bands[1]: band 'fair' (8–12) overlaps band 'good'"), "{p}");

        let mut v = tiny_scale_json();
        v["bands"][1]["max"] = 10.into();
        let p = problems_of(v).join("\n");
        assert!(p.contains("bands[1]: totals 11–11 are not covered by any band"), "{p}");

        let mut v = tiny_scale_json();
        v["bands"][0]["max"] = 14.into();
        let p = problems_of(v).join("\n");
        assert!(p.contains("highest possible total is 15"), "{p}");
    }

    #[test]
    fn mapping_out_of_range_and_non_monotonic() {
        let mut v = tiny_scale_json();
        v["items"][1]["kind"]["score_by_count"] = serde_json::json!([1, 2, 7, 4, 5]);
        let p = problems_of(v).join("\n");
        assert!(p.contains("items[1].kind.score_by_count[2]: score 7 is outside the scale's range 1–5"), "{p}");

        let mut v = tiny_scale_json();
        v["items"][1]["kind"]["score_by_count"] = serde_json::json!([1, 3, 2, 4, 5]);
        let p = problems_of(v).join("\n");
        assert!(p.contains("must not decrease"), "{p}");

        let mut v = tiny_scale_json();
        v["items"][2]["kind"]["cuts"][2]["bound"] = 22.into();
        let p = problems_of(v).join("\n");
        assert!(p.contains("items[2].kind.cuts[2].bound: the thresholds must "), "{p}");
    }

    #[test]
    fn unknown_references() {
        let mut v = tiny_scale_json();
        v["items"][0]["section"] = "Z".into();
        v["items"][0]["sources"] = serde_json::json!(["XYZ"]);
        v["cadence"]["target_band"] = "great".into();
        v["items"][2]["kind"]["value"]["of"] = serde_json::json!(["n", "nope"]);
        let p = problems_of(v).join("\n");
        assert!(p.contains("items[0].section: unknown section 'Z'"), "{p}");
        assert!(p.contains("items[0].sources[0]: unknown data source 'XYZ'"), "{p}");
        assert!(p.contains("cadence.target_band: unknown band 'great'"), "{p}");
        assert!(p.contains("items[2].kind.value.of[1]: 'nope' is not a number input"), "{p}");
    }

    #[test]
    fn type_errors_carry_json_path() {
        let mut v = tiny_scale_json();
        v["items"][2]["kind"]["cuts"][0]["score"] = "five".into();
        let p = problems_of(v).join("\n");
        // Inside the tagged `kind` the path stops at the kind; the message names the value.
        assert!(p.starts_with("x.json: items[2].kind: invalid type: string \"five\""), "{p}");
    }

    #[test]
    fn syntax_errors_and_truncation() {
        let e = Scale::from_json("x.json", "{\"id\": ").err().map(|e| e.to_string());
        assert!(e.as_deref().is_some_and(|e| e.contains("truncated")), "{e:?}");
        let e = Scale::from_json("x.json", "\u{0}\u{1}binary").err().map(|e| e.to_string());
        assert!(e.as_deref().is_some_and(|e| e.contains("not valid JSON")), "{e:?}");
    }

    #[test]
    fn future_format_version_is_refused() {
        let mut v = tiny_scale_json();
        v["format_version"] = 2.into();
        let p = problems_of(v).join("\n");
        assert!(p.contains("format version 2 is not supported"), "{p}");
    }

    #[test]
    fn checklist_mapping() {
        let s = tiny_scale();
        let ItemKind::Checklist(c) = &s.items[1].kind else { panic!("X2 should be a checklist") };
        assert_eq!((0..=4).map(|n| c.score_for_count(n)).collect::<Vec<_>>(), [1, 2, 3, 4, 5]);
        assert_eq!(c.score_for_count(9), 5);
        let ticked = vec!["a".to_string(), "zzz".to_string(), "c".to_string()];
        assert_eq!(c.score_for_checked(&ticked), 3);
        assert_eq!(c.elements_to_next(2, 3), Some(1));
        assert_eq!(c.elements_to_next(4, 5), None);
    }

    #[test]
    fn cap_forms_are_checked() {
        let mut v = tiny_scale_json();
        if let Some(a) = v["items"][2]["kind"]["inputs"].as_array_mut() {
            a.push(serde_json::json!({"id": "weekly", "type": "flag", "label": {"nb": "w", "en": "w"}}));
            a.push(serde_json::json!({"id": "monthly", "type": "flag", "label": {"nb": "m", "en": "m"}}));
        }
        v["items"][2]["kind"]["caps"] = serde_json::json!([
            {"input": "monthly", "or": ["weekly", "nope", "n"], "max_score": 2},
            {"input": "n", "below": 3, "when_ticked": true, "max_score": 1}
        ]);
        let p = problems_of(v).join("\n");
        assert!(p.contains("items[2].kind.caps[0].or[1]: 'nope' is not a flag input"), "{p}");
        assert!(p.contains("items[2].kind.caps[0].or[2]: 'n' is not a flag input"), "{p}");
        assert!(p.contains("items[2].kind.caps[1]: 'or' and 'when_ticked' belong to caps on flag inputs"), "{p}");
    }

    #[test]
    fn per_row_loads() {
        let mut v = tiny_scale_json();
        v["items"][2]["kind"]["per_row"] =
            serde_json::json!({"label": {"nb": "Rad", "en": "Row"}, "rounding": "nearest"});
        let s = Scale::from_json("x.json", &v.to_string()).unwrap_or_else(|e| panic!("{e}"));
        let ItemKind::Measured(m) = &s.items[2].kind else { panic!("measured") };
        assert_eq!(m.per_row.as_ref().map(|p| p.rounding), Some(Rounding::Nearest));
        v["items"][2]["kind"]["per_row"]["rounding"] = "down".into();
        assert!(!problems_of(v).is_empty(), "an unknown rounding is refused");
    }

    /// Y1 of the tiny scale (`n / fte`, lower is better, 5 at 20 or less) with the flags
    /// `monthly` and `weekly`, the given caps and, if asked, entry per row.
    fn y1_with(caps: serde_json::Value, per_row: bool) -> Measured {
        let mut v = tiny_scale_json();
        if let Some(a) = v["items"][2]["kind"]["inputs"].as_array_mut() {
            a.push(serde_json::json!({"id": "weekly", "type": "flag", "label": {"nb": "w", "en": "w"}}));
            a.push(serde_json::json!({"id": "monthly", "type": "flag", "label": {"nb": "m", "en": "m"}}));
        }
        v["items"][2]["kind"]["caps"] = caps;
        if per_row {
            v["items"][2]["kind"]["per_row"] =
                serde_json::json!({"label": {"nb": "Rad", "en": "Row"}, "rounding": "nearest"});
        }
        let s = Scale::from_json("x.json", &v.to_string()).unwrap_or_else(|e| panic!("{e}"));
        let ItemKind::Measured(m) = &s.items[2].kind else { panic!("Y1 should be measured") };
        (**m).clone()
    }

    /// Inputs for Y1: `n` job seekers on one FTE, and the ticked flags.
    fn y1_inputs(n: f64, ticked: &[&str]) -> BTreeMap<String, InputValue> {
        let mut m =
            BTreeMap::from([("n".to_string(), InputValue::Number(n)), ("fte".to_string(), InputValue::Number(1.0))]);
        m.extend(ticked.iter().map(|t| (t.to_string(), InputValue::Flag(true))));
        m
    }

    fn score_of(m: &Measured, inputs: &BTreeMap<String, InputValue>) -> Option<u8> {
        m.propose(inputs).map(|p| p.score)
    }

    /// T6's form: a weekly-reviewed log is also a monthly-reviewed one, so ticking only
    /// "weekly" lifts the "monthly" cap too.
    #[test]
    fn or_flags_lift_a_cap_together() {
        let m = y1_with(
            serde_json::json!([
                {"input": "monthly", "or": ["weekly"], "max_score": 2},
                {"input": "weekly", "max_score": 3}
            ]),
            false,
        );
        assert_eq!(score_of(&m, &y1_inputs(10.0, &[])), Some(2), "no tracking");
        assert_eq!(score_of(&m, &y1_inputs(10.0, &["monthly"])), Some(3), "monthly only");
        assert_eq!(score_of(&m, &y1_inputs(10.0, &["weekly"])), Some(5), "weekly only is monthly too");
        assert_eq!(score_of(&m, &y1_inputs(10.0, &["weekly", "monthly"])), Some(5));
        let mut unticked = y1_inputs(10.0, &[]);
        unticked.insert("weekly".into(), InputValue::Flag(false));
        assert_eq!(score_of(&m, &unticked), Some(2), "an unticked flag lifts nothing");
    }

    /// O1's form: a cap that applies when the flag is ticked; with `or`, when any is.
    #[test]
    fn when_ticked_caps_apply_when_a_flag_is_ticked() {
        let m = y1_with(serde_json::json!([{"input": "weekly", "when_ticked": true, "max_score": 2}]), false);
        assert_eq!(score_of(&m, &y1_inputs(10.0, &[])), Some(5));
        assert_eq!(score_of(&m, &y1_inputs(10.0, &["weekly"])), Some(2));
        assert_eq!(score_of(&m, &y1_inputs(10.0, &["monthly"])), Some(5));
        let m = y1_with(
            serde_json::json!([{"input": "weekly", "or": ["monthly"], "when_ticked": true, "max_score": 2}]),
            false,
        );
        assert_eq!(score_of(&m, &y1_inputs(10.0, &["monthly"])), Some(2), "any flag of the cap counts");
        assert_eq!(score_of(&m, &y1_inputs(10.0, &[])), Some(5));
    }

    #[test]
    fn cap_flags_must_be_known_flag_inputs() {
        let mut v = tiny_scale_json();
        v["items"][2]["kind"]["caps"] = serde_json::json!([{"input": "n", "below": 1, "or": ["zz"], "max_score": 2}]);
        let p = problems_of(v).join("\n");
        assert!(p.contains("items[2].kind.caps[0]: 'or' and 'when_ticked' belong to caps on flag inputs"), "{p}");
        assert!(p.contains("items[2].kind.caps[0].or[0]: 'zz' is not a flag input"), "{p}");
    }

    /// Rated per row (per employment specialist), averaged, the closest score; half-way up.
    #[test]
    fn rows_average_to_the_nearest_score() {
        let m = y1_with(serde_json::json!([]), true);
        let rows =
            |ns: &[f64]| -> Vec<BTreeMap<String, InputValue>> { ns.iter().map(|&n| y1_inputs(n, &[])).collect() };
        let p = |ns: &[f64]| m.propose_rows(&BTreeMap::new(), &rows(ns));
        // 10 → 5 and 22 → 4: 4.5 is half-way, and goes up.
        assert_eq!(p(&[10.0, 22.0]), Some(MeasuredProposal { value: 16.0, score: 5, route: None }));
        // 22 → 4 and 27 → 3: 3.5 → 4.
        assert_eq!(p(&[22.0, 27.0]).map(|x| x.score), Some(4));
        // 10, 22, 27 → 5, 4, 3: 4.0; the value is the mean of the rows' values, as shown.
        assert_eq!(p(&[10.0, 22.0, 27.0]), Some(MeasuredProposal { value: 19.7, score: 4, route: None }));
        // 10, 10, 27 → 5, 5, 3: 4.33 → 4.
        assert_eq!(p(&[10.0, 10.0, 27.0]).map(|x| x.score), Some(4));
        // Rows take precedence over the single set of inputs; without rows it decides.
        assert_eq!(m.propose_rows(&y1_inputs(50.0, &[]), &rows(&[10.0])).map(|x| x.score), Some(5));
        assert_eq!(m.propose_rows(&y1_inputs(50.0, &[]), &[]).map(|x| x.score), Some(1));
        // A row without its figures yet is left out; no row with figures, no proposal.
        let mut with_empty = rows(&[10.0, 22.0]);
        with_empty.push(BTreeMap::new());
        assert_eq!(m.propose_rows(&BTreeMap::new(), &with_empty), p(&[10.0, 22.0]));
        assert_eq!(m.propose_rows(&BTreeMap::new(), &[BTreeMap::new()]), None);
        // An item not entered per row ignores rows (the evaluation check reports them).
        let single = y1_with(serde_json::json!([]), false);
        assert_eq!(single.propose_rows(&y1_inputs(50.0, &[]), &rows(&[10.0])).map(|x| x.score), Some(1));
    }

    /// Each row is capped on its own before the mean.
    #[test]
    fn rows_are_capped_one_by_one() {
        let m = y1_with(serde_json::json!([{"input": "monthly", "or": ["weekly"], "max_score": 2}]), true);
        let rows = [y1_inputs(10.0, &["weekly"]), y1_inputs(10.0, &[])];
        // 5 and 2 (no tracking): 3.5 → 4.
        assert_eq!(m.propose_rows(&BTreeMap::new(), &rows).map(|x| x.score), Some(4));
    }

    /// A value shown as "20" (20.04 rounded to one decimal) is scored as 20, never as 20.04.
    #[test]
    fn values_are_scored_as_shown() {
        let m = y1_with(serde_json::json!([]), false);
        let two_fte = |n: f64| {
            BTreeMap::from([("n".to_string(), InputValue::Number(n)), ("fte".to_string(), InputValue::Number(2.0))])
        };
        // 40.08 / 2 = 20.04: shown as 20, and 20 or fewer per FTE is 5 (lower is better).
        let p = m.propose(&two_fte(40.08)).unwrap_or_else(|| panic!("a proposal"));
        assert_eq!((p.value, p.score), (20.0, 5));
        assert_eq!(ips_text::text::format_number(p.value, Lang::Nb), "20");
        // 40.1 / 2 = 20.05: shown as 20,1, scored as 20.1.
        let p = m.propose(&two_fte(40.1)).unwrap_or_else(|| panic!("a proposal"));
        assert_eq!((ips_text::text::format_number(p.value, Lang::Nb).as_str(), p.score), ("20,1", 4));
        // Whatever the figures, the score is the score of the number shown.
        for k in 0..3000 {
            let n = 38.0 + f64::from(k) * 0.00137;
            let p = m.propose(&two_fte(n)).unwrap_or_else(|| panic!("a proposal"));
            let shown = ips_text::text::format_number(p.value, Lang::En);
            let shown: f64 = shown.parse().unwrap_or_else(|_| panic!("{shown}"));
            assert_eq!(p.score, m.score_for_value(shown), "{n} shown as {shown}");
        }
    }

    fn ips25() -> Scale {
        let (file, json) = crate::service::BUILTIN_SCALES
            .iter()
            .find(|(f, _)| f.ends_with("ips-25.json"))
            .unwrap_or_else(|| panic!("ips-25 is built in"));
        Scale::from_json(file, json).unwrap_or_else(|e| panic!("{e}"))
    }

    fn measured_item(s: &Scale, id: &str) -> Measured {
        match s.item(id).map(|i| &i.kind) {
            Some(ItemKind::Measured(m)) => (**m).clone(),
            _ => panic!("{id} should be measured"),
        }
    }

    fn values(pairs: &[(&str, InputValue)]) -> BTreeMap<String, InputValue> {
        pairs.iter().map(|(k, v)| (k.to_string(), *v)).collect()
    }

    #[test]
    fn shipped_t6_weekly_implies_monthly_and_rows() {
        let m = measured_item(&ips25(), "T6");
        let (n, f) = (InputValue::Number, InputValue::Flag(true));
        let p = |pairs: &[(&str, InputValue)]| score_of(&m, &values(pairs));
        // An older file's single set of inputs: weekly alone no longer caps at 2.
        assert_eq!(p(&[("contacts_per_week", n(6.0)), ("tracked_weekly", f)]), Some(5));
        assert_eq!(p(&[("contacts_per_week", n(6.0)), ("tracked_monthly", f)]), Some(3));
        assert_eq!(p(&[("contacts_per_week", n(6.0))]), Some(2));
        assert_eq!(p(&[("contacts_per_week", n(6.0)), ("tracked_monthly", f), ("tracked_weekly", f)]), Some(5));
        let per_row = m.per_row.as_ref().unwrap_or_else(|| panic!("T6 is entered per specialist"));
        assert_eq!((per_row.label.nb.as_str(), per_row.rounding), ("Jobbspesialist", Rounding::Nearest));
        let rows = [
            values(&[("contacts_per_week", n(6.5)), ("tracked_weekly", f)]),
            values(&[("contacts_per_week", n(5.9)), ("tracked_weekly", f)]),
        ];
        // 6.5 → 5 and 5.9 → 4: 4.5 → 5; the value is the mean, 6.2.
        assert_eq!(
            m.propose_rows(&BTreeMap::new(), &rows),
            Some(MeasuredProposal { value: 6.2, score: 5, route: None })
        );
    }

    /// "30 % or less = 1, 30–39 % = 2" overlap at 30; the level 2 anchor decides, and the
    /// item's text says why, in both languages.
    #[test]
    fn shipped_t13_exactly_thirty_percent_is_two() {
        let s = ips25();
        let m = measured_item(&s, "T13");
        let p = |v: f64| score_of(&m, &values(&[("community_share", InputValue::Number(v))]));
        assert_eq!([p(29.0), p(29.9), p(30.0), p(39.9), p(40.0)], [Some(1), Some(1), Some(2), Some(2), Some(3)]);
        let item = s.item("T13").unwrap_or_else(|| panic!("T13"));
        let purpose = item.purpose.as_ref().unwrap_or_else(|| panic!("T13 has a purpose"));
        assert!(purpose.nb.contains("Nøyaktig 30 % gir skår 2"), "{}", purpose.nb);
        assert!(purpose.en.contains("Exactly 30 % gives 2"), "{}", purpose.en);
        assert!(item.levels[0].nb.starts_with("Under 30 %") && item.levels[1].nb.starts_with("30–39 %"));
    }

    #[test]
    fn shipped_o1_three_or_more_teams_caps_at_two() {
        let m = measured_item(&ips25(), "O1");
        let (n, f) = (InputValue::Number, InputValue::Flag);
        let p = |pairs: &[(&str, InputValue)]| score_of(&m, &values(pairs));
        assert_eq!(p(&[("team_share", n(95.0))]), Some(5));
        assert_eq!(p(&[("team_share", n(95.0)), ("three_or_more_teams", f(true))]), Some(2));
        assert_eq!(p(&[("team_share", n(95.0)), ("three_or_more_teams", f(false))]), Some(5));
        assert_eq!(p(&[("team_share", n(40.0)), ("three_or_more_teams", f(true))]), Some(2));
    }

    #[test]
    fn measured_ratio_and_caps() {
        let s = tiny_scale();
        let ItemKind::Measured(m) = &s.items[2].kind else { panic!("Y1 should be measured") };
        let inputs = |n: f64, fte: f64| {
            BTreeMap::from([("n".to_string(), InputValue::Number(n)), ("fte".to_string(), InputValue::Number(fte))])
        };
        assert_eq!(m.propose(&inputs(40.0, 2.0)).map(|p| p.score), Some(5));
        assert_eq!(m.propose(&inputs(41.0, 2.0)).map(|p| p.score), Some(4));
        assert_eq!(m.propose(&inputs(10.0, 0.0)), None);
        assert_eq!(m.propose(&BTreeMap::new()), None);
        assert_eq!(m.bound_for_next(3), Some(25.0));
        assert_eq!(m.bound_for_next(5), None);
    }
}
