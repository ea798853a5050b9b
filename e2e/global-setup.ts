import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { buildDatabaseTemplate } from '@nguon/shared/testing';
import type { TestProject } from 'vitest/node';
import { startStack } from '@nguon/gateway/stack';
import { DEMO_PASSWORD } from '@nguon/shared/testing';

/**
 * Once per run: migrate and seed the demo data set into a template database,
 * so each test file clones it instead of seeding its own (about 15 s a file on
 * this 2-core machine). Each file still gets a database of its own.
 */
export default async function setup(project: TestProject) {
  const directory = mkdtempSync(join(tmpdir(), 'nguon-test-'));
  const { template, drop } = await buildDatabaseTemplate(async (connection) => {
    const stack = await startStack({ connection, seedPassword: DEMO_PASSWORD });
    await stack.close();
  }, directory);
  project.provide('seededTemplate', template);
  return async () => {
    await drop();
    rmSync(directory, { recursive: true, force: true });
  };
}
