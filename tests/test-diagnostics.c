/* test-diagnostics.c — the Diagnostics window against two demo servers:
 * its rows match the pollers' introspection, its values update, it reads
 * nothing once hidden or closed, its debug switch works, and app.diagnostics
 * (Ctrl+Shift+D) opens it. Writes screenshots/diagnostics.png.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <adwaita.h>
#include <string.h>

#include "vigil-application.h"
#include "vigil-debug-log.h"
#include "vigil-demo-server.h"
#include "vigil-diagnostics-window.h"
#include "vigil-job-text.h"
#include "vigil-poller-stats.h"
#include "vigil-test-gui.h"

#define SPEED 50.0

static VigilApplication *app;

typedef struct
{
  VigilDemoServer *server;
  VigilApiClient  *client;
  VigilPoller     *poller;
  VigilTracker    *tracker;
  VigilJob        *job;     /* unowned: the tracker's */
} Server;

typedef struct
{
  Server                  servers[2];
  GListStore             *trackers;
  VigilDiagnosticsWindow *window;
} Fixture;

/* ------------------------------------------------------------------ */
/* Fixture                                                             */
/* ------------------------------------------------------------------ */

static void
server_setup (Server  *s,
              guint64  seed)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *url = NULL;
  g_autofree char *id = NULL;

  s->server = g_object_new (VIGIL_TYPE_DEMO_SERVER, "speed", SPEED, "song-seconds", 3.0,
                            "workers", 1, "seed", seed, NULL);
  g_assert_true (vigil_demo_server_listen (s->server, NULL, 0, &error));
  url = vigil_demo_server_get_url (s->server);
  s->client = vigil_api_client_new (url, &error);
  g_assert_no_error (error);
  vigil_api_client_set_timeout (s->client, 5);
  s->poller = g_object_new (VIGIL_TYPE_POLLER, "client", s->client,
                            "time-scale", 1.0 / SPEED, "jitter", 0.0, NULL);
  s->tracker = vigil_tracker_new (s->client, s->poller);

  /* Long enough to outlast the test: 200 songs of 3 virtual seconds. */
  id = vigil_demo_server_add_job (s->server, VIGIL_JOB_KIND_PLAYLIST, 1, 200, 3.0, 0);
  s->job = vigil_tracker_watch (s->tracker, id, VIGIL_JOB_KIND_PLAYLIST, 1);
}

static void
fixture_setup (Fixture       *f,
               gconstpointer  data)
{
  f->trackers = g_list_store_new (VIGIL_TYPE_TRACKER);
  for (guint i = 0; i < 2; i++)
    {
      server_setup (&f->servers[i], 21 + i);
      g_list_store_append (f->trackers, f->servers[i].tracker);
    }
  f->window = VIGIL_DIAGNOSTICS_WINDOW (vigil_diagnostics_window_new (G_LIST_MODEL (f->trackers)));
  g_object_add_weak_pointer (G_OBJECT (f->window), (gpointer *) &f->window);
  gtk_window_set_default_size (GTK_WINDOW (f->window), 1100, 520);
}

static void
fixture_teardown (Fixture       *f,
                  gconstpointer  data)
{
  if (f->window != NULL)
    gtk_window_destroy (GTK_WINDOW (f->window));
  g_clear_object (&f->trackers);
  for (guint i = 0; i < 2; i++)
    {
      Server *s = &f->servers[i];

      g_clear_object (&s->tracker);
      g_assert_finalize_object (s->poller);
      g_clear_object (&s->client);
      g_clear_object (&s->server);
    }
  vigil_test_spin (10);
}

/* ------------------------------------------------------------------ */
/* Helpers                                                             */
/* ------------------------------------------------------------------ */

static char *
item_text (gpointer    item,
           const char *column)
{
  char *text = NULL;

  g_object_get (item, column, &text, NULL);
  return text;
}

/* The row of job, or NULL. */
static GObject *
row_of (Fixture  *f,
        VigilJob *job)
{
  GListModel *rows = vigil_diagnostics_window_get_jobs (f->window);

  for (guint i = 0; i < g_list_model_get_n_items (rows); i++)
    {
      g_autoptr(GObject) item = g_list_model_get_item (rows, i);
      g_autofree char *text = item_text (item, "job");

      if (g_str_has_prefix (text, vigil_job_get_job_id (job)))
        return item;
    }
  return NULL;
}

