/* vigilctl-output.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <glib/gi18n.h>
#include <math.h>
#include <string.h>

#include "vigilctl-output.h"

/* ------------------------------------------------------------------ */
/* JSON                                                                */
/* ------------------------------------------------------------------ */

void
vigilctl_print_json (JsonNode *node)
{
  g_autoptr(JsonGenerator) gen = json_generator_new ();
  g_autofree char *text = NULL;

  json_generator_set_root (gen, node);
  text = json_generator_to_data (gen, NULL);
  g_print ("%s\n", text);
}

static void
add_string (JsonBuilder *b,
            const char  *name,
            const char  *value)
{
  json_builder_set_member_name (b, name);
  if (value != NULL)
    json_builder_add_string_value (b, value);
  else
    json_builder_add_null_value (b);
}

static void
add_int (JsonBuilder *b,
         const char  *name,
         gint64       value)
{
  json_builder_set_member_name (b, name);
  if (value >= 0)
    json_builder_add_int_value (b, value);
  else
    json_builder_add_null_value (b);
}

static void
add_double (JsonBuilder *b,
            const char  *name,
            double       value)
{
  json_builder_set_member_name (b, name);
  if (value >= 0)
    json_builder_add_double_value (b, value);
  else
    json_builder_add_null_value (b);
}

static void
add_date (JsonBuilder *b,
          const char  *name,
          GDateTime   *value)
{
  g_autofree char *text = value ? g_date_time_format_iso8601 (value) : NULL;

  add_string (b, name, text);
}

JsonNode *
vigilctl_start_to_json (const VigilStartResult *result)
{
  g_autoptr(JsonBuilder) b = json_builder_new ();

  /* "state" and "fraction" as in the lines of a watch, so that every line
   * of "analyze --follow --json" carries them. */
  json_builder_begin_object (b);
  add_string (b, "job_id", result->job_id);
  add_string (b, "state", result->job_id != NULL ? "queued" : NULL);
  add_double (b, "fraction", VIGIL_UNKNOWN);
  add_int (b, "queued_count", result->queued_count);
  add_string (b, "message", result->message);
  json_builder_end_object (b);
  return json_builder_get_root (b);
}

JsonNode *
vigilctl_record_to_json (const VigilJobRecord *r)
{
  g_autoptr(JsonBuilder) b = json_builder_new ();
  const VigilProgress *p = r->progress;

  json_builder_begin_object (b);
  add_string (b, "job_id", r->job_id);
  add_string (b, "status", vigil_job_status_to_string (r->status));
  add_string (b, "job_type", vigil_job_kind_to_string (r->kind));
  add_string (b, "priority", vigil_priority_to_string (r->priority));
  add_double (b, "fraction", r->fraction);
  add_string (b, "step", p ? vigil_step_to_string (p->step) : NULL);
  add_string (b, "message", p ? p->message : NULL);
  add_double (b, "eta_seconds", p ? p->eta_seconds : VIGIL_UNKNOWN);
  add_int (b, "completed_items", p ? p->completed_items : -1);
  add_int (b, "total_items", p ? p->total_items : -1);
  add_string (b, "song_title", r->song_title);
  add_string (b, "artist", r->artist);
  add_string (b, "playlist_name", r->playlist_name);
  add_date (b, "created_at", r->created_at);
  add_date (b, "started_at", r->started_at);
  add_string (b, "error_message", r->error_message);
  json_builder_end_object (b);
  return json_builder_get_root (b);
}

JsonNode *
vigilctl_queue_to_json (const VigilQueueStatus *q)
{
  g_autoptr(JsonBuilder) b = json_builder_new ();

  json_builder_begin_object (b);
  add_int (b, "total_jobs", q->total_jobs);
  add_int (b, "pending_jobs", q->pending_jobs);
  add_int (b, "in_progress_jobs", q->in_progress_jobs);
  add_int (b, "completed_jobs", q->completed_jobs);
  add_int (b, "failed_jobs", q->failed_jobs);
  json_builder_set_member_name (b, "priority_breakdown");
  json_builder_begin_object (b);
  add_int (b, "HIGH", q->priority_high);
  add_int (b, "MEDIUM", q->priority_medium);
  add_int (b, "LOW", q->priority_low);
  json_builder_end_object (b);
  add_double (b, "estimated_completion_minutes", q->estimated_completion_minutes);
  json_builder_set_member_name (b, "active_job");
  if (q->active_job != NULL)
    json_builder_add_value (b, vigilctl_record_to_json (q->active_job));
  else
    json_builder_add_null_value (b);
  json_builder_end_object (b);
  return json_builder_get_root (b);
}

