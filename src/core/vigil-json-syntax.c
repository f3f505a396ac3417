/* vigil-json-syntax.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <string.h>

#include "vigil-json-syntax.h"

/* What may come next. */
typedef enum
{
  WANT_VALUE,
  WANT_VALUE_OR_CLOSE,    /* just after '[' */
  WANT_KEY,
  WANT_KEY_OR_CLOSE,      /* just after '{' */
  WANT_COLON,
  WANT_COMMA_OR_CLOSE,
  WANT_END,
} Want;

typedef struct
{
  const guchar *text;
  gsize         len;
  gsize         pos;
  GArray       *overflows;

  /* The levels open at pos: '[' or '{' each. */
  guint         depth;
  guint         max_depth;
  guchar        open[VIGIL_JSON_SYNTAX_DEPTH_LIMIT];
  Want          want;
} Scan;

/* ------------------------------------------------------------------ */
/* Tokens                                                              */
/* ------------------------------------------------------------------ */

static int
peek (const Scan *s)
{
  return s->pos < s->len ? s->text[s->pos] : -1;
}

/* The RFC's four, which are also json-glib's skip characters. */
static void
skip_space (Scan *s)
{
  while (s->pos < s->len &&
         (s->text[s->pos] == ' ' || s->text[s->pos] == '\t' ||
          s->text[s->pos] == '\n' || s->text[s->pos] == '\r'))
    s->pos++;
}

static gboolean
read_hex4 (Scan  *s,
           guint *unit)
{
  *unit = 0;
  for (guint k = 0; k < 4; k++, s->pos++)
    {
      int digit = s->pos < s->len ? g_ascii_xdigit_value (s->text[s->pos]) : -1;

      if (digit < 0)
        return FALSE;
      *unit = *unit * 16 + (guint) digit;
    }

  return TRUE;
}

/* After "\u". json-glib reads the character after a surrogate escape as
 * the start of its pair, whatever it is: a pair passes, and so does a lone
 * surrogate followed by a character that ends nothing (json-glib drops it;
 * the reader makes the text valid UTF-8 again). A lone surrogate before
 * the closing quote, or before another "\u", does not. */
static gboolean
scan_unicode_escape (Scan *s)
{
  gboolean high;
  guint unit;

  if (!read_hex4 (s, &unit))
    return FALSE;
  if (unit < 0xd800 || unit > 0xdfff)
    return TRUE;

  high = unit <= 0xdbff;
  if (s->len - s->pos >= 2 && s->text[s->pos] == '\\' && s->text[s->pos + 1] == 'u')
    {
      s->pos += 2;
      return high && read_hex4 (s, &unit) && unit >= 0xdc00 && unit <= 0xdfff;
    }

  return s->pos < s->len && s->text[s->pos] != '"' && s->text[s->pos] != '\0';
}

/* After a backslash: the RFC's escapes only (json-glib also reads octal
 * ones, and passes any other character through). */
static gboolean
scan_escape (Scan *s)
{
  guchar c;

  if (s->pos >= s->len)
    return FALSE;

  c = s->text[s->pos++];
  if (c == 'u')
    return scan_unicode_escape (s);

  return c != '\0' && strchr ("\"\\/bfnrt", c) != NULL;
}

/* A double-quoted string. Raw control characters pass: json-glib keeps
 * them as they are, and they end nothing. */
static gboolean
scan_string (Scan *s)
{
  g_assert (peek (s) == '"');

  s->pos++;
  while (s->pos < s->len)
    {
      guchar c = s->text[s->pos++];

      if (c == '"')
        return TRUE;
      if (c == '\0')
        return FALSE;   /* json-glib's end of text */
      if (c == '\\' && !scan_escape (s))
        return FALSE;
    }

  return FALSE;
}

static gboolean
scan_digits (Scan *s)
{
  gsize start = s->pos;

  while (s->pos < s->len && g_ascii_isdigit (s->text[s->pos]))
    s->pos++;

  return s->pos > start;
}

/* digits (no sign, no leading zero) beyond 9223372036854775807 */
static gboolean
exceeds_int64 (const guchar *digits,
               gsize         n)
{
  static const char max[] = "9223372036854775807";

  return n > strlen (max) || (n == strlen (max) && memcmp (digits, max, n) > 0);
}

/* -?(0|[1-9][0-9]*)(\.[0-9]+)?([eE][+-]?[0-9]+)? — what follows it is
 * checked by the caller: json-glib would read on through letters, dots
 * and digits, the RFC allows none of them there. */
static gboolean
scan_number (Scan *s)
{
  gboolean integer = TRUE;
  gsize digits;

  if (peek (s) == '-')
    s->pos++;

  digits = s->pos;
  if (peek (s) == '0')
    s->pos++;
  else if (!scan_digits (s))
    return FALSE;

  if (peek (s) == '.')
    {
      s->pos++;
      integer = FALSE;
      if (!scan_digits (s))
        return FALSE;
    }

  if (peek (s) == 'e' || peek (s) == 'E')
    {
      s->pos++;
      integer = FALSE;
      if (peek (s) == '+' || peek (s) == '-')
        s->pos++;
      if (!scan_digits (s))
        return FALSE;
    }

  if (integer && s->overflows != NULL && exceeds_int64 (s->text + digits, s->pos - digits))
    g_array_append_val (s->overflows, s->pos);

  return TRUE;
}

