//! `ferry-cli move …`: carry the data of a Google export (Takeout, or the Workspace
//! admin export) into the plan's new apps — the engine's move (ferry_api::moves), the
//! passwords from this computer's keyring, the report written into the plan file.

use std::io::{IsTerminal, Read, Write};
use std::path::{Path, PathBuf};

use clap::{Args, Subcommand};
use ferry_api::moves;
use ferry_move::plan::{
    Flavour, MoveSpec, PersonSpec, TargetSpec, default_drive_folder, targets_from_plan,
};
use ferry_move::run::Options;
use ferry_move::{Kind, MoveMode, Phase, Progress, SourceSpec};

use crate::host::CliHost;
use crate::{Failure, Say};

#[derive(Subcommand)]
pub enum MoveCommand {
    /// Move mail, calendars, contacts and Drive files into the new apps. Run it again
    /// after any stop: it carries on, and nothing is copied twice.
    Run(RunArgs),
    /// Keep the password of one account on one server (read from standard input).
    Password {
        /// The server's address, as the move uses it (e.g. imaps://mail.example.org).
        #[arg(long)]
        server: String,
        #[arg(long)]
        login: String,
        /// An administrator's login and password (e.g. an IMAP master user), used to
        /// move everyone's data with --admin.
        #[arg(long)]
        admin: bool,
    },
}

#[derive(Args)]
pub struct RunArgs {
    /// The .ferry.json plan file; the move's report is added to it.
    file: PathBuf,
    /// A part of the export (.zip) or an unpacked export folder; give each part.
    #[arg(long = "export", required = true)]
    exports: Vec<PathBuf>,
    /// Your account on the new apps (your own export).
    #[arg(long, conflicts_with = "person")]
    login: Option<String>,
    /// FOLDER=LOGIN: one person of an admin export and their new account (repeat).
    #[arg(long)]
    person: Vec<String>,
    /// KIND=KIND_OF_SERVER,ADDRESS instead of the plan's app for that kind, e.g.
    /// mail=imap,imaps://mail.example.org or files=webdav,https://dav.example.org/{user}/
    #[arg(long)]
    to: Vec<String>,
    /// Move everyone's data with the administrator's password (`move password --admin`).
    #[arg(long)]
    admin: bool,
    /// Do not read everything back from the new apps afterwards.
    #[arg(long)]
    no_verify: bool,
}

impl MoveCommand {
    pub fn plan_file(&self) -> Option<&Path> {
        match self {
            MoveCommand::Run(args) => Some(&args.file),
            MoveCommand::Password { .. } => None,
        }
    }
}

fn kind_words(kind: Kind, say: &Say) -> String {
    say.t(&format!("need.{}.name", kind.need()), &[])
}

fn parse_target(value: &str, say: &Say) -> Result<TargetSpec, Failure> {
    let bad = || Failure::new(say.t("cli.move.bad_target", &[("value", value)]));
    let (kind, rest) = value.split_once('=').ok_or_else(bad)?;
    let (flavour, url) = rest.split_once(',').ok_or_else(bad)?;
    let kind = Kind::from_key(kind.trim()).ok_or_else(bad)?;
    let flavour: Flavour =
        serde_json::from_value(serde_json::Value::String(flavour.trim().to_owned()))
            .map_err(|_| bad())?;
    Ok(TargetSpec {
        kind,
        app: ferry_move::plan::CUSTOM_APP.to_owned(),
        flavour,
        url: url.trim().to_owned(),
    })
}

