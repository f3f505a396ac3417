/* vigil-background.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <glib/gi18n.h>

#include "vigil-application.h"
#include "vigil-background-portal.h"
#include "vigil-job-text.h"
#include "vigil-window.h"

#include "vigil-background.h"
#include "vigil-notifier.h"

typedef enum
{
  PORTAL_UNASKED,
  PORTAL_ASKING,
  PORTAL_ALLOWED,
  PORTAL_DENIED,
} PortalState;

struct _VigilBackground
{
  GObject           parent_instance;

  VigilApplication *application;    /* not owned: it owns us */
  GCancellable     *cancellable;
  GListModel       *jobs;           /* every server's jobs, while holding */
  gulong            jobs_handler;
  guint             grace_id;
  guint             grace_seconds;
  PortalState       portal;
  gboolean          sandboxed;
  gboolean          holding;
  gboolean          quitting;
  gboolean          hint_printed;
  gboolean          hint_sent;      /* and not withdrawn */
};

enum
{
  PROP_0,
  PROP_APPLICATION,
  PROP_GRACE_SECONDS,
  PROP_SANDBOXED,
  PROP_HOLDING,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

G_DEFINE_FINAL_TYPE (VigilBackground, vigil_background, G_TYPE_OBJECT)

static void show_hint (VigilBackground *self);
static void release   (VigilBackground *self);

/* ------------------------------------------------------------------ */
/* Helpers                                                             */
/* ------------------------------------------------------------------ */

static gboolean
main_window_exists (VigilBackground *self)
{
  for (GList *l = gtk_application_get_windows (GTK_APPLICATION (self->application));
       l != NULL; l = l->next)
    if (VIGIL_IS_WINDOW (l->data))
      return TRUE;
  return FALSE;
}

static guint
count_watched (VigilBackground *self)
{
  GListModel *jobs = vigil_application_get_jobs (self->application);

  return jobs != NULL ? vigil_background_count_watched (jobs) : 0;
}

/* Servers whose every new job is watched (Servers page's switch): worth
 * staying for, even with no job watched yet. */
static guint
count_auto_watching (VigilBackground *self)
{
  VigilServerMonitors *monitors = vigil_application_get_server_monitors (self->application);

  return monitors != NULL ? vigil_server_monitors_count_auto_watching (monitors) : 0;
}

/* What the hint says: the jobs watched, else the servers watched. */
static char *
hint_text (VigilBackground *self)
{
  guint n = count_watched (self);
  guint servers = n == 0 ? count_auto_watching (self) : 0;

  if (servers > 0)
    return vigil_job_text_background_watch_hint (servers);
  return vigil_job_text_background_hint (n);
}

static void
clear_grace (VigilBackground *self)
{
  g_clear_handle_id (&self->grace_id, g_source_remove);
}

static gboolean
on_grace_over (gpointer user_data)
{
  VigilBackground *self = user_data;

  self->grace_id = 0;
  g_debug ("Every watched job has ended: quitting after %u s in the background",
           self->grace_seconds);
  release (self);
  return G_SOURCE_REMOVE;
}

/* The tracker re-announces a job that finishes, stops or is watched again,
 * so items-changed is all there is to hear. */
static void
on_jobs_changed (VigilBackground *self)
{
  if (count_watched (self) > 0 || count_auto_watching (self) > 0)
    clear_grace (self);
  else if (self->grace_id == 0)
    self->grace_id = g_timeout_add_full (G_PRIORITY_DEFAULT,
                                         self->grace_seconds * 1000,
                                         on_grace_over, self, NULL);
}

static void
hold (VigilBackground *self)
{
  if (self->holding)
    return;
  self->holding = TRUE;
  g_application_hold (G_APPLICATION (self->application));
  self->jobs = g_object_ref (vigil_application_get_jobs (self->application));
  self->jobs_handler = g_signal_connect_swapped (self->jobs, "items-changed",
                                                 G_CALLBACK (on_jobs_changed), self);
  g_debug ("Window closed: watching %u jobs in the background", count_watched (self));
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_HOLDING]);
}

/* Let the application go: with no window left it quits. */
static void
release (VigilBackground *self)
{
  if (!self->holding)
    return;
  self->holding = FALSE;
  clear_grace (self);
  g_clear_signal_handler (&self->jobs_handler, self->jobs);
  g_clear_object (&self->jobs);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_HOLDING]);
  g_application_release (G_APPLICATION (self->application));
}

