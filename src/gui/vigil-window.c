/* vigil-window.c — the list of watched jobs
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <glib/gi18n.h>

#include "vigil-job-row.h"
#include "vigil-job-text.h"
#include "vigil-new-analysis-dialog.h"

#include "vigil-window-private.h"


enum {
  PROP_0,
  PROP_SETTINGS,
  PROP_TRACKER,
  PROP_STATE_STORE,
  PROP_STATE_STORES,
  PROP_FILTER,
  PROP_TRACKERS,
  PROP_SEVERAL_SERVERS,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

G_DEFINE_FINAL_TYPE (VigilWindow, vigil_window, ADW_TYPE_APPLICATION_WINDOW)

/* ------------------------------------------------------------------ */
/* Window state                                                        */
/* ------------------------------------------------------------------ */

static void
vigil_window_restore_state (VigilWindow *self)
{
  int width = g_settings_get_int (self->settings, "window-width");
  int height = g_settings_get_int (self->settings, "window-height");

  gtk_window_set_default_size (GTK_WINDOW (self), MAX (width, 360), MAX (height, 294));
  if (g_settings_get_boolean (self->settings, "window-maximized"))
    gtk_window_maximize (GTK_WINDOW (self));
}

static void
vigil_window_save_state (VigilWindow *self)
{
  int width, height;

  gtk_window_get_default_size (GTK_WINDOW (self), &width, &height);
  g_settings_delay (self->settings);
  g_settings_set_boolean (self->settings, "window-maximized",
                          gtk_window_is_maximized (GTK_WINDOW (self)));
  /* A maximized window reports its maximized size; keep the last normal one. */
  if (!gtk_window_is_maximized (GTK_WINDOW (self)))
    {
      g_settings_set_int (self->settings, "window-width", width);
      g_settings_set_int (self->settings, "window-height", height);
    }
  g_settings_apply (self->settings);
}

/* ------------------------------------------------------------------ */
/* Filtering and sorting                                               */
/* ------------------------------------------------------------------ */

static gboolean
job_is_active (VigilJob *job)
{
  return !vigil_job_get_is_finished (job) &&
         vigil_job_get_tracking_state (job) != VIGIL_TRACKING_STATE_STOPPED;
}

static gboolean
job_is_failed (VigilJob *job)
{
  VigilServerState state = vigil_job_get_server_state (job);

  return state == VIGIL_SERVER_STATE_FAILED || state == VIGIL_SERVER_STATE_LOST ||
         state == VIGIL_SERVER_STATE_NOT_FOUND;
}

gboolean
vigil_window_text_matches (const char *text,
                           const char *needle)
{
  g_autofree char *folded = NULL;

  if (text == NULL)
    return FALSE;
  folded = g_utf8_casefold (text, -1);
  return strstr (folded, needle) != NULL;
}

static gboolean
filter_func (gpointer item,
             gpointer user_data)
{
  VigilWindow *self = user_data;
  VigilJob *job = item;

  if (g_str_equal (self->filter_mode, "active") && !job_is_active (job))
    return FALSE;
  if (g_str_equal (self->filter_mode, "failed") && !job_is_failed (job))
    return FALSE;
  if (!vigil_window_servers_match (self, job))
    return FALSE;
  if (self->search == NULL)
    return TRUE;
  return vigil_window_text_matches (vigil_job_get_title (job), self->search) ||
         vigil_window_text_matches (vigil_job_get_job_id (job), self->search) ||
         vigil_window_text_matches (vigil_job_get_server_name (job), self->search);
}

static gboolean
job_is_active_cb (VigilJob *job,
                  gpointer  user_data)
{
  return job_is_active (job);
}

/* Active jobs first, then the newest. Sort keys do not watch the jobs: the
 * tracker re-announces a job whose activity changes. */
static GtkSorter *
create_sorter (void)
{
  GtkExpression *active = gtk_cclosure_expression_new (G_TYPE_BOOLEAN, NULL, 0, NULL,
                                                       G_CALLBACK (job_is_active_cb),
                                                       NULL, NULL);
  GtkExpression *sequence = gtk_property_expression_new (VIGIL_TYPE_JOB, NULL, "sequence");
  GtkNumericSorter *by_activity = gtk_numeric_sorter_new (active);
  GtkNumericSorter *by_age = gtk_numeric_sorter_new (sequence);
  GtkMultiSorter *sorter = gtk_multi_sorter_new ();

  gtk_numeric_sorter_set_sort_order (by_activity, GTK_SORT_DESCENDING);
  gtk_numeric_sorter_set_sort_order (by_age, GTK_SORT_DESCENDING);
  gtk_multi_sorter_append (sorter, GTK_SORTER (by_activity));
  gtk_multi_sorter_append (sorter, GTK_SORTER (by_age));
  return GTK_SORTER (sorter);
}

