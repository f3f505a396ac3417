/* vigil-job-row.c — one tracked job: kind, title, progress bar with state
 * styling, the contract's step text with the ETA, time, tracking trouble,
 * and, for playlists and accounts, the songs.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <glib/gi18n.h>

#include "vigil-job-text.h"
#include "vigil-song-row.h"

#include "vigil-job-row.h"

struct _VigilJobRow
{
  GtkWidget       parent_instance;

  VigilJob       *job;
  gulong          notify_id;
  guint           clock_id;
  guint           tick_id;     /* an update waiting for the next frame */
  gboolean        dirty;       /* the row may be behind its job (hidden, unbuilt) */
  gboolean        show_server; /* the kind line names the job's server */
  gboolean        built;       /* the template's widgets exist (first map) */
  guint           build_id;    /* a tick callback: build once laid out and shown */

  GtkImage       *kind_icon;
  GtkLabel       *title_label;
  GtkLabel       *subtitle_label;
  GtkLabel       *time_label;
  GtkProgressBar *progress_bar;
  GtkLabel       *step_label;
  GtkLabel       *message_label;
  GtkBox         *content_box;
  GtkWidget      *trouble_box;    /* made when first needed */
  GtkLabel       *trouble_label;
  GtkWidget      *sign_in_button; /* in trouble_box: shown while not signed in */
  GtkMenuButton  *menu_button;
  GMenuModel     *row_menu;
  GtkExpander    *songs_expander;
  GtkScrolledWindow *songs_scroller;  /* made when first expanded */
  GtkListView    *songs_view;
};

enum {
  PROP_0,
  PROP_JOB,
  PROP_SHOW_SERVER,
  N_PROPS
};

enum {
  ACTION_REQUESTED,
  N_SIGNALS
};

static GParamSpec *properties[N_PROPS];
static guint signals[N_SIGNALS];

/* The height an unbuilt row claims (the last built row's), so that the list
 * view places it as it will be when shown. */
static int estimated_height = 80;

G_DEFINE_ENUM_TYPE (VigilJobRowAction, vigil_job_row_action,
                    G_DEFINE_ENUM_VALUE (VIGIL_JOB_ROW_ACTION_RETRY_NOW, "retry-now"),
                    G_DEFINE_ENUM_VALUE (VIGIL_JOB_ROW_ACTION_STOP_WATCHING, "stop-watching"),
                    G_DEFINE_ENUM_VALUE (VIGIL_JOB_ROW_ACTION_COPY_ID, "copy-id"),
                    G_DEFINE_ENUM_VALUE (VIGIL_JOB_ROW_ACTION_REMOVE, "remove"),
                    G_DEFINE_ENUM_VALUE (VIGIL_JOB_ROW_ACTION_SIGN_IN, "sign-in"))

G_DEFINE_FINAL_TYPE (VigilJobRow, vigil_job_row, GTK_TYPE_WIDGET)

/* The row's actions, as its menu (vigil-job-row.ui) names them. */
#define ACTION_RETRY_NOW     "row.retry-now"
#define ACTION_STOP_WATCHING "row.stop-watching"
#define ACTION_COPY_ID       "row.copy-id"
#define ACTION_REMOVE        "row.remove"
#define ACTION_SIGN_IN       "row.sign-in"

#define SONG_ROWS_SHOWN 8
#define SONG_ROW_HEIGHT 27

/* ------------------------------------------------------------------ */
/* Looks (the words are vigil-job-text's)                              */
/* ------------------------------------------------------------------ */

const char *
vigil_job_row_kind_icon_name (VigilJobKind kind)
{
  switch (kind)
    {
    case VIGIL_JOB_KIND_SONG:
      return "audio-x-generic-symbolic";
    case VIGIL_JOB_KIND_PLAYLIST:
      return "view-list-bullet-symbolic";
    case VIGIL_JOB_KIND_BACKGROUND:
      return "avatar-default-symbolic";
    case VIGIL_JOB_KIND_UNKNOWN:
    default:
      return "content-loading-symbolic";
    }
}

