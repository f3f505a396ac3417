/* vigil-application.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <glib/gi18n.h>
#include <libsoup/soup.h>

#include "vigil-command-line.h"
#include "vigil-credentials.h"
#include "vigil-demo-server.h"
#include "vigil-job-text.h"
#include "vigil-preferences-window.h"
#include "vigil-state-store.h"
#include "vigil-tracker.h"
#include "vigil-window.h"

#include "vigil-application.h"

struct _VigilApplication
{
  AdwApplication   parent_instance;

  GSettings       *settings;
  VigilApiClient  *client;
  VigilTracker    *tracker;
  VigilStateStore *state_store;
  VigilDemoServer *demo_server;
  VigilCredentials *credentials;   /* the secret for the server: keyring or memory */
  VigilCredentialKind loading_kind;
  char            *server_label;
  char            *startup_error;   /* shown as a toast once the window is up */
  gboolean         demo;
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

static void
vigil_application_quit_action (GSimpleAction *action,
                               GVariant      *parameter,
                               gpointer       user_data)
{
  g_application_quit (G_APPLICATION (user_data));
}

static void
vigil_application_preferences_action (GSimpleAction *action,
                                      GVariant      *parameter,
                                      gpointer       user_data)
{
  vigil_application_show_preferences (VIGIL_APPLICATION (user_data));
}

