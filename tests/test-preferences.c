/* test-preferences.c — signing in to one server (issue 11): a job of a
 * server that wants a token shows "Not signed in to HOST" and a Sign In…
 * button; Preferences saves the token in the keyring (never in GSettings or
 * the state file) and the job is tracked to its end; Test Connection's
 * words; without a keyring a banner shows and saving works for the session.
 *
 * Runs twice (tests/meson.build): with a real keyring (vigil-test-keyring),
 * and with VIGIL_TEST_NO_KEYRING set on the test's bus, where nothing
 * provides a Secret Service. One GApplication per process, activated once.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <adwaita.h>

#include "vigil-application.h"
#include "vigil-credentials.h"
#include "vigil-demo-server.h"
#include "vigil-job-row.h"
#include "vigil-preferences-window.h"
#include "vigil-state-store.h"
#include "vigil-window.h"
#include "vigil-test-gui.h"
#include "vigil-test-keyring.h"

#define TOKEN "sesame-7f3a9c"

static VigilApplication *app;
static VigilDemoServer  *server;    /* require-token TOKEN, signin-redirect */
static VigilTestKeyring *keyring;
static char             *keyring_skip;
static gboolean          no_keyring;

/* ------------------------------------------------------------------ */
/* Helpers                                                             */
/* ------------------------------------------------------------------ */

static VigilWindow *
main_window (void)
{
  return VIGIL_WINDOW (gtk_application_get_active_window (GTK_APPLICATION (app)));
}

static VigilJobRow *
find_row (VigilJob *job)
{
  GListModel *toplevels = gtk_window_get_toplevels ();

  for (guint i = 0; i < g_list_model_get_n_items (toplevels); i++)
    {
      g_autoptr(GtkWidget) window = g_list_model_get_item (toplevels, i);
      g_autoptr(GPtrArray) rows = NULL;

      if (!VIGIL_IS_WINDOW (window))
        continue;
      rows = vigil_test_find_all (window, VIGIL_TYPE_JOB_ROW);
      for (guint j = 0; j < rows->len; j++)
        if (vigil_job_row_get_job (g_ptr_array_index (rows, j)) == job)
          return g_ptr_array_index (rows, j);
    }
  return NULL;
}

typedef struct
{
  VigilJob   *job;
  const char *step;
} RowQuery;

static gboolean
row_shows_step (gpointer data)
{
  RowQuery *q = data;
  VigilJobRow *row = find_row (q->job);

  return row != NULL && g_strcmp0 (vigil_job_row_get_step_text (row), q->step) == 0;
}

static GtkWidget *
find_button (GtkWidget  *root,
             const char *label)
{
  g_autoptr(GPtrArray) buttons = vigil_test_find_all (root, GTK_TYPE_BUTTON);

  for (guint i = 0; i < buttons->len; i++)
    {
      GtkButton *button = g_ptr_array_index (buttons, i);

      if (g_strcmp0 (gtk_button_get_label (button), label) == 0)
        return GTK_WIDGET (button);
    }
  return NULL;
}

static GtkWindow *
find_preferences (void)
{
  GListModel *toplevels = gtk_window_get_toplevels ();

  for (guint i = 0; i < g_list_model_get_n_items (toplevels); i++)
    {
      g_autoptr(GtkWindow) window = g_list_model_get_item (toplevels, i);

      if (VIGIL_IS_PREFERENCES_WINDOW (window))
        return window;
    }
  return NULL;
}

static gboolean
preferences_open (gpointer data)
{
  return find_preferences () != NULL;
}

static gboolean
job_finished (gpointer data)
{
  return vigil_job_get_is_finished (data);
}

static gboolean
flag_set (gpointer data)
{
  return *(gboolean *) data;
}

static void
on_flag (gpointer  instance,
         gboolean *flag)
{
  *flag = TRUE;
}

static void
on_checked_flag (gpointer  instance,
                 int       result,
                 gboolean *flag)
{
  *flag = TRUE;
}

/* Save, and wait until it has finished. */
static void
save (VigilPreferencesWindow *prefs)
{
  gboolean saved = FALSE;
  gulong id = g_signal_connect (prefs, "saved", G_CALLBACK (on_flag), &saved);

  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (prefs), "prefs.save", NULL));
  g_assert_true (vigil_test_wait_for (flag_set, &saved, 70000));
  g_signal_handler_disconnect (prefs, id);
}

