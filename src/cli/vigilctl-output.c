/* vigilctl-output.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <glib/gi18n.h>
#include <math.h>
#include <string.h>

#include "vigil-job-text.h"
#include "vigil-json-builder.h"
#include "vigilctl-json.h"

#include "vigilctl-output.h"

/* ------------------------------------------------------------------ */
/* Client judgements                                                   */
/* ------------------------------------------------------------------ */

static gboolean
record_says_running (const VigilJobRecord *r)
{
  return r->status == VIGIL_JOB_STATUS_IN_PROGRESS ||
         (r->status == VIGIL_JOB_STATUS_UNKNOWN && r->progress != NULL &&
          !vigil_progress_is_terminal (r->progress));
}

/* The server state a record says, or -1 when it does not say. */
static int
record_server_state (const VigilJobRecord *r)
{
  if (r->status == VIGIL_JOB_STATUS_PENDING)
    return VIGIL_SERVER_STATE_QUEUED;
  if (record_says_running (r))
    return VIGIL_SERVER_STATE_RUNNING;
  if (vigil_job_record_is_failure (r) ||
      (r->progress != NULL && vigil_job_status_is_failure (r->progress->status)))
    return VIGIL_SERVER_STATE_FAILED;
  if (r->status == VIGIL_JOB_STATUS_COMPLETED || r->progress != NULL)
    return VIGIL_SERVER_STATE_SUCCEEDED;
  return -1;
}

const char *
vigilctl_record_state (const VigilJobRecord *r)
{
  int state;

  g_return_val_if_fail (r != NULL, NULL);

  state = record_server_state (r);
  return state < 0 ? NULL : vigilctl_server_state_name (state);
}

/* The live service's record says progress 0 once the progress record is
 * gone, whatever the job did: a bare 0 is only believed of a queued job. */
double
vigilctl_record_fraction (const VigilJobRecord *r)
{
  const char *state;

  g_return_val_if_fail (r != NULL, VIGIL_UNKNOWN);

  state = vigilctl_record_state (r);
  if (g_strcmp0 (state, "succeeded") == 0)
    return 1.0;
  if (r->progress != NULL || r->status == VIGIL_JOB_STATUS_PENDING)
    return r->fraction;
  return r->fraction > 0 ? r->fraction : VIGIL_UNKNOWN;
}

char *
vigilctl_record_reason (const VigilJobRecord *r)
{
  g_return_val_if_fail (r != NULL, NULL);

  if (g_strcmp0 (vigilctl_record_state (r), "failed") != 0)
    return NULL;
  if (r->error_message != NULL)
    return g_strdup (r->error_message);
  return g_strdup (vigil_job_text_default_failure (r->status));
}

char *
vigilctl_record_text (const VigilJobRecord *r)
{
  const VigilProgress *p;
  g_autofree char *reason = NULL;
  int state;

  g_return_val_if_fail (r != NULL, NULL);

  state = record_server_state (r);
  if (state < 0)
    return NULL;

  /* A running job without a progress object is "Processing…". */
  p = r->progress;
  reason = vigilctl_record_reason (r);
  return vigil_job_text_state (state, p ? p->step : VIGIL_STEP_OTHER,
                               p ? p->eta_seconds : VIGIL_UNKNOWN, reason, NULL);
}

/* ------------------------------------------------------------------ */
/* JSON                                                                */
/* ------------------------------------------------------------------ */

JsonNode *
vigilctl_start_to_json (const VigilStartResult *result)
{
  g_autoptr(JsonBuilder) b = json_builder_new ();
  g_autofree char *text = vigil_job_text_start (result);

  json_builder_begin_object (b);
  vigil_json_add_string (b, "job_id", result->job_id);
  vigil_json_add_int_or_unknown (b, "queued_count", result->queued_count);
  vigil_json_add_string (b, "message", result->message);
  /* "state" and "fraction" as in the lines of a watch, so that every line
   * of "analyze --follow --json" carries them. */
  vigil_json_add_string (b, "state", result->job_id != NULL ? "queued" : NULL);
  vigil_json_add_double_or_unknown (b, "fraction", VIGIL_UNKNOWN);
  vigil_json_add_string (b, "reason", NULL);
  vigil_json_add_string (b, "text", text);
  json_builder_end_object (b);
  return json_builder_get_root (b);
}

