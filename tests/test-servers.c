/* test-servers.c — several servers at once: two demo servers, a tracker
 * each; New Analysis starts on the chosen one (the last used by default),
 * each server sees only its own jobs, rows name their server, the server
 * filter narrows the list, the header counts the servers that answer.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <adwaita.h>
#include <glib/gstdio.h>

#include "vigil-application.h"
#include "vigil-demo-server.h"
#include "vigil-history-row.h"
#include "vigil-job-row.h"
#include "vigil-new-analysis-dialog.h"
#include "vigil-state-store.h"
#include "vigil-window.h"
#include "vigil-test-gui.h"

#define SPEED 50.0

static VigilApplication *app;

typedef struct
{
  VigilDemoServer *server;
  VigilApiClient  *client;
  VigilPoller     *poller;
  VigilTracker    *tracker;
  VigilStateStore *store;   /* in memory */
  char            *url;
} Server;

typedef struct
{
  Server       servers[2];
  GListStore  *trackers;
  GListStore  *stores;
  VigilWindow *window;
} Fixture;

/* ------------------------------------------------------------------ */
/* Fixture                                                             */
/* ------------------------------------------------------------------ */

static gboolean
widget_is_mapped (gpointer data)
{
  return gtk_widget_get_mapped (GTK_WIDGET (data));
}

static void
server_setup (Server *s,
              guint64 seed)
{
  g_autoptr(GError) error = NULL;

  s->server = g_object_new (VIGIL_TYPE_DEMO_SERVER, "speed", SPEED, "song-seconds", 3.0,
                            "workers", 3, "seed", seed, NULL);
  g_assert_true (vigil_demo_server_listen (s->server, NULL, 0, &error));
  s->url = vigil_demo_server_get_url (s->server);
  s->client = vigil_api_client_new (s->url, &error);
  g_assert_no_error (error);
  vigil_api_client_set_timeout (s->client, 5);
  s->poller = g_object_new (VIGIL_TYPE_POLLER, "client", s->client,
                            "time-scale", 1.0 / SPEED, "jitter", 0.0, NULL);
  s->tracker = vigil_tracker_new (s->client, s->poller);
  s->store = vigil_state_store_new (s->tracker, NULL);
}

static void
fixture_setup (Fixture       *f,
               gconstpointer  data)
{
  GSettings *settings = vigil_application_get_settings (app);

  f->trackers = g_list_store_new (VIGIL_TYPE_TRACKER);
  f->stores = g_list_store_new (VIGIL_TYPE_STATE_STORE);
  for (guint i = 0; i < 2; i++)
    {
      server_setup (&f->servers[i], 7 + i);
      g_list_store_append (f->trackers, f->servers[i].tracker);
      g_list_store_append (f->stores, f->servers[i].store);
    }
  g_settings_set_string (settings, "server-url", f->servers[0].url);
  f->window = vigil_window_new_for_servers (app, settings, G_LIST_MODEL (f->trackers),
                                            f->servers[0].tracker, G_LIST_MODEL (f->stores));
  gtk_window_set_default_size (GTK_WINDOW (f->window), 800, 600);
  gtk_window_present (GTK_WINDOW (f->window));
  g_assert_true (vigil_test_wait_for (widget_is_mapped, f->window, 5000));
}

static void
fixture_teardown (Fixture       *f,
                  gconstpointer  data)
{
  gtk_window_destroy (GTK_WINDOW (f->window));
  g_settings_reset (vigil_application_get_settings (app), "server-names");
  g_clear_object (&f->trackers);
  g_clear_object (&f->stores);
  for (guint i = 0; i < 2; i++)
    {
      Server *s = &f->servers[i];

      g_clear_object (&s->store);
      g_clear_object (&s->tracker);
      g_clear_object (&s->poller);
      g_clear_object (&s->client);
      g_clear_object (&s->server);
      g_clear_pointer (&s->url, g_free);
    }
  vigil_test_spin (10);
}

/* ------------------------------------------------------------------ */
/* Helpers                                                             */
/* ------------------------------------------------------------------ */

static GtkWidget *
child_of (gpointer    widget,
          GType       type,
          const char *name)
{
  return GTK_WIDGET (gtk_widget_get_template_child (GTK_WIDGET (widget), type, name));
}

