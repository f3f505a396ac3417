/* vigil-poller.c — smart polling of any number of jobs
 *
 * One GSource is armed at a time, for the earliest due job of a binary heap,
 * so ten thousand tracked jobs cost one timer. A job never has two requests
 * in flight, and the poller never has more than VIGIL_POLLER_MAX_IN_FLIGHT.
 *
 * This file holds the GObject, its public API, the set of tracked jobs and
 * the network monitor; vigil-poller-private.h lists the other parts.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <string.h>

#include "vigil-poller.h"
#include "vigil-poller-private.h"

enum {
  JOB_FINISHED,
  N_SIGNALS
};

static GParamSpec *properties[N_PROPS];
static guint signals[N_SIGNALS];

G_DEFINE_FINAL_TYPE (VigilPoller, vigil_poller, G_TYPE_OBJECT)

/* ------------------------------------------------------------------ */
/* Tracked jobs                                                        */
/* ------------------------------------------------------------------ */

void
vigil_poller_notify (VigilPoller         *self,
                     VigilPollerProperty  prop)
{
  g_assert (prop > PROP_0 && prop < N_PROPS);

  g_object_notify_by_pspec (G_OBJECT (self), properties[prop]);
}

void
vigil_poller_finish_entry (VigilPoller *self,
                           PollerEntry *entry)
{
  g_autoptr(PollerEntry) hold G_GNUC_UNUSED = vigil_poller_entry_ref (entry);   /* for the scope */

  vigil_poller_heap_remove (self->heap, entry);
  entry->poller = NULL;
  g_hash_table_remove (self->entries, entry->job_id);

  g_debug ("job %s finished after %" G_GUINT64_FORMAT " requests", entry->job_id, entry->requests);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_N_TRACKED]);
  g_signal_emit (self, signals[JOB_FINISHED], 0, entry->job);
}

/* ------------------------------------------------------------------ */
/* Network                                                             */
/* ------------------------------------------------------------------ */

/* The server as people name it: the host, and the port when the address
 * gives one. */
static char *
server_host_of (const char *url)
{
  g_autoptr(GUri) uri = g_uri_parse (url, G_URI_FLAGS_NONE, NULL);
  const char *host = uri ? g_uri_get_host (uri) : NULL;
  int port = uri ? g_uri_get_port (uri) : -1;
  gboolean ipv6 = host != NULL && strchr (host, ':') != NULL;

  if (host == NULL)
    return NULL;
  if (port < 0)
    return ipv6 ? g_strdup_printf ("[%s]", host) : g_strdup (host);
  return g_strdup_printf (ipv6 ? "[%s]:%d" : "%s:%d", host, port);
}

/* "localhost" (or *.localhost) or a loopback address. */
static gboolean
url_is_loopback (const char *url)
{
  g_autoptr(GUri) uri = g_uri_parse (url, G_URI_FLAGS_NONE, NULL);
  g_autoptr(GInetAddress) address = NULL;
  const char *host = uri ? g_uri_get_host (uri) : NULL;

  if (host == NULL)
    return FALSE;
  if (g_ascii_strcasecmp (host, "localhost") == 0 || g_str_has_suffix (host, ".localhost"))
    return TRUE;

  address = g_inet_address_new_from_string (host);
  return address != NULL && g_inet_address_get_is_loopback (address);
}

static void
set_all_tracking (VigilPoller        *self,
                  VigilTrackingState  state)
{
  GHashTableIter iter;
  PollerEntry *entry;

  g_hash_table_iter_init (&iter, self->entries);
  while (g_hash_table_iter_next (&iter, NULL, (gpointer *) &entry))
    vigil_job_set_tracking_state (entry->job, state);
}

static void
on_network_changed (GNetworkMonitor *monitor,
                    gboolean         available,
                    VigilPoller     *self)
{
  /* The system's monitor says "no network" without a default route, yet a
   * server on this machine answers all the same. */
  available = self->ignore_monitor || g_network_monitor_get_network_available (monitor);
  if (self->offline == !available)
    return;

  self->offline = !available;
  g_debug ("network %s", available ? "back: polling every job now" : "gone: polling paused");

  if (self->offline)
    set_all_tracking (self, VIGIL_TRACKING_STATE_OFFLINE);
  else
    {
      /* What failed before says little about the server now. */
      vigil_poller_reset_health (self);
      vigil_poller_resume_all (self);
    }

  vigil_poller_arm (self);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_OFFLINE]);
}