static gboolean
rows_polled (gpointer data)
{
  Fixture *f = data;

  for (guint i = 0; i < 2; i++)
    {
      GObject *row = row_of (f, f->servers[i].job);
      g_autofree char *requests = row != NULL ? item_text (row, "requests") : NULL;

      if (row == NULL || g_strcmp0 (requests, "0") == 0 ||
          vigil_job_get_fraction (f->servers[i].job) <= 0)
        return FALSE;
    }
  return TRUE;
}

static VigilPollerJobStats *
stats_of (GPtrArray *stats,
          VigilJob  *job)
{
  for (guint i = 0; i < stats->len; i++)
    if (((VigilPollerJobStats *) g_ptr_array_index (stats, i))->job == job)
      return g_ptr_array_index (stats, i);
  return NULL;
}

/* Each row says what its poller says (read with no main loop turn in
 * between, so nothing can change). */
static void
assert_rows_match (Fixture *f)
{
  vigil_diagnostics_window_refresh (f->window);
  g_assert_cmpuint (g_list_model_get_n_items (vigil_diagnostics_window_get_jobs (f->window)), ==, 2);

  for (guint i = 0; i < 2; i++)
    {
      Server *s = &f->servers[i];
      g_autoptr(GPtrArray) stats = vigil_poller_dup_job_stats (s->poller);
      VigilPollerJobStats *js = stats_of (stats, s->job);
      GObject *row = row_of (f, s->job);
      g_autofree char *server = item_text (row, "server");
      g_autofree char *reason = item_text (row, "reason");
      g_autofree char *errors = item_text (row, "errors");
      g_autofree char *requests = item_text (row, "requests");
      g_autofree char *want_errors = NULL;
      g_autofree char *want_requests = NULL;

      g_assert_nonnull (js);
      g_assert_nonnull (row);
      g_assert_cmpstr (server, ==, vigil_poller_get_server_host (s->poller));
      g_assert_cmpstr (reason, ==, vigil_job_text_poll_reason (js->info.reason));
      want_errors = g_strdup_printf ("%u", js->info.errors);
      g_assert_cmpstr (errors, ==, want_errors);
      want_requests = g_strdup_printf ("%" G_GUINT64_FORMAT, js->info.requests);
      g_assert_true (g_str_has_prefix (requests, want_requests));
    }
}

static gboolean
requests_changed (gpointer data)
{
  gpointer *args = data;
  g_autofree char *now = item_text (args[0], "requests");

  return g_strcmp0 (now, args[1]) != 0;
}

static gboolean
is_live (gpointer data)
{
  return vigil_diagnostics_window_is_live (data);
}

static void
save_screenshot (GtkWidget *widget)
{
  g_autofree char *dir = g_build_filename (g_getenv ("G_TEST_BUILDDIR") ?: ".", "screenshots", NULL);
  g_autofree char *path = g_build_filename (dir, "diagnostics.png", NULL);

  g_mkdir_with_parents (dir, 0755);
  g_assert_true (vigil_test_wait_drawn (widget, 10000));
  g_assert_true (vigil_test_save_png (widget, path));
  g_test_message ("screenshot: %s", path);
}

/* ------------------------------------------------------------------ */
/* Tests                                                               */
/* ------------------------------------------------------------------ */

