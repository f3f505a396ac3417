/* vigil-tray-menu.c — the tray's menu over com.canonical.dbusmenu: Show
 * Vigil, a line per running job (at most VIGIL_TRAY_MAX_JOB_LINES, then
 * "and N more"), Quit
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <glib/gi18n.h>

#include "vigil-job-text.h"

#include "vigil-tray-private.h"

#define MENU_INTERFACE "com.canonical.dbusmenu"

/* Item ids: fixed for the fixed items, one per slot for the job lines. */
enum {
  ID_ROOT = 0,
  ID_SHOW = 1,
  ID_SEPARATOR_TOP = 2,
  ID_SEPARATOR_BOTTOM = 3,
  ID_QUIT = 4,
  ID_FIRST_JOB = 10,
  ID_MORE = ID_FIRST_JOB + VIGIL_TRAY_MAX_JOB_LINES,
  ID_IDLE,
};

#define MAX_ITEMS (VIGIL_TRAY_MAX_JOB_LINES + 6)

static const char menu_xml[] =
  "<node>"
  "  <interface name='com.canonical.dbusmenu'>"
  "    <property name='Version' type='u' access='read'/>"
  "    <property name='TextDirection' type='s' access='read'/>"
  "    <property name='Status' type='s' access='read'/>"
  "    <property name='IconThemePath' type='as' access='read'/>"
  "    <method name='GetLayout'>"
  "      <arg type='i' name='parentId' direction='in'/>"
  "      <arg type='i' name='recursionDepth' direction='in'/>"
  "      <arg type='as' name='propertyNames' direction='in'/>"
  "      <arg type='u' name='revision' direction='out'/>"
  "      <arg type='(ia{sv}av)' name='layout' direction='out'/>"
  "    </method>"
  "    <method name='GetGroupProperties'>"
  "      <arg type='ai' name='ids' direction='in'/>"
  "      <arg type='as' name='propertyNames' direction='in'/>"
  "      <arg type='a(ia{sv})' name='properties' direction='out'/>"
  "    </method>"
  "    <method name='GetProperty'>"
  "      <arg type='i' name='id' direction='in'/>"
  "      <arg type='s' name='name' direction='in'/>"
  "      <arg type='v' name='value' direction='out'/>"
  "    </method>"
  "    <method name='Event'>"
  "      <arg type='i' name='id' direction='in'/>"
  "      <arg type='s' name='eventId' direction='in'/>"
  "      <arg type='v' name='data' direction='in'/>"
  "      <arg type='u' name='timestamp' direction='in'/>"
  "    </method>"
  "    <method name='EventGroup'>"
  "      <arg type='a(isvu)' name='events' direction='in'/>"
  "      <arg type='ai' name='idErrors' direction='out'/>"
  "    </method>"
  "    <method name='AboutToShow'>"
  "      <arg type='i' name='id' direction='in'/>"
  "      <arg type='b' name='needUpdate' direction='out'/>"
  "    </method>"
  "    <method name='AboutToShowGroup'>"
  "      <arg type='ai' name='ids' direction='in'/>"
  "      <arg type='ai' name='updatesNeeded' direction='out'/>"
  "      <arg type='ai' name='idErrors' direction='out'/>"
  "    </method>"
  "    <signal name='ItemsPropertiesUpdated'>"
  "      <arg type='a(ia{sv})' name='updatedProps'/>"
  "      <arg type='a(ias)' name='removedProps'/>"
  "    </signal>"
  "    <signal name='LayoutUpdated'>"
  "      <arg type='u' name='revision'/>"
  "      <arg type='i' name='parent'/>"
  "    </signal>"
  "    <signal name='ItemActivationRequested'>"
  "      <arg type='i' name='id'/>"
  "      <arg type='u' name='timestamp'/>"
  "    </signal>"
  "  </interface>"
  "</node>";

/* ------------------------------------------------------------------ */
/* The items                                                           */
/* ------------------------------------------------------------------ */

/* The root's children in order; returns how many. */
static guint
child_ids (VigilTray *self,
           int        ids[MAX_ITEMS])
{
  guint n = 0;

  ids[n++] = ID_SHOW;
  ids[n++] = ID_SEPARATOR_TOP;
  for (guint i = 0; i < self->lines->len; i++)
    ids[n++] = ID_FIRST_JOB + (int) i;
  if (self->n_more > 0)
    ids[n++] = ID_MORE;
  if (self->lines->len == 0)
    ids[n++] = ID_IDLE;
  ids[n++] = ID_SEPARATOR_BOTTOM;
  ids[n++] = ID_QUIT;
  return n;
}

