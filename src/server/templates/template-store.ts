// The writes of task templates, each one transaction with its event; the SQLite implementation is
// src/server/db/sqlite/template-store.ts.
export interface TemplateFields {
  name: string;
  description: string;
  promptTemplate: string;
  capability: string | null;
  priority: number;
}

export interface TemplateStore {
  /** Answers the new template's id; a name taken (case-insensitively) is a conflict. */
  create(fields: TemplateFields, createdBy: string): Promise<string>;
  update(templateId: string, changes: Partial<TemplateFields>): Promise<void>;
  delete(templateId: string): Promise<void>;
  /** Creates the seed templates once per database; answers how many it created. */
  seed(): Promise<number>;
}
