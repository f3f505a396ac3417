/* vigil-reader-active.c — GET /api/progress read job by job as it arrives
 *
 * A batch answer lists every running job: 10 000 jobs are some 6 MB of
 * JSON and 3–4 MB of records. The scanner reads the body in any pieces
 * with a small state machine (where it is in the root object and in
 * "active_jobs"; inside a value only string, escape and depth), copies one
 * member at a time, and when a member is whole checks it (vigil-json-syntax,
 * at the depth it has in the body), parses it on its own and hands its
 * record over. What it holds at any time is one member and a few bytes.
 *
 * The same body read as one tree (vigil_reader_parse_bytes(),
 * vigil_reader_parse_active_progress_response()) gives the same records in
 * the same order and, for a body that is not right, the same error:
 *  - Before active_jobs starts, every byte is kept; anything unusual there
 *    (a byte order mark split oddly, HTML, an array root, no active_jobs,
 *    an escaped key …) and the kept bytes are read as one tree at the end.
 *  - After, a fault (not JSON, too deep, not UTF-8, truncated) stops the
 *    reading of JSON; the rest of the body is still checked for UTF-8,
 *    as the whole body is checked for UTF-8 before anything else.
 * Two things differ, both only for bodies no server writes: a job listed
 * twice is handed over twice (the tree keeps the last), and a second
 * "active_jobs" object or array is read too (the tree reads only the last).
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <string.h>
#include <glib/gi18n-lib.h>

#include "vigil-json-syntax.h"
#include "vigil-reader.h"
#include "vigil-reader-private.h"
#include "vigil-reader-active.h"

typedef enum
{
  S_START,             /* a byte order mark, whitespace, then the root's '{' */
  S_ROOT_KEY_OR_END,   /* after the root's '{' */
  S_ROOT_KEY,          /* after a ',' of the root */
  S_ROOT_NEXT,         /* after a member of the root: ',' or '}' */
  S_ACTIVE_KEY_OR_END, /* after active_jobs' '{' */
  S_ACTIVE_KEY,        /* after a ',' of active_jobs */
  S_ACTIVE_NEXT,       /* after a job: ',' or '}' */
  S_ARRAY_ELEM_OR_END, /* after active_jobs' '[' */
  S_ARRAY_ELEM,        /* after a ',' of active_jobs' array */
  S_ARRAY_NEXT,        /* after an element: ',' or ']' */
  S_KEY,               /* inside a key */
  S_COLON,             /* after a key */
  S_VALUE_START,       /* after a ':' */
  S_VALUE,             /* inside a value */
  S_TRAIL,             /* after the root's '}': whitespace only */
} State;

typedef enum
{
  LEVEL_ROOT,
  LEVEL_OBJECT,        /* "active_jobs": {…} */
  LEVEL_ARRAY,         /* "active_jobs": […] */
} Level;

#define ACTIVE_KEY "\"active_jobs\""

struct _VigilActiveScanner
{
  VigilActiveFunc  func;
  gpointer         user_data;

  State            state;
  Level            level;
  guint            start_bytes; /* bytes before the root's '{' */
  guint            bom;         /* bytes of a byte order mark among them */
  gboolean         streaming;   /* active_jobs has started: nothing kept */
  gboolean         fallback;    /* read as one tree at the end */
  gboolean         stopped;     /* func asked for no more */
  GByteArray      *kept;        /* every byte while not streaming */
  GError          *fault;       /* the first fault found after streaming began */

  /* The member being read, as an object of its own: {"key":value}, or
   * {"":value} for an element of an array. */
  GString         *member;
  gboolean         escape;      /* in a key or a string value, after '\' */
  gboolean         key_is_active;
  guint            depth;       /* of the value's arrays and objects */
  gboolean         in_string;
  gboolean         scalar;      /* a number, true, false or null: ends at a delimiter */
  gboolean         value_started;

  /* UTF-8 across pieces: an incomplete sequence at the end of the last. */
  guchar           tail[4];
  guint            tail_len;
  gboolean         not_utf8;

  GArray          *overflows;
};

