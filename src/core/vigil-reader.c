/* vigil-reader.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <math.h>
#include <string.h>
#include <glib/gi18n-lib.h>
#include <libsoup/soup.h>

#include "vigil-json-syntax.h"

#include "vigil-reader.h"
#include "vigil-reader-private.h"

/* ------------------------------------------------------------------ */
/* Checking the raw text                                               */
/* ------------------------------------------------------------------ */

/* json-glib recurses once per level, takes much more than JSON (see
 * vigil-json-syntax.h) and wraps integers beyond gint64 round
 * (9223372036854775808 reads as G_MININT64). So, before parsing, the text
 * is checked to be standard JSON no deeper than VIGIL_READER_MAX_DEPTH, and
 * every integer literal out of range is marked so that it can be rewritten
 * as a float (which then clamps). */

/* The text with ".0" after every overflowing integer. */
static char *
rewrite_overflows (const char *text,
                   gsize       len,
                   GArray     *overflows,
                   gsize      *out_len)
{
  GString *out = g_string_sized_new (len + overflows->len * 2);
  gsize from = 0;

  for (guint i = 0; i < overflows->len; i++)
    {
      gsize at = g_array_index (overflows, gsize, i);

      g_string_append_len (out, text + from, at - from);
      g_string_append (out, ".0");
      from = at;
    }
  g_string_append_len (out, text + from, len - from);

  *out_len = out->len;
  return g_string_free (out, FALSE);
}

/* ------------------------------------------------------------------ */
/* Reading values                                                      */
/* ------------------------------------------------------------------ */

static gint64
clamp_to_int64 (double value)
{
  g_assert (isfinite (value));

  /* (double) G_MAXINT64 is 2^63, itself out of range: compare before the
   * cast, which is only defined for values that fit. */
  if (value >= 9223372036854775807.0)
    return G_MAXINT64;
  if (value <= -9223372036854775808.0)
    return G_MININT64;
  return (gint64) value;
}

static JsonNode *
member (JsonObject *object,
        const char *name)
{
  if (object == NULL)
    return NULL;

  return json_object_get_member (object, name);
}

static GType
value_type (JsonNode *node)
{
  if (node == NULL || !JSON_NODE_HOLDS_VALUE (node))
    return G_TYPE_INVALID;

  return json_node_get_value_type (node);
}

/* A finite number, integer or float; FALSE for anything else. */
static gboolean
get_number (JsonObject *object,
            const char *name,
            double     *out)
{
  JsonNode *node = member (object, name);
  GType type = value_type (node);

  if (type == G_TYPE_INT64)
    *out = (double) json_node_get_int (node);
  else if (type == G_TYPE_DOUBLE)
    *out = json_node_get_double (node);
  else
    return FALSE;

  return isfinite (*out);
}

static gboolean
get_int64 (JsonObject *object,
           const char *name,
           gint64     *out)
{
  JsonNode *node = member (object, name);
  double value;

  if (value_type (node) == G_TYPE_INT64)
    {
      *out = json_node_get_int (node);
      return TRUE;
    }

  if (!get_number (object, name, &value))
    return FALSE;

  *out = clamp_to_int64 (value);
  return TRUE;
}

/* A fraction: clamped to 0..1, or VIGIL_UNKNOWN. */
static double
read_fraction (JsonObject *object,
               const char *name)
{
  double value;

  if (!get_number (object, name, &value))
    return VIGIL_UNKNOWN;

  return CLAMP (value, 0.0, 1.0);
}

/* A duration or an estimate: >= 0, or VIGIL_UNKNOWN. */
static double
read_amount (JsonObject *object,
             const char *name)
{
  double value;

  if (!get_number (object, name, &value) || value < 0)
    return VIGIL_UNKNOWN;

  return value;
}

/* A count: >= 0, or fallback. */
static gint64
read_count (JsonObject *object,
            const char *name,
            gint64      fallback)
{
  gint64 value;

  if (!get_int64 (object, name, &value) || value < 0)
    return fallback;

  return value;
}

