/* docket-page-widget-private.h: what the page widget's files share
 *
 * DocketPageWidget is one type in two files, as Text Editor's window is: drawing, layout
 * and the rendering it shows in docket-page-widget.c, input (gestures, links, text
 * selection, the note editor) in docket-page-widget-input.c. Nothing else includes this.
 */
#pragma once

#include "docket-page-widget.h"
#include "docket-annotator.h"
#include "docket-render-queue.h"

G_BEGIN_DECLS

#define PAGE_MARGIN DOCKET_PAGE_WIDGET_MARGIN

/* What a press on the page turned into. */
typedef enum {
  DRAG_NONE,
  DRAG_TEXT,        /* selecting text (and marking it, with a markup tool) */
  DRAG_MOVE,        /* moving the selected annotation */
  DRAG_INK,
  DRAG_RECTANGLE,
  DRAG_NOTE,        /* a note goes where the press ends */
  DRAG_LINK,        /* a press on a link: followed if it does not move */
} DragMode;

/* How far (in pixels) a press may move and still be a click. */
#define CLICK_SLOP 4.0

struct _DocketPageWidget
{
  GtkWidget          parent_instance;

  /* Owned */
  DocketPdfDocument *document;
  DocketPdfPage     *page;
  GdkTexture        *texture;       /* the last rendering, possibly of another width */
  GdkTexture        *preview;       /* a low-resolution one, while there is no other */
  DocketRenderQueue *render_queue;  /* borrowed: the document's, while a page is set */
  gulong             rendered_id;
  int                wanted_width;  /* pixels wide the rendering wanted of the queue is */
  GError            *error;

  /* How wide the page is shown: see docket_page_widget_set_zoom () */
  DocketZoomMode     zoom_mode;
  double             zoom_scale;
  int                view_height;

  GArray            *highlights;    /* graphene_rect_t in points: find hits */
  int                current_highlight;

  /* Annotating (see docket-annotator.h) */
  DocketAnnotator   *annotator;     /* owned */
  GPtrArray         *links;         /* DocketPdfLink*, or NULL until read */
  GCancellable      *links_cancellable;
  GCancellable      *select_cancellable;
  GtkWidget         *note_popover;  /* DocketNotePopover, a child of ours */
  gboolean           note_is_new;   /* it edits a note just put down */

  /* The gesture under way: where it started and where it is, in points */
  DragMode           drag_mode;
  double             start_x, start_y;
  double             drag_x, drag_y;
  double             press_x, press_y; /* where the press was, in the widget's pixels */
  GArray            *ink_points;    /* double x, y: the stroke being drawn */
  char              *moving_id;     /* the annotation being moved */
  int                pressed_link;  /* index in links, or -1 */
};

/* docket-page-widget.c */
void                  _docket_page_widget_page_area        (DocketPageWidget *self,
                                                            graphene_rect_t  *out_rect,
                                                            double           *out_scale);
DocketAnnotationList *_docket_page_widget_annotation_list  (DocketPageWidget *self);
GPtrArray            *_docket_page_widget_page_annotations (DocketPageWidget *self);

/* docket-page-widget-input.c */
void                  _docket_page_widget_init_input       (DocketPageWidget *self);
void                  _docket_page_widget_request_links    (DocketPageWidget *self);
void                  _docket_page_widget_end_drag         (DocketPageWidget *self);
void                  _docket_page_widget_on_edit_requested (DocketPageWidget *self,
                                                             const char       *id);

G_END_DECLS
