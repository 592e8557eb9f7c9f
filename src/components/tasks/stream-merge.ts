// Joins a task's stored stream chunks with the task_stream events heard since the page opened.
// Events carry no chunk id, so the overlap is found by matching the events' start against the
// loaded chunks' tail: the stored log is always a prefix of the stream, and the events a run of it.

export interface StreamPiece {
  attemptId: string;
  content: string;
}

export function mergeStream<T extends StreamPiece>(loaded: readonly T[], heard: readonly T[]): T[] {
  const longest = Math.min(loaded.length, heard.length);
  for (let overlap = longest; overlap > 0; overlap -= 1) {
    if (matchesTail(loaded, heard, overlap)) return [...loaded, ...heard.slice(overlap)];
  }
  return [...loaded, ...heard];
}

function matchesTail(loaded: readonly StreamPiece[], heard: readonly StreamPiece[], overlap: number): boolean {
  const start = loaded.length - overlap;
  for (let index = 0; index < overlap; index += 1) {
    const stored = loaded[start + index]!;
    const event = heard[index]!;
    if (stored.attemptId !== event.attemptId || stored.content !== event.content) return false;
  }
  return true;
}