static gboolean
showing_history (VigilWindow *self)
{
  return g_str_equal (self->filter_mode, "finished");
}

static void
update_pages (VigilWindow *self)
{
  guint total = g_list_model_get_n_items (vigil_window_servers_get_jobs (self));
  guint finished = g_list_model_get_n_items (self->history);
  guint kept = vigil_window_history_get_n_total (self);
  guint shown = g_list_model_get_n_items (G_LIST_MODEL (self->sorted));
  g_autofree char *count = NULL;

  /* The history alone keeps the list (and its filters) in reach. */
  gtk_stack_set_visible_child_name (self->stack,
                                    total > 0 || kept > 0 || showing_history (self)
                                    ? "list" : "empty");
  gtk_stack_set_visible_child_name (self->history_stack, finished > 0 ? "entries" : "empty");
  if (showing_history (self))
    {
      gtk_stack_set_visible_child_name (self->list_stack, "history");
      /* Translators: how many analyses the Finished filter shows */
      count = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "%u finished analysis",
                                            "%u finished analyses", finished), finished);
    }
  else
    {
      gtk_stack_set_visible_child_name (self->list_stack, shown > 0 ? "jobs" : "no-matches");
      /* Translators: how many jobs the list shows */
      count = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "%u job", "%u jobs", shown), shown);
    }
  gtk_label_set_label (self->count_label, count);
  gtk_label_set_label (self->compact_count_label, count);
}

/* The order does not depend on the filter: only the filter changed. */
void
vigil_window_refilter (VigilWindow *self)
{
  g_assert (VIGIL_IS_WINDOW (self));

  if (self->filter != NULL)
    gtk_filter_changed (GTK_FILTER (self->filter), GTK_FILTER_CHANGE_DIFFERENT);
  vigil_window_history_refilter (self);
}

static void
on_search_changed (VigilWindow *self)
{
  const char *text = gtk_editable_get_text (GTK_EDITABLE (self->search_entry));

  g_clear_pointer (&self->search, g_free);
  if (text != NULL && text[0] != '\0')
    self->search = g_utf8_casefold (text, -1);
  vigil_window_refilter (self);
}

/* The narrow toolbar's filter menu is labelled with the filter shown
 * (the same words as the wide toolbar's buttons). */
static void
update_filter_button (VigilWindow *self)
{
  const char *label = C_("filter", "_All");

  if (self->filter_menu_button == NULL)
    return;
  if (g_str_equal (self->filter_mode, "active"))
    label = C_("filter", "A_ctive");
  else if (g_str_equal (self->filter_mode, "failed"))
    label = C_("filter", "_Failed");
  else if (g_str_equal (self->filter_mode, "finished"))
    label = C_("filter", "Fi_nished");
  gtk_menu_button_set_label (self->filter_menu_button, label);
}

static void
vigil_window_set_filter (VigilWindow *self,
                         const char  *mode)
{
  if (!g_strv_contains ((const char *[]) { "all", "active", "failed", "finished", NULL }, mode))
    mode = "all";
  if (g_strcmp0 (self->filter_mode, mode) == 0)
    return;

  g_free (self->filter_mode);
  self->filter_mode = g_strdup (mode);
  update_filter_button (self);
  if (self->filter != NULL)
    {
      vigil_window_refilter (self);
      update_pages (self);
    }
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_FILTER]);
}

/* ------------------------------------------------------------------ */
/* Toasts                                                              */
/* ------------------------------------------------------------------ */

/* The newest news replaces the text (and button) of a toast still on
 * screen rather than queueing behind it. (Dismissing it instead can crash
 * libadwaita 1.2 during the show animation.) */
/* A toast that timed out may still be leaving the screen: new words must go
 * to a new toast, not to that one (on a slow machine they would leave too). */
static void
forget_toast (VigilWindow *self,
              AdwToast    *toast)
{
  if (self->toast != toast)
    return;
  g_object_remove_weak_pointer (G_OBJECT (toast), (gpointer *) &self->toast);
  self->toast = NULL;
}

static void
show_toast (VigilWindow *self,
            const char  *message,
            const char  *button_label,
            const char  *action_name)
{
  AdwToast *toast = self->toast;

  /* One toast at a time: the one on screen takes the newest words. */
  if (toast == NULL)
    {
      toast = adw_toast_new (message);
      adw_toast_set_timeout (toast, 4);
    }
  adw_toast_set_title (toast, message);
  adw_toast_set_button_label (toast, button_label);
  adw_toast_set_action_name (toast, action_name);
  if (self->toast != NULL)
    return;

  self->toast = toast;
  g_object_add_weak_pointer (G_OBJECT (toast), (gpointer *) &self->toast);
  g_signal_connect_object (toast, "dismissed", G_CALLBACK (forget_toast), self, G_CONNECT_SWAPPED);
  adw_toast_overlay_add_toast (self->toast_overlay, toast);
}

