//! Drive files over WebDAV, under one folder (`Google Drive` by default) in the
//! person's files, streamed from the export as they are read.
//!
//! Every PUT sends `X-OC-MTime` (the file's modification time, Unix seconds), which
//! Nextcloud (and ownCloud) keep and confirm with `X-OC-MTime: accepted`; a server that
//! does not confirm it keeps its own time, and the report says so. On Nextcloud a file
//! over [`CHUNK`] goes up with chunked upload v2 (Nextcloud's developer manual,
//! "Chunked file upload"): `MKCOL remote.php/dav/uploads/<user>/<id>` with a
//! `Destination` header, chunks `00001`… of [`CHUNK`] bytes each with `Destination`
//! and `OC-Total-Length`, then `MOVE …/.file` onto the destination with `X-OC-MTime`.
//! The upload's id comes from the person and path, so a run stopped in the middle
//! finds its chunks again and sends only the missing ones.
//!
//! A file already at its path is compared (size, then content); the same file counts
//! as there, a different one is left alone and listed.

use std::collections::{HashMap, HashSet};
use std::sync::{Arc, Mutex};

use bytes::Bytes;
use chrono::{DateTime, Utc};
use futures_util::StreamExt;
use reqwest::{Method, StatusCode, Url};
use sha2::{Digest, Sha256};
use tokio::sync::mpsc;

use super::dav::{Dav, Entry, join, last_segment};
use crate::error::MoveError;

/// Chunk size for Nextcloud's chunked upload (it takes 5 MB to 5 GB per chunk).
pub const CHUNK: u64 = 10 * 1024 * 1024;

/// Where files go and how.
#[derive(Debug, Clone)]
pub struct FileServer {
    pub dav: Dav,
    /// The folder the export's files go into (a collection URL).
    pub root: Url,
    /// Nextcloud's uploads collection for this user, when the server is Nextcloud.
    pub uploads: Option<Url>,
    /// An id for the person, so chunked uploads of two people never share a folder.
    pub person: String,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum FilePut {
    Moved {
        sha256: [u8; 32],
        mtime_kept: bool,
    },
    There {
        sha256: [u8; 32],
    },
    Conflict,
    Refused(String),
    /// The export could not be read to the end.
    SourceFailed(String),
}

/// What a folder on the server holds (name → size), listed once per folder.
#[derive(Default)]
pub struct Listing {
    dirs: HashMap<String, HashMap<String, Option<u64>>>,
    made: HashSet<String>,
}

type Chunks = mpsc::Receiver<std::io::Result<Bytes>>;

impl FileServer {
    fn url_of(&self, rel: &str, collection: bool) -> Url {
        let parts: Vec<&str> = rel.split('/').filter(|p| !p.is_empty()).collect();
        join(&self.root, &parts, collection)
    }

