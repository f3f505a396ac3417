/* vigil-job-song-list.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <string.h>

#include "vigil-job-text.h"
#include "vigil-reader.h"
#include "vigil-reader-song-message-private.h"

#include "vigil-job-song-list.h"

/* Rows cost ~170 B each as objects, and 10 000 tracked playlists hold some
 * 175 000 songs: until a view asks for the store, the list is kept as what
 * the rows would say. Rows are DONE, then one current row, then WAITING
 * (update_rows keeps them so); a finish changes whole classes of rows. The
 * names learned for current rows are packed into one string. */
typedef struct
{
  guint           n;             /* rows */
  guint           current;       /* the current row; G_MAXUINT none */
  double          fraction;      /* its fraction */
  char           *names;         /* "index\tid\ttitle\tartist\n" per naming, in order;
                                  * NUL-terminated, allocated to its length */
  gsize           names_len;
  gsize           names_size;    /* allocated */
  gsize           last_name;     /* offset of the last entry */
  guint           last_index;    /* its row */
  guint8          done_state;    /* VigilSongState: rows before `settled` (DONE until a finish) */
  guint8          current_state;
  guint8          rest_state;    /* rows after the current one */
  guint           all_full : 1;  /* every fraction 1.0 (finished DONE) */
  guint           last_has_id : 1;      /* which fields the last entry sets */
  guint           last_has_title : 1;
  guint           last_has_artist : 1;
} CompactRows;

struct _VigilJobSongList
{
  GListStore  *store;     /* NULL while compact */
  GPtrArray   *rows;      /* the same rows, for O(1) access; NULL while compact */
  guint        settled;   /* leading rows that are DONE for good */
  CompactRows  compact;

  /* the last record synced, when it had no song metadata */
  guint8       last_kind;           /* VigilJobKind */
  guint        last_valid : 1;
  guint        last_had_message : 1;
  gint64       last_done;
  gint64       last_total;
  double       last_step;
};

/* What a progress record says about the songs. The names may be places
 * in the record's message: title_len and artist_len bytes, not
 * NUL-terminated there. */
