/* test-notifications.c — jobs' ends as notifications: the real application
 * against the demo server, a fake notification server on the test's bus
 * (tests/vigil-fake-notifications.c). A background analysis's end gives
 * one notification with its title, body and buttons, which shows the
 * window on the job, retries it, is replaced by a later one and withdrawn
 * with the job; other jobs follow `notify-jobs`, a toast while the window
 * is active, one summary for a burst.
 *
 * Both notification services are on the bus, so GLib would choose its gtk
 * backend; GNOTIFICATION_BACKEND (freedesktop unless the test run says gtk,
 * see tests/meson.build) makes the choice explicit.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <adwaita.h>
#include <glib/gstdio.h>

#include "vigil-application.h"
#include "vigil-demo-server.h"
#include "vigil-job-row.h"
#include "vigil-job-text.h"
#include "vigil-notifier.h"
#include "vigil-window-private.h"
#include "vigil-fake-notifications.h"
#include "vigil-test-gui.h"
#include "vigil-test-timeout.h"

#define TEST_APP_ID APP_ID ".NotifyTest"
#define SPEED 20.0
#define WAIT_MS 30000

static VigilApplication *app;
static VigilFakeNotifications *fake;
static VigilDemoServer *server;
static VigilTracker *tracker;
static VigilWindow *window;

/* ------------------------------------------------------------------ */
/* Helpers                                                             */
/* ------------------------------------------------------------------ */

static guint
limit (guint ms)
{
  return vigil_test_limit_ms (ms);
}

static VigilJob *
add_job (VigilJobKind kind,
         gint64       target,
         guint        n_items,
         gboolean     fail)
{
  g_autofree char *id = NULL;

  g_object_set (server, "failure-rate", fail ? 1.0 : 0.0, NULL);
  id = vigil_demo_server_add_job (server, kind, target, n_items, 1.0, 0.0);
  g_object_set (server, "failure-rate", 0.0, NULL);
  return vigil_tracker_watch (tracker, id, kind, target);
}

static gboolean
n_sent_at_least (gpointer data)
{
  return vigil_fake_notifications_get_n_sent (fake) >= GPOINTER_TO_UINT (data);
}

static VigilFakeNotification *
notification (guint i)
{
  GPtrArray *all = vigil_fake_notifications_get_all (fake);

  g_assert_cmpuint (i, <, all->len);
  return g_ptr_array_index (all, i);
}

static gboolean
job_finished (gpointer data)
{
  return vigil_job_get_is_finished (VIGIL_JOB (data));
}

static gboolean
jobs_finished (gpointer data)
{
  GPtrArray *jobs = data;

  for (guint i = 0; i < jobs->len; i++)
    if (!vigil_job_get_is_finished (g_ptr_array_index (jobs, i)))
      return FALSE;
  return TRUE;
}

static void
hide_window (void)
{
  gtk_widget_set_visible (GTK_WIDGET (window), FALSE);
  if (fake != NULL)
    vigil_fake_notifications_reset (fake);
}

static gboolean
window_active (gpointer data)
{
  return gtk_widget_get_visible (GTK_WIDGET (window)) && gtk_window_is_active (GTK_WINDOW (window));
}

static void
assert_contains (const char *haystack,
                 const char *needle)
{
  if (haystack == NULL || strstr (haystack, needle) == NULL)
    g_error ("“%s” does not contain “%s”", haystack, needle);
}

/* The row showing job is lit up (vigil_window_show_job). */
static gboolean
row_highlighted (gpointer data)
{
  g_autoptr(GPtrArray) rows = vigil_test_find_all (GTK_WIDGET (window), VIGIL_TYPE_JOB_ROW);

  if (!gtk_widget_get_visible (GTK_WIDGET (window)))
    return FALSE;
  for (guint i = 0; i < rows->len; i++)
    {
      GtkWidget *row = g_ptr_array_index (rows, i);

      if (vigil_job_row_get_job (VIGIL_JOB_ROW (row)) == data &&
          gtk_widget_get_mapped (row) &&
          gtk_widget_has_css_class (gtk_widget_get_parent (row), "vigil-highlight"))
        return TRUE;
    }
  return FALSE;
}

