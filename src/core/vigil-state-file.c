/* vigil-state-file.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <glib/gi18n-lib.h>
#include <json-glib/json-glib.h>

#include "vigil-json-syntax.h"

#include "vigil-state-file.h"

/* The document is three levels deep; unknown fields may nest a little. */
#define MAX_DEPTH 32

G_DEFINE_QUARK (vigil-state-error-quark, vigil_state_error)

G_DEFINE_BOXED_TYPE (VigilStateJob, vigil_state_job, vigil_state_job_copy, vigil_state_job_free)

/* The file's own spellings, indexed by the enums' values: stable whatever
 * the GEnum nicks become. */
static const char *const kind_names[] = {
  [VIGIL_JOB_KIND_UNKNOWN] = "unknown",
  [VIGIL_JOB_KIND_SONG] = "song",
  [VIGIL_JOB_KIND_PLAYLIST] = "playlist",
  [VIGIL_JOB_KIND_BACKGROUND] = "background",
};

static const char *const outcome_names[] = {
  [VIGIL_OUTCOME_COMPLETED] = "completed",
  [VIGIL_OUTCOME_FAILED] = "failed",
  [VIGIL_OUTCOME_LOST] = "lost",
  [VIGIL_OUTCOME_NOT_FOUND] = "not_found",
};

/* A saved job is one still going. */
static const char *const job_state_names[] = {
  [VIGIL_SERVER_STATE_QUEUED] = "queued",
  [VIGIL_SERVER_STATE_RUNNING] = "running",
};

/* ------------------------------------------------------------------ */
/* Errors                                                              */
/* ------------------------------------------------------------------ */

typedef enum
{
  PROBLEM_MISSING,
  PROBLEM_TYPE,
  PROBLEM_VALUE,
} Problem;

/* place: "jobs[2]" or NULL for the top level; field: "kind". */
static gboolean
set_invalid (GError     **error,
             const char  *place,
             const char  *field,
             Problem      problem)
{
  g_autofree char *where = place != NULL ? g_strdup_printf ("%s.%s", place, field)
                                         : g_strdup (field);

  switch (problem)
    {
    case PROBLEM_MISSING:
      /* Translators: %s names a field of the saved state, e.g. jobs[2].kind */
      g_set_error (error, VIGIL_STATE_ERROR, VIGIL_STATE_ERROR_INVALID,
                   _("The saved state lacks “%s”"), where);
      break;
    case PROBLEM_TYPE:
      /* Translators: %s names a field of the saved state, e.g. jobs[2].kind */
      g_set_error (error, VIGIL_STATE_ERROR, VIGIL_STATE_ERROR_INVALID,
                   _("The saved state has the wrong type of value in “%s”"), where);
      break;
    case PROBLEM_VALUE:
    default:
      /* Translators: %s names a field of the saved state, e.g. jobs[2].kind */
      g_set_error (error, VIGIL_STATE_ERROR, VIGIL_STATE_ERROR_INVALID,
                   _("The saved state has an invalid value in “%s”"), where);
      break;
    }
  return FALSE;
}

/* ------------------------------------------------------------------ */
/* Reading fields                                                      */
/* ------------------------------------------------------------------ */

typedef struct
{
  JsonObject *object;
  const char *place;
  GError    **error;
} Fields;

/* The member, NULL when absent or null (then *ok says whether that is
 * allowed). */
static JsonNode *
member (Fields     *f,
        const char *name,
        gboolean    required,
        gboolean   *ok)
{
  JsonNode *node = json_object_get_member (f->object, name);

  *ok = TRUE;
  if (node != NULL && !JSON_NODE_HOLDS_NULL (node))
    return node;
  if (required)
    *ok = set_invalid (f->error, f->place, name, PROBLEM_MISSING);
  return NULL;
}

