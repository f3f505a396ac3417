/* vigil-command-line.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <glib/gi18n.h>

#include "vigil-api-client.h"
#include "vigil-types.h"

#include "vigil-command-line.h"

/* ------------------------------------------------------------------ */
/* Helpers                                                             */
/* ------------------------------------------------------------------ */

static gboolean
read_ids (GVariantDict *options,
          const char   *name,
          GArray      **out,
          GError      **error)
{
  g_autofree const char **values = NULL;

  g_assert (out != NULL && *out == NULL);

  *out = g_array_new (FALSE, FALSE, sizeof (gint64));
  if (!g_variant_dict_lookup (options, name, "^a&s", &values))
    return TRUE;

  for (guint i = 0; values[i] != NULL; i++)
    {
      g_autoptr(GError) local_error = NULL;
      gint64 id;

      if (!vigil_parse_positive_id (values[i], &id, &local_error))
        {
          g_set_error (error, G_OPTION_ERROR, G_OPTION_ERROR_BAD_VALUE,
                       /* Translators: --OPTION: the reason it is not an id */
                       _("--%s: %s"), name, local_error->message);
          return FALSE;
        }
      g_array_append_val (*out, id);
    }
  return TRUE;
}

/* A job id goes into a URL path: one word, no spaces or slashes. */
static gboolean
is_job_id (const char *text)
{
  if (text[0] == '\0' || !g_utf8_validate (text, -1, NULL))
    return FALSE;
  for (const char *p = text; *p != '\0'; p = g_utf8_next_char (p))
    {
      gunichar c = g_utf8_get_char (p);

      if (g_unichar_isspace (c) || g_unichar_iscntrl (c) || c == '/' || c == '?' || c == '#')
        return FALSE;
    }
  return TRUE;
}

static gboolean
add_job_ids (GPtrArray   *watch,
             const char **values,
             GError     **error)
{
  for (guint i = 0; values != NULL && values[i] != NULL; i++)
    {
      if (!is_job_id (values[i]))
        {
          g_set_error (error, G_OPTION_ERROR, G_OPTION_ERROR_BAD_VALUE,
                       _("--watch: “%s” is not a job ID"), values[i]);
          return FALSE;
        }
      g_ptr_array_add (watch, g_strdup (values[i]));
    }
  return TRUE;
}

static gboolean
read_watch (GVariantDict *options,
            GPtrArray    *watch,
            GError      **error)
{
  g_autofree const char **ids = NULL;
  g_autofree const char **rest = NULL;
  gboolean has_watch = g_variant_dict_lookup (options, "watch", "^a&s", &ids);

  g_variant_dict_lookup (options, G_OPTION_REMAINING, "^a&s", &rest);
  if (rest != NULL && rest[0] != NULL && !has_watch)
    {
      g_set_error (error, G_OPTION_ERROR, G_OPTION_ERROR_BAD_VALUE,
                   _("Unexpected argument “%s” (job IDs follow --watch)"), rest[0]);
      return FALSE;
    }
  return add_job_ids (watch, ids, error) && add_job_ids (watch, rest, error);
}

static gboolean
read_server (GVariantDict     *options,
             VigilCommandLine *self,
             GError          **error)
{
  g_autoptr(VigilApiClient) client = NULL;
  const char *server = NULL;

  if (!g_variant_dict_lookup (options, "server", "&s", &server))
    return TRUE;

  client = vigil_api_client_new (server, error);
  if (client == NULL)
    return FALSE;
  self->server = g_strdup (vigil_api_client_get_base_url (client));
  return TRUE;
}

/* ------------------------------------------------------------------ */
/* Public API                                                          */
/* ------------------------------------------------------------------ */

static const GOptionEntry entries[] = {
  { "demo", 0, 0, G_OPTION_ARG_NONE, NULL,
    N_("Start a built-in demo server and watch a few analyses on it"), NULL },
  { "server", 0, 0, G_OPTION_ARG_STRING, NULL,
    N_("Watch the analysis service at URL (remembered)"), N_("URL") },
  { "analyze-song", 0, 0, G_OPTION_ARG_STRING_ARRAY, NULL,
    N_("Analyze the song with this ID"), N_("ID") },
  { "analyze-playlist", 0, 0, G_OPTION_ARG_STRING_ARRAY, NULL,
    N_("Analyze the songs of this playlist that need it"), N_("ID") },
  { "all", 0, 0, G_OPTION_ARG_NONE, NULL,
    N_("With --analyze-playlist: reanalyze every song"), NULL },
  { "analyze-user", 0, 0, G_OPTION_ARG_STRING_ARRAY, NULL,
    N_("Reanalyze a user’s whole library (administrators)"), N_("ID") },
  { "watch", 0, 0, G_OPTION_ARG_STRING_ARRAY, NULL,
    N_("Watch jobs already on the server"), N_("JOB_ID…") },
  { "version", 0, 0, G_OPTION_ARG_NONE, NULL, N_("Print the version and exit"), NULL },
  { G_OPTION_REMAINING, 0, 0, G_OPTION_ARG_STRING_ARRAY, NULL, NULL, NULL },
  { NULL }
};

const GOptionEntry *
vigil_command_line_get_entries (void)
{
  return entries;
}

VigilCommandLine *
vigil_command_line_parse (GVariantDict *options,
                          GError      **error)
{
  g_autoptr(VigilCommandLine) self = g_new0 (VigilCommandLine, 1);

  g_return_val_if_fail (options != NULL, NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  self->watch = g_ptr_array_new_with_free_func (g_free);
  self->demo = g_variant_dict_contains (options, "demo");
  self->all_songs = g_variant_dict_contains (options, "all");

  if (!read_server (options, self, error) ||
      !read_ids (options, "analyze-song", &self->songs, error) ||
      !read_ids (options, "analyze-playlist", &self->playlists, error) ||
      !read_ids (options, "analyze-user", &self->users, error) ||
      !read_watch (options, self->watch, error))
    return NULL;

  if (self->all_songs && self->playlists->len == 0)
    {
      g_set_error_literal (error, G_OPTION_ERROR, G_OPTION_ERROR_BAD_VALUE,
                           _("--all goes with --analyze-playlist"));
      return NULL;
    }
  return g_steal_pointer (&self);
}

gboolean
vigil_command_line_is_empty (const VigilCommandLine *self)
{
  g_return_val_if_fail (self != NULL, TRUE);

  return self->songs->len == 0 && self->playlists->len == 0 && self->users->len == 0 &&
         self->watch->len == 0;
}

void
vigil_command_line_free (VigilCommandLine *self)
{
  if (self == NULL)
    return;
  g_free (self->server);
  g_clear_pointer (&self->songs, g_array_unref);
  g_clear_pointer (&self->playlists, g_array_unref);
  g_clear_pointer (&self->users, g_array_unref);
  g_clear_pointer (&self->watch, g_ptr_array_unref);
  g_free (self);
}