/* ------------------------------------------------------------------ */
/* Tracker events                                                      */
/* ------------------------------------------------------------------ */

static void
on_items_changed (VigilWindow *self)
{
  update_pages (self);
}

/* ------------------------------------------------------------------ */
/* Starting analyses                                                   */
/* ------------------------------------------------------------------ */

static gboolean
is_connection_error (const GError *error)
{
  return g_error_matches (error, VIGIL_API_ERROR, VIGIL_API_ERROR_NETWORK) ||
         g_error_matches (error, VIGIL_API_ERROR, VIGIL_API_ERROR_TIMEOUT);
}

static void
on_start_done (GObject      *object,
               GAsyncResult *res,
               gpointer      user_data)
{
  g_autoptr(VigilNewAnalysisDialog) dialog = user_data;
  g_autoptr(VigilStartResult) result = NULL;
  g_autoptr(VigilJob) job = NULL;
  g_autoptr(GError) error = NULL;
  VigilWindow *self;

  job = vigil_tracker_start_finish (VIGIL_TRACKER (object), res, &result, &error);
  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    return;

  self = VIGIL_WINDOW (gtk_window_get_transient_for (GTK_WINDOW (dialog)));
  vigil_new_analysis_dialog_set_busy (dialog, FALSE);

  if (result == NULL)
    {
      vigil_new_analysis_dialog_set_error (dialog, error->message);
      if (is_connection_error (error) && self != NULL)
        vigil_window_add_toast (self, error->message);
      return;
    }

  if (self != NULL)
    {
      g_autofree char *text = vigil_job_text_start (result);
      vigil_window_add_toast (self, text);
    }
  gtk_window_destroy (GTK_WINDOW (dialog));
}

static void
on_dialog_start (VigilNewAnalysisDialog *dialog,
                 VigilJobKind            kind,
                 gint64                  target_id,
                 gboolean                all_songs,
                 VigilWindow            *self)
{
  GtkWidget *chooser = vigil_new_analysis_dialog_get_server_chooser (dialog);
  VigilTracker *tracker = vigil_window_server_chooser_take (self, chooser);

  vigil_new_analysis_dialog_set_busy (dialog, TRUE);
  vigil_tracker_start_async (tracker, kind, target_id, all_songs, self->cancellable,
                             on_start_done, g_object_ref (dialog));
}

/* ------------------------------------------------------------------ */
/* Actions                                                             */
/* ------------------------------------------------------------------ */

static void
new_analysis_action (GtkWidget  *widget,
                     const char *action_name,
                     GVariant   *parameter)
{
  vigil_window_show_new_analysis (VIGIL_WINDOW (widget));
}

static void
on_watch_response (AdwMessageDialog *dialog,
                   const char       *response,
                   VigilWindow      *self)
{
  GtkEditable *entry = g_object_get_data (G_OBJECT (dialog), "vigil-entry");
  GtkWidget *chooser = g_object_get_data (G_OBJECT (dialog), "vigil-server-chooser");
  g_autofree char *id = g_strstrip (g_strdup (gtk_editable_get_text (entry)));

  if (!g_str_equal (response, "watch") || id[0] == '\0')
    return;
  vigil_tracker_watch (vigil_window_server_chooser_take (self, chooser), id,
                       VIGIL_JOB_KIND_UNKNOWN, -1);
}

static void
on_watch_entry_changed (GtkEditable      *entry,
                        AdwMessageDialog *dialog)
{
  g_autofree char *id = g_strstrip (g_strdup (gtk_editable_get_text (entry)));

  adw_message_dialog_set_response_enabled (dialog, "watch", id[0] != '\0');
}

