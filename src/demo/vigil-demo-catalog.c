/* vigil-demo-catalog.c — the demo server's songs, playlists and users:
 * deterministic, the same whatever the seed
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include "vigil-demo-server-private.h"

static const char * const title_adjectives[] = {
  "Golden", "Broken", "Silent", "Electric", "Midnight", "Wild", "Hollow",
  "Crimson", "Gentle", "Restless", "Paper", "Neon", "Distant", "Burning",
  "Quiet", "Velvet", "Endless", "Summer", "Fading", "Northern",
};

static const char * const title_nouns[] = {
  "Hearts", "Rivers", "Skies", "Roads", "Dreams", "Lights", "Horizon",
  "Echoes", "Shadows", "Letters", "Harbor", "Fire", "Rain", "Stars",
  "Gardens", "Waves", "Thunder", "Mornings", "Promises", "Canyon", "Streets",
  "Mountains", "Tides", "Voices", "Satellites",
};

static const char * const artists[] = {
  "Mara Quinn", "The Lantern Club", "Eli Navarro", "Juniper Vale",
  "Northbound Choir", "Sol & The Tides", "Theo Marsh", "Iris Calloway",
  "Hollow Pines", "Nadia Brooks", "The Velvet Hours", "Owen Reyes",
  "Lumen Avenue", "Clara Voss", "Glass Harbor", "Ruben Hale",
  "Wren & Fletcher", "Kit Solano", "The Quiet Engines", "Amara Lowe",
  "Silver Meridian", "Jonah Pike", "Ember Lane", "Tessa Morrow", "Blue Atlas",
};

static const char * const playlist_names[] = {
  "Morning Commute", "Sunday Worship", "Road Trip Classics", "Workout Mix",
  "Quiet Evenings", "Youth Group Favorites", "Study Focus", "Summer Camp",
  "Acoustic Sessions", "Family Dinner", "Rainy Day", "Throwback Hits",
  "New Releases", "Late Night Drive", "Choir Practice", "Kids' Car Songs",
  "Wedding Reception", "Gym Rotation", "Indie Discoveries", "Already Reviewed",
};

static const char * const usernames[] = {
  "alice", "bruno", "chen", "dara", "emeka", "fatima", "gus", "hana",
  "ivan", "jo",
};

/* Every (adjective, noun) pair is used once across the 500 songs. */
G_STATIC_ASSERT (G_N_ELEMENTS (title_adjectives) * G_N_ELEMENTS (title_nouns) ==
                 VIGIL_DEMO_SERVER_N_SONGS);
G_STATIC_ASSERT (G_N_ELEMENTS (playlist_names) == VIGIL_DEMO_SERVER_N_PLAYLISTS);
G_STATIC_ASSERT (G_N_ELEMENTS (usernames) == VIGIL_DEMO_SERVER_N_USERS);

static gboolean
catalog_has (gint64 id,
             gint64 count)
{
  return id >= 1 && id <= count;
}

/* ------------------------------------------------------------------ */
/* Songs                                                               */
/* ------------------------------------------------------------------ */

char *
vigil_demo_catalog_song_title (gint64 song_id)
{
  guint k = (guint) (song_id - 1);
  guint adjective = k % G_N_ELEMENTS (title_adjectives);
  guint row = k / G_N_ELEMENTS (title_adjectives);
  guint noun = (11 * row + 3 * adjective) % G_N_ELEMENTS (title_nouns);

  g_assert (catalog_has (song_id, VIGIL_DEMO_SERVER_N_SONGS));

  return g_strdup_printf ("%s %s", title_adjectives[adjective], title_nouns[noun]);
}

const char *
vigil_demo_catalog_song_artist (gint64 song_id)
{
  guint k = (guint) (song_id - 1);

  g_assert (catalog_has (song_id, VIGIL_DEMO_SERVER_N_SONGS));

  return artists[(k * 7 + k / G_N_ELEMENTS (artists)) % G_N_ELEMENTS (artists)];
}

