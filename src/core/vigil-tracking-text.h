/* vigil-tracking-text.h — what Vigil says about following a job: the
 * trouble line of a row, the same words for vigilctl, and the end of a job
 * that its server does not know. Widget-free, so every view shares each
 * sentence (and translators see it once).
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include "vigil-job.h"

G_BEGIN_DECLS

/* "No such job on HOST": the server never knew the job (NOT_FOUND).
 * host may be NULL ("No such job on the server"). */
char *vigil_tracking_text_not_found      (const char *host);
/* "Not signed in to HOST" (host may be NULL). */
char *vigil_tracking_text_not_signed_in  (const char *host);
/* For a job whose server fails as a whole (tracking-state
 * SERVER_UNREACHABLE or SERVER_ERROR): "Server not answering since 14:02 —
 * retrying every 5 s" or "Server errors since 14:02 — retrying every 5 s",
 * from its failing-since and retry-interval. NULL in any other state. */
char *vigil_tracking_text_server_failing (VigilJob   *job);
/* The same without the time, for views that say since when themselves:
 * "Server not answering — retrying every 5 s", "Server errors — retrying
 * every 5 s". NULL in any other state. */
char *vigil_tracking_text_server_retry   (VigilJob   *job);
/* The row's trouble line for the job's tracking-state, or NULL when there
 * is no trouble (or the job is finished): "Connection issue, retrying…",
 * "Unable to track progress — retrying every 5 s", the server's failure
 * above, "Checking again every 30 s" while not signed in (the row says
 * "Not signed in to HOST" in place of the step), … */
char *vigil_tracking_text_trouble        (VigilJob   *job);

G_END_DECLS
