// Every page at a 430×932 phone and a 1440×900 desktop: no element past the viewport's edge
// (content inside a scroll or clipping container that itself fits is fine, like a swipeable
// board), the phone's tab bar fully on screen with at most five tabs, and text contrast of at
// least 4.5:1. Each page is photographed to test-results/screens/<page>-<size>.png. Checks are
// soft, so one run reports every page.
import path from 'node:path';
import { expect, test, type Page } from '@playwright/test';
import { api, signIn } from './helpers';

const SIZES = [
  { name: 'phone', width: 430, height: 932 },
  { name: 'desktop', width: 1440, height: 900 },
] as const;

const SCREENS_DIR = path.join('test-results', 'screens');

interface Offender {
  element: string;
  text: string;
  left: number;
  right: number;
}

interface LowContrast {
  element: string;
  text: string;
  ratio: number;
  color: string;
  background: string;
}

/**
 * Elements whose box reaches past the viewport's left or right edge, leaving out those inside
 * a container that clips or scrolls its overflow and itself fits (their overflow is that
 * container's business, and the container is checked in its own right).
 */
function elementsPastTheEdge(page: Page): Promise<Offender[]> {
  return page.evaluate(() => {
    const width = document.documentElement.clientWidth;
    const offenders: { element: string; text: string; left: number; right: number }[] = [];
    const clips = (element: Element) => {
      const style = getComputedStyle(element);
      return ['hidden', 'auto', 'scroll', 'clip'].includes(style.overflowX);
    };
    const describe = (element: Element) => {
      const classes = typeof element.className === 'string' && element.className ? `.${element.className.trim().split(/\s+/).join('.')}` : '';
      const label = element.getAttribute('aria-label');
      return `${element.tagName.toLowerCase()}${classes}${label ? `[aria-label="${label}"]` : ''}`;
    };
    const walk = (element: Element) => {
      const style = getComputedStyle(element);
      if (style.display === 'none' || style.visibility === 'hidden') return;
      const box = element.getBoundingClientRect();
      const drawn = box.width > 0 && box.height > 0;
      if (drawn && (box.right > width + 0.5 || box.left < -0.5)) {
        offenders.push({ element: describe(element), text: (element.textContent ?? '').trim().slice(0, 60), left: Math.round(box.left), right: Math.round(box.right) });
      }
      // A clipping or scrolling container that fits takes care of its own overflow.
      if (element !== document.body && element !== document.documentElement && clips(element)) return;
      for (const child of element.children) walk(child);
    };
    walk(document.body);
    return offenders;
  });
}

/**
 * Text whose colour against its background is below 4.5:1. The background is found by
 * compositing the element's and its ancestors' background colours (and the opacity of the
 * whole chain) up to the first opaque one; text over a background image or gradient, inside
 * SVG, or in a disabled control (exempt in WCAG) is left out.
 */
