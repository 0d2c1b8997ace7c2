//! `ferry-cli import`: Google Workspace / Microsoft 365 exports into a plan file, as a
//! preview first (counts only, never names) and with `--apply` into the plan.

use std::path::PathBuf;

use clap::Args;
use ferry_core::exchange;
use ferry_import::apply::human_bytes;
use ferry_import::{Importer, Preview};

use crate::Failure;

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

pub fn run(args: ImportArgs) -> Result<(), Failure> {
    let mut import = Importer::default();
    for file in &args.files {
        import
            .add_path(file)
            .map_err(|e| Failure::new(format!("{}: {} ({})", file.display(), e, e.code())))?;
    }
    let preview = import.preview();
    if args.json {
        let json =
            serde_json::to_string_pretty(&preview).map_err(|e| Failure::new(e.to_string()))?;
        println!("{json}");
    } else {
        print_preview(&preview);
    }
    let (Some(path), true) = (&args.plan, args.apply) else {
        if !args.json {
            println!("\nNothing changed. Run again with --plan FILE --apply to fill the plan.");
        }
        return Ok(());
    };
    let mut plan = exchange::read_plan_file(path)?;
    let choices = ferry_import::Choices {
        people: args.people,
        groups: Vec::new(),
    };
    let (applied, people_added) = ferry_api::import::fill(&mut plan, &preview, &choices)
        .map_err(|e| Failure::new(format!("{e} ({})", e.code())))?;
    exchange::write_plan_file(path, &plan)?;
    if let Some(out) = &args.members_csv {
        let csv = ferry_import::members_csv(&preview.members());
        std::fs::write(out, csv).map_err(|e| Failure::new(format!("{}: {e}", out.display())))?;
    }
    if !args.json {
        println!(
            "\n{}: {} tools added, {} updated, {} groups added, {} people added{}.",
            path.display(),
            applied.tools_added,
            applied.tools_updated,
            applied.groups_added,
            people_added,
            applied
                .storage_needed_gb
                .map_or(String::new(), |gb| format!(", storage {gb} GB")),
        );
        if !applied.proposed_needs.is_empty() {
            println!(
                "Needs these tools serve: {}",
                applied.proposed_needs.join(", ")
            );
        }
    }
    Ok(())
}

fn print_preview(p: &Preview) {
    let files: Vec<String> = p
        .files
        .iter()
        .map(|f| format!("{} ({} rows)", f.source.key(), f.rows))
        .collect();
    println!("Read: {}", files.join(", "));
    println!(
        "People: {} active, {} suspended or unlicensed; groups: {}",
        p.people,
        p.inactive_people,
        p.groups.len()
    );
    if p.concealed_names {
        println!("(A report concealed names: its users are counted, not matched to people.)");
    }
    println!("Tools in use:");
    for t in &p.tools {
        println!(
            "  {:<16} {:>6} people, {:>5} power users, {:>10}",
            t.tool,
            t.users,
            t.power_users,
            if t.bytes > 0 {
                human_bytes(t.bytes)
            } else {
                "-".into()
            }
        );
    }
    if let Some(t) = &p.takeout {
        println!(
            "Takeout: {} files, {}, {} .mbox ({})",
            t.files,
            human_bytes(t.bytes),
            t.mbox_files,
            human_bytes(t.mbox_bytes)
        );
    }
    println!(
        "Data: {} in total; the new host needs {} GB with headroom",
        human_bytes(p.total_bytes),
        p.storage_needed_gb
    );
    for l in &p.losses {
        println!(
            "Will not come across: {} × {} ({})",
            l.count, l.kind, l.tool
        );
    }
}
