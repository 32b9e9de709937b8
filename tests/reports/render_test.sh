#!/usr/bin/env bash
# Renders report.html of the default run in headless Chromium (Debian's
# chromium, installed by scripts/setup.sh): the page must log nothing to the
# console and the screenshot must not be blank. First a control page with a
# deliberate console error proves that such an error is caught.
# Usage: render_test.sh FAILSIM CHECK_SCREENSHOT_PY
set -uo pipefail
failsim=$1
check_png=$2
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
fail() { echo "FAIL: $*" >&2; exit 1; }
command -v chromium >/dev/null || fail "chromium is not installed (scripts/setup.sh installs it)"

# Flags from the design notes: without the background-networking ones it
# stalls on a machine with no network.
render() {  # render PAGE PNG LOG
  timeout 60 chromium --headless --no-sandbox --disable-gpu --disable-quic --no-first-run \
    --disable-background-networking --disable-component-update --disable-sync \
    --user-data-dir="$work/profile-$RANDOM" --enable-logging=stderr --v=0 \
    --window-size=1400,4000 --screenshot="$2" "file://$1" >"$3" 2>&1
}

cat >"$work/control.html" <<'HTML'
<!DOCTYPE html><html><body><p>control</p><script>console.error("control page error");</script></body></html>
HTML
render "$work/control.html" "$work/control.png" "$work/control.log" || fail "chromium failed on the control page"
grep -q 'CONSOLE.*control page error' "$work/control.log" || fail "a console error went unseen: $(cat "$work/control.log")"

"$failsim" run --out "$work/run" >"$work/run.out" 2>&1 || fail "failsim run: $(cat "$work/run.out")"
render "$work/run/report.html" "$work/report.png" "$work/report.log" || fail "chromium failed: $(tail "$work/report.log")"
if grep 'CONSOLE' "$work/report.log"; then fail "report.html logged to the console"; fi
[ -s "$work/report.png" ] || fail "no screenshot"
/usr/bin/python3 "$check_png" "$work/report.png" || fail "the screenshot looks blank"
# The control: a page with nothing on it fails the same check.
echo '<!DOCTYPE html><html><body></body></html>' >"$work/blank.html"
render "$work/blank.html" "$work/blank.png" "$work/blank.log"
/usr/bin/python3 "$check_png" "$work/blank.png" >/dev/null 2>&1 && fail "a blank page passed the screenshot check"
echo "ok: report.html renders"
