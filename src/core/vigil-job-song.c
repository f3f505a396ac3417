/* vigil-job-song.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include "vigil-util-private.h"

#include "vigil-job-song.h"

struct _VigilJobSong
{
  GObject         parent_instance;

  gint64          id;
  char           *title;
  char           *artist;
  double          fraction;
  VigilSongState  state;
};

enum {
  PROP_0,
  PROP_ID,
  PROP_TITLE,
  PROP_ARTIST,
  PROP_FRACTION,
  PROP_STATE,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

G_DEFINE_FINAL_TYPE (VigilJobSong, vigil_job_song, G_TYPE_OBJECT)

static void
notify (VigilJobSong *self,
        guint         prop)
{
  g_object_notify_by_pspec (G_OBJECT (self), properties[prop]);
}

/* ------------------------------------------------------------------ */
/* Helpers                                                             */
/* ------------------------------------------------------------------ */

/* ------------------------------------------------------------------ */
/* GObject                                                             */
/* ------------------------------------------------------------------ */

static void
vigil_job_song_finalize (GObject *object)
{
  VigilJobSong *self = VIGIL_JOB_SONG (object);

  g_free (self->title);
  g_free (self->artist);

  G_OBJECT_CLASS (vigil_job_song_parent_class)->finalize (object);
}

static void
vigil_job_song_get_property (GObject    *object,
                             guint       prop_id,
                             GValue     *value,
                             GParamSpec *pspec)
{
  VigilJobSong *self = VIGIL_JOB_SONG (object);

  switch (prop_id)
    {
    case PROP_ID:
      g_value_set_int64 (value, self->id);
      break;
    case PROP_TITLE:
      g_value_set_string (value, self->title);
      break;
    case PROP_ARTIST:
      g_value_set_string (value, self->artist);
      break;
    case PROP_FRACTION:
      g_value_set_double (value, self->fraction);
      break;
    case PROP_STATE:
      g_value_set_enum (value, self->state);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
vigil_job_song_set_property (GObject      *object,
                             guint         prop_id,
                             const GValue *value,
                             GParamSpec   *pspec)
{
  VigilJobSong *self = VIGIL_JOB_SONG (object);

  switch (prop_id)
    {
    case PROP_ID:
      vigil_job_song_set_id (self, g_value_get_int64 (value));
      break;
    case PROP_TITLE:
      vigil_job_song_set_title (self, g_value_get_string (value));
      break;
    case PROP_ARTIST:
      vigil_job_song_set_artist (self, g_value_get_string (value));
      break;
    case PROP_FRACTION:
      vigil_job_song_set_fraction (self, g_value_get_double (value));
      break;
    case PROP_STATE:
      vigil_job_song_set_state (self, g_value_get_enum (value));
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
vigil_job_song_class_init (VigilJobSongClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GParamFlags flags = G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS;

  object_class->finalize = vigil_job_song_finalize;
  object_class->get_property = vigil_job_song_get_property;
  object_class->set_property = vigil_job_song_set_property;

  properties[PROP_ID] =
    g_param_spec_int64 ("id", NULL, NULL, -1, G_MAXINT64, -1, flags);
  properties[PROP_TITLE] =
    g_param_spec_string ("title", NULL, NULL, NULL, flags);
  properties[PROP_ARTIST] =
    g_param_spec_string ("artist", NULL, NULL, NULL, flags);
  properties[PROP_FRACTION] =
    g_param_spec_double ("fraction", NULL, NULL, -1.0, 1.0, -1.0, flags);
  properties[PROP_STATE] =
    g_param_spec_enum ("state", NULL, NULL,
                       VIGIL_TYPE_SONG_STATE, VIGIL_SONG_STATE_WAITING, flags);

  g_object_class_install_properties (object_class, N_PROPS, properties);
}

static void
vigil_job_song_init (VigilJobSong *self)
{
  self->id = -1;
  self->fraction = -1.0;
  self->state = VIGIL_SONG_STATE_WAITING;
}

/* ------------------------------------------------------------------ */
/* Public API                                                          */
/* ------------------------------------------------------------------ */

VigilJobSong *
vigil_job_song_new (gint64      id,
                    const char *title,
                    const char *artist)
{
  return g_object_new (VIGIL_TYPE_JOB_SONG,
                       "id", MAX (id, -1),
                       "title", title,
                       "artist", artist,
                       NULL);
}

gint64
vigil_job_song_get_id (VigilJobSong *self)
{
  g_return_val_if_fail (VIGIL_IS_JOB_SONG (self), -1);

  return self->id;
}

void
vigil_job_song_set_id (VigilJobSong *self,
                       gint64        id)
{
  g_return_if_fail (VIGIL_IS_JOB_SONG (self));

  id = MAX (id, -1);
  if (self->id == id)
    return;

  self->id = id;
  notify (self, PROP_ID);
}

const char *
vigil_job_song_get_title (VigilJobSong *self)
{
  g_return_val_if_fail (VIGIL_IS_JOB_SONG (self), NULL);

  return self->title;
}

void
vigil_job_song_set_title (VigilJobSong *self,
                          const char   *title)
{
  g_return_if_fail (VIGIL_IS_JOB_SONG (self));

  if (vigil_replace_str (&self->title, title))
    notify (self, PROP_TITLE);
}

const char *
vigil_job_song_get_artist (VigilJobSong *self)
{
  g_return_val_if_fail (VIGIL_IS_JOB_SONG (self), NULL);

  return self->artist;
}

void
vigil_job_song_set_artist (VigilJobSong *self,
                           const char   *artist)
{
  g_return_if_fail (VIGIL_IS_JOB_SONG (self));

  if (vigil_replace_str (&self->artist, artist))
    notify (self, PROP_ARTIST);
}

double
vigil_job_song_get_fraction (VigilJobSong *self)
{
  g_return_val_if_fail (VIGIL_IS_JOB_SONG (self), -1.0);

  return self->fraction;
}

void
vigil_job_song_set_fraction (VigilJobSong *self,
                             double        fraction)
{
  g_return_if_fail (VIGIL_IS_JOB_SONG (self));

  /* negative or NaN is "unknown"; above 1 is noise */
  if (!(fraction >= 0.0))
    fraction = -1.0;
  else if (fraction > 1.0)
    fraction = 1.0;

  if (self->fraction == fraction)
    return;

  self->fraction = fraction;
  notify (self, PROP_FRACTION);
}

VigilSongState
vigil_job_song_get_state (VigilJobSong *self)
{
  g_return_val_if_fail (VIGIL_IS_JOB_SONG (self), VIGIL_SONG_STATE_WAITING);

  return self->state;
}

void
vigil_job_song_set_state (VigilJobSong   *self,
                          VigilSongState  state)
{
  g_return_if_fail (VIGIL_IS_JOB_SONG (self));

  if (self->state == state)
    return;

  self->state = state;
  notify (self, PROP_STATE);
}
