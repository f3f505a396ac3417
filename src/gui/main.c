/* main.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <glib/gi18n.h>

#include "vigil-debug-log.h"
#include "vigil-i18n.h"

#include "vigil-application.h"

int
main (int   argc,
      char *argv[])
{
  g_autoptr(VigilApplication) app = NULL;

  vigil_application_tune_allocator ();
  vigil_i18n_init ();
  /* G_MESSAGES_DEBUG=Vigil too goes through the redacting, switchable log. */
  vigil_debug_log_init ();

  app = vigil_application_new (APP_ID, G_APPLICATION_HANDLES_COMMAND_LINE);

  return g_application_run (G_APPLICATION (app), argc, argv);
}
