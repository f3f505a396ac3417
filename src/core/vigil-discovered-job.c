/* vigil-discovered-job.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include "vigil-job-text.h"

#include "vigil-discovered-job.h"

struct _VigilDiscoveredJob
{
  GObject       parent_instance;

  char         *job_id;
  VigilJobKind  kind;
  gint64        target_id;
  char         *title;
  char         *song_title;
  char         *artist;
  char         *playlist_name;
  double        fraction;
  gint64        completed_items;
  gint64        total_items;
  char         *progress_text;
};

enum {
  PROP_0,
  PROP_JOB_ID,
  PROP_KIND,
  PROP_TARGET_ID,
  PROP_TITLE,
  PROP_FRACTION,
  PROP_COMPLETED_ITEMS,
  PROP_TOTAL_ITEMS,
  PROP_PROGRESS_TEXT,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

G_DEFINE_FINAL_TYPE (VigilDiscoveredJob, vigil_discovered_job, G_TYPE_OBJECT)

/* ------------------------------------------------------------------ */
/* Helpers                                                             */
/* ------------------------------------------------------------------ */

static void
set_string (VigilDiscoveredJob  *self,
            char               **field,
            char                *value,
            int                  prop)
{
  g_autofree char *owned = value;

  if (g_strcmp0 (*field, owned) == 0)
    return;
  g_free (*field);
  *field = g_steal_pointer (&owned);
  if (prop != PROP_0)
    g_object_notify_by_pspec (G_OBJECT (self), properties[prop]);
}

static void
set_int64 (VigilDiscoveredJob *self,
           gint64             *field,
           gint64              value,
           int                 prop)
{
  if (*field == value)
    return;
  *field = value;
  g_object_notify_by_pspec (G_OBJECT (self), properties[prop]);
}

static void
update_texts (VigilDiscoveredJob *self)
{
  set_string (self, &self->title,
              vigil_job_text_title (self->kind, self->target_id, self->song_title,
                                    self->artist, self->playlist_name),
              PROP_TITLE);
  set_string (self, &self->progress_text,
              vigil_job_text_progress (self->fraction, MAX (self->completed_items, 0),
                                       MAX (self->total_items, 0)),
              PROP_PROGRESS_TEXT);
}

static void
set_kind (VigilDiscoveredJob *self,
          VigilJobKind        kind)
{
  if (kind == VIGIL_JOB_KIND_UNKNOWN || kind == self->kind)
    return;
  self->kind = kind;
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_KIND]);
}

static void
set_fraction (VigilDiscoveredJob *self,
              double              fraction)
{
  if (fraction < 0 || fraction == self->fraction)
    return;
  self->fraction = CLAMP (fraction, 0.0, 1.0);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_FRACTION]);
}

/* ------------------------------------------------------------------ */
/* GObject                                                             */
/* ------------------------------------------------------------------ */

static void
vigil_discovered_job_finalize (GObject *object)
{
  VigilDiscoveredJob *self = VIGIL_DISCOVERED_JOB (object);

  g_free (self->job_id);
  g_free (self->title);
  g_free (self->song_title);
  g_free (self->artist);
  g_free (self->playlist_name);
  g_free (self->progress_text);

  G_OBJECT_CLASS (vigil_discovered_job_parent_class)->finalize (object);
}

