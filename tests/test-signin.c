/* test-signin.c — the web sign-in window against the demo server's sign-in
 * form: a real WebKitWebView (its web and network processes) under Xvfb
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <string.h>
#include <glib/gstdio.h>
#include <adwaita.h>

#if HAVE_WEBKIT
#include <webkit/webkit.h>
#endif

#include "vigil-demo-server.h"
#include "vigil-credentials.h"
#include "vigil-preferences-window.h"
#include "vigil-signin-window.h"
#include "vigil-test-gui.h"
#include "vigil-test-timeout.h"

#if HAVE_WEBKIT

#define USER_TOKEN  "user-token-5f3a"
#define ADMIN_TOKEN "admin-token-9c21"
#define PASSWORD    "open sesame"

typedef struct
{
  VigilDemoServer   *server;
  char              *url;
  VigilSigninWindow *window;     /* our reference */
  gboolean           destroyed;  /* closed: GTK let go of the window */
  char              *cookie;     /* what "signed-in" carried */
  guint              n_signed_in;
  guint              n_cancelled;
  guint              n_loads;    /* pages finished loading */
  gboolean           js_done;
} Fixture;

/* ------------------------------------------------------------------ */
/* Fixture                                                             */
/* ------------------------------------------------------------------ */

static void
on_signed_in (VigilSigninWindow *window,
              const char        *cookie,
              Fixture           *f)
{
  f->n_signed_in++;
  g_free (f->cookie);
  f->cookie = g_strdup (cookie);
}

static void
on_cancelled (VigilSigninWindow *window,
              Fixture           *f)
{
  f->n_cancelled++;
}

/* gtk_window_destroy() (closing ends in it) drops GTK's reference and
 * unrealizes; ours keeps the object until the teardown. */
static void
on_unrealize (GtkWidget *widget,
              Fixture   *f)
{
  f->destroyed = TRUE;
}

static void
on_load_changed (WebKitWebView   *web_view,
                 WebKitLoadEvent  event,
                 Fixture         *f)
{
  if (event == WEBKIT_LOAD_FINISHED)
    f->n_loads++;
}

static void
listen_on (Fixture *f,
           guint    port)
{
  g_autoptr(GError) error = NULL;

  g_assert_true (vigil_demo_server_listen (f->server, NULL, port, &error));
  g_assert_no_error (error);
  g_free (f->url);
  f->url = vigil_demo_server_get_url (f->server);
}

static void
fixture_setup (Fixture       *f,
               gconstpointer  data)
{
  f->server = g_object_new (VIGIL_TYPE_DEMO_SERVER,
                            "require-token", USER_TOKEN,
                            "admin-token", ADMIN_TOKEN,
                            "signin-redirect", TRUE,
                            "signin-password", PASSWORD,
                            NULL);
  listen_on (f, 0);
}

static void
open_window (Fixture *f)
{
  f->window = g_object_ref (vigil_signin_window_new (NULL, f->url));
  g_signal_connect (f->window, "signed-in", G_CALLBACK (on_signed_in), f);
  g_signal_connect (f->window, "cancelled", G_CALLBACK (on_cancelled), f);
  g_signal_connect (f->window, "unrealize", G_CALLBACK (on_unrealize), f);
  g_signal_connect (vigil_signin_window_get_web_view (f->window), "load-changed",
                    G_CALLBACK (on_load_changed), f);
  gtk_window_present (GTK_WINDOW (f->window));
}

static gboolean
is_destroyed (gpointer data)
{
  return ((Fixture *) data)->destroyed;
}

/* The window and its web view go away with the test: WebKit's processes
 * are told to end while the main loop still runs. */
static void
fixture_teardown (Fixture       *f,
                  gconstpointer  data)
{
  if (f->window != NULL)
    {
      if (!f->destroyed)
        gtk_window_destroy (GTK_WINDOW (f->window));
      g_assert_true (vigil_test_wait_for (is_destroyed, f, 5000));
      g_signal_handlers_disconnect_by_data (f->window, f);
      g_assert_finalize_object (f->window);
      vigil_test_spin (100);
    }
  g_assert_finalize_object (f->server);
  g_free (f->url);
  g_free (f->cookie);
}

/* ------------------------------------------------------------------ */
/* Driving the page                                                    */
/* ------------------------------------------------------------------ */

typedef struct
{
  Fixture *f;
  guint    n;
} LoadWait;

static gboolean
loads_reached (gpointer data)
{
  LoadWait *w = data;

  return w->f->n_loads >= w->n;
}

