/* test-job-song-list.c — the song rows of a playlist job: which records
 * have rows, placeholders, states and names, rows reused in place, the row
 * limit, the end of the job
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include <string.h>

#include "vigil-job-song-list.h"
#include "vigil-reader.h"
#include "vigil-reader-song-message-private.h"

/* ------------------------------------------------------------------ */
/* Helpers                                                             */
/* ------------------------------------------------------------------ */

/* A record without metadata: counts, the current step's fraction, a
 * message. */
static VigilProgress *
progress_new (gint64      completed,
              gint64      total,
              double      step_progress,
              const char *message)
{
  VigilProgress *p = vigil_progress_new ();

  p->completed_items = completed;
  p->total_items = total;
  p->step_progress = step_progress;
  p->message = g_strdup (message);
  return p;
}

static void
set_metadata (VigilProgress *p,
              gint64         processed,
              gint64         total,
              gint64         song_id,
              const char    *title,
              const char    *artist,
              double         song_progress)
{
  p->has_metadata = TRUE;
  p->total_songs = total;
  p->processed_songs = processed;
  p->song_progress = song_progress;
  g_clear_pointer (&p->current_song, vigil_song_ref_free);
  p->current_song = vigil_song_ref_new ();
  p->current_song->id = song_id;
  p->current_song->title = g_strdup (title);
  p->current_song->artist = g_strdup (artist);
}

static guint
n_rows (VigilJobSongList *list)
{
  return g_list_model_get_n_items (G_LIST_MODEL (vigil_job_song_list_get_store (list)));
}

/* transfer none: the store keeps its rows */
static VigilJobSong *
row_at (VigilJobSongList *list,
        guint             position)
{
  GListModel *model = G_LIST_MODEL (vigil_job_song_list_get_store (list));
  g_autoptr(VigilJobSong) row = g_list_model_get_item (model, position);

  g_assert_nonnull (row);
  return row;
}

static void
assert_row (VigilJobSongList *list,
            guint             position,
            VigilSongState    state,
            double            fraction,
            const char       *title,
            const char       *artist)
{
  VigilJobSong *row = row_at (list, position);

  g_assert_cmpint (vigil_job_song_get_state (row), ==, state);
  g_assert_cmpfloat (vigil_job_song_get_fraction (row), ==, fraction);
  g_assert_cmpstr (vigil_job_song_get_title (row), ==, title);
  g_assert_cmpstr (vigil_job_song_get_artist (row), ==, artist);
}

typedef struct
{
  guint position;
  guint removed;
  guint added;
  guint calls;
} ItemsLog;

static void
log_items_changed (GListModel *model,
                   guint       position,
                   guint       removed,
                   guint       added,
                   ItemsLog   *log)
{
  log->position = position;
  log->removed = removed;
  log->added = added;
  log->calls++;
}

/* ------------------------------------------------------------------ */
/* Tests                                                               */
/* ------------------------------------------------------------------ */

static void
test_has_rows (void)
{
  g_autoptr(VigilProgress) one = progress_new (0, 1, 0, NULL);
  g_autoptr(VigilProgress) three = progress_new (0, 3, 0, NULL);
  g_autoptr(VigilProgress) none = progress_new (0, 0, 0, NULL);
  g_autoptr(VigilProgress) meta = progress_new (0, 0, 0, NULL);

  g_assert_true (vigil_job_song_list_has_rows (VIGIL_JOB_KIND_PLAYLIST, one));
  g_assert_true (vigil_job_song_list_has_rows (VIGIL_JOB_KIND_BACKGROUND, three));
  g_assert_false (vigil_job_song_list_has_rows (VIGIL_JOB_KIND_SONG, three));
  /* a job of unknown kind with one item is probably a song */
  g_assert_false (vigil_job_song_list_has_rows (VIGIL_JOB_KIND_UNKNOWN, one));
  g_assert_true (vigil_job_song_list_has_rows (VIGIL_JOB_KIND_UNKNOWN, three));
  /* no count, no rows */
  g_assert_false (vigil_job_song_list_has_rows (VIGIL_JOB_KIND_PLAYLIST, none));

  /* metadata's song count wins over total_items */
  set_metadata (meta, 0, 4, -1, NULL, NULL, 0);
  g_assert_true (vigil_job_song_list_has_rows (VIGIL_JOB_KIND_PLAYLIST, meta));
  g_assert_true (vigil_job_song_list_has_rows (VIGIL_JOB_KIND_UNKNOWN, meta));
  g_assert_false (vigil_job_song_list_has_rows (VIGIL_JOB_KIND_SONG, meta));
}

