//! Scenarios for a sign-in service many organisations share (a hosting co-op's):
//! each organisation's objects stay its own, an earlier Ferry's objects are adopted
//! rather than left behind or doubled, and clients of apps no longer planned are named
//! and removed only when asked.

use ferry_sso::diff::{Change, Extras};
use ferry_sso::secrets::MemoryStore;

use super::{Org, Target, all_work, apply_once, apply_with, check, preview, verify_all};

/// The second organisation: the same apps, the same provider, another domain.
pub fn second_org() -> Org {
    Org::new("Fagforeningen Øst", "ost-lag.example")
}

/// Adds one member with the app groups of every app.
async fn add_member(t: &Target, name: &str, email: &str) -> Result<(), String> {
    let desired = t.desired();
    let list = ferry_sso::members::parse_csv(
        &format!("name,email,groups\n{name},{email},\n"),
        &desired.groups,
    )
    .map_err(|e| e.to_string())?;
    let done =
        ferry_sso::members::import(&t.provider(), &list.members, &desired.clients, false).await;
    check(done[0].error.is_none(), || format!("{:?}", done[0]))
}

/// Two organisations with the same apps on one provider: the second's plan touches
/// nothing of the first's, both work, and each member reaches only its own
/// organisation's apps.
pub async fn two_organisations(t: &Target) -> Result<(), String> {
    let a = t;
    let b = t.for_org(second_org());
    let (store_a, store_b) = (MemoryStore::default(), MemoryStore::default());
    let (_, report) = apply_once(a, &store_a).await;
    check(report.all_ok(), || format!("A's apply failed: {report:?}"))?;
    let ids_a: Vec<String> = a
        .desired()
        .clients
        .into_iter()
        .map(|c| c.client_id)
        .collect();
    let groups_a: Vec<String> = a.desired().groups.into_iter().map(|g| g.name).collect();
    let shown = preview(&b, Extras::default()).await;
    let touches_a: Vec<&Change> = shown
        .changes
        .iter()
        .filter(|c| match c {
            Change::UpdateClient { client, .. } => ids_a.contains(&client.client_id),
            Change::Adopt { name, .. } => ids_a.contains(name) || groups_a.contains(name),
            _ => false,
        })
        .collect();
    check(touches_a.is_empty(), || {
        format!("B's plan would change A's objects: {touches_a:?}")
    })?;
    check(shown.conflicts.is_empty(), || {
        format!("B's names clash with A's: {:?}", shown.conflicts)
    })?;
    let creates = shown
        .changes
        .iter()
        .filter(|c| matches!(c, Change::CreateClient { .. }))
        .count();
    check(creates == 3, || {
        format!(
            "B gets {creates} clients of its own, not 3: {:?}",
            shown.changes
        )
    })?;
    let (_, report) = apply_once(&b, &store_b).await;
    check(report.all_ok(), || format!("B's apply failed: {report:?}"))?;
    all_work(&verify_all(a, &store_a).await)?;
    all_work(&verify_all(&b, &store_b).await)?;
    add_member(a, "Ada Andersen", "ada@barn-og-unge.example").await?;
    add_member(&b, "Bo Berg", "bo@ost-lag.example").await?;
    let enforced = a.desired().clients.iter().all(|c| c.access_enforced);
    for (who, own, other) in [
        ("ada@barn-og-unge.example", a, &b),
        ("bo@ost-lag.example", &b, a),
    ] {
        let mine = own
            .admin
            .can_sign_in(own, who, &own.client_id("nextcloud"))
            .await?;
        check(mine, || format!("{who} may not use their own Nextcloud"))?;
        if enforced || own.kind == ferry_core::model::IdpKind::Keycloak {
            // Keycloak: another realm altogether; the others: another group.
            let theirs = other
                .admin
                .can_sign_in(other, who, &other.client_id("nextcloud"))
                .await?;
            check(!theirs, || {
                format!("{who} may use the other organisation's Nextcloud")
            })?;
        }
    }
    Ok(())
}