static gboolean
withdrawn (gpointer data)
{
  return ((VigilFakeNotification *) data)->withdrawn;
}

static gboolean
n_jobs_at_least (gpointer data)
{
  return g_list_model_get_n_items (vigil_tracker_get_jobs (tracker)) >= GPOINTER_TO_UINT (data);
}

static void
save_screenshot (const char *name)
{
  g_autofree char *dir = g_build_filename (g_getenv ("G_TEST_BUILDDIR") ?: ".", "screenshots", NULL);
  g_autofree char *path = g_build_filename (dir, name, NULL);

  g_mkdir_with_parents (dir, 0755);
  vigil_test_wait_drawn (GTK_WIDGET (window), limit (WAIT_MS));
  g_assert_true (vigil_test_save_png (GTK_WIDGET (window), path));
}

/* ------------------------------------------------------------------ */
/* Background analyses                                                 */
/* ------------------------------------------------------------------ */

/* One notification; a later one replaces it; its click shows the window
 * on the job. */
static void
test_background (void)
{
  VigilJob *job;
  VigilFakeNotification *n;
  g_autofree char *counts = NULL;

  hide_window ();
  job = add_job (VIGIL_JOB_KIND_BACKGROUND, 2, 3, FALSE);
  g_assert_true (vigil_test_wait_for (n_sent_at_least, GUINT_TO_POINTER (1), limit (WAIT_MS)));
  /* Nothing else comes of it, not even after the gathering of other jobs. */
  vigil_test_spin (1500);
  g_assert_cmpuint (vigil_fake_notifications_get_n_sent (fake), ==, 1);

  n = notification (0);
  g_assert_cmpstr (n->title, ==, "Background analysis finished");
  assert_contains (n->body, vigil_job_get_title (job));
  /* The counts, when Vigil saw any (a slow machine may first hear of the
   * job at its end, from a record without counts). */
  counts = vigil_job_text_counts (vigil_job_get_completed_items (job), 0);
  if (vigil_job_get_total_items (job) > 0)
    assert_contains (n->body, counts);
  else
    g_assert_null (strstr (n->body, "analyzed"));
  g_assert_false (strstr (n->body, "\nOn ") != NULL);   /* one server: no name */
  g_assert_true (n->has_default);
  g_assert_cmpuint (n->button_labels->len, ==, 1);
  g_assert_cmpstr (g_ptr_array_index (n->button_labels, 0), ==, "Show");
  assert_contains (g_ptr_array_index (n->button_actions, 0), "app.show-job");
  assert_contains (g_ptr_array_index (n->button_actions, 0), vigil_job_get_job_id (job));

  /* Told again (the same job ends again): the same notification, replaced. */
  g_signal_emit_by_name (tracker, "job-finished", job);
  g_assert_true (vigil_test_wait_for (n_sent_at_least, GUINT_TO_POINTER (2), limit (WAIT_MS)));
  g_assert_cmpuint (vigil_fake_notifications_get_all (fake)->len, ==, 1);
  g_assert_cmpuint (n->times_sent, ==, 2);

  /* The click, as the notification server sends it. */
  vigil_fake_notifications_invoke (fake, n, "default");
  g_assert_true (vigil_test_wait_for (row_highlighted, job, limit (WAIT_MS)));
  save_screenshot ("show-job.png");

}

/* A failure says why and offers Retry, which starts the analysis again;
 * removing the job withdraws its notification. */