static gboolean
pointer_cleared (gpointer data)
{
  return *(gpointer *) data == NULL;
}

/* Start a song from the dialog on server `which` (or the one it offers,
 * -1); returns the server the dialog offered first. */
static guint
start_song (Fixture    *f,
            int         which,
            const char *id)
{
  GtkWindow *dialog = vigil_window_show_new_analysis (f->window);
  GtkWidget *chooser = vigil_new_analysis_dialog_get_server_chooser (VIGIL_NEW_ANALYSIS_DIALOG (dialog));
  guint offered;

  g_assert_true (GTK_IS_DROP_DOWN (chooser));
  g_assert_true (gtk_widget_get_visible (chooser));
  offered = gtk_drop_down_get_selected (GTK_DROP_DOWN (chooser));
  if (which >= 0)
    gtk_drop_down_set_selected (GTK_DROP_DOWN (chooser), which);
  vigil_new_analysis_dialog_set_kind (VIGIL_NEW_ANALYSIS_DIALOG (dialog), VIGIL_JOB_KIND_SONG);
  gtk_editable_set_text (GTK_EDITABLE (child_of (dialog, VIGIL_TYPE_NEW_ANALYSIS_DIALOG, "id_row")), id);
  g_assert_true (vigil_new_analysis_dialog_submit (VIGIL_NEW_ANALYSIS_DIALOG (dialog)));
  g_object_add_weak_pointer (G_OBJECT (dialog), (gpointer *) &dialog);
  g_assert_true (vigil_test_wait_for (pointer_cleared, &dialog, 10000));
  return offered;
}

static VigilJob *
only_job (Server *s)
{
  GListModel *jobs = vigil_tracker_get_jobs (s->tracker);

  g_assert_cmpuint (g_list_model_get_n_items (jobs), ==, 1);
  return g_list_model_get_item (jobs, 0);
}

static gboolean
job_finished (gpointer data)
{
  return vigil_job_get_is_finished (data);
}

static gboolean
has_two_jobs (gpointer data)
{
  return g_list_model_get_n_items (data) == 2;
}

static void
set_server_names (GSettings  *settings,
                  const char *url_a,
                  const char *name_a,
                  const char *url_b,
                  const char *name_b)
{
  g_autoptr(GVariantBuilder) builder = g_variant_builder_new (G_VARIANT_TYPE ("a{ss}"));

  g_variant_builder_add (builder, "{ss}", url_a, name_a);
  g_variant_builder_add (builder, "{ss}", url_b, name_b);
  g_settings_set_value (settings, "server-names", g_variant_builder_end (builder));
}

static VigilJobRow *find_row (Fixture  *f,
                              VigilJob *job);

/* pair: the fixture, a job whose row's kind line names its server. */
static gboolean
row_names_server (gpointer data)
{
  gpointer *pair = data;
  VigilJobRow *row = find_row (pair[0], pair[1]);
  GtkLabel *label;

  if (row == NULL)
    return FALSE;
  label = GTK_LABEL (gtk_widget_get_template_child (GTK_WIDGET (row), VIGIL_TYPE_JOB_ROW,
                                                    "subtitle_label"));
  return strstr (gtk_label_get_label (label), vigil_job_get_server_name (pair[1])) != NULL;
}

/* pair: how many entries, the store. */
static gboolean
store_has_n (gpointer data)
{
  gpointer *pair = data;

  return g_list_model_get_n_items (vigil_state_store_get_history (pair[1])) >= GPOINTER_TO_UINT (pair[0]);
}

/* pair: the demo server, the job. */
static gboolean
job_was_polled (gpointer data)
{
  gpointer *pair = data;

  return vigil_demo_server_get_job_request_count (pair[0], vigil_job_get_job_id (pair[1])) > 0;
}

static VigilJobRow *
find_row (Fixture  *f,
          VigilJob *job)
{
  g_autoptr(GPtrArray) rows = vigil_test_find_all (GTK_WIDGET (f->window), VIGIL_TYPE_JOB_ROW);

  for (guint i = 0; i < rows->len; i++)
    if (vigil_job_row_get_job (g_ptr_array_index (rows, i)) == job)
      return g_ptr_array_index (rows, i);
  return NULL;
}

