//! The Keycloak contract server's users: `/admin/realms/{realm}/users…`, their groups
//! and the invitation e-mail.

use axum::http::{Method, StatusCode};
use serde_json::{Value, json};

use super::{Realm, conflict, created, no_content, strings, uuid};
use crate::testing::{Answer, Req, answer, not_found, random_secret, redirect_allowed};

/// `smtp`: whether the realm can send e-mail; `mails` keeps (address, link) of each.
pub(super) fn route(
    realm: &mut Realm,
    req: &Req,
    rest: &[&str],
    body: &Value,
    prefix: &str,
    smtp: bool,
    mails: &mut Vec<(String, String)>,
) -> Answer {
    match (req.method.clone(), rest) {
        (Method::GET, ["users"]) => {
            let email = req.q("email").map(str::to_lowercase);
            let username = req.q("username").map(str::to_lowercase);
            let list: Vec<Value> = realm
                .users
                .iter()
                .filter(|u| {
                    email
                        .as_deref()
                        .is_none_or(|e| u["email"].as_str() == Some(e))
                })
                .filter(|u| {
                    username
                        .as_deref()
                        .is_none_or(|n| u["username"].as_str() == Some(n))
                })
                .cloned()
                .collect();
            answer(StatusCode::OK, json!(list))
        }
        (Method::POST, ["users"]) => {
            let username = body["username"].as_str().unwrap_or_default().to_lowercase();
            let email = body["email"].as_str().unwrap_or_default().to_lowercase();
            if username.is_empty() {
                return answer(
                    StatusCode::BAD_REQUEST,
                    json!({"errorMessage": "username is required"}),
                );
            }
            if realm.users.iter().any(|u| {
                u["username"] == username.as_str()
                    || (!email.is_empty() && u["email"] == email.as_str())
            }) {
                return conflict("User");
            }
            let id = uuid();
            let mut u = body.clone();
            u["id"] = json!(id);
            u["username"] = json!(username);
            u["email"] = json!(email);
            realm.users.push(u);
            created(format!("{prefix}/users/{id}"))
        }
        (Method::GET, ["users", id, "groups"]) => {
            let ids = realm.memberships.get(*id).cloned().unwrap_or_default();
            let list: Vec<Value> = realm
                .groups
                .iter()
                .filter(|g| ids.iter().any(|i| g["id"] == i.as_str()))
                .cloned()
                .collect();
            answer(StatusCode::OK, json!(list))
        }
        (Method::PUT, ["users", id, "groups", gid]) => {
            if !realm.users.iter().any(|u| u["id"] == *id)
                || !realm.groups.iter().any(|g| g["id"] == *gid)
            {
                return not_found();
            }
            let list = realm.memberships.entry((*id).to_owned()).or_default();
            if !list.iter().any(|g| g == gid) {
                list.push((*gid).to_owned());
            }
            no_content()
        }
        (Method::PUT, ["users", id, "execute-actions-email"]) => {
            if !realm.users.iter().any(|u| u["id"] == *id) {
                return not_found();
            }
            if let Some(redirect) = req.q("redirect_uri") {
                let client = req
                    .q("client_id")
                    .and_then(|cid| realm.clients.iter().find(|c| c["clientId"] == cid));
                let Some(client) = client else {
                    return answer(
                        StatusCode::BAD_REQUEST,
                        json!({"errorMessage": "Client doesn't exist"}),
                    );
                };
                if !redirect_allowed(&strings(&client["redirectUris"]), redirect) {
                    return answer(
                        StatusCode::BAD_REQUEST,
                        json!({"errorMessage": "Invalid redirect uri."}),
                    );
                }
            }
            if !smtp {
                return answer(
                    StatusCode::INTERNAL_SERVER_ERROR,
                    json!({"errorMessage": "Failed to send execute actions email"}),
                );
            }
            let to = realm
                .users
                .iter()
                .find(|u| u["id"] == *id)
                .and_then(|u| u["email"].as_str())
                .unwrap_or_default()
                .to_owned();
            let link = format!(
                "{prefix}/login-actions/action-token?key={}",
                random_secret(40)
            )
            .replace("/admin/realms/", "/realms/");
            mails.push((to, link));
            no_content()
        }
        _ => not_found(),
    }
}
