/* vigil-poll-policy.h — when to poll a job next: a pure function of the
 * job's observed state and the poller's settings
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <glib.h>

#include "vigil-types.h"

G_BEGIN_DECLS

/* A background (whole account) job is polled this often, whatever the
 * settings: the contract's "5 s for background/admin jobs". */
#define VIGIL_POLL_BACKGROUND_FLOOR_MS 5000
/* A job still waiting for a worker (it can wait minutes) is polled this
 * often, but never less often than max_ms allows. */
#define VIGIL_POLL_QUEUED_MS 5000
/* A server's Retry-After is honoured beyond max_ms, up to this ceiling, so
 * that a broken header can never stop polling for days. */
#define VIGIL_POLL_RETRY_AFTER_LIMIT_MS (60 * 60 * 1000)
/* A job's failed poll is retried this soon (or at its normal pace, when
 * sooner) while the rest of its server answers: one unlucky 500 must not
 * push a job's next poll out. The first probe of a failing server comes
 * this soon too. */
#define VIGIL_POLL_ERROR_RETRY_MS 1000
/* This many failed requests in a row, whichever jobs they were for, and the
 * server as a whole is failing (never fewer than max_retries). */
#define VIGIL_POLL_SERVER_FAILURES 5
/* While the server wants a sign-in, one request checks this often,
 * doubling up to the maximum. */
#define VIGIL_POLL_SIGN_IN_PROBE_MS     (30 * 1000)
#define VIGIL_POLL_SIGN_IN_PROBE_MAX_MS (60 * 1000)

/* How the server as a whole is doing: every request to it counts. */
typedef enum
{
  VIGIL_SERVER_HEALTH_OK,             /* it answers: each job is polled on its own */
  VIGIL_SERVER_HEALTH_FAILING,        /* requests keep failing: one probe at a time */
  VIGIL_SERVER_HEALTH_NOT_SIGNED_IN,  /* it wants a sign-in: one slow probe */
} VigilServerHealth;

/* The integration guide's settings: initialInterval, maxInterval,
 * maxErrorRetries, errorBackoffMultiplier. */
typedef struct
{
  guint  initial_ms;
  guint  max_ms;
  guint  max_retries;
  double multiplier;
} VigilPollSettings;

VigilPollSettings vigil_poll_settings_default    (void);  /* 1000 / 5000 / 3 / 2 */
VigilPollSettings vigil_poll_settings_production (void);  /* 3000 / 15000 / 5 / 1.5 */
VigilPollSettings vigil_poll_settings_background (void);  /* 5000 / 30000 / 3 / 2 */

/* What the poller knows about the job when it schedules the next poll. */
typedef struct
{
  double       age_seconds;     /* since the job was started (virtual seconds);
                                 * negative (VIGIL_UNKNOWN) when unknown */
  double       fraction;        /* 0..1 or VIGIL_UNKNOWN */
  VigilJobKind kind;
  gboolean     queued;          /* not yet picked up by a worker */
  guint        errors;          /* consecutive failed polls */
  double       eta_seconds;     /* >= 0 or VIGIL_UNKNOWN */
  gint64       retry_after_ms;  /* from a Retry-After header, -1 for none */
  gboolean     overdue;         /* the last poll was timed for the job's
                                 * predicted end, and it still runs */
} VigilPollInput;

/* Fills in the defaults: age 0, fraction and ETA unknown, kind unknown,
 * not queued, no errors, no Retry-After, not overdue. */
void vigil_poll_input_init (VigilPollInput *input);

/* The rule that chose the delay (for debug logs). */
typedef enum
{
  VIGIL_POLL_REASON_INITIAL,          /* first 10 s, or under 10 % (or unknown) */
  VIGIL_POLL_REASON_MIDDLE,           /* 10 % to 90 %, no ETA */
  VIGIL_POLL_REASON_MIDDLE_ETA,       /* 10 % to 90 %, the server tells the ETA */
  VIGIL_POLL_REASON_FINAL,            /* 90 % and over */
  VIGIL_POLL_REASON_BACKGROUND,       /* raised to the background floor */
  VIGIL_POLL_REASON_QUEUED,           /* waiting for a worker */
  VIGIL_POLL_REASON_BACKOFF,          /* failed polls, retrying soon */
  VIGIL_POLL_REASON_STALLED,          /* max_retries failed polls in a row */
  VIGIL_POLL_REASON_FINAL_APPROACH,   /* the job should end before the next poll */
  VIGIL_POLL_REASON_RETRY_AFTER,      /* the server asked to wait longer */
  VIGIL_POLL_REASON_PROBE,            /* the server is failing: its one probe */
  VIGIL_POLL_REASON_SIGN_IN,          /* not signed in: the one slow probe */
  VIGIL_POLL_REASON_EARLY_ETA,        /* under 10 %: a percent takes longer than initial */
  VIGIL_POLL_REASON_LEAD_IN,          /* the poll before the final approach */
} VigilPollReason;

