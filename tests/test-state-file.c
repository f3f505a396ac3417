/* test-state-file.c — the state file's (de)serializer: round trips, the
 * tolerance for unknown fields, and every corrupt form refused
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <string.h>

#include "vigil-state-file.h"

/* ------------------------------------------------------------------ */
/* Helpers                                                             */
/* ------------------------------------------------------------------ */

static GDateTime *
utc (int year, int month, int day, int hour, int minute, double seconds)
{
  return g_date_time_new_utc (year, month, day, hour, minute, seconds);
}

static VigilState *
parse_ok (const char *text)
{
  g_autoptr(GError) error = NULL;
  VigilState *state = vigil_state_file_parse (text, strlen (text), &error);

  g_assert_no_error (error);
  g_assert_nonnull (state);
  return state;
}

static void
assert_refused (const char *text,
                gssize      length,
                int         code,
                const char *in_message)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(VigilState) state = NULL;

  state = vigil_state_file_parse (text, length < 0 ? strlen (text) : (gsize) length, &error);
  g_assert_null (state);
  g_assert_error (error, VIGIL_STATE_ERROR, code);
  g_assert_true (g_utf8_validate (error->message, -1, NULL));
  if (in_message != NULL && strstr (error->message, in_message) == NULL)
    g_error ("“%s” does not mention “%s”", error->message, in_message);
}

/* A document whose one job (or history entry) has field set to value_json
 * (a JSON text), or lacks it when value_json is NULL. */
static const char *job_fields[][2] = {
  { "server", "\"http://127.0.0.1:5001\"" },
  { "job_id", "\"3f9c\"" },
  { "kind", "\"playlist\"" },
  { "target_id", "4" },
  { "title", "\"Road trip\"" },
  { "created_at", "\"2026-11-28T20:01:02.123456Z\"" },
  { "started_at", "\"2026-11-28T20:01:05Z\"" },
  { "state", "\"running\"" },
  { "stopped", "false" },
};

static const char *history_fields[][2] = {
  { "server", "\"http://127.0.0.1:5001\"" },
  { "job_id", "\"77aa\"" },
  { "kind", "\"song\"" },
  { "target_id", "7" },
  { "title", "\"Title — Artist\"" },
  { "outcome", "\"failed\"" },
  { "finished_at", "\"2026-11-28T21:00:00Z\"" },
  { "duration_ms", "61500" },
  { "error", "\"Lyrics service unavailable\"" },
};

static char *
object_with (const char *(*fields)[2],
             guint        n_fields,
             const char  *field,
             const char  *value_json)
{
  GString *s = g_string_new ("{");
  gboolean first = TRUE;
  gboolean found = FALSE;

  for (guint i = 0; i < n_fields; i++)
    {
      const char *value = fields[i][1];

      if (field != NULL && g_str_equal (fields[i][0], field))
        {
          found = TRUE;
          value = value_json;
        }
      if (value == NULL)
        continue;
      g_string_append_printf (s, "%s\"%s\": %s", first ? "" : ", ", fields[i][0], value);
      first = FALSE;
    }
  if (field != NULL && !found && value_json != NULL)
    g_string_append_printf (s, ", \"%s\": %s", field, value_json);
  g_string_append_c (s, '}');
  return g_string_free (s, FALSE);
}

static char *
doc_with_job (const char *field,
              const char *value_json)
{
  g_autofree char *job = object_with (job_fields, G_N_ELEMENTS (job_fields), field, value_json);

  return g_strdup_printf ("{\"version\": 1, \"jobs\": [%s], \"history\": []}", job);
}

static char *
doc_with_entry (const char *field,
                const char *value_json)
{
  g_autofree char *entry = object_with (history_fields, G_N_ELEMENTS (history_fields), field,
                                        value_json);

  return g_strdup_printf ("{\"version\": 1, \"jobs\": [], \"history\": [%s]}", entry);
}