static const char *
subtitle (Fixture *f)
{
  return adw_window_title_get_subtitle (ADW_WINDOW_TITLE (child_of (f->window, VIGIL_TYPE_WINDOW,
                                                                    "window_title")));
}

static gboolean
subtitle_is (gpointer data)
{
  gpointer *pair = data;

  return g_strcmp0 (subtitle (pair[0]), pair[1]) == 0;
}

static void
save_widget_shot (GtkWidget  *widget,
                  const char *name)
{
  g_autofree char *dir = g_build_filename (g_getenv ("G_TEST_BUILDDIR") ?: ".", "screenshots", NULL);
  g_autofree char *path = g_build_filename (dir, name, NULL);
  GStatBuf st;

  g_mkdir_with_parents (dir, 0755);
  g_assert_true (vigil_test_wait_drawn (widget, 10000));
  g_assert_true (vigil_test_save_png (widget, path));
  g_assert_cmpint (g_stat (path, &st), ==, 0);
  g_assert_cmpint (st.st_size, >, 10000);
  g_test_message ("screenshot: %s", path);
}

/* ------------------------------------------------------------------ */
/* Tests                                                               */
/* ------------------------------------------------------------------ */

static void
test_two_servers (Fixture       *f,
                  gconstpointer  data)
{
  GSettings *settings = vigil_application_get_settings (app);
  GtkDropDown *filter = GTK_DROP_DOWN (child_of (f->window, VIGIL_TYPE_WINDOW, "server_dropdown"));
  GListModel *visible = vigil_window_get_visible_jobs (f->window);
  g_autoptr(VigilJob) job_a = NULL, job_b = NULL, queued = NULL;
  g_autofree char *host_a = NULL, *host_b = NULL, *url_b = NULL;
  gpointer pair[2];

  g_assert_true (gtk_widget_get_visible (GTK_WIDGET (filter)));
  g_assert_cmpstr (subtitle (f), ==, "2 of 2 servers reachable");

  /* The dialog offers the last used server; choosing another makes it so. */
  g_assert_cmpuint (start_song (f, 1, "42"), ==, 0);
  url_b = g_settings_get_string (settings, "server-url");
  g_assert_cmpstr (url_b, ==, f->servers[1].url);
  g_assert_cmpuint (start_song (f, 0, "7"), ==, 1);

  job_a = only_job (&f->servers[0]);
  job_b = only_job (&f->servers[1]);
  g_assert_true (vigil_test_wait_for (job_finished, job_a, 30000));
  g_assert_true (vigil_test_wait_for (job_finished, job_b, 30000));

  /* Each server heard of its own job only. */
  for (guint i = 0; i < 2; i++)
    {
      VigilDemoServer *server = f->servers[i].server;
      VigilJob *own = i == 0 ? job_a : job_b;
      VigilJob *other = i == 0 ? job_b : job_a;

      g_assert_cmpuint (vigil_demo_server_get_request_count (server, "/api/songs/{id}/analyze"), ==, 1);
      g_assert_cmpuint (vigil_demo_server_get_job_request_count (server, vigil_job_get_job_id (own)), >, 0);
      if (g_strcmp0 (vigil_job_get_job_id (own), vigil_job_get_job_id (other)) != 0)
        g_assert_cmpuint (vigil_demo_server_get_job_request_count (server, vigil_job_get_job_id (other)), ==, 0);
    }

  /* Rows name their server. */
  host_a = g_strdup (vigil_job_get_server_host (job_a));
  host_b = g_strdup (vigil_job_get_server_host (job_b));
  g_assert_nonnull (host_a);
  g_assert_cmpstr (host_a, !=, host_b);
  g_assert_true (g_str_has_suffix (f->servers[0].url, host_a));
  g_assert_true (g_str_has_suffix (f->servers[1].url, host_b));
  g_assert_true (vigil_test_wait_drawn (GTK_WIDGET (f->window), 10000));
  for (guint i = 0; i < 2; i++)
    {
      VigilJob *job = i == 0 ? job_a : job_b;
      VigilJobRow *row = find_row (f, job);
      GtkLabel *label;

      g_assert_nonnull (row);
      label = GTK_LABEL (child_of (row, VIGIL_TYPE_JOB_ROW, "subtitle_label"));
      g_assert_nonnull (strstr (gtk_label_get_label (label), vigil_job_get_server_host (job)));
    }

  /* Named servers: the name replaces the host on its jobs' rows and in the
   * filter, at once. */
  set_server_names (settings, f->servers[0].url, "Studio", f->servers[1].url, "Archive");
  g_assert_cmpstr (vigil_job_get_server_name (job_a), ==, "Studio");
  g_assert_cmpstr (vigil_job_get_server_name (job_b), ==, "Archive");
  g_assert_cmpstr (gtk_string_list_get_string (GTK_STRING_LIST (gtk_drop_down_get_model (filter)), 1),
                   ==, "Studio");
  pair[0] = f;
  pair[1] = job_a;
  g_assert_true (vigil_test_wait_for (row_names_server, pair, 10000));
  g_assert_cmpstr (vigil_tracker_get_server_name (f->servers[1].tracker), ==, "Archive");

  /* The server filter. */
  g_assert_cmpuint (g_list_model_get_n_items (visible), ==, 2);
  gtk_drop_down_set_selected (filter, 1);
  g_assert_cmpuint (g_list_model_get_n_items (visible), ==, 1);
  {
    g_autoptr(VigilJob) shown = g_list_model_get_item (visible, 0);
    g_assert_true (shown == job_a);
  }
  gtk_drop_down_set_selected (filter, 2);
  g_assert_cmpuint (g_list_model_get_n_items (visible), ==, 1);
  {
    g_autoptr(VigilJob) shown = g_list_model_get_item (visible, 0);
    g_assert_true (shown == job_b);
  }
  gtk_drop_down_set_selected (filter, 0);
  g_assert_cmpuint (g_list_model_get_n_items (visible), ==, 2);

  /* A job on the second server that stays queued (no workers: however
   * slow the machine, it cannot finish before the server goes away), then
   * the server goes away while its poller tracks that job. */
  g_object_set (f->servers[1].server, "workers", 0, NULL);
  vigil_tracker_start_async (f->servers[1].tracker, VIGIL_JOB_KIND_PLAYLIST, 3, FALSE,
                             NULL, NULL, NULL);
  g_assert_true (vigil_test_wait_for (has_two_jobs, vigil_tracker_get_jobs (f->servers[1].tracker),
                                      20000));
  queued = g_list_model_get_item (vigil_tracker_get_jobs (f->servers[1].tracker), 1);
  g_assert_true (vigil_poller_is_tracking (f->servers[1].poller, queued));
  pair[0] = f->servers[1].server;
  pair[1] = queued;
  g_assert_true (vigil_test_wait_for (job_was_polled, pair, 20000));
  save_widget_shot (GTK_WIDGET (f->window), "two-servers.png");
  g_assert_false (vigil_job_get_is_finished (queued));

  vigil_demo_server_disconnect (f->servers[1].server);
  pair[0] = f;
  pair[1] = (gpointer) "1 of 2 servers reachable";
  g_assert_true (vigil_test_wait_for (subtitle_is, pair, 60000));
}

