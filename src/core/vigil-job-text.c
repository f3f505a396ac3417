/* vigil-job-text.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <glib/gi18n-lib.h>

#include "vigil-job-song.h"

#include "vigil-job-text.h"

/* Counts of songs fit an int; gettext cannot read G_GINT64_FORMAT. */
static int
count_int (gint64 n)
{
  return (int) CLAMP (n, 0, G_MAXINT);
}

/* ------------------------------------------------------------------ */
/* Titles                                                              */
/* ------------------------------------------------------------------ */

static char *
format_id (gint64 id)
{
  return g_strdup_printf ("%" G_GINT64_FORMAT, id);
}

static char *
song_job_title (gint64      target_id,
                const char *song_title,
                const char *artist)
{
  g_autofree char *id = NULL;

  if (song_title != NULL)
    return vigil_job_text_song_title (song_title, artist);
  if (target_id < 0)
    return g_strdup (_("Song"));

  id = format_id (target_id);
  /* Translators: %s is the server's numeric song id */
  return g_strdup_printf (_("Song %s"), id);
}

static char *
playlist_job_title (gint64      target_id,
                    const char *playlist_name)
{
  g_autofree char *id = NULL;

  if (playlist_name != NULL)
    return g_strdup (playlist_name);
  if (target_id < 0)
    return g_strdup (_("Playlist"));

  id = format_id (target_id);
  /* Translators: %s is the server's numeric playlist id */
  return g_strdup_printf (_("Playlist %s"), id);
}

static char *
library_job_title (gint64 target_id)
{
  g_autofree char *id = NULL;

  if (target_id < 0)
    return g_strdup (_("A user's library"));

  id = format_id (target_id);
  /* Translators: the whole account of a user; %s is the numeric user id */
  return g_strdup_printf (_("User %s's library"), id);
}

char *
vigil_job_text_song_title (const char *title,
                           const char *artist)
{
  if (title == NULL)
    return NULL;
  if (artist == NULL)
    return g_strdup (title);

  /* Translators: a song's display title: "Title — Artist" */
  return g_strdup_printf (_("%s — %s"), title, artist);
}

char *
vigil_job_text_title (VigilJobKind  kind,
                      gint64        target_id,
                      const char   *song_title,
                      const char   *artist,
                      const char   *playlist_name)
{
  switch (kind)
    {
    case VIGIL_JOB_KIND_SONG:
      return song_job_title (target_id, song_title, artist);
    case VIGIL_JOB_KIND_PLAYLIST:
      return playlist_job_title (target_id, playlist_name);
    case VIGIL_JOB_KIND_BACKGROUND:
      return library_job_title (target_id);
    case VIGIL_JOB_KIND_UNKNOWN:
    default:
      return g_strdup (_("Analysis job"));
    }
}

char *
vigil_job_text_song_placeholder (guint position)
{
  /* Translators: a song of a playlist whose name the server did not give;
   * %u is its position, from 1 */
  return g_strdup_printf (_("Song %u"), position + 1);
}

/* ------------------------------------------------------------------ */
/* The kind line and counts                                            */
/* ------------------------------------------------------------------ */

char *
vigil_job_text_kind (VigilJobKind kind,
                     gint64       completed,
                     gint64       total)
{
  int done = count_int (completed);
  int n = count_int (total);

  switch (kind)
    {
    case VIGIL_JOB_KIND_SONG:
      return g_strdup (_("Song analysis"));
    case VIGIL_JOB_KIND_PLAYLIST:
      if (n > 0)
        /* Translators: "Playlist · 5 of 12 songs" */
        return g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "Playlist · %d of %d song",
                                             "Playlist · %d of %d songs", n),
                                done, n);
      return g_strdup (_("Playlist analysis"));
    case VIGIL_JOB_KIND_BACKGROUND:
      if (n > 0)
        /* Translators: a user's whole library, "Whole library · 5 of 12 songs" */
        return g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "Whole library · %d of %d song",
                                             "Whole library · %d of %d songs", n),
                                done, n);
      return g_strdup (_("Whole library analysis"));
    case VIGIL_JOB_KIND_UNKNOWN:
    default:
      return g_strdup (_("Analysis"));
    }
}

