/* test-server-page.c — the Servers view against the demo server: the
 * values shown are the server's (also in its production-quirks mode, where
 * /api/queue/status says 0), polling only while the page is visible and
 * the window shown (requests counted at the server), a job started
 * elsewhere appears under "Also on this server" and Watch tracks it,
 * auto-watch (kept in the settings) tracks a job that curl started,
 * cleanup answered and refused (401, 403), Analyze a Whole Library, the
 * failing banner, the charts' data, drawing and description. Writes screenshots/server-page-light.png
 * and server-page-dark.png.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <adwaita.h>
#include <glib/gstdio.h>
#include <json-glib/json-glib.h>

#include "vigil-application.h"
#include "vigil-chart.h"
#include "vigil-demo-server.h"
#include "vigil-job-text.h"
#include "vigil-new-analysis-dialog.h"
#include "vigil-server-page.h"
#include "vigil-server-text.h"
#include "vigil-window.h"
#include "vigil-test-gui.h"

#define SPEED 50.0
#define USER_TOKEN  "user-secret"
#define ADMIN_TOKEN "admin-secret"

static VigilApplication *app;

typedef struct
{
  VigilDemoServer *server;
  VigilApiClient  *client;
  VigilPoller     *poller;
  VigilTracker    *tracker;
  GListStore      *trackers;
  char            *url;
  VigilWindow     *window;
  VigilServerPage *page;
  AdwViewStack    *view_stack;
} Fixture;

typedef struct
{
  gboolean quirks;
  gboolean tokens;
  guint    workers;
} Options;

/* ------------------------------------------------------------------ */
/* Fixture                                                             */
/* ------------------------------------------------------------------ */

static gboolean
widget_is_mapped (gpointer data)
{
  return gtk_widget_get_mapped (GTK_WIDGET (data));
}

static void
fixture_setup (Fixture       *f,
               gconstpointer  data)
{
  const Options *options = data;
  GSettings *settings = vigil_application_get_settings (app);
  g_autoptr(GError) error = NULL;

  f->server = g_object_new (VIGIL_TYPE_DEMO_SERVER, "speed", SPEED, "song-seconds", 3.0,
                            "workers", options->workers, "seed", (guint64) 5,
                            "production-quirks", options->quirks, NULL);
  if (options->tokens)
    g_object_set (f->server, "require-token", USER_TOKEN, "admin-token", ADMIN_TOKEN, NULL);
  g_assert_true (vigil_demo_server_listen (f->server, NULL, 0, &error));
  f->url = vigil_demo_server_get_url (f->server);
  f->client = vigil_api_client_new (f->url, &error);
  g_assert_no_error (error);
  vigil_api_client_set_timeout (f->client, 5);
  if (options->tokens)
    vigil_api_client_set_token (f->client, ADMIN_TOKEN);
  f->poller = g_object_new (VIGIL_TYPE_POLLER, "client", f->client,
                            "time-scale", 1.0 / SPEED, "jitter", 0.0, NULL);
  f->tracker = vigil_tracker_new (f->client, f->poller);
  f->trackers = g_list_store_new (VIGIL_TYPE_TRACKER);
  g_list_store_append (f->trackers, f->tracker);

  g_settings_set_string (settings, "server-url", f->url);
  g_settings_reset (settings, "auto-watch-servers");
  g_settings_reset (settings, "server-names");
  f->window = vigil_window_new_for_servers (app, settings, G_LIST_MODEL (f->trackers),
                                            f->tracker, NULL);
  gtk_window_set_default_size (GTK_WINDOW (f->window), 900, 1000);
  f->page = VIGIL_SERVER_PAGE (gtk_widget_get_template_child (GTK_WIDGET (f->window), VIGIL_TYPE_WINDOW,
                                                              "server_page"));
  {
    g_autoptr(GPtrArray) stacks = vigil_test_find_all (GTK_WIDGET (f->window), ADW_TYPE_VIEW_STACK);

    g_assert_cmpuint (stacks->len, ==, 1);
    f->view_stack = g_ptr_array_index (stacks, 0);
  }
  gtk_window_present (GTK_WINDOW (f->window));
  g_assert_true (vigil_test_wait_for (widget_is_mapped, f->window, 5000));
}

static void
fixture_teardown (Fixture       *f,
                  gconstpointer  data)
{
  gtk_window_destroy (GTK_WINDOW (f->window));
  g_clear_object (&f->trackers);
  g_clear_object (&f->tracker);
  g_clear_object (&f->poller);
  g_clear_object (&f->client);
  g_clear_object (&f->server);
  g_clear_pointer (&f->url, g_free);
  vigil_test_spin (10);
}

/* ------------------------------------------------------------------ */
/* Helpers                                                             */
/* ------------------------------------------------------------------ */

static VigilServerMonitor *
monitor_of (Fixture *f)
{
  return vigil_server_page_get_monitor (f->page, 0);
}

static VigilServerSection *
section_of (Fixture *f)
{
  return vigil_server_page_get_section (f->page, 0);
}

