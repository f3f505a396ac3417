/* vigil-preferences-window.c — the server and how to sign in to it
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <glib/gi18n.h>

#include "vigil-signin-window.h"

#include "vigil-preferences-window.h"

struct _VigilPreferencesWindow
{
  AdwPreferencesWindow  parent_instance;

  VigilApiClient       *client;
  VigilCredentials     *credentials;
  GSettings            *settings;
  GCancellable         *cancellable;
  char                 *saved_url;     /* the normalized URL a Save is storing for */
  VigilSignInMethod     saved_method;
  char                 *saved_secret;
  VigilCredentialKind   looking_up;    /* which lookup fills the form */
  VigilApplication     *app;           /* NULL: one server only */
  char                 *selected;      /* the server the form edits; NULL: a new one */
  GPtrArray            *server_rows;   /* the Servers group's rows */
  char                 *removed_url;   /* the last server removed, for Undo */
  gboolean              removed_was_last; /* … and it was the last used one */
  AdwToast             *toast;         /* "Removed NAME", weak */

  /* Template widgets */
  AdwPreferencesGroup  *servers_group;
  AdwEntryRow          *url_row;
  AdwEntryRow          *name_row;
  GtkLabel             *url_warning_label;
  AdwComboRow          *method_row;
  AdwPasswordEntryRow  *secret_row;
  GtkLabel             *keyring_label;
  GtkSpinner           *spinner;
  GtkWidget            *web_sign_in_button;
  GtkLabel             *status_label;
  GtkSwitch            *notify_background_switch;
  AdwComboRow          *notify_jobs_row;
  GtkSwitch            *keep_in_background_switch;
};

enum {
  PROP_0,
  PROP_CLIENT,
  PROP_CREDENTIALS,
  PROP_SETTINGS,
  N_PROPS
};

enum {
  SAVED,
  CHECKED,
  N_SIGNALS
};

static GParamSpec *properties[N_PROPS];
static guint signals[N_SIGNALS];

G_DEFINE_FINAL_TYPE (VigilPreferencesWindow, vigil_preferences_window, ADW_TYPE_PREFERENCES_WINDOW)

/* ------------------------------------------------------------------ */
/* Helpers                                                             */
/* ------------------------------------------------------------------ */

static void
set_status (VigilPreferencesWindow *self,
            const char             *text,
            const char             *style)
{
  GtkWidget *label = GTK_WIDGET (self->status_label);

  gtk_label_set_label (self->status_label, text);
  gtk_widget_remove_css_class (label, "success");
  gtk_widget_remove_css_class (label, "error");
  gtk_widget_remove_css_class (label, "warning");
  if (style != NULL)
    gtk_widget_add_css_class (label, style);
}

static void
set_busy (VigilPreferencesWindow *self,
          gboolean                busy)
{
  gtk_spinner_set_spinning (self->spinner, busy);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "prefs.save", !busy);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "prefs.test-connection", !busy);
}

static VigilSignInMethod
get_method (VigilPreferencesWindow *self)
{
  return (VigilSignInMethod) adw_combo_row_get_selected (self->method_row);
}

/* A client for what the form says, or NULL and the reason on the status line. */
static VigilApiClient *
client_from_form (VigilPreferencesWindow *self)
{
  g_autofree char *url = g_strstrip (g_strdup (gtk_editable_get_text (GTK_EDITABLE (self->url_row))));
  const char *secret = gtk_editable_get_text (GTK_EDITABLE (self->secret_row));
  g_autoptr(GError) error = NULL;
  VigilApiClient *client = vigil_api_client_new (url, &error);

  if (client == NULL)
    {
      gtk_widget_add_css_class (GTK_WIDGET (self->url_row), "error");
      set_status (self, error->message, "error");
      return NULL;
    }
  vigil_api_client_set_timeout (client, vigil_api_client_get_timeout (self->client));
  if (get_method (self) == VIGIL_SIGN_IN_TOKEN)
    vigil_api_client_set_token (client, secret);
  else if (get_method (self) == VIGIL_SIGN_IN_COOKIE)
    vigil_api_client_set_cookie (client, secret);
  return client;
}

/* The app's client for url, or NULL when nobody watches it yet. */
static VigilApiClient *
client_for (VigilPreferencesWindow *self,
            const char             *url)
{
  if (self->app != NULL)
    return vigil_application_get_client_for (self->app, url);
  if (g_strcmp0 (url, vigil_api_client_get_base_url (self->client)) == 0)
    return self->client;
  return NULL;
}

static gboolean
is_current_server (VigilPreferencesWindow *self,
                   const char             *url)
{
  return client_for (self, url) != NULL;
}

/* The app's client signs in with what was saved: the poller probes at once. */
static void
apply_to_client (VigilPreferencesWindow *self)
{
  VigilApiClient *client = client_for (self, self->saved_url);

  if (client == NULL)
    return;
  vigil_api_client_set_token (client,
                              self->saved_method == VIGIL_SIGN_IN_TOKEN ? self->saved_secret : NULL);
  vigil_api_client_set_cookie (client,
                               self->saved_method == VIGIL_SIGN_IN_COOKIE ? self->saved_secret : NULL);
}