static void
vigil_discovered_job_get_property (GObject    *object,
                                   guint       prop_id,
                                   GValue     *value,
                                   GParamSpec *pspec)
{
  VigilDiscoveredJob *self = VIGIL_DISCOVERED_JOB (object);

  switch (prop_id)
    {
    case PROP_JOB_ID: g_value_set_string (value, self->job_id); break;
    case PROP_KIND: g_value_set_enum (value, self->kind); break;
    case PROP_TARGET_ID: g_value_set_int64 (value, self->target_id); break;
    case PROP_TITLE: g_value_set_string (value, self->title); break;
    case PROP_FRACTION: g_value_set_double (value, self->fraction); break;
    case PROP_COMPLETED_ITEMS: g_value_set_int64 (value, self->completed_items); break;
    case PROP_TOTAL_ITEMS: g_value_set_int64 (value, self->total_items); break;
    case PROP_PROGRESS_TEXT: g_value_set_string (value, self->progress_text); break;
    default: G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
vigil_discovered_job_class_init (VigilDiscoveredJobClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GParamFlags flags = G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS;

  object_class->finalize = vigil_discovered_job_finalize;
  object_class->get_property = vigil_discovered_job_get_property;

  properties[PROP_JOB_ID] = g_param_spec_string ("job-id", NULL, NULL, NULL, flags);
  properties[PROP_KIND] = g_param_spec_enum ("kind", NULL, NULL, VIGIL_TYPE_JOB_KIND,
                                             VIGIL_JOB_KIND_UNKNOWN, flags);
  properties[PROP_TARGET_ID] = g_param_spec_int64 ("target-id", NULL, NULL, -1, G_MAXINT64, -1,
                                                   flags);
  properties[PROP_TITLE] = g_param_spec_string ("title", NULL, NULL, NULL, flags);
  properties[PROP_FRACTION] = g_param_spec_double ("fraction", NULL, NULL, -1.0, 1.0, -1.0, flags);
  properties[PROP_COMPLETED_ITEMS] = g_param_spec_int64 ("completed-items", NULL, NULL,
                                                         -1, G_MAXINT64, -1, flags);
  properties[PROP_TOTAL_ITEMS] = g_param_spec_int64 ("total-items", NULL, NULL,
                                                     -1, G_MAXINT64, -1, flags);
  properties[PROP_PROGRESS_TEXT] = g_param_spec_string ("progress-text", NULL, NULL, NULL, flags);
  g_object_class_install_properties (object_class, N_PROPS, properties);
}

static void
vigil_discovered_job_init (VigilDiscoveredJob *self)
{
  self->target_id = -1;
  self->fraction = VIGIL_UNKNOWN;
  self->completed_items = -1;
  self->total_items = -1;
}

/* ------------------------------------------------------------------ */
/* Public API                                                          */
/* ------------------------------------------------------------------ */

VigilDiscoveredJob *
vigil_discovered_job_new (const char *job_id)
{
  VigilDiscoveredJob *self;

  g_return_val_if_fail (job_id != NULL, NULL);

  self = g_object_new (VIGIL_TYPE_DISCOVERED_JOB, NULL);
  self->job_id = g_strdup (job_id);
  update_texts (self);
  return self;
}

#define GETTER(type, name, field, fallback)                              \
  type                                                                   \
  vigil_discovered_job_get_##name (VigilDiscoveredJob *self)             \
  {                                                                      \
    g_return_val_if_fail (VIGIL_IS_DISCOVERED_JOB (self), fallback);     \
    return self->field;                                                  \
  }

GETTER (const char *, job_id, job_id, NULL)
GETTER (VigilJobKind, kind, kind, VIGIL_JOB_KIND_UNKNOWN)
GETTER (gint64, target_id, target_id, -1)
GETTER (const char *, title, title, NULL)
GETTER (double, fraction, fraction, VIGIL_UNKNOWN)
GETTER (gint64, completed_items, completed_items, -1)
GETTER (gint64, total_items, total_items, -1)
GETTER (const char *, progress_text, progress_text, NULL)

void
vigil_discovered_job_apply_progress (VigilDiscoveredJob  *self,
                                     const VigilProgress *progress)
{
  g_return_if_fail (VIGIL_IS_DISCOVERED_JOB (self));
  g_return_if_fail (progress != NULL);

  g_object_freeze_notify (G_OBJECT (self));
  set_kind (self, progress->kind);
  set_fraction (self, progress->fraction);
  if (progress->total_items > 0)
    {
      set_int64 (self, &self->total_items, progress->total_items, PROP_TOTAL_ITEMS);
      set_int64 (self, &self->completed_items, CLAMP (progress->completed_items, 0,
                                                      progress->total_items),
                 PROP_COMPLETED_ITEMS);
    }
  /* a song job names its song while it runs */
  if (progress->kind == VIGIL_JOB_KIND_SONG && progress->current_song != NULL)
    {
      set_string (self, &self->song_title, g_strdup (progress->current_song->title), PROP_0);
      set_string (self, &self->artist, g_strdup (progress->current_song->artist), PROP_0);
    }
  update_texts (self);
  g_object_thaw_notify (G_OBJECT (self));
}

void
vigil_discovered_job_apply_record (VigilDiscoveredJob   *self,
                                   const VigilJobRecord *record)
{
  g_return_if_fail (VIGIL_IS_DISCOVERED_JOB (self));
  g_return_if_fail (record != NULL);

  g_object_freeze_notify (G_OBJECT (self));
  set_kind (self, record->kind);
  if (record->target_id >= 0)
    set_int64 (self, &self->target_id, record->target_id, PROP_TARGET_ID);
  if (record->song_title != NULL)
    {
      set_string (self, &self->song_title, g_strdup (record->song_title), PROP_0);
      set_string (self, &self->artist, g_strdup (record->artist), PROP_0);
    }
  if (record->playlist_name != NULL)
    set_string (self, &self->playlist_name, g_strdup (record->playlist_name), PROP_0);
  if (record->progress != NULL)
    vigil_discovered_job_apply_progress (self, record->progress);
  else
    set_fraction (self, record->fraction);
  update_texts (self);
  g_object_thaw_notify (G_OBJECT (self));
}