static void
test_background_failed (void)
{
  VigilJob *job;
  VigilFakeNotification *n;
  guint n_jobs;
  guint64 starts;
  g_autoptr(VigilJob) again = NULL;

  hide_window ();
  job = add_job (VIGIL_JOB_KIND_BACKGROUND, 3, 3, TRUE);
  g_assert_true (vigil_test_wait_for (n_sent_at_least, GUINT_TO_POINTER (1), limit (WAIT_MS)));
  n = notification (0);
  g_assert_cmpstr (n->title, ==, "Background analysis failed");
  g_assert_nonnull (vigil_job_get_error_message (job));
  assert_contains (n->body, vigil_job_get_error_message (job));
  g_assert_cmpuint (n->button_labels->len, ==, 2);
  g_assert_cmpstr (g_ptr_array_index (n->button_labels, 0), ==, "Show");
  g_assert_cmpstr (g_ptr_array_index (n->button_labels, 1), ==, "Retry");

  /* Retry, through the application's own D-Bus interface as GNOME Shell
   * calls it (the freedesktop server's ActionInvoked, the other way, makes
   * GLib forget the notification: the server closes it on a click). */
  n_jobs = g_list_model_get_n_items (vigil_tracker_get_jobs (tracker));
  starts = vigil_demo_server_get_request_count (server, "/api/admin/reanalyze-user/{id}");
  vigil_fake_notifications_activate_app_action (fake, TEST_APP_ID,
                                                g_ptr_array_index (n->button_actions, 1));
  g_assert_true (vigil_test_wait_for (n_jobs_at_least, GUINT_TO_POINTER (n_jobs + 1),
                                      limit (WAIT_MS)));
  g_assert_cmpuint (vigil_demo_server_get_request_count (server, "/api/admin/reanalyze-user/{id}"),
                    ==, starts + 1);
  again = g_list_model_get_item (vigil_tracker_get_jobs (tracker), n_jobs);
  g_assert_cmpint (vigil_job_get_kind (again), ==, VIGIL_JOB_KIND_BACKGROUND);
  g_assert_cmpint (vigil_job_get_target_id (again), ==, 3);
  g_assert_cmpstr (vigil_job_get_job_id (again), !=, vigil_job_get_job_id (job));
  /* The new job's end is told in its own notification. */
  g_assert_true (vigil_test_wait_for (n_sent_at_least, GUINT_TO_POINTER (2), limit (WAIT_MS)));
  g_assert_cmpuint (vigil_fake_notifications_get_all (fake)->len, ==, 2);
  g_assert_cmpstr (notification (1)->title, ==, "Background analysis finished");
  g_assert_false (n->withdrawn);

  /* Removing the failed job withdraws its notification. */
  vigil_tracker_remove (tracker, job);
  g_assert_true (vigil_test_wait_for (withdrawn, n, limit (WAIT_MS)));
  g_assert_false (notification (1)->withdrawn);
}

/* ------------------------------------------------------------------ */
/* Other jobs                                                          */
/* ------------------------------------------------------------------ */

static gboolean
toast_says (gpointer data)
{
  return window->toast != NULL && g_strcmp0 (adw_toast_get_title (window->toast), data) == 0;
}

/* While the window is active, a toast and no notification. */
static void
test_active_toast (void)
{
  GSettings *settings = vigil_application_get_settings (app);
  VigilJob *job;
  g_autofree char *line = NULL;

  g_settings_set_string (settings, "notify-jobs", "all");
  gtk_window_present (GTK_WINDOW (window));
  g_assert_true (vigil_test_wait_for (window_active, NULL, limit (WAIT_MS)));
  vigil_fake_notifications_reset (fake);

  job = add_job (VIGIL_JOB_KIND_SONG, 5, 1, FALSE);
  g_assert_true (vigil_test_wait_for (job_finished, job, limit (WAIT_MS)));
  line = vigil_job_text_finished_line (job);
  g_assert_true (vigil_test_wait_for (toast_says, line, limit (WAIT_MS)));
  g_assert_cmpuint (vigil_fake_notifications_get_n_sent (fake), ==, 0);
  g_settings_reset (settings, "notify-jobs");
}

/* The default, failures only: of a failing and a succeeding job, one
 * notification. */
static void
test_failures_only (void)
{
  g_autoptr(GPtrArray) jobs = g_ptr_array_new ();
  VigilJob *good, *bad;
  VigilFakeNotification *n;

  hide_window ();
  good = add_job (VIGIL_JOB_KIND_SONG, 6, 1, FALSE);
  bad = add_job (VIGIL_JOB_KIND_SONG, 8, 1, TRUE);
  g_ptr_array_add (jobs, good);
  g_ptr_array_add (jobs, bad);
  g_assert_true (vigil_test_wait_for (jobs_finished, jobs, limit (WAIT_MS)));
  g_assert_true (vigil_test_wait_for (n_sent_at_least, GUINT_TO_POINTER (1), limit (WAIT_MS)));
  g_assert_cmpuint (vigil_fake_notifications_get_n_sent (fake), ==, 1);
  n = notification (0);
  g_assert_cmpstr (n->title, ==, "Analysis failed");
  assert_contains (n->body, vigil_job_get_title (bad));
  g_assert_cmpuint (n->button_labels->len, ==, 2);
}

