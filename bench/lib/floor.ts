/**
 * Child process: the floor — a minimal node:http server answering each
 * scenario with ONE hand-written SQL statement that builds the same JSON the
 * graph returns (the physical limit of the database path). Takes the same
 * GraphQL request body and reads only its variables.
 */
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import postgres from 'postgres';
import { floorSql } from './queries';

const sql = postgres(process.env.DATABASE_URL!, { max: 16, onnotice: () => {}, prepare: true });
const server = createServer((req, res) => {
  const chunks: Buffer[] = [];
  req.on('data', (c: Buffer) => chunks.push(c));
  req.on('end', async () => {
    try {
      const { variables } = JSON.parse(Buffer.concat(chunks).toString('utf8'));
      const scenario = (req.url ?? '').split('/').pop()!;
      const { text, params } = floorSql(scenario, variables);
      const [row] = await sql.unsafe(text, params as never[], { prepare: true });
      const body = `{"data":${row!.data}}`;
      res.writeHead(200, { 'content-type': 'application/json', 'content-length': Buffer.byteLength(body) });
      res.end(body);
    } catch (error) {
      res.writeHead(500, { 'content-type': 'application/json' });
      res.end(JSON.stringify({ errors: [{ message: String(error) }] }));
    }
  });
});
server.keepAliveTimeout = 65_000;
server.listen(0, '127.0.0.1', () => {
  const { port } = server.address() as AddressInfo;
  process.stdout.write(`${JSON.stringify({ ready: `http://127.0.0.1:${port}/floor` })}\n`);
});
process.on('SIGTERM', () => {
  server.closeAllConnections();
  server.close(() => sql.end().then(() => process.exit(0)));
});
