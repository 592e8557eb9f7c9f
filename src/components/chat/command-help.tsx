// The command list of spec section 07, shown in an empty chat and behind the header's toggle.
// Each command is a button that puts it in the composer (its placeholder left for the user).
import { CHAT_COMMAND_HELP } from '@/lib/chat-commands';
import styles from './chat.module.css';

/** What tapping a usage line inserts: the words before the first placeholder ("do <text>" → "do "). */
export function insertionFor(usage: string): string | null {
  if (usage === 'anything else') return null;
  const first = usage.split(' / ')[0]!;
  const placeholder = first.search(/<|key=value/);
  const text = placeholder < 0 ? first : first.slice(0, placeholder);
  return text.trim() === '@' ? '@' : text.trimEnd() + (placeholder < 0 ? '' : ' ');
}

export function CommandHelp({ onPick }: { onPick?: (text: string) => void }) {
  return (
    <dl className={styles.help}>
      {CHAT_COMMAND_HELP.map((command) => {
        const insertion = insertionFor(command.usage);
        return (
          <div key={command.usage} className={styles.helpRow}>
            <dt>
              {onPick && insertion !== null ? (
                <button type="button" className={styles.commandButton} onClick={() => onPick(insertion)}>
                  <code>{command.usage}</code>
                </button>
              ) : (
                <code>{command.usage}</code>
              )}
            </dt>
            <dd className="muted">{command.description}</dd>
          </div>
        );
      })}
    </dl>
  );
}
