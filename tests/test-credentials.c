/* test-credentials.c — VigilCredentials against a real gnome-keyring-daemon
 * (started unlocked, on a private bus, by vigil-test-keyring), and
 * without any: a bus with no Secret Service, no bus at all, a service that
 * never answers. The last part runs the real vigilctl ($VIGILCTL) against
 * the demo server of this process, with and without a saved token.
 *
 * Tests that need the keyring skip when gnome-keyring-daemon is missing;
 * the ones without it always run.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define _GNU_SOURCE  /* memmem() */

#include "config.h"

#include <string.h>
#include <gio/gio.h>

#include "vigil-api-client.h"
#include "vigil-credentials.h"
#include "vigil-demo-server.h"
#include "vigil-test-keyring.h"

#define TOKEN          "vigil-test-token-7c1e"
#define LEAK_SECRET    "vigil-leak-check-4f1c9a0b"
#define RUN_TIMEOUT_S  20
/* "Quickly": a bus without a Secret Service fails in milliseconds; this is
 * far below the default timeout (60 s) that it must not wait for. */
#define QUICK_S        5

static VigilTestKeyring *keyring;
static char *keyring_skip;   /* why the keyring tests skip; NULL when it runs */

#define REQUIRE_KEYRING()           \
  G_STMT_START {                    \
    if (keyring_skip != NULL)       \
      {                             \
        g_test_skip (keyring_skip); \
        return;                     \
      }                             \
  } G_STMT_END

/* ------------------------------------------------------------------ */
/* Running the async API                                               */
/* ------------------------------------------------------------------ */

static void
on_done (GObject      *source,
         GAsyncResult *result,
         gpointer      data)
{
  GAsyncResult **out = data;

  *out = g_object_ref (result);
}

static GAsyncResult *
wait_result (GAsyncResult **result)
{
  while (*result == NULL)
    g_main_context_iteration (NULL, TRUE);
  return *result;
}

static char *
lookup (VigilCredentials     *credentials,
        const char           *server,
        VigilCredentialKind   kind,
        GError              **error)
{
  g_autoptr(GAsyncResult) result = NULL;

  vigil_credentials_lookup_async (credentials, server, kind, NULL, on_done, &result);
  return vigil_credentials_lookup_finish (credentials, wait_result (&result), error);
}

static gboolean
store (VigilCredentials     *credentials,
       const char           *server,
       VigilCredentialKind   kind,
       const char           *secret,
       GError              **error)
{
  g_autoptr(GAsyncResult) result = NULL;

  vigil_credentials_store_async (credentials, server, kind, secret, NULL, NULL, on_done,
                                 &result);
  return vigil_credentials_store_finish (credentials, wait_result (&result), error);
}

static gboolean
clear (VigilCredentials     *credentials,
       const char           *server,
       VigilCredentialKind   kind,
       GError              **error)
{
  g_autoptr(GAsyncResult) result = NULL;

  vigil_credentials_clear_async (credentials, server, kind, NULL, on_done, &result);
  return vigil_credentials_clear_finish (credentials, wait_result (&result), error);
}

static void
assert_lookup (VigilCredentials    *credentials,
               const char          *server,
               VigilCredentialKind  kind,
               const char          *expected)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *secret = lookup (credentials, server, kind, &error);

  g_assert_no_error (error);
  g_assert_cmpstr (secret, ==, expected);
}

static void
assert_store (VigilCredentials    *credentials,
              const char          *server,
              VigilCredentialKind  kind,
              const char          *secret)
{
  g_autoptr(GError) error = NULL;

  g_assert_true (store (credentials, server, kind, secret, &error));
  g_assert_no_error (error);
}

static void
assert_clear (VigilCredentials    *credentials,
              const char          *server,
              VigilCredentialKind  kind)
{
  g_autoptr(GError) error = NULL;

  g_assert_true (clear (credentials, server, kind, &error));
  g_assert_no_error (error);
}

/* ------------------------------------------------------------------ */
/* Recording "changed"                                                 */
/* ------------------------------------------------------------------ */

typedef struct
{
  GPtrArray *events;   /* "kind server" */
} Changes;

static void
on_changed (VigilCredentials    *credentials,
            const char          *server,
            VigilCredentialKind  kind,
            Changes             *changes)
{
  g_ptr_array_add (changes->events,
                   g_strconcat (vigil_credential_kind_to_string (kind), " ", server, NULL));
}

static void
changes_watch (Changes          *changes,
               VigilCredentials *credentials)
{
  changes->events = g_ptr_array_new_with_free_func (g_free);
  g_signal_connect (credentials, "changed", G_CALLBACK (on_changed), changes);
}

