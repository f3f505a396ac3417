/* vigil-poller-requests.c — what the poller sends and what the answers do
 *
 * Due jobs go out one by one (a job's progress, or its job record when it
 * is queued or its end must be confirmed) or, two or more due within
 * VIGIL_POLLER_BATCH_WINDOW_MS, in one GET /api/progress. A job never has
 * two requests in flight, and the poller never has more than
 * VIGIL_POLLER_MAX_IN_FLIGHT. Each answer counts for the server's health
 * first (vigil-poller-health.c), then for its job.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include "vigil-poller-private.h"

/* Failed batch requests in a row (while the server answers others) before
 * the jobs are polled one by one for BATCH_PAUSE_S virtual seconds. */
#define BATCH_MAX_FAILURES 3
#define BATCH_PAUSE_S      30
/* Batch answers that listed none of the jobs while their job records said
 * they ran (in two different answers): the route is proven empty (a
 * service whose workers keep progress in their own processes), and is
 * asked again only after VIGIL_POLLER_BATCH_RETRY_S. */
#define BATCH_EMPTY_PROOFS 2
/* Answers from several web processes (each lists only its own jobs): a
 * job known to run that is missing from the answers is asked its job
 * record once its ETA says it has ended, or after this many virtual
 * seconds without news of it. */
#define BATCH_STALE_S      30
/* A job never listed yet (queued, or just started) rides this many batch
 * answers before its job record is asked. */
#define BATCH_FRESH_MISSES 2
/* A job that should end before the next batch asks its job record this
 * many virtual seconds after its predicted end (the policy's final
 * approach lands there too). */
#define FINAL_AFTER_END_S  0.25

typedef enum
{
  REQUEST_PROGRESS,
  REQUEST_STATUS,
} RequestKind;

/* ------------------------------------------------------------------ */
/* Outcomes                                                            */
/* ------------------------------------------------------------------ */

/* Returns FALSE when the request is moot: cancelled, or the job untracked. */
static gboolean
request_done (PollerEntry  *entry,
              const GError *error)
{
  VigilPoller *self = entry->poller;

  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED) || self == NULL)
    return FALSE;

  entry->in_flight = FALSE;
  self->n_in_flight--;
  return TRUE;
}

/* Settle the request and count its answer for the server. Returns the
 * poller when the job's own handling goes on; NULL when the answer is moot
 * or the job waits for the server's probe. */
static VigilPoller *
answer_for_job (PollerEntry  *entry,
                GAsyncResult *result,
                const GError *error)
{
  VigilPoller *self;

  if (!request_done (entry, error))
    return NULL;
  self = entry->poller;
  vigil_poller_count_answer (self, result);

  if (!vigil_poller_note_answer (self, entry, result, error))
    {
      vigil_poller_arm (self);
      return NULL;
    }
  return self;
}

static void
handle_error (VigilPoller  *self,
              PollerEntry  *entry,
              GAsyncResult *result,
              const GError *error)
{
  /* Failures while offline say nothing about the server. */
  if (self->offline)
    {
      vigil_poller_schedule_now (self, entry);
      vigil_job_set_tracking_state (entry->job, VIGIL_TRACKING_STATE_OFFLINE);
      return;
    }

  entry->errors++;
  if (entry->failing_since == 0)
    entry->failing_since = g_get_real_time ();
  entry->retry_after_ms = vigil_api_result_get_retry_after_ms (result);
  vigil_job_set_tracking_error (entry->job, error->message);
  g_debug ("poll %s failed (%u in a row): %s", entry->job_id, entry->errors, error->message);
  vigil_poller_schedule_next (self, entry);
}

static void
poll_succeeded (PollerEntry *entry)
{
  entry->errors = 0;
  entry->failing_since = 0;
  vigil_job_set_tracking_error (entry->job, NULL);
}

static void
apply_progress (VigilPoller         *self,
                PollerEntry         *entry,
                const VigilProgress *progress)
{
  poll_succeeded (entry);
  entry->queued = FALSE;
  entry->fresh = FALSE;
  entry->heard_us = g_get_monotonic_time ();
  entry->missed = 0;
  vigil_job_apply_progress (entry->job, progress, vigil_poller_virtual_now_us (self));

  /* The progress record says "done": the job record says how it ended. */
  if (vigil_progress_is_terminal (progress))
    {
      entry->confirm = TRUE;
      vigil_poller_schedule_now (self, entry);
    }
  else
    vigil_poller_schedule_next (self, entry);
}