static gboolean
item_exists (VigilTray *self,
             int        id)
{
  int ids[MAX_ITEMS];
  guint n = child_ids (self, ids);

  for (guint i = 0; i < n; i++)
    if (ids[i] == id)
      return TRUE;
  return id == ID_ROOT;
}

/* dbusmenu reads "_" as a mnemonic: a job's title shows its own as they are. */
static char *
escape_label (const char *text)
{
  g_auto(GStrv) parts = g_strsplit (text, "_", -1);

  return g_strjoinv ("__", parts);
}

/* The item's label and whether it can be clicked; NULL for no label. */
static char *
item_label (VigilTray *self,
            int        id,
            gboolean  *enabled)
{
  *enabled = TRUE;
  if (id == ID_SHOW)
    return g_strdup (_("Show Vigil"));
  if (id == ID_QUIT)
    return g_strdup (_("Quit"));
  if (id >= ID_FIRST_JOB && id < ID_FIRST_JOB + (int) self->lines->len)
    return escape_label (g_ptr_array_index (self->lines, id - ID_FIRST_JOB));
  *enabled = FALSE;
  if (id == ID_MORE)
    return vigil_job_text_tray_more (self->n_more);
  if (id == ID_IDLE)
    return vigil_job_text_tray_tooltip (0, 0);
  return NULL;
}

static gboolean
wanted (const char * const *names,
        const char         *name)
{
  return names == NULL || names[0] == NULL || g_strv_contains (names, name);
}

/* The item's properties (floating), only those named when names has any. */
static GVariant *
item_properties (VigilTray          *self,
                 int                 id,
                 const char * const *names)
{
  g_auto(GVariantBuilder) builder = G_VARIANT_BUILDER_INIT (G_VARIANT_TYPE_VARDICT);
  g_autofree char *label = NULL;
  gboolean enabled;

  if (id == ID_ROOT)
    {
      if (wanted (names, "children-display"))
        g_variant_builder_add (&builder, "{sv}", "children-display", g_variant_new_string ("submenu"));
      return g_variant_builder_end (&builder);
    }
  if (id == ID_SEPARATOR_TOP || id == ID_SEPARATOR_BOTTOM)
    {
      if (wanted (names, "type"))
        g_variant_builder_add (&builder, "{sv}", "type", g_variant_new_string ("separator"));
      return g_variant_builder_end (&builder);
    }
  label = item_label (self, id, &enabled);
  if (label != NULL && wanted (names, "label"))
    g_variant_builder_add (&builder, "{sv}", "label", g_variant_new_string (label));
  if (!enabled && wanted (names, "enabled"))
    g_variant_builder_add (&builder, "{sv}", "enabled", g_variant_new_boolean (FALSE));
  if (id == ID_QUIT && wanted (names, "icon-name"))
    g_variant_builder_add (&builder, "{sv}", "icon-name", g_variant_new_string ("application-exit"));
  return g_variant_builder_end (&builder);
}

/* (ia{sv}av): the item, and its children down to depth (-1: all). */
static GVariant *
layout_node (VigilTray          *self,
             int                 id,
             int                 depth,
             const char * const *names)
{
  g_auto(GVariantBuilder) children = G_VARIANT_BUILDER_INIT (G_VARIANT_TYPE ("av"));

  if (id == ID_ROOT && depth != 0)
    {
      int ids[MAX_ITEMS];
      guint n = child_ids (self, ids);

      for (guint i = 0; i < n; i++)
        g_variant_builder_add (&children, "v", layout_node (self, ids[i], depth - 1, names));
    }
  return g_variant_new ("(i@a{sv}av)", id, item_properties (self, id, names), &children);
}

/* ------------------------------------------------------------------ */
/* Methods                                                             */
/* ------------------------------------------------------------------ */

