/* test-reader-song-message.c — the song a progress message names:
 * quote styles, apostrophes and nested quotes, missing artists, messages
 * that name nothing
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "vigil-reader.h"

typedef struct
{
  const char *message;
  const char *title;    /* NULL: the message names no song */
  const char *artist;
} SongMessageCase;

static void
check_cases (const SongMessageCase *cases,
             guint                  n_cases)
{
  for (guint i = 0; i < n_cases; i++)
    {
      g_autofree char *title = NULL;
      g_autofree char *artist = NULL;
      gboolean named;

      g_test_message ("%s", cases[i].message != NULL ? cases[i].message : "(null)");
      named = vigil_reader_parse_song_message (cases[i].message, &title, &artist);
      g_assert_cmpint (named, ==, cases[i].title != NULL);
      g_assert_cmpstr (title, ==, cases[i].title);
      g_assert_cmpstr (artist, ==, cases[i].artist);
    }
}

static void
test_quote_styles (void)
{
  static const SongMessageCase cases[] = {
    { "Analyzing 'Song title' by Artist", "Song title", "Artist" },
    { "Analyzing \"Song title\" by Artist", "Song title", "Artist" },
    { "Analyzing \u2018Song title\u2019 by Artist", "Song title", "Artist" },
    { "Analyzing \u201cSong title\u201d by Artist", "Song title", "Artist" },
    /* a quote at the very start starts a word too */
    { "'Song title' by Artist", "Song title", "Artist" },
    /* any text around it */
    { "Fetching lyrics for 'Blue' by Joni Mitchell", "Blue", "Joni Mitchell" },
  };

  check_cases (cases, G_N_ELEMENTS (cases));
}

static void
test_apostrophes (void)
{
  static const SongMessageCase cases[] = {
    /* the quote followed by " by " closes the title */
    { "Analyzing 'Don't Stop Me Now' by Queen", "Don't Stop Me Now", "Queen" },
    { "Analyzing \u2018Rock \u2019n\u2019 Roll\u2019 by Mot\u00f6rhead...",
      "Rock \u2019n\u2019 Roll", "Mot\u00f6rhead" },
    /* without " by ", the last quote closes it */
    { "Fetching lyrics for 'Rock 'n' Roll'", "Rock 'n' Roll", NULL },
    /* an apostrophe inside a word opens nothing */
    { "Can't wait: 'Help!' by The Beatles", "Help!", "The Beatles" },
    { "Can't stop, won't stop", NULL, NULL },
    /* " by " inside the title is not the artist's */
    { "Analyzing \"Stand by Me\" by Ben E. King", "Stand by Me", "Ben E. King" },
  };

  check_cases (cases, G_N_ELEMENTS (cases));
}

static void
test_nested_quotes (void)
{
  static const SongMessageCase cases[] = {
    /* the first opening quote decides the pair; others belong to the title */
    { "Analyzing \"The 'Real' Slim Shady\" by Eminem", "The 'Real' Slim Shady", "Eminem" },
    { "Analyzing 'Say \"Hi\"' by Someone", "Say \"Hi\"", "Someone" },
    { "Analyzing \u201cIt's \u2018Here\u2019\u201d by Band", "It's \u2018Here\u2019", "Band" },
    { "Analyzing '\"Quoted\"' by Band", "\"Quoted\"", "Band" },
    /* a second quoted part after the title is not the artist */
    { "Analyzing \"A\" then 'B' by C", "A", NULL },
  };

  check_cases (cases, G_N_ELEMENTS (cases));
}

static void
test_missing_artist (void)
{
  static const SongMessageCase cases[] = {
    { "Analyzing 'Untitled'", "Untitled", NULL },
    { "Analyzing 'Untitled' by ", "Untitled", NULL },
    { "Analyzing 'Untitled' by    ", "Untitled", NULL },
    { "Analyzing 'Untitled' by \u2026", "Untitled", NULL },
    { "Analyzing 'Untitled' by ...", "Untitled", NULL },
    { "Analyzing 'Untitled' (remastered)", "Untitled", NULL },
    /* " by" needs its spaces */
    { "Analyzing 'Untitled' byline", "Untitled", NULL },
    /* the artist is trimmed, and loses a trailing ellipsis */
    { "Analyzing 'T' by   Queen   ", "T", "Queen" },
    { "Analyzing 'T' by Queen\u2026", "T", "Queen" },
    { "Analyzing 'T' by Queen ...", "T", "Queen" },
  };

  check_cases (cases, G_N_ELEMENTS (cases));
}

static void
test_names_nothing (void)
{
  static const SongMessageCase cases[] = {
    { NULL, NULL, NULL },
    { "", NULL, NULL },
    { "Analyzing the next song", NULL, NULL },
    { "Analyzing '' by Nobody", NULL, NULL },
    { "Analyzing \"\"", NULL, NULL },
    { "Analyzing 'unterminated", NULL, NULL },
    { "Analyzing \u201cunterminated", NULL, NULL },
    { "'", NULL, NULL },
  };

  check_cases (cases, G_N_ELEMENTS (cases));
}

/* Out arguments are always set: NULL when nothing is named. */
static void
test_outputs_cleared (void)
{
  static char sentinel[] = "untouched";
  char *title = sentinel;
  char *artist = sentinel;

  g_assert_false (vigil_reader_parse_song_message ("no song here", &title, &artist));
  g_assert_null (title);
  g_assert_null (artist);

  title = artist = sentinel;
  g_assert_true (vigil_reader_parse_song_message ("'Solo'", &title, &artist));
  g_assert_cmpstr (title, ==, "Solo");
  g_assert_null (artist);
  g_free (title);
}

int
main (int argc, char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/vigil/reader/song-message/quote-styles", test_quote_styles);
  g_test_add_func ("/vigil/reader/song-message/apostrophes", test_apostrophes);
  g_test_add_func ("/vigil/reader/song-message/nested-quotes", test_nested_quotes);
  g_test_add_func ("/vigil/reader/song-message/missing-artist", test_missing_artist);
  g_test_add_func ("/vigil/reader/song-message/names-nothing", test_names_nothing);
  g_test_add_func ("/vigil/reader/song-message/outputs-cleared", test_outputs_cleared);

  return g_test_run ();
}
