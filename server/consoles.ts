/**
 * One facilitator's console at a time. Any console with the key may act until one of them takes
 * control (`console:takeover`); from then on only that one, until another takes over or it goes
 * away. Kept in memory: after a restart every console may act again, which is what a room needs
 * when the laptop that had control is the one that restarted.
 */
export interface ConsoleControl {
  /** Facilitator consoles connected to the session now. */
  consoles: number;
  /** The socket id of the console in control, or null when any console may act. */
  controller: string | null;
}

export class Consoles {
  private readonly open = new Map<string, Set<string>>();
  private readonly controller = new Map<string, string>();

  connected(sessionId: string, socketId: string): ConsoleControl {
    let set = this.open.get(sessionId);
    if (!set) this.open.set(sessionId, (set = new Set()));
    set.add(socketId);
    return this.state(sessionId);
  }

  disconnected(sessionId: string, socketId: string): ConsoleControl {
    const set = this.open.get(sessionId);
    set?.delete(socketId);
    if (set?.size === 0) this.open.delete(sessionId);
    if (this.controller.get(sessionId) === socketId) this.controller.delete(sessionId);
    return this.state(sessionId);
  }

  takeOver(sessionId: string, socketId: string): ConsoleControl {
    this.controller.set(sessionId, socketId);
    return this.state(sessionId);
  }

  mayAct(sessionId: string, socketId: string): boolean {
    const holder = this.controller.get(sessionId);
    return holder === undefined || holder === socketId;
  }

  state(sessionId: string): ConsoleControl {
    return { consoles: this.open.get(sessionId)?.size ?? 0, controller: this.controller.get(sessionId) ?? null };
  }
}