/* An id: a number or a decimal string, or -1. */
static gint64
read_id (JsonObject *object,
         const char *name)
{
  JsonNode *node = member (object, name);
  gint64 value;

  if (value_type (node) == G_TYPE_STRING &&
      g_ascii_string_to_signed (json_node_get_string (node), 10, 0, G_MAXINT64, &value, NULL))
    return value;

  if (!get_int64 (object, name, &value) || value < 0)
    return -1;

  return value;
}

/* A string made valid UTF-8 (a lone "\ud800" escape is not), or NULL. */
static char *
read_string (JsonObject *object,
             const char *name)
{
  JsonNode *node = member (object, name);

  if (value_type (node) != G_TYPE_STRING)
    return NULL;

  return g_utf8_make_valid (json_node_get_string (node), -1);
}

/* A non-empty string, or NULL. */
static char *
read_text (JsonObject *object,
           const char *name)
{
  g_autofree char *text = read_string (object, name);

  if (text == NULL || text[0] == '\0')
    return NULL;

  return g_steal_pointer (&text);
}

/* Job ids are opaque strings; an integer is taken as its decimal text. */
static char *
read_job_id (JsonObject *object)
{
  JsonNode *node = member (object, "job_id");

  if (value_type (node) == G_TYPE_INT64)
    return g_strdup_printf ("%" G_GINT64_FORMAT, json_node_get_int (node));

  return read_text (object, "job_id");
}

static gboolean
read_boolean (JsonObject *object,
              const char *name)
{
  JsonNode *node = member (object, name);
  GType type = value_type (node);

  if (type == G_TYPE_BOOLEAN)
    return json_node_get_boolean (node);
  if (type == G_TYPE_INT64)
    return json_node_get_int (node) != 0;

  return FALSE;
}

static GDateTime *
read_timestamp (JsonObject *object,
                const char *name)
{
  g_autofree char *text = read_string (object, name);

  return vigil_reader_parse_timestamp (text);
}

static JsonObject *
read_object (JsonObject *object,
             const char *name)
{
  JsonNode *node = member (object, name);

  if (node == NULL || !JSON_NODE_HOLDS_OBJECT (node))
    return NULL;

  return json_node_get_object (node);
}

static VigilJobStatus
read_status (JsonObject *object,
             const char *name)
{
  g_autofree char *text = read_string (object, name);

  return vigil_job_status_from_string (text);
}

static VigilJobKind
read_kind (JsonObject *object)
{
  g_autofree char *text = read_string (object, "job_type");

  return vigil_job_kind_from_string (text);
}

/* "HIGH", "medium", … or the queue's numbers 1 (high) to 3 (low). */
static VigilPriority
read_priority (JsonObject *object)
{
  g_autofree char *text = read_string (object, "priority");
  gint64 number;

  if (text != NULL)
    return vigil_priority_from_string (text);

  if (get_int64 (object, "priority", &number) && number >= 1 && number <= 3)
    return (VigilPriority) (VIGIL_PRIORITY_HIGH + (number - 1));

  return VIGIL_PRIORITY_UNKNOWN;
}

/* ------------------------------------------------------------------ */
/* Objects                                                             */
/* ------------------------------------------------------------------ */

static VigilSongRef *
parse_song_ref (JsonObject *object)
{
  VigilSongRef *ref = vigil_song_ref_new ();

  ref->id = read_id (object, "id");
  ref->title = read_text (object, "title");
  ref->artist = read_text (object, "artist");
  return ref;
}

static void
parse_progress_metadata (VigilProgress *progress,
                         JsonObject    *metadata)
{
  JsonObject *song = read_object (metadata, "current_song");

  progress->has_metadata = TRUE;
  progress->total_songs = read_count (metadata, "total_songs", -1);
  progress->processed_songs = read_count (metadata, "processed_songs", -1);
  progress->current_song = song != NULL ? parse_song_ref (song) : NULL;
  progress->song_progress = read_fraction (metadata, "song_progress");
}

/* The newer field name first, then the documented (older) one. */
static double
read_progress_fraction (JsonObject *object)
{
  double fraction = read_fraction (object, "current_progress");

  if (fraction == VIGIL_UNKNOWN)
    fraction = read_fraction (object, "progress");

  return fraction;
}

