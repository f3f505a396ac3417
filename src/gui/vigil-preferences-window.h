/* vigil-preferences-window.h — the server and how to sign in to it
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <adwaita.h>

#include "vigil-api-client.h"
#include "vigil-application.h"
#include "vigil-connection-check.h"
#include "vigil-credentials.h"

G_BEGIN_DECLS

/* How to sign in, as the "Sign In With" row lists it. */
typedef enum
{
  VIGIL_SIGN_IN_NONE,
  VIGIL_SIGN_IN_TOKEN,
  VIGIL_SIGN_IN_COOKIE,
} VigilSignInMethod;

#define VIGIL_TYPE_PREFERENCES_WINDOW (vigil_preferences_window_get_type ())
G_DECLARE_FINAL_TYPE (VigilPreferencesWindow, vigil_preferences_window, VIGIL, PREFERENCES_WINDOW,
                      AdwPreferencesWindow)

/* Properties (construct-only):
 *   client       VigilApiClient*    the app's client: Save sets its token or
 *                                   cookie when the address is its server's
 *   credentials  VigilCredentials*  where Save keeps the secret
 *   settings     GSettings*         server-url (never a secret)
 *
 * Signals:
 *   saved ()        a Save has finished (status text says how)
 *   checked (VigilConnectionResult result)
 *                   a Test Connection has finished
 *
 * Actions: prefs.save, prefs.test-connection. */
GtkWidget         *vigil_preferences_window_new              (GtkWindow              *parent,
                                                              VigilApiClient         *client,
                                                              VigilCredentials       *credentials,
                                                              GSettings              *settings);

/* With the app, the Servers group lists every configured server; Save
 * signs in that server's client and Add Server… makes the app track it. */
void               vigil_preferences_window_set_application  (VigilPreferencesWindow *self,
                                                              VigilApplication       *app);
/* Edit url (as clicking its row does), or a new server when url is NULL. */
void               vigil_preferences_window_select_server    (VigilPreferencesWindow *self,
                                                              const char             *url);
/* The server the form edits, or NULL for a new one. */
const char        *vigil_preferences_window_get_selected     (VigilPreferencesWindow *self);
/* The remove button of url's row: the server stops at once (its jobs
 * leave the list; its state file stays) and a toast "Removed NAME" offers
 * Undo (prefs.undo-remove-server), which adds it again: its jobs resume. */
gboolean           vigil_preferences_window_remove_server    (VigilPreferencesWindow *self,
                                                              const char             *url);
/* The toast on screen ("Removed NAME"), or NULL. */
const char        *vigil_preferences_window_get_toast_text   (VigilPreferencesWindow *self);
/* The URLs the Servers group lists, in order (transfer full). */
GStrv              vigil_preferences_window_dup_listed       (VigilPreferencesWindow *self);
void               vigil_preferences_window_set_name         (VigilPreferencesWindow *self,
                                                              const char             *name);

/* The form, for tests: fill it in as a user would. */
void               vigil_preferences_window_set_url          (VigilPreferencesWindow *self,
                                                              const char             *url);
void               vigil_preferences_window_set_method       (VigilPreferencesWindow *self,
                                                              VigilSignInMethod       method);
void               vigil_preferences_window_set_secret       (VigilPreferencesWindow *self,
                                                              const char             *secret);
/* The line under the form: the last Save's or Test Connection's outcome. */
const char        *vigil_preferences_window_get_status_text  (VigilPreferencesWindow *self);
/* The plain-http warning shown under the address, or NULL. */
const char        *vigil_preferences_window_get_url_warning  (VigilPreferencesWindow *self);

G_END_DECLS
