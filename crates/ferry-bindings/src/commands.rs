//! What is generated from the one list of commands in `ferry-api`:
//! - `ui/src/lib/commands.ts`, the typed TypeScript client (over any transport);
//! - `src-tauri/commands.generated.txt`, the names tauri-build makes permissions of;
//! - `src-tauri/capabilities/commands.json`, granting the window exactly those.

use std::collections::BTreeSet;

use ferry_api::{COMMANDS, CommandSpec, Scope};

/// The commands the desktop window may call (the others are for phones in a room).
fn window_commands() -> impl Iterator<Item = &'static CommandSpec> {
    COMMANDS.iter().filter(|c| c.scope == Scope::Window)
}
use ts_rs::Config;

/// `plan_create_example` → `planCreateExample` (also serde's camelCase for arguments).
pub fn camel(snake: &str) -> String {
    let mut out = String::new();
    let mut upper = false;
    for ch in snake.chars() {
        if ch == '_' {
            upper = true;
        } else if upper {
            out.extend(ch.to_uppercase());
            upper = false;
        } else {
            out.push(ch);
        }
    }
    out
}

/// Type names a TypeScript type string refers to (to import from bindings.ts).
fn named_types(ts: &str, into: &mut BTreeSet<String>) {
    const BUILT_IN: &[&str] = &["Array", "Record", "Partial"];
    for word in ts.split(|c: char| !(c.is_ascii_alphanumeric() || c == '_')) {
        if word.starts_with(|c: char| c.is_ascii_uppercase()) && !BUILT_IN.contains(&word) {
            into.insert(word.to_owned());
        }
    }
}

fn reply_type(spec: &CommandSpec, cfg: &Config) -> String {
    match (spec.reply)(cfg).as_str() {
        "null" => "void".to_owned(),
        other => other.to_owned(),
    }
}

fn doc_comment(doc: &str) -> String {
    let lines: Vec<&str> = doc
        .lines()
        .map(str::trim)
        .filter(|l| !l.is_empty())
        .collect();
    if lines.is_empty() {
        String::new()
    } else {
        format!("    /** {} */\n", lines.join(" "))
    }
}

/// The TypeScript client: one typed function per command, over a transport the
/// caller gives (Tauri's IPC in the app; HTTP in a web page).
pub fn client() -> String {
    let cfg = Config::new().with_large_int("number");
    let mut types = BTreeSet::new();
    let mut body = String::new();
    for spec in COMMANDS {
        let args = (spec.args)(&cfg);
        let reply = reply_type(spec, &cfg);
        named_types(&reply, &mut types);
        let mut params: Vec<String> = args
            .iter()
            .map(|(name, ts)| {
                named_types(ts, &mut types);
                format!("{}: {ts}", camel(name))
            })
            .collect();
        let names: Vec<String> = args.iter().map(|(n, _)| camel(n)).collect();
        let object = if names.is_empty() {
            "{}".to_owned()
        } else {
            format!("{{ {} }}", names.join(", "))
        };
        let call = match spec.events {
            Some(events) => {
                let ev = events(&cfg);
                named_types(&ev, &mut types);
                params.push(format!("onEvent: (event: {ev}) => void"));
                format!(
                    "t.call<{reply}>('{}', {object}, onEvent as (event: unknown) => void)",
                    spec.name
                )
            }
            None => format!("t.call<{reply}>('{}', {object})", spec.name),
        };
        body.push_str(&doc_comment(spec.doc));
        body.push_str(&format!(
            "    {}: ({}): Promise<{reply}> => {call},\n",
            camel(spec.name),
            params.join(", ")
        ));
    }
    let imports: Vec<String> = types.into_iter().collect();
    format!(
        "// Generated from crates/ferry-api/src/surface.rs by `make bindings`. Do not edit:\n\
         // declare or change the command in Rust and regenerate (see crates/ferry-bindings).\n\
         import type {{ {} }} from './bindings';\n\n\
         /** How a command reaches the engine: Tauri's IPC in the window, HTTP in a web page. */\n\
         export interface Transport {{\n\
         \x20 call<T>(command: string, args: Record<string, unknown>, onEvent?: (event: unknown) => void): Promise<T>;\n\
         }}\n\n\
         /** Every command of the engine, typed as the Rust side declares it. */\n\
         export function commands(t: Transport) {{\n  return {{\n{body}  }};\n}}\n\n\
         export const COMMAND_NAMES = [{}] as const;\n",
        imports.join(", "),
        COMMANDS
            .iter()
            .map(|c| format!("'{}'", c.name))
            .collect::<Vec<_>>()
            .join(", ")
    )
}

/// One command name per line, for src-tauri/build.rs: the window's commands only, so
/// Tauri's ACL refuses the participants' commands in the window.
pub fn names() -> String {
    let mut out = String::from(
        "# Generated from crates/ferry-api/src/surface.rs by `make bindings`; do not edit.\n",
    );
    for spec in window_commands() {
        out.push_str(spec.name);
        out.push('\n');
    }
    out
}

/// The capability granting the main window every command, and nothing more.
pub fn capability() -> String {
    let permissions: Vec<String> = window_commands()
        .map(|c| format!("    \"allow-{}\"", c.name.replace('_', "-")))
        .collect();
    format!(
        "{{\n  \"$schema\": \"../gen/schemas/desktop-schema.json\",\n  \"identifier\": \"commands\",\n  \
         \"description\": \"Generated from crates/ferry-api by `make bindings`; do not edit. Ferry's window may call each of its engine commands.\",\n  \
         \"windows\": [\n    \"main\"\n  ],\n  \"permissions\": [\n{}\n  ]\n}}\n",
        permissions.join(",\n")
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn camel_case_matches_serde() {
        assert_eq!(camel("plan_create_example"), "planCreateExample");
        assert_eq!(camel("dry_run"), "dryRun");
        assert_eq!(camel("id"), "id");
    }

    #[test]
    fn every_command_name_is_unique() {
        let names: BTreeSet<&str> = COMMANDS.iter().map(|c| c.name).collect();
        assert_eq!(names.len(), COMMANDS.len());
    }

    #[test]
    fn the_client_types_each_argument() {
        let ts = client();
        assert!(ts.contains(
            "deployRetry: (coopId: string, orderId: string, index: number): Promise<OrderStatus> => t.call<OrderStatus>('deploy_retry', { coopId, orderId, index })"
        ), "{ts}");
        assert!(ts.contains("planTrash: (id: PlanId): Promise<void>"));
        assert!(ts.contains("onEvent: (event: Progress) => void"));
    }
}
