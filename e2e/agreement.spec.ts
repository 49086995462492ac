/**
 * Where the room agrees, in the browser: a table sorting its points gets duplicate suggestions on
 * its tablets (accept one, dismiss one, the dismissal stays); the facilitator's plenary list
 * suggests across tables and shows what came up at several tables; the projector shows that
 * list; a graded-support vote is cast on a tablet and shown as stacked bars. Screens are checked
 * with axe and saved as screenshots in test-results/agreement.
 */
import { expect, test, type Page } from '@playwright/test';
import { WebSocket as WS } from 'ws';
import { WebsocketProvider } from 'y-websocket';
import * as Y from 'yjs';
import { flatten } from '../shared/agenda';
import { addPoint, visiblePoints } from '../shared/board';
import { Events, YJS_PATH, YJS_SUBPROTOCOL, type CreateSessionResponse } from '../shared/protocol';
import { hostKey } from '../server/tables';
import { castBallots, createFacilitator, voter, type Facilitator } from './helpers/heavySession';
import { expectAccessible, laptop, tablet, TABLET_LANDSCAPE, TABLET_PORTRAIT, type Person } from './helpers/room';
import { checkStage, SIZES } from './helpers/wall';

test.describe.configure({ mode: 'serial' });

/** Points of the seed-001 report (../shared/domain/001), as three tables wrote them. */
const TABLE_POINTS: Record<number, [theme: string, text: string][]> = {
  1: [
    ['communicatie', 'Regulier contact met het stadsdeel. Minimaal 2x per jaar met de stadsdeeldirecteur om de tafel.'],
    ['communicatie', 'Tijdige communicatie en tijdig handelen'],
    ['participatie', 'Vooraf meedenken, meepraten en participeren (vanuit beide kanten)'],
    ['samenwerking', 'Sparingpartner van elkaar zijn'],
  ],
  2: [
    ['samenwerking', 'Regulier contact met het stadsdeel. Minimaal 2x per jaar met de stadsdeeldirecteur om de tafel.'],
    ['participatie', 'Vooraf meedenken, meepraten en participeren (vanuit beide kanten.'],
    ['samenwerking', 'Wederzijds begrip'],
  ],
  3: [
    ['communicatie', 'Vroeg, tijdig, duidelijk, veel en open communiceren'],
    ['participatie', 'Zorg voor duidelijk verwachtingsmanagement. Wat kan wel en wat kan niet en leg uit waarom.'],
  ],
};

async function shot(page: Page, name: string): Promise<void> {
  await page.screenshot({ path: `test-results/agreement/${name}.png`, fullPage: false });
}

