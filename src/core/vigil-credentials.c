/* vigil-credentials.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <glib/gi18n-lib.h>
#include <libsecret/secret.h>

#include "vigil-credentials.h"

#define DEFAULT_TIMEOUT_S 60

struct _VigilCredentials
{
  GObject     parent_instance;

  GHashTable *session;       /* "kind server" → secret (wiped when dropped); session-only */
  guint       timeout;
  gboolean    session_only;
};

enum {
  PROP_0,
  PROP_TIMEOUT,
  PROP_SESSION_ONLY,
  N_PROPS
};

enum {
  CHANGED,
  N_SIGNALS
};

static GParamSpec *properties[N_PROPS];
static guint signals[N_SIGNALS];

G_DEFINE_FINAL_TYPE (VigilCredentials, vigil_credentials, G_TYPE_OBJECT)

G_DEFINE_QUARK (vigil-credentials-error-quark, vigil_credentials_error)

/* The nicks are the values of the "kind" attribute. */
G_DEFINE_ENUM_TYPE (VigilCredentialKind, vigil_credential_kind,
  G_DEFINE_ENUM_VALUE (VIGIL_CREDENTIAL_KIND_TOKEN, "token"),
  G_DEFINE_ENUM_VALUE (VIGIL_CREDENTIAL_KIND_COOKIE, "cookie"))

/* SECRET_SCHEMA_NONE, not DONT_MATCH_NAME: lookups and clears then match
 * xdg:schema too, which both libsecret (on store) and secret-tool (given
 * "xdg:schema NAME") put on the item. Without it, clear would delete any
 * application's item that has a "server" and a "kind". */
static const SecretSchema credential_schema = {
  VIGIL_CREDENTIALS_SCHEMA_NAME, SECRET_SCHEMA_NONE,
  {
    { "server", SECRET_SCHEMA_ATTRIBUTE_STRING },
    { "kind", SECRET_SCHEMA_ATTRIBUTE_STRING },
    { NULL, 0 },
  }
};

/* ------------------------------------------------------------------ */
/* One operation                                                       */
/* ------------------------------------------------------------------ */

typedef enum
{
  OP_LOOKUP,
  OP_STORE,
  OP_CLEAR,
} OpType;

typedef struct
{
  OpType               type;
  char                *server;
  VigilCredentialKind  kind;
  char                *secret;        /* store only; wiped when freed */
  char                *label;
  GCancellable        *cancellable;   /* libsecret's: cancelled by the caller's or the timeout */
  GCancellable        *caller;
  gulong               caller_handler;
  GSource             *timeout;
  gboolean             finished;      /* the task has returned */
} Op;

static void
op_free (Op *op)
{
  if (op->caller != NULL)
    g_cancellable_disconnect (op->caller, op->caller_handler);
  g_clear_object (&op->caller);
  g_clear_object (&op->cancellable);
  if (op->timeout != NULL)
    g_source_destroy (op->timeout);
  g_clear_pointer (&op->timeout, g_source_unref);
  g_clear_pointer (&op->secret, secret_password_free);
  g_free (op->server);
  g_free (op->label);
  g_free (op);
}

/* Marks the task as returned (the caller must return it now); FALSE when it
 * was already, after a timeout. */
static gboolean
op_complete (Op *op)
{
  if (op->finished)
    return FALSE;

  op->finished = TRUE;
  if (op->timeout != NULL)
    g_source_destroy (op->timeout);
  g_clear_pointer (&op->timeout, g_source_unref);
  return TRUE;
}

/* ------------------------------------------------------------------ */
/* Helpers                                                             */
/* ------------------------------------------------------------------ */

static char *
session_key (const Op *op)
{
  return g_strconcat (vigil_credential_kind_to_string (op->kind), " ", op->server, NULL);
}

static char *
default_label (const char          *server,
               VigilCredentialKind  kind)
{
  if (kind == VIGIL_CREDENTIAL_KIND_TOKEN)
    /* Translators: the name of a keyring entry (Seahorse shows it); %s is a server address */
    return g_strdup_printf (_("Vigil token for %s"), server);
  /* Translators: the name of a keyring entry (Seahorse shows it); %s is a server address */
  return g_strdup_printf (_("Vigil cookie for %s"), server);
}

static void
emit_changed (VigilCredentials *self,
              const Op         *op)
{
  g_signal_emit (self, signals[CHANGED], 0, op->server, op->kind);
}