/* Progress can't be followed: the bar turns red. */
static gboolean
is_untrackable (VigilJob *job)
{
  switch (vigil_job_get_tracking_state (job))
    {
    case VIGIL_TRACKING_STATE_STALLED:
    case VIGIL_TRACKING_STATE_NOT_SIGNED_IN:
    case VIGIL_TRACKING_STATE_SERVER_UNREACHABLE:
    case VIGIL_TRACKING_STATE_SERVER_ERROR:
      return TRUE;
    case VIGIL_TRACKING_STATE_ACTIVE:
    case VIGIL_TRACKING_STATE_RETRYING:
    case VIGIL_TRACKING_STATE_OFFLINE:
    case VIGIL_TRACKING_STATE_STOPPED:
    default:
      return FALSE;
    }
}

/* ------------------------------------------------------------------ */
/* Updating                                                            */
/* ------------------------------------------------------------------ */

static void
set_label_if_changed (GtkLabel   *label,
                      const char *text)
{
  if (g_strcmp0 (gtk_label_get_label (label), text ? text : "") != 0)
    gtk_label_set_label (label, text ? text : "");
}

static void
update_bar_style (VigilJobRow *self)
{
  VigilServerState state = vigil_job_get_server_state (self->job);
  gboolean untrackable = !vigil_job_get_is_finished (self->job) && is_untrackable (self->job);
  GtkWidget *bar = GTK_WIDGET (self->progress_bar);
  double fraction = vigil_job_get_fraction (self->job);

  if (state == VIGIL_SERVER_STATE_SUCCEEDED)
    fraction = 1.0;
  gtk_progress_bar_set_fraction (self->progress_bar, CLAMP (fraction, 0.0, 1.0));

  gtk_widget_remove_css_class (bar, "success");
  gtk_widget_remove_css_class (bar, "error");
  gtk_widget_remove_css_class (bar, "accent");
  if (state == VIGIL_SERVER_STATE_SUCCEEDED)
    gtk_widget_add_css_class (bar, "success");
  else if (state == VIGIL_SERVER_STATE_FAILED || state == VIGIL_SERVER_STATE_LOST ||
           state == VIGIL_SERVER_STATE_NOT_FOUND || untrackable)
    gtk_widget_add_css_class (bar, "error");
  else if (state == VIGIL_SERVER_STATE_RUNNING)
    gtk_widget_add_css_class (bar, "accent");
}

static void
update_message (VigilJobRow *self,
                const char  *step)
{
  const char *message = vigil_job_get_message (self->job);
  gboolean show = message != NULL && message[0] != '\0' &&
                  vigil_job_get_server_state (self->job) == VIGIL_SERVER_STATE_RUNNING &&
                  g_strcmp0 (message, step) != 0;

  set_label_if_changed (self->message_label, show ? message : NULL);
  gtk_widget_set_visible (GTK_WIDGET (self->message_label), show);
}

static void
update_actions (VigilJobRow *self)
{
  gboolean finished = vigil_job_get_is_finished (self->job);
  gboolean stopped = vigil_job_get_tracking_state (self->job) == VIGIL_TRACKING_STATE_STOPPED;

  gtk_widget_action_set_enabled (GTK_WIDGET (self), ACTION_STOP_WATCHING, !finished && !stopped);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), ACTION_RETRY_NOW, !finished);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), ACTION_REMOVE, finished || stopped);
}

