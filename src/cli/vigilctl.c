/* vigilctl.c — Vigil on the command line
 *
 * Exit codes: 0 success; 1 the job or the server reported a failure;
 * 2 usage or connection errors, or a watch that gave up (one line on
 * stderr says why; with --json, also an {"error": …} object on stdout);
 * 130 when Ctrl+C ends a watch.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <glib/gi18n.h>
#include <stdlib.h>

#include "vigil-api-client.h"
#include "vigil-json-builder.h"
#include "vigil-credentials.h"
#include "vigil-debug-log.h"
#include "vigil-i18n.h"
#include "vigilctl-json.h"
#include "vigilctl-output.h"
#include "vigilctl-queue.h"
#include "vigilctl-watch.h"

#define EXIT_FAILED 1
#define EXIT_USAGE 2
/* How long vigilctl waits for the keyring: a locked one answers only once
 * its unlock prompt (on the desktop, maybe unseen) is dealt with. */
#define KEYRING_TIMEOUT_S 5

typedef struct _Ctl Ctl;

typedef int (*CommandFunc) (Ctl *ctl, int argc, char **argv);

typedef struct
{
  const char  *name;
  const char  *args;
  const char  *summary;
  CommandFunc  func;
} Command;

struct _Ctl
{
  const Command  *command;
  const char     *server;
  const char     *token_env;
  const char     *cookie_env;
  VigilApiClient *client;
  GMainLoop      *loop;
  GAsyncResult   *result;
  gboolean        json;
  double          time_scale;
};

/* Whether errors are also JSON objects on stdout: --json anywhere on the
 * command line, known before the options are parsed (they may be wrong). */
static gboolean json_errors;

typedef enum
{
  TARGET_SONG,
  TARGET_PLAYLIST,
  TARGET_USER,
} Target;

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
  vigilctl_print_error (json_errors, "usage", message, NULL);
  return EXIT_USAGE;
}

static int
command_usage (Ctl *ctl)
{
  return usage_error (_("usage: vigilctl %s %s"), ctl->command->name, ctl->command->args);
}

/* Refusals the server reported (unknown ids, server errors, "slow down")
 * are failures; everything else is a connection or sign-in problem. */
static int
exit_code_of (const GError *error)
{
  if (g_error_matches (error, VIGIL_API_ERROR, VIGIL_API_ERROR_NOT_FOUND) ||
      g_error_matches (error, VIGIL_API_ERROR, VIGIL_API_ERROR_SERVER) ||
      g_error_matches (error, VIGIL_API_ERROR, VIGIL_API_ERROR_RATE_LIMITED))
    return EXIT_FAILED;
  return EXIT_USAGE;
}

/* The error's code in JSON: "not_found", "network", … */
static const char *
error_code_name (const GError *error)
{
  static const char * const names[] = {
    [VIGIL_API_ERROR_NETWORK] = "network",
    [VIGIL_API_ERROR_TIMEOUT] = "timeout",
    [VIGIL_API_ERROR_NOT_FOUND] = "not_found",
    [VIGIL_API_ERROR_UNAUTHORIZED] = "unauthorized",
    [VIGIL_API_ERROR_FORBIDDEN] = "forbidden",
    [VIGIL_API_ERROR_SERVER] = "server",
    [VIGIL_API_ERROR_PROTOCOL] = "protocol",
    [VIGIL_API_ERROR_RATE_LIMITED] = "rate_limited",
    [VIGIL_API_ERROR_INVALID_URL] = "invalid_url",
  };

  if (error->domain == VIGIL_API_ERROR && error->code >= 0 &&
      (guint) error->code < G_N_ELEMENTS (names) && names[error->code] != NULL)
    return names[error->code];
  return "error";
}

