/* vigil-job-text.h — every word Vigil says about a job: its title, kind
 * line, state and step with the ETA, outcome, tracking trouble, times and
 * counts. Widget-free, so that rows, vigilctl, notifications, the tray and
 * the dashboard say the same thing, and translators see each sentence once.
 *
 * Functions returning char * give a new string (g_free() it); those
 * returning const char * give a translated string owned by gettext.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include "vigil-enums.h"
#include "vigil-history-entry.h"
#include "vigil-job.h"
#include "vigil-poll-policy.h"
#include "vigil-types.h"

G_BEGIN_DECLS

/* ---- titles ---- */

/* "Title — Artist", the title alone without an artist; NULL without a
 * title. */
char       *vigil_job_text_song_title       (const char       *title,
                                             const char       *artist);
/* A job's display title from what the server named: the song ("Title —
 * Artist"), the playlist's name, else "Song 12", "Playlist 3", "User 7's
 * library" (target_id -1: "Song", "Playlist", "A user's library"), and
 * "Analysis job" for an unknown kind. Names may be NULL. */
char       *vigil_job_text_title            (VigilJobKind      kind,
                                             gint64            target_id,
                                             const char       *song_title,
                                             const char       *artist,
                                             const char       *playlist_name);
/* A song of a playlist the server did not name: "Song 3" (position from 0). */
char       *vigil_job_text_song_placeholder (guint             position);

/* ---- the kind line and counts ---- */

/* "Song analysis", "Playlist · 5 of 12 songs", "Playlist analysis" (no
 * total yet), "Whole library · 5 of 12 songs", "Analysis". */
char       *vigil_job_text_kind             (VigilJobKind      kind,
                                             gint64            completed,
                                             gint64            total);
/* The kind line followed by the job's server ("Playlist · 3 of 12 songs ·
 * host:port"), for lists that show several servers. */
char       *vigil_job_text_kind_on_server   (const char       *kind_line,
                                             const char       *server_host);
/* The heading of a job's song list: "Songs (5 of 12 done)". */
char       *vigil_job_text_songs_done       (gint64            completed,
                                             gint64            total);
/* "340 songs analyzed", "340 songs analyzed, 2 failed" (failed ≤ 0: left
 * out). */
char       *vigil_job_text_counts           (gint64            analyzed,
                                             gint64            failed);
/* "42%" (to the nearest whole percent), or "—" when unknown. */
char       *vigil_job_text_percent          (double            fraction);
/* The percentage, with "(5 of 12)" when total > 0: "42% (5 of 12)", "100%
 * (12 of 12)" (a job done has done every item, whatever the count said). */
char       *vigil_job_text_progress         (double            fraction,
                                             gint64            completed,
                                             gint64            total);
/* One song of a job: "Waiting", "Analyzing", "Done", "Failed". */
const char *vigil_job_text_song_state       (VigilSongState    state);

/* ---- steps, states, outcomes ---- */

/* The contract's user-facing step texts: "Getting ready to analyze…",
 * "Finding song lyrics…", "Checking content for concerns…", "Analysis
 * finished!", "Processing…". */
const char *vigil_job_text_step_label       (VigilStep         step);
/* The label plus " (about N minutes remaining)", N = ceil (eta / 60), when
 * eta_seconds > 10 and it is not absurd (see vigil_seconds_to_units()). */
char       *vigil_job_text_step             (VigilStep         step,
                                             double            eta_seconds);
/* Vigil's reason for a failure the server gave none for: "The job was
 * interrupted", "The job was cancelled", else "The analysis failed". */
const char *vigil_job_text_default_failure  (VigilJobStatus    status);
/* A job the server knew and has forgotten (LOST): "The server no longer
 * knows this job". */
const char *vigil_job_text_lost             (void);
/* "No such job on HOST": the server never knew the job (NOT_FOUND). host
 * may be NULL ("No such job on the server"). */
char       *vigil_job_text_not_found        (const char       *host);
/* "Not signed in to HOST" (host may be NULL: "… to the server"). */
char       *vigil_job_text_not_signed_in    (const char       *host);
/* What a job in a server state is doing or how it ended: "Waiting for a
 * worker…" (QUEUED), the step with its ETA (RUNNING), "Analysis finished!",
 * "Failed: REASON" (reason NULL: the default failure), the lost and not
 * found texts above (host as there). */
char       *vigil_job_text_state            (VigilServerState  state,
                                             VigilStep         step,
                                             double            eta_seconds,
                                             const char       *reason,
                                             const char       *host);
/* The job's main line (a row's step label): vigil_job_text_state() of the
 * job, except "Not signed in to HOST" while its server wants a sign-in
 * (what the server last said says less than why it says nothing now). */
char       *vigil_job_text_status           (VigilJob         *job);

/* ---- tracking trouble (from the poller's tracking-state, failing-since
 * and retry-interval) ---- */

/* The trouble line under a job's status, or NULL when there is none (or
 * the job is finished): "Connection issue, retrying…", "Unable to track
 * progress — retrying every 5 s", "Server not answering since 14:02 —
 * retrying every 5 s", "Server errors since 14:02 — …", "Checking again
 * every 30 s" (not signed in: the status says to where), "Offline, waiting
 * for the network…", "Not being watched". */
