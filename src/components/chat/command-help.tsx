// The command list of spec section 07, shown in an empty chat and behind the header's toggle.
import { CHAT_COMMAND_HELP } from '@/lib/chat-commands';
import styles from './chat.module.css';

export function CommandHelp() {
  return (
    <dl className={styles.help}>
      {CHAT_COMMAND_HELP.map((command) => (
        <div key={command.usage} className={styles.helpRow}>
          <dt>
            <code>{command.usage}</code>
          </dt>
          <dd className="muted">{command.description}</dd>
        </div>
      ))}
    </dl>
  );
}