/* What the poller should tell the job's tracking-state. */
typedef enum
{
  VIGIL_POLL_TRACKING_OK,
  VIGIL_POLL_TRACKING_RETRYING,  /* 1 .. max_retries-1 consecutive errors */
  VIGIL_POLL_TRACKING_STALLED,   /* max_retries or more: tell the user */
  VIGIL_POLL_TRACKING_SERVER_FAILING,  /* the whole server fails (a probe decision) */
  VIGIL_POLL_TRACKING_NOT_SIGNED_IN,   /* the server wants a sign-in (a probe decision) */
} VigilPollTracking;

typedef struct
{
  guint             delay_ms;
  VigilPollReason   reason;
  gboolean          stalled;
  VigilPollTracking tracking;
} VigilPollDecision;

const char        *vigil_poll_reason_to_string   (VigilPollReason          reason);

/* The next delay. A job "has a pace" when it is not queued and both its
 * fraction and its ETA are known (the server's eta_seconds, or Vigil's own
 * estimate). Rules, in order:
 *  1. progress: initial_ms in the first 10 s of a job without a pace, and
 *     below 10 % (or when the fraction is unknown); with a pace, below 10 %:
 *     the time one percent of the job takes (eta / (100 × (1 − fraction))),
 *     between initial_ms and 3 × initial_ms (EARLY_ETA when above
 *     initial_ms), and a young job past 10 % counts as the middle: the
 *     final approach (rule 4) catches an early end. From 10 % to 90 %:
 *     2 × initial_ms, 3 × with a pace (MIDDLE_ETA; the contract's 2–3 s);
 *     5 × initial_ms from 90 %; capped at max_ms.
 *  2. queued, after the job's first 10 s (rule 1 covers those):
 *     VIGIL_POLL_QUEUED_MS, capped at max_ms (max_ms is the caller's
 *     ceiling) and never below initial_ms.
 *  3. errors of the job's own polls (the poller asks this only while the
 *     rest of the server answers; a failing server is probed instead, see
 *     vigil_poll_policy_decide_probe()): 1 .. max_retries-1 consecutive
 *     errors retry after the delay of rule 1/2 but at most
 *     VIGIL_POLL_ERROR_RETRY_MS (RETRYING); max_retries or more: the same,
 *     and the user is told (STALLED). No growth: one unlucky 500 must not
 *     push a job's end out; the poller's in-flight limit bounds the cost
 *     of jobs that keep failing alone. Polling never stops.
 *  4. final approach (no errors, not queued, ETA known): when the job
 *     should end before the next poll, poll at eta + 250 ms, never sooner
 *     than initial_ms (for a background job that is not overdue: than
 *     1 s or initial_ms, whichever is sooner).
 *  4b. lead-in (not background, with a pace, no final approach yet): when
 *     the job should end before the poll after next, i.e. eta < delay +
 *     initial_ms + 250 ms, poll at eta − (initial_ms + 250 ms) instead
 *     (LEAD_IN), so that the final approach from there is short and the
 *     jitter moves it little; when that would be sooner than initial_ms,
 *     the final approach starts now (eta + 250 ms, at least initial_ms).
 *  5. background jobs without errors: every VIGIL_POLL_BACKGROUND_FLOOR_MS,
 *     whatever rules 1, 2 and the settings say (above max_ms too; not the
 *     10–25 s that the background preset's factors would give, or an end
 *     would be reported that late) — except the one final approach of a
 *     job that is not overdue: its end is reported when it comes.
 *  6. Retry-After: the delay is at least retry_after_ms, even above max_ms
 *     (up to VIGIL_POLL_RETRY_AFTER_LIMIT_MS).
 * Settings are sanitised first: initial_ms >= 1, max_ms >= initial_ms,
 * multiplier >= 1. An unknown (negative) age does not count as "young". */
VigilPollDecision  vigil_poll_policy_decide      (const VigilPollSettings *settings,
                                                  const VigilPollInput    *input);

/* Whether failures failed requests in a row (any job's) make the server
 * count as failing: at least VIGIL_POLL_SERVER_FAILURES and max_retries. */
gboolean           vigil_poll_policy_server_is_failing (const VigilPollSettings *settings,
                                                        guint                    failures);

/* The delay before the next probe of a server that is not OK, after
 * failed_probes probes that failed since it stopped answering:
 *  - FAILING: VIGIL_POLL_ERROR_RETRY_MS × multiplier^failed_probes, capped
 *    at max_ms (PROBE, tracking SERVER_FAILING, stalled);
 *  - NOT_SIGNED_IN: VIGIL_POLL_SIGN_IN_PROBE_MS doubling per failed probe,
 *    capped at VIGIL_POLL_SIGN_IN_PROBE_MAX_MS (SIGN_IN, NOT_SIGNED_IN);
 *  - then Retry-After as in rule 6.
 * OK is a programming error. */
VigilPollDecision  vigil_poll_policy_decide_probe (const VigilPollSettings *settings,
                                                   VigilServerHealth        health,
                                                   guint                    failed_probes,
                                                   gint64                   retry_after_ms);

/* delay_ms spread uniformly over ±amount (0.10 = ±10 %). amount <= 0
 * returns delay_ms unchanged without touching rand; rand may be NULL for
 * GLib's global generator. */
guint              vigil_poll_policy_jitter      (guint                    delay_ms,
                                                  double                   amount,
                                                  GRand                   *rand);

G_END_DECLS
