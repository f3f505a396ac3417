/* vigil-window-servers.c — the window's servers: every tracker's jobs in
 * one list, the server filter, "N of M servers reachable", the choosers
 * of New Analysis and Watch a Job
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <glib/gi18n.h>

#include "vigil-window-private.h"

/* ------------------------------------------------------------------ */
/* Helpers                                                             */
/* ------------------------------------------------------------------ */

static VigilTracker *
tracker_at (VigilWindow *self,
            guint        position)
{
  g_autoptr(VigilTracker) tracker = g_list_model_get_item (self->trackers, position);

  /* The list holds it: transfer none. */
  return tracker;
}

/* The primary server's tracker while it is configured, else the first
 * one's (the primary can be removed in Preferences). */
static VigilTracker *
primary_tracker (VigilWindow *self)
{
  guint position;

  if (self->trackers == NULL || g_list_model_get_n_items (self->trackers) == 0 ||
      (G_IS_LIST_STORE (self->trackers) &&
       g_list_store_find (G_LIST_STORE (self->trackers), self->tracker, &position)))
    return self->tracker;
  return tracker_at (self, 0);
}

static gboolean
tracker_has_job (VigilTracker *tracker,
                 VigilJob     *job)
{
  GListModel *jobs = vigil_tracker_get_jobs (tracker);
  guint n = g_list_model_get_n_items (jobs);

  g_assert (VIGIL_IS_JOB (job));

  for (guint i = 0; i < n; i++)
    {
      g_autoptr(VigilJob) other = g_list_model_get_item (jobs, i);

      if (other == job)
        return TRUE;
    }
  return FALSE;
}

/* Each tracker (and so each of its jobs) takes the name the user gave its
 * server in `server-names` (by base URL), else goes back to its host. */
static void
apply_server_names (VigilWindow *self)
{
  g_autoptr(GVariant) names = g_settings_get_value (self->settings, "server-names");
  guint n = g_list_model_get_n_items (self->trackers);

  for (guint i = 0; i < n; i++)
    {
      VigilTracker *tracker = tracker_at (self, i);
      const char *url = vigil_api_client_get_base_url (vigil_tracker_get_client (tracker));
      const char *name = NULL;

      if (!g_variant_lookup (names, url, "&s", &name))
        name = NULL;
      vigil_tracker_set_server_name (tracker, name);
    }
}

static gpointer
map_tracker_to_jobs (gpointer item,
                     gpointer user_data)
{
  g_autoptr(VigilTracker) tracker = item;

  return g_object_ref (vigil_tracker_get_jobs (tracker));
}

/* ------------------------------------------------------------------ */
/* Callbacks                                                           */
/* ------------------------------------------------------------------ */

/* The server's name with one server; with several, how many answer. */
static void
update_header (VigilWindow *self)
{
  guint n = g_list_model_get_n_items (self->trackers);
  guint reachable = 0;
  g_autofree char *text = NULL;

  if (n <= 1)
    {
      const char *label = self->server_label != NULL ? self->server_label : "";

      /* The primary was removed: the label named it. */
      if (n == 1 && tracker_at (self, 0) != self->tracker)
        label = vigil_api_client_get_base_url (vigil_tracker_get_client (tracker_at (self, 0)));
      adw_window_title_set_subtitle (self->window_title, label);
      return;
    }
  for (guint i = 0; i < n; i++)
    {
      VigilPoller *poller = vigil_tracker_get_poller (tracker_at (self, i));

      if (vigil_poller_get_server_health (poller) == VIGIL_SERVER_HEALTH_OK)
        reachable++;
    }
  /* Translators: the header's subtitle with several servers */
  text = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "%u of %u server reachable",
                                       "%u of %u servers reachable", n), reachable, n);
  adw_window_title_set_subtitle (self->window_title, text);
}

static void
on_server_selected (VigilWindow *self)
{
  vigil_window_refilter (self);
}

