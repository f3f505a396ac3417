/* test-tray.c — the tray icon as a tray host sees it over D-Bus: no
 * watcher is no error and no warning; a fake StatusNotifierWatcher
 * (tests/vigil-fake-sni-watcher.c, on its own connection) gets the item
 * registered, reads its properties, follows its status (Passive → Active
 * → NeedsAttention → Passive), its menu (jobs with percentages, at most 5,
 * then "and N more"; Show and Quit), Activate, a watcher restart, and how
 * few signals a thousand jobs cost. Renders the menu as a dbusmenu client
 * would, into screenshots/tray-menu.png.
 *
 * One GApplication per process: the cases run in order on one app against
 * one demo server; the Quit case runs in a subprocess of its own.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <adwaita.h>
#include <glib/gstdio.h>
#include <unistd.h>

#include "vigil-application.h"
#include "vigil-demo-server.h"
#include "vigil-window.h"
#include "vigil-fake-sni-watcher.h"
#include "vigil-test-gui.h"
#include "vigil-test-timeout.h"

#define ITEM_PATH "/StatusNotifierItem"
#define ITEM_IFACE "org.kde.StatusNotifierItem"
#define MENU_PATH "/MenuBar"
#define MENU_IFACE "com.canonical.dbusmenu"
#define LIMIT_MS 30000
#define SUBPROCESS_TIMEOUT_US (180 * G_USEC_PER_SEC)
/* The menu's fixed items (vigil-tray-menu.c). */
#define ID_SHOW 1
#define ID_QUIT 4

static VigilApplication *app;
static VigilDemoServer *server;
static VigilFakeSniWatcher *watcher;
static char *item_name;

/* ------------------------------------------------------------------ */
/* Helpers                                                             */
/* ------------------------------------------------------------------ */

static void
start_server (void)
{
  g_autoptr(GError) error = NULL;

  server = g_object_new (VIGIL_TYPE_DEMO_SERVER, "speed", 1.0, "workers", 12, "seed", 3, NULL);
  g_assert_true (vigil_demo_server_listen (server, NULL, 0, &error));
  g_assert_no_error (error);
}

static VigilApplication *
new_app (const char *id)
{
  VigilApplication *a = vigil_application_new (id, G_APPLICATION_NON_UNIQUE);
  g_autofree char *url = vigil_demo_server_get_url (server);

  g_settings_set_string (vigil_application_get_settings (a), "server-url", url);
  return a;
}

static GtkWidget *
main_window (void)
{
  for (GList *w = gtk_application_get_windows (GTK_APPLICATION (app)); w != NULL; w = w->next)
    if (VIGIL_IS_WINDOW (w->data))
      return w->data;
  return NULL;
}

static gboolean
window_visible (gpointer data)
{
  GtkWidget *window = main_window ();

  return window != NULL && gtk_widget_get_visible (window) == GPOINTER_TO_INT (data);
}

static gboolean
name_has_owner (const char *name)
{
  g_autoptr(GVariant) reply = NULL;
  g_autoptr(GError) error = NULL;
  gboolean owned = FALSE;

  reply = vigil_fake_sni_watcher_call_name (watcher, "org.freedesktop.DBus", "/org/freedesktop/DBus",
                                            "org.freedesktop.DBus", "NameHasOwner",
                                            g_variant_new ("(s)", name), &error);
  g_assert_no_error (error);
  g_variant_get (reply, "(b)", &owned);
  return owned;
}

static gboolean
item_on_bus (gpointer data)
{
  return name_has_owner (item_name);
}

/* The watcher has the item, and the item has answered its GetAll. */
static gboolean
registered (gpointer data)
{
  guint *at_least = data;

  return vigil_fake_sni_watcher_get_n_registrations (watcher) >= *at_least
         && g_strcmp0 (vigil_fake_sni_watcher_get_item (watcher), item_name) == 0
         && vigil_fake_sni_watcher_get_item_properties (watcher) != NULL;
}

static void
wait_registered (guint n)
{
  g_assert_true (vigil_test_wait_for (registered, &n, LIMIT_MS));
}

