/* vigil-state-file.h — Vigil's saved state as a versioned JSON document:
 * the watched jobs and the history of finished ones. Pure: bytes in,
 * structs out, and back; no file access, no tracker.
 *
 * Format (version 1), UTF-8 JSON, timestamps ISO 8601 in UTC:
 *   {"version": 1,
 *    "jobs": [{"server": "http://host:5001", "job_id": "…",
 *              "kind": "song" | "playlist" | "background" | "unknown",
 *              "target_id": 7 (-1 unknown), "title": "…" | null,
 *              "created_at": "…" | null, "started_at": "…" | null,
 *              "state": "queued" | "running", "stopped": false}, …],
 *    "history": [{"server": "…", "job_id": "…", "kind": "…", "target_id": 7,
 *                 "title": "…" | null,
 *                 "outcome": "completed" | "failed" | "lost" | "not_found",
 *                 "finished_at": "…" | null, "duration_ms": 12345 | null,
 *                 "error": "…" | null}, …]}     (newest first)
 *
 * Reading is strict about what it knows — a wrong version, a wrong type, a
 * missing required field, an unknown enum string, an unreadable timestamp,
 * text that is not UTF-8 or not standard JSON, more than
 * VIGIL_STATE_FILE_MAX_SIZE bytes: each is a VIGIL_STATE_ERROR naming the
 * place ("jobs[2].kind") — and ignores fields it does not know. A new
 * enum value or a changed meaning needs a new version.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <glib-object.h>

#include "vigil-enums.h"
#include "vigil-history-entry.h"
#include "vigil-types.h"

G_BEGIN_DECLS

#define VIGIL_STATE_ERROR (vigil_state_error_quark ())

typedef enum
{
  VIGIL_STATE_ERROR_UNREADABLE,  /* the file could not be read (permissions, a folder, I/O) */
  VIGIL_STATE_ERROR_TOO_LARGE,   /* more than VIGIL_STATE_FILE_MAX_SIZE bytes */
  VIGIL_STATE_ERROR_NOT_TEXT,    /* not UTF-8 text: binary or damaged */
  VIGIL_STATE_ERROR_NOT_JSON,    /* empty, truncated or not standard JSON */
  VIGIL_STATE_ERROR_VERSION,     /* no version, or one this Vigil does not read */
  VIGIL_STATE_ERROR_INVALID,     /* JSON of the wrong shape, types or values */
  VIGIL_STATE_ERROR_WRITE,       /* the file could not be written */
} VigilStateError;

GQuark vigil_state_error_quark (void);

/* The version this Vigil writes, and the only one it reads. */
#define VIGIL_STATE_FILE_VERSION 1
/* Larger files are refused unread: 10 000 watched jobs take about 4 MB. */
#define VIGIL_STATE_FILE_MAX_SIZE (32 * 1024 * 1024)
/* History entries kept (the newest). */
#define VIGIL_STATE_HISTORY_MAX 500

/* One watched job, as saved. */
typedef struct
{
  char             *server;      /* base URL */
  char             *job_id;
  VigilJobKind      kind;
  gint64            target_id;   /* -1 when unknown */
  char             *title;       /* nullable */
  GDateTime        *created_at;  /* nullable */
  GDateTime        *started_at;  /* nullable */
  VigilServerState  state;       /* the last known one: QUEUED or RUNNING */
  gboolean          stopped;     /* the user stopped tracking it */
} VigilStateJob;

#define VIGIL_TYPE_STATE_JOB (vigil_state_job_get_type ())
GType          vigil_state_job_get_type (void) G_GNUC_CONST;
VigilStateJob *vigil_state_job_new      (void);
VigilStateJob *vigil_state_job_copy     (const VigilStateJob *job);
void           vigil_state_job_free     (VigilStateJob       *job);
gboolean       vigil_state_job_equal    (const VigilStateJob *a,
                                         const VigilStateJob *b);

/* The whole document. */
typedef struct
{
  GPtrArray *jobs;     /* VigilStateJob, in the order they were watched */
  GPtrArray *history;  /* VigilHistoryEntry, newest first */
} VigilState;

VigilState    *vigil_state_new          (void);
void           vigil_state_free         (VigilState          *state);

/* Parses a document; NULL with a VIGIL_STATE_ERROR on any problem. More
 * than VIGIL_STATE_HISTORY_MAX history entries keep the newest. */
VigilState    *vigil_state_file_parse     (const char        *data,
                                           gsize              length,
                                           GError           **error);
/* The document as UTF-8 JSON (NUL-terminated; *length without the NUL).
 * Writes at most VIGIL_STATE_HISTORY_MAX history entries, the newest;
 * text that is not valid UTF-8 is repaired so the file always reads back. */
char          *vigil_state_file_serialize (const VigilState  *state,
                                           gsize             *length);

/* Bytes that may go to json-glib, for any saved file: at most
 * VIGIL_STATE_FILE_MAX_SIZE, UTF-8 without NUL, standard JSON nested at
 * most 32 deep, no integer beyond 64 bits; else a VIGIL_STATE_ERROR. */
gboolean       vigil_state_file_check_text (const char  *data,
                                            gsize        length,
                                            GError     **error);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (VigilStateJob, vigil_state_job_free)
G_DEFINE_AUTOPTR_CLEANUP_FUNC (VigilState, vigil_state_free)

G_END_DECLS
