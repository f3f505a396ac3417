/* vigil-types.h — the typed results of the analysis service's API
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <glib-object.h>

G_BEGIN_DECLS

/* Sentinel for a fraction, an ETA or a duration the server did not give
 * (missing, null, NaN or not a number). Every "double" field below that can
 * be unknown uses it. */
#define VIGIL_UNKNOWN (-1.0)

typedef enum
{
  VIGIL_JOB_KIND_UNKNOWN,
  VIGIL_JOB_KIND_SONG,        /* song_analysis */
  VIGIL_JOB_KIND_PLAYLIST,    /* playlist_analysis */
  VIGIL_JOB_KIND_BACKGROUND,  /* background_analysis (a whole account) */
} VigilJobKind;

typedef enum
{
  VIGIL_JOB_STATUS_UNKNOWN,
  VIGIL_JOB_STATUS_PENDING,
  VIGIL_JOB_STATUS_IN_PROGRESS,
  VIGIL_JOB_STATUS_COMPLETED,
  VIGIL_JOB_STATUS_FAILED,
  VIGIL_JOB_STATUS_INTERRUPTED,
  VIGIL_JOB_STATUS_CANCELLED,
} VigilJobStatus;

typedef enum
{
  VIGIL_STEP_OTHER,            /* null, missing or an unrecognised string */
  VIGIL_STEP_STARTING,
  VIGIL_STEP_FETCHING_LYRICS,  /* also "lyrics_fetching" */
  VIGIL_STEP_ANALYZING,        /* also "analysis" */
  VIGIL_STEP_COMPLETE,
} VigilStep;

typedef enum
{
  VIGIL_PRIORITY_UNKNOWN,
  VIGIL_PRIORITY_HIGH,
  VIGIL_PRIORITY_MEDIUM,
  VIGIL_PRIORITY_LOW,
} VigilPriority;

/* ---- enum helpers (case-insensitive; NULL and unknown strings map to the
 * UNKNOWN/OTHER member) ---- */
VigilJobKind    vigil_job_kind_from_string     (const char     *str);
const char     *vigil_job_kind_to_string       (VigilJobKind    kind);  /* "song_analysis", … */
VigilJobStatus  vigil_job_status_from_string   (const char     *str);
const char     *vigil_job_status_to_string     (VigilJobStatus  status); /* "COMPLETED", … */
gboolean        vigil_job_status_is_terminal   (VigilJobStatus  status);
gboolean        vigil_job_status_is_failure    (VigilJobStatus  status);
VigilStep       vigil_step_from_string         (const char     *str);
const char     *vigil_step_to_string           (VigilStep       step);   /* "fetching_lyrics", … */
VigilPriority   vigil_priority_from_string     (const char     *str);
const char     *vigil_priority_to_string       (VigilPriority   priority); /* "HIGH", … */

/* ---- numbers from a server as integers ---- */

/* Beyond a year, a duration or an estimate from a server is nonsense. */
#define VIGIL_MAX_SECONDS (366.0 * 24 * 60 * 60)

typedef enum
{
  VIGIL_ROUND_DOWN,
  VIGIL_ROUND_NEAREST,
  VIGIL_ROUND_UP,
} VigilRounding;

/* The one way to turn a server's number of seconds (an ETA, a duration, an
 * uptime, an age) into an integer: seconds / unit_seconds (1 for seconds,
 * 60 for minutes, …; at least 1e-6), rounded as asked, or -1 ("unknown")
 * for NaN, infinities, negative values and anything over
 * VIGIL_MAX_SECONDS. A plain cast is undefined beyond the integer's range
 * ("eta_seconds": 1e308 printed "about 0 minutes remaining"). For minutes
 * from a server, pass minutes * 60. */
gint64          vigil_seconds_to_units         (double          seconds,
                                                double          unit_seconds,
                                                VigilRounding   rounding);

/* ---- a song as named in progress metadata ---- */
typedef struct
{
  gint64  id;       /* -1 when unknown */
  char   *title;    /* nullable */
  char   *artist;   /* nullable */
} VigilSongRef;

#define VIGIL_TYPE_SONG_REF (vigil_song_ref_get_type ())
GType         vigil_song_ref_get_type (void) G_GNUC_CONST;
VigilSongRef *vigil_song_ref_new      (void);
VigilSongRef *vigil_song_ref_copy     (const VigilSongRef *ref);
void          vigil_song_ref_free     (VigilSongRef       *ref);

