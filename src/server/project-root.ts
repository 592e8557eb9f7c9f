// The project's root folder (the one with package.json, prisma/ and .next/), found from this
// module's own location: the same answer whether it runs as TypeScript under tsx or compiled into
// dist/ (where import.meta.url is the bundle's file), and independent of the working directory.
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

export function findProjectRoot(from: string = path.dirname(fileURLToPath(import.meta.url))): string {
  for (let directory = path.resolve(from); ; directory = path.dirname(directory)) {
    if (fs.existsSync(path.join(directory, 'package.json')) && fs.existsSync(path.join(directory, 'prisma'))) return directory;
    if (path.dirname(directory) === directory) throw new Error(`no project root (package.json and prisma/) above ${from}`);
  }
}
