/** SSO settings are all or nothing, and a platform without SSO says so to a JWT bearer instead of a bare 401. */
import type { IncomingMessage } from 'node:http';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadConfig } from '../api/config.ts';
import { createHttpContext } from '../api/context.ts';
import { testPlatform, type TestPlatform } from './support/services.ts';

describe('SSO configuration', () => {
  let p: TestPlatform;
  beforeAll(async () => {
    p = await testPlatform();
  });
  afterAll(async () => {
    await p?.close();
  });

  it('needs the client id with the issuer, and the issuer with the client id', () => {
    expect(() => loadConfig({ KAAS_OIDC_ISSUER: 'https://idp.example.test' })).toThrow('KAAS_OIDC_ISSUER is set but KAAS_OIDC_CLIENT_ID is not');
    expect(() => loadConfig({ KAAS_OIDC_CLIENT_ID: 'kaas' })).toThrow('KAAS_OIDC_CLIENT_ID is set but KAAS_OIDC_ISSUER is not');
    expect(() => loadConfig({ KAAS_OIDC_ISSUER: 'ftp://idp.example.test', KAAS_OIDC_CLIENT_ID: 'kaas' })).toThrow('KAAS_OIDC_ISSUER');
    expect(loadConfig({}).oidc).toBeUndefined();
    expect(loadConfig({ KAAS_OIDC_ISSUER: 'https://idp.example.test/', KAAS_OIDC_CLIENT_ID: 'kaas' }).oidc).toEqual({
      issuer: 'https://idp.example.test/',
      clientId: 'kaas',
      clientSecret: undefined,
      audience: 'kaas',
      groupsClaim: 'groups',
      jwksCooldownMs: 30_000,
    });
  });

  it('refuses a JWT bearer on a platform without SSO, saying so', async () => {
    const req = { headers: { authorization: 'Bearer eyJhbGciOiJSUzI1NiJ9.eyJzdWIiOiJhIn0.c2ln' }, method: 'GET' } as unknown as IncomingMessage;
    await expect(createHttpContext(p.services, req)).rejects.toThrow('this platform has no single sign-on configured');
  });
});