static void
test_no_rows (void)
{
  g_autoptr(VigilJobSongList) list = vigil_job_song_list_new ();
  g_autoptr(VigilProgress) p = progress_new (0, 3, 0.5, "Analyzing 'Blue' by Joni Mitchell");

  g_assert_cmpuint (n_rows (list), ==, 0);

  vigil_job_song_list_sync (list, VIGIL_JOB_KIND_SONG, p);
  g_assert_cmpuint (n_rows (list), ==, 0);

  p->total_items = 0;
  vigil_job_song_list_sync (list, VIGIL_JOB_KIND_PLAYLIST, p);
  g_assert_cmpuint (n_rows (list), ==, 0);
}

static void
test_placeholders (void)
{
  g_autoptr(VigilJobSongList) list = vigil_job_song_list_new ();
  g_autoptr(VigilProgress) p = progress_new (1, 4, 0.3, "Analyzing the next song");

  vigil_job_song_list_sync (list, VIGIL_JOB_KIND_PLAYLIST, p);
  g_assert_cmpuint (n_rows (list), ==, 4);
  assert_row (list, 0, VIGIL_SONG_STATE_DONE, 1.0, "Song 1", NULL);
  assert_row (list, 1, VIGIL_SONG_STATE_ANALYZING, 0.3, "Song 2", NULL);
  assert_row (list, 2, VIGIL_SONG_STATE_WAITING, 0.0, "Song 3", NULL);
  assert_row (list, 3, VIGIL_SONG_STATE_WAITING, 0.0, "Song 4", NULL);
  g_assert_cmpint (vigil_job_song_get_id (row_at (list, 1)), ==, -1);
}

static void
test_names_from_metadata (void)
{
  g_autoptr(VigilJobSongList) list = vigil_job_song_list_new ();
  g_autoptr(VigilProgress) p = progress_new (0, 0, VIGIL_UNKNOWN,
                                             "Analyzing 'Something else' by Nobody");

  set_metadata (p, 1, 3, 41, "Blue", "Joni Mitchell", 0.5);
  vigil_job_song_list_sync (list, VIGIL_JOB_KIND_PLAYLIST, p);
  assert_row (list, 1, VIGIL_SONG_STATE_ANALYZING, 0.5, "Blue", "Joni Mitchell");
  g_assert_cmpint (vigil_job_song_get_id (row_at (list, 1)), ==, 41);

  /* the next song; the finished one keeps its names */
  set_metadata (p, 2, 3, 42, "Red", NULL, VIGIL_UNKNOWN);
  vigil_job_song_list_sync (list, VIGIL_JOB_KIND_PLAYLIST, p);
  assert_row (list, 1, VIGIL_SONG_STATE_DONE, 1.0, "Blue", "Joni Mitchell");
  assert_row (list, 2, VIGIL_SONG_STATE_ANALYZING, VIGIL_UNKNOWN, "Red", NULL);
  g_assert_cmpint (vigil_job_song_get_id (row_at (list, 2)), ==, 42);
}

