/* vigilctl-output.h — human and JSON renderings of API results
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <json-glib/json-glib.h>

#include "vigil-job.h"
#include "vigil-types.h"

G_BEGIN_DECLS

void  vigilctl_print_json          (JsonNode                *node);

JsonNode *vigilctl_start_to_json   (const VigilStartResult  *result);
JsonNode *vigilctl_record_to_json  (const VigilJobRecord    *record);
JsonNode *vigilctl_queue_to_json   (const VigilQueueStatus  *queue);
JsonNode *vigilctl_worker_to_json  (const VigilWorkerHealth *worker);
JsonNode *vigilctl_job_to_json     (VigilJob                *job);

void  vigilctl_print_start         (const VigilStartResult  *result);
void  vigilctl_print_record        (const VigilJobRecord    *record);
void  vigilctl_print_queue         (const VigilQueueStatus  *queue);
void  vigilctl_print_worker        (const VigilWorkerHealth *worker);

/* "42%", or "—" when unknown */
char *vigilctl_format_percent      (double                   fraction);

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
const char *vigilctl_server_state_name (VigilServerState     state);

G_END_DECLS
