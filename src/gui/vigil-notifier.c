/* vigil-notifier.c — telling the user that jobs ended
 *
 * A background (whole-library) analysis ends: a notification of its own,
 * per `notify-background`. Other jobs: per `notify-jobs` ("off",
 * "failures", "all"), gathered for a second so that many ending together
 * make one summary; while the main window is the active window a toast
 * says it instead. Each job's notification has a stable id; removing the
 * job from the list withdraws it.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <glib/gi18n.h>

#include "vigil-job-text.h"
#include "vigil-window.h"

#include "vigil-notifier.h"

/* Jobs ending within this long of the one before make one message (a
 * burst whose ends the polls notice a little apart), for at most
 * GATHER_MAX_MS after the first: a steady trickle is still told. */
#define GATHER_MS 1000
#define GATHER_MAX_MS 5000
#define SUMMARY_ID "jobs-summary"

typedef struct
{
  VigilJob *job;
  char     *server;       /* the tracker's base URL */
} Ended;

struct _VigilNotifier
{
  GObject           parent_instance;

  VigilApplication *application;   /* weak: it owns the notifier */
  GListModel       *trackers;      /* VigilTracker, every server's */
  GListModel       *jobs;          /* every server's jobs, flattened */
  GPtrArray        *watched;       /* VigilTracker whose job-finished we hear */
  GHashTable       *sent;          /* notification id → VigilJob */
  GPtrArray        *pending;       /* Ended, gathered for one message */
  GCancellable     *cancellable;
  guint             gather_id;
  gint64            gather_start_us;  /* the first end of the burst */
  guint             prune_id;
  gboolean          summary_sent;  /* not yet withdrawn */
};

G_DEFINE_FINAL_TYPE (VigilNotifier, vigil_notifier, G_TYPE_OBJECT)

/* ------------------------------------------------------------------ */
/* Helpers                                                             */
/* ------------------------------------------------------------------ */

static void
ended_free (Ended *ended)
{
  g_object_unref (ended->job);
  g_free (ended->server);
  g_free (ended);
}

static const char *
tracker_url (VigilTracker *tracker)
{
  return vigil_api_client_get_base_url (vigil_tracker_get_client (tracker));
}

static GSettings *
settings (VigilNotifier *self)
{
  return vigil_application_get_settings (self->application);
}

/* The server's name for a message, or NULL with one server only. */
static char *
server_name (VigilNotifier *self,
             const char    *url,
             VigilJob      *job)
{
  g_autoptr(GVariant) names = NULL;
  const char *name = NULL;

  if (self->trackers == NULL || g_list_model_get_n_items (self->trackers) < 2)
    return NULL;
  names = g_settings_get_value (settings (self), "server-names");
  if (g_variant_lookup (names, url, "&s", &name) && name[0] != '\0')
    return g_strdup (name);
  return g_strdup (vigil_job_get_server_host (job));
}

static VigilWindow *
main_window (VigilNotifier *self)
{
  for (GList *w = gtk_application_get_windows (GTK_APPLICATION (self->application));
       w != NULL; w = w->next)
    if (VIGIL_IS_WINDOW (w->data))
      return w->data;
  return NULL;
}

/* The user is looking at the list: a toast says it there. */
static VigilWindow *
active_window (VigilNotifier *self)
{
  VigilWindow *window = main_window (self);

  if (window != NULL && gtk_widget_get_visible (GTK_WIDGET (window)) &&
      gtk_window_is_active (GTK_WINDOW (window)))
    return window;
  return NULL;
}

static gboolean
model_contains (GListModel *model,
                gpointer    item)
{
  guint n = g_list_model_get_n_items (model);

  for (guint i = 0; i < n; i++)
    {
      g_autoptr(GObject) other = g_list_model_get_item (model, i);

      if (other == item)
        return TRUE;
    }
  return FALSE;
}

