/* vigil-state-dir.h — files in Vigil's state directory
 * ($XDG_STATE_HOME/vigil): reading one with the checks every saved file
 * needs, and setting an unusable one aside under a name that says when
 * (NAME.corrupt-YYYYMMDD-HHMMSS), never deleting it. Shared by
 * VigilStateStore (state.json) and VigilServerHistory (the charts).
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

/* $XDG_STATE_HOME/vigil (not created). */
char *vigil_state_dir_get_default (void);

/* The file's contents (NUL-terminated, *length without it), or NULL: with
 * no error when there is no file; with VIGIL_STATE_ERROR_UNREADABLE (not a
 * regular file, unreadable) or VIGIL_STATE_ERROR_TOO_LARGE (over max_size
 * bytes) otherwise. */
char *vigil_state_dir_read        (const char  *path,
                                   gsize        max_size,
                                   gsize       *length,
                                   GError     **error);

/* Renames path to path.corrupt-YYYYMMDD-HHMMSS (local time; -2, -3 … when
 * taken) and returns the new path, or NULL with a G_FILE_ERROR when it
 * could not be renamed. */
char *vigil_state_dir_move_aside  (const char  *path,
                                   GError     **error);

G_END_DECLS
