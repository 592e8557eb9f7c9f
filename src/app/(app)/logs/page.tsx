// `/logs`: the live event stream.
import { LogsScreen } from '@/components/logs/logs-screen';

export const metadata = { title: 'Logs · m3shd' };

export default function LogsPage() {
  return <LogsScreen />;
}
