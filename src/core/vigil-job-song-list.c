/* vigil-job-song-list.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include "vigil-job-text.h"
#include "vigil-reader.h"

#include "vigil-job-song-list.h"

struct _VigilJobSongList
{
  GListStore *store;
  GPtrArray  *rows;      /* the same rows, for O(1) access */
  guint       settled;   /* leading rows that are DONE for good */
};

/* What a progress record says about the songs. */
typedef struct
{
  gint64      total;
  gint64      done;
  double      fraction;  /* of the song being analysed */
  gint64      id;
  const char *title;
  const char *artist;
} SongsView;

/* ------------------------------------------------------------------ */
/* Reading a progress record                                           */
/* ------------------------------------------------------------------ */

static gboolean
kind_has_rows (VigilJobKind kind,
               gint64       total)
{
  switch (kind)
    {
    case VIGIL_JOB_KIND_PLAYLIST:
    case VIGIL_JOB_KIND_BACKGROUND:
      return TRUE;
    case VIGIL_JOB_KIND_UNKNOWN:
      return total > 1;
    case VIGIL_JOB_KIND_SONG:
    default:
      return FALSE;
    }
}

static gboolean
read_songs_view (const VigilProgress *p,
                 SongsView           *view)
{
  g_assert (p != NULL);
  g_assert (view != NULL);

  if (p->has_metadata && p->total_songs > 0)
    {
      view->total = p->total_songs;
      view->done = p->processed_songs >= 0 ? p->processed_songs : p->completed_items;
      view->fraction = p->song_progress;
      if (p->current_song != NULL)
        {
          view->id = p->current_song->id;
          view->title = p->current_song->title;
          view->artist = p->current_song->artist;
        }
      return TRUE;
    }

  view->total = p->total_items;
  view->done = p->completed_items;
  view->fraction = p->step_progress;
  return view->total > 0;
}

/* ------------------------------------------------------------------ */
/* Rows                                                                */
/* ------------------------------------------------------------------ */

static VigilJobSong *
new_placeholder_row (guint position)
{
  g_autofree char *title = NULL;
  VigilJobSong *row;

  title = vigil_job_text_song_placeholder (position);
  row = vigil_job_song_new (-1, title, NULL);
  vigil_job_song_set_fraction (row, 0.0);
  return row;
}

/* Appends or drops rows at the end only: existing rows are reused so a
 * bound list view never rebuilds. */
static void
resize_rows (VigilJobSongList *self,
             guint             n)
{
  guint have = g_list_model_get_n_items (G_LIST_MODEL (self->store));
  g_autoptr(GPtrArray) added = NULL;

  if (n < have)
    {
      g_list_store_splice (self->store, n, have - n, NULL, 0);
      g_ptr_array_set_size (self->rows, n);
      self->settled = MIN (self->settled, n);
      return;
    }
  if (n == have)
    return;

  added = g_ptr_array_new_full (n - have, g_object_unref);
  for (guint i = have; i < n; i++)
    {
      VigilJobSong *row = new_placeholder_row (i);

      g_ptr_array_add (added, row);
      g_ptr_array_add (self->rows, g_object_ref (row));
    }

  g_list_store_splice (self->store, have, 0, added->pdata, added->len);
}

static void
set_row (VigilJobSong   *row,
         VigilSongState  state,
         double          fraction)
{
  vigil_job_song_set_state (row, state);
  vigil_job_song_set_fraction (row, fraction);
}

static void
name_row (VigilJobSong    *row,
          const SongsView *view)
{
  if (view->id >= 0)
    vigil_job_song_set_id (row, view->id);
  if (view->title != NULL && view->title[0] != '\0')
    vigil_job_song_set_title (row, view->title);
  if (view->artist != NULL && view->artist[0] != '\0')
    vigil_job_song_set_artist (row, view->artist);
}

/* A row once DONE stays DONE, whatever a noisy count says. Rows are
 * DONE, then one ANALYZING, then WAITING: only the few around the current
 * song are looked at, so a poll costs the same for 3 songs or 3000. */