static char *
item_string (const char *property)
{
  g_autoptr(GVariant) value = vigil_fake_sni_watcher_get_property (watcher, ITEM_PATH, ITEM_IFACE,
                                                                   property);

  g_assert_nonnull (value);
  return g_variant_dup_string (value, NULL);
}

static gboolean
status_is (gpointer data)
{
  g_autofree char *status = item_string ("Status");

  return g_strcmp0 (status, data) == 0;
}

static void
wait_status (const char *status)
{
  if (!vigil_test_wait_for (status_is, (gpointer) status, LIMIT_MS))
    {
      g_autofree char *now = item_string ("Status");

      g_assert_cmpstr (now, ==, status);
    }
}

/* The tooltip's text (its fourth member). */
static char *
tooltip_text (void)
{
  g_autoptr(GVariant) value = vigil_fake_sni_watcher_get_property (watcher, ITEM_PATH, ITEM_IFACE,
                                                                   "ToolTip");
  char *text = NULL;

  g_assert_nonnull (value);
  g_assert_cmpstr (g_variant_get_type_string (value), ==, "(sa(iiay)ss)");
  g_variant_get_child (value, 3, "s", &text);
  return text;
}

static GVariant *
get_layout (guint *revision)
{
  g_autoptr(GVariant) reply = NULL;
  g_autoptr(GError) error = NULL;
  const char *names[] = { NULL };
  GVariant *layout = NULL;

  reply = vigil_fake_sni_watcher_call (watcher, MENU_PATH, MENU_IFACE, "GetLayout",
                                       g_variant_new ("(ii^as)", 0, -1, names), &error);
  g_assert_no_error (error);
  g_variant_get (reply, "(u@(ia{sv}av))", revision, &layout);
  return layout;
}

/* The labels of the menu's items, separators as "---", disabled items in
 * brackets: "Show Vigil|---|Song 7 · 45%|[and 2 more]|---|Quit". */
static char *
layout_text (GVariant *layout)
{
  g_autoptr(GVariant) children = g_variant_get_child_value (layout, 2);
  g_autoptr(GString) text = g_string_new (NULL);

  for (gsize i = 0; i < g_variant_n_children (children); i++)
    {
      g_autoptr(GVariant) boxed = g_variant_get_child_value (children, i);
      g_autoptr(GVariant) child = g_variant_get_variant (boxed);
      g_autoptr(GVariant) props = g_variant_get_child_value (child, 1);
      const char *label = NULL, *type = NULL;
      gboolean enabled = TRUE;

      g_variant_lookup (props, "label", "&s", &label);
      g_variant_lookup (props, "type", "&s", &type);
      g_variant_lookup (props, "enabled", "b", &enabled);
      if (i > 0)
        g_string_append_c (text, '|');
      if (g_strcmp0 (type, "separator") == 0)
        g_string_append (text, "---");
      else if (enabled)
        g_string_append (text, label);
      else
        g_string_append_printf (text, "[%s]", label);
    }
  return g_string_free (g_steal_pointer (&text), FALSE);
}

static char *
menu_text (void)
{
  guint revision;
  g_autoptr(GVariant) layout = get_layout (&revision);

  return layout_text (layout);
}

static void
send_event (int         id,
            const char *event)
{
  g_autoptr(GVariant) reply = NULL;
  g_autoptr(GError) error = NULL;

  reply = vigil_fake_sni_watcher_call (watcher, MENU_PATH, MENU_IFACE, "Event",
                                       g_variant_new ("(isvu)", id, event, g_variant_new_int32 (0), 0),
                                       &error);
  g_assert_no_error (error);
}

static void
item_call (const char *method)
{
  g_autoptr(GVariant) reply = NULL;
  g_autoptr(GError) error = NULL;

  reply = vigil_fake_sni_watcher_call (watcher, ITEM_PATH, ITEM_IFACE, method,
                                       g_variant_new ("(ii)", 0, 0), &error);
  g_assert_no_error (error);
}