/* The server's string; a priority sent as a number stays a number. */
static void
add_priority (JsonBuilder          *b,
              const VigilJobRecord *r)
{
  if (r->priority_raw != NULL || r->priority == VIGIL_PRIORITY_UNKNOWN)
    vigil_json_add_string (b, "priority", r->priority_raw);
  else
    vigil_json_add_int (b, "priority", r->priority - VIGIL_PRIORITY_HIGH + 1);
}

/* job.progress when it is a bare number; the fields of a progress object
 * are members of their own. */
static double
bare_progress (const VigilJobRecord *r)
{
  return r->progress == NULL ? r->fraction : VIGIL_UNKNOWN;
}

static void
add_progress_fields (JsonBuilder         *b,
                     const VigilProgress *p)
{
  vigil_json_add_string (b, "current_step", p ? p->step_raw : NULL);
  vigil_json_add_string (b, "message", p ? p->message : NULL);
  vigil_json_add_double_or_unknown (b, "eta_seconds", p ? p->eta_seconds : VIGIL_UNKNOWN);
  vigil_json_add_int_or_unknown (b, "completed_items", p ? p->completed_items : -1);
  vigil_json_add_int_or_unknown (b, "total_items", p ? p->total_items : -1);
}

JsonNode *
vigilctl_record_to_json (const VigilJobRecord *r)
{
  g_autoptr(JsonBuilder) b = json_builder_new ();
  g_autofree char *reason = vigilctl_record_reason (r);
  g_autofree char *text = vigilctl_record_text (r);

  json_builder_begin_object (b);
  vigil_json_add_string (b, "job_id", r->job_id);
  vigil_json_add_string (b, "status", r->status_raw);
  vigil_json_add_string (b, "job_type", r->job_type_raw);
  add_priority (b, r);
  vigil_json_add_double_or_unknown (b, "progress", bare_progress (r));
  add_progress_fields (b, r->progress);
  vigil_json_add_string (b, "song_title", r->song_title);
  vigil_json_add_string (b, "artist", r->artist);
  vigil_json_add_string (b, "playlist_name", r->playlist_name);
  vigil_json_add_date (b, "created_at", r->created_at);
  vigil_json_add_date (b, "started_at", r->started_at);
  vigil_json_add_double_or_unknown (b, "estimated_completion_minutes",
                                    r->estimated_completion_minutes);
  vigil_json_add_string (b, "error_message", r->error_message);
  vigil_json_add_string (b, "state", vigilctl_record_state (r));
  vigil_json_add_double_or_unknown (b, "fraction", vigilctl_record_fraction (r));
  vigil_json_add_string (b, "reason", reason);
  vigil_json_add_string (b, "text", text);
  json_builder_end_object (b);
  return json_builder_get_root (b);
}

JsonNode *
vigilctl_worker_to_json (const VigilWorkerHealth *w)
{
  g_autoptr(JsonBuilder) b = json_builder_new ();

  json_builder_begin_object (b);
  vigil_json_add_string (b, "status", w->status_raw);
  vigil_json_add_double_or_unknown (b, "uptime_seconds", w->uptime_seconds);
  vigil_json_add_int_or_unknown (b, "jobs_processed", w->jobs_processed);
  vigil_json_add_int_or_unknown (b, "jobs_failed", w->jobs_failed);
  vigil_json_add_int_or_unknown (b, "jobs_interrupted", w->jobs_interrupted);
  vigil_json_add_date (b, "last_heartbeat", w->last_heartbeat);
  vigil_json_add_node (b, "current_job",
                       w->current_job ? vigilctl_record_to_json (w->current_job) : NULL);
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
    default: return NULL;
    }
}

const char *
vigilctl_tracking_state_name (VigilTrackingState state)
{
  switch (state)
    {
    case VIGIL_TRACKING_STATE_ACTIVE: return "active";
    case VIGIL_TRACKING_STATE_RETRYING: return "retrying";
    case VIGIL_TRACKING_STATE_STALLED: return "stalled";
    case VIGIL_TRACKING_STATE_OFFLINE: return "offline";
    case VIGIL_TRACKING_STATE_STOPPED: return "stopped";
    case VIGIL_TRACKING_STATE_NOT_SIGNED_IN: return "not-signed-in";
    case VIGIL_TRACKING_STATE_SERVER_UNREACHABLE: return "server-unreachable";
    case VIGIL_TRACKING_STATE_SERVER_ERROR: return "server-error";
    default: return NULL;
    }
}

