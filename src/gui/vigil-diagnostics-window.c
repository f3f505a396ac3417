/* vigil-diagnostics-window.c — the pollers' introspection, live
 *
 * Nothing here runs while the window is not mapped: a one-second timeout
 * started on map and removed on unmap reads every poller
 * (vigil_poller_dup_job_stats(), vigil_poller_get_stats()) and updates the
 * rows' items in place, so the column view's labels change only where a
 * value did. The window connects to nothing outside itself.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <glib/gi18n.h>
#include <string.h>

#include "vigil-debug-log.h"
#include "vigil-job-text.h"
#include "vigil-poller-stats.h"
#include "vigil-tracker.h"

#include "vigil-diagnostics-window.h"

/* ------------------------------------------------------------------ */
/* A job's row: one string per column                                  */
/* ------------------------------------------------------------------ */

static const char * const column_names[] = { VIGIL_DIAGNOSTICS_COLUMNS };
#define N_COLUMNS G_N_ELEMENTS (column_names)

#define VIGIL_TYPE_DIAGNOSTICS_JOB (vigil_diagnostics_job_get_type ())
G_DECLARE_FINAL_TYPE (VigilDiagnosticsJob, vigil_diagnostics_job, VIGIL, DIAGNOSTICS_JOB, GObject)

struct _VigilDiagnosticsJob
{
  GObject   parent_instance;

  VigilJob *job;                /* which job the row is (unowned: a key) */
  char     *text[N_COLUMNS];
};

static GParamSpec *job_properties[N_COLUMNS + 1];

G_DEFINE_FINAL_TYPE (VigilDiagnosticsJob, vigil_diagnostics_job, G_TYPE_OBJECT)

static void
vigil_diagnostics_job_get_property (GObject    *object,
                                    guint       prop_id,
                                    GValue     *value,
                                    GParamSpec *pspec)
{
  VigilDiagnosticsJob *self = VIGIL_DIAGNOSTICS_JOB (object);

  if (prop_id >= 1 && prop_id <= N_COLUMNS)
    g_value_set_string (value, self->text[prop_id - 1]);
  else
    G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
}

static void
vigil_diagnostics_job_finalize (GObject *object)
{
  VigilDiagnosticsJob *self = VIGIL_DIAGNOSTICS_JOB (object);

  for (guint i = 0; i < N_COLUMNS; i++)
    g_free (self->text[i]);

  G_OBJECT_CLASS (vigil_diagnostics_job_parent_class)->finalize (object);
}

static void
vigil_diagnostics_job_class_init (VigilDiagnosticsJobClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->get_property = vigil_diagnostics_job_get_property;
  object_class->finalize = vigil_diagnostics_job_finalize;

  for (guint i = 0; i < N_COLUMNS; i++)
    job_properties[i + 1] = g_param_spec_string (column_names[i], NULL, NULL, NULL,
                                                 G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY |
                                                 G_PARAM_STATIC_STRINGS);
  g_object_class_install_properties (object_class, N_COLUMNS + 1, job_properties);
}

static void
vigil_diagnostics_job_init (VigilDiagnosticsJob *self)
{
}

/* Takes text. */
static void
job_item_take_text (VigilDiagnosticsJob *self,
                    guint                column,
                    char                *text)
{
  g_assert (column < N_COLUMNS);

  if (g_strcmp0 (self->text[column], text) == 0)
    {
      g_free (text);
      return;
    }
  g_free (self->text[column]);
  self->text[column] = text;
  g_object_notify_by_pspec (G_OBJECT (self), job_properties[column + 1]);
}

/* ------------------------------------------------------------------ */
/* The window                                                          */
/* ------------------------------------------------------------------ */

/* The totals of a server, in the servers grid's columns. */
enum
{
  TOTAL_SERVER,
  TOTAL_JOBS,
  TOTAL_REQUESTS,
  TOTAL_PER_MINUTE,
  TOTAL_AVERAGE_DELAY,
  TOTAL_BATCH,
  TOTAL_RECEIVED,
  N_TOTALS
};

struct _VigilDiagnosticsWindow
{
  AdwWindow     parent_instance;

