/* vigil-window-show-job.c — opening the window on one job (a
 * notification's Show): the list shows every job again if it hid it,
 * scrolls to it and lights its row up for a moment
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include "vigil-job-row.h"
#include "vigil-window-private.h"

#define HIGHLIGHT_CLASS "vigil-highlight"
#define HIGHLIGHT_MS 2500
#define MAX_FRAMES 120

typedef struct
{
  GtkWidget *row;        /* the list's row widget holding the job's card */
  GtkWidget *card;       /* the VigilJobRow */
  VigilJob  *job;
  gulong     job_handler;
  guint      timeout_id;
} Highlight;

typedef struct
{
  VigilJob *job;
  guint     frames;
} Search;

static void
highlight_end (Highlight *h)
{
  gtk_widget_remove_css_class (h->row, HIGHLIGHT_CLASS);
  g_clear_signal_handler (&h->job_handler, h->card);
  g_clear_handle_id (&h->timeout_id, g_source_remove);
  g_object_unref (h->card);
  g_object_unref (h->row);
  g_object_unref (h->job);
  g_free (h);
}

static gboolean
on_highlight_timeout (gpointer data)
{
  Highlight *h = data;

  h->timeout_id = 0;
  highlight_end (h);
  return G_SOURCE_REMOVE;
}

/* Rows are recycled: the light goes out when the row shows another job. */
static void
on_row_job_changed (VigilJobRow *card,
                    GParamSpec  *pspec,
                    Highlight   *h)
{
  if (vigil_job_row_get_job (card) != h->job)
    highlight_end (h);
}

static GtkWidget *
find_card (GtkWidget *widget,
           VigilJob  *job)
{
  for (GtkWidget *child = gtk_widget_get_first_child (widget); child != NULL;
       child = gtk_widget_get_next_sibling (child))
    {
      GtkWidget *found;

      if (VIGIL_IS_JOB_ROW (child))
        {
          if (vigil_job_row_get_job (VIGIL_JOB_ROW (child)) == job)
            return child;
          continue;
        }
      found = find_card (child, job);
      if (found != NULL)
        return found;
    }
  return NULL;
}

static void
highlight (GtkWidget *card,
           VigilJob  *job)
{
  Highlight *h = g_new0 (Highlight, 1);

  h->row = g_object_ref (gtk_widget_get_parent (card));
  h->card = g_object_ref (card);
  h->job = g_object_ref (job);
  gtk_widget_add_css_class (h->row, HIGHLIGHT_CLASS);
  gtk_widget_grab_focus (h->row);
  h->job_handler = g_signal_connect (card, "notify::job", G_CALLBACK (on_row_job_changed), h);
  h->timeout_id = g_timeout_add (HIGHLIGHT_MS, on_highlight_timeout, h);
}

static void
search_free (gpointer data)
{
  Search *search = data;

  g_object_unref (search->job);
  g_free (search);
}

/* The list makes the row after it has scrolled: look at each frame. */
static gboolean
on_tick (GtkWidget     *list,
         GdkFrameClock *clock,
         gpointer       data)
{
  Search *search = data;
  GtkWidget *card = find_card (list, search->job);

  if (card != NULL && gtk_widget_get_parent (card) != NULL)
    {
      highlight (card, search->job);
      return G_SOURCE_REMOVE;
    }
  return ++search->frames < MAX_FRAMES ? G_SOURCE_CONTINUE : G_SOURCE_REMOVE;
}

static gboolean
find_position (GListModel *model,
               gpointer    item,
               guint      *position)
{
  guint n = g_list_model_get_n_items (model);

  for (guint i = 0; i < n; i++)
    {
      g_autoptr(GObject) other = g_list_model_get_item (model, i);

      if (other == item)
        {
          *position = i;
          return TRUE;
        }
    }
  return FALSE;
}

/* Nothing the user chose hides the job: no search, every server, all jobs. */
static void
show_every_job (VigilWindow *self)
{
  gtk_search_bar_set_search_mode (self->search_bar, FALSE);
  gtk_editable_set_text (GTK_EDITABLE (self->search_entry), "");
  /* The entry says "search-changed" only after its delay: filter now. */
  g_clear_pointer (&self->search, g_free);
  gtk_drop_down_set_selected (self->server_dropdown, 0);
  g_object_set (self, "filter", "all", NULL);
  gtk_filter_changed (GTK_FILTER (self->filter), GTK_FILTER_CHANGE_LESS_STRICT);
}

/* Presents the window scrolled to job, its row lit up for a moment. */
void
vigil_window_show_job (VigilWindow *self,
                       VigilJob    *job)
{
  Search *search;
  guint position;

  g_return_if_fail (VIGIL_IS_WINDOW (self));
  g_return_if_fail (VIGIL_IS_JOB (job));

  gtk_window_present (GTK_WINDOW (self));
  if (!find_position (G_LIST_MODEL (self->sorted), job, &position))
    {
      show_every_job (self);
      if (!find_position (G_LIST_MODEL (self->sorted), job, &position))
        return;
    }
  gtk_widget_activate_action (GTK_WIDGET (self->job_list), "list.scroll-to-item", "u", position);

  search = g_new0 (Search, 1);
  search->job = g_object_ref (job);
  gtk_widget_add_tick_callback (GTK_WIDGET (self->job_list), on_tick, search, search_free);
}
