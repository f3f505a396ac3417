/* test-a11y.c — what a screen reader and a keyboard get: labels on
 * icon-only buttons, names and descriptions on rows that follow the job,
 * the shortcuts window against the registered accelerators, F5, and the
 * window at 360 px (plus dark and high-contrast screenshots).
 *
 * GTK 4.8 has no in-process AT-SPI walker: the widget tree is walked and
 * each widget's accessible properties are read back from GTK's test
 * accessibility backend (GTK_A11Y=test).
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
#include "vigil-job-text.h"
#include "vigil-new-analysis-dialog.h"
#include "vigil-song-row.h"
#include "vigil-window.h"
#include "vigil-test-gui.h"

static VigilApplication *app;
static VigilDemoServer  *app_server;     /* the app's own window watches these two */
static VigilDemoServer  *second_server;

typedef struct
{
  VigilDemoServer *server;
  VigilApiClient  *client;
  VigilPoller     *poller;
  VigilTracker    *tracker;
  VigilWindow     *window;
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
fixture_setup (Fixture       *f,
               gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *url = NULL;

  f->server = g_object_new (VIGIL_TYPE_DEMO_SERVER, "speed", 1.0, "song-seconds", 20.0,
                            "workers", 3, "seed", (guint64) 7, NULL);
  g_assert_true (vigil_demo_server_listen (f->server, NULL, 0, &error));
  url = vigil_demo_server_get_url (f->server);
  f->client = vigil_api_client_new (url, &error);
  g_assert_no_error (error);
  vigil_api_client_set_timeout (f->client, 5);
  f->poller = g_object_new (VIGIL_TYPE_POLLER, "client", f->client, "jitter", 0.0, NULL);
  f->tracker = vigil_tracker_new (f->client, f->poller);
  f->window = vigil_window_new (app, vigil_application_get_settings (app), f->tracker, NULL);
  gtk_window_set_default_size (GTK_WINDOW (f->window), 800, 600);
  gtk_window_present (GTK_WINDOW (f->window));
  g_assert_true (vigil_test_wait_for (widget_is_mapped, f->window, 5000));
}

static void
fixture_teardown (Fixture       *f,
                  gconstpointer  data)
{
  gtk_window_destroy (GTK_WINDOW (f->window));
  g_clear_object (&f->tracker);
  g_clear_object (&f->poller);
  g_clear_object (&f->client);
  g_clear_object (&f->server);
  vigil_test_spin (10);
}

/* ------------------------------------------------------------------ */
/* Helpers                                                             */
/* ------------------------------------------------------------------ */

/* The widget below root with that id in its .ui file (bound to the
 * template or not). */
static GtkWidget *
child_of (gpointer    root,
          GType       type,
          const char *name)
{
  g_autoptr(GPtrArray) widgets = vigil_test_find_all (GTK_WIDGET (root), GTK_TYPE_WIDGET);

  for (guint i = 0; i < widgets->len; i++)
    {
      GtkWidget *w = g_ptr_array_index (widgets, i);

      if (g_strcmp0 (gtk_buildable_get_buildable_id (GTK_BUILDABLE (w)), name) == 0 &&
          gtk_widget_get_ancestor (gtk_widget_get_parent (w) ?: w, type) != NULL)
        return w;
    }
  g_error ("no widget \"%s\" in %s", name, G_OBJECT_TYPE_NAME (root));
  return NULL;
}

static gboolean
pointer_cleared (gpointer data)
{
  return *(gpointer *) data == NULL;
}

static VigilJob *
watch_playlist (Fixture *f,
                guint    n_songs)
{
  g_autofree char *id = vigil_demo_server_add_job (f->server, VIGIL_JOB_KIND_PLAYLIST, 1,
                                                   n_songs, 20, 0);

  return g_object_ref (vigil_tracker_watch (f->tracker, id, VIGIL_JOB_KIND_PLAYLIST, 1));
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

typedef struct
{
  Fixture  *f;
  VigilJob *job;
} RowQuery;

static gboolean
row_shown (gpointer data)
{
  RowQuery *q = data;
  VigilJobRow *row = find_row (q->f, q->job);

  return row != NULL && gtk_widget_get_mapped (GTK_WIDGET (row));
}

/* A button a screen reader can only name through its accessible label:
 * one showing nothing but an icon. */
static gboolean
is_icon_only (GtkWidget *widget)
{
  GtkWidget *child;

  if (GTK_IS_MENU_BUTTON (widget))
    return gtk_menu_button_get_label (GTK_MENU_BUTTON (widget)) == NULL &&
           gtk_menu_button_get_child (GTK_MENU_BUTTON (widget)) == NULL;
  if (!GTK_IS_BUTTON (widget))
    return FALSE;
  /* A menu button's own toggle is what has the focus: named too. */
  if (GTK_IS_MENU_BUTTON (gtk_widget_get_parent (widget)))
    return is_icon_only (gtk_widget_get_parent (widget));
  if (gtk_button_get_icon_name (GTK_BUTTON (widget)) != NULL)
    return TRUE;
  child = gtk_button_get_child (GTK_BUTTON (widget));
  return GTK_IS_IMAGE (child);
}

static gboolean
has_label (GtkWidget *widget)
{
  return gtk_test_accessible_has_property (GTK_ACCESSIBLE (widget),
                                           GTK_ACCESSIBLE_PROPERTY_LABEL) ||
         gtk_test_accessible_has_relation (GTK_ACCESSIBLE (widget),
                                           GTK_ACCESSIBLE_RELATION_LABELLED_BY);
}

/* Every icon-only button below root has a label; returns how many. */
static guint
assert_icon_buttons_labelled (GtkWidget *root)
{
  g_autoptr(GPtrArray) widgets = vigil_test_find_all (root, GTK_TYPE_WIDGET);
  guint n = 0;

  for (guint i = 0; i < widgets->len; i++)
    {
      GtkWidget *w = g_ptr_array_index (widgets, i);

      if (!is_icon_only (w))
        continue;
      if (!has_label (w))
        g_error ("icon-only %s in %s (%s) has no accessible label",
                 G_OBJECT_TYPE_NAME (w), G_OBJECT_TYPE_NAME (gtk_widget_get_parent (w)),
                 gtk_widget_get_tooltip_text (w) ?: "no tooltip");
      n++;
    }
  return n;
}

static gboolean
property_is (GtkWidget             *widget,
             GtkAccessibleProperty  property,
             const char            *value)
{
  g_autofree char *wrong = gtk_test_accessible_check_property (GTK_ACCESSIBLE (widget),
                                                               property, value);

  return wrong == NULL;
}

/* The row says what the job says: title as name, the status line (step
 * and ETA) as the row's and the bar's description. */
static gboolean
row_follows_job (gpointer data)
{
  RowQuery *q = data;
  VigilJobRow *row = find_row (q->f, q->job);
  g_autofree char *status = vigil_job_text_status (q->job);
  g_autofree char *trouble = vigil_job_text_trouble (q->job);
  const char *title = vigil_job_get_title (q->job);

  if (row == NULL || trouble != NULL)
    return FALSE;
  if (title == NULL || title[0] == '\0')
    title = vigil_job_get_job_id (q->job);
  return property_is (GTK_WIDGET (row), GTK_ACCESSIBLE_PROPERTY_LABEL, title) &&
         property_is (GTK_WIDGET (row), GTK_ACCESSIBLE_PROPERTY_DESCRIPTION, status) &&
         property_is (child_of (row, VIGIL_TYPE_JOB_ROW, "progress_bar"),
                      GTK_ACCESSIBLE_PROPERTY_LABEL, title) &&
         property_is (child_of (row, VIGIL_TYPE_JOB_ROW, "progress_bar"),
                      GTK_ACCESSIBLE_PROPERTY_DESCRIPTION, status);
}

static gboolean
row_in_trouble (gpointer data)
{
  RowQuery *q = data;
  VigilJobRow *row = find_row (q->f, q->job);
  g_autofree char *status = vigil_job_text_status (q->job);
  g_autofree char *trouble = vigil_job_text_trouble (q->job);
  g_autofree char *expected = NULL;

  if (row == NULL || trouble == NULL ||
      g_strcmp0 (vigil_job_row_get_trouble_text (row), trouble) != 0)
    return FALSE;
  expected = g_strdup_printf ("%s. %s", status, trouble);
  return property_is (GTK_WIDGET (row), GTK_ACCESSIBLE_PROPERTY_DESCRIPTION, expected);
}

static gboolean
row_reads_eta (gpointer data)
{
  RowQuery *q = data;
  g_autofree char *status = vigil_job_text_status (q->job);

  return strstr (status, "remaining") != NULL && row_follows_job (data);
}

static gboolean
row_reads_finished (gpointer data)
{
  RowQuery *q = data;

  return vigil_job_get_is_finished (q->job) && row_follows_job (data);
}

static gboolean
transitions_done (gpointer data)
{
  g_autoptr(GPtrArray) squeezers = vigil_test_find_all (data, ADW_TYPE_SQUEEZER);
  g_autoptr(GPtrArray) revealers = vigil_test_find_all (data, GTK_TYPE_REVEALER);

  for (guint i = 0; i < squeezers->len; i++)
    if (adw_squeezer_get_transition_running (g_ptr_array_index (squeezers, i)))
      return FALSE;
  for (guint i = 0; i < revealers->len; i++)
    {
      GtkRevealer *revealer = g_ptr_array_index (revealers, i);

      if (gtk_widget_get_mapped (GTK_WIDGET (revealer)) &&
          gtk_revealer_get_child_revealed (revealer) != gtk_revealer_get_reveal_child (revealer))
        return FALSE;
    }
  return TRUE;
}

static void
save_shot (GtkWidget  *widget,
           const char *name)
{
  g_autofree char *dir = g_build_filename (g_getenv ("G_TEST_BUILDDIR") ?: ".", "screenshots", NULL);
  g_autofree char *path = g_build_filename (dir, name, NULL);
  GStatBuf st;

  g_mkdir_with_parents (dir, 0755);
  g_assert_true (vigil_test_wait_drawn (widget, 10000));
  /* The end of a transition (the toolbars' crossfade, the view switcher
   * bar sliding in), never its middle. */
  g_assert_true (vigil_test_wait_for (transitions_done, widget, 10000));
  g_assert_true (vigil_test_wait_drawn (widget, 10000));
  g_assert_true (vigil_test_save_png (widget, path));
  g_assert_cmpint (g_stat (path, &st), ==, 0);
  g_assert_cmpint (st.st_size, >, 5000);
  g_test_message ("screenshot: %s", path);
}

/* ------------------------------------------------------------------ */
/* Tests                                                               */
/* ------------------------------------------------------------------ */

/* The header bar's, the rows' and the Preferences' icon-only buttons. */
static void
test_icon_buttons (Fixture       *f,
                   gconstpointer  data)
{
  g_autoptr(VigilJob) job = watch_playlist (f, 3);
  RowQuery q = { f, job };
  GtkWidget *new_button = child_of (f->window, VIGIL_TYPE_WINDOW, "new_button");

  g_assert_true (vigil_test_wait_for (row_shown, &q, 20000));
  /* The button the issue was about: read as "New Analysis", not "GtkImage". */
  gtk_test_accessible_assert_property (new_button, GTK_ACCESSIBLE_PROPERTY_LABEL, "New Analysis");
  gtk_test_accessible_assert_property (child_of (f->window, VIGIL_TYPE_WINDOW, "primary_menu_button"),
                                       GTK_ACCESSIBLE_PROPERTY_LABEL, "Main Menu");
  gtk_test_accessible_assert_property (child_of (find_row (f, job), VIGIL_TYPE_JOB_ROW, "menu_button"),
                                       GTK_ACCESSIBLE_PROPERTY_LABEL, "Job Actions");
  /* New, search, main menu and the row's menu (and their toggles). */
  g_assert_cmpuint (assert_icon_buttons_labelled (GTK_WIDGET (f->window)), >=, 6);

}

/* Preferences with two servers: each has an icon-only Remove button. */
static void
test_preferences_buttons (Fixture       *f,
                          gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *url = NULL;
  GtkWidget *prefs;

  second_server = g_object_new (VIGIL_TYPE_DEMO_SERVER, NULL);
  g_assert_true (vigil_demo_server_listen (second_server, NULL, 0, &error));
  url = vigil_demo_server_get_url (second_server);
  g_assert_true (vigil_application_add_server (app, url, &error));
  g_assert_no_error (error);

  prefs = vigil_application_show_preferences (app);
  g_assert_nonnull (prefs);
  g_assert_true (vigil_test_wait_for (widget_is_mapped, prefs, 5000));
  g_assert_cmpuint (assert_icon_buttons_labelled (prefs), >=, 2);
  /* Gone before its parent may be: a keyring lookup in flight keeps a
   * destroyed Preferences window alive, and finalizing it after its
   * transient parent crashes in GTK 4.8. */
  g_object_add_weak_pointer (G_OBJECT (prefs), (gpointer *) &prefs);
  gtk_window_destroy (GTK_WINDOW (prefs));
  g_assert_true (vigil_test_wait_for (pointer_cleared, &prefs, 20000));
}

/* The row's name is the title; its description, and its bar's, is the
 * step with the ETA, and changes with it. */
static void
test_row_descriptions (Fixture       *f,
                       gconstpointer  data)
{
  g_autoptr(VigilJob) job = watch_playlist (f, 12);
  RowQuery q = { f, job };
  VigilJobRow *row;
  g_autoptr(GPtrArray) song_rows = NULL;
  GtkWidget *history_row;
  g_autoptr(VigilHistoryEntry) entry = NULL;
  g_autoptr(GDateTime) now = g_date_time_new_now_local ();

  g_assert_true (vigil_test_wait_for (row_shown, &q, 20000));
  g_assert_true (vigil_test_wait_for (row_reads_eta, &q, 30000));
  row = find_row (f, job);
  g_assert_true (gtk_test_accessible_has_property (GTK_ACCESSIBLE (row),
                                                   GTK_ACCESSIBLE_PROPERTY_DESCRIPTION));

  /* The songs, each named, its state as description. */
  gtk_expander_set_expanded (GTK_EXPANDER (child_of (row, VIGIL_TYPE_JOB_ROW, "songs_expander")), TRUE);
  g_assert_true (vigil_test_wait_drawn (GTK_WIDGET (f->window), 10000));
  song_rows = vigil_test_find_all (GTK_WIDGET (row), VIGIL_TYPE_SONG_ROW);
  g_assert_cmpuint (song_rows->len, >, 0);
  for (guint i = 0; i < song_rows->len; i++)
    {
      GtkAccessible *song_row = g_ptr_array_index (song_rows, i);

      g_assert_true (gtk_test_accessible_has_property (song_row, GTK_ACCESSIBLE_PROPERTY_LABEL));
      g_assert_true (gtk_test_accessible_has_property (song_row,
                                                       GTK_ACCESSIBLE_PROPERTY_DESCRIPTION));
      /* Its bar too, the same words. */
      {
        g_autoptr(GPtrArray) bars = vigil_test_find_all (GTK_WIDGET (song_row), GTK_TYPE_PROGRESS_BAR);

        g_assert_cmpuint (bars->len, ==, 1);
        g_assert_true (gtk_test_accessible_has_property (g_ptr_array_index (bars, 0),
                                                         GTK_ACCESSIBLE_PROPERTY_LABEL));
        g_assert_true (gtk_test_accessible_has_property (g_ptr_array_index (bars, 0),
                                                         GTK_ACCESSIBLE_PROPERTY_DESCRIPTION));
      }
    }

  /* Faster: the job ends, and the row reads its end. */
  g_object_set (f->server, "speed", 200.0, NULL);
  g_object_set (f->poller, "time-scale", 1.0 / 200, NULL);
  g_assert_true (vigil_test_wait_for (row_reads_finished, &q, 30000));
  {
    g_autofree char *status = vigil_job_text_status (job);

    g_assert_null (strstr (status, "remaining"));
  }

  /* A finished analysis in the history: title, then outcome and time. */
  entry = vigil_history_entry_new ("http://127.0.0.1:1/", "job-1", VIGIL_JOB_KIND_SONG, 42,
                                   "A Song", VIGIL_OUTCOME_FAILED, now, 12.0, "No lyrics found");
  history_row = g_object_ref_sink (vigil_history_row_new ());
  vigil_history_row_set_entry (VIGIL_HISTORY_ROW (history_row), entry);
  gtk_test_accessible_assert_property (history_row, GTK_ACCESSIBLE_PROPERTY_LABEL, "A Song");
  {
    g_autofree char *expected =
      g_strdup_printf ("%s. %s. No lyrics found",
                       vigil_history_row_get_outcome_text (VIGIL_HISTORY_ROW (history_row)),
                       vigil_history_row_get_time_text (VIGIL_HISTORY_ROW (history_row)));

    g_assert_true (property_is (history_row, GTK_ACCESSIBLE_PROPERTY_DESCRIPTION, expected));
  }
  g_object_unref (history_row);
}

static gboolean
action_exists (GtkWidget  *window,
               const char *name)
{
  GtkWidgetClass *klass = GTK_WIDGET_GET_CLASS (window);
  const char *dot = strchr (name, '.');
  GType owner;
  const char *action;
  const GVariantType *type;
  const char *property;

  for (guint i = 0; gtk_widget_class_query_action (klass, i, &owner, &action, &type, &property); i++)
    if (g_str_equal (action, name))
      return TRUE;
  g_assert_nonnull (dot);
  if (g_str_has_prefix (name, "app."))
    return g_action_group_has_action (G_ACTION_GROUP (app), dot + 1);
  if (g_str_has_prefix (name, "win."))
    return g_action_group_has_action (G_ACTION_GROUP (window), dot + 1);
  return FALSE;
}

/* The window's shortcut for trigger (as the application's accelerators
 * put them on every window), or NULL. */
static GtkShortcut *
find_shortcut (GtkWidget  *window,
               const char *accelerator)
{
  g_autoptr(GListModel) controllers = gtk_widget_observe_controllers (window);
  g_autoptr(GtkShortcutTrigger) want = gtk_shortcut_trigger_parse_string (accelerator);

  g_assert_nonnull (want);
  for (guint i = 0; i < g_list_model_get_n_items (controllers); i++)
    {
      g_autoptr(GObject) controller = g_list_model_get_item (controllers, i);

      if (!GTK_IS_SHORTCUT_CONTROLLER (controller))
        continue;
      for (guint j = 0; j < g_list_model_get_n_items (G_LIST_MODEL (controller)); j++)
        {
          g_autoptr(GtkShortcut) shortcut = g_list_model_get_item (G_LIST_MODEL (controller), j);
          GtkShortcutTrigger *trigger = gtk_shortcut_get_trigger (shortcut);

          if (trigger != NULL && gtk_shortcut_trigger_equal (trigger, want))
            return shortcut;  /* the controller keeps it */
        }
    }
  return NULL;
}

/* Every shortcut the window lists is bound, every binding is listed. */
static void
test_shortcuts_window (Fixture       *f,
                       gconstpointer  data)
{
  static const char *expected[][2] = {
    { "win.new-analysis", "<Control>n" },
    { "win.search", "<Control>f" },
    { "app.preferences", "<Control>comma" },
    { "app.diagnostics", "<Shift><Control>d" },
    { "win.refresh", "F5" },
    { "window.close", "<Control>w" },
    { "app.quit", "<Control>q" },
    { "win.show-help-overlay", "<Control>question" },
  };
  GtkWidget *overlay;
  g_autoptr(GPtrArray) shortcuts = NULL;
  g_autoptr(GHashTable) listed = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  g_auto(GStrv) bound = NULL;

  g_action_group_activate_action (G_ACTION_GROUP (f->window), "show-help-overlay", NULL);
  overlay = GTK_WIDGET (gtk_application_window_get_help_overlay (GTK_APPLICATION_WINDOW (f->window)));
  g_assert_nonnull (overlay);
  g_assert_true (vigil_test_wait_for (widget_is_mapped, overlay, 5000));

  /* The window keeps a copy of each for its search page. */
  shortcuts = vigil_test_find_all (overlay, GTK_TYPE_SHORTCUTS_SHORTCUT);
  g_assert_cmpuint (shortcuts->len, >=, G_N_ELEMENTS (expected));
  for (guint i = 0; i < shortcuts->len; i++)
    {
      g_autofree char *action = NULL, *accelerator = NULL, *title = NULL;
      g_auto(GStrv) accels = NULL;

      g_object_get (g_ptr_array_index (shortcuts, i), "action-name", &action,
                    "accelerator", &accelerator, "title", &title, NULL);
      /* Listed by action, so the window shows the accelerator bound. */
      g_assert_nonnull (action);
      g_assert_true (action_exists (GTK_WIDGET (f->window), action));
      accels = gtk_application_get_accels_for_action (GTK_APPLICATION (app), action);
      if (accels[0] == NULL)
        g_error ("\"%s\" (%s) is listed but has no accelerator", title, action);
      g_hash_table_add (listed, g_steal_pointer (&action));
    }
  g_assert_cmpuint (g_hash_table_size (listed), ==, G_N_ELEMENTS (expected));

  /* And the other way round. */
  bound = gtk_application_list_action_descriptions (GTK_APPLICATION (app));
  for (guint i = 0; bound[i] != NULL; i++)
    if (!g_hash_table_contains (listed, bound[i]))
      g_error ("%s has an accelerator but is not in the shortcuts window", bound[i]);
  g_assert_cmpuint (g_strv_length (bound), ==, g_hash_table_size (listed));

  for (guint i = 0; i < G_N_ELEMENTS (expected); i++)
    {
      g_auto(GStrv) accels = gtk_application_get_accels_for_action (GTK_APPLICATION (app),
                                                                    expected[i][0]);
      guint key, want_key;
      GdkModifierType mods, want_mods;

      g_assert_true (g_hash_table_contains (listed, expected[i][0]));
      g_assert_nonnull (accels[0]);
      g_assert_true (gtk_accelerator_parse (accels[0], &key, &mods));
      g_assert_true (gtk_accelerator_parse (expected[i][1], &want_key, &want_mods));
      g_assert_cmpuint (key, ==, want_key);
      g_assert_cmpuint (mods, ==, want_mods);
      /* And the window really has it as a shortcut. */
      if (find_shortcut (GTK_WIDGET (f->window), expected[i][1]) == NULL)
        g_error ("%s is not a shortcut of the window", expected[i][1]);
    }
  save_shot (overlay, "shortcuts.png");
  gtk_window_close (GTK_WINDOW (overlay));
}

static GtkWindow *
find_new_analysis_dialog (void)
{
  GListModel *toplevels = gtk_window_get_toplevels ();  /* transfer none */

  for (guint i = 0; i < g_list_model_get_n_items (toplevels); i++)
    {
      g_autoptr(GObject) w = g_list_model_get_item (toplevels, i);

      if (VIGIL_IS_NEW_ANALYSIS_DIALOG (w))
        return GTK_WINDOW (w);
    }
  return NULL;
}

static gboolean
dialog_shown (gpointer data)
{
  GtkWindow *dialog = find_new_analysis_dialog ();

  return dialog != NULL && gtk_widget_get_mapped (GTK_WIDGET (dialog));
}

static gboolean
no_dialog (gpointer data)
{
  return find_new_analysis_dialog () == NULL;
}

/* Whether Tab reached target: it, or a widget inside it (a row's entry),
 * or the row holding it (a check button activated through its row). */
static gboolean
reached_widget (GPtrArray *reached,
                GtkWidget *target)
{
  for (guint i = 0; i < reached->len; i++)
    {
      GtkWidget *w = g_ptr_array_index (reached, i);

      if (w == target || gtk_widget_is_ancestor (w, target) ||
          (ADW_IS_ACTION_ROW (w) && gtk_widget_is_ancestor (target, w)))
        return TRUE;
    }
  return FALSE;
}

static GPtrArray *
tab_through (GtkWidget *window,
             guint      n_tabs)
{
  GPtrArray *reached = g_ptr_array_new ();

  gtk_window_set_focus (GTK_WINDOW (window), NULL);
  for (guint i = 0; i < n_tabs; i++)
    {
      GtkWidget *focus;

      if (!gtk_widget_child_focus (window, GTK_DIR_TAB_FORWARD))
        continue;  /* wrapped around */
      focus = gtk_root_get_focus (GTK_ROOT (window));
      if (focus != NULL && !g_ptr_array_find (reached, focus, NULL))
        g_ptr_array_add (reached, focus);
    }
  return reached;
}

static gboolean
popover_shown (gpointer data)
{
  GtkPopover *popover = gtk_menu_button_get_popover (GTK_MENU_BUTTON (data));

  return popover != NULL && gtk_widget_get_mapped (GTK_WIDGET (popover));
}

/* Tab through the window as a keyboard user would: the header's buttons,
 * the filters, Clear Finished, a row's menu and its songs all get the
 * focus, and the row's menu and songs open from the keyboard. */
static void
test_focus_chain (Fixture       *f,
                  gconstpointer  data)
{
  g_autoptr(VigilJob) job = watch_playlist (f, 12);
  RowQuery q = { f, job };
  g_autoptr(GPtrArray) reached = NULL;
  VigilJobRow *row;
  GtkWidget *menu_button;
  GtkWidget *expander;
  GtkWidget *popover;
  guint n_filters = 0;

  g_assert_true (vigil_test_wait_for (row_shown, &q, 20000));
  g_assert_true (vigil_test_wait_for (row_reads_eta, &q, 30000));
  g_assert_true (vigil_test_wait_drawn (GTK_WIDGET (f->window), 10000));
  row = find_row (f, job);
  menu_button = child_of (row, VIGIL_TYPE_JOB_ROW, "menu_button");
  expander = child_of (row, VIGIL_TYPE_JOB_ROW, "songs_expander");

  reached = tab_through (GTK_WIDGET (f->window), 40);
  for (guint i = 0; i < reached->len; i++)
    {
      GtkWidget *w = g_ptr_array_index (reached, i);

      g_test_message ("focus %u: %s %s", i, G_OBJECT_TYPE_NAME (w),
                      gtk_buildable_get_buildable_id (GTK_BUILDABLE (w)) ?: "");
      if (GTK_IS_TOGGLE_BUTTON (w) &&
          g_strcmp0 (gtk_actionable_get_action_name (GTK_ACTIONABLE (w)), "win.filter") == 0)
        n_filters++;
    }
#define REACHED(widget) \
  g_assert_true (g_ptr_array_find (reached, (widget), NULL) || \
                 g_ptr_array_find (reached, gtk_widget_get_first_child (widget), NULL))
  REACHED (child_of (f->window, VIGIL_TYPE_WINDOW, "new_button"));
  REACHED (child_of (f->window, VIGIL_TYPE_WINDOW, "search_button"));
  REACHED (child_of (f->window, VIGIL_TYPE_WINDOW, "primary_menu_button"));
  REACHED (menu_button);
  REACHED (expander);
#undef REACHED
  g_assert_cmpuint (n_filters, ==, 4);

  /* The row's menu opens from the keyboard, and its items are actions. */
  gtk_widget_grab_focus (menu_button);
  g_assert_true (gtk_widget_activate (gtk_widget_get_first_child (menu_button)));
  /* A button activated by key clicks after a short press. */
  g_assert_true (vigil_test_wait_for (popover_shown, menu_button, 5000));
  popover = GTK_WIDGET (gtk_menu_button_get_popover (GTK_MENU_BUTTON (menu_button)));
  gtk_popover_popdown (GTK_POPOVER (popover));

  /* The songs open from the keyboard too. */
  gtk_widget_grab_focus (expander);
  g_assert_true (gtk_widget_activate (expander));
  g_assert_true (gtk_expander_get_expanded (GTK_EXPANDER (expander)));
}

/* Ctrl+N opens New Analysis; Tab reaches each of its controls; Escape
 * closes it. */
static void
test_dialog_keyboard (Fixture       *f,
                      gconstpointer  data)
{
  GtkShortcut *shortcut = find_shortcut (GTK_WIDGET (f->window), "<Control>n");
  g_autoptr(GPtrArray) reached = NULL;
  GtkWidget *dialog;
  static const char *ids[] = { "song_check", "playlist_check", "user_check", "id_row", "all_switch" };

  g_assert_nonnull (shortcut);
  g_assert_true (gtk_shortcut_action_activate (gtk_shortcut_get_action (shortcut),
                                               GTK_SHORTCUT_ACTION_EXCLUSIVE,
                                               GTK_WIDGET (f->window), NULL));
  g_assert_true (vigil_test_wait_for (dialog_shown, NULL, 5000));
  dialog = GTK_WIDGET (find_new_analysis_dialog ());
  /* A playlist: "Analyze Every Song" shows. */
  vigil_new_analysis_dialog_set_kind (VIGIL_NEW_ANALYSIS_DIALOG (dialog), VIGIL_JOB_KIND_PLAYLIST);
  g_assert_true (vigil_test_wait_drawn (dialog, 10000));

  reached = tab_through (dialog, 30);
  for (guint i = 0; i < G_N_ELEMENTS (ids); i++)
    if (!reached_widget (reached, child_of (dialog, VIGIL_TYPE_NEW_ANALYSIS_DIALOG, ids[i])))
      g_error ("Tab never reaches %s in New Analysis", ids[i]);

  shortcut = find_shortcut (dialog, "Escape");
  g_assert_nonnull (shortcut);
  g_assert_true (gtk_shortcut_action_activate (gtk_shortcut_get_action (shortcut),
                                               GTK_SHORTCUT_ACTION_EXCLUSIVE, dialog, NULL));
  g_assert_true (vigil_test_wait_for (no_dialog, NULL, 5000));
}

typedef struct
{
  VigilApiClient *client;
  guint64         before;
} SentQuery;

static gboolean
sent_more (gpointer data)
{
  SentQuery *q = data;

  return vigil_api_client_get_request_count (q->client) > q->before;
}

/* F5 asks the server about every watched job now, long before the next
 * poll was due. */
static void
test_refresh (Fixture       *f,
              gconstpointer  data)
{
  g_autoptr(VigilJob) job = NULL;
  SentQuery q = { f->client, 0 };
  GtkShortcut *shortcut;

  /* Polls a long way apart: the next one is not due during the test. */
  g_object_set (f->poller, "time-scale", 1000.0, NULL);
  job = watch_playlist (f, 12);
  g_assert_true (vigil_test_wait_for (sent_more, &q, 20000));
  /* The first poll's requests are all answered: nothing more for a
   * second (a loaded machine may take a few rounds to get there). */
  for (guint round = 0; ; round++)
    {
      q.before = vigil_api_client_get_request_count (f->client);
      vigil_test_spin (1000);
      if (vigil_api_client_get_request_count (f->client) == q.before)
        break;
      g_assert_cmpuint (round, <, 20);
    }

  /* Pressing F5 is the window's shortcut for it; its action runs. */
  shortcut = find_shortcut (GTK_WIDGET (f->window), "F5");
  g_assert_nonnull (shortcut);
  g_assert_true (gtk_shortcut_action_activate (gtk_shortcut_get_action (shortcut),
                                               GTK_SHORTCUT_ACTION_EXCLUSIVE,
                                               GTK_WIDGET (f->window), NULL));
  g_assert_true (vigil_test_wait_for (sent_more, &q, 20000));
}

/* The window fits a 360 px phone: the filter bar becomes a menu, nothing
 * sets a wider minimum. */
static void
test_narrow (Fixture       *f,
             gconstpointer  data)
{
  g_autoptr(VigilJob) job = watch_playlist (f, 12);
  RowQuery q = { f, job };
  GtkWidget *squeezer = child_of (f->window, VIGIL_TYPE_WINDOW, "toolbar_squeezer");
  int min_width, natural_width;

  g_assert_true (vigil_test_wait_for (row_shown, &q, 20000));
  g_assert_true (vigil_test_wait_for (row_reads_eta, &q, 30000));
  g_assert_true (vigil_test_wait_drawn (GTK_WIDGET (f->window), 10000));
  g_assert_true (adw_squeezer_get_visible_child (ADW_SQUEEZER (squeezer)) ==
                 child_of (f->window, VIGIL_TYPE_WINDOW, "wide_toolbar"));

  gtk_widget_measure (GTK_WIDGET (f->window), GTK_ORIENTATION_HORIZONTAL, -1,
                      &min_width, &natural_width, NULL, NULL);
  g_test_message ("window minimum width %d px, natural %d px", min_width, natural_width);
  g_assert_cmpint (min_width, <=, 360);
  /* Not only the window's own width-request: what it holds fits too. */
  gtk_widget_measure (adw_application_window_get_content (ADW_APPLICATION_WINDOW (f->window)),
                      GTK_ORIENTATION_HORIZONTAL, -1, &min_width, &natural_width, NULL, NULL);
  g_test_message ("content minimum width %d px, natural %d px", min_width, natural_width);
  g_assert_cmpint (min_width, <=, 360);

  /* The default size counts the window's frame; the width is what is
   * drawn. */
  gtk_window_set_default_size (GTK_WINDOW (f->window), 360, 640);
  while (gtk_widget_get_width (GTK_WIDGET (f->window)) > 360)
    g_assert_true (vigil_test_wait_drawn (GTK_WIDGET (f->window), 10000));
  gtk_window_set_default_size (GTK_WINDOW (f->window),
                               360 + (360 - gtk_widget_get_width (GTK_WIDGET (f->window))), 640);
  while (gtk_widget_get_width (GTK_WIDGET (f->window)) < 360)
    g_assert_true (vigil_test_wait_drawn (GTK_WIDGET (f->window), 10000));
  g_assert_cmpint (gtk_widget_get_width (GTK_WIDGET (f->window)), ==, 360);
  g_assert_true (adw_squeezer_get_visible_child (ADW_SQUEEZER (squeezer)) ==
                 child_of (f->window, VIGIL_TYPE_WINDOW, "compact_toolbar"));
  /* The compact bar's filter menu and count are on screen. */
  g_assert_true (gtk_widget_get_mapped (child_of (f->window, VIGIL_TYPE_WINDOW, "filter_menu_button")));
  g_assert_cmpstr (gtk_menu_button_get_label (GTK_MENU_BUTTON (child_of (f->window, VIGIL_TYPE_WINDOW,
                                                                         "filter_menu_button"))),
                   ==, "_All");
  g_assert_cmpstr (gtk_label_get_label (GTK_LABEL (child_of (f->window, VIGIL_TYPE_WINDOW,
                                                             "compact_count_label"))), ==, "1 job");
  /* Nothing in the row is cut off: the row is no wider than the window. */
  g_assert_cmpint (gtk_widget_get_width (GTK_WIDGET (find_row (f, job))), <=, 360);

  adw_style_manager_set_color_scheme (adw_style_manager_get_default (), ADW_COLOR_SCHEME_FORCE_LIGHT);
  save_shot (GTK_WIDGET (f->window), "narrow.png");
  adw_style_manager_set_color_scheme (adw_style_manager_get_default (), ADW_COLOR_SCHEME_FORCE_DARK);
  save_shot (GTK_WIDGET (f->window), "narrow-dark.png");
  adw_style_manager_set_color_scheme (adw_style_manager_get_default (), ADW_COLOR_SCHEME_DEFAULT);

  /* A row in trouble (the server stops answering) has more to show, and
   * says it: still no wider than the window, and read with the step. */
  vigil_demo_server_disconnect (f->server);
  g_assert_true (vigil_test_wait_for (row_in_trouble, &q, 30000));
  g_assert_true (vigil_test_wait_drawn (GTK_WIDGET (f->window), 10000));
  gtk_widget_measure (adw_application_window_get_content (ADW_APPLICATION_WINDOW (f->window)),
                      GTK_ORIENTATION_HORIZONTAL, -1, &min_width, &natural_width, NULL, NULL);
  g_test_message ("content minimum width with a row in trouble %d px", min_width);
  g_assert_cmpint (min_width, <=, 360);
  g_assert_cmpint (gtk_widget_get_width (GTK_WIDGET (find_row (f, job))), <=, 360);
  save_shot (GTK_WIDGET (f->window), "narrow-trouble.png");

  /* With several servers the server chooser joins the bar. */
  gtk_widget_set_visible (child_of (f->window, VIGIL_TYPE_WINDOW, "server_dropdown"), TRUE);
  gtk_widget_measure (adw_application_window_get_content (ADW_APPLICATION_WINDOW (f->window)),
                      GTK_ORIENTATION_HORIZONTAL, -1, &min_width, &natural_width, NULL, NULL);
  g_test_message ("content minimum width with the server chooser %d px", min_width);
  g_assert_cmpint (min_width, <=, 360);
  save_shot (GTK_WIDGET (f->window), "narrow-servers.png");
  gtk_widget_set_visible (child_of (f->window, VIGIL_TYPE_WINDOW, "server_dropdown"), FALSE);

  /* The menu's filter is the window's, and the button says which. */
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (f->window), "win.filter", "s", "failed"));
  g_assert_cmpstr (gtk_menu_button_get_label (GTK_MENU_BUTTON (child_of (f->window, VIGIL_TYPE_WINDOW,
                                                                         "filter_menu_button"))),
                   ==, "_Failed");
  g_assert_cmpstr (gtk_label_get_label (GTK_LABEL (child_of (f->window, VIGIL_TYPE_WINDOW,
                                                             "compact_count_label"))), ==, "0 jobs");

  /* Wide again: the full bar comes back. */
  gtk_window_set_default_size (GTK_WINDOW (f->window), 800, 600);
  while (adw_squeezer_get_visible_child (ADW_SQUEEZER (squeezer)) !=
         child_of (f->window, VIGIL_TYPE_WINDOW, "wide_toolbar"))
    g_assert_true (vigil_test_wait_drawn (GTK_WIDGET (f->window), 10000));
}

