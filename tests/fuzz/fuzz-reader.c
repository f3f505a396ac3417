/* fuzz-reader.c — a body, as every endpoint's reader takes it
 *
 * The input is the body of an answer. It goes through
 * vigil_reader_parse_bytes() and, when that gives a root, through every
 * reader of a whole answer and of the error text; and through the reader of
 * GET /api/progress as it arrives (vigil-reader-active.h), whole and in
 * 1- and 7-byte pieces, which must all give the same records or error.
 * (Each record is described whole: a field cut short would show.)
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include "fuzz-common.h"
#include "vigil-reader-active.h"

typedef gpointer (*ReadFunc) (JsonNode  *root,
                              GError   **error);

static gpointer
read_queue_health_200 (JsonNode  *root,
                       GError   **error)
{
  return vigil_reader_parse_queue_health_response (root, 200, error);
}

static gpointer
read_queue_health_503 (JsonNode  *root,
                       GError   **error)
{
  return vigil_reader_parse_queue_health_response (root, 503, error);
}

static const struct
{
  ReadFunc          read;
  VigilApiEndpoint  endpoint;
} readers[] = {
  { (ReadFunc) vigil_reader_parse_start_response, VIGIL_API_ENDPOINT_START },
  { (ReadFunc) vigil_reader_parse_progress_response, VIGIL_API_ENDPOINT_PROGRESS },
  { (ReadFunc) vigil_reader_parse_job_status_response, VIGIL_API_ENDPOINT_JOB_STATUS },
  { (ReadFunc) vigil_reader_parse_active_progress_response, VIGIL_API_ENDPOINT_ACTIVE_PROGRESS },
  { (ReadFunc) vigil_reader_parse_queue_status_response, VIGIL_API_ENDPOINT_QUEUE_STATUS },
  { (ReadFunc) vigil_reader_parse_worker_health_response, VIGIL_API_ENDPOINT_WORKER_HEALTH },
  { read_queue_health_200, VIGIL_API_ENDPOINT_QUEUE_HEALTH },
  { read_queue_health_503, VIGIL_API_ENDPOINT_QUEUE_HEALTH },
  { (ReadFunc) vigil_reader_parse_cleanup_response, VIGIL_API_ENDPOINT_CLEANUP },
};

int
LLVMFuzzerInitialize (int    *argc,
                      char ***argv)
{
  fuzz_init ();
  return 0;
}

static gboolean
describe_record (VigilProgress *progress,
                 gpointer       user_data)
{
  fuzz_check_progress (progress);
  g_string_append_printf (user_data, "%s %.17g %s %" G_GINT64_FORMAT "/%" G_GINT64_FORMAT "|",
                          progress->job_id ? progress->job_id : "-", progress->fraction,
                          progress->message ? progress->message : "-", progress->completed_items,
                          progress->total_items);
  vigil_progress_free (progress);
  return TRUE;
}

/* The records the scanner gives in pieces of `piece` bytes, and its error
 * (NULL when the body was read whole). */
static char *
read_in_pieces (const uint8_t  *data,
                size_t          size,
                size_t          piece,
                char          **error_message)
{
  GString *out = g_string_new (NULL);
  g_autoptr(VigilActiveScanner) scanner = vigil_active_scanner_new (describe_record, out);
  g_autoptr(GError) error = NULL;

  for (size_t at = 0; at < size; at += piece)
    vigil_active_scanner_feed (scanner, (const char *) data + at, MIN (piece, size - at));
  *error_message = NULL;
  if (!vigil_active_scanner_finish (scanner, &error))
    {
      fuzz_check_error (error);
      *error_message = g_strdup (error->message);
    }
  return g_string_free (out, FALSE);
}

/* The same records or the same error, whatever the pieces. Before an
 * error, smaller pieces may have handed over more records (a piece is
 * checked for UTF-8 before its records are read), never others. */
static void
check_active_pieces (const uint8_t *data,
                     size_t         size)
{
  g_autofree char *whole_error = NULL, *ones_error = NULL, *sevens_error = NULL;
  g_autofree char *whole = read_in_pieces (data, size, MAX (size, 1), &whole_error);
  g_autofree char *ones = read_in_pieces (data, size, 1, &ones_error);
  g_autofree char *sevens = read_in_pieces (data, size, 7, &sevens_error);

  g_assert_cmpstr (ones_error, ==, whole_error);
  g_assert_cmpstr (sevens_error, ==, whole_error);
  if (whole_error == NULL)
    {
      g_assert_cmpstr (ones, ==, whole);
      g_assert_cmpstr (sevens, ==, whole);
    }
  else
    {
      g_assert_true (g_str_has_prefix (sevens, whole));
      g_assert_true (g_str_has_prefix (ones, sevens));
    }
}

int
LLVMFuzzerTestOneInput (const uint8_t *data,
                        size_t         size)
{
  g_autoptr(GBytes) body = g_bytes_new (data, size);
  g_autoptr(GError) error = NULL;
  g_autoptr(JsonNode) root = vigil_reader_parse_bytes (body, &error);
  g_autofree char *message = vigil_reader_parse_error_message (root);

  fuzz_check_text (message);
  check_active_pieces (data, size);
  if (root == NULL)
    {
      fuzz_check_error (error);
      return 0;
    }

  g_assert_null (error);
  g_assert_true (JSON_NODE_HOLDS_OBJECT (root));
  for (guint i = 0; i < G_N_ELEMENTS (readers); i++)
    {
      g_autoptr(GError) read_error = NULL;
      gpointer result = readers[i].read (root, &read_error);

      g_assert_true ((result == NULL) != (read_error == NULL));
      if (result != NULL)
        fuzz_check_result (readers[i].endpoint, result);
      else
        fuzz_check_error (read_error);
      vigil_api_endpoint_free_result (readers[i].endpoint, result);
    }

  return 0;
}
