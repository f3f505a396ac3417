/* vigil-server-history.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <errno.h>
#include <math.h>
#include <glib/gi18n-lib.h>
#include <glib/gstdio.h>
#include <json-glib/json-glib.h>

#include "vigil-json-builder.h"
#include "vigil-state-dir.h"
#include "vigil-state-file.h"

#include "vigil-server-history.h"

/* The trend compares the latest value with up to this many samples … */
#define TREND_SAMPLES 5
/* … of this many minutes before it. */
#define TREND_MINUTES 15

struct _VigilServerHistory
{
  GObject  parent_instance;

  char    *server;
  char    *directory;       /* NULL: in memory */
  char    *path;
  GArray  *samples;         /* VigilHistorySample, oldest first, one per minute */
  GError  *last_error;
  guint    loaded : 1;
};

enum {
  CHANGED,
  N_SIGNALS
};

static guint signals[N_SIGNALS];

G_DEFINE_FINAL_TYPE (VigilServerHistory, vigil_server_history, G_TYPE_OBJECT)

/* ------------------------------------------------------------------ */
/* Samples                                                             */
/* ------------------------------------------------------------------ */

static gint64
minute_of (gint64 now_us)
{
  return now_us / (G_USEC_PER_SEC * (gint64) 60);
}

static void
drop_older_than (VigilServerHistory *self,
                 gint64              minute)
{
  guint n = 0;

  while (n < self->samples->len &&
         g_array_index (self->samples, VigilHistorySample, n).minute <= minute - VIGIL_SERVER_HISTORY_MINUTES)
    n++;
  if (n > 0)
    g_array_remove_range (self->samples, 0, n);
}

static VigilHistorySample *
last_sample (VigilServerHistory *self)
{
  if (self->samples->len == 0)
    return NULL;
  return &g_array_index (self->samples, VigilHistorySample, self->samples->len - 1);
}

/* Samples read from a file go before those recorded since (newer). */
static void
merge_older (VigilServerHistory *self,
             GArray             *older)
{
  gint64 first = self->samples->len > 0
                 ? g_array_index (self->samples, VigilHistorySample, 0).minute : G_MAXINT64;
  guint n = 0;

  while (n < older->len && g_array_index (older, VigilHistorySample, n).minute < first)
    n++;
  g_array_prepend_vals (self->samples, older->data, n);
}

/* ------------------------------------------------------------------ */
/* The file                                                            */
/* ------------------------------------------------------------------ */

static char *
serialize (VigilServerHistory *self)
{
  g_autoptr(JsonBuilder) b = json_builder_new ();
  g_autoptr(JsonGenerator) gen = json_generator_new ();
  g_autoptr(JsonNode) root = NULL;

  json_builder_begin_object (b);
  vigil_json_add_int (b, "version", VIGIL_SERVER_HISTORY_VERSION);
  vigil_json_add_string (b, "server", self->server);
  json_builder_set_member_name (b, "samples");
  json_builder_begin_array (b);
  for (guint i = 0; i < self->samples->len; i++)
    {
      const VigilHistorySample *s = &g_array_index (self->samples, VigilHistorySample, i);

      json_builder_begin_object (b);
      vigil_json_add_int (b, "minute", s->minute);
      vigil_json_add_int_or_unknown (b, "queue_length", s->queue_length);
      vigil_json_add_int_or_unknown (b, "songs", s->songs);
      json_builder_end_object (b);
    }
  json_builder_end_array (b);
  json_builder_end_object (b);

  root = json_builder_get_root (b);
  json_generator_set_root (gen, root);
  return json_generator_to_data (gen, NULL);
}

/* FALSE (and NULL where a pointer is due) with the place named */
static gpointer
invalid_at (GError    **error,
            const char *what)
{
  g_set_error (error, VIGIL_STATE_ERROR, VIGIL_STATE_ERROR_INVALID,
               /* Translators: %s names the wrong part of a file ("samples[3]") */
               _("The saved chart data is wrong at %s"), what);
  return NULL;
}

static gboolean
invalid (GError    **error,
         const char *what)
{
  invalid_at (error, what);
  return FALSE;
}

/* An integer, or null/absent as -1 when nullable. */
static gboolean
read_count (JsonObject *o,
            const char *name,
            gboolean    nullable,
            gint64     *out)
{
  JsonNode *node = json_object_get_member (o, name);

  if (node == NULL || JSON_NODE_HOLDS_NULL (node))
    {
      *out = -1;
      return nullable;
    }
  if (!JSON_NODE_HOLDS_VALUE (node) || json_node_get_value_type (node) != G_TYPE_INT64)
    return FALSE;
  *out = json_node_get_int (node);
  return *out >= 0;
}