static void
on_progress (GObject      *object,
             GAsyncResult *result,
             gpointer      user_data)
{
  g_autoptr(PollerEntry) entry = user_data;
  g_autoptr(GError) error = NULL;
  g_autoptr(VigilProgress) progress = NULL;
  VigilPoller *self;

  progress = vigil_api_client_get_progress_finish (VIGIL_API_CLIENT (object), result, &error);
  if ((self = answer_for_job (entry, result, error)) == NULL)
    return;

  if (progress != NULL)
    apply_progress (self, entry, progress);
  else if (g_error_matches (error, VIGIL_API_ERROR, VIGIL_API_ERROR_NOT_FOUND))
    {
      /* No progress record: still queued, or finished. Ask the job record. */
      poll_succeeded (entry);
      entry->confirm = TRUE;
      vigil_poller_schedule_now (self, entry);
    }
  else
    handle_error (self, entry, result, error);

  vigil_poller_arm (self);
}

static void
pause_batching (VigilPoller *self,
                double       seconds)
{
  self->batch_unsupported_until_us = g_get_monotonic_time () +
                                     (gint64) (seconds * G_USEC_PER_SEC * self->time_scale);
}

/* The job record says the job runs, and the last batch answer did not list
 * it: that answer was empty (count it towards proving the route empty), or
 * it lists only some running jobs (several web processes). A job never
 * listed proves nothing of the latter: it may have been picked up since. */
static void
note_running_but_missed (VigilPoller *self,
                         PollerEntry *entry)
{
  if (entry->missed == 0)
    return;

  if (self->last_batch_empty)
    {
      if (self->empty_proved_seq == self->batch_seq)
        return;
      self->empty_proved_seq = self->batch_seq;
      if (++self->empty_proofs >= BATCH_EMPTY_PROOFS)
        {
          g_debug ("GET /api/progress lists no running job; polling one by one");
          self->empty_proofs = 0;
          self->batch_proven_empty = TRUE;
          pause_batching (self, VIGIL_POLLER_BATCH_RETRY_S);
        }
    }
  else if (entry->listed && !self->batch_partial)
    {
      g_debug ("GET /api/progress lists only some running jobs (several web processes)");
      self->batch_partial = TRUE;
    }
}

static void
apply_record (VigilPoller          *self,
              PollerEntry          *entry,
              const VigilJobRecord *record)
{
  poll_succeeded (entry);
  entry->fresh = FALSE;
  vigil_job_apply_record (entry->job, record, vigil_poller_virtual_now_us (self));

  if (vigil_job_get_is_finished (entry->job))
    {
      vigil_poller_finish_entry (self, entry);
      return;
    }

  entry->queued = vigil_job_get_server_state (entry->job) == VIGIL_SERVER_STATE_QUEUED;
  if (!entry->queued)
    {
      note_running_but_missed (self, entry);
      if (record->progress != NULL)
        entry->heard_us = g_get_monotonic_time ();
    }
  /* Running without a progress record yet (or a server that never shows
   * one): keep asking the job record rather than two requests a poll. */
  entry->confirm = entry->queued || record->progress == NULL;
  vigil_poller_schedule_next (self, entry);
}

static void
on_status (GObject      *object,
           GAsyncResult *result,
           gpointer      user_data)
{
  g_autoptr(PollerEntry) entry = user_data;
  g_autoptr(GError) error = NULL;
  g_autoptr(VigilJobRecord) record = NULL;
  VigilPoller *self;

  record = vigil_api_client_get_job_status_finish (VIGIL_API_CLIENT (object), result, &error);
  if ((self = answer_for_job (entry, result, error)) == NULL)
    return;

  if (record != NULL)
    apply_record (self, entry, record);
  else if (g_error_matches (error, VIGIL_API_ERROR, VIGIL_API_ERROR_NOT_FOUND))
    {
      poll_succeeded (entry);
      vigil_job_mark_lost (entry->job, vigil_poller_virtual_now_us (self));
      vigil_poller_finish_entry (self, entry);
    }
  else
    handle_error (self, entry, result, error);

  vigil_poller_arm (self);
}

