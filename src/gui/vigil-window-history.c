/* vigil-window-history.c — the window's Finished view: every server's
 * history (one VigilStateStore each) in one list, newest first, narrowed by
 * the server filter and the search; Clear Finished and its Undo for all of
 * them at once
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include "vigil-history-row.h"

#include "vigil-window-private.h"

/* ------------------------------------------------------------------ */
/* Helpers                                                             */
/* ------------------------------------------------------------------ */

static gpointer
map_store_to_history (gpointer item,
                      gpointer user_data)
{
  g_autoptr(VigilStateStore) store = item;

  return g_object_ref (vigil_state_store_get_history (store));
}

static gboolean
history_filter_func (gpointer item,
                     gpointer user_data)
{
  VigilWindow *self = user_data;
  VigilHistoryEntry *entry = item;
  const char *server = vigil_history_entry_get_server (entry);

  if (!vigil_window_servers_match_url (self, server))
    return FALSE;
  if (self->search == NULL)
    return TRUE;
  return vigil_window_text_matches (vigil_history_entry_get_title (entry), self->search) ||
         vigil_window_text_matches (vigil_history_entry_get_job_id (entry), self->search) ||
         vigil_window_text_matches (vigil_window_servers_name_for_url (self, server), self->search);
}

static int
compare_newest (gconstpointer a,
                gconstpointer b,
                gpointer      user_data)
{
  return vigil_history_entry_compare_newest (a, b, NULL);
}

/* Without every server's stores: the one store given, or none. */
static GListModel *
single_store_model (VigilWindow *self)
{
  GListStore *one = g_list_store_new (VIGIL_TYPE_STATE_STORE);

  if (self->state_store != NULL)
    g_list_store_append (one, self->state_store);
  return G_LIST_MODEL (one);
}

static VigilStateStore *
store_at (VigilWindow *self,
          guint        position)
{
  g_autoptr(VigilStateStore) store = g_list_model_get_item (self->state_stores, position);

  /* The list holds it: transfer none. */
  return store;
}

/* With several servers, the name of the entry's server (the tracker's,
 * so a rename shows); NULL with one. */
static char *
entry_server_name (GtkListItem       *item,
                   VigilHistoryEntry *entry,
                   gboolean           several,
                   VigilWindow       *self)
{
  if (entry == NULL || !several)
    return NULL;
  return g_strdup (vigil_window_servers_name_for_url (self, vigil_history_entry_get_server (entry)));
}

/* The window announces several-servers again whenever the servers or
 * their names change: the expression then asks again. */
static void
on_setup_history_row (VigilWindow *self,
                      GtkListItem *item)
{
  GtkWidget *row = vigil_history_row_new ();
  GtkExpression *params[2];
  GtkExpression *name;

  gtk_list_item_set_activatable (item, FALSE);
  gtk_list_item_set_child (item, row);
  gtk_expression_bind (gtk_property_expression_new (GTK_TYPE_LIST_ITEM, NULL, "item"),
                       row, "entry", item);
  params[0] = gtk_property_expression_new (GTK_TYPE_LIST_ITEM, NULL, "item");
  params[1] = gtk_property_expression_new (VIGIL_TYPE_WINDOW,
                                           gtk_object_expression_new (G_OBJECT (self)),
                                           "several-servers");
  name = gtk_cclosure_expression_new (G_TYPE_STRING, NULL, 2, params,
                                      G_CALLBACK (entry_server_name), self, NULL);
  gtk_expression_bind (name, row, "server-name", item);
}

/* ------------------------------------------------------------------ */
/* Internal API                                                        */
/* ------------------------------------------------------------------ */

/* The models and the list view; self->history is what the view shows. */
void
vigil_window_history_init (VigilWindow *self)
{
  g_autoptr(GtkListItemFactory) factory = gtk_signal_list_item_factory_new ();
  GtkMapListModel *map;
  GtkFilterListModel *filtered;
  GtkCustomSorter *sorter;

  g_assert (VIGIL_IS_WINDOW (self));

  if (self->state_stores == NULL)
    self->state_stores = single_store_model (self);
  map = gtk_map_list_model_new (g_object_ref (self->state_stores), map_store_to_history,
                                NULL, NULL);
  self->all_history = gtk_flatten_list_model_new (G_LIST_MODEL (map));
  self->history_filter = gtk_custom_filter_new (history_filter_func, self, NULL);
  filtered = gtk_filter_list_model_new (g_object_ref (G_LIST_MODEL (self->all_history)),
                                        g_object_ref (GTK_FILTER (self->history_filter)));
  sorter = gtk_custom_sorter_new (compare_newest, NULL, NULL);
  self->history = G_LIST_MODEL (gtk_sort_list_model_new (G_LIST_MODEL (filtered),
                                                         GTK_SORTER (sorter)));

  g_signal_connect_object (factory, "setup", G_CALLBACK (on_setup_history_row), self,
                           G_CONNECT_SWAPPED);
  gtk_list_view_set_factory (self->history_list, factory);
  gtk_list_view_set_model (self->history_list,
                           GTK_SELECTION_MODEL (gtk_no_selection_new (g_object_ref (self->history))));
  g_object_unref (gtk_list_view_get_model (self->history_list));
}

void
vigil_window_history_dispose (VigilWindow *self)
{
  g_assert (VIGIL_IS_WINDOW (self));

  if (self->history != NULL)
    g_signal_handlers_disconnect_by_data (self->history, self);
  if (self->all_history != NULL)
    g_signal_handlers_disconnect_by_data (self->all_history, self);
  g_clear_object (&self->history);
  g_clear_object (&self->all_history);
  g_clear_object (&self->history_filter);
  g_clear_object (&self->state_stores);
}

/* The search or the server filter changed. */
void
vigil_window_history_refilter (VigilWindow *self)
{
  g_assert (VIGIL_IS_WINDOW (self));

  if (self->history_filter != NULL)
    gtk_filter_changed (GTK_FILTER (self->history_filter), GTK_FILTER_CHANGE_DIFFERENT);
}

/* Every server's entries, whatever the filters. */
guint
vigil_window_history_get_n_total (VigilWindow *self)
{
  g_assert (VIGIL_IS_WINDOW (self));

  return g_list_model_get_n_items (G_LIST_MODEL (self->all_history));
}

/* Empties every server's history; returns how many entries went. */
guint
vigil_window_history_clear (VigilWindow *self)
{
  guint n, cleared = 0;

  g_assert (VIGIL_IS_WINDOW (self));

  n = g_list_model_get_n_items (self->state_stores);
  for (guint i = 0; i < n; i++)
    cleared += vigil_state_store_clear_history (store_at (self, i));
  return cleared;
}

/* Undoes the last clear in every store (each keeps what it cleared last;
 * a store that had nothing to clear brings nothing back). */
guint
vigil_window_history_undo_clear (VigilWindow *self)
{
  guint n, restored = 0;

  g_assert (VIGIL_IS_WINDOW (self));

  n = g_list_model_get_n_items (self->state_stores);
  for (guint i = 0; i < n; i++)
    restored += vigil_state_store_restore_history (store_at (self, i));
  return restored;
}
