/* vigil-test-gui.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include <string.h>

#include "vigil-test-gui.h"
#include "vigil-test-timeout.h"

static gboolean
flag_true (gpointer data)
{
  *(gboolean *) data = TRUE;
  return G_SOURCE_REMOVE;
}

gboolean
vigil_test_wait_for (VigilTestCond cond,
                     gpointer      data,
                     guint         timeout_ms)
{
  gboolean timed_out = FALSE;
  guint id = g_timeout_add (vigil_test_limit_ms (timeout_ms), flag_true, &timed_out);

  while (!cond (data) && !timed_out)
    g_main_context_iteration (NULL, TRUE);

  if (!timed_out)
    g_source_remove (id);

  return cond (data);
}

void
vigil_test_spin (guint ms)
{
  gboolean done = FALSE;

  g_timeout_add (ms, flag_true, &done);
  while (!done)
    g_main_context_iteration (NULL, TRUE);
}

static gboolean
count_tick (GtkWidget     *widget,
            GdkFrameClock *clock,
            gpointer       data)
{
  (*(guint *) data)++;
  return G_SOURCE_CONTINUE;
}

static gboolean
two_ticks (gpointer data)
{
  return *(guint *) data >= 2;
}

static gboolean
is_allocated (gpointer data)
{
  GtkWidget *widget = data;

  return gtk_widget_get_mapped (widget) &&
         gtk_widget_get_width (widget) > 0 && gtk_widget_get_height (widget) > 0;
}

gboolean
vigil_test_wait_drawn (GtkWidget *widget,
                       guint      timeout_ms)
{
  guint ticks = 0;
  guint id;
  gboolean drawn;

  if (!vigil_test_wait_for (is_allocated, widget, timeout_ms))
    return FALSE;

  /* A whole frame after the one in progress: styles and layout are done. */
  id = gtk_widget_add_tick_callback (widget, count_tick, &ticks, NULL);
  drawn = vigil_test_wait_for (two_ticks, &ticks, timeout_ms);
  gtk_widget_remove_tick_callback (widget, id);
  return drawn && is_allocated (widget);
}

static void
collect (GtkWidget *widget,
         GType      type,
         GPtrArray *out)
{
  if (G_TYPE_CHECK_INSTANCE_TYPE (widget, type))
    g_ptr_array_add (out, widget);

  for (GtkWidget *child = gtk_widget_get_first_child (widget);
       child != NULL;
       child = gtk_widget_get_next_sibling (child))
    collect (child, type, out);
}

GPtrArray *
vigil_test_find_all (GtkWidget *root,
                     GType      type)
{
  GPtrArray *out = g_ptr_array_new ();

  collect (root, type, out);
  return out;
}

GtkLabel *
vigil_test_find_label (GtkWidget  *root,
                       const char *needle)
{
  g_autoptr(GPtrArray) labels = vigil_test_find_all (root, GTK_TYPE_LABEL);

  for (guint i = 0; i < labels->len; i++)
    {
      GtkLabel *label = g_ptr_array_index (labels, i);

      if (gtk_widget_is_visible (GTK_WIDGET (label)) &&
          strstr (gtk_label_get_label (label), needle) != NULL)
        return label;
    }
  return NULL;
}

gboolean
vigil_test_save_png (GtkWidget  *widget,
                     const char *path)
{
  g_autoptr(GdkPaintable) paintable = gtk_widget_paintable_new (widget);
  g_autoptr(GtkSnapshot) snapshot = gtk_snapshot_new ();
  g_autoptr(GskRenderNode) node = NULL;
  g_autoptr(GdkTexture) texture = NULL;
  GskRenderer *renderer = gtk_native_get_renderer (gtk_widget_get_native (widget));
  int width = gtk_widget_get_width (widget);
  int height = gtk_widget_get_height (widget);

  if (renderer == NULL || width <= 0 || height <= 0)
    return FALSE;

  gdk_paintable_snapshot (paintable, GDK_SNAPSHOT (snapshot), width, height);
  node = gtk_snapshot_free_to_node (g_steal_pointer (&snapshot));
  if (node == NULL)
    return FALSE;
  texture = gsk_renderer_render_texture (renderer, node, &GRAPHENE_RECT_INIT (0, 0, width, height));
  return gdk_texture_save_to_png (texture, path);
}
