//! Workshops with several organisations: the needs they share, side by side, and an
//! export that names only the organisations that agreed to be named (the others are
//! counted, not named).

use serde::{Deserialize, Serialize};
use ts_rs::TS;

use crate::messages::text;
use crate::model::{Language, Plan, PlanId, Priority};

/// One organisation's column in the matrix.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
pub struct OrgColumn {
    pub plan: PlanId,
    /// The organisation's name, shown in the app to the facilitator.
    pub name: String,
    /// Whether it may be named in exported results.
    pub consent: bool,
}

/// One need across the organisations.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
pub struct NeedRow {
    pub need: String,
    /// The priority each organisation gave it, in column order; `None`: not a need there.
    pub priorities: Vec<Option<Priority>>,
    /// How many organisations have it (any priority but "not now").
    pub shared_by: u32,
    /// At least [`SHARED_BY`] organisations have it (the view's "only shared" filter).
    #[serde(default)]
    pub shared: bool,
}

/// A need is shared once this many organisations have it.
pub const SHARED_BY: u32 = 2;

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
pub struct CrossView {
    pub organisations: Vec<OrgColumn>,
    /// Most shared first, then in taxonomy order.
    pub needs: Vec<NeedRow>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "snake_case")]
pub enum ExportFormat {
    Csv,
    Json,
}

crate::all_values!(ExportFormat: Csv, Json);

impl ExportFormat {
    /// What an export in this format is named with.
    pub fn extension(self) -> &'static str {
        match self {
            ExportFormat::Csv => "csv",
            ExportFormat::Json => "json",
        }
    }
}

/// The export in `format`.
pub fn export(view: &CrossView, format: ExportFormat, lang: Language) -> String {
    match format {
        ExportFormat::Csv => to_csv(view, lang),
        ExportFormat::Json => to_json(view, lang),
    }
}

/// The active plans of a library, side by side.
pub fn library_view(lib: &crate::Library) -> crate::Result<CrossView> {
    let mut plans = Vec::new();
    for summary in lib.list(crate::Shelf::Active, "")? {
        plans.push(lib.get(summary.id)?);
    }
    // Oldest first: the order organisations joined the workshop.
    plans.sort_by_key(|p| p.created_at);
    Ok(cross_view(&plans))
}

pub fn cross_view(plans: &[Plan]) -> CrossView {
    let organisations = plans
        .iter()
        .map(|p| OrgColumn {
            plan: p.id,
            name: if p.organisation.name.trim().is_empty() {
                p.name.clone()
            } else {
                p.organisation.name.trim().to_owned()
            },
            consent: p.organisation.consent_to_share,
        })
        .collect();
    let mut needs: Vec<NeedRow> = crate::needs::taxonomy()
        .needs
        .iter()
        .map(|def| {
            let priorities: Vec<Option<Priority>> = plans
                .iter()
                .map(|p| {
                    p.needs
                        .needs
                        .iter()
                        .find(|n| n.need == def.id)
                        .map(|n| n.priority)
                })
                .collect();
            let shared_by = priorities
                .iter()
                .filter(|p| matches!(p, Some(pr) if *pr != Priority::NotNow))
                .count() as u32;
            NeedRow {
                need: def.id.clone(),
                priorities,
                shared_by,
                shared: shared_by >= SHARED_BY,
            }
        })
        .filter(|row| row.priorities.iter().any(Option::is_some))
        .collect();
    // Stable sort keeps taxonomy order among equals.
    needs.sort_by_key(|r| std::cmp::Reverse(r.shared_by));
    CrossView {
        organisations,
        needs,
    }
}

/// Column headings for export: the names of consenting organisations, "Organisation N"
/// for the others.
fn export_names(view: &CrossView, lang: Language) -> Vec<String> {
    let mut anonymous = 0;
    view.organisations
        .iter()
        .map(|o| {
            if o.consent {
                o.name.clone()
            } else {
                anonymous += 1;
                text(lang, "workshop.anonymous", &[("n", &anonymous.to_string())])
            }
        })
        .collect()
}

fn priority_key(p: Option<Priority>) -> &'static str {
    match p {
        Some(Priority::Must) => "must",
        Some(Priority::Should) => "should",
        Some(Priority::Could) => "could",
        Some(Priority::NotNow) => "not_now",
        None => "",
    }
}

fn csv_field(s: &str) -> String {
    // Formulas are neutralised: a spreadsheet must not run what a name contains.
    let s = if s.starts_with(['=', '+', '-', '@']) {
        format!("'{s}")
    } else {
        s.to_owned()
    };
    if s.contains([',', '"', '\n', '\r']) {
        format!("\"{}\"", s.replace('"', "\"\""))
    } else {
        s
    }
}

