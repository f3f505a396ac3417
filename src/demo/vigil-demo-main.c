/* vigil-demo-main.c — the vigil-demo-server binary: the reference server on
 * a loopback port, until SIGINT or SIGTERM
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <glib/gi18n.h>
#include <glib-unix.h>

#include "vigil-demo-server.h"
#include "vigil-i18n.h"

#define EXIT_USAGE 2

typedef struct
{
  int       port;
  char     *host;
  int       workers;
  double    speed;
  double    song_seconds;
  gint64    seed;
  char     *token_env;
  char     *admin_token_env;
  char     *token_on_command_line;
  gboolean  signin_redirect;
  double    error_rate;
  int       latency_ms;
  double    failure_rate;
  gboolean  production;
  gboolean  old_shape;
  gboolean  no_metadata;
  gboolean  no_batch_route;
  int       web_processes;
  gboolean  verbose;
} Options;

static void
options_clear (Options *options)
{
  g_clear_pointer (&options->host, g_free);
  g_clear_pointer (&options->token_env, g_free);
  g_clear_pointer (&options->admin_token_env, g_free);
  g_clear_pointer (&options->token_on_command_line, g_free);
}

G_DEFINE_AUTO_CLEANUP_CLEAR_FUNC (Options, options_clear)

static GOptionContext *
option_context_new (Options *o)
{
  const GOptionEntry entries[] = {
    { "port", 'p', 0, G_OPTION_ARG_INT, &o->port,
      N_("Port to listen on (default 5001; 0 picks a free one)"), N_("PORT") },
    { "host", 0, 0, G_OPTION_ARG_STRING, &o->host,
      N_("Loopback address to listen on (default 127.0.0.1)"), N_("ADDRESS") },
    { "workers", 'w', 0, G_OPTION_ARG_INT, &o->workers,
      N_("Simultaneous jobs (default 1)"), N_("N") },
    { "speed", 's', 0, G_OPTION_ARG_DOUBLE, &o->speed,
      N_("Virtual seconds per real second (default 1)"), N_("FACTOR") },
    { "song-seconds", 0, 0, G_OPTION_ARG_DOUBLE, &o->song_seconds,
      N_("Mean virtual duration of one song (default 20)"), N_("SECONDS") },
    { "seed", 0, 0, G_OPTION_ARG_INT64, &o->seed,
      N_("Random seed (default 0: from the clock)"), N_("SEED") },
    { "token-env", 0, 0, G_OPTION_ARG_STRING, &o->token_env,
      N_("Require “Authorization: Bearer TOKEN” on API calls, TOKEN read from "
         "the environment variable VAR"), N_("VAR") },
    { "admin-token-env", 0, 0, G_OPTION_ARG_STRING, &o->admin_token_env,
      N_("Read the token that admin paths need from VAR (default: the --token-env one)"),
      N_("VAR") },
    /* Secrets on a command line are visible to every user of the machine:
     * the old spellings are refused with a pointer to the new ones. */
    { "token", 0, G_OPTION_FLAG_HIDDEN, G_OPTION_ARG_STRING, &o->token_on_command_line,
      NULL, NULL },
    { "admin-token", 0, G_OPTION_FLAG_HIDDEN, G_OPTION_ARG_STRING, &o->token_on_command_line,
      NULL, NULL },
    { "signin-redirect", 0, 0, G_OPTION_ARG_NONE, &o->signin_redirect,
      N_("Redirect unauthenticated user paths to an HTML sign-in page"), NULL },
    { "error-rate", 0, 0, G_OPTION_ARG_DOUBLE, &o->error_rate,
      N_("Share of API requests answered 500 (0..1)"), N_("RATE") },
    { "latency-ms", 0, 0, G_OPTION_ARG_INT, &o->latency_ms,
      N_("Delay added before every answer"), N_("MS") },
    { "failure-rate", 0, 0, G_OPTION_ARG_DOUBLE, &o->failure_rate,
      N_("Share of jobs that fail (0..1)"), N_("RATE") },
    { "production", 0, 0, G_OPTION_ARG_NONE, &o->production,
      N_("Behave like the live service: its step names (lyrics_fetching, analysis), "
         "no metadata, all counts 0 in /api/queue/status (true ones in /api/queue/health), "
         "job progress 0 once a job's progress record is gone"), NULL },
    { "old-shape", 0, 0, G_OPTION_ARG_NONE, &o->old_shape,
      N_("Older progress shape: “progress”, “message” and “status”"), NULL },
    { "no-metadata", 0, 0, G_OPTION_ARG_NONE, &o->no_metadata,
      N_("Leave “metadata” out of progress records"), NULL },
    { "no-batch-route", 0, 0, G_OPTION_ARG_NONE, &o->no_batch_route,
      N_("Answer 404 to GET /api/progress"), NULL },
    { "web-processes", 0, 0, G_OPTION_ARG_INT, &o->web_processes,
      N_("Act as N web processes behind a load balancer: each GET /api/progress "
         "lists only one process’s jobs (default 1)"), N_("N") },
    { "verbose", 'v', 0, G_OPTION_ARG_NONE, &o->verbose,
      N_("Print a line when a job starts or finishes"), NULL },
    { NULL }
  };
  GOptionContext *context = g_option_context_new (NULL);

  g_option_context_set_summary (context,
                                _("Serve the song-analysis API with simulated workers, "
                                  "for demos, tests and benchmarks of Vigil."));
  g_option_context_add_main_entries (context, entries, GETTEXT_PACKAGE);
  return context;
}

