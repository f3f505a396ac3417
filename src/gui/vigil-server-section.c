/* vigil-server-section.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <glib/gi18n.h>

#include "vigil-chart.h"
#include "vigil-job-text.h"
#include "vigil-new-analysis-dialog.h"
#include "vigil-server-text.h"
#include "vigil-window.h"

#include "vigil-server-section.h"

struct _VigilServerSection
{
  GtkWidget           parent_instance;

  VigilServerMonitor *monitor;
  GCancellable       *cancellable;
  char               *cleanup_result;

  /* Template widgets */
  GtkWidget          *box;
  GtkLabel           *title_label;
  GtkRevealer        *failing_revealer;
  GtkLabel           *failing_label;
  AdwPreferencesGroup *queue_group;
  AdwPreferencesGroup *worker_group;
  GtkLabel           *pending_label;
  GtkLabel           *running_label;
  GtkLabel           *completed_label;
  GtkLabel           *failed_label;
  GtkLabel           *priorities_label;
  GtkLabel           *active_label;
  GtkWidget          *status_dot;
  GtkLabel           *status_label;
  GtkLabel           *uptime_label;
  GtkLabel           *processed_label;
  GtkLabel           *worker_failed_label;
  GtkLabel           *interrupted_label;
  GtkLabel           *current_label;
  GtkWidget          *current_watch_button;
  GtkLabel           *heartbeat_label;
  AdwActionRow       *heartbeat_warning_row;
  GtkWidget          *charts_box;
  VigilChart         *queue_chart;
  VigilChart         *songs_chart;
  GtkSwitch          *auto_watch_switch;
  GtkListBox         *discovered_list;
  AdwActionRow       *cleanup_row;
  GtkWidget          *cleanup_button;
  GtkWidget          *library_button;
};