static gboolean
job_finished (gpointer data)
{
  return vigil_job_get_is_finished (data);
}

/* One job of each look: succeeded, failed, and running with an ETA. */
static void
show_every_state (Fixture   *f,
                  VigilJob **jobs)
{
  RowQuery q;

  g_object_set (f->server, "speed", 200.0, NULL);
  g_object_set (f->poller, "time-scale", 1.0 / 200, NULL);
  {
    g_autofree char *id = vigil_demo_server_add_job (f->server, VIGIL_JOB_KIND_SONG, 42, 1, 20, 0);

    jobs[0] = g_object_ref (vigil_tracker_watch (f->tracker, id, VIGIL_JOB_KIND_SONG, 42));
  }
  g_assert_true (vigil_test_wait_for (job_finished, jobs[0], 30000));
  g_object_set (f->server, "failure-rate", 1.0, NULL);
  {
    g_autofree char *id = vigil_demo_server_add_job (f->server, VIGIL_JOB_KIND_SONG, 77, 1, 20, 0);

    jobs[1] = g_object_ref (vigil_tracker_watch (f->tracker, id, VIGIL_JOB_KIND_SONG, 77));
  }
  g_assert_true (vigil_test_wait_for (job_finished, jobs[1], 30000));
  g_object_set (f->server, "failure-rate", 0.0, "speed", 1.0, NULL);
  g_object_set (f->poller, "time-scale", 1.0, NULL);
  jobs[2] = watch_playlist (f, 12);
  q = (RowQuery) { f, jobs[2] };
  g_assert_true (vigil_test_wait_for (row_reads_eta, &q, 30000));
  gtk_window_set_default_size (GTK_WINDOW (f->window), 640, 560);
}

