/**
 * A zod schema for a JSON object of ids, read as its own entries. A function only: the module
 * builds no schema when it loads (see client/zodConfig.ts for why that matters).
 */
import { z } from 'zod';

/**
 * A JSON object of item ids read as its own entries. z.record builds its result by assignment,
 * which drops a key such as "__proto__" and would turn a ballot naming it into a blank one; read
 * as entries it stays an ordinary key, and is refused like any other id that is not an item.
 */
export function ownRecord<K extends z.ZodType<string>, V extends z.ZodType>(key: K, value: V, maxKeys: number) {
  return z
    .preprocess(
      // Anything but a plain object (an array of pairs, say) becomes null, which is refused.
      (v) => (typeof v === 'object' && v !== null && !Array.isArray(v) ? Object.entries(v) : null),
      z.array(z.tuple([key, value]), { error: 'expected an object of item ids' }).max(maxKeys, `at most ${maxKeys} items`),
    )
    .transform((entries) => Object.fromEntries(entries) as Record<z.output<K>, z.output<V>>);
}
