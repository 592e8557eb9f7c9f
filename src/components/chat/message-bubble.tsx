// One chat message: a bubble tinted in its sender's colour, the operator's own on the right. A
// note (a message starting with #) is marked as one and shown without its #. A long message is
// collapsed to a few lines with "Show more".
'use client';
import { useState, type CSSProperties } from 'react';
import { CHAT_NOTE_PREFIX, isChatNote } from '@/lib/chat-commands';
import type { SenderType } from '@/lib/messages';
import { MessageText } from './message-text';
import { TimeStamp } from '../time/time-stamp';
import { senderColour } from './sender-colors';
import styles from './chat.module.css';

export interface ChatMessage {
  id: string;
  ts: string;
  sender: string;
  senderType: SenderType;
  content: string;
}

/** Past either, a message starts collapsed. */
const LONG_CHARS = 1_200;
const LONG_LINES = 20;

export function isLongMessage(content: string): boolean {
  return content.length > LONG_CHARS || content.split('\n').length > LONG_LINES;
}


export function MessageBubble({ message, mine, sending = false }: { message: ChatMessage; mine: boolean; sending?: boolean }) {
  const [expanded, setExpanded] = useState(false);
  // Only people post notes (through chat.send); an agent's reply may well start with a markdown heading.
  const note = message.senderType === 'user' && isChatNote(message.content);
  const content = note ? message.content.trimStart().slice(CHAT_NOTE_PREFIX.length).trimStart() : message.content;
  const long = isLongMessage(content);
  const label = message.senderType === 'system' ? 'hub' : mine ? 'you' : message.sender;
  return (
    <li
      className={styles.row}
      data-side={mine ? 'right' : 'left'}
      data-kind={message.senderType}
      data-note={note || undefined}
      data-sending={sending || undefined}
      aria-label={`${label}: ${message.content.slice(0, 80)}`}
    >
      <article className={styles.bubble} style={{ '--tone': senderColour(message) } as CSSProperties}>
        <header className={styles.meta}>
          <span className={styles.sender}>{label}</span>
          {note ? <span className={styles.noteTag}>note</span> : null}
          <time dateTime={message.ts} title={message.ts}>
            {sending ? 'sending…' : <TimeStamp value={message.ts} />}
          </time>
        </header>
        <div className={styles.body} data-collapsed={(long && !expanded) || undefined}>
          <MessageText text={content} className={styles.text} />
        </div>
        {long ? (
          <button type="button" className={styles.more} aria-expanded={expanded} onClick={() => setExpanded((current) => !current)}>
            {expanded ? 'Show less' : 'Show more'}
          </button>
        ) : null}
      </article>
    </li>
  );
}
