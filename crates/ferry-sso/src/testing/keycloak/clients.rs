//! The Keycloak contract server's clients: `/admin/realms/{realm}/clients…`.

use axum::http::{Method, StatusCode};
use serde_json::{Value, json};

use super::{Realm, conflict, created, no_content, uuid};
use crate::testing::{Answer, Req, answer, not_found, random_secret};

pub(super) fn route(
    realm: &mut Realm,
    req: &Req,
    rest: &[&str],
    body: &Value,
    prefix: &str,
) -> Answer {
    match (req.method.clone(), rest) {
        (Method::GET, ["clients"]) => {
            let want = req.q("clientId");
            let first: usize = req.q("first").and_then(|f| f.parse().ok()).unwrap_or(0);
            let max: usize = req.q("max").and_then(|m| m.parse().ok()).unwrap_or(100);
            let list: Vec<Value> = realm
                .clients
                .iter()
                .filter(|c| want.is_none_or(|w| c["clientId"].as_str() == Some(w)))
                .skip(first)
                .take(max)
                .map(|c| {
                    let mut c = c.clone();
                    c.as_object_mut().map(|o| o.remove("secret"));
                    c
                })
                .collect();
            answer(StatusCode::OK, json!(list))
        }
        (Method::POST, ["clients"]) => {
            let Some(client_id) = body["clientId"].as_str() else {
                return answer(
                    StatusCode::BAD_REQUEST,
                    json!({"errorMessage": "clientId is required"}),
                );
            };
            if realm.clients.iter().any(|c| c["clientId"] == client_id) {
                return conflict(&format!("Client {client_id} already"));
            }
            let mut c = body.clone();
            let id = uuid();
            c["id"] = json!(id);
            if c["secret"].is_null() {
                c["secret"] = json!(random_secret(32));
            }
            // `get_mut`, not `c[..]`: indexing would add a null the real one never has.
            for mapper in c
                .get_mut("protocolMappers")
                .and_then(Value::as_array_mut)
                .into_iter()
                .flatten()
            {
                mapper["id"] = json!(uuid());
            }
            realm.clients.push(c);
            created(format!("{prefix}/clients/{id}"))
        }
        (Method::DELETE, ["clients", id]) => {
            let before = realm.clients.len();
            realm.clients.retain(|c| c["id"] != *id);
            // Its roles go with it.
            realm.access.forget_client(id);
            if realm.clients.len() == before {
                return answer(
                    StatusCode::NOT_FOUND,
                    json!({"error": "Could not find client"}),
                );
            }
            no_content()
        }
        (Method::PUT, ["clients", id]) => {
            let Some(c) = realm.clients.iter_mut().find(|c| c["id"] == *id) else {
                return answer(
                    StatusCode::NOT_FOUND,
                    json!({"error": "Could not find client"}),
                );
            };
            // Fields given replace theirs, attributes one by one; the rest stay
            // (Keycloak's RepresentationToModel.updateClient). Id and secret stay.
            for (k, v) in body.as_object().into_iter().flatten() {
                match k.as_str() {
                    "id" | "secret" | "protocolMappers" => {}
                    "attributes" => {
                        if !c["attributes"].is_object() {
                            c["attributes"] = json!({});
                        }
                        for (ak, av) in v.as_object().into_iter().flatten() {
                            match av {
                                // As the real one: a null attribute goes.
                                Value::Null => {
                                    c["attributes"].as_object_mut().map(|a| a.remove(ak));
                                }
                                _ => c["attributes"][ak] = av.clone(),
                            }
                        }
                    }
                    _ => c[k] = v.clone(),
                }
            }
            no_content()
        }
        (Method::POST, ["clients", id, "protocol-mappers", "models"]) => {
            let Some(c) = realm.clients.iter_mut().find(|c| c["id"] == *id) else {
                return answer(
                    StatusCode::NOT_FOUND,
                    json!({"error": "Could not find client"}),
                );
            };
            if c["protocolMappers"]
                .as_array()
                .into_iter()
                .flatten()
                .any(|x| x["name"] == body["name"])
            {
                return conflict("Protocol mapper");
            }
            let mut mapper = body.clone();
            mapper["id"] = json!(uuid());
            if !c["protocolMappers"].is_array() {
                c["protocolMappers"] = json!([]);
            }
            c["protocolMappers"]
                .as_array_mut()
                .expect("array")
                .push(mapper);
            created(format!("{prefix}/clients/{id}/protocol-mappers/models/x"))
        }
        (Method::GET, ["clients", id, "client-secret"]) => {
            match realm.clients.iter().find(|c| c["id"] == *id) {
                Some(c) => answer(
                    StatusCode::OK,
                    json!({"type": "secret", "value": c["secret"]}),
                ),
                None => answer(
                    StatusCode::NOT_FOUND,
                    json!({"error": "Could not find client"}),
                ),
            }
        }
        _ => not_found(),
    }
}