static void
vigil_poller_set_network_monitor (VigilPoller     *self,
                                  GNetworkMonitor *monitor)
{
  self->ignore_monitor = monitor == NULL && self->client != NULL &&
                         url_is_loopback (vigil_api_client_get_base_url (self->client));
  if (monitor == NULL)
    monitor = g_network_monitor_get_default ();

  if (self->monitor == monitor)
    return;

  g_clear_signal_handler (&self->monitor_handler, self->monitor);
  g_set_object (&self->monitor, monitor);
  self->monitor_handler = g_signal_connect (monitor, "network-changed",
                                            G_CALLBACK (on_network_changed), self);
  on_network_changed (monitor, g_network_monitor_get_network_available (monitor), self);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_NETWORK_MONITOR]);
}

/* ------------------------------------------------------------------ */
/* GObject                                                             */
/* ------------------------------------------------------------------ */

static void
vigil_poller_constructed (GObject *object)
{
  VigilPoller *self = VIGIL_POLLER (object);

  G_OBJECT_CLASS (vigil_poller_parent_class)->constructed (object);

  if (self->client != NULL)
    {
      self->server_host = server_host_of (vigil_api_client_get_base_url (self->client));
      self->token_handler = g_signal_connect_swapped (self->client, "notify::token",
                                                      G_CALLBACK (vigil_poller_credentials_changed),
                                                      self);
      self->cookie_handler = g_signal_connect_swapped (self->client, "notify::cookie",
                                                       G_CALLBACK (vigil_poller_credentials_changed),
                                                       self);
    }
  if (self->monitor == NULL)
    vigil_poller_set_network_monitor (self, NULL);
}

static void
vigil_poller_dispose (GObject *object)
{
  VigilPoller *self = VIGIL_POLLER (object);

  g_cancellable_cancel (self->cancellable);
  vigil_poller_untrack_all (self);
  if (self->timer != NULL)
    {
      g_source_destroy (self->timer);
      g_clear_pointer (&self->timer, g_source_unref);
    }
  g_clear_signal_handler (&self->monitor_handler, self->monitor);
  g_clear_object (&self->monitor);
  g_clear_signal_handler (&self->token_handler, self->client);
  g_clear_signal_handler (&self->cookie_handler, self->client);
  g_clear_object (&self->client);

  G_OBJECT_CLASS (vigil_poller_parent_class)->dispose (object);
}

static void
vigil_poller_finalize (GObject *object)
{
  VigilPoller *self = VIGIL_POLLER (object);

  g_clear_object (&self->cancellable);
  g_clear_pointer (&self->server_host, g_free);
  g_clear_pointer (&self->last_error, g_free);
  g_clear_pointer (&self->rand, g_rand_free);
  g_clear_pointer (&self->entries, g_hash_table_unref);
  g_clear_pointer (&self->heap, g_ptr_array_unref);

  G_OBJECT_CLASS (vigil_poller_parent_class)->finalize (object);
}

