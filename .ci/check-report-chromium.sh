#!/usr/bin/env bash
# Renders the compliance report in a real headless Chromium and asserts on the rendered DOM:
# the page's own script must have drawn its three SVG charts, with bars for the instruments and
# categories in the report's data and one red breach bar per instrument. Then renders the report
# of a hostile log (notices whose instrument is a template placeholder, a script, an event
# handler...) and asserts that no injected script ran while the page's own still did.
#
# Usage: .ci/check-report-chromium.sh [LOG_DIR]
#   With no LOG_DIR, writes one with the example messenger backend. Builds the CLI if needed and
#   installs Debian's chromium package if it is missing (needs root and apt, as in CI).
# Exit codes: 0 the report rendered as expected, 1 an assertion failed, 2 setup failed.
set -euo pipefail
cd "$(dirname "$0")/.."

fail() { echo "check-report-chromium: FAIL: $*" >&2; exit 1; }
die() { echo "check-report-chromium: $*" >&2; exit 2; }

browser=""
for b in chromium chromium-browser; do
  if command -v "$b" >/dev/null 2>&1; then browser="$b"; break; fi
done
if [ -z "$browser" ]; then
  echo "check-report-chromium: installing Debian's chromium package" >&2
  command -v apt-get >/dev/null 2>&1 || die "chromium is missing and apt-get is not available"
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -qq >/dev/null || die "apt-get update failed"
  apt-get install -y -qq chromium >/dev/null || die "apt-get install chromium failed"
  browser=chromium
fi

work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

if [ ! -f moderation-cli/target/haetae.jar ]; then
  ./mvnw -q -B -DskipTests package || die "build failed"
fi

log="${1:-}"
if [ -z "$log" ]; then
  log="$work/log"
  ./mvnw -q -B -DskipTests package exec:java -pl examples -am -Dexec.args="$log" >/dev/null \
    || die "the example backend failed to write a log"
fi

./haetae verify --no-progress "$log" >/dev/null || fail "the log does not verify"
# Judge open notices well after the log so that the example's unanswered notice shows as a breach.
set +e
./haetae report --no-progress "$log" --html "$work/report.html" --json "$work/report.json" \
  --as-of 2100-01-01T00:00:00Z >/dev/null
rc=$?
set -e
[ "$rc" -le 1 ] || die "haetae report failed with exit code $rc"

flags=(--headless --no-sandbox --disable-gpu --disable-background-networking --disable-component-update
  --disable-sync --no-first-run --disable-dev-shm-usage --user-data-dir="$work/profile")
timeout 120 "$browser" "${flags[@]}" --dump-dom "file://$work/report.html" > "$work/dom.html" 2>"$work/chromium.err" \
  || { cat "$work/chromium.err" >&2; die "chromium failed to render the page"; }
timeout 120 "$browser" "${flags[@]}" --window-size=1200,1600 --screenshot="$work/report.png" \
  "file://$work/report.html" >/dev/null 2>&1 || true

dom="$work/dom.html"
count() { grep -o "$1" "$dom" | wc -l | tr -d ' '; }

grep -q 'data-rendered="true"' "$dom" || fail "the page's script did not run to the end (data-rendered is not true)"
for c in deadlines categories breaches; do
  [ "$(count "data-chart=\"$c\"")" = 1 ] || fail "chart '$c' was not drawn"
done
instruments=$(grep -o '"instrument":"[^"]*"' "$work/report.json" | sort -u | wc -l | tr -d ' ')
categories=$(grep -o '"by_category":{.*}' "$work/report.json" | grep -o '"[a-z_]*":{' | wc -l | tr -d ' ')
bars=$(count 'class="bar')
breach_bars=$(count 'class="bar breach"')
deadline_lines=$(count 'class="deadline"')
[ "$instruments" -gt 0 ] || fail "the report has no instruments (expected the example's notices)"
[ "$breach_bars" = "$instruments" ] || fail "expected $instruments breach bars, found $breach_bars"
[ "$deadline_lines" -ge 1 ] || fail "no deadline line drawn"
# 3 bars per instrument in the deadline chart + 2 per instrument in the breach chart + >= 1 per category
min=$((instruments * 5 + categories))
[ "$bars" -ge "$min" ] || fail "expected at least $min bars, found $bars"
breaches=$(grep -o '"breaches":\[[^]]*\]' "$work/report.json" | grep -o '"seq"' | wc -l | tr -d ' ')
grep -q "id=\"breach-count\">$breaches<" "$dom" || fail "the breach count shown is not $breaches"
[ "$breaches" -ge 1 ] || fail "expected the example's unanswered notice to be a breach"

if [ -n "${REPORT_SCREENSHOT:-}" ] && [ -f "$work/report.png" ]; then cp "$work/report.png" "$REPORT_SCREENSHOT"; fi
if [ -n "${REPORT_HTML:-}" ]; then cp "$work/report.html" "$REPORT_HTML"; fi

# A hostile log: notices and obligations whose instrument names are every payload that once ran
# (or could run) in the auditor's browser (.ci/HostileReportLog.java writes it through the public
# log API, as a forged log or a hostile notice sender could). An injected script would mark the
# body with data-xss.
java -cp moderation-cli/target/haetae.jar .ci/HostileReportLog.java "$work/hostile-log" >/dev/null \
  || die "could not write the hostile log"
./haetae verify --no-progress "$work/hostile-log" >/dev/null || fail "the hostile log does not verify"
set +e
./haetae report --no-progress "$work/hostile-log" --html "$work/hostile.html" --as-of 2100-01-01T00:00:00Z >/dev/null
rc=$?
set -e
[ "$rc" -le 1 ] || die "haetae report failed on the hostile log with exit code $rc"
timeout 120 "$browser" "${flags[@]}" --dump-dom "file://$work/hostile.html" > "$work/hostile-dom.html" \
  2>"$work/chromium-hostile.err" || { cat "$work/chromium-hostile.err" >&2; die "chromium failed to render the hostile page"; }
hdom="$work/hostile-dom.html"
if grep -q '<body[^>]*data-xss' "$hdom"; then
  fail "an injected script ran in the report page ($(grep -o 'data-xss="[a-z]*"' "$hdom" | head -1))"
fi
grep -q '<body[^>]*data-rendered="true"' "$hdom" || fail "the page's own script did not run on the hostile log"
for p in '&lt;img src=x onerror=' '&lt;/script&gt;&lt;script&gt;' '@@DATA@@'; do
  grep -qF "$p" "$hdom" || fail "the hostile instrument '$p' is not shown as text"
done
[ "$(grep -o '<img' "$hdom" | wc -l | tr -d ' ')" = 0 ] || fail "an injected <img> element is in the page"
[ "$(grep -o '<script' "$hdom" | wc -l | tr -d ' ')" = 2 ] || fail "the page holds other script elements than its own two"
echo "check-report-chromium: OK ($browser: 3 charts, $bars bars, $instruments instruments, $categories categories, $breaches breach(es); hostile log: no injected script ran)"
