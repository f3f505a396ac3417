/* test-job-list.c — the job list against the demo server at a fast time
 * scale: starting analyses from the dialog, rows that follow their jobs,
 * row actions, filters, search and screenshots.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#ifdef __GLIBC__
#include <malloc.h>
#endif
#include <adwaita.h>
#include <glib/gstdio.h>

#include "vigil-application.h"
#include "vigil-demo-server.h"
#include "vigil-job-row.h"
#include "vigil-job-text.h"
#include "vigil-new-analysis-dialog.h"
#include "vigil-song-row.h"
#include "vigil-window.h"
#include "vigil-test-gui.h"

#define SPEED 50.0

static void save_widget_shot (GtkWidget  *widget,
                              const char *name);

static VigilApplication *app;

typedef struct
{
  VigilDemoServer *server;
  VigilApiClient  *client;
  VigilPoller     *poller;
  VigilTracker    *tracker;
  VigilWindow     *window;
} Fixture;

/* ------------------------------------------------------------------ */
/* Fixture                                                             */
/* ------------------------------------------------------------------ */

static gboolean
widget_is_mapped (gpointer data)
{
  return gtk_widget_get_mapped (GTK_WIDGET (data));
}

static void
open_window (Fixture    *f,
             const char *url)
{
  g_autoptr(GError) error = NULL;

  f->client = vigil_api_client_new (url, &error);
  g_assert_no_error (error);
  vigil_api_client_set_timeout (f->client, 5);
  f->poller = g_object_new (VIGIL_TYPE_POLLER, "client", f->client,
                            "time-scale", 1.0 / SPEED, "jitter", 0.0, NULL);
  f->tracker = vigil_tracker_new (f->client, f->poller);
  f->window = vigil_window_new (app, vigil_application_get_settings (app), f->tracker, NULL);
  gtk_window_set_default_size (GTK_WINDOW (f->window), 800, 700);
  gtk_window_present (GTK_WINDOW (f->window));
  g_assert_true (vigil_test_wait_for (widget_is_mapped, f->window, 5000));
}

static void
fixture_setup (Fixture       *f,
               gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *url = NULL;

  f->server = g_object_new (VIGIL_TYPE_DEMO_SERVER, "speed", SPEED, "song-seconds", 3.0,
                            "workers", 3, "seed", (guint64) 7, NULL);
  g_assert_true (vigil_demo_server_listen (f->server, NULL, 0, &error));
  url = vigil_demo_server_get_url (f->server);
  open_window (f, url);
}

static void
fixture_teardown (Fixture       *f,
                  gconstpointer  data)
{
  gtk_window_destroy (GTK_WINDOW (f->window));
  g_clear_object (&f->tracker);
  g_clear_object (&f->poller);
  g_clear_object (&f->client);
  g_clear_object (&f->server);
  vigil_test_spin (10);
}

/* ------------------------------------------------------------------ */
/* Helpers                                                             */
/* ------------------------------------------------------------------ */

static GtkWidget *
child_of (gpointer    widget,
          GType       type,
          const char *name)
{
  return GTK_WIDGET (gtk_widget_get_template_child (GTK_WIDGET (widget), type, name));
}

static gboolean
pointer_cleared (gpointer data)
{
  return *(gpointer *) data == NULL;
}

/* Fill in the New Analysis dialog and submit it; returns whether the
 * dialog accepted the input. */
static gboolean
submit_dialog (Fixture      *f,
               VigilJobKind  kind,
               const char   *id,
               gboolean      all)
{
  GtkWindow *dialog = vigil_window_show_new_analysis (f->window);

  vigil_new_analysis_dialog_set_kind (VIGIL_NEW_ANALYSIS_DIALOG (dialog), kind);
  gtk_editable_set_text (GTK_EDITABLE (child_of (dialog, VIGIL_TYPE_NEW_ANALYSIS_DIALOG, "id_row")), id);
  gtk_switch_set_active (GTK_SWITCH (child_of (dialog, VIGIL_TYPE_NEW_ANALYSIS_DIALOG, "all_switch")), all);
  return vigil_new_analysis_dialog_submit (VIGIL_NEW_ANALYSIS_DIALOG (dialog));
}

static GtkWindow *
current_dialog (void)
{
  GListModel *toplevels = gtk_window_get_toplevels ();  /* transfer none */

  for (guint i = 0; i < g_list_model_get_n_items (toplevels); i++)
    {
      g_autoptr(GObject) w = g_list_model_get_item (toplevels, i);

      if (VIGIL_IS_NEW_ANALYSIS_DIALOG (w))
        return GTK_WINDOW (w);
    }
  return NULL;
}

/* Start from the dialog and wait until it closes with the job tracked. */
static VigilJob *
start_job (Fixture      *f,
           VigilJobKind  kind,
           const char   *id)
{
  GtkWindow *dialog;
  guint before = g_list_model_get_n_items (vigil_tracker_get_jobs (f->tracker));

  g_assert_true (submit_dialog (f, kind, id, FALSE));
  dialog = current_dialog ();
  g_object_add_weak_pointer (G_OBJECT (dialog), (gpointer *) &dialog);
  g_assert_true (vigil_test_wait_for (pointer_cleared, &dialog, 5000));
  g_assert_cmpuint (g_list_model_get_n_items (vigil_tracker_get_jobs (f->tracker)), ==, before + 1);
  return g_list_model_get_item (vigil_tracker_get_jobs (f->tracker), before);
}

static VigilJobRow *
find_row (Fixture  *f,
          VigilJob *job)
{
  g_autoptr(GPtrArray) rows = vigil_test_find_all (GTK_WIDGET (f->window), VIGIL_TYPE_JOB_ROW);

  for (guint i = 0; i < rows->len; i++)
    if (vigil_job_row_get_job (g_ptr_array_index (rows, i)) == job)
      return g_ptr_array_index (rows, i);
  return NULL;
}

typedef struct
{
  VigilJob **jobs;
  guint      n_jobs;
} JobSet;

