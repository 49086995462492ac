/**
 * The organiser's logo for the report's title page: a PNG or JPEG, checked byte by byte before
 * it is stored (structure, checksums, size), so a renderer only ever gets an image it can draw
 * and an upload can never be anything else in disguise.
 */
import { crc32 } from 'node:zlib';

export interface ReportLogo {
  data: Buffer;
  mime: 'image/png' | 'image/jpeg';
  /** Pixels, as read from the image itself. */
  width: number;
  height: number;
}

export const LOGO_LIMITS = { bytes: 512 * 1024, pixels: 4000 } as const;

export type LogoCheck = { ok: true; logo: ReportLogo } | { ok: false; reason: string };

const PNG_SIGNATURE = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);

export function checkLogo(data: Buffer): LogoCheck {
  if (data.length === 0) return { ok: false, reason: 'The file is empty' };
  if (data.length > LOGO_LIMITS.bytes) return { ok: false, reason: `A logo may be at most ${LOGO_LIMITS.bytes / 1024} KB` };
  const image = data.subarray(0, 8).equals(PNG_SIGNATURE) ? readPng(data) : data[0] === 0xff && data[1] === 0xd8 ? readJpeg(data) : null;
  if (!image) return { ok: false, reason: 'The logo must be a PNG or JPEG image' };
  if ('reason' in image) return { ok: false, reason: image.reason };
  const { width, height } = image;
  if (width < 1 || height < 1 || width > LOGO_LIMITS.pixels || height > LOGO_LIMITS.pixels) {
    return { ok: false, reason: `A logo may be at most ${LOGO_LIMITS.pixels} × ${LOGO_LIMITS.pixels} pixels` };
  }
  return { ok: true, logo: { data, mime: image.mime, width, height } };
}

type Read = { mime: ReportLogo['mime']; width: number; height: number } | { reason: string };

/** Walks every chunk, checking its checksum, from IHDR to IEND with image data between. */
function readPng(data: Buffer): Read {
  const broken = { reason: 'The PNG file is damaged' };
  let offset = 8;
  let header: { width: number; height: number } | null = null;
  let hasData = false;
  while (offset + 12 <= data.length) {
    const length = data.readUInt32BE(offset);
    const type = data.toString('latin1', offset + 4, offset + 8);
    const end = offset + 12 + length;
    if (end > data.length) return broken;
    if (crc32(data.subarray(offset + 4, offset + 8 + length)) !== data.readUInt32BE(offset + 8 + length)) return broken;
    if (header === null && type !== 'IHDR') return broken;
    if (type === 'IHDR') header = { width: data.readUInt32BE(offset + 8), height: data.readUInt32BE(offset + 12) };
    if (type === 'IDAT') hasData = true;
    if (type === 'IEND') return header && hasData && end === data.length ? { mime: 'image/png', ...header } : broken;
    offset = end;
  }
  return broken;
}

/** Walks the segments up to the frame header for the size; the file must end where JPEG ends. */
function readJpeg(data: Buffer): Read {
  const broken = { reason: 'The JPEG file is damaged' };
  if (data.length < 4 || data[data.length - 2] !== 0xff || data[data.length - 1] !== 0xd9) return broken;
  let offset = 2;
  while (offset + 4 <= data.length) {
    if (data[offset] !== 0xff) return broken;
    const marker = data[offset + 1]!;
    if (marker === 0xff) {
      offset += 1;
      continue;
    }
    const length = data.readUInt16BE(offset + 2);
    if (length < 2 || offset + 2 + length > data.length) return broken;
    // Start of frame (baseline, progressive, …): height then width, after the precision byte.
    const frame = marker >= 0xc0 && marker <= 0xcf && marker !== 0xc4 && marker !== 0xc8 && marker !== 0xcc;
    if (frame) return length >= 7 ? { mime: 'image/jpeg', height: data.readUInt16BE(offset + 5), width: data.readUInt16BE(offset + 7) } : broken;
    if (marker === 0xda) return broken;
    offset += 2 + length;
  }
  return broken;
}
