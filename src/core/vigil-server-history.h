/* vigil-server-history.h — what the dashboard's charts draw: one sample a
 * minute of a server's queue length and songs analyzed, over the last
 * hour, kept in memory and in the state directory across restarts.
 *
 * File: DIRECTORY/dashboard-<SHA-1 of the server URL>.json (one per server;
 * the app's DIRECTORY is $XDG_STATE_HOME/vigil: vigil_state_dir_get_default ()),
 * written atomically
 * (a temporary file renamed over the old one), UTF-8 JSON:
 *   {"version": 1, "server": "http://host:5001",
 *    "samples": [{"minute": 29916000, "queue_length": 12 | null,
 *                 "songs": 8 | null}, …]}       (oldest first)
 * "minute" is Unix time / 60; null is unknown. A file that cannot be used
 * (unreadable, too large, not JSON, a wrong version, server or type) is
 * set aside as NAME.corrupt-YYYYMMDD-HHMMSS (vigil-state-dir) and the
 * history starts empty; samples older than an hour are dropped on reading.
 *
 * Saving: when a minute is over (the first sample of a new minute), and on
 * vigil_server_history_save(). Saving failures are kept in last-error and
 * never stop the sampling.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <glib-object.h>

#include "vigil-server-text.h"

G_BEGIN_DECLS

#define VIGIL_SERVER_HISTORY_MINUTES 60
#define VIGIL_SERVER_HISTORY_VERSION 1
#define VIGIL_SERVER_HISTORY_MAX_FILE_SIZE (1024 * 1024)

typedef struct
{
  gint64 minute;        /* Unix time / 60 */
  gint64 queue_length;  /* the last one seen in that minute; -1 unknown */
  gint64 songs;         /* songs analyzed in that minute; -1 unknown */
} VigilHistorySample;

#define VIGIL_TYPE_SERVER_HISTORY (vigil_server_history_get_type ())
G_DECLARE_FINAL_TYPE (VigilServerHistory, vigil_server_history, VIGIL, SERVER_HISTORY, GObject)

/* Signals: changed () — a sample was added or changed, or the history was
 * loaded. */

/* directory NULL: in memory only. */
VigilServerHistory *vigil_server_history_new        (const char          *server_url,
                                                     const char          *directory);
/* "dashboard-<SHA-1 of url>.json" */
char               *vigil_server_history_file_name  (const char          *server_url);
const char         *vigil_server_history_get_server (VigilServerHistory  *self);
/* NULL in memory. */
const char         *vigil_server_history_get_path   (VigilServerHistory  *self);

/* Reads the file once (no file: TRUE). FALSE with a VIGIL_STATE_ERROR whose
 * message says the file was set aside (and where) when it was unusable;
 * the history is then empty. Samples recorded before are kept (newer). */
gboolean            vigil_server_history_load       (VigilServerHistory  *self,
                                                     GError             **error);
gboolean            vigil_server_history_save       (VigilServerHistory  *self,
                                                     GError             **error);
/* The last save's error, NULL after a success. */
const GError       *vigil_server_history_get_last_error (VigilServerHistory *self);

/* One observation at now_us (wall-clock µs): queue_length (-1 unknown:
 * the minute keeps what it had) and songs analyzed since the previous
 * observation (-1 unknown, else added to the minute). Starting a new
 * minute saves the previous ones. */
void                vigil_server_history_record     (VigilServerHistory  *self,
                                                     gint64               now_us,
                                                     gint64               queue_length,
                                                     gint64               songs_analyzed);

/* The samples of the hour before now_us, oldest first (transfer full; an
 * array of VigilHistorySample, minutes without any observation absent). */
GArray             *vigil_server_history_get_samples (VigilServerHistory *self,
                                                      gint64              now_us);

/* The latest value and its trend (the latest against the mean of up to 5
 * samples of the 15 minutes before it: rising or falling by more than
 * max (1, 10 %), else steady; UNKNOWN without earlier samples). Songs use
 * the last complete minute when it is recent (the current one is partial).
 * Values -1 when unknown. */
void                vigil_server_history_get_latest  (VigilServerHistory *self,
                                                      gint64              now_us,
                                                      gint64             *queue_length,
                                                      VigilTrend         *queue_trend,
                                                      gint64             *songs_per_minute,
                                                      VigilTrend         *songs_trend);
/* The charts' accessible description: "Queue length 12, rising; 8 songs
 * analyzed per minute, steady" (vigil_server_text_history_description). */
char               *vigil_server_history_describe    (VigilServerHistory *self,
                                                      gint64              now_us);

G_END_DECLS
