/* docket-test-fake-server.h: the pieces of the small hostile servers some tests play
 *
 * The real docket-server cannot answer badly on purpose, so a few client tests
 * (test-hostile, test-redirects, test-feed-pipeline, test-annotations) run a SoupServer of
 * their own on loopback, whose handler answers what the test wants. What those handlers
 * kept writing for themselves lives here: the listening server, a JSON answer, a valid
 * sign-in, an empty feed page, and the meeting every fake feed starts with.
 */
#pragma once

#include <libsoup/soup.h>

G_BEGIN_DECLS

/* A valid answer to POST /api/v1/session: daibieu1, an official, with a token. */
#define DOCKET_TEST_FAKE_SESSION_ANSWER \
  "{\"token\": \"hostileTokenAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA\"," \
  " \"expires_at\": \"2030-01-01T00:00:00Z\"," \
  " \"user\": {\"username\": \"daibieu1\", \"display_name\": \"A\", \"role\": \"official\"," \
  " \"organ\": \"X\"}}"

/* A page of the change feed with nothing in it. */
#define DOCKET_TEST_FAKE_EMPTY_PAGE "{\"cursor\": \"1\", \"more\": false, \"changes\": []}"

/* A SoupServer whose every path goes to callback (with user_data), listening on a random
 * loopback port; out_url gets "http://127.0.0.1:PORT". Stop it with soup_server_disconnect
 * () before dropping it. */
SoupServer *docket_test_fake_server_new         (SoupServerCallback  callback,
                                                 gpointer            user_data,
                                                 char              **out_url);
/* Answers msg with status and the JSON text (copied). */
void        docket_test_fake_reply_json         (SoupServerMessage  *msg,
                                                 guint               status,
                                                 const char         *json);
/* Answers a sign-in (201 and DOCKET_TEST_FAKE_SESSION_ANSWER). */
void        docket_test_fake_reply_session      (SoupServerMessage  *msg);
/* The change feed's "meeting" m1 (published, 22 November 2026, no participants) and
 * its "agenda_item" i1, as two members of a "changes" array, with a comma after them:
 * a fake feed's first page puts its documents of item i1 after them. */
#define DOCKET_TEST_FAKE_MEETING_M1_CHANGES \
  " {\"type\": \"meeting\", \"id\": \"m1\", \"deleted\": false, \"data\": {" \
  "   \"id\": \"m1\", \"title\": \"Kỳ họp\", \"organ\": \"HĐND\"," \
  "   \"starts_at\": \"2026-11-22T08:00:00+07:00\", \"ends_at\": \"2026-11-22T11:00:00+07:00\"," \
  "   \"time_zone\": \"Asia/Ho_Chi_Minh\", \"location\": \"\", \"status\": \"published\"," \
  "   \"version\": 1, \"participants\": []}}," \
  " {\"type\": \"agenda_item\", \"id\": \"i1\", \"deleted\": false, \"data\": {" \
  "   \"id\": \"i1\", \"meeting_id\": \"m1\", \"parent_id\": null, \"position\": 0," \
  "   \"number\": \"1\", \"title\": \"Mục 1\", \"presenter\": \"\", \"description\": \"\"," \
  "   \"version\": 1}},"

G_END_DECLS
