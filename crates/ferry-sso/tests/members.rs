//! Members from CSV to users with invitations, on each provider's contract server.

mod common;

use common::{fake, plan, provider_for};
use ferry_core::model::IdpKind;
use ferry_sso::apply::apply;
use ferry_sso::desired::from_plan;
use ferry_sso::diff::diff;
use ferry_sso::members::{import, parse_csv};
use ferry_sso::provider::{Invite, Provider};
use ferry_sso::secrets::MemoryStore;
use ferry_sso::testing::FakeIdp;

const CSV: &str = "name,email,groups\n\
    Kari Nordmann,kari@example.org,board\n\
    Ola Hansen,ola@example.org,app-nextcloud\n\
    Broken Row,not-an-address,\n";

#[tokio::test]
async fn members_are_created_once_put_in_groups_and_invited() {
    for kind in IdpKind::ALL {
        let fake = if kind == IdpKind::Keycloak {
            FakeIdp::keycloak_with_smtp().await
        } else {
            fake(kind).await
        };
        let plan = plan(kind, &fake.url);
        let desired = from_plan(&plan).unwrap();
        let provider = provider_for(&fake, &plan);
        let store = MemoryStore::default();
        let changes = diff(&desired, &provider.read(&desired).await.unwrap());
        apply(&provider, &desired, &changes, &store, "p", &|_| {}).await;

        let list = parse_csv(CSV, &desired.groups).unwrap();
        assert_eq!(list.members.len(), 2);
        assert_eq!(list.problems.len(), 1);

        let writes = fake.writes();
        let dry = import(&provider, &list.members, &desired.clients, true).await;
        assert_eq!(fake.writes(), writes, "{kind:?}: a dry run only reads");
        assert!(
            dry.iter().all(|o| o.created && o.error.is_none()),
            "{kind:?}: {dry:?}"
        );
        // Kari's row names no app group: every app's, so she is not locked out.
        let expected: Vec<&str> = [
            "members",
            "board",
            "app-nextcloud",
            "app-outline",
            "app-bookstack",
        ]
        .iter()
        .map(|g| desired.group_name(g).unwrap())
        .collect();
        assert_eq!(dry[0].added_to, expected);

        let done = import(&provider, &list.members, &desired.clients, false).await;
        for o in &done {
            assert!(o.error.is_none(), "{kind:?}: {o:?}");
            assert!(o.created);
        }
        let invite = done[0].invite.clone().unwrap();
        match kind {
            // Keycloak says when it has no mail server (500): a success is an e-mail.
            IdpKind::Keycloak => assert_eq!(invite, Invite::EmailSent),
            // Rauthy answers the same with or without one.
            IdpKind::Rauthy => assert_eq!(invite, Invite::EmailRequested),
            // A fresh Authentik has no recovery flow to make a link with.
            IdpKind::Authentik => assert!(matches!(invite, Invite::NotPossible { .. })),
        }
        let kari = provider
            .find_user("kari@example.org")
            .await
            .unwrap()
            .unwrap();
        let mut groups = kari.groups.clone();
        groups.sort();
        let mut expected = expected.clone();
        expected.sort();
        assert_eq!(groups, expected, "{kind:?}");

        let writes = fake.writes();
        let again = import(&provider, &list.members, &desired.clients, false).await;
        assert_eq!(fake.writes(), writes, "{kind:?}: a re-run writes nothing");
        assert!(
            again
                .iter()
                .all(|o| !o.created && o.added_to.is_empty() && o.invite.is_none())
        );
    }
}

#[tokio::test]
async fn keycloak_without_mail_says_invitations_cannot_be_sent() {
    let fake = FakeIdp::keycloak().await;
    let plan = plan(IdpKind::Keycloak, &fake.url);
    let desired = from_plan(&plan).unwrap();
    let provider = provider_for(&fake, &plan);
    let changes = diff(&desired, &provider.read(&desired).await.unwrap());
    apply(
        &provider,
        &desired,
        &changes,
        &MemoryStore::default(),
        "p",
        &|_| {},
    )
    .await;
    let list = parse_csv(CSV, &desired.groups).unwrap();
    let done = import(&provider, &list.members[..1], &desired.clients, false).await;
    assert_eq!(
        done[0].invite,
        Some(Invite::NotPossible {
            reason: "no_smtp".into()
        })
    );
    // Keycloak's 500 here is an answer, not a hiccup: asked once, not retried.
    let asked = fake
        .requests()
        .iter()
        .filter(|r| r.path.contains("execute-actions-email"))
        .count();
    assert_eq!(asked, 1);
}
