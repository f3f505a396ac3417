/* vigil-json-builder.h — one named member added to a JsonBuilder object,
 * spelled one way for the whole project (demo server, vigilctl, benchmarks)
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <json-glib/json-glib.h>

G_BEGIN_DECLS

/* Each adds the member `name` to the object being built. */
void vigil_json_add_null               (JsonBuilder *builder,
                                        const char  *name);
/* NULL is null. */
void vigil_json_add_string             (JsonBuilder *builder,
                                        const char  *name,
                                        const char  *value);
/* vigil_json_add_string(), then frees value. */
void vigil_json_take_string            (JsonBuilder *builder,
                                        const char  *name,
                                        char        *value);
void vigil_json_add_int                (JsonBuilder *builder,
                                        const char  *name,
                                        gint64       value);
/* A value that is not finite (NaN, infinity) is null: JSON has no word for it. */
void vigil_json_add_double             (JsonBuilder *builder,
                                        const char  *name,
                                        double       value);
void vigil_json_add_bool               (JsonBuilder *builder,
                                        const char  *name,
                                        gboolean     value);
/* ISO 8601 (g_date_time_format_iso8601()); NULL is null. */
void vigil_json_add_date               (JsonBuilder *builder,
                                        const char  *name,
                                        GDateTime   *value);
/* Takes value (as json_builder_add_value() does); NULL is null. */
void vigil_json_add_node               (JsonBuilder *builder,
                                        const char  *name,
                                        JsonNode    *value);

/* The typed results' convention (vigil-types.h): a negative number, -1 or
 * VIGIL_UNKNOWN, is unknown, and unknown is null. */
void vigil_json_add_int_or_unknown     (JsonBuilder *builder,
                                        const char  *name,
                                        gint64       value);
void vigil_json_add_double_or_unknown  (JsonBuilder *builder,
                                        const char  *name,
                                        double       value);

G_END_DECLS
