/* vigilctl-queue.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <glib/gi18n.h>

#include "vigil-json-builder.h"
#include "vigilctl-output.h"

#include "vigilctl-queue.h"

/* ------------------------------------------------------------------ */
/* Which answer means which number                                     */
/* ------------------------------------------------------------------ */

static gboolean
health_has_counts (const VigilQueueHealth *h)
{
  return h != NULL && (h->pending_jobs >= 0 || h->in_progress_jobs >= 0 ||
                       h->completed_jobs >= 0 || h->failed_jobs >= 0);
}

/* Every count the status gives is 0 (and it gives one). */
static gboolean
status_all_zero (const VigilQueueStatus *s)
{
  const gint64 counts[] = { s->total_jobs, s->pending_jobs, s->in_progress_jobs,
                            s->completed_jobs, s->failed_jobs };
  gboolean any = FALSE;

  for (guint i = 0; i < G_N_ELEMENTS (counts); i++)
    {
      if (counts[i] > 0)
        return FALSE;
      any |= counts[i] == 0;
    }
  return any;
}

static gboolean
same_count (gint64 status_count,
            gint64 health_count)
{
  return health_count < 0 || status_count == health_count;
}

static gboolean
status_agrees (const VigilQueueStatus *s,
               const VigilQueueHealth *h)
{
  return same_count (s->pending_jobs, h->pending_jobs) &&
         same_count (s->in_progress_jobs, h->in_progress_jobs) &&
         same_count (s->completed_jobs, h->completed_jobs) &&
         same_count (s->failed_jobs, h->failed_jobs);
}

static gint64
either (gint64 first,
        gint64 second)
{
  return first >= 0 ? first : second;
}

static void
take_status (VigilctlQueueView      *v,
             const VigilQueueStatus *s,
             const VigilQueueHealth *h)
{
  v->source = VIGILCTL_COUNTS_QUEUE_STATUS;
  v->total_jobs = either (s->total_jobs, h ? h->total_jobs : -1);
  v->pending_jobs = either (s->pending_jobs, h ? h->pending_jobs : -1);
  v->in_progress_jobs = either (s->in_progress_jobs, h ? h->in_progress_jobs : -1);
  v->completed_jobs = either (s->completed_jobs, h ? h->completed_jobs : -1);
  v->failed_jobs = either (s->failed_jobs, h ? h->failed_jobs : -1);
  v->priority_high = s->priority_high;
  v->priority_medium = s->priority_medium;
  v->priority_low = s->priority_low;
  v->estimated_completion_minutes = s->estimated_completion_minutes;
}

/* The status's priorities and estimate come from the same counters as its
 * counts: they go with them. */
static void
take_health (VigilctlQueueView      *v,
             const VigilQueueHealth *h)
{
  v->source = VIGILCTL_COUNTS_QUEUE_HEALTH;
  v->total_jobs = h->total_jobs;
  v->pending_jobs = h->pending_jobs;
  v->in_progress_jobs = h->in_progress_jobs;
  v->completed_jobs = h->completed_jobs;
  v->failed_jobs = h->failed_jobs;
}

VigilctlQueueView *
vigilctl_queue_view_new (const VigilQueueStatus *status,
                         const VigilQueueHealth *health,
                         const GError           *health_error)
{
  VigilctlQueueView *v = g_new0 (VigilctlQueueView, 1);

  g_return_val_if_fail (status != NULL, NULL);

  v->total_jobs = v->pending_jobs = v->in_progress_jobs = -1;
  v->completed_jobs = v->failed_jobs = -1;
  v->priority_high = v->priority_medium = v->priority_low = -1;
  v->estimated_completion_minutes = VIGIL_UNKNOWN;
  v->source = VIGILCTL_COUNTS_UNKNOWN;
  v->active_job = status->active_job ? vigil_job_record_copy (status->active_job) : NULL;
  v->health = health ? vigil_queue_health_copy (health) : NULL;
  v->health_error = health_error ? g_strdup (health_error->message) : NULL;

  if (health_has_counts (health))
    {
      if (status_agrees (status, health))
        take_status (v, status, health);
      else
        take_health (v, health);
    }
  else if (!status_all_zero (status))
    take_status (v, status, NULL);

  return v;
}

void
vigilctl_queue_view_free (VigilctlQueueView *view)
{
  if (view == NULL)
    return;

  vigil_job_record_free (view->active_job);
  vigil_queue_health_free (view->health);
  g_free (view->health_error);
  g_free (view);
}

/* Why some numbers come from elsewhere or are unknown; NULL when the queue
 * status says them all. */
static const char *
note_text (const VigilctlQueueView *v)
{
  switch (v->source)
    {
    case VIGILCTL_COUNTS_QUEUE_HEALTH:
      return _("The counts are from /api/queue/health: /api/queue/status gives other ones "
               "(its priorities and estimate are left out with them)");
    case VIGILCTL_COUNTS_UNKNOWN:
      return _("/api/queue/status says 0 for every count, which the live service says "
               "however busy it is, and /api/queue/health gives none: the counts are unknown");
    case VIGILCTL_COUNTS_QUEUE_STATUS:
    default:
      return NULL;
    }
}

