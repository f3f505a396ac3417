/* vigil-debug-log.c — the "Vigil" domain's debug log: a run-time switch
 * and redaction of secrets
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <stdio.h>
#include <string.h>

#include "vigil-debug-log.h"

#define REDACTED "[redacted]"

/* Written on the main thread; read wherever a message is logged. */
static gint enabled;
static VigilDebugLogSink log_sink;
static gpointer log_sink_data;
G_LOCK_DEFINE_STATIC (log_sink);

/* ------------------------------------------------------------------ */
/* Redaction                                                           */
/* ------------------------------------------------------------------ */

/* What announces a secret. Matched without regard to case. */
static const char * const secret_markers[] = {
  "bearer ", "token=", "session=", "cookie:", "authorization:", "password=",
};

static gboolean
ends_secret (char c)
{
  return c == '\0' || g_ascii_isspace (c) || strchr ("\"',;&", c) != NULL;
}

/* The marker that starts at p, or NULL. */
static const char *
marker_at (const char *p)
{
  for (guint i = 0; i < G_N_ELEMENTS (secret_markers); i++)
    if (g_ascii_strncasecmp (p, secret_markers[i], strlen (secret_markers[i])) == 0)
      return secret_markers[i];
  return NULL;
}

char *
vigil_debug_log_redact (const char *message)
{
  GString *out;
  const char *p;

  if (message == NULL)
    return NULL;

  out = g_string_sized_new (strlen (message));
  for (p = message; *p != '\0';)
    {
      const char *marker = marker_at (p);

      if (marker == NULL)
        {
          g_string_append_c (out, *p++);
          continue;
        }

      g_string_append_len (out, p, strlen (marker));
      p += strlen (marker);
      while (*p == ' ')
        g_string_append_c (out, *p++);
      if (ends_secret (*p))
        continue;
      /* A header ("Cookie: a=1; b=2", "Authorization: Bearer x") is
       * secret to the end of its line; any other value to its end. */
      if (marker[strlen (marker) - 1] == ':')
        while (*p != '\0' && *p != '\n')
          p++;
      else
        while (!ends_secret (*p))
          p++;
      g_string_append (out, REDACTED);
    }
  return g_string_free (out, FALSE);
}

/* ------------------------------------------------------------------ */
/* The handler                                                         */
/* ------------------------------------------------------------------ */

static gboolean
environment_enables_debug (void)
{
  const char *domains = g_getenv ("G_MESSAGES_DEBUG");
  g_auto(GStrv) names = NULL;

  if (domains == NULL)
    return FALSE;

  names = g_strsplit_set (domains, " ,", -1);
  return g_strv_contains ((const char * const *) names, "all") ||
         g_strv_contains ((const char * const *) names, VIGIL_DEBUG_LOG_DOMAIN);
}

static void
write_to_stdout (GLogLevelFlags  level,
                 const char     *line)
{
  g_autoptr(GDateTime) now = g_date_time_new_now_local ();
  g_autofree char *time = g_date_time_format (now, "%H:%M:%S.%f");

  /* Where and how GLib's default handler writes them: stdout,
   * "Vigil-DEBUG: 12:00:00.123: message". */
  time[12] = '\0';
  /* Inside a GTest its stdout is TAP: a comment there, as GLib's own
   * handler writes it. */
  fprintf (stdout, "%s%s-%s: %s: %s\n", g_test_initialized () ? "# " : "", VIGIL_DEBUG_LOG_DOMAIN,
           (level & G_LOG_LEVEL_INFO) ? "INFO" : "DEBUG", time, line);
  fflush (stdout);
}

static void
on_log (const char     *domain,
        GLogLevelFlags  level,
        const char     *message,
        gpointer        user_data)
{
  g_autofree char *line = NULL;
  VigilDebugLogSink sink;
  gpointer sink_data;

  if (!g_atomic_int_get (&enabled))
    return;

  line = vigil_debug_log_redact (message);
  G_LOCK (log_sink);
  sink = log_sink;
  sink_data = log_sink_data;
  G_UNLOCK (log_sink);

  if (sink != NULL)
    sink (level, line, sink_data);
  else
    write_to_stdout (level, line);
}

/* ------------------------------------------------------------------ */
/* Public API                                                          */
/* ------------------------------------------------------------------ */

void
vigil_debug_log_init (void)
{
  static gsize initialized = 0;

  if (g_once_init_enter (&initialized))
    {
      g_atomic_int_set (&enabled, environment_enables_debug ());
      g_log_set_handler (VIGIL_DEBUG_LOG_DOMAIN, G_LOG_LEVEL_DEBUG | G_LOG_LEVEL_INFO,
                         on_log, NULL);
      g_once_init_leave (&initialized, 1);
    }
}

gboolean
vigil_debug_log_get_enabled (void)
{
  vigil_debug_log_init ();
  return g_atomic_int_get (&enabled);
}

void
vigil_debug_log_set_enabled (gboolean enabled_)
{
  vigil_debug_log_init ();
  if (g_atomic_int_get (&enabled) == !!enabled_)
    return;

  g_atomic_int_set (&enabled, !!enabled_);
  if (enabled_)
    g_debug ("debug log on (tokens and cookies redacted)");
}

void
vigil_debug_log_set_sink (VigilDebugLogSink sink,
                          gpointer          user_data)
{
  vigil_debug_log_init ();
  G_LOCK (log_sink);
  log_sink = sink;
  log_sink_data = user_data;
  G_UNLOCK (log_sink);
}
