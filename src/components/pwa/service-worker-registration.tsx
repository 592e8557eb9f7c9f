// Registers the service worker (public/sw.js) once the page has loaded, so the installed PWA
// opens offline and shows the offline page when the network is gone. Renders nothing.
'use client';
import { useEffect } from 'react';

export function ServiceWorkerRegistration() {
  useEffect(() => {
    if (!('serviceWorker' in navigator)) return;
    const register = () => {
      // A failed registration (a private window, an insecure origin) leaves the app working online.
      navigator.serviceWorker.register('/sw.js', { scope: '/' }).catch(() => undefined);
    };
    if (document.readyState === 'complete') register();
    else {
      window.addEventListener('load', register, { once: true });
      return () => window.removeEventListener('load', register);
    }
  }, []);
  return null;
}
