/* vigil-poller-heap.c — a tracked job's entry, and the binary heap that
 * orders the entries by due time, so the poller arms one timer for the
 * earliest of any number of jobs
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include "vigil-poller-private.h"

/* ------------------------------------------------------------------ */
/* Entries                                                             */
/* ------------------------------------------------------------------ */

static void
entry_clear (PollerEntry *entry)
{
  g_clear_object (&entry->job);
  g_clear_pointer (&entry->job_id, g_free);
}

PollerEntry *
vigil_poller_entry_new (VigilPoller *poller,
                        VigilJob    *job)
{
  PollerEntry *entry;

  g_assert (VIGIL_IS_JOB (job));

  entry = g_rc_box_new0 (PollerEntry);
  entry->poller = poller;
  entry->job = g_object_ref (job);
  entry->job_id = g_strdup (vigil_job_get_job_id (job));
  entry->heap_index = G_MAXUINT;
  entry->tracked_since_us = g_get_monotonic_time ();
  entry->retry_after_ms = -1;
  entry->queued = vigil_job_get_server_state (job) == VIGIL_SERVER_STATE_QUEUED;
  entry->fresh = TRUE;
  return entry;
}

PollerEntry *
vigil_poller_entry_ref (PollerEntry *entry)
{
  return g_rc_box_acquire (entry);
}

void
vigil_poller_entry_unref (PollerEntry *entry)
{
  g_rc_box_release_full (entry, (GDestroyNotify) entry_clear);
}

/* ------------------------------------------------------------------ */
/* The timer heap                                                      */
/* ------------------------------------------------------------------ */

static inline PollerEntry *
heap_at (GPtrArray *heap,
         guint      i)
{
  return g_ptr_array_index (heap, i);
}

static void
heap_swap (GPtrArray *heap,
           guint      a,
           guint      b)
{
  PollerEntry *ea = heap_at (heap, a);
  PollerEntry *eb = heap_at (heap, b);

  heap->pdata[a] = eb;
  heap->pdata[b] = ea;
  eb->heap_index = a;
  ea->heap_index = b;
}

static void
heap_sift_up (GPtrArray *heap,
              guint      i)
{
  while (i > 0)
    {
      guint parent = (i - 1) / 2;

      if (heap_at (heap, parent)->due_us <= heap_at (heap, i)->due_us)
        break;
      heap_swap (heap, parent, i);
      i = parent;
    }
}

static void
heap_sift_down (GPtrArray *heap,
                guint      i)
{
  for (;;)
    {
      guint left = 2 * i + 1, right = left + 1, min = i;

      if (left < heap->len && heap_at (heap, left)->due_us < heap_at (heap, min)->due_us)
        min = left;
      if (right < heap->len && heap_at (heap, right)->due_us < heap_at (heap, min)->due_us)
        min = right;
      if (min == i)
        break;
      heap_swap (heap, i, min);
      i = min;
    }
}

void
vigil_poller_heap_remove (GPtrArray   *heap,
                          PollerEntry *entry)
{
  guint i = entry->heap_index;
  guint last;
  PollerEntry *moved;

  if (i == G_MAXUINT)
    return;

  last = heap->len - 1;
  if (i != last)
    heap_swap (heap, i, last);
  g_ptr_array_set_size (heap, last);
  entry->heap_index = G_MAXUINT;

  if (i >= heap->len)
    return;

  /* The entry moved into the hole may belong higher or lower. */
  moved = heap_at (heap, i);
  heap_sift_up (heap, i);
  if (moved->heap_index == i)
    heap_sift_down (heap, i);
}

void
vigil_poller_heap_schedule (GPtrArray   *heap,
                            PollerEntry *entry,
                            gint64       due_us)
{
  vigil_poller_heap_remove (heap, entry);
  entry->due_us = due_us;
  entry->heap_index = heap->len;
  g_ptr_array_add (heap, entry);
  heap_sift_up (heap, entry->heap_index);
}

PollerEntry *
vigil_poller_heap_pop (GPtrArray *heap)
{
  PollerEntry *top = heap_at (heap, 0);

  vigil_poller_heap_remove (heap, top);
  return top;
}