JsonNode *
vigilctl_worker_to_json (const VigilWorkerHealth *w)
{
  g_autoptr(JsonBuilder) b = json_builder_new ();

  json_builder_begin_object (b);
  add_string (b, "status", w->status);
  add_double (b, "uptime_seconds", w->uptime_seconds);
  add_int (b, "jobs_processed", w->jobs_processed);
  add_int (b, "jobs_failed", w->jobs_failed);
  add_int (b, "jobs_interrupted", w->jobs_interrupted);
  add_date (b, "last_heartbeat", w->last_heartbeat);
  json_builder_set_member_name (b, "current_job");
  if (w->current_job != NULL)
    json_builder_add_value (b, vigilctl_record_to_json (w->current_job));
  else
    json_builder_add_null_value (b);
  json_builder_end_object (b);
  return json_builder_get_root (b);
}

const char *
vigilctl_server_state_name (VigilServerState state)
{
  switch (state)
    {
    case VIGIL_SERVER_STATE_QUEUED: return "queued";
    case VIGIL_SERVER_STATE_RUNNING: return "running";
    case VIGIL_SERVER_STATE_SUCCEEDED: return "succeeded";
    case VIGIL_SERVER_STATE_FAILED: return "failed";
    case VIGIL_SERVER_STATE_LOST: return "lost";
    case VIGIL_SERVER_STATE_NOT_FOUND: return "not-found";
    default: return "unknown";
    }
}

JsonNode *
vigilctl_job_to_json (VigilJob *job)
{
  g_autoptr(JsonBuilder) b = json_builder_new ();

  json_builder_begin_object (b);
  add_string (b, "job_id", vigil_job_get_job_id (job));
  add_string (b, "title", vigil_job_get_title (job));
  add_string (b, "state", vigilctl_server_state_name (vigil_job_get_server_state (job)));
  add_double (b, "fraction", vigil_job_get_fraction (job));
  add_string (b, "step", vigil_step_to_string (vigil_job_get_step (job)));
  add_string (b, "message", vigil_job_get_message (job));
  add_double (b, "eta_seconds", vigil_job_get_eta_seconds (job));
  add_int (b, "completed_items", vigil_job_get_completed_items (job));
  add_int (b, "total_items", vigil_job_get_total_items (job));
  add_string (b, "error_message", vigil_job_get_error_message (job));
  add_string (b, "tracking_error", vigil_job_get_tracking_error (job));
  json_builder_end_object (b);
  return json_builder_get_root (b);
}

/* ------------------------------------------------------------------ */
/* Human                                                               */
/* ------------------------------------------------------------------ */

/* Field names are padded to this many columns, so that values line up. */
#define LABEL_WIDTH 10

char *
vigilctl_format_percent (double fraction)
{
  if (fraction < 0)
    return g_strdup ("—");
  return g_strdup_printf ("%d%%", (int) (fraction * 100 + 0.5 - 1e-9));
}

static guint
char_width (gunichar c)
{
  if (g_unichar_iszerowidth (c))
    return 0;
  return g_unichar_iswide (c) ? 2 : 1;
}

guint
vigilctl_text_width (const char *text)
{
  guint width = 0;

  g_return_val_if_fail (text != NULL, 0);

  /* Job ids come from the command line and may be any bytes. */
  if (!g_utf8_validate (text, -1, NULL))
    return strlen (text);

  for (const char *p = text; *p != '\0'; p = g_utf8_next_char (p))
    width += char_width (g_utf8_get_char (p));
  return width;
}

void
vigilctl_append_padded (GString    *out,
                        const char *text,
                        guint       width,
                        gboolean    align_right)
{
  guint text_width;

  g_return_if_fail (out != NULL && text != NULL);

  text_width = vigilctl_text_width (text);
  if (!align_right)
    g_string_append (out, text);
  for (guint i = text_width; i < width; i++)
    g_string_append_c (out, ' ');
  if (align_right)
    g_string_append (out, text);
}

char *
vigilctl_truncate (const char *text,
                   guint       max_width)
{
  const char *p = text;
  guint width = 0;

  g_return_val_if_fail (text != NULL, NULL);

  if (vigilctl_text_width (text) <= max_width)
    return g_strdup (text);
  if (max_width == 0)
    return g_strdup ("");
  if (!g_utf8_validate (text, -1, NULL))
    return g_strndup (text, max_width);

  /* Keep one column for the ellipsis. */
  for (; *p != '\0'; p = g_utf8_next_char (p))
    {
      guint w = char_width (g_utf8_get_char (p));

      if (width + w > max_width - 1)
        break;
      width += w;
    }
  return g_strdup_printf ("%.*s…", (int) (p - text), text);
}

static void
field (const char *name,
       const char *value)
{
  g_autoptr(GString) line = NULL;

  if (value == NULL || value[0] == '\0')
    return;

  line = g_string_new (NULL);
  vigilctl_append_padded (line, name, LABEL_WIDTH, FALSE);
  g_string_append_printf (line, " %s\n", value);
  g_print ("%s", line->str);
}

