/* fuzz-retry-after.c — the Retry-After header, both readers of it
 *
 * The input is the header's value (one line, as libsoup hands it over):
 * vigil_poll_parse_retry_after() and the client's answer path for a 429
 * and a 503 carrying it.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <string.h>

#include "vigil-poll-policy.h"

#include "fuzz-common.h"

#define DAY_MS (G_GINT64_CONSTANT (24) * 60 * 60 * 1000)

int
LLVMFuzzerInitialize (int    *argc,
                      char ***argv)
{
  fuzz_init ();
  return 0;
}

static void
check_client (const char *value,
              guint       status)
{
  g_autoptr(SoupMessageHeaders) headers = soup_message_headers_new (SOUP_MESSAGE_HEADERS_RESPONSE);
  g_autoptr(GBytes) body = g_bytes_new_static ("{\"error\": \"busy\"}", 17);
  g_autoptr(GError) error = NULL;
  gint64 retry_after_ms = G_MININT64;
  gpointer result;

  soup_message_headers_append (headers, "Retry-After", value);
  result = vigil_api_read_answer (VIGIL_API_ENDPOINT_PROGRESS, status, NULL, headers, body,
                                  &retry_after_ms, &error);
  g_assert_null (result);
  fuzz_check_error (error);
  g_assert_cmpint (retry_after_ms, >=, -1);
  g_assert_cmpint (retry_after_ms, <=, DAY_MS);
  if (retry_after_ms >= 0)
    g_assert_true (g_error_matches (error, VIGIL_API_ERROR, VIGIL_API_ERROR_RATE_LIMITED));
}

int
LLVMFuzzerTestOneInput (const uint8_t *data,
                        size_t         size)
{
  g_autofree char *value = fuzz_strndup (data, size);
  g_autoptr(GTimeZone) utc = g_time_zone_new_utc ();
  g_autoptr(GDateTime) now = g_date_time_new (utc, 2026, 11, 28, 20, 1, 2);
  gint64 ms = vigil_poll_parse_retry_after (value, now);

  g_assert_cmpint (ms, >=, -1);

  /* libsoup never hands over a value with a line break. */
  if (strpbrk (value, "\r\n") != NULL)
    return 0;

  check_client (value, 429);
  check_client (value, 503);
  return 0;
}