/* The events since the last call, space-separated, and forgets them. */
static char *
changes_take (Changes *changes)
{
  g_autoptr(GString) text = g_string_new (NULL);

  for (guint i = 0; i < changes->events->len; i++)
    g_string_append_printf (text, "%s%s", i > 0 ? "; " : "",
                            (char *) g_ptr_array_index (changes->events, i));
  g_ptr_array_set_size (changes->events, 0);
  return g_string_free (g_steal_pointer (&text), FALSE);
}

static void
assert_changes (Changes    *changes,
                const char *expected)
{
  g_autofree char *events = changes_take (changes);

  g_assert_cmpstr (events, ==, expected);
}

/* ------------------------------------------------------------------ */
/* secret-tool                                                         */
/* ------------------------------------------------------------------ */

static gboolean
have_secret_tool (void)
{
  g_autofree char *path = g_find_program_in_path ("secret-tool");

  if (path == NULL)
    g_test_skip ("secret-tool is not installed (Debian: libsecret-tools)");
  return path != NULL;
}

/* Runs secret-tool with input on stdin; its stdout, and its exit status in
 * *status. Synchronous: the keyring is another process. */
static char *
secret_tool (const char         *input,
             int                *status,
             const char * const *argv)
{
  g_autoptr(GSubprocess) proc = NULL;
  g_autoptr(GError) error = NULL;
  char *out = NULL;

  proc = g_subprocess_newv (argv, G_SUBPROCESS_FLAGS_STDIN_PIPE | G_SUBPROCESS_FLAGS_STDOUT_PIPE,
                            &error);
  g_assert_no_error (error);
  g_subprocess_communicate_utf8 (proc, input, NULL, &out, NULL, &error);
  g_assert_no_error (error);
  g_assert_true (g_subprocess_get_if_exited (proc));
  *status = g_subprocess_get_exit_status (proc);
  return out;
}

/* What an admin's script does. schema NULL: an item without xdg:schema. */
static void
secret_tool_store (const char *schema,
                   const char *server,
                   const char *kind,
                   const char *secret)
{
  const char *with[] = { "secret-tool", "store", "--label=Scripted", "xdg:schema", schema,
                         "server", server, "kind", kind, NULL };
  const char *without[] = { "secret-tool", "store", "--label=Scripted",
                            "server", server, "kind", kind, NULL };
  g_autofree char *out = NULL;
  int status;

  out = secret_tool (secret, &status, schema != NULL ? with : without);
  g_assert_cmpint (status, ==, 0);
}

/* The secret secret-tool finds for these attributes, or NULL. */
static char *
secret_tool_lookup (const char *schema,
                    const char *server,
                    const char *kind)
{
  const char *argv[] = { "secret-tool", "lookup", "xdg:schema", schema,
                         "server", server, "kind", kind, NULL };
  g_autofree char *out = NULL;
  int status;

  out = secret_tool (NULL, &status, argv);
  return status == 0 ? g_steal_pointer (&out) : NULL;
}

/* ------------------------------------------------------------------ */
/* Files                                                               */
/* ------------------------------------------------------------------ */

static gboolean
file_contains (const char *path,
               const char *needle)
{
  g_autofree char *contents = NULL;
  gsize length;

  if (!g_file_get_contents (path, &contents, &length, NULL))
    return FALSE;
  return memmem (contents, length, needle, strlen (needle)) != NULL;
}

/* Every regular file under dir (recursively) into files. */
static void
list_files (const char *dir,
            GPtrArray  *files)
{
  g_autoptr(GDir) handle = g_dir_open (dir, 0, NULL);
  const char *name;

  while (handle != NULL && (name = g_dir_read_name (handle)) != NULL)
    {
      g_autofree char *path = g_build_filename (dir, name, NULL);

      if (g_file_test (path, G_FILE_TEST_IS_SYMLINK))
        continue;
      if (g_file_test (path, G_FILE_TEST_IS_DIR))
        list_files (path, files);
      else if (g_file_test (path, G_FILE_TEST_IS_REGULAR))
        g_ptr_array_add (files, g_steal_pointer (&path));
    }
}

/* No file under dir holds needle; the number of files looked at. */
static guint
assert_no_file_contains (const char *dir,
                         const char *needle)
{
  g_autoptr(GPtrArray) files = g_ptr_array_new_with_free_func (g_free);

  list_files (dir, files);
  for (guint i = 0; i < files->len; i++)
    if (file_contains (files->pdata[i], needle))
      g_error ("%s holds the secret", (char *) files->pdata[i]);
  return files->len;
}

/* ------------------------------------------------------------------ */
/* Buses without a keyring (in subprocesses)                           */
/* ------------------------------------------------------------------ */

/* A private bus of this (sub)process with no services at all: GTestDBus's
 * configuration has no standard service directories, so nothing (not even
 * an installed gnome-keyring) can be activated on it. */
