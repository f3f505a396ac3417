/* vigil-i18n.h — the one way vigil, vigilctl and vigil-demo-server set up
 * their translations
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

/* The installed translations (LOCALEDIR), or with $VIGIL_LOCALEDIR
 * another tree of <lang>/LC_MESSAGES/vigil.mo: the build's po/ folder,
 * for tests and for running from the build tree. */
const char *vigil_i18n_locale_dir (void);

/* setlocale (LC_ALL, ""), then the text domain bound to
 * vigil_i18n_locale_dir() in UTF-8 and made the default. */
void        vigil_i18n_init       (void);

G_END_DECLS
