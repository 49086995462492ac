import { beforeAll, describe, expect, it } from 'vitest';
import { agendaTemplate, flatten, type Agenda } from '../shared/agenda.js';
import { ErrorBody, Events, type CreateSessionResponse, type HostLink, type JoinPreview, type JoinResponse } from '../shared/protocol.js';
import { Report } from '../shared/report.js';
import {
  addPointTo,
  api,
  closeClients,
  createSession,
  emitOk,
  facilitator,
  joinDevice,
  startedSession,
  tableProvider,
  waitForServerPoints,
} from './helpers/clients.js';
import { lanAddresses, makeUrls } from '../server/urls.js';
import { countRows, startTestServer } from './helpers/server.js';
import { useTestServer } from './helpers/setup.js';

const server = useTestServer();

function expectError(res: { status: number; body: unknown }, status: number, code: string) {
  expect(res.status).toBe(status);
  const parsed = ErrorBody.safeParse(res.body);
  expect(parsed.success, JSON.stringify(res.body)).toBe(true);
  expect(parsed.data?.error.code).toBe(code);
  expect(parsed.data?.error.message.length).toBeGreaterThan(0);
}

describe('GET /api/health', () => {
  it('answers ok', async () => {
    const res = await api(server, '/health');
    expect(res.status).toBe(200);
    expect(res.body).toEqual({ status: 'ok' });
  });
});

