/* test-app.c — the application's command line: `vigil --demo` starts the
 * in-process demo server and one job of each kind; `vigil --server URL`
 * watches that server and remembers it; `vigil --help` needs no schema; bad
 * input exits 2 with one line on stderr; a second `vigil --watch ID` or
 * `--analyze-song ID` hands its work to the running instance and exits.
 * Each case runs in a subprocess: one GApplication per process. The vigil
 * binary's path is in $VIGIL.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <adwaita.h>
#include <glib/gstdio.h>

#include "vigil-application.h"
#include "vigil-demo-server.h"
#include "vigil-window.h"
#include "vigil-test-gui.h"
#include "vigil-test-timeout.h"

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

static gboolean
servers_shown (VigilApplication *app)
{
  const char *subtitle = window_subtitle (app);
  GListModel *trackers = vigil_application_get_trackers (app);
  VigilTracker *last = vigil_application_get_last_used_tracker (app);
  g_auto(GStrv) servers = NULL;

  if (subtitle == NULL || trackers == NULL)
    return FALSE;
  servers = g_settings_get_strv (vigil_application_get_settings (app), "servers");
  g_print ("trackers=%u servers=%u last=%s subtitle=%s\n",
           g_list_model_get_n_items (trackers), g_strv_length (servers),
           vigil_api_client_get_base_url (vigil_tracker_get_client (last)), subtitle);
  return TRUE;
}

/* `servers` and `server-url` together: one tracker each, and --server adds
 * one more (the last used). */
static void
test_several_servers (void)
{
  if (g_test_subprocess ())
    {
      const char *args[] = { "vigil", "--server", "http://127.0.0.1:11", NULL };
      const char *saved[] = { "http://127.0.0.1:9", NULL };
      g_autoptr(VigilApplication) probe = vigil_application_new (APP_ID ".AppTest",
                                                                 G_APPLICATION_NON_UNIQUE);

      g_settings_set_strv (vigil_application_get_settings (probe), "servers", saved);
      g_assert_cmpint (run_app_with_server (args, servers_shown, "http://127.0.0.1:10"), ==, 0);
      return;
    }

  g_test_trap_subprocess (NULL, SUBPROCESS_TIMEOUT_US, G_TEST_SUBPROCESS_INHERIT_STDERR);
  g_test_trap_assert_passed ();
  g_test_trap_assert_stdout ("*trackers=2 servers=2 last=http://127.0.0.1:11 "
                             "subtitle=* of 2 servers reachable*");
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

/* The schema's default server is the code's. */
static void
test_default_server (void)
{
  g_autoptr(GSettings) settings = g_settings_new (APP_ID);
  g_autoptr(GVariant) value = g_settings_get_default_value (settings, "server-url");

  g_assert_cmpstr (g_variant_get_string (value, NULL), ==, VIGIL_DEFAULT_SERVER_URL);
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
  g_test_trap_assert_stdout ("*toast=The saved server address is not valid*using " VIGIL_DEFAULT_SERVER_URL " "
                             "subtitle=" VIGIL_DEFAULT_SERVER_URL "*");
}

/* ------------------------------------------------------------------ */
/* The vigil binary                                                    */
/* ------------------------------------------------------------------ */

/* Runs $VIGIL with args; schema_dir replaces GSETTINGS_SCHEMA_DIR when set.
 * Returns the exit status; stderr goes to *err. */
static int
run_vigil (const char * const *args,
           const char         *schema_dir,
           char              **err)
{
  g_autoptr(GSubprocessLauncher) launcher = NULL;
  g_autoptr(GSubprocess) process = NULL;
  g_autoptr(GPtrArray) argv = g_ptr_array_new ();
  g_autoptr(GError) error = NULL;

  g_ptr_array_add (argv, (gpointer) g_getenv ("VIGIL"));
  for (guint i = 0; args[i] != NULL; i++)
    g_ptr_array_add (argv, (gpointer) args[i]);
  g_ptr_array_add (argv, NULL);

  launcher = g_subprocess_launcher_new (G_SUBPROCESS_FLAGS_STDOUT_SILENCE |
                                        G_SUBPROCESS_FLAGS_STDERR_PIPE);
  if (schema_dir != NULL)
    g_subprocess_launcher_setenv (launcher, "GSETTINGS_SCHEMA_DIR", schema_dir, TRUE);
  process = g_subprocess_launcher_spawnv (launcher, (const char * const *) argv->pdata, &error);
  g_assert_no_error (error);
  g_subprocess_communicate_utf8 (process, NULL, NULL, NULL, err, &error);
  g_assert_no_error (error);
  g_assert_true (g_subprocess_get_if_exited (process));
  return g_subprocess_get_exit_status (process);
}

/* --help works where no schema is installed (it must not touch GSettings,
 * which aborts on a missing schema). */
static void
test_help_without_schema (void)
{
  const char *args[] = { "--help", NULL };
  g_autofree char *dir = g_dir_make_tmp ("vigil-no-schema-XXXXXX", NULL);
  g_autofree char *err = NULL;

  g_assert_nonnull (dir);
  g_assert_cmpint (run_vigil (args, dir, &err), ==, 0);
  g_assert_cmpstr (err, ==, "");
  g_rmdir (dir);
}

typedef struct
{
  const char *args[4];
  const char *message;
} BadInput;

/* Bad input: exit 2 and exactly one line naming it; refused before any
 * instance (or schema) is involved. */
static void
test_bad_input (void)
{
  static const BadInput cases[] = {
    { { "--analyze-song", "abc", NULL }, "vigil: --analyze-song: “abc” is not *\n" },
    { { "--analyze-playlist", "0", NULL }, "vigil: --analyze-playlist: *0* out of bounds*\n" },
    { { "--analyze-user", "-3", NULL }, "vigil: --analyze-user: *-3*\n" },
    { { "--watch", "a b", NULL }, "vigil: --watch: “a b” is not a job ID\n" },
    { { "--all", NULL }, "vigil: --all goes with --analyze-playlist\n" },
    { { "stray", NULL }, "vigil: Unexpected argument “stray”*\n" },
    { { "--server", "ftp://example.org", NULL }, "vigil: *ftp://example.org*\n" },
  };
  g_autofree char *dir = g_dir_make_tmp ("vigil-no-schema-XXXXXX", NULL);

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autofree char *err = NULL;

      g_assert_cmpint (run_vigil (cases[i].args, dir, &err), ==, 2);
      if (!g_pattern_match_simple (cases[i].message, err))
        g_error ("%s: stderr “%s” is not “%s”", cases[i].args[0], err, cases[i].message);
      g_assert_cmpint (strchr (err, '\n') - err, ==, strlen (err) - 1);
    }
  g_rmdir (dir);
}

