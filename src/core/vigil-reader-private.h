/* vigil-reader-private.h — what the reader's parts share: the checks a
 * body passes before json-glib sees it, and one job of GET /api/progress.
 * Internal to libvigil-core.
 *
 *   vigil-reader.c         bodies, trees and every endpoint's reading
 *   vigil-reader-active.c  GET /api/progress read job by job as it arrives
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <json-glib/json-glib.h>

#include "vigil-types.h"

G_BEGIN_DECLS

/* Whether text may go to json-glib: standard JSON nested at most
 * max_depth deep (overflowing integers noted in overflows, nullable).
 * Otherwise the error a whole body gets for it (VIGIL_API_ERROR_PROTOCOL). */
gboolean       vigil_reader_check_syntax       (const char  *text,
                                                gsize        len,
                                                guint        max_depth,
                                                GArray      *overflows,
                                                GError     **error);
/* The error of a body that is not UTF-8 (or holds a NUL byte). */
void           vigil_reader_set_not_utf8_error (GError     **error);
/* Text that passed vigil_reader_check_syntax() as an object node (its
 * overflowing integers read as clamped floats), or NULL and an error. */
JsonNode      *vigil_reader_parse_checked      (const char  *text,
                                                gsize        len,
                                                GArray      *overflows,
                                                GError     **error);
/* One entry of active_jobs: its record, job_id from key when it has none;
 * NULL when node is not an object. */
VigilProgress *vigil_reader_parse_active_job   (const char  *key,
                                                JsonNode    *node);

G_END_DECLS
