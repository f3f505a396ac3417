#!/usr/bin/env python3
"""The translations are complete and valid, against the strings the
sources have now (not only the ones po/*.pot had when they were last
merged): a string added to the code fails this test until every language
in po/LINGUAS translates it (see HACKING.md, "Translations").

Every source file with translatable strings is in po/POTFILES.in. For
each language: `msgfmt --check` passes with 0 untranslated and 0
fuzzy messages, both as committed and once merged with a template freshly
extracted from po/POTFILES.in; the header has the language and its plural
forms; a message with a mnemonic keeps exactly one.

Usage: test-po.py SOURCE_ROOT [XGETTEXT_ARG…] (the project's own xgettext
arguments from po/meson.build). Prints TAP.
"""
import os
import re
import subprocess
import sys
import tempfile

# Meson's 'glib' preset for i18n.gettext() (mesonbuild/modules/i18n.py).
GLIB_PRESET = [
    '--from-code=UTF-8', '--add-comments',
    '--keyword=_', '--keyword=N_', '--keyword=C_:1c,2', '--keyword=NC_:1c,2',
    '--keyword=g_dcgettext:2', '--keyword=g_dngettext:2,3', '--keyword=g_dpgettext2:2c,3',
    '--flag=N_:1:pass-c-format', '--flag=C_:2:pass-c-format', '--flag=NC_:2:pass-c-format',
    '--flag=g_dngettext:2:pass-c-format', '--flag=g_strdup_printf:1:c-format',
    '--flag=g_string_printf:2:c-format', '--flag=g_string_append_printf:2:c-format',
    '--flag=g_error_new:3:c-format', '--flag=g_set_error:4:c-format',
    '--flag=g_markup_printf_escaped:1:c-format', '--flag=g_log:3:c-format',
    '--flag=g_print:1:c-format', '--flag=g_printerr:1:c-format', '--flag=g_printf:1:c-format',
    '--flag=g_fprintf:2:c-format', '--flag=g_sprintf:2:c-format', '--flag=g_snprintf:3:c-format',
]

PLURAL_FORMS = {
    'de': 'nplurals=2; plural=(n != 1);',
    'es': 'nplurals=2; plural=(n != 1);',
}

results = []


def ok(passed, name, detail=''):
    results.append((passed, name, detail))


def run(argv, **kw):
    return subprocess.run(argv, capture_output=True, text=True, **kw)


def statistics(po):
    """msgfmt --check on po: (exit status, its statistics line)."""
    p = run(['msgfmt', '--check', '--statistics', '-o', os.devnull, po],
            env=dict(os.environ, LC_ALL='C', LANGUAGE=''))
    return p.returncode, p.stderr.strip()


def complete(stats):
    return 'untranslated' not in stats and 'fuzzy' not in stats


def parse_po(path):
    """A minimal PO reader: a list of dicts (msgctxt, msgid, msgstr[n]…)."""
    entries, cur, field = [], {}, None

    def unquote(s):
        s = s.strip()
        body = s[1:-1]
        return re.sub(r'\\(.)', lambda m: {'n': '\n', 't': '\t'}.get(m.group(1), m.group(1)), body)

    with open(path, encoding='utf-8') as f:
        for line in f:
            line = line.rstrip('\n')
            if not line.strip():
                if cur:
                    entries.append(cur)
                cur, field = {}, None
            elif line.startswith('#'):
                if line.startswith('#~'):
                    cur['obsolete'] = True
            else:
                m = re.match(r'^(msgctxt|msgid_plural|msgid|msgstr(?:\[\d+\])?)\s+(".*")$', line)
                if m:
                    field = m.group(1)
                    cur[field] = unquote(m.group(2))
                elif field:
                    cur[field] += unquote(line)
    if cur:
        entries.append(cur)
    return entries


def has_mnemonic(s):
    # "_Save", "Analyze _Every Song", "Re_move", "C_lear"; not "JOB_ID…",
    # "lyrics_fetching" or "--admin-token-env".
    return bool(re.search(r'(^|\s)_\w', s) or re.search(r'\b[A-Za-z]*[A-Z][A-Za-z]*_[a-z]', s))