/* The in-memory store: a lookup's copy of the secret, or NULL. */
static char *
run_in_memory (VigilCredentials *self,
               Op               *op)
{
  g_autofree char *key = session_key (op);
  const char *kind = vigil_credential_kind_to_string (op->kind);

  switch (op->type)
    {
    case OP_LOOKUP:
      return g_strdup (g_hash_table_lookup (self->session, key));
    case OP_STORE:
      g_hash_table_replace (self->session, g_steal_pointer (&key), g_strdup (op->secret));
      g_debug ("Kept the %s for %s in memory (session only)", kind, op->server);
      emit_changed (self, op);
      break;
    case OP_CLEAR:
      if (g_hash_table_remove (self->session, key))
        {
          g_debug ("Forgot the %s for %s (session only)", kind, op->server);
          emit_changed (self, op);
        }
      break;
    default:
      g_assert_not_reached ();
    }
  return NULL;
}

static void
become_session_only (VigilCredentials *self,
                     const char       *reason)
{
  g_debug ("Secrets in memory only from now on: %s", reason);
  if (self->session_only)
    return;

  self->session_only = TRUE;
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_SESSION_ONLY]);
}

/* The keyring failed: from now on, memory. The operation still happens
 * there, but the caller hears why the keyring is out. */
static void
fall_back (GTask  *task,
           GError *error)
{
  VigilCredentials *self = g_task_get_source_object (task);
  Op *op = g_task_get_task_data (task);

  g_assert (error->domain == VIGIL_CREDENTIALS_ERROR);
  become_session_only (self, error->message);
  g_free (run_in_memory (self, op));
  g_task_return_error (task, error);
}

static void
fail (GTask  *task,
      GError *error)
{
  g_autofree char *reason = NULL;

  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    {
      g_task_return_error (task, error);
      return;
    }

  if (g_dbus_error_is_remote_error (error))
    g_dbus_error_strip_remote_error (error);
  reason = g_strdup (error->message);
  g_error_free (error);
  fall_back (task, g_error_new (VIGIL_CREDENTIALS_ERROR, VIGIL_CREDENTIALS_ERROR_NO_KEYRING,
                                /* Translators: %s is the reason, from the system */
                                _("No keyring is available (%s). Vigil keeps sign-in details "
                                  "only until it quits."),
                                reason));
}

/* ------------------------------------------------------------------ */
/* Callbacks                                                           */
/* ------------------------------------------------------------------ */

static void
on_caller_cancelled (GCancellable *caller,
                     GCancellable *cancellable)
{
  g_cancellable_cancel (cancellable);
}

/* A locked keyring shows an unlock prompt and answers only once it is
 * dealt with; past the timeout, give up (dismissing the prompt). */
static gboolean
on_timeout (gpointer data)
{
  GTask *task = data;
  VigilCredentials *self = g_task_get_source_object (task);
  Op *op = g_task_get_task_data (task);
  g_autoptr(GCancellable) cancellable = g_object_ref (op->cancellable);

  if (op_complete (op))
    fall_back (task, g_error_new (VIGIL_CREDENTIALS_ERROR, VIGIL_CREDENTIALS_ERROR_NO_KEYRING,
                                  g_dngettext (GETTEXT_PACKAGE,
                                               "The keyring did not answer within %u second. "
                                               "Vigil keeps sign-in details only until it quits.",
                                               "The keyring did not answer within %u seconds. "
                                               "Vigil keeps sign-in details only until it quits.",
                                               self->timeout),
                                  self->timeout));
  /* After returning: libsecret may call back at once, and finds it done. */
  g_cancellable_cancel (cancellable);
  return G_SOURCE_REMOVE;
}

static void
return_found (GTask      *task,
              const char *secret)
{
  Op *op = g_task_get_task_data (task);

  g_debug ("%s %s for %s in the keyring", secret != NULL ? "Found a" : "No",
           vigil_credential_kind_to_string (op->kind), op->server);
  g_task_return_pointer (task, g_strdup (secret), (GDestroyNotify) secret_password_free);
}

static void
on_lookup_loaded (GObject      *source,
                  GAsyncResult *result,
                  gpointer      data)
{
  g_autoptr(GTask) task = data;
  SecretItem *item = SECRET_ITEM (source);
  Op *op = g_task_get_task_data (task);
  g_autoptr(SecretValue) value = NULL;
  GError *error = NULL;

  secret_item_load_secret_finish (item, result, &error);
  if (!op_complete (op))
    {
      g_clear_error (&error);
      return;
    }
  if (error != NULL)
    {
      fail (task, error);
      return;
    }

  value = secret_item_get_secret (item);
  return_found (task, value != NULL ? secret_value_get_text (value) : NULL);
}

