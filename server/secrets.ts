/** Random ids, secrets and their hashes. */
import { createHash, timingSafeEqual } from 'node:crypto';
import { customAlphabet, nanoid } from 'nanoid';

/** Letters and digits that cannot be mistaken for each other when read off a projector. */
const JOIN_ALPHABET = 'ABCDEFGHJKLMNPQRSTUVWXYZ23456789';

export const newId = (): string => nanoid(12);
export const newJoinCode = customAlphabet(JOIN_ALPHABET, 6);
/** Three unambiguous characters: enough to tell the tablets in one room apart, nothing more. */
export const newDeviceLabel = customAlphabet(JOIN_ALPHABET, 3);
/** 32 characters of nanoid's 64-letter alphabet: 192 bits, beyond guessing. */
export const newSecret = (): string => nanoid(32);

/**
 * Secrets are long and random, so a plain SHA-256 is enough to keep them unusable if the
 * database leaks; a slow password hash would add nothing but latency.
 */
export function hashSecret(secret: string): string {
  return createHash('sha256').update(secret).digest('hex');
}

/**
 * Binds an anonymous record (a ballot, an evaluation response) to the secret token of the
 * device that made it. Stored next to the device id instead of the record id: the running
 * server can recognise a device's own record when it comes back with it, but the database,
 * which never holds the token, cannot link a record to a device.
 */
export function seal(scope: string, recordId: string, token: string): string {
  return createHash('sha256').update(`${scope}\n${recordId}\n${token}`).digest('hex');
}

/**
 * Who a receipt is for, without saying so: a hash of the device's token (which no file holds)
 * with the scope (a vote, an evaluation step). The running server can find a device's receipt
 * when the device comes with its token; the files cannot tell whose it is, and the same device
 * has unrelated tags in different votes.
 */
export function voterTag(scope: string, token: string): string {
  return createHash('sha256').update(`voter\n${scope}\n${token}`).digest('hex');
}

export function secretMatches(secret: string, hash: string): boolean {
  const a = Buffer.from(hashSecret(secret), 'hex');
  const b = Buffer.from(hash, 'hex');
  return a.length === b.length && timingSafeEqual(a, b);
}
