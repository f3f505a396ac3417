/* vigil-notifier.h — telling the user that jobs ended, when the list is
 * not in front of them: desktop notifications (GNotification) and toasts
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <adwaita.h>

#include "vigil-application.h"

G_BEGIN_DECLS

#define VIGIL_TYPE_NOTIFIER (vigil_notifier_get_type ())
G_DECLARE_FINAL_TYPE (VigilNotifier, vigil_notifier, VIGIL, NOTIFIER, GObject)

/* Whether a notification sent now reaches anyone: under Flatpak (the
 * portal shows it), or when org.freedesktop.Notifications or
 * org.gtk.Notifications is owned or activatable on the bus. connection
 * NULL: the session bus. Without a server GLib's freedesktop backend only
 * warns, so Vigil sends nothing then. */
gboolean       vigil_notifications_available   (GDBusConnection  *connection);

/* Adds app.show-job and app.retry-job to application (parameter "(ss)":
 * the server's base URL and the job's id); they live as long as the
 * notifier. The application owns the notifier. */
VigilNotifier *vigil_notifier_new              (VigilApplication *application);
/* Starts listening to the application's servers (their job-finished) and
 * jobs (removals withdraw notifications); call once they exist. */
void           vigil_notifier_watch            (VigilNotifier    *self);
/* A job's notification id, stable across runs: "job-<hash of the
 * server>-<job id>"; a later notification of the job replaces it. */
char          *vigil_notifier_job_id           (const char       *server_url,
                                                const char       *job_id);

G_END_DECLS
