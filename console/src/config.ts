// The console's runtime settings, read from /console/config.json (the local server answers it; the
// deploy writes it next to the build). Nothing else tells the console where the API is or how to sign in.
export type ConsoleConfig =
  | { mode: 'local'; apiBase: string }
  | { mode: 'oidc'; apiBase: string; issuer: string; clientId: string; scope?: string };

let loaded: ConsoleConfig | undefined;

export async function loadConfig(): Promise<ConsoleConfig> {
  if (loaded) return loaded;
  const res = await fetch(`${import.meta.env.BASE_URL}config.json`, { cache: 'no-store' });
  if (!res.ok) throw new Error(`config.json: HTTP ${res.status}`);
  const json = (await res.json()) as Partial<ConsoleConfig>;
  if (json.mode === 'oidc' && typeof json.issuer === 'string' && typeof json.clientId === 'string') {
    loaded = {
      mode: 'oidc',
      apiBase: json.apiBase ?? '',
      issuer: json.issuer,
      clientId: json.clientId,
      scope: json.scope,
    };
  } else if (json.mode === 'local') {
    loaded = { mode: 'local', apiBase: json.apiBase ?? '' };
  } else {
    throw new Error('config.json: mode must be "local" or "oidc" (with issuer and clientId)');
  }
  return loaded;
}

export function config(): ConsoleConfig {
  if (!loaded) throw new Error('config not loaded');
  return loaded;
}
