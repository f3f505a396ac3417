/* vigilctl-watch.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <glib/gi18n.h>
#include <glib-unix.h>
#include <stdio.h>
#include <sys/ioctl.h>
#include <unistd.h>

#include "vigil-poller.h"
#include "vigil-tracking-text.h"
#include "vigilctl-output.h"

#include "vigilctl-watch.h"

#define BAR_WIDTH 24
#define PERCENT_WIDTH 4
#define DEFAULT_COLUMNS 80
#define EXIT_INTERRUPTED 130

typedef struct
{
  GMainLoop           *loop;
  VigilPoller         *poller;
  GPtrArray           *jobs;
  GPtrArray           *last_lines;  /* what plain/JSON output printed last, per job */
  VigilctlWatchFormat  format;
  guint                redraw_id;
  guint                n_drawn;     /* lines of bars on screen */
  int                  exit_code;
} Watch;

/* ------------------------------------------------------------------ */
/* Rendering                                                           */
/* ------------------------------------------------------------------ */

static char *
final_status_text (VigilJob *job)
{
  const char *error_message = vigil_job_get_error_message (job);

  switch (vigil_job_get_server_state (job))
    {
    case VIGIL_SERVER_STATE_SUCCEEDED:
      return g_strdup (_("Analysis finished!"));
    case VIGIL_SERVER_STATE_FAILED:
      return g_strdup_printf (_("Failed: %s"), error_message ? error_message : _("unknown error"));
    case VIGIL_SERVER_STATE_LOST:
      return g_strdup (_("Lost: the server no longer knows this job"));
    case VIGIL_SERVER_STATE_NOT_FOUND:
      return vigil_tracking_text_not_found (vigil_job_get_server_host (job));
    case VIGIL_SERVER_STATE_QUEUED:
    case VIGIL_SERVER_STATE_RUNNING:
    default:
      return NULL;
    }
}

/* Trouble following the job says more than the last state seen. */
static char *
tracking_status_text (VigilJob *job)
{
  const char *tracking_error = vigil_job_get_tracking_error (job);

  switch (vigil_job_get_tracking_state (job))
    {
    case VIGIL_TRACKING_STATE_RETRYING:
      return g_strdup (_("Connection issue, retrying…"));
    case VIGIL_TRACKING_STATE_STALLED:
      return g_strdup_printf (_("Unable to track progress: %s"),
                              tracking_error ? tracking_error : _("no answer"));
    case VIGIL_TRACKING_STATE_OFFLINE:
      return g_strdup (_("Offline, waiting for the network…"));
    case VIGIL_TRACKING_STATE_NOT_SIGNED_IN:
      return vigil_tracking_text_not_signed_in (vigil_job_get_server_host (job));
    case VIGIL_TRACKING_STATE_SERVER_UNREACHABLE:
    case VIGIL_TRACKING_STATE_SERVER_ERROR:
      return vigil_tracking_text_server_failing (job);
    case VIGIL_TRACKING_STATE_ACTIVE:
    case VIGIL_TRACKING_STATE_STOPPED:
    default:
      return NULL;
    }
}

static char *
job_status_text (VigilJob *job)
{
  char *text;

  if ((text = final_status_text (job)) != NULL ||
      (text = tracking_status_text (job)) != NULL)
    return text;

  if (vigil_job_get_server_state (job) == VIGIL_SERVER_STATE_QUEUED)
    return g_strdup (_("Waiting for a worker…"));

  return vigil_step_format_with_eta (vigil_job_get_step (job), vigil_job_get_eta_seconds (job));
}

static void
append_bar (GString *line,
            double   fraction)
{
  guint filled = (guint) (MAX (fraction, 0) * BAR_WIDTH + 0.5);

  g_string_append_c (line, '[');
  for (guint i = 0; i < BAR_WIDTH; i++)
    g_string_append_c (line, i < filled ? '#' : '-');
  g_string_append (line, "] ");
}

