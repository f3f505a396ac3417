/* vigil-util-private.h — small helpers shared by the core's objects
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <glib-object.h>

G_BEGIN_DECLS

/* Replace *field with a copy of value; TRUE when it changed. (GLib 2.76
 * has one; the core targets 2.74.) */
static inline gboolean
vigil_replace_str (char       **field,
                   const char  *value)
{
  if (g_strcmp0 (*field, value) == 0)
    return FALSE;

  g_free (*field);
  *field = g_strdup (value);
  return TRUE;
}

/* Whether anything listens to the object's "notify" signal: a list of ten
 * thousand jobs shows a few, and notifications nobody hears are the costliest
 * part of an update (README.md, "Performance"). */
static inline gboolean
vigil_has_notify_listeners (gpointer object)
{
  static guint notify_id;

  if (notify_id == 0)
    notify_id = g_signal_lookup ("notify", G_TYPE_OBJECT);
  return g_signal_has_handler_pending (object, notify_id, 0, TRUE);
}

G_END_DECLS
