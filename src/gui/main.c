/* main.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <glib/gi18n.h>
#include <locale.h>

#include "vigil-debug-log.h"

#include "vigil-application.h"

int
main (int   argc,
      char *argv[])
{
  g_autoptr(VigilApplication) app = NULL;

  setlocale (LC_ALL, "");
  bindtextdomain (GETTEXT_PACKAGE, LOCALEDIR);
  bind_textdomain_codeset (GETTEXT_PACKAGE, "UTF-8");
  textdomain (GETTEXT_PACKAGE);
  /* G_MESSAGES_DEBUG=Vigil too goes through the redacting, switchable log. */
  vigil_debug_log_init ();

  app = vigil_application_new (APP_ID, G_APPLICATION_HANDLES_COMMAND_LINE);

  return g_application_run (G_APPLICATION (app), argc, argv);
}