/* "[####----]  42%  Title  Status" with a bar, else "JOB_ID  42%  Title  Status". */
static char *
job_line (VigilJob *job,
          gboolean  bar)
{
  g_autofree char *percent = vigilctl_format_percent (vigil_job_get_fraction (job));
  g_autofree char *status = job_status_text (job);
  const char *title = vigil_job_get_title (job);
  GString *line = g_string_new (NULL);

  if (bar)
    append_bar (line, vigil_job_get_fraction (job));
  else
    g_string_append_printf (line, "%s ", vigil_job_get_job_id (job));

  vigilctl_append_padded (line, percent, PERCENT_WIDTH, TRUE);
  g_string_append_printf (line, "  %s  %s", title ? title : vigil_job_get_job_id (job), status);
  return g_string_free (line, FALSE);
}

static guint
terminal_columns (void)
{
  struct winsize size;

  if (ioctl (STDOUT_FILENO, TIOCGWINSZ, &size) == 0 && size.ws_col > 0)
    return size.ws_col;
  return DEFAULT_COLUMNS;
}

/* Redraw every bar in place. A line never reaches the last column: a
 * wrapped line would throw the cursor movements off. */
static void
draw_bars (Watch *w)
{
  g_autoptr(GString) out = g_string_new (NULL);
  guint columns = terminal_columns ();

  if (w->n_drawn > 0)
    g_string_append_printf (out, "\033[%uA", w->n_drawn);
  for (guint i = 0; i < w->jobs->len; i++)
    {
      g_autofree char *line = job_line (g_ptr_array_index (w->jobs, i), TRUE);
      g_autofree char *shown = vigilctl_truncate (line, columns - 1);

      g_string_append_printf (out, "\r\033[2K%s\n", shown);
    }
  /* Wipe what the terminal echoed below the bars (a "^C"). */
  g_string_append (out, "\033[K");
  w->n_drawn = w->jobs->len;
  fputs (out->str, stdout);
  fflush (stdout);
}

static char *
job_json_line (VigilJob *job)
{
  g_autoptr(JsonNode) node = vigilctl_job_to_json (job);
  g_autoptr(JsonGenerator) gen = json_generator_new ();

  json_generator_set_root (gen, node);
  return json_generator_to_data (gen, NULL);
}

/* Plain and JSON output: a line per job whenever what it would say
 * changes, flushed at once for whoever reads the pipe. */
static void
print_changes (Watch *w)
{
  for (guint i = 0; i < w->jobs->len; i++)
    {
      VigilJob *job = g_ptr_array_index (w->jobs, i);
      g_autofree char *line = NULL;

      if (w->format == VIGILCTL_WATCH_JSON)
        line = job_json_line (job);
      else
        line = job_line (job, FALSE);

      if (g_strcmp0 (line, g_ptr_array_index (w->last_lines, i)) == 0)
        continue;
      g_print ("%s\n", line);
      g_free (g_ptr_array_index (w->last_lines, i));
      w->last_lines->pdata[i] = g_steal_pointer (&line);
    }
  fflush (stdout);
}

static gboolean
redraw (gpointer data)
{
  Watch *w = data;

  w->redraw_id = 0;
  if (w->format == VIGILCTL_WATCH_AUTO)
    draw_bars (w);
  else
    print_changes (w);
  return G_SOURCE_REMOVE;
}

static void
queue_redraw (Watch *w)
{
  /* At most ten frames a second, however many jobs change. */
  if (w->redraw_id == 0)
    w->redraw_id = g_timeout_add (100, redraw, w);
}

/* ------------------------------------------------------------------ */
/* Callbacks                                                           */
/* ------------------------------------------------------------------ */

static void
on_job_notify (VigilJob   *job,
               GParamSpec *pspec,
               Watch      *w)
{
  queue_redraw (w);
}

