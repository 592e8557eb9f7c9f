// The chat page: the mesh chat full-screen, live through the shell's event stream (a posted
// message refreshes messages.list), with the command interface behind chat.send.
'use client';
import { useInfiniteQuery, useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useCallback, useLayoutEffect, useMemo, useRef, useState } from 'react';
import { DEFAULT_CHANNEL } from '@/lib/messages';
import { can, useMe, type Me } from '../shell/app-shell';
import { useTRPC } from '../trpc';
import { CommandHelp } from './command-help';
import { Composer, type InsertRequest } from './composer';
import { MessageBubble, type ChatMessage } from './message-bubble';
import { TaskTitlesProvider } from './task-titles';
import { useFillHeight } from './use-fill-height';
import styles from './chat.module.css';

const PAGE_SIZE = 50;
/** How close to the bottom still counts as "reading the newest" (new messages then scroll in). */
const STICK_THRESHOLD_PX = 96;

/** Who the signed-in principal posts as (the master token posts as the operator). */
function senderNameOf(me: Me): string {
  return me.kind === 'master' ? 'operator' : me.name;
}

export function ChatScreen() {
  const me = useMe();
  const screen = useRef<HTMLDivElement>(null);
  const commands = useRef<HTMLDetailsElement>(null);
  const [insert, setInsert] = useState<InsertRequest | null>(null);
  useFillHeight(screen);
  const pick = useCallback((text: string) => {
    setInsert((current) => ({ text, nonce: (current?.nonce ?? 0) + 1 }));
    if (commands.current) commands.current.open = false;
  }, []);

  return (
    <div ref={screen} className={styles.screen}>
      <header className={styles.bar}>
        <h1 className={styles.title}>Chat</h1>
        <span className="muted">#{DEFAULT_CHANNEL}</span>
        <details ref={commands} className={styles.commands}>
          <summary>Commands</summary>
          <div className={styles.commandsPanel}>
            <CommandHelp onPick={pick} />
          </div>
        </details>
      </header>
      {can(me, 'messages:read') ? <Conversation me={me} insert={insert} onPick={pick} /> : <p className="muted">This account may not read the chat (messages:read).</p>}
    </div>
  );
}

function Conversation({ me, insert, onPick }: { me: Me; insert: InsertRequest | null; onPick: (text: string) => void }) {
  const trpc = useTRPC();
  const agents = useQuery({ ...trpc.agents.list.queryOptions(), enabled: can(me, 'agents:read') });
  const queryClient = useQueryClient();
  const list = useRef<HTMLOListElement>(null);
  const stickToBottom = useRef(true);
  const keepOffsetFromBottom = useRef<number | null>(null);
  const [error, setError] = useState<string | null>(null);

  const messages = useInfiniteQuery(
    trpc.messages.list.infiniteQueryOptions({ channel: DEFAULT_CHANNEL, limit: PAGE_SIZE }, { getNextPageParam: (page) => page.nextCursor ?? undefined }),
  );
  const send = useMutation(trpc.chat.send.mutationOptions());

  // Pages come newest first; the conversation reads oldest first.
  const ordered = useMemo<ChatMessage[]>(() => {
    const seen = new Set<string>();
    const all: ChatMessage[] = [];
    for (const page of messages.data?.pages ?? []) {
      for (const message of page.messages) {
        if (seen.has(message.id)) continue;
        seen.add(message.id);
        all.push(message);
      }
    }
    return all.reverse();
  }, [messages.data]);
  const newestId = ordered.at(-1)?.id;

  useLayoutEffect(() => {
    const element = list.current;
    if (!element) return;
    if (keepOffsetFromBottom.current !== null) {
      // Earlier messages were added above: keep the one being read in place.
      element.scrollTop = element.scrollHeight - keepOffsetFromBottom.current;
      keepOffsetFromBottom.current = null;
    } else if (stickToBottom.current) {
      element.scrollTop = element.scrollHeight;
    }
  }, [ordered.length, newestId, send.isPending]);

  function onScroll() {
    const element = list.current;
    if (!element) return;
    stickToBottom.current = element.scrollHeight - element.scrollTop - element.clientHeight < STICK_THRESHOLD_PX;
  }

  function showEarlier() {
    const element = list.current;
    if (element) keepOffsetFromBottom.current = element.scrollHeight - element.scrollTop;
    void messages.fetchNextPage();
  }

  async function onSend(content: string): Promise<boolean> {
    setError(null);
    stickToBottom.current = true;
    try {
      await send.mutateAsync({ content, channel: DEFAULT_CHANNEL });
      // The live stream refreshes the list too; this covers a stream that is reconnecting.
      void queryClient.invalidateQueries(trpc.messages.list.pathFilter());
      return true;
    } catch (caught) {
      setError(caught instanceof Error ? caught.message : 'The message could not be sent.');
      return false;
    }
  }

  const mySender = senderNameOf(me);
  return (
    <>
      <TaskTitlesProvider texts={ordered.map((message) => message.content)} enabled={can(me, 'tasks:read')}>
      <ol ref={list} className={styles.messages} onScroll={onScroll} aria-label="Messages" aria-live="polite">
        {messages.hasNextPage ? (
          <li className={styles.earlier}>
            <button type="button" className="secondary" onClick={showEarlier} disabled={messages.isFetchingNextPage}>
              {messages.isFetchingNextPage ? 'Loading…' : 'Show earlier messages'}
            </button>
          </li>
        ) : null}
        {messages.error ? <li className="error">Messages could not be loaded: {messages.error.message}</li> : null}
        {messages.isPending ? <li className="muted">Loading messages…</li> : null}
        {messages.isSuccess && ordered.length === 0 ? (
          <li className={`card ${styles.empty}`}>
            <p>No messages yet. Ask the mesh anything, or try a command:</p>
            <CommandHelp onPick={onPick} />
          </li>
        ) : null}
        {ordered.map((message) => (
          <MessageBubble key={message.id} message={message} mine={message.senderType !== 'system' && message.sender === mySender} />
        ))}
        {send.isPending ? (
          <li className={`muted ${styles.working}`} role="status">
            hub is answering…
          </li>
        ) : null}
      </ol>
      </TaskTitlesProvider>
      {can(me, 'messages:write') ? (
        <Composer onSend={onSend} sending={send.isPending} error={error} agents={agents.data ?? []} insert={insert} />
      ) : (
        <p className={`muted ${styles.readOnly}`}>This account can read the chat but not send to it (messages:write).</p>
      )}
    </>
  );
}
