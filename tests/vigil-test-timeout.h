/* vigil-test-timeout.h — the tests' safety limits, scaled for slow runs
 *
 * Tests wait for conditions; a limit only stops a test that would otherwise
 * hang. A sanitized build on a busy machine runs many times slower, so
 * every limit is multiplied by $VIGIL_TEST_TIMEOUT_FACTOR (default 1;
 * `build-aux/dev.sh asan` sets it).
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <glib.h>

static inline guint
vigil_test_limit_ms (guint ms)
{
  const char *text = g_getenv ("VIGIL_TEST_TIMEOUT_FACTOR");
  guint64 factor = 1;

  if (text == NULL || !g_ascii_string_to_unsigned (text, 10, 1, 100, &factor, NULL))
    factor = 1;
  return (guint) MIN ((guint64) ms * factor, G_MAXUINT);
}
