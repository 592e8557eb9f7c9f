// The chat input: quick chips for the common commands, a 16 px text box that grows with its
// text, Enter to send (Shift+Enter for a new line).
'use client';
import { useLayoutEffect, useRef, useState, type FormEvent, type KeyboardEvent } from 'react';
import { TemplateChips } from '../templates/template-chips';
import styles from './chat.module.css';

const QUICK_COMMANDS = ['status', 'tasks', 'pending', 'costs'] as const;
const MAX_INPUT_HEIGHT = 160;

export function Composer({ onSend, sending, error }: { onSend: (content: string) => Promise<boolean>; sending: boolean; error: string | null }) {
  const [text, setText] = useState('');
  const input = useRef<HTMLTextAreaElement>(null);

  useLayoutEffect(() => {
    const element = input.current;
    if (!element) return;
    element.style.height = 'auto';
    // Empty, it is one line (the placeholder must not size it).
    if (text) element.style.height = `${Math.min(MAX_INPUT_HEIGHT, element.scrollHeight + 2)}px`;
  }, [text]);

  async function send(content: string) {
    if (!content.trim() || sending) return;
    setText('');
    // Put the text back when the hub refused it, so nothing typed is lost.
    if (!(await onSend(content))) setText(content);
    input.current?.focus();
  }

  function submit(event: FormEvent) {
    event.preventDefault();
    void send(text);
  }

  function onKeyDown(event: KeyboardEvent<HTMLTextAreaElement>) {
    if (event.key === 'Enter' && !event.shiftKey && !event.nativeEvent.isComposing) {
      event.preventDefault();
      void send(text);
    }
  }

  return (
    <form className={styles.composer} onSubmit={submit} aria-label="Send a message">
      {error ? (
        <p className="error" role="alert">
          {error}
        </p>
      ) : null}
      <div className={styles.chips} role="group" aria-label="Quick commands">
        {QUICK_COMMANDS.map((command) => (
          <button key={command} type="button" className={styles.chip} onClick={() => void send(command)} disabled={sending}>
            {command}
          </button>
        ))}
        <TemplateChips inline />
      </div>
      <div className={styles.inputRow}>
        <textarea
          ref={input}
          className={styles.input}
          rows={1}
          value={text}
          onChange={(event) => setText(event.target.value)}
          onKeyDown={onKeyDown}
          placeholder="Message or command…"
          aria-label="Message"
          enterKeyHint="send"
          autoComplete="off"
          autoCapitalize="off"
          spellCheck
        />
        <button type="submit" className={styles.send} disabled={sending || !text.trim()}>
          Send
        </button>
      </div>
    </form>
  );
}
