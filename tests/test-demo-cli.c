/* test-demo-cli.c — the vigil-demo-server binary's command line: tokens come
 * from the environment, never from argv.
 *
 * The binary is $VIGIL_DEMO_SERVER (set by meson).
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <string.h>
#include <gio/gio.h>
#include <libsoup/soup.h>

#define TOKEN "demo-cli-s3cret"
#define TOKEN_VAR "VIGIL_DEMO_TEST_TOKEN"

typedef struct
{
  GSubprocess *process;
  char        *url;
} Server;

static GSubprocessLauncher *
launcher_new (GSubprocessFlags flags)
{
  GSubprocessLauncher *launcher = g_subprocess_launcher_new (flags);

  g_subprocess_launcher_setenv (launcher, TOKEN_VAR, TOKEN, TRUE);
  g_subprocess_launcher_unsetenv (launcher, "VIGIL_DEMO_TEST_UNSET");
  return launcher;
}

static const char *
demo_server_path (void)
{
  const char *path = g_getenv ("VIGIL_DEMO_SERVER");

  g_assert_nonnull (path);
  return path;
}

/* Start the server on a free port; its first stdout line names the URL */
static void
server_start (Server             *server,
              const char * const *extra_args)
{
  g_autoptr(GSubprocessLauncher) launcher = launcher_new (G_SUBPROCESS_FLAGS_STDOUT_PIPE);
  g_autoptr(GPtrArray) argv = g_ptr_array_new ();
  g_autoptr(GDataInputStream) out = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *line = NULL;
  const char *url;

  g_ptr_array_add (argv, (gpointer) demo_server_path ());
  g_ptr_array_add (argv, (gpointer) "--port=0");
  for (guint i = 0; extra_args[i] != NULL; i++)
    g_ptr_array_add (argv, (gpointer) extra_args[i]);
  g_ptr_array_add (argv, NULL);

  server->process = g_subprocess_launcher_spawnv (launcher, (const char * const *) argv->pdata,
                                                  &error);
  g_assert_no_error (error);

  out = g_data_input_stream_new (g_subprocess_get_stdout_pipe (server->process));
  line = g_data_input_stream_read_line (out, NULL, NULL, &error);
  g_assert_no_error (error);
  g_assert_nonnull (line);
  url = strstr (line, "http://");
  g_assert_nonnull (url);
  server->url = g_strdup (url);
}

static void
server_stop (Server *server)
{
  g_subprocess_send_signal (server->process, SIGTERM);
  g_assert_true (g_subprocess_wait (server->process, NULL, NULL));
  g_assert_true (g_subprocess_get_if_exited (server->process));
  g_assert_cmpint (g_subprocess_get_exit_status (server->process), ==, 0);
  g_clear_object (&server->process);
  g_clear_pointer (&server->url, g_free);
}

/* The HTTP status of GET PATH, with a bearer token when TOKEN is set */
static guint
get_status (const Server *server,
            const char   *path,
            const char   *token)
{
  g_autoptr(SoupSession) session = soup_session_new ();
  g_autofree char *uri = g_strconcat (server->url, path, NULL);
  g_autoptr(SoupMessage) msg = soup_message_new ("GET", uri);
  g_autoptr(GBytes) body = NULL;
  g_autoptr(GError) error = NULL;

  soup_message_add_flags (msg, SOUP_MESSAGE_NO_REDIRECT);
  if (token != NULL)
    {
      g_autofree char *value = g_strconcat ("Bearer ", token, NULL);
      soup_message_headers_replace (soup_message_get_request_headers (msg),
                                    "Authorization", value);
    }

  /* The server is another process: a synchronous request is fine */
  body = soup_session_send_and_read (session, msg, NULL, &error);
  g_assert_no_error (error);
  return soup_message_get_status (msg);
}

