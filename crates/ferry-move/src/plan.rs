//! Which server receives what: from the plan's chosen app for each kind (e-mail,
//! calendar, contacts, files) and the address the deploy step gave it, or from
//! addresses given by hand (a co-op's existing server, the tests' loopback servers).
//!
//! Apps Ferry knows how to reach (from each app's documentation):
//! - `mailu`: IMAP over TLS on port 993 at the app's address;
//! - `nextcloud`: CalDAV and CardDAV under `remote.php/dav/calendars/<user>/` and
//!   `remote.php/dav/addressbooks/users/<user>/`, files under
//!   `remote.php/dav/files/<user>/` with chunked upload v2 and `X-OC-MTime`;
//! - `radicale`: CalDAV and CardDAV at `<address>/<user>/<collection>/`.
//!
//! Any other server is given by hand with its address and kind ([`Flavour`]).

use ferry_core::Plan;
use ferry_core::deploy::domain_for;
use ferry_core::exit::chosen_apps;
use reqwest::Url;
use serde::{Deserialize, Serialize};
use ts_rs::TS;

use crate::error::MoveError;
use crate::target::imap::{ImapServer, Security};
use crate::target::objects::DavLayout;
use crate::{Kind, MoveMode, SourceSpec};

/// What kind of server an address is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "snake_case")]
pub enum Flavour {
    /// `imaps://host[:993]` (TLS), or `imap://host[:143]` (STARTTLS; no encryption
    /// only to this computer).
    Imap,
    /// A Nextcloud at its address (CalDAV, CardDAV and files, its own paths).
    Nextcloud,
    /// A CalDAV/CardDAV server with collections at `<address>/<user>/` (Radicale).
    Radicale,
    /// Plain WebDAV for files; `{user}` in the address is the person's login.
    Webdav,
}

impl Flavour {
    /// Whether an administrator can sign in for everyone (an IMAP master user);
    /// CalDAV, CardDAV and WebDAV servers take each person's own account only.
    pub fn admin_sign_in(self) -> bool {
        matches!(self, Flavour::Imap)
    }
}

/// The app of a target given by its address rather than chosen in the plan.
pub const CUSTOM_APP: &str = "custom";

/// Where one kind goes.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct TargetSpec {
    pub kind: Kind,
    /// The app (a recipe name), or `custom`.
    pub app: String,
    pub flavour: Flavour,
    pub url: String,
}

/// Whose data goes to which account.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct PersonSpec {
    /// The person in the export (an admin export's folder name; `""` for a Takeout).
    pub source: String,
    /// Their account on the new apps.
    pub login: String,
}

/// A whole move, as the window or the command line asks for it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct MoveSpec {
    pub sources: Vec<SourceSpec>,
    pub people: Vec<PersonSpec>,
    pub targets: Vec<TargetSpec>,
    pub mode: MoveMode,
    /// The folder the Drive files go into, in each person's files.
    #[serde(default = "default_drive_folder")]
    pub drive_folder: String,
}

pub fn default_drive_folder() -> String {
    "Google Drive".to_owned()
}

/// The target of each kind for which the plan chose an app Ferry can reach; kinds
/// whose app is unknown or has no address yet are answered as errors.
pub fn targets_from_plan(plan: &Plan) -> Vec<Result<TargetSpec, MoveError>> {
    let apps = chosen_apps(plan);
    let mut out = Vec::new();
    for kind in Kind::ALL {
        let Some((need, recipe)) = apps.iter().find(|(need, _)| *need == kind.need()) else {
            continue;
        };
        let flavour = match (kind, *recipe) {
            (Kind::Mail, "mailu") => Flavour::Imap,
            (_, "nextcloud") if kind != Kind::Mail => Flavour::Nextcloud,
            (Kind::Calendar | Kind::Contacts, "radicale") => Flavour::Radicale,
            _ => {
                out.push(Err(MoveError::NoTarget {
                    kind: kind.key().to_owned(),
                }));
                continue;
            }
        };
        let Some(domain) = domain_for(plan, need, recipe) else {
            out.push(Err(MoveError::NoAddress {
                recipe: (*recipe).to_owned(),
            }));
            continue;
        };
        let url = match flavour {
            Flavour::Imap => format!("imaps://{domain}"),
            _ => format!("https://{domain}/"),
        };
        out.push(Ok(TargetSpec {
            kind,
            app: (*recipe).to_owned(),
            flavour,
            url,
        }));
    }
    out
}

/// An IMAP address as a server to reach.
pub fn imap_server(url: &str) -> Result<ImapServer, MoveError> {
    let bad = |detail: &str| MoveError::Protocol {
        server: url.to_owned(),
        detail: detail.to_owned(),
    };
    let u = Url::parse(url).map_err(|e| bad(&e.to_string()))?;
    let host = u
        .host_str()
        .ok_or_else(|| bad("no host"))?
        .trim_matches(['[', ']'])
        .to_owned();
    let (security, port) = match u.scheme() {
        "imaps" => (Security::Tls, u.port().unwrap_or(993)),
        "imap" => {
            let loopback = host == "localhost"
                || host
                    .parse::<std::net::IpAddr>()
                    .is_ok_and(|ip| ip.is_loopback());
            let security = if loopback {
                Security::Plain
            } else {
                Security::StartTls
            };
            (security, u.port().unwrap_or(143))
        }
        other => return Err(bad(&format!("{other}: not an IMAP address"))),
    };
    Ok(ImapServer {
        host,
        port,
        security,
    })
}