static void
test_names_from_message (void)
{
  g_autoptr(VigilJobSongList) list = vigil_job_song_list_new ();
  g_autoptr(VigilProgress) p = progress_new (0, 3, 0.3, "Analyzing 'Don't Stop Me Now' by Queen");

  vigil_job_song_list_sync (list, VIGIL_JOB_KIND_BACKGROUND, p);
  assert_row (list, 0, VIGIL_SONG_STATE_ANALYZING, 0.3, "Don't Stop Me Now", "Queen");

  /* metadata without a title: the message names the song, metadata's
   * artist wins */
  set_metadata (p, 1, 3, 7, NULL, "Freddie", 0.4);
  g_free (p->message);
  p->message = g_strdup ("Analyzing \u201cBohemian Rhapsody\u201d by Queen\u2026");
  vigil_job_song_list_sync (list, VIGIL_JOB_KIND_BACKGROUND, p);
  assert_row (list, 1, VIGIL_SONG_STATE_ANALYZING, 0.4, "Bohemian Rhapsody", "Freddie");

  /* a message that names nothing leaves the placeholder */
  g_clear_pointer (&p->current_song, vigil_song_ref_free);
  p->processed_songs = 2;
  g_free (p->message);
  p->message = g_strdup ("Analyzing '' by Nobody");
  vigil_job_song_list_sync (list, VIGIL_JOB_KIND_BACKGROUND, p);
  assert_row (list, 2, VIGIL_SONG_STATE_ANALYZING, 0.4, "Song 3", NULL);
}

static void
test_rows_reused (void)
{
  g_autoptr(VigilJobSongList) list = vigil_job_song_list_new ();
  g_autoptr(VigilProgress) p = progress_new (1, 4, 0.5, NULL);
  GListModel *model = G_LIST_MODEL (vigil_job_song_list_get_store (list));
  VigilJobSong *rows[4];
  ItemsLog log = { 0 };

  g_signal_connect (model, "items-changed", G_CALLBACK (log_items_changed), &log);

  vigil_job_song_list_sync (list, VIGIL_JOB_KIND_PLAYLIST, p);
  g_assert_cmpuint (log.calls, ==, 1);
  g_assert_cmpuint (log.added, ==, 4);
  for (guint i = 0; i < 4; i++)
    rows[i] = row_at (list, i);

  /* progress: the same rows, no list change */
  p->completed_items = 2;
  vigil_job_song_list_sync (list, VIGIL_JOB_KIND_PLAYLIST, p);
  g_assert_cmpuint (log.calls, ==, 1);
  for (guint i = 0; i < 4; i++)
    g_assert_true (row_at (list, i) == rows[i]);

  /* a longer list: rows appended */
  p->total_items = 6;
  vigil_job_song_list_sync (list, VIGIL_JOB_KIND_PLAYLIST, p);
  g_assert_cmpuint (log.calls, ==, 2);
  g_assert_cmpuint (log.position, ==, 4);
  g_assert_cmpuint (log.removed, ==, 0);
  g_assert_cmpuint (log.added, ==, 2);
  assert_row (list, 5, VIGIL_SONG_STATE_WAITING, 0.0, "Song 6", NULL);

  /* a shorter one: rows dropped at the end */
  p->total_items = 3;
  vigil_job_song_list_sync (list, VIGIL_JOB_KIND_PLAYLIST, p);
  g_assert_cmpuint (log.calls, ==, 3);
  g_assert_cmpuint (log.position, ==, 3);
  g_assert_cmpuint (log.removed, ==, 3);
  g_assert_cmpuint (log.added, ==, 0);
  for (guint i = 0; i < 3; i++)
    g_assert_true (row_at (list, i) == rows[i]);

  g_signal_handlers_disconnect_by_data (model, &log);
}