static void
on_job_finished (VigilPoller *poller,
                 VigilJob    *job,
                 Watch       *w)
{
  if (vigil_job_get_server_state (job) != VIGIL_SERVER_STATE_SUCCEEDED)
    w->exit_code = 1;

  if (vigil_poller_get_n_tracked (poller) == 0)
    g_main_loop_quit (w->loop);
}

static gboolean
on_sigint (gpointer data)
{
  Watch *w = data;

  w->exit_code = EXIT_INTERRUPTED;
  g_main_loop_quit (w->loop);
  return G_SOURCE_CONTINUE;
}

/* ------------------------------------------------------------------ */
/* Setup                                                               */
/* ------------------------------------------------------------------ */

static VigilPoller *
make_poller (VigilApiClient *client,
             double          time_scale)
{
  return g_object_new (VIGIL_TYPE_POLLER,
                       "client", client,
                       "time-scale", CLAMP (time_scale, 1e-6, 1e6),
                       NULL);
}

static gboolean
has_job (Watch      *w,
         const char *job_id)
{
  for (guint i = 0; i < w->jobs->len; i++)
    if (g_str_equal (vigil_job_get_job_id (g_ptr_array_index (w->jobs, i)), job_id))
      return TRUE;
  return FALSE;
}

static void
add_jobs (Watch              *w,
          const char * const *job_ids)
{
  for (guint i = 0; job_ids[i] != NULL; i++)
    {
      VigilJob *job;

      if (job_ids[i][0] == '\0' || has_job (w, job_ids[i]))
        continue;

      job = vigil_job_new (job_ids[i], VIGIL_JOB_KIND_UNKNOWN, -1);
      g_ptr_array_add (w->jobs, job);
      g_ptr_array_add (w->last_lines, NULL);
      g_signal_connect (job, "notify", G_CALLBACK (on_job_notify), w);
      vigil_poller_track (w->poller, job);
    }
}

static void
run (Watch *w)
{
  guint sigint_id = g_unix_signal_add (SIGINT, on_sigint, w);

  if (vigil_poller_get_n_tracked (w->poller) > 0)
    g_main_loop_run (w->loop);
  g_source_remove (sigint_id);

  g_clear_handle_id (&w->redraw_id, g_source_remove);
  redraw (w);
}

static void
watch_clear (Watch *w)
{
  for (guint i = 0; i < w->jobs->len; i++)
    g_signal_handlers_disconnect_by_data (g_ptr_array_index (w->jobs, i), w);
  vigil_poller_untrack_all (w->poller);
  g_clear_object (&w->poller);
  g_clear_pointer (&w->jobs, g_ptr_array_unref);
  g_clear_pointer (&w->last_lines, g_ptr_array_unref);
  g_clear_pointer (&w->loop, g_main_loop_unref);
}

/* ------------------------------------------------------------------ */
/* Public                                                              */
/* ------------------------------------------------------------------ */

int
vigilctl_watch (VigilApiClient      *client,
                const char * const  *job_ids,
                VigilctlWatchFormat  format,
                double               time_scale)
{
  Watch w = { 0 };

  g_return_val_if_fail (VIGIL_IS_API_CLIENT (client), 2);
  g_return_val_if_fail (job_ids != NULL, 2);

  if (format == VIGILCTL_WATCH_AUTO && !isatty (STDOUT_FILENO))
    format = VIGILCTL_WATCH_PLAIN;

  w.format = format;
  w.loop = g_main_loop_new (NULL, FALSE);
  w.poller = make_poller (client, time_scale);
  w.jobs = g_ptr_array_new_with_free_func (g_object_unref);
  w.last_lines = g_ptr_array_new_with_free_func (g_free);
  g_signal_connect (w.poller, "job-finished", G_CALLBACK (on_job_finished), &w);

  add_jobs (&w, job_ids);
  run (&w);
  watch_clear (&w);
  return w.exit_code;
}