/// A DAV address, with its layout for calendars and contacts.
pub fn dav_base(spec: &TargetSpec) -> Result<(Url, DavLayout), MoveError> {
    let url = Url::parse(&spec.url).map_err(|e| MoveError::Protocol {
        server: spec.url.clone(),
        detail: e.to_string(),
    })?;
    let layout = match spec.flavour {
        Flavour::Nextcloud => DavLayout::Nextcloud,
        _ => DavLayout::UserRoot,
    };
    Ok((url, layout))
}

/// Where a person's Drive files go: the collection URL of the Drive folder, and
/// Nextcloud's uploads collection when the server is Nextcloud.
pub fn files_root(
    spec: &TargetSpec,
    login: &str,
    folder: &str,
) -> Result<(Url, Option<Url>), MoveError> {
    let bad = |e: &dyn std::fmt::Display| MoveError::Protocol {
        server: spec.url.clone(),
        detail: e.to_string(),
    };
    let join = crate::target::dav::join;
    match spec.flavour {
        Flavour::Nextcloud => {
            let base = Url::parse(&spec.url).map_err(|e| bad(&e))?;
            let root = join(&base, &["remote.php", "dav", "files", login, folder], true);
            let uploads = join(&base, &["remote.php", "dav", "uploads", login], true);
            Ok((root, Some(uploads)))
        }
        _ => {
            // `{user}` stands for the login, encoded as one path segment.
            let (before, after) = spec.url.split_once("{user}").unwrap_or((&spec.url, ""));
            let base = Url::parse(before).map_err(|e| bad(&e))?;
            let mut url = if spec.url.contains("{user}") {
                join(&base, &[login], false)
            } else {
                base
            };
            let rest: Vec<&str> = after.split('/').filter(|p| !p.is_empty()).collect();
            url = join(&url, &rest, false);
            Ok((join(&url, &[folder], true), None))
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use ferry_core::model::{AppDomain, Decision, Language};

    #[test]
    fn the_plan_s_apps_become_addresses() {
        let mut plan = Plan::new("Lag", Language::Nb).unwrap();
        plan.recipes.set(
            "email",
            Decision::Recipe {
                name: "mailu".into(),
            },
        );
        plan.recipes.set(
            "files",
            Decision::Recipe {
                name: "nextcloud".into(),
            },
        );
        plan.recipes.set(
            "calendar",
            Decision::Recipe {
                name: "radicale".into(),
            },
        );
        plan.recipes.set(
            "contacts",
            Decision::Recipe {
                name: "cryptpad".into(),
            },
        );
        let t = targets_from_plan(&plan);
        assert!(matches!(t[0], Err(MoveError::NoAddress { .. })));
        plan.deploy.base_domain = "lag.example.no".into();
        plan.deploy.domains.push(AppDomain {
            need: "email".into(),
            domain: "mail.lag.example.no".into(),
        });
        let t = targets_from_plan(&plan);
        let ok: Vec<_> = t.iter().filter_map(|r| r.as_ref().ok()).collect();
        assert_eq!(ok[0].url, "imaps://mail.lag.example.no");
        assert_eq!(ok[1].url, "https://radicale.lag.example.no/");
        assert_eq!(ok[2].flavour, Flavour::Nextcloud);
        assert!(matches!(t[2], Err(MoveError::NoTarget { .. })), "{t:?}");
    }

    #[test]
    fn addresses_parse() {
        let s = imap_server("imaps://mail.example.org").unwrap();
        assert_eq!((s.port, s.security), (993, Security::Tls));
        let s = imap_server("imap://127.0.0.1:1143").unwrap();
        assert_eq!((s.port, s.security), (1143, Security::Plain));
        assert_eq!(
            imap_server("imap://mail.example.org").unwrap().security,
            Security::StartTls
        );
        let spec = TargetSpec {
            kind: Kind::Files,
            app: "custom".into(),
            flavour: Flavour::Webdav,
            url: "http://127.0.0.1:8080/dav/{user}/".into(),
        };
        let (root, up) = files_root(&spec, "ada lovelace", "Google Drive").unwrap();
        assert_eq!(
            root.as_str(),
            "http://127.0.0.1:8080/dav/ada%20lovelace/Google%20Drive/"
        );
        assert!(up.is_none());
        let nc = TargetSpec {
            flavour: Flavour::Nextcloud,
            url: "https://cloud.example.org/".into(),
            ..spec
        };
        let (root, up) = files_root(&nc, "ada", "Google Drive").unwrap();
        assert_eq!(
            root.as_str(),
            "https://cloud.example.org/remote.php/dav/files/ada/Google%20Drive/"
        );
        assert_eq!(
            up.unwrap().as_str(),
            "https://cloud.example.org/remote.php/dav/uploads/ada/"
        );
    }
}
