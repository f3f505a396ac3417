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

/* Whether anything listens to the object's "notify" signal, for any
 * property ("notify" or "notify::name"). GLib itself skips a notification
 * nobody hears; this tells whether batching them (freeze/thaw, which GLib
 * 2.74 does not skip) is worth its cost: a list of ten thousand jobs shows
 * a few (README.md, "Performance"). */
static inline gboolean
vigil_has_notify_listeners (gpointer object)
{
  static guint notify_id;

  if (notify_id == 0)
    notify_id = g_signal_lookup ("notify", G_TYPE_OBJECT);
  return g_signal_handler_find (object, G_SIGNAL_MATCH_ID, notify_id, 0, NULL, NULL, NULL) != 0;
}

G_END_DECLS
