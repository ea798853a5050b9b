import type { Viewer } from '@nguon/shared/viewer';
import type { EdgeContext } from '../edge';
import { Problem } from './problem';

/** The caller, who must be signed in (a user, or a client with an API key): anonymous callers get 401 UNAUTHENTICATED. */
export async function signedIn(edge: EdgeContext, detail = 'Sign in (Bearer token) or send an API key.'): Promise<Exclude<Viewer, { kind: 'anonymous' }>> {
  const viewer = await edge.authenticate();
  if (viewer.kind === 'anonymous') throw new Problem('UNAUTHENTICATED', detail);
  return viewer;
}
