/* bench-pollers.c — Vigil's poller and three emulated ones, behind one
 * interface
 *
 * The emulations are deliberately plain: one loop per job, one request at a
 * time. Every loop has a connection of its own, like a page per job, or
 * (figure 2, one page for all) they share a browser's six connections.
 *
 * browser   the service's own web poller, app/static/js/progress-polling.js
 *           (its repository at commit a77267a), rule for rule:
 *           - GET /api/progress/<id>; the next poll is set up when the
 *             answer is in, `interval` later (so a round trip adds to it);
 *           - an answer is an error unless it is 2xx, JSON, and its
 *             "success" is truthy; an error counts (errorCount++), calls the
 *             page's onError, which prints "Analysis failed. Please try
 *             again." (the page's first word, from the first error on), and
 *             the third in a row stops the poller (its final word: gave up);
 *             otherwise interval = min(interval × 2, 5000 ms);
 *           - a success resets errorCount; the job is complete when
 *             progress.progress >= 1.0, current_step === "complete", or
 *             status is "completed", "failed" or "cancelled" (exactly so
 *             spelled); else interval = 1000 ms while
 *             `elapsedSeconds < 10 || progressPercent < 0.1`, 2000 ms below
 *             0.9, else 3000 ms, where elapsedSeconds counts from when
 *             polling started (a queue wait counts) and progressPercent is
 *             `progress.progress || 0` (a record without "progress", as
 *             production servers send, reads as 0).
 *           Round trips take BENCH_ROUND_TRIP_S (150 ms) whatever loopback
 *           takes, as in the reference measurement below.
 *           So a queued job is polled at 0, 2 and 6 s, gets 404 each time,
 *           and the poller gives up; a finished one (its record deleted)
 *           gets three 404s likewise.
 *           Reference: the real JS, run unmodified on a virtual clock
 *           against a simulated server (documented payload, one poller per
 *           job, ~150 ms round trips), made 12.0 requests per 10 s job, 35.0
 *           per 60 s job, 147.8 per 300 s job and 870 per 1800 s job. This
 *           emulation must stay within 5 % of those on figure 1.
 * fixed-Ns  GET /api/progress/<id> every N s (a fixed cadence), read
 *           tolerantly with Vigil's reader; done at a terminal record; a 404
 *           asks /api/jobs/<id>/status once, which ends it when terminal.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <math.h>

#include <libsoup/soup.h>
#include <json-glib/json-glib.h>

#include "vigil-poller.h"
#include "vigil-reader.h"

#include "bench-pollers.h"
#include "bench-report.h"

/* progress-polling.js's defaults */
#define BROWSER_INITIAL_MS   1000
#define BROWSER_MAX_DELAY_MS 5000
#define BROWSER_MAX_ERRORS   3
#define BROWSER_MULTIPLIER   2
#define BROWSER_FAST_SECONDS 10.0
#define BROWSER_CONNECTIONS  6
/* a page per job: a connection each */
#define PAGE_CONNECTIONS     4096

typedef struct
{
  BenchPoller *owner;          /* unowned; NULL once the poller is freed */
  char        *job_id;
  SoupMessage *msg;            /* the request in flight */
  guint        timer_id;
  guint        errors;         /* browser: errorCount */
  guint        delay_ms;       /* browser: interval (virtual ms) */
  gint64       started_us;     /* browser: startTime (real, monotonic) */
  gboolean     said;           /* browser: the page said something */
  gint64       due_us;         /* fixed: the cadence (real, monotonic) */
  gint64       sent_us;        /* the request in flight went out */
  gboolean     asking_status;  /* fixed: the next request is the job record */
} Loop;

struct _BenchPoller
{
  BenchPollerKind  kind;
  char            *base_url;
  double           speed;
  gboolean         one_per_job;
  BenchWordFunc    func;
  gpointer         user_data;

  /* vigil */
  VigilPoller     *poller;     /* shared by every job, unless one_per_job */
  GPtrArray       *pollers;    /* VigilPoller: one per job */
  GHashTable      *jobs;       /* job id → VigilJob */

  /* browser, fixed-* */
  SoupSession     *session;
  GCancellable    *cancellable;
  GHashTable      *loops;      /* job id → Loop */
  double           rtt_sum_s;  /* virtual */
  guint64          rtt_n;
};

static void loop_send (Loop *loop);

/* ------------------------------------------------------------------ */
/* Vigil                                                               */
/* ------------------------------------------------------------------ */