char *
vigil_job_text_kind_on_server (const char *kind_line,
                               const char *server_host)
{
  g_return_val_if_fail (kind_line != NULL, NULL);

  if (server_host == NULL || *server_host == '\0')
    return g_strdup (kind_line);
  /* Translators: a row's kind line, then the job's server (host[:port]) */
  return g_strdup_printf (_("%s · %s"), kind_line, server_host);
}

char *
vigil_job_text_songs_done (gint64 completed,
                           gint64 total)
{
  int n = count_int (total);

  /* Translators: the heading of a job's song list, "Songs (5 of 12 done)" */
  return g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "Songs (%d of %d done)",
                                       "Songs (%d of %d done)", n),
                          count_int (completed), n);
}

char *
vigil_job_text_counts (gint64 analyzed,
                       gint64 failed)
{
  int n = count_int (analyzed);
  int n_failed = count_int (failed);
  g_autofree char *done = NULL;

  /* Translators: how many songs a job analyzed, "340 songs analyzed" */
  done = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "%d song analyzed", "%d songs analyzed", n),
                          n);
  if (n_failed == 0)
    return g_steal_pointer (&done);

  /* Translators: %s is "340 songs analyzed", %d how many songs failed:
   * "340 songs analyzed, 2 failed" */
  return g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "%s, %d failed", "%s, %d failed", n_failed),
                          done, n_failed);
}

char *
vigil_job_text_percent (double fraction)
{
  if (!(fraction >= 0 && fraction <= 1))
    return g_strdup ("—");
  return g_strdup_printf ("%d%%", (int) (fraction * 100 + 0.5 - 1e-9));
}

char *
vigil_job_text_progress (double fraction,
                         gint64 completed,
                         gint64 total)
{
  g_autofree char *percent = vigil_job_text_percent (fraction);
  int n = count_int (total);

  if (n <= 0)
    return g_steal_pointer (&percent);

  /* Translators: a percentage, then how many items are done: "42% (5 of 12)" */
  return g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "%s (%d of %d)", "%s (%d of %d)", n),
                          percent, fraction >= 1.0 ? n : count_int (completed), n);
}

const char *
vigil_job_text_song_state (VigilSongState state)
{
  switch (state)
    {
    case VIGIL_SONG_STATE_ANALYZING:
      return C_("song state", "Analyzing");
    case VIGIL_SONG_STATE_DONE:
      return C_("song state", "Done");
    case VIGIL_SONG_STATE_FAILED:
      return C_("song state", "Failed");
    case VIGIL_SONG_STATE_WAITING:
    default:
      return C_("song state", "Waiting");
    }
}

/* ------------------------------------------------------------------ */
/* Steps, states, outcomes                                             */
/* ------------------------------------------------------------------ */

const char *
vigil_job_text_step_label (VigilStep step)
{
  switch (step)
    {
    case VIGIL_STEP_STARTING:
      return _("Getting ready to analyze…");
    case VIGIL_STEP_FETCHING_LYRICS:
      return _("Finding song lyrics…");
    case VIGIL_STEP_ANALYZING:
      return _("Checking content for concerns…");
    case VIGIL_STEP_COMPLETE:
      return _("Analysis finished!");
    case VIGIL_STEP_OTHER:
    default:
      return _("Processing…");
    }
}

char *
vigil_job_text_step (VigilStep step,
                     double    eta_seconds)
{
  const char *label = vigil_job_text_step_label (step);
  gint64 minutes;

  if (!(eta_seconds > 10) ||
      (minutes = vigil_seconds_to_units (eta_seconds, 60, VIGIL_ROUND_UP)) < 0)
    return g_strdup (label);

  /* Translators: the first %s is a step such as "Finding song lyrics…" */
  return g_strdup_printf (g_dngettext (GETTEXT_PACKAGE,
                                       "%s (about %lu minute remaining)",
                                       "%s (about %lu minutes remaining)",
                                       (gulong) minutes),
                          label, (gulong) minutes);
}

const char *
vigil_job_text_default_failure (VigilJobStatus status)
{
  switch (status)
    {
    case VIGIL_JOB_STATUS_INTERRUPTED:
      return _("The job was interrupted");
    case VIGIL_JOB_STATUS_CANCELLED:
      return _("The job was cancelled");
    case VIGIL_JOB_STATUS_UNKNOWN:
    case VIGIL_JOB_STATUS_PENDING:
    case VIGIL_JOB_STATUS_IN_PROGRESS:
    case VIGIL_JOB_STATUS_COMPLETED:
    case VIGIL_JOB_STATUS_FAILED:
    default:
      return _("The analysis failed");
    }
}