static VigilTracker *
find_tracker (VigilNotifier *self,
              const char    *url)
{
  GListModel *trackers = vigil_application_get_trackers (self->application);
  guint n = trackers != NULL ? g_list_model_get_n_items (trackers) : 0;

  for (guint i = 0; i < n; i++)
    {
      g_autoptr(VigilTracker) tracker = g_list_model_get_item (trackers, i);

      if (g_str_equal (tracker_url (tracker), url))
        return tracker;   /* the list keeps it */
    }
  return NULL;
}

/* ------------------------------------------------------------------ */
/* Sending                                                             */
/* ------------------------------------------------------------------ */

static gboolean
send (VigilNotifier *self,
      const char    *id,
      GNotification *notification)
{
  if (!vigil_notifications_available (NULL))
    {
      g_debug ("No notification server: not sending %s", id);
      return FALSE;
    }
  g_application_send_notification (G_APPLICATION (self->application), id, notification);
  return TRUE;
}

/* One job's notification: Show (the default too) and, after a failure,
 * Retry. */
static void
notify_job (VigilNotifier *self,
            const char    *url,
            VigilJob      *job)
{
  VigilServerState state = vigil_job_get_server_state (job);
  gboolean failed = vigil_job_text_is_failure (state);
  g_autofree char *id = vigil_notifier_job_id (url, vigil_job_get_job_id (job));
  g_autofree char *name = server_name (self, url, job);
  g_autofree char *body = vigil_job_text_job_notification_body (job, name);
  g_autoptr(GNotification) notification = NULL;
  g_autoptr(GVariant) target = NULL;
  g_autoptr(GIcon) icon = g_themed_icon_new (APP_ID);

  notification = g_notification_new (vigil_job_text_notification_title (vigil_job_get_kind (job),
                                                                          state));
  target = g_variant_ref_sink (g_variant_new ("(ss)", url, vigil_job_get_job_id (job)));
  g_notification_set_body (notification, body);
  g_notification_set_icon (notification, icon);
  g_notification_set_default_action_and_target_value (notification, "app.show-job", target);
  /* Translators: a notification's button: open Vigil on the job */
  g_notification_add_button_with_target_value (notification, _("Show"), "app.show-job", target);
  if (failed)
    /* Translators: a notification's button: start the same analysis again */
    g_notification_add_button_with_target_value (notification, _("Retry"), "app.retry-job",
                                                 target);
  g_notification_set_priority (notification, failed ? G_NOTIFICATION_PRIORITY_HIGH
                                                    : G_NOTIFICATION_PRIORITY_NORMAL);
  if (send (self, id, notification))
    g_hash_table_replace (self->sent, g_steal_pointer (&id), g_object_ref (job));
}

/* A click shows the first failed job (else the first one): the list, with
 * what most needs a look in sight. */
static void
notify_summary (VigilNotifier *self,
                Ended         *shown,
                guint          n_ended,
                guint          n_failed)
{
  g_autofree char *title = vigil_job_text_jobs_summary (n_ended, n_failed);
  g_autoptr(GNotification) notification = g_notification_new (title);
  g_autoptr(GIcon) icon = g_themed_icon_new (APP_ID);

  g_notification_set_icon (notification, icon);
  g_notification_set_default_action_and_target (notification, "app.show-job", "(ss)",
                                                shown->server,
                                                vigil_job_get_job_id (shown->job));
  if (n_failed > 0)
    g_notification_set_priority (notification, G_NOTIFICATION_PRIORITY_HIGH);
  self->summary_sent |= send (self, SUMMARY_ID, notification);
}

/* The list in front of the user says what the summary said: it goes.
 * (Jobs' own notifications stay until their job leaves the list.) */
static void
on_window_active (GtkWindow     *window,
                  GParamSpec    *pspec,
                  VigilNotifier *self)
{
  if (!gtk_window_is_active (window) || !self->summary_sent || self->application == NULL)
    return;
  self->summary_sent = FALSE;
  g_debug ("The list is in front: withdrawing the summary notification");
  g_application_withdraw_notification (G_APPLICATION (self->application), SUMMARY_ID);
}

