/* vigil-fake-notifications.c — org.freedesktop.Notifications and
 * org.gtk.Notifications for tests, recording every call
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include <string.h>

#include "vigil-fake-notifications.h"

#define FDO_NAME "org.freedesktop.Notifications"
#define FDO_PATH "/org/freedesktop/Notifications"
#define GTK_NAME "org.gtk.Notifications"
#define GTK_PATH "/org/gtk/Notifications"

static const char fdo_xml[] =
  "<node><interface name='org.freedesktop.Notifications'>"
  " <method name='Notify'><arg type='s' direction='in'/><arg type='u' direction='in'/>"
  "  <arg type='s' direction='in'/><arg type='s' direction='in'/><arg type='s' direction='in'/>"
  "  <arg type='as' direction='in'/><arg type='a{sv}' direction='in'/><arg type='i' direction='in'/>"
  "  <arg type='u' direction='out'/></method>"
  " <method name='CloseNotification'><arg type='u' direction='in'/></method>"
  " <method name='GetCapabilities'><arg type='as' direction='out'/></method>"
  " <method name='GetServerInformation'><arg type='s' direction='out'/><arg type='s' direction='out'/>"
  "  <arg type='s' direction='out'/><arg type='s' direction='out'/></method>"
  " <signal name='NotificationClosed'><arg type='u'/><arg type='u'/></signal>"
  " <signal name='ActionInvoked'><arg type='u'/><arg type='s'/></signal>"
  "</interface></node>";

static const char gtk_xml[] =
  "<node><interface name='org.gtk.Notifications'>"
  " <method name='AddNotification'><arg type='s' direction='in'/><arg type='s' direction='in'/>"
  "  <arg type='a{sv}' direction='in'/></method>"
  " <method name='RemoveNotification'><arg type='s' direction='in'/><arg type='s' direction='in'/></method>"
  "</interface></node>";

struct _VigilFakeNotifications
{
  GDBusConnection *connection;
  GDBusNodeInfo   *fdo_info;
  GDBusNodeInfo   *gtk_info;
  guint            fdo_object;
  guint            gtk_object;
  guint            fdo_owner;
  guint            gtk_owner;
  guint            n_owned;
  gboolean         lost;
  GPtrArray       *all;       /* VigilFakeNotification */
  guint            n_sent;
  guint32          next_id;
};

/* ------------------------------------------------------------------ */
/* Records                                                             */
/* ------------------------------------------------------------------ */

static void
notification_free (VigilFakeNotification *n)
{
  g_free (n->backend);
  g_free (n->app_id);
  g_free (n->id);
  g_free (n->title);
  g_free (n->body);
  g_free (n->default_action);
  g_ptr_array_unref (n->button_labels);
  g_ptr_array_unref (n->button_actions);
  g_free (n);
}

static VigilFakeNotification *
find (VigilFakeNotifications *self,
      const char             *backend,
      const char             *app_id,
      const char             *id)
{
  for (guint i = 0; i < self->all->len; i++)
    {
      VigilFakeNotification *n = g_ptr_array_index (self->all, i);

      /* fdo numbers are the server's own; gtk ids are each app's */
      if (g_str_equal (n->backend, backend) && g_str_equal (n->id, id) &&
          (g_str_equal (backend, "freedesktop") || g_strcmp0 (n->app_id, app_id) == 0))
        return n;
    }
  return NULL;
}

/* A new record, or the one a later send with its id replaces. */
static VigilFakeNotification *
record (VigilFakeNotifications *self,
        const char             *backend,
        const char             *app_id,
        const char             *id)
{
  VigilFakeNotification *n = find (self, backend, app_id, id);

  self->n_sent++;
  if (n == NULL)
    {
      n = g_new0 (VigilFakeNotification, 1);
      n->backend = g_strdup (backend);
      n->app_id = g_strdup (app_id);
      n->id = g_strdup (id);
      g_ptr_array_add (self->all, n);
    }
  g_clear_pointer (&n->title, g_free);
  g_clear_pointer (&n->body, g_free);
  g_clear_pointer (&n->default_action, g_free);
  g_clear_pointer (&n->button_labels, g_ptr_array_unref);
  g_clear_pointer (&n->button_actions, g_ptr_array_unref);
  n->button_labels = g_ptr_array_new_with_free_func (g_free);
  n->button_actions = g_ptr_array_new_with_free_func (g_free);
  n->has_default = FALSE;
  n->withdrawn = FALSE;
  n->times_sent++;
  return n;
}

