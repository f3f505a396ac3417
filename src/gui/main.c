/* main.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <glib/gi18n.h>
#include <locale.h>

#include "vigil-debug-log.h"

#include "vigil-application.h"

/* The installed translations, or with VIGIL_LOCALEDIR another tree of
 * <lang>/LC_MESSAGES/vigil.mo: the build's po/ folder, for tests and for
 * running from the build tree. */
static const char *
locale_dir (void)
{
  const char *dir = g_getenv ("VIGIL_LOCALEDIR");

  return dir != NULL && *dir != '\0' ? dir : LOCALEDIR;
}

int
main (int   argc,
      char *argv[])
{
  g_autoptr(VigilApplication) app = NULL;

  setlocale (LC_ALL, "");
  bindtextdomain (GETTEXT_PACKAGE, locale_dir ());
  bind_textdomain_codeset (GETTEXT_PACKAGE, "UTF-8");
  textdomain (GETTEXT_PACKAGE);
  /* G_MESSAGES_DEBUG=Vigil too goes through the redacting, switchable log. */
  vigil_debug_log_init ();

  app = vigil_application_new (APP_ID, G_APPLICATION_HANDLES_COMMAND_LINE);

  return g_application_run (G_APPLICATION (app), argc, argv);
}
