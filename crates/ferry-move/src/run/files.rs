//! Drive files into the person's files over WebDAV.

use tokio::sync::mpsc;

use super::{Job, hex};
use crate::error::MoveError;
use crate::plan::files_root;
use crate::source::SourceFile;
use crate::source::feed::{Item, produce};
use crate::target::dav::Dav;
use crate::target::files::{FilePut, FileServer, Listing};
use crate::{Kind, MoveMode, Reason};

/// Google Docs, Sheets and Slides leave Drive as these.
fn converted(rel: &str) -> bool {
    let lower = rel.to_ascii_lowercase();
    [".docx", ".xlsx", ".pptx"]
        .iter()
        .any(|e| lower.ends_with(e))
}

pub(super) async fn run(job: &mut Job<'_>, files: Vec<SourceFile>) -> Result<(), MoveError> {
    let (root, uploads) = files_root(job.target, job.login, job.drive_folder)?;
    if job.mode == MoveMode::Admin
        && !job
            .secrets
            .own
            .contains_key(&(job.kind, job.login.to_owned()))
    {
        return Err(MoveError::NoAdminMode {
            server: root.host_str().unwrap_or_default().to_owned(),
            kind: job.kind.key().to_owned(),
        });
    }
    let (user, _, password) = job.credentials(root.host_str().unwrap_or_default())?;
    let dav = Dav::new(&root, &user, &password).await?;
    let server = FileServer {
        dav,
        root,
        uploads,
        person: job.login.to_owned(),
    };
    let place = job.drive_folder.to_owned();
    let known = job.ledger.known(job.plan, job.login, Kind::Files)?;
    let (tx, mut rx) = mpsc::channel(1);
    let have_place = place.clone();
    let reader = tokio::task::spawn_blocking(move || {
        produce(
            Kind::Files,
            files,
            move |rel, _| known.contains(&(have_place.clone(), rel.to_owned())),
            tx,
        )
    });
    let mut listing = Listing::default();
    let result = async {
        while let Some(item) = rx.recv().await {
            job.stopped()?;
            let f = match item {
                Item::File(f) => f,
                Item::Read(n) => {
                    job.progress.bytes_done = n;
                    job.tick(false);
                    continue;
                }
                Item::Unreadable { file, detail } => {
                    tracing::info!(%file, %detail, "a Drive file could not be read");
                    job.ledger.not_moved(
                        job.plan,
                        job.login,
                        Kind::Files,
                        &place,
                        &file,
                        0,
                        &file,
                        Reason::Unreadable,
                    )?;
                    job.progress.not_moved += 1;
                    continue;
                }
                _ => continue,
            };
            job.progress.items_done += 1;
            let Some(body) = f.body else {
                job.progress.already_there += 1;
                continue;
            };
            let out = server
                .put(&mut listing, &f.rel, f.size, f.modified, body)
                .await?;
            let (ledger, plan, login) = (job.ledger, job.plan, job.login);
            match out {
                FilePut::Moved { sha256, mtime_kept } => {
                    ledger.done(
                        plan,
                        login,
                        Kind::Files,
                        &place,
                        &f.rel,
                        true,
                        f.size,
                        &hex(&sha256),
                        &f.rel,
                    )?;
                    if !mtime_kept && f.modified.is_some() {
                        ledger.note(
                            plan,
                            login,
                            Kind::Files,
                            &place,
                            &f.rel,
                            Reason::ModifiedTimeNotKept,
                        )?;
                    }
                    if converted(&f.rel) {
                        ledger.note(
                            plan,
                            login,
                            Kind::Files,
                            &place,
                            &f.rel,
                            Reason::SharingNotCarried,
                        )?;
                    }
                    job.progress.moved += 1;
                }
                FilePut::There { sha256 } => {
                    ledger.done(
                        plan,
                        login,
                        Kind::Files,
                        &place,
                        &f.rel,
                        false,
                        f.size,
                        &hex(&sha256),
                        &f.rel,
                    )?;
                    job.progress.already_there += 1;
                }
                FilePut::Conflict => {
                    ledger.not_moved(
                        plan,
                        login,
                        Kind::Files,
                        &place,
                        &f.rel,
                        f.size,
                        &f.rel,
                        Reason::Conflict,
                    )?;
                    job.progress.not_moved += 1;
                }
                FilePut::Refused(why) => {
                    tracing::info!(%why, "the server refused a file");
                    ledger.not_moved(
                        plan,
                        login,
                        Kind::Files,
                        &place,
                        &f.rel,
                        f.size,
                        &f.rel,
                        Reason::RefusedByServer,
                    )?;
                    job.progress.not_moved += 1;
                }
                FilePut::SourceFailed(why) => {
                    tracing::info!(%why, "a Drive file could not be read to its end");
                    ledger.not_moved(
                        plan,
                        login,
                        Kind::Files,
                        &place,
                        &f.rel,
                        f.size,
                        &f.rel,
                        Reason::Unreadable,
                    )?;
                    job.progress.not_moved += 1;
                }
            }
            job.tick(false);
        }
        Ok::<(), MoveError>(())
    }
    .await;
    drop(rx);
    let _ = reader.await;
    result
}