/* ---- GET /api/progress/<id>: the progress record of a running job ---- */
typedef struct
{
  char           *job_id;
  VigilJobKind    kind;
  gint64          total_items;         /* 0 when missing */
  gint64          completed_items;     /* 0 when missing */
  double          fraction;            /* 0..1 (clamped) or VIGIL_UNKNOWN; from
                                        * current_progress, else progress */
  GDateTime      *start_time;          /* nullable, UTC */
  double          estimated_duration_per_item; /* seconds or VIGIL_UNKNOWN */
  VigilStep       step;
  char           *step_raw;            /* the server's spelling, nullable */
  double          step_progress;       /* 0..1 or VIGIL_UNKNOWN */
  char           *message;             /* current_message, else message; nullable */
  gboolean        is_complete;
  double          eta_seconds;         /* >= 0 or VIGIL_UNKNOWN */
  VigilJobStatus  status;              /* UNKNOWN when absent */

  /* metadata: optional, per-song view of playlist/background jobs */
  gboolean        has_metadata;
  gint64          total_songs;         /* -1 when unknown */
  gint64          processed_songs;     /* -1 when unknown */
  VigilSongRef   *current_song;        /* nullable */
  double          song_progress;       /* 0..1 or VIGIL_UNKNOWN */
} VigilProgress;

#define VIGIL_TYPE_PROGRESS (vigil_progress_get_type ())
GType          vigil_progress_get_type    (void) G_GNUC_CONST;
VigilProgress *vigil_progress_new         (void);   /* all fields at their defaults */
VigilProgress *vigil_progress_copy        (const VigilProgress *progress);
void           vigil_progress_free        (VigilProgress       *progress);
/* fraction >= 1, step complete, is_complete, or a terminal status */
gboolean       vigil_progress_is_terminal (const VigilProgress *progress);

/* ---- GET /api/jobs/<id>/status: the job record ---- */
typedef struct
{
  char           *job_id;
  VigilJobStatus  status;
  VigilJobKind    kind;
  VigilPriority   priority;
  GDateTime      *created_at;          /* nullable */
  GDateTime      *started_at;          /* nullable */
  /* metadata */
  char           *song_title;          /* nullable */
  char           *artist;              /* nullable */
  char           *playlist_name;       /* nullable */
  gint64          target_id;           /* song/playlist/user id from metadata, -1 */
  VigilProgress  *progress;            /* nullable: set when job.progress is an object */
  double          fraction;            /* job.progress as a number, or progress->fraction,
                                        * or VIGIL_UNKNOWN */
  double          estimated_completion_minutes; /* or VIGIL_UNKNOWN */
  char           *error_message;       /* nullable */
  /* The server's own spellings, for tools that repeat them (NULL when the
   * field is absent or not a string; priority given as a number is NULL) */
  char           *status_raw;
  char           *job_type_raw;
  char           *priority_raw;
} VigilJobRecord;

#define VIGIL_TYPE_JOB_RECORD (vigil_job_record_get_type ())
GType           vigil_job_record_get_type   (void) G_GNUC_CONST;
VigilJobRecord *vigil_job_record_new        (void);
VigilJobRecord *vigil_job_record_copy       (const VigilJobRecord *record);
void            vigil_job_record_free       (VigilJobRecord       *record);
/* failed/interrupted/cancelled, or an error_message on the record */
gboolean        vigil_job_record_is_failure (const VigilJobRecord *record);

/* ---- POST …/analyze…: the answer to starting a job ---- */
typedef struct
{
  char   *job_id;        /* NULL when the server queued nothing */
  gint64  queued_count;  /* -1 when absent (song analysis) */
  char   *message;       /* nullable */
  gint64  song_id;       /* -1 when absent */
  gint64  user_id;       /* -1 when absent */
} VigilStartResult;

#define VIGIL_TYPE_START_RESULT (vigil_start_result_get_type ())
GType             vigil_start_result_get_type (void) G_GNUC_CONST;
VigilStartResult *vigil_start_result_new      (void);
VigilStartResult *vigil_start_result_copy     (const VigilStartResult *result);
void              vigil_start_result_free     (VigilStartResult       *result);

