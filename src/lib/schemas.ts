// zod building blocks shared by every door (tRPC, REST, worker, MCP): limits are enforced
// here so an over-limit value is refused before anything is written.
import { z } from 'zod';
import { LIMITS, describeLimit, utf8Bytes, type LimitName } from './limits';
import { AGENT_ID_PATTERN } from './ids';

/** A string bounded by one of LIMITS' byte limits; the issue carries the limit's name. */
export function boundedText(limit: LimitName & `${string}Bytes`) {
  return z.string().superRefine((value, ctx) => {
    if (utf8Bytes(value) > LIMITS[limit]) {
      ctx.addIssue({
        code: 'custom',
        message: `exceeds the ${describeLimit(limit)} limit (${limit})`,
        params: { limit },
      });
    }
  });
}

export const agentIdSchema = z
  .string()
  .regex(AGENT_ID_PATTERN, 'must match [a-z0-9-]{1,64}');

export const listLimitSchema = z.number().int().min(1).max(LIMITS.listRows).default(100);
