// /pipelines: the newest pipelines and their progress.
import { PipelinesScreen } from '@/components/graphs/pipelines-screen';

export default function PipelinesPage() {
  return <PipelinesScreen />;
}