static void
watch_job_action (GtkWidget  *widget,
                  const char *action_name,
                  GVariant   *parameter)
{
  VigilWindow *self = VIGIL_WINDOW (widget);
  GtkWidget *dialog, *entry, *chooser, *box;

  dialog = adw_message_dialog_new (GTK_WINDOW (self), _("Watch a Job"),
                                   _("Enter the ID of a job that is already on the server."));
  entry = gtk_entry_new ();
  gtk_entry_set_placeholder_text (GTK_ENTRY (entry), _("Job ID"));
  gtk_entry_set_activates_default (GTK_ENTRY (entry), TRUE);
  g_object_set_data (G_OBJECT (dialog), "vigil-entry", entry);
  /* With several servers, which one under the entry (the last used first). */
  if (vigil_window_servers_several (self))
    {
      chooser = vigil_window_server_chooser_new (self);
      box = gtk_box_new (GTK_ORIENTATION_VERTICAL, 12);
      gtk_box_append (GTK_BOX (box), entry);
      gtk_box_append (GTK_BOX (box), chooser);
      g_object_set_data (G_OBJECT (dialog), "vigil-server-chooser", chooser);
      adw_message_dialog_set_extra_child (ADW_MESSAGE_DIALOG (dialog), box);
    }
  else
    adw_message_dialog_set_extra_child (ADW_MESSAGE_DIALOG (dialog), entry);
  adw_message_dialog_add_responses (ADW_MESSAGE_DIALOG (dialog),
                                    "cancel", _("_Cancel"),
                                    "watch", _("_Watch"),
                                    NULL);
  adw_message_dialog_set_response_appearance (ADW_MESSAGE_DIALOG (dialog), "watch",
                                              ADW_RESPONSE_SUGGESTED);
  adw_message_dialog_set_default_response (ADW_MESSAGE_DIALOG (dialog), "watch");
  adw_message_dialog_set_close_response (ADW_MESSAGE_DIALOG (dialog), "cancel");
  adw_message_dialog_set_response_enabled (ADW_MESSAGE_DIALOG (dialog), "watch", FALSE);
  g_signal_connect (entry, "changed", G_CALLBACK (on_watch_entry_changed), dialog);
  g_signal_connect (dialog, "response", G_CALLBACK (on_watch_response), self);
  gtk_window_present (GTK_WINDOW (dialog));
}

/* The finished jobs leave the list, and every server's history is
 * emptied; one Undo brings all of it back (the jobs are in it). */
static void
clear_finished_action (GtkWidget  *widget,
                       const char *action_name,
                       GVariant   *parameter)
{
  VigilWindow *self = VIGIL_WINDOW (widget);
  guint n = g_list_model_get_n_items (self->trackers);
  guint removed = 0;
  guint cleared = 0;
  g_autofree char *text = NULL;

  for (guint i = 0; i < n; i++)
    {
      g_autoptr(VigilTracker) tracker = g_list_model_get_item (self->trackers, i);

      removed += vigil_tracker_clear_finished (tracker);
    }
  cleared = vigil_window_history_clear (self);
  if (MAX (removed, cleared) == 0)
    return;
  /* Translators: a toast with an Undo button */
  text = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "Cleared %u finished analysis",
                                       "Cleared %u finished analyses", MAX (removed, cleared)),
                          MAX (removed, cleared));
  show_toast (self, text, cleared > 0 ? _("_Undo") : NULL,
              cleared > 0 ? "win.undo-clear-finished" : NULL);
}

static void
undo_clear_finished_action (GtkWidget  *widget,
                            const char *action_name,
                            GVariant   *parameter)
{
  vigil_window_history_undo_clear (VIGIL_WINDOW (widget));
}

static void
on_row_action_requested (VigilWindow       *self,
                         VigilJobRowAction  action,
                         VigilJob          *job)
{
  switch (action)
    {
    case VIGIL_JOB_ROW_ACTION_RETRY_NOW:
      vigil_tracker_retry_now (vigil_window_tracker_for_job (self, job), job);
      break;
    case VIGIL_JOB_ROW_ACTION_STOP_WATCHING:
      vigil_tracker_stop_watching (vigil_window_tracker_for_job (self, job), job);
      break;
    case VIGIL_JOB_ROW_ACTION_COPY_ID:
      gdk_clipboard_set_text (gtk_widget_get_clipboard (GTK_WIDGET (self)),
                              vigil_job_get_job_id (job));
      vigil_window_add_toast (self, _("Job ID copied"));
      break;
    case VIGIL_JOB_ROW_ACTION_REMOVE:
      vigil_tracker_remove (vigil_window_tracker_for_job (self, job), job);
      break;
    case VIGIL_JOB_ROW_ACTION_SIGN_IN:
      gtk_widget_activate_action (GTK_WIDGET (self), "app.preferences", NULL);
      break;
    }
}

static void
search_action (GtkWidget  *widget,
               const char *action_name,
               GVariant   *parameter)
{
  VigilWindow *self = VIGIL_WINDOW (widget);

  gtk_search_bar_set_search_mode (self->search_bar, TRUE);
  gtk_widget_grab_focus (GTK_WIDGET (self->search_entry));
}

/* F5: every job still being watched, on every server, is asked about
 * now (what each row's Retry Now does for one job). */