  GListModel   *trackers;
  GListStore   *jobs;          /* VigilDiagnosticsJob */
  GPtrArray    *pollers;       /* VigilPoller refs: the servers grid's rows, while mapped */
  GPtrArray    *total_labels;  /* GtkLabel, N_TOTALS a server */
  guint         tick_id;

  /* Template widgets */
  GtkSwitch    *debug_switch;
  GtkGrid      *servers_grid;
  GtkStack     *jobs_stack;
  GtkColumnView *jobs_view;
};

enum
{
  PROP_0,
  PROP_TRACKERS,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

G_DEFINE_FINAL_TYPE (VigilDiagnosticsWindow, vigil_diagnostics_window, ADW_TYPE_WINDOW)

/* ------------------------------------------------------------------ */
/* Words                                                               */
/* ------------------------------------------------------------------ */

static char *
seconds_text (double seconds)
{
  /* Translators: a poll delay or wait in seconds, "2.5 s" */
  return g_strdup_printf (_("%.1f s"), seconds);
}

static char *
job_text (VigilJob *job)
{
  const char *title = vigil_job_get_title (job);

  if (title == NULL || title[0] == '\0')
    return g_strdup (vigil_job_get_job_id (job));
  /* Translators: a job's id and title in the diagnostics, "42 · My Playlist" */
  return g_strdup_printf (_("%s · %s"), vigil_job_get_job_id (job), title);
}

static char *
requests_text (guint64 requests,
               guint64 batched)
{
  g_autofree char *all = g_strdup_printf ("%" G_GUINT64_FORMAT, requests);
  g_autofree char *in_batches = NULL;

  if (batched == 0)
    return g_steal_pointer (&all);
  in_batches = g_strdup_printf ("%" G_GUINT64_FORMAT, batched);
  /* Translators: requests made for a job, some of them batch polls
   * shared with other jobs: "12 (5 in batches)" */
  return g_strdup_printf (_("%s (%s in batches)"), all, in_batches);
}

static char *
next_poll_text (const VigilPollInfo *info)
{
  if (info->in_flight)
    /* Translators: a request for the job is waiting for its answer */
    return g_strdup (_("Asking now"));
  return seconds_text (info->next_poll_in_s);
}

static void
job_item_update (VigilDiagnosticsJob       *item,
                 const VigilPollerJobStats *stats)
{
  const VigilPollInfo *info = &stats->info;
  char *tracked_for = vigil_job_text_duration (info->tracked_for_s);

  job_item_take_text (item, 0, job_text (stats->job));
  /* what the user calls the server (Preferences), else its host */
  job_item_take_text (item, 1, g_strdup (vigil_job_get_server_name (stats->job) != NULL
                                         ? vigil_job_get_server_name (stats->job)
                                         : stats->server));
  job_item_take_text (item, 2, info->delay_ms > 0 ? seconds_text (info->delay_ms / 1000.0)
                                                  : g_strdup ("—"));
  job_item_take_text (item, 3, g_strdup (vigil_job_text_poll_reason (info->reason)));
  job_item_take_text (item, 4, g_strdup_printf ("%u", info->errors));
  job_item_take_text (item, 5, tracked_for != NULL ? tracked_for : g_strdup ("—"));
  job_item_take_text (item, 6, next_poll_text (info));
  job_item_take_text (item, 7, requests_text (info->requests, stats->batched));
}

static char *
batch_text (const VigilPollerStats *stats)
{
  g_autofree char *used = g_strdup_printf ("%" G_GUINT64_FORMAT, stats->batch_answers);
  g_autofree char *sent = g_strdup_printf ("%" G_GUINT64_FORMAT, stats->batch_requests);

  /* Translators: batch polls answered and used, of those sent: "10 of 12" */
  return g_strdup_printf (_("%s of %s"), used, sent);
}

static char *
total_text (guint                   column,
            VigilTracker           *tracker,
            const VigilPollerStats *stats)
{
  switch (column)
    {
    case TOTAL_SERVER:
      /* what the user calls it, else its host (renames show at the next tick) */
      return g_strdup (vigil_tracker_get_server_name (tracker));
    case TOTAL_JOBS:
      return g_strdup_printf ("%u", stats->n_tracked);
    case TOTAL_REQUESTS:
      return g_strdup_printf ("%" G_GUINT64_FORMAT, stats->requests);
    case TOTAL_PER_MINUTE:
      return g_strdup_printf ("%u", stats->requests_last_minute);
    case TOTAL_AVERAGE_DELAY:
      return stats->average_delay_ms > 0 ? seconds_text (stats->average_delay_ms / 1000.0)
                                         : g_strdup ("—");
    case TOTAL_BATCH:
      return batch_text (stats);
    case TOTAL_RECEIVED:
    default:
      return g_format_size (stats->bytes_received);
    }
}

/* ------------------------------------------------------------------ */
/* The servers' totals                                                 */
/* ------------------------------------------------------------------ */

static GtkWidget *
grid_label (const char *text,
            gboolean    first,
            gboolean    header)
{
  GtkWidget *label = gtk_label_new (text);

  gtk_label_set_xalign (GTK_LABEL (label), first ? 0.0f : 1.0f);
  gtk_widget_set_hexpand (label, first);
  gtk_label_set_ellipsize (GTK_LABEL (label), first ? PANGO_ELLIPSIZE_END : PANGO_ELLIPSIZE_NONE);
  gtk_widget_add_css_class (label, header ? "dim-label" : "numeric");
  return label;
}

static void
add_grid_header (VigilDiagnosticsWindow *self)
{
  static const char * const titles[N_TOTALS] = {
    N_("Server"), N_("Jobs"), N_("Requests"), N_("Per Minute"), N_("Average Delay"),
    N_("Batch Answers"), N_("Received"),
  };

  for (guint i = 0; i < N_TOTALS; i++)
    gtk_grid_attach (self->servers_grid, grid_label (_(titles[i]), i == 0, TRUE), i, 0, 1, 1);
}

/* The current servers' pollers, as the grid's rows should be. */
static GPtrArray *
current_pollers (VigilDiagnosticsWindow *self)
{
  guint n = self->trackers != NULL ? g_list_model_get_n_items (self->trackers) : 0;
  GPtrArray *pollers = g_ptr_array_new_full (n, g_object_unref);

  for (guint i = 0; i < n; i++)
    {
      g_autoptr(VigilTracker) tracker = g_list_model_get_item (self->trackers, i);

      g_ptr_array_add (pollers, g_object_ref (vigil_tracker_get_poller (tracker)));
    }
  return pollers;
}

static gboolean
same_pollers (GPtrArray *a,
              GPtrArray *b)
{
  if (a == NULL || a->len != b->len)
    return FALSE;
  for (guint i = 0; i < a->len; i++)
    if (g_ptr_array_index (a, i) != g_ptr_array_index (b, i))
      return FALSE;
  return TRUE;
}

/* A row of labels per server; made again only when the servers change. */
static void
rebuild_servers_grid (VigilDiagnosticsWindow *self,
                      GPtrArray              *pollers)
{
  GtkWidget *child;

  while ((child = gtk_widget_get_first_child (GTK_WIDGET (self->servers_grid))) != NULL)
    gtk_grid_remove (self->servers_grid, child);
  g_ptr_array_set_size (self->total_labels, 0);

  add_grid_header (self);
  for (guint row = 0; row < pollers->len; row++)
    for (guint i = 0; i < N_TOTALS; i++)
      {
        GtkWidget *label = grid_label ("", i == 0, FALSE);

        gtk_grid_attach (self->servers_grid, label, i, row + 1, 1, 1);
        g_ptr_array_add (self->total_labels, label);
      }
  g_clear_pointer (&self->pollers, g_ptr_array_unref);
  self->pollers = g_ptr_array_ref (pollers);
}

static void
refresh_totals (VigilDiagnosticsWindow *self)
{
  /* self->pollers are the trackers' pollers, in the same order */
  for (guint row = 0; row < self->pollers->len; row++)
    {
      g_autoptr(VigilTracker) tracker = g_list_model_get_item (self->trackers, row);
      VigilPoller *poller = g_ptr_array_index (self->pollers, row);
      VigilPollerStats stats;

      g_assert (vigil_tracker_get_poller (tracker) == poller);
      vigil_poller_get_stats (poller, &stats);
      for (guint i = 0; i < N_TOTALS; i++)
        {
          GtkLabel *label = g_ptr_array_index (self->total_labels, row * N_TOTALS + i);
          g_autofree char *text = total_text (i, tracker, &stats);

          gtk_label_set_text (label, text);
        }
    }
}

/* ------------------------------------------------------------------ */
/* The jobs                                                            */
/* ------------------------------------------------------------------ */

/* The store's items follow the stats: gone jobs removed, the others
 * updated in place, new ones appended. */
static void
sync_jobs (VigilDiagnosticsWindow *self,
           GPtrArray              *stats)
{
  g_autoptr(GHashTable) by_job = g_hash_table_new (NULL, NULL);
  guint n = g_list_model_get_n_items (G_LIST_MODEL (self->jobs));

  for (guint i = 0; i < stats->len; i++)
    {
      VigilPollerJobStats *s = g_ptr_array_index (stats, i);

      g_hash_table_insert (by_job, s->job, s);
    }

  for (guint i = n; i-- > 0;)
    {
      g_autoptr(VigilDiagnosticsJob) item = g_list_model_get_item (G_LIST_MODEL (self->jobs), i);
      VigilPollerJobStats *s = g_hash_table_lookup (by_job, item->job);

      if (s == NULL)
        {
          g_list_store_remove (self->jobs, i);
          continue;
        }
      job_item_update (item, s);
      g_hash_table_remove (by_job, item->job);
    }

  for (guint i = 0; i < stats->len; i++)
    {
      VigilPollerJobStats *s = g_ptr_array_index (stats, i);
      g_autoptr(VigilDiagnosticsJob) item = NULL;

      if (!g_hash_table_contains (by_job, s->job))
        continue;
      item = g_object_new (VIGIL_TYPE_DIAGNOSTICS_JOB, NULL);
      item->job = s->job;
      job_item_update (item, s);
      g_list_store_append (self->jobs, item);
    }
}

static void
refresh_jobs (VigilDiagnosticsWindow *self)
{
  g_autoptr(GPtrArray) stats = g_ptr_array_new_with_free_func ((GDestroyNotify) vigil_poller_job_stats_free);

  for (guint i = 0; i < self->pollers->len; i++)
    {
      g_autoptr(GPtrArray) some = vigil_poller_dup_job_stats (g_ptr_array_index (self->pollers, i));

      g_ptr_array_extend_and_steal (stats, g_steal_pointer (&some));
    }

  sync_jobs (self, stats);
  gtk_stack_set_visible_child_name (self->jobs_stack, stats->len > 0 ? "jobs" : "empty");
}

/* ------------------------------------------------------------------ */
/* Columns                                                             */
/* ------------------------------------------------------------------ */

static const struct
{
  const char *title;
  gboolean    expand;
  gboolean    numeric;
} columns[N_COLUMNS] = {
  { N_("Job"), FALSE, FALSE },
  { N_("Server"), FALSE, FALSE },
  { N_("Delay"), FALSE, TRUE },
  /* the poll policy's reason for the delay */
  { N_("Why"), TRUE, FALSE },
  { N_("Errors"), FALSE, TRUE },
  { N_("Tracked For"), FALSE, TRUE },
  { N_("Next Poll In"), FALSE, TRUE },
  { N_("Requests"), FALSE, TRUE },
};

/* A cell: a label bound to the item's property of the column's name. */
static GtkListItemFactory *
column_factory (const char *property,
                gboolean    numeric)
{
  g_autofree char *ui = g_strdup_printf (
    "<?xml version='1.0' encoding='UTF-8'?>"
    "<interface>"
    "<template class='GtkListItem'><property name='child'>"
    "<object class='GtkLabel'>"
    "<property name='xalign'>%s</property>"
    "<property name='ellipsize'>end</property>"
    "<binding name='label'><lookup name='%s' type='VigilDiagnosticsJob'>"
    "<lookup name='item'>GtkListItem</lookup></lookup></binding>"
    "<binding name='tooltip-text'><lookup name='%s' type='VigilDiagnosticsJob'>"
    "<lookup name='item'>GtkListItem</lookup></lookup></binding>"
    "%s"
    "</object></property></template></interface>",
    numeric ? "1" : "0", property, property,
    numeric ? "<style><class name='numeric'/></style>" : "");
  gsize length = strlen (ui);
  g_autoptr(GBytes) bytes = g_bytes_new_take (g_steal_pointer (&ui), length);

  return gtk_builder_list_item_factory_new_from_bytes (NULL, bytes);
}

static void
add_columns (VigilDiagnosticsWindow *self)
{
  for (guint i = 0; i < N_COLUMNS; i++)
    {
      g_autoptr(GtkColumnViewColumn) column = NULL;

      column = gtk_column_view_column_new (_(columns[i].title),
                                           column_factory (column_names[i], columns[i].numeric));
      gtk_column_view_column_set_expand (column, columns[i].expand);
      /* Job ids are long; the whole id and title are in the tooltip. */
      if (i == 0)
        gtk_column_view_column_set_fixed_width (column, 200);
      gtk_column_view_column_set_resizable (column, TRUE);
      gtk_column_view_append_column (self->jobs_view, column);
    }
}

/* ------------------------------------------------------------------ */
/* Callbacks                                                           */
/* ------------------------------------------------------------------ */

static gboolean
on_tick (gpointer user_data)
{
  vigil_diagnostics_window_refresh (VIGIL_DIAGNOSTICS_WINDOW (user_data));
  return G_SOURCE_CONTINUE;
}

static void
on_debug_switch_active (VigilDiagnosticsWindow *self)
{
  vigil_debug_log_set_enabled (gtk_switch_get_active (self->debug_switch));
}

/* ------------------------------------------------------------------ */
/* GObject overrides                                                   */
/* ------------------------------------------------------------------ */

static void
vigil_diagnostics_window_map (GtkWidget *widget)
{
  VigilDiagnosticsWindow *self = VIGIL_DIAGNOSTICS_WINDOW (widget);

  GTK_WIDGET_CLASS (vigil_diagnostics_window_parent_class)->map (widget);

  gtk_switch_set_active (self->debug_switch, vigil_debug_log_get_enabled ());
  vigil_diagnostics_window_refresh (self);
  if (self->tick_id == 0)
    self->tick_id = g_timeout_add_seconds (1, on_tick, self);
}

static void
vigil_diagnostics_window_unmap (GtkWidget *widget)
{
  VigilDiagnosticsWindow *self = VIGIL_DIAGNOSTICS_WINDOW (widget);

  g_clear_handle_id (&self->tick_id, g_source_remove);
  /* Hidden, it holds no poller and no job. */
  g_list_store_remove_all (self->jobs);
  g_clear_pointer (&self->pollers, g_ptr_array_unref);

  GTK_WIDGET_CLASS (vigil_diagnostics_window_parent_class)->unmap (widget);
}

static void
vigil_diagnostics_window_get_property (GObject    *object,
                                       guint       prop_id,
                                       GValue     *value,
                                       GParamSpec *pspec)
{
  VigilDiagnosticsWindow *self = VIGIL_DIAGNOSTICS_WINDOW (object);

  switch (prop_id)
    {
    case PROP_TRACKERS:
      g_value_set_object (value, self->trackers);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
vigil_diagnostics_window_set_property (GObject      *object,
                                       guint         prop_id,
                                       const GValue *value,
                                       GParamSpec   *pspec)
{
  VigilDiagnosticsWindow *self = VIGIL_DIAGNOSTICS_WINDOW (object);

  switch (prop_id)
    {
    case PROP_TRACKERS:
      self->trackers = g_value_dup_object (value);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
vigil_diagnostics_window_dispose (GObject *object)
{
  VigilDiagnosticsWindow *self = VIGIL_DIAGNOSTICS_WINDOW (object);

  g_clear_handle_id (&self->tick_id, g_source_remove);
  gtk_widget_dispose_template (GTK_WIDGET (self), VIGIL_TYPE_DIAGNOSTICS_WINDOW);
  g_clear_pointer (&self->pollers, g_ptr_array_unref);
  g_clear_pointer (&self->total_labels, g_ptr_array_unref);
  g_clear_object (&self->jobs);
  g_clear_object (&self->trackers);

  G_OBJECT_CLASS (vigil_diagnostics_window_parent_class)->dispose (object);
}

static void
vigil_diagnostics_window_class_init (VigilDiagnosticsWindowClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->get_property = vigil_diagnostics_window_get_property;
  object_class->set_property = vigil_diagnostics_window_set_property;
  object_class->dispose = vigil_diagnostics_window_dispose;
  widget_class->map = vigil_diagnostics_window_map;
  widget_class->unmap = vigil_diagnostics_window_unmap;

  properties[PROP_TRACKERS] =
    g_param_spec_object ("trackers", NULL, NULL, G_TYPE_LIST_MODEL,
                         G_PARAM_READWRITE | G_PARAM_CONSTRUCT_ONLY | G_PARAM_STATIC_STRINGS);
  g_object_class_install_properties (object_class, N_PROPS, properties);

  g_type_ensure (VIGIL_TYPE_DIAGNOSTICS_JOB);
  gtk_widget_class_set_template_from_resource (widget_class,
                                               "/io/github/vigil/Vigil/vigil-diagnostics-window.ui");
  gtk_widget_class_bind_template_child (widget_class, VigilDiagnosticsWindow, debug_switch);
  gtk_widget_class_bind_template_child (widget_class, VigilDiagnosticsWindow, servers_grid);
  gtk_widget_class_bind_template_child (widget_class, VigilDiagnosticsWindow, jobs_stack);
  gtk_widget_class_bind_template_child (widget_class, VigilDiagnosticsWindow, jobs_view);
  gtk_widget_class_bind_template_callback (widget_class, on_debug_switch_active);
}

static void
vigil_diagnostics_window_init (VigilDiagnosticsWindow *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));

  self->jobs = g_list_store_new (VIGIL_TYPE_DIAGNOSTICS_JOB);
  self->total_labels = g_ptr_array_new ();
  gtk_column_view_set_model (self->jobs_view,
                             GTK_SELECTION_MODEL (gtk_no_selection_new (g_object_ref (G_LIST_MODEL (self->jobs)))));
  add_columns (self);
  add_grid_header (self);
}

/* ------------------------------------------------------------------ */
/* Public API                                                          */
/* ------------------------------------------------------------------ */

GtkWidget *
vigil_diagnostics_window_new (GListModel *trackers)
{
  g_return_val_if_fail (trackers == NULL || G_IS_LIST_MODEL (trackers), NULL);

  return g_object_new (VIGIL_TYPE_DIAGNOSTICS_WINDOW, "trackers", trackers, NULL);
}

GtkWidget *
vigil_diagnostics_window_present (GtkApplication *app,
                                  GListModel     *trackers)
{
  GtkWidget *window = NULL;

  g_return_val_if_fail (GTK_IS_APPLICATION (app), NULL);

  for (GList *l = gtk_application_get_windows (app); l != NULL; l = l->next)
    if (VIGIL_IS_DIAGNOSTICS_WINDOW (l->data))
      window = l->data;

  if (window == NULL)
    {
      window = vigil_diagnostics_window_new (trackers);
      gtk_window_set_application (GTK_WINDOW (window), app);
    }
  gtk_window_present (GTK_WINDOW (window));
  return window;
}

GListModel *
vigil_diagnostics_window_get_jobs (VigilDiagnosticsWindow *self)
{
  g_return_val_if_fail (VIGIL_IS_DIAGNOSTICS_WINDOW (self), NULL);

  return G_LIST_MODEL (self->jobs);
}

gboolean
vigil_diagnostics_window_is_live (VigilDiagnosticsWindow *self)
{
  g_return_val_if_fail (VIGIL_IS_DIAGNOSTICS_WINDOW (self), FALSE);

  return self->tick_id != 0;
}

void
vigil_diagnostics_window_refresh (VigilDiagnosticsWindow *self)
{
  g_autoptr(GPtrArray) pollers = NULL;

  g_return_if_fail (VIGIL_IS_DIAGNOSTICS_WINDOW (self));

  pollers = current_pollers (self);
  if (!same_pollers (self->pollers, pollers))
    rebuild_servers_grid (self, pollers);
  refresh_totals (self);
  refresh_jobs (self);
}
