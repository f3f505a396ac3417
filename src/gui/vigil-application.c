/* vigil-application.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <glib/gi18n.h>
#ifdef __GLIBC__
#include <malloc.h>
#endif
#include <libsoup/soup.h>

#include "vigil-background.h"
#include "vigil-command-line.h"
#include "vigil-credentials.h"
#include "vigil-demo-server.h"
#include "vigil-diagnostics-window.h"
#include "vigil-job-text.h"
#include "vigil-notifier.h"
#include "vigil-preferences-window.h"
#include "vigil-state-store.h"
#include "vigil-tracker.h"
#include "vigil-tray.h"
#include "vigil-window.h"

#include "vigil-application.h"

struct _VigilApplication
{
  AdwApplication   parent_instance;

  GSettings       *settings;
  VigilApiClient  *client;
  VigilTracker    *tracker;        /* the first server's (the primary) */
  VigilStateStore *state_store;    /* the primary's */
  GListStore      *trackers;       /* VigilTracker, one per server, the first first */
  GListModel      *all_jobs;       /* every tracker's jobs, flattened */
  GListStore      *state_stores;   /* VigilStateStore, one per server, the first first */
  VigilServerMonitors *monitors;   /* the dashboards, one per server */
  VigilDemoServer *demo_server;
  VigilCredentials *credentials;   /* the secret for the server: keyring or memory */
  VigilNotifier   *notifier;       /* jobs' ends as notifications; app.show-job, app.retry-job */
  char            *server_label;
  char            *startup_error;   /* shown as a toast once the window is up */
  gboolean         demo;
  VigilBackground *background;     /* keeps watching with the window closed; app.quit */
  VigilTray       *tray;           /* on the session bus, NULL without one */
};

/* The demo runs in real time (so ETAs are true) with short songs: lively,
 * yet slow enough to read each step. */
#define DEMO_SPEED 1.0
#define DEMO_SONG_SECONDS 6.0

G_DEFINE_FINAL_TYPE (VigilApplication, vigil_application, ADW_TYPE_APPLICATION)

/* ------------------------------------------------------------------ */
/* Helpers                                                             */
/* ------------------------------------------------------------------ */

static char *
build_debug_info (void)
{
  return g_strdup_printf ("Vigil %s\n\n"
                          "GTK %u.%u.%u\n"
                          "libadwaita %u.%u.%u\n"
                          "GLib %u.%u.%u\n"
                          "libsoup %u.%u.%u\n",
                          PACKAGE_VERSION,
                          gtk_get_major_version (), gtk_get_minor_version (),
                          gtk_get_micro_version (),
                          adw_get_major_version (), adw_get_minor_version (),
                          adw_get_micro_version (),
                          glib_major_version, glib_minor_version, glib_micro_version,
                          soup_get_major_version (), soup_get_minor_version (),
                          soup_get_micro_version ());
}

/* ------------------------------------------------------------------ */
/* Actions                                                             */
/* ------------------------------------------------------------------ */

static void
vigil_application_about (GSimpleAction *action,
                         GVariant      *parameter,
                         gpointer       user_data)
{
  VigilApplication *self = user_data;
  static const char *developers[] = { "The Vigil developers", NULL };
  g_autofree char *debug_info = build_debug_info ();
  GtkWindow *window = gtk_application_get_active_window (GTK_APPLICATION (self));

  adw_show_about_window (window,
                         "application-name", _("Vigil"),
                         "application-icon", APP_ID,
                         "version", PACKAGE_VERSION,
                         "comments", _("Watch song-analysis jobs at a glance"),
                         "developers", developers,
                         "license-type", GTK_LICENSE_GPL_3_0,
                         "copyright", "© 2026 The Vigil developers",
                         "debug-info", debug_info,
                         /* Translators: put your names here, one per line */
                         "translator-credits", _("translator-credits"),
                         NULL);
}

/* Closes every window, even with jobs watched: shutdown saves them. */
static void
vigil_application_quit_action (GSimpleAction *action,
                               GVariant      *parameter,
                               gpointer       user_data)
{
  vigil_background_quit (VIGIL_APPLICATION (user_data)->background);
}

static void
vigil_application_preferences_action (GSimpleAction *action,
                                      GVariant      *parameter,
                                      gpointer       user_data)
{
  vigil_application_show_preferences (VIGIL_APPLICATION (user_data));
}

static void
vigil_application_diagnostics_action (GSimpleAction *action,
                                      GVariant      *parameter,
                                      gpointer       user_data)
{
  VigilApplication *self = user_data;

  vigil_diagnostics_window_present (GTK_APPLICATION (self), vigil_application_get_trackers (self));
}

static const GActionEntry app_actions[] = {
  { "about", vigil_application_about },
  { "diagnostics", vigil_application_diagnostics_action },
  { "preferences", vigil_application_preferences_action },
  { "quit", vigil_application_quit_action },
};

