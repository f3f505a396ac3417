/* vigil-chart.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <glib/gi18n.h>

#include "vigil-chart.h"

#define CHART_MIN_WIDTH  160
#define CHART_MIN_HEIGHT 120
#define LABEL_GAP        6.0
#define DOT_RADIUS       3.0

struct _VigilChart
{
  GtkWidget           parent_instance;

  VigilServerHistory *history;
  VigilChartSeries    series;
  gulong              changed_id;

  GArray             *samples;      /* VigilHistorySample of the last update */
  gint64              now_minute;   /* the right end of the time axis */
  gint64              max;          /* the largest known value, 0 without */
  guint               n_points;
  char               *description;
};

enum {
  PROP_0,
  PROP_HISTORY,
  PROP_SERIES,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

G_DEFINE_FINAL_TYPE (VigilChart, vigil_chart, GTK_TYPE_WIDGET)

/* ------------------------------------------------------------------ */
/* Data                                                                */
/* ------------------------------------------------------------------ */

/* -1: not drawn. The current minute's songs are not drawn: the minute is
 * not over, and its partial count would read as a drop. */
static gint64
sample_value (VigilChart               *self,
              const VigilHistorySample *sample)
{
  if (self->series == VIGIL_CHART_SERIES_QUEUE_LENGTH)
    return sample->queue_length;
  return sample->minute < self->now_minute ? sample->songs : -1;
}

static void
read_history (VigilChart *self)
{
  gint64 now_us = g_get_real_time ();

  g_clear_pointer (&self->samples, g_array_unref);
  g_clear_pointer (&self->description, g_free);
  self->now_minute = now_us / G_USEC_PER_SEC / 60;
  self->max = 0;
  self->n_points = 0;

  if (self->history == NULL)
    return;

  self->samples = vigil_server_history_get_samples (self->history, now_us);
  for (guint i = 0; i < self->samples->len; i++)
    {
      gint64 value = sample_value (self, &g_array_index (self->samples, VigilHistorySample, i));

      if (value < 0)
        continue;
      self->n_points++;
      self->max = MAX (self->max, value);
    }
  self->description = vigil_server_history_describe (self->history, now_us);
}

static void
update_accessible (VigilChart *self)
{
  const char *label = self->series == VIGIL_CHART_SERIES_SONGS
                      ? _("Songs analyzed per minute, last hour")
                      : _("Queue length, last hour");

  gtk_accessible_update_property (GTK_ACCESSIBLE (self),
                                  GTK_ACCESSIBLE_PROPERTY_LABEL, label,
                                  GTK_ACCESSIBLE_PROPERTY_DESCRIPTION,
                                  self->description != NULL ? self->description : "",
                                  -1);
}

/* ------------------------------------------------------------------ */
/* Drawing                                                             */
/* ------------------------------------------------------------------ */

typedef struct
{
  double x, y, width, height;   /* the plot area */
} Plot;

static void
draw_label (GtkWidget      *widget,
            GtkSnapshot    *snapshot,
            PangoLayout    *layout,
            const char     *text,
            double          x,
            double          y,
            const GdkRGBA  *color)
{
  pango_layout_set_text (layout, text, -1);
  gtk_snapshot_save (snapshot);
  gtk_snapshot_translate (snapshot, &GRAPHENE_POINT_INIT ((float) x, (float) y));
  gtk_snapshot_append_layout (snapshot, layout, color);
  gtk_snapshot_restore (snapshot);
}

static double
point_x (VigilChart *self,
         const Plot *plot,
         gint64      minute)
{
  double age = (double) (self->now_minute - minute);

  return plot->x + plot->width * (1.0 - CLAMP (age, 0.0, VIGIL_SERVER_HISTORY_MINUTES) / VIGIL_SERVER_HISTORY_MINUTES);
}

static double
point_y (VigilChart *self,
         const Plot *plot,
         gint64      value)
{
  double top = self->max > 0 ? (double) self->max : 1.0;

  return plot->y + plot->height * (1.0 - (double) value / top);
}

/* One run of consecutive minutes: the line, the area under it, and a dot
 * when it is a single minute. */
static void
draw_run (VigilChart    *self,
          cairo_t       *cr,
          const Plot    *plot,
          guint          first,
          guint          last,
          const GdkRGBA *accent)
{
  double base = plot->y + plot->height;

  if (first == last)
    {
      const VigilHistorySample *s = &g_array_index (self->samples, VigilHistorySample, first);

      gdk_cairo_set_source_rgba (cr, accent);
      cairo_arc (cr, point_x (self, plot, s->minute), point_y (self, plot, sample_value (self, s)),
                 DOT_RADIUS, 0, 2 * G_PI);
      cairo_fill (cr);
      return;
    }

  for (guint i = first; i <= last; i++)
    {
      const VigilHistorySample *s = &g_array_index (self->samples, VigilHistorySample, i);

      cairo_line_to (cr, point_x (self, plot, s->minute), point_y (self, plot, sample_value (self, s)));
    }
  cairo_set_line_width (cr, 2.0);
  cairo_set_line_join (cr, CAIRO_LINE_JOIN_ROUND);
  gdk_cairo_set_source_rgba (cr, accent);
  cairo_stroke_preserve (cr);

  cairo_line_to (cr, point_x (self, plot, g_array_index (self->samples, VigilHistorySample, last).minute), base);
  cairo_line_to (cr, point_x (self, plot, g_array_index (self->samples, VigilHistorySample, first).minute), base);
  cairo_close_path (cr);
  cairo_set_source_rgba (cr, accent->red, accent->green, accent->blue, accent->alpha * 0.25);
  cairo_fill (cr);
}

static void
draw_series (VigilChart    *self,
             cairo_t       *cr,
             const Plot    *plot,
             const GdkRGBA *accent)
{
  guint first = G_MAXUINT;

  if (self->samples == NULL)
    return;

  for (guint i = 0; i < self->samples->len; i++)
    {
      const VigilHistorySample *s = &g_array_index (self->samples, VigilHistorySample, i);
      const VigilHistorySample *next = i + 1 < self->samples->len
                                       ? &g_array_index (self->samples, VigilHistorySample, i + 1)
                                       : NULL;
      gboolean known = sample_value (self, s) >= 0;

      if (known && first == G_MAXUINT)
        first = i;
      /* A run ends before an unknown value or a missing minute. */
      if (first != G_MAXUINT &&
          (next == NULL || sample_value (self, next) < 0 || next->minute != s->minute + 1))
        {
          cairo_new_path (cr);
          draw_run (self, cr, plot, first, i, accent);
          first = G_MAXUINT;
        }
    }
}

static void
draw_frame (cairo_t       *cr,
            const Plot    *plot,
            const GdkRGBA *fg)
{
  cairo_set_source_rgba (cr, fg->red, fg->green, fg->blue, fg->alpha * 0.15);
  cairo_set_line_width (cr, 1.0);
  for (int i = 0; i <= 2; i++)
    {
      double y = floor (plot->y + plot->height * i / 2.0) + 0.5;

      cairo_move_to (cr, plot->x, y);
      cairo_line_to (cr, plot->x + plot->width, y);
    }
  cairo_stroke (cr);
}

static void
vigil_chart_snapshot (GtkWidget   *widget,
                      GtkSnapshot *snapshot)
{
  VigilChart *self = VIGIL_CHART (widget);
  GtkStyleContext *context = gtk_widget_get_style_context (widget);
  g_autoptr(PangoLayout) layout = gtk_widget_create_pango_layout (widget, NULL);
  g_autofree char *max_text = g_strdup_printf ("%" G_GINT64_FORMAT, MAX (self->max, (gint64) 1));
  int width = gtk_widget_get_width (widget);
  int height = gtk_widget_get_height (widget);
  int max_w, line_h, zero_w, now_w;
  GdkRGBA fg, dim, accent;
  Plot plot;
  cairo_t *cr;

  gtk_style_context_get_color (context, &fg);
  if (!gtk_style_context_lookup_color (context, "accent_color", &accent))
    accent = fg;
  dim = fg;
  dim.alpha *= 0.7f;

  pango_layout_set_text (layout, max_text, -1);
  pango_layout_get_pixel_size (layout, &max_w, &line_h);
  pango_layout_set_text (layout, "0", -1);
  pango_layout_get_pixel_size (layout, &zero_w, NULL);
  /* Translators: the right end of a chart's time axis. */
  pango_layout_set_text (layout, _("now"), -1);
  pango_layout_get_pixel_size (layout, &now_w, NULL);

  plot.x = MAX (max_w, zero_w) + LABEL_GAP;
  plot.y = line_h / 2.0;
  plot.width = MAX (1.0, width - plot.x - DOT_RADIUS);
  plot.height = MAX (1.0, height - plot.y - line_h - LABEL_GAP);

  cr = gtk_snapshot_append_cairo (snapshot, &GRAPHENE_RECT_INIT (0, 0, (float) width, (float) height));
  draw_frame (cr, &plot, &fg);
  draw_series (self, cr, &plot, &accent);
  cairo_destroy (cr);

  draw_label (widget, snapshot, layout, max_text, plot.x - LABEL_GAP - max_w, 0, &dim);
  draw_label (widget, snapshot, layout, "0", plot.x - LABEL_GAP - zero_w,
              plot.y + plot.height - line_h / 2.0, &dim);
  /* Translators: the left end of a chart's time axis (the last hour). */
  draw_label (widget, snapshot, layout, _("60 min ago"), plot.x, plot.y + plot.height + LABEL_GAP / 2, &dim);
  draw_label (widget, snapshot, layout, _("now"), plot.x + plot.width - now_w,
              plot.y + plot.height + LABEL_GAP / 2, &dim);
}

/* ------------------------------------------------------------------ */
/* GObject / GtkWidget overrides                                       */
/* ------------------------------------------------------------------ */

static void
vigil_chart_measure (GtkWidget      *widget,
                     GtkOrientation  orientation,
                     int             for_size,
                     int            *minimum,
                     int            *natural,
                     int            *minimum_baseline,
                     int            *natural_baseline)
{
  *minimum = *natural = orientation == GTK_ORIENTATION_HORIZONTAL ? CHART_MIN_WIDTH : CHART_MIN_HEIGHT;
}

/* The time axis moved on while hidden. */
static void
vigil_chart_map (GtkWidget *widget)
{
  GTK_WIDGET_CLASS (vigil_chart_parent_class)->map (widget);
  vigil_chart_update (VIGIL_CHART (widget));
}

static void
vigil_chart_css_changed (GtkWidget         *widget,
                         GtkCssStyleChange *change)
{
  GTK_WIDGET_CLASS (vigil_chart_parent_class)->css_changed (widget, change);
  gtk_widget_queue_draw (widget);
}

static void
vigil_chart_dispose (GObject *object)
{
  VigilChart *self = VIGIL_CHART (object);

  if (self->history != NULL)
    g_clear_signal_handler (&self->changed_id, self->history);
  g_clear_object (&self->history);

  G_OBJECT_CLASS (vigil_chart_parent_class)->dispose (object);
}

static void
vigil_chart_finalize (GObject *object)
{
  VigilChart *self = VIGIL_CHART (object);

  g_clear_pointer (&self->samples, g_array_unref);
  g_free (self->description);

  G_OBJECT_CLASS (vigil_chart_parent_class)->finalize (object);
}

static void
vigil_chart_get_property (GObject    *object,
                          guint       prop_id,
                          GValue     *value,
                          GParamSpec *pspec)
{
  VigilChart *self = VIGIL_CHART (object);

  switch (prop_id)
    {
    case PROP_HISTORY:
      g_value_set_object (value, self->history);
      break;
    case PROP_SERIES:
      g_value_set_int (value, self->series);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
vigil_chart_set_property (GObject      *object,
                          guint         prop_id,
                          const GValue *value,
                          GParamSpec   *pspec)
{
  VigilChart *self = VIGIL_CHART (object);

  switch (prop_id)
    {
    case PROP_HISTORY:
      vigil_chart_set_history (self, g_value_get_object (value));
      break;
    case PROP_SERIES:
      self->series = g_value_get_int (value);
      vigil_chart_update (self);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
vigil_chart_class_init (VigilChartClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = vigil_chart_dispose;
  object_class->finalize = vigil_chart_finalize;
  object_class->get_property = vigil_chart_get_property;
  object_class->set_property = vigil_chart_set_property;

  widget_class->measure = vigil_chart_measure;
  widget_class->snapshot = vigil_chart_snapshot;
  widget_class->css_changed = vigil_chart_css_changed;
  widget_class->map = vigil_chart_map;

  properties[PROP_HISTORY] =
    g_param_spec_object ("history", NULL, NULL, VIGIL_TYPE_SERVER_HISTORY,
                         G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  properties[PROP_SERIES] =
    g_param_spec_int ("series", NULL, NULL,
                      VIGIL_CHART_SERIES_QUEUE_LENGTH, VIGIL_CHART_SERIES_SONGS,
                      VIGIL_CHART_SERIES_QUEUE_LENGTH,
                      G_PARAM_READWRITE | G_PARAM_CONSTRUCT_ONLY | G_PARAM_STATIC_STRINGS);
  g_object_class_install_properties (object_class, N_PROPS, properties);

  gtk_widget_class_set_css_name (widget_class, "vigil-chart");
  gtk_widget_class_set_accessible_role (widget_class, GTK_ACCESSIBLE_ROLE_IMG);
}

static void
vigil_chart_init (VigilChart *self)
{
  self->series = VIGIL_CHART_SERIES_QUEUE_LENGTH;
}

/* ------------------------------------------------------------------ */
/* Public API                                                          */
/* ------------------------------------------------------------------ */

GtkWidget *
vigil_chart_new (VigilServerHistory *history,
                 VigilChartSeries    series)
{
  g_return_val_if_fail (history == NULL || VIGIL_IS_SERVER_HISTORY (history), NULL);

  return g_object_new (VIGIL_TYPE_CHART, "history", history, "series", series, NULL);
}

VigilServerHistory *
vigil_chart_get_history (VigilChart *self)
{
  g_return_val_if_fail (VIGIL_IS_CHART (self), NULL);

  return self->history;
}

void
vigil_chart_set_history (VigilChart         *self,
                         VigilServerHistory *history)
{
  g_return_if_fail (VIGIL_IS_CHART (self));
  g_return_if_fail (history == NULL || VIGIL_IS_SERVER_HISTORY (history));

  if (self->history == history)
    return;

  if (self->history != NULL)
    g_clear_signal_handler (&self->changed_id, self->history);
  g_set_object (&self->history, history);
  if (history != NULL)
    self->changed_id = g_signal_connect_swapped (history, "changed",
                                                 G_CALLBACK (vigil_chart_update), self);
  vigil_chart_update (self);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_HISTORY]);
}

VigilChartSeries
vigil_chart_get_series (VigilChart *self)
{
  g_return_val_if_fail (VIGIL_IS_CHART (self), VIGIL_CHART_SERIES_QUEUE_LENGTH);

  return self->series;
}

void
vigil_chart_update (VigilChart *self)
{
  g_return_if_fail (VIGIL_IS_CHART (self));

  read_history (self);
  update_accessible (self);
  gtk_widget_queue_draw (GTK_WIDGET (self));
}

guint
vigil_chart_get_n_points (VigilChart *self)
{
  g_return_val_if_fail (VIGIL_IS_CHART (self), 0);

  return self->n_points;
}

gint64
vigil_chart_get_max (VigilChart *self)
{
  g_return_val_if_fail (VIGIL_IS_CHART (self), 0);

  return self->max;
}

const char *
vigil_chart_get_description (VigilChart *self)
{
  g_return_val_if_fail (VIGIL_IS_CHART (self), NULL);

  return self->description;
}
