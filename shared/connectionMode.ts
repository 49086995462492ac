/**
 * How the laptop serves the room, for the facilitator's screen: plain HTTP (no setup) or
 * HTTPS with the laptop's own certificate authority. `GET /api/connection` answers with this.
 */
import { z } from 'zod';

export const ConnectionMode = z.strictObject({
  mode: z.enum(['http', 'https']),
  /** The address tablets use, e.g. https://192.168.1.20:3000. */
  appUrl: z.url(),
  /** HTTPS only: the page with the certificate and how to trust it, over plain HTTP so it opens before trusting. */
  trustPage: z.url().nullable(),
  /** HTTPS only: SHA-256 of the CA certificate, to compare on a tablet. */
  caFingerprint: z.string().max(200).nullable(),
});
export type ConnectionMode = z.infer<typeof ConnectionMode>;

/** Paths of the secure mode's own pages (served over plain HTTP as well). */
export const TRUST_PATHS = { caCert: '/ca.crt', page: '/certificaat' } as const;