/* ------------------------------------------------------------------ */
/* The Servers group                                                   */
/* ------------------------------------------------------------------ */

static const char *
editing_url (VigilPreferencesWindow *self)
{
  if (self->selected != NULL)
    return self->selected;
  return vigil_api_client_get_base_url (self->client);
}

/* `servers`, then `server-url` when it is not among them. */
static GStrv
configured_servers (VigilPreferencesWindow *self)
{
  g_auto(GStrv) servers = g_settings_get_strv (self->settings, "servers");
  g_autofree char *last = g_settings_get_string (self->settings, "server-url");
  g_autoptr(GStrvBuilder) builder = g_strv_builder_new ();

  g_strv_builder_addv (builder, (const char **) servers);
  if (!g_strv_contains ((const char * const *) servers, last))
    g_strv_builder_add (builder, last);
  return g_strv_builder_end (builder);
}

/* The saved name, else host[:port], else the URL. */
static char *
server_title (VigilPreferencesWindow *self,
              const char             *url)
{
  g_autoptr(GVariant) names = g_settings_get_value (self->settings, "server-names");
  g_autoptr(GUri) uri = NULL;
  const char *name = NULL;

  if (g_variant_lookup (names, url, "&s", &name) && *name != '\0')
    return g_strdup (name);
  uri = g_uri_parse (url, G_URI_FLAGS_NONE, NULL);
  if (uri == NULL || g_uri_get_host (uri) == NULL)
    return g_strdup (url);
  if (g_uri_get_port (uri) > 0)
    return g_strdup_printf ("%s:%d", g_uri_get_host (uri), g_uri_get_port (uri));
  return g_strdup (g_uri_get_host (uri));
}

static void load_server (VigilPreferencesWindow *self);

static void
on_server_row_activated (AdwActionRow *row,
                         gpointer      user_data)
{
  VigilPreferencesWindow *self = VIGIL_PREFERENCES_WINDOW (user_data);

  vigil_preferences_window_select_server (self, adw_action_row_get_subtitle (row));
}

static void
on_remove_clicked (GtkButton *button,
                   gpointer   user_data)
{
  VigilPreferencesWindow *self = VIGIL_PREFERENCES_WINDOW (user_data);
  const char *url = g_object_get_data (G_OBJECT (button), "vigil-url");
  g_autofree char *copy = g_strdup (url);

  vigil_preferences_window_remove_server (self, copy);
}

static void rebuild_servers (VigilPreferencesWindow *self);

/* A toast on its way out takes no new words. */
static void
forget_toast (VigilPreferencesWindow *self,
              AdwToast               *toast)
{
  if (self->toast != toast)
    return;
  g_object_remove_weak_pointer (G_OBJECT (toast), (gpointer *) &self->toast);
  self->toast = NULL;
}

/* "Removed NAME" with Undo; a second removal takes over the toast. */
static void
show_removed_toast (VigilPreferencesWindow *self,
                    const char             *url)
{
  g_autofree char *name = server_title (self, url);
  /* Translators: a toast in Preferences; %s is a server's name */
  g_autofree char *text = g_strdup_printf (_("Removed %s"), name);

  g_free (self->removed_url);
  self->removed_url = g_strdup (url);
  if (self->toast != NULL)
    {
      adw_toast_set_title (self->toast, text);
      return;
    }
  self->toast = adw_toast_new (text);
  adw_toast_set_button_label (self->toast, _("_Undo"));
  adw_toast_set_action_name (self->toast, "prefs.undo-remove-server");
  g_object_add_weak_pointer (G_OBJECT (self->toast), (gpointer *) &self->toast);
  g_signal_connect_object (self->toast, "dismissed", G_CALLBACK (forget_toast), self,
                           G_CONNECT_SWAPPED);
  adw_preferences_window_add_toast (ADW_PREFERENCES_WINDOW (self), self->toast);
}

/* The server comes back, with its name, sign-in and state file: its
 * unfinished jobs resume. */
static void
undo_remove_server_action (GtkWidget  *widget,
                           const char *action_name,
                           GVariant   *parameter)
{
  VigilPreferencesWindow *self = VIGIL_PREFERENCES_WINDOW (widget);
  g_autofree char *url = g_steal_pointer (&self->removed_url);
  g_autoptr(GError) error = NULL;

  if (url == NULL || self->app == NULL)
    return;
  if (!vigil_application_add_server (self->app, url, &error))
    {
      set_status (self, error->message, "error");
      return;
    }
  /* as it was: the last used server again, if it was */
  if (self->removed_was_last)
    g_settings_set_string (self->settings, "server-url", url);
  rebuild_servers (self);
}

