// The built-in plugins (spec 17), in the order they are set up. Each is a Plugin like any in
// MESH_PLUGINS_DIR, given the hub services it needs here.
import type { HubConfig } from '../../config';
import type { ModelGateway } from '../../llm/gateway';
import type { MemoryService } from '../../memory/memory-service';
import type { AlertService } from '../../services/alert-service';
import type { Plugin } from '../plugin-api';
import { fileSummaryPlugin } from './file-summary';
import { memoryEnhancePlugin } from './memory-enhance';
import { notifyPlugin } from './notify';
import { webSearchPlugin } from './web-search';

export interface BuiltinPluginDeps {
  config: Pick<HubConfig, 'searchUrl' | 'filesRoot' | 'fileSummaryMaxBytes' | 'notifyPerHour'>;
  alerts: Pick<AlertService, 'notify'>;
  llm: Pick<ModelGateway, 'configured' | 'complete'>;
  memory: Pick<MemoryService, 'searchForAgent'>;
}

export function builtinPlugins(deps: BuiltinPluginDeps): Plugin[] {
  return [
    webSearchPlugin({ searchUrl: deps.config.searchUrl }),
    fileSummaryPlugin({ filesRoot: deps.config.filesRoot, maxBytes: deps.config.fileSummaryMaxBytes, llm: deps.llm }),
    notifyPlugin({ alerts: deps.alerts, perHour: deps.config.notifyPerHour }),
    memoryEnhancePlugin({ memory: deps.memory }),
  ];
}
