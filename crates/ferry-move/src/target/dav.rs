//! WebDAV (RFC 4918) as CalDAV, CardDAV and file uploads use it: PROPFIND, MKCOL
//! (and MKCALENDAR, extended MKCOL for address books), PUT with preconditions, GET,
//! MOVE. Basic authentication over TLS; plain HTTP only to this computer.

use std::time::Duration;

use chrono::{DateTime, Utc};
use quick_xml::events::Event;
use reqwest::header::{HeaderMap, HeaderName, HeaderValue};
use reqwest::{Method, StatusCode, Url};

use crate::error::MoveError;

/// One resource of a PROPFIND answer.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Entry {
    /// The path as the server wrote it (percent-encoded).
    pub href: String,
    pub collection: bool,
    pub etag: Option<String>,
    pub size: Option<u64>,
    pub modified: Option<DateTime<Utc>>,
}

#[derive(Clone)]
pub struct Dav {
    client: reqwest::Client,
    user: String,
    password: String,
    /// `host:port`, for messages.
    pub server: String,
}

impl std::fmt::Debug for Dav {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Dav")
            .field("server", &self.server)
            .field("user", &self.user)
            .finish_non_exhaustive()
    }
}

fn method(name: &'static str) -> Method {
    Method::from_bytes(name.as_bytes()).expect("a valid method name")
}

impl Dav {
    /// A client for the server at `base`; refuses plain HTTP to anywhere but here.
    pub async fn new(base: &Url, user: &str, password: &str) -> Result<Dav, MoveError> {
        let server = format!(
            "{}:{}",
            base.host_str().unwrap_or_default(),
            base.port_or_known_default().unwrap_or(0)
        );
        if base.scheme() != "https"
            && !super::conn::is_loopback(base.host_str().unwrap_or_default()).await
        {
            return Err(MoveError::Insecure { server });
        }
        let client = reqwest::Client::builder()
            .connect_timeout(Duration::from_secs(30))
            .read_timeout(Duration::from_secs(300))
            .pool_idle_timeout(Duration::from_secs(30))
            .build()
            .map_err(|e| MoveError::protocol(&server, e))?;
        Ok(Dav {
            client,
            user: user.to_owned(),
            password: password.to_owned(),
            server,
        })
    }

    pub fn request(&self, method: Method, url: Url) -> reqwest::RequestBuilder {
        self.client
            .request(method, url)
            .basic_auth(&self.user, Some(&self.password))
    }

    /// Sends; a refused sign-in and an unreachable server are errors, any other
    /// status is the caller's to read.
    pub async fn send(&self, req: reqwest::RequestBuilder) -> Result<reqwest::Response, MoveError> {
        let resp = req.send().await.map_err(|e| {
            if e.is_connect() || e.is_timeout() {
                MoveError::Unreachable {
                    server: self.server.clone(),
                    detail: e.to_string(),
                }
            } else {
                MoveError::protocol(&self.server, e)
            }
        })?;
        if resp.status() == StatusCode::UNAUTHORIZED {
            return Err(MoveError::SignIn {
                server: self.server.clone(),
                login: self.user.clone(),
            });
        }
        Ok(resp)
    }

    /// PROPFIND with `depth` (0 or 1): the resources, or `None` when there is none.
    pub async fn propfind(&self, url: &Url, depth: u8) -> Result<Option<Vec<Entry>>, MoveError> {
        let body = r#"<?xml version="1.0" encoding="utf-8"?><d:propfind xmlns:d="DAV:"><d:prop><d:resourcetype/><d:getetag/><d:getcontentlength/><d:getlastmodified/></d:prop></d:propfind>"#;
        let resp = self
            .send(
                self.request(method("PROPFIND"), url.clone())
                    .header("Depth", depth.to_string())
                    .header("Content-Type", "application/xml; charset=utf-8")
                    .body(body),
            )
            .await?;
        match resp.status() {
            StatusCode::NOT_FOUND => Ok(None),
            StatusCode::MULTI_STATUS => {
                let text = resp
                    .text()
                    .await
                    .map_err(|e| MoveError::protocol(&self.server, e))?;
                Ok(Some(parse_multistatus(&text).map_err(|e| {
                    MoveError::protocol(&self.server, format!("PROPFIND {url}: {e}"))
                })?))
            }
            s => Err(MoveError::protocol(
                &self.server,
                format!("PROPFIND {url} answered {s}"),
            )),
        }
    }