static gpointer
section_child (Fixture    *f,
               const char *name)
{
  return gtk_widget_get_template_child (GTK_WIDGET (section_of (f)), VIGIL_TYPE_SERVER_SECTION, name);
}

static const char *
label_text (Fixture    *f,
            const char *name)
{
  return gtk_label_get_label (GTK_LABEL (section_child (f, name)));
}

static void
show_servers (Fixture *f)
{
  adw_view_stack_set_visible_child_name (f->view_stack, "servers");
}

static gboolean
page_active (gpointer data)
{
  return vigil_server_page_get_active (data);
}

static gboolean
page_inactive (gpointer data)
{
  return !vigil_server_page_get_active (data);
}

static void
save_screenshot (GtkWidget  *widget,
                 const char *name)
{
  g_autofree char *dir = g_build_filename (g_getenv ("G_TEST_BUILDDIR") ?: ".", "screenshots", NULL);
  g_autofree char *path = g_build_filename (dir, name, NULL);

  g_mkdir_with_parents (dir, 0755);
  g_assert_true (vigil_test_wait_drawn (widget, 10000));
  g_assert_true (vigil_test_save_png (widget, path));
  g_test_message ("screenshot: %s", path);
}

/* ------------------------------------------------------------------ */
/* Values                                                              */
/* ------------------------------------------------------------------ */

static char *
record_title (const VigilJobRecord *record)
{
  return vigil_job_text_title (record->kind, record->target_id, record->song_title,
                               record->artist, record->playlist_name);
}

/* One long job running (it does not end during the test), two pending:
 * the labels say so, and the current job's title is the monitor's. */
static gboolean
values_shown (gpointer data)
{
  Fixture *f = data;
  VigilWorkerHealth *worker = vigil_server_monitor_get_worker (monitor_of (f));
  g_autofree char *title = NULL;

  if (worker == NULL || worker->current_job == NULL)
    return FALSE;
  title = record_title (worker->current_job);
  return g_strcmp0 (label_text (f, "pending_label"), "2") == 0 &&
         g_strcmp0 (label_text (f, "running_label"), "1") == 0 &&
         g_strcmp0 (label_text (f, "current_label"), title) == 0 &&
         g_strcmp0 (label_text (f, "active_label"), title) == 0 &&
         g_strcmp0 (label_text (f, "status_label"),
                    vigil_server_text_worker_state (VIGIL_WORKER_STATE_RUNNING)) == 0;
}

/* An hour the screenshots can show: a queue that grows and drains, songs
 * per minute, and ten minutes without data (a gap). */
static void
fill_history (VigilServerHistory *history)
{
  gint64 now_minute = g_get_real_time () / G_USEC_PER_SEC / 60;

  for (gint64 age = 55; age >= 1; age--)
    {
      gint64 us = (now_minute - age) * 60 * G_USEC_PER_SEC;
      gint64 queue = age > 30 ? 55 - age : age;

      if (age >= 18 && age < 28)
        continue;
      vigil_server_history_record (history, us, queue, -1);
      vigil_server_history_record (history, us + G_USEC_PER_SEC, -1, 4 + (age * 7) % 9);
    }
}

