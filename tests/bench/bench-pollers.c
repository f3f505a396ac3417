/* bench-pollers.c — Vigil's poller and three emulated ones, behind one
 * interface
 *
 * The emulations are deliberately plain: one loop per job, one request at a
 * time, over one SoupSession with a browser's six connections per host.
 *
 * browser   the service's own web poller as its code behaves: 1 s below
 *           10 %, 2 s to 90 %, 3 s above; reads the fraction from the
 *           documented "progress" member only (a missing one reads as 0);
 *           any failed poll (a 404 included) doubles the delay, up to 5 s,
 *           and the third in a row gives up ("progress can't be tracked").
 *           A success resets both.
 * fixed-Ns  GET /api/progress/<id> every N s (a fixed cadence), read
 *           tolerantly with Vigil's reader; done at a terminal record; a 404
 *           asks /api/jobs/<id>/status once, which ends it when terminal.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <libsoup/soup.h>
#include <json-glib/json-glib.h>

#include "vigil-poller.h"
#include "vigil-reader.h"

#include "bench-pollers.h"

#define BROWSER_MAX_ERRORS   3
#define BROWSER_MAX_DELAY_MS 5000
#define BROWSER_CONNECTIONS  6

typedef struct
{
  BenchPoller *owner;          /* unowned; NULL once the poller is freed */
  char        *job_id;
  SoupMessage *msg;            /* the request in flight */
  guint        timer_id;
  guint        errors;         /* browser: consecutive failed polls */
  guint        delay_ms;       /* browser: the current delay (virtual) */
  gint64       due_us;         /* fixed: the cadence (real, monotonic) */
  gboolean     asking_status;  /* fixed: the next request is the job record */
} Loop;

struct _BenchPoller
{
  BenchPollerKind  kind;
  char            *base_url;
  double           speed;
  gboolean         one_per_job;
  BenchFinalFunc   func;
  gpointer         user_data;

  /* vigil */
  VigilPoller     *poller;     /* shared by every job, unless one_per_job */
  GPtrArray       *pollers;    /* VigilPoller: one per job */
  GHashTable      *jobs;       /* job id → VigilJob */

  /* browser, fixed-* */
  SoupSession     *session;
  GCancellable    *cancellable;
  GHashTable      *loops;      /* job id → Loop */
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
  self->func (vigil_job_get_job_id (job), outcome_of_job (job), self->user_data);
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
loop_wake_in (Loop  *loop,
              guint  virtual_ms)
{
  loop_wake_at (loop, g_get_monotonic_time () + real_us (loop->owner, virtual_ms));
}

static void
loop_finish (Loop         *loop,
             BenchOutcome  outcome)
{
  BenchPoller *self = loop->owner;
  g_autoptr(Loop) hold = loop_ref (loop);

  g_hash_table_remove (self->loops, loop->job_id);
  self->func (loop->job_id, outcome, self->user_data);
}

/* ------------------------------------------------------------------ */
/* browser                                                             */
/* ------------------------------------------------------------------ */

typedef struct
{
  double   fraction;
  gboolean complete;
  gboolean failed;
} BrowserView;

/* What the web page's code reads: data.progress.progress, is_complete and
 * status; anything else is an error. */
static gboolean
browser_read (guint        status,
              GBytes      *body,
              BrowserView *view)
{
  g_autoptr(JsonParser) parser = json_parser_new_immutable ();
  gsize len = 0;
  const char *data = body != NULL ? g_bytes_get_data (body, &len) : NULL;
  JsonObject *root, *progress;
  const char *state;

  if (status != SOUP_STATUS_OK || data == NULL ||
      !json_parser_load_from_data (parser, data, len, NULL) ||
      !JSON_NODE_HOLDS_OBJECT (json_parser_get_root (parser)))
    return FALSE;

  root = json_node_get_object (json_parser_get_root (parser));
  progress = json_object_get_object_member (root, "progress");
  if (progress == NULL)
    return FALSE;

  view->fraction = json_object_get_double_member_with_default (progress, "progress", 0);
  state = json_object_get_string_member_with_default (progress, "status", "");
  view->failed = g_ascii_strcasecmp (state, "failed") == 0;
  view->complete = view->fraction >= 1.0 || view->failed ||
                   json_object_get_boolean_member_with_default (progress, "is_complete", FALSE) ||
                   g_ascii_strcasecmp (state, "completed") == 0;
  return TRUE;
}

static guint
browser_delay (double fraction)
{
  if (fraction < 0.1)
    return 1000;
  if (fraction < 0.9)
    return 2000;
  return 3000;
}

static void
browser_answer (Loop   *loop,
                guint   status,
                GBytes *body)
{
  BrowserView view = { 0 };

  if (browser_read (status, body, &view))
    {
      loop->errors = 0;
      if (view.complete)
        loop_finish (loop, view.failed ? BENCH_OUTCOME_FAILED : BENCH_OUTCOME_COMPLETED);
      else
        loop_wake_in (loop, loop->delay_ms = browser_delay (view.fraction));
      return;
    }

  if (++loop->errors >= BROWSER_MAX_ERRORS)
    {
      loop_finish (loop, BENCH_OUTCOME_GAVE_UP);
      return;
    }
  loop->delay_ms = MIN (loop->delay_ms * 2, BROWSER_MAX_DELAY_MS);
  loop_wake_in (loop, loop->delay_ms);
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
  loop->delay_ms = browser_delay (0);
  loop->due_us = g_get_monotonic_time ();
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
                  BenchFinalFunc   func,
                  gpointer         user_data)
{
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
  self->session = soup_session_new_with_options ("max-conns", BROWSER_CONNECTIONS,
                                                 "max-conns-per-host", BROWSER_CONNECTIONS,
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