VigilActiveScanner *
vigil_active_scanner_new (VigilActiveFunc func,
                          gpointer        user_data)
{
  VigilActiveScanner *self = g_new0 (VigilActiveScanner, 1);

  self->func = func;
  self->user_data = user_data;
  self->kept = g_byte_array_new ();
  self->member = g_string_sized_new (1024);
  self->overflows = g_array_new (FALSE, FALSE, sizeof (gsize));
  return self;
}

void
vigil_active_scanner_free (VigilActiveScanner *self)
{
  if (self == NULL)
    return;

  g_clear_pointer (&self->kept, g_byte_array_unref);
  g_clear_error (&self->fault);
  g_string_free (self->member, TRUE);
  g_array_unref (self->overflows);
  g_free (self);
}

gboolean
vigil_active_scanner_is_streaming (VigilActiveScanner *self)
{
  return self->streaming;
}

/* ------------------------------------------------------------------ */
/* UTF-8                                                               */
/* ------------------------------------------------------------------ */

/* The whole body is checked for UTF-8 (and NUL bytes), as
 * vigil_reader_parse_bytes() checks it, a sequence split between pieces
 * carried over. */
static void
check_utf8 (VigilActiveScanner *self,
            const char         *data,
            gsize               len)
{
  const char *end = NULL;

  while (self->tail_len > 0 && len > 0 && !self->not_utf8)
    {
      gunichar c;

      self->tail[self->tail_len++] = (guchar) *data++;
      len--;
      c = g_utf8_get_char_validated ((const char *) self->tail, self->tail_len);
      if (c == (gunichar) -2 && self->tail_len < 4)
        continue;
      if (c == (gunichar) -1 || c == (gunichar) -2 || c == 0)
        self->not_utf8 = TRUE;
      self->tail_len = 0;
    }

  if (self->not_utf8 || len == 0 || g_utf8_validate (data, len, &end))
    return;

  /* Invalid, or a sequence that the next piece completes. */
  if ((gsize) (data + len - end) < 4 &&
      g_utf8_get_char_validated (end, data + len - end) == (gunichar) -2)
    {
      self->tail_len = (guint) (data + len - end);
      memcpy (self->tail, end, self->tail_len);
    }
  else
    self->not_utf8 = TRUE;
}

/* ------------------------------------------------------------------ */
/* Faults                                                              */
/* ------------------------------------------------------------------ */

/* Something that is not the usual shape, or not right: before active_jobs
 * the kept bytes will be read as one tree (which finds what is wrong, if
 * anything); after, the reading of JSON stops here. */
static void
set_fault (VigilActiveScanner *self,
           GError             *error)
{
  if (!self->streaming)
    {
      g_clear_error (&error);
      self->fallback = TRUE;
      return;
    }

  if (error == NULL)
    g_set_error (&error, VIGIL_API_ERROR, VIGIL_API_ERROR_PROTOCOL,
                 _("The server's answer is not JSON"));
  if (self->fault == NULL)
    self->fault = error;
  else
    g_error_free (error);
}

/* ------------------------------------------------------------------ */
/* Members                                                             */
/* ------------------------------------------------------------------ */

/* The depth at which the member, read as an object of its own, fails as
 * the whole body would: the root is one level, active_jobs another, and
 * the object around the member stands for the level above it. */
static guint
member_max_depth (VigilActiveScanner *self)
{
  return self->level == LEVEL_ROOT ? VIGIL_READER_MAX_DEPTH : VIGIL_READER_MAX_DEPTH - 1;
}

typedef struct
{
  VigilActiveScanner *self;
  gboolean            array;
} HandOver;

static void
hand_over (JsonObject *object,
           const char *key,
           JsonNode   *node,
           gpointer    user_data)
{
  HandOver *h = user_data;
  VigilProgress *progress;

  if (h->self->stopped)
    return;

  progress = vigil_reader_parse_active_job (h->array ? NULL : key, node);
  if (progress != NULL && !h->self->func (progress, h->self->user_data))
    h->self->stopped = TRUE;
}

/* A member is whole: check it and, inside active_jobs, hand its record
 * over. Safe to hand over before the rest of the body is known: the member
 * is standard JSON and UTF-8 on its own and its record is read exactly as
 * the whole tree reads it; a body that breaks later changes nothing in it
 * (the whole body's reading would only have thrown it away). */
