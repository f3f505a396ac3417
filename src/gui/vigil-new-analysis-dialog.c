/* vigil-new-analysis-dialog.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <glib/gi18n.h>

#include "vigil-enums.h"

#include "vigil-new-analysis-dialog.h"

struct _VigilNewAnalysisDialog
{
  AdwWindow       parent_instance;

  VigilJobKind    kind;

  GtkCheckButton *song_check;
  GtkCheckButton *playlist_check;
  GtkCheckButton *user_check;
  AdwEntryRow    *id_row;
  AdwActionRow   *all_row;
  GtkSwitch      *all_switch;
  GtkLabel       *error_label;
  GtkWidget      *server_group;
  AdwActionRow   *server_row;
  GtkWidget      *server_chooser;
  GtkButton      *start_button;
  GtkSpinner     *spinner;
};

enum {
  START,
  N_SIGNALS
};

static guint signals[N_SIGNALS];

G_DEFINE_FINAL_TYPE (VigilNewAnalysisDialog, vigil_new_analysis_dialog, ADW_TYPE_WINDOW)

/* ------------------------------------------------------------------ */
/* Helpers                                                             */
/* ------------------------------------------------------------------ */

static void
update_for_kind (VigilNewAnalysisDialog *self)
{
  const char *title;

  switch (self->kind)
    {
    case VIGIL_JOB_KIND_PLAYLIST:
      title = _("Playlist ID");
      break;
    case VIGIL_JOB_KIND_BACKGROUND:
      title = _("User ID");
      break;
    case VIGIL_JOB_KIND_SONG:
    default:
      title = _("Song ID");
      break;
    }

  adw_preferences_row_set_title (ADW_PREFERENCES_ROW (self->id_row), title);
  gtk_widget_set_visible (GTK_WIDGET (self->all_row), self->kind == VIGIL_JOB_KIND_PLAYLIST);
  vigil_new_analysis_dialog_set_error (self, NULL);
}

/* ------------------------------------------------------------------ */
/* Callbacks                                                           */
/* ------------------------------------------------------------------ */

static void
on_kind_toggled (VigilNewAnalysisDialog *self)
{
  VigilJobKind kind = VIGIL_JOB_KIND_SONG;

  if (gtk_check_button_get_active (self->playlist_check))
    kind = VIGIL_JOB_KIND_PLAYLIST;
  else if (gtk_check_button_get_active (self->user_check))
    kind = VIGIL_JOB_KIND_BACKGROUND;

  if (kind == self->kind)
    return;
  self->kind = kind;
  update_for_kind (self);
}

static void
on_id_changed (VigilNewAnalysisDialog *self)
{
  vigil_new_analysis_dialog_set_error (self, NULL);
}

static void
on_submit (VigilNewAnalysisDialog *self)
{
  vigil_new_analysis_dialog_submit (self);
}

static void
start_action (GtkWidget  *widget,
              const char *action_name,
              GVariant   *parameter)
{
  vigil_new_analysis_dialog_submit (VIGIL_NEW_ANALYSIS_DIALOG (widget));
}

/* ------------------------------------------------------------------ */
/* GObject                                                             */
/* ------------------------------------------------------------------ */

static void
vigil_new_analysis_dialog_dispose (GObject *object)
{
  gtk_widget_dispose_template (GTK_WIDGET (object), VIGIL_TYPE_NEW_ANALYSIS_DIALOG);

  G_OBJECT_CLASS (vigil_new_analysis_dialog_parent_class)->dispose (object);
}

static void
vigil_new_analysis_dialog_class_init (VigilNewAnalysisDialogClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = vigil_new_analysis_dialog_dispose;

  signals[START] =
    g_signal_new ("start", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST, 0, NULL, NULL, NULL,
                  G_TYPE_NONE, 3, VIGIL_TYPE_JOB_KIND, G_TYPE_INT64, G_TYPE_BOOLEAN);

  gtk_widget_class_set_template_from_resource (widget_class,
                                               RESOURCE_BASE "/vigil-new-analysis-dialog.ui");
  gtk_widget_class_bind_template_child (widget_class, VigilNewAnalysisDialog, song_check);
  gtk_widget_class_bind_template_child (widget_class, VigilNewAnalysisDialog, playlist_check);
  gtk_widget_class_bind_template_child (widget_class, VigilNewAnalysisDialog, user_check);
  gtk_widget_class_bind_template_child (widget_class, VigilNewAnalysisDialog, id_row);
  gtk_widget_class_bind_template_child (widget_class, VigilNewAnalysisDialog, all_row);
  gtk_widget_class_bind_template_child (widget_class, VigilNewAnalysisDialog, all_switch);
  gtk_widget_class_bind_template_child (widget_class, VigilNewAnalysisDialog, error_label);
  gtk_widget_class_bind_template_child (widget_class, VigilNewAnalysisDialog, server_group);
  gtk_widget_class_bind_template_child (widget_class, VigilNewAnalysisDialog, server_row);
  gtk_widget_class_bind_template_child (widget_class, VigilNewAnalysisDialog, start_button);
  gtk_widget_class_bind_template_child (widget_class, VigilNewAnalysisDialog, spinner);
  gtk_widget_class_bind_template_callback (widget_class, on_kind_toggled);
  gtk_widget_class_bind_template_callback (widget_class, on_id_changed);
  gtk_widget_class_bind_template_callback (widget_class, on_submit);

  gtk_widget_class_install_action (widget_class, "dialog.start", NULL, start_action);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_Escape, 0, "window.close", NULL);
}