static int
report_error (const GError *error)
{
  vigilctl_print_error (json_errors, error_code_name (error), error->message, NULL);
  return exit_code_of (error);
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
parse_target (const char *text,
              Target     *target)
{
  static const char * const names[] = { "song", "playlist", "user" };

  for (guint i = 0; i < G_N_ELEMENTS (names); i++)
    if (g_str_equal (text, names[i]))
      {
        *target = (Target) i;
        return TRUE;
      }
  return FALSE;
}

/* "90s", "5m", "1h", "1.5h" or plain seconds; up to a year. */
static gboolean
parse_duration (const char *text,
                gint64     *us)
{
  static const struct { const char *suffix; double seconds; } units[] = {
    { "", 1 }, { "s", 1 }, { "m", 60 }, { "h", 60 * 60 },
  };
  char *end = NULL;
  double value;

  if (text == NULL || !g_ascii_isdigit (text[0]))
    return FALSE;

  value = g_ascii_strtod (text, &end);
  for (guint i = 0; i < G_N_ELEMENTS (units); i++)
    {
      double seconds = value * units[i].seconds;

      if (!g_str_equal (end, units[i].suffix))
        continue;
      if (!(seconds > 0 && seconds <= 366 * 24 * 60 * 60.0))
        return FALSE;
      *us = (gint64) (seconds * G_USEC_PER_SEC);
      return TRUE;
    }
  return FALSE;
}

/* --give-up-after: 0 (never) when not given. */
static gboolean
read_give_up (const char *text,
              gint64     *us,
              int        *status)
{
  *us = 0;
  if (text == NULL || parse_duration (text, us))
    return TRUE;

  *status = usage_error (_("--give-up-after: “%s” is not a duration (such as 90s, 5m or 1h)"), text);
  return FALSE;
}

/* Parse a command's options (its own and --json, which may also follow the
 * command); --help prints them and exits 0. */
static gboolean
parse_options (Ctl          *ctl,
               GOptionEntry *entries,
               int          *argc,
               char       ***argv,
               int          *status)
{
  const GOptionEntry common[] = {
    { "json", 'j', 0, G_OPTION_ARG_NONE, &ctl->json, N_("Print JSON"), NULL },
    { NULL }
  };
  g_autofree char *param = g_strstrip (g_strdup_printf ("%s %s", ctl->command->name,
                                                        ctl->command->args));
  g_autoptr(GOptionContext) context = g_option_context_new (param);
  g_autoptr(GError) error = NULL;

  g_option_context_set_summary (context, _(ctl->command->summary));
  if (entries != NULL)
    g_option_context_add_main_entries (context, entries, GETTEXT_PACKAGE);
  g_option_context_add_main_entries (context, common, GETTEXT_PACKAGE);
  if (!g_option_context_parse (context, argc, argv, &error))
    {
      *status = usage_error ("%s", error->message);
      return FALSE;
    }
  return TRUE;
}

/* The value of the environment variable var (NULL: none asked for). */
static gboolean
secret_from_env (const char  *var,
                 const char **value,
                 GError     **error)
{
  *value = var != NULL ? g_getenv (var) : NULL;
  if (var == NULL || (*value != NULL && (*value)[0] != '\0'))
    return TRUE;

  g_set_error (error, VIGIL_API_ERROR, VIGIL_API_ERROR_UNAUTHORIZED,
               _("The environment variable %s is not set"), var);
  return FALSE;
}

static void
on_saved_looked_up (GObject      *source,
                    GAsyncResult *result,
                    gpointer      data)
{
  GAsyncResult **out = data;

  *out = g_object_ref (result);
}

/* The secret the app saved for (server, kind), or NULL. No keyring is no
 * error here: vigilctl goes on without. */
static char *
lookup_saved (VigilCredentials    *credentials,
              const char          *server,
              VigilCredentialKind  kind)
{
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GError) error = NULL;
  char *secret;

  vigil_credentials_lookup_async (credentials, server, kind, NULL, on_saved_looked_up, &result);
  while (result == NULL)
    g_main_context_iteration (NULL, TRUE);
  secret = vigil_credentials_lookup_finish (credentials, result, &error);
  if (error != NULL)
    g_debug ("Going on without saved credentials: %s", error->message);
  return secret;
}

/* Without --token-env and --cookie-env: the token, else the session cookie,
 * saved in the keyring for this server (its base URL as the client
 * normalized it, which is how the app saves it). */