function lowContrastText(page: Page): Promise<LowContrast[]> {
  return page.evaluate(() => {
    const canvas = document.createElement('canvas');
    canvas.width = canvas.height = 1;
    const context = canvas.getContext('2d', { willReadFrequently: true })!;
    const rgba = (css: string): [number, number, number, number] => {
      context.clearRect(0, 0, 1, 1);
      context.fillStyle = '#000';
      context.fillStyle = css;
      context.fillRect(0, 0, 1, 1);
      const [r, g, b, a] = context.getImageData(0, 0, 1, 1).data;
      return [r!, g!, b!, a! / 255];
    };
    const over = (top: [number, number, number, number], bottom: [number, number, number]): [number, number, number] => [
      top[0] * top[3] + bottom[0] * (1 - top[3]),
      top[1] * top[3] + bottom[1] * (1 - top[3]),
      top[2] * top[3] + bottom[2] * (1 - top[3]),
    ];
    const luminance = ([r, g, b]: [number, number, number]) => {
      const channel = (value: number) => {
        const v = value / 255;
        return v <= 0.03928 ? v / 12.92 : ((v + 0.055) / 1.055) ** 2.4;
      };
      return 0.2126 * channel(r) + 0.7152 * channel(g) + 0.0722 * channel(b);
    };
    const found: { element: string; text: string; ratio: number; color: string; background: string }[] = [];
    const seen = new Set<Element>();
    const walker = document.createTreeWalker(document.body, NodeFilter.SHOW_TEXT);
    for (let node = walker.nextNode(); node; node = walker.nextNode()) {
      const text = (node.textContent ?? '').trim();
      const element = node.parentElement;
      if (!text || !element || seen.has(element)) continue;
      seen.add(element);
      if (element.closest('svg, script, style, noscript, [hidden]')) continue;
      if (element.closest('button:disabled, input:disabled, select:disabled, textarea:disabled, option, fieldset:disabled')) continue;
      const style = getComputedStyle(element);
      if (style.visibility === 'hidden' || style.display === 'none') continue;
      const box = element.getBoundingClientRect();
      if (box.width === 0 || box.height === 0) continue;
      const color = rgba(style.color);
      if (color[3] === 0) continue; // transparent text over a gradient (the brand mark)
      let opacity = 1;
      const layers: [number, number, number, number][] = [];
      let unknown = false;
      for (let current: Element | null = element; current; current = current.parentElement) {
        const own = getComputedStyle(current);
        opacity *= Number(own.opacity);
        if (own.backgroundImage !== 'none') {
          unknown = true;
          break;
        }
        const background = rgba(own.backgroundColor);
        if (background[3] > 0) layers.push(background);
        if (background[3] >= 1) break;
      }
      if (unknown) continue;
      let base: [number, number, number] = [255, 255, 255];
      const page = rgba(getComputedStyle(document.body).backgroundColor);
      if (page[3] > 0) base = [page[0], page[1], page[2]];
      for (const layer of layers.reverse()) base = over(layer, base);
      const drawn = over([color[0], color[1], color[2], color[3] * opacity], base);
      const [light, dark] = [luminance(drawn), luminance(base)].sort((a, b) => b - a) as [number, number];
      const ratio = (light + 0.05) / (dark + 0.05);
      if (ratio < 4.5) {
        found.push({
          element: `${element.tagName.toLowerCase()}${typeof element.className === 'string' && element.className ? `.${element.className.trim().split(/\s+/).join('.')}` : ''}`,
          text: text.slice(0, 60),
          ratio: Math.round(ratio * 100) / 100,
          color: style.color,
          background: `rgb(${base.map(Math.round).join(', ')})`,
        });
      }
    }
    return found;
  });
}

/** The phone's tab bar: on screen as a whole, at most five tabs, each an icon and a label. */
async function checkPhoneTabBar(page: Page, name: string): Promise<void> {
  const bar = page.getByRole('navigation', { name: 'Main' });
  await expect.soft(bar, `${name}: tab bar`).toBeVisible();
  const viewport = page.viewportSize()!;
  const box = await bar.boundingBox();
  expect.soft(box, `${name}: tab bar box`).not.toBeNull();
  if (box) {
    expect.soft(box.x, `${name}: tab bar left edge`).toBeGreaterThanOrEqual(0);
    expect.soft(box.x + box.width, `${name}: tab bar right edge`).toBeLessThanOrEqual(viewport.width + 0.5);
    expect.soft(box.y + box.height, `${name}: tab bar bottom edge`).toBeLessThanOrEqual(viewport.height + 0.5);
  }
  const tabs = bar.locator(':scope > a:visible, :scope > button:visible');
  const count = await tabs.count();
  expect.soft(count, `${name}: visible tabs`).toBeLessThanOrEqual(5);
  expect.soft(count, `${name}: visible tabs`).toBeGreaterThanOrEqual(2);
  for (let index = 0; index < count; index += 1) {
    const tab = tabs.nth(index);
    const tabBox = (await tab.boundingBox())!;
    expect.soft(tabBox.x + tabBox.width, `${name}: tab ${index} right edge`).toBeLessThanOrEqual(viewport.width + 0.5);
    await expect.soft(tab.locator('svg'), `${name}: tab ${index} icon`).toHaveCount(1);
    expect.soft((await tab.innerText()).trim().length, `${name}: tab ${index} label`).toBeGreaterThan(0);
  }
  await expect.soft(bar.getByRole('button', { name: 'More' }), `${name}: More tab`).toBeVisible();
}

/** Waits for the page's first data: no skeleton, no "Loading…" left, fonts ready, two frames drawn. */
async function settle(page: Page): Promise<void> {
  await expect(page.getByTestId('app-skeleton')).toHaveCount(0, { timeout: 15_000 });
  await expect(page.getByText(/^Loading\b/)).toHaveCount(0, { timeout: 15_000 });
  await page.evaluate(async () => {
    await document.fonts.ready;
    await new Promise((resolve) => requestAnimationFrame(() => requestAnimationFrame(resolve)));
  });
}