describe('POST /api/sessions', () => {
  it('creates a session with an empty body and hands out its links', async () => {
    const before = countRows(server, 'sessions');
    const res = await api<CreateSessionResponse>(server, '/sessions', { body: {} });
    expect(res.status).toBe(201);
    const s = res.body;
    expect(s.id).toMatch(/^[A-Za-z0-9_-]{8,32}$/);
    expect(s.joinCode).toMatch(/^[A-HJ-NP-Z2-9]{6}$/);
    expect(s.facilitatorKey).toMatch(/^[A-Za-z0-9_-]{16,128}$/);
    expect(countRows(server, 'sessions')).toBe(before + 1);

    // The key travels in the fragment only, never in the path or the query.
    const fac = new URL(s.urls.facilitator);
    expect(s.urls.facilitator).toContain(`#key=${s.facilitatorKey}`);
    expect(fac.hash).toBe(`#key=${s.facilitatorKey}`);
    expect(fac.pathname).toBe(`/f/${s.id}`);
    expect(fac.pathname + fac.search).not.toContain(s.facilitatorKey);
    expect(fac.origin).toBe(server.url);

    const projector = new URL(s.urls.projector);
    expect(projector.pathname).toBe(`/p/${s.id}`);
    expect(s.urls.projector).not.toContain(s.facilitatorKey);

    expect(s.urls.join.endsWith(`/j/${s.joinCode}`)).toBe(true);
    expect(s.urls.join).not.toContain(s.facilitatorKey);

    // The database keeps only a hash of the key.
    const row = server.services.db.prepare('SELECT * FROM sessions WHERE id = ?').get(s.id) as Record<string, unknown>;
    expect(JSON.stringify(row)).not.toContain(s.facilitatorKey);
  });

  it('uses the documented defaults (thematafel, 4 tables, 3 themes)', async () => {
    const s = await createSession(server);
    const fac = await facilitator(server, s);
    const state = fac.lastSessionState()!;
    expect(state).toMatchObject({
      id: s.id,
      kind: 'thematafel',
      title: 'Thematafel',
      joinCode: s.joinCode,
      tables: 4,
      vote: null,
    });
    expect(state.question.length).toBeGreaterThan(0);
    expect(state.themes).toEqual([
      { id: 'communicatie', label: 'Communicatie' },
      { id: 'samenwerking', label: 'Samenwerking' },
      { id: 'participatie', label: 'Participatie' },
    ]);
    expect(fac.lastOverview()!.map((t) => t.table)).toEqual([1, 2, 3, 4]);
  });

  it('honours a custom body', async () => {
    const s = await createSession(server, {
      kind: 'burgerberaad',
      title: '  Klimaatberaad Zwolle  ',
      question: 'Hoe halveren we de uitstoot?',
      tables: 7,
      themes: ['Energie', 'Mobiliteit', 'Groen & Water'],
    });
    const fac = await facilitator(server, s);
    expect(fac.lastSessionState()).toMatchObject({
      kind: 'burgerberaad',
      title: 'Klimaatberaad Zwolle',
      question: 'Hoe halveren we de uitstoot?',
      tables: 7,
      themes: [
        { id: 'energie', label: 'Energie' },
        { id: 'mobiliteit', label: 'Mobiliteit' },
        { id: 'groen-water', label: 'Groen & Water' },
      ],
    });
    expect(countRows(server, 'session_tables', 'WHERE session_id = ?', s.id)).toBe(7);
  });

  it('gives a burgerberaad its own default title', async () => {
    const s = await createSession(server, { kind: 'burgerberaad' });
    const fac = await facilitator(server, s);
    expect(fac.lastSessionState()).toMatchObject({ kind: 'burgerberaad', title: 'Burgerberaad', tables: 4 });
  });

  it('makes a different id, join code and key for every session', async () => {
    const a = await createSession(server);
    const b = await createSession(server);
    expect(a.id).not.toBe(b.id);
    expect(a.joinCode).not.toBe(b.joinCode);
    expect(a.facilitatorKey).not.toBe(b.facilitatorKey);
  });

  const badBodies: [string, unknown][] = [
    ['kind of the wrong type', { kind: 3 }],
    ['an unknown kind', { kind: 'vergadering' }],
    ['a title of the wrong type', { title: 42 }],
    ['an empty title', { title: '   ' }],
    ['a title that is too long', { title: 'x'.repeat(201) }],
    ['tables as a string', { tables: '4' }],
    ['tables 0', { tables: 0 }],
    ['tables 999', { tables: 999 }],
    ['tables 61', { tables: 61 }],
    ['a fractional table count', { tables: 2.5 }],
    ['themes that are not a list', { themes: 'Zorg' }],
    ['an empty theme list', { themes: [] }],
    ['an empty theme label', { themes: ['Zorg', ' '] }],
    ['duplicate themes', { themes: ['Zorg', 'Wonen', 'Zorg'] }],
    ['duplicate themes that differ in case and spaces', { themes: ['Zorg', ' zorg '] }],
    ['too many themes', { themes: Array.from({ length: 13 }, (_, i) => `Thema ${i}`) }],
    ['an unknown field', { tables: 3, colour: 'red' }],
    ['a list instead of an object', [{ tables: 3 }]],
  ];

  it.each(badBodies)('refuses %s with 400 and creates nothing', async (_what, body) => {
    const before = countRows(server, 'sessions');
    const res = await api(server, '/sessions', { body });
    expectError(res, 400, 'bad_request');
    const issues = (res.body as ErrorBody).error.issues;
    expect(issues?.length).toBeGreaterThan(0);
    expect(countRows(server, 'sessions')).toBe(before);
  });

  it('refuses invalid JSON with 400 and creates nothing', async () => {
    const before = countRows(server, 'sessions');
    expectError(await api(server, '/sessions', { rawBody: '{"tables": 3,' }), 400, 'bad_request');
    expectError(await api(server, '/sessions', { rawBody: 'null' }), 400, 'bad_request');
    expect(countRows(server, 'sessions')).toBe(before);
  });

  it('refuses a body that is not JSON with 415 and creates nothing (no cross-site form posts)', async () => {
    const before = countRows(server, 'sessions');
    const asText = { rawBody: '{}', headers: { 'content-type': 'text/plain' } };
    expectError(await api(server, '/sessions', asText), 415, 'unsupported_media_type');
    const asForm = { rawBody: 'title=x', headers: { 'content-type': 'application/x-www-form-urlencoded' } };
    expectError(await api(server, '/sessions', asForm), 415, 'unsupported_media_type');
    expectError(await api(server, '/sessions', { method: 'POST' }), 415, 'unsupported_media_type');
    expectError(await api(server, '/join', asText), 415, 'unsupported_media_type');
    expect(countRows(server, 'sessions')).toBe(before);
    expect(countRows(server, 'devices')).toBe(0);
  });

  it('refuses a body larger than 64kb with 413 and creates nothing', async () => {
    const before = countRows(server, 'sessions');
    const res = await api(server, '/sessions', { body: { title: 'x'.repeat(70 * 1024) } });
    expectError(res, 413, 'too_large');
    expect(countRows(server, 'sessions')).toBe(before);
  });
});

