/* vigil-signin-loader.c — the sign-in window's entry points in the app: they
 * open the vigil-signin module (vigil-signin-window.c, linked with WebKit) on
 * first use, so a Vigil that never signs in through the web page never loads
 * WebKit (about 35 MB of resident memory: README, figure 5).
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <gmodule.h>
#include <string.h>

#include "vigil-signin-window.h"

#if HAVE_WEBKIT

typedef struct
{
  GType              (*get_type)     (void);
  VigilSigninWindow *(*new_window)   (GtkWindow *, const char *);
  const char        *(*get_base_url) (VigilSigninWindow *);
  GtkWidget         *(*get_web_view) (VigilSigninWindow *);
} SigninModule;

/* Where the module is: installed beside the app's libraries, or (running
 * from the build tree: tests, benchmarks, build-aux/dev.sh) in the build
 * directory. VIGIL_SIGNIN_MODULE overrides both. */
static char *
module_path (void)
{
  const char *override = g_getenv ("VIGIL_SIGNIN_MODULE");
  const char *dirs[] = { VIGIL_MODULE_DIR, VIGIL_MODULE_BUILD_DIR };

  if (override != NULL && override[0] != '\0')
    return g_strdup (override);
  for (guint i = 0; i < G_N_ELEMENTS (dirs); i++)
    {
      g_autofree char *path = g_module_build_path (dirs[i], "vigil-signin");

      if (g_file_test (path, G_FILE_TEST_IS_REGULAR))
        return g_steal_pointer (&path);
    }
  return NULL;
}

static const SigninModule *
load_module (void)
{
  static SigninModule module;
  static gsize loaded = 0;

  if (g_once_init_enter (&loaded))
    {
      g_autofree char *path = module_path ();
      GModule *handle = path != NULL ? g_module_open (path, G_MODULE_BIND_LOCAL) : NULL;
      gboolean ok = handle != NULL
        && g_module_symbol (handle, "vigil_signin_window_get_type", (gpointer *) &module.get_type)
        && g_module_symbol (handle, "vigil_signin_window_new", (gpointer *) &module.new_window)
        && g_module_symbol (handle, "vigil_signin_window_get_base_url", (gpointer *) &module.get_base_url)
        && g_module_symbol (handle, "vigil_signin_window_get_web_view", (gpointer *) &module.get_web_view);

      if (handle == NULL)
        g_warning ("The web sign-in module could not be loaded: %s",
                   path != NULL ? g_module_error () : "not found");
      else if (!ok)
        g_warning ("The web sign-in module %s is not Vigil's: %s", path, g_module_error ());
      if (ok)
        g_module_make_resident (handle); /* it registers a GType */
      else
        {
          if (handle != NULL)
            g_module_close (handle);
          memset (&module, 0, sizeof module);
        }
      g_once_init_leave (&loaded, ok ? 1 : 2);
    }
  return loaded == 1 ? &module : NULL;
}

/* Only looks for the module: WebKit is loaded by the first window. */
gboolean
vigil_signin_window_is_available (void)
{
  g_autofree char *path = module_path ();

  return path != NULL;
}

GType
vigil_signin_window_get_type (void)
{
  const SigninModule *module = load_module ();

  return module != NULL ? module->get_type () : G_TYPE_INVALID;
}

VigilSigninWindow *
vigil_signin_window_new (GtkWindow  *parent,
                         const char *base_url)
{
  const SigninModule *module = load_module ();

  g_return_val_if_fail (module != NULL, NULL);
  return module->new_window (parent, base_url);
}

const char *
vigil_signin_window_get_base_url (VigilSigninWindow *self)
{
  const SigninModule *module = load_module ();

  g_return_val_if_fail (module != NULL, NULL);
  return module->get_base_url (self);
}

GtkWidget *
vigil_signin_window_get_web_view (VigilSigninWindow *self)
{
  const SigninModule *module = load_module ();

  g_return_val_if_fail (module != NULL, NULL);
  return module->get_web_view (self);
}

#else /* !HAVE_WEBKIT */

/* Built without WebKit: callers check vigil_signin_window_is_available()
 * first, so the others are never reached. */

gboolean
vigil_signin_window_is_available (void)
{
  return FALSE;
}

GType
vigil_signin_window_get_type (void)
{
  return G_TYPE_INVALID;
}

VigilSigninWindow *
vigil_signin_window_new (GtkWindow  *parent,
                         const char *base_url)
{
  g_return_val_if_fail (vigil_signin_window_is_available (), NULL);
  return NULL;
}

const char *
vigil_signin_window_get_base_url (VigilSigninWindow *self)
{
  g_return_val_if_fail (vigil_signin_window_is_available (), NULL);
  return NULL;
}

GtkWidget *
vigil_signin_window_get_web_view (VigilSigninWindow *self)
{
  g_return_val_if_fail (vigil_signin_window_is_available (), NULL);
  return NULL;
}

#endif /* HAVE_WEBKIT */
