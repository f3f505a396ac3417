/* vigil-command-line.h — what `vigil` was asked to do: its options, checked
 * (ids, the server's address) before anything is forwarded to a running
 * instance, and read back from a GVariantDict in whichever instance acts
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <gio/gio.h>

G_BEGIN_DECLS

typedef struct
{
  char      *server;      /* the server's base URL as the client keeps it, or NULL */
  gboolean   demo;
  GArray    *songs;       /* gint64 song ids to analyse */
  GArray    *playlists;   /* gint64 playlist ids */
  gboolean   all_songs;   /* --all: reanalyse every song of the playlists */
  GArray    *users;       /* gint64 user ids (background analyses) */
  GPtrArray *watch;       /* job ids to watch (char *) */
} VigilCommandLine;

/* The entries for g_application_add_main_option_entries(): --demo,
 * --server URL, --analyze-song ID, --analyze-playlist ID, --all,
 * --analyze-user ID, --watch JOB_ID… (and job ids after it), --version.
 * The id options may repeat. */
const GOptionEntry *vigil_command_line_get_entries (void);

/* Reads and checks the parsed options. Errors (G_OPTION_ERROR_BAD_VALUE)
 * are one line naming the option and the value: a bad id (see
 * vigil_parse_positive_id()), a server address the API client refuses, an
 * empty job id, --all without --analyze-playlist, arguments without
 * --watch. */
VigilCommandLine   *vigil_command_line_parse       (GVariantDict     *options,
                                                    GError          **error);
/* Nothing to start or watch (a plain `vigil`, or only --server/--demo). */
gboolean            vigil_command_line_is_empty    (const VigilCommandLine *self);
void                vigil_command_line_free        (VigilCommandLine *self);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (VigilCommandLine, vigil_command_line_free)

G_END_DECLS
