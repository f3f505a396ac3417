/* vigil-fake-sni-watcher.h — a fake org.kde.StatusNotifierWatcher for tests
 *
 * It talks over its own connection to the session bus (the test's private
 * one), as a tray host in another process would: it owns the watcher's
 * name, accepts RegisterStatusNotifierItem, reads the item's properties
 * back (Properties.GetAll, as real watchers do before showing it), and
 * counts the signals items and their menus emit.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <gio/gio.h>

G_BEGIN_DECLS

#define VIGIL_TYPE_FAKE_SNI_WATCHER (vigil_fake_sni_watcher_get_type ())
G_DECLARE_FINAL_TYPE (VigilFakeSniWatcher, vigil_fake_sni_watcher, VIGIL, FAKE_SNI_WATCHER, GObject)

/* Connects to the session bus; owns nothing until started. */
VigilFakeSniWatcher *vigil_fake_sni_watcher_new          (GError             **error);
/* Its own connection to the session bus (transfer none). */
GDBusConnection     *vigil_fake_sni_watcher_get_connection (VigilFakeSniWatcher *self);
/* Owns org.kde.StatusNotifierWatcher (is-running once the bus agrees). */
void                 vigil_fake_sni_watcher_start        (VigilFakeSniWatcher *self);
/* Drops the name and forgets its items, as a watcher that quits. */
void                 vigil_fake_sni_watcher_stop         (VigilFakeSniWatcher *self);
gboolean             vigil_fake_sni_watcher_is_running   (VigilFakeSniWatcher *self);
/* Every RegisterStatusNotifierItem call since it was made. */
guint                vigil_fake_sni_watcher_get_n_registrations (VigilFakeSniWatcher *self);
/* The bus name of the last item registered since the last start, or NULL. */
const char          *vigil_fake_sni_watcher_get_item     (VigilFakeSniWatcher *self);
/* What the item's Properties.GetAll answered after it registered (a{sv}),
 * or NULL while no answer came. */
GVariant            *vigil_fake_sni_watcher_get_item_properties (VigilFakeSniWatcher *self);
/* How many signals named member (NewStatus, NewToolTip, LayoutUpdated…)
 * items and menus emitted since it was made. */
guint                vigil_fake_sni_watcher_count_signals (VigilFakeSniWatcher *self,
                                                           const char          *member);
/* Calls the registered item (path: its object, /StatusNotifierItem or its
 * menu), iterating the default main context until the answer comes: the
 * item may live in this very thread. Returns the reply (transfer full). */
GVariant            *vigil_fake_sni_watcher_call         (VigilFakeSniWatcher *self,
                                                          const char          *path,
                                                          const char          *interface,
                                                          const char          *method,
                                                          GVariant            *parameters,
                                                          GError             **error);
/* The same, to any bus name. */
GVariant            *vigil_fake_sni_watcher_call_name    (VigilFakeSniWatcher *self,
                                                          const char          *name,
                                                          const char          *path,
                                                          const char          *interface,
                                                          const char          *method,
                                                          GVariant            *parameters,
                                                          GError             **error);
/* One property of the item (Properties.Get), or NULL on error. */
GVariant            *vigil_fake_sni_watcher_get_property (VigilFakeSniWatcher *self,
                                                          const char          *path,
                                                          const char          *interface,
                                                          const char          *name);

G_END_DECLS