const char *
vigil_job_text_poll_reason (VigilPollReason reason)
{
  switch (reason)
    {
    case VIGIL_POLL_REASON_INITIAL:
      return _("Just started, or under 10 %");
    case VIGIL_POLL_REASON_MIDDLE:
      return _("Between 10 % and 90 %");
    case VIGIL_POLL_REASON_MIDDLE_ETA:
      return _("Between 10 % and 90 %, paced by the server’s estimate");
    case VIGIL_POLL_REASON_EARLY_ETA:
      return _("Under 10 %: once a percent, by the server’s estimate");
    case VIGIL_POLL_REASON_LEAD_IN:
      return _("Just before the expected end");
    case VIGIL_POLL_REASON_FINAL:
      return _("Over 90 %");
    case VIGIL_POLL_REASON_BACKGROUND:
      return _("Background job: every 5 seconds");
    case VIGIL_POLL_REASON_QUEUED:
      return _("Waiting for a worker");
    case VIGIL_POLL_REASON_BACKOFF:
      return _("Its last poll failed: retrying soon");
    case VIGIL_POLL_REASON_STALLED:
      return _("Its polls keep failing");
    case VIGIL_POLL_REASON_FINAL_APPROACH:
      return _("Should end before the next regular poll");
    case VIGIL_POLL_REASON_RETRY_AFTER:
      return _("The server asked to wait");
    case VIGIL_POLL_REASON_PROBE:
      return _("Server failing: one probe at a time");
    case VIGIL_POLL_REASON_SIGN_IN:
      return _("Not signed in: one slow probe");
    default:
      /* Translators: the poller's reason for a delay is not known */
      return _("Unknown");
    }
}

const char *
vigil_job_text_lost (void)
{
  return _("The server no longer knows this job");
}

char *
vigil_job_text_not_found (const char *host)
{
  if (host == NULL || host[0] == '\0')
    return g_strdup (_("No such job on the server"));

  /* Translators: %s is the server, "analysis.example.org" or "127.0.0.1:5001" */
  return g_strdup_printf (_("No such job on %s"), host);
}

char *
vigil_job_text_not_signed_in (const char *host)
{
  if (host == NULL || host[0] == '\0')
    return g_strdup (_("Not signed in to the server"));

  /* Translators: %s is the server, "analysis.example.org" or "127.0.0.1:5001" */
  return g_strdup_printf (_("Not signed in to %s"), host);
}

static char *
failed_text (const char *reason)
{
  if (reason == NULL || reason[0] == '\0')
    reason = vigil_job_text_default_failure (VIGIL_JOB_STATUS_FAILED);

  /* Translators: how a job ended; %s is why, often the server's own words */
  return g_strdup_printf (_("Failed: %s"), reason);
}

char *
vigil_job_text_state (VigilServerState  state,
                      VigilStep         step,
                      double            eta_seconds,
                      const char       *reason,
                      const char       *host)
{
  switch (state)
    {
    case VIGIL_SERVER_STATE_QUEUED:
      return g_strdup (_("Waiting for a worker…"));
    case VIGIL_SERVER_STATE_SUCCEEDED:
      return g_strdup (vigil_job_text_step_label (VIGIL_STEP_COMPLETE));
    case VIGIL_SERVER_STATE_FAILED:
      return failed_text (reason);
    case VIGIL_SERVER_STATE_LOST:
      return g_strdup (vigil_job_text_lost ());
    case VIGIL_SERVER_STATE_NOT_FOUND:
      return vigil_job_text_not_found (host);
    case VIGIL_SERVER_STATE_RUNNING:
    default:
      return vigil_job_text_step (step, eta_seconds);
    }
}

static gboolean
is_signed_out (VigilJob *job)
{
  return !vigil_job_get_is_finished (job) &&
         vigil_job_get_tracking_state (job) == VIGIL_TRACKING_STATE_NOT_SIGNED_IN;
}

