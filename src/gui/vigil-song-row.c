/* vigil-song-row.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include "vigil-job-text.h"

#include "vigil-song-row.h"

struct _VigilSongRow
{
  GtkWidget       parent_instance;

  VigilJobSong   *song;
  gulong          notify_id;

  GtkLabel       *title_label;
  GtkProgressBar *progress_bar;
  GtkLabel       *state_label;
};

enum {
  PROP_0,
  PROP_SONG,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

G_DEFINE_FINAL_TYPE (VigilSongRow, vigil_song_row, GTK_TYPE_WIDGET)

static const char *state_classes[] = { "dim-label", "accent", "success", "error" };

static void
vigil_song_row_update (VigilSongRow *self)
{
  VigilSongState state;
  const char *state_label;
  g_autofree char *title = NULL;
  double fraction;

  if (self->song == NULL)
    return;

  state = vigil_job_song_get_state (self->song);
  title = vigil_job_text_song_title (vigil_job_song_get_title (self->song),
                                     vigil_job_song_get_artist (self->song));
  fraction = vigil_job_song_get_fraction (self->song);
  if (state == VIGIL_SONG_STATE_DONE)
    fraction = 1.0;

  state_label = vigil_job_text_song_state (state);

  gtk_label_set_label (self->title_label, title);
  gtk_progress_bar_set_fraction (self->progress_bar, MAX (fraction, 0));
  gtk_label_set_label (self->state_label, state_label);

  for (guint i = 0; i < G_N_ELEMENTS (state_classes); i++)
    {
      gtk_widget_remove_css_class (GTK_WIDGET (self->state_label), state_classes[i]);
      gtk_widget_remove_css_class (GTK_WIDGET (self->progress_bar), state_classes[i]);
    }
  if ((guint) state < G_N_ELEMENTS (state_classes))
    {
      gtk_widget_add_css_class (GTK_WIDGET (self->state_label), state_classes[state]);
      if (state != VIGIL_SONG_STATE_WAITING)
        gtk_widget_add_css_class (GTK_WIDGET (self->progress_bar), state_classes[state]);
    }

  gtk_accessible_update_property (GTK_ACCESSIBLE (self),
                                  GTK_ACCESSIBLE_PROPERTY_LABEL, title,
                                  GTK_ACCESSIBLE_PROPERTY_DESCRIPTION, state_label,
                                  -1);
  gtk_accessible_update_property (GTK_ACCESSIBLE (self->progress_bar),
                                  GTK_ACCESSIBLE_PROPERTY_LABEL, title,
                                  GTK_ACCESSIBLE_PROPERTY_DESCRIPTION, state_label,
                                  -1);
}

static void
on_song_notify (VigilSongRow *self)
{
  vigil_song_row_update (self);
}

static void
vigil_song_row_dispose (GObject *object)
{
  VigilSongRow *self = VIGIL_SONG_ROW (object);

  vigil_song_row_set_song (self, NULL);
  gtk_widget_dispose_template (GTK_WIDGET (self), VIGIL_TYPE_SONG_ROW);
  /* dispose_template drops the template's references; a plain GtkWidget
   * unparents its children itself. */
  for (GtkWidget *child; (child = gtk_widget_get_first_child (GTK_WIDGET (self)));)
    gtk_widget_unparent (child);

  G_OBJECT_CLASS (vigil_song_row_parent_class)->dispose (object);
}

static void
vigil_song_row_get_property (GObject    *object,
                             guint       prop_id,
                             GValue     *value,
                             GParamSpec *pspec)
{
  VigilSongRow *self = VIGIL_SONG_ROW (object);

  switch (prop_id)
    {
    case PROP_SONG:
      g_value_set_object (value, self->song);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
vigil_song_row_set_property (GObject      *object,
                             guint         prop_id,
                             const GValue *value,
                             GParamSpec   *pspec)
{
  VigilSongRow *self = VIGIL_SONG_ROW (object);

  switch (prop_id)
    {
    case PROP_SONG:
      vigil_song_row_set_song (self, g_value_get_object (value));
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
vigil_song_row_class_init (VigilSongRowClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = vigil_song_row_dispose;
  object_class->get_property = vigil_song_row_get_property;
  object_class->set_property = vigil_song_row_set_property;

  properties[PROP_SONG] =
    g_param_spec_object ("song", NULL, NULL, VIGIL_TYPE_JOB_SONG,
                         G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  g_object_class_install_properties (object_class, N_PROPS, properties);

  gtk_widget_class_set_template_from_resource (widget_class, RESOURCE_BASE "/vigil-song-row.ui");
  gtk_widget_class_bind_template_child (widget_class, VigilSongRow, title_label);
  gtk_widget_class_bind_template_child (widget_class, VigilSongRow, progress_bar);
  gtk_widget_class_bind_template_child (widget_class, VigilSongRow, state_label);
  gtk_widget_class_set_layout_manager_type (widget_class, GTK_TYPE_BOX_LAYOUT);
  gtk_widget_class_set_accessible_role (widget_class, GTK_ACCESSIBLE_ROLE_GROUP);
}

static void
vigil_song_row_init (VigilSongRow *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));
}

VigilJobSong *
vigil_song_row_get_song (VigilSongRow *self)
{
  g_return_val_if_fail (VIGIL_IS_SONG_ROW (self), NULL);

  return self->song;
}

void
vigil_song_row_set_song (VigilSongRow *self,
                         VigilJobSong *song)
{
  g_return_if_fail (VIGIL_IS_SONG_ROW (self));
  g_return_if_fail (song == NULL || VIGIL_IS_JOB_SONG (song));

  if (self->song == song)
    return;

  g_clear_signal_handler (&self->notify_id, self->song);
  g_set_object (&self->song, song);
  if (song != NULL)
    self->notify_id = g_signal_connect_swapped (song, "notify", G_CALLBACK (on_song_notify), self);

  vigil_song_row_update (self);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_SONG]);
}
