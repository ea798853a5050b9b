/** Turns bench/results/*.json into the tables of BENCHMARKS.md (written by the last run). */
import { existsSync, readFileSync, writeFileSync } from 'node:fs';

export function writeReport(results: URL, quick: boolean) {
  const read = (name: string) => {
    const file = new URL(`${quick ? 'quick-' : ''}${name}.json`, results);
    return existsSync(file) ? JSON.parse(readFileSync(file, 'utf8')) : null;
  };
  const run = JSON.parse(readFileSync(new URL(`${quick ? 'run-quick' : 'run'}.json`, results), 'utf8'));
  const lines: string[] = [];
  const row = (name: string, t: any) =>
    `| ${name} | ${t.rps} (${t.rpsMin}–${t.rpsMax}) | ${t.p50} | ${t.p99} | ${t.errors} | ${t.cpuMsPerRequest} | ${t.subgraphCpuMsPerRequest} | ${t.subgraphCallsPerRequest} | ${t.sqlPerRequest} | ${t.peakRssMb} |`;
  const header =
    '| target | req/s median (min–max) | p50 ms | p99 ms | errors | CPU ms/req (target) | CPU ms/req (subgraphs) | subgraph calls/op | SQL/op | peak RSS MB |\n|---|---|---|---|---|---|---|---|---|---|';
  lines.push(`### Run: \`${run.command}\` — ${run.date}`, '');
  lines.push(
    `Machine: ${run.machine.cpus} × ${run.machine.cpuModel}, ${run.machine.memoryGb} GB, Node ${run.machine.node}. Versions: ${Object.entries(run.versions)
      .map(([k, v]) => `${k} ${v}`)
      .join(', ')}.`,
  );
  lines.push(
    `Data: S=${run.scale} (${JSON.stringify(run.shape)}), loaded in ${run.dataLoadSeconds} s. Load: autocannon, ${run.connections} connections, ${run.rounds} alternating round(s) of ${run.secondsPerRound} s after ${run.warmupSeconds} s warm-up per target. Total ${run.totalSeconds} s.`,
    '',
  );
  const s1 = read('s1');
  if (s1) {
    lines.push(`#### ${s1.scenario}`, '', header, ...Object.entries(s1.targets).map(([n, t]) => row(n, t)), '');
    lines.push(
      `ours ÷ strongest peer: **${s1.oursOverStrongestPeer}×**; federation tax (floor ÷ ours): ${s1.federationTax}×; unloaded p50 via gateway ${s1.unloaded.gatewayP50Ms} ms vs sum of its direct subgraph calls ${s1.unloaded.directSubgraphCallsSumP50Ms} ms (**${s1.unloaded.ratio}×**).`,
      '',
    );
  }
  const s1c = read('s1c');
  if (s1c) {
    lines.push(`#### ${s1c.scenario}`, '', header, ...Object.entries(s1c.targets).map(([n, t]) => row(n, t)), '');
    lines.push(`ours ÷ Hive Gateway with its response cache: **${s1c.oursOverStrongestPeer}×**.`, '');
  }
  const s2 = read('s2');
  if (s2) {
    lines.push(`#### ${s2.scenario}`, '');
    for (const [n, r] of Object.entries<any>(s2.byN)) {
      lines.push(
        `N = ${n}`,
        '',
        header,
        ...Object.entries(r.targets).map(([name, t]) => row(name, t)),
        '',
        `ours ÷ strongest peer: **${r.oursOverStrongestPeer}×**; federation tax: ${r.federationTax}×`,
        '',
      );
    }
  }
  for (const key of ['s3', 's4', 's5']) {
    const s = read(key);
    if (!s) continue;
    lines.push(`#### ${s.scenario}`, '', '| path | median ms | p90 ms | runs |', '|---|---|---|---|');
    lines.push(
      `| ours (gateway) | ${s.ours.medianMs} | ${s.ours.p90Ms} | ${s.ours.runs} |`,
      `| direct SQL | ${s.sql.medianMs} | ${s.sql.p90Ms} | ${s.sql.runs} |`,
      '',
    );
    const extra =
      key === 's4'
        ? ` — ours ${s.oursEventsPerSecond} events/s vs SQL ${s.sqlEventsPerSecond} events/s; ours ÷ SQL throughput **${s.ratio}×**`
        : ` — ours ÷ SQL latency **${s.ratio}×**${s.reachedLots ? ` (${s.reachedLots} lots reached)` : ''}${s.groups ? ` (${s.groups} groups)` : ''}`;
    lines.push(extra.slice(3), '');
  }
  const file = new URL('../../BENCHMARKS.md', results);
  const doc = existsSync(file) ? readFileSync(file, 'utf8') : '';
  const marker = quick ? 'QUICK' : 'FULL';
  const start = `<!-- ${marker} RESULTS START -->`;
  const end = `<!-- ${marker} RESULTS END -->`;
  const block = `${start}\n${lines.join('\n')}\n${end}`;
  const next = doc.includes(start) ? doc.replace(new RegExp(`${start}[\\s\\S]*?${end}`), block) : `${doc}\n${block}\n`;
  writeFileSync(file, next);
}