/* Test Connection with url, method and secret; returns the status line. */
static const char *
test_connection (VigilPreferencesWindow *prefs,
                 const char             *url,
                 VigilSignInMethod       method,
                 const char             *secret)
{
  gboolean checked = FALSE;
  gulong id = g_signal_connect (prefs, "checked", G_CALLBACK (on_checked_flag), &checked);

  vigil_preferences_window_set_url (prefs, url);
  vigil_preferences_window_set_method (prefs, method);
  vigil_preferences_window_set_secret (prefs, secret);
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (prefs), "prefs.test-connection", NULL));
  g_assert_true (vigil_test_wait_for (flag_set, &checked, 30000));
  g_signal_handler_disconnect (prefs, id);
  return vigil_preferences_window_get_status_text (prefs);
}

/* No GSettings key of the app holds the secret. */
static void
assert_not_in_settings (const char *secret)
{
  GSettings *settings = vigil_application_get_settings (app);
  g_autoptr(GSettingsSchema) schema = NULL;
  g_auto(GStrv) keys = NULL;

  g_object_get (settings, "settings-schema", &schema, NULL);
  keys = g_settings_schema_list_keys (schema);
  for (guint i = 0; keys[i] != NULL; i++)
    {
      g_autoptr(GVariant) value = g_settings_get_value (settings, keys[i]);
      g_autofree char *text = g_variant_print (value, FALSE);

      g_assert_null (strstr (text, secret));
    }
}

/* Nor does any file under the state directory (the state file). */
static void
assert_not_in_state_file (const char *secret)
{
  g_autoptr(GError) error = NULL;
  VigilStateStore *store = vigil_application_get_state_store (app);
  g_autofree char *contents = NULL;

  g_assert_true (vigil_state_store_flush (store, &error));
  g_assert_no_error (error);
  g_assert_true (g_str_has_prefix (vigil_state_store_get_path (store), g_get_user_state_dir ()));
  if (g_file_get_contents (vigil_state_store_get_path (store), &contents, NULL, NULL))
    g_assert_null (strstr (contents, secret));
}

typedef struct
{
  gboolean  done;
  char     *secret;
} Lookup;

static void
on_looked_up (GObject      *source,
              GAsyncResult *result,
              gpointer      user_data)
{
  Lookup *lookup = user_data;
  g_autoptr(GError) error = NULL;

  lookup->secret = vigil_credentials_lookup_finish (VIGIL_CREDENTIALS (source), result, &error);
  g_assert_no_error (error);
  lookup->done = TRUE;
}

/* What a fresh VigilCredentials (another program, say) finds in the keyring. */
static char *
keyring_lookup (const char *url)
{
  g_autoptr(VigilCredentials) credentials = vigil_credentials_new ();
  Lookup lookup = { FALSE, NULL };

  vigil_credentials_lookup_async (credentials, url, VIGIL_CREDENTIAL_KIND_TOKEN, NULL,
                                  on_looked_up, &lookup);
  g_assert_true (vigil_test_wait_for (flag_set, &lookup.done, 70000));
  return lookup.secret;
}

static void
save_shot (GtkWidget  *widget,
           const char *name)
{
  g_autofree char *dir = g_build_filename (g_getenv ("G_TEST_BUILDDIR") ?: ".", "screenshots", NULL);
  g_autofree char *path = g_build_filename (dir, name, NULL);

  g_mkdir_with_parents (dir, 0755);
  g_assert_true (vigil_test_wait_drawn (widget, 10000));
  g_assert_true (vigil_test_save_png (widget, path));
  g_test_message ("screenshot: %s", path);
}

/* Watches a new short job on the server; it cannot be followed before the
 * app signs in: the row says so and offers Sign In…. */
