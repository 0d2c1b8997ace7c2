//! Reading back: for each person and kind, everything the ledger says is on the
//! server is looked for there and its content hashed again — messages byte for byte
//! (SHA-256 of what `FETCH BODY.PEEK[]` returns), calendar and contact objects by
//! their canonical hash (servers re-write them), files byte for byte (`GET`).

use std::collections::HashSet;

use chrono::Utc;

use crate::error::MoveError;
use crate::ledger::Ledger;
use crate::plan::{MoveSpec, dav_base, files_root, imap_server};
use crate::report::{Phase, Progress};
use crate::run::{Secrets, Sink};
use crate::target::dav::{Dav, join};
use crate::target::files::FileServer;
use crate::target::imap::{Imap, ImapLogin};
use crate::target::objects;
use crate::{Kind, MoveMode, MoveReport, Verified};

/// Fills `report`'s `verified` for every person and kind it lists.
pub async fn verify(
    plan: &str,
    spec: &MoveSpec,
    secrets: &Secrets,
    ledger: &Ledger,
    report: &mut MoveReport,
    sink: Sink<'_>,
) -> Result<(), MoveError> {
    let people = report.people.len() as u32;
    for (i, person) in report.people.iter_mut().enumerate() {
        for k in &mut person.kinds {
            let Some(target) = spec.targets.iter().find(|t| t.kind == k.kind) else {
                continue;
            };
            let mut p = Progress::new(Phase::Verifying);
            p.login = person.login.clone();
            p.kind = Some(k.kind);
            p.person_index = i as u32;
            p.people = people;
            sink(p);
            let expected = ledger.expected(plan, &person.login, k.kind)?;
            let password = |kind: Kind| -> Result<(String, Option<String>, String), MoveError> {
                if spec.mode == MoveMode::Admin
                    && kind == Kind::Mail
                    && let Some((admin, pw)) = secrets.admin.get(&kind)
                {
                    return Ok((person.login.clone(), Some(admin.clone()), pw.clone()));
                }
                secrets
                    .own
                    .get(&(kind, person.login.clone()))
                    .map(|pw| (person.login.clone(), None, pw.clone()))
                    .ok_or_else(|| MoveError::NoCredentials {
                        login: person.login.clone(),
                        server: target.url.clone(),
                    })
            };
            let (user, admin, pw) = password(k.kind)?;
            let (mut found, mut missing) = (0u64, 0u64);
            match k.kind {
                Kind::Mail => {
                    let server = imap_server(&target.url)?;
                    let mut imap = Imap::connect(
                        &server,
                        &ImapLogin {
                            user,
                            password: pw,
                            admin,
                        },
                    )
                    .await?;
                    for (folder, items) in &expected {
                        let name = imap.server_name(folder);
                        let on_server: HashSet<String> = imap
                            .contents(&name)
                            .await?
                            .into_iter()
                            .map(|(h, _)| crate::source::ics::hex(&h))
                            .collect();
                        for (hash, _) in items.values() {
                            if on_server.contains(hash) {
                                found += 1;
                            } else {
                                missing += 1;
                            }
                        }
                    }
                    imap.logout().await;
                }
                Kind::Calendar | Kind::Contacts => {
                    let (base, layout) = dav_base(target)?;
                    let dav = Dav::new(&base, &user, &pw).await?;
                    let home = if k.kind == Kind::Calendar {
                        layout.calendars(&base, &person.login)
                    } else {
                        layout.addressbooks(&base, &person.login)
                    };
                    for (collection, items) in &expected {
                        let url = join(&home, &[collection], true);
                        let on_server = objects::contents(&dav, &url).await?;
                        for (name, (hash, _)) in items {
                            match on_server.get(name) {
                                Some((h, _)) if crate::source::ics::hex(h) == *hash => found += 1,
                                _ => missing += 1,
                            }
                        }
                    }
                }
                Kind::Files => {
                    let (root, uploads) = files_root(target, &person.login, &spec.drive_folder)?;
                    let dav = Dav::new(&root, &user, &pw).await?;
                    let server = FileServer {
                        dav,
                        root,
                        uploads,
                        person: person.login.clone(),
                    };
                    for items in expected.values() {
                        for (rel, (hash, bytes)) in items {
                            match server.read_back(rel).await? {
                                Some((h, size))
                                    if crate::source::ics::hex(&h) == *hash && size == *bytes =>
                                {
                                    found += 1
                                }
                                _ => missing += 1,
                            }
                        }
                    }
                }
            }
            k.verified = Some(Verified {
                found,
                missing,
                checksums_match: missing == 0,
                at: Utc::now(),
            });
        }
    }
    Ok(())
}