static void
test_noisy_counts (void)
{
  g_autoptr(VigilJobSongList) list = vigil_job_song_list_new ();
  g_autoptr(VigilProgress) p = progress_new (3, 5, 0.5, NULL);

  vigil_job_song_list_sync (list, VIGIL_JOB_KIND_PLAYLIST, p);
  assert_row (list, 2, VIGIL_SONG_STATE_DONE, 1.0, "Song 3", NULL);

  /* a count going back never un-finishes a row */
  p->completed_items = 1;
  vigil_job_song_list_sync (list, VIGIL_JOB_KIND_PLAYLIST, p);
  assert_row (list, 1, VIGIL_SONG_STATE_DONE, 1.0, "Song 2", NULL);
  assert_row (list, 2, VIGIL_SONG_STATE_DONE, 1.0, "Song 3", NULL);

  /* counts beyond the list are clamped: every row is DONE */
  p->completed_items = 99;
  vigil_job_song_list_sync (list, VIGIL_JOB_KIND_PLAYLIST, p);
  for (guint i = 0; i < 5; i++)
    g_assert_cmpint (vigil_job_song_get_state (row_at (list, i)), ==, VIGIL_SONG_STATE_DONE);

  /* negative counts are 0 */
  g_clear_pointer (&list, vigil_job_song_list_free);
  list = vigil_job_song_list_new ();
  p->completed_items = -4;
  vigil_job_song_list_sync (list, VIGIL_JOB_KIND_PLAYLIST, p);
  assert_row (list, 0, VIGIL_SONG_STATE_ANALYZING, 0.5, "Song 1", NULL);
}

/* A row past the current song that is not WAITING goes back to WAITING;
 * the walk stops at the first WAITING row after the current song. */
static void
test_current_moves_back (void)
{
  g_autoptr(VigilJobSongList) list = vigil_job_song_list_new ();
  g_autoptr(VigilProgress) p = progress_new (0, 4, 0.2, NULL);

  set_metadata (p, 2, 4, -1, NULL, NULL, 0.2);
  vigil_job_song_list_sync (list, VIGIL_JOB_KIND_PLAYLIST, p);
  assert_row (list, 2, VIGIL_SONG_STATE_ANALYZING, 0.2, "Song 3", NULL);

  /* processed_songs missing: completed_items counts */
  p->processed_songs = -1;
  p->completed_items = 1;
  vigil_job_song_list_sync (list, VIGIL_JOB_KIND_PLAYLIST, p);
  assert_row (list, 1, VIGIL_SONG_STATE_DONE, 1.0, "Song 2", NULL);
  assert_row (list, 2, VIGIL_SONG_STATE_WAITING, 0.0, "Song 3", NULL);
  assert_row (list, 3, VIGIL_SONG_STATE_WAITING, 0.0, "Song 4", NULL);
}

static void
test_row_limit (void)
{
  g_autoptr(VigilJobSongList) list = vigil_job_song_list_new ();
  g_autoptr(VigilProgress) p = progress_new (VIGIL_JOB_SONG_LIST_MAX_ROWS + 5, G_MAXINT64,
                                             0.5, NULL);

  vigil_job_song_list_sync (list, VIGIL_JOB_KIND_PLAYLIST, p);
  g_assert_cmpuint (n_rows (list), ==, VIGIL_JOB_SONG_LIST_MAX_ROWS);
  g_assert_cmpint (vigil_job_song_get_state (row_at (list, VIGIL_JOB_SONG_LIST_MAX_ROWS - 1)),
                   ==, VIGIL_SONG_STATE_DONE);
}

static void
test_finish (void)
{
  g_autoptr(VigilJobSongList) list = vigil_job_song_list_new ();
  g_autoptr(VigilProgress) p = progress_new (1, 3, 0.5, NULL);

  /* failure: the song being analysed failed, the others stay as they are */
  vigil_job_song_list_sync (list, VIGIL_JOB_KIND_PLAYLIST, p);
  vigil_job_song_list_finish (list, VIGIL_SONG_STATE_ANALYZING, VIGIL_SONG_STATE_FAILED);
  assert_row (list, 0, VIGIL_SONG_STATE_DONE, 1.0, "Song 1", NULL);
  assert_row (list, 1, VIGIL_SONG_STATE_FAILED, 0.5, "Song 2", NULL);
  assert_row (list, 2, VIGIL_SONG_STATE_WAITING, 0.0, "Song 3", NULL);

  /* success: every row DONE and complete */
  vigil_job_song_list_finish (list, VIGIL_SONG_STATE_DONE, VIGIL_SONG_STATE_DONE);
  for (guint i = 0; i < 3; i++)
    {
      g_assert_cmpint (vigil_job_song_get_state (row_at (list, i)), ==, VIGIL_SONG_STATE_DONE);
      g_assert_cmpfloat (vigil_job_song_get_fraction (row_at (list, i)), ==, 1.0);
    }
}

