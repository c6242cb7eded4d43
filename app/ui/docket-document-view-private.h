/* docket-document-view-private.h: what the document view's files share
 *
 * The view is one type in several files, as Text Editor's window is: opening a document
 * and laying out its pages (docket-document-view.c), following the scroll and where the
 * reader is (docket-document-view-scroll.c), going to a page (-navigation.c), the find
 * bar's hits on the pages (-find.c), and the zoom with its gestures (-zoom.c). They share the instance struct and the few functions
 * declared here; nothing else includes this header.
 */
#pragma once

#include "docket-document-view.h"
#include "docket-annotator.h"
#include "docket-document-sidebar.h"
#include "docket-find-bar.h"
#include "docket-page-widget.h"
#include "docket-reader-state.h"
#include "docket-signature-bar.h"

G_BEGIN_DECLS

/* What a document opens at when the reader memory has nothing for it: as in Papers. */
#define DEFAULT_ZOOM_MODE DOCKET_ZOOM_AUTOMATIC

/* The smallest and the largest of the zoom steps (docket-document-view-zoom.c). */
#define ZOOM_MIN 0.5
#define ZOOM_MAX 4.0

struct _DocketDocumentView
{
  AdwBin                   parent_instance;

  /* Template widgets */
  GtkStack                *stack;
  GtkSpinner              *spinner;
  guint                    spinner_id;    /* starts the spinner of a slow load */
  AdwStatusPage           *error_page;
  GtkScrolledWindow       *scrolled_window;
  GtkGridView             *page_view;
  GtkMenuButton           *zoom_button;
  GtkMenuButton           *page_button;
  GtkPopover              *go_to_popover;
  GtkEntry                *page_entry;
  GtkLabel                *page_error;
  AdwFlap                 *flap;
  GtkRevealer             *annotation_revealer;
  DocketDocumentSidebar   *sidebar;
  /* Annotating (U): shared by the pages, the toolbar and the panel; owned. The annotator
   * follows the reader state (the document shown, the tool), which the view keeps. */
  DocketAnnotator         *annotator;
  DocketReaderState       *reader_state;
  DocketFindBar           *find_bar;
  DocketSignatureBar      *signature_bar;

  /* Owned */
  DocketPdfDocument       *document;
  GCancellable            *cancellable;   /* of the load (and lookup) in flight */
  DocketDocumentViewState  state;
  DocketDocument          *cached_document; /* the cache's document open, or NULL */
  DocketReaderMemory      *memory;        /* where documents were left, or NULL */

  /* Opening: the PDF loads while the reader memory is read; the pages are shown when
   * both are there. */
  DocketPdfDocument       *loaded;        /* loaded, waiting for the lookup */
  char                    *path;          /* its file */
  gboolean                 lookup_pending;
  int                      open_page;     /* the page to open at, or -1 */
  DocketZoomMode           open_zoom_mode;
  double                   open_zoom_scale;
  char                    *open_find_text;
  guint                    save_id;       /* the timeout that remembers where we are */

  /* What comes with an open document: its signatures (the bar keeps them) */
  GCancellable            *extras_cancellable;

  /* Find (the find bar searches; the view marks and shows its hits) */
  gboolean                 reveal_hit_pending; /* to look again once the scroll is done */

  /* Reading comfort */
  gboolean                 night_mode;
  gboolean                 sidebar_visible;
  gboolean                 annotating;    /* the annotation tools are shown */
  GSettings               *settings;      /* NULL when the schema is not installed */

  /* Pinch: where the fingers are, on which page, at what zoom it began */
  double                   pinch_start_scale;
  guint                    pinch_page;
  double                   pinch_fraction;
  double                   pinch_y;
  double                   pinch_x;
  double                   pinch_h_fraction; /* of the pages' width, under the fingers */
  gboolean                 pinch_h_pending;  /* to bring back under them once laid out */

  /* Zoom */
  DocketZoomMode           zoom_mode;
  double                   zoom_scale;    /* of DOCKET_ZOOM_FIXED */
  double                   scroll_zoom;   /* Ctrl+scroll not yet turned into a step */

