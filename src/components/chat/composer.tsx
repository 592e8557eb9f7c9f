// The chat input: quick chips for the common commands, a 16 px text box that grows with its
// text, Enter to send (Shift+Enter for a new line), `@agent` completion from the agents list, and
// a "note" toggle: a note (a message starting with #) is posted for the people reading the chat
// and starts no agent task.
'use client';
import { useEffect, useLayoutEffect, useRef, useState, type FormEvent, type KeyboardEvent } from 'react';
import { CHAT_NOTE_PREFIX, isChatNote } from '@/lib/chat-commands';
import { completeMention, matchingAgents, mentionAt, type Mention } from './agent-completion';
import { TemplateChips } from '../templates/template-chips';
import styles from './chat.module.css';

const QUICK_COMMANDS = ['status', 'tasks', 'pending', 'costs'] as const;
const MAX_INPUT_HEIGHT = 160;

export interface ComposerAgent {
  id: string;
  name: string;
  status: string;
}

/** A request from outside (the command list) to put text in the box; `nonce` makes a repeat count. */
export interface InsertRequest {
  text: string;
  nonce: number;
}

export function Composer({
  onSend,
  sending,
  error,
  agents = [],
  insert,
}: {
  onSend: (content: string) => Promise<boolean>;
  sending: boolean;
  error: string | null;
  agents?: readonly ComposerAgent[];
  insert?: InsertRequest | null;
}) {
  const [text, setText] = useState('');
  const [noteMode, setNoteMode] = useState(false);
  const [caret, setCaret] = useState(0);
  const [highlight, setHighlight] = useState(0);
  const [dismissed, setDismissed] = useState<number | null>(null);
  const input = useRef<HTMLTextAreaElement>(null);
  const pendingCaret = useRef<number | null>(null);

  const mention: Mention | null = mentionAt(text, caret);
  const suggestions = mention && dismissed !== mention.start ? matchingAgents(agents, mention.partial) : [];
  const asNote = noteMode || isChatNote(text);

  useLayoutEffect(() => {
    const element = input.current;
    if (!element) return;
    element.style.height = 'auto';
    // Empty, it is one line (the placeholder must not size it).
    if (text) element.style.height = `${Math.min(MAX_INPUT_HEIGHT, element.scrollHeight + 2)}px`;
    if (pendingCaret.current !== null) {
      element.setSelectionRange(pendingCaret.current, pendingCaret.current);
      setCaret(pendingCaret.current);
      pendingCaret.current = null;
    }
  }, [text]);

  useEffect(() => {
    if (!insert) return;
    setText(insert.text);
    pendingCaret.current = insert.text.length;
    input.current?.focus();
  }, [insert]);

  async function send(content: string) {
    if (!content.trim() || sending) return;
    const outgoing = noteMode && !isChatNote(content) ? `${CHAT_NOTE_PREFIX} ${content}` : content;
    setText('');
    // Put the text back when the hub refused it, so nothing typed is lost.
    if (!(await onSend(outgoing))) setText(content);
    input.current?.focus();
  }

  function choose(agentId: string) {
    if (!mention) return;
    const next = completeMention(text, caret, mention, agentId);
    pendingCaret.current = next.caret;
    setText(next.text);
    setHighlight(0);
    input.current?.focus();
  }

  function submit(event: FormEvent) {
    event.preventDefault();
    void send(text);
  }

  function onKeyDown(event: KeyboardEvent<HTMLTextAreaElement>) {
    if (suggestions.length > 0) {
      if (event.key === 'ArrowDown' || event.key === 'ArrowUp') {
        event.preventDefault();
        const step = event.key === 'ArrowDown' ? 1 : -1;
        setHighlight((current) => (current + step + suggestions.length) % suggestions.length);
        return;
      }
      if ((event.key === 'Enter' || event.key === 'Tab') && !event.shiftKey && !event.nativeEvent.isComposing) {
        event.preventDefault();
        choose(suggestions[Math.min(highlight, suggestions.length - 1)]!.id);
        return;
      }
      if (event.key === 'Escape') {
        event.preventDefault();
        setDismissed(mention!.start);
        return;
      }
    }
    if (event.key === 'Enter' && !event.shiftKey && !event.nativeEvent.isComposing) {
      event.preventDefault();
      void send(text);
    }
  }

  const listId = 'agent-suggestions';
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
      {suggestions.length > 0 ? (
        <ul id={listId} className={styles.suggestions} role="listbox" aria-label="Agents">
          {suggestions.map((agent, index) => (
            <li key={agent.id} role="option" aria-selected={index === highlight}>
              <button type="button" className={styles.suggestion} onMouseDown={(event) => event.preventDefault()} onClick={() => choose(agent.id)}>
                <span>@{agent.id}</span>
                <span className="muted">
                  {agent.name !== agent.id ? `${agent.name} · ` : ''}
                  {agent.status}
                </span>
              </button>
            </li>
          ))}
        </ul>
      ) : null}
      <div className={styles.noteRow}>
        <button
          type="button"
          className={styles.noteToggle}
          aria-pressed={noteMode}
          data-active={noteMode || undefined}
          onClick={() => setNoteMode((current) => !current)}
          title="A note is posted for the people reading the chat and starts no agent task"
        >
          # note
        </button>
        <p className={`${styles.hint} muted`} data-note={asNote || undefined}>
          {asNote ? 'Note: posted to the chat, no agent task is started.' : 'Start with # (or tap # note) to post a note that starts no agent task. @ names an agent.'}
        </p>
      </div>
      <div className={styles.inputRow}>
        <textarea
          ref={input}
          className={styles.input}
          rows={1}
          value={text}
          onChange={(event) => {
            setText(event.target.value);
            setCaret(event.target.selectionStart);
            setHighlight(0);
          }}
          onSelect={(event) => setCaret(event.currentTarget.selectionStart)}
          onKeyDown={onKeyDown}
          placeholder={noteMode ? 'Note for the chat…' : 'Message or command…'}
          aria-label="Message"
          aria-autocomplete="list"
          aria-controls={suggestions.length > 0 ? listId : undefined}
          aria-expanded={suggestions.length > 0}
          enterKeyHint="send"
          autoComplete="off"
          autoCapitalize="off"
          spellCheck
        />
        <button type="submit" className={styles.send} disabled={sending || !text.trim()}>
          {asNote ? 'Post note' : 'Send'}
        </button>
      </div>
    </form>
  );
}