static void
on_trackers_changed (VigilWindow *self)
{
  guint n = g_list_model_get_n_items (self->trackers);
  guint selected = gtk_drop_down_get_selected (self->server_dropdown);
  g_autoptr(GPtrArray) names = g_ptr_array_new ();

  for (guint i = 0; i < self->pollers->len; i++)
    g_signal_handlers_disconnect_by_data (g_ptr_array_index (self->pollers, i), self);
  g_ptr_array_set_size (self->pollers, 0);

  apply_server_names (self);
  g_ptr_array_add (names, (gpointer) _("All Servers"));
  for (guint i = 0; i < n; i++)
    {
      VigilTracker *tracker = tracker_at (self, i);
      VigilPoller *poller = vigil_tracker_get_poller (tracker);

      g_ptr_array_add (names, (gpointer) vigil_tracker_get_server_name (tracker));
      g_ptr_array_add (self->pollers, g_object_ref (poller));
      g_signal_connect_object (poller, "notify::server-health", G_CALLBACK (update_header),
                               self, G_CONNECT_SWAPPED);
    }
  g_ptr_array_add (names, NULL);

  g_signal_handlers_block_by_func (self->server_dropdown, on_server_selected, self);
  gtk_string_list_splice (self->server_names, 0,
                          g_list_model_get_n_items (G_LIST_MODEL (self->server_names)),
                          (const char * const *) names->pdata);
  gtk_drop_down_set_selected (self->server_dropdown, selected <= n ? selected : 0);
  g_signal_handlers_unblock_by_func (self->server_dropdown, on_server_selected, self);
  gtk_widget_set_visible (GTK_WIDGET (self->server_dropdown), n > 1);

  on_server_selected (self);
  update_header (self);
  vigil_window_notify_several_servers (self);
}

/* ------------------------------------------------------------------ */
/* Internal API                                                        */
/* ------------------------------------------------------------------ */

void
vigil_window_servers_init (VigilWindow *self)
{
  GtkMapListModel *map;

  g_assert (VIGIL_IS_WINDOW (self));

  if (self->trackers == NULL)
    {
      GListStore *one = g_list_store_new (VIGIL_TYPE_TRACKER);

      g_list_store_append (one, self->tracker);
      self->trackers = G_LIST_MODEL (one);
    }
  map = gtk_map_list_model_new (g_object_ref (self->trackers), map_tracker_to_jobs, NULL, NULL);
  self->all_jobs = gtk_flatten_list_model_new (G_LIST_MODEL (map));
  self->pollers = g_ptr_array_new_with_free_func (g_object_unref);
  self->server_names = gtk_string_list_new (NULL);
  gtk_drop_down_set_model (self->server_dropdown, G_LIST_MODEL (self->server_names));

  g_signal_connect_object (self->server_dropdown, "notify::selected",
                           G_CALLBACK (on_server_selected), self, G_CONNECT_SWAPPED);
  g_signal_connect_object (self->trackers, "items-changed", G_CALLBACK (on_trackers_changed),
                           self, G_CONNECT_SWAPPED);
  /* A rename shows at once: in the filter and on every row. */
  g_signal_connect_object (self->settings, "changed::server-names",
                           G_CALLBACK (on_trackers_changed), self, G_CONNECT_SWAPPED);
}

/* After the filter exists. */
void
vigil_window_servers_start (VigilWindow *self)
{
  g_assert (VIGIL_IS_WINDOW (self));

  on_trackers_changed (self);
}

void
vigil_window_servers_dispose (VigilWindow *self)
{
  g_assert (VIGIL_IS_WINDOW (self));

  for (guint i = 0; self->pollers != NULL && i < self->pollers->len; i++)
    g_signal_handlers_disconnect_by_data (g_ptr_array_index (self->pollers, i), self);
  if (self->trackers != NULL)
    g_signal_handlers_disconnect_by_data (self->trackers, self);
  g_clear_pointer (&self->pollers, g_ptr_array_unref);
  g_clear_object (&self->all_jobs);
  g_clear_object (&self->server_names);
  g_clear_object (&self->trackers);
  g_clear_pointer (&self->server_label, g_free);
}

GListModel *
vigil_window_servers_get_jobs (VigilWindow *self)
{
  g_assert (VIGIL_IS_WINDOW (self));

  return G_LIST_MODEL (self->all_jobs);
}

gboolean
vigil_window_servers_several (VigilWindow *self)
{
  g_assert (VIGIL_IS_WINDOW (self));

  return self->trackers != NULL && g_list_model_get_n_items (self->trackers) > 1;
}

/* The server filter: "All Servers" (0), else the job's tracker's place + 1. */
gboolean
vigil_window_servers_match (VigilWindow *self,
                            VigilJob    *job)
{
  guint selected;

  g_assert (VIGIL_IS_WINDOW (self));

  if (self->server_dropdown == NULL || self->trackers == NULL)
    return TRUE;
  selected = gtk_drop_down_get_selected (self->server_dropdown);
  if (selected == 0 || selected == GTK_INVALID_LIST_POSITION ||
      selected > g_list_model_get_n_items (self->trackers))
    return TRUE;
  return tracker_has_job (tracker_at (self, selected - 1), job);
}

