/* vigil-server-monitors.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include "vigil-server-history.h"

#include "vigil-server-monitors.h"

struct _VigilServerMonitors
{
  GObject     parent_instance;

  GListModel *trackers;
  GSettings  *settings;       /* nullable */
  char       *directory;      /* nullable: histories in memory */
  GHashTable *monitors;       /* VigilTracker* → VigilServerMonitor (owned) */
  GPtrArray  *load_errors;    /* char* */
};

G_DEFINE_FINAL_TYPE (VigilServerMonitors, vigil_server_monitors, G_TYPE_OBJECT)

/* ------------------------------------------------------------------ */
/* Auto-watch, kept per server URL in the settings                     */
/* ------------------------------------------------------------------ */

static const char *
monitor_url (VigilServerMonitor *monitor)
{
  return vigil_api_client_get_base_url (vigil_server_monitor_get_client (monitor));
}

static gboolean
auto_watch_saved (VigilServerMonitors *self,
                  const char          *url)
{
  g_auto(GStrv) urls = NULL;

  if (self->settings == NULL)
    return FALSE;
  urls = g_settings_get_strv (self->settings, "auto-watch-servers");
  return g_strv_contains ((const char * const *) urls, url);
}

static void
on_auto_watch_changed (VigilServerMonitor  *monitor,
                       GParamSpec          *pspec,
                       VigilServerMonitors *self)
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

/* Changed elsewhere (another window's switch, dconf): followed here. */
static void
on_settings_changed (GSettings           *settings,
                     const char          *key,
                     VigilServerMonitors *self)
{
  GHashTableIter iter;
  VigilServerMonitor *monitor;

  g_hash_table_iter_init (&iter, self->monitors);
  while (g_hash_table_iter_next (&iter, NULL, (gpointer *) &monitor))
    vigil_server_monitor_set_auto_watch (monitor, auto_watch_saved (self, monitor_url (monitor)));
}

/* ------------------------------------------------------------------ */
/* One monitor per tracker                                             */
/* ------------------------------------------------------------------ */

static VigilServerMonitor *
create_monitor (VigilServerMonitors *self,
                VigilTracker        *tracker)
{
  VigilApiClient *client = vigil_tracker_get_client (tracker);
  const char *url = vigil_api_client_get_base_url (client);
  g_autoptr(VigilServerHistory) history = vigil_server_history_new (url, self->directory);
  g_autoptr(GError) error = NULL;
  VigilServerMonitor *monitor;

  /* A file set aside: the charts start empty, and the user is told. */
  if (!vigil_server_history_load (history, &error))
    g_ptr_array_add (self->load_errors, g_strdup (error->message));

  monitor = vigil_server_monitor_new (client, tracker, history);
  vigil_server_monitor_set_time_scale (monitor,
                                       vigil_poller_get_time_scale (vigil_tracker_get_poller (tracker)));
  vigil_server_monitor_set_auto_watch (monitor, auto_watch_saved (self, url));
  g_signal_connect_object (monitor, "notify::auto-watch", G_CALLBACK (on_auto_watch_changed),
                           self, 0);
  g_hash_table_insert (self->monitors, g_object_ref (tracker), monitor);
  return monitor;
}

static void
stop_monitor (gpointer data)
{
  VigilServerMonitor *monitor = data;
  VigilServerHistory *history = vigil_server_monitor_get_history (monitor);

  /* stopped, not switched off by the user: the setting stays */
  g_signal_handlers_disconnect_matched (monitor, G_SIGNAL_MATCH_FUNC, 0, 0, NULL,
                                        on_auto_watch_changed, NULL);
  vigil_server_monitor_set_active (monitor, FALSE);
  vigil_server_monitor_set_auto_watch (monitor, FALSE);
  if (history != NULL)
    vigil_server_history_save (history, NULL);  /* a failure is in its last-error */
  g_object_unref (monitor);
}

static gboolean
has_tracker (VigilServerMonitors *self,
             VigilTracker        *tracker)
{
  guint n = g_list_model_get_n_items (self->trackers);

  for (guint i = 0; i < n; i++)
    {
      g_autoptr(VigilTracker) item = g_list_model_get_item (self->trackers, i);

      if (item == tracker)
        return TRUE;
    }
  return FALSE;
}

static gboolean
tracker_gone (gpointer key,
              gpointer value,
              gpointer user_data)
{
  return !has_tracker (user_data, key);
}

/* Every tracker gets its monitor at once: one watching every job polls
 * with no page shown. */
static void
sync_monitors (VigilServerMonitors *self)
{
  guint n = g_list_model_get_n_items (self->trackers);

  g_hash_table_foreach_remove (self->monitors, tracker_gone, self);
  for (guint i = 0; i < n; i++)
    {
      g_autoptr(VigilTracker) tracker = g_list_model_get_item (self->trackers, i);

      if (!g_hash_table_contains (self->monitors, tracker))
        create_monitor (self, tracker);
    }
}

