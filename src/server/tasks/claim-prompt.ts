// Claim-time prompt injection: what the task engine lets other subsystems add to a prompt as it
// is handed to the claiming agent (agent memory now). Each injector runs synchronously inside the
// claim's transaction, so whatever it records (which memories went in) commits with the attempt;
// injectors compose in order, each getting the previous one's prompt. The task's stored prompt
// is never changed.
export interface ClaimPromptContext {
  taskId: string;
  attemptId: string;
  agentId: string;
  title: string;
  /** The prompt as it stands after the injectors before this one. */
  prompt: string;
}

export type ClaimPromptInjector = (claim: ClaimPromptContext) => string;