static void
update_rows (VigilJobSongList *self,
             const SongsView  *view)
{
  GPtrArray *rows = self->rows;

  g_assert (view != NULL);

  for (guint i = self->settled; i < rows->len; i++)
    {
      VigilJobSong *row = g_ptr_array_index (rows, i);
      VigilSongState state = vigil_job_song_get_state (row);

      if (i < view->done)
        set_row (row, VIGIL_SONG_STATE_DONE, 1.0);
      else if (state == VIGIL_SONG_STATE_DONE)
        continue;
      else if (i == view->done)
        {
          set_row (row, VIGIL_SONG_STATE_ANALYZING, view->fraction);
          name_row (row, view);
        }
      else if (state == VIGIL_SONG_STATE_WAITING)
        break;
      else
        set_row (row, VIGIL_SONG_STATE_WAITING, 0.0);
    }

  while (self->settled < rows->len &&
         vigil_job_song_get_state (g_ptr_array_index (rows, self->settled)) ==
         VIGIL_SONG_STATE_DONE)
    self->settled++;
}

/* ------------------------------------------------------------------ */
/* Public API                                                          */
/* ------------------------------------------------------------------ */

VigilJobSongList *
vigil_job_song_list_new (void)
{
  VigilJobSongList *self = g_new0 (VigilJobSongList, 1);

  self->store = g_list_store_new (VIGIL_TYPE_JOB_SONG);
  self->rows = g_ptr_array_new_with_free_func (g_object_unref);
  return self;
}

void
vigil_job_song_list_free (VigilJobSongList *self)
{
  if (self == NULL)
    return;

  g_clear_pointer (&self->rows, g_ptr_array_unref);
  g_clear_object (&self->store);
  g_free (self);
}

GListStore *
vigil_job_song_list_get_store (VigilJobSongList *self)
{
  g_return_val_if_fail (self != NULL, NULL);

  return self->store;
}

gboolean
vigil_job_song_list_has_rows (VigilJobKind         kind,
                              const VigilProgress *progress)
{
  SongsView view = { 0, 0, VIGIL_UNKNOWN, -1, NULL, NULL };

  g_return_val_if_fail (progress != NULL, FALSE);

  return read_songs_view (progress, &view) && kind_has_rows (kind, view.total);
}

void
vigil_job_song_list_sync (VigilJobSongList    *self,
                          VigilJobKind         kind,
                          const VigilProgress *progress)
{
  SongsView view = { 0, 0, VIGIL_UNKNOWN, -1, NULL, NULL };
  g_autofree char *parsed_title = NULL;
  g_autofree char *parsed_artist = NULL;

  g_return_if_fail (self != NULL);
  g_return_if_fail (progress != NULL);

  if (!read_songs_view (progress, &view) || !kind_has_rows (kind, view.total))
    return;

  /* without metadata, the message names the song being analysed */
  if (view.title == NULL &&
      vigil_reader_parse_song_message (progress->message, &parsed_title, &parsed_artist))
    {
      view.title = parsed_title;
      view.artist = view.artist != NULL ? view.artist : parsed_artist;
    }

  view.total = MIN (view.total, VIGIL_JOB_SONG_LIST_MAX_ROWS);
  view.done = CLAMP (view.done, 0, view.total);
  resize_rows (self, view.total);
  update_rows (self, &view);
}

void
vigil_job_song_list_finish (VigilJobSongList *self,
                            VigilSongState    from,
                            VigilSongState    to)
{
  g_return_if_fail (self != NULL);

  for (guint i = 0; i < self->rows->len; i++)
    {
      VigilJobSong *row = g_ptr_array_index (self->rows, i);

      if (from == to || vigil_job_song_get_state (row) == from)
        vigil_job_song_set_state (row, to);
      if (to == VIGIL_SONG_STATE_DONE)
        vigil_job_song_set_fraction (row, 1.0);
    }
}
