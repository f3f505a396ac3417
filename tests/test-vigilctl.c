/* test-vigilctl.c — the real vigilctl binary, run as a subprocess against
 * the demo server of this process (127.0.0.1, a free port). The main loop
 * runs while vigilctl does, so that the server answers it.
 *
 * The binary is $VIGILCTL (set by meson), else ../src/cli/vigilctl from the
 * test's build directory.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define _GNU_SOURCE  /* posix_openpt() and friends */

#include "config.h"

#include <locale.h>

#include <fcntl.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <unistd.h>
#include <gio/gio.h>
#include <gio/gunixinputstream.h>
#include <json-glib/json-glib.h>
#include <libsoup/soup.h>

#include "vigil-demo-server.h"
#include "vigil-test-timeout.h"

/* The demo server runs SPEED virtual seconds per real second; vigilctl
 * scales its polling by VIGIL_TIME_SCALE = 1/SPEED to keep pace. */
#define SPEED 50.0
#define TIME_SCALE "0.02"
#define RUN_TIMEOUT_S 20
#define TOKEN "s3cret-token"
#define TOKEN_VAR "VIGIL_TEST_TOKEN"
#define PTY_COLUMNS 60

/* ------------------------------------------------------------------ */
/* Fixture                                                             */
/* ------------------------------------------------------------------ */

typedef struct
{
  VigilDemoServer *server;
  char            *url;
  GHashTable      *env;      /* name → value for vigilctl; a NULL value unsets */
  GHashTable      *started;  /* ids of the jobs a worker picked up */

  /* A server of canned answers (see canned()), started on demand */
  SoupServer      *canned_server;
  char            *canned_url;
  GHashTable      *canned;   /* path → Canned */
  GPtrArray       *canned_paths;  /* paths asked, in order */
} Fixture;

static void
on_job_started (VigilDemoServer *server,
                const char      *job_id,
                Fixture         *f)
{
  g_hash_table_add (f->started, g_strdup (job_id));
}

static void
fixture_setup (Fixture       *f,
               gconstpointer  data)
{
  g_autoptr(GError) error = NULL;

  f->server = g_object_new (VIGIL_TYPE_DEMO_SERVER,
                            "speed", SPEED,
                            "song-seconds", 2.0,
                            "seed", (guint64) 7,
                            "workers", 3,
                            NULL);
  g_assert_true (vigil_demo_server_listen (f->server, NULL, 0, &error));
  g_assert_no_error (error);
  f->url = vigil_demo_server_get_url (f->server);
  f->started = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  g_signal_connect (f->server, "job-started", G_CALLBACK (on_job_started), f);

  f->env = g_hash_table_new_full (g_str_hash, g_str_equal, NULL, g_free);
  g_hash_table_insert (f->env, "VIGIL_SERVER", g_strdup (f->url));
  g_hash_table_insert (f->env, "VIGIL_TIME_SCALE", g_strdup (TIME_SCALE));
  g_hash_table_insert (f->env, TOKEN_VAR, NULL);
}

static void
fixture_teardown (Fixture       *f,
                  gconstpointer  data)
{
  if (f->canned_server != NULL)
    {
      soup_server_disconnect (f->canned_server);
      g_assert_finalize_object (f->canned_server);
      g_hash_table_unref (f->canned);
      g_ptr_array_unref (f->canned_paths);
      g_free (f->canned_url);
    }
  g_signal_handlers_disconnect_by_data (f->server, f);
  g_clear_pointer (&f->started, g_hash_table_unref);
  g_clear_pointer (&f->env, g_hash_table_unref);
  g_clear_pointer (&f->url, g_free);
  g_assert_finalize_object (f->server);
}

static void
fixture_setenv (Fixture    *f,
                const char *name,
                const char *value)
{
  g_hash_table_insert (f->env, (gpointer) name, g_strdup (value));
}

/* A URL where nothing listens. */
static char *
dead_url (void)
{
  g_autoptr(GSocketListener) listener = g_socket_listener_new ();
  g_autoptr(GError) error = NULL;
  guint16 port;

  port = g_socket_listener_add_any_inet_port (listener, NULL, &error);
  g_assert_no_error (error);
  g_socket_listener_close (listener);
  return g_strdup_printf ("http://127.0.0.1:%u", port);
}

/* ------------------------------------------------------------------ */
/* A server of canned answers, for what the demo server never says     */
/* ------------------------------------------------------------------ */

typedef struct
{
  guint  status;
  char  *body;   /* JSON */
} Canned;

static void
canned_free (Canned *c)
{
  g_free (c->body);
  g_free (c);
}

/* Any other path answers 404 with an HTML page, as Flask does. */
static void
on_canned_request (SoupServer        *server,
                   SoupServerMessage *msg,
                   const char        *path,
                   GHashTable        *query,
                   gpointer           data)
{
  Fixture *f = data;
  Canned *c = g_hash_table_lookup (f->canned, path);

  g_ptr_array_add (f->canned_paths, g_strdup (path));
  if (c == NULL)
    {
      soup_server_message_set_status (msg, 404, NULL);
      soup_server_message_set_response (msg, "text/html", SOUP_MEMORY_STATIC,
                                        "<html><h1>Not Found</h1></html>", 31);
      return;
    }
  soup_server_message_set_status (msg, c->status, NULL);
  soup_server_message_set_response (msg, "application/json", SOUP_MEMORY_COPY,
                                    c->body, strlen (c->body));
}

static void
canned (Fixture    *f,
        const char *path,
        guint       status,
        const char *body)
{
  Canned *c = g_new0 (Canned, 1);

  if (f->canned_server == NULL)
    {
      g_autoptr(GError) error = NULL;
      GSList *uris;

      f->canned = g_hash_table_new_full (g_str_hash, g_str_equal, g_free,
                                         (GDestroyNotify) canned_free);
      f->canned_paths = g_ptr_array_new_with_free_func (g_free);
      f->canned_server = soup_server_new (NULL, NULL);
      soup_server_add_handler (f->canned_server, NULL, on_canned_request, f, NULL);
      soup_server_listen_local (f->canned_server, 0, SOUP_SERVER_LISTEN_IPV4_ONLY, &error);
      g_assert_no_error (error);
      uris = soup_server_get_uris (f->canned_server);
      f->canned_url = g_strdup_printf ("http://127.0.0.1:%d", g_uri_get_port (uris->data));
      g_slist_free_full (uris, (GDestroyNotify) g_uri_unref);
    }

  c->status = status;
  c->body = g_strdup (body);
  g_hash_table_replace (f->canned, g_strdup (path), c);
}

/* vigilctl talks to the canned server from now on. */
static void
use_canned (Fixture *f)
{
  g_assert_nonnull (f->canned_url);
  fixture_setenv (f, "VIGIL_SERVER", f->canned_url);
}

/* ------------------------------------------------------------------ */
/* Running vigilctl                                                    */
/* ------------------------------------------------------------------ */

typedef struct
{
  char *out;
  char *err;
  int   status;
} Run;

static void
run_free (Run *run)
{
  g_free (run->out);
  g_free (run->err);
  g_free (run);
}

G_DEFINE_AUTOPTR_CLEANUP_FUNC (Run, run_free)

/* One subprocess on its way, driven by the main loop. */
typedef struct
{
  GMainLoop   *loop;
  GSubprocess *proc;
  char        *out;
  char        *err;
  gboolean     timed_out;
} Pending;

static const char *
vigilctl_path (void)
{
  static char *path = NULL;

  if (path == NULL)
    path = g_getenv ("VIGILCTL") ? g_strdup (g_getenv ("VIGILCTL"))
                                 : g_test_build_filename (G_TEST_BUILT, "..", "src", "cli",
                                                          "vigilctl", NULL);
  return path;
}

static GSubprocessLauncher *
make_launcher (Fixture          *f,
               GSubprocessFlags  flags)
{
  GSubprocessLauncher *launcher = g_subprocess_launcher_new (flags);
  GHashTableIter iter;
  const char *name, *value;

  g_hash_table_iter_init (&iter, f->env);
  while (g_hash_table_iter_next (&iter, (gpointer *) &name, (gpointer *) &value))
    {
      if (value != NULL)
        g_subprocess_launcher_setenv (launcher, name, value, TRUE);
      else
        g_subprocess_launcher_unsetenv (launcher, name);
    }
  return launcher;
}

static GSubprocess *
spawn (GSubprocessLauncher *launcher,
       const char * const  *args)
{
  g_autoptr(GPtrArray) argv = g_ptr_array_new ();
  g_autoptr(GError) error = NULL;
  GSubprocess *proc;

  g_ptr_array_add (argv, (gpointer) vigilctl_path ());
  for (guint i = 0; args[i] != NULL; i++)
    g_ptr_array_add (argv, (gpointer) args[i]);
  g_ptr_array_add (argv, NULL);

  proc = g_subprocess_launcher_spawnv (launcher, (const char * const *) argv->pdata, &error);
  g_assert_no_error (error);
  return proc;
}

static gboolean
on_run_timeout (gpointer data)
{
  Pending *p = data;

  p->timed_out = TRUE;
  g_subprocess_force_exit (p->proc);
  return G_SOURCE_REMOVE;
}

static void
on_waited (GObject      *source,
           GAsyncResult *result,
           gpointer      data)
{
  Pending *p = data;
  g_autoptr(GError) error = NULL;

  g_subprocess_wait_finish (G_SUBPROCESS (source), result, &error);
  g_assert_no_error (error);
  g_main_loop_quit (p->loop);
}

static void
on_communicated (GObject      *source,
                 GAsyncResult *result,
                 gpointer      data)
{
  Pending *p = data;
  g_autoptr(GError) error = NULL;

  g_subprocess_communicate_utf8_finish (G_SUBPROCESS (source), result, &p->out, &p->err, &error);
  g_assert_no_error (error);
  g_subprocess_wait_async (G_SUBPROCESS (source), NULL, on_waited, p);
}

/* Wait (with the main loop running) until proc has exited; its exit status. */
static int
wait_exit (Pending *p)
{
  guint guard = g_timeout_add (vigil_test_limit_ms (RUN_TIMEOUT_S * 1000), on_run_timeout, p);

  g_main_loop_run (p->loop);
  if (!p->timed_out)
    g_source_remove (guard);

  g_assert_false (p->timed_out);
  /* A crash (G_DEBUG=fatal-warnings makes warnings crashes) is no exit. */
  g_assert_true (g_subprocess_get_if_exited (p->proc));
  return g_subprocess_get_exit_status (p->proc);
}

static Run *
run_argv (Fixture            *f,
          const char * const *args)
{
  g_autoptr(GSubprocessLauncher) launcher =
    make_launcher (f, G_SUBPROCESS_FLAGS_STDOUT_PIPE | G_SUBPROCESS_FLAGS_STDERR_PIPE);
  Pending p = { 0 };
  Run *run = g_new0 (Run, 1);

  p.loop = g_main_loop_new (NULL, FALSE);
  p.proc = spawn (launcher, args);
  g_subprocess_communicate_utf8_async (p.proc, NULL, NULL, on_communicated, &p);
  run->status = wait_exit (&p);
  run->out = g_steal_pointer (&p.out);
  run->err = g_steal_pointer (&p.err);

  g_object_unref (p.proc);
  g_main_loop_unref (p.loop);
  return run;
}

