// Every signed-in page renders inside the app shell (navigation, live events, auth guard).
import type { ReactNode } from 'react';
import { AppShell } from '@/components/shell/app-shell';

export default function SignedInLayout({ children }: { children: ReactNode }) {
  return <AppShell>{children}</AppShell>;
}
