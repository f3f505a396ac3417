/* vigil-server-section.h — one server on the server page: its failing
 * banner, the queue, the worker (a coloured status dot, the heartbeat rule's
 * warning, the current job with Watch), the last hour's charts, "Also on
 * this server" with Watch buttons and the auto-watch switch, and the admin
 * actions (Clean Up Stale Progress…, Analyze a Whole Library…). Shows a
 * VigilServerMonitor; every word from vigil-server-text / vigil-job-text.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <adwaita.h>

#include "vigil-server-monitor.h"

G_BEGIN_DECLS

#define VIGIL_TYPE_SERVER_SECTION (vigil_server_section_get_type ())
G_DECLARE_FINAL_TYPE (VigilServerSection, vigil_server_section, VIGIL, SERVER_SECTION, GtkWidget)

/* Properties: monitor (VigilServerMonitor*, construct-only), title (char*,
 * the server's name; shown when set). */
GtkWidget          *vigil_server_section_new          (VigilServerMonitor *monitor);
VigilServerMonitor *vigil_server_section_get_monitor  (VigilServerSection *self);
void                vigil_server_section_set_title    (VigilServerSection *self,
                                                       const char         *title);
/* Opens the "Clean Up Stale Progress" confirmation (transfer none). Its
 * "cleanup" response sends the dialog's hours. */
AdwMessageDialog   *vigil_server_section_show_cleanup (VigilServerSection *self);
/* The last cleanup's answer in words (also the row's subtitle), or NULL. */
const char         *vigil_server_section_get_cleanup_result (VigilServerSection *self);

G_END_DECLS
