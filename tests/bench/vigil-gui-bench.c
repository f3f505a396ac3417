/* vigil-gui-bench.c — what the job list costs: time per tick to apply
 * progress to every job of a 10 000-job list (model update, rows bound to
 * the visible jobs, the next frame), and the app's memory with them.
 *
 * A benchmark, not a test: it reports (README.md, "Performance", figure 5).
 * Run it under a display; `--quick` is the smoke run of the test suite.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <adwaita.h>
#include <malloc.h>
#include <stdio.h>
#include <string.h>
#include <sys/resource.h>

#include "vigil-application.h"
#include "vigil-job-row.h"
#include "vigil-window.h"

/* ------------------------------------------------------------------ */
/* A network that is down: the poller makes no request, so what is     */
/* measured is the model and the list only.                             */
/* ------------------------------------------------------------------ */

#define BENCH_TYPE_OFFLINE (bench_offline_get_type ())
G_DECLARE_FINAL_TYPE (BenchOffline, bench_offline, BENCH, OFFLINE, GObject)

struct _BenchOffline
{
  GObject parent_instance;
};

static void bench_offline_monitor_init (GNetworkMonitorInterface *iface);
static void bench_offline_initable_init (GInitableIface *iface);

G_DEFINE_FINAL_TYPE_WITH_CODE (BenchOffline, bench_offline, G_TYPE_OBJECT,
                               G_IMPLEMENT_INTERFACE (G_TYPE_INITABLE, bench_offline_initable_init)
                               G_IMPLEMENT_INTERFACE (G_TYPE_NETWORK_MONITOR,
                                                      bench_offline_monitor_init))

enum { OFF_PROP_0, OFF_PROP_AVAILABLE, OFF_PROP_METERED, OFF_PROP_CONNECTIVITY };

