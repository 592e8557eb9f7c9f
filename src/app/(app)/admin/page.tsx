// /admin: users and agent tokens (admin:users / admin:tokens).
import { AdminScreen } from '@/components/admin/admin-screen';

export const metadata = { title: 'Admin · m3shd' };

export default function AdminPage() {
  return <AdminScreen />;
}
