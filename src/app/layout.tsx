// Root layout: fonts served from the app (no download at build or run time), global styles,
// the data providers (tRPC + React Query), and the PWA (manifest, icons, service worker).
import type { Metadata, Viewport } from 'next';
import type { ReactNode } from 'react';
import '@fontsource/jetbrains-mono/400.css';
import '@fontsource/jetbrains-mono/700.css';
import './globals.css';
import { Providers } from '@/components/providers';
import { ServiceWorkerRegistration } from '@/components/pwa/service-worker-registration';

export const metadata: Metadata = {
  title: 'm3shd',
  description: 'Command a mesh of AI agents',
  icons: { icon: '/favicon.svg', apple: { url: '/icons/apple-touch-icon.png', sizes: '180x180' } },
  // The PWA: installable from the manifest; on iPhones a standalone home-screen app.
  manifest: '/manifest.webmanifest',
  appleWebApp: { capable: true, title: 'm3shd', statusBarStyle: 'black' },
  // Next renders appleWebApp.capable as mobile-web-app-capable only; iOS still reads the apple- name.
  other: { 'apple-mobile-web-app-capable': 'yes' },
};

export const viewport: Viewport = {
  width: 'device-width',
  initialScale: 1,
  // Content may reach under the iPhone's notch and home bar; pages pad with safe-area insets.
  viewportFit: 'cover',
  themeColor: '#0b0d12',
};

export default function RootLayout({ children }: { children: ReactNode }) {
  return (
    <html lang="en">
      <body>
        <Providers>{children}</Providers>
        <ServiceWorkerRegistration />
      </body>
    </html>
  );
}
