/* test-i18n.c — Vigil speaks German and Spanish: the window in German
 * (this process, LANGUAGE=de), `vigil --help` in German and vigilctl in
 * Spanish (LANGUAGE=es), vigil-demo-server --help in German, with the .mo
 * files of the build tree.
 *
 * They run as a user would, in the de_DE.UTF-8 and es_ES.UTF-8 locales
 * (build-aux/dev.sh generates them). Where one is missing, C.UTF-8 with
 * LANGUAGE stands in (glibc's gettext honours LANGUAGE there, not in
 * plain C) and the test says so. $VIGIL_LOCALEDIR is the build's po/
 * folder, which the binaries honour too; $VIGIL and $VIGILCTL name them.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <adwaita.h>
#include <glib/gi18n.h>
#include <locale.h>

#include "vigil-application.h"
#include "vigil-job-text.h"
#include "vigil-window.h"
#include "vigil-test-gui.h"

static VigilApplication *app;

/* name if setlocale() knows it, else C.UTF-8 (with a note in the log). */
static const char *
locale_or_c (const char *name)
{
  g_autofree char *saved = g_strdup (setlocale (LC_ALL, NULL));
  gboolean ok = setlocale (LC_ALL, name) != NULL;

  setlocale (LC_ALL, saved);
  if (ok)
    return name;
  g_test_message ("The %s locale is missing (build-aux/dev.sh deps generates it): "
                  "using C.UTF-8 with LANGUAGE", name);
  return "C.UTF-8";
}

static gboolean
widget_is_mapped (gpointer data)
{
  return gtk_widget_get_mapped (GTK_WIDGET (data));
}

/* ------------------------------------------------------------------ */
/* In this process: German                                            */
/* ------------------------------------------------------------------ */

static void
test_window_german (void)
{
  GtkWindow *window;

  g_application_activate (G_APPLICATION (app));
  window = gtk_application_get_active_window (GTK_APPLICATION (app));
  g_assert_true (VIGIL_IS_WINDOW (window));
  g_assert_true (vigil_test_wait_for (widget_is_mapped, window, 20000));

  /* The empty state, its button and the header's button, from the .ui
   * files; nothing of them left in English. */
  g_assert_nonnull (vigil_test_find_label (GTK_WIDGET (window), "Keine beobachteten Aufträge"));
  g_assert_nonnull (vigil_test_find_label (GTK_WIDGET (window),
                                           "Analysen, die Sie starten oder beobachten"));
  g_assert_nonnull (vigil_test_find_label (GTK_WIDGET (window), "_Neue Analyse"));
  g_assert_null (vigil_test_find_label (GTK_WIDGET (window), "No Jobs Being Watched"));
  g_assert_null (vigil_test_find_label (GTK_WIDGET (window), "New Analysis"));

  gtk_window_close (window);
}

/* Words about jobs, with their plural forms (src/core/vigil-job-text.c). */
static void
test_job_text_german (void)
{
  g_autofree char *one = NULL, *three = NULL, *songs = NULL, *counts = NULL;

  one = vigil_job_text_step (VIGIL_STEP_FETCHING_LYRICS, 50);
  three = vigil_job_text_step (VIGIL_STEP_FETCHING_LYRICS, 170);
  songs = vigil_job_text_kind (VIGIL_JOB_KIND_PLAYLIST, 5, 12);
  counts = vigil_job_text_counts (1, 2);

  g_assert_cmpstr (one, ==, "Liedtext wird gesucht … (noch etwa 1 Minute)");
  g_assert_cmpstr (three, ==, "Liedtext wird gesucht … (noch etwa 3 Minuten)");
  g_assert_cmpstr (songs, ==, "Wiedergabeliste · 5 von 12 Titeln");
  g_assert_cmpstr (counts, ==, "1 Titel analysiert, 2 fehlgeschlagen");
  g_assert_cmpstr (C_("song state", "Waiting"), ==, "Wartend");
}

/* ------------------------------------------------------------------ */
/* The binaries                                                        */
/* ------------------------------------------------------------------ */

/* Runs argv in the given locale and language; returns its exit status. */
static int
run_in (const char  *locale,
        const char  *language,
        const char **argv,
        char       **out,
        char       **err)
{
  g_autoptr(GSubprocessLauncher) launcher = NULL;
  g_autoptr(GSubprocess) process = NULL;
  g_autoptr(GError) error = NULL;

  launcher = g_subprocess_launcher_new (G_SUBPROCESS_FLAGS_STDOUT_PIPE |
                                        G_SUBPROCESS_FLAGS_STDERR_PIPE);
  g_subprocess_launcher_setenv (launcher, "LC_ALL", locale, TRUE);
  g_subprocess_launcher_setenv (launcher, "LANGUAGE", language, TRUE);
  process = g_subprocess_launcher_spawnv (launcher, argv, &error);
  g_assert_no_error (error);
  g_subprocess_communicate_utf8 (process, NULL, NULL, out, err, &error);
  g_assert_no_error (error);
  return g_subprocess_get_exit_status (process);
}

