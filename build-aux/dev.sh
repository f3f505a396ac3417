#!/usr/bin/env bash
# Vigil's developer entry point, for a fresh Debian 12 machine (as root or
# with sudo):
#   build-aux/dev.sh run [ARGS…]     install what is missing, build, start `vigil --demo`
#   build-aux/dev.sh test [ARGS…]    install what is missing, build, run every test headless
#   build-aux/dev.sh screenshot OUT.png [APP ARGS…]   a PNG of the window under Xvfb
#   build-aux/dev.sh asan [ARGS…]    every test under AddressSanitizer + UBSan, leaks checked
#   build-aux/dev.sh deps            only install the missing packages
#   build-aux/dev.sh fuzz SECONDS    build the libFuzzer targets (clang, in _build-fuzz) and run them all for SECONDS in total
# VIGIL_BUILDDIR picks the build directory (default: _build).
set -euo pipefail

top=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
builddir=${VIGIL_BUILDDIR:-$top/_build}

# Debian 12 packages: build, run, test (see ../shared/env-notes.md).
packages=(
  build-essential meson ninja-build pkgconf gettext itstool
  libgtk-4-dev libadwaita-1-dev libsoup-3.0-dev libjson-glib-dev libsecret-1-dev
  libglib2.0-dev-bin libglib2.0-bin desktop-file-utils appstream
  xvfb xauth dbus dbus-daemon
  glib-networking ca-certificates gsettings-desktop-schemas
  adwaita-icon-theme hicolor-icon-theme librsvg2-common fonts-cantarell fonts-dejavu-core
  libgl1-mesa-dri imagemagick curl python3 x11-utils
  # the packaging tests (tests/test-flatpak-manifest.py, tests/test-install.sh)
  flatpak-builder man-db
  # the credentials tests start a real keyring (tests/vigil-test-keyring.c)
  gnome-keyring libsecret-tools
  # optional: the web sign-in window (-Dwebkit=auto)
  libwebkitgtk-6.0-dev
  # the translation tests run in German and Spanish (tests/test-i18n.c)
  locales
)

# Locales the tests run in; generated when missing (needs the locales package).
locales=(de_DE es_ES)

