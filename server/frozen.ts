/**
 * What the storage modules keep in memory is shared by every reader: frozen, so no reader can
 * change another's copy (a write goes through the module, which forgets or replaces it).
 */
export function deepFreeze<T>(value: T): T {
  if (value && typeof value === 'object' && !Object.isFrozen(value)) {
    Object.freeze(value);
    for (const v of Object.values(value)) deepFreeze(v);
  }
  return value;
}
