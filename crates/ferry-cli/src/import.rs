//! `ferry-cli import`: Google Workspace / Microsoft 365 exports into a plan file, as a
//! preview first (counts only, never names) and with `--apply` into the plan.

use std::path::{Path, PathBuf};

use clap::Args;
use ferry_core::{CoreError, exchange};
use ferry_import::Preview;
use ferry_import::apply::human_bytes;

use crate::{Failure, Say};

#[derive(Args)]
pub struct ImportArgs {
    /// Exports to read: admin-console CSV downloads, usage reports, a Takeout .zip.
    #[arg(required = true, value_name = "EXPORT")]
    files: Vec<PathBuf>,
    /// The .ferry.json plan file to fill (needed with --apply).
    #[arg(long, value_name = "FILE")]
    plan: Option<PathBuf>,
    /// Only show what the exports say (the default).
    #[arg(long, conflicts_with = "apply")]
    preview: bool,
    /// Fill the plan file: tools, groups, storage, what will not come across.
    #[arg(long, requires = "plan")]
    apply: bool,
    /// Also put the people (names, addresses, groups) into the plan's member list for
    /// single sign-on; people already listed stay as they are.
    #[arg(long, requires = "apply")]
    people: bool,
    /// Also write the member list (name,email,groups) for `ferry-cli sso members`.
    #[arg(long, value_name = "FILE", requires = "apply")]
    members_csv: Option<PathBuf>,
    /// Print the preview as JSON (counts only).
    #[arg(long)]
    json: bool,
}

impl ImportArgs {
    pub fn plan_file(&self) -> Option<&Path> {
        self.plan.as_deref()
    }
}

pub fn run(args: ImportArgs, say: &Say) -> Result<(), Failure> {
    // As the window reads them (ferry_api::import::read_files): a file that cannot be
    // read is named with why and left out; the rest still counts.
    let (preview, problems) = ferry_api::import::read_files(&args.files);
    let left_out: Vec<String> = problems
        .iter()
        .map(|p| {
            format!(
                "{}: {} {}",
                p.file,
                say.error(&p.error),
                say.t("import.skipped", &[])
            )
        })
        .collect();
    let Some(preview) = preview else {
        return Err(Failure::new(if left_out.is_empty() {
            say.t("import.why", &[])
        } else {
            left_out.join("\n")
        }));
    };
    for line in &left_out {
        eprintln!("ferry-cli: {line}");
    }
    if args.json {
        let json = serde_json::to_string_pretty(&preview).map_err(Failure::internal)?;
        println!("{json}");
    } else {
        print_preview(&preview, say);
    }
    let (Some(path), true) = (&args.plan, args.apply) else {
        if !args.json {
            println!("\n{}", say.t("cli.import.nothing_changed", &[]));
        }
        return Ok(());
    };
    let mut plan = exchange::read_plan_file(path)?;
    let choices = ferry_import::Choices {
        people: args.people,
        groups: Vec::new(),
    };
    let (applied, people_added) = ferry_api::import::fill(&mut plan, &preview, &choices)?;
    exchange::write_plan_file(path, &plan)?;
    if let Some(out) = &args.members_csv {
        let csv = ferry_import::members_csv(&preview.members());
        std::fs::write(out, csv).map_err(|source| CoreError::Io {
            path: out.clone(),
            source,
        })?;
    }
    if !args.json {
        let n = |v: u64| v.to_string();
        println!(
            "\n{}",
            say.t(
                "cli.import.applied",
                &[
                    ("path", &path.display().to_string()),
                    ("tools_added", &n(applied.tools_added)),
                    ("tools_updated", &n(applied.tools_updated)),
                    ("groups_added", &n(applied.groups_added)),
                    ("people_added", &n(people_added)),
                ]
            )
        );
        if let Some(gb) = applied.storage_needed_gb {
            println!(
                "{}",
                say.t("cli.import.storage", &[("gb", &gb.to_string())])
            );
        }
        if !applied.proposed_needs.is_empty() {
            let needs: Vec<String> = applied
                .proposed_needs
                .iter()
                .map(|id| say.t(&format!("need.{id}.name"), &[]))
                .collect();
            println!(
                "{}",
                say.t("cli.import.needs", &[("needs", &needs.join(", "))])
            );
        }
    }
    Ok(())
}

fn print_preview(p: &Preview, say: &Say) {
    let files: Vec<String> = p
        .files
        .iter()
        .map(|f| {
            say.t(
                "cli.import.file",
                &[
                    (
                        "source",
                        &say.t(&format!("import.source.{}", f.source.key()), &[]),
                    ),
                    ("rows", &f.rows.to_string()),
                ],
            )
        })
        .collect();
    println!("{}", say.t("import.read", &[("files", &files.join(", "))]));
    println!(
        "{}",
        say.t(
            "cli.import.people",
            &[
                ("people", &p.people.to_string()),
                ("inactive", &p.inactive_people.to_string()),
                ("groups", &p.groups.len().to_string()),
            ]
        )
    );
    if p.concealed_names {
        println!("{}", say.t("import.concealed", &[]));
    }
    if !p.tools.is_empty() {
        let heading: Vec<String> = ["tool", "people", "power", "data"]
            .iter()
            .map(|c| say.t(&format!("import.col.{c}"), &[]))
            .collect();
        let rows: Vec<[String; 4]> = p
            .tools
            .iter()
            .map(|t| {
                let name = format!("tool.{}", t.tool);
                let bytes = if t.bytes > 0 {
                    human_bytes(t.bytes)
                } else {
                    "-".into()
                };
                [
                    say.t(&name, &[]),
                    t.users.to_string(),
                    t.power_users.to_string(),
                    bytes,
                ]
            })
            .collect();
        let width = |i: usize| {
            rows.iter()
                .map(|r| r[i].chars().count())
                .chain([heading[i].chars().count()])
                .max()
                .unwrap_or(0)
        };
        let (w0, w1, w2) = (width(0), width(1), width(2));
        println!(
            "  {:<w0$}  {:<w1$}  {:<w2$}  {}",
            heading[0], heading[1], heading[2], heading[3]
        );
        for [tool, users, power, bytes] in &rows {
            println!("  {tool:<w0$}  {users:>w1$}  {power:>w2$}  {bytes}");
        }
    }
    if let Some(t) = &p.takeout {
        println!(
            "{}",
            say.t(
                "import.takeout",
                &[
                    ("files", &t.files.to_string()),
                    ("size", &human_bytes(t.bytes)),
                    ("mbox", &human_bytes(t.mbox_bytes)),
                ]
            )
        );
    }
    println!(
        "{}",
        say.t(
            "import.storage",
            &[
                ("total", &human_bytes(p.total_bytes)),
                ("gb", &p.storage_needed_gb.to_string()),
            ]
        )
    );
    if !p.losses.is_empty() {
        println!("{}:", say.t("import.lossesTitle", &[]));
    }
    for l in &p.losses {
        let loss = say.t(
            &format!("import.loss.{}", l.kind),
            &[
                ("count", &l.count.to_string()),
                ("size", &human_bytes(l.bytes)),
            ],
        );
        println!("  {loss}");
    }
}