static void
on_window_added (GtkApplication *application,
                 GtkWindow      *window,
                 VigilNotifier  *self)
{
  if (VIGIL_IS_WINDOW (window))
    g_signal_connect_object (window, "notify::is-active", G_CALLBACK (on_window_active), self, 0);
}

static gboolean
on_gather_done (gpointer user_data)
{
  VigilNotifier *self = user_data;
  g_autoptr(GPtrArray) ended = g_steal_pointer (&self->pending);
  VigilWindow *window = active_window (self);
  Ended *first_failed = NULL;
  guint n_failed = 0;

  self->gather_id = 0;
  self->pending = g_ptr_array_new_with_free_func ((GDestroyNotify) ended_free);
  for (guint i = 0; i < ended->len; i++)
    {
      Ended *e = g_ptr_array_index (ended, i);

      if (vigil_job_text_is_failure (vigil_job_get_server_state (e->job)))
        {
          n_failed++;
          first_failed = first_failed != NULL ? first_failed : e;
        }
    }

  if (ended->len == 1)
    {
      Ended *e = g_ptr_array_index (ended, 0);
      g_autofree char *line = vigil_job_text_finished_line (e->job);

      if (window != NULL)
        vigil_window_add_toast (window, line);
      else
        notify_job (self, e->server, e->job);
    }
  else if (ended->len > 1)
    {
      g_autofree char *summary = vigil_job_text_jobs_summary (ended->len, n_failed);

      if (window != NULL)
        vigil_window_add_toast (window, summary);
      else
        notify_summary (self, first_failed != NULL ? first_failed : g_ptr_array_index (ended, 0),
                        ended->len, n_failed);
    }
  return G_SOURCE_REMOVE;
}

static gboolean
wanted (VigilNotifier *self,
        VigilJob      *job)
{
  g_autofree char *mode = NULL;

  if (vigil_job_get_kind (job) == VIGIL_JOB_KIND_BACKGROUND)
    return g_settings_get_boolean (settings (self), "notify-background");
  mode = g_settings_get_string (settings (self), "notify-jobs");
  if (g_str_equal (mode, "all"))
    return TRUE;
  return g_str_equal (mode, "failures") &&
         vigil_job_text_is_failure (vigil_job_get_server_state (job));
}

static void
on_job_finished (VigilTracker  *tracker,
                 VigilJob      *job,
                 VigilNotifier *self)
{
  Ended *ended;

  if (!wanted (self, job))
    return;
  if (vigil_job_get_kind (job) == VIGIL_JOB_KIND_BACKGROUND)
    {
      notify_job (self, tracker_url (tracker), job);
      return;
    }

  ended = g_new0 (Ended, 1);
  ended->job = g_object_ref (job);
  ended->server = g_strdup (tracker_url (tracker));
  g_ptr_array_add (self->pending, ended);
  if (self->gather_id == 0)
    self->gather_start_us = g_get_monotonic_time ();
  else if (g_get_monotonic_time () - self->gather_start_us < (GATHER_MAX_MS - GATHER_MS) * 1000)
    g_clear_handle_id (&self->gather_id, g_source_remove);
  if (self->gather_id == 0)
    self->gather_id = g_timeout_add (GATHER_MS, on_gather_done, self);
}

/* ------------------------------------------------------------------ */
/* Following the servers and their jobs                                */
/* ------------------------------------------------------------------ */