static void
use_saved_credentials (VigilApiClient *client)
{
  g_autoptr(VigilCredentials) credentials = vigil_credentials_new ();
  const char *server = vigil_api_client_get_base_url (client);
  g_autofree char *token = NULL, *cookie = NULL;

  vigil_credentials_set_timeout (credentials, KEYRING_TIMEOUT_S);
  token = lookup_saved (credentials, server, VIGIL_CREDENTIAL_KIND_TOKEN);
  if (token != NULL)
    {
      vigil_api_client_set_token (client, token);
      return;
    }
  if (vigil_credentials_is_session_only (credentials))
    return;
  cookie = lookup_saved (credentials, server, VIGIL_CREDENTIAL_KIND_COOKIE);
  if (cookie != NULL)
    vigil_api_client_set_cookie (client, cookie);
}

static VigilApiClient *
make_client (Ctl     *ctl,
             GError **error)
{
  const char *server = ctl->server;
  const char *token, *cookie;
  g_autoptr(VigilApiClient) client = NULL;

  if (server == NULL)
    server = g_getenv ("VIGIL_SERVER");
  if (server == NULL || server[0] == '\0')
    server = VIGIL_DEFAULT_SERVER_URL;

  if (!secret_from_env (ctl->token_env, &token, error) ||
      !secret_from_env (ctl->cookie_env, &cookie, error) ||
      (client = vigil_api_client_new (server, error)) == NULL)
    return NULL;

  vigil_api_client_set_token (client, token);
  vigil_api_client_set_cookie (client, cookie);
  if (ctl->token_env == NULL && ctl->cookie_env == NULL)
    use_saved_credentials (client);
  return g_steal_pointer (&client);
}

/* The client is made once the command line is known to be right, so that
 * usage errors and --help never depend on the server settings. */
static gboolean
ctl_connect (Ctl *ctl,
             int *status)
{
  g_autoptr(GError) error = NULL;

  ctl->client = make_client (ctl, &error);
  if (ctl->client == NULL)
    {
      vigilctl_print_error (json_errors, error_code_name (error), error->message, NULL);
      *status = EXIT_USAGE;
      return FALSE;
    }
  return TRUE;
}

static void
print_node (JsonNode *node)
{
  g_autoptr(JsonNode) owned = node;

  vigilctl_print_json (owned);
}

#define GIVE_UP_OPTION(variable) \
  { "give-up-after", 0, 0, G_OPTION_ARG_STRING, &(variable), \
    N_("Give up (exit status 2) when the server has been failing for this long " \
       "(such as 90s, 5m, 1h; default: never)"), N_("DURATION") }

static VigilctlWatchFormat
watch_format (Ctl *ctl)
{
  return ctl->json ? VIGILCTL_WATCH_JSON : VIGILCTL_WATCH_AUTO;
}

/* ------------------------------------------------------------------ */
/* analyze                                                             */
/* ------------------------------------------------------------------ */

static VigilStartResult *
start_job (Ctl      *ctl,
           Target    target,
           gint64    id,
           gboolean  all,
           GError  **error)
{
  switch (target)
    {
    case TARGET_SONG:
      vigil_api_client_start_song_async (ctl->client, id, NULL, on_done, ctl);
      return vigil_api_client_start_song_finish (ctl->client, wait_result (ctl), error);
    case TARGET_PLAYLIST:
      vigil_api_client_start_playlist_async (ctl->client, id, all, NULL, on_done, ctl);
      return vigil_api_client_start_playlist_finish (ctl->client, wait_result (ctl), error);
    case TARGET_USER:
    default:
      vigil_api_client_start_user_async (ctl->client, id, NULL, on_done, ctl);
      return vigil_api_client_start_user_finish (ctl->client, wait_result (ctl), error);
    }
}

