// A secret the hub returns once (a generated password, a plain agent token): shown with a copy
// button and the warning that it cannot be shown again, until the admin dismisses it.
'use client';
import { useId, useState } from 'react';
import styles from './admin.module.css';

export interface ShownOnceSecret {
  title: string;
  value: string;
}

export function ShownOnce({ secret, onDismiss }: { secret: ShownOnceSecret; onDismiss: () => void }) {
  const titleId = useId();
  const [copied, setCopied] = useState<'yes' | 'failed' | null>(null);

  async function copy() {
    try {
      await navigator.clipboard.writeText(secret.value);
      setCopied('yes');
    } catch {
      // No clipboard access (an insecure origin, or permission denied): the value is selectable.
      setCopied('failed');
    }
  }

  return (
    <section className={styles.secret} aria-labelledby={titleId} data-testid="shown-once">
      <h3 id={titleId}>{secret.title}</h3>
      <code className={styles.secretValue} data-testid="secret-value">
        {secret.value}
      </code>
      <p className={styles.warning}>It will not be shown again: copy it now and store it somewhere safe.</p>
      <div className={styles.actions}>
        <button type="button" onClick={copy}>
          {copied === 'yes' ? 'Copied' : 'Copy'}
        </button>
        <button type="button" className="secondary" onClick={onDismiss}>
          Done
        </button>
        {copied === 'failed' ? (
          <span className="muted" role="status">
            Copying is not allowed here: select the text and copy it by hand.
          </span>
        ) : null}
      </div>
    </section>
  );
}