static VigilJob *
watch_unsigned_job (void)
{
  g_autofree char *id = vigil_demo_server_add_job (server, VIGIL_JOB_KIND_PLAYLIST, 1, 3, 1.0, 0);
  g_autofree char *expected = g_strdup_printf ("Not signed in to 127.0.0.1:%u",
                                               vigil_demo_server_get_port (server));
  VigilJob *job = vigil_tracker_watch (vigil_application_get_tracker (app), id,
                                       VIGIL_JOB_KIND_PLAYLIST, 1);
  RowQuery q = { job, expected };
  GtkWidget *button;

  g_assert_true (vigil_test_wait_for (row_shows_step, &q, 10000));
  g_assert_cmpint (vigil_job_get_tracking_state (job), ==, VIGIL_TRACKING_STATE_NOT_SIGNED_IN);
  button = find_button (GTK_WIDGET (find_row (job)), "_Sign In…");
  g_assert_nonnull (button);
  g_assert_true (gtk_widget_get_visible (button));
  return job;
}

/* Sign In… opens Preferences; a token saved there signs the app in. */
static VigilPreferencesWindow *
sign_in_from_row (VigilJob *job)
{
  VigilPreferencesWindow *prefs;

  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (find_row (job)), "row.sign-in", NULL));
  g_assert_true (vigil_test_wait_for (preferences_open, NULL, 5000));
  prefs = VIGIL_PREFERENCES_WINDOW (find_preferences ());
  vigil_preferences_window_set_method (prefs, VIGIL_SIGN_IN_TOKEN);
  vigil_preferences_window_set_secret (prefs, TOKEN);
  return prefs;
}

/* ------------------------------------------------------------------ */
/* Tests                                                               */
/* ------------------------------------------------------------------ */

static void
test_sign_in (void)
{
  g_autofree char *url = vigil_demo_server_get_url (server);
  g_autofree char *stored = NULL;
  VigilPreferencesWindow *prefs;
  VigilJob *job;

  if (keyring_skip != NULL)
    {
      g_test_skip (keyring_skip);
      return;
    }

  job = watch_unsigned_job ();
  prefs = sign_in_from_row (job);
  save_shot (GTK_WIDGET (prefs), "preferences.png");
  save (prefs);
  g_assert_cmpstr (vigil_preferences_window_get_status_text (prefs), ==, "Saved in the keyring");
  g_assert_false (vigil_credentials_is_session_only (vigil_application_get_credentials (app)));

  stored = keyring_lookup (url);
  g_assert_cmpstr (stored, ==, TOKEN);
  assert_not_in_settings (TOKEN);
  {
    g_autofree char *saved_url = g_settings_get_string (vigil_application_get_settings (app), "server-url");

    g_assert_cmpstr (saved_url, ==, url);
  }

  g_assert_true (vigil_test_wait_for (job_finished, job, 20000));
  g_assert_cmpint (vigil_job_get_server_state (job), ==, VIGIL_SERVER_STATE_SUCCEEDED);
  assert_not_in_state_file (TOKEN);
  g_assert_false (vigil_window_get_keyring_banner_shown (main_window ()));
  gtk_window_destroy (GTK_WINDOW (prefs));
}

static void
test_connection_words (void)
{
  g_autoptr(VigilDemoServer) user_server = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *url = vigil_demo_server_get_url (server);
  g_autofree char *user_url = NULL;
  g_autofree char *elsewhere = g_strconcat (url, "/elsewhere", NULL);
  VigilPreferencesWindow *prefs;
  guint dead_port;

  user_server = g_object_new (VIGIL_TYPE_DEMO_SERVER, "require-token", "user",
                              "admin-token", "boss", NULL);
  g_assert_true (vigil_demo_server_listen (user_server, NULL, 0, &error));
  user_url = vigil_demo_server_get_url (user_server);

  prefs = VIGIL_PREFERENCES_WINDOW (vigil_application_show_preferences (app));
  g_assert_nonnull (prefs);

  g_assert_cmpstr (test_connection (prefs, url, VIGIL_SIGN_IN_NONE, ""), ==,
                   "Not signed in: the server redirected to a sign-in page");
  g_assert_cmpstr (test_connection (prefs, url, VIGIL_SIGN_IN_TOKEN, TOKEN), ==,
                   "Signed in as an admin");
  g_assert_cmpstr (test_connection (prefs, user_url, VIGIL_SIGN_IN_TOKEN, "user"), ==,
                   "Signed in (not an admin: cleanup and whole-library analyses are unavailable)");
  g_assert_cmpstr (test_connection (prefs, user_url, VIGIL_SIGN_IN_TOKEN, "wrong"), ==,
                   "Not signed in: the server wants a token");
  g_assert_cmpstr (test_connection (prefs, elsewhere, VIGIL_SIGN_IN_NONE, ""), ==,
                   "No analysis service at this address");
  dead_port = vigil_demo_server_get_port (user_server);
  vigil_demo_server_disconnect (user_server);
  g_assert_true (g_str_has_prefix (test_connection (prefs, user_url, VIGIL_SIGN_IN_NONE, ""),
                                   "Could not connect to"));
  g_assert_cmpuint (dead_port, >, 0);

  /* The address row: a warning for plain http to another host, an error
   * for what is no address at all (nothing saved). */
  vigil_preferences_window_set_url (prefs, "http://music.example.org");
  g_assert_nonnull (vigil_preferences_window_get_url_warning (prefs));
  vigil_preferences_window_set_url (prefs, url);
  g_assert_null (vigil_preferences_window_get_url_warning (prefs));
  vigil_preferences_window_set_url (prefs, "ftp://nowhere");
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (prefs), "prefs.save", NULL));
  {
    g_autofree char *saved_url = g_settings_get_string (vigil_application_get_settings (app), "server-url");

    g_assert_cmpstr (saved_url, ==, url);
  }
  gtk_window_destroy (GTK_WINDOW (prefs));
}