static BenchOutcome
outcome_of_job (VigilJob *job)
{
  switch (vigil_job_get_server_state (job))
    {
    case VIGIL_SERVER_STATE_SUCCEEDED:
      return BENCH_OUTCOME_COMPLETED;
    case VIGIL_SERVER_STATE_FAILED:
      return BENCH_OUTCOME_FAILED;
    case VIGIL_SERVER_STATE_LOST:
      return BENCH_OUTCOME_LOST;
    case VIGIL_SERVER_STATE_QUEUED:
    case VIGIL_SERVER_STATE_RUNNING:
    default:
      return BENCH_OUTCOME_NONE;
    }
}

static void
on_vigil_finished (VigilPoller *poller,
                   VigilJob    *job,
                   BenchPoller *self)
{
  self->func (vigil_job_get_job_id (job), outcome_of_job (job), TRUE, self->user_data);
}

/* Default settings and jitter; only the time scale follows the server. */
static VigilPoller *
new_vigil_poller (BenchPoller *self)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(VigilApiClient) client = vigil_api_client_new (self->base_url, &error);
  VigilPoller *poller;

  if (client == NULL)
    g_error ("vigil-bench: %s", error->message);

  poller = g_object_new (VIGIL_TYPE_POLLER,
                         "client", client,
                         "time-scale", 1.0 / self->speed,
                         NULL);
  g_signal_connect (poller, "job-finished", G_CALLBACK (on_vigil_finished), self);
  return poller;
}

static void
vigil_track (BenchPoller *self,
             const char  *job_id)
{
  VigilJob *job = vigil_job_new (job_id, VIGIL_JOB_KIND_PLAYLIST, 1);
  VigilPoller *poller = self->poller;

  if (self->one_per_job)
    {
      poller = new_vigil_poller (self);
      g_ptr_array_add (self->pollers, poller);
    }
  else if (poller == NULL)
    poller = self->poller = new_vigil_poller (self);

  g_hash_table_insert (self->jobs, g_strdup (job_id), job);
  vigil_poller_track (poller, job);
}

/* ------------------------------------------------------------------ */
/* Loops of the emulated pollers                                       */
/* ------------------------------------------------------------------ */

static void
loop_clear (Loop *loop)
{
  g_clear_handle_id (&loop->timer_id, g_source_remove);
  g_clear_object (&loop->msg);
  g_free (loop->job_id);
}

static Loop *
loop_ref (Loop *loop)
{
  return g_rc_box_acquire (loop);
}

static void
loop_unref (Loop *loop)
{
  g_rc_box_release_full (loop, (GDestroyNotify) loop_clear);
}

G_DEFINE_AUTOPTR_CLEANUP_FUNC (Loop, loop_unref)

static gint64
real_us (BenchPoller *self,
         guint        virtual_ms)
{
  return (gint64) (virtual_ms * 1000.0 / self->speed);
}

static gboolean
on_tick (gpointer data)
{
  Loop *loop = data;

  loop->timer_id = 0;
  loop_send (loop);
  return G_SOURCE_REMOVE;
}

static void
loop_wake_at (Loop   *loop,
              gint64  due_us)
{
  gint64 wait_us = MAX (0, due_us - g_get_monotonic_time ());

  g_assert (loop->timer_id == 0);
  loop->timer_id = g_timeout_add ((guint) ((wait_us + 500) / 1000), on_tick, loop);
}

static void
loop_finish (Loop         *loop,
             BenchOutcome  outcome)
{
  BenchPoller *self = loop->owner;
  g_autoptr(Loop) hold = loop_ref (loop);

  g_hash_table_remove (self->loops, loop->job_id);
  self->func (loop->job_id, outcome, TRUE, self->user_data);
}

/* ------------------------------------------------------------------ */
/* browser                                                             */
/* ------------------------------------------------------------------ */

/* JavaScript's truthiness of data.success */
static gboolean
js_truthy (JsonNode *node)
{
  GType type;

  if (node == NULL || !JSON_NODE_HOLDS_VALUE (node))
    return node != NULL && !JSON_NODE_HOLDS_NULL (node);

  type = json_node_get_value_type (node);
  if (type == G_TYPE_BOOLEAN)
    return json_node_get_boolean (node);
  if (type == G_TYPE_INT64)
    return json_node_get_int (node) != 0;
  if (type == G_TYPE_DOUBLE)
    return json_node_get_double (node) != 0 && !isnan (json_node_get_double (node));
  if (type == G_TYPE_STRING)
    return *json_node_get_string (node) != '\0';
  return FALSE;
}

/* progress.progress as a number (JavaScript compares only numbers here);
 * FALSE when missing or not a number */
