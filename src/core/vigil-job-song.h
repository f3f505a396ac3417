/* vigil-job-song.h — one song of a playlist or background job, as a row of
 * VigilJob's songs list
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <glib-object.h>

#include "vigil-enums.h"

G_BEGIN_DECLS

#define VIGIL_TYPE_JOB_SONG (vigil_job_song_get_type ())
G_DECLARE_FINAL_TYPE (VigilJobSong, vigil_job_song, VIGIL, JOB_SONG, GObject)

/* Properties (READWRITE, notify only on change):
 *   id        gint64          the server's song id, -1 when unknown
 *   title     char*           display title ("Song 3" until the server names it)
 *   artist    char*           nullable
 *   fraction  double          0..1 within this song, -1 when unknown
 *   state     VigilSongState
 */

VigilJobSong   *vigil_job_song_new          (gint64          id,
                                             const char     *title,
                                             const char     *artist);

gint64          vigil_job_song_get_id       (VigilJobSong   *self);
void            vigil_job_song_set_id       (VigilJobSong   *self,
                                             gint64          id);
const char     *vigil_job_song_get_title    (VigilJobSong   *self);
void            vigil_job_song_set_title    (VigilJobSong   *self,
                                             const char     *title);
const char     *vigil_job_song_get_artist   (VigilJobSong   *self);
void            vigil_job_song_set_artist   (VigilJobSong   *self,
                                             const char     *artist);
double          vigil_job_song_get_fraction (VigilJobSong   *self);
void            vigil_job_song_set_fraction (VigilJobSong   *self,
                                             double          fraction);
VigilSongState  vigil_job_song_get_state    (VigilJobSong   *self);
void            vigil_job_song_set_state    (VigilJobSong   *self,
                                             VigilSongState  state);

G_END_DECLS