static gboolean
banner_shown (gpointer data)
{
  return vigil_window_get_keyring_banner_shown (main_window ());
}

static void
test_no_keyring (void)
{
  VigilPreferencesWindow *prefs;
  VigilJob *job;

  /* The startup lookup found no keyring. */
  g_assert_true (vigil_test_wait_for (banner_shown, NULL, 10000));
  g_assert_true (vigil_credentials_is_session_only (vigil_application_get_credentials (app)));
  save_shot (GTK_WIDGET (main_window ()), "no-keyring-banner.png");

  job = watch_unsigned_job ();
  prefs = sign_in_from_row (job);
  g_assert_nonnull (vigil_test_find_label (GTK_WIDGET (prefs), "No keyring"));
  save (prefs);
  g_assert_cmpstr (vigil_preferences_window_get_status_text (prefs), ==,
                   "Saved for this session only: there is no keyring");
  assert_not_in_settings (TOKEN);
  g_assert_true (vigil_test_wait_for (job_finished, job, 20000));
  g_assert_cmpint (vigil_job_get_server_state (job), ==, VIGIL_SERVER_STATE_SUCCEEDED);
  assert_not_in_state_file (TOKEN);
  gtk_window_destroy (GTK_WINDOW (prefs));
}

static char *
normal_url (char *url)
{
  g_autofree char *owned = url;
  g_autoptr(VigilApiClient) client = vigil_api_client_new (owned, NULL);

  return g_strdup (vigil_api_client_get_base_url (client));
}

/* Two servers listed; a token saved for the second is its alone; Add
 * Server makes a third tracked one; remove drops it again. */
