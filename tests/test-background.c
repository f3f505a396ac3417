/* test-background.c — keeping watch with the window closed: polling goes
 * on and the job is followed to its end (counted at the demo server), then
 * Vigil quits after its grace period; with nothing watched or the setting
 * off closing quits; Quit (the action, or a notification's button) closes
 * everything and polling stops; the first time, a notification says how to
 * quit; activating the app brings a window over the same jobs; in a
 * sandbox the Background portal (a fake one on the test's bus) is asked,
 * and its refusal makes closing quit.
 *
 * Each case runs in a subprocess: one GApplication per process.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <adwaita.h>
#include <glib/gstdio.h>
#include <json-glib/json-glib.h>

#include "vigil-application.h"
#include "vigil-background.h"
#include "vigil-background-portal.h"
#include "vigil-demo-server.h"
#include "vigil-window.h"
#include "vigil-fake-notifications.h"
#include "vigil-fake-portal.h"
#include "vigil-test-gui.h"
#include "vigil-test-timeout.h"

/* Safety nets only: the checks wait for conditions, far within these. */
#define CHECK_LIMIT_MS (90 * 1000)
#define TICK_MS 50
#define SUBPROCESS_TIMEOUT_US (240 * G_USEC_PER_SEC)
/* Longer than the poller's longest delay for a running job (5 s, plus
 * its 10 % jitter): a request would have been made in this time. */
#define POLL_SILENCE_MS 6500
/* Real seconds per song of the demo jobs (the demo runs at speed 1). */
#define SONG_SECONDS 2.0
#define REASON "Vigil keeps watching your analyses until they finish"

/* ------------------------------------------------------------------ */
/* Running the app                                                     */
/* ------------------------------------------------------------------ */

typedef struct _Run Run;
typedef void (*Step) (Run *run);

struct _Run
{
  VigilApplication  *app;
  VigilDemoServer   *server;
  char              *job_id;
  Step               step_fn;
  guint              step;
  guint              ticks;
  gboolean           timed_out;
  guint64            mark;
  gboolean           polled_hidden;
  gboolean           finished_hidden;
  gboolean           reactivated;
  VigilFakePortal   *portal;
  VigilFakeNotifications *notifications;
};

static VigilWindow *
main_window (Run *run)
{
  for (GList *l = gtk_application_get_windows (GTK_APPLICATION (run->app)); l != NULL; l = l->next)
    if (VIGIL_IS_WINDOW (l->data))
      return l->data;
  return NULL;
}

static VigilJob *
find_job_id (Run        *run,
             const char *job_id)
{
  GListModel *jobs = vigil_application_get_jobs (run->app);
  guint n = jobs != NULL ? g_list_model_get_n_items (jobs) : 0;

  for (guint i = 0; i < n && job_id != NULL; i++)
    {
      g_autoptr(VigilJob) job = g_list_model_get_item (jobs, i);

      if (g_str_equal (vigil_job_get_job_id (job), job_id))
        return job;   /* the model keeps it */
    }
  return NULL;
}

static VigilJob *
find_job (Run *run)
{
  return find_job_id (run, run->job_id);
}

static guint64
requests (Run *run)
{
  return vigil_demo_server_get_total_requests (run->server);
}

static VigilBackground *
background (Run *run)
{
  return vigil_application_get_background (run->app);
}

static gboolean
holding (Run *run)
{
  return vigil_background_get_holding (background (run));
}

static GSettings *
settings (Run *run)
{
  return vigil_application_get_settings (run->app);
}

/* The window is up, the job watched and asked about at least once. */
static gboolean
ready (Run *run)
{
  VigilJob *job = find_job (run);

  return main_window (run) != NULL && job != NULL && requests (run) > 0 &&
         !vigil_job_get_is_finished (job);
}

static void
close_main_window (Run *run)
{
  gtk_window_close (GTK_WINDOW (main_window (run)));
  g_assert_null (main_window (run));
  run->mark = requests (run);
  run->step++;
}

static void
quit (Run *run)
{
  g_action_group_activate_action (G_ACTION_GROUP (run->app), "quit", NULL);
  run->step = 100;
}

