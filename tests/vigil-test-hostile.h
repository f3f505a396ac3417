/* vigil-test-hostile.h — bodies that hide deep nesting from a naive
 * bracket count, shared by the reader and API client tests
 *
 * json-glib 1.6 reads more than JSON: single-quoted strings without
 * escapes, "/…/" comments (its single-line comment pair is '/' … '/', which
 * also swallows C comments), "var x = …" assignments, and string escapes
 * that run past a closing quote. Each construct below makes json-glib see
 * real brackets where a scanner that knows only standard JSON strings sees
 * the inside of a string (or nothing at all). Followed by enough '[', each
 * one overflowed json-glib's recursive parser.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <string.h>
#include <glib.h>

G_BEGIN_DECLS

typedef struct
{
  const char *name;
  const char *head;    /* before the nesting */
  const char *unit;    /* repeated depth times */
} VigilTestHostile;

static const VigilTestHostile vigil_test_hostile[] = {
  /* a backslash does not escape in a single-quoted string */
  { "single-quote-backslash", "{\"a\": '\\', \"b\": ", "[" },
  /* a quote inside a C comment */
  { "c-comment-quote", "{\"a\": /* \" */ ", "[" },
  /* a "//" comment: json-glib 1.6 ends it at the second '/', and the
   * single-quoted string after it holds a backslash */
  { "line-comment-quote", "{\"a\": // '\\', \"b\": ", "[" },
  /* what json-glib 1.6 really takes for a "//" comment: '/' … '/' */
  { "slash-comment-quote", "{\"a\": /\"/ ", "[" },
  /* not a comment for json-glib 1.6, but for other readers */
  { "hash-comment-quote", "{\"a\": # \"\n", "[" },
  /* json-glib reads the character after a lone surrogate escape as the
   * start of its pair, even when it is the closing quote */
  { "lone-surrogate", "{\"a\": [\"\\ud800\", \" , ", "[" },
  /* "\u" with fewer than four hex digits swallows the closing quote */
  { "short-unicode-escape", "{\"a\": [\"\\u1\", \" , ", "[" },
  /* "var a = var b = …" recurses once per assignment, no bracket at all */
  { "var-assignment", "", "var a = " },
};

/* head, then unit depth times */
static inline char *
vigil_test_hostile_build (const VigilTestHostile *h,
                          guint                   depth)
{
  GString *out = g_string_sized_new (strlen (h->head) + depth * strlen (h->unit));

  g_string_append (out, h->head);
  for (guint i = 0; i < depth; i++)
    g_string_append (out, h->unit);
  return g_string_free (out, FALSE);
}

G_END_DECLS
