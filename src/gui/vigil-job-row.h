/* vigil-job-row.h — one tracked job in the list
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <gtk/gtk.h>

#include "vigil-job.h"

G_BEGIN_DECLS

#define VIGIL_TYPE_JOB_ROW (vigil_job_row_get_type ())
G_DECLARE_FINAL_TYPE (VigilJobRow, vigil_job_row, VIGIL, JOB_ROW, GtkWidget)

VigilJob   *vigil_job_row_get_job     (VigilJobRow *self);
void        vigil_job_row_set_job     (VigilJobRow *self,
                                       VigilJob    *job);

/* What the row shows, for tests and accessibility. */
const char *vigil_job_row_get_step_text    (VigilJobRow *self);
const char *vigil_job_row_get_time_text    (VigilJobRow *self);
const char *vigil_job_row_get_trouble_text (VigilJobRow *self);

/* Texts shared with other views. */
/* "4:02", "1:02:03"; NULL when seconds is unknown or absurd (negative, not
 * finite, over a year: see vigil_seconds_to_units()). */
char       *vigil_job_row_format_duration  (double seconds);

G_END_DECLS