/* ------------------------------------------------------------------ */
/* Forwarding to the running instance                                  */
/* ------------------------------------------------------------------ */

typedef struct
{
  VigilDemoServer *server;
  const char      *second_args[4];
  GSubprocess     *second;
  gint64           second_started;
  gint64           second_took;       /* µs, -1 while running */
  int              second_status;
  const char      *job_id;            /* for --watch */
} Forward;

static Forward forward;

static void
on_second_exited (GObject      *object,
                  GAsyncResult *res,
                  gpointer      user_data)
{
  g_autoptr(GError) error = NULL;

  g_assert_true (g_subprocess_wait_finish (G_SUBPROCESS (object), res, &error));
  g_assert_no_error (error);
  forward.second_took = g_get_monotonic_time () - forward.second_started;
  forward.second_status = g_subprocess_get_exit_status (G_SUBPROCESS (object));
}

/* Once the primary's window is up, start `vigil ARGS` (the real binary). */
static void
start_second (void)
{
  g_autoptr(GPtrArray) argv = g_ptr_array_new ();
  g_autoptr(GError) error = NULL;

  g_ptr_array_add (argv, (gpointer) g_getenv ("VIGIL"));
  for (guint i = 0; forward.second_args[i] != NULL; i++)
    g_ptr_array_add (argv, (gpointer) forward.second_args[i]);
  g_ptr_array_add (argv, NULL);

  forward.second_started = g_get_monotonic_time ();
  forward.second_took = -1;
  forward.second = g_subprocess_newv ((const char * const *) argv->pdata,
                                      G_SUBPROCESS_FLAGS_NONE, &error);
  g_assert_no_error (error);
  g_subprocess_wait_async (forward.second, NULL, on_second_exited, NULL);
}

static gboolean
second_done (VigilApplication *app)
{
  if (window_subtitle (app) == NULL)
    return FALSE;
  if (forward.second == NULL)
    start_second ();
  return forward.second_took >= 0;
}

static VigilJob *
find_job (VigilApplication *app,
          VigilJobKind      kind,
          gint64            target_id)
{
  GListModel *jobs = vigil_tracker_get_jobs (vigil_application_get_tracker (app));

  for (guint i = 0; i < g_list_model_get_n_items (jobs); i++)
    {
      g_autoptr(VigilJob) job = g_list_model_get_item (jobs, i);

      if (vigil_job_get_kind (job) == kind && vigil_job_get_target_id (job) == target_id)
        return job;
    }
  return NULL;
}

