//! What personal data a plan holds, so that a plan file written for someone else says
//! so plainly. (The exit-plan document and the workshop views hold none of the member
//! list: they show counts.)

use serde::Serialize;
use ts_rs::TS;

use crate::model::Plan;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, TS)]
#[serde(rename_all = "snake_case")]
pub enum PersonalData {
    /// The organisation's contact person: name, e-mail or phone.
    Contact,
    /// People named in the exit plan: who holds the keys, who ran a restore drill.
    Roles,
    /// The member list for single sign-on: names and e-mail addresses.
    MemberList,
}

/// The kinds of personal data in `plan`, in a fixed order; empty when there is none.
pub fn personal_data(plan: &Plan) -> Vec<PersonalData> {
    let mut out = Vec::new();
    let c = &plan.organisation.contact;
    if [&c.name, &c.email, &c.phone]
        .iter()
        .any(|s| !s.trim().is_empty())
    {
        out.push(PersonalData::Contact);
    }
    let e = &plan.exit_plan;
    if e.credential_holders
        .iter()
        .any(|h| !h.name.trim().is_empty())
        || e.restore_drills.iter().any(|d| !d.who.trim().is_empty())
    {
        out.push(PersonalData::Roles);
    }
    if plan.sso.members_list.lines().any(|l| l.contains('@')) {
        out.push(PersonalData::MemberList);
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::Language;

    #[test]
    fn each_kind_is_named_only_when_it_is_there() {
        let mut plan = Plan::new("Lag", Language::Nb).unwrap();
        assert!(personal_data(&plan).is_empty());
        plan.sso.members_list = "name,email,groups\n".into();
        assert!(personal_data(&plan).is_empty(), "a header names nobody");
        plan.sso
            .members_list
            .push_str("Kari,kari@lag.example,members\n");
        plan.organisation.contact.phone = "+47 400 00 000".into();
        assert_eq!(
            personal_data(&plan),
            [PersonalData::Contact, PersonalData::MemberList]
        );
    }
}