static Run *run_ctl (Fixture    *f,
                     const char *first,
                     ...) G_GNUC_NULL_TERMINATED;

static Run *
run_ctl (Fixture    *f,
         const char *first,
         ...)
{
  g_autoptr(GPtrArray) args = g_ptr_array_new ();
  va_list ap;

  va_start (ap, first);
  for (const char *arg = first; arg != NULL; arg = va_arg (ap, const char *))
    g_ptr_array_add (args, (gpointer) arg);
  va_end (ap);
  g_ptr_array_add (args, NULL);

  return run_argv (f, (const char * const *) args->pdata);
}

/* ------------------------------------------------------------------ */
/* Checks                                                              */
/* ------------------------------------------------------------------ */

static void
assert_status (const Run *run,
               int        expected)
{
  if (run->status != expected)
    g_test_message ("stdout:\n%s\nstderr:\n%s", run->out, run->err);
  g_assert_cmpint (run->status, ==, expected);
}

static void
assert_success (const Run *run)
{
  assert_status (run, 0);
  g_assert_cmpstr (run->err, ==, "");
}

/* Nothing on stdout; one line on stderr, "vigilctl: …" with reason in it. */
static void
assert_error (const Run  *run,
              int         expected,
              const char *reason)
{
  const char *newline = strchr (run->err, '\n');

  assert_status (run, expected);
  g_assert_cmpstr (run->out, ==, "");
  g_assert_true (g_str_has_prefix (run->err, "vigilctl: "));
  g_assert_nonnull (newline);
  g_assert_cmpstr (newline + 1, ==, "");
  if (strstr (run->err, reason) == NULL)
    g_error ("“%s” lacks “%s”", run->err, reason);
}

static void
assert_contains (const char *text,
                 const char *part)
{
  if (strstr (text, part) == NULL)
    g_error ("“%s” lacks “%s”", text, part);
}

/* Every line of out parses with Python's json module, which (unlike
 * json-glib) refuses "1e+308.0" and "inf.0"; NaN and Infinity are refused
 * too, and every line must be an object. */
static void
assert_strict_json_lines (const char *out)
{
  static const char script[] =
    "import json, sys\n"
    "def constant(c):\n"
    "    raise ValueError('not JSON: ' + c)\n"
    "text = sys.stdin.buffer.read().decode('utf-8', 'strict')\n"
    "assert text.endswith('\\n'), 'no final newline'\n"
    "for line in text[:-1].split('\\n'):\n"
    "    assert isinstance(json.loads(line, parse_constant=constant), dict), line\n";
  g_autoptr(GSubprocess) python = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *said = NULL;

  python = g_subprocess_new (G_SUBPROCESS_FLAGS_STDIN_PIPE | G_SUBPROCESS_FLAGS_STDOUT_PIPE |
                             G_SUBPROCESS_FLAGS_STDERR_MERGE, &error,
                             "python3", "-c", script, NULL);
  g_assert_no_error (error);
  /* Python is no client of this process's servers: waiting blocks nothing. */
  g_subprocess_communicate_utf8 (python, out, NULL, &said, NULL, &error);
  g_assert_no_error (error);
  g_assert_true (g_subprocess_get_if_exited (python));
  if (g_subprocess_get_exit_status (python) != 0)
    g_error ("not strict JSON lines (%s):\n%s", said, out);
}

/* The value of a human field ("Label      value"); every field line has
 * its value at the same column. */
static char *
field_value (const char *out,
             const char *label)
{
  g_auto(GStrv) lines = g_strsplit (out, "\n", -1);

  for (guint i = 0; lines[i] != NULL; i++)
    {
      const char *line = lines[i];
      gsize len = strlen (label);

      if (!g_str_has_prefix (line, label) || line[len] != ' ')
        continue;
      g_assert_cmpuint (strlen (line), >, 11);
      for (gsize c = len; c < 11; c++)
        g_assert_cmpint (line[c], ==, ' ');
      g_assert_cmpint (line[11], !=, ' ');
      return g_strdup (line + 11);
    }
  g_error ("no field “%s” in:\n%s", label, out);
  return NULL;
}

static void
assert_field (const char *out,
              const char *label,
              const char *expected)
{
  g_autofree char *value = field_value (out, label);

  g_assert_cmpstr (value, ==, expected);
}

static JsonObject *parse_object (const char *text);

/* With --json, an error is also one object on stdout: the last line. */
static JsonObject *
assert_json_error (const Run  *run,
                   int         expected,
                   const char *code,
                   const char *reason)
{
  const char *newline = strchr (run->err, '\n');
  const char *last;
  g_autofree char *line = NULL;
  g_autoptr(JsonObject) root = NULL;
  JsonObject *error;

  assert_status (run, expected);
  assert_strict_json_lines (run->out);
  g_assert_true (g_str_has_prefix (run->err, "vigilctl: "));
  g_assert_nonnull (newline);
  g_assert_cmpstr (newline + 1, ==, "");
  assert_contains (run->err, reason);

  last = g_strrstr_len (run->out, strlen (run->out) - 1, "\n");
  line = g_strndup (last ? last + 1 : run->out, strcspn (last ? last + 1 : run->out, "\n"));
  root = parse_object (line);
  error = json_object_ref (json_object_get_object_member (root, "error"));
  g_assert_nonnull (error);
  g_assert_cmpstr (json_object_get_string_member (error, "code"), ==, code);
  assert_contains (json_object_get_string_member (error, "message"), reason);
  /* The stderr line says the same. */
  g_assert_nonnull (strstr (run->err, json_object_get_string_member (error, "message")));
  return error;
}

static JsonObject *
parse_object (const char *text)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(JsonNode) node = json_from_string (text, &error);

  g_assert_no_error (error);
  g_assert_nonnull (node);
  g_assert_true (JSON_NODE_HOLDS_OBJECT (node));
  return json_object_ref (json_node_get_object (node));
}

static gboolean
member_is_null (JsonObject *object,
                const char *name)
{
  g_assert_true (json_object_has_member (object, name));
  return json_object_get_null_member (object, name);
}

static const char *
string_member (JsonObject *object,
               const char *name)
{
  g_assert_false (member_is_null (object, name));
  return json_object_get_string_member (object, name);
}

/* Checks each line (strict JSON; a job_id string, a state string or null
 * while nothing is known, fraction null or 0..1); fills last with each
 * job's last line. Returns the number of lines. */
static guint
check_json_lines (const char *out,
                  GHashTable *last)
{
  g_auto(GStrv) lines = g_strsplit (out, "\n", -1);
  guint n = 0;

  assert_strict_json_lines (out);
  for (; lines[n] != NULL && lines[n][0] != '\0'; n++)
    {
      JsonObject *object = parse_object (lines[n]);

      g_assert_nonnull (string_member (object, "job_id"));
      g_assert_true (json_object_has_member (object, "state"));
      if (!member_is_null (object, "fraction"))
        {
          double fraction = json_object_get_double_member (object, "fraction");

          g_assert_cmpfloat (fraction, >=, 0.0);
          g_assert_cmpfloat (fraction, <=, 1.0);
        }
      g_hash_table_replace (last, (gpointer) string_member (object, "job_id"), object);
    }
  g_assert_null (lines[n + 1]);
  return n;
}

static GHashTable *
new_last_lines (void)
{
  return g_hash_table_new_full (g_str_hash, g_str_equal, NULL,
                                (GDestroyNotify) json_object_unref);
}

static const char *
last_state (GHashTable *last,
            const char *job_id)
{
  JsonObject *object = g_hash_table_lookup (last, job_id);

  g_assert_nonnull (object);
  return string_member (object, "state");
}

/* The lines of plain watch output that are about job_id. */
static GPtrArray *
plain_lines (const char *out,
             const char *job_id)
{
  g_auto(GStrv) lines = g_strsplit (out, "\n", -1);
  g_autofree char *prefix = g_strconcat (job_id, " ", NULL);
  GPtrArray *found = g_ptr_array_new_with_free_func (g_free);

  g_assert_null (strchr (out, '\033'));
  for (guint i = 0; lines[i] != NULL; i++)
    if (g_str_has_prefix (lines[i], prefix))
      {
        /* "JOB_ID  42%  Title  Status": the percentage right-aligned. */
        g_assert_true (g_regex_match_simple ("^(  [0-9]%| [0-9]{2}%|100%|   —)  \\S",
                                             lines[i] + strlen (prefix), 0, 0));
        g_ptr_array_add (found, g_strdup (lines[i]));
      }
  return found;
}

static const char *
last_plain_line (GPtrArray *lines)
{
  g_assert_cmpuint (lines->len, >, 0);
  return g_ptr_array_index (lines, lines->len - 1);
}

/* ------------------------------------------------------------------ */
/* The demo server's jobs                                              */
/* ------------------------------------------------------------------ */

static char *
add_job (Fixture      *f,
         VigilJobKind  kind,
         guint         n_items,
         double        item_seconds)
{
  return vigil_demo_server_add_job (f->server, kind, 1, n_items, item_seconds, 0);
}

static gboolean
on_spin_timeout (gpointer data)
{
  g_error ("the demo server did not get there in time");
  return G_SOURCE_REMOVE;
}

static void
wait_finished (Fixture    *f,
               const char *job_id)
{
  guint guard = g_timeout_add (vigil_test_limit_ms (RUN_TIMEOUT_S * 1000), on_spin_timeout, NULL);

  while (vigil_demo_server_get_finish_time (f->server, job_id) < 0)
    g_main_context_iteration (NULL, TRUE);
  g_source_remove (guard);
}

/* Jobs are picked up synchronously when a worker is free: the fixture
 * listens from the start. */
static void
wait_started (Fixture    *f,
              const char *job_id)
{
  guint guard = g_timeout_add (vigil_test_limit_ms (RUN_TIMEOUT_S * 1000), on_spin_timeout, NULL);

  while (!g_hash_table_contains (f->started, job_id))
    g_main_context_iteration (NULL, TRUE);
  g_source_remove (guard);
}

/* Workers for the queue once vigilctl follows job_id: it sees the job
 * waiting, then running, however slowly it starts. */
typedef struct
{
  Fixture    *f;
  const char *job_id;
  guint       source_id;
  guint64     min_requests;  /* about the job before the workers come */
} StartLater;

static gboolean
on_start_later (gpointer data)
{
  StartLater *s = data;

  if (vigil_demo_server_get_job_request_count (s->f->server, s->job_id) < MAX (s->min_requests, 1))
    return G_SOURCE_CONTINUE;

  g_object_set (s->f->server, "workers", 3, NULL);
  s->source_id = 0;
  return G_SOURCE_REMOVE;
}

/* Before adding the jobs: they wait. */
static void
hold_workers (Fixture *f)
{
  g_object_set (f->server, "workers", 0, NULL);
}

static void
start_later (Fixture    *f,
             StartLater *s,
             const char *job_id)
{
  s->f = f;
  s->job_id = job_id;
  s->min_requests = 1;
  s->source_id = g_timeout_add (5, on_start_later, s);
}

static void
start_later_done (StartLater *s)
{
  /* It ran: vigilctl asked about the job. */
  g_assert_cmpuint (s->source_id, ==, 0);
}

