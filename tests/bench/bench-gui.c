/* bench-gui.c — figure 5: vigil-gui-bench run as a child of vigil-bench
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <stdlib.h>
#include <string.h>

#include <gio/gio.h>
#include <json-glib/json-glib.h>

#include "bench-common.h"
#include "bench-gui.h"

/* What README.md's figure 5 command sets: software rendering (the VM has
 * no GPU), no accessibility bus, settings in memory. */
static const char * const gui_env[][2] = {
  { "GSK_RENDERER", "cairo" },
  { "GDK_DEBUG", "gl-disable" },
  { "GTK_A11Y", "none" },
  { "NO_AT_BRIDGE", "1" },
  { "GSETTINGS_BACKEND", "memory" },
};

static gboolean
member_number (JsonObject  *object,
               const char  *name,
               double      *value,
               GError     **error)
{
  JsonNode *node = json_object_get_member (object, name);

  if (node == NULL || !JSON_NODE_HOLDS_VALUE (node) ||
      (json_node_get_value_type (node) != G_TYPE_DOUBLE &&
       json_node_get_value_type (node) != G_TYPE_INT64))
    {
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_DATA, "no number \"%s\"", name);
      return FALSE;
    }
  *value = json_node_get_double (node);
  return TRUE;
}

gboolean
bench_gui_parse_run (const char   *line,
                     BenchGuiRun  *run,
                     GError      **error)
{
  g_autoptr(JsonParser) parser = json_parser_new ();
  JsonObject *object;
  double jobs = 0, ticks = 0, rows = 0, shown = 0;

  g_return_val_if_fail (line != NULL && run != NULL, FALSE);

  if (!json_parser_load_from_data (parser, line, -1, error))
    return FALSE;
  if (!JSON_NODE_HOLDS_OBJECT (json_parser_get_root (parser)))
    {
      g_set_error_literal (error, G_IO_ERROR, G_IO_ERROR_INVALID_DATA, "not a JSON object");
      return FALSE;
    }
  object = json_node_get_object (json_parser_get_root (parser));
  if (!member_number (object, "jobs", &jobs, error) ||
      !member_number (object, "ticks", &ticks, error) ||
      !member_number (object, "rows", &rows, error) ||
      !member_number (object, "rows_shown", &shown, error) ||
      !member_number (object, "apply_ms_median", &run->apply_ms_median, error) ||
      !member_number (object, "apply_ms_max", &run->apply_ms_max, error) ||
      !member_number (object, "tick_to_paint_ms_median", &run->paint_ms_median, error) ||
      !member_number (object, "tick_to_paint_ms_max", &run->paint_ms_max, error) ||
      !member_number (object, "rss_empty_mb", &run->rss_empty_mb, error) ||
      !member_number (object, "rss_loaded_mb", &run->rss_loaded_mb, error) ||
      !member_number (object, "rss_peak_mb", &run->rss_peak_mb, error) ||
      !member_number (object, "rss_trimmed_mb", &run->rss_trimmed_mb, error))
    return FALSE;
  run->jobs = (guint) jobs;
  run->ticks = (guint) ticks;
  run->rows = (guint) rows;
  run->rows_shown = (guint) shown;
  return TRUE;
}

/* The child's argv, or NULL with gui->why_not set */
static GStrv
child_argv (BenchGui   *gui,
            const char *gui_exe,
            gboolean    quick)
{
  g_autoptr(GStrvBuilder) argv = g_strv_builder_new ();

  if (g_getenv ("DISPLAY") == NULL && g_getenv ("WAYLAND_DISPLAY") == NULL)
    {
      g_autofree char *xvfb = g_find_program_in_path ("xvfb-run");

      if (xvfb == NULL)
        {
          gui->why_not = g_strdup ("no display and no xvfb-run (apt-get install xvfb xauth)");
          return NULL;
        }
      g_strv_builder_add_many (argv, xvfb, "-a", "-s", "-screen 0 1280x800x24", NULL);
    }
  g_strv_builder_add_many (argv, gui_exe, "--json", NULL);
  if (quick)
    g_strv_builder_add (argv, "--quick");
  return g_strv_builder_end (argv);
}

static int
compare_double (gconstpointer a,
                gconstpointer b)
{
  double x = *(const double *) a, y = *(const double *) b;

  return (x > y) - (x < y);
}

static double
median_of (double *values,
           guint   n)
{
  qsort (values, n, sizeof (double), compare_double);
  return n % 2 == 1 ? values[n / 2] : (values[n / 2 - 1] + values[n / 2]) / 2;
}