static gboolean
all_finished (gpointer data)
{
  JobSet *set = data;

  for (guint i = 0; i < set->n_jobs; i++)
    if (!vigil_job_get_is_finished (set->jobs[i]))
      return FALSE;
  return TRUE;
}

/* Rows show what their job says from the next frame on: wait for one in
 * every window shown, however long a loaded machine takes to draw it. */
static void
settle (void)
{
  GListModel *toplevels = gtk_window_get_toplevels ();  /* transfer none */

  for (guint i = 0; i < g_list_model_get_n_items (toplevels); i++)
    {
      g_autoptr(GtkWidget) window = g_list_model_get_item (toplevels, i);

      if (gtk_widget_get_mapped (window))
        g_assert_true (vigil_test_wait_drawn (window, 10000));
    }
}

typedef struct
{
  VigilApiClient *client;
  guint64         before;
} SentQuery;

static gboolean
sent_more (gpointer data)
{
  SentQuery *q = data;

  return vigil_api_client_get_request_count (q->client) > q->before;
}

static gboolean
wait_finished (VigilJob **jobs,
               guint      n_jobs,
               guint      timeout_ms)
{
  JobSet set = { jobs, n_jobs };
  gboolean ok = vigil_test_wait_for (all_finished, &set, timeout_ms);

  settle ();
  return ok;
}

static gboolean
bar_has_class (VigilJobRow *row,
               const char  *css_class)
{
  return gtk_widget_has_css_class (child_of (row, VIGIL_TYPE_JOB_ROW, "progress_bar"), css_class);
}

/* The step texts of the contract, with an optional ETA suffix. */
static gboolean
is_contract_step_text (const char *text)
{
  static const char *labels[] = {
    "Getting ready to analyze…", "Finding song lyrics…", "Checking content for concerns…",
    "Analysis finished!", "Processing…", "Waiting for a worker…", NULL
  };

  for (guint i = 0; labels[i] != NULL; i++)
    if (g_str_has_prefix (text, labels[i]))
      {
        const char *rest = text + strlen (labels[i]);

        return rest[0] == '\0' ||
               g_regex_match_simple ("^ \\(about [0-9]+ minutes? remaining\\)$", rest, 0, 0);
      }
  return FALSE;
}

/* ------------------------------------------------------------------ */
/* Tests                                                               */
/* ------------------------------------------------------------------ */

static void
test_start_and_finish (Fixture       *f,
                       gconstpointer  data)
{
  VigilJob *jobs[3];
  gboolean saw_eta = FALSE, saw_running = FALSE;
  double last_fraction = -1;
  gboolean rose = FALSE;

  g_object_set (f->server, "song-seconds", 30.0, NULL);
  jobs[0] = start_job (f, VIGIL_JOB_KIND_SONG, "5");
  jobs[1] = start_job (f, VIGIL_JOB_KIND_PLAYLIST, "1");
  jobs[2] = start_job (f, VIGIL_JOB_KIND_BACKGROUND, "1");

  while (!all_finished (&(JobSet) { jobs, 3 }))
    {
      for (guint i = 0; i < 3; i++)
        {
          VigilJobRow *row = find_row (f, jobs[i]);
          const char *step;

          g_assert_nonnull (row);
          step = vigil_job_row_get_step_text (row);
          g_assert_true (is_contract_step_text (step) || g_str_has_prefix (step, "Failed: "));
          saw_eta |= strstr (step, "remaining)") != NULL;
          /* Rows catch up with their job at the next frame. */
          if (vigil_job_get_server_state (jobs[i]) == VIGIL_SERVER_STATE_RUNNING &&
              bar_has_class (row, "accent") &&
              g_str_has_suffix (vigil_job_row_get_time_text (row), "elapsed"))
            saw_running = TRUE;
        }
      if (vigil_job_get_fraction (jobs[1]) > last_fraction && last_fraction >= 0)
        rose = TRUE;
      /* Seen enough: let the long account analysis run to its end fast. */
      if (saw_eta && rose && vigil_poller_get_time_scale (f->poller) > 1.0 / (10 * SPEED))
        {
          g_object_set (f->server, "speed", 10 * SPEED, NULL);
          vigil_poller_set_time_scale (f->poller, 1.0 / (10 * SPEED));
        }
      last_fraction = vigil_job_get_fraction (jobs[1]);
      g_main_context_iteration (NULL, TRUE);
    }

  settle ();
  g_assert_true (saw_running);
  g_assert_true (saw_eta);
  g_assert_true (rose);
  for (guint i = 0; i < 3; i++)
    {
      VigilJobRow *row = find_row (f, jobs[i]);

      g_assert_cmpint (vigil_job_get_server_state (jobs[i]), ==, VIGIL_SERVER_STATE_SUCCEEDED);
      g_assert_true (bar_has_class (row, "success"));
      g_assert_false (bar_has_class (row, "accent"));
      g_assert_cmpstr (vigil_job_row_get_step_text (row), ==, "Analysis finished!");
      g_assert_true (g_str_has_prefix (vigil_job_row_get_time_text (row), "Took "));
      /* A screen reader hears the title, and the step as the description. */
      gtk_test_accessible_assert_property (row, GTK_ACCESSIBLE_PROPERTY_LABEL,
                                           vigil_job_get_title (jobs[i]));
      gtk_test_accessible_assert_property (row, GTK_ACCESSIBLE_PROPERTY_DESCRIPTION,
                                           "Analysis finished!");
      gtk_test_accessible_assert_property (child_of (row, VIGIL_TYPE_JOB_ROW, "progress_bar"),
                                           GTK_ACCESSIBLE_PROPERTY_DESCRIPTION,
                                           "Analysis finished!");
      g_object_unref (jobs[i]);
    }
}

static gboolean
songs_done (gpointer data)
{
  g_autoptr(GPtrArray) songs = vigil_test_find_all (data, VIGIL_TYPE_SONG_ROW);

  if (songs->len == 0)
    return FALSE;
  for (guint i = 0; i < songs->len; i++)
    if (vigil_job_song_get_state (vigil_song_row_get_song (g_ptr_array_index (songs, i))) !=
        VIGIL_SONG_STATE_DONE)
      return FALSE;
  return TRUE;
}