fn spec(args: &RunArgs, plan: &ferry_core::Plan, say: &Say) -> Result<MoveSpec, Failure> {
    let people = match (&args.login, args.person.is_empty()) {
        (Some(login), _) => vec![PersonSpec {
            source: String::new(),
            login: login.trim().to_owned(),
        }],
        (None, false) => args
            .person
            .iter()
            .map(|p| {
                let (source, login) = p
                    .split_once('=')
                    .filter(|(s, l)| !s.is_empty() && !l.is_empty())
                    .ok_or_else(|| Failure::new(say.t("cli.move.bad_person", &[("value", p)])))?;
                Ok(PersonSpec {
                    source: source.to_owned(),
                    login: login.trim().to_owned(),
                })
            })
            .collect::<Result<_, Failure>>()?,
        (None, true) => {
            return Err(Failure::new(say.t(
                "cli.move.who",
                &[("login", "--login"), ("person", "--person")],
            )));
        }
    };
    let given: Vec<TargetSpec> = args
        .to
        .iter()
        .map(|t| parse_target(t, say))
        .collect::<Result<_, _>>()?;
    // The plan's app for each kind, unless one was given; a kind with neither is left out.
    let mut targets: Vec<TargetSpec> = targets_from_plan(plan)
        .into_iter()
        .flatten()
        .filter(|t| given.iter().all(|g| g.kind != t.kind))
        .collect();
    targets.extend(given);
    if targets.is_empty() {
        return Err(Failure::new(
            say.t("cli.move.no_targets", &[("to", "--to")]),
        ));
    }
    targets.sort_by_key(|t| t.kind);
    Ok(MoveSpec {
        sources: args
            .exports
            .iter()
            .map(|p| SourceSpec {
                path: p.clone(),
                person: None,
            })
            .collect(),
        people,
        targets,
        mode: if args.admin {
            MoveMode::Admin
        } else {
            MoveMode::Own
        },
        drive_folder: default_drive_folder(),
    })
}

fn size(bytes: u64, say: &Say) -> String {
    const MB: f64 = 1024.0 * 1024.0;
    let (key, n) = if bytes as f64 >= 1024.0 * MB {
        ("cli.move.gb", bytes as f64 / (1024.0 * MB))
    } else {
        ("cli.move.mb", bytes as f64 / MB)
    };
    // A decimal comma in Norwegian, German and Spanish.
    let n = format!("{n:.1}");
    let n = match say.lang() {
        ferry_core::model::Language::En => n,
        _ => n.replace('.', ","),
    };
    say.t(key, &[("n", &n)])
}

fn duration(secs: u64, say: &Say) -> String {
    match secs {
        0..60 => say.t("cli.move.seconds", &[("n", &secs.to_string())]),
        60..3600 => say.t("cli.move.minutes", &[("n", &secs.div_ceil(60).to_string())]),
        _ => say.t(
            "cli.move.hours",
            &[
                ("h", &(secs / 3600).to_string()),
                ("m", &((secs % 3600) / 60).to_string()),
            ],
        ),
    }
}

/// One line per progress report; on a terminal the line is rewritten in place.
fn print_progress(p: &Progress, say: &Say, tty: bool) {
    let line = match p.phase {
        Phase::Reading => say.t("cli.move.phase.reading", &[]),
        Phase::Verifying => say.t("cli.move.phase.verifying", &[]),
        Phase::Done => return,
        _ => {
            let Some(kind) = p.kind else { return };
            let left = p.seconds_left.map_or(String::new(), |s| {
                say.t("cli.move.left", &[("time", &duration(s, say))])
            });
            say.t(
                "cli.move.progress",
                &[
                    ("login", &p.login),
                    ("kind", &kind_words(kind, say)),
                    ("items", &p.items_done.to_string()),
                    ("moved", &p.moved.to_string()),
                    ("there", &p.already_there.to_string()),
                    ("not_moved", &p.not_moved.to_string()),
                    ("done", &size(p.bytes_done, say)),
                    ("total", &size(p.bytes_total, say)),
                    ("left", &left),
                ],
            )
        }
    };
    let mut out = std::io::stdout().lock();
    if tty {
        let _ = write!(out, "\r\x1b[2K{line}");
    } else {
        let _ = writeln!(out, "{line}");
    }
    let _ = out.flush();
}

