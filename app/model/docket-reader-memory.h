/* docket-reader-memory.h: where the official left each document, for the reader
 *
 * The reader's way to the store's view states (docket_store_get/set_view_state): it
 * reads and writes them in worker threads, so that the UI thread never waits on the
 * disk. Saves of one document are written in the order they were asked for; the last
 * one wins.
 */
#pragma once

#include <gio/gio.h>

#include "docket-store.h"

G_BEGIN_DECLS

#define DOCKET_TYPE_READER_MEMORY (docket_reader_memory_get_type ())
G_DECLARE_FINAL_TYPE (DocketReaderMemory, docket_reader_memory, DOCKET, READER_MEMORY, GObject)

DocketReaderMemory *docket_reader_memory_new          (DocketStore         *store);

/* Where document_id was left. finish () returns FALSE without error when it never was
 * opened here. zoom_mode is a DocketZoomMode of the UI, kept as a number. */
void                docket_reader_memory_lookup_async (DocketReaderMemory  *self,
                                                       const char          *document_id,
                                                       GCancellable        *cancellable,
                                                       GAsyncReadyCallback  callback,
                                                       gpointer             user_data);
gboolean            docket_reader_memory_lookup_finish (DocketReaderMemory *self,
                                                        GAsyncResult       *result,
                                                        guint              *out_page,
                                                        int                *out_zoom_mode,
                                                        double             *out_zoom_scale,
                                                        GError            **error);

/* Remembers where document_id is, in a worker thread; a failure is logged (losing a
 * reading position is no reason to interrupt the official). */
void                docket_reader_memory_save         (DocketReaderMemory  *self,
                                                       const char          *document_id,
                                                       guint                page,
                                                       int                  zoom_mode,
                                                       double               zoom_scale);
/* Why the last save failed, or NULL (the "error" property: cleared by the next save
 * that succeeds). The reader does not interrupt the official for it: the position is
 * only a comfort, and the next save tries again. */
const GError       *docket_reader_memory_get_error    (DocketReaderMemory *self);
/* Saves asked for and not yet written (tests wait for 0). */
guint               docket_reader_memory_get_n_pending (DocketReaderMemory *self);

G_END_DECLS