static void
test_server_list (void)
{
  GSettings *settings = vigil_application_get_settings (app);
  g_autoptr(VigilDemoServer) second = g_object_new (VIGIL_TYPE_DEMO_SERVER, NULL);
  g_autoptr(VigilDemoServer) third = g_object_new (VIGIL_TYPE_DEMO_SERVER, NULL);
  g_autoptr(GError) error = NULL;
  g_autofree char *url1 = g_settings_get_string (settings, "server-url");
  g_autofree char *url2 = NULL, *url3 = NULL, *secret1 = NULL, *secret2 = NULL;
  g_auto(GStrv) listed = NULL, servers = NULL;
  VigilPreferencesWindow *prefs;
  VigilApiClient *client2;

  g_assert_true (vigil_demo_server_listen (second, NULL, 0, &error));
  g_assert_true (vigil_demo_server_listen (third, NULL, 0, &error));
  url2 = normal_url (vigil_demo_server_get_url (second));
  url3 = normal_url (vigil_demo_server_get_url (third));
  g_assert_true (vigil_application_add_server (app, url2, &error));
  g_assert_no_error (error);

  prefs = VIGIL_PREFERENCES_WINDOW (vigil_application_show_preferences (app));
  listed = vigil_preferences_window_dup_listed (prefs);
  g_assert_cmpuint (g_strv_length (listed), ==, 2);
  g_assert_true (g_strv_contains ((const char * const *) listed, url1));
  g_assert_true (g_strv_contains ((const char * const *) listed, url2));
  g_assert_cmpstr (vigil_preferences_window_get_selected (prefs), ==, url1);

  vigil_preferences_window_select_server (prefs, url2);
  vigil_preferences_window_set_method (prefs, VIGIL_SIGN_IN_TOKEN);
  vigil_preferences_window_set_secret (prefs, "second-secret");
  vigil_preferences_window_set_name (prefs, "Second");
  save (prefs);
  secret2 = keyring_lookup (url2);
  secret1 = keyring_lookup (url1);
  g_assert_cmpstr (secret2, ==, "second-secret");
  g_assert_cmpstr (secret1, !=, "second-secret");
  client2 = vigil_application_get_client_for (app, url2);
  g_assert_nonnull (client2);
  {
    g_autofree char *token2 = NULL, *token1 = NULL;

    g_object_get (client2, "token", &token2, NULL);
    g_object_get (vigil_application_get_client_for (app, url1), "token", &token1, NULL);
    g_assert_cmpstr (token2, ==, "second-secret");
    g_assert_cmpstr (token1, !=, "second-secret");
  }
  {
    g_autofree char *last = g_settings_get_string (settings, "server-url");

    g_assert_cmpstr (last, ==, url1);
  }

  /* Add Server… */
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (prefs), "prefs.add-server", NULL));
  g_assert_null (vigil_preferences_window_get_selected (prefs));
  vigil_preferences_window_set_url (prefs, url3);
  save (prefs);
  servers = g_settings_get_strv (settings, "servers");
  g_assert_true (g_strv_contains ((const char * const *) servers, url3));
  g_assert_cmpuint (g_list_model_get_n_items (vigil_application_get_trackers (app)), ==, 3);
  g_clear_pointer (&listed, g_strfreev);
  listed = vigil_preferences_window_dup_listed (prefs);
  g_assert_cmpuint (g_strv_length (listed), ==, 3);

  /* Remove. */
  g_assert_true (vigil_preferences_window_remove_server (prefs, url3));
  g_clear_pointer (&servers, g_strfreev);
  servers = g_settings_get_strv (settings, "servers");
  g_assert_false (g_strv_contains ((const char * const *) servers, url3));
  g_assert_cmpuint (g_list_model_get_n_items (vigil_application_get_trackers (app)), ==, 2);
  g_assert_true (vigil_preferences_window_remove_server (prefs, url2));
  g_assert_false (vigil_preferences_window_remove_server (prefs, url1));
  gtk_window_destroy (GTK_WINDOW (prefs));
}


/* ------------------------------------------------------------------ */

static VigilTracker *
tracker_for (const char *url)
{
  GListModel *trackers = vigil_application_get_trackers (app);
  VigilApiClient *client = vigil_application_get_client_for (app, url);

  for (guint i = 0; client != NULL && i < g_list_model_get_n_items (trackers); i++)
    {
      g_autoptr(VigilTracker) tracker = g_list_model_get_item (trackers, i);

      if (vigil_tracker_get_client (tracker) == client)
        return tracker;
    }
  return NULL;
}

static gboolean
has_jobs (gpointer data)
{
  return g_list_model_get_n_items (vigil_tracker_get_jobs (data)) > 0;
}

static gboolean
app_lists_job (const char *job_id)
{
  GListModel *jobs = vigil_application_get_jobs (app);

  for (guint i = 0; i < g_list_model_get_n_items (jobs); i++)
    {
      g_autoptr(VigilJob) job = g_list_model_get_item (jobs, i);

      if (g_strcmp0 (vigil_job_get_job_id (job), job_id) == 0)
        return TRUE;
    }
  return FALSE;
}

static void
assert_state_file_kept (const char *url)
{
  g_autofree char *name = vigil_state_store_file_name_for_url (url);
  g_autofree char *path = g_build_filename (g_get_user_state_dir (), "vigil", name, NULL);

  g_assert_true (g_file_test (path, G_FILE_TEST_IS_REGULAR));
}

/* Removing any server, the first (the primary, `server-url`) too, stops
 * its polling at once and takes its jobs off the list; its state file
 * stays, and the toast's Undo adds it again: its jobs resume. */