/* Every window, the main one first asked to close (it saves its size),
 * then whatever is left destroyed. */
static void
close_windows (VigilBackground *self)
{
  GtkApplication *app = GTK_APPLICATION (self->application);
  g_autoptr(GPtrArray) windows = g_ptr_array_new_with_free_func (g_object_unref);
  GList *left;

  for (GList *l = gtk_application_get_windows (app); l != NULL; l = l->next)
    g_ptr_array_add (windows, g_object_ref (l->data));
  for (guint i = 0; i < windows->len; i++)
    if (gtk_window_get_application (g_ptr_array_index (windows, i)) == app)
      gtk_window_close (g_ptr_array_index (windows, i));

  for (guint guard = 0; (left = gtk_application_get_windows (app)) != NULL && guard < 1000; guard++)
    gtk_window_destroy (left->data);
}

static void
stop_polling (VigilBackground *self)
{
  GListModel *trackers = vigil_application_get_trackers (self->application);
  guint n = trackers != NULL ? g_list_model_get_n_items (trackers) : 0;

  for (guint i = 0; i < n; i++)
    {
      g_autoptr(VigilTracker) tracker = g_list_model_get_item (trackers, i);

      vigil_poller_untrack_all (vigil_tracker_get_poller (tracker));
    }
}

/* ------------------------------------------------------------------ */
/* The hint                                                            */
/* ------------------------------------------------------------------ */

static void
send_hint (VigilBackground *self)
{
  GSettings *settings = vigil_application_get_settings (self->application);
  g_autoptr(GNotification) notification = g_notification_new (_("Vigil is still watching"));
  g_autofree char *body = hint_text (self);

  g_notification_set_body (notification, body);
  g_notification_add_button (notification, _("Quit"), "app.quit");
  g_application_send_notification (G_APPLICATION (self->application),
                                   VIGIL_BACKGROUND_HINT_ID, notification);
  self->hint_sent = TRUE;
  g_settings_set_boolean (settings, "background-hint-shown", TRUE);
}

/* Once the window is back, or Vigil quits, the hint is out of date. */
static void
withdraw_hint (VigilBackground *self)
{
  if (!self->hint_sent)
    return;
  self->hint_sent = FALSE;
  g_application_withdraw_notification (G_APPLICATION (self->application),
                                       VIGIL_BACKGROUND_HINT_ID);
}

/* No notification server: with the window closed nothing can show the
 * hint. Whoever started Vigil from a terminal reads it there; the hint
 * stays due for a later close. */
static void
print_hint (VigilBackground *self)
{
  g_autofree char *body = NULL;

  if (self->hint_printed)
    return;
  self->hint_printed = TRUE;
  body = hint_text (self);
  g_printerr ("vigil: %s\n", body);
}

/* GNotification's freedesktop backend warns when nobody answers, and the
 * window being closed, nothing else could say it: so look first. In a
 * sandbox the notification portal is there. */
static void
show_hint (VigilBackground *self)
{
  GSettings *settings = vigil_application_get_settings (self->application);
  GDBusConnection *bus = g_application_get_dbus_connection (G_APPLICATION (self->application));

  if (g_settings_get_boolean (settings, "background-hint-shown"))
    return;
  if (self->sandboxed)
    {
      send_hint (self);
      return;
    }
  if (bus == NULL)
    {
      print_hint (self);
      return;
    }
  if (vigil_notifications_available (bus))
    send_hint (self);
  else
    print_hint (self);
}

/* ------------------------------------------------------------------ */
/* The Background portal                                               */
/* ------------------------------------------------------------------ */

static void
on_portal_answer (GObject      *source,
                  GAsyncResult *result,
                  gpointer      user_data)
{
  VigilBackground *self = user_data;
  g_autoptr(GError) error = NULL;

  if (vigil_background_portal_request_finish (result, &error))
    {
      g_debug ("The Background portal allows Vigil to run in the background");
      self->portal = PORTAL_ALLOWED;
      if (self->holding)
        show_hint (self);
      return;
    }
  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    return;
  if (g_error_matches (error, VIGIL_BACKGROUND_PORTAL_ERROR,
                       VIGIL_BACKGROUND_PORTAL_ERROR_DENIED))
    {
      self->portal = PORTAL_DENIED;
      g_printerr ("vigil: %s\n", _("Running in the background is not allowed, so Vigil quits "
                                   "when its window closes. Allow it in the system settings "
                                   "to keep watching with the window closed."));
      release (self);
      return;
    }
  /* Nobody said no: nothing will stop Vigil either. */
  self->portal = PORTAL_ALLOWED;
  g_printerr ("vigil: %s (%s)\n", _("Could not ask to run in the background; "
                                    "Vigil keeps watching"), error->message);
  if (self->holding)
    show_hint (self);
}