static gboolean
wait_loads (Fixture *f,
            guint    n)
{
  LoadWait w = { f, n };

  return vigil_test_wait_for (loads_reached, &w, 20000);
}

static void
on_js_done (GObject      *source,
            GAsyncResult *result,
            gpointer      data)
{
  Fixture *f = data;
  g_autoptr(GError) error = NULL;
  g_autoptr(JSCValue) value = webkit_web_view_evaluate_javascript_finish (WEBKIT_WEB_VIEW (source),
                                                                          result, &error);

  g_assert_no_error (error);
  f->js_done = TRUE;
}

static gboolean
js_finished (gpointer data)
{
  return ((Fixture *) data)->js_done;
}

static void
submit_form (Fixture    *f,
             const char *user,
             const char *password)
{
  g_autofree char *script =
    g_strdup_printf ("document.querySelector('input[name=username]').value = '%s';\n"
                     "document.querySelector('input[name=password]').value = '%s';\n"
                     "document.querySelector('form').submit();\n"
                     "true;\n", user, password);

  f->js_done = FALSE;
  webkit_web_view_evaluate_javascript (WEBKIT_WEB_VIEW (vigil_signin_window_get_web_view (f->window)),
                                       script, -1, NULL, NULL, NULL, on_js_done, f);
  g_assert_true (vigil_test_wait_for (js_finished, f, 10000));
}

/* The form page, loaded and showing in the window. */
static void
open_form (Fixture *f)
{
  WebKitWebView *web_view;
  g_autofree char *expected = NULL;

  open_window (f);
  web_view = WEBKIT_WEB_VIEW (vigil_signin_window_get_web_view (f->window));
  expected = g_strconcat (f->url, "/auth/login", NULL);
  g_assert_true (wait_loads (f, 1));
  g_assert_cmpstr (webkit_web_view_get_uri (web_view), ==, expected);
  g_assert_true (gtk_widget_get_mapped (GTK_WIDGET (web_view)));
}

static gboolean
signed_in (gpointer data)
{
  return ((Fixture *) data)->n_signed_in > 0;
}

static void
sign_in_as (Fixture    *f,
            const char *user,
            const char *token)
{
  open_form (f);
  submit_form (f, user, PASSWORD);
  g_assert_true (vigil_test_wait_for (signed_in, f, 20000));
  g_assert_cmpuint (f->n_signed_in, ==, 1);
  g_assert_cmpstr (f->cookie, ==, token);
  /* It closes itself, and closing after success is no cancel. */
  g_assert_true (vigil_test_wait_for (is_destroyed, f, 5000));
  g_assert_cmpuint (f->n_cancelled, ==, 0);
}

/* The status page the window shows, when it shows one. */
static AdwStatusPage *
shown_status_page (Fixture *f)
{
  g_autoptr(GPtrArray) pages = vigil_test_find_all (GTK_WIDGET (f->window), ADW_TYPE_STATUS_PAGE);

  for (guint i = 0; i < pages->len; i++)
    if (gtk_widget_get_mapped (g_ptr_array_index (pages, i)))
      return g_ptr_array_index (pages, i);
  return NULL;
}

static gboolean
status_page_shown (gpointer data)
{
  return shown_status_page (data) != NULL;
}

/* ------------------------------------------------------------------ */
/* Tests                                                               */
/* ------------------------------------------------------------------ */

static void
test_available (void)
{
  g_assert_true (vigil_signin_window_is_available ());
}

static void
test_title (Fixture       *f,
            gconstpointer  data)
{
  g_autofree char *host = NULL;
  const char *title;

  open_window (f);
  host = g_strdup_printf ("127.0.0.1:%u", vigil_demo_server_get_port (f->server));
  title = gtk_window_get_title (GTK_WINDOW (f->window));
  g_assert_nonnull (strstr (title, host));
  g_assert_cmpstr (vigil_signin_window_get_base_url (f->window), ==, f->url);
  g_assert_true (gtk_window_get_modal (GTK_WINDOW (f->window)));
}

/* The first sign-in window among the toplevels (Preferences opens it) */
static VigilSigninWindow *
find_signin_window (void)
{
  GListModel *toplevels = gtk_window_get_toplevels ();

  for (guint i = 0; i < g_list_model_get_n_items (toplevels); i++)
    {
      g_autoptr(GtkWidget) window = g_list_model_get_item (toplevels, i);

      if (VIGIL_IS_SIGNIN_WINDOW (window))
        return VIGIL_SIGNIN_WINDOW (window);
    }
  return NULL;
}

