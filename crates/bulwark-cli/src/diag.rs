//! Errors of the command line and how they are shown.
//!
//! Every error is one message, and keeps the library error it came from as its
//! [`source`](std::error::Error::source). Bad input exits with code 2; a failure that is not the
//! user's input exits with code 1. An error about a command-line value is shown the way a scenario
//! error is: the place (`command line`, column, the argument), the command line itself, and a caret
//! under the offending text. The convention that makes this work: a message about a flag's value
//! starts with the flag (`--rcs-m2 -1: …`, `--radar 'x@1,2': …`), and the flag is found among the
//! arguments given.
//!
//! # Which errors are the input's fault
//!
//! Library errors reach the command line typed (`From<XError> for CliError`), and the exit code is
//! chosen by the error's variant, never by its message:
//!
//! - **Bad input, exit 2**: whatever the user's arguments, scenario or preset files decide — a
//!   malformed, unknown or out-of-range field; a file or folder named on the command line (a
//!   scenario, a preset, the `--resume` folder) that cannot be read or is not what it should be;
//!   an aim point out of reach or too close, an apogee the shape cannot reach, a burnout state that
//!   never comes down; a radar, an interceptor envelope or a period the scenario makes impossible;
//!   too many trials; a `--vary` that is not understood, a value or a sweep point that the
//!   scenario loader refuses.
//! - **Failure, exit 1**: what goes wrong although the input is allowed — an I/O error while
//!   writing outputs (or the campaign folder), an output folder in use by another command, a worker pool or Ctrl-C handler that cannot start,
//!   the flight integrator failing (step size collapse, non-finite state), a
//!   tracker's numerical failure mid-run, a trial record that does not fit its own scenario, a map
//!   or report that cannot draw what was computed, an output guard refusing a non-finite number.
//!
//! Two endings are not errors to report: a standard output closed by its reader ends the command
//! with exit code 0, and a campaign or sweep stopped by Ctrl-C with 130, both without a message
//! ([`CliError::stdout_closed`], [`CliError::interrupted`]).
//!
//! Where a library error only wraps another (`CampaignError::Trial`, `SweepRunError::Campaign`,
//! `AimError::Flight`, `EngageError::Flyout`, and `CampaignError::Output`, which holds the
//! command's own error from writing the campaign's rows), the wrapped error decides. `SimError`'s `Aim`,
//! `Flight` and `Envelope` variants carry the solver's, the flight model's and the envelope's
//! own errors, which decide as above (an unreachable aim point is bad input, an integrator
//! failure a failure); `Radar` and `Period` are bad input, since they stop a scenario before its
//! first trial. A `MapError` is a failure (drawing what was computed)
//! except for `--bbox`, where the box is the user's.

use std::fmt::Write as _;

use bulwark::analysis::analytic::AnalyticError;
use bulwark::analysis::footprint::FootprintError;
use bulwark::analysis::visibility::VisibilityError;
use bulwark::campaign::tally::ShapeMismatch;
use bulwark::campaign::{CampaignError, SweepError, SweepRunError};
use bulwark::earth::GeodeticError;
use bulwark::engage::EngageError;
use bulwark::flight::{AimError, FlightError};
use bulwark::preset_file::PresetError;
use bulwark::scenario::ScenarioError;
use bulwark::sensor::coverage::CoverageError;
use bulwark::sensor::radar_spec::RadarError;
use bulwark::sim::SimError;
use bulwark::track::error::FilterError;
use bulwark::track::manager::TrackError;
use bulwark_report::{MapError, ReportError, RunModelError};

/// Exit code for bad input (scenario, arguments).
pub const EXIT_BAD_INPUT: u8 = 2;
/// Exit code for a failure that is not the input's fault.
pub const EXIT_FAILURE: u8 = 1;

/// Whose fault an error is, which decides the exit code.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Blame {
    /// Bad input (exit code 2). The message either is complete (a scenario error with its own
    /// caret) or starts with the flag whose value is wrong.
    Input,
    /// A failure not caused by the input (exit code 1): I/O, a numerical failure, or an output
    /// guard that refused a non-finite number.
    Failure,
}

/// The error a [`CliError`] came from.
pub type Source = Box<dyn std::error::Error + Send + Sync + 'static>;

/// An error of a command: whose fault it is, the message shown, and the error it came from.
#[derive(Debug)]
pub struct CliError {
    blame: Blame,
    message: String,
    source: Option<Source>,
    /// An ending that is not an error to report: the exit code, and nothing shown (a closed
    /// standard output, a campaign stopped by Ctrl-C).
    quiet_exit: Option<u8>,
}

/// Exit code of a command stopped by Ctrl-C (SIGINT's conventional status), its outputs complete
/// for the work done.
pub const EXIT_INTERRUPTED: u8 = 130;

impl CliError {
    /// Bad input (exit code 2), with no error behind it.
    pub fn input(message: impl Into<String>) -> Self {
        Self {
            blame: Blame::Input,
            message: message.into(),
            source: None,
            quiet_exit: None,
        }
    }

    /// A failure that is not the input's fault (exit code 1), with no error behind it.
    pub fn failure(message: impl Into<String>) -> Self {
        Self {
            blame: Blame::Failure,
            message: message.into(),
            source: None,
            quiet_exit: None,
        }
    }

    /// `error` as a message blamed on `blame`, kept as the source.
    pub fn caused_by<E>(blame: Blame, error: E) -> Self
    where
        E: std::error::Error + Send + Sync + 'static,
    {
        Self {
            blame,
            message: error.to_string(),
            source: Some(Box::new(error)),
            quiet_exit: None,
        }
    }