static GTestDBus *
bus_without_services (void)
{
  GTestDBus *bus = g_test_dbus_new (G_TEST_DBUS_NONE);

  g_test_dbus_up (bus);
  return bus;
}

/* The connection keeps a Secret Service name that never answers a call. */
static GDBusMessage *
drop_method_calls (GDBusConnection *connection,
                   GDBusMessage    *message,
                   gboolean         incoming,
                   gpointer         data)
{
  if (incoming && g_dbus_message_get_message_type (message) == G_DBUS_MESSAGE_TYPE_METHOD_CALL)
    {
      g_object_unref (message);
      return NULL;
    }
  return message;
}

static GDBusConnection *
own_silent_secret_service (GTestDBus *bus)
{
  g_autoptr(GDBusConnection) connection = NULL;
  g_autoptr(GVariant) reply = NULL;
  g_autoptr(GError) error = NULL;
  guint32 result;

  connection = g_dbus_connection_new_for_address_sync (
    g_test_dbus_get_bus_address (bus),
    G_DBUS_CONNECTION_FLAGS_AUTHENTICATION_CLIENT | G_DBUS_CONNECTION_FLAGS_MESSAGE_BUS_CONNECTION,
    NULL, NULL, &error);
  g_assert_no_error (error);
  g_dbus_connection_add_filter (connection, drop_method_calls, NULL, NULL);
  reply = g_dbus_connection_call_sync (connection, "org.freedesktop.DBus", "/org/freedesktop/DBus",
                                       "org.freedesktop.DBus", "RequestName",
                                       g_variant_new ("(su)", "org.freedesktop.secrets", 0x4),
                                       G_VARIANT_TYPE ("(u)"), G_DBUS_CALL_FLAGS_NONE, -1, NULL,
                                       &error);
  g_assert_no_error (error);
  g_variant_get (reply, "(u)", &result);
  g_assert_cmpuint (result, ==, 1);   /* primary owner */
  return g_steal_pointer (&connection);
}

static void
on_notify (GObject    *object,
           GParamSpec *pspec,
           guint      *count)
{
  (*count)++;
}

/* The checks of a VigilCredentials that has just become session-only,
 * shared by the ways of having no keyring. Runs in a subprocess. */
static void
check_session_only_fallback (const char *server)
{
  g_autoptr(VigilCredentials) credentials = vigil_credentials_new ();
  g_autoptr(VigilCredentials) storing = vigil_credentials_new ();
  g_autoptr(GError) error = NULL;
  g_autofree char *secret = NULL;
  Changes changes;
  guint notified = 0;
  gint64 start = g_get_monotonic_time ();

  changes_watch (&changes, credentials);
  g_signal_connect (credentials, "notify::session-only", G_CALLBACK (on_notify), &notified);

  /* The first lookup finds no keyring: an error that says so, at once. */
  g_assert_false (vigil_credentials_is_session_only (credentials));
  secret = lookup (credentials, server, VIGIL_CREDENTIAL_KIND_TOKEN, &error);
  g_assert_error (error, VIGIL_CREDENTIALS_ERROR, VIGIL_CREDENTIALS_ERROR_NO_KEYRING);
  g_assert_null (secret);
  g_assert_nonnull (strstr (error->message, "keyring"));
  g_assert_nonnull (strstr (error->message, "only until it quits"));
  g_assert_cmpint (g_get_monotonic_time () - start, <, QUICK_S * G_USEC_PER_SEC);
  g_assert_true (vigil_credentials_is_session_only (credentials));
  g_assert_cmpuint (notified, ==, 1);

  /* From then on, memory: store, lookup, clear work, "changed" too. */
  assert_store (credentials, server, VIGIL_CREDENTIAL_KIND_TOKEN, LEAK_SECRET);
  assert_changes (&changes, "token https://session.test");
  assert_lookup (credentials, server, VIGIL_CREDENTIAL_KIND_TOKEN, LEAK_SECRET);
  assert_lookup (credentials, server, VIGIL_CREDENTIAL_KIND_COOKIE, NULL);
  assert_clear (credentials, server, VIGIL_CREDENTIAL_KIND_TOKEN);
  assert_changes (&changes, "token https://session.test");
  assert_lookup (credentials, server, VIGIL_CREDENTIAL_KIND_TOKEN, NULL);
  assert_clear (credentials, server, VIGIL_CREDENTIAL_KIND_TOKEN);
  assert_changes (&changes, "");
  g_assert_cmpuint (notified, ==, 1);

  /* A store that finds no keyring says so, yet keeps the secret. */
  g_clear_error (&error);
  g_assert_false (store (storing, server, VIGIL_CREDENTIAL_KIND_COOKIE, LEAK_SECRET, &error));
  g_assert_error (error, VIGIL_CREDENTIALS_ERROR, VIGIL_CREDENTIALS_ERROR_NO_KEYRING);
  g_assert_true (vigil_credentials_is_session_only (storing));
  assert_lookup (storing, server, VIGIL_CREDENTIAL_KIND_COOKIE, LEAK_SECRET);

  g_ptr_array_unref (changes.events);
  g_assert_finalize_object (g_steal_pointer (&credentials));
  g_assert_finalize_object (g_steal_pointer (&storing));
}

