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

#include "vigil-job-text.h"
#include "vigil-poller.h"
#include "vigilctl-json.h"
#include "vigilctl-output.h"

#include "vigilctl-watch.h"

#define BAR_WIDTH 24
#define PERCENT_WIDTH 4
#define DEFAULT_COLUMNS 80
#define EXIT_GAVE_UP 2
#define EXIT_INTERRUPTED 130
#define TICK_MS 1000

/* One job on the watch list. */
typedef struct
{
  VigilJob      *job;
  VigilctlHeard  heard;           /* the server's last words about it */
  char          *last_line;       /* what plain/JSON output printed last */
  GDateTime     *failing_since;   /* the first failed poll of the current run */
  gint64         failing_since_us;  /* the same, monotonic */
} Watched;

typedef struct
{
  GMainLoop           *loop;
  VigilApiClient      *client;
  VigilPoller         *poller;
  GPtrArray           *watched;    /* Watched */
  VigilctlWatchFormat  format;
  gint64               give_up_us; /* 0: never */
  Watched             *gave_up;    /* the job given up on */
  guint                redraw_id;
  guint                tick_id;    /* while a job's polls fail */
  guint                n_drawn;    /* lines of bars on screen */
  int                  exit_code;
} Watch;

static void
watched_free (Watched *wj)
{
  g_object_unref (wj->job);
  g_clear_pointer (&wj->heard.record, vigil_job_record_free);
  g_clear_pointer (&wj->heard.progress, vigil_progress_free);
  g_free (wj->last_line);
  g_clear_pointer (&wj->failing_since, g_date_time_unref);
  g_free (wj);
}

static Watched *
find_watched (Watch      *w,
              const char *job_id)
{
  if (job_id == NULL)
    return NULL;

  for (guint i = 0; i < w->watched->len; i++)
    {
      Watched *wj = g_ptr_array_index (w->watched, i);

      if (g_str_equal (vigil_job_get_job_id (wj->job), job_id))
        return wj;
    }
  return NULL;
}

/* ------------------------------------------------------------------ */
/* Rendering                                                           */
/* ------------------------------------------------------------------ */

/* Trouble following the job says more than the last state seen, and since
 * when the polls have been failing. */
static char *
job_status_text (Watched *wj)
{
  g_autofree char *since = NULL;

  if (wj->failing_since != NULL)
    since = vigilctl_format_since (wj->failing_since);
  return vigil_job_text_summary (wj->job, since);
}

static void
append_bar (GString *line,
            double   fraction)
{
  guint filled = (guint) (CLAMP (fraction, 0, 1) * BAR_WIDTH + 0.5);

  g_string_append_c (line, '[');
  for (guint i = 0; i < BAR_WIDTH; i++)
    g_string_append_c (line, i < filled ? '#' : '-');
  g_string_append (line, "] ");
}

/* "[####----]  42%  Title  Status" with a bar, else "JOB_ID  42%  Title  Status". */
static char *
job_line (Watched  *wj,
          gboolean  bar)
{
  VigilJob *job = wj->job;
  g_autofree char *percent = vigil_job_text_percent (vigil_job_get_fraction (job));
  g_autofree char *status = job_status_text (wj);
  const char *title = vigil_job_get_title (job);
  GString *line = g_string_new (NULL);
  g_autofree char *shown = NULL;

  if (bar)
    append_bar (line, vigil_job_get_fraction (job));
  else
    g_string_append_printf (line, "%s ", vigil_job_get_job_id (job));

  vigilctl_append_padded (line, percent, PERCENT_WIDTH, TRUE);
  g_string_append_printf (line, "  %s  %s", title ? title : vigil_job_get_job_id (job), status);
  shown = vigilctl_sanitize (line->str);
  g_string_free (line, TRUE);
  return g_steal_pointer (&shown);
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
  for (guint i = 0; i < w->watched->len; i++)
    {
      g_autofree char *line = job_line (g_ptr_array_index (w->watched, i), TRUE);
      g_autofree char *shown = vigilctl_truncate (line, columns - 1);

      g_string_append_printf (out, "\r\033[2K%s\n", shown);
    }
  /* Wipe what the terminal echoed below the bars (a "^C"). */
  g_string_append (out, "\033[K");
  w->n_drawn = w->watched->len;
  fputs (out->str, stdout);
  fflush (stdout);
}

