/* docket-window-private.h: what the window's files share
 *
 * The window is one type in two files: the pages, the header bar, signing in and out,
 * search and the app's toasts (docket-window.c), and the live meeting as the window holds
 * it (docket-window-live.c): the open meeting's DocketMeetingLive, following the chair's
 * presentation, presenting (DocketPresenter) and the chair's console page with its
 * actions. They share the instance struct and the few functions declared here; nothing
 * else includes this header.
 */
#pragma once

#include <glib/gi18n.h>

#include "docket-window.h"
#include "docket-agenda.h"
#include "docket-chair-console.h"
#include "docket-document-view.h"
#include "docket-meeting-list.h"
#include "docket-meeting-list-page.h"
#include "docket-meeting-live.h"
#include "docket-meeting-page.h"
#include "docket-presenter.h"
#include "docket-search-page.h"
#include "docket-sign-in-page.h"
#include "docket-sync-indicator.h"

G_BEGIN_DECLS

struct _DocketWindow
{
  AdwApplicationWindow   parent_instance;

  /* Template widgets */
  AdwToastOverlay       *toast_overlay;
  AdwHeaderBar          *header_bar;
  GtkWidget             *back_button;
  GtkWidget             *refresh_button;
  AdwWindowTitle        *window_title;
  DocketSyncIndicator   *sync_indicator;
  GtkStack              *stack;
  DocketSignInPage      *sign_in_page;
  DocketMeetingListPage *meeting_list_page;
  DocketMeetingPage     *meeting_page;
  DocketDocumentView    *document_view;
  DocketSearchPage      *search_page;
  GtkWidget             *search_button;
  GtkWidget             *following_button;
  DocketChairConsole    *console;
  GtkWidget             *presenting_button;

  /* Owned */
  DocketStore           *store;
  DocketSync            *sync;
  DocketMeetingList     *meetings;
  DocketAgenda          *agenda;          /* of the open meeting */
  DocketMeeting         *meeting;         /* the open meeting */
  DocketDocument        *document;        /* the open document */
  DocketMeetingLive     *live;            /* where the open meeting stands while it is held */
  gboolean               following;       /* the official follows the chair's presentation */
  gboolean               follow_pending;  /* a presentation whose document the agenda lacks yet */
  DocketPresenter       *presenter;       /* the chair's presentation of the reader's pages */
  gboolean               from_console;    /* the open document was presented from the console */
  GSettings             *settings;        /* NULL when the schema is not installed */
  GCancellable          *cancellable;     /* refresh and sign-out in flight */
  gulong                 signed_in_id;
  AdwToast              *refusal_toast;   /* weak: the toast telling of refused changes */
  guint                  n_refused;       /* the changes it tells of */
  guint                  n_unsent;        /* the official's changes waiting in the outbox,
                                           * counted in a worker after each store change */
  guint                  n_kept;          /* those the server refused, kept here only */
  guint                  unsent_serial;   /* of the latest count asked: older ones are stale */

  /* Search across documents */
  const char            *search_return_page;  /* static: where search was opened from */
  DocketSearchResult    *pending_result;      /* to open once its meeting's agenda is loaded */
  gulong                 pending_loaded_id;
};

/* docket-window.c */
void     docket_window_update_header          (DocketWindow   *self);
void     docket_window_show_page              (DocketWindow   *self,
                                               const char     *name);
void     docket_window_set_following          (DocketWindow   *self,
                                               gboolean        following);

/* docket-window-live.c */
/* The win.* actions of the live meeting and their shortcuts. */
void     docket_window_live_class_init        (GtkWidgetClass *widget_class);
/* The presenter and what the console's actions are looked at again on. */
void     docket_window_live_constructed       (DocketWindow   *self);
/* The open meeting's live model, for the meeting page, the console and the presenter
 * (self->agenda is the meeting's already). */
void     docket_window_live_open              (DocketWindow   *self,
                                               const char     *meeting_id);
/* Leaves the open meeting's live parts: before the agenda is dropped. */
void     docket_window_live_close             (DocketWindow   *self);
/* In dispose: the presenter, before the template's children go. */
void     docket_window_live_dispose_presenter (DocketWindow   *self);
/* In dispose: the live model and the agenda's signals, whose loads may still answer. */
void     docket_window_live_forget            (DocketWindow   *self);
gboolean docket_window_may_run_live           (DocketWindow   *self);
void     docket_window_update_console_actions (DocketWindow   *self);
void     docket_window_follow_presentation    (DocketWindow   *self);

G_END_DECLS
