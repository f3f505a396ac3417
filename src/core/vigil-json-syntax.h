/* vigil-json-syntax.h — standard JSON only, checked without recursion
 *
 * json-glib 1.6 parses recursively (a deep enough body overflows the
 * stack) and its tokenizer, derived from GScanner, takes much more than
 * JSON: single-quoted strings, comments, "var x =" assignments, hex and
 * octal numbers, escapes that run past a closing quote. No way of counting
 * brackets agrees with all of that, so a body is checked against the
 * grammar of RFC 8259 first — on which json-glib's reading and the
 * standard's agree — with a bound on its nesting, by a loop with a fixed
 * stack. Only a body that passes reaches json-glib.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

typedef enum
{
  VIGIL_JSON_SYNTAX_OK,
  VIGIL_JSON_SYNTAX_TOO_DEEP,   /* more than max_depth arrays and objects */
  VIGIL_JSON_SYNTAX_INVALID,    /* not standard JSON */
} VigilJsonSyntax;

/* Deepest max_depth accepted by vigil_json_syntax_check(). */
#define VIGIL_JSON_SYNTAX_DEPTH_LIMIT 1024

/* Checks that text (len bytes) is one JSON value (RFC 8259), surrounded
 * by whitespace only, nested at most max_depth (<= the limit above) deep.
 * Allowed beyond the RFC, because json-glib reads them the same way:
 * control characters other than NUL unescaped inside strings. Refused
 * although the RFC allows them, because json-glib reads on past the
 * closing quote: a lone UTF-16 surrogate escape just before the closing
 * quote ("\ud800") or before another "\u" escape that does not complete
 * a pair.
 *
 * overflows, when not NULL, is a GArray of gsize: the offset just past
 * each integer literal whose magnitude exceeds G_MAXINT64 (json-glib wraps
 * those round; -9223372036854775808 too, whose negation json-glib
 * overflows). On failure, *error_offset (when not NULL) is the offset of
 * the first byte found wrong. */
VigilJsonSyntax vigil_json_syntax_check (const char *text,
                                         gsize       len,
                                         guint       max_depth,
                                         GArray     *overflows,
                                         gsize      *error_offset);

G_END_DECLS