static gboolean
js_number (JsonObject *object,
           const char *member,
           double     *value)
{
  JsonNode *node = json_object_get_member (object, member);
  GType type;

  if (node == NULL || !JSON_NODE_HOLDS_VALUE (node))
    return FALSE;
  type = json_node_get_value_type (node);
  if (type != G_TYPE_INT64 && type != G_TYPE_DOUBLE)
    return FALSE;
  *value = json_node_get_double (node);
  return TRUE;
}

static gboolean
js_string_is (JsonObject *object,
              const char *member,
              const char *value)
{
  JsonNode *node = json_object_get_member (object, member);

  return node != NULL && JSON_NODE_HOLDS_VALUE (node) &&
         json_node_get_value_type (node) == G_TYPE_STRING &&
         g_strcmp0 (json_node_get_string (node), value) == 0;
}

typedef enum
{
  BROWSER_ERROR,     /* the catch block */
  BROWSER_RUNNING,
  BROWSER_COMPLETE,  /* _isJobComplete() */
} BrowserRead;

/* What _pollJob() makes of an answer */
static BrowserRead
browser_read (guint     status,
              GBytes   *body,
              gboolean *succeeded,
              double   *fraction,
              gboolean *failed)
{
  g_autoptr(JsonParser) parser = json_parser_new_immutable ();
  gsize len = 0;
  const char *data = body != NULL ? g_bytes_get_data (body, &len) : NULL;
  JsonObject *root, *progress;
  JsonNode *node;
  double value = 0;

  /* !response.ok, or response.json() throws */
  if (!SOUP_STATUS_IS_SUCCESSFUL (status) || data == NULL ||
      !json_parser_load_from_data (parser, data, len, NULL))
    return BROWSER_ERROR;

  root = JSON_NODE_HOLDS_OBJECT (json_parser_get_root (parser))
         ? json_node_get_object (json_parser_get_root (parser)) : NULL;
  if (root == NULL || !js_truthy (json_object_get_member (root, "success")))
    return BROWSER_ERROR;

  /* data.success: errorCount is reset; a progress that is not an object
   * then throws a TypeError in _isJobComplete() */
  *succeeded = TRUE;
  node = json_object_get_member (root, "progress");
  if (node == NULL || !JSON_NODE_HOLDS_OBJECT (node))
    return BROWSER_ERROR;
  progress = json_node_get_object (node);

  *failed = js_string_is (progress, "status", "failed") ||
            js_string_is (progress, "status", "cancelled");
  if ((js_number (progress, "progress", &value) && value >= 1.0) ||
      js_string_is (progress, "current_step", "complete") ||
      js_string_is (progress, "status", "completed") || *failed)
    return BROWSER_COMPLETE;

  /* progressPercent = progress.progress || 0 */
  *fraction = js_number (progress, "progress", &value) && !isnan (value) ? value : 0;
  return BROWSER_RUNNING;
}

/* _adaptPollingInterval() */
static guint
browser_interval (double elapsed_seconds,
                  double progress_percent)
{
  if (elapsed_seconds < BROWSER_FAST_SECONDS || progress_percent < 0.1)
    return BROWSER_INITIAL_MS;
  if (progress_percent < 0.9)
    return MIN (BROWSER_INITIAL_MS * 2, 3000);
  return MIN (BROWSER_INITIAL_MS * 3, BROWSER_MAX_DELAY_MS);
}

/* The page's timeline: the answer is in BENCH_ROUND_TRIP_S after the
 * request was due, as on the network the real JS was measured on, and the
 * next request is due `interval` after that. Loopback, timers and a busy
 * loop take from under one to a few real ms a request (up to ~0.7 virtual
 * seconds with 50 jobs polling at speed 50); following the actual times
 * would stretch the emulation's periods beyond the real JS's. */
static gint64
browser_answered_us (Loop *loop)
{
  return loop->due_us + (gint64) (BENCH_ROUND_TRIP_S * 1e6 / loop->owner->speed);
}

/* setTimeout(…, interval) from when the answer is in */
static void
browser_wake (Loop *loop)
{
  loop->due_us = browser_answered_us (loop) + real_us (loop->owner, loop->delay_ms);
  loop_wake_at (loop, loop->due_us);
}

/* The page's first word, whatever it is */
static void
browser_say (Loop         *loop,
             BenchOutcome  outcome)
{
  BenchPoller *self = loop->owner;

  if (loop->said)
    return;
  loop->said = TRUE;
  self->func (loop->job_id, outcome, FALSE, self->user_data);
}

