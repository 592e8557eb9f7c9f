// Sizes the chat to the visible viewport below the shell's header and above its tab bar (fixed
// at the bottom on phones), so only the message list scrolls. The visual viewport follows the
// on-screen keyboard on iOS, keeping the input above it.
'use client';
import { useLayoutEffect, type RefObject } from 'react';

const GAP_ABOVE_TAB_BAR = 8;
const MIN_HEIGHT = 280;

export function useFillHeight(ref: RefObject<HTMLElement | null>): void {
  useLayoutEffect(() => {
    const element = ref.current;
    if (!element) return;
    const update = () => {
      const parent = element.parentElement;
      const parentPadding = parent ? parseFloat(getComputedStyle(parent).paddingBottom) || 0 : 0;
      const nav = document.querySelector('nav[aria-label="Main"]');
      const navIsBottomBar = nav !== null && getComputedStyle(nav).position === 'fixed';
      const reserve = navIsBottomBar ? nav.getBoundingClientRect().height + GAP_ABOVE_TAB_BAR : parentPadding;
      const viewportHeight = window.visualViewport?.height ?? window.innerHeight;
      const top = element.getBoundingClientRect().top + window.scrollY;
      element.style.height = `${Math.max(MIN_HEIGHT, Math.floor(viewportHeight - top - reserve))}px`;
      // The shell pads its content for the tab bar; the chat reserves exactly the bar instead,
      // so the page itself never scrolls.
      element.style.marginBottom = `${Math.min(0, reserve - parentPadding)}px`;
    };
    update();
    // The header's height settles once the web font has loaded.
    void document.fonts?.ready.then(update);
    window.addEventListener('resize', update);
    window.visualViewport?.addEventListener('resize', update);
    return () => {
      window.removeEventListener('resize', update);
      window.visualViewport?.removeEventListener('resize', update);
    };
  }, [ref]);
}