/* A demo job, watched by the app; phase: how much of it is done already. */
static VigilJob *
watch_job_at (VigilJobKind kind,
              gint64       target,
              int          n_items,
              double       item_seconds,
              double       phase)
{
  g_autofree char *id = vigil_demo_server_add_job (server, kind, target, n_items, item_seconds, phase);
  VigilTracker *tracker = vigil_application_get_tracker (app);

  vigil_tracker_watch (tracker, id, kind, target);
  for (guint i = 0; i < g_list_model_get_n_items (vigil_tracker_get_jobs (tracker)); i++)
    {
      g_autoptr(VigilJob) job = g_list_model_get_item (vigil_tracker_get_jobs (tracker), i);

      if (g_str_equal (vigil_job_get_job_id (job), id))
        return job;
    }
  g_assert_not_reached ();
}

static VigilJob *
watch_job (VigilJobKind kind,
           gint64       target,
           int          n_items,
           double       item_seconds)
{
  return watch_job_at (kind, target, n_items, item_seconds, 0);
}

static gboolean
job_finished (gpointer data)
{
  return vigil_job_get_is_finished (data);
}

/* ------------------------------------------------------------------ */
/* Quit (in a subprocess: it ends the application's run)                */
/* ------------------------------------------------------------------ */

static gboolean
quit_tick (gpointer data)
{
  guint *ticks = data;

  if (watcher != NULL && vigil_fake_sni_watcher_get_item_properties (watcher) != NULL)
    {
      g_print ("registered=%s\n", vigil_fake_sni_watcher_get_item (watcher));
      send_event (ID_QUIT, "clicked");
      return G_SOURCE_REMOVE;
    }
  if (++*ticks > vigil_test_limit_ms (LIMIT_MS) / 50)
    {
      g_print ("never registered\n");
      g_application_quit (G_APPLICATION (app));
      return G_SOURCE_REMOVE;
    }
  return G_SOURCE_CONTINUE;
}

/* Quit in the menu ends the application's run. The item's usual name is
 * taken (as a sandbox would refuse it): it registers its unique name. */
static void
test_quit (void)
{
  if (g_test_subprocess ())
    {
      g_autoptr(GError) error = NULL;
      char *argv[] = { (char *) "vigil", NULL };
      guint ticks = 0;
      guint taken;
      int status;

      start_server ();
      watcher = vigil_fake_sni_watcher_new (&error);
      g_assert_no_error (error);
      item_name = g_strdup_printf ("org.kde.StatusNotifierItem-%d-1", (int) getpid ());
      taken = g_bus_own_name_on_connection (vigil_fake_sni_watcher_get_connection (watcher),
                                            item_name, G_BUS_NAME_OWNER_FLAGS_NONE,
                                            NULL, NULL, NULL, NULL);
      g_assert_true (vigil_test_wait_for (item_on_bus, NULL, LIMIT_MS));
      vigil_fake_sni_watcher_start (watcher);
      app = new_app (APP_ID ".TrayQuitTest");
      g_timeout_add (50, quit_tick, &ticks);
      status = g_application_run (G_APPLICATION (app), 1, argv);
      g_print ("run returned %d\n", status);
      g_bus_unown_name (taken);
      g_clear_object (&app);
      g_clear_object (&watcher);
      g_clear_object (&server);
      return;
    }

  g_test_trap_subprocess (NULL, SUBPROCESS_TIMEOUT_US, G_TEST_SUBPROCESS_INHERIT_STDERR);
  g_test_trap_assert_passed ();
  g_test_trap_assert_stdout ("*registered=:1.*\nrun returned 0\n*");
}

/* ------------------------------------------------------------------ */
/* No watcher, then registration                                       */
/* ------------------------------------------------------------------ */

/* Stock GNOME: nobody to register with. The item is there, quiet: any
 * warning would abort this test (G_DEBUG=fatal-warnings). */
