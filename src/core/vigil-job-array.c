/* vigil-job-array.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include "vigil-job-array.h"

struct _VigilJobArray
{
  GObject    parent_instance;

  GPtrArray *jobs;   /* VigilJob, owned */
};

static void vigil_job_array_model_init (GListModelInterface *iface);

G_DEFINE_FINAL_TYPE_WITH_CODE (VigilJobArray, vigil_job_array, G_TYPE_OBJECT,
                               G_IMPLEMENT_INTERFACE (G_TYPE_LIST_MODEL, vigil_job_array_model_init))

/* ------------------------------------------------------------------ */
/* GListModel                                                          */
/* ------------------------------------------------------------------ */

static GType
vigil_job_array_get_item_type (GListModel *model)
{
  return VIGIL_TYPE_JOB;
}

/* g_list_model_get_item() checked the type: no cast check here (a list of
 * ten thousand jobs is walked on every poll round) */
static guint
vigil_job_array_get_n_items (GListModel *model)
{
  return ((VigilJobArray *) model)->jobs->len;
}

static gpointer
vigil_job_array_get_item (GListModel *model,
                          guint       position)
{
  VigilJobArray *self = (VigilJobArray *) model;

  if (position >= self->jobs->len)
    return NULL;
  return g_object_ref (g_ptr_array_index (self->jobs, position));
}

static void
vigil_job_array_model_init (GListModelInterface *iface)
{
  iface->get_item_type = vigil_job_array_get_item_type;
  iface->get_n_items = vigil_job_array_get_n_items;
  iface->get_item = vigil_job_array_get_item;
}

/* ------------------------------------------------------------------ */
/* GObject                                                             */
/* ------------------------------------------------------------------ */

static void
vigil_job_array_finalize (GObject *object)
{
  VigilJobArray *self = VIGIL_JOB_ARRAY (object);

  g_ptr_array_unref (self->jobs);

  G_OBJECT_CLASS (vigil_job_array_parent_class)->finalize (object);
}

static void
vigil_job_array_class_init (VigilJobArrayClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->finalize = vigil_job_array_finalize;
}

static void
vigil_job_array_init (VigilJobArray *self)
{
  self->jobs = g_ptr_array_new_with_free_func (g_object_unref);
}

/* ------------------------------------------------------------------ */
/* Public API                                                          */
/* ------------------------------------------------------------------ */

VigilJobArray *
vigil_job_array_new (void)
{
  return g_object_new (VIGIL_TYPE_JOB_ARRAY, NULL);
}

void
vigil_job_array_append (VigilJobArray *self,
                        VigilJob      *job)
{
  g_return_if_fail (VIGIL_IS_JOB_ARRAY (self));
  g_return_if_fail (VIGIL_IS_JOB (job));

  g_ptr_array_add (self->jobs, g_object_ref (job));
  g_list_model_items_changed (G_LIST_MODEL (self), self->jobs->len - 1, 0, 1);
}

void
vigil_job_array_remove (VigilJobArray *self,
                        guint          position)
{
  g_return_if_fail (VIGIL_IS_JOB_ARRAY (self));
  g_return_if_fail (position < self->jobs->len);

  g_ptr_array_remove_index (self->jobs, position);
  g_list_model_items_changed (G_LIST_MODEL (self), position, 1, 0);
}

void
vigil_job_array_remove_all (VigilJobArray *self)
{
  guint n;

  g_return_if_fail (VIGIL_IS_JOB_ARRAY (self));

  n = self->jobs->len;
  if (n == 0)
    return;
  g_ptr_array_set_size (self->jobs, 0);
  g_list_model_items_changed (G_LIST_MODEL (self), 0, n, 0);
}

void
vigil_job_array_reannounce (VigilJobArray *self,
                            guint          position)
{
  g_return_if_fail (VIGIL_IS_JOB_ARRAY (self));
  g_return_if_fail (position < self->jobs->len);

  g_list_model_items_changed (G_LIST_MODEL (self), position, 1, 1);
}

gboolean
vigil_job_array_find (VigilJobArray *self,
                      VigilJob      *job,
                      guint         *position)
{
  g_return_val_if_fail (VIGIL_IS_JOB_ARRAY (self), FALSE);

  return g_ptr_array_find (self->jobs, job, position);
}
