/* vigil-server-text.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <math.h>
#include <glib/gi18n-lib.h>

#include "vigil-api-client.h"

#include "vigil-server-text.h"

#define DASH "—"

/* ------------------------------------------------------------------ */
/* Queue                                                               */
/* ------------------------------------------------------------------ */

char *
vigil_server_text_count (gint64 count)
{
  if (count < 0)
    return g_strdup (DASH);
  return g_strdup_printf ("%" G_GINT64_FORMAT, count);
}

const char *
vigil_server_text_unknown (void)
{
  /* Translators: a value the server did not send */
  return _("Unknown");
}

char *
vigil_server_text_priorities (const VigilQueueCounts *counts)
{
  g_autofree char *high = NULL;
  g_autofree char *medium = NULL;
  g_autofree char *low = NULL;

  g_return_val_if_fail (counts != NULL, NULL);

  if (counts->priority_high < 0 && counts->priority_medium < 0 && counts->priority_low < 0)
    return g_strdup (DASH);

  high = vigil_server_text_count (counts->priority_high);
  medium = vigil_server_text_count (counts->priority_medium);
  low = vigil_server_text_count (counts->priority_low);
  /* Translators: pending jobs per priority; each %s is a number or "—" */
  return g_strdup_printf (_("High %s, medium %s, low %s"), high, medium, low);
}

char *
vigil_server_text_queue_summary (const VigilQueueCounts *counts)
{
  g_autofree char *pending = NULL;
  g_autofree char *running = NULL;

  g_return_val_if_fail (counts != NULL, NULL);

  pending = vigil_server_text_count (counts->pending_jobs);
  running = vigil_server_text_count (counts->in_progress_jobs);
  /* Translators: numbers of jobs (or "—" when unknown) */
  return g_strdup_printf (_("%s pending, %s running"), pending, running);
}

const char *
vigil_server_text_counts_note (VigilQueueCountsSource source)
{
  switch (source)
    {
    case VIGIL_QUEUE_COUNTS_QUEUE_HEALTH:
      return _("The counts are from /api/queue/health: /api/queue/status gives other ones "
               "(its priorities and estimate are left out with them)");
    case VIGIL_QUEUE_COUNTS_UNKNOWN:
      return _("/api/queue/status says 0 for every count, which the live service says "
               "however busy it is, and /api/queue/health gives none: the counts are unknown");
    case VIGIL_QUEUE_COUNTS_QUEUE_STATUS:
    default:
      return NULL;
    }
}

/* ------------------------------------------------------------------ */
/* Worker                                                              */
/* ------------------------------------------------------------------ */

const char *
vigil_server_text_worker_state (VigilWorkerState state)
{
  switch (state)
    {
    case VIGIL_WORKER_STATE_RUNNING:
      /* Translators: the analysis worker's state */
      return _("Running");
    case VIGIL_WORKER_STATE_STOPPED:
      /* Translators: the analysis worker's state */
      return _("Stopped");
    case VIGIL_WORKER_STATE_NOT_RUNNING:
      /* Translators: the analysis worker's state */
      return _("Not running");
    case VIGIL_WORKER_STATE_UNKNOWN:
    default:
      return vigil_server_text_unknown ();
    }
}


static char *
days_text (gint64 n)
{
  return g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "%d day",
                               "%d days", (gulong) CLAMP (n, 0, G_MAXINT)),
                          (int) CLAMP (n, 0, G_MAXINT));
}

static char *
hours_text (gint64 n)
{
  return g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "%d hour",
                               "%d hours", (gulong) CLAMP (n, 0, G_MAXINT)),
                          (int) CLAMP (n, 0, G_MAXINT));
}

static char *
minutes_text (gint64 n)
{
  return g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "%d minute",
                               "%d minutes", (gulong) CLAMP (n, 0, G_MAXINT)),
                          (int) CLAMP (n, 0, G_MAXINT));
}

static char *
seconds_text (gint64 n)
{
  return g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "%d second",
                               "%d seconds", (gulong) CLAMP (n, 0, G_MAXINT)),
                          (int) CLAMP (n, 0, G_MAXINT));
}