/* Nothing is known of a job the server has not answered about yet. */
static const char *
job_state (const VigilctlJobLine *line)
{
  VigilServerState state = vigil_job_get_server_state (line->job);

  if (line->heard->record == NULL && line->heard->progress == NULL &&
      state != VIGIL_SERVER_STATE_LOST && state != VIGIL_SERVER_STATE_NOT_FOUND)
    return NULL;
  return vigilctl_server_state_name (state);
}

static const char *
job_reason (VigilJob *job)
{
  switch (vigil_job_get_server_state (job))
    {
    case VIGIL_SERVER_STATE_FAILED:
    case VIGIL_SERVER_STATE_LOST:
    case VIGIL_SERVER_STATE_NOT_FOUND:
      return vigil_job_get_error_message (job);
    case VIGIL_SERVER_STATE_QUEUED:
    case VIGIL_SERVER_STATE_RUNNING:
    case VIGIL_SERVER_STATE_SUCCEEDED:
    default:
      return vigil_job_get_tracking_error (job);
    }
}

JsonNode *
vigilctl_job_to_json (const VigilctlJobLine *line)
{
  g_autoptr(JsonBuilder) b = json_builder_new ();
  const VigilJobRecord *record = line->heard->record;
  VigilJob *job = line->job;

  json_builder_begin_object (b);
  vigil_json_add_string (b, "job_id", vigil_job_get_job_id (job));
  vigil_json_add_string (b, "status", record ? record->status_raw : NULL);
  add_progress_fields (b, line->heard->progress);
  vigil_json_add_string (b, "error_message", record ? record->error_message : NULL);
  vigil_json_add_string (b, "title", vigil_job_get_title (job));
  vigil_json_add_string (b, "state", job_state (line));
  vigil_json_add_string (b, "tracking",
                         vigilctl_tracking_state_name (vigil_job_get_tracking_state (job)));
  vigil_json_add_double_or_unknown (b, "fraction", vigil_job_get_fraction (job));
  vigil_json_add_string (b, "reason", job_reason (job));
  vigil_json_add_string (b, "text", line->text);
  vigil_json_add_date (b, "failing_since", line->failing_since);
  json_builder_end_object (b);
  return json_builder_get_root (b);
}

void
vigilctl_print_error (gboolean    json,
                      const char *code,
                      const char *message,
                      ...)
{
  g_autoptr(JsonBuilder) b = NULL;
  g_autoptr(JsonNode) node = NULL;
  va_list args;

  g_printerr ("vigilctl: %s\n", message);
  if (!json)
    return;

  b = json_builder_new ();
  json_builder_begin_object (b);
  json_builder_set_member_name (b, "error");
  json_builder_begin_object (b);
  vigil_json_add_string (b, "code", code);
  vigil_json_add_string (b, "message", message);
  va_start (args, message);
  for (const char *name = va_arg (args, const char *); name != NULL;
       name = va_arg (args, const char *))
    vigil_json_add_string (b, name, va_arg (args, const char *));
  va_end (args);
  json_builder_end_object (b);
  json_builder_end_object (b);
  node = json_builder_get_root (b);
  vigilctl_print_json (node);
}

/* ------------------------------------------------------------------ */
/* Human                                                               */
/* ------------------------------------------------------------------ */

/* Field names are padded to the widest one's width (at least this), in
 * the language shown, so that values line up: German and Spanish names
 * are longer. Every name vigilctl_print_field() is given is listed here. */
#define LABEL_MIN_WIDTH 10

static const char * const field_names[] = {
  N_("Job"), N_("Type"), N_("Status"), N_("Priority"), N_("Song"), N_("Playlist"),
  N_("Progress"), N_("Step"), N_("Message"), N_("Created"), N_("Started"), N_("Error"),
  N_("Worker"), N_("Uptime"), N_("Processed"), N_("Heartbeat"), N_("Current"),
  N_("Jobs"), N_("Pending"), N_("Running"), N_("Completed"), N_("Failed"), N_("Estimate"),
  N_("Active"), N_("Health"), N_("Note"),
};