static void
rebuild_servers (VigilPreferencesWindow *self)
{
  g_auto(GStrv) urls = NULL;
  guint n;

  if (self->server_rows == NULL || self->settings == NULL)
    return;
  urls = configured_servers (self);
  n = g_strv_length (urls);

  for (guint i = 0; i < self->server_rows->len; i++)
    adw_preferences_group_remove (self->servers_group, g_ptr_array_index (self->server_rows, i));
  g_ptr_array_set_size (self->server_rows, 0);

  for (guint i = 0; i < n; i++)
    {
      g_autofree char *title = server_title (self, urls[i]);
      GtkWidget *row = adw_action_row_new ();
      GtkWidget *check = gtk_image_new_from_icon_name ("object-select-symbolic");

      adw_preferences_row_set_title (ADW_PREFERENCES_ROW (row), title);
      adw_preferences_row_set_use_markup (ADW_PREFERENCES_ROW (row), FALSE);
      adw_action_row_set_subtitle (ADW_ACTION_ROW (row), urls[i]);
      gtk_list_box_row_set_activatable (GTK_LIST_BOX_ROW (row), TRUE);
      gtk_widget_set_visible (check, self->selected != NULL &&
                                     g_str_equal (urls[i], self->selected));
      gtk_accessible_update_property (GTK_ACCESSIBLE (check), GTK_ACCESSIBLE_PROPERTY_LABEL,
                                      _("Being edited"), -1);
      adw_action_row_add_suffix (ADW_ACTION_ROW (row), check);
      if (n > 1)
        {
          GtkWidget *remove = gtk_button_new_from_icon_name ("user-trash-symbolic");

          gtk_widget_set_valign (remove, GTK_ALIGN_CENTER);
          gtk_widget_add_css_class (remove, "flat");
          gtk_widget_set_tooltip_text (remove, _("Remove Server"));
          gtk_accessible_update_property (GTK_ACCESSIBLE (remove),
                                          GTK_ACCESSIBLE_PROPERTY_LABEL, _("Remove Server"),
                                          GTK_ACCESSIBLE_PROPERTY_DESCRIPTION, title,
                                          -1);
          g_object_set_data_full (G_OBJECT (remove), "vigil-url", g_strdup (urls[i]), g_free);
          g_signal_connect_object (remove, "clicked", G_CALLBACK (on_remove_clicked), self, 0);
          adw_action_row_add_suffix (ADW_ACTION_ROW (row), remove);
        }
      g_signal_connect_object (row, "activated", G_CALLBACK (on_server_row_activated), self, 0);
      adw_preferences_group_add (self->servers_group, row);
      g_ptr_array_add (self->server_rows, row);
    }
}

static void
finish_save (VigilPreferencesWindow *self)
{
  apply_to_client (self);
  set_busy (self, FALSE);
  if (!is_current_server (self, self->saved_url))
    set_status (self, _("Saved. Vigil watches the new address from its next start."), "success");
  else if (vigil_credentials_is_session_only (self->credentials))
    set_status (self, _("Saved for this session only: there is no keyring"), "warning");
  else if (self->saved_method == VIGIL_SIGN_IN_NONE)
    set_status (self, _("Saved"), "success");
  else
    set_status (self, _("Saved in the keyring"), "success");
  g_clear_pointer (&self->saved_secret, g_free);
  g_signal_emit (self, signals[SAVED], 0);
}

/* ------------------------------------------------------------------ */
/* Callbacks                                                           */
/* ------------------------------------------------------------------ */

/* What an answer comes back to: the window, if it is still open. A
 * pending call does not keep a closed window alive (GTK 4.8 crashes when
 * a window outlives its transient parent). */
static GWeakRef *
answer_to (VigilPreferencesWindow *self)
{
  GWeakRef *ref = g_new0 (GWeakRef, 1);

  g_weak_ref_init (ref, self);
  return ref;
}

static VigilPreferencesWindow *
answered (gpointer user_data)
{
  GWeakRef *ref = user_data;
  VigilPreferencesWindow *self = g_weak_ref_get (ref);

  g_weak_ref_clear (ref);
  g_free (ref);
  return self;
}

/* No keyring is no failure here: the secret is kept for the session and
 * the keyring line says so. Only a closed window stops a save. */
static gboolean
keep_going (GError *error)
{
  return error == NULL || !g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED);
}

/* The window was closed (disposed: its widgets are gone) while a keyring
 * call or a connection check was under way; the answer may still come,
 * cancelled or not. */
static gboolean
closed (VigilPreferencesWindow *self)
{
  return self->cancellable == NULL;
}

static void
on_other_cleared (GObject      *source,
                  GAsyncResult *result,
                  gpointer      user_data)
{
  g_autoptr(VigilPreferencesWindow) self = answered (user_data);
  g_autoptr(GError) error = NULL;

  if (self == NULL)   /* the window is gone: nobody to tell */
    return;
  vigil_credentials_clear_finish (VIGIL_CREDENTIALS (source), result, &error);
  if (keep_going (error) && !closed (self))
    finish_save (self);
}

/* Only one secret per server: the kind not chosen is cleared. */
static void
clear_other_kind (VigilPreferencesWindow *self)
{
  VigilCredentialKind other = self->saved_method == VIGIL_SIGN_IN_COOKIE
                              ? VIGIL_CREDENTIAL_KIND_TOKEN : VIGIL_CREDENTIAL_KIND_COOKIE;

  vigil_credentials_clear_async (self->credentials, self->saved_url, other, self->cancellable,
                                 on_other_cleared, answer_to (self));
}

