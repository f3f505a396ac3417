/* vigil-test-gui.h — helpers shared by the widget tests
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <gtk/gtk.h>

G_BEGIN_DECLS

/* gtk_test_init() aborts without a display: report a TAP skip instead. */
#define VIGIL_TEST_REQUIRE_DISPLAY()                                        \
  G_STMT_START {                                                            \
    if (g_getenv ("DISPLAY") == NULL && g_getenv ("WAYLAND_DISPLAY") == NULL) \
      {                                                                     \
        g_print ("1..0 # SKIP no display\n");                               \
        return 0;                                                           \
      }                                                                     \
  } G_STMT_END

/* Iterate the default main context until cond() is true or timeout_ms
 * passed. Returns whether cond() became true. */
typedef gboolean (*VigilTestCond) (gpointer data);
gboolean vigil_test_wait_for (VigilTestCond cond,
                              gpointer      data,
                              guint         timeout_ms);
/* Iterate the main context for ms milliseconds. */
void     vigil_test_spin     (guint ms);
/* Wait until widget is mapped with a size and a frame has been drawn since
 * (its styles and layout are current), however slow the machine. */
gboolean vigil_test_wait_drawn (GtkWidget *widget,
                                guint      timeout_ms);

/* Every descendant of root (root included) of the given type, in tree
 * order. */
GPtrArray *vigil_test_find_all   (GtkWidget  *root,
                                  GType       type);
/* A visible GtkLabel below root whose text contains needle, or NULL. */
GtkLabel  *vigil_test_find_label (GtkWidget  *root,
                                  const char *needle);
/* Render widget (as it is on screen) into a PNG file. */
gboolean   vigil_test_save_png   (GtkWidget  *widget,
                                  const char *path);

G_END_DECLS
