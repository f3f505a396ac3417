/* vigil-job-song-list.h — the songs of a playlist or background job: a list
 * model of VigilJobSong rows that VigilJob keeps in step with the job's
 * progress records
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <gio/gio.h>

#include "vigil-enums.h"
#include "vigil-job-song.h"
#include "vigil-types.h"

G_BEGIN_DECLS

/* A garbage total_items must not allocate millions of rows. */
#define VIGIL_JOB_SONG_LIST_MAX_ROWS 100000

/* Owned by its job; the store outlives it while a view holds a reference. */
typedef struct _VigilJobSongList VigilJobSongList;

VigilJobSongList *vigil_job_song_list_new       (void);
void              vigil_job_song_list_free      (VigilJobSongList     *self);

/* Transfer none: a store of VigilJobSong whose rows are updated in place,
 * so a bound view never rebuilds. */
GListStore       *vigil_job_song_list_get_store (VigilJobSongList     *self);

/* Whether a progress record of a job of kind has song rows to show: a
 * playlist or background job with a song count (metadata's total_songs,
 * else total_items); a job of unknown kind with more than one; never a
 * song job. */
gboolean          vigil_job_song_list_has_rows  (VigilJobKind          kind,
                                                 const VigilProgress  *progress);

/* Brings the rows in step with a progress record (nothing when
 * vigil_job_song_list_has_rows is FALSE). Rows are added or dropped at the
 * end only, up to VIGIL_JOB_SONG_LIST_MAX_ROWS; new ones are WAITING and
 * called "Song N". The processed count's rows become DONE, and stay DONE
 * whatever a noisy count says later; the next one is ANALYZING at the
 * song's fraction and takes the current song's id and names (from
 * metadata, else from the message, see vigil_reader_parse_song_message);
 * the rest are WAITING. Only the rows from the first one not yet DONE to
 * the first WAITING one after the current song are looked at, so a poll
 * costs the same for 3 songs or 3000. */
void              vigil_job_song_list_sync      (VigilJobSongList     *self,
                                                 VigilJobKind          kind,
                                                 const VigilProgress  *progress);

/* vigil_job_song_list_sync(), skipped when the record says what the last
 * one synced said (counts, step fraction, kind, no metadata) and
 * same_message tells that its message is the last one's: most polls
 * repeat themselves, and this runs for every playlist on every poll. */
void              vigil_job_song_list_sync_again (VigilJobSongList    *self,
                                                  VigilJobKind         kind,
                                                  const VigilProgress *progress,
                                                  gboolean             same_message);

/* The job ended: rows in state from go to state to (every row when from
 * is to); when to is DONE, every row's fraction becomes 1. */
void              vigil_job_song_list_finish    (VigilJobSongList     *self,
                                                 VigilSongState        from,
                                                 VigilSongState        to);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (VigilJobSongList, vigil_job_song_list_free)

G_END_DECLS
