/* vigil-chart.h — one line-and-area chart of a server's last hour, drawn
 * with GtkSnapshot: queue length or songs analyzed per minute, one sample
 * a minute from a VigilServerHistory (minutes without data are gaps), axis
 * labels (0 and the maximum; "60 min ago" and "now"), the style's colours
 * (foreground and the accent, so dark and high contrast follow), and the
 * history's words as the accessible description.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <gtk/gtk.h>

#include "vigil-server-history.h"

G_BEGIN_DECLS

typedef enum
{
  VIGIL_CHART_SERIES_QUEUE_LENGTH,
  VIGIL_CHART_SERIES_SONGS,
} VigilChartSeries;

#define VIGIL_TYPE_CHART (vigil_chart_get_type ())
G_DECLARE_FINAL_TYPE (VigilChart, vigil_chart, VIGIL, CHART, GtkWidget)

/* Properties: history (VigilServerHistory*, nullable: an empty chart),
 * series (int, a VigilChartSeries). */
GtkWidget          *vigil_chart_new             (VigilServerHistory *history,
                                                 VigilChartSeries    series);
VigilServerHistory *vigil_chart_get_history     (VigilChart         *self);
void                vigil_chart_set_history     (VigilChart         *self,
                                                 VigilServerHistory *history);
VigilChartSeries    vigil_chart_get_series      (VigilChart         *self);
/* Reads the history again (it does on its `changed`; the time axis moves). */
void                vigil_chart_update          (VigilChart         *self);
/* What is drawn: the known values of the last update, and their maximum
 * (for tests and the axis). */
guint               vigil_chart_get_n_points    (VigilChart         *self);
gint64              vigil_chart_get_max         (VigilChart         *self);
/* The accessible description set on the widget (the history's words). */
const char         *vigil_chart_get_description (VigilChart         *self);

G_END_DECLS
