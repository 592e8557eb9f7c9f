// One chat message: a bubble tinted in its sender's colour, the operator's own on the right.
import type { CSSProperties } from 'react';
import type { SenderType } from '@/lib/messages';
import { MessageText } from './message-text';
import { senderColour } from './sender-colors';
import styles from './chat.module.css';

export interface ChatMessage {
  id: string;
  ts: string;
  sender: string;
  senderType: SenderType;
  content: string;
}

function formatTime(iso: string): string {
  const date = new Date(iso);
  const time = date.toLocaleTimeString([], { hour: '2-digit', minute: '2-digit' });
  if (date.toDateString() === new Date().toDateString()) return time;
  return `${date.toLocaleDateString([], { month: 'short', day: 'numeric' })} ${time}`;
}

export function MessageBubble({ message, mine, sending = false }: { message: ChatMessage; mine: boolean; sending?: boolean }) {
  const label = message.senderType === 'system' ? 'hub' : mine ? 'you' : message.sender;
  return (
    <li
      className={styles.row}
      data-side={mine ? 'right' : 'left'}
      data-kind={message.senderType}
      data-sending={sending || undefined}
      aria-label={`${label}: ${message.content.slice(0, 80)}`}
    >
      <article className={styles.bubble} style={{ '--tone': senderColour(message) } as CSSProperties}>
        <header className={styles.meta}>
          <span className={styles.sender}>{label}</span>
          <time dateTime={message.ts}>{sending ? 'sending…' : formatTime(message.ts)}</time>
        </header>
        <MessageText text={message.content} className={styles.text} />
      </article>
    </li>
  );
}
