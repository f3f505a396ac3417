/* vigil-history-row.h — one finished analysis of the history
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <gtk/gtk.h>

#include "vigil-history-entry.h"

G_BEGIN_DECLS

#define VIGIL_TYPE_HISTORY_ROW (vigil_history_row_get_type ())
G_DECLARE_FINAL_TYPE (VigilHistoryRow, vigil_history_row, VIGIL, HISTORY_ROW, GtkWidget)

/* Properties: entry (VigilHistoryEntry, nullable; a list item's item),
 * server-name (nullable: shown after the time, with several servers). */

GtkWidget         *vigil_history_row_new              (void);
VigilHistoryEntry *vigil_history_row_get_entry        (VigilHistoryRow   *self);
void               vigil_history_row_set_entry        (VigilHistoryRow   *self,
                                                       VigilHistoryEntry *entry);
void               vigil_history_row_set_server_name  (VigilHistoryRow   *self,
                                                       const char        *name);
/* What the row shows, for tests. */
const char        *vigil_history_row_get_outcome_text (VigilHistoryRow   *self);
const char        *vigil_history_row_get_time_text    (VigilHistoryRow   *self);

G_END_DECLS
