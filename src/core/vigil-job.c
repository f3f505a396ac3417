/* vigil-job.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <string.h>

#include "vigil-eta.h"
#include "vigil-job-song-list.h"
#include "vigil-job-text.h"
#include "vigil-reader.h"
#include "vigil-util-private.h"

#include "vigil-job.h"

/* What few jobs have (trouble, an end, a job record), kept apart and made
 * the first time one of them is set to something else than its default:
 * ten thousand tracked jobs mostly have none of it. */
typedef struct
{
  char               *playlist_name;
  char               *tracking_error;
  char               *error_message;
  GDateTime          *created_at;
  GDateTime          *finished_at;
  gint64              failing_since;
  guint               retry_interval;
} JobExtra;

/* Ten thousand of these may be tracked: fields are packed (small enums in
 * a byte, flags in bits), the server's name and host are interned (one
 * copy for all jobs of a server), and the rarely set ones are in JobExtra. */
struct _VigilJob
{
  GObject             parent_instance;

  char               *job_id;
  char               *title;

  /* what the server called things */
  char               *song_title;
  char               *artist;

  char               *message;       /* its buffer holds message_size bytes */
  const char         *server_host;   /* interned */
  const char         *server_name;   /* interned */
  GDateTime          *started_at;
  JobExtra           *extra;         /* NULL while every field in it is at its default */
  VigilJobSongList   *songs;         /* NULL until the job has songs or a view asks */

  gint64              target_id;
  double              fraction;
  double              eta_seconds;
  gint64              completed_items;
  gint64              total_items;
  guint64             sequence;      /* set by the tracker that lists the job */

  guint32             message_size;
  guint8              kind;          /* VigilJobKind */
  guint8              server_state;  /* VigilServerState */
  guint8              tracking_state; /* VigilTrackingState */
  guint8              step;          /* VigilStep */
  guint               title_explicit : 1;
  guint               batching : 1;    /* this update's notifications wait for its end */
  guint               unheard : 1;     /* this update has nobody to notify */
  guint               title_stale : 1; /* kind or target changed since the title was made */
  guint               seen : 1;        /* the server answered with a record or progress */

  VigilEtaEstimator   eta;           /* what the records said over time */
};

