/* vigil-history-entry.h — one finished job as the history remembers it:
 * a small immutable record that outlives the job and Vigil's restarts
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <glib-object.h>

#include "vigil-job.h"
#include "vigil-types.h"

G_BEGIN_DECLS

/* How a job ended. */
typedef enum
{
  VIGIL_OUTCOME_COMPLETED,  /* the server says it completed */
  VIGIL_OUTCOME_FAILED,     /* failed, interrupted or cancelled (see error-message) */
  VIGIL_OUTCOME_LOST,       /* the server forgot a job it had told about */
  VIGIL_OUTCOME_NOT_FOUND,  /* the server never knew the job id */
} VigilOutcome;

#define VIGIL_TYPE_OUTCOME (vigil_outcome_get_type ())
GType vigil_outcome_get_type (void) G_GNUC_CONST;

#define VIGIL_TYPE_HISTORY_ENTRY (vigil_history_entry_get_type ())
G_DECLARE_FINAL_TYPE (VigilHistoryEntry, vigil_history_entry, VIGIL, HISTORY_ENTRY, GObject)

/* Properties (all construct-only, readable):
 *   server         char*         the server's base URL
 *   job-id         char*
 *   kind           VigilJobKind
 *   target-id      gint64        song/playlist/user id, -1
 *   title          char*         the job's display title when it ended, nullable
 *   outcome        VigilOutcome
 *   finished-at    GDateTime     when Vigil learnt the end (UTC), nullable
 *   duration       double        seconds from start to end, VIGIL_UNKNOWN when
 *                                not known (e.g. the job ended while Vigil
 *                                was closed)
 *   error-message  char*         nullable
 */

VigilHistoryEntry *vigil_history_entry_new               (const char        *server,
                                                          const char        *job_id,
                                                          VigilJobKind       kind,
                                                          gint64             target_id,
                                                          const char        *title,
                                                          VigilOutcome       outcome,
                                                          GDateTime         *finished_at,
                                                          double             duration,
                                                          const char        *error_message);
/* The entry for a finished job (SUCCEEDED, FAILED or LOST) of server.
 * end_seen: Vigil watched the job run up to its end, so the time from its
 * start to finished-at is its duration; otherwise the duration is unknown. */
VigilHistoryEntry *vigil_history_entry_new_for_job       (VigilJob          *job,
                                                          const char        *server,
                                                          gboolean           end_seen);

const char        *vigil_history_entry_get_server        (VigilHistoryEntry *self);
const char        *vigil_history_entry_get_job_id        (VigilHistoryEntry *self);
VigilJobKind       vigil_history_entry_get_kind          (VigilHistoryEntry *self);
gint64             vigil_history_entry_get_target_id     (VigilHistoryEntry *self);
const char        *vigil_history_entry_get_title         (VigilHistoryEntry *self);
VigilOutcome       vigil_history_entry_get_outcome       (VigilHistoryEntry *self);
GDateTime         *vigil_history_entry_get_finished_at   (VigilHistoryEntry *self);
double             vigil_history_entry_get_duration      (VigilHistoryEntry *self);
const char        *vigil_history_entry_get_error_message (VigilHistoryEntry *self);

/* Newest first: a later finished-at first, an entry without one last.
 * A GCompareDataFunc on two VigilHistoryEntry (g_list_store_sort()). */
int                vigil_history_entry_compare_newest    (gconstpointer      a,
                                                          gconstpointer      b,
                                                          gpointer           user_data);

G_END_DECLS
