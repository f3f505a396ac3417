/* vigil-server-page.h — the main window's "Servers" view: one
 * VigilServerSection per server, each showing its own VigilServerMonitor
 * (made here, one per tracker, with its VigilServerHistory in the state
 * directory). The monitors poll only while the page is mapped: the view
 * stack shows it and the window is shown. Each server's "Watch every job
 * on this server" is kept in the `auto-watch-servers` setting.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <adwaita.h>

#include "vigil-server-monitor.h"
#include "vigil-server-section.h"

G_BEGIN_DECLS

#define VIGIL_TYPE_SERVER_PAGE (vigil_server_page_get_type ())
G_DECLARE_FINAL_TYPE (VigilServerPage, vigil_server_page, VIGIL, SERVER_PAGE, GtkWidget)

/* trackers: a GListModel of VigilTracker (followed as it changes);
 * settings: nullable (auto-watch then not kept); directory: where the
 * charts' history is saved, NULL for memory only. Call once. */
void                vigil_server_page_setup         (VigilServerPage *self,
                                                     GListModel      *trackers,
                                                     GSettings       *settings,
                                                     const char      *directory);
/* Whether the monitors poll (the page is mapped). */
gboolean            vigil_server_page_get_active    (VigilServerPage *self);
guint               vigil_server_page_get_n_servers (VigilServerPage *self);
/* (transfer none) */
VigilServerSection *vigil_server_page_get_section   (VigilServerPage *self,
                                                     guint            position);
VigilServerMonitor *vigil_server_page_get_monitor   (VigilServerPage *self,
                                                     guint            position);

G_END_DECLS
