// `/`: the dashboard (summary bar and agent cards, live).
import { DashboardScreen } from '@/components/dashboard/dashboard-screen';

export const metadata = { title: 'Mesh · m3shd' };

export default function DashboardPage() {
  return <DashboardScreen />;
}
