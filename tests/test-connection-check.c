/* test-connection-check.c — "Test Connection" in words, against the demo
 * server: admin, a user's token, a sign-in redirect, a server that wants a
 * token, no analysis service, a dead port; and the plain-http warning.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include "vigil-connection-check.h"
#include "vigil-demo-server.h"
#include "vigil-test-timeout.h"

typedef struct
{
  gboolean               done;
  VigilConnectionResult  result;
  char                  *text;
} Answer;

static void
on_checked (GObject      *source,
            GAsyncResult *result,
            gpointer      user_data)
{
  Answer *answer = user_data;

  answer->result = vigil_connection_check_finish (VIGIL_API_CLIENT (source), result, &answer->text);
  answer->done = TRUE;
}

static gboolean
on_limit (gpointer data)
{
  g_error ("the connection check did not finish");
  return G_SOURCE_REMOVE;
}

/* Checks url with token (nullable); returns the result, *text its words. */
static VigilConnectionResult
check (const char  *url,
       const char  *token,
       char       **text)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(VigilApiClient) client = vigil_api_client_new (url, &error);
  Answer answer = { FALSE, VIGIL_CONNECTION_ERROR, NULL };
  guint limit;

  g_assert_no_error (error);
  vigil_api_client_set_timeout (client, 5);
  vigil_api_client_set_token (client, token);
  limit = g_timeout_add (vigil_test_limit_ms (20000), on_limit, NULL);
  vigil_connection_check_async (client, NULL, on_checked, &answer);
  while (!answer.done)
    g_main_context_iteration (NULL, TRUE);
  g_source_remove (limit);
  *text = answer.text;
  return answer.result;
}

static VigilDemoServer *
start_server (const char *first_property,
              ...)
{
  VigilDemoServer *server = vigil_demo_server_new ();
  g_autoptr(GError) error = NULL;
  va_list args;

  va_start (args, first_property);
  if (first_property != NULL)
    g_object_set_valist (G_OBJECT (server), first_property, args);
  va_end (args);
  g_assert_true (vigil_demo_server_listen (server, NULL, 0, &error));
  g_assert_no_error (error);
  return server;
}

static void
assert_check (VigilDemoServer       *server,
              const char            *suffix,
              const char            *token,
              VigilConnectionResult  expected,
              const char            *expected_text)
{
  g_autofree char *base = vigil_demo_server_get_url (server);
  g_autofree char *url = g_strconcat (base, suffix, NULL);
  g_autofree char *text = NULL;

  g_assert_cmpint (check (url, token, &text), ==, expected);
  g_assert_cmpstr (text, ==, expected_text);
}

/* ------------------------------------------------------------------ */

static void
test_open_server (void)
{
  g_autoptr(VigilDemoServer) server = start_server (NULL, NULL);

  assert_check (server, "", NULL, VIGIL_CONNECTION_ADMIN, "Signed in as an admin");
}

static void
test_tokens (void)
{
  g_autoptr(VigilDemoServer) server = start_server ("require-token", "user-secret",
                                                    "admin-token", "admin-secret", NULL);

  assert_check (server, "", "admin-secret", VIGIL_CONNECTION_ADMIN, "Signed in as an admin");
  assert_check (server, "", "user-secret", VIGIL_CONNECTION_SIGNED_IN,
                "Signed in (not an admin: cleanup and whole-library analyses are unavailable)");
  assert_check (server, "", NULL, VIGIL_CONNECTION_WANTS_TOKEN,
                "Not signed in: the server wants a token");
  assert_check (server, "", "wrong", VIGIL_CONNECTION_WANTS_TOKEN,
                "Not signed in: the server wants a token");
}

static void
test_signin_redirect (void)
{
  g_autoptr(VigilDemoServer) server = start_server ("require-token", "user-secret",
                                                    "signin-redirect", TRUE, NULL);

  assert_check (server, "", NULL, VIGIL_CONNECTION_SIGNIN_REDIRECT,
                "Not signed in: the server redirected to a sign-in page");
  assert_check (server, "", "user-secret", VIGIL_CONNECTION_ADMIN, "Signed in as an admin");
}

static void
test_no_service (void)
{
  g_autoptr(VigilDemoServer) server = start_server (NULL, NULL);

  assert_check (server, "/elsewhere", NULL, VIGIL_CONNECTION_NO_SERVICE,
                "No analysis service at this address");
}

static void
test_dead_port (void)
{
  g_autoptr(VigilDemoServer) server = start_server (NULL, NULL);
  g_autofree char *url = vigil_demo_server_get_url (server);
  g_autofree char *text = NULL;

  vigil_demo_server_disconnect (server);
  g_assert_cmpint (check (url, NULL, &text), ==, VIGIL_CONNECTION_ERROR);
  g_assert_nonnull (text);
  g_assert_true (g_str_has_prefix (text, "Could not connect to"));
}

static void
test_url_warning (void)
{
  g_assert_nonnull (vigil_connection_url_warning ("http://music.example.org"));
  g_assert_nonnull (vigil_connection_url_warning ("http://192.168.1.5:5001"));
  g_assert_null (vigil_connection_url_warning ("https://music.example.org"));
  g_assert_null (vigil_connection_url_warning ("http://localhost:5001"));
  g_assert_null (vigil_connection_url_warning ("http://127.0.0.1:5001"));
  g_assert_null (vigil_connection_url_warning ("http://[::1]:5001"));
}

int
main (int argc, char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/vigil/connection-check/open-server", test_open_server);
  g_test_add_func ("/vigil/connection-check/tokens", test_tokens);
  g_test_add_func ("/vigil/connection-check/signin-redirect", test_signin_redirect);
  g_test_add_func ("/vigil/connection-check/no-service", test_no_service);
  g_test_add_func ("/vigil/connection-check/dead-port", test_dead_port);
  g_test_add_func ("/vigil/connection-check/url-warning", test_url_warning);

  return g_test_run ();
}
