// Board or list: two linked buttons, the current one pressed.
import type { TaskView } from './task-query';
import styles from './tasks-screen.module.css';

const VIEWS: readonly { view: TaskView; label: string }[] = [
  { view: 'board', label: 'Board' },
  { view: 'list', label: 'List' },
];

export function ViewToggle({ view, onChange }: { view: TaskView; onChange: (view: TaskView) => void }) {
  return (
    <div className={styles.toggle} role="group" aria-label="View">
      {VIEWS.map((choice) => (
        <button key={choice.view} type="button" className="secondary" aria-pressed={view === choice.view} onClick={() => onChange(choice.view)}>
          {choice.label}
        </button>
      ))}
    </div>
  );
}