static void
test_remove_server (void)
{
  GSettings *settings = vigil_application_get_settings (app);
  g_autoptr(VigilDemoServer) backup = g_object_new (VIGIL_TYPE_DEMO_SERVER, "workers", 0, NULL);
  g_autoptr(GError) error = NULL;
  g_autoptr(VigilTracker) first = NULL, second = NULL;
  g_autofree char *url1 = normal_url (g_settings_get_string (settings, "server-url"));
  g_autofree char *url2 = NULL, *job_id = NULL, *last = NULL;
  g_autoptr(GVariantBuilder) names = g_variant_builder_new (G_VARIANT_TYPE ("a{ss}"));
  VigilPreferencesWindow *prefs;
  VigilTracker *again;
  VigilJob *resumed;

  g_assert_true (vigil_demo_server_listen (backup, NULL, 0, &error));
  url2 = normal_url (vigil_demo_server_get_url (backup));
  g_assert_true (vigil_application_add_server (app, url2, &error));
  g_variant_builder_add (names, "{ss}", url1, "Studio");
  g_variant_builder_add (names, "{ss}", url2, "Backup");
  g_settings_set_value (settings, "server-names", g_variant_builder_end (names));

  /* A job that stays queued on the second server (no workers). */
  second = g_object_ref (tracker_for (url2));
  vigil_tracker_start_async (second, VIGIL_JOB_KIND_SONG, 5, FALSE, NULL, NULL, NULL);
  g_assert_true (vigil_test_wait_for (has_jobs, second, 20000));
  {
    g_autoptr(VigilJob) job = g_list_model_get_item (vigil_tracker_get_jobs (second), 0);

    job_id = g_strdup (vigil_job_get_job_id (job));
    g_assert_cmpstr (vigil_job_get_server_name (job), ==, "Backup");
  }
  g_assert_true (app_lists_job (job_id));
  g_assert_true (vigil_state_store_flush (vigil_application_get_state_store (app), &error));

  /* The first server goes: the second becomes the primary. */
  prefs = VIGIL_PREFERENCES_WINDOW (vigil_application_show_preferences (app));
  first = g_object_ref (vigil_application_get_tracker (app));
  gtk_window_set_default_size (GTK_WINDOW (prefs), 640, 760);
  save_shot (GTK_WIDGET (prefs), "preferences-servers.png");
  g_assert_true (vigil_preferences_window_remove_server (prefs, url1));
  g_assert_cmpuint (vigil_poller_get_n_tracked (vigil_tracker_get_poller (first)), ==, 0);
  g_assert_cmpuint (g_list_model_get_n_items (vigil_application_get_trackers (app)), ==, 1);
  g_assert_cmpuint (g_list_model_get_n_items (vigil_application_get_state_stores (app)), ==, 1);
  g_assert_true (vigil_application_get_tracker (app) == second);
  last = g_settings_get_string (settings, "server-url");
  g_assert_cmpstr (last, ==, url2);
  assert_state_file_kept (url1);
  g_assert_nonnull (vigil_preferences_window_get_toast_text (prefs));
  g_assert_cmpstr (vigil_preferences_window_get_toast_text (prefs), ==, "Removed Studio");
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (prefs), "prefs.undo-remove-server", NULL));
  g_assert_cmpuint (g_list_model_get_n_items (vigil_application_get_trackers (app)), ==, 2);
  g_assert_nonnull (tracker_for (url1));
  g_assert_true (tracker_for (url1) != first);
  /* it was the last used server: it is again */
  g_clear_pointer (&last, g_free);
  last = g_settings_get_string (settings, "server-url");
  g_assert_cmpstr (last, ==, url1);

  /* The second one goes: its queued job leaves the list, polling stops. */
  g_assert_true (vigil_preferences_window_remove_server (prefs, url2));
  g_assert_cmpstr (vigil_preferences_window_get_toast_text (prefs), ==, "Removed Backup");
  g_assert_false (app_lists_job (job_id));
  g_assert_cmpuint (vigil_poller_get_n_tracked (vigil_tracker_get_poller (second)), ==, 0);
  g_assert_null (tracker_for (url2));
  assert_state_file_kept (url2);

  /* Undo: it comes back from its file, and its job is watched again. */
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (prefs), "prefs.undo-remove-server", NULL));
  again = tracker_for (url2);
  g_assert_nonnull (again);
  g_assert_true (again != second);
  resumed = vigil_tracker_lookup (again, job_id);
  g_assert_nonnull (resumed);
  g_assert_false (vigil_job_get_is_finished (resumed));
  g_assert_true (vigil_poller_is_tracking (vigil_tracker_get_poller (again), resumed));
  g_assert_cmpstr (vigil_job_get_server_name (resumed), ==, "Backup");
  g_assert_true (app_lists_job (job_id));

  /* Leave one server, as the other tests found it. */
  g_assert_true (vigil_preferences_window_remove_server (prefs, url2));
  g_settings_reset (settings, "server-names");
  gtk_window_destroy (GTK_WINDOW (prefs));
}
/* ------------------------------------------------------------------ */