/* Dark: every state of a row, as a screenshot to look at. */
static void
test_dark (Fixture       *f,
           gconstpointer  data)
{
  VigilJob *jobs[3] = { NULL, };

  show_every_state (f, jobs);
  adw_style_manager_set_color_scheme (adw_style_manager_get_default (), ADW_COLOR_SCHEME_FORCE_DARK);
  save_shot (GTK_WIDGET (f->window), "dark.png");
  adw_style_manager_set_color_scheme (adw_style_manager_get_default (), ADW_COLOR_SCHEME_DEFAULT);
  for (guint i = 0; i < G_N_ELEMENTS (jobs); i++)
    g_clear_object (&jobs[i]);
}

/* In high contrast (libadwaita's debug switch, read at start: a child
 * process), every state of a row, as a screenshot to look at. */
static void
test_high_contrast (Fixture       *f,
                    gconstpointer  data)
{
  VigilJob *jobs[3] = { NULL, };

  if (!g_test_subprocess ())
    {
      g_setenv ("ADW_DEBUG_HIGH_CONTRAST", "1", TRUE);
      g_test_trap_subprocess (NULL, 120 * G_USEC_PER_SEC, G_TEST_SUBPROCESS_INHERIT_STDERR);
      g_unsetenv ("ADW_DEBUG_HIGH_CONTRAST");
      g_test_trap_assert_passed ();
      return;
    }

  g_assert_true (adw_style_manager_get_high_contrast (adw_style_manager_get_default ()));
  show_every_state (f, jobs);
  save_shot (GTK_WIDGET (f->window), "high-contrast.png");
  for (guint i = 0; i < G_N_ELEMENTS (jobs); i++)
    g_clear_object (&jobs[i]);
}

