/* vigil-background-portal.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <unistd.h>

#include "vigil-background-portal.h"

/* The portal's Request/Response pattern: the call returns the path of a
 * Request object at once, and the answer comes later as that object's
 * Response signal. The path is predictable from our unique name and a
 * handle_token, so we listen there before calling (a fast portal could
 * answer before the call's reply arrives); a portal that names another
 * path (older ones did) is listened to there instead. */
typedef struct
{
  GDBusConnection *connection;
  char            *handle;         /* the Request object listened to */
  guint            response_id;
  GCancellable    *cancellable;
  gulong           cancelled_id;
  gboolean         done;
} PortalRequest;

/* Portal response codes (xdg-desktop-portal's Request interface). */
enum
{
  RESPONSE_SUCCESS   = 0,
  RESPONSE_CANCELLED = 1,   /* what a refusal answers */
};

G_DEFINE_QUARK (vigil-background-portal-error-quark, vigil_background_portal_error)

/* ------------------------------------------------------------------ */
/* Helpers                                                             */
/* ------------------------------------------------------------------ */

static void
portal_request_free (PortalRequest *request)
{
  g_assert (request->response_id == 0);
  g_assert (request->cancelled_id == 0);

  g_clear_object (&request->connection);
  g_clear_object (&request->cancellable);
  g_free (request->handle);
  g_free (request);
}

/* /org/freedesktop/portal/desktop/request/SENDER/TOKEN, SENDER being our
 * unique name without its ':' and with '_' for '.'. */
static char *
expected_handle (GDBusConnection *connection,
                 const char      *token)
{
  const char *unique = g_dbus_connection_get_unique_name (connection);
  g_autofree char *sender = NULL;

  g_assert (unique != NULL);
  sender = g_strdup (unique[0] == ':' ? unique + 1 : unique);
  g_strdelimit (sender, ".", '_');
  return g_strdup_printf (VIGIL_BACKGROUND_PORTAL_OBJECT_PATH "/request/%s/%s", sender, token);
}

static char *
new_token (void)
{
  static guint counter;

  return g_strdup_printf ("vigil%u_%u", (guint) getpid (), ++counter);
}

/* Once only: stops listening and returns the answer, dropping the wait's
 * reference on the task. */
static void
complete (GTask  *task,
          GError *error)
{
  PortalRequest *request = g_task_get_task_data (task);

  if (request->done)
    {
      g_clear_error (&error);
      return;
    }
  request->done = TRUE;
  if (request->response_id != 0)
    g_dbus_connection_signal_unsubscribe (request->connection, request->response_id);
  request->response_id = 0;
  if (request->cancelled_id != 0)
    g_cancellable_disconnect (request->cancellable, request->cancelled_id);
  request->cancelled_id = 0;

  if (error != NULL)
    g_task_return_error (task, error);
  else
    g_task_return_boolean (task, TRUE);
  g_object_unref (task);
}

static GError *
read_response (GVariant *parameters)
{
  g_autoptr(GVariant) results = NULL;
  guint32 response;
  gboolean background = TRUE;

  if (!g_variant_is_of_type (parameters, G_VARIANT_TYPE ("(ua{sv})")))
    return g_error_new (VIGIL_BACKGROUND_PORTAL_ERROR, VIGIL_BACKGROUND_PORTAL_ERROR_INVALID,
                        "The Background portal answered with a %s",
                        g_variant_get_type_string (parameters));
  g_variant_get (parameters, "(u@a{sv})", &response, &results);
  /* A portal that says nothing about "background" allowed what was asked. */
  g_variant_lookup (results, "background", "b", &background);
  if (response == RESPONSE_SUCCESS && background)
    return NULL;
  if (response == RESPONSE_SUCCESS || response == RESPONSE_CANCELLED)
    return g_error_new_literal (VIGIL_BACKGROUND_PORTAL_ERROR,
                                VIGIL_BACKGROUND_PORTAL_ERROR_DENIED,
                                "Running in the background was not allowed");
  return g_error_new (VIGIL_BACKGROUND_PORTAL_ERROR, VIGIL_BACKGROUND_PORTAL_ERROR_FAILED,
                      "The Background portal ended the request (response %u)", response);
}

/* ------------------------------------------------------------------ */
/* Callbacks                                                           */
/* ------------------------------------------------------------------ */

static void
on_response (GDBusConnection *connection,
             const char      *sender_name,
             const char      *object_path,
             const char      *interface_name,
             const char      *signal_name,
             GVariant        *parameters,
             gpointer         user_data)
{
  GTask *task = user_data;

  complete (task, read_response (parameters));
}

static void
listen_at (GTask      *task,
           const char *handle)
{
  PortalRequest *request = g_task_get_task_data (task);

  if (request->response_id != 0)
    g_dbus_connection_signal_unsubscribe (request->connection, request->response_id);
  g_free (request->handle);
  request->handle = g_strdup (handle);
  /* The task outlives the subscription: complete() ends both. */
  request->response_id =
    g_dbus_connection_signal_subscribe (request->connection,
                                        VIGIL_BACKGROUND_PORTAL_BUS_NAME,
                                        VIGIL_BACKGROUND_PORTAL_REQUEST_INTERFACE,
                                        "Response", handle, NULL,
                                        G_DBUS_SIGNAL_FLAGS_NONE,
                                        on_response, task, NULL);
}

