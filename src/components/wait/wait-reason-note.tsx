// Why a task is not running yet, in one line (the hub's waitReason, see src/lib/wait-reasons.ts):
// on the task card, compact; on the detail page, with a label. Nothing for a running or finished task.
import { describeWaitReason, type WaitReason } from '@/lib/wait-reasons';
import styles from './wait.module.css';

/** Reasons that clear by themselves soon: shown muted rather than as a warning. */
const TRANSIENT = new Set<WaitReason['kind']>(['dispatching', 'awaiting_claim', 'all_busy']);

export function WaitReasonNote({ reason, compact = false }: { reason: WaitReason | null | undefined; compact?: boolean }) {
  if (!reason) return null;
  const text = describeWaitReason(reason);
  return (
    <span className={compact ? styles.noteCompact : styles.note} data-transient={TRANSIENT.has(reason.kind)} data-testid="wait-reason" title={compact ? `waiting: ${text}` : undefined}>
      {compact ? null : <span className={styles.noteLabel}>Why waiting: </span>}
      {text}
    </span>
  );
}
