// A task's streamed output, live: the stored chunks are loaded, then every task_stream event for
// this task heard through the shell's subscription is appended (mergeStream drops any event the
// load already held). Attempts are separated so a retry's output is told apart.
'use client';
import { useQuery } from '@tanstack/react-query';
import { Fragment, useEffect, useMemo, useRef, useState } from 'react';
import { LIMITS } from '@/lib/limits';
import { useLiveEvents } from '../shell/live-events';
import { useTRPCClient } from '../trpc';
import { mergeStream, type StreamPiece } from './stream-merge';
import styles from './task-detail.module.css';

/** Pages of the stored log fetched at most (500 chunks each) before showing what arrived. */
const MAX_PAGES = 40;

interface Loaded {
  chunks: StreamPiece[];
  truncatedBefore: boolean;
  /** How many events had been heard when this load started: those are all in `chunks`. */
  heardBefore: number;
}

export function TaskStream({
  taskId,
  status,
  attemptNumbers,
  finalOutput = null,
}: {
  taskId: string;
  status: string;
  attemptNumbers: ReadonlyMap<string, number>;
  /** The task's final output: a stream that says exactly the same is not shown a second time. */
  finalOutput?: string | null;
}) {
  const live = status === 'running';
  const client = useTRPCClient();
  const { listen } = useLiveEvents();
  const [heard, setHeard] = useState<StreamPiece[]>([]);
  const heardCount = useRef(0);
  const [heardTruncation, setHeardTruncation] = useState(false);
  const box = useRef<HTMLPreElement>(null);
  const pinnedToEnd = useRef(true);

  // Listening starts before the load so nothing streamed in between is missed. (The parent keys
  // this component by task, so `heard` never mixes two tasks.)
  useEffect(() => {
    return listen((event) => {
      if (event.type !== 'task_stream' || event.payload.taskId !== taskId) return;
      const { attemptId, content, truncatedBefore } = event.payload;
      heardCount.current += 1;
      setHeard((current) => [...current, { attemptId, content }]);
      if (truncatedBefore) setHeardTruncation(true);
    });
  }, [listen, taskId]);

  // Kept out of the tasks.* query keys: the shell refreshes those on every task event, and the
  // log can be megabytes; events keep it current instead. A resync (events lost) reloads it.
  const stored = useQuery({
    queryKey: ['task-stream-log', taskId],
    staleTime: 0,
    gcTime: 0,
    queryFn: async (): Promise<Loaded> => {
      const heardBefore = heardCount.current;
      const chunks: StreamPiece[] = [];
      let truncatedBefore = false;
      let afterChunkId: number | undefined;
      for (let page = 0; page < MAX_PAGES; page += 1) {
        const result = await client.tasks.chunks.query({ taskId, afterChunkId, limit: LIMITS.listRows });
        truncatedBefore = result.truncatedBefore;
        chunks.push(...result.chunks.map(({ attemptId, content }) => ({ attemptId, content })));
        const last = result.chunks[result.chunks.length - 1];
        if (!last || result.chunks.length < LIMITS.listRows) break;
        afterChunkId = last.id;
      }
      return { chunks, truncatedBefore, heardBefore };
    },
  });

  const pieces = useMemo(() => (stored.data ? mergeStream(stored.data.chunks, heard.slice(stored.data.heardBefore)) : heard), [stored.data, heard]);

  useEffect(() => {
    const element = box.current;
    if (element && pinnedToEnd.current) element.scrollTop = element.scrollHeight;
  }, [pieces]);

  const truncated = stored.data?.truncatedBefore || heardTruncation;
  const showAttempts = new Set(pieces.map((piece) => piece.attemptId)).size > 1;

  if (!live && finalOutput !== null && pieces.length > 0 && !truncated && sameText(pieces, finalOutput)) return null;

  return (
    <section className={`card ${styles.section}`} aria-labelledby="stream-title">
      <h2 id="stream-title" className={styles.sectionTitle}>
        {live ? 'Live output' : 'Streamed output'} {live ? <span className={styles.liveDot}>streaming</span> : null}
      </h2>
      {stored.error ? <p className="error">{stored.error.message}</p> : null}
      {truncated ? <p className="muted">Earlier output was dropped at the hub’s {LIMITS.taskStreamLogBytes / (1024 * 1024)} MB stream log limit.</p> : null}
      {pieces.length === 0 ? (
        <p className="muted">{stored.isPending ? 'Loading…' : emptyStreamNote(status)}</p>
      ) : (
        <pre
          ref={box}
          className={styles.stream}
          data-testid="task-stream"
          aria-live="polite"
          onScroll={(event) => {
            const element = event.currentTarget;
            pinnedToEnd.current = element.scrollHeight - element.scrollTop - element.clientHeight < 24;
          }}
        >
          {pieces.map((piece, index) => (
            <Fragment key={index}>
              {showAttempts && piece.attemptId !== pieces[index - 1]?.attemptId ? (
                <span className={styles.attemptMark}>── attempt {attemptNumbers.get(piece.attemptId) ?? '?'} ──{'\n'}</span>
              ) : null}
              {piece.content}
            </Fragment>
          ))}
        </pre>
      )}
    </section>
  );
}

function emptyStreamNote(status: string): string {
  if (status === 'running') return 'Waiting for the worker’s first output…';
  if (status === 'queued' || status === 'assigned') return 'No output yet: no worker has started the task.';
  return 'Nothing was streamed.';
}

/** The streamed pieces say what the output says (ignoring surrounding whitespace). */
function sameText(pieces: readonly StreamPiece[], output: string): boolean {
  return pieces.map((piece) => piece.content).join('').trim() === output.trim();
}