static void
test_no_watcher (void)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *menu = NULL;

  start_server ();
  watcher = vigil_fake_sni_watcher_new (&error);
  g_assert_no_error (error);
  item_name = g_strdup_printf ("org.kde.StatusNotifierItem-%d-1", (int) getpid ());

  app = new_app (APP_ID ".TrayTest");
  g_assert_true (g_application_register (G_APPLICATION (app), NULL, &error));
  g_assert_no_error (error);
  g_application_activate (G_APPLICATION (app));
  g_assert_true (vigil_test_wait_for (window_visible, GINT_TO_POINTER (TRUE), LIMIT_MS));
  g_assert_true (vigil_test_wait_for (item_on_bus, NULL, LIMIT_MS));
  g_assert_false (name_has_owner ("org.kde.StatusNotifierWatcher"));
  g_assert_cmpuint (vigil_fake_sni_watcher_get_n_registrations (watcher), ==, 0);
}

static void
test_register (void)
{
  vigil_fake_sni_watcher_start (watcher);
  wait_registered (1);
  g_assert_cmpuint (vigil_fake_sni_watcher_get_n_registrations (watcher), ==, 1);
}

static void
test_properties (void)
{
  GVariant *props = vigil_fake_sni_watcher_get_item_properties (watcher);
  g_autoptr(GVariant) tooltip = NULL;
  const char *icon, *pixmaps_type, *title, *text;
  g_autoptr(GVariant) pixmaps = NULL;
  const char *s = NULL;
  gboolean is_menu = TRUE;

  /* What the watcher read at registration (GetAll). */
  g_assert_true (g_variant_lookup (props, "Title", "&s", &s));
  g_assert_cmpstr (s, ==, "Vigil");
  g_assert_true (g_variant_lookup (props, "Status", "&s", &s));
  g_assert_cmpstr (s, ==, "Passive");
  g_assert_true (g_variant_lookup (props, "IconName", "&s", &s));
  g_assert_cmpstr (s, ==, APP_ID "-symbolic");
  g_assert_true (g_variant_lookup (props, "Id", "&s", &s));
  g_assert_cmpstr (s, ==, APP_ID);
  g_assert_true (g_variant_lookup (props, "Category", "&s", &s));
  g_assert_cmpstr (s, ==, "ApplicationStatus");
  g_assert_true (g_variant_lookup (props, "Menu", "&o", &s));
  g_assert_cmpstr (s, ==, MENU_PATH);
  g_assert_true (g_variant_lookup (props, "ItemIsMenu", "b", &is_menu));
  g_assert_false (is_menu);

  tooltip = g_variant_lookup_value (props, "ToolTip", G_VARIANT_TYPE ("(sa(iiay)ss)"));
  g_assert_nonnull (tooltip);
  g_variant_get (tooltip, "(&s@a(iiay)&s&s)", &icon, &pixmaps, &title, &text);
  pixmaps_type = g_variant_get_type_string (pixmaps);
  g_assert_cmpstr (pixmaps_type, ==, "a(iiay)");
  g_assert_cmpstr (icon, ==, APP_ID "-symbolic");
  g_assert_cmpstr (title, ==, "Vigil");
  g_assert_cmpstr (text, ==, "No analyses running");

  /* The same one by one (Properties.Get), as hosts do after a signal. */
  {
    g_autofree char *title_now = item_string ("Title");
    g_autofree char *icon_now = item_string ("IconName");

    g_assert_cmpstr (title_now, ==, "Vigil");
    g_assert_cmpstr (icon_now, ==, APP_ID "-symbolic");
  }
}

/* ------------------------------------------------------------------ */
/* Status                                                              */
/* ------------------------------------------------------------------ */