static void
on_trackers_changed (VigilNotifier *self)
{
  guint n = g_list_model_get_n_items (self->trackers);

  /* Forget servers no longer configured, then hear every new one. */
  for (guint i = self->watched->len; i > 0; i--)
    {
      VigilTracker *tracker = g_ptr_array_index (self->watched, i - 1);
      if (!model_contains (self->trackers, tracker))
        {
          g_signal_handlers_disconnect_by_func (tracker, on_job_finished, self);
          g_ptr_array_remove_index (self->watched, i - 1);
        }
    }
  for (guint i = 0; i < n; i++)
    {
      g_autoptr(VigilTracker) tracker = g_list_model_get_item (self->trackers, i);

      if (g_ptr_array_find (self->watched, tracker, NULL))
        continue;
      g_signal_connect (tracker, "job-finished", G_CALLBACK (on_job_finished), self);
      g_ptr_array_add (self->watched, g_object_ref (tracker));
    }
}

/* Jobs gone from the list take their notifications with them. */
static gboolean
on_prune (gpointer user_data)
{
  VigilNotifier *self = user_data;
  g_autoptr(GHashTable) present = g_hash_table_new (NULL, NULL);
  guint n = g_list_model_get_n_items (self->jobs);
  GHashTableIter iter;
  gpointer id, job;

  self->prune_id = 0;
  for (guint i = 0; i < n; i++)
    {
      g_autoptr(VigilJob) item = g_list_model_get_item (self->jobs, i);

      g_hash_table_add (present, item);
    }
  g_hash_table_iter_init (&iter, self->sent);
  while (g_hash_table_iter_next (&iter, &id, &job))
    if (!g_hash_table_contains (present, job))
      {
        g_debug ("Withdrawing %s: its job was removed", (const char *) id);
        g_application_withdraw_notification (G_APPLICATION (self->application), id);
        g_hash_table_iter_remove (&iter);
      }
  return G_SOURCE_REMOVE;
}

static void
on_jobs_changed (GListModel    *jobs,
                 guint          position,
                 guint          removed,
                 guint          added,
                 VigilNotifier *self)
{
  /* A finished job is re-announced (1 removed, 1 added): look once the
   * list has settled. */
  if (removed > 0 && self->prune_id == 0 && g_hash_table_size (self->sent) > 0)
    self->prune_id = g_idle_add (on_prune, self);
}

/* ------------------------------------------------------------------ */
/* Actions                                                             */
/* ------------------------------------------------------------------ */

static VigilJob *
lookup_job (VigilNotifier *self,
            GVariant      *parameter,
            VigilTracker **tracker_out)
{
  const char *url, *job_id;
  VigilTracker *tracker;

  /* Launched by the notification: set up as activation does. */
  if (vigil_application_get_trackers (self->application) == NULL)
    vigil_application_show_window (self->application);
  g_variant_get (parameter, "(&s&s)", &url, &job_id);
  tracker = find_tracker (self, url);
  if (tracker_out != NULL)
    *tracker_out = tracker;
  return tracker != NULL ? vigil_tracker_lookup (tracker, job_id) : NULL;
}

static void
show_job_action (GSimpleAction *action,
                 GVariant      *parameter,
                 gpointer       user_data)
{
  VigilNotifier *self = user_data;
  VigilJob *job = lookup_job (self, parameter, NULL);
  GtkWindow *window = vigil_application_show_window (self->application);

  if (job != NULL && VIGIL_IS_WINDOW (window))
    vigil_window_show_job (VIGIL_WINDOW (window), job);
  else if (VIGIL_IS_WINDOW (window))
    vigil_window_add_toast (VIGIL_WINDOW (window), _("That analysis is no longer in the list"));
}

/* Said in the window when it is up, else in a notification. */
static void
tell (VigilNotifier *self,
      const char    *title,
      const char    *text)
{
  VigilWindow *window = main_window (self);
  g_autoptr(GNotification) notification = NULL;

  if (window != NULL && gtk_widget_get_visible (GTK_WIDGET (window)))
    {
      vigil_window_add_toast (window, text);
      return;
    }
  notification = g_notification_new (title);
  g_notification_set_body (notification, text);
  send (self, "retry", notification);
}

