/* vigil-reader-song-message-private.h — the song a progress message
 * names, as places in the message instead of copies: for the song lists,
 * which read it for every playlist on every poll. Internal to
 * libvigil-core.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

typedef struct
{
  const char *title;       /* in the message; title_len bytes */
  gsize       title_len;   /* > 0 when found */
  const char *artist;      /* in the message, NULL when none; artist_len bytes */
  gsize       artist_len;
} VigilSongMessage;

/* What vigil_reader_parse_song_message() reads, the same rule, without
 * copying: the title and artist as byte ranges of message (which must
 * outlive them). FALSE, and found zeroed, where that function is FALSE. */
gboolean vigil_reader_find_song_message (const char       *message,
                                         VigilSongMessage *found);

G_END_DECLS