static void
test_status (void)
{
  g_autoptr(VigilJob) job = NULL;
  g_autoptr(VigilJob) failing = NULL;
  g_autoptr(VigilJob) unknown = NULL;
  guint new_status = vigil_fake_sni_watcher_count_signals (watcher, "NewStatus");
  guint new_tooltip = vigil_fake_sni_watcher_count_signals (watcher, "NewToolTip");
  g_autofree char *tooltip = NULL;

  wait_status ("Passive");
  job = watch_job (VIGIL_JOB_KIND_SONG, 7, 1, 3.0);
  wait_status ("Active");
  tooltip = tooltip_text ();
  g_assert_cmpstr (tooltip, ==, "1 analysis running");
  g_assert_true (vigil_test_wait_for (job_finished, job, LIMIT_MS));
  wait_status ("Passive");
  g_assert_cmpint (vigil_job_get_server_state (job), ==, VIGIL_SERVER_STATE_SUCCEEDED);

  /* A failure while the window is hidden needs attention… */
  vigil_application_toggle_window (app);
  g_assert_true (vigil_test_wait_for (window_visible, GINT_TO_POINTER (FALSE), LIMIT_MS));
  g_object_set (server, "failure-rate", 1.0, NULL);
  failing = watch_job (VIGIL_JOB_KIND_PLAYLIST, 4, 1, 1.0);
  g_object_set (server, "failure-rate", 0.0, NULL);
  g_assert_true (vigil_test_wait_for (job_finished, failing, LIMIT_MS));
  g_assert_cmpint (vigil_job_get_server_state (failing), ==, VIGIL_SERVER_STATE_FAILED);
  wait_status ("NeedsAttention");
  g_clear_pointer (&tooltip, g_free);
  tooltip = tooltip_text ();
  g_assert_cmpstr (tooltip, ==, "No analyses running, 1 failed");

  /* …until the window is shown. */
  vigil_application_show_window (app);
  wait_status ("Passive");

  /* A job the server never knew needs attention too (it is not counted
   * as failed). */
  vigil_application_toggle_window (app);
  g_assert_true (vigil_test_wait_for (window_visible, GINT_TO_POINTER (FALSE), LIMIT_MS));
  unknown = vigil_tracker_watch (vigil_application_get_tracker (app), "no-such-job",
                                 VIGIL_JOB_KIND_SONG, 1);
  g_object_ref (unknown);
  g_assert_true (vigil_test_wait_for (job_finished, unknown, LIMIT_MS));
  g_assert_cmpint (vigil_job_get_server_state (unknown), ==, VIGIL_SERVER_STATE_NOT_FOUND);
  wait_status ("NeedsAttention");
  g_clear_pointer (&tooltip, g_free);
  tooltip = tooltip_text ();
  g_assert_cmpstr (tooltip, ==, "No analyses running, 1 failed");
  vigil_application_show_window (app);
  wait_status ("Passive");

  g_assert_cmpuint (vigil_fake_sni_watcher_count_signals (watcher, "NewStatus"), >=, new_status + 4);
  g_assert_cmpuint (vigil_fake_sni_watcher_count_signals (watcher, "NewToolTip"), >, new_tooltip);
}

/* ------------------------------------------------------------------ */
/* The menu                                                            */
/* ------------------------------------------------------------------ */

static gboolean
menu_matches (gpointer data)
{
  g_autofree char *text = menu_text ();

  return g_pattern_match_simple (data, text);
}