static gboolean
scan_word (Scan       *s,
           const char *word)
{
  gsize n = strlen (word);

  if (s->len - s->pos < n || memcmp (s->text + s->pos, word, n) != 0)
    return FALSE;

  s->pos += n;
  return TRUE;
}

static gboolean
scan_scalar (Scan *s)
{
  int c = peek (s);

  if (c == '"')
    return scan_string (s);
  if (c == 't')
    return scan_word (s, "true");
  if (c == 'f')
    return scan_word (s, "false");
  if (c == 'n')
    return scan_word (s, "null");
  if (c == '-' || (c >= '0' && c <= '9'))
    return scan_number (s);

  return FALSE;
}

/* ------------------------------------------------------------------ */
/* Structure                                                           */
/* ------------------------------------------------------------------ */

static void
after_value (Scan *s)
{
  s->want = s->depth == 0 ? WANT_END : WANT_COMMA_OR_CLOSE;
}

static VigilJsonSyntax
open_level (Scan *s)
{
  guchar c = s->text[s->pos];

  if (s->depth == s->max_depth)
    return VIGIL_JSON_SYNTAX_TOO_DEEP;

  s->open[s->depth++] = c;
  s->pos++;
  s->want = c == '{' ? WANT_KEY_OR_CLOSE : WANT_VALUE_OR_CLOSE;
  return VIGIL_JSON_SYNTAX_OK;
}

static VigilJsonSyntax
close_level (Scan *s)
{
  g_assert (s->depth > 0);

  s->depth--;
  s->pos++;
  after_value (s);
  return VIGIL_JSON_SYNTAX_OK;
}

static VigilJsonSyntax
read_value (Scan *s)
{
  int c = peek (s);

  if (c == '[' || c == '{')
    return open_level (s);
  if (!scan_scalar (s))
    return VIGIL_JSON_SYNTAX_INVALID;

  after_value (s);
  return VIGIL_JSON_SYNTAX_OK;
}

static VigilJsonSyntax
read_after_value (Scan *s)
{
  int c = peek (s);
  guchar open = s->open[s->depth - 1];

  if (c == ',')
    {
      s->pos++;
      s->want = open == '{' ? WANT_KEY : WANT_VALUE;
      return VIGIL_JSON_SYNTAX_OK;
    }

  if ((open == '{' && c == '}') || (open == '[' && c == ']'))
    return close_level (s);

  return VIGIL_JSON_SYNTAX_INVALID;
}

/* One token at s->pos (not whitespace, not the end). */
static VigilJsonSyntax
step (Scan *s)
{
  int c = peek (s);

  switch (s->want)
    {
    case WANT_VALUE_OR_CLOSE:
      if (c == ']')
        return close_level (s);
      return read_value (s);
    case WANT_VALUE:
      return read_value (s);
    case WANT_KEY_OR_CLOSE:
      if (c == '}')
        return close_level (s);
      G_GNUC_FALLTHROUGH;
    case WANT_KEY:
      if (c != '"' || !scan_string (s))
        return VIGIL_JSON_SYNTAX_INVALID;
      s->want = WANT_COLON;
      return VIGIL_JSON_SYNTAX_OK;
    case WANT_COLON:
      if (c != ':')
        return VIGIL_JSON_SYNTAX_INVALID;
      s->pos++;
      s->want = WANT_VALUE;
      return VIGIL_JSON_SYNTAX_OK;
    case WANT_COMMA_OR_CLOSE:
      return read_after_value (s);
    case WANT_END:
    default:
      return VIGIL_JSON_SYNTAX_INVALID;
    }
}

/* ------------------------------------------------------------------ */
/* Public API                                                          */
/* ------------------------------------------------------------------ */

VigilJsonSyntax
vigil_json_syntax_check (const char *text,
                         gsize       len,
                         guint       max_depth,
                         GArray     *overflows,
                         gsize      *error_offset)
{
  g_autofree Scan *s = NULL;
  VigilJsonSyntax result = VIGIL_JSON_SYNTAX_OK;

  g_return_val_if_fail (text != NULL || len == 0, VIGIL_JSON_SYNTAX_INVALID);
  g_return_val_if_fail (max_depth <= VIGIL_JSON_SYNTAX_DEPTH_LIMIT, VIGIL_JSON_SYNTAX_INVALID);
  g_return_val_if_fail (overflows == NULL ||
                        g_array_get_element_size (overflows) == sizeof (gsize),
                        VIGIL_JSON_SYNTAX_INVALID);

  s = g_new0 (Scan, 1);
  s->text = (const guchar *) text;
  s->len = len;
  s->overflows = overflows;
  s->max_depth = max_depth;
  s->want = WANT_VALUE;

  for (;;)
    {
      skip_space (s);
      if (s->pos == s->len)
        {
          if (s->want != WANT_END)
            result = VIGIL_JSON_SYNTAX_INVALID;
          break;
        }

      if ((result = step (s)) != VIGIL_JSON_SYNTAX_OK)
        break;
    }

  if (result != VIGIL_JSON_SYNTAX_OK && error_offset != NULL)
    *error_offset = MIN (s->pos, len);

  return result;
}