static void
refresh_action (GtkWidget  *widget,
                const char *action_name,
                GVariant   *parameter)
{
  VigilWindow *self = VIGIL_WINDOW (widget);
  guint n = g_list_model_get_n_items (self->trackers);

  for (guint i = 0; i < n; i++)
    {
      g_autoptr(VigilTracker) tracker = g_list_model_get_item (self->trackers, i);
      GListModel *jobs = vigil_tracker_get_jobs (tracker);
      g_autoptr(GPtrArray) active = g_ptr_array_new_with_free_func (g_object_unref);

      /* Collected first: a poll may change the list. */
      for (guint j = 0; j < g_list_model_get_n_items (jobs); j++)
        {
          g_autoptr(VigilJob) job = g_list_model_get_item (jobs, j);

          if (job_is_active (job))
            g_ptr_array_add (active, g_steal_pointer (&job));
        }
      for (guint j = 0; j < active->len; j++)
        vigil_tracker_retry_now (tracker, g_ptr_array_index (active, j));
    }
}

/* ------------------------------------------------------------------ */
/* Rows                                                                */
/* ------------------------------------------------------------------ */

static void
on_setup_row (VigilWindow *self,
              GtkListItem *item)
{
  GtkWidget *row = vigil_job_row_new ();

  gtk_list_item_set_activatable (item, FALSE);
  gtk_list_item_set_child (item, row);
  gtk_expression_bind (gtk_property_expression_new (GTK_TYPE_LIST_ITEM, NULL, "item"),
                       row, "job", item);
  g_object_bind_property (self, "several-servers", row, "show-server", G_BINDING_SYNC_CREATE);
  g_signal_connect_object (row, "action-requested", G_CALLBACK (on_row_action_requested),
                           self, G_CONNECT_SWAPPED);
}

static GtkListItemFactory *
create_row_factory (VigilWindow *self)
{
  GtkListItemFactory *factory = gtk_signal_list_item_factory_new ();

  g_signal_connect_object (factory, "setup", G_CALLBACK (on_setup_row), self, G_CONNECT_SWAPPED);
  return factory;
}

/* ------------------------------------------------------------------ */
/* GObject / GtkWidget overrides                                       */
/* ------------------------------------------------------------------ */

/* The Servers view: the application's monitors when this window shows
 * the application's servers (they outlive the window, and one watching
 * every job goes on polling when it is closed), else a set of its own, the
 * charts kept beside the state file (in memory without one). */
static void
vigil_window_setup_server_page (VigilWindow *self)
{
  GtkApplication *app = gtk_window_get_application (GTK_WINDOW (self));
  VigilServerMonitors *shared = VIGIL_IS_APPLICATION (app)
    ? vigil_application_get_server_monitors (VIGIL_APPLICATION (app)) : NULL;
  g_autoptr(VigilServerMonitors) own = NULL;
  g_autoptr(VigilStateStore) first = NULL;
  VigilStateStore *store = self->state_store;
  g_autofree char *directory = NULL;

  if (shared != NULL && vigil_server_monitors_get_trackers (shared) == self->trackers)
    {
      vigil_server_page_setup (self->server_page, shared);
      return;
    }
  if (store == NULL && self->state_stores != NULL && g_list_model_get_n_items (self->state_stores) > 0)
    store = first = g_list_model_get_item (self->state_stores, 0);
  if (store != NULL && vigil_state_store_get_path (store) != NULL)
    directory = g_path_get_dirname (vigil_state_store_get_path (store));
  own = vigil_server_monitors_new (self->trackers, self->settings, directory);
  vigil_server_page_setup (self->server_page, own);
}

static gboolean
vigil_window_close_request (GtkWindow *window)
{
  vigil_window_save_state (VIGIL_WINDOW (window));

  return GTK_WINDOW_CLASS (vigil_window_parent_class)->close_request (window);
}

static void
vigil_window_constructed (GObject *object)
{
  VigilWindow *self = VIGIL_WINDOW (object);
  GListModel *jobs;
  g_autoptr(GtkListItemFactory) factory = NULL;

  G_OBJECT_CLASS (vigil_window_parent_class)->constructed (object);

  vigil_window_servers_init (self);
  jobs = vigil_window_servers_get_jobs (self);

  self->filter = gtk_custom_filter_new (filter_func, self, NULL);
  self->sorter = create_sorter ();
  self->filtered = gtk_filter_list_model_new (g_object_ref (jobs),
                                              g_object_ref (GTK_FILTER (self->filter)));
  self->sorted = gtk_sort_list_model_new (g_object_ref (G_LIST_MODEL (self->filtered)),
                                          g_object_ref (self->sorter));
  factory = create_row_factory (self);
  gtk_list_view_set_factory (self->job_list, factory);
  gtk_list_view_set_model (self->job_list,
                           GTK_SELECTION_MODEL (gtk_no_selection_new (g_object_ref (G_LIST_MODEL (self->sorted)))));
  g_object_unref (gtk_list_view_get_model (self->job_list));

  g_signal_connect_object (self->sorted, "items-changed", G_CALLBACK (on_items_changed),
                           self, G_CONNECT_SWAPPED);
  g_signal_connect_object (jobs, "items-changed", G_CALLBACK (on_items_changed),
                           self, G_CONNECT_SWAPPED);

  vigil_window_history_init (self);
  g_signal_connect_object (self->history, "items-changed", G_CALLBACK (on_items_changed),
                           self, G_CONNECT_SWAPPED);
  g_signal_connect_object (self->all_history, "items-changed", G_CALLBACK (on_items_changed),
                           self, G_CONNECT_SWAPPED);
  vigil_window_servers_start (self);
  vigil_window_setup_server_page (self);

  gtk_search_bar_connect_entry (self->search_bar, GTK_EDITABLE (self->search_entry));
  gtk_search_bar_set_key_capture_widget (self->search_bar, GTK_WIDGET (self));

  vigil_window_restore_state (self);
  update_filter_button (self);
  update_pages (self);
}