  /* Where the reader is */
  guint                    current_page;
  guint                    tick_id;       /* the layout_tick callback, while one is due */
  gboolean                 target_pending;
  guint                    target_page;   /* a page being brought into view... */
  double                   target_fraction; /* ...with this fraction of it... */
  double                   target_offset; /* ...this many pixels below the top of the view */
  guint                    target_attempts;
  guint                    follow_scroll; /* ticks until the current page is recomputed, or 0 */
  double                   settled_value; /* the scroll position the current page was computed at */
};

/* docket-document-view.c: opening a document, its pages, the sidebar */
void              _docket_document_view_update_labels      (DocketDocumentView *self);
void              _docket_document_view_update_actions     (DocketDocumentView *self);
/* Notifies the zoom's three properties (mode, scale, the menu's choice). */
void              _docket_document_view_notify_zoom        (DocketDocumentView *self);
void              _docket_document_view_notify_current_page (DocketDocumentView *self);
/* The sidebar's selected thumbnail follows the page being read (or gone to). */
void              _docket_document_view_sync_sidebar_page  (DocketDocumentView *self);

/* docket-document-view-scroll.c: the page widgets, where the reader is, going there */
void              _docket_document_view_init_scroll        (DocketDocumentView *self);
int               _docket_document_view_view_height        (DocketDocumentView *self);
GPtrArray        *_docket_document_view_list_page_widgets  (DocketDocumentView *self);
DocketPageWidget *_docket_document_view_find_page_widget   (DocketDocumentView *self,
                                                            guint               index);
gboolean          _docket_document_view_page_widget_top    (DocketDocumentView *self,
                                                            DocketPageWidget   *widget,
                                                            double             *out_y);
/* Brings a page to the top of the view over the next frames, fraction of it scrolled by. */
void              _docket_document_view_scroll_to_page     (DocketDocumentView *self,
                                                            guint               index,
                                                            double              fraction);
/* Writes where the official is to the reader memory: now, or about a second from now. */
void              _docket_document_view_save_view_state    (DocketDocumentView *self);
void              _docket_document_view_queue_save_view_state (DocketDocumentView *self);

/* docket-document-view-find.c: the find bar's hits on the pages, F3 and Shift+F3 */
void              _docket_document_view_class_init_find    (GtkWidgetClass     *widget_class);
void              _docket_document_view_init_find          (DocketDocumentView *self);
void              _docket_document_view_update_page_highlights (DocketDocumentView *self,
                                                            DocketPageWidget   *widget);
/* Brings the find bar's current hit into view, unless it is in view already. */
void              _docket_document_view_scroll_to_current_hit (DocketDocumentView *self);

/* docket-document-view-navigation.c: the "Go to Page" popover, the page keys and actions */
void              _docket_document_view_class_init_navigation (GtkWidgetClass  *widget_class);
void              _docket_document_view_init_navigation    (DocketDocumentView *self);

/* docket-document-view-zoom.c: zoom, Ctrl+scroll and pinch */
/* The zoom menu, Ctrl+scroll, the pinch and the zoom following the view's size. */
void              _docket_document_view_init_zoom          (DocketDocumentView *self);
void              _docket_document_view_zoom_action        (GtkWidget          *widget,
                                                            const char         *action_name,
                                                            GVariant           *parameter);
/* The scale the current page is shown at, whatever the mode. */
double            _docket_document_view_effective_scale    (DocketDocumentView *self);
/* The zoom of the view, given to a page widget made or bound. */
void              _docket_document_view_apply_zoom         (DocketPageWidget   *widget,
                                                            DocketDocumentView *self);
/* How wide the pages' rows will be, before they are laid out. */
int               _docket_document_view_predicted_row_width (DocketDocumentView *self);
/* The "zoom-choice" property: "automatic", "fit-width", "fit-page", a step ("1.5"). */
char             *_docket_document_view_get_zoom_choice    (DocketDocumentView *self);
void              _docket_document_view_set_zoom_choice    (DocketDocumentView *self,
                                                            const char         *value);

G_END_DECLS