static void
test_values (Fixture       *f,
             gconstpointer  data)
{
  const Options *options = data;
  g_autofree char *running = vigil_demo_server_add_job (f->server, VIGIL_JOB_KIND_PLAYLIST, 3, 4, 100000.0, 0);
  VigilServerMonitor *monitor;
  VigilWorkerHealth *worker;
  GtkWidget *dot;

  for (guint i = 0; i < 2; i++)
    g_free (vigil_demo_server_add_job (f->server, VIGIL_JOB_KIND_SONG, 5 + i, 1, 3.0, 0));

  g_assert_cmpuint (vigil_server_page_get_n_servers (f->page), ==, 1);
  monitor = monitor_of (f);
  /* Unknown until the server says: never 0. */
  g_assert_cmpstr (label_text (f, "pending_label"), ==, "—");
  g_assert_cmpstr (label_text (f, "processed_label"), ==, "—");
  g_assert_cmpstr (label_text (f, "active_label"), ==, vigil_server_text_unknown ());
  g_assert_cmpstr (label_text (f, "current_label"), ==, vigil_server_text_unknown ());
  g_assert_cmpstr (label_text (f, "status_label"), ==, vigil_server_text_worker_state (VIGIL_WORKER_STATE_UNKNOWN));
  g_assert_true (gtk_widget_has_css_class (section_child (f, "status_dot"), "unknown"));

  if (!options->quirks)
    fill_history (vigil_server_monitor_get_history (monitor));

  show_servers (f);
  g_assert_true (vigil_test_wait_for (page_active, f->page, 5000));
  g_assert_true (vigil_server_monitor_get_active (monitor));
  g_assert_true (vigil_test_wait_for (values_shown, f, 20000));

  worker = vigil_server_monitor_get_worker (monitor);
  g_assert_cmpstr (label_text (f, "completed_label"), ==, "0");
  g_assert_cmpstr (label_text (f, "failed_label"), ==, "0");
  g_assert_cmpstr (worker->current_job->job_id, ==, running);
  g_assert_cmpstr (label_text (f, "processed_label"), ==, "0");
  g_assert_cmpstr (label_text (f, "uptime_label"), !=, vigil_server_text_unknown ());
  dot = section_child (f, "status_dot");
  g_assert_true (gtk_widget_has_css_class (dot, "running"));
  g_assert_false (gtk_widget_has_css_class (dot, "unknown"));
  /* No warning during a job that progresses. */
  g_assert_false (gtk_widget_get_visible (section_child (f, "heartbeat_warning_row")));
  g_assert_false (gtk_revealer_get_reveal_child (section_child (f, "failing_revealer")));

  if (options->quirks)
    {
      /* The status's all-zero breakdown is no answer: unknown, not 0. */
      g_assert_cmpstr (label_text (f, "priorities_label"), ==, "—");
      g_assert_cmpint (vigil_server_monitor_get_counts (monitor)->source, ==,
                       VIGIL_QUEUE_COUNTS_QUEUE_HEALTH);
    }
  else
    {
      g_autofree char *priorities = vigil_server_text_priorities (vigil_server_monitor_get_counts (monitor));

      g_assert_cmpstr (label_text (f, "priorities_label"), ==, priorities);
      g_assert_cmpstr (label_text (f, "priorities_label"), !=, "—");
    }

  if (!options->quirks)
    {
      AdwStyleManager *style = adw_style_manager_get_default ();

      save_screenshot (GTK_WIDGET (f->window), "server-page-light.png");
      save_screenshot (GTK_WIDGET (section_of (f)), "server-section-light.png");
      adw_style_manager_set_color_scheme (style, ADW_COLOR_SCHEME_FORCE_DARK);
      save_screenshot (GTK_WIDGET (f->window), "server-page-dark.png");
      adw_style_manager_set_color_scheme (style, ADW_COLOR_SCHEME_DEFAULT);
      /* Narrow: the switcher moves to a bar at the bottom (kept in the
       * build directory only). */
      gtk_window_set_default_size (GTK_WINDOW (f->window), 360, 700);
      save_screenshot (GTK_WIDGET (f->window), "server-page-narrow.png");
    }
}

/* ------------------------------------------------------------------ */
/* Polling only while shown                                            */
/* ------------------------------------------------------------------ */

typedef struct
{
  VigilDemoServer *server;
  guint64          count;
  double           until;
} CountWait;

static gboolean
status_count_above (gpointer data)
{
  CountWait *w = data;

  return vigil_demo_server_get_request_count (w->server, "/api/queue/status") > w->count;
}

static gboolean
keep_awake (gpointer data)
{
  return G_SOURCE_CONTINUE;
}

static gboolean
virtual_time_past (gpointer data)
{
  CountWait *w = data;

  return vigil_demo_server_get_virtual_time (w->server) > w->until;
}

/* Nothing sent for 10 rounds' worth of time (a round already on its way
 * when the page went away may still arrive: one). */
static void
assert_quiet (Fixture *f)
{
  CountWait w = { f->server, 0, 0 };
  guint64 before;
  guint tick;

  before = vigil_demo_server_get_request_count (f->server, "/api/queue/status");
  w.until = vigil_demo_server_get_virtual_time (f->server) + 10 * VIGIL_MONITOR_INTERVAL_MS / 1000.0;
  /* Nothing else may wake the main loop while all is quiet: a tick does,
   * so that the clock is looked at. */
  tick = g_timeout_add (20, keep_awake, NULL);
  g_assert_true (vigil_test_wait_for (virtual_time_past, &w, 20000));
  g_source_remove (tick);
  vigil_test_spin (50);
  g_assert_cmpuint (vigil_demo_server_get_request_count (f->server, "/api/queue/status"), <=, before + 1);
  g_assert_cmpuint (vigil_demo_server_get_request_count (f->server, "/api/worker/health"), <=,
                    vigil_demo_server_get_request_count (f->server, "/api/queue/status") + 1);
}

static void
assert_polling (Fixture *f)
{
  CountWait w = { f->server, 0, 0 };

  w.count = vigil_demo_server_get_request_count (f->server, "/api/queue/status") + 3;
  g_assert_true (vigil_test_wait_for (status_count_above, &w, 20000));
}

static void
test_polling (Fixture       *f,
              gconstpointer  data)
{
  /* The Jobs view: no dashboard request at all. */
  assert_quiet (f);
  g_assert_cmpuint (vigil_demo_server_get_request_count (f->server, "/api/queue/status"), ==, 0);
  g_assert_false (vigil_server_monitor_get_active (monitor_of (f)));

  show_servers (f);
  g_assert_true (vigil_test_wait_for (page_active, f->page, 5000));
  assert_polling (f);

  /* Back to the jobs: quiet. */
  adw_view_stack_set_visible_child_name (f->view_stack, "jobs");
  g_assert_true (vigil_test_wait_for (page_inactive, f->page, 5000));
  g_assert_false (vigil_server_monitor_get_active (monitor_of (f)));
  assert_quiet (f);

  /* The page visible but the window hidden: quiet too. */
  show_servers (f);
  g_assert_true (vigil_test_wait_for (page_active, f->page, 5000));
  assert_polling (f);
  gtk_widget_set_visible (GTK_WIDGET (f->window), FALSE);
  g_assert_true (vigil_test_wait_for (page_inactive, f->page, 5000));
  assert_quiet (f);

  /* Shown again: polling again. */
  gtk_window_present (GTK_WINDOW (f->window));
  g_assert_true (vigil_test_wait_for (page_active, f->page, 5000));
  assert_polling (f);
}