static char *
two_units (char *big,
           char *small)
{
  g_autofree char *a = big;
  g_autofree char *b = small;

  /* Translators: a duration in two units: "3 hours, 12 minutes" */
  return g_strdup_printf (C_("duration", "%s, %s"), a, b);
}

char *
vigil_server_text_uptime (double seconds)
{
  gint64 s = vigil_seconds_to_units (seconds, 1, VIGIL_ROUND_DOWN);

  if (s < 0)
    return g_strdup (vigil_server_text_unknown ());
  if (s >= 86400)
    return (s % 86400) / 3600 > 0 ? two_units (days_text (s / 86400), hours_text ((s % 86400) / 3600))
                                  : days_text (s / 86400);
  if (s >= 3600)
    return (s % 3600) / 60 > 0 ? two_units (hours_text (s / 3600), minutes_text ((s % 3600) / 60))
                               : hours_text (s / 3600);
  if (s >= 60)
    return minutes_text (s / 60);
  return seconds_text (s);
}

char *
vigil_server_text_heartbeat (GDateTime *heartbeat,
                             GDateTime *now)
{
  g_autoptr(GDateTime) current = now ? g_date_time_ref (now) : g_date_time_new_now_utc ();
  gint64 age;

  if (heartbeat == NULL)
    /* Translators: the worker never sent a heartbeat */
    return g_strdup (_("Never"));

  age = g_date_time_difference (current, heartbeat) / G_USEC_PER_SEC;
  if (age < 5)
    /* Translators: the worker's last heartbeat */
    return g_strdup (_("Just now"));
  if (age < 60)
    return g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "%d second ago",
                               "%d seconds ago", (gulong) CLAMP (age, 0, G_MAXINT)),
                          (int) CLAMP (age, 0, G_MAXINT));
  if (age < 3600)
    return g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "%d minute ago",
                               "%d minutes ago", (gulong) CLAMP (age / 60, 0, G_MAXINT)),
                          (int) CLAMP (age / 60, 0, G_MAXINT));
  if (age < 86400)
    return g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "%d hour ago",
                               "%d hours ago", (gulong) CLAMP (age / 3600, 0, G_MAXINT)),
                          (int) CLAMP (age / 3600, 0, G_MAXINT));
  return g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "%d day ago",
                               "%d days ago", (gulong) CLAMP (MIN (age / 86400, G_MAXINT), 0, G_MAXINT)),
                          (int) CLAMP (MIN (age / 86400, G_MAXINT), 0, G_MAXINT));
}

const char *
vigil_server_text_heartbeat_warning (void)
{
  return _("The worker may be stuck: no heartbeat for over 5 minutes and no job is progressing");
}

/* ------------------------------------------------------------------ */
/* Failures and cleanup                                                */
/* ------------------------------------------------------------------ */

static char *
since_text (gint64 failing_since_us)
{
  g_autoptr(GDateTime) utc = NULL;
  g_autoptr(GDateTime) local = NULL;

  if (failing_since_us <= 0)
    return NULL;
  utc = g_date_time_new_from_unix_utc (failing_since_us / G_USEC_PER_SEC);
  local = utc ? g_date_time_to_local (utc) : NULL;
  return local ? g_date_time_format (local, "%H:%M") : NULL;
}

static gboolean
is_auth_error (const GError *error)
{
  return g_error_matches (error, VIGIL_API_ERROR, VIGIL_API_ERROR_FORBIDDEN) ||
         g_error_matches (error, VIGIL_API_ERROR, VIGIL_API_ERROR_UNAUTHORIZED);
}

