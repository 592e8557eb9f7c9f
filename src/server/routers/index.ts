// The root router: one router per subsystem, composed here. Its type is all a client needs.
import { createRouter } from '../trpc';
import { accountRouter } from './account';
import { eventsRouter } from './events';
import { tokensRouter } from './tokens';
import { usersRouter } from './users';

export const appRouter = createRouter({
  account: accountRouter,
  users: usersRouter,
  tokens: tokensRouter,
  events: eventsRouter,
});

export type AppRouter = typeof appRouter;