/* ------------------------------------------------------------------ */
/* Command line                                                        */
/* ------------------------------------------------------------------ */

static void
test_help (Fixture       *f,
           gconstpointer  data)
{
  static const char * const commands[] = { "analyze", "status", "watch", "queue", "workers",
                                           "cleanup" };
  g_autoptr(Run) run = run_ctl (f, "--help", NULL);

  assert_success (run);
  assert_contains (run->out, "Commands:");
  for (guint i = 0; i < G_N_ELEMENTS (commands); i++)
    {
      g_autoptr(Run) sub = run_ctl (f, commands[i], "--help", NULL);
      g_autofree char *usage = g_strdup_printf ("vigilctl [OPTION…] %s", commands[i]);

      assert_contains (run->out, commands[i]);
      assert_success (sub);
      assert_contains (sub->out, usage);
      assert_contains (sub->out, "--json");
    }

  g_clear_pointer (&run, run_free);
  run = run_ctl (f, "analyze", "--help", NULL);
  assert_contains (run->out, "--follow");
  g_clear_pointer (&run, run_free);
  run = run_ctl (f, "cleanup", "--help", NULL);
  assert_contains (run->out, "--max-age-hours");
  g_assert_cmpuint (vigil_demo_server_get_total_requests (f->server), ==, 0);
}

static void
test_usage_errors (Fixture       *f,
                   gconstpointer  data)
{
  static const struct { const char *args[6]; const char *reason; } cases[] = {
    { { NULL }, "no command given" },
    { { "bogus" }, "unknown command “bogus”" },
    { { "--bogus", "queue" }, "Unknown option --bogus" },
    { { "analyze" }, "usage: vigilctl analyze" },
    { { "analyze", "song" }, "usage: vigilctl analyze" },
    { { "analyze", "song", "1", "2" }, "usage: vigilctl analyze" },
    { { "analyze", "album", "3" }, "unknown kind “album”" },
    { { "analyze", "song", "abc" }, "“abc” is not a valid ID" },
    { { "analyze", "song", "0" }, "“0” is not a valid ID" },
    { { "analyze", "song", "12x" }, "“12x” is not a valid ID" },
    { { "analyze", "song", "1", "--all" }, "--all applies to playlists only" },
    { { "analyze", "song", "1", "--bogus" }, "Unknown option --bogus" },
    { { "status" }, "usage: vigilctl status JOB_ID" },
    { { "status", "a", "b" }, "usage: vigilctl status JOB_ID" },
    { { "status", "" }, "usage: vigilctl status JOB_ID" },
    { { "watch" }, "usage: vigilctl watch JOB_ID" },
    { { "watch", "a", "" }, "cannot be empty" },
    { { "queue", "extra" }, "usage: vigilctl queue" },
    { { "workers", "extra" }, "usage: vigilctl workers" },
    { { "cleanup", "--max-age-hours", "0" }, "--max-age-hours must be at least 1" },
    { { "cleanup", "--max-age-hours", "many" }, "many" },
    { { "watch", "j", "--give-up-after", "soon" }, "“soon” is not a duration" },
    { { "watch", "j", "--give-up-after", "0s" }, "“0s” is not a duration" },
    { { "watch", "j", "--give-up-after", "-5m" }, "is not a duration" },
    { { "watch", "j", "--give-up-after", "inf" }, "“inf” is not a duration" },
    { { "analyze", "song", "1", "--give-up-after", "5m" }, "--give-up-after applies to --follow only" },
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autoptr(Run) run = run_argv (f, cases[i].args);

      assert_error (run, 2, cases[i].reason);
    }
  /* Usage errors are found before anything is sent. */
  g_assert_cmpuint (vigil_demo_server_get_total_requests (f->server), ==, 0);
}

/* ------------------------------------------------------------------ */
/* analyze                                                             */
/* ------------------------------------------------------------------ */

/* A started job: its id is printed, and the server knows it. */
static void
assert_started (Fixture    *f,
                const Run  *run,
                const char *first_line)
{
  g_autofree char *job_id = NULL;
  g_autoptr(Run) status = NULL;

  assert_success (run);
  g_assert_true (g_str_has_prefix (run->out, first_line));
  job_id = field_value (run->out, "Job");
  g_assert_true (g_uuid_string_is_valid (job_id));

  status = run_ctl (f, "status", job_id, NULL);
  assert_success (status);
  assert_field (status->out, "Job", job_id);
}

static void
test_analyze_human (Fixture       *f,
                    gconstpointer  data)
{
  g_autoptr(Run) song = run_ctl (f, "analyze", "song", "5", NULL);
  g_autoptr(Run) playlist = run_ctl (f, "analyze", "playlist", "1", NULL);
  g_autoptr(Run) all = run_ctl (f, "analyze", "playlist", "20", "--all", NULL);
  g_autoptr(Run) user = run_ctl (f, "analyze", "user", "2", NULL);
  g_autoptr(Run) nothing = run_ctl (f, "analyze", "playlist", "20", NULL);

  assert_started (f, song, "Song queued for analysis\n");
  assert_started (f, playlist, "Queued ");
  assert_started (f, all, "Queued ");
  assert_started (f, user, "Queued ");

  /* Nothing to analyse is no failure, and there is no job to name. */
  assert_success (nothing);
  g_assert_cmpstr (nothing->out, ==, "All songs already analyzed\n");
}

static JsonObject *
run_json_object (Fixture    *f,
                 int         expected,
                 const char *first,
                 ...) G_GNUC_NULL_TERMINATED;

static JsonObject *
run_json_object (Fixture    *f,
                 int         expected,
                 const char *first,
                 ...)
{
  g_autoptr(GPtrArray) args = g_ptr_array_new ();
  g_autoptr(Run) run = NULL;
  va_list ap;

  va_start (ap, first);
  for (const char *arg = first; arg != NULL; arg = va_arg (ap, const char *))
    g_ptr_array_add (args, (gpointer) arg);
  va_end (ap);
  g_ptr_array_add (args, NULL);

  run = run_argv (f, (const char * const *) args->pdata);
  assert_status (run, expected);
  g_assert_cmpstr (run->err, ==, "");
  /* One object on one line. */
  g_assert_nonnull (strchr (run->out, '\n'));
  g_assert_cmpstr (strchr (run->out, '\n') + 1, ==, "");
  return parse_object (run->out);
}

static void
test_analyze_json (Fixture       *f,
                   gconstpointer  data)
{
  g_autoptr(JsonObject) song = run_json_object (f, 0, "--json", "analyze", "song", "5", NULL);
  g_autoptr(JsonObject) playlist = run_json_object (f, 0, "analyze", "playlist", "1", "--json",
                                                    NULL);
  g_autoptr(JsonObject) nothing = run_json_object (f, 0, "-j", "analyze", "playlist", "20", NULL);

  g_assert_true (g_uuid_string_is_valid (string_member (song, "job_id")));
  g_assert_cmpstr (string_member (song, "state"), ==, "queued");
  g_assert_true (member_is_null (song, "fraction"));
  g_assert_true (member_is_null (song, "queued_count"));
  g_assert_cmpstr (string_member (song, "message"), ==, "Song queued for analysis");
  g_assert_cmpstr (string_member (song, "text"), ==, "Song queued for analysis");
  g_assert_true (member_is_null (song, "reason"));

  g_assert_true (g_uuid_string_is_valid (string_member (playlist, "job_id")));
  g_assert_cmpint (json_object_get_int_member (playlist, "queued_count"), >=, 5);

  g_assert_true (member_is_null (nothing, "job_id"));
  g_assert_true (member_is_null (nothing, "state"));
  g_assert_cmpint (json_object_get_int_member (nothing, "queued_count"), ==, 0);
  g_assert_cmpstr (string_member (nothing, "message"), ==,
                   "All songs already analyzed");
}

static void
test_analyze_unknown (Fixture       *f,
                      gconstpointer  data)
{
  g_autoptr(Run) song = run_ctl (f, "analyze", "song", "9999", NULL);
  g_autoptr(Run) playlist = run_ctl (f, "analyze", "playlist", "21", NULL);
  g_autoptr(Run) user = run_ctl (f, "--json", "analyze", "user", "11", NULL);
  g_autoptr(JsonObject) error = NULL;

  assert_error (song, 1, "Song with ID 9999 not found or access denied");
  assert_error (playlist, 1, "Playlist with ID 21 not found or access denied");
  error = assert_json_error (user, 1, "not_found", "User with ID 11 not found");
}

/* ------------------------------------------------------------------ */
/* status                                                              */
/* ------------------------------------------------------------------ */

static void
test_status_queued_running (Fixture       *f,
                            gconstpointer  data)
{
  g_autofree char *running = NULL, *queued = NULL;
  g_autoptr(Run) run = NULL;
  g_autoptr(JsonObject) object = NULL;

  g_object_set (f->server, "workers", 1, NULL);
  running = add_job (f, VIGIL_JOB_KIND_PLAYLIST, 30, 100);
  queued = add_job (f, VIGIL_JOB_KIND_SONG, 1, 2);
  wait_started (f, running);

  run = run_ctl (f, "status", running, NULL);
  assert_success (run);
  assert_field (run->out, "Job", running);
  assert_field (run->out, "Type", "playlist_analysis");
  assert_field (run->out, "Status", "IN_PROGRESS");
  g_free (field_value (run->out, "Progress"));
  g_free (field_value (run->out, "Step"));

  object = run_json_object (f, 0, "status", running, "--json", NULL);
  g_assert_cmpstr (string_member (object, "status"), ==, "IN_PROGRESS");
  g_assert_cmpint (json_object_get_int_member (object, "total_items"), ==, 30);
  g_assert_cmpfloat (json_object_get_double_member (object, "fraction"), <, 1.0);
  g_clear_pointer (&object, json_object_unref);

  g_clear_pointer (&run, run_free);
  run = run_ctl (f, "status", queued, NULL);
  assert_success (run);
  assert_field (run->out, "Status", "PENDING");
  object = run_json_object (f, 0, "--json", "status", queued, NULL);
  g_assert_cmpstr (string_member (object, "status"), ==, "PENDING");
  g_assert_true (member_is_null (object, "started_at"));
}

static void
test_status_completed_failed (Fixture       *f,
                              gconstpointer  data)
{
  g_autofree char *good = add_job (f, VIGIL_JOB_KIND_SONG, 1, 2);
  g_autofree char *bad = NULL;
  g_autoptr(Run) run = NULL;
  g_autoptr(JsonObject) object = NULL;

  wait_finished (f, good);
  run = run_ctl (f, "status", good, NULL);
  assert_success (run);
  assert_field (run->out, "Status", "COMPLETED");
  assert_field (run->out, "Progress", "100%");
  object = run_json_object (f, 0, "--json", "status", good, NULL);
  g_assert_cmpfloat (json_object_get_double_member (object, "fraction"), ==, 1.0);
  g_assert_true (member_is_null (object, "error_message"));
  g_clear_pointer (&object, json_object_unref);

  g_object_set (f->server, "failure-rate", 1.0, NULL);
  bad = add_job (f, VIGIL_JOB_KIND_PLAYLIST, 3, 2);
  wait_finished (f, bad);
  g_clear_pointer (&run, run_free);
  run = run_ctl (f, "status", bad, NULL);
  assert_status (run, 1);
  assert_field (run->out, "Status", "FAILED");
  g_free (field_value (run->out, "Error"));
  object = run_json_object (f, 1, "--json", "status", bad, NULL);
  g_assert_cmpstr (string_member (object, "status"), ==, "FAILED");
  g_assert_nonnull (string_member (object, "error_message"));
}