static void
assert_cmdline_lacks_token (GSubprocess *process)
{
  g_autofree char *path = g_strdup_printf ("/proc/%s/cmdline",
                                           g_subprocess_get_identifier (process));
  g_autofree char *cmdline = NULL;
  gsize len = 0;

  g_assert_true (g_file_get_contents (path, &cmdline, &len, NULL));
  for (gsize i = 0; i < len; i++)
    if (cmdline[i] == '\0')
      cmdline[i] = ' ';
  g_assert_null (strstr (cmdline, TOKEN));
  g_assert_nonnull (strstr (cmdline, TOKEN_VAR));
}

/* ------------------------------------------------------------------ */

static void
test_token_env (void)
{
  const char *args[] = { "--token-env", TOKEN_VAR, NULL };
  Server server = { 0 };

  server_start (&server, args);
  assert_cmdline_lacks_token (server.process);

  g_assert_cmpuint (get_status (&server, "/api/progress", NULL), ==, SOUP_STATUS_UNAUTHORIZED);
  g_assert_cmpuint (get_status (&server, "/api/progress", "wrong"), ==, SOUP_STATUS_UNAUTHORIZED);
  g_assert_cmpuint (get_status (&server, "/api/progress", TOKEN), ==, SOUP_STATUS_OK);
  /* Admin paths take the same token when no admin token is named */
  g_assert_cmpuint (get_status (&server, "/api/queue/status", TOKEN), ==, SOUP_STATUS_OK);

  server_stop (&server);
}

static void
test_admin_token_env (void)
{
  const char *args[] = { "--admin-token-env", TOKEN_VAR, NULL };
  Server server = { 0 };

  server_start (&server, args);
  g_assert_cmpuint (get_status (&server, "/api/queue/status", NULL), ==, SOUP_STATUS_UNAUTHORIZED);
  g_assert_cmpuint (get_status (&server, "/api/queue/status", TOKEN), ==, SOUP_STATUS_OK);
  server_stop (&server);
}

/* Exit status 2 and a line on stderr that contains EXPECTED */
static void
assert_usage_error (const char * const *args,
                    const char         *expected)
{
  g_autoptr(GSubprocessLauncher) launcher =
    launcher_new (G_SUBPROCESS_FLAGS_STDOUT_SILENCE | G_SUBPROCESS_FLAGS_STDERR_PIPE);
  g_autoptr(GPtrArray) argv = g_ptr_array_new ();
  g_autoptr(GSubprocess) process = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *err = NULL;

  g_ptr_array_add (argv, (gpointer) demo_server_path ());
  g_ptr_array_add (argv, (gpointer) "--port=0");
  for (guint i = 0; args[i] != NULL; i++)
    g_ptr_array_add (argv, (gpointer) args[i]);
  g_ptr_array_add (argv, NULL);

  process = g_subprocess_launcher_spawnv (launcher, (const char * const *) argv->pdata, &error);
  g_assert_no_error (error);
  g_assert_true (g_subprocess_communicate_utf8 (process, NULL, NULL, NULL, &err, &error));
  g_assert_no_error (error);
  g_assert_true (g_subprocess_get_if_exited (process));
  g_assert_cmpint (g_subprocess_get_exit_status (process), ==, 2);
  g_assert_nonnull (strstr (err, expected));
  g_assert_null (strstr (err, TOKEN));
}

static void
test_token_refused_on_command_line (void)
{
  const char *token[] = { "--token", TOKEN, NULL };
  const char *admin[] = { "--admin-token=" TOKEN, NULL };
  const char *unset[] = { "--token-env", "VIGIL_DEMO_TEST_UNSET", NULL };

  assert_usage_error (token, "--token-env");
  assert_usage_error (admin, "--token-env");
  assert_usage_error (unset, "VIGIL_DEMO_TEST_UNSET");
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/vigil/demo-cli/token-env", test_token_env);
  g_test_add_func ("/vigil/demo-cli/admin-token-env", test_admin_token_env);
  g_test_add_func ("/vigil/demo-cli/token-refused-on-command-line",
                   test_token_refused_on_command_line);

  return g_test_run ();
}