static void
test_playlist_songs (Fixture       *f,
                     gconstpointer  data)
{
  g_autoptr(VigilJob) job = start_job (f, VIGIL_JOB_KIND_PLAYLIST, "2");
  VigilJobRow *row;
  GtkExpander *expander;
  g_autoptr(GPtrArray) songs = NULL;

  row = find_row (f, job);
  expander = GTK_EXPANDER (child_of (row, VIGIL_TYPE_JOB_ROW, "songs_expander"));
  g_assert_true (vigil_test_wait_for (widget_is_mapped, expander, 5000));
  gtk_expander_set_expanded (expander, TRUE);

  g_assert_true (wait_finished (&job, 1, 20000));
  g_assert_true (vigil_test_wait_for (songs_done, row, 5000));
  songs = vigil_test_find_all (GTK_WIDGET (row), VIGIL_TYPE_SONG_ROW);
  g_assert_cmpuint (songs->len, ==, vigil_job_get_total_items (job));
  g_assert_nonnull (vigil_test_find_label (GTK_WIDGET (row), "Done"));
  g_assert_null (vigil_test_find_label (GTK_WIDGET (row), "Waiting"));
}

static void
test_failure (Fixture       *f,
              gconstpointer  data)
{
  g_autoptr(VigilJob) job = NULL;
  VigilJobRow *row;

  g_object_set (f->server, "failure-rate", 1.0, NULL);
  job = start_job (f, VIGIL_JOB_KIND_PLAYLIST, "3");
  g_assert_true (wait_finished (&job, 1, 20000));

  row = find_row (f, job);
  g_assert_cmpint (vigil_job_get_server_state (job), ==, VIGIL_SERVER_STATE_FAILED);
  g_assert_true (bar_has_class (row, "error"));
  g_assert_nonnull (vigil_job_get_error_message (job));
  /* The server's reason is on the row. */
  g_assert_nonnull (strstr (vigil_job_row_get_step_text (row), vigil_job_get_error_message (job)));
}

static void
test_stop_watching (Fixture       *f,
                    gconstpointer  data)
{
  g_autoptr(VigilJob) job = NULL;
  VigilJobRow *row;
  SentQuery sent = { f->client, 0 };

  g_object_set (f->server, "song-seconds", 60.0, NULL);
  job = start_job (f, VIGIL_JOB_KIND_PLAYLIST, "4");
  vigil_test_spin (300);

  row = find_row (f, job);
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (row), "row.stop-watching", NULL));
  g_assert_cmpint (vigil_job_get_tracking_state (job), ==, VIGIL_TRACKING_STATE_STOPPED);
  /* Nothing is sent any more (a request already out may still land at
   * the server: count what Vigil sends). 30 virtual s: polls were due. */
  sent.before = vigil_api_client_get_request_count (f->client);
  vigil_test_spin (600);
  g_assert_cmpuint (vigil_api_client_get_request_count (f->client), ==, sent.before);
  settle ();
  g_assert_cmpstr (vigil_job_row_get_trouble_text (row), ==, "Not being watched");

  /* Retry Now resumes watching, at once. */
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (row), "row.retry-now", NULL));
  g_assert_true (vigil_test_wait_for (sent_more, &sent, 5000));
  settle ();
  g_assert_null (vigil_job_row_get_trouble_text (row));
}

/* The server does not answer, and is probed 5 s apart by now. */
static gboolean
server_down_settled (gpointer data)
{
  return vigil_job_get_tracking_state (data) == VIGIL_TRACKING_STATE_SERVER_UNREACHABLE &&
         vigil_job_get_retry_interval (data) == 5000;
}

static char *
clock_of (gint64 real_us)
{
  g_autoptr(GDateTime) time = g_date_time_new_from_unix_local (real_us / G_USEC_PER_SEC);

  return g_date_time_format (time, "%H:%M");
}

static void
test_tracking_trouble (Fixture       *f,
                       gconstpointer  data)
{
  g_autoptr(VigilJob) job = NULL;
  g_autoptr(GError) error = NULL;
  guint port = vigil_demo_server_get_port (f->server);
  g_autofree char *since = NULL, *expected = NULL;
  VigilJobRow *row;
  gboolean saw_retrying = FALSE;

  g_object_set (f->server, "song-seconds", 20.0, NULL);
  job = start_job (f, VIGIL_JOB_KIND_PLAYLIST, "5");
  row = find_row (f, job);
  vigil_demo_server_disconnect (f->server);

  while (!server_down_settled (job))
    {
      saw_retrying |= g_strcmp0 (vigil_job_row_get_trouble_text (row), "Connection issue, retrying…") == 0;
      g_main_context_iteration (NULL, TRUE);
    }
  settle ();
  g_assert_true (saw_retrying);
  /* Since when, and the poller's real interval (issue 9, item 12). */
  since = clock_of (vigil_job_get_failing_since (job));
  expected = g_strdup_printf ("Server not answering since %s — retrying every 5 s", since);
  g_assert_cmpstr (vigil_job_row_get_trouble_text (row), ==, expected);
  g_assert_true (bar_has_class (row, "error"));
  save_widget_shot (GTK_WIDGET (f->window), "job-list-trouble.png");

  g_assert_true (vigil_demo_server_listen (f->server, NULL, port, &error));
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (row), "row.retry-now", NULL));
  g_assert_true (wait_finished (&job, 1, 20000));
  g_assert_null (vigil_job_row_get_trouble_text (row));
  g_assert_true (bar_has_class (row, "success"));
}

typedef struct
{
  GtkWidget  *root;
  const char *text;
} LabelQuery;

static gboolean
label_shown (gpointer data)
{
  LabelQuery *q = data;

  return vigil_test_find_label (q->root, q->text) != NULL;
}