/* ------------------------------------------------------------------ */
/* GApplication overrides                                              */
/* ------------------------------------------------------------------ */

static void
add_startup_error (VigilApplication *self,
                   const char       *message)
{
  char *joined = self->startup_error != NULL
                 ? g_strdup_printf ("%s\n%s", self->startup_error, message)
                 : g_strdup (message);

  g_free (self->startup_error);
  self->startup_error = joined;
}

/* A toast in the window, or the first thing it shows once it opens. */
static void
tell_user (VigilApplication *self,
           const char       *message)
{
  GtkWindow *window = gtk_application_get_active_window (GTK_APPLICATION (self));

  if (VIGIL_IS_WINDOW (window))
    vigil_window_add_toast (VIGIL_WINDOW (window), message);
  else
    add_startup_error (self, message);
}

static void
on_state_save_failed (VigilStateStore  *store,
                      const GError     *error,
                      VigilApplication *self)
{
  GtkWindow *window = gtk_application_get_active_window (GTK_APPLICATION (self));

  if (VIGIL_IS_WINDOW (window))
    vigil_window_add_toast (VIGIL_WINDOW (window), error->message);
}

static char *
state_directory (VigilApplication *self)
{
  if (self->demo_server != NULL)
    return NULL;
  return g_build_filename (g_get_user_state_dir (), "vigil", NULL);
}

/* The watched jobs and the history of finished ones, kept across restarts
 * in $XDG_STATE_HOME/vigil (the demo's jobs die with it: kept in memory).
 * Every server has its own file, state-<SHA-1 of its URL>.json, whatever
 * its place in the list (so no two stores write one file, and a server
 * removed and added again finds its jobs); the first one adopts an old
 * state.json. */
static VigilStateStore *
setup_state_store (VigilApplication *self,
                   VigilTracker     *tracker,
                   gboolean          first)
{
  g_autofree char *dir = state_directory (self);
  g_autoptr(GError) error = NULL;
  VigilStateStore *store = vigil_state_store_new_for_server (tracker, dir, first);

  g_signal_connect_object (store, "save-failed", G_CALLBACK (on_state_save_failed),
                           self, 0);
  if (!vigil_state_store_load (store, &error))
    add_startup_error (self, error->message);
  return store;
}

/* Start one job of each kind so a newcomer sees Vigil at work. */
static void
start_demo_jobs (VigilApplication *self)
{
  vigil_tracker_start_async (self->tracker, VIGIL_JOB_KIND_SONG, 7, FALSE, NULL, NULL, NULL);
  vigil_tracker_start_async (self->tracker, VIGIL_JOB_KIND_PLAYLIST, 3, FALSE, NULL, NULL, NULL);
  vigil_tracker_start_async (self->tracker, VIGIL_JOB_KIND_BACKGROUND, 2, FALSE, NULL, NULL, NULL);
}

static gboolean
start_demo_server (VigilApplication *self,
                   GError          **error)
{
  self->demo_server = g_object_new (VIGIL_TYPE_DEMO_SERVER,
                                    "speed", DEMO_SPEED,
                                    "song-seconds", DEMO_SONG_SECONDS,
                                    "workers", 3,
                                    NULL);
  if (!vigil_demo_server_listen (self->demo_server, NULL, 0, error))
    {
      g_clear_object (&self->demo_server);
      return FALSE;
    }
  return TRUE;
}

/* ------------------------------------------------------------------ */
/* Credentials                                                         */
/* ------------------------------------------------------------------ */

typedef struct
{
  VigilApplication   *app;
  VigilApiClient     *client;
  VigilCredentialKind kind;
} SecretLoad;

static void
secret_load_free (SecretLoad *load)
{
  g_object_unref (load->app);
  g_object_unref (load->client);
  g_free (load);
}

G_DEFINE_AUTOPTR_CLEANUP_FUNC (SecretLoad, secret_load_free)

static void load_saved_secret (VigilApplication    *self,
                               VigilApiClient      *client,
                               VigilCredentialKind  kind);

/* A token, else a cookie, saved for the server signs its client in: the
 * poller then probes at once. No keyring just leaves the banner up. */
static void
on_secret_loaded (GObject      *source,
                  GAsyncResult *result,
                  gpointer      user_data)
{
  g_autoptr(SecretLoad) load = user_data;
  g_autoptr(GError) error = NULL;
  g_autofree char *secret = NULL;
  gboolean was_token = load->kind == VIGIL_CREDENTIAL_KIND_TOKEN;

  secret = vigil_credentials_lookup_finish (VIGIL_CREDENTIALS (source), result, &error);
  if (error != NULL)
    {
      g_debug ("No saved sign-in: %s", error->message);
      return;
    }
  if (secret == NULL && was_token)
    load_saved_secret (load->app, load->client, VIGIL_CREDENTIAL_KIND_COOKIE);
  else if (secret != NULL)
    {
      g_debug ("Signing in with the saved %s", vigil_credential_kind_to_string (load->kind));
      if (was_token)
        vigil_api_client_set_token (load->client, secret);
      else
        vigil_api_client_set_cookie (load->client, secret);
    }
}

