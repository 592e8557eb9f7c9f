// /account: identity, permissions, own password, sign-out.
import { AccountScreen } from '@/components/account/account-screen';

export const metadata = { title: 'Account · m3shd' };

export default function AccountPage() {
  return <AccountScreen />;
}