test('the checks find what they look for, and spare scroll containers that fit', async ({ page }) => {
  await page.setViewportSize({ width: 430, height: 932 });
  await page.setContent(`
    <body style="margin:0;background:#0b0d12;color:#e6e8ef">
      <div id="wide" style="width:600px;height:10px"></div>
      <div style="overflow-x:auto;width:400px"><div id="board" style="width:900px;height:10px"></div></div>
      <p style="color:#8a93a8;opacity:0.65">faded text</p>
      <p style="color:#8a93a8">muted text</p>
      <p style="color:#e6e8ef">plain text</p>
      <button disabled style="color:#333;background:#222">disabled button</button>
    </body>`);
  const past = await elementsPastTheEdge(page);
  expect(past.map((offender) => offender.element)).toEqual(['div']);
  expect(past[0]!.right).toBe(600);
  const low = await lowContrastText(page);
  expect(low.map((entry) => entry.text)).toEqual(['faded text']);
  expect(low[0]!.ratio).toBeLessThan(4.5);
});

test.describe('layout of every page', () => {
  const suffix = Date.now().toString(36);
  let taskId = '';

  test.beforeAll(async ({ request }) => {
    const agentId = `layout-${suffix}`;
    const { token } = await api<{ token: string }>(request, 'tokens.create', { agentId, preset: 'worker', label: 'e2e layout' });
    await api(request, 'agents.register', { id: agentId, name: agentId, machine: 'e2e-layout-machine', kind: 'desktop', capabilities: ['code', 'research', 'summarize'], maxConcurrent: 2 }, token);
    const task = await api<{ id: string }>(request, 'tasks.create', {
      title: `Layout e2e: a task with a long title that must wrap instead of pushing the page sideways ${suffix}`,
      prompt: 'Wait for a capability no agent offers.',
      requiredCapability: `layout-nobody-${suffix}`,
    });
    taskId = task.id;
    // A revoked token and a viewer: the rows and chips that were 2.9:1 before.
    const revoked = await api<{ view: { id: string } }>(request, 'tokens.create', { agentId: `layout-revoked-${suffix}`, preset: 'mobile', label: 'revoked on purpose' });
    await api(request, 'tokens.revoke', { tokenId: revoked.view.id });
    await api(request, 'users.create', { username: `layout-viewer-${suffix}`, role: 'viewer', password: `layout-viewer-${suffix}-password` });
  });

  test.setTimeout(240_000);

  test('no element past the viewport edge, the phone tab bar on screen, readable text', async ({ page, browser }) => {
    const pages = [
      { name: 'dashboard', path: '/' },
      { name: 'tasks', path: '/tasks' },
      { name: 'task-detail', path: `/tasks/${taskId}` },
      { name: 'chat', path: '/chat' },
      { name: 'mesh', path: '/mesh' },
      { name: 'logs', path: '/logs' },
      { name: 'analytics', path: '/analytics' },
      { name: 'admin', path: '/admin' },
      { name: 'account', path: '/account' },
    ];
    await signIn(page);
    for (const size of SIZES) {
      await page.setViewportSize({ width: size.width, height: size.height });
      for (const entry of pages) {
        const name = `${entry.name}-${size.name}`;
        await page.goto(entry.path);
        await settle(page);
        expect.soft(await elementsPastTheEdge(page), `${name}: elements past the viewport edge`).toEqual([]);
        expect.soft(await page.evaluate(() => document.documentElement.scrollWidth <= window.innerWidth), `${name}: page scrolls sideways`).toBe(true);
        expect.soft(await lowContrastText(page), `${name}: text below 4.5:1`).toEqual([]);
        if (size.name === 'phone') await checkPhoneTabBar(page, name);
        await page.screenshot({ path: path.join(SCREENS_DIR, `${name}.png`), fullPage: true });
      }

      // Admin with the revoked tokens shown.
      await page.goto('/admin');
      await settle(page);
      await page.getByLabel('Show revoked').check();
      await expect(page.getByRole('listitem', { name: `Token for layout-revoked-${suffix}` })).toContainText('revoked');
      expect.soft(await elementsPastTheEdge(page), `admin-revoked-${size.name}: elements past the viewport edge`).toEqual([]);
      expect.soft(await lowContrastText(page), `admin-revoked-${size.name}: text below 4.5:1`).toEqual([]);
      await page.getByRole('listitem', { name: `Token for layout-revoked-${suffix}` }).scrollIntoViewIfNeeded();
      await page.screenshot({ path: path.join(SCREENS_DIR, `admin-revoked-${size.name}.png`) });

      // The phone's More sheet, open.
      if (size.name === 'phone') {
        await page.goto('/');
        await settle(page);
        await page.getByRole('navigation', { name: 'Main' }).getByRole('button', { name: 'More' }).click();
        await expect(page.getByRole('dialog', { name: 'More' })).toBeVisible();
        expect.soft(await elementsPastTheEdge(page), 'more-sheet-phone: elements past the viewport edge').toEqual([]);
        expect.soft(await lowContrastText(page), 'more-sheet-phone: text below 4.5:1').toEqual([]);
        await page.screenshot({ path: path.join(SCREENS_DIR, 'more-sheet-phone.png') });
        await page.keyboard.press('Escape');
      }
    }

    // A viewer's account page: most permissions not held.
    const viewerContext = await browser.newContext();
    const viewer = await viewerContext.newPage();
    await signIn(viewer, `layout-viewer-${suffix}`, `layout-viewer-${suffix}-password`);
    for (const size of SIZES) {
      await viewer.setViewportSize({ width: size.width, height: size.height });
      await viewer.goto('/account');
      await settle(viewer);
      await expect(viewer.getByLabel('admin:users: not held')).toBeVisible();
      const name = `account-viewer-${size.name}`;
      expect.soft(await elementsPastTheEdge(viewer), `${name}: elements past the viewport edge`).toEqual([]);
      expect.soft(await lowContrastText(viewer), `${name}: text below 4.5:1`).toEqual([]);
      if (size.name === 'phone') await checkPhoneTabBar(viewer, name);
      await viewer.screenshot({ path: path.join(SCREENS_DIR, `${name}.png`), fullPage: true });
    }
    await viewerContext.close();

    // Pages without a session: sign-in (both forms) and the public demo.
    const visitor = await browser.newContext();
    const anonymous = await visitor.newPage();
    for (const size of SIZES) {
      await anonymous.setViewportSize({ width: size.width, height: size.height });
      for (const entry of [
        { name: 'login', path: '/login' },
        { name: 'login-token', path: '/login' },
        { name: 'demo', path: '/demo' },
      ]) {
        const name = `${entry.name}-${size.name}`;
        await anonymous.goto(entry.path);
        if (entry.name === 'login-token') await anonymous.getByRole('button', { name: 'Use a token instead' }).click();
        await settle(anonymous);
        expect.soft(await elementsPastTheEdge(anonymous), `${name}: elements past the viewport edge`).toEqual([]);
        expect.soft(await lowContrastText(anonymous), `${name}: text below 4.5:1`).toEqual([]);
        await anonymous.screenshot({ path: path.join(SCREENS_DIR, `${name}.png`), fullPage: true });
      }
    }
    await visitor.close();
  });

  test('the More sheet works by keyboard and by touch', async ({ page }) => {
    await page.setViewportSize({ width: 430, height: 932 });
    await signIn(page);
    const nav = page.getByRole('navigation', { name: 'Main' });
    for (const hidden of ['Logs', 'Pipelines', 'Memory', 'Analytics', 'Admin', 'Account']) await expect(nav.getByRole('link', { name: hidden })).toBeHidden();
    await expect(nav.getByRole('link', { name: 'Dashboard' })).toHaveAttribute('aria-current', 'page');

    // Keyboard: focus moves into the sheet, Tab stays inside, Escape closes and returns focus.
    const more = nav.getByRole('button', { name: 'More' });
    await more.focus();
    await page.keyboard.press('Enter');
    const sheet = page.getByRole('dialog', { name: 'More' });
    await expect(sheet).toBeVisible();
    await expect(more).toHaveAttribute('aria-expanded', 'true');
    await expect(sheet.getByRole('link', { name: 'Logs' })).toBeFocused();
    // Once round the sheet's stops (its links and Sign out) comes back to the first.
    const stops = await sheet.locator('a[href], button').count();
    expect(stops).toBeGreaterThanOrEqual(5);
    for (let step = 0; step < stops; step += 1) await page.keyboard.press('Tab');
    await expect(sheet.getByRole('link', { name: 'Logs' })).toBeFocused();
    await page.keyboard.press('Shift+Tab');
    await expect(sheet.getByRole('button', { name: 'Sign out' })).toBeFocused();
    await page.keyboard.press('Escape');
    await expect(sheet).toHaveCount(0);
    await expect(more).toBeFocused();

    // Touch: tap More, tap Analytics; the sheet closes and More marks the current page.
    await more.click();
    await sheet.getByRole('link', { name: 'Analytics' }).click();
    await expect(page).toHaveURL('/analytics');
    await expect(sheet).toHaveCount(0);
    await expect(more).toHaveAttribute('data-current', 'true');
    // Tapping outside the sheet closes it.
    await more.click();
    await page.mouse.click(200, 100);
    await expect(sheet).toHaveCount(0);

    // Sign out from the sheet.
    await more.click();
    await sheet.getByRole('button', { name: 'Sign out' }).click();
    await expect(page).toHaveURL(/\/login$/);
  });
});