static guint
n_history (Server *s)
{
  return g_list_model_get_n_items (vigil_state_store_get_history (s->store));
}

static gboolean
is_newest_first (GListModel *entries)
{
  for (guint i = 1; i < g_list_model_get_n_items (entries); i++)
    {
      g_autoptr(VigilHistoryEntry) a = g_list_model_get_item (entries, i - 1);
      g_autoptr(VigilHistoryEntry) b = g_list_model_get_item (entries, i);

      if (vigil_history_entry_compare_newest (a, b, NULL) > 0)
        return FALSE;
    }
  return TRUE;
}

static gboolean
shows_entry_of (GListModel *entries,
                const char *server)
{
  for (guint i = 0; i < g_list_model_get_n_items (entries); i++)
    {
      g_autoptr(VigilHistoryEntry) entry = g_list_model_get_item (entries, i);

      if (g_strcmp0 (vigil_history_entry_get_server (entry), server) == 0)
        return TRUE;
    }
  return FALSE;
}

/* pair: a model, how many items. */
static gboolean
model_has_n (gpointer data)
{
  gpointer *pair = data;

  return g_list_model_get_n_items (pair[0]) == GPOINTER_TO_UINT (pair[1]);
}

/* pair: a model, a job id: some entries shown, all of that job. */
static gboolean
shows_only_job (gpointer data)
{
  gpointer *pair = data;
  guint n = g_list_model_get_n_items (pair[0]);

  for (guint i = 0; i < n; i++)
    {
      g_autoptr(VigilHistoryEntry) entry = g_list_model_get_item (pair[0], i);

      if (strstr (vigil_history_entry_get_job_id (entry), pair[1]) == NULL)
        return FALSE;
    }
  return n > 0;
}