/* Five jobs ending together: one summary. */
static void
test_burst (void)
{
  GSettings *settings = vigil_application_get_settings (app);
  g_autoptr(GPtrArray) jobs = g_ptr_array_new ();

  g_settings_set_string (settings, "notify-jobs", "all");
  hide_window ();
  for (guint i = 0; i < 5; i++)
    g_ptr_array_add (jobs, add_job (VIGIL_JOB_KIND_SONG, 20 + i, 1, i == 2));
  g_assert_true (vigil_test_wait_for (jobs_finished, jobs, limit (WAIT_MS)));
  g_assert_true (vigil_test_wait_for (n_sent_at_least, GUINT_TO_POINTER (1), limit (WAIT_MS)));
  /* The gathering is over: nothing more comes. */
  vigil_test_spin (1500);
  g_assert_cmpuint (vigil_fake_notifications_get_n_sent (fake), ==, 1);
  g_assert_cmpstr (notification (0)->title, ==, "5 analyses finished, 1 failed");

  /* Its click shows the failed one. */
  g_assert_true (notification (0)->has_default);
  vigil_fake_notifications_invoke (fake, notification (0), "default");
  g_assert_true (vigil_test_wait_for (row_highlighted, g_ptr_array_index (jobs, 2),
                                      limit (WAIT_MS)));

  /* Another burst; the window comes back to the front without a click:
   * the list says it all, the summary is withdrawn. */
  hide_window ();
  g_ptr_array_set_size (jobs, 0);
  for (guint i = 0; i < 3; i++)
    g_ptr_array_add (jobs, add_job (VIGIL_JOB_KIND_SONG, 30 + i, 1, FALSE));
  g_assert_true (vigil_test_wait_for (jobs_finished, jobs, limit (WAIT_MS)));
  g_assert_true (vigil_test_wait_for (n_sent_at_least, GUINT_TO_POINTER (1), limit (WAIT_MS)));
  g_assert_cmpstr (notification (0)->title, ==, "3 analyses finished");
  g_assert_false (notification (0)->withdrawn);
  vigil_application_show_window (app);
  g_assert_true (vigil_test_wait_for (window_active, NULL, limit (WAIT_MS)));
  g_assert_true (vigil_test_wait_for (withdrawn, notification (0), limit (WAIT_MS)));
  g_settings_reset (settings, "notify-jobs");
}

/* Show on a job that the list hides and that is far down: the filter goes
 * back to all jobs, the list scrolls to it, its card lights up. */
static void
test_show_scrolls (void)
{
  GListModel *jobs = vigil_tracker_get_jobs (tracker);
  g_autoptr(VigilJob) oldest = NULL;
  g_autoptr(GPtrArray) more = g_ptr_array_new ();
  const char *url = vigil_api_client_get_base_url (vigil_tracker_get_client (tracker));
  graphene_rect_t bounds;
  GtkWidget *row = NULL;
  g_autoptr(GPtrArray) rows = NULL;

  /* Enough jobs that the oldest is out of sight. */
  for (guint i = 0; i < 12; i++)
    g_ptr_array_add (more, add_job (VIGIL_JOB_KIND_SONG, 100 + i, 1, FALSE));
  g_assert_true (vigil_test_wait_for (jobs_finished, more, limit (WAIT_MS)));
  oldest = g_list_model_get_item (jobs, 0);
  g_object_set (window, "filter", "failed", NULL);
  gtk_widget_set_visible (GTK_WIDGET (window), FALSE);

  g_action_group_activate_action (G_ACTION_GROUP (app), "show-job",
                                  g_variant_new ("(ss)", url, vigil_job_get_job_id (oldest)));
  g_assert_true (vigil_test_wait_for (row_highlighted, oldest, limit (WAIT_MS)));
  g_assert_cmpstr (window->filter_mode, ==, "all");

  rows = vigil_test_find_all (GTK_WIDGET (window), VIGIL_TYPE_JOB_ROW);
  for (guint i = 0; i < rows->len; i++)
    if (vigil_job_row_get_job (g_ptr_array_index (rows, i)) == oldest)
      row = g_ptr_array_index (rows, i);
  g_assert_nonnull (row);
  g_assert_true (gtk_widget_compute_bounds (row, GTK_WIDGET (window->job_list), &bounds));
  g_assert_cmpfloat (bounds.origin.y, >=, -1);
  g_assert_cmpfloat (bounds.origin.y + bounds.size.height, <=,
                     gtk_widget_get_height (GTK_WIDGET (window->job_list)) + 1);
  save_screenshot ("show-job-scrolled.png");

  /* A job no longer listed: the window, and a toast that says so. */
  g_action_group_activate_action (G_ACTION_GROUP (app), "show-job",
                                  g_variant_new ("(ss)", url, "no-such-job"));
  g_assert_true (vigil_test_wait_for (toast_says, (gpointer) "That analysis is no longer in the list",
                                      limit (WAIT_MS)));
}

