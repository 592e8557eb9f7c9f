// Compiles the hub's own TypeScript for production: server.ts (with src/server and the generated
// Prisma client), the worker, the operator CLI and the admin CLI, bundled by esbuild into dist/
// as ESM for Node 20, so nothing has to transpile at run time (`tsx` is for development and
// tests). node_modules stay external: Node loads them as installed, and Next, Prisma's runtime
// and better-sqlite3's native addon keep finding their own files.
//   node scripts/build-server.mjs          (part of `npm run build`)
// Plain JavaScript so that `npm start` can build it without tsx.
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

const projectRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');

/** Output file (under dist/, without .js) → source, relative to the project root. */
export const SERVER_ENTRY_POINTS = {
  server: 'server.ts',
  'worker/main': 'worker/main.ts',
  'daemon/mesh': 'daemon/mesh.ts',
  'scripts/admin': 'scripts/admin.ts',
};

/** Written after a successful build: when it started and the source files it was made from (scripts/lib/build-if-stale.mjs). */
export const SERVER_BUILD_MANIFEST = 'dist/build-inputs.json';

export async function buildServer(root = projectRoot) {
  // A devDependency, loaded here so that only building needs it (the image prunes it).
  const esbuild = await import('esbuild');
  const outdir = path.join(root, 'dist');
  // Built next to dist/ (same depth, so source map paths hold) and swapped in when complete: a
  // failed build leaves the previous one, and a hub starting meanwhile never sees half a dist/.
  const building = path.join(root, `.dist-building-${process.pid}`);
  // Sources edited while the build runs must count as newer than it.
  const startedAt = Date.now();
  fs.rmSync(building, { recursive: true, force: true });
  try {
    await compile(esbuild, root, building, startedAt);
  } catch (error) {
    fs.rmSync(building, { recursive: true, force: true });
    throw error;
  }
  fs.rmSync(outdir, { recursive: true, force: true });
  fs.renameSync(building, outdir);
  return { inputs: JSON.parse(fs.readFileSync(path.join(root, SERVER_BUILD_MANIFEST), 'utf8')).inputs };
}

async function compile(esbuild, root, outdir, startedAt) {
  const result = await esbuild.build({
    absWorkingDir: root,
    entryPoints: Object.fromEntries(Object.entries(SERVER_ENTRY_POINTS).map(([out, source]) => [out, path.join(root, source)])),
    outdir,
    bundle: true,
    // Shared code (src/lib, the hub) goes into chunks the entry points import, not four copies.
    splitting: true,
    chunkNames: 'chunks/[name]-[hash]',
    format: 'esm',
    platform: 'node',
    target: 'node20',
    // Every bare import (`next`, `@prisma/client/runtime/...`, `better-sqlite3`) stays an import of
    // the installed package. The tsconfig `@/` alias is resolved before this applies, so `@/lib/x`
    // is bundled like any relative import.
    packages: 'external',
    tsconfig: path.join(root, 'tsconfig.json'),
    sourcemap: true,
    // Source maps are only read with `node --enable-source-maps` (worth it when debugging a stack).
    sourcesContent: false,
    legalComments: 'none',
    logLevel: 'warning',
    metafile: true,
  });
  const inputs = Object.keys(result.metafile.inputs)
    .filter((input) => !input.includes('node_modules/'))
    .sort();
  fs.writeFileSync(path.join(outdir, path.basename(SERVER_BUILD_MANIFEST)), `${JSON.stringify({ startedAt, inputs }, null, 1)}\n`);
}

if (process.argv[1] && import.meta.url === pathToFileURL(path.resolve(process.argv[1])).href) {
  const started = Date.now();
  try {
    const { inputs } = await buildServer();
    console.log(`[m3shd] compiled the hub, worker and CLIs into dist/ (${inputs.length} sources, ${Date.now() - started} ms)`);
  } catch {
    // esbuild has printed the errors.
    process.exit(1);
  }
}
