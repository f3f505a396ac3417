/* vigil-signin-window.c — built as its own loadable module (vigil-signin),
 * so that WebKit is loaded only when someone signs in through the web page:
 * linked into the app, WebKit and its libraries cost every window about
 * 35 MB of resident memory. vigil-signin-loader.c opens the module.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <string.h>
#include <glib/gi18n.h>

#if HAVE_WEBKIT
#include <webkit/webkit.h>
#endif

#include "vigil-signin-window.h"

/* The cookie the service's sign-in sets, as its API expects it back. */
#define SESSION_COOKIE "session"

#if HAVE_WEBKIT

struct _VigilSigninWindow
{
  AdwWindow            parent_instance;

  char                *base_url;
  GCancellable        *cancellable;
  WebKitWebView       *web_view;
  WebKitCookieManager *cookie_manager;
  gulong               cookies_changed_id;
  gboolean             signed_in;

  AdwWindowTitle      *window_title;
  GtkStack            *stack;
  AdwStatusPage       *error_page;
};

enum {
  PROP_0,
  PROP_BASE_URL,
  N_PROPS
};

enum {
  SIGNED_IN,
  CANCELLED,
  N_SIGNALS
};

static GParamSpec *properties[N_PROPS];
static guint signals[N_SIGNALS];

G_DEFINE_FINAL_TYPE (VigilSigninWindow, vigil_signin_window, ADW_TYPE_WINDOW)

/* ------------------------------------------------------------------ */
/* Helpers                                                             */
/* ------------------------------------------------------------------ */

/* "host" or "host:port" of a URL; the URL itself when it does not parse. */
static char *
url_host (const char *url)
{
  g_autoptr(GUri) uri = g_uri_parse (url, G_URI_FLAGS_NONE, NULL);

  if (uri == NULL || g_uri_get_host (uri) == NULL)
    return g_strdup (url);
  if (g_uri_get_port (uri) > 0)
    return g_strdup_printf ("%s:%d", g_uri_get_host (uri), g_uri_get_port (uri));
  return g_strdup (g_uri_get_host (uri));
}

static char *
login_url (VigilSigninWindow *self)
{
  return g_strconcat (self->base_url, "/auth/login", NULL);
}

static void
show_error (VigilSigninWindow *self,
            const char        *message)
{
  adw_status_page_set_description (self->error_page, message);
  gtk_stack_set_visible_child_name (self->stack, "error");
}

static void
load_login_page (VigilSigninWindow *self)
{
  g_autofree char *url = login_url (self);

  gtk_stack_set_visible_child_name (self->stack, "web");
  webkit_web_view_load_uri (self->web_view, url);
}

static void
finish_signin (VigilSigninWindow *self,
               const char        *value)
{
  g_assert (VIGIL_IS_SIGNIN_WINDOW (self));

  if (self->signed_in)
    return;
  self->signed_in = TRUE;
  g_debug ("Signed in through the web page of %s", self->base_url);  /* never the value */
  g_signal_emit (self, signals[SIGNED_IN], 0, value);
  gtk_window_close (GTK_WINDOW (self));
}

static void
on_cookies (GObject      *source,
            GAsyncResult *result,
            gpointer      user_data)
{
  VigilSigninWindow *self;
  g_autoptr(GError) error = NULL;
  GList *cookies = webkit_cookie_manager_get_cookies_finish (WEBKIT_COOKIE_MANAGER (source),
                                                             result, &error);
  g_autofree char *value = NULL;

  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    return;
  self = VIGIL_SIGNIN_WINDOW (user_data);
  if (error != NULL)
    {
      g_debug ("Reading the sign-in page's cookies failed: %s", error->message);
      return;
    }

  for (GList *l = cookies; l != NULL && value == NULL; l = l->next)
    {
      SoupCookie *cookie = l->data;

      if (g_strcmp0 (soup_cookie_get_name (cookie), SESSION_COOKIE) == 0 &&
          soup_cookie_get_value (cookie)[0] != '\0')
        value = g_strdup (soup_cookie_get_value (cookie));
    }
  g_list_free_full (cookies, (GDestroyNotify) soup_cookie_free);

  if (value != NULL)
    finish_signin (self, value);
}

/* The cookies the API calls would carry: those for BASE/api/. */
static void
check_cookies (VigilSigninWindow *self)
{
  g_autofree char *api_url = g_strconcat (self->base_url, "/api/", NULL);

  if (self->signed_in)
    return;
  webkit_cookie_manager_get_cookies (self->cookie_manager, api_url,
                                     self->cancellable, on_cookies, self);
}

/* ------------------------------------------------------------------ */
/* Callbacks                                                           */
/* ------------------------------------------------------------------ */