/* The parent's side: the child passed (no warning: G_DEBUG=fatal-warnings
 * is inherited), logged with G_MESSAGES_DEBUG=all, and never the secret. */
static void
assert_child_passed_quietly (void)
{
  g_test_trap_assert_passed ();
  g_test_trap_assert_stdout ("*Kept the token for https://session.test in memory*");
  g_test_trap_assert_stdout_unmatched ("*" LEAK_SECRET "*");
  g_test_trap_assert_stderr_unmatched ("*" LEAK_SECRET "*");
  g_test_trap_assert_stderr_unmatched ("*WARNING*");
  g_test_trap_assert_stderr_unmatched ("*CRITICAL*");
}

static void
test_no_secret_service (void)
{
  if (g_test_subprocess ())
    {
      g_autoptr(GTestDBus) bus = bus_without_services ();

      g_setenv ("G_MESSAGES_DEBUG", "all", TRUE);
      check_session_only_fallback ("https://session.test");
      g_test_dbus_stop (bus);
      return;
    }

  g_test_trap_subprocess (NULL, 30 * G_USEC_PER_SEC, G_TEST_SUBPROCESS_DEFAULT);
  assert_child_passed_quietly ();
}

static void
test_no_bus (void)
{
  if (g_test_subprocess ())
    {
      g_autofree char *nowhere = g_build_filename (g_get_tmp_dir (), "vigil-no-such-bus", NULL);
      g_autofree char *address = g_strconcat ("unix:path=", nowhere, NULL);

      g_setenv ("DBUS_SESSION_BUS_ADDRESS", address, TRUE);
      g_setenv ("G_MESSAGES_DEBUG", "all", TRUE);
      check_session_only_fallback ("https://session.test");
      return;
    }

  g_test_trap_subprocess (NULL, 30 * G_USEC_PER_SEC, G_TEST_SUBPROCESS_DEFAULT);
  assert_child_passed_quietly ();
}

static gboolean
cancel_later (gpointer data)
{
  g_cancellable_cancel (data);
  return G_SOURCE_REMOVE;
}

/* A Secret Service that never answers (a locked keyring whose unlock
 * prompt nobody answers behaves so): the caller can cancel, and the
 * timeout gives up and falls back. */
static void
test_timeout (void)
{
  if (g_test_subprocess ())
    {
      g_autoptr(GTestDBus) bus = bus_without_services ();
      g_autoptr(GDBusConnection) silent = own_silent_secret_service (bus);
      g_autoptr(VigilCredentials) credentials = vigil_credentials_new ();
      g_autoptr(GCancellable) cancellable = g_cancellable_new ();
      g_autoptr(GAsyncResult) result = NULL;
      g_autoptr(GError) error = NULL;
      g_autofree char *secret = NULL;
      gint64 start;

      vigil_credentials_set_timeout (credentials, 1);
      g_timeout_add (100, cancel_later, cancellable);
      vigil_credentials_lookup_async (credentials, "https://silent.test",
                                      VIGIL_CREDENTIAL_KIND_TOKEN, cancellable, on_done, &result);
      secret = vigil_credentials_lookup_finish (credentials, wait_result (&result), &error);
      g_assert_error (error, G_IO_ERROR, G_IO_ERROR_CANCELLED);
      g_assert_false (vigil_credentials_is_session_only (credentials));
      g_clear_error (&error);

      start = g_get_monotonic_time ();
      secret = lookup (credentials, "https://silent.test", VIGIL_CREDENTIAL_KIND_TOKEN, &error);
      g_assert_error (error, VIGIL_CREDENTIALS_ERROR, VIGIL_CREDENTIALS_ERROR_NO_KEYRING);
      g_assert_nonnull (strstr (error->message, "did not answer within 1 second"));
      g_assert_cmpint (g_get_monotonic_time () - start, >=, G_USEC_PER_SEC - 100000);
      g_assert_cmpint (g_get_monotonic_time () - start, <, QUICK_S * G_USEC_PER_SEC);
      g_assert_true (vigil_credentials_is_session_only (credentials));
      assert_store (credentials, "https://silent.test", VIGIL_CREDENTIAL_KIND_TOKEN, TOKEN);
      assert_lookup (credentials, "https://silent.test", VIGIL_CREDENTIAL_KIND_TOKEN, TOKEN);

      g_dbus_connection_close_sync (silent, NULL, NULL);
      g_test_dbus_stop (bus);
      return;
    }

  g_test_trap_subprocess (NULL, 30 * G_USEC_PER_SEC, G_TEST_SUBPROCESS_INHERIT_STDERR);
  g_test_trap_assert_passed ();
}

