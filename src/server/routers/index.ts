// The root router: one router per subsystem, composed here. Its type is all a client needs.
import { createRouter } from '../trpc';
import { accountRouter } from './account';
import { apiKeysRouter } from './api-keys';
import { webhooksRouter } from './webhooks';
import { agentsRouter } from './agents';
import { analyticsRouter } from './analytics';
import { approvalsRouter } from './approvals';
import { chatRouter } from './chat';
import { contextRouter } from './context';
import { costsRouter } from './costs';
import { escalationsRouter } from './escalations';
import { eventsRouter } from './events';
import { inboxRouter } from './inbox';
import { memoryRouter } from './memory';
import { messagesRouter } from './messages';
import { pipelinesRouter } from './pipelines';
import { pluginsRouter } from './plugins';
import { tasksRouter } from './tasks';
import { templatesRouter } from './templates';
import { tokensRouter } from './tokens';
import { usersRouter } from './users';

export const appRouter = createRouter({
  account: accountRouter,
  users: usersRouter,
  tokens: tokensRouter,
  events: eventsRouter,
  context: contextRouter,
  messages: messagesRouter,
  approvals: approvalsRouter,
  escalations: escalationsRouter,
  costs: costsRouter,
  agents: agentsRouter,
  tasks: tasksRouter,
  chat: chatRouter,
  analytics: analyticsRouter,
  memory: memoryRouter,
  inbox: inboxRouter,
  pipelines: pipelinesRouter,
  templates: templatesRouter,
  plugins: pluginsRouter,
  keys: apiKeysRouter,
  webhooks: webhooksRouter,
});

export type AppRouter = typeof appRouter;
