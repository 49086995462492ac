/**
 * Load generator for the maxi scenario: phones that scanned the QR code. Each joins with the
 * code, connects as a device and picks a table; no table document. Against the bare baseline
 * server the same process just opens plain sockets. Then every phone casts one ballot.
 */
import { now } from '../clock.js';
import { connect, emitOk, join, pool, type AppSocket } from '../client.js';
import type { Ready, VotersSetup } from '../ipc.js';
import { Events } from '../../shared/protocol.js';
import { awaitStepSeen, awaitVoteSeen, castBallots, newVoter, type Voter } from './voting.js';
import { serve } from './worker.js';

let voters: Voter[] = [];

async function setupVoter(setup: VotersSetup, index: number): Promise<Voter> {
  // Spread evenly, so every table has about the same number of phones.
  const table = (index % setup.tables) + 1;
  if (setup.mode === 'bare') return newVoter((await connect(setup.url, null)).socket, table);
  const { sessionId, deviceToken } = await join(setup.url, setup.joinCode);
  const { socket } = await connect(setup.url, { role: 'device', sessionId, token: deviceToken });
  const voter = newVoter(socket, table);
  await emitOk(socket, Events.deviceJoinTable, { table });
  return voter;
}

async function setupVoters(setup: VotersSetup): Promise<Ready> {
  const started = now();
  const indexes = Array.from({ length: setup.voters }, (_, i) => setup.firstIndex + i);
  const { results, errors } = await pool(indexes, setup.joinConcurrency, (i) => setupVoter(setup, i));
  voters = results;
  return { clients: results.length, failed: errors.length, errors: [...new Set(errors)].slice(0, 5), ms: now() - started };
}

const closeAll = (sockets: AppSocket[]) => {
  for (const s of sockets) s.disconnect();
};

serve(
  {
    setupVoters,
    awaitStep: async (args) => awaitStepSeen(voters, args),
    awaitVote: async ({ openSentAt, timeoutMs }) => awaitVoteSeen(voters, openSentAt, timeoutMs),
    vote: async (start) => castBallots(voters, start),
  },
  () => closeAll(voters.map((v) => v.socket)),
);
