/* vigil-tray.c — the StatusNotifierItem: its properties and methods, its
 * registration with the watcher, and the status it reports
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <glib/gi18n.h>
#include <unistd.h>

#include "vigil-job-text.h"
#include "vigil-window.h"

#include "vigil-tray-private.h"

#define WATCHER_NAME "org.kde.StatusNotifierWatcher"
#define WATCHER_PATH "/StatusNotifierWatcher"
#define ITEM_INTERFACE "org.kde.StatusNotifierItem"
#define ICON_NAME APP_ID "-symbolic"
/* Updates reach the bus at most this often (and while jobs run, this
 * often: their percentages move without changing the list). */
#define REFRESH_INTERVAL_MS 1000

enum {
  PROP_0,
  PROP_REGISTERED,
  PROP_STATUS,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

G_DEFINE_FINAL_TYPE (VigilTray, vigil_tray, G_TYPE_OBJECT)

static const char item_xml[] =
  "<node>"
  "  <interface name='org.kde.StatusNotifierItem'>"
  "    <property name='Category' type='s' access='read'/>"
  "    <property name='Id' type='s' access='read'/>"
  "    <property name='Title' type='s' access='read'/>"
  "    <property name='Status' type='s' access='read'/>"
  "    <property name='WindowId' type='i' access='read'/>"
  "    <property name='IconName' type='s' access='read'/>"
  "    <property name='IconThemePath' type='s' access='read'/>"
  "    <property name='IconPixmap' type='a(iiay)' access='read'/>"
  "    <property name='OverlayIconName' type='s' access='read'/>"
  "    <property name='OverlayIconPixmap' type='a(iiay)' access='read'/>"
  "    <property name='AttentionIconName' type='s' access='read'/>"
  "    <property name='AttentionIconPixmap' type='a(iiay)' access='read'/>"
  "    <property name='AttentionMovieName' type='s' access='read'/>"
  "    <property name='ToolTip' type='(sa(iiay)ss)' access='read'/>"
  "    <property name='ItemIsMenu' type='b' access='read'/>"
  "    <property name='Menu' type='o' access='read'/>"
  "    <method name='ContextMenu'><arg type='i' direction='in'/><arg type='i' direction='in'/></method>"
  "    <method name='Activate'><arg type='i' direction='in'/><arg type='i' direction='in'/></method>"
  "    <method name='SecondaryActivate'><arg type='i' direction='in'/><arg type='i' direction='in'/></method>"
  "    <method name='Scroll'><arg type='i' direction='in'/><arg type='s' direction='in'/></method>"
  "    <signal name='NewTitle'/>"
  "    <signal name='NewIcon'/>"
  "    <signal name='NewAttentionIcon'/>"
  "    <signal name='NewOverlayIcon'/>"
  "    <signal name='NewToolTip'/>"
  "    <signal name='NewStatus'><arg type='s'/></signal>"
  "  </interface>"
  "</node>";

/* ------------------------------------------------------------------ */
/* Helpers                                                             */
/* ------------------------------------------------------------------ */

static void
emit_item_signal (VigilTray  *self,
                  const char *name,
                  GVariant   *parameters)
{
  g_autoptr(GError) error = NULL;

  if (self->item_reg_id == 0)
    {
      if (parameters != NULL)
        g_variant_unref (g_variant_ref_sink (parameters));
      return;
    }
  if (!g_dbus_connection_emit_signal (self->connection, NULL, VIGIL_TRAY_ITEM_PATH,
                                      ITEM_INTERFACE, name, parameters, &error))
    g_debug ("Tray: could not emit %s: %s", name, error->message);
}

static GVariant *
empty_pixmaps (void)
{
  return g_variant_new_array (G_VARIANT_TYPE ("(iiay)"), NULL, 0);
}

static GVariant *
tooltip_variant (VigilTray *self)
{
  return g_variant_new ("(s@a(iiay)ss)", ICON_NAME, empty_pixmaps (), _("Vigil"),
                        self->tooltip != NULL ? self->tooltip : "");
}

/* Whether the user sees the main window now (then a failure needs no
 * attention from the tray). */
static gboolean
window_in_view (VigilTray *self)
{
  for (GList *w = gtk_application_get_windows (GTK_APPLICATION (self->app)); w != NULL; w = w->next)
    if (VIGIL_IS_WINDOW (w->data) && gtk_widget_get_visible (w->data)
        && gtk_window_is_active (w->data))
      return TRUE;
  return FALSE;
}

static const char *
compute_status (VigilTray *self)
{
  if (self->attention)
    return "NeedsAttention";
  return self->n_running > 0 ? "Active" : "Passive";
}

static void
set_status (VigilTray  *self,
            const char *status)
{
  if (g_strcmp0 (self->status, status) == 0)
    return;
  self->status = status;
  g_debug ("Tray: %s", status);
  emit_item_signal (self, "NewStatus", g_variant_new ("(s)", status));
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_STATUS]);
}