describe('POST /api/sessions with an agenda', () => {
  const typesOf = (a: Agenda) => flatten(a).map((f) => f.step.type);
  const idsOf = (a: Agenda) => [...a.rounds.map((r) => r.id), ...flatten(a).map((f) => f.step.id)];
  const storedAgenda = (id: string) =>
    JSON.parse((server.services.db.prepare('SELECT agenda FROM sessions WHERE id = ?').get(id) as { agenda: string }).agenda) as Agenda;

  it.each(['burgerberaad', 'thematafel'] as const)('without an agenda, a %s gets the template of its kind', async (kind) => {
    const res = await api<CreateSessionResponse>(server, '/sessions', { body: { kind } });
    expect(res.status).toBe(201);
    const fac = await facilitator(server, res.body);
    const state = fac.lastSessionState()!;
    const template = agendaTemplate(kind, () => 'x');
    expect(typesOf(state.agenda)).toEqual(typesOf(template));
    expect(state.agenda.rounds.map((r) => [r.title, r.rotate])).toEqual(template.rounds.map((r) => [r.title, r.rotate]));
    expect(new Set(idsOf(state.agenda)).size).toBe(idsOf(state.agenda).length);
    expect(storedAgenda(res.body.id)).toEqual(state.agenda);
    expect(state.run).toEqual({ status: 'lobby', stepId: null, timer: null, undo: null });
  });

  it('an empty body is a thematafel with its template', async () => {
    const res = await api<CreateSessionResponse>(server, '/sessions', { body: {} });
    expect(typesOf(storedAgenda(res.body.id))).toEqual(typesOf(agendaTemplate('thematafel', () => 'x')));
  });

  it('keeps an explicit agenda, gives ids to rounds and steps without one, and shows it in session:state', async () => {
    const agenda = {
      rounds: [
        {
          title: '  Kennismaken ',
          steps: [
            { type: 'instructie', durationSec: 0 },
            { id: 'mijn-stap', type: 'inbreng', durationSec: 900, question: 'Wat valt op?' },
          ],
        },
        { id: 'ronde2', rotate: true, steps: [{ type: 'stemmen', durationSec: 300, vote: { method: 'dots', budget: 5, maxPerItem: 2 } }] },
      ],
    };
    const res = await api<CreateSessionResponse>(server, '/sessions', { body: { kind: 'burgerberaad', agenda } });
    expect(res.status).toBe(201);
    const stored = storedAgenda(res.body.id);
    expect(typesOf(stored)).toEqual(['instructie', 'inbreng', 'stemmen']);
    expect(stored.rounds[0]).toMatchObject({ title: 'Kennismaken', rotate: false, id: expect.stringMatching(/^[A-Za-z0-9_-]+$/) as string });
    expect(stored.rounds[0]!.steps[0]!.id).toMatch(/^[A-Za-z0-9_-]+$/);
    expect(stored.rounds[0]!.steps[1]).toEqual({ id: 'mijn-stap', type: 'inbreng', durationSec: 900, question: 'Wat valt op?' });
    expect(stored.rounds[1]).toEqual({
      id: 'ronde2',
      rotate: true,
      steps: [{ id: expect.any(String) as string, type: 'stemmen', durationSec: 300, vote: { method: 'dots', budget: 5, maxPerItem: 2 } }],
    });
    expect(new Set(idsOf(stored)).size).toBe(5);
    const fac = await facilitator(server, res.body);
    expect(fac.lastSessionState()!.agenda).toEqual(stored);
  });

  const step = { type: 'inbreng', durationSec: 60 };
  const voteAgenda = (vote: unknown) => ({ rounds: [{ steps: [{ type: 'stemmen', durationSec: 60, vote }] }] });
  const badAgendas: [string, unknown][] = [
    ['no rounds', { rounds: [] }],
    ['a round without steps', { rounds: [{ steps: [] }] }],
    ['an unknown step type', { rounds: [{ steps: [{ type: 'discussie', durationSec: 60 }] }] }],
    [
      'duplicate step ids',
      {
        rounds: [
          {
            steps: [
              { ...step, id: 'a' },
              { ...step, id: 'a' },
            ],
          },
        ],
      },
    ],
    ['a round id equal to a step id', { rounds: [{ id: 'a', steps: [{ ...step, id: 'a' }] }] }],
    ['maxPerItem over the budget', { rounds: [{ steps: [{ type: 'stemmen', durationSec: 60, vote: { method: 'dots', budget: 3, maxPerItem: 4 } }] }] }],
    ['an unknown vote method', voteAgenda({ method: 'approval', budget: 3 })],
    ['an unknown vote source', voteAgenda({ method: 'dots', source: 'room' })],
    ['more dots than a voter may have', voteAgenda({ method: 'dots', budget: 21 })],
    ['a threshold over 100 %', voteAgenda({ method: 'recommendations', source: 'recommendations', recommendations: ['A'], threshold: 101 })],
    ['a vote on recommendations without them', voteAgenda({ method: 'recommendations', source: 'recommendations' })],
    ['an empty recommendation', voteAgenda({ method: 'recommendations', recommendations: ['  '] })],
    ['an unknown field on a step', { rounds: [{ steps: [{ ...step, colour: 'red' }] }] }],
    ['an unknown field on a round', { rounds: [{ steps: [step], timer: 5 }] }],
    ['an unknown field on the agenda', { rounds: [{ steps: [step] }], start: 'now' }],
    ['a negative duration', { rounds: [{ steps: [{ ...step, durationSec: -1 }] }] }],
    ['a duration over four hours', { rounds: [{ steps: [{ ...step, durationSec: 4 * 3600 + 1 }] }] }],
    ['a bad step id', { rounds: [{ steps: [{ ...step, id: 'met spatie' }] }] }],
    ['too many rounds', { rounds: Array.from({ length: 11 }, () => ({ steps: [step] })) }],
    ['too many steps in a round', { rounds: [{ steps: Array.from({ length: 21 }, () => step) }] }],
    ['an empty step title', { rounds: [{ steps: [{ ...step, title: '  ' }] }] }],
  ];

  it.each(badAgendas)('refuses %s with 400 and creates nothing', async (_what, agenda) => {
    const before = countRows(server, 'sessions');
    const res = await api(server, '/sessions', { body: { agenda } });
    expectError(res, 400, 'bad_request');
    expect((res.body as ErrorBody).error.issues?.length).toBeGreaterThan(0);
    expect(countRows(server, 'sessions')).toBe(before);
  });
});