static gboolean
read_sample (JsonNode           *node,
             guint               i,
             gint64              previous,
             VigilHistorySample *out,
             GError            **error)
{
  g_autofree char *where = g_strdup_printf ("samples[%u]", i);
  JsonObject *o;

  if (!JSON_NODE_HOLDS_OBJECT (node))
    return invalid (error, where);
  o = json_node_get_object (node);
  if (!read_count (o, "minute", FALSE, &out->minute) || out->minute <= previous)
    return invalid (error, where);
  if (!read_count (o, "queue_length", TRUE, &out->queue_length) ||
      !read_count (o, "songs", TRUE, &out->songs))
    return invalid (error, where);
  return TRUE;
}

static GArray *
parse (VigilServerHistory  *self,
       const char          *data,
       gsize                length,
       GError             **error)
{
  g_autoptr(JsonParser) parser = json_parser_new_immutable ();
  g_autoptr(GArray) samples = g_array_new (FALSE, FALSE, sizeof (VigilHistorySample));
  JsonObject *root;
  JsonNode *node;
  JsonArray *array;
  gint64 previous = G_MININT64;

  if (!vigil_state_file_check_text (data, length, error))
    return NULL;
  if (!json_parser_load_from_data (parser, data, (gssize) length, NULL) ||
      !JSON_NODE_HOLDS_OBJECT (json_parser_get_root (parser)))
    return invalid_at (error, "/");

  root = json_node_get_object (json_parser_get_root (parser));
  node = json_object_get_member (root, "version");
  if (node == NULL || !JSON_NODE_HOLDS_VALUE (node) ||
      json_node_get_value_type (node) != G_TYPE_INT64 ||
      json_node_get_int (node) != VIGIL_SERVER_HISTORY_VERSION)
    {
      g_set_error_literal (error, VIGIL_STATE_ERROR, VIGIL_STATE_ERROR_VERSION,
                           _("The saved chart data has a version this Vigil does not read"));
      return NULL;
    }
  node = json_object_get_member (root, "server");
  if (node == NULL || !JSON_NODE_HOLDS_VALUE (node) ||
      g_strcmp0 (json_node_get_string (node), self->server) != 0)
    return invalid_at (error, "server");
  node = json_object_get_member (root, "samples");
  if (node == NULL || !JSON_NODE_HOLDS_ARRAY (node))
    return invalid_at (error, "samples");

  array = json_node_get_array (node);
  for (guint i = 0; i < json_array_get_length (array); i++)
    {
      VigilHistorySample s;

      if (!read_sample (json_array_get_element (array, i), i, previous, &s, error))
        return NULL;
      g_array_append_val (samples, s);
      previous = s.minute;
    }
  return g_steal_pointer (&samples);
}

/* Replaces *error (why the file is unusable) with what the user needs to
 * know: that, and where the file went. */
static void
set_aside (VigilServerHistory  *self,
           GError             **error)
{
  g_autoptr(GError) move_error = NULL;
  g_autofree char *moved_to = vigil_state_dir_move_aside (self->path, &move_error);
  g_autofree char *name = moved_to != NULL ? g_path_get_basename (moved_to) : NULL;
  g_autofree char *reason = g_strdup ((*error)->message);

  g_clear_pointer (&(*error)->message, g_free);
  if (moved_to != NULL)
    /* Translators: the first %s says why the file is unusable, the second is
     * a file name */
    (*error)->message = g_strdup_printf (_("The charts start empty. %s; it was kept as %s."),
                                         reason, name);
  else
    {
      /* Not overwritten: saving would destroy what could not be set aside. */
      g_clear_pointer (&self->path, g_free);
      /* Translators: the first %s says why the file is unusable, the second why
       * it could not be renamed */
      (*error)->message = g_strdup_printf (_("The charts are not saved until Vigil restarts. "
                                             "%s, and it could not be moved aside: %s."),
                                           reason, move_error->message);
    }
}

/* ------------------------------------------------------------------ */
/* Trends                                                              */
/* ------------------------------------------------------------------ */

typedef gint64 (*SampleValue) (const VigilHistorySample *s);

static gint64
queue_value (const VigilHistorySample *s)
{
  return s->queue_length;
}

static gint64
songs_value (const VigilHistorySample *s)
{
  return s->songs;
}

/* Index of the latest sample with a value, at most max_minute; -1. */
static int
latest_index (GArray      *samples,
              SampleValue  value,
              gint64       max_minute)
{
  for (int i = (int) samples->len - 1; i >= 0; i--)
    {
      const VigilHistorySample *s = &g_array_index (samples, VigilHistorySample, i);

      if (s->minute <= max_minute && value (s) >= 0)
        return i;
    }
  return -1;
}

