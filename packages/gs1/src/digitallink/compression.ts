/**
 * Compressed GS1 Digital Link URIs (GS1 Digital Link Standard: URI Syntax,
 * section "Compression"). The whole set of Application Identifiers is packed
 * into a bit string and written as one path segment in the URI-safe base64
 * alphabet (RFC 4648 §5), e.g. `https://id.gs1.org/AQnYUc1gmg` for
 * `/01/05412345000013`.
 *
 * The bit string is a sequence of entries, each starting with two hex digits
 * (4 bits each):
 *  - two decimal digits: the start of an AI; the AI's remaining digits follow
 *    as further 4-bit digits (how many is fixed by its first two digits), then
 *    its value encoded according to the AI's format;
 *  - a defined "optimisation" code (e.g. 0B = AI 01 then AI 10): the values
 *    of that sequence of AIs follow, without their AI digits;
 *  - F and 7 more bits of key length: a non-GS1 key (6-bit base64url
 *    characters) and its value, as a compressed query parameter.
 * Value encodings:
 *  - numeric of fixed length n: the number in binary, in ceil(n·log2(10)) bits;
 *  - numeric of variable length (max m): the digit count in ceil(log2(m)) bits,
 *    then the number as above;
 *  - alphanumeric: a 3-bit encoding indicator (0 digits, 1 lower-case hex,
 *    2 upper-case hex, 3 base64url alphabet, 4 7-bit ASCII), then for variable
 *    length the character count in ceil(log2(max)) bits, then the characters.
 * Dates (11, 13, 15, 16, 17 …) are plain fixed-length numerics.
 * The string is padded with zero bits to a multiple of 6.
 */

export class CompressedLinkError extends Error {}

const BASE64URL = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_';
const HEX = '0123456789abcdef';

/** Bits for a number of `digits` decimal digits; the standard's formula, kept exact (including its +0.01). */
const digitBits = (digits: number) => Math.ceil((digits * Math.log(10)) / Math.log(2) + 0.01);
/** Bits for a length indicator of a value of at most `max` characters. */
const lengthBits = (max: number) => Math.ceil(Math.log(max) / Math.log(2) + 0.01);

// ---------------------------------------------------------------------------
// Tables

/** Number of digits of an AI, by its first two digits (GS1 General Specifications §3.2). */
const AI_DIGITS: Record<string, number> = {};
for (const p of '00 01 02 10 11 12 13 15 16 17 20 21 22 30 37 90 91 92 93 94 95 96 97 98 99'.split(' ')) AI_DIGITS[p] = 2;
for (const p of '23 24 25 40 41 42 71'.split(' ')) AI_DIGITS[p] = 3;
for (const p of '31 32 33 34 35 36 39 43 70 72 80 81 82'.split(' ')) AI_DIGITS[p] = 4;

export type Part = { type: 'N' | 'X'; fixed?: number; max?: number };

/** Value formats, written compactly: `N14` fixed numeric, `N..8` variable numeric, `X..20` variable alphanumeric, parts separated by spaces. */
const FORMATS: Record<string, Part[]> = {};
const parseFormat = (spec: string): Part[] =>
  spec.split(' ').map((p) => {
    const m = /^([NX])(\.\.)?(\d+)$/.exec(p)!;
    return m[2] ? { type: m[1] as 'N' | 'X', max: Number(m[3]) } : { type: m[1] as 'N' | 'X', fixed: Number(m[3]) };
  });
const range = (from: number, to: number) => Array.from({ length: to - from + 1 }, (_, i) => String(from + i));
const define = (ais: string[], spec: string) => {
  const parts = parseFormat(spec);
  for (const ai of ais) FORMATS[ai] = parts;
};
define(['00'], 'N18');
define(['01', '02'], 'N14');
define(['10', '21', '22'], 'X..20');
define(['11', '12', '13', '15', '16', '17'], 'N6');
define(['20'], 'N2');
define(['235'], 'X..28'); // TPX; the 2019 prototype still had N3 X..28
define(['240', '241', '250', '251'], 'X..30');
define(['242'], 'N..6');
define(['243', '254'], 'X..20');
define(['253'], 'N13 X..17');
define(['255'], 'N13 N..12');
define(['30', '37'], 'N..8');
// Trade measures 310n–369n (n = decimal places 0–5).
for (const [from, to] of [
  [310, 316],
  [320, 329],
  [330, 337],
  [340, 349],
  [350, 357],
  [360, 369],
] as const)
  for (const a of range(from, to))
    define(
      range(0, 5).map((d) => a + d),
      'N6',
    );
