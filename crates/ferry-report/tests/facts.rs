//! Every product the exit plan names is one the plan chose (issue #26, 5): the Forum
//! section warned about "Facebook groups" for an organisation that never used them,
//! and Team chat said "today: Google Chat" though it was never ticked. Plans built
//! from random tools, needs and suites; each document's text is searched for every
//! tool Ferry knows by name. Some plans carry a data move's report (issue #32, 5):
//! a product its export held and Ferry did not move is named from the report, a
//! fact the plan holds, ticked or not.

mod common;

use common::*;
use ferry_core::exit::chosen_apps;
use ferry_core::messages::text;
use ferry_core::model::{CurrentProvider, Decision, Language, NeedEntry, Plan, Priority, ToolUse};
use ferry_core::moves::{DataKind, LeftBehind, MoveMode, Reason};
use ferry_core::needs::taxonomy;
use ferry_core::tools::Suite;
use ferry_report::document::Block;
use proptest::prelude::*;

/// `name` stands in `text` as a word of its own (not "Teams" in "Team chat").
fn names(text: &str, name: &str) -> bool {
    let wordish = |c: Option<char>| c.is_some_and(char::is_alphanumeric);
    text.match_indices(name).any(|(i, _)| {
        !wordish(text[..i].chars().next_back()) && !wordish(text[i + name.len()..].chars().next())
    })
}

/// A move's report for the plan's apps for mail, calendars, contacts and files, with
/// `left` (a tool's name, as Google names the export's folder) left in the export.
fn with_move(mut plan: Plan, left: &str, [moved, there, not]: [u64; 3]) -> Plan {
    let reason = Reason::ALL[(moved % Reason::ALL.len() as u64) as usize];
    let kinds = chosen_apps(&plan)
        .iter()
        .filter_map(|(need, app)| {
            let kind = DataKind::ALL.into_iter().find(|k| k.need() == *need)?;
            let counts = [moved + there + not, moved, there, not];
            Some(moves::row(kind, app, counts, &[(reason, not)], None))
        })
        .collect();
    let mut report = moves::report(MoveMode::Own, None, vec![moves::person("ola", kinds)]);
    report.left_in_export = vec![LeftBehind {
        product: left.to_owned(),
        files: there,
        bytes: moved * 4096,
    }];
    plan.deploy.moves.push(report);
    plan
}

fn plan_of(tools: &[usize], needs: &[usize], provider: Option<CurrentProvider>) -> Plan {
    let mut plan = Plan::new("Forening", Language::En).unwrap();
    plan.organisation.name = "Forening".into();
    plan.organisation.current_provider = provider;
    let all_tools = &ferry_core::tools::catalogue().tools;
    for &i in tools {
        let id = &all_tools[i % all_tools.len()].id;
        if !plan.tools.tools.iter().any(|u| &u.tool == id) {
            plan.tools.tools.push(ToolUse {
                tool: id.clone(),
                reach: None,
                power_users: false,
                data_volume: None,
                sensitivity: None,
                notes: String::new(),
            });
        }
    }
    let defs = &taxonomy().needs;
    for &i in needs {
        let def = &defs[i % defs.len()];
        if plan.needs.needs.iter().any(|n| n.need == def.id) {
            continue;
        }
        plan.needs.needs.push(NeedEntry {
            need: def.id.clone(),
            priority: Priority::Should,
            notes: String::new(),
            who: String::new(),
            votes: 0,
        });
        plan.recipes.set(
            &def.id,
            Decision::Recipe {
                name: def.candidates[0].recipe.clone(),
            },
        );
    }
    plan.exit_plan = ferry_core::exit::suggest(&plan);
    plan
}