static VigilState *
sample_state (void)
{
  VigilState *state = vigil_state_new ();
  VigilStateJob *job = vigil_state_job_new ();
  g_autoptr(GDateTime) t1 = utc (2026, 11, 28, 20, 1, 2.123456);
  g_autoptr(GDateTime) t2 = utc (2026, 11, 28, 20, 1, 5);
  g_autoptr(GDateTime) t3 = utc (2026, 11, 28, 21, 0, 0);
  g_autoptr(GDateTime) t4 = utc (2026, 11, 28, 22, 30, 0.5);

  job->server = g_strdup ("http://127.0.0.1:5001");
  job->job_id = g_strdup ("6b1f0d1e-0000-4000-8000-000000000001");
  job->kind = VIGIL_JOB_KIND_SONG;
  job->target_id = 123;
  /* quotes, a backslash, control characters, non-ASCII, U+2028 */
  job->title = g_strdup ("“Quote\" \\ back\tslash\n\x01 — Ärtist 🎵 \xe2\x80\xa8");
  job->created_at = g_date_time_ref (t1);
  job->started_at = g_date_time_ref (t2);
  job->state = VIGIL_SERVER_STATE_RUNNING;
  g_ptr_array_add (state->jobs, job);

  /* everything optional left out */
  job = vigil_state_job_new ();
  job->server = g_strdup ("https://analysis.example.org/prefix");
  job->job_id = g_strdup ("j2");
  job->stopped = TRUE;
  g_ptr_array_add (state->jobs, job);

  g_ptr_array_add (state->history,
                   vigil_history_entry_new ("http://127.0.0.1:5001", "h1", VIGIL_JOB_KIND_PLAYLIST,
                                            3, "Road trip", VIGIL_OUTCOME_COMPLETED, t4, 125.25,
                                            NULL));
  g_ptr_array_add (state->history,
                   vigil_history_entry_new ("http://127.0.0.1:5001", "h2", VIGIL_JOB_KIND_SONG, 9,
                                            NULL, VIGIL_OUTCOME_FAILED, t3, VIGIL_UNKNOWN,
                                            "Lyrics service unavailable"));
  g_ptr_array_add (state->history,
                   vigil_history_entry_new ("http://other:1", "h3", VIGIL_JOB_KIND_UNKNOWN, -1,
                                            NULL, VIGIL_OUTCOME_NOT_FOUND, NULL, VIGIL_UNKNOWN,
                                            NULL));
  return state;
}

static gboolean
dates_equal (GDateTime *a,
             GDateTime *b)
{
  return a == b || (a != NULL && b != NULL && g_date_time_equal (a, b));
}

static void
assert_entries_equal (VigilHistoryEntry *a,
                      VigilHistoryEntry *b)
{
  g_assert_cmpstr (vigil_history_entry_get_server (a), ==, vigil_history_entry_get_server (b));
  g_assert_cmpstr (vigil_history_entry_get_job_id (a), ==, vigil_history_entry_get_job_id (b));
  g_assert_cmpint (vigil_history_entry_get_kind (a), ==, vigil_history_entry_get_kind (b));
  g_assert_cmpint (vigil_history_entry_get_target_id (a), ==,
                   vigil_history_entry_get_target_id (b));
  g_assert_cmpstr (vigil_history_entry_get_title (a), ==, vigil_history_entry_get_title (b));
  g_assert_cmpint (vigil_history_entry_get_outcome (a), ==, vigil_history_entry_get_outcome (b));
  g_assert_true (dates_equal (vigil_history_entry_get_finished_at (a),
                              vigil_history_entry_get_finished_at (b)));
  g_assert_cmpfloat_with_epsilon (vigil_history_entry_get_duration (a),
                                  vigil_history_entry_get_duration (b), 0.0005);
  g_assert_cmpstr (vigil_history_entry_get_error_message (a), ==,
                   vigil_history_entry_get_error_message (b));
}

/* ------------------------------------------------------------------ */
/* Round trips and tolerance                                           */
/* ------------------------------------------------------------------ */