static void
browser_answer (Loop   *loop,
                guint   status,
                GBytes *body)
{
  BenchPoller *self = loop->owner;
  double fraction = 0;
  gboolean failed = FALSE, succeeded = FALSE;
  BrowserRead read = browser_read (status, body, &succeeded, &fraction, &failed);

  /* errorCount = 0 comes before anything can throw on a success */
  if (succeeded)
    loop->errors = 0;

  if (read == BROWSER_COMPLETE)
    {
      /* onComplete: the page's word and the poller's last */
      BenchOutcome outcome = failed ? BENCH_OUTCOME_FAILED : BENCH_OUTCOME_COMPLETED;

      browser_say (loop, outcome);
      loop_finish (loop, outcome);
      return;
    }

  if (read == BROWSER_RUNNING)
    {
      double elapsed = (browser_answered_us (loop) - loop->started_us) / 1e6 * self->speed;

      loop->delay_ms = browser_interval (elapsed, fraction);
      browser_wake (loop);
      return;
    }

  /* the page's onError: "Analysis failed. Please try again." */
  loop->errors++;
  browser_say (loop, BENCH_OUTCOME_FAILED);
  if (loop->errors >= BROWSER_MAX_ERRORS)
    {
      loop_finish (loop, BENCH_OUTCOME_GAVE_UP);
      return;
    }
  loop->delay_ms = MIN (loop->delay_ms * BROWSER_MULTIPLIER, BROWSER_MAX_DELAY_MS);
  browser_wake (loop);
}

/* ------------------------------------------------------------------ */
/* fixed-1s, fixed-2s                                                  */
/* ------------------------------------------------------------------ */

static guint
fixed_period_ms (BenchPoller *self)
{
  return self->kind == BENCH_POLLER_FIXED_1S ? 1000 : 2000;
}

static void
fixed_next_tick (Loop *loop)
{
  BenchPoller *self = loop->owner;

  loop->due_us += real_us (self, fixed_period_ms (self));
  loop_wake_at (loop, loop->due_us);
}

static BenchOutcome
fixed_read_status (GBytes *body)
{
  g_autoptr(JsonNode) root = vigil_reader_parse_bytes (body, NULL);
  g_autoptr(VigilJobRecord) record = NULL;

  if (root == NULL || (record = vigil_reader_parse_job_status_response (root, NULL)) == NULL)
    return BENCH_OUTCOME_NONE;
  if (vigil_job_record_is_failure (record))
    return BENCH_OUTCOME_FAILED;
  if (record->status == VIGIL_JOB_STATUS_COMPLETED)
    return BENCH_OUTCOME_COMPLETED;
  return BENCH_OUTCOME_NONE;
}

static BenchOutcome
fixed_read_progress (GBytes *body)
{
  g_autoptr(JsonNode) root = vigil_reader_parse_bytes (body, NULL);
  g_autoptr(VigilProgress) progress = NULL;

  if (root == NULL || (progress = vigil_reader_parse_progress_response (root, NULL)) == NULL ||
      !vigil_progress_is_terminal (progress))
    return BENCH_OUTCOME_NONE;
  if (vigil_job_status_is_failure (progress->status))
    return BENCH_OUTCOME_FAILED;
  return BENCH_OUTCOME_COMPLETED;
}

static void
fixed_answer (Loop   *loop,
              guint   status,
              GBytes *body)
{
  BenchOutcome outcome = BENCH_OUTCOME_NONE;
  gboolean was_status = loop->asking_status;

  loop->asking_status = FALSE;
  if (was_status && status == SOUP_STATUS_NOT_FOUND)
    outcome = BENCH_OUTCOME_LOST;
  else if (was_status && status == SOUP_STATUS_OK)
    outcome = fixed_read_status (body);
  else if (status == SOUP_STATUS_OK)
    outcome = fixed_read_progress (body);
  else if (status == SOUP_STATUS_NOT_FOUND)
    {
      /* queued or finished: the job record says which, right away */
      loop->asking_status = TRUE;
      loop_send (loop);
      return;
    }

  if (outcome != BENCH_OUTCOME_NONE)
    loop_finish (loop, outcome);
  else
    fixed_next_tick (loop);
}

/* ------------------------------------------------------------------ */
/* Requests                                                            */
/* ------------------------------------------------------------------ */