describe('join', () => {
  it('GET /api/join/:code previews the session, case-insensitively', async () => {
    const s = await createSession(server, { title: 'Wijkavond', tables: 5 });
    const res = await api<JoinPreview>(server, `/join/${s.joinCode}`);
    expect(res.status).toBe(200);
    expect(res.body).toEqual({ sessionId: s.id, title: 'Wijkavond', tables: 5 });
    const lower = await api<JoinPreview>(server, `/join/${s.joinCode.toLowerCase()}`);
    expect(lower.body).toEqual(res.body);
  });

  it('GET /api/join/:code answers 404 for an unknown code and 400 for a malformed one', async () => {
    expectError(await api(server, '/join/ZZZZZZ'), 404, 'not_found');
    expectError(await api(server, '/join/abc'), 400, 'bad_request');
  });

  it('POST /api/join creates a device with a token for that session', async () => {
    const s = await createSession(server);
    const before = countRows(server, 'devices', 'WHERE session_id = ?', s.id);
    const res = await api<JoinResponse>(server, '/join', { body: { code: ` ${s.joinCode.toLowerCase()} ` } });
    expect(res.status).toBe(201);
    expect(res.body.sessionId).toBe(s.id);
    expect(res.body.deviceToken).toMatch(/^[A-Za-z0-9_-]{16,128}$/);
    expect(countRows(server, 'devices', 'WHERE session_id = ?', s.id)).toBe(before + 1);
    expect(server.services.devices.byToken(s.id, res.body.deviceToken)).toMatchObject({ sessionId: s.id, table: null });
    // Only the token's hash is stored.
    const rows = server.services.db.prepare('SELECT * FROM devices WHERE session_id = ?').all(s.id);
    expect(JSON.stringify(rows)).not.toContain(res.body.deviceToken);
  });

  it('POST /api/join refuses unknown codes and bad bodies without creating a device', async () => {
    const before = countRows(server, 'devices');
    expectError(await api(server, '/join', { body: { code: 'ZZZZZZ' } }), 404, 'not_found');
    expectError(await api(server, '/join', { body: { code: 'AB' } }), 400, 'bad_request');
    expectError(await api(server, '/join', { body: { code: 123456 } }), 400, 'bad_request');
    expectError(await api(server, '/join', { body: {} }), 400, 'bad_request');
    expectError(await api(server, '/join', { body: { code: 'ABCDEF', table: 1 } }), 400, 'bad_request');
    expectError(await api(server, '/join', { rawBody: '{code' }), 400, 'bad_request');
    expect(countRows(server, 'devices')).toBe(before);
  });
});