static void
field_date (const char *name,
            GDateTime  *value)
{
  g_autoptr(GDateTime) local = value ? g_date_time_to_local (value) : NULL;
  g_autofree char *text = local ? g_date_time_format (local, "%Y-%m-%d %H:%M:%S") : NULL;

  field (name, text);
}

void
vigilctl_print_start (const VigilStartResult *result)
{
  if (result->job_id == NULL)
    {
      g_print ("%s\n", result->message ? result->message : _("Nothing to analyze"));
      return;
    }

  if (result->message != NULL)
    g_print ("%s\n", result->message);
  field (_("Job"), result->job_id);
}

void
vigilctl_print_record (const VigilJobRecord *r)
{
  const VigilProgress *p = r->progress;
  g_autofree char *percent = vigilctl_format_percent (r->fraction);
  g_autofree char *items = NULL;
  g_autofree char *step = NULL;

  field (_("Job"), r->job_id);
  field (_("Type"), vigil_job_kind_to_string (r->kind));
  field (_("Status"), vigil_job_status_to_string (r->status));
  field (_("Priority"), vigil_priority_to_string (r->priority));
  if (r->song_title != NULL)
    {
      g_autofree char *song = r->artist ? g_strdup_printf ("%s — %s", r->song_title, r->artist)
                                        : g_strdup (r->song_title);
      field (_("Song"), song);
    }
  field (_("Playlist"), r->playlist_name);
  if (p != NULL && p->total_items > 0)
    items = g_strdup_printf (_("%s (%" G_GINT64_FORMAT " of %" G_GINT64_FORMAT ")"),
                             percent, p->completed_items, p->total_items);
  field (_("Progress"), items ? items : percent);
  if (p != NULL)
    {
      step = vigil_step_format_with_eta (p->step, p->eta_seconds);
      field (_("Step"), step);
      field (_("Message"), p->message);
    }
  field_date (_("Created"), r->created_at);
  field_date (_("Started"), r->started_at);
  field (_("Error"), r->error_message);
}

static char *
count_text (gint64 n)
{
  return n >= 0 ? g_strdup_printf ("%" G_GINT64_FORMAT, n) : g_strdup ("?");
}

static char *
estimate_text (double minutes)
{
  gulong n = (gulong) (minutes + 0.5);

  if (minutes < 0)
    return NULL;
  if (n == 0)
    return g_strdup (_("less than a minute"));
  return g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "about %lu minute", "about %lu minutes", n),
                          n);
}

static char *
record_summary (const VigilJobRecord *r)
{
  if (r == NULL)
    return g_strdup (_("none"));
  return g_strdup_printf ("%s (%s, %s)", r->job_id ? r->job_id : "?",
                          vigil_job_kind_to_string (r->kind),
                          vigil_job_status_to_string (r->status));
}

void
vigilctl_print_queue (const VigilQueueStatus *q)
{
  g_autofree char *total = count_text (q->total_jobs);
  g_autofree char *pending = count_text (q->pending_jobs);
  g_autofree char *running = count_text (q->in_progress_jobs);
  g_autofree char *done = count_text (q->completed_jobs);
  g_autofree char *failed = count_text (q->failed_jobs);
  g_autofree char *high = count_text (q->priority_high);
  g_autofree char *medium = count_text (q->priority_medium);
  g_autofree char *low = count_text (q->priority_low);
  g_autofree char *waiting = NULL;
  g_autofree char *estimate = estimate_text (q->estimated_completion_minutes);
  g_autofree char *active = record_summary (q->active_job);

  /* Translators: pending jobs, then how many of them have each priority */
  waiting = g_strdup_printf (_("%s (high %s, medium %s, low %s)"), pending, high, medium, low);

  field (_("Jobs"), total);
  field (_("Pending"), waiting);
  field (_("Running"), running);
  field (_("Completed"), done);
  field (_("Failed"), failed);
  field (_("Estimate"), estimate);
  field (_("Active"), active);
}

static char *
uptime_text (double seconds)
{
  double minutes = floor (seconds / 60);

  if (seconds < 0)
    return NULL;
  if (minutes < 60)
    return g_strdup_printf (_("%.0f min"), minutes);
  return g_strdup_printf (_("%.0f h %02.0f min"), floor (minutes / 60), fmod (minutes, 60));
}

void
vigilctl_print_worker (const VigilWorkerHealth *w)
{
  g_autofree char *uptime = uptime_text (w->uptime_seconds);
  g_autofree char *processed = NULL;
  g_autofree char *p = count_text (w->jobs_processed);
  g_autofree char *f = count_text (w->jobs_failed);
  g_autofree char *i = count_text (w->jobs_interrupted);
  g_autofree char *current = record_summary (w->current_job);

  processed = g_strdup_printf (_("%s (%s failed, %s interrupted)"), p, f, i);
  field (_("Worker"), w->status);
  field (_("Uptime"), uptime);
  field (_("Processed"), processed);
  field_date (_("Heartbeat"), w->last_heartbeat);
  field (_("Current"), current);
}