/* data: the fixture's window; a history row shows the name (in its time
 * line) of `wanted_name`. */
static const char *wanted_name;

static gboolean
history_row_names (gpointer data)
{
  g_autoptr(GPtrArray) rows = vigil_test_find_all (GTK_WIDGET (data), VIGIL_TYPE_HISTORY_ROW);

  for (guint i = 0; i < rows->len; i++)
    if (strstr (vigil_history_row_get_time_text (g_ptr_array_index (rows, i)), wanted_name) != NULL)
      return TRUE;
  return FALSE;
}

/* The entry reports a change after its search delay: wait for the list
 * (expect: how many entries, or G_MAXUINT: those of the job id text). */
static void
search_for (Fixture    *f,
            const char *text,
            guint       expect)
{
  gpointer pair[2] = { vigil_window_get_visible_history (f->window), GUINT_TO_POINTER (expect) };

  gtk_editable_set_text (GTK_EDITABLE (child_of (f->window, VIGIL_TYPE_WINDOW, "search_entry")), text);
  if (expect == G_MAXUINT)
    {
      pair[1] = (gpointer) text;
      g_assert_true (vigil_test_wait_for (shows_only_job, pair, 10000));
    }
  else
    g_assert_true (vigil_test_wait_for (model_has_n, pair, 10000));
}

/* The Finished filter: every server's history in one list, newest first;
 * the server filter and the search narrow it (title, job id, server name);
 * Clear Finished empties every store, one Undo brings all back. */
static void
test_history (Fixture       *f,
              gconstpointer  data)
{
  GSettings *settings = vigil_application_get_settings (app);
  GtkDropDown *filter = GTK_DROP_DOWN (child_of (f->window, VIGIL_TYPE_WINDOW, "server_dropdown"));
  GListModel *history = vigil_window_get_visible_history (f->window);
  const char *url_a = vigil_api_client_get_base_url (f->servers[0].client);
  const char *url_b = vigil_api_client_get_base_url (f->servers[1].client);
  g_autoptr(VigilJob) job_b = NULL;
  GtkLabel *count;

  set_server_names (settings, url_a, "Studio", url_b, "Archive");
  for (guint n = 0; n < 2; n++)
    for (guint i = 0; i < 2; i++)
      {
        g_autofree char *id = g_strdup_printf ("%u", 40 + 2 * n + i);

        vigil_tracker_start_async (f->servers[i].tracker, VIGIL_JOB_KIND_SONG,
                                   40 + 2 * n + i, FALSE, NULL, NULL, NULL);
      }
  for (guint i = 0; i < 2; i++)
    {
      gpointer pair[2] = { GUINT_TO_POINTER (2), f->servers[i].store };

      g_assert_true (vigil_test_wait_for (store_has_n, pair, 30000));
    }
  job_b = g_list_model_get_item (vigil_tracker_get_jobs (f->servers[1].tracker), 0);

  g_object_set (f->window, "filter", "finished", NULL);
  g_assert_cmpuint (g_list_model_get_n_items (history), ==, 4);
  g_assert_true (is_newest_first (history));
  g_assert_true (shows_entry_of (history, url_a));
  g_assert_true (shows_entry_of (history, url_b));
  count = GTK_LABEL (child_of (f->window, VIGIL_TYPE_WINDOW, "count_label"));
  g_assert_cmpstr (gtk_label_get_label (count), ==, "4 finished analyses");

  /* The server filter. */
  gtk_drop_down_set_selected (filter, 2);
  g_assert_cmpuint (g_list_model_get_n_items (history), ==, 2);
  g_assert_false (shows_entry_of (history, url_a));
  g_assert_cmpstr (gtk_label_get_label (count), ==, "2 finished analyses");
  gtk_drop_down_set_selected (filter, 0);

  /* The search: a server's name, a job id, nothing. */
  search_for (f, "archive", 2);
  g_assert_false (shows_entry_of (history, url_a));
  search_for (f, "no such analysis", 0);
  search_for (f, vigil_job_get_job_id (job_b), G_MAXUINT);
  g_assert_true (shows_entry_of (history, url_b));
  search_for (f, "", 4);
  g_assert_true (vigil_test_wait_drawn (GTK_WIDGET (f->window), 10000));

  /* Rows name their server, and follow a rename. */
  wanted_name = "Studio";
  g_assert_true (vigil_test_wait_for (history_row_names, f->window, 10000));
  wanted_name = "Archive";
  g_assert_true (vigil_test_wait_for (history_row_names, f->window, 10000));
  save_widget_shot (GTK_WIDGET (f->window), "history-servers.png");
  set_server_names (settings, url_a, "Studio", url_b, "Vault");
  wanted_name = "Vault";
  g_assert_true (vigil_test_wait_for (history_row_names, f->window, 10000));

  /* Clear Finished: every store; one Undo: every store again. */
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (f->window), "win.clear-finished", NULL));
  g_assert_cmpuint (n_history (&f->servers[0]), ==, 0);
  g_assert_cmpuint (n_history (&f->servers[1]), ==, 0);
  g_assert_cmpuint (g_list_model_get_n_items (history), ==, 0);
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (f->window), "win.undo-clear-finished", NULL));
  g_assert_cmpuint (n_history (&f->servers[0]), ==, 2);
  g_assert_cmpuint (n_history (&f->servers[1]), ==, 2);
  g_assert_cmpuint (g_list_model_get_n_items (history), ==, 4);
  g_assert_true (is_newest_first (history));

  /* A clear while one store is empty: its Undo brings back nothing old. */
  vigil_state_store_clear_history (f->servers[0].store);
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (f->window), "win.clear-finished", NULL));
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (f->window), "win.undo-clear-finished", NULL));
  g_assert_cmpuint (n_history (&f->servers[0]), ==, 0);
  g_assert_cmpuint (n_history (&f->servers[1]), ==, 2);
}