static gboolean
read_string (Fields      *f,
             const char  *name,
             gboolean     required,
             char       **out)
{
  gboolean ok;
  JsonNode *node = member (f, name, required, &ok);

  if (node == NULL)
    return ok;
  if (!JSON_NODE_HOLDS_VALUE (node) || json_node_get_value_type (node) != G_TYPE_STRING)
    return set_invalid (f->error, f->place, name, PROBLEM_TYPE);
  if (required && json_node_get_string (node)[0] == '\0')
    return set_invalid (f->error, f->place, name, PROBLEM_VALUE);

  *out = json_node_dup_string (node);
  return TRUE;
}

static gboolean
read_int (Fields     *f,
          const char *name,
          gint64      min,
          gint64      max,
          gint64     *out)
{
  gboolean ok;
  JsonNode *node = member (f, name, FALSE, &ok);
  gint64 value;

  if (node == NULL)
    return ok;
  if (!JSON_NODE_HOLDS_VALUE (node) || json_node_get_value_type (node) != G_TYPE_INT64)
    return set_invalid (f->error, f->place, name, PROBLEM_TYPE);

  value = json_node_get_int (node);
  if (value < min || value > max)
    return set_invalid (f->error, f->place, name, PROBLEM_VALUE);
  *out = value;
  return TRUE;
}

static gboolean
read_bool (Fields     *f,
           const char *name,
           gboolean   *out)
{
  gboolean ok;
  JsonNode *node = member (f, name, FALSE, &ok);

  if (node == NULL)
    return ok;
  if (!JSON_NODE_HOLDS_VALUE (node) || json_node_get_value_type (node) != G_TYPE_BOOLEAN)
    return set_invalid (f->error, f->place, name, PROBLEM_TYPE);

  *out = json_node_get_boolean (node);
  return TRUE;
}

static gboolean
read_time (Fields      *f,
           const char  *name,
           GDateTime  **out)
{
  g_autofree char *text = NULL;
  g_autoptr(GDateTime) time = NULL;

  if (!read_string (f, name, FALSE, &text))
    return FALSE;
  if (text == NULL)
    return TRUE;

  time = g_date_time_new_from_iso8601 (text, NULL);
  if (time == NULL)
    return set_invalid (f->error, f->place, name, PROBLEM_VALUE);
  *out = g_date_time_to_utc (time);
  return TRUE;
}

/* A required string, one of names: *out is its index. */
static gboolean
read_name (Fields            *f,
           const char        *field,
           const char *const *names,
           guint              n_names,
           guint             *out)
{
  g_autofree char *text = NULL;

  if (!read_string (f, field, TRUE, &text))
    return FALSE;

  for (guint i = 0; i < n_names; i++)
    if (g_str_equal (names[i], text))
      {
        *out = i;
        return TRUE;
      }
  return set_invalid (f->error, f->place, field, PROBLEM_VALUE);
}

#define READ_NAME(f, field, names, out) \
  read_name ((f), (field), (names), G_N_ELEMENTS (names), (out))

/* ------------------------------------------------------------------ */
/* Reading entries                                                     */
/* ------------------------------------------------------------------ */

static VigilStateJob *
read_job (JsonObject  *object,
          const char  *place,
          GError     **error)
{
  g_autoptr(VigilStateJob) job = vigil_state_job_new ();
  Fields f = { object, place, error };
  guint kind = 0, state = 0;

  if (!read_string (&f, "server", TRUE, &job->server) ||
      !read_string (&f, "job_id", TRUE, &job->job_id) ||
      !READ_NAME (&f, "kind", kind_names, &kind) ||
      !read_int (&f, "target_id", -1, G_MAXINT64, &job->target_id) ||
      !read_string (&f, "title", FALSE, &job->title) ||
      !read_time (&f, "created_at", &job->created_at) ||
      !read_time (&f, "started_at", &job->started_at) ||
      !READ_NAME (&f, "state", job_state_names, &state) ||
      !read_bool (&f, "stopped", &job->stopped))
    return NULL;

  job->kind = kind;
  job->state = state;
  return g_steal_pointer (&job);
}