    /// Standard output was closed by its reader (`bulwark run | head -1`): the command ends
    /// quietly with exit code 0, as Unix tools do; its files are already written.
    pub fn stdout_closed() -> Self {
        Self {
            quiet_exit: Some(0),
            ..Self::failure("standard output was closed by its reader")
        }
    }

    /// The command was stopped by Ctrl-C after writing its outputs for the work done: exit code
    /// 130, and nothing more shown.
    pub fn interrupted() -> Self {
        Self {
            quiet_exit: Some(EXIT_INTERRUPTED),
            ..Self::failure("stopped by Ctrl-C")
        }
    }

    /// The same error with `prefix: ` before its message (a flag and its value, a file name).
    #[must_use]
    pub fn context(mut self, prefix: impl std::fmt::Display) -> Self {
        self.message = format!("{prefix}: {}", self.message);
        self
    }

    /// The same error with another message (the place said the way the command line says it).
    #[must_use]
    pub fn reworded(mut self, message: impl Into<String>) -> Self {
        self.message = message.into();
        self
    }

    /// Whose fault the error is.
    pub fn blame(&self) -> Blame {
        self.blame
    }

    /// The message shown to the user (without `error: ` or a caret).
    pub fn message(&self) -> &str {
        &self.message
    }

    /// The process exit code for this error.
    pub fn exit_code(&self) -> u8 {
        if let Some(code) = self.quiet_exit {
            return code;
        }
        match self.blame() {
            Blame::Input => EXIT_BAD_INPUT,
            Blame::Failure => EXIT_FAILURE,
        }
    }

    /// The error as shown to the user, given the program's arguments (without the program name).
    pub fn render(&self, args: &[String]) -> String {
        if self.quiet_exit.is_some() {
            return String::new();
        }
        let m = self.message();
        match self.blame {
            Blame::Failure => format!("error: {m}\n"),
            Blame::Input => match flag_of_message(m) {
                Some((flag, rest)) => {
                    // A flag that was not given at all: point past the end, where it is missing.
                    let span = locate_flag(args, flag, rest).unwrap_or_else(|| ArgSpan {
                        arg_index: args.len(),
                        range: 0..0,
                        name: flag.to_owned(),
                    });
                    let value = args.get(span.arg_index).and_then(|a| a.get(span.range.clone()));
                    let message = without_flag_and_value(rest, value);
                    let span = narrowed(args, span, &message);
                    render_at(args, &span, &message)
                }
                None => format!("error: {m}\n"),
            },
        }
    }
}

impl std::fmt::Display for CliError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.message)
    }
}

