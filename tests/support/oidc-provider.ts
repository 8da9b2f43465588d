/**
 * A real OpenID provider in-process for SSO tests: the `oidc-provider` package (a certified
 * OpenID Connect implementation, https://github.com/panva/node-oidc-provider) on 127.0.0.1 with a
 * free port, the device authorization grant (RFC 8628), authorization code + PKCE, refresh tokens,
 * and JWT access tokens for the kaas resource (RFC 8707 resource indicators). People are test
 * accounts whose groups a test changes; the provider reads them whenever it issues a token.
 * Interactions (login, consent) are finished through the provider's own API
 * (`interactionFinished`) for the account playing the browser's user, and a device code is
 * approved through its DeviceCode model, as the provider's own verification page would.
 */
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { exportJWK, generateKeyPair, SignJWT, type JWK } from 'jose';
import Provider from 'oidc-provider';
import * as client from 'openid-client';

export const CLIENT_ID = 'kaas';
/** A second client registered at the provider: its ID tokens are for another audience. */
export const OTHER_CLIENT_ID = 'other-app';
export const AUDIENCE = 'https://kaas.example.test';

export interface Person {
  email: string;
  groups: string[];
}

interface Key {
  kid: string;
  jwk: JWK;
  privateKey: Awaited<ReturnType<typeof generateKeyPair>>['privateKey'];
}

async function newKey(kid: string): Promise<Key> {
  const { privateKey } = await generateKeyPair('RS256', { extractable: true });
  return { kid, privateKey, jwk: { ...(await exportJWK(privateKey)), kid, alg: 'RS256', use: 'sig' } };
}

export interface TestProvider {
  issuer: string;
  /** The accounts by id; change a person's groups here and the next token carries the new ones. */
  people: Map<string, Person>;
  /** The account that "is at the browser" for interactions (authorization code flow). */
  browserAccount: string;
  /** Lifetime of access and ID tokens issued from now on (seconds). */
  tokenTtlSeconds: number;
  /** Approves the device code of `userCode` for `accountId` (what the user does at the verification page). */
  approveDevice(userCode: string, accountId: string): Promise<void>;
  /** Follows an authorization URL as a browser would, through the interactions, to the redirect back; returns that redirect URL. */
  authorize(url: string): Promise<URL>;
  /** Real tokens for a person through the device flow with the given client. */
  tokensFor(accountId: string, clientId?: string): Promise<client.TokenEndpointResponse>;
  /** Replaces the signing keys (a rotation): tokens issued from now on are signed with a new key; the old key is no longer published. */
  rotateKeys(): Promise<void>;
  /** A JWT with the right issuer and audience signed by a key the provider never published. */
  signWithUnknownKey(claims: Record<string, unknown>): Promise<string>;
  close(): Promise<void>;
}

