// Where the CLI writes: results on stdout (so they can be piped or captured), notes and errors
// on stderr. Writes are tracked so the process exits only after they reach the pipe.
export interface Output {
  /** A result line on stdout. */
  line(text?: string): void;
  /** A note for the person at the terminal, on stderr. */
  note(text: string): void;
  /** Resolves when everything written so far has been handed to the OS. */
  flush(): Promise<void>;
}

export function processOutput(stdout: NodeJS.WritableStream = process.stdout, stderr: NodeJS.WritableStream = process.stderr): Output {
  const pending = new Set<Promise<void>>();
  const write = (stream: NodeJS.WritableStream, text: string) => {
    const written = new Promise<void>((resolve) => stream.write(text, () => resolve()));
    pending.add(written);
    void written.then(() => pending.delete(written));
  };
  return {
    line: (text = '') => write(stdout, `${text}\n`),
    note: (text) => write(stderr, `${text}\n`),
    flush: async () => {
      await Promise.all([...pending]);
    },
  };
}
