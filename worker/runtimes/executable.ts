// Finds the program a process runtime would start, the way spawn does (a path as given, a bare
// name on PATH), so the worker can refuse at start instead of failing every task it claims.
import fs from 'node:fs';
import path from 'node:path';

function isExecutableFile(file: string): boolean {
  try {
    if (!fs.statSync(file).isFile()) return false;
    fs.accessSync(file, fs.constants.X_OK);
    return true;
  } catch {
    return false;
  }
}

/** The file spawn would run for `program`, or null when there is none it may execute. */
export function findExecutable(program: string, env: Readonly<Record<string, string | undefined>> = process.env, cwd = process.cwd()): string | null {
  if (program.includes('/')) {
    const file = path.resolve(cwd, program);
    return isExecutableFile(file) ? file : null;
  }
  for (const dir of (env.PATH ?? '').split(path.delimiter)) {
    if (!dir) continue;
    const file = path.join(path.resolve(cwd, dir), program);
    if (isExecutableFile(file)) return file;
  }
  return null;
}

/** One line saying why `program` cannot run, or null when it can. */
export function missingProgramProblem(runtime: string, program: string, hint: string, env?: Readonly<Record<string, string | undefined>>, cwd?: string): string | null {
  if (findExecutable(program, env, cwd)) return null;
  const where = program.includes('/') ? 'is not an executable file' : 'is not on PATH';
  return `the ${runtime} runtime runs "${program}", which ${where}; ${hint}`;
}
