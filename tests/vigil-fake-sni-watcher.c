/* vigil-fake-sni-watcher.c — a fake org.kde.StatusNotifierWatcher
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "vigil-test-timeout.h"

#include "vigil-fake-sni-watcher.h"

#define WATCHER_NAME "org.kde.StatusNotifierWatcher"
#define WATCHER_PATH "/StatusNotifierWatcher"
#define ITEM_PATH "/StatusNotifierItem"
#define CALL_LIMIT_MS 30000

struct _VigilFakeSniWatcher
{
  GObject          parent_instance;

  GDBusConnection *connection;
  guint            reg_id;
  guint            own_id;
  guint            item_signals_id;
  guint            menu_signals_id;
  gboolean         running;
  guint            n_registrations;
  char            *item;
  GVariant        *item_properties;
  GHashTable      *signal_counts;   /* member → count */
  GCancellable    *cancellable;
};

G_DEFINE_FINAL_TYPE (VigilFakeSniWatcher, vigil_fake_sni_watcher, G_TYPE_OBJECT)

static const char watcher_xml[] =
  "<node>"
  "  <interface name='org.kde.StatusNotifierWatcher'>"
  "    <method name='RegisterStatusNotifierItem'><arg type='s' direction='in'/></method>"
  "    <method name='RegisterStatusNotifierHost'><arg type='s' direction='in'/></method>"
  "    <property name='RegisteredStatusNotifierItems' type='as' access='read'/>"
  "    <property name='IsStatusNotifierHostRegistered' type='b' access='read'/>"
  "    <property name='ProtocolVersion' type='i' access='read'/>"
  "    <signal name='StatusNotifierItemRegistered'><arg type='s'/></signal>"
  "    <signal name='StatusNotifierItemUnregistered'><arg type='s'/></signal>"
  "    <signal name='StatusNotifierHostRegistered'/>"
  "  </interface>"
  "</node>";

/* ------------------------------------------------------------------ */
/* The watcher                                                         */
/* ------------------------------------------------------------------ */

static void
on_properties_read (GObject      *source,
                    GAsyncResult *result,
                    gpointer      user_data)
{
  g_autoptr(GVariant) reply = NULL;
  g_autoptr(GError) error = NULL;
  VigilFakeSniWatcher *self;

  reply = g_dbus_connection_call_finish (G_DBUS_CONNECTION (source), result, &error);
  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    return;
  self = user_data;
  if (reply == NULL)
    {
      g_test_message ("fake watcher: GetAll failed: %s", error->message);
      return;
    }
  g_clear_pointer (&self->item_properties, g_variant_unref);
  g_variant_get (reply, "(@a{sv})", &self->item_properties);
}

static void
register_item (VigilFakeSniWatcher   *self,
               const char            *sender,
               const char            *service,
               GDBusMethodInvocation *invocation)
{
  /* A service is a bus name; some items give their object path instead. */
  const char *name = service[0] == '/' ? sender : service;
  const char *path = service[0] == '/' ? service : ITEM_PATH;

  self->n_registrations++;
  g_free (self->item);
  self->item = g_strdup (name);
  g_clear_pointer (&self->item_properties, g_variant_unref);
  g_dbus_method_invocation_return_value (invocation, NULL);
  g_dbus_connection_emit_signal (self->connection, NULL, WATCHER_PATH, WATCHER_NAME,
                                 "StatusNotifierItemRegistered",
                                 g_variant_new ("(s)", name), NULL);
  g_dbus_connection_call (self->connection, name, path, "org.freedesktop.DBus.Properties",
                          "GetAll", g_variant_new ("(s)", "org.kde.StatusNotifierItem"),
                          G_VARIANT_TYPE ("(a{sv})"), G_DBUS_CALL_FLAGS_NO_AUTO_START, -1,
                          self->cancellable, on_properties_read, self);
}

static void
watcher_method_call (GDBusConnection       *connection,
                     const char            *sender,
                     const char            *object_path,
                     const char            *interface_name,
                     const char            *method_name,
                     GVariant              *parameters,
                     GDBusMethodInvocation *invocation,
                     gpointer               user_data)
{
  VigilFakeSniWatcher *self = user_data;
  const char *service;

  g_variant_get (parameters, "(&s)", &service);
  if (g_str_equal (method_name, "RegisterStatusNotifierItem"))
    register_item (self, sender, service, invocation);
  else
    g_dbus_method_invocation_return_value (invocation, NULL);
}

static GVariant *
watcher_get_property (GDBusConnection *connection,
                      const char      *sender,
                      const char      *object_path,
                      const char      *interface_name,
                      const char      *name,
                      GError         **error,
                      gpointer         user_data)
{
  VigilFakeSniWatcher *self = user_data;

  if (g_str_equal (name, "RegisteredStatusNotifierItems"))
    {
      const char *items[] = { self->item, NULL };

      return g_variant_new_strv (items, self->item != NULL ? 1 : 0);
    }
  if (g_str_equal (name, "IsStatusNotifierHostRegistered"))
    return g_variant_new_boolean (TRUE);
  return g_variant_new_int32 (0);
}