/* `notify-background` off: nothing. */
static void
test_background_off (void)
{
  GSettings *settings = vigil_application_get_settings (app);
  VigilJob *job;

  g_settings_set_boolean (settings, "notify-background", FALSE);
  hide_window ();
  job = add_job (VIGIL_JOB_KIND_BACKGROUND, 4, 1, FALSE);
  g_assert_true (vigil_test_wait_for (job_finished, job, limit (WAIT_MS)));
  vigil_test_spin (200);
  g_assert_cmpuint (vigil_fake_notifications_get_n_sent (fake), ==, 0);
  g_settings_reset (settings, "notify-background");
}

/* The check the background-running code shares. */
static void
test_available (void)
{
  g_assert_true (vigil_notifications_available (NULL));
}

/* No notification server on the bus (notifications-no-server): nothing is
 * sent, so GLib's freedesktop backend has nothing to warn about (a warning
 * would abort the test). */
static void
test_no_server (void)
{
  VigilJob *job;

  g_assert_false (vigil_notifications_available (NULL));
  hide_window ();
  job = add_job (VIGIL_JOB_KIND_BACKGROUND, 2, 1, TRUE);
  g_assert_true (vigil_test_wait_for (job_finished, job, limit (WAIT_MS)));
  /* A failed send would warn when its D-Bus error comes back. */
  vigil_test_spin (500);
}

/* ------------------------------------------------------------------ */
/* main                                                                */
/* ------------------------------------------------------------------ */

static VigilWindow *
find_window (void)
{
  for (GList *w = gtk_application_get_windows (GTK_APPLICATION (app)); w != NULL; w = w->next)
    if (VIGIL_IS_WINDOW (w->data))
      return w->data;
  return NULL;
}

static gboolean
finished_notification (gpointer data)
{
  GPtrArray *all = vigil_fake_notifications_get_all (fake);

  for (guint i = 0; i < all->len; i++)
    {
      VigilFakeNotification *n = g_ptr_array_index (all, i);

      if (g_strcmp0 (n->title, "Background analysis finished") == 0)
        {
          *(VigilFakeNotification **) data = n;
          return TRUE;
        }
    }
  return FALSE;
}

static gboolean
window_back (gpointer data)
{
  return find_window () != NULL;
}

/* The window closed (not hidden) with a background analysis watched:
 * Vigil keeps polling, the analysis's end still notifies, and the click
 * brings a window back on the job. */