static void
test_status_unknown (Fixture       *f,
                     gconstpointer  data)
{
  g_autoptr(Run) run = run_ctl (f, "status", "no-such-job", NULL);
  g_autoptr(Run) json = run_ctl (f, "--json", "status", "no-such-job", NULL);
  g_autoptr(JsonObject) error = NULL;

  assert_error (run, 1, "Job with ID no-such-job not found");
  error = assert_json_error (json, 1, "not_found", "Job with ID no-such-job not found");
  g_assert_cmpstr (json_object_get_string_member (error, "message"), ==,
                   "Job with ID no-such-job not found");
}

/* ------------------------------------------------------------------ */
/* queue, workers, cleanup                                             */
/* ------------------------------------------------------------------ */

static void
test_queue (Fixture       *f,
            gconstpointer  data)
{
  g_autofree char *song = NULL, *user = NULL;
  g_autoptr(Run) run = NULL;
  g_autoptr(JsonObject) object = NULL;
  JsonObject *breakdown;

  g_object_set (f->server, "workers", 0, NULL);
  song = add_job (f, VIGIL_JOB_KIND_SONG, 1, 2);
  user = add_job (f, VIGIL_JOB_KIND_BACKGROUND, 4, 2);

  run = run_ctl (f, "queue", NULL);
  assert_success (run);
  assert_field (run->out, "Jobs", "2");
  assert_field (run->out, "Pending", "2 (high 1, medium 0, low 1)");
  assert_field (run->out, "Running", "0");
  assert_field (run->out, "Active", "none");

  object = run_json_object (f, 0, "queue", "--json", NULL);
  g_assert_cmpint (json_object_get_int_member (object, "total_jobs"), ==, 2);
  g_assert_cmpint (json_object_get_int_member (object, "pending_jobs"), ==, 2);
  g_assert_cmpint (json_object_get_int_member (object, "in_progress_jobs"), ==, 0);
  breakdown = json_object_get_object_member (object, "priority_breakdown");
  g_assert_cmpint (json_object_get_int_member (breakdown, "HIGH"), ==, 1);
  g_assert_cmpint (json_object_get_int_member (breakdown, "LOW"), ==, 1);
  g_assert_true (member_is_null (object, "active_job"));
}

static void
test_workers (Fixture       *f,
              gconstpointer  data)
{
  g_autoptr(Run) up = run_ctl (f, "workers", NULL);
  g_autoptr(Run) down = NULL;
  g_autoptr(JsonObject) object = NULL;

  assert_success (up);
  assert_field (up->out, "Worker", "running");
  assert_field (up->out, "Current", "none");
  g_free (field_value (up->out, "Processed"));

  /* No worker: the exit code says so. */
  g_object_set (f->server, "workers", 0, NULL);
  down = run_ctl (f, "workers", NULL);
  assert_status (down, 1);
  assert_field (down->out, "Worker", "not_running");
  object = run_json_object (f, 1, "--json", "workers", NULL);
  g_assert_cmpstr (string_member (object, "status"), ==, "not_running");
  g_assert_true (json_object_has_member (object, "jobs_processed"));
}

/* The display column where the values of "Name   value" lines start:
 * the same on every line (names are padded to the widest, which is
 * followed by one space). Taken from the first padded line. */
static guint
value_column (const char *out)
{
  g_auto(GStrv) lines = g_strsplit (out, "\n", -1);
  guint column = 0;

  for (guint i = 0; lines[i] != NULL && column == 0; i++)
    {
      const char *gap = strstr (lines[i], "  ");
      const char *value;

      if (gap == NULL)
        continue;
      for (value = gap; *value == ' '; value++)
        ;
      column = (guint) g_utf8_strlen (lines[i], value - lines[i]);
    }
  g_assert_cmpuint (column, >, 0);

  for (guint i = 0; lines[i] != NULL && lines[i][0] != '\0'; i++)
    {
      g_autofree gunichar *chars = g_utf8_to_ucs4_fast (lines[i], -1, NULL);
      glong n = 0;

      while (chars[n] != 0)
        n++;
      if (n <= column || chars[column - 1] != ' ' || chars[column] == ' ' ||
          (column >= 2 && chars[column - 2] == ' ' && strstr (lines[i], "  ") == NULL))
        g_error ("values do not line up at column %u in:\n%s", column, out);
    }
  return column;
}

/* German and Spanish field names are longer than English ones (Spanish
 * "Playlist" is "Lista de reproducción", 21 columns): values still line
 * up after the widest. */
static void
test_fields_translated (Fixture       *f,
                        gconstpointer  data)
{
  const char *languages[][2] = { { "de", "de_DE.UTF-8" }, { "es", "es_ES.UTF-8" } };
  g_autofree char *job = add_job (f, VIGIL_JOB_KIND_PLAYLIST, 3, 2);
  g_autoptr(Run) english = NULL;

  g_assert_nonnull (g_getenv ("VIGIL_LOCALEDIR"));
  fixture_setenv (f, "VIGIL_LOCALEDIR", g_getenv ("VIGIL_LOCALEDIR"));
  english = run_ctl (f, "status", job, NULL);
  assert_success (english);
  g_assert_cmpuint (value_column (english->out), ==, 11);

  for (guint i = 0; i < G_N_ELEMENTS (languages); i++)
    {
      g_autoptr(Run) status = NULL;
      g_autoptr(Run) workers = NULL;
      g_autofree char *saved = g_strdup (setlocale (LC_ALL, NULL));
      gboolean have_locale = setlocale (LC_ALL, languages[i][1]) != NULL;

      setlocale (LC_ALL, saved);
      fixture_setenv (f, "LC_ALL", have_locale ? languages[i][1] : "C.UTF-8");
      fixture_setenv (f, "LANGUAGE", languages[i][0]);
      status = run_ctl (f, "status", job, NULL);
      assert_success (status);
      /* translated, or the test proves nothing */
      g_assert_null (strstr (status->out, "Playlist "));
      g_assert_cmpuint (value_column (status->out), >, 11);
      workers = run_ctl (f, "workers", NULL);
      assert_success (workers);
      g_assert_cmpuint (value_column (workers->out), ==, value_column (status->out));
    }
}

static void
test_cleanup (Fixture       *f,
              gconstpointer  data)
{
  g_autoptr(Run) fallback = run_ctl (f, "cleanup", NULL);
  g_autoptr(Run) two = run_ctl (f, "cleanup", "--max-age-hours", "2", NULL);
  g_autoptr(JsonObject) object = run_json_object (f, 0, "--json", "cleanup",
                                                  "--max-age-hours=5", NULL);

  assert_success (fallback);
  g_assert_cmpstr (fallback->out, ==, "Cleaned up jobs older than 24 hours\n");
  assert_success (two);
  g_assert_cmpstr (two->out, ==, "Cleaned up jobs older than 2 hours\n");
  g_assert_cmpstr (string_member (object, "message"), ==,
                   "Cleaned up jobs older than 5 hours");
  g_assert_cmpstr (string_member (object, "text"), ==, "Cleaned up jobs older than 5 hours");
}

/* ------------------------------------------------------------------ */
/* Connection and sign-in                                              */
/* ------------------------------------------------------------------ */

static void
test_dead_server (Fixture       *f,
                  gconstpointer  data)
{
  static const char * const commands[][4] = {
    { "queue" }, { "status", "abc" }, { "analyze", "song", "1" }, { "watch", "abc", "def" },
  };
  g_autofree char *url = dead_url ();
  g_autofree char *reason = g_strdup_printf ("Could not connect to %s", url);

  fixture_setenv (f, "VIGIL_SERVER", url);
  for (guint i = 0; i < G_N_ELEMENTS (commands); i++)
    {
      g_autoptr(Run) run = run_argv (f, commands[i]);

      assert_error (run, 2, reason);
    }
}

static void
test_signin_redirect (Fixture       *f,
                      gconstpointer  data)
{
  static const char * const commands[][4] = {
    { "analyze", "song", "1" }, { "status", "abc" }, { "watch", "abc" },
  };

  g_object_set (f->server, "require-token", TOKEN, "signin-redirect", TRUE, NULL);
  for (guint i = 0; i < G_N_ELEMENTS (commands); i++)
    {
      g_autoptr(Run) run = run_argv (f, commands[i]);

      assert_error (run, 2, "Not signed in");
    }
}

static void
test_token_env (Fixture       *f,
                gconstpointer  data)
{
  g_autoptr(Run) anonymous = NULL, song = NULL, queue = NULL, missing = NULL, help = NULL;
  g_autoptr(Run) wrong = NULL;

  g_object_set (f->server, "require-token", TOKEN, NULL);
  anonymous = run_ctl (f, "queue", NULL);
  assert_error (anonymous, 2, "Not signed in");

  fixture_setenv (f, TOKEN_VAR, TOKEN);
  song = run_ctl (f, "--token-env", TOKEN_VAR, "analyze", "song", "1", NULL);
  assert_success (song);
  queue = run_ctl (f, "--token-env", TOKEN_VAR, "queue", NULL);
  assert_success (queue);

  missing = run_ctl (f, "--token-env", "VIGIL_TEST_NO_SUCH_VAR", "queue", NULL);
  assert_error (missing, 2, "VIGIL_TEST_NO_SUCH_VAR");
  /* Help never depends on the server settings. */
  help = run_ctl (f, "--token-env", "VIGIL_TEST_NO_SUCH_VAR", "queue", "--help", NULL);
  assert_success (help);

  fixture_setenv (f, TOKEN_VAR, "not-the-token");
  wrong = run_ctl (f, "--token-env", TOKEN_VAR, "queue", NULL);
  assert_error (wrong, 2, "Not signed in");
}

static void
test_server_env_default (Fixture       *f,
                         gconstpointer  data)
{
  g_autofree char *url = dead_url ();
  g_autofree char *reason = g_strdup_printf ("Could not connect to %s", url);
  g_autoptr(Run) live = run_ctl (f, "queue", NULL);
  g_autoptr(Run) dead = NULL, overridden = NULL;

  /* The fixture's VIGIL_SERVER is the live server. */
  assert_success (live);

  fixture_setenv (f, "VIGIL_SERVER", url);
  dead = run_ctl (f, "queue", NULL);
  assert_error (dead, 2, reason);

  overridden = run_ctl (f, "--server", f->url, "queue", NULL);
  assert_success (overridden);
}

/* ------------------------------------------------------------------ */
/* watch, analyze --follow                                             */
/* ------------------------------------------------------------------ */

static void
assert_plain_finished (const char *out,
                       const char *job_id,
                       const char *ending)
{
  g_autoptr(GPtrArray) lines = plain_lines (out, job_id);
  const char *last = last_plain_line (lines);

  if (!g_str_has_suffix (last, ending))
    g_error ("“%s” does not end with “%s”", last, ending);
}

