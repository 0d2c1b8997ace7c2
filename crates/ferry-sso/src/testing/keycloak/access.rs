//! The Keycloak contract server's authentication flows, client roles and group role
//! mappings, as Keycloak 26's Admin REST API keeps them (checked against the real
//! 26.7.3): flows listed top level only, executions listed depth first with their
//! level, a copy that renames sub-flows and configurations with the new name first,
//! a deep delete, and a sign-in that runs a client's browser-flow override: a
//! conditional sub-flow whose "Condition - user role" holds ends in "Deny access".

use std::collections::HashMap;

use axum::http::{HeaderMap, HeaderValue, Method, StatusCode};
use serde_json::{Value, json};

use super::{Answer, answer, not_found};

#[derive(Default)]
pub(super) struct Access {
    /// Every flow, top level or not: id, alias, topLevel, description, providerId.
    flows: Vec<Value>,
    /// id, parentFlow, authenticator, authenticatorFlow, flowId, requirement, config.
    executions: Vec<Value>,
    /// id → {id, alias, config}
    configs: HashMap<String, Value>,
    /// client uuid → its roles ({id, name, description, clientRole})
    client_roles: HashMap<String, Vec<Value>>,
    /// group id → role ids
    group_roles: HashMap<String, Vec<String>>,
}

fn created(location: String) -> Answer {
    let mut h = HeaderMap::new();
    h.insert("location", HeaderValue::from_str(&location).expect("ascii"));
    (StatusCode::CREATED, h, Value::Null)
}

fn exists(what: &str) -> Answer {
    answer(StatusCode::CONFLICT, json!({ "errorMessage": what }))
}

/// Keycloak's `ReservedCharValidator` on flow and configuration aliases.
fn reserved(alias: &str) -> Option<Answer> {
    let c = alias.chars().find(|c| ":/?#@!$&()*+,;=[]\\".contains(*c))?;
    Some(answer(
        StatusCode::BAD_REQUEST,
        json!({ "errorMessage": format!("Character '{c}' not allowed.") }),
    ))
}

/// The template's description as the Ferry before marks wrote it.
pub(super) const EARLIER_DESCRIPTION: &str = "Made by Ferry: each app's flow is a copy. Signs in as the browser flow does, then lets in only holders of the app's role.";

/// A role as lists and role mappings show it: without its attributes.
fn brief(role: &Value) -> Value {
    let mut r = role.clone();
    r.as_object_mut().map(|o| o.remove("attributes"));
    r
}

fn uuid() -> String {
    uuid::Uuid::new_v4().to_string()
}

impl Access {
    fn flow_by_alias(&self, alias: &str) -> Option<&Value> {
        self.flows.iter().find(|f| f["alias"] == alias)
    }

    /// A flow's steps in Keycloak's order: by priority.
    fn children(&self, flow_id: &str) -> Vec<&Value> {
        let mut list: Vec<&Value> = self
            .executions
            .iter()
            .filter(|e| e["parentFlow"] == flow_id)
            .collect();
        list.sort_by_key(|e| e["priority"].as_i64().unwrap_or(0));
        list
    }

    /// Keycloak's `getNextPriority`: one after the flow's last step.
    fn next_priority(&self, flow_id: &str) -> i64 {
        self.children(flow_id)
            .last()
            .map_or(0, |e| e["priority"].as_i64().unwrap_or(0) + 1)
    }

    /// The realm export's `authenticationFlows`: every flow, sub-flows included, each
    /// step naming the sub-flow it holds by alias.
    pub(super) fn export(&self) -> Value {
        let flows: Vec<Value> = self
            .flows
            .iter()
            .map(|f| {
                let id = f["id"].as_str().unwrap_or_default();
                let steps: Vec<Value> = self
                    .children(id)
                    .into_iter()
                    .map(|e| {
                        let mut rep = json!({
                            "authenticatorFlow": e["authenticatorFlow"],
                            "requirement": e["requirement"],
                            "priority": e["priority"],
                        });
                        if e["authenticatorFlow"] == true {
                            let sub = self.flows.iter().find(|s| s["id"] == e["flowId"]);
                            rep["flowAlias"] = sub.map_or(Value::Null, |s| s["alias"].clone());
                        } else {
                            rep["authenticator"] = e["authenticator"].clone();
                        }
                        rep
                    })
                    .collect();
                let mut rep = f.clone();
                rep["authenticationExecutions"] = json!(steps);
                rep
            })
            .collect();
        json!(flows)
    }

