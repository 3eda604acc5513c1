//! The command line's own words in the user's language. clap writes its help and its usage
//! errors in English; here the help's texts (what each command and argument is, the
//! headings, the usage line's title, defaults, possible values and the environment
//! variable) come from the catalogs (`clap.*` in `i18n/<lang>.json`), and clap's usage
//! errors are put into words from the error's kind and context. The language is the one
//! `--lang` names on the command line, else the environment's, so that even a mistyped
//! command is answered in it.
//!
//! What clap does not let a program change stays as clap writes it: the `[OPTIONS]` and
//! `[COMMAND]` placeholders inside the usage line, and the text of an error clap gives no
//! context for (an I/O error while printing the help).

use std::ffi::OsString;

use clap::error::{ContextKind, ContextValue, ErrorKind};
use clap::{Arg, ArgAction, CommandFactory, FromArgMatches};

use ips_text::i18n::fill;
use ips_text::text::Lang;

use super::Cli;

/// What a value on the command line can be wrong with; put into words by [`error_text`]
/// in the user's language (the English `Display` is for clap's own use).
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ArgProblem {
    NotADate(String),
    YearOutOfRange { value: String, from: i32, to: i32 },
    NotAStatus(String),
    NotAReviewType(String),
    NotALanguage(String),
}

impl std::fmt::Display for ArgProblem {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.text(Lang::En))
    }
}

impl std::error::Error for ArgProblem {}

impl ArgProblem {
    pub fn text(&self, lang: Lang) -> String {
        let (key, args): (&str, Vec<(&str, String)>) = match self {
            ArgProblem::NotADate(v) => ("clap.bad.date", vec![("value", v.clone())]),
            ArgProblem::YearOutOfRange { value, from, to } => {
                ("clap.bad.year", vec![("value", value.clone()), ("from", from.to_string()), ("to", to.to_string())])
            }
            ArgProblem::NotAStatus(v) => ("clap.bad.status", vec![("value", v.clone())]),
            ArgProblem::NotAReviewType(v) => ("clap.bad.type", vec![("value", v.clone())]),
            ArgProblem::NotALanguage(v) => ("clap.bad.lang", vec![("value", v.clone())]),
        };
        fill(word(lang, key), &args)
    }
}

/// A `clap.*` text; empty when the key is missing, which the tests rule out for every
/// command and argument there is.
fn word(lang: Lang, key: &str) -> &'static str {
    ips_text::i18n::text(lang, key)
}

/// The language a command line asks for: `--lang X` or `--lang=X` when X is one, else the
/// environment's.
pub fn lang_of_args(args: &[OsString]) -> Lang {
    let mut it = args.iter().skip(1).map(|a| a.to_string_lossy());
    while let Some(a) = it.next() {
        if a == "--" {
            break;
        }
        let value = if a == "--lang" {
            it.next().map(|v| v.into_owned())
        } else {
            a.strip_prefix("--lang=").map(str::to_string)
        };
        if let Some(lang) = value.and_then(|v| Lang::from_code(&v)) {
            return lang;
        }
    }
    ips_text::i18n::env_lang()
}

/// Parses a command line, in the language it asks for; the error, when there is one, with
/// that language for [`error_text`].
pub fn parse<I, T>(args: I) -> Result<Cli, (clap::Error, Lang)>
where
    I: IntoIterator<Item = T>,
    T: Into<OsString> + Clone,
{
    let args: Vec<OsString> = args.into_iter().map(Into::into).collect();
    let lang = lang_of_args(&args);
    let matches = command(lang).try_get_matches_from(args).map_err(|e| (e, lang))?;
    Cli::from_arg_matches(&matches).map_err(|e| (e, lang))
}

