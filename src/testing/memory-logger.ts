// A real hub logger (pino, the hub's redaction) writing into memory, for tests that read what the hub logs.
import { Writable } from 'node:stream';
import { createHubLogger, type HubLogger } from '../server/logging/logger';

export interface MemoryLogger {
  logger: HubLogger;
  /** Every line written so far, parsed. */
  lines: Record<string, any>[];
  /** The raw text of every line. */
  raw: string[];
}

export function memoryLogger(level: 'info' | 'debug' | 'warn' = 'info'): MemoryLogger {
  const lines: Record<string, any>[] = [];
  const raw: string[] = [];
  const destination = new Writable({
    write(chunk, _encoding, done) {
      for (const line of String(chunk).split('\n').filter(Boolean)) {
        raw.push(line);
        lines.push(JSON.parse(line) as Record<string, any>);
      }
      done();
    },
  });
  return { logger: createHubLogger({ logLevel: level, logFormat: 'json' }, destination), lines, raw };
}