char       *vigil_job_text_trouble          (VigilJob         *job);
/* One line for views without room for a trouble line (vigilctl's watch
 * lines, a tooltip, a notification): the outcome of a finished job; else
 * the trouble — "Connection issue, retrying…", "Unable to track progress —
 * retrying every 5 s", "Server not answering — retrying every 5 s", each
 * followed by "; failing since SINCE" when failing_since (a time as the
 * view writes it) is given, or "Not signed in to HOST", "Offline, waiting
 * for the network…"; else vigil_job_text_state(). */
char       *vigil_job_text_summary          (VigilJob         *job,
                                             const char       *failing_since);

/* ---- polling (diagnostics) ---- */

/* Why the poller chose a job's current delay, the poll policy's rule in
 * words: "Just started, or under 10 %", "Waiting for a worker", "Server
 * failing: one probe at a time", … */
const char *vigil_job_text_poll_reason      (VigilPollReason   reason);

/* ---- times ---- */

/* "4:02", "1:02:03"; NULL for a negative, unknown or absurd duration
 * (over VIGIL_MAX_SECONDS). */
char       *vigil_job_text_duration         (double            seconds);
/* The time a job shows: "Queued", "4:02 elapsed" (since started-at),
 * "Took 4:02" (started-at to finished-at), or "" when there is no start
 * time. now: the time to count to while running (NULL: the current time). */
char       *vigil_job_text_time             (VigilJob         *job,
                                             GDateTime        *now);

/* ---- the history ---- */

/* How a job ended, in a word or two: "Completed", "Failed", "Lost", "Not
 * found". */
const char *vigil_job_text_outcome          (VigilOutcome      outcome);
/* A history entry's times: "Finished 14:02 · took 4:02" (today), "Finished
 * 3 Mar 14:02 · took 4:02", "… · duration unknown" (Vigil did not see it
 * run); "Finished" parts are left out without a finish time. now: what
 * "today" is (NULL: the current time). */
char       *vigil_job_text_history_time     (VigilHistoryEntry *entry,
                                             GDateTime         *now);

/* ---- starting ---- */

/* What came of asking for an analysis: the server's message, else
 * "Nothing to analyze" (no job), "Queued 12 songs", "Analysis queued". */
char       *vigil_job_text_start            (const VigilStartResult *result);

/* ---- in the background ---- */

/* Said once after the window closed while jobs are watched: "Vigil keeps
 * watching 3 analyses and will tell you when they end. To stop watching,
 * choose Quit." */
char       *vigil_job_text_background_hint  (guint             n_watched);
/* The same with no analysis watched but every new job on n_servers
 * servers: "Vigil keeps watching 1 server for new analyses and will tell
 * you when they end. To stop watching, choose Quit." */
char       *vigil_job_text_background_watch_hint (guint        n_servers);

/* ---- the tray ---- */

/* Whether the tray counts the job as running: not finished and still
 * watched (queued jobs included). */
gboolean    vigil_job_text_is_running       (VigilJob         *job);
/* One running job in the tray's menu: its title and percentage, "Playlist 3
 * · 45%"; "Song 7 · Queued" while it waits for a worker, the title alone
 * while its progress is unknown. Titles over 48 characters are cut ("…"). */
char       *vigil_job_text_tray_line        (VigilJob         *job);
/* The menu's last job line when more jobs run than it lists: "and 3 more". */
char       *vigil_job_text_tray_more        (guint             n);
/* The tray's tooltip: "3 analyses running", "1 analysis running, 2
 * failed", "No analyses running". */
char       *vigil_job_text_tray_tooltip     (guint             running,
                                             guint             failed);

/* ---- notifications (a job's end, told outside the list) ---- */

/* Whether a finished job counts as failed (FAILED, LOST, NOT_FOUND). */
gboolean    vigil_job_text_is_failure       (VigilServerState  state);
/* A notification's title: "Background analysis finished" / "Background
 * analysis failed" for a whole-library job, "Analysis finished" /
 * "Analysis failed" for the others. */
const char *vigil_job_text_notification_title (VigilJobKind     kind,
                                               VigilServerState state);
/* A notification's body, one line each: the job's title ("User 7's
 * library"), its counts ("340 songs analyzed, 2 failed"; left out for a
 * song job and when total ≤ 0), on failure the reason (the server's words,
 * else Vigil's, the lost and not found texts), and "On SERVER" when
 * server_name is given (several servers are configured). */
char       *vigil_job_text_notification_body (const char      *title,
                                              VigilJobKind     kind,
                                              VigilServerState state,
                                              gint64           analyzed,
                                              gint64           failed,
                                              gint64           total,
                                              const char      *reason,
                                              const char      *host,
                                              const char      *server_name);
/* The body above for a finished job: analyzed = completed items less its
 * failed songs, failed = its songs in state FAILED. */
char       *vigil_job_text_job_notification_body (VigilJob    *job,
                                                  const char  *server_name);
/* One line for a toast: "“Playlist 3” finished", "“Song 7” failed: REASON". */
char       *vigil_job_text_finished_line    (VigilJob         *job);
/* Many jobs ending together: "5 analyses finished", "5 analyses finished,
 * 1 failed", "3 analyses failed" (all of them failed). */
char       *vigil_job_text_jobs_summary     (guint             n_ended,
                                             guint             n_failed);

G_END_DECLS
