/* test-json-builder.c — the one way to add a member to a JsonBuilder
 * object: strings and NULL, numbers that are not finite, unknown (negative)
 * numbers, dates, nodes
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include <math.h>

#include "vigil-json-builder.h"
#include "vigil-types.h"

/* The object built by fill(), one member per call */
static JsonObject *
build (void (*fill) (JsonBuilder *b))
{
  g_autoptr(JsonBuilder) b = json_builder_new ();
  g_autoptr(JsonNode) root = NULL;

  json_builder_begin_object (b);
  fill (b);
  json_builder_end_object (b);
  root = json_builder_get_root (b);

  return json_object_ref (json_node_get_object (root));
}

static void
assert_null (JsonObject *object,
             const char *name)
{
  g_assert_true (json_object_has_member (object, name));
  g_assert_true (json_object_get_null_member (object, name));
}

static void
fill_strings (JsonBuilder *b)
{
  vigil_json_add_string (b, "text", "Golden Hearts");
  vigil_json_add_string (b, "none", NULL);
  vigil_json_take_string (b, "taken", g_strdup ("Mara Quinn"));
  vigil_json_take_string (b, "taken_none", NULL);
  vigil_json_add_null (b, "null");
  vigil_json_add_bool (b, "yes", TRUE);
  vigil_json_add_bool (b, "no", FALSE);
}

static void
test_strings (void)
{
  g_autoptr(JsonObject) o = build (fill_strings);

  g_assert_cmpstr (json_object_get_string_member (o, "text"), ==, "Golden Hearts");
  assert_null (o, "none");
  g_assert_cmpstr (json_object_get_string_member (o, "taken"), ==, "Mara Quinn");
  assert_null (o, "taken_none");
  assert_null (o, "null");
  g_assert_true (json_object_get_boolean_member (o, "yes"));
  g_assert_false (json_object_get_boolean_member (o, "no"));
}

static void
fill_numbers (JsonBuilder *b)
{
  vigil_json_add_int (b, "int", G_MININT64);
  vigil_json_add_int (b, "zero", 0);
  vigil_json_add_double (b, "double", -2.5);
  vigil_json_add_double (b, "huge", 1e308);
  vigil_json_add_double (b, "nan", NAN);
  vigil_json_add_double (b, "infinity", INFINITY);
  vigil_json_add_double (b, "minus_infinity", -INFINITY);
}

static void
test_numbers (void)
{
  g_autoptr(JsonObject) o = build (fill_numbers);

  g_assert_cmpint (json_object_get_int_member (o, "int"), ==, G_MININT64);
  g_assert_cmpint (json_node_get_value_type (json_object_get_member (o, "zero")), ==, G_TYPE_INT64);
  g_assert_cmpfloat (json_object_get_double_member (o, "double"), ==, -2.5);
  g_assert_cmpfloat (json_object_get_double_member (o, "huge"), ==, 1e308);
  assert_null (o, "nan");
  assert_null (o, "infinity");
  assert_null (o, "minus_infinity");
}

static void
fill_unknown (JsonBuilder *b)
{
  vigil_json_add_int_or_unknown (b, "count", 3);
  vigil_json_add_int_or_unknown (b, "zero", 0);
  vigil_json_add_int_or_unknown (b, "unknown_count", -1);
  vigil_json_add_double_or_unknown (b, "seconds", 12.5);
  vigil_json_add_double_or_unknown (b, "no_seconds", 0.0);
  vigil_json_add_double_or_unknown (b, "unknown_seconds", VIGIL_UNKNOWN);
  vigil_json_add_double_or_unknown (b, "negative_seconds", -0.5);
  vigil_json_add_double_or_unknown (b, "nan_seconds", NAN);
  vigil_json_add_double_or_unknown (b, "endless_seconds", INFINITY);
}

static void
test_unknown (void)
{
  g_autoptr(JsonObject) o = build (fill_unknown);

  g_assert_cmpint (json_object_get_int_member (o, "count"), ==, 3);
  g_assert_cmpint (json_object_get_int_member (o, "zero"), ==, 0);
  assert_null (o, "unknown_count");
  g_assert_cmpfloat (json_object_get_double_member (o, "seconds"), ==, 12.5);
  g_assert_cmpfloat (json_object_get_double_member (o, "no_seconds"), ==, 0.0);
  assert_null (o, "unknown_seconds");
  assert_null (o, "negative_seconds");
  assert_null (o, "nan_seconds");
  assert_null (o, "endless_seconds");
}

static void
fill_dates_and_nodes (JsonBuilder *b)
{
  g_autoptr(GDateTime) utc = g_date_time_new_utc (2024, 5, 17, 9, 30, 1.25);
  g_autoptr(GTimeZone) zone = g_time_zone_new_offset (5 * 3600 + 30 * 60);
  g_autoptr(GDateTime) local = g_date_time_new (zone, 2024, 5, 17, 15, 0, 1);
  JsonNode *node = json_node_new (JSON_NODE_VALUE);

  json_node_set_string (node, "kept");
  vigil_json_add_date (b, "utc", utc);
  vigil_json_add_date (b, "local", local);
  vigil_json_add_date (b, "none", NULL);
  vigil_json_add_node (b, "node", node);
  vigil_json_add_node (b, "no_node", NULL);
}

static void
test_dates_and_nodes (void)
{
  g_autoptr(JsonObject) o = build (fill_dates_and_nodes);

  g_assert_cmpstr (json_object_get_string_member (o, "utc"), ==, "2024-05-17T09:30:01.250000Z");
  g_assert_cmpstr (json_object_get_string_member (o, "local"), ==, "2024-05-17T15:00:01+05:30");
  assert_null (o, "none");
  g_assert_cmpstr (json_object_get_string_member (o, "node"), ==, "kept");
  assert_null (o, "no_node");
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/vigil/json-builder/strings", test_strings);
  g_test_add_func ("/vigil/json-builder/numbers", test_numbers);
  g_test_add_func ("/vigil/json-builder/unknown", test_unknown);
  g_test_add_func ("/vigil/json-builder/dates-and-nodes", test_dates_and_nodes);

  return g_test_run ();
}
