/** The socket.io rooms a session's connections are in; every broadcast names one of these. */
export const room = {
  session: (id: string) => `s:${id}`,
  facilitators: (id: string) => `s:${id}:f`,
  /** The devices seated at a table. */
  table: (id: string, table: number) => `s:${id}:t:${table}`,
  hosts: (id: string, table: number) => `s:${id}:h:${table}`,
  /** Projectors, observers and table hosts: the screens that show a vote's results live. */
  screens: (id: string) => `s:${id}:screens`,
  device: (deviceId: string) => `d:${deviceId}`,
};