/* ------------------------------------------------------------------ */
/* With the keyring                                                    */
/* ------------------------------------------------------------------ */

static void
test_round_trip (void)
{
  const char *server = "https://round-trip.test";
  g_autoptr(VigilCredentials) credentials = NULL;
  g_autofree char *tool = g_find_program_in_path ("secret-tool");
  g_autofree char *stored = NULL;

  REQUIRE_KEYRING ();
  credentials = vigil_credentials_new ();

  assert_lookup (credentials, server, VIGIL_CREDENTIAL_KIND_TOKEN, NULL);
  assert_store (credentials, server, VIGIL_CREDENTIAL_KIND_TOKEN, "first");
  assert_lookup (credentials, server, VIGIL_CREDENTIAL_KIND_TOKEN, "first");
  assert_lookup (credentials, server, VIGIL_CREDENTIAL_KIND_COOKIE, NULL);
  assert_lookup (credentials, "https://round-trip.test/other", VIGIL_CREDENTIAL_KIND_TOKEN, NULL);

  /* A second store replaces the first: one entry, as admins' tools see it. */
  assert_store (credentials, server, VIGIL_CREDENTIAL_KIND_TOKEN, "second");
  assert_lookup (credentials, server, VIGIL_CREDENTIAL_KIND_TOKEN, "second");
  if (tool != NULL)
    {
      stored = secret_tool_lookup (VIGIL_CREDENTIALS_SCHEMA_NAME, server, "token");
      g_assert_cmpstr (stored, ==, "second");
    }

  /* A fresh object (the next start of the app) finds it. */
  g_assert_finalize_object (g_steal_pointer (&credentials));
  credentials = vigil_credentials_new ();
  assert_lookup (credentials, server, VIGIL_CREDENTIAL_KIND_TOKEN, "second");

  assert_clear (credentials, server, VIGIL_CREDENTIAL_KIND_TOKEN);
  assert_lookup (credentials, server, VIGIL_CREDENTIAL_KIND_TOKEN, NULL);
  assert_clear (credentials, server, VIGIL_CREDENTIAL_KIND_TOKEN);
  g_assert_false (vigil_credentials_is_session_only (credentials));
  g_assert_finalize_object (g_steal_pointer (&credentials));
}

static void
test_changed (void)
{
  const char *server = "https://changed.test";
  g_autoptr(VigilCredentials) credentials = NULL;
  Changes changes;

  REQUIRE_KEYRING ();
  credentials = vigil_credentials_new ();
  changes_watch (&changes, credentials);

  assert_store (credentials, server, VIGIL_CREDENTIAL_KIND_TOKEN, "t");
  assert_changes (&changes, "token https://changed.test");
  assert_store (credentials, server, VIGIL_CREDENTIAL_KIND_COOKIE, "session=c");
  assert_changes (&changes, "cookie https://changed.test");
  assert_lookup (credentials, server, VIGIL_CREDENTIAL_KIND_COOKIE, "session=c");
  assert_changes (&changes, "");
  assert_clear (credentials, server, VIGIL_CREDENTIAL_KIND_TOKEN);
  assert_changes (&changes, "token https://changed.test");
  /* Nothing left to clear: nothing changed. */
  assert_clear (credentials, server, VIGIL_CREDENTIAL_KIND_TOKEN);
  assert_changes (&changes, "");
  assert_clear (credentials, server, VIGIL_CREDENTIAL_KIND_COOKIE);
  assert_changes (&changes, "cookie https://changed.test");

  g_ptr_array_unref (changes.events);
  g_assert_finalize_object (g_steal_pointer (&credentials));
}

/* The entry of an admin's script is found; items of another schema with
 * the same attributes are neither found nor cleared. */
