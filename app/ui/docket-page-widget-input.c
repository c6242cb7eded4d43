/* docket-page-widget-input.c: what a page widget does with presses, drags and the pointer
 *
 * The input half of DocketPageWidget (see docket-page-widget-private.h): following links,
 * selecting text, the note editor, and the gestures that select, move and draw
 * annotations by the annotator's tool. Apart from the drawing half so that each reads
 * on its own.
 */

#include "config.h"

#include <math.h>

#include "docket-page-widget-private.h"
#include "docket-annotation-drawing.h"
#include "docket-note-popover.h"
#include "docket-pdf-link.h"

static void
widget_to_page (DocketPageWidget *self,
                double            x,
                double            y,
                double           *out_x,
                double           *out_y)
{
  graphene_rect_t rect;
  double scale;

  _docket_page_widget_page_area (self, &rect, &scale);
  *out_x = (x - rect.origin.x) / scale;
  *out_y = (y - rect.origin.y) / scale;
}

/* A point kept on the page, so that nothing is drawn or moved off it. */
static void
clamp_to_page (DocketPageWidget *self,
               double           *x,
               double           *y)
{
  *x = CLAMP (*x, 0, docket_pdf_page_get_width (self->page));
  *y = CLAMP (*y, 0, docket_pdf_page_get_height (self->page));
}

/* The topmost annotation at (x, y) in points, or NULL (borrowed from the list). */
static DocketAnnotation *
annotation_at (DocketPageWidget *self,
               double            x,
               double            y)
{
  g_autoptr(GPtrArray) annotations = _docket_page_widget_page_annotations (self);

  for (guint i = annotations->len; i > 0; i--)
    {
      DocketAnnotation *annotation = g_ptr_array_index (annotations, i - 1);

      if (docket_annotation_drawing_hit (annotation, x, y))
        return docket_annotation_list_find (_docket_page_widget_annotation_list (self),
                                            docket_annotation_get_id (annotation));
    }
  return NULL;
}

static int
link_at (DocketPageWidget *self,
         double            x,
         double            y)
{
  if (self->links == NULL)
    return -1;
  for (guint i = 0; i < self->links->len; i++)
    {
      DocketPdfLink *link = g_ptr_array_index (self->links, i);

      if (graphene_rect_contains_point (&link->area, &GRAPHENE_POINT_INIT (x, y)))
        return (int) i;
    }
  return -1;
}

/* Links */

static void
on_links_read (GObject      *source,
               GAsyncResult *result,
               gpointer      user_data)
{
  g_autoptr(DocketPageWidget) self = user_data;
  g_autoptr(GError) error = NULL;
  GPtrArray *links = docket_pdf_document_get_links_finish (DOCKET_PDF_DOCUMENT (source), result, &error);

  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    return;
  g_clear_object (&self->links_cancellable);
  if (links == NULL)
    {
      g_debug ("No links on this page: %s", error->message);
      links = g_ptr_array_new ();
    }
  g_clear_pointer (&self->links, g_ptr_array_unref);
  self->links = links;
}

void
_docket_page_widget_request_links (DocketPageWidget *self)
{
  if (self->links != NULL || self->links_cancellable != NULL || self->page == NULL || self->document == NULL)
    return;
  self->links_cancellable = g_cancellable_new ();
  docket_pdf_document_get_links_async (self->document, docket_pdf_page_get_index (self->page),
                                       self->links_cancellable, on_links_read, g_object_ref (self));
}

static void
follow_link (DocketPageWidget *self,
             DocketPdfLink    *link)
{
  if (link->page >= 0)
    {
      gtk_widget_activate_action (GTK_WIDGET (self), "view.show-page", "u", (guint) link->page);
      return;
    }
  /* Only the web opens at once; other schemes (file:, javascript:...) from a document
   * someone else made are not ours to run. */
  if (link->uri != NULL &&
      (g_str_has_prefix (link->uri, "https://") || g_str_has_prefix (link->uri, "http://")))
    {
      GtkRoot *root = gtk_widget_get_root (GTK_WIDGET (self));
      gtk_show_uri (GTK_IS_WINDOW (root) ? GTK_WINDOW (root) : NULL, link->uri, GDK_CURRENT_TIME);
    }
  else
    g_message ("Not following the link to “%s”", link->uri != NULL ? link->uri : "");
}

/* Text selection */