/* ------------------------------------------------------------------ */
/* Requests                                                            */
/* ------------------------------------------------------------------ */

/* The job record when the job is queued, when its end must be confirmed,
 * and when its ETA says it has ended by now: its progress record would
 * then most likely answer 404, which settles nothing, and the job record
 * would be asked next anyway. A job still running answers with its
 * progress inside the record. */
void
vigil_poller_send_single (VigilPoller *self,
                          PollerEntry *entry)
{
  RequestKind kind = (entry->queued || entry->confirm || entry->expect_end)
                     ? REQUEST_STATUS : REQUEST_PROGRESS;

  entry->in_flight = TRUE;
  entry->requests++;
  self->n_in_flight++;
  vigil_poller_count_request (self, FALSE);

  if (kind == REQUEST_STATUS)
    vigil_api_client_get_job_status_async (self->client, entry->job_id, self->cancellable,
                                           on_status, vigil_poller_entry_ref (entry));
  else
    vigil_api_client_get_progress_async (self->client, entry->job_id, self->cancellable,
                                         on_progress, vigil_poller_entry_ref (entry));
}

/* What became of a job of a batch */
enum
{
  BATCH_SETTLED = 1 << 0,  /* no longer in flight: its record came, or the answer ended */
  BATCH_APPLIED = 1 << 1,  /* its record was applied */
};

typedef struct
{
  VigilPoller  *poller;   /* unowned: dispose cancels the request first */
  GPtrArray    *entries;  /* PollerEntry refs: the jobs this request was sent for */
  guint        *by_entry; /* indexes into entries, by entry address */
  guint8       *flags;    /* per job of entries: BATCH_… */
  gboolean      named;    /* the answer named a tracked job */
} Batch;

static void
batch_free (Batch *batch)
{
  g_clear_pointer (&batch->entries, g_ptr_array_unref);
  g_free (batch->by_entry);
  g_free (batch->flags);
  g_free (batch);
}

G_DEFINE_AUTOPTR_CLEANUP_FUNC (Batch, batch_free)

static gboolean
is_batchable (VigilPoller *self,
              PollerEntry *entry)
{
  /* A job just tracked rides along too: if it is running, the batch says
   * so and spares it a request for its job record. */
  return !entry->confirm && !entry->expect_end && (!entry->queued || entry->fresh) &&
         g_get_monotonic_time () >= self->batch_unsupported_until_us;
}

/* Whether a job of the batch that its answer does not name must be asked
 * its job record now (absence is never completion). From a server that
 * lists every running job, a job listed before has ended (or is gone); a
 * job never listed (queued, or just started) gets BATCH_FRESH_MISSES
 * answers. From several web processes, absence says little: the job
 * record is asked when the ETA says the job has ended, or when nothing
 * was heard of it for BATCH_STALE_S. */
static gboolean
missing_needs_record (VigilPoller *self,
                      PollerEntry *entry)
{
  double silent_s, eta;

  if (entry->heard_us == 0)
    return entry->missed >= BATCH_FRESH_MISSES;
  if (!self->batch_partial)
    return entry->listed || entry->missed >= BATCH_FRESH_MISSES;

  silent_s = (g_get_monotonic_time () - entry->heard_us) / 1e6 / self->time_scale;
  eta = vigil_job_get_eta_seconds (entry->job);
  return silent_s >= BATCH_STALE_S || (eta >= 0 && silent_s >= eta);
}

/* Whether a job of the batch was heard running (a progress record). */
static gboolean
batch_has_running (Batch *batch)
{
  for (guint i = 0; i < batch->entries->len; i++)
    {
      PollerEntry *entry = g_ptr_array_index (batch->entries, i);

      if (entry->poller != NULL && entry->heard_us != 0 && !entry->queued)
        return TRUE;
    }
  return FALSE;
}

static int
compare_by_entry (gconstpointer a,
                  gconstpointer b,
                  gpointer      user_data)
{
  GPtrArray *entries = user_data;
  gconstpointer ea = g_ptr_array_index (entries, *(const guint *) a);
  gconstpointer eb = g_ptr_array_index (entries, *(const guint *) b);

  return ea < eb ? -1 : ea > eb;
}

