#!/usr/bin/env bash
# test-install.sh — Vigil installed, not only in the build tree: `meson
# install --destdir` into a scratch root, then the installed `vigil` runs
# with only the installed files (schema compiled in the install prefix,
# icons, desktop file, metainfo, D-Bus service, man pages): --version,
# --help (in German, from the installed .mo files), and a window that
# comes up; desktop-file-validate and
# appstreamcli validate --no-net pass without warnings. TAP output.
#
# SPDX-License-Identifier: GPL-3.0-or-later
set -uo pipefail

builddir=${VIGIL_BUILDDIR:?VIGIL_BUILDDIR is not set}
app_id=io.github.vigil.Vigil
n=0
failed=0

ok () {      # ok NAME CONDITION-STATUS [WHY]
  n=$((n + 1))
  if [ "$2" -eq 0 ]; then
    echo "ok $n $1"
  else
    echo "not ok $n $1${3:+ # $3}"
    failed=$((failed + 1))
  fi
}

root=$(mktemp -d "$builddir/tests/install-root.XXXXXX")
trap 'kill "${vigil_pid:-0}" 2>/dev/null; rm -rf "$root"' EXIT

meson install -C "$builddir" --no-rebuild --destdir "$root" >"$root.log" 2>&1
ok "meson install --destdir" $? "$(tail -3 "$root.log" | tr '\n' ' ')"
rm -f "$root.log"

prefix=$(meson introspect "$builddir" --buildoptions |
  python3 -c 'import json,sys; print([o["value"] for o in json.load(sys.stdin) if o["name"]=="prefix"][0])')
inst=$root$prefix
vigil=$inst/bin/vigil
share=$inst/share

test -x "$vigil" && test -x "$inst/bin/vigilctl" && test -x "$inst/bin/vigil-demo-server"
ok "vigil, vigilctl and vigil-demo-server installed in $prefix/bin" $?

test -f "$share/glib-2.0/schemas/$app_id.gschema.xml" &&
  glib-compile-schemas --strict "$share/glib-2.0/schemas" &&
  test -f "$share/glib-2.0/schemas/gschemas.compiled"
ok "GSettings schema installed and compiled in the install prefix" $?

test -f "$share/icons/hicolor/scalable/apps/$app_id.svg" &&
  test -f "$share/icons/hicolor/symbolic/apps/$app_id-symbolic.svg"
ok "app icon and symbolic icon installed" $?

grep -qx "Exec=$prefix/bin/vigil --gapplication-service" "$share/dbus-1/services/$app_id.service"
ok "D-Bus service file installed, starting the installed vigil" $?

test -f "$share/man/man1/vigil.1" && test -f "$share/man/man1/vigilctl.1" &&
  test -f "$share/man/man1/vigil-demo-server.1"
ok "man pages installed" $?

if grep -q '^#define HAVE_WEBKIT 1' "$builddir/config.h"; then
  test -n "$(find "$inst" -path '*/vigil/libvigil-signin.so' -print -quit)"
  ok "the web sign-in module installed beside the app" $?
else
  ok "the web sign-in module installed beside the app # SKIP built without WebKit" 0
fi

missing=""
for lang in $(sed -e 's/#.*//' "$G_TEST_SRCDIR/../po/LINGUAS"); do
  test -f "$share/locale/$lang/LC_MESSAGES/vigil.mo" || missing="$missing $lang"
done
test -z "$missing"
ok "a translation installed for every language of po/LINGUAS" $? "missing:$missing"

out=$(desktop-file-validate "$share/applications/$app_id.desktop" 2>&1)
test $? -eq 0 && test -z "$out"
ok "desktop-file-validate passes without warnings" $? "$out"
grep -qx "DBusActivatable=true" "$share/applications/$app_id.desktop"
ok "the desktop file is DBusActivatable" $?

out=$(appstreamcli validate --no-net "$share/metainfo/$app_id.metainfo.xml" 2>&1)
status=$?
test $status -eq 0 && ! grep -q '^[EW]:' <<<"$out"
ok "appstreamcli validate --no-net passes without warnings" $? "$(grep '^[EW]:' <<<"$out" | tr '\n' ' ')"

# Only the installed files: the schema, data and icons of the install root.
run_env=(env -u VIGIL_BUILDDIR GSETTINGS_SCHEMA_DIR="$share/glib-2.0/schemas"
         XDG_DATA_DIRS="$share:/usr/share")

out=$("${run_env[@]}" "$vigil" --version 2>&1)
test "$out" = "vigil $(meson introspect "$builddir" --projectinfo |
  python3 -c 'import json,sys; print(json.load(sys.stdin)["version"])')"
ok "installed vigil --version" $? "$out"

out=$(env -u GSETTINGS_SCHEMA_DIR XDG_DATA_DIRS=/nonexistent "$vigil" --help 2>&1)
test $? -eq 0 && grep -q -- "--analyze-song" <<<"$out"
ok "installed vigil --help works without any installed schema" $? "$out"