static void
update_songs (VigilJobRow *self)
{
  VigilJobKind kind = vigil_job_get_kind (self->job);
  gboolean has_songs = kind == VIGIL_JOB_KIND_PLAYLIST || kind == VIGIL_JOB_KIND_BACKGROUND;
  g_autofree char *label = NULL;
  guint n_songs;

  /* Nothing to expand until the server says how many songs there are. */
  has_songs = has_songs && vigil_job_get_total_items (self->job) > 0;
  gtk_widget_set_visible (GTK_WIDGET (self->songs_expander), has_songs);
  if (!has_songs)
    return;

  /* A list view's natural height counts only the rows it made so far:
   * ask for room for up to SONG_ROWS_SHOWN songs, then scroll. */
  n_songs = g_list_model_get_n_items (vigil_job_get_songs (self->job));
  if (self->songs_scroller != NULL)
    gtk_scrolled_window_set_min_content_height (self->songs_scroller,
                                                MIN (n_songs, SONG_ROWS_SHOWN) * SONG_ROW_HEIGHT);

  label = vigil_job_text_songs_done (vigil_job_get_completed_items (self->job),
                                     vigil_job_get_total_items (self->job));
  gtk_expander_set_label (self->songs_expander, label);
}

static void
update_time (VigilJobRow *self)
{
  g_autofree char *time = vigil_job_text_time (self->job, NULL);

  set_label_if_changed (self->time_label, time);
}

/* Most rows never have trouble: its widgets are made the first time. */
static void
create_trouble_box (VigilJobRow *self)
{
  GtkWidget *icon = g_object_new (GTK_TYPE_IMAGE,
                                  "icon-name", "dialog-warning-symbolic",
                                  "accessible-role", GTK_ACCESSIBLE_ROLE_PRESENTATION,
                                  NULL);
  GtkWidget *button = gtk_button_new_with_mnemonic (_("_Retry Now"));

  self->trouble_box = gtk_box_new (GTK_ORIENTATION_HORIZONTAL, 6);
  gtk_widget_add_css_class (icon, "warning");
  gtk_box_append (GTK_BOX (self->trouble_box), icon);

  self->trouble_label = GTK_LABEL (gtk_label_new (NULL));
  gtk_label_set_xalign (self->trouble_label, 0);
  gtk_label_set_wrap (self->trouble_label, TRUE);
  gtk_widget_set_hexpand (GTK_WIDGET (self->trouble_label), TRUE);
  gtk_widget_add_css_class (GTK_WIDGET (self->trouble_label), "warning");
  gtk_box_append (GTK_BOX (self->trouble_box), GTK_WIDGET (self->trouble_label));

  gtk_actionable_set_action_name (GTK_ACTIONABLE (button), ACTION_RETRY_NOW);
  gtk_widget_set_valign (button, GTK_ALIGN_CENTER);
  gtk_widget_set_margin_end (button, 6);
  gtk_box_append (GTK_BOX (self->trouble_box), button);

  self->sign_in_button = gtk_button_new_with_mnemonic (_("_Sign In…"));
  gtk_actionable_set_action_name (GTK_ACTIONABLE (self->sign_in_button), ACTION_SIGN_IN);
  gtk_widget_set_valign (self->sign_in_button, GTK_ALIGN_CENTER);
  gtk_widget_set_margin_end (self->sign_in_button, 6);
  gtk_widget_add_css_class (self->sign_in_button, "suggested-action");
  gtk_box_append (GTK_BOX (self->trouble_box), self->sign_in_button);

  gtk_box_insert_child_after (self->content_box, self->trouble_box,
                              GTK_WIDGET (self->message_label));
}

static void
update_trouble (VigilJobRow *self,
                const char  *trouble)
{
  if (trouble != NULL && self->trouble_box == NULL)
    create_trouble_box (self);
  if (self->trouble_box == NULL)
    return;

  set_label_if_changed (self->trouble_label, trouble);
  gtk_widget_set_visible (self->trouble_box, trouble != NULL);
  gtk_widget_set_visible (self->sign_in_button,
                          vigil_job_get_tracking_state (self->job) == VIGIL_TRACKING_STATE_NOT_SIGNED_IN);
  gtk_widget_set_tooltip_text (self->trouble_box, vigil_job_get_tracking_error (self->job));
}