int
main (int argc, char *argv[])
{
  int ret;

  VIGIL_TEST_REQUIRE_DISPLAY ();
  /* The test accessibility backend records what a screen reader would get. */
  g_setenv ("GTK_A11Y", "test", TRUE);
  gtk_test_init (&argc, &argv, NULL);
  adw_init ();

  app_server = g_object_new (VIGIL_TYPE_DEMO_SERVER, NULL);
  g_assert_true (vigil_demo_server_listen (app_server, NULL, 0, NULL));
  app = vigil_application_new (APP_ID ".A11yTest", G_APPLICATION_NON_UNIQUE);
  {
    g_autofree char *url = vigil_demo_server_get_url (app_server);

    g_settings_set_string (vigil_application_get_settings (app), "server-url", url);
  }
  g_application_register (G_APPLICATION (app), NULL, NULL);
  g_application_hold (G_APPLICATION (app));
  /* The app's own window (Preferences edit its servers); each test opens
   * another one on its own demo server. */
  g_application_activate (G_APPLICATION (app));

#define ADD(path, func) \
  g_test_add ("/vigil/a11y/" path, Fixture, NULL, fixture_setup, func, fixture_teardown)
  ADD ("preferences-buttons", test_preferences_buttons);
  ADD ("icon-buttons", test_icon_buttons);
  ADD ("row-descriptions", test_row_descriptions);
  ADD ("shortcuts-window", test_shortcuts_window);
  ADD ("focus-chain", test_focus_chain);
  ADD ("dialog-keyboard", test_dialog_keyboard);
  ADD ("refresh", test_refresh);
  ADD ("narrow", test_narrow);
  ADD ("dark", test_dark);
  ADD ("high-contrast", test_high_contrast);
#undef ADD

  ret = g_test_run ();

  g_application_release (G_APPLICATION (app));
  g_clear_object (&app);
  g_clear_object (&second_server);
  g_clear_object (&app_server);
  return ret;
}
