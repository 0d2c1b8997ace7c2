//! Prints, as JSON, what the engine answers to each command the UI calls on its
//! first screens, for the three example organisations. The accessibility check
//! (`ui/a11y/check.mjs`) serves these answers to the web build in a browser, so the
//! screens it checks show real engine data, not hand-made stand-ins.

use serde_json::{Map, Value, json};

fn main() {
    let dir = tempfile::tempdir().expect("temp dir");
    let mut lib = ferry_core::Library::open_in(dir.path()).expect("library");
    for e in ferry_core::examples::Example::ALL {
        let mut plan = ferry_core::examples::build(e, ferry_core::Language::En);
        plan.organisation.consent_to_share = e != ferry_core::examples::Example::PartyChapter;
        lib.import(plan).expect("import");
    }
    let catalogue = ferry_catalogue::Store::new(dir.path()).load();
    let taxonomy = ferry_core::needs::taxonomy();
    let summaries = lib.list(ferry_core::Shelf::Active, "").expect("list");
    let vault = ferry_sso::secrets::Vault::memory_only();

    let mut per_plan = Map::new();
    for s in &summaries {
        let plan = lib.get(s.id).expect("plan");
        per_plan.insert(
            s.id.to_string(),
            json!({
                "plan_get": plan,
                "plan_recommend": ferry_catalogue::recommend::recommend(&plan, &catalogue.recipes, taxonomy),
                "tools_proposed_needs": ferry_core::tools::proposed_needs(&plan),
                "exit_plan_gaps": ferry_core::exit::gaps(&plan),
                "exit_plan_defaults": ferry_core::exit::defaults(&plan),
                "exit_plan_suggest": ferry_core::exit::suggest(&plan),
                "deploy_preview": ferry_core::deploy::preview(&plan),
                "sso_overview": ferry_sso::session::overview(&plan, &vault),
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
