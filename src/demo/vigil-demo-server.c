/* vigil-demo-server.c — the reference server: the API contract served by a
 * SoupServer over a simulated, event-driven pool of workers
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <math.h>
#include <string.h>
#include <glib/gi18n-lib.h>
#include <json-glib/json-glib.h>
#include <libsoup/soup.h>

#include "vigil-demo-server.h"

/* Within one song: "starting" until this share of the song, then
 * "fetching_lyrics" until the next, then "analyzing". */
#define STARTING_END  0.10
#define FETCHING_END  0.35

#define UNMATCHED_PATTERN "(unmatched)"
#define HEARTBEAT_SECONDS 10.0

typedef struct
{
  gint64 song_id;
  double start;    /* virtual offset of the song within the job */
  double seconds;  /* virtual duration */
} DemoItem;

typedef struct
{
  char           *id;
  VigilJobKind    kind;
  gint64          target_id;
  gboolean        reanalyze;         /* playlist: every song, not only the unanalysed */
  guint64         seq;               /* FIFO order within a priority */
  VigilJobStatus  status;
  GArray         *items;             /* DemoItem */
  double          total;             /* sum of the songs' durations */
  double          estimate;          /* estimated_duration_per_item */
  double          phase_work;        /* work already done when picked up */
  double          end_work;          /* where the job ends: total, or the failure point */
  const char     *failure;           /* static; set: the job fails at end_work */
  gint64          created_wall;      /* real µs since the epoch */
  gint64          started_wall;      /* 0 until picked up */
  gint64          finished_wall;     /* 0 until finished */
  double          queued_vt;         /* when it entered the queue */
  double          start_vt;          /* -1 until picked up */
  double          finish_vt;         /* -1 until finished */
  gboolean        progress_dropped;  /* progress record cleaned up while running */
} DemoJob;

typedef struct
{
  char           *job_id;
  guint           which;             /* JOB_STARTED or JOB_FINISHED */
  VigilJobStatus  status;
} DemoEvent;

/* What a running job is doing at a given virtual time */
typedef struct
{
  guint      current;        /* the song being worked on = completed songs */
  double     song_fraction;  /* 0..1 within that song */
  VigilStep  step;
  double     eta;            /* virtual seconds */
} Snapshot;

typedef struct
{
  VigilDemoServer   *self;
  SoupServerMessage *msg;
  guint              source_id;
  gulong             finished_id;
} Delayed;

struct _VigilDemoServer
{
  GObject      parent_instance;

  SoupServer  *server;
  char        *host;             /* NULL when not listening */
  guint        port;

  /* the virtual clock: anchor_virtual at anchor_mono, then `speed` per second */
  gint64       anchor_mono;
  double       anchor_virtual;
  double       sim_time;         /* the simulation has been computed up to here */
  guint        timer_id;         /* armed at the next event */

  GPtrArray   *jobs;             /* DemoJob, owned, in creation order */
  GHashTable  *jobs_by_id;       /* id → DemoJob */
  GPtrArray   *pending;          /* DemoJob, borrowed */
  GPtrArray   *running;          /* DemoJob, borrowed, in pickup order */
  GArray      *events;           /* DemoEvent, emitted once the simulation is current */
  guint64      next_seq;
  guint8      *analyzed;         /* per song id */
  guint64      jobs_processed;
  guint64      jobs_failed;

  GRand       *sim_rand;         /* job ids, durations, failures */
  GRand       *fault_rand;       /* error-rate, apart so polling does not change jobs */

  GHashTable  *pattern_counts;   /* pattern → guint64* */
  GHashTable  *job_counts;       /* job id → guint64* */
  guint64      total_requests;
  guint64      response_bytes;
  GPtrArray   *delayed;          /* Delayed */

  guint        workers;
  double       speed;
  double       song_seconds;
  guint64      seed;
  char        *require_token;
  char        *admin_token;
  gboolean     signin_redirect;
  double       error_rate;
  guint        latency_ms;
  double       failure_rate;
  gboolean     production_steps;
  gboolean     production_quirks;
  gboolean     old_shape;
  gboolean     no_metadata;
  gboolean     batch_route;
};

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
  PROP_PRODUCTION_QUIRKS,
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
/* Catalog                                                             */
/* ------------------------------------------------------------------ */

static const char * const title_adjectives[] = {
  "Golden", "Broken", "Silent", "Electric", "Midnight", "Wild", "Hollow",
  "Crimson", "Gentle", "Restless", "Paper", "Neon", "Distant", "Burning",
  "Quiet", "Velvet", "Endless", "Summer", "Fading", "Northern",
};

static const char * const title_nouns[] = {
  "Hearts", "Rivers", "Skies", "Roads", "Dreams", "Lights", "Horizon",
  "Echoes", "Shadows", "Letters", "Harbor", "Fire", "Rain", "Stars",
  "Gardens", "Waves", "Thunder", "Mornings", "Promises", "Canyon", "Streets",
  "Mountains", "Tides", "Voices", "Satellites",
};

static const char * const artists[] = {
  "Mara Quinn", "The Lantern Club", "Eli Navarro", "Juniper Vale",
  "Northbound Choir", "Sol & The Tides", "Theo Marsh", "Iris Calloway",
  "Hollow Pines", "Nadia Brooks", "The Velvet Hours", "Owen Reyes",
  "Lumen Avenue", "Clara Voss", "Glass Harbor", "Ruben Hale",
  "Wren & Fletcher", "Kit Solano", "The Quiet Engines", "Amara Lowe",
  "Silver Meridian", "Jonah Pike", "Ember Lane", "Tessa Morrow", "Blue Atlas",
};

static const char * const playlist_names[] = {
  "Morning Commute", "Sunday Worship", "Road Trip Classics", "Workout Mix",
  "Quiet Evenings", "Youth Group Favorites", "Study Focus", "Summer Camp",
  "Acoustic Sessions", "Family Dinner", "Rainy Day", "Throwback Hits",
  "New Releases", "Late Night Drive", "Choir Practice", "Kids' Car Songs",
  "Wedding Reception", "Gym Rotation", "Indie Discoveries", "Already Reviewed",
};

static const char * const usernames[] = {
  "alice", "bruno", "chen", "dara", "emeka", "fatima", "gus", "hana",
  "ivan", "jo",
};

static const char * const failure_messages[] = {
  "Lyrics provider timed out",
  "Analysis model returned an invalid response",
  "Lyrics could not be decoded",
  "Worker lost its connection to Redis",
};

/* Every (adjective, noun) pair is used once across the 500 songs. */
G_STATIC_ASSERT (G_N_ELEMENTS (title_adjectives) * G_N_ELEMENTS (title_nouns) ==
                 VIGIL_DEMO_SERVER_N_SONGS);
G_STATIC_ASSERT (G_N_ELEMENTS (playlist_names) == VIGIL_DEMO_SERVER_N_PLAYLISTS);
G_STATIC_ASSERT (G_N_ELEMENTS (usernames) == VIGIL_DEMO_SERVER_N_USERS);

static gboolean
catalog_has (gint64 id,
             gint64 count)
{
  return id >= 1 && id <= count;
}

static char *
song_title (gint64 song_id)
{
  guint k = (guint) (song_id - 1);
  guint adjective = k % G_N_ELEMENTS (title_adjectives);
  guint row = k / G_N_ELEMENTS (title_adjectives);
  guint noun = (11 * row + 3 * adjective) % G_N_ELEMENTS (title_nouns);

  g_assert (catalog_has (song_id, VIGIL_DEMO_SERVER_N_SONGS));

  return g_strdup_printf ("%s %s", title_adjectives[adjective], title_nouns[noun]);
}

static const char *
song_artist (gint64 song_id)
{
  guint k = (guint) (song_id - 1);

  g_assert (catalog_has (song_id, VIGIL_DEMO_SERVER_N_SONGS));

  return artists[(k * 7 + k / G_N_ELEMENTS (artists)) % G_N_ELEMENTS (artists)];
}

/* count songs spread over the catalog (53 is prime to 500: all distinct) */
static GArray *
song_sequence (gint64 first,
               guint  count)
{
  GArray *songs = g_array_sized_new (FALSE, FALSE, sizeof (gint64), count);

  for (guint k = 0; k < count; k++)
    {
      gint64 id = (first + (gint64) k * 53) % VIGIL_DEMO_SERVER_N_SONGS + 1;
      g_array_append_val (songs, id);
    }

  return songs;
}

static GArray *
playlist_songs (gint64 playlist_id)
{
  return song_sequence (playlist_id * 37, 5 + (guint) (playlist_id * 11) % 26);
}