static void
set_tooltip (VigilTray *self,
             char      *tooltip)
{
  if (g_strcmp0 (self->tooltip, tooltip) == 0)
    {
      g_free (tooltip);
      return;
    }
  g_free (self->tooltip);
  self->tooltip = tooltip;
  emit_item_signal (self, "NewToolTip", NULL);
}

/* ------------------------------------------------------------------ */
/* Refreshing: one scan of the jobs, at most about once a second        */
/* ------------------------------------------------------------------ */

static void schedule_refresh (VigilTray *self);

/* Counts the jobs, notes new troubles (failed, lost, not found), and lists
 * the first running ones. */
static GPtrArray *
scan_jobs (VigilTray *self,
           gboolean  *new_failure)
{
  g_autoptr(GHashTable) failed = g_hash_table_new_full (NULL, NULL, g_object_unref, NULL);
  GPtrArray *lines = g_ptr_array_new_with_free_func (g_free);
  guint n = g_list_model_get_n_items (self->jobs);

  self->n_running = 0;
  self->n_failed = 0;
  *new_failure = FALSE;
  for (guint i = 0; i < n; i++)
    {
      g_autoptr(VigilJob) job = g_list_model_get_item (self->jobs, i);

      if (vigil_job_text_is_running (job))
        {
          if (self->n_running++ < VIGIL_TRAY_MAX_JOB_LINES)
            g_ptr_array_add (lines, vigil_job_text_tray_line (job));
        }
      /* failed, lost by the server, or never known to it */
      else if (vigil_job_text_is_failure (vigil_job_get_server_state (job)))
        {
          *new_failure |= !g_hash_table_contains (self->failed, job);
          g_hash_table_add (failed, g_object_ref (job));
          /* the tooltip's "N failed" counts failures only */
          if (vigil_job_get_server_state (job) == VIGIL_SERVER_STATE_FAILED)
            self->n_failed++;
        }
    }
  g_clear_pointer (&self->failed, g_hash_table_unref);
  self->failed = g_steal_pointer (&failed);
  return lines;
}

static void
refresh (VigilTray *self)
{
  gboolean new_failure;
  GPtrArray *lines = scan_jobs (self, &new_failure);

  /* Failures Vigil found at its start are in the window it opens with. */
  if (new_failure && self->scanned && !window_in_view (self))
    self->attention = TRUE;
  self->scanned = TRUE;
  self->last_refresh_us = g_get_monotonic_time ();

  vigil_tray_menu_update (self, lines, self->n_running - MIN (self->n_running, lines->len));
  set_tooltip (self, vigil_job_text_tray_tooltip (self->n_running, self->n_failed));
  set_status (self, compute_status (self));
  if (self->n_running > 0)
    schedule_refresh (self);
}

static gboolean
on_refresh_timeout (gpointer data)
{
  VigilTray *self = data;

  self->refresh_id = 0;
  refresh (self);
  return G_SOURCE_REMOVE;
}

static void
schedule_refresh (VigilTray *self)
{
  gint64 due_us = self->last_refresh_us + REFRESH_INTERVAL_MS * 1000;
  gint64 wait_us = MAX (0, due_us - g_get_monotonic_time ());

  if (self->refresh_id != 0)
    return;
  self->refresh_id = g_timeout_add ((guint) (wait_us / 1000), on_refresh_timeout, self);
  g_source_set_name_by_id (self->refresh_id, "[vigil] tray refresh");
}

static void
on_jobs_changed (GListModel *jobs,
                 guint       position,
                 guint       removed,
                 guint       added,
                 VigilTray  *self)
{
  schedule_refresh (self);
}

/* ------------------------------------------------------------------ */
/* The window: seeing it clears the attention                          */
/* ------------------------------------------------------------------ */

