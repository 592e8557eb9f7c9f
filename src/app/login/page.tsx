import { LoginForm } from '@/components/login/login-form';

export const metadata = { title: 'Sign in · m3shd' };

export default function LoginPage() {
  return <LoginForm />;
}