static gboolean
window_up (gpointer data)
{
  GtkWindow *window = gtk_application_get_active_window (GTK_APPLICATION (app));

  return window != NULL && gtk_widget_get_mapped (GTK_WIDGET (window));
}

/* The General page: its rows show and change the notification and
 * background settings. */
static AdwPreferencesRow *
find_row_titled (GtkWidget  *root,
                 GType       type,
                 const char *title)
{
  g_autoptr(GPtrArray) rows = vigil_test_find_all (root, type);

  for (guint i = 0; i < rows->len; i++)
    if (g_strcmp0 (adw_preferences_row_get_title (g_ptr_array_index (rows, i)), title) == 0)
      return g_ptr_array_index (rows, i);
  return NULL;
}

static GtkSwitch *
row_switch (AdwPreferencesRow *row)
{
  g_autoptr(GPtrArray) switches = vigil_test_find_all (GTK_WIDGET (row), GTK_TYPE_SWITCH);

  g_assert_cmpuint (switches->len, ==, 1);
  return g_ptr_array_index (switches, 0);
}

static void
test_general_page (void)
{
  GSettings *settings = vigil_application_get_settings (app);
  GtkWidget *prefs = vigil_application_show_preferences (app);
  AdwComboRow *jobs_row;
  GtkSwitch *background, *keep;
  g_autofree char *value = NULL;

  jobs_row = ADW_COMBO_ROW (find_row_titled (prefs, ADW_TYPE_COMBO_ROW, "_Other Analyses"));
  g_assert_nonnull (jobs_row);
  background = row_switch (find_row_titled (prefs, ADW_TYPE_ACTION_ROW, "_Background Analyses"));
  keep = row_switch (find_row_titled (prefs, ADW_TYPE_ACTION_ROW, "_Keep Watching in the Background"));

  /* Defaults: background analyses notify, others only on failure, keep watching. */
  g_assert_true (gtk_switch_get_active (background));
  g_assert_cmpuint (adw_combo_row_get_selected (jobs_row), ==, 1);
  g_assert_true (gtk_switch_get_active (keep));

  adw_combo_row_set_selected (jobs_row, 2);
  value = g_settings_get_string (settings, "notify-jobs");
  g_assert_cmpstr (value, ==, "all");
  g_settings_set_string (settings, "notify-jobs", "off");
  g_assert_cmpuint (adw_combo_row_get_selected (jobs_row), ==, 0);
  gtk_switch_set_active (background, FALSE);
  g_assert_false (g_settings_get_boolean (settings, "notify-background"));
  g_settings_set_boolean (settings, "keep-in-background", FALSE);
  g_assert_false (gtk_switch_get_active (keep));

  g_settings_reset (settings, "notify-jobs");
  g_settings_reset (settings, "notify-background");
  g_settings_reset (settings, "keep-in-background");
  {
    g_autoptr(GPtrArray) pages = vigil_test_find_all (prefs, ADW_TYPE_PREFERENCES_PAGE);

    for (guint i = 0; i < pages->len; i++)
      if (g_strcmp0 (adw_preferences_page_get_title (g_ptr_array_index (pages, i)), "General") == 0)
        adw_preferences_window_set_visible_page (ADW_PREFERENCES_WINDOW (prefs),
                                                 g_ptr_array_index (pages, i));
    save_shot (prefs, "preferences-general.png");
  }
  gtk_window_destroy (GTK_WINDOW (prefs));
}

