/* vigil-song-row.h — one song of a playlist or background job
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <gtk/gtk.h>

#include "vigil-job-song.h"

G_BEGIN_DECLS

#define VIGIL_TYPE_SONG_ROW (vigil_song_row_get_type ())
G_DECLARE_FINAL_TYPE (VigilSongRow, vigil_song_row, VIGIL, SONG_ROW, GtkWidget)

VigilJobSong *vigil_song_row_get_song (VigilSongRow *self);
void          vigil_song_row_set_song (VigilSongRow *self,
                                       VigilJobSong *song);

G_END_DECLS
