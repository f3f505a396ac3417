/* fuzz-answer.c — a whole HTTP answer, as the API client reads it
 *
 * The input is an HTTP response as it comes off the wire: a status line,
 * headers, an empty line, the body. libsoup parses the head as it does for
 * a request; vigil_api_read_answer() then makes of it what each endpoint
 * would (status, reason phrase, Content-Type, Content-Length, Retry-After,
 * sign-in pages, error bodies, results).
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <string.h>

#include "fuzz-common.h"

int
LLVMFuzzerInitialize (int    *argc,
                      char ***argv)
{
  fuzz_init ();
  return 0;
}

/* The length of the head, without the empty line; the body starts at
 * *body_start. FALSE when there is no empty line. */
static gboolean
split_head (const char *text,
            gsize       size,
            gsize      *head_len,
            gsize      *body_start)
{
  for (gsize i = 0; i + 1 < size; i++)
    {
      if (text[i] != '\n')
        continue;
      if (text[i + 1] == '\n')
        {
          *head_len = i + 1;
          *body_start = i + 2;
          return TRUE;
        }
      if (i + 2 < size && text[i + 1] == '\r' && text[i + 2] == '\n')
        {
          *head_len = i + 1;
          *body_start = i + 3;
          return TRUE;
        }
    }

  return FALSE;
}

int
LLVMFuzzerTestOneInput (const uint8_t *data,
                        size_t         size)
{
  const char *text = (const char *) data;
  g_autoptr(SoupMessageHeaders) headers = soup_message_headers_new (SOUP_MESSAGE_HEADERS_RESPONSE);
  g_autoptr(GBytes) body = NULL;
  g_autofree char *head = NULL;
  g_autofree char *reason = NULL;
  SoupHTTPVersion version;
  gsize head_len;
  gsize body_start;
  guint status;

  if (!split_head (text, size, &head_len, &body_start))
    return 0;

  head = g_strndup (text, head_len);
  if (strlen (head) != head_len ||
      !soup_headers_parse_response (head, (int) head_len, headers, &version, &status, &reason))
    return 0;

  body = g_bytes_new (text + body_start, size - body_start);
  for (VigilApiEndpoint e = 0; e < VIGIL_API_N_ENDPOINTS; e++)
    {
      g_autoptr(GError) error = NULL;
      gint64 retry_after_ms = G_MININT64;
      gpointer result = vigil_api_read_answer (e, status, reason, headers, body,
                                               &retry_after_ms, &error);

      g_assert_true ((result == NULL) != (error == NULL));
      g_assert_cmpint (retry_after_ms, >=, -1);
      g_assert_cmpint (retry_after_ms, <=, G_GINT64_CONSTANT (24) * 60 * 60 * 1000);
      if (result != NULL)
        fuzz_check_result (e, result);
      else
        fuzz_check_error (error);
      vigil_api_endpoint_free_result (e, result);
    }

  return 0;
}