static void
on_answer (GObject      *source,
           GAsyncResult *result,
           gpointer      user_data)
{
  g_autoptr(Loop) loop = user_data;
  g_autoptr(GError) error = NULL;
  g_autoptr(GBytes) body = soup_session_send_and_read_finish (SOUP_SESSION (source), result, &error);
  guint status;

  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED) || loop->owner == NULL)
    return;

  /* a transport failure is a failed poll like any other */
  status = body != NULL ? soup_message_get_status (loop->msg) : SOUP_STATUS_NONE;
  g_clear_object (&loop->msg);
  loop->owner->rtt_sum_s += (g_get_monotonic_time () - loop->sent_us) / 1e6 * loop->owner->speed;
  loop->owner->rtt_n++;

  if (loop->owner->kind == BENCH_POLLER_BROWSER)
    browser_answer (loop, status, body);
  else
    fixed_answer (loop, status, body);
}

static void
loop_send (Loop *loop)
{
  BenchPoller *self = loop->owner;
  g_autofree char *url = NULL;

  if (loop->asking_status)
    url = g_strdup_printf ("%s/api/jobs/%s/status", self->base_url, loop->job_id);
  else
    url = g_strdup_printf ("%s/api/progress/%s", self->base_url, loop->job_id);

  g_assert (loop->msg == NULL);
  loop->msg = soup_message_new (SOUP_METHOD_GET, url);
  loop->sent_us = g_get_monotonic_time ();
  soup_session_send_and_read_async (self->session, loop->msg, G_PRIORITY_DEFAULT,
                                    self->cancellable, on_answer, loop_ref (loop));
}

static void
loop_track (BenchPoller *self,
            const char  *job_id)
{
  Loop *loop = g_rc_box_new0 (Loop);

  loop->owner = self;
  loop->job_id = g_strdup (job_id);
  loop->delay_ms = BROWSER_INITIAL_MS;
  loop->due_us = loop->started_us = g_get_monotonic_time ();
  g_hash_table_insert (self->loops, loop->job_id, loop);
  loop_send (loop);
}

static void
loop_forget (gpointer data)
{
  Loop *loop = data;

  loop->owner = NULL;
  g_clear_handle_id (&loop->timer_id, g_source_remove);
  loop_unref (loop);
}

/* ------------------------------------------------------------------ */
/* Public API                                                          */
/* ------------------------------------------------------------------ */

BenchPoller *
bench_poller_new (BenchPollerKind  kind,
                  const char      *base_url,
                  double           speed,
                  gboolean         one_per_job,
                  gboolean         shared_connections,
                  BenchWordFunc    func,
                  gpointer         user_data)
{
  guint connections = shared_connections ? BROWSER_CONNECTIONS : PAGE_CONNECTIONS;
  BenchPoller *self;

  g_return_val_if_fail (kind < BENCH_N_POLLERS, NULL);
  g_return_val_if_fail (base_url != NULL, NULL);
  g_return_val_if_fail (speed > 0, NULL);
  g_return_val_if_fail (func != NULL, NULL);

  self = g_new0 (BenchPoller, 1);
  self->kind = kind;
  self->base_url = g_strdup (base_url);
  self->speed = speed;
  self->one_per_job = one_per_job;
  self->func = func;
  self->user_data = user_data;
  self->pollers = g_ptr_array_new_with_free_func (g_object_unref);
  self->jobs = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_object_unref);
  self->cancellable = g_cancellable_new ();
  self->loops = g_hash_table_new_full (g_str_hash, g_str_equal, NULL, loop_forget);
  self->session = soup_session_new_with_options ("max-conns", connections,
                                                 "max-conns-per-host", connections,
                                                 "timeout", 15,
                                                 NULL);
  return self;
}

BenchPollerKind
bench_poller_get_kind (BenchPoller *self)
{
  g_return_val_if_fail (self != NULL, BENCH_POLLER_VIGIL);

  return self->kind;
}

void
bench_poller_track (BenchPoller *self,
                    const char  *job_id)
{
  g_return_if_fail (self != NULL);
  g_return_if_fail (job_id != NULL);

  if (self->kind == BENCH_POLLER_VIGIL)
    vigil_track (self, job_id);
  else
    loop_track (self, job_id);
}

double
bench_poller_mean_rtt (BenchPoller *self)
{
  g_return_val_if_fail (self != NULL, NAN);

  return self->rtt_n > 0 ? self->rtt_sum_s / self->rtt_n : NAN;
}

void
bench_poller_free (BenchPoller *self)
{
  if (self == NULL)
    return;

  g_cancellable_cancel (self->cancellable);
  g_clear_pointer (&self->loops, g_hash_table_unref);
  soup_session_abort (self->session);
  g_clear_object (&self->session);
  g_clear_object (&self->cancellable);
  g_clear_pointer (&self->pollers, g_ptr_array_unref);
  g_clear_object (&self->poller);
  g_clear_pointer (&self->jobs, g_hash_table_unref);
  g_free (self->base_url);
  g_free (self);
}
