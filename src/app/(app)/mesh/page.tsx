// /mesh: the 3D view of the mesh (three.js is loaded by this page only).
import type { Metadata } from 'next';
import { MeshScreen } from '@/components/mesh3d/mesh-screen';

export const metadata: Metadata = { title: '3D mesh · m3shd' };

export default function MeshPage() {
  return <MeshScreen />;
}