def check_language(top, lang, pot, tmp):
    po = os.path.join(top, 'po', lang + '.po')
    if not os.path.exists(po):
        ok(False, f'{lang}: po/{lang}.po exists')
        return

    status, stats = statistics(po)
    ok(status == 0 and complete(stats), f'{lang}: msgfmt --check --statistics po/{lang}.po', stats)

    merged = os.path.join(tmp, lang + '.po')
    p = run(['msgmerge', '--quiet', '--output-file', merged, po, pot])
    if p.returncode != 0:
        ok(False, f'{lang}: msgmerge with the current sources', p.stderr)
    else:
        status, stats = statistics(merged)
        ok(status == 0 and complete(stats),
           f'{lang}: every string of the current sources is translated', stats +
           ('' if complete(stats) else
            f'\nrun `meson compile -C _build vigil-pot vigil-update-po` and translate po/{lang}.po'))

    entries = parse_po(po)
    header = next((e.get('msgstr', '') for e in entries if e.get('msgid') == '' and 'msgctxt' not in e), '')
    ok(f'Language: {lang}\n' in header, f'{lang}: header names the language')
    want = PLURAL_FORMS.get(lang)
    ok(want is None or f'Plural-Forms: {want}\n' in header, f'{lang}: Plural-Forms is {want}')

    bad = []
    for e in entries:
        if e.get('obsolete') or not e.get('msgid') or not has_mnemonic(e['msgid']):
            continue
        for key, value in e.items():
            if key.startswith('msgstr') and value and len(re.findall(r'_\w', value)) != 1:
                bad.append(f'{e["msgid"]!r} -> {value!r}')
    ok(not bad, f'{lang}: mnemonics kept, one each', '\n'.join(bad))


def check_potfiles(top):
    """Every source file with translatable strings is in po/POTFILES.in."""
    with open(os.path.join(top, 'po', 'POTFILES.in'), encoding='utf-8') as f:
        listed = {line.strip() for line in f if line.strip() and not line.startswith('#')}
    marked = re.compile(r'\b(_|N_|C_|NC_|g_dngettext|g_dpgettext2|ngettext)\s*\(|translatable="yes"')
    missing = []
    for folder in ('src', 'data'):
        for root, _dirs, files in os.walk(os.path.join(top, folder)):
            for name in files:
                if not name.endswith(('.c', '.ui')):
                    continue
                path = os.path.join(root, name)
                rel = os.path.relpath(path, top)
                with open(path, encoding='utf-8', errors='replace') as f:
                    if rel not in listed and marked.search(f.read()):
                        missing.append(rel)
    ok(not missing, 'po/POTFILES.in lists every file with translatable strings',
       'missing: ' + ' '.join(sorted(missing)))
    gone = sorted(p for p in listed if not os.path.exists(os.path.join(top, p)))
    ok(not gone, 'po/POTFILES.in lists only existing files', 'gone: ' + ' '.join(gone))


def main():
    top = sys.argv[1]
    extra = sys.argv[2:]
    with open(os.path.join(top, 'po', 'LINGUAS'), encoding='utf-8') as f:
        langs = [w for line in f if not line.startswith('#') for w in line.split()]
    ok(bool(langs), 'po/LINGUAS lists languages', ' '.join(langs))
    check_potfiles(top)

    with tempfile.TemporaryDirectory() as tmp:
        pot = os.path.join(tmp, 'vigil.pot')
        p = run(['xgettext', '--package-name=vigil', '-f', os.path.join(top, 'po', 'POTFILES.in'),
                 '-D', top, '-k_', '-o', pot] + GLIB_PRESET + extra)
        ok(p.returncode == 0 and os.path.exists(pot), 'xgettext extracts the current strings', p.stderr)
        if os.path.exists(pot):
            for lang in langs:
                check_language(top, lang, pot, tmp)

    print(f'1..{len(results)}')
    failed = 0
    for i, (passed, name, detail) in enumerate(results, 1):
        print(f'{"ok" if passed else "not ok"} {i} - {name}')
        if detail and not passed:
            for line in detail.splitlines():
                print(f'# {line}')
        failed += not passed
    return 1 if failed else 0


if __name__ == '__main__':
    sys.exit(main())