test.describe('where the room agrees', () => {
  let fac: Facilitator;
  let created: CreateSessionResponse;
  let organiser: Person;
  let tabletA: Person;

  test.beforeAll(async ({ browser, baseURL }) => {
    fac = await createFacilitator(baseURL!, { kind: 'thematafel', title: 'Informatievoorziening en samenwerking', tables: 3 });
    created = fac.created;
    organiser = await laptop(browser, baseURL!);
    await organiser.page.setViewportSize({ width: 1440, height: 900 });
    tabletA = await tablet(browser, baseURL!, TABLET_PORTRAIT);
  });

  test.afterAll(async () => {
    fac?.close();
    for (const p of [organiser, tabletA]) await p?.context.close();
  });

  test('sorting: a tablet suggests the duplicate at its table, and a pair said not to be the same stays dismissed', async ({ baseURL }) => {
    await fac.emit(Events.sessionStart, {});
    await fac.goto('inbreng');
    const at = flatten(fac.state().agenda).find((f) => f.step.id === fac.state().run.stepId)!;
    // Each table's points, written through its host's connection; table 1 writes one point twice.
    for (const [table, points] of Object.entries(TABLE_POINTS)) {
      const doc = new Y.Doc();
      const provider = new WebsocketProvider(`${baseURL!.replace(/^http/, 'ws')}${YJS_PATH}`, `${created.id}/${table}`, doc, {
        WebSocketPolyfill: WS as unknown as typeof WebSocket,
        protocols: [YJS_SUBPROTOCOL, `host.${hostKey(created.facilitatorKey, created.id, Number(table))}`],
        disableBc: true,
      });
      await expect.poll(() => provider.synced).toBe(true);
      const write = [...points, ...(table === '1' ? [['communicatie', 'Vroeg, tijdig en duidelijk communiceren'] as [string, string]] : [])];
      write.forEach(([theme, text], i) => addPoint(doc, { id: `t${table}p${i}`, theme, text, round: at.round.id, step: at.step.id, createdAt: 1_000 + i }));
      await expect.poll(() => visiblePoints(doc).length).toBe(write.length);
      provider.destroy();
    }

    const t = tabletA.page;
    await t.goto(`/j/${created.joinCode}`);
    await t.getByRole('button', { name: 'Tafel 1', exact: true }).click();
    await expect(t.getByRole('textbox', { name: /Punt bij/ }).first()).toBeVisible();
    // While writing, nothing is suggested.
    await expect(t.getByRole('region', { name: /hetzelfde/ })).toHaveCount(0);
    await fac.goto('clusteren');
    const suggestions = t.locator('section.suggestions');
    await expect(suggestions.getByRole('heading')).toHaveText('Deze punten lijken hetzelfde te zeggen');
    await expect(suggestions.locator('.suggestion')).toHaveCount(1);
    await expect(suggestions).toContainText('Tijdige communicatie en tijdig handelen');
    await expect(suggestions).toContainText('Vroeg, tijdig en duidelijk communiceren');
    await expectAccessible(t, 'tablet with a duplicate suggestion');
    await shot(t, 'tablet-suggestion-800x1280');
    await t.setViewportSize(TABLET_LANDSCAPE);
    await shot(t, 'tablet-suggestion-1280x800');
    await t.setViewportSize(TABLET_PORTRAIT);
    for (const button of await suggestions.getByRole('button').all()) {
      const box = (await button.boundingBox())!;
      expect(box.height).toBeGreaterThanOrEqual(44);
    }

    // Dismissed: gone, and still gone after a reload (the pair is kept on the board).
    await suggestions.getByRole('button', { name: 'Niet hetzelfde' }).click();
    await expect(suggestions).toHaveCount(0);
    await t.reload();
    await expect(t.getByRole('textbox', { name: /Punt bij/ }).first()).toBeVisible();
    await expect(t.locator('section.suggestions')).toHaveCount(0);
  });

  test('plenary: the list suggests across tables, says what came up at several tables, and sorts by it', async () => {
    await fac.goto('terugkoppeling');
    await fac.emit(Events.plenaryHarvest, { from: 'all' });
    const f = organiser.page;
    const url = new URL(created.urls.facilitator);
    await f.goto(`/f/${created.id}/plenair${url.hash}`);
    const suggestions = f.locator('section.suggestions');
    // "Regulier contact…" at tables 1 and 2, "Vooraf meedenken…" at 1 and 2.
    await expect(suggestions.getByRole('heading')).toHaveText(/^\d voorstellen: punten die hetzelfde lijken te zeggen$/);
    await expect(suggestions).toContainText('tafel 2');
    await expectAccessible(f, 'plenary page with suggestions');
    await suggestions.scrollIntoViewIfNeeded();
    await shot(f, 'plenary-suggestions-1440x900');
    while ((await suggestions.count()) > 0 && (await suggestions.getByRole('button', { name: 'Samenvoegen' }).count()) > 0) {
      const pair = suggestions.locator('.suggestion').first();
      const text = (await pair.textContent()) ?? '';
      await pair.getByRole('button', { name: /Regulier|Vooraf/.test(text) ? 'Samenvoegen' : 'Niet hetzelfde' }).click();
      // The next pair comes up, or the list goes once nothing is left.
      await expect.poll(async () => (await pair.count()) === 0 || (await pair.textContent()) !== text).toBe(true);
    }
    const converging = f.getByRole('region', { name: 'Wat aan meerdere tafels speelde' });
    await expect(converging.getByRole('listitem')).toHaveCount(2);
    await expect(converging).toContainText('aan 2 van 3 tafels');
    await converging.getByRole('button', { name: 'Zet de punten op volgorde van aantal tafels' }).click();
    await expect(converging.getByRole('status')).toContainText('op volgorde');
    await expectAccessible(f, 'plenary page with the converging list');
    await converging.scrollIntoViewIfNeeded();
    await shot(f, 'plenary-converging-1440x900');
  });

  test('projector: what came up at several tables, whole at every size', async ({ browser }) => {
    const wall = await (await browser.newContext({ viewport: SIZES[0] })).newPage();
    await wall.goto(`/p/${created.id}`);
    await fac.emit(Events.projectorSet, { spotlight: { kind: 'converging' } });
    await expect(wall.getByRole('heading', { name: 'Wat aan meerdere tafels speelde' })).toBeVisible();
    await checkStage(wall, fac, 'converging', /aan 2 van 3 tafels/);
    await wall.context().close();
  });

  test('graded support: cast on a tablet, stacked bars on the projector, per table for the facilitator', async ({ browser, baseURL }) => {
    await fac.goto('stemmen');
    // The facilitator opens it from the console, with the consent scale and a threshold of 75 %.
    const f = organiser.page;
    await f.goto(created.urls.facilitator.replace(/^https?:\/\/[^/]+/, ''));
    await f.getByText('Instellingen aanpassen').click();
    await f.getByLabel('Manier van stemmen').selectOption({ label: 'Steun op een schaal' });
    await expect(f.getByLabel('De schaal, van meeste naar minste steun')).toHaveValue('Helemaal voor\nKan ermee leven\nTwijfel\nBezwaar');
    await expect(f.getByLabel('Telt als steun')).toHaveValue('2');
    await f.getByLabel('Aangenomen vanaf (% steun)').fill('75');
    await expectAccessible(f, 'vote settings for graded support');
    await f.getByLabel('Manier van stemmen').scrollIntoViewIfNeeded();
    await shot(f, 'console-graded-settings-1440x900');
    await f.getByRole('button', { name: 'Stemming openen' }).click();
    await expect.poll(() => fac.state().vote?.status).toBe('open');
    const vote = fac.state().vote!;
    expect(vote.rules).toEqual({ method: 'graded', labels: ['Helemaal voor', 'Kan ermee leven', 'Twijfel', 'Bezwaar'], accept: 2, threshold: 75 });
    expect(vote.source).toBe('plenary');
    const t = tabletA.page;
    await expect(t.getByRole('heading', { name: 'Stemmen' })).toBeVisible();
    await expect(t.getByText(/aangenomen als 75% of meer/)).toBeVisible();
    const items = t.locator('fieldset.recommendation__field');
    const n = await items.count();
    // The whole label is the target (the radio inside it is kept for assistive technology).
    for (let i = 0; i < n; i++)
      await items
        .nth(i)
        .locator('label.grade', { hasText: i === 0 ? 'Helemaal voor' : 'Kan ermee leven' })
        .click();
    await expect(items.first().getByRole('radio', { name: 'Helemaal voor' })).toBeChecked();
    await expect(t.getByText(`${n} van ${n} punten beantwoord`)).toBeVisible();
    await expectAccessible(t, 'graded ballot');
    await shot(t, 'tablet-graded-ballot-800x1280');
    await t.setViewportSize(TABLET_LANDSCAPE);
    await shot(t, 'tablet-graded-ballot-1280x800');
    await t.setViewportSize(TABLET_PORTRAIT);
    // Every choice is a large target.
    for (const label of await items.first().locator('label.grade').all()) expect((await label.boundingBox())!.height).toBeGreaterThanOrEqual(44);
    // In English the wording changes; the scale keeps the labels the facilitator gave.
    await t.getByRole('button', { name: 'English' }).click();
    await expect(
      t.getByText(/A point is adopted when 75% or more of those who placed it on the scale chose ‘Helemaal voor’ or ‘Kan ermee leven’/),
    ).toBeVisible();
    await expect(t.getByText(`${n} of ${n} points answered`)).toBeVisible();
    await shot(t, 'tablet-graded-ballot-english-800x1280');
    await t.getByRole('button', { name: 'Nederlands' }).click();
    await t.getByRole('button', { name: 'Stem versturen' }).click();
    await expect(t.getByText('Uw stem is ontvangen.')).toBeVisible();

    // Two more at table 1 and three at tables 2 and 3: everyone at the first item's ends.
    const sockets = await Promise.all([1, 1, 2, 2, 2, 3, 3, 3].map((table) => voter(baseURL!, created.joinCode, table)));
    await castBallots(sockets, vote, (i) => ({
      method: 'graded',
      grades: Object.fromEntries(vote.items.map((item, k) => [item.id, k === 0 ? (i % 2 === 0 ? 0 : 3) : 1])),
    }));
    const wall = await (await browser.newContext({ viewport: SIZES[0] })).newPage();
    await wall.goto(`/p/${created.id}`);
    await fac.emit(Events.projectorSet, { spotlight: null });
    await expect(wall.locator('.wall__turnout')).toContainText('9 van');
    await fac.emit(Events.voteClose, { voteId: vote.id });
    await expect(wall.locator('.wall-legend')).toContainText('Bezwaar');
    await expect(wall.locator('.wall-result').filter({ hasText: 'verdeeld' })).toHaveCount(1);
    await checkStage(wall, fac, 'graded-plenary', /aangenomen/);

    // The facilitator's console: the result per table (every table has three voters).
    const perTable = f.getByRole('table', { name: 'Per tafel' });
    await expect(perTable).toBeVisible();
    await expect(perTable.getByRole('columnheader')).toHaveCount(4);
    await expectAccessible(f, 'console with the result per table');
    await f.getByRole('figure').first().scrollIntoViewIfNeeded();
    await shot(f, 'console-per-table-1440x900');
    for (const s of sockets) s.disconnect();
    await wall.context().close();
  });
});
