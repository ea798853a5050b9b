import net from 'node:net';
import { afterAll, describe, expect, it } from 'vitest';
import { startTestStack, type TestStack } from './helpers';

/**
 * "No network beyond loopback": every socket the stack opens while it starts
 * and serves must go to this machine. @apollo/gateway, for one, would export
 * usage metrics to Apollo and probe cloud metadata servers if let.
 */
const destinations: string[] = [];
const original = net.Socket.prototype.connect;
net.Socket.prototype.connect = function (this: net.Socket, ...args: unknown[]) {
  // net.connect hands Socket#connect its normalised arguments as one array: [options, callback].
  const first = Array.isArray(args[0]) ? args[0][0] : args[0];
  const options = (typeof first === 'object' && first !== null ? first : { port: first, host: args[1] }) as { host?: string; path?: string };
  destinations.push(options.path ? `unix:${options.path}` : String(options.host ?? 'localhost'));
  return (original as (...a: unknown[]) => net.Socket).apply(this, args);
} as typeof net.Socket.prototype.connect;

let stack: TestStack | undefined;
afterAll(async () => {
  await stack?.stop();
  net.Socket.prototype.connect = original;
});

describe('network boundary', () => {
  it('opens no connection beyond loopback while starting, serving and idling', async () => {
    stack = await startTestStack();
    const result = await stack.gql(
      '{ organizations(kind: PRODUCER, first: 2) { nodes { path products(first: 1) { nodes { gtin } } stats { productCount } } } }',
    );
    expect(result.errors).toBeUndefined();
    // Telemetry exporters and resource detectors start on timers: give them a moment.
    await new Promise((r) => setTimeout(r, 3000));
    const foreign = destinations.filter((d) => !/^(127\.\d+\.\d+\.\d+|localhost|::1|unix:.*)$/.test(d));
    expect(destinations.length).toBeGreaterThan(0);
    expect(foreign).toEqual([]);
  });
});
