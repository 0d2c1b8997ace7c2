//! The schema check behind `tests/schemas.rs`: loads the trimmed OpenAPI extracts in
//! tests/schemas/*.json, turns their schemas into JSON Schema (draft 7) validators,
//! matches recorded requests to the published operations by method and path template,
//! and reports every request that does not keep the published contract.

mod check;

use std::collections::{BTreeMap, BTreeSet};

use ferry_sso::testing::Recorded;
use serde_json::{Map, Value, json};

pub use check::Checked;

// ---------------------------------------------------------------------------------
// The extracts, as JSON Schema.

pub struct Operation {
    method: String,
    /// The template as published, e.g. `/admin/realms/{realm}/clients/{client-uuid}`.
    template: String,
    /// The template's segments after the base path; `{name}` for a parameter.
    segments: Vec<String>,
    path_params: BTreeMap<String, Value>,
    query_params: BTreeSet<String>,
    body: Option<RequestBody>,
}

struct RequestBody {
    required: bool,
    /// The OpenAPI schema, for the property walk.
    schema: Value,
    /// The same schema as JSON Schema (draft 7) with the components as definitions.
    validator: jsonschema::Validator,
}

pub struct Spec {
    pub name: String,
    /// The product version the description is of, e.g. `2025.12.6`.
    pub version: String,
    base_path: String,
    components: Map<String, Value>,
    operations: Vec<Operation>,
}

pub fn load(file: &str) -> Spec {
    let path = format!("{}/tests/schemas/{file}", env!("CARGO_MANIFEST_DIR"));
    let text = std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("{path}: {e}"));
    let doc: Value = serde_json::from_str(&text).expect("extract is JSON");
    from_extract(&doc)
}

fn from_extract(doc: &Value) -> Spec {
    let source = &doc["source"];
    let name = format!(
        "{} ({} {}, {})",
        source["describes"].as_str().unwrap_or("?"),
        source["crate"].as_str().unwrap_or("?"),
        source["version"].as_str().unwrap_or("?"),
        source["file"].as_str().unwrap_or("?"),
    );
    let components = doc["components"]["schemas"]
        .as_object()
        .cloned()
        .unwrap_or_default();
    let definitions: Map<String, Value> = components
        .iter()
        .map(|(k, v)| (k.clone(), to_json_schema(v)))
        .collect();
    let base_path = doc["base_path"].as_str().unwrap_or("").to_owned();
    let operations = doc["operations"]
        .as_array()
        .expect("operations")
        .iter()
        .map(|op| {
            let template = op["path"].as_str().expect("path").to_owned();
            let mut path_params = BTreeMap::new();
            let mut query_params = BTreeSet::new();
            for p in op["parameters"].as_array().into_iter().flatten() {
                let pname = p["name"].as_str().expect("name").to_owned();
                match p["in"].as_str() {
                    Some("path") => {
                        path_params.insert(pname, to_json_schema(&p["schema"]));
                    }
                    Some("query") => {
                        query_params.insert(pname);
                    }
                    _ => {}
                }
            }
            let body = op["requestBody"].as_object().map(|rb| {
                // Where the published schema cannot describe JSON (Keycloak's realm
                // import is `string`/`binary`), the extract names what the stream is.
                let schema = op
                    .get("x-ferry-validate-as")
                    .cloned()
                    .unwrap_or_else(|| rb["schema"].clone());
                let root = json!({
                    "$schema": "http://json-schema.org/draft-07/schema#",
                    "definitions": definitions,
                    "allOf": [to_json_schema(&schema)],
                });
                let validator = compile(&root)
                    .unwrap_or_else(|e| panic!("{template}: schema does not compile: {e}"));
                RequestBody {
                    required: rb["required"].as_bool().unwrap_or(false),
                    schema,
                    validator,
                }
            });
            Operation {
                method: op["method"].as_str().expect("method").to_owned(),
                segments: split(&template),
                template,
                path_params,
                query_params,
                body,
            }
        })
        .collect();
    let version = source["describes"]
        .as_str()
        .and_then(|d| d.split_whitespace().last())
        .unwrap_or_default()
        .to_owned();
    Spec {
        name,
        version,
        base_path,
        components,
        operations,
    }
}

/// A draft 7 validator that checks formats: draft 7's own (`email`, `uri`,
/// `date-time`) and `uuid`, which came with 2019-09 and which OpenAPI descriptions
/// use. Formats nobody defines for JSON Schema (`int32`, `int64`, `binary`) pass.
fn compile(schema: &Value) -> Result<jsonschema::Validator, String> {
    jsonschema::draft7::options()
        .should_validate_formats(true)
        .should_ignore_unknown_formats(true)
        .with_format("uuid", is_uuid)
        .build(schema)
        .map_err(|e| e.to_string())
}

