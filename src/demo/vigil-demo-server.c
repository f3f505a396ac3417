/* vigil-demo-server.c — the reference server: the API contract served by a
 * SoupServer over a simulated, event-driven pool of workers. This part is
 * the GObject (properties, signals, public API) and listening; the others
 * are listed in vigil-demo-server-private.h.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <string.h>
#include <glib/gi18n-lib.h>

#include "vigil-demo-server-private.h"

enum {
  PROP_0,
  PROP_WORKERS,
  PROP_SPEED,
  PROP_SONG_SECONDS,
  PROP_SEED,
  PROP_REQUIRE_TOKEN,
  PROP_ADMIN_TOKEN,
  PROP_SIGNIN_REDIRECT,
  PROP_ERROR_RATE,
  PROP_LATENCY_MS,
  PROP_FAILURE_RATE,
  PROP_PRODUCTION_STEPS,
  PROP_OLD_SHAPE,
  PROP_NO_METADATA,
  PROP_BATCH_ROUTE,
  PROP_BATCH_EMPTY,
  PROP_PRODUCTION_QUIRKS,
  PROP_WEB_PROCESSES,
  PROP_SIGNIN_PASSWORD,
  N_PROPS
};

enum {
  JOB_STARTED,
  JOB_FINISHED,
  N_SIGNALS
};

static GParamSpec *properties[N_PROPS];
static guint signals[N_SIGNALS];

G_DEFINE_FINAL_TYPE (VigilDemoServer, vigil_demo_server, G_TYPE_OBJECT)

G_DEFINE_QUARK (vigil-demo-server-error-quark, vigil_demo_server_error)

/* ------------------------------------------------------------------ */
/* Signals                                                             */
/* ------------------------------------------------------------------ */

void
vigil_demo_server_emit_event (VigilDemoServer *self,
                              const DemoEvent *event)
{
  if (event->kind == DEMO_EVENT_JOB_STARTED)
    g_signal_emit (self, signals[JOB_STARTED], 0, event->job_id);
  else
    g_signal_emit (self, signals[JOB_FINISHED], 0, event->job_id, (int) event->status);
}

/* ------------------------------------------------------------------ */
/* Listening                                                           */
/* ------------------------------------------------------------------ */

static GInetAddress *
loopback_address (const char  *host,
                  GError     **error)
{
  g_autoptr(GInetAddress) address = NULL;

  if (host == NULL || g_ascii_strcasecmp (host, "localhost") == 0)
    host = "127.0.0.1";

  address = g_inet_address_new_from_string (host);
  if (address == NULL)
    {
      g_set_error (error, VIGIL_DEMO_SERVER_ERROR, VIGIL_DEMO_SERVER_ERROR_INVALID_HOST,
                   _("“%s” is not an IP address; use 127.0.0.1, ::1 or localhost"), host);
      return NULL;
    }

  if (!g_inet_address_get_is_loopback (address))
    {
      g_set_error (error, VIGIL_DEMO_SERVER_ERROR, VIGIL_DEMO_SERVER_ERROR_NOT_LOOPBACK,
                   _("Refusing to listen on %s: the demo server only listens on loopback "
                     "addresses (127.0.0.1, ::1, localhost)"), host);
      return NULL;
    }

  return g_steal_pointer (&address);
}

/* From the socket itself: soup_server_get_uris() leaks an address in libsoup 3.2 */
static guint
listening_port (SoupServer *server)
{
  g_autoptr(GSList) listeners = soup_server_get_listeners (server);
  g_autoptr(GSocketAddress) address = NULL;

  if (listeners == NULL)
    return 0;

  address = g_socket_get_local_address (listeners->data, NULL);
  if (address == NULL || !G_IS_INET_SOCKET_ADDRESS (address))
    return 0;

  return g_inet_socket_address_get_port (G_INET_SOCKET_ADDRESS (address));
}

/* ------------------------------------------------------------------ */
/* Properties                                                          */
/* ------------------------------------------------------------------ */

static void
update_boolean (VigilDemoServer *self,
                gboolean        *field,
                gboolean         value,
                GParamSpec      *pspec)
{
  value = !!value;
  if (*field == value)
    return;

  *field = value;
  g_object_notify_by_pspec (G_OBJECT (self), pspec);
}

static void
update_double (VigilDemoServer *self,
               double          *field,
               double           value,
               GParamSpec      *pspec)
{
  if (*field == value)
    return;

  *field = value;
  g_object_notify_by_pspec (G_OBJECT (self), pspec);
}