static void
test_menu (void)
{
  g_autofree char *text = NULL;
  g_auto(GStrv) items = NULL;
  const char *pattern = "Show Vigil|---|*%|*%|*%|*%|*%|[and 2 more]|---|Quit";

  text = menu_text ();
  g_assert_cmpstr (text, ==, "Show Vigil|---|[No analyses running]|---|Quit");

  /* Seven long jobs: five lines with their percentages, then the rest. */
  for (int i = 0; i < 7; i++)
    {
      g_autoptr(VigilJob) job = watch_job_at (i % 2 == 0 ? VIGIL_JOB_KIND_PLAYLIST : VIGIL_JOB_KIND_BACKGROUND,
                                              i + 1, 100, 6.0, 0.85 - 0.12 * i);
    }
  if (!vigil_test_wait_for (menu_matches, (gpointer) pattern, LIMIT_MS))
    {
      g_clear_pointer (&text, g_free);
      text = menu_text ();
      g_assert_cmpstr (text, ==, pattern);
    }
  g_clear_pointer (&text, g_free);
  text = menu_text ();
  g_test_message ("menu: %s", text);
  items = g_strsplit (text, "|", -1);
  for (guint i = 2; i < 7; i++)
    g_assert_true (g_regex_match_simple ("^.+ · [0-9]{1,3}%$", items[i], 0, 0));
  wait_status ("Active");
  g_clear_pointer (&text, g_free);
  text = tooltip_text ();
  g_assert_cmpstr (text, ==, "7 analyses running, 1 failed");
  g_assert_cmpuint (vigil_fake_sni_watcher_count_signals (watcher, "LayoutUpdated"), >, 0);

  /* Show Vigil shows the hidden window. */
  vigil_application_toggle_window (app);
  g_assert_true (vigil_test_wait_for (window_visible, GINT_TO_POINTER (FALSE), LIMIT_MS));
  send_event (ID_SHOW, "clicked");
  g_assert_true (vigil_test_wait_for (window_visible, GINT_TO_POINTER (TRUE), LIMIT_MS));

  /* Hovering is no click; an unknown item is an error, not a crash. */
  send_event (ID_QUIT, "hovered");
  {
    g_autoptr(GVariant) reply = NULL;
    g_autoptr(GError) error = NULL;

    reply = vigil_fake_sni_watcher_call (watcher, MENU_PATH, MENU_IFACE, "Event",
                                         g_variant_new ("(isvu)", 999, "clicked",
                                                        g_variant_new_int32 (0), 0), &error);
    g_assert_error (error, G_DBUS_ERROR, G_DBUS_ERROR_INVALID_ARGS);
  }
  g_assert_true (window_visible (GINT_TO_POINTER (TRUE)));
}

static void
test_activate (void)
{
  item_call ("Activate");
  g_assert_true (vigil_test_wait_for (window_visible, GINT_TO_POINTER (FALSE), LIMIT_MS));
  item_call ("Activate");
  g_assert_true (vigil_test_wait_for (window_visible, GINT_TO_POINTER (TRUE), LIMIT_MS));
}

/* ------------------------------------------------------------------ */
/* A picture: the menu as a dbusmenu client renders it                  */
/* ------------------------------------------------------------------ */

static void
on_click (GSimpleAction *action,
          GVariant      *parameter,
          gpointer       user_data)
{
  send_event (g_variant_get_int32 (parameter), "clicked");
}

/* A GMenu of the layout: separators split sections; disabled items get a
 * disabled action, so GTK shows them insensitive. */
static GMenu *
menu_from_layout (GVariant *layout)
{
  g_autoptr(GVariant) children = g_variant_get_child_value (layout, 2);
  g_autoptr(GMenu) section = g_menu_new ();
  GMenu *menu = g_menu_new ();

  for (gsize i = 0; i < g_variant_n_children (children); i++)
    {
      g_autoptr(GVariant) boxed = g_variant_get_child_value (children, i);
      g_autoptr(GVariant) child = g_variant_get_variant (boxed);
      g_autoptr(GVariant) props = g_variant_get_child_value (child, 1);
      g_autoptr(GMenuItem) item = NULL;
      const char *label = NULL, *type = NULL;
      gboolean enabled = TRUE;
      gint32 id;

      g_variant_get_child (child, 0, "i", &id);
      g_variant_lookup (props, "label", "&s", &label);
      g_variant_lookup (props, "type", "&s", &type);
      g_variant_lookup (props, "enabled", "b", &enabled);
      if (g_strcmp0 (type, "separator") == 0)
        {
          g_menu_append_section (menu, NULL, G_MENU_MODEL (section));
          g_clear_object (&section);
          section = g_menu_new ();
          continue;
        }
      item = g_menu_item_new (label, NULL);
      g_menu_item_set_action_and_target_value (item, enabled ? "tray.click" : "tray.disabled",
                                               g_variant_new_int32 (id));
      g_menu_append_item (section, item);
    }
  g_menu_append_section (menu, NULL, G_MENU_MODEL (section));
  return menu;
}