/* Toasts appear a few frames after they are added. */
static gboolean
wait_for_label (GtkWidget  *root,
                const char *text)
{
  LabelQuery q = { root, text };

  return vigil_test_wait_for (label_shown, &q, 5000);
}

static guint
n_visible (Fixture *f)
{
  return g_list_model_get_n_items (vigil_window_get_visible_jobs (f->window));
}

static void
set_search (Fixture    *f,
            const char *text)
{
  GtkWidget *entry = child_of (f->window, VIGIL_TYPE_WINDOW, "search_entry");

  gtk_editable_set_text (GTK_EDITABLE (entry), text);
  g_signal_emit_by_name (entry, "search-changed");
}

static void
test_filters_search_clear (Fixture       *f,
                           gconstpointer  data)
{
  g_autoptr(VigilJob) ok = NULL, failed = NULL, running = NULL;
  GtkStack *stack = GTK_STACK (child_of (f->window, VIGIL_TYPE_WINDOW, "stack"));
  VigilJobRow *row;
  g_autofree char *prefix = NULL;

  ok = start_job (f, VIGIL_JOB_KIND_SONG, "11");
  g_assert_true (wait_finished (&ok, 1, 10000));
  g_object_set (f->server, "failure-rate", 1.0, NULL);
  failed = start_job (f, VIGIL_JOB_KIND_SONG, "12");
  g_assert_true (wait_finished (&failed, 1, 10000));
  g_object_set (f->server, "failure-rate", 0.0, "song-seconds", 600.0, NULL);
  running = start_job (f, VIGIL_JOB_KIND_PLAYLIST, "6");

  g_assert_cmpuint (n_visible (f), ==, 3);
  /* Active first, then the newest. */
  g_assert_true (g_list_model_get_item (vigil_window_get_visible_jobs (f->window), 0) == (gpointer) running);
  g_object_unref (running);

  g_object_set (f->window, "filter", "active", NULL);
  g_assert_cmpuint (n_visible (f), ==, 1);
  g_object_set (f->window, "filter", "failed", NULL);
  g_assert_cmpuint (n_visible (f), ==, 1);
  g_assert_true (g_list_model_get_item (vigil_window_get_visible_jobs (f->window), 0) == (gpointer) failed);
  g_object_unref (failed);
  g_object_set (f->window, "filter", "all", NULL);
  g_assert_cmpuint (n_visible (f), ==, 3);

  /* Search by title (case-insensitive) and by job id. */
  set_search (f, vigil_job_get_title (running));
  g_assert_cmpuint (n_visible (f), ==, 1);
  prefix = g_ascii_strup (vigil_job_get_job_id (ok), 8);
  set_search (f, prefix);
  g_assert_cmpuint (n_visible (f), ==, 1);
  set_search (f, "no such job anywhere");
  g_assert_cmpuint (n_visible (f), ==, 0);
  g_assert_cmpstr (gtk_stack_get_visible_child_name (GTK_STACK (child_of (f->window, VIGIL_TYPE_WINDOW, "list_stack"))), ==, "no-matches");
  set_search (f, "");

  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (f->window), "win.clear-finished", NULL));
  g_assert_cmpuint (g_list_model_get_n_items (vigil_tracker_get_jobs (f->tracker)), ==, 1);
  g_assert_true (wait_for_label (GTK_WIDGET (f->window), "Cleared 2 finished analyses"));

  /* Removing the last job brings the empty state back. */
  settle ();
  row = find_row (f, running);
  /* Remove waits until the job is no longer watched. */
  gtk_widget_activate_action (GTK_WIDGET (row), "row.remove", NULL);
  g_assert_cmpuint (g_list_model_get_n_items (vigil_tracker_get_jobs (f->tracker)), ==, 1);
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (row), "row.stop-watching", NULL));
  settle ();
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (row), "row.remove", NULL));
  g_assert_cmpuint (g_list_model_get_n_items (vigil_tracker_get_jobs (f->tracker)), ==, 0);
  g_assert_cmpstr (gtk_stack_get_visible_child_name (stack), ==, "empty");
}

static gboolean
widget_is_visible (gpointer data)
{
  return gtk_widget_get_visible (data);
}

static void
test_invalid_input (Fixture       *f,
                    gconstpointer  data)
{
  const char *bad[] = { "", "abc", "0", "-3", "1.5", "12a", "99999999999999999999" };
  GtkWindow *dialog = NULL;

  for (guint i = 0; i < G_N_ELEMENTS (bad); i++)
    {
      GtkWidget *error_label;

      g_assert_false (submit_dialog (f, VIGIL_JOB_KIND_SONG, bad[i], FALSE));
      dialog = current_dialog ();
      error_label = child_of (dialog, VIGIL_TYPE_NEW_ANALYSIS_DIALOG, "error_label");
      g_assert_true (gtk_widget_get_visible (error_label));
      g_assert_cmpstr (gtk_label_get_label (GTK_LABEL (error_label)), ==,
                       "Enter a positive whole number, such as 42.");
      gtk_window_destroy (dialog);
    }
  g_assert_cmpuint (g_list_model_get_n_items (vigil_tracker_get_jobs (f->tracker)), ==, 0);

  /* A valid number the server does not know: its answer, in the dialog. */
  g_assert_true (submit_dialog (f, VIGIL_JOB_KIND_SONG, "999", FALSE));
  dialog = current_dialog ();
  g_assert_true (vigil_test_wait_for (widget_is_visible,
                                      child_of (dialog, VIGIL_TYPE_NEW_ANALYSIS_DIALOG, "error_label"), 5000));
  g_assert_nonnull (vigil_test_find_label (GTK_WIDGET (dialog), "999 not found"));
  gtk_window_destroy (dialog);

  /* Nothing to analyze: the server's message as a toast, no job. */
  g_assert_true (submit_dialog (f, VIGIL_JOB_KIND_PLAYLIST, "20", FALSE));
  g_assert_true (wait_for_label (GTK_WIDGET (f->window), "already analyzed"));
  g_assert_cmpuint (g_list_model_get_n_items (vigil_tracker_get_jobs (f->tracker)), ==, 0);
}