static const char *
source_name (VigilctlCountsSource source)
{
  switch (source)
    {
    case VIGILCTL_COUNTS_QUEUE_STATUS: return "queue_status";
    case VIGILCTL_COUNTS_QUEUE_HEALTH: return "queue_health";
    case VIGILCTL_COUNTS_UNKNOWN:
    default: return NULL;
    }
}

/* ------------------------------------------------------------------ */
/* JSON                                                                */
/* ------------------------------------------------------------------ */

static void
add_health (JsonBuilder            *b,
            const VigilQueueHealth *h)
{
  if (h == NULL)
    {
      vigil_json_add_null (b, "queue_health");
      return;
    }

  json_builder_set_member_name (b, "queue_health");
  json_builder_begin_object (b);
  vigil_json_add_bool (b, "healthy", h->healthy);
  vigil_json_add_string (b, "status", h->status);
  json_builder_set_member_name (b, "issues");
  if (h->issues != NULL)
    {
      json_builder_begin_array (b);
      for (guint i = 0; h->issues[i] != NULL; i++)
        json_builder_add_string_value (b, h->issues[i]);
      json_builder_end_array (b);
    }
  else
    json_builder_add_null_value (b);
  json_builder_end_object (b);
}

JsonNode *
vigilctl_queue_view_to_json (const VigilctlQueueView *v)
{
  g_autoptr(JsonBuilder) b = json_builder_new ();

  json_builder_begin_object (b);
  vigil_json_add_int_or_unknown (b, "total_jobs", v->total_jobs);
  vigil_json_add_int_or_unknown (b, "pending_jobs", v->pending_jobs);
  vigil_json_add_int_or_unknown (b, "in_progress_jobs", v->in_progress_jobs);
  vigil_json_add_int_or_unknown (b, "completed_jobs", v->completed_jobs);
  vigil_json_add_int_or_unknown (b, "failed_jobs", v->failed_jobs);
  json_builder_set_member_name (b, "priority_breakdown");
  json_builder_begin_object (b);
  vigil_json_add_int_or_unknown (b, "HIGH", v->priority_high);
  vigil_json_add_int_or_unknown (b, "MEDIUM", v->priority_medium);
  vigil_json_add_int_or_unknown (b, "LOW", v->priority_low);
  json_builder_end_object (b);
  vigil_json_add_double_or_unknown (b, "estimated_completion_minutes",
                                    v->estimated_completion_minutes);
  vigil_json_add_node (b, "active_job",
                       v->active_job != NULL ? vigilctl_record_to_json (v->active_job) : NULL);
  add_health (b, v->health);
  vigil_json_add_string (b, "counts_from", source_name (v->source));
  vigil_json_add_string (b, "reason", note_text (v));
  json_builder_end_object (b);
  return json_builder_get_root (b);
}

/* ------------------------------------------------------------------ */
/* Human                                                               */
/* ------------------------------------------------------------------ */

static char *
count_text (gint64 n)
{
  return n >= 0 ? g_strdup_printf ("%" G_GINT64_FORMAT, n) : g_strdup (_("unknown"));
}

static char *
pending_text (const VigilctlQueueView *v)
{
  g_autofree char *pending = count_text (v->pending_jobs);
  g_autofree char *high = count_text (v->priority_high);
  g_autofree char *medium = count_text (v->priority_medium);
  g_autofree char *low = count_text (v->priority_low);

  if (v->pending_jobs < 0)
    return g_steal_pointer (&pending);
  if (v->priority_high < 0 && v->priority_medium < 0 && v->priority_low < 0)
    /* Translators: a number of pending jobs */
    return g_strdup_printf (_("%s (by priority: unknown)"), pending);
  /* Translators: pending jobs, then how many of them have each priority */
  return g_strdup_printf (_("%s (high %s, medium %s, low %s)"), pending, high, medium, low);
}

static char *
health_text (const VigilctlQueueView *v)
{
  g_autofree char *issues = NULL;

  if (v->health == NULL)
    return g_strdup_printf (_("unknown: %s"), v->health_error ? v->health_error : _("not asked"));
  if (v->health->healthy)
    return g_strdup (_("healthy"));
  if (v->health->issues == NULL || v->health->issues[0] == NULL)
    return g_strdup (_("unhealthy"));

  issues = g_strjoinv ("; ", v->health->issues);
  return g_strdup_printf (_("unhealthy: %s"), issues);
}

void
vigilctl_queue_view_print (const VigilctlQueueView *v)
{
  g_autofree char *total = count_text (v->total_jobs);
  g_autofree char *pending = pending_text (v);
  g_autofree char *running = count_text (v->in_progress_jobs);
  g_autofree char *done = count_text (v->completed_jobs);
  g_autofree char *failed = count_text (v->failed_jobs);
  g_autofree char *estimate = vigilctl_format_estimate (v->estimated_completion_minutes);
  g_autofree char *active = v->active_job ? vigilctl_format_record_summary (v->active_job)
                                          : g_strdup (_("none"));
  g_autofree char *health = health_text (v);

  vigilctl_print_field (_("Jobs"), total);
  vigilctl_print_field (_("Pending"), pending);
  vigilctl_print_field (_("Running"), running);
  vigilctl_print_field (_("Completed"), done);
  vigilctl_print_field (_("Failed"), failed);
  vigilctl_print_field (_("Estimate"), estimate);
  vigilctl_print_field (_("Active"), active);
  vigilctl_print_field (_("Health"), health);
  vigilctl_print_field (_("Note"), note_text (v));
}
