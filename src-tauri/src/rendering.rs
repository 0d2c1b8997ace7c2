//! How WebKitGTK paints the window on a computer without a graphics device.
//!
//! WebKitGTK 2.46+ paints pages with Skia on the GPU through OpenGL. Without a GPU
//! (no render node in /dev/dri: most VMs, remote desktops, CI) that OpenGL is Mesa's
//! software rasteriser, which keeps its textures and glyph atlases in ordinary memory.
//! Skia's own CPU painter does the same work with less: measured on the library screen,
//! the web process 340 → 299 MB (docs/releasing.md). Compositing stays on, so WebKit's
//! usual path, WebDriver's screenshots included, is unchanged.

use std::path::Path;

/// WebKitGTK's switch to Skia's CPU painter (read by its web process at start).
const CPU_RENDERING: &str = "WEBKIT_SKIA_ENABLE_CPU_RENDERING";

/// Call before any thread starts: the web process inherits the
/// environment. A value someone set already is kept.
pub fn choose_painter() {
    if !has_render_node(Path::new("/dev/dri")) {
        // glib's setenv, not std's (unsafe in edition 2024, forbidden here): both are
        // unsound only while another thread reads the environment, and none exists yet.
        if let Err(e) = glib::setenv(CPU_RENDERING, "1", false) {
            tracing::warn!(error = %e, "could not choose the CPU painter");
        }
    }
}

/// Whether `dri` (normally /dev/dri) has a GPU render node (`renderD128`, …).
pub fn has_render_node(dri: &Path) -> bool {
    std::fs::read_dir(dri).is_ok_and(|entries| {
        entries
            .flatten()
            .any(|e| e.file_name().to_string_lossy().starts_with("renderD"))
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_render_node_is_found_and_its_absence_noticed() {
        let dir = tempfile::tempdir().unwrap();
        assert!(!has_render_node(&dir.path().join("missing")));
        std::fs::write(dir.path().join("card0"), "").unwrap();
        assert!(!has_render_node(dir.path()), "a card without a render node");
        std::fs::write(dir.path().join("renderD128"), "").unwrap();
        assert!(has_render_node(dir.path()));
    }
}
