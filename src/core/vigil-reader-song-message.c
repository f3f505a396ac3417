/* vigil-reader-song-message.c — the reader's rule for the song a progress
 * message names: "Analyzing 'Title' by Artist"
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <string.h>

#include "vigil-reader.h"
#include "vigil-reader-song-message-private.h"

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
 * both match, their openings differ. Only the bytes that begin an opening
 * quote are looked at further. */
static const char *
find_open_quote (const char       *text,
                 const QuotePair **pair)
{
  g_assert (text != NULL && pair != NULL);

  for (const char *at = text; *at != '\0'; at++)
    {
      guchar c = (guchar) *at;

      if (c != '\'' && c != '"' && c != 0xE2)
        continue;
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

static gboolean
is_by (const char *at)
{
  return at[0] == ' ' && at[1] == 'b' && at[2] == 'y' && at[3] == ' ';
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
      if (is_by (at + close_len))
        return at;
      last = at;
    }

  return last;
}

static gboolean
has_suffix (const char *start,
            const char *end,
            const char *suffix)
{
  gsize n = strlen (suffix);

  return (gsize) (end - start) >= n && memcmp (end - n, suffix, n) == 0;
}

/* The artist without the spaces around it and a trailing "…" or "..."
 * (then without the spaces before that); NULL when nothing is left. */
static void
find_artist (const char       *text,
             VigilSongMessage *found)
{
  const char *start = text;
  const char *end = text + strlen (text);

  while (start < end && g_ascii_isspace (*start))
    start++;
  while (end > start && g_ascii_isspace (end[-1]))
    end--;
  if (has_suffix (start, end, "…"))
    end -= strlen ("…");
  else if (has_suffix (start, end, "..."))
    end -= 3;
  while (end > start && g_ascii_isspace (end[-1]))
    end--;

  if (end > start)
    {
      found->artist = start;
      found->artist_len = end - start;
    }
}

gboolean
vigil_reader_find_song_message (const char       *message,
                                VigilSongMessage *found)
{
  const QuotePair *pair = NULL;
  const char *open;
  const char *start;
  const char *close;
  const char *rest;

  g_return_val_if_fail (found != NULL, FALSE);

  memset (found, 0, sizeof *found);
  if (message == NULL || (open = find_open_quote (message, &pair)) == NULL)
    return FALSE;

  start = open + strlen (pair->open);
  close = find_close_quote (start, pair->close);
  if (close == NULL || close == start)
    return FALSE;

  found->title = start;
  found->title_len = close - start;
  rest = close + strlen (pair->close);
  if (is_by (rest))
    find_artist (rest + strlen (" by "), found);
  return TRUE;
}

gboolean
vigil_reader_parse_song_message (const char  *message,
                                 char       **title,
                                 char       **artist)
{
  VigilSongMessage found;

  g_return_val_if_fail (title != NULL, FALSE);
  g_return_val_if_fail (artist != NULL, FALSE);

  *title = NULL;
  *artist = NULL;
  if (!vigil_reader_find_song_message (message, &found))
    return FALSE;

  *title = g_strndup (found.title, found.title_len);
  *artist = found.artist != NULL ? g_strndup (found.artist, found.artist_len) : NULL;
  return TRUE;
}