enum {
  PROP_0,
  PROP_JOB_ID,
  PROP_KIND,
  PROP_TARGET_ID,
  PROP_TITLE,
  PROP_SERVER_STATE,
  PROP_TRACKING_STATE,
  PROP_TRACKING_ERROR,
  PROP_SERVER_HOST,
  PROP_SERVER_NAME,
  PROP_FAILING_SINCE,
  PROP_RETRY_INTERVAL,
  PROP_FRACTION,
  PROP_STEP,
  PROP_MESSAGE,
  PROP_ETA_SECONDS,
  PROP_ERROR_MESSAGE,
  PROP_COMPLETED_ITEMS,
  PROP_TOTAL_ITEMS,
  PROP_CREATED_AT,
  PROP_STARTED_AT,
  PROP_FINISHED_AT,
  PROP_IS_FINISHED,
  PROP_SONGS,
  PROP_SEQUENCE,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

G_DEFINE_FINAL_TYPE (VigilJob, vigil_job, G_TYPE_OBJECT)

/* ------------------------------------------------------------------ */
/* Field updates: each notifies only when the value changes            */
/* ------------------------------------------------------------------ */

/* Inside an update nobody hears, a notification is not even sent: GLib
 * would only find no handler, and most jobs of a long list have no row.
 * (The handlers are looked up once, at the update's start: nothing runs
 * between that and its end that could connect one.) */
static void
notify (VigilJob *self,
        guint     prop)
{
  if (self->unheard)
    return;
  g_object_notify_by_pspec (G_OBJECT (self), properties[prop]);
}

/* One batch of notifications per answer applied, for whoever listens:
 * freezing costs more than the notifications (GLib skips those nobody hears),
 * and most jobs of a long list have no row. */
static void
begin_update (VigilJob *self)
{
  self->batching = vigil_has_notify_listeners (self);
  self->unheard = !self->batching;
  if (self->batching)
    g_object_freeze_notify (G_OBJECT (self));
}

static void
end_update (VigilJob *self)
{
  if (self->batching)
    g_object_thaw_notify (G_OBJECT (self));
  self->batching = FALSE;
  self->unheard = FALSE;
}

static void
update_string (VigilJob    *self,
               char       **field,
               const char  *value,
               guint        prop)
{
  if (vigil_replace_str (field, value))
    notify (self, prop);
}

/* Server names and hosts: a few distinct values for thousands of jobs. */
static void
update_interned (VigilJob    *self,
                 const char **field,
                 const char  *value,
                 guint        prop)
{
  value = g_intern_string (value);
  if (*field == value)
    return;

  *field = value;
  notify (self, prop);
}

/* The server's message changes on most polls: it is copied into the
 * buffer the last one used when it fits, not allocated again. Compared
 * once (the caller knows whether it is the same). */
static void
update_message (VigilJob   *self,
                const char *message,
                gboolean    same)
{
  gsize size;

  g_assert (message != NULL);

  if (same)
    return;

  size = strlen (message) + 1;
  if (size > self->message_size)
    {
      /* what malloc gives anyway: chunks are 16-byte multiples with an
       * 8-byte header */
      gsize room = ((size + 8 + 15) & ~(gsize) 15) - 8;

      g_free (self->message);
      self->message = NULL;
      self->message_size = 0;
      if (room > G_MAXUINT32)
        {
          self->message = g_strdup (message);
          notify (self, PROP_MESSAGE);
          return;
        }
      self->message = g_malloc (room);
      self->message_size = (guint32) room;
    }
  memcpy (self->message, message, size);
  notify (self, PROP_MESSAGE);
}

static JobExtra *
ensure_extra (VigilJob *self)
{
  if (self->extra == NULL)
    self->extra = g_new0 (JobExtra, 1);
  return self->extra;
}

static void
job_extra_free (JobExtra *extra)
{
  g_free (extra->playlist_name);
  g_free (extra->tracking_error);
  g_free (extra->error_message);
  g_clear_pointer (&extra->created_at, g_date_time_unref);
  g_clear_pointer (&extra->finished_at, g_date_time_unref);
  g_free (extra);
}

#define EXTRA_FIELD(self, member) \
  ((gpointer) &ensure_extra (self)->member)

static void
update_extra_string (VigilJob   *self,
                     gsize       offset,
                     const char *value,
                     guint       prop)
{
  /* NULL is the default: nothing to make the extra part for */
  if (value == NULL && self->extra == NULL)
    return;
  update_string (self, G_STRUCT_MEMBER_P (ensure_extra (self), offset), value, prop);
}

static void
update_double (VigilJob *self,
               double   *field,
               double    value,
               guint     prop)
{
  if (*field == value)
    return;

  *field = value;
  notify (self, prop);
}

static void
update_int64 (VigilJob *self,
              gint64   *field,
              gint64    value,
              guint     prop)
{
  if (*field == value)
    return;

  *field = value;
  notify (self, prop);
}

static void
update_date (VigilJob   *self,
             GDateTime **field,
             GDateTime  *value,
             guint       prop)
{
  if (*field == value || (*field != NULL && value != NULL && g_date_time_equal (*field, value)))
    return;

  g_clear_pointer (field, g_date_time_unref);
  *field = value != NULL ? g_date_time_ref (value) : NULL;
  notify (self, prop);
}

static void
update_extra_date (VigilJob  *self,
                   gsize      offset,
                   GDateTime *value,
                   guint      prop)
{
  if (value == NULL && self->extra == NULL)
    return;
  update_date (self, G_STRUCT_MEMBER_P (ensure_extra (self), offset), value, prop);
}

static void
update_step (VigilJob  *self,
             VigilStep  step)
{
  if (self->step == step)
    return;

  self->step = step;
  notify (self, PROP_STEP);
}

static gboolean
is_finished_state (VigilServerState state)
{
  return state == VIGIL_SERVER_STATE_SUCCEEDED ||
         state == VIGIL_SERVER_STATE_FAILED ||
         state == VIGIL_SERVER_STATE_LOST ||
         state == VIGIL_SERVER_STATE_NOT_FOUND;
}

/* SUCCEEDED and FAILED are final; LOST and NOT_FOUND are not (the server
 * may know the job again behind another load-balanced process). */
static gboolean
is_done (VigilJob *self)
{
  return self->server_state == VIGIL_SERVER_STATE_SUCCEEDED ||
         self->server_state == VIGIL_SERVER_STATE_FAILED;
}

/* ------------------------------------------------------------------ */
/* Title                                                               */
/* ------------------------------------------------------------------ */

/* A caller's title stays until the server names the song or playlist. */
static void
refresh_title (VigilJob *self,
               gboolean  named)
{
  g_autofree char *title = NULL;

  if (self->title_explicit && !named)
    return;
  /* The title depends only on names, kind and target: most polls change
   * none of them, and formatting it (gettext, printf) is the costliest part
   * of an update. */
  if (!named && !self->title_stale && self->title != NULL)
    return;

  self->title_explicit = FALSE;
  self->title_stale = FALSE;
  title = vigil_job_text_title (self->kind, self->target_id, self->song_title, self->artist,
                                self->extra != NULL ? self->extra->playlist_name : NULL);
  update_string (self, &self->title, title, PROP_TITLE);
}

static gboolean
learn_names (VigilJob   *self,
             const char *song_title,
             const char *artist,
             const char *playlist_name)
{
  gboolean changed = FALSE;

  if (song_title != NULL && song_title[0] != '\0')
    changed |= vigil_replace_str (&self->song_title, song_title);
  if (artist != NULL && artist[0] != '\0')
    changed |= vigil_replace_str (&self->artist, artist);
  if (playlist_name != NULL && playlist_name[0] != '\0')
    changed |= vigil_replace_str (EXTRA_FIELD (self, playlist_name), playlist_name);

  return changed;
}

static void
learn_identity (VigilJob     *self,
                VigilJobKind  kind,
                gint64        target_id)
{
  if (self->kind == VIGIL_JOB_KIND_UNKNOWN && kind != VIGIL_JOB_KIND_UNKNOWN)
    {
      self->kind = kind;
      self->title_stale = TRUE;
      notify (self, PROP_KIND);
    }

  if (self->target_id < 0 && target_id >= 0)
    {
      self->title_stale = TRUE;
      update_int64 (self, &self->target_id, target_id, PROP_TARGET_ID);
    }
}

/* ------------------------------------------------------------------ */
/* ETA                                                                 */
/* ------------------------------------------------------------------ */

/* The estimator weighs the server's eta_seconds against the job's own pace. */
static void
update_eta (VigilJob *self,
            gint64    now_us)
{
  double eta = vigil_eta_estimator_estimate (&self->eta, now_us);

  update_double (self, &self->eta_seconds, eta, PROP_ETA_SECONDS);
}

/* ------------------------------------------------------------------ */
/* Fraction                                                            */
/* ------------------------------------------------------------------ */

/* Production servers keep one-song jobs at 0 until done and move only
 * step_progress (0 → 0.3 → 0.7 → 1). */
static double
display_fraction (VigilJob            *self,
                  const VigilProgress *p)
{
  double fraction = p->fraction;

  if (fraction < 0 && p->total_items > 0)
    fraction = (double) CLAMP (p->completed_items, 0, p->total_items) / p->total_items;

  if (self->kind == VIGIL_JOB_KIND_SONG || p->total_items <= 1)
    fraction = MAX (fraction, p->step_progress);

  return MIN (fraction, 1.0);
}

/* Never backwards while running: servers are noisy. Unknown keeps the
 * last known value. */
static void
update_running_fraction (VigilJob *self,
                         double    fraction,
                         gint64    now_us)
{
  if (!(fraction >= 0) || fraction < self->fraction)
    return;

  update_double (self, &self->fraction, fraction, PROP_FRACTION);
}

/* ------------------------------------------------------------------ */
/* Songs                                                               */
/* ------------------------------------------------------------------ */

/* Ten thousand tracked song jobs need no song list: it is made when a
 * playlist first names its songs, or when a view asks for it; and its rows
 * only when a view asks (vigil-job-song-list.c keeps them compact until). */
static GListStore *
ensure_songs (VigilJob *self)
{
  if (self->songs == NULL)
    self->songs = vigil_job_song_list_new ();
  return vigil_job_song_list_get_store (self->songs);
}

/* same_message: the record's message is the one the job had before it */
static void
sync_songs (VigilJob            *self,
            const VigilProgress *p,
            gboolean             same_message)
{
  if (self->songs == NULL && !vigil_job_song_list_has_rows (self->kind, p))
    return;

  if (self->songs == NULL)
    self->songs = vigil_job_song_list_new ();
  vigil_job_song_list_sync_again (self->songs, self->kind, p, same_message);
}

static void
finish_songs (VigilJob       *self,
              VigilSongState  from,
              VigilSongState  to)
{
  if (self->songs != NULL)
    vigil_job_song_list_finish (self->songs, from, to);
}

/* ------------------------------------------------------------------ */
/* Server state                                                        */
/* ------------------------------------------------------------------ */

static void
on_succeeded (VigilJob *self)
{
  /* The progress record is deleted as the last song ends: its last count
   * is one short. */
  update_int64 (self, &self->completed_items, self->total_items, PROP_COMPLETED_ITEMS);
  update_double (self, &self->fraction, 1.0, PROP_FRACTION);
  update_step (self, VIGIL_STEP_COMPLETE);
  update_extra_string (self, G_STRUCT_OFFSET (JobExtra, error_message), NULL, PROP_ERROR_MESSAGE);
  finish_songs (self, VIGIL_SONG_STATE_DONE, VIGIL_SONG_STATE_DONE);
}

static void
on_finished (VigilJob *self)
{
  if (self->extra == NULL || self->extra->finished_at == NULL)
    {
      /* the server gives no finish time: this is when Vigil saw it */
      g_autoptr(GDateTime) now = g_date_time_new_now_utc ();

      update_extra_date (self, G_STRUCT_OFFSET (JobExtra, finished_at), now, PROP_FINISHED_AT);
    }

  update_double (self, &self->eta_seconds, VIGIL_UNKNOWN, PROP_ETA_SECONDS);
  vigil_eta_estimator_reset (&self->eta);

  if (self->server_state == VIGIL_SERVER_STATE_SUCCEEDED)
    on_succeeded (self);
  else if (self->server_state == VIGIL_SERVER_STATE_FAILED)
    finish_songs (self, VIGIL_SONG_STATE_ANALYZING, VIGIL_SONG_STATE_FAILED);
}

static void
on_revived (VigilJob *self)
{
  update_extra_date (self, G_STRUCT_OFFSET (JobExtra, finished_at), NULL, PROP_FINISHED_AT);
  update_extra_string (self, G_STRUCT_OFFSET (JobExtra, error_message), NULL, PROP_ERROR_MESSAGE);
}

static void
enter_state (VigilJob         *self,
             VigilServerState  state)
{
  gboolean was_finished = is_finished_state (self->server_state);

  if (state == self->server_state || (is_done (self) && !is_finished_state (state)))
    return;

  self->server_state = state;
  notify (self, PROP_SERVER_STATE);

  if (was_finished != is_finished_state (state))
    notify (self, PROP_IS_FINISHED);

  if (is_finished_state (state))
    on_finished (self);
  else if (was_finished)
    on_revived (self);
}

static void
enter_failed (VigilJob       *self,
              VigilJobStatus  status,
              const char     *error_message)
{
  if (error_message == NULL || error_message[0] == '\0')
    error_message = vigil_job_text_default_failure (status);

  update_extra_string (self, G_STRUCT_OFFSET (JobExtra, error_message), error_message,
                       PROP_ERROR_MESSAGE);
  enter_state (self, VIGIL_SERVER_STATE_FAILED);
}

/* ------------------------------------------------------------------ */
/* Applying server answers                                             */
/* ------------------------------------------------------------------ */

static gboolean
learn_song_from_progress (VigilJob            *self,
                          const VigilProgress *p)
{
  g_autofree char *title = NULL;
  g_autofree char *artist = NULL;

  /* a job record's names win over what a progress message suggests */
  if (self->kind != VIGIL_JOB_KIND_SONG || self->song_title != NULL)
    return FALSE;

  if (p->current_song != NULL && p->current_song->title != NULL)
    return learn_names (self, p->current_song->title, p->current_song->artist, NULL);

  if (!vigil_reader_parse_song_message (p->message, &title, &artist))
    return FALSE;

  return learn_names (self, title, artist, NULL);
}

/* Everything a progress object says, except the state. */
static gboolean
apply_progress_fields (VigilJob            *self,
                       const VigilProgress *p,
                       gint64               now_us)
{
  double fraction;
  gboolean same_message;

  g_assert (VIGIL_IS_JOB (self));
  g_assert (p != NULL);

  same_message = p->message != NULL && g_strcmp0 (p->message, self->message) == 0;
  learn_identity (self, p->kind, -1);

  if (self->started_at == NULL)
    update_date (self, &self->started_at, p->start_time, PROP_STARTED_AT);

  update_int64 (self, &self->completed_items, MAX (p->completed_items, 0), PROP_COMPLETED_ITEMS);
  update_int64 (self, &self->total_items, MAX (p->total_items, 0), PROP_TOTAL_ITEMS);
  update_step (self, p->step);
  if (p->message != NULL)
    update_message (self, p->message, same_message);

  fraction = display_fraction (self, p);
  vigil_eta_estimator_set_items_may_grow (&self->eta, self->kind == VIGIL_JOB_KIND_PLAYLIST ||
                                                      self->kind == VIGIL_JOB_KIND_BACKGROUND);
  vigil_eta_estimator_add_progress (&self->eta, now_us, fraction,
                                    p->completed_items, p->total_items, p->eta_seconds);
  update_running_fraction (self, fraction, now_us);
  update_eta (self, now_us);
  sync_songs (self, p, same_message);

  return learn_song_from_progress (self, p);
}

static void
enter_state_from_progress (VigilJob            *self,
                           const VigilProgress *p)
{
  if (vigil_job_status_is_failure (p->status))
    enter_failed (self, p->status, NULL);
  else if (vigil_progress_is_terminal (p))
    enter_state (self, VIGIL_SERVER_STATE_SUCCEEDED);
  else
    enter_state (self, VIGIL_SERVER_STATE_RUNNING);
}

static void
enter_state_from_record (VigilJob             *self,
                         const VigilJobRecord *r)
{
  switch (r->status)
    {
    case VIGIL_JOB_STATUS_PENDING:
      enter_state (self, VIGIL_SERVER_STATE_QUEUED);
      break;
    case VIGIL_JOB_STATUS_IN_PROGRESS:
      enter_state (self, VIGIL_SERVER_STATE_RUNNING);
      break;
    case VIGIL_JOB_STATUS_COMPLETED:
    case VIGIL_JOB_STATUS_FAILED:
    case VIGIL_JOB_STATUS_INTERRUPTED:
    case VIGIL_JOB_STATUS_CANCELLED:
      if (vigil_job_record_is_failure (r))
        enter_failed (self, r->status, r->error_message);
      else
        enter_state (self, VIGIL_SERVER_STATE_SUCCEEDED);
      break;
    case VIGIL_JOB_STATUS_UNKNOWN:
    default:
      if (r->progress != NULL)
        enter_state_from_progress (self, r->progress);
      break;
    }
}

static gboolean
apply_record_fields (VigilJob             *self,
                     const VigilJobRecord *r,
                     gint64                now_us)
{
  gboolean named;

  g_assert (VIGIL_IS_JOB (self));
  g_assert (r != NULL);

  learn_identity (self, r->kind, r->target_id);
  update_extra_date (self, G_STRUCT_OFFSET (JobExtra, created_at), r->created_at, PROP_CREATED_AT);
  if (r->started_at != NULL)
    update_date (self, &self->started_at, r->started_at, PROP_STARTED_AT);

  named = learn_names (self, r->song_title, r->artist, r->playlist_name);
  if (is_done (self))
    return named;

  if (r->progress != NULL)
    named |= apply_progress_fields (self, r->progress, now_us);
  else if (r->status == VIGIL_JOB_STATUS_IN_PROGRESS)
    {
      vigil_eta_estimator_add_progress (&self->eta, now_us, r->fraction, -1, -1, VIGIL_UNKNOWN);
      update_running_fraction (self, r->fraction, now_us);
      update_eta (self, now_us);
    }

  return named;
}

/* ------------------------------------------------------------------ */
/* GObject                                                             */
/* ------------------------------------------------------------------ */

static void
vigil_job_constructed (GObject *object)
{
  VigilJob *self = VIGIL_JOB (object);

  G_OBJECT_CLASS (vigil_job_parent_class)->constructed (object);

  refresh_title (self, FALSE);
}

static void
vigil_job_dispose (GObject *object)
{
  VigilJob *self = VIGIL_JOB (object);

  g_clear_pointer (&self->songs, vigil_job_song_list_free);

  G_OBJECT_CLASS (vigil_job_parent_class)->dispose (object);
}

static void
vigil_job_finalize (GObject *object)
{
  VigilJob *self = VIGIL_JOB (object);

  g_free (self->job_id);
  g_free (self->title);
  g_free (self->song_title);
  g_free (self->artist);
  g_free (self->message);
  g_clear_pointer (&self->started_at, g_date_time_unref);
  g_clear_pointer (&self->extra, job_extra_free);

  G_OBJECT_CLASS (vigil_job_parent_class)->finalize (object);
}

static void
vigil_job_get_property (GObject    *object,
                        guint       prop_id,
                        GValue     *value,
                        GParamSpec *pspec)
{
  VigilJob *self = VIGIL_JOB (object);

  switch (prop_id)
    {
    case PROP_JOB_ID:
      g_value_set_string (value, self->job_id);
      break;
    case PROP_KIND:
      g_value_set_enum (value, self->kind);
      break;
    case PROP_TARGET_ID:
      g_value_set_int64 (value, self->target_id);
      break;
    case PROP_TITLE:
      g_value_set_string (value, self->title);
      break;
    case PROP_SERVER_STATE:
      g_value_set_enum (value, self->server_state);
      break;
    case PROP_TRACKING_STATE:
      g_value_set_enum (value, self->tracking_state);
      break;
    case PROP_TRACKING_ERROR:
      g_value_set_string (value, vigil_job_get_tracking_error (self));
      break;
    case PROP_SERVER_HOST:
      g_value_set_string (value, self->server_host);
      break;
    case PROP_SERVER_NAME:
      g_value_set_string (value, self->server_name);
      break;
    case PROP_FAILING_SINCE:
      g_value_set_int64 (value, vigil_job_get_failing_since (self));
      break;
    case PROP_RETRY_INTERVAL:
      g_value_set_uint (value, vigil_job_get_retry_interval (self));
      break;
    case PROP_FRACTION:
      g_value_set_double (value, self->fraction);
      break;
    case PROP_STEP:
      g_value_set_enum (value, self->step);
      break;
    case PROP_MESSAGE:
      g_value_set_string (value, self->message);
      break;
    case PROP_ETA_SECONDS:
      g_value_set_double (value, self->eta_seconds);
      break;
    case PROP_ERROR_MESSAGE:
      g_value_set_string (value, vigil_job_get_error_message (self));
      break;
    case PROP_COMPLETED_ITEMS:
      g_value_set_int64 (value, self->completed_items);
      break;
    case PROP_TOTAL_ITEMS:
      g_value_set_int64 (value, self->total_items);
      break;
    case PROP_CREATED_AT:
      g_value_set_boxed (value, vigil_job_get_created_at (self));
      break;
    case PROP_STARTED_AT:
      g_value_set_boxed (value, self->started_at);
      break;
    case PROP_FINISHED_AT:
      g_value_set_boxed (value, vigil_job_get_finished_at (self));
      break;
    case PROP_IS_FINISHED:
      g_value_set_boolean (value, vigil_job_get_is_finished (self));
      break;
    case PROP_SONGS:
      g_value_set_object (value, ensure_songs (self));
      break;
    case PROP_SEQUENCE:
      g_value_set_uint64 (value, self->sequence);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
vigil_job_set_property (GObject      *object,
                        guint         prop_id,
                        const GValue *value,
                        GParamSpec   *pspec)
{
  VigilJob *self = VIGIL_JOB (object);

  switch (prop_id)
    {
    case PROP_JOB_ID:
      self->job_id = g_value_dup_string (value);
      break;
    case PROP_KIND:
      self->kind = g_value_get_enum (value);
      break;
    case PROP_TARGET_ID:
      self->target_id = g_value_get_int64 (value);
      break;
    case PROP_TITLE:
      vigil_job_set_title (self, g_value_get_string (value));
      break;
    case PROP_TRACKING_STATE:
      vigil_job_set_tracking_state (self, g_value_get_enum (value));
      break;
    case PROP_TRACKING_ERROR:
      vigil_job_set_tracking_error (self, g_value_get_string (value));
      break;
    case PROP_SERVER_HOST:
      vigil_job_set_server_host (self, g_value_get_string (value));
      break;
    case PROP_SERVER_NAME:
      vigil_job_set_server_name (self, g_value_get_string (value));
      break;
    case PROP_FAILING_SINCE:
      vigil_job_set_failing_since (self, g_value_get_int64 (value));
      break;
    case PROP_RETRY_INTERVAL:
      vigil_job_set_retry_interval (self, g_value_get_uint (value));
      break;
    case PROP_ERROR_MESSAGE:
      vigil_job_set_error_message (self, g_value_get_string (value));
      break;
    case PROP_SEQUENCE:
      vigil_job_set_sequence (self, g_value_get_uint64 (value));
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
install_enum (guint        prop,
              const char  *name,
              GType        type,
              int          default_value,
              GParamFlags  flags)
{
  properties[prop] = g_param_spec_enum (name, NULL, NULL, type, default_value, flags);
}

static void
install_date (guint       prop,
              const char *name)
{
  properties[prop] = g_param_spec_boxed (name, NULL, NULL, G_TYPE_DATE_TIME,
                                         G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY |
                                         G_PARAM_STATIC_STRINGS);
}

static void
install_properties (GObjectClass *object_class)
{
  GParamFlags ro = G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS;
  GParamFlags rw = G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS;
  GParamFlags co = G_PARAM_READWRITE | G_PARAM_CONSTRUCT_ONLY | G_PARAM_EXPLICIT_NOTIFY |
                   G_PARAM_STATIC_STRINGS;

  properties[PROP_JOB_ID] = g_param_spec_string ("job-id", NULL, NULL, NULL, co);
  install_enum (PROP_KIND, "kind", VIGIL_TYPE_JOB_KIND, VIGIL_JOB_KIND_UNKNOWN, co);
  properties[PROP_TARGET_ID] = g_param_spec_int64 ("target-id", NULL, NULL,
                                                   -1, G_MAXINT64, -1, co);
  properties[PROP_TITLE] = g_param_spec_string ("title", NULL, NULL, NULL, rw);
  install_enum (PROP_SERVER_STATE, "server-state", VIGIL_TYPE_SERVER_STATE,
                VIGIL_SERVER_STATE_QUEUED, ro);
  install_enum (PROP_TRACKING_STATE, "tracking-state", VIGIL_TYPE_TRACKING_STATE,
                VIGIL_TRACKING_STATE_ACTIVE, rw);
  properties[PROP_TRACKING_ERROR] = g_param_spec_string ("tracking-error", NULL, NULL, NULL, rw);
  properties[PROP_SERVER_HOST] = g_param_spec_string ("server-host", NULL, NULL, NULL, rw);
  properties[PROP_SERVER_NAME] = g_param_spec_string ("server-name", NULL, NULL, NULL, rw);
  properties[PROP_FAILING_SINCE] = g_param_spec_int64 ("failing-since", NULL, NULL,
                                                       0, G_MAXINT64, 0, rw);
  properties[PROP_RETRY_INTERVAL] = g_param_spec_uint ("retry-interval", NULL, NULL,
                                                       0, G_MAXUINT, 0, rw);
  properties[PROP_FRACTION] = g_param_spec_double ("fraction", NULL, NULL,
                                                   -1.0, 1.0, -1.0, ro);
  install_enum (PROP_STEP, "step", VIGIL_TYPE_STEP, VIGIL_STEP_OTHER, ro);
  properties[PROP_MESSAGE] = g_param_spec_string ("message", NULL, NULL, NULL, ro);
  properties[PROP_ETA_SECONDS] = g_param_spec_double ("eta-seconds", NULL, NULL,
                                                      -1.0, G_MAXDOUBLE, -1.0, ro);
  properties[PROP_ERROR_MESSAGE] = g_param_spec_string ("error-message", NULL, NULL, NULL, rw);
  properties[PROP_COMPLETED_ITEMS] = g_param_spec_int64 ("completed-items", NULL, NULL,
                                                         0, G_MAXINT64, 0, ro);
  properties[PROP_TOTAL_ITEMS] = g_param_spec_int64 ("total-items", NULL, NULL,
                                                     0, G_MAXINT64, 0, ro);
  install_date (PROP_CREATED_AT, "created-at");
  install_date (PROP_STARTED_AT, "started-at");
  install_date (PROP_FINISHED_AT, "finished-at");
  properties[PROP_IS_FINISHED] = g_param_spec_boolean ("is-finished", NULL, NULL, FALSE, ro);
  properties[PROP_SONGS] = g_param_spec_object ("songs", NULL, NULL, G_TYPE_LIST_MODEL, ro);
  properties[PROP_SEQUENCE] = g_param_spec_uint64 ("sequence", NULL, NULL,
                                                   0, G_MAXUINT64, 0, rw);

  g_object_class_install_properties (object_class, N_PROPS, properties);
}

static void
vigil_job_class_init (VigilJobClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->constructed = vigil_job_constructed;
  object_class->dispose = vigil_job_dispose;
  object_class->finalize = vigil_job_finalize;
  object_class->get_property = vigil_job_get_property;
  object_class->set_property = vigil_job_set_property;

  install_properties (object_class);
}

static void
vigil_job_init (VigilJob *self)
{
  self->target_id = -1;
  self->fraction = VIGIL_UNKNOWN;
  self->eta_seconds = VIGIL_UNKNOWN;
}

/* ------------------------------------------------------------------ */
/* Public API                                                          */
/* ------------------------------------------------------------------ */

VigilJob *
vigil_job_new (const char   *job_id,
               VigilJobKind  kind,
               gint64        target_id)
{
  g_return_val_if_fail (job_id != NULL, NULL);

  return g_object_new (VIGIL_TYPE_JOB,
                       "job-id", job_id,
                       "kind", kind,
                       "target-id", MAX (target_id, -1),
                       NULL);
}

void
vigil_job_apply_progress (VigilJob            *self,
                          const VigilProgress *progress,
                          gint64               now_us)
{
  gboolean named;

  g_return_if_fail (VIGIL_IS_JOB (self));
  g_return_if_fail (progress != NULL);

  self->seen = TRUE;
  /* a stale answer from another server process after the end */
  if (is_done (self))
    return;

  begin_update (self);
  named = apply_progress_fields (self, progress, now_us);
  enter_state_from_progress (self, progress);
  refresh_title (self, named);
  end_update (self);
}

void
vigil_job_apply_record (VigilJob             *self,
                        const VigilJobRecord *record,
                        gint64                now_us)
{
  gboolean named;

  g_return_if_fail (VIGIL_IS_JOB (self));
  g_return_if_fail (record != NULL);

  self->seen = TRUE;
  begin_update (self);
  named = apply_record_fields (self, record, now_us);
  enter_state_from_record (self, record);
  refresh_title (self, named);
  end_update (self);
}

void
vigil_job_mark_lost (VigilJob *self,
                     gint64    now_us)
{
  g_return_if_fail (VIGIL_IS_JOB (self));

  /* a job that ended and was then cleaned up is finished, not lost */
  if (is_finished_state (self->server_state))
    return;

  g_object_freeze_notify (G_OBJECT (self));
  if (self->seen)
    {
      update_extra_string (self, G_STRUCT_OFFSET (JobExtra, error_message), vigil_job_text_lost (),
                           PROP_ERROR_MESSAGE);
      enter_state (self, VIGIL_SERVER_STATE_LOST);
    }
  else
    {
      g_autofree char *text = vigil_job_text_not_found (self->server_host);

      update_extra_string (self, G_STRUCT_OFFSET (JobExtra, error_message), text,
                           PROP_ERROR_MESSAGE);
      enter_state (self, VIGIL_SERVER_STATE_NOT_FOUND);
    }
  g_object_thaw_notify (G_OBJECT (self));
}

const char *
vigil_job_get_job_id (VigilJob *self)
{
  g_return_val_if_fail (VIGIL_IS_JOB (self), NULL);

  return self->job_id;
}

VigilJobKind
vigil_job_get_kind (VigilJob *self)
{
  g_return_val_if_fail (VIGIL_IS_JOB (self), VIGIL_JOB_KIND_UNKNOWN);

  return self->kind;
}

gint64
vigil_job_get_target_id (VigilJob *self)
{
  g_return_val_if_fail (VIGIL_IS_JOB (self), -1);

  return self->target_id;
}

const char *
vigil_job_get_title (VigilJob *self)
{
  g_return_val_if_fail (VIGIL_IS_JOB (self), NULL);

  return self->title;
}

/* NULL goes back to the title Vigil makes from what the server said. */
void
vigil_job_set_title (VigilJob   *self,
                     const char *title)
{
  g_return_if_fail (VIGIL_IS_JOB (self));

  if (title == NULL)
    {
      self->title_explicit = FALSE;
      self->title_stale = TRUE;
      refresh_title (self, FALSE);
      return;
    }

  self->title_explicit = TRUE;
  update_string (self, &self->title, title, PROP_TITLE);
}

VigilServerState
vigil_job_get_server_state (VigilJob *self)
{
  g_return_val_if_fail (VIGIL_IS_JOB (self), VIGIL_SERVER_STATE_QUEUED);

  return self->server_state;
}

VigilTrackingState
vigil_job_get_tracking_state (VigilJob *self)
{
  g_return_val_if_fail (VIGIL_IS_JOB (self), VIGIL_TRACKING_STATE_ACTIVE);

  return self->tracking_state;
}

void
vigil_job_set_tracking_state (VigilJob           *self,
                              VigilTrackingState  state)
{
  g_return_if_fail (VIGIL_IS_JOB (self));

  if (self->tracking_state == state)
    return;

  self->tracking_state = state;
  notify (self, PROP_TRACKING_STATE);
}

const char *
vigil_job_get_server_host (VigilJob *self)
{
  g_return_val_if_fail (VIGIL_IS_JOB (self), NULL);

  return self->server_host;
}

void
vigil_job_set_server_host (VigilJob   *self,
                           const char *host)
{
  g_return_if_fail (VIGIL_IS_JOB (self));

  update_interned (self, &self->server_host, host, PROP_SERVER_HOST);
}

const char *
vigil_job_get_server_name (VigilJob *self)
{
  g_return_val_if_fail (VIGIL_IS_JOB (self), NULL);

  return self->server_name;
}

void
vigil_job_set_server_name (VigilJob   *self,
                           const char *name)
{
  g_return_if_fail (VIGIL_IS_JOB (self));

  update_interned (self, &self->server_name, name, PROP_SERVER_NAME);
}

gint64
vigil_job_get_failing_since (VigilJob *self)
{
  g_return_val_if_fail (VIGIL_IS_JOB (self), 0);

  return self->extra != NULL ? self->extra->failing_since : 0;
}

void
vigil_job_set_failing_since (VigilJob *self,
                             gint64    since_us)
{
  g_return_if_fail (VIGIL_IS_JOB (self));

  since_us = MAX (since_us, 0);
  if (since_us == 0 && self->extra == NULL)
    return;
  update_int64 (self, EXTRA_FIELD (self, failing_since), since_us, PROP_FAILING_SINCE);
}

guint
vigil_job_get_retry_interval (VigilJob *self)
{
  g_return_val_if_fail (VIGIL_IS_JOB (self), 0);

  return self->extra != NULL ? self->extra->retry_interval : 0;
}

void
vigil_job_set_retry_interval (VigilJob *self,
                              guint     interval_ms)
{
  g_return_if_fail (VIGIL_IS_JOB (self));

  if (vigil_job_get_retry_interval (self) == interval_ms)
    return;

  ensure_extra (self)->retry_interval = interval_ms;
  notify (self, PROP_RETRY_INTERVAL);
}

const char *
vigil_job_get_tracking_error (VigilJob *self)
{
  g_return_val_if_fail (VIGIL_IS_JOB (self), NULL);

  return self->extra != NULL ? self->extra->tracking_error : NULL;
}

void
vigil_job_set_tracking_error (VigilJob   *self,
                              const char *error)
{
  g_return_if_fail (VIGIL_IS_JOB (self));

  update_extra_string (self, G_STRUCT_OFFSET (JobExtra, tracking_error), error, PROP_TRACKING_ERROR);
}

double
vigil_job_get_fraction (VigilJob *self)
{
  g_return_val_if_fail (VIGIL_IS_JOB (self), VIGIL_UNKNOWN);

  return self->fraction;
}

VigilStep
vigil_job_get_step (VigilJob *self)
{
  g_return_val_if_fail (VIGIL_IS_JOB (self), VIGIL_STEP_OTHER);

  return self->step;
}

const char *
vigil_job_get_message (VigilJob *self)
{
  g_return_val_if_fail (VIGIL_IS_JOB (self), NULL);

  return self->message;
}

double
vigil_job_get_eta_seconds (VigilJob *self)
{
  g_return_val_if_fail (VIGIL_IS_JOB (self), VIGIL_UNKNOWN);

  return self->eta_seconds;
}

const char *
vigil_job_get_error_message (VigilJob *self)
{
  g_return_val_if_fail (VIGIL_IS_JOB (self), NULL);

  return self->extra != NULL ? self->extra->error_message : NULL;
}

void
vigil_job_set_error_message (VigilJob   *self,
                             const char *message)
{
  g_return_if_fail (VIGIL_IS_JOB (self));

  update_extra_string (self, G_STRUCT_OFFSET (JobExtra, error_message), message, PROP_ERROR_MESSAGE);
}

gint64
vigil_job_get_completed_items (VigilJob *self)
{
  g_return_val_if_fail (VIGIL_IS_JOB (self), 0);

  return self->completed_items;
}

gint64
vigil_job_get_total_items (VigilJob *self)
{
  g_return_val_if_fail (VIGIL_IS_JOB (self), 0);

  return self->total_items;
}

GDateTime *
vigil_job_get_created_at (VigilJob *self)
{
  g_return_val_if_fail (VIGIL_IS_JOB (self), NULL);

  return self->extra != NULL ? self->extra->created_at : NULL;
}

GDateTime *
vigil_job_get_started_at (VigilJob *self)
{
  g_return_val_if_fail (VIGIL_IS_JOB (self), NULL);

  return self->started_at;
}

GDateTime *
vigil_job_get_finished_at (VigilJob *self)
{
  g_return_val_if_fail (VIGIL_IS_JOB (self), NULL);

  return self->extra != NULL ? self->extra->finished_at : NULL;
}

gboolean
vigil_job_get_is_finished (VigilJob *self)
{
  g_return_val_if_fail (VIGIL_IS_JOB (self), FALSE);

  return is_finished_state (self->server_state);
}

GListModel *
vigil_job_get_songs (VigilJob *self)
{
  g_return_val_if_fail (VIGIL_IS_JOB (self), NULL);

  return G_LIST_MODEL (ensure_songs (self));
}

guint64
vigil_job_get_sequence (VigilJob *self)
{
  g_return_val_if_fail (VIGIL_IS_JOB (self), 0);

  return self->sequence;
}

void
vigil_job_set_sequence (VigilJob *self,
                        guint64   sequence)
{
  g_return_if_fail (VIGIL_IS_JOB (self));

  if (self->sequence == sequence)
    return;

  self->sequence = sequence;
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_SEQUENCE]);
}