static void
on_window_seen (GtkWindow  *window,
                GParamSpec *pspec,
                VigilTray  *self)
{
  if (!self->attention || !gtk_widget_get_visible (GTK_WIDGET (window)))
    return;
  if (g_str_equal (pspec->name, "is-active") && !gtk_window_is_active (window))
    return;
  self->attention = FALSE;
  set_status (self, compute_status (self));
}

static void
on_window_added (GtkApplication *app,
                 GtkWindow      *window,
                 VigilTray      *self)
{
  if (!VIGIL_IS_WINDOW (window))
    return;
  g_signal_connect_object (window, "notify::visible", G_CALLBACK (on_window_seen), self, 0);
  g_signal_connect_object (window, "notify::is-active", G_CALLBACK (on_window_seen), self, 0);
}

/* ------------------------------------------------------------------ */
/* org.kde.StatusNotifierItem                                          */
/* ------------------------------------------------------------------ */

static void
item_method_call (GDBusConnection       *connection,
                  const char            *sender,
                  const char            *object_path,
                  const char            *interface_name,
                  const char            *method_name,
                  GVariant              *parameters,
                  GDBusMethodInvocation *invocation,
                  gpointer               user_data)
{
  VigilTray *self = user_data;

  g_debug ("Tray: %s from %s", method_name, sender);
  /* Reply first: the window's work must not keep the host waiting. */
  g_dbus_method_invocation_return_value (invocation, NULL);
  if (g_str_equal (method_name, "Activate"))
    vigil_application_toggle_window (self->app);
  else if (g_str_equal (method_name, "SecondaryActivate"))
    vigil_tray_show_window (self);
  /* ContextMenu: hosts show the dbusmenu themselves; Scroll: nothing. */
}

static GVariant *
item_get_property (GDBusConnection *connection,
                   const char      *sender,
                   const char      *object_path,
                   const char      *interface_name,
                   const char      *name,
                   GError         **error,
                   gpointer         user_data)
{
  VigilTray *self = user_data;

  if (g_str_equal (name, "Category"))
    return g_variant_new_string ("ApplicationStatus");
  if (g_str_equal (name, "Id"))
    return g_variant_new_string (APP_ID);
  if (g_str_equal (name, "Title"))
    return g_variant_new_string (_("Vigil"));
  if (g_str_equal (name, "Status"))
    return g_variant_new_string (self->status);
  if (g_str_equal (name, "WindowId"))
    return g_variant_new_int32 (0);
  if (g_str_equal (name, "IconName"))
    return g_variant_new_string (ICON_NAME);
  if (g_str_equal (name, "ToolTip"))
    return tooltip_variant (self);
  if (g_str_equal (name, "ItemIsMenu"))
    return g_variant_new_boolean (FALSE);
  if (g_str_equal (name, "Menu"))
    return g_variant_new_object_path (VIGIL_TRAY_MENU_PATH);
  if (g_str_has_suffix (name, "Pixmap"))
    return empty_pixmaps ();
  /* IconThemePath, OverlayIconName, AttentionIconName, AttentionMovieName */
  return g_variant_new_string ("");
}

static const GDBusInterfaceVTable item_vtable = {
  item_method_call,
  item_get_property,
  NULL,
  { 0 }
};

/* ------------------------------------------------------------------ */
/* Registration with the watcher                                       */
/* ------------------------------------------------------------------ */

static void
set_registered (VigilTray *self,
                gboolean   registered)
{
  if (self->registered == registered)
    return;
  self->registered = registered;
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_REGISTERED]);
}

static void
on_register_done (GObject      *source,
                  GAsyncResult *result,
                  gpointer      user_data)
{
  g_autoptr(GVariant) reply = NULL;
  g_autoptr(GError) error = NULL;
  VigilTray *self;

  reply = g_dbus_connection_call_finish (G_DBUS_CONNECTION (source), result, &error);
  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    return;
  self = user_data;
  if (error != NULL)
    {
      /* A broken watcher is no reason to bother anyone: no tray then. */
      g_debug ("Tray: the watcher refused the item: %s", error->message);
      return;
    }
  g_debug ("Tray: registered as %s", self->service);
  set_registered (self, TRUE);
}

/* Asynchronously: a watcher reads the item's properties back before it
 * answers, which a blocking call would deadlock. */