static void
vigil_job_row_update (VigilJobRow *self)
{
  g_autofree char *subtitle = NULL, *step = NULL, *trouble = NULL, *description = NULL;
  const char *title;

  if (self->job == NULL)
    return;
  if (!self->built)
    {
      self->dirty = TRUE;
      return;
    }

  title = vigil_job_get_title (self->job);
  if (title == NULL || title[0] == '\0')
    title = vigil_job_get_job_id (self->job);
  subtitle = vigil_job_text_kind (vigil_job_get_kind (self->job),
                                  vigil_job_get_completed_items (self->job),
                                  vigil_job_get_total_items (self->job));
  if (self->show_server)
    {
      const char *server = vigil_job_get_server_name (self->job);
      char *with_server = vigil_job_text_kind_on_server (subtitle, server != NULL
                                                         ? server
                                                         : vigil_job_get_server_host (self->job));
      g_free (subtitle);
      subtitle = with_server;
    }
  step = vigil_job_text_status (self->job);
  trouble = vigil_job_text_trouble (self->job);

  gtk_image_set_from_icon_name (self->kind_icon, vigil_job_row_kind_icon_name (vigil_job_get_kind (self->job)));
  set_label_if_changed (self->title_label, title);
  set_label_if_changed (self->subtitle_label, subtitle);
  set_label_if_changed (self->step_label, step);
  update_trouble (self, trouble);
  update_message (self, step);
  update_bar_style (self);
  update_time (self);
  update_actions (self);
  update_songs (self);

  /* A screen reader hears the title, then the step, ETA and any trouble. */
  description = trouble ? g_strdup_printf ("%s. %s", step, trouble) : g_strdup (step);
  gtk_accessible_update_property (GTK_ACCESSIBLE (self),
                                  GTK_ACCESSIBLE_PROPERTY_LABEL, title,
                                  GTK_ACCESSIBLE_PROPERTY_DESCRIPTION, description,
                                  -1);
  gtk_accessible_update_property (GTK_ACCESSIBLE (self->progress_bar),
                                  GTK_ACCESSIBLE_PROPERTY_LABEL, title,
                                  GTK_ACCESSIBLE_PROPERTY_DESCRIPTION, step,
                                  -1);
}

static gboolean
on_clock (gpointer data)
{
  update_time (data);
  return G_SOURCE_CONTINUE;
}

/* The elapsed time ticks only while a visible row shows a running job. */
static void
update_clock (VigilJobRow *self)
{
  gboolean running = self->job != NULL &&
                     vigil_job_get_server_state (self->job) == VIGIL_SERVER_STATE_RUNNING &&
                     gtk_widget_get_mapped (GTK_WIDGET (self));

  if (running && self->clock_id == 0)
    self->clock_id = g_timeout_add_seconds (1, on_clock, self);
  else if (!running)
    g_clear_handle_id (&self->clock_id, g_source_remove);
}

static gboolean
update_on_tick (GtkWidget     *widget,
                GdkFrameClock *clock,
                gpointer       user_data)
{
  VigilJobRow *self = VIGIL_JOB_ROW (widget);

  self->tick_id = 0;
  self->dirty = FALSE;
  vigil_job_row_update (self);
  update_clock (self);
  return G_SOURCE_REMOVE;
}

/* A poll changes several properties at once, and a list keeps far more
 * rows than it shows: update a row at most once a frame, and a hidden row
 * only when it is shown. */
static void
on_job_notify (VigilJobRow *self)
{
  self->dirty = TRUE;
  if (self->tick_id == 0 && gtk_widget_get_mapped (GTK_WIDGET (self)))
    self->tick_id = gtk_widget_add_tick_callback (GTK_WIDGET (self), update_on_tick, NULL, NULL);
}

/* Only a shown row listens to its job: a GtkListView keeps some 200 rows
 * alive whatever it shows, and a job with a listener pays for batching and
 * sending its notifications on every poll (a job nobody hears skips both,
 * vigil-job.c). A row shown again catches up at once (dirty). */
static void
listen (VigilJobRow *self,
        gboolean     on)
{
  on = on && self->job != NULL;
  if (on == (self->notify_id != 0))
    return;
  if (on)
    self->notify_id = g_signal_connect_swapped (self->job, "notify", G_CALLBACK (on_job_notify), self);
  else
    {
      g_clear_signal_handler (&self->notify_id, self->job);
      self->dirty = self->job != NULL;
    }
}