static char *
read_progress_message (JsonObject *object)
{
  char *message = read_text (object, "current_message");

  return message != NULL ? message : read_text (object, "message");
}

VigilProgress *
vigil_reader_parse_progress (JsonObject *object)
{
  VigilProgress *p = vigil_progress_new ();
  JsonObject *metadata = read_object (object, "metadata");

  p->job_id = read_job_id (object);
  p->kind = read_kind (object);
  p->total_items = read_count (object, "total_items", 0);
  p->completed_items = read_count (object, "completed_items", 0);
  p->fraction = read_progress_fraction (object);
  p->start_time = read_timestamp (object, "start_time");
  p->estimated_duration_per_item = read_amount (object, "estimated_duration_per_item");
  p->step_raw = read_string (object, "current_step");
  p->step = vigil_step_from_string (p->step_raw);
  p->step_progress = read_fraction (object, "step_progress");
  p->message = read_progress_message (object);
  p->is_complete = read_boolean (object, "is_complete");
  p->eta_seconds = read_amount (object, "eta_seconds");
  p->status = read_status (object, "status");

  if (metadata != NULL)
    parse_progress_metadata (p, metadata);

  return p;
}

/* The song, playlist or user the job is about. */
static gint64
read_target_id (JsonObject *metadata)
{
  static const char * const names[] = { "song_id", "playlist_id", "user_id" };

  for (guint i = 0; i < G_N_ELEMENTS (names); i++)
    {
      gint64 id = read_id (metadata, names[i]);

      if (id >= 0)
        return id;
    }

  return -1;
}

static void
parse_job_metadata (VigilJobRecord *record,
                    JsonObject     *metadata)
{
  record->song_title = read_text (metadata, "song_title");
  record->artist = read_text (metadata, "artist");
  record->playlist_name = read_text (metadata, "playlist_name");
  record->target_id = read_target_id (metadata);
}

/* job.progress: the progress object while one exists, else a number. */
static void
parse_job_progress (VigilJobRecord *record,
                    JsonObject     *job)
{
  JsonObject *object = read_object (job, "progress");

  if (object == NULL)
    {
      record->fraction = read_fraction (job, "progress");
      return;
    }

  record->progress = vigil_reader_parse_progress (object);
  record->fraction = record->progress->fraction;
  if (record->progress->job_id == NULL)
    record->progress->job_id = g_strdup (record->job_id);
}

VigilJobRecord *
vigil_reader_parse_job_record (JsonObject *object)
{
  VigilJobRecord *r = vigil_job_record_new ();

  r->job_id = read_job_id (object);
  r->status = read_status (object, "status");
  r->kind = read_kind (object);
  r->priority = read_priority (object);
  r->created_at = read_timestamp (object, "created_at");
  r->started_at = read_timestamp (object, "started_at");
  parse_job_metadata (r, read_object (object, "metadata"));
  parse_job_progress (r, object);
  r->estimated_completion_minutes = read_amount (object, "estimated_completion_minutes");
  r->error_message = read_text (object, "error_message");
  r->status_raw = read_text (object, "status");
  r->job_type_raw = read_text (object, "job_type");
  r->priority_raw = read_text (object, "priority");
  return r;
}

static VigilJobRecord *
read_job_record (JsonObject *object,
                 const char *name)
{
  JsonObject *job = read_object (object, name);

  return job != NULL ? vigil_reader_parse_job_record (job) : NULL;
}

/* ------------------------------------------------------------------ */
/* Whole answers                                                       */
/* ------------------------------------------------------------------ */

static gboolean
says_failure (JsonObject *root)
{
  JsonNode *success = member (root, "success");
  g_autofree char *status = read_string (root, "status");

  if (value_type (success) == G_TYPE_BOOLEAN && !json_node_get_boolean (success))
    return TRUE;

  return status != NULL && g_ascii_strcasecmp (status, "error") == 0;
}

static JsonObject *
root_object (JsonNode *root)
{
  if (root == NULL || !JSON_NODE_HOLDS_OBJECT (root))
    return NULL;

  return json_node_get_object (root);
}