char *
vigil_job_text_status (VigilJob *job)
{
  g_return_val_if_fail (VIGIL_IS_JOB (job), NULL);

  if (is_signed_out (job))
    return vigil_job_text_not_signed_in (vigil_job_get_server_host (job));

  return vigil_job_text_state (vigil_job_get_server_state (job),
                               vigil_job_get_step (job),
                               vigil_job_get_eta_seconds (job),
                               vigil_job_get_error_message (job),
                               vigil_job_get_server_host (job));
}

/* ------------------------------------------------------------------ */
/* Tracking trouble                                                    */
/* ------------------------------------------------------------------ */

/* Whole seconds, never 0: "retrying every 0 s" would be a lie. */
static guint
interval_seconds (guint interval_ms)
{
  return MAX (1, (interval_ms + 500) / 1000);
}

/* The wall-clock time of day, as people read it off a clock. */
static char *
format_clock (gint64 real_us)
{
  g_autoptr(GDateTime) time = g_date_time_new_from_unix_local (real_us / G_USEC_PER_SEC);

  if (time == NULL)
    return g_strdup ("?");
  /* Translators: a time of day, see g_date_time_format(); "14:02" */
  return g_date_time_format (time, C_("time of day", "%H:%M"));
}

/* "Server not answering since 14:02 — retrying every 5 s", … */
static char *
server_failing_text (VigilJob *job)
{
  g_autofree char *since = format_clock (vigil_job_get_failing_since (job));
  guint seconds = interval_seconds (vigil_job_get_retry_interval (job));

  if (vigil_job_get_tracking_state (job) == VIGIL_TRACKING_STATE_SERVER_UNREACHABLE)
    /* Translators: "Server not answering since 14:02 — retrying every 5 s" */
    return g_strdup_printf (g_dngettext (GETTEXT_PACKAGE,
                                         "Server not answering since %s — retrying every %u s",
                                         "Server not answering since %s — retrying every %u s",
                                         seconds),
                            since, seconds);

  /* Translators: "Server errors since 14:02 — retrying every 5 s" */
  return g_strdup_printf (g_dngettext (GETTEXT_PACKAGE,
                                       "Server errors since %s — retrying every %u s",
                                       "Server errors since %s — retrying every %u s",
                                       seconds),
                          since, seconds);
}

/* The same for views that say since when themselves. */
static char *
server_retry_text (VigilJob *job)
{
  guint seconds = interval_seconds (vigil_job_get_retry_interval (job));

  if (vigil_job_get_tracking_state (job) == VIGIL_TRACKING_STATE_SERVER_UNREACHABLE)
    return g_strdup_printf (g_dngettext (GETTEXT_PACKAGE,
                                         "Server not answering — retrying every %u s",
                                         "Server not answering — retrying every %u s",
                                         seconds),
                            seconds);

  return g_strdup_printf (g_dngettext (GETTEXT_PACKAGE,
                                       "Server errors — retrying every %u s",
                                       "Server errors — retrying every %u s",
                                       seconds),
                          seconds);
}

static char *
stalled_text (VigilJob *job)
{
  guint interval_ms = vigil_job_get_retry_interval (job);
  guint seconds = interval_seconds (interval_ms);

  if (interval_ms == 0)
    return g_strdup (_("Unable to track progress"));

  return g_strdup_printf (g_dngettext (GETTEXT_PACKAGE,
                                       "Unable to track progress — retrying every %u s",
                                       "Unable to track progress — retrying every %u s",
                                       seconds),
                          seconds);
}

static char *
signed_out_text (VigilJob *job)
{
  guint seconds = interval_seconds (vigil_job_get_retry_interval (job));

  /* Translators: shown below "Not signed in to SERVER" */
  return g_strdup_printf (g_dngettext (GETTEXT_PACKAGE,
                                       "Checking again every %u s",
                                       "Checking again every %u s",
                                       seconds),
                          seconds);
}

static const char *
retrying_text (void)
{
  return _("Connection issue, retrying…");
}

static const char *
offline_text (void)
{
  return _("Offline, waiting for the network…");
}

