/** The committed supergraph (schema/compose.ts writes it); the gateway never introspects subgraphs. */
export const supergraphPath = new URL('../../schema/supergraph.graphql', import.meta.url);