static void
test_picture (void)
{
  static const GActionEntry entries[] = {
    { "click", on_click, "i" },
    { "disabled", on_click, "i" },
  };
  g_autoptr(GSimpleActionGroup) group = g_simple_action_group_new ();
  g_autoptr(GVariant) layout = NULL;
  g_autoptr(GMenu) menu = NULL;
  g_autofree char *dir = g_build_filename (g_getenv ("G_TEST_BUILDDIR") ?: ".", "screenshots", NULL);
  g_autofree char *path = g_build_filename (dir, "tray-menu.png", NULL);
  GtkWidget *window, *anchor, *popover;
  guint revision;
  GStatBuf st;

  layout = get_layout (&revision);
  menu = menu_from_layout (layout);
  g_action_map_add_action_entries (G_ACTION_MAP (group), entries, G_N_ELEMENTS (entries), NULL);
  g_simple_action_set_enabled (G_SIMPLE_ACTION (g_action_map_lookup_action (G_ACTION_MAP (group),
                                                                            "disabled")), FALSE);

  window = gtk_window_new ();
  gtk_window_set_default_size (GTK_WINDOW (window), 400, 400);
  gtk_widget_insert_action_group (window, "tray", G_ACTION_GROUP (group));
  anchor = gtk_box_new (GTK_ORIENTATION_VERTICAL, 0);
  gtk_widget_set_halign (anchor, GTK_ALIGN_START);
  gtk_widget_set_valign (anchor, GTK_ALIGN_START);
  gtk_widget_set_size_request (anchor, 320, 8);
  gtk_window_set_child (GTK_WINDOW (window), anchor);
  popover = gtk_popover_menu_new_from_model (G_MENU_MODEL (menu));
  gtk_popover_set_has_arrow (GTK_POPOVER (popover), FALSE);
  gtk_popover_set_position (GTK_POPOVER (popover), GTK_POS_BOTTOM);
  gtk_widget_set_parent (popover, anchor);
  gtk_window_present (GTK_WINDOW (window));
  g_assert_true (vigil_test_wait_drawn (anchor, LIMIT_MS));
  gtk_popover_popup (GTK_POPOVER (popover));
  g_assert_true (vigil_test_wait_drawn (popover, LIMIT_MS));

  /* The client shows what the item said, enabled items clickable. */
  g_assert_nonnull (vigil_test_find_label (popover, "Show Vigil"));
  g_assert_nonnull (vigil_test_find_label (popover, "and 2 more"));
  g_assert_nonnull (vigil_test_find_label (popover, "Quit"));

  g_mkdir_with_parents (dir, 0755);
  g_assert_true (vigil_test_save_png (popover, path));
  g_assert_cmpint (g_stat (path, &st), ==, 0);
  g_assert_cmpint (st.st_size, >, 1000);
  g_test_message ("wrote %s", path);

  gtk_popover_popdown (GTK_POPOVER (popover));
  gtk_widget_unparent (popover);
  gtk_window_destroy (GTK_WINDOW (window));
}

/* ------------------------------------------------------------------ */
/* Watcher restarts                                                    */
/* ------------------------------------------------------------------ */

static void
test_watcher_restart (void)
{
  g_autoptr(GError) error = NULL;
  guint n = vigil_fake_sni_watcher_get_n_registrations (watcher);

  /* The watcher drops its name and takes it again. */
  vigil_fake_sni_watcher_stop (watcher);
  g_assert_null (vigil_fake_sni_watcher_get_item (watcher));
  vigil_fake_sni_watcher_start (watcher);
  wait_registered (n + 1);

  /* A new watcher process (a new connection) after the old one quit. */
  g_clear_object (&watcher);
  watcher = vigil_fake_sni_watcher_new (&error);
  g_assert_no_error (error);
  vigil_fake_sni_watcher_start (watcher);
  wait_registered (1);
  wait_status ("Active");
}

/* ------------------------------------------------------------------ */
/* A thousand jobs: few signals                                        */
/* ------------------------------------------------------------------ */