char *
vigil_job_text_trouble (VigilJob *job)
{
  g_return_val_if_fail (VIGIL_IS_JOB (job), NULL);

  if (vigil_job_get_is_finished (job))
    return NULL;

  switch (vigil_job_get_tracking_state (job))
    {
    case VIGIL_TRACKING_STATE_RETRYING:
      return g_strdup (retrying_text ());
    case VIGIL_TRACKING_STATE_STALLED:
      return stalled_text (job);
    case VIGIL_TRACKING_STATE_SERVER_UNREACHABLE:
    case VIGIL_TRACKING_STATE_SERVER_ERROR:
      return server_failing_text (job);
    case VIGIL_TRACKING_STATE_NOT_SIGNED_IN:
      return signed_out_text (job);
    case VIGIL_TRACKING_STATE_OFFLINE:
      return g_strdup (offline_text ());
    case VIGIL_TRACKING_STATE_STOPPED:
      return g_strdup (_("Not being watched"));
    case VIGIL_TRACKING_STATE_ACTIVE:
    default:
      return NULL;
    }
}

/* The trouble of a summary line: polls that fail, or NULL. */
static char *
failing_text (VigilJob *job)
{
  switch (vigil_job_get_tracking_state (job))
    {
    case VIGIL_TRACKING_STATE_RETRYING:
      return g_strdup (retrying_text ());
    case VIGIL_TRACKING_STATE_STALLED:
      return stalled_text (job);
    case VIGIL_TRACKING_STATE_SERVER_UNREACHABLE:
    case VIGIL_TRACKING_STATE_SERVER_ERROR:
      return server_retry_text (job);
    case VIGIL_TRACKING_STATE_NOT_SIGNED_IN:
    case VIGIL_TRACKING_STATE_OFFLINE:
    case VIGIL_TRACKING_STATE_STOPPED:
    case VIGIL_TRACKING_STATE_ACTIVE:
    default:
      return NULL;
    }
}

char *
vigil_job_text_summary (VigilJob   *job,
                        const char *failing_since)
{
  g_autofree char *trouble = NULL;

  g_return_val_if_fail (VIGIL_IS_JOB (job), NULL);

  if (vigil_job_get_is_finished (job))
    return vigil_job_text_status (job);
  if (is_signed_out (job))
    return vigil_job_text_not_signed_in (vigil_job_get_server_host (job));
  if (vigil_job_get_tracking_state (job) == VIGIL_TRACKING_STATE_OFFLINE)
    return g_strdup (offline_text ());

  trouble = failing_text (job);
  if (trouble == NULL)
    return vigil_job_text_status (job);
  if (failing_since == NULL)
    return g_steal_pointer (&trouble);

  /* Translators: the trouble, then a time: "…; failing since 14:02:11 (3 min)" */
  return g_strdup_printf (_("%s; failing since %s"), trouble, failing_since);
}

/* ------------------------------------------------------------------ */
/* Times                                                               */
/* ------------------------------------------------------------------ */

char *
vigil_job_text_duration (double seconds)
{
  gint64 s = vigil_seconds_to_units (seconds, 1, VIGIL_ROUND_NEAREST);

  if (s < 0)
    return NULL;
  if (s >= 3600)
    return g_strdup_printf ("%" G_GINT64_FORMAT ":%02u:%02u", s / 3600,
                            (guint) (s / 60 % 60), (guint) (s % 60));
  return g_strdup_printf ("%u:%02u", (guint) (s / 60), (guint) (s % 60));
}

static double
seconds_between (GDateTime *from,
                 GDateTime *to)
{
  g_autoptr(GDateTime) now = NULL;

  if (to == NULL)
    to = now = g_date_time_new_now_utc ();
  /* A server clock a little ahead of ours starts jobs in the future. */
  return MAX (g_date_time_difference (to, from) / (double) G_USEC_PER_SEC, 0.0);
}

char *
vigil_job_text_time (VigilJob  *job,
                     GDateTime *now)
{
  GDateTime *started;
  GDateTime *finished;
  g_autofree char *duration = NULL;

  g_return_val_if_fail (VIGIL_IS_JOB (job), NULL);

  started = vigil_job_get_started_at (job);
  finished = vigil_job_get_finished_at (job);
  if (vigil_job_get_server_state (job) == VIGIL_SERVER_STATE_QUEUED && !is_signed_out (job))
    return g_strdup (C_("job time", "Queued"));
  if (started == NULL)
    return g_strdup ("");

  duration = vigil_job_text_duration (seconds_between (started, finished ? finished : now));
  if (duration == NULL)
    return g_strdup ("");   /* a start time from another century */
  if (vigil_job_get_is_finished (job))
    /* Translators: how long a finished job took, "Took 4:02" */
    return g_strdup_printf (_("Took %s"), duration);
  /* Translators: time since a running job started, "4:02 elapsed" */
  return g_strdup_printf (_("%s elapsed"), duration);
}