static void
on_first_done (GObject      *source,
               GAsyncResult *result,
               gpointer      user_data)
{
  g_autoptr(VigilPreferencesWindow) self = answered (user_data);
  g_autoptr(GError) error = NULL;

  if (self == NULL)   /* the window is gone: nobody to tell */
    return;
  if (self->saved_method == VIGIL_SIGN_IN_NONE)
    vigil_credentials_clear_finish (VIGIL_CREDENTIALS (source), result, &error);
  else
    vigil_credentials_store_finish (VIGIL_CREDENTIALS (source), result, &error);
  if (keep_going (error) && !closed (self))
    clear_other_kind (self);
}

static void
on_checked (GObject      *source,
            GAsyncResult *result,
            gpointer      user_data)
{
  g_autoptr(VigilPreferencesWindow) self = answered (user_data);
  g_autofree char *text = NULL;
  VigilConnectionResult outcome;

  if (self == NULL)   /* the window is gone: nobody to tell */
    return;
  outcome = vigil_connection_check_finish (VIGIL_API_CLIENT (source), result, &text);
  if (closed (self) || g_cancellable_is_cancelled (self->cancellable))
    return;
  set_busy (self, FALSE);
  set_status (self, text,
              outcome == VIGIL_CONNECTION_ADMIN ? "success"
              : outcome == VIGIL_CONNECTION_SIGNED_IN ? "success" : "error");
  g_signal_emit (self, signals[CHECKED], 0, outcome);
}

static void
on_url_changed (VigilPreferencesWindow *self)
{
  const char *url = gtk_editable_get_text (GTK_EDITABLE (self->url_row));
  const char *warning = vigil_connection_url_warning (url);

  gtk_widget_remove_css_class (GTK_WIDGET (self->url_row), "error");
  gtk_label_set_label (self->url_warning_label, warning != NULL ? warning : "");
  gtk_widget_set_visible (GTK_WIDGET (self->url_warning_label), warning != NULL);
}

static void
on_method_changed (VigilPreferencesWindow *self)
{
  VigilSignInMethod method = get_method (self);

  gtk_widget_set_sensitive (GTK_WIDGET (self->secret_row), method != VIGIL_SIGN_IN_NONE);
  adw_preferences_row_set_title (ADW_PREFERENCES_ROW (self->secret_row),
                                 method == VIGIL_SIGN_IN_COOKIE
                                 /* Translators: a session cookie, typed as name=value */
                                 ? _("Cookie (name=value)") : _("Token"));
}

/* What is saved for the server fills the form, unless the user typed first. */
static void
on_lookup (GObject      *source,
           GAsyncResult *result,
           gpointer      user_data);

static void
lookup_kind (VigilPreferencesWindow *self,
             VigilCredentialKind     kind)
{
  self->looking_up = kind;
  if (self->app != NULL && self->selected == NULL)
    return;   /* a new server has nothing saved */
  vigil_credentials_lookup_async (self->credentials, editing_url (self),
                                  kind, self->cancellable, on_lookup, answer_to (self));
}

static void
on_lookup (GObject      *source,
           GAsyncResult *result,
           gpointer      user_data)
{
  g_autoptr(VigilPreferencesWindow) self = answered (user_data);
  g_autoptr(GError) error = NULL;
  g_autofree char *secret = NULL;
  gboolean was_cookie;

  if (self == NULL)   /* the window is gone: nobody to tell */
    return;
  secret = vigil_credentials_lookup_finish (VIGIL_CREDENTIALS (source), result, &error);
  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED) || closed (self))
    return;
  was_cookie = self->looking_up == VIGIL_CREDENTIAL_KIND_COOKIE;
  if (get_method (self) != VIGIL_SIGN_IN_NONE ||
      *gtk_editable_get_text (GTK_EDITABLE (self->secret_row)) != '\0')
    return;
  if (secret != NULL)
    {
      adw_combo_row_set_selected (self->method_row,
                                  was_cookie ? VIGIL_SIGN_IN_COOKIE : VIGIL_SIGN_IN_TOKEN);
      gtk_editable_set_text (GTK_EDITABLE (self->secret_row), secret);
    }
  else if (!was_cookie)
    lookup_kind (self, VIGIL_CREDENTIAL_KIND_COOKIE);
}

/* ------------------------------------------------------------------ */
/* Actions                                                             */
/* ------------------------------------------------------------------ */

static void
save_name (VigilPreferencesWindow *self,
           const char             *url)
{
  g_autoptr(GVariant) names = g_settings_get_value (self->settings, "server-names");
  g_autofree char *name = g_strstrip (g_strdup (gtk_editable_get_text (GTK_EDITABLE (self->name_row))));
  g_autoptr(GVariantBuilder) builder = g_variant_builder_new (G_VARIANT_TYPE ("a{ss}"));
  GVariantIter iter;
  const char *key, *value;

  g_variant_iter_init (&iter, names);
  while (g_variant_iter_next (&iter, "{&s&s}", &key, &value))
    if (!g_str_equal (key, url))
      g_variant_builder_add (builder, "{ss}", key, value);
  if (*name != '\0')
    g_variant_builder_add (builder, "{ss}", url, name);
  g_settings_set_value (self->settings, "server-names", g_variant_builder_end (builder));
}