export async function startOidcProvider(people: Record<string, Person>): Promise<TestProvider> {
  const server = http.createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const issuer = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  const state = {
    people: new Map(Object.entries(people)),
    browserAccount: Object.keys(people)[0]!,
    tokenTtlSeconds: 600,
  };
  let keys = [await newKey('key-1')];
  let generation = 1;

  const build = () => {
    const p = new Provider(issuer, {
      clients: [CLIENT_ID, OTHER_CLIENT_ID].map((client_id) => ({
        client_id,
        application_type: 'native',
        token_endpoint_auth_method: 'none',
        grant_types: ['authorization_code', 'refresh_token', 'urn:ietf:params:oauth:grant-type:device_code'],
        response_types: ['code'],
        // native loopback redirects match on any port (RFC 8252 §7.3)
        redirect_uris: ['http://127.0.0.1/callback', 'http://127.0.0.1/auth/sso/callback'],
      })),
      jwks: { keys: keys.map((k) => k.jwk) },
      cookies: { keys: ['test-cookie-key'] },
      pkce: { required: () => true },
      conformIdTokenClaims: false,
      claims: { openid: ['sub'], email: ['email'], groups: ['groups'] },
      scopes: ['openid', 'offline_access', 'email', 'profile', 'groups'],
      ttl: {
        AccessToken: () => state.tokenTtlSeconds,
        IdToken: () => state.tokenTtlSeconds,
        DeviceCode: 600,
        Interaction: 600,
        Session: 3600,
        Grant: 3600,
        RefreshToken: 3600,
      },
      async findAccount(_ctx: unknown, sub: string) {
        const person = state.people.get(sub);
        if (!person) return undefined;
        return { accountId: sub, claims: () => ({ sub, email: person.email, groups: [...person.groups] }) };
      },
      extraTokenClaims: (_ctx: unknown, token: Record<string, unknown>) => {
        const person = 'accountId' in token && typeof token.accountId === 'string' ? state.people.get(token.accountId) : undefined;
        return person ? { groups: [...person.groups], email: person.email } : {};
      },
      interactions: { url: (_ctx: unknown, interaction: { uid: string }) => `/interaction/${interaction.uid}` },
      features: {
        devInteractions: { enabled: false },
        deviceFlow: { enabled: true },
        resourceIndicators: {
          enabled: true,
          defaultResource: () => AUDIENCE,
          useGrantedResource: () => true,
          getResourceServerInfo: () => ({ scope: 'kaas', audience: AUDIENCE, accessTokenTTL: state.tokenTtlSeconds, accessTokenFormat: 'jwt', jwt: { sign: { alg: 'RS256' } } }),
        },
      },
    });
    return p;
  };
  let provider = build();
  const grantFor = async (accountId: string, clientId: string, scope: string) => {
    const grant = new provider.Grant({ accountId, clientId });
    grant.addOIDCScope(scope.split(' ').filter((s) => s !== 'kaas').join(' '));
    grant.addResourceScope(AUDIENCE, 'kaas');
    return grant.save();
  };

  server.on('request', (req, res) => {
    if (req.url?.startsWith('/interaction/')) {
      void (async () => {
        const details = await provider.interactionDetails(req, res);
        const accountId = state.browserAccount;
        const grantId = await grantFor(accountId, String(details.params.client_id), String(details.params.scope ?? 'openid'));
        await provider.interactionFinished(req, res, { login: { accountId }, consent: { grantId } }, { mergeWithLastSubmission: false });
      })().catch((err: unknown) => {
        res.writeHead(500).end(String(err));
      });
      return;
    }
    provider.callback()(req, res);
  });

  const api: TestProvider = {
    issuer,
    get people() {
      return state.people;
    },
    get browserAccount() {
      return state.browserAccount;
    },
    set browserAccount(v: string) {
      state.browserAccount = v;
    },
    get tokenTtlSeconds() {
      return state.tokenTtlSeconds;
    },
    set tokenTtlSeconds(v: number) {
      state.tokenTtlSeconds = v;
    },
    async approveDevice(userCode, accountId) {
      const code = await provider.DeviceCode.findByUserCode(userCode.replace(/[^A-Za-z]/g, '').toUpperCase());
      if (!code) throw new Error(`no device code for user code ${userCode}`);
      const scope = code.params?.scope ? String(code.params.scope) : 'openid';
      Object.assign(code, { accountId, grantId: await grantFor(accountId, code.clientId, scope), scope: `${scope} kaas`, authTime: Math.floor(Date.now() / 1000), resource: AUDIENCE });
      await code.save();
    },
    async authorize(url) {
      // the browser: follows redirects by hand, carrying the provider's cookies
      const jar = new Map<string, string>();
      let next = new URL(url);
      for (let hop = 0; hop < 10; hop++) {
        if (!next.href.startsWith(issuer)) return next;
        const res = await fetch(next, { redirect: 'manual', headers: { cookie: [...jar].map(([k, v]) => `${k}=${v}`).join('; ') } });
        for (const c of res.headers.getSetCookie()) {
          const [pair] = c.split(';');
          const eq = pair!.indexOf('=');
          jar.set(pair!.slice(0, eq), pair!.slice(eq + 1));
        }
        const location = res.headers.get('location');
        if (!location) throw new Error(`the provider answered ${res.status} without a redirect: ${(await res.text()).slice(0, 500)}`);
        next = new URL(location, next);
      }
      throw new Error('too many redirects');
    },
    async tokensFor(accountId, clientId = CLIENT_ID) {
      const config = await client.discovery(new URL(issuer), clientId, undefined, client.None(), { execute: [client.allowInsecureRequests] });
      const device = await client.initiateDeviceAuthorization(config, { scope: 'openid email groups offline_access', resource: AUDIENCE });
      await api.approveDevice(device.user_code, accountId);
      return client.pollDeviceAuthorizationGrant(config, { ...device, interval: 0.01 } as typeof device);
    },
    async rotateKeys() {
      generation += 1;
      keys = [await newKey(`key-${generation}`)];
      provider = build();
    },
    async signWithUnknownKey(claims) {
      const stranger = await newKey('not-published');
      return new SignJWT(claims).setProtectedHeader({ alg: 'RS256', kid: stranger.kid }).setIssuer(issuer).setIssuedAt().setExpirationTime('10m').sign(stranger.privateKey);
    },
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
  return api;
}