static void
vigil_poller_get_property (GObject    *object,
                           guint       prop_id,
                           GValue     *value,
                           GParamSpec *pspec)
{
  VigilPoller *self = VIGIL_POLLER (object);

  switch (prop_id)
    {
    case PROP_CLIENT:
      g_value_set_object (value, self->client);
      break;
    case PROP_TIME_SCALE:
      g_value_set_double (value, self->time_scale);
      break;
    case PROP_JITTER:
      g_value_set_double (value, self->jitter);
      break;
    case PROP_NETWORK_MONITOR:
      g_value_set_object (value, self->monitor);
      break;
    case PROP_N_TRACKED:
      g_value_set_uint (value, vigil_poller_get_n_tracked (self));
      break;
    case PROP_OFFLINE:
      g_value_set_boolean (value, self->offline);
      break;
    case PROP_SERVER_HEALTH:
      g_value_set_enum (value, self->health);
      break;
    case PROP_FAILING_SINCE:
      g_value_set_int64 (value, vigil_poller_get_failing_since (self));
      break;
    case PROP_RETRY_INTERVAL:
      g_value_set_uint (value, vigil_poller_get_retry_interval (self));
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
vigil_poller_set_property (GObject      *object,
                           guint         prop_id,
                           const GValue *value,
                           GParamSpec   *pspec)
{
  VigilPoller *self = VIGIL_POLLER (object);

  switch (prop_id)
    {
    case PROP_CLIENT:
      self->client = g_value_dup_object (value);
      break;
    case PROP_TIME_SCALE:
      vigil_poller_set_time_scale (self, g_value_get_double (value));
      break;
    case PROP_JITTER:
      vigil_poller_set_jitter (self, g_value_get_double (value));
      break;
    case PROP_NETWORK_MONITOR:
      vigil_poller_set_network_monitor (self, g_value_get_object (value));
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
vigil_poller_class_init (VigilPollerClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->constructed = vigil_poller_constructed;
  object_class->dispose = vigil_poller_dispose;
  object_class->finalize = vigil_poller_finalize;
  object_class->get_property = vigil_poller_get_property;
  object_class->set_property = vigil_poller_set_property;

  properties[PROP_CLIENT] =
    g_param_spec_object ("client", NULL, NULL, VIGIL_TYPE_API_CLIENT,
                         G_PARAM_READWRITE | G_PARAM_CONSTRUCT_ONLY | G_PARAM_STATIC_STRINGS);
  properties[PROP_TIME_SCALE] =
    g_param_spec_double ("time-scale", NULL, NULL, 1e-6, 1e6, 1.0,
                         G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  properties[PROP_JITTER] =
    g_param_spec_double ("jitter", NULL, NULL, 0.0, 0.5, 0.10,
                         G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  properties[PROP_NETWORK_MONITOR] =
    g_param_spec_object ("network-monitor", NULL, NULL, G_TYPE_NETWORK_MONITOR,
                         G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  properties[PROP_N_TRACKED] =
    g_param_spec_uint ("n-tracked", NULL, NULL, 0, G_MAXUINT, 0,
                       G_PARAM_READABLE | G_PARAM_STATIC_STRINGS);
  properties[PROP_OFFLINE] =
    g_param_spec_boolean ("offline", NULL, NULL, FALSE,
                          G_PARAM_READABLE | G_PARAM_STATIC_STRINGS);
  properties[PROP_SERVER_HEALTH] =
    g_param_spec_enum ("server-health", NULL, NULL, VIGIL_TYPE_SERVER_HEALTH,
                       VIGIL_SERVER_HEALTH_OK, G_PARAM_READABLE | G_PARAM_STATIC_STRINGS);
  properties[PROP_FAILING_SINCE] =
    g_param_spec_int64 ("failing-since", NULL, NULL, 0, G_MAXINT64, 0,
                        G_PARAM_READABLE | G_PARAM_STATIC_STRINGS);
  properties[PROP_RETRY_INTERVAL] =
    g_param_spec_uint ("retry-interval", NULL, NULL, 0, G_MAXUINT, 0,
                       G_PARAM_READABLE | G_PARAM_STATIC_STRINGS);
  g_object_class_install_properties (object_class, N_PROPS, properties);

  signals[JOB_FINISHED] =
    g_signal_new ("job-finished", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST,
                  0, NULL, NULL, NULL, G_TYPE_NONE, 1, VIGIL_TYPE_JOB);
}

static void
vigil_poller_init (VigilPoller *self)
{
  self->cancellable = g_cancellable_new ();
  self->rand = g_rand_new ();
  self->entries = g_hash_table_new_full (g_str_hash, g_str_equal, NULL,
                                         (GDestroyNotify) vigil_poller_entry_unref);
  self->heap = g_ptr_array_new ();
  self->settings = vigil_poll_settings_default ();
  self->background = vigil_poll_settings_background ();
  self->time_scale = 1.0;
  self->jitter = 0.10;
  self->probe_retry_after_ms = -1;
}

/* ------------------------------------------------------------------ */
/* Public API                                                          */
/* ------------------------------------------------------------------ */

VigilPoller *
vigil_poller_new (VigilApiClient *client)
{
  g_return_val_if_fail (VIGIL_IS_API_CLIENT (client), NULL);

  return g_object_new (VIGIL_TYPE_POLLER, "client", client, NULL);
}

void
vigil_poller_set_settings (VigilPoller             *self,
                           const VigilPollSettings *settings)
{
  g_return_if_fail (VIGIL_IS_POLLER (self));
  g_return_if_fail (settings != NULL);

  self->settings = *settings;
  /* Background jobs keep their own gentler preset, never faster than these. */
  self->background = vigil_poll_settings_background ();
  self->background.initial_ms = MAX (self->background.initial_ms, settings->initial_ms);
  self->background.max_ms = MAX (self->background.max_ms, settings->max_ms);
}

void
vigil_poller_get_settings (VigilPoller       *self,
                           VigilPollSettings *settings)
{
  g_return_if_fail (VIGIL_IS_POLLER (self));
  g_return_if_fail (settings != NULL);

  *settings = self->settings;
}

void
vigil_poller_set_time_scale (VigilPoller *self,
                             double       time_scale)
{
  g_return_if_fail (VIGIL_IS_POLLER (self));
  g_return_if_fail (time_scale > 0);

  if (self->time_scale == time_scale)
    return;

  self->time_scale = time_scale;
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_TIME_SCALE]);
}

double
vigil_poller_get_time_scale (VigilPoller *self)
{
  g_return_val_if_fail (VIGIL_IS_POLLER (self), 1.0);

  return self->time_scale;
}

void
vigil_poller_set_jitter (VigilPoller *self,
                         double       jitter)
{
  g_return_if_fail (VIGIL_IS_POLLER (self));

  if (self->jitter == jitter)
    return;

  self->jitter = jitter;
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_JITTER]);
}

void
vigil_poller_track (VigilPoller *self,
                    VigilJob    *job)
{
  PollerEntry *entry;

  g_return_if_fail (VIGIL_IS_POLLER (self));
  g_return_if_fail (VIGIL_IS_JOB (job));

  if (g_hash_table_contains (self->entries, vigil_job_get_job_id (job)) ||
      vigil_job_get_is_finished (job))
    return;

  entry = vigil_poller_entry_new (self, job);
  g_hash_table_insert (self->entries, entry->job_id, entry);

  vigil_job_set_server_host (job, self->server_host);
  vigil_job_set_tracking_state (job, self->offline ? VIGIL_TRACKING_STATE_OFFLINE
                                                   : VIGIL_TRACKING_STATE_ACTIVE);
  /* It waits for the probe like every other job. */
  if (self->health != VIGIL_SERVER_HEALTH_OK)
    vigil_poller_apply_server_trouble (self, entry);
  vigil_poller_schedule_now (self, entry);
  vigil_poller_arm (self);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_N_TRACKED]);
}

static void
untrack_entry (VigilPoller *self,
               PollerEntry *entry)
{
  vigil_poller_heap_remove (self->heap, entry);
  /* Its answer will find entry->poller NULL and be ignored. A batch
   * request holds its slot until it answers. */
  if (entry->in_flight && !entry->in_batch)
    self->n_in_flight--;
  /* Its probe will never report: the next one goes out when due. */
  if (entry->probe)
    self->probing = FALSE;
  entry->probe = FALSE;
  entry->in_flight = FALSE;
  entry->poller = NULL;
  vigil_job_set_tracking_state (entry->job, VIGIL_TRACKING_STATE_STOPPED);
}

void
vigil_poller_untrack (VigilPoller *self,
                      VigilJob    *job)
{
  PollerEntry *entry;

  g_return_if_fail (VIGIL_IS_POLLER (self));
  g_return_if_fail (VIGIL_IS_JOB (job));

  entry = g_hash_table_lookup (self->entries, vigil_job_get_job_id (job));
  if (entry == NULL)
    return;

  untrack_entry (self, entry);
  g_hash_table_remove (self->entries, vigil_job_get_job_id (job));
  if (g_hash_table_size (self->entries) == 0)
    vigil_poller_reset_health (self);
  vigil_poller_arm (self);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_N_TRACKED]);
}