define(range(3900, 3909), 'N..15');
define(range(3920, 3929), 'N..15');
define(range(3910, 3919), 'N3 N..15');
define(range(3930, 3939), 'N3 N..15');
define(range(3940, 3943), 'N4');
define(range(3950, 3959), 'N6');
define(['400', '401', '403'], 'X..30');
define(['402'], 'N17');
define(range(410, 417), 'N13');
define(['420'], 'X..20');
define(['421'], 'N3 X..9');
define(['422', '424', '426'], 'N3');
define(['423', '425'], 'N3 N..12');
define(['427'], 'X..3');
define(['4300', '4301', '4310', '4311', '4320'], 'X..35');
define([...range(4302, 4306), ...range(4312, 4316)], 'X..70');
define(['4307', '4317'], 'X2');
define(['4308', '4319'], 'X..30');
define(['4309'], 'N20');
define(['4318'], 'X..20');
define(range(4321, 4323), 'N1');
define(['4324', '4325'], 'N10');
define(['4326'], 'N6');
define(['7001'], 'N13');
define(['7002'], 'X..30');
define(['7003'], 'N10');
define(['7004'], 'N..4');
define(['7005'], 'X..12');
define(['7006'], 'N6');
define(['7007'], 'N6 N..6');
define(['7008'], 'X..3');
define(['7009'], 'X..10');
define(['7010'], 'X..2');
define(range(7020, 7022), 'X..20');
define(['7023'], 'X..30');
define(range(7030, 7039), 'N3 X..27');
define(['7040'], 'N1 X3');
define(range(710, 715), 'X..20');
define(range(7230, 7239), 'X..30');
define(['7240'], 'X..20');
define(['8001'], 'N14');
define(['8002', '8012'], 'X..20');
define(['8003'], 'N14 X..16');
define(['8004', '8010', '8013'], 'X..30');
define(['8005'], 'N6');
define(['8006', '8017', '8018', '8026'], 'N18');
define(['8007'], 'X..24');
define(['8008'], 'N8 N..4');
define(['8009'], 'X..50');
define(['8011'], 'N..12');
define(['8019'], 'N..10');
define(['8020'], 'X..25');
define(['8110', '8112', '8200'], 'X..70');
define(['8111'], 'N4');
define(['90'], 'X..30');
define(range(91, 99), 'X..90');

/** The value format of an AI (GS1 General Specifications §3.2), or undefined when it is not a GS1 Application Identifier. */
export const aiFormat = (ai: string): readonly Readonly<Part>[] | undefined => (Object.hasOwn(FORMATS, ai) ? FORMATS[ai] : undefined);

/**
 * Optimisation codes: one byte standing for a common sequence of AIs. Order matters to
 * the compressor (on a tie the earlier code wins), as in GS1's reference implementation.
 */
const OPTIMISATIONS: Array<[number, string[]]> = [
  [0x0a, ['01', '22']],
  [0x0b, ['01', '10']],
  [0x0c, ['01', '21']],
  [0x0d, ['01', '17']],
  [0x0e, ['01', '7003']],
  [0x0f, ['01', '30']],
  [0x1a, ['01', '10', '21', '17']],
  [0x1b, ['01', '15']],
  [0x1c, ['01', '11']],
  [0x1d, ['01', '16']],
  [0x1e, ['01', '91']],
  [0x1f, ['01', '10', '15']],
  ...range(0, 5).map((d): [number, string[]] => [0x2a + Number(d), ['01', `310${d}`]]),
  ...range(0, 5).map((d): [number, string[]] => [0x3a + Number(d), ['01', `320${d}`]]),
  [0x9a, ['8010', '8011']],
  [0x9b, ['8017', '8019']],
  [0x9c, ['8018', '8019']],
  [0x9d, ['414', '254']],
  ...range(0, 9).map((d): [number, string[]] => [0xa0 + Number(d), ['01', `392${d}`]]),
  ...range(0, 9).map((d): [number, string[]] => [0xc0 + Number(d), ['255', `390${d}`]]),
  ...range(0, 3).map((d): [number, string[]] => [0xca + Number(d), ['255', `394${d}`]]),
];
const OPTIMISATION_BY_CODE = new Map(OPTIMISATIONS);

// ---------------------------------------------------------------------------
// Decompression

class BitReader {
  pos = 0;
  constructor(readonly bits: string) {}
  get remaining() {
    return this.bits.length - this.pos;
  }
  read(n: number): string {
    if (n > this.remaining) throw new CompressedLinkError('The compressed Digital Link ends in the middle of a value.');
    const out = this.bits.slice(this.pos, this.pos + n);
    this.pos += n;
    return out;
  }
  int(n: number): number {
    return n === 0 ? 0 : parseInt(this.read(n), 2);
  }
  big(n: number): bigint {
    return BigInt(`0b${this.read(n)}`);
  }
}