static gboolean
tooltip_is (gpointer data)
{
  g_autofree char *text = tooltip_text ();

  return g_strcmp0 (text, data) == 0;
}

static void
test_many_jobs (void)
{
  const char *members[] = { "LayoutUpdated", "NewToolTip", "NewStatus" };
  guint before[G_N_ELEMENTS (members)];
  g_autofree char *expected = NULL;
  g_autofree char *text = NULL;
  gint64 start_us;
  guint n_running = 0;
  g_autofree char *more = NULL;
  double seconds;

  for (guint i = 0; i < G_N_ELEMENTS (members); i++)
    before[i] = vigil_fake_sni_watcher_count_signals (watcher, members[i]);
  /* The menu's jobs (over a minute left each) and a thousand more, added
   * ten at a time over a second or more: each addition changes the counts. */
  for (guint i = 0; i < g_list_model_get_n_items (vigil_application_get_jobs (app)); i++)
    {
      g_autoptr(VigilJob) job = g_list_model_get_item (vigil_application_get_jobs (app), i);

      n_running += !vigil_job_get_is_finished (job);
    }
  g_assert_cmpuint (n_running, ==, 7);
  start_us = g_get_monotonic_time ();
  for (int i = 0; i < 1000; i++, n_running++)
    {
      g_autoptr(VigilJob) job = watch_job (VIGIL_JOB_KIND_SONG, 100 + i, 1, 600.0);

      if (i % 10 == 9)
        vigil_test_spin (10);
    }
  expected = g_strdup_printf ("%u analyses running, 1 failed", n_running);
  g_assert_true (vigil_test_wait_for (tooltip_is, expected, LIMIT_MS));
  seconds = (g_get_monotonic_time () - start_us) / (double) G_USEC_PER_SEC;

  /* A hundred changes a second reach the bus about once a second. */
  for (guint i = 0; i < G_N_ELEMENTS (members); i++)
    {
      guint n = vigil_fake_sni_watcher_count_signals (watcher, members[i]) - before[i];

      g_test_message ("%s: %u signals for 1000 new jobs in %.1f s", members[i], n, seconds);
      g_assert_cmpuint (n, <=, (guint) seconds + 2);
    }
  text = menu_text ();
  more = g_strdup_printf ("|[and %u more]|---|Quit", n_running - 5);
  g_assert_true (g_str_has_suffix (text, more));
}

int
main (int argc, char *argv[])
{
  g_autofree char *state_dir = g_build_filename (g_get_user_state_dir (), "vigil", NULL);
  g_autoptr(GDir) dir = g_dir_open (state_dir, 0, NULL);
  const char *name;
  int ret;

  VIGIL_TEST_REQUIRE_DISPLAY ();
  /* Nothing watched from an earlier run (a state file per server). */
  while (dir != NULL && (name = g_dir_read_name (dir)) != NULL)
    if (g_str_has_prefix (name, "state") && g_str_has_suffix (name, ".json"))
      {
        g_autofree char *path = g_build_filename (state_dir, name, NULL);

        g_unlink (path);
      }
  gtk_test_init (&argc, &argv, NULL);
  adw_init ();

  g_test_add_func ("/vigil/tray/quit", test_quit);
  g_test_add_func ("/vigil/tray/no-watcher", test_no_watcher);
  g_test_add_func ("/vigil/tray/register", test_register);
  g_test_add_func ("/vigil/tray/properties", test_properties);
  g_test_add_func ("/vigil/tray/status", test_status);
  g_test_add_func ("/vigil/tray/menu", test_menu);
  g_test_add_func ("/vigil/tray/activate", test_activate);
  g_test_add_func ("/vigil/tray/picture", test_picture);
  g_test_add_func ("/vigil/tray/watcher-restart", test_watcher_restart);
  g_test_add_func ("/vigil/tray/many-jobs", test_many_jobs);

  ret = g_test_run ();
  g_clear_object (&app);
  g_clear_object (&watcher);
  g_clear_object (&server);
  g_free (item_name);
  return ret;
}
