/* vigil-tray.h — Vigil's tray icon: a StatusNotifierItem over GDBus
 *
 * The item (org.kde.StatusNotifierItem at /StatusNotifierItem, its menu
 * com.canonical.dbusmenu at /MenuBar) is registered with the
 * org.kde.StatusNotifierWatcher whenever one is on the bus, again when the
 * watcher restarts; with none (stock GNOME) the tray is silently absent.
 * Status: Active while jobs run, NeedsAttention after a failure until the
 * window is shown, Passive when idle. Updates reach the bus at most about
 * once a second, however many jobs change.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include "vigil-application.h"

G_BEGIN_DECLS

#define VIGIL_TRAY_ITEM_PATH "/StatusNotifierItem"
#define VIGIL_TRAY_MENU_PATH "/MenuBar"
/* Job lines the menu lists before "and N more". */
#define VIGIL_TRAY_MAX_JOB_LINES 5

#define VIGIL_TYPE_TRAY (vigil_tray_get_type ())
G_DECLARE_FINAL_TYPE (VigilTray, vigil_tray, VIGIL, TRAY, GObject)

/* The tray of app (which owns it: it keeps no reference on app) showing
 * vigil_application_get_jobs(), exported on connection. */
VigilTray  *vigil_tray_new            (VigilApplication *app,
                                       GDBusConnection  *connection);
/* The name the item asks for, "org.kde.StatusNotifierItem-PID-N"; when it
 * cannot have it (a sandbox, another owner) it registers the connection's
 * unique name instead, as the protocol allows. */
const char *vigil_tray_get_bus_name   (VigilTray        *self);
/* Whether a watcher accepted the item (property "registered"). */
gboolean    vigil_tray_get_registered (VigilTray        *self);
/* "Passive", "Active" or "NeedsAttention", as the bus last heard it. */
const char *vigil_tray_get_status     (VigilTray        *self);

G_END_DECLS
