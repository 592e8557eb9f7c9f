// "New pipeline" on /pipelines: a name and 2–20 steps (title and prompt each), wired in sequence
// by pipelines.create; the hub validates and its error (naming the field) is shown.
'use client';
import { useMutation, useQueryClient } from '@tanstack/react-query';
import { useRouter } from 'next/navigation';
import { useState, type FormEvent } from 'react';
import { MAX_PIPELINE_STEPS, MIN_PIPELINE_STEPS } from '@/lib/task-graph';
import { useTRPC } from '../trpc';
import styles from './graphs.module.css';

interface StepDraft {
  key: number;
  title: string;
  prompt: string;
}

let nextKey = 0;
const emptyStep = (): StepDraft => ({ key: nextKey++, title: '', prompt: '' });

export function NewPipelineForm() {
  const trpc = useTRPC();
  const router = useRouter();
  const queryClient = useQueryClient();
  const [name, setName] = useState('');
  const [steps, setSteps] = useState<StepDraft[]>(() => [emptyStep(), emptyStep()]);
  const create = useMutation(
    trpc.pipelines.create.mutationOptions({
      onSuccess: ({ pipelineId }) => {
        void queryClient.invalidateQueries(trpc.pipelines.pathFilter());
        router.push(`/pipelines/${pipelineId}`);
      },
    }),
  );

  function update(key: number, field: 'title' | 'prompt', value: string) {
    setSteps((current) => current.map((step) => (step.key === key ? { ...step, [field]: value } : step)));
  }

  function submit(event: FormEvent) {
    event.preventDefault();
    create.mutate({ name, steps: steps.map((step) => ({ title: step.title.trim(), prompt: step.prompt })) });
  }

  return (
    <details className={`card ${styles.newPipeline}`}>
      <summary>New pipeline</summary>
      <form className={styles.form} onSubmit={submit} noValidate>
        <label className={styles.field}>
          <span>Name</span>
          <input value={name} onChange={(event) => setName(event.target.value)} maxLength={200} autoComplete="off" required />
        </label>
        <ol className={styles.stepInputs}>
          {steps.map((step, index) => (
            <li key={step.key} className={styles.stepInput}>
              <div className={styles.stepHeader}>
                <span>Step {index + 1}</span>
                {steps.length > MIN_PIPELINE_STEPS ? (
                  <button type="button" className="secondary" onClick={() => setSteps((current) => current.filter((other) => other.key !== step.key))} aria-label={`Remove step ${index + 1}`}>
                    Remove
                  </button>
                ) : null}
              </div>
              <label className={styles.field}>
                <span>Title</span>
                <input value={step.title} onChange={(event) => update(step.key, 'title', event.target.value)} maxLength={200} autoComplete="off" aria-label={`Step ${index + 1} title`} />
              </label>
              <label className={styles.field}>
                <span>Prompt</span>
                <textarea value={step.prompt} onChange={(event) => update(step.key, 'prompt', event.target.value)} rows={3} aria-label={`Step ${index + 1} prompt`} />
              </label>
            </li>
          ))}
        </ol>
        {create.error ? (
          <p className="error" role="alert">
            {create.error.message}
          </p>
        ) : null}
        <div className={styles.formActions}>
          <button type="button" className="secondary" disabled={steps.length >= MAX_PIPELINE_STEPS} onClick={() => setSteps((current) => [...current, emptyStep()])}>
            Add step
          </button>
          <button type="submit" disabled={create.isPending}>
            {create.isPending ? 'Creating…' : 'Create pipeline'}
          </button>
        </div>
      </form>
    </details>
  );
}