/// RFC 9562's text form: 8-4-4-4-12 hexadecimal digits.
fn is_uuid(s: &str) -> bool {
    s.len() == 36
        && s.char_indices().all(|(i, c)| match i {
            8 | 13 | 18 | 23 => c == '-',
            _ => c.is_ascii_hexdigit(),
        })
}

/// OpenAPI 3.0 schema object → JSON Schema draft 7: component refs point at
/// `definitions`, `nullable: true` also allows null, read-only properties are not
/// required in a request (OpenAPI 3.0 §4.7.25), and keywords JSON Schema lacks go.
fn to_json_schema(schema: &Value) -> Value {
    match schema {
        Value::Array(items) => Value::Array(items.iter().map(to_json_schema).collect()),
        Value::Object(map) => {
            let mut out = Map::new();
            for (k, v) in map {
                match k.as_str() {
                    "$ref" => {
                        let r = v.as_str().expect("$ref is text");
                        let name = r
                            .strip_prefix("#/components/schemas/")
                            .unwrap_or_else(|| panic!("unsupported $ref {r}"));
                        out.insert(k.clone(), json!(format!("#/definitions/{name}")));
                    }
                    "properties" => {
                        let props = v
                            .as_object()
                            .expect("properties")
                            .iter()
                            .map(|(name, s)| (name.clone(), to_json_schema(s)))
                            .collect();
                        out.insert(k.clone(), Value::Object(props));
                    }
                    "items" | "additionalProperties" | "not" | "allOf" | "anyOf" | "oneOf" => {
                        out.insert(k.clone(), to_json_schema(v));
                    }
                    "required" => {
                        let read_only = |name: &str| {
                            map.get("properties")
                                .and_then(|p| p.get(name))
                                .is_some_and(|p| p["readOnly"] == true)
                        };
                        let kept: Vec<Value> = v
                            .as_array()
                            .into_iter()
                            .flatten()
                            .filter(|n| !n.as_str().is_some_and(read_only))
                            .cloned()
                            .collect();
                        out.insert(k.clone(), Value::Array(kept));
                    }
                    "nullable" | "readOnly" | "writeOnly" | "deprecated" | "discriminator"
                    | "xml" | "externalDocs" | "example" => {}
                    _ => {
                        out.insert(k.clone(), v.clone());
                    }
                }
            }
            if map.get("nullable") == Some(&Value::Bool(true)) {
                json!({"anyOf": [{"type": "null"}, Value::Object(out)]})
            } else {
                Value::Object(out)
            }
        }
        other => other.clone(),
    }
}

fn split(path: &str) -> Vec<String> {
    // "/a/b/" → ["a", "b", ""]: a trailing slash is part of Authentik's paths.
    path.trim_start_matches('/')
        .split('/')
        .map(str::to_owned)
        .collect()
}

fn percent_decode(s: &str) -> String {
    let bytes = s.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        if bytes[i] == b'%'
            && let Some(b) = s
                .get(i + 1..i + 3)
                .and_then(|h| u8::from_str_radix(h, 16).ok())
        {
            out.push(b);
            i += 3;
        } else {
            out.push(bytes[i]);
            i += 1;
        }
    }
    String::from_utf8_lossy(&out).into_owned()
}

fn print_summary(spec: &Spec, used: &BTreeMap<String, usize>, problems: &[String]) {
    eprintln!("== {}", spec.name);
    for (op, n) in used {
        eprintln!("   {n:4}  {op}");
    }
    for p in problems {
        eprintln!("   VIOLATION {p}");
    }
}

pub fn finish(spec: &Spec, requests: &[Recorded]) {
    let (problems, used) = spec.check_all(requests);
    print_summary(spec, &used, &problems);
    let bodies = requests.iter().filter(|r| r.body.is_some()).count();
    assert!(bodies > 10, "{}: only {bodies} bodies recorded", spec.name);
    // Listed, not asserted: which calls happen depends on the provider code of the day.
    for op in spec.not_called(&used) {
        eprintln!("   (in the extract, not called in this scenario: {op})");
    }
    assert!(
        problems.is_empty(),
        "{}: {} request(s) do not keep the published contract:\n{}",
        spec.name,
        problems.len(),
        problems.join("\n")
    );
}