static GArray *
user_songs (gint64 user_id)
{
  return song_sequence (user_id * 97, 30 + (guint) (user_id * 73) % 320);
}

/* The target's own songs, or NULL for an unknown target */
static GArray *
target_songs (VigilJobKind kind,
              gint64       target_id)
{
  GArray *songs = NULL;

  if (kind == VIGIL_JOB_KIND_SONG && catalog_has (target_id, VIGIL_DEMO_SERVER_N_SONGS))
    {
      songs = g_array_new (FALSE, FALSE, sizeof (gint64));
      g_array_append_val (songs, target_id);
    }
  else if (kind == VIGIL_JOB_KIND_PLAYLIST && catalog_has (target_id, VIGIL_DEMO_SERVER_N_PLAYLISTS))
    songs = playlist_songs (target_id);
  else if (kind == VIGIL_JOB_KIND_BACKGROUND && catalog_has (target_id, VIGIL_DEMO_SERVER_N_USERS))
    songs = user_songs (target_id);

  return songs;
}

static char *
target_name (VigilJobKind kind,
             gint64       target_id)
{
  if (kind == VIGIL_JOB_KIND_PLAYLIST)
    return catalog_has (target_id, VIGIL_DEMO_SERVER_N_PLAYLISTS)
           ? g_strdup (playlist_names[target_id - 1])
           : g_strdup_printf ("Playlist %" G_GINT64_FORMAT, target_id);

  return catalog_has (target_id, VIGIL_DEMO_SERVER_N_USERS)
         ? g_strdup (usernames[target_id - 1])
         : g_strdup_printf ("user%" G_GINT64_FORMAT, target_id);
}

static void
init_analyzed (VigilDemoServer *self)
{
  g_autoptr(GArray) reviewed = playlist_songs (VIGIL_DEMO_SERVER_ANALYZED_PLAYLIST);

  self->analyzed = g_new0 (guint8, VIGIL_DEMO_SERVER_N_SONGS + 1);
  for (guint id = 4; id <= VIGIL_DEMO_SERVER_N_SONGS; id += 4)
    self->analyzed[id] = TRUE;
  for (guint i = 0; i < reviewed->len; i++)
    self->analyzed[g_array_index (reviewed, gint64, i)] = TRUE;
}

static GArray *
filter_unanalyzed (VigilDemoServer *self,
                   GArray          *songs)
{
  GArray *result = g_array_new (FALSE, FALSE, sizeof (gint64));

  for (guint i = 0; i < songs->len; i++)
    if (!self->analyzed[g_array_index (songs, gint64, i)])
      g_array_append_val (result, g_array_index (songs, gint64, i));

  return result;
}

/* ------------------------------------------------------------------ */
/* Jobs                                                                */
/* ------------------------------------------------------------------ */

static VigilPriority
job_priority (const DemoJob *job)
{
  switch (job->kind)
    {
    case VIGIL_JOB_KIND_SONG:
      return VIGIL_PRIORITY_HIGH;
    case VIGIL_JOB_KIND_PLAYLIST:
      return VIGIL_PRIORITY_MEDIUM;
    case VIGIL_JOB_KIND_BACKGROUND:
    case VIGIL_JOB_KIND_UNKNOWN:
    default:
      return VIGIL_PRIORITY_LOW;
    }
}

static const DemoItem *
job_item (const DemoJob *job,
          guint          pos)
{
  return &g_array_index (job->items, DemoItem, pos);
}

/* The song being worked on at a work position */
static guint
job_item_at (const DemoJob *job,
             double         work)
{
  for (guint i = 0; i < job->items->len; i++)
    {
      const DemoItem *item = job_item (job, i);

      if (work < item->start + item->seconds)
        return i;
    }

  return job->items->len - 1;
}

static double
job_end_vt (const DemoJob *job)
{
  return job->start_vt + (job->end_work - job->phase_work);
}

static gboolean
job_has_progress (const DemoJob *job)
{
  return job->status == VIGIL_JOB_STATUS_IN_PROGRESS && !job->progress_dropped;
}

static void
demo_job_free (DemoJob *job)
{
  g_free (job->id);
  g_clear_pointer (&job->items, g_array_unref);
  g_free (job);
}

static char *
new_job_id (GRand *rand)
{
  guint32 w[4];

  for (guint i = 0; i < G_N_ELEMENTS (w); i++)
    w[i] = g_rand_int (rand);

  w[1] = (w[1] & 0xffff0fff) | 0x00004000;  /* UUID version 4 */
  w[2] = (w[2] & 0x3fffffff) | 0x80000000;  /* RFC 4122 variant */

  return g_strdup_printf ("%08x-%04x-%04x-%04x-%04x%08x",
                          w[0], w[1] >> 16, w[1] & 0xffff,
                          w[2] >> 16, w[2] & 0xffff, w[3]);
}

static void
job_set_items (VigilDemoServer *self,
               DemoJob         *job,
               GArray          *songs,
               double           item_seconds)
{
  job->items = g_array_sized_new (FALSE, FALSE, sizeof (DemoItem), songs->len);
  job->estimate = item_seconds > 0 ? item_seconds : self->song_seconds;

  for (guint i = 0; i < songs->len; i++)
    {
      DemoItem item = { g_array_index (songs, gint64, i), job->total, item_seconds };

      if (item_seconds <= 0)
        item.seconds = self->song_seconds * g_rand_double_range (self->sim_rand, 0.75, 1.25);
      job->total += item.seconds;
      g_array_append_val (job->items, item);
    }
}

/* failure-rate is decided when the job is created: where it will fail */
static void
job_decide_failure (VigilDemoServer *self,
                    DemoJob         *job)
{
  double remaining = job->total - job->phase_work;
  guint which;

  if (!(self->failure_rate > 0) || g_rand_double (self->sim_rand) >= self->failure_rate)
    return;

  which = g_rand_int_range (self->sim_rand, 0, G_N_ELEMENTS (failure_messages));
  job->failure = failure_messages[which];
  job->end_work = job->phase_work + remaining * g_rand_double_range (self->sim_rand, 0.05, 0.95);
}

static DemoJob *
demo_job_new (VigilDemoServer *self,
              VigilJobKind     kind,
              gint64           target_id,
              GArray          *songs,
              double           item_seconds,
              double           phase)
{
  DemoJob *job = g_new0 (DemoJob, 1);

  g_assert (songs->len > 0);

  job->id = new_job_id (self->sim_rand);
  while (g_hash_table_contains (self->jobs_by_id, job->id))
    {
      g_free (job->id);
      job->id = new_job_id (self->sim_rand);
    }

  job->kind = kind;
  job->target_id = target_id;
  job->seq = self->next_seq++;
  job->status = VIGIL_JOB_STATUS_PENDING;
  job_set_items (self, job, songs, item_seconds);
  job->phase_work = CLAMP (phase, 0.0, 1.0) * job->total;
  job->end_work = job->total;
  job_decide_failure (self, job);
  job->created_wall = g_get_real_time ();
  job->start_vt = -1;
  job->finish_vt = -1;

  return job;
}

static GArray *
cycle_songs (GArray *natural,
             guint   n_items)
{
  GArray *songs;

  if (natural == NULL)
    return song_sequence (0, MAX (n_items, 1));
  if (n_items == 0)
    return g_array_ref (natural);

  songs = g_array_sized_new (FALSE, FALSE, sizeof (gint64), n_items);
  for (guint k = 0; k < n_items; k++)
    g_array_append_val (songs, g_array_index (natural, gint64, k % natural->len));

  return songs;
}

static void
mark_analyzed (VigilDemoServer *self,
               const DemoJob   *job)
{
  guint done = job->items->len;

  if (job->status == VIGIL_JOB_STATUS_FAILED)
    done = job_item_at (job, job->end_work);

  for (guint i = 0; i < done; i++)
    self->analyzed[job_item (job, i)->song_id] = TRUE;
}

/* ------------------------------------------------------------------ */
/* The virtual clock and the event-driven simulation                   */
/* ------------------------------------------------------------------ */

static gboolean on_timer (gpointer data);

static double
virtual_at (VigilDemoServer *self,
            gint64           mono)
{
  return self->anchor_virtual +
         (double) (mono - self->anchor_mono) / G_USEC_PER_SEC * self->speed;
}

static double
virtual_now (VigilDemoServer *self)
{
  return virtual_at (self, g_get_monotonic_time ());
}

/* The wall-clock time (µs since the epoch) at which the virtual clock read vt */
static gint64
wall_time_at (VigilDemoServer *self,
              double           vt)
{
  double real_ago = (virtual_now (self) - vt) / self->speed;

  return g_get_real_time () - (gint64) (real_ago * G_USEC_PER_SEC);
}

