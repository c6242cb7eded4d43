/* test-server-common.h: what the tests of test-server*.c (each a file of their own, by
 * area) share: HTTP calls and their errors, the change feed as a client reads it, the demo's
 * meetings, annotations and the server's database
 */
#pragma once

#include <json-glib/json-glib.h>

#include "docket-records.h"
#include "docket-test-util.h"

G_BEGIN_DECLS

/* The demo's meeting that daibieu5 may not see. */
#define HIDDEN_MEETING "Phiên họp Thường trực"
#define TODAY_MEETING  "Kỳ họp thứ 12"
/* The demo's accounts (seed-demo): its secretary and thirteen officials. */
#define DEMO_ACCOUNTS  14

guint
call (DocketTestServer  *server,
      const char        *method,
      const char        *path,
      const char        *token,
      const char        *content_type,
      GBytes            *body,
      JsonNode         **out_json);

guint
call_json (DocketTestServer  *server,
           const char        *method,
           const char        *path,
           const char        *token,
           const char        *json,
           JsonNode         **out_json);

void
assert_error (guint       status,
              JsonNode   *root,
              guint       expected_status,
              const char *expected_code);

void
expect_error (DocketTestServer *server,
              const char       *method,
              const char       *path,
              const char       *token,
              const char       *json,
              guint             expected_status,
              const char       *expected_code);

const char *
member_string (JsonNode   *root,
               const char *name);

DocketChangesPage *
get_changes (DocketTestServer *server,
             const char       *token,
             const char       *since,
             guint             limit);

char *
sync_all (DocketTestServer *server,
          const char       *token,
          const char       *since,
          guint             limit,
          GPtrArray        *all);

GPtrArray *
sync_since (DocketTestServer  *server,
            const char        *token,
            char             **cursor);

void
assert_unchanged (DocketTestServer *server,
                  const char       *token,
                  const char       *cursor);

void
assert_nothing_new (DocketTestServer  *server,
                    const char        *token,
                    char             **cursor);

DocketChange *
find_change (GPtrArray        *changes,
             DocketChangeType  type,
             const char       *id);

guint
count_changes (GPtrArray        *changes,
               DocketChangeType  type,
               gboolean          deleted);

char *
meeting_id_by_title (GPtrArray  *changes,
                     const char *prefix);

char *
run_sql_text (DocketTestServer *server,
              const char       *sql);

guint
count_blobs (DocketTestServer *server);

DocketDocumentRecord *
document_of_meeting (GPtrArray  *changes,
                     const char *meeting_id);

DocketAgendaItemRecord *
item_of_meeting (GPtrArray  *changes,
                 const char *meeting_id);

char *
mutate_json (const char *json,
             const char *field,
             const char *raw);

char *
annotation_json (const char *id,
                 const char *document_id,
                 int         page,
                 const char *color);

char *
put_annotation_body (const char *op_id,
                     const char *annotation);

char *
note_body (const char *op_id,
           const char *target,
           const char *target_id,
           const char *text);

DocketAnnotationRecord *
put_annotation (DocketTestServer *server,
                const char       *token,
                const char       *id,
                const char       *op_id,
                const char       *json,
                guint             expected_status);

void
assert_no_own_data (DocketTestServer  *server,
                    const char        *token,
                    char             **cursor);

char *
count_rows (DocketTestServer *server,
            const char       *sql);

G_END_DECLS