static void
test_rows (Fixture       *f,
           gconstpointer  data)
{
  GObject *row;
  g_autofree char *before = NULL;
  gpointer args[2];

  g_assert_false (vigil_diagnostics_window_is_live (f->window));
  gtk_window_present (GTK_WINDOW (f->window));
  g_assert_true (vigil_test_wait_for (is_live, f->window, 10000));

  g_assert_true (vigil_test_wait_for (rows_polled, f, 20000));
  assert_rows_match (f);
  /* It reads the pollers; it never listens to them. */
  for (guint i = 0; i < 2; i++)
    g_assert_cmpuint (g_signal_handler_find (f->servers[i].poller, G_SIGNAL_MATCH_DATA,
                                             0, 0, NULL, NULL, f->window), ==, 0);
  g_assert_true (vigil_test_wait_drawn (GTK_WIDGET (f->window), 10000));

  /* Shown: each job's row and each server's totals. */
  for (guint i = 0; i < 2; i++)
    {
      g_assert_nonnull (vigil_test_find_label (GTK_WIDGET (f->window),
                                               vigil_job_get_job_id (f->servers[i].job)));
      g_assert_nonnull (vigil_test_find_label (GTK_WIDGET (f->window),
                                               vigil_poller_get_server_host (f->servers[i].poller)));
    }

  /* Live: the timer brings new counts without being asked. */
  row = row_of (f, f->servers[0].job);
  before = item_text (row, "requests");
  args[0] = row;
  args[1] = before;
  g_assert_true (vigil_test_wait_for (requests_changed, args, 20000));
  assert_rows_match (f);

  /* Hidden: no timer, no rows (no job held). */
  gtk_widget_set_visible (GTK_WIDGET (f->window), FALSE);
  g_assert_false (vigil_diagnostics_window_is_live (f->window));
  g_assert_cmpuint (g_list_model_get_n_items (vigil_diagnostics_window_get_jobs (f->window)), ==, 0);
  vigil_test_spin (1500);
  g_assert_cmpuint (g_list_model_get_n_items (vigil_diagnostics_window_get_jobs (f->window)), ==, 0);

  /* Shown again: live again; closed: gone for good. */
  gtk_window_present (GTK_WINDOW (f->window));
  g_assert_true (vigil_test_wait_for (is_live, f->window, 10000));
  g_assert_cmpuint (g_list_model_get_n_items (vigil_diagnostics_window_get_jobs (f->window)), ==, 2);
  gtk_window_close (GTK_WINDOW (f->window));
  vigil_test_spin (50);
  g_assert_null (f->window);
  /* A timer left behind would now tick on a finalized window. */
  vigil_test_spin (1500);
}

/* Servers are called what the user calls them (Preferences), in the
 * totals and in the jobs' rows; renames show at the next refresh. */
static void
test_server_names (Fixture       *f,
                   gconstpointer  data)
{
  const char *host = vigil_poller_get_server_host (f->servers[1].poller);
  g_autofree char *server = NULL;

  vigil_tracker_set_server_name (f->servers[0].tracker, "Studio");
  gtk_window_present (GTK_WINDOW (f->window));
  g_assert_true (vigil_test_wait_for (is_live, f->window, 10000));
  vigil_diagnostics_window_refresh (f->window);

  server = item_text (row_of (f, f->servers[0].job), "server");
  g_assert_cmpstr (server, ==, "Studio");
  g_assert_nonnull (vigil_test_find_label (GTK_WIDGET (f->window), "Studio"));
  g_assert_null (vigil_test_find_label (GTK_WIDGET (f->window),
                                        vigil_poller_get_server_host (f->servers[0].poller)));
  /* no name: its host */
  g_clear_pointer (&server, g_free);
  server = item_text (row_of (f, f->servers[1].job), "server");
  g_assert_cmpstr (server, ==, host);

  vigil_tracker_set_server_name (f->servers[1].tracker, "Archive");
  vigil_diagnostics_window_refresh (f->window);
  g_clear_pointer (&server, g_free);
  server = item_text (row_of (f, f->servers[1].job), "server");
  g_assert_cmpstr (server, ==, "Archive");
  g_assert_nonnull (vigil_test_find_label (GTK_WIDGET (f->window), "Archive"));
  g_assert_null (vigil_test_find_label (GTK_WIDGET (f->window), host));
}

/* A job waiting for server 0's one worker, beside the two running. */
static gboolean
queued_and_batched (gpointer data)
{
  Fixture *f = data;
  VigilPollerStats stats;
  g_autoptr(GPtrArray) jobs = vigil_poller_dup_job_stats (f->servers[0].poller);
  VigilPollerJobStats *queued = jobs->len == 2 ? g_ptr_array_index (jobs, 1) : NULL;

  vigil_poller_get_stats (f->servers[0].poller, &stats);
  return queued != NULL && queued->info.reason == VIGIL_POLL_REASON_QUEUED &&
         stats.batch_answers > 0 && rows_polled (f) &&
         g_list_model_get_n_items (vigil_diagnostics_window_get_jobs (f->window)) == 3;
}