fn run_move(args: RunArgs, say: &Say, host: &CliHost) -> Result<(), Failure> {
    let plan = ferry_core::exchange::read_plan_file(&args.file)?;
    let spec = spec(&args, &plan, say)?;
    let rt = tokio::runtime::Runtime::new().map_err(Failure::internal)?;
    let tty = std::io::stdout().is_terminal();
    let options = Options {
        verify: !args.no_verify,
        ..Options::default()
    };
    let file = args.file.clone();
    let moved = rt.block_on(moves::run(
        host,
        plan,
        &spec,
        &options,
        |p| {
            ferry_core::exchange::write_plan_file(&file, p)?;
            Ok(p.clone())
        },
        &|p| print_progress(&p, say, tty),
    ));
    if tty {
        println!();
    }
    let moved = moved.inspect_err(|_| eprintln!("{}", say.t("cli.move.again", &[])))?;
    for person in &moved.report.people {
        for k in &person.kinds {
            let (found, missing) = k
                .verified
                .as_ref()
                .map_or(("–".to_owned(), "–".to_owned()), |v| {
                    (v.found.to_string(), v.missing.to_string())
                });
            println!(
                "{}",
                say.t(
                    "cli.move.row",
                    &[
                        ("login", &person.login),
                        ("kind", &kind_words(k.kind, say)),
                        ("app", &app_name(&k.app, say)),
                        ("moved", &k.moved.to_string()),
                        ("there", &k.already_there.to_string()),
                        ("not_moved", &k.not_moved.to_string()),
                        ("found", &found),
                        ("missing", &missing),
                    ],
                )
            );
            for r in &k.reasons {
                let reason = serde_json::to_value(r.reason).expect("a reason serialises");
                let words = say.t(
                    &format!("move.reason.{}", reason.as_str().unwrap_or_default()),
                    &[],
                );
                println!(
                    "{}",
                    say.t(
                        "cli.move.reason",
                        &[("count", &r.count.to_string()), ("reason", &words)]
                    )
                );
            }
        }
    }
    println!("{}", say.t("cli.move.kept", &[]));
    Ok(())
}

/// The password from standard input (one line; a terminal is asked first).
fn read_password(server: &str, login: &str, say: &Say) -> Result<String, Failure> {
    if std::io::stdin().is_terminal() {
        eprintln!(
            "{}",
            say.t(
                "cli.move.password_prompt",
                &[("login", login), ("server", server)]
            )
        );
    }
    let mut text = String::new();
    std::io::stdin()
        .take(8192)
        .read_to_string(&mut text)
        .map_err(Failure::internal)?;
    let password = text.lines().next().unwrap_or_default().to_owned();
    if password.is_empty() {
        return Err(Failure::new(say.t("cli.move.no_password", &[])));
    }
    Ok(password)
}

pub fn run(cmd: MoveCommand, say: &Say, host: &CliHost) -> Result<(), Failure> {
    match cmd {
        MoveCommand::Run(args) => run_move(args, say, host),
        MoveCommand::Password {
            server,
            login,
            admin,
        } => {
            let password = read_password(&server, &login, say)?;
            if admin {
                moves::save_admin(host, &server, &login, &password)?;
            } else {
                moves::save_password(host, &server, &login, &password)?;
            }
            println!(
                "{}",
                say.t(
                    "cli.move.password_kept",
                    &[("login", &login), ("server", &server)]
                )
            );
            Ok(())
        }
    }
}

/// An app by its name in the catalogues (a server given by its address has one too).
fn app_name(app: &str, say: &Say) -> String {
    let key = format!("recipe.{app}.title");
    let name = say.t(&key, &[]);
    if name == key { app.to_owned() } else { name }
}

#[cfg(test)]
mod tests {
    use super::*;
    use ferry_core::model::Language;

    #[test]
    fn sizes_have_each_languages_decimal_mark() {
        let bytes = 1536 * 1024 * 1024; // 1.5 GiB
        let en = size(bytes, &Say::resolve(Some(Language::En), None));
        let nb = size(bytes, &Say::resolve(Some(Language::Nb), None));
        let de = size(bytes, &Say::resolve(Some(Language::De), None));
        assert!(en.contains("1.5"), "{en}");
        assert!(nb.contains("1,5") && !nb.contains("1.5"), "{nb}");
        assert!(de.contains("1,5"), "{de}");
    }
}
