#!/usr/bin/env bash
# Renders report.html of the default run (and of two library scenarios) in
# headless Chromium (Debian's chromium, installed by scripts/setup.sh) in a
# 1280 px wide window: the
# page must log nothing to the console, everything on it must fit the window
# (fit_check.js, injected into a copy, logs what does not: the page, a
# table or a chart too wide, a chart label clipped), and the screenshot must
# not be blank. Controls prove each check can fail: a page with a console
# error, a page too wide in each of those ways, a blank page.
# Usage: render_test.sh FAILSIM CHECK_SCREENSHOT_PY FIT_CHECK_JS
set -uo pipefail
failsim=$1
check_png=$2
fit_js=$3
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
    --window-size=1280,4000 --screenshot="$2" "file://$1" >"$3" 2>&1
}

cat >"$work/control.html" <<'HTML'
<!DOCTYPE html><html><body><p>control</p><script>console.error("control page error");</script></body></html>
HTML
render "$work/control.html" "$work/control.png" "$work/control.log" || fail "chromium failed on the control page"
grep -q 'CONSOLE.*control page error' "$work/control.log" || fail "a console error went unseen: $(cat "$work/control.log")"

# A copy of PAGE with the fit check run at the end of its body.
with_fit_check() {  # with_fit_check PAGE OUT
  /usr/bin/python3 -c 'import sys; page = open(sys.argv[1]).read(); js = open(sys.argv[2]).read()
assert page.count("</body>") == 1, "no single </body>"
open(sys.argv[3], "w").write(page.replace("</body>", "<script>" + js + "</script></body>"))' "$1" "$fit_js" "$2"
}

# The fit control: too wide in every way the check knows; each is reported.
cat >"$work/wide.html" <<'HTML'
<!DOCTYPE html><html><body><div style="width:2000px">a page too wide</div>
<div style="width:300px"><table><tr><td>a_table_cell_far_wider_than_the_three_hundred_pixels_of_its_box</td></tr></table></div>
<svg width="200" height="50" viewBox="0 0 200 50"><title>control chart</title><text x="150" y="30">a label past the edge</text></svg>
</body></html>
HTML
with_fit_check "$work/wide.html" "$work/wide-checked.html" || fail "could not inject the fit check"
render "$work/wide-checked.html" "$work/wide.png" "$work/wide.log" || fail "chromium failed on the fit control"
for want in "the page is" "table 'a_table_cell" "label 'a label past the edge' of chart 'control chart' is clipped"; do
  grep -q "CONSOLE.*does not fit: $want" "$work/wide.log" || fail "the fit check missed: $want: $(cat "$work/wide.log")"
done

# The default run, a run with every phase and the longest phase names
# in its tables (out of the envelope: data lost, nodes down long).
library=$(dirname "$0")/../../scenarios
"$failsim" run --out "$work/run" >"$work/run.out" 2>&1 || fail "failsim run: $(cat "$work/run.out")"
"$failsim" run "$library/battery-loss-both.json" --out "$work/loss" >"$work/loss.out" 2>&1 ||
  fail "failsim run battery-loss-both: $(cat "$work/loss.out")"
# And a run with the storage section (a RAID rebuild, its degraded group).
"$failsim" run "$library/raid4-disk-rebuild.json" --out "$work/raid" >"$work/raid.out" 2>&1 ||
  fail "failsim run raid4-disk-rebuild: $(cat "$work/raid.out")"
grep -q 'id="storage"' "$work/raid/report.html" || fail "raid4-disk-rebuild's report.html has no storage section"
for run in run loss raid; do
  with_fit_check "$work/$run/report.html" "$work/$run-checked.html" || fail "could not inject the fit check"
  render "$work/$run-checked.html" "$work/$run.png" "$work/$run.log" || fail "chromium failed: $(tail "$work/$run.log")"
  if grep 'CONSOLE' "$work/$run.log"; then fail "$run/report.html logged to the console, or does not fit a 1280 px window"; fi
done
cp "$work/run.png" "$work/report.png"
[ -s "$work/report.png" ] || fail "no screenshot"
/usr/bin/python3 "$check_png" "$work/report.png" || fail "the screenshot looks blank"
# The control: a page with nothing on it fails the same check.
echo '<!DOCTYPE html><html><body></body></html>' >"$work/blank.html"
render "$work/blank.html" "$work/blank.png" "$work/blank.log"
/usr/bin/python3 "$check_png" "$work/blank.png" >/dev/null 2>&1 && fail "a blank page passed the screenshot check"
echo "ok: report.html renders and fits a 1280 px window"
