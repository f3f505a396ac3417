/* vigil-reader.h — the tolerant reader: JSON answers of the analysis service
 * into the typed results of vigil-types.h, following the reading rules of
 * the API contract (shared/api-contract.md).
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <json-glib/json-glib.h>

#include "vigil-api-client.h"
#include "vigil-types.h"

G_BEGIN_DECLS

/* Deepest nesting of arrays and objects accepted in a body. */
#define VIGIL_READER_MAX_DEPTH 64

/* The body of an answer as a JSON object node. Fails with
 * VIGIL_API_ERROR_PROTOCOL when the body is empty, not UTF-8, not JSON,
 * nested deeper than VIGIL_READER_MAX_DEPTH or not an object. Integers
 * beyond the gint64 range are read as (clamped) floats. */
JsonNode          *vigil_reader_parse_bytes                    (GBytes      *body,
                                                                GError     **error);

/* ISO 8601 (offset optional, UTC when absent; fractional seconds optional)
 * or an HTTP date. Returns a UTC date, or NULL. */
GDateTime         *vigil_reader_parse_timestamp                (const char  *str);

/* Objects nested in answers. They never fail: wrong types and missing
 * fields take the defaults of vigil-types.h; unknown fields are ignored.
 * A NULL object gives an all-defaults result. */
VigilProgress     *vigil_reader_parse_progress                 (JsonObject  *object);
VigilJobRecord    *vigil_reader_parse_job_record               (JsonObject  *object);

/* Whole answers (root from vigil_reader_parse_bytes). They fail with
 * VIGIL_API_ERROR_PROTOCOL when the answer lacks its expected object, and
 * with VIGIL_API_ERROR_SERVER when it lacks it and says it failed
 * ("success": false or "status": "error"). */

/* GET /api/progress/<id>: {"success": …, "progress": {…}} */
VigilProgress     *vigil_reader_parse_progress_response        (JsonNode    *root,
                                                                GError     **error);
/* GET /api/jobs/<id>/status: {"job": {…}} */
VigilJobRecord    *vigil_reader_parse_job_status_response      (JsonNode    *root,
                                                                GError     **error);
/* GET /api/progress: {"active_jobs": {"<id>": {…}, …}} (an array is read
 * too). A GPtrArray of VigilProgress (free func set); an entry without a
 * job_id takes its key. Entries that are not objects are skipped. */
GPtrArray         *vigil_reader_parse_active_progress_response (JsonNode    *root,
                                                                GError     **error);
/* The same from the body, without a tree for the whole answer (a batch of
 * 10 000 jobs is some 6 MB of JSON): each job is parsed on its own, by the
 * scanner of vigil-reader-active.h (which also reads a body as it arrives,
 * without holding it or all its records). */
GPtrArray         *vigil_reader_parse_active_progress_bytes    (GBytes      *body,
                                                                GError     **error);
/* POST …/analyze, …/analyze-unanalyzed, …/reanalyze-all, reanalyze-user.
 * No job_id with queued_count 0 is a result with job_id NULL; no job_id
 * otherwise is an error. */
VigilStartResult  *vigil_reader_parse_start_response           (JsonNode    *root,
                                                                GError     **error);
/* GET /api/queue/status: {"queue": {…}} */
VigilQueueStatus  *vigil_reader_parse_queue_status_response    (JsonNode    *root,
                                                                GError     **error);
/* GET /api/worker/health: {"worker": {…}} */
VigilWorkerHealth *vigil_reader_parse_worker_health_response   (JsonNode    *root,
                                                                GError     **error);
/* GET /api/queue/health, answered with http_status (200 or 503): healthy
 * only for 200 with status "success". */
VigilQueueHealth  *vigil_reader_parse_queue_health_response    (JsonNode    *root,
                                                                guint        http_status,
                                                                GError     **error);
/* POST /api/progress/cleanup: the server's message (a generic text when it
 * gives none). */
char              *vigil_reader_parse_cleanup_response         (JsonNode    *root,
                                                                GError     **error);

/* The text of an error body: "message", else "error" (a string, or an
 * object with a "message"), else NULL. root may be NULL or any node. */
char              *vigil_reader_parse_error_message            (JsonNode    *root);

/* The song a progress message names, for servers that give no metadata:
 * "Analyzing 'Title' by Artist". The title is the text between the first
 * quote that starts a word (', ", ‘…’ or “…”) and its closing quote — the
 * one followed by " by " when there is one, else the last — so apostrophes
 * and other quotes inside a title stay in it. The artist follows " by ",
 * without a trailing "…" or "..."; NULL when missing or empty. FALSE (and
 * both NULL) for a NULL message, no opening or closing quote, or an empty
 * title. */
gboolean           vigil_reader_parse_song_message             (const char  *message,
                                                                char       **title,
                                                                char       **artist);

G_END_DECLS