static void
on_retry_started (GObject      *object,
                  GAsyncResult *result,
                  gpointer      user_data)
{
  g_autoptr(VigilNotifier) self = user_data;
  g_autoptr(VigilStartResult) answer = NULL;
  g_autoptr(VigilJob) job = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *text = NULL;

  job = vigil_tracker_start_finish (VIGIL_TRACKER (object), result, &answer, &error);
  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    return;
  text = answer != NULL ? vigil_job_text_start (answer) : g_strdup (error->message);
  if (job == NULL)
    tell (self, _("The analysis did not start again"), text);
  else if (main_window (self) != NULL && gtk_widget_get_visible (GTK_WIDGET (main_window (self))))
    vigil_window_add_toast (main_window (self), text);
}

/* The same analysis again, through the tracker as New Analysis starts it. */
static void
retry_job_action (GSimpleAction *action,
                  GVariant      *parameter,
                  gpointer       user_data)
{
  VigilNotifier *self = user_data;
  VigilTracker *tracker = NULL;
  VigilJob *job = lookup_job (self, parameter, &tracker);

  if (job == NULL)
    {
      GtkWindow *window = vigil_application_show_window (self->application);

      if (VIGIL_IS_WINDOW (window))
        vigil_window_add_toast (VIGIL_WINDOW (window), _("That analysis is no longer in the list"));
      return;
    }
  g_debug ("Retrying job %s", vigil_job_get_job_id (job));
  vigil_tracker_start_async (tracker, vigil_job_get_kind (job), vigil_job_get_target_id (job),
                             FALSE, self->cancellable, on_retry_started, g_object_ref (self));
}

static const GActionEntry actions[] = {
  { "show-job", show_job_action, "(ss)" },
  { "retry-job", retry_job_action, "(ss)" },
};

/* ------------------------------------------------------------------ */
/* GObject                                                             */
/* ------------------------------------------------------------------ */

static void
vigil_notifier_dispose (GObject *object)
{
  VigilNotifier *self = VIGIL_NOTIFIER (object);

  g_cancellable_cancel (self->cancellable);
  if (self->application != NULL)
    {
      for (guint i = 0; i < G_N_ELEMENTS (actions); i++)
        g_action_map_remove_action (G_ACTION_MAP (self->application), actions[i].name);
      g_object_remove_weak_pointer (G_OBJECT (self->application),
                                    (gpointer *) &self->application);
      self->application = NULL;
    }
  for (guint i = 0; self->watched != NULL && i < self->watched->len; i++)
    g_signal_handlers_disconnect_by_func (g_ptr_array_index (self->watched, i),
                                          on_job_finished, self);
  g_clear_pointer (&self->watched, g_ptr_array_unref);
  if (self->trackers != NULL)
    g_signal_handlers_disconnect_by_data (self->trackers, self);
  if (self->jobs != NULL)
    g_signal_handlers_disconnect_by_data (self->jobs, self);
  g_clear_object (&self->trackers);
  g_clear_object (&self->jobs);
  g_clear_handle_id (&self->gather_id, g_source_remove);
  g_clear_handle_id (&self->prune_id, g_source_remove);
  g_clear_pointer (&self->pending, g_ptr_array_unref);
  g_clear_pointer (&self->sent, g_hash_table_unref);
  g_clear_object (&self->cancellable);

  G_OBJECT_CLASS (vigil_notifier_parent_class)->dispose (object);
}

static void
vigil_notifier_class_init (VigilNotifierClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->dispose = vigil_notifier_dispose;
}

static void
vigil_notifier_init (VigilNotifier *self)
{
  self->watched = g_ptr_array_new_with_free_func (g_object_unref);
  self->sent = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_object_unref);
  self->pending = g_ptr_array_new_with_free_func ((GDestroyNotify) ended_free);
  self->cancellable = g_cancellable_new ();
}

/* ------------------------------------------------------------------ */
/* Public API                                                          */
/* ------------------------------------------------------------------ */