static VigilTrend
trend_at (GArray      *samples,
          int          latest,
          SampleValue  value)
{
  const VigilHistorySample *l = &g_array_index (samples, VigilHistorySample, latest);
  double sum = 0, mean, threshold;
  guint n = 0;

  for (int i = latest - 1; i >= 0 && n < TREND_SAMPLES; i--)
    {
      const VigilHistorySample *s = &g_array_index (samples, VigilHistorySample, i);

      if (s->minute < l->minute - TREND_MINUTES)
        break;
      if (value (s) < 0)
        continue;
      sum += (double) value (s);
      n++;
    }
  if (n == 0)
    return VIGIL_TREND_UNKNOWN;

  mean = sum / n;
  threshold = MAX (1.0, 0.1 * mean);
  if ((double) value (l) - mean >= threshold)
    return VIGIL_TREND_RISING;
  if (mean - (double) value (l) >= threshold)
    return VIGIL_TREND_FALLING;
  return VIGIL_TREND_STEADY;
}

static void
latest_of (GArray      *samples,
           SampleValue  value,
           gint64       max_minute,
           gint64       min_minute,
           gint64      *out_value,
           VigilTrend  *out_trend)
{
  int i = latest_index (samples, value, max_minute);

  if (i < 0 || g_array_index (samples, VigilHistorySample, i).minute < min_minute)
    {
      *out_value = -1;
      *out_trend = VIGIL_TREND_UNKNOWN;
      return;
    }
  *out_value = value (&g_array_index (samples, VigilHistorySample, i));
  *out_trend = trend_at (samples, i, value);
}

/* ------------------------------------------------------------------ */
/* GObject                                                             */
/* ------------------------------------------------------------------ */

static void
vigil_server_history_finalize (GObject *object)
{
  VigilServerHistory *self = VIGIL_SERVER_HISTORY (object);

  g_free (self->server);
  g_free (self->directory);
  g_free (self->path);
  g_array_unref (self->samples);
  g_clear_error (&self->last_error);

  G_OBJECT_CLASS (vigil_server_history_parent_class)->finalize (object);
}

static void
vigil_server_history_class_init (VigilServerHistoryClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->finalize = vigil_server_history_finalize;

  signals[CHANGED] = g_signal_new ("changed", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST,
                                   0, NULL, NULL, NULL, G_TYPE_NONE, 0);
}

static void
vigil_server_history_init (VigilServerHistory *self)
{
  self->samples = g_array_new (FALSE, FALSE, sizeof (VigilHistorySample));
}

/* ------------------------------------------------------------------ */
/* Public API                                                          */
/* ------------------------------------------------------------------ */

char *
vigil_server_history_file_name (const char *server_url)
{
  g_autofree char *sum = NULL;

  g_return_val_if_fail (server_url != NULL, NULL);

  sum = g_compute_checksum_for_string (G_CHECKSUM_SHA1, server_url, -1);
  return g_strdup_printf ("dashboard-%s.json", sum);
}

VigilServerHistory *
vigil_server_history_new (const char *server_url,
                          const char *directory)
{
  VigilServerHistory *self;

  g_return_val_if_fail (server_url != NULL, NULL);

  self = g_object_new (VIGIL_TYPE_SERVER_HISTORY, NULL);
  self->server = g_strdup (server_url);
  self->directory = g_strdup (directory);
  if (directory != NULL)
    {
      g_autofree char *name = vigil_server_history_file_name (server_url);

      self->path = g_build_filename (directory, name, NULL);
    }
  return self;
}

const char *
vigil_server_history_get_server (VigilServerHistory *self)
{
  g_return_val_if_fail (VIGIL_IS_SERVER_HISTORY (self), NULL);

  return self->server;
}

const char *
vigil_server_history_get_path (VigilServerHistory *self)
{
  g_return_val_if_fail (VIGIL_IS_SERVER_HISTORY (self), NULL);

  return self->path;
}

gboolean
vigil_server_history_load (VigilServerHistory  *self,
                           GError             **error)
{
  g_autoptr(GError) local_error = NULL;
  g_autoptr(GArray) older = NULL;
  g_autofree char *data = NULL;
  gsize length = 0;

  g_return_val_if_fail (VIGIL_IS_SERVER_HISTORY (self), FALSE);
  g_return_val_if_fail (error == NULL || *error == NULL, FALSE);

  if (self->loaded || self->path == NULL)
    return TRUE;
  self->loaded = TRUE;

  data = vigil_state_dir_read (self->path, VIGIL_SERVER_HISTORY_MAX_FILE_SIZE, &length,
                               &local_error);
  if (data != NULL)
    older = parse (self, data, length, &local_error);
  if (local_error != NULL)
    {
      set_aside (self, &local_error);
      g_propagate_error (error, g_steal_pointer (&local_error));
      return FALSE;
    }
  if (older == NULL)
    return TRUE;

  merge_older (self, older);
  drop_older_than (self, minute_of (g_get_real_time ()));
  g_signal_emit (self, signals[CHANGED], 0);
  return TRUE;
}