static int
cmd_analyze (Ctl   *ctl,
             int    argc,
             char **argv)
{
  gboolean all = FALSE, follow = FALSE;
  g_autofree char *give_up_text = NULL;
  GOptionEntry entries[] = {
    { "all", 0, 0, G_OPTION_ARG_NONE, &all,
      N_("Playlists: analyze every song, not only unanalyzed ones"), NULL },
    { "follow", 'f', 0, G_OPTION_ARG_NONE, &follow, N_("Watch the job until it ends"), NULL },
    GIVE_UP_OPTION (give_up_text),
    { NULL }
  };
  gint64 give_up_us;
  g_autoptr(VigilStartResult) result = NULL;
  g_autoptr(GError) error = NULL;
  Target target;
  gint64 id;
  int status = 0;

  if (!parse_options (ctl, entries, &argc, &argv, &status))
    return status;
  if (argc != 3)
    return command_usage (ctl);
  if (!parse_target (argv[1], &target))
    return usage_error (_("unknown kind “%s”: use song, playlist or user"), argv[1]);
  if (!vigil_parse_positive_id (argv[2], &id, NULL))
    return usage_error (_("“%s” is not a valid ID (a positive whole number)"), argv[2]);
  if (all && target != TARGET_PLAYLIST)
    return usage_error (_("--all applies to playlists only"));
  if (!read_give_up (give_up_text, &give_up_us, &status))
    return status;
  if (give_up_us > 0 && !follow)
    return usage_error (_("--give-up-after applies to --follow only"));
  if (!ctl_connect (ctl, &status))
    return status;

  if ((result = start_job (ctl, target, id, all, &error)) == NULL)
    return report_error (error);

  if (ctl->json)
    print_node (vigilctl_start_to_json (result));
  else
    vigilctl_print_start (result);

  if (follow && result->job_id != NULL)
    {
      const char *ids[] = { result->job_id, NULL };

      return vigilctl_watch (ctl->client, ids, watch_format (ctl), ctl->time_scale, give_up_us);
    }
  return 0;
}

/* ------------------------------------------------------------------ */
/* status, watch                                                       */
/* ------------------------------------------------------------------ */

static VigilJobRecord *
get_job_status (Ctl         *ctl,
                const char  *job_id,
                GError     **error)
{
  vigil_api_client_get_job_status_async (ctl->client, job_id, NULL, on_done, ctl);
  return vigil_api_client_get_job_status_finish (ctl->client, wait_result (ctl), error);
}

static int
cmd_status (Ctl   *ctl,
            int    argc,
            char **argv)
{
  g_autoptr(VigilJobRecord) record = NULL;
  g_autoptr(GError) error = NULL;
  int status = 0;

  if (!parse_options (ctl, NULL, &argc, &argv, &status))
    return status;
  if (argc != 2 || argv[1][0] == '\0')
    return command_usage (ctl);
  if (!ctl_connect (ctl, &status))
    return status;

  if ((record = get_job_status (ctl, argv[1], &error)) == NULL)
    return report_error (error);

  if (ctl->json)
    print_node (vigilctl_record_to_json (record));
  else
    vigilctl_print_record (record);

  return vigil_job_record_is_failure (record) ? EXIT_FAILED : 0;
}

/* One request before polling, so that a wrong address or a missing
 * sign-in ends the watch at once (exit 2) rather than being retried for
 * ever. What the server says about the job is the poller's business. */
static gboolean
check_server (Ctl        *ctl,
              const char *job_id,
              int        *status)
{
  g_autoptr(VigilJobRecord) record = NULL;
  g_autoptr(GError) error = NULL;

  record = get_job_status (ctl, job_id, &error);
  if (record != NULL || exit_code_of (error) == EXIT_FAILED)
    return TRUE;

  *status = report_error (error);
  return FALSE;
}

