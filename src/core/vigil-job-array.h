/* vigil-job-array.h — the tracker's list of jobs: a GListModel of VigilJob
 * over a plain array (an item costs a pointer and is reached at once;
 * GListStore's sequence node costs 40 bytes and a walk)
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <gio/gio.h>

#include "vigil-job.h"

G_BEGIN_DECLS

#define VIGIL_TYPE_JOB_ARRAY (vigil_job_array_get_type ())
G_DECLARE_FINAL_TYPE (VigilJobArray, vigil_job_array, VIGIL, JOB_ARRAY, GObject)

VigilJobArray *vigil_job_array_new         (void);

/* Each change emits GListModel::items-changed as GListStore's would. */
void           vigil_job_array_append      (VigilJobArray *self,
                                            VigilJob      *job);
void           vigil_job_array_remove      (VigilJobArray *self,
                                            guint          position);
void           vigil_job_array_remove_all  (VigilJobArray *self);
/* The job at position is announced as removed and added again in place
 * (items-changed position, 1, 1), for views that filter or sort by what
 * no item signal tells. */
void           vigil_job_array_reannounce  (VigilJobArray *self,
                                            guint          position);
/* Where job is (the first place), as g_list_store_find(). */
gboolean       vigil_job_array_find        (VigilJobArray *self,
                                            VigilJob      *job,
                                            guint         *position);

G_END_DECLS