/// Objects an earlier Ferry made (no marks, bare names) are recognised by their return
/// addresses and adopted with a preview: nothing doubled, nothing left behind, and a
/// second apply plans nothing.
pub async fn earlier_ferry_adopted(t: &Target) -> Result<(), String> {
    let mut org = t.org.clone();
    org.earlier = true;
    let old = t.for_org(org);
    let store = MemoryStore::default();
    let (_, report) = apply_once(&old, &store).await;
    check(report.all_ok(), || format!("setting up failed: {report:?}"))?;
    // What an earlier Ferry left: the same objects without marks.
    old.admin.strip_marks(&old).await?;
    let shown = preview(&old, Extras::default()).await;
    let adopted: Vec<&str> = shown
        .changes
        .iter()
        .filter_map(|c| match c {
            Change::Adopt { name, .. } => Some(name.as_str()),
            _ => None,
        })
        .collect();
    let made = shown
        .changes
        .iter()
        .filter(|c| matches!(c, Change::CreateClient { .. } | Change::CreateGroup { .. }))
        .count();
    check(made == 0, || {
        format!(
            "an earlier Ferry's objects would be doubled: {:?}",
            shown.changes
        )
    })?;
    check(!adopted.is_empty() && shown.conflicts.is_empty(), || {
        format!(
            "not adopted: {:?}, conflicts {:?}",
            shown.changes, shown.conflicts
        )
    })?;
    let shared = old.kind != ferry_core::model::IdpKind::Keycloak;
    if shared {
        for c in old.desired().clients {
            check(adopted.contains(&c.client_id.as_str()), || {
                format!("client {} not adopted: {adopted:?}", c.client_id)
            })?;
        }
    } else {
        check(adopted == [old.desired().realm.as_str()], || {
            format!("the realm is not adopted: {adopted:?}")
        })?;
    }
    let (_, report) = apply_once(&old, &store).await;
    check(report.all_ok(), || format!("adopting failed: {report:?}"))?;
    all_work(&verify_all(&old, &store).await)?;
    let (again, _) = apply_once(&old, &store).await;
    check(again.is_empty(), || format!("after adopting: {again:?}"))
}

/// A client this organisation made for an app it then dropped is named in the plan and
/// in verify, stays until removing it is asked for, and removing deletes only that one.
pub async fn orphans_named(t: &Target) -> Result<(), String> {
    let store = MemoryStore::default();
    let (_, report) = apply_once(t, &store).await;
    check(report.all_ok(), || format!("apply failed: {report:?}"))?;
    let other = t.for_org(second_org());
    let (_, report) = apply_once(&other, &MemoryStore::default()).await;
    check(report.all_ok(), || {
        format!("the other's apply failed: {report:?}")
    })?;
    let outline = t.client_id("outline");
    let mut org = t.org.clone();
    org.apps.retain(|(_, r)| r != "outline");
    let fewer = t.for_org(org);
    let shown = preview(&fewer, Extras::default()).await;
    check(
        shown
            .orphans
            .iter()
            .map(|o| o.client_id.as_str())
            .eq([outline.as_str()]),
        || format!("the dropped app's client is not named: {:?}", shown.orphans),
    )?;
    check(
        !shown
            .changes
            .iter()
            .any(|c| matches!(c, Change::RemoveClient { .. })),
        || "removal planned without being asked".into(),
    )?;
    let checked = ferry_sso::verify::verify_all(
        &fewer.provider(),
        &fewer.desired(),
        &store,
        &fewer.plan_id(),
    )
    .await;
    check(checked.orphans.len() == 1, || {
        format!("verify does not name it: {:?}", checked.orphans)
    })?;
    let asked = Extras {
        remove_orphans: true,
        ..Extras::default()
    };
    let (changes, report) = apply_with(&fewer, &store, asked).await;
    check(report.all_ok(), || format!("removing failed: {report:?}"))?;
    check(
        changes
            .iter()
            .filter(|c| matches!(c, Change::RemoveClient { .. }))
            .count()
            == 1,
        || format!("removed more than the orphan: {changes:?}"),
    )?;
    check(!t.admin.has_client(t, &outline).await?, || {
        format!("{outline} is still there")
    })?;
    let theirs = other.client_id("outline");
    check(other.admin.has_client(&other, &theirs).await?, || {
        format!("the other organisation's {theirs} was removed")
    })?;
    match t.kind {
        // Its sign-in flow goes with it.
        ferry_core::model::IdpKind::Keycloak => check(
            t.admin
                .flow_description(t, &super::flows::app_flow(&outline))
                .await?
                .is_none(),
            || format!("the flow of {outline} stayed behind"),
        )?,
        // Who may sign in is kept on the application or client itself.
        ferry_core::model::IdpKind::Authentik | ferry_core::model::IdpKind::Rauthy => {}
    }
    all_work(&verify_all(&fewer, &store).await)
}