static void
test_round_trip (void)
{
  g_autoptr(VigilState) state = sample_state ();
  g_autoptr(VigilState) back = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *text = NULL;
  g_autofree char *again = NULL;
  gsize length = 0;

  text = vigil_state_file_serialize (state, &length);
  g_assert_cmpuint (length, ==, strlen (text));
  back = vigil_state_file_parse (text, length, &error);
  g_assert_no_error (error);

  g_assert_cmpuint (back->jobs->len, ==, 2);
  for (guint i = 0; i < 2; i++)
    g_assert_true (vigil_state_job_equal (g_ptr_array_index (state->jobs, i),
                                          g_ptr_array_index (back->jobs, i)));
  g_assert_cmpuint (back->history->len, ==, 3);
  for (guint i = 0; i < 3; i++)
    assert_entries_equal (g_ptr_array_index (state->history, i),
                          g_ptr_array_index (back->history, i));

  /* Writing what was read gives the same bytes. */
  again = vigil_state_file_serialize (back, NULL);
  g_assert_cmpstr (again, ==, text);
  g_assert_nonnull (strstr (text, "\"version\" : 1"));
}

static void
test_minimal_and_defaults (void)
{
  g_autoptr(VigilState) empty = parse_ok ("{\"version\":1,\"jobs\":[],\"history\":[]}");
  g_autoptr(VigilState) sparse = NULL;
  g_autoptr(VigilState) nulls = NULL;
  VigilStateJob *job;
  VigilHistoryEntry *entry;

  g_assert_cmpuint (empty->jobs->len, ==, 0);
  g_assert_cmpuint (empty->history->len, ==, 0);

  sparse = parse_ok ("{\"version\":1,"
                     " \"jobs\":[{\"server\":\"http://h:1\",\"job_id\":\"a\",\"kind\":\"song\","
                     "            \"state\":\"queued\"}],"
                     " \"history\":[{\"server\":\"http://h:1\",\"job_id\":\"b\","
                     "               \"kind\":\"background\",\"outcome\":\"lost\"}]}");
  job = g_ptr_array_index (sparse->jobs, 0);
  g_assert_cmpint (job->target_id, ==, -1);
  g_assert_null (job->title);
  g_assert_null (job->created_at);
  g_assert_null (job->started_at);
  g_assert_cmpint (job->state, ==, VIGIL_SERVER_STATE_QUEUED);
  g_assert_false (job->stopped);
  entry = g_ptr_array_index (sparse->history, 0);
  g_assert_cmpint (vigil_history_entry_get_outcome (entry), ==, VIGIL_OUTCOME_LOST);
  g_assert_cmpint (vigil_history_entry_get_kind (entry), ==, VIGIL_JOB_KIND_BACKGROUND);
  g_assert_null (vigil_history_entry_get_finished_at (entry));
  g_assert_cmpfloat (vigil_history_entry_get_duration (entry), ==, VIGIL_UNKNOWN);

  /* null is the same as absent for optional fields */
  nulls = parse_ok ("{\"version\":1,"
                    " \"jobs\":[{\"server\":\"http://h:1\",\"job_id\":\"a\",\"kind\":\"song\","
                    "            \"state\":\"running\",\"title\":null,\"target_id\":null,"
                    "            \"created_at\":null,\"started_at\":null,\"stopped\":null}],"
                    " \"history\":[{\"server\":\"http://h:1\",\"job_id\":\"b\",\"kind\":\"song\","
                    "               \"outcome\":\"completed\",\"finished_at\":null,"
                    "               \"duration_ms\":null,\"error\":null,\"title\":null}]}");
  g_assert_cmpuint (nulls->jobs->len, ==, 1);
  g_assert_cmpuint (nulls->history->len, ==, 1);
}