/* ------------------------------------------------------------------ */
/* org.freedesktop.Notifications                                       */
/* ------------------------------------------------------------------ */

static void
fdo_notify (VigilFakeNotifications *self,
            GVariant               *parameters,
            GDBusMethodInvocation  *invocation)
{
  const char *app_name, *icon, *summary, *body, *desktop_entry = NULL;
  guint32 replaces_id;
  g_autofree const char **actions = NULL;
  g_autoptr(GVariant) hints = NULL;
  g_autofree char *id = NULL;
  VigilFakeNotification *n;
  gint32 timeout;
  guint32 number;

  g_variant_get (parameters, "(&su&s&s&s^a&s@a{sv}i)", &app_name, &replaces_id, &icon,
                 &summary, &body, &actions, &hints, &timeout);
  g_variant_lookup (hints, "desktop-entry", "&s", &desktop_entry);
  number = replaces_id != 0 ? replaces_id : ++self->next_id;
  id = g_strdup_printf ("%u", number);
  n = record (self, "freedesktop", NULL, id);
  n->fdo_id = number;
  g_free (n->app_id);
  n->app_id = g_strdup (desktop_entry);
  n->title = g_strdup (summary);
  n->body = g_strdup (body);
  /* Pairs of key and label; "default" is the click on the bubble. */
  for (guint i = 0; actions[i] != NULL && actions[i + 1] != NULL; i += 2)
    if (g_str_equal (actions[i], "default"))
      {
        n->has_default = TRUE;
        n->default_action = g_strdup ("default");
      }
    else
      {
        g_ptr_array_add (n->button_actions, g_strdup (actions[i]));
        g_ptr_array_add (n->button_labels, g_strdup (actions[i + 1]));
      }
  g_dbus_method_invocation_return_value (invocation, g_variant_new ("(u)", number));
}

static void
fdo_close (VigilFakeNotifications *self,
           GVariant               *parameters,
           GDBusMethodInvocation  *invocation)
{
  guint32 number;
  g_autofree char *id = NULL;
  VigilFakeNotification *n;

  g_variant_get (parameters, "(u)", &number);
  id = g_strdup_printf ("%u", number);
  for (guint i = 0; i < self->all->len; i++)
    {
      n = g_ptr_array_index (self->all, i);
      if (g_str_equal (n->backend, "freedesktop") && g_str_equal (n->id, id))
        n->withdrawn = TRUE;
    }
  g_dbus_connection_emit_signal (self->connection, NULL, FDO_PATH, FDO_NAME,
                                 "NotificationClosed", g_variant_new ("(uu)", number, 3), NULL);
  g_dbus_method_invocation_return_value (invocation, NULL);
}

static void
fdo_method_call (GDBusConnection       *connection,
                 const char            *sender,
                 const char            *object_path,
                 const char            *interface_name,
                 const char            *method_name,
                 GVariant              *parameters,
                 GDBusMethodInvocation *invocation,
                 gpointer               user_data)
{
  VigilFakeNotifications *self = user_data;

  if (g_str_equal (method_name, "Notify"))
    fdo_notify (self, parameters, invocation);
  else if (g_str_equal (method_name, "CloseNotification"))
    fdo_close (self, parameters, invocation);
  else if (g_str_equal (method_name, "GetCapabilities"))
    {
      const char *caps[] = { "actions", "body", NULL };

      g_dbus_method_invocation_return_value (invocation, g_variant_new ("(^as)", caps));
    }
  else
    g_dbus_method_invocation_return_value (invocation,
                                           g_variant_new ("(ssss)", "vigil-fake", "Vigil",
                                                          "1", "1.2"));
}

/* ------------------------------------------------------------------ */
/* org.gtk.Notifications                                               */
/* ------------------------------------------------------------------ */

static char *
detailed (const char *action,
          GVariant   *target)
{
  return g_action_print_detailed_name (action, target);
}