/* Closed while its keyring lookup and a connection check are under way:
 * a pending call does not keep it alive (GTK 4.8 crashes when a window
 * outlives its transient parent), and the answers, arriving later, go
 * nowhere. */
static void
test_closed_while_busy (void)
{
  VigilPreferencesWindow *prefs;
  GtkWidget *parent = gtk_window_new ();
  GtkWidget *orphan;
  gpointer alive;
  g_autofree char *url = NULL;

  gtk_window_present (GTK_WINDOW (parent));
  orphan = vigil_preferences_window_new (GTK_WINDOW (parent),
                                         vigil_tracker_get_client (vigil_application_get_last_used_tracker (app)),
                                         vigil_application_get_credentials (app),
                                         vigil_application_get_settings (app));
  alive = orphan;
  g_object_add_weak_pointer (G_OBJECT (orphan), &alive);
  gtk_window_present (GTK_WINDOW (orphan));
  g_assert_true (gtk_widget_activate_action (orphan, "prefs.test-connection", NULL));
  gtk_window_destroy (GTK_WINDOW (orphan));
  g_assert_null (alive);
  gtk_window_destroy (GTK_WINDOW (parent));

  /* A second window: its keyring lookup and its check of the server come
   * after the first one's answers. */
  prefs = VIGIL_PREFERENCES_WINDOW (vigil_application_show_preferences (app));
  url = vigil_demo_server_get_url (server);
  test_connection (prefs, url, VIGIL_SIGN_IN_TOKEN, TOKEN);
  gtk_window_destroy (GTK_WINDOW (prefs));
}

int
main (int argc, char *argv[])
{
  g_autoptr(GError) error = NULL;
  g_autofree char *display = NULL;
  g_autofree char *url = NULL;
  int ret;

  VIGIL_TEST_REQUIRE_DISPLAY ();
  no_keyring = g_getenv ("VIGIL_TEST_NO_KEYRING") != NULL;
  if (!no_keyring)
    {
      /* The keyring's private bus unsets DISPLAY: the test still needs it. */
      display = g_strdup (g_getenv ("DISPLAY"));
      keyring = vigil_test_keyring_new ();
      vigil_test_keyring_start (keyring, &keyring_skip);
      if (display != NULL)
        g_setenv ("DISPLAY", display, TRUE);
    }

  gtk_test_init (&argc, &argv, NULL);
  adw_init ();
  /* Screenshots show the end of a transition (the banner sliding in, the
   * title's crossfade), never its middle. */
  g_object_set (gtk_settings_get_default (), "gtk-enable-animations", FALSE, NULL);

  server = g_object_new (VIGIL_TYPE_DEMO_SERVER, "require-token", TOKEN,
                         "signin-redirect", TRUE, "song-seconds", 1.0, NULL);
  g_assert_true (vigil_demo_server_listen (server, NULL, 0, &error));
  g_assert_no_error (error);
  url = vigil_demo_server_get_url (server);

  app = vigil_application_new (APP_ID ".PreferencesTest", G_APPLICATION_NON_UNIQUE);
  g_settings_set_string (vigil_application_get_settings (app), "server-url", url);
  g_application_register (G_APPLICATION (app), NULL, NULL);
  g_application_hold (G_APPLICATION (app));
  g_application_activate (G_APPLICATION (app));
  g_assert_true (vigil_test_wait_for (window_up, NULL, 10000));

  g_test_add_func ("/vigil/preferences/general", test_general_page);
  g_test_add_func ("/vigil/preferences/closed-while-busy", test_closed_while_busy);
  if (no_keyring)
    g_test_add_func ("/vigil/preferences/no-keyring", test_no_keyring);
  else
    {
      g_test_add_func ("/vigil/preferences/sign-in", test_sign_in);
      g_test_add_func ("/vigil/preferences/test-connection", test_connection_words);
      g_test_add_func ("/vigil/preferences/server-list", test_server_list);
      g_test_add_func ("/vigil/preferences/remove-server", test_remove_server);
    }

  ret = g_test_run ();

  gtk_window_destroy (GTK_WINDOW (main_window ()));
  g_application_release (G_APPLICATION (app));
  g_clear_object (&app);
  g_clear_object (&server);
  g_clear_pointer (&keyring, vigil_test_keyring_free);
  g_free (keyring_skip);
  return ret;
}
