// Copies a text to the clipboard. Where the Clipboard API is missing or refused (plain http on a
// LAN address, an old browser), it falls back to a selected hidden textarea and execCommand, and
// if that fails too it says so, so the user can select the text by hand.
'use client';
import { useState } from 'react';

type CopyState = 'idle' | 'copied' | 'failed';

function copyWithTextarea(text: string): boolean {
  const area = document.createElement('textarea');
  area.value = text;
  area.setAttribute('readonly', '');
  area.style.position = 'fixed';
  area.style.top = '0';
  area.style.left = '0';
  area.style.opacity = '0';
  document.body.appendChild(area);
  area.select();
  let copied = false;
  try {
    copied = document.execCommand('copy');
  } catch {
    copied = false;
  }
  area.remove();
  return copied;
}

export async function copyText(text: string): Promise<boolean> {
  if (typeof navigator !== 'undefined' && navigator.clipboard?.writeText && window.isSecureContext) {
    try {
      await navigator.clipboard.writeText(text);
      return true;
    } catch {
      // refused (permissions, focus): try the old way
    }
  }
  return copyWithTextarea(text);
}

export function CopyButton({ text, label = 'Copy' }: { text: string; label?: string }) {
  const [state, setState] = useState<CopyState>('idle');
  async function copy() {
    setState((await copyText(text)) ? 'copied' : 'failed');
    setTimeout(() => setState('idle'), 2_000);
  }
  return (
    <>
      <button type="button" className="secondary" onClick={() => void copy()} data-testid="copy-output">
        {state === 'copied' ? 'Copied' : label}
      </button>
      <span role="status" className={state === 'failed' ? 'error' : 'muted'}>
        {state === 'failed' ? 'Copying is blocked here: select the text and copy it by hand.' : ''}
      </span>
    </>
  );
}
