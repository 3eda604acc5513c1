//! The command line's own words (clap's help and usage errors) in the user's language:
//! every command and argument has its text in every catalog, the help's headings and
//! built-in lines are translated, and a mistyped command, an unknown option, a bad value or
//! a missing argument is answered in bokmål, nynorsk or English, with exit code 2.

use crate::util;

use ips_fidelity::cli::help;
use ips_text::i18n::{Book, catalog};
use ips_text::text::Lang;

/// Every command and argument has its words in nb, nn and en, and the catalogs hold no
/// `clap.*` text for a command or argument that is not there (a renamed option).
#[test]
fn every_command_and_argument_has_its_words_in_every_language() {
    let keys = help::catalog_keys();
    assert!(keys.len() > 50, "{keys:?}");
    let built_in = [
        "clap.err.",
        "clap.bad.",
        "clap.value.",
        "clap.help_",
        "clap.version_flag",
        "clap.command_value",
        "clap.usage",
    ];
    let headings = ["clap.arguments", "clap.options", "clap.commands", "clap.default", "clap.possible", "clap.env"];
    for lang in Lang::ALL {
        let c = catalog(Book::App, lang);
        for k in &keys {
            assert!(c.contains(k) && !c.get(k).trim().is_empty(), "{}: no text for {k}", c.file);
        }
        for k in c.keys().filter(|k| k.starts_with("clap.") && !k.starts_with("clap.value.")) {
            let known =
                keys.iter().any(|x| x == k) || built_in.iter().any(|b| k.starts_with(b)) || headings.contains(&k);
            assert!(known, "{}: {k} is the text of no command or argument", c.file);
        }
    }
}

/// The help in each language: its headings, the built-in lines, a default, the possible
/// values and the environment variable are said in that language, none in English.
#[test]
fn the_help_is_in_the_users_language() {
    let nb = util::run(&["--help"]);
    assert_eq!(nb.code, 0, "{}", nb.stderr);
    for said in [
        "IPS kvalitetsskala: skår evalueringer og følg en tjeneste gjennom årene.",
        "Bruk: ips-fidelity",
        "Kommandoer:",
        "Valg:",
        // clap's lists leave out the sentence's last full stop.
        "Skår en evalueringsfil: total, kvalitetsnivå, delsummer og punkter som mangler\n",
        "Vis hjelpen",
        "Vis versjonen",
        "Vis denne hjelpen, eller hjelpen til en kommando",
        "[miljøvariabel: IPS_FIDELITY_WORKSPACE]",
    ] {
        assert!(nb.stdout.contains(said), "missing {said:?}:\n{}", nb.stdout);
    }
    for english in ["Usage:", "Options:", "Commands:", "Print help", "Print version", "[env:", "Print this message"] {
        assert!(!nb.stdout.contains(english), "English left: {english:?}:\n{}", nb.stdout);
    }
    let export = util::run(&["export", "--help"]);
    assert_eq!(export.code, 0);
    assert!(export.stdout.contains("[standard: csv]"), "{}", export.stdout);
    assert!(export.stdout.contains("[mulige verdier: csv, xlsx, package]"), "{}", export.stdout);
    assert!(export.stdout.contains("Bruk: ips-fidelity export"), "{}", export.stdout);
    assert!(!export.stdout.contains("[default:") && !export.stdout.contains("possible values"), "{}", export.stdout);
    // The `help` command says the same as --help.
    let via_help = util::run(&["help", "report"]);
    assert_eq!(via_help.code, 0);
    assert!(via_help.stdout.contains("Rapporten som skal skrives: en PDF"), "{}", via_help.stdout);
    assert!(via_help.stdout.contains("Argumenter:"), "{}", via_help.stdout);

    let nn = util::bin().args(["meeting-pack", "--help"]).env("LANG", "nn_NO.UTF-8").output().expect("run");
    let nn = String::from_utf8_lossy(&nn.stdout);
    for said in ["Møtepakken til styringsgruppa", "Val:", "Vis hjelpa", "Møtedatoen (standard: i dag)"] {
        assert!(nn.contains(said), "nn: missing {said:?}:\n{nn}");
    }
    let en = util::run(&["summary", "--help", "--lang", "en"]);
    for said in ["Usage: ips-fidelity summary", "Options:", "Print help", "[default: ips-25]"] {
        assert!(en.stdout.contains(said), "en: missing {said:?}:\n{}", en.stdout);
    }
}

/// A usage error: what is wrong, a suggestion where there is one, the usage line and where
/// to read more, in the user's language; exit code 2.
#[test]
fn usage_errors_are_in_the_users_language() {
    let cases: [(&[&str], &[&str]); 6] = [
        (
            &["exprot"],
            &["feil: ukjent kommando «exprot»", "tips: mente du «report» eller «export»?", "Bruk: ips-fidelity"],
        ),
        (
            &["score", "a.json", "--jsn"],
            &[
                "feil: ukjent argument «--jsn»",
                "tips: mente du «--json»?",
                "Bruk: ips-fidelity score",
                "Mer hjelp: ips-fidelity score --help",
            ],
        ),
        (
            &["export", "--format", "pdf"],
            &["feil: «pdf» er ikke en gyldig verdi for --format <FORMAT>", "mulige verdier: csv, xlsx, package"],
        ),
        (
            &["meeting-pack", "--date", "2026-13-01"],
            &["feil: ugyldig verdi for --date <DATO>: «2026-13-01» er ikke en dato (2026-04-21 eller 21.04.2026)"],
        ),
        (&["meeting-pack"], &["feil: disse må være med: --service <TJENESTE>, --output <UT.pdf>"]),
        (
            &["report", "a.json", "--service", "IPS Nordby", "-o", "r.pdf"],
            &["feil: [FIL] kan ikke brukes sammen med --service <TJENESTE>"],
        ),
    ];
    for (args, said) in cases {
        let r = util::run(args);
        assert_eq!(r.code, 2, "{args:?}: {}", r.stderr);
        for s in said {
            assert!(r.stderr.contains(s), "{args:?}: missing {s:?}:\n{}", r.stderr);
        }
        for english in ["error:", "Usage:", "For more information", "tip:"] {
            assert!(!r.stderr.contains(english), "{args:?}: English left: {english:?}:\n{}", r.stderr);
        }
    }
    let r = util::run(&["review", "set-status", "--service", "X", "--date", "2026-04-21", "--to", "done"]);
    assert!(r.stderr.contains("«done» er ikke en status (planned, scoring, draft eller final)"), "{}", r.stderr);
    let r = util::run(&["report", "--lang", "sv", "-o", "r.pdf"]);
    assert!(r.stderr.contains("«sv» er ikke et språk (nb, nn eller en)"), "{}", r.stderr);

    let nn = util::bin().args(["exprot"]).env("LANG", "nn_NO.UTF-8").output().expect("run");
    let nn = String::from_utf8_lossy(&nn.stderr);
    assert!(
        nn.contains("feil: ukjend kommando «exprot»") && nn.contains("tips: meinte du «report» eller «export»?"),
        "{nn}"
    );
    let en = util::run(&["--lang", "en", "meeting-pack", "--date", "1850-01-01"]);
    assert_eq!(en.code, 2);
    assert!(
        en.stderr.contains("error: invalid value for --date <DATE>: '1850-01-01': the year must be from 1990 to"),
        "{}",
        en.stderr
    );
}