static void
test_unknown_fields (void)
{
  g_autofree char *job = doc_with_job ("priority", "{\"level\": [\"HIGH\", 1, null, 2.5]}");
  g_autofree char *entry = doc_with_entry ("songs", "[{\"id\": 1}, {\"id\": 2}]");
  g_autoptr(VigilState) a = parse_ok (job);
  g_autoptr(VigilState) b = parse_ok (entry);
  g_autoptr(VigilState) c = parse_ok ("{\"saved_by\": \"Vigil 9\", \"version\": 1, \"jobs\": [],"
                                      " \"history\": [], \"window\": {\"width\": 800}}");
  VigilStateJob *saved = g_ptr_array_index (a->jobs, 0);

  g_assert_cmpstr (saved->job_id, ==, "3f9c");
  g_assert_cmpint (saved->kind, ==, VIGIL_JOB_KIND_PLAYLIST);
  g_assert_cmpint (saved->target_id, ==, 4);
  g_assert_cmpstr (saved->title, ==, "Road trip");
  g_assert_cmpint (saved->state, ==, VIGIL_SERVER_STATE_RUNNING);
  g_assert_cmpint (g_date_time_get_microsecond (saved->created_at), ==, 123456);
  g_assert_cmpfloat (vigil_history_entry_get_duration (g_ptr_array_index (b->history, 0)), ==,
                     61.5);
  g_assert_cmpuint (c->jobs->len, ==, 0);
}

/* A title that is not UTF-8 (it cannot come from json-glib, but the job
 * model takes any string) is repaired on writing: the file always reads. */
static void
test_invalid_utf8_written_valid (void)
{
  g_autoptr(VigilState) state = vigil_state_new ();
  g_autoptr(VigilState) back = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *text = NULL;
  VigilStateJob *job = vigil_state_job_new ();
  gsize length;

  job->server = g_strdup ("http://h:1");
  job->job_id = g_strdup ("a\xff");
  job->title = g_strdup ("bad \xc3\x28 bytes");
  g_ptr_array_add (state->jobs, job);

  text = vigil_state_file_serialize (state, &length);
  back = vigil_state_file_parse (text, length, &error);
  g_assert_no_error (error);
  job = g_ptr_array_index (back->jobs, 0);
  g_assert_true (g_utf8_validate (job->title, -1, NULL));
  g_assert_true (g_str_has_prefix (job->title, "bad "));
}

/* ------------------------------------------------------------------ */
/* History cap                                                         */
/* ------------------------------------------------------------------ */

static GPtrArray *
many_entries (guint n)
{
  g_autoptr(GPtrArray) entries = g_ptr_array_new_with_free_func (g_object_unref);
  g_autoptr(GRand) rand = g_rand_new_with_seed (11);

  for (guint i = 0; i < n; i++)
    {
      g_autoptr(GDateTime) base = utc (2026, 1, 1, 0, 0, 0);
      g_autoptr(GDateTime) when = g_date_time_add_minutes (base, (int) i);
      g_autofree char *id = g_strdup_printf ("job-%04u", i);

      g_ptr_array_add (entries, vigil_history_entry_new ("http://h:1", id, VIGIL_JOB_KIND_SONG, i,
                                                         NULL, VIGIL_OUTCOME_COMPLETED, when, i,
                                                         NULL));
    }
  /* shuffled: the cap keeps the newest by time, not by position */
  for (guint i = n; i > 1; i--)
    {
      guint j = g_rand_int_range (rand, 0, (gint32) i);
      gpointer tmp = entries->pdata[i - 1];

      entries->pdata[i - 1] = entries->pdata[j];
      entries->pdata[j] = tmp;
    }
  return g_steal_pointer (&entries);
}

static void
assert_newest_500 (GPtrArray *history,
                   guint      n)
{
  g_assert_cmpuint (history->len, ==, VIGIL_STATE_HISTORY_MAX);
  for (guint i = 0; i < history->len; i++)
    {
      g_autofree char *id = g_strdup_printf ("job-%04u", n - 1 - i);

      g_assert_cmpstr (vigil_history_entry_get_job_id (g_ptr_array_index (history, i)), ==, id);
    }
}

