/* vigil-fake-portal.h — a fake xdg-desktop-portal for tests: owns
 * org.freedesktop.portal.Desktop on the test's session bus (its own
 * connection) and answers org.freedesktop.portal.Background's
 * RequestBackground the way the real one does, allowing or refusing.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <gio/gio.h>

G_BEGIN_DECLS

typedef enum
{
  VIGIL_FAKE_PORTAL_ALLOW,   /* Response 0, {"background": true} */
  VIGIL_FAKE_PORTAL_DENY,    /* Response 1, {"background": false}: xdg-desktop-portal's refusal */
} VigilFakePortalAnswer;

typedef struct _VigilFakePortal VigilFakePortal;

/* Owns the name before returning (NULL with error when it cannot). The
 * answer is sent from the main context, after the call's reply, as a
 * Response signal of the request object at the handle the caller's
 * handle_token predicts. */
VigilFakePortal *vigil_fake_portal_new             (VigilFakePortalAnswer answer,
                                                    GError              **error);
guint            vigil_fake_portal_get_n_requests  (VigilFakePortal      *self);
/* What the last request asked: its reason and autostart options, and the
 * parent window (NULL before any request). */
const char      *vigil_fake_portal_get_last_reason (VigilFakePortal      *self);
gboolean         vigil_fake_portal_get_last_autostart (VigilFakePortal   *self);
const char      *vigil_fake_portal_get_last_parent (VigilFakePortal      *self);
/* Responses emitted so far. */
guint            vigil_fake_portal_get_n_responses (VigilFakePortal      *self);
/* Releases the name and closes the connection. */
void             vigil_fake_portal_free            (VigilFakePortal      *self);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (VigilFakePortal, vigil_fake_portal_free)

G_END_DECLS