    /// Makes `dir` (a path under the root, `""` for the root) and its parents; answers
    /// what it holds.
    async fn dir<'a>(
        &self,
        listing: &'a mut Listing,
        dir: &str,
    ) -> Result<&'a HashMap<String, Option<u64>>, MoveError> {
        if !listing.dirs.contains_key(dir) {
            let mut made = String::new();
            let mut parts: Vec<&str> = vec![""];
            parts.extend(dir.split('/').filter(|p| !p.is_empty()));
            for (i, p) in parts.iter().enumerate() {
                if i > 0 {
                    if !made.is_empty() {
                        made.push('/');
                    }
                    made.push_str(p);
                }
                if listing.made.contains(&made) {
                    continue;
                }
                let url = self.url_of(&made, true);
                if self.dav.propfind(&url, 0).await?.is_none() {
                    self.dav.make(&url, "MKCOL", None).await?;
                }
                listing.made.insert(made.clone());
            }
            let url = self.url_of(dir, true);
            let entries = self.dav.propfind(&url, 1).await?.unwrap_or_default();
            let own = url.path().trim_end_matches('/').to_owned();
            let names = entries
                .into_iter()
                .filter(|e: &Entry| !e.collection && e.href.trim_end_matches('/') != own)
                .map(|e| (last_segment(&e.href), e.size))
                .collect();
            listing.dirs.insert(dir.to_owned(), names);
        }
        Ok(&listing.dirs[dir])
    }

    /// Puts one file read from `chunks` (`size` bytes) at `rel`.
    pub async fn put(
        &self,
        listing: &mut Listing,
        rel: &str,
        size: u64,
        modified: Option<DateTime<Utc>>,
        mut chunks: Chunks,
    ) -> Result<FilePut, MoveError> {
        let (dir, name) = rel.rsplit_once('/').unwrap_or(("", rel));
        let there = self.dir(listing, dir).await?.get(name).copied();
        let url = self.url_of(rel, false);
        if let Some(theirs) = there {
            // Compare: same size, then the same bytes.
            let ours = match hash_all(&mut chunks).await {
                Ok(h) => h,
                Err(e) => return Ok(FilePut::SourceFailed(e.to_string())),
            };
            if theirs.is_some_and(|s| s != size) {
                return Ok(FilePut::Conflict);
            }
            let theirs = self.hash_remote(&url).await?;
            return Ok(if theirs == ours {
                FilePut::There { sha256: ours }
            } else {
                FilePut::Conflict
            });
        }
        let mtime = modified.map(|m| m.timestamp().max(0).to_string());
        let out = match &self.uploads {
            Some(uploads) if size > CHUNK => {
                self.put_chunked(uploads, &url, rel, size, mtime, chunks)
                    .await?
            }
            _ => self.put_whole(&url, size, mtime, chunks).await?,
        };
        if matches!(out, FilePut::Moved { .. }) {
            listing
                .dirs
                .get_mut(dir)
                .map(|d| d.insert(name.to_owned(), Some(size)));
        }
        Ok(out)
    }

    async fn put_whole(
        &self,
        url: &Url,
        size: u64,
        mtime: Option<String>,
        chunks: Chunks,
    ) -> Result<FilePut, MoveError> {
        let hasher = Arc::new(Mutex::new((Sha256::new(), None::<String>)));
        let h = hasher.clone();
        let stream = futures_util::stream::unfold(chunks, |mut rx| async move {
            rx.recv().await.map(|c| (c, rx))
        })
        .map(move |c| {
            let mut g = h.lock().unwrap_or_else(|p| p.into_inner());
            match &c {
                Ok(b) => g.0.update(b),
                Err(e) => g.1 = Some(e.to_string()),
            }
            c
        });
        let mut req = self
            .dav
            .request(Method::PUT, url.clone())
            .header("If-None-Match", "*")
            .header("Content-Type", "application/octet-stream")
            .header("Content-Length", size.to_string())
            .header("OC-Total-Length", size.to_string())
            .body(reqwest::Body::wrap_stream(stream));
        if let Some(m) = &mtime {
            req = req.header("X-OC-MTime", m);
        }
        let resp = self.dav.send(req).await;
        let (hash, failed) = {
            let mut g = hasher.lock().unwrap_or_else(|p| p.into_inner());
            let h = std::mem::take(&mut g.0);
            (h.finalize().into(), g.1.take())
        };
        if let Some(e) = failed {
            return Ok(FilePut::SourceFailed(e));
        }
        let resp = resp?;
        let status = resp.status();
        if status == StatusCode::PRECONDITION_FAILED {
            return Ok(FilePut::Conflict);
        }
        if !status.is_success() {
            return Ok(FilePut::Refused(status.to_string()));
        }
        Ok(FilePut::Moved {
            sha256: hash,
            mtime_kept: mtime_accepted(&resp),
        })
    }

    async fn put_chunked(
        &self,
        uploads: &Url,
        dest: &Url,
        rel: &str,
        size: u64,
        mtime: Option<String>,
        mut chunks: Chunks,
    ) -> Result<FilePut, MoveError> {
        let id = format!(
            "ferry-{}",
            crate::source::ics::hex(
                &Sha256::digest(format!("{}\0{rel}\0{size}", self.person))[..16]
            )
        );
        let folder = join(uploads, &[&id], true);
        let dest_h = dest.as_str().to_owned();
        self.dav
            .send(
                self.dav
                    .request(Method::from_bytes(b"MKCOL").expect("MKCOL"), folder.clone())
                    .header("Destination", &dest_h),
            )
            .await
            .and_then(|r| match r.status() {
                s if s.is_success() || s == StatusCode::METHOD_NOT_ALLOWED => Ok(()),
                s => Err(MoveError::protocol(
                    &self.dav.server,
                    format!("MKCOL {folder} answered {s}"),
                )),
            })?;
        // Chunks a stopped run already sent, with their sizes.
        let have: HashMap<String, Option<u64>> = self
            .dav
            .propfind(&folder, 1)
            .await?
            .unwrap_or_default()
            .into_iter()
            .filter(|e| !e.collection)
            .map(|e| (last_segment(&e.href), e.size))
            .collect();
        let mut hash = Sha256::new();
        let mut n = 0u32;
        let mut buf: Vec<u8> = Vec::with_capacity(CHUNK as usize);
        let mut sent = 0u64;
        loop {
            let next = chunks.recv().await;
            let end = match next {
                Some(Ok(b)) => {
                    hash.update(&b);
                    buf.extend_from_slice(&b);
                    false
                }
                Some(Err(e)) => return Ok(FilePut::SourceFailed(e.to_string())),
                None => true,
            };
            while buf.len() as u64 >= CHUNK || (end && !buf.is_empty()) {
                let take = (buf.len() as u64).min(CHUNK) as usize;
                let part: Vec<u8> = buf.drain(..take).collect();
                n += 1;
                let name = format!("{n:05}");
                sent += part.len() as u64;
                if have.get(&name).copied().flatten() == Some(part.len() as u64) {
                    continue;
                }
                let resp = self
                    .dav
                    .send(
                        self.dav
                            .request(Method::PUT, join(&folder, &[&name], false))
                            .header("Destination", &dest_h)
                            .header("OC-Total-Length", size.to_string())
                            .body(part),
                    )
                    .await?;
                if !resp.status().is_success() {
                    return Ok(FilePut::Refused(format!("chunk {name}: {}", resp.status())));
                }
            }
            if end {
                break;
            }
        }
        if sent != size {
            return Ok(FilePut::SourceFailed(format!(
                "{sent} bytes read of {size}"
            )));
        }
        let mut req = self
            .dav
            .request(
                Method::from_bytes(b"MOVE").expect("MOVE"),
                join(&folder, &[".file"], false),
            )
            .header("Destination", &dest_h)
            .header("OC-Total-Length", size.to_string());
        if let Some(m) = &mtime {
            req = req.header("X-OC-MTime", m);
        }
        let resp = self.dav.send(req).await?;
        if !resp.status().is_success() {
            return Ok(FilePut::Refused(format!("assembling: {}", resp.status())));
        }
        Ok(FilePut::Moved {
            sha256: hash.finalize().into(),
            mtime_kept: mtime_accepted(&resp),
        })
    }

    /// SHA-256 of a file on the server, read as a stream.
    pub async fn hash_remote(&self, url: &Url) -> Result<[u8; 32], MoveError> {
        let resp = self.dav.get(url).await?;
        let mut stream = resp.bytes_stream();
        let mut h = Sha256::new();
        while let Some(c) = stream.next().await {
            h.update(c.map_err(|e| MoveError::protocol(&self.dav.server, e))?);
        }
        Ok(h.finalize().into())
    }

    /// SHA-256 and size of the file at `rel`, or `None` when it is not there.
    pub async fn read_back(&self, rel: &str) -> Result<Option<([u8; 32], u64)>, MoveError> {
        let url = self.url_of(rel, false);
        let Some(entry) = self.dav.propfind(&url, 0).await? else {
            return Ok(None);
        };
        let hash = self.hash_remote(&url).await?;
        Ok(Some((
            hash,
            entry.first().and_then(|e| e.size).unwrap_or(0),
        )))
    }

    /// The modification time the server shows for `rel`.
    pub async fn modified(&self, rel: &str) -> Result<Option<DateTime<Utc>>, MoveError> {
        let url = self.url_of(rel, false);
        Ok(self
            .dav
            .propfind(&url, 0)
            .await?
            .and_then(|e| e.first().and_then(|e| e.modified)))
    }
}

fn mtime_accepted(resp: &reqwest::Response) -> bool {
    resp.headers()
        .get("X-OC-MTime")
        .and_then(|v| v.to_str().ok())
        .is_some_and(|v| v.eq_ignore_ascii_case("accepted"))
}

async fn hash_all(chunks: &mut Chunks) -> std::io::Result<[u8; 32]> {
    let mut h = Sha256::new();
    while let Some(c) = chunks.recv().await {
        h.update(c?);
    }
    Ok(h.finalize().into())
}
