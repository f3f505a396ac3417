/* vigilctl.c — Vigil on the command line
 *
 * Exit codes: 0 success; 1 the job or the server reported a failure;
 * 2 usage or connection errors (one line on stderr says why).
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <glib/gi18n.h>
#include <locale.h>
#include <stdlib.h>

#include "vigil-api-client.h"
#include "vigilctl-output.h"
#include "vigilctl-watch.h"

#define EXIT_FAILED 1
#define EXIT_USAGE 2

typedef struct
{
  VigilApiClient *client;
  GMainLoop      *loop;
  GAsyncResult   *result;
  gboolean        json;
  double          time_scale;
} Ctl;

typedef int (*CommandFunc) (Ctl *ctl, int argc, char **argv);

typedef struct
{
  const char  *name;
  const char  *args;
  const char  *summary;
  CommandFunc  func;
} Command;

/* ------------------------------------------------------------------ */
/* Helpers                                                             */
/* ------------------------------------------------------------------ */

static int
usage_error (const char *format,
             ...) G_GNUC_PRINTF (1, 2);

static int
usage_error (const char *format,
             ...)
{
  va_list args;
  g_autofree char *message = NULL;

  va_start (args, format);
  message = g_strdup_vprintf (format, args);
  va_end (args);
  g_printerr ("vigilctl: %s\n", message);
  return EXIT_USAGE;
}

/* Server-side refusals (unknown ids, server errors) are failures the
 * server reported; everything else is a connection or usage problem. */
static int
report_error (const GError *error)
{
  g_printerr ("vigilctl: %s\n", error->message);

  if (g_error_matches (error, VIGIL_API_ERROR, VIGIL_API_ERROR_NOT_FOUND) ||
      g_error_matches (error, VIGIL_API_ERROR, VIGIL_API_ERROR_SERVER))
    return EXIT_FAILED;
  return EXIT_USAGE;
}

static void
on_done (GObject      *object,
         GAsyncResult *result,
         gpointer      user_data)
{
  Ctl *ctl = user_data;

  ctl->result = g_object_ref (result);
  g_main_loop_quit (ctl->loop);
}

/* Run the main loop until the pending call answers; returns its result. */
static GAsyncResult *
wait_result (Ctl *ctl)
{
  g_clear_object (&ctl->result);
  g_main_loop_run (ctl->loop);
  return ctl->result;
}

static gboolean
parse_id (const char *text,
          gint64     *id)
{
  guint64 value;

  if (text == NULL || !g_ascii_string_to_unsigned (text, 10, 1, G_MAXINT64, &value, NULL))
    return FALSE;
  *id = (gint64) value;
  return TRUE;
}

/* Parse a command's options; --help prints them and exits 0. */
static gboolean
parse_options (const char   *name,
               const char   *args,
               GOptionEntry *entries,
               int          *argc,
               char       ***argv,
               int          *status)
{
  g_autofree char *param = g_strdup_printf ("%s %s", name, args);
  g_autoptr(GOptionContext) context = g_option_context_new (param);
  g_autoptr(GError) error = NULL;

  if (entries != NULL)
    g_option_context_add_main_entries (context, entries, GETTEXT_PACKAGE);
  if (!g_option_context_parse (context, argc, argv, &error))
    {
      *status = usage_error ("%s", error->message);
      return FALSE;
    }
  return TRUE;
}

/* ------------------------------------------------------------------ */
/* analyze                                                             */
/* ------------------------------------------------------------------ */

static int
follow_job (Ctl        *ctl,
            const char *job_id)
{
  const char *ids[] = { job_id, NULL };

  return vigilctl_watch (ctl->client, ids,
                         ctl->json ? VIGILCTL_WATCH_JSON : VIGILCTL_WATCH_AUTO,
                         ctl->time_scale);
}