static void
on_load_changed (WebKitWebView     *web_view,
                 WebKitLoadEvent    event,
                 VigilSigninWindow *self)
{
  if (event == WEBKIT_LOAD_FINISHED)
    check_cookies (self);
}

static gboolean
on_load_failed (WebKitWebView     *web_view,
                WebKitLoadEvent    event,
                const char        *failing_uri,
                GError            *error,
                VigilSigninWindow *self)
{
  g_autofree char *message = NULL;

  /* Another navigation replaced this one (a redirect, a new click). */
  if (g_error_matches (error, WEBKIT_NETWORK_ERROR, WEBKIT_NETWORK_ERROR_CANCELLED) ||
      g_error_matches (error, WEBKIT_POLICY_ERROR, WEBKIT_POLICY_ERROR_FRAME_LOAD_INTERRUPTED_BY_POLICY_CHANGE))
    return FALSE;

  /* Translators: the first %s is a web address, the second why it failed */
  message = g_strdup_printf (_("%s could not be opened: %s"), failing_uri, error->message);
  show_error (self, message);
  return TRUE;
}

static void
on_web_process_terminated (WebKitWebView                     *web_view,
                           WebKitWebProcessTerminationReason  reason,
                           VigilSigninWindow                 *self)
{
  show_error (self, _("The web page stopped unexpectedly."));
}

static void
on_uri_changed (VigilSigninWindow *self)
{
  const char *uri = webkit_web_view_get_uri (self->web_view);
  g_autofree char *host = uri != NULL ? url_host (uri) : NULL;
  g_autofree char *server = url_host (self->base_url);

  /* Which site asks for the password when it is not the server: the
   * sign-in may pass through another one (the OAuth provider). */
  adw_window_title_set_subtitle (self->window_title,
                                 g_strcmp0 (host, server) != 0 ? host : NULL);
}

static void
retry_action (GtkWidget  *widget,
              const char *action_name,
              GVariant   *parameter)
{
  load_login_page (VIGIL_SIGNIN_WINDOW (widget));
}

static gboolean
vigil_signin_window_close_request (GtkWindow *window)
{
  VigilSigninWindow *self = VIGIL_SIGNIN_WINDOW (window);

  if (!self->signed_in)
    {
      self->signed_in = TRUE;  /* nothing more from this window */
      g_cancellable_cancel (self->cancellable);
      g_signal_emit (self, signals[CANCELLED], 0);
    }

  return GTK_WINDOW_CLASS (vigil_signin_window_parent_class)->close_request (window);
}

/* ------------------------------------------------------------------ */
/* GObject                                                             */
/* ------------------------------------------------------------------ */

static void
create_web_view (VigilSigninWindow *self)
{
  g_autoptr(WebKitNetworkSession) session = webkit_network_session_new_ephemeral ();

  self->web_view = g_object_new (WEBKIT_TYPE_WEB_VIEW,
                                 "network-session", session,
                                 "vexpand", TRUE,
                                 NULL);
  gtk_stack_add_named (self->stack, GTK_WIDGET (self->web_view), "web");

  g_signal_connect_object (self->web_view, "load-changed",
                           G_CALLBACK (on_load_changed), self, 0);
  g_signal_connect_object (self->web_view, "load-failed",
                           G_CALLBACK (on_load_failed), self, 0);
  g_signal_connect_object (self->web_view, "web-process-terminated",
                           G_CALLBACK (on_web_process_terminated), self, 0);
  g_signal_connect_object (self->web_view, "notify::uri",
                           G_CALLBACK (on_uri_changed), self, G_CONNECT_SWAPPED);

  /* A cookie set by a script or a request that is not a page load. */
  self->cookie_manager = g_object_ref (webkit_network_session_get_cookie_manager (session));
  self->cookies_changed_id = g_signal_connect_swapped (self->cookie_manager, "changed",
                                                       G_CALLBACK (check_cookies), self);
}

static void
vigil_signin_window_constructed (GObject *object)
{
  VigilSigninWindow *self = VIGIL_SIGNIN_WINDOW (object);
  g_autofree char *host = url_host (self->base_url);
  /* Translators: %s is the server, e.g. "analysis.example.org" */
  g_autofree char *title = g_strdup_printf (_("Sign In to %s"), host);

  G_OBJECT_CLASS (vigil_signin_window_parent_class)->constructed (object);

  gtk_window_set_title (GTK_WINDOW (self), title);
  adw_window_title_set_title (self->window_title, title);
  create_web_view (self);
  load_login_page (self);
}

