/* docket-test-fake-server.c: the pieces of the small hostile servers some tests play
 *
 * Apart from docket-test-util.c, which starts the real server: these are for the few
 * answers the real server never gives.
 */
#include "config.h"

#include "docket-test-fake-server.h"

#include <string.h>

#include "docket-test-util.h"

SoupServer *
docket_test_fake_server_new (SoupServerCallback   callback,
                             gpointer             user_data,
                             char               **out_url)
{
  SoupServer *server = soup_server_new (NULL, NULL);

  soup_server_add_handler (server, NULL, callback, user_data, NULL);
  *out_url = docket_test_soup_server_listen (server);
  return server;
}

void
docket_test_fake_reply_json (SoupServerMessage *msg,
                             guint              status,
                             const char        *json)
{
  soup_server_message_set_status (msg, status, NULL);
  soup_server_message_set_response (msg, "application/json", SOUP_MEMORY_COPY, json, strlen (json));
}

void
docket_test_fake_reply_session (SoupServerMessage *msg)
{
  docket_test_fake_reply_json (msg, 201, DOCKET_TEST_FAKE_SESSION_ANSWER);
}
