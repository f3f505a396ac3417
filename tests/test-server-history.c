/* test-server-history.c — the charts' samples: per minute, the last hour,
 * saved atomically, a corrupt file set aside, the description in words
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <glib/gstdio.h>

#include "vigil-server-history.h"
#include "vigil-state-file.h"

#define URL "http://127.0.0.1:5001"
#define MIN_US ((gint64) 60 * G_USEC_PER_SEC)

/* A fixed recent minute: samples older than an hour are dropped on load. */
static gint64
base_us (void)
{
  return (g_get_real_time () / MIN_US - 30) * MIN_US;
}

static char *
make_dir (void)
{
  g_autoptr(GError) error = NULL;
  char *dir = g_dir_make_tmp ("vigil-history-XXXXXX", &error);

  g_assert_no_error (error);
  return dir;
}

static void
remove_dir (const char *dir)
{
  g_autoptr(GDir) d = g_dir_open (dir, 0, NULL);
  const char *name;

  while (d != NULL && (name = g_dir_read_name (d)) != NULL)
    {
      g_autofree char *path = g_build_filename (dir, name, NULL);

      g_remove (path);
    }
  g_rmdir (dir);
}

static guint
count_files (const char *dir,
             const char *infix)
{
  g_autoptr(GDir) d = g_dir_open (dir, 0, NULL);
  const char *name;
  guint n = 0;

  while (d != NULL && (name = g_dir_read_name (d)) != NULL)
    n += strstr (name, infix) != NULL;
  return n;
}

static void
test_samples (void)
{
  g_autoptr(VigilServerHistory) h = vigil_server_history_new (URL, NULL);
  g_autoptr(GArray) samples = NULL;
  gint64 t = base_us ();
  const VigilHistorySample *s;

  g_assert_true (vigil_server_history_load (h, NULL));
  vigil_server_history_record (h, t, 5, 0);
  vigil_server_history_record (h, t + 10 * G_USEC_PER_SEC, 7, 2);
  vigil_server_history_record (h, t + 20 * G_USEC_PER_SEC, -1, 3);  /* queue unknown: kept */
  vigil_server_history_record (h, t + MIN_US, 6, -1);               /* songs unknown */
  vigil_server_history_record (h, t + 3 * MIN_US, 4, 1);            /* a gap */

  samples = vigil_server_history_get_samples (h, t + 3 * MIN_US);
  g_assert_cmpuint (samples->len, ==, 3);
  s = &g_array_index (samples, VigilHistorySample, 0);
  g_assert_cmpint (s->minute, ==, t / MIN_US);
  g_assert_cmpint (s->queue_length, ==, 7);
  g_assert_cmpint (s->songs, ==, 5);
  s = &g_array_index (samples, VigilHistorySample, 1);
  g_assert_cmpint (s->queue_length, ==, 6);
  g_assert_cmpint (s->songs, ==, -1);
  s = &g_array_index (samples, VigilHistorySample, 2);
  g_assert_cmpint (s->minute, ==, t / MIN_US + 3);

  /* an hour later, all of it is gone from the charts */
  g_clear_pointer (&samples, g_array_unref);
  samples = vigil_server_history_get_samples (h, t + 63 * MIN_US);
  g_assert_cmpuint (samples->len, ==, 0);

  /* and from memory once a sample of that time arrives */
  vigil_server_history_record (h, t + 64 * MIN_US, 1, 0);
  g_clear_pointer (&samples, g_array_unref);
  samples = vigil_server_history_get_samples (h, t + 64 * MIN_US);
  g_assert_cmpuint (samples->len, ==, 1);
}

static void
test_describe (void)
{
  g_autoptr(VigilServerHistory) h = vigil_server_history_new (URL, NULL);
  g_autofree char *empty = NULL;
  g_autofree char *one = NULL;
  g_autofree char *rising = NULL;
  g_autofree char *falling = NULL;
  gint64 t = base_us ();

  empty = vigil_server_history_describe (h, t);
  g_assert_cmpstr (empty, ==, "No data yet");

  vigil_server_history_record (h, t, 4, 8);
  one = vigil_server_history_describe (h, t);
  g_assert_cmpstr (one, ==, "Queue length 4; 8 songs analyzed per minute");

  for (int m = 1; m <= 5; m++)
    vigil_server_history_record (h, t + m * MIN_US, 4 + 2 * m, 8);
  /* the current minute (6) is partial: songs from minute 5 */
  vigil_server_history_record (h, t + 6 * MIN_US + 1, 16, 1);
  rising = vigil_server_history_describe (h, t + 6 * MIN_US + 1);
  g_assert_cmpstr (rising, ==, "Queue length 16, rising; 8 songs analyzed per minute, steady");

  vigil_server_history_record (h, t + 7 * MIN_US, 12, 8);
  vigil_server_history_record (h, t + 8 * MIN_US, 8, 6);
  vigil_server_history_record (h, t + 9 * MIN_US, 2, 3);
  vigil_server_history_record (h, t + 10 * MIN_US, 2, 0);
  falling = vigil_server_history_describe (h, t + 10 * MIN_US + 1);
  g_assert_cmpstr (falling, ==, "Queue length 2, falling; 3 songs analyzed per minute, falling");
}

