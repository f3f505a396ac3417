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
 * succeeded, 1 when any failed or was lost, 130 on Ctrl+C. */
int vigilctl_watch (VigilApiClient      *client,
                    const char * const  *job_ids,
                    VigilctlWatchFormat  format,
                    double               time_scale);

G_END_DECLS
