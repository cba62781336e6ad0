//! Errors of the command line and how they are shown.
//!
//! Every error is one message. Bad input exits with code 2; a failure that is not the user's input
//! (a file that cannot be written, a number that came out non-finite) exits with code 1. An error
//! about a command-line value is shown the way a scenario error is: the place (`command line`,
//! column, the argument), the command line itself, and a caret under the offending text. The
//! convention that makes this work: a message about a flag's value starts with the flag
//! (`--rcs-m2 -1: …`, `--radar 'x@1,2': …`), and the flag is found among the arguments given.

use std::fmt::Write as _;

/// Exit code for bad input (scenario, arguments).
pub const EXIT_BAD_INPUT: u8 = 2;
/// Exit code for a failure that is not the input's fault.
pub const EXIT_FAILURE: u8 = 1;

/// An error of a command.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum CliError {
    /// Bad input. The message either is complete (a scenario error with its own caret) or starts
    /// with the flag whose value is wrong.
    Input(String),
    /// A failure not caused by the input: I/O, or an output guard that refused a non-finite number.
    Failure(String),
}

impl CliError {
    /// A failure that is not the input's fault (exit code 1).
    pub fn failure(message: impl Into<String>) -> Self {
        Self::Failure(message.into())
    }

    /// The process exit code for this error.
    pub fn exit_code(&self) -> u8 {
        match self {
            Self::Input(_) => EXIT_BAD_INPUT,
            Self::Failure(_) => EXIT_FAILURE,
        }
    }

    /// The error as shown to the user, given the program's arguments (without the program name).
    pub fn render(&self, args: &[String]) -> String {
        match self {
            Self::Failure(m) => format!("error: {m}\n"),
            Self::Input(m) => match flag_of_message(m) {
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
        match self {
            Self::Input(m) | Self::Failure(m) => f.write_str(m),
        }
    }
}

impl From<String> for CliError {
    fn from(message: String) -> Self {
        Self::Input(message)
    }
}

impl From<&str> for CliError {
    fn from(message: &str) -> Self {
        Self::Input(message.to_owned())
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
        let e = CliError::Input("--rcs-m2 -1: not allowed; expected a positive area".into());
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
        let text = CliError::Input("--radar 'b@3,4': unknown".into()).render(&a);
        let lines: Vec<&str> = text.lines().collect();
        let col = lines[3].find('^').unwrap();
        assert_eq!(&lines[2][col..col + 5], "b@3,4");
    }

    #[test]
    fn equals_form_and_quoted_words() {
        let a = vec!["fly".to_owned(), "--missile=scud z".to_owned()];
        let text = CliError::Input("--missile 'scud z': unknown".into()).render(&a);
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
        let text = CliError::Input("--trials -3: not allowed".into()).render(&long);
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
            let text = CliError::Input(format!("--vary '{arg}': {message}")).render(&a);
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
        let text = CliError::Input("<SCENARIO> 'nosuch.toml': cannot read: no such file".into()).render(&a);
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
        let missing = CliError::Input("--seed: needed here".into()).render(&a);
        assert!(missing.contains("argument '--seed': needed here"), "{missing}");
        // A flag not given at all: the caret points past the end, where it is missing.
        let caret_line = missing.lines().nth(3).unwrap();
        assert_eq!(
            caret_line,
            format!("  | {}^", " ".repeat("bulwark run x.toml ".len())),
            "{missing}"
        );
        assert_eq!(CliError::Input("plain".into()).render(&a), "error: plain\n");
        assert_eq!(CliError::failure("disk full").exit_code(), EXIT_FAILURE);
        assert_eq!(CliError::Input("x".into()).exit_code(), EXIT_BAD_INPUT);
    }
}