/* The store and its rows live as long as a view holds them. */
static void
test_lifetimes (void)
{
  VigilJobSongList *list = vigil_job_song_list_new ();
  g_autoptr(VigilProgress) p = progress_new (0, 2, 0, NULL);
  GListStore *store = g_object_ref (vigil_job_song_list_get_store (list));
  VigilJobSong *row;

  vigil_job_song_list_sync (list, VIGIL_JOB_KIND_PLAYLIST, p);
  row = g_list_model_get_item (G_LIST_MODEL (store), 0);
  vigil_job_song_list_free (list);
  vigil_job_song_list_free (NULL);

  g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (store)), ==, 2);
  g_assert_finalize_object (store);
  g_assert_finalize_object (row);
}

static void
assert_same_rows (VigilJobSongList *a,
                  VigilJobSongList *b)
{
  g_assert_cmpuint (n_rows (a), ==, n_rows (b));
  for (guint i = 0; i < n_rows (a); i++)
    {
      VigilJobSong *x = row_at (a, i), *y = row_at (b, i);

      g_assert_cmpint (vigil_job_song_get_state (x), ==, vigil_job_song_get_state (y));
      g_assert_cmpfloat_with_epsilon (vigil_job_song_get_fraction (x),
                                      vigil_job_song_get_fraction (y), 1e-9);
      g_assert_cmpint (vigil_job_song_get_id (x), ==, vigil_job_song_get_id (y));
      g_assert_cmpstr (vigil_job_song_get_title (x), ==, vigil_job_song_get_title (y));
      g_assert_cmpstr (vigil_job_song_get_artist (x), ==, vigil_job_song_get_artist (y));
    }
}

/* Until a view asks for the store the list is compact; the rows it then
 * makes are the rows a list asked from the start has after the same
 * records: counts moving on, back (noisy) and shrinking, names from
 * metadata and messages, and each kind of end. */
static void
test_compact_same_rows (void)
{
  for (guint end = 0; end < 3; end++)
    for (guint stop = 1; stop <= 9; stop++)
      {
        g_autoptr(VigilJobSongList) early = vigil_job_song_list_new ();
        g_autoptr(VigilJobSongList) late = vigil_job_song_list_new ();
        static const gint64 done[] = { 0, 1, 1, 3, 2, 4, 4, 5, 5 };
        static const gint64 total[] = { 6, 6, 6, 6, 6, 6, 5, 5, 5 };

        g_assert_cmpuint (n_rows (early), ==, 0);
        for (guint i = 0; i < stop; i++)
          {
            g_autofree char *message = g_strdup_printf ("Analyzing 'Song\t%u' by Band %u", i, i);
            g_autoptr(VigilProgress) p = progress_new (done[i], total[i], 0.1 * i, message);

            if (i % 2 == 1)
              set_metadata (p, done[i], total[i], 40 + i, i == 3 ? "" : "Title\n", "Artist", 0.05 * i);
            vigil_job_song_list_sync (early, VIGIL_JOB_KIND_PLAYLIST, p);
            vigil_job_song_list_sync (late, VIGIL_JOB_KIND_PLAYLIST, p);
          }
        if (end == 1)
          {
            vigil_job_song_list_finish (early, VIGIL_SONG_STATE_DONE, VIGIL_SONG_STATE_DONE);
            vigil_job_song_list_finish (late, VIGIL_SONG_STATE_DONE, VIGIL_SONG_STATE_DONE);
          }
        else if (end == 2)
          {
            vigil_job_song_list_finish (early, VIGIL_SONG_STATE_ANALYZING, VIGIL_SONG_STATE_FAILED);
            vigil_job_song_list_finish (late, VIGIL_SONG_STATE_ANALYZING, VIGIL_SONG_STATE_FAILED);
          }
        assert_same_rows (early, late);
      }
}

/* Names written compactly come back byte for byte: quotes, backslashes,
 * control bytes, tabs, newlines and UTF-8; a name repeated poll after poll
 * and one coming back after another give the rows an early list has. */