describe('reports', () => {
  let s: CreateSessionResponse;

  beforeAll(async () => {
    // Started, so that the tables may write points (the agenda begins with an inbreng step).
    ({ s } = await startedSession(server, { title: 'Verslag test', tables: 2 }));
    const device = await joinDevice(server, s, 1);
    const board = await tableProvider(server, s.id, 1, { device: device.token });
    addPointTo(board, 'Betere bereikbaarheid', 'communicatie');
    addPointTo(board, 'Buurtbudget', 'participatie');
    await waitForServerPoints(server, s.id, 1, 2);
    await closeClients();
  });

  for (const file of ['report.json', 'report.md']) {
    it(`${file}: 401 without Authorization`, async () => {
      expectError(await api(server, `/sessions/${s.id}/${file}`), 401, 'unauthorized');
    });

    it(`${file}: 401 with a wrong key, another session's key or the key in the query`, async () => {
      const other = await createSession(server);
      expectError(await api(server, `/sessions/${s.id}/${file}`, { headers: { authorization: 'Bearer wrongwrongwrongwrong' } }), 401, 'unauthorized');
      expectError(await api(server, `/sessions/${s.id}/${file}`, { headers: { authorization: `Bearer ${other.facilitatorKey}` } }), 401, 'unauthorized');
      expectError(await api(server, `/sessions/${s.id}/${file}`, { headers: { authorization: s.facilitatorKey } }), 401, 'unauthorized');
      expectError(await api(server, `/sessions/${s.id}/${file}?key=${s.facilitatorKey}`), 401, 'unauthorized');
    });

    it(`${file}: 404 for an unknown session`, async () => {
      expectError(
        await api(server, `/sessions/Unknown_Session1/${file}`, { headers: { authorization: `Bearer ${s.facilitatorKey}` } }),
        404,
        'session_not_found',
      );
    });
  }

  it('report.json: 200 with the facilitator key, matching the report schema', async () => {
    const res = await api(server, `/sessions/${s.id}/report.json`, { headers: { authorization: `Bearer ${s.facilitatorKey}` } });
    expect(res.status).toBe(200);
    expect(res.headers.get('cache-control')).toBe('no-store');
    const report = Report.parse(res.body);
    expect(report.session).toMatchObject({ id: s.id, title: 'Verslag test', kind: 'thematafel' });
    expect(report.totals).toEqual({ points: 2, devices: 1, ballots: 0 });
    expect(report.rounds[0]!.themes.find((t) => t.id === 'communicatie')!.points.map((p) => p.text)).toEqual(['Betere bereikbaarheid']);
    expect(report.tables).toEqual([
      { table: 1, devices: 1, points: 2 },
      { table: 2, devices: 0, points: 0 },
    ]);
  });

  it('report.md: 200 Dutch Markdown as an attachment by default', async () => {
    const res = await api(server, `/sessions/${s.id}/report.md`, { headers: { authorization: `Bearer ${s.facilitatorKey}` } });
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toMatch(/^text\/markdown; charset=utf-8/);
    expect(res.headers.get('content-disposition')).toContain('attachment');
    expect(res.headers.get('content-disposition')).toContain('verslag-Verslag-test.md');
    expect(res.text).toContain('# Verslag thematafel ‘Verslag test’');
    expect(res.text).toContain('- Betere bereikbaarheid');
    expect(res.text).toContain('Er is niet gestemd.');
  });

  it('report.md?lang=en is English; an unknown language is refused', async () => {
    const auth = { authorization: `Bearer ${s.facilitatorKey}` };
    const en = await api(server, `/sessions/${s.id}/report.md?lang=en`, { headers: auth });
    expect(en.status).toBe(200);
    expect(en.text).toContain('# Report of theme table ‘Verslag test’');
    expect(en.text).toContain('There was no vote.');
    expect(en.text).not.toContain('Verslag thematafel');
    expectError(await api(server, `/sessions/${s.id}/report.md?lang=fr`, { headers: auth }), 400, 'bad_request');
  });

  it('other files under a session are 404', async () => {
    expectError(await api(server, `/sessions/${s.id}/report.odt`, { headers: { authorization: `Bearer ${s.facilitatorKey}` } }), 404, 'not_found');
  });
});

