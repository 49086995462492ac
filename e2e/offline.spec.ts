/**
 * Wi-Fi gone, page still opens (secure mode only): a tablet that reloads while the laptop is
 * out of reach opens the app from its service worker and its table's board from IndexedDB,
 * with the offline banner; what it writes then reaches the other tablets when it is back.
 * Runs in the `secure` project, against a server started with HTTPS=true.
 */
import { expect, request as apiRequest, test } from '@playwright/test';
import { addPointButton, expectAccessible, laptop, startWithTablets, tablet, type Person } from './helpers/room';

test.describe.configure({ mode: 'serial' });

const OFFLINE_BANNER = /Geen verbinding met de laptop/;

test.describe('a tablet in the secure mode', () => {
  let organiser: Person;
  let tabletA: Person;
  let tabletB: Person;

  test.beforeAll(async ({ browser, baseURL }) => {
    // Node's side of Playwright cannot be given the CA; only these set-up calls skip the check.
    const api = await apiRequest.newContext({ baseURL: baseURL!, ignoreHTTPSErrors: true });
    const res = await api.post('/api/sessions', {
      data: {
        title: 'Zonder wifi',
        tables: 2,
        agenda: {
          rounds: [
            {
              steps: [
                { type: 'inbreng', durationSec: 1200 },
                { type: 'pauze', durationSec: 600 },
              ],
            },
          ],
        },
      },
    });
    const session = (await res.json()) as { joinCode: string; urls: { facilitator: string; join: string } };
    await api.dispose();
    expect(session.urls.join.startsWith('https://')).toBe(true);

    organiser = await laptop(browser, baseURL!);
    tabletA = await tablet(browser, baseURL!);
    tabletB = await tablet(browser, baseURL!);
    await startWithTablets(organiser, [tabletA, tabletB], session);
    await expect(addPointButton(tabletA.page, 'Communicatie')).toBeVisible();
  });

  test.afterAll(async () => {
    for (const p of [organiser, tabletA, tabletB]) await p?.context.close();
  });

  test('is a secure context with a service worker and the app manifest', async () => {
    const a = tabletA.page;
    expect(await a.evaluate(() => window.isSecureContext)).toBe(true);
    // The worker has precached the app and controls the page (skipWaiting + clientsClaim).
    await a.waitForFunction(() => navigator.serviceWorker.controller !== null);
    const manifest = await a.evaluate(async (): Promise<unknown> => (await fetch('/manifest.webmanifest')).json());
    expect(manifest).toMatchObject({ name: 'Tafelronde', display: 'standalone' });
  });

  test('reloads with no laptop, shows its board from the tablet, and merges what it wrote when back', async () => {
    const a = tabletA.page;
    const b = tabletB.page;
    const boxes = (page: typeof a) => page.getByRole('textbox', { name: 'Punt bij Communicatie' });
    const texts = async (page: typeof a) => (await boxes(page).evaluateAll((els) => els.map((e) => (e as HTMLTextAreaElement).value))).sort();

    await addPointButton(a, 'Communicatie').click();
    await a.keyboard.type('Voor de storing');
    await expect.poll(() => texts(b)).toEqual(['Voor de storing']);

    await tabletA.context.setOffline(true);
    // Whatever of the old page's connections survives the emulation, the reload ends it.
    await a.reload();
    await expect(a.getByText(OFFLINE_BANNER)).toBeVisible();
    await expect(a.getByRole('status').filter({ hasText: 'Geen verbinding. We proberen het opnieuw.' })).toBeVisible();
    await expect(a.getByText('Tafel 1', { exact: true })).toBeVisible();
    await expect.poll(() => texts(a)).toEqual(['Voor de storing']);
    await expectAccessible(a, 'tablet reloaded without the laptop');

    await addPointButton(a, 'Communicatie').click();
    await a.keyboard.type('Zonder wifi geschreven');
    await expect.poll(() => texts(a)).toEqual(['Voor de storing', 'Zonder wifi geschreven']);
    // Nothing reached the room while A was offline.
    expect(await texts(b)).toEqual(['Voor de storing']);

    await tabletA.context.setOffline(false);
    await expect(a.getByText(OFFLINE_BANNER)).toHaveCount(0);
    await expect.poll(() => texts(b)).toEqual(['Voor de storing', 'Zonder wifi geschreven']);
    await expect.poll(() => texts(a)).toEqual(['Voor de storing', 'Zonder wifi geschreven']);
  });
});
