import { crc32 } from 'node:zlib';

/*
 * A shopper's photo is stored for the producer and the officers to look at,
 * nothing more: whatever the camera wrote beside the picture (EXIF with the
 * GPS position and the phone's serial number, XMP, text comments, timestamps)
 * is removed before it is stored. Each format is walked strictly, segment by
 * segment; a file that does not parse is refused (null), never stored as is,
 * since metadata could hide in the part that did not parse.
 */

/** Why a file was refused; the caller turns it into its own error. */
export class MalformedImage extends Error {}

function fail(why: string): never {
  throw new MalformedImage(why);
}

/**
 * JPEG: APP1–APP15 (EXIF, XMP, ICC, maker notes…) and COM segments go; SOI,
 * APP0 (JFIF), the tables, the frame, the scans with their entropy-coded data
 * and EOI stay. Anything after EOI (phones append trailers) goes too.
 */
export function stripJpeg(b: Buffer): Buffer {
  if (b.length < 4 || b[0] !== 0xff || b[1] !== 0xd8) fail('no SOI');
  const kept: Buffer[] = [b.subarray(0, 2)];
  let pos = 2;
  let framed = false;
  for (;;) {
    if (pos + 2 > b.length) fail('truncated before EOI');
    if (b[pos] !== 0xff) fail(`no marker at ${pos}`);
    // Fill bytes: any number of 0xFF before a marker.
    while (pos + 1 < b.length && b[pos + 1] === 0xff) pos++;
    if (pos + 2 > b.length) fail('truncated marker');
    const marker = b[pos + 1]!;
    if (marker === 0xd9) {
      if (!framed) fail('EOI before any scan');
      kept.push(Buffer.from([0xff, 0xd9]));
      return Buffer.concat(kept);
    }
    // Markers without a length (SOI again, RST, TEM) do not belong between segments.
    if (marker === 0x00 || marker === 0xd8 || marker === 0x01 || (marker >= 0xd0 && marker <= 0xd7)) fail(`unexpected marker ${marker.toString(16)}`);
    if (pos + 4 > b.length) fail('truncated segment length');
    const length = b.readUInt16BE(pos + 2);
    if (length < 2 || pos + 2 + length > b.length) fail('segment overruns the file');
    const end = pos + 2 + length;
    const isMetadata = (marker >= 0xe1 && marker <= 0xef) || marker === 0xfe;
    if (!isMetadata) kept.push(b.subarray(pos, end));
    pos = end;
    if (marker === 0xda) {
      // A scan: its entropy-coded data runs to the next marker that is not a stuffed 0xFF00 or a restart marker.
      const start = pos;
      while (pos + 1 < b.length && !(b[pos] === 0xff && b[pos + 1] !== 0x00 && !(b[pos + 1]! >= 0xd0 && b[pos + 1]! <= 0xd7))) pos++;
      if (pos + 1 >= b.length) fail('scan without an end');
      kept.push(b.subarray(start, pos));
      framed = true;
    }
  }
}

const PNG_SIGNATURE = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);

/**
 * PNG chunks kept: the critical ones, transparency and the colour chunks a
 * viewer needs to show the picture right, and the pixel size/background.
 * Every other ancillary chunk — eXIf, tEXt, zTXt, iTXt, tIME, private
 * chunks — goes. An unknown critical chunk cannot be shown: refused.
 */
const PNG_KEEP = new Set(['IHDR', 'PLTE', 'IDAT', 'IEND', 'tRNS', 'cHRM', 'gAMA', 'iCCP', 'sBIT', 'sRGB', 'cICP', 'mDCv', 'cLLi', 'pHYs', 'bKGD']);

export function stripPng(b: Buffer): Buffer {
  if (b.length < 8 || !b.subarray(0, 8).equals(PNG_SIGNATURE)) fail('no PNG signature');
  const kept: Buffer[] = [PNG_SIGNATURE];
  let pos = 8;
  let first = true;
  for (;;) {
    if (pos + 12 > b.length) fail('truncated before IEND');
    const length = b.readUInt32BE(pos);
    if (length > 0x7fffffff || pos + 12 + length > b.length) fail('chunk overruns the file');
    const type = b.subarray(pos + 4, pos + 8).toString('latin1');
    if (!/^[A-Za-z]{4}$/.test(type)) fail('bad chunk type');
    const end = pos + 12 + length;
    if (crc32(b.subarray(pos + 4, pos + 8 + length)) !== b.readUInt32BE(pos + 8 + length)) fail(`bad CRC in ${type}`);
    if (first && type !== 'IHDR') fail('IHDR is not first');
    first = false;
    if (PNG_KEEP.has(type)) kept.push(b.subarray(pos, end));
    else if (type[0]! >= 'A' && type[0]! <= 'Z') fail(`unknown critical chunk ${type}`);
    pos = end;
    // Bytes after IEND are no part of the picture.
    if (type === 'IEND') return Buffer.concat(kept);
  }
}

/** WebP chunks kept: the bitstreams, alpha, animation and the colour profile; EXIF, XMP and unknown chunks go. */
const WEBP_KEEP = new Set(['VP8 ', 'VP8L', 'VP8X', 'ALPH', 'ANIM', 'ANMF', 'ICCP']);
/** VP8X flag bits for "has EXIF" and "has XMP" (RIFF container spec). */
const VP8X_EXIF = 0x08;
const VP8X_XMP = 0x04;

export function stripWebp(b: Buffer): Buffer {
  if (b.length < 20 || b.subarray(0, 4).toString('latin1') !== 'RIFF' || b.subarray(8, 12).toString('latin1') !== 'WEBP') fail('no RIFF WEBP header');
  const riffEnd = 8 + b.readUInt32LE(4);
  if (riffEnd > b.length || riffEnd % 2 !== 0) fail('RIFF size does not match the file');
  const kept: Buffer[] = [];
  let pos = 12;
  while (pos < riffEnd) {
    if (pos + 8 > riffEnd) fail('truncated chunk header');
    const fourcc = b.subarray(pos, pos + 4).toString('latin1');
    const size = b.readUInt32LE(pos + 4);
    const end = pos + 8 + size + (size % 2);
    if (end > riffEnd) fail(`${fourcc} overruns the RIFF`);
    if (pos === 12 && !['VP8 ', 'VP8L', 'VP8X'].includes(fourcc)) fail('no image chunk first');
    if (WEBP_KEEP.has(fourcc)) {
      const chunk = Buffer.from(b.subarray(pos, end));
      if (fourcc === 'VP8X') {
        if (size < 10) fail('short VP8X');
        chunk[8] = chunk[8]! & ~(VP8X_EXIF | VP8X_XMP);
      }
      kept.push(chunk);
    }
    pos = end;
  }
  if (!kept.length) fail('no chunks');
  const body = Buffer.concat(kept);
  const header = Buffer.alloc(12);
  header.write('RIFF', 0, 'latin1');
  header.writeUInt32LE(4 + body.length, 4);
  header.write('WEBP', 8, 'latin1');
  return Buffer.concat([header, body]);
}

const STRIP: Record<string, (b: Buffer) => Buffer> = { 'image/jpeg': stripJpeg, 'image/png': stripPng, 'image/webp': stripWebp };

/** The picture without its metadata; null when the bytes do not parse as `type`. */
export function withoutMetadata(type: string, bytes: Buffer): Buffer | null {
  const strip = STRIP[type];
  if (!strip) return null;
  try {
    return strip(bytes);
  } catch (error) {
    if (error instanceof MalformedImage) return null;
    throw error;
  }
}