/* ------------------------------------------------------------------ */
/* A failing server                                                    */
/* ------------------------------------------------------------------ */

static gboolean
banner_shown (gpointer data)
{
  Fixture *f = data;
  const GError *error = vigil_server_monitor_get_last_error (monitor_of (f));
  g_autofree char *want = NULL;

  if (!gtk_revealer_get_reveal_child (section_child (f, "failing_revealer")) || error == NULL)
    return FALSE;
  want = vigil_server_text_failing (error, vigil_server_monitor_get_failing_since (monitor_of (f)));
  return g_strcmp0 (label_text (f, "failing_label"), want) == 0;
}

static gboolean
banner_hidden (gpointer data)
{
  Fixture *f = data;

  return !gtk_revealer_get_reveal_child (section_child (f, "failing_revealer")) &&
         g_strcmp0 (label_text (f, "pending_label"), "—") != 0;
}

static void
test_failing (Fixture       *f,
              gconstpointer  data)
{
  g_object_set (f->server, "error-rate", 1.0, NULL);
  show_servers (f);
  g_assert_true (vigil_test_wait_for (banner_shown, f, 20000));
  /* Unknown values stay unknown while failing. */
  g_assert_cmpstr (label_text (f, "pending_label"), ==, "—");

  g_object_set (f->server, "error-rate", 0.0, NULL);
  vigil_server_monitor_refresh (monitor_of (f));
  g_assert_true (vigil_test_wait_for (banner_hidden, f, 30000));
}

/* ------------------------------------------------------------------ */
/* Also on this server                                                 */
/* ------------------------------------------------------------------ */

typedef struct
{
  Fixture    *f;
  const char *job_id;
} JobWait;

static GtkWidget *
discovered_row (Fixture    *f,
                const char *title)
{
  GtkWidget *list = section_child (f, "discovered_list");
  g_autoptr(GPtrArray) rows = vigil_test_find_all (list, ADW_TYPE_ACTION_ROW);

  for (guint i = 0; i < rows->len; i++)
    if (g_strcmp0 (adw_preferences_row_get_title (g_ptr_array_index (rows, i)), title) == 0)
      return g_ptr_array_index (rows, i);
  return NULL;
}

static gboolean
discovered_shown (gpointer data)
{
  JobWait *w = data;
  GListModel *discovered = vigil_server_monitor_get_discovered (monitor_of (w->f));

  for (guint i = 0; i < g_list_model_get_n_items (discovered); i++)
    {
      g_autoptr(VigilDiscoveredJob) job = g_list_model_get_item (discovered, i);

      if (g_str_equal (vigil_discovered_job_get_job_id (job), w->job_id))
        return discovered_row (w->f, vigil_discovered_job_get_title (job)) != NULL;
    }
  return FALSE;
}

static gboolean
job_tracked (gpointer data)
{
  JobWait *w = data;

  return vigil_tracker_lookup (w->f->tracker, w->job_id) != NULL &&
         g_list_model_get_n_items (vigil_server_monitor_get_discovered (monitor_of (w->f))) == 0;
}

static void
on_curl_done (GObject      *object,
              GAsyncResult *result,
              gpointer      user_data)
{
  char **out = user_data;
  g_autoptr(GError) error = NULL;

  g_assert_true (g_subprocess_communicate_utf8_finish (G_SUBPROCESS (object), result, out, NULL, &error));
  g_assert_no_error (error);
}

static gboolean
string_set (gpointer data)
{
  return *(char **) data != NULL;
}

/* Another client: curl starts a song's analysis (the demo server runs in
 * this process, so curl runs alongside the main loop). Its job id. */
static char *
start_with_curl (Fixture *f,
                 gint64   song_id)
{
  g_autofree char *curl = g_find_program_in_path ("curl");
  g_autofree char *url = g_strdup_printf ("%s/api/songs/%" G_GINT64_FORMAT "/analyze", f->url, song_id);
  g_autoptr(GSubprocess) process = NULL;
  g_autoptr(JsonParser) parser = json_parser_new ();
  g_autoptr(GError) error = NULL;
  g_autofree char *out = NULL;

  if (curl == NULL)
    {
      g_test_message ("no curl: the job is added to the demo server directly");
      return vigil_demo_server_add_job (f->server, VIGIL_JOB_KIND_SONG, song_id, 1, 100000.0, 0);
    }
  process = g_subprocess_new (G_SUBPROCESS_FLAGS_STDOUT_PIPE, &error,
                              curl, "--silent", "--fail", "--request", "POST", url, NULL);
  g_assert_no_error (error);
  g_subprocess_communicate_utf8_async (process, NULL, NULL, on_curl_done, &out);
  g_assert_true (vigil_test_wait_for (string_set, &out, 20000));
  g_assert_true (json_parser_load_from_data (parser, out, -1, &error));
  g_assert_no_error (error);
  return g_strdup (json_object_get_string_member (json_node_get_object (json_parser_get_root (parser)), "job_id"));
}

