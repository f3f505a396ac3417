/* vigil-reader-active.h — GET /api/progress read job by job, from a body
 * that arrives in pieces: each job's record is read and handed over as soon
 * as its member of "active_jobs" is whole, so neither the body nor all the
 * records are ever held at once.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <glib.h>

#include "vigil-types.h"

G_BEGIN_DECLS

/* One job's record, given (the callee frees it). Returns FALSE to hear of
 * no more records. */
typedef gboolean (*VigilActiveFunc) (VigilProgress *progress,
                                     gpointer       user_data);

typedef struct _VigilActiveScanner VigilActiveScanner;

VigilActiveScanner *vigil_active_scanner_new          (VigilActiveFunc     func,
                                                       gpointer            user_data);
void                vigil_active_scanner_free         (VigilActiveScanner *self);

/* The next len bytes of the body, in any pieces (a member, a string, an
 * escape or a UTF-8 sequence may be split anywhere). Records whose member
 * is whole go to func at once. Returns FALSE once func asked to stop. */
gboolean            vigil_active_scanner_feed         (VigilActiveScanner *self,
                                                       const char         *data,
                                                       gsize               len);

/* Whether the body is being read job by job: it had the usual shape,
 * {… "active_jobs": {…} or […] …}, up to the start of active_jobs. Before
 * that, and for any other shape, the scanner keeps every byte (the
 * members before active_jobs are all it held before) and reads them as
 * one tree at the end. */
gboolean            vigil_active_scanner_is_streaming (VigilActiveScanner *self);

/* The bytes kept while not streaming (NULL when streaming): whoever reads
 * them as a whole answer takes them, and the scanner is done. */
GBytes             *vigil_active_scanner_steal_kept   (VigilActiveScanner *self);

/* The body has ended. TRUE when it was read whole. Otherwise the error the
 * whole body gets from vigil_reader_parse_active_progress_bytes() (not
 * UTF-8, not JSON, nested too deeply, …): the records handed over before
 * were each whole and valid on their own, and no record after the fault
 * was handed over. Kept bytes (not streaming) are read here as one tree. */
gboolean            vigil_active_scanner_finish       (VigilActiveScanner *self,
                                                       GError            **error);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (VigilActiveScanner, vigil_active_scanner_free)

G_END_DECLS