void
vigil_poller_untrack_all (VigilPoller *self)
{
  GHashTableIter iter;
  PollerEntry *entry;

  g_return_if_fail (VIGIL_IS_POLLER (self));

  if (g_hash_table_size (self->entries) == 0)
    return;

  g_hash_table_iter_init (&iter, self->entries);
  while (g_hash_table_iter_next (&iter, NULL, (gpointer *) &entry))
    {
      untrack_entry (self, entry);
      g_hash_table_iter_remove (&iter);
    }

  vigil_poller_reset_health (self);
  vigil_poller_arm (self);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_N_TRACKED]);
}

void
vigil_poller_poll_now (VigilPoller *self,
                       VigilJob    *job)
{
  PollerEntry *entry;

  g_return_if_fail (VIGIL_IS_POLLER (self));
  g_return_if_fail (VIGIL_IS_JOB (job));

  entry = g_hash_table_lookup (self->entries, vigil_job_get_job_id (job));
  if (entry == NULL || entry->in_flight)
    return;

  entry->errors = 0;
  vigil_poller_schedule_now (self, entry);
  /* While the server is not OK, this asks it now: one probe. */
  if (self->health != VIGIL_SERVER_HEALTH_OK)
    self->probe_due_us = g_get_monotonic_time ();
  vigil_poller_arm (self);
}

