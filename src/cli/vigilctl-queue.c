/* vigilctl-queue.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <glib/gi18n.h>

#include "vigil-json-builder.h"
#include "vigil-server-text.h"
#include "vigilctl-output.h"

#include "vigilctl-queue.h"

VigilctlQueueView *
vigilctl_queue_view_new (const VigilQueueStatus *status,
                         const VigilQueueHealth *health,
                         const GError           *health_error)
{
  VigilctlQueueView *v;

  g_return_val_if_fail (status != NULL, NULL);

  v = g_new0 (VigilctlQueueView, 1);
  vigil_queue_counts_compute (&v->counts, status, health);
  v->active_job = status->active_job ? vigil_job_record_copy (status->active_job) : NULL;
  v->health = health ? vigil_queue_health_copy (health) : NULL;
  v->health_error = health_error ? g_strdup (health_error->message) : NULL;

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
  return vigil_server_text_counts_note (v->counts.source);
}

static const char *
source_name (VigilQueueCountsSource source)
{
  switch (source)
    {
    case VIGIL_QUEUE_COUNTS_QUEUE_STATUS: return "queue_status";
    case VIGIL_QUEUE_COUNTS_QUEUE_HEALTH: return "queue_health";
    case VIGIL_QUEUE_COUNTS_UNKNOWN:
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
  vigil_json_add_int_or_unknown (b, "total_jobs", v->counts.total_jobs);
  vigil_json_add_int_or_unknown (b, "pending_jobs", v->counts.pending_jobs);
  vigil_json_add_int_or_unknown (b, "in_progress_jobs", v->counts.in_progress_jobs);
  vigil_json_add_int_or_unknown (b, "completed_jobs", v->counts.completed_jobs);
  vigil_json_add_int_or_unknown (b, "failed_jobs", v->counts.failed_jobs);
  json_builder_set_member_name (b, "priority_breakdown");
  json_builder_begin_object (b);
  vigil_json_add_int_or_unknown (b, "HIGH", v->counts.priority_high);
  vigil_json_add_int_or_unknown (b, "MEDIUM", v->counts.priority_medium);
  vigil_json_add_int_or_unknown (b, "LOW", v->counts.priority_low);
  json_builder_end_object (b);
  vigil_json_add_double_or_unknown (b, "estimated_completion_minutes",
                                    v->counts.estimated_completion_minutes);
  vigil_json_add_node (b, "active_job",
                       v->active_job != NULL ? vigilctl_record_to_json (v->active_job) : NULL);
  add_health (b, v->health);
  vigil_json_add_string (b, "counts_from", source_name (v->counts.source));
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
  g_autofree char *pending = count_text (v->counts.pending_jobs);
  g_autofree char *high = count_text (v->counts.priority_high);
  g_autofree char *medium = count_text (v->counts.priority_medium);
  g_autofree char *low = count_text (v->counts.priority_low);

  if (v->counts.pending_jobs < 0)
    return g_steal_pointer (&pending);
  if (v->counts.priority_high < 0 && v->counts.priority_medium < 0 && v->counts.priority_low < 0)
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
  g_autofree char *total = count_text (v->counts.total_jobs);
  g_autofree char *pending = pending_text (v);
  g_autofree char *running = count_text (v->counts.in_progress_jobs);
  g_autofree char *done = count_text (v->counts.completed_jobs);
  g_autofree char *failed = count_text (v->counts.failed_jobs);
  g_autofree char *estimate = vigilctl_format_estimate (v->counts.estimated_completion_minutes);
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