static guint
label_width (void)
{
  static guint width;

  if (width == 0)
    {
      width = LABEL_MIN_WIDTH;
      for (guint i = 0; i < G_N_ELEMENTS (field_names); i++)
        width = MAX (width, vigilctl_text_width (_(field_names[i])));
    }
  return width;
}

char *
vigilctl_format_estimate (double minutes)
{
  gint64 n = vigil_seconds_to_units (minutes * 60, 60, VIGIL_ROUND_NEAREST);

  if (n < 0)
    return g_strdup (_("unknown"));
  if (n == 0)
    return g_strdup (_("less than a minute"));
  return g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "about %lu minute", "about %lu minutes", n),
                          (gulong) n);
}

/* "3 min", "2 h 05 min" */
static char *
duration_text (gint64 seconds)
{
  if (seconds < 60 * 60)
    return g_strdup_printf (_("%d min"), (int) (seconds / 60));
  return g_strdup_printf (_("%d h %02d min"), (int) MIN (seconds / 3600, G_MAXINT),
                          (int) (seconds / 60 % 60));
}

char *
vigilctl_format_since (GDateTime *since)
{
  g_autoptr(GDateTime) now = g_date_time_new_now_local ();
  g_autoptr(GDateTime) local = NULL;
  g_autofree char *clock = NULL;
  g_autofree char *ago = NULL;
  gint64 seconds;

  g_return_val_if_fail (since != NULL, NULL);

  local = g_date_time_to_local (since);
  seconds = g_date_time_difference (now, local) / G_TIME_SPAN_SECOND;
  clock = g_date_time_format (local, seconds < 12 * 60 * 60 ? "%H:%M:%S" : "%Y-%m-%d %H:%M:%S");
  /* Whole minutes: a line that changes every second would flood a log. */
  if (seconds < 60)
    return g_steal_pointer (&clock);
  ago = duration_text (seconds);
  /* Translators: a time, then how long ago it was: "14:02:11 (3 min)" */
  return g_strdup_printf (_("%s (%s)"), clock, ago);
}

/* The canonical spelling of a value Vigil knows, else the server's own;
 * NULL when the server said nothing. */
static const char *
known_name (const char *canonical,
            const char *raw)
{
  return canonical != NULL ? canonical : raw;
}

static const char *
kind_name (const VigilJobRecord *r)
{
  return known_name (r->kind != VIGIL_JOB_KIND_UNKNOWN ? vigil_job_kind_to_string (r->kind) : NULL,
                     r->job_type_raw);
}

static const char *
status_name (const VigilJobRecord *r)
{
  return known_name (r->status != VIGIL_JOB_STATUS_UNKNOWN ? vigil_job_status_to_string (r->status)
                                                           : NULL,
                     r->status_raw);
}

static const char *
priority_name (const VigilJobRecord *r)
{
  return known_name (r->priority != VIGIL_PRIORITY_UNKNOWN ? vigil_priority_to_string (r->priority)
                                                           : NULL,
                     r->priority_raw);
}

