//! An empty window that, like Ferry, starts hidden and shows itself when its page
//! has called one command; it logs "ui ready" as Ferry does for scripts/measure-startup.
#![cfg_attr(not(debug_assertions), windows_subsystem = "windows")]

use std::time::Instant;

use tauri::{State, WebviewWindow};

struct Started(Instant);

#[tauri::command]
fn ready(window: WebviewWindow, started: State<'_, Started>) {
    eprintln!("ui ready ms={}", started.0.elapsed().as_millis());
    let _ = window.show().and_then(|()| window.set_focus());
}

fn main() {
    tauri::Builder::default()
        .manage(Started(Instant::now()))
        .invoke_handler(tauri::generate_handler![ready])
        .run(tauri::generate_context!())
        .expect("the empty window could not start");
}
