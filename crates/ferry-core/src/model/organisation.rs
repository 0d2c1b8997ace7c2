//! The organisation a plan is for.

use serde::{Deserialize, Serialize};
use ts_rs::TS;

use crate::validate::{FieldProblem, Problems, is_country_code, is_email, is_language_tag};

/// What kind of group this is; it shapes defaults and wording later in the flow.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize, TS)]
#[serde(rename_all = "snake_case")]
pub enum OrganisationKind {
    Union,
    Party,
    #[default]
    Association,
    Cooperative,
    Ngo,
    InformalCollective,
    Other,
}

crate::all_values!(OrganisationKind: Union, Party, Association, Cooperative, Ngo, InformalCollective, Other);

/// Who can look after the new tools.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize, Deserialize, TS)]
#[serde(rename_all = "snake_case")]
pub enum TechnicalCapacity {
    Nobody,
    OneVolunteer,
    SeveralVolunteers,
    PaidAdmin,
}

crate::all_values!(TechnicalCapacity: Nobody, OneVolunteer, SeveralVolunteers, PaidAdmin);

/// How sensitive the data the organisation keeps is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize, Deserialize, TS)]
#[serde(rename_all = "snake_case")]
pub enum DataSensitivity {
    /// Little personal data beyond names and e-mail addresses.
    Ordinary,
    /// Member lists, contact details, internal discussions.
    Personal,
    /// GDPR special categories: health, trade-union membership, political opinions.
    SpecialCategories,
}

crate::all_values!(DataSensitivity: Ordinary, Personal, SpecialCategories);

/// The suite the organisation is leaving; it decides how data can be exported.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "snake_case")]
pub enum CurrentProvider {
    GoogleWorkspace,
    /// Google Workspace for Nonprofits: same export tools, but the offer can be withdrawn.
    GoogleNonprofit,
    Microsoft365,
    Mixed,
    None,
}

crate::all_values!(CurrentProvider: GoogleWorkspace, GoogleNonprofit, Microsoft365, Mixed, None);

impl CurrentProvider {
    /// The product suites an organisation on `provider` is leaving (both for mixed;
    /// "other tools" when none is said).
    pub fn suites(provider: Option<CurrentProvider>) -> &'static [crate::tools::Suite] {
        use crate::tools::Suite;
        match provider {
            Some(CurrentProvider::GoogleWorkspace | CurrentProvider::GoogleNonprofit) => {
                &[Suite::Google]
            }
            Some(CurrentProvider::Microsoft365) => &[Suite::Microsoft],
            Some(CurrentProvider::Mixed) => &[Suite::Google, Suite::Microsoft],
            Some(CurrentProvider::None) | None => &[Suite::Other],
        }
    }
}

/// GDPR Art. 9 special categories the organisation's data reveals.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "snake_case")]
pub enum SpecialCategory {
    PoliticalOpinions,
    TradeUnionMembership,
    Health,
}

crate::all_values!(SpecialCategory: PoliticalOpinions, TradeUnionMembership, Health);

/// What the organisation can spend on its tools in a year, in euros.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize, Deserialize, TS)]
#[serde(rename_all = "snake_case")]
pub enum BudgetBand {
    Nothing,
    Under500,
    Under2000,
    Under10000,
    Over10000,
}

crate::all_values!(BudgetBand: Nothing, Under500, Under2000, Under10000, Over10000);

/// Who to talk to about the move.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize, TS)]
#[serde(default)]
pub struct Contact {
    pub name: String,
    pub email: String,
    pub phone: String,
}

#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize, TS)]
#[serde(default)]
pub struct Organisation {
    pub name: String,
    pub kind: OrganisationKind,
    /// Everyone on the member list.
    pub members: Option<u32>,
    /// People who actually log in to the tools.
    pub active_users: Option<u32>,
    /// ISO 3166-1 alpha-2, e.g. `NO`.
    pub countries: Vec<String>,
    /// ISO 639 language tags, e.g. `nb`.
    pub languages: Vec<String>,
    pub contact: Contact,
    /// `None` until someone answers.
    pub technical_capacity: Option<TechnicalCapacity>,
    pub data_sensitivity: Option<DataSensitivity>,
    pub current_provider: Option<CurrentProvider>,
    /// Country whose law governs the organisation (ISO 3166-1 alpha-2).
    pub jurisdiction: Option<String>,
    pub budget: Option<BudgetBand>,
    pub special_categories: Vec<SpecialCategory>,
    /// What made the group start, in its own words.
    pub trigger: String,
    /// When the move must be done by.
    pub deadline: Option<chrono::NaiveDate>,
    /// May be named in results shared after a workshop with other organisations.
    pub consent_to_share: bool,
}

pub const MAX_NAME: usize = 120;
pub const MAX_MEMBERS: u32 = 10_000_000;
/// Above this a count is possible but unusual for the groups Ferry is for: asked
/// about, not refused (a union may really have 600 000 members; a typo is likelier).
pub const UNUSUAL_COUNT: u32 = 50_000;

