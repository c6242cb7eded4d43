/* test-server-limits-common.h: what the tests of test-server-limits*.c (each a file of
 * their own, by area) share: calls, the feed as a client reads it, the server's database
 * for set-ups too large to make over HTTP, and refusals that must leave all as it was
 */
#pragma once

#include <json-glib/json-glib.h>

#include "docket-records.h"
#include "docket-test-util.h"

G_BEGIN_DECLS

#define MEETING_TIMES \
  "\"starts_at\": \"2026-12-01T08:00:00+07:00\", \"ends_at\": \"2026-12-01T11:00:00+07:00\""

guint
call_json (DocketTestServer  *server,
           const char        *method,
           const char        *path,
           const char        *token,
           const char        *json,
           JsonNode         **out_json);

JsonNode *
call_ok (DocketTestServer *server,
         const char       *method,
         const char       *path,
         const char       *token,
         const char       *json);

char *
created_id (DocketTestServer *server,
            const char       *path,
            const char       *token,
            const char       *json);

char *
quoted_repeat (const char *unit,
               gsize       n);

char *
repeat (char  c,
        gsize n);

DocketChangesPage *
get_page (DocketTestServer *server,
          const char       *token,
          const char       *since);

GPtrArray *
sync_since (DocketTestServer  *server,
            const char        *token,
            char             **cursor);

char *
cursor_now (DocketTestServer *server,
            const char       *token);

gpointer
synced_record (DocketTestServer  *server,
               const char        *token,
               char             **cursor,
               DocketChangeType   type,
               const char        *id,
               GPtrArray        **out_changes);

void
assert_unchanged (DocketTestServer *server,
                  const char       *token,
                  const char       *cursor);

void
expect_refused (DocketTestServer *server,
                const char       *token,
                const char       *cursor,
                const char       *method,
                const char       *path,
                const char       *json,
                guint             expected_status,
                const char       *expected_code,
                const char       *field);

void
run_sql (DocketTestServer *server,
         const char       *sql,
         const char       *text_1);

gint64
sql_number (DocketTestServer *server,
            const char       *sql,
            const char       *text_1);

void
expect_refused_in_database (DocketTestServer *server,
                            const char       *token,
                            const char       *meeting_id,
                            const char       *method,
                            const char       *path,
                            const char       *json,
                            guint             expected_status,
                            const char       *expected_code,
                            const char       *field);

char *
create_meeting (DocketTestServer *server,
                const char       *token);

char *
first_document (DocketTestServer *server,
                const char       *token);

G_END_DECLS