static void
demo_event_clear (gpointer data)
{
  DemoEvent *event = data;

  g_free (event->job_id);
}

static GArray *
new_event_array (void)
{
  GArray *events = g_array_new (FALSE, FALSE, sizeof (DemoEvent));

  g_array_set_clear_func (events, demo_event_clear);
  return events;
}

static void
queue_event (VigilDemoServer *self,
             const DemoJob   *job,
             guint            which)
{
  DemoEvent event = { g_strdup (job->id), which, job->status };

  g_array_append_val (self->events, event);
}

/* Highest priority first (HIGH = 1), FIFO within a priority */
static DemoJob *
take_next_pending (VigilDemoServer *self)
{
  guint best = 0;

  for (guint i = 1; i < self->pending->len; i++)
    {
      const DemoJob *job = g_ptr_array_index (self->pending, i);

      if (job_priority (job) < job_priority (g_ptr_array_index (self->pending, best)))
        best = i;
    }

  return g_ptr_array_steal_index (self->pending, best);
}

static void
start_job (VigilDemoServer *self,
           DemoJob         *job,
           double           vt)
{
  job->status = VIGIL_JOB_STATUS_IN_PROGRESS;
  job->start_vt = vt;
  /* the clock mapping is exact to a few µs: never start before creation */
  job->started_wall = MAX (wall_time_at (self, vt), job->created_wall);
  g_ptr_array_add (self->running, job);
  queue_event (self, job, JOB_STARTED);
}

static void
finish_job (VigilDemoServer *self,
            DemoJob         *job)
{
  job->finish_vt = job_end_vt (job);
  job->finished_wall = wall_time_at (self, job->finish_vt);
  job->status = job->failure != NULL ? VIGIL_JOB_STATUS_FAILED : VIGIL_JOB_STATUS_COMPLETED;
  g_ptr_array_remove (self->running, job);
  mark_analyzed (self, job);

  self->jobs_processed++;
  if (job->failure != NULL)
    self->jobs_failed++;

  queue_event (self, job, JOB_FINISHED);
}

static DemoJob *
next_to_finish (VigilDemoServer *self)
{
  DemoJob *next = NULL;

  for (guint i = 0; i < self->running->len; i++)
    {
      DemoJob *job = g_ptr_array_index (self->running, i);

      if (next == NULL || job_end_vt (job) < job_end_vt (next))
        next = job;
    }

  return next;
}

/* Process pickups and finishes in virtual-time order up to now. Pickups need
 * no event of their own: a job is picked up the moment a worker is free. */
static void
simulate_until (VigilDemoServer *self,
                double           now)
{
  for (;;)
    {
      DemoJob *job;

      while (self->running->len < self->workers && self->pending->len > 0)
        start_job (self, take_next_pending (self), self->sim_time);

      job = next_to_finish (self);
      if (job == NULL || job_end_vt (job) > now)
        break;

      self->sim_time = MAX (self->sim_time, job_end_vt (job));
      finish_job (self, job);
    }

  self->sim_time = MAX (self->sim_time, now);
}

/* One timeout at the next event, so that finishes (and the signals) happen
 * on time even when nobody asks */
static void
arm_timer (VigilDemoServer *self)
{
  DemoJob *next = next_to_finish (self);
  double delay_ms;

  g_clear_handle_id (&self->timer_id, g_source_remove);
  if (next == NULL)
    return;

  /* high priority: a finish is not held up behind request I/O */
  delay_ms = ceil ((job_end_vt (next) - virtual_now (self)) / self->speed * 1000.0);
  self->timer_id = g_timeout_add_full (G_PRIORITY_HIGH,
                                       (guint) CLAMP (delay_ms, 0.0, (double) G_MAXINT),
                                       on_timer, self, NULL);
}

static void
emit_events (VigilDemoServer *self)
{
  g_autoptr(GArray) events = NULL;

  if (self->events->len == 0)
    return;

  /* handlers may call back in and queue more events */
  events = g_steal_pointer (&self->events);
  self->events = new_event_array ();

  g_object_ref (self);
  for (guint i = 0; i < events->len; i++)
    {
      const DemoEvent *event = &g_array_index (events, DemoEvent, i);

      if (event->which == JOB_STARTED)
        g_signal_emit (self, signals[JOB_STARTED], 0, event->job_id);
      else
        g_signal_emit (self, signals[JOB_FINISHED], 0, event->job_id, (int) event->status);
    }
  g_object_unref (self);
}

/* Bring the simulation to the present */
static void
advance (VigilDemoServer *self)
{
  simulate_until (self, virtual_now (self));
  arm_timer (self);
  emit_events (self);
}

static gboolean
on_timer (gpointer data)
{
  VigilDemoServer *self = data;

  self->timer_id = 0;
  advance (self);

  return G_SOURCE_REMOVE;
}

static DemoJob *
enqueue_job (VigilDemoServer *self,
             VigilJobKind     kind,
             gint64           target_id,
             GArray          *songs,
             double           item_seconds,
             double           phase)
{
  DemoJob *job;

  advance (self);

  job = demo_job_new (self, kind, target_id, songs, item_seconds, phase);
  job->queued_vt = self->sim_time;
  g_ptr_array_add (self->jobs, job);
  g_hash_table_insert (self->jobs_by_id, job->id, job);
  g_ptr_array_add (self->pending, job);

  advance (self);

  return job;
}

static DemoJob *
lookup_job (VigilDemoServer *self,
            const char      *job_id)
{
  return g_hash_table_lookup (self->jobs_by_id, job_id);
}

/* ------------------------------------------------------------------ */
/* What a job is doing                                                 */
/* ------------------------------------------------------------------ */

static VigilStep
step_at (double song_fraction)
{
  if (song_fraction < STARTING_END)
    return VIGIL_STEP_STARTING;
  if (song_fraction < FETCHING_END)
    return VIGIL_STEP_FETCHING_LYRICS;
  return VIGIL_STEP_ANALYZING;
}

/* From the time the songs finished in this run took; before the first one
 * finishes, from the estimate */
static double
job_eta (const DemoJob *job,
         guint          current,
         double         work)
{
  guint first = job_item_at (job, job->phase_work);
  const DemoItem *item = job_item (job, current);
  double per_song = job->estimate;

  if (current > first)
    per_song = (item->start - job->phase_work) / (current - first);

  return MAX (0.0, per_song * (job->items->len - current) - (work - item->start));
}

static void
job_snapshot (const DemoJob *job,
              double         now,
              Snapshot      *snap)
{
  double work = CLAMP (job->phase_work + (now - job->start_vt), 0.0, job->end_work);
  const DemoItem *item;

  snap->current = job_item_at (job, work);
  item = job_item (job, snap->current);
  snap->song_fraction = item->seconds > 0
                        ? CLAMP ((work - item->start) / item->seconds, 0.0, 1.0)
                        : 1.0;
  snap->step = step_at (snap->song_fraction);
  snap->eta = job_eta (job, snap->current, work);
}

/* job.progress when there is no progress record */
static double
job_fraction (const DemoJob *job,
              double         now)
{
  Snapshot snap;

  switch (job->status)
    {
    case VIGIL_JOB_STATUS_COMPLETED:
      return 1.0;
    case VIGIL_JOB_STATUS_FAILED:
      return (double) job_item_at (job, job->end_work) / job->items->len;
    case VIGIL_JOB_STATUS_IN_PROGRESS:
      job_snapshot (job, now, &snap);
      return (double) snap.current / job->items->len;
    default:
      return 0.0;
    }
}

static double
job_seconds_left (const DemoJob *job,
                  double         now)
{
  Snapshot snap;

  if (job->status == VIGIL_JOB_STATUS_PENDING)
    return job->estimate * job->items->len * (1.0 - job->phase_work / job->total);

  if (job->status != VIGIL_JOB_STATUS_IN_PROGRESS)
    return 0.0;

  job_snapshot (job, now, &snap);
  return snap.eta;
}

static gint64
minutes_from_seconds (double seconds)
{
  return (gint64) ceil (seconds / 60.0);
}

static double
round_to (double value,
          int    digits)
{
  double scale = pow (10.0, digits);

  return round (value * scale) / scale;
}

/* ------------------------------------------------------------------ */
/* JSON                                                                */
/* ------------------------------------------------------------------ */

static void
add_string (JsonBuilder *b,
            const char  *name,
            const char  *value)
{
  json_builder_set_member_name (b, name);
  if (value != NULL)
    json_builder_add_string_value (b, value);
  else
    json_builder_add_null_value (b);
}