static void
test_watch_plain (Fixture       *f,
                  gconstpointer  data)
{
  StartLater later;
  g_autofree char *song = NULL, *playlist = NULL;
  g_autoptr(Run) run = NULL;
  g_autoptr(GPtrArray) lines = NULL;

  hold_workers (f);
  song = add_job (f, VIGIL_JOB_KIND_SONG, 1, 3);
  playlist = add_job (f, VIGIL_JOB_KIND_PLAYLIST, 6, 8);
  start_later (f, &later, playlist);
  run = run_ctl (f, "watch", song, playlist, NULL);
  start_later_done (&later);

  assert_success (run);
  lines = plain_lines (run->out, playlist);
  /* Waiting or under way, then the end. */
  g_assert_cmpuint (lines->len, >=, 2);
  g_assert_null (strstr (g_ptr_array_index (lines, 0), "Analysis finished!"));
  assert_contains (last_plain_line (lines), " 100%  ");
  assert_plain_finished (run->out, playlist, "Analysis finished!");
  assert_plain_finished (run->out, song, "Analysis finished!");
}

static void
test_watch_json (Fixture       *f,
                 gconstpointer  data)
{
  StartLater later;
  g_autofree char *song = NULL, *playlist = NULL;
  g_autoptr(Run) run = NULL;
  g_autoptr(GHashTable) last = new_last_lines ();
  JsonObject *object;

  hold_workers (f);
  song = add_job (f, VIGIL_JOB_KIND_SONG, 1, 3);
  playlist = add_job (f, VIGIL_JOB_KIND_PLAYLIST, 6, 8);
  start_later (f, &later, playlist);
  run = run_ctl (f, "--json", "watch", song, playlist, NULL);
  start_later_done (&later);

  assert_success (run);
  g_assert_cmpuint (check_json_lines (run->out, last), >=, 3);
  g_assert_cmpuint (g_hash_table_size (last), ==, 2);
  g_assert_cmpstr (last_state (last, song), ==, "succeeded");
  g_assert_cmpstr (last_state (last, playlist), ==, "succeeded");

  /* The end: the client's fraction; the server's record says COMPLETED and
   * no longer carries a progress object, so no counts. */
  object = g_hash_table_lookup (last, playlist);
  g_assert_cmpfloat (json_object_get_double_member (object, "fraction"), ==, 1.0);
  g_assert_cmpstr (string_member (object, "status"), ==, "COMPLETED");
  g_assert_true (member_is_null (object, "total_items"));
  g_assert_true (member_is_null (object, "current_step"));
  g_assert_true (member_is_null (object, "error_message"));
  g_assert_cmpstr (string_member (object, "text"), ==, "Analysis finished!");
  g_assert_nonnull (string_member (object, "title"));
  /* On the way, what the server said. */
  assert_contains (run->out, "\"total_items\":6,");
  assert_contains (run->out, "\"current_step\":\"analyzing\"");
}

static void
test_watch_failed (Fixture       *f,
                   gconstpointer  data)
{
  g_autofree char *job = NULL;
  g_autoptr(Run) json = NULL, plain = NULL;
  g_autoptr(GHashTable) last = new_last_lines ();

  g_object_set (f->server, "failure-rate", 1.0, NULL);
  job = add_job (f, VIGIL_JOB_KIND_PLAYLIST, 3, 2);

  json = run_ctl (f, "--json", "watch", job, NULL);
  assert_status (json, 1);
  check_json_lines (json->out, last);
  g_assert_cmpstr (last_state (last, job), ==, "failed");
  g_assert_nonnull (string_member (g_hash_table_lookup (last, job),
                                                   "error_message"));

  /* Watching a job that has already failed says so at once. */
  plain = run_ctl (f, "watch", job, NULL);
  assert_status (plain, 1);
  {
    g_autoptr(GPtrArray) lines = plain_lines (plain->out, job);

    g_assert_cmpuint (lines->len, ==, 1);
    assert_contains (last_plain_line (lines), "  Failed: ");
  }
}

static void
test_watch_lost (Fixture       *f,
                 gconstpointer  data)
{
  g_autofree char *job = add_job (f, VIGIL_JOB_KIND_SONG, 1, 2);
  g_autoptr(Run) json = run_ctl (f, "--json", "watch", job, "no-such-job", NULL);
  g_autoptr(Run) plain = run_ctl (f, "watch", "no-such-job", NULL);
  g_autoptr(GHashTable) last = new_last_lines ();
  g_autofree char *not_found = g_strdup_printf ("No such job on 127.0.0.1:%u",
                                                vigil_demo_server_get_port (f->server));

  assert_status (json, 1);
  check_json_lines (json->out, last);
  g_assert_cmpstr (last_state (last, job), ==, "succeeded");
  /* Never seen: the server does not know it, which is not "lost". */
  g_assert_cmpstr (last_state (last, "no-such-job"), ==, "not-found");

  assert_status (plain, 1);
  assert_plain_finished (plain->out, "no-such-job", not_found);
}

static void
test_follow_plain (Fixture       *f,
                   gconstpointer  data)
{
  g_autoptr(Run) run = run_ctl (f, "analyze", "playlist", "1", "--follow", NULL);
  g_autoptr(Run) nothing = run_ctl (f, "analyze", "playlist", "20", "--follow", NULL);
  g_autofree char *job_id = NULL;
  g_auto(GStrv) lines = NULL;

  assert_success (run);
  lines = g_strsplit (run->out, "\n", -1);
  g_assert_true (g_str_has_prefix (lines[0], "Queued "));
  job_id = field_value (run->out, "Job");
  /* After the two lines of the start, only lines about the job. */
  for (guint i = 2; lines[i] != NULL && lines[i][0] != '\0'; i++)
    g_assert_true (g_str_has_prefix (lines[i], job_id));
  assert_plain_finished (run->out, job_id, "Analysis finished!");

  assert_success (nothing);
  g_assert_cmpstr (nothing->out, ==, "All songs already analyzed\n");
}

/* analyze --follow --json: every line is a job line; returns the last state. */
static char *
follow_json (Fixture    *f,
             const char *kind,
             const char *id,
             int         expected)
{
  g_autoptr(Run) run = run_ctl (f, "--token-env", TOKEN_VAR, "--json", "analyze", kind, id,
                                "--follow", NULL);
  g_autoptr(GHashTable) last = new_last_lines ();
  g_autoptr(JsonObject) first = NULL;
  g_autofree char *first_line = NULL;
  const char *job_id;

  assert_status (run, expected);
  g_assert_cmpuint (check_json_lines (run->out, last), >=, 2);
  g_assert_cmpuint (g_hash_table_size (last), ==, 1);
  first_line = g_strndup (run->out, strcspn (run->out, "\n"));
  first = parse_object (first_line);
  job_id = string_member (first, "job_id");
  g_assert_cmpstr (string_member (first, "state"), ==, "queued");
  return g_strdup (last_state (last, job_id));
}

static void
test_follow_json (Fixture       *f,
                  gconstpointer  data)
{
  g_autofree char *good = NULL, *bad = NULL;

  fixture_setenv (f, TOKEN_VAR, "unused");
  good = follow_json (f, "song", "3", 0);
  g_assert_cmpstr (good, ==, "succeeded");

  g_object_set (f->server, "failure-rate", 1.0, NULL);
  bad = follow_json (f, "playlist", "2", 1);
  g_assert_cmpstr (bad, ==, "failed");
}

/* ------------------------------------------------------------------ */
/* Every server mode                                                   */
/* ------------------------------------------------------------------ */

typedef struct
{
  const char *property;   /* a boolean to turn on, or NULL */
  double      error_rate;
  gboolean    signin;     /* sign-in redirect; vigilctl has the token */
} Mode;

static const Mode mode_production = { "production-steps" };
static const Mode mode_old_shape = { "old-shape" };
static const Mode mode_no_metadata = { "no-metadata" };
static const Mode mode_signin = { NULL, 0, TRUE };
static const Mode mode_http_errors = { NULL, 0.2 };

static void
apply_mode (Fixture    *f,
            const Mode *mode)
{
  if (mode->property != NULL)
    g_object_set (f->server, mode->property, TRUE, NULL);
  if (mode->signin)
    g_object_set (f->server, "require-token", TOKEN, "signin-redirect", TRUE, NULL);
  g_object_set (f->server, "error-rate", mode->error_rate, NULL);
  fixture_setenv (f, TOKEN_VAR, TOKEN);
}

/* Starting may meet one of the server's injected errors (exit 1, nothing
 * followed): start again. Once started, errors are retried to the end. */
static void
follow_through_errors (Fixture *f)
{
  for (guint attempt = 0; attempt < 10; attempt++)
    {
      g_autoptr(Run) run = run_ctl (f, "--token-env", TOKEN_VAR, "--json", "analyze", "song", "8",
                                    "--follow", NULL);
      g_autoptr(GHashTable) last = new_last_lines ();

      /* With --json, the failed start is an error object on stdout. */
      if (run->status == 1 && g_str_has_prefix (run->out, "{\"error\":"))
        {
          g_autoptr(JsonObject) error = assert_json_error (run, 1, "server", "Server error (500)");
          continue;
        }
      assert_success (run);
      check_json_lines (run->out, last);
      g_assert_cmpuint (g_hash_table_size (last), ==, 1);
      return;
    }
  g_assert_not_reached ();
}

static void
test_mode (Fixture       *f,
           gconstpointer  data)
{
  const Mode *mode = data;
  g_autofree char *song = NULL, *playlist = NULL, *user = NULL;
  g_autoptr(Run) run = NULL;
  g_autoptr(GHashTable) last = new_last_lines ();

  apply_mode (f, mode);
  song = add_job (f, VIGIL_JOB_KIND_SONG, 1, 3);
  playlist = add_job (f, VIGIL_JOB_KIND_PLAYLIST, 5, 2);
  user = add_job (f, VIGIL_JOB_KIND_BACKGROUND, 5, 2);

  run = run_ctl (f, "--token-env", TOKEN_VAR, "--json", "watch", song, playlist, user, NULL);
  assert_success (run);
  check_json_lines (run->out, last);
  g_assert_cmpstr (last_state (last, song), ==, "succeeded");
  g_assert_cmpstr (last_state (last, playlist), ==, "succeeded");
  g_assert_cmpstr (last_state (last, user), ==, "succeeded");

  if (mode->error_rate > 0)
    follow_through_errors (f);
  else
    {
      g_autofree char *state = follow_json (f, "song", "8", 0);

      g_assert_cmpstr (state, ==, "succeeded");
    }
}

/* ------------------------------------------------------------------ */
/* Hostile values                                                      */
/* ------------------------------------------------------------------ */

/* Numbers no integer holds, NaN-like strings, negative counts, control
 * characters: what a broken or hostile server may send. */
#define HOSTILE_PROGRESS \
  "{\"job_id\": \"hostile\", \"current_progress\": 1e308, \"eta_seconds\": 1e308, " \
  "\"current_step\": \"analysis\", \"completed_items\": 1e300, " \
  "\"total_items\": 99999999999999999999999, \"current_message\": \"NaN\", " \
  "\"step_progress\": \"NaN\", \"estimated_duration_per_item\": -5}"