/* ------------------------------------------------------------------ */
/* Parts made on demand                                                */
/* ------------------------------------------------------------------ */

/* A list keeps about two hundred rows alive: their menus and song lists
 * are made when first used, not with every row. */
static void
create_menu (GtkMenuButton *button,
             gpointer       user_data)
{
  VigilJobRow *self = user_data;

  if (gtk_menu_button_get_popover (button) == NULL)
    gtk_menu_button_set_menu_model (button, self->row_menu);
}

static void
set_songs_model (VigilJobRow *self)
{
  g_autoptr(GtkNoSelection) songs = NULL;

  if (self->songs_view == NULL)
    return;
  if (self->job != NULL)
    songs = gtk_no_selection_new (g_object_ref (vigil_job_get_songs (self->job)));
  gtk_list_view_set_model (self->songs_view, GTK_SELECTION_MODEL (songs));
}

static void
create_songs_view (VigilJobRow *self)
{
  GtkListItemFactory *factory =
    gtk_builder_list_item_factory_new_from_resource (NULL, RESOURCE_BASE "/vigil-song-row-item.ui");

  self->songs_view = GTK_LIST_VIEW (gtk_list_view_new (NULL, factory));
  gtk_widget_add_css_class (GTK_WIDGET (self->songs_view), "vigil-songs");
  self->songs_scroller = GTK_SCROLLED_WINDOW (gtk_scrolled_window_new ());
  gtk_scrolled_window_set_policy (self->songs_scroller, GTK_POLICY_NEVER, GTK_POLICY_AUTOMATIC);
  gtk_scrolled_window_set_propagate_natural_height (self->songs_scroller, TRUE);
  gtk_scrolled_window_set_max_content_height (self->songs_scroller, SONG_ROWS_SHOWN * SONG_ROW_HEIGHT);
  gtk_widget_set_margin_top (GTK_WIDGET (self->songs_scroller), 6);
  gtk_widget_set_margin_end (GTK_WIDGET (self->songs_scroller), 6);
  gtk_widget_add_css_class (GTK_WIDGET (self->songs_scroller), "card");
  gtk_scrolled_window_set_child (self->songs_scroller, GTK_WIDGET (self->songs_view));
  gtk_expander_set_child (self->songs_expander, GTK_WIDGET (self->songs_scroller));
  set_songs_model (self);
}

static void
on_songs_expanded (VigilJobRow *self)
{
  if (gtk_expander_get_expanded (self->songs_expander) && self->songs_view == NULL)
    {
      create_songs_view (self);
      update_songs (self);
    }
}

/* ------------------------------------------------------------------ */
/* Actions                                                             */
/* ------------------------------------------------------------------ */

/* The row knows no tracker: it says what was asked, for which job. */
static void
request_action (VigilJobRow       *self,
                VigilJobRowAction  action)
{
  g_autoptr(VigilJobRow) hold = NULL;
  g_autoptr(VigilJob) job = NULL;

  if (self->job == NULL)
    return;

  /* The handler may remove the job, and the list recycle this row. */
  hold = g_object_ref (self);
  job = g_object_ref (self->job);
  g_signal_emit (self, signals[ACTION_REQUESTED], 0, action, job);
}

static void
sign_in_action (GtkWidget  *widget,
                const char *action_name,
                GVariant   *parameter)
{
  request_action (VIGIL_JOB_ROW (widget), VIGIL_JOB_ROW_ACTION_SIGN_IN);
}

static void
retry_now_action (GtkWidget  *widget,
                  const char *action_name,
                  GVariant   *parameter)
{
  request_action (VIGIL_JOB_ROW (widget), VIGIL_JOB_ROW_ACTION_RETRY_NOW);
}