static void
load_saved_secret (VigilApplication    *self,
                   VigilApiClient      *client,
                   VigilCredentialKind  kind)
{
  SecretLoad *load = g_new0 (SecretLoad, 1);

  load->app = g_object_ref (self);
  load->client = g_object_ref (client);
  load->kind = kind;
  vigil_credentials_lookup_async (self->credentials, vigil_api_client_get_base_url (client),
                                  kind, NULL, on_secret_loaded, load);
}

/* ------------------------------------------------------------------ */
/* Servers                                                             */
/* ------------------------------------------------------------------ */

static gpointer
map_tracker_to_jobs (gpointer item,
                     gpointer user_data)
{
  g_autoptr(VigilTracker) tracker = item;

  return g_object_ref (vigil_tracker_get_jobs (tracker));
}

static VigilTracker *
find_tracker (VigilApplication *self,
              const char       *url)
{
  g_autoptr(VigilApiClient) probe = NULL;
  guint n;

  if (self->trackers == NULL || url == NULL)
    return NULL;
  /* Compared in the client's normal form ("…/" and "…" are one server). */
  probe = vigil_api_client_new (url, NULL);
  if (probe == NULL)
    return NULL;
  n = g_list_model_get_n_items (G_LIST_MODEL (self->trackers));
  for (guint i = 0; i < n; i++)
    {
      g_autoptr(VigilTracker) tracker = g_list_model_get_item (G_LIST_MODEL (self->trackers), i);

      if (g_str_equal (vigil_api_client_get_base_url (vigil_tracker_get_client (tracker)),
                       vigil_api_client_get_base_url (probe)))
        return tracker;
    }
  return NULL;
}

/* One more server: its own client (and sign-in), tracker (poller, batch,
 * backoff) and state store. The first one added is the primary. */
static VigilTracker *
add_server_client (VigilApplication *self,
                   VigilApiClient   *client)
{
  g_autoptr(VigilTracker) tracker = vigil_tracker_new (client, NULL);
  gboolean first = self->tracker == NULL;
  VigilStateStore *store = setup_state_store (self, tracker, first);

  if (first)
    {
      self->tracker = g_object_ref (tracker);
      self->client = g_object_ref (client);
      self->state_store = g_object_ref (store);
    }
  g_list_store_append (self->state_stores, store);
  g_object_unref (store);
  g_list_store_append (self->trackers, tracker);
  if (self->demo_server == NULL)
    load_saved_secret (self, client, VIGIL_CREDENTIAL_KIND_TOKEN);
  return tracker;
}

static VigilTracker *
add_server (VigilApplication *self,
            const char       *url,
            GError          **error)
{
  g_autoptr(VigilApiClient) client = NULL;
  VigilTracker *tracker = find_tracker (self, url);

  if (tracker != NULL)
    return tracker;
  client = vigil_api_client_new (url, error);
  if (client == NULL)
    return NULL;
  return add_server_client (self, client);
}

/* Every configured server: the `servers` list, then `server-url` (the last
 * used) when the list does not name it. */
static void
add_configured_servers (VigilApplication *self)
{
  GSettings *settings = vigil_application_get_settings (self);
  g_auto(GStrv) servers = g_settings_get_strv (settings, "servers");

  for (guint i = 0; servers[i] != NULL; i++)
    {
      g_autoptr(GError) error = NULL;

      if (add_server (self, servers[i], &error) == NULL)
        {
          /* Translators: %s is the reason */
          g_autofree char *text = g_strdup_printf (_("A saved server address is not valid (%s)"),
                                                   error->message);
          add_startup_error (self, text);
        }
    }
}

/* One monitor per server, its charts beside the state files: a server
 * whose every job is watched is polled for new jobs from now on, window
 * or not. */
static void
setup_monitors (VigilApplication *self)
{
  g_autofree char *directory = state_directory (self);

  self->monitors = vigil_server_monitors_new (G_LIST_MODEL (self->trackers),
                                              vigil_application_get_settings (self), directory);
}

/* The client for the demo server, or for the server in settings; a broken
 * setting falls back to the default server and says so. */