static void
can_hostile_answers (Fixture *f)
{
  canned (f, "/api/jobs/hostile/status", 200,
          "{\"status\": \"success\", \"job\": {\"job_id\": \"hostile\", \"status\": \"IN_PROGRESS\", "
          "\"job_type\": \"SONG_ANALYSIS\", \"priority\": \"HIGH\", \"created_at\": \"NaN\", "
          "\"started_at\": \"not a date\", \"metadata\": {\"song_title\": "
          "\"Tab\\tNew\\nline \\u0001 \\\"q\\\" \\\\ \\u2028 \\u00e9\", \"artist\": \"A\"}, "
          "\"progress\": " HOSTILE_PROGRESS ", \"estimated_completion_minutes\": 1e308}}");
  canned (f, "/api/jobs/hostile-done/status", 200,
          "{\"status\": \"success\", \"job\": {\"job_id\": \"hostile-done\", \"status\": \"COMPLETED\", "
          "\"progress\": " HOSTILE_PROGRESS "}}");
  canned (f, "/api/queue/status", 200,
          "{\"status\": \"success\", \"queue\": {\"total_jobs\": 1e300, \"pending_jobs\": 2, "
          "\"in_progress_jobs\": \"NaN\", \"completed_jobs\": 3, \"failed_jobs\": -4, "
          "\"priority_breakdown\": {\"HIGH\": \"NaN\", \"MEDIUM\": 2, \"LOW\": -1}, "
          "\"estimated_completion_minutes\": 1e308, \"active_job\": {\"job_id\": \"a1\"}}}");
  canned (f, "/api/queue/health", 503,
          "{\"status\": \"error\", \"queue_health\": {\"healthy\": false, "
          "\"issues\": [\"Redis \\\"down\\\"\\n\", 1e308]}}");
  canned (f, "/api/worker/health", 200,
          "{\"status\": \"success\", \"worker\": {\"status\": \"running\", \"uptime_seconds\": 1e308, "
          "\"jobs_processed\": -3, \"jobs_failed\": 1e300, \"jobs_interrupted\": \"NaN\", "
          "\"last_heartbeat\": \"Sat, 28 Nov 2026 20:01:02 GMT\", \"current_job\": "
          "{\"job_id\": \"cj\", \"job_type\": \"SONG_ANALYSIS\", \"progress\": " HOSTILE_PROGRESS "}}}");
  use_canned (f);
}

/* Every --json line parses strictly; the server's huge numbers are kept
 * (as valid numbers), never turned into integers. */
static void
test_hostile_json (Fixture       *f,
                   gconstpointer  data)
{
  static const char * const commands[][4] = {
    { "--json", "status", "hostile" }, { "--json", "queue" }, { "--json", "workers" },
    { "--json", "watch", "hostile-done" },
  };
  g_autoptr(JsonObject) status = NULL;

  can_hostile_answers (f);
  for (guint i = 0; i < G_N_ELEMENTS (commands); i++)
    {
      g_autoptr(Run) run = run_argv (f, commands[i]);

      assert_status (run, 0);
      assert_strict_json_lines (run->out);
    }

  status = run_json_object (f, 0, "--json", "status", "hostile", NULL);
  g_assert_cmpfloat (json_object_get_double_member (status, "eta_seconds"), ==, 1e308);
  g_assert_cmpfloat (json_object_get_double_member (status, "estimated_completion_minutes"), ==,
                     1e308);
  g_assert_cmpfloat (json_object_get_double_member (status, "fraction"), ==, 1.0);
  g_assert_cmpint (json_object_get_int_member (status, "completed_items"), ==, G_MAXINT64);
  g_assert_cmpstr (string_member (status, "song_title"), ==,
                   "Tab\tNew\nline \001 \"q\" \\ \342\200\250 \303\251");
  g_assert_true (member_is_null (status, "created_at"));
}

/* Human output says "unknown" where a number is absurd, and never shows
 * the integer an undefined conversion made of it. */
static void
test_hostile_human (Fixture       *f,
                    gconstpointer  data)
{
  g_autoptr(Run) status = NULL, queue = NULL, workers = NULL;

  can_hostile_answers (f);
  status = run_ctl (f, "status", "hostile", NULL);
  assert_success (status);
  assert_field (status->out, "Step", "Checking content for concerns…");
  g_assert_null (strstr (status->out, "remaining"));

  queue = run_ctl (f, "queue", NULL);
  assert_success (queue);
  assert_field (queue->out, "Estimate", "unknown");
  assert_field (queue->out, "Pending", "2 (high unknown, medium 2, low unknown)");
  assert_field (queue->out, "Running", "unknown");
  assert_field (queue->out, "Failed", "unknown");
  /* A server's line break or escape never reaches the terminal. */
  assert_field (queue->out, "Health", "unhealthy: Redis \"down\" ");
  g_assert_null (strchr (status->out, '\t'));
  g_assert_null (strchr (status->out, '\001'));
  assert_field (status->out, "Song", "Tab New line   \"q\" \\   \303\251 — A");

  workers = run_ctl (f, "workers", NULL);
  assert_success (workers);
  g_assert_null (strstr (workers->out, "Uptime"));
  assert_field (workers->out, "Processed", "unknown (9223372036854775807 failed, unknown interrupted)");
}

/* ------------------------------------------------------------------ */
/* What the live service says (the demo server's production mode)      */
/* ------------------------------------------------------------------ */

/* One job completed, one failed, one running, two waiting (a song and a
 * user's library). */
static void
make_mixed_queue (Fixture *f)
{
  g_autofree char *done = NULL, *failed = NULL;

  g_object_set (f->server, "workers", 1, NULL);
  done = add_job (f, VIGIL_JOB_KIND_SONG, 1, 1);
  wait_finished (f, done);
  g_object_set (f->server, "failure-rate", 1.0, NULL);
  failed = add_job (f, VIGIL_JOB_KIND_SONG, 1, 1);
  wait_finished (f, failed);
  g_object_set (f->server, "failure-rate", 0.0, NULL);
  g_free (add_job (f, VIGIL_JOB_KIND_PLAYLIST, 5, 1000));
  g_free (add_job (f, VIGIL_JOB_KIND_SONG, 1, 1000));
  g_free (add_job (f, VIGIL_JOB_KIND_BACKGROUND, 3, 1000));
}

/* The status counts are all 0: the health answer's are shown, and what
 * only the status could say (priorities, the estimate) is unknown. */
static void
test_queue_production (Fixture       *f,
                       gconstpointer  data)
{
  g_autoptr(Run) run = NULL, down = NULL;
  g_autoptr(JsonObject) object = NULL;
  g_autofree char *note = NULL;
  JsonObject *breakdown;

  g_object_set (f->server, "production-quirks", TRUE, NULL);
  make_mixed_queue (f);

  run = run_ctl (f, "queue", NULL);
  assert_success (run);
  assert_field (run->out, "Jobs", "5");
  assert_field (run->out, "Pending", "2 (by priority: unknown)");
  assert_field (run->out, "Running", "1");
  assert_field (run->out, "Completed", "1");
  assert_field (run->out, "Failed", "1");
  assert_field (run->out, "Estimate", "unknown");
  assert_field (run->out, "Health", "healthy");
  note = field_value (run->out, "Note");
  assert_contains (note, "/api/queue/health");

  object = run_json_object (f, 0, "--json", "queue", NULL);
  g_assert_cmpint (json_object_get_int_member (object, "total_jobs"), ==, 5);
  g_assert_cmpint (json_object_get_int_member (object, "pending_jobs"), ==, 2);
  g_assert_cmpint (json_object_get_int_member (object, "in_progress_jobs"), ==, 1);
  g_assert_cmpint (json_object_get_int_member (object, "completed_jobs"), ==, 1);
  g_assert_cmpint (json_object_get_int_member (object, "failed_jobs"), ==, 1);
  g_assert_cmpstr (string_member (object, "counts_from"), ==, "queue_health");
  g_assert_true (member_is_null (object, "estimated_completion_minutes"));
  breakdown = json_object_get_object_member (object, "priority_breakdown");
  g_assert_true (member_is_null (breakdown, "HIGH"));
  g_assert_true (member_is_null (breakdown, "LOW"));
  g_assert_true (json_object_get_boolean_member (json_object_get_object_member (object,
                                                                                "queue_health"),
                                                 "healthy"));

  /* Unhealthy: the 503 still carries the counts. */
  g_object_set (f->server, "workers", 0, NULL);
  down = run_ctl (f, "queue", NULL);
  assert_success (down);
  assert_field (down->out, "Health", "unhealthy: No workers are running");
  assert_field (down->out, "Completed", "1");
  assert_field (down->out, "Failed", "1");
}

/* All zero in the status and no counts anywhere else: unknown, not 0. */
static void
test_queue_unknown (Fixture       *f,
                    gconstpointer  data)
{
  g_autoptr(Run) run = NULL;
  g_autoptr(JsonObject) object = NULL;
  g_autofree char *health = NULL, *note = NULL;

  canned (f, "/api/queue/status", 200,
          "{\"status\": \"success\", \"queue\": {\"total_jobs\": 0, \"pending_jobs\": 0, "
          "\"in_progress_jobs\": 0, \"completed_jobs\": 0, \"failed_jobs\": 0, "
          "\"priority_breakdown\": {\"HIGH\": 0, \"MEDIUM\": 0, \"LOW\": 0}, "
          "\"estimated_completion_minutes\": 0, \"active_job\": null}}");
  use_canned (f);

  run = run_ctl (f, "queue", NULL);
  assert_success (run);
  assert_field (run->out, "Jobs", "unknown");
  assert_field (run->out, "Pending", "unknown");
  assert_field (run->out, "Running", "unknown");
  assert_field (run->out, "Estimate", "unknown");
  health = field_value (run->out, "Health");
  assert_contains (health, "unknown: The server does not know the address ");
  assert_contains (health, "/api/queue/health");
  note = field_value (run->out, "Note");
  assert_contains (note, "unknown");

  object = run_json_object (f, 0, "--json", "queue", NULL);
  g_assert_true (member_is_null (object, "pending_jobs"));
  g_assert_true (member_is_null (object, "in_progress_jobs"));
  g_assert_true (member_is_null (object, "counts_from"));
  g_assert_true (member_is_null (object, "queue_health"));
}

/* The record of a finished job says progress 0: a success is 100 %. */
static void
test_status_production (Fixture       *f,
                        gconstpointer  data)
{
  g_autofree char *good = NULL, *bad = NULL;
  g_autoptr(Run) run = NULL, failed = NULL;
  g_autoptr(JsonObject) object = NULL, failed_object = NULL;

  g_object_set (f->server, "production-quirks", TRUE, "production-steps", TRUE, NULL);
  good = add_job (f, VIGIL_JOB_KIND_PLAYLIST, 3, 1);
  wait_finished (f, good);

  run = run_ctl (f, "status", good, NULL);
  assert_success (run);
  assert_field (run->out, "Status", "COMPLETED");
  assert_field (run->out, "Progress", "100%");

  object = run_json_object (f, 0, "--json", "status", good, NULL);
  g_assert_cmpfloat (json_object_get_double_member (object, "progress"), ==, 0.0);
  g_assert_cmpfloat (json_object_get_double_member (object, "fraction"), ==, 1.0);
  g_assert_cmpstr (string_member (object, "state"), ==, "succeeded");
  g_assert_cmpstr (string_member (object, "text"), ==, "Analysis finished!");

  /* A failure's 0 means nothing either: unknown. */
  g_object_set (f->server, "failure-rate", 1.0, NULL);
  bad = add_job (f, VIGIL_JOB_KIND_PLAYLIST, 3, 1);
  wait_finished (f, bad);
  failed = run_ctl (f, "status", bad, NULL);
  assert_status (failed, 1);
  assert_field (failed->out, "Progress", "—");
  failed_object = run_json_object (f, 1, "--json", "status", bad, NULL);
  g_assert_true (member_is_null (failed_object, "fraction"));
  g_assert_cmpstr (string_member (failed_object, "state"), ==, "failed");
}

