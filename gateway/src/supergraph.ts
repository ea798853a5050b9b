/** The committed supergraph (schema/compose.ts writes it); the gateway never introspects subgraphs. */
export const supergraphPath = new URL('../../schema/supergraph.graphql', import.meta.url);

/**
 * The subgraphs a supergraph joins, with the URL composition recorded for each
 * (schema/compose.ts: the production layout's). The gateway needs a URL for
 * every one; `<NAME>_URL` overrides the recorded one (env.ts).
 */
export function subgraphsOf(supergraphSdl: string): { name: string; url: string }[] {
  return [...supergraphSdl.matchAll(/@join__graph\(name: "([^"]+)", url: "([^"]*)"\)/g)].map((m) => ({ name: m[1]!, url: m[2]! }));
}