/* While hidden: one more request reached the server. */
static gboolean
polled_since_mark (Run *run)
{
  g_assert_null (main_window (run));
  if (requests (run) <= run->mark)
    return FALSE;
  run->polled_hidden = TRUE;
  return TRUE;
}

static gboolean
on_tick (gpointer data)
{
  Run *run = data;

  run->step_fn (run);
  if (++run->ticks * TICK_MS > vigil_test_limit_ms (CHECK_LIMIT_MS))
    {
      run->timed_out = TRUE;
      g_printerr ("timed out at step %u\n", run->step);
      g_application_quit (G_APPLICATION (run->app));
      return G_SOURCE_REMOVE;
    }
  return G_SOURCE_CONTINUE;
}

/* The one server's state file: "state-<hash of its URL>.json", or NULL. */
static char *
find_state_file (void)
{
  g_autofree char *dir = g_build_filename (g_get_user_state_dir (), "vigil", NULL);
  g_autoptr(GDir) d = g_dir_open (dir, 0, NULL);
  const char *name;

  while (d != NULL && (name = g_dir_read_name (d)) != NULL)
    if (g_str_has_prefix (name, "state") && g_str_has_suffix (name, ".json"))
      return g_build_filename (dir, name, NULL);
  return NULL;
}

static void
remove_state_files (void)
{
  char *path;

  while ((path = find_state_file ()) != NULL)
    {
      g_unlink (path);
      g_free (path);
    }
}

/* A demo server with one playlist job of n_songs (none: 0), and an app
 * watching it (vigil --watch ID). workers 0: the job waits for a worker
 * until the case sets one. */
static void
run_init_with_workers (Run  *run,
                       guint n_songs,
                       guint workers,
                       Step  step_fn)
{
  g_autofree char *url = NULL;
  g_autoptr(GError) error = NULL;

  /* The cases share the test's state directory: start afresh. */
  remove_state_files ();
  run->step_fn = step_fn;
  run->server = g_object_new (VIGIL_TYPE_DEMO_SERVER, "speed", 1.0, "workers", workers,
                              "seed", (guint64) 7, NULL);
  g_assert_true (vigil_demo_server_listen (run->server, NULL, 0, &error));
  g_assert_no_error (error);
  url = vigil_demo_server_get_url (run->server);
  if (n_songs > 0)
    run->job_id = vigil_demo_server_add_job (run->server, VIGIL_JOB_KIND_PLAYLIST, 1,
                                             n_songs, SONG_SECONDS, 0.0);
  run->app = vigil_application_new (APP_ID ".BackgroundTest", G_APPLICATION_NON_UNIQUE);
  g_settings_set_string (settings (run), "server-url", url);
}

static void
run_init (Run  *run,
          guint n_songs,
          Step  step_fn)
{
  run_init_with_workers (run, n_songs, 1, step_fn);
}

static int
run_app (Run *run)
{
  const char *argv_watch[] = { "vigil", "--watch", run->job_id, NULL };
  const char *argv_plain[] = { "vigil", NULL };
  const char **argv = run->job_id != NULL ? argv_watch : argv_plain;
  guint tick = g_timeout_add (TICK_MS, on_tick, run);
  int status;

  status = g_application_run (G_APPLICATION (run->app), g_strv_length ((char **) argv),
                              (char **) argv);
  if (!run->timed_out)
    g_source_remove (tick);
  return status;
}

static void
run_clear (Run *run)
{
  g_clear_object (&run->app);
  g_clear_pointer (&run->portal, vigil_fake_portal_free);
  g_clear_pointer (&run->notifications, vigil_fake_notifications_free);
  g_clear_object (&run->server);
  g_clear_pointer (&run->job_id, g_free);
}

/* After Quit: no request for longer than any poll delay. */
static void
assert_polling_stopped (Run *run)
{
  guint64 before = requests (run);

  vigil_test_spin (POLL_SILENCE_MS);
  g_assert_cmpuint (requests (run), ==, before);
}

