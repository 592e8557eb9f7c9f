// `/memory?agent=<id>`: one agent's memory: list, search, delete, and what consolidation changed.
import { MemoryScreen } from '@/components/memory/memory-screen';

export const metadata = { title: 'Memory · m3shd' };

export default async function MemoryPage({ searchParams }: { searchParams: Promise<{ agent?: string | string[] }> }) {
  const { agent } = await searchParams;
  return <MemoryScreen agentId={typeof agent === 'string' ? agent : undefined} />;
}