/* An answer without what it should carry: the server's own word when it
 * says it failed, else a protocol error (protocol_message). */
static void
set_shape_error (JsonNode   *root,
                 const char *protocol_message,
                 GError    **error)
{
  g_autofree char *message = vigil_reader_parse_error_message (root);
  JsonObject *object = root_object (root);

  if (object != NULL && says_failure (object))
    g_set_error (error, VIGIL_API_ERROR, VIGIL_API_ERROR_SERVER,
                 /* Translators: %s is the server's own error message */
                 _("The server reported an error: %s"),
                 message != NULL ? message : _("no details given"));
  else
    g_set_error_literal (error, VIGIL_API_ERROR, VIGIL_API_ERROR_PROTOCOL, protocol_message);
}

static void
set_missing_error (JsonNode   *root,
                   const char *name,
                   GError    **error)
{
  /* Translators: %s is a JSON member name such as "progress" */
  g_autofree char *text = g_strdup_printf (_("The server's answer has no “%s” object"), name);

  set_shape_error (root, text, error);
}

/* The object member name of the root, or NULL with an error. */
static JsonObject *
require_object (JsonNode   *root,
                const char *name,
                GError    **error)
{
  JsonObject *object = read_object (root_object (root), name);

  if (object == NULL)
    set_missing_error (root, name, error);

  return object;
}

VigilProgress *
vigil_reader_parse_progress_response (JsonNode  *root,
                                      GError   **error)
{
  JsonObject *object;

  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  object = require_object (root, "progress", error);
  return object != NULL ? vigil_reader_parse_progress (object) : NULL;
}

VigilJobRecord *
vigil_reader_parse_job_status_response (JsonNode  *root,
                                        GError   **error)
{
  JsonObject *object;

  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  object = require_object (root, "job", error);
  return object != NULL ? vigil_reader_parse_job_record (object) : NULL;
}

VigilProgress *
vigil_reader_parse_active_job (const char *key,
                               JsonNode   *node)
{
  VigilProgress *progress;

  if (!JSON_NODE_HOLDS_OBJECT (node))
    return NULL;

  progress = vigil_reader_parse_progress (json_node_get_object (node));
  if (progress->job_id == NULL && key != NULL && key[0] != '\0')
    progress->job_id = g_utf8_make_valid (key, -1);

  return progress;
}

static void
add_active_job (GPtrArray  *jobs,
                const char *key,
                JsonNode   *node)
{
  VigilProgress *progress = vigil_reader_parse_active_job (key, node);

  if (progress != NULL)
    g_ptr_array_add (jobs, progress);
}

static void
add_active_member (JsonObject  *object,
                   const char  *key,
                   JsonNode    *node,
                   gpointer     user_data)
{
  add_active_job (user_data, key, node);
}

static void
add_active_element (JsonArray *array,
                    guint      index,
                    JsonNode  *node,
                    gpointer   user_data)
{
  add_active_job (user_data, NULL, node);
}

GPtrArray *
vigil_reader_parse_active_progress_response (JsonNode  *root,
                                             GError   **error)
{
  JsonNode *node = member (root_object (root), "active_jobs");
  g_autoptr(GPtrArray) jobs = NULL;

  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  jobs = g_ptr_array_new_with_free_func ((GDestroyNotify) vigil_progress_free);
  if (node != NULL && JSON_NODE_HOLDS_OBJECT (node))
    json_object_foreach_member (json_node_get_object (node), add_active_member, jobs);
  else if (node != NULL && JSON_NODE_HOLDS_ARRAY (node))
    json_array_foreach_element (json_node_get_array (node), add_active_element, jobs);
  else
    {
      set_missing_error (root, "active_jobs", error);
      return NULL;
    }

  return g_steal_pointer (&jobs);
}

VigilStartResult *
vigil_reader_parse_start_response (JsonNode  *root,
                                   GError   **error)
{
  JsonObject *object = root_object (root);
  g_autoptr(VigilStartResult) result = NULL;

  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  result = vigil_start_result_new ();
  result->job_id = read_job_id (object);
  result->queued_count = read_count (object, "queued_count", -1);
  result->message = read_text (object, "message");
  result->song_id = read_id (object, "song_id");
  result->user_id = read_id (object, "user_id");

  /* No job_id is fine only when the server says it queued nothing. */
  if (result->job_id == NULL && result->queued_count != 0)
    {
      set_shape_error (root, _("The server accepted the request but named no job to follow"),
                       error);
      return NULL;
    }

  return g_steal_pointer (&result);
}