static gboolean
run_once (const char * const  *argv,
          char               **envp,
          BenchGuiRun         *run,
          GError             **error)
{
  g_autofree char *out = NULL;
  g_autofree char *err = NULL;
  g_auto(GStrv) lines = NULL;
  int status = 0;

  if (!g_spawn_sync (NULL, (char **) argv, envp, G_SPAWN_DEFAULT, NULL, NULL, &out, &err,
                     &status, error))
    return FALSE;
  if (!g_spawn_check_wait_status (status, error))
    {
      g_prefix_error (error, "%s: ", g_strstrip (err));
      return FALSE;
    }
  /* the JSON object is the last line that starts with '{' */
  lines = g_strsplit (out, "\n", -1);
  for (guint i = g_strv_length (lines); i > 0; i--)
    if (lines[i - 1][0] == '{')
      return bench_gui_parse_run (lines[i - 1], run, error);
  g_set_error_literal (error, G_IO_ERROR, G_IO_ERROR_INVALID_DATA, "no JSON line in its output");
  return FALSE;
}

void
bench_gui_measure (BenchGui   *gui,
                   const char *self_exe,
                   gboolean    quick,
                   guint       n_runs)
{
  g_autofree char *dir = g_path_get_dirname (self_exe);
  g_autofree char *gui_exe = g_build_filename (dir, "vigil-gui-bench", NULL);
  g_autofree char *schemas = g_build_filename (dir, "..", "..", "data", NULL);
  g_autofree char *compiled = g_build_filename (schemas, "gschemas.compiled", NULL);
  g_auto(GStrv) argv = NULL;
  g_auto(GStrv) envp = g_get_environ ();
  g_autoptr(GString) how = g_string_new (NULL);
  double apply[BENCH_GUI_MAX_RUNS], paint[BENCH_GUI_MAX_RUNS], empty[BENCH_GUI_MAX_RUNS];
  double loaded[BENCH_GUI_MAX_RUNS];

  g_return_if_fail (gui != NULL && self_exe != NULL);

  memset (gui, 0, sizeof *gui);
  n_runs = CLAMP (n_runs, 1, BENCH_GUI_MAX_RUNS);
  if (!g_file_test (gui_exe, G_FILE_TEST_IS_EXECUTABLE))
    {
      gui->why_not = g_strdup_printf ("%s is not built", gui_exe);
      return;
    }
  if ((argv = child_argv (gui, gui_exe, quick)) == NULL)
    return;

  for (guint i = 0; i < G_N_ELEMENTS (gui_env); i++)
    {
      envp = g_environ_setenv (envp, gui_env[i][0], gui_env[i][1], TRUE);
      g_string_append_printf (how, "%s=%s ", gui_env[i][0], gui_env[i][1]);
    }
  if (g_file_test (compiled, G_FILE_TEST_EXISTS))
    {
      g_autofree char *canonical = g_canonicalize_filename (schemas, NULL);

      envp = g_environ_setenv (envp, "GSETTINGS_SCHEMA_DIR", canonical, TRUE);
      g_string_append_printf (how, "GSETTINGS_SCHEMA_DIR=%s ", canonical);
    }
  for (guint i = 0; argv[i] != NULL; i++)
    {
      g_autofree char *quoted = g_shell_quote (argv[i]);

      g_string_append_printf (how, "%s%s", i > 0 ? " " : "",
                              strchr (argv[i], ' ') != NULL ? quoted : argv[i]);
    }
  gui->how = g_string_free (g_steal_pointer (&how), FALSE);

  for (guint i = 0; i < n_runs; i++)
    {
      g_autoptr(GError) error = NULL;
      BenchGuiRun *run = &gui->runs[gui->n_runs];

      if (!run_once ((const char * const *) argv, envp, run, &error))
        {
          gui->why_not = g_strdup_printf ("vigil-gui-bench failed: %s", error->message);
          break;
        }
      apply[gui->n_runs] = run->apply_ms_median;
      paint[gui->n_runs] = run->paint_ms_median;
      empty[gui->n_runs] = run->rss_empty_mb;
      loaded[gui->n_runs] = run->rss_loaded_mb;
      gui->rss_max_mb = MAX (gui->rss_max_mb, run->rss_loaded_mb);
      gui->rss_peak_mb = MAX (gui->rss_peak_mb, run->rss_peak_mb);
      gui->n_runs++;
    }
  if (gui->n_runs == 0)
    return;
  gui->measured = TRUE;
  gui->apply_ms_best = apply[0];
  for (guint i = 1; i < gui->n_runs; i++)
    gui->apply_ms_best = MIN (gui->apply_ms_best, apply[i]);
  gui->apply_ms_median = median_of (apply, gui->n_runs);
  gui->paint_ms_median = median_of (paint, gui->n_runs);
  gui->rss_empty_mb = median_of (empty, gui->n_runs);
  gui->rss_mb = median_of (loaded, gui->n_runs);
}

void
bench_gui_clear (BenchGui *gui)
{
  g_clear_pointer (&gui->why_not, g_free);
  g_clear_pointer (&gui->how, g_free);
}