static void
test_dead_server (Fixture       *f,
                  gconstpointer  data)
{
  g_autoptr(GSocketListener) listener = g_socket_listener_new ();
  g_autoptr(GError) error = NULL;
  g_autofree char *url = NULL;
  guint16 port;

  /* Another window, on a port where nobody listens. */
  gtk_window_destroy (GTK_WINDOW (f->window));
  g_clear_object (&f->tracker);
  g_clear_object (&f->poller);
  g_clear_object (&f->client);
  port = g_socket_listener_add_any_inet_port (listener, NULL, &error);
  g_socket_listener_close (listener);
  url = g_strdup_printf ("http://127.0.0.1:%u", port);
  open_window (f, url);

  g_assert_true (submit_dialog (f, VIGIL_JOB_KIND_SONG, "5", FALSE));
  g_assert_true (wait_for_label (GTK_WIDGET (f->window), "Could not connect"));
  g_assert_nonnull (vigil_test_find_label (GTK_WIDGET (current_dialog ()), "Could not connect"));
  gtk_window_destroy (current_dialog ());
}

static AdwMessageDialog *
find_message_dialog (void)
{
  GListModel *toplevels = gtk_window_get_toplevels ();  /* transfer none */

  for (guint i = 0; i < g_list_model_get_n_items (toplevels); i++)
    {
      g_autoptr(GObject) w = g_list_model_get_item (toplevels, i);

      if (ADW_IS_MESSAGE_DIALOG (w))
        return ADW_MESSAGE_DIALOG (w);
    }
  return NULL;
}

static void
on_clipboard_text (GObject      *object,
                   GAsyncResult *result,
                   gpointer      user_data)
{
  *(char **) user_data = gdk_clipboard_read_text_finish (GDK_CLIPBOARD (object), result, NULL);
}

/* Watch a Job…: an existing job by id, then Copy Job ID puts it on the
 * clipboard. */
static void
test_watch_and_copy (Fixture       *f,
                     gconstpointer  data)
{
  g_autofree char *id = vigil_demo_server_add_job (f->server, VIGIL_JOB_KIND_PLAYLIST, 1, 3, 3, 0);
  g_autofree char *copied = NULL;
  AdwMessageDialog *dialog;
  GtkWidget *entry;
  VigilJob *job;

  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (f->window), "win.watch-job", NULL));
  dialog = find_message_dialog ();
  g_assert_nonnull (dialog);
  g_assert_false (adw_message_dialog_get_response_enabled (dialog, "watch"));
  entry = adw_message_dialog_get_extra_child (dialog);
  gtk_editable_set_text (GTK_EDITABLE (entry), id);
  g_assert_true (adw_message_dialog_get_response_enabled (dialog, "watch"));
  adw_message_dialog_response (dialog, "watch");
  gtk_window_destroy (GTK_WINDOW (dialog));

  job = vigil_tracker_lookup (f->tracker, id);
  g_assert_nonnull (job);
  g_assert_true (wait_finished (&job, 1, 10000));
  /* Its kind and name were learnt from the server. */
  g_assert_cmpint (vigil_job_get_kind (job), ==, VIGIL_JOB_KIND_PLAYLIST);
  g_assert_cmpint (vigil_job_get_server_state (job), ==, VIGIL_SERVER_STATE_SUCCEEDED);

  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (find_row (f, job)), "row.copy-id", NULL));
  gdk_clipboard_read_text_async (gtk_widget_get_clipboard (GTK_WIDGET (f->window)), NULL,
                                 on_clipboard_text, &copied);
  while (copied == NULL)
    g_main_context_iteration (NULL, TRUE);
  g_assert_cmpstr (copied, ==, id);
  g_assert_true (wait_for_label (GTK_WIDGET (f->window), "Job ID copied"));
}

typedef struct
{
  guint sorter_changed;
  guint filter_changed;
  guint items_changed;
} ListChanges;

static void
on_sorter_changed (GtkSorter   *sorter,
                   int          change,
                   ListChanges *c)
{
  c->sorter_changed++;
}

static void
on_filter_changed (GtkFilter   *filter,
                   int          change,
                   ListChanges *c)
{
  c->filter_changed++;
}

static void
on_visible_items_changed (GListModel  *model,
                          guint        position,
                          guint        removed,
                          guint        added,
                          ListChanges *c)
{
  c->items_changed++;
}

typedef struct
{
  VigilJobRowAction  action;
  VigilJob          *job;
} Request;

static void
on_action_requested (VigilJobRow       *row,
                     VigilJobRowAction  action,
                     VigilJob          *job,
                     Request           *request)
{
  request->action = action;
  request->job = job;
}

static VigilJob *
visible_job (Fixture *f,
             guint    position)
{
  VigilJob *job = g_list_model_get_item (vigil_window_get_visible_jobs (f->window), position);

  g_object_unref (job);   /* the tracker keeps it */
  return job;
}

#define N_SORT_JOBS 40

/* Row actions re-sort only the job whose place changes, never the list:
 * Copy Job ID changes no place at all. */