/* The live service's current job has no status: nothing is made up. */
static void
test_workers_production (Fixture       *f,
                         gconstpointer  data)
{
  g_autofree char *job = NULL, *expected = NULL;
  g_autoptr(Run) run = NULL;
  g_autoptr(JsonObject) object = NULL;
  JsonObject *current;

  g_object_set (f->server, "production-quirks", TRUE, NULL);
  job = add_job (f, VIGIL_JOB_KIND_PLAYLIST, 5, 1000);
  wait_started (f, job);

  run = run_ctl (f, "workers", NULL);
  assert_success (run);
  expected = g_strdup_printf ("%s (playlist_analysis)", job);
  assert_field (run->out, "Current", expected);
  g_assert_null (strstr (run->out, "UNKNOWN"));

  object = run_json_object (f, 0, "--json", "workers", NULL);
  current = json_object_get_object_member (object, "current_job");
  g_assert_cmpstr (string_member (current, "job_id"), ==, job);
  g_assert_true (member_is_null (current, "status"));
  g_assert_cmpstr (string_member (current, "job_type"), ==, "PLAYLIST_ANALYSIS");
}

/* ------------------------------------------------------------------ */
/* --json: the server's words in server fields                         */
/* ------------------------------------------------------------------ */

static gboolean
any_line_has (const char *out,
              const char *member,
              const char *value)
{
  g_autofree char *needle = g_strdup_printf ("\"%s\":\"%s\"", member, value);

  return strstr (out, needle) != NULL;
}

/* Production step names stay as the server spells them; a queued job has
 * no step rather than "other". */
static void
test_json_server_words (Fixture       *f,
                        gconstpointer  data)
{
  StartLater later;
  g_autofree char *playlist = NULL, *running = NULL;
  g_autoptr(Run) run = NULL;
  g_autoptr(JsonObject) status = NULL;
  g_autoptr(GHashTable) last = new_last_lines ();

  g_object_set (f->server, "production-steps", TRUE, NULL);
  hold_workers (f);
  playlist = add_job (f, VIGIL_JOB_KIND_PLAYLIST, 4, 10);
  start_later (f, &later, playlist);
  /* Queued polls are 5 (virtual) s apart; the lines at most 10 a second. */
  later.min_requests = 6;
  run = run_ctl (f, "--json", "watch", playlist, NULL);
  start_later_done (&later);

  assert_success (run);
  check_json_lines (run->out, last);
  /* Waiting: no step at all (rather than "other"). */
  g_assert_true (any_line_has (run->out, "text", "Waiting for a worker…"));
  assert_contains (run->out, "\"current_step\":null,\"message\":null,\"eta_seconds\":null");
  g_assert_true (any_line_has (run->out, "current_step", "analysis") ||
                 any_line_has (run->out, "current_step", "lyrics_fetching"));
  g_assert_false (any_line_has (run->out, "current_step", "analyzing"));
  g_assert_false (any_line_has (run->out, "current_step", "fetching_lyrics"));
  g_assert_null (strstr (run->out, "\"other\""));
  g_assert_null (strstr (run->out, "\"step\""));

  g_object_set (f->server, "workers", 1, NULL);
  running = add_job (f, VIGIL_JOB_KIND_SONG, 1, 1000);
  wait_started (f, running);
  status = run_json_object (f, 0, "--json", "status", running, NULL);
  g_assert_true (g_str_equal (string_member (status, "current_step"), "starting") ||
                 g_str_equal (string_member (status, "current_step"), "lyrics_fetching"));
  g_assert_cmpstr (string_member (status, "status"), ==, "IN_PROGRESS");
  g_assert_cmpstr (string_member (status, "state"), ==, "running");
}

/* A failure without a message from the server: error_message stays null;
 * vigilctl's words go to "reason". */
static void
test_json_quiet_failure (Fixture       *f,
                         gconstpointer  data)
{
  g_autoptr(Run) watch = NULL;
  g_autoptr(JsonObject) status = NULL;
  g_autoptr(GHashTable) last = new_last_lines ();
  JsonObject *line;

  canned (f, "/api/jobs/quiet/status", 200,
          "{\"status\": \"success\", \"job\": {\"job_id\": \"quiet\", \"status\": \"FAILED\", "
          "\"job_type\": \"SONG_ANALYSIS\", \"progress\": 0}}");
  use_canned (f);

  status = run_json_object (f, 1, "--json", "status", "quiet", NULL);
  g_assert_true (member_is_null (status, "error_message"));
  g_assert_cmpstr (string_member (status, "reason"), ==, "The analysis failed");
  g_assert_cmpstr (string_member (status, "state"), ==, "failed");
  g_assert_cmpstr (string_member (status, "status"), ==, "FAILED");

  watch = run_ctl (f, "--json", "watch", "quiet", NULL);
  assert_status (watch, 1);
  check_json_lines (watch->out, last);
  line = g_hash_table_lookup (last, "quiet");
  g_assert_true (member_is_null (line, "error_message"));
  g_assert_cmpstr (string_member (line, "reason"), ==, "The analysis failed");
  g_assert_cmpstr (string_member (line, "state"), ==, "failed");
  g_assert_cmpstr (string_member (line, "status"), ==, "FAILED");
}

/* A cleanup answer without a message: vigilctl's words are no server's. */
static void
test_json_cleanup_quiet (Fixture       *f,
                         gconstpointer  data)
{
  g_autoptr(JsonObject) object = NULL;
  g_autoptr(Run) human = NULL;

  canned (f, "/api/progress/cleanup", 200, "{\"success\": true}");
  use_canned (f);
  object = run_json_object (f, 0, "--json", "cleanup", NULL);
  g_assert_true (member_is_null (object, "message"));
  g_assert_cmpstr (string_member (object, "text"), ==, "Stale progress records were cleaned up");

  human = run_ctl (f, "cleanup", NULL);
  assert_success (human);
  g_assert_cmpstr (human->out, ==, "Stale progress records were cleaned up\n");
}

/* Errors with --json: an object on stdout too, whatever went wrong. */
static void
test_json_errors (Fixture       *f,
                  gconstpointer  data)
{
  g_autofree char *dead = dead_url ();
  g_autofree char *api = g_strconcat (f->url, "/api", NULL);
  g_autoptr(Run) usage = run_ctl (f, "--json", "analyze", "song", "abc", NULL);
  g_autoptr(Run) option = run_ctl (f, "analyze", "song", "1", "--json", "--bogus", NULL);
  g_autoptr(Run) command = run_ctl (f, "-j", "bogus", NULL);
  g_autoptr(Run) missing = run_ctl (f, "--json", "status", "no-such-job", NULL);
  g_autoptr(Run) bad_url = run_ctl (f, "--server", api, "--json", "queue", NULL);
  g_autoptr(Run) network = run_ctl (f, "--server", dead, "--json", "watch", "j", NULL);
  g_autoptr(JsonObject) e1 = NULL, e2 = NULL, e3 = NULL, e4 = NULL, e5 = NULL, e6 = NULL;

  e1 = assert_json_error (usage, 2, "usage", "is not a valid ID");
  e2 = assert_json_error (option, 2, "usage", "--bogus");
  e3 = assert_json_error (command, 2, "usage", "unknown command");
  e4 = assert_json_error (missing, 1, "not_found", "Job with ID no-such-job not found");
  e5 = assert_json_error (bad_url, 2, "invalid_url", "ends in /api");
  e6 = assert_json_error (network, 2, "network", "Could not connect to");
}

/* ------------------------------------------------------------------ */
/* Server addresses                                                    */
/* ------------------------------------------------------------------ */

/* A base ending in /api is refused at once (exit 2), naming it and the
 * address to use; nothing is sent. */
static void
test_server_api_suffix (Fixture       *f,
                        gconstpointer  data)
{
  g_autofree char *api = g_strconcat (f->url, "/api/", NULL);
  g_autofree char *advice = g_strdup_printf ("ends in /api, which Vigil adds to every request "
                                             "itself: use %s", f->url);
  g_autoptr(Run) option = run_ctl (f, "--server", api, "queue", NULL);
  g_autoptr(Run) env = NULL;

  assert_error (option, 2, advice);
  assert_contains (option->err, api);

  fixture_setenv (f, "VIGIL_SERVER", api);
  env = run_ctl (f, "watch", "j", NULL);
  assert_error (env, 2, advice);
  g_assert_cmpuint (vigil_demo_server_get_total_requests (f->server), ==, 0);
}

/* A deployment under a prefix works; a wrong prefix is said with the URL
 * that was tried. */
static void
test_server_prefix (Fixture       *f,
                    gconstpointer  data)
{
  g_autofree char *prefixed = NULL, *wrong = NULL, *tried = NULL;
  g_autoptr(Run) run = NULL, missing = NULL;

  canned (f, "/analysis/api/jobs/j1/status", 200,
          "{\"status\": \"success\", \"job\": {\"job_id\": \"j1\", \"status\": \"PENDING\"}}");
  prefixed = g_strconcat (f->canned_url, "/analysis/", NULL);
  wrong = g_strconcat (f->canned_url, "/elsewhere", NULL);

  run = run_ctl (f, "--server", prefixed, "status", "j1", NULL);
  assert_success (run);
  assert_field (run->out, "Status", "PENDING");
  g_assert_cmpstr (g_ptr_array_index (f->canned_paths, 0), ==, "/analysis/api/jobs/j1/status");

  missing = run_ctl (f, "--server", wrong, "status", "j1", NULL);
  tried = g_strdup_printf ("The server does not know the address %s/api/jobs/j1/status", wrong);
  assert_error (missing, 1, tried);
}

/* ------------------------------------------------------------------ */
/* Giving up on a failing server                                       */
/* ------------------------------------------------------------------ */

/* A server that answers 500 to everything (its Redis is down): the watch
 * says since when, and ends after --give-up-after with exit status 2. */