    /// `/admin/realms/{realm}/authentication/…`
    pub(super) fn authentication(
        &mut self,
        m: &Method,
        rest: &[&str],
        body: &Value,
        prefix: &str,
    ) -> Answer {
        match (m.clone(), rest) {
            (Method::GET, ["flows"]) => {
                let top: Vec<&Value> = self
                    .flows
                    .iter()
                    .filter(|f| f["topLevel"] == true)
                    .collect();
                answer(StatusCode::OK, json!(top))
            }
            (Method::POST, ["flows"]) => {
                let Some(alias) = body["alias"].as_str() else {
                    return answer(
                        StatusCode::BAD_REQUEST,
                        json!({"errorMessage": "alias missing"}),
                    );
                };
                if let Some(refused) = reserved(alias) {
                    return refused;
                }
                if self.flow_by_alias(alias).is_some() {
                    return exists("Flow already exists");
                }
                let id = uuid();
                self.flows.push(json!({
                    "id": id, "alias": alias, "description": body["description"],
                    "providerId": body["providerId"], "topLevel": body["topLevel"] == true,
                    "builtIn": false,
                }));
                created(format!("{prefix}/authentication/flows/{id}"))
            }
            (Method::DELETE, ["flows", id]) => {
                if !self.flows.iter().any(|f| f["id"] == *id) {
                    return not_found();
                }
                self.delete_flow(id);
                answer(StatusCode::NO_CONTENT, Value::Null)
            }
            (Method::POST, ["flows", alias, "copy"]) => {
                let Some(new) = body["newName"].as_str() else {
                    return answer(
                        StatusCode::BAD_REQUEST,
                        json!({"errorMessage": "newName missing"}),
                    );
                };
                if self.flow_by_alias(new).is_some() {
                    return exists("New flow alias name already exists");
                }
                let Some(from) = self.flow_by_alias(alias).cloned() else {
                    return not_found();
                };
                let id = self.copy_flow(&from, new, new, true);
                created(format!("{prefix}/authentication/flows/{id}"))
            }
            // Keycloak's `addExecutionFlow`: the sub-flow and the step holding it, in
            // one request; the step DISABLED; the answer points at the new flow.
            (Method::POST, ["flows", parent, "executions", "flow"]) => {
                let Some(parent_id) = self.flow_by_alias(parent).map(|f| f["id"].clone()) else {
                    return answer(
                        StatusCode::BAD_REQUEST,
                        json!({"errorMessage": "Parent flow doesn't exist"}),
                    );
                };
                let alias = body["alias"].as_str().unwrap_or_default();
                if self.flow_by_alias(alias).is_some() {
                    return exists("New flow alias name already exists");
                }
                let id = uuid();
                let priority = self.next_priority(parent_id.as_str().unwrap_or_default());
                self.flows.push(json!({
                    "id": id, "alias": alias, "description": body["description"],
                    "providerId": body["type"], "topLevel": false, "builtIn": false,
                }));
                self.executions.push(json!({
                    "id": uuid(), "parentFlow": parent_id, "authenticator": Value::Null,
                    "authenticatorFlow": true, "flowId": id, "requirement": "DISABLED",
                    "priority": priority,
                }));
                created(format!("{prefix}/authentication/flows/{id}"))
            }
            // Keycloak's `updateExecutions`: the priority is an int, so one not sent
            // is 0 and the step moves; the requirement changes with it.
            (Method::PUT, ["flows", alias, "executions"]) => {
                if self.flow_by_alias(alias).is_none() {
                    return not_found();
                }
                let Some(e) = self.executions.iter_mut().find(|e| e["id"] == body["id"]) else {
                    return not_found();
                };
                let priority = body["priority"].as_i64().unwrap_or(0);
                let requirement = body["requirement"].clone();
                if e["priority"].as_i64() != Some(priority) || e["requirement"] != requirement {
                    e["priority"] = json!(priority);
                    e["requirement"] = requirement;
                }
                answer(StatusCode::NO_CONTENT, Value::Null)
            }
            (Method::GET, ["flows", alias, "executions"]) => {
                let Some(flow) = self.flow_by_alias(alias) else {
                    return not_found();
                };
                let mut out = Vec::new();
                self.list(flow["id"].as_str().unwrap_or_default(), 0, &mut out);
                answer(StatusCode::OK, json!(out))
            }
            (Method::POST, ["executions"]) => {
                let parent = body["parentFlow"].as_str().unwrap_or_default();
                if !self.flows.iter().any(|f| f["id"] == parent) {
                    return answer(
                        StatusCode::BAD_REQUEST,
                        json!({"errorMessage": "execution parent flow does not exist"}),
                    );
                }
                let id = uuid();
                let priority = body["priority"]
                    .as_i64()
                    .unwrap_or_else(|| self.next_priority(parent));
                self.executions.push(json!({
                    "id": id, "parentFlow": parent,
                    "authenticator": body["authenticator"],
                    "authenticatorFlow": body["authenticatorFlow"] == true,
                    "flowId": body["flowId"], "requirement": body["requirement"],
                    "priority": priority,
                }));
                created(format!("{prefix}/authentication/executions/{id}"))
            }
            (Method::POST, ["executions", id, "config"]) => {
                if let Some(refused) = reserved(body["alias"].as_str().unwrap_or_default()) {
                    return refused;
                }
                let Some(e) = self.executions.iter_mut().find(|e| e["id"] == *id) else {
                    return not_found();
                };
                let cid = uuid();
                e["config"] = json!(cid);
                self.configs.insert(
                    cid.clone(),
                    json!({"id": cid, "alias": body["alias"], "config": body["config"]}),
                );
                created(format!("{prefix}/authentication/config/{cid}"))
            }
            (Method::GET, ["config", id]) => match self.configs.get(*id) {
                Some(c) => answer(StatusCode::OK, c.clone()),
                None => not_found(),
            },
            (Method::PUT, ["config", id]) => match self.configs.get_mut(*id) {
                Some(c) => {
                    c["config"] = body["config"].clone();
                    answer(StatusCode::NO_CONTENT, Value::Null)
                }
                None => not_found(),
            },
            _ => not_found(),
        }
    }