static void
on_called (GObject      *source,
           GAsyncResult *result,
           gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;   /* the call's reference */
  PortalRequest *request = g_task_get_task_data (task);
  g_autoptr(GVariant) reply = NULL;
  g_autoptr(GError) error = NULL;
  const char *handle;

  reply = g_dbus_connection_call_finish (G_DBUS_CONNECTION (source), result, &error);
  if (request->done)
    return;
  if (reply == NULL)
    {
      g_dbus_error_strip_remote_error (error);
      complete (task, g_steal_pointer (&error));
      return;
    }
  g_variant_get (reply, "(&o)", &handle);
  if (!g_str_equal (handle, request->handle))
    listen_at (task, handle);
}

static gboolean
on_cancelled_idle (gpointer user_data)
{
  GTask *task = user_data;
  PortalRequest *request = g_task_get_task_data (task);

  if (!request->done)
    {
      /* Tell the portal too, so that its dialog goes away. */
      g_dbus_connection_call (request->connection, VIGIL_BACKGROUND_PORTAL_BUS_NAME,
                              request->handle, VIGIL_BACKGROUND_PORTAL_REQUEST_INTERFACE,
                              "Close", NULL, NULL, G_DBUS_CALL_FLAGS_NO_AUTO_START, -1,
                              NULL, NULL, NULL);
      complete (task, g_error_new_literal (G_IO_ERROR, G_IO_ERROR_CANCELLED,
                                           "Operation was cancelled"));
    }
  return G_SOURCE_REMOVE;
}

/* Runs in the cancelling thread, maybe inside g_cancellable_connect():
 * finish from the task's context instead. */
static void
on_cancelled (GCancellable *cancellable,
              gpointer      user_data)
{
  GTask *task = user_data;
  GSource *source = g_idle_source_new ();

  g_source_set_callback (source, on_cancelled_idle, g_object_ref (task), g_object_unref);
  g_source_attach (source, g_task_get_context (task));
  g_source_unref (source);
}

/* ------------------------------------------------------------------ */
/* Public API                                                          */
/* ------------------------------------------------------------------ */

gboolean
vigil_background_portal_is_sandboxed (void)
{
  return g_file_test ("/.flatpak-info", G_FILE_TEST_EXISTS);
}

void
vigil_background_portal_request_async (GDBusConnection    *connection,
                                       const char         *parent_window,
                                       const char         *reason,
                                       GCancellable       *cancellable,
                                       GAsyncReadyCallback callback,
                                       gpointer            user_data)
{
  g_autoptr(GTask) task = NULL;
  g_autofree char *token = new_token ();
  g_autofree char *handle = NULL;
  PortalRequest *request;
  GVariantBuilder options;

  g_return_if_fail (G_IS_DBUS_CONNECTION (connection));
  g_return_if_fail (reason != NULL);
  g_return_if_fail (cancellable == NULL || G_IS_CANCELLABLE (cancellable));

  task = g_task_new (NULL, cancellable, callback, user_data);
  g_task_set_source_tag (task, vigil_background_portal_request_async);
  if (g_dbus_connection_get_unique_name (connection) == NULL)
    {
      g_task_return_new_error (task, G_IO_ERROR, G_IO_ERROR_NOT_CONNECTED,
                               "Not connected to a message bus");
      return;
    }
  request = g_new0 (PortalRequest, 1);
  request->connection = g_object_ref (connection);
  g_task_set_task_data (task, request, (GDestroyNotify) portal_request_free);

  /* One reference for the wait (complete() drops it), one for the call. */
  g_object_ref (task);
  handle = expected_handle (connection, token);
  listen_at (task, handle);
  if (cancellable != NULL)
    {
      request->cancellable = g_object_ref (cancellable);
      request->cancelled_id = g_cancellable_connect (cancellable, G_CALLBACK (on_cancelled),
                                                     task, NULL);
    }

  g_variant_builder_init (&options, G_VARIANT_TYPE_VARDICT);
  g_variant_builder_add (&options, "{sv}", "handle_token", g_variant_new_string (token));
  g_variant_builder_add (&options, "{sv}", "reason", g_variant_new_string (reason));
  g_variant_builder_add (&options, "{sv}", "autostart", g_variant_new_boolean (FALSE));
  g_dbus_connection_call (connection, VIGIL_BACKGROUND_PORTAL_BUS_NAME,
                          VIGIL_BACKGROUND_PORTAL_OBJECT_PATH,
                          VIGIL_BACKGROUND_PORTAL_INTERFACE, "RequestBackground",
                          g_variant_new ("(sa{sv})", parent_window != NULL ? parent_window : "",
                                         &options),
                          G_VARIANT_TYPE ("(o)"), G_DBUS_CALL_FLAGS_NONE, -1,
                          NULL, on_called, g_object_ref (task));
}

gboolean
vigil_background_portal_request_finish (GAsyncResult *result,
                                        GError      **error)
{
  g_return_val_if_fail (g_task_is_valid (result, NULL), FALSE);
  g_return_val_if_fail (g_task_get_source_tag (G_TASK (result)) ==
                        vigil_background_portal_request_async, FALSE);

  return g_task_propagate_boolean (G_TASK (result), error);
}