static void
assert_saved_as_watched (Run *run)
{
  g_autofree char *path = find_state_file ();
  g_autoptr(JsonParser) parser = json_parser_new ();
  g_autoptr(GError) error = NULL;
  JsonArray *jobs;
  gboolean found = FALSE;

  g_assert_nonnull (path);
  json_parser_load_from_file (parser, path, &error);
  g_assert_no_error (error);
  jobs = json_object_get_array_member (json_node_get_object (json_parser_get_root (parser)), "jobs");
  for (guint i = 0; i < json_array_get_length (jobs); i++)
    {
      JsonObject *job = json_array_get_object_element (jobs, i);

      if (g_strcmp0 (json_object_get_string_member (job, "job_id"), run->job_id) == 0)
        {
          found = TRUE;
          /* Quitting is not the user stopping the watch: next start resumes it. */
          g_assert_false (json_object_get_boolean_member (job, "stopped"));
        }
    }
  g_assert_true (found);
}

#define SUBPROCESS_CASE(name, body, stderr_pattern)                                 \
  static void                                                                      \
  name (void)                                                                      \
  {                                                                                \
    if (g_test_subprocess ())                                                      \
      {                                                                            \
        body ();                                                                   \
        return;                                                                    \
      }                                                                            \
    /* stderr is shown unless a pattern is to be found in it. */                \
    g_test_trap_subprocess (NULL, SUBPROCESS_TIMEOUT_US,                           \
                            stderr_pattern != NULL                                 \
                            ? 0 : G_TEST_SUBPROCESS_INHERIT_STDERR);               \
    g_test_trap_assert_passed ();                                                  \
    if (stderr_pattern != NULL)                                                    \
      g_test_trap_assert_stderr (stderr_pattern);                                  \
  }

/* ------------------------------------------------------------------ */
/* Window closed with a job watched: polled to its end, then Vigil quits */
/* ------------------------------------------------------------------ */

static void
step_keeps_polling (Run *run)
{
  VigilJob *job;

  switch (run->step)
    {
    case 0:
      if (!ready (run))
        return;
      /* The job runs from now on, however long the start took. */
      g_object_set (run->server, "workers", 1, NULL);
      vigil_background_set_grace_seconds (background (run), 1);
      close_main_window (run);
      g_assert_true (holding (run));
      break;
    case 1:
      if (polled_since_mark (run))
        run->step++;
      break;
    case 2:
      g_assert_null (main_window (run));
      job = find_job (run);
      g_assert_nonnull (job);
      if (vigil_job_get_is_finished (job))
        {
          g_assert_cmpint (vigil_job_get_server_state (job), ==, VIGIL_SERVER_STATE_SUCCEEDED);
          run->finished_hidden = TRUE;
          run->step++;
        }
      break;
    default:
      /* The grace period runs out: Vigil quits on its own. */
      break;
    }
}

static void
keeps_polling (void)
{
  Run run = { 0 };

  run_init_with_workers (&run, 3, 0, step_keeps_polling);
  g_assert_cmpint (run_app (&run), ==, 0);
  g_assert_false (run.timed_out);
  g_assert_true (run.polled_hidden);
  g_assert_true (run.finished_hidden);
  g_assert_false (holding (&run));
  /* No notification server: nothing could show the hint; still due. */
  g_assert_false (g_settings_get_boolean (settings (&run), "background-hint-shown"));
  run_clear (&run);
}

SUBPROCESS_CASE (test_keeps_polling, keeps_polling,
                 "*vigil: Vigil keeps watching 1 analysis and will tell you when it ends.*")

/* ------------------------------------------------------------------ */
/* "Watch every job on this server" with the window closed: Vigil stays, */
/* with no job watched yet, and watches what someone else starts        */
/* ------------------------------------------------------------------ */

static char *other_job;

static void
step_auto_watch (Run *run)
{
  switch (run->step)
    {
    case 0:
      /* no job watched: only the server (its setting); its first round,
       * at start, is over, so what comes next is found by a later one */
      if (main_window (run) == NULL || vigil_application_get_tracker (run->app) == NULL ||
          vigil_server_monitor_get_last_update (
            vigil_server_monitors_get (vigil_application_get_server_monitors (run->app),
                                       vigil_application_get_tracker (run->app))) == 0)
        return;
      close_main_window (run);
      g_assert_true (holding (run));
      /* someone else starts a job on the server */
      other_job = vigil_demo_server_add_job (run->server, VIGIL_JOB_KIND_SONG, 2, 1, 60.0, 0.0);
      break;
    case 1:
      /* the application's monitor found it (every 15 s at most), no window */
      if (find_job_id (run, other_job) == NULL)
        return;
      g_assert_null (main_window (run));
      run->polled_hidden = TRUE;
      quit (run);
      break;
    default:
      break;
    }
}

