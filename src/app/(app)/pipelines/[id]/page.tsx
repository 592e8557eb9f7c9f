// /pipelines/<id>: one pipeline drawn as a graph, with its steps' live states.
import { PipelineDetail } from '@/components/graphs/pipeline-detail';

export default async function PipelinePage({ params }: { params: Promise<{ id: string }> }) {
  const { id } = await params;
  return <PipelineDetail pipelineId={id} />;
}
