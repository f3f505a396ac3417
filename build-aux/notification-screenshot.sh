#!/bin/bash
# build-aux/notification-screenshot.sh OUT.png
#
# A picture of a real Vigil notification, drawn by a real notification
# server: dunst (Debian's `dunst`) on a private session bus under Xvfb.
# Vigil, built in $VIGIL_BUILDDIR (default _build), watches a demo server
# whose jobs all fail, starts a whole-library analysis, and the failure's
# notification (title, body, icon) is captured with ImageMagick's `import`
# and cropped to the bubble. Nothing touches the real home or bus.
set -euo pipefail

top=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
builddir=${VIGIL_BUILDDIR:-$top/_build}
out=$(realpath -m "${1:?usage: $0 OUT.png}")

for tool in dunst dunstctl import convert xwininfo gdbus xvfb-run dbus-run-session; do
  command -v "$tool" >/dev/null || { echo "$0: needs $tool (apt-get install dunst imagemagick x11-utils xvfb dbus)" >&2; exit 77; }
done

if [ -z "${VIGIL_SHOT_INNER:-}" ]; then
  # The bus outside the display (see ../shared/env-notes.md); the tests' bus
  # configuration activates nothing installed (no keyring in the real home).
  exec dbus-run-session --config-file="$top/tests/session-bus.conf" -- xvfb-run -a -s '-screen 0 1280x800x24' \
    env VIGIL_SHOT_INNER=1 "$0" "$@"
fi

tmp=$(mktemp -d)
pids=()
cleanup () {
  for pid in "${pids[@]}"; do kill "$pid" 2>/dev/null || true; done
  rm -rf "$tmp"
}
trap cleanup EXIT

mkdir -p "$tmp/config" "$tmp/state" "$tmp/run"
chmod 700 "$tmp/run"
export HOME=$tmp XDG_CONFIG_HOME=$tmp/config XDG_STATE_HOME=$tmp/state XDG_RUNTIME_DIR=$tmp/run
export GSETTINGS_BACKEND=memory GSETTINGS_SCHEMA_DIR=$builddir/data
export GDK_BACKEND=x11 GSK_RENDERER=cairo GDK_DEBUG=gl-disable GTK_A11Y=none
export GIO_USE_PROXY_RESOLVER=dummy GNOTIFICATION_BACKEND=freedesktop

cat > "$tmp/dunstrc" <<CONF
[global]
    origin = top-right
    offset = 16x16
    width = 420
    height = 200
    padding = 14
    horizontal_padding = 14
    frame_width = 1
    frame_color = "#c0bfbc"
    corner_radius = 12
    font = Cantarell 11
    markup = full
    format = "<b>%s</b>\n%b"
    icon_position = left
    min_icon_size = 48
    max_icon_size = 48
    icon_path = $top/data/icons/hicolor/scalable/apps
    show_indicators = yes
[urgency_normal]
    background = "#fafafa"
    foreground = "#2e3436"
    timeout = 0
[urgency_critical]
    background = "#fafafa"
    foreground = "#2e3436"
    frame_color = "#c01c28"
    timeout = 0
CONF

dunst -config "$tmp/dunstrc" >"$tmp/dunst.log" 2>&1 &
pids+=($!)
gdbus wait --session --timeout 10 org.freedesktop.Notifications

"$builddir/src/demo/vigil-demo-server" -p 0 --speed 40 --song-seconds 2 --workers 2 \
  --failure-rate 1 --seed 3 >"$tmp/demo.log" 2>&1 &
pids+=($!)
for _ in $(seq 100); do
  url=$(grep -o 'http://[0-9.:]*' "$tmp/demo.log" || true)
  [ -n "$url" ] && break
  sleep 0.1
done
[ -n "$url" ] || { echo "$0: the demo server did not start" >&2; exit 1; }

"$builddir/src/gui/vigil" --server "$url" --analyze-user 2 >"$tmp/vigil.log" 2>&1 &
pids+=($!)

# Wait for the bubble (the job fails within seconds at this speed).
for _ in $(seq 600); do
  [ "$(dunstctl count displayed 2>/dev/null || echo 0)" -gt 0 ] && break
  sleep 0.1
done
[ "$(dunstctl count displayed)" -gt 0 ] || { echo "$0: no notification shown" >&2; cat "$tmp/vigil.log" >&2; exit 1; }
sleep 1   # let dunst finish drawing

import -window root "$tmp/root.png"
# The bubble's own rectangle (dunst's window), its corners rounded as drawn
# on a desktop with a compositor.
geometry=$(xwininfo -root -tree | grep -i '"dunst"' | grep -o '[0-9]*x[0-9]*+[0-9]*+[0-9]*' | head -1)
[ -n "$geometry" ] || { echo "$0: dunst's window not found" >&2; exit 1; }
read -r w h <<<"$(echo "$geometry" | sed 's/^\([0-9]*\)x\([0-9]*\).*/\1 \2/')"
convert "$tmp/root.png" -crop "$geometry" +repage \
  \( -size "${w}x${h}" xc:none -draw "roundrectangle 0,0,$((w - 1)),$((h - 1)),12,12" \) \
  -compose DstIn -composite "$out"
echo "$out"
