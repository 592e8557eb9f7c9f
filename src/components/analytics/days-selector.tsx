// The analytics window: today and the days before it (1, 7, 30 or 90 days).
'use client';
import styles from './analytics.module.css';

export const DAY_CHOICES = [1, 7, 30, 90] as const;

export function DaysSelector({ days, onChange }: { days: number; onChange(days: number): void }) {
  return (
    <div className={styles.daysSelector} role="group" aria-label="Window">
      {DAY_CHOICES.map((choice) => (
        <button key={choice} className="secondary" aria-pressed={choice === days} onClick={() => onChange(choice)}>
          {choice === 1 ? 'Today' : `${choice} days`}
        </button>
      ))}
    </div>
  );
}
