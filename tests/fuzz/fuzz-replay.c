/* fuzz-replay.c — a fuzz target without libFuzzer: runs it once over each
 * file of the given corpus directories (or files), so that every build's
 * test suite replays the corpus, crashes once found included.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <stdio.h>

#include "fuzz-common.h"

static void
replay_file (const char *path)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *data = NULL;
  gsize len;

  if (!g_file_get_contents (path, &data, &len, &error))
    g_error ("%s", error->message);

  /* Named first: a crash below shows which input. */
  printf ("%s\n", path);
  fflush (stdout);
  LLVMFuzzerTestOneInput ((const uint8_t *) data, len);
}

static guint
replay (const char *path)
{
  g_autoptr(GDir) dir = g_dir_open (path, 0, NULL);
  g_autoptr(GPtrArray) names = g_ptr_array_new_with_free_func (g_free);
  const char *name;

  if (dir == NULL)
    {
      replay_file (path);
      return 1;
    }

  while ((name = g_dir_read_name (dir)) != NULL)
    g_ptr_array_add (names, g_build_filename (path, name, NULL));
  g_ptr_array_sort (names, (GCompareFunc) g_strcmp0);   /* a stable order */
  for (guint i = 0; i < names->len; i++)
    replay_file (g_ptr_array_index (names, i));

  return names->len;
}

int
main (int   argc,
      char *argv[])
{
  guint n = 0;

  LLVMFuzzerInitialize (&argc, &argv);
  for (int i = 1; i < argc; i++)
    n += replay (argv[i]);

  printf ("%u inputs replayed\n", n);
  return n > 0 ? 0 : 1;
}