    /// Depth first, as Keycloak's `recurseExecutions`.
    fn list(&self, flow_id: &str, level: u32, out: &mut Vec<Value>) {
        for (index, e) in self.children(flow_id).into_iter().enumerate() {
            let mut rep = json!({
                "id": e["id"], "level": level, "index": index,
                "priority": e["priority"],
                "requirement": e["requirement"],
                "authenticationFlow": e["authenticatorFlow"],
            });
            if e["authenticatorFlow"] == true {
                let sub = e["flowId"].as_str().unwrap_or_default();
                let alias = self
                    .flows
                    .iter()
                    .find(|f| f["id"] == sub)
                    .map(|f| f["alias"].clone());
                rep["displayName"] = alias.unwrap_or(Value::Null);
                rep["flowId"] = json!(sub);
                out.push(rep);
                self.list(sub, level + 1, out);
            } else {
                rep["providerId"] = e["authenticator"].clone();
                rep["displayName"] = e["authenticator"].clone();
                if let Some(c) = e.get("config").filter(|c| !c.is_null()) {
                    rep["authenticationConfig"] = c.clone();
                }
                out.push(rep);
            }
        }
    }

    /// Keycloak's `copyFlow`: sub-flows and configurations named "<new> <old>".
    fn copy_flow(&mut self, from: &Value, alias: &str, new: &str, top: bool) -> String {
        let id = uuid();
        self.flows.push(json!({
            "id": id, "alias": alias, "description": from["description"],
            "providerId": from["providerId"], "topLevel": top, "builtIn": false,
        }));
        let from_id = from["id"].as_str().unwrap_or_default().to_owned();
        let children: Vec<Value> = self.children(&from_id).into_iter().cloned().collect();
        for e in children {
            let mut copy = e.clone();
            copy["id"] = json!(uuid());
            copy["parentFlow"] = json!(id);
            if e["authenticatorFlow"] == true {
                let sub = self
                    .flows
                    .iter()
                    .find(|f| f["id"] == e["flowId"])
                    .cloned()
                    .unwrap_or_default();
                let sub_alias = format!("{new} {}", sub["alias"].as_str().unwrap_or_default());
                copy["flowId"] = json!(self.copy_flow(&sub, &sub_alias, new, false));
            }
            if let Some(c) = e["config"]
                .as_str()
                .and_then(|c| self.configs.get(c))
                .cloned()
            {
                let cid = uuid();
                let alias = format!("{new} {}", c["alias"].as_str().unwrap_or_default());
                self.configs.insert(
                    cid.clone(),
                    json!({"id": cid, "alias": alias, "config": c["config"]}),
                );
                copy["config"] = json!(cid);
            }
            self.executions.push(copy);
        }
        id
    }

