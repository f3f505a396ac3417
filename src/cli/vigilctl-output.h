/* vigilctl-output.h — human and JSON renderings of API results
 *
 * JSON objects keep the server's values in fields named as the server names
 * them (null when the server did not say) and add vigilctl's own judgement
 * beside them in client fields: "state", "reason", "text", "fraction", … The
 * shape of each command's object is in README.md, "vigilctl --json".
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <json-glib/json-glib.h>

#include "vigil-job.h"
#include "vigil-types.h"

G_BEGIN_DECLS

/* What the server last said about a job, in its own words: the last job
 * record and progress object read (a progress object is dropped when a
 * later record carries none: the server no longer states it). */
typedef struct
{
  VigilJobRecord *record;    /* nullable */
  VigilProgress  *progress;  /* nullable */
} VigilctlHeard;

/* The watch line of one job: the server's words (heard, nullable) and the
 * client's (job, text, failing_since: when the current run of failed polls
 * began, nullable). */
typedef struct
{
  VigilJob            *job;
  const VigilctlHeard *heard;
  const char          *text;
  GDateTime           *failing_since;
} VigilctlJobLine;

JsonNode *vigilctl_start_to_json   (const VigilStartResult  *result);
JsonNode *vigilctl_record_to_json  (const VigilJobRecord    *record);
JsonNode *vigilctl_worker_to_json  (const VigilWorkerHealth *worker);
JsonNode *vigilctl_job_to_json     (const VigilctlJobLine   *line);
/* An error: "vigilctl: message" on stderr and, when json, the object
 * {"error": {"code": code, "message": message, …}} on stdout, with a string
 * member for each of the NULL-terminated name/value pairs that follow (a
 * NULL value is null). */
void      vigilctl_print_error     (gboolean                 json,
                                    const char              *code,
                                    const char              *message,
                                    ...) G_GNUC_NULL_TERMINATED;

void  vigilctl_print_start         (const VigilStartResult  *result);
void  vigilctl_print_record        (const VigilJobRecord    *record);
void  vigilctl_print_worker        (const VigilWorkerHealth *worker);

/* Client judgements of a job record: "queued", "running", "succeeded",
 * "failed", or NULL when it does not say; the fraction done (a finished job
 * is 1.0 even when the record says progress 0), or VIGIL_UNKNOWN; the
 * reason of a failure; the sentence a human reads. */
const char *vigilctl_record_state    (const VigilJobRecord  *record);
double      vigilctl_record_fraction (const VigilJobRecord  *record);
char       *vigilctl_record_reason   (const VigilJobRecord  *record);
char       *vigilctl_record_text     (const VigilJobRecord  *record);

/* "about 3 minutes", "less than a minute", or "unknown" for a value that is
 * missing or absurd (negative, not a number, over a year) */
char *vigilctl_format_estimate     (double                   minutes);
/* "14:02:11 (3 min)": a local time and how long ago it was (in whole
 * minutes, left out under one) */
char *vigilctl_format_since        (GDateTime               *since);
/* "JOB_ID (song_analysis, IN_PROGRESS)", leaving out what is unknown */
char *vigilctl_format_record_summary (const VigilJobRecord  *record);

/* text for a terminal: valid UTF-8, control characters (line breaks, tabs,
 * escapes) made spaces, so that a server's text can neither break a line
 * apart nor move the cursor. */
char *vigilctl_sanitize            (const char              *text);
/* Field lines of human output: "Label      value" (sanitized); a NULL or
 * empty value prints nothing. */
void  vigilctl_print_field         (const char              *name,
                                    const char              *value);

/* Terminal columns that text takes (wide characters count two). */
guint vigilctl_text_width          (const char              *text);
/* Append text to out, padded with spaces to width columns (on the left when
 * align_right). */
void  vigilctl_append_padded       (GString                 *out,
                                    const char              *text,
                                    guint                    width,
                                    gboolean                 align_right);
/* text cut to at most max_width columns, ending in "…" when cut. */
char *vigilctl_truncate            (const char              *text,
                                    guint                    max_width);
/* "succeeded", "failed", … */
const char *vigilctl_server_state_name   (VigilServerState   state);
/* "active", "retrying", … */
const char *vigilctl_tracking_state_name (VigilTrackingState state);

G_END_DECLS