/* The index of entry in the batch, or G_MAXUINT. */
static guint
batch_find (Batch       *batch,
            PollerEntry *entry)
{
  guint lo = 0, hi = batch->entries->len;

  while (lo < hi)
    {
      guint mid = lo + (hi - lo) / 2;
      PollerEntry *at = g_ptr_array_index (batch->entries, batch->by_entry[mid]);

      if (at == entry)
        return batch->by_entry[mid];
      if ((gconstpointer) at < (gconstpointer) entry)
        lo = mid + 1;
      else
        hi = mid;
    }
  return G_MAXUINT;
}

/* A job of the batch that is neither applied nor handled elsewhere since:
 * what the answer's end (or its failure) does to it. */
static gboolean
batch_pending (Batch *batch,
               guint  i)
{
  PollerEntry *entry = g_ptr_array_index (batch->entries, i);

  return entry->poller != NULL && !(batch->flags[i] & BATCH_APPLIED) && !entry->in_flight &&
         entry->heap_index == G_MAXUINT;
}

/* One record of a batch answer, as it is read: applied to the tracked job
 * it names unless that job waits for an answer of its own. A job of this
 * batch is answered by it and no longer in flight. Records come before
 * the answer is known whole (vigil_api_client_read_active_progress_async):
 * each is whole and valid on its own, and is exactly what the job would
 * have been given had the whole answer been read first; an answer that
 * breaks later leaves it applied and fails only the jobs not reached
 * (batch_failed()). */
static void
on_batch_record (VigilProgress *progress,
                 gpointer       user_data)
{
  Batch *batch = user_data;
  VigilPoller *self = batch->poller;
  PollerEntry *entry;
  guint i;

  if (progress->job_id == NULL ||
      (entry = g_hash_table_lookup (self->entries, progress->job_id)) == NULL)
    return;
  batch->named = TRUE;
  /* Listed, missed, listed again: answers come from several processes. */
  if (entry->listed && entry->missed > 0 && !self->batch_partial)
    {
      g_debug ("GET /api/progress lists only some running jobs (several web processes)");
      self->batch_partial = TRUE;
    }
  entry->listed = TRUE;
  entry->missed = 0;

  i = batch_find (batch, entry);
  if (i != G_MAXUINT && !(batch->flags[i] & BATCH_SETTLED))
    {
      batch->flags[i] |= BATCH_SETTLED;
      entry->in_batch = FALSE;
      entry->in_flight = FALSE;
    }
  if (entry->in_flight || entry->confirm)
    return;
  if (i != G_MAXUINT)
    batch->flags[i] |= BATCH_APPLIED;
  apply_progress (self, entry, progress);
}

/* The batch answer was read whole: a job of the batch that it does not
 * name is asked its job record when missing_needs_record() says so, else
 * it waits for the next batch. */
static void
finish_batch (VigilPoller *self,
              Batch       *batch)
{
  self->batch_seq++;
  self->last_batch_empty = !batch->named;
  if (!self->last_batch_empty)
    self->empty_proofs = self->batch_proven_empty = FALSE;
  else if (self->batch_proven_empty && batch_has_running (batch))
    {
      /* The rare probe of a route proven empty: still empty. */
      g_debug ("GET /api/progress still lists no running job");
      pause_batching (self, VIGIL_POLLER_BATCH_RETRY_S);
      for (guint i = 0; i < batch->entries->len; i++)
        {
          PollerEntry *entry = g_ptr_array_index (batch->entries, i);

          if (entry->poller != NULL && !entry->in_flight && entry->heap_index == G_MAXUINT)
            vigil_poller_schedule_next (self, entry);
        }
      return;
    }

  for (guint i = 0; i < batch->entries->len; i++)
    {
      PollerEntry *entry = g_ptr_array_index (batch->entries, i);

      if (!batch_pending (batch, i))
        continue;
      if (entry->confirm)
        {
          vigil_poller_schedule_now (self, entry);
          continue;
        }
      if (entry->missed < 15)
        entry->missed++;
      if (missing_needs_record (self, entry))
        {
          /* Asking the job record tells both "still running" and "finished". */
          entry->confirm = TRUE;
          vigil_poller_schedule_now (self, entry);
        }
      else
        vigil_poller_schedule_next (self, entry);
    }
}

