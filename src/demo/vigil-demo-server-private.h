/* vigil-demo-server-private.h — what the parts of VigilDemoServer share: the
 * instance struct, the job record and each part's internal API. Internal to
 * libvigil-demo: nothing here is API.
 *
 *   vigil-demo-server.c    the GObject: properties, signals, public API, listening
 *   vigil-demo-catalog.c   songs, playlists and users
 *   vigil-demo-job.c       one job: its songs and timings, what it does at a time
 *   vigil-demo-sim.c       the virtual clock and the queue of jobs and workers
 *   vigil-demo-json.c      the answers' JSON, in the live service's spellings
 *   vigil-demo-routes.c    the route table and one handler per route
 *   vigil-demo-requests.c  a request's way: counting, access, faults, latency
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <json-glib/json-glib.h>
#include <libsoup/soup.h>

#include "vigil-demo-server.h"

G_BEGIN_DECLS

/* ------------------------------------------------------------------ */
/* Types the parts share                                               */
/* ------------------------------------------------------------------ */

typedef struct
{
  gint64 song_id;
  double start;    /* virtual offset of the song within the job */
  double seconds;  /* virtual duration */
} DemoItem;

/* One job (vigil-demo-job.c), owned by the queue (vigil-demo-sim.c) */
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

/* What a running job is doing at a given virtual time */
typedef struct
{
  guint      current;        /* the song being worked on = completed songs */
  double     song_fraction;  /* 0..1 within that song */
  VigilStep  step;
  double     eta;            /* virtual seconds */
} DemoSnapshot;

typedef enum
{
  DEMO_EVENT_JOB_STARTED,
  DEMO_EVENT_JOB_FINISHED,
} DemoEventKind;

/* A job-started or job-finished signal, emitted once the simulation is current */
typedef struct
{
  char           *job_id;
  DemoEventKind   kind;
  VigilJobStatus  status;
} DemoEvent;

/* The queue by status and priority (vigil_demo_sim_count_queue()) */
typedef struct
{
  guint  total;
  guint  by_status[VIGIL_JOB_STATUS_CANCELLED + 1];
  guint  by_priority[VIGIL_PRIORITY_LOW + 1];   /* of the pending jobs */
  double seconds_left;
} DemoQueueCounts;

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
  GPtrArray   *delayed;          /* answers held back by latency-ms */

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
  gboolean     batch_empty;      /* GET /api/progress lists no job */
  guint        web_processes;    /* GET /api/progress lists one process's jobs */
  char        *signin_password;  /* what the sign-in form accepts */
};

/* ------------------------------------------------------------------ */
/* vigil-demo-server.c                                                 */
/* ------------------------------------------------------------------ */

void            vigil_demo_server_emit_event         (VigilDemoServer *self,
                                                      const DemoEvent *event);

/* ------------------------------------------------------------------ */
/* vigil-demo-catalog.c: deterministic, independent of the seed        */
/* ------------------------------------------------------------------ */

char           *vigil_demo_catalog_song_title        (gint64           song_id);
const char     *vigil_demo_catalog_song_artist       (gint64           song_id);
/* The target's own songs (gint64 ids), or NULL for an unknown target */
GArray         *vigil_demo_catalog_target_songs      (VigilJobKind     kind,
                                                      gint64           target_id);
char           *vigil_demo_catalog_target_name       (VigilJobKind     kind,
                                                      gint64           target_id);
/* n_items songs taken cyclically from natural (all of it for 0), or from
 * the catalog when natural is NULL */
GArray         *vigil_demo_catalog_cycle_songs       (GArray          *natural,
                                                      guint            n_items);
/* Per song id: analysed before any job ran */
guint8         *vigil_demo_catalog_new_analyzed      (void);
GArray         *vigil_demo_catalog_filter_unanalyzed (const guint8    *analyzed,
                                                      GArray          *songs);

/* ------------------------------------------------------------------ */
/* vigil-demo-job.c                                                    */
/* ------------------------------------------------------------------ */

/* songs: gint64 ids, at least one. item_seconds <= 0: song-seconds with a
 * random spread; phase 0..1: the share done before pickup. failure-rate is
 * decided here. */
DemoJob        *vigil_demo_job_new                   (VigilDemoServer *self,
                                                      VigilJobKind     kind,
                                                      gint64           target_id,
                                                      GArray          *songs,
                                                      double           item_seconds,
                                                      double           phase);
void            vigil_demo_job_free                  (DemoJob         *job);
VigilPriority   vigil_demo_job_priority              (const DemoJob   *job);
const DemoItem *vigil_demo_job_item                  (const DemoJob   *job,
                                                      guint            pos);
guint           vigil_demo_job_item_at               (const DemoJob   *job,
                                                      double           work);
double          vigil_demo_job_end_vt                (const DemoJob   *job);
gboolean        vigil_demo_job_has_progress          (const DemoJob   *job);
void            vigil_demo_job_snapshot              (const DemoJob   *job,
                                                      double           now,
                                                      DemoSnapshot    *snap);
double          vigil_demo_job_fraction              (const DemoJob   *job,
                                                      double           now);
double          vigil_demo_job_seconds_left          (const DemoJob   *job,
                                                      double           now);

