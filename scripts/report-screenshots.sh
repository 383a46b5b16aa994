#!/usr/bin/env bash
# Screenshots of the sample HTML report at 1,400 px and 390 px wide, for docs/:
#   docs/report-1400.png and docs/report-390.png.
# The report comes from two `run-local` runs of examples/estate.sample.json against a fresh
# embedded table, so the trend chart and "Changes since the previous scan" are filled in.
#
# Needs headless Chromium. On Debian or Ubuntu: `sudo apt-get install -y chromium`
# (or set CHROMIUM=/path/to/chrome). Run from the project root: `bash scripts/report-screenshots.sh`.
set -euo pipefail

cd "$(dirname "$0")/.."
chromium="${CHROMIUM:-$(command -v chromium || command -v chromium-browser || command -v google-chrome || true)}"
if [[ -z "$chromium" ]]; then
  echo "report-screenshots: headless Chromium not found; install it (Debian/Ubuntu: sudo apt-get install -y chromium) or set CHROMIUM" >&2
  exit 1
fi

work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT
for _ in 1 2; do
  npx tsx bin/cli.ts run-local --out "$work/out" --local-db "$work/db" > /dev/null 2> "$work/stderr" || { cat "$work/stderr" >&2; exit 1; }
done

# Chromium refuses to run as root inside its sandbox; the page is a local file with no scripts.
sandbox=()
[[ "$(id -u)" == 0 ]] && sandbox=(--no-sandbox)
shoot() { # width height output
  "$chromium" --headless "${sandbox[@]}" --disable-gpu --hide-scrollbars --force-device-scale-factor=1 \
    --user-data-dir="$work/profile" --window-size="$1,$2" --screenshot="$3" "file://$work/out/report.html" > /dev/null 2>&1
  echo "wrote $3 (${1}x${2})"
}
shoot 1400 2000 docs/report-1400.png
shoot 390 2600 docs/report-390.png
