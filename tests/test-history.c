/* test-history.c — the window's Finished filter: the history of finished
 * analyses (this session's and those a state file brings back after a
 * restart), Clear Finished, and its Undo.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <adwaita.h>
#include <glib/gstdio.h>

#include "vigil-application.h"
#include "vigil-demo-server.h"
#include "vigil-history-row.h"
#include "vigil-state-store.h"
#include "vigil-window.h"
#include "vigil-test-gui.h"
#include "vigil-test-timeout.h"

#define SPEED 50.0

static VigilApplication *app;

typedef struct
{
  VigilDemoServer *server;
  char            *dir;
  VigilTracker    *tracker;
  VigilStateStore *store;
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

/* What the app does at start: a tracker, and a store that loads the file. */
static void
open_store (Fixture *f)
{
  g_autoptr(VigilApiClient) client = NULL;
  g_autoptr(VigilPoller) poller = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *url = vigil_demo_server_get_url (f->server);

  client = vigil_api_client_new (url, &error);
  g_assert_no_error (error);
  poller = g_object_new (VIGIL_TYPE_POLLER, "client", client, "time-scale", 1.0 / SPEED,
                         "jitter", 0.0, NULL);
  f->tracker = vigil_tracker_new (client, poller);
  f->store = vigil_state_store_new (f->tracker, f->dir);
  g_assert_true (vigil_state_store_load (f->store, &error));
  g_assert_no_error (error);
}

static void
open_window (Fixture *f)
{
  f->window = vigil_window_new (app, vigil_application_get_settings (app), f->tracker, f->store);
  gtk_window_set_default_size (GTK_WINDOW (f->window), 720, 480);
  gtk_window_present (GTK_WINDOW (f->window));
  g_assert_true (vigil_test_wait_for (widget_is_mapped, f->window, vigil_test_limit_ms (5000)));
}

/* Vigil quits: the window closes, everything is written. */
static void
close_all (Fixture *f)
{
  g_autoptr(GError) error = NULL;

  if (f->window != NULL)
    gtk_window_destroy (GTK_WINDOW (g_steal_pointer (&f->window)));
  g_assert_true (vigil_state_store_flush (f->store, &error));
  g_assert_no_error (error);
  g_clear_object (&f->store);
  g_clear_object (&f->tracker);
  vigil_test_spin (10);
}

static void
fixture_setup (Fixture       *f,
               gconstpointer  data)
{
  g_autoptr(GError) error = NULL;

  f->server = g_object_new (VIGIL_TYPE_DEMO_SERVER, "speed", SPEED, "song-seconds", 3.0,
                            "workers", 3, "seed", (guint64) 7, NULL);
  g_assert_true (vigil_demo_server_listen (f->server, NULL, 0, &error));
  f->dir = g_dir_make_tmp ("vigil-history-XXXXXX", &error);
  g_assert_no_error (error);
  open_store (f);
}

static void
fixture_teardown (Fixture       *f,
                  gconstpointer  data)
{
  g_autofree char *path = g_build_filename (f->dir, VIGIL_STATE_STORE_FILE_NAME, NULL);

  close_all (f);
  g_clear_object (&f->server);
  g_unlink (path);
  g_rmdir (f->dir);
  g_free (f->dir);
}

/* ------------------------------------------------------------------ */
/* Helpers                                                             */
/* ------------------------------------------------------------------ */

static guint
n_history (Fixture *f)
{
  return g_list_model_get_n_items (vigil_state_store_get_history (f->store));
}

static gboolean
history_has_two (gpointer data)
{
  return n_history (data) == 2;
}

static gboolean
history_is_empty (gpointer data)
{
  return n_history (data) == 0;
}

/* Two jobs of this session end: one completes, one fails. */
static void
finish_two_jobs (Fixture *f)
{
  g_autofree char *done = NULL;
  g_autofree char *failed = NULL;

  done = vigil_demo_server_add_job (f->server, VIGIL_JOB_KIND_SONG, 42, 1, 2.0, 0);
  vigil_tracker_watch (f->tracker, done, VIGIL_JOB_KIND_SONG, 42);
  g_object_set (f->server, "failure-rate", 1.0, NULL);
  failed = vigil_demo_server_add_job (f->server, VIGIL_JOB_KIND_PLAYLIST, 3, 2, 2.0, 0);
  vigil_tracker_watch (f->tracker, failed, VIGIL_JOB_KIND_PLAYLIST, 3);
  g_assert_true (vigil_test_wait_for (history_has_two, f, vigil_test_limit_ms (20000)));
}

static const char *
visible_page (VigilWindow *window,
              const char  *stack)
{
  return gtk_stack_get_visible_child_name (GTK_STACK (gtk_widget_get_template_child (GTK_WIDGET (window),
                                                                                      VIGIL_TYPE_WINDOW,
                                                                                      stack)));
}