static void
test_secret_tool (void)
{
  const char *server = "https://scripted.test";
  const char *foreign = "https://foreign.test";
  g_autoptr(VigilCredentials) credentials = NULL;
  g_autofree char *other = NULL, *ours = NULL;

  REQUIRE_KEYRING ();
  if (!have_secret_tool ())
    return;
  credentials = vigil_credentials_new ();

  secret_tool_store (VIGIL_CREDENTIALS_SCHEMA_NAME, server, "token", "scripted-token");
  assert_lookup (credentials, server, VIGIL_CREDENTIAL_KIND_TOKEN, "scripted-token");
  assert_lookup (credentials, server, VIGIL_CREDENTIAL_KIND_COOKIE, NULL);

  secret_tool_store ("org.example.Other", foreign, "token", "not-vigils");
  assert_lookup (credentials, foreign, VIGIL_CREDENTIAL_KIND_TOKEN, NULL);
  assert_clear (credentials, foreign, VIGIL_CREDENTIAL_KIND_TOKEN);
  other = secret_tool_lookup ("org.example.Other", foreign, "token");
  g_assert_cmpstr (other, ==, "not-vigils");

  assert_clear (credentials, server, VIGIL_CREDENTIAL_KIND_TOKEN);
  ours = secret_tool_lookup (VIGIL_CREDENTIALS_SCHEMA_NAME, server, "token");
  g_assert_null (ours);
  g_assert_finalize_object (g_steal_pointer (&credentials));
}

/* Store, look up, clear with every log on (in a subprocess); the secret is
 * in no log and no file of HOME (GSettings' keyfile, state, the keyring's
 * own file, which is encrypted) nor of the runtime directory. */
static void
test_no_leak (void)
{
  const char *server = "https://leak.test";
  g_autofree char *keyring_file = NULL;

  REQUIRE_KEYRING ();
  if (g_test_subprocess ())
    {
      g_autoptr(VigilCredentials) credentials = vigil_credentials_new ();

      g_setenv ("G_MESSAGES_DEBUG", "all", TRUE);
      assert_store (credentials, server, VIGIL_CREDENTIAL_KIND_TOKEN, LEAK_SECRET);
      assert_lookup (credentials, server, VIGIL_CREDENTIAL_KIND_TOKEN, LEAK_SECRET);
      assert_store (credentials, server, VIGIL_CREDENTIAL_KIND_COOKIE, "session=" LEAK_SECRET);
      assert_clear (credentials, server, VIGIL_CREDENTIAL_KIND_TOKEN);
      g_assert_false (vigil_credentials_is_session_only (credentials));
      return;
    }

  g_test_trap_subprocess (NULL, 30 * G_USEC_PER_SEC, G_TEST_SUBPROCESS_DEFAULT);
  g_test_trap_assert_passed ();
  g_test_trap_assert_stdout ("*Stored the token for https://leak.test in the keyring*");
  g_test_trap_assert_stdout ("*Found a token for https://leak.test in the keyring*");
  g_test_trap_assert_stdout_unmatched ("*" LEAK_SECRET "*");
  g_test_trap_assert_stderr_unmatched ("*" LEAK_SECRET "*");

  /* The cookie is still saved, in the keyring's file, encrypted. */
  keyring_file = g_build_filename (g_getenv ("XDG_DATA_HOME"), "keyrings", "login.keyring", NULL);
  g_assert_true (g_file_test (keyring_file, G_FILE_TEST_IS_REGULAR));
  g_assert_cmpuint (assert_no_file_contains (vigil_test_keyring_get_home (keyring), LEAK_SECRET),
                    >, 0);
  assert_no_file_contains (g_getenv ("XDG_RUNTIME_DIR"), LEAK_SECRET);
}

/* ------------------------------------------------------------------ */
/* vigilctl                                                            */
/* ------------------------------------------------------------------ */

typedef struct
{
  char     *out;
  char     *err;
  int       status;
  gboolean  finished;
} Run;

static void
run_free (Run *run)
{
  g_free (run->out);
  g_free (run->err);
  g_free (run);
}

G_DEFINE_AUTOPTR_CLEANUP_FUNC (Run, run_free)

static const char *
vigilctl_path (void)
{
  static char *path = NULL;

  if (path == NULL)
    path = g_getenv ("VIGILCTL") ? g_strdup (g_getenv ("VIGILCTL"))
                                 : g_test_build_filename (G_TEST_BUILT, "..", "src", "cli",
                                                          "vigilctl", NULL);
  return path;
}

static void
on_communicated (GObject      *source,
                 GAsyncResult *result,
                 gpointer      data)
{
  Run *run = data;
  g_autoptr(GError) error = NULL;

  g_subprocess_communicate_utf8_finish (G_SUBPROCESS (source), result, &run->out, &run->err,
                                        &error);
  g_assert_no_error (error);
  run->finished = TRUE;
}

static gboolean
on_run_limit (gpointer data)
{
  g_error ("vigilctl did not finish within %d s", RUN_TIMEOUT_S);
  return G_SOURCE_REMOVE;
}

/* vigilctl with args (NULL-terminated), env "NAME=VALUE" strings (NULL
 * values unset NAME), the main loop running so that the demo server of
 * this process answers it. */