enum {
  PROP_0,
  PROP_MONITOR,
  PROP_TITLE,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

G_DEFINE_FINAL_TYPE (VigilServerSection, vigil_server_section, GTK_TYPE_WIDGET)

/* ------------------------------------------------------------------ */
/* Showing the monitor (words from vigil-server-text)                  */
/* ------------------------------------------------------------------ */

static void
set_count (GtkLabel *label,
           gint64    count)
{
  g_autofree char *text = vigil_server_text_count (count);

  gtk_label_set_label (label, text);
}

static char *
record_title (const VigilJobRecord *record)
{
  return vigil_job_text_title (record->kind, record->target_id, record->song_title,
                               record->artist, record->playlist_name);
}

static void
show_queue (VigilServerSection *self)
{
  const VigilQueueCounts *counts = vigil_server_monitor_get_counts (self->monitor);
  VigilJobRecord *active = vigil_server_monitor_get_active_job (self->monitor);
  g_autofree char *priorities = vigil_server_text_priorities (counts);
  g_autofree char *title = active != NULL ? record_title (active) : NULL;

  set_count (self->pending_label, counts->pending_jobs);
  set_count (self->running_label, counts->in_progress_jobs);
  set_count (self->completed_label, counts->completed_jobs);
  set_count (self->failed_label, counts->failed_jobs);
  gtk_label_set_label (self->priorities_label, priorities);
  if (title != NULL)
    gtk_label_set_label (self->active_label, title);
  else if (vigil_server_monitor_get_last_update (self->monitor) == 0)
    gtk_label_set_label (self->active_label, vigil_server_text_unknown ());
  else
    /* Translators: the queue's active job when there is none. */
    gtk_label_set_label (self->active_label, C_("active job", "None"));
  adw_preferences_group_set_description (self->queue_group,
                                         vigil_server_text_counts_note (counts->source));
}

static void
show_status (VigilServerSection *self,
             VigilWorkerState    state)
{
  static const char * const classes[] = { "unknown", "running", "stopped", "not-running" };

  for (guint i = 0; i < G_N_ELEMENTS (classes); i++)
    {
      if (i == (guint) state)
        gtk_widget_add_css_class (self->status_dot, classes[i]);
      else
        gtk_widget_remove_css_class (self->status_dot, classes[i]);
    }
  gtk_label_set_label (self->status_label, vigil_server_text_worker_state (state));
}

static void
show_current_job (VigilServerSection *self,
                  VigilWorkerHealth  *worker)
{
  VigilJobRecord *job = worker != NULL ? worker->current_job : NULL;
  VigilTracker *tracker = vigil_server_monitor_get_tracker (self->monitor);
  g_autofree char *title = job != NULL ? record_title (job) : NULL;
  gboolean can_watch;

  if (title != NULL)
    gtk_label_set_label (self->current_label, title);
  else if (worker == NULL)
    gtk_label_set_label (self->current_label, vigil_server_text_unknown ());
  else
    /* Translators: the worker's current job when there is none. */
    gtk_label_set_label (self->current_label, C_("current job", "None"));
  can_watch = job != NULL && job->job_id != NULL && tracker != NULL &&
              vigil_tracker_lookup (tracker, job->job_id) == NULL;
  gtk_widget_set_visible (self->current_watch_button, can_watch);
}

static void
show_worker (VigilServerSection *self)
{
  VigilWorkerHealth *worker = vigil_server_monitor_get_worker (self->monitor);
  g_autofree char *uptime = vigil_server_text_uptime (worker != NULL ? worker->uptime_seconds : VIGIL_UNKNOWN);
  g_autofree char *heartbeat = NULL;
  gboolean stale = vigil_server_monitor_get_heartbeat_stale (self->monitor);

  show_status (self, vigil_server_monitor_get_worker_state (self->monitor));
  gtk_label_set_label (self->uptime_label, uptime);
  set_count (self->processed_label, worker != NULL ? worker->jobs_processed : -1);
  set_count (self->worker_failed_label, worker != NULL ? worker->jobs_failed : -1);
  set_count (self->interrupted_label, worker != NULL ? worker->jobs_interrupted : -1);
  if (worker != NULL)
    heartbeat = vigil_server_text_heartbeat (worker->last_heartbeat, NULL);
  gtk_label_set_label (self->heartbeat_label,
                       heartbeat != NULL ? heartbeat : vigil_server_text_unknown ());
  show_current_job (self, worker);

  adw_preferences_row_set_title (ADW_PREFERENCES_ROW (self->heartbeat_warning_row),
                                 vigil_server_text_heartbeat_warning ());
  gtk_widget_set_visible (GTK_WIDGET (self->heartbeat_warning_row), stale);
}

static gboolean
is_not_admin (VigilServerSection *self)
{
  const GError *error = vigil_server_monitor_get_last_error (self->monitor);

  return vigil_monitor_failure_from_error (error) == VIGIL_MONITOR_FAILURE_NOT_ADMIN;
}

static void
show_failing (VigilServerSection *self)
{
  const GError *error = vigil_server_monitor_get_last_error (self->monitor);
  gboolean failing = vigil_server_monitor_get_failing (self->monitor) && error != NULL;

  if (failing)
    {
      g_autofree char *text = vigil_server_text_failing (error,
                                                         vigil_server_monitor_get_failing_since (self->monitor));
      gtk_label_set_label (self->failing_label, text);
    }
  gtk_revealer_set_reveal_child (self->failing_revealer, failing);

  /* Only an admin may start a whole library's analysis: say why not. */
  if (is_not_admin (self))
    {
      g_autofree char *reason = vigil_server_text_cleanup_result (NULL, error);

      gtk_widget_set_sensitive (self->library_button, FALSE);
      gtk_widget_set_tooltip_text (self->library_button, reason);
    }
  else
    {
      gtk_widget_set_sensitive (self->library_button, TRUE);
      gtk_widget_set_tooltip_text (self->library_button, NULL);
    }
}

static void
on_monitor_changed (VigilServerSection *self)
{
  show_failing (self);
  show_queue (self);
  show_worker (self);
}

/* ------------------------------------------------------------------ */
/* "Also on this server"                                               */
/* ------------------------------------------------------------------ */

static void
on_discovered_watch_clicked (GtkButton          *button,
                             VigilServerSection *self)
{
  VigilDiscoveredJob *job = g_object_get_data (G_OBJECT (button), "vigil-discovered-job");

  if (job != NULL)
    vigil_server_monitor_watch (self->monitor, job);
}

static GtkWidget *
create_discovered_row (gpointer item,
                       gpointer user_data)
{
  VigilServerSection *self = user_data;
  VigilDiscoveredJob *job = item;
  GtkWidget *row = adw_action_row_new ();
  GtkWidget *button = gtk_button_new_with_mnemonic (_("_Watch"));

  adw_preferences_row_set_use_markup (ADW_PREFERENCES_ROW (row), FALSE);
  g_object_bind_property (job, "title", row, "title", G_BINDING_SYNC_CREATE);
  g_object_bind_property (job, "progress-text", row, "subtitle", G_BINDING_SYNC_CREATE);

  gtk_widget_set_valign (button, GTK_ALIGN_CENTER);
  gtk_widget_set_tooltip_text (button, _("Watch this job"));
  g_object_set_data_full (G_OBJECT (button), "vigil-discovered-job",
                          g_object_ref (job), g_object_unref);
  g_signal_connect_object (button, "clicked", G_CALLBACK (on_discovered_watch_clicked), self, 0);
  adw_action_row_add_suffix (ADW_ACTION_ROW (row), button);
  return row;
}

static void
setup_discovered (VigilServerSection *self)
{
  GtkWidget *placeholder = gtk_label_new (_("Nothing else is running"));

  gtk_widget_add_css_class (placeholder, "dim-label");
  gtk_widget_set_margin_top (placeholder, 12);
  gtk_widget_set_margin_bottom (placeholder, 12);
  gtk_list_box_set_placeholder (self->discovered_list, placeholder);
  gtk_list_box_bind_model (self->discovered_list,
                           vigil_server_monitor_get_discovered (self->monitor),
                           create_discovered_row, self, NULL);
  g_object_bind_property (self->monitor, "auto-watch", self->auto_watch_switch, "active",
                          G_BINDING_SYNC_CREATE | G_BINDING_BIDIRECTIONAL);
}

/* ------------------------------------------------------------------ */
/* Actions                                                             */
/* ------------------------------------------------------------------ */

static void
say (VigilServerSection *self,
     const char         *text)
{
  GtkRoot *root = gtk_widget_get_root (GTK_WIDGET (self));

  if (VIGIL_IS_WINDOW (root))
    vigil_window_add_toast (VIGIL_WINDOW (root), text);
}

static void
on_current_watch_clicked (VigilServerSection *self)
{
  VigilWorkerHealth *worker = vigil_server_monitor_get_worker (self->monitor);
  VigilTracker *tracker = vigil_server_monitor_get_tracker (self->monitor);
  VigilJobRecord *job = worker != NULL ? worker->current_job : NULL;

  if (job == NULL || job->job_id == NULL || tracker == NULL)
    return;
  vigil_tracker_watch (tracker, job->job_id, job->kind, job->target_id);
  show_current_job (self, worker);
}

static void
set_cleanup_result (VigilServerSection *self,
                    const char         *text)
{
  g_free (self->cleanup_result);
  self->cleanup_result = g_strdup (text);
  adw_action_row_set_subtitle (self->cleanup_row, text);
  say (self, text);
}

static void
on_cleanup_done (GObject      *object,
                 GAsyncResult *result,
                 gpointer      user_data)
{
  VigilServerSection *self;
  g_autoptr(GError) error = NULL;
  g_autofree char *message = NULL;
  g_autofree char *text = NULL;

  message = vigil_server_monitor_cleanup_finish (VIGIL_SERVER_MONITOR (object), result, &error);
  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    return;

  self = VIGIL_SERVER_SECTION (user_data);
  text = vigil_server_text_cleanup_result (message, error);
  set_cleanup_result (self, text);
  gtk_widget_set_sensitive (self->cleanup_button, TRUE);
}

static void
on_cleanup_response (AdwMessageDialog   *dialog,
                     const char         *response,
                     VigilServerSection *self)
{
  GtkSpinButton *spin = g_object_get_data (G_OBJECT (dialog), "vigil-hours");
  int hours = gtk_spin_button_get_value_as_int (spin);
  g_autoptr(GError) error = NULL;

  if (!g_str_equal (response, "cleanup"))
    return;

  if (!vigil_monitor_policy_check_max_age (hours, &error))
    {
      g_autofree char *text = vigil_server_text_cleanup_result (NULL, error);

      set_cleanup_result (self, text);
      return;
    }
  /* The answer to come replaces the last one. */
  g_clear_pointer (&self->cleanup_result, g_free);
  adw_action_row_set_subtitle (self->cleanup_row, "");
  gtk_widget_set_sensitive (self->cleanup_button, FALSE);
  vigil_server_monitor_cleanup_async (self->monitor, hours, self->cancellable,
                                      on_cleanup_done, self);
}

static GtkWidget *
create_hours_spin (void)
{
  GtkWidget *spin = gtk_spin_button_new_with_range (1, VIGIL_MONITOR_MAX_AGE_HOURS_MAX, 1);

  gtk_spin_button_set_value (GTK_SPIN_BUTTON (spin), VIGIL_MONITOR_MAX_AGE_HOURS_DEFAULT);
  gtk_spin_button_set_numeric (GTK_SPIN_BUTTON (spin), TRUE);
  gtk_widget_set_halign (spin, GTK_ALIGN_CENTER);
  gtk_accessible_update_property (GTK_ACCESSIBLE (spin), GTK_ACCESSIBLE_PROPERTY_LABEL,
                                  _("Maximum age in hours"), -1);
  return spin;
}

static void
on_cleanup_clicked (VigilServerSection *self)
{
  vigil_server_section_show_cleanup (self);
}

static void
select_server (VigilServerSection *self,
               GtkWidget          *chooser)
{
  const char *url = vigil_api_client_get_base_url (vigil_server_monitor_get_client (self->monitor));
  GListModel *urls;

  if (!GTK_IS_DROP_DOWN (chooser))
    return;
  urls = gtk_drop_down_get_model (GTK_DROP_DOWN (chooser));
  for (guint i = 0; urls != NULL && i < g_list_model_get_n_items (urls); i++)
    {
      g_autoptr(GtkStringObject) item = g_list_model_get_item (urls, i);

      if (GTK_IS_STRING_OBJECT (item) && g_strcmp0 (gtk_string_object_get_string (item), url) == 0)
        gtk_drop_down_set_selected (GTK_DROP_DOWN (chooser), i);
    }
}

static void
on_library_clicked (VigilServerSection *self)
{
  GtkRoot *root = gtk_widget_get_root (GTK_WIDGET (self));
  VigilNewAnalysisDialog *dialog;

  if (!VIGIL_IS_WINDOW (root))
    return;
  dialog = VIGIL_NEW_ANALYSIS_DIALOG (vigil_window_show_new_analysis (VIGIL_WINDOW (root)));
  vigil_new_analysis_dialog_set_kind (dialog, VIGIL_JOB_KIND_BACKGROUND);
  select_server (self, vigil_new_analysis_dialog_get_server_chooser (dialog));
}

/* ------------------------------------------------------------------ */
/* GObject / GtkWidget overrides                                       */
/* ------------------------------------------------------------------ */

static void
vigil_server_section_constructed (GObject *object)
{
  VigilServerSection *self = VIGIL_SERVER_SECTION (object);
  VigilServerHistory *history;

  G_OBJECT_CLASS (vigil_server_section_parent_class)->constructed (object);

  g_assert (VIGIL_IS_SERVER_MONITOR (self->monitor));
  history = vigil_server_monitor_get_history (self->monitor);
  vigil_chart_set_history (self->queue_chart, history);
  vigil_chart_set_history (self->songs_chart, history);
  setup_discovered (self);
  /* The flow box only lays the groups out side by side: its children
   * take no focus of their own. */
  gtk_widget_set_focusable (gtk_widget_get_parent (GTK_WIDGET (self->queue_group)), FALSE);
  gtk_widget_set_focusable (gtk_widget_get_parent (GTK_WIDGET (self->worker_group)), FALSE);
  for (GtkWidget *child = gtk_widget_get_first_child (self->charts_box); child != NULL;
       child = gtk_widget_get_next_sibling (child))
    gtk_widget_set_focusable (child, FALSE);
  g_signal_connect_object (self->monitor, "changed", G_CALLBACK (on_monitor_changed),
                           self, G_CONNECT_SWAPPED);
  on_monitor_changed (self);
}

static void
vigil_server_section_dispose (GObject *object)
{
  VigilServerSection *self = VIGIL_SERVER_SECTION (object);

  g_cancellable_cancel (self->cancellable);
  g_clear_object (&self->cancellable);
  gtk_widget_dispose_template (GTK_WIDGET (self), VIGIL_TYPE_SERVER_SECTION);
  g_clear_object (&self->monitor);

  G_OBJECT_CLASS (vigil_server_section_parent_class)->dispose (object);
}

static void
vigil_server_section_finalize (GObject *object)
{
  VigilServerSection *self = VIGIL_SERVER_SECTION (object);

  g_free (self->cleanup_result);

  G_OBJECT_CLASS (vigil_server_section_parent_class)->finalize (object);
}

static void
vigil_server_section_get_property (GObject    *object,
                                   guint       prop_id,
                                   GValue     *value,
                                   GParamSpec *pspec)
{
  VigilServerSection *self = VIGIL_SERVER_SECTION (object);

  switch (prop_id)
    {
    case PROP_MONITOR:
      g_value_set_object (value, self->monitor);
      break;
    case PROP_TITLE:
      g_value_set_string (value, gtk_label_get_label (self->title_label));
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
vigil_server_section_set_property (GObject      *object,
                                   guint         prop_id,
                                   const GValue *value,
                                   GParamSpec   *pspec)
{
  VigilServerSection *self = VIGIL_SERVER_SECTION (object);

  switch (prop_id)
    {
    case PROP_MONITOR:
      self->monitor = g_value_dup_object (value);
      break;
    case PROP_TITLE:
      vigil_server_section_set_title (self, g_value_get_string (value));
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
vigil_server_section_class_init (VigilServerSectionClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->constructed = vigil_server_section_constructed;
  object_class->dispose = vigil_server_section_dispose;
  object_class->finalize = vigil_server_section_finalize;
  object_class->get_property = vigil_server_section_get_property;
  object_class->set_property = vigil_server_section_set_property;

  properties[PROP_MONITOR] =
    g_param_spec_object ("monitor", NULL, NULL, VIGIL_TYPE_SERVER_MONITOR,
                         G_PARAM_READWRITE | G_PARAM_CONSTRUCT_ONLY | G_PARAM_STATIC_STRINGS);
  properties[PROP_TITLE] =
    g_param_spec_string ("title", NULL, NULL, NULL,
                         G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  g_object_class_install_properties (object_class, N_PROPS, properties);

  g_type_ensure (VIGIL_TYPE_CHART);
  gtk_widget_class_set_template_from_resource (widget_class,
                                               "/io/github/vigil/Vigil/vigil-server-section.ui");
  gtk_widget_class_set_layout_manager_type (widget_class, GTK_TYPE_BIN_LAYOUT);
#define BIND(name) gtk_widget_class_bind_template_child (widget_class, VigilServerSection, name)
  BIND (box);
  BIND (title_label);
  BIND (failing_revealer);
  BIND (failing_label);
  BIND (queue_group);
  BIND (worker_group);
  BIND (pending_label);
  BIND (running_label);
  BIND (completed_label);
  BIND (failed_label);
  BIND (priorities_label);
  BIND (active_label);
  BIND (status_dot);
  BIND (status_label);
  BIND (uptime_label);
  BIND (processed_label);
  BIND (worker_failed_label);
  BIND (interrupted_label);
  BIND (current_label);
  BIND (current_watch_button);
  BIND (heartbeat_label);
  BIND (heartbeat_warning_row);
  BIND (charts_box);
  BIND (queue_chart);
  BIND (songs_chart);
  BIND (auto_watch_switch);
  BIND (discovered_list);
  BIND (cleanup_row);
  BIND (cleanup_button);
  BIND (library_button);
#undef BIND
  gtk_widget_class_bind_template_callback (widget_class, on_current_watch_clicked);
  gtk_widget_class_bind_template_callback (widget_class, on_cleanup_clicked);
  gtk_widget_class_bind_template_callback (widget_class, on_library_clicked);
}

static void
vigil_server_section_init (VigilServerSection *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));
  self->cancellable = g_cancellable_new ();
}

/* ------------------------------------------------------------------ */
/* Public API                                                          */
/* ------------------------------------------------------------------ */

GtkWidget *
vigil_server_section_new (VigilServerMonitor *monitor)
{
  g_return_val_if_fail (VIGIL_IS_SERVER_MONITOR (monitor), NULL);

  return g_object_new (VIGIL_TYPE_SERVER_SECTION, "monitor", monitor, NULL);
}

VigilServerMonitor *
vigil_server_section_get_monitor (VigilServerSection *self)
{
  g_return_val_if_fail (VIGIL_IS_SERVER_SECTION (self), NULL);

  return self->monitor;
}

void
vigil_server_section_set_title (VigilServerSection *self,
                                const char         *title)
{
  g_return_if_fail (VIGIL_IS_SERVER_SECTION (self));

  if (g_strcmp0 (title, gtk_label_get_label (self->title_label)) == 0)
    return;
  gtk_label_set_label (self->title_label, title != NULL ? title : "");
  gtk_widget_set_visible (GTK_WIDGET (self->title_label), title != NULL && title[0] != '\0');
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_TITLE]);
}

AdwMessageDialog *
vigil_server_section_show_cleanup (VigilServerSection *self)
{
  GtkRoot *root;
  GtkWidget *dialog;
  GtkWidget *spin;

  g_return_val_if_fail (VIGIL_IS_SERVER_SECTION (self), NULL);

  root = gtk_widget_get_root (GTK_WIDGET (self));
  dialog = adw_message_dialog_new (GTK_IS_WINDOW (root) ? GTK_WINDOW (root) : NULL,
                                   _("Clean Up Stale Progress?"),
                                   _("Progress records of jobs picked up more than this many hours ago are dropped. The jobs themselves keep running."));
  adw_message_dialog_add_responses (ADW_MESSAGE_DIALOG (dialog),
                                    "cancel", _("_Cancel"),
                                    "cleanup", _("C_lean Up"),
                                    NULL);
  adw_message_dialog_set_response_appearance (ADW_MESSAGE_DIALOG (dialog), "cleanup",
                                              ADW_RESPONSE_DESTRUCTIVE);
  adw_message_dialog_set_default_response (ADW_MESSAGE_DIALOG (dialog), "cancel");
  adw_message_dialog_set_close_response (ADW_MESSAGE_DIALOG (dialog), "cancel");
  spin = create_hours_spin ();
  adw_message_dialog_set_extra_child (ADW_MESSAGE_DIALOG (dialog), spin);
  g_object_set_data (G_OBJECT (dialog), "vigil-hours", spin);
  g_signal_connect_object (dialog, "response", G_CALLBACK (on_cleanup_response), self, 0);
  gtk_window_present (GTK_WINDOW (dialog));
  return ADW_MESSAGE_DIALOG (dialog);
}

const char *
vigil_server_section_get_cleanup_result (VigilServerSection *self)
{
  g_return_val_if_fail (VIGIL_IS_SERVER_SECTION (self), NULL);

  return self->cleanup_result;
}