function readDigits(r: BitReader, count: number): string {
  const value = r.big(digitBits(count));
  if (count === 0) return ''; // an empty value still takes the formula's one bit
  const text = value.toString();
  if (text.length > count) throw new CompressedLinkError(`A numeric value is larger than its ${count} digits allow.`);
  return text.padStart(count, '0');
}

function readCharacters(r: BitReader, encoding: number, count: number): string {
  switch (encoding) {
    case 0:
      return readDigits(r, count);
    case 1:
    case 2: {
      let s = '';
      for (let i = 0; i < count; i++) s += HEX[r.int(4)]!;
      return encoding === 1 ? s : s.toUpperCase();
    }
    case 3: {
      let s = '';
      for (let i = 0; i < count; i++) s += BASE64URL[r.int(6)]!;
      return s;
    }
    case 4: {
      let s = '';
      for (let i = 0; i < count; i++) s += String.fromCharCode(r.int(7));
      return s;
    }
    default:
      throw new CompressedLinkError(`Unknown value encoding ${encoding} in the compressed Digital Link.`);
  }
}

function readValue(r: BitReader, ai: string): string {
  const format = FORMATS[ai];
  if (!format) throw new CompressedLinkError(`AI ${ai} is not supported in a compressed Digital Link.`);
  let value = '';
  for (const part of format) {
    if (part.type === 'N') {
      if (part.fixed) value += readDigits(r, part.fixed);
      else {
        const count = r.int(lengthBits(part.max!));
        if (count > part.max!) throw new CompressedLinkError(`AI ${ai} is longer than ${part.max} digits.`);
        value += readDigits(r, count);
      }
    } else {
      const encoding = r.int(3);
      const count = part.fixed ?? r.int(lengthBits(part.max!));
      if (count > (part.fixed ?? part.max!)) throw new CompressedLinkError(`AI ${ai} is longer than ${part.max} characters.`);
      value += readCharacters(r, encoding, count);
    }
  }
  return value;
}

function toBits(segment: string): string {
  if (!/^[A-Za-z0-9_-]+$/.test(segment)) throw new CompressedLinkError('A compressed Digital Link uses only the characters A–Z a–z 0–9 - _.');
  let bits = '';
  for (const c of segment) bits += BASE64URL.indexOf(c).toString(2).padStart(6, '0');
  return bits;
}

/**
 * Decompresses the base64url path segment of a compressed GS1 Digital Link into
 * AI → value (and, for compressed non-GS1 query parameters, key → value).
 * Throws CompressedLinkError on anything malformed.
 */
export function decompressDigitalLink(segment: string): Record<string, string> {
  const r = new BitReader(toBits(segment));
  const out: Record<string, string> = {};
  const put = (key: string, value: string) => {
    if (key in out) throw new CompressedLinkError(`AI ${key} appears twice in the compressed Digital Link.`);
    out[key] = value;
  };
  // Each entry needs more than 8 bits; fewer left over are the zero padding.
  while (r.remaining > 8) {
    const h1 = r.int(4);
    const h2 = r.int(4);
    if (h1 <= 9 && h2 <= 9) {
      let ai = `${h1}${h2}`;
      const digits = AI_DIGITS[ai];
      if (!digits) throw new CompressedLinkError(`No GS1 Application Identifier starts with ${ai}.`);
      while (ai.length < digits) {
        const d = r.int(4);
        if (d > 9) throw new CompressedLinkError('An Application Identifier in the compressed Digital Link is not numeric.');
        ai += d;
      }
      put(ai, readValue(r, ai));
    } else if (h1 === 0xf) {
      const keyLength = (h2 << 3) | r.int(3);
      let key = '';
      for (let i = 0; i < keyLength; i++) key += BASE64URL[r.int(6)]!;
      if (!key) throw new CompressedLinkError('A compressed query parameter has an empty name.');
      const encoding = r.int(3);
      put(key, readCharacters(r, encoding, r.int(7)));
    } else {
      const sequence = OPTIMISATION_BY_CODE.get((h1 << 4) | h2);
      if (!sequence) throw new CompressedLinkError(`Unknown optimisation code ${((h1 << 4) | h2).toString(16).toUpperCase()} in the compressed Digital Link.`);
      for (const ai of sequence) put(ai, readValue(r, ai));
    }
  }
  if (/1/.test(r.read(r.remaining))) throw new CompressedLinkError('The compressed Digital Link has trailing data.');
  if (Object.keys(out).length === 0) throw new CompressedLinkError('The compressed Digital Link is empty.');
  return out;
}

