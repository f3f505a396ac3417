/* vigil-json-builder.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <math.h>

#include "vigil-json-builder.h"

void
vigil_json_add_null (JsonBuilder *builder,
                     const char  *name)
{
  g_return_if_fail (JSON_IS_BUILDER (builder));
  g_return_if_fail (name != NULL);

  json_builder_set_member_name (builder, name);
  json_builder_add_null_value (builder);
}

void
vigil_json_add_string (JsonBuilder *builder,
                       const char  *name,
                       const char  *value)
{
  g_return_if_fail (JSON_IS_BUILDER (builder));
  g_return_if_fail (name != NULL);

  json_builder_set_member_name (builder, name);
  if (value != NULL)
    json_builder_add_string_value (builder, value);
  else
    json_builder_add_null_value (builder);
}

void
vigil_json_take_string (JsonBuilder *builder,
                        const char  *name,
                        char        *value)
{
  g_autofree char *owned = value;

  vigil_json_add_string (builder, name, owned);
}

void
vigil_json_add_int (JsonBuilder *builder,
                    const char  *name,
                    gint64       value)
{
  g_return_if_fail (JSON_IS_BUILDER (builder));
  g_return_if_fail (name != NULL);

  json_builder_set_member_name (builder, name);
  json_builder_add_int_value (builder, value);
}

void
vigil_json_add_double (JsonBuilder *builder,
                       const char  *name,
                       double       value)
{
  g_return_if_fail (JSON_IS_BUILDER (builder));
  g_return_if_fail (name != NULL);

  json_builder_set_member_name (builder, name);
  if (isfinite (value))
    json_builder_add_double_value (builder, value);
  else
    json_builder_add_null_value (builder);
}

void
vigil_json_add_bool (JsonBuilder *builder,
                     const char  *name,
                     gboolean     value)
{
  g_return_if_fail (JSON_IS_BUILDER (builder));
  g_return_if_fail (name != NULL);

  json_builder_set_member_name (builder, name);
  json_builder_add_boolean_value (builder, value);
}

void
vigil_json_add_date (JsonBuilder *builder,
                     const char  *name,
                     GDateTime   *value)
{
  vigil_json_take_string (builder, name,
                          value != NULL ? g_date_time_format_iso8601 (value) : NULL);
}

void
vigil_json_add_node (JsonBuilder *builder,
                     const char  *name,
                     JsonNode    *value)
{
  g_return_if_fail (JSON_IS_BUILDER (builder));
  g_return_if_fail (name != NULL);

  json_builder_set_member_name (builder, name);
  if (value != NULL)
    json_builder_add_value (builder, value);
  else
    json_builder_add_null_value (builder);
}

void
vigil_json_add_int_or_unknown (JsonBuilder *builder,
                               const char  *name,
                               gint64       value)
{
  if (value >= 0)
    vigil_json_add_int (builder, name, value);
  else
    vigil_json_add_null (builder, name);
}

/* NaN is unknown too (it is not >= 0) */
void
vigil_json_add_double_or_unknown (JsonBuilder *builder,
                                  const char  *name,
                                  double       value)
{
  if (value >= 0)
    vigil_json_add_double (builder, name, value);
  else
    vigil_json_add_null (builder, name);
}
