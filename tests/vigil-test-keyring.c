/* vigil-test-keyring.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <signal.h>
#include <string.h>
#include <gio/gio.h>

#include "vigil-test-keyring.h"

#define SECRETS_NAME     "org.freedesktop.secrets"
#define KEYRING_PASSWORD "vigil-test-keyring-password"
/* A limit for a broken machine, not a wait: the daemon is on the bus in
 * some 50 ms. */
#define START_LIMIT_S    30

struct _VigilTestKeyring
{
  char        *dir;
  char        *home;
  char        *runtime;
  GTestDBus   *bus;
  GSubprocess *daemon;
};

typedef struct
{
  gboolean appeared;
  gboolean exited;
  gboolean timed_out;
} StartState;

/* ------------------------------------------------------------------ */
/* Helpers                                                             */
/* ------------------------------------------------------------------ */

static char *
make_dir (const char *parent,
          const char *name)
{
  char *path = g_build_filename (parent, name, NULL);

  g_assert_cmpint (g_mkdir_with_parents (path, 0700), ==, 0);
  return path;
}

static void
set_dir_env (const char *variable,
             const char *parent,
             const char *name)
{
  g_autofree char *path = make_dir (parent, name);

  g_setenv (variable, path, TRUE);
}

static void
remove_tree (GFile *file)
{
  g_autoptr(GFileEnumerator) children =
    g_file_enumerate_children (file, G_FILE_ATTRIBUTE_STANDARD_NAME,
                               G_FILE_QUERY_INFO_NOFOLLOW_SYMLINKS, NULL, NULL);
  GFile *child;

  while (children != NULL &&
         g_file_enumerator_iterate (children, NULL, &child, NULL, NULL) && child != NULL)
    remove_tree (child);
  g_file_delete (file, NULL, NULL);
}

/* ------------------------------------------------------------------ */
/* Callbacks                                                           */
/* ------------------------------------------------------------------ */

static void
on_name_appeared (GDBusConnection *bus,
                  const char      *name,
                  const char      *owner,
                  gpointer         data)
{
  StartState *state = data;

  state->appeared = TRUE;
}

static void
on_daemon_exited (GObject      *source,
                  GAsyncResult *result,
                  gpointer      data)
{
  StartState *state = data;

  /* Cancelled once the daemon is up: it runs on. */
  state->exited = g_subprocess_wait_finish (G_SUBPROCESS (source), result, NULL);
}

static gboolean
on_start_limit (gpointer data)
{
  StartState *state = data;

  state->timed_out = TRUE;
  return G_SOURCE_REMOVE;
}

/* ------------------------------------------------------------------ */
/* Starting                                                            */
/* ------------------------------------------------------------------ */

static GSubprocess *
spawn_daemon (VigilTestKeyring *self)
{
  g_autoptr(GSubprocessLauncher) launcher = NULL;
  g_autoptr(GError) error = NULL;
  GSubprocess *daemon;

  /* stdout carries its GNOME_KEYRING_CONTROL=… lines: keep them out of TAP. */
  launcher = g_subprocess_launcher_new (G_SUBPROCESS_FLAGS_STDIN_PIPE |
                                        G_SUBPROCESS_FLAGS_STDOUT_SILENCE);
  /* Never find (and unlock) another daemon through its control socket. */
  g_subprocess_launcher_unsetenv (launcher, "GNOME_KEYRING_CONTROL");
  /* gnome-keyring 42 warns when an item is replaced ("asked to register
   * item …, but it's already registered"): the tests' fatal-warnings would
   * make that an abort of the daemon. */
  g_subprocess_launcher_unsetenv (launcher, "G_DEBUG");
  daemon = g_subprocess_launcher_spawn (launcher, &error, "gnome-keyring-daemon", "--foreground",
                                        "--unlock", "--components=secrets", NULL);
  g_assert_no_error (error);

  g_output_stream_write_all (g_subprocess_get_stdin_pipe (daemon), KEYRING_PASSWORD,
                             strlen (KEYRING_PASSWORD), NULL, NULL, &error);
  g_assert_no_error (error);
  g_output_stream_close (g_subprocess_get_stdin_pipe (daemon), NULL, &error);
  g_assert_no_error (error);
  return daemon;
}

