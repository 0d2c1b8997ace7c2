//! Prints, as JSON, what the engine answers to each command the UI calls on its
//! screens, for the three example organisations. The accessibility check
//! (`ui/a11y/check.mjs`) serves these answers to the web build in a browser, so the
//! screens it checks show real engine data, not hand-made stand-ins. Single sign-on
//! is planned, applied and verified against Rauthy's contract server on loopback.

use ferry_core::model::IdpKind;
use ferry_sso::apply::apply;
use ferry_sso::diff::diff;
use ferry_sso::provider::Provider;
use ferry_sso::session::SsoOutcome;
use serde_json::{Map, Value, json};

#[tokio::main]
async fn main() {
    let dir = tempfile::tempdir().expect("temp dir");
    let idp = ferry_sso::testing::FakeIdp::rauthy().await;
    let vault = ferry_sso::secrets::Vault::memory_only();
    let mut lib = ferry_core::Library::open_in(dir.path()).expect("library");
    for e in ferry_core::examples::Example::ALL {
        let mut plan = ferry_core::examples::build(e, ferry_core::Language::En);
        plan.organisation.consent_to_share = e != ferry_core::examples::Example::PartyChapter;
        plan.sso.idp = Some(IdpKind::Rauthy);
        plan.sso.url = idp.url.clone();
        if plan.deploy.base_domain.is_empty() {
            plan.deploy.base_domain = "example.org".into();
        }
        let plan = lib.import(plan).expect("import");
        vault
            .save_admin(&plan.id.to_string(), &idp.credentials())
            .expect("vault");
    }
    let catalogue = ferry_catalogue::Store::new(dir.path()).load();
    let taxonomy = ferry_core::needs::taxonomy();
    let summaries = lib.list(ferry_core::Shelf::Active, "").expect("list");

    let mut per_plan = Map::new();
    for s in &summaries {
        let plan = lib.get(s.id).expect("plan");
        let plan_id = plan.id.to_string();
        let (desired, provider) = ferry_sso::session::connect_for(&plan, &vault).expect("connect");
        let current = provider.read(&desired).await.expect("read");
        let changes = diff(&desired, &current);
        let report = apply(&provider, &desired, &changes, &vault, &plan_id, &|_| {}).await;
        let checks = ferry_sso::verify::verify(&provider, &desired, &vault, &plan_id).await;
        let outcome = SsoOutcome {
            report: Some(report),
            results: ferry_sso::verify::to_results(&checks),
            checks: checks.clone(),
        };
        let settings: Map<String, Value> = checks
            .iter()
            .filter_map(|c| {
                let client = desired
                    .clients
                    .iter()
                    .find(|d| d.client_id == c.client_id)?;
                let list = ferry_sso::settings::app_settings(
                    client,
                    &plan.organisation.name,
                    &c.issuer,
                    c.endpoints.as_ref(),
                    None,
                );
                Some((c.client_id.clone(), json!(list)))
            })
            .collect();
        per_plan.insert(
            plan_id,
            json!({
                "plan_get": plan,
                "plan_progress": ferry_core::progress::status(&plan),
                "plan_recommend": ferry_catalogue::recommend::recommend(&plan, &catalogue.recipes, taxonomy),
                "tools_proposed_needs": ferry_core::tools::proposed_needs(&plan),
                "exit_plan_gaps": ferry_core::exit::gaps(&plan),
                "exit_plan_defaults": ferry_core::exit::defaults(&plan),
                "exit_plan_suggest": ferry_core::exit::suggest(&plan),
                "deploy_preview": ferry_core::deploy::preview(&plan),
                "sso_overview": ferry_sso::session::overview(&plan, &vault),
                "sso_plan": changes,
                "sso_apply": outcome,
                "sso_verify": outcome,
                "sso_app_settings": settings,
            }),
        );
    }
    let out = json!({
        "settings_get": { "language": null },
        "plans_list": summaries,
        "needs_taxonomy": taxonomy,
        "tools_catalogue": ferry_core::tools::catalogue(),
        "catalogue_get": catalogue,
        "workshop_view": ferry_core::workshop::library_view(&lib).expect("view"),
        "coops_list": [],
        "per_plan": Value::Object(per_plan),
    });
    println!("{}", serde_json::to_string(&out).expect("json"));
}
