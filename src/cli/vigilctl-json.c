/* vigilctl-json.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <math.h>
#include <stdio.h>
#include <string.h>

#include "vigilctl-json.h"

static void append_node (GString  *out,
                         JsonNode *node);

static void
append_string (GString    *out,
               const char *text)
{
  g_autofree char *valid = g_utf8_make_valid (text, -1);

  g_string_append_c (out, '"');
  for (const char *p = valid; *p != '\0'; p++)
    {
      guchar c = (guchar) *p;

      if (c == '"' || c == '\\')
        g_string_append_printf (out, "\\%c", c);
      else if (c == '\n')
        g_string_append (out, "\\n");
      else if (c == '\t')
        g_string_append (out, "\\t");
      else if (c < 0x20 || c == 0x7f)
        g_string_append_printf (out, "\\u%04x", c);
      else
        g_string_append_c (out, (char) c);
    }
  g_string_append_c (out, '"');
}

/* The shortest of %.15g, %.16g and %.17g that reads back the same value;
 * "%g" forms ("1e+308", "-0", "0.25") are all valid JSON numbers. */
static void
append_double (GString *out,
               double   value)
{
  static const char * const formats[] = { "%.15g", "%.16g", "%.17g" };
  char buffer[G_ASCII_DTOSTR_BUF_SIZE];

  if (!isfinite (value))
    {
      g_string_append (out, "null");
      return;
    }

  for (guint i = 0; i < G_N_ELEMENTS (formats); i++)
    {
      g_ascii_formatd (buffer, sizeof buffer, formats[i], value);
      if (g_ascii_strtod (buffer, NULL) == value)
        break;
    }
  g_string_append (out, buffer);
  /* Still a float to a reader that cares: 1.0, not 1. */
  if (strpbrk (buffer, ".e") == NULL)
    g_string_append (out, ".0");
}

static void
append_value (GString  *out,
              JsonNode *node)
{
  switch (json_node_get_value_type (node))
    {
    case G_TYPE_INT64:
      g_string_append_printf (out, "%" G_GINT64_FORMAT, json_node_get_int (node));
      break;
    case G_TYPE_DOUBLE:
      append_double (out, json_node_get_double (node));
      break;
    case G_TYPE_BOOLEAN:
      g_string_append (out, json_node_get_boolean (node) ? "true" : "false");
      break;
    case G_TYPE_STRING:
      append_string (out, json_node_get_string (node));
      break;
    default:
      g_string_append (out, "null");
      break;
    }
}

static void
append_object (GString    *out,
               JsonObject *object)
{
  g_autoptr(GList) names = json_object_get_members (object);

  g_string_append_c (out, '{');
  for (GList *l = names; l != NULL; l = l->next)
    {
      if (l != names)
        g_string_append_c (out, ',');
      append_string (out, l->data);
      g_string_append_c (out, ':');
      append_node (out, json_object_get_member (object, l->data));
    }
  g_string_append_c (out, '}');
}

static void
append_array (GString   *out,
              JsonArray *array)
{
  g_string_append_c (out, '[');
  for (guint i = 0; i < json_array_get_length (array); i++)
    {
      if (i > 0)
        g_string_append_c (out, ',');
      append_node (out, json_array_get_element (array, i));
    }
  g_string_append_c (out, ']');
}

static void
append_node (GString  *out,
             JsonNode *node)
{
  if (node == NULL)
    {
      g_string_append (out, "null");
      return;
    }

  switch (JSON_NODE_TYPE (node))
    {
    case JSON_NODE_OBJECT:
      append_object (out, json_node_get_object (node));
      break;
    case JSON_NODE_ARRAY:
      append_array (out, json_node_get_array (node));
      break;
    case JSON_NODE_VALUE:
      append_value (out, node);
      break;
    case JSON_NODE_NULL:
    default:
      g_string_append (out, "null");
      break;
    }
}

char *
vigilctl_json_to_string (JsonNode *node)
{
  GString *out = g_string_new (NULL);

  append_node (out, node);
  return g_string_free (out, FALSE);
}

/* UTF-8 whatever the locale (g_print() would convert it to the locale's
 * charset), flushed at once for whoever reads the pipe. */
void
vigilctl_print_json (JsonNode *node)
{
  g_autofree char *text = vigilctl_json_to_string (node);

  fputs (text, stdout);
  fputc ('\n', stdout);
  fflush (stdout);
}
