/* vigil-state-store.h — nothing forgotten: keeps a tracker's watched jobs
 * and the history of finished ones in a state file, and brings them back
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <gio/gio.h>

#include "vigil-history-entry.h"
#include "vigil-state-file.h"
#include "vigil-tracker.h"

G_BEGIN_DECLS

/* The file inside the store's directory. */
#define VIGIL_STATE_STORE_FILE_NAME "state.json"

#define VIGIL_TYPE_STATE_STORE (vigil_state_store_get_type ())
G_DECLARE_FINAL_TYPE (VigilStateStore, vigil_state_store, VIGIL, STATE_STORE, GObject)

/* Properties:
 *   tracker    VigilTracker*  construct-only: the jobs to keep
 *   directory  char*          construct-only: where state.json lives
 *                             (the app: g_get_user_state_dir()/vigil);
 *                             NULL keeps the history in memory only
 *   delay-ms   guint          a change is saved this long after the last
 *                             one (default 500), at most 10 × that after the
 *                             first
 *   history    GListModel*    of VigilHistoryEntry, newest first, at most
 *                             VIGIL_STATE_HISTORY_MAX (read-only)
 * Signals:
 *   saved ()                        the file was written
 *   save-failed (GError *error)     a scheduled save failed; the next change
 *                                   tries again (show it to the user)
 *
 * What is saved (see vigil-state-file.h for the format): the tracker's
 * unfinished jobs (each with the server's base URL, kind, target, title,
 * creation and start times, last known state, and whether the user stopped
 * tracking it), the jobs of other servers read from the file, and the
 * history. Never a token or a cookie. Changes noticed: jobs added to or
 * removed from the tracker, a job finishing (it moves to the history),
 * tracking stopped or resumed, and whatever a server answer teaches about a
 * job's state, title or times (through the client's progress-read and
 * job-record-read signals, so that VigilJob's silence towards unwatched
 * jobs is kept). The file is replaced atomically, mode 0600.
 *
 * Nothing is written before vigil_state_store_load() has run, so an
 * unread file is never overwritten. Call vigil_state_store_flush() before
 * dropping the store (at quit): disposing it writes nothing. */

VigilStateStore *vigil_state_store_new             (VigilTracker     *tracker,
                                                    const char       *directory);
/* DIRECTORY/FILE_NAME (a plain name, no folder): the store of another
 * server than the default one, which must never share a file. */
VigilStateStore *vigil_state_store_new_for_file    (VigilTracker     *tracker,
                                                    const char       *directory,
                                                    const char       *file_name);

/* The file of the server at base_url (its normal form), whatever its place
 * in the list: "state-<SHA-1 of the URL>.json" (free it). */
char            *vigil_state_store_file_name_for_url (const char *base_url);
/* DIRECTORY/vigil_state_store_file_name_for_url(the tracker's base URL): the
 * app's store for each server, so that removing, re-adding or reordering
 * servers never hands one server's file to another. adopt_legacy: an old
 * DIRECTORY/state.json (the first server's file in earlier versions) is
 * first renamed to that name when no such file exists yet. */
VigilStateStore *vigil_state_store_new_for_server  (VigilTracker     *tracker,
                                                    const char       *directory,
                                                    gboolean          adopt_legacy);

/* DIRECTORY/state.json (or file-name), or NULL for a store in memory. */
const char      *vigil_state_store_get_path        (VigilStateStore  *self);
GListModel      *vigil_state_store_get_history     (VigilStateStore  *self);
VigilTracker    *vigil_state_store_get_tracker     (VigilStateStore  *self);

/* Reads the file, once, before anything else. No file is no error. Each
 * unfinished job of the tracker's server is watched again: it shows its
 * saved title and state at once, then the poller asks the server (the job
 * record settles how a job that ended meanwhile ended). Jobs of other
 * servers are kept in the file untouched.
 *
 * A file that cannot be used (unreadable, a folder, too large, not text,
 * not JSON, a wrong version or shape) is moved aside to
 * state.json.corrupt-YYYYMMDD-HHMMSS, the store starts empty, and FALSE
 * returns a VIGIL_STATE_ERROR whose message tells the user all of that. When
 * even moving it aside fails, the store never writes (so the file is not
 * lost) and the message says so. */
gboolean         vigil_state_store_load            (VigilStateStore  *self,
                                                    GError          **error);
/* Writes now if anything changed since the last write. */
gboolean         vigil_state_store_flush           (VigilStateStore  *self,
                                                    GError          **error);

/* The server goes away (removed in Preferences): writes what changed, then
 * no longer listens to the tracker nor writes, so the file keeps its
 * unfinished jobs for a store that reads it again later. */
gboolean         vigil_state_store_close           (VigilStateStore  *self,
                                                    GError          **error);

/* Empties the history; returns how many entries it had. They are kept in
 * memory until the next clear (even one of an empty history), for
 * vigil_state_store_restore_history(). */
guint            vigil_state_store_clear_history   (VigilStateStore  *self);
/* Undoes the last clear (entries added since stay); returns how many came
 * back. */
guint            vigil_state_store_restore_history (VigilStateStore  *self);

G_END_DECLS