static gboolean
check_rate (const char  *name,
            double       value,
            GError     **error)
{
  if (value >= 0 && value <= 1)
    return TRUE;

  g_set_error (error, G_OPTION_ERROR, G_OPTION_ERROR_BAD_VALUE,
               _("--%s must be between 0 and 1"), name);
  return FALSE;
}

/* The value of the environment variable NAME (NULL: no NAME given) */
static gboolean
read_token_env (const char  *option,
                const char  *name,
                char       **token,
                GError     **error)
{
  const char *value;

  *token = NULL;
  if (name == NULL)
    return TRUE;

  value = g_getenv (name);
  if (value == NULL || *value == '\0')
    {
      g_set_error (error, G_OPTION_ERROR, G_OPTION_ERROR_BAD_VALUE,
                   _("--%s: the environment variable %s is not set or empty"), option, name);
      return FALSE;
    }

  *token = g_strdup (value);
  return TRUE;
}

static gboolean
check_options (const Options  *o,
               GError        **error)
{
  const char *message = NULL;

  if (o->token_on_command_line != NULL)
    message = _("tokens are not taken on the command line, where other users can read "
                "them; put the token in an environment variable and name it with "
                "--token-env VAR (or --admin-token-env VAR)");
  else if (o->port < 0 || o->port > G_MAXUINT16)
    message = _("--port must be between 0 and 65535");
  else if (o->workers < 0 || o->workers > 1024)
    message = _("--workers must be between 0 and 1024");
  else if (!(o->speed >= 1e-3 && o->speed <= 1e6))
    message = _("--speed must be between 0.001 and 1000000");
  else if (!(o->song_seconds >= 1e-3 && o->song_seconds <= 1e6))
    message = _("--song-seconds must be between 0.001 and 1000000");
  else if (o->seed < 0)
    message = _("--seed must not be negative");
  else if (o->web_processes < 1 || o->web_processes > 64)
    message = _("--web-processes must be between 1 and 64");
  else if (o->latency_ms < 0 || o->latency_ms > 600000)
    message = _("--latency-ms must be between 0 and 600000");

  if (message != NULL)
    {
      g_set_error_literal (error, G_OPTION_ERROR, G_OPTION_ERROR_BAD_VALUE, message);
      return FALSE;
    }

  return check_rate ("error-rate", o->error_rate, error) &&
         check_rate ("failure-rate", o->failure_rate, error);
}