static Run *
run_vigilctl (const char * const *env,
              const char * const *args)
{
  g_autoptr(GSubprocessLauncher) launcher =
    g_subprocess_launcher_new (G_SUBPROCESS_FLAGS_STDOUT_PIPE | G_SUBPROCESS_FLAGS_STDERR_PIPE);
  g_autoptr(GPtrArray) argv = g_ptr_array_new ();
  g_autoptr(GSubprocess) proc = NULL;
  g_autoptr(GError) error = NULL;
  Run *run = g_new0 (Run, 1);
  guint limit;

  g_subprocess_launcher_setenv (launcher, "VIGIL_TIME_SCALE", "0.02", TRUE);
  g_subprocess_launcher_unsetenv (launcher, "VIGIL_SERVER");
  for (guint i = 0; env != NULL && env[i] != NULL; i++)
    {
      g_auto(GStrv) pair = g_strsplit (env[i], "=", 2);

      g_subprocess_launcher_setenv (launcher, pair[0], pair[1], TRUE);
    }
  g_ptr_array_add (argv, (gpointer) vigilctl_path ());
  for (guint i = 0; args[i] != NULL; i++)
    g_ptr_array_add (argv, (gpointer) args[i]);
  g_ptr_array_add (argv, NULL);

  proc = g_subprocess_launcher_spawnv (launcher, (const char * const *) argv->pdata, &error);
  g_assert_no_error (error);
  g_subprocess_communicate_utf8_async (proc, NULL, NULL, on_communicated, run);
  limit = g_timeout_add_seconds (RUN_TIMEOUT_S, on_run_limit, NULL);
  while (!run->finished)
    g_main_context_iteration (NULL, TRUE);
  g_source_remove (limit);

  g_subprocess_wait (proc, NULL, &error);
  g_assert_no_error (error);
  /* A crash (G_DEBUG=fatal-warnings makes warnings crashes) is no exit. */
  g_assert_true (g_subprocess_get_if_exited (proc));
  run->status = g_subprocess_get_exit_status (proc);
  return run;
}

static void
assert_run (const Run  *run,
            int         status,
            const char *stderr_part)
{
  if (run->status != status)
    g_test_message ("stdout:\n%s\nstderr:\n%s", run->out, run->err);
  g_assert_cmpint (run->status, ==, status);
  if (stderr_part == NULL)
    g_assert_cmpstr (run->err, ==, "");
  else if (strstr (run->err, stderr_part) == NULL)
    g_error ("“%s” lacks “%s”", run->err, stderr_part);
}

static void
assert_one_line (const char *text)
{
  const char *newline = strchr (text, '\n');

  g_assert_nonnull (newline);
  g_assert_cmpstr (newline + 1, ==, "");
}

typedef struct
{
  VigilDemoServer *server;
  char            *url;        /* as the demo server gives it */
  char            *base_url;   /* as VigilApiClient normalizes it: what the app saves */
} Demo;

static void
demo_start (Demo *demo)
{
  g_autoptr(VigilApiClient) client = NULL;
  g_autoptr(GError) error = NULL;

  demo->server = g_object_new (VIGIL_TYPE_DEMO_SERVER, "speed", 50.0, "seed", (guint64) 7,
                               "require-token", TOKEN, NULL);
  g_assert_true (vigil_demo_server_listen (demo->server, NULL, 0, &error));
  g_assert_no_error (error);
  demo->url = vigil_demo_server_get_url (demo->server);
  client = vigil_api_client_new (demo->url, &error);
  g_assert_no_error (error);
  demo->base_url = g_strdup (vigil_api_client_get_base_url (client));
}

static void
demo_stop (Demo *demo)
{
  g_assert_finalize_object (demo->server);
  g_free (demo->url);
  g_free (demo->base_url);
}

/* vigilctl --server URL/ queue: the trailing slash is normalized away as the
 * API client does, so the saved entry matches. */
static Run *
run_queue (Demo               *demo,
           const char * const *env,
           const char         *first_option,
           const char         *second_option)
{
  g_autofree char *slashed = g_strconcat (demo->url, "/", NULL);
  const char *args[] = { "--server", slashed, "queue", NULL, NULL, NULL };

  if (first_option != NULL)
    {
      args[2] = first_option;
      args[3] = second_option;
      args[4] = "queue";
    }
  return run_vigilctl (env, args);
}