/* Runs a private main context until the daemon owns its name (or exits). */
static void
wait_for_daemon (VigilTestKeyring *self,
                 GDBusConnection  *bus)
{
  g_autoptr(GMainContext) context = g_main_context_new ();
  g_autoptr(GCancellable) cancellable = g_cancellable_new ();
  g_autoptr(GSource) limit = g_timeout_source_new_seconds (START_LIMIT_S);
  StartState state = { 0 };
  guint watch;

  g_main_context_push_thread_default (context);
  g_source_set_callback (limit, on_start_limit, &state, NULL);
  g_source_attach (limit, context);
  watch = g_bus_watch_name_on_connection (bus, SECRETS_NAME, G_BUS_NAME_WATCHER_FLAGS_NONE,
                                          on_name_appeared, NULL, &state, NULL);
  g_subprocess_wait_async (self->daemon, cancellable, on_daemon_exited, &state);

  while (!state.appeared && !state.exited && !state.timed_out)
    g_main_context_iteration (context, TRUE);

  g_bus_unwatch_name (watch);
  g_source_destroy (limit);
  g_cancellable_cancel (cancellable);
  while (g_main_context_pending (context))
    g_main_context_iteration (context, FALSE);
  g_main_context_pop_thread_default (context);

  if (!state.appeared)
    g_error ("gnome-keyring-daemon %s", state.exited ? "exited at start (its stderr is above)"
                                                     : "did not appear on the bus");
}

/* Once libsecret has talked to a working keyring, something of it keeps a
 * reference to the bus connection even after secret_service_disconnect()
 * (libsecret 0.20.5), so g_test_dbus_down(), which waits for the connection
 * to be finalized, would time out after 30 s with a warning: stop the bus,
 * and keep the GTestDBus (whose disposal calls down()) until exit. */
static void
stop_bus (VigilTestKeyring *self)
{
  static GTestDBus *kept;
  g_autoptr(GDBusConnection) connection = g_bus_get_sync (G_BUS_TYPE_SESSION, NULL, NULL);

  /* Not the default: the process would kill itself when the bus goes. */
  if (connection != NULL)
    g_dbus_connection_set_exit_on_close (connection, FALSE);
  g_test_dbus_stop (self->bus);
  g_assert (kept == NULL);
  kept = g_steal_pointer (&self->bus);
}

/* ------------------------------------------------------------------ */
/* Public API                                                          */
/* ------------------------------------------------------------------ */

VigilTestKeyring *
vigil_test_keyring_new (void)
{
  VigilTestKeyring *self = g_new0 (VigilTestKeyring, 1);
  g_autoptr(GError) error = NULL;

  self->dir = g_dir_make_tmp ("vigil-keyring-XXXXXX", &error);
  g_assert_no_error (error);
  self->home = make_dir (self->dir, "home");
  g_setenv ("HOME", self->home, TRUE);
  set_dir_env ("XDG_CONFIG_HOME", self->home, ".config");
  set_dir_env ("XDG_DATA_HOME", self->home, ".local/share");
  set_dir_env ("XDG_CACHE_HOME", self->home, ".cache");
  set_dir_env ("XDG_STATE_HOME", self->home, ".local/state");
  /* Outside HOME (the control socket's path must stay short) */
  self->runtime = make_dir (self->dir, "runtime");
  g_setenv ("XDG_RUNTIME_DIR", self->runtime, TRUE);
  return self;
}

const char *
vigil_test_keyring_get_home (VigilTestKeyring *self)
{
  g_return_val_if_fail (self != NULL, NULL);

  return self->home;
}

gboolean
vigil_test_keyring_start (VigilTestKeyring  *self,
                          char             **skip_reason)
{
  g_autofree char *program = g_find_program_in_path ("gnome-keyring-daemon");
  g_autoptr(GDBusConnection) bus = NULL;
  g_autoptr(GError) error = NULL;

  g_return_val_if_fail (self != NULL && self->bus == NULL, FALSE);
  g_return_val_if_fail (skip_reason != NULL && *skip_reason == NULL, FALSE);

  if (program == NULL)
    {
      *skip_reason = g_strdup ("gnome-keyring-daemon is not installed (Debian: gnome-keyring)");
      return FALSE;
    }

  /* Sets DBUS_SESSION_BUS_ADDRESS, for this process and its children; unsets
   * DISPLAY and XDG_RUNTIME_DIR (where a default bus could be found). */
  self->bus = g_test_dbus_new (G_TEST_DBUS_NONE);
  g_test_dbus_up (self->bus);
  g_setenv ("XDG_RUNTIME_DIR", self->runtime, TRUE);
  bus = g_bus_get_sync (G_BUS_TYPE_SESSION, NULL, &error);
  g_assert_no_error (error);

  self->daemon = spawn_daemon (self);
  wait_for_daemon (self, bus);
  return TRUE;
}

void
vigil_test_keyring_free (VigilTestKeyring *self)
{
  g_autoptr(GFile) dir = NULL;

  if (self == NULL)
    return;

  if (self->daemon != NULL)
    {
      g_subprocess_send_signal (self->daemon, SIGTERM);
      g_subprocess_wait (self->daemon, NULL, NULL);
      g_clear_object (&self->daemon);
    }
  if (self->bus != NULL)
    stop_bus (self);
  dir = g_file_new_for_path (self->dir);
  remove_tree (dir);
  g_free (self->home);
  g_free (self->runtime);
  g_free (self->dir);
  g_free (self);
}
