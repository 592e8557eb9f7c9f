// /demo: the public read-only dashboard. The custom server answers 404 here unless MESH_DEMO is
// set, and counts this page towards the demo's per-IP rate limit before Next renders it.
import type { Metadata } from 'next';
import { DemoDashboard } from '@/components/demo/demo-dashboard';

export const metadata: Metadata = { title: 'Demo · m3shd', description: 'A live, read-only view of an m3shd agent mesh' };

export default function DemoPage() {
  return <DemoDashboard />;
}