static void
test_discovered (Fixture       *f,
                 gconstpointer  data)
{
  g_autofree char *other = vigil_demo_server_add_job (f->server, VIGIL_JOB_KIND_PLAYLIST, 4, 5, 100000.0, 0);
  g_autofree char *later = NULL;
  g_autoptr(GPtrArray) buttons = NULL;
  g_auto(GStrv) saved = NULL;
  GtkSwitch *sw;
  JobWait w = { f, other };

  show_servers (f);
  g_assert_true (vigil_test_wait_for (discovered_shown, &w, 20000));

  /* Its Watch button tracks it, and it leaves the list. */
  buttons = vigil_test_find_all (section_child (f, "discovered_list"), GTK_TYPE_BUTTON);
  g_assert_cmpuint (buttons->len, ==, 1);
  g_signal_emit_by_name (g_ptr_array_index (buttons, 0), "clicked");
  g_assert_true (vigil_test_wait_for (job_tracked, &w, 20000));

  /* "Watch every job on this server": kept, and a new job is tracked. */
  sw = section_child (f, "auto_watch_switch");
  g_assert_false (gtk_switch_get_active (sw));
  gtk_switch_set_active (sw, TRUE);
  g_assert_true (vigil_server_monitor_get_auto_watch (monitor_of (f)));
  saved = g_settings_get_strv (vigil_application_get_settings (app), "auto-watch-servers");
  g_assert_true (g_strv_contains ((const char * const *) saved, vigil_api_client_get_base_url (f->client)));

  /* long enough to be seen running whatever the machine's speed */
  g_object_set (f->server, "song-seconds", 100000.0, NULL);
  later = start_with_curl (f, 9);
  w.job_id = later;
  g_assert_true (vigil_test_wait_for (job_tracked, &w, 20000));

  gtk_switch_set_active (sw, FALSE);
  g_clear_pointer (&saved, g_strfreev);
  saved = g_settings_get_strv (vigil_application_get_settings (app), "auto-watch-servers");
  g_assert_cmpuint (g_strv_length (saved), ==, 0);
}

/* ------------------------------------------------------------------ */
/* Cleanup                                                             */
/* ------------------------------------------------------------------ */

static gboolean
cleanup_answered (gpointer data)
{
  return vigil_server_section_get_cleanup_result (data) != NULL;
}

static char *
run_cleanup (Fixture *f,
             int      hours)
{
  VigilServerSection *section = section_of (f);
  AdwMessageDialog *dialog = vigil_server_section_show_cleanup (section);
  GtkSpinButton *spin = g_object_get_data (G_OBJECT (dialog), "vigil-hours");

  g_assert_cmpint (gtk_spin_button_get_value_as_int (spin), ==, VIGIL_MONITOR_MAX_AGE_HOURS_DEFAULT);
  gtk_spin_button_set_value (spin, hours);
  adw_message_dialog_response (dialog, "cleanup");
  g_assert_true (vigil_test_wait_for (cleanup_answered, section, 20000));
  return g_strdup (vigil_server_section_get_cleanup_result (section));
}

static gboolean
library_refused (gpointer data)
{
  return !gtk_widget_get_sensitive (data);
}

static VigilNewAnalysisDialog *
find_new_analysis_dialog (void)
{
  g_autoptr(GList) toplevels = gtk_window_list_toplevels ();

  for (GList *l = toplevels; l != NULL; l = l->next)
    if (VIGIL_IS_NEW_ANALYSIS_DIALOG (l->data))
      return l->data;
  return NULL;
}

/* Analyze a Whole Library opens New Analysis with the user's library
 * chosen, on this server. */
static void
assert_library_dialog (Fixture *f)
{
  VigilNewAnalysisDialog *dialog;
  GtkWidget *chooser;
  g_autoptr(GtkStringObject) url = NULL;

  g_signal_emit_by_name (section_child (f, "library_button"), "clicked");
  dialog = find_new_analysis_dialog ();
  g_assert_nonnull (dialog);
  g_assert_true (gtk_check_button_get_active (GTK_CHECK_BUTTON (
    gtk_widget_get_template_child (GTK_WIDGET (dialog), VIGIL_TYPE_NEW_ANALYSIS_DIALOG, "user_check"))));
  chooser = vigil_new_analysis_dialog_get_server_chooser (dialog);
  url = g_list_model_get_item (gtk_drop_down_get_model (GTK_DROP_DOWN (chooser)),
                               gtk_drop_down_get_selected (GTK_DROP_DOWN (chooser)));
  g_assert_cmpstr (gtk_string_object_get_string (url), ==, vigil_api_client_get_base_url (f->client));
  gtk_window_destroy (GTK_WINDOW (dialog));
}

