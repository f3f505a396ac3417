/* vigil-new-analysis-dialog.h — ask what to analyze: a song, a playlist or
 * a user's whole library
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <adwaita.h>

#include "vigil-types.h"

G_BEGIN_DECLS

#define VIGIL_TYPE_NEW_ANALYSIS_DIALOG (vigil_new_analysis_dialog_get_type ())
G_DECLARE_FINAL_TYPE (VigilNewAnalysisDialog, vigil_new_analysis_dialog, VIGIL, NEW_ANALYSIS_DIALOG, AdwWindow)

/* Signal "start" (VigilJobKind kind, gint64 target_id, gboolean all_songs):
 * the input is valid; the owner starts the analysis and then closes the
 * dialog or calls set_error(). The dialog never talks to the server. */

VigilNewAnalysisDialog *vigil_new_analysis_dialog_new       (GtkWindow              *parent);
void                    vigil_new_analysis_dialog_set_kind  (VigilNewAnalysisDialog *self,
                                                             VigilJobKind            kind);
void                    vigil_new_analysis_dialog_set_busy  (VigilNewAnalysisDialog *self,
                                                             gboolean                busy);
void                    vigil_new_analysis_dialog_set_error (VigilNewAnalysisDialog *self,
                                                             const char             *message);
/* Validate the input and emit "start"; FALSE (with the error shown) when
 * the input is refused. */
gboolean                vigil_new_analysis_dialog_submit    (VigilNewAnalysisDialog *self);

/* Which server to start on (a widget of the window's; hidden with one
 * server), and that widget (transfer none, or NULL). */
void                    vigil_new_analysis_dialog_set_server_chooser (VigilNewAnalysisDialog *self,
                                                                      GtkWidget              *chooser);
GtkWidget              *vigil_new_analysis_dialog_get_server_chooser (VigilNewAnalysisDialog *self);

G_END_DECLS
