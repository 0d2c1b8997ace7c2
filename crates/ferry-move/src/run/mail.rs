//! Mail: `.mbox` messages into IMAP folders.

use std::collections::{HashMap, HashSet};

use tokio::sync::mpsc;

use super::{Job, hex};
use crate::error::MoveError;
use crate::plan::imap_server;
use crate::source::SourceFile;
use crate::source::feed::{Item, produce};
use crate::source::labels::place;
use crate::target::imap::{Fingerprint, Imap, ImapLogin};
use crate::{Kind, Reason};

pub(super) async fn run(job: &mut Job<'_>, files: Vec<SourceFile>) -> Result<(), MoveError> {
    let server = imap_server(&job.target.url)?;
    let (user, admin, password) = job.credentials(&format!("{}:{}", server.host, server.port))?;
    let mut imap = Imap::connect(
        &server,
        &ImapLogin {
            user,
            password,
            admin,
        },
    )
    .await?;
    let mut known = job.ledger.known(job.plan, job.login, Kind::Mail)?;
    let (tx, mut rx) = mpsc::channel(1);
    let reader = tokio::task::spawn_blocking(move || produce(Kind::Mail, files, |_, _| false, tx));
    // Folder's server name → what is in it (read once, on first use).
    let mut there: HashMap<String, HashSet<Fingerprint>> = HashMap::new();
    let result = async {
        while let Some(item) = rx.recv().await {
            job.stopped()?;
            match item {
                Item::Mail { file, message } => {
                    let placement = place(message.headers.labels.as_deref(), &file);
                    let key = hex(&message.sha256);
                    let label = message
                        .headers
                        .subject
                        .clone()
                        .unwrap_or_else(|| "(no subject)".to_owned());
                    let problem = if message.too_large {
                        Some(Reason::TooLarge)
                    } else if message.has_nul {
                        Some(Reason::NulBytes)
                    } else {
                        None
                    };
                    for folder in &placement.folders {
                        job.progress.items_done += 1;
                        if known.contains(&(folder.clone(), key.clone())) {
                            job.progress.already_there += 1;
                            continue;
                        }
                        if let Some(reason) = problem {
                            job.ledger.not_moved(
                                job.plan,
                                job.login,
                                Kind::Mail,
                                folder,
                                &key,
                                message.size,
                                &label,
                                reason,
                            )?;
                            job.progress.not_moved += 1;
                            continue;
                        }
                        let name = imap.ensure_folder(folder).await?;
                        if !there.contains_key(&name) {
                            let fps = imap.fingerprints(&name).await?;
                            there.insert(name.clone(), fps);
                        }
                        let fp = Fingerprint::of_message(&message);
                        let seen = there.get_mut(&name).expect("read above");
                        if seen.contains(&fp) {
                            job.ledger.done(
                                job.plan,
                                job.login,
                                Kind::Mail,
                                folder,
                                &key,
                                false,
                                message.size,
                                &key,
                                &label,
                            )?;
                            job.progress.already_there += 1;
                            continue;
                        }
                        match imap
                            .append(
                                &name,
                                &placement.imap_flags(),
                                message.received,
                                &message.bytes,
                            )
                            .await?
                        {
                            Ok(()) => {
                                job.ledger.done(
                                    job.plan,
                                    job.login,
                                    Kind::Mail,
                                    folder,
                                    &key,
                                    true,
                                    message.size,
                                    &key,
                                    &label,
                                )?;
                                seen.insert(fp);
                                known.insert((folder.clone(), key.clone()));
                                job.progress.moved += 1;
                            }
                            Err(refusal) => {
                                tracing::info!(%refusal, "the server refused a message");
                                job.ledger.not_moved(
                                    job.plan,
                                    job.login,
                                    Kind::Mail,
                                    folder,
                                    &key,
                                    message.size,
                                    &label,
                                    Reason::RefusedByServer,
                                )?;
                                job.progress.not_moved += 1;
                            }
                        }
                    }
                }
                Item::Read(n) => job.progress.bytes_done = n,
                Item::Unreadable { file, detail } => {
                    tracing::info!(%file, %detail, "an mbox could not be read to its end");
                    job.ledger.not_moved(
                        job.plan,
                        job.login,
                        Kind::Mail,
                        &file,
                        &file,
                        0,
                        &file,
                        Reason::Unreadable,
                    )?;
                    job.progress.not_moved += 1;
                }
                _ => {}
            }
            job.tick(false);
        }
        Ok::<(), MoveError>(())
    }
    .await;
    drop(rx);
    let _ = reader.await;
    imap.logout().await;
    result
}