static void
save_action (GtkWidget  *widget,
             const char *action_name,
             GVariant   *parameter)
{
  VigilPreferencesWindow *self = VIGIL_PREFERENCES_WINDOW (widget);
  g_autoptr(VigilApiClient) form = client_from_form (self);
  VigilCredentialKind kind;

  if (form == NULL)
    return;

  g_free (self->saved_url);
  self->saved_url = g_strdup (vigil_api_client_get_base_url (form));
  self->saved_method = get_method (self);
  g_free (self->saved_secret);
  self->saved_secret = g_strdup (gtk_editable_get_text (GTK_EDITABLE (self->secret_row)));
  if (self->saved_method != VIGIL_SIGN_IN_NONE && *self->saved_secret == '\0')
    {
      set_status (self, self->saved_method == VIGIL_SIGN_IN_TOKEN
                        ? _("Enter the token, or choose to sign in with nothing")
                        : _("Enter the cookie, or choose to sign in with nothing"), "error");
      return;
    }

  /* The address and name only: never the secret. */
  if (self->app != NULL && self->selected == NULL)
    {
      g_autoptr(GError) error = NULL;

      if (!vigil_application_add_server (self->app, self->saved_url, &error))
        {
          set_status (self, error->message, "error");
          return;
        }
    }
  else if (self->app == NULL || g_strcmp0 (self->selected, vigil_api_client_get_base_url (self->client)) == 0)
    g_settings_set_string (self->settings, "server-url", self->saved_url);
  save_name (self, self->saved_url);
  g_free (self->selected);
  self->selected = g_strdup (self->saved_url);
  if (self->app != NULL)
    rebuild_servers (self);
  set_busy (self, TRUE);
  kind = self->saved_method == VIGIL_SIGN_IN_COOKIE ? VIGIL_CREDENTIAL_KIND_COOKIE
                                                    : VIGIL_CREDENTIAL_KIND_TOKEN;
  if (self->saved_method == VIGIL_SIGN_IN_NONE)
    vigil_credentials_clear_async (self->credentials, self->saved_url, kind, self->cancellable,
                                   on_first_done, answer_to (self));
  else
    vigil_credentials_store_async (self->credentials, self->saved_url, kind, self->saved_secret,
                                   NULL, self->cancellable, on_first_done, answer_to (self));
}

/* The web sign-in caught the server's session cookie: save it like a
 * pasted one, so that it goes to the keyring and the client at once. */
static void
on_web_signed_in (VigilPreferencesWindow *self,
                  const char             *value)
{
  g_autofree char *cookie = g_strconcat ("session=", value, NULL);

  adw_combo_row_set_selected (self->method_row, VIGIL_SIGN_IN_COOKIE);
  gtk_editable_set_text (GTK_EDITABLE (self->secret_row), cookie);
  gtk_widget_activate_action (GTK_WIDGET (self), "prefs.save", NULL);
}

static void
web_sign_in_action (GtkWidget  *widget,
                    const char *action_name,
                    GVariant   *parameter)
{
  VigilPreferencesWindow *self = VIGIL_PREFERENCES_WINDOW (widget);
  g_autoptr(VigilApiClient) form = client_from_form (self);
  VigilSigninWindow *signin;

  if (form == NULL)
    return;

  signin = vigil_signin_window_new (GTK_WINDOW (self), vigil_api_client_get_base_url (form));
  g_signal_connect_object (signin, "signed-in", G_CALLBACK (on_web_signed_in), self,
                           G_CONNECT_SWAPPED);
  gtk_window_present (GTK_WINDOW (signin));
}

/* The form shows the selected server: its address, name and saved secret. */
static void
load_server (VigilPreferencesWindow *self)
{
  g_autoptr(GVariant) names = g_settings_get_value (self->settings, "server-names");
  const char *name = NULL;

  /* A lookup still running was for the server shown before. */
  g_cancellable_cancel (self->cancellable);
  g_clear_object (&self->cancellable);
  self->cancellable = g_cancellable_new ();
  set_busy (self, FALSE);
  set_status (self, "", NULL);
  gtk_editable_set_text (GTK_EDITABLE (self->url_row), self->selected != NULL ? self->selected : "");
  if (self->selected == NULL || !g_variant_lookup (names, self->selected, "&s", &name))
    name = "";
  gtk_editable_set_text (GTK_EDITABLE (self->name_row), name);
  adw_combo_row_set_selected (self->method_row, VIGIL_SIGN_IN_NONE);
  gtk_editable_set_text (GTK_EDITABLE (self->secret_row), "");
  rebuild_servers (self);
  lookup_kind (self, VIGIL_CREDENTIAL_KIND_TOKEN);
}

static void
add_server_action (GtkWidget  *widget,
                   const char *action_name,
                   GVariant   *parameter)
{
  vigil_preferences_window_select_server (VIGIL_PREFERENCES_WINDOW (widget), NULL);
  gtk_widget_grab_focus (GTK_WIDGET (VIGIL_PREFERENCES_WINDOW (widget)->url_row));
}