static void
try_register (VigilTray *self)
{
  if (self->service == NULL || self->watcher_owner == NULL)
    return;
  g_cancellable_cancel (self->register_cancellable);
  g_clear_object (&self->register_cancellable);
  self->register_cancellable = g_cancellable_new ();
  g_dbus_connection_call (self->connection, self->watcher_owner, WATCHER_PATH, WATCHER_NAME,
                          "RegisterStatusNotifierItem", g_variant_new ("(s)", self->service),
                          NULL, G_DBUS_CALL_FLAGS_NO_AUTO_START, -1,
                          self->register_cancellable, on_register_done, self);
}

static void
on_watcher_appeared (GDBusConnection *connection,
                     const char      *name,
                     const char      *owner,
                     gpointer         user_data)
{
  VigilTray *self = user_data;

  g_debug ("Tray: a watcher appeared (%s)", owner);
  g_free (self->watcher_owner);
  self->watcher_owner = g_strdup (owner);
  set_registered (self, FALSE);
  try_register (self);
}

static void
on_watcher_vanished (GDBusConnection *connection,
                     const char      *name,
                     gpointer         user_data)
{
  VigilTray *self = user_data;

  /* Also called at once when there never was one: stay silent. */
  g_clear_pointer (&self->watcher_owner, g_free);
  g_cancellable_cancel (self->register_cancellable);
  set_registered (self, FALSE);
}

static void
on_name_acquired (GDBusConnection *connection,
                  const char      *name,
                  gpointer         user_data)
{
  VigilTray *self = user_data;

  self->service = self->bus_name;
  try_register (self);
}

static void
on_name_lost (GDBusConnection *connection,
              const char      *name,
              gpointer         user_data)
{
  VigilTray *self = user_data;

  /* A sandbox may not own the name (or someone else does): watchers take
   * the connection's unique name too, with the item at its usual path. */
  if (connection == NULL || g_dbus_connection_is_closed (connection))
    return;
  g_debug ("Tray: no bus name %s, registering as %s", name,
           g_dbus_connection_get_unique_name (connection));
  self->service = g_dbus_connection_get_unique_name (connection);
  try_register (self);
}

static void
export_item (VigilTray *self)
{
  g_autoptr(GDBusNodeInfo) info = g_dbus_node_info_new_for_xml (item_xml, NULL);
  g_autoptr(GError) error = NULL;

  g_assert (info != NULL);
  self->item_reg_id = g_dbus_connection_register_object (self->connection, VIGIL_TRAY_ITEM_PATH,
                                                         info->interfaces[0], &item_vtable,
                                                         self, NULL, &error);
  if (self->item_reg_id == 0 || !vigil_tray_menu_export (self, &error))
    {
      /* Another item in this process holds the path: no tray, no fuss. */
      g_debug ("Tray: not exported: %s", error->message);
      return;
    }
  self->own_id = g_bus_own_name_on_connection (self->connection, self->bus_name,
                                               G_BUS_NAME_OWNER_FLAGS_NONE,
                                               on_name_acquired, on_name_lost, self, NULL);
  self->watch_id = g_bus_watch_name_on_connection (self->connection, WATCHER_NAME,
                                                   G_BUS_NAME_WATCHER_FLAGS_NONE,
                                                   on_watcher_appeared, on_watcher_vanished,
                                                   self, NULL);
}

/* ------------------------------------------------------------------ */
/* What the menu's items do                                            */
/* ------------------------------------------------------------------ */

void
vigil_tray_show_window (VigilTray *self)
{
  g_assert (VIGIL_IS_TRAY (self));

  vigil_application_show_window (self->app);
}

void
vigil_tray_quit (VigilTray *self)
{
  g_assert (VIGIL_IS_TRAY (self));

  g_action_group_activate_action (G_ACTION_GROUP (self->app), "quit", NULL);
}

/* ------------------------------------------------------------------ */
/* GObject                                                             */
/* ------------------------------------------------------------------ */