static void
setup_client (VigilApplication *self)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(VigilApiClient) client = NULL;
  g_autofree char *url = NULL;

  if (self->demo && start_demo_server (self, &error))
    {
      url = vigil_demo_server_get_url (self->demo_server);
      /* Translators: the header's subtitle, %s is a URL */
      self->server_label = g_strdup_printf (_("Demo server at %s"), url);
    }
  else
    {
      if (error != NULL)
        self->startup_error = g_strdup_printf (_("The demo server could not start: %s"),
                                               error->message);
      url = g_settings_get_string (vigil_application_get_settings (self), "server-url");
    }

  self->trackers = g_list_store_new (VIGIL_TYPE_TRACKER);
  self->all_jobs = G_LIST_MODEL (gtk_flatten_list_model_new (
      G_LIST_MODEL (gtk_map_list_model_new (g_object_ref (G_LIST_MODEL (self->trackers)),
                                            map_tracker_to_jobs, NULL, NULL))));
  self->state_stores = g_list_store_new (VIGIL_TYPE_STATE_STORE);
  if (self->demo_server == NULL)
    add_configured_servers (self);

  g_clear_error (&error);
  client = vigil_api_client_new (url, &error);
  if (client == NULL)
    {
      g_free (self->startup_error);
      self->startup_error = g_strdup_printf (_("The saved server address is not valid (%s); using %s"),
                                             error->message, VIGIL_DEFAULT_SERVER_URL);
      g_clear_pointer (&url, g_free);
      url = g_strdup (VIGIL_DEFAULT_SERVER_URL);
      client = vigil_api_client_new (url, NULL);
    }
  if (find_tracker (self, vigil_api_client_get_base_url (client)) == NULL)
    add_server_client (self, client);
  if (self->server_label == NULL)
    self->server_label = g_strdup (vigil_api_client_get_base_url (self->client));
  setup_monitors (self);

  /* The tray icon shows every server's jobs: made once they are all here.
   * Without a StatusNotifierWatcher on the bus it stays silently absent. */
  if (g_application_get_dbus_connection (G_APPLICATION (self)) != NULL)
    self->tray = vigil_tray_new (self, g_application_get_dbus_connection (G_APPLICATION (self)));
  if (self->notifier != NULL)
    vigil_notifier_watch (self->notifier);
}

static void
vigil_application_activate (GApplication *app)
{
  VigilApplication *self = VIGIL_APPLICATION (app);
  GtkWindow *window = gtk_application_get_active_window (GTK_APPLICATION (app));
  VigilWindow *vwindow;

  if (window != NULL)
    {
      gtk_window_present (window);
      return;
    }

  if (self->tracker == NULL)
    setup_client (self);

  vwindow = vigil_window_new_for_servers (self, vigil_application_get_settings (self),
                                          G_LIST_MODEL (self->trackers), self->tracker,
                                          G_LIST_MODEL (self->state_stores));
  vigil_window_set_server_label (vwindow, self->server_label);
  vigil_window_set_credentials (vwindow, self->credentials);
  gtk_window_present (GTK_WINDOW (vwindow));

  if (self->startup_error != NULL)
    vigil_window_add_toast (vwindow, self->startup_error);
  g_clear_pointer (&self->startup_error, g_free);

  if (self->demo_server != NULL && g_list_model_get_n_items (vigil_tracker_get_jobs (self->tracker)) == 0)
    start_demo_jobs (self);
}

/* Checked here, in the process the user started, so that bad input gets
 * its exit status and one line on stderr and never reaches a running
 * instance. Nothing here touches GSettings: `vigil --help` and these checks
 * work without an installed schema. */
static int
vigil_application_handle_local_options (GApplication *app,
                                        GVariantDict *options)
{
  g_autoptr(VigilCommandLine) request = NULL;
  g_autoptr(GError) error = NULL;

  if (g_variant_dict_contains (options, "version"))
    {
      g_print ("vigil %s\n", PACKAGE_VERSION);
      return 0;
    }

  request = vigil_command_line_parse (options, &error);
  if (request == NULL)
    {
      g_printerr ("vigil: %s\n", error->message);
      return 2;
    }
  return -1;
}

static void
on_command_line_start_done (GObject      *object,
                            GAsyncResult *res,
                            gpointer      user_data)
{
  g_autoptr(VigilApplication) self = user_data;
  g_autoptr(VigilStartResult) result = NULL;
  g_autoptr(VigilJob) job = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *text = NULL;

  job = vigil_tracker_start_finish (VIGIL_TRACKER (object), res, &result, &error);
  text = result != NULL ? vigil_job_text_start (result) : g_strdup (error->message);
  tell_user (self, text);
}

static void
start_each (VigilApplication *self,
            VigilJobKind      kind,
            GArray           *ids,
            gboolean          all_songs)
{
  for (guint i = 0; i < ids->len; i++)
    vigil_tracker_start_async (vigil_application_get_last_used_tracker (self), kind,
                               g_array_index (ids, gint64, i), all_songs,
                               NULL, on_command_line_start_done, g_object_ref (self));
}

