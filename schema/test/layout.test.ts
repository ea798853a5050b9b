import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { compose } from '../compose';

const root = fileURLToPath(new URL('../../', import.meta.url));

describe('schema/supergraph.graphql and schema/api.graphql', () => {
  it('are what composing the four subgraph schemas gives today', () => {
    const { supergraph, api } = compose();
    expect(readFileSync(`${root}schema/supergraph.graphql`, 'utf8')).toBe(supergraph);
    expect(readFileSync(`${root}schema/api.graphql`, 'utf8')).toBe(api);
  });
});

describe('docker-compose.yml', () => {
  // No Docker engine runs here; this keeps the file honest about the code it starts.
  const file = parse(readFileSync(`${root}docker-compose.yml`, 'utf8'), { merge: true });
  const services = file.services as Record<string, any>;

  it('runs postgres:16 with a healthcheck, every subgraph and the gateway', () => {
    expect(services.postgres.image).toBe('postgres:16');
    expect(services.postgres.healthcheck.test.join(' ')).toContain('pg_isready');
    expect(Object.keys(services).sort()).toEqual(['analytics', 'catalog', 'gateway', 'postgres', 'tenants', 'trace']);
  });

  it('copies every workspace package.json before npm ci, so the lockfile installs in the image', () => {
    const workspaces = (JSON.parse(readFileSync(`${root}package.json`, 'utf8')) as { workspaces: string[] }).workspaces;
    const dirs = workspaces
      .flatMap((w) => (w.endsWith('/*') ? readdirSync(`${root}${w.slice(0, -2)}`).map((d) => `${w.slice(0, -2)}/${d}`) : [w]))
      .filter((d) => existsSync(`${root}${d}/package.json`));
    const dockerfile = services.gateway.build.dockerfile_inline as string;
    for (const dir of dirs) expect(dockerfile, dir).toContain(`COPY ${dir}/package.json ${dir}/`);
  });

  it('publishes only the gateway port', () => {
    const published = Object.entries(services)
      .filter(([, s]) => s.ports?.length)
      .map(([name]) => name);
    expect(published).toEqual(['gateway']);
  });

  it('starts entry points that exist, configured with the variables they require', () => {
    for (const [name, service] of Object.entries(services)) {
      if (name === 'postgres') continue;
      const entry = service.command.at(-1) as string;
      const built = /^(.+)\/dist\/(.+)\.mjs$/.exec(entry);
      if (built) {
        // A production bundle is not in the repository: the image builds it (npm run build) from its source.
        expect(existsSync(`${root}${built[1]}/src/${built[2]}.ts`), entry).toBe(true);
        expect(service.build.dockerfile_inline, name).toMatch(/^RUN npm run build$/m);
      } else {
        expect(existsSync(`${root}${entry}`), entry).toBe(true);
      }
      expect(service.environment.GATEWAY_SECRET).toMatch(/\$\{GATEWAY_SECRET:\?/);
      if (name !== 'gateway') expect(service.environment.DATABASE_URL).toMatch(/^postgres:\/\//);
    }
    expect(services.gateway.environment.TOKEN_SECRET).toMatch(/\$\{TOKEN_SECRET:\?/);
    expect(services.tenants.environment.TOKEN_SECRET).toMatch(/\$\{TOKEN_SECRET:\?/);
    expect(services.trace.environment.VERIFICATION_SECRET).toMatch(/\$\{VERIFICATION_SECRET:\?/);
    expect(services.trace.environment.PUBLIC_BASE_URL).toBeTruthy();
  });
});