static void
test_window_closed (void)
{
  VigilJob *job;
  VigilFakeNotification *n;

  vigil_fake_notifications_reset (fake);
  g_object_set (server, "workers", 0, NULL);   /* queued until the window is gone */
  job = add_job (VIGIL_JOB_KIND_BACKGROUND, 3, 3, FALSE);
  g_object_ref (job);
  gtk_window_close (GTK_WINDOW (window));
  g_assert_null (find_window ());
  window = NULL;
  g_assert_cmpuint (vigil_fake_notifications_get_n_sent (fake), ==, 0);
  g_object_set (server, "workers", 8, NULL);

  /* (The first close also sends the hint that Vigil is still watching.) */
  g_assert_true (vigil_test_wait_for (finished_notification, &n, limit (WAIT_MS)));
  g_assert_true (vigil_job_get_is_finished (job));
  assert_contains (n->body, vigil_job_get_title (job));

  vigil_fake_notifications_invoke (fake, n, "default");
  g_assert_true (vigil_test_wait_for (window_back, NULL, limit (WAIT_MS)));
  window = find_window ();
  g_assert_true (vigil_test_wait_for (row_highlighted, job, limit (WAIT_MS)));
  g_object_unref (job);
}


static void
start (gboolean no_server)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *url = NULL;
  g_autofree char *dir = g_build_filename (g_get_user_state_dir (), "vigil", NULL);
  g_autoptr(GDir) d = g_dir_open (dir, 0, NULL);
  const char *name;
  GSettings *settings;

  /* No jobs of an earlier run (each server's file: state-<hash>.json). */
  while (d != NULL && (name = g_dir_read_name (d)) != NULL)
    if (g_str_has_prefix (name, "state") && g_str_has_suffix (name, ".json"))
      {
        g_autofree char *path = g_build_filename (dir, name, NULL);

        g_unlink (path);
      }
  if (!no_server)
    {
      fake = vigil_fake_notifications_new (&error);
      g_assert_no_error (error);
    }
  server = g_object_new (VIGIL_TYPE_DEMO_SERVER, "speed", SPEED, "song-seconds", 1.0,
                         "workers", 8, NULL);
  g_assert_true (vigil_demo_server_listen (server, NULL, 0, &error));
  url = vigil_demo_server_get_url (server);

  /* Not NON_UNIQUE: it owns its name, so notifications can call it. */
  app = vigil_application_new (TEST_APP_ID, G_APPLICATION_DEFAULT_FLAGS);
  settings = vigil_application_get_settings (app);
  g_settings_set_string (settings, "server-url", url);
  g_assert_true (g_application_register (G_APPLICATION (app), NULL, &error));
  g_assert_no_error (error);
  g_application_hold (G_APPLICATION (app));
  g_application_activate (G_APPLICATION (app));
  window = find_window ();
  g_assert_nonnull (window);
  tracker = vigil_application_get_tracker (app);
  g_assert_nonnull (tracker);
}

int
main (int argc, char *argv[])
{
  gboolean no_server;
  int ret;

  VIGIL_TEST_REQUIRE_DISPLAY ();
  g_setenv ("GNOTIFICATION_BACKEND", "freedesktop", FALSE);
  gtk_test_init (&argc, &argv, NULL);
  adw_init ();
  no_server = g_getenv ("VIGIL_TEST_NO_NOTIFICATION_SERVER") != NULL;
  start (no_server);

  if (no_server)
    g_test_add_func ("/vigil/notifications/no-server", test_no_server);
  else
    {
      g_test_add_func ("/vigil/notifications/available", test_available);
      g_test_add_func ("/vigil/notifications/background", test_background);
      g_test_add_func ("/vigil/notifications/background-failed", test_background_failed);
      g_test_add_func ("/vigil/notifications/active-toast", test_active_toast);
      g_test_add_func ("/vigil/notifications/failures-only", test_failures_only);
      g_test_add_func ("/vigil/notifications/burst", test_burst);
      g_test_add_func ("/vigil/notifications/background-off", test_background_off);
      g_test_add_func ("/vigil/notifications/show-scrolls", test_show_scrolls);
      /* Last: it closes the window the others share. */
      g_test_add_func ("/vigil/notifications/window-closed", test_window_closed);
    }
  ret = g_test_run ();

  g_application_release (G_APPLICATION (app));
  for (GList *w = gtk_application_get_windows (GTK_APPLICATION (app)); w != NULL;
       w = gtk_application_get_windows (GTK_APPLICATION (app)))
    gtk_window_destroy (w->data);
  g_clear_object (&app);
  g_clear_object (&server);
  g_clear_pointer (&fake, vigil_fake_notifications_free);
  return ret;
}
