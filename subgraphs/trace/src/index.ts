import { z } from 'zod';
import { envSecret, runSubgraphProcess } from '@nguon/shared';
import { traceSubgraph } from './server';

runSubgraphProcess(
  'trace',
  4103,
  (env) => traceSubgraph({ publicBaseUrl: () => env.PUBLIC_BASE_URL, verificationSecret: env.VERIFICATION_SECRET }),
  {
    /** Where consumers reach the resolver: Digital Link URIs and QR codes are built on it. */
    PUBLIC_BASE_URL: z.string().url(),
    /** Key of the HMAC over items' hidden verification codes. */
    VERIFICATION_SECRET: envSecret(),
  },
);