static void
test_compact_names_exact (void)
{
  static const char *titles[] = {
    "Caf\u00e9 \"Noir\" \\ \001 end", "Caf\u00e9 \"Noir\" \\ \001 end", "Other\tone\n",
    "Caf\u00e9 \"Noir\" \\ \001 end", "\u00dcber \177 \\042",
  };
  g_autoptr(VigilJobSongList) early = vigil_job_song_list_new ();
  g_autoptr(VigilJobSongList) late = vigil_job_song_list_new ();

  g_assert_cmpuint (n_rows (early), ==, 0);
  for (guint i = 0; i < G_N_ELEMENTS (titles); i++)
    {
      g_autoptr(VigilProgress) p = progress_new (0, 4, 0.1, NULL);

      set_metadata (p, i / 2, 4, 7 + i / 2, titles[i], "Bj\u00f6rk\t\\", 0.1 * i);
      vigil_job_song_list_sync (early, VIGIL_JOB_KIND_PLAYLIST, p);
      vigil_job_song_list_sync (late, VIGIL_JOB_KIND_PLAYLIST, p);
    }
  assert_same_rows (early, late);
  assert_row (late, 2, VIGIL_SONG_STATE_ANALYZING, 0.1 * 4, titles[4], "Bj\u00f6rk\t\\");
  assert_row (late, 0, VIGIL_SONG_STATE_DONE, 1.0, titles[1], "Bj\u00f6rk\t\\");
}

/* sync_again skips only a record that repeats the last one: any count, the
 * step fraction, the kind or the message moving on still reaches the rows,
 * and so does a record after a finish. */
static void
test_sync_again (void)
{
  g_autoptr(VigilJobSongList) list = vigil_job_song_list_new ();
  g_autoptr(VigilProgress) a = progress_new (1, 3, 0.5, "Analyzing 'One' by Band");
  g_autoptr(VigilProgress) b = progress_new (1, 3, 0.5, "Analyzing 'Two' by Band");
  g_autoptr(VigilProgress) c = progress_new (1, 3, 0.75, "Analyzing 'Two' by Band");

  g_assert_cmpuint (n_rows (list), ==, 0);
  vigil_job_song_list_sync_again (list, VIGIL_JOB_KIND_PLAYLIST, a, FALSE);
  assert_row (list, 1, VIGIL_SONG_STATE_ANALYZING, 0.5, "One", "Band");
  vigil_job_song_list_sync_again (list, VIGIL_JOB_KIND_PLAYLIST, a, TRUE);
  assert_row (list, 1, VIGIL_SONG_STATE_ANALYZING, 0.5, "One", "Band");

  /* the caller says the message moved on */
  vigil_job_song_list_sync_again (list, VIGIL_JOB_KIND_PLAYLIST, b, FALSE);
  assert_row (list, 1, VIGIL_SONG_STATE_ANALYZING, 0.5, "Two", "Band");
  /* the step fraction moved on */
  vigil_job_song_list_sync_again (list, VIGIL_JOB_KIND_PLAYLIST, c, TRUE);
  assert_row (list, 1, VIGIL_SONG_STATE_ANALYZING, 0.75, "Two", "Band");
  /* a count moved on */
  c->completed_items = 2;
  vigil_job_song_list_sync_again (list, VIGIL_JOB_KIND_PLAYLIST, c, TRUE);
  assert_row (list, 1, VIGIL_SONG_STATE_DONE, 1.0, "Two", "Band");
  assert_row (list, 2, VIGIL_SONG_STATE_ANALYZING, 0.75, "Two", "Band");

  /* after a finish the same record is applied again */
  vigil_job_song_list_finish (list, VIGIL_SONG_STATE_ANALYZING, VIGIL_SONG_STATE_FAILED);
  assert_row (list, 2, VIGIL_SONG_STATE_FAILED, 0.75, "Two", "Band");
  vigil_job_song_list_sync_again (list, VIGIL_JOB_KIND_PLAYLIST, c, TRUE);
  assert_row (list, 2, VIGIL_SONG_STATE_ANALYZING, 0.75, "Two", "Band");
}