    /// Creates a collection (`MKCOL`, or MKCALENDAR / extended MKCOL with `body`);
    /// one that exists already is fine.
    pub async fn make(
        &self,
        url: &Url,
        verb: &'static str,
        body: Option<String>,
    ) -> Result<(), MoveError> {
        let mut req = self.request(method(verb), url.clone());
        if let Some(b) = body {
            req = req
                .header("Content-Type", "application/xml; charset=utf-8")
                .body(b);
        }
        let status = self.send(req).await?.status();
        // 405: it exists (RFC 4918 §9.3.1).
        if status.is_success() || status == StatusCode::METHOD_NOT_ALLOWED {
            return Ok(());
        }
        Err(MoveError::protocol(
            &self.server,
            format!("{verb} {url} answered {status}"),
        ))
    }

    /// GET, failing on anything but 200.
    pub async fn get(&self, url: &Url) -> Result<reqwest::Response, MoveError> {
        let resp = self.send(self.request(Method::GET, url.clone())).await?;
        if resp.status() != StatusCode::OK {
            return Err(MoveError::protocol(
                &self.server,
                format!("GET {url} answered {}", resp.status()),
            ));
        }
        Ok(resp)
    }

    pub fn base_of(&self, url: &Url) -> Url {
        let mut u = url.clone();
        u.set_path("/");
        u.set_query(None);
        u
    }
}

/// `url` with `segments` appended, each percent-encoded (a `/` inside one is encoded).
pub fn join(url: &Url, segments: &[&str], collection: bool) -> Url {
    let mut u = url.clone();
    {
        let mut path = u.path_segments_mut().expect("an http(s) URL");
        path.pop_if_empty();
        for s in segments {
            path.push(s);
        }
        if collection {
            path.push("");
        }
    }
    u
}