static VigilTracker *
tracker_for_url (VigilWindow *self,
                 const char  *url)
{
  guint n = g_list_model_get_n_items (self->trackers);

  for (guint i = 0; url != NULL && i < n; i++)
    {
      VigilTracker *tracker = tracker_at (self, i);

      if (g_str_equal (vigil_api_client_get_base_url (vigil_tracker_get_client (tracker)), url))
        return tracker;
    }
  return NULL;
}

gboolean
vigil_window_servers_match_url (VigilWindow *self,
                                const char  *url)
{
  guint selected;

  g_assert (VIGIL_IS_WINDOW (self));

  if (self->server_dropdown == NULL || self->trackers == NULL)
    return TRUE;
  selected = gtk_drop_down_get_selected (self->server_dropdown);
  if (selected == 0 || selected == GTK_INVALID_LIST_POSITION ||
      selected > g_list_model_get_n_items (self->trackers))
    return TRUE;
  return tracker_for_url (self, url) == tracker_at (self, selected - 1);
}

const char *
vigil_window_servers_name_for_url (VigilWindow *self,
                                   const char  *url)
{
  VigilTracker *tracker;

  g_assert (VIGIL_IS_WINDOW (self));

  tracker = self->trackers != NULL ? tracker_for_url (self, url) : NULL;
  return tracker != NULL ? vigil_tracker_get_server_name (tracker) : NULL;
}

/* The tracker a row's job belongs to (the primary one if none does). */
VigilTracker *
vigil_window_tracker_for_job (VigilWindow *self,
                              VigilJob    *job)
{
  guint n;

  g_assert (VIGIL_IS_WINDOW (self));

  n = g_list_model_get_n_items (self->trackers);
  for (guint i = 0; i < n; i++)
    if (tracker_has_job (tracker_at (self, i), job))
      return tracker_at (self, i);
  return primary_tracker (self);
}

GtkWidget *
vigil_window_server_chooser_new (VigilWindow *self)
{
  g_autoptr(GtkStringList) urls = gtk_string_list_new (NULL);
  g_autoptr(GVariant) names = g_settings_get_value (self->settings, "server-names");
  g_autofree char *last_used = g_settings_get_string (self->settings, "server-url");
  g_autoptr(VigilApiClient) probe = vigil_api_client_new (last_used, NULL);
  guint n = g_list_model_get_n_items (self->trackers);
  guint selected = 0;
  GtkWidget *chooser;

  g_assert (VIGIL_IS_WINDOW (self));

  for (guint i = 0; i < n; i++)
    {
      const char *url = vigil_api_client_get_base_url (vigil_tracker_get_client (tracker_at (self, i)));
      const char *name = NULL;

      /* The name the user gave it, else its address (hosts may repeat). */
      if (g_variant_lookup (names, url, "&s", &name) && name[0] != '\0')
        gtk_string_list_append (urls, name);
      else
        gtk_string_list_append (urls, url);
      if (probe != NULL && g_str_equal (url, vigil_api_client_get_base_url (probe)))
        selected = i;
    }
  chooser = gtk_drop_down_new (G_LIST_MODEL (g_steal_pointer (&urls)), NULL);
  gtk_drop_down_set_selected (GTK_DROP_DOWN (chooser), selected);
  gtk_widget_set_visible (chooser, n > 1);
  gtk_accessible_update_property (GTK_ACCESSIBLE (chooser),
                                  GTK_ACCESSIBLE_PROPERTY_LABEL, _("Server"), -1);
  return chooser;
}

/* The chosen server's tracker, which becomes the last used. */
VigilTracker *
vigil_window_server_chooser_take (VigilWindow *self,
                                  GtkWidget   *chooser)
{
  guint selected;
  VigilTracker *tracker;
  const char *url;
  g_autofree char *last_used = NULL;

  g_assert (VIGIL_IS_WINDOW (self));

  if (chooser == NULL)
    return primary_tracker (self);
  selected = gtk_drop_down_get_selected (GTK_DROP_DOWN (chooser));
  if (selected >= g_list_model_get_n_items (self->trackers))
    return primary_tracker (self);
  tracker = tracker_at (self, selected);
  if (g_list_model_get_n_items (self->trackers) > 1)
    {
      url = vigil_api_client_get_base_url (vigil_tracker_get_client (tracker));
      last_used = g_settings_get_string (self->settings, "server-url");
      if (g_strcmp0 (last_used, url) != 0)
        g_settings_set_string (self->settings, "server-url", url);
    }
  return tracker;
}