static void
stop_watching_action (GtkWidget  *widget,
                      const char *action_name,
                      GVariant   *parameter)
{
  request_action (VIGIL_JOB_ROW (widget), VIGIL_JOB_ROW_ACTION_STOP_WATCHING);
}

static void
copy_id_action (GtkWidget  *widget,
                const char *action_name,
                GVariant   *parameter)
{
  request_action (VIGIL_JOB_ROW (widget), VIGIL_JOB_ROW_ACTION_COPY_ID);
}

static void
remove_action (GtkWidget  *widget,
               const char *action_name,
               GVariant   *parameter)
{
  request_action (VIGIL_JOB_ROW (widget), VIGIL_JOB_ROW_ACTION_REMOVE);
}

/* ------------------------------------------------------------------ */
/* GObject / GtkWidget                                                 */
/* ------------------------------------------------------------------ */

/* GTK 4.8's list view keeps 200 rows alive whatever it shows (about 30 KB
 * of widgets each, README figure 5): a row makes its widgets when first
 * shown, and claims the usual height until then. */
static void
ensure_built (VigilJobRow *self)
{
  if (self->built)
    return;
  self->built = TRUE;
  gtk_widget_init_template (GTK_WIDGET (self));
  gtk_widget_set_size_request (GTK_WIDGET (self), -1, -1);
  gtk_menu_button_set_create_popup_func (self->menu_button, create_menu, self, NULL);
  /* GTK 4.8 focuses the menu button's own toggle, which a screen reader
   * reads without the menu button's label: it gets the label too. */
  gtk_accessible_update_property (GTK_ACCESSIBLE (gtk_widget_get_first_child (GTK_WIDGET (self->menu_button))),
                                  GTK_ACCESSIBLE_PROPERTY_LABEL, _("Job Actions"),
                                  -1);
  set_songs_model (self);
  self->dirty = self->job != NULL;
}

static void
build_shown (VigilJobRow *self)
{
  int height = 0;

  ensure_built (self);
  self->dirty = FALSE;
  vigil_job_row_update (self);
  update_clock (self);
  gtk_widget_measure (GTK_WIDGET (self), GTK_ORIENTATION_VERTICAL, -1, NULL, &height, NULL, NULL);
  if (height > 0)
    estimated_height = height;
}

/* A new row is mapped at once (a list view hides the rows out of view only
 * when it lays them out). A screenful of new rows a frame is built at once;
 * past that (thousands of jobs added in one go) a new row waits for the
 * layout that tells whether it is in view. */
#define BUILT_AT_ONCE_PER_FRAME 24

static gboolean
build_at_once (GtkWidget *widget)
{
  static gint64 frame = -1;
  static guint built;
  GdkFrameClock *clock = gtk_widget_get_frame_clock (widget);
  gint64 counter = clock != NULL ? gdk_frame_clock_get_frame_counter (clock) : -1;

  if (counter != frame)
    {
      frame = counter;
      built = 0;
    }
  return ++built <= BUILT_AT_ONCE_PER_FRAME;
}

static gboolean
build_when_laid_out (GtkWidget     *widget,
                     GdkFrameClock *clock,
                     gpointer       user_data)
{
  VigilJobRow *self = VIGIL_JOB_ROW (widget);

  if (gtk_widget_get_width (widget) == 0)
    return G_SOURCE_CONTINUE;
  self->build_id = 0;
  build_shown (self);
  return G_SOURCE_REMOVE;
}

static void
vigil_job_row_map (GtkWidget *widget)
{
  VigilJobRow *self = VIGIL_JOB_ROW (widget);

  GTK_WIDGET_CLASS (vigil_job_row_parent_class)->map (widget);
  listen (self, TRUE);
  if (!self->built)
    {
      if (gtk_widget_get_width (widget) > 0 || build_at_once (widget))
        build_shown (self);
      else if (self->build_id == 0)
        self->build_id = gtk_widget_add_tick_callback (widget, build_when_laid_out, NULL, NULL);
      return;
    }
  if (self->dirty)
    {
      self->dirty = FALSE;
      vigil_job_row_update (self);
    }
  update_clock (self);
}

