/* vigil-tray-private.h — shared by vigil-tray.c (the item, registration,
 * status) and vigil-tray-menu.c (the dbusmenu)
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include "vigil-tray.h"

G_BEGIN_DECLS

struct _VigilTray
{
  GObject           parent_instance;

  VigilApplication *app;             /* owns the tray: not referenced */
  GDBusConnection  *connection;
  GListModel       *jobs;
  char             *bus_name;
  guint             item_reg_id;
  guint             menu_reg_id;
  guint             own_id;
  guint             watch_id;
  GCancellable     *register_cancellable;
  const char       *service;         /* registered as: bus_name, else the unique name */
  char             *watcher_owner;   /* the watcher's unique name, NULL: none */
  gboolean          registered;

  /* What the bus last heard, refreshed at most about once a second. */
  guint             refresh_id;
  gint64            last_refresh_us;
  gboolean          scanned;         /* the first scan only notes failures */
  gboolean          attention;
  GHashTable       *failed;          /* VigilJob (ref) → itself: failed at the last scan */
  guint             n_running;
  guint             n_failed;
  const char       *status;
  char             *tooltip;
  GPtrArray        *lines;           /* the menu's job lines (at most VIGIL_TRAY_MAX_JOB_LINES) */
  guint             n_more;          /* running jobs beyond them: "and N more" */
  guint             revision;
};

/* vigil-tray-menu.c */
gboolean vigil_tray_menu_export    (VigilTray  *self,
                                    GError    **error);
/* Takes lines; emits LayoutUpdated when the menu changes. */
void     vigil_tray_menu_update    (VigilTray  *self,
                                    GPtrArray  *lines,
                                    guint       n_more);

/* vigil-tray.c: what the menu's items do */
void     vigil_tray_show_window    (VigilTray  *self);
void     vigil_tray_quit           (VigilTray  *self);

G_END_DECLS