static void
test_cleanup (Fixture       *f,
              gconstpointer  data)
{
  g_autofree char *done = NULL;
  g_autofree char *refused = NULL;
  g_autofree char *unknown = NULL;
  GtkWidget *library;

  show_servers (f);
  g_assert_true (vigil_test_wait_for (page_active, f->page, 5000));
  library = section_child (f, "library_button");
  g_assert_true (gtk_widget_get_sensitive (library));
  assert_library_dialog (f);

  done = run_cleanup (f, 12);
  g_assert_null (strstr (done, "Not an admin"));
  g_assert_false (g_str_has_prefix (done, "Cleanup failed"));
  g_assert_cmpuint (vigil_demo_server_get_request_count (f->server, "/api/progress/cleanup"), ==, 1);

  /* A user who is not an admin (403): told so in words, and Analyze a
   * Whole Library is refused with the reason. */
  vigil_api_client_set_token (f->client, USER_TOKEN);
  refused = run_cleanup (f, 48);
  g_assert_cmpstr (refused, ==, "Not an admin");
  g_assert_cmpuint (vigil_demo_server_get_request_count (f->server, "/api/progress/cleanup"), ==, 2);
  vigil_server_monitor_refresh (monitor_of (f));
  g_assert_true (vigil_test_wait_for (library_refused, library, 20000));
  g_assert_cmpstr (gtk_widget_get_tooltip_text (library), ==, "Not an admin");

  /* A token the server does not know (401): the same words. */
  vigil_api_client_set_token (f->client, "nobody");
  unknown = run_cleanup (f, 1);
  g_assert_cmpstr (unknown, ==, "Not an admin");
  g_assert_cmpuint (vigil_demo_server_get_request_count (f->server, "/api/progress/cleanup"), ==, 3);
}

/* ------------------------------------------------------------------ */
/* Several servers                                                     */
/* ------------------------------------------------------------------ */

static gboolean
both_answered (gpointer data)
{
  VigilServerPage *page = data;

  return vigil_server_page_get_n_servers (page) == 2 &&
         vigil_server_monitor_get_last_update (vigil_server_page_get_monitor (page, 0)) > 0 &&
         vigil_server_monitor_get_last_update (vigil_server_page_get_monitor (page, 1)) > 0;
}

/* What the user calls a server (the window hands it to its tracker). */
static void
set_server_name (const char *url,
                 const char *name)
{
  g_autoptr(GVariantBuilder) names = g_variant_builder_new (G_VARIANT_TYPE ("a{ss}"));

  g_variant_builder_add (names, "{ss}", url, name);
  g_settings_set_value (vigil_application_get_settings (app), "server-names",
                        g_variant_builder_end (names));
}

static void
test_two_servers (Fixture       *f,
                  gconstpointer  data)
{
  g_autoptr(VigilDemoServer) server = g_object_new (VIGIL_TYPE_DEMO_SERVER, "speed", SPEED, NULL);
  g_autoptr(VigilApiClient) client = NULL;
  g_autoptr(VigilPoller) poller = NULL;
  g_autoptr(VigilTracker) tracker = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *url = NULL;

  g_assert_true (vigil_demo_server_listen (server, NULL, 0, &error));
  url = vigil_demo_server_get_url (server);
  client = vigil_api_client_new (url, &error);
  g_assert_no_error (error);
  poller = g_object_new (VIGIL_TYPE_POLLER, "client", client, "time-scale", 1.0 / SPEED, NULL);
  tracker = vigil_tracker_new (client, poller);

  show_servers (f);
  g_assert_true (vigil_test_wait_for (page_active, f->page, 5000));
  g_assert_false (gtk_widget_get_visible (section_child (f, "title_label")));

  /* A server added: a section each, named, every monitor polling. */
  set_server_name (url, "Second Server");
  g_list_store_append (f->trackers, tracker);
  g_assert_cmpuint (vigil_server_page_get_n_servers (f->page), ==, 2);
  g_assert_true (vigil_test_wait_for (both_answered, f->page, 20000));
  g_assert_true (gtk_widget_get_visible (section_child (f, "title_label")));
  g_assert_cmpstr (label_text (f, "title_label"), ==, vigil_tracker_get_server_name (f->tracker));
  {
    GtkWidget *second = GTK_WIDGET (vigil_server_page_get_section (f->page, 1));
    GtkLabel *title = GTK_LABEL (gtk_widget_get_template_child (second, VIGIL_TYPE_SERVER_SECTION, "title_label"));

    g_assert_cmpstr (gtk_label_get_label (title), ==, "Second Server");
    set_server_name (url, "Renamed");
    g_assert_cmpstr (vigil_tracker_get_server_name (tracker), ==, "Renamed");
    g_assert_cmpstr (gtk_label_get_label (title), ==, "Renamed");
  }
  g_assert_cmpuint (vigil_demo_server_get_request_count (server, "/api/queue/status"), >, 0);

  g_list_store_remove (f->trackers, 1);
  g_assert_cmpuint (vigil_server_page_get_n_servers (f->page), ==, 1);
}

