/* vigil-debug-log.h — Vigil's debug log ("Vigil" domain), switchable at
 * run time, with secrets redacted
 *
 * At start it is on when G_MESSAGES_DEBUG names "Vigil" (or "all"), as
 * GLib would do; vigil_debug_log_set_enabled() turns it on or off while
 * running (the Diagnostics window's switch). Once this module is used, a
 * handler for the domain's debug and info messages writes them — to stdout
 * as GLib would, or to the sink a test sets — after vigil_debug_log_redact(): the log
 * never carries a token or cookie, even one that a message quotes.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

#define VIGIL_DEBUG_LOG_DOMAIN "Vigil"

/* Takes over the domain's debug and info messages (idempotent). Called by
 * the functions below; the app calls it at start so that a log switched
 * on through G_MESSAGES_DEBUG is redacted too. */
void      vigil_debug_log_init        (void);
gboolean  vigil_debug_log_get_enabled (void);
void      vigil_debug_log_set_enabled (gboolean enabled);

/* Where enabled lines go instead of stdout (NULL: stdout again); line is
 * the redacted message. For tests. */
typedef void (*VigilDebugLogSink) (GLogLevelFlags  level,
                                   const char     *line,
                                   gpointer        user_data);
void      vigil_debug_log_set_sink    (VigilDebugLogSink sink,
                                       gpointer          user_data);

/* message with every value that follows "Bearer ", "token=", "session=",
 * "cookie:", "authorization:", "password=" (any case) replaced by
 * "[redacted]" — up to the next space, quote, comma, semicolon or '&'; a
 * header's ("cookie:", "authorization:") up to the end of its line. */
char     *vigil_debug_log_redact      (const char *message);

G_END_DECLS
