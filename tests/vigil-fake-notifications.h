/* vigil-fake-notifications.h — a notification server for tests: owns
 * org.freedesktop.Notifications and org.gtk.Notifications on the session
 * bus (its own connection, served from the thread-default main context)
 * and records what applications send, whichever backend GLib chose.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <gio/gio.h>

G_BEGIN_DECLS

typedef struct
{
  char      *backend;          /* "freedesktop" or "gtk" */
  char      *app_id;           /* fdo: the desktop-entry hint; gtk: the app's id */
  char      *id;               /* fdo: the server's number; gtk: the app's id for it */
  guint32    fdo_id;
  char      *title;
  char      *body;
  gboolean   has_default;
  char      *default_action;   /* gtk: the detailed action; fdo: "default" */
  GPtrArray *button_labels;    /* char *, in order */
  GPtrArray *button_actions;   /* fdo: the action keys (detailed action names); gtk: the same */
  guint      times_sent;       /* > 1: replaced by later sends with its id */
  gboolean   withdrawn;
} VigilFakeNotification;

typedef struct _VigilFakeNotifications VigilFakeNotifications;

/* Owns both names (waits until it does); NULL with error when it cannot. */
VigilFakeNotifications *vigil_fake_notifications_new       (GError                **error);
void                    vigil_fake_notifications_free      (VigilFakeNotifications *self);
/* How many Notify and AddNotification calls arrived. */
guint                   vigil_fake_notifications_get_n_sent (VigilFakeNotifications *self);
/* Every notification (a replaced one once), in the order first sent
 * (transfer none). */
GPtrArray              *vigil_fake_notifications_get_all   (VigilFakeNotifications *self);
/* Forget everything recorded. */
void                    vigil_fake_notifications_reset     (VigilFakeNotifications *self);
/* Click: action_key "default" or one of button_actions. fdo: the
 * ActionInvoked signal; gtk: org.freedesktop.Application.ActivateAction
 * on the application, as GNOME Shell does. */
void                    vigil_fake_notifications_invoke    (VigilFakeNotifications *self,
                                                            VigilFakeNotification  *notification,
                                                            const char             *action_key);
/* org.freedesktop.Application.ActivateAction on the application app_id
 * (its bus name and object path) with a detailed "app.name(target)". */
void                    vigil_fake_notifications_activate_app_action (VigilFakeNotifications *self,
                                                                      const char             *app_id,
                                                                      const char             *detailed_action);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (VigilFakeNotifications, vigil_fake_notifications_free)

G_END_DECLS
