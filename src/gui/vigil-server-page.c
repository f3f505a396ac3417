/* vigil-server-page.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <glib/gi18n.h>

#include "vigil-window.h"

#include "vigil-server-page.h"

struct _VigilServerPage
{
  GtkWidget   parent_instance;

  VigilServerMonitors *set;
  GPtrArray  *monitors;       /* VigilServerMonitor (the set's), in the trackers' order */
  GPtrArray  *sections;       /* VigilServerSection, the same order */
  GPtrArray  *load_errors;    /* char*: said once the page is shown */
  gboolean    active;

  /* Template widgets */
  GtkWidget  *scrolled;
  GtkBox     *sections_box;
};

G_DEFINE_FINAL_TYPE (VigilServerPage, vigil_server_page, GTK_TYPE_WIDGET)

/* ------------------------------------------------------------------ */
/* One section per server, over the set's monitor                      */
/* ------------------------------------------------------------------ */

static void
add_server (VigilServerPage *self,
            VigilTracker    *tracker,
            gboolean         several)
{
  VigilServerMonitor *monitor = vigil_server_monitors_get (self->set, tracker);
  GtkWidget *section;

  g_assert (monitor != NULL);
  g_ptr_array_add (self->monitors, g_object_ref (monitor));

  section = vigil_server_section_new (monitor);
  /* With several servers each section says which (and follows renames). */
  if (several)
    g_object_bind_property (tracker, "server-name", section, "title", G_BINDING_SYNC_CREATE);
  g_ptr_array_add (self->sections, section);
  gtk_box_append (self->sections_box, section);
  vigil_server_monitor_set_active (monitor, self->active);
}

/* The monitor is the set's: this page only stops showing it (one with
 * auto-watch goes on polling, slower). */
static void
release_monitor (gpointer data)
{
  VigilServerMonitor *monitor = data;

  vigil_server_monitor_set_active (monitor, FALSE);
  g_object_unref (monitor);
}

static void
clear_servers (VigilServerPage *self)
{
  for (guint i = 0; i < self->sections->len; i++)
    gtk_box_remove (self->sections_box, g_ptr_array_index (self->sections, i));
  g_ptr_array_set_size (self->sections, 0);
  g_ptr_array_set_size (self->monitors, 0);
}

static void
rebuild (VigilServerPage *self)
{
  GListModel *trackers = self->set != NULL ? vigil_server_monitors_get_trackers (self->set) : NULL;
  guint n = trackers != NULL ? g_list_model_get_n_items (trackers) : 0;
  g_autoptr(GPtrArray) errors = NULL;

  clear_servers (self);
  for (guint i = 0; i < n; i++)
    {
      g_autoptr(VigilTracker) tracker = g_list_model_get_item (trackers, i);
      add_server (self, tracker, n > 1);
    }
  if (self->set != NULL)
    {
      errors = vigil_server_monitors_take_load_errors (self->set);
      g_ptr_array_extend_and_steal (self->load_errors, g_steal_pointer (&errors));
    }
}

/* ------------------------------------------------------------------ */
/* Polling only while shown                                            */
/* ------------------------------------------------------------------ */

static void
set_active (VigilServerPage *self,
            gboolean         active)
{
  if (self->active == active)
    return;
  self->active = active;
  g_debug ("Server page %s", active ? "shown: monitors polling" : "hidden: monitors idle");
  for (guint i = 0; i < self->monitors->len; i++)
    vigil_server_monitor_set_active (g_ptr_array_index (self->monitors, i), active);
}

static void
say_load_errors (VigilServerPage *self)
{
  GtkRoot *root = gtk_widget_get_root (GTK_WIDGET (self));

  if (!VIGIL_IS_WINDOW (root))
    return;
  for (guint i = 0; i < self->load_errors->len; i++)
    vigil_window_add_toast (VIGIL_WINDOW (root), g_ptr_array_index (self->load_errors, i));
  g_ptr_array_set_size (self->load_errors, 0);
}

static void
vigil_server_page_map (GtkWidget *widget)
{
  VigilServerPage *self = VIGIL_SERVER_PAGE (widget);

  GTK_WIDGET_CLASS (vigil_server_page_parent_class)->map (widget);
  set_active (self, TRUE);
  say_load_errors (self);
}

