// Browser-side settings of the mesh view: the scene's colours resolved from the page's CSS
// custom properties, the visitor's reduced-motion preference, and the `?demo=N` count.
'use client';
import { useEffect, useState } from 'react';
import { parseDemoCount, type MeshPalette } from './mesh-model';

const PALETTE_VARIABLES: Record<keyof MeshPalette, string> = {
  online: '--emerald',
  busy: '--amber',
  offline: '--text-muted',
  breaker: '--red',
  hub: '--purple',
  link: '--text-muted',
  running: '--amber',
  assigned: '--purple',
  selection: '--text',
};

/** Resolves each variable through a probe element, so any CSS colour syntax comes out as rgb(). */
function readPalette(): MeshPalette {
  const probe = document.createElement('span');
  probe.style.display = 'none';
  document.body.appendChild(probe);
  try {
    const entries = Object.entries(PALETTE_VARIABLES).map(([name, variable]) => {
      probe.style.color = `var(${variable})`;
      return [name, getComputedStyle(probe).color];
    });
    return Object.fromEntries(entries) as MeshPalette;
  } finally {
    probe.remove();
  }
}

/** null until mounted (the scene is drawn only in the browser). */
export function usePalette(): MeshPalette | null {
  const [palette, setPalette] = useState<MeshPalette | null>(null);
  useEffect(() => setPalette(readPalette()), []);
  return palette;
}

export function useReducedMotion(): boolean {
  const [reduced, setReduced] = useState(false);
  useEffect(() => {
    const query = window.matchMedia('(prefers-reduced-motion: reduce)');
    const update = () => setReduced(query.matches);
    update();
    query.addEventListener('change', update);
    return () => query.removeEventListener('change', update);
  }, []);
  return reduced;
}

/** `?demo=N`: read after mounting, so the page stays statically renderable. */
export function useDemoCount(): number {
  const [count, setCount] = useState(0);
  useEffect(() => setCount(parseDemoCount(window.location.search)), []);
  return count;
}