/* A compact list names the same row many times (a new title every poll,
 * then only an artist, an id, a title alone): entries that cover the last
 * one take its place, the others are kept, and the rows made at the end
 * are the rows of a list asked from the start. */
static void
test_compact_names_superseded (void)
{
  static const struct { gint64 done; gint64 id; const char *title; const char *artist; } names[] = {
    { 0, -1, "One", "Band" }, { 0, -1, "One again", "Band" }, { 0, -1, NULL, "Other Band" },
    { 0, 12, NULL, NULL }, { 0, -1, "Title only", NULL }, { 0, 13, "Full", "Everyone" },
    { 1, -1, "Two", NULL }, { 1, -1, "Two b", "Duo" }, { 2, 40, "Three", "Trio" },
    { 2, -1, "Three b", "Trio" }, { 1, -1, "Back to two", NULL },
    { 3, 50, "Four", "Quartet" }, { 3, -1, NULL, "Quartet II" },
  };
  g_autoptr(VigilJobSongList) early = vigil_job_song_list_new ();
  g_autoptr(VigilJobSongList) late = vigil_job_song_list_new ();

  g_assert_cmpuint (n_rows (early), ==, 0);
  for (guint round = 0; round < 3; round++)
    for (guint i = 0; i < G_N_ELEMENTS (names); i++)
      {
        g_autoptr(VigilProgress) p = progress_new (0, 5, 0.1, NULL);

        set_metadata (p, names[i].done, 5, names[i].id, names[i].title, names[i].artist, 0.2);
        vigil_job_song_list_sync (early, VIGIL_JOB_KIND_PLAYLIST, p);
        vigil_job_song_list_sync (late, VIGIL_JOB_KIND_PLAYLIST, p);
      }
  assert_same_rows (early, late);
  assert_row (late, 0, VIGIL_SONG_STATE_DONE, 1.0, "Full", "Everyone");
  g_assert_cmpint (vigil_job_song_get_id (row_at (late, 0)), ==, 13);
  /* a row once done is not named again (a noisy count went back) */
  assert_row (late, 1, VIGIL_SONG_STATE_DONE, 1.0, "Two b", "Duo");
  g_assert_cmpint (vigil_job_song_get_id (row_at (late, 2)), ==, 40);
  /* the last naming set only the artist: the title and id before it stay */
  assert_row (late, 3, VIGIL_SONG_STATE_ANALYZING, 0.2, "Four", "Quartet II");
  g_assert_cmpint (vigil_job_song_get_id (row_at (late, 3)), ==, 50);

  /* a long name, escaped past the entry's buffer on the stack */
  {
    g_autoptr(VigilJobSongList) a = vigil_job_song_list_new ();
    g_autoptr(VigilJobSongList) b = vigil_job_song_list_new ();
    g_autoptr(GString) title = g_string_new (NULL);
    g_autoptr(VigilProgress) p = progress_new (0, 2, 0.1, NULL);

    for (guint i = 0; i < 300; i++)
      g_string_append (title, i % 3 ? "\u00e9" : "\"\\\001");
    g_assert_cmpuint (n_rows (a), ==, 0);
    set_metadata (p, 1, 2, 9, title->str, "Long \"Artist\"", 0.5);
    vigil_job_song_list_sync (a, VIGIL_JOB_KIND_PLAYLIST, p);
    vigil_job_song_list_sync (b, VIGIL_JOB_KIND_PLAYLIST, p);
    assert_same_rows (a, b);
    assert_row (b, 1, VIGIL_SONG_STATE_ANALYZING, 0.5, title->str, "Long \"Artist\"");
  }

  /* the same from messages, as servers without metadata name songs */
  {
    g_autoptr(VigilJobSongList) a = vigil_job_song_list_new ();
    g_autoptr(VigilJobSongList) b = vigil_job_song_list_new ();

    g_assert_cmpuint (n_rows (a), ==, 0);
    for (guint tick = 0; tick < 30; tick++)
      {
        g_autofree char *message = tick % 7 == 3
                                   ? g_strdup_printf ("Analyzing \u201cSong %u\u201d", tick)
                                   : g_strdup_printf ("Analyzing 'Song %u' by Artist %u \u2026", tick, tick % 4);
        g_autoptr(VigilProgress) p = progress_new (tick / 8, 5, tick / 30.0, message);

        vigil_job_song_list_sync (a, VIGIL_JOB_KIND_PLAYLIST, p);
        vigil_job_song_list_sync (b, VIGIL_JOB_KIND_PLAYLIST, p);
      }
    assert_same_rows (a, b);
    assert_row (b, 3, VIGIL_SONG_STATE_ANALYZING, 29 / 30.0, "Song 29", "Artist 1");
    assert_row (b, 2, VIGIL_SONG_STATE_DONE, 1.0, "Song 23", "Artist 3");
  }
}

