/* vigil-api-url.c — the server's address: what a base URL may be, its
 * normal form, and the paths that name a job
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <string.h>
#include <glib/gi18n-lib.h>

#include "vigil-api-client-private.h"

/* ------------------------------------------------------------------ */
/* URL validation                                                      */
/* ------------------------------------------------------------------ */

static gboolean
check_uri_parts (GUri        *uri,
                 const char  *text,
                 GError     **error)
{
  const char *scheme = g_uri_get_scheme (uri);
  const char *host = g_uri_get_host (uri);

  /* Before anything that quotes the address: it would show the password. */
  if (g_uri_get_userinfo (uri) != NULL)
    g_set_error_literal (error, VIGIL_API_ERROR, VIGIL_API_ERROR_INVALID_URL,
                         _("The server address must not contain a user name or password"));
  else if (g_ascii_strcasecmp (scheme, "http") != 0 && g_ascii_strcasecmp (scheme, "https") != 0)
    g_set_error (error, VIGIL_API_ERROR, VIGIL_API_ERROR_INVALID_URL,
                 _("“%s” is not an http:// or https:// address"), text);
  else if (host == NULL || host[0] == '\0')
    g_set_error (error, VIGIL_API_ERROR, VIGIL_API_ERROR_INVALID_URL,
                 _("“%s” names no server"), text);
  else if (g_uri_get_query (uri) != NULL || g_uri_get_fragment (uri) != NULL)
    g_set_error (error, VIGIL_API_ERROR, VIGIL_API_ERROR_INVALID_URL,
                 _("“%s” must not have a query (?…) or a fragment (#…)"), text);
  else
    return TRUE;

  return FALSE;
}

/* Every request path starts with /api/: a base URL ending in /api would ask
 * for /api/api/…, which no server answers. A deployment under a prefix
 * (https://host/analysis) is fine. */
static gboolean
check_not_api (const char  *normalized,
               const char  *given,
               GError     **error)
{
  const char *slash = strrchr (normalized, '/');
  g_autofree char *suggestion = NULL;
  g_autofree char *shown = NULL;

  if (slash == NULL || g_ascii_strcasecmp (slash, "/api") != 0 ||
      slash == normalized || slash[-1] == '/')   /* "http://api" is a host */
    return TRUE;

  suggestion = g_strndup (normalized, slash - normalized);
  shown = g_strstrip (g_strdup (given));
  g_set_error (error, VIGIL_API_ERROR, VIGIL_API_ERROR_INVALID_URL,
               /* Translators: the first %s is the address given, the second one without /api */
               _("“%s” ends in /api, which Vigil adds to every request itself: use %s"),
               shown, suggestion);
  return FALSE;
}

static gboolean
has_space_or_control (const char *text)
{
  for (const char *p = text; *p != '\0'; p++)
    if (g_ascii_isspace (*p) || g_ascii_iscntrl (*p))
      return TRUE;

  return FALSE;
}

char *
vigil_api_normalize_base_url (const char  *base_url,
                              GError     **error)
{
  g_autofree char *text = g_strstrip (g_strdup (base_url != NULL ? base_url : ""));
  g_autoptr(GUri) uri = NULL;
  gsize len;

  /* GUri lets a space through in a host name. */
  if (text[0] == '\0' || has_space_or_control (text) ||
      (uri = g_uri_parse (text, SOUP_HTTP_URI_FLAGS, NULL)) == NULL)
    {
      if (text[0] == '\0')
        g_set_error_literal (error, VIGIL_API_ERROR, VIGIL_API_ERROR_INVALID_URL,
                             _("The server address is empty"));
      else
        g_set_error (error, VIGIL_API_ERROR, VIGIL_API_ERROR_INVALID_URL,
                     /* Translators: the second %s is an example address */
                     _("“%s” is not a valid server address (for example %s)"),
                     text, VIGIL_DEFAULT_SERVER_URL);
      return NULL;
    }

  if (!check_uri_parts (uri, text, error))
    return NULL;

  len = strlen (text);
  while (len > 0 && text[len - 1] == '/')
    text[--len] = '\0';

  if (!check_not_api (text, base_url, error))
    return NULL;

  return g_steal_pointer (&text);
}

/* ------------------------------------------------------------------ */
/* Paths                                                               */
/* ------------------------------------------------------------------ */

/* Job ids are opaque: every reserved character is escaped, '/' too. */
char *
vigil_api_job_path (const char *prefix,
                    const char *job_id,
                    const char *suffix)
{
  g_autofree char *escaped = g_uri_escape_string (job_id, NULL, FALSE);

  return g_strconcat (prefix, escaped, suffix, NULL);
}
