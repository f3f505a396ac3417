/* vigil-state-dir.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <errno.h>
#include <glib/gi18n-lib.h>
#include <glib/gstdio.h>

#include "vigil-state-file.h"

#include "vigil-state-dir.h"

char *
vigil_state_dir_get_default (void)
{
  return g_build_filename (g_get_user_state_dir (), "vigil", NULL);
}

char *
vigil_state_dir_read (const char  *path,
                      gsize        max_size,
                      gsize       *length,
                      GError     **error)
{
  g_autoptr(GError) local_error = NULL;
  g_autofree char *data = NULL;
  GStatBuf st;

  g_return_val_if_fail (path != NULL, NULL);
  g_return_val_if_fail (length != NULL, NULL);

  *length = 0;
  if (g_stat (path, &st) != 0)
    {
      int saved_errno = errno;

      if (saved_errno == ENOENT)
        return NULL;
      g_set_error (error, VIGIL_STATE_ERROR, VIGIL_STATE_ERROR_UNREADABLE,
                   _("The saved state could not be read: %s"), g_strerror (saved_errno));
      return NULL;
    }
  if (!S_ISREG (st.st_mode))
    {
      g_set_error_literal (error, VIGIL_STATE_ERROR, VIGIL_STATE_ERROR_UNREADABLE,
                           _("The saved state is not a file (a folder?)"));
      return NULL;
    }
  if ((guint64) st.st_size > max_size)
    {
      g_set_error (error, VIGIL_STATE_ERROR, VIGIL_STATE_ERROR_TOO_LARGE,
                   _("The saved state is too large (more than %d MB)"),
                   (int) MAX (max_size / (1024 * 1024), 1));
      return NULL;
    }
  if (!g_file_get_contents (path, &data, length, &local_error))
    {
      g_set_error (error, VIGIL_STATE_ERROR, VIGIL_STATE_ERROR_UNREADABLE,
                   _("The saved state could not be read: %s"), local_error->message);
      return NULL;
    }
  return g_steal_pointer (&data);
}

char *
vigil_state_dir_move_aside (const char  *path,
                            GError     **error)
{
  g_autoptr(GDateTime) now = g_date_time_new_now_local ();
  g_autofree char *stamp = g_date_time_format (now, "%Y%m%d-%H%M%S");

  g_return_val_if_fail (path != NULL, NULL);

  for (guint i = 1; i < 100; i++)
    {
      g_autofree char *target = i == 1
                                ? g_strdup_printf ("%s.corrupt-%s", path, stamp)
                                : g_strdup_printf ("%s.corrupt-%s-%u", path, stamp, i);

      if (g_file_test (target, G_FILE_TEST_EXISTS))
        continue;
      if (g_rename (path, target) != 0)
        {
          int saved_errno = errno;

          g_set_error_literal (error, G_FILE_ERROR, g_file_error_from_errno (saved_errno),
                               g_strerror (saved_errno));
          return NULL;
        }
      return g_steal_pointer (&target);
    }

  g_set_error_literal (error, G_FILE_ERROR, G_FILE_ERROR_EXIST, g_strerror (EEXIST));
  return NULL;
}