static const GDBusInterfaceVTable watcher_vtable = {
  watcher_method_call,
  watcher_get_property,
  NULL,
  { 0 }
};

static void
on_name_acquired (GDBusConnection *connection,
                  const char      *name,
                  gpointer         user_data)
{
  VIGIL_FAKE_SNI_WATCHER (user_data)->running = TRUE;
}

static void
on_name_lost (GDBusConnection *connection,
              const char      *name,
              gpointer         user_data)
{
  VIGIL_FAKE_SNI_WATCHER (user_data)->running = FALSE;
}

static void
on_signal (GDBusConnection *connection,
           const char      *sender,
           const char      *object_path,
           const char      *interface_name,
           const char      *signal_name,
           GVariant        *parameters,
           gpointer         user_data)
{
  VigilFakeSniWatcher *self = user_data;
  guint n = GPOINTER_TO_UINT (g_hash_table_lookup (self->signal_counts, signal_name));

  g_hash_table_insert (self->signal_counts, g_strdup (signal_name), GUINT_TO_POINTER (n + 1));
}

/* ------------------------------------------------------------------ */
/* GObject                                                             */
/* ------------------------------------------------------------------ */

static void
vigil_fake_sni_watcher_dispose (GObject *object)
{
  VigilFakeSniWatcher *self = VIGIL_FAKE_SNI_WATCHER (object);

  g_cancellable_cancel (self->cancellable);
  vigil_fake_sni_watcher_stop (self);
  if (self->connection != NULL)
    {
      g_dbus_connection_signal_unsubscribe (self->connection, self->item_signals_id);
      g_dbus_connection_signal_unsubscribe (self->connection, self->menu_signals_id);
      if (self->reg_id != 0)
        g_dbus_connection_unregister_object (self->connection, self->reg_id);
      self->reg_id = 0;
      g_dbus_connection_close_sync (self->connection, NULL, NULL);
    }
  g_clear_object (&self->connection);
  g_clear_object (&self->cancellable);

  G_OBJECT_CLASS (vigil_fake_sni_watcher_parent_class)->dispose (object);
}

static void
vigil_fake_sni_watcher_finalize (GObject *object)
{
  VigilFakeSniWatcher *self = VIGIL_FAKE_SNI_WATCHER (object);

  g_free (self->item);
  g_clear_pointer (&self->item_properties, g_variant_unref);
  g_hash_table_unref (self->signal_counts);

  G_OBJECT_CLASS (vigil_fake_sni_watcher_parent_class)->finalize (object);
}

static void
vigil_fake_sni_watcher_class_init (VigilFakeSniWatcherClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->dispose = vigil_fake_sni_watcher_dispose;
  object_class->finalize = vigil_fake_sni_watcher_finalize;
}

static void
vigil_fake_sni_watcher_init (VigilFakeSniWatcher *self)
{
  self->signal_counts = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  self->cancellable = g_cancellable_new ();
}

/* ------------------------------------------------------------------ */
/* Public API                                                          */
/* ------------------------------------------------------------------ */

VigilFakeSniWatcher *
vigil_fake_sni_watcher_new (GError **error)
{
  g_autoptr(VigilFakeSniWatcher) self = g_object_new (VIGIL_TYPE_FAKE_SNI_WATCHER, NULL);
  g_autoptr(GDBusNodeInfo) info = g_dbus_node_info_new_for_xml (watcher_xml, NULL);
  g_autofree char *address = g_dbus_address_get_for_bus_sync (G_BUS_TYPE_SESSION, NULL, error);

  if (address == NULL)
    return NULL;
  self->connection = g_dbus_connection_new_for_address_sync (address,
                                                             G_DBUS_CONNECTION_FLAGS_AUTHENTICATION_CLIENT
                                                             | G_DBUS_CONNECTION_FLAGS_MESSAGE_BUS_CONNECTION,
                                                             NULL, NULL, error);
  if (self->connection == NULL)
    return NULL;
  self->reg_id = g_dbus_connection_register_object (self->connection, WATCHER_PATH,
                                                    info->interfaces[0], &watcher_vtable,
                                                    self, NULL, error);
  if (self->reg_id == 0)
    return NULL;
  self->item_signals_id = g_dbus_connection_signal_subscribe (self->connection, NULL,
                                                              "org.kde.StatusNotifierItem", NULL,
                                                              NULL, NULL, G_DBUS_SIGNAL_FLAGS_NONE,
                                                              on_signal, self, NULL);
  self->menu_signals_id = g_dbus_connection_signal_subscribe (self->connection, NULL,
                                                              "com.canonical.dbusmenu", NULL,
                                                              NULL, NULL, G_DBUS_SIGNAL_FLAGS_NONE,
                                                              on_signal, self, NULL);
  return g_steal_pointer (&self);
}