static gboolean
has_signin_window (gpointer data)
{
  return find_signin_window () != NULL;
}

static void
on_prefs_saved (GtkWidget *prefs,
                gboolean  *saved)
{
  *saved = TRUE;
}

static gboolean
flag_set (gpointer data)
{
  return *(gboolean *) data;
}

static void
on_looked_up (GObject      *source,
              GAsyncResult *result,
              gpointer      data)
{
  char **secret = data;

  *secret = vigil_credentials_lookup_finish (VIGIL_CREDENTIALS (source), result, NULL);
  if (*secret == NULL)
    *secret = g_strdup ("");
}

static gboolean
string_set (gpointer data)
{
  return *(char **) data != NULL;
}

/* Preferences' "Sign In With the Web Page…": the cookie the page sets is
 * saved as the server's session cookie and the client signs in with it. */
static void
test_preferences (Fixture       *f,
                  gconstpointer  data)
{
  g_autoptr(VigilApiClient) client = vigil_api_client_new (f->url, NULL);
  g_autoptr(VigilCredentials) credentials = vigil_credentials_new ();
  g_autoptr(GSettings) settings = g_settings_new (APP_ID);
  g_autofree char *expected = g_strconcat ("session=", USER_TOKEN, NULL);
  g_autofree char *secret = NULL;
  g_autofree char *url = NULL;
  GtkWidget *prefs = vigil_preferences_window_new (NULL, client, credentials, settings);
  gboolean saved = FALSE;

  g_signal_connect (prefs, "saved", G_CALLBACK (on_prefs_saved), &saved);
  gtk_window_present (GTK_WINDOW (prefs));
  g_assert_true (gtk_widget_activate_action (prefs, "prefs.web-sign-in", NULL));
  g_assert_true (vigil_test_wait_for (has_signin_window, NULL, 5000));

  f->window = g_object_ref (find_signin_window ());
  g_signal_connect (f->window, "signed-in", G_CALLBACK (on_signed_in), f);
  g_signal_connect (f->window, "unrealize", G_CALLBACK (on_unrealize), f);
  g_signal_connect (vigil_signin_window_get_web_view (f->window), "load-changed",
                    G_CALLBACK (on_load_changed), f);
  g_assert_true (wait_loads (f, 1));
  submit_form (f, "ana", PASSWORD);

  g_assert_true (vigil_test_wait_for (flag_set, &saved, 20000));
  g_assert_cmpstr (f->cookie, ==, USER_TOKEN);
  vigil_credentials_lookup_async (credentials, vigil_api_client_get_base_url (client),
                                  VIGIL_CREDENTIAL_KIND_COOKIE, NULL, on_looked_up, &secret);
  g_assert_true (vigil_test_wait_for (string_set, &secret, 10000));
  g_assert_cmpstr (secret, ==, expected);
  /* Only the address goes to settings, never the cookie. */
  url = g_settings_get_string (settings, "server-url");
  g_assert_null (strstr (url, USER_TOKEN));

  /* The sign-in window closed itself; let it go before its parent does. */
  g_assert_true (vigil_test_wait_for (is_destroyed, f, 5000));
  g_signal_handlers_disconnect_by_data (f->window, f);
  g_assert_finalize_object (g_steal_pointer (&f->window));
  gtk_window_destroy (GTK_WINDOW (prefs));
}

static void
test_user (Fixture       *f,
           gconstpointer  data)
{
  sign_in_as (f, "ana", USER_TOKEN);
}

static void
test_admin (Fixture       *f,
            gconstpointer  data)
{
  sign_in_as (f, "admin", ADMIN_TOKEN);
}

static void
test_wrong_password (Fixture       *f,
                     gconstpointer  data)
{
  WebKitWebView *web_view;

  open_form (f);
  web_view = WEBKIT_WEB_VIEW (vigil_signin_window_get_web_view (f->window));
  submit_form (f, "ana", "not the password");
  g_assert_true (wait_loads (f, 2));
  g_assert_true (g_str_has_suffix (webkit_web_view_get_uri (web_view), "/login"));
  /* Time for the cookie check that follows the load. */
  vigil_test_spin (500);

  g_assert_cmpuint (f->n_signed_in, ==, 0);
  g_assert_false (f->destroyed);
  g_assert_true (gtk_widget_get_visible (GTK_WIDGET (f->window)));
  g_assert_null (shown_status_page (f));

  /* The user gives up: "cancelled", once. */
  gtk_window_close (GTK_WINDOW (f->window));
  g_assert_true (vigil_test_wait_for (is_destroyed, f, 5000));
  g_assert_cmpuint (f->n_cancelled, ==, 1);
  g_assert_cmpuint (f->n_signed_in, ==, 0);
}