static AdwMessageDialog *
find_message_dialog (void)
{
  GListModel *toplevels = gtk_window_get_toplevels ();

  for (guint i = 0; i < g_list_model_get_n_items (toplevels); i++)
    {
      g_autoptr(GObject) w = g_list_model_get_item (toplevels, i);

      if (ADW_IS_MESSAGE_DIALOG (w))
        return ADW_MESSAGE_DIALOG (w);
    }
  return NULL;
}

/* Watch a Job asks which server, the last used first. */
static void
test_watch (Fixture       *f,
            gconstpointer  data)
{
  GSettings *settings = vigil_application_get_settings (app);
  AdwMessageDialog *dialog;
  GtkWidget *box, *entry, *chooser;
  g_autofree char *last_used = NULL;

  g_settings_set_string (settings, "server-url", f->servers[1].url);
  set_server_names (settings, f->servers[0].url, "Studio", f->servers[1].url, "");
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (f->window), "win.watch-job", NULL));
  dialog = find_message_dialog ();
  g_assert_nonnull (dialog);
  box = adw_message_dialog_get_extra_child (dialog);
  entry = gtk_widget_get_first_child (box);
  chooser = gtk_widget_get_next_sibling (entry);
  g_assert_true (GTK_IS_DROP_DOWN (chooser));
  g_assert_cmpuint (gtk_drop_down_get_selected (GTK_DROP_DOWN (chooser)), ==, 1);
  /* Each server by the name it was given, else by its address. */
  {
    GtkStringList *offered = GTK_STRING_LIST (gtk_drop_down_get_model (GTK_DROP_DOWN (chooser)));

    g_assert_cmpstr (gtk_string_list_get_string (offered, 0), ==, "Studio");
    g_assert_cmpstr (gtk_string_list_get_string (offered, 1), ==,
                     vigil_api_client_get_base_url (f->servers[1].client));
  }
  gtk_drop_down_set_selected (GTK_DROP_DOWN (chooser), 0);
  gtk_editable_set_text (GTK_EDITABLE (entry), "4242");
  adw_message_dialog_response (dialog, "watch");

  g_assert_nonnull (vigil_tracker_lookup (f->servers[0].tracker, "4242"));
  g_assert_null (vigil_tracker_lookup (f->servers[1].tracker, "4242"));
  last_used = g_settings_get_string (settings, "server-url");
  g_assert_cmpstr (last_used, ==, f->servers[0].url);
}