/* The song message read in place gives what the copying reader gives. */
static void
test_song_message_in_place (void)
{
  static const char *messages[] = {
    "Analyzing 'Title' by Artist", "Analyzing 'Don't Stop Me Now' by Queen",
    "Analyzing \"Quoted\" by  Spaced Out  ", "Fetching \u2018Curly\u2019 by Someone\u2026",
    "Analyzing \u201cDouble\u201d by Band ...", "Analyzing 'No artist'", "Analyzing 'T' by ",
    "Analyzing 'T' by \u2026", "Can't find 'it", "No quotes at all", "''", "'' by X",
    "Analyzing 'A' by B by C", "x'y' 'real' by Z", "\t'Tab' by \tArt\t", "",
  };

  for (guint i = 0; i < G_N_ELEMENTS (messages); i++)
    {
      g_autofree char *title = NULL, *artist = NULL;
      VigilSongMessage found;
      gboolean copied = vigil_reader_parse_song_message (messages[i], &title, &artist);

      g_assert_cmpint (vigil_reader_find_song_message (messages[i], &found), ==, copied);
      if (!copied)
        {
          g_assert_null (found.title);
          g_assert_null (found.artist);
          continue;
        }
      g_assert_cmpuint (found.title_len, ==, strlen (title));
      g_assert_cmpmem (found.title, found.title_len, title, strlen (title));
      if (artist == NULL)
        g_assert_null (found.artist);
      else
        g_assert_cmpmem (found.artist, found.artist_len, artist, strlen (artist));
    }
  g_assert_false (vigil_reader_find_song_message (NULL, &(VigilSongMessage) { 0 }));
}

int
main (int argc, char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/vigil/job-song-list/has-rows", test_has_rows);
  g_test_add_func ("/vigil/job-song-list/no-rows", test_no_rows);
  g_test_add_func ("/vigil/job-song-list/placeholders", test_placeholders);
  g_test_add_func ("/vigil/job-song-list/names-from-metadata", test_names_from_metadata);
  g_test_add_func ("/vigil/job-song-list/names-from-message", test_names_from_message);
  g_test_add_func ("/vigil/job-song-list/rows-reused", test_rows_reused);
  g_test_add_func ("/vigil/job-song-list/noisy-counts", test_noisy_counts);
  g_test_add_func ("/vigil/job-song-list/current-moves-back", test_current_moves_back);
  g_test_add_func ("/vigil/job-song-list/row-limit", test_row_limit);
  g_test_add_func ("/vigil/job-song-list/finish", test_finish);
  g_test_add_func ("/vigil/job-song-list/lifetimes", test_lifetimes);
  g_test_add_func ("/vigil/job-song-list/compact-same-rows", test_compact_same_rows);
  g_test_add_func ("/vigil/job-song-list/compact-names-exact", test_compact_names_exact);
  g_test_add_func ("/vigil/job-song-list/sync-again", test_sync_again);
  g_test_add_func ("/vigil/job-song-list/compact-names-superseded", test_compact_names_superseded);
  g_test_add_func ("/vigil/job-song-list/song-message-in-place", test_song_message_in_place);

  return g_test_run ();
}
