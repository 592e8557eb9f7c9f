// Built-in `memory_enhance`: the calling agent searches its own memory from within a task (the
// same blind-index search as memory.search). Only agents have a memory, so a user or the master
// token calling the tool is refused; an agent never reads another agent's entries through it.
import { memoryEnhanceArgs } from '@/lib/plugins';
import type { MemoryService } from '../../memory/memory-service';
import { ToolError, type Plugin } from '../plugin-api';

export function memoryEnhancePlugin(options: { memory: Pick<MemoryService, 'searchForAgent'> }): Plugin {
  return {
    name: 'memory_enhance',
    setup(manager) {
      manager.declareCapability('memory_enhance', "searches the calling agent's own memory");
      manager.registerTool({
        name: 'memory_enhance',
        description: 'Searches what you (the calling agent) have remembered. Arguments: {"query": "words to look for", "limit": 1-20 (default 5)}. Whole words match; the best matches come first.',
        args: memoryEnhanceArgs,
        async run(args, context) {
          if (!context.agentId) throw new ToolError('forbidden', 'memory_enhance searches an agent’s own memory: call it with an agent token');
          const hits = await options.memory.searchForAgent(context.agentId, args.query, args.limit);
          const text = hits.length === 0 ? 'No remembered facts match.' : hits.map((hit) => `- ${hit.key}: ${hit.value}`).join('\n');
          return { text, data: { matches: hits.map((hit) => ({ key: hit.key, value: hit.value, confidence: hit.confidence, score: hit.score })) } };
        },
      });
    },
  };
}
