//! Scenarios about the people: a new member gets in through what Ferry hands them,
//! names keep every character the provider takes (and a changed one is told), and a
//! dry run says what the real run would refuse.

use ferry_core::model::IdpKind;
use ferry_sso::diff::{Change, Extras};
use ferry_sso::members::{import, parse_csv};
use ferry_sso::names::RenameKind;
use ferry_sso::provider::Invite;
use ferry_sso::secrets::MemoryStore;

use super::{Org, Target, apply_with, check, preview};

/// A password a provider's password policy takes (Authentik's zxcvbn, Rauthy's rules).
pub const PASSWORD: &str = "Ferry-Conformance-Pass-2026-long!";

/// A new member follows what Ferry hands them (Authentik: a link from the recovery flow
/// Ferry set up on request; Rauthy and Keycloak: the e-mailed link), sets a password and
/// signs in to one app's client with code and PKCE.
pub async fn member_link_sign_in(t: &Target) -> Result<(), String> {
    let before = preview(t, Extras::default()).await;
    match t.kind {
        IdpKind::Authentik => check(before.recovery_missing, || {
            "a fresh Authentik has no recovery flow; the preview did not say so".into()
        })?,
        // They invite by e-mail: no recovery flow to miss or to set up.
        IdpKind::Keycloak | IdpKind::Rauthy => check(!before.recovery_missing, || {
            format!("{:?} was said to miss a recovery flow", t.kind)
        })?,
    }
    let asked = Extras {
        set_up_recovery: true,
        ..Extras::default()
    };
    let shown = preview(t, asked).await;
    check(
        shown.changes.contains(&Change::SetUpRecovery) == before.recovery_missing,
        || {
            format!(
                "the recovery flow is not in the preview: {:?}",
                shown.changes
            )
        },
    )?;
    let store = MemoryStore::default();
    let (_, report) = apply_with(t, &store, asked).await;
    check(report.all_ok(), || format!("apply failed: {report:?}"))?;
    check(
        !preview(t, Extras::default()).await.recovery_missing,
        || "still no recovery flow after setting it up".into(),
    )?;
    t.admin.mail_server(t).await?;
    let desired = t.desired();
    let email = "mari.member@barn-og-unge.example";
    let list = parse_csv(
        &format!("name,email,groups\nMari Member,{email},app-nextcloud\n"),
        &desired.groups,
    )
    .map_err(|e| e.to_string())?;
    let done = import(&t.provider(), &list.members, &desired.clients, false).await;
    check(done[0].error.is_none(), || format!("{:?}", done[0]))?;
    let link = match &done[0].invite {
        Some(Invite::Link { url }) => url.clone(),
        Some(Invite::EmailSent | Invite::EmailRequested) => {
            t.admin
                .mailbox_link(t, email)
                .await?
                .ok_or("no e-mail with a link arrived")?
        }
        other => return Err(format!("no way in was handed over: {other:?}")),
    };
    t.admin.follow_link(t, &link, email, PASSWORD).await?;
    let nextcloud = t.client_id("nextcloud");
    let secret = ferry_sso::secrets::SecretStore::get(
        &store,
        &ferry_sso::secrets::client_secret_key(&t.plan_id(), &nextcloud),
    )
    .map_err(|e| e.to_string())?
    .ok_or("no client secret kept")?;
    let signed_in = t
        .admin
        .sign_in_code(t, email, PASSWORD, &nextcloud, &secret)
        .await?;
    check(signed_in, || {
        "the member could not sign in to Nextcloud".into()
    })
}

/// An organisation named in Japanese keeps its name where the provider takes it, and
/// members whose names the provider cannot keep as they are (Arabic letters on Rauthy,
/// a name past its length) are told the name it keeps instead.
pub async fn names_kept(t: &Target) -> Result<(), String> {
    let jp = t.for_org(Org::new("東京ユニオン", "tokyo-union.example"));
    let desired = jp.desired();
    check(desired.renamed.is_empty(), || {
        format!("the name was changed: {:?}", desired.renamed)
    })?;
    check(
        !desired.short.is_empty() && desired.short != "ferry",
        || format!("short name {}", desired.short),
    )?;
    let store = MemoryStore::default();
    let (_, report) = apply_with(&jp, &store, Extras::default()).await;
    check(report.all_ok(), || format!("apply failed: {report:?}"))?;
    let id = jp.client_id("nextcloud");
    let name = jp.admin.client_name(&jp, &id).await?;
    check(name.contains("東京ユニオン"), || {
        format!("the client is called {name:?}")
    })?;
    let long = "Anna-Katharina Wilhelmina Maximiliane von Hohenberg-Rosenthal";
    let list = parse_csv(
        &format!(
            "name,email,groups\nمحمد علي,mohammed@tokyo-union.example,\n{long},anna@tokyo-union.example,\n"
        ),
        &desired.groups,
    )
    .map_err(|e| e.to_string())?;
    let done = import(&jp.provider(), &list.members, &desired.clients, false).await;
    for o in &done {
        check(o.error.is_none(), || format!("{o:?}"))?;
        if let Some(r) = &o.renamed {
            check(
                r.what == RenameKind::Member && !r.after.trim().is_empty() && r.after != "Member",
                || format!("not told usefully: {r:?}"),
            )?;
        }
    }
    match t.kind {
        IdpKind::Rauthy => check(done.iter().all(|o| o.renamed.is_some()), || {
            format!("Rauthy changes both names, and nobody was told: {done:?}")
        }),
        // Both keep either name as it is.
        IdpKind::Authentik | IdpKind::Keycloak => {
            check(done.iter().all(|o| o.renamed.is_none()), || {
                format!(
                    "{:?} keeps the names, yet a change was told: {done:?}",
                    t.kind
                )
            })
        }
    }
}

/// Someone else has the user name Ferry would give a member (their address) with
/// another address: the dry run says the row would fail, as the real run then does.
pub async fn dry_run_tells_refusal(t: &Target) -> Result<(), String> {
    let store = MemoryStore::default();
    let (_, report) = apply_with(t, &store, Extras::default()).await;
    check(report.all_ok(), || format!("apply failed: {report:?}"))?;
    let email = "per.dry@barn-og-unge.example";
    let took = t
        .admin
        .add_user_named(t, email, "someone.else@elsewhere.example")
        .await?;
    let desired = t.desired();
    let list = parse_csv(
        &format!("name,email,groups\nPer Dry,{email},\n"),
        &desired.groups,
    )
    .map_err(|e| e.to_string())?;
    let dry = import(&t.provider(), &list.members, &desired.clients, true).await;
    let real = import(&t.provider(), &list.members, &desired.clients, false).await;
    check(dry[0].failed() == real[0].failed(), || {
        format!("the dry run said {:?}, the real run {:?}", dry[0], real[0])
    })?;
    check(!took || real[0].failed(), || {
        format!("a taken user name went through: {:?}", real[0])
    })
}