/* ------------------------------------------------------------------ */
/* The history                                                         */
/* ------------------------------------------------------------------ */

const char *
vigil_job_text_outcome (VigilOutcome outcome)
{
  switch (outcome)
    {
    case VIGIL_OUTCOME_COMPLETED:
      return C_("outcome", "Completed");
    case VIGIL_OUTCOME_FAILED:
      return C_("outcome", "Failed");
    case VIGIL_OUTCOME_LOST:
      return C_("outcome", "Lost");
    case VIGIL_OUTCOME_NOT_FOUND:
      return C_("outcome", "Not found");
    default:
      return C_("outcome", "Ended");
    }
}

static char *
finished_when (GDateTime *finished,
               GDateTime *now)
{
  g_autoptr(GDateTime) local = g_date_time_to_local (finished);
  g_autoptr(GDateTime) local_now = now != NULL ? g_date_time_to_local (now)
                                               : g_date_time_new_now_local ();
  gboolean today = g_date_time_get_year (local) == g_date_time_get_year (local_now) &&
                   g_date_time_get_day_of_year (local) == g_date_time_get_day_of_year (local_now);

  /* Translators: strftime-like formats of g_date_time_format(): a time
   * today, and a day and time before */
  return g_date_time_format (local, today ? _("%H:%M") : _("%e %b %H:%M"));
}

char *
vigil_job_text_history_time (VigilHistoryEntry *entry,
                             GDateTime         *now)
{
  GDateTime *finished;
  g_autofree char *when = NULL;
  g_autofree char *took = NULL;
  g_autofree char *duration = NULL;

  g_return_val_if_fail (VIGIL_IS_HISTORY_ENTRY (entry), NULL);

  finished = vigil_history_entry_get_finished_at (entry);
  duration = vigil_job_text_duration (vigil_history_entry_get_duration (entry));
  /* Translators: how long a job of the history took, "took 4:02" */
  took = duration != NULL ? g_strdup_printf (_("took %s"), duration)
                          : g_strdup (_("duration unknown"));
  if (finished == NULL)
    return g_steal_pointer (&took);
  when = finished_when (finished, now);
  /* Translators: "Finished 14:02 · took 4:02" */
  return g_strdup_printf (_("Finished %s · %s"), g_strstrip (when), took);
}

/* ------------------------------------------------------------------ */
/* Starting                                                            */
/* ------------------------------------------------------------------ */

char *
vigil_job_text_start (const VigilStartResult *result)
{
  int n;

  g_return_val_if_fail (result != NULL, NULL);

  if (result->message != NULL && result->message[0] != '\0')
    return g_strdup (result->message);
  if (result->job_id == NULL)
    return g_strdup (_("Nothing to analyze"));
  if (result->queued_count <= 0)
    return g_strdup (_("Analysis queued"));

  n = count_int (result->queued_count);
  /* Translators: how many songs a new analysis queued, "Queued 12 songs" */
  return g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "Queued %d song", "Queued %d songs", n), n);
}

/* ------------------------------------------------------------------ */
/* In the background                                                   */
/* ------------------------------------------------------------------ */

char *
vigil_job_text_background_hint (guint n_watched)
{
  /* Translators: said once, after the window closed while analyses were
   * still watched; "Quit" is the menu item */
  return g_strdup_printf (g_dngettext (GETTEXT_PACKAGE,
                                       "Vigil keeps watching %u analysis and will tell you when it ends. "
                                       "To stop watching, choose Quit.",
                                       "Vigil keeps watching %u analyses and will tell you when they end. "
                                       "To stop watching, choose Quit.",
                                       n_watched),
                          n_watched);
}

char *
vigil_job_text_background_watch_hint (guint n_servers)
{
  /* Translators: said once, after the window closed while no analysis
   * was watched but every new job on some servers is ("Watch every job
   * on this server"); "Quit" is the menu item */
  return g_strdup_printf (g_dngettext (GETTEXT_PACKAGE,
                                       "Vigil keeps watching %u server for new analyses and will tell you "
                                       "when they end. To stop watching, choose Quit.",
                                       "Vigil keeps watching %u servers for new analyses and will tell you "
                                       "when they end. To stop watching, choose Quit.",
                                       n_servers),
                          n_servers);
}