/// CSV (RFC 4180) in `lang`: one row per need, one column per organisation.
pub fn to_csv(view: &CrossView, lang: Language) -> String {
    let mut out = String::new();
    let mut header = vec![
        text(lang, "workshop.col.need", &[]),
        text(lang, "workshop.col.shared", &[]),
    ];
    header.extend(export_names(view, lang));
    out.push_str(
        &header
            .iter()
            .map(|h| csv_field(h))
            .collect::<Vec<_>>()
            .join(","),
    );
    out.push_str("\r\n");
    for row in &view.needs {
        let mut cells = vec![
            text(lang, &format!("need.{}.name", row.need), &[]),
            row.shared_by.to_string(),
        ];
        cells.extend(row.priorities.iter().map(|p| match p {
            Some(_) => text(lang, &format!("priority.{}", priority_key(*p)), &[]),
            None => String::new(),
        }));
        out.push_str(
            &cells
                .iter()
                .map(|c| csv_field(c))
                .collect::<Vec<_>>()
                .join(","),
        );
        out.push_str("\r\n");
    }
    out
}

/// JSON for machines: stable keys, organisations named only with consent.
pub fn to_json(view: &CrossView, lang: Language) -> String {
    let names = export_names(view, lang);
    let orgs: Vec<serde_json::Value> = view
        .organisations
        .iter()
        .zip(&names)
        .map(|(o, name)| serde_json::json!({ "name": name, "named": o.consent }))
        .collect();
    let needs: Vec<serde_json::Value> = view
        .needs
        .iter()
        .map(|r| {
            serde_json::json!({
                "need": r.need,
                "shared_by": r.shared_by,
                "priorities": r.priorities.iter().map(|p| (!priority_key(*p).is_empty()).then(|| priority_key(*p))).collect::<Vec<_>>(),
            })
        })
        .collect();
    serde_json::to_string_pretty(&serde_json::json!({
        "format": "ferry-workshop-needs",
        "version": 1,
        "organisations": orgs,
        "organisations_not_named": view.organisations.iter().filter(|o| !o.consent).count(),
        "needs": needs,
    }))
    .expect("JSON values serialise")
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::NeedEntry;

    fn plan(name: &str, consent: bool, needs: &[(&str, Priority)]) -> Plan {
        let mut p = Plan::new(name, Language::En).unwrap();
        p.organisation.consent_to_share = consent;
        for (need, priority) in needs {
            p.needs.needs.push(NeedEntry {
                need: (*need).into(),
                priority: *priority,
                notes: String::new(),
                who: String::new(),
                votes: 0,
            });
        }
        p
    }

    #[test]
    fn shared_needs_come_first_and_only_consenting_organisations_are_named() {
        use Priority::*;
        let plans = [
            plan("Union Bergen", true, &[("email", Must), ("files", Should)]),
            plan(
                "Secret Patients",
                false,
                &[("email", Should), ("forms", Could)],
            ),
            plan(
                "=HYPERLINK(\"x\"), Party",
                true,
                &[("email", NotNow), ("files", Must)],
            ),
        ];
        let view = cross_view(&plans);
        let order: Vec<(&str, u32, bool)> = view
            .needs
            .iter()
            .map(|r| (r.need.as_str(), r.shared_by, r.shared))
            .collect();
        assert_eq!(
            order,
            [("email", 2, true), ("files", 2, true), ("forms", 1, false)]
        );
        assert_eq!(
            view.needs[0].priorities,
            [Some(Must), Some(Should), Some(NotNow)]
        );

        let csv = to_csv(&view, Language::En);
        assert!(!csv.contains("Secret Patients"), "{csv}");
        assert!(csv.contains("Organisation 1"), "{csv}");
        let header = csv.lines().next().unwrap();
        assert_eq!(
            header,
            "Need,Organisations,Union Bergen,Organisation 1,\"'=HYPERLINK(\"\"x\"\"), Party\""
        );
        assert_eq!(
            csv.lines().nth(1).unwrap(),
            "E-mail,2,Must have,Should have,Not now"
        );

        let json = to_json(&view, Language::En);
        assert!(!json.contains("Secret Patients"));
        let v: serde_json::Value = serde_json::from_str(&json).unwrap();
        assert_eq!(v["organisations_not_named"], 1);
        assert_eq!(
            v["needs"][2]["priorities"],
            serde_json::json!([null, "could", null])
        );
    }
}