static int
cmd_watch (Ctl   *ctl,
           int    argc,
           char **argv)
{
  g_autofree char *give_up_text = NULL;
  GOptionEntry entries[] = {
    GIVE_UP_OPTION (give_up_text),
    { NULL }
  };
  gint64 give_up_us;
  int status = 0;

  if (!parse_options (ctl, entries, &argc, &argv, &status))
    return status;
  if (argc < 2)
    return command_usage (ctl);
  for (int i = 1; i < argc; i++)
    if (argv[i][0] == '\0')
      return usage_error (_("a job ID cannot be empty"));
  if (!read_give_up (give_up_text, &give_up_us, &status))
    return status;
  if (!ctl_connect (ctl, &status) || !check_server (ctl, argv[1], &status))
    return status;

  return vigilctl_watch (ctl->client, (const char * const *) argv + 1, watch_format (ctl),
                         ctl->time_scale, give_up_us);
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
  g_autoptr(VigilQueueHealth) health = NULL;
  g_autoptr(VigilctlQueueView) view = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(GError) health_error = NULL;
  int status = 0;

  if (!parse_options (ctl, NULL, &argc, &argv, &status))
    return status;
  if (argc != 1)
    return command_usage (ctl);
  if (!ctl_connect (ctl, &status))
    return status;

  vigil_api_client_get_queue_status_async (ctl->client, NULL, on_done, ctl);
  queue = vigil_api_client_get_queue_status_finish (ctl->client, wait_result (ctl), &error);
  if (queue == NULL)
    return report_error (error);

  /* The live service's status counts are all 0: the health answer (a 503
   * too) has the real ones. It is informational; its failure is said. */
  vigil_api_client_get_queue_health_async (ctl->client, NULL, on_done, ctl);
  health = vigil_api_client_get_queue_health_finish (ctl->client, wait_result (ctl),
                                                     &health_error);
  view = vigilctl_queue_view_new (queue, health, health_error);

  if (ctl->json)
    print_node (vigilctl_queue_view_to_json (view));
  else
    vigilctl_queue_view_print (view);
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

  if (!parse_options (ctl, NULL, &argc, &argv, &status))
    return status;
  if (argc != 1)
    return command_usage (ctl);
  if (!ctl_connect (ctl, &status))
    return status;

  vigil_api_client_get_worker_health_async (ctl->client, NULL, on_done, ctl);
  worker = vigil_api_client_get_worker_health_finish (ctl->client, wait_result (ctl), &error);
  if (worker == NULL)
    return report_error (error);

  if (ctl->json)
    print_node (vigilctl_worker_to_json (worker));
  else
    vigilctl_print_worker (worker);

  /* Scripts can check "is the worker up" by the exit code. */
  return g_ascii_strcasecmp (worker->status, "running") == 0 ? 0 : EXIT_FAILED;
}

/* The client's text when the server gave no message (the reader's words):
 * "message" is the server's only. */
static JsonNode *
cleanup_to_json (const char *text)
{
  g_autoptr(JsonBuilder) b = json_builder_new ();
  gboolean said = g_strcmp0 (text, _("Stale progress records were cleaned up")) != 0;

  json_builder_begin_object (b);
  vigil_json_add_string (b, "message", said ? text : NULL);
  vigil_json_add_string (b, "text", text);
  json_builder_end_object (b);
  return json_builder_get_root (b);
}