/// The command line's definition with its help in `lang`.
pub fn command(lang: Lang) -> clap::Command {
    let mut cmd = words_for(Cli::command(), lang, &[]);
    let version = Arg::new("version").short('V').long("version").action(ArgAction::Version);
    let version = version.help(word(lang, "clap.version_flag")).help_heading(word(lang, "clap.options"));
    cmd = cmd.disable_version_flag(true).arg(version);
    // The `help` command exists once the definition is built (holding a copy of every
    // command, for `help COMMAND`); then its words can be set, and those of its own `help`.
    cmd.build();
    cmd.mut_subcommand("help", |help| {
        let about = word(lang, "clap.help_command");
        let help = help.about(about);
        if help.find_subcommand("help").is_some() { help.mut_subcommand("help", |h| h.about(about)) } else { help }
    })
}

/// The catalog key of a command's text (`path` is the names below the program's) or of one
/// of its arguments.
pub fn key(path: &[&str], arg: Option<&str>) -> String {
    let mut key = String::from("clap");
    for p in path {
        key.push('.');
        key.push_str(p);
    }
    match arg {
        Some(a) => {
            key.push('.');
            key.push_str(a);
        }
        None => key.push_str(".about"),
    }
    key
}

/// The catalog keys the command line's definition needs: every visible command's text,
/// its arguments' and their values' placeholders (for the tests that keep the catalogs
/// whole and free of unused texts).
pub fn catalog_keys() -> Vec<String> {
    fn walk(cmd: &clap::Command, path: &mut Vec<String>, out: &mut Vec<String>) {
        if cmd.is_hide_set() {
            return;
        }
        let p: Vec<&str> = path.iter().map(String::as_str).collect();
        out.push(key(&p, None));
        for a in cmd.get_arguments().filter(|a| !a.is_hide_set()) {
            out.push(key(&p, Some(a.get_id().as_str())));
            if a.get_action().takes_values() {
                out.extend(a.get_value_names().into_iter().flatten().map(|n| value_key(n.as_str())));
            }
        }
        for sub in cmd.get_subcommands() {
            path.push(sub.get_name().to_string());
            walk(sub, path, out);
            path.pop();
        }
    }
    let mut out = Vec::new();
    walk(&Cli::command(), &mut Vec::new(), &mut out);
    out.sort();
    out.dedup();
    out
}

/// `cmd` (at `path`) and every visible command below it with their texts in `lang`.
fn words_for(cmd: clap::Command, lang: Lang, path: &[&str]) -> clap::Command {
    if cmd.is_hide_set() {
        // A developer's tool (`dev`): its help stays as the code writes it.
        return cmd;
    }
    let about = sentence(word(lang, &key(path, None)));
    let style = cmd.get_styles().get_usage();
    let template = format!(
        "{{before-help}}{{about-with-newline}}\n{style}{}{style:#} {{usage}}\n\n{{all-args}}{{after-help}}",
        word(lang, "clap.usage")
    );
    let mut cmd = cmd
        .about(about)
        .long_about(None)
        .help_template(template)
        .subcommand_help_heading(word(lang, "clap.commands"))
        .subcommand_value_name(word(lang, "clap.command_value"))
        .disable_help_flag(true);
    if !path.is_empty() {
        // `ips-fidelity scale help` would list an English line; `ips-fidelity help scale`
        // says the same in the user's language.
        cmd = cmd.disable_help_subcommand(true);
    }
    let ids: Vec<String> = cmd.get_arguments().map(|a| a.get_id().to_string()).collect();
    for id in ids {
        let text = sentence(word(lang, &key(path, Some(&id))));
        cmd = cmd.mut_arg(&id, |a| arg_words(a, text, lang));
    }
    let help = Arg::new("help").short('h').long("help").action(ArgAction::Help);
    cmd = cmd.arg(help.help(word(lang, "clap.help_flag")).help_heading(word(lang, "clap.options")));
    let names: Vec<String> = cmd.get_subcommands().map(|s| s.get_name().to_string()).collect();
    for name in names {
        let mut below: Vec<&str> = path.to_vec();
        below.push(&name);
        cmd = cmd.mut_subcommand(&name, |sub| words_for(sub, lang, &below));
    }
    cmd
}