static void
auto_watch (void)
{
  Run run = { 0 };
  g_autofree char *url = NULL;
  g_auto(GStrv) saved = NULL;
  const char *urls[2] = { NULL, NULL };

  run_init_with_workers (&run, 0, 2, step_auto_watch);
  url = vigil_demo_server_get_url (run.server);
  urls[0] = url;
  g_settings_set_strv (settings (&run), "auto-watch-servers", urls);
  g_assert_cmpint (run_app (&run), ==, 0);
  g_assert_false (run.timed_out);
  g_assert_true (run.polled_hidden);
  /* quitting stopped the monitor; the setting stays */
  saved = g_settings_get_strv (settings (&run), "auto-watch-servers");
  g_assert_true (g_strv_contains ((const char * const *) saved, url));
  g_clear_pointer (&other_job, g_free);
  run_clear (&run);
}

SUBPROCESS_CASE (test_auto_watch, auto_watch,
                 "*vigil: Vigil keeps watching 1 server for new analyses*")

/* ------------------------------------------------------------------ */
/* Nothing watched, a stopped job, the setting off: closing quits        */
/* ------------------------------------------------------------------ */

static void
step_close_when_up (Run *run)
{
  if (run->step == 0 && main_window (run) != NULL && vigil_application_get_tracker (run->app) != NULL)
    close_main_window (run);
}

static void
nothing_watched (void)
{
  Run run = { 0 };

  run_init (&run, 0, step_close_when_up);
  g_assert_cmpint (run_app (&run), ==, 0);
  g_assert_false (run.timed_out);
  g_assert_cmpuint (run.step, ==, 1);
  g_assert_false (holding (&run));
  run_clear (&run);
}

SUBPROCESS_CASE (test_nothing_watched, nothing_watched, NULL)

static void
step_stop_then_close (Run *run)
{
  if (run->step == 0 && ready (run))
    {
      vigil_tracker_stop_watching (vigil_application_get_tracker (run->app), find_job (run));
      close_main_window (run);
    }
}

static void
stopped_job (void)
{
  Run run = { 0 };

  run_init (&run, 30, step_stop_then_close);
  g_assert_cmpint (run_app (&run), ==, 0);
  g_assert_false (run.timed_out);
  g_assert_cmpuint (run.step, ==, 1);
  run_clear (&run);
}

SUBPROCESS_CASE (test_stopped_job, stopped_job, NULL)

static void
step_close_when_ready (Run *run)
{
  if (run->step == 0 && ready (run))
    close_main_window (run);
}

static void
setting_off (void)
{
  Run run = { 0 };

  run_init (&run, 30, step_close_when_ready);
  g_settings_set_boolean (settings (&run), "keep-in-background", FALSE);
  g_assert_cmpint (run_app (&run), ==, 0);
  g_assert_false (run.timed_out);
  g_assert_cmpuint (run.step, ==, 1);
  g_assert_false (holding (&run));
  run_clear (&run);
}

SUBPROCESS_CASE (test_setting_off, setting_off, NULL)

/* ------------------------------------------------------------------ */
/* Quit                                                                */
/* ------------------------------------------------------------------ */

static void
step_quit_hidden (Run *run)
{
  switch (run->step)
    {
    case 0:
      if (ready (run))
        close_main_window (run);
      break;
    case 1:
      if (polled_since_mark (run))
        quit (run);
      break;
    default:
      break;
    }
}

static void
quit_hidden (void)
{
  Run run = { 0 };

  run_init (&run, 30, step_quit_hidden);
  g_assert_cmpint (run_app (&run), ==, 0);
  g_assert_false (run.timed_out);
  g_assert_true (run.polled_hidden);
  g_assert_null (gtk_application_get_windows (GTK_APPLICATION (run.app)));
  assert_polling_stopped (&run);
  assert_saved_as_watched (&run);
  run_clear (&run);
}

