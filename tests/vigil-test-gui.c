/* vigil-test-gui.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "vigil-test-gui.h"

static gboolean
flag_true (gpointer data)
{
  *(gboolean *) data = TRUE;
  return G_SOURCE_REMOVE;
}

gboolean
vigil_test_wait_for (VigilTestCond cond,
                     gpointer      data,
                     guint         timeout_ms)
{
  gboolean timed_out = FALSE;
  guint id = g_timeout_add (timeout_ms, flag_true, &timed_out);

  while (!cond (data) && !timed_out)
    g_main_context_iteration (NULL, TRUE);

  if (!timed_out)
    g_source_remove (id);

  return cond (data);
}

void
vigil_test_spin (guint ms)
{
  gboolean done = FALSE;

  g_timeout_add (ms, flag_true, &done);
  while (!done)
    g_main_context_iteration (NULL, TRUE);
}