static void
test_app_help_german (void)
{
  const char *argv[] = { g_getenv ("VIGIL"), "--help", NULL };
  g_autofree char *out = NULL, *err = NULL;

  g_assert_nonnull (argv[0]);
  g_assert_cmpint (run_in (locale_or_c ("de_DE.UTF-8"), "de", argv, &out, &err), ==, 0);
  g_assert_nonnull (strstr (out, "Einen eingebauten Demo-Server starten"));
  g_assert_nonnull (strstr (out, "Die Version ausgeben und beenden"));
  g_assert_null (strstr (out, "Print the version and exit"));
}

static void
test_vigilctl_spanish (void)
{
  const char *help[] = { g_getenv ("VIGILCTL"), "--help", NULL };
  const char *unknown[] = { g_getenv ("VIGILCTL"), "frob", NULL };
  const char *bad_url[] = { g_getenv ("VIGILCTL"), "--server", "ftp://example.org", "queue", NULL };
  g_autofree char *out = NULL, *err = NULL;
  g_autofree char *out2 = NULL, *err2 = NULL;
  g_autofree char *out3 = NULL, *err3 = NULL;
  const char *locale = locale_or_c ("es_ES.UTF-8");

  g_assert_nonnull (help[0]);

  g_assert_cmpint (run_in (locale, "es", help, &out, &err), ==, 0);
  g_assert_nonnull (strstr (out, "Siga e inicie análisis de canciones desde una terminal."));
  g_assert_nonnull (strstr (out, "Órdenes:"));
  g_assert_nonnull (strstr (out, "Mostrar la cola"));
  g_assert_null (strstr (out, "Show the queue"));

  g_assert_cmpint (run_in (locale, "es", unknown, &out2, &err2), ==, 2);
  g_assert_nonnull (strstr (err2, "orden «frob» desconocida"));

  /* A message from the core library, through vigilctl. */
  g_assert_cmpint (run_in (locale, "es", bad_url, &out3, &err3), ==, 2);
  g_assert_nonnull (strstr (err3, "«ftp://example.org» no es una dirección http:// ni https://"));
}

/* The demo server reads $VIGIL_LOCALEDIR like the others. */
static void
test_demo_server_german (void)
{
  const char *help[] = { g_getenv ("VIGIL_DEMO_SERVER"), "--help", NULL };
  g_autofree char *out = NULL, *err = NULL;

  g_assert_nonnull (help[0]);
  g_assert_cmpint (run_in (locale_or_c ("de_DE.UTF-8"), "de", help, &out, &err), ==, 0);
  g_assert_nonnull (strstr (out, "Die API zur Titelanalyse mit simulierten Arbeitsprozessen"));
  g_assert_null (strstr (out, "Serve the song-analysis API"));
}

/* Without a language, the same binary speaks English. */
static void
test_vigilctl_english (void)
{
  const char *help[] = { g_getenv ("VIGILCTL"), "--help", NULL };
  g_autofree char *out = NULL, *err = NULL;

  g_assert_cmpint (run_in ("C.UTF-8", "", help, &out, &err), ==, 0);
  g_assert_nonnull (strstr (out, "Watch and start song analyses from a terminal."));
}

int
main (int argc, char *argv[])
{
  const char *localedir = g_getenv ("VIGIL_LOCALEDIR");
  int ret;

  VIGIL_TEST_REQUIRE_DISPLAY ();
  g_setenv ("LANGUAGE", "de", TRUE);
  gtk_test_init (&argc, &argv, NULL);
  /* gtk_test_init() picked en_US.UTF-8; this process speaks German (the
   * binaries run below get their locale from run_in()). */
  setlocale (LC_ALL, locale_or_c ("de_DE.UTF-8"));
  adw_init ();

  g_assert_nonnull (localedir);
  bindtextdomain (GETTEXT_PACKAGE, localedir);
  bind_textdomain_codeset (GETTEXT_PACKAGE, "UTF-8");
  textdomain (GETTEXT_PACKAGE);

  app = vigil_application_new (APP_ID ".Test", G_APPLICATION_NON_UNIQUE);
  g_application_register (G_APPLICATION (app), NULL, NULL);
  g_application_hold (G_APPLICATION (app));

  g_test_add_func ("/vigil/i18n/window-german", test_window_german);
  g_test_add_func ("/vigil/i18n/job-text-german", test_job_text_german);
  g_test_add_func ("/vigil/i18n/app-help-german", test_app_help_german);
  g_test_add_func ("/vigil/i18n/vigilctl-spanish", test_vigilctl_spanish);
  g_test_add_func ("/vigil/i18n/vigilctl-english", test_vigilctl_english);
  g_test_add_func ("/vigil/i18n/demo-server-german", test_demo_server_german);

  ret = g_test_run ();

  g_application_release (G_APPLICATION (app));
  g_clear_object (&app);
  return ret;
}
