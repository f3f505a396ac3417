/* fuzz-json-syntax.c — the nesting and syntax check against json-glib
 *
 * Whatever UTF-8 text vigil_json_syntax_check() lets through must be read
 * by json-glib without an error, no deeper than the check allowed: the two
 * must agree on every text, or hidden nesting reaches json-glib's
 * recursive parser again.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <json-glib/json-glib.h>

#include "vigil-json-syntax.h"

#include "fuzz-common.h"

#define MAX_DEPTH 8   /* small, so that the fuzzer reaches it often */

/* Depth of the tree, without recursion. */
static guint
tree_depth (JsonNode *root)
{
  g_autoptr(GPtrArray) nodes = g_ptr_array_new ();
  g_autoptr(GArray) depths = g_array_new (FALSE, FALSE, sizeof (guint));
  guint deepest = 0;

  g_ptr_array_add (nodes, root);
  g_array_append_val (depths, deepest);
  while (nodes->len > 0)
    {
      JsonNode *node = g_ptr_array_steal_index (nodes, nodes->len - 1);
      guint depth = g_array_index (depths, guint, depths->len - 1);
      g_autoptr(GList) children = NULL;

      g_array_set_size (depths, depths->len - 1);
      if (JSON_NODE_HOLDS_OBJECT (node))
        children = json_object_get_values (json_node_get_object (node));
      else if (JSON_NODE_HOLDS_ARRAY (node))
        children = json_array_get_elements (json_node_get_array (node));
      else
        continue;

      depth++;
      deepest = MAX (deepest, depth);
      for (GList *l = children; l != NULL; l = l->next)
        {
          g_ptr_array_add (nodes, l->data);
          g_array_append_val (depths, depth);
        }
    }

  return deepest;
}

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
  g_autoptr(GArray) overflows = g_array_new (FALSE, FALSE, sizeof (gsize));
  g_autoptr(JsonParser) parser = NULL;
  g_autoptr(GError) error = NULL;
  gsize offset = G_MAXSIZE;
  gsize previous = 0;
  VigilJsonSyntax syntax;

  syntax = vigil_json_syntax_check ((const char *) data, size, MAX_DEPTH, overflows, &offset);
  if (syntax != VIGIL_JSON_SYNTAX_OK)
    {
      g_assert_cmpuint (offset, <=, size);
      return 0;
    }

  /* The reader checks UTF-8 (and refuses NUL bytes) first, as json-glib
   * does: only such texts must agree. */
  if (!g_utf8_validate ((const char *) data, size, NULL))
    return 0;

  for (guint i = 0; i < overflows->len; i++)
    {
      gsize at = g_array_index (overflows, gsize, i);

      g_assert_cmpuint (at, >, previous);
      g_assert_cmpuint (at, <=, size);
      g_assert_true (g_ascii_isdigit (data[at - 1]));
      previous = at;
    }

  parser = json_parser_new_immutable ();
  if (!json_parser_load_from_data (parser, (const char *) data, (gssize) size, &error))
    g_error ("checked, yet json-glib refused it: %s", error->message);
  g_assert_nonnull (json_parser_get_root (parser));
  g_assert_cmpuint (tree_depth (json_parser_get_root (parser)), <=, MAX_DEPTH);
  return 0;
}
