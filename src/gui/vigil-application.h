/* vigil-application.h
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <adwaita.h>

#include "vigil-background.h"
#include "vigil-credentials.h"
#include "vigil-demo-server.h"
#include "vigil-server-monitors.h"
#include "vigil-state-store.h"
#include "vigil-tracker.h"

G_BEGIN_DECLS

/* The glibc malloc trim threshold the application fixes at startup (bytes;
 * glibc's own start value): freed heap above it is returned at once. */
#define VIGIL_APPLICATION_TRIM_THRESHOLD (128 * 1024)
/* glibc malloc arenas the process may have (one: threads share the
 * main heap). */
#define VIGIL_APPLICATION_ARENA_MAX 1

#define VIGIL_TYPE_APPLICATION (vigil_application_get_type ())
G_DECLARE_FINAL_TYPE (VigilApplication, vigil_application, VIGIL, APPLICATION, AdwApplication)

/* glibc's allocator set to keep little memory it does not use: one
 * arena, freed heap returned above VIGIL_APPLICATION_TRIM_THRESHOLD. Call
 * first thing in main(), before any thread starts. */
void              vigil_application_tune_allocator (void);
VigilApplication *vigil_application_new          (const char       *application_id,
                                                  GApplicationFlags flags);
GSettings        *vigil_application_get_settings (VigilApplication *self);
/* NULL until the first window opens. */
VigilTracker     *vigil_application_get_tracker  (VigilApplication *self);
/* One tracker per server (own client, poller, backoff), the first first. */
GListModel       *vigil_application_get_trackers (VigilApplication *self);
/* Every server's jobs in one model; NULL before the first window. */
GListModel       *vigil_application_get_jobs     (VigilApplication *self);
/* Presents the main window (made when there is none; transfer none). */
GtkWindow        *vigil_application_show_window  (VigilApplication *self);
/* Hides the main window when shown, else shows it (the tray's Activate). */
void              vigil_application_toggle_window (VigilApplication *self);
/* The tracker of the last used server (the `server-url` setting). */
VigilTracker     *vigil_application_get_last_used_tracker (VigilApplication *self);
/* The first server's saved jobs and history of finished ones; NULL until
 * the first window opens. */
VigilStateStore  *vigil_application_get_state_store (VigilApplication *self);
/* Every server's store (its jobs and history), in the servers' order. */
GListModel       *vigil_application_get_state_stores (VigilApplication *self);
/* One dashboard monitor per server, kept while Vigil runs (the Servers
 * page shows them; auto-watch goes on with no window); NULL until the
 * first window opens. */
VigilServerMonitors *vigil_application_get_server_monitors (VigilApplication *self);
/* Keeps Vigil watching after its window closed; NULL before startup. */
VigilBackground  *vigil_application_get_background (VigilApplication *self);
/* The in-process demo server of `vigil --demo`, or NULL. */
VigilDemoServer  *vigil_application_get_demo_server (VigilApplication *self);
/* Where the server's token or cookie is kept (keyring, or memory when
 * session-only). At the first window the saved one signs the client in. */
VigilCredentials *vigil_application_get_credentials (VigilApplication *self);
/* app.preferences (Ctrl+,): opens Preferences over the active window
 * (transfer none); NULL before the first window. */
GtkWidget        *vigil_application_show_preferences (VigilApplication *self);
/* The client of a tracked server (normal form compared), or NULL. */
VigilApiClient   *vigil_application_get_client_for   (VigilApplication *self,
                                                      const char       *url);
/* Adds url to the `servers` setting and tracks it (as --server does). */
gboolean          vigil_application_add_server       (VigilApplication *self,
                                                      const char       *url,
                                                      GError          **error);
/* Drops url from `servers`/`server-url` (never the last one) and stops its
 * tracker; its saved jobs stay in its state file. */
gboolean          vigil_application_remove_server    (VigilApplication *self,
                                                      const char       *url);

G_END_DECLS