/* With one server: no filter, no chooser, the server's name in the header. */
static void
test_one_server (Fixture       *f,
                 gconstpointer  data)
{
  GtkDropDown *filter = GTK_DROP_DOWN (child_of (f->window, VIGIL_TYPE_WINDOW, "server_dropdown"));
  GtkWindow *dialog;
  GtkWidget *chooser;

  g_list_store_remove (f->trackers, 1);
  vigil_window_set_server_label (f->window, f->servers[0].url);
  g_assert_false (gtk_widget_get_visible (GTK_WIDGET (filter)));
  g_assert_cmpstr (subtitle (f), ==, f->servers[0].url);

  dialog = vigil_window_show_new_analysis (f->window);
  chooser = vigil_new_analysis_dialog_get_server_chooser (VIGIL_NEW_ANALYSIS_DIALOG (dialog));
  g_assert_false (gtk_widget_get_visible (chooser));
  gtk_window_destroy (dialog);
}

/* The first server removed: the header names the one left, and the
 * choosers fall back to it. */
static void
test_first_removed (Fixture       *f,
                    gconstpointer  data)
{
  GtkWindow *dialog;
  GtkWidget *chooser;

  vigil_window_set_server_label (f->window, f->servers[0].url);
  g_list_store_remove (f->trackers, 0);
  g_assert_cmpstr (subtitle (f), ==, vigil_api_client_get_base_url (f->servers[1].client));

  dialog = vigil_window_show_new_analysis (f->window);
  chooser = vigil_new_analysis_dialog_get_server_chooser (VIGIL_NEW_ANALYSIS_DIALOG (dialog));
  g_assert_false (gtk_widget_get_visible (chooser));
  vigil_new_analysis_dialog_set_kind (VIGIL_NEW_ANALYSIS_DIALOG (dialog), VIGIL_JOB_KIND_SONG);
  gtk_editable_set_text (GTK_EDITABLE (child_of (dialog, VIGIL_TYPE_NEW_ANALYSIS_DIALOG, "id_row")), "9");
  g_assert_true (vigil_new_analysis_dialog_submit (VIGIL_NEW_ANALYSIS_DIALOG (dialog)));
  g_object_add_weak_pointer (G_OBJECT (dialog), (gpointer *) &dialog);
  g_assert_true (vigil_test_wait_for (pointer_cleared, &dialog, 10000));
  g_assert_cmpuint (g_list_model_get_n_items (vigil_tracker_get_jobs (f->servers[1].tracker)), ==, 1);
  g_assert_cmpuint (g_list_model_get_n_items (vigil_tracker_get_jobs (f->servers[0].tracker)), ==, 0);
}

int
main (int argc, char *argv[])
{
  int ret;

  VIGIL_TEST_REQUIRE_DISPLAY ();
  gtk_test_init (&argc, &argv, NULL);
  adw_init ();

  app = vigil_application_new (APP_ID ".ServersTest", G_APPLICATION_NON_UNIQUE);
  g_application_register (G_APPLICATION (app), NULL, NULL);
  g_application_hold (G_APPLICATION (app));

  g_test_add ("/vigil/servers/two", Fixture, NULL, fixture_setup, test_two_servers, fixture_teardown);
  g_test_add ("/vigil/servers/history", Fixture, NULL, fixture_setup, test_history, fixture_teardown);
  g_test_add ("/vigil/servers/watch", Fixture, NULL, fixture_setup, test_watch, fixture_teardown);
  g_test_add ("/vigil/servers/one", Fixture, NULL, fixture_setup, test_one_server, fixture_teardown);
  g_test_add ("/vigil/servers/first-removed", Fixture, NULL, fixture_setup, test_first_removed,
              fixture_teardown);

  ret = g_test_run ();

  g_application_release (G_APPLICATION (app));
  g_clear_object (&app);
  return ret;
}