/* count songs spread over the catalog (53 is prime to 500: all distinct) */
static GArray *
song_sequence (gint64 first,
               guint  count)
{
  GArray *songs = g_array_sized_new (FALSE, FALSE, sizeof (gint64), count);

  for (guint k = 0; k < count; k++)
    {
      gint64 id = (first + (gint64) k * 53) % VIGIL_DEMO_SERVER_N_SONGS + 1;
      g_array_append_val (songs, id);
    }

  return songs;
}

static GArray *
playlist_songs (gint64 playlist_id)
{
  return song_sequence (playlist_id * 37, 5 + (guint) (playlist_id * 11) % 26);
}

static GArray *
user_songs (gint64 user_id)
{
  return song_sequence (user_id * 97, 30 + (guint) (user_id * 73) % 320);
}

/* ------------------------------------------------------------------ */
/* Targets: songs, playlists, users                                    */
/* ------------------------------------------------------------------ */

GArray *
vigil_demo_catalog_target_songs (VigilJobKind kind,
                                 gint64       target_id)
{
  GArray *songs = NULL;

  if (kind == VIGIL_JOB_KIND_SONG && catalog_has (target_id, VIGIL_DEMO_SERVER_N_SONGS))
    {
      songs = g_array_new (FALSE, FALSE, sizeof (gint64));
      g_array_append_val (songs, target_id);
    }
  else if (kind == VIGIL_JOB_KIND_PLAYLIST && catalog_has (target_id, VIGIL_DEMO_SERVER_N_PLAYLISTS))
    songs = playlist_songs (target_id);
  else if (kind == VIGIL_JOB_KIND_BACKGROUND && catalog_has (target_id, VIGIL_DEMO_SERVER_N_USERS))
    songs = user_songs (target_id);

  return songs;
}

char *
vigil_demo_catalog_target_name (VigilJobKind kind,
                                gint64       target_id)
{
  if (kind == VIGIL_JOB_KIND_PLAYLIST)
    return catalog_has (target_id, VIGIL_DEMO_SERVER_N_PLAYLISTS)
           ? g_strdup (playlist_names[target_id - 1])
           : g_strdup_printf ("Playlist %" G_GINT64_FORMAT, target_id);

  return catalog_has (target_id, VIGIL_DEMO_SERVER_N_USERS)
         ? g_strdup (usernames[target_id - 1])
         : g_strdup_printf ("user%" G_GINT64_FORMAT, target_id);
}

GArray *
vigil_demo_catalog_cycle_songs (GArray *natural,
                                guint   n_items)
{
  GArray *songs;

  if (natural == NULL)
    return song_sequence (0, MAX (n_items, 1));
  if (n_items == 0)
    return g_array_ref (natural);

  songs = g_array_sized_new (FALSE, FALSE, sizeof (gint64), n_items);
  for (guint k = 0; k < n_items; k++)
    g_array_append_val (songs, g_array_index (natural, gint64, k % natural->len));

  return songs;
}


/* ------------------------------------------------------------------ */
/* What is analysed already                                            */
/* ------------------------------------------------------------------ */

/* Every fourth song, and the whole of the "already reviewed" playlist */
guint8 *
vigil_demo_catalog_new_analyzed (void)
{
  g_autoptr(GArray) reviewed = playlist_songs (VIGIL_DEMO_SERVER_ANALYZED_PLAYLIST);
  guint8 *analyzed = g_new0 (guint8, VIGIL_DEMO_SERVER_N_SONGS + 1);

  for (guint id = 4; id <= VIGIL_DEMO_SERVER_N_SONGS; id += 4)
    analyzed[id] = TRUE;
  for (guint i = 0; i < reviewed->len; i++)
    analyzed[g_array_index (reviewed, gint64, i)] = TRUE;

  return analyzed;
}

GArray *
vigil_demo_catalog_filter_unanalyzed (const guint8 *analyzed,
                                      GArray       *songs)
{
  GArray *result = g_array_new (FALSE, FALSE, sizeof (gint64));

  for (guint i = 0; i < songs->len; i++)
    if (!analyzed[g_array_index (songs, gint64, i)])
      g_array_append_val (result, g_array_index (songs, gint64, i));

  return result;
}
