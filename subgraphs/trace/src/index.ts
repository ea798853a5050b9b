import { z } from 'zod';
import { envSecret, runSubgraphProcess } from '@nguon/shared';
import { traceSubgraph } from './server';

runSubgraphProcess(
  'trace',
  4103,
  (env) => {
    if (env.NATIONAL_PORTAL_URL && (!env.GATEWAY_URL || !env.NATIONAL_PORTAL_API_KEY))
      throw new Error('NATIONAL_PORTAL_URL needs GATEWAY_URL and NATIONAL_PORTAL_API_KEY (a key with internal:read).');
    return traceSubgraph({
      publicBaseUrl: () => env.PUBLIC_BASE_URL,
      verificationSecret: env.VERIFICATION_SECRET,
      nationalPortal: env.NATIONAL_PORTAL_URL
        ? { portalUrl: env.NATIONAL_PORTAL_URL, gatewayUrl: env.GATEWAY_URL!, apiKey: env.NATIONAL_PORTAL_API_KEY!, portalToken: env.NATIONAL_PORTAL_TOKEN }
        : undefined,
    });
  },
  {
    /** Where consumers reach the resolver: Digital Link URIs and QR codes are built on it. */
    PUBLIC_BASE_URL: z.string().url(),
    /** Key of the HMAC over items' hidden verification codes. */
    VERIFICATION_SECRET: envSecret(),
    /** Where published lots' records are pushed; unset: they are only queued. */
    NATIONAL_PORTAL_URL: z.string().url().optional(),
    /** Bearer token for the portal, if it wants one. */
    NATIONAL_PORTAL_TOKEN: z.string().min(1).optional(),
    /** The gateway the worker reads records from (needed with NATIONAL_PORTAL_URL). */
    GATEWAY_URL: z.string().url().optional(),
    /** API key with internal:read on the city node (needed with NATIONAL_PORTAL_URL). */
    NATIONAL_PORTAL_API_KEY: z.string().min(1).optional(),
  },
);