static void
test_connection_action (GtkWidget  *widget,
                        const char *action_name,
                        GVariant   *parameter)
{
  VigilPreferencesWindow *self = VIGIL_PREFERENCES_WINDOW (widget);
  g_autoptr(VigilApiClient) form = client_from_form (self);

  if (form == NULL)
    return;
  set_busy (self, TRUE);
  set_status (self, _("Asking the server…"), NULL);
  vigil_connection_check_async (form, self->cancellable, on_checked, answer_to (self));
}

/* ------------------------------------------------------------------ */
/* The General page: settings bound to their rows                      */
/* ------------------------------------------------------------------ */

/* notify-jobs, in the order of the combo row's items. */
static const char * const notify_jobs_values[] = { "off", "failures", "all" };

static gboolean
notify_jobs_get_mapping (GValue   *value,
                         GVariant *variant,
                         gpointer  user_data G_GNUC_UNUSED)
{
  const char *s = g_variant_get_string (variant, NULL);

  for (guint i = 0; i < G_N_ELEMENTS (notify_jobs_values); i++)
    if (g_strcmp0 (s, notify_jobs_values[i]) == 0)
      {
        g_value_set_uint (value, i);
        return TRUE;
      }
  return FALSE;
}

static GVariant *
notify_jobs_set_mapping (const GValue       *value,
                         const GVariantType *expected_type G_GNUC_UNUSED,
                         gpointer            user_data G_GNUC_UNUSED)
{
  guint i = g_value_get_uint (value);

  if (i >= G_N_ELEMENTS (notify_jobs_values))
    return NULL;
  return g_variant_new_string (notify_jobs_values[i]);
}

static void
bind_general_page (VigilPreferencesWindow *self)
{
  g_settings_bind (self->settings, "notify-background",
                   self->notify_background_switch, "active", G_SETTINGS_BIND_DEFAULT);
  g_settings_bind_with_mapping (self->settings, "notify-jobs",
                                self->notify_jobs_row, "selected", G_SETTINGS_BIND_DEFAULT,
                                notify_jobs_get_mapping, notify_jobs_set_mapping, NULL, NULL);
  g_settings_bind (self->settings, "keep-in-background",
                   self->keep_in_background_switch, "active", G_SETTINGS_BIND_DEFAULT);
}

/* ------------------------------------------------------------------ */
/* GObject overrides                                                   */
/* ------------------------------------------------------------------ */

static void
vigil_preferences_window_constructed (GObject *object)
{
  VigilPreferencesWindow *self = VIGIL_PREFERENCES_WINDOW (object);

  G_OBJECT_CLASS (vigil_preferences_window_parent_class)->constructed (object);

  g_assert (self->client != NULL && self->credentials != NULL && self->settings != NULL);
  gtk_editable_set_text (GTK_EDITABLE (self->url_row), vigil_api_client_get_base_url (self->client));
  {
    g_autoptr(GVariant) names = g_settings_get_value (self->settings, "server-names");
    const char *name = NULL;

    if (g_variant_lookup (names, vigil_api_client_get_base_url (self->client), "&s", &name))
      gtk_editable_set_text (GTK_EDITABLE (self->name_row), name);
  }
  g_object_bind_property (self->credentials, "session-only", self->keyring_label, "visible",
                          G_BINDING_SYNC_CREATE);
  bind_general_page (self);
  lookup_kind (self, VIGIL_CREDENTIAL_KIND_TOKEN);
}

static void
vigil_preferences_window_dispose (GObject *object)
{
  VigilPreferencesWindow *self = VIGIL_PREFERENCES_WINDOW (object);

  g_cancellable_cancel (self->cancellable);
  if (self->toast != NULL)
    g_object_remove_weak_pointer (G_OBJECT (self->toast), (gpointer *) &self->toast);
  self->toast = NULL;
  gtk_widget_dispose_template (GTK_WIDGET (self), VIGIL_TYPE_PREFERENCES_WINDOW);
  g_clear_object (&self->cancellable);
  g_clear_object (&self->client);
  g_clear_object (&self->credentials);
  g_clear_object (&self->settings);
  g_clear_object (&self->app);
  g_clear_pointer (&self->server_rows, g_ptr_array_unref);

  G_OBJECT_CLASS (vigil_preferences_window_parent_class)->dispose (object);
}

static void
vigil_preferences_window_finalize (GObject *object)
{
  VigilPreferencesWindow *self = VIGIL_PREFERENCES_WINDOW (object);

  g_free (self->saved_url);
  g_free (self->saved_secret);
  g_free (self->selected);
  g_free (self->removed_url);

  G_OBJECT_CLASS (vigil_preferences_window_parent_class)->finalize (object);
}

