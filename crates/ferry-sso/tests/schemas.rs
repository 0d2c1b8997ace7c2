//! Every request Ferry sends to Keycloak and Authentik, checked against the providers'
//! published OpenAPI descriptions: the operation must exist (method and path template),
//! its path parameters and query names must be the published ones, and a JSON body must
//! validate against the operation's request schema, with no property the schema does
//! not list (the descriptions allow unknown fields; an unknown field is a sign that
//! Ferry speaks another version) and none that is read-only.
//!
//! The descriptions are trimmed extracts in tests/schemas/, made by
//! scripts/extract-idp-schemas from the `keycloak` crate (api/openapi.json) and the
//! `authentik-client` crate (schema.yml); each names its source and sha256.

mod common;
mod schema_check;

use std::collections::{BTreeMap, BTreeSet};

use common::{plan, provider_for};
use ferry_core::model::IdpKind;
use ferry_sso::apply::apply;
use ferry_sso::desired::{Desired, from_plan};
use ferry_sso::diff::{Change, Extras, diff, diff_with};
use ferry_sso::members::{import, parse_csv};
use ferry_sso::provider::Provider;
use ferry_sso::secrets::MemoryStore;
use ferry_sso::testing::{FakeIdp, KEYCLOAK_ADMIN, KEYCLOAK_PASSWORD};
use ferry_sso::verify::verify;
use schema_check::{Checked, Spec, finish, load};
use serde_json::{Value, json};

const PLAN_ID: &str = "plan-schemas";
const CSV: &str = "name,email,groups\n\
    Kari Nordmann,kari@example.org,board\n\
    Ola Hansen,ola@example.org,app-nextcloud\n\
    Åse Ødegård-Li,ase@example.org,board;app-outline\n";

// ---------------------------------------------------------------------------------
// The scenario.

fn find_update(changes: &[Change], recipe: &str) -> bool {
    changes
        .iter()
        .any(|c| matches!(c, Change::UpdateClient { client, .. } if client.recipe == recipe))
}

/// First apply, second apply, an update after a changed redirect, verify, and members
/// with invitations — what a union's admin does with Ferry.
async fn scenario(fake: &FakeIdp) {
    let kind = fake.kind;
    let plan = plan(kind, &fake.url);
    let desired = from_plan(&plan).unwrap();
    let pkce: BTreeMap<&str, Option<bool>> = desired
        .clients
        .iter()
        .map(|c| (c.recipe.as_str(), c.settings.pkce))
        .collect();
    assert_eq!(pkce["nextcloud"], Some(true), "an app with PKCE");
    assert_ne!(pkce["outline"], Some(true), "an app without PKCE");
    let provider = provider_for(fake, &plan);
    let store = MemoryStore::default();

    // First apply.
    let changes = diff(&desired, &provider.read(&desired).await.unwrap());
    assert!(!changes.is_empty());
    let report = apply(&provider, &desired, &changes, &store, PLAN_ID, &|_| {}).await;
    assert!(report.all_ok(), "{kind:?}: {report:?}");

    // Second apply: nothing to do.
    let again = diff(&desired, &provider.read(&desired).await.unwrap());
    let report = apply(&provider, &desired, &again, &store, PLAN_ID, &|_| {}).await;
    assert!(again.is_empty(), "{kind:?}: {again:?}");
    assert!(report.all_ok());

    // Nextcloud's redirect changes (say, pretty URLs switched off).
    let mut changed: Desired = desired.clone();
    let nc = changed
        .clients
        .iter_mut()
        .find(|c| c.recipe == "nextcloud")
        .unwrap();
    nc.settings.redirect_uris = BTreeSet::from([
        "https://nextcloud.fagforeningen.example/index.php/apps/user_oidc/code".to_owned(),
    ]);
    let update = diff(&changed, &provider.read(&changed).await.unwrap());
    assert!(find_update(&update, "nextcloud"), "{kind:?}: {update:?}");
    let report = apply(&provider, &changed, &update, &store, PLAN_ID, &|_| {}).await;
    assert!(report.all_ok(), "{kind:?}: {report:?}");

    let checks = verify(&provider, &changed, &store, PLAN_ID).await;
    assert_eq!(checks.len(), changed.clients.len());

    // Members, with invitations.
    let list = parse_csv(CSV, &changed.groups).unwrap();
    assert_eq!(list.members.len(), 3, "{:?}", list.problems);
    let dry = import(&provider, &list.members, &changed.clients, true).await;
    assert!(dry.iter().all(|o| o.error.is_none()), "{kind:?}: {dry:?}");
    let done = import(&provider, &list.members, &changed.clients, false).await;
    for o in &done {
        assert!(o.error.is_none(), "{kind:?}: {o:?}");
        assert!(o.invite.is_some(), "{kind:?}: {o:?}");
    }
    // And once more: found, nothing written.
    import(&provider, &list.members, &changed.clients, false).await;

    // A row whose user name someone else has: the dry run asks.
    let taken = parse_csv("name,email,groups\nPer,per@example.org,\n", &changed.groups).unwrap();
    fake.act(
        "add_user",
        json!({"username": "per@example.org", "email": "other@example.org", "name": "Other",
               "realm": changed.realm}),
    );
    let dry = import(&provider, &taken.members, &changed.clients, true).await;
    if kind != IdpKind::Rauthy {
        assert!(dry[0].error.is_some(), "{kind:?}: {dry:?}");
    }

    // Marks taken off, as an earlier Ferry left things: adopted, marked again.
    fake.act("strip_marks", json!({}));
    let adopt = diff(&changed, &provider.read(&changed).await.unwrap());
    assert!(
        adopt.iter().any(|c| matches!(c, Change::Adopt { .. })),
        "{kind:?}: {adopt:?}"
    );
    let report = apply(&provider, &changed, &adopt, &store, PLAN_ID, &|_| {}).await;
    assert!(report.all_ok(), "{kind:?}: {report:?}");

    // An app leaves the plan; its client is removed when asked, and a recovery flow set
    // up where there is none.
    let mut fewer = changed.clone();
    fewer.clients.retain(|c| c.recipe != "bookstack");
    let asked = Extras {
        remove_orphans: true,
        set_up_recovery: true,
    };
    let remove = diff_with(&fewer, &provider.read(&fewer).await.unwrap(), asked);
    assert!(
        remove
            .iter()
            .any(|c| matches!(c, Change::RemoveClient { .. })),
        "{kind:?}: {remove:?}"
    );
    let report = apply(&provider, &fewer, &remove, &store, PLAN_ID, &|_| {}).await;
    assert!(report.all_ok(), "{kind:?}: {report:?}");
}