describe('PUBLIC_URL', () => {
  it('is used for the links the room opens (join, observer, table hosts) in the REST answer and over socket.io', async () => {
    const pub = await startTestServer({ env: { PUBLIC_URL: 'http://tafel.example:8080/' } });
    try {
      const s = await createSession(pub);
      expect(s.urls.join).toBe(`http://tafel.example:8080/j/${s.joinCode}`);
      expect(s.urls.observer).toBe(`http://tafel.example:8080/o/${s.id}`);
      // The facilitator and projector links stay on the origin the request came in on.
      expect(new URL(s.urls.facilitator).origin).toBe(pub.url);
      expect(new URL(s.urls.projector).origin).toBe(pub.url);
      const fac = await facilitator(pub, s);
      expect(fac.lastSessionState()!.joinUrl).toBe(s.urls.join);
      const hosts = await emitOk<HostLink[]>(fac.socket, Events.hostLinks, {});
      for (const h of hosts) expect(h.url).toMatch(new RegExp(`^http://tafel\\.example:8080/h/${s.id}/${h.table}#key=`));
    } finally {
      await closeClients();
      await pub.close();
    }
  });
});

describe('unknown API paths', () => {
  it('answer 404 JSON', async () => {
    expectError(await api(server, '/nope'), 404, 'not_found');
    expectError(await api(server, '/sessions'), 404, 'not_found');
    expectError(await api(server, '/health', { method: 'POST', body: {} }), 404, 'not_found');
    expectError(await api(server, '/sessions/x/y/z'), 404, 'not_found');
  });
});

describe('links the room opens', () => {
  it('point at the LAN address, not localhost, when the laptop listens on every interface', () => {
    const urls = makeUrls({ publicUrl: undefined, listenHost: '0.0.0.0', port: () => 3000 });
    const lan = lanAddresses()[0];
    const expected = lan ? `http://${lan}:3000` : 'http://localhost:3000';
    expect(urls.reachable('localhost:3000')).toBe(expected);
    expect(urls.reachable('127.0.0.1:3000')).toBe(expected);
    expect(urls.join('ABCDEF', 'localhost:3000')).toBe(`${expected}/j/ABCDEF`);
    // A request that came in on a name or address the room can use keeps it.
    expect(urls.reachable('laptop.local:3000')).toBe('http://laptop.local:3000');
    // The laptop's own screens stay where they are.
    expect(urls.origin('localhost:3000')).toBe('http://localhost:3000');
  });
});