static void
read_priority_breakdown (VigilQueueStatus *status,
                         JsonObject       *breakdown)
{
  g_autoptr(GList) names = json_object_get_members (breakdown);

  for (GList *l = names; l != NULL; l = l->next)
    {
      gint64 count = read_count (breakdown, l->data, -1);

      switch (vigil_priority_from_string (l->data))
        {
        case VIGIL_PRIORITY_HIGH:
          status->priority_high = count;
          break;
        case VIGIL_PRIORITY_MEDIUM:
          status->priority_medium = count;
          break;
        case VIGIL_PRIORITY_LOW:
          status->priority_low = count;
          break;
        case VIGIL_PRIORITY_UNKNOWN:
        default:
          break;
        }
    }
}

VigilQueueStatus *
vigil_reader_parse_queue_status_response (JsonNode  *root,
                                          GError   **error)
{
  JsonObject *queue;
  JsonObject *breakdown;
  VigilQueueStatus *s;

  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  if ((queue = require_object (root, "queue", error)) == NULL)
    return NULL;

  s = vigil_queue_status_new ();
  s->total_jobs = read_count (queue, "total_jobs", -1);
  s->pending_jobs = read_count (queue, "pending_jobs", -1);
  s->in_progress_jobs = read_count (queue, "in_progress_jobs", -1);
  s->completed_jobs = read_count (queue, "completed_jobs", -1);
  s->failed_jobs = read_count (queue, "failed_jobs", -1);
  if ((breakdown = read_object (queue, "priority_breakdown")) != NULL)
    read_priority_breakdown (s, breakdown);
  s->estimated_completion_minutes = read_amount (queue, "estimated_completion_minutes");
  s->active_job = read_job_record (queue, "active_job");
  return s;
}

VigilWorkerHealth *
vigil_reader_parse_worker_health_response (JsonNode  *root,
                                           GError   **error)
{
  JsonObject *worker;
  g_autofree char *status = NULL;
  VigilWorkerHealth *h;

  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  if ((worker = require_object (root, "worker", error)) == NULL)
    return NULL;

  h = vigil_worker_health_new ();
  if ((status = read_text (worker, "status")) != NULL)
    {
      g_free (h->status);
      h->status = g_ascii_strdown (status, -1);
      h->status_raw = g_steal_pointer (&status);
    }
  h->uptime_seconds = read_amount (worker, "uptime_seconds");
  h->jobs_processed = read_count (worker, "jobs_processed", -1);
  h->jobs_failed = read_count (worker, "jobs_failed", -1);
  h->jobs_interrupted = read_count (worker, "jobs_interrupted", -1);
  h->last_heartbeat = read_timestamp (worker, "last_heartbeat");
  h->current_job = read_job_record (worker, "current_job");
  return h;
}

/* status_counts: {"pending": 3, "IN_PROGRESS": 1, …}; other statuses ignored */
static void
read_status_counts (VigilQueueHealth *h,
                    JsonObject       *counts)
{
  g_autoptr(GList) names = json_object_get_members (counts);

  for (GList *l = names; l != NULL; l = l->next)
    {
      gint64 count = read_count (counts, l->data, -1);

      switch (vigil_job_status_from_string (l->data))
        {
        case VIGIL_JOB_STATUS_PENDING:
          h->pending_jobs = count;
          break;
        case VIGIL_JOB_STATUS_IN_PROGRESS:
          h->in_progress_jobs = count;
          break;
        case VIGIL_JOB_STATUS_COMPLETED:
          h->completed_jobs = count;
          break;
        case VIGIL_JOB_STATUS_FAILED:
          h->failed_jobs = count;
          break;
        case VIGIL_JOB_STATUS_UNKNOWN:
        case VIGIL_JOB_STATUS_INTERRUPTED:
        case VIGIL_JOB_STATUS_CANCELLED:
        default:
          break;
        }
    }
}