/* ------------------------------------------------------------------ */
/* Charts                                                              */
/* ------------------------------------------------------------------ */

static gint64
songs_this_minute (VigilServerHistory *history)
{
  gint64 now_us = g_get_real_time ();
  g_autoptr(GArray) samples = vigil_server_history_get_samples (history, now_us);
  const VigilHistorySample *last;

  if (samples->len == 0)
    return -1;
  last = &g_array_index (samples, VigilHistorySample, samples->len - 1);
  return last->minute == now_us / G_USEC_PER_SEC / 60 ? last->songs : -1;
}

/* Minutes of virtual time later: the queue drawn, songs counted. */
static gboolean
charts_filled (gpointer data)
{
  Fixture *f = data;
  VigilChart *queue = section_child (f, "queue_chart");

  return vigil_demo_server_get_virtual_time (f->server) > 180 &&
         vigil_chart_get_n_points (queue) > 0 &&
         songs_this_minute (vigil_server_monitor_get_history (monitor_of (f))) > 0;
}

static void
test_charts (Fixture       *f,
             gconstpointer  data)
{
  VigilChart *queue;
  VigilChart *songs;
  g_autofree char *want = NULL;

  /* 100 songs of 10 s on 3 workers: a queue for about 330 s */
  for (guint i = 0; i < 100; i++)
    g_free (vigil_demo_server_add_job (f->server, VIGIL_JOB_KIND_SONG, 1 + i, 1, 10.0, 0));

  queue = section_child (f, "queue_chart");
  songs = section_child (f, "songs_chart");
  g_assert_cmpuint (vigil_chart_get_n_points (queue), ==, 0);
  g_assert_true (vigil_chart_get_history (songs) == vigil_server_monitor_get_history (monitor_of (f)));
  show_servers (f);
  g_assert_true (vigil_test_wait_for (charts_filled, f, 30000));
  g_assert_cmpint (vigil_chart_get_max (queue), >, 0);

  /* The accessible description: the history's words, on both charts. */
  vigil_chart_update (queue);
  vigil_chart_update (songs);
  want = vigil_server_history_describe (vigil_server_monitor_get_history (monitor_of (f)),
                                        g_get_real_time ());
  g_assert_cmpstr (vigil_chart_get_description (queue), ==, want);
  g_assert_cmpstr (vigil_chart_get_description (songs), ==, want);
  g_assert_true (g_str_has_prefix (want, "Queue length "));
  g_assert_true (vigil_test_wait_drawn (GTK_WIDGET (queue), 10000));
}

/* Which columns of the drawn chart hold the accent colour (its line). */
static GArray *
accent_columns (GtkWidget *chart)
{
  GskRenderer *renderer = gtk_native_get_renderer (gtk_widget_get_native (chart));
  g_autoptr(GdkPaintable) paintable = gtk_widget_paintable_new (chart);
  g_autoptr(GtkSnapshot) snapshot = gtk_snapshot_new ();
  g_autoptr(GskRenderNode) node = NULL;
  g_autoptr(GdkTexture) texture = NULL;
  g_autofree guchar *pixels = NULL;
  GArray *columns = g_array_new (FALSE, TRUE, sizeof (gboolean));
  int width = gtk_widget_get_width (chart);
  int height = gtk_widget_get_height (chart);
  GdkRGBA accent;

  g_assert_true (gtk_style_context_lookup_color (gtk_widget_get_style_context (chart), "accent_color", &accent));
  gdk_paintable_snapshot (paintable, GDK_SNAPSHOT (snapshot), width, height);
  node = gtk_snapshot_free_to_node (g_steal_pointer (&snapshot));
  texture = gsk_renderer_render_texture (renderer, node, &GRAPHENE_RECT_INIT (0, 0, width, height));
  pixels = g_malloc ((gsize) width * height * 4);
  gdk_texture_download (texture, pixels, (gsize) width * 4);

  g_array_set_size (columns, width);
  for (int y = 0; y < height; y++)
    for (int x = 0; x < width; x++)
      {
        /* GDK_MEMORY_DEFAULT: B, G, R, A (premultiplied; opaque here) */
        const guchar *p = pixels + ((gsize) y * width + x) * 4;

        if (ABS (p[2] - accent.red * 255) < 24 && ABS (p[1] - accent.green * 255) < 24 &&
            ABS (p[0] - accent.blue * 255) < 24)
          g_array_index (columns, gboolean, x) = TRUE;
      }
  return columns;
}

/* The line is drawn across the hour, and not across the ten minutes
 * without data. */