/* A lookup in two steps, search then load: libsecret 0.20.5's one-call
 * secret_password_lookup() leaks the D-Bus reply that carries the secret
 * (fixed in libsecret 0.21.2, commit 92705b5). */
static void
on_lookup_searched (GObject      *source,
                    GAsyncResult *result,
                    gpointer      data)
{
  g_autoptr(GTask) task = data;
  Op *op = g_task_get_task_data (task);
  GError *error = NULL;
  GList *items = secret_service_search_finish (NULL, result, &error);
  SecretItem *unlocked = NULL;

  /* An item whose unlock prompt was dismissed stays locked: not found. */
  for (GList *l = items; l != NULL && unlocked == NULL; l = l->next)
    if (!secret_item_get_locked (l->data))
      unlocked = l->data;

  if (unlocked != NULL && error == NULL && !op->finished)
    secret_item_load_secret (unlocked, op->cancellable, on_lookup_loaded,
                             g_steal_pointer (&task));
  else if (!op_complete (op))
    g_clear_error (&error);
  else if (error != NULL)
    fail (task, error);
  else
    return_found (task, NULL);
  g_list_free_full (items, g_object_unref);
}

static void
on_store_done (GObject      *source,
               GAsyncResult *result,
               gpointer      data)
{
  g_autoptr(GTask) task = data;
  Op *op = g_task_get_task_data (task);
  GError *error = NULL;

  secret_password_store_finish (result, &error);
  if (!op_complete (op))
    {
      g_clear_error (&error);
      return;
    }
  if (error != NULL)
    {
      fail (task, error);
      return;
    }

  g_debug ("Stored the %s for %s in the keyring",
           vigil_credential_kind_to_string (op->kind), op->server);
  emit_changed (g_task_get_source_object (task), op);
  g_task_return_boolean (task, TRUE);
}

static void
on_clear_done (GObject      *source,
               GAsyncResult *result,
               gpointer      data)
{
  g_autoptr(GTask) task = data;
  Op *op = g_task_get_task_data (task);
  GError *error = NULL;
  gboolean removed = secret_password_clear_finish (result, &error);

  if (!op_complete (op))
    {
      g_clear_error (&error);
      return;
    }
  if (error != NULL)
    {
      fail (task, error);
      return;
    }

  if (removed)
    {
      g_debug ("Removed the %s for %s from the keyring",
               vigil_credential_kind_to_string (op->kind), op->server);
      emit_changed (g_task_get_source_object (task), op);
    }
  g_task_return_boolean (task, TRUE);
}

/* ------------------------------------------------------------------ */
/* Running an operation                                                */
/* ------------------------------------------------------------------ */

static GTask *
op_task_new (VigilCredentials    *self,
             OpType               type,
             const char          *server_url,
             VigilCredentialKind  kind,
             GCancellable        *cancellable,
             GAsyncReadyCallback  callback,
             gpointer             user_data,
             gpointer             source_tag)
{
  GTask *task = g_task_new (self, cancellable, callback, user_data);
  Op *op = g_new0 (Op, 1);

  g_task_set_source_tag (task, source_tag);
  op->type = type;
  op->server = g_strdup (server_url);
  op->kind = kind;
  op->cancellable = g_cancellable_new ();
  g_task_set_task_data (task, op, (GDestroyNotify) op_free);
  return task;
}

static void
op_arm (GTask *task)
{
  VigilCredentials *self = g_task_get_source_object (task);
  Op *op = g_task_get_task_data (task);
  GCancellable *caller = g_task_get_cancellable (task);

  if (caller != NULL)
    {
      op->caller = g_object_ref (caller);
      op->caller_handler = g_cancellable_connect (caller, G_CALLBACK (on_caller_cancelled),
                                                  op->cancellable, NULL);
    }
  if (self->timeout > 0)
    {
      /* Not _seconds(): that one may fire up to a second early. */
      op->timeout = g_timeout_source_new (MIN (self->timeout, G_MAXUINT / 1000) * 1000);
      g_task_attach_source (task, op->timeout, on_timeout);
    }
}

/* In session-only mode; consumes task. */
static void
op_run_in_memory (GTask *task)
{
  Op *op = g_task_get_task_data (task);
  char *secret = run_in_memory (g_task_get_source_object (task), op);

  op->finished = TRUE;
  if (op->type == OP_LOOKUP)
    g_task_return_pointer (task, secret, (GDestroyNotify) secret_password_free);
  else
    g_task_return_boolean (task, TRUE);
  g_object_unref (task);
}