/* ------------------------------------------------------------------ */
/* The tray                                                            */
/* ------------------------------------------------------------------ */

gboolean
vigil_job_text_is_running (VigilJob *job)
{
  g_return_val_if_fail (VIGIL_IS_JOB (job), FALSE);

  return !vigil_job_get_is_finished (job)
         && vigil_job_get_tracking_state (job) != VIGIL_TRACKING_STATE_STOPPED;
}

/* Menus do not ellipsize: a long song title would make the tray's menu as
 * wide as the screen. */
#define TRAY_TITLE_CHARS 48

char *
vigil_job_text_tray_line (VigilJob *job)
{
  const char *title;
  double fraction;
  g_autofree char *percent = NULL;
  g_autofree char *cut = NULL;

  g_return_val_if_fail (VIGIL_IS_JOB (job), NULL);

  title = vigil_job_get_title (job);
  if (title == NULL || title[0] == '\0')
    title = _("Analysis job");
  if (g_utf8_strlen (title, -1) > TRAY_TITLE_CHARS)
    {
      g_autofree char *start = g_utf8_substring (title, 0, TRAY_TITLE_CHARS - 1);

      cut = g_strconcat (g_strchomp (start), "…", NULL);
      title = cut;
    }
  if (vigil_job_get_server_state (job) == VIGIL_SERVER_STATE_QUEUED)
    /* Translators: a job waiting for a worker in the tray's menu, "Song 7 · Queued" */
    return g_strdup_printf (_("%s · Queued"), title);
  fraction = vigil_job_get_fraction (job);
  if (!(fraction >= 0 && fraction <= 1))
    return g_strdup (title);
  percent = vigil_job_text_percent (fraction);
  /* Translators: a running job in the tray's menu: its title and
   * percentage, "Playlist 3 · 45%" */
  return g_strdup_printf (_("%s · %s"), title, percent);
}

char *
vigil_job_text_tray_more (guint n)
{
  int count = (int) MIN (n, (guint) G_MAXINT);

  /* Translators: the tray's menu lists a few running jobs, then "and 3 more" */
  return g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "and %d more", "and %d more", count),
                          count);
}

char *
vigil_job_text_tray_tooltip (guint running,
                             guint failed)
{
  int n = (int) MIN (running, (guint) G_MAXINT);
  int n_failed = (int) MIN (failed, (guint) G_MAXINT);
  g_autofree char *first = NULL;

  if (n == 0)
    first = g_strdup (_("No analyses running"));
  else
    /* Translators: the tray's tooltip, "3 analyses running" */
    first = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "%d analysis running",
                                          "%d analyses running", n), n);
  if (n_failed == 0)
    return g_steal_pointer (&first);
  /* Translators: %s is "3 analyses running", %d how many jobs failed:
   * "3 analyses running, 1 failed" */
  return g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "%s, %d failed", "%s, %d failed", n_failed),
                          first, n_failed);
}

/* ------------------------------------------------------------------ */
/* Notifications                                                       */
/* ------------------------------------------------------------------ */

gboolean
vigil_job_text_is_failure (VigilServerState state)
{
  return state == VIGIL_SERVER_STATE_FAILED ||
         state == VIGIL_SERVER_STATE_LOST ||
         state == VIGIL_SERVER_STATE_NOT_FOUND;
}

const char *
vigil_job_text_notification_title (VigilJobKind     kind,
                                   VigilServerState state)
{
  gboolean failed = vigil_job_text_is_failure (state);

  if (kind == VIGIL_JOB_KIND_BACKGROUND)
    return failed ? _("Background analysis failed") : _("Background analysis finished");
  return failed ? _("Analysis failed") : _("Analysis finished");
}

/* Why a job failed, without the "Failed: " of a row. */
static char *
failure_reason (VigilServerState state,
                const char      *reason,
                const char      *host)
{
  if (state == VIGIL_SERVER_STATE_LOST)
    return g_strdup (vigil_job_text_lost ());
  if (state == VIGIL_SERVER_STATE_NOT_FOUND)
    return vigil_job_text_not_found (host);
  if (reason == NULL || reason[0] == '\0')
    return g_strdup (vigil_job_text_default_failure (VIGIL_JOB_STATUS_FAILED));
  return g_strdup (reason);
}