/// A header map from pairs (names are static and valid).
pub fn headers(pairs: &[(&'static str, String)]) -> HeaderMap {
    let mut h = HeaderMap::new();
    for (k, v) in pairs {
        if let Ok(v) = HeaderValue::from_str(v) {
            h.insert(HeaderName::from_static(k), v);
        }
    }
    h
}

/// The resources of a `207 Multi-Status` answer (element names matched without
/// their namespace prefix; only the `200` propstat counts).
pub fn parse_multistatus(xml: &str) -> Result<Vec<Entry>, String> {
    let mut reader = quick_xml::Reader::from_str(xml);
    let mut out = Vec::new();
    let mut cur: Option<Entry> = None;
    let mut stack: Vec<String> = Vec::new();
    let mut ok = true;
    let mut pending = Entry::default();
    let mut text = String::new();
    loop {
        let ev = reader.read_event().map_err(|e| e.to_string())?;
        match ev {
            Event::Start(e) => {
                let name = local(e.name().as_ref());
                match name.as_str() {
                    "response" => cur = Some(Entry::default()),
                    "propstat" => {
                        ok = true;
                        pending = Entry::default();
                    }
                    _ => {}
                }
                stack.push(name);
                text.clear();
            }
            Event::Empty(e) => {
                let name = local(e.name().as_ref());
                if name == "collection" && stack.last().is_some_and(|p| p == "resourcetype") {
                    pending.collection = true;
                }
            }
            Event::Text(t) => text.push_str(&t.xml10_content()),
            Event::CData(t) => text.push_str(&t.xml10_content()),
            Event::GeneralRef(r) => {
                if let Ok(Some(c)) = r.resolve_char_ref() {
                    text.push(c);
                } else {
                    text.push_str(match r.xml10_content().as_ref() {
                        "quot" => "\"",
                        "amp" => "&",
                        "lt" => "<",
                        "gt" => ">",
                        "apos" => "'",
                        _ => "",
                    });
                }
            }
            Event::End(e) => {
                let name = local(e.name().as_ref());
                stack.pop();
                let parent = stack.last().map(String::as_str);
                let value = std::mem::take(&mut text);
                let value = value.trim();
                match name.as_str() {
                    "href" if parent == Some("response") => {
                        if let Some(c) = cur.as_mut() {
                            c.href = value.to_owned();
                        }
                    }
                    "status" if parent == Some("propstat") => ok = value.contains(" 200"),
                    "getetag" => pending.etag = Some(value.to_owned()),
                    "getcontentlength" => pending.size = value.parse().ok(),
                    "getlastmodified" => {
                        pending.modified = DateTime::parse_from_rfc2822(value)
                            .ok()
                            .map(|d| d.with_timezone(&Utc));
                    }
                    "propstat" if ok => {
                        if let Some(c) = cur.as_mut() {
                            let p = std::mem::take(&mut pending);
                            c.collection |= p.collection;
                            c.etag = c.etag.take().or(p.etag);
                            c.size = c.size.or(p.size);
                            c.modified = c.modified.or(p.modified);
                        }
                    }
                    "response" => {
                        if let Some(c) = cur.take() {
                            out.push(c);
                        }
                    }
                    _ => {}
                }
            }
            Event::Eof => break,
            _ => {}
        }
    }
    Ok(out)
}

fn local(name: &str) -> String {
    name.rsplit(':').next().unwrap_or(name).to_owned()
}

/// The last path segment of an href, decoded (`/a/b%20c.ics` → `b c.ics`).
pub fn last_segment(href: &str) -> String {
    let trimmed = href.trim_end_matches('/');
    let seg = trimmed.rsplit('/').next().unwrap_or(trimmed);
    percent_decode(seg)
}

pub fn percent_decode(s: &str) -> String {
    let bytes = s.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        if bytes[i] == b'%'
            && i + 2 < bytes.len()
            && bytes[i + 1].is_ascii_hexdigit()
            && bytes[i + 2].is_ascii_hexdigit()
        {
            let hex = |b: u8| (b as char).to_digit(16).unwrap_or(0) as u8;
            out.push(hex(bytes[i + 1]) * 16 + hex(bytes[i + 2]));
            i += 3;
            continue;
        }
        out.push(bytes[i]);
        i += 1;
    }
    String::from_utf8_lossy(&out).into_owned()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn apache_and_radicale_answers_parse() {
        let apache = r#"<?xml version="1.0" encoding="utf-8"?>
<D:multistatus xmlns:D="DAV:">
<D:response xmlns:lp1="DAV:"><D:href>/a%20b/</D:href><D:propstat><D:prop>
<lp1:resourcetype><D:collection/></lp1:resourcetype><lp1:getetag>W/"1000-6"</lp1:getetag>
</D:prop><D:status>HTTP/1.1 200 OK</D:status></D:propstat></D:response>
<D:response xmlns:lp1="DAV:"><D:href>/a%20b/f.txt</D:href><D:propstat><D:prop>
<lp1:resourcetype/><lp1:getcontentlength>6</lp1:getcontentlength>
<lp1:getlastmodified>Sun, 06 Dec 2026 13:59:43 GMT</lp1:getlastmodified>
<lp1:getetag>"6-661f"</lp1:getetag></D:prop><D:status>HTTP/1.1 200 OK</D:status></D:propstat>
<D:propstat><D:prop><D:foo/></D:prop><D:status>HTTP/1.1 404 Not Found</D:status></D:propstat>
</D:response></D:multistatus>"#;
        let e = parse_multistatus(apache).unwrap();
        assert_eq!(e.len(), 2);
        assert!(e[0].collection && !e[1].collection);
        assert_eq!(e[1].size, Some(6));
        assert_eq!(e[1].etag.as_deref(), Some("\"6-661f\""));
        assert_eq!(
            e[1].modified.unwrap().to_rfc3339(),
            "2026-12-06T13:59:43+00:00"
        );
        assert_eq!(last_segment(&e[0].href), "a b");
    }

    #[test]
    fn segments_are_encoded() {
        let u = Url::parse("http://127.0.0.1:8080/dav/").unwrap();
        assert_eq!(
            join(&u, &["Google Drive", "a/b?c#d.txt"], false).as_str(),
            "http://127.0.0.1:8080/dav/Google%20Drive/a%2Fb%3Fc%23d.txt"
        );
        assert_eq!(
            join(&u, &["x"], true).as_str(),
            "http://127.0.0.1:8080/dav/x/"
        );
        assert_eq!(percent_decode("%C3%A6%2"), "æ%2");
    }
}