void
vigil_poller_credentials_changed (VigilPoller *self)
{
  g_return_if_fail (VIGIL_IS_POLLER (self));

  if (self->health != VIGIL_SERVER_HEALTH_NOT_SIGNED_IN)
    return;

  g_debug ("credentials changed: asking server %s now", self->server_host);
  self->failed_probes = 0;
  self->probe_due_us = g_get_monotonic_time ();
  /* A probe already out carries the old ones: ask again when it is back. */
  self->recheck = self->probing;
  vigil_poller_arm (self);
}

/* The server as people name it, host[:port] (as jobs' server-host). */
const char *
vigil_poller_get_server_host (VigilPoller *self)
{
  g_return_val_if_fail (VIGIL_IS_POLLER (self), NULL);

  return self->server_host;
}

VigilServerHealth
vigil_poller_get_server_health (VigilPoller *self)
{
  g_return_val_if_fail (VIGIL_IS_POLLER (self), VIGIL_SERVER_HEALTH_OK);

  return self->health;
}

gint64
vigil_poller_get_failing_since (VigilPoller *self)
{
  g_return_val_if_fail (VIGIL_IS_POLLER (self), 0);

  return self->health != VIGIL_SERVER_HEALTH_OK ? self->failing_since : 0;
}

guint
vigil_poller_get_retry_interval (VigilPoller *self)
{
  g_return_val_if_fail (VIGIL_IS_POLLER (self), 0);

  return self->health != VIGIL_SERVER_HEALTH_OK ? self->probe_delay_ms : 0;
}

gboolean
vigil_poller_is_tracking (VigilPoller *self,
                          VigilJob    *job)
{
  g_return_val_if_fail (VIGIL_IS_POLLER (self), FALSE);
  g_return_val_if_fail (VIGIL_IS_JOB (job), FALSE);

  return g_hash_table_contains (self->entries, vigil_job_get_job_id (job));
}

guint
vigil_poller_get_n_tracked (VigilPoller *self)
{
  g_return_val_if_fail (VIGIL_IS_POLLER (self), 0);

  return g_hash_table_size (self->entries);
}

gboolean
vigil_poller_get_offline (VigilPoller *self)
{
  g_return_val_if_fail (VIGIL_IS_POLLER (self), FALSE);

  return self->offline;
}

gboolean
vigil_poller_get_info (VigilPoller   *self,
                       VigilJob      *job,
                       VigilPollInfo *info)
{
  PollerEntry *entry;
  gint64 now = g_get_monotonic_time ();

  g_return_val_if_fail (VIGIL_IS_POLLER (self), FALSE);
  g_return_val_if_fail (VIGIL_IS_JOB (job), FALSE);
  g_return_val_if_fail (info != NULL, FALSE);

  entry = g_hash_table_lookup (self->entries, vigil_job_get_job_id (job));
  if (entry == NULL)
    return FALSE;

  info->delay_ms = entry->delay_ms;
  info->reason = entry->reason;
  info->errors = entry->errors;
  info->tracked_for_s = (now - entry->tracked_since_us) / 1e6 / self->time_scale;
  info->next_poll_in_s = entry->heap_index == G_MAXUINT ? 0
                         : MAX (0, entry->due_us - now) / 1e6 / self->time_scale;
  info->requests = entry->requests;
  info->in_flight = entry->in_flight;
  return TRUE;
}

guint64
vigil_poller_get_total_requests (VigilPoller *self)
{
  g_return_val_if_fail (VIGIL_IS_POLLER (self), 0);

  return self->total_requests;
}

double
vigil_poller_get_average_delay (VigilPoller *self)
{
  g_return_val_if_fail (VIGIL_IS_POLLER (self), 0);

  return self->n_delays > 0 ? self->sum_delays / self->n_delays : 0;
}

guint
vigil_poller_get_n_timers (VigilPoller *self)
{
  g_return_val_if_fail (VIGIL_IS_POLLER (self), 0);

  return self->timer != NULL && g_source_get_ready_time (self->timer) >= 0 ? 1 : 0;
}

guint
vigil_poller_get_n_in_flight (VigilPoller *self)
{
  g_return_val_if_fail (VIGIL_IS_POLLER (self), 0);

  return self->n_in_flight;
}
