/* vigil-window-private.h — what the window's parts share
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include "vigil-server-page.h"
#include "vigil-window.h"

G_BEGIN_DECLS

struct _VigilWindow
{
  AdwApplicationWindow  parent_instance;

  GSettings            *settings;
  VigilTracker         *tracker;       /* the primary server's */
  GListModel           *trackers;      /* every server's VigilTracker */
  GtkFlattenListModel  *all_jobs;      /* every tracker's jobs */
  GPtrArray            *pollers;       /* watched for server-health */
  GtkStringList        *server_names;  /* "All servers", then each host */
  char                 *server_label;
  VigilStateStore      *state_store;   /* nullable: the one store without state_stores */
  GListModel           *state_stores;  /* every server's VigilStateStore */
  GtkFlattenListModel  *all_history;   /* every store's history */
  GtkCustomFilter      *history_filter;
  GListModel           *history;       /* all_history filtered, newest first */
  GtkCustomFilter      *filter;
  GtkSorter            *sorter;
  GtkFilterListModel   *filtered;
  GtkSortListModel     *sorted;
  char                 *filter_mode;   /* "all", "active", "failed", "finished" */
  char                 *search;        /* casefolded, or NULL */
  GCancellable         *cancellable;
  AdwToast             *toast;         /* the one on screen, weak */

  /* Template widgets */
  AdwWindowTitle       *window_title;
  AdwToastOverlay      *toast_overlay;
  GtkStack             *stack;
  AdwStatusPage        *empty_page;
  GtkStack             *list_stack;
  GtkListView          *job_list;
  GtkStack             *history_stack;
  GtkListView          *history_list;
  GtkSearchBar         *search_bar;
  GtkSearchEntry       *search_entry;
  GtkLabel             *count_label;
  GtkLabel             *compact_count_label; /* the narrow toolbar's */
  GtkMenuButton        *filter_menu_button;  /* the narrow toolbar's */
  GtkMenuButton        *primary_menu_button;
  GtkDropDown          *server_dropdown;
  GtkRevealer          *keyring_banner;
  VigilServerPage      *server_page;   /* the Servers view: vigil-server-page.c */
};

/* vigil-window.c */
gboolean      vigil_window_text_matches      (const char  *text,
                                              const char  *needle);
/* The search or the server filter changed: both lists look again. */
void          vigil_window_refilter          (VigilWindow *self);

/* vigil-window-history.c: the Finished view over every server's history */
void          vigil_window_history_init      (VigilWindow *self);
void          vigil_window_history_dispose   (VigilWindow *self);
void          vigil_window_history_refilter  (VigilWindow *self);
guint         vigil_window_history_get_n_total (VigilWindow *self);
guint         vigil_window_history_clear     (VigilWindow *self);
guint         vigil_window_history_undo_clear (VigilWindow *self);

/* vigil-window-servers.c: several servers at once */
void          vigil_window_servers_init      (VigilWindow *self);
void          vigil_window_servers_start     (VigilWindow *self);
void          vigil_window_servers_dispose   (VigilWindow *self);
/* vigil-window.c: rows follow "several-servers" */
void          vigil_window_notify_several_servers (VigilWindow *self);
GListModel   *vigil_window_servers_get_jobs  (VigilWindow *self);
gboolean      vigil_window_servers_several   (VigilWindow *self);
gboolean      vigil_window_servers_match     (VigilWindow *self,
                                              VigilJob    *job);
/* The same for a history entry's server (a base URL). */
gboolean      vigil_window_servers_match_url (VigilWindow *self,
                                              const char  *url);
/* What the user calls the server at url (its tracker's server-name), or
 * NULL when no tracker has that URL. */
const char   *vigil_window_servers_name_for_url (VigilWindow *self,
                                                 const char  *url);
VigilTracker *vigil_window_tracker_for_job   (VigilWindow *self,
                                              VigilJob    *job);
/* A server chooser for a dialog (hidden with one server), the last used
 * one selected, and the tracker it names (which becomes the last used). */
GtkWidget    *vigil_window_server_chooser_new (VigilWindow *self);
VigilTracker *vigil_window_server_chooser_take (VigilWindow *self,
                                               GtkWidget   *chooser);

G_END_DECLS