static void
member_done (VigilActiveScanner *self)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(JsonNode) root = NULL;
  HandOver h = { self, self->level == LEVEL_ARRAY };

  g_string_append_c (self->member, '}');
  g_array_set_size (self->overflows, 0);

  if (self->not_utf8)
    return;   /* the body is not UTF-8: finish() says so */

  if (!vigil_reader_check_syntax (self->member->str, self->member->len, member_max_depth (self),
                                  self->overflows, &error))
    {
      set_fault (self, g_steal_pointer (&error));
      return;
    }

  if (self->level == LEVEL_ROOT)
    return;   /* another member of the root: only checked */

  root = vigil_reader_parse_checked (self->member->str, self->member->len, self->overflows,
                                     &error);
  if (root == NULL)
    {
      set_fault (self, g_steal_pointer (&error));
      return;
    }
  json_object_foreach_member (json_node_get_object (root), hand_over, &h);
}

static gboolean
is_space (char c)
{
  return c == ' ' || c == '\t' || c == '\n' || c == '\r';
}

static void
begin_key (VigilActiveScanner *self)
{
  g_string_assign (self->member, "{\"");
  self->escape = FALSE;
  self->state = S_KEY;
}

static void
begin_value (VigilActiveScanner *self)
{
  self->depth = 0;
  self->in_string = self->scalar = self->escape = FALSE;
  self->value_started = FALSE;
  self->state = S_VALUE;
}

/* The state after a member of the current level. */
static State
next_state (Level level)
{
  switch (level)
    {
    case LEVEL_OBJECT:
      return S_ACTIVE_NEXT;
    case LEVEL_ARRAY:
      return S_ARRAY_NEXT;
    case LEVEL_ROOT:
    default:
      return S_ROOT_NEXT;
    }
}

/* As much of a value as data holds; returns the bytes taken. A number or
 * literal ends before the delimiter that follows it (left for the level). */
static gsize
take_value (VigilActiveScanner *self,
            const char         *data,
            gsize               len)
{
  gsize i = 0;
  gboolean done = FALSE;

  if (!self->value_started)
    {
      char c = data[0];

      self->value_started = TRUE;
      if (c == '"')
        self->in_string = TRUE;
      else if (c == '{' || c == '[')
        self->depth = 1;
      else
        self->scalar = TRUE;
      i = 1;
    }

  for (; i < len && !done; i++)
    {
      char c = data[i];

      if (self->in_string)
        {
          if (self->escape)
            self->escape = FALSE;
          else if (c == '\\')
            self->escape = TRUE;
          else if (c == '"')
            {
              self->in_string = FALSE;
              done = self->depth == 0;
            }
        }
      else if (self->scalar)
        {
          if (is_space (c) || c == ',' || c == '}' || c == ']')
            {
              done = TRUE;
              break;   /* not taken */
            }
        }
      else if (c == '"')
        self->in_string = TRUE;
      else if (c == '{' || c == '[')
        self->depth++;
      else if (c == '}' || c == ']')
        done = --self->depth == 0;
    }

  g_string_append_len (self->member, data, i);
  if (done)
    {
      self->state = next_state (self->level);
      member_done (self);
    }
  return i;
}

