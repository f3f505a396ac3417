/* vigil-test-keyring.h — a real Secret Service (gnome-keyring-daemon) for
 * one test process, on a private session bus of its own *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

typedef struct _VigilTestKeyring VigilTestKeyring;

/* Makes a temporary directory and points this process's HOME,
 * XDG_CONFIG_HOME, XDG_DATA_HOME, XDG_CACHE_HOME, XDG_STATE_HOME and
 * XDG_RUNTIME_DIR into it, so that the keyring, and anything the test or
 * its subprocesses write, can be inspected there. Call it first in main():
 * it changes the environment, which is only safe before other threads. */
VigilTestKeyring *vigil_test_keyring_new      (void);

/* The temporary HOME. */
const char       *vigil_test_keyring_get_home (VigilTestKeyring  *self);

/* Starts a private session bus (GTestDBus: no service directories, so
 * nothing installed is ever activated on it; DBUS_SESSION_BUS_ADDRESS of
 * this process and its children points at it, and DISPLAY is unset, so
 * call this before anything connects to a bus) and gnome-keyring-daemon --foreground --unlock
 * --components=secrets on it, in that HOME, with a non-empty password on
 * stdin (an empty one makes it prompt, which hangs without a desktop). That
 * creates an unlocked login keyring, the default collection. Returns once
 * org.freedesktop.secrets is on the bus. Never touches the session bus or
 * keyring of whoever runs the test. FALSE with *skip_reason when
 * gnome-keyring-daemon is not installed; a daemon that fails to start is a
 * test failure. */
gboolean          vigil_test_keyring_start    (VigilTestKeyring  *self,
                                               char             **skip_reason);

/* Stops the daemon and the bus (if started) and deletes the temporary
 * directory. */
void              vigil_test_keyring_free     (VigilTestKeyring  *self);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (VigilTestKeyring, vigil_test_keyring_free)

G_END_DECLS
