//! The recommender over a catalogue as large as the real one (≈200 recipes) and a
//! plan with 40 needs. Target: median under 5 ms. Run with `cargo bench -p ferry-catalogue`.

use std::hint::black_box;

use criterion::{Criterion, criterion_group, criterion_main};
use ferry_catalogue::recipe::parse_catalogue;
use ferry_catalogue::recommend::{Profile, recommend_needs};
use ferry_core::model::{DataSensitivity, NeedEntry, Priority, TechnicalCapacity};
use ferry_core::needs::{Candidate, ExportFacts, Fit, NeedDef, NeedGroup, Replaces, Taxonomy};
use serde_json::{Map, Value, json};

const RECIPES: usize = 200;
const NEEDS: usize = 40;

fn catalogue() -> ferry_catalogue::Recipes {
    let mut map = Map::new();
    for i in 0..RECIPES {
        let sso = ["0", "1", "2", "3", "Yes", "No", "?", ""][i % 8];
        let backups = ["Yes", "No", "?"][i % 3];
        let features = json!({
            "status": i % 6, "sso": sso, "backups": backups,
            "email": "2", "tests": "1", "healthcheck": "Yes"
        });
        map.insert(
            format!("recipe-{i}"),
            json!({"description": "An app", "features": features}),
        );
    }
    parse_catalogue(&Value::Object(map).to_string())
        .unwrap()
        .recipes
}

fn taxonomy() -> Taxonomy {
    let needs = (0..NEEDS)
        .map(|n| NeedDef {
            id: format!("need_{n}"),
            group: NeedGroup::Organising,
            replaces: Replaces {
                google: vec![],
                microsoft: vec![],
                other: vec![],
            },
            export: ExportFacts {
                google: "google_takeout".into(),
                microsoft: "ms_purview".into(),
                other: "manual_export".into(),
                formats: "CSV".into(),
            },
            // Six candidates per need, overlapping between needs like real ones do.
            candidates: (0..6)
                .map(|k| Candidate {
                    recipe: format!("recipe-{}", (n * 5 + k * 7) % RECIPES),
                    fit: if k < 4 { Fit::Full } else { Fit::Partial },
                })
                .collect(),
            friction: vec![],
        })
        .collect();
    Taxonomy { version: 1, needs }
}

fn bench(c: &mut Criterion) {
    let recipes = catalogue();
    let taxonomy = taxonomy();
    let priorities = [Priority::Must, Priority::Should, Priority::Could];
    let needs: Vec<NeedEntry> = (0..NEEDS)
        .map(|n| NeedEntry {
            need: format!("need_{n}"),
            priority: priorities[n % 3],
            notes: String::new(),
            who: String::new(),
            votes: 0,
        })
        .collect();
    let profile = Profile {
        people: Some(2000),
        capacity: Some(TechnicalCapacity::OneVolunteer),
        sensitivity: Some(DataSensitivity::SpecialCategories),
    };
    c.bench_function("recommend 200 recipes x 40 needs", |b| {
        b.iter(|| {
            recommend_needs(
                black_box(&needs),
                profile,
                black_box(&recipes),
                black_box(&taxonomy),
            )
        })
    });
}

criterion_group!(benches, bench);
criterion_main!(benches);