/* One byte outside values. */
static void
step (VigilActiveScanner *self,
      char                c)
{
  switch (self->state)
    {
    case S_START:
      /* Some Windows-hosted servers start with a byte order mark. */
      if (self->bom == self->start_bytes && self->bom < 3 &&
          (guchar) c == (guchar) "\xef\xbb\xbf"[self->bom])
        self->bom++;
      else if (self->bom > 0 && self->bom < 3)
        set_fault (self, NULL);   /* part of a mark: the tree decides */
      else if (c == '{')
        self->state = S_ROOT_KEY_OR_END;
      else if (!is_space (c))
        set_fault (self, NULL);
      self->start_bytes++;
      return;

    case S_ROOT_KEY_OR_END:
    case S_ACTIVE_KEY_OR_END:
      if (c == '}')
        self->state = self->state == S_ROOT_KEY_OR_END ? S_TRAIL : S_ROOT_NEXT;
      else if (c == '"')
        begin_key (self);
      else if (!is_space (c))
        set_fault (self, NULL);
      if (self->state == S_ROOT_NEXT)
        self->level = LEVEL_ROOT;
      return;

    case S_ROOT_KEY:
    case S_ACTIVE_KEY:
      if (c == '"')
        begin_key (self);
      else if (!is_space (c))
        set_fault (self, NULL);
      return;

    case S_ROOT_NEXT:
    case S_ACTIVE_NEXT:
    case S_ARRAY_NEXT:
      if (c == ',')
        self->state = self->state == S_ROOT_NEXT ? S_ROOT_KEY
                      : self->state == S_ACTIVE_NEXT ? S_ACTIVE_KEY : S_ARRAY_ELEM;
      else if ((c == '}' && self->state != S_ARRAY_NEXT) ||
               (c == ']' && self->state == S_ARRAY_NEXT))
        {
          self->state = self->state == S_ROOT_NEXT ? S_TRAIL : S_ROOT_NEXT;
          self->level = LEVEL_ROOT;
        }
      else if (!is_space (c))
        set_fault (self, NULL);
      return;

    case S_ARRAY_ELEM_OR_END:
    case S_ARRAY_ELEM:
      if (c == ']' && self->state == S_ARRAY_ELEM_OR_END)
        {
          self->state = S_ROOT_NEXT;
          self->level = LEVEL_ROOT;
        }
      else if (c == ',' || c == ':' || c == '}' || c == ']')
        set_fault (self, NULL);
      else if (!is_space (c))
        {
          g_string_assign (self->member, "{\"\":");
          begin_value (self);
        }
      return;

    case S_KEY:
      g_string_append_c (self->member, c);
      if (self->escape)
        self->escape = FALSE;
      else if (c == '\\')
        self->escape = TRUE;
      else if (c == '"')
        {
          self->key_is_active = self->level == LEVEL_ROOT &&
                                strcmp (self->member->str + 1, ACTIVE_KEY) == 0;
          self->state = S_COLON;
        }
      return;

    case S_COLON:
      if (c == ':')
        {
          g_string_append_c (self->member, ':');
          self->state = S_VALUE_START;
        }
      else if (!is_space (c))
        set_fault (self, NULL);
      return;

    case S_VALUE_START:
      if (is_space (c))
        return;
      if (self->key_is_active && (c == '{' || c == '['))
        {
          /* The jobs: from here on, read as they come. */
          self->streaming = TRUE;
          g_clear_pointer (&self->kept, g_byte_array_unref);
          self->level = c == '{' ? LEVEL_OBJECT : LEVEL_ARRAY;
          self->state = c == '{' ? S_ACTIVE_KEY_OR_END : S_ARRAY_ELEM_OR_END;
        }
      else if (c == ',' || c == ':' || c == '}' || c == ']')
        set_fault (self, NULL);
      else
        begin_value (self);
      return;

    case S_TRAIL:
      if (!is_space (c))
        set_fault (self, NULL);
      return;

    case S_VALUE:
    default:
      g_assert_not_reached ();
    }
}

/* Whether the bytes are read as JSON as they come. */
static gboolean
reading (VigilActiveScanner *self)
{
  return !self->fallback && self->fault == NULL && !self->not_utf8 && !self->stopped;
}

gboolean
vigil_active_scanner_feed (VigilActiveScanner *self,
                           const char         *data,
                           gsize               len)
{
  gsize i = 0;

  g_return_val_if_fail (self != NULL, FALSE);
  g_return_val_if_fail (data != NULL || len == 0, FALSE);

  if (self->stopped)
    return FALSE;
  if (!self->streaming && self->kept == NULL)
    return TRUE;   /* taken by vigil_active_scanner_steal_kept() */

  if (self->fallback)
    {
      /* The tree reads it all at the end. */
      g_byte_array_append (self->kept, (const guint8 *) data, (guint) len);
      return TRUE;
    }

  check_utf8 (self, data, len);
  if (self->not_utf8 && !self->streaming)
    self->fallback = TRUE;

  while (i < len && reading (self))
    {
      if (self->state == S_VALUE)
        i += take_value (self, data + i, len - i);
      else
        {
          step (self, data[i]);
          /* A value's first byte is taken by take_value(). */
          if (self->state != S_VALUE)
            i++;
        }
    }

  /* Kept until the jobs start (and all of it for a tree): not copied when
   * they start in this piece. */
  if (!self->streaming)
    g_byte_array_append (self->kept, (const guint8 *) data, (guint) len);

  return !self->stopped;
}

