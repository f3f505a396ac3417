#!/usr/bin/env python3
# test-flatpak-manifest.py — the Flatpak manifest, checked offline (these
# machines cannot download a runtime): flatpak-builder parses it; its app id
# is the one of the desktop file, metainfo, GSettings schema and D-Bus
# service; it asks for no permission beyond the list the design allows; its
# one module builds this tree with meson. TAP output.
#
# SPDX-License-Identifier: GPL-3.0-or-later
import json
import os
import re
import shutil
import subprocess
import sys

SRC = os.environ.get('G_TEST_SRCDIR', os.path.dirname(os.path.abspath(__file__)))
TOP = os.path.dirname(SRC)
MANIFEST = os.path.join(TOP, 'flatpak', 'io.github.vigil.Vigil.json')
ALLOWED = {
    '--share=network', '--share=ipc', '--socket=wayland', '--socket=fallback-x11',
    '--device=dri', '--talk-name=org.kde.StatusNotifierWatcher',
}

results = []


def check(name, ok, why=''):
    results.append((name, ok, why))


def read(*parts):
    with open(os.path.join(TOP, *parts), encoding='utf-8') as f:
        return f.read()


# 1. flatpak-builder parses it (and prints it back as JSON).
fb = shutil.which('flatpak-builder')
if fb is None:
    check('flatpak-builder --show-manifest parses the manifest', False,
          'flatpak-builder is not installed (build-aux/dev.sh deps installs it)')
    shown = None
else:
    p = subprocess.run([fb, '--show-manifest', MANIFEST], capture_output=True, text=True)
    shown = None
    if p.returncode == 0:
        try:
            shown = json.loads(p.stdout)
        except ValueError as e:
            p = None
    check('flatpak-builder --show-manifest parses the manifest', shown is not None,
          '' if shown is not None else 'flatpak-builder failed: ' + (p.stderr.strip() if p else 'not JSON'))

with open(MANIFEST, encoding='utf-8') as f:
    manifest = json.load(f)
if shown is not None:
    check('flatpak-builder reads the same app id', shown.get('id') == manifest.get('id'))

app_id = manifest.get('id') or manifest.get('app-id')
check('app id is io.github.vigil.Vigil', app_id == 'io.github.vigil.Vigil', repr(app_id))
check('runtime is org.gnome.Platform and sdk org.gnome.Sdk',
      manifest.get('runtime') == 'org.gnome.Platform' and manifest.get('sdk') == 'org.gnome.Sdk')
check('runtime-version is a stable branch (a number)',
      re.fullmatch(r'\d+(\.\d+)?', str(manifest.get('runtime-version', ''))) is not None)
check('command is vigil', manifest.get('command') == 'vigil')

# 2. The app id everywhere.
desktop = read('data', app_id + '.desktop.in')
check('desktop file named after the app id and DBusActivatable',
      'DBusActivatable=true' in desktop.splitlines())
check('desktop file Icon is the app id', 'Icon=' + app_id in desktop.splitlines())
metainfo = read('data', app_id + '.metainfo.xml.in')
check('metainfo id is the app id', '<id>%s</id>' % app_id in metainfo)
check('metainfo launchable is the desktop file',
      '<launchable type="desktop-id">%s.desktop</launchable>' % app_id in metainfo)
schema = read('data', app_id + '.gschema.xml')
check('GSettings schema id is the app id', 'id="%s"' % app_id in schema)
service = read('data', app_id + '.service.in')
check('D-Bus service name is the app id', 'Name=%s' % app_id in service.splitlines())
check('D-Bus service starts vigil as a service',
      re.search(r'^Exec=\S*/vigil --gapplication-service$', service, re.M) is not None)
meson_top = read('meson.build')
check('meson.build app_id is the app id', "app_id = '%s'" % app_id in meson_top)

# 3. Permissions: nothing beyond the list, no filesystem access.
args = manifest.get('finish-args', [])
extra = [a for a in args if a not in ALLOWED]
check('no permission beyond the allowed list', not extra, 'extra: %s' % extra)
check('no filesystem access', not any(a.startswith('--filesystem') for a in args))
check('network and a display socket are asked for',
      '--share=network' in args and '--socket=wayland' in args and '--socket=fallback-x11' in args)

# 4. The module builds this tree with meson.
modules = manifest.get('modules', [])
vigil = [m for m in modules if isinstance(m, dict) and m.get('name') == 'vigil']
check('one module named vigil, the last one', len(vigil) == 1 and modules[-1] is vigil[0])
if vigil:
    m = vigil[0]
    check('module builds with meson', m.get('buildsystem') == 'meson')
    sources = m.get('sources', [])
    check('module source is this tree',
          len(sources) == 1 and sources[0].get('type') == 'dir'
          and os.path.realpath(os.path.join(TOP, 'flatpak', sources[0].get('path', ''))) == os.path.realpath(TOP))
    opts = m.get('config-opts', [])
    check('tests are not built into the Flatpak', '-Dtests=false' in opts)
    options = read('meson_options.txt')
    for o in opts:
        name = o[2:].split('=')[0]
        check('config-opt %s is a meson option of this tree' % name, "option('%s'" % name in options)

print('1..%d' % len(results))
failed = 0
for i, (name, ok, why) in enumerate(results, 1):
    print('%s %d %s%s' % ('ok' if ok else 'not ok', i, name, ('' if ok or not why else ' # ' + why)))
    failed += not ok
sys.exit(1 if failed else 0)