# The installed translations work: the binaries look in $prefix/share/locale,
# which is inside the scratch root here, so VIGIL_LOCALEDIR points there.
locale=de_DE.UTF-8
locale -a 2>/dev/null | grep -qix 'de_DE.utf-\?8' || locale=C.UTF-8
de_env=(env -u GSETTINGS_SCHEMA_DIR XDG_DATA_DIRS=/nonexistent VIGIL_LOCALEDIR="$share/locale"
        LC_ALL=$locale LANGUAGE=de)
out=$("${de_env[@]}" "$vigil" --help 2>&1)$'\n'$("${de_env[@]}" "$inst/bin/vigilctl" --help 2>&1)
out=$out$'\n'$("${de_env[@]}" "$inst/bin/vigil-demo-server" --help 2>&1)
grep -q "Die Version ausgeben und beenden" <<<"$out" &&
  grep -q "Befehle:" <<<"$out" &&
  grep -q "Die API zur Titelanalyse" <<<"$out"
ok "vigil, vigilctl and vigil-demo-server speak German from the installed .mo files" $? "$out"

# A window comes up: GtkApplication exports each window's actions on the
# session bus (the test's private one), and the X server shows it mapped.
"${run_env[@]}" "$vigil" --demo >"$root/vigil.log" 2>&1 &
vigil_pid=$!
up=1
for _ in $(seq 1 600); do
  if gdbus call --session --dest $app_id --object-path /io/github/vigil/Vigil/window/1 \
       --method org.gtk.Actions.List >/dev/null 2>&1; then
    up=0
    break
  fi
  kill -0 $vigil_pid 2>/dev/null || break
  sleep 0.1
done
ok "installed vigil --demo brings up a window" $up "$(tail -3 "$root/vigil.log" | tr '\n' ' ')"

mapped=1
if command -v xwininfo >/dev/null; then
  for _ in $(seq 1 300); do
    if xwininfo -root -tree 2>/dev/null | grep -q '"Vigil"'; then
      mapped=0
      break
    fi
    sleep 0.1
  done
  ok "the window named Vigil is on the X server" $mapped
else
  ok "the window named Vigil is on the X server # SKIP xwininfo (x11-utils) not installed" 0
fi

gdbus call --session --dest $app_id --object-path /io/github/vigil/Vigil \
  --method org.gtk.Actions.Activate quit '[]' '{}' >/dev/null 2>&1
ok "app.quit over D-Bus accepted" $?
gone=1
for _ in $(seq 1 300); do
  if ! kill -0 $vigil_pid 2>/dev/null; then
    gone=0
    break
  fi
  sleep 0.1
done
wait $vigil_pid 2>/dev/null
ok "installed vigil quits cleanly" $gone
grep -E "CRITICAL|WARNING" "$root/vigil.log" >/dev/null
test $? -ne 0
ok "no warning or critical from the installed vigil" $? "$(grep -E 'CRITICAL|WARNING' "$root/vigil.log" | head -2 | tr '\n' ' ')"

# D-Bus activation (DBusActivatable=true): on a bus whose only service
# directory is the installed one, activating the app id starts the
# installed vigil, which shows its window — what a notification's action
# does when Vigil is not running. The installed service file names the
# prefix; the copy the bus reads names the same binary in the scratch root.
mkdir -p "$root/services"
sed "s|^Exec=$prefix/bin/|Exec=$inst/bin/|" "$share/dbus-1/services/$app_id.service" \
  >"$root/services/$app_id.service"
cat >"$root/bus.conf" <<CONF
<!DOCTYPE busconfig PUBLIC "-//freedesktop//DTD D-Bus Bus Configuration 1.0//EN"
 "http://www.freedesktop.org/standards/dbus/1.0/busconfig.dtd">
<busconfig>
  <type>session</type>
  <keep_umask/>
  <listen>unix:tmpdir=/tmp</listen>
  <auth>EXTERNAL</auth>
  <servicedir>$root/services</servicedir>
  <policy context="default">
    <allow send_destination="*" eavesdrop="true"/>
    <allow eavesdrop="true"/>
    <allow own="*"/>
  </policy>
</busconfig>
CONF
export GSETTINGS_SCHEMA_DIR="$share/glib-2.0/schemas" XDG_DATA_DIRS="$share:/usr/share"
unset VIGIL_BUILDDIR
dbus-run-session --config-file="$root/bus.conf" -- bash -c '
  gdbus call --session --dest '$app_id' --object-path /io/github/vigil/Vigil \
    --method org.freedesktop.Application.Activate "{}" >/dev/null 2>&1 || exit 1
  for _ in $(seq 1 600); do
    if gdbus call --session --dest '$app_id' --object-path /io/github/vigil/Vigil/window/1 \
         --method org.gtk.Actions.List >/dev/null 2>&1; then
      gdbus call --session --dest '$app_id' --object-path /io/github/vigil/Vigil \
        --method org.gtk.Actions.Activate quit "[]" "{}" >/dev/null 2>&1
      exit 0
    fi
    sleep 0.1
  done
  exit 1'
ok "D-Bus activation starts the installed vigil with a window" $?

echo "1..$n"
exit $((failed > 0))
