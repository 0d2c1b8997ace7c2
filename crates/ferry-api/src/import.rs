//! Start from what the organisation really has: the admin console's exports read into
//! a preview (counts only; the names stay in this session until asked for), then,
//! once the person confirms, the plan filled from them. The window and `ferry-cli
//! import` go through the same reading and filling (`ferry_import`).

use std::path::PathBuf;

use ferry_core::{ErrorPayload, Plan};
use ferry_import::{Applied, Choices, GroupMap, ImportError, Importer, Preview};
use ferry_sso::members::Member;
use serde::Serialize;
use ts_rs::TS;

use crate::{ApiError, Host};

type Answer<T> = Result<T, ApiError>;

/// What reading the chosen files gave: the preview of those that could be read, and
/// why each other one could not (it adds nothing).
#[derive(Debug, Clone, Serialize, TS)]
pub struct ImportRead {
    pub preview: Option<Preview>,
    pub problems: Vec<FileProblem>,
}

#[derive(Debug, Clone, Serialize, TS)]
pub struct FileProblem {
    /// The file's name (not its folder).
    pub file: String,
    pub error: ErrorPayload,
}

/// The plan as the import filled it, for the window to show and save.
#[derive(Debug, Clone, Serialize, TS)]
pub struct ImportDone {
    pub plan: Plan,
    pub applied: Applied,
    /// People added to the single sign-on member list.
    pub people_added: u64,
}

/// Reads every file (a bad one is named and skipped) and keeps the preview for
/// `import_people` and `import_apply`. Nothing in the plan changes.
pub async fn read(host: &impl Host, paths: Vec<PathBuf>) -> Answer<ImportRead> {
    let (preview, problems) = tokio::task::spawn_blocking(move || read_files(&paths))
        .await
        .map_err(ApiError::internal)?;
    host.session().set_import(preview.clone());
    Ok(ImportRead { preview, problems })
}

/// Reads `paths` into one preview, `None` when no file could be read.
pub fn read_files(paths: &[PathBuf]) -> (Option<Preview>, Vec<FileProblem>) {
    let mut import = Importer::default();
    let mut problems = Vec::new();
    let mut read = 0;
    for path in paths {
        match import.add_path(path) {
            Ok(_) => read += 1,
            Err(e) => {
                tracing::info!(code = e.code(), "an export could not be read");
                problems.push(FileProblem {
                    file: path.file_name().map_or_else(
                        || path.display().to_string(),
                        |n| n.to_string_lossy().into_owned(),
                    ),
                    error: ApiError::from(e).to_payload(),
                });
            }
        }
    }
    ((read > 0).then(|| import.preview()), problems)
}

/// The people the read exports name, for the person who asked to see them.
pub async fn people(host: &impl Host) -> Answer<Vec<Member>> {
    Ok(last_preview(host)?.members())
}

/// Fills `plan` from the last preview: tools, groups (as the person chose), storage,
/// what will not come across, and (if asked) the member list. The window saves the
/// plan it gets back.
pub async fn apply(host: &impl Host, mut plan: Plan, choices: Choices) -> Answer<ImportDone> {
    let preview = last_preview(host)?;
    let (applied, people_added) = fill(&mut plan, &preview, &choices)?;
    Ok(ImportDone {
        plan,
        applied,
        people_added,
    })
}

/// What `apply` does to a plan; the CLI calls it on a plan file.
pub fn fill(
    plan: &mut Plan,
    preview: &Preview,
    choices: &Choices,
) -> Result<(Applied, u64), ImportError> {
    let groups = GroupMap::chosen(preview, &choices.groups)?;
    let applied = ferry_import::apply_with(plan, preview, &groups);
    let mut added = 0;
    if choices.people {
        let people = preview.members_in(&groups);
        let (list, n) = ferry_import::merge_members_list(&plan.sso.members_list, &people);
        plan.sso.members_list = list;
        added = n;
    }
    Ok((applied, added))
}

fn last_preview(host: &impl Host) -> Answer<Preview> {
    host.session().import().ok_or(ApiError::NothingImported)
}