static void
vigil_window_dispose (GObject *object)
{
  VigilWindow *self = VIGIL_WINDOW (object);

  g_cancellable_cancel (self->cancellable);
  /* The models outlive the template's widgets: no page updates from here on. */
  vigil_window_history_dispose (self);
  if (self->sorted != NULL)
    g_signal_handlers_disconnect_by_data (self->sorted, self);
  if (self->all_jobs != NULL)
    g_signal_handlers_disconnect_by_data (self->all_jobs, self);
  vigil_window_servers_dispose (self);
  if (self->toast != NULL)
    g_object_remove_weak_pointer (G_OBJECT (self->toast), (gpointer *) &self->toast);
  self->toast = NULL;
  gtk_widget_dispose_template (GTK_WIDGET (self), VIGIL_TYPE_WINDOW);
  g_clear_object (&self->sorted);
  g_clear_object (&self->filtered);
  g_clear_object (&self->sorter);
  g_clear_object (&self->filter);
  g_clear_object (&self->tracker);
  g_clear_object (&self->state_store);
  g_clear_object (&self->settings);
  g_clear_object (&self->cancellable);

  G_OBJECT_CLASS (vigil_window_parent_class)->dispose (object);
}

static void
vigil_window_finalize (GObject *object)
{
  VigilWindow *self = VIGIL_WINDOW (object);

  g_free (self->filter_mode);
  g_free (self->search);

  G_OBJECT_CLASS (vigil_window_parent_class)->finalize (object);
}

