/**
 * The projector with the heaviest evening it has to carry, at the three screen sizes rooms
 * have: every stage, every page, checked in the DOM (no text outside the screen, clipped by
 * a box, cut off with "…" or covered by another element) and saved as screenshots to look at.
 */
import { expect, test } from '@playwright/test';
import { Events, type VoteView } from '../shared/protocol';
import { checkStage, SIZES } from './helpers/wall';
import {
  LONG_QUESTION,
  LONG_TITLE,
  RECOMMENDATIONS,
  createFacilitator,
  emitOk,
  heavyBurgerberaad,
  heavyThematafel,
  voter,
  castBallots,
  castDots,
} from './helpers/heavySession';

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
    await castBallots(voters, vote, (i) => ({
      method: 'recommendations',
      stances: Object.fromEntries(vote.items.map((item, n) => [item.id, (n + i) % 4 === 0 ? 'oppose' : (n + i) % 5 === 0 ? 'abstain' : 'support'])),
    }));
    // Blind: no counts on the wall while it is open.
    await expect(wall.locator('.wall-result:visible')).toHaveCount(0);
    await fac.emit(Events.voteClose, { voteId: vote.id });
    await expect(wall.locator('.wall-result:visible').first()).toContainText(/aangenomen/);
    await checkStage(wall, fac, 'recommendations-result', /aangenomen/);
    for (const v of voters) v.disconnect();
    fac.close();
  });

  test('graded support: 20 long recommendations as stacked bars with the scale, adoption and divided items', async ({ browser, baseURL }) => {
    const fac = await heavyBurgerberaad(baseURL!);
    const wall = await (await browser.newContext({ viewport: SIZES[0] })).newPage();
    await wall.goto(`/p/${fac.sessionId}`);
    const vote = await emitOk<VoteView>(fac.socket, Events.voteOpen, {
      method: 'graded',
      source: 'recommendations',
      recommendations: RECOMMENDATIONS,
      blind: false,
    });
    expect(vote.rules).toMatchObject({ method: 'graded', labels: ['Helemaal voor', 'Kan ermee leven', 'Twijfel', 'Bezwaar'], accept: 2, threshold: 80 });
    const voters = await Promise.all(Array.from({ length: 8 }, (_, i) => voter(baseURL!, fac.state().joinCode, i + 1)));
    // Advies 1: all "helemaal voor"; advies 2: half at each end (divided); the rest spread over the scale.
    await castBallots(voters, vote, (i) => ({
      method: 'graded',
      grades: Object.fromEntries(vote.items.map((item, n) => [item.id, n === 0 ? 0 : n === 1 ? (i < 4 ? 0 : 3) : (n + i) % 4])),
    }));
    await expect(wall.locator('.wall__turnout')).toContainText('8 van 8');
    await expect(wall.locator('.wall-legend').first()).toContainText('Kan ermee leven');
    await checkStage(wall, fac, 'graded-live', /Helemaal voor/);
    await fac.emit(Events.voteClose, { voteId: vote.id });
    // On whichever page they are: advies 1 adopted by everyone, advies 2 split between the ends.
    await expect(wall.locator('.wall-result', { hasText: 'Advies 1:' })).toContainText('100 % · ✓ aangenomen');
    await expect(wall.locator('.wall-result', { hasText: 'Advies 2:' })).toContainText(/50 % · niet aangenomen\s*verdeeld/);
    await checkStage(wall, fac, 'graded-result', /aangenomen/);
    for (const v of voters) v.disconnect();
    fac.close();
  });
});