static void
vigil_new_analysis_dialog_init (VigilNewAnalysisDialog *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));
  self->kind = VIGIL_JOB_KIND_SONG;
  update_for_kind (self);
}

/* ------------------------------------------------------------------ */
/* Public API                                                          */
/* ------------------------------------------------------------------ */

VigilNewAnalysisDialog *
vigil_new_analysis_dialog_new (GtkWindow *parent)
{
  g_return_val_if_fail (parent == NULL || GTK_IS_WINDOW (parent), NULL);

  return g_object_new (VIGIL_TYPE_NEW_ANALYSIS_DIALOG,
                       "transient-for", parent,
                       NULL);
}

void
vigil_new_analysis_dialog_set_kind (VigilNewAnalysisDialog *self,
                                    VigilJobKind            kind)
{
  g_return_if_fail (VIGIL_IS_NEW_ANALYSIS_DIALOG (self));

  if (kind == VIGIL_JOB_KIND_PLAYLIST)
    gtk_check_button_set_active (self->playlist_check, TRUE);
  else if (kind == VIGIL_JOB_KIND_BACKGROUND)
    gtk_check_button_set_active (self->user_check, TRUE);
  else
    gtk_check_button_set_active (self->song_check, TRUE);
}

void
vigil_new_analysis_dialog_set_busy (VigilNewAnalysisDialog *self,
                                    gboolean                busy)
{
  g_return_if_fail (VIGIL_IS_NEW_ANALYSIS_DIALOG (self));

  gtk_widget_action_set_enabled (GTK_WIDGET (self), "dialog.start", !busy);
  gtk_widget_set_sensitive (GTK_WIDGET (self->id_row), !busy);
  gtk_spinner_set_spinning (self->spinner, busy);
  gtk_widget_set_visible (GTK_WIDGET (self->spinner), busy);
}

void
vigil_new_analysis_dialog_set_error (VigilNewAnalysisDialog *self,
                                     const char             *message)
{
  g_return_if_fail (VIGIL_IS_NEW_ANALYSIS_DIALOG (self));

  gtk_label_set_label (self->error_label, message ? message : "");
  gtk_widget_set_visible (GTK_WIDGET (self->error_label), message != NULL);
  if (message != NULL)
    gtk_widget_add_css_class (GTK_WIDGET (self->id_row), "error");
  else
    gtk_widget_remove_css_class (GTK_WIDGET (self->id_row), "error");
}

gboolean
vigil_new_analysis_dialog_submit (VigilNewAnalysisDialog *self)
{
  g_autofree char *text = NULL;
  gint64 id;

  g_return_val_if_fail (VIGIL_IS_NEW_ANALYSIS_DIALOG (self), FALSE);

  if (!gtk_widget_is_sensitive (GTK_WIDGET (self->id_row)))
    return FALSE;

  /* A pasted id often brings spaces along. */
  text = g_strstrip (g_strdup (gtk_editable_get_text (GTK_EDITABLE (self->id_row))));
  if (!vigil_parse_positive_id (text, &id, NULL))
    {
      vigil_new_analysis_dialog_set_error (self, _("Enter a positive whole number, such as 42."));
      gtk_widget_grab_focus (GTK_WIDGET (self->id_row));
      return FALSE;
    }

  vigil_new_analysis_dialog_set_error (self, NULL);
  g_signal_emit (self, signals[START], 0, self->kind, id,
                 self->kind == VIGIL_JOB_KIND_PLAYLIST && gtk_switch_get_active (self->all_switch));
  return TRUE;
}

/* Which server to start on: the caller's chooser, shown with it. */
void
vigil_new_analysis_dialog_set_server_chooser (VigilNewAnalysisDialog *self,
                                              GtkWidget              *chooser)
{
  g_return_if_fail (VIGIL_IS_NEW_ANALYSIS_DIALOG (self));
  g_return_if_fail (GTK_IS_WIDGET (chooser));
  g_return_if_fail (self->server_chooser == NULL);

  self->server_chooser = chooser;
  gtk_widget_set_valign (chooser, GTK_ALIGN_CENTER);
  adw_action_row_add_suffix (self->server_row, chooser);
  g_object_bind_property (chooser, "visible", self->server_group, "visible", G_BINDING_SYNC_CREATE);
}

GtkWidget *
vigil_new_analysis_dialog_get_server_chooser (VigilNewAnalysisDialog *self)
{
  g_return_val_if_fail (VIGIL_IS_NEW_ANALYSIS_DIALOG (self), NULL);

  return self->server_chooser;
}