static void
bench_offline_get_property (GObject    *object,
                            guint       prop_id,
                            GValue     *value,
                            GParamSpec *pspec)
{
  switch (prop_id)
    {
    case OFF_PROP_AVAILABLE:
    case OFF_PROP_METERED:
      g_value_set_boolean (value, FALSE);
      break;
    case OFF_PROP_CONNECTIVITY:
      g_value_set_enum (value, G_NETWORK_CONNECTIVITY_LOCAL);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static gboolean
bench_offline_init_fn (GInitable     *initable,
                       GCancellable  *cancellable,
                       GError       **error)
{
  return TRUE;
}

static void
bench_offline_initable_init (GInitableIface *iface)
{
  iface->init = bench_offline_init_fn;
}

static void
bench_offline_monitor_init (GNetworkMonitorInterface *iface)
{
}

static void
bench_offline_class_init (BenchOfflineClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->get_property = bench_offline_get_property;
  g_object_class_override_property (object_class, OFF_PROP_AVAILABLE, "network-available");
  g_object_class_override_property (object_class, OFF_PROP_METERED, "network-metered");
  g_object_class_override_property (object_class, OFF_PROP_CONNECTIVITY, "connectivity");
}

static void
bench_offline_init (BenchOffline *self)
{
}

/* ------------------------------------------------------------------ */
/* Measuring                                                           */
/* ------------------------------------------------------------------ */

typedef struct
{
  guint   n_jobs;
  guint   n_ticks;
  guint   n_rows;
  guint   n_rows_mapped;
  double  apply_ms[64];
  double  frame_ms[64];
  double  rss_empty_mb;
  double  rss_loaded_mb;
  double  rss_peak_mb;
  double  rss_trimmed_mb;  /* after malloc_trim(): what the allocator kept */
  gint64  frame_start;
  double  last_frame_ms;
  gboolean painted;
  const char *png;     /* --png: the window after the ticks, scrolled halfway */
} Bench;

/* Scrolls the job list halfway down, waits for the rows to settle, and
 * saves the window as a PNG: to look at rows made on the way. */
static void spin_ms (guint ms);

static GtkScrolledWindow *
find_scroller (GtkWidget *widget)
{
  if (GTK_IS_SCROLLED_WINDOW (widget) && gtk_widget_get_mapped (widget))
    return GTK_SCROLLED_WINDOW (widget);
  for (GtkWidget *child = gtk_widget_get_first_child (widget);
       child != NULL;
       child = gtk_widget_get_next_sibling (child))
    {
      GtkScrolledWindow *found = find_scroller (child);

      if (found != NULL)
        return found;
    }
  return NULL;
}

static void
save_png (GtkWidget  *window,
          const char *path)
{
  GtkScrolledWindow *scroller = find_scroller (window);
  g_autoptr(GdkPaintable) paintable = NULL;
  g_autoptr(GtkSnapshot) snapshot = gtk_snapshot_new ();
  g_autoptr(GskRenderNode) node = NULL;
  g_autoptr(GdkTexture) texture = NULL;

  if (scroller != NULL)
    {
      GtkAdjustment *adjustment = gtk_scrolled_window_get_vadjustment (scroller);

      gtk_adjustment_set_value (adjustment, gtk_adjustment_get_upper (adjustment) / 2);
    }
  spin_ms (1000);
  paintable = gtk_widget_paintable_new (window);
  gdk_paintable_snapshot (paintable, snapshot, gtk_widget_get_width (window),
                          gtk_widget_get_height (window));
  node = gtk_snapshot_free_to_node (g_steal_pointer (&snapshot));
  texture = gsk_renderer_render_texture (gtk_native_get_renderer (GTK_NATIVE (window)), node, NULL);
  if (!gdk_texture_save_to_png (texture, path))
    g_printerr ("vigil-gui-bench: could not write %s\n", path);
}

static double
rss_mb (void)
{
  g_autofree char *status = NULL;
  const char *line;

  if (!g_file_get_contents ("/proc/self/status", &status, NULL, NULL))
    return -1;
  line = strstr (status, "VmRSS:");
  return line ? g_ascii_strtod (line + 6, NULL) / 1024.0 : -1;
}

static double
peak_rss_mb (void)
{
  struct rusage usage;

  getrusage (RUSAGE_SELF, &usage);
  return usage.ru_maxrss / 1024.0;
}

/* Row widgets alive in the window (a list view keeps more than it shows). */
static guint
count_rows (GtkWidget *widget,
            guint     *n_mapped)
{
  guint n = VIGIL_IS_JOB_ROW (widget) ? 1 : 0;

  if (n > 0 && gtk_widget_get_mapped (widget))
    (*n_mapped)++;
  for (GtkWidget *child = gtk_widget_get_first_child (widget);
       child != NULL;
       child = gtk_widget_get_next_sibling (child))
    n += count_rows (child, n_mapped);
  return n;
}

static void
on_after_paint (GdkFrameClock *clock,
                Bench         *bench)
{
  if (bench->frame_start == 0)
    return;
  bench->last_frame_ms = (g_get_monotonic_time () - bench->frame_start) / 1000.0;
  bench->frame_start = 0;
  bench->painted = TRUE;
}

static void
spin_until_painted (Bench *bench)
{
  gint64 deadline = g_get_monotonic_time () + 2 * G_USEC_PER_SEC;

  while (!bench->painted && g_get_monotonic_time () < deadline)
    g_main_context_iteration (NULL, FALSE);
}

static void
spin_ms (guint ms)
{
  gint64 end = g_get_monotonic_time () + ms * 1000;

  while (g_get_monotonic_time () < end)
    g_main_context_iteration (NULL, FALSE);
}

/* One tick: every job moves on a little, as a poll round would make it.
 * The server's messages are made before the clock starts: what is timed is
 * Vigil's work. (Not inlined, so profilers can single it out.) */
static G_GNUC_NO_INLINE void
apply_tick (GListModel  *jobs,
            guint        tick,
            guint        n_ticks,
            char       **messages,
            guint        n_messages)
{
  g_autoptr(VigilProgress) p = vigil_progress_new ();
  guint n = g_list_model_get_n_items (jobs);

  p->step = tick % 2 ? VIGIL_STEP_ANALYZING : VIGIL_STEP_FETCHING_LYRICS;
  p->total_items = 10;
  for (guint i = 0; i < n; i++)
    {
      g_autoptr(VigilJob) job = g_list_model_get_item (jobs, i);

      p->fraction = (tick + 1.0) / (n_ticks + 1.0) * ((i % 97) + 1) / 98.0;
      p->completed_items = (gint64) (p->fraction * 10);
      p->eta_seconds = 30.0 + i % 600;
      p->message = messages[i % n_messages];
      vigil_job_apply_progress (job, p, (gint64) tick * G_USEC_PER_SEC);
    }
  p->message = NULL;
}

static char **
make_messages (guint tick,
               guint n)
{
  char **messages = g_new0 (char *, n + 1);

  for (guint i = 0; i < n; i++)
    messages[i] = g_strdup_printf ("Analyzing 'Song %u' by Artist %u", tick, i);
  return messages;
}

static int
compare_doubles (gconstpointer a,
                 gconstpointer b)
{
  double x = *(const double *) a, y = *(const double *) b;

  return x < y ? -1 : x > y;
}

static double
median (double *values,
        guint   n)
{
  double sorted[64];

  memcpy (sorted, values, n * sizeof *values);
  qsort (sorted, n, sizeof *sorted, compare_doubles);
  return n % 2 ? sorted[n / 2] : (sorted[n / 2 - 1] + sorted[n / 2]) / 2;
}

static double
maximum (double *values,
         guint   n)
{
  double m = 0;

  for (guint i = 0; i < n; i++)
    m = MAX (m, values[i]);
  return m;
}

static void
run (VigilApplication *app,
     Bench            *bench)
{
  g_autoptr(BenchOffline) offline = g_object_new (BENCH_TYPE_OFFLINE, NULL);
  g_autoptr(VigilApiClient) client = vigil_api_client_new ("http://127.0.0.1:9", NULL);
  g_autoptr(VigilPoller) poller = g_object_new (VIGIL_TYPE_POLLER, "client", client,
                                                "network-monitor", offline, NULL);
  g_autoptr(VigilTracker) tracker = vigil_tracker_new (client, poller);
  VigilWindow *window = vigil_window_new (app, vigil_application_get_settings (app), tracker, NULL);
  GdkFrameClock *clock;

  gtk_window_set_default_size (GTK_WINDOW (window), 900, 700);
  gtk_window_present (GTK_WINDOW (window));
  spin_ms (500);
  bench->rss_empty_mb = rss_mb ();

  for (guint i = 0; i < bench->n_jobs; i++)
    {
      g_autofree char *id = g_strdup_printf ("%08x-bench-job-%u", g_random_int (), i);

      /* Two songs for every playlist (of ten songs each, below). */
      VigilJob *job = vigil_tracker_watch (tracker, id,
                                           i % 3 ? VIGIL_JOB_KIND_SONG : VIGIL_JOB_KIND_PLAYLIST, i);

      /* The network is "down" only so that nothing is polled: show the
       * jobs as tracked normally, as they would be. */
      vigil_job_set_tracking_state (job, VIGIL_TRACKING_STATE_ACTIVE);
    }
  spin_ms (500);

  clock = gtk_widget_get_frame_clock (GTK_WIDGET (window));
  g_signal_connect (clock, "after-paint", G_CALLBACK (on_after_paint), bench);

  for (guint t = 0; t < bench->n_ticks; t++)
    {
      g_auto(GStrv) messages = make_messages (t, 50);
      gint64 start = g_get_monotonic_time ();

      bench->painted = FALSE;
      bench->frame_start = start;
      apply_tick (vigil_tracker_get_jobs (tracker), t, bench->n_ticks, messages, 50);
      bench->apply_ms[t] = (g_get_monotonic_time () - start) / 1000.0;
      spin_until_painted (bench);
      bench->frame_ms[t] = bench->last_frame_ms;
      spin_ms (50);
    }

  bench->n_rows = count_rows (GTK_WIDGET (window), &bench->n_rows_mapped);
  bench->rss_loaded_mb = rss_mb ();
  bench->rss_peak_mb = peak_rss_mb ();
  malloc_trim (0);
  bench->rss_trimmed_mb = rss_mb ();
  if (bench->png != NULL)
    save_png (GTK_WIDGET (window), bench->png);
  g_signal_handlers_disconnect_by_data (clock, bench);
  gtk_window_destroy (GTK_WINDOW (window));
}

static void
report (Bench    *bench,
        gboolean  json)
{
  double apply_med = median (bench->apply_ms, bench->n_ticks);
  double apply_max = maximum (bench->apply_ms, bench->n_ticks);
  double frame_med = median (bench->frame_ms, bench->n_ticks);
  double frame_max = maximum (bench->frame_ms, bench->n_ticks);

  if (json)
    {
      g_print ("{\"jobs\": %u, \"ticks\": %u, \"rows\": %u, \"rows_shown\": %u, \"apply_ms_median\": %.2f, \"apply_ms_max\": %.2f, "
               "\"tick_to_paint_ms_median\": %.2f, \"tick_to_paint_ms_max\": %.2f, "
               "\"rss_empty_mb\": %.1f, \"rss_loaded_mb\": %.1f, \"rss_peak_mb\": %.1f, \"rss_trimmed_mb\": %.1f}\n",
               bench->n_jobs, bench->n_ticks, bench->n_rows, bench->n_rows_mapped, apply_med, apply_max, frame_med, frame_max,
               bench->rss_empty_mb, bench->rss_loaded_mb, bench->rss_peak_mb, bench->rss_trimmed_mb);
      return;
    }

  g_print ("5. GUI cost: %u jobs in the list (%u row widgets alive, %u shown), %u ticks (every job updated each tick)\n",
           bench->n_jobs, bench->n_rows, bench->n_rows_mapped, bench->n_ticks);
  g_print ("   apply progress to every job (model + bound rows)   median %7.2f ms   max %7.2f ms\n",
           apply_med, apply_max);
  g_print ("   tick start to the next frame painted                median %7.2f ms   max %7.2f ms\n",
           frame_med, frame_max);
  g_print ("   RSS: empty window %.1f MB, with the jobs %.1f MB, peak %.1f MB\n",
           bench->rss_empty_mb, bench->rss_loaded_mb, bench->rss_peak_mb);
  g_print ("   RSS after malloc_trim(0) (free heap the allocator kept returned) %.1f MB\n",
           bench->rss_trimmed_mb);
}

int
main (int   argc,
      char *argv[])
{
  gboolean quick = FALSE, json = FALSE;
  g_autofree char *png = NULL;
  int jobs = 10000, ticks = 20;
  GOptionEntry entries[] = {
    { "quick", 0, 0, G_OPTION_ARG_NONE, &quick, "Smoke run: 1000 jobs, 5 ticks", NULL },
    { "json", 0, 0, G_OPTION_ARG_NONE, &json, "Print JSON", NULL },
    { "png", 0, 0, G_OPTION_ARG_FILENAME, &png, "After the ticks, scroll halfway and save the window", "FILE" },
    { "jobs", 0, 0, G_OPTION_ARG_INT, &jobs, "Jobs in the list (default 10000)", "N" },
    { "ticks", 0, 0, G_OPTION_ARG_INT, &ticks, "Updates of every job (default 20, max 64)", "N" },
    { NULL }
  };
  g_autoptr(GOptionContext) context = g_option_context_new ("— the job list's cost");
  g_autoptr(GError) error = NULL;
  g_autoptr(VigilApplication) app = NULL;
  Bench bench = { 0 };

  g_option_context_add_main_entries (context, entries, NULL);
  if (!g_option_context_parse (context, &argc, &argv, &error))
    {
      g_printerr ("vigil-gui-bench: %s\n", error->message);
      return 2;
    }
  if (g_getenv ("DISPLAY") == NULL && g_getenv ("WAYLAND_DISPLAY") == NULL)
    {
      g_printerr ("vigil-gui-bench: needs a display (run it under xvfb-run)\n");
      return 77;
    }

  bench.n_jobs = quick ? 1000 : (guint) CLAMP (jobs, 1, 1000000);
  bench.png = png;
  bench.n_ticks = quick ? 5 : (guint) CLAMP (ticks, 1, 64);

  /* as vigil's main() does, before any thread */
  vigil_application_tune_allocator ();
  gtk_init ();
  adw_init ();
  app = vigil_application_new (APP_ID ".GuiBench", G_APPLICATION_NON_UNIQUE);
  g_application_register (G_APPLICATION (app), NULL, NULL);
  g_application_hold (G_APPLICATION (app));

  run (app, &bench);
  report (&bench, json);

  g_application_release (G_APPLICATION (app));
  return 0;
}
