/* vigil-fake-portal.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include "vigil-fake-portal.h"

#define PORTAL_NAME "org.freedesktop.portal.Desktop"
#define PORTAL_PATH "/org/freedesktop/portal/desktop"

struct _VigilFakePortal
{
  VigilFakePortalAnswer answer;
  GDBusConnection      *connection;
  GDBusNodeInfo        *info;
  guint                 object_id;
  guint                 n_requests;
  guint                 n_responses;
  GHashTable           *pending;     /* Pending → itself, until answered */
  char                 *last_reason;
  char                 *last_parent;
  gboolean              last_autostart;
};

static const char introspection_xml[] =
  "<node>"
  "  <interface name='org.freedesktop.portal.Background'>"
  "    <method name='RequestBackground'>"
  "      <arg type='s' name='parent_window' direction='in'/>"
  "      <arg type='a{sv}' name='options' direction='in'/>"
  "      <arg type='o' name='handle' direction='out'/>"
  "    </method>"
  "    <property name='version' type='u' access='read'/>"
  "  </interface>"
  "</node>";

typedef struct
{
  VigilFakePortal *portal;
  char            *sender;
  char            *handle;
  guint            source_id;
} Pending;

static void
pending_free (Pending *pending)
{
  g_hash_table_remove (pending->portal->pending, pending);
  g_free (pending->sender);
  g_free (pending->handle);
  g_free (pending);
}

/* As xdg-desktop-portal does: the Response goes to the caller only. */
static gboolean
send_response (gpointer data)
{
  Pending *pending = data;
  VigilFakePortal *self = pending->portal;
  gboolean allow = self->answer == VIGIL_FAKE_PORTAL_ALLOW;
  GVariantBuilder results;

  g_variant_builder_init (&results, G_VARIANT_TYPE_VARDICT);
  g_variant_builder_add (&results, "{sv}", "background", g_variant_new_boolean (allow));
  g_variant_builder_add (&results, "{sv}", "autostart", g_variant_new_boolean (FALSE));
  g_dbus_connection_emit_signal (self->connection, pending->sender, pending->handle,
                                 "org.freedesktop.portal.Request", "Response",
                                 g_variant_new ("(ua{sv})", allow ? 0u : 1u, &results), NULL);
  self->n_responses++;
  return G_SOURCE_REMOVE;
}

static char *
handle_for (const char *sender,
            const char *token)
{
  g_autofree char *escaped = g_strdup (sender[0] == ':' ? sender + 1 : sender);

  g_strdelimit (escaped, ".", '_');
  return g_strdup_printf (PORTAL_PATH "/request/%s/%s", escaped, token);
}

static void
on_method_call (GDBusConnection       *connection,
                const char            *sender,
                const char            *object_path,
                const char            *interface_name,
                const char            *method_name,
                GVariant              *parameters,
                GDBusMethodInvocation *invocation,
                gpointer               user_data)
{
  VigilFakePortal *self = user_data;
  g_autoptr(GVariant) options = NULL;
  const char *parent = NULL;
  const char *token = "t";
  const char *reason = "";
  Pending *pending;

  g_variant_get (parameters, "(&s@a{sv})", &parent, &options);
  g_variant_lookup (options, "handle_token", "&s", &token);
  g_variant_lookup (options, "reason", "&s", &reason);
  self->last_autostart = FALSE;
  g_variant_lookup (options, "autostart", "b", &self->last_autostart);
  g_free (self->last_reason);
  self->last_reason = g_strdup (reason);
  g_free (self->last_parent);
  self->last_parent = g_strdup (parent);
  self->n_requests++;

  pending = g_new0 (Pending, 1);
  pending->portal = self;
  pending->sender = g_strdup (sender);
  pending->handle = handle_for (sender, token);
  g_dbus_method_invocation_return_value (invocation, g_variant_new ("(o)", pending->handle));
  pending->source_id = g_idle_add_full (G_PRIORITY_DEFAULT, send_response, pending,
                                       (GDestroyNotify) pending_free);
  g_hash_table_add (self->pending, pending);
}