typedef struct
{
  char         *server;
  char         *job_id;
  gint64        target_id;
  char         *title;
  GDateTime    *finished_at;
  gint64        duration_ms;
  char         *error_message;
} HistoryFields;

static void
history_fields_clear (HistoryFields *h)
{
  g_free (h->server);
  g_free (h->job_id);
  g_free (h->title);
  g_clear_pointer (&h->finished_at, g_date_time_unref);
  g_free (h->error_message);
}

G_DEFINE_AUTO_CLEANUP_CLEAR_FUNC (HistoryFields, history_fields_clear)

static VigilHistoryEntry *
read_history_entry (JsonObject  *object,
                    const char  *place,
                    GError     **error)
{
  g_auto(HistoryFields) h = { .target_id = -1, .duration_ms = -1 };
  Fields f = { object, place, error };
  guint kind = 0, outcome = 0;

  if (!read_string (&f, "server", TRUE, &h.server) ||
      !read_string (&f, "job_id", TRUE, &h.job_id) ||
      !READ_NAME (&f, "kind", kind_names, &kind) ||
      !read_int (&f, "target_id", -1, G_MAXINT64, &h.target_id) ||
      !read_string (&f, "title", FALSE, &h.title) ||
      !READ_NAME (&f, "outcome", outcome_names, &outcome) ||
      !read_time (&f, "finished_at", &h.finished_at) ||
      !read_int (&f, "duration_ms", 0, (gint64) (VIGIL_MAX_SECONDS * 1000), &h.duration_ms) ||
      !read_string (&f, "error", FALSE, &h.error_message))
    return NULL;

  return vigil_history_entry_new (h.server, h.job_id, kind, h.target_id, h.title, outcome,
                                  h.finished_at,
                                  h.duration_ms >= 0 ? h.duration_ms / 1000.0 : VIGIL_UNKNOWN,
                                  h.error_message);
}

typedef gpointer (*ReadEntry) (JsonObject *object, const char *place, GError **error);

/* Reads root[name], a required array of objects, into array. */
static gboolean
read_array (JsonObject  *root,
            const char  *name,
            ReadEntry    read_entry,
            GPtrArray   *array,
            GError     **error)
{
  JsonNode *node = json_object_get_member (root, name);
  JsonArray *items;

  if (node == NULL)
    return set_invalid (error, NULL, name, PROBLEM_MISSING);
  if (!JSON_NODE_HOLDS_ARRAY (node))
    return set_invalid (error, NULL, name, PROBLEM_TYPE);

  items = json_node_get_array (node);
  for (guint i = 0; i < json_array_get_length (items); i++)
    {
      JsonNode *item = json_array_get_element (items, i);
      g_autofree char *place = g_strdup_printf ("%s[%u]", name, i);
      gpointer entry;

      if (!JSON_NODE_HOLDS_OBJECT (item))
        return set_invalid (error, NULL, place, PROBLEM_TYPE);
      entry = read_entry (json_node_get_object (item), place, error);
      if (entry == NULL)
        return FALSE;
      g_ptr_array_add (array, entry);
    }
  return TRUE;
}

/* ------------------------------------------------------------------ */
/* Reading the document                                                */
/* ------------------------------------------------------------------ */

