/* test-window.c — the main window: title, empty state, actions, and the
 * window size round-trip through GSettings (memory backend).
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <adwaita.h>

#include "vigil-application.h"
#include "vigil-window.h"
#include "vigil-test-gui.h"

static VigilApplication *app;

static gboolean
widget_is_mapped (gpointer data)
{
  return gtk_widget_get_mapped (GTK_WIDGET (data));
}

static VigilWindow *
open_window (void)
{
  GtkWindow *window;

  g_application_activate (G_APPLICATION (app));
  window = gtk_application_get_active_window (GTK_APPLICATION (app));
  g_assert_true (VIGIL_IS_WINDOW (window));
  g_assert_true (vigil_test_wait_for (widget_is_mapped, window, 5000));
  return VIGIL_WINDOW (window);
}

static gboolean
no_windows (gpointer data)
{
  return gtk_application_get_windows (GTK_APPLICATION (app)) == NULL;
}

static void
close_window (VigilWindow *window)
{
  gtk_window_close (GTK_WINDOW (window));
  g_assert_true (vigil_test_wait_for (no_windows, NULL, 5000));
}

static GtkWidget *
find_toplevel_of_type (GType type)
{
  GListModel *toplevels = gtk_window_get_toplevels ();  /* transfer none */

  for (guint i = 0; i < g_list_model_get_n_items (toplevels); i++)
    {
      g_autoptr(GtkWidget) w = g_list_model_get_item (toplevels, i);

      if (G_TYPE_CHECK_INSTANCE_TYPE (w, type) && gtk_widget_get_visible (w))
        return w;
    }
  return NULL;
}

static gboolean
about_is_shown (gpointer data)
{
  return find_toplevel_of_type (ADW_TYPE_ABOUT_WINDOW) != NULL;
}

static void
test_window_empty_state (void)
{
  VigilWindow *window = open_window ();
  GtkWidget *stack = NULL;
  GtkWidget *page;

  g_assert_cmpstr (gtk_window_get_title (GTK_WINDOW (window)), ==, "Vigil");

  g_object_get (window, "content", &page, NULL);
  g_assert_nonnull (page);
  g_object_unref (page);

  /* The template's stack shows the empty page, and it is on screen. */
  stack = GTK_WIDGET (gtk_widget_get_template_child (GTK_WIDGET (window),
                                                     VIGIL_TYPE_WINDOW, "stack"));
  g_assert_cmpstr (gtk_stack_get_visible_child_name (GTK_STACK (stack)), ==, "empty");
  page = GTK_WIDGET (gtk_widget_get_template_child (GTK_WIDGET (window),
                                                    VIGIL_TYPE_WINDOW, "empty_page"));
  g_assert_true (ADW_IS_STATUS_PAGE (page));
  g_assert_true (vigil_test_wait_for (widget_is_mapped, page, 2000));
  g_assert_cmpstr (adw_status_page_get_title (ADW_STATUS_PAGE (page)), ==,
                   "No Jobs Being Watched");

  close_window (window);
}

static void
test_window_actions (void)
{
  VigilWindow *window = open_window ();
  GtkWidget *about;
  GtkWindow *overlay;
  g_auto(GStrv) accels = NULL;

  g_assert_true (g_action_group_has_action (G_ACTION_GROUP (app), "about"));
  g_assert_true (g_action_group_has_action (G_ACTION_GROUP (app), "quit"));
  g_assert_true (g_action_group_has_action (G_ACTION_GROUP (window), "show-help-overlay"));

  accels = gtk_application_get_accels_for_action (GTK_APPLICATION (app), "app.quit");
  g_assert_cmpstr (accels[0], ==, "<Control>q");
  g_clear_pointer (&accels, g_strfreev);
  accels = gtk_application_get_accels_for_action (GTK_APPLICATION (app), "window.close");
  g_assert_cmpstr (accels[0], ==, "<Control>w");
  g_clear_pointer (&accels, g_strfreev);
  accels = gtk_application_get_accels_for_action (GTK_APPLICATION (app), "win.show-help-overlay");
  g_assert_cmpstr (accels[0], ==, "<Control>question");

  g_action_group_activate_action (G_ACTION_GROUP (app), "about", NULL);
  g_assert_true (vigil_test_wait_for (about_is_shown, NULL, 5000));
  about = find_toplevel_of_type (ADW_TYPE_ABOUT_WINDOW);
  g_assert_cmpstr (adw_about_window_get_application_name (ADW_ABOUT_WINDOW (about)), ==, "Vigil");
  g_assert_cmpstr (adw_about_window_get_version (ADW_ABOUT_WINDOW (about)), ==, PACKAGE_VERSION);
  g_assert_cmpint (adw_about_window_get_license_type (ADW_ABOUT_WINDOW (about)), ==,
                   GTK_LICENSE_GPL_3_0);
  g_assert_nonnull (strstr (adw_about_window_get_debug_info (ADW_ABOUT_WINDOW (about)),
                            "libsoup"));
  gtk_window_destroy (GTK_WINDOW (about));

  g_action_group_activate_action (G_ACTION_GROUP (window), "show-help-overlay", NULL);
  overlay = GTK_WINDOW (gtk_application_window_get_help_overlay (GTK_APPLICATION_WINDOW (window)));
  g_assert_nonnull (overlay);
  g_assert_true (vigil_test_wait_for (widget_is_mapped, overlay, 5000));
  gtk_window_close (overlay);

  close_window (window);
}

static void
test_window_size_roundtrip (void)
{
  GSettings *settings = vigil_application_get_settings (app);
  VigilWindow *window;
  int width, height;

  g_settings_set_int (settings, "window-width", 700);
  g_settings_set_int (settings, "window-height", 500);
  g_settings_set_boolean (settings, "window-maximized", FALSE);

  window = open_window ();
  gtk_window_get_default_size (GTK_WINDOW (window), &width, &height);
  g_assert_cmpint (width, ==, 700);
  g_assert_cmpint (height, ==, 500);

  gtk_window_set_default_size (GTK_WINDOW (window), 820, 610);
  close_window (window);
  g_assert_cmpint (g_settings_get_int (settings, "window-width"), ==, 820);
  g_assert_cmpint (g_settings_get_int (settings, "window-height"), ==, 610);
  g_assert_false (g_settings_get_boolean (settings, "window-maximized"));

  /* A new window comes back at the saved size. */
  window = open_window ();
  gtk_window_get_default_size (GTK_WINDOW (window), &width, &height);
  g_assert_cmpint (width, ==, 820);
  g_assert_cmpint (height, ==, 610);
  close_window (window);
}

int
main (int argc, char *argv[])
{
  int ret;

  VIGIL_TEST_REQUIRE_DISPLAY ();
  gtk_test_init (&argc, &argv, NULL);
  adw_init ();

  app = vigil_application_new (APP_ID ".Test", G_APPLICATION_NON_UNIQUE);
  g_application_register (G_APPLICATION (app), NULL, NULL);
  /* Keep the application alive between windows. */
  g_application_hold (G_APPLICATION (app));

  g_test_add_func ("/vigil/window/empty-state", test_window_empty_state);
  g_test_add_func ("/vigil/window/actions", test_window_actions);
  g_test_add_func ("/vigil/window/size-roundtrip", test_window_size_roundtrip);

  ret = g_test_run ();

  g_application_release (G_APPLICATION (app));
  g_clear_object (&app);
  return ret;
}