char *
vigil_server_text_failing (const GError *error,
                           gint64        failing_since_us)
{
  g_autofree char *since = since_text (failing_since_us);
  const char *message = error ? error->message : _("No answer");

  if (g_error_matches (error, VIGIL_API_ERROR, VIGIL_API_ERROR_FORBIDDEN))
    return g_strdup (_("Not an admin: the dashboard needs an administrator’s sign-in"));
  if (g_error_matches (error, VIGIL_API_ERROR, VIGIL_API_ERROR_UNAUTHORIZED))
    return g_strdup (_("Not signed in: the dashboard needs an administrator’s sign-in"));

  if (vigil_monitor_failure_from_error (error) == VIGIL_MONITOR_FAILURE_UNREACHABLE)
    return since != NULL
           /* Translators: %s is a time ("14:02"), then the error's message */
           ? g_strdup_printf (_("Can’t reach the server since %s: %s"), since, message)
           /* Translators: %s is the error's message */
           : g_strdup_printf (_("Can’t reach the server: %s"), message);
  return since != NULL
         /* Translators: %s is a time ("14:02"), then the error's message */
         ? g_strdup_printf (_("The server has trouble since %s: %s"), since, message)
         /* Translators: %s is the error's message */
         : g_strdup_printf (_("The server has trouble: %s"), message);
}

char *
vigil_server_text_cleanup_result (const char   *message,
                                  const GError *error)
{
  if (error == NULL)
    return g_strdup (message != NULL && *message != '\0'
                     ? message : _("Stale progress records were cleaned up"));
  if (is_auth_error (error))
    /* Translators: the cleanup needs an administrator */
    return g_strdup (_("Not an admin"));
  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_INVALID_ARGUMENT))
    return g_strdup (error->message);
  /* Translators: %s is the error's message */
  return g_strdup_printf (_("Cleanup failed: %s"), error->message);
}

/* ------------------------------------------------------------------ */
/* Charts                                                              */
/* ------------------------------------------------------------------ */

static const char *
trend_word (VigilTrend trend)
{
  switch (trend)
    {
    /* Translators: how a chart's value moves */
    case VIGIL_TREND_RISING: return _("rising");
    /* Translators: how a chart's value moves */
    case VIGIL_TREND_FALLING: return _("falling");
    /* Translators: how a chart's value moves */
    case VIGIL_TREND_STEADY: return _("steady");
    case VIGIL_TREND_UNKNOWN:
    default: return NULL;
    }
}

static char *
with_trend (char       *text,
            VigilTrend  trend)
{
  g_autofree char *owned = text;

  if (trend_word (trend) == NULL)
    return g_steal_pointer (&owned);
  /* Translators: a chart's latest value, then its trend ("rising") */
  return g_strdup_printf (C_("chart", "%s, %s"), owned, trend_word (trend));
}

char *
vigil_server_text_history_description (gint64     queue_length,
                                       VigilTrend queue_trend,
                                       gint64     songs_per_minute,
                                       VigilTrend songs_trend)
{
  g_autofree char *queue = NULL;
  g_autofree char *songs = NULL;

  if (queue_length < 0 && songs_per_minute < 0)
    /* Translators: the charts have no samples */
    return g_strdup (_("No data yet"));

  queue = queue_length >= 0
          ? g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "Queue length %d",
                               "Queue length %d", (gulong) CLAMP (MIN (queue_length, G_MAXINT), 0, G_MAXINT)),
                          (int) CLAMP (MIN (queue_length, G_MAXINT), 0, G_MAXINT))
          : g_strdup (_("Queue length unknown"));
  songs = songs_per_minute >= 0
          ? g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "%d song analyzed per minute",
                               "%d songs analyzed per minute", (gulong) CLAMP (MIN (songs_per_minute, G_MAXINT), 0, G_MAXINT)),
                          (int) CLAMP (MIN (songs_per_minute, G_MAXINT), 0, G_MAXINT))
          : g_strdup (_("Songs analyzed per minute unknown"));
  queue = with_trend (g_steal_pointer (&queue), queue_length >= 0 ? queue_trend : VIGIL_TREND_UNKNOWN);
  songs = with_trend (g_steal_pointer (&songs),
                      songs_per_minute >= 0 ? songs_trend : VIGIL_TREND_UNKNOWN);
  /* Translators: the two charts' descriptions */
  return g_strdup_printf (_("%s; %s"), queue, songs);
}
