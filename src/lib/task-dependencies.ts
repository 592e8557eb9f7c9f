// A task's parents in tasks.create / tasks.createMany (spec section 15). Its own module so the
// tasks.* schemas can use it without importing the pipeline schemas built on them.
import { z } from 'zod';

/** Parents one task may name. */
export const MAX_DEPENDENCIES = 20;
const taskIdRef = z.string().min(1).max(64);

/**
 * A task's parents: task ids, and in tasks.createMany also the index (0-based) of another task of
 * the same call. An index may point forwards as well as back, so a cycle can be written; the
 * engine refuses it (400 naming the task) before anything is stored.
 */
export const dependsOnSchema = z
  .array(z.union([taskIdRef, z.number().int().min(0)]))
  .max(MAX_DEPENDENCIES, `at most ${MAX_DEPENDENCIES} parents`)
  .refine((refs) => new Set(refs).size === refs.length, 'names a parent twice');

export type DependencyRef = z.infer<typeof dependsOnSchema>[number];