/* The batch's jobs wait for the server's probe (or go one by one). */
static void
requeue_batch (VigilPoller *self,
               Batch       *batch)
{
  for (guint i = 0; i < batch->entries->len; i++)
    if (batch_pending (batch, i))
      vigil_poller_schedule_now (self, g_ptr_array_index (batch->entries, i));
}

static void
batch_failed (VigilPoller  *self,
              Batch        *batch,
              GAsyncResult *result,
              const GError *error)
{
  /* The server has no such route: don't ask for a while. */
  if (g_error_matches (error, VIGIL_API_ERROR, VIGIL_API_ERROR_NOT_FOUND))
    {
      g_debug ("no batch route (%s); polling one by one", error->message);
      pause_batching (self, VIGIL_POLLER_BATCH_RETRY_S);
      requeue_batch (self, batch);
      return;
    }

  /* One failed request for all its jobs: each retries soon, batched again,
   * unless batches keep failing while the server answers other requests
   * (when everything fails, the server is down, not the route). */
  if (++self->batch_failures >= BATCH_MAX_FAILURES && self->failures < self->batch_failures)
    {
      g_debug ("batch poll failed %u times (%s); polling one by one", self->batch_failures,
               error->message);
      self->batch_failures = 0;
      pause_batching (self, BATCH_PAUSE_S);
    }

  /* The jobs whose records were applied before the answer broke keep
   * them; every other job of the batch fails with it. */
  for (guint i = 0; i < batch->entries->len; i++)
    if (batch_pending (batch, i))
      handle_error (self, g_ptr_array_index (batch->entries, i), result, error);
}

static void
on_batch (GObject      *object,
          GAsyncResult *result,
          gpointer      user_data)
{
  g_autoptr(Batch) batch = user_data;
  g_autoptr(GError) error = NULL;
  VigilPoller *self = batch->poller;
  gboolean whole;

  whole = vigil_api_client_read_active_progress_finish (VIGIL_API_CLIENT (object), result, &error);
  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    return;

  self->n_in_flight--;
  vigil_poller_count_answer (self, result);
  for (guint i = 0; i < batch->entries->len; i++)
    {
      PollerEntry *entry = g_ptr_array_index (batch->entries, i);

      if (batch->flags[i] & BATCH_SETTLED)
        continue;   /* its record came: it may be in flight again since */
      batch->flags[i] |= BATCH_SETTLED;
      entry->in_batch = FALSE;
      if (entry->poller != NULL)
        entry->in_flight = FALSE;
    }

  if (!vigil_poller_note_answer (self, NULL, result, error))
    requeue_batch (self, batch);
  else if (whole)
    {
      self->batch_failures = 0;
      vigil_poller_count_batch_used (self);
      finish_batch (self, batch);
    }
  else
    batch_failed (self, batch, result, error);

  vigil_poller_arm (self);
}

static void
send_batch (VigilPoller *self,
            GPtrArray   *entries)
{
  Batch *batch = g_new0 (Batch, 1);

  batch->poller = self;
  batch->entries = g_ptr_array_new_full (entries->len, (GDestroyNotify) vigil_poller_entry_unref);
  batch->by_entry = g_new (guint, entries->len);
  batch->flags = g_new0 (guint8, entries->len);
  for (guint i = 0; i < entries->len; i++)
    {
      PollerEntry *entry = g_ptr_array_index (entries, i);

      entry->in_flight = TRUE;
      entry->in_batch = TRUE;
      entry->requests++;
      entry->batched++;
      g_ptr_array_add (batch->entries, vigil_poller_entry_ref (entry));
      batch->by_entry[i] = i;
    }
  g_qsort_with_data (batch->by_entry, (gint) entries->len, sizeof (guint), compare_by_entry,
                     batch->entries);

  self->n_in_flight++;
  self->next_batch_us = g_get_monotonic_time () +
                        (gint64) (VIGIL_POLLER_BATCH_INTERVAL_S * G_USEC_PER_SEC * self->time_scale);
  vigil_poller_count_request (self, TRUE);
  g_debug ("batch poll for %u jobs", entries->len);
  vigil_api_client_read_active_progress_async (self->client, on_batch_record, batch,
                                               self->cancellable, on_batch, batch);
}

/* ------------------------------------------------------------------ */
/* Dispatch                                                            */
/* ------------------------------------------------------------------ */

