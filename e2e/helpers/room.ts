/**
 * The people in the room, each in a browser context of their own: the facilitator's laptop,
 * the projector, and tablets (10" portrait by default) at the tables.
 */
import AxeBuilder from '@axe-core/playwright';
import { expect, type Browser, type BrowserContext, type Page } from '@playwright/test';

export const TABLET_PORTRAIT = { width: 800, height: 1280 };
export const TABLET_LANDSCAPE = { width: 1280, height: 800 };

export interface Person {
  context: BrowserContext;
  page: Page;
}

export async function laptop(browser: Browser, baseURL: string): Promise<Person> {
  const context = await browser.newContext({ baseURL, viewport: { width: 1366, height: 900 } });
  return { context, page: await context.newPage() };
}

export async function projector(browser: Browser, baseURL: string): Promise<Person> {
  const context = await browser.newContext({ baseURL, viewport: { width: 1920, height: 1080 } });
  return { context, page: await context.newPage() };
}

export async function tablet(browser: Browser, baseURL: string, viewport = TABLET_PORTRAIT): Promise<Person> {
  const context = await browser.newContext({ baseURL, viewport, hasTouch: true, isMobile: true });
  return { context, page: await context.newPage() };
}

/** Fails on any serious or critical WCAG 2.1 A/AA violation that axe finds on the page. */
export async function expectAccessible(page: Page, what: string): Promise<void> {
  const result = await new AxeBuilder({ page }).withTags(['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa']).analyze();
  const bad = result.violations
    .filter((v) => v.impact === 'serious' || v.impact === 'critical')
    .map(
      (v) =>
        `${v.id} (${v.impact}): ${v.help} — ${v.nodes
          .map((n) => n.target.join(' '))
          .slice(0, 3)
          .join(' | ')}`,
    );
  expect(bad, `accessibility of ${what}`).toEqual([]);
}

/** The tablet's text box for the n-th point under a theme. */
export function pointBox(page: Page, theme: string, n = 0) {
  return page.getByRole('textbox', { name: `Punt bij ${theme}` }).nth(n);
}

export function addPointButton(page: Page, theme: string) {
  return page.getByRole('button', { name: new RegExp(`Punt toevoegen.*${theme}`) });
}

/**
 * Opens the facilitator's console of a new session on the organiser's laptop, seats the tablets
 * at a table and starts the session.
 */
export async function startWithTablets(
  organiser: Person,
  tablets: Person[],
  session: { joinCode: string; urls: { facilitator: string } },
  table = 1,
): Promise<void> {
  const facilitator = new URL(session.urls.facilitator);
  await organiser.page.goto(facilitator.pathname + facilitator.hash);
  for (const t of tablets) {
    await t.page.goto(`/j/${session.joinCode}`);
    await t.page.getByRole('button', { name: `Tafel ${table}`, exact: true }).click();
  }
  await organiser.page.getByRole('button', { name: 'Sessie beginnen' }).click();
}