GDBusConnection *
vigil_fake_sni_watcher_get_connection (VigilFakeSniWatcher *self)
{
  g_return_val_if_fail (VIGIL_IS_FAKE_SNI_WATCHER (self), NULL);

  return self->connection;
}

void
vigil_fake_sni_watcher_start (VigilFakeSniWatcher *self)
{
  g_return_if_fail (VIGIL_IS_FAKE_SNI_WATCHER (self));
  g_return_if_fail (self->own_id == 0);

  self->own_id = g_bus_own_name_on_connection (self->connection, WATCHER_NAME,
                                               G_BUS_NAME_OWNER_FLAGS_NONE,
                                               on_name_acquired, on_name_lost, self, NULL);
}

void
vigil_fake_sni_watcher_stop (VigilFakeSniWatcher *self)
{
  g_return_if_fail (VIGIL_IS_FAKE_SNI_WATCHER (self));

  g_clear_handle_id (&self->own_id, g_bus_unown_name);
  self->running = FALSE;
  g_clear_pointer (&self->item, g_free);
  g_clear_pointer (&self->item_properties, g_variant_unref);
}

gboolean
vigil_fake_sni_watcher_is_running (VigilFakeSniWatcher *self)
{
  g_return_val_if_fail (VIGIL_IS_FAKE_SNI_WATCHER (self), FALSE);

  return self->running;
}

guint
vigil_fake_sni_watcher_get_n_registrations (VigilFakeSniWatcher *self)
{
  g_return_val_if_fail (VIGIL_IS_FAKE_SNI_WATCHER (self), 0);

  return self->n_registrations;
}

const char *
vigil_fake_sni_watcher_get_item (VigilFakeSniWatcher *self)
{
  g_return_val_if_fail (VIGIL_IS_FAKE_SNI_WATCHER (self), NULL);

  return self->item;
}

GVariant *
vigil_fake_sni_watcher_get_item_properties (VigilFakeSniWatcher *self)
{
  g_return_val_if_fail (VIGIL_IS_FAKE_SNI_WATCHER (self), NULL);

  return self->item_properties;
}

guint
vigil_fake_sni_watcher_count_signals (VigilFakeSniWatcher *self,
                                      const char          *member)
{
  g_return_val_if_fail (VIGIL_IS_FAKE_SNI_WATCHER (self), 0);

  return GPOINTER_TO_UINT (g_hash_table_lookup (self->signal_counts, member));
}

static void
on_call_done (GObject      *source,
              GAsyncResult *result,
              gpointer      user_data)
{
  GAsyncResult **out = user_data;

  *out = g_object_ref (result);
  g_main_context_wakeup (NULL);
}

GVariant *
vigil_fake_sni_watcher_call_name (VigilFakeSniWatcher *self,
                                  const char          *name,
                                  const char          *path,
                                  const char          *interface,
                                  const char          *method,
                                  GVariant            *parameters,
                                  GError             **error)
{
  g_autoptr(GAsyncResult) result = NULL;

  g_return_val_if_fail (VIGIL_IS_FAKE_SNI_WATCHER (self), NULL);
  g_return_val_if_fail (name != NULL, NULL);

  /* The call's own timeout ends the wait when nobody answers. */
  g_dbus_connection_call (self->connection, name, path, interface, method, parameters,
                          NULL, G_DBUS_CALL_FLAGS_NO_AUTO_START,
                          (int) vigil_test_limit_ms (CALL_LIMIT_MS), NULL, on_call_done, &result);
  while (result == NULL)
    g_main_context_iteration (NULL, TRUE);
  return g_dbus_connection_call_finish (self->connection, result, error);
}

GVariant *
vigil_fake_sni_watcher_call (VigilFakeSniWatcher *self,
                             const char          *path,
                             const char          *interface,
                             const char          *method,
                             GVariant            *parameters,
                             GError             **error)
{
  g_return_val_if_fail (VIGIL_IS_FAKE_SNI_WATCHER (self), NULL);
  g_return_val_if_fail (self->item != NULL, NULL);

  return vigil_fake_sni_watcher_call_name (self, self->item, path, interface, method,
                                           parameters, error);
}

GVariant *
vigil_fake_sni_watcher_get_property (VigilFakeSniWatcher *self,
                                     const char          *path,
                                     const char          *interface,
                                     const char          *name)
{
  g_autoptr(GVariant) reply = NULL;
  g_autoptr(GError) error = NULL;
  GVariant *value = NULL;

  reply = vigil_fake_sni_watcher_call (self, path, "org.freedesktop.DBus.Properties", "Get",
                                       g_variant_new ("(ss)", interface, name), &error);
  if (reply == NULL)
    {
      g_test_message ("fake watcher: Get %s failed: %s", name, error->message);
      return NULL;
    }
  g_variant_get (reply, "(v)", &value);
  return value;
}
