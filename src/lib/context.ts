// Input schemas of the context.* procedures: the mesh's shared key-value store.
import { z } from 'zod';
import { boundedText } from './schemas';

export const contextKeySchema = z
  .string()
  .min(1)
  .max(128)
  .regex(/^[A-Za-z0-9._:-]+$/, 'may contain only letters, digits, dot, underscore, colon and dash');

export const contextGetInput = z.object({ key: contextKeySchema });
export const contextSetInput = z.object({ key: contextKeySchema, value: boundedText('messageBytes') });
export const contextDeleteInput = z.object({ key: contextKeySchema });