static int
cmd_analyze (Ctl   *ctl,
             int    argc,
             char **argv)
{
  gboolean all = FALSE, follow = FALSE;
  GOptionEntry entries[] = {
    { "all", 0, 0, G_OPTION_ARG_NONE, &all, N_("Playlists: analyze every song, not only unanalyzed ones"), NULL },
    { "follow", 'f', 0, G_OPTION_ARG_NONE, &follow, N_("Watch the job until it ends"), NULL },
    { NULL }
  };
  g_autoptr(VigilStartResult) result = NULL;
  g_autoptr(GError) error = NULL;
  const char *kind;
  gint64 id;
  int status = 0;

  if (!parse_options ("analyze", "song|playlist|user ID", entries, &argc, &argv, &status))
    return status;
  if (argc != 3)
    return usage_error (_("usage: vigilctl analyze song|playlist|user ID [--all] [--follow]"));

  kind = argv[1];
  if (!parse_id (argv[2], &id))
    return usage_error (_("“%s” is not a valid ID (a positive whole number)"), argv[2]);

  if (g_str_equal (kind, "song"))
    {
      vigil_api_client_start_song_async (ctl->client, id, NULL, on_done, ctl);
      result = vigil_api_client_start_song_finish (ctl->client, wait_result (ctl), &error);
    }
  else if (g_str_equal (kind, "playlist"))
    {
      vigil_api_client_start_playlist_async (ctl->client, id, all, NULL, on_done, ctl);
      result = vigil_api_client_start_playlist_finish (ctl->client, wait_result (ctl), &error);
    }
  else if (g_str_equal (kind, "user"))
    {
      vigil_api_client_start_user_async (ctl->client, id, NULL, on_done, ctl);
      result = vigil_api_client_start_user_finish (ctl->client, wait_result (ctl), &error);
    }
  else
    return usage_error (_("unknown kind “%s”: use song, playlist or user"), kind);

  if (result == NULL)
    return report_error (error);

  if (ctl->json)
    {
      g_autoptr(JsonNode) node = vigilctl_start_to_json (result);
      vigilctl_print_json (node);
    }
  else
    vigilctl_print_start (result);

  if (follow && result->job_id != NULL)
    return follow_job (ctl, result->job_id);
  return 0;
}

/* ------------------------------------------------------------------ */
/* status, watch                                                       */
/* ------------------------------------------------------------------ */

static int
cmd_status (Ctl   *ctl,
            int    argc,
            char **argv)
{
  g_autoptr(VigilJobRecord) record = NULL;
  g_autoptr(GError) error = NULL;
  int status = 0;

  if (!parse_options ("status", "JOB_ID", NULL, &argc, &argv, &status))
    return status;
  if (argc != 2 || argv[1][0] == '\0')
    return usage_error (_("usage: vigilctl status JOB_ID"));

  vigil_api_client_get_job_status_async (ctl->client, argv[1], NULL, on_done, ctl);
  record = vigil_api_client_get_job_status_finish (ctl->client, wait_result (ctl), &error);
  if (record == NULL)
    return report_error (error);

  if (ctl->json)
    {
      g_autoptr(JsonNode) node = vigilctl_record_to_json (record);
      vigilctl_print_json (node);
    }
  else
    vigilctl_print_record (record);

  return vigil_job_record_is_failure (record) ? EXIT_FAILED : 0;
}

static int
cmd_watch (Ctl   *ctl,
           int    argc,
           char **argv)
{
  int status = 0;

  if (!parse_options ("watch", "JOB_ID…", NULL, &argc, &argv, &status))
    return status;
  if (argc < 2)
    return usage_error (_("usage: vigilctl watch JOB_ID…"));

  return vigilctl_watch (ctl->client, (const char * const *) argv + 1,
                         ctl->json ? VIGILCTL_WATCH_JSON : VIGILCTL_WATCH_AUTO,
                         ctl->time_scale);
}

/* ------------------------------------------------------------------ */
/* queue, workers, cleanup                                             */
/* ------------------------------------------------------------------ */