/* --server URL joins the servers (at once in a running instance) and
 * becomes the last used. */
static void
apply_server (VigilApplication       *self,
              const VigilCommandLine *request)
{
  GSettings *settings = vigil_application_get_settings (self);
  g_autofree char *saved = NULL;

  if (request->server != NULL)
    {
      g_auto(GStrv) servers = g_settings_get_strv (settings, "servers");

      if (!g_strv_contains ((const char * const *) servers, request->server))
        {
          g_autoptr(GStrvBuilder) builder = g_strv_builder_new ();
          g_auto(GStrv) more = NULL;

          g_strv_builder_addv (builder, (const char **) servers);
          g_strv_builder_add (builder, request->server);
          more = g_strv_builder_end (builder);
          g_settings_set_strv (settings, "servers", (const char * const *) more);
        }
      saved = g_settings_get_string (settings, "server-url");
      if (g_strcmp0 (saved, request->server) != 0)
        g_settings_set_string (settings, "server-url", request->server);
    }
  if (self->tracker == NULL)
    {
      self->demo = self->demo || request->demo;
      setup_client (self);
      return;
    }
  if (request->server != NULL && self->demo_server == NULL)
    add_server (self, request->server, NULL);
  else if (request->server != NULL)
    {
      /* Translators: %s is a server's address */
      g_autofree char *text = g_strdup_printf (_("Vigil will watch %s from its next start"),
                                               request->server);
      tell_user (self, text);
    }
  else if (request->demo && self->demo_server == NULL)
    tell_user (self, _("Quit Vigil to start the demo"));
}

/* In the primary instance, whichever process the command line came from:
 * the analyses start as the New Analysis dialog starts them. */
static int
vigil_application_command_line (GApplication            *app,
                                GApplicationCommandLine *command_line)
{
  VigilApplication *self = VIGIL_APPLICATION (app);
  GVariantDict *options = g_application_command_line_get_options_dict (command_line);
  g_autoptr(VigilCommandLine) request = NULL;
  g_autoptr(GError) error = NULL;

  request = vigil_command_line_parse (options, &error);
  if (request == NULL)
    {
      g_application_command_line_printerr (command_line, "vigil: %s\n", error->message);
      return 2;
    }

  apply_server (self, request);
  start_each (self, VIGIL_JOB_KIND_SONG, request->songs, FALSE);
  start_each (self, VIGIL_JOB_KIND_PLAYLIST, request->playlists, request->all_songs);
  start_each (self, VIGIL_JOB_KIND_BACKGROUND, request->users, FALSE);
  for (guint i = 0; i < request->watch->len; i++)
    vigil_tracker_watch (vigil_application_get_last_used_tracker (self),
                         g_ptr_array_index (request->watch, i),
                         VIGIL_JOB_KIND_UNKNOWN, -1);

  g_application_activate (app);
  return 0;
}

/* glibc returns freed memory at the top of the heap once more than its
 * trim threshold (128 KiB) is free there, but it raises the threshold to
 * twice the largest mmapped block freed so far: after GTK frees its first
 * window image (a few MB), up to twice that stays in the process for good.
 * A tray app that lives for days keeps the threshold where it starts
 * (README.md, "Performance", figure 5: ~2.5 MB less RSS with 10 000 jobs,
 * frame times unchanged). Setting it also keeps the mmap threshold at its
 * start, 128 KiB.
 *
 * glibc also gives each thread that allocates while another holds the
 * heap's lock an arena of its own (GDBus's worker, GLib's task pool), and
 * memory freed in one is not reused by the others: one arena for the whole
 * process is ~1.5 MB less RSS with 10 000 jobs and no slower (figure 5);
 * nearly all of Vigil's allocations are on the main thread anyway. That
 * counts only for threads started after it: main() calls this first. */
void
vigil_application_tune_allocator (void)
{
#ifdef __GLIBC__
  mallopt (M_ARENA_MAX, VIGIL_APPLICATION_ARENA_MAX);
  mallopt (M_TRIM_THRESHOLD, VIGIL_APPLICATION_TRIM_THRESHOLD);
#endif
}

