/* fuzz-common.h — what every fuzz target checks of what the core makes of
 * a server's answer
 *
 * A target fails (aborts) on a crash, a sanitizer report, a GLib warning or
 * critical, or a broken promise of the core's headers: results and errors
 * exclusive, errors in VIGIL_API_ERROR, every text valid UTF-8, numbers in
 * their documented ranges.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <stddef.h>
#include <stdint.h>

#include "vigil-api-client.h"
#include "vigil-api-client-private.h"
#include "vigil-reader.h"

G_BEGIN_DECLS

/* libFuzzer's entry points */
int  LLVMFuzzerInitialize   (int            *argc,
                             char         ***argv);
int  LLVMFuzzerTestOneInput (const uint8_t  *data,
                             size_t          size);

/* Warnings and criticals abort; debug output is dropped. */
void fuzz_init                 (void);

/* The input as a string: up to its first NUL. */
char *fuzz_strndup             (const uint8_t *data,
                                size_t         size);

void fuzz_check_text           (const char    *text);   /* nullable */
void fuzz_check_error          (const GError  *error);
void fuzz_check_seconds        (double         seconds);
void fuzz_check_date           (GDateTime     *date);   /* nullable */
void fuzz_check_progress       (const VigilProgress     *progress);
void fuzz_check_job_record     (const VigilJobRecord    *record);
void fuzz_check_start_result   (const VigilStartResult  *result);
void fuzz_check_queue_status   (const VigilQueueStatus  *status);
void fuzz_check_worker_health  (const VigilWorkerHealth *health);
void fuzz_check_queue_health   (const VigilQueueHealth  *health);

/* A result of endpoint (as vigil_api_read_answer() returns it). */
void fuzz_check_result         (VigilApiEndpoint  endpoint,
                                gpointer          result);

G_END_DECLS
