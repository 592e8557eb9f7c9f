// A message's text as written (line breaks kept), with the hub's task links and web addresses
// made clickable (`/tasks` and `/tasks/<id>` stay in the app, http(s) links open a new tab) and
// its status emoji drawn as themed glyphs.
import Link from 'next/link';
import type { CSSProperties } from 'react';
import { tokenizeMessage, type MessageToken } from './message-tokens';
import { STATUS_GLYPHS } from './status-glyphs';
import styles from './chat.module.css';

function Token({ token }: { token: MessageToken }) {
  switch (token.kind) {
    case 'text':
      return token.value;
    case 'task_link':
      return <Link href={token.value}>{token.value}</Link>;
    case 'url':
      return (
        <a href={token.value} target="_blank" rel="noopener noreferrer">
          {token.value}
        </a>
      );
    case 'status': {
      const status = STATUS_GLYPHS[token.value]!;
      return (
        <span className={styles.glyph} style={{ '--glyph': status.colour } as CSSProperties} role="img" aria-label={status.label} title={status.label}>
          {status.glyph}
        </span>
      );
    }
  }
}

export function MessageText({ text, className }: { text: string; className?: string }) {
  return (
    <div className={className}>
      {tokenizeMessage(text).map((token, index) => (
        <Token key={index} token={token} />
      ))}
    </div>
  );
}