ensure_packages () {
  local missing=() p sudo=()

  for p in "${packages[@]}"; do
    dpkg-query -W -f='${Status}\n' "$p" 2>/dev/null | grep -q '^install ok installed$' ||
      missing+=("$p")
  done
  [ "$(id -u)" -eq 0 ] || sudo=(sudo)
  if [ ${#missing[@]} -gt 0 ]; then
    echo "dev.sh: installing ${missing[*]}" >&2
    "${sudo[@]}" apt-get update -qq
    DEBIAN_FRONTEND=noninteractive "${sudo[@]}" apt-get install -y -qq \
      --no-install-recommends "${missing[@]}" >/dev/null
  fi
  ensure_locales "${sudo[@]}"
}

# Generate the UTF-8 locales the tests need (locale -a spells them de_DE.utf8).
ensure_locales () {
  local l

  for l in "${locales[@]}"; do
    locale -a 2>/dev/null | grep -qix "$l\.utf-\?8" && continue
    echo "dev.sh: generating the $l.UTF-8 locale" >&2
    "$@" localedef -i "$l" -f UTF-8 "$l.UTF-8"
  done
}

build () {
  if [ ! -f "$builddir/build.ninja" ]; then
    meson setup "$builddir" "$top" -Dwerror=true >/dev/null
  fi
  meson compile -C "$builddir" >/dev/null || meson compile -C "$builddir"
}

# Run the uninstalled app with its compiled schema.
run_vigil () {
  GSETTINGS_SCHEMA_DIR="$builddir/data" exec "$builddir/src/gui/vigil" "$@"
}

have_display () {
  [ -n "${DISPLAY:-}" ] || [ -n "${WAYLAND_DISPLAY:-}" ]
}

cmd_run () {
  ensure_packages
  build
  if ! have_display; then
    echo "dev.sh: no display found; starting Vigil under Xvfb instead (Ctrl+C to stop)." >&2
    echo "dev.sh: 'build-aux/dev.sh screenshot shot.png' writes a picture of the window." >&2
    exec dbus-run-session -- xvfb-run -a -s '-screen 0 1280x800x24' \
      env GSETTINGS_SCHEMA_DIR="$builddir/data" "$builddir/src/gui/vigil" --demo "$@"
  fi
  run_vigil --demo "$@"
}

# Print "N passed, N failed[, N skipped]" from meson's test log.
summarize () {
  python3 - "$builddir/meson-logs/testlog.json" <<'PY'
import json, sys
passed = failed = skipped = 0
try:
    lines = open(sys.argv[1]).read().splitlines()
except OSError:
    lines = []
for line in lines:
    if not line.strip():
        continue
    result = json.loads(line).get("result", "")
    if result in ("OK", "EXPECTEDFAIL"):
        passed += 1
    elif result == "SKIP":
        skipped += 1
    else:
        failed += 1
tail = f", {skipped} skipped" if skipped else ""
print(f"{passed} passed, {failed} failed{tail}")
PY
}

cmd_test () {
  local status=0

  ensure_packages
  build
  rm -f "$builddir/meson-logs/testlog.json"
  rm -rf "$builddir/tests/home/.local/state"   # what the app saved in earlier runs
  meson test -C "$builddir" --print-errorlogs "$@" || status=$?
  summarize
  return $status
}

# The whole suite built with -Db_sanitize=address,undefined in its own build
# directory. Leaks are checked; build-aux/lsan.supp lists the platform
# libraries' allocations that are kept on purpose. Any sanitizer report
# fails the test that caused it.
cmd_asan () {
  local status=0

  ensure_packages
  builddir=${VIGIL_ASAN_BUILDDIR:-$top/_build-asan}
  if [ ! -f "$builddir/build.ninja" ]; then
    meson setup "$builddir" "$top" -Dwerror=true -Dbuildtype=debug \
      -Db_sanitize=address,undefined -Db_lundef=false >/dev/null
  fi
  meson compile -C "$builddir" >/dev/null || meson compile -C "$builddir"
  rm -f "$builddir/meson-logs/testlog.json"
  rm -rf "$builddir/tests/home/.local/state"
  ASAN_OPTIONS=detect_leaks=1:fast_unwind_on_malloc=0:abort_on_error=1:strict_string_checks=1:detect_stack_use_after_return=1 \
  LSAN_OPTIONS="suppressions=$top/build-aux/lsan.supp:print_suppressions=0" \
  UBSAN_OPTIONS=halt_on_error=1:print_stacktrace=1 \
  VIGIL_TEST_TIMEOUT_FACTOR=${VIGIL_TEST_TIMEOUT_FACTOR:-6} \
    meson test -C "$builddir" --print-errorlogs --timeout-multiplier 4 "$@" || status=$?
  summarize
  return $status
}

cmd_screenshot () {
  local out=${1:?usage: dev.sh screenshot OUT.png [APP ARGS…]}
  shift
  ensure_packages
  build
  case "$out" in /*) ;; *) out="$PWD/$out" ;; esac
  VIGIL_SHOT_OUT="$out" VIGIL_SHOT_DELAY="${VIGIL_SHOT_DELAY:-4}" \
    xvfb-run -a -s '-screen 0 1280x800x24' bash -c '
      GSETTINGS_BACKEND=memory GSETTINGS_SCHEMA_DIR="$0/data" GTK_A11Y=none \
        "$0/src/gui/vigil" "$@" &
      pid=$!
      sleep "$VIGIL_SHOT_DELAY"
      import -window root "$VIGIL_SHOT_OUT.full.png"
      kill "$pid"; wait "$pid" 2>/dev/null || true
      convert "$VIGIL_SHOT_OUT.full.png" -trim +repage "$VIGIL_SHOT_OUT"
      rm -f "$VIGIL_SHOT_OUT.full.png"' "$builddir" "$@"
  echo "dev.sh: wrote $out"
}

# Build every libFuzzer target of tests/fuzz in its own build directory
# (VIGIL_FUZZ_BUILDDIR, default _build-fuzz) and run each for its share of
# SECONDS, from the committed corpus. New inputs go to the build directory;
# a crash leaves its input there and the command fails.
cmd_fuzz () {
  local total=${1:?usage: dev.sh fuzz SECONDS} fuzzdir=${VIGIL_FUZZ_BUILDDIR:-$top/_build-fuzz}
  local targets=(reader json-syntax answer timestamp retry-after) t each log runs status=0

  ensure_packages
  command -v clang >/dev/null || { echo "dev.sh: fuzzing needs clang (apt-get install clang)" >&2; return 1; }
  if [ ! -f "$fuzzdir/build.ninja" ]; then
    CC=clang meson setup "$fuzzdir" "$top" -Dfuzzing=true -Dtests=false >/dev/null
  fi
  meson compile -C "$fuzzdir" "${targets[@]/#/fuzz-}" >/dev/null ||
    meson compile -C "$fuzzdir" "${targets[@]/#/fuzz-}"

  each=$(( total / ${#targets[@]} ))
  [ "$each" -ge 1 ] || each=1
  for t in "${targets[@]}"; do
    mkdir -p "$fuzzdir/corpus/$t" "$fuzzdir/artifacts"
    log="$fuzzdir/fuzz-$t.log"
    if G_SLICE=always-malloc ASAN_OPTIONS=detect_leaks=1:abort_on_error=1 UBSAN_OPTIONS=print_stacktrace=1 \
       "$fuzzdir/tests/fuzz/fuzz-$t" -max_total_time="$each" -max_len=65536 -timeout=10 \
         -print_final_stats=1 -artifact_prefix="$fuzzdir/artifacts/$t-" \
         "$fuzzdir/corpus/$t" "$top/tests/fuzz/corpus/$t" >"$log" 2>&1; then
      runs=$(sed -n 's/^stat::number_of_executed_units: *//p' "$log")
      echo "fuzz-$t: ${runs:-?} executions in ${each} s: no crash"
    else
      status=1
      echo "fuzz-$t: FAILED, see $log and $fuzzdir/artifacts/$t-*"
      grep -m1 -E 'ERROR|runtime error|Vigil-ERROR|deadly signal' "$log" || true
    fi
  done
  return $status
}

case "${1:-}" in
  run) shift; cmd_run "$@" ;;
  test) shift; cmd_test "$@" ;;
  asan) shift; cmd_asan "$@" ;;
  screenshot) shift; cmd_screenshot "$@" ;;
  deps) ensure_packages ;;
  fuzz) shift; cmd_fuzz "$@" ;;
  *) sed -n '2,11p' "$0" >&2; exit 2 ;;
esac