static void
ask_portal (VigilBackground *self)
{
  GDBusConnection *bus = g_application_get_dbus_connection (G_APPLICATION (self->application));
  g_autoptr(GDBusConnection) session = NULL;

  if (bus == NULL)
    bus = session = g_bus_get_sync (G_BUS_TYPE_SESSION, NULL, NULL);
  if (bus == NULL)
    {
      self->portal = PORTAL_ALLOWED;
      show_hint (self);
      return;
    }
  self->portal = PORTAL_ASKING;
  vigil_background_portal_request_async (bus, "",
                                         _("Vigil keeps watching your analyses until they finish"),
                                         self->cancellable, on_portal_answer, self);
}

/* ------------------------------------------------------------------ */
/* Callbacks                                                           */
/* ------------------------------------------------------------------ */

static void
keep_watching_if_needed (VigilBackground *self)
{
  GSettings *settings = vigil_application_get_settings (self->application);
  guint n = count_watched (self);

  if (n == 0 && count_auto_watching (self) == 0)
    {
      g_debug ("Window closed with nothing watched: quitting");
      return;
    }
  if (!g_settings_get_boolean (settings, "keep-in-background"))
    {
      g_debug ("Window closed, keep-in-background off: quitting");
      return;
    }
  if (self->sandboxed && self->portal == PORTAL_DENIED)
    {
      g_debug ("Window closed, running in the background not allowed: quitting");
      return;
    }
  hold (self);
  if (self->sandboxed && self->portal == PORTAL_UNASKED)
    ask_portal (self);
  else if (!self->sandboxed || self->portal == PORTAL_ALLOWED)
    show_hint (self);
}

static void
on_window_added (GtkApplication  *app,
                 GtkWindow       *window,
                 VigilBackground *self)
{
  /* The window holds the application now. */
  if (VIGIL_IS_WINDOW (window))
    {
      release (self);
      withdraw_hint (self);
    }
}

/* GtkApplication's own handler has already released the window's hold;
 * the main loop looks at the count only after this. */
static void
on_window_removed (GtkApplication  *app,
                   GtkWindow       *window,
                   VigilBackground *self)
{
  if (self->quitting || !VIGIL_IS_WINDOW (window) || main_window_exists (self))
    return;
  keep_watching_if_needed (self);
}

/* ------------------------------------------------------------------ */
/* GObject overrides                                                   */
/* ------------------------------------------------------------------ */

static void
vigil_background_constructed (GObject *object)
{
  VigilBackground *self = VIGIL_BACKGROUND (object);

  G_OBJECT_CLASS (vigil_background_parent_class)->constructed (object);

  g_signal_connect_object (self->application, "window-added",
                           G_CALLBACK (on_window_added), self, G_CONNECT_AFTER);
  g_signal_connect_object (self->application, "window-removed",
                           G_CALLBACK (on_window_removed), self, G_CONNECT_AFTER);
}

static void
vigil_background_dispose (GObject *object)
{
  VigilBackground *self = VIGIL_BACKGROUND (object);

  g_cancellable_cancel (self->cancellable);
  clear_grace (self);
  g_clear_signal_handler (&self->jobs_handler, self->jobs);
  g_clear_object (&self->jobs);
  g_clear_object (&self->cancellable);

  G_OBJECT_CLASS (vigil_background_parent_class)->dispose (object);
}

