// /analytics: task, cost and agent analytics (admin:analytics).
import type { Metadata } from 'next';
import { AnalyticsScreen } from '@/components/analytics/analytics-screen';

export const metadata: Metadata = { title: 'Analytics · m3shd' };

export default function AnalyticsPage() {
  return <AnalyticsScreen />;
}