static void
gtk_add (VigilFakeNotifications *self,
         GVariant               *parameters)
{
  const char *app_id, *id, *text = NULL;
  g_autoptr(GVariant) data = NULL;
  g_autoptr(GVariant) target = NULL;
  g_autoptr(GVariant) buttons = NULL;
  VigilFakeNotification *n;

  g_variant_get (parameters, "(&s&s@a{sv})", &app_id, &id, &data);
  n = record (self, "gtk", app_id, id);
  if (g_variant_lookup (data, "title", "&s", &text))
    n->title = g_strdup (text);
  if (g_variant_lookup (data, "body", "&s", &text))
    n->body = g_strdup (text);
  if (g_variant_lookup (data, "default-action", "&s", &text))
    {
      target = g_variant_lookup_value (data, "default-action-target", NULL);
      n->has_default = TRUE;
      n->default_action = detailed (text, target);
    }
  buttons = g_variant_lookup_value (data, "buttons", G_VARIANT_TYPE ("aa{sv}"));
  for (gsize i = 0; buttons != NULL && i < g_variant_n_children (buttons); i++)
    {
      g_autoptr(GVariant) button = g_variant_get_child_value (buttons, i);
      g_autoptr(GVariant) button_target = g_variant_lookup_value (button, "target", NULL);
      const char *label = "", *action = "";

      g_variant_lookup (button, "label", "&s", &label);
      g_variant_lookup (button, "action", "&s", &action);
      g_ptr_array_add (n->button_labels, g_strdup (label));
      g_ptr_array_add (n->button_actions, detailed (action, button_target));
    }
}

static void
gtk_method_call (GDBusConnection       *connection,
                 const char            *sender,
                 const char            *object_path,
                 const char            *interface_name,
                 const char            *method_name,
                 GVariant              *parameters,
                 GDBusMethodInvocation *invocation,
                 gpointer               user_data)
{
  VigilFakeNotifications *self = user_data;

  if (g_str_equal (method_name, "AddNotification"))
    gtk_add (self, parameters);
  else
    {
      const char *app_id, *id;
      VigilFakeNotification *n;

      g_variant_get (parameters, "(&s&s)", &app_id, &id);
      n = find (self, "gtk", app_id, id);
      if (n != NULL)
        n->withdrawn = TRUE;
    }
  g_dbus_method_invocation_return_value (invocation, NULL);
}

/* ------------------------------------------------------------------ */
/* Names                                                               */
/* ------------------------------------------------------------------ */

static void
on_name_acquired (GDBusConnection *connection,
                  const char      *name,
                  gpointer         user_data)
{
  VigilFakeNotifications *self = user_data;

  self->n_owned++;
}

static void
on_name_lost (GDBusConnection *connection,
              const char      *name,
              gpointer         user_data)
{
  VigilFakeNotifications *self = user_data;

  self->lost = TRUE;
}

static const GDBusInterfaceVTable fdo_vtable = { fdo_method_call, NULL, NULL, { 0 } };
static const GDBusInterfaceVTable gtk_vtable = { gtk_method_call, NULL, NULL, { 0 } };

/* ------------------------------------------------------------------ */
/* Public API                                                          */
/* ------------------------------------------------------------------ */

VigilFakeNotifications *
vigil_fake_notifications_new (GError **error)
{
  g_autoptr(VigilFakeNotifications) self = g_new0 (VigilFakeNotifications, 1);
  g_autofree char *address = NULL;
  gint64 deadline = g_get_monotonic_time () + 20 * G_USEC_PER_SEC;

  self->all = g_ptr_array_new_with_free_func ((GDestroyNotify) notification_free);
  address = g_dbus_address_get_for_bus_sync (G_BUS_TYPE_SESSION, NULL, error);
  if (address == NULL)
    return NULL;
  /* A connection of its own: the application's calls really go through
   * the bus, as they would to a desktop's server. */
  self->connection = g_dbus_connection_new_for_address_sync (address,
      G_DBUS_CONNECTION_FLAGS_AUTHENTICATION_CLIENT |
      G_DBUS_CONNECTION_FLAGS_MESSAGE_BUS_CONNECTION, NULL, NULL, error);
  if (self->connection == NULL)
    return NULL;
  self->fdo_info = g_dbus_node_info_new_for_xml (fdo_xml, NULL);
  self->gtk_info = g_dbus_node_info_new_for_xml (gtk_xml, NULL);
  self->fdo_object = g_dbus_connection_register_object (self->connection, FDO_PATH,
                                                        self->fdo_info->interfaces[0],
                                                        &fdo_vtable, self, NULL, error);
  if (self->fdo_object == 0)
    return NULL;
  self->gtk_object = g_dbus_connection_register_object (self->connection, GTK_PATH,
                                                        self->gtk_info->interfaces[0],
                                                        &gtk_vtable, self, NULL, error);
  if (self->gtk_object == 0)
    return NULL;
  self->fdo_owner = g_bus_own_name_on_connection (self->connection, FDO_NAME,
                                                  G_BUS_NAME_OWNER_FLAGS_DO_NOT_QUEUE,
                                                  on_name_acquired, on_name_lost, self, NULL);
  self->gtk_owner = g_bus_own_name_on_connection (self->connection, GTK_NAME,
                                                  G_BUS_NAME_OWNER_FLAGS_DO_NOT_QUEUE,
                                                  on_name_acquired, on_name_lost, self, NULL);
  while (self->n_owned < 2 && !self->lost && g_get_monotonic_time () < deadline)
    g_main_context_iteration (NULL, TRUE);
  if (self->n_owned < 2)
    {
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_EXISTS, "Another notification server owns the names");
      return NULL;
    }
  return g_steal_pointer (&self);
}

