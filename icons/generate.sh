#!/usr/bin/env bash
# Renders ferry.svg to every PNG size the app and its bundles use (RGBA): the
# freedesktop sizes for the Linux packages, and the ones Tauri's Windows/macOS
# bundlers read.
set -euo pipefail
cd "$(dirname "$0")"
render() { rsvg-convert -w "$1" -h "$1" ferry.svg -o "$2"; }
for s in 16 24 48 64 256; do render "$s" "${s}x${s}.png"; done
render 32 32x32.png
render 128 128x128.png
render 256 128x128@2x.png
render 512 icon.png
