/* test-types.c — enum readers, numbers and the boxed result types
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include <math.h>

#include "vigil-types.h"

static void
test_status_case (void)
{
  g_assert_cmpint (vigil_job_status_from_string ("COMPLETED"), ==, VIGIL_JOB_STATUS_COMPLETED);
  g_assert_cmpint (vigil_job_status_from_string ("completed"), ==, VIGIL_JOB_STATUS_COMPLETED);
  g_assert_cmpint (vigil_job_status_from_string ("In_Progress"), ==, VIGIL_JOB_STATUS_IN_PROGRESS);
  g_assert_cmpint (vigil_job_status_from_string ("cancelled"), ==, VIGIL_JOB_STATUS_CANCELLED);
  g_assert_cmpint (vigil_job_status_from_string ("bogus"), ==, VIGIL_JOB_STATUS_UNKNOWN);
  g_assert_cmpint (vigil_job_status_from_string (NULL), ==, VIGIL_JOB_STATUS_UNKNOWN);

  g_assert_true (vigil_job_status_is_terminal (VIGIL_JOB_STATUS_COMPLETED));
  g_assert_true (vigil_job_status_is_terminal (VIGIL_JOB_STATUS_INTERRUPTED));
  g_assert_true (vigil_job_status_is_terminal (VIGIL_JOB_STATUS_CANCELLED));
  g_assert_false (vigil_job_status_is_terminal (VIGIL_JOB_STATUS_PENDING));
  g_assert_false (vigil_job_status_is_failure (VIGIL_JOB_STATUS_COMPLETED));
  g_assert_true (vigil_job_status_is_failure (VIGIL_JOB_STATUS_FAILED));
}

static void
test_step_spellings (void)
{
  g_assert_cmpint (vigil_step_from_string ("fetching_lyrics"), ==, VIGIL_STEP_FETCHING_LYRICS);
  g_assert_cmpint (vigil_step_from_string ("lyrics_fetching"), ==, VIGIL_STEP_FETCHING_LYRICS);
  g_assert_cmpint (vigil_step_from_string ("ANALYSIS"), ==, VIGIL_STEP_ANALYZING);
  g_assert_cmpint (vigil_step_from_string ("analyzing"), ==, VIGIL_STEP_ANALYZING);
  g_assert_cmpint (vigil_step_from_string ("Complete"), ==, VIGIL_STEP_COMPLETE);
  g_assert_cmpint (vigil_step_from_string ("warming_up"), ==, VIGIL_STEP_OTHER);
  g_assert_cmpint (vigil_step_from_string (NULL), ==, VIGIL_STEP_OTHER);
  g_assert_cmpint (vigil_job_kind_from_string ("PLAYLIST_ANALYSIS"), ==, VIGIL_JOB_KIND_PLAYLIST);
  g_assert_cmpint (vigil_priority_from_string ("low"), ==, VIGIL_PRIORITY_LOW);
}

static void
test_seconds_to_units (void)
{
  struct { double seconds; double unit; VigilRounding rounding; gint64 expected; } cases[] = {
    { 0, 1, VIGIL_ROUND_UP, 0 },
    { -0.0, 60, VIGIL_ROUND_UP, 0 },
    { 1e-300, 60, VIGIL_ROUND_UP, 1 },
    { 4.9e-324, 1, VIGIL_ROUND_DOWN, 0 },
    { 59.5, 1, VIGIL_ROUND_NEAREST, 60 },
    { 59.4, 1, VIGIL_ROUND_NEAREST, 59 },
    { 60, 60, VIGIL_ROUND_UP, 1 },
    { 60.1, 60, VIGIL_ROUND_UP, 2 },
    { 119.9, 60, VIGIL_ROUND_DOWN, 1 },
    { 5400, 3600, VIGIL_ROUND_NEAREST, 2 },
    { 1.5, 0.001, VIGIL_ROUND_NEAREST, 1500 },
    { VIGIL_MAX_SECONDS, 1, VIGIL_ROUND_UP, 31622400 },
    { VIGIL_MAX_SECONDS, 1e-6, VIGIL_ROUND_UP, G_GINT64_CONSTANT (31622400000000) },
    /* unknown: negative, not finite, or over a year */
    { -1e-300, 60, VIGIL_ROUND_UP, -1 },
    { -1, 1, VIGIL_ROUND_NEAREST, -1 },
    { -1e308, 60, VIGIL_ROUND_UP, -1 },
    { NAN, 60, VIGIL_ROUND_UP, -1 },
    { -NAN, 1, VIGIL_ROUND_DOWN, -1 },
    { INFINITY, 60, VIGIL_ROUND_UP, -1 },
    { -INFINITY, 60, VIGIL_ROUND_UP, -1 },
    { VIGIL_MAX_SECONDS + 0.5, 1, VIGIL_ROUND_DOWN, -1 },
    { 1e19, 1, VIGIL_ROUND_DOWN, -1 },
    { 9223372036854775807.0, 1, VIGIL_ROUND_DOWN, -1 },
    { 1e308, 60, VIGIL_ROUND_UP, -1 },
    { G_MAXDOUBLE, 1e-6, VIGIL_ROUND_NEAREST, -1 },
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      gint64 got = vigil_seconds_to_units (cases[i].seconds, cases[i].unit, cases[i].rounding);

      if (got != cases[i].expected)
        g_test_fail_printf ("%g s in units of %g: %" G_GINT64_FORMAT ", expected %" G_GINT64_FORMAT,
                            cases[i].seconds, cases[i].unit, got, cases[i].expected);
    }
}

