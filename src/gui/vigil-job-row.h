/* vigil-job-row.h — one tracked job in the list
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <gtk/gtk.h>

#include "vigil-job.h"

G_BEGIN_DECLS

/* What the row's menu and its Retry Now and Sign In buttons ask for (the
 * row's actions row.retry-now, row.stop-watching, row.copy-id, row.remove
 * and row.sign-in). */
typedef enum
{
  VIGIL_JOB_ROW_ACTION_RETRY_NOW,
  VIGIL_JOB_ROW_ACTION_STOP_WATCHING,
  VIGIL_JOB_ROW_ACTION_COPY_ID,
  VIGIL_JOB_ROW_ACTION_REMOVE,
  VIGIL_JOB_ROW_ACTION_SIGN_IN,    /* shown while the server says "not signed in" */
} VigilJobRowAction;

#define VIGIL_TYPE_JOB_ROW_ACTION (vigil_job_row_action_get_type ())
GType vigil_job_row_action_get_type (void) G_GNUC_CONST;

#define VIGIL_TYPE_JOB_ROW (vigil_job_row_get_type ())
G_DECLARE_FINAL_TYPE (VigilJobRow, vigil_job_row, VIGIL, JOB_ROW, GtkWidget)

/* Signals:
 *   action-requested (VigilJobRowAction action, VigilJob *job)
 *     the user chose one of the row's actions for its job; whoever owns
 *     the jobs carries it out. */

GtkWidget  *vigil_job_row_new         (void);
/* The icon of a job's kind, shared by the history's rows. */
const char *vigil_job_row_kind_icon_name (VigilJobKind kind);
VigilJob   *vigil_job_row_get_job     (VigilJobRow *self);
void        vigil_job_row_set_job     (VigilJobRow *self,
                                       VigilJob    *job);

/* What the row shows, for tests and accessibility. */
const char *vigil_job_row_get_step_text    (VigilJobRow *self);
const char *vigil_job_row_get_time_text    (VigilJobRow *self);
const char *vigil_job_row_get_trouble_text (VigilJobRow *self);

G_END_DECLS