static void
add_take_string (JsonBuilder *b,
                 const char  *name,
                 char        *value)
{
  add_string (b, name, value);
  g_free (value);
}

static void
add_int (JsonBuilder *b,
         const char  *name,
         gint64       value)
{
  json_builder_set_member_name (b, name);
  json_builder_add_int_value (b, value);
}

static void
add_double (JsonBuilder *b,
            const char  *name,
            double       value)
{
  json_builder_set_member_name (b, name);
  json_builder_add_double_value (b, value);
}

static void
add_bool (JsonBuilder *b,
          const char  *name,
          gboolean     value)
{
  json_builder_set_member_name (b, name);
  json_builder_add_boolean_value (b, value);
}

/* ISO 8601 with offset and microseconds; null for 0 */
static void
add_time (JsonBuilder *b,
          const char  *name,
          gint64       wall_us)
{
  g_autoptr(GDateTime) seconds = NULL;
  g_autoptr(GDateTime) time = NULL;

  if (wall_us <= 0)
    {
      add_string (b, name, NULL);
      return;
    }

  seconds = g_date_time_new_from_unix_utc (wall_us / G_USEC_PER_SEC);
  time = g_date_time_add (seconds, wall_us % G_USEC_PER_SEC);
  add_take_string (b, name, g_date_time_format (time, "%Y-%m-%dT%H:%M:%S.%f%:z"));
}

static void
build_song (JsonBuilder *b,
            gint64       song_id)
{
  json_builder_begin_object (b);
  add_int (b, "id", song_id);
  add_take_string (b, "title", song_title (song_id));
  add_string (b, "artist", song_artist (song_id));
  json_builder_end_object (b);
}

static const char *
step_name (VigilDemoServer *self,
           VigilStep        step)
{
  if (self->production_steps && step == VIGIL_STEP_FETCHING_LYRICS)
    return "lyrics_fetching";
  if (self->production_steps && step == VIGIL_STEP_ANALYZING)
    return "analysis";

  return vigil_step_to_string (step);
}

/* Production workers report a few fixed values per song */
static double
step_progress (VigilDemoServer *self,
               const Snapshot  *snap)
{
  if (!self->production_steps)
    return round_to (snap->song_fraction, 3);

  switch (snap->step)
    {
    case VIGIL_STEP_FETCHING_LYRICS:
      return 0.3;
    case VIGIL_STEP_ANALYZING:
      return 0.7;
    default:
      return 0.0;
    }
}

static char *
step_message (const DemoJob  *job,
              const Snapshot *snap)
{
  gint64 song_id = job_item (job, snap->current)->song_id;
  g_autofree char *title = song_title (song_id);
  const char *artist = song_artist (song_id);

  switch (snap->step)
    {
    case VIGIL_STEP_STARTING:
      return g_strdup_printf ("Starting analysis of '%s' by %s", title, artist);
    case VIGIL_STEP_FETCHING_LYRICS:
      return g_strdup_printf ("Fetching lyrics for '%s' by %s", title, artist);
    default:
      return g_strdup_printf ("Analyzing '%s' by %s", title, artist);
    }
}

static gboolean
wants_metadata (VigilDemoServer *self,
                const DemoJob   *job)
{
  return job->kind != VIGIL_JOB_KIND_SONG && !self->no_metadata && !self->production_steps;
}

static void
build_progress_metadata (const DemoJob  *job,
                         const Snapshot *snap,
                         JsonBuilder    *b)
{
  json_builder_set_member_name (b, "metadata");
  json_builder_begin_object (b);
  add_int (b, "total_songs", job->items->len);
  add_int (b, "processed_songs", snap->current);
  json_builder_set_member_name (b, "current_song");
  build_song (b, job_item (job, snap->current)->song_id);
  add_double (b, "song_progress", round_to (snap->song_fraction, 3));
  json_builder_end_object (b);
}

/* The progress record of a running job */
static void
build_progress (VigilDemoServer *self,
                const DemoJob   *job,
                JsonBuilder     *b)
{
  double total = job->items->len;
  Snapshot snap;

  job_snapshot (job, self->sim_time, &snap);

  json_builder_begin_object (b);
  add_string (b, "job_id", job->id);
  add_string (b, "job_type", vigil_job_kind_to_string (job->kind));
  add_int (b, "total_items", job->items->len);
  add_int (b, "completed_items", snap.current);
  add_double (b, self->old_shape ? "progress" : "current_progress", round_to (snap.current / total, 4));
  add_time (b, "start_time", job->started_wall);
  add_double (b, "estimated_duration_per_item", round_to (job->estimate, 1));
  add_string (b, "current_step", step_name (self, snap.step));
  add_double (b, "step_progress", step_progress (self, &snap));
  add_take_string (b, self->old_shape ? "message" : "current_message", step_message (job, &snap));
  add_bool (b, "is_complete", FALSE);
  add_double (b, "eta_seconds", round_to (snap.eta, 1));
  if (self->old_shape)
    add_string (b, "status", "in_progress");
  if (wants_metadata (self, job))
    build_progress_metadata (job, &snap, b);
  json_builder_end_object (b);
}

static void
build_job_metadata (const DemoJob *job,
                    JsonBuilder   *b)
{
  gboolean playlist = job->kind == VIGIL_JOB_KIND_PLAYLIST;

  json_builder_set_member_name (b, "metadata");
  json_builder_begin_object (b);
  if (job->kind == VIGIL_JOB_KIND_SONG)
    {
      gint64 song_id = job_item (job, 0)->song_id;

      add_int (b, "song_id", song_id);
      add_take_string (b, "song_title", song_title (song_id));
      add_string (b, "artist", song_artist (song_id));
    }
  else
    {
      add_int (b, playlist ? "playlist_id" : "user_id", job->target_id);
      add_take_string (b, playlist ? "playlist_name" : "username",
                       target_name (job->kind, job->target_id));
      add_int (b, "song_count", job->items->len);
      if (playlist)
        add_bool (b, "reanalyze", job->reanalyze);
    }
  add_time (b, "requested_at", job->created_wall);
  json_builder_end_object (b);
}

/* with_status FALSE: a worker's current_job on the live service, which
 * carries no status */
static void
build_job_record_full (VigilDemoServer *self,
                       const DemoJob   *job,
                       gboolean         with_status,
                       JsonBuilder     *b)
{
  double now = self->sim_time;

  json_builder_begin_object (b);
  add_string (b, "job_id", job->id);
  if (with_status)
    add_string (b, "status", vigil_job_status_to_string (job->status));
  add_take_string (b, "job_type", g_ascii_strup (vigil_job_kind_to_string (job->kind), -1));
  add_string (b, "priority", vigil_priority_to_string (job_priority (job)));
  add_time (b, "created_at", job->created_wall);
  add_time (b, "started_at", job->started_wall);
  add_time (b, "completed_at", job->finished_wall);
  build_job_metadata (job, b);
  json_builder_set_member_name (b, "progress");
  if (job_has_progress (job))
    build_progress (self, job, b);
  else if (self->production_quirks)
    json_builder_add_int_value (b, 0);  /* the live service's record once progress is gone */
  else
    json_builder_add_double_value (b, round_to (job_fraction (job, now), 4));
  add_int (b, "estimated_completion_minutes", minutes_from_seconds (job_seconds_left (job, now)));
  if (job->status == VIGIL_JOB_STATUS_FAILED)
    add_string (b, "error_message", job->failure);
  json_builder_end_object (b);
}

static void
build_job_record (VigilDemoServer *self,
                  const DemoJob   *job,
                  JsonBuilder     *b)
{
  build_job_record_full (self, job, TRUE, b);
}

/* The first running job's record, or null */
static void
build_active_job (VigilDemoServer *self,
                  JsonBuilder     *b,
                  const char      *name,
                  gboolean         with_status)
{
  json_builder_set_member_name (b, name);
  if (self->running->len > 0)
    build_job_record_full (self, g_ptr_array_index (self->running, 0), with_status, b);
  else
    json_builder_add_null_value (b);
}

static void
add_counters (JsonBuilder *b,
              const char  *name,
              GHashTable  *counters)
{
  GHashTableIter iter;
  gpointer key, value;

  json_builder_set_member_name (b, name);
  json_builder_begin_object (b);
  g_hash_table_iter_init (&iter, counters);
  while (g_hash_table_iter_next (&iter, &key, &value))
    add_int (b, key, (gint64) *(guint64 *) value);
  json_builder_end_object (b);
}

