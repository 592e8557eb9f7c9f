// The MCP tool set against the router it fronts: the spec's 17 names, each tool's declared
// permission is the one its procedures check, and a tool that forwards to one procedure shows
// that procedure's own input schema.
import { describe, expect, it } from 'vitest';
import { LIMITS } from '../../lib/limits';
import { appRouter } from '../routers';
import type { ProcedureMeta } from '../trpc';
import { parseToolInput, ToolInputError } from './tool-errors';
import { MESH_TOOLS, resultText, toolInputJsonSchema } from './tools';
import { z } from 'zod';

const SPEC_TOOLS = [
  'mesh_status',
  'list_agents',
  'create_task',
  'get_task',
  'list_tasks',
  'wait_for_task',
  'cancel_task',
  'create_pipeline',
  'list_templates',
  'dispatch_template',
  'send_chat',
  'read_chat',
  'get_context',
  'set_context',
  'list_approvals',
  'decide_approval',
  'search_memory',
];

type RouterProcedure = { _def: { type: string; meta?: ProcedureMeta; inputs: unknown[] } };
const routerProcedures = appRouter._def.procedures as unknown as Record<string, RouterProcedure>;

/** Tools whose schema is built from their procedure's (extra fields, or a field made optional) or that take nothing. */
const OWN_SCHEMAS = new Set(['mesh_status', 'list_agents', 'list_templates', 'wait_for_task', 'get_context', 'decide_approval']);

describe('the MCP tools', () => {
  it('are the 17 tools of the spec, each described and taking a JSON object', () => {
    expect(MESH_TOOLS.map((tool) => tool.name)).toEqual(SPEC_TOOLS);
    for (const tool of MESH_TOOLS) {
      expect(tool.description.length, tool.name).toBeGreaterThan(60);
      const schema = toolInputJsonSchema(tool);
      expect(schema.type, tool.name).toBe('object');
      expect(schema).not.toHaveProperty('$schema');
    }
  });

  it('declare the permission their procedures check', () => {
    for (const tool of MESH_TOOLS) {
      for (const path of tool.procedures) {
        const procedure = routerProcedures[path];
        expect(procedure, `${tool.name}: ${path}`).toBeDefined();
        const access = procedure!._def.meta!.access;
        if (tool.permission === 'any') {
          // mesh_status: any token; the sections it may not read are noted, not failed.
          if (path === tool.procedures[0]) expect(access.kind).toBe('authenticated');
        } else {
          expect(access, `${tool.name}: ${path}`).toEqual({ kind: 'permission', permission: tool.permission });
        }
      }
    }
  });

  it('show the input schema of the procedure they call', () => {
    for (const tool of MESH_TOOLS) {
      if (OWN_SCHEMAS.has(tool.name)) continue;
      expect(tool.procedures, tool.name).toHaveLength(1);
      expect(routerProcedures[tool.procedures[0]!]!._def.inputs[0], tool.name).toBe(tool.inputSchema);
    }
  });

  it('say which field of their own arguments is wrong', () => {
    const schema = z.object({ timeoutSeconds: z.number().int().max(600) });
    expect(() => parseToolInput(schema, { timeoutSeconds: 601 })).toThrow(ToolInputError);
    expect(() => parseToolInput(schema, { timeoutSeconds: 601 })).toThrow(/^timeoutSeconds: /);
    expect(() => parseToolInput(z.object({}).strict(), { extra: 1 })).toThrow(/extra/);
  });

  it('cut an answer past the result limit, saying so', () => {
    const small = resultText({ ok: true });
    expect(small).toBe('{"ok":true}');
    const big = resultText({ rows: 'x'.repeat(LIMITS.mcpResultBytes * 2) });
    expect(big.length).toBeLessThan(LIMITS.mcpResultBytes + 200);
    expect(big).toMatch(/\[answer cut at 48 KB: ask for fewer rows/);
  });
});
