/* fuzz-reader.c — a body, as every endpoint's reader takes it
 *
 * The input is the body of an answer. It goes through
 * vigil_reader_parse_bytes() and, when that gives a root, through every
 * reader of a whole answer and of the error text.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include "fuzz-common.h"

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

int
LLVMFuzzerTestOneInput (const uint8_t *data,
                        size_t         size)
{
  g_autoptr(GBytes) body = g_bytes_new (data, size);
  g_autoptr(GError) error = NULL;
  g_autoptr(JsonNode) root = vigil_reader_parse_bytes (body, &error);
  g_autofree char *message = vigil_reader_parse_error_message (root);

  fuzz_check_text (message);
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