gboolean
vigil_server_history_save (VigilServerHistory  *self,
                           GError             **error)
{
  g_autoptr(GError) local_error = NULL;
  g_autofree char *data = NULL;

  g_return_val_if_fail (VIGIL_IS_SERVER_HISTORY (self), FALSE);

  /* Nothing is written before the file was read: it would be lost. */
  if (self->path == NULL || !self->loaded)
    return TRUE;

  data = serialize (self);
  if (g_mkdir_with_parents (self->directory, 0700) != 0)
    {
      int saved_errno = errno;

      g_set_error (&local_error, VIGIL_STATE_ERROR, VIGIL_STATE_ERROR_WRITE,
                   /* Translators: %s is a folder, then why it could not be made */
                   _("Could not save the chart data: could not create %s: %s"),
                   self->directory, g_strerror (saved_errno));
    }
  else if (!g_file_set_contents_full (self->path, data, -1, G_FILE_SET_CONTENTS_CONSISTENT,
                                      0600, &local_error))
    {
      g_prefix_error (&local_error, _("Could not save the chart data: "));
    }

  g_clear_error (&self->last_error);
  if (local_error != NULL)
    {
      self->last_error = g_error_copy (local_error);
      g_propagate_error (error, g_steal_pointer (&local_error));
      return FALSE;
    }
  return TRUE;
}

const GError *
vigil_server_history_get_last_error (VigilServerHistory *self)
{
  g_return_val_if_fail (VIGIL_IS_SERVER_HISTORY (self), NULL);

  return self->last_error;
}

void
vigil_server_history_record (VigilServerHistory *self,
                             gint64              now_us,
                             gint64              queue_length,
                             gint64              songs_analyzed)
{
  gint64 minute = minute_of (now_us);
  VigilHistorySample *last;

  g_return_if_fail (VIGIL_IS_SERVER_HISTORY (self));

  last = last_sample (self);
  /* A clock set back: the samples after it would be out of order. */
  if (last != NULL && last->minute > minute)
    {
      g_array_set_size (self->samples, 0);
      last = NULL;
    }

  if (last == NULL || last->minute != minute)
    {
      VigilHistorySample s = { minute, -1, -1 };

      /* the previous minutes are complete */
      if (last != NULL)
        vigil_server_history_save (self, NULL);
      g_array_append_val (self->samples, s);
      drop_older_than (self, minute);
      last = last_sample (self);
    }

  if (queue_length >= 0)
    last->queue_length = queue_length;
  if (songs_analyzed >= 0)
    last->songs = MAX (last->songs, 0) + songs_analyzed;
  g_signal_emit (self, signals[CHANGED], 0);
}

GArray *
vigil_server_history_get_samples (VigilServerHistory *self,
                                  gint64              now_us)
{
  GArray *out = g_array_new (FALSE, FALSE, sizeof (VigilHistorySample));
  gint64 minute = minute_of (now_us);

  g_return_val_if_fail (VIGIL_IS_SERVER_HISTORY (self), out);

  for (guint i = 0; i < self->samples->len; i++)
    {
      const VigilHistorySample *s = &g_array_index (self->samples, VigilHistorySample, i);

      if (s->minute > minute - VIGIL_SERVER_HISTORY_MINUTES && s->minute <= minute)
        g_array_append_val (out, *s);
    }
  return out;
}

void
vigil_server_history_get_latest (VigilServerHistory *self,
                                 gint64              now_us,
                                 gint64             *queue_length,
                                 VigilTrend         *queue_trend,
                                 gint64             *songs_per_minute,
                                 VigilTrend         *songs_trend)
{
  g_autoptr(GArray) samples = NULL;
  gint64 minute = minute_of (now_us);
  gint64 q, s;
  VigilTrend qt, st;

  g_return_if_fail (VIGIL_IS_SERVER_HISTORY (self));

  samples = vigil_server_history_get_samples (self, now_us);
  latest_of (samples, queue_value, minute, G_MININT64, &q, &qt);
  /* the current minute is partial: the last complete one, when recent */
  latest_of (samples, songs_value, minute - 1, minute - 2, &s, &st);
  if (s < 0)
    latest_of (samples, songs_value, minute, G_MININT64, &s, &st);

  if (queue_length) *queue_length = q;
  if (queue_trend) *queue_trend = qt;
  if (songs_per_minute) *songs_per_minute = s;
  if (songs_trend) *songs_trend = st;
}

char *
vigil_server_history_describe (VigilServerHistory *self,
                               gint64              now_us)
{
  gint64 q, s;
  VigilTrend qt, st;

  g_return_val_if_fail (VIGIL_IS_SERVER_HISTORY (self), NULL);

  vigil_server_history_get_latest (self, now_us, &q, &qt, &s, &st);
  return vigil_server_text_history_description (q, qt, s, st);
}