static void
vigil_signin_window_dispose (GObject *object)
{
  VigilSigninWindow *self = VIGIL_SIGNIN_WINDOW (object);

  g_cancellable_cancel (self->cancellable);
  g_clear_signal_handler (&self->cookies_changed_id, self->cookie_manager);
  g_clear_object (&self->cookie_manager);
  self->web_view = NULL;  /* the stack's child */
  gtk_widget_dispose_template (GTK_WIDGET (object), VIGIL_TYPE_SIGNIN_WINDOW);

  G_OBJECT_CLASS (vigil_signin_window_parent_class)->dispose (object);
}

static void
vigil_signin_window_finalize (GObject *object)
{
  VigilSigninWindow *self = VIGIL_SIGNIN_WINDOW (object);

  g_clear_object (&self->cancellable);
  g_free (self->base_url);

  G_OBJECT_CLASS (vigil_signin_window_parent_class)->finalize (object);
}

static void
vigil_signin_window_get_property (GObject    *object,
                                  guint       prop_id,
                                  GValue     *value,
                                  GParamSpec *pspec)
{
  VigilSigninWindow *self = VIGIL_SIGNIN_WINDOW (object);

  switch (prop_id)
    {
    case PROP_BASE_URL:
      g_value_set_string (value, self->base_url);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
vigil_signin_window_set_property (GObject      *object,
                                  guint         prop_id,
                                  const GValue *value,
                                  GParamSpec   *pspec)
{
  VigilSigninWindow *self = VIGIL_SIGNIN_WINDOW (object);

  switch (prop_id)
    {
    case PROP_BASE_URL:
      /* No trailing slash: paths are appended. */
      self->base_url = g_strdup (g_value_get_string (value));
      while (g_str_has_suffix (self->base_url, "/"))
        self->base_url[strlen (self->base_url) - 1] = '\0';
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
vigil_signin_window_class_init (VigilSigninWindowClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);
  GtkWindowClass *window_class = GTK_WINDOW_CLASS (klass);

  object_class->constructed = vigil_signin_window_constructed;
  object_class->dispose = vigil_signin_window_dispose;
  object_class->finalize = vigil_signin_window_finalize;
  object_class->get_property = vigil_signin_window_get_property;
  object_class->set_property = vigil_signin_window_set_property;
  window_class->close_request = vigil_signin_window_close_request;

  properties[PROP_BASE_URL] =
    g_param_spec_string ("base-url", NULL, NULL, NULL,
                         G_PARAM_READWRITE | G_PARAM_CONSTRUCT_ONLY | G_PARAM_STATIC_STRINGS);
  g_object_class_install_properties (object_class, N_PROPS, properties);

  signals[SIGNED_IN] =
    g_signal_new ("signed-in", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST,
                  0, NULL, NULL, NULL, G_TYPE_NONE, 1, G_TYPE_STRING);
  signals[CANCELLED] =
    g_signal_new ("cancelled", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST,
                  0, NULL, NULL, NULL, G_TYPE_NONE, 0);

  gtk_widget_class_set_template_from_resource (widget_class,
                                               RESOURCE_BASE "/vigil-signin-window.ui");
  gtk_widget_class_bind_template_child (widget_class, VigilSigninWindow, window_title);
  gtk_widget_class_bind_template_child (widget_class, VigilSigninWindow, stack);
  gtk_widget_class_bind_template_child (widget_class, VigilSigninWindow, error_page);

  gtk_widget_class_install_action (widget_class, "signin.retry", NULL, retry_action);
}

static void
vigil_signin_window_init (VigilSigninWindow *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));
  self->cancellable = g_cancellable_new ();
}

/* ------------------------------------------------------------------ */
/* Public API                                                          */
/* ------------------------------------------------------------------ */

VigilSigninWindow *
vigil_signin_window_new (GtkWindow  *parent,
                         const char *base_url)
{
  g_return_val_if_fail (parent == NULL || GTK_IS_WINDOW (parent), NULL);
  g_return_val_if_fail (base_url != NULL && *base_url != '\0', NULL);

  return g_object_new (VIGIL_TYPE_SIGNIN_WINDOW,
                       "base-url", base_url,
                       "transient-for", parent,
                       NULL);
}

const char *
vigil_signin_window_get_base_url (VigilSigninWindow *self)
{
  g_return_val_if_fail (VIGIL_IS_SIGNIN_WINDOW (self), NULL);

  return self->base_url;
}

GtkWidget *
vigil_signin_window_get_web_view (VigilSigninWindow *self)
{
  g_return_val_if_fail (VIGIL_IS_SIGNIN_WINDOW (self), NULL);

  return GTK_WIDGET (self->web_view);
}

#endif /* HAVE_WEBKIT */