/* Consumes task. */
static void
op_start (GTask *task)
{
  VigilCredentials *self = g_task_get_source_object (task);
  Op *op = g_task_get_task_data (task);
  const char *kind = vigil_credential_kind_to_string (op->kind);

  if (self->session_only)
    {
      op_run_in_memory (task);
      return;
    }

  op_arm (task);
  switch (op->type)
    {
    case OP_LOOKUP:
      {
        g_autoptr(GHashTable) attributes =
          secret_attributes_build (&credential_schema, "server", op->server, "kind", kind, NULL);

        secret_service_search (NULL, &credential_schema, attributes, SECRET_SEARCH_UNLOCK,
                               op->cancellable, on_lookup_searched, task);
      }
      break;
    case OP_STORE:
      secret_password_store (&credential_schema, SECRET_COLLECTION_DEFAULT, op->label,
                             op->secret, op->cancellable, on_store_done, task,
                             "server", op->server, "kind", kind, NULL);
      break;
    case OP_CLEAR:
      secret_password_clear (&credential_schema, op->cancellable, on_clear_done, task,
                             "server", op->server, "kind", kind, NULL);
      break;
    default:
      g_assert_not_reached ();
    }
}

/* ------------------------------------------------------------------ */
/* GObject                                                             */
/* ------------------------------------------------------------------ */

static void
vigil_credentials_finalize (GObject *object)
{
  VigilCredentials *self = VIGIL_CREDENTIALS (object);

  g_hash_table_unref (self->session);

  G_OBJECT_CLASS (vigil_credentials_parent_class)->finalize (object);
}

