/* fuzz-timestamp.c — timestamps as servers write them
 *
 * ISO 8601 with or without offset and fraction, or HTTP dates: the input
 * goes through vigil_reader_parse_timestamp() and what Vigil computes from
 * a date.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include "fuzz-common.h"

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
  g_autofree char *text = fuzz_strndup (data, size);
  g_autoptr(GDateTime) date = vigil_reader_parse_timestamp (text);

  fuzz_check_date (date);
  return 0;
}