static void
vigil_application_startup (GApplication *app)
{
  /* Every shortcut, as the shortcuts window (gtk/help-overlay.ui) lists
   * them; tests/test-a11y.c checks that both agree. */
  static const struct {
    const char *action;
    const char *accels[2];
  } accels[] = {
    { "win.new-analysis", { "<Control>n", NULL } },
    { "win.search", { "<Control>f", NULL } },
    { "win.refresh", { "F5", NULL } },
    { "app.preferences", { "<Control>comma", NULL } },
    { "app.diagnostics", { "<Control><Shift>d", NULL } },
    { "win.show-help-overlay", { "<Control>question", NULL } },
    { "window.close", { "<Control>w", NULL } },
    { "app.quit", { "<Control>q", NULL } },
  };

  G_APPLICATION_CLASS (vigil_application_parent_class)->startup (app);

  /* again, for applications made by another main (tests): the threshold
   * still counts */
  vigil_application_tune_allocator ();
  VIGIL_APPLICATION (app)->background = vigil_background_new (VIGIL_APPLICATION (app));
  g_action_map_add_action_entries (G_ACTION_MAP (app), app_actions,
                                   G_N_ELEMENTS (app_actions), app);
  for (guint i = 0; i < G_N_ELEMENTS (accels); i++)
    gtk_application_set_accels_for_action (GTK_APPLICATION (app), accels[i].action,
                                           accels[i].accels);
  VIGIL_APPLICATION (app)->notifier = vigil_notifier_new (VIGIL_APPLICATION (app));
}

/* Everything saved before the tracker stops polling (which would read as
 * "stopped by the user"). Nobody is left to see a toast: say it on stderr. */
static void
vigil_application_shutdown (GApplication *app)
{
  VigilApplication *self = VIGIL_APPLICATION (app);
  g_autoptr(GError) error = NULL;

  /* no job watched from here on, the charts saved */
  if (self->monitors != NULL)
    vigil_server_monitors_save (self->monitors);
  g_clear_object (&self->monitors);
  for (guint i = 0; self->state_stores != NULL &&
                   i < g_list_model_get_n_items (G_LIST_MODEL (self->state_stores)); i++)
    {
      g_autoptr(VigilStateStore) store = g_list_model_get_item (G_LIST_MODEL (self->state_stores), i);

      g_clear_error (&error);
      if (!vigil_state_store_flush (store, &error))
        g_printerr ("vigil: %s\n", error->message);
    }
  g_clear_object (&self->state_store);
  g_clear_object (&self->state_stores);
  /* Only now: polling stopped earlier would be saved as "stopped". */
  if (self->background != NULL)
    vigil_background_shutdown (self->background);
  g_clear_object (&self->tray);

  G_APPLICATION_CLASS (vigil_application_parent_class)->shutdown (app);
}

static void
vigil_application_dispose (GObject *object)
{
  VigilApplication *self = VIGIL_APPLICATION (object);

  g_clear_object (&self->background);
  g_clear_object (&self->tray);
  g_clear_object (&self->monitors);
  g_clear_object (&self->state_store);
  g_clear_object (&self->state_stores);
  g_clear_object (&self->tracker);
  g_clear_object (&self->all_jobs);
  g_clear_object (&self->trackers);
  g_clear_object (&self->client);
  g_clear_object (&self->demo_server);
  g_clear_object (&self->notifier);
  g_clear_object (&self->credentials);
  g_clear_object (&self->settings);
  g_clear_pointer (&self->server_label, g_free);
  g_clear_pointer (&self->startup_error, g_free);

  G_OBJECT_CLASS (vigil_application_parent_class)->dispose (object);
}

static void
vigil_application_class_init (VigilApplicationClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GApplicationClass *app_class = G_APPLICATION_CLASS (klass);

  object_class->dispose = vigil_application_dispose;

  app_class->activate = vigil_application_activate;
  app_class->handle_local_options = vigil_application_handle_local_options;
  app_class->command_line = vigil_application_command_line;
  app_class->startup = vigil_application_startup;
  app_class->shutdown = vigil_application_shutdown;
}

static void
vigil_application_init (VigilApplication *self)
{
  /* No GSettings here: `vigil --help` needs no schema (see get_settings). */
  self->credentials = vigil_credentials_new ();
  g_application_add_main_option_entries (G_APPLICATION (self), vigil_command_line_get_entries ());
}

/* ------------------------------------------------------------------ */
/* Public API                                                          */
/* ------------------------------------------------------------------ */

VigilApplication *
vigil_application_new (const char       *application_id,
                       GApplicationFlags flags)
{
  g_return_val_if_fail (application_id != NULL, NULL);

  return g_object_new (VIGIL_TYPE_APPLICATION,
                       "application-id", application_id,
                       "flags", flags | G_APPLICATION_HANDLES_COMMAND_LINE,
                       "resource-base-path", RESOURCE_BASE,
                       NULL);
}

VigilTracker *
vigil_application_get_tracker (VigilApplication *self)
{
  g_return_val_if_fail (VIGIL_IS_APPLICATION (self), NULL);

  return self->tracker;
}

/* Every server's tracker, the first (primary) first (transfer none). */
GListModel *
vigil_application_get_trackers (VigilApplication *self)
{
  g_return_val_if_fail (VIGIL_IS_APPLICATION (self), NULL);

  return self->trackers != NULL ? G_LIST_MODEL (self->trackers) : NULL;
}