SUBPROCESS_CASE (test_quit_hidden, quit_hidden, NULL)

/* A "Quit" item for app.quit in the model or one of its sections. */
static gboolean
menu_has_quit (GMenuModel *menu)
{
  for (int i = 0; i < g_menu_model_get_n_items (menu); i++)
    {
      g_autofree char *action = NULL;
      g_autofree char *label = NULL;
      g_autoptr(GMenuModel) section = g_menu_model_get_item_link (menu, i, G_MENU_LINK_SECTION);

      if (section != NULL && menu_has_quit (section))
        return TRUE;
      if (g_menu_model_get_item_attribute (menu, i, G_MENU_ATTRIBUTE_ACTION, "s", &action) &&
          g_menu_model_get_item_attribute (menu, i, G_MENU_ATTRIBUTE_LABEL, "s", &label) &&
          g_str_equal (action, "app.quit") && g_str_equal (label, "_Quit"))
        return TRUE;
    }
  return FALSE;
}

/* The menu's Quit (or Ctrl+Q) with the window open and a job watched:
 * no staying behind. */
static void
step_quit_now (Run *run)
{
  g_autoptr(GPtrArray) buttons = NULL;
  g_auto(GStrv) accels = NULL;
  gboolean found = FALSE;

  if (run->step != 0 || !ready (run))
    return;
  /* The main menu, whichever menu button holds it. */
  buttons = vigil_test_find_all (GTK_WIDGET (main_window (run)), GTK_TYPE_MENU_BUTTON);
  for (guint i = 0; i < buttons->len; i++)
    {
      GMenuModel *model = gtk_menu_button_get_menu_model (g_ptr_array_index (buttons, i));

      found = found || (model != NULL && menu_has_quit (model));
    }
  g_assert_true (found);
  accels = gtk_application_get_accels_for_action (GTK_APPLICATION (run->app), "app.quit");
  g_assert_true (g_strv_contains ((const char * const *) accels, "<Control>q"));
  quit (run);
}

static void
quit_with_window (void)
{
  Run run = { 0 };

  run_init (&run, 30, step_quit_now);
  g_assert_cmpint (run_app (&run), ==, 0);
  g_assert_false (run.timed_out);
  g_assert_null (gtk_application_get_windows (GTK_APPLICATION (run.app)));
  g_assert_false (holding (&run));
  assert_polling_stopped (&run);
  assert_saved_as_watched (&run);
  run_clear (&run);
}

SUBPROCESS_CASE (test_quit_with_window, quit_with_window, NULL)

/* ------------------------------------------------------------------ */
/* Activating the app again                                            */
/* ------------------------------------------------------------------ */

static gboolean
model_contains (GListModel *model,
                gpointer    item)
{
  for (guint i = 0; i < g_list_model_get_n_items (model); i++)
    {
      g_autoptr(GObject) other = g_list_model_get_item (model, i);

      if (other == item)
        return TRUE;
    }
  return FALSE;
}

static void
step_reactivate (Run *run)
{
  VigilWindow *window;

  switch (run->step)
    {
    case 0:
      if (ready (run))
        close_main_window (run);
      break;
    case 1:
      if (polled_since_mark (run))
        {
          g_assert_true (holding (run));
          g_application_activate (G_APPLICATION (run->app));
          run->step++;
        }
      break;
    case 2:
      window = main_window (run);
      if (window == NULL || !vigil_test_wait_drawn (GTK_WIDGET (window), 100))
        return;
      g_assert_false (holding (run));
      /* The same job object, still watched, in the new window's list. */
      g_assert_true (model_contains (vigil_window_get_visible_jobs (window), find_job (run)));
      g_assert_false (vigil_job_get_is_finished (find_job (run)));
      run->reactivated = TRUE;
      close_main_window (run);
      g_assert_true (holding (run));
      break;
    case 3:
      if (polled_since_mark (run))
        quit (run);
      break;
    default:
      break;
    }
}