GBytes *
vigil_active_scanner_steal_kept (VigilActiveScanner *self)
{
  g_return_val_if_fail (self != NULL, NULL);

  if (self->streaming || self->kept == NULL)
    return NULL;

  return g_byte_array_free_to_bytes (g_steal_pointer (&self->kept));
}

/* The kept bytes as one tree: what the body gives when it is not the
 * usual shape. */
static gboolean
finish_as_tree (VigilActiveScanner  *self,
                GError             **error)
{
  g_autoptr(GBytes) body = vigil_active_scanner_steal_kept (self);
  g_autoptr(JsonNode) root = NULL;
  g_autoptr(GPtrArray) jobs = NULL;

  if ((root = vigil_reader_parse_bytes (body, error)) == NULL ||
      (jobs = vigil_reader_parse_active_progress_response (root, error)) == NULL)
    return FALSE;

  g_clear_pointer (&root, json_node_unref);
  for (guint i = 0; i < jobs->len && !self->stopped; i++)
    {
      VigilProgress *progress = g_steal_pointer (&jobs->pdata[i]);

      if (!self->func (progress, self->user_data))
        self->stopped = TRUE;
    }
  return TRUE;
}

gboolean
vigil_active_scanner_finish (VigilActiveScanner  *self,
                             GError             **error)
{
  g_return_val_if_fail (self != NULL, FALSE);
  g_return_val_if_fail (error == NULL || *error == NULL, FALSE);

  if (!self->streaming)
    return self->kept != NULL ? finish_as_tree (self, error) : TRUE;

  if (self->not_utf8 || self->tail_len > 0)
    {
      vigil_reader_set_not_utf8_error (error);
      return FALSE;
    }

  if (self->fault != NULL)
    {
      g_propagate_error (error, g_steal_pointer (&self->fault));
      return FALSE;
    }

  if (self->stopped || self->state == S_TRAIL)
    return TRUE;

  /* Cut short: as the whole body, "not JSON", unless what is there of the
   * member is already nested too deeply. */
  if ((self->state == S_KEY || self->state == S_COLON || self->state == S_VALUE_START ||
       self->state == S_VALUE) &&
      vigil_json_syntax_check (self->member->str, self->member->len, member_max_depth (self),
                               NULL, NULL) == VIGIL_JSON_SYNTAX_TOO_DEEP)
    return vigil_reader_check_syntax (self->member->str, self->member->len,
                                      member_max_depth (self), NULL, error);

  g_set_error (error, VIGIL_API_ERROR, VIGIL_API_ERROR_PROTOCOL,
               _("The server's answer is not JSON"));
  return FALSE;
}

/* ------------------------------------------------------------------ */
/* A whole body                                                        */
/* ------------------------------------------------------------------ */

static gboolean
add_job (VigilProgress *progress,
         gpointer       user_data)
{
  GPtrArray *jobs = user_data;

  g_ptr_array_add (jobs, progress);
  return TRUE;
}

GPtrArray *
vigil_reader_parse_active_progress_bytes (GBytes  *body,
                                          GError **error)
{
  g_autoptr(GPtrArray) jobs = g_ptr_array_new_with_free_func ((GDestroyNotify) vigil_progress_free);
  g_autoptr(VigilActiveScanner) scanner = vigil_active_scanner_new (add_job, jobs);
  gsize len = 0;
  const char *text;

  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  text = body != NULL ? g_bytes_get_data (body, &len) : NULL;
  vigil_active_scanner_feed (scanner, text != NULL ? text : "", len);
  if (!vigil_active_scanner_finish (scanner, error))
    return NULL;

  return g_steal_pointer (&jobs);
}
