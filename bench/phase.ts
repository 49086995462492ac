/** What the server and the generators went through during one phase of a scenario. */
import type { LoopDelay, ServerLoop } from './loopDelay.js';
import type { PhaseUsage } from './procSampler.js';
import type { ServerUnderTest } from './serverProcess.js';
import { worstLoop, type Worker } from './workers.js';

export interface PhaseStats {
  server: PhaseUsage & { loop: ServerLoop };
  /**
   * The worst generator's event-loop delay (high values mean the clients, not the server, were
   * slow) and the generators' CPU together, in % of one core.
   */
  generators: LoopDelay & { cpuPct: number };
}

/** Call at the start of a phase: starts a fresh loop-delay measurement in the server. */
export async function beginPhase(server: ServerUnderTest): Promise<void> {
  await server.loopDelay('reset');
}

/** Call after the phase's last command answered; CPU is taken over [from, to]. */
export async function endPhase(server: ServerUnderTest, workers: Worker[], from: number, to: number): Promise<PhaseStats> {
  const loop = await server.loopDelay('read');
  const cpuPct = workers.reduce((sum, w) => sum + (w.sampler.usage(from, to).cpuAvgPct || 0), 0);
  return { server: { ...server.sampler.usage(from, to), loop }, generators: { ...worstLoop(workers), cpuPct } };
}
