//! Plans for the report tests and the benchmark, and the poppler tools that read
//! the PDFs back.

#![allow(dead_code)]

pub mod moves;

use std::path::Path;
use std::process::Command;

use ferry_catalogue::Catalogue;
use ferry_core::model::{CredentialHolder, Decision, Language, NeedEntry, Plan, Priority};
use ferry_core::needs::taxonomy;

pub const UNION_BRANCH: &str = include_str!("../fixtures/union-branch-nb.ferry.json");

pub fn union_branch() -> Plan {
    ferry_core::exchange::parse_file_text(UNION_BRANCH).expect("the fixture is a valid plan")
}

/// Every need in the taxonomy moved to its first candidate: 30 apps.
pub fn thirty_apps() -> Plan {
    let mut plan = union_branch();
    plan.language = Language::En;
    plan.needs.needs.clear();
    plan.recipes.choices.clear();
    for def in &taxonomy().needs {
        plan.needs.needs.push(NeedEntry {
            need: def.id.clone(),
            priority: Priority::Should,
            notes: String::new(),
            who: String::new(),
            votes: 0,
        });
        plan.recipes.set(
            &def.id,
            Decision::Recipe {
                name: def.candidates[0].recipe.clone(),
            },
        );
    }
    plan.exit_plan = ferry_core::exit::suggest(&plan);
    plan.exit_plan.phases.clear();
    plan.exit_plan = ferry_core::exit::suggest(&plan);
    plan
}

/// A Spanish patient group (content in Spanish; the document language is English
/// until Spanish is translated).
pub fn spanish_group() -> Plan {
    let mut plan = Plan::new("Asociación de Pacientes Señorío", Language::En).unwrap();
    plan.organisation.name = "Asociación de Pacientes del Señorío de Ávila".into();
    plan.exit_plan.credential_holders = vec![
        CredentialHolder {
            name: "Begoña Muñoz Álvarez".into(),
            role: "Secretaría".into(),
            ..Default::default()
        },
        CredentialHolder {
            name: "Íñigo Peña".into(),
            role: "Tesorería".into(),
            ..Default::default()
        },
    ];
    plan.exit_plan.member_communication =
        "Enviaremos un correo a cada socio; mañana habrá una sesión de acogida.".into();
    plan
}

pub fn catalogue() -> Catalogue {
    // The bundled snapshot: the same scores on every machine.
    ferry_catalogue::Store::new(Path::new("/nonexistent-ferry-test-dir")).load()
}

pub fn today() -> chrono::NaiveDate {
    chrono::NaiveDate::from_ymd_opt(2026, 11, 21).unwrap()
}

/// Runs a poppler tool; the tests need them (`make setup` installs poppler-utils).
pub fn poppler(tool: &str, args: &[&str]) -> String {
    let out = Command::new(tool).args(args).output().unwrap_or_else(|e| {
        panic!("{tool} is needed to read PDFs back (Debian package poppler-utils): {e}")
    });
    assert!(
        out.status.success(),
        "{tool} {args:?} failed: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8(out.stdout).expect("poppler prints UTF-8")
}