void
vigil_fake_notifications_free (VigilFakeNotifications *self)
{
  if (self == NULL)
    return;
  g_clear_handle_id (&self->fdo_owner, g_bus_unown_name);
  g_clear_handle_id (&self->gtk_owner, g_bus_unown_name);
  if (self->connection != NULL && self->fdo_object != 0)
    g_dbus_connection_unregister_object (self->connection, self->fdo_object);
  if (self->connection != NULL && self->gtk_object != 0)
    g_dbus_connection_unregister_object (self->connection, self->gtk_object);
  if (self->connection != NULL)
    g_dbus_connection_close_sync (self->connection, NULL, NULL);
  g_clear_object (&self->connection);
  g_clear_pointer (&self->fdo_info, g_dbus_node_info_unref);
  g_clear_pointer (&self->gtk_info, g_dbus_node_info_unref);
  g_clear_pointer (&self->all, g_ptr_array_unref);
  g_free (self);
}

guint
vigil_fake_notifications_get_n_sent (VigilFakeNotifications *self)
{
  return self->n_sent;
}

GPtrArray *
vigil_fake_notifications_get_all (VigilFakeNotifications *self)
{
  return self->all;
}

void
vigil_fake_notifications_reset (VigilFakeNotifications *self)
{
  g_ptr_array_set_size (self->all, 0);
  self->n_sent = 0;
}

void
vigil_fake_notifications_activate_app_action (VigilFakeNotifications *self,
                                              const char             *app_id,
                                              const char             *detailed_action)
{
  g_autofree char *name = NULL;
  g_autofree char *path = NULL;
  g_autoptr(GVariant) target = NULL;
  g_autoptr(GError) error = NULL;
  GVariantBuilder parameter;

  g_assert_true (g_action_parse_detailed_name (detailed_action, &name, &target, &error));
  g_assert_true (g_str_has_prefix (name, "app."));
  path = g_strdelimit (g_strconcat ("/", app_id, NULL), ".", '/');
  g_variant_builder_init (&parameter, G_VARIANT_TYPE ("av"));
  if (target != NULL)
    g_variant_builder_add (&parameter, "v", target);
  g_dbus_connection_call (self->connection, app_id, path, "org.freedesktop.Application",
                          "ActivateAction",
                          g_variant_new ("(sava{sv})", name + strlen ("app."), &parameter, NULL),
                          NULL, G_DBUS_CALL_FLAGS_NONE, -1, NULL, NULL, NULL);
}

void
vigil_fake_notifications_invoke (VigilFakeNotifications *self,
                                 VigilFakeNotification  *notification,
                                 const char             *action_key)
{
  if (g_str_equal (notification->backend, "freedesktop"))
    {
      g_dbus_connection_emit_signal (self->connection, NULL, FDO_PATH, FDO_NAME, "ActionInvoked",
                                     g_variant_new ("(us)", notification->fdo_id, action_key),
                                     NULL);
      return;
    }
  if (g_str_equal (action_key, "default"))
    action_key = notification->default_action;
  vigil_fake_notifications_activate_app_action (self, notification->app_id, action_key);
}