static void
vigil_tray_dispose (GObject *object)
{
  VigilTray *self = VIGIL_TRAY (object);

  g_cancellable_cancel (self->register_cancellable);
  g_clear_object (&self->register_cancellable);
  g_clear_handle_id (&self->refresh_id, g_source_remove);
  g_clear_handle_id (&self->watch_id, g_bus_unwatch_name);
  g_clear_handle_id (&self->own_id, g_bus_unown_name);
  if (self->connection != NULL && self->item_reg_id != 0)
    g_dbus_connection_unregister_object (self->connection, self->item_reg_id);
  if (self->connection != NULL && self->menu_reg_id != 0)
    g_dbus_connection_unregister_object (self->connection, self->menu_reg_id);
  self->item_reg_id = self->menu_reg_id = 0;
  if (self->jobs != NULL)
    g_signal_handlers_disconnect_by_data (self->jobs, self);
  if (self->app != NULL)
    g_signal_handlers_disconnect_by_data (self->app, self);
  self->app = NULL;
  g_clear_object (&self->jobs);
  g_clear_object (&self->connection);
  g_clear_pointer (&self->failed, g_hash_table_unref);

  G_OBJECT_CLASS (vigil_tray_parent_class)->dispose (object);
}

static void
vigil_tray_finalize (GObject *object)
{
  VigilTray *self = VIGIL_TRAY (object);

  g_free (self->bus_name);
  g_free (self->watcher_owner);
  g_free (self->tooltip);
  g_clear_pointer (&self->lines, g_ptr_array_unref);

  G_OBJECT_CLASS (vigil_tray_parent_class)->finalize (object);
}

static void
vigil_tray_get_property (GObject    *object,
                         guint       prop_id,
                         GValue     *value,
                         GParamSpec *pspec)
{
  VigilTray *self = VIGIL_TRAY (object);

  switch (prop_id)
    {
    case PROP_REGISTERED:
      g_value_set_boolean (value, self->registered);
      break;
    case PROP_STATUS:
      g_value_set_string (value, self->status);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
vigil_tray_class_init (VigilTrayClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->dispose = vigil_tray_dispose;
  object_class->finalize = vigil_tray_finalize;
  object_class->get_property = vigil_tray_get_property;

  properties[PROP_REGISTERED] =
    g_param_spec_boolean ("registered", NULL, NULL, FALSE,
                          G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  properties[PROP_STATUS] =
    g_param_spec_string ("status", NULL, NULL, "Passive",
                         G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  g_object_class_install_properties (object_class, N_PROPS, properties);
}

static void
vigil_tray_init (VigilTray *self)
{
  static guint n_trays;

  self->bus_name = g_strdup_printf ("org.kde.StatusNotifierItem-%d-%u", (int) getpid (), ++n_trays);
  self->status = "Passive";
  self->failed = g_hash_table_new_full (NULL, NULL, g_object_unref, NULL);
  self->lines = g_ptr_array_new_with_free_func (g_free);
}

/* ------------------------------------------------------------------ */
/* Public API                                                          */
/* ------------------------------------------------------------------ */

VigilTray *
vigil_tray_new (VigilApplication *app,
                GDBusConnection  *connection)
{
  VigilTray *self;

  g_return_val_if_fail (VIGIL_IS_APPLICATION (app), NULL);
  g_return_val_if_fail (G_IS_DBUS_CONNECTION (connection), NULL);
  g_return_val_if_fail (vigil_application_get_jobs (app) != NULL, NULL);

  self = g_object_new (VIGIL_TYPE_TRAY, NULL);
  self->app = app;
  self->connection = g_object_ref (connection);
  self->jobs = g_object_ref (vigil_application_get_jobs (app));
  g_signal_connect (self->jobs, "items-changed", G_CALLBACK (on_jobs_changed), self);
  g_signal_connect (app, "window-added", G_CALLBACK (on_window_added), self);
  for (GList *w = gtk_application_get_windows (GTK_APPLICATION (app)); w != NULL; w = w->next)
    on_window_added (GTK_APPLICATION (app), w->data, self);
  refresh (self);
  export_item (self);
  return self;
}

const char *
vigil_tray_get_bus_name (VigilTray *self)
{
  g_return_val_if_fail (VIGIL_IS_TRAY (self), NULL);

  return self->bus_name;
}

gboolean
vigil_tray_get_registered (VigilTray *self)
{
  g_return_val_if_fail (VIGIL_IS_TRAY (self), FALSE);

  return self->registered;
}

const char *
vigil_tray_get_status (VigilTray *self)
{
  g_return_val_if_fail (VIGIL_IS_TRAY (self), NULL);

  return self->status;
}