char *
vigilctl_format_record_summary (const VigilJobRecord *r)
{
  const char *parts[2] = { kind_name (r), status_name (r) };
  g_autoptr(GString) text = NULL;
  guint n = 0;

  g_return_val_if_fail (r != NULL, NULL);

  text = g_string_new (r->job_id ? r->job_id : _("a job without an ID"));
  for (guint i = 0; i < G_N_ELEMENTS (parts); i++)
    {
      if (parts[i] == NULL)
        continue;
      g_string_append (text, n++ == 0 ? " (" : ", ");
      g_string_append (text, parts[i]);
    }
  if (n > 0)
    g_string_append_c (text, ')');
  return g_string_free (g_steal_pointer (&text), FALSE);
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

static gboolean
is_control (gunichar c)
{
  return c < 0x20 || (c >= 0x7f && c <= 0x9f) || c == 0x2028 || c == 0x2029;
}

char *
vigilctl_sanitize (const char *text)
{
  g_autofree char *valid = NULL;
  GString *out;

  g_return_val_if_fail (text != NULL, NULL);

  valid = g_utf8_make_valid (text, -1);
  out = g_string_sized_new (strlen (valid));
  for (const char *p = valid; *p != '\0'; p = g_utf8_next_char (p))
    {
      gunichar c = g_utf8_get_char (p);

      if (is_control (c))
        g_string_append_c (out, ' ');
      else
        g_string_append_unichar (out, c);
    }
  return g_string_free (out, FALSE);
}

void
vigilctl_print_field (const char *name,
                      const char *value)
{
  g_autoptr(GString) line = NULL;
  g_autofree char *shown = NULL;

  if (value == NULL || value[0] == '\0')
    return;

  shown = vigilctl_sanitize (value);
  line = g_string_new (NULL);
  vigilctl_append_padded (line, name, label_width (), FALSE);
  g_string_append_printf (line, " %s\n", shown);
  g_print ("%s", line->str);
}

static void
field_date (const char *name,
            GDateTime  *value)
{
  g_autoptr(GDateTime) local = value ? g_date_time_to_local (value) : NULL;
  g_autofree char *text = local ? g_date_time_format (local, "%Y-%m-%d %H:%M:%S") : NULL;

  vigilctl_print_field (name, text);
}

void
vigilctl_print_start (const VigilStartResult *result)
{
  g_autofree char *text = vigil_job_text_start (result);
  g_autofree char *message = vigilctl_sanitize (text);

  g_print ("%s\n", message);
  if (result->job_id != NULL)
    vigilctl_print_field (_("Job"), result->job_id);
}

static char *
progress_text (const VigilJobRecord *r)
{
  const VigilProgress *p = r->progress;

  return vigil_job_text_progress (vigilctl_record_fraction (r), p ? p->completed_items : 0,
                                  p ? p->total_items : 0);
}

void
vigilctl_print_record (const VigilJobRecord *r)
{
  const VigilProgress *p = r->progress;
  g_autofree char *progress = progress_text (r);
  g_autofree char *step = NULL;

  vigilctl_print_field (_("Job"), r->job_id);
  vigilctl_print_field (_("Type"), kind_name (r));
  vigilctl_print_field (_("Status"), status_name (r));
  vigilctl_print_field (_("Priority"), priority_name (r));
  if (r->song_title != NULL)
    {
      g_autofree char *song = vigil_job_text_song_title (r->song_title, r->artist);

      vigilctl_print_field (_("Song"), song);
    }
  vigilctl_print_field (_("Playlist"), r->playlist_name);
  vigilctl_print_field (_("Progress"), progress);
  if (p != NULL && record_says_running (r))
    {
      step = vigil_job_text_step (p->step, p->eta_seconds);
      vigilctl_print_field (_("Step"), step);
    }
  if (p != NULL)
    vigilctl_print_field (_("Message"), p->message);
  field_date (_("Created"), r->created_at);
  field_date (_("Started"), r->started_at);
  vigilctl_print_field (_("Error"), r->error_message);
}

static char *
count_text (gint64 n)
{
  return n >= 0 ? g_strdup_printf ("%" G_GINT64_FORMAT, n) : g_strdup (_("unknown"));
}

/* Beyond vigil_seconds_to_units()'s year the uptime is unknown: a restart
 * a year ago is as good as never for an admin, and a broken clock likelier. */
static char *
uptime_text (double seconds)
{
  gint64 minutes = vigil_seconds_to_units (seconds, 60, VIGIL_ROUND_DOWN);

  if (minutes < 0)
    return NULL;
  if (minutes < 60)
    return g_strdup_printf (_("%d min"), (int) minutes);
  return g_strdup_printf (_("%d h %02d min"), (int) (minutes / 60), (int) (minutes % 60));
}

void
vigilctl_print_worker (const VigilWorkerHealth *w)
{
  g_autofree char *uptime = uptime_text (w->uptime_seconds);
  g_autofree char *processed = NULL;
  g_autofree char *p = count_text (w->jobs_processed);
  g_autofree char *f = count_text (w->jobs_failed);
  g_autofree char *i = count_text (w->jobs_interrupted);
  g_autofree char *current = w->current_job ? vigilctl_format_record_summary (w->current_job)
                                            : g_strdup (_("none"));

  processed = g_strdup_printf (_("%s (%s failed, %s interrupted)"), p, f, i);
  vigilctl_print_field (_("Worker"), w->status_raw);
  vigilctl_print_field (_("Uptime"), uptime);
  vigilctl_print_field (_("Processed"), processed);
  field_date (_("Heartbeat"), w->last_heartbeat);
  vigilctl_print_field (_("Current"), current);
}