// ---------------------------------------------------------------------------
// Compression (for tests and label printing)

const bin = (value: bigint | number, width: number) => {
  const s = value.toString(2);
  if (s.length > width) throw new CompressedLinkError('A value does not fit its field.');
  return s.padStart(width, '0');
};

function encodingOf(s: string): number {
  if (/^\d+$/.test(s)) return 0;
  if (/^[0-9A-F]+$/.test(s)) return 2;
  if (/^[0-9a-f]+$/.test(s)) return 1;
  if (/^[A-Za-z0-9_-]+$/.test(s)) return 3;
  // eslint-disable-next-line no-control-regex -- the 7-bit ASCII range, NUL included, is the point
  if (/^[\x00-\x7f]*$/.test(s)) return 4;
  throw new CompressedLinkError('Only 7-bit ASCII can be compressed.');
}

function writeCharacters(s: string, encoding: number): string {
  switch (encoding) {
    case 0:
      return bin(s ? BigInt(s) : 0n, digitBits(s.length));
    case 1:
    case 2:
      return [...s.toLowerCase()].map((c) => bin(HEX.indexOf(c), 4)).join('');
    case 3:
      return [...s].map((c) => bin(BASE64URL.indexOf(c), 6)).join('');
    default:
      return [...s].map((c) => bin(c.charCodeAt(0), 7)).join('');
  }
}

function writeValue(ai: string, value: string): string {
  const format = FORMATS[ai];
  if (!format) throw new CompressedLinkError(`AI ${ai} is not supported in a compressed Digital Link.`);
  let bits = '';
  let rest = value;
  for (const part of format) {
    const s = part.fixed ? rest.slice(0, part.fixed) : rest;
    rest = part.fixed ? rest.slice(part.fixed) : '';
    if (part.fixed && s.length !== part.fixed) throw new CompressedLinkError(`AI ${ai} has the wrong length.`);
    if (!part.fixed && s.length > part.max!) throw new CompressedLinkError(`AI ${ai} is too long.`);
    if (part.type === 'N') {
      if (!/^\d*$/.test(s)) throw new CompressedLinkError(`AI ${ai} must be numeric.`);
      if (!part.fixed) bits += bin(s.length, lengthBits(part.max!));
      bits += writeCharacters(s, 0);
    } else {
      const encoding = encodingOf(s);
      bits += bin(encoding, 3);
      if (!part.fixed) bits += bin(s.length, lengthBits(part.max!));
      bits += writeCharacters(s, encoding);
    }
  }
  if (rest) throw new CompressedLinkError(`AI ${ai} is too long.`);
  return bits;
}

const aiBits = (ai: string) => [...ai].map((d) => bin(Number(d), 4)).join('');

/**
 * Compresses AI → value into the base64url segment. AIs are written in sorted
 * order; with `optimise`, common sequences are replaced by their one-byte code
 * (greedily, the one saving most AI digits first). `extra` holds non-GS1 query
 * parameters to compress too.
 */
export function compressDigitalLink(ais: Record<string, string>, options: { optimise?: boolean; extra?: Record<string, string> } = {}): string {
  let keys = Object.keys(ais).sort();
  let bits = '';
  if (options.optimise) {
    for (;;) {
      let best: [number, string[]] | undefined;
      for (const entry of OPTIMISATIONS)
        if (entry[1].every((ai) => keys.includes(ai)) && (!best || entry[1].join('').length > best[1].join('').length)) best = entry;
      if (!best) break;
      bits += bin(best[0], 8) + best[1].map((ai) => writeValue(ai, ais[ai]!)).join('');
      keys = keys.filter((k) => !best![1].includes(k));
    }
  }
  for (const ai of keys) {
    if (!/^\d+$/.test(ai) || AI_DIGITS[ai.slice(0, 2)] !== ai.length) throw new CompressedLinkError(`${ai} is not a GS1 Application Identifier.`);
    bits += aiBits(ai) + writeValue(ai, ais[ai]!);
  }
  for (const [key, value] of Object.entries(options.extra ?? {})) {
    if (!/^[A-Za-z0-9_-]{1,127}$/.test(key) || value.length > 127) throw new CompressedLinkError(`Cannot compress the parameter ${key}.`);
    const encoding = encodingOf(value);
    bits += '1111' + bin(key.length, 7) + writeCharacters(key, 3) + bin(encoding, 3) + bin(value.length, 7) + writeCharacters(value, encoding);
  }
  bits = bits.padEnd(Math.ceil(bits.length / 6) * 6, '0');
  let out = '';
  for (let i = 0; i < bits.length; i += 6) out += BASE64URL[parseInt(bits.slice(i, i + 6), 2)];
  return out;
}
