/* vigil-signin-window.h — sign in through the server's own web page and
 * catch the session cookie it sets
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <adwaita.h>

G_BEGIN_DECLS

#define VIGIL_TYPE_SIGNIN_WINDOW (vigil_signin_window_get_type ())
G_DECLARE_FINAL_TYPE (VigilSigninWindow, vigil_signin_window, VIGIL, SIGNIN_WINDOW, AdwWindow)

/* A modal window with a web view (WebKitGTK 6.0, its own ephemeral network
 * session: nothing of the sign-in is kept on disk) that opens
 * BASE/auth/login. Whenever a page finishes loading or the session's
 * cookies change, it asks for the cookies the server's API would be sent
 * (BASE/api/); once one named "session" exists it emits "signed-in" and
 * closes. The window never stores the cookie: its owner does (with
 * VigilCredentials, kind COOKIE, as "session=<value>") and hands it to the
 * API client.
 *
 * Signals:
 *   signed-in (const char *cookie_value)  the value of the "session" cookie;
 *                                         emitted once, then the window closes
 *   cancelled ()                          the user closed the window first
 *
 * A page that cannot be loaded (no server, TLS, the web process gone) shows
 * an AdwStatusPage with the reason and a Try Again button.
 *
 * Built without WebKit (-Dwebkit=disabled, or auto without
 * libwebkitgtk-6.0-dev), vigil_signin_window_is_available() is FALSE and
 * vigil_signin_window_new() must not be called: offer pasting a cookie
 * instead. */

gboolean           vigil_signin_window_is_available (void);

VigilSigninWindow *vigil_signin_window_new          (GtkWindow         *parent,
                                                     const char        *base_url);
const char        *vigil_signin_window_get_base_url (VigilSigninWindow *self);
/* The WebKitWebView (for tests: filling the form, screenshots). */
GtkWidget         *vigil_signin_window_get_web_view (VigilSigninWindow *self);

G_END_DECLS
