/**
 * Retakes the README's screenshots (docs/screenshots) from the heavy session. Not part of the
 * test run: `SCREENSHOTS=1 npx playwright test -c e2e e2e/readmeScreenshots.spec.ts`.
 */
import { expect, test } from '@playwright/test';
import { Events, type VoteView } from '../shared/protocol';
import { castDots, emitOk, heavyThematafel, voter } from './helpers/heavySession';
import { TABLET_PORTRAIT } from './helpers/room';

test.skip(!process.env.SCREENSHOTS, 'only when retaking the README screenshots');

test('README screenshots from the heavy session', async ({ browser, baseURL }) => {
  test.setTimeout(240_000);
  const fac = await heavyThematafel(baseURL!);
  await fac.emit(Events.projectorSet, { autoPage: false, join: 'small' });
  const wall = await browser.newPage({ viewport: { width: 1920, height: 1080 } });
  await wall.goto(`/p/${fac.sessionId}`);
  await expect(wall.locator('.wall-frame')).toContainText('Tafel 1');
  await wall.screenshot({ path: 'docs/screenshots/projector-feedback.png' });

  // A tablet at table 1 while round 2 collects points.
  await fac.goto('inbreng', 1);
  const tablet = await browser.newPage({ viewport: TABLET_PORTRAIT, hasTouch: true, isMobile: true });
  await tablet.goto(`/j/${fac.state().joinCode}`);
  await tablet.getByRole('button', { name: 'Tafel 1', exact: true }).click();
  await expect(tablet.getByRole('textbox').first()).toHaveValue(/Tafel 1, ronde 2/);
  await tablet.screenshot({ path: 'docs/screenshots/tablet-board.png' });

  // The plenary vote, live, on the wall and in the console.
  await fac.goto('stemmen');
  const vote = await emitOk<VoteView>(fac.socket, Events.voteOpen, {});
  const voters = await Promise.all(Array.from({ length: 12 }, (_, i) => voter(baseURL!, fac.state().joinCode, i + 1)));
  await castDots(voters, vote);
  await expect(wall.locator('.wall__turnout')).toContainText('12 van 13');
  await wall.screenshot({ path: 'docs/screenshots/projector-vote.png' });
  await emitOk(voters[4]!, Events.tableSignal, { signal: 'help', on: true });
  await emitOk(voters[6]!, Events.tableSignal, { signal: 'ready', on: true });
  fac.close();
  const console = await browser.newPage({ viewport: { width: 1440, height: 900 } });
  await console.goto(`/f/${fac.sessionId}#key=${fac.key}`);
  await expect(console.getByText('Tafel 5 vraagt hulp')).toBeVisible();
  await expect(console.getByText('12 van 13 stemmen binnen').first()).toBeVisible();
  // The chart's labels appear once its bars have grown.
  await expect(console.locator('.vote-chart text').filter({ hasText: 'Tafel 1, ronde 2, punt 1' })).toBeVisible();
  await console.screenshot({ path: 'docs/screenshots/facilitator.png' });
  for (const v of voters) v.disconnect();

  // The report page: the editor beside the report as it will be sent on.
  await console.goto(`/f/${fac.sessionId}/verslag#key=${fac.key}`);
  await console.getByRole('textbox', { name: 'Naam van gemeente of organisatie' }).fill('Gemeente Voorbeeld');
  await console
    .getByRole('textbox', { name: 'Inleiding' })
    .fill('Op 17 april spraken bewonersorganisaties en stadsdelen met elkaar over de samenwerking in de wijk.\n\nDit verslag gaat naar de begeleidingsgroep.');
  await expect(console.getByRole('article').getByText('Dit verslag gaat naar de begeleidingsgroep.')).toBeVisible();
  await expect(console.getByRole('region', { name: 'Het verslag bewerken' }).getByRole('status')).toHaveText('Opgeslagen.');
  await console.screenshot({ path: 'docs/screenshots/report.png' });
});
