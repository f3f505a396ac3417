/* vigil-enums.h — the job model's state enums, and GTypes for every enum
 * that a GObject property carries (including those of vigil-types.h)
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <glib-object.h>

#include "vigil-types.h"

G_BEGIN_DECLS

/* What the server says the job is doing. */
typedef enum
{
  VIGIL_SERVER_STATE_QUEUED,     /* PENDING: waiting for a worker */
  VIGIL_SERVER_STATE_RUNNING,    /* IN_PROGRESS, or a progress record exists */
  VIGIL_SERVER_STATE_SUCCEEDED,  /* COMPLETED without an error_message */
  VIGIL_SERVER_STATE_FAILED,     /* FAILED, INTERRUPTED, CANCELLED, or an error_message */
  VIGIL_SERVER_STATE_LOST,       /* the server no longer knows a job Vigil had seen */
  VIGIL_SERVER_STATE_NOT_FOUND,  /* the server never knew the job: 404 before any record */
} VigilServerState;

/* How well Vigil is following the job. */
typedef enum
{
  VIGIL_TRACKING_STATE_ACTIVE,    /* polls succeed */
  VIGIL_TRACKING_STATE_RETRYING,  /* some polls failed: "Connection issue, retrying…" */
  VIGIL_TRACKING_STATE_STALLED,   /* too many failed polls: progress can't be tracked */
  VIGIL_TRACKING_STATE_OFFLINE,   /* no network: polling paused */
  VIGIL_TRACKING_STATE_STOPPED,   /* the user stopped tracking the job */
  VIGIL_TRACKING_STATE_NOT_SIGNED_IN,       /* the server wants a sign-in: one slow probe */
  VIGIL_TRACKING_STATE_SERVER_UNREACHABLE,  /* the server does not answer at all */
  VIGIL_TRACKING_STATE_SERVER_ERROR,        /* the server answers with errors only */
} VigilTrackingState;

/* One song of a playlist or background job. */
typedef enum
{
  VIGIL_SONG_STATE_WAITING,
  VIGIL_SONG_STATE_ANALYZING,
  VIGIL_SONG_STATE_DONE,
  VIGIL_SONG_STATE_FAILED,
} VigilSongState;

#define VIGIL_TYPE_SERVER_STATE (vigil_server_state_get_type ())
GType vigil_server_state_get_type (void) G_GNUC_CONST;

#define VIGIL_TYPE_TRACKING_STATE (vigil_tracking_state_get_type ())
GType vigil_tracking_state_get_type (void) G_GNUC_CONST;

#define VIGIL_TYPE_SONG_STATE (vigil_song_state_get_type ())
GType vigil_song_state_get_type (void) G_GNUC_CONST;

#define VIGIL_TYPE_JOB_KIND (vigil_job_kind_get_type ())
GType vigil_job_kind_get_type (void) G_GNUC_CONST;

#define VIGIL_TYPE_JOB_STATUS (vigil_job_status_get_type ())
GType vigil_job_status_get_type (void) G_GNUC_CONST;

#define VIGIL_TYPE_STEP (vigil_step_get_type ())
GType vigil_step_get_type (void) G_GNUC_CONST;

#define VIGIL_TYPE_PRIORITY (vigil_priority_get_type ())
GType vigil_priority_get_type (void) G_GNUC_CONST;

/* VigilServerHealth, of vigil-poll-policy.h */
#define VIGIL_TYPE_SERVER_HEALTH (vigil_server_health_get_type ())
GType vigil_server_health_get_type (void) G_GNUC_CONST;

G_END_DECLS