static void
vigil_background_get_property (GObject    *object,
                               guint       prop_id,
                               GValue     *value,
                               GParamSpec *pspec)
{
  VigilBackground *self = VIGIL_BACKGROUND (object);

  switch (prop_id)
    {
    case PROP_APPLICATION:
      g_value_set_object (value, self->application);
      break;
    case PROP_GRACE_SECONDS:
      g_value_set_uint (value, self->grace_seconds);
      break;
    case PROP_SANDBOXED:
      g_value_set_boolean (value, self->sandboxed);
      break;
    case PROP_HOLDING:
      g_value_set_boolean (value, self->holding);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
vigil_background_set_property (GObject      *object,
                               guint         prop_id,
                               const GValue *value,
                               GParamSpec   *pspec)
{
  VigilBackground *self = VIGIL_BACKGROUND (object);

  switch (prop_id)
    {
    case PROP_APPLICATION:
      self->application = g_value_get_object (value);
      break;
    case PROP_GRACE_SECONDS:
      vigil_background_set_grace_seconds (self, g_value_get_uint (value));
      break;
    case PROP_SANDBOXED:
      vigil_background_set_sandboxed (self, g_value_get_boolean (value));
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
vigil_background_class_init (VigilBackgroundClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->constructed = vigil_background_constructed;
  object_class->dispose = vigil_background_dispose;
  object_class->get_property = vigil_background_get_property;
  object_class->set_property = vigil_background_set_property;

  properties[PROP_APPLICATION] =
    g_param_spec_object ("application", NULL, NULL, VIGIL_TYPE_APPLICATION,
                         G_PARAM_READWRITE | G_PARAM_CONSTRUCT_ONLY | G_PARAM_STATIC_STRINGS);
  properties[PROP_GRACE_SECONDS] =
    g_param_spec_uint ("grace-seconds", NULL, NULL, 0, G_MAXUINT / 1000,
                       VIGIL_BACKGROUND_GRACE_SECONDS,
                       G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  properties[PROP_SANDBOXED] =
    g_param_spec_boolean ("sandboxed", NULL, NULL, FALSE,
                          G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  properties[PROP_HOLDING] =
    g_param_spec_boolean ("holding", NULL, NULL, FALSE,
                          G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  g_object_class_install_properties (object_class, N_PROPS, properties);
}

static void
vigil_background_init (VigilBackground *self)
{
  self->cancellable = g_cancellable_new ();
  self->grace_seconds = VIGIL_BACKGROUND_GRACE_SECONDS;
  self->sandboxed = vigil_background_portal_is_sandboxed ();
}

/* ------------------------------------------------------------------ */
/* Public API                                                          */
/* ------------------------------------------------------------------ */

VigilBackground *
vigil_background_new (VigilApplication *application)
{
  g_return_val_if_fail (VIGIL_IS_APPLICATION (application), NULL);

  return g_object_new (VIGIL_TYPE_BACKGROUND, "application", application, NULL);
}

gboolean
vigil_background_get_holding (VigilBackground *self)
{
  g_return_val_if_fail (VIGIL_IS_BACKGROUND (self), FALSE);

  return self->holding;
}

void
vigil_background_set_grace_seconds (VigilBackground *self,
                                    guint            seconds)
{
  g_return_if_fail (VIGIL_IS_BACKGROUND (self));

  seconds = MIN (seconds, G_MAXUINT / 1000);
  if (self->grace_seconds == seconds)
    return;
  self->grace_seconds = seconds;
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_GRACE_SECONDS]);
}

void
vigil_background_set_sandboxed (VigilBackground *self,
                                gboolean         sandboxed)
{
  g_return_if_fail (VIGIL_IS_BACKGROUND (self));

  sandboxed = !!sandboxed;
  if (self->sandboxed == sandboxed)
    return;
  self->sandboxed = sandboxed;
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_SANDBOXED]);
}

guint
vigil_background_count_watched (GListModel *jobs)
{
  guint n, watched = 0;

  g_return_val_if_fail (G_IS_LIST_MODEL (jobs), 0);

  n = g_list_model_get_n_items (jobs);
  for (guint i = 0; i < n; i++)
    {
      g_autoptr(VigilJob) job = g_list_model_get_item (jobs, i);

      /* What the tray counts as running: not finished, not stopped. */
      if (vigil_job_text_is_running (job))
        watched++;
    }
  return watched;
}

void
vigil_background_quit (VigilBackground *self)
{
  g_return_if_fail (VIGIL_IS_BACKGROUND (self));

  g_debug ("Quit: closing every window and stopping");
  self->quitting = TRUE;
  close_windows (self);
  release (self);
  g_application_quit (G_APPLICATION (self->application));
}

void
vigil_background_shutdown (VigilBackground *self)
{
  g_return_if_fail (VIGIL_IS_BACKGROUND (self));

  self->quitting = TRUE;
  g_cancellable_cancel (self->cancellable);
  release (self);
  /* A window would keep a state store alive, which would save every job
   * as stopped by the user once polling stops. */
  close_windows (self);
  stop_polling (self);
  /* Here, not in vigil_background_quit(): when the hint's own Quit button
   * quits, GLib's freedesktop backend frees that notification after the
   * action returns, and a withdrawal within it would free it first. */
  withdraw_hint (self);
}