/* ---- GET /api/queue/status ---- */
typedef struct
{
  gint64          total_jobs;       /* every count: -1 when unknown */
  gint64          pending_jobs;
  gint64          in_progress_jobs;
  gint64          completed_jobs;
  gint64          failed_jobs;
  gint64          priority_high;
  gint64          priority_medium;
  gint64          priority_low;
  double          estimated_completion_minutes; /* or VIGIL_UNKNOWN */
  VigilJobRecord *active_job;       /* nullable */
} VigilQueueStatus;

#define VIGIL_TYPE_QUEUE_STATUS (vigil_queue_status_get_type ())
GType             vigil_queue_status_get_type (void) G_GNUC_CONST;
VigilQueueStatus *vigil_queue_status_new      (void);
VigilQueueStatus *vigil_queue_status_copy     (const VigilQueueStatus *status);
void              vigil_queue_status_free     (VigilQueueStatus       *status);

/* ---- GET /api/worker/health ---- */
typedef struct
{
  char           *status;           /* lower-cased: "running", "stopped", …; "unknown" */
  double          uptime_seconds;   /* or VIGIL_UNKNOWN */
  gint64          jobs_processed;   /* -1 when unknown */
  gint64          jobs_failed;
  gint64          jobs_interrupted;
  GDateTime      *last_heartbeat;   /* nullable */
  VigilJobRecord *current_job;      /* nullable */
  char           *status_raw;       /* the server's spelling; NULL when absent */
} VigilWorkerHealth;

#define VIGIL_TYPE_WORKER_HEALTH (vigil_worker_health_get_type ())
GType              vigil_worker_health_get_type (void) G_GNUC_CONST;
VigilWorkerHealth *vigil_worker_health_new      (void);
VigilWorkerHealth *vigil_worker_health_copy     (const VigilWorkerHealth *health);
void               vigil_worker_health_free     (VigilWorkerHealth       *health);

/* ---- GET /api/queue/health (informational) ---- */
typedef struct
{
  gboolean  healthy;   /* HTTP 200 and status "success" */
  char     *status;    /* the "status" string, nullable */
  char     *details;   /* queue_health re-serialised as compact JSON, nullable */
  /* queue_health.queue_status: the counts read from the queue itself (the
   * live service's /api/queue/status counts stay 0); -1 when unknown */
  gint64    total_jobs;
  gint64    pending_jobs;
  gint64    in_progress_jobs;
  gint64    completed_jobs;
  gint64    failed_jobs;
  char    **issues;    /* queue_health.issues (its strings), NULL when absent */
} VigilQueueHealth;

#define VIGIL_TYPE_QUEUE_HEALTH (vigil_queue_health_get_type ())
GType             vigil_queue_health_get_type (void) G_GNUC_CONST;
VigilQueueHealth *vigil_queue_health_new      (void);
VigilQueueHealth *vigil_queue_health_copy     (const VigilQueueHealth *health);
void              vigil_queue_health_free     (VigilQueueHealth       *health);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (VigilSongRef, vigil_song_ref_free)
G_DEFINE_AUTOPTR_CLEANUP_FUNC (VigilProgress, vigil_progress_free)
G_DEFINE_AUTOPTR_CLEANUP_FUNC (VigilJobRecord, vigil_job_record_free)
G_DEFINE_AUTOPTR_CLEANUP_FUNC (VigilStartResult, vigil_start_result_free)
G_DEFINE_AUTOPTR_CLEANUP_FUNC (VigilQueueStatus, vigil_queue_status_free)
G_DEFINE_AUTOPTR_CLEANUP_FUNC (VigilWorkerHealth, vigil_worker_health_free)
G_DEFINE_AUTOPTR_CLEANUP_FUNC (VigilQueueHealth, vigil_queue_health_free)

/* ---- ids ---- */

/* A song, playlist or user id as people type it and URLs carry it: decimal
 * digits only (leading zeros allowed), 1 … G_MAXINT64; no sign, no
 * surrounding spaces (callers strip what their input may add). FALSE with a
 * G_NUMBER_PARSER_ERROR otherwise, *out untouched. */
gboolean          vigil_parse_positive_id     (const char  *text,
                                               gint64      *out,
                                               GError     **error);

G_END_DECLS
