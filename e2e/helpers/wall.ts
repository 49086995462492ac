/**
 * Checks of what is on the wall, shared by the projector specs: every piece of text on screen,
 * not clipped, cut short or covered, at the three screen sizes rooms have; a screenshot of each page.
 */
import { expect, type Page } from '@playwright/test';
import { Events } from '../../shared/protocol';
import type { Facilitator } from './heavySession';
import { expectAccessible } from './room';

export const SIZES = [
  { width: 1280, height: 720 },
  { width: 1366, height: 768 },
  { width: 1920, height: 1080 },
];

/** Every visible piece of text on the page that is off screen, clipped, cut short or covered. */
export function textProblems(page: Page): Promise<string[]> {
  return page.evaluate(() => {
    const problems: string[] = [];
    const W = window.innerWidth;
    const H = window.innerHeight;
    const walker = document.createTreeWalker(document.body, NodeFilter.SHOW_TEXT);
    const inside = (r: DOMRect, box: { left: number; top: number; right: number; bottom: number }) =>
      r.left >= box.left - 1 && r.top >= box.top - 1 && r.right <= box.right + 1 && r.bottom <= box.bottom + 1;
    for (let node = walker.nextNode(); node; node = walker.nextNode()) {
      const value = node.textContent?.trim();
      const el = node.parentElement;
      if (!value || !el || !el.checkVisibility({ visibilityProperty: true, opacityProperty: true })) continue;
      const what = `"${value.slice(0, 40)}" (${el.tagName.toLowerCase()}.${el.className})`;
      const range = document.createRange();
      range.selectNodeContents(node);
      for (const r of Array.from(range.getClientRects())) {
        if (r.width === 0 || r.height === 0) continue;
        if (!inside(r, { left: 0, top: 0, right: W, bottom: H })) {
          problems.push(`${what} leaves the screen`);
          break;
        }
        let clipped = false;
        for (let a = el.parentElement; a && !clipped; a = a.parentElement) {
          const cs = getComputedStyle(a);
          if (cs.overflowX !== 'visible' || cs.overflowY !== 'visible') clipped = !inside(r, a.getBoundingClientRect());
        }
        if (clipped) {
          problems.push(`${what} is clipped by a box`);
          break;
        }
        const hit = document.elementFromPoint(r.left + r.width / 2, r.top + r.height / 2);
        if (hit && hit !== el && !el.contains(hit) && !hit.contains(el)) {
          problems.push(`${what} is covered by ${hit.tagName.toLowerCase()}.${hit.className}`);
          break;
        }
      }
      const cs = getComputedStyle(el);
      if (cs.textOverflow === 'ellipsis' && el.scrollWidth > el.clientWidth) problems.push(`${what} ends in …`);
      if (/…$/.test(value)) problems.push(`${what} is shortened with …`);
    }
    if (document.scrollingElement!.scrollHeight > H + 1 || document.scrollingElement!.scrollWidth > W + 1) problems.push('the page scrolls');
    return problems;
  });
}

/** How many pages the stage has now ("2/5" → 5), 1 when it fits on one. */
async function pageCount(page: Page): Promise<number> {
  const label = page.locator('.fit__pages');
  if ((await label.count()) === 0) return 1;
  return Number((await label.first().textContent())!.split('/')[1]);
}

/** Checks every page of what is on the wall now, at every size, and saves a screenshot of each. */
export async function checkStage(wall: Page, fac: Facilitator, name: string, expectText: RegExp): Promise<void> {
  // Pages turn on command only while checked, so each page is looked at once.
  await fac.emit(Events.projectorSet, { autoPage: false });
  for (const size of SIZES) {
    await wall.setViewportSize(size);
    await expect(wall.locator('.wall')).toContainText(expectText);
    await expect.poll(() => textProblems(wall), { message: `${name} at ${size.width}×${size.height}` }).toEqual([]);
    if (size === SIZES[0]) await expectAccessible(wall, `projector: ${name}`);
    const pages = await pageCount(wall);
    const label = wall.locator('.fit__pages').first();
    for (let i = 0; i < pages; i++) {
      let shown = '1';
      if (pages > 1) {
        const before = (await label.textContent())!;
        if (i > 0) {
          await fac.emit(Events.projectorSet, { page: 'next' });
          await expect(label).not.toHaveText(before);
        }
        shown = (await label.textContent())!.split('/')[0]!;
        await expect.poll(() => textProblems(wall), { message: `${name} page ${shown} at ${size.width}×${size.height}` }).toEqual([]);
      }
      await wall.screenshot({ path: `test-results/wall/${name}-${size.width}x${size.height}-${shown}.png` });
    }
  }
}