static int
cmd_cleanup (Ctl   *ctl,
             int    argc,
             char **argv)
{
  int max_age = -1;
  GOptionEntry entries[] = {
    { "max-age-hours", 0, 0, G_OPTION_ARG_INT, &max_age,
      N_("Drop progress records older than this (default: the server’s, 24)"), "N" },
    { NULL }
  };
  g_autofree char *message = NULL;
  g_autoptr(GError) error = NULL;
  int status = 0;

  if (!parse_options (ctl, entries, &argc, &argv, &status))
    return status;
  if (argc != 1)
    return command_usage (ctl);
  if (max_age != -1 && max_age < 1)
    return usage_error (_("--max-age-hours must be at least 1"));
  if (!ctl_connect (ctl, &status))
    return status;

  vigil_api_client_cleanup_async (ctl->client, MAX (max_age, 0), NULL, on_done, ctl);
  message = vigil_api_client_cleanup_finish (ctl->client, wait_result (ctl), &error);
  if (message == NULL)
    return report_error (error);

  if (ctl->json)
    print_node (cleanup_to_json (message));
  else
    {
      g_autofree char *shown = vigilctl_sanitize (message);

      g_print ("%s\n", shown);
    }
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

static const Command *
find_command (const char *name)
{
  for (guint i = 0; i < G_N_ELEMENTS (commands); i++)
    if (g_str_equal (name, commands[i].name))
      return &commands[i];
  return NULL;
}

static char *
commands_summary (void)
{
  GString *s = g_string_new (_("Commands:"));

  for (guint i = 0; i < G_N_ELEMENTS (commands); i++)
    {
      g_string_append (s, "\n  ");
      vigilctl_append_padded (s, commands[i].name, 9, FALSE);
      vigilctl_append_padded (s, commands[i].args, 43, FALSE);
      g_string_append (s, _(commands[i].summary));
    }
  g_string_append (s, _("\n\nRun “vigilctl COMMAND --help” for a command’s options."
                        "\nExit status: 0 success, 1 the job or server reported a failure,"
                        " 2 usage or connection error or gave up, 130 interrupted."
                        "\nWith --json, every line on stdout is a JSON object, errors too."
                        "\nEnvironment: VIGIL_SERVER is the default --server;"
                        " VIGIL_TIME_SCALE (e.g. 0.05) speeds up polling"
                        " for a demo server run with --speed 20."));
  return g_string_free (s, FALSE);
}

/* For tests and demos against a sped-up demo server: 1/speed. */
static double
read_time_scale (void)
{
  const char *text = g_getenv ("VIGIL_TIME_SCALE");
  double scale = text ? g_ascii_strtod (text, NULL) : 1.0;

  return scale > 0 ? CLAMP (scale, 1e-6, 1e6) : 1.0;
}

static gboolean
wants_json (int    argc,
            char **argv)
{
  for (int i = 1; i < argc && !g_str_equal (argv[i], "--"); i++)
    if (g_str_equal (argv[i], "--json") || g_str_equal (argv[i], "-j"))
      return TRUE;
  return FALSE;
}

int
main (int   argc,
      char *argv[])
{
  g_autofree char *server = NULL, *token_env = NULL, *cookie_env = NULL;
  g_autofree char *summary = NULL, *server_help = NULL;
  gboolean json = FALSE;
  GOptionEntry entries[] = {
    { "server", 's', 0, G_OPTION_ARG_STRING, &server, NULL, "URL" },
    { "token-env", 0, 0, G_OPTION_ARG_STRING, &token_env,
      N_("Read a Bearer token from this environment variable"), "VAR" },
    { "cookie-env", 0, 0, G_OPTION_ARG_STRING, &cookie_env,
      N_("Read a session cookie (name=value) from this environment variable"), "VAR" },
    { "json", 'j', 0, G_OPTION_ARG_NONE, &json,
      N_("Print JSON (JSON lines when watching)"), NULL },
    { NULL }
  };
  g_autoptr(GOptionContext) context = NULL;
  g_autoptr(GError) error = NULL;
  Ctl ctl = { 0 };
  int status;

  vigil_i18n_init ();
  /* G_MESSAGES_DEBUG=Vigil goes through the redacting log. */
  vigil_debug_log_init ();
  json_errors = wants_json (argc, argv);
  /* Translators: %s is the default server address */
  server_help = g_strdup_printf (_("The service’s base URL (default: $VIGIL_SERVER, else %s)"),
                                 VIGIL_DEFAULT_SERVER_URL);
  entries[0].description = server_help;

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
  if ((ctl.command = find_command (argv[1])) == NULL)
    return usage_error (_("unknown command “%s”; see “vigilctl --help”"), argv[1]);

  ctl.server = server;
  ctl.token_env = token_env;
  ctl.cookie_env = cookie_env;
  ctl.json = json;
  ctl.time_scale = read_time_scale ();
  ctl.loop = g_main_loop_new (NULL, FALSE);

  status = ctl.command->func (&ctl, argc - 1, argv + 1);

  g_clear_object (&ctl.result);
  g_clear_object (&ctl.client);
  g_main_loop_unref (ctl.loop);
  return status;
}