static void
update_uint (VigilDemoServer *self,
             guint           *field,
             guint            value,
             GParamSpec      *pspec)
{
  if (*field == value)
    return;

  *field = value;
  g_object_notify_by_pspec (G_OBJECT (self), pspec);
}

/* An empty token is no token */
static void
update_string (VigilDemoServer *self,
               char           **field,
               const char      *value,
               GParamSpec      *pspec)
{
  if (value != NULL && value[0] == '\0')
    value = NULL;
  if (g_strcmp0 (*field, value) == 0)
    return;

  g_free (*field);
  *field = g_strdup (value);
  g_object_notify_by_pspec (G_OBJECT (self), pspec);
}

static void
reseed (VigilDemoServer *self)
{
  guint32 words[3] = { (guint32) self->seed, (guint32) (self->seed >> 32), 0x5eed };

  if (self->seed == 0)
    {
      words[0] = g_random_int ();
      words[1] = g_random_int ();
    }

  g_rand_set_seed_array (self->sim_rand, words, 2);
  g_rand_set_seed_array (self->fault_rand, words, 3);
}

static void
set_seed (VigilDemoServer *self,
          guint64          seed)
{
  if (self->seed == seed)
    return;

  self->seed = seed;
  reseed (self);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_SEED]);
}

static void
set_speed (VigilDemoServer *self,
           double           speed)
{
  if (self->speed == speed)
    return;

  vigil_demo_sim_set_speed (self, speed);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_SPEED]);
}

static void
set_workers (VigilDemoServer *self,
             guint            workers)
{
  if (self->workers == workers)
    return;

  vigil_demo_sim_set_workers (self, workers);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_WORKERS]);
}

/* ------------------------------------------------------------------ */
/* GObject                                                             */
/* ------------------------------------------------------------------ */