typedef struct
{
  gint64      total;
  gint64      done;
  double      fraction;  /* of the song being analysed */
  gint64      id;
  const char *title;
  const char *artist;
  gsize       title_len;
  gsize       artist_len;
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
          view->title_len = view->title != NULL ? strlen (view->title) : 0;
          view->artist_len = view->artist != NULL ? strlen (view->artist) : 0;
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
/* The compact form (no store yet)                                     */
/* ------------------------------------------------------------------ */

/* Escapes as g_strescape does (g_strcompress reads it back), straight into
 * the entry: tabs and newlines separate the fields and the entries. Each
 * byte takes at most 4. */
static char *
write_escaped (char       *out,
               const char *text,
               gsize       len)
{
  const guchar *end = (const guchar *) text + len;

  for (const guchar *p = (const guchar *) text; p < end; p++)
    {
      if (*p == '\\' || *p == '"')
        {
          *out++ = '\\';
          *out++ = (char) *p;
        }
      else if (*p < ' ' || *p >= 0177)
        {
          *out++ = '\\';
          *out++ = (char) ('0' + (*p >> 6));
          *out++ = (char) ('0' + ((*p >> 3) & 7));
          *out++ = (char) ('0' + (*p & 7));
        }
      else
        *out++ = (char) *p;
    }
  return out;
}

/* As printf's %" G_GINT64_FORMAT " writes it, without printf's cost (at
 * most 20 bytes) */
static char *
write_int (char   *out,
           gint64  value)
{
  char digits[24];
  guint n = 0;
  guint64 magnitude = value < 0 ? (guint64) 0 - (guint64) value : (guint64) value;

  do
    {
      digits[n++] = (char) ('0' + magnitude % 10);
      magnitude /= 10;
    }
  while (magnitude > 0);
  if (value < 0)
    *out++ = '-';
  while (n > 0)
    *out++ = digits[--n];
  return out;
}

/* The entry is written into a buffer on the stack (or the heap, for long
 * names) and stored only when it says something new: most polls name the
 * same song again, and this runs for every playlist. An entry for the last
 * entry's row that sets at least the fields it set takes its place: the
 * row would only have been named twice. The names are kept at about
 * their length (a GString keeps at least 128 bytes, and there is one a
 * playlist). */
static void
compact_name (CompactRows     *c,
              guint            index,
              const SongsView *view)
{
  gboolean has_id = view->id >= 0;
  gboolean has_title = view->title != NULL && view->title_len > 0;
  gboolean has_artist = view->artist != NULL && view->artist_len > 0;
  char stack[512];
  g_autofree char *heap = NULL;
  char *entry, *end;
  gsize room, len, start;

  if (!has_id && !has_title && !has_artist)
    return;

  room = 2 * 20 + 4 + 4 * ((has_title ? view->title_len : 0) + (has_artist ? view->artist_len : 0));
  entry = room <= sizeof stack ? stack : (heap = g_malloc (room));
  end = write_int (entry, index);
  *end++ = '\t';
  end = write_int (end, view->id);
  *end++ = '\t';
  end = write_escaped (end, view->title, has_title ? view->title_len : 0);
  *end++ = '\t';
  end = write_escaped (end, view->artist, has_artist ? view->artist_len : 0);
  *end++ = '\n';
  len = end - entry;

  if (c->names != NULL && c->names_len - c->last_name == len &&
      memcmp (c->names + c->last_name, entry, len) == 0)
    return;

  if (c->names != NULL && index == c->last_index &&
      (has_id || !c->last_has_id) && (has_title || !c->last_has_title) &&
      (has_artist || !c->last_has_artist))
    start = c->last_name;
  else
    start = c->names_len;
  /* a name taking the last one's place mostly fits where it was */
  if (start + len + 1 > c->names_size)
    {
      c->names_size = start + len + 1;
      c->names = g_realloc (c->names, c->names_size);
    }
  memcpy (c->names + start, entry, len);
  c->names[start + len] = '\0';
  c->names_len = start + len;
  c->last_name = start;
  c->last_index = index;
  c->last_has_id = has_id;
  c->last_has_title = has_title;
  c->last_has_artist = has_artist;
}

static void
compact_sync (VigilJobSongList *self,
              const SongsView  *view)
{
  CompactRows *c = &self->compact;

  c->n = (guint) view->total;
  self->settled = MIN (MAX (self->settled, (guint) view->done), c->n);
  c->current = G_MAXUINT;
  c->current_state = VIGIL_SONG_STATE_ANALYZING;
  c->rest_state = VIGIL_SONG_STATE_WAITING;
  if ((guint) view->done >= self->settled && (guint) view->done < c->n)
    {
      c->current = (guint) view->done;
      c->fraction = view->fraction;
      compact_name (c, c->current, view);
    }
}

static VigilSongState
finish_state (VigilSongState state,
              VigilSongState from,
              VigilSongState to)
{
  return from == to || state == from ? to : state;
}

static void
compact_finish (VigilJobSongList *self,
                VigilSongState    from,
                VigilSongState    to)
{
  CompactRows *c = &self->compact;

  c->done_state = finish_state (c->done_state, from, to);
  c->current_state = finish_state (c->current_state, from, to);
  c->rest_state = finish_state (c->rest_state, from, to);
  if (to == VIGIL_SONG_STATE_DONE)
    c->all_full = TRUE;
}

/* A row's fields from one "index\tid\ttitle\tartist" entry */
static void
name_row_from_entry (GPtrArray *rows,
                     char      *line)
{
  g_auto(GStrv) fields = g_strsplit (line, "\t", 4);
  g_autofree char *title = NULL;
  g_autofree char *artist = NULL;
  guint64 index;
  SongsView view = { 0, 0, 0, -1, NULL, NULL, 0, 0 };

  if (g_strv_length (fields) != 4 || !g_ascii_string_to_unsigned (fields[0], 10, 0, G_MAXUINT, &index, NULL) ||
      index >= rows->len)
    return;
  view.id = g_ascii_strtoll (fields[1], NULL, 10);
  view.title = title = g_strcompress (fields[2]);
  view.artist = artist = g_strcompress (fields[3]);
  name_row (g_ptr_array_index (rows, index), &view);
}

/* The rows the compact form stands for */
static void
materialize (VigilJobSongList *self)
{
  CompactRows *c = &self->compact;
  g_auto(GStrv) lines = NULL;

  self->store = g_list_store_new (VIGIL_TYPE_JOB_SONG);
  self->rows = g_ptr_array_new_with_free_func (g_object_unref);
  resize_rows (self, c->n);
  for (guint i = 0; i < self->rows->len; i++)
    {
      VigilJobSong *row = g_ptr_array_index (self->rows, i);

      if (i < self->settled)
        set_row (row, c->done_state, 1.0);
      else if (i == c->current)
        set_row (row, c->current_state, c->all_full ? 1.0 : c->fraction);
      else
        set_row (row, c->rest_state, c->all_full ? 1.0 : 0.0);
    }

  if (c->names != NULL)
    {
      lines = g_strsplit (c->names, "\n", -1);
      for (guint i = 0; lines[i] != NULL; i++)
        name_row_from_entry (self->rows, lines[i]);
      g_clear_pointer (&c->names, g_free);
      c->names_len = c->names_size = c->last_name = 0;
    }

  /* a finish may have made DONE rows past `settled` */
  while (self->settled < self->rows->len &&
         vigil_job_song_get_state (g_ptr_array_index (self->rows, self->settled)) ==
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

  self->compact.current = G_MAXUINT;
  self->compact.last_index = G_MAXUINT;
  self->compact.done_state = VIGIL_SONG_STATE_DONE;
  self->compact.current_state = VIGIL_SONG_STATE_ANALYZING;
  self->compact.rest_state = VIGIL_SONG_STATE_WAITING;
  return self;
}

void
vigil_job_song_list_free (VigilJobSongList *self)
{
  if (self == NULL)
    return;

  g_clear_pointer (&self->rows, g_ptr_array_unref);
  g_clear_object (&self->store);
  g_free (self->compact.names);
  g_free (self);
}

GListStore *
vigil_job_song_list_get_store (VigilJobSongList *self)
{
  g_return_val_if_fail (self != NULL, NULL);

  if (self->store == NULL)
    materialize (self);
  return self->store;
}

gboolean
vigil_job_song_list_has_rows (VigilJobKind         kind,
                              const VigilProgress *progress)
{
  SongsView view = { 0, 0, VIGIL_UNKNOWN, -1, NULL, NULL, 0, 0 };

  g_return_val_if_fail (progress != NULL, FALSE);

  return read_songs_view (progress, &view) && kind_has_rows (kind, view.total);
}

static gboolean
repeats_last (VigilJobSongList    *self,
              VigilJobKind         kind,
              const VigilProgress *p,
              gboolean             same_message)
{
  return same_message && self->last_valid && self->last_had_message && p->message != NULL &&
         kind == self->last_kind && p->completed_items == self->last_done &&
         p->total_items == self->last_total && p->step_progress == self->last_step;
}

static void
remember_last (VigilJobSongList    *self,
               VigilJobKind         kind,
               const VigilProgress *p)
{
  /* with metadata, the current song's fields count too: not remembered */
  self->last_valid = !(p->has_metadata && p->total_songs > 0);
  self->last_had_message = p->message != NULL;
  self->last_kind = kind;
  self->last_done = p->completed_items;
  self->last_total = p->total_items;
  self->last_step = p->step_progress;
}

void
vigil_job_song_list_sync_again (VigilJobSongList    *self,
                                VigilJobKind         kind,
                                const VigilProgress *progress,
                                gboolean             same_message)
{
  g_return_if_fail (self != NULL);
  g_return_if_fail (progress != NULL);

  if (repeats_last (self, kind, progress, same_message))
    return;
  vigil_job_song_list_sync (self, kind, progress);
}

void
vigil_job_song_list_sync (VigilJobSongList    *self,
                          VigilJobKind         kind,
                          const VigilProgress *progress)
{
  SongsView view = { 0, 0, VIGIL_UNKNOWN, -1, NULL, NULL, 0, 0 };
  VigilSongMessage parsed;
  g_autofree char *title = NULL;
  g_autofree char *artist = NULL;

  g_return_if_fail (self != NULL);
  g_return_if_fail (progress != NULL);

  remember_last (self, kind, progress);
  if (!read_songs_view (progress, &view) || !kind_has_rows (kind, view.total))
    return;

  /* without metadata, the message names the song being analysed (read in
   * place: a compact list copies what it keeps, escaped) */
  if (view.title == NULL && vigil_reader_find_song_message (progress->message, &parsed))
    {
      view.title = parsed.title;
      view.title_len = parsed.title_len;
      if (view.artist == NULL)
        {
          view.artist = parsed.artist;
          view.artist_len = parsed.artist_len;
        }
    }

  view.total = MIN (view.total, VIGIL_JOB_SONG_LIST_MAX_ROWS);
  view.done = CLAMP (view.done, 0, view.total);
  if (self->store == NULL)
    {
      compact_sync (self, &view);
      return;
    }
  /* rows take C strings */
  if (view.title != NULL)
    view.title = title = g_strndup (view.title, view.title_len);
  if (view.artist != NULL)
    view.artist = artist = g_strndup (view.artist, view.artist_len);
  resize_rows (self, view.total);
  update_rows (self, &view);
}

void
vigil_job_song_list_finish (VigilJobSongList *self,
                            VigilSongState    from,
                            VigilSongState    to)
{
  g_return_if_fail (self != NULL);

  self->last_valid = FALSE;
  if (self->store == NULL)
    {
      compact_finish (self, from, to);
      return;
    }

  for (guint i = 0; i < self->rows->len; i++)
    {
      VigilJobSong *row = g_ptr_array_index (self->rows, i);

      if (from == to || vigil_job_song_get_state (row) == from)
        vigil_job_song_set_state (row, to);
      if (to == VIGIL_SONG_STATE_DONE)
        vigil_job_song_set_fraction (row, 1.0);
    }
}