static void
test_row_actions_resort (Fixture       *f,
                         gconstpointer  data)
{
  GListModel *visible = vigil_window_get_visible_jobs (f->window);
  GtkSortListModel *sorted = GTK_SORT_LIST_MODEL (visible);
  GtkFilterListModel *filtered = GTK_FILTER_LIST_MODEL (gtk_sort_list_model_get_model (sorted));
  VigilJob *jobs[N_SORT_JOBS], *third;
  g_autofree char *copied = NULL;
  ListChanges c = { 0 };
  Request request = { 0 };
  VigilJobRow *row;

  /* Only the list's order matters here: poll at the real pace, so that 40
   * jobs do not keep a slow (sanitized, busy) machine from drawing. */
  g_object_set (f->server, "speed", 1.0, NULL);
  g_object_set (f->poller, "time-scale", 1.0, NULL);
  for (guint i = 0; i < N_SORT_JOBS; i++)
    {
      g_autofree char *id = vigil_demo_server_add_job (f->server, VIGIL_JOB_KIND_PLAYLIST, i + 1,
                                                       20, 30.0, 0);

      jobs[i] = vigil_tracker_watch (f->tracker, id, VIGIL_JOB_KIND_PLAYLIST, i + 1);
    }
  settle ();
  /* Newest first. */
  g_assert_true (visible_job (f, 0) == jobs[N_SORT_JOBS - 1]);
  g_assert_true (visible_job (f, N_SORT_JOBS - 1) == jobs[0]);
  third = visible_job (f, 2);

  g_signal_connect (gtk_sort_list_model_get_sorter (sorted), "changed",
                    G_CALLBACK (on_sorter_changed), &c);
  g_signal_connect (gtk_filter_list_model_get_filter (filtered), "changed",
                    G_CALLBACK (on_filter_changed), &c);
  g_signal_connect (visible, "items-changed", G_CALLBACK (on_visible_items_changed), &c);

  /* The row says what was asked, for which job; the window does it. */
  row = find_row (f, third);
  g_signal_connect (row, "action-requested", G_CALLBACK (on_action_requested), &request);
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (row), "row.copy-id", NULL));
  g_signal_handlers_disconnect_by_data (row, &request);
  g_assert_cmpint (request.action, ==, VIGIL_JOB_ROW_ACTION_COPY_ID);
  g_assert_true (request.job == third);
  gdk_clipboard_read_text_async (gtk_widget_get_clipboard (GTK_WIDGET (f->window)), NULL,
                                 on_clipboard_text, &copied);
  while (copied == NULL)
    g_main_context_iteration (NULL, TRUE);
  g_assert_cmpstr (copied, ==, vigil_job_get_job_id (third));
  g_assert_cmpuint (c.sorter_changed, ==, 0);
  g_assert_cmpuint (c.filter_changed, ==, 0);
  g_assert_cmpuint (c.items_changed, ==, 0);

  /* A job no longer watched goes below the active ones: that job moves,
   * the others keep their order. */
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (find_row (f, third)), "row.stop-watching", NULL));
  g_assert_cmpuint (c.sorter_changed, ==, 0);
  g_assert_cmpuint (c.filter_changed, ==, 0);
  g_assert_cmpuint (c.items_changed, ==, 1);
  g_assert_true (visible_job (f, N_SORT_JOBS - 1) == third);
  g_assert_true (visible_job (f, 0) == jobs[N_SORT_JOBS - 1]);
  g_assert_true (visible_job (f, 2) == jobs[N_SORT_JOBS - 4]);
  g_assert_true (visible_job (f, N_SORT_JOBS - 2) == jobs[0]);

  /* Retry Now watches it again: back in its place. */
  settle ();
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (find_row (f, visible_job (f, 0))), "row.copy-id", NULL));
  g_assert_cmpuint (c.items_changed, ==, 1);
  vigil_tracker_retry_now (f->tracker, third);
  g_assert_cmpuint (c.sorter_changed, ==, 0);
  g_assert_cmpuint (c.items_changed, ==, 2);
  g_assert_true (visible_job (f, 2) == third);

  /* Only the filter changes when the filter does. */
  g_object_set (f->window, "filter", "active", NULL);
  g_assert_cmpuint (c.sorter_changed, ==, 0);
  g_assert_cmpuint (c.filter_changed, ==, 1);

  g_signal_handlers_disconnect_by_data (gtk_sort_list_model_get_sorter (sorted), &c);
  g_signal_handlers_disconnect_by_data (gtk_filter_list_model_get_filter (filtered), &c);
  g_signal_handlers_disconnect_by_data (visible, &c);
}

static gboolean
step_is (gpointer data)
{
  LabelQuery *q = data;

  return g_strcmp0 (vigil_job_row_get_step_text (VIGIL_JOB_ROW (q->root)), q->text) == 0;
}

/* Every request gets the sign-in redirect: the row says so in place of
 * "Waiting for a worker…" and does not claim the job is queued; signing
 * in resumes it (issue 9, item 8). */
static void
test_not_signed_in (Fixture       *f,
                    gconstpointer  data)
{
  g_autofree char *id = vigil_demo_server_add_job (f->server, VIGIL_JOB_KIND_PLAYLIST, 1, 3, 20, 0);
  g_autofree char *expected = g_strdup_printf ("Not signed in to 127.0.0.1:%u",
                                               vigil_demo_server_get_port (f->server));
  LabelQuery q = { NULL, expected };
  VigilJobRow *row;
  VigilJob *job;

  g_object_set (f->server, "require-token", "sesame", "signin-redirect", TRUE, NULL);
  job = vigil_tracker_watch (f->tracker, id, VIGIL_JOB_KIND_PLAYLIST, 1);
  row = find_row (f, job);
  q.root = GTK_WIDGET (row);
  g_assert_true (vigil_test_wait_for (step_is, &q, 5000));
  settle ();
  g_assert_cmpint (vigil_job_get_tracking_state (job), ==, VIGIL_TRACKING_STATE_NOT_SIGNED_IN);
  g_assert_cmpstr (vigil_job_row_get_trouble_text (row), ==, "Checking again every 30 s");
  g_assert_cmpstr (vigil_job_row_get_time_text (row), !=, "Queued");
  g_assert_null (vigil_test_find_label (GTK_WIDGET (row), "Waiting for a worker"));
  g_assert_null (vigil_test_find_label (GTK_WIDGET (row), "Unable to track"));

  vigil_api_client_set_token (f->client, "sesame");
  g_assert_true (wait_finished (&job, 1, 10000));
  g_assert_cmpint (vigil_job_get_server_state (job), ==, VIGIL_SERVER_STATE_SUCCEEDED);
  g_assert_cmpstr (vigil_job_row_get_step_text (row), ==, "Analysis finished!");
  g_assert_null (vigil_job_row_get_trouble_text (row));
}