impl Organisation {
    /// What is possible but worth a second look (an unusually large count, a deadline
    /// already past): shown at the field as a question, never blocking a save.
    pub fn notices(&self, prefix: &str) -> Vec<FieldProblem> {
        let f = |name: &str| format!("{prefix}.{name}");
        let mut out = Vec::new();
        for (field, value) in [
            ("members", self.members),
            ("active_users", self.active_users),
        ] {
            if let Some(n) = value
                && n > UNUSUAL_COUNT
                && n <= MAX_MEMBERS
            {
                out.push(FieldProblem::new(f(field), "unusual_count").with_value(n.to_string()));
            }
        }
        if let Some(d) = self.deadline
            && d < chrono::Utc::now().date_naive()
        {
            out.push(FieldProblem::new(f("deadline"), "date_past").with_value(d.to_string()));
        }
        out
    }

    /// Every problem with this profile, each naming its field under `prefix`.
    pub fn check(&self, prefix: &str, out: &mut Problems) {
        let f = |name: &str| format!("{prefix}.{name}");
        out.text(&f("name"), &self.name, false, MAX_NAME);

        for (field, value) in [
            ("members", self.members),
            ("active_users", self.active_users),
        ] {
            if value.is_some_and(|n| n > MAX_MEMBERS) {
                out.push(
                    FieldProblem::new(f(field), "too_large").with_value(MAX_MEMBERS.to_string()),
                );
            }
        }
        if let (Some(members), Some(active)) = (self.members, self.active_users)
            && active > members
        {
            out.push(FieldProblem::new(f("active_users"), "more_than_members"));
        }

        check_codes(
            &f("countries"),
            &self.countries,
            is_country_code,
            "unknown_country",
            out,
        );
        check_codes(
            &f("languages"),
            &self.languages,
            is_language_tag,
            "unknown_language",
            out,
        );

        if let Some(j) = &self.jurisdiction
            && !is_country_code(j)
        {
            out.push(FieldProblem::new(f("jurisdiction"), "unknown_country").with_value(j.clone()));
        }
        for (i, c) in self.special_categories.iter().enumerate() {
            if self.special_categories[..i].contains(c) {
                out.push(FieldProblem::new(
                    format!("{prefix}.special_categories.{i}"),
                    "duplicate",
                ));
            }
        }
        out.text(&f("trigger"), &self.trigger, false, 2000);

        out.text(&f("contact.name"), &self.contact.name, false, MAX_NAME);
        let email = self.contact.email.trim();
        if !email.is_empty() && !is_email(email) {
            out.push(FieldProblem::new(f("contact.email"), "email_invalid").with_value(email));
        }
        let phone = self.contact.phone.trim();
        if !phone.is_empty()
            && (phone.len() > 32
                || !phone
                    .chars()
                    .all(|c| c.is_ascii_digit() || " +-().".contains(c)))
        {
            out.push(FieldProblem::new(f("contact.phone"), "phone_invalid").with_value(phone));
        }
    }
}

fn check_codes(
    field: &str,
    codes: &[String],
    valid: fn(&str) -> bool,
    code: &str,
    out: &mut Problems,
) {
    for (i, c) in codes.iter().enumerate() {
        if !valid(c) {
            out.push(FieldProblem::new(format!("{field}.{i}"), code).with_value(c.clone()));
        } else if codes[..i].contains(c) {
            out.push(FieldProblem::new(format!("{field}.{i}"), "duplicate").with_value(c.clone()));
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn problems(o: &Organisation) -> Vec<(String, String)> {
        let mut p = Problems::default();
        o.check("organisation", &mut p);
        p.into_result()
            .err()
            .unwrap_or_default()
            .into_iter()
            .map(|p| (p.field, p.code))
            .collect()
    }

    #[test]
    fn a_filled_profile_has_no_problems() {
        let o = Organisation {
            name: "Fagforbundet Bergen".into(),
            kind: OrganisationKind::Union,
            members: Some(2000),
            active_users: Some(120),
            countries: vec!["NO".into()],
            languages: vec!["nb".into(), "en".into()],
            contact: Contact {
                name: "Kari".into(),
                email: "kari@example.no".into(),
                phone: "+47 22 33 44 55".into(),
            },
            technical_capacity: Some(TechnicalCapacity::OneVolunteer),
            data_sensitivity: Some(DataSensitivity::SpecialCategories),
            current_provider: Some(CurrentProvider::GoogleNonprofit),
            jurisdiction: Some("NO".into()),
            budget: Some(BudgetBand::Under2000),
            special_categories: vec![SpecialCategory::TradeUnionMembership],
            trigger: "Google may end the non-profit discount.".into(),
            deadline: chrono::NaiveDate::from_ymd_opt(2027, 6, 30),
            consent_to_share: true,
        };
        assert_eq!(problems(&o), []);
    }

    #[test]
    fn each_problem_names_its_field() {
        let o = Organisation {
            name: "x".repeat(MAX_NAME + 1),
            members: Some(10),
            active_users: Some(11),
            countries: vec!["NO".into(), "Norway".into(), "NO".into()],
            languages: vec!["Norsk".into()],
            contact: Contact {
                email: "kari at example".into(),
                phone: "call me".into(),
                ..Default::default()
            },
            ..Default::default()
        };
        let got = problems(&o);
        let want = [
            ("organisation.name", "too_long"),
            ("organisation.active_users", "more_than_members"),
            ("organisation.countries.1", "unknown_country"),
            ("organisation.countries.2", "duplicate"),
            ("organisation.languages.0", "unknown_language"),
            ("organisation.contact.email", "email_invalid"),
            ("organisation.contact.phone", "phone_invalid"),
        ];
        let want: Vec<_> = want
            .iter()
            .map(|(a, b)| (a.to_string(), b.to_string()))
            .collect();
        assert_eq!(got, want);
    }
}