static void
vigil_job_row_unmap (GtkWidget *widget)
{
  VigilJobRow *self = VIGIL_JOB_ROW (widget);

  if (self->tick_id != 0)
    {
      gtk_widget_remove_tick_callback (widget, self->tick_id);
      self->tick_id = 0;
    }
  if (self->build_id != 0)
    {
      gtk_widget_remove_tick_callback (widget, self->build_id);
      self->build_id = 0;
    }
  GTK_WIDGET_CLASS (vigil_job_row_parent_class)->unmap (widget);
  listen (self, FALSE);
  update_clock (self);
}

static void
vigil_job_row_dispose (GObject *object)
{
  VigilJobRow *self = VIGIL_JOB_ROW (object);

  vigil_job_row_set_job (self, NULL);
  g_clear_handle_id (&self->clock_id, g_source_remove);
  if (self->built)
    gtk_widget_dispose_template (GTK_WIDGET (self), VIGIL_TYPE_JOB_ROW);
  /* dispose_template drops the template's references; a plain GtkWidget
   * unparents its children itself. */
  for (GtkWidget *child; (child = gtk_widget_get_first_child (GTK_WIDGET (self)));)
    gtk_widget_unparent (child);

  G_OBJECT_CLASS (vigil_job_row_parent_class)->dispose (object);
}