gboolean
vigil_state_file_check_text (const char  *data,
                             gsize        length,
                             GError     **error)
{
  g_autoptr(GArray) overflows = g_array_new (FALSE, FALSE, sizeof (gsize));

  if (length > VIGIL_STATE_FILE_MAX_SIZE)
    {
      g_set_error (error, VIGIL_STATE_ERROR, VIGIL_STATE_ERROR_TOO_LARGE,
                   _("The saved state is too large (more than %d MB)"),
                   VIGIL_STATE_FILE_MAX_SIZE / (1024 * 1024));
      return FALSE;
    }
  /* with a length, a NUL byte is invalid too */
  if (!g_utf8_validate (data, length, NULL))
    {
      g_set_error_literal (error, VIGIL_STATE_ERROR, VIGIL_STATE_ERROR_NOT_TEXT,
                           _("The saved state is not text (it is damaged or binary)"));
      return FALSE;
    }
  switch (vigil_json_syntax_check (data, length, MAX_DEPTH, overflows, NULL))
    {
    case VIGIL_JSON_SYNTAX_OK:
      break;
    case VIGIL_JSON_SYNTAX_TOO_DEEP:
    case VIGIL_JSON_SYNTAX_INVALID:
    default:
      g_set_error_literal (error, VIGIL_STATE_ERROR, VIGIL_STATE_ERROR_NOT_JSON,
                           _("The saved state is not valid JSON (it may be truncated)"));
      return FALSE;
    }
  /* json-glib would wrap them round */
  if (overflows->len > 0)
    {
      g_set_error_literal (error, VIGIL_STATE_ERROR, VIGIL_STATE_ERROR_INVALID,
                           _("The saved state holds a number out of range"));
      return FALSE;
    }
  return TRUE;
}

static gboolean
check_version (JsonObject  *root,
               GError     **error)
{
  JsonNode *node = json_object_get_member (root, "version");

  if (node == NULL || !JSON_NODE_HOLDS_VALUE (node) ||
      json_node_get_value_type (node) != G_TYPE_INT64)
    {
      g_set_error_literal (error, VIGIL_STATE_ERROR, VIGIL_STATE_ERROR_VERSION,
                           _("The saved state has no version number"));
      return FALSE;
    }
  if (json_node_get_int (node) != VIGIL_STATE_FILE_VERSION)
    {
      g_autofree char *version = g_strdup_printf ("%" G_GINT64_FORMAT, json_node_get_int (node));

      /* Translators: %s is a version number found in the file, %d the one Vigil reads */
      g_set_error (error, VIGIL_STATE_ERROR, VIGIL_STATE_ERROR_VERSION,
                   _("The saved state is version %s; this version of Vigil reads version %d"),
                   version, VIGIL_STATE_FILE_VERSION);
      return FALSE;
    }
  return TRUE;
}

static int
compare_history_indirect (gconstpointer a,
                          gconstpointer b,
                          gpointer      user_data)
{
  return vigil_history_entry_compare_newest (*(VigilHistoryEntry **) a,
                                             *(VigilHistoryEntry **) b, NULL);
}

/* Newest first (stable), at most VIGIL_STATE_HISTORY_MAX. */
static void
trim_history (GPtrArray *history)
{
  g_ptr_array_sort_with_data (history, compare_history_indirect, NULL);
  if (history->len > VIGIL_STATE_HISTORY_MAX)
    g_ptr_array_set_size (history, VIGIL_STATE_HISTORY_MAX);
}

/* ------------------------------------------------------------------ */
/* Writing                                                             */
/* ------------------------------------------------------------------ */

static void
add_string (JsonBuilder *builder,
            const char  *name,
            const char  *value)
{
  json_builder_set_member_name (builder, name);
  if (value == NULL)
    json_builder_add_null_value (builder);
  else if (g_utf8_validate (value, -1, NULL))
    json_builder_add_string_value (builder, value);
  else
    {
      g_autofree char *valid = g_utf8_make_valid (value, -1);

      json_builder_add_string_value (builder, valid);
    }
}

static void
add_int (JsonBuilder *builder,
         const char  *name,
         gint64       value)
{
  json_builder_set_member_name (builder, name);
  json_builder_add_int_value (builder, value);
}

static void
add_time (JsonBuilder *builder,
          const char  *name,
          GDateTime   *value)
{
  g_autoptr(GDateTime) utc = value != NULL ? g_date_time_to_utc (value) : NULL;
  g_autofree char *text = utc != NULL ? g_date_time_format_iso8601 (utc) : NULL;

  add_string (builder, name, text);
}

static const char *
kind_name (VigilJobKind kind)
{
  return (guint) kind < G_N_ELEMENTS (kind_names) ? kind_names[kind] : "unknown";
}