static char **
read_issues (JsonObject *object)
{
  JsonNode *node = member (object, "issues");
  g_autoptr(GStrvBuilder) builder = NULL;
  JsonArray *array;

  if (node == NULL || !JSON_NODE_HOLDS_ARRAY (node))
    return NULL;

  builder = g_strv_builder_new ();
  array = json_node_get_array (node);
  for (guint i = 0; i < json_array_get_length (array); i++)
    {
      JsonNode *element = json_array_get_element (array, i);

      g_autofree char *text = NULL;

      if (value_type (element) != G_TYPE_STRING)
        continue;
      text = g_utf8_make_valid (json_node_get_string (element), -1);
      g_strv_builder_add (builder, text);
    }
  return g_strv_builder_end (builder);
}

/* queue_health: {"issues": […], "queue_status": {"status_counts": {…},
 * "total_jobs": n}} (counts found directly in queue_health are read too) */
static void
read_queue_health_details (VigilQueueHealth *h,
                           JsonObject       *details)
{
  JsonObject *queue_status = read_object (details, "queue_status");
  JsonObject *counts;

  if (queue_status == NULL)
    queue_status = details;

  h->issues = read_issues (details);
  h->total_jobs = read_count (queue_status, "total_jobs", -1);
  if ((counts = read_object (queue_status, "status_counts")) != NULL)
    read_status_counts (h, counts);
}

VigilQueueHealth *
vigil_reader_parse_queue_health_response (JsonNode  *root,
                                          guint      http_status,
                                          GError   **error)
{
  JsonObject *object = root_object (root);
  JsonNode *details;
  VigilQueueHealth *h;

  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  if (object == NULL)
    {
      set_shape_error (root, _("The server's answer is not a JSON object"), error);
      return NULL;
    }

  h = vigil_queue_health_new ();
  h->status = read_text (object, "status");
  h->healthy = http_status == 200 && h->status != NULL &&
               g_ascii_strcasecmp (h->status, "success") == 0;
  details = member (object, "queue_health");
  if (details != NULL && !JSON_NODE_HOLDS_NULL (details))
    {
      /* Strings json-glib read from lone surrogates are not UTF-8. */
      g_autofree char *json = json_to_string (details, FALSE);

      h->details = g_utf8_make_valid (json, -1);
    }
  read_queue_health_details (h, read_object (object, "queue_health"));
  return h;
}

char *
vigil_reader_parse_cleanup_response (JsonNode  *root,
                                     GError   **error)
{
  JsonObject *object = root_object (root);
  char *message;

  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  if (object == NULL || says_failure (object))
    {
      set_shape_error (root, _("The server's answer is not a JSON object"), error);
      return NULL;
    }

  message = read_text (object, "message");
  return message != NULL ? message : g_strdup (_("Stale progress records were cleaned up"));
}

char *
vigil_reader_parse_error_message (JsonNode *root)
{
  JsonObject *object = root_object (root);
  char *text;

  if ((text = read_text (object, "message")) != NULL)
    return text;
  if ((text = read_text (object, "error")) != NULL)
    return text;

  return read_text (read_object (object, "error"), "message");
}

/* ------------------------------------------------------------------ */
/* Bodies and timestamps                                               */
/* ------------------------------------------------------------------ */

static gboolean
is_blank (const char *text,
          gsize       len)
{
  for (gsize i = 0; i < len; i++)
    if (!g_ascii_isspace (text[i]))
      return FALSE;

  return TRUE;
}

static gboolean
check_text (const char *text,
            gsize       len,
            GError    **error)
{
  if (len == 0 || is_blank (text, len))
    {
      g_set_error (error, VIGIL_API_ERROR, VIGIL_API_ERROR_PROTOCOL,
                   _("The server's answer is empty"));
      return FALSE;
    }

  /* Also refuses NUL bytes inside the text. */
  if (!g_utf8_validate (text, len, NULL))
    {
      vigil_reader_set_not_utf8_error (error);
      return FALSE;
    }

  return TRUE;
}