static JsonBuilder *
begin_success (gboolean with_status)
{
  JsonBuilder *b = json_builder_new ();

  json_builder_begin_object (b);
  add_bool (b, "success", TRUE);
  if (with_status)
    add_string (b, "status", "success");

  return b;
}

static JsonBuilder *
begin_status_success (void)
{
  JsonBuilder *b = json_builder_new ();

  json_builder_begin_object (b);
  add_string (b, "status", "success");

  return b;
}

/* ------------------------------------------------------------------ */
/* HTTP: requests, responses, routes                                   */
/* ------------------------------------------------------------------ */

typedef struct _Request Request;
typedef void (*RouteFunc) (Request *req);

typedef enum
{
  ROUTE_USER  = 1 << 0,  /* needs the user (or admin) token */
  ROUTE_ADMIN = 1 << 1,  /* needs the admin token */
  ROUTE_API   = 1 << 2,  /* error-rate applies */
  ROUTE_JOB   = 1 << 3,  /* {id} is a job id: counted per job */
  ROUTE_DEMO  = 1 << 4,  /* instrumentation: never counted */
  ROUTE_BATCH = 1 << 5,  /* served only with batch-route */
} RouteFlags;

/* The 500 bodies differ by route family, as on the real service */
typedef enum
{
  FAULT_PLAIN,      /* {"success": false, "error": …} */
  FAULT_START,      /* {"success": false, "status": "error", "error": …, "message": …} */
  FAULT_DASHBOARD,  /* {"status": "error", "error": …, "message": …} */
} FaultShape;

typedef struct
{
  const char *method;
  const char *pattern;
  RouteFlags  flags;
  FaultShape  fault;
  RouteFunc   func;
} Route;

struct _Request
{
  VigilDemoServer   *self;
  SoupServerMessage *msg;
  const Route       *route;  /* NULL: no route matched */
  const char        *arg;    /* the {id} segment, or NULL */
};

typedef enum
{
  ACCESS_OK,
  ACCESS_UNAUTHENTICATED,
  ACCESS_FORBIDDEN,
} Access;

static const char login_page[] =
  "<!DOCTYPE html>\n"
  "<html lang=\"en\">\n"
  "<head><meta charset=\"utf-8\"><title>Sign in · Song Analysis</title></head>\n"
  "<body>\n"
  "<h1>Sign in</h1>\n"
  "<form method=\"post\" action=\"/login\">\n"
  "<p><label>Username <input name=\"username\" autocomplete=\"username\"></label></p>\n"
  "<p><label>Password <input name=\"password\" type=\"password\"></label></p>\n"
  "<p><button type=\"submit\">Sign in</button></p>\n"
  "</form>\n"
  "</body>\n"
  "</html>\n";

static const char redirect_page[] =
  "<!DOCTYPE html>\n"
  "<title>Redirecting...</title>\n"
  "<h1>Redirecting...</h1>\n"
  "<p>You should be redirected automatically to the target URL: "
  "<a href=\"/login\">/login</a>. If not, click the link.</p>\n";

static gboolean
is_counted (const Request *req)
{
  return req->route == NULL || !(req->route->flags & ROUTE_DEMO);
}

static void
respond (Request    *req,
         guint       status,
         const char *content_type,
         char       *body,
         gsize       length)
{
  soup_server_message_set_status (req->msg, status, NULL);
  soup_server_message_set_response (req->msg, content_type, SOUP_MEMORY_TAKE, body, length);
  if (is_counted (req))
    req->self->response_bytes += length;
}

static void
respond_json (Request     *req,
              guint        status,
              JsonBuilder *b)
{
  g_autoptr(JsonGenerator) generator = json_generator_new ();
  g_autoptr(JsonNode) root = json_builder_get_root (b);
  gsize length;
  char *body;

  json_generator_set_root (generator, root);
  body = json_generator_to_data (generator, &length);
  respond (req, status, "application/json", body, length);
}

static void respond_fields (Request  *req,
                            guint     status,
                            gboolean  with_success,
                            ...) G_GNUC_NULL_TERMINATED;

/* A flat body: "success": false first when asked, then name/value strings */
static void
respond_fields (Request  *req,
                guint     status,
                gboolean  with_success,
                ...)
{
  g_autoptr(JsonBuilder) b = json_builder_new ();
  const char *name;
  va_list args;

  json_builder_begin_object (b);
  if (with_success)
    add_bool (b, "success", FALSE);

  va_start (args, with_success);
  while ((name = va_arg (args, const char *)) != NULL)
    add_string (b, name, va_arg (args, const char *));
  va_end (args);

  json_builder_end_object (b);
  respond_json (req, status, b);
}

static void
respond_html (Request    *req,
              guint       status,
              const char *page)
{
  respond (req, status, "text/html; charset=utf-8", g_strdup (page), strlen (page));
}

static void
respond_redirect (Request *req)
{
  SoupMessageHeaders *headers = soup_server_message_get_response_headers (req->msg);

  soup_message_headers_replace (headers, "Location", "/login");
  respond_html (req, SOUP_STATUS_FOUND, redirect_page);
}

static gint64
parse_id (const char *text)
{
  guint64 value;

  if (!g_ascii_string_to_unsigned (text, 10, 1, G_MAXINT64, &value, NULL))
    return -1;

  return (gint64) value;
}

/* ---- starting jobs ---- */

static void
handle_song_analyze (Request *req)
{
  gint64 song_id = parse_id (req->arg);
  g_autoptr(GArray) songs = target_songs (VIGIL_JOB_KIND_SONG, song_id);
  g_autoptr(JsonBuilder) b = NULL;
  g_autofree char *message = NULL;
  DemoJob *job;

  if (songs == NULL)
    {
      message = g_strdup_printf ("Song with ID %s not found or access denied", req->arg);
      respond_fields (req, SOUP_STATUS_NOT_FOUND, FALSE, "status", "error", "message", message, NULL);
      return;
    }

  job = enqueue_job (req->self, VIGIL_JOB_KIND_SONG, song_id, songs, 0, 0);

  b = begin_success (TRUE);
  add_string (b, "message", "Song queued for analysis");
  add_int (b, "song_id", song_id);
  add_string (b, "job_id", job->id);
  json_builder_end_object (b);
  respond_json (req, SOUP_STATUS_OK, b);
}

static void
respond_queued (Request       *req,
                const DemoJob *job)
{
  guint count = job->items->len;
  g_autoptr(JsonBuilder) b = begin_success (TRUE);

  add_take_string (b, "message", g_strdup_printf ("Queued %u %s for analysis",
                                                  count, count == 1 ? "song" : "songs"));
  add_int (b, "queued_count", count);
  add_string (b, "job_id", job->id);
  json_builder_end_object (b);
  respond_json (req, SOUP_STATUS_OK, b);
}

static void
respond_nothing_queued (Request *req)
{
  g_autoptr(JsonBuilder) b = begin_success (FALSE);

  add_int (b, "queued_count", 0);
  add_string (b, "message", "All songs already analyzed");
  json_builder_end_object (b);
  respond_json (req, SOUP_STATUS_OK, b);
}

static void
handle_playlist (Request  *req,
                 gboolean  reanalyze)
{
  gint64 playlist_id = parse_id (req->arg);
  g_autoptr(GArray) all = target_songs (VIGIL_JOB_KIND_PLAYLIST, playlist_id);
  g_autoptr(GArray) songs = NULL;
  g_autofree char *message = NULL;
  DemoJob *job;

  if (all == NULL)
    {
      message = g_strdup_printf ("Playlist with ID %s not found or access denied", req->arg);
      respond_fields (req, SOUP_STATUS_NOT_FOUND, TRUE, "message", message, NULL);
      return;
    }

  songs = reanalyze ? g_array_ref (all) : filter_unanalyzed (req->self, all);
  if (songs->len == 0)
    {
      respond_nothing_queued (req);
      return;
    }

  job = enqueue_job (req->self, VIGIL_JOB_KIND_PLAYLIST, playlist_id, songs, 0, 0);
  job->reanalyze = reanalyze;
  respond_queued (req, job);
}

static void
handle_playlist_unanalyzed (Request *req)
{
  handle_playlist (req, FALSE);
}

static void
handle_playlist_all (Request *req)
{
  handle_playlist (req, TRUE);
}