/* When the job should end by its last news (monotonic, real); 0 unknown */
static gint64
predicted_end_us (VigilPoller *self,
                  PollerEntry *entry)
{
  double eta = vigil_job_get_eta_seconds (entry->job);

  if (entry->heard_us == 0 || !(eta >= 0))
    return 0;
  return entry->heard_us + (gint64) (eta * G_USEC_PER_SEC * self->time_scale);
}

/* Take the due jobs off the heap, earliest first. Every batchable job due
 * within the batch window goes into `batch`, whatever the free slots: the
 * batch needs one slot for all of them, and counting each against the
 * slots would starve batching exactly when the poller is busiest (with the
 * slots taken, every dispatch took one job and asked it on its own). Other
 * jobs due now go into `singles` while slots remain; the first one that
 * finds no slot stops the walk, so a backlog is not re-sorted per answer. */
static void
collect_due (VigilPoller *self,
             gint64       now,
             guint        free_slots,
             GPtrArray   *batch,
             GPtrArray   *singles,
             GPtrArray   *later)
{
  gint64 window = (gint64) (VIGIL_POLLER_BATCH_WINDOW_MS * 1000.0 * self->time_scale);
  gint64 final_us = (gint64) (FINAL_AFTER_END_S * G_USEC_PER_SEC * self->time_scale);

  while (self->heap->len > 0 && vigil_poller_heap_peek (self->heap)->due_us <= now + window)
    {
      PollerEntry *entry = vigil_poller_heap_peek (self->heap);
      gboolean batchable = is_batchable (self, entry);

      if (!batchable && entry->due_us <= now && singles->len >= free_slots)
        break;

      vigil_poller_heap_pop (self->heap);
      if (batchable && now < self->next_batch_us)
        {
          /* One batch per interval: wait for the next one, or, when the
           * job should end before it, ask its job record just after the
           * predicted end (the end then costs one request, on time). */
          gint64 end_us = predicted_end_us (self, entry);

          entry->due_us = self->next_batch_us;
          if (end_us > 0 && end_us + final_us < self->next_batch_us)
            {
              entry->expect_end = TRUE;
              entry->due_us = MAX (end_us + final_us, now);
            }
          g_ptr_array_add (later, entry);
        }
      else if (batchable)
        g_ptr_array_add (batch, entry);
      else if (entry->due_us <= now)
        g_ptr_array_add (singles, entry);
      else
        g_ptr_array_add (later, entry);
    }
}

/* Send what is due: two or more batchable jobs share one GET /api/progress
 * (it takes a slot before any single request); the rest are asked one by
 * one, as request slots allow. */
void
vigil_poller_dispatch (VigilPoller *self)
{
  g_autoptr(GPtrArray) batch = g_ptr_array_new ();
  g_autoptr(GPtrArray) singles = g_ptr_array_new ();
  g_autoptr(GPtrArray) later = g_ptr_array_new ();
  gint64 now = g_get_monotonic_time ();
  guint free_slots;

  if (self->offline || self->n_in_flight >= VIGIL_POLLER_MAX_IN_FLIGHT)
    return;

  if (self->health != VIGIL_SERVER_HEALTH_OK)
    {
      vigil_poller_dispatch_probe (self, now);
      vigil_poller_arm (self);
      return;
    }

  free_slots = VIGIL_POLLER_MAX_IN_FLIGHT - self->n_in_flight;
  collect_due (self, now, free_slots, batch, singles, later);

  if (batch->len >= 2)
    {
      if (singles->len == free_slots)
        g_ptr_array_add (later, g_ptr_array_steal_index (singles, singles->len - 1));
      send_batch (self, batch);
    }
  else if (batch->len == 1)
    {
      PollerEntry *entry = g_ptr_array_index (batch, 0);

      g_ptr_array_add (entry->due_us <= now && singles->len < free_slots ? singles : later, entry);
    }

  for (guint i = 0; i < singles->len; i++)
    vigil_poller_send_single (self, g_ptr_array_index (singles, i));

  for (guint i = 0; i < later->len; i++)
    {
      PollerEntry *entry = g_ptr_array_index (later, i);
      vigil_poller_heap_schedule (self->heap, entry, entry->due_us);
    }

  vigil_poller_arm (self);
}