static char *
job_json_line (Watched *wj)
{
  g_autofree char *text = job_status_text (wj);
  VigilctlJobLine line = { wj->job, &wj->heard, text, wj->failing_since };
  g_autoptr(JsonNode) node = vigilctl_job_to_json (&line);

  return vigilctl_json_to_string (node);
}

/* Plain and JSON output: a line per job whenever what it would say
 * changes, flushed at once for whoever reads the pipe. */
static void
print_changes (Watch *w)
{
  for (guint i = 0; i < w->watched->len; i++)
    {
      Watched *wj = g_ptr_array_index (w->watched, i);
      g_autofree char *line = NULL;

      if (w->format == VIGILCTL_WATCH_JSON)
        line = job_json_line (wj);
      else
        line = job_line (wj, FALSE);

      if (g_strcmp0 (line, wj->last_line) == 0)
        continue;
      /* JSON lines are UTF-8 whatever the locale (see vigilctl_print_json()) */
      if (w->format == VIGILCTL_WATCH_JSON)
        printf ("%s\n", line);
      else
        g_print ("%s\n", line);
      g_free (wj->last_line);
      wj->last_line = g_steal_pointer (&line);
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
/* Failing polls, giving up                                            */
/* ------------------------------------------------------------------ */

static gboolean
any_failing (Watch *w)
{
  for (guint i = 0; i < w->watched->len; i++)
    if (((Watched *) g_ptr_array_index (w->watched, i))->failing_since != NULL)
      return TRUE;
  return FALSE;
}

static void
give_up (Watch   *w,
         Watched *wj)
{
  w->gave_up = wj;
  w->exit_code = EXIT_GAVE_UP;
  g_main_loop_quit (w->loop);
}

static void
check_give_up (Watch *w)
{
  gint64 now = g_get_monotonic_time ();

  if (w->give_up_us <= 0 || w->gave_up != NULL)
    return;

  for (guint i = 0; i < w->watched->len; i++)
    {
      Watched *wj = g_ptr_array_index (w->watched, i);

      if (wj->failing_since != NULL && now - wj->failing_since_us >= w->give_up_us)
        {
          give_up (w, wj);
          return;
        }
    }
}

/* Once a second while polls fail: the "failing since" text ages, and the
 * give-up time may have come without any poll. */
static gboolean
on_tick (gpointer data)
{
  Watch *w = data;

  if (!any_failing (w))
    {
      w->tick_id = 0;
      return G_SOURCE_REMOVE;
    }

  check_give_up (w);
  queue_redraw (w);
  return G_SOURCE_CONTINUE;
}

/* A poll that failed leaves its error on the job until one succeeds. */
static void
update_failing (Watch   *w,
                Watched *wj)
{
  gboolean failing = vigil_job_get_tracking_error (wj->job) != NULL &&
                     !vigil_job_get_is_finished (wj->job);

  if (!failing)
    {
      g_clear_pointer (&wj->failing_since, g_date_time_unref);
      return;
    }

  if (wj->failing_since == NULL)
    {
      wj->failing_since = g_date_time_new_now_local ();
      wj->failing_since_us = g_get_monotonic_time ();
    }
  if (w->tick_id == 0)
    w->tick_id = g_timeout_add (TICK_MS, on_tick, w);
  check_give_up (w);
}

static void
report_give_up (Watch *w)
{
  Watched *wj = w->gave_up;
  const char *job_id = vigil_job_get_job_id (wj->job);
  const char *last_error = vigil_job_get_tracking_error (wj->job);
  g_autofree char *since = vigilctl_format_since (wj->failing_since);
  g_autofree char *when = g_date_time_format_iso8601 (wj->failing_since);
  g_autofree char *message = NULL;

  message = g_strdup_printf (_("Gave up on %s: no good answer since %s (last error: %s)"),
                             job_id, since, last_error ? last_error : _("none"));
  vigilctl_print_error (w->format == VIGILCTL_WATCH_JSON, "gave_up", message,
                        "job_id", job_id, "failing_since", when, NULL);
}

/* ------------------------------------------------------------------ */
/* Callbacks                                                           */
/* ------------------------------------------------------------------ */

static void
on_job_notify (VigilJob   *job,
               GParamSpec *pspec,
               Watch      *w)
{
  update_failing (w, find_watched (w, vigil_job_get_job_id (job)));
  queue_redraw (w);
}

static void
on_progress_read (VigilApiClient *client,
                  const char     *job_id,
                  VigilProgress  *progress,
                  Watch          *w)
{
  Watched *wj = find_watched (w, job_id);

  if (wj == NULL)
    return;

  g_clear_pointer (&wj->heard.progress, vigil_progress_free);
  wj->heard.progress = vigil_progress_copy (progress);
}

/* A record without a progress object: the server no longer states one. */
static void
on_record_read (VigilApiClient *client,
                const char     *job_id,
                VigilJobRecord *record,
                Watch          *w)
{
  Watched *wj = find_watched (w, job_id);

  if (wj == NULL)
    return;

  g_clear_pointer (&wj->heard.record, vigil_job_record_free);
  wj->heard.record = vigil_job_record_copy (record);
  g_clear_pointer (&wj->heard.progress, vigil_progress_free);
  if (record->progress != NULL)
    wj->heard.progress = vigil_progress_copy (record->progress);
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

static void
add_jobs (Watch              *w,
          const char * const *job_ids)
{
  for (guint i = 0; job_ids[i] != NULL; i++)
    {
      Watched *wj;

      if (job_ids[i][0] == '\0' || find_watched (w, job_ids[i]) != NULL)
        continue;

      wj = g_new0 (Watched, 1);
      wj->job = vigil_job_new (job_ids[i], VIGIL_JOB_KIND_UNKNOWN, -1);
      g_ptr_array_add (w->watched, wj);
      g_signal_connect (wj->job, "notify", G_CALLBACK (on_job_notify), w);
      vigil_poller_track (w->poller, wj->job);
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
  g_clear_handle_id (&w->tick_id, g_source_remove);
  redraw (w);
  if (w->gave_up != NULL)
    report_give_up (w);
}

static void
watch_clear (Watch *w)
{
  for (guint i = 0; i < w->watched->len; i++)
    g_signal_handlers_disconnect_by_data (((Watched *) g_ptr_array_index (w->watched, i))->job, w);
  g_signal_handlers_disconnect_by_data (w->client, w);
  vigil_poller_untrack_all (w->poller);
  g_clear_object (&w->poller);
  g_clear_pointer (&w->watched, g_ptr_array_unref);
  g_clear_pointer (&w->loop, g_main_loop_unref);
}

/* ------------------------------------------------------------------ */
/* Public                                                              */
/* ------------------------------------------------------------------ */

int
vigilctl_watch (VigilApiClient      *client,
                const char * const  *job_ids,
                VigilctlWatchFormat  format,
                double               time_scale,
                gint64               give_up_after_us)
{
  Watch w = { 0 };

  g_return_val_if_fail (VIGIL_IS_API_CLIENT (client), 2);
  g_return_val_if_fail (job_ids != NULL, 2);

  if (format == VIGILCTL_WATCH_AUTO && !isatty (STDOUT_FILENO))
    format = VIGILCTL_WATCH_PLAIN;

  w.format = format;
  w.give_up_us = MAX (give_up_after_us, 0);
  w.loop = g_main_loop_new (NULL, FALSE);
  w.client = client;
  w.poller = make_poller (client, time_scale);
  w.watched = g_ptr_array_new_with_free_func ((GDestroyNotify) watched_free);
  g_signal_connect (w.poller, "job-finished", G_CALLBACK (on_job_finished), &w);
  g_signal_connect (client, "progress-read", G_CALLBACK (on_progress_read), &w);
  g_signal_connect (client, "job-record-read", G_CALLBACK (on_record_read), &w);

  add_jobs (&w, job_ids);
  run (&w);
  watch_clear (&w);
  return w.exit_code;
}
