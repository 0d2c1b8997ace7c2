//! Every IPC call from the window goes to `ferry_api::dispatch`: the commands are
//! declared once in `ferry-api`, and tauri-build makes their permissions from the
//! generated list (`commands.generated.txt`, see build.rs), so Tauri's ACL still
//! refuses anything the capability does not grant before it gets here.

use std::sync::Arc;

use serde_json::Value;
use tauri::Runtime;
use tauri::ipc::{Invoke, InvokeBody, InvokeError, JavaScriptChannelId};

use crate::host::{Shared, WindowHost};

/// The argument that carries a command's progress channel (see ui/src/lib/api.ts).
const EVENTS_ARG: &str = "events";

/// The handler given to `Builder::invoke_handler`.
pub fn handler<R: Runtime>(shared: Arc<Shared>) -> impl Fn(Invoke<R>) -> bool + Send + Sync {
    move |invoke| {
        let Invoke {
            message, resolver, ..
        } = invoke;
        let name = message.command().to_owned();
        if ferry_api::command(&name).is_none() {
            return false;
        }
        tracing::debug!(command = %name, "command");
        let args = match message.payload() {
            InvokeBody::Json(v) => v.clone(),
            InvokeBody::Raw(_) => Value::Null,
        };
        let webview = message.webview();
        let channel = args
            .get(EVENTS_ARG)
            .and_then(Value::as_str)
            .and_then(|s| s.parse::<JavaScriptChannelId>().ok())
            .map(|id| id.channel_on::<R, Value>(webview.clone()));
        let host = WindowHost {
            shared: shared.clone(),
            webview,
        };
        resolver.respond_async(async move {
            let sink = move |event: Value| {
                if let Some(channel) = &channel {
                    let _ = channel.send(event);
                }
            };
            ferry_api::dispatch(&host, &name, args, &sink)
                .await
                .map_err(|e| {
                    tracing::warn!(command = %name, code = e.code(), error = %e, "command failed");
                    InvokeError::from(e.to_payload())
                })
        });
        true
    }
}