/* ------------------------------------------------------------------ */
/* vigil-demo-sim.c                                                    */
/* ------------------------------------------------------------------ */

double          vigil_demo_sim_now                   (VigilDemoServer *self);
/* The wall-clock time (µs since the epoch) at which the virtual clock read vt */
gint64          vigil_demo_sim_wall_time_at          (VigilDemoServer *self,
                                                      double           vt);
GArray         *vigil_demo_sim_new_event_array       (void);
/* Bring the simulation to the present, then emit its events */
void            vigil_demo_sim_advance               (VigilDemoServer *self);
void            vigil_demo_sim_set_speed             (VigilDemoServer *self,
                                                      double           speed);
void            vigil_demo_sim_set_workers           (VigilDemoServer *self,
                                                      guint            workers);
DemoJob        *vigil_demo_sim_enqueue               (VigilDemoServer *self,
                                                      VigilJobKind     kind,
                                                      gint64           target_id,
                                                      GArray          *songs,
                                                      double           item_seconds,
                                                      double           phase);
DemoJob        *vigil_demo_sim_lookup                (VigilDemoServer *self,
                                                      const char      *job_id);
/* Drops the progress records of running jobs picked up longer ago; how many */
guint           vigil_demo_sim_drop_progress         (VigilDemoServer *self,
                                                      double           max_age_seconds);
void            vigil_demo_sim_count_queue           (VigilDemoServer *self,
                                                      DemoQueueCounts *counts);
double          vigil_demo_sim_oldest_pending_seconds (VigilDemoServer *self);

/* ------------------------------------------------------------------ */
/* vigil-demo-json.c: each writes one value into b                     */
/* ------------------------------------------------------------------ */

/* An object begun with "success": true (and "status": "success") */
JsonBuilder    *vigil_demo_json_begin_success        (gboolean         with_status);
/* An object begun with "status": "success" */
JsonBuilder    *vigil_demo_json_begin_status_success (void);
void            vigil_demo_json_progress             (VigilDemoServer *self,
                                                      const DemoJob   *job,
                                                      JsonBuilder     *b);
void            vigil_demo_json_job_record           (VigilDemoServer *self,
                                                      const DemoJob   *job,
                                                      JsonBuilder     *b);
void            vigil_demo_json_queue                (VigilDemoServer *self,
                                                      JsonBuilder     *b);
void            vigil_demo_json_worker               (VigilDemoServer *self,
                                                      JsonBuilder     *b);
void            vigil_demo_json_queue_health         (VigilDemoServer *self,
                                                      JsonBuilder     *b);
void            vigil_demo_json_stats                (VigilDemoServer *self,
                                                      JsonBuilder     *b);

/* ------------------------------------------------------------------ */
/* vigil-demo-routes.c, vigil-demo-requests.c                          */
/* ------------------------------------------------------------------ */

typedef struct _DemoRequest DemoRequest;
typedef void (*DemoRouteFunc) (DemoRequest *req);

typedef enum
{
  ROUTE_USER  = 1 << 0,  /* needs the user (or admin) token */
  ROUTE_ADMIN = 1 << 1,  /* needs the admin token */
  ROUTE_API   = 1 << 2,  /* error-rate applies */
  ROUTE_JOB   = 1 << 3,  /* {id} is a job id: counted per job */
  ROUTE_DEMO  = 1 << 4,  /* instrumentation: never counted */
  ROUTE_BATCH = 1 << 5,  /* served only with batch-route */
} DemoRouteFlags;

/* The 500 bodies differ by route family, as on the real service */
typedef enum
{
  FAULT_PLAIN,      /* {"success": false, "error": …} */
  FAULT_START,      /* {"success": false, "status": "error", "error": …, "message": …} */
  FAULT_DASHBOARD,  /* {"status": "error", "error": …, "message": …} */
} DemoFaultShape;

typedef struct
{
  const char     *method;
  const char     *pattern;
  DemoRouteFlags  flags;
  DemoFaultShape  fault;
  DemoRouteFunc   func;
} DemoRoute;

struct _DemoRequest
{
  VigilDemoServer   *self;
  SoupServerMessage *msg;
  const DemoRoute   *route;  /* NULL: no route matched */
  const char        *arg;    /* the {id} segment, or NULL */
};

/* The route for method and path, with its {id} in arg; NULL when none, and
 * path_known says whether a route of another method has the path */
const DemoRoute *vigil_demo_routes_find              (const char      *method,
                                                      const char      *path,
                                                      char           **arg,
                                                      gboolean        *path_known);

/* self->delayed, and the SoupServer's handler */
void            vigil_demo_requests_init             (VigilDemoServer *self);
void            vigil_demo_respond_json              (DemoRequest     *req,
                                                      guint            status,
                                                      JsonBuilder     *b);
/* A flat body: "success": false first when asked, then name/value strings */
void            vigil_demo_respond_fields            (DemoRequest     *req,
                                                      guint            status,
                                                      gboolean         with_success,
                                                      ...) G_GNUC_NULL_TERMINATED;
void            vigil_demo_respond_html              (DemoRequest     *req,
                                                      guint            status,
                                                      const char      *page);

G_END_DECLS