static void
handle_reanalyze_user (Request *req)
{
  gint64 user_id = parse_id (req->arg);
  g_autoptr(GArray) songs = target_songs (VIGIL_JOB_KIND_BACKGROUND, user_id);
  g_autoptr(JsonBuilder) b = NULL;
  g_autofree char *message = NULL;
  DemoJob *job;

  if (songs == NULL)
    {
      message = g_strdup_printf ("User with ID %s not found", req->arg);
      respond_fields (req, SOUP_STATUS_NOT_FOUND, TRUE, "error", message, NULL);
      return;
    }

  job = enqueue_job (req->self, VIGIL_JOB_KIND_BACKGROUND, user_id, songs, 0, 0);
  message = g_strdup_printf ("Queued background analysis of %u songs for %s",
                             songs->len, usernames[user_id - 1]);

  b = begin_success (FALSE);
  add_string (b, "message", message);
  add_int (b, "queued_count", songs->len);
  add_int (b, "user_id", user_id);
  add_string (b, "job_id", job->id);
  json_builder_end_object (b);
  respond_json (req, SOUP_STATUS_OK, b);
}

/* ---- watching jobs ---- */

static void
handle_progress (Request *req)
{
  DemoJob *job = lookup_job (req->self, req->arg);
  g_autoptr(JsonBuilder) b = NULL;

  if (job == NULL || !job_has_progress (job))
    {
      respond_fields (req, SOUP_STATUS_NOT_FOUND, TRUE, "error", "Job progress not found", NULL);
      return;
    }

  b = begin_success (FALSE);
  json_builder_set_member_name (b, "progress");
  build_progress (req->self, job, b);
  json_builder_end_object (b);
  respond_json (req, SOUP_STATUS_OK, b);
}

static void
handle_job_status (Request *req)
{
  DemoJob *job = lookup_job (req->self, req->arg);
  g_autoptr(JsonBuilder) b = NULL;
  g_autofree char *message = NULL;

  if (job == NULL)
    {
      message = g_strdup_printf ("Job with ID %s not found", req->arg);
      respond_fields (req, SOUP_STATUS_NOT_FOUND, FALSE, "status", "error", "message", message, NULL);
      return;
    }

  b = begin_status_success ();
  json_builder_set_member_name (b, "job");
  build_job_record (req->self, job, b);
  json_builder_end_object (b);
  respond_json (req, SOUP_STATUS_OK, b);
}

static void
handle_progress_all (Request *req)
{
  VigilDemoServer *self = req->self;
  g_autoptr(JsonBuilder) b = begin_success (FALSE);
  guint active = 0;

  json_builder_set_member_name (b, "active_jobs");
  json_builder_begin_object (b);
  for (guint i = 0; i < self->running->len; i++)
    {
      const DemoJob *job = g_ptr_array_index (self->running, i);

      if (!job_has_progress (job))
        continue;

      json_builder_set_member_name (b, job->id);
      build_progress (self, job, b);
      active++;
    }
  json_builder_end_object (b);
  add_int (b, "total_active", active);
  json_builder_end_object (b);
  respond_json (req, SOUP_STATUS_OK, b);
}

/* The optional body {"max_age_hours": N}; FALSE when it is unusable */
static gboolean
read_max_age (Request *req,
              double  *hours)
{
  SoupMessageBody *body = soup_server_message_get_request_body (req->msg);
  g_autoptr(GBytes) bytes = soup_message_body_flatten (body);
  g_autoptr(JsonParser) parser = json_parser_new ();
  gsize size;
  const char *data = g_bytes_get_data (bytes, &size);
  JsonNode *root, *value;

  *hours = 24.0;
  if (size == 0)
    return TRUE;

  if (!json_parser_load_from_data (parser, data, size, NULL))
    return FALSE;

  root = json_parser_get_root (parser);
  if (root == NULL || !JSON_NODE_HOLDS_OBJECT (root))
    return FALSE;

  value = json_object_get_member (json_node_get_object (root), "max_age_hours");
  if (value == NULL || JSON_NODE_HOLDS_NULL (value))
    return TRUE;
  if (json_node_get_value_type (value) != G_TYPE_INT64 &&
      json_node_get_value_type (value) != G_TYPE_DOUBLE)
    return FALSE;

  *hours = json_node_get_double (value);
  return isfinite (*hours) && *hours >= 0;
}

static void
handle_cleanup (Request *req)
{
  VigilDemoServer *self = req->self;
  g_autoptr(JsonBuilder) b = NULL;
  char hours_text[G_ASCII_DTOSTR_BUF_SIZE];
  guint cleaned = 0;
  double hours;

  if (!read_max_age (req, &hours))
    {
      respond_fields (req, SOUP_STATUS_BAD_REQUEST, TRUE,
                      "error", "max_age_hours must be a non-negative number", NULL);
      return;
    }

  for (guint i = 0; i < self->running->len; i++)
    {
      DemoJob *job = g_ptr_array_index (self->running, i);

      if (job_has_progress (job) && self->sim_time - job->start_vt > hours * 3600.0)
        {
          job->progress_dropped = TRUE;
          cleaned++;
        }
    }

  g_ascii_formatd (hours_text, sizeof hours_text, "%g", hours);
  b = begin_success (FALSE);
  add_take_string (b, "message", g_strdup_printf ("Cleaned up jobs older than %s hours", hours_text));
  add_int (b, "cleaned_count", cleaned);
  json_builder_end_object (b);
  respond_json (req, SOUP_STATUS_OK, b);
}

/* ---- admin dashboard ---- */

typedef struct
{
  guint  total;
  guint  by_status[VIGIL_JOB_STATUS_CANCELLED + 1];
  guint  by_priority[VIGIL_PRIORITY_LOW + 1];   /* of the pending jobs */
  double seconds_left;
} QueueCounts;

static void
count_queue (VigilDemoServer *self,
             QueueCounts     *counts)
{
  memset (counts, 0, sizeof *counts);
  counts->total = self->jobs->len;

  for (guint i = 0; i < self->jobs->len; i++)
    {
      const DemoJob *job = g_ptr_array_index (self->jobs, i);

      counts->by_status[job->status]++;
      if (job->status == VIGIL_JOB_STATUS_PENDING)
        counts->by_priority[job_priority (job)]++;
      counts->seconds_left += job_seconds_left (job, self->sim_time);
    }
}

static void
build_queue (VigilDemoServer *self,
             JsonBuilder     *b)
{
  QueueCounts c;

  /* The live service's status route reads counters that stay at 0; only
   * its health route reads the queue itself. */
  if (self->production_quirks)
    memset (&c, 0, sizeof c);
  else
    count_queue (self, &c);

  json_builder_begin_object (b);
  add_int (b, "total_jobs", c.total);
  add_int (b, "pending_jobs", c.by_status[VIGIL_JOB_STATUS_PENDING]);
  add_int (b, "in_progress_jobs", c.by_status[VIGIL_JOB_STATUS_IN_PROGRESS]);
  add_int (b, "completed_jobs", c.by_status[VIGIL_JOB_STATUS_COMPLETED]);
  add_int (b, "failed_jobs", c.by_status[VIGIL_JOB_STATUS_FAILED]);
  json_builder_set_member_name (b, "priority_breakdown");
  json_builder_begin_object (b);
  for (VigilPriority p = VIGIL_PRIORITY_HIGH; p <= VIGIL_PRIORITY_LOW; p++)
    add_int (b, vigil_priority_to_string (p), c.by_priority[p]);
  json_builder_end_object (b);
  add_int (b, "estimated_completion_minutes",
           minutes_from_seconds (c.seconds_left / MAX (self->workers, 1)));
  build_active_job (self, b, "active_job", TRUE);
  json_builder_end_object (b);
}

static void
handle_queue_status (Request *req)
{
  g_autoptr(JsonBuilder) b = begin_status_success ();

  json_builder_set_member_name (b, "queue");
  build_queue (req->self, b);
  json_builder_end_object (b);
  respond_json (req, SOUP_STATUS_OK, b);
}

static void
handle_worker_health (Request *req)
{
  VigilDemoServer *self = req->self;
  g_autoptr(JsonBuilder) b = begin_status_success ();
  double now = self->sim_time;
  double heartbeat = floor (now / HEARTBEAT_SECONDS) * HEARTBEAT_SECONDS;

  json_builder_set_member_name (b, "worker");
  json_builder_begin_object (b);
  add_string (b, "status", self->workers > 0 ? "running" : "not_running");
  add_int (b, "uptime_seconds", (gint64) floor (now));
  add_int (b, "jobs_processed", self->jobs_processed);
  add_int (b, "jobs_failed", self->jobs_failed);
  add_int (b, "jobs_interrupted", 0);
  add_time (b, "last_heartbeat", self->workers > 0 ? wall_time_at (self, heartbeat) : 0);
  build_active_job (self, b, "current_job", !self->production_quirks);
  add_int (b, "workers", self->workers);
  add_int (b, "busy_workers", self->running->len);
  json_builder_end_object (b);
  json_builder_end_object (b);
  respond_json (req, SOUP_STATUS_OK, b);
}