static int
cmd_queue (Ctl   *ctl,
           int    argc,
           char **argv)
{
  g_autoptr(VigilQueueStatus) queue = NULL;
  g_autoptr(GError) error = NULL;
  int status = 0;

  if (!parse_options ("queue", "", NULL, &argc, &argv, &status))
    return status;
  if (argc != 1)
    return usage_error (_("usage: vigilctl queue"));

  vigil_api_client_get_queue_status_async (ctl->client, NULL, on_done, ctl);
  queue = vigil_api_client_get_queue_status_finish (ctl->client, wait_result (ctl), &error);
  if (queue == NULL)
    return report_error (error);

  if (ctl->json)
    {
      g_autoptr(JsonNode) node = vigilctl_queue_to_json (queue);
      vigilctl_print_json (node);
    }
  else
    vigilctl_print_queue (queue);
  return 0;
}

static int
cmd_workers (Ctl   *ctl,
             int    argc,
             char **argv)
{
  g_autoptr(VigilWorkerHealth) worker = NULL;
  g_autoptr(GError) error = NULL;
  int status = 0;

  if (!parse_options ("workers", "", NULL, &argc, &argv, &status))
    return status;
  if (argc != 1)
    return usage_error (_("usage: vigilctl workers"));

  vigil_api_client_get_worker_health_async (ctl->client, NULL, on_done, ctl);
  worker = vigil_api_client_get_worker_health_finish (ctl->client, wait_result (ctl), &error);
  if (worker == NULL)
    return report_error (error);

  if (ctl->json)
    {
      g_autoptr(JsonNode) node = vigilctl_worker_to_json (worker);
      vigilctl_print_json (node);
    }
  else
    vigilctl_print_worker (worker);

  /* Scripts can check "is the worker up" by the exit code. */
  return g_ascii_strcasecmp (worker->status, "running") == 0 ? 0 : EXIT_FAILED;
}

static int
cmd_cleanup (Ctl   *ctl,
             int    argc,
             char **argv)
{
  int max_age = 0;
  GOptionEntry entries[] = {
    { "max-age-hours", 0, 0, G_OPTION_ARG_INT, &max_age, N_("Drop progress records older than this (default: the server's, 24)"), "N" },
    { NULL }
  };
  g_autofree char *message = NULL;
  g_autoptr(GError) error = NULL;
  int status = 0;

  if (!parse_options ("cleanup", "", entries, &argc, &argv, &status))
    return status;
  if (argc != 1 || max_age < 0)
    return usage_error (_("usage: vigilctl cleanup [--max-age-hours N]"));

  vigil_api_client_cleanup_async (ctl->client, max_age, NULL, on_done, ctl);
  message = vigil_api_client_cleanup_finish (ctl->client, wait_result (ctl), &error);
  if (message == NULL)
    return report_error (error);

  if (ctl->json)
    {
      g_autoptr(JsonBuilder) b = json_builder_new ();
      g_autoptr(JsonNode) node = NULL;

      json_builder_begin_object (b);
      json_builder_set_member_name (b, "message");
      json_builder_add_string_value (b, message);
      json_builder_end_object (b);
      node = json_builder_get_root (b);
      vigilctl_print_json (node);
    }
  else
    g_print ("%s\n", message);
  return 0;
}

/* ------------------------------------------------------------------ */
/* main                                                                */
/* ------------------------------------------------------------------ */

static const Command commands[] = {
  { "analyze", "song|playlist|user ID [--all] [--follow]", N_("Start an analysis"), cmd_analyze },
  { "status", "JOB_ID", N_("Show a job’s record and progress"), cmd_status },
  { "watch", "JOB_ID…", N_("Follow jobs until they end"), cmd_watch },
  { "queue", "", N_("Show the queue"), cmd_queue },
  { "workers", "", N_("Show worker health"), cmd_workers },
  { "cleanup", "[--max-age-hours N]", N_("Drop stale progress records (admin)"), cmd_cleanup },
};

static char *
commands_summary (void)
{
  GString *s = g_string_new (_("Commands:"));

  for (guint i = 0; i < G_N_ELEMENTS (commands); i++)
    g_string_append_printf (s, "\n  %-8s %-42s %s", commands[i].name, commands[i].args,
                            _(commands[i].summary));
  g_string_append (s, _("\n\nRun “vigilctl COMMAND --help” for a command’s options."
                        "\nExit status: 0 success, 1 the job or server reported a failure,"
                        " 2 usage or connection error."));
  return g_string_free (s, FALSE);
}

