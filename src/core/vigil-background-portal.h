/* vigil-background-portal.h — asks the desktop's Background portal
 * (org.freedesktop.portal.Background, xdg-desktop-portal) whether Vigil may
 * keep running with no window open. Plain GDBus, no widgets: a sandboxed
 * Vigil asks it before it stays in the background.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <gio/gio.h>

G_BEGIN_DECLS

#define VIGIL_BACKGROUND_PORTAL_BUS_NAME    "org.freedesktop.portal.Desktop"
#define VIGIL_BACKGROUND_PORTAL_OBJECT_PATH "/org/freedesktop/portal/desktop"
#define VIGIL_BACKGROUND_PORTAL_INTERFACE   "org.freedesktop.portal.Background"
#define VIGIL_BACKGROUND_PORTAL_REQUEST_INTERFACE "org.freedesktop.portal.Request"

#define VIGIL_BACKGROUND_PORTAL_ERROR (vigil_background_portal_error_quark ())

typedef enum
{
  VIGIL_BACKGROUND_PORTAL_ERROR_DENIED,   /* the user or a policy said no */
  VIGIL_BACKGROUND_PORTAL_ERROR_FAILED,   /* the portal ended the request (response 2) */
  VIGIL_BACKGROUND_PORTAL_ERROR_INVALID,  /* an answer of the wrong shape */
} VigilBackgroundPortalError;

GQuark   vigil_background_portal_error_quark   (void);

/* Whether Vigil runs inside a Flatpak sandbox (/.flatpak-info exists):
 * only then does the portal decide whether it may run in the background. */
gboolean vigil_background_portal_is_sandboxed  (void);

/* Calls RequestBackground (parent_window: "" or "x11:XID"/"wayland:HANDLE";
 * reason: shown to the user, at most 256 characters) and waits for the
 * Request object's Response signal. No autostart is asked for.
 * connection: the session bus. Cancelling closes the request. */
void     vigil_background_portal_request_async  (GDBusConnection    *connection,
                                                 const char         *parent_window,
                                                 const char         *reason,
                                                 GCancellable       *cancellable,
                                                 GAsyncReadyCallback callback,
                                                 gpointer            user_data);
/* TRUE when Vigil may run in the background. FALSE with error:
 * VIGIL_BACKGROUND_PORTAL_ERROR_DENIED (refused), _FAILED or _INVALID, a
 * G_DBUS_ERROR when no portal answered the call (e.g. ServiceUnknown), or
 * G_IO_ERROR_CANCELLED. */
gboolean vigil_background_portal_request_finish (GAsyncResult       *result,
                                                 GError            **error);

G_END_DECLS
