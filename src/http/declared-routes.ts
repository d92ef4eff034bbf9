import { type Env, Hono, type MiddlewareHandler } from 'hono';
import type { Handler } from 'hono/types';
import type { AuditPolicy } from '../audit/audit-actions.ts';

/** One endpoint and how it is audited, as its route file declares it. */
export interface RouteDeclaration {
  method: string;
  path: string;
  audit: AuditPolicy;
}

type RouteHandlers<E extends Env, P extends string> = [...MiddlewareHandler<E, P>[], Handler<E, P>];

/**
 * A Hono router whose every endpoint must declare its audit behaviour: `get(path, audited('…'), …)`
 * or `get(path, noAudit('why'), …)`. There is no way to add an endpoint without one, so a route
 * that forgets its audit does not compile; the declarations are kept for the route table test and
 * the docs.
 */
export class DeclaredRoutes<E extends Env> {
  readonly app = new Hono<E>();
  readonly declarations: RouteDeclaration[] = [];

  /** Middleware for every route below (authentication, roles): not an endpoint, so no declaration. */
  use(path: string, ...middleware: MiddlewareHandler<E>[]): this {
    this.app.use(path, ...middleware);
    return this;
  }

  get<P extends string>(path: P, audit: AuditPolicy, ...handlers: RouteHandlers<E, NoInfer<P>>): this {
    return this.#add('GET', path, audit, handlers);
  }

  post<P extends string>(path: P, audit: AuditPolicy, ...handlers: RouteHandlers<E, NoInfer<P>>): this {
    return this.#add('POST', path, audit, handlers);
  }

  put<P extends string>(path: P, audit: AuditPolicy, ...handlers: RouteHandlers<E, NoInfer<P>>): this {
    return this.#add('PUT', path, audit, handlers);
  }

  patch<P extends string>(path: P, audit: AuditPolicy, ...handlers: RouteHandlers<E, NoInfer<P>>): this {
    return this.#add('PATCH', path, audit, handlers);
  }

  delete<P extends string>(path: P, audit: AuditPolicy, ...handlers: RouteHandlers<E, NoInfer<P>>): this {
    return this.#add('DELETE', path, audit, handlers);
  }

  /** Mounts another declared router under `prefix`, keeping its declarations. */
  route(prefix: string, routes: DeclaredRoutes<E>): this {
    this.app.route(prefix, routes.app);
    for (const declaration of routes.declarations) {
      this.declarations.push({ ...declaration, path: joinPaths(prefix, declaration.path) });
    }
    return this;
  }

  #add<P extends string>(method: string, path: P, audit: AuditPolicy, handlers: RouteHandlers<E, P>): this {
    this.declarations.push({ method, path, audit });
    this.app.on(method, path, ...(handlers as [Handler<E, P>]));
    return this;
  }
}

export function joinPaths(prefix: string, path: string): string {
  const joined = `${prefix.replace(/\/$/, '')}/${path.replace(/^\//, '')}`;
  return joined.length > 1 ? joined.replace(/\/$/, '') : joined;
}