static void
test_history_cap (void)
{
  g_autoptr(VigilState) state = vigil_state_new ();
  g_autoptr(VigilState) back = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *text = NULL;
  g_autoptr(GString) doc = g_string_new ("{\"version\": 1, \"jobs\": [], \"history\": [");
  g_autoptr(GPtrArray) entries = many_entries (600);
  gsize length;

  /* Writing 600 writes the newest 500, newest first. */
  for (guint i = 0; i < entries->len; i++)
    g_ptr_array_add (state->history, g_object_ref (g_ptr_array_index (entries, i)));
  text = vigil_state_file_serialize (state, &length);
  back = vigil_state_file_parse (text, length, &error);
  g_assert_no_error (error);
  assert_newest_500 (back->history, 600);
  g_clear_pointer (&back, vigil_state_free);

  /* Reading 600 (an older or hand-edited file) keeps the newest 500. */
  for (guint i = 0; i < entries->len; i++)
    {
      VigilHistoryEntry *entry = g_ptr_array_index (entries, i);
      g_autofree char *when = g_date_time_format_iso8601 (vigil_history_entry_get_finished_at (entry));

      g_string_append_printf (doc, "%s{\"server\": \"http://h:1\", \"job_id\": \"%s\","
                              " \"kind\": \"song\", \"outcome\": \"completed\","
                              " \"finished_at\": \"%s\"}",
                              i > 0 ? "," : "", vigil_history_entry_get_job_id (entry), when);
    }
  g_string_append (doc, "]}");
  back = vigil_state_file_parse (doc->str, doc->len, &error);
  g_assert_no_error (error);
  assert_newest_500 (back->history, 600);
}

/* ------------------------------------------------------------------ */
/* Corrupt forms                                                       */
/* ------------------------------------------------------------------ */

/* Every prefix of a good file: what a crash during a non-atomic write, a
 * full disk or a copy cut short leaves. */
static void
test_truncated (void)
{
  g_autoptr(VigilState) state = sample_state ();
  gsize length;
  g_autofree char *text = vigil_state_file_serialize (state, &length);

  for (gsize cut = 0; cut < length; cut++)
    {
      g_autoptr(GError) error = NULL;
      g_autoptr(VigilState) back = vigil_state_file_parse (text, cut, &error);

      g_assert_null (back);
      /* cut inside a multi-byte character: not even text */
      if (!g_error_matches (error, VIGIL_STATE_ERROR, VIGIL_STATE_ERROR_NOT_TEXT))
        g_assert_error (error, VIGIL_STATE_ERROR, VIGIL_STATE_ERROR_NOT_JSON);
    }
  assert_refused ("", 0, VIGIL_STATE_ERROR_NOT_JSON, "truncated");
  assert_refused ("   \n", -1, VIGIL_STATE_ERROR_NOT_JSON, NULL);
}

static void
test_binary (void)
{
  static const char png[] = "\x89PNG\r\n\x1a\n\0\0\0\rIHDR";
  static const char nul_inside[] = "{\"version\": 1, \"jobs\": [], \0 \"history\": []}";
  g_autoptr(GRand) rand = g_rand_new_with_seed (7);

  assert_refused (png, sizeof png - 1, VIGIL_STATE_ERROR_NOT_TEXT, NULL);
  assert_refused (nul_inside, sizeof nul_inside - 1, VIGIL_STATE_ERROR_NOT_TEXT, NULL);
  assert_refused ("{\"version\": 1, \"jobs\": [], \"history\": [], \"x\": \"\xc0\xaf\"}", -1,
                  VIGIL_STATE_ERROR_NOT_TEXT, NULL);

  for (guint round = 0; round < 200; round++)
    {
      guint8 bytes[256];
      g_autoptr(GError) error = NULL;
      g_autoptr(VigilState) state = NULL;
      gsize n = g_rand_int_range (rand, 1, sizeof bytes);

      for (gsize i = 0; i < n; i++)
        bytes[i] = (guint8) g_rand_int_range (rand, 0, 256);
      state = vigil_state_file_parse ((const char *) bytes, n, &error);
      g_assert_null (state);
      g_assert_true (error->domain == VIGIL_STATE_ERROR);
    }

  /* text, but not JSON, or not standard JSON */
  assert_refused ("Hello, world", -1, VIGIL_STATE_ERROR_NOT_JSON, NULL);
  assert_refused ("{'version': 1, 'jobs': [], 'history': []}", -1, VIGIL_STATE_ERROR_NOT_JSON, NULL);
  assert_refused ("{\"version\": 1, \"jobs\": [], \"history\": []} trailing", -1,
                  VIGIL_STATE_ERROR_NOT_JSON, NULL);
  assert_refused ("/* c */ {\"version\": 1, \"jobs\": [], \"history\": []}", -1,
                  VIGIL_STATE_ERROR_NOT_JSON, NULL);
}

