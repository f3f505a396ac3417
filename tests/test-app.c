/* test-app.c — the application's command line: `vigil --demo` starts the
 * in-process demo server and one job of each kind; `vigil --server URL`
 * watches that server and remembers it. Each case runs in a subprocess:
 * one GApplication per process.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <adwaita.h>

#include "vigil-application.h"
#include "vigil-window.h"
#include "vigil-test-gui.h"

/* Safety nets only: the checks wait for conditions, and these limits are far
 * above what they take on a busy machine or under sanitizers. */
#define CHECK_LIMIT_TICKS 1200                    /* 60 s of 50 ms ticks */
#define SUBPROCESS_TIMEOUT_US (180 * G_USEC_PER_SEC)

typedef gboolean (*AppCheck) (VigilApplication *app);

typedef struct
{
  VigilApplication *app;
  AppCheck          check;
  guint             ticks;
} Run;

static const char *
window_subtitle (VigilApplication *app)
{
  GtkWindow *window = gtk_application_get_active_window (GTK_APPLICATION (app));
  AdwWindowTitle *title;

  if (!VIGIL_IS_WINDOW (window))
    return NULL;
  title = ADW_WINDOW_TITLE (gtk_widget_get_template_child (GTK_WIDGET (window), VIGIL_TYPE_WINDOW,
                                                           "window_title"));
  return adw_window_title_get_subtitle (title);
}

static gboolean
on_tick (gpointer data)
{
  Run *run = data;

  if (run->check (run->app) || ++run->ticks > CHECK_LIMIT_TICKS)
    {
      g_application_quit (G_APPLICATION (run->app));
      return G_SOURCE_REMOVE;
    }
  return G_SOURCE_CONTINUE;
}

static int
run_app_with_server (const char * const *args,
                     AppCheck            check,
                     const char         *saved_server)
{
  Run run = { NULL, check, 0 };
  g_auto(GStrv) argv = g_strdupv ((char **) args);
  int status;

  run.app = vigil_application_new (APP_ID ".AppTest", G_APPLICATION_NON_UNIQUE);
  if (saved_server != NULL)
    g_settings_set_string (vigil_application_get_settings (run.app), "server-url", saved_server);
  g_timeout_add (50, on_tick, &run);
  status = g_application_run (G_APPLICATION (run.app), g_strv_length (argv), argv);
  g_object_unref (run.app);
  return status;
}

static int
run_app (const char * const *args,
         AppCheck            check)
{
  return run_app_with_server (args, check, NULL);
}

/* ------------------------------------------------------------------ */

static gboolean
demo_ready (VigilApplication *app)
{
  VigilTracker *tracker = vigil_application_get_tracker (app);
  const char *subtitle = window_subtitle (app);
  GListModel *jobs;
  gboolean kinds[4] = { FALSE };

  if (tracker == NULL || subtitle == NULL)
    return FALSE;
  jobs = vigil_tracker_get_jobs (tracker);
  if (g_list_model_get_n_items (jobs) < 3)
    return FALSE;

  for (guint i = 0; i < g_list_model_get_n_items (jobs); i++)
    {
      g_autoptr(VigilJob) job = g_list_model_get_item (jobs, i);
      kinds[vigil_job_get_kind (job)] = TRUE;
    }
  g_print ("jobs=%u song=%d playlist=%d background=%d demo=%d subtitle=%s\n",
           g_list_model_get_n_items (jobs), kinds[VIGIL_JOB_KIND_SONG],
           kinds[VIGIL_JOB_KIND_PLAYLIST], kinds[VIGIL_JOB_KIND_BACKGROUND],
           vigil_application_get_demo_server (app) != NULL, subtitle);
  return TRUE;
}

static void
test_demo (void)
{
  if (g_test_subprocess ())
    {
      const char *args[] = { "vigil", "--demo", NULL };

      g_assert_cmpint (run_app (args, demo_ready), ==, 0);
      return;
    }

  g_test_trap_subprocess (NULL, SUBPROCESS_TIMEOUT_US, G_TEST_SUBPROCESS_INHERIT_STDERR);
  g_test_trap_assert_passed ();
  g_test_trap_assert_stdout ("*jobs=3 song=1 playlist=1 background=1 demo=1 "
                             "subtitle=Demo server at http://127.0.0.1:*");
}

