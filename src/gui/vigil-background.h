/* vigil-background.h — keeps Vigil watching after its window closed, and
 * quits it cleanly
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <adwaita.h>

G_BEGIN_DECLS

/* Defined in vigil-application.h, which includes this header. */
typedef struct _VigilApplication VigilApplication;

#define VIGIL_TYPE_BACKGROUND (vigil_background_get_type ())
G_DECLARE_FINAL_TYPE (VigilBackground, vigil_background, VIGIL, BACKGROUND, GObject)

/* How long Vigil stays, with no window, after the last watched job ended:
 * long enough to act on the notifications of their ends. */
#define VIGIL_BACKGROUND_GRACE_SECONDS (5 * 60)

/* The notification that tells, once, that Vigil is still watching. */
#define VIGIL_BACKGROUND_HINT_ID "background-hint"

/* When the main window closes while jobs are watched (any server's job
 * neither finished nor stopped) and the setting keep-in-background is on,
 * Vigil holds the application: polling goes on, and activating the app
 * shows a new window over the same jobs. With nothing watched, or the
 * setting off, or the Background portal's refusal (in a Flatpak sandbox),
 * closing quits. Once every watched job has ended with no window, Vigil
 * stays grace-seconds more, then quits.
 *
 * The first time (setting background-hint-shown), a notification with a
 * Quit button says so, when a notification server is there to show it.
 *
 * Properties:
 *   application    VigilApplication* (construct-only; not owned: the
 *                  application owns this object)
 *   grace-seconds  guint    (default VIGIL_BACKGROUND_GRACE_SECONDS)
 *   sandboxed      gboolean ask the Background portal first (default:
 *                  vigil_background_portal_is_sandboxed(); tests set it)
 *   holding        gboolean (read-only) Vigil runs with no window because
 *                  jobs are watched
 */
VigilBackground *vigil_background_new               (VigilApplication *application);
gboolean         vigil_background_get_holding       (VigilBackground  *self);
void             vigil_background_set_grace_seconds (VigilBackground  *self,
                                                     guint             seconds);
void             vigil_background_set_sandboxed     (VigilBackground  *self,
                                                     gboolean          sandboxed);
/* How many of jobs (VigilJob) are watched: neither finished nor stopped. */
guint            vigil_background_count_watched     (GListModel       *jobs);
/* app.quit (the menu, Ctrl+Q, a notification's Quit, the tray): closes
 * every window and quits; the application's shutdown then saves the state
 * and calls vigil_background_shutdown(). */
void             vigil_background_quit              (VigilBackground  *self);
/* From the application's shutdown, after its state stores were flushed and
 * dropped: no more holding, no window, and no server is polled again. */
void             vigil_background_shutdown          (VigilBackground  *self);

G_END_DECLS