static VigilApiClient *
make_client (const char *server,
             const char *token_env,
             const char *cookie_env,
             GError    **error)
{
  g_autoptr(VigilApiClient) client = NULL;

  if (server == NULL)
    server = g_getenv ("VIGIL_SERVER");
  if (server == NULL)
    server = "http://localhost:5001";

  client = vigil_api_client_new (server, error);
  if (client == NULL)
    return NULL;

  if (token_env != NULL)
    {
      const char *token = g_getenv (token_env);

      if (token == NULL || token[0] == '\0')
        {
          g_set_error (error, VIGIL_API_ERROR, VIGIL_API_ERROR_UNAUTHORIZED,
                       _("The environment variable %s holding the token is not set"), token_env);
          return NULL;
        }
      vigil_api_client_set_token (client, token);
    }
  if (cookie_env != NULL && g_getenv (cookie_env) != NULL)
    vigil_api_client_set_cookie (client, g_getenv (cookie_env));

  return g_steal_pointer (&client);
}

int
main (int   argc,
      char *argv[])
{
  g_autofree char *server = NULL, *token_env = NULL, *cookie_env = NULL;
  g_autofree char *summary = NULL;
  gboolean json = FALSE;
  GOptionEntry entries[] = {
    { "server", 's', 0, G_OPTION_ARG_STRING, &server, N_("The service’s base URL (default: $VIGIL_SERVER, else http://localhost:5001)"), "URL" },
    { "token-env", 0, 0, G_OPTION_ARG_STRING, &token_env, N_("Read a Bearer token from this environment variable"), "VAR" },
    { "cookie-env", 0, 0, G_OPTION_ARG_STRING, &cookie_env, N_("Read a session cookie (name=value) from this environment variable"), "VAR" },
    { "json", 'j', 0, G_OPTION_ARG_NONE, &json, N_("Print JSON (JSON lines when watching)"), NULL },
    { NULL }
  };
  g_autoptr(GOptionContext) context = NULL;
  g_autoptr(GError) error = NULL;
  Ctl ctl = { 0 };
  const char *scale;
  int status;

  setlocale (LC_ALL, "");
  bindtextdomain (GETTEXT_PACKAGE, LOCALEDIR);
  bind_textdomain_codeset (GETTEXT_PACKAGE, "UTF-8");
  textdomain (GETTEXT_PACKAGE);

  context = g_option_context_new (_("COMMAND [ARGS…]"));
  g_option_context_set_summary (context, _("Watch and start song analyses from a terminal."));
  summary = commands_summary ();
  g_option_context_set_description (context, summary);
  g_option_context_add_main_entries (context, entries, GETTEXT_PACKAGE);
  /* Options after the command belong to the command. */
  g_option_context_set_strict_posix (context, TRUE);
  if (!g_option_context_parse (context, &argc, &argv, &error))
    return usage_error ("%s", error->message);
  if (argc < 2)
    return usage_error (_("no command given; see “vigilctl --help”"));

  ctl.client = make_client (server, token_env, cookie_env, &error);
  if (ctl.client == NULL)
    return usage_error ("%s", error->message);
  ctl.loop = g_main_loop_new (NULL, FALSE);
  ctl.json = json;
  /* For tests and demos against a sped-up demo server. */
  scale = g_getenv ("VIGIL_TIME_SCALE");
  ctl.time_scale = scale ? g_ascii_strtod (scale, NULL) : 1.0;
  if (!(ctl.time_scale > 0))
    ctl.time_scale = 1.0;

  status = -1;
  for (guint i = 0; i < G_N_ELEMENTS (commands); i++)
    if (g_str_equal (argv[1], commands[i].name))
      status = commands[i].func (&ctl, argc - 1, argv + 1);
  if (status < 0)
    status = usage_error (_("unknown command “%s”; see “vigilctl --help”"), argv[1]);

  g_clear_object (&ctl.result);
  g_clear_object (&ctl.client);
  g_main_loop_unref (ctl.loop);
  return status;
}
