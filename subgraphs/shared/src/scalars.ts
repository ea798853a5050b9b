import { GraphQLError, GraphQLScalarType, Kind, type ValueNode } from 'graphql';
import { ErrorCode } from './errors';
import { GtinError, normalizeGtin } from '@nguon/gs1';

const invalid = (message: string) => new GraphQLError(message, { extensions: { code: ErrorCode.BAD_USER_INPUT } });
const literalString = (ast: ValueNode, name: string): string => {
  if (ast.kind !== Kind.STRING) throw invalid(`${name} must be a string.`);
  return ast.value;
};

// ISO 8601 with an explicit offset: an EPCIS time without one is ambiguous.
const DATE_TIME = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d{1,9})?)?(Z|[+-]\d{2}:\d{2})$/;
const DATE = /^\d{4}-\d{2}-\d{2}$/;

function parseDateTime(value: unknown): Date {
  if (typeof value !== 'string' || !DATE_TIME.test(value)) {
    throw invalid('DateTime must be ISO 8601 with a time zone offset, e.g. 2026-03-01T07:30:00+07:00.');
  }
  const date = new Date(value);
  if (Number.isNaN(date.getTime())) throw invalid(`${value} is not a real date and time.`);
  // PostgreSQL has no year 0; years are 0001–9999 here.
  if (Number(value.slice(0, 4)) < 1) throw invalid(`${value} is before year 1.`);
  return date;
}

function parseDate(value: unknown): string {
  if (typeof value !== 'string' || !DATE.test(value)) throw invalid('Date must be YYYY-MM-DD.');
  const date = new Date(`${value}T00:00:00Z`);
  if (Number.isNaN(date.getTime()) || date.toISOString().slice(0, 10) !== value) throw invalid(`${value} is not a real date.`);
  if (Number(value.slice(0, 4)) < 1) throw invalid(`${value} is before year 1.`);
  return value;
}

function parseGtin(value: unknown): string {
  if (typeof value !== 'string') throw invalid('GTIN must be a string of digits.');
  try {
    return normalizeGtin(value);
  } catch (error) {
    if (error instanceof GtinError) throw invalid(error.message);
    throw error;
  }
}

export const DateTimeScalar = new GraphQLScalarType<Date, string>({
  name: 'DateTime',
  description: 'An instant as ISO 8601 with a time zone offset.',
  serialize: (value) => (value instanceof Date ? value : new Date(String(value))).toISOString(),
  parseValue: parseDateTime,
  parseLiteral: (ast) => parseDateTime(literalString(ast, 'DateTime')),
});

export const DateScalar = new GraphQLScalarType<string, string>({
  name: 'Date',
  description: 'A calendar date, YYYY-MM-DD.',
  serialize: (value) => (value instanceof Date ? value.toISOString().slice(0, 10) : String(value)),
  parseValue: parseDate,
  parseLiteral: (ast) => parseDate(literalString(ast, 'Date')),
});

export const GTINScalar = new GraphQLScalarType<string, string>({
  name: 'GTIN',
  description: 'A GS1 Global Trade Item Number as 14 digits; GTIN-8/12/13 input is accepted, check digit verified.',
  serialize: (value) => String(value),
  parseValue: parseGtin,
  parseLiteral: (ast) => parseGtin(literalString(ast, 'GTIN')),
});
