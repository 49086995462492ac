/**
 * The projector with the heaviest evening it has to carry, at the three screen sizes rooms
 * have: every stage, every page, checked in the DOM (no text outside the screen, clipped by
 * a box, cut off with "…" or covered by another element) and saved as screenshots to look at.
 */
import { expect, test, type Page } from '@playwright/test';
import { Events, type VoteView } from '../shared/protocol';
import { expectAccessible } from './helpers/room';
import {
  LONG_QUESTION,
  LONG_TITLE,
  RECOMMENDATIONS,
  createFacilitator,
  emitOk,
  heavyBurgerberaad,
  heavyThematafel,
  voter,
  castDots,
  type Facilitator,
} from './helpers/heavySession';

const SIZES = [
  { width: 1280, height: 720 },
  { width: 1366, height: 768 },
  { width: 1920, height: 1080 },
];

/** Every visible piece of text on the page that is off screen, clipped, cut short or covered. */
function textProblems(page: Page): Promise<string[]> {
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
async function checkStage(wall: Page, fac: Facilitator, name: string, expectText: RegExp): Promise<void> {
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

test.describe('the projector with a heavy session', () => {
  test.describe.configure({ timeout: 240_000 });

  test('lobby: long title and question beside the large join card', async ({ browser, baseURL }) => {
    const fac = await createFacilitator(baseURL!, { title: LONG_TITLE, question: LONG_QUESTION, tables: 12 });
    const wall = await (await browser.newContext({ viewport: SIZES[0] })).newPage();
    await wall.goto(`/p/${fac.sessionId}`);
    await expect(wall.getByTestId('join-code')).toBeVisible();
    await checkStage(wall, fac, 'lobby', /Wat is er volgens u nodig/);
    await fac.emit(Events.projectorSet, { join: 'small' });
    await checkStage(wall, fac, 'lobby-small-join', /Wat is er volgens u nodig/);
    fac.close();
  });

  test('thematafel: tops of both rounds, a board, the plenary list, a vote on 40 points and its result', async ({ browser, baseURL }) => {
    const fac = await heavyThematafel(baseURL!);
    const wall = await (await browser.newContext({ viewport: SIZES[0] })).newPage();
    await wall.goto(`/p/${fac.sessionId}`);
    await checkStage(wall, fac, 'tops', /Tafel 12/);
    // Both rounds are there, round by round.
    await expect(wall.locator('.fit__page')).toContainText('Gespreksronde 1');
    await expect(wall.locator('.fit__page')).toContainText('Gespreksronde 2');

    await fac.emit(Events.projectorSet, { spotlight: { kind: 'table', table: 3 } });
    await checkStage(wall, fac, 'board', /Tafel 3, ronde 2, punt 6/);
    await fac.emit(Events.projectorSet, { spotlight: { kind: 'plenary' } });
    await checkStage(wall, fac, 'plenary', /Tafel 1, ronde 2/);
    await fac.emit(Events.projectorSet, { theme: 'light' });
    await checkStage(wall, fac, 'plenary-light', /Tafel 1, ronde 2/);
    await fac.emit(Events.projectorSet, { theme: 'dark' });

    // The plenary list is still in the spotlight when the vote opens: the vote takes the wall.
    await fac.goto('stemmen');
    await fac.emit(Events.projectorSet, { spotlight: { kind: 'plenary' } });
    const vote = await emitOk<VoteView>(fac.socket, Events.voteOpen, {});
    expect(vote.items).toHaveLength(40);
    await expect(wall.locator('.wall__subtitle')).toHaveText('Stemmen komen binnen');
    const voters = await Promise.all(Array.from({ length: 12 }, (_, i) => voter(baseURL!, fac.state().joinCode, i + 1)));
    await castDots(voters, vote);
    await expect(wall.locator('.wall__turnout')).toContainText('12 van 12');
    await checkStage(wall, fac, 'vote-live', /Tafel 1, ronde 2/);
    await fac.emit(Events.voteClose, { voteId: vote.id });
    await checkStage(wall, fac, 'vote-result', /Tafel/);

    // Revealed from the bottom up: nothing, then the last item, then all.
    await fac.emit(Events.projectorSet, { reveal: 'stepwise' });
    await expect(wall.getByText('De uitslag komt zo')).toBeVisible();
    await fac.emit(Events.projectorSet, { reveal: 'next' });
    await expect(wall.getByText('Nog 39 punten te onthullen')).toBeVisible();
    await expect(wall.locator('.wall-result:visible')).toHaveCount(1);
    await checkStage(wall, fac, 'vote-reveal', /Nog 39/);
    await fac.emit(Events.projectorSet, { reveal: 'all' });

    // The step after the vote ("Uitslag") shows the result first.
    await fac.goto('terugkoppeling', 1);
    await expect(wall.locator('.wall__subtitle')).toHaveText('Uitslag');
    await expect(wall.locator('.wall-result--first:visible')).toBeVisible();
    await fac.emit(Events.stepNext, {});
    await checkStage(wall, fac, 'ended', /Bedankt/);
    for (const v of voters) v.disconnect();
    fac.close();
  });

  test('burgerberaad: 20 recommendations of 300 characters, blind while open, then adopted or not', async ({ browser, baseURL }) => {
    const fac = await heavyBurgerberaad(baseURL!);
    const wall = await (await browser.newContext({ viewport: SIZES[0] })).newPage();
    await wall.goto(`/p/${fac.sessionId}`);
    const vote = await emitOk<VoteView>(fac.socket, Events.voteOpen, { source: 'recommendations', recommendations: RECOMMENDATIONS });
    await expect(wall.locator('.wall__subtitle')).toHaveText('Hierover stemt u nu');
    await checkStage(wall, fac, 'recommendations-open', /Advies 1:/);
    const voters = await Promise.all(Array.from({ length: 8 }, (_, i) => voter(baseURL!, fac.state().joinCode, i + 1)));
    await Promise.all(
      voters.map((socket, i) =>
        emitOk(socket, Events.ballotSubmit, {
          voteId: vote.id,
          ballotId: `ballot-${vote.id}-${i}-xxxxxxxx`,
          choices: {
            method: 'recommendations',
            stances: Object.fromEntries(vote.items.map((item, n) => [item.id, (n + i) % 4 === 0 ? 'oppose' : (n + i) % 5 === 0 ? 'abstain' : 'support'])),
          },
        }),
      ),
    );
    // Blind: no counts on the wall while it is open.
    await expect(wall.locator('.wall-result:visible')).toHaveCount(0);
    await fac.emit(Events.voteClose, { voteId: vote.id });
    await expect(wall.locator('.wall-result:visible').first()).toContainText(/aangenomen/);
    await checkStage(wall, fac, 'recommendations-result', /aangenomen/);
    for (const v of voters) v.disconnect();
    fac.close();
  });
});
