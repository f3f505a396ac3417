/* test-poller-heap.c — the poller's timer heap without a poller or a
 * server: entries come out earliest first however they were scheduled,
 * moved or removed, and each knows its place
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "vigil-poller-private.h"

#define N_ENTRIES 500

typedef struct
{
  GPtrArray *heap;     /* PollerEntry*, unowned: the heap as the poller keeps it */
  GPtrArray *entries;  /* PollerEntry*, owned */
} Fixture;

static PollerEntry *
new_entry (guint n)
{
  g_autofree char *id = g_strdup_printf ("job-%u", n);
  g_autoptr(VigilJob) job = vigil_job_new (id, VIGIL_JOB_KIND_SONG, n);

  return vigil_poller_entry_new (NULL, job);
}

static void
fixture_setup (Fixture       *fixture,
               gconstpointer  data)
{
  fixture->heap = g_ptr_array_new ();
  fixture->entries = g_ptr_array_new_with_free_func ((GDestroyNotify) vigil_poller_entry_unref);
  for (guint i = 0; i < N_ENTRIES; i++)
    g_ptr_array_add (fixture->entries, new_entry (i));
}

static void
fixture_teardown (Fixture       *fixture,
                  gconstpointer  data)
{
  g_ptr_array_unref (fixture->heap);
  g_ptr_array_unref (fixture->entries);
}

static PollerEntry *
entry_at (Fixture *fixture,
          guint    i)
{
  return g_ptr_array_index (fixture->entries, i);
}

/* Every entry knows its place, no parent is due after its children, and
 * an entry out of the heap says so. */
static void
assert_heap (Fixture *fixture)
{
  guint in_heap = 0;

  for (guint i = 0; i < fixture->heap->len; i++)
    {
      PollerEntry *entry = g_ptr_array_index (fixture->heap, i);

      g_assert_cmpuint (entry->heap_index, ==, i);
      if (i > 0)
        {
          PollerEntry *parent = g_ptr_array_index (fixture->heap, (i - 1) / 2);

          g_assert_cmpint (parent->due_us, <=, entry->due_us);
        }
    }

  for (guint i = 0; i < fixture->entries->len; i++)
    {
      PollerEntry *entry = entry_at (fixture, i);

      if (entry->heap_index == G_MAXUINT)
        continue;
      g_assert_cmpuint (entry->heap_index, <, fixture->heap->len);
      g_assert_true (g_ptr_array_index (fixture->heap, entry->heap_index) == entry);
      in_heap++;
    }
  g_assert_cmpuint (in_heap, ==, fixture->heap->len);
}

/* Pop everything: due times never go back, and each entry leaves. */
static void
assert_drains_in_order (Fixture *fixture,
                        guint    expected)
{
  gint64 last = G_MININT64;
  guint n = 0;

  while (fixture->heap->len > 0)
    {
      PollerEntry *top = vigil_poller_heap_peek (fixture->heap);
      PollerEntry *entry = vigil_poller_heap_pop (fixture->heap);

      g_assert_true (entry == top);
      g_assert_cmpint (entry->due_us, >=, last);
      g_assert_cmpuint (entry->heap_index, ==, G_MAXUINT);
      last = entry->due_us;
      n++;
    }
  g_assert_cmpuint (n, ==, expected);
  assert_heap (fixture);
}

static void
test_new_entry (void)
{
  g_autoptr(VigilJob) job = vigil_job_new ("job-1", VIGIL_JOB_KIND_SONG, 1);
  PollerEntry *entry = vigil_poller_entry_new (NULL, job);

  g_assert_null (entry->poller);
  g_assert_true (entry->job == job);
  g_assert_cmpstr (entry->job_id, ==, "job-1");
  g_assert_cmpuint (entry->heap_index, ==, G_MAXUINT);
  g_assert_cmpint (entry->retry_after_ms, ==, -1);
  g_assert_true (entry->fresh);
  g_assert_false (entry->in_flight);

  /* A reference (a request in flight) keeps the job. */
  vigil_poller_entry_ref (entry);
  vigil_poller_entry_unref (entry);
  g_assert_true (entry->job == job);
  vigil_poller_entry_unref (entry);
  g_assert_finalize_object (g_steal_pointer (&job));
}

