/* vigilctl-monitor.h — the network as seen by a server on this machine
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <gio/gio.h>

G_BEGIN_DECLS

#define VIGILCTL_TYPE_LOOPBACK_MONITOR (vigilctl_loopback_monitor_get_type ())
G_DECLARE_FINAL_TYPE (VigilctlLoopbackMonitor, vigilctl_loopback_monitor,
                      VIGILCTL, LOOPBACK_MONITOR, GObject)

/* A GNetworkMonitor that is always available: a server on a loopback
 * address answers whatever the network does, so the poller must not pause
 * for it when the machine has no network (no default route). */
GNetworkMonitor *vigilctl_loopback_monitor_new (void);

/* TRUE when url's host is "localhost" (or *.localhost) or a loopback
 * address. */
gboolean         vigilctl_url_is_loopback      (const char *url);

G_END_DECLS