static void
vigil_credentials_get_property (GObject    *object,
                                guint       prop_id,
                                GValue     *value,
                                GParamSpec *pspec)
{
  VigilCredentials *self = VIGIL_CREDENTIALS (object);

  switch (prop_id)
    {
    case PROP_TIMEOUT:
      g_value_set_uint (value, self->timeout);
      break;
    case PROP_SESSION_ONLY:
      g_value_set_boolean (value, self->session_only);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
vigil_credentials_set_property (GObject      *object,
                                guint         prop_id,
                                const GValue *value,
                                GParamSpec   *pspec)
{
  VigilCredentials *self = VIGIL_CREDENTIALS (object);

  switch (prop_id)
    {
    case PROP_TIMEOUT:
      vigil_credentials_set_timeout (self, g_value_get_uint (value));
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
vigil_credentials_class_init (VigilCredentialsClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->finalize = vigil_credentials_finalize;
  object_class->get_property = vigil_credentials_get_property;
  object_class->set_property = vigil_credentials_set_property;

  properties[PROP_TIMEOUT] =
    g_param_spec_uint ("timeout", NULL, NULL, 0, G_MAXUINT, DEFAULT_TIMEOUT_S,
                       G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  properties[PROP_SESSION_ONLY] =
    g_param_spec_boolean ("session-only", NULL, NULL, FALSE,
                          G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  g_object_class_install_properties (object_class, N_PROPS, properties);

  signals[CHANGED] =
    g_signal_new ("changed", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST, 0,
                  NULL, NULL, NULL,
                  G_TYPE_NONE, 2,
                  G_TYPE_STRING | G_SIGNAL_TYPE_STATIC_SCOPE, VIGIL_TYPE_CREDENTIAL_KIND);
}

static void
vigil_credentials_init (VigilCredentials *self)
{
  self->session = g_hash_table_new_full (g_str_hash, g_str_equal, g_free,
                                         (GDestroyNotify) secret_password_free);
  self->timeout = DEFAULT_TIMEOUT_S;
}

/* ------------------------------------------------------------------ */
/* Public API                                                          */
/* ------------------------------------------------------------------ */

const char *
vigil_credential_kind_to_string (VigilCredentialKind kind)
{
  g_return_val_if_fail (kind == VIGIL_CREDENTIAL_KIND_TOKEN ||
                        kind == VIGIL_CREDENTIAL_KIND_COOKIE, NULL);

  return kind == VIGIL_CREDENTIAL_KIND_TOKEN ? "token" : "cookie";
}

VigilCredentials *
vigil_credentials_new (void)
{
  return g_object_new (VIGIL_TYPE_CREDENTIALS, NULL);
}

guint
vigil_credentials_get_timeout (VigilCredentials *self)
{
  g_return_val_if_fail (VIGIL_IS_CREDENTIALS (self), 0);

  return self->timeout;
}

void
vigil_credentials_set_timeout (VigilCredentials *self,
                               guint             timeout)
{
  g_return_if_fail (VIGIL_IS_CREDENTIALS (self));

  if (self->timeout == timeout)
    return;

  self->timeout = timeout;
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_TIMEOUT]);
}

gboolean
vigil_credentials_is_session_only (VigilCredentials *self)
{
  g_return_val_if_fail (VIGIL_IS_CREDENTIALS (self), FALSE);

  return self->session_only;
}

#define CHECK_ARGS(server_url, kind, cancellable) \
  g_return_if_fail (VIGIL_IS_CREDENTIALS (self)); \
  g_return_if_fail (server_url != NULL && server_url[0] != '\0'); \
  g_return_if_fail (g_utf8_validate (server_url, -1, NULL)); \
  g_return_if_fail (kind == VIGIL_CREDENTIAL_KIND_TOKEN || kind == VIGIL_CREDENTIAL_KIND_COOKIE); \
  g_return_if_fail (cancellable == NULL || G_IS_CANCELLABLE (cancellable))

void
vigil_credentials_lookup_async (VigilCredentials    *self,
                                const char          *server_url,
                                VigilCredentialKind  kind,
                                GCancellable        *cancellable,
                                GAsyncReadyCallback  callback,
                                gpointer             user_data)
{
  CHECK_ARGS (server_url, kind, cancellable);

  op_start (op_task_new (self, OP_LOOKUP, server_url, kind, cancellable, callback, user_data,
                         vigil_credentials_lookup_async));
}

char *
vigil_credentials_lookup_finish (VigilCredentials  *self,
                                 GAsyncResult      *result,
                                 GError           **error)
{
  g_return_val_if_fail (VIGIL_IS_CREDENTIALS (self), NULL);
  g_return_val_if_fail (g_task_is_valid (result, self), NULL);
  g_return_val_if_fail (g_task_get_source_tag (G_TASK (result)) ==
                        vigil_credentials_lookup_async, NULL);

  return g_task_propagate_pointer (G_TASK (result), error);
}

void
vigil_credentials_store_async (VigilCredentials    *self,
                               const char          *server_url,
                               VigilCredentialKind  kind,
                               const char          *secret,
                               const char          *label,
                               GCancellable        *cancellable,
                               GAsyncReadyCallback  callback,
                               gpointer             user_data)
{
  GTask *task;
  Op *op;

  CHECK_ARGS (server_url, kind, cancellable);
  g_return_if_fail (secret != NULL && secret[0] != '\0');
  g_return_if_fail (label == NULL || g_utf8_validate (label, -1, NULL));

  task = op_task_new (self, OP_STORE, server_url, kind, cancellable, callback, user_data,
                      vigil_credentials_store_async);
  op = g_task_get_task_data (task);
  op->secret = g_strdup (secret);
  op->label = label != NULL ? g_strdup (label) : default_label (server_url, kind);
  op_start (task);
}

gboolean
vigil_credentials_store_finish (VigilCredentials  *self,
                                GAsyncResult      *result,
                                GError           **error)
{
  g_return_val_if_fail (VIGIL_IS_CREDENTIALS (self), FALSE);
  g_return_val_if_fail (g_task_is_valid (result, self), FALSE);
  g_return_val_if_fail (g_task_get_source_tag (G_TASK (result)) ==
                        vigil_credentials_store_async, FALSE);

  return g_task_propagate_boolean (G_TASK (result), error);
}

void
vigil_credentials_clear_async (VigilCredentials    *self,
                               const char          *server_url,
                               VigilCredentialKind  kind,
                               GCancellable        *cancellable,
                               GAsyncReadyCallback  callback,
                               gpointer             user_data)
{
  CHECK_ARGS (server_url, kind, cancellable);

  op_start (op_task_new (self, OP_CLEAR, server_url, kind, cancellable, callback, user_data,
                         vigil_credentials_clear_async));
}

gboolean
vigil_credentials_clear_finish (VigilCredentials  *self,
                                GAsyncResult      *result,
                                GError           **error)
{
  g_return_val_if_fail (VIGIL_IS_CREDENTIALS (self), FALSE);
  g_return_val_if_fail (g_task_is_valid (result, self), FALSE);
  g_return_val_if_fail (g_task_get_source_tag (G_TASK (result)) ==
                        vigil_credentials_clear_async, FALSE);

  return g_task_propagate_boolean (G_TASK (result), error);
}