static void
vigil_job_row_get_property (GObject    *object,
                            guint       prop_id,
                            GValue     *value,
                            GParamSpec *pspec)
{
  VigilJobRow *self = VIGIL_JOB_ROW (object);

  switch (prop_id)
    {
    case PROP_JOB:
      g_value_set_object (value, self->job);
      break;
    case PROP_SHOW_SERVER:
      g_value_set_boolean (value, self->show_server);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
vigil_job_row_set_property (GObject      *object,
                            guint         prop_id,
                            const GValue *value,
                            GParamSpec   *pspec)
{
  VigilJobRow *self = VIGIL_JOB_ROW (object);

  switch (prop_id)
    {
    case PROP_JOB:
      vigil_job_row_set_job (self, g_value_get_object (value));
      break;
    case PROP_SHOW_SERVER:
      if (self->show_server != g_value_get_boolean (value))
        {
          self->show_server = g_value_get_boolean (value);
          vigil_job_row_update (self);
          g_object_notify_by_pspec (object, pspec);
        }
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
vigil_job_row_class_init (VigilJobRowClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = vigil_job_row_dispose;
  object_class->get_property = vigil_job_row_get_property;
  object_class->set_property = vigil_job_row_set_property;
  widget_class->map = vigil_job_row_map;
  widget_class->unmap = vigil_job_row_unmap;

  properties[PROP_JOB] =
    g_param_spec_object ("job", NULL, NULL, VIGIL_TYPE_JOB,
                         G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  properties[PROP_SHOW_SERVER] =
    g_param_spec_boolean ("show-server", NULL, NULL, FALSE,
                          G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  g_object_class_install_properties (object_class, N_PROPS, properties);

  g_type_ensure (VIGIL_TYPE_SONG_ROW);
  gtk_widget_class_set_template_from_resource (widget_class, RESOURCE_BASE "/vigil-job-row.ui");
  gtk_widget_class_bind_template_child (widget_class, VigilJobRow, kind_icon);
  gtk_widget_class_bind_template_child (widget_class, VigilJobRow, title_label);
  gtk_widget_class_bind_template_child (widget_class, VigilJobRow, subtitle_label);
  gtk_widget_class_bind_template_child (widget_class, VigilJobRow, time_label);
  gtk_widget_class_bind_template_child (widget_class, VigilJobRow, progress_bar);
  gtk_widget_class_bind_template_child (widget_class, VigilJobRow, step_label);
  gtk_widget_class_bind_template_child (widget_class, VigilJobRow, message_label);
  gtk_widget_class_bind_template_child (widget_class, VigilJobRow, content_box);
  gtk_widget_class_bind_template_child (widget_class, VigilJobRow, songs_expander);
  gtk_widget_class_bind_template_child (widget_class, VigilJobRow, menu_button);
  gtk_widget_class_bind_template_child (widget_class, VigilJobRow, row_menu);
  gtk_widget_class_bind_template_callback (widget_class, on_songs_expanded);

  signals[ACTION_REQUESTED] =
    g_signal_new ("action-requested", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST,
                  0, NULL, NULL, NULL, G_TYPE_NONE, 2, VIGIL_TYPE_JOB_ROW_ACTION, VIGIL_TYPE_JOB);

  gtk_widget_class_install_action (widget_class, ACTION_RETRY_NOW, NULL, retry_now_action);
  gtk_widget_class_install_action (widget_class, ACTION_STOP_WATCHING, NULL, stop_watching_action);
  gtk_widget_class_install_action (widget_class, ACTION_COPY_ID, NULL, copy_id_action);
  gtk_widget_class_install_action (widget_class, ACTION_REMOVE, NULL, remove_action);
  gtk_widget_class_install_action (widget_class, ACTION_SIGN_IN, NULL, sign_in_action);

  gtk_widget_class_set_layout_manager_type (widget_class, GTK_TYPE_BIN_LAYOUT);
  gtk_widget_class_set_accessible_role (widget_class, GTK_ACCESSIBLE_ROLE_GROUP);
  gtk_widget_class_set_css_name (widget_class, "vigiljobrow");
}

static void
vigil_job_row_init (VigilJobRow *self)
{
  /* The widgets come with the first map: ensure_built(). */
  gtk_widget_set_size_request (GTK_WIDGET (self), -1, estimated_height);
}

/* A row asked about before it was shown builds itself (tests, a11y). */
static void
build_now (VigilJobRow *self)
{
  if (self->built)
    return;
  ensure_built (self);
  self->dirty = FALSE;
  vigil_job_row_update (self);
}

/* ------------------------------------------------------------------ */
/* Public API                                                          */
/* ------------------------------------------------------------------ */

GtkWidget *
vigil_job_row_new (void)
{
  return g_object_new (VIGIL_TYPE_JOB_ROW, NULL);
}

VigilJob *
vigil_job_row_get_job (VigilJobRow *self)
{
  g_return_val_if_fail (VIGIL_IS_JOB_ROW (self), NULL);

  return self->job;
}

void
vigil_job_row_set_job (VigilJobRow *self,
                       VigilJob    *job)
{
  g_return_if_fail (VIGIL_IS_JOB_ROW (self));
  g_return_if_fail (job == NULL || VIGIL_IS_JOB (job));

  if (self->job == job)
    return;

  listen (self, FALSE);
  g_set_object (&self->job, job);
  listen (self, gtk_widget_get_mapped (GTK_WIDGET (self)));
  /* Recycled rows start collapsed. */
  if (self->built)
    {
      gtk_expander_set_expanded (self->songs_expander, FALSE);
      set_songs_model (self);
    }

  self->dirty = FALSE;
  vigil_job_row_update (self);
  update_clock (self);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_JOB]);
}

const char *
vigil_job_row_get_step_text (VigilJobRow *self)
{
  g_return_val_if_fail (VIGIL_IS_JOB_ROW (self), NULL);

  build_now (self);
  return gtk_label_get_label (self->step_label);
}

const char *
vigil_job_row_get_time_text (VigilJobRow *self)
{
  g_return_val_if_fail (VIGIL_IS_JOB_ROW (self), NULL);

  build_now (self);
  return gtk_label_get_label (self->time_label);
}

const char *
vigil_job_row_get_trouble_text (VigilJobRow *self)
{
  g_return_val_if_fail (VIGIL_IS_JOB_ROW (self), NULL);

  build_now (self);
  return self->trouble_box != NULL && gtk_widget_get_visible (self->trouble_box)
         ? gtk_label_get_label (self->trouble_label)
                                                     : NULL;
}
