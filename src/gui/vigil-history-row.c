/* vigil-history-row.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <glib/gi18n.h>

#include "vigil-job-row.h"
#include "vigil-job-text.h"

#include "vigil-history-row.h"

struct _VigilHistoryRow
{
  GtkWidget          parent_instance;

  VigilHistoryEntry *entry;
  char              *server_name;  /* shown after the time, or NULL */

  /* Template widgets */
  GtkImage          *kind_icon;
  GtkLabel          *title_label;
  GtkLabel          *time_label;
  GtkLabel          *error_label;
  GtkLabel          *outcome_label;
};

enum {
  PROP_0,
  PROP_ENTRY,
  PROP_SERVER_NAME,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

G_DEFINE_FINAL_TYPE (VigilHistoryRow, vigil_history_row, GTK_TYPE_WIDGET)

/* ------------------------------------------------------------------ */
/* Looks (the words are vigil-job-text's)                              */
/* ------------------------------------------------------------------ */

static char *
entry_title (VigilHistoryEntry *entry)
{
  const char *title = vigil_history_entry_get_title (entry);

  if (title != NULL && title[0] != '\0')
    return g_strdup (title);
  return vigil_job_text_title (vigil_history_entry_get_kind (entry),
                               vigil_history_entry_get_target_id (entry), NULL, NULL, NULL);
}

static void
show_entry (VigilHistoryRow *self)
{
  VigilHistoryEntry *entry = self->entry;
  g_autofree char *title = NULL;
  g_autofree char *time = NULL;
  g_autofree char *description = NULL;
  const char *error;
  gboolean completed;

  if (entry == NULL)
    return;

  title = entry_title (entry);
  time = vigil_job_text_history_time (entry, NULL);
  if (self->server_name != NULL)
    {
      char *with_server = vigil_job_text_kind_on_server (time, self->server_name);

      g_free (time);
      time = with_server;
    }
  error = vigil_history_entry_get_error_message (entry);
  completed = vigil_history_entry_get_outcome (entry) == VIGIL_OUTCOME_COMPLETED;

  gtk_image_set_from_icon_name (self->kind_icon,
                                vigil_job_row_kind_icon_name (vigil_history_entry_get_kind (entry)));
  gtk_label_set_label (self->title_label, title);
  gtk_label_set_label (self->time_label, time);
  gtk_label_set_label (self->error_label, error != NULL ? error : "");
  gtk_widget_set_visible (GTK_WIDGET (self->error_label), error != NULL && error[0] != '\0');
  gtk_label_set_label (self->outcome_label,
                       vigil_job_text_outcome (vigil_history_entry_get_outcome (entry)));
  gtk_widget_remove_css_class (GTK_WIDGET (self->outcome_label), completed ? "error" : "success");
  gtk_widget_add_css_class (GTK_WIDGET (self->outcome_label), completed ? "success" : "error");

  /* A screen reader hears the title, then the outcome, when, and why. */
  description = g_strjoin (". ", vigil_job_text_outcome (vigil_history_entry_get_outcome (entry)),
                           time, error != NULL && error[0] != '\0' ? error : NULL, NULL);
  gtk_accessible_update_property (GTK_ACCESSIBLE (self),
                                  GTK_ACCESSIBLE_PROPERTY_LABEL, title,
                                  GTK_ACCESSIBLE_PROPERTY_DESCRIPTION, description,
                                  -1);
}

/* ------------------------------------------------------------------ */
/* GObject overrides                                                   */
/* ------------------------------------------------------------------ */

static void
vigil_history_row_dispose (GObject *object)
{
  VigilHistoryRow *self = VIGIL_HISTORY_ROW (object);

  gtk_widget_dispose_template (GTK_WIDGET (self), VIGIL_TYPE_HISTORY_ROW);
  /* dispose_template drops the template's references; a plain GtkWidget
   * unparents its children itself. */
  for (GtkWidget *child; (child = gtk_widget_get_first_child (GTK_WIDGET (self)));)
    gtk_widget_unparent (child);
  g_clear_object (&self->entry);
  g_clear_pointer (&self->server_name, g_free);

  G_OBJECT_CLASS (vigil_history_row_parent_class)->dispose (object);
}

static void
vigil_history_row_get_property (GObject    *object,
                                guint       prop_id,
                                GValue     *value,
                                GParamSpec *pspec)
{
  VigilHistoryRow *self = VIGIL_HISTORY_ROW (object);

  switch (prop_id)
    {
    case PROP_ENTRY:
      g_value_set_object (value, self->entry);
      break;
    case PROP_SERVER_NAME:
      g_value_set_string (value, self->server_name);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
vigil_history_row_set_property (GObject      *object,
                                guint         prop_id,
                                const GValue *value,
                                GParamSpec   *pspec)
{
  VigilHistoryRow *self = VIGIL_HISTORY_ROW (object);

  switch (prop_id)
    {
    case PROP_ENTRY:
      vigil_history_row_set_entry (self, g_value_get_object (value));
      break;
    case PROP_SERVER_NAME:
      vigil_history_row_set_server_name (self, g_value_get_string (value));
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
vigil_history_row_class_init (VigilHistoryRowClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = vigil_history_row_dispose;
  object_class->get_property = vigil_history_row_get_property;
  object_class->set_property = vigil_history_row_set_property;

  properties[PROP_ENTRY] =
    g_param_spec_object ("entry", NULL, NULL, VIGIL_TYPE_HISTORY_ENTRY,
                         G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  properties[PROP_SERVER_NAME] =
    g_param_spec_string ("server-name", NULL, NULL, NULL,
                         G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  g_object_class_install_properties (object_class, N_PROPS, properties);

  gtk_widget_class_set_template_from_resource (widget_class, RESOURCE_BASE "/vigil-history-row.ui");
  gtk_widget_class_bind_template_child (widget_class, VigilHistoryRow, kind_icon);
  gtk_widget_class_bind_template_child (widget_class, VigilHistoryRow, title_label);
  gtk_widget_class_bind_template_child (widget_class, VigilHistoryRow, time_label);
  gtk_widget_class_bind_template_child (widget_class, VigilHistoryRow, error_label);
  gtk_widget_class_bind_template_child (widget_class, VigilHistoryRow, outcome_label);
  gtk_widget_class_set_layout_manager_type (widget_class, GTK_TYPE_BIN_LAYOUT);
  gtk_widget_class_set_accessible_role (widget_class, GTK_ACCESSIBLE_ROLE_GROUP);
  gtk_widget_class_set_css_name (widget_class, "vigilhistoryrow");
}

static void
vigil_history_row_init (VigilHistoryRow *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));
}

/* ------------------------------------------------------------------ */
/* Public API                                                          */
/* ------------------------------------------------------------------ */

GtkWidget *
vigil_history_row_new (void)
{
  return g_object_new (VIGIL_TYPE_HISTORY_ROW, NULL);
}

VigilHistoryEntry *
vigil_history_row_get_entry (VigilHistoryRow *self)
{
  g_return_val_if_fail (VIGIL_IS_HISTORY_ROW (self), NULL);

  return self->entry;
}

/* Entries are immutable: showing one is done once, when it is set. */
void
vigil_history_row_set_entry (VigilHistoryRow   *self,
                             VigilHistoryEntry *entry)
{
  g_return_if_fail (VIGIL_IS_HISTORY_ROW (self));
  g_return_if_fail (entry == NULL || VIGIL_IS_HISTORY_ENTRY (entry));

  if (!g_set_object (&self->entry, entry))
    return;
  show_entry (self);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_ENTRY]);
}

/* With several servers, the entry's server's name follows the time. */
void
vigil_history_row_set_server_name (VigilHistoryRow *self,
                                   const char      *name)
{
  g_return_if_fail (VIGIL_IS_HISTORY_ROW (self));

  if (g_strcmp0 (self->server_name, name) == 0)
    return;
  g_free (self->server_name);
  self->server_name = g_strdup (name);
  show_entry (self);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_SERVER_NAME]);
}

const char *
vigil_history_row_get_time_text (VigilHistoryRow *self)
{
  g_return_val_if_fail (VIGIL_IS_HISTORY_ROW (self), NULL);

  return gtk_label_get_label (self->time_label);
}

const char *
vigil_history_row_get_outcome_text (VigilHistoryRow *self)
{
  g_return_val_if_fail (VIGIL_IS_HISTORY_ROW (self), NULL);

  return gtk_label_get_label (self->outcome_label);
}