/* The tracker of `server-url` (the last used server), else the primary. */
VigilTracker *
vigil_application_get_last_used_tracker (VigilApplication *self)
{
  g_autofree char *url = NULL;
  VigilTracker *tracker;

  g_return_val_if_fail (VIGIL_IS_APPLICATION (self), NULL);

  if (self->demo_server != NULL)
    return self->tracker;
  url = g_settings_get_string (vigil_application_get_settings (self), "server-url");
  tracker = find_tracker (self, url);
  return tracker != NULL ? tracker : self->tracker;
}

/* Every server's jobs in one model (transfer none); NULL before the first
 * window. */
GListModel *
vigil_application_get_jobs (VigilApplication *self)
{
  g_return_val_if_fail (VIGIL_IS_APPLICATION (self), NULL);

  return self->all_jobs;
}

/* The main window, made (as activation does) when there is none yet. */
GtkWindow *
vigil_application_show_window (VigilApplication *self)
{
  GList *windows;

  g_return_val_if_fail (VIGIL_IS_APPLICATION (self), NULL);

  for (windows = gtk_application_get_windows (GTK_APPLICATION (self));
       windows != NULL; windows = windows->next)
    if (VIGIL_IS_WINDOW (windows->data))
      {
        gtk_window_present (windows->data);
        return windows->data;
      }
  g_application_activate (G_APPLICATION (self));
  return gtk_application_get_active_window (GTK_APPLICATION (self));
}

/* Shows the main window, or hides it when it is shown (the tray's click). */
void
vigil_application_toggle_window (VigilApplication *self)
{
  g_return_if_fail (VIGIL_IS_APPLICATION (self));

  for (GList *w = gtk_application_get_windows (GTK_APPLICATION (self)); w != NULL; w = w->next)
    if (VIGIL_IS_WINDOW (w->data) && gtk_widget_get_visible (w->data))
      {
        gtk_widget_set_visible (w->data, FALSE);
        return;
      }
  vigil_application_show_window (self);
}

/* Keeping watch with the window closed (NULL before startup). */
VigilBackground *
vigil_application_get_background (VigilApplication *self)
{
  g_return_val_if_fail (VIGIL_IS_APPLICATION (self), NULL);

  return self->background;
}

VigilDemoServer *
vigil_application_get_demo_server (VigilApplication *self)
{
  g_return_val_if_fail (VIGIL_IS_APPLICATION (self), NULL);

  return self->demo_server;
}

/* Every server's VigilStateStore, in the servers' order (transfer none);
 * NULL before the first window. */
VigilServerMonitors *
vigil_application_get_server_monitors (VigilApplication *self)
{
  g_return_val_if_fail (VIGIL_IS_APPLICATION (self), NULL);

  return self->monitors;
}

GListModel *
vigil_application_get_state_stores (VigilApplication *self)
{
  g_return_val_if_fail (VIGIL_IS_APPLICATION (self), NULL);

  return self->state_stores != NULL ? G_LIST_MODEL (self->state_stores) : NULL;
}

VigilStateStore *
vigil_application_get_state_store (VigilApplication *self)
{
  g_return_val_if_fail (VIGIL_IS_APPLICATION (self), NULL);

  return self->state_store;
}

GSettings *
vigil_application_get_settings (VigilApplication *self)
{
  g_return_val_if_fail (VIGIL_IS_APPLICATION (self), NULL);

  /* Made on first use, after option parsing: `vigil --help` needs no schema. */
  if (self->settings == NULL)
    self->settings = g_settings_new (APP_ID);
  return self->settings;
}

VigilCredentials *
vigil_application_get_credentials (VigilApplication *self)
{
  g_return_val_if_fail (VIGIL_IS_APPLICATION (self), NULL);

  return self->credentials;
}

/* Opens Preferences over the active window (transfer none), or NULL before
 * the client exists (no window yet). */
GtkWidget *
vigil_application_show_preferences (VigilApplication *self)
{
  GtkWindow *parent;
  GtkWidget *window;

  g_return_val_if_fail (VIGIL_IS_APPLICATION (self), NULL);

  if (self->client == NULL)
    return NULL;
  parent = gtk_application_get_active_window (GTK_APPLICATION (self));
  /* Preferences edit the last used server. */
  window = vigil_preferences_window_new (parent,
                                         vigil_tracker_get_client (vigil_application_get_last_used_tracker (self)),
                                         self->credentials,
                                         vigil_application_get_settings (self));
  vigil_preferences_window_set_application (VIGIL_PREFERENCES_WINDOW (window), self);
  gtk_window_present (GTK_WINDOW (window));
  return window;
}

VigilApiClient *
vigil_application_get_client_for (VigilApplication *self,
                                  const char       *url)
{
  VigilTracker *tracker;

  g_return_val_if_fail (VIGIL_IS_APPLICATION (self), NULL);

  tracker = find_tracker (self, url);
  return tracker != NULL ? vigil_tracker_get_client (tracker) : NULL;
}