/// Keycloak where an admin made the realm and an Outline client by hand (no groups
/// mapper, an extra redirect): Ferry brings the client up to date (PUT) and adds the
/// mapper. The hand-made requests are not Ferry's and are not checked.
async fn keycloak_with_hand_made_client() -> FakeIdp {
    let fake = FakeIdp::keycloak_with_smtp().await;
    let http = reqwest::Client::new();
    let token: Value = http
        .post(format!(
            "{}/realms/master/protocol/openid-connect/token",
            fake.url
        ))
        .form(&[
            ("grant_type", "password"),
            ("client_id", "admin-cli"),
            ("username", KEYCLOAK_ADMIN),
            ("password", KEYCLOAK_PASSWORD),
        ])
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    let token = token["access_token"].as_str().unwrap().to_owned();
    let desired = from_plan(&plan(IdpKind::Keycloak, &fake.url)).unwrap();
    for (path, body) in [
        (
            "/admin/realms".to_owned(),
            json!({"realm": desired.realm, "enabled": true}),
        ),
        (
            format!("/admin/realms/{}/clients", desired.realm),
            json!({
                "clientId": "outline",
                "name": "Outline (by hand)",
                "enabled": true,
                "protocol": "openid-connect",
                "publicClient": false,
                // Under the organisation's domain: an earlier Ferry's, to adopt.
                "redirectUris": ["https://outline.fagforeningen.example/old/oidc.callback"],
                "attributes": {"post.logout.redirect.uris": ""},
            }),
        ),
    ] {
        let resp = http
            .post(format!("{}{path}", fake.url))
            .bearer_auth(&token)
            .json(&body)
            .send()
            .await
            .unwrap();
        assert!(resp.status().is_success(), "{path}: {}", resp.status());
    }
    fake.clear_requests();
    fake
}

#[tokio::test]
async fn every_keycloak_request_keeps_the_published_admin_api() {
    let spec = load("keycloak.json");
    let fresh = FakeIdp::keycloak_with_smtp().await;
    scenario(&fresh).await;
    let adopted = keycloak_with_hand_made_client().await;
    let plan = plan(IdpKind::Keycloak, &adopted.url);
    let desired = from_plan(&plan).unwrap();
    let provider = provider_for(&adopted, &plan);
    let changes = diff(&desired, &provider.read(&desired).await.unwrap());
    assert!(find_update(&changes, "outline"), "{changes:?}");
    let report = apply(
        &provider,
        &desired,
        &changes,
        &MemoryStore::default(),
        "p",
        &|_| {},
    )
    .await;
    assert!(report.all_ok(), "{report:?}");

    let mut requests = fresh.requests();
    requests.extend(adopted.requests());
    finish(&spec, &requests);
}