static double
oldest_pending_seconds (VigilDemoServer *self)
{
  double oldest = 0;

  for (guint i = 0; i < self->pending->len; i++)
    {
      const DemoJob *job = g_ptr_array_index (self->pending, i);

      oldest = MAX (oldest, self->sim_time - job->queued_vt);
    }

  return oldest;
}

/* What the health route reads from Redis: the true counts, in either mode. */
static void
build_health_queue_status (VigilDemoServer *self,
                           JsonBuilder     *b)
{
  QueueCounts c;

  count_queue (self, &c);
  json_builder_set_member_name (b, "queue_status");
  json_builder_begin_object (b);
  json_builder_set_member_name (b, "status_counts");
  json_builder_begin_object (b);
  add_int (b, "pending", c.by_status[VIGIL_JOB_STATUS_PENDING]);
  add_int (b, "in_progress", c.by_status[VIGIL_JOB_STATUS_IN_PROGRESS]);
  add_int (b, "completed", c.by_status[VIGIL_JOB_STATUS_COMPLETED]);
  add_int (b, "failed", c.by_status[VIGIL_JOB_STATUS_FAILED]);
  json_builder_end_object (b);
  add_int (b, "total_jobs", c.total);
  add_int (b, "queue_length", self->pending->len);
  json_builder_end_object (b);
}

static void
handle_queue_health (Request *req)
{
  VigilDemoServer *self = req->self;
  gboolean healthy = self->workers > 0;
  g_autoptr(JsonBuilder) b = json_builder_new ();

  json_builder_begin_object (b);
  add_string (b, "status", healthy ? "success" : "error");
  json_builder_set_member_name (b, "queue_health");
  json_builder_begin_object (b);
  add_bool (b, "healthy", healthy);
  add_bool (b, "redis_connected", TRUE);
  add_int (b, "queue_length", self->pending->len);
  add_int (b, "active_workers", self->running->len);
  add_int (b, "workers", self->workers);
  add_double (b, "oldest_pending_seconds", round_to (oldest_pending_seconds (self), 1));
  build_health_queue_status (self, b);
  json_builder_set_member_name (b, "issues");
  json_builder_begin_array (b);
  if (!healthy)
    json_builder_add_string_value (b, "No workers are running");
  json_builder_end_array (b);
  json_builder_end_object (b);
  json_builder_end_object (b);
  respond_json (req, healthy ? SOUP_STATUS_OK : SOUP_STATUS_SERVICE_UNAVAILABLE, b);
}

/* ---- the demo's own pages ---- */

static void
handle_stats (Request *req)
{
  VigilDemoServer *self = req->self;
  g_autoptr(JsonBuilder) b = json_builder_new ();

  json_builder_begin_object (b);
  add_int (b, "total_requests", self->total_requests);
  add_int (b, "response_bytes", self->response_bytes);
  add_counters (b, "requests", self->pattern_counts);
  add_counters (b, "jobs", self->job_counts);
  add_double (b, "virtual_time", round_to (self->sim_time, 3));
  add_double (b, "speed", self->speed);
  add_int (b, "workers", self->workers);
  add_int (b, "pending_jobs", self->pending->len);
  add_int (b, "running_jobs", self->running->len);
  add_int (b, "finished_jobs", self->jobs_processed);
  json_builder_end_object (b);
  respond_json (req, SOUP_STATUS_OK, b);
}

static void
handle_login (Request *req)
{
  respond_html (req, SOUP_STATUS_OK, login_page);
}

/* Literal routes first: "/api/progress/cleanup" also fits "/api/progress/{id}" */
static const Route routes[] = {
  { "POST", "/api/songs/{id}/analyze", ROUTE_USER | ROUTE_API, FAULT_START, handle_song_analyze },
  { "POST", "/api/playlists/{id}/analyze-unanalyzed", ROUTE_USER | ROUTE_API, FAULT_START,
    handle_playlist_unanalyzed },
  { "POST", "/api/playlists/{id}/reanalyze-all", ROUTE_USER | ROUTE_API, FAULT_START,
    handle_playlist_all },
  { "POST", "/api/admin/reanalyze-user/{id}", ROUTE_ADMIN | ROUTE_API, FAULT_START,
    handle_reanalyze_user },
  { "POST", "/api/progress/cleanup", ROUTE_ADMIN | ROUTE_API, FAULT_PLAIN, handle_cleanup },
  { "GET", "/api/progress", ROUTE_USER | ROUTE_API | ROUTE_BATCH, FAULT_PLAIN, handle_progress_all },
  { "GET", "/api/progress/{id}", ROUTE_USER | ROUTE_API | ROUTE_JOB, FAULT_PLAIN, handle_progress },
  { "GET", "/api/jobs/{id}/status", ROUTE_USER | ROUTE_API | ROUTE_JOB, FAULT_PLAIN,
    handle_job_status },
  { "GET", "/api/queue/status", ROUTE_ADMIN | ROUTE_API, FAULT_DASHBOARD, handle_queue_status },
  { "GET", "/api/worker/health", ROUTE_ADMIN | ROUTE_API, FAULT_DASHBOARD, handle_worker_health },
  { "GET", "/api/queue/health", ROUTE_ADMIN | ROUTE_API, FAULT_DASHBOARD, handle_queue_health },
  { "GET", "/_demo/stats", ROUTE_DEMO, FAULT_PLAIN, handle_stats },
  { "GET", "/login", 0, FAULT_PLAIN, handle_login },
};

/* Pattern segments equal the path's, "{id}" matching any non-empty one */
static gboolean
path_matches (const char  *pattern,
              const char  *path,
              char       **arg)
{
  g_auto(GStrv) want = g_strsplit (pattern, "/", -1);
  g_auto(GStrv) have = g_strsplit (path, "/", -1);
  const char *captured = NULL;

  if (g_strv_length (want) != g_strv_length (have))
    return FALSE;

  for (guint i = 0; want[i] != NULL; i++)
    {
      if (strcmp (want[i], "{id}") == 0 && have[i][0] != '\0')
        captured = have[i];
      else if (strcmp (want[i], have[i]) != 0)
        return FALSE;
    }

  *arg = g_strdup (captured);
  return TRUE;
}

static const Route *
find_route (const char  *method,
            const char  *path,
            char       **arg,
            gboolean    *path_known)
{
  *path_known = FALSE;

  for (guint i = 0; i < G_N_ELEMENTS (routes); i++)
    {
      g_autofree char *captured = NULL;

      if (!path_matches (routes[i].pattern, path, &captured))
        continue;

      *path_known = TRUE;
      if (strcmp (routes[i].method, method) == 0)
        {
          *arg = g_steal_pointer (&captured);
          return &routes[i];
        }
    }

  return NULL;
}

static gboolean
route_enabled (VigilDemoServer *self,
               const Route     *route)
{
  return self->batch_route || !(route->flags & ROUTE_BATCH);
}

static void
count_up (GHashTable *counters,
          const char *key)
{
  guint64 *count = g_hash_table_lookup (counters, key);

  if (count == NULL)
    {
      count = g_new0 (guint64, 1);
      g_hash_table_insert (counters, g_strdup (key), count);
    }

  (*count)++;
}

static void
count_request (Request *req)
{
  VigilDemoServer *self = req->self;

  if (!is_counted (req))
    return;

  self->total_requests++;
  count_up (self->pattern_counts, req->route != NULL ? req->route->pattern : UNMATCHED_PATTERN);
  if (req->route != NULL && (req->route->flags & ROUTE_JOB))
    count_up (self->job_counts, req->arg);
}

/* "Authorization: Bearer <token>", else a "session=<token>" cookie */
static char *
request_token (SoupServerMessage *msg)
{
  SoupMessageHeaders *headers = soup_server_message_get_request_headers (msg);
  const char *authorization = soup_message_headers_get_one (headers, "Authorization");
  const char *cookie = soup_message_headers_get_list (headers, "Cookie");
  g_autoptr(GHashTable) cookies = NULL;

  if (authorization != NULL && g_ascii_strncasecmp (authorization, "Bearer ", 7) == 0)
    return g_strstrip (g_strdup (authorization + 7));

  if (cookie == NULL)
    return NULL;

  cookies = soup_header_parse_semi_param_list (cookie);
  return g_strdup (g_hash_table_lookup (cookies, "session"));
}

