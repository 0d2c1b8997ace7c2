use super::*;
use crate::model::OrganisationKind;

fn library() -> (tempfile::TempDir, Library) {
    let dir = tempfile::tempdir().unwrap();
    let lib = Library::open_in(dir.path()).unwrap();
    (dir, lib)
}

fn names(list: &[PlanSummary]) -> Vec<&str> {
    list.iter().map(|s| s.name.as_str()).collect()
}

#[test]
fn create_then_reopen_finds_the_plan() {
    let dir = tempfile::tempdir().unwrap();
    let id = {
        let mut lib = Library::open_in(dir.path()).unwrap();
        lib.create("Oslo Pasientforening", Language::Nb).unwrap().id
    };
    let lib = Library::open_in(dir.path()).unwrap();
    let plan = lib.get(id).unwrap();
    assert_eq!(plan.name, "Oslo Pasientforening");
    assert_eq!(plan.revision, 1);
    assert_eq!(
        names(&lib.list(Shelf::Active, "").unwrap()),
        ["Oslo Pasientforening"]
    );
}

#[test]
fn save_bumps_revision_and_refuses_stale_writes() {
    let (_d, mut lib) = library();
    let plan = lib.create("A", Language::En).unwrap();
    let mut edit = plan.clone();
    edit.organisation.kind = OrganisationKind::Party;
    let saved = lib.save(&edit).unwrap();
    assert_eq!(saved.revision, 2);
    assert!(saved.updated_at >= plan.updated_at);
    assert_eq!(lib.get(plan.id).unwrap(), saved);

    // An editor still holding revision 1 must not overwrite revision 2.
    let err = lib.save(&edit).unwrap_err();
    assert!(
        matches!(
            err,
            CoreError::Conflict {
                expected: 1,
                found: 2
            }
        ),
        "{err:?}"
    );
    assert_eq!(
        lib.get(plan.id).unwrap().organisation.kind,
        OrganisationKind::Party
    );
}

#[test]
fn invalid_plans_are_not_saved_and_problems_name_fields() {
    let (_d, mut lib) = library();
    let mut plan = lib.create("A", Language::En).unwrap();
    plan.organisation.contact.email = "nope".into();
    match lib.save(&plan).unwrap_err() {
        CoreError::Invalid(p) => assert_eq!(p[0].field, "organisation.contact.email"),
        other => panic!("{other:?}"),
    }
    assert_eq!(lib.get(plan.id).unwrap().organisation.contact.email, "");
}

#[test]
fn search_is_case_insensitive_across_scripts_and_matches_organisation_names() {
    let (_d, mut lib) = library();
    lib.create("Ålesund lag", Language::Nb).unwrap();
    let mut p = lib.create("Move 2027", Language::En).unwrap();
    p.organisation.name = "Grønn Ungdom".into();
    lib.save(&p).unwrap();
    lib.create("Other", Language::En).unwrap();
    assert_eq!(
        names(&lib.list(Shelf::Active, "ålesund").unwrap()),
        ["Ålesund lag"]
    );
    assert_eq!(
        names(&lib.list(Shelf::Active, "GRØNN").unwrap()),
        ["Move 2027"]
    );
    assert_eq!(lib.list(Shelf::Active, "  ").unwrap().len(), 3);
}

