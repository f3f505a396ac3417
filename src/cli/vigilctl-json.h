/* vigilctl-json.h — strict JSON text for what vigilctl prints
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <json-glib/json-glib.h>

G_BEGIN_DECLS

/* node as one line of strict JSON (RFC 8259), unlike JsonGenerator, which
 * writes 1e+308 as "1e+308.0" and infinity as "inf.0": a double that is not
 * finite is null, other doubles are written in the shortest form that reads
 * back the same; strings are made valid UTF-8. */
char *vigilctl_json_to_string (JsonNode *node);

/* The line, then a newline, on stdout. */
void  vigilctl_print_json     (JsonNode *node);

G_END_DECLS