impl std::error::Error for CliError {
    fn source(&self) -> Option<&(dyn std::error::Error + 'static)> {
        self.source.as_deref().map(|e| e as &(dyn std::error::Error + 'static))
    }
}

impl From<String> for CliError {
    fn from(message: String) -> Self {
        Self::input(message)
    }
}

impl From<&str> for CliError {
    fn from(message: &str) -> Self {
        Self::input(message)
    }
}

/// `From<$error> for CliError`, blamed by `$blame(&error)`.
macro_rules! blamed_by {
    ($($error:ty => $blame:path;)*) => {$(
        impl From<$error> for CliError {
            fn from(e: $error) -> Self {
                Self::caused_by($blame(&e), e)
            }
        }
    )*};
}

blamed_by! {
    GeodeticError => always_input;
    RadarError => always_input;
    CoverageError => always_input;
    PresetError => always_input;
    ScenarioError => always_input;
    SweepError => always_input;
    AnalyticError => always_input;
    FlightError => blame_flight;
    AimError => blame_aim;
    EngageError => blame_engage;
    SimError => blame_sim;
    CampaignError => blame_campaign;
    SweepRunError => blame_sweep_run;
    FootprintError => blame_footprint;
    VisibilityError => blame_visibility;
    TrackError => blame_track;
    ShapeMismatch => always_failure;
    MapError => always_failure;
    RunModelError => always_failure;
    ReportError => always_failure;
}

/// Errors that only the input can cause: a position, radar, preset, scenario, sweep or analytic
/// value out of range or unknown, or a file named by the user that cannot be read.
fn always_input<E>(_: &E) -> Blame {
    Blame::Input
}

/// Errors the input cannot cause: a trial record that does not fit its scenario, a map or report
/// that cannot draw what was computed.
fn always_failure<E>(_: &E) -> Blame {
    Blame::Failure
}

/// A flight that never comes down, or asked with values out of range, is the input's; the
/// integrator failing is not.
fn blame_flight(e: &FlightError) -> Blame {
    match e {
        FlightError::Integration { .. } => Blame::Failure,
        FlightError::NoImpact { .. } | FlightError::Invalid(_) | FlightError::Geodetic(_) => Blame::Input,
        FlightError::Object { source, .. } => blame_flight(source),
    }
}

/// An aim point out of reach, too close, at an unreachable apogee or not converging is the
/// input's; a flight failing on the way, as [`blame_flight`].
fn blame_aim(e: &AimError) -> Blame {
    match e {
        AimError::OutOfReach { .. }
        | AimError::TooClose { .. }
        | AimError::Apogee(_)
        | AimError::NoConvergence { .. }
        | AimError::NoLanding { .. }
        | AimError::Invalid(_) => Blame::Input,
        AimError::Flight(f) => blame_flight(f),
    }
}

/// An interceptor too weak for its published limits is the input's (its preset); a fly-out
/// failing, as [`blame_flight`].
fn blame_engage(e: &EngageError) -> Blame {
    match e {
        EngageError::Flyout { source, .. } => blame_flight(source),
        EngageError::NoReach { .. } => Blame::Input,
    }
}

/// What stops a scenario before its first trial follows the error inside it (an unreachable aim
/// point, a radar below ground, a too-fast period are the input's; an integrator failing while a
/// threat or an interceptor is flown is not); a tracker failing mid-run is not the input's.
fn blame_sim(e: &SimError) -> Blame {
    match e {
        SimError::Aim { source, .. } => blame_aim(source),
        SimError::Flight { source, .. } => blame_flight(source),
        SimError::Envelope { source, .. } => blame_engage(source),
        SimError::Radar { .. } | SimError::Period { .. } => Blame::Input,
        SimError::Track { .. } => Blame::Failure,
    }
}

/// A filter setting out of range is the input's; a tracker failing on its measurements
/// (singular innovation, a track that cannot start, an assignment that cannot be solved) is not.
fn blame_track(e: &TrackError) -> Blame {
    match e {
        TrackError::Filter(FilterError::InvalidSetting(_)) => Blame::Input,
        TrackError::Filter(_) | TrackError::Assignment(_) | TrackError::OutOfOrder { .. } => Blame::Failure,
    }
}

/// A campaign's scenario or trial error, as [`blame_sim`]; too many trials is the input's; a
/// record that does not fit is not; a sink that failed is blamed as its own error was (the
/// command's sink returns a [`CliError`]: writing `trials.csv` or the checkpoint, a failure).
fn blame_campaign(e: &CampaignError) -> Blame {
    match e {
        CampaignError::Prepare(s) | CampaignError::Trial { source: s, .. } => blame_sim(s),
        CampaignError::TooManyTrials { .. } | CampaignError::NoTrials => Blame::Input,
        CampaignError::Shape(_) => Blame::Failure,
        CampaignError::Output(sink) => sink.downcast_ref::<CliError>().map_or(Blame::Failure, CliError::blame),
    }
}

/// A sweep that cannot be set up is the input's; a campaign at a point, as [`blame_campaign`].
fn blame_sweep_run(e: &SweepRunError) -> Blame {
    match e {
        SweepRunError::Sweep(_) => Blame::Input,
        SweepRunError::Campaign { source, .. } => blame_campaign(source),
    }
}

/// A request out of range is the input's; the reference threat's aiming, as [`blame_aim`].
fn blame_footprint(e: &FootprintError) -> Blame {
    match e {
        FootprintError::Invalid(_) => Blame::Input,
        FootprintError::Aim { source, .. } => blame_aim(source),
    }
}

/// The aiming as [`blame_aim`]. Once the missile is aimed the input has been accepted: the
/// threat complex's flight, the radar's detection range, a trajectory point's position or the
/// tracker (with the default settings, not the user's) failing during the analysis is not the
/// input's, whatever the error inside.
fn blame_visibility(e: &VisibilityError) -> Blame {
    match e {
        VisibilityError::Aim { source, .. } => blame_aim(source),
        VisibilityError::Flight(_)
        | VisibilityError::NoWarhead
        | VisibilityError::EmptyTrajectory
        | VisibilityError::DetectionRange(_)
        | VisibilityError::Position(_)
        | VisibilityError::Track(_) => Blame::Failure,
    }
}

/// Where on the command line an error points: the index of the argument and the byte range of
/// the offending text inside it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ArgSpan {
    /// Index into the arguments (without the program name).
    pub arg_index: usize,
    /// Byte range inside that argument.
    pub range: std::ops::Range<usize>,
    /// The flag or positional name the value belongs to.
    pub name: String,
}

/// The flag a message starts with (`--rcs-m2 …` → `--rcs-m2`, or a positional argument's name in
/// angle brackets, `<SCENARIO> 'x.toml': …`) and the rest of the message.
fn flag_of_message(message: &str) -> Option<(&str, &str)> {
    if let Some(body) = message.strip_prefix('<') {
        let end = body.find('>')?;
        return Some((&message[..end + 2], &message[end + 2..]));
    }
    let body = message.strip_prefix("--")?;
    let len = body
        .find(|c: char| !(c.is_ascii_alphanumeric() || c == '-'))
        .unwrap_or(body.len());
    if len == 0 {
        return None;
    }
    Some((&message[..len + 2], &message[len + 2..]))
}

/// The message without what the caret line already shows: the flag, and its value (quoted or
/// not) when a colon follows it (`--rcs-m2 -1: not allowed` → `not allowed`, but
/// `--sspk 1.5 is not a probability` → `1.5 is not a probability`).
fn without_flag_and_value(rest: &str, value: Option<&str>) -> String {
    let mut r = rest.trim_start();
    if let Some(v) = value.filter(|v| !v.is_empty() && !v.starts_with("--")) {
        let quoted = format!("'{v}'");
        // Only `VALUE:` goes (the caret shows it); `VALUE is not …` keeps its subject.
        if let Some(x) = r.strip_prefix(quoted.as_str()).or_else(|| r.strip_prefix(v))
            && x.starts_with(':')
        {
            r = x;
        }
    }
    let r = r.trim_start().trim_start_matches([':', ';', ',']).trim_start();
    if r.is_empty() {
        "not allowed".to_owned()
    } else {
        r.to_owned()
    }
}

/// The span narrowed to the part of a structured value the message names first in quotes
/// (`--vary 'battery[thaad].stock=8,-1'` with "'-1' is not allowed" → `-1`; "unknown battery
/// 'patriot'" → `patriot`): in the values after `=` when it is one of them, else its first
/// occurrence. The span is kept when the quoted text is the whole value or not in it.
fn narrowed(args: &[String], span: ArgSpan, message: &str) -> ArgSpan {
    let first_clause = message.split(';').next().unwrap_or("");
    let quoted = first_clause.find('\'').and_then(|i| {
        first_clause[i + 1..]
            .find('\'')
            .map(|j| &first_clause[i + 1..i + 1 + j])
    });
    let (Some(q), Some(value)) = (quoted, args.get(span.arg_index).and_then(|a| a.get(span.range.clone()))) else {
        return span;
    };
    if q.is_empty() || q == value {
        return span;
    }
    let in_list = value.find('=').and_then(|eq| {
        let mut at = eq + 1;
        value[eq + 1..].split(',').find_map(|item| {
            let here = at;
            at += item.len() + 1;
            (item == q).then_some(here)
        })
    });
    match in_list.or_else(|| value.find(q)) {
        Some(offset) => {
            let start = span.range.start + offset;
            ArgSpan {
                range: start..start + q.len(),
                ..span
            }
        }
        None => span,
    }
}

/// Finds the value of `flag` among the arguments. When the flag is given several times, the
/// message's quoted value (`--radar 'x': …`) picks the occurrence; otherwise the last one (the
/// one clap keeps) is meant. A flag without a value (a switch) is underlined itself.
fn locate_flag(args: &[String], flag: &str, rest: &str) -> Option<ArgSpan> {
    let quoted = rest
        .trim_start()
        .strip_prefix('\'')
        .and_then(|r| r.find('\'').map(|end| &r[..end]));
    if flag.starts_with('<') {
        // A positional argument: the argument that is the quoted value.
        return quoted.and_then(|q| value_span(args, q, flag));
    }
    let mut found: Option<ArgSpan> = None;
    for (i, a) in args.iter().enumerate() {
        let span = if a == flag {
            match args.get(i + 1) {
                Some(v) if !v.starts_with("--") || v.parse::<f64>().is_ok() => ArgSpan {
                    arg_index: i + 1,
                    range: 0..v.len(),
                    name: flag.to_owned(),
                },
                _ => ArgSpan {
                    arg_index: i,
                    range: 0..a.len(),
                    name: flag.to_owned(),
                },
            }
        } else if let Some(v) = a.strip_prefix(flag).and_then(|r| r.strip_prefix('=')) {
            ArgSpan {
                arg_index: i,
                range: a.len() - v.len()..a.len(),
                name: flag.to_owned(),
            }
        } else {
            continue;
        };
        let value = &args[span.arg_index][span.range.clone()];
        if quoted.is_some_and(|q| q == value) {
            return Some(span);
        }
        found = Some(span);
    }
    found
}

/// Quotes an argument for display the way a shell would need it.
fn shell_word(a: &str) -> String {
    let plain = !a.is_empty() && a.chars().all(|c| c.is_ascii_alphanumeric() || "-_.,/@=:+%".contains(c));
    if plain {
        a.to_owned()
    } else {
        format!("'{}'", a.replace('\'', r"'\''"))
    }
}

/// Renders `message` with the command line and a caret under the span.
pub fn render_at(args: &[String], span: &ArgSpan, message: &str) -> String {
    let mut line = String::from("bulwark");
    let mut caret_start = 0;
    let mut caret_len = 1;
    for (i, a) in args.iter().enumerate() {
        line.push(' ');
        let word = shell_word(a);
        if i == span.arg_index {
            // Characters before the span inside the displayed word (a quoted word starts one later).
            let quote = usize::from(word.starts_with('\'') && !a.starts_with('\''));
            let before = a.get(..span.range.start).map_or(0, |s| s.chars().count());
            caret_start = line.chars().count() + quote + before;
            caret_len = a.get(span.range.clone()).map_or(1, |s| s.chars().count()).max(1);
        }
        line.push_str(&word);
    }
    if span.arg_index >= args.len() {
        caret_start = line.chars().count() + 1;
    }
    let mut out = String::new();
    let _ = writeln!(
        out,
        "error: command line:1:{}: argument '{}': {message}",
        caret_start + 1,
        span.name
    );
    let (shown, caret_at, caret_shown) = window(&line, caret_start, caret_len);
    let _ = writeln!(out, "  |");
    let _ = writeln!(out, "1 | {shown}");
    let _ = writeln!(out, "  | {}{}", " ".repeat(caret_at), "^".repeat(caret_shown));
    out
}

/// Most characters of the command line shown; a longer one is cut around the caret.
const SHOWN_CHARS: usize = 160;
/// Context kept on each side of the caret when the line is cut.
const CONTEXT_CHARS: usize = 20;

/// The part of `line` to show around a caret at `start` of `len` characters: the text, where the
/// caret starts in it and how long it is. A long line keeps some context on each side and marks
/// the cuts with `…`; a long caret is shortened the same way.
fn window(line: &str, start: usize, len: usize) -> (String, usize, usize) {
    let chars: Vec<char> = line.chars().collect();
    let total = chars.len().max(start + 1);
    if total <= SHOWN_CHARS {
        return (line.to_owned(), start, len);
    }
    let len_shown = len.min(SHOWN_CHARS - 2 * CONTEXT_CHARS);
    let from = start.saturating_sub(CONTEXT_CHARS);
    let to = (start + len_shown + CONTEXT_CHARS).min(chars.len());
    let mut shown = String::new();
    let mut caret_at = start - from;
    if from > 0 {
        shown.push('…');
        caret_at += 1;
    }
    shown.extend(&chars[from.min(chars.len())..to]);
    if to < chars.len() {
        shown.push('…');
    }
    (shown, caret_at, len_shown)
}

/// Renders a clap parse error (bad value, unknown or missing argument) with a caret where clap's
/// context tells which argument is at fault; `None` when clap's own rendering should be used
/// (help, version).
pub fn render_clap_error(err: &clap::Error, args: &[String]) -> Option<String> {
    use clap::error::{ContextKind, ContextValue, ErrorKind};
    if matches!(
        err.kind(),
        ErrorKind::DisplayHelp | ErrorKind::DisplayVersion | ErrorKind::DisplayHelpOnMissingArgumentOrSubcommand
    ) {
        return None;
    }
    let rendered = err.render().to_string();
    let mut message = rendered
        .lines()
        .next()
        .unwrap_or("")
        .trim_start_matches("error: ")
        .to_owned();
    for extra in rendered.lines().skip(1) {
        let t = extra.trim();
        if t.starts_with("Usage:") || t.starts_with("For more information") {
            break;
        }
        if let Some(tip) = t.strip_prefix("tip: ") {
            let _ = write!(message, "; {tip}");
        } else if !t.is_empty() {
            // The missing arguments, listed one per line under the first.
            let _ = write!(message, " {t}");
        }
    }
    let text = |kind| match err.get(kind) {
        Some(ContextValue::String(s)) => Some(s.clone()),
        Some(ContextValue::Strings(v)) => v.first().cloned(),
        _ => None,
    };
    let invalid_arg = text(ContextKind::InvalidArg);
    let invalid_value = text(ContextKind::InvalidValue);
    let flag = invalid_arg
        .as_deref()
        .map(|a| a.split([' ', '<', '=']).next().unwrap_or(a).to_owned());
    let span = match (err.kind(), &flag, &invalid_value) {
        (ErrorKind::UnknownArgument, Some(f), _) => args
            .iter()
            .position(|a| a == f || a.starts_with(&format!("{f}=")))
            .map(|i| ArgSpan {
                arg_index: i,
                range: 0..args[i].len(),
                name: f.clone(),
            }),
        (_, Some(f), Some(v)) if f.starts_with("--") => {
            locate_flag(args, f, &format!(" '{v}'")).or_else(|| value_span(args, v, f))
        }
        (_, Some(f), Some(v)) => value_span(args, v, f),
        (ErrorKind::MissingRequiredArgument, Some(f), None) => Some(ArgSpan {
            arg_index: args.len(),
            range: 0..0,
            name: f.clone(),
        }),
        _ => None,
    };
    Some(match span {
        Some(s) => render_at(args, &s, &message),
        None => format!("error: {message}\n"),
    })
}

/// The last argument equal to `value`, as the span of `name`.
fn value_span(args: &[String], value: &str, name: &str) -> Option<ArgSpan> {
    args.iter().rposition(|a| a == value).map(|i| ArgSpan {
        arg_index: i,
        range: 0..args[i].len(),
        name: name.to_owned(),
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn args(s: &str) -> Vec<String> {
        s.split(' ').map(str::to_owned).collect()
    }

    #[test]
    fn caret_under_a_flags_value() {
        let a = args("radar --radar an-tpy-2-tbr --rcs-m2 -1");
        let e = CliError::input("--rcs-m2 -1: not allowed; expected a positive area");
        let text = e.render(&a);
        let lines: Vec<&str> = text.lines().collect();
        assert!(
            lines[0].ends_with("argument '--rcs-m2': not allowed; expected a positive area"),
            "{text}"
        );
        assert_eq!(lines[2], "1 | bulwark radar --radar an-tpy-2-tbr --rcs-m2 -1");
        let col = lines[3].find('^').unwrap();
        assert_eq!(&lines[2][col..col + 2], "-1");
        assert_eq!(lines[3][col..].trim_end(), "^^");
        assert!(lines[0].starts_with("error: command line:1:"), "{text}");
        assert!(lines[0].contains("argument '--rcs-m2'"), "{text}");
    }

    #[test]
    fn quoted_value_picks_the_repeated_flag() {
        let a = args("see --radar a@1,2 --radar b@3,4 --missile nodong");
        let text = CliError::input("--radar 'b@3,4': unknown").render(&a);
        let lines: Vec<&str> = text.lines().collect();
        let col = lines[3].find('^').unwrap();
        assert_eq!(&lines[2][col..col + 5], "b@3,4");
    }

    #[test]
    fn equals_form_and_quoted_words() {
        let a = vec!["fly".to_owned(), "--missile=scud z".to_owned()];
        let text = CliError::input("--missile 'scud z': unknown").render(&a);
        let lines: Vec<&str> = text.lines().collect();
        assert_eq!(lines[2], "1 | bulwark fly '--missile=scud z'");
        let col = lines[3].find('^').unwrap();
        assert_eq!(&lines[2][col..col + 6], "scud z");
    }

    #[test]
    fn a_long_command_line_is_cut_around_the_caret() {
        let long: Vec<String> = std::iter::once("sweep".to_owned())
            .chain((0..40).map(|i| format!("--vary=doctrine.x{i}=1,2,3")))
            .chain(["--trials".to_owned(), "-3".to_owned()])
            .chain((0..10).map(|i| format!("--x{i}")))
            .collect();
        let text = CliError::input("--trials -3: not allowed").render(&long);
        let lines: Vec<&str> = text.lines().collect();
        assert!(lines[2].chars().count() <= 4 + SHOWN_CHARS + 2, "{text}");
        assert!(lines[2].starts_with("1 | …") && lines[2].ends_with('…'), "{text}");
        let col = lines[3].chars().position(|c| c == '^').unwrap();
        let under: String = lines[2].chars().skip(col).take(2).collect();
        assert_eq!(under, "-3", "{text}");
        // The column in the message is the column in the whole line.
        let whole = format!("bulwark {}", long.join(" "));
        let col_in_whole = whole.find(" -3 ").unwrap() + 2;
        assert!(
            lines[0].starts_with(&format!("error: command line:1:{col_in_whole}:")),
            "{text}"
        );
    }

    #[test]
    fn a_structured_value_is_underlined_where_the_message_points() {
        let caret_under = |arg: &str, message: &str| {
            let a = vec!["sweep".to_owned(), "--vary".to_owned(), arg.to_owned()];
            let text = CliError::input(format!("--vary '{arg}': {message}")).render(&a);
            let lines: Vec<&str> = text.lines().collect();
            let start = lines[3].find('^').unwrap();
            let len = lines[3].matches('^').count();
            lines[2][start..start + len].to_owned()
        };
        assert_eq!(caret_under("battery[thaad].stock=8,-1", "'-1' is not allowed"), "-1");
        assert_eq!(caret_under("threat[x].count=1,11", "'1' is not allowed"), "1");
        assert_eq!(
            caret_under(
                "battery[patriot].stock=8",
                "unknown battery 'patriot'; batteries: thaad"
            ),
            "patriot"
        );
        // Nothing to narrow to: the whole value.
        assert_eq!(caret_under("doctrine.salvo", "expected PATH=V1,V2"), "doctrine.salvo");
        assert_eq!(caret_under("a=1", "unknown field 'zz'"), "a=1");
    }

    #[test]
    fn positional_arguments_by_their_quoted_value() {
        let a = args("run --seed 3 nosuch.toml");
        let text = CliError::input("<SCENARIO> 'nosuch.toml': cannot read: no such file").render(&a);
        let lines: Vec<&str> = text.lines().collect();
        assert!(
            lines[0].ends_with("argument '<SCENARIO>': cannot read: no such file"),
            "{text}"
        );
        let col = lines[3].find('^').unwrap();
        assert_eq!(&lines[2][col..], "nosuch.toml");
    }

    #[test]
    fn missing_flags_point_past_the_end_and_plain_messages_have_no_caret() {
        let a = args("run x.toml");
        let missing = CliError::input("--seed: needed here").render(&a);
        assert!(missing.contains("argument '--seed': needed here"), "{missing}");
        // A flag not given at all: the caret points past the end, where it is missing.
        let caret_line = missing.lines().nth(3).unwrap();
        assert_eq!(
            caret_line,
            format!("  | {}^", " ".repeat("bulwark run x.toml ".len())),
            "{missing}"
        );
        assert_eq!(CliError::input("plain").render(&a), "error: plain\n");
        assert_eq!(CliError::failure("disk full").exit_code(), EXIT_FAILURE);
        assert_eq!(CliError::input("x").exit_code(), EXIT_BAD_INPUT);
    }

    /// The exit code of a library error once it reaches the command line.
    fn code(e: impl Into<CliError>) -> u8 {
        e.into().exit_code()
    }

    fn integration() -> FlightError {
        FlightError::Integration {
            phase: "boost",
            source: bulwark::flight::dop853::IntegrationError::NonFinite { t_s: 12.0 },
        }
    }

    fn track_failure() -> SimError {
        SimError::Track {
            tracker: "system".into(),
            t_s: 301.5,
            message: "innovation covariance at t = 301.5 s is not positive definite".into(),
        }
    }

    #[test]
    fn a_library_error_keeps_its_message_and_its_source() {
        use std::error::Error as _;
        let e = CliError::from(track_failure());
        assert_eq!(e.to_string(), track_failure().to_string());
        let source = e.source().expect("the library error is kept");
        assert_eq!(source.downcast_ref::<SimError>(), Some(&track_failure()));
        // A flag before the message changes neither the blame nor the source.
        let flagged = CliError::from(AimError::Apogee("no such apogee".into())).context("--apogee-km");
        assert_eq!(flagged.message(), "--apogee-km: no such apogee");
        assert_eq!(flagged.exit_code(), EXIT_BAD_INPUT);
        assert!(flagged.source().and_then(|s| s.downcast_ref::<AimError>()).is_some());
        assert!(CliError::input("plain").source().is_none());
    }

    #[test]
    fn flight_errors_blame_the_integrator_not_the_input() {
        assert_eq!(code(integration()), EXIT_FAILURE);
        assert_eq!(code(FlightError::NoImpact { time_s: 9e4 }), EXIT_BAD_INPUT);
        assert_eq!(
            code(FlightError::Invalid("burnout speed -1 m/s".into())),
            EXIT_BAD_INPUT
        );
        assert_eq!(
            code(FlightError::Geodetic(GeodeticError::Latitude(91.0))),
            EXIT_BAD_INPUT
        );
        let object = |source| FlightError::Object {
            object: "booster".into(),
            source: Box::new(source),
        };
        assert_eq!(code(object(integration())), EXIT_FAILURE);
        assert_eq!(code(object(FlightError::NoImpact { time_s: 9e4 })), EXIT_BAD_INPUT);
    }

    #[test]
    fn aim_errors_are_the_aim_points_unless_the_flight_failed() {
        let missile = || "Hwasong-12".to_owned();
        assert_eq!(
            code(AimError::OutOfReach {
                missile: missile(),
                range_km: 9000.0,
                max_range_km: 4500.0,
                orbits: false
            }),
            EXIT_BAD_INPUT
        );
        assert_eq!(
            code(AimError::TooClose {
                missile: missile(),
                shape: "lofted",
                range_km: 100.0,
                min_range_km: 800.0
            }),
            EXIT_BAD_INPUT
        );
        assert_eq!(code(AimError::Apogee("x".into())), EXIT_BAD_INPUT);
        assert_eq!(code(AimError::NoConvergence { miss_km: 3.0 }), EXIT_BAD_INPUT);
        assert_eq!(
            code(AimError::NoLanding {
                missile: missile(),
                range_km: 18_000.0,
                nearest_km: 470.0,
                shots: 11_700
            }),
            EXIT_BAD_INPUT
        );
        assert_eq!(code(AimError::Invalid("x".into())), EXIT_BAD_INPUT);
        assert_eq!(code(AimError::Flight(integration())), EXIT_FAILURE);
        assert_eq!(
            code(AimError::Flight(FlightError::NoImpact { time_s: 1.0 })),
            EXIT_BAD_INPUT
        );
        // The flag of an aiming error follows the variant; the blame stays the variant's.
        let flagged = crate::args::aim_error(AimError::Flight(integration()), "--to");
        assert_eq!(
            (flagged.exit_code(), flagged.message().starts_with("--to: ")),
            (EXIT_FAILURE, true)
        );
    }

    #[test]
    fn envelope_errors_blame_a_weak_interceptor_on_its_preset() {
        let no_reach = EngageError::NoReach {
            interceptor: "thaad".into(),
            min_alt_km: 40.0,
            max_alt_km: 150.0,
            min_range_km: 0.0,
            max_range_km: 200.0,
            max_time_s: 100.0,
        };
        assert_eq!(code(no_reach), EXIT_BAD_INPUT);
        let flyout = |source| EngageError::Flyout {
            interceptor: "thaad".into(),
            kick_deg: 10.0,
            source,
        };
        assert_eq!(code(flyout(integration())), EXIT_FAILURE);
        assert_eq!(code(flyout(FlightError::Invalid("x".into()))), EXIT_BAD_INPUT);
    }

    #[test]
    fn run_errors_blame_the_scenario_before_the_first_trial_and_the_tracker_after() {
        let msg = || "x".to_owned();
        let out_of_reach = || AimError::OutOfReach {
            missile: "nodong".into(),
            range_km: 9_000.0,
            max_range_km: 1_000.0,
            orbits: false,
        };
        assert_eq!(
            code(SimError::Aim {
                threat: msg(),
                source: Box::new(out_of_reach())
            }),
            EXIT_BAD_INPUT
        );
        assert_eq!(
            code(SimError::Aim {
                threat: msg(),
                source: Box::new(AimError::Flight(integration()))
            }),
            EXIT_FAILURE
        );
        assert_eq!(
            code(SimError::Flight {
                threat: msg(),
                launch_time_s: 0.0,
                source: Box::new(integration())
            }),
            EXIT_FAILURE
        );
        assert_eq!(
            code(SimError::Flight {
                threat: msg(),
                launch_time_s: 0.0,
                source: Box::new(FlightError::Invalid(msg()))
            }),
            EXIT_BAD_INPUT
        );
        assert_eq!(
            code(SimError::Radar {
                radar: msg(),
                source: RadarError::BelowGround(-1.0)
            }),
            EXIT_BAD_INPUT
        );
        assert_eq!(
            code(SimError::Envelope {
                battery: msg(),
                source: Box::new(EngageError::Flyout {
                    interceptor: "thaad".into(),
                    kick_deg: 1.0,
                    source: integration()
                })
            }),
            EXIT_FAILURE
        );
        assert_eq!(
            code(SimError::Period {
                who: msg(),
                message: msg()
            }),
            EXIT_BAD_INPUT
        );
        assert_eq!(code(track_failure()), EXIT_FAILURE);
    }

    #[test]
    fn campaign_and_sweep_errors_follow_the_error_inside() {
        use bulwark::campaign::SinkError;
        let aim = || SimError::Aim {
            threat: "NK-1".into(),
            source: Box::new(AimError::OutOfReach {
                missile: "nodong".into(),
                range_km: 9_000.0,
                max_range_km: 1_000.0,
                orbits: false,
            }),
        };
        assert_eq!(code(CampaignError::Prepare(aim())), EXIT_BAD_INPUT);
        assert_eq!(code(CampaignError::Prepare(track_failure())), EXIT_FAILURE);
        assert_eq!(
            code(CampaignError::Trial {
                trial: 7,
                source: track_failure()
            }),
            EXIT_FAILURE
        );
        assert_eq!(
            code(CampaignError::Trial {
                trial: 7,
                source: aim()
            }),
            EXIT_BAD_INPUT
        );
        assert_eq!(code(CampaignError::TooManyTrials { trials: u64::MAX }), EXIT_BAD_INPUT);
        let sink = |e: CliError| CampaignError::Output(SinkError::new(e));
        assert_eq!(code(sink(CliError::failure("disk full"))), EXIT_FAILURE);
        assert_eq!(
            code(sink(CliError::input("--resume x: not a campaign"))),
            EXIT_BAD_INPUT
        );
        assert_eq!(
            code(CampaignError::Output(SinkError::new(std::io::Error::other(
                "disk full"
            )))),
            EXIT_FAILURE
        );
        let shape = ShapeMismatch {
            trial: 3,
            areas: 1,
            batteries: 1,
            want_areas: 2,
            want_batteries: 1,
        };
        assert_eq!(code(CampaignError::Shape(shape.clone())), EXIT_FAILURE);
        assert_eq!(code(shape), EXIT_FAILURE);
        let spec = || SweepError::Spec {
            spec: "doctrine.salvo=0".into(),
            message: "'0' is not allowed".into(),
        };
        assert_eq!(code(spec()), EXIT_BAD_INPUT);
        let refused = || Box::new(bulwark::scenario::parse_scenario("x", "f.toml").unwrap_err());
        let value = SweepError::Value {
            spec: "doctrine.salvo_size=0".into(),
            value: "0".into(),
            source: refused(),
        };
        assert_eq!(code(value), EXIT_BAD_INPUT);
        let point = SweepError::Point {
            point: "a=1".into(),
            source: refused(),
        };
        assert_eq!(code(point), EXIT_BAD_INPUT);
        assert_eq!(code(SweepError::Source { file: "f.toml".into() }), EXIT_BAD_INPUT);
        assert_eq!(code(SweepRunError::Sweep(spec())), EXIT_BAD_INPUT);
        let at_point = |source| SweepRunError::Campaign {
            point: "a=1".into(),
            source,
        };
        assert_eq!(
            code(at_point(CampaignError::Output(SinkError::new(CliError::failure("x"))))),
            EXIT_FAILURE
        );
        assert_eq!(
            code(at_point(CampaignError::TooManyTrials { trials: 1 << 40 })),
            EXIT_BAD_INPUT
        );
    }

    #[test]
    fn tracker_errors_blame_settings_on_the_input_and_numerics_on_the_run() {
        use bulwark::track::assignment::AssignmentError;
        assert_eq!(
            code(TrackError::Filter(FilterError::InvalidSetting("q".into()))),
            EXIT_BAD_INPUT
        );
        assert_eq!(
            code(TrackError::Filter(FilterError::SingularInnovation { t_s: 3.0 })),
            EXIT_FAILURE
        );
        assert_eq!(
            code(TrackError::Filter(FilterError::Initialisation("x".into()))),
            EXIT_FAILURE
        );
        assert_eq!(
            code(TrackError::Filter(FilterError::InvalidMeasurement {
                t_s: 1.0,
                reason: "NaN".into()
            })),
            EXIT_FAILURE
        );
        assert_eq!(
            code(TrackError::Filter(FilterError::TimeMismatch {
                filter_t_s: 1.0,
                measurement_t_s: 2.0
            })),
            EXIT_FAILURE
        );
        assert_eq!(
            code(TrackError::Assignment(AssignmentError::Solver("x".into()))),
            EXIT_FAILURE
        );
        assert_eq!(
            code(TrackError::OutOfOrder {
                t_s: 1.0,
                previous_s: 2.0
            }),
            EXIT_FAILURE
        );
    }

    #[test]
    fn input_files_and_values_are_always_the_inputs() {
        assert_eq!(code(GeodeticError::Longitude(f64::NAN)), EXIT_BAD_INPUT);
        assert_eq!(code(RadarError::Rcs(-1.0)), EXIT_BAD_INPUT);
        assert_eq!(code(RadarError::BelowGround(-5.0)), EXIT_BAD_INPUT);
        assert_eq!(code(CoverageError::Radar(RadarError::Rcs(0.0))), EXIT_BAD_INPUT);
        assert_eq!(
            code(CoverageError::Position(GeodeticError::Latitude(95.0))),
            EXIT_BAD_INPUT
        );
        let file = || "x.toml".to_owned();
        // A file the user named that cannot be read is bad input, not an I/O failure of ours.
        assert_eq!(
            code(ScenarioError::Io {
                file: file(),
                message: "no such file".into()
            }),
            EXIT_BAD_INPUT
        );
        assert_eq!(
            code(PresetError::Io {
                file: file(),
                message: "no such file".into()
            }),
            EXIT_BAD_INPUT
        );
        assert_eq!(
            code(PresetError::Unknown {
                kind: "missile",
                name: "nodon".into(),
                suggestion: String::new(),
                known: "nodong".into()
            }),
            EXIT_BAD_INPUT
        );
        assert_eq!(
            code(PresetError::Invalid {
                file: file(),
                line: 3,
                field: "stage[1].dry_mass_kg".into(),
                message: "x".into()
            }),
            EXIT_BAD_INPUT
        );
        assert_eq!(
            code(AnalyticError::NotAProbability {
                field: "upper.sspk".into(),
                value: 1.5
            }),
            EXIT_BAD_INPUT
        );
    }

    #[test]
    fn analyses_blame_their_aiming_and_not_their_models() {
        let aim = || AimError::OutOfReach {
            missile: "Scud-B".into(),
            range_km: 900.0,
            max_range_km: 300.0,
            orbits: false,
        };
        assert_eq!(code(FootprintError::Invalid("x".into())), EXIT_BAD_INPUT);
        let footprint_aim = |source| FootprintError::Aim {
            missile: "Scud-B".into(),
            from: "0, 0".into(),
            to: "1, 1".into(),
            source: Box::new(source),
        };
        assert_eq!(code(footprint_aim(aim())), EXIT_BAD_INPUT);
        assert_eq!(code(footprint_aim(AimError::Flight(integration()))), EXIT_FAILURE);
        let visibility_aim = |source| VisibilityError::Aim {
            missile: "Scud-B".into(),
            source,
        };
        assert_eq!(code(visibility_aim(aim())), EXIT_BAD_INPUT);
        assert_eq!(code(visibility_aim(AimError::Flight(integration()))), EXIT_FAILURE);
        // After aiming, even an error that is the input's elsewhere is the analysis's own.
        assert_eq!(
            code(VisibilityError::Flight(FlightError::Invalid("x".into()))),
            EXIT_FAILURE
        );
        assert_eq!(code(VisibilityError::NoWarhead), EXIT_FAILURE);
        assert_eq!(code(VisibilityError::EmptyTrajectory), EXIT_FAILURE);
        assert_eq!(
            code(VisibilityError::DetectionRange(RadarError::Rcs(0.0))),
            EXIT_FAILURE
        );
        assert_eq!(
            code(VisibilityError::Position(GeodeticError::Latitude(95.0))),
            EXIT_FAILURE
        );
        assert_eq!(
            code(VisibilityError::Track(TrackError::Filter(FilterError::InvalidSetting(
                "q".into()
            )))),
            EXIT_FAILURE
        );
    }

    #[test]
    fn drawing_what_was_computed_is_not_the_inputs_fault() {
        assert_eq!(code(MapError::Latitude(91.0)), EXIT_FAILURE);
        assert_eq!(code(RunModelError::Map(MapError::Polygon("x".into()))), EXIT_FAILURE);
        assert_eq!(code(RunModelError::Radar(RadarError::Rcs(0.0))), EXIT_FAILURE);
        let report = ReportError::Invalid {
            item: "track \"NK-1\"".into(),
            problem: "x".into(),
        };
        assert_eq!(code(report), EXIT_FAILURE);
    }
}