static const char *
outcome_name (VigilOutcome outcome)
{
  return (guint) outcome < G_N_ELEMENTS (outcome_names) ? outcome_names[outcome] : "lost";
}

static void
add_job (JsonBuilder         *builder,
         const VigilStateJob *job)
{
  json_builder_begin_object (builder);
  add_string (builder, "server", job->server);
  add_string (builder, "job_id", job->job_id);
  add_string (builder, "kind", kind_name (job->kind));
  add_int (builder, "target_id", MAX (job->target_id, -1));
  add_string (builder, "title", job->title);
  add_time (builder, "created_at", job->created_at);
  add_time (builder, "started_at", job->started_at);
  add_string (builder, "state", job_state_names[job->state == VIGIL_SERVER_STATE_QUEUED
                                                ? VIGIL_SERVER_STATE_QUEUED
                                                : VIGIL_SERVER_STATE_RUNNING]);
  json_builder_set_member_name (builder, "stopped");
  json_builder_add_boolean_value (builder, job->stopped);
  json_builder_end_object (builder);
}

static void
add_history_entry (JsonBuilder       *builder,
                   VigilHistoryEntry *entry)
{
  gint64 duration_ms = vigil_seconds_to_units (vigil_history_entry_get_duration (entry), 0.001,
                                               VIGIL_ROUND_NEAREST);

  json_builder_begin_object (builder);
  add_string (builder, "server", vigil_history_entry_get_server (entry));
  add_string (builder, "job_id", vigil_history_entry_get_job_id (entry));
  add_string (builder, "kind", kind_name (vigil_history_entry_get_kind (entry)));
  add_int (builder, "target_id", vigil_history_entry_get_target_id (entry));
  add_string (builder, "title", vigil_history_entry_get_title (entry));
  add_string (builder, "outcome", outcome_name (vigil_history_entry_get_outcome (entry)));
  add_time (builder, "finished_at", vigil_history_entry_get_finished_at (entry));
  json_builder_set_member_name (builder, "duration_ms");
  if (duration_ms >= 0)
    json_builder_add_int_value (builder, duration_ms);
  else
    json_builder_add_null_value (builder);
  add_string (builder, "error", vigil_history_entry_get_error_message (entry));
  json_builder_end_object (builder);
}

/* ------------------------------------------------------------------ */
/* Public API                                                          */
/* ------------------------------------------------------------------ */

VigilStateJob *
vigil_state_job_new (void)
{
  VigilStateJob *job = g_new0 (VigilStateJob, 1);

  job->target_id = -1;
  job->state = VIGIL_SERVER_STATE_QUEUED;
  return job;
}

VigilStateJob *
vigil_state_job_copy (const VigilStateJob *job)
{
  VigilStateJob *copy;

  g_return_val_if_fail (job != NULL, NULL);

  copy = g_memdup2 (job, sizeof *job);
  copy->server = g_strdup (job->server);
  copy->job_id = g_strdup (job->job_id);
  copy->title = g_strdup (job->title);
  copy->created_at = job->created_at != NULL ? g_date_time_ref (job->created_at) : NULL;
  copy->started_at = job->started_at != NULL ? g_date_time_ref (job->started_at) : NULL;
  return copy;
}

void
vigil_state_job_free (VigilStateJob *job)
{
  if (job == NULL)
    return;

  g_free (job->server);
  g_free (job->job_id);
  g_free (job->title);
  g_clear_pointer (&job->created_at, g_date_time_unref);
  g_clear_pointer (&job->started_at, g_date_time_unref);
  g_free (job);
}

static gboolean
dates_equal (GDateTime *a,
             GDateTime *b)
{
  return a == b || (a != NULL && b != NULL && g_date_time_equal (a, b));
}

