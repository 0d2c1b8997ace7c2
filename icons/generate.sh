#!/usr/bin/env bash
# Renders ferry.svg to every PNG size the app and its bundles use (RGBA).
set -euo pipefail
cd "$(dirname "$0")"
render() { rsvg-convert -w "$1" -h "$1" ferry.svg -o "$2"; }
render 32 32x32.png
render 128 128x128.png
render 256 128x128@2x.png
render 512 icon.png