static void
test_progress_terminal (void)
{
  g_autoptr(VigilProgress) p = vigil_progress_new ();
  g_autoptr(VigilProgress) copy = NULL;

  g_assert_cmpfloat (p->fraction, ==, VIGIL_UNKNOWN);
  g_assert_false (vigil_progress_is_terminal (p));
  p->fraction = 1.0;
  g_assert_true (vigil_progress_is_terminal (p));
  p->fraction = 0.5;
  p->step = VIGIL_STEP_COMPLETE;
  g_assert_true (vigil_progress_is_terminal (p));
  p->step = VIGIL_STEP_ANALYZING;
  p->status = VIGIL_JOB_STATUS_INTERRUPTED;
  g_assert_true (vigil_progress_is_terminal (p));
  p->status = VIGIL_JOB_STATUS_UNKNOWN;
  p->is_complete = TRUE;
  g_assert_true (vigil_progress_is_terminal (p));

  p->message = g_strdup ("Analyzing");
  p->current_song = vigil_song_ref_new ();
  p->current_song->title = g_strdup ("Title");
  copy = vigil_progress_copy (p);
  g_assert_cmpstr (copy->message, ==, "Analyzing");
  g_assert_cmpstr (copy->current_song->title, ==, "Title");
  g_assert_true (copy->current_song != p->current_song);
}

static void
test_record_failure (void)
{
  g_autoptr(VigilJobRecord) r = vigil_job_record_new ();

  r->status = VIGIL_JOB_STATUS_COMPLETED;
  g_assert_false (vigil_job_record_is_failure (r));
  r->error_message = g_strdup ("Lyrics service down");
  g_assert_true (vigil_job_record_is_failure (r));
}

typedef struct
{
  const char *text;
  gint64      id;      /* 0: refused */
  int         code;    /* the G_NUMBER_PARSER_ERROR of a refusal */
} IdCase;

static void
test_positive_id (void)
{
  static const IdCase cases[] = {
    { "1", 1, 0 },
    { "42", 42, 0 },
    { "007", 7, 0 },
    { "0000000000000000000000042", 42, 0 },
    { "9223372036854775807", G_MAXINT64, 0 },
    { "", 0, G_NUMBER_PARSER_ERROR_INVALID },
    { " ", 0, G_NUMBER_PARSER_ERROR_INVALID },
    { " 42", 0, G_NUMBER_PARSER_ERROR_INVALID },
    { "42 ", 0, G_NUMBER_PARSER_ERROR_INVALID },
    { "4 2", 0, G_NUMBER_PARSER_ERROR_INVALID },
    { "\t42", 0, G_NUMBER_PARSER_ERROR_INVALID },
    { "+42", 0, G_NUMBER_PARSER_ERROR_INVALID },
    { "-42", 0, G_NUMBER_PARSER_ERROR_INVALID },
    { "-0", 0, G_NUMBER_PARSER_ERROR_INVALID },
    { "0", 0, G_NUMBER_PARSER_ERROR_OUT_OF_BOUNDS },
    { "000", 0, G_NUMBER_PARSER_ERROR_OUT_OF_BOUNDS },
    { "9223372036854775808", 0, G_NUMBER_PARSER_ERROR_OUT_OF_BOUNDS },
    { "18446744073709551615", 0, G_NUMBER_PARSER_ERROR_OUT_OF_BOUNDS },
    { "99999999999999999999999", 0, G_NUMBER_PARSER_ERROR_OUT_OF_BOUNDS },
    { "12x", 0, G_NUMBER_PARSER_ERROR_INVALID },
    { "abc", 0, G_NUMBER_PARSER_ERROR_INVALID },
    { "1.5", 0, G_NUMBER_PARSER_ERROR_INVALID },
    { "1e3", 0, G_NUMBER_PARSER_ERROR_INVALID },
    { "0x10", 0, G_NUMBER_PARSER_ERROR_INVALID },
    { "42\n", 0, G_NUMBER_PARSER_ERROR_INVALID },
    { "\xd9\xa3", 0, G_NUMBER_PARSER_ERROR_INVALID },   /* Arabic-Indic three */
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autoptr(GError) error = NULL;
      gint64 id = -7;
      gboolean ok = vigil_parse_positive_id (cases[i].text, &id, &error);

      g_test_message ("“%s”", cases[i].text);
      if (cases[i].id > 0)
        {
          g_assert_no_error (error);
          g_assert_true (ok);
          g_assert_cmpint (id, ==, cases[i].id);
        }
      else
        {
          g_assert_error (error, G_NUMBER_PARSER_ERROR, cases[i].code);
          g_assert_false (ok);
          g_assert_cmpint (id, ==, -7);
        }
    }
}

static void
test_positive_id_null (void)
{
  gint64 id = -7;

  /* NULL reads as empty; the error is optional. */
  g_assert_false (vigil_parse_positive_id (NULL, &id, NULL));
  g_assert_false (vigil_parse_positive_id ("0", &id, NULL));
  g_assert_cmpint (id, ==, -7);
}

int
main (int argc, char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/vigil/types/status-case", test_status_case);
  g_test_add_func ("/vigil/types/step-spellings", test_step_spellings);
  g_test_add_func ("/vigil/types/seconds-to-units", test_seconds_to_units);
  g_test_add_func ("/vigil/types/progress-terminal", test_progress_terminal);
  g_test_add_func ("/vigil/types/record-failure", test_record_failure);
  g_test_add_func ("/vigil/types/positive-id", test_positive_id);
  g_test_add_func ("/vigil/types/positive-id-null", test_positive_id_null);

  return g_test_run ();
}
