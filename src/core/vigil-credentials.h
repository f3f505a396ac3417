/* vigil-credentials.h — tokens and session cookies in the Secret Service
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <gio/gio.h>

G_BEGIN_DECLS

/* The libsecret schema of every entry. Its attributes: "server" (the base
 * URL as VigilApiClient normalizes it: no trailing slash) and "kind"
 * ("token" or "cookie"). libsecret also stores the schema name as the
 * attribute "xdg:schema" and matches on it, so an admin's
 *   secret-tool store --label=L xdg:schema io.github.vigil.Vigil.Credential \
 *     server https://host kind token
 * makes an entry that lookups find, and clear never touches another
 * application's items that happen to have "server" and "kind" too. */
#define VIGIL_CREDENTIALS_SCHEMA_NAME "io.github.vigil.Vigil.Credential"

#define VIGIL_CREDENTIALS_ERROR (vigil_credentials_error_quark ())

typedef enum
{
  /* No Secret Service on the bus, no bus, any libsecret error, or no answer
   * within the timeout (a locked keyring waiting on a prompt). The object
   * has then become session-only. */
  VIGIL_CREDENTIALS_ERROR_NO_KEYRING,
} VigilCredentialsError;

GQuark vigil_credentials_error_quark (void);

typedef enum
{
  VIGIL_CREDENTIAL_KIND_TOKEN,   /* sent as "Authorization: Bearer <it>" */
  VIGIL_CREDENTIAL_KIND_COOKIE,  /* a session cookie, "name=value" */
} VigilCredentialKind;

#define VIGIL_TYPE_CREDENTIAL_KIND (vigil_credential_kind_get_type ())
GType vigil_credential_kind_get_type (void) G_GNUC_CONST;

/* "token" or "cookie": the value of the "kind" attribute. */
const char *vigil_credential_kind_to_string (VigilCredentialKind kind);

#define VIGIL_TYPE_CREDENTIALS (vigil_credentials_get_type ())
G_DECLARE_FINAL_TYPE (VigilCredentials, vigil_credentials, VIGIL, CREDENTIALS, GObject)

/* Properties:
 *   timeout       guint     seconds one keyring operation may take (default
 *                           60: long enough to type a password into an
 *                           unlock prompt); 0 = none
 *   session-only  gboolean  read-only. TRUE once the keyring failed: from
 *                           then on this object keeps secrets in memory only
 *                           (until it is finalized) and never asks the
 *                           keyring again. Show a banner while it is TRUE.
 *
 * Signals:
 *   changed (const char *server, VigilCredentialKind kind)
 *     a store or a clear made through this object has changed what a lookup
 *     of (server, kind) returns (in the keyring or, session-only, in
 *     memory). Changes made by other programs are not seen.
 *
 * The operation that finds the keyring unusable fails with
 * VIGIL_CREDENTIALS_ERROR_NO_KEYRING (its message says why and that secrets
 * last only for this session); a store has nevertheless kept the secret in
 * memory and a clear has removed it from there. Every later operation works
 * on memory and succeeds.
 *
 * Secrets never reach a log, a file or GSettings through this object. */
VigilCredentials *vigil_credentials_new              (void);

guint             vigil_credentials_get_timeout      (VigilCredentials     *self);
void              vigil_credentials_set_timeout      (VigilCredentials     *self,
                                                      guint                 timeout);
gboolean          vigil_credentials_is_session_only  (VigilCredentials     *self);

/* The secret saved for (server_url, kind). lookup_finish returns NULL
 * without an error when there is none; free the secret with g_free(). */
void              vigil_credentials_lookup_async     (VigilCredentials     *self,
                                                      const char           *server_url,
                                                      VigilCredentialKind   kind,
                                                      GCancellable         *cancellable,
                                                      GAsyncReadyCallback   callback,
                                                      gpointer              user_data);
char             *vigil_credentials_lookup_finish    (VigilCredentials     *self,
                                                      GAsyncResult         *result,
                                                      GError              **error);

/* Saves secret for (server_url, kind) in the default keyring, replacing any
 * earlier one. label is what keyring managers (Seahorse) show; NULL gives
 * "Vigil token for <server>" or "Vigil cookie for <server>". */
void              vigil_credentials_store_async      (VigilCredentials     *self,
                                                      const char           *server_url,
                                                      VigilCredentialKind   kind,
                                                      const char           *secret,
                                                      const char           *label,
                                                      GCancellable         *cancellable,
                                                      GAsyncReadyCallback   callback,
                                                      gpointer              user_data);
gboolean          vigil_credentials_store_finish     (VigilCredentials     *self,
                                                      GAsyncResult         *result,
                                                      GError              **error);

/* Removes the secret saved for (server_url, kind), if any. */
void              vigil_credentials_clear_async      (VigilCredentials     *self,
                                                      const char           *server_url,
                                                      VigilCredentialKind   kind,
                                                      GCancellable         *cancellable,
                                                      GAsyncReadyCallback   callback,
                                                      gpointer              user_data);
gboolean          vigil_credentials_clear_finish     (VigilCredentials     *self,
                                                      GAsyncResult         *result,
                                                      GError              **error);

G_END_DECLS