gboolean
vigil_notifications_available (GDBusConnection *connection)
{
  static const char * const names[] = { "org.freedesktop.Notifications",
                                        "org.gtk.Notifications", NULL };
  g_autoptr(GDBusConnection) bus = NULL;
  g_autoptr(GVariant) reply = NULL;
  g_auto(GStrv) activatable = NULL;

  g_return_val_if_fail (connection == NULL || G_IS_DBUS_CONNECTION (connection), FALSE);

  if (g_file_test ("/.flatpak-info", G_FILE_TEST_EXISTS))
    return TRUE;
  bus = connection != NULL ? g_object_ref (connection)
                           : g_bus_get_sync (G_BUS_TYPE_SESSION, NULL, NULL);
  if (bus == NULL)
    return FALSE;
  for (guint i = 0; names[i] != NULL; i++)
    {
      gboolean owned = FALSE;

      g_clear_pointer (&reply, g_variant_unref);
      reply = g_dbus_connection_call_sync (bus, "org.freedesktop.DBus", "/org/freedesktop/DBus",
                                           "org.freedesktop.DBus", "NameHasOwner",
                                           g_variant_new ("(s)", names[i]), G_VARIANT_TYPE ("(b)"),
                                           G_DBUS_CALL_FLAGS_NONE, 2000, NULL, NULL);
      if (reply != NULL)
        g_variant_get (reply, "(b)", &owned);
      if (owned)
        return TRUE;
    }
  g_clear_pointer (&reply, g_variant_unref);
  reply = g_dbus_connection_call_sync (bus, "org.freedesktop.DBus", "/org/freedesktop/DBus",
                                       "org.freedesktop.DBus", "ListActivatableNames", NULL,
                                       G_VARIANT_TYPE ("(as)"), G_DBUS_CALL_FLAGS_NONE, 2000,
                                       NULL, NULL);
  if (reply == NULL)
    return FALSE;
  g_variant_get (reply, "(^as)", &activatable);
  for (guint i = 0; names[i] != NULL; i++)
    if (g_strv_contains ((const char * const *) activatable, names[i]))
      return TRUE;
  return FALSE;
}

VigilNotifier *
vigil_notifier_new (VigilApplication *application)
{
  VigilNotifier *self;

  g_return_val_if_fail (VIGIL_IS_APPLICATION (application), NULL);

  self = g_object_new (VIGIL_TYPE_NOTIFIER, NULL);
  self->application = application;
  g_object_add_weak_pointer (G_OBJECT (application), (gpointer *) &self->application);
  g_action_map_add_action_entries (G_ACTION_MAP (application), actions,
                                   G_N_ELEMENTS (actions), self);
  g_signal_connect_object (application, "window-added", G_CALLBACK (on_window_added), self, 0);
  return self;
}

void
vigil_notifier_watch (VigilNotifier *self)
{
  g_return_if_fail (VIGIL_IS_NOTIFIER (self));
  g_return_if_fail (self->application != NULL);

  if (self->trackers != NULL)
    return;
  self->trackers = vigil_application_get_trackers (self->application);
  self->jobs = vigil_application_get_jobs (self->application);
  g_return_if_fail (self->trackers != NULL && self->jobs != NULL);
  g_object_ref (self->trackers);
  g_object_ref (self->jobs);
  g_signal_connect_swapped (self->trackers, "items-changed",
                            G_CALLBACK (on_trackers_changed), self);
  g_signal_connect (self->jobs, "items-changed", G_CALLBACK (on_jobs_changed), self);
  on_trackers_changed (self);
}

char *
vigil_notifier_job_id (const char *server_url,
                       const char *job_id)
{
  g_autofree char *sum = NULL;

  g_return_val_if_fail (server_url != NULL && job_id != NULL, NULL);

  sum = g_compute_checksum_for_string (G_CHECKSUM_SHA1, server_url, -1);
  sum[12] = '\0';
  return g_strdup_printf ("job-%s-%s", sum, job_id);
}
