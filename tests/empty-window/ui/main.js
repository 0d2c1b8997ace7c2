// Like Ferry's first screen: once the page's script has run, tell Rust, which logs
// "ui ready" and shows the window (as Ferry's app_ready). No requestAnimationFrame:
// a hidden window gets no frames.
window.__TAURI_INTERNALS__.invoke('ready');