#[test]
fn rename_duplicate_trash_restore_purge() {
    let (_d, mut lib) = library();
    let a = lib.create("Alpha", Language::En).unwrap();
    lib.rename(a.id, "  Alpha branch ").unwrap();
    assert_eq!(lib.get(a.id).unwrap().name, "Alpha branch");
    assert!(matches!(lib.rename(a.id, ""), Err(CoreError::Invalid(_))));

    let copy = lib.duplicate(a.id, "Copy of Alpha branch").unwrap();
    assert_ne!(copy.id, a.id);
    assert_eq!(copy.organisation, lib.get(a.id).unwrap().organisation);
    assert_eq!(lib.list(Shelf::Active, "").unwrap().len(), 2);

    // Purging straight from the library is refused: it must go through the trash.
    assert!(matches!(lib.purge(a.id), Err(CoreError::NotInTrash)));
    lib.trash(a.id).unwrap();
    assert_eq!(
        names(&lib.list(Shelf::Active, "").unwrap()),
        ["Copy of Alpha branch"]
    );
    let trash = lib.list(Shelf::Trash, "").unwrap();
    assert_eq!(names(&trash), ["Alpha branch"]);
    assert!(trash[0].trashed_at.is_some());

    lib.restore(a.id).unwrap();
    assert_eq!(lib.list(Shelf::Active, "").unwrap().len(), 2);
    lib.trash(a.id).unwrap();
    lib.purge(a.id).unwrap();
    assert!(matches!(lib.get(a.id), Err(CoreError::PlanNotFound { .. })));
    assert!(lib.list(Shelf::Trash, "").unwrap().is_empty());
    assert!(matches!(
        lib.trash(a.id),
        Err(CoreError::PlanNotFound { .. })
    ));
}

#[test]
fn import_always_creates_a_new_plan() {
    let (dir, mut lib) = library();
    let a = lib.create("Alpha", Language::Nb).unwrap();
    let file = dir.path().join("alpha.ferry.json");
    lib.export_to(a.id, &file).unwrap();
    let first = lib.import_file(&file).unwrap();
    let second = lib.import_file(&file).unwrap();
    assert!(first.id != a.id && second.id != a.id && first.id != second.id);
    assert_eq!(first.organisation, a.organisation);
    assert_eq!(lib.list(Shelf::Active, "").unwrap().len(), 3);
}

#[test]
fn a_failed_import_leaves_the_library_unchanged() {
    let (dir, mut lib) = library();
    lib.create("Alpha", Language::En).unwrap();
    let before = lib.list(Shelf::Active, "").unwrap();
    let file = dir.path().join("broken.ferry.json");
    std::fs::write(
        &file,
        "{\"format\": \"ferry-plan\", \"schema_version\": 1, \"plan\": {",
    )
    .unwrap();
    assert_eq!(lib.import_file(&file).unwrap_err().code(), "file.not_json");
    assert_eq!(lib.list(Shelf::Active, "").unwrap(), before);
}

#[test]
fn settings_persist() {
    let dir = tempfile::tempdir().unwrap();
    {
        let mut lib = Library::open_in(dir.path()).unwrap();
        assert_eq!(lib.setting("app.language").unwrap(), None);
        lib.set_setting("app.language", "en").unwrap();
        lib.set_setting("app.language", "nb").unwrap();
    }
    let lib = Library::open_in(dir.path()).unwrap();
    assert_eq!(lib.setting("app.language").unwrap().as_deref(), Some("nb"));
    assert_eq!(lib.integrity_check().unwrap(), "ok");
}

#[test]
fn a_file_that_is_not_a_library_is_reported_and_left_alone() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join(FILE_NAME);
    let junk = b"this is a shopping list, not a database".repeat(200);
    std::fs::write(&path, &junk).unwrap();
    let err = Library::open(&path).err().expect("must refuse");
    assert_eq!(err.code(), "library.damaged");
    assert_eq!(
        std::fs::read(&path).unwrap(),
        junk,
        "the file must not be touched"
    );
}

#[test]
fn a_library_from_a_newer_ferry_is_refused() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join(FILE_NAME);
    drop(Library::open(&path).unwrap());
    let conn = Connection::open(&path).unwrap();
    conn.execute("INSERT INTO schema_migrations VALUES (99, 'later')", [])
        .unwrap();
    drop(conn);
    let err = Library::open(&path).err().expect("must refuse");
    assert!(
        matches!(err, CoreError::LibraryFromNewerVersion { found: 99, .. }),
        "{err:?}"
    );
}
