// A GET's query string as a procedure's input. Query values are strings; the procedure's own zod
// schema says which fields are numbers, booleans or lists, and only those are converted (a
// value that does not look like one is passed on as it is, so the schema's error names the
// field). The schemas themselves are only read, never changed.
import type { z } from 'zod';
import { appRouter } from '../routers';

type AnySchema = z.core.$ZodType;

interface ProcedureLike {
  _def: { inputs: AnySchema[] };
}

/** The input schema a procedure declares (undefined for one that takes none). */
export function procedureInputSchema(procedure: string): AnySchema | undefined {
  // At run time the router keeps a flat record of dotted paths (its type is the nested tree).
  const found = (appRouter._def.procedures as unknown as Record<string, ProcedureLike | undefined>)[procedure];
  if (!found) throw new Error(`REST route names an unknown procedure: ${procedure}`);
  return found._def.inputs[0];
}

/** Strips optional, nullable, default and pipes down to the schema that parses the raw value. */
export function unwrapSchema(schema: AnySchema | undefined): AnySchema | undefined {
  let current = schema;
  for (let depth = 0; current && depth < 16; depth += 1) {
    const def = current._zod.def as { type: string; innerType?: AnySchema; in?: AnySchema };
    if (def.innerType && ['optional', 'nullable', 'default', 'prefault', 'readonly', 'catch', 'nonoptional'].includes(def.type)) current = def.innerType;
    else if (def.type === 'pipe' && def.in) current = def.in;
    else return current;
  }
  return current;
}

/** The object schema's fields, when the input is an object. */
export function objectShape(schema: AnySchema | undefined): Record<string, AnySchema> | undefined {
  const unwrapped = unwrapSchema(schema);
  const def = unwrapped?._zod.def as { type: string; shape?: Record<string, AnySchema> } | undefined;
  return def?.type === 'object' ? def.shape : undefined;
}

export function queryToInput(query: URLSearchParams, schema: AnySchema | undefined): Record<string, unknown> {
  const shape = objectShape(schema) ?? {};
  const input: Record<string, unknown> = {};
  for (const key of new Set(query.keys())) {
    const values = query.getAll(key);
    const kind = (unwrapSchema(shape[key])?._zod.def as { type: string } | undefined)?.type;
    if (kind === 'array') {
      const element = unwrapSchema((unwrapSchema(shape[key])!._zod.def as unknown as { element: AnySchema }).element);
      const items = values.flatMap((value) => value.split(',')).filter((value) => value !== '');
      input[key] = items.map((item) => convert(item, (element?._zod.def as { type: string } | undefined)?.type));
    } else {
      input[key] = convert(values[values.length - 1]!, kind);
    }
  }
  return input;
}

function convert(value: string, kind: string | undefined): unknown {
  if (kind === 'number' && /^-?\d+(\.\d+)?$/.test(value)) return Number(value);
  if (kind === 'boolean' && (value === 'true' || value === 'false')) return value === 'true';
  return value;
}
