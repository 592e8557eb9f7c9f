// The ask-first step of every destructive Admin row action (revoke a token or key, delete a
// webhook, disable or demote a user): the question, the action button (busy while the call
// runs) and Cancel, as one labelled group across the row.
import styles from './admin.module.css';

export interface ConfirmActionProps {
  /** The group's accessible name, e.g. "Confirm revoking the API key siri". */
  label: string;
  question: string;
  action: string;
  /** The button's text while the call runs (default: the action). */
  busyAction?: string;
  busy: boolean;
  onConfirm: () => void;
  onCancel: () => void;
}

export function ConfirmAction({ label, question, action, busyAction, busy, onConfirm, onCancel }: ConfirmActionProps) {
  return (
    <div className={`${styles.confirm} ${styles.rowFull}`} role="group" aria-label={label}>
      <p>{question}</p>
      <button type="button" className={styles.danger} disabled={busy} onClick={onConfirm}>
        {busy && busyAction ? busyAction : action}
      </button>
      <button type="button" className="secondary" disabled={busy} onClick={onCancel}>
        Cancel
      </button>
    </div>
  );
}

/** A row action's refusal, read out as an alert. */
export function RowError({ error }: { error: { message: string } | null }) {
  return error ? (
    <p className={`${styles.error} ${styles.rowFull}`} role="alert">
      {error.message}
    </p>
  ) : null;
}