static void
test_screenshot (Fixture       *f,
                 gconstpointer  data)
{
  g_autofree char *id = vigil_demo_server_add_job (f->servers[0].server, VIGIL_JOB_KIND_SONG,
                                                   7, 1, 3.0, 0);

  vigil_tracker_watch (f->servers[0].tracker, id, VIGIL_JOB_KIND_SONG, 7);
  gtk_window_present (GTK_WINDOW (f->window));
  g_assert_true (vigil_test_wait_for (queued_and_batched, f, 20000));
  vigil_diagnostics_window_refresh (f->window);
  save_screenshot (GTK_WIDGET (f->window));
}

static void
test_debug_switch (Fixture       *f,
                   gconstpointer  data)
{
  GtkSwitch *sw;

  vigil_debug_log_set_enabled (FALSE);
  gtk_window_present (GTK_WINDOW (f->window));
  g_assert_true (vigil_test_wait_for (is_live, f->window, 10000));
  sw = GTK_SWITCH (gtk_widget_get_template_child (GTK_WIDGET (f->window),
                                                  VIGIL_TYPE_DIAGNOSTICS_WINDOW, "debug_switch"));
  g_assert_false (gtk_switch_get_active (sw));

  gtk_switch_set_active (sw, TRUE);
  g_assert_true (vigil_debug_log_get_enabled ());
  gtk_switch_set_active (sw, FALSE);
  g_assert_false (vigil_debug_log_get_enabled ());
}

static GtkWindow *
find_diagnostics_window (guint *n)
{
  GtkWindow *found = NULL;

  *n = 0;
  for (GList *l = gtk_application_get_windows (GTK_APPLICATION (app)); l != NULL; l = l->next)
    if (VIGIL_IS_DIAGNOSTICS_WINDOW (l->data))
      {
        found = l->data;
        (*n)++;
      }
  return found;
}

static void
test_action (void)
{
  g_auto(GStrv) accels = gtk_application_get_accels_for_action (GTK_APPLICATION (app),
                                                                "app.diagnostics");
  guint key = 0;
  GdkModifierType mods = 0;
  GtkWindow *window;
  guint n;

  g_assert_nonnull (accels);
  g_assert_cmpuint (g_strv_length (accels), ==, 1);
  g_assert_true (gtk_accelerator_parse (accels[0], &key, &mods));
  g_assert_cmpuint (gdk_keyval_to_lower (key), ==, GDK_KEY_d);
  g_assert_cmpuint (mods, ==, GDK_CONTROL_MASK | GDK_SHIFT_MASK);

  /* The action opens one window, however often it is asked. */
  g_action_group_activate_action (G_ACTION_GROUP (app), "diagnostics", NULL);
  g_action_group_activate_action (G_ACTION_GROUP (app), "diagnostics", NULL);
  window = find_diagnostics_window (&n);
  g_assert_nonnull (window);
  g_assert_cmpuint (n, ==, 1);
  g_assert_true (vigil_test_wait_for (is_live, window, 10000));
  gtk_window_destroy (window);
  g_assert_null (find_diagnostics_window (&n));
}

int
main (int   argc,
      char *argv[])
{
  int ret;

  VIGIL_TEST_REQUIRE_DISPLAY ();
  gtk_test_init (&argc, &argv, NULL);
  adw_init ();

  app = vigil_application_new (APP_ID ".DiagnosticsTest", G_APPLICATION_NON_UNIQUE);
  g_application_register (G_APPLICATION (app), NULL, NULL);
  g_application_hold (G_APPLICATION (app));

  g_test_add ("/vigil/diagnostics/rows", Fixture, NULL, fixture_setup, test_rows, fixture_teardown);
  g_test_add ("/vigil/diagnostics/server-names", Fixture, NULL, fixture_setup, test_server_names,
              fixture_teardown);
  g_test_add ("/vigil/diagnostics/screenshot", Fixture, NULL, fixture_setup, test_screenshot,
              fixture_teardown);
  g_test_add ("/vigil/diagnostics/debug-switch", Fixture, NULL, fixture_setup, test_debug_switch,
              fixture_teardown);
  g_test_add_func ("/vigil/diagnostics/action", test_action);

  ret = g_test_run ();

  g_application_release (G_APPLICATION (app));
  g_clear_object (&app);
  return ret;
}