static void
vigil_preferences_window_set_property (GObject      *object,
                                      guint         prop_id,
                                      const GValue *value,
                                      GParamSpec   *pspec)
{
  VigilPreferencesWindow *self = VIGIL_PREFERENCES_WINDOW (object);

  switch (prop_id)
    {
    case PROP_CLIENT:
      self->client = g_value_dup_object (value);
      break;
    case PROP_CREDENTIALS:
      self->credentials = g_value_dup_object (value);
      break;
    case PROP_SETTINGS:
      self->settings = g_value_dup_object (value);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
vigil_preferences_window_class_init (VigilPreferencesWindowClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->constructed = vigil_preferences_window_constructed;
  object_class->dispose = vigil_preferences_window_dispose;
  object_class->finalize = vigil_preferences_window_finalize;
  object_class->set_property = vigil_preferences_window_set_property;

  properties[PROP_CLIENT] =
    g_param_spec_object ("client", NULL, NULL, VIGIL_TYPE_API_CLIENT,
                         G_PARAM_WRITABLE | G_PARAM_CONSTRUCT_ONLY | G_PARAM_STATIC_STRINGS);
  properties[PROP_CREDENTIALS] =
    g_param_spec_object ("credentials", NULL, NULL, VIGIL_TYPE_CREDENTIALS,
                         G_PARAM_WRITABLE | G_PARAM_CONSTRUCT_ONLY | G_PARAM_STATIC_STRINGS);
  properties[PROP_SETTINGS] =
    g_param_spec_object ("settings", NULL, NULL, G_TYPE_SETTINGS,
                         G_PARAM_WRITABLE | G_PARAM_CONSTRUCT_ONLY | G_PARAM_STATIC_STRINGS);
  g_object_class_install_properties (object_class, N_PROPS, properties);

  signals[SAVED] = g_signal_new ("saved", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST,
                                 0, NULL, NULL, NULL, G_TYPE_NONE, 0);
  signals[CHECKED] = g_signal_new ("checked", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST,
                                   0, NULL, NULL, NULL, G_TYPE_NONE, 1,
                                   VIGIL_TYPE_CONNECTION_RESULT);

  gtk_widget_class_set_template_from_resource (widget_class,
                                               "/io/github/vigil/Vigil/vigil-preferences-window.ui");
  gtk_widget_class_bind_template_child (widget_class, VigilPreferencesWindow, servers_group);
  gtk_widget_class_bind_template_child (widget_class, VigilPreferencesWindow, url_row);
  gtk_widget_class_bind_template_child (widget_class, VigilPreferencesWindow, name_row);
  gtk_widget_class_bind_template_child (widget_class, VigilPreferencesWindow, url_warning_label);
  gtk_widget_class_bind_template_child (widget_class, VigilPreferencesWindow, method_row);
  gtk_widget_class_bind_template_child (widget_class, VigilPreferencesWindow, secret_row);
  gtk_widget_class_bind_template_child (widget_class, VigilPreferencesWindow, keyring_label);
  gtk_widget_class_bind_template_child (widget_class, VigilPreferencesWindow, spinner);
  gtk_widget_class_bind_template_child (widget_class, VigilPreferencesWindow, web_sign_in_button);
  gtk_widget_class_bind_template_child (widget_class, VigilPreferencesWindow, status_label);
  gtk_widget_class_bind_template_child (widget_class, VigilPreferencesWindow, notify_background_switch);
  gtk_widget_class_bind_template_child (widget_class, VigilPreferencesWindow, notify_jobs_row);
  gtk_widget_class_bind_template_child (widget_class, VigilPreferencesWindow, keep_in_background_switch);
  gtk_widget_class_bind_template_callback (widget_class, on_url_changed);
  gtk_widget_class_bind_template_callback (widget_class, on_method_changed);

  gtk_widget_class_install_action (widget_class, "prefs.save", NULL, save_action);
  gtk_widget_class_install_action (widget_class, "prefs.test-connection", NULL,
                                   test_connection_action);
  gtk_widget_class_install_action (widget_class, "prefs.web-sign-in", NULL, web_sign_in_action);
  gtk_widget_class_install_action (widget_class, "prefs.add-server", NULL, add_server_action);
  gtk_widget_class_install_action (widget_class, "prefs.undo-remove-server", NULL,
                                   undo_remove_server_action);
}

static void
vigil_preferences_window_init (VigilPreferencesWindow *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));
  self->cancellable = g_cancellable_new ();
  self->server_rows = g_ptr_array_new ();
  /* Without the app there is one server: no list to show. */
  gtk_widget_set_visible (GTK_WIDGET (self->servers_group), FALSE);
  gtk_widget_set_visible (self->web_sign_in_button, vigil_signin_window_is_available ());
}

/* ------------------------------------------------------------------ */
/* Public API                                                          */
/* ------------------------------------------------------------------ */

GtkWidget *
vigil_preferences_window_new (GtkWindow        *parent,
                              VigilApiClient   *client,
                              VigilCredentials *credentials,
                              GSettings        *settings)
{
  g_return_val_if_fail (parent == NULL || GTK_IS_WINDOW (parent), NULL);
  g_return_val_if_fail (VIGIL_IS_API_CLIENT (client), NULL);
  g_return_val_if_fail (VIGIL_IS_CREDENTIALS (credentials), NULL);
  g_return_val_if_fail (G_IS_SETTINGS (settings), NULL);

  return g_object_new (VIGIL_TYPE_PREFERENCES_WINDOW,
                       "transient-for", parent,
                       "client", client,
                       "credentials", credentials,
                       "settings", settings,
                       NULL);
}

