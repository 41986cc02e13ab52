#!/usr/bin/env bash
# Installs the C libraries tangram-sim links (GSL, SQLite) when they are missing.
# Debian/Ubuntu: uses apt-get (as root, or through sudo when available).
set -euo pipefail
missing=()
for pkg in libgsl-dev libsqlite3-dev; do
    dpkg -s "$pkg" >/dev/null 2>&1 || missing+=("$pkg")
done
if [ ${#missing[@]} -eq 0 ]; then
    exit 0
fi
echo "setup: installing ${missing[*]}" >&2
sudo=""
if [ "$(id -u)" != 0 ]; then sudo="sudo"; fi
$sudo apt-get update -qq
$sudo apt-get install -y -qq "${missing[@]}"