#[tokio::test]
async fn every_authentik_2026_request_keeps_the_published_api() {
    // authentik.json is the newest authentik-client; the fake runs that version.
    let spec = load("authentik.json");
    let version = spec.version.clone();
    let fake = FakeIdp::authentik(&version).await;
    scenario(&fake).await;
    finish(&spec, &fake.requests());
}

#[tokio::test]
async fn every_authentik_2025_12_request_keeps_the_published_api() {
    let spec = load("authentik-2025.12.json");
    let version = spec.version.clone();
    assert!(version.starts_with("2025.12."), "{version}");
    let fake = FakeIdp::authentik(&version).await;
    scenario(&fake).await;
    finish(&spec, &fake.requests());
}

// ---------------------------------------------------------------------------------
// The check refuses what it should.

const UUID: &str = "6c1a1f3e-0000-4000-8000-000000000001";

fn authentik_provider(redirect_uris: Value) -> Value {
    json!({
        "name": "BookStack",
        "authorization_flow": UUID,
        "invalidation_flow": UUID,
        "client_type": "confidential",
        "client_id": "bookstack",
        "redirect_uris": redirect_uris,
        "property_mappings": [UUID],
        "signing_key": null,
        "sub_mode": "hashed_user_id",
        "include_claims_in_id_token": true,
    })
}

fn refused(spec: &Spec, method: &str, path: &str, body: Option<Value>, needle: &str) {
    match spec.check(method, path, body.as_ref()) {
        Ok(_) => panic!("{}: {method} {path} {body:?} was accepted", spec.name),
        Err(problems) => assert!(
            problems.iter().any(|p| p.contains(needle)),
            "{method} {path}: expected a problem mentioning {needle:?}, got {problems:#?}"
        ),
    }
}

fn accepted(spec: &Spec, method: &str, path: &str, body: Option<Value>) {
    if let Err(p) = spec.check(method, path, body.as_ref()) {
        panic!("{}: {method} {path} refused: {p:#?}", spec.name);
    }
}