static void
reactivate (void)
{
  Run run = { 0 };

  run_init (&run, 30, step_reactivate);
  g_assert_cmpint (run_app (&run), ==, 0);
  g_assert_false (run.timed_out);
  g_assert_true (run.reactivated);
  run_clear (&run);
}

SUBPROCESS_CASE (test_reactivate, reactivate, NULL)

/* ------------------------------------------------------------------ */
/* The hint, once, and its Quit button                                 */
/* ------------------------------------------------------------------ */

/* The hint notification, once sent. */
static VigilFakeNotification *
hint (VigilFakeNotifications *fake)
{
  GPtrArray *all = vigil_fake_notifications_get_all (fake);

  g_assert_cmpuint (all->len, ==, 1);
  return g_ptr_array_index (all, 0);
}

static void
assert_hint (Run                    *run,
             VigilFakeNotifications *fake)
{
  VigilFakeNotification *n;

  g_assert_cmpuint (vigil_fake_notifications_get_n_sent (fake), ==, 1);
  n = hint (fake);
  g_assert_cmpstr (n->title, ==, "Vigil is still watching");
  g_assert_cmpstr (n->body, ==, "Vigil keeps watching 1 analysis and will tell you when "
                                "it ends. To stop watching, choose Quit.");
  g_assert_cmpuint (n->button_labels->len, ==, 1);
  g_assert_cmpstr (g_ptr_array_index (n->button_labels, 0), ==, "Quit");
  g_assert_cmpstr (g_ptr_array_index (n->button_actions, 0), ==, "app.quit");
  g_assert_true (g_settings_get_boolean (settings (run), "background-hint-shown"));
}

/* The hint once: withdrawn when the window is back, not sent again at
 * the next close. */
static void
step_hint_once (Run *run)
{
  VigilFakeNotifications *fake = run->notifications;

  switch (run->step)
    {
    case 0:
      if (ready (run))
        close_main_window (run);
      break;
    case 1:
      if (vigil_fake_notifications_get_n_sent (fake) == 0)
        return;
      assert_hint (run, fake);
      g_application_activate (G_APPLICATION (run->app));
      run->step++;
      break;
    case 2:
      if (main_window (run) != NULL && hint (fake)->withdrawn)
        close_main_window (run);
      break;
    case 3:
      if (!polled_since_mark (run))
        return;
      g_assert_true (holding (run));
      g_assert_cmpuint (vigil_fake_notifications_get_n_sent (fake), ==, 1);
      quit (run);
      break;
    default:
      break;
    }
}

static void
run_with_notifications (Run  *run,
                        Step  step_fn)
{
  g_setenv ("GNOTIFICATION_BACKEND", "freedesktop", TRUE);
  g_autoptr(GError) error = NULL;

  run->notifications = vigil_fake_notifications_new (&error);
  g_assert_no_error (error);
  run_init (run, 30, step_fn);
  g_assert_cmpint (run_app (run), ==, 0);
  g_assert_false (run->timed_out);
  g_assert_cmpuint (run->step, ==, 100);
  g_assert_null (gtk_application_get_windows (GTK_APPLICATION (run->app)));
}

static void
hint_once (void)
{
  Run run = { 0 };

  run_with_notifications (&run, step_hint_once);
  run_clear (&run);
}

SUBPROCESS_CASE (test_hint_once, hint_once, NULL)

/* The hint's Quit button quits, and polling stops. */
static void
step_hint_quit (Run *run)
{
  VigilFakeNotifications *fake = run->notifications;

  switch (run->step)
    {
    case 0:
      if (ready (run))
        close_main_window (run);
      break;
    case 1:
      if (vigil_fake_notifications_get_n_sent (fake) == 0)
        return;
      assert_hint (run, fake);
      vigil_fake_notifications_invoke (fake, hint (fake), "app.quit");
      run->step = 100;
      break;
    default:
      break;
    }
}

static void
hint_quit (void)
{
  Run run = { 0 };

  run_with_notifications (&run, step_hint_quit);
  assert_polling_stopped (&run);
  run_clear (&run);
}

SUBPROCESS_CASE (test_hint_quit, hint_quit, NULL)

/* ------------------------------------------------------------------ */
/* The Background portal                                               */
/* ------------------------------------------------------------------ */