void
vigil_preferences_window_set_url (VigilPreferencesWindow *self,
                                  const char             *url)
{
  g_return_if_fail (VIGIL_IS_PREFERENCES_WINDOW (self));

  gtk_editable_set_text (GTK_EDITABLE (self->url_row), url != NULL ? url : "");
}

void
vigil_preferences_window_set_method (VigilPreferencesWindow *self,
                                     VigilSignInMethod       method)
{
  g_return_if_fail (VIGIL_IS_PREFERENCES_WINDOW (self));

  adw_combo_row_set_selected (self->method_row, method);
}

void
vigil_preferences_window_set_secret (VigilPreferencesWindow *self,
                                     const char             *secret)
{
  g_return_if_fail (VIGIL_IS_PREFERENCES_WINDOW (self));

  gtk_editable_set_text (GTK_EDITABLE (self->secret_row), secret != NULL ? secret : "");
}

const char *
vigil_preferences_window_get_status_text (VigilPreferencesWindow *self)
{
  g_return_val_if_fail (VIGIL_IS_PREFERENCES_WINDOW (self), NULL);

  return gtk_label_get_label (self->status_label);
}

const char *
vigil_preferences_window_get_url_warning (VigilPreferencesWindow *self)
{
  g_return_val_if_fail (VIGIL_IS_PREFERENCES_WINDOW (self), NULL);

  if (!gtk_widget_get_visible (GTK_WIDGET (self->url_warning_label)))
    return NULL;
  return gtk_label_get_label (self->url_warning_label);
}

void
vigil_preferences_window_set_application (VigilPreferencesWindow *self,
                                          VigilApplication       *app)
{
  g_return_if_fail (VIGIL_IS_PREFERENCES_WINDOW (self));
  g_return_if_fail (VIGIL_IS_APPLICATION (app));

  g_set_object (&self->app, app);
  g_free (self->selected);
  self->selected = g_strdup (vigil_api_client_get_base_url (self->client));
  gtk_widget_set_visible (GTK_WIDGET (self->servers_group), TRUE);
  g_signal_connect_object (self->settings, "changed::servers", G_CALLBACK (rebuild_servers), self,
                           G_CONNECT_SWAPPED);
  g_signal_connect_object (self->settings, "changed::server-url", G_CALLBACK (rebuild_servers), self,
                           G_CONNECT_SWAPPED);
  g_signal_connect_object (self->settings, "changed::server-names", G_CALLBACK (rebuild_servers), self,
                           G_CONNECT_SWAPPED);
  rebuild_servers (self);
}

void
vigil_preferences_window_select_server (VigilPreferencesWindow *self,
                                        const char             *url)
{
  g_return_if_fail (VIGIL_IS_PREFERENCES_WINDOW (self));

  g_free (self->selected);
  self->selected = g_strdup (url);
  load_server (self);
}

const char *
vigil_preferences_window_get_selected (VigilPreferencesWindow *self)
{
  g_return_val_if_fail (VIGIL_IS_PREFERENCES_WINDOW (self), NULL);

  return self->selected;
}

gboolean
vigil_preferences_window_remove_server (VigilPreferencesWindow *self,
                                        const char             *url)
{
  g_autofree char *copy = g_strdup (url);
  g_autofree char *last_used = NULL;

  g_return_val_if_fail (VIGIL_IS_PREFERENCES_WINDOW (self), FALSE);

  if (self->app == NULL)
    return FALSE;
  last_used = g_settings_get_string (self->settings, "server-url");
  if (!vigil_application_remove_server (self->app, copy))
    return FALSE;
  show_removed_toast (self, copy);
  self->removed_was_last = g_strcmp0 (last_used, copy) == 0;
  if (g_strcmp0 (self->selected, copy) == 0)
    {
      g_autofree char *last = g_settings_get_string (self->settings, "server-url");

      vigil_preferences_window_select_server (self, last);
    }
  else
    rebuild_servers (self);
  return TRUE;
}

const char *
vigil_preferences_window_get_toast_text (VigilPreferencesWindow *self)
{
  g_return_val_if_fail (VIGIL_IS_PREFERENCES_WINDOW (self), NULL);

  return self->toast != NULL ? adw_toast_get_title (self->toast) : NULL;
}

GStrv
vigil_preferences_window_dup_listed (VigilPreferencesWindow *self)
{
  g_autoptr(GStrvBuilder) builder = g_strv_builder_new ();

  g_return_val_if_fail (VIGIL_IS_PREFERENCES_WINDOW (self), NULL);

  for (guint i = 0; i < self->server_rows->len; i++)
    g_strv_builder_add (builder, adw_action_row_get_subtitle (g_ptr_array_index (self->server_rows, i)));
  return g_strv_builder_end (builder);
}

void
vigil_preferences_window_set_name (VigilPreferencesWindow *self,
                                   const char             *name)
{
  g_return_if_fail (VIGIL_IS_PREFERENCES_WINDOW (self));

  gtk_editable_set_text (GTK_EDITABLE (self->name_row), name != NULL ? name : "");
}