static void
test_give_up (Fixture       *f,
              gconstpointer  data)
{
  g_autofree char *job = add_job (f, VIGIL_JOB_KIND_PLAYLIST, 5, 1000);
  g_autoptr(Run) plain = NULL, json = NULL;
  g_autoptr(JsonObject) error = NULL;
  g_autoptr(GDateTime) since = NULL;
  g_autoptr(GPtrArray) lines = NULL;
  g_autoptr(GRegex) failing = g_regex_new ("; failing since [0-9]{2}:[0-9]{2}:[0-9]{2}$", 0, 0,
                                           NULL);
  gint64 started = g_get_monotonic_time ();

  g_object_set (f->server, "error-rate", 1.0, NULL);
  plain = run_ctl (f, "watch", job, "--give-up-after", "1s", NULL);
  assert_status (plain, 2);
  /* Not before its time. */
  g_assert_cmpint (g_get_monotonic_time () - started, >=, G_USEC_PER_SEC);
  lines = plain_lines (plain->out, job);
  g_assert_true (g_regex_match (failing, last_plain_line (lines), 0, NULL));
  g_assert_true (g_str_has_prefix (plain->err, "vigilctl: Gave up on "));
  assert_contains (plain->err, "no good answer since ");
  assert_contains (plain->err, "(last error: Server error (500): Internal server error)");

  json = run_ctl (f, "--json", "watch", job, "--give-up-after=1s", NULL);
  error = assert_json_error (json, 2, "gave_up", "no good answer since");
  g_assert_cmpstr (json_object_get_string_member (error, "job_id"), ==, job);
  since = g_date_time_new_from_iso8601 (json_object_get_string_member (error, "failing_since"),
                                        NULL);
  g_assert_nonnull (since);
  /* every request fails: the server as a whole, not only this job */
  assert_contains (json->out, "\"tracking\":\"server-error\"");
  assert_contains (json->out, "\"failing_since\":\"");
}

/* analyze --follow gives up the same way once the server starts failing. */
static gboolean
on_fail_after_start (gpointer data)
{
  Fixture *f = data;

  /* The start's answer is made as its request arrives. */
  if (vigil_demo_server_get_total_requests (f->server) == 0)
    return G_SOURCE_CONTINUE;
  g_object_set (f->server, "error-rate", 1.0, NULL);
  return G_SOURCE_REMOVE;
}

static void
test_give_up_follow (Fixture       *f,
                     gconstpointer  data)
{
  guint id = g_timeout_add (1, on_fail_after_start, f);
  g_autoptr(Run) run = run_ctl (f, "analyze", "playlist", "3", "--follow", "--give-up-after", "1",
                                NULL);
  double error_rate;

  g_object_get (f->server, "error-rate", &error_rate, NULL);
  if (error_rate < 1.0)
    g_source_remove (id);
  assert_status (run, 2);
  g_assert_true (g_str_has_prefix (run->out, "Queued "));
  assert_contains (run->out, "; failing since ");
  assert_contains (run->err, "Gave up on ");
}

/* ------------------------------------------------------------------ */
/* Ctrl+C and terminals                                                */
/* ------------------------------------------------------------------ */

typedef struct
{
  GSubprocess      *proc;
  GDataInputStream *lines;
  guint             n_lines;
  gboolean          done;
} Reader;

static void
on_line (GObject      *source,
         GAsyncResult *result,
         gpointer      data)
{
  Reader *r = data;
  g_autoptr(GError) error = NULL;
  g_autofree char *line = g_data_input_stream_read_line_finish_utf8 (r->lines, result, NULL,
                                                                     &error);

  g_assert_no_error (error);
  if (line == NULL)
    {
      r->done = TRUE;
      return;
    }
  /* The first line shows that the watch runs: time for Ctrl+C. */
  if (r->n_lines++ == 0)
    g_subprocess_send_signal (r->proc, SIGINT);
  g_data_input_stream_read_line_async (r->lines, G_PRIORITY_DEFAULT, NULL, on_line, r);
}

/* Lines reach a pipe as they are printed, and SIGINT ends the watch with
 * 130. */
static void
test_interrupt (Fixture       *f,
                gconstpointer  data)
{
  g_autofree char *job = add_job (f, VIGIL_JOB_KIND_PLAYLIST, 50, 100);
  g_autoptr(GSubprocessLauncher) launcher = make_launcher (f, G_SUBPROCESS_FLAGS_STDOUT_PIPE);
  const char * const args[] = { "watch", job, NULL };
  Pending p = { 0 };
  Reader r = { 0 };

  p.loop = g_main_loop_new (NULL, FALSE);
  p.proc = r.proc = spawn (launcher, args);
  r.lines = g_data_input_stream_new (g_subprocess_get_stdout_pipe (p.proc));
  g_data_input_stream_read_line_async (r.lines, G_PRIORITY_DEFAULT, NULL, on_line, &r);
  g_subprocess_wait_async (p.proc, NULL, on_waited, &p);

  g_assert_cmpint (wait_exit (&p), ==, 130);
  while (!r.done)
    g_main_context_iteration (NULL, TRUE);
  g_assert_cmpuint (r.n_lines, >=, 1);

  g_object_unref (r.lines);
  g_object_unref (p.proc);
  g_main_loop_unref (p.loop);
}

typedef struct
{
  GInputStream *stream;
  GString      *text;
  gboolean      done;
} PtyReader;

static void
on_pty_read (GObject      *source,
             GAsyncResult *result,
             gpointer      data)
{
  PtyReader *r = data;
  g_autoptr(GBytes) bytes = g_input_stream_read_bytes_finish (r->stream, result, NULL);

  /* The end of a terminal is EIO once the last writer is gone. */
  if (bytes == NULL || g_bytes_get_size (bytes) == 0)
    {
      r->done = TRUE;
      return;
    }
  g_string_append_len (r->text, g_bytes_get_data (bytes, NULL), g_bytes_get_size (bytes));
  g_input_stream_read_bytes_async (r->stream, 4096, G_PRIORITY_DEFAULT, NULL, on_pty_read, r);
}

/* A pseudo-terminal PTY_COLUMNS wide: returns the controller; *follower
 * is the other end. */
static int
open_pty (int *follower)
{
  struct winsize size = { .ws_row = 24, .ws_col = PTY_COLUMNS };
  int controller = posix_openpt (O_RDWR | O_NOCTTY);

  g_assert_cmpint (controller, >=, 0);
  g_assert_cmpint (grantpt (controller), ==, 0);
  g_assert_cmpint (unlockpt (controller), ==, 0);
  *follower = open (ptsname (controller), O_RDWR | O_NOCTTY);
  g_assert_cmpint (*follower, >=, 0);
  g_assert_cmpint (ioctl (*follower, TIOCSWINSZ, &size), ==, 0);
  return controller;
}

/* Every line drawn fits the terminal, once the escapes are taken out. */
static void
assert_lines_fit (const char *text)
{
  g_autoptr(GRegex) escapes = g_regex_new ("\033\\[[0-9;]*[A-Za-z]|\r", 0, 0, NULL);
  g_autofree char *plain = g_regex_replace_literal (escapes, text, -1, 0, "", 0, NULL);
  g_auto(GStrv) lines = g_strsplit (plain, "\n", -1);

  for (guint i = 0; lines[i] != NULL; i++)
    g_assert_cmpuint (g_utf8_strlen (lines[i], -1), <, PTY_COLUMNS);
}

static void
test_terminal_bars (Fixture       *f,
                    gconstpointer  data)
{
  StartLater later;
  g_autofree char *song = NULL, *playlist = NULL;
  GSubprocessLauncher *launcher = make_launcher (f, G_SUBPROCESS_FLAGS_NONE);
  PtyReader r = { 0 };
  Pending p = { 0 };
  int follower;
  int controller = open_pty (&follower);

  hold_workers (f);
  song = add_job (f, VIGIL_JOB_KIND_SONG, 1, 3);
  playlist = add_job (f, VIGIL_JOB_KIND_PLAYLIST, 6, 8);
  start_later (f, &later, playlist);

  g_subprocess_launcher_take_stdout_fd (launcher, follower);
  p.loop = g_main_loop_new (NULL, FALSE);
  p.proc = spawn (launcher, (const char * const []) { "watch", song, playlist, NULL });
  g_object_unref (launcher);  /* closes our copy of the follower */

  r.stream = g_unix_input_stream_new (controller, TRUE);
  r.text = g_string_new (NULL);
  g_input_stream_read_bytes_async (r.stream, 4096, G_PRIORITY_DEFAULT, NULL, on_pty_read, &r);
  g_subprocess_wait_async (p.proc, NULL, on_waited, &p);
  g_assert_cmpint (wait_exit (&p), ==, 0);
  while (!r.done)
    g_main_context_iteration (NULL, TRUE);
  start_later_done (&later);

  /* Bars redrawn in place (cursor up), ending full. */
  assert_contains (r.text->str, "\033[2A");
  assert_contains (r.text->str, "[########################] 100%");
  g_assert_false (strstr (r.text->str, song) != NULL);
  assert_lines_fit (r.text->str);

  g_string_free (r.text, TRUE);
  g_object_unref (r.stream);
  g_object_unref (p.proc);
  g_main_loop_unref (p.loop);
}

int
main (int argc, char *argv[])
{
  g_test_init (&argc, &argv, NULL);

#define ADD(path, func) \
  g_test_add ("/vigil/vigilctl/" path, Fixture, NULL, fixture_setup, func, fixture_teardown)
#define ADD_MODE(path, mode) \
  g_test_add ("/vigil/vigilctl/mode/" path, Fixture, &mode, fixture_setup, test_mode, \
              fixture_teardown)
  ADD ("help", test_help);
  ADD ("usage-errors", test_usage_errors);
  ADD ("analyze-human", test_analyze_human);
  ADD ("analyze-json", test_analyze_json);
  ADD ("analyze-unknown", test_analyze_unknown);
  ADD ("status-queued-running", test_status_queued_running);
  ADD ("status-completed-failed", test_status_completed_failed);
  ADD ("status-unknown", test_status_unknown);
  ADD ("queue", test_queue);
  ADD ("workers", test_workers);
  ADD ("fields-translated", test_fields_translated);
  ADD ("cleanup", test_cleanup);
  ADD ("dead-server", test_dead_server);
  ADD ("signin-redirect", test_signin_redirect);
  ADD ("token-env", test_token_env);
  ADD ("server-env-default", test_server_env_default);
  ADD ("watch-plain", test_watch_plain);
  ADD ("watch-json", test_watch_json);
  ADD ("watch-failed", test_watch_failed);
  ADD ("watch-lost", test_watch_lost);
  ADD ("follow-plain", test_follow_plain);
  ADD ("follow-json", test_follow_json);
  ADD_MODE ("production", mode_production);
  ADD_MODE ("old-shape", mode_old_shape);
  ADD_MODE ("no-metadata", mode_no_metadata);
  ADD_MODE ("signin-redirect", mode_signin);
  ADD_MODE ("http-errors", mode_http_errors);
  ADD ("hostile-json", test_hostile_json);
  ADD ("hostile-human", test_hostile_human);
  ADD ("queue-production", test_queue_production);
  ADD ("queue-unknown", test_queue_unknown);
  ADD ("status-production", test_status_production);
  ADD ("workers-production", test_workers_production);
  ADD ("json-server-words", test_json_server_words);
  ADD ("json-quiet-failure", test_json_quiet_failure);
  ADD ("json-errors", test_json_errors);
  ADD ("json-cleanup-quiet", test_json_cleanup_quiet);
  ADD ("server-api-suffix", test_server_api_suffix);
  ADD ("server-prefix", test_server_prefix);
  ADD ("give-up", test_give_up);
  ADD ("give-up-follow", test_give_up_follow);
  ADD ("interrupt", test_interrupt);
  ADD ("terminal-bars", test_terminal_bars);
#undef ADD_MODE
#undef ADD

  return g_test_run ();
}