/// The tools named in the document that the plan did not tick, outside the sentences
/// that say they are examples or give a move's reasons, and other than a product a
/// move found in the export: anywhere for a tool outside the suite the organisation
/// says it is leaving, and in the "Today" column for any tool. (How to export from
/// Microsoft 365 may name OneDrive; that the organisation uses OneDrive, only if ticked.)
fn unticked_named(plan: &Plan) -> Vec<String> {
    let doc = ferry_report::build(plan, &catalogue(), today());
    let mut examples: Vec<String> = taxonomy()
        .needs
        .iter()
        .map(|def| {
            let usual: Vec<&str> = CurrentProvider::suites(plan.organisation.current_provider)
                .iter()
                .flat_map(|s| def.replaces.in_suite(*s))
                .map(String::as_str)
                .collect();
            text(
                Language::En,
                "report.today.example",
                &[("products", &usual.join(", "))],
            )
        })
        .collect();
    // A move's reasons say what its export held ("its Google Meet link still points
    // to Google"): a fact of the plan's report, not a product it claims is in use.
    examples.extend(
        plan.deploy
            .moves
            .iter()
            .flat_map(|m| &m.people)
            .flat_map(|p| &p.kinds)
            .flat_map(|k| &k.reasons)
            .filter(|r| r.count > 0)
            .map(|r| {
                text(
                    Language::En,
                    &format!("move.reason.{}", r.reason.key()),
                    &[],
                )
            }),
    );
    // "e.g. Google Chat (no tools listed under Tools today)" says it is an example.
    let strip = |t: &str| examples.iter().fold(t.to_owned(), |t, e| t.replace(e, ""));
    let all = strip(&doc.texts().join("\n"));
    let today_header = text(Language::En, "report.col.today", &[]);
    let today_column = doc
        .sections
        .iter()
        .flat_map(|s| &s.blocks)
        .filter_map(|b| match b {
            Block::Table(t) => t
                .headers
                .iter()
                .position(|h| *h == today_header)
                .map(|i| (t, i)),
            _ => None,
        })
        .flat_map(|(t, i)| t.rows.iter().map(move |r| strip(&r[i])))
        .collect::<Vec<_>>()
        .join("\n");
    let leaving = CurrentProvider::suites(plan.organisation.current_provider);
    // What a move found in the export is the plan's to name.
    let in_export: Vec<&str> = plan
        .deploy
        .moves
        .iter()
        .flat_map(|m| &m.left_in_export)
        .map(|l| l.product.as_str())
        .collect();
    ferry_core::tools::catalogue()
        .tools
        .iter()
        .filter(|t| !plan.tools.tools.iter().any(|u| u.tool == t.id))
        .filter(|t| {
            !in_export.contains(&text(Language::En, &format!("tool.{}", t.id), &[]).as_str())
        })
        .filter_map(|t| {
            let name = text(Language::En, &format!("tool.{}", t.id), &[]);
            let how_to_may_name = t.suite != Suite::Other && leaving.contains(&t.suite);
            let named = names(&today_column, &name) || (!how_to_may_name && names(&all, &name));
            named.then_some(name)
        })
        .collect()
}

fn providers() -> impl Strategy<Value = Option<CurrentProvider>> {
    prop::option::of(prop::sample::select(CurrentProvider::ALL.to_vec()))
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(256))]
    #[test]
    fn every_tool_the_document_names_was_ticked(
        tools in prop::collection::vec(0usize..64, 0..6),
        needs in prop::collection::vec(0usize..64, 0..8),
        provider in providers(),
        moved in prop::option::of((0usize..64, [0u64..5000, 0u64..50, 0u64..20])),
    ) {
        let mut plan = plan_of(&tools, &needs, provider);
        if let Some((left, counts)) = moved {
            let all_tools = &ferry_core::tools::catalogue().tools;
            let name = text(Language::En, &format!("tool.{}", all_tools[left % all_tools.len()].id), &[]);
            plan = with_move(plan, &name, counts);
        }
        let named = unticked_named(&plan);
        prop_assert!(named.is_empty(), "named but not ticked: {named:?}");
    }
}

/// The two cases of the issue, by hand: a Google organisation that ticked Gmail only,
/// with a forum and team chat on its board.
#[test]
fn a_google_organisation_without_facebook_or_google_chat_reads_neither() {
    let forum = taxonomy()
        .needs
        .iter()
        .position(|n| n.id == "forum")
        .unwrap();
    let chat = taxonomy()
        .needs
        .iter()
        .position(|n| n.id == "team_chat")
        .unwrap();
    let gmail = ferry_core::tools::catalogue()
        .tools
        .iter()
        .position(|t| t.id == "gmail")
        .unwrap();
    let plan = plan_of(
        &[gmail],
        &[forum, chat],
        Some(CurrentProvider::GoogleWorkspace),
    );
    let doc = ferry_report::build(&plan, &catalogue(), today())
        .texts()
        .join("\n");
    assert!(!doc.contains("Facebook"), "{doc}");
    assert!(!doc.contains("Google Chat"), "{doc}");
    assert!(doc.contains("None listed under Tools today"));
    assert!(unticked_named(&plan).is_empty());

    // Ticked, both are named, and the warning about Facebook groups is back.
    let facebook = ferry_core::tools::catalogue()
        .tools
        .iter()
        .position(|t| t.id == "facebook_groups")
        .unwrap();
    let chat_tool = ferry_core::tools::catalogue()
        .tools
        .iter()
        .position(|t| t.id == "google_chat")
        .unwrap();
    let plan = plan_of(
        &[gmail, facebook, chat_tool],
        &[forum, chat],
        Some(CurrentProvider::GoogleWorkspace),
    );
    let doc = ferry_report::build(&plan, &catalogue(), today())
        .texts()
        .join("\n");
    assert!(doc.contains(&text(Language::En, "friction.facebook_groups", &[])));
    assert!(doc.contains("Google Chat"));
}