/* g_strv_builder_take() is GLib 2.80. */
static void
add_line (GStrvBuilder *lines,
          char         *line)
{
  g_strv_builder_add (lines, line);
  g_free (line);
}

char *
vigil_job_text_notification_body (const char      *title,
                                  VigilJobKind     kind,
                                  VigilServerState state,
                                  gint64           analyzed,
                                  gint64           failed,
                                  gint64           total,
                                  const char      *reason,
                                  const char      *host,
                                  const char      *server_name)
{
  g_autoptr(GStrvBuilder) lines = g_strv_builder_new ();
  g_auto(GStrv) parts = NULL;

  if (title != NULL && title[0] != '\0')
    g_strv_builder_add (lines, title);
  if (kind != VIGIL_JOB_KIND_SONG && total > 0)
    add_line (lines, vigil_job_text_counts (analyzed, failed));
  if (vigil_job_text_is_failure (state))
    add_line (lines, failure_reason (state, reason, host));
  if (server_name != NULL && server_name[0] != '\0')
    /* Translators: the last line of a notification, %s is a server's name
     * or address: "On analysis.example.org" */
    add_line (lines, g_strdup_printf (_("On %s"), server_name));
  parts = g_strv_builder_end (lines);
  return g_strjoinv ("\n", parts);
}

static gint64
count_failed_songs (VigilJob *job)
{
  GListModel *songs = vigil_job_get_songs (job);
  guint n = songs != NULL ? g_list_model_get_n_items (songs) : 0;
  gint64 failed = 0;

  for (guint i = 0; i < n; i++)
    {
      g_autoptr(VigilJobSong) song = g_list_model_get_item (songs, i);

      if (vigil_job_song_get_state (song) == VIGIL_SONG_STATE_FAILED)
        failed++;
    }
  return failed;
}

char *
vigil_job_text_job_notification_body (VigilJob   *job,
                                      const char *server_name)
{
  gint64 failed, completed;

  g_return_val_if_fail (VIGIL_IS_JOB (job), NULL);

  failed = count_failed_songs (job);
  completed = vigil_job_get_completed_items (job);
  return vigil_job_text_notification_body (vigil_job_get_title (job),
                                           vigil_job_get_kind (job),
                                           vigil_job_get_server_state (job),
                                           MAX (completed - failed, 0), failed,
                                           vigil_job_get_total_items (job),
                                           vigil_job_get_error_message (job),
                                           vigil_job_get_server_host (job),
                                           server_name);
}

char *
vigil_job_text_finished_line (VigilJob *job)
{
  VigilServerState state;
  g_autofree char *reason = NULL;

  g_return_val_if_fail (VIGIL_IS_JOB (job), NULL);

  state = vigil_job_get_server_state (job);
  if (!vigil_job_text_is_failure (state))
    /* Translators: a toast, %s is a job's title */
    return g_strdup_printf (_("“%s” finished"), vigil_job_get_title (job));

  reason = failure_reason (state, vigil_job_get_error_message (job),
                           vigil_job_get_server_host (job));
  /* Translators: a toast, the first %s is a job's title, the second why it
   * failed */
  return g_strdup_printf (_("“%s” failed: %s"), vigil_job_get_title (job), reason);
}

char *
vigil_job_text_jobs_summary (guint n_ended,
                             guint n_failed)
{
  g_autofree char *ended = NULL;

  n_failed = MIN (n_failed, n_ended);
  if (n_failed == n_ended && n_ended > 0)
    /* Translators: a notification's title when many jobs end at once */
    return g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "%u analysis failed",
                                         "%u analyses failed", n_ended), n_ended);

  /* Translators: a notification's title when many jobs end at once */
  ended = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "%u analysis finished",
                                        "%u analyses finished", n_ended), n_ended);
  if (n_failed == 0)
    return g_steal_pointer (&ended);

  /* Translators: %s is "5 analyses finished", %u how many of them failed:
   * "5 analyses finished, 1 failed" */
  return g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "%s, %u failed", "%s, %u failed",
                                       n_failed), ended, n_failed);
}