    fn delete_flow(&mut self, id: &str) {
        let children: Vec<Value> = self.children(id).into_iter().cloned().collect();
        for e in children {
            if let Some(sub) = e["flowId"]
                .as_str()
                .filter(|_| e["authenticatorFlow"] == true)
            {
                self.delete_flow(sub);
            }
            if let Some(c) = e["config"].as_str() {
                self.configs.remove(c);
            }
        }
        self.executions.retain(|e| e["parentFlow"] != id);
        self.flows.retain(|f| f["id"] != id);
    }

    /// `/clients/{uuid}/roles[/{name}]`
    pub(super) fn client_roles(
        &mut self,
        m: &Method,
        client: &str,
        name: Option<&str>,
        body: &Value,
        prefix: &str,
    ) -> Answer {
        let roles = self.client_roles.entry(client.to_owned()).or_default();
        match (m.clone(), name) {
            (Method::POST, None) => {
                let Some(name) = body["name"].as_str() else {
                    return answer(
                        StatusCode::BAD_REQUEST,
                        json!({"errorMessage": "name missing"}),
                    );
                };
                if roles.iter().any(|r| r["name"] == name) {
                    return exists(&format!("Role with name {name} already exists"));
                }
                roles.push(json!({
                    "id": uuid(), "name": name, "description": body["description"],
                    "composite": false, "clientRole": true, "containerId": client,
                    "attributes": body.get("attributes").cloned().unwrap_or(json!({})),
                }));
                created(format!("{prefix}/clients/{client}/roles/{name}"))
            }
            // A list shows roles without their attributes, as Keycloak's does.
            (Method::GET, None) => {
                let brief: Vec<Value> = roles.iter().map(brief).collect();
                answer(StatusCode::OK, json!(brief))
            }
            (Method::GET, Some(name)) => match roles.iter().find(|r| r["name"] == name) {
                Some(r) => answer(StatusCode::OK, r.clone()),
                None => answer(
                    StatusCode::NOT_FOUND,
                    json!({"error": "Could not find role"}),
                ),
            },
            _ => not_found(),
        }
    }

    /// `/groups/{gid}/role-mappings/clients/{uuid}`
    pub(super) fn group_client_roles(
        &mut self,
        m: &Method,
        gid: &str,
        uuid: &str,
        body: &Value,
    ) -> Answer {
        let of_client = self.client_roles.get(uuid).cloned().unwrap_or_default();
        let held = self.group_roles.entry(gid.to_owned()).or_default();
        match *m {
            Method::GET => {
                let list: Vec<Value> = of_client
                    .iter()
                    .filter(|r| held.iter().any(|h| r["id"] == h.as_str()))
                    .map(brief)
                    .collect();
                answer(StatusCode::OK, json!(list))
            }
            Method::POST => {
                for r in body.as_array().into_iter().flatten() {
                    let Some(role) = of_client.iter().find(|c| c["id"] == r["id"]) else {
                        return answer(
                            StatusCode::NOT_FOUND,
                            json!({"error": "Could not find role"}),
                        );
                    };
                    let id = role["id"].as_str().unwrap_or_default().to_owned();
                    if !held.contains(&id) {
                        held.push(id);
                    }
                }
                answer(StatusCode::NO_CONTENT, Value::Null)
            }
            _ => not_found(),
        }
    }