gboolean
vigil_state_job_equal (const VigilStateJob *a,
                       const VigilStateJob *b)
{
  g_return_val_if_fail (a != NULL && b != NULL, FALSE);

  return g_strcmp0 (a->server, b->server) == 0 &&
         g_strcmp0 (a->job_id, b->job_id) == 0 &&
         a->kind == b->kind &&
         a->target_id == b->target_id &&
         g_strcmp0 (a->title, b->title) == 0 &&
         dates_equal (a->created_at, b->created_at) &&
         dates_equal (a->started_at, b->started_at) &&
         a->state == b->state &&
         !a->stopped == !b->stopped;
}

VigilState *
vigil_state_new (void)
{
  VigilState *state = g_new0 (VigilState, 1);

  state->jobs = g_ptr_array_new_with_free_func ((GDestroyNotify) vigil_state_job_free);
  state->history = g_ptr_array_new_with_free_func (g_object_unref);
  return state;
}

void
vigil_state_free (VigilState *state)
{
  if (state == NULL)
    return;

  g_ptr_array_unref (state->jobs);
  g_ptr_array_unref (state->history);
  g_free (state);
}

VigilState *
vigil_state_file_parse (const char  *data,
                        gsize        length,
                        GError     **error)
{
  g_autoptr(JsonParser) parser = NULL;
  g_autoptr(VigilState) state = NULL;
  g_autoptr(GError) local_error = NULL;
  JsonNode *root;

  g_return_val_if_fail (data != NULL || length == 0, NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  if (!vigil_state_file_check_text (data != NULL ? data : "", length, error))
    return NULL;

  parser = json_parser_new_immutable ();
  if (!json_parser_load_from_data (parser, data, (gssize) length, &local_error))
    {
      /* the syntax check and json-glib disagree: still not our JSON */
      g_set_error (error, VIGIL_STATE_ERROR, VIGIL_STATE_ERROR_NOT_JSON,
                   _("The saved state is not valid JSON: %s"), local_error->message);
      return NULL;
    }

  root = json_parser_get_root (parser);
  if (root == NULL || !JSON_NODE_HOLDS_OBJECT (root))
    {
      g_set_error_literal (error, VIGIL_STATE_ERROR, VIGIL_STATE_ERROR_INVALID,
                           _("The saved state is not a JSON object"));
      return NULL;
    }

  state = vigil_state_new ();
  if (!check_version (json_node_get_object (root), error) ||
      !read_array (json_node_get_object (root), "jobs", (ReadEntry) read_job,
                   state->jobs, error) ||
      !read_array (json_node_get_object (root), "history", (ReadEntry) read_history_entry,
                   state->history, error))
    return NULL;

  trim_history (state->history);
  return g_steal_pointer (&state);
}

char *
vigil_state_file_serialize (const VigilState *state,
                            gsize            *length)
{
  g_autoptr(JsonBuilder) builder = json_builder_new_immutable ();
  g_autoptr(JsonGenerator) generator = json_generator_new ();
  g_autoptr(JsonNode) root = NULL;
  g_autoptr(GPtrArray) history = NULL;

  g_return_val_if_fail (state != NULL, NULL);

  history = g_ptr_array_new_full (state->history->len, g_object_unref);
  for (guint i = 0; i < state->history->len; i++)
    g_ptr_array_add (history, g_object_ref (g_ptr_array_index (state->history, i)));
  trim_history (history);

  json_builder_begin_object (builder);
  add_int (builder, "version", VIGIL_STATE_FILE_VERSION);
  json_builder_set_member_name (builder, "jobs");
  json_builder_begin_array (builder);
  for (guint i = 0; i < state->jobs->len; i++)
    add_job (builder, g_ptr_array_index (state->jobs, i));
  json_builder_end_array (builder);
  json_builder_set_member_name (builder, "history");
  json_builder_begin_array (builder);
  for (guint i = 0; i < history->len; i++)
    add_history_entry (builder, g_ptr_array_index (history, i));
  json_builder_end_array (builder);
  json_builder_end_object (builder);

  root = json_builder_get_root (builder);
  json_generator_set_root (generator, root);
  json_generator_set_pretty (generator, TRUE);
  return json_generator_to_data (generator, length);
}