static void
test_wrong_version (void)
{
  static const struct { const char *version; const char *in_message; } cases[] = {
    { "2", "version 2" },
    { "0", "version 0" },
    { "-1", "version -1" },
    { "\"1\"", "no version" },
    { "1.0", "no version" },
    { "null", "no version" },
    { "true", "no version" },
    { NULL, "no version" },
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autofree char *doc = NULL;

      if (cases[i].version != NULL)
        doc = g_strdup_printf ("{\"version\": %s, \"jobs\": [], \"history\": []}", cases[i].version);
      else
        doc = g_strdup ("{\"jobs\": [], \"history\": []}");
      assert_refused (doc, -1, VIGIL_STATE_ERROR_VERSION, cases[i].in_message);
    }

  /* a number json-glib would wrap round */
  assert_refused ("{\"version\": 18446744073709551617, \"jobs\": [], \"history\": []}", -1,
                  VIGIL_STATE_ERROR_INVALID, "out of range");
}

static void
test_wrong_shape (void)
{
  assert_refused ("[]", -1, VIGIL_STATE_ERROR_INVALID, "object");
  assert_refused ("1", -1, VIGIL_STATE_ERROR_INVALID, "object");
  assert_refused ("{\"version\": 1, \"history\": []}", -1, VIGIL_STATE_ERROR_INVALID, "“jobs”");
  assert_refused ("{\"version\": 1, \"jobs\": []}", -1, VIGIL_STATE_ERROR_INVALID, "“history”");
  assert_refused ("{\"version\": 1, \"jobs\": {}, \"history\": []}", -1,
                  VIGIL_STATE_ERROR_INVALID, "“jobs”");
  assert_refused ("{\"version\": 1, \"jobs\": [], \"history\": null}", -1,
                  VIGIL_STATE_ERROR_INVALID, "“history”");
  assert_refused ("{\"version\": 1, \"jobs\": [1], \"history\": []}", -1,
                  VIGIL_STATE_ERROR_INVALID, "“jobs[0]”");
  assert_refused ("{\"version\": 1, \"jobs\": [], \"history\": [[]]}", -1,
                  VIGIL_STATE_ERROR_INVALID, "“history[0]”");
}

typedef struct
{
  const char *field;
  const char *value;   /* JSON; NULL: the field is missing */
} BadField;

