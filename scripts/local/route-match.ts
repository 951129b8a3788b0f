// Matching a concrete request path to the route table, as API Gateway does in AWS: only the local
// gateway needs it (a Lambda is handed the matched resource).
import { type RouteDef, routes } from '../../shared/routes';

export interface MatchedRoute {
  route: RouteDef;
  pathParameters: Record<string, string>;
}

interface CompiledRoute {
  route: RouteDef;
  regex: RegExp;
  names: string[];
}

const compiled: CompiledRoute[] = routes.map((r) => {
  const names: string[] = [];
  const pattern = r.path
    .split(/(\{\w+\})/)
    .map((part) => {
      const param = /^\{(\w+)\}$/.exec(part);
      if (!param?.[1]) return part.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
      names.push(param[1]);
      return '([^/]+)';
    })
    .join('');
  return { route: r, regex: new RegExp(`^${pattern}$`), names };
});

/**
 * Matches a concrete request path, as API Gateway does: literal segments win over `{param}` ones.
 * Returns the methods the path supports when only the method is wrong (for 405-like answers).
 */
export function matchRoute(method: string, path: string): { match?: MatchedRoute; pathExists: boolean } {
  let pathExists = false;
  let best: { c: CompiledRoute; m: RegExpExecArray; params: number } | undefined;
  for (const c of compiled) {
    const m = c.regex.exec(path);
    if (!m) continue;
    pathExists = true;
    if (c.route.method !== method) continue;
    if (!best || c.names.length < best.params) best = { c, m, params: c.names.length };
  }
  if (!best) return { pathExists };
  const pathParameters: Record<string, string> = {};
  best.c.names.forEach((name, i) => {
    pathParameters[name] = decodeURIComponent(best.m[i + 1] ?? '');
  });
  return { match: { route: best.c.route, pathParameters }, pathExists };
}