static gboolean
handle_event (VigilTray  *self,
              int         id,
              const char *event)
{
  if (!item_exists (self, id))
    return FALSE;
  g_debug ("Tray menu: %s on %d", event, id);
  if (!g_str_equal (event, "clicked"))
    return TRUE;
  if (id == ID_QUIT)
    vigil_tray_quit (self);
  else if (id == ID_SHOW || (id >= ID_FIRST_JOB && id < ID_MORE))
    vigil_tray_show_window (self);
  return TRUE;
}

static void
unknown_id (GDBusMethodInvocation *invocation,
            int                    id)
{
  g_dbus_method_invocation_return_error (invocation, G_DBUS_ERROR, G_DBUS_ERROR_INVALID_ARGS,
                                         "No menu item %d", id);
}

static void
get_layout (VigilTray             *self,
            GVariant              *parameters,
            GDBusMethodInvocation *invocation)
{
  g_autofree const char **names = NULL;
  int parent, depth;

  g_variant_get (parameters, "(ii^a&s)", &parent, &depth, &names);
  if (!item_exists (self, parent))
    {
      unknown_id (invocation, parent);
      return;
    }
  g_dbus_method_invocation_return_value (invocation,
                                         g_variant_new ("(u@(ia{sv}av))", self->revision,
                                                        layout_node (self, parent, depth, names)));
}

static void
get_group_properties (VigilTray             *self,
                      GVariant              *parameters,
                      GDBusMethodInvocation *invocation)
{
  g_autoptr(GVariant) ids = NULL;
  g_autofree const char **names = NULL;
  g_auto(GVariantBuilder) result = G_VARIANT_BUILDER_INIT (G_VARIANT_TYPE ("a(ia{sv})"));
  int all[MAX_ITEMS];
  gsize n_ids;
  const gint32 *wanted_ids;

  g_variant_get (parameters, "(@ai^a&s)", &ids, &names);
  wanted_ids = g_variant_get_fixed_array (ids, &n_ids, sizeof (gint32));
  if (n_ids == 0)
    {
      n_ids = child_ids (self, all);
      wanted_ids = all;
    }
  for (gsize i = 0; i < n_ids; i++)
    if (item_exists (self, wanted_ids[i]))
      g_variant_builder_add (&result, "(i@a{sv})", wanted_ids[i],
                             item_properties (self, wanted_ids[i], names));
  g_dbus_method_invocation_return_value (invocation, g_variant_new ("(@a(ia{sv}))",
                                                                    g_variant_builder_end (&result)));
}

static void
get_one_property (VigilTray             *self,
                  GVariant              *parameters,
                  GDBusMethodInvocation *invocation)
{
  g_autoptr(GVariant) props = NULL;
  g_autoptr(GVariant) value = NULL;
  const char *name;
  const char *names[2] = { NULL, NULL };
  int id;

  g_variant_get (parameters, "(i&s)", &id, &name);
  names[0] = name;
  if (!item_exists (self, id))
    {
      unknown_id (invocation, id);
      return;
    }
  props = g_variant_ref_sink (item_properties (self, id, names));
  value = g_variant_lookup_value (props, name, NULL);
  if (value == NULL)
    g_dbus_method_invocation_return_error (invocation, G_DBUS_ERROR, G_DBUS_ERROR_INVALID_ARGS,
                                           "Menu item %d has no property %s", id, name);
  else
    g_dbus_method_invocation_return_value (invocation, g_variant_new ("(v)", value));
}

static void
event_group (VigilTray             *self,
             GVariant              *parameters,
             GDBusMethodInvocation *invocation)
{
  g_autoptr(GVariantIter) iter = NULL;
  g_auto(GVariantBuilder) errors = G_VARIANT_BUILDER_INIT (G_VARIANT_TYPE ("ai"));
  g_autoptr(GArray) ids = g_array_new (FALSE, FALSE, sizeof (int));
  g_autoptr(GPtrArray) events = g_ptr_array_new_with_free_func (g_free);
  char *event;
  int id;

  g_variant_get (parameters, "(a(isvu))", &iter);
  while (g_variant_iter_next (iter, "(isvu)", &id, &event, NULL, NULL))
    {
      g_array_append_val (ids, id);
      g_ptr_array_add (events, event);
      if (!item_exists (self, id))
        g_variant_builder_add (&errors, "i", id);
    }
  /* Reply first: Quit may end the process. */
  g_dbus_method_invocation_return_value (invocation, g_variant_new ("(ai)", &errors));
  for (guint i = 0; i < ids->len; i++)
    handle_event (self, g_array_index (ids, int, i), g_ptr_array_index (events, i));
}

