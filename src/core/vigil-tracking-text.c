/* vigil-tracking-text.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <glib/gi18n-lib.h>

#include "vigil-tracking-text.h"

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

char *
vigil_tracking_text_not_found (const char *host)
{
  if (host == NULL || host[0] == '\0')
    return g_strdup (_("No such job on the server"));

  /* Translators: %s is the server, "analysis.example.org" or "127.0.0.1:5001" */
  return g_strdup_printf (_("No such job on %s"), host);
}

char *
vigil_tracking_text_not_signed_in (const char *host)
{
  if (host == NULL || host[0] == '\0')
    return g_strdup (_("Not signed in to the server"));

  /* Translators: %s is the server, "analysis.example.org" or "127.0.0.1:5001" */
  return g_strdup_printf (_("Not signed in to %s"), host);
}

char *
vigil_tracking_text_server_failing (VigilJob *job)
{
  VigilTrackingState state;
  g_autofree char *since = NULL;
  guint seconds;

  g_return_val_if_fail (VIGIL_IS_JOB (job), NULL);

  state = vigil_job_get_tracking_state (job);
  if (state != VIGIL_TRACKING_STATE_SERVER_UNREACHABLE && state != VIGIL_TRACKING_STATE_SERVER_ERROR)
    return NULL;

  since = format_clock (vigil_job_get_failing_since (job));
  seconds = interval_seconds (vigil_job_get_retry_interval (job));

  if (state == VIGIL_TRACKING_STATE_SERVER_UNREACHABLE)
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

char *
vigil_tracking_text_server_retry (VigilJob *job)
{
  VigilTrackingState state;
  guint seconds;

  g_return_val_if_fail (VIGIL_IS_JOB (job), NULL);

  state = vigil_job_get_tracking_state (job);
  if (state != VIGIL_TRACKING_STATE_SERVER_UNREACHABLE && state != VIGIL_TRACKING_STATE_SERVER_ERROR)
    return NULL;

  seconds = interval_seconds (vigil_job_get_retry_interval (job));
  if (state == VIGIL_TRACKING_STATE_SERVER_UNREACHABLE)
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

char *
vigil_tracking_text_trouble (VigilJob *job)
{
  g_return_val_if_fail (VIGIL_IS_JOB (job), NULL);

  if (vigil_job_get_is_finished (job))
    return NULL;

  switch (vigil_job_get_tracking_state (job))
    {
    case VIGIL_TRACKING_STATE_RETRYING:
      return g_strdup (_("Connection issue, retrying…"));
    case VIGIL_TRACKING_STATE_STALLED:
      return stalled_text (job);
    case VIGIL_TRACKING_STATE_SERVER_UNREACHABLE:
    case VIGIL_TRACKING_STATE_SERVER_ERROR:
      return vigil_tracking_text_server_failing (job);
    case VIGIL_TRACKING_STATE_NOT_SIGNED_IN:
      return signed_out_text (job);
    case VIGIL_TRACKING_STATE_OFFLINE:
      return g_strdup (_("Offline — waiting for the network"));
    case VIGIL_TRACKING_STATE_STOPPED:
      return g_strdup (_("Not being watched"));
    case VIGIL_TRACKING_STATE_ACTIVE:
    default:
      return NULL;
    }
}