static void
test_wrong_types (void)
{
  static const BadField bad_jobs[] = {
    { "server", NULL }, { "server", "5" }, { "server", "\"\"" }, { "server", "[\"x\"]" },
    { "job_id", NULL }, { "job_id", "\"\"" }, { "job_id", "42" },
    { "kind", NULL }, { "kind", "\"album\"" }, { "kind", "\"SONG\"" }, { "kind", "1" },
    { "target_id", "\"4\"" }, { "target_id", "-2" }, { "target_id", "4.5" },
    { "target_id", "true" },
    { "title", "7" }, { "title", "{}" },
    { "created_at", "\"yesterday\"" }, { "created_at", "1764360062" },
    { "started_at", "\"2026-13-01T00:00:00Z\"" },
    { "state", NULL }, { "state", "\"succeeded\"" }, { "state", "\"\"" }, { "state", "0" },
    { "stopped", "\"yes\"" }, { "stopped", "1" },
  };
  static const BadField bad_entries[] = {
    { "server", NULL }, { "server", "false" },
    { "job_id", NULL }, { "job_id", "[]" },
    { "kind", "\"Song\"" },
    { "target_id", "\"7\"" },
    { "title", "[]" },
    { "outcome", NULL }, { "outcome", "\"exploded\"" }, { "outcome", "\"not found\"" },
    { "outcome", "3" },
    { "finished_at", "12" }, { "finished_at", "\"28/11/2026\"" },
    { "duration_ms", "-5" }, { "duration_ms", "1.5" }, { "duration_ms", "\"60\"" },
    { "duration_ms", "99999999999999" },
    { "error", "[]" }, { "error", "false" },
  };

  for (guint i = 0; i < G_N_ELEMENTS (bad_jobs); i++)
    {
      g_autofree char *doc = doc_with_job (bad_jobs[i].field, bad_jobs[i].value);
      g_autofree char *where = g_strdup_printf ("jobs[0].%s", bad_jobs[i].field);

      assert_refused (doc, -1, VIGIL_STATE_ERROR_INVALID, where);
    }
  for (guint i = 0; i < G_N_ELEMENTS (bad_entries); i++)
    {
      g_autofree char *doc = doc_with_entry (bad_entries[i].field, bad_entries[i].value);
      g_autofree char *where = g_strdup_printf ("history[0].%s", bad_entries[i].field);

      assert_refused (doc, -1, VIGIL_STATE_ERROR_INVALID, where);
    }

  /* and the well-formed versions of both read */
  {
    g_autofree char *job = doc_with_job (NULL, NULL);
    g_autofree char *entry = doc_with_entry (NULL, NULL);
    g_autoptr(VigilState) a = parse_ok (job);
    g_autoptr(VigilState) b = parse_ok (entry);
  }
}

static void
test_huge (void)
{
  static const char good[] = "{\"version\": 1, \"jobs\": [], \"history\": []}";
  gsize length = VIGIL_STATE_FILE_MAX_SIZE + 1;
  g_autofree char *text = g_malloc (length);
  g_autoptr(GString) deep = g_string_new ("{\"version\": 1, \"jobs\": [], \"history\": [], \"x\": ");

  /* valid JSON, but too much of it */
  memset (text, ' ', length);
  memcpy (text, good, sizeof good - 1);
  assert_refused (text, length, VIGIL_STATE_ERROR_TOO_LARGE, NULL);

  /* nested beyond reason inside an unknown field */
  for (guint i = 0; i < 10000; i++)
    g_string_append_c (deep, '[');
  for (guint i = 0; i < 10000; i++)
    g_string_append_c (deep, ']');
  g_string_append_c (deep, '}');
  assert_refused (deep->str, deep->len, VIGIL_STATE_ERROR_NOT_JSON, NULL);
}

int
main (int argc, char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/vigil/state-file/round-trip", test_round_trip);
  g_test_add_func ("/vigil/state-file/minimal-and-defaults", test_minimal_and_defaults);
  g_test_add_func ("/vigil/state-file/unknown-fields", test_unknown_fields);
  g_test_add_func ("/vigil/state-file/invalid-utf8-written-valid", test_invalid_utf8_written_valid);
  g_test_add_func ("/vigil/state-file/history-cap", test_history_cap);
  g_test_add_func ("/vigil/state-file/truncated", test_truncated);
  g_test_add_func ("/vigil/state-file/binary", test_binary);
  g_test_add_func ("/vigil/state-file/wrong-version", test_wrong_version);
  g_test_add_func ("/vigil/state-file/wrong-shape", test_wrong_shape);
  g_test_add_func ("/vigil/state-file/wrong-types", test_wrong_types);
  g_test_add_func ("/vigil/state-file/huge", test_huge);

  return g_test_run ();
}