static void
assert_drawn_with_gap (GtkWidget *chart)
{
  g_autoptr(GArray) columns = accent_columns (chart);
  int first = -1, last = -1, run = 0, longest = 0, n = 0;

  for (guint x = 0; x < columns->len; x++)
    if (g_array_index (columns, gboolean, x))
      {
        if (first < 0)
          first = (int) x;
        last = (int) x;
        n++;
      }
  g_assert_cmpint (n, >, (int) columns->len / 3);
  for (int x = first; x <= last; x++)
    {
      run = g_array_index (columns, gboolean, x) ? 0 : run + 1;
      longest = MAX (longest, run);
    }
  /* The line spans about 55 minutes (55 minutes ago to now); the gap,
   * from the last minute before it to the first after, 11 of them. */
  g_assert_cmpint (longest, >=, (last - first) * 9 / 55);
  g_assert_cmpint (longest, <=, (last - first) * 12 / 55);
}

/* A full hour (as after a restart): every complete minute drawn, the gap
 * left out, the current minute's partial songs count not drawn. */
static void
test_chart_hour (void)
{
  g_autoptr(VigilServerHistory) history = vigil_server_history_new ("http://songs.test", NULL);
  GtkWidget *queue;
  GtkWidget *songs;
  gint64 now_us = g_get_real_time ();
  g_autofree char *empty = NULL;

  queue = g_object_ref_sink (vigil_chart_new (history, VIGIL_CHART_SERIES_QUEUE_LENGTH));
  songs = g_object_ref_sink (vigil_chart_new (history, VIGIL_CHART_SERIES_SONGS));
  empty = vigil_server_history_describe (history, now_us);
  g_assert_cmpuint (vigil_chart_get_n_points (VIGIL_CHART (songs)), ==, 0);
  g_assert_cmpstr (vigil_chart_get_description (VIGIL_CHART (songs)), ==, empty);

  fill_history (history);
  vigil_server_history_record (history, g_get_real_time (), 3, 2);

  /* 55 minutes minus a 10-minute gap, and the current one for the queue */
  g_assert_cmpuint (vigil_chart_get_n_points (VIGIL_CHART (queue)), ==, 46);
  g_assert_cmpint (vigil_chart_get_max (VIGIL_CHART (queue)), ==, 30);
  g_assert_cmpuint (vigil_chart_get_n_points (VIGIL_CHART (songs)), ==, 45);
  g_assert_cmpint (vigil_chart_get_max (VIGIL_CHART (songs)), ==, 12);
  g_assert_cmpstr (vigil_chart_get_description (VIGIL_CHART (songs)), !=, empty);

  {
    GtkWidget *window = gtk_window_new ();
    GtkWidget *box = gtk_box_new (GTK_ORIENTATION_VERTICAL, 0);

    gtk_box_append (GTK_BOX (box), queue);
    gtk_box_append (GTK_BOX (box), songs);
    gtk_window_set_child (GTK_WINDOW (window), box);
    gtk_window_set_default_size (GTK_WINDOW (window), 600, 320);
    gtk_window_present (GTK_WINDOW (window));
    g_assert_true (vigil_test_wait_drawn (songs, 10000));
    assert_drawn_with_gap (songs);
    assert_drawn_with_gap (queue);
    gtk_window_destroy (GTK_WINDOW (window));
  }

  g_assert_finalize_object (queue);
  g_assert_finalize_object (songs);
}

/* ------------------------------------------------------------------ */

int
main (int   argc,
      char *argv[])
{
  static const Options plain = { FALSE, FALSE, 1 };
  static const Options quirks = { TRUE, FALSE, 1 };
  static const Options tokens = { FALSE, TRUE, 1 };
  static const Options busy = { FALSE, FALSE, 3 };
  int ret;

  VIGIL_TEST_REQUIRE_DISPLAY ();
  gtk_test_init (&argc, &argv, NULL);
  adw_init ();

  app = vigil_application_new (APP_ID ".ServerPageTest", G_APPLICATION_NON_UNIQUE);
  g_application_register (G_APPLICATION (app), NULL, NULL);
  g_application_hold (G_APPLICATION (app));

  g_test_add ("/vigil/server-page/values", Fixture, &plain, fixture_setup, test_values, fixture_teardown);
  g_test_add ("/vigil/server-page/values-quirks", Fixture, &quirks, fixture_setup, test_values,
              fixture_teardown);
  g_test_add ("/vigil/server-page/failing", Fixture, &plain, fixture_setup, test_failing, fixture_teardown);
  g_test_add ("/vigil/server-page/polling", Fixture, &plain, fixture_setup, test_polling, fixture_teardown);
  g_test_add ("/vigil/server-page/discovered", Fixture, &busy, fixture_setup, test_discovered,
              fixture_teardown);
  g_test_add ("/vigil/server-page/cleanup", Fixture, &tokens, fixture_setup, test_cleanup, fixture_teardown);
  g_test_add ("/vigil/server-page/two-servers", Fixture, &plain, fixture_setup, test_two_servers,
              fixture_teardown);
  g_test_add ("/vigil/server-page/charts", Fixture, &busy, fixture_setup, test_charts, fixture_teardown);

  g_test_add_func ("/vigil/server-page/chart-hour", test_chart_hour);

  ret = g_test_run ();

  g_application_release (G_APPLICATION (app));
  g_clear_object (&app);
  return ret;
}