static VigilDemoServer *
server_new_from_options (const Options  *o,
                         GError        **error)
{
  g_autofree char *token = NULL;
  g_autofree char *admin_token = NULL;

  if (!read_token_env ("token-env", o->token_env, &token, error) ||
      !read_token_env ("admin-token-env", o->admin_token_env, &admin_token, error))
    return NULL;

  return g_object_new (VIGIL_TYPE_DEMO_SERVER,
                       "workers", (guint) o->workers,
                       "speed", o->speed,
                       "song-seconds", o->song_seconds,
                       "seed", (guint64) o->seed,
                       "require-token", token,
                       "admin-token", admin_token,
                       "signin-redirect", o->signin_redirect,
                       "error-rate", o->error_rate,
                       "latency-ms", (guint) o->latency_ms,
                       "failure-rate", o->failure_rate,
                       "production-steps", o->production,
                       "production-quirks", o->production,
                       "old-shape", o->old_shape,
                       "no-metadata", o->no_metadata,
                       "batch-route", !o->no_batch_route,
                       "web-processes", (guint) o->web_processes,
                       NULL);
}

static void
on_job_started (VigilDemoServer *server,
                const char      *job_id,
                gpointer         user_data)
{
  g_print ("%9.1f  started   %s\n", vigil_demo_server_get_virtual_time (server), job_id);
  fflush (stdout);
}

static void
on_job_finished (VigilDemoServer *server,
                 const char      *job_id,
                 int              status,
                 gpointer         user_data)
{
  g_print ("%9.1f  finished  %s  %s\n", vigil_demo_server_get_finish_time (server, job_id),
           job_id, vigil_job_status_to_string (status));
  fflush (stdout);
}

static gboolean
on_quit_signal (gpointer user_data)
{
  g_main_loop_quit (user_data);
  return G_SOURCE_CONTINUE;
}

static int
usage_error (const GError *error)
{
  g_printerr ("vigil-demo-server: %s\n", error->message);
  g_printerr (_("Run “vigil-demo-server --help” to see the options.\n"));
  return EXIT_USAGE;
}

/* Host errors are the user's; a busy port is the system's */
static int
listen_error (const GError *error)
{
  g_printerr ("vigil-demo-server: %s\n", error->message);
  return g_error_matches (error, VIGIL_DEMO_SERVER_ERROR, VIGIL_DEMO_SERVER_ERROR_NOT_LOOPBACK) ||
         g_error_matches (error, VIGIL_DEMO_SERVER_ERROR, VIGIL_DEMO_SERVER_ERROR_INVALID_HOST)
         ? EXIT_USAGE : EXIT_FAILURE;
}

static void
serve (VigilDemoServer *server,
       gboolean         verbose)
{
  g_autoptr(GMainLoop) loop = g_main_loop_new (NULL, FALSE);
  g_autofree char *url = vigil_demo_server_get_url (server);
  guint sigint_id, sigterm_id;

  if (verbose)
    {
      g_signal_connect (server, "job-started", G_CALLBACK (on_job_started), NULL);
      g_signal_connect (server, "job-finished", G_CALLBACK (on_job_finished), NULL);
    }

  sigint_id = g_unix_signal_add (SIGINT, on_quit_signal, loop);
  sigterm_id = g_unix_signal_add (SIGTERM, on_quit_signal, loop);

  g_print (_("Vigil demo server listening on %s\n"), url);
  fflush (stdout);

  g_main_loop_run (loop);

  g_source_remove (sigint_id);
  g_source_remove (sigterm_id);
}

int
main (int   argc,
      char *argv[])
{
  g_auto(Options) options = { .port = 5001, .workers = 1, .speed = 1.0, .song_seconds = 20.0,
                              .web_processes = 1 };
  g_autoptr(GOptionContext) context = NULL;
  g_autoptr(VigilDemoServer) server = NULL;
  g_autoptr(GError) error = NULL;

  vigil_i18n_init ();

  context = option_context_new (&options);
  if (!g_option_context_parse (context, &argc, &argv, &error) ||
      !check_options (&options, &error))
    return usage_error (error);

  if (argc > 1)
    {
      g_printerr (_("vigil-demo-server: unexpected argument “%s”\n"), argv[1]);
      return EXIT_USAGE;
    }

  server = server_new_from_options (&options, &error);
  if (server == NULL)
    return usage_error (error);
  if (!vigil_demo_server_listen (server, options.host, (guint) options.port, &error))
    return listen_error (error);

  serve (server, options.verbose);
  vigil_demo_server_disconnect (server);

  return EXIT_SUCCESS;
}