/* An id the server never knew ends as "No such job on HOST", not as lost
 * (issue 9, item 10). */
static void
test_not_found (Fixture       *f,
                gconstpointer  data)
{
  VigilJob *job = vigil_tracker_watch (f->tracker, "no-such-job", VIGIL_JOB_KIND_UNKNOWN, -1);
  g_autofree char *expected = g_strdup_printf ("No such job on 127.0.0.1:%u",
                                               vigil_demo_server_get_port (f->server));
  VigilJobRow *row;

  g_assert_true (wait_finished (&job, 1, 10000));
  g_assert_cmpint (vigil_job_get_server_state (job), ==, VIGIL_SERVER_STATE_NOT_FOUND);
  row = find_row (f, job);
  g_assert_cmpstr (vigil_job_row_get_step_text (row), ==, expected);
  g_assert_true (bar_has_class (row, "error"));
  g_assert_null (vigil_job_row_get_trouble_text (row));
  g_object_set (f->window, "filter", "failed", NULL);
  g_assert_cmpuint (n_visible (f), ==, 1);
}

static void
save_widget_shot (GtkWidget  *widget,
                  const char *name)
{
  g_autofree char *dir = g_build_filename (g_getenv ("G_TEST_BUILDDIR") ?: ".", "screenshots", NULL);
  g_autofree char *path = g_build_filename (dir, name, NULL);
  GStatBuf st;

  g_mkdir_with_parents (dir, 0755);
  /* Rows catch up at the next frame; a loaded machine may take long to
   * lay the window out. */
  g_assert_true (vigil_test_wait_drawn (widget, 10000));
  g_assert_true (vigil_test_save_png (widget, path));
  g_assert_cmpint (g_stat (path, &st), ==, 0);
  g_assert_cmpint (st.st_size, >, 10000);
  g_test_message ("screenshot: %s", path);
}

static void
test_screenshots (Fixture       *f,
                  gconstpointer  data)
{
  g_autoptr(VigilJob) song = NULL, failed = NULL, playlist = NULL, account = NULL;
  VigilJobRow *row;

  song = start_job (f, VIGIL_JOB_KIND_SONG, "42");
  g_assert_true (wait_finished (&song, 1, 10000));
  g_object_set (f->server, "failure-rate", 1.0, NULL);
  failed = start_job (f, VIGIL_JOB_KIND_SONG, "77");
  g_assert_true (wait_finished (&failed, 1, 10000));
  g_object_set (f->server, "failure-rate", 0.0, "speed", 1.0, "song-seconds", 30.0, NULL);
  g_object_set (f->poller, "time-scale", 1.0, NULL);
  account = start_job (f, VIGIL_JOB_KIND_BACKGROUND, "3");
  playlist = start_job (f, VIGIL_JOB_KIND_PLAYLIST, "7");
  vigil_test_spin (1500);

  row = find_row (f, playlist);
  gtk_expander_set_expanded (GTK_EXPANDER (child_of (row, VIGIL_TYPE_JOB_ROW, "songs_expander")), TRUE);
  vigil_test_spin (100);
  gtk_adjustment_set_value (gtk_scrollable_get_vadjustment (GTK_SCROLLABLE (child_of (f->window, VIGIL_TYPE_WINDOW, "job_list"))), 0);

  adw_style_manager_set_color_scheme (adw_style_manager_get_default (), ADW_COLOR_SCHEME_FORCE_LIGHT);
  save_widget_shot (GTK_WIDGET (f->window), "job-list-light.png");
  adw_style_manager_set_color_scheme (adw_style_manager_get_default (), ADW_COLOR_SCHEME_FORCE_DARK);
  save_widget_shot (GTK_WIDGET (f->window), "job-list-dark.png");
  adw_style_manager_set_color_scheme (adw_style_manager_get_default (), ADW_COLOR_SCHEME_DEFAULT);

  /* The dialog, refusing a bad ID. */
  g_assert_false (submit_dialog (f, VIGIL_JOB_KIND_PLAYLIST, "twelve", FALSE));
  g_assert_true (vigil_test_wait_for (widget_is_mapped, current_dialog (), 5000));
  save_widget_shot (GTK_WIDGET (current_dialog ()), "new-analysis-dialog.png");
  gtk_window_destroy (current_dialog ());
}

static gboolean
has_notify_handler (VigilJob *job)
{
  return g_signal_has_handler_pending (job, g_signal_lookup ("notify", G_TYPE_OBJECT), 0, FALSE);
}

static gboolean
row_shows_status (gpointer data)
{
  VigilJobRow *row = data;
  g_autofree char *status = vigil_job_text_status (vigil_job_row_get_job (row));

  return g_strcmp0 (vigil_job_row_get_step_text (row), status) == 0;
}

/* A row listens to its job only while it is shown (a list keeps some 200
 * rows alive, most hidden, and a job nobody hears skips its notifications):
 * hidden, the job has no listener and the row does not follow; shown
 * again, it says what the job says now, and follows it again. */
