/* vigilctl-watch.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <glib/gi18n.h>
#include <glib-unix.h>
#include <stdio.h>
#include <unistd.h>

#include "vigil-poller.h"
#include "vigilctl-output.h"

#include "vigilctl-watch.h"

#define BAR_WIDTH 24

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
job_status_text (VigilJob *job)
{
  const char *tracking_error = vigil_job_get_tracking_error (job);

  switch (vigil_job_get_server_state (job))
    {
    case VIGIL_SERVER_STATE_SUCCEEDED:
      return g_strdup (_("Analysis finished!"));
    case VIGIL_SERVER_STATE_FAILED:
      return g_strdup_printf (_("Failed: %s"), vigil_job_get_error_message (job)
                                               ? vigil_job_get_error_message (job) : _("unknown error"));
    case VIGIL_SERVER_STATE_LOST:
      return g_strdup (_("Lost: the server no longer knows this job"));
    case VIGIL_SERVER_STATE_QUEUED:
      return g_strdup (_("Waiting for a worker…"));
    case VIGIL_SERVER_STATE_RUNNING:
    default:
      break;
    }

  switch (vigil_job_get_tracking_state (job))
    {
    case VIGIL_TRACKING_STATE_RETRYING:
      return g_strdup (_("Connection issue, retrying…"));
    case VIGIL_TRACKING_STATE_STALLED:
      return g_strdup_printf (_("Unable to track progress: %s"),
                              tracking_error ? tracking_error : _("no answer"));
    case VIGIL_TRACKING_STATE_OFFLINE:
      return g_strdup (_("Offline, waiting for the network…"));
    default:
      return vigil_step_format_with_eta (vigil_job_get_step (job),
                                         vigil_job_get_eta_seconds (job));
    }
}

static char *
job_line (VigilJob *job,
          gboolean  bar)
{
  g_autofree char *percent = vigilctl_format_percent (vigil_job_get_fraction (job));
  g_autofree char *status = job_status_text (job);
  const char *title = vigil_job_get_title (job);
  GString *line = g_string_new (NULL);

  if (bar)
    {
      double f = MAX (vigil_job_get_fraction (job), 0);
      guint filled = (guint) (f * BAR_WIDTH + 0.5);

      g_string_append_c (line, '[');
      for (guint i = 0; i < BAR_WIDTH; i++)
        g_string_append (line, i < filled ? "#" : "-");
      g_string_append (line, "] ");
    }
  else
    g_string_append_printf (line, "%s ", vigil_job_get_job_id (job));

  g_string_append_printf (line, "%4s  %s  %s", percent,
                          title ? title : vigil_job_get_job_id (job), status);
  return g_string_free (line, FALSE);
}

static void
draw_bars (Watch *w)
{
  GString *out = g_string_new (NULL);

  if (w->n_drawn > 0)
    g_string_append_printf (out, "\033[%uA", w->n_drawn);
  for (guint i = 0; i < w->jobs->len; i++)
    {
      g_autofree char *line = job_line (g_ptr_array_index (w->jobs, i), TRUE);
      g_string_append_printf (out, "\r\033[2K%s\n", line);
    }
  w->n_drawn = w->jobs->len;
  fputs (out->str, stdout);
  fflush (stdout);
  g_string_free (out, TRUE);
}

/* Plain and JSON output: a line per job whenever what it would say changes. */
static void
print_changes (Watch *w)
{
  for (guint i = 0; i < w->jobs->len; i++)
    {
      VigilJob *job = g_ptr_array_index (w->jobs, i);
      g_autofree char *line = NULL;

      if (w->format == VIGILCTL_WATCH_JSON)
        {
          g_autoptr(JsonNode) node = vigilctl_job_to_json (job);
          g_autoptr(JsonGenerator) gen = json_generator_new ();

          json_node_get_object (node);
          json_generator_set_root (gen, node);
          line = json_generator_to_data (gen, NULL);
        }
      else
        line = job_line (job, FALSE);

      if (g_strcmp0 (line, g_ptr_array_index (w->last_lines, i)) == 0)
        continue;
      g_print ("%s\n", line);
      g_free (g_ptr_array_index (w->last_lines, i));
      w->last_lines->pdata[i] = g_steal_pointer (&line);
    }
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

  w->exit_code = 130;
  g_main_loop_quit (w->loop);
  return G_SOURCE_CONTINUE;
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
  guint sigint_id;

  g_return_val_if_fail (VIGIL_IS_API_CLIENT (client), 2);

  if (format == VIGILCTL_WATCH_AUTO && !isatty (STDOUT_FILENO))
    format = VIGILCTL_WATCH_PLAIN;

  w.format = format;
  w.loop = g_main_loop_new (NULL, FALSE);
  w.poller = g_object_new (VIGIL_TYPE_POLLER, "client", client, "time-scale", time_scale, NULL);
  w.jobs = g_ptr_array_new_with_free_func (g_object_unref);
  w.last_lines = g_ptr_array_new_with_free_func (g_free);
  g_signal_connect (w.poller, "job-finished", G_CALLBACK (on_job_finished), &w);

  for (guint i = 0; job_ids[i] != NULL; i++)
    {
      VigilJob *job = vigil_job_new (job_ids[i], VIGIL_JOB_KIND_UNKNOWN, -1);

      g_ptr_array_add (w.jobs, job);
      g_ptr_array_add (w.last_lines, NULL);
      g_signal_connect (job, "notify", G_CALLBACK (on_job_notify), &w);
      vigil_poller_track (w.poller, job);
    }

  sigint_id = g_unix_signal_add (SIGINT, on_sigint, &w);
  if (vigil_poller_get_n_tracked (w.poller) > 0)
    g_main_loop_run (w.loop);
  g_source_remove (sigint_id);

  g_clear_handle_id (&w.redraw_id, g_source_remove);
  redraw (&w);

  for (guint i = 0; i < w.jobs->len; i++)
    g_signal_handlers_disconnect_by_data (g_ptr_array_index (w.jobs, i), &w);
  vigil_poller_untrack_all (w.poller);
  g_object_unref (w.poller);
  g_ptr_array_unref (w.jobs);
  g_ptr_array_unref (w.last_lines);
  g_main_loop_unref (w.loop);
  return w.exit_code;
}