gboolean
vigil_application_add_server (VigilApplication *self,
                              const char       *url,
                              GError          **error)
{
  GSettings *settings;
  g_autoptr(VigilApiClient) probe = NULL;
  g_auto(GStrv) servers = NULL;
  const char *normal;

  g_return_val_if_fail (VIGIL_IS_APPLICATION (self), FALSE);

  probe = vigil_api_client_new (url, error);
  if (probe == NULL)
    return FALSE;
  normal = vigil_api_client_get_base_url (probe);
  settings = vigil_application_get_settings (self);
  servers = g_settings_get_strv (settings, "servers");
  if (!g_strv_contains ((const char * const *) servers, normal))
    {
      g_autoptr(GStrvBuilder) builder = g_strv_builder_new ();
      g_auto(GStrv) more = NULL;

      g_strv_builder_addv (builder, (const char **) servers);
      g_strv_builder_add (builder, normal);
      more = g_strv_builder_end (builder);
      g_settings_set_strv (settings, "servers", (const char * const *) more);
    }
  if (self->trackers != NULL && self->demo_server == NULL)
    return add_server (self, normal, error) != NULL;
  return TRUE;
}

static gboolean
same_server (const char *a,
             const char *b)
{
  g_autoptr(VigilApiClient) ca = vigil_api_client_new (a, NULL);
  g_autoptr(VigilApiClient) cb = vigil_api_client_new (b, NULL);

  if (ca == NULL || cb == NULL)
    return g_strcmp0 (a, b) == 0;
  return g_str_equal (vigil_api_client_get_base_url (ca), vigil_api_client_get_base_url (cb));
}

/* A removed server: its file keeps its jobs as they are (closed before the
 * poller lets them go), its jobs and history leave the window, its polling
 * stops at once. Any server may go, the primary too: the next takes its
 * place. */
static void
stop_tracker (VigilApplication *self,
              VigilTracker     *tracker)
{
  g_autoptr(VigilTracker) hold G_GNUC_UNUSED = g_object_ref (tracker);   /* for the scope */
  guint n = g_list_model_get_n_items (G_LIST_MODEL (self->state_stores));
  guint position;

  for (guint i = 0; i < n; i++)
    {
      g_autoptr(VigilStateStore) store = g_list_model_get_item (G_LIST_MODEL (self->state_stores), i);
      g_autoptr(GError) error = NULL;

      if (vigil_state_store_get_tracker (store) != tracker)
        continue;
      if (!vigil_state_store_close (store, &error))
        tell_user (self, error->message);
      g_list_store_remove (self->state_stores, i);
      break;
    }
  if (g_list_store_find (self->trackers, tracker, &position))
    g_list_store_remove (self->trackers, position);
  vigil_poller_untrack_all (vigil_tracker_get_poller (tracker));
  if (tracker == self->tracker && g_list_model_get_n_items (G_LIST_MODEL (self->trackers)) > 0)
    {
      g_autoptr(VigilTracker) next = g_list_model_get_item (G_LIST_MODEL (self->trackers), 0);
      g_autoptr(VigilStateStore) store = g_list_model_get_item (G_LIST_MODEL (self->state_stores), 0);

      g_set_object (&self->tracker, next);
      g_set_object (&self->client, vigil_tracker_get_client (next));
      g_set_object (&self->state_store, store);
    }
}

gboolean
vigil_application_remove_server (VigilApplication *self,
                                 const char       *url)
{
  GSettings *settings;
  g_auto(GStrv) servers = NULL;
  g_autofree char *last = NULL;
  g_autoptr(GStrvBuilder) builder = g_strv_builder_new ();
  g_auto(GStrv) rest = NULL;
  VigilTracker *tracker;

  g_return_val_if_fail (VIGIL_IS_APPLICATION (self), FALSE);

  settings = vigil_application_get_settings (self);
  servers = g_settings_get_strv (settings, "servers");
  last = g_settings_get_string (settings, "server-url");
  for (guint i = 0; servers[i] != NULL; i++)
    if (!same_server (servers[i], url))
      g_strv_builder_add (builder, servers[i]);
  rest = g_strv_builder_end (builder);
  if (same_server (last, url))
    {
      if (rest[0] == NULL)
        return FALSE;   /* the last remaining server */
      g_settings_set_string (settings, "server-url", rest[0]);
    }
  else if (g_strv_length (rest) == g_strv_length (servers))
    return FALSE;       /* not configured */
  g_settings_set_strv (settings, "servers", (const char * const *) rest);

  tracker = find_tracker (self, url);
  if (tracker != NULL)
    stop_tracker (self, tracker);
  return TRUE;
}