#[test]
fn wrong_bodies_paths_and_fields_are_refused() {
    let ak = load("authentik-2025.12.json");
    let entry = json!([{"matching_mode": "strict", "url": "https://b.example/oidc/callback"}]);
    // The right body passes (with a nullable key set to null).
    accepted(
        &ak,
        "POST",
        "/api/v3/providers/oauth2/",
        Some(authentik_provider(entry.clone())),
    );
    accepted(
        &ak,
        "PATCH",
        "/api/v3/providers/oauth2/7/",
        Some(json!({"redirect_uris": entry})),
    );
    // Before 2024.10.3 redirect_uris was a newline-separated string; 2025.12 wants a list.
    refused(
        &ak,
        "POST",
        "/api/v3/providers/oauth2/",
        Some(authentik_provider(json!(
            "^https://b\\.example/oidc/callback$"
        ))),
        "/redirect_uris",
    );
    // 2026.5's redirect_uri_type is unknown to 2025.12 (its schema does not forbid it:
    // only the extra check finds it).
    refused(
        &ak,
        "POST",
        "/api/v3/providers/oauth2/",
        Some(authentik_provider(json!([{
            "matching_mode": "strict",
            "url": "https://b.example/oidc/callback",
            "redirect_uri_type": "authorization",
        }]))),
        "/redirect_uris/0/redirect_uri_type: property not in the schema",
    );
    // A required property missing, an enum value that does not exist, a bad uuid.
    let mut no_flow = authentik_provider(entry.clone());
    no_flow.as_object_mut().unwrap().remove("invalidation_flow");
    refused(
        &ak,
        "POST",
        "/api/v3/providers/oauth2/",
        Some(no_flow),
        "invalidation_flow",
    );
    let mut bad_mode = authentik_provider(entry.clone());
    bad_mode["sub_mode"] = json!("hashed");
    refused(
        &ak,
        "POST",
        "/api/v3/providers/oauth2/",
        Some(bad_mode),
        "/sub_mode",
    );
    let mut bad_uuid = authentik_provider(entry);
    bad_uuid["authorization_flow"] = json!("default-provider-authorization-implicit-consent");
    refused(
        &ak,
        "POST",
        "/api/v3/providers/oauth2/",
        Some(bad_uuid),
        "/authorization_flow",
    );
    // PUT exists upstream but is not what Ferry calls; no trailing slash is another path.
    refused(
        &ak,
        "PUT",
        "/api/v3/providers/oauth2/7/",
        Some(json!({})),
        "no such operation",
    );
    refused(
        &ak,
        "POST",
        "/api/v3/core/groups",
        Some(json!({"name": "x"})),
        "no such operation",
    );
    // Path parameters and query names are checked too.
    refused(
        &ak,
        "POST",
        "/api/v3/core/users/kari/recovery/",
        None,
        "{id}",
    );
    refused(
        &ak,
        "GET",
        "/api/v3/core/users/?mail=kari%40example.org",
        None,
        "\"mail\"",
    );
    // add_user wants an integer pk.
    refused(
        &ak,
        "POST",
        &format!("/api/v3/core/groups/{UUID}/add_user/"),
        Some(json!({"pk": "12"})),
        "/pk",
    );

    let kc = load("keycloak.json");
    let client = |redirects: Value| {
        json!({
            "clientId": "outline",
            "protocol": "openid-connect",
            "redirectUris": redirects,
            "attributes": {"pkce.code.challenge.method": "S256"},
        })
    };
    accepted(
        &kc,
        "POST",
        "/admin/realms/r/clients",
        Some(client(json!(["https://o.example/cb"]))),
    );
    refused(
        &kc,
        "POST",
        "/admin/realms/r/clients",
        Some(client(json!("https://o.example/cb"))),
        "/redirectUris",
    );
    // Attribute values are strings in Keycloak's representation.
    let mut bool_attr = client(json!(["https://o.example/cb"]));
    bool_attr["attributes"]["pkce.code.challenge.method"] = json!(true);
    refused(
        &kc,
        "POST",
        "/admin/realms/r/clients",
        Some(bool_attr),
        "/attributes",
    );
    let mut unknown = client(json!(["https://o.example/cb"]));
    unknown["redirectUri"] = json!("https://o.example/cb");
    refused(
        &kc,
        "POST",
        "/admin/realms/r/clients",
        Some(unknown),
        "/redirectUri: property not in the schema",
    );
    // A read-only property (Keycloak marks a resource's owner so) must not be sent.
    let mut owner = client(json!(["https://o.example/cb"]));
    owner["authorizationSettings"] = json!({"resources": [{"name": "r", "owner": {"id": "u"}}]});
    refused(
        &kc,
        "POST",
        "/admin/realms/r/clients",
        Some(owner),
        "/authorizationSettings/resources/0/owner: read-only property sent",
    );
    // The realm import is published as binary; the body is read as a RealmRepresentation.
    accepted(
        &kc,
        "POST",
        "/admin/realms",
        Some(json!({"realm": "r", "enabled": true})),
    );
    refused(
        &kc,
        "POST",
        "/admin/realms",
        Some(json!({"realm": "r", "enabled": "yes"})),
        "/enabled",
    );
    // A body where the operation takes none; the actions list must be strings.
    refused(
        &kc,
        "PUT",
        "/admin/realms/r/users/u/groups/g",
        Some(json!({})),
        "takes none",
    );
    refused(
        &kc,
        "PUT",
        "/admin/realms/r/users/u/execute-actions-email?lifespan=60",
        Some(json!([{"action": "UPDATE_PASSWORD"}])),
        "/0",
    );
    // Sign-in and discovery are not admin API: not judged here.
    assert!(matches!(
        kc.check("POST", "/realms/master/protocol/openid-connect/token", None),
        Ok(Checked::Outside)
    ));
}

#[test]
fn the_extracts_name_their_source() {
    for file in ["keycloak.json", "authentik.json", "authentik-2025.12.json"] {
        let path = format!("{}/tests/schemas/{file}", env!("CARGO_MANIFEST_DIR"));
        let doc: Value = serde_json::from_str(&std::fs::read_to_string(&path).unwrap()).unwrap();
        let s = &doc["source"];
        for key in ["crate", "version", "file", "sha256", "describes"] {
            assert!(s[key].is_string(), "{file}: source.{key}");
        }
        assert_eq!(s["sha256"].as_str().unwrap().len(), 64, "{file}");
        assert!(
            std::fs::metadata(&path).unwrap().len() < 300_000,
            "{file} is small"
        );
    }
}