/* No server at the URL: the window says so, and Try Again finds it once
 * it is back. */
static void
test_dead_server (Fixture       *f,
                  gconstpointer  data)
{
  guint port = vigil_demo_server_get_port (f->server);
  AdwStatusPage *page;

  g_assert_finalize_object (f->server);
  f->server = g_object_new (VIGIL_TYPE_DEMO_SERVER,
                            "require-token", USER_TOKEN,
                            "signin-password", PASSWORD,
                            NULL);

  open_window (f);
  g_assert_true (vigil_test_wait_for (status_page_shown, f, 20000));
  page = shown_status_page (f);
  g_assert_cmpstr (adw_status_page_get_title (page), ==, "Cannot Open the Sign-In Page");
  g_assert_nonnull (strstr (adw_status_page_get_description (page), "/auth/login"));
  g_assert_cmpuint (f->n_signed_in, ==, 0);
  g_assert_false (f->destroyed);

  listen_on (f, port);
  f->n_loads = 0;  /* a failed load finishes too */
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (f->window), "signin.retry", NULL));
  g_assert_true (wait_loads (f, 1));
  g_assert_null (shown_status_page (f));
  submit_form (f, "ana", PASSWORD);
  g_assert_true (vigil_test_wait_for (signed_in, f, 20000));
  g_assert_cmpstr (f->cookie, ==, USER_TOKEN);
}

/* The form as the user sees it, for data/screenshots/signin.png. */
static void
test_screenshot (Fixture       *f,
                 gconstpointer  data)
{
  g_autofree char *dir = g_build_filename (g_getenv ("G_TEST_BUILDDIR") ?: ".", "screenshots", NULL);
  g_autofree char *path = g_build_filename (dir, "signin.png", NULL);
  GStatBuf st;

  open_form (f);
  g_mkdir_with_parents (dir, 0755);
  g_assert_true (vigil_test_wait_drawn (GTK_WIDGET (f->window), 10000));
  /* The web process paints after the load finished. */
  vigil_test_spin (1000);
  g_assert_true (vigil_test_save_png (GTK_WIDGET (f->window), path));
  g_assert_cmpint (g_stat (path, &st), ==, 0);
  g_test_message ("screenshot: %s", path);
}

#endif /* HAVE_WEBKIT */

int
main (int argc, char *argv[])
{
#if HAVE_WEBKIT
  VIGIL_TEST_REQUIRE_DISPLAY ();
  /* No GPU here (no /dev/dri; GDK_DEBUG=gl-disable): in compositing mode
   * WebKit 2.50 loads and runs pages but its frames never reach the
   * window, so the screenshot would be blank. Drawing without compositing
   * shows them, and spares the "Disabled hardware acceleration" warning. */
  g_setenv ("WEBKIT_DISABLE_COMPOSITING_MODE", "1", TRUE);
  gtk_test_init (&argc, &argv, NULL);
  /* g_test_init() has made this process's warnings fatal. WebKit's web
   * process inherits the environment: in its bubblewrap sandbox it warns
   * "Can't connect to a11y bus" (the test bus has no org.a11y.Bus), and
   * G_DEBUG=fatal-warnings would kill it with SIGTRAP before it ever
   * connects back, leaving the view waiting with no load and no
   * web-process-terminated. The sandbox stays on. */
  g_setenv ("G_DEBUG", "gc-friendly", TRUE);
  adw_init ();

  g_test_add_func ("/vigil/signin/available", test_available);
#define ADD(path, func) \
  g_test_add ("/vigil/signin/" path, Fixture, NULL, fixture_setup, func, fixture_teardown)
  ADD ("title", test_title);
  ADD ("user", test_user);
  ADD ("admin", test_admin);
  ADD ("wrong-password", test_wrong_password);
  ADD ("dead-server", test_dead_server);
  ADD ("screenshot", test_screenshot);
  ADD ("preferences", test_preferences);
#undef ADD

  return g_test_run ();
#else
  g_print ("1..0 # SKIP built without WebKit (-Dwebkit)\n");
  return 0;
#endif
}
