/* vigil-server-page.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <glib/gi18n.h>

#include "vigil-server-history.h"
#include "vigil-window.h"

#include "vigil-server-page.h"

struct _VigilServerPage
{
  GtkWidget   parent_instance;

  GListModel *trackers;
  GSettings  *settings;       /* nullable */
  char       *directory;      /* nullable: histories in memory */
  GPtrArray  *monitors;       /* VigilServerMonitor, in the trackers' order */
  GPtrArray  *sections;       /* VigilServerSection, the same order */
  GPtrArray  *load_errors;    /* char*: said once the page is shown */
  gboolean    active;

  /* Template widgets */
  GtkWidget  *scrolled;
  GtkBox     *sections_box;
};

G_DEFINE_FINAL_TYPE (VigilServerPage, vigil_server_page, GTK_TYPE_WIDGET)

/* ------------------------------------------------------------------ */
/* Auto-watch, kept per server                                         */
/* ------------------------------------------------------------------ */

static const char *
monitor_url (VigilServerMonitor *monitor)
{
  return vigil_api_client_get_base_url (vigil_server_monitor_get_client (monitor));
}

static gboolean
auto_watch_saved (VigilServerPage *self,
                  const char      *url)
{
  g_auto(GStrv) urls = NULL;

  if (self->settings == NULL)
    return FALSE;
  urls = g_settings_get_strv (self->settings, "auto-watch-servers");
  return g_strv_contains ((const char * const *) urls, url);
}

static void
on_auto_watch_changed (VigilServerMonitor *monitor,
                       GParamSpec         *pspec,
                       VigilServerPage    *self)
{
  const char *url = monitor_url (monitor);
  gboolean on = vigil_server_monitor_get_auto_watch (monitor);
  g_auto(GStrv) urls = NULL;
  g_autoptr(GStrvBuilder) builder = g_strv_builder_new ();

  if (self->settings == NULL || on == auto_watch_saved (self, url))
    return;

  urls = g_settings_get_strv (self->settings, "auto-watch-servers");
  for (guint i = 0; urls[i] != NULL; i++)
    if (!g_str_equal (urls[i], url))
      g_strv_builder_add (builder, urls[i]);
  if (on)
    g_strv_builder_add (builder, url);
  g_clear_pointer (&urls, g_strfreev);
  urls = g_strv_builder_end (builder);
  g_settings_set_strv (self->settings, "auto-watch-servers", (const char * const *) urls);
}

/* ------------------------------------------------------------------ */
/* One monitor and section per server                                  */
/* ------------------------------------------------------------------ */

static VigilServerHistory *
create_history (VigilServerPage *self,
                const char      *url)
{
  VigilServerHistory *history = vigil_server_history_new (url, self->directory);
  g_autoptr(GError) error = NULL;

  /* A file set aside: the charts start empty, and the user is told. */
  if (!vigil_server_history_load (history, &error))
    g_ptr_array_add (self->load_errors, g_strdup (error->message));
  return history;
}

static void
add_server (VigilServerPage *self,
            VigilTracker    *tracker,
            gboolean         several)
{
  VigilApiClient *client = vigil_tracker_get_client (tracker);
  const char *url = vigil_api_client_get_base_url (client);
  g_autoptr(VigilServerHistory) history = create_history (self, url);
  VigilServerMonitor *monitor = vigil_server_monitor_new (client, tracker, history);
  GtkWidget *section;

  vigil_server_monitor_set_time_scale (monitor,
                                       vigil_poller_get_time_scale (vigil_tracker_get_poller (tracker)));
  vigil_server_monitor_set_auto_watch (monitor, auto_watch_saved (self, url));
  g_signal_connect_object (monitor, "notify::auto-watch", G_CALLBACK (on_auto_watch_changed),
                           self, 0);
  g_ptr_array_add (self->monitors, monitor);

  section = vigil_server_section_new (monitor);
  /* With several servers each section says which (and follows renames). */
  if (several)
    g_object_bind_property (tracker, "server-name", section, "title", G_BINDING_SYNC_CREATE);
  g_ptr_array_add (self->sections, section);
  gtk_box_append (self->sections_box, section);
  vigil_server_monitor_set_active (monitor, self->active);
}

static void
stop_monitor (gpointer data)
{
  VigilServerMonitor *monitor = data;
  VigilServerHistory *history = vigil_server_monitor_get_history (monitor);

  vigil_server_monitor_set_active (monitor, FALSE);
  if (history != NULL)
    vigil_server_history_save (history, NULL);  /* a failure is in its last-error */
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
  guint n = self->trackers != NULL ? g_list_model_get_n_items (self->trackers) : 0;

  clear_servers (self);
  for (guint i = 0; i < n; i++)
    {
      g_autoptr(VigilTracker) tracker = g_list_model_get_item (self->trackers, i);
      add_server (self, tracker, n > 1);
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

  if (self->trackers != NULL)
    g_signal_handlers_disconnect_by_data (self->trackers, self);
  g_clear_pointer (&self->sections, g_ptr_array_unref);
  g_clear_pointer (&self->monitors, g_ptr_array_unref);
  gtk_widget_dispose_template (GTK_WIDGET (self), VIGIL_TYPE_SERVER_PAGE);
  g_clear_object (&self->trackers);
  g_clear_object (&self->settings);

  G_OBJECT_CLASS (vigil_server_page_parent_class)->dispose (object);
}

static void
vigil_server_page_finalize (GObject *object)
{
  VigilServerPage *self = VIGIL_SERVER_PAGE (object);

  g_free (self->directory);
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
  self->monitors = g_ptr_array_new_with_free_func (stop_monitor);
  self->sections = g_ptr_array_new ();
  self->load_errors = g_ptr_array_new_with_free_func (g_free);
}

/* ------------------------------------------------------------------ */
/* Public API                                                          */
/* ------------------------------------------------------------------ */

void
vigil_server_page_setup (VigilServerPage *self,
                         GListModel      *trackers,
                         GSettings       *settings,
                         const char      *directory)
{
  g_return_if_fail (VIGIL_IS_SERVER_PAGE (self));
  g_return_if_fail (G_IS_LIST_MODEL (trackers));
  g_return_if_fail (settings == NULL || G_IS_SETTINGS (settings));
  g_return_if_fail (self->trackers == NULL);

  self->trackers = g_object_ref (trackers);
  g_set_object (&self->settings, settings);
  self->directory = g_strdup (directory);
  g_signal_connect_swapped (trackers, "items-changed", G_CALLBACK (rebuild), self);
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