static void
step_portal_allow (Run *run)
{
  switch (run->step)
    {
    case 0:
      if (!ready (run))
        return;
      vigil_background_set_sandboxed (background (run), TRUE);
      close_main_window (run);
      g_assert_true (holding (run));
      break;
    case 1:
      if (vigil_fake_portal_get_n_responses (run->portal) == 0)
        return;
      g_assert_cmpuint (vigil_fake_portal_get_n_requests (run->portal), ==, 1);
      g_assert_cmpstr (vigil_fake_portal_get_last_reason (run->portal), ==, REASON);
      g_assert_false (vigil_fake_portal_get_last_autostart (run->portal));
      run->mark = requests (run);
      run->step++;
      break;
    case 2:
      /* Two polls after the answer: it has been read, and allowed. */
      if (requests (run) < run->mark + 2)
        return;
      g_assert_true (holding (run));
      run->polled_hidden = TRUE;
      quit (run);
      break;
    default:
      break;
    }
}

static void
portal_allow (void)
{
  Run run = { 0 };
  g_autoptr(GError) error = NULL;

  run.portal = vigil_fake_portal_new (VIGIL_FAKE_PORTAL_ALLOW, &error);
  g_assert_no_error (error);
  run_init (&run, 30, step_portal_allow);
  g_settings_set_boolean (settings (&run), "background-hint-shown", TRUE);
  g_assert_cmpint (run_app (&run), ==, 0);
  g_assert_false (run.timed_out);
  g_assert_true (run.polled_hidden);
  g_assert_cmpuint (vigil_fake_portal_get_n_requests (run.portal), ==, 1);
  run_clear (&run);
}

SUBPROCESS_CASE (test_portal_allow, portal_allow, NULL)

static void
step_portal_deny (Run *run)
{
  if (run->step == 0 && ready (run))
    {
      vigil_background_set_sandboxed (background (run), TRUE);
      close_main_window (run);
    }
}

static void
portal_deny (void)
{
  Run run = { 0 };
  g_autoptr(GError) error = NULL;

  run.portal = vigil_fake_portal_new (VIGIL_FAKE_PORTAL_DENY, &error);
  g_assert_no_error (error);
  run_init (&run, 30, step_portal_deny);
  g_settings_set_boolean (settings (&run), "background-hint-shown", TRUE);
  g_assert_cmpint (run_app (&run), ==, 0);
  /* Quit as soon as the refusal came, as with the setting off. */
  g_assert_false (run.timed_out);
  g_assert_cmpuint (vigil_fake_portal_get_n_requests (run.portal), ==, 1);
  g_assert_cmpuint (vigil_fake_portal_get_n_responses (run.portal), ==, 1);
  g_assert_cmpstr (vigil_fake_portal_get_last_reason (run.portal), ==, REASON);
  g_assert_false (holding (&run));
  run_clear (&run);
}

SUBPROCESS_CASE (test_portal_deny, portal_deny,
                 "*vigil: Running in the background is not allowed, so Vigil quits when its window closes.*")

/* No portal on the bus: nobody refused, so Vigil keeps watching, and
 * says that it could not ask. */
static void
step_portal_missing (Run *run)
{
  switch (run->step)
    {
    case 0:
      if (!ready (run))
        return;
      vigil_background_set_sandboxed (background (run), TRUE);
      close_main_window (run);
      break;
    case 1:
      if (polled_since_mark (run))
        {
          g_assert_true (holding (run));
          quit (run);
        }
      break;
    default:
      break;
    }
}

static void
portal_missing (void)
{
  Run run = { 0 };

  run_init (&run, 30, step_portal_missing);
  g_settings_set_boolean (settings (&run), "background-hint-shown", TRUE);
  g_assert_cmpint (run_app (&run), ==, 0);
  g_assert_false (run.timed_out);
  g_assert_true (run.polled_hidden);
  run_clear (&run);
}

SUBPROCESS_CASE (test_portal_missing, portal_missing,
                 "*vigil: Could not ask to run in the background; Vigil keeps watching (*")

/* ------------------------------------------------------------------ */
/* The portal client alone (vigil-background-portal.c)                 */
/* ------------------------------------------------------------------ */