static void
print_second (void)
{
  g_print ("second=%d quick=%d\n", forward.second_status,
           forward.second_took < (gint64) vigil_test_limit_ms (10000) * 1000);
}

static gboolean
song_forwarded (VigilApplication *app)
{
  VigilJob *job;

  if (!second_done (app))
    return FALSE;
  job = find_job (app, VIGIL_JOB_KIND_SONG, 3);
  if (job == NULL || vigil_job_get_job_id (job) == NULL)
    return FALSE;
  print_second ();
  g_print ("job=%s starts=%" G_GUINT64_FORMAT "\n", vigil_job_get_job_id (job),
           vigil_demo_server_get_request_count (forward.server, "/api/songs/{id}/analyze"));
  return TRUE;
}

static gboolean
watch_forwarded (VigilApplication *app)
{
  VigilJob *job;

  if (!second_done (app))
    return FALSE;
  job = vigil_tracker_lookup (vigil_application_get_tracker (app), forward.job_id);
  if (job == NULL || vigil_demo_server_get_job_request_count (forward.server, forward.job_id) == 0)
    return FALSE;
  print_second ();
  g_print ("watched=1 polled=1 jobs=%u\n",
           g_list_model_get_n_items (vigil_tracker_get_jobs (vigil_application_get_tracker (app))));
  return TRUE;
}

/* The primary is unique on the test's private bus, under the id the real
 * binary uses, so that the second process finds it. */
static int
run_primary (AppCheck check)
{
  Run run = { NULL, check, 0 };
  g_autofree char *url = NULL;
  g_autofree char *job_id = NULL;
  const char *args[] = { "vigil", "--server", NULL, NULL };
  g_autoptr(GError) error = NULL;
  int status;

  forward.server = vigil_demo_server_new ();
  g_assert_true (vigil_demo_server_listen (forward.server, NULL, 0, &error));
  g_assert_no_error (error);
  url = vigil_demo_server_get_url (forward.server);
  args[2] = url;
  if (g_strcmp0 (forward.second_args[0], "--watch") == 0)
    {
      job_id = vigil_demo_server_add_job (forward.server, VIGIL_JOB_KIND_SONG, 5, 1, 60, 0);
      forward.job_id = job_id;
      forward.second_args[1] = job_id;
    }

  run.app = vigil_application_new (APP_ID, G_APPLICATION_DEFAULT_FLAGS);
  g_timeout_add (50, on_tick, &run);
  status = g_application_run (G_APPLICATION (run.app), 3, (char **) args);
  g_object_unref (run.app);
  g_clear_object (&forward.second);
  g_clear_object (&forward.server);
  return status;
}

static void
test_forward_analyze (void)
{
  if (g_test_subprocess ())
    {
      forward.second_args[0] = "--analyze-song";
      forward.second_args[1] = "3";
      g_assert_cmpint (run_primary (song_forwarded), ==, 0);
      return;
    }

  g_test_trap_subprocess (NULL, SUBPROCESS_TIMEOUT_US, G_TEST_SUBPROCESS_INHERIT_STDERR);
  g_test_trap_assert_passed ();
  g_test_trap_assert_stdout ("second=0 quick=1\njob=* starts=1\n");
}

static void
test_forward_watch (void)
{
  if (g_test_subprocess ())
    {
      forward.second_args[0] = "--watch";
      g_assert_cmpint (run_primary (watch_forwarded), ==, 0);
      return;
    }

  g_test_trap_subprocess (NULL, SUBPROCESS_TIMEOUT_US, G_TEST_SUBPROCESS_INHERIT_STDERR);
  g_test_trap_assert_passed ();
  g_test_trap_assert_stdout ("second=0 quick=1\nwatched=1 polled=1 jobs=1\n");
}

int
main (int argc, char *argv[])
{
  VIGIL_TEST_REQUIRE_DISPLAY ();
  gtk_test_init (&argc, &argv, NULL);

  g_test_add_func ("/vigil/app/demo", test_demo);
  g_test_add_func ("/vigil/app/server", test_server);
  g_test_add_func ("/vigil/app/bad-server", test_bad_server);
  g_test_add_func ("/vigil/app/several-servers", test_several_servers);
  g_test_add_func ("/vigil/app/api-server", test_api_server);
  g_test_add_func ("/vigil/app/corrupt-setting", test_corrupt_setting);
  g_test_add_func ("/vigil/app/default-server", test_default_server);
  g_test_add_func ("/vigil/app/help-without-schema", test_help_without_schema);
  g_test_add_func ("/vigil/app/bad-input", test_bad_input);
  g_test_add_func ("/vigil/app/forward-analyze", test_forward_analyze);
  g_test_add_func ("/vigil/app/forward-watch", test_forward_watch);

  return g_test_run ();
}
