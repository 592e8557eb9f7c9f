// The end of every Admin "create" form: the submit button (busy while the call runs) and the
// hub's refusal, if any, read out as an alert.
import styles from './admin.module.css';

export function CreateFormFooter({ label, pending, error }: { label: string; pending: boolean; error: { message: string } | null }) {
  return (
    <>
      <div className={`${styles.actions} ${styles.wide}`}>
        <button type="submit" disabled={pending}>
          {pending ? 'Creating…' : label}
        </button>
      </div>
      {error ? (
        <p className={styles.error} role="alert">
          {error.message}
        </p>
      ) : null}
    </>
  );
}