static void
on_portal_done (GObject      *source,
                GAsyncResult *result,
                gpointer      user_data)
{
  GAsyncResult **out = user_data;

  *out = g_object_ref (result);
}

static gboolean
have_result (gpointer data)
{
  return *(GAsyncResult **) data != NULL;
}

/* Asks, waits for the answer, returns it; the fake (if any) is freed. */
static gboolean
ask_portal (VigilFakePortal *fake,
            gboolean         cancel,
            GError         **error)
{
  g_autoptr(GDBusConnection) bus = g_bus_get_sync (G_BUS_TYPE_SESSION, NULL, NULL);
  g_autoptr(GCancellable) cancellable = g_cancellable_new ();
  g_autoptr(GAsyncResult) result = NULL;
  gboolean allowed;

  g_assert_nonnull (bus);
  vigil_background_portal_request_async (bus, "", REASON, cancellable, on_portal_done, &result);
  if (cancel)
    g_cancellable_cancel (cancellable);
  g_assert_true (vigil_test_wait_for (have_result, &result, vigil_test_limit_ms (20000)));
  allowed = vigil_background_portal_request_finish (result, error);
  if (fake != NULL)
    {
      if (!cancel)
        {
          g_assert_cmpuint (vigil_fake_portal_get_n_requests (fake), ==, 1);
          g_assert_cmpstr (vigil_fake_portal_get_last_reason (fake), ==, REASON);
          g_assert_cmpstr (vigil_fake_portal_get_last_parent (fake), ==, "");
        }
      /* Here, not in a subprocess: give the name back before the next case. */
      vigil_fake_portal_free (fake);
    }
  return allowed;
}

static void
test_portal_client (void)
{
  g_autoptr(GError) error = NULL;

  g_assert_true (ask_portal (vigil_fake_portal_new (VIGIL_FAKE_PORTAL_ALLOW, NULL), FALSE, &error));
  g_assert_no_error (error);

  g_assert_false (ask_portal (vigil_fake_portal_new (VIGIL_FAKE_PORTAL_DENY, NULL), FALSE, &error));
  g_assert_error (error, VIGIL_BACKGROUND_PORTAL_ERROR, VIGIL_BACKGROUND_PORTAL_ERROR_DENIED);
  g_clear_error (&error);

  /* Cancelled before the answer came: no answer is reported. */
  g_assert_false (ask_portal (vigil_fake_portal_new (VIGIL_FAKE_PORTAL_ALLOW, NULL), TRUE, &error));
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_CANCELLED);
  g_clear_error (&error);

  /* No portal on the bus (it activates nothing). */
  g_assert_false (ask_portal (NULL, FALSE, &error));
  g_assert_error (error, G_DBUS_ERROR, G_DBUS_ERROR_SERVICE_UNKNOWN);
}

/* ------------------------------------------------------------------ */

int
main (int   argc,
      char *argv[])
{
  VIGIL_TEST_REQUIRE_DISPLAY ();
  gtk_test_init (&argc, &argv, NULL);

  g_test_add_func ("/vigil/background/portal-client", test_portal_client);
  g_test_add_func ("/vigil/background/keeps-polling", test_keeps_polling);
  g_test_add_func ("/vigil/background/auto-watch", test_auto_watch);
  g_test_add_func ("/vigil/background/nothing-watched", test_nothing_watched);
  g_test_add_func ("/vigil/background/stopped-job", test_stopped_job);
  g_test_add_func ("/vigil/background/setting-off", test_setting_off);
  g_test_add_func ("/vigil/background/quit-hidden", test_quit_hidden);
  g_test_add_func ("/vigil/background/quit-with-window", test_quit_with_window);
  g_test_add_func ("/vigil/background/reactivate", test_reactivate);
  g_test_add_func ("/vigil/background/hint-once", test_hint_once);
  g_test_add_func ("/vigil/background/hint-quit", test_hint_quit);
  g_test_add_func ("/vigil/background/portal-allow", test_portal_allow);
  g_test_add_func ("/vigil/background/portal-deny", test_portal_deny);
  g_test_add_func ("/vigil/background/portal-missing", test_portal_missing);
  return g_test_run ();
}