static void
vigil_window_get_property (GObject    *object,
                           guint       prop_id,
                           GValue     *value,
                           GParamSpec *pspec)
{
  VigilWindow *self = VIGIL_WINDOW (object);

  switch (prop_id)
    {
    case PROP_SETTINGS:
      g_value_set_object (value, self->settings);
      break;
    case PROP_TRACKER:
      g_value_set_object (value, self->tracker);
      break;
    case PROP_STATE_STORE:
      g_value_set_object (value, self->state_store);
      break;
    case PROP_STATE_STORES:
      g_value_set_object (value, self->state_stores);
      break;
    case PROP_FILTER:
      g_value_set_string (value, self->filter_mode);
      break;
    case PROP_TRACKERS:
      g_value_set_object (value, self->trackers);
      break;
    case PROP_SEVERAL_SERVERS:
      g_value_set_boolean (value, vigil_window_servers_several (self));
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
vigil_window_set_property (GObject      *object,
                           guint         prop_id,
                           const GValue *value,
                           GParamSpec   *pspec)
{
  VigilWindow *self = VIGIL_WINDOW (object);

  switch (prop_id)
    {
    case PROP_SETTINGS:
      self->settings = g_value_dup_object (value);
      break;
    case PROP_TRACKER:
      self->tracker = g_value_dup_object (value);
      break;
    case PROP_STATE_STORE:
      self->state_store = g_value_dup_object (value);
      break;
    case PROP_STATE_STORES:
      self->state_stores = g_value_dup_object (value);
      break;
    case PROP_FILTER:
      vigil_window_set_filter (self, g_value_get_string (value));
      break;
    case PROP_TRACKERS:
      self->trackers = g_value_dup_object (value);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
vigil_window_class_init (VigilWindowClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);
  GtkWindowClass *window_class = GTK_WINDOW_CLASS (klass);

  object_class->constructed = vigil_window_constructed;
  object_class->dispose = vigil_window_dispose;
  object_class->finalize = vigil_window_finalize;
  object_class->get_property = vigil_window_get_property;
  object_class->set_property = vigil_window_set_property;

  window_class->close_request = vigil_window_close_request;

  properties[PROP_SETTINGS] =
    g_param_spec_object ("settings", NULL, NULL, G_TYPE_SETTINGS,
                         G_PARAM_READWRITE | G_PARAM_CONSTRUCT_ONLY | G_PARAM_STATIC_STRINGS);
  properties[PROP_TRACKER] =
    g_param_spec_object ("tracker", NULL, NULL, VIGIL_TYPE_TRACKER,
                         G_PARAM_READWRITE | G_PARAM_CONSTRUCT_ONLY | G_PARAM_STATIC_STRINGS);
  properties[PROP_STATE_STORE] =
    g_param_spec_object ("state-store", NULL, NULL, VIGIL_TYPE_STATE_STORE,
                         G_PARAM_READWRITE | G_PARAM_CONSTRUCT_ONLY | G_PARAM_STATIC_STRINGS);
  properties[PROP_STATE_STORES] =
    g_param_spec_object ("state-stores", NULL, NULL, G_TYPE_LIST_MODEL,
                         G_PARAM_READWRITE | G_PARAM_CONSTRUCT_ONLY | G_PARAM_STATIC_STRINGS);
  properties[PROP_FILTER] =
    g_param_spec_string ("filter", NULL, NULL, "all",
                         G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  properties[PROP_TRACKERS] =
    g_param_spec_object ("trackers", NULL, NULL, G_TYPE_LIST_MODEL,
                         G_PARAM_READWRITE | G_PARAM_CONSTRUCT_ONLY | G_PARAM_STATIC_STRINGS);
  properties[PROP_SEVERAL_SERVERS] =
    g_param_spec_boolean ("several-servers", NULL, NULL, FALSE,
                          G_PARAM_READABLE | G_PARAM_STATIC_STRINGS);
  g_object_class_install_properties (object_class, N_PROPS, properties);

  g_type_ensure (VIGIL_TYPE_JOB_ROW);
  g_type_ensure (VIGIL_TYPE_SERVER_PAGE);
  gtk_widget_class_set_template_from_resource (widget_class, RESOURCE_BASE "/vigil-window.ui");
  gtk_widget_class_bind_template_child (widget_class, VigilWindow, window_title);
  gtk_widget_class_bind_template_child (widget_class, VigilWindow, server_dropdown);
  gtk_widget_class_bind_template_child (widget_class, VigilWindow, toast_overlay);
  gtk_widget_class_bind_template_child (widget_class, VigilWindow, keyring_banner);
  gtk_widget_class_bind_template_child (widget_class, VigilWindow, stack);
  gtk_widget_class_bind_template_child (widget_class, VigilWindow, empty_page);
  gtk_widget_class_bind_template_child (widget_class, VigilWindow, list_stack);
  gtk_widget_class_bind_template_child (widget_class, VigilWindow, job_list);
  gtk_widget_class_bind_template_child (widget_class, VigilWindow, history_stack);
  gtk_widget_class_bind_template_child (widget_class, VigilWindow, history_list);
  gtk_widget_class_bind_template_child (widget_class, VigilWindow, search_bar);
  gtk_widget_class_bind_template_child (widget_class, VigilWindow, search_entry);
  gtk_widget_class_bind_template_child (widget_class, VigilWindow, count_label);
  gtk_widget_class_bind_template_child (widget_class, VigilWindow, compact_count_label);
  gtk_widget_class_bind_template_child (widget_class, VigilWindow, filter_menu_button);
  gtk_widget_class_bind_template_child (widget_class, VigilWindow, primary_menu_button);
  gtk_widget_class_bind_template_child (widget_class, VigilWindow, server_page);
  gtk_widget_class_bind_template_callback (widget_class, on_search_changed);

  gtk_widget_class_install_action (widget_class, "win.new-analysis", NULL, new_analysis_action);
  gtk_widget_class_install_action (widget_class, "win.watch-job", NULL, watch_job_action);
  gtk_widget_class_install_action (widget_class, "win.clear-finished", NULL, clear_finished_action);
  gtk_widget_class_install_action (widget_class, "win.undo-clear-finished", NULL,
                                   undo_clear_finished_action);
  gtk_widget_class_install_action (widget_class, "win.search", NULL, search_action);
  gtk_widget_class_install_property_action (widget_class, "win.filter", "filter");

  gtk_widget_class_install_action (widget_class, "win.refresh", NULL, refresh_action);
  /* The keyboard shortcuts are the application's (vigil-application.c). */
}

static void
vigil_window_init (VigilWindow *self)
{
  self->filter_mode = g_strdup ("all");
  self->cancellable = g_cancellable_new ();
  gtk_widget_init_template (GTK_WIDGET (self));
  /* GTK 4.8 focuses the menu button's own toggle, which a screen reader
   * reads without the menu button's label: it gets the label too. */
  gtk_accessible_update_property (GTK_ACCESSIBLE (gtk_widget_get_first_child (GTK_WIDGET (self->primary_menu_button))),
                                  GTK_ACCESSIBLE_PROPERTY_LABEL, _("Main Menu"),
                                  -1);
}

/* ------------------------------------------------------------------ */
/* Public API                                                          */
/* ------------------------------------------------------------------ */

VigilWindow *
vigil_window_new (VigilApplication *application,
                  GSettings        *settings,
                  VigilTracker     *tracker,
                  VigilStateStore  *state_store)
{
  g_return_val_if_fail (VIGIL_IS_APPLICATION (application), NULL);
  g_return_val_if_fail (G_IS_SETTINGS (settings), NULL);
  g_return_val_if_fail (VIGIL_IS_TRACKER (tracker), NULL);
  g_return_val_if_fail (state_store == NULL || VIGIL_IS_STATE_STORE (state_store), NULL);

  return g_object_new (VIGIL_TYPE_WINDOW,
                       "application", application,
                       "settings", settings,
                       "tracker", tracker,
                       "state-store", state_store,
                       NULL);
}

/* Every server's jobs in one list: trackers holds each server's
 * VigilTracker (tracker is the primary one), state_stores (nullable) each
 * server's VigilStateStore, whose histories the Finished filter merges. */
VigilWindow *
vigil_window_new_for_servers (VigilApplication *application,
                              GSettings        *settings,
                              GListModel       *trackers,
                              VigilTracker     *tracker,
                              GListModel       *state_stores)
{
  g_return_val_if_fail (VIGIL_IS_APPLICATION (application), NULL);
  g_return_val_if_fail (G_IS_SETTINGS (settings), NULL);
  g_return_val_if_fail (G_IS_LIST_MODEL (trackers), NULL);
  g_return_val_if_fail (VIGIL_IS_TRACKER (tracker), NULL);
  g_return_val_if_fail (state_stores == NULL || G_IS_LIST_MODEL (state_stores), NULL);

  return g_object_new (VIGIL_TYPE_WINDOW,
                       "application", application,
                       "settings", settings,
                       "trackers", trackers,
                       "tracker", tracker,
                       "state-stores", state_stores,
                       NULL);
}

void
vigil_window_notify_several_servers (VigilWindow *self)
{
  g_return_if_fail (VIGIL_IS_WINDOW (self));

  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_SEVERAL_SERVERS]);
}

VigilTracker *
vigil_window_get_tracker (VigilWindow *self)
{
  g_return_val_if_fail (VIGIL_IS_WINDOW (self), NULL);

  return self->tracker;
}

GListModel *
vigil_window_get_visible_jobs (VigilWindow *self)
{
  g_return_val_if_fail (VIGIL_IS_WINDOW (self), NULL);

  return G_LIST_MODEL (self->sorted);
}

GListModel *
vigil_window_get_visible_history (VigilWindow *self)
{
  g_return_val_if_fail (VIGIL_IS_WINDOW (self), NULL);

  return self->history;
}

void
vigil_window_set_server_label (VigilWindow *self,
                               const char  *label)
{
  g_return_if_fail (VIGIL_IS_WINDOW (self));

  g_free (self->server_label);
  self->server_label = g_strdup (label);
  if (!vigil_window_servers_several (self))
    adw_window_title_set_subtitle (self->window_title, label ? label : "");
}

/* The banner "No keyring: …" shows while credentials is session-only. */
void
vigil_window_set_credentials (VigilWindow      *self,
                              VigilCredentials *credentials)
{
  g_return_if_fail (VIGIL_IS_WINDOW (self));
  g_return_if_fail (VIGIL_IS_CREDENTIALS (credentials));

  g_object_bind_property (credentials, "session-only", self->keyring_banner, "reveal-child",
                          G_BINDING_SYNC_CREATE);
}

gboolean
vigil_window_get_keyring_banner_shown (VigilWindow *self)
{
  g_return_val_if_fail (VIGIL_IS_WINDOW (self), FALSE);

  return gtk_revealer_get_reveal_child (self->keyring_banner);
}

void
vigil_window_add_toast (VigilWindow *self,
                        const char  *message)
{
  g_return_if_fail (VIGIL_IS_WINDOW (self));
  g_return_if_fail (message != NULL);

  show_toast (self, message, NULL, NULL);
}

GtkWindow *
vigil_window_show_new_analysis (VigilWindow *self)
{
  VigilNewAnalysisDialog *dialog;

  g_return_val_if_fail (VIGIL_IS_WINDOW (self), NULL);

  dialog = vigil_new_analysis_dialog_new (GTK_WINDOW (self));
  vigil_new_analysis_dialog_set_server_chooser (dialog, vigil_window_server_chooser_new (self));
  g_signal_connect_object (dialog, "start", G_CALLBACK (on_dialog_start), self, 0);
  gtk_window_present (GTK_WINDOW (dialog));
  return GTK_WINDOW (dialog);
}
