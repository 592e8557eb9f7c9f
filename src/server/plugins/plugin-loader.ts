// Finds the plugin modules in MESH_PLUGINS_DIR: one plugin per file (.js, .mjs, .cjs; .ts and
// .mts too when the hub runs under tsx), named after the file, exporting `setup(manager)` (or a
// default export holding it). A file that cannot be imported, or exports no setup, becomes a
// failed plugin with the reason: it is listed for the admin, and the hub starts regardless.
import fs from 'node:fs';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { pluginNameSchema } from '@/lib/plugins';
import type { Plugin } from './plugin-api';
import { describePluginError } from './strip-paths';

export const PLUGIN_FILE_EXTENSIONS = ['.js', '.mjs', '.cjs', '.ts', '.mts'];

export type DirectoryPlugin = { name: string; plugin: Plugin; error?: undefined } | { name: string; plugin?: undefined; error: string };

export async function loadPluginDirectory(directory: string, log: (line: string) => void): Promise<DirectoryPlugin[]> {
  let entries: fs.Dirent[];
  try {
    entries = fs.readdirSync(directory, { withFileTypes: true });
  } catch {
    // The folder is the operator's setting: say which setting, not where it points.
    log('plugins: MESH_PLUGINS_DIR cannot be read; no plugins loaded from it');
    return [];
  }
  const files = entries
    .filter((entry) => (entry.isFile() || entry.isSymbolicLink()) && PLUGIN_FILE_EXTENSIONS.includes(path.extname(entry.name)))
    .map((entry) => entry.name)
    .sort();
  const loaded: DirectoryPlugin[] = [];
  for (const file of files) {
    const name = path.basename(file, path.extname(file)).toLowerCase();
    if (!pluginNameSchema.safeParse(name).success) {
      log(`plugins: skipped a file whose name is not a plugin name ([a-z][a-z0-9_-]{0,63}): ${JSON.stringify(name.slice(0, 64))}`);
      continue;
    }
    if (loaded.some((plugin) => plugin.name === name)) {
      loaded.push({ name, error: 'two plugin files have this name' });
      continue;
    }
    try {
      const module = (await import(pathToFileURL(path.join(directory, file)).href)) as { setup?: unknown; default?: { setup?: unknown } | ((...args: unknown[]) => unknown) };
      const setup = typeof module.setup === 'function' ? module.setup : typeof module.default === 'object' && typeof module.default?.setup === 'function' ? module.default.setup : null;
      if (!setup) {
        loaded.push({ name, error: 'the module exports no setup(manager) function' });
        continue;
      }
      loaded.push({ name, plugin: { name, setup: setup as Plugin['setup'] } });
    } catch (error) {
      loaded.push({ name, error: `the module could not be loaded: ${describePluginError(error)}` });
    }
  }
  return loaded;
}
