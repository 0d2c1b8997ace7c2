//! Example organisations to start from in one click, so that a newcomer or a workshop
//! sees a filled plan at once. They become ordinary plans the user can change or delete.
//! Their words come from the message catalogues, in the language asked for.

use serde::{Deserialize, Serialize};
use ts_rs::TS;

use crate::messages::text;
use crate::model::{
    CurrentProvider, DataSensitivity, DataVolume, Decision, Language, NeedEntry, OrganisationKind,
    Plan, Priority, Reach, SpecialCategory, TechnicalCapacity, ToolUse,
};

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "snake_case")]
pub enum Example {
    /// A regional union branch on Google Workspace for Nonprofits.
    UnionBranch,
    /// A patient group with health data and nobody to run servers.
    PatientGroup,
    /// A party chapter on Microsoft 365 and Facebook groups.
    PartyChapter,
}

crate::all_values!(Example: UnionBranch, PatientGroup, PartyChapter);

impl Example {
    pub fn key(self) -> &'static str {
        match self {
            Example::UnionBranch => "union_branch",
            Example::PatientGroup => "patient_group",
            Example::PartyChapter => "party_chapter",
        }
    }
}

struct Shape {
    kind: OrganisationKind,
    members: u32,
    active: u32,
    country: &'static str,
    provider: CurrentProvider,
    capacity: TechnicalCapacity,
    special: &'static [SpecialCategory],
    tools: &'static [(&'static str, Reach, DataVolume)],
    needs: &'static [(&'static str, Priority, Option<&'static str>)],
}

fn shape(e: Example) -> Shape {
    use DataVolume::*;
    use Priority::*;
    use Reach::*;
    match e {
        Example::UnionBranch => Shape {
            kind: OrganisationKind::Union,
            members: 2400,
            active: 140,
            country: "NO",
            provider: CurrentProvider::GoogleNonprofit,
            capacity: TechnicalCapacity::OneVolunteer,
            special: &[SpecialCategory::TradeUnionMembership],
            tools: &[
                ("gmail", Everyone, Large),
                ("google_drive", Most, Medium),
                ("google_docs", Most, Small),
                ("google_meet", Most, Small),
                ("google_groups", Everyone, Small),
                ("membership_spreadsheet", AFew, Small),
            ],
            needs: &[
                ("email", Must, Some("mailu")),
                ("files", Must, Some("nextcloud")),
                ("calendar", Must, Some("nextcloud")),
                ("video_meetings", Must, Some("jitsi")),
                ("documents", Should, Some("collabora")),
                ("mailing_lists", Should, None),
                ("membership", Must, None),
            ],
        },
        Example::PatientGroup => Shape {
            kind: OrganisationKind::Association,
            members: 300,
            active: 25,
            country: "NO",
            provider: CurrentProvider::None,
            capacity: TechnicalCapacity::Nobody,
            special: &[SpecialCategory::Health],
            tools: &[
                ("whatsapp", Everyone, Small),
                ("zoom", Most, Small),
                ("google_forms", AFew, Small),
                ("membership_spreadsheet", AFew, Small),
            ],
            needs: &[
                ("team_chat", Must, None),
                ("video_meetings", Must, Some("jitsi")),
                ("membership", Must, None),
                ("forms", Should, None),
            ],
        },
        Example::PartyChapter => Shape {
            kind: OrganisationKind::Party,
            members: 800,
            active: 60,
            country: "DE",
            provider: CurrentProvider::Microsoft365,
            capacity: TechnicalCapacity::SeveralVolunteers,
            special: &[SpecialCategory::PoliticalOpinions],
            tools: &[
                ("outlook", Everyone, Large),
                ("teams", Most, Medium),
                ("sharepoint", AFew, Medium),
                ("facebook_groups", Most, Small),
            ],
            needs: &[
                ("email", Must, Some("mailu")),
                ("team_chat", Must, Some("zulip")),
                ("video_meetings", Should, Some("jitsi")),
                ("files", Should, Some("nextcloud")),
                ("forum", Should, Some("discourse")),
                ("decisions", Could, Some("loomio")),
                ("public_events", Could, None),
            ],
        },
    }
}

/// A new plan filled in as the example organisation, in `lang`.
pub fn build(e: Example, lang: Language) -> Plan {
    let key = e.key();
    let s = shape(e);
    let name = text(lang, &format!("example.{key}.name"), &[]);
    let mut plan = Plan::new(&name, lang).expect("example names are valid plan names");
    let o = &mut plan.organisation;
    o.kind = s.kind;
    o.members = Some(s.members);
    o.active_users = Some(s.active);
    o.countries = vec![s.country.to_owned()];
    o.jurisdiction = Some(s.country.to_owned());
    o.languages = vec![lang.code().to_owned()];
    o.current_provider = Some(s.provider);
    o.technical_capacity = Some(s.capacity);
    o.data_sensitivity = Some(DataSensitivity::SpecialCategories);
    o.special_categories = s.special.to_vec();
    o.trigger = text(lang, &format!("example.{key}.trigger"), &[]);
    plan.tools.tools = s
        .tools
        .iter()
        .map(|(tool, reach, volume)| ToolUse {
            tool: (*tool).to_owned(),
            reach: Some(*reach),
            data_volume: Some(*volume),
            ..Default::default()
        })
        .collect();
    for (need, priority, recipe) in s.needs {
        plan.needs.needs.push(NeedEntry {
            need: (*need).to_owned(),
            priority: *priority,
            notes: String::new(),
            who: String::new(),
            votes: 0,
        });
        let decision = match recipe {
            Some(r) => Decision::Recipe {
                name: (*r).to_owned(),
            },
            None => Decision::DecideLater,
        };
        plan.recipes.set(need, decision);
    }
    plan
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_example_is_a_valid_plan_in_every_language() {
        for lang in Language::ALL {
            for e in Example::ALL {
                let plan = build(e, lang);
                assert_eq!(plan.check(), Ok(()), "{e:?} in {lang:?}");
                assert!(
                    !plan.organisation.trigger.starts_with("example."),
                    "{e:?} {lang:?}"
                );
                assert!(!plan.name.starts_with("example."));
                assert!(!crate::exit::chosen_apps(&plan).is_empty());
            }
        }
        let patients = build(Example::PatientGroup, Language::En);
        assert_eq!(
            patients.organisation.technical_capacity,
            Some(TechnicalCapacity::Nobody)
        );
        assert_eq!(
            patients.organisation.special_categories,
            [SpecialCategory::Health]
        );
    }
}
