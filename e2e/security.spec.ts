/**
 * The app under its own Content-Security-Policy: every kind of screen is opened and used
 * (home, console, projector with its QR code, tablets co-editing over the Yjs websocket, the
 * report with its charts, an observer) and none may report a CSP violation. A page on another
 * site cannot open the app's websockets.
 */
import { expect, test, type Page } from '@playwright/test';
import { io } from 'socket.io-client';
import { Events, PROTOCOL_VERSION, type CreateSessionResponse } from '../shared/protocol';
import { addPointButton, laptop, pointBox, projector, tablet, type Person } from './helpers/room';
import { nextStep } from './helpers/run';

/** Every CSP violation a page reports: the DOM event, and Chromium's console message. */
async function cspViolations(page: Page): Promise<string[]> {
  const seen: string[] = [];
  page.on('console', (m) => {
    if (/Content.Security.Policy|Refused to/i.test(m.text())) seen.push(`${page.url()}: ${m.text()}`);
  });
  await page.addInitScript(() => {
    document.addEventListener('securitypolicyviolation', (e) => {
      console.error(`Content Security Policy violation: ${e.violatedDirective} blocked ${e.blockedURI}`);
    });
  });
  return seen;
}

test.describe.configure({ mode: 'serial' });

test.describe('security', () => {
  const people: Person[] = [];
  test.afterAll(async () => {
    for (const p of people) await p.context.close();
  });

  test('every screen works under the CSP without a single violation', async ({ browser, baseURL, request }) => {
    const res = await request.post('/api/sessions', { data: { title: 'Avond onder CSP', tables: 2 } });
    expect(res.status()).toBe(201);
    const s = (await res.json()) as CreateSessionResponse;

    const organiser = await laptop(browser, baseURL!);
    const beamer = await projector(browser, baseURL!);
    const tabletA = await tablet(browser, baseURL!);
    const tabletB = await tablet(browser, baseURL!);
    people.push(organiser, beamer, tabletA, tabletB);
    const violations = await Promise.all(people.map((p) => cspViolations(p.page)));

    // The home page, and the headers it comes with.
    const home = await organiser.page.goto('/');
    const headers = home!.headers();
    expect(headers['content-security-policy']).toContain("script-src 'self'");
    expect(headers['x-powered-by']).toBeUndefined();
    await expect(organiser.page.getByRole('heading', { name: 'Nieuwe sessie maken' })).toBeVisible();

    // The console, the projector with its QR code, two tablets at table 1.
    await organiser.page.goto(s.urls.facilitator);
    await expect(organiser.page.getByRole('heading', { name: 'Avond onder CSP' })).toBeVisible();
    await beamer.page.goto(`/p/${s.id}`);
    await expect(beamer.page.getByTestId('join-code')).toHaveText(s.joinCode);
    await expect(beamer.page.locator('.join-card__qr svg')).toBeVisible();
    for (const t of [tabletA, tabletB]) {
      await t.page.goto(`/j/${s.joinCode}`);
      await t.page.getByRole('button', { name: 'Tafel 1' }).click();
      await expect(t.page.getByText('We beginnen zo.')).toBeVisible();
    }

    // Co-editing goes over the Yjs websocket.
    await organiser.page.getByRole('button', { name: 'Sessie beginnen' }).click();
    await nextStep(organiser.page);
    await addPointButton(tabletA.page, 'Communicatie').click();
    await tabletA.page.keyboard.type('Werkt onder de CSP');
    await expect(pointBox(tabletB.page, 'Communicatie')).toHaveValue('Werkt onder de CSP');

    // The report, with its charts, and an observer.
    await organiser.page.goto(`/f/${s.id}/verslag#key=${s.facilitatorKey}`);
    await expect(organiser.page.getByText('Werkt onder de CSP').first()).toBeVisible();
    await beamer.page.goto(`/o/${s.id}`);
    await expect(beamer.page.getByText('Avond onder CSP').first()).toBeVisible();

    // Not even zod's probe for Function(): the client runs zod jitless (client/zodConfig.ts).
    expect(violations.flat()).toEqual([]);
  });

  test('every socket.io request names its session, so a load balancer can route it (docs/deploy.md)', async ({ browser, baseURL, request }) => {
    const s = (await (await request.post('/api/sessions', { data: { tables: 1 } })).json()) as CreateSessionResponse;
    const screens = [await laptop(browser, baseURL!), await projector(browser, baseURL!)];
    people.push(...screens);
    const seen: string[] = [];
    for (const { page } of screens) {
      page.on('websocket', (ws) => seen.push(ws.url()));
      page.on('request', (r) => {
        if (r.url().includes('/socket.io/')) seen.push(r.url());
      });
    }
    const [console_, wall] = screens.map((p) => p.page) as [Page, Page];
    await console_.goto(new URL(s.urls.facilitator).pathname + new URL(s.urls.facilitator).hash);
    await wall.goto(new URL(s.urls.projector).pathname);
    await expect(console_.getByText('Verbonden', { exact: true }).first()).toBeVisible();
    await expect(wall.getByText(s.joinCode).first()).toBeVisible();
    const socketIo = seen.filter((u) => u.includes('/socket.io/'));
    expect(socketIo.length).toBeGreaterThan(0);
    for (const url of socketIo) expect(new URL(url).searchParams.get('session'), url).toBe(s.id);
  });

  test('a page on another site cannot open the websockets that the app itself opens', async ({ browser, baseURL, request }) => {
    const s = (await (await request.post('/api/sessions', { data: { tables: 1 } })).json()) as CreateSessionResponse;
    const { deviceToken } = (await (await request.post('/api/join', { data: { code: s.joinCode } })).json()) as { deviceToken: string };
    const person = await laptop(browser, baseURL!);
    people.push(person);
    const page = person.page;
    const ws = baseURL!.replace(/^http/, 'ws');
    const outcome = (url: string, protocols: readonly string[]) =>
      page.evaluate(
        ([u, p]) =>
          new Promise<string>((resolve) => {
            const sock = new WebSocket(u, p as string[]);
            sock.onopen = () => {
              sock.close();
              resolve('open');
            };
            sock.onerror = () => resolve('refused');
          }),
        [url, protocols] as const,
      );
    const socketIo = `${ws}/socket.io/?EIO=4&transport=websocket`;
    const yjs = [`${ws}/yjs/${s.id}/1`, ['tafelronde.yjs.v1', `device.${deviceToken}`]] as const;

    // The device picks table 1, as its tablet would.
    const device = io(baseURL, { auth: { protocol: PROTOCOL_VERSION, role: 'device', sessionId: s.id, token: deviceToken }, transports: ['websocket'] });
    try {
      expect(await device.timeout(10_000).emitWithAck(Events.deviceJoinTable, { table: 1 })).toMatchObject({ ok: true });
    } finally {
      device.disconnect();
    }

    // From the app's own page both open...
    await page.goto('/');
    expect(await outcome(socketIo, [])).toBe('open');
    expect(await outcome(...yjs)).toBe('open');

    // ...from a page served as if from another site, neither does.
    await page.route('http://elders.example/', (route) =>
      route.fulfill({ contentType: 'text/html', body: '<!doctype html><title>Elders</title><p>elders</p>' }),
    );
    await page.goto('http://elders.example/');
    expect(await outcome(socketIo, [])).toBe('refused');
    expect(await outcome(...yjs)).toBe('refused');
  });
});