/* ------------------------------------------------------------------ */
/* GObject                                                             */
/* ------------------------------------------------------------------ */

static void
vigil_server_monitors_dispose (GObject *object)
{
  VigilServerMonitors *self = VIGIL_SERVER_MONITORS (object);

  if (self->trackers != NULL)
    g_signal_handlers_disconnect_by_data (self->trackers, self);
  if (self->settings != NULL)
    g_signal_handlers_disconnect_by_data (self->settings, self);
  if (self->monitors != NULL)
    g_hash_table_remove_all (self->monitors);
  g_clear_object (&self->trackers);
  g_clear_object (&self->settings);

  G_OBJECT_CLASS (vigil_server_monitors_parent_class)->dispose (object);
}

static void
vigil_server_monitors_finalize (GObject *object)
{
  VigilServerMonitors *self = VIGIL_SERVER_MONITORS (object);

  g_hash_table_unref (self->monitors);
  g_ptr_array_unref (self->load_errors);
  g_free (self->directory);

  G_OBJECT_CLASS (vigil_server_monitors_parent_class)->finalize (object);
}

static void
vigil_server_monitors_class_init (VigilServerMonitorsClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->dispose = vigil_server_monitors_dispose;
  object_class->finalize = vigil_server_monitors_finalize;
}

static void
vigil_server_monitors_init (VigilServerMonitors *self)
{
  self->monitors = g_hash_table_new_full (g_direct_hash, g_direct_equal, g_object_unref,
                                          stop_monitor);
  self->load_errors = g_ptr_array_new_with_free_func (g_free);
}

/* ------------------------------------------------------------------ */
/* Public API                                                          */
/* ------------------------------------------------------------------ */

VigilServerMonitors *
vigil_server_monitors_new (GListModel *trackers,
                           GSettings  *settings,
                           const char *directory)
{
  VigilServerMonitors *self;

  g_return_val_if_fail (G_IS_LIST_MODEL (trackers), NULL);
  g_return_val_if_fail (settings == NULL || G_IS_SETTINGS (settings), NULL);

  self = g_object_new (VIGIL_TYPE_SERVER_MONITORS, NULL);
  self->trackers = g_object_ref (trackers);
  g_set_object (&self->settings, settings);
  self->directory = g_strdup (directory);
  g_signal_connect_swapped (trackers, "items-changed", G_CALLBACK (sync_monitors), self);
  if (settings != NULL)
    g_signal_connect (settings, "changed::auto-watch-servers", G_CALLBACK (on_settings_changed),
                      self);
  sync_monitors (self);
  return self;
}

GListModel *
vigil_server_monitors_get_trackers (VigilServerMonitors *self)
{
  g_return_val_if_fail (VIGIL_IS_SERVER_MONITORS (self), NULL);

  return self->trackers;
}

VigilServerMonitor *
vigil_server_monitors_get (VigilServerMonitors *self,
                           VigilTracker        *tracker)
{
  VigilServerMonitor *monitor;

  g_return_val_if_fail (VIGIL_IS_SERVER_MONITORS (self), NULL);
  g_return_val_if_fail (VIGIL_IS_TRACKER (tracker), NULL);

  if ((monitor = g_hash_table_lookup (self->monitors, tracker)) != NULL)
    return monitor;
  /* a tracker just added, whose items-changed reached someone else first */
  if (!has_tracker (self, tracker))
    return NULL;
  return create_monitor (self, tracker);
}

GPtrArray *
vigil_server_monitors_take_load_errors (VigilServerMonitors *self)
{
  GPtrArray *errors;

  g_return_val_if_fail (VIGIL_IS_SERVER_MONITORS (self), NULL);

  errors = g_steal_pointer (&self->load_errors);
  self->load_errors = g_ptr_array_new_with_free_func (g_free);
  return errors;
}

guint
vigil_server_monitors_count_auto_watching (VigilServerMonitors *self)
{
  GHashTableIter iter;
  VigilServerMonitor *monitor;
  guint n = 0;

  g_return_val_if_fail (VIGIL_IS_SERVER_MONITORS (self), 0);

  g_hash_table_iter_init (&iter, self->monitors);
  while (g_hash_table_iter_next (&iter, NULL, (gpointer *) &monitor))
    n += vigil_server_monitor_get_auto_watch (monitor);
  return n;
}

void
vigil_server_monitors_save (VigilServerMonitors *self)
{
  GHashTableIter iter;
  VigilServerMonitor *monitor;

  g_return_if_fail (VIGIL_IS_SERVER_MONITORS (self));

  g_hash_table_iter_init (&iter, self->monitors);
  while (g_hash_table_iter_next (&iter, NULL, (gpointer *) &monitor))
    {
      VigilServerHistory *history = vigil_server_monitor_get_history (monitor);

      if (history != NULL)
        vigil_server_history_save (history, NULL);
    }
}
