/* vigilctl-watch.h — follow jobs to their end with the smart poller
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include "vigil-api-client.h"

G_BEGIN_DECLS

typedef enum
{
  VIGILCTL_WATCH_AUTO,   /* bars on a terminal, plain lines otherwise */
  VIGILCTL_WATCH_PLAIN,
  VIGILCTL_WATCH_JSON,
} VigilctlWatchFormat;

/* Polls job_ids until each ends; returns the exit code: 0 when every job
 * succeeded, 1 when any failed or was lost, 130 on Ctrl+C, 2 when a job's
 * polls kept failing for give_up_after_us (0: never give up); giving up is
 * said on stderr (and as a JSON error object in JSON format). */
int vigilctl_watch (VigilApiClient      *client,
                    const char * const  *job_ids,
                    VigilctlWatchFormat  format,
                    double               time_scale,
                    gint64               give_up_after_us);

G_END_DECLS
