/**
 * Verifies OIDC JWTs (ID tokens, and JWT access tokens) from the configured issuer with `jose`:
 * discovery (`<issuer>/.well-known/openid-configuration`, whose `issuer` must be the configured one
 * exactly, OpenID Connect Discovery 1.0 §4.3), the provider's JWKS (cached; fetched again when a
 * token names a key id the cache does not hold, at most once per KAAS_OIDC_JWKS_COOLDOWN_SECONDS,
 * which is how a provider's key rotation is followed), signature, `iss`, `aud` (the configured
 * audience or the client id), `exp` and `nbf`. One verifier per configuration, made on first use.
 */
import { createRemoteJWKSet, errors, jwtVerify, type JWTPayload } from 'jose';
import { DomainError } from '../../platform/errors.ts';
import type { OidcConfig } from '../config.ts';

const ALGORITHMS = ['RS256', 'RS384', 'RS512', 'PS256', 'PS384', 'PS512', 'ES256', 'ES384', 'ES512', 'EdDSA'];
const RELOGIN = 'sign in again: `kaas login --sso` (the console: Sign in with SSO)';

/** What discovery says about the provider (only what kaas uses). */
export interface ProviderMetadata {
  issuer: string;
  jwks_uri: string;
  authorization_endpoint?: string;
  token_endpoint?: string;
  device_authorization_endpoint?: string;
}

/** The discovery URL of an issuer (OpenID Connect Discovery 1.0 §4.1). */
export function discoveryUrl(issuer: string): string {
  return `${issuer.replace(/\/+$/, '')}/.well-known/openid-configuration`;
}

export class OidcVerifier {
  readonly #config: OidcConfig;
  #jwks: Promise<ReturnType<typeof createRemoteJWKSet>> | undefined;

  constructor(config: OidcConfig) {
    this.#config = config;
  }

  async #keys(): Promise<ReturnType<typeof createRemoteJWKSet>> {
    this.#jwks ??= (async () => {
      const metadata = await fetchMetadata(this.#config.issuer);
      return createRemoteJWKSet(new URL(metadata.jwks_uri), { cooldownDuration: this.#config.jwksCooldownMs, cacheMaxAge: 10 * 60_000 });
    })();
    // a failed discovery is tried again by the next request
    this.#jwks.catch(() => (this.#jwks = undefined));
    return this.#jwks;
  }

  /** The verified claims of `token`, or an UNAUTHENTICATED error saying what is wrong with it. */
  async verify(token: string): Promise<JWTPayload & { sub: string; exp: number }> {
    const keys = await this.#keys();
    try {
      const { payload } = await jwtVerify(token, keys, {
        issuer: this.#config.issuer,
        audience: [...new Set([this.#config.audience, this.#config.clientId])],
        algorithms: ALGORITHMS,
        requiredClaims: ['sub', 'exp'],
      });
      return payload as JWTPayload & { sub: string; exp: number };
    } catch (err) {
      throw tokenError(err, this.#config);
    }
  }
}

async function fetchMetadata(issuer: string): Promise<ProviderMetadata> {
  let metadata: Partial<ProviderMetadata>;
  try {
    const res = await fetch(discoveryUrl(issuer), { headers: { accept: 'application/json' }, signal: AbortSignal.timeout(10_000) });
    if (!res.ok) throw new Error(`HTTP ${res.status}`);
    metadata = (await res.json()) as Partial<ProviderMetadata>;
  } catch (err) {
    throw new DomainError('UNAUTHENTICATED', `cannot read the identity provider's discovery document ${discoveryUrl(issuer)}: ${(err as Error).message}`, { hint: 'check KAAS_OIDC_ISSUER and that the platform can reach the provider; retry in a moment' });
  }
  if (metadata.issuer !== issuer) throw new DomainError('UNAUTHENTICATED', `the identity provider's discovery document names issuer ${JSON.stringify(metadata.issuer)}, not the configured ${issuer}`, { hint: 'set KAAS_OIDC_ISSUER to exactly the issuer the provider announces' });
  if (typeof metadata.jwks_uri !== 'string') throw new DomainError('UNAUTHENTICATED', `the identity provider's discovery document has no jwks_uri`, { hint: 'the provider must publish its signing keys (OpenID Connect Discovery 1.0 §3)' });
  return metadata as ProviderMetadata;
}

/** A jose verification failure as the error the caller sees. */
function tokenError(err: unknown, config: OidcConfig): DomainError {
  const fail = (message: string, hint = RELOGIN) => new DomainError('UNAUTHENTICATED', message, { hint, cause: err });
  if (err instanceof errors.JWTExpired) return fail(`the SSO token expired at ${new Date(Number(err.payload.exp) * 1000).toISOString()}`, `${RELOGIN}; the CLI refreshes it itself when it has a refresh token`);
  if (err instanceof errors.JWTClaimValidationFailed) {
    if (err.claim === 'aud') return fail(`the SSO token is for audience ${JSON.stringify(err.payload.aud)}, not kaas (${[config.audience, config.clientId].join(' or ')})`, 'get a token issued for kaas: the provider must set the audience KAAS_OIDC_AUDIENCE (or the client id) in it');
    if (err.claim === 'iss') return fail(`the SSO token was issued by ${JSON.stringify(err.payload.iss)}, not the configured provider ${config.issuer}`);
    return fail(`the SSO token is not valid: ${err.message}`);
  }
  if (err instanceof errors.JWKSNoMatchingKey) return fail('the SSO token is signed with a key the identity provider does not publish (unknown key id)');
  if (err instanceof errors.JWSSignatureVerificationFailed) return fail('the SSO token signature does not verify');
  if (err instanceof errors.JOSEError) return fail(`the SSO token is not a valid JWT: ${err.message}`);
  return fail(`the SSO token could not be checked: ${(err as Error).message}`, 'retry in a moment');
}

const verifiers = new WeakMap<OidcConfig, OidcVerifier>();

/** The verifier of a configuration (one per platform, so the JWKS cache is shared by its requests). */
export function oidcVerifier(config: OidcConfig): OidcVerifier {
  let v = verifiers.get(config);
  if (!v) verifiers.set(config, (v = new OidcVerifier(config)));
  return v;
}

/** Whether a bearer value is shaped like a JWT (three base64url parts) rather than a kaas API token. */
export function looksLikeJwt(token: string): boolean {
  return /^[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+$/.test(token) && token.length <= 16_384;
}