/// The catalog key of a value's placeholder (`DIR`, `OUT.pdf`): `clap.value.dir`,
/// `clap.value.out_pdf`.
pub fn value_key(name: &str) -> String {
    let name: String =
        name.chars().map(|c| if c.is_ascii_alphanumeric() { c.to_ascii_lowercase() } else { '_' }).collect();
    format!("clap.value.{name}")
}

/// A catalog's sentence as clap's lists show it: without its last full stop (the
/// catalogs write whole sentences, clap's one-line lists leave the stop out).
fn sentence(text: &'static str) -> &'static str {
    text.strip_suffix('.').filter(|t| !t.ends_with('.')).unwrap_or(text)
}

/// One argument's help: its text, and what clap would add in English (the default, the
/// possible values, the environment variable) said in `lang` instead.
fn arg_words(arg: Arg, text: &str, lang: Lang) -> Arg {
    let mut help = text.to_string();
    // A flag's "default" (false) and values are not worth saying.
    let takes_values = arg.get_action().takes_values();
    let defaults: Vec<String> =
        arg.get_default_values().iter().map(|v| v.to_string_lossy().into_owned()).filter(|v| !v.is_empty()).collect();
    if takes_values && !defaults.is_empty() {
        help.push(' ');
        help.push_str(&fill(word(lang, "clap.default"), &[("value", defaults.join(", "))]));
    }
    let possible: Vec<String> = arg.get_possible_values().iter().map(|v| v.get_name().to_string()).collect();
    if takes_values && !possible.is_empty() {
        help.push(' ');
        help.push_str(&fill(word(lang, "clap.possible"), &[("values", possible.join(", "))]));
    }
    let env = arg.get_env().map(|e| e.to_string_lossy().into_owned());
    if let Some(name) = &env {
        help.push(' ');
        help.push_str(&fill(word(lang, "clap.env"), &[("name", name.clone())]));
    }
    let heading = if arg.is_positional() { "clap.arguments" } else { "clap.options" };
    let names: Vec<&'static str> = arg
        .get_value_names()
        .map(|names| names.iter().map(|n| word(lang, &value_key(n.as_str()))).filter(|w| !w.is_empty()).collect())
        .unwrap_or_default();
    let mut arg = arg.help(help).long_help(None).help_heading(word(lang, heading));
    if !names.is_empty() {
        arg = arg.value_names(names);
    }
    if takes_values {
        arg = arg.hide_default_value(true).hide_possible_values(true);
    }
    if env.is_some() {
        arg = arg.hide_env(true);
    }
    arg
}

/// A usage error in `lang`: what is wrong, a suggestion where clap has one, the usage line
/// and where to read more. Help and version requests are clap's own text (already in
/// `lang`, from [`command`]).
pub fn error_text(e: &clap::Error, lang: Lang) -> String {
    if matches!(
        e.kind(),
        ErrorKind::DisplayHelp | ErrorKind::DisplayVersion | ErrorKind::DisplayHelpOnMissingArgumentOrSubcommand
    ) {
        return e.render().to_string();
    }
    let string = |kind| match e.get(kind) {
        Some(ContextValue::String(s)) => Some(s.clone()),
        Some(ContextValue::Strings(v)) => Some(v.join(", ")),
        Some(ContextValue::StyledStr(s)) => Some(s.to_string()),
        Some(ContextValue::Number(n)) => Some(n.to_string()),
        _ => None,
    };
    let count = |kind| match e.get(kind) {
        Some(ContextValue::Strings(v)) => v.len(),
        _ => 1,
    };
    let arg = string(ContextKind::InvalidArg).unwrap_or_default();
    let value = string(ContextKind::InvalidValue).unwrap_or_default();
    let say = |key: &str, args: &[(&str, String)]| fill(word(lang, key), args);
    let what = match e.kind() {
        ErrorKind::UnknownArgument => say("clap.err.unknown_argument", &[("arg", arg.clone())]),
        ErrorKind::InvalidSubcommand => {
            say("clap.err.unknown_command", &[("command", string(ContextKind::InvalidSubcommand).unwrap_or_default())])
        }
        ErrorKind::InvalidValue if value.is_empty() => say("clap.err.empty_value", &[("arg", arg.clone())]),
        ErrorKind::InvalidValue => say("clap.err.invalid_value", &[("arg", arg.clone()), ("value", value.clone())]),
        ErrorKind::ValueValidation => {
            let problem = std::error::Error::source(e).and_then(|s| s.downcast_ref::<ArgProblem>()).map_or_else(
                || std::error::Error::source(e).map(|s| s.to_string()).unwrap_or_default(),
                |p| p.text(lang),
            );
            say("clap.err.value_validation", &[("arg", arg.clone()), ("problem", problem)])
        }
        ErrorKind::MissingRequiredArgument => {
            say("clap.err.missing", &[("args", arg.clone()), ("count", count(ContextKind::InvalidArg).to_string())])
        }
        ErrorKind::ArgumentConflict => match string(ContextKind::PriorArg) {
            Some(prior) if prior != arg => say("clap.err.conflict", &[("arg", arg.clone()), ("prior", prior)]),
            _ => say("clap.err.once", &[("arg", arg.clone())]),
        },
        ErrorKind::MissingSubcommand => {
            say("clap.err.missing_command", &[("command", string(ContextKind::InvalidSubcommand).unwrap_or_default())])
        }
        ErrorKind::NoEquals => say("clap.err.no_equals", &[("arg", arg.clone())]),
        ErrorKind::TooManyValues => say("clap.err.too_many_values", &[("arg", arg.clone()), ("value", value.clone())]),
        ErrorKind::TooFewValues | ErrorKind::WrongNumberOfValues => say(
            "clap.err.number_of_values",
            &[
                ("arg", arg.clone()),
                (
                    "expected",
                    string(ContextKind::ExpectedNumValues)
                        .or_else(|| string(ContextKind::MinValues))
                        .unwrap_or_default(),
                ),
                ("actual", string(ContextKind::ActualNumValues).unwrap_or_default()),
            ],
        ),
        ErrorKind::InvalidUtf8 => say("clap.err.invalid_utf8", &[]),
        // Printing the help failed: clap's own words are all there is.
        _ => return e.render().to_string(),
    };
    let mut text = format!("{} {what}\n", word(lang, "clap.err.prefix"));
    let suggestion = [ContextKind::SuggestedSubcommand, ContextKind::SuggestedArg, ContextKind::SuggestedValue]
        .into_iter()
        .find_map(|kind| match e.get(kind) {
            Some(ContextValue::String(s)) => Some(vec![s.clone()]),
            Some(ContextValue::Strings(v)) if !v.is_empty() => Some(v.clone()),
            _ => None,
        })
        .map(|all| {
            let quoted: Vec<String> = all.into_iter().map(|s| say("clap.err.quoted", &[("text", s)])).collect();
            quoted.join(&format!(" {} ", word(lang, "clap.err.or")))
        });
    if let Some(s) = suggestion {
        text.push_str(&format!("\n  {}\n", say("clap.err.did_you_mean", &[("suggestion", s)])));
    }
    if let (ErrorKind::InvalidValue, Some(valid)) = (e.kind(), string(ContextKind::ValidValue)) {
        text.push_str(&format!("\n  {}\n", say("clap.err.possible", &[("values", valid)])));
    }
    let usage = string(ContextKind::Usage).unwrap_or_default();
    let usage = usage.trim().strip_prefix("Usage:").map_or(usage.trim(), str::trim);
    if !usage.is_empty() {
        // The command the usage line is of: the words before its first option or value.
        let command: Vec<&str> = usage.split_whitespace().take_while(|w| !w.starts_with(['[', '<', '-'])).collect();
        text.push_str(&format!("\n{} {usage}\n\n", word(lang, "clap.usage")));
        text.push_str(&say("clap.err.more_help", &[("command", command.join(" "))]));
        text.push('\n');
    }
    text
}