typedef struct {
  DocketPageWidget    *self;
  DocketAnnotationKind kind;
  gboolean             mark;     /* the drag ended with a markup tool: mark the text */
} SelectRequest;

static void
on_text_selected (GObject      *source,
                  GAsyncResult *result,
                  gpointer      user_data)
{
  SelectRequest *request = user_data;
  g_autoptr(DocketPageWidget) self = request->self;
  g_autoptr(GError) error = NULL;
  DocketPdfSelection *selection;

  selection = docket_pdf_document_select_text_finish (DOCKET_PDF_DOCUMENT (source), result, &error);
  if (selection == NULL)
    {
      if (!g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
        g_warning ("Could not select text: %s", error->message);
      g_free (request);
      return;
    }
  if (self->annotator != NULL)
    {
      docket_annotator_set_text_selection (self->annotator, selection);
      if (request->mark)
        docket_annotator_mark_selection (self->annotator, request->kind);
    }
  else
    docket_pdf_selection_free (selection);
  g_free (request);
}

static void
request_selection (DocketPageWidget     *self,
                   gboolean              mark,
                   DocketAnnotationKind  kind)
{
  SelectRequest *request = g_new0 (SelectRequest, 1);

  g_cancellable_cancel (self->select_cancellable);
  g_clear_object (&self->select_cancellable);
  self->select_cancellable = g_cancellable_new ();

  request->self = g_object_ref (self);
  request->mark = mark;
  request->kind = kind;
  docket_pdf_document_select_text_async (self->document, docket_pdf_page_get_index (self->page),
                                         self->start_x, self->start_y, self->drag_x, self->drag_y, FALSE,
                                         self->select_cancellable, on_text_selected, request);
}

/* The note editor */

static void
on_note_popover_closed (DocketPageWidget *self)
{
  DocketNotePopover *popover = DOCKET_NOTE_POPOVER (self->note_popover);
  DocketAnnotationList *list = _docket_page_widget_annotation_list (self);
  g_autofree char *text = docket_note_popover_dup_text (popover);
  DocketAnnotation *annotation;

  if (list == NULL)
    return;
  annotation = docket_annotation_list_find (list, docket_note_popover_get_annotation_id (popover));
  if (annotation == NULL)
    return;
  /* A note put down and closed without a word was a slip: it goes, leaving nothing to
   * undo. */
  if (self->note_is_new && docket_annotation_get_kind (annotation) == DOCKET_ANNOTATION_NOTE &&
      g_strstrip (text)[0] == '\0')
    {
      docket_annotation_list_discard (list, docket_annotation_get_id (annotation));
      docket_annotator_select (self->annotator, NULL);
    }
  /* Saved when it closes, and only when it changed: one step of the history. */
  else if (g_strcmp0 (text, docket_annotation_get_contents (annotation)) != 0)
    docket_annotation_list_update (list, docket_annotation_get_id (annotation), NULL, NULL, text);
  self->note_is_new = FALSE;
}

/* Whether (x, y) of the widget is inside its window. */
static gboolean
point_in_window (DocketPageWidget *self,
                 double            x,
                 double            y)
{
  GtkWidget *root = GTK_WIDGET (gtk_widget_get_root (GTK_WIDGET (self)));
  graphene_point_t point;

  return root != NULL &&
         gtk_widget_compute_point (GTK_WIDGET (self), root, &GRAPHENE_POINT_INIT (x, y), &point) &&
         point.x >= 0 && point.y >= 0 &&
         point.x < gtk_widget_get_width (root) && point.y < gtk_widget_get_height (root);
}

static void
open_note_editor (DocketPageWidget *self,
                  DocketAnnotation *annotation,
                  gboolean          is_new)
{
  DocketGeometryRect box;
  graphene_rect_t rect;
  double scale;

  if (!gtk_widget_get_mapped (GTK_WIDGET (self)) || !docket_annotation_drawing_get_box (annotation, &box))
    return;

  if (self->note_popover == NULL)
    {
      self->note_popover = docket_note_popover_new ();
      gtk_widget_set_parent (self->note_popover, GTK_WIDGET (self));
      g_signal_connect_swapped (self->note_popover, "closed", G_CALLBACK (on_note_popover_closed), self);
    }

  _docket_page_widget_page_area (self, &rect, &scale);
  if (!point_in_window (self, rect.origin.x + box.x0 * scale, rect.origin.y + box.y0 * scale))
    {
      /* A popover must point at something on screen (GTK places it on the monitor of
       * what it points at); an annotation scrolled away is opened from where it is. */
      g_debug ("Not opening the text of an annotation out of sight");
      return;
    }
  gtk_popover_set_pointing_to (GTK_POPOVER (self->note_popover),
                               &(GdkRectangle) { (int) (rect.origin.x + box.x0 * scale),
                                                 (int) (rect.origin.y + box.y0 * scale),
                                                 MAX (1, (int) ((box.x1 - box.x0) * scale)),
                                                 MAX (1, (int) ((box.y1 - box.y0) * scale)) });
  docket_note_popover_set_annotation (DOCKET_NOTE_POPOVER (self->note_popover),
                                      docket_annotation_get_id (annotation),
                                      docket_annotation_get_contents (annotation));
  self->note_is_new = is_new;
  gtk_popover_popup (GTK_POPOVER (self->note_popover));
  gtk_widget_grab_focus (GTK_WIDGET (docket_note_popover_get_text_view (DOCKET_NOTE_POPOVER (self->note_popover))));
}

void
_docket_page_widget_on_edit_requested (DocketPageWidget *self,
                                       const char       *id)
{
  DocketAnnotationList *list = _docket_page_widget_annotation_list (self);
  DocketAnnotation *annotation = list != NULL ? docket_annotation_list_find (list, id) : NULL;

  if (annotation != NULL && self->page != NULL &&
      docket_annotation_get_page (annotation) == docket_pdf_page_get_index (self->page))
    open_note_editor (self, annotation, FALSE);
}

/* Gestures: what a press, a drag and a release do depends on the tool */

void
_docket_page_widget_end_drag (DocketPageWidget *self)
{
  self->drag_mode = DRAG_NONE;
  self->pressed_link = -1;
  g_clear_pointer (&self->ink_points, g_array_unref);
  g_clear_pointer (&self->moving_id, g_free);
  gtk_widget_queue_draw (GTK_WIDGET (self));
}

static gboolean
is_touch (GtkGesture *gesture)
{
  GdkDevice *device = gtk_gesture_get_device (gesture);

  return device != NULL && gdk_device_get_source (device) == GDK_SOURCE_TOUCHSCREEN;
}

static void
on_drag_begin (GtkGestureDrag   *gesture,
               double            x,
               double            y,
               DocketPageWidget *self)
{
  DocketAnnotationTool tool;
  DocketAnnotation *annotation;

  if (self->page == NULL || self->document == NULL || self->annotator == NULL)
    {
      gtk_gesture_set_state (GTK_GESTURE (gesture), GTK_EVENT_SEQUENCE_DENIED);
      return;
    }

  _docket_page_widget_end_drag (self);
  self->press_x = x;
  self->press_y = y;
  widget_to_page (self, x, y, &self->start_x, &self->start_y);
  self->drag_x = self->start_x;
  self->drag_y = self->start_y;
  /* Without annotations (no store), pages still select text and follow links. */
  tool = _docket_page_widget_annotation_list (self) != NULL ? docket_annotator_get_tool (self->annotator)
                                                            : DOCKET_ANNOTATION_TOOL_SELECT;

  switch (tool)
    {
    case DOCKET_ANNOTATION_TOOL_SELECT:
      if ((annotation = annotation_at (self, self->start_x, self->start_y)) != NULL)
        {
          docket_annotator_select (self->annotator, docket_annotation_get_id (annotation));
          self->moving_id = g_strdup (docket_annotation_get_id (annotation));
          self->drag_mode = DRAG_MOVE;
        }
      else if ((self->pressed_link = link_at (self, self->start_x, self->start_y)) >= 0)
        self->drag_mode = DRAG_LINK;
      else if (is_touch (GTK_GESTURE (gesture)))
        {
          /* A finger on the text scrolls, as in every reader; selecting text is for the
           * mouse and the pen. */
          _docket_page_widget_end_drag (self);
          gtk_gesture_set_state (GTK_GESTURE (gesture), GTK_EVENT_SEQUENCE_DENIED);
          return;
        }
      else
        self->drag_mode = DRAG_TEXT;
      break;
    case DOCKET_ANNOTATION_TOOL_HIGHLIGHT:
    case DOCKET_ANNOTATION_TOOL_UNDERLINE:
    case DOCKET_ANNOTATION_TOOL_STRIKEOUT:
      self->drag_mode = DRAG_TEXT;
      break;
    case DOCKET_ANNOTATION_TOOL_INK:
      self->drag_mode = DRAG_INK;
      self->ink_points = g_array_new (FALSE, FALSE, sizeof (double));
      clamp_to_page (self, &self->start_x, &self->start_y);
      g_array_append_val (self->ink_points, self->start_x);
      g_array_append_val (self->ink_points, self->start_y);
      break;
    case DOCKET_ANNOTATION_TOOL_RECTANGLE:
      self->drag_mode = DRAG_RECTANGLE;
      break;
    case DOCKET_ANNOTATION_TOOL_NOTE:
      self->drag_mode = DRAG_NOTE;
      break;
    default:
      break;
    }

  if (self->drag_mode != DRAG_MOVE)
    docket_annotator_select (self->annotator, NULL);
  /* Ours, not the list's: a drag on the page marks it instead of scrolling it (a
   * touch screen still scrolls with the select tool on a link-free margin). */
  gtk_gesture_set_state (GTK_GESTURE (gesture), GTK_EVENT_SEQUENCE_CLAIMED);
}

static void
on_drag_update (GtkGestureDrag   *gesture,
                double            offset_x,
                double            offset_y,
                DocketPageWidget *self)
{
  if (self->drag_mode == DRAG_NONE || self->page == NULL)
    return;
  widget_to_page (self, self->press_x + offset_x, self->press_y + offset_y, &self->drag_x, &self->drag_y);

  switch (self->drag_mode)
    {
    case DRAG_LINK:
      /* A press on a link that moves selects text, as elsewhere. */
      if (hypot (offset_x, offset_y) > CLICK_SLOP)
        self->drag_mode = DRAG_TEXT;
      break;
    case DRAG_TEXT:
      if (hypot (offset_x, offset_y) > CLICK_SLOP)
        request_selection (self, FALSE, DOCKET_ANNOTATION_HIGHLIGHT);
      break;
    case DRAG_INK:
      {
        double x = self->drag_x, y = self->drag_y;
        guint n = self->ink_points->len;

        clamp_to_page (self, &x, &y);
        /* Every half point is enough for a smooth line, and keeps within the limits of
         * the protocol. */
        if (n / 2 < DOCKET_MAX_INK_POINTS &&
            hypot (x - g_array_index (self->ink_points, double, n - 2),
                   y - g_array_index (self->ink_points, double, n - 1)) >= 0.5)
          {
            g_array_append_val (self->ink_points, x);
            g_array_append_val (self->ink_points, y);
          }
      }
      break;
    default:
      break;
    }
  gtk_widget_queue_draw (GTK_WIDGET (self));
}

static void
finish_move (DocketPageWidget *self)
{
  DocketAnnotationList *list = _docket_page_widget_annotation_list (self);
  DocketAnnotation *annotation = docket_annotation_list_find (list, self->moving_id);
  g_autoptr(DocketAnnotationGeometry) geometry = NULL;
  DocketGeometryRect box;
  double dx = self->drag_x - self->start_x, dy = self->drag_y - self->start_y;
  double width = docket_pdf_page_get_width (self->page), height = docket_pdf_page_get_height (self->page);
  g_autofree char *json = NULL;

  if (annotation == NULL || (fabs (dx) < 0.5 && fabs (dy) < 0.5))
    return;

  /* Kept whole on the page. */
  docket_annotation_drawing_get_box (annotation, &box);
  dx = CLAMP (dx, -box.x0, width - box.x1);
  dy = CLAMP (dy, -box.y0, height - box.y1);

  json = docket_annotation_geometry_to_json (docket_annotation_get_geometry (annotation));
  geometry = docket_annotation_geometry_parse (docket_annotation_get_kind (annotation), json, NULL);
  if (geometry == NULL)
    return;
  docket_annotation_geometry_translate (geometry, dx, dy);
  docket_annotation_list_update (list, self->moving_id, NULL, geometry, NULL);
}

static void
on_drag_end (GtkGestureDrag   *gesture,
             double            offset_x,
             double            offset_y,
             DocketPageWidget *self)
{
  DocketAnnotationList *list = _docket_page_widget_annotation_list (self);
  gboolean click = hypot (offset_x, offset_y) <= CLICK_SLOP;
  const char *color;

  if (self->drag_mode == DRAG_NONE || self->annotator == NULL || self->page == NULL)
    {
      _docket_page_widget_end_drag (self);
      return;
    }
  widget_to_page (self, self->press_x + offset_x, self->press_y + offset_y, &self->drag_x, &self->drag_y);
  color = docket_annotator_get_color (self->annotator);

  switch (self->drag_mode)
    {
    case DRAG_LINK:
      if (self->links != NULL && self->pressed_link >= 0 && (guint) self->pressed_link < self->links->len)
        follow_link (self, g_ptr_array_index (self->links, (guint) self->pressed_link));
      break;

    case DRAG_TEXT:
      if (click)
        docket_annotator_set_text_selection (self->annotator, NULL);
      else
        {
          DocketAnnotationKind kind = DOCKET_ANNOTATION_HIGHLIGHT;
          gboolean mark = docket_annotation_tool_get_markup_kind (docket_annotator_get_tool (self->annotator), &kind);

          /* With a marker, the text is marked as soon as poppler says what it is. */
          request_selection (self, mark, kind);
        }
      break;

    case DRAG_MOVE:
      finish_move (self);
      break;

    case DRAG_INK:
      {
        g_autoptr(DocketAnnotationGeometry) geometry = docket_annotation_geometry_new (DOCKET_ANNOTATION_INK);
        DocketAnnotation *annotation;

        docket_annotation_geometry_add_stroke (geometry, g_steal_pointer (&self->ink_points));
        annotation = docket_annotation_list_create (list, docket_pdf_page_get_index (self->page),
                                                    DOCKET_ANNOTATION_INK, color, geometry, NULL);
        docket_annotator_select (self->annotator, docket_annotation_get_id (annotation));
      }
      break;

    case DRAG_RECTANGLE:
      {
        g_autoptr(DocketAnnotationGeometry) geometry = NULL;
        DocketAnnotation *annotation;
        double x0 = self->start_x, y0 = self->start_y, x1 = self->drag_x, y1 = self->drag_y;

        clamp_to_page (self, &x0, &y0);
        clamp_to_page (self, &x1, &y1);
        if (fabs (x1 - x0) < 2 || fabs (y1 - y0) < 2)
          break;
        geometry = docket_annotation_geometry_new (DOCKET_ANNOTATION_RECTANGLE);
        docket_annotation_geometry_add_rect (geometry, x0, y0, x1, y1);
        annotation = docket_annotation_list_create (list, docket_pdf_page_get_index (self->page),
                                                    DOCKET_ANNOTATION_RECTANGLE, color, geometry, NULL);
        docket_annotator_select (self->annotator, docket_annotation_get_id (annotation));
      }
      break;

    case DRAG_NOTE:
      {
        g_autoptr(DocketAnnotationGeometry) geometry = docket_annotation_geometry_new (DOCKET_ANNOTATION_NOTE);
        DocketAnnotation *annotation;
        double x = self->drag_x, y = self->drag_y;

        /* The icon whole on the page. */
        x = CLAMP (x, 0, MAX (0, docket_pdf_page_get_width (self->page) - DOCKET_ANNOTATION_NOTE_SIZE));
        y = CLAMP (y, 0, MAX (0, docket_pdf_page_get_height (self->page) - DOCKET_ANNOTATION_NOTE_SIZE));
        geometry->x = x;
        geometry->y = y;
        annotation = docket_annotation_list_create (list, docket_pdf_page_get_index (self->page),
                                                    DOCKET_ANNOTATION_NOTE, color, geometry, NULL);
        docket_annotator_select (self->annotator, docket_annotation_get_id (annotation));
        _docket_page_widget_end_drag (self);
        /* Write it at once. */
        open_note_editor (self, annotation, TRUE);
        return;
      }

    default:
      break;
    }
  _docket_page_widget_end_drag (self);
}

static void
on_drag_cancel (GtkGesture       *gesture,
                GdkEventSequence *sequence,
                DocketPageWidget *self)
{
  _docket_page_widget_end_drag (self);
}

/* A double click (or tap) on an annotation opens its text. */
static void
on_pressed (GtkGestureClick  *gesture,
            int               n_press,
            double            x,
            double            y,
            DocketPageWidget *self)
{
  DocketAnnotation *annotation;
  double px, py;

  if (n_press != 2 || self->page == NULL || _docket_page_widget_annotation_list (self) == NULL ||
      docket_annotator_get_tool (self->annotator) != DOCKET_ANNOTATION_TOOL_SELECT)
    return;
  widget_to_page (self, x, y, &px, &py);
  if ((annotation = annotation_at (self, px, py)) != NULL)
    {
      docket_annotator_select (self->annotator, docket_annotation_get_id (annotation));
      open_note_editor (self, annotation, FALSE);
    }
}

/* Hovering over an annotation with a text shows the text. */
static gboolean
on_query_tooltip (DocketPageWidget *self,
                  int               x,
                  int               y,
                  gboolean          keyboard_mode,
                  GtkTooltip       *tooltip)
{
  DocketAnnotation *annotation;
  double px, py;

  if (keyboard_mode || self->page == NULL || _docket_page_widget_annotation_list (self) == NULL ||
      self->drag_mode != DRAG_NONE)
    return FALSE;
  widget_to_page (self, x, y, &px, &py);
  annotation = annotation_at (self, px, py);
  if (annotation == NULL || docket_annotation_get_contents (annotation)[0] == '\0')
    return FALSE;
  gtk_tooltip_set_text (tooltip, docket_annotation_get_contents (annotation));
  return TRUE;
}

/* The pointer says what a press would do. */
static void
on_motion (GtkEventControllerMotion *controller,
           double                    x,
           double                    y,
           DocketPageWidget         *self)
{
  const char *cursor = NULL;
  double px, py;

  if (self->page == NULL)
    {
      gtk_widget_set_cursor_from_name (GTK_WIDGET (self), NULL);
      return;
    }
  widget_to_page (self, x, y, &px, &py);
  if (_docket_page_widget_annotation_list (self) != NULL)
    {
      switch (docket_annotator_get_tool (self->annotator))
        {
        case DOCKET_ANNOTATION_TOOL_SELECT:
          if (annotation_at (self, px, py) != NULL)
            cursor = "move";
          else if (link_at (self, px, py) >= 0)
            cursor = "pointer";
          else
            cursor = "text";
          break;
        case DOCKET_ANNOTATION_TOOL_HIGHLIGHT:
        case DOCKET_ANNOTATION_TOOL_UNDERLINE:
        case DOCKET_ANNOTATION_TOOL_STRIKEOUT:
          cursor = "text";
          break;
        default:
          cursor = "crosshair";
          break;
        }
    }
  else if (link_at (self, px, py) >= 0)
    cursor = "pointer";
  gtk_widget_set_cursor_from_name (GTK_WIDGET (self), cursor);
}

void
_docket_page_widget_init_input (DocketPageWidget *self)
{
  GtkGesture *drag, *click;
  GtkEventController *motion;

  /* Mouse, pen and touch alike: the pen's events come as a pointer's. */
  drag = gtk_gesture_drag_new ();
  gtk_gesture_single_set_button (GTK_GESTURE_SINGLE (drag), GDK_BUTTON_PRIMARY);
  g_signal_connect (drag, "drag-begin", G_CALLBACK (on_drag_begin), self);
  g_signal_connect (drag, "drag-update", G_CALLBACK (on_drag_update), self);
  g_signal_connect (drag, "drag-end", G_CALLBACK (on_drag_end), self);
  g_signal_connect (drag, "cancel", G_CALLBACK (on_drag_cancel), self);
  gtk_widget_add_controller (GTK_WIDGET (self), GTK_EVENT_CONTROLLER (drag));

  click = gtk_gesture_click_new ();
  gtk_gesture_single_set_button (GTK_GESTURE_SINGLE (click), GDK_BUTTON_PRIMARY);
  g_signal_connect (click, "pressed", G_CALLBACK (on_pressed), self);
  gtk_widget_add_controller (GTK_WIDGET (self), GTK_EVENT_CONTROLLER (click));
  /* One group: the drag claiming a press does not cancel the double click. */
  gtk_gesture_group (click, drag);

  gtk_widget_set_has_tooltip (GTK_WIDGET (self), TRUE);
  g_signal_connect (self, "query-tooltip", G_CALLBACK (on_query_tooltip), NULL);

  motion = gtk_event_controller_motion_new ();
  g_signal_connect (motion, "motion", G_CALLBACK (on_motion), self);
  gtk_widget_add_controller (GTK_WIDGET (self), motion);
}
