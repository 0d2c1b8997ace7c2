//! Checking requests against a loaded [`Spec`]: the operation matched by method and
//! path template, its path and query parameters, the body against the request schema,
//! and the walk that finds unknown and read-only properties.

use std::collections::BTreeMap;

use ferry_sso::testing::Recorded;
use serde_json::{Value, json};

use super::{Operation, Spec, compile, percent_decode, split};

// ---------------------------------------------------------------------------------
// The check.

/// Path parameters by name, as sent (percent-decoded).
type Params = Vec<(String, String)>;

/// What one request was found to be.
pub enum Checked<'s> {
    /// Not an admin-API call (sign-in, discovery, keys): not in the description.
    Outside,
    /// No published operation fits.
    Unknown,
    Operation(&'s Operation),
}

impl Spec {
    /// Checks one request; Err lists every problem found.
    pub fn check(
        &self,
        method: &str,
        path_and_query: &str,
        body: Option<&Value>,
    ) -> Result<Checked<'_>, Vec<String>> {
        let (found, problems) = self.examine(method, path_and_query, body);
        if problems.is_empty() {
            Ok(found)
        } else {
            Err(problems)
        }
    }

    /// What the request is, and every problem with it.
    fn examine(
        &self,
        method: &str,
        path_and_query: &str,
        body: Option<&Value>,
    ) -> (Checked<'_>, Vec<String>) {
        let (path, query) = path_and_query
            .split_once('?')
            .unwrap_or((path_and_query, ""));
        let admin_prefix = if self.base_path.is_empty() {
            "/admin/"
        } else {
            &self.base_path
        };
        if !path.starts_with(admin_prefix) {
            return (Checked::Outside, Vec::new());
        }
        let rest = &path[self.base_path.len()..];
        let what = format!("{method} {path_and_query}");
        let segments = split(rest);
        // Of the templates that fit, the one with the most fixed segments.
        let mut best: Option<(&Operation, usize, Params)> = None;
        let mut other_methods = Vec::new();
        for op in &self.operations {
            if op.segments.len() != segments.len() {
                continue;
            }
            let mut fixed = 0;
            let mut params = Vec::new();
            let fits = op.segments.iter().zip(&segments).all(|(t, s)| {
                if let Some(name) = t.strip_prefix('{').and_then(|t| t.strip_suffix('}')) {
                    params.push((name.to_owned(), percent_decode(s)));
                    !s.is_empty()
                } else {
                    fixed += 1;
                    t == s
                }
            });
            if !fits {
                continue;
            }
            if op.method != method {
                other_methods.push(format!("{} {}", op.method, op.template));
                continue;
            }
            if best.as_ref().is_none_or(|(_, f, _)| fixed > *f) {
                best = Some((op, fixed, params));
            }
        }
        let Some((op, _, params)) = best else {
            let problem = format!(
                "{what}: no such operation in {} (same path, other methods: {other_methods:?}; \
                 if Ferry now calls it, add it to scripts/extract-idp-schemas)",
                self.name
            );
            return (Checked::Unknown, vec![problem]);
        };
        let at = format!("{what} [{} {}]", op.method, op.template);
        let mut problems = Vec::new();
        for (name, value) in &params {
            let Some(schema) = op.path_params.get(name) else {
                problems.push(format!("{at}: path parameter {{{name}}} is not published"));
                continue;
            };
            let as_json = if schema["type"] == "integer" {
                value
                    .parse::<i64>()
                    .map(Value::from)
                    .unwrap_or(json!(value))
            } else {
                json!(value)
            };
            let ok = compile(schema)
                .map(|v| v.is_valid(&as_json))
                .unwrap_or(false);
            if !ok {
                problems.push(format!(
                    "{at}: path parameter {{{name}}} = {value:?} does not fit {schema}"
                ));
            }
        }
        for pair in query.split('&').filter(|p| !p.is_empty()) {
            let name = percent_decode(pair.split_once('=').map_or(pair, |(k, _)| k));
            if !op.query_params.contains(&name) {
                problems.push(format!("{at}: query parameter {name:?} is not published"));
            }
        }
        match (&op.body, body) {
            (None, None) => {}
            (None, Some(b)) => problems.push(format!(
                "{at}: sends a JSON body, but the operation takes none: {b}"
            )),
            (Some(rb), None) => {
                if rb.required {
                    problems.push(format!("{at}: the operation requires a body; none sent"));
                }
            }
            (Some(rb), Some(b)) => {
                for e in rb.validator.iter_errors(b) {
                    let pointer = e.instance_path().to_string();
                    problems.push(format!(
                        "{at}: body{} {e} (schema: {})",
                        if pointer.is_empty() {
                            String::new()
                        } else {
                            format!(" at {pointer}")
                        },
                        e.schema_path()
                    ));
                }
                let mut found = Vec::new();
                self.walk(&rb.schema, b, "", &mut found, 0);
                problems.extend(found.into_iter().map(|p| format!("{at}: body {p}")));
            }
        }
        (Checked::Operation(op), problems)
    }

    fn resolve<'a>(&'a self, schema: &'a Value) -> &'a Value {
        let mut s = schema;
        for _ in 0..16 {
            match s.get("$ref").and_then(Value::as_str) {
                Some(r) => {
                    let name = r.trim_start_matches("#/components/schemas/");
                    s = self
                        .components
                        .get(name)
                        .unwrap_or_else(|| panic!("{}: no component {name}", self.name));
                }
                None => break,
            }
        }
        s
    }

    /// The properties a schema lists (through allOf/anyOf/oneOf) and its
    /// additionalProperties, if it says any.
    fn shape<'a>(
        &'a self,
        schema: &'a Value,
        props: &mut BTreeMap<&'a str, &'a Value>,
        additional: &mut Option<&'a Value>,
    ) {
        let s = self.resolve(schema);
        if let Some(p) = s.get("properties").and_then(Value::as_object) {
            for (k, v) in p {
                props.entry(k.as_str()).or_insert(v);
            }
        }
        if let Some(a) = s.get("additionalProperties") {
            *additional = Some(a);
        }
        for key in ["allOf", "anyOf", "oneOf"] {
            for branch in s.get(key).and_then(Value::as_array).into_iter().flatten() {
                self.shape(branch, props, additional);
            }
        }
    }

    /// Properties the schema does not list, and read-only ones, anywhere in `value`.
    fn walk(&self, schema: &Value, value: &Value, at: &str, out: &mut Vec<String>, depth: usize) {
        if depth > 32 {
            return;
        }
        let s = self.resolve(schema);
        match value {
            Value::Object(fields) => {
                let mut props = BTreeMap::new();
                let mut additional = None;
                self.shape(s, &mut props, &mut additional);
                let additional = additional.filter(|a| **a != Value::Bool(false));
                for (k, v) in fields {
                    let here = format!("{at}/{k}");
                    if let Some(p) = props.get(k.as_str()) {
                        if self.resolve(p)["readOnly"] == true || p["readOnly"] == true {
                            out.push(format!("{here}: read-only property sent"));
                        }
                        self.walk(p, v, &here, out, depth + 1);
                    } else if let Some(a) = additional {
                        // A map (`attributes`, `config`): any key, values as said.
                        self.walk(a, v, &here, out, depth + 1);
                    } else if !props.is_empty() {
                        let mut known: Vec<&str> = props.keys().copied().collect();
                        known.sort_unstable();
                        out.push(format!(
                            "{here}: property not in the schema (it lists {})",
                            known.join(", ")
                        ));
                    }
                    // No properties and no additionalProperties: a free-form object.
                }
            }
            Value::Array(items) => {
                let item_schema = s.get("items").or_else(|| {
                    // `allOf: [{$ref: X}]` wrapping an array schema.
                    s.get("allOf")
                        .and_then(Value::as_array)
                        .and_then(|b| b.iter().find_map(|b| self.resolve(b).get("items")))
                });
                if let Some(item) = item_schema {
                    for (i, v) in items.iter().enumerate() {
                        self.walk(item, v, &format!("{at}/{i}"), out, depth + 1);
                    }
                }
            }
            _ => {}
        }
    }

    /// Checks every recorded request; returns the problems and the operations used.
    pub(super) fn check_all(
        &self,
        requests: &[Recorded],
    ) -> (Vec<String>, BTreeMap<String, usize>) {
        let mut problems = Vec::new();
        let mut used = BTreeMap::new();
        for r in requests {
            let (found, p) = self.examine(&r.method, &r.path, r.body.as_ref());
            let key = match found {
                Checked::Operation(op) => format!("{} {}", op.method, op.template),
                Checked::Outside => {
                    let path = r.path.split_once('?').map_or(r.path.as_str(), |(p, _)| p);
                    format!("(not admin API) {} {path}", r.method)
                }
                Checked::Unknown => format!("(unknown) {} {}", r.method, r.path),
            };
            *used.entry(key).or_default() += 1;
            problems.extend(p);
        }
        (problems, used)
    }

    pub(super) fn not_called(&self, used: &BTreeMap<String, usize>) -> Vec<String> {
        self.operations
            .iter()
            .map(|op| format!("{} {}", op.method, op.template))
            .filter(|k| !used.contains_key(k))
            .collect()
    }
}