static GVariant *
on_get_property (GDBusConnection *connection,
                 const char      *sender,
                 const char      *object_path,
                 const char      *interface_name,
                 const char      *property_name,
                 GError         **error,
                 gpointer         user_data)
{
  return g_variant_new_uint32 (1);
}

static const GDBusInterfaceVTable vtable = { on_method_call, on_get_property, NULL, { 0 } };

static gboolean
own_name (GDBusConnection *connection,
          GError         **error)
{
  g_autoptr(GVariant) reply = NULL;
  guint32 result;

  reply = g_dbus_connection_call_sync (connection, "org.freedesktop.DBus", "/org/freedesktop/DBus",
                                       "org.freedesktop.DBus", "RequestName",
                                       g_variant_new ("(su)", PORTAL_NAME, 4 /* DO_NOT_QUEUE */),
                                       G_VARIANT_TYPE ("(u)"), G_DBUS_CALL_FLAGS_NONE, -1,
                                       NULL, error);
  if (reply == NULL)
    return FALSE;
  g_variant_get (reply, "(u)", &result);
  if (result != 1 /* PRIMARY_OWNER */)
    {
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_EXISTS, "%s is owned already", PORTAL_NAME);
      return FALSE;
    }
  return TRUE;
}

VigilFakePortal *
vigil_fake_portal_new (VigilFakePortalAnswer answer,
                       GError              **error)
{
  g_autoptr(VigilFakePortal) self = g_new0 (VigilFakePortal, 1);
  g_autofree char *address = NULL;

  self->answer = answer;
  self->pending = g_hash_table_new (NULL, NULL);
  address = g_dbus_address_get_for_bus_sync (G_BUS_TYPE_SESSION, NULL, error);
  if (address == NULL)
    return NULL;
  self->connection = g_dbus_connection_new_for_address_sync (address,
                                                             G_DBUS_CONNECTION_FLAGS_AUTHENTICATION_CLIENT |
                                                             G_DBUS_CONNECTION_FLAGS_MESSAGE_BUS_CONNECTION,
                                                             NULL, NULL, error);
  if (self->connection == NULL)
    return NULL;
  self->info = g_dbus_node_info_new_for_xml (introspection_xml, error);
  if (self->info == NULL)
    return NULL;
  self->object_id = g_dbus_connection_register_object (self->connection, PORTAL_PATH,
                                                       self->info->interfaces[0], &vtable,
                                                       self, NULL, error);
  if (self->object_id == 0 || !own_name (self->connection, error))
    return NULL;
  return g_steal_pointer (&self);
}

guint
vigil_fake_portal_get_n_requests (VigilFakePortal *self)
{
  return self->n_requests;
}

guint
vigil_fake_portal_get_n_responses (VigilFakePortal *self)
{
  return self->n_responses;
}

const char *
vigil_fake_portal_get_last_reason (VigilFakePortal *self)
{
  return self->last_reason;
}

gboolean
vigil_fake_portal_get_last_autostart (VigilFakePortal *self)
{
  return self->last_autostart;
}

const char *
vigil_fake_portal_get_last_parent (VigilFakePortal *self)
{
  return self->last_parent;
}

void
vigil_fake_portal_free (VigilFakePortal *self)
{
  if (self == NULL)
    return;
  /* Responses not sent yet are dropped (each removes itself). */
  while (self->pending != NULL && g_hash_table_size (self->pending) > 0)
    {
      GHashTableIter iter;
      Pending *pending;

      g_hash_table_iter_init (&iter, self->pending);
      g_hash_table_iter_next (&iter, (gpointer *) &pending, NULL);
      g_source_remove (pending->source_id);
    }
  g_clear_pointer (&self->pending, g_hash_table_unref);
  if (self->object_id != 0)
    g_dbus_connection_unregister_object (self->connection, self->object_id);
  if (self->connection != NULL)
    g_dbus_connection_close_sync (self->connection, NULL, NULL);
  g_clear_object (&self->connection);
  g_clear_pointer (&self->info, g_dbus_node_info_unref);
  g_free (self->last_reason);
  g_free (self->last_parent);
  g_free (self);
}