static gboolean
server_shown (VigilApplication *app)
{
  const char *subtitle = window_subtitle (app);
  g_autofree char *saved = NULL;

  if (subtitle == NULL)
    return FALSE;
  saved = g_settings_get_string (vigil_application_get_settings (app), "server-url");
  g_print ("subtitle=%s saved=%s\n", subtitle, saved);
  return TRUE;
}

static void
test_server (void)
{
  if (g_test_subprocess ())
    {
      const char *args[] = { "vigil", "--server", "http://127.0.0.1:9/analysis/", NULL };

      g_assert_cmpint (run_app (args, server_shown), ==, 0);
      return;
    }

  g_test_trap_subprocess (NULL, SUBPROCESS_TIMEOUT_US, G_TEST_SUBPROCESS_INHERIT_STDERR);
  g_test_trap_assert_passed ();
  g_test_trap_assert_stdout ("*subtitle=http://127.0.0.1:9/analysis saved=http://127.0.0.1:9/analysis*");
}

static gboolean
never (VigilApplication *app)
{
  return FALSE;
}

static void
test_bad_server (void)
{
  if (g_test_subprocess ())
    {
      const char *args[] = { "vigil", "--server", "not a url", NULL };

      /* Refused before any window opens. */
      g_assert_cmpint (run_app (args, never), ==, 2);
      return;
    }

  g_test_trap_subprocess (NULL, SUBPROCESS_TIMEOUT_US, 0);
  g_test_trap_assert_passed ();
  g_test_trap_assert_stderr ("*vigil: *not a url*");
}

/* The app's --server goes through the client's checks: a base ending in
 * /api is refused at once, naming it and the address to use. */
static void
test_api_server (void)
{
  if (g_test_subprocess ())
    {
      const char *args[] = { "vigil", "--server", "http://127.0.0.1:9/api", NULL };

      g_assert_cmpint (run_app (args, never), ==, 2);
      return;
    }

  g_test_trap_subprocess (NULL, 20 * G_USEC_PER_SEC, 0);
  g_test_trap_assert_passed ();
  g_test_trap_assert_stderr ("*vigil: *http://127.0.0.1:9/api* ends in /api, *: use http://127.0.0.1:9\n");
}

static gboolean
toast_shown (VigilApplication *app)
{
  GtkWindow *window = gtk_application_get_active_window (GTK_APPLICATION (app));
  GtkLabel *label;

  if (window == NULL)
    return FALSE;
  label = vigil_test_find_label (GTK_WIDGET (window), "saved server address");
  if (label == NULL)
    return FALSE;
  g_print ("toast=%s subtitle=%s\n", gtk_label_get_label (label), window_subtitle (app));
  return TRUE;
}

/* A broken setting is said, and Vigil still starts on the default server. */
static void
test_corrupt_setting (void)
{
  if (g_test_subprocess ())
    {
      const char *args[] = { "vigil", NULL };

      g_assert_cmpint (run_app_with_server (args, toast_shown, "htp:/broken url"), ==, 0);
      return;
    }

  g_test_trap_subprocess (NULL, SUBPROCESS_TIMEOUT_US, G_TEST_SUBPROCESS_INHERIT_STDERR);
  g_test_trap_assert_passed ();
  g_test_trap_assert_stdout ("*toast=The saved server address is not valid*using http://localhost:5001 "
                             "subtitle=http://localhost:5001*");
}

int
main (int argc, char *argv[])
{
  VIGIL_TEST_REQUIRE_DISPLAY ();
  gtk_test_init (&argc, &argv, NULL);

  g_test_add_func ("/vigil/app/demo", test_demo);
  g_test_add_func ("/vigil/app/server", test_server);
  g_test_add_func ("/vigil/app/bad-server", test_bad_server);
  g_test_add_func ("/vigil/app/api-server", test_api_server);
  g_test_add_func ("/vigil/app/corrupt-setting", test_corrupt_setting);

  return g_test_run ();
}