static void
vigil_server_page_unmap (GtkWidget *widget)
{
  set_active (VIGIL_SERVER_PAGE (widget), FALSE);
  GTK_WIDGET_CLASS (vigil_server_page_parent_class)->unmap (widget);
}

/* ------------------------------------------------------------------ */
/* GObject overrides                                                   */
/* ------------------------------------------------------------------ */

static void
vigil_server_page_dispose (GObject *object)
{
  VigilServerPage *self = VIGIL_SERVER_PAGE (object);

  if (self->set != NULL)
    g_signal_handlers_disconnect_by_data (vigil_server_monitors_get_trackers (self->set), self);
  g_clear_pointer (&self->sections, g_ptr_array_unref);
  g_clear_pointer (&self->monitors, g_ptr_array_unref);
  gtk_widget_dispose_template (GTK_WIDGET (self), VIGIL_TYPE_SERVER_PAGE);
  g_clear_object (&self->set);

  G_OBJECT_CLASS (vigil_server_page_parent_class)->dispose (object);
}

static void
vigil_server_page_finalize (GObject *object)
{
  VigilServerPage *self = VIGIL_SERVER_PAGE (object);

  g_ptr_array_unref (self->load_errors);

  G_OBJECT_CLASS (vigil_server_page_parent_class)->finalize (object);
}

static void
vigil_server_page_class_init (VigilServerPageClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = vigil_server_page_dispose;
  object_class->finalize = vigil_server_page_finalize;
  widget_class->map = vigil_server_page_map;
  widget_class->unmap = vigil_server_page_unmap;

  gtk_widget_class_set_template_from_resource (widget_class,
                                               "/io/github/vigil/Vigil/vigil-server-page.ui");
  gtk_widget_class_set_layout_manager_type (widget_class, GTK_TYPE_BIN_LAYOUT);
  gtk_widget_class_bind_template_child (widget_class, VigilServerPage, scrolled);
  gtk_widget_class_bind_template_child (widget_class, VigilServerPage, sections_box);
}

static void
vigil_server_page_init (VigilServerPage *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));
  self->monitors = g_ptr_array_new_with_free_func (release_monitor);
  self->sections = g_ptr_array_new ();
  self->load_errors = g_ptr_array_new_with_free_func (g_free);
}

/* ------------------------------------------------------------------ */
/* Public API                                                          */
/* ------------------------------------------------------------------ */

void
vigil_server_page_setup (VigilServerPage     *self,
                         VigilServerMonitors *monitors)
{
  g_return_if_fail (VIGIL_IS_SERVER_PAGE (self));
  g_return_if_fail (VIGIL_IS_SERVER_MONITORS (monitors));
  g_return_if_fail (self->set == NULL);

  self->set = g_object_ref (monitors);
  g_signal_connect_swapped (vigil_server_monitors_get_trackers (monitors), "items-changed",
                            G_CALLBACK (rebuild), self);
  rebuild (self);
}

gboolean
vigil_server_page_get_active (VigilServerPage *self)
{
  g_return_val_if_fail (VIGIL_IS_SERVER_PAGE (self), FALSE);

  return self->active;
}

guint
vigil_server_page_get_n_servers (VigilServerPage *self)
{
  g_return_val_if_fail (VIGIL_IS_SERVER_PAGE (self), 0);

  return self->monitors->len;
}

VigilServerSection *
vigil_server_page_get_section (VigilServerPage *self,
                               guint            position)
{
  g_return_val_if_fail (VIGIL_IS_SERVER_PAGE (self), NULL);
  g_return_val_if_fail (position < self->sections->len, NULL);

  return g_ptr_array_index (self->sections, position);
}

VigilServerMonitor *
vigil_server_page_get_monitor (VigilServerPage *self,
                               guint            position)
{
  g_return_val_if_fail (VIGIL_IS_SERVER_PAGE (self), NULL);
  g_return_val_if_fail (position < self->monitors->len, NULL);

  return g_ptr_array_index (self->monitors, position);
}