static void
test_row_listens_while_shown (void)
{
  GtkWidget *window = gtk_window_new ();
  GtkWidget *row = vigil_job_row_new ();
  g_autoptr(VigilJob) job = vigil_job_new ("row-job", VIGIL_JOB_KIND_SONG, 5);
  g_autoptr(VigilJob) other = vigil_job_new ("other-job", VIGIL_JOB_KIND_SONG, 6);
  g_autoptr(VigilProgress) p = vigil_progress_new ();

  gtk_window_set_child (GTK_WINDOW (window), row);
  gtk_window_set_default_size (GTK_WINDOW (window), 600, 200);
  vigil_job_row_set_job (VIGIL_JOB_ROW (row), job);
  gtk_window_present (GTK_WINDOW (window));
  g_assert_true (vigil_test_wait_for (widget_is_mapped, row, 5000));
  g_assert_true (has_notify_handler (job));

  p->fraction = 0.25;
  p->step = VIGIL_STEP_ANALYZING;
  vigil_job_apply_progress (job, p, 0);
  g_assert_true (vigil_test_wait_for (row_shows_status, row, 5000));

  /* hidden: nobody listens, and what the job does next is not shown yet */
  gtk_widget_set_visible (row, FALSE);
  g_assert_false (gtk_widget_get_mapped (row));
  g_assert_false (has_notify_handler (job));
  p->fraction = 0.5;
  p->step = VIGIL_STEP_FETCHING_LYRICS;
  vigil_job_apply_progress (job, p, G_USEC_PER_SEC);
  vigil_test_spin (50);
  g_assert_false (row_shows_status (row));

  /* another job given to the hidden row: not listened to either */
  vigil_job_row_set_job (VIGIL_JOB_ROW (row), other);
  g_assert_false (has_notify_handler (other));
  g_assert_false (has_notify_handler (job));
  vigil_job_row_set_job (VIGIL_JOB_ROW (row), job);

  /* shown again: at once up to date, then it follows */
  gtk_widget_set_visible (row, TRUE);
  g_assert_true (vigil_test_wait_for (widget_is_mapped, row, 5000));
  g_assert_true (has_notify_handler (job));
  g_assert_true (row_shows_status (row));
  p->fraction = 0.75;
  p->step = VIGIL_STEP_ANALYZING;
  vigil_job_apply_progress (job, p, 2 * G_USEC_PER_SEC);
  g_assert_true (vigil_test_wait_for (row_shows_status, row, 5000));

  gtk_window_destroy (GTK_WINDOW (window));
  g_assert_false (has_notify_handler (job));
}

/* The application keeps glibc's trim threshold where it starts
 * (vigil-application.c): once a large block was freed (GTK frees window
 * images), megabytes freed at the top of the heap are still returned, not
 * kept for good. */
static void
test_free_heap_returned (void)
{
#ifdef __GLIBC__
  char *big = g_malloc (8 * 1024 * 1024);   /* mmapped */
  g_autoptr(GPtrArray) small = g_ptr_array_new ();

  big[0] = 1;
  g_free (big);  /* glibc would raise its thresholds to 8 and 16 MB here */
  for (guint i = 0; i < 8192; i++)
    {
      char *block = g_malloc (1024);

      block[0] = 1;
      g_ptr_array_add (small, block);
    }
  /* oldest first: the last ones freed join the free top of the heap */
  for (guint i = 0; i < small->len; i++)
    g_free (small->pdata[i]);
  g_assert_cmpuint (mallinfo2 ().keepcost, <=, 2 * VIGIL_APPLICATION_TRIM_THRESHOLD);
#else
  g_test_skip ("glibc's allocator only");
#endif
}

#ifdef __GLIBC__
/* The allocator's arenas, from malloc_info()'s report. */
static guint
count_arenas (void)
{
  char *text = NULL;
  size_t size = 0;
  FILE *out = open_memstream (&text, &size);
  guint n = 0;

  g_assert_nonnull (out);
  g_assert_cmpint (malloc_info (0, out), ==, 0);
  fclose (out);
  for (const char *p = text; (p = strstr (p, "<heap nr=")) != NULL; p++)
    n++;
  free (text);
  return n;
}

static gpointer
allocate_in_thread (gpointer data)
{
  char *block = g_malloc (4096);

  block[0] = 1;
  g_free (block);
  return NULL;
}
#endif

/* The application (its startup, or main() before it) keeps one arena: a
 * thread started since allocates from the main heap, not a new one. In a
 * fresh process: there, no thread has ended yet, whose arena a new thread
 * would take over anyway. */
static void
test_one_arena (void)
{
#ifdef __GLIBC__
  if (g_test_subprocess ())
    {
      guint before = count_arenas ();

      g_thread_join (g_thread_new ("allocates", allocate_in_thread, NULL));
      g_assert_cmpuint (count_arenas (), ==, before);
      return;
    }
  g_test_trap_subprocess (NULL, 60 * G_USEC_PER_SEC, G_TEST_SUBPROCESS_INHERIT_STDERR);
  g_test_trap_assert_passed ();
#else
  g_test_skip ("glibc's allocator only");
#endif
}

int
main (int argc, char *argv[])
{
  int ret;

  VIGIL_TEST_REQUIRE_DISPLAY ();
  /* The test accessibility backend records what a screen reader would get. */
  g_setenv ("GTK_A11Y", "test", TRUE);
  gtk_test_init (&argc, &argv, NULL);
  adw_init ();

  app = vigil_application_new (APP_ID ".JobListTest", G_APPLICATION_NON_UNIQUE);
  g_application_register (G_APPLICATION (app), NULL, NULL);
  g_application_hold (G_APPLICATION (app));

#define ADD(path, func) \
  g_test_add ("/vigil/job-list/" path, Fixture, NULL, fixture_setup, func, fixture_teardown)
  ADD ("start-and-finish", test_start_and_finish);
  ADD ("playlist-songs", test_playlist_songs);
  ADD ("failure", test_failure);
  ADD ("stop-watching", test_stop_watching);
  ADD ("tracking-trouble", test_tracking_trouble);
  ADD ("filters-search-clear", test_filters_search_clear);
  ADD ("invalid-input", test_invalid_input);
  ADD ("dead-server", test_dead_server);
  ADD ("watch-and-copy", test_watch_and_copy);
  ADD ("row-actions-resort", test_row_actions_resort);

  ADD ("not-found", test_not_found);
  ADD ("not-signed-in", test_not_signed_in);
  ADD ("screenshots", test_screenshots);
#undef ADD
  g_test_add_func ("/vigil/job-list/row-listens-while-shown", test_row_listens_while_shown);
  g_test_add_func ("/vigil/job-list/free-heap-returned", test_free_heap_returned);
  g_test_add_func ("/vigil/job-list/one-arena", test_one_arena);

  ret = g_test_run ();

  g_application_release (G_APPLICATION (app));
  g_clear_object (&app);
  return ret;
}
