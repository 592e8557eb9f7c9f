// Finished results that could not reach the hub wait here on disk, one file each, and are
// delivered on reconnect. Reports carry an idempotency key, so a result delivered twice (the
// hub took it but the answer was lost) still counts once.
import fs from 'node:fs';
import path from 'node:path';

export interface PendingReport {
  taskId: string;
  attemptId: string;
  status: 'done' | 'failed';
  output?: string;
  error?: string;
  usage?: { model: string; inputTokens: number; outputTokens: number; costUsd?: number };
  idempotencyKey: string;
}

export class Outbox {
  constructor(private readonly directory: string) {
    fs.mkdirSync(directory, { recursive: true, mode: 0o700 });
  }

  save(report: PendingReport): void {
    const file = path.join(this.directory, `${report.idempotencyKey}.json`);
    const temporary = `${file}.tmp`;
    // Written then renamed, so a crash never leaves half a result.
    fs.writeFileSync(temporary, JSON.stringify(report), { mode: 0o600 });
    fs.renameSync(temporary, file);
  }

  pending(): PendingReport[] {
    return fs
      .readdirSync(this.directory)
      .filter((name) => name.endsWith('.json'))
      .sort()
      .flatMap((name) => {
        try {
          return [JSON.parse(fs.readFileSync(path.join(this.directory, name), 'utf8')) as PendingReport];
        } catch {
          return [];
        }
      });
  }

  remove(idempotencyKey: string): void {
    fs.rmSync(path.join(this.directory, `${idempotencyKey}.json`), { force: true });
  }
}
