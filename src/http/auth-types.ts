import type { Actor } from '../core/actor.ts';

/** Hono variables set by the middleware (`context.get('user')`): the person behind the request. */
export interface AppVariables {
  user: Actor;
}

export interface AppEnvironment {
  Variables: AppVariables;
}
