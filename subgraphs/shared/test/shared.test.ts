import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { ConfigError, parseEnv, subgraphEnvSchema } from '../src/env';
import { foldVietnamese, localize, localizedField, parseAcceptLanguage } from '../src/i18n';
import { stableId, uuidv7 } from '../src/ids';
import { decodeCursor, encodeCursor, pageSize } from '../src/pagination';
import { canReadAggregates, canReadInternal, canReadPersonal, covers, signViewer, verifyViewer } from '../src/viewer';

describe('tree paths', () => {
  it('a node covers itself and its descendants, not a sibling whose name starts the same', () => {
    expect(covers('ct.agri', 'ct.agri')).toBe(true);
    expect(covers('ct.agri', 'ct.agri.phong_dien.p1')).toBe(true);
    expect(covers('ct.agri', 'ct.agriculture')).toBe(false);
    expect(covers('ct.agri.phong_dien', 'ct.agri')).toBe(false);
  });

  it('gives INTERNAL to supervisors and staff, PERSONAL to the owner ADMIN and city ADMIN, AGGREGATE to analysts', () => {
    const user = (role: 'ADMIN' | 'OFFICER' | 'ANALYST' | 'STAFF', path: string) => ({
      kind: 'user' as const,
      requestId: 'r',
      userId: 'u',
      grants: [{ role, path, orgId: 'o' }],
    });
    const item = 'ct.agri.phong_dien.p1';
    expect(canReadInternal(user('OFFICER', 'ct.agri.phong_dien'), item)).toBe(true);
    expect(canReadInternal(user('ANALYST', 'ct'), item)).toBe(false);
    expect(canReadInternal(user('STAFF', 'ct.agri.phong_dien.p2'), item)).toBe(false);
    expect(canReadPersonal(user('ADMIN', 'ct.agri'), item)).toBe(false);
    expect(canReadPersonal(user('ADMIN', 'ct'), item)).toBe(true);
    expect(canReadPersonal(user('ADMIN', item), item)).toBe(true);
    expect(canReadAggregates(user('ANALYST', 'ct.agri'), item)).toBe(true);
    expect(canReadAggregates(user('STAFF', item), item)).toBe(false);
  });
});

describe('signed viewer header', () => {
  const secret = 's'.repeat(40);
  it('round-trips, and refuses another key, a changed byte or an expired header', () => {
    const header = signViewer({ kind: 'anonymous', requestId: 'r1' }, secret);
    expect(verifyViewer(header, secret)).toEqual({ kind: 'anonymous', requestId: 'r1' });
    expect(verifyViewer(header, 't'.repeat(40))).toBeNull();
    expect(verifyViewer(`${header.slice(0, -2)}AA`, secret)).toBeNull();
    expect(verifyViewer(signViewer({ kind: 'anonymous', requestId: 'r1' }, secret, -5), secret)).toBeNull();
    expect(verifyViewer('garbage', secret)).toBeNull();
    expect(verifyViewer(undefined, secret)).toBeNull();
  });
});

describe('languages', () => {
  it('orders Accept-Language by quality', () => {
    expect(parseAcceptLanguage('en-US,en;q=0.9,vi;q=0.8')).toEqual(['en-us', 'en', 'vi']);
    expect(parseAcceptLanguage('vi;q=0.2, fr')).toEqual(['fr', 'vi']);
  });
  it('falls back to Vietnamese and says so', () => {
    expect(localize({ vi: 'Gạo', en: 'Rice' }, ['en-us'])).toMatchObject({ text: 'Rice', lang: 'en', fallback: false });
    expect(localize({ vi: 'Gạo' }, ['en'])).toMatchObject({ text: 'Gạo', lang: 'vi', fallback: true });
    expect(localizedField({ vi: 'Gạo' }, 'ja', [])).toMatchObject({ lang: 'vi', fallback: true });
  });
  it('refuses a malformed language tag', () => {
    expect(() => localizedField({ vi: 'Gạo' }, 'not a tag', [])).toThrow(/BCP 47/);
  });
  it('folds Vietnamese diacritics for search', () => {
    expect(foldVietnamese('Gạo thơm  Thốt Nốt ĐẶC SẢN')).toBe('gao thom thot not dac san');
  });
});

describe('ids and cursors', () => {
  it('makes time-ordered v7 UUIDs and stable v8 UUIDs', () => {
    const ids = Array.from({ length: 1000 }, () => uuidv7());
    expect([...ids].sort()).toEqual(ids);
    expect(ids[0]).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-7[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
    expect(stableId('a', 'b')).toBe(stableId('a', 'b'));
    expect(stableId('a', 'b')).not.toBe(stableId('a', 'c'));
  });
  it('round-trips cursors and refuses foreign ones', () => {
    expect(decodeCursor(encodeCursor('ct.agri'))).toBe('ct.agri');
    expect(() => decodeCursor('bm9wZQ')).toThrow(/cursor/);
  });
  it('caps page sizes with an error, not silently', () => {
    expect(pageSize(undefined)).toBe(20);
    expect(pageSize(100)).toBe(100);
    expect(() => pageSize(101)).toThrow(/at most 100/);
    expect(() => pageSize(-1)).toThrow(/non-negative/);
  });
});

describe('configuration', () => {
  it('reports every problem at once', () => {
    try {
      parseEnv(subgraphEnvSchema(4102), { PORT: 'eighty', DATABASE_URL: 'mysql://x', GATEWAY_SECRET: 'short' });
      expect.unreachable();
    } catch (error) {
      expect(error).toBeInstanceOf(ConfigError);
      const problems = (error as ConfigError).problems.join('\n');
      expect(problems).toMatch(/PORT/);
      expect(problems).toMatch(/DATABASE_URL: must be a postgres:\/\/ URL/);
      expect(problems).toMatch(/GATEWAY_SECRET: must have at least 32 characters/);
    }
  });
  it('applies defaults', () => {
    const env = parseEnv(subgraphEnvSchema(4102).extend({ X: z.string().default('y') }), { DATABASE_URL: 'postgres://h/db', GATEWAY_SECRET: 'x'.repeat(32) });
    expect(env).toMatchObject({ PORT: 4102, DB_POOL_MAX: 10, X: 'y' });
  });
});
