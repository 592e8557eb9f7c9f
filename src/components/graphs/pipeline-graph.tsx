// A pipeline drawn as a small graph: its steps top to bottom, an arrow from each step to the next,
// each node coloured by its task's state and linking to the task. SVG with a viewBox, so it fits a
// phone's width as well as a desktop column.
import styles from './graphs.module.css';

export interface GraphStep {
  id: string;
  position: number;
  title: string;
  status: string;
  assignedTo: string | null;
  waiting: boolean;
}

const WIDTH = 320;
const NODE_HEIGHT = 56;
const GAP = 30;
const MAX_TITLE = 34;

export function PipelineGraph({ name, steps }: { name: string; steps: GraphStep[] }) {
  const height = steps.length * NODE_HEIGHT + Math.max(0, steps.length - 1) * GAP + 4;
  return (
    <svg className={styles.graph} viewBox={`0 0 ${WIDTH} ${height}`} role="img" aria-label={`Pipeline ${name}: ${steps.map((step) => `${step.title} ${describe(step)}`).join(', then ')}`}>
      <defs>
        <marker id="pipeline-arrow" viewBox="0 0 10 10" refX="9" refY="5" markerWidth="8" markerHeight="8" orient="auto">
          <path d="M1,1 L9,5 L1,9" className={styles.arrowHead} />
        </marker>
      </defs>
      {steps.map((step, index) => {
        const y = 2 + index * (NODE_HEIGHT + GAP);
        const title = step.title.length > MAX_TITLE ? `${step.title.slice(0, MAX_TITLE - 1)}…` : step.title;
        return (
          <g key={step.id} data-testid="pipeline-node" data-status={step.status}>
            {index > 0 ? <line x1={WIDTH / 2} y1={y - GAP + 2} x2={WIDTH / 2} y2={y - 4} className={styles.edge} markerEnd="url(#pipeline-arrow)" /> : null}
            <a href={`/tasks/${step.id}`}>
              <rect x={2} y={y} width={WIDTH - 4} height={NODE_HEIGHT} rx={10} className={styles.node} data-status={step.status} />
              <text x={16} y={y + 23} className={styles.nodeTitle}>
                {index + 1}. {title}
              </text>
              <text x={16} y={y + 43} className={styles.nodeState} data-status={step.status}>
                {describe(step)}
              </text>
            </a>
          </g>
        );
      })}
    </svg>
  );
}

/** "waiting for step 1", "running on rex", "done". */
export function describe(step: GraphStep): string {
  if (step.waiting) return `waiting for step ${step.position}`;
  if ((step.status === 'running' || step.status === 'assigned') && step.assignedTo) return `${step.status} on ${step.assignedTo}`;
  return step.status;
}