static void
test_order (Fixture       *fixture,
            gconstpointer  data)
{
  for (guint i = 0; i < fixture->entries->len; i++)
    vigil_poller_heap_schedule (fixture->heap, entry_at (fixture, i),
                                g_test_rand_int_range (0, 1000) * G_USEC_PER_SEC);
  assert_heap (fixture);
  assert_drains_in_order (fixture, N_ENTRIES);
}

/* Equal due times, and times given in order and in reverse order. */
static void
test_ties_and_runs (Fixture       *fixture,
                    gconstpointer  data)
{
  for (guint i = 0; i < fixture->entries->len; i++)
    vigil_poller_heap_schedule (fixture->heap, entry_at (fixture, i), 42);
  assert_heap (fixture);
  assert_drains_in_order (fixture, N_ENTRIES);

  for (guint i = 0; i < fixture->entries->len; i++)
    vigil_poller_heap_schedule (fixture->heap, entry_at (fixture, i), i);
  assert_heap (fixture);
  for (guint i = 0; i < fixture->entries->len; i++)
    g_assert_true (vigil_poller_heap_pop (fixture->heap) == entry_at (fixture, i));

  for (guint i = 0; i < fixture->entries->len; i++)
    vigil_poller_heap_schedule (fixture->heap, entry_at (fixture, i), N_ENTRIES - i);
  assert_heap (fixture);
  for (guint i = fixture->entries->len; i > 0; i--)
    g_assert_true (vigil_poller_heap_pop (fixture->heap) == entry_at (fixture, i - 1));
}

/* Scheduling an entry that is in the heap moves it, earlier or later. */
static void
test_reschedule (Fixture       *fixture,
                 gconstpointer  data)
{
  for (guint i = 0; i < fixture->entries->len; i++)
    vigil_poller_heap_schedule (fixture->heap, entry_at (fixture, i),
                                g_test_rand_int_range (1000, 2000));

  for (guint round = 0; round < 2000; round++)
    {
      PollerEntry *entry = entry_at (fixture, g_test_rand_int_range (0, N_ENTRIES));

      vigil_poller_heap_schedule (fixture->heap, entry, g_test_rand_int_range (0, 3000));
      g_assert_cmpuint (fixture->heap->len, ==, N_ENTRIES);
    }
  assert_heap (fixture);

  vigil_poller_heap_schedule (fixture->heap, entry_at (fixture, 7), -1);
  g_assert_true (vigil_poller_heap_peek (fixture->heap) == entry_at (fixture, 7));
  assert_drains_in_order (fixture, N_ENTRIES);
}

/* Removing from anywhere (the top, the last place, the middle) keeps the
 * order; removing an entry that is out does nothing. */
static void
test_remove (Fixture       *fixture,
             gconstpointer  data)
{
  guint removed = 0;

  for (guint i = 0; i < fixture->entries->len; i++)
    vigil_poller_heap_schedule (fixture->heap, entry_at (fixture, i),
                                g_test_rand_int_range (0, 100000));

  vigil_poller_heap_remove (fixture->heap, vigil_poller_heap_peek (fixture->heap));
  vigil_poller_heap_remove (fixture->heap, g_ptr_array_index (fixture->heap,
                                                              fixture->heap->len - 1));
  removed += 2;
  assert_heap (fixture);

  for (guint i = 0; i < fixture->entries->len; i += 3)
    {
      PollerEntry *entry = entry_at (fixture, i);
      gboolean was_in = entry->heap_index != G_MAXUINT;

      vigil_poller_heap_remove (fixture->heap, entry);
      g_assert_cmpuint (entry->heap_index, ==, G_MAXUINT);
      removed += was_in ? 1 : 0;
      assert_heap (fixture);
      vigil_poller_heap_remove (fixture->heap, entry);
    }

  g_assert_cmpuint (fixture->heap->len, ==, N_ENTRIES - removed);
  assert_drains_in_order (fixture, N_ENTRIES - removed);
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

#define ADD(path, func) \
  g_test_add ("/vigil/poller-heap/" path, Fixture, NULL, fixture_setup, func, fixture_teardown)

  g_test_add_func ("/vigil/poller-heap/new-entry", test_new_entry);
  ADD ("order", test_order);
  ADD ("ties-and-runs", test_ties_and_runs);
  ADD ("reschedule", test_reschedule);
  ADD ("remove", test_remove);

#undef ADD

  return g_test_run ();
}