static Access
route_access (VigilDemoServer *self,
              const Route     *route,
              const char      *token)
{
  const char *admin = self->admin_token != NULL ? self->admin_token : self->require_token;
  gboolean is_user = token != NULL && g_strcmp0 (token, self->require_token) == 0;
  gboolean is_admin = token != NULL && g_strcmp0 (token, admin) == 0;

  if (route->flags & ROUTE_ADMIN)
    {
      if (admin == NULL || is_admin)
        return ACCESS_OK;
      return is_user ? ACCESS_FORBIDDEN : ACCESS_UNAUTHENTICATED;
    }

  if ((route->flags & ROUTE_USER) && self->require_token != NULL && !is_user && !is_admin)
    return ACCESS_UNAUTHENTICATED;

  return ACCESS_OK;
}

/* TRUE when the request may go on; otherwise it has been answered */
static gboolean
check_access (Request *req)
{
  g_autofree char *token = request_token (req->msg);

  switch (route_access (req->self, req->route, token))
    {
    case ACCESS_OK:
      return TRUE;

    case ACCESS_FORBIDDEN:
      respond_fields (req, SOUP_STATUS_FORBIDDEN, FALSE, "error", "Admin privileges required", NULL);
      return FALSE;

    case ACCESS_UNAUTHENTICATED:
    default:
      if (req->self->signin_redirect && (req->route->flags & ROUTE_USER))
        respond_redirect (req);
      else
        respond_fields (req, SOUP_STATUS_UNAUTHORIZED, FALSE, "error", "Authentication required", NULL);
      return FALSE;
    }
}

/* error-rate: TRUE when the request has been answered with a 500 */
static gboolean
inject_fault (Request *req)
{
  VigilDemoServer *self = req->self;
  const char *error = "Internal server error";

  if (!(req->route->flags & ROUTE_API) || !(self->error_rate > 0) ||
      g_rand_double (self->fault_rand) >= self->error_rate)
    return FALSE;

  switch (req->route->fault)
    {
    case FAULT_START:
      respond_fields (req, SOUP_STATUS_INTERNAL_SERVER_ERROR, TRUE, "status", "error",
                      "error", error, "message", "Failed to queue the analysis", NULL);
      break;
    case FAULT_DASHBOARD:
      respond_fields (req, SOUP_STATUS_INTERNAL_SERVER_ERROR, FALSE, "status", "error",
                      "error", error, "message", "Failed to read the queue", NULL);
      break;
    case FAULT_PLAIN:
    default:
      respond_fields (req, SOUP_STATUS_INTERNAL_SERVER_ERROR, TRUE, "error", error, NULL);
      break;
    }

  return TRUE;
}

static void
respond_unrouted (Request  *req,
                  gboolean  path_known)
{
  if (path_known)
    respond_fields (req, SOUP_STATUS_METHOD_NOT_ALLOWED, FALSE, "error", "Method not allowed", NULL);
  else
    respond_fields (req, SOUP_STATUS_NOT_FOUND, FALSE, "error", "Not found", NULL);
}

/* ---- latency-ms: answers held back without blocking the main loop ---- */

static void
delayed_free (gpointer data)
{
  Delayed *delayed = data;

  g_clear_handle_id (&delayed->source_id, g_source_remove);
  g_clear_signal_handler (&delayed->finished_id, delayed->msg);
  g_clear_object (&delayed->msg);
  g_free (delayed);
}

static gboolean
on_delay_elapsed (gpointer data)
{
  Delayed *delayed = data;
  g_autoptr(SoupServerMessage) msg = g_object_ref (delayed->msg);

  delayed->source_id = 0;
  /* forget it first: unpausing may finish the message synchronously */
  g_ptr_array_remove_fast (delayed->self->delayed, delayed);
  soup_server_message_unpause (msg);

  return G_SOURCE_REMOVE;
}

static void
on_delayed_finished (SoupServerMessage *msg,
                     gpointer           data)
{
  Delayed *delayed = data;

  g_ptr_array_remove_fast (delayed->self->delayed, delayed);
}

static void
delay_response (VigilDemoServer   *self,
                SoupServerMessage *msg)
{
  Delayed *delayed = g_new0 (Delayed, 1);

  delayed->self = self;
  delayed->msg = g_object_ref (msg);
  delayed->finished_id = g_signal_connect (msg, "finished", G_CALLBACK (on_delayed_finished), delayed);
  delayed->source_id = g_timeout_add (self->latency_ms, on_delay_elapsed, delayed);
  g_ptr_array_add (self->delayed, delayed);
  soup_server_message_pause (msg);
}

static void
on_request (SoupServer        *server,
            SoupServerMessage *msg,
            const char        *path,
            GHashTable        *query,
            gpointer           user_data)
{
  VigilDemoServer *self = user_data;
  g_autofree char *arg = NULL;
  gboolean path_known;
  Request req = { self, msg, NULL, NULL };

  advance (self);

  req.route = find_route (soup_server_message_get_method (msg), path, &arg, &path_known);
  req.arg = arg;
  count_request (&req);

  if (req.route == NULL)
    respond_unrouted (&req, path_known);
  else if (!route_enabled (self, req.route))
    respond_fields (&req, SOUP_STATUS_NOT_FOUND, FALSE, "error", "Not found", NULL);
  else if (check_access (&req) && !inject_fault (&req))
    req.route->func (&req);

  if (self->latency_ms > 0)
    delay_response (self, msg);
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

/* The clock keeps its reading and goes on at the new rate */
static void
set_speed (VigilDemoServer *self,
           double           speed)
{
  gint64 mono;

  if (self->speed == speed)
    return;

  advance (self);
  mono = g_get_monotonic_time ();
  self->anchor_virtual = virtual_at (self, mono);
  self->anchor_mono = mono;
  self->speed = speed;
  arm_timer (self);

  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_SPEED]);
}

static void
set_workers (VigilDemoServer *self,
             guint            workers)
{
  if (self->workers == workers)
    return;

  advance (self);
  self->workers = workers;
  advance (self);

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
    case PROP_PRODUCTION_QUIRKS:
      g_value_set_boolean (value, self->production_quirks);
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
    case PROP_PRODUCTION_QUIRKS:
      update_boolean (self, &self->production_quirks, g_value_get_boolean (value), pspec);
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

  G_OBJECT_CLASS (vigil_demo_server_parent_class)->finalize (object);
}

static void
install_properties (GObjectClass *object_class)
{
  GParamFlags flags = G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS;

  properties[PROP_WORKERS] = g_param_spec_uint ("workers", NULL, NULL, 0, 1024, 1, flags);
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
  properties[PROP_PRODUCTION_QUIRKS] =
    g_param_spec_boolean ("production-quirks", NULL, NULL, FALSE, flags);

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
  self->anchor_mono = g_get_monotonic_time ();

  self->jobs = g_ptr_array_new_with_free_func ((GDestroyNotify) demo_job_free);
  self->jobs_by_id = g_hash_table_new (g_str_hash, g_str_equal);
  self->pending = g_ptr_array_new ();
  self->running = g_ptr_array_new ();
  self->events = new_event_array ();
  self->pattern_counts = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_free);
  self->job_counts = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_free);
  self->delayed = g_ptr_array_new_with_free_func (delayed_free);
  self->sim_rand = g_rand_new ();
  self->fault_rand = g_rand_new ();
  reseed (self);
  init_analyzed (self);

  self->server = soup_server_new ("server-header", "vigil-demo-server/" PACKAGE_VERSION " ", NULL);
  soup_server_add_handler (self->server, NULL, on_request, self, NULL);
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

  g_return_val_if_fail (VIGIL_IS_DEMO_SERVER (self), NULL);
  g_return_val_if_fail (kind == VIGIL_JOB_KIND_SONG ||
                        kind == VIGIL_JOB_KIND_PLAYLIST ||
                        kind == VIGIL_JOB_KIND_BACKGROUND, NULL);

  natural = target_songs (kind, target_id);
  songs = cycle_songs (natural, n_items);

  return g_strdup (enqueue_job (self, kind, target_id, songs, item_seconds, phase)->id);
}

double
vigil_demo_server_get_virtual_time (VigilDemoServer *self)
{
  g_return_val_if_fail (VIGIL_IS_DEMO_SERVER (self), 0);

  return virtual_now (self);
}

double
vigil_demo_server_get_finish_time (VigilDemoServer *self,
                                   const char      *job_id)
{
  DemoJob *job;

  g_return_val_if_fail (VIGIL_IS_DEMO_SERVER (self), -1);
  g_return_val_if_fail (job_id != NULL, -1);

  advance (self);
  job = lookup_job (self, job_id);

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