static void
vigil_demo_server_get_property (GObject    *object,
                                guint       prop_id,
                                GValue     *value,
                                GParamSpec *pspec)
{
  VigilDemoServer *self = VIGIL_DEMO_SERVER (object);

  switch (prop_id)
    {
    case PROP_WORKERS:
      g_value_set_uint (value, self->workers);
      break;
    case PROP_SPEED:
      g_value_set_double (value, self->speed);
      break;
    case PROP_SONG_SECONDS:
      g_value_set_double (value, self->song_seconds);
      break;
    case PROP_SEED:
      g_value_set_uint64 (value, self->seed);
      break;
    case PROP_REQUIRE_TOKEN:
      g_value_set_string (value, self->require_token);
      break;
    case PROP_ADMIN_TOKEN:
      g_value_set_string (value, self->admin_token);
      break;
    case PROP_SIGNIN_REDIRECT:
      g_value_set_boolean (value, self->signin_redirect);
      break;
    case PROP_ERROR_RATE:
      g_value_set_double (value, self->error_rate);
      break;
    case PROP_LATENCY_MS:
      g_value_set_uint (value, self->latency_ms);
      break;
    case PROP_FAILURE_RATE:
      g_value_set_double (value, self->failure_rate);
      break;
    case PROP_PRODUCTION_STEPS:
      g_value_set_boolean (value, self->production_steps);
      break;
    case PROP_OLD_SHAPE:
      g_value_set_boolean (value, self->old_shape);
      break;
    case PROP_NO_METADATA:
      g_value_set_boolean (value, self->no_metadata);
      break;
    case PROP_BATCH_ROUTE:
      g_value_set_boolean (value, self->batch_route);
      break;
    case PROP_BATCH_EMPTY:
      g_value_set_boolean (value, self->batch_empty);
      break;
    case PROP_PRODUCTION_QUIRKS:
      g_value_set_boolean (value, self->production_quirks);
      break;
    case PROP_WEB_PROCESSES:
      g_value_set_uint (value, self->web_processes);
      break;
    case PROP_SIGNIN_PASSWORD:
      g_value_set_string (value, self->signin_password);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
vigil_demo_server_set_property (GObject      *object,
                                guint         prop_id,
                                const GValue *value,
                                GParamSpec   *pspec)
{
  VigilDemoServer *self = VIGIL_DEMO_SERVER (object);

  switch (prop_id)
    {
    case PROP_WORKERS:
      set_workers (self, g_value_get_uint (value));
      break;
    case PROP_SPEED:
      set_speed (self, g_value_get_double (value));
      break;
    case PROP_SONG_SECONDS:
      update_double (self, &self->song_seconds, g_value_get_double (value), pspec);
      break;
    case PROP_SEED:
      set_seed (self, g_value_get_uint64 (value));
      break;
    case PROP_REQUIRE_TOKEN:
      update_string (self, &self->require_token, g_value_get_string (value), pspec);
      break;
    case PROP_ADMIN_TOKEN:
      update_string (self, &self->admin_token, g_value_get_string (value), pspec);
      break;
    case PROP_SIGNIN_REDIRECT:
      update_boolean (self, &self->signin_redirect, g_value_get_boolean (value), pspec);
      break;
    case PROP_ERROR_RATE:
      update_double (self, &self->error_rate, g_value_get_double (value), pspec);
      break;
    case PROP_LATENCY_MS:
      update_uint (self, &self->latency_ms, g_value_get_uint (value), pspec);
      break;
    case PROP_FAILURE_RATE:
      update_double (self, &self->failure_rate, g_value_get_double (value), pspec);
      break;
    case PROP_PRODUCTION_STEPS:
      update_boolean (self, &self->production_steps, g_value_get_boolean (value), pspec);
      break;
    case PROP_OLD_SHAPE:
      update_boolean (self, &self->old_shape, g_value_get_boolean (value), pspec);
      break;
    case PROP_NO_METADATA:
      update_boolean (self, &self->no_metadata, g_value_get_boolean (value), pspec);
      break;
    case PROP_BATCH_ROUTE:
      update_boolean (self, &self->batch_route, g_value_get_boolean (value), pspec);
      break;
    case PROP_BATCH_EMPTY:
      update_boolean (self, &self->batch_empty, g_value_get_boolean (value), pspec);
      break;
    case PROP_PRODUCTION_QUIRKS:
      update_boolean (self, &self->production_quirks, g_value_get_boolean (value), pspec);
      break;
    case PROP_WEB_PROCESSES:
      update_uint (self, &self->web_processes, g_value_get_uint (value), pspec);
      break;
    case PROP_SIGNIN_PASSWORD:
      update_string (self, &self->signin_password, g_value_get_string (value), pspec);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
vigil_demo_server_dispose (GObject *object)
{
  VigilDemoServer *self = VIGIL_DEMO_SERVER (object);

  g_clear_handle_id (&self->timer_id, g_source_remove);
  if (self->delayed != NULL)
    g_ptr_array_set_size (self->delayed, 0);

  if (self->server != NULL)
    {
      soup_server_disconnect (self->server);
      g_clear_object (&self->server);
    }

  G_OBJECT_CLASS (vigil_demo_server_parent_class)->dispose (object);
}

static void
vigil_demo_server_finalize (GObject *object)
{
  VigilDemoServer *self = VIGIL_DEMO_SERVER (object);

  g_clear_pointer (&self->delayed, g_ptr_array_unref);
  g_clear_pointer (&self->events, g_array_unref);
  g_clear_pointer (&self->pending, g_ptr_array_unref);
  g_clear_pointer (&self->running, g_ptr_array_unref);
  g_clear_pointer (&self->jobs_by_id, g_hash_table_unref);
  g_clear_pointer (&self->jobs, g_ptr_array_unref);
  g_clear_pointer (&self->pattern_counts, g_hash_table_unref);
  g_clear_pointer (&self->job_counts, g_hash_table_unref);
  g_clear_pointer (&self->sim_rand, g_rand_free);
  g_clear_pointer (&self->fault_rand, g_rand_free);
  g_clear_pointer (&self->analyzed, g_free);
  g_clear_pointer (&self->host, g_free);
  g_clear_pointer (&self->require_token, g_free);
  g_clear_pointer (&self->admin_token, g_free);
  g_clear_pointer (&self->signin_password, g_free);

  G_OBJECT_CLASS (vigil_demo_server_parent_class)->finalize (object);
}

static void
install_properties (GObjectClass *object_class)
{
  GParamFlags flags = G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS;

  properties[PROP_WORKERS] = g_param_spec_uint ("workers", NULL, NULL, 0, 10000, 1, flags);
  properties[PROP_SPEED] = g_param_spec_double ("speed", NULL, NULL, 1e-3, 1e6, 1.0, flags);
  properties[PROP_SONG_SECONDS] =
    g_param_spec_double ("song-seconds", NULL, NULL, 1e-3, 1e6, 20.0, flags);
  properties[PROP_SEED] = g_param_spec_uint64 ("seed", NULL, NULL, 0, G_MAXUINT64, 0, flags);
  properties[PROP_REQUIRE_TOKEN] = g_param_spec_string ("require-token", NULL, NULL, NULL, flags);
  properties[PROP_ADMIN_TOKEN] = g_param_spec_string ("admin-token", NULL, NULL, NULL, flags);
  properties[PROP_SIGNIN_REDIRECT] =
    g_param_spec_boolean ("signin-redirect", NULL, NULL, FALSE, flags);
  properties[PROP_ERROR_RATE] = g_param_spec_double ("error-rate", NULL, NULL, 0, 1, 0, flags);
  properties[PROP_LATENCY_MS] = g_param_spec_uint ("latency-ms", NULL, NULL, 0, 600000, 0, flags);
  properties[PROP_FAILURE_RATE] = g_param_spec_double ("failure-rate", NULL, NULL, 0, 1, 0, flags);
  properties[PROP_PRODUCTION_STEPS] =
    g_param_spec_boolean ("production-steps", NULL, NULL, FALSE, flags);
  properties[PROP_OLD_SHAPE] = g_param_spec_boolean ("old-shape", NULL, NULL, FALSE, flags);
  properties[PROP_NO_METADATA] = g_param_spec_boolean ("no-metadata", NULL, NULL, FALSE, flags);
  properties[PROP_BATCH_ROUTE] = g_param_spec_boolean ("batch-route", NULL, NULL, TRUE, flags);
  properties[PROP_BATCH_EMPTY] = g_param_spec_boolean ("batch-empty", NULL, NULL, FALSE, flags);
  properties[PROP_PRODUCTION_QUIRKS] =
    g_param_spec_boolean ("production-quirks", NULL, NULL, FALSE, flags);
  properties[PROP_WEB_PROCESSES] =
    g_param_spec_uint ("web-processes", NULL, NULL, 1, 64, 1, flags);
  properties[PROP_SIGNIN_PASSWORD] =
    g_param_spec_string ("signin-password", NULL, NULL, "vigil", flags);

  g_object_class_install_properties (object_class, N_PROPS, properties);
}

static void
vigil_demo_server_class_init (VigilDemoServerClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->get_property = vigil_demo_server_get_property;
  object_class->set_property = vigil_demo_server_set_property;
  object_class->dispose = vigil_demo_server_dispose;
  object_class->finalize = vigil_demo_server_finalize;

  install_properties (object_class);

  signals[JOB_STARTED] =
    g_signal_new ("job-started", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST,
                  0, NULL, NULL, NULL, G_TYPE_NONE, 1, G_TYPE_STRING);
  signals[JOB_FINISHED] =
    g_signal_new ("job-finished", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST,
                  0, NULL, NULL, NULL, G_TYPE_NONE, 2, G_TYPE_STRING, G_TYPE_INT);
}

static void
vigil_demo_server_init (VigilDemoServer *self)
{
  self->workers = 1;
  self->speed = 1.0;
  self->song_seconds = 20.0;
  self->batch_route = TRUE;
  self->web_processes = 1;
  self->signin_password = g_strdup ("vigil");
  self->anchor_mono = g_get_monotonic_time ();

  self->jobs = g_ptr_array_new_with_free_func ((GDestroyNotify) vigil_demo_job_free);
  self->jobs_by_id = g_hash_table_new (g_str_hash, g_str_equal);
  self->pending = g_ptr_array_new ();
  self->running = g_ptr_array_new ();
  self->events = vigil_demo_sim_new_event_array ();
  self->pattern_counts = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_free);
  self->job_counts = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_free);
  self->sim_rand = g_rand_new ();
  self->fault_rand = g_rand_new ();
  reseed (self);
  self->analyzed = vigil_demo_catalog_new_analyzed ();

  self->server = soup_server_new ("server-header", "vigil-demo-server/" PACKAGE_VERSION " ", NULL);
  vigil_demo_requests_init (self);
}

/* ------------------------------------------------------------------ */
/* Public API                                                          */
/* ------------------------------------------------------------------ */

VigilDemoServer *
vigil_demo_server_new (void)
{
  return g_object_new (VIGIL_TYPE_DEMO_SERVER, NULL);
}

gboolean
vigil_demo_server_listen (VigilDemoServer  *self,
                          const char       *host,
                          guint             port,
                          GError          **error)
{
  g_autoptr(GInetAddress) address = NULL;
  g_autoptr(GSocketAddress) socket_address = NULL;

  g_return_val_if_fail (VIGIL_IS_DEMO_SERVER (self), FALSE);
  g_return_val_if_fail (port <= G_MAXUINT16, FALSE);
  g_return_val_if_fail (error == NULL || *error == NULL, FALSE);

  if (self->host != NULL)
    {
      g_set_error (error, VIGIL_DEMO_SERVER_ERROR, VIGIL_DEMO_SERVER_ERROR_ALREADY_LISTENING,
                   _("The demo server is already listening on port %u"), self->port);
      return FALSE;
    }

  address = loopback_address (host, error);
  if (address == NULL)
    return FALSE;

  socket_address = g_inet_socket_address_new (address, (guint16) port);
  if (!soup_server_listen (self->server, socket_address, 0, error))
    return FALSE;

  self->port = listening_port (self->server);
  self->host = g_inet_address_to_string (address);
  g_debug ("Demo server listening on %s port %u", self->host, self->port);

  return TRUE;
}

void
vigil_demo_server_disconnect (VigilDemoServer *self)
{
  g_return_if_fail (VIGIL_IS_DEMO_SERVER (self));

  g_ptr_array_set_size (self->delayed, 0);
  soup_server_disconnect (self->server);
  g_clear_pointer (&self->host, g_free);
  self->port = 0;
}

guint
vigil_demo_server_get_port (VigilDemoServer *self)
{
  g_return_val_if_fail (VIGIL_IS_DEMO_SERVER (self), 0);

  return self->port;
}

char *
vigil_demo_server_get_url (VigilDemoServer *self)
{
  g_return_val_if_fail (VIGIL_IS_DEMO_SERVER (self), NULL);

  if (self->host == NULL)
    return NULL;
  if (strchr (self->host, ':') != NULL)
    return g_strdup_printf ("http://[%s]:%u", self->host, self->port);

  return g_strdup_printf ("http://%s:%u", self->host, self->port);
}

char *
vigil_demo_server_add_job (VigilDemoServer *self,
                           VigilJobKind     kind,
                           gint64           target_id,
                           guint            n_items,
                           double           item_seconds,
                           double           phase)
{
  g_autoptr(GArray) natural = NULL;
  g_autoptr(GArray) songs = NULL;
  DemoJob *job;

  g_return_val_if_fail (VIGIL_IS_DEMO_SERVER (self), NULL);
  g_return_val_if_fail (kind == VIGIL_JOB_KIND_SONG ||
                        kind == VIGIL_JOB_KIND_PLAYLIST ||
                        kind == VIGIL_JOB_KIND_BACKGROUND, NULL);

  natural = vigil_demo_catalog_target_songs (kind, target_id);
  songs = vigil_demo_catalog_cycle_songs (natural, n_items);

  job = vigil_demo_sim_enqueue (self, kind, target_id, songs, item_seconds, phase);

  return g_strdup (job->id);
}

double
vigil_demo_server_get_virtual_time (VigilDemoServer *self)
{
  g_return_val_if_fail (VIGIL_IS_DEMO_SERVER (self), 0);

  return vigil_demo_sim_now (self);
}

double
vigil_demo_server_get_finish_time (VigilDemoServer *self,
                                   const char      *job_id)
{
  DemoJob *job;

  g_return_val_if_fail (VIGIL_IS_DEMO_SERVER (self), -1);
  g_return_val_if_fail (job_id != NULL, -1);

  vigil_demo_sim_advance (self);
  job = vigil_demo_sim_lookup (self, job_id);

  return job != NULL ? job->finish_vt : -1;
}

static guint64
counter_value (GHashTable *counters,
               const char *key)
{
  guint64 *count = g_hash_table_lookup (counters, key);

  return count != NULL ? *count : 0;
}

guint64
vigil_demo_server_get_request_count (VigilDemoServer *self,
                                     const char      *pattern)
{
  g_return_val_if_fail (VIGIL_IS_DEMO_SERVER (self), 0);
  g_return_val_if_fail (pattern != NULL, 0);

  return counter_value (self->pattern_counts, pattern);
}

guint64
vigil_demo_server_get_total_requests (VigilDemoServer *self)
{
  g_return_val_if_fail (VIGIL_IS_DEMO_SERVER (self), 0);

  return self->total_requests;
}

guint64
vigil_demo_server_get_response_bytes (VigilDemoServer *self)
{
  g_return_val_if_fail (VIGIL_IS_DEMO_SERVER (self), 0);

  return self->response_bytes;
}

guint64
vigil_demo_server_get_job_request_count (VigilDemoServer *self,
                                         const char      *job_id)
{
  g_return_val_if_fail (VIGIL_IS_DEMO_SERVER (self), 0);
  g_return_val_if_fail (job_id != NULL, 0);

  return counter_value (self->job_counts, job_id);
}

void
vigil_demo_server_reset_stats (VigilDemoServer *self)
{
  g_return_if_fail (VIGIL_IS_DEMO_SERVER (self));

  g_hash_table_remove_all (self->pattern_counts);
  g_hash_table_remove_all (self->job_counts);
  self->total_requests = 0;
  self->response_bytes = 0;
}