    /// Whether a user in `groups` gets through `client`'s browser flow: with no
    /// override, everyone does; with one, a conditional sub-flow at its top level whose
    /// user-role condition holds and that denies access keeps them out.
    pub(super) fn allows(&self, client: &Value, groups: &[String]) -> bool {
        let Some(flow) = client["authenticationFlowBindingOverrides"]["browser"].as_str() else {
            return true;
        };
        let client_id = client["clientId"].as_str().unwrap_or_default();
        let holds = |role: &str| {
            let Some(name) = role.strip_prefix(&format!("{client_id}.")) else {
                return false;
            };
            let uuid = client["id"].as_str().unwrap_or_default();
            let Some(r) = self
                .client_roles
                .get(uuid)
                .and_then(|rs| rs.iter().find(|r| r["name"] == name))
            else {
                return false;
            };
            groups.iter().any(|g| {
                self.group_roles
                    .get(g)
                    .is_some_and(|held| held.iter().any(|h| r["id"] == h.as_str()))
            })
        };
        !self.children(flow).into_iter().any(|e| {
            let sub = e["flowId"].as_str().unwrap_or_default();
            let steps = self.children(sub);
            e["requirement"] == "CONDITIONAL"
                && steps
                    .iter()
                    .any(|s| s["authenticator"] == "deny-access-authenticator")
                && steps
                    .iter()
                    .filter(|s| s["authenticator"] == "conditional-user-role")
                    .all(|s| {
                        let c = s["config"]
                            .as_str()
                            .and_then(|c| self.configs.get(c))
                            .map(|c| c["config"].clone())
                            .unwrap_or_default();
                        let role = c["condUserRole"].as_str().unwrap_or_default();
                        holds(role) != (c["negate"] == "true")
                    })
        })
    }

    /// The top-level flow `alias`, or null.
    pub(super) fn top_flow(&self, alias: &str) -> Value {
        self.flows
            .iter()
            .find(|f| f["alias"] == alias && f["topLevel"] == true)
            .cloned()
            .unwrap_or(Value::Null)
    }

    /// A flow with no steps, as an administrator makes it by hand (top level), or a
    /// sub-flow nothing holds.
    pub(super) fn make_flow(&mut self, alias: &str, description: &str, top: bool) {
        self.flows.push(json!({
            "id": uuid(), "alias": alias, "description": description,
            "providerId": "basic-flow", "topLevel": top, "builtIn": false,
        }));
    }

    pub(super) fn remove_top_flow(&mut self, alias: &str) {
        if let Some(id) = self.top_flow(alias)["id"].as_str().map(str::to_owned) {
            self.delete_flow(&id);
        }
    }

    /// A deleted client's roles go with it, and every group's hold on them.
    pub(super) fn forget_client(&mut self, uuid: &str) {
        let gone: Vec<Value> = self.client_roles.remove(uuid).unwrap_or_default();
        for held in self.group_roles.values_mut() {
            held.retain(|h| !gone.iter().any(|r| r["id"] == h.as_str()));
        }
    }

    /// Takes the organisation's marks off the flows and roles (the flows' description
    /// back to what the Ferry before marks wrote).
    pub(super) fn strip_marks(&mut self) {
        for f in &mut self.flows {
            if f["description"]
                .as_str()
                .is_some_and(|d| d.contains("[ferry.organisation="))
            {
                f["description"] = json!(EARLIER_DESCRIPTION);
            }
        }
        for r in self.client_roles.values_mut().flatten() {
            r["attributes"] = json!({});
        }
    }

    pub(super) fn snapshot(&self) -> Value {
        json!({
            "flows": self.flows, "executions": self.executions,
            "configs": self.configs, "client_roles": self.client_roles,
            "group_roles": self.group_roles,
        })
    }
}
