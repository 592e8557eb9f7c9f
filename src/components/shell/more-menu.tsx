// The phone tab bar's "More": a button that opens a sheet listing the pages that are not tabs
// (Logs, Analytics, Admin, Account) and Sign out. A modal dialog: focus moves into it, Tab stays
// inside, Escape, the backdrop or choosing a page close it, and focus returns to the button.
// Desktops list every page in the bar, so there the button and the sheet are not shown.
'use client';
import Link from 'next/link';
import { useEffect, useId, useRef, useState, type KeyboardEvent } from 'react';
import type { NavItem } from './app-shell';
import { NavIcon } from './nav-icons';
import styles from './app-shell.module.css';

function isUnder(pathname: string, href: string): boolean {
  return pathname === href || pathname.startsWith(`${href}/`);
}

export function MoreMenu({ items, pathname, onSignOut }: { items: NavItem[]; pathname: string; onSignOut: () => void }) {
  const [open, setOpen] = useState(false);
  const button = useRef<HTMLButtonElement>(null);
  const sheet = useRef<HTMLDivElement>(null);
  const titleId = useId();
  const sheetId = useId();
  const current = items.some((item) => isUnder(pathname, item.href));

  // A page change (a link chosen, or back/forward) closes the sheet.
  useEffect(() => setOpen(false), [pathname]);

  useEffect(() => {
    if (!open) return;
    sheet.current?.querySelector<HTMLElement>('a, button')?.focus();
    const returnTo = button.current;
    return () => returnTo?.focus();
  }, [open]);

  function onKeyDown(event: KeyboardEvent<HTMLDivElement>) {
    if (event.key === 'Escape') {
      event.preventDefault();
      setOpen(false);
      return;
    }
    if (event.key !== 'Tab' || !sheet.current) return;
    const focusable = [...sheet.current.querySelectorAll<HTMLElement>('a, button')];
    const first = focusable[0];
    const last = focusable[focusable.length - 1];
    if (!first || !last) return;
    if (event.shiftKey && document.activeElement === first) {
      event.preventDefault();
      last.focus();
    } else if (!event.shiftKey && document.activeElement === last) {
      event.preventDefault();
      first.focus();
    }
  }

  return (
    <>
      <button
        ref={button}
        type="button"
        className={`${styles.tab} ${styles.moreButton}`}
        aria-haspopup="dialog"
        aria-expanded={open}
        aria-controls={open ? sheetId : undefined}
        data-current={current || undefined}
        onClick={() => setOpen((value) => !value)}
      >
        <NavIcon name="more" />
        <span className={styles.tabLabel}>More</span>
      </button>
      {open ? (
        <div className={styles.sheetLayer}>
          <div className={styles.backdrop} onClick={() => setOpen(false)} aria-hidden="true" />
          <div ref={sheet} id={sheetId} className={styles.sheet} role="dialog" aria-modal="true" aria-labelledby={titleId} onKeyDown={onKeyDown}>
            <h2 id={titleId} className={styles.sheetTitle}>
              More
            </h2>
            <ul className={styles.sheetList}>
              {items.map((item) => (
                <li key={item.href}>
                  <Link
                    href={item.href}
                    className={styles.sheetItem}
                    aria-current={isUnder(pathname, item.href) ? 'page' : undefined}
                    onClick={() => setOpen(false)}
                  >
                    <NavIcon name={item.icon} />
                    {item.label}
                  </Link>
                </li>
              ))}
              <li>
                <button type="button" className={styles.sheetItem} onClick={onSignOut}>
                  <NavIcon name="signOut" />
                  Sign out
                </button>
              </li>
            </ul>
          </div>
        </div>
      ) : null}
    </>
  );
}
