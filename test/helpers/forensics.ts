/**
 * A forensic analyst with a copy of the database files: reads SQLite's file format directly
 * (https://www.sqlite.org/fileformat2.html), not through SQLite, so that it sees what a query
 * would not: where each record sits in the file, in which page, at which offset and under which
 * rowid. Used by the secrecy-at-rest test to try every ordering the files could betray.
 */
import fs from 'node:fs';
import path from 'node:path';

export type Files = Record<string, Buffer>;

/** Every file of the data dir, read at this moment (main file, WAL, shm, ballot box, journal). */
export function copyFiles(dataDir: string): Files {
  const files: Files = {};
  for (const name of fs.readdirSync(dataDir)) {
    const full = path.join(dataDir, name);
    if (fs.statSync(full).isFile()) files[name] = fs.readFileSync(full);
  }
  return files;
}

function varint(buf: Buffer, at: number): [value: number, next: number] {
  let value = 0;
  for (let i = 0; i < 9; i++) {
    const byte = buf[at + i]!;
    if (i === 8) return [value * 256 + byte, at + 9];
    value = value * 128 + (byte & 0x7f);
    if (byte < 0x80) return [value, at + i + 1];
  }
  return [value, at + 9];
}

/** Where a marker lies in a database file: its byte, its page and its b-tree cell. */
export interface Position {
  /** Offset of the marker's first byte in the file. */
  byte: number;
  page: number;
  /** Offset of the cell that holds the marker, from the start of its page. */
  cellOffset: number;
  /** The cell's place in its page's cell pointer array (that is, in key order). */
  cellIndex: number;
  /** The rowid of a table b-tree leaf cell; null in an index b-tree (WITHOUT ROWID). */
  rowid: number | null;
}

/** Finds a marker's first occurrence in a SQLite database file and the cell around it. */
export function locate(file: Buffer, marker: string): Position | null {
  const byte = file.indexOf(Buffer.from(marker, 'utf8'));
  if (byte < 0) return null;
  const raw = file.readUInt16BE(16);
  const pageSize = raw === 1 ? 65536 : raw;
  const page = Math.floor(byte / pageSize) + 1;
  const start = (page - 1) * pageSize;
  const header = start + (page === 1 ? 100 : 0);
  const type = file[header]!;
  const cells = file.readUInt16BE(header + 3);
  const pointers = header + 8;
  let best: { offset: number; index: number } | null = null;
  for (let i = 0; i < cells; i++) {
    const offset = file.readUInt16BE(pointers + 2 * i);
    if (offset <= byte - start && (!best || offset > best.offset)) best = { offset, index: i };
  }
  if (!best || (type !== 0x0d && type !== 0x0a)) return { byte, page, cellOffset: -1, cellIndex: -1, rowid: null };
  let rowid: number | null = null;
  if (type === 0x0d) {
    const [, afterLength] = varint(file, start + best.offset);
    rowid = varint(file, afterLength)[0];
  }
  return { byte, page, cellOffset: best.offset, cellIndex: best.index, rowid };
}

/** Ranks from 0, equal values sharing the mean of their ranks (they say nothing about order). */
function ranks(xs: readonly number[]): number[] {
  const order = xs.map((x, i) => [x, i] as const).sort((p, q) => p[0] - q[0]);
  const r = new Array<number>(xs.length);
  for (let start = 0; start < order.length;) {
    let end = start;
    while (end + 1 < order.length && order[end + 1]![0] === order[start]![0]) end++;
    for (let k = start; k <= end; k++) r[order[k]![1]] = (start + end) / 2;
    start = end + 1;
  }
  return r;
}

/** Spearman's rank correlation between two sequences of numbers of the same length. */
export function rankCorrelation(a: readonly number[], b: readonly number[]): number {
  const ra = ranks(a);
  const rb = ranks(b);
  const n = a.length;
  const mean = (n - 1) / 2;
  let num = 0;
  let da = 0;
  let db = 0;
  for (let i = 0; i < n; i++) {
    num += (ra[i]! - mean) * (rb[i]! - mean);
    da += (ra[i]! - mean) ** 2;
    db += (rb[i]! - mean) ** 2;
  }
  return da === 0 || db === 0 ? 0 : num / Math.sqrt(da * db);
}

/** Indexes sorted by their keys; equal keys in random order, since nothing tells them apart. */
function sortedBy(keys: readonly number[]): number[] {
  const tiebreak = keys.map(() => Math.random());
  return keys.map((_, i) => i).sort((p, q) => keys[p]! - keys[q]! || tiebreak[p]! - tiebreak[q]!);
}

/**
 * The analyst's best guess from one ordering: sort both sides by their keys and pair them off
 * (in both directions). Returns how many pairs are right, for the better direction.
 */
export function pairedOff(keys: readonly number[], reference: readonly number[]): number {
  const byKey = sortedBy(keys);
  const byRef = sortedBy(reference);
  const forward = byKey.filter((who, i) => byRef[i] === who).length;
  const backward = byKey.filter((who, i) => byRef[byRef.length - 1 - i] === who).length;
  return Math.max(forward, backward);
}

/** The orderings an analyst can read off the positions of records in a file. */
export function orderings(positions: readonly Position[]): Record<string, number[]> {
  return {
    'byte in the file': positions.map((p) => p.byte),
    page: positions.map((p) => p.page),
    'cell offset in its page': positions.map((p) => p.cellOffset),
    'page, then cell offset': positions.map((p) => p.page * 65536 + p.cellOffset),
    'cell index in its page': positions.map((p) => p.cellIndex),
    rowid: positions.map((p) => p.rowid ?? 0),
  };
}
