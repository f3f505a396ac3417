/* vigil-reader-song-message.c — the reader's rule for the song a progress
 * message names: "Analyzing 'Title' by Artist"
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <string.h>

#include "vigil-reader.h"

typedef struct
{
  const char *open;
  const char *close;
} QuotePair;

static const QuotePair quote_pairs[] = {
  { "'", "'" },
  { "\"", "\"" },
  { "\u2018", "\u2019" },
  { "\u201c", "\u201d" },
};

/* An opening quote starts a word: the apostrophe of "Can't" is not one.
 * The first opening quote of any pair, in one pass over the text (this
 * runs for every playlist on every poll); at one place the pairs cannot
 * both match, their openings differ. */
static const char *
find_open_quote (const char       *text,
                 const QuotePair **pair)
{
  g_assert (text != NULL && pair != NULL);

  for (const char *at = text; *at != '\0'; at++)
    {
      if (at != text && g_ascii_isalnum (at[-1]))
        continue;
      for (guint i = 0; i < G_N_ELEMENTS (quote_pairs); i++)
        if (*at == quote_pairs[i].open[0] && g_str_has_prefix (at, quote_pairs[i].open))
          {
            *pair = &quote_pairs[i];
            return at;
          }
    }

  return NULL;
}

/* Titles may hold apostrophes ('Don't Stop Me Now'): prefer the quote that
 * is followed by " by ", else the last one. */
static const char *
find_close_quote (const char *start,
                  const char *close)
{
  gsize close_len = strlen (close);
  const char *last = NULL;

  /* one pass, no allocation: this runs for every playlist on every poll */
  for (const char *at = strstr (start, close); at != NULL; at = strstr (at + 1, close))
    {
      if (g_str_has_prefix (at + close_len, " by "))
        return at;
      last = at;
    }

  return last;
}

static char *
clean_artist (const char *text)
{
  char *artist = g_strstrip (g_strdup (text));

  if (g_str_has_suffix (artist, "…"))
    artist[strlen (artist) - strlen ("…")] = '\0';
  else if (g_str_has_suffix (artist, "..."))
    artist[strlen (artist) - 3] = '\0';
  g_strchomp (artist);

  if (artist[0] == '\0')
    g_clear_pointer (&artist, g_free);

  return artist;
}

gboolean
vigil_reader_parse_song_message (const char  *message,
                                 char       **title,
                                 char       **artist)
{
  const QuotePair *pair = NULL;
  const char *open;
  const char *start;
  const char *close;
  const char *rest;

  g_return_val_if_fail (title != NULL, FALSE);
  g_return_val_if_fail (artist != NULL, FALSE);

  *title = NULL;
  *artist = NULL;

  if (message == NULL || (open = find_open_quote (message, &pair)) == NULL)
    return FALSE;

  start = open + strlen (pair->open);
  close = find_close_quote (start, pair->close);
  if (close == NULL || close == start)
    return FALSE;

  *title = g_strndup (start, close - start);
  rest = close + strlen (pair->close);
  *artist = g_str_has_prefix (rest, " by ") ? clean_artist (rest + strlen (" by ")) : NULL;
  return TRUE;
}
