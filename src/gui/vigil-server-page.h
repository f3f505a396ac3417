/* vigil-server-page.h — the main window's "Servers" view: one
 * VigilServerSection per server, each showing that server's
 * VigilServerMonitor from a VigilServerMonitors set (the application's,
 * which outlives windows). The monitors are active (the dashboard's 3 s
 * rounds) only while the page is mapped: the view stack shows it and the
 * window is shown; one watching every job on its server goes on, slower,
 * when it is not.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <adwaita.h>

#include "vigil-server-monitor.h"
#include "vigil-server-monitors.h"
#include "vigil-server-section.h"

G_BEGIN_DECLS

#define VIGIL_TYPE_SERVER_PAGE (vigil_server_page_get_type ())
G_DECLARE_FINAL_TYPE (VigilServerPage, vigil_server_page, VIGIL, SERVER_PAGE, GtkWidget)

/* A section per server of the set's trackers (followed as they change).
 * Call once. */
void                vigil_server_page_setup         (VigilServerPage     *self,
                                                     VigilServerMonitors *monitors);
/* Whether the monitors poll (the page is mapped). */
gboolean            vigil_server_page_get_active    (VigilServerPage *self);
guint               vigil_server_page_get_n_servers (VigilServerPage *self);
/* (transfer none) */
VigilServerSection *vigil_server_page_get_section   (VigilServerPage *self,
                                                     guint            position);
VigilServerMonitor *vigil_server_page_get_monitor   (VigilServerPage *self,
                                                     guint            position);

G_END_DECLS