static void
test_restart (void)
{
  g_autofree char *dir = make_dir ();
  g_autoptr(VigilServerHistory) h = vigil_server_history_new (URL, dir);
  g_autoptr(VigilServerHistory) again = NULL;
  g_autoptr(VigilServerHistory) other = NULL;
  g_autoptr(GArray) samples = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *name = vigil_server_history_file_name (URL);
  g_autofree char *other_name = vigil_server_history_file_name ("http://other:5001");
  gint64 t = base_us ();
  GStatBuf st;

  g_assert_true (g_str_has_prefix (name, "dashboard-"));
  g_assert_cmpstr (name, !=, other_name);
  g_assert_true (g_str_has_suffix (vigil_server_history_get_path (h), name));

  g_assert_true (vigil_server_history_load (h, &error));
  g_assert_no_error (error);
  vigil_server_history_record (h, t, 3, 2);
  /* a new minute saves the previous one */
  vigil_server_history_record (h, t + MIN_US, 5, 4);
  g_assert_true (g_file_test (vigil_server_history_get_path (h), G_FILE_TEST_IS_REGULAR));
  g_assert_true (vigil_server_history_save (h, &error));
  g_assert_no_error (error);
  g_assert_cmpint (g_stat (vigil_server_history_get_path (h), &st), ==, 0);
  g_assert_cmpint (st.st_mode & 0777, ==, 0600);
  /* no temporary file left behind */
  g_assert_cmpuint (count_files (dir, ""), ==, 1);

  again = vigil_server_history_new (URL, dir);
  g_assert_true (vigil_server_history_load (again, &error));
  g_assert_no_error (error);
  samples = vigil_server_history_get_samples (again, t + MIN_US);
  g_assert_cmpuint (samples->len, ==, 2);
  g_assert_cmpint (g_array_index (samples, VigilHistorySample, 0).queue_length, ==, 3);
  g_assert_cmpint (g_array_index (samples, VigilHistorySample, 1).songs, ==, 4);

  /* another server has its own file */
  other = vigil_server_history_new ("http://other:5001", dir);
  g_assert_true (vigil_server_history_load (other, &error));
  g_clear_pointer (&samples, g_array_unref);
  samples = vigil_server_history_get_samples (other, t + MIN_US);
  g_assert_cmpuint (samples->len, ==, 0);

  remove_dir (dir);
}

static void
check_corrupt (const char *contents)
{
  g_autofree char *dir = make_dir ();
  g_autofree char *name = vigil_server_history_file_name (URL);
  g_autofree char *path = g_build_filename (dir, name, NULL);
  g_autoptr(VigilServerHistory) h = vigil_server_history_new (URL, dir);
  g_autoptr(GError) error = NULL;
  g_autoptr(GArray) samples = NULL;
  g_autofree char *kept = NULL;

  g_assert_true (g_file_set_contents (path, contents, -1, NULL));
  g_assert_false (vigil_server_history_load (h, &error));
  g_assert_error (error, VIGIL_STATE_ERROR, error->code);
  g_assert_nonnull (strstr (error->message, "The charts start empty"));
  g_assert_nonnull (strstr (error->message, ".corrupt-"));
  g_assert_cmpuint (count_files (dir, ".corrupt-"), ==, 1);
  g_assert_false (g_file_test (path, G_FILE_TEST_EXISTS));

  /* the history works on, and saves a fresh file beside the kept one */
  vigil_server_history_record (h, base_us (), 2, 1);
  g_assert_true (vigil_server_history_save (h, NULL));
  samples = vigil_server_history_get_samples (h, base_us ());
  g_assert_cmpuint (samples->len, ==, 1);
  g_assert_cmpuint (count_files (dir, ".corrupt-"), ==, 1);
  g_assert_true (g_file_test (path, G_FILE_TEST_IS_REGULAR));

  remove_dir (dir);
}

static void
test_corrupt (void)
{
  const char *cases[] = {
    "",
    "{\"version\": 1, \"server\": \"" URL "\", \"samples\": [",     /* truncated */
    "\xff\xfe binary",
    "[]",
    "{\"version\": 2, \"server\": \"" URL "\", \"samples\": []}",
    "{\"version\": 1, \"server\": \"http://elsewhere\", \"samples\": []}",
    "{\"version\": 1, \"server\": \"" URL "\", \"samples\": {}}",
    "{\"version\": 1, \"server\": \"" URL "\", \"samples\": [{\"minute\": \"x\"}]}",
    "{\"version\": 1, \"server\": \"" URL "\", \"samples\": [{\"minute\": 5, \"songs\": -3}]}",
    "{\"version\": 1, \"server\": \"" URL "\", \"samples\": [{\"minute\": 5}, {\"minute\": 5}]}",
    "{\"version\": 1, \"server\": \"" URL "\", \"samples\": [{\"minute\": 99999999999999999999}]}",
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    check_corrupt (cases[i]);
}

static void
test_folder (void)
{
  g_autofree char *dir = make_dir ();
  g_autofree char *name = vigil_server_history_file_name (URL);
  g_autofree char *path = g_build_filename (dir, name, NULL);
  g_autoptr(VigilServerHistory) h = vigil_server_history_new (URL, dir);
  g_autoptr(GError) error = NULL;

  /* a folder where the file should be is set aside too */
  g_assert_cmpint (g_mkdir (path, 0700), ==, 0);
  g_assert_false (vigil_server_history_load (h, &error));
  g_assert_nonnull (error);
  g_assert_cmpuint (count_files (dir, ".corrupt-"), ==, 1);
  g_rmdir (path);
  {
    g_autoptr(GDir) d = g_dir_open (dir, 0, NULL);
    const char *n;

    while ((n = g_dir_read_name (d)) != NULL)
      {
        g_autofree char *p = g_build_filename (dir, n, NULL);

        g_rmdir (p);
      }
  }
  g_rmdir (dir);
}

int
main (int argc, char **argv)
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/vigil/server-history/samples", test_samples);
  g_test_add_func ("/vigil/server-history/describe", test_describe);
  g_test_add_func ("/vigil/server-history/restart", test_restart);
  g_test_add_func ("/vigil/server-history/corrupt", test_corrupt);
  g_test_add_func ("/vigil/server-history/folder", test_folder);

  return g_test_run ();
}