/* The outcomes the Finished view's rows show, in order, "," between. */
static char *
shown_outcomes (Fixture *f)
{
  GtkWidget *list = GTK_WIDGET (gtk_widget_get_template_child (GTK_WIDGET (f->window),
                                                               VIGIL_TYPE_WINDOW, "history_list"));
  g_autoptr(GPtrArray) rows = vigil_test_find_all (list, VIGIL_TYPE_HISTORY_ROW);
  g_autoptr(GString) text = g_string_new (NULL);

  for (guint i = 0; i < rows->len; i++)
    {
      VigilHistoryRow *row = g_ptr_array_index (rows, i);

      if (!gtk_widget_get_child_visible (gtk_widget_get_parent (GTK_WIDGET (row))) ||
          vigil_history_row_get_entry (row) == NULL)
        continue;
      g_string_append_printf (text, "%s%s", text->len > 0 ? "," : "",
                              vigil_history_row_get_outcome_text (row));
    }
  return g_string_free (g_steal_pointer (&text), FALSE);
}

static gboolean
shows_outcomes (gpointer data)
{
  Fixture *f = data;
  g_autofree char *outcomes = shown_outcomes (f);

  return g_str_equal (outcomes, "Failed,Completed") || g_str_equal (outcomes, "Completed,Failed");
}

static void
save_widget_shot (GtkWidget  *widget,
                  const char *name)
{
  g_autofree char *dir = g_build_filename (g_getenv ("G_TEST_BUILDDIR") ?: ".", "screenshots", NULL);
  g_autofree char *path = g_build_filename (dir, name, NULL);

  g_mkdir_with_parents (dir, 0755);
  g_assert_true (vigil_test_wait_drawn (widget, vigil_test_limit_ms (10000)));
  g_assert_true (vigil_test_save_png (widget, path));
  g_test_message ("screenshot: %s", path);
}

/* ------------------------------------------------------------------ */
/* Cases                                                               */
/* ------------------------------------------------------------------ */

/* This session's finished jobs show in the Finished view with their
 * outcome; Clear Finished empties it (and says how many, with Undo); Undo
 * brings them back. */
static void
test_clear_and_undo (Fixture       *f,
                     gconstpointer  data)
{
  open_window (f);
  g_object_set (f->window, "filter", "finished", NULL);
  g_assert_cmpstr (visible_page (f->window, "history_stack"), ==, "empty");

  finish_two_jobs (f);
  g_assert_cmpstr (visible_page (f->window, "list_stack"), ==, "history");
  g_assert_cmpstr (visible_page (f->window, "history_stack"), ==, "entries");
  g_assert_true (vigil_test_wait_for (shows_outcomes, f, vigil_test_limit_ms (5000)));
  g_assert_nonnull (vigil_test_find_label (GTK_WIDGET (f->window), "2 finished analyses"));

  adw_style_manager_set_color_scheme (adw_style_manager_get_default (), ADW_COLOR_SCHEME_FORCE_LIGHT);
  save_widget_shot (GTK_WIDGET (f->window), "history.png");
  adw_style_manager_set_color_scheme (adw_style_manager_get_default (), ADW_COLOR_SCHEME_DEFAULT);

  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (f->window), "win.clear-finished", NULL));
  g_assert_cmpuint (n_history (f), ==, 0);
  g_assert_cmpuint (g_list_model_get_n_items (vigil_tracker_get_jobs (f->tracker)), ==, 0);
  g_assert_cmpstr (visible_page (f->window, "history_stack"), ==, "empty");
  g_assert_nonnull (vigil_test_find_label (GTK_WIDGET (f->window), "Cleared 2 finished analyses"));

  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (f->window), "win.undo-clear-finished", NULL));
  g_assert_cmpuint (n_history (f), ==, 2);
  g_assert_cmpstr (visible_page (f->window, "history_stack"), ==, "entries");
  g_assert_true (vigil_test_wait_for (shows_outcomes, f, vigil_test_limit_ms (5000)));
}

/* Vigil restarts: a store loaded from the file the first one wrote shows
 * the old entries, though no job is watched (the list stays in reach). */
static void
test_after_restart (Fixture       *f,
                    gconstpointer  data)
{
  finish_two_jobs (f);
  close_all (f);

  open_store (f);
  g_assert_cmpuint (n_history (f), ==, 2);
  open_window (f);
  g_assert_cmpstr (visible_page (f->window, "stack"), ==, "list");
  g_object_set (f->window, "filter", "finished", NULL);
  g_assert_cmpstr (visible_page (f->window, "history_stack"), ==, "entries");
  g_assert_true (vigil_test_wait_for (shows_outcomes, f, vigil_test_limit_ms (5000)));

  /* Clearing after a restart reaches the saved history too. */
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (f->window), "win.clear-finished", NULL));
  g_assert_true (vigil_test_wait_for (history_is_empty, f, 1));
}

int
main (int argc, char *argv[])
{
  int ret;

  VIGIL_TEST_REQUIRE_DISPLAY ();
  gtk_test_init (&argc, &argv, NULL);
  adw_init ();

  app = vigil_application_new (APP_ID ".HistoryTest", G_APPLICATION_NON_UNIQUE);
  g_application_register (G_APPLICATION (app), NULL, NULL);

  g_test_add ("/vigil/history/clear-and-undo", Fixture, NULL,
              fixture_setup, test_clear_and_undo, fixture_teardown);
  g_test_add ("/vigil/history/after-restart", Fixture, NULL,
              fixture_setup, test_after_restart, fixture_teardown);

  ret = g_test_run ();
  g_object_unref (app);
  return ret;
}