static void
menu_method_call (GDBusConnection       *connection,
                  const char            *sender,
                  const char            *object_path,
                  const char            *interface_name,
                  const char            *method_name,
                  GVariant              *parameters,
                  GDBusMethodInvocation *invocation,
                  gpointer               user_data)
{
  VigilTray *self = user_data;

  if (g_str_equal (method_name, "GetLayout"))
    get_layout (self, parameters, invocation);
  else if (g_str_equal (method_name, "GetGroupProperties"))
    get_group_properties (self, parameters, invocation);
  else if (g_str_equal (method_name, "GetProperty"))
    get_one_property (self, parameters, invocation);
  else if (g_str_equal (method_name, "EventGroup"))
    event_group (self, parameters, invocation);
  else if (g_str_equal (method_name, "Event"))
    {
      const char *event;
      int id;

      g_variant_get (parameters, "(i&svu)", &id, &event, NULL, NULL);
      if (!item_exists (self, id))
        {
          unknown_id (invocation, id);
          return;
        }
      /* Reply first: Quit may end the process. */
      g_dbus_method_invocation_return_value (invocation, NULL);
      handle_event (self, id, event);
    }
  else if (g_str_equal (method_name, "AboutToShow"))
    g_dbus_method_invocation_return_value (invocation, g_variant_new ("(b)", FALSE));
  else /* AboutToShowGroup */
    g_dbus_method_invocation_return_value (invocation, g_variant_new_parsed ("(@ai [], @ai [])"));
}

static GVariant *
menu_get_property (GDBusConnection *connection,
                   const char      *sender,
                   const char      *object_path,
                   const char      *interface_name,
                   const char      *name,
                   GError         **error,
                   gpointer         user_data)
{
  if (g_str_equal (name, "Version"))
    return g_variant_new_uint32 (3);
  if (g_str_equal (name, "TextDirection"))
    return g_variant_new_string (gtk_widget_get_default_direction () == GTK_TEXT_DIR_RTL
                                 ? "rtl" : "ltr");
  if (g_str_equal (name, "Status"))
    return g_variant_new_string ("normal");
  return g_variant_new_strv (NULL, 0);   /* IconThemePath */
}

static const GDBusInterfaceVTable menu_vtable = {
  menu_method_call,
  menu_get_property,
  NULL,
  { 0 }
};

/* ------------------------------------------------------------------ */
/* Private API                                                         */
/* ------------------------------------------------------------------ */

gboolean
vigil_tray_menu_export (VigilTray  *self,
                        GError    **error)
{
  g_autoptr(GDBusNodeInfo) info = g_dbus_node_info_new_for_xml (menu_xml, NULL);

  g_assert (VIGIL_IS_TRAY (self));
  g_assert (info != NULL);

  self->menu_reg_id = g_dbus_connection_register_object (self->connection, VIGIL_TRAY_MENU_PATH,
                                                         info->interfaces[0], &menu_vtable,
                                                         self, NULL, error);
  return self->menu_reg_id != 0;
}

static gboolean
same_lines (GPtrArray *a,
            GPtrArray *b)
{
  if (a->len != b->len)
    return FALSE;
  for (guint i = 0; i < a->len; i++)
    if (g_strcmp0 (g_ptr_array_index (a, i), g_ptr_array_index (b, i)) != 0)
      return FALSE;
  return TRUE;
}

void
vigil_tray_menu_update (VigilTray *self,
                        GPtrArray *lines,
                        guint      n_more)
{
  g_autoptr(GError) error = NULL;

  g_assert (VIGIL_IS_TRAY (self));

  if (same_lines (self->lines, lines) && self->n_more == n_more)
    {
      g_ptr_array_unref (lines);
      return;
    }
  g_ptr_array_unref (self->lines);
  self->lines = lines;
  self->n_more = n_more;
  self->revision++;
  if (self->menu_reg_id != 0
      && !g_dbus_connection_emit_signal (self->connection, NULL, VIGIL_TRAY_MENU_PATH,
                                         MENU_INTERFACE, "LayoutUpdated",
                                         g_variant_new ("(ui)", self->revision, ID_ROOT), &error))
    g_debug ("Tray menu: could not emit LayoutUpdated: %s", error->message);
}