static const GActionEntry app_actions[] = {
  { "about", vigil_application_about },
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

/* The watched jobs and the history of finished ones, kept across restarts
 * in $XDG_STATE_HOME/vigil (the demo's jobs die with it: kept in memory). */
static void
setup_state_store (VigilApplication *self)
{
  g_autofree char *dir = NULL;
  g_autoptr(GError) error = NULL;

  if (self->demo_server == NULL)
    dir = g_build_filename (g_get_user_state_dir (), "vigil", NULL);
  self->state_store = vigil_state_store_new (self->tracker, dir);
  g_signal_connect_object (self->state_store, "save-failed", G_CALLBACK (on_state_save_failed),
                           self, 0);
  if (!vigil_state_store_load (self->state_store, &error))
    add_startup_error (self, error->message);
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

static void load_saved_secret (VigilApplication    *self,
                               VigilCredentialKind  kind);

/* A token, else a cookie, saved for the server signs the client in: the
 * poller then probes at once. No keyring just leaves the banner up. */
static void
on_secret_loaded (GObject      *source,
                  GAsyncResult *result,
                  gpointer      user_data)
{
  g_autoptr(VigilApplication) self = user_data;
  g_autoptr(GError) error = NULL;
  g_autofree char *secret = NULL;
  gboolean was_token = self->loading_kind == VIGIL_CREDENTIAL_KIND_TOKEN;

  secret = vigil_credentials_lookup_finish (VIGIL_CREDENTIALS (source), result, &error);
  if (error != NULL)
    {
      g_debug ("No saved sign-in: %s", error->message);
      return;
    }
  if (secret == NULL && was_token)
    load_saved_secret (self, VIGIL_CREDENTIAL_KIND_COOKIE);
  else if (secret != NULL && self->client != NULL)
    {
      g_debug ("Signing in with the saved %s", vigil_credential_kind_to_string (self->loading_kind));
      if (was_token)
        vigil_api_client_set_token (self->client, secret);
      else
        vigil_api_client_set_cookie (self->client, secret);
    }
}

static void
load_saved_secret (VigilApplication    *self,
                   VigilCredentialKind  kind)
{
  self->loading_kind = kind;
  vigil_credentials_lookup_async (self->credentials, vigil_api_client_get_base_url (self->client),
                                  kind, NULL, on_secret_loaded, g_object_ref (self));
}

/* The client for the demo server, or for the server in settings; a broken
 * setting falls back to the default server and says so. */
static void
setup_client (VigilApplication *self)
{
  g_autoptr(GError) error = NULL;
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

  g_clear_error (&error);
  self->client = vigil_api_client_new (url, &error);
  if (self->client == NULL)
    {
      g_free (self->startup_error);
      self->startup_error = g_strdup_printf (_("The saved server address is not valid (%s); using %s"),
                                             error->message, VIGIL_DEFAULT_SERVER_URL);
      g_clear_pointer (&url, g_free);
      url = g_strdup (VIGIL_DEFAULT_SERVER_URL);
      self->client = vigil_api_client_new (url, NULL);
    }
  if (self->server_label == NULL)
    self->server_label = g_steal_pointer (&url);

  self->tracker = vigil_tracker_new (self->client, NULL);
  setup_state_store (self);
  if (self->demo_server == NULL)
    load_saved_secret (self, VIGIL_CREDENTIAL_KIND_TOKEN);
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

  vwindow = vigil_window_new (self, vigil_application_get_settings (self), self->tracker,
                              self->state_store);
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
    vigil_tracker_start_async (self->tracker, kind, g_array_index (ids, gint64, i), all_songs,
                               NULL, on_command_line_start_done, g_object_ref (self));
}

/* One server at a time for now: a running instance keeps its server and
 * remembers the new one for the next start. */
static void
apply_server (VigilApplication       *self,
              const VigilCommandLine *request)
{
  g_autofree char *saved = NULL;

  if (request->server != NULL)
    {
      saved = g_settings_get_string (vigil_application_get_settings (self), "server-url");
      if (g_strcmp0 (saved, request->server) != 0)
        g_settings_set_string (vigil_application_get_settings (self), "server-url",
                               request->server);
    }
  if (self->tracker == NULL)
    {
      self->demo = self->demo || request->demo;
      setup_client (self);
      return;
    }
  if (request->server != NULL &&
      g_strcmp0 (request->server, vigil_api_client_get_base_url (self->client)) != 0)
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
    vigil_tracker_watch (self->tracker, g_ptr_array_index (request->watch, i),
                         VIGIL_JOB_KIND_UNKNOWN, -1);

  g_application_activate (app);
  return 0;
}

static void
vigil_application_startup (GApplication *app)
{
  static const char *quit_accels[] = { "<Control>q", NULL };
  static const char *close_accels[] = { "<Control>w", NULL };
  static const char *help_accels[] = { "<Control>question", NULL };
  static const char *preferences_accels[] = { "<Control>comma", NULL };

  G_APPLICATION_CLASS (vigil_application_parent_class)->startup (app);

  g_action_map_add_action_entries (G_ACTION_MAP (app), app_actions,
                                   G_N_ELEMENTS (app_actions), app);
  gtk_application_set_accels_for_action (GTK_APPLICATION (app), "app.quit", quit_accels);
  gtk_application_set_accels_for_action (GTK_APPLICATION (app), "window.close", close_accels);
  gtk_application_set_accels_for_action (GTK_APPLICATION (app), "win.show-help-overlay",
                                         help_accels);
  gtk_application_set_accels_for_action (GTK_APPLICATION (app), "app.preferences",
                                         preferences_accels);
}

/* Everything saved before the tracker stops polling (which would read as
 * "stopped by the user"). Nobody is left to see a toast: say it on stderr. */
static void
vigil_application_shutdown (GApplication *app)
{
  VigilApplication *self = VIGIL_APPLICATION (app);
  g_autoptr(GError) error = NULL;

  if (self->state_store != NULL && !vigil_state_store_flush (self->state_store, &error))
    g_printerr ("vigil: %s\n", error->message);
  g_clear_object (&self->state_store);

  G_APPLICATION_CLASS (vigil_application_parent_class)->shutdown (app);
}

static void
vigil_application_dispose (GObject *object)
{
  VigilApplication *self = VIGIL_APPLICATION (object);

  g_clear_object (&self->state_store);
  g_clear_object (&self->tracker);
  g_clear_object (&self->client);
  g_clear_object (&self->demo_server);
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

VigilDemoServer *
vigil_application_get_demo_server (VigilApplication *self)
{
  g_return_val_if_fail (VIGIL_IS_APPLICATION (self), NULL);

  return self->demo_server;
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
  window = vigil_preferences_window_new (parent, self->client, self->credentials,
                                         vigil_application_get_settings (self));
  gtk_window_present (GTK_WINDOW (window));
  return window;
}
