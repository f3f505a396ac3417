/* vigilctl-monitor.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include "vigilctl-monitor.h"

struct _VigilctlLoopbackMonitor
{
  GObject parent_instance;
};

enum {
  PROP_0,
  PROP_NETWORK_AVAILABLE,
  PROP_NETWORK_METERED,
  PROP_CONNECTIVITY,
};

static void vigilctl_loopback_monitor_initable_init (GInitableIface *iface);
static void vigilctl_loopback_monitor_iface_init (GNetworkMonitorInterface *iface);

G_DEFINE_FINAL_TYPE_WITH_CODE (VigilctlLoopbackMonitor, vigilctl_loopback_monitor, G_TYPE_OBJECT,
                               G_IMPLEMENT_INTERFACE (G_TYPE_INITABLE,
                                                      vigilctl_loopback_monitor_initable_init)
                               G_IMPLEMENT_INTERFACE (G_TYPE_NETWORK_MONITOR,
                                                      vigilctl_loopback_monitor_iface_init))

/* ------------------------------------------------------------------ */
/* Interfaces                                                          */
/* ------------------------------------------------------------------ */

static gboolean
vigilctl_loopback_monitor_init_fn (GInitable     *initable,
                                   GCancellable  *cancellable,
                                   GError       **error)
{
  return TRUE;
}

static void
vigilctl_loopback_monitor_initable_init (GInitableIface *iface)
{
  iface->init = vigilctl_loopback_monitor_init_fn;
}

static void
vigilctl_loopback_monitor_iface_init (GNetworkMonitorInterface *iface)
{
}

/* ------------------------------------------------------------------ */
/* GObject                                                             */
/* ------------------------------------------------------------------ */

static void
vigilctl_loopback_monitor_get_property (GObject    *object,
                                        guint       prop_id,
                                        GValue     *value,
                                        GParamSpec *pspec)
{
  switch (prop_id)
    {
    case PROP_NETWORK_AVAILABLE:
      g_value_set_boolean (value, TRUE);
      break;
    case PROP_NETWORK_METERED:
      g_value_set_boolean (value, FALSE);
      break;
    case PROP_CONNECTIVITY:
      g_value_set_enum (value, G_NETWORK_CONNECTIVITY_FULL);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
vigilctl_loopback_monitor_class_init (VigilctlLoopbackMonitorClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->get_property = vigilctl_loopback_monitor_get_property;
  g_object_class_override_property (object_class, PROP_NETWORK_AVAILABLE, "network-available");
  g_object_class_override_property (object_class, PROP_NETWORK_METERED, "network-metered");
  g_object_class_override_property (object_class, PROP_CONNECTIVITY, "connectivity");
}

static void
vigilctl_loopback_monitor_init (VigilctlLoopbackMonitor *self)
{
}

/* ------------------------------------------------------------------ */
/* Public API                                                          */
/* ------------------------------------------------------------------ */

GNetworkMonitor *
vigilctl_loopback_monitor_new (void)
{
  return g_initable_new (VIGILCTL_TYPE_LOOPBACK_MONITOR, NULL, NULL, NULL);
}

gboolean
vigilctl_url_is_loopback (const char *url)
{
  g_autoptr(GUri) uri = NULL;
  g_autoptr(GInetAddress) address = NULL;
  const char *host;

  g_return_val_if_fail (url != NULL, FALSE);

  uri = g_uri_parse (url, G_URI_FLAGS_NONE, NULL);
  if (uri == NULL || (host = g_uri_get_host (uri)) == NULL)
    return FALSE;

  if (g_ascii_strcasecmp (host, "localhost") == 0 ||
      g_str_has_suffix (host, ".localhost"))
    return TRUE;

  address = g_inet_address_new_from_string (host);
  return address != NULL && g_inet_address_get_is_loopback (address);
}