static JsonNode *
parse_text (const char *text,
            gsize       len,
            GError    **error)
{
  g_autoptr(JsonParser) parser = json_parser_new_immutable ();
  g_autoptr(GError) local_error = NULL;
  JsonNode *root;

  if (!json_parser_load_from_data (parser, text, len, &local_error))
    {
      g_debug ("Not JSON: %s", local_error->message);
      g_set_error (error, VIGIL_API_ERROR, VIGIL_API_ERROR_PROTOCOL,
                   _("The server's answer is not JSON"));
      return NULL;
    }

  root = json_parser_get_root (parser);
  if (root == NULL || !JSON_NODE_HOLDS_OBJECT (root))
    {
      g_set_error (error, VIGIL_API_ERROR, VIGIL_API_ERROR_PROTOCOL,
                   _("The server's answer is not a JSON object"));
      return NULL;
    }

  return json_node_ref (root);
}

/* Whether the text may go to json-glib; sets an error when not. */
gboolean
vigil_reader_check_syntax (const char  *text,
                           gsize        len,
                           guint        max_depth,
                           GArray      *overflows,
                           GError     **error)
{
  gsize offset = 0;

  switch (vigil_json_syntax_check (text, len, max_depth, overflows, &offset))
    {
    case VIGIL_JSON_SYNTAX_OK:
      return TRUE;
    case VIGIL_JSON_SYNTAX_TOO_DEEP:
      g_set_error (error, VIGIL_API_ERROR, VIGIL_API_ERROR_PROTOCOL,
                   _("The server's answer is nested too deeply (more than %d levels)"),
                   VIGIL_READER_MAX_DEPTH);
      return FALSE;
    case VIGIL_JSON_SYNTAX_INVALID:
    default:
      g_debug ("Not standard JSON at byte %" G_GSIZE_FORMAT, offset);
      g_set_error (error, VIGIL_API_ERROR, VIGIL_API_ERROR_PROTOCOL,
                   _("The server's answer is not JSON"));
      return FALSE;
    }
}

void
vigil_reader_set_not_utf8_error (GError **error)
{
  g_set_error (error, VIGIL_API_ERROR, VIGIL_API_ERROR_PROTOCOL,
               _("The server's answer is not valid UTF-8 text"));
}

JsonNode *
vigil_reader_parse_checked (const char  *text,
                            gsize        len,
                            GArray      *overflows,
                            GError     **error)
{
  g_autofree char *rewritten = NULL;

  if (overflows != NULL && overflows->len > 0)
    text = rewritten = rewrite_overflows (text, len, overflows, &len);

  return parse_text (text, len, error);
}

JsonNode *
vigil_reader_parse_bytes (GBytes  *body,
                          GError **error)
{
  g_autoptr(GArray) overflows = g_array_new (FALSE, FALSE, sizeof (gsize));
  const char *text;
  gsize len = 0;

  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  text = body != NULL ? g_bytes_get_data (body, &len) : NULL;
  /* Some Windows-hosted servers start with a byte order mark. */
  if (len >= 3 && memcmp (text, "\xef\xbb\xbf", 3) == 0)
    {
      text += 3;
      len -= 3;
    }

  if (!check_text (text, len, error) ||
      !vigil_reader_check_syntax (text, len, VIGIL_READER_MAX_DEPTH, overflows, error))
    return NULL;

  return vigil_reader_parse_checked (text, len, overflows, error);
}

GDateTime *
vigil_reader_parse_timestamp (const char *str)
{
  g_autoptr(GTimeZone) utc = NULL;
  g_autoptr(GDateTime) date = NULL;
  g_autofree char *upper = NULL;

  if (str == NULL || str[0] == '\0')
    return NULL;

  /* GLib wants the 'T' and 'Z' of ISO 8601 in upper case. */
  upper = g_ascii_strup (str, -1);
  utc = g_time_zone_new_utc ();
  date = g_date_time_new_from_iso8601 (g_strstrip (upper), utc);
  if (date == NULL)
    date = soup_date_time_new_from_http_string (str);
  if (date == NULL)
    return NULL;

  return g_date_time_to_utc (date);
}
