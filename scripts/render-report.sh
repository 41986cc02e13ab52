#!/usr/bin/env bash
# Renders a tangram-sim HTML report to a PNG with headless Chromium.
#
#   scripts/render-report.sh REPORT.html OUT.png [WIDTH]
#
# WIDTH is the viewport width in CSS pixels (default 1280). The height is the page's full
# height, measured first, so the PNG holds the whole report. Installs the Debian package
# `chromium` when no Chromium is found (needs root or sudo). Runs fully offline: the report
# loads nothing from the network.
set -euo pipefail

if [ $# -lt 2 ]; then
    echo "usage: $0 REPORT.html OUT.png [WIDTH]" >&2
    exit 2
fi
html=$1
png=$2
width=${3:-1280}
[ -f "$html" ] || { echo "$0: $html: no such file" >&2; exit 2; }

browser=""
for candidate in chromium chromium-browser google-chrome; do
    if command -v "$candidate" >/dev/null 2>&1; then browser=$candidate; break; fi
done
if [ -z "$browser" ]; then
    echo "render-report: installing chromium (Debian package)" >&2
    sudo=""
    if [ "$(id -u)" != 0 ]; then sudo="sudo"; fi
    $sudo apt-get update -qq
    DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq chromium fonts-dejavu-core >/dev/null
    browser=chromium
fi

abs_html=$(cd "$(dirname "$html")" && pwd)/$(basename "$html")
url="file://$abs_html"
profile=$(mktemp -d)
trap 'rm -rf "$profile"' EXIT
flags=(--headless --no-sandbox --disable-gpu --hide-scrollbars --user-data-dir="$profile"
    --no-first-run --disable-extensions --force-device-scale-factor=1 --run-all-compositor-stages-before-draw)

# Measure the page height at this width. The report has no scripts, so a temporary copy gets
# one that writes the laid-out height into the DOM, which --dump-dom prints.
probe="$profile/probe.html"
sed 's#</body>#<script>document.body.setAttribute("data-page-height", String(document.documentElement.scrollHeight))</script></body>#' \
    "$html" >"$probe"
height=$("$browser" "${flags[@]}" --window-size="$width,1000" --virtual-time-budget=2000 --dump-dom "file://$probe" \
    2>/dev/null | sed -n 's/.*data-page-height="\([0-9]*\)".*/\1/p' | head -1 || true)
if [ -z "$height" ]; then height=3200; fi
height=$((height + 8))

# Chromium writes the screenshot next to a temporary name; move it into place only when complete.
tmp_png="$(dirname "$png")/.$(basename "$png").tmp-$$.png"
"$browser" "${flags[@]}" --window-size="$width,$height" --virtual-time-budget=2000 \
    --screenshot="$tmp_png" "$url" >/dev/null 2>&1
[ -s "$tmp_png" ] || { echo "render-report: chromium wrote no screenshot" >&2; rm -f "$tmp_png"; exit 1; }
mv -f "$tmp_png" "$png"
echo "wrote $png (${width}x${height})"
