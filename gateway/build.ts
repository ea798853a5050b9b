/**
 * Production build of the gateway: one ES module per entry under gateway/dist/,
 * our TypeScript (gateway and @nguon/* workspaces) bundled, every npm package
 * left external and loaded by Node from node_modules as usual. Running the
 * bundle with plain `node` drops tsx's loader thread and its copy of every
 * module's source (about 100 MB of the gateway's RSS; BENCHMARKS.md).
 *
 *   npm run build                       → gateway/dist/index.mjs (production entry)
 *   tsx gateway/build.ts <entry.ts> <name>  → gateway/dist/<name>.mjs (bench/lib/ours.ts uses this)
 */
import { fileURLToPath } from 'node:url';
import { build, type Plugin } from 'esbuild';

const here = fileURLToPath(new URL('.', import.meta.url));

/** Bare imports are external unless they name one of our workspaces (TypeScript that Node cannot load). */
const externalPackages: Plugin = {
  name: 'external-packages',
  setup(b) {
    b.onResolve({ filter: /^[^./]/ }, (args) => (args.path.startsWith('@nguon/') ? undefined : { path: args.path, external: true }));
  },
};

export async function buildEntry(entry: string, name: string): Promise<string> {
  const outfile = `${here}dist/${name}.mjs`;
  await build({
    entryPoints: [entry],
    outfile,
    bundle: true,
    platform: 'node',
    target: 'node20',
    format: 'esm',
    sourcemap: 'linked',
    plugins: [externalPackages],
    // Files found next to the source (supergraph, fonts) are found the same way next to dist/.
    logLevel: 'warning',
  });
  return outfile;
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  const [entry, name] = process.argv.slice(2);
  const out = await buildEntry(entry ?? `${here}src/index.ts`, name ?? 'index');
  console.log(`built ${out}`);
}