static void
test_vigilctl_keyring (void)
{
  const char *debug_env[] = { "G_MESSAGES_DEBUG=all", NULL };
  const char *wrong_env[] = { "VIGIL_TEST_TOKEN=not-the-token", NULL };
  g_autoptr(VigilCredentials) credentials = NULL;
  g_autoptr(Run) token = NULL, logged = NULL, env_wins = NULL, cookie = NULL, none = NULL;
  Demo demo = { 0 };

  REQUIRE_KEYRING ();
  credentials = vigil_credentials_new ();
  demo_start (&demo);

  /* A token saved for the server: vigilctl is signed in. */
  assert_store (credentials, demo.base_url, VIGIL_CREDENTIAL_KIND_TOKEN, TOKEN);
  token = run_queue (&demo, NULL, NULL, NULL);
  assert_run (token, 0, NULL);
  logged = run_queue (&demo, debug_env, NULL, NULL);
  assert_run (logged, 0, NULL);
  /* GLib 2.74 writes debug messages to stdout. */
  g_assert_nonnull (strstr (logged->out, "Found a token for"));
  g_assert_null (strstr (logged->err, TOKEN));
  g_assert_null (strstr (logged->out, TOKEN));

  /* --token-env is used instead of the keyring, never with it. */
  env_wins = run_queue (&demo, wrong_env, "--token-env", "VIGIL_TEST_TOKEN");
  assert_run (env_wins, 2, "Not signed in");

  /* No token, but a session cookie. */
  assert_clear (credentials, demo.base_url, VIGIL_CREDENTIAL_KIND_TOKEN);
  assert_store (credentials, demo.base_url, VIGIL_CREDENTIAL_KIND_COOKIE, "session=" TOKEN);
  cookie = run_queue (&demo, NULL, NULL, NULL);
  assert_run (cookie, 0, NULL);

  /* Nothing saved: not signed in. */
  assert_clear (credentials, demo.base_url, VIGIL_CREDENTIAL_KIND_COOKIE);
  none = run_queue (&demo, NULL, NULL, NULL);
  assert_run (none, 2, "Not signed in");

  demo_stop (&demo);
  g_assert_finalize_object (g_steal_pointer (&credentials));
}

/* No keyring at all: vigilctl goes on without credentials, quietly (one
 * error line: not signed in) and quickly. In a subprocess, which gets a bus
 * of its own without a Secret Service. */
static void
test_vigilctl_no_keyring (void)
{
  if (g_test_subprocess ())
    {
      g_autoptr(GTestDBus) bus = bus_without_services ();
      g_autofree char *nowhere = g_build_filename (g_get_tmp_dir (), "vigil-no-such-bus", NULL);
      g_autofree char *no_bus = g_strconcat ("DBUS_SESSION_BUS_ADDRESS=unix:path=", nowhere, NULL);
      const char *no_bus_env[] = { no_bus, NULL };
      g_autoptr(Run) no_service = NULL, without_bus = NULL;
      gint64 start = g_get_monotonic_time ();
      Demo demo = { 0 };

      demo_start (&demo);
      no_service = run_queue (&demo, NULL, NULL, NULL);
      assert_run (no_service, 2, "Not signed in");
      assert_one_line (no_service->err);
      without_bus = run_queue (&demo, no_bus_env, NULL, NULL);
      assert_run (without_bus, 2, "Not signed in");
      assert_one_line (without_bus->err);
      g_assert_cmpint (g_get_monotonic_time () - start, <, QUICK_S * G_USEC_PER_SEC);
      demo_stop (&demo);
      g_test_dbus_stop (bus);
      return;
    }

  g_test_trap_subprocess (NULL, 60 * G_USEC_PER_SEC, G_TEST_SUBPROCESS_INHERIT_STDERR);
  g_test_trap_assert_passed ();
}

int
main (int   argc,
      char *argv[])
{
  int status;

  g_test_init (&argc, &argv, NULL);

  /* Subprocesses share their parent's HOME and bus (and daemon). */
  if (!g_test_subprocess ())
    {
      keyring = vigil_test_keyring_new ();
      if (!vigil_test_keyring_start (keyring, &keyring_skip))
        g_test_message ("Tests that need a keyring skip: %s", keyring_skip);
    }

  g_test_add_func ("/vigil/credentials/no-secret-service", test_no_secret_service);
  g_test_add_func ("/vigil/credentials/no-bus", test_no_bus);
  g_test_add_func ("/vigil/credentials/timeout", test_timeout);
  g_test_add_func ("/vigil/credentials/round-trip", test_round_trip);
  g_test_add_func ("/vigil/credentials/changed", test_changed);
  g_test_add_func ("/vigil/credentials/secret-tool", test_secret_tool);
  g_test_add_func ("/vigil/credentials/no-leak", test_no_leak);
  g_test_add_func ("/vigil/credentials/vigilctl-keyring", test_vigilctl_keyring);
  g_test_add_func ("/vigil/credentials/vigilctl-no-keyring", test_vigilctl_no_keyring);

  status = g_test_run ();
  g_clear_pointer (&keyring, vigil_test_keyring_free);
  g_free (keyring_skip);
  return status;
}
