/**
 * Bad input, table-driven, over real HTTP (what a client sees): every case must end in the right
 * tRPC code, `error.data.kaas.code` and a message naming the field or problem, with no stack trace
 * or SQL in it; nothing may be written except the audit row of a refused mutation.
 * The oversized and malformed bodies go to a platform started with `startPlatform` (role api).
 */
import fs from 'node:fs';
import type http from 'node:http';
import type { AddressInfo } from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Actor } from '../api/auth/tokens.ts';
import { SHIPPED_TEMPLATES_DIR } from '../api/bootstrap.ts';
import { loadConfig } from '../api/config.ts';
import type { Db } from '../api/db/schema.ts';
import { createLogger } from '../api/logger.ts';
import { createMetrics } from '../api/metrics.ts';
import { startPlatform, type RunningPlatform } from '../api/platform-process.ts';
import { appRouter } from '../api/routers/app-router.ts';
import { createServer, MAX_BODY_BYTES } from '../api/server.ts';
import { createEmptyDatabase } from './support/database.ts';
import { testPlatform, type TestPlatform } from './support/services.ts';

type Who = 'alice' | 'lead' | 'root';
type Procedure = { _def: { type: 'query' | 'mutation' } };
const PROCEDURES = appRouter._def.procedures as unknown as Record<string, Procedure>;

interface Case {
  /** What is wrong. */
  what: string;
  as: Who;
  path: string;
  input: unknown;
  /** tRPC code, kaas code and a pattern the message must match (naming the field or problem). */
  code: string;
  kaas: string;
  message: RegExp;
}

const simDev = fs.readFileSync(path.join(SHIPPED_TEMPLATES_DIR, 'sim-dev.yaml'), 'utf8');
const create = (input: Record<string, unknown>) => ({ name: 'fresh', template: 'sim-dev', ...input });
const NAME = /^invalid input: name: must/;

const CASES: Case[] = [
  // cluster names
  { what: 'uppercase cluster name', as: 'alice', path: 'clusters.create', input: create({ name: 'Web' }), code: 'BAD_REQUEST', kaas: 'VALIDATION', message: NAME },
  { what: 'unicode cluster name', as: 'alice', path: 'clusters.create', input: create({ name: 'clüster' }), code: 'BAD_REQUEST', kaas: 'VALIDATION', message: NAME },
  { what: 'path traversal name', as: 'alice', path: 'clusters.create', input: create({ name: '../etc' }), code: 'BAD_REQUEST', kaas: 'VALIDATION', message: NAME },
  { what: '41-character name', as: 'alice', path: 'clusters.create', input: create({ name: 'a'.repeat(41) }), code: 'BAD_REQUEST', kaas: 'VALIDATION', message: /name: must be at most 40 characters/ },
  { what: 'empty name', as: 'alice', path: 'clusters.create', input: create({ name: '' }), code: 'BAD_REQUEST', kaas: 'VALIDATION', message: /name: must not be empty/ },
  { what: 'name starting with a digit', as: 'alice', path: 'clusters.create', input: create({ name: '1web' }), code: 'BAD_REQUEST', kaas: 'VALIDATION', message: /name: .*start with a letter/ },
  { what: "name starting with '-'", as: 'alice', path: 'clusters.create', input: create({ name: '-web' }), code: 'BAD_REQUEST', kaas: 'VALIDATION', message: /name: .*start with a letter/ },
  // unknown and server-owned fields
  { what: 'unknown input key', as: 'alice', path: 'clusters.create', input: create({ extra: 1 }), code: 'BAD_REQUEST', kaas: 'VALIDATION', message: /unknown field\(s\) "extra"/ },
  { what: 'server-owned status', as: 'alice', path: 'clusters.create', input: create({ status: 'ready' }), code: 'BAD_REQUEST', kaas: 'VALIDATION', message: /unknown field\(s\) "status"/ },
  { what: 'server-owned id', as: 'alice', path: 'clusters.create', input: create({ id: 'c000000000000' }), code: 'BAD_REQUEST', kaas: 'VALIDATION', message: /unknown field\(s\) "id"/ },
  { what: 'server-owned stackName', as: 'alice', path: 'clusters.create', input: create({ stackName: 'kaas-c000000000000' }), code: 'BAD_REQUEST', kaas: 'VALIDATION', message: /unknown field\(s\) "stackName"/ },
  { what: "another team's name for a member", as: 'alice', path: 'clusters.create', input: create({ team: 'search' }), code: 'FORBIDDEN', kaas: 'FORBIDDEN', message: /cannot act for team "search"/ },
  // --set
  { what: 'unknown override path', as: 'alice', path: 'clusters.create', input: create({ set: ['foo.bar=1'] }), code: 'BAD_REQUEST', kaas: 'VALIDATION', message: /foo\.bar: unknown override/ },
  { what: 'non-overridable field', as: 'alice', path: 'clusters.create', input: create({ set: ['networking.privateEndpoint=true'] }), code: 'BAD_REQUEST', kaas: 'VALIDATION', message: /networking\.privateEndpoint: not overridable/ },
  { what: 'nodeCount=0', as: 'alice', path: 'clusters.create', input: create({ set: ['nodeCount=0'] }), code: 'BAD_REQUEST', kaas: 'VALIDATION', message: /nodeCount: parameter nodeCount must be >= 1/ },
  { what: 'nodeCount=1000', as: 'alice', path: 'clusters.create', input: create({ set: ['nodeCount=1000'] }), code: 'BAD_REQUEST', kaas: 'VALIDATION', message: /nodeCount: parameter nodeCount must be <= 5/ },
  { what: 'negative desiredSize', as: 'alice', path: 'clusters.create', input: create({ set: ['nodePools.0.desiredSize=-1'] }), code: 'BAD_REQUEST', kaas: 'VALIDATION', message: /nodePools\.0\.desiredSize: Too small/ },
  { what: 'huge desiredSize', as: 'alice', path: 'clusters.create', input: create({ set: ['nodePools.0.desiredSize=999999999'] }), code: 'BAD_REQUEST', kaas: 'VALIDATION', message: /nodePools\.0\.desiredSize: Too big/ },
  { what: 'Kubernetes version the target does not offer', as: 'alice', path: 'clusters.create', input: create({ set: ['kubernetesVersion=1.20'] }), code: 'BAD_REQUEST', kaas: 'UNSUPPORTED', message: /kubernetesVersion: Kubernetes 1\.20 is not supported on sim/ },
  { what: 'malformed --set', as: 'alice', path: 'clusters.create', input: create({ set: ['noequals'] }), code: 'BAD_REQUEST', kaas: 'VALIDATION', message: /set: --set "noequals": must look like path=value/ },
  { what: 'NUL character in a --set value', as: 'alice', path: 'clusters.create', input: create({ set: ['tags.x=a\u0000b'] }), code: 'BAD_REQUEST', kaas: 'VALIDATION', message: /set\.0: must not contain the NUL character/ },
  // labels
  { what: 'label key that is no Kubernetes label key', as: 'alice', path: 'clusters.create', input: create({ labels: { 'Bad Key!': 'x' } }), code: 'BAD_REQUEST', kaas: 'VALIDATION', message: /labels\.Bad Key!: .*label key name/ },
  { what: 'label value that is no Kubernetes label value', as: 'alice', path: 'clusters.create', input: create({ labels: { owner: 'two words' } }), code: 'BAD_REQUEST', kaas: 'VALIDATION', message: /labels\.owner: label value "two words"/ },
  // templates and targets on create
  { what: 'unknown template', as: 'alice', path: 'clusters.create', input: create({ template: 'nope' }), code: 'NOT_FOUND', kaas: 'NOT_FOUND', message: /template nope does not exist/ },
  { what: 'malformed template ref', as: 'alice', path: 'clusters.create', input: create({ template: 'sim-dev@x' }), code: 'BAD_REQUEST', kaas: 'VALIDATION', message: /template: "sim-dev@x" is not a template reference/ },
  { what: 'NUL character in a template ref', as: 'alice', path: 'clusters.create', input: create({ template: 'sim\u0000dev' }), code: 'BAD_REQUEST', kaas: 'VALIDATION', message: /template: must not contain the NUL character/ },
  { what: 'deprecated template', as: 'alice', path: 'clusters.create', input: create({ template: 'old-dev' }), code: 'PRECONDITION_FAILED', kaas: 'PRECONDITION_FAILED', message: /template old-dev@1 is deprecated: use sim-dev/ },
  { what: 'template of another cloud on the sim target', as: 'alice', path: 'clusters.create', input: create({ template: 'eks-standard', target: 'sim-local' }), code: 'BAD_REQUEST', kaas: 'VALIDATION', message: /target: "sim-local" is a sim target but the template is for aws/ },
  { what: 'unknown target', as: 'alice', path: 'clusters.create', input: create({ target: 'ghost' }), code: 'NOT_FOUND', kaas: 'NOT_FOUND', message: /target "ghost" does not exist/ },
  { what: 'NUL character in a target name', as: 'alice', path: 'clusters.create', input: create({ target: 'sim\u0000local' }), code: 'BAD_REQUEST', kaas: 'VALIDATION', message: /target: must not contain the NUL character/ },
  // existing clusters
  { what: "update by a deleted cluster's name", as: 'alice', path: 'clusters.update', input: { name: 'gone', set: ['nodeCount=2'] }, code: 'NOT_FOUND', kaas: 'NOT_FOUND', message: /cluster "gone" does not exist in team "payments"/ },
  { what: "delete by a deleted cluster's name", as: 'alice', path: 'clusters.delete', input: { name: 'gone', confirm: 'gone' }, code: 'NOT_FOUND', kaas: 'NOT_FOUND', message: /cluster "gone" does not exist in team "payments"/ },
  { what: 'update with an unknown override', as: 'alice', path: 'clusters.update', input: { name: 'vault', set: ['foo=1'] }, code: 'BAD_REQUEST', kaas: 'VALIDATION', message: /foo: unknown override/ },
  { what: 'update without any change', as: 'alice', path: 'clusters.update', input: { name: 'vault', set: [] }, code: 'BAD_REQUEST', kaas: 'VALIDATION', message: /set: name at least one change/ },
  { what: 'delete with the wrong confirmation', as: 'alice', path: 'clusters.delete', input: { name: 'vault', confirm: 'vaul' }, code: 'BAD_REQUEST', kaas: 'VALIDATION', message: /--confirm must repeat the cluster name "vault"/ },
  { what: 'delete of a protected cluster', as: 'alice', path: 'clusters.delete', input: { name: 'vault', confirm: 'vault' }, code: 'PRECONDITION_FAILED', kaas: 'PRECONDITION_FAILED', message: /cluster "vault" has deletion protection on/ },
  { what: 'events after a sequence number beyond any', as: 'alice', path: 'clusters.events', input: { name: 'vault', after: 2 ** 31 }, code: 'BAD_REQUEST', kaas: 'VALIDATION', message: /after: Too big/ },
  { what: 'malformed operation id', as: 'alice', path: 'clusters.events', input: { name: 'vault', operationId: 'o1' }, code: 'BAD_REQUEST', kaas: 'VALIDATION', message: /operationId: not an operation id/ },
  // listings
  { what: 'bad cursor', as: 'alice', path: 'clusters.list', input: { cursor: 'nonsense' }, code: 'BAD_REQUEST', kaas: 'VALIDATION', message: /cursor: not a cursor returned by this API/ },
  { what: 'cursor with a date PostgreSQL cannot hold', as: 'alice', path: 'clusters.list', input: { cursor: '-271821-04-20T00:00:00.000Z|c000000000000' }, code: 'BAD_REQUEST', kaas: 'VALIDATION', message: /cursor: not a cursor returned by this API/ },
  { what: 'limit 0', as: 'alice', path: 'clusters.list', input: { limit: 0 }, code: 'BAD_REQUEST', kaas: 'VALIDATION', message: /limit: Too small/ },
  { what: 'limit 10000', as: 'alice', path: 'clusters.list', input: { limit: 10000 }, code: 'BAD_REQUEST', kaas: 'VALIDATION', message: /limit: Too big/ },
  { what: 'NUL character in a status filter', as: 'alice', path: 'clusters.list', input: { status: 'ready\u0000' }, code: 'BAD_REQUEST', kaas: 'VALIDATION', message: /status: must not contain the NUL character/ },
  { what: 'NUL character in a template filter', as: 'alice', path: 'templates.list', input: { name: 'sim\u0000' }, code: 'BAD_REQUEST', kaas: 'VALIDATION', message: /name: must not contain the NUL character/ },
  { what: 'token listing limit 10000', as: 'lead', path: 'tokens.list', input: { limit: 10000 }, code: 'BAD_REQUEST', kaas: 'VALIDATION', message: /limit: Too big/ },
  { what: 'audit cursor beyond bigint', as: 'root', path: 'audit.list', input: { cursor: '9999999999999999999' }, code: 'BAD_REQUEST', kaas: 'VALIDATION', message: /cursor: not a cursor returned by this API/ },
  { what: 'audit since that is no date', as: 'root', path: 'audit.list', input: { since: 'yesterday' }, code: 'BAD_REQUEST', kaas: 'VALIDATION', message: /since: must be an ISO 8601 date-time/ },
  // teams
  { what: 'invalid team name', as: 'root', path: 'teams.create', input: { name: 'Team_One' }, code: 'BAD_REQUEST', kaas: 'VALIDATION', message: NAME },
  { what: 'negative quota on create', as: 'root', path: 'teams.create', input: { name: 'neg', quota: { maxClusters: -1 } }, code: 'BAD_REQUEST', kaas: 'VALIDATION', message: /quota\.maxClusters: Too small/ },
  { what: 'negative quota on setQuota', as: 'root', path: 'teams.setQuota', input: { name: 'payments', quota: { maxTotalNodes: -5 } }, code: 'BAD_REQUEST', kaas: 'VALIDATION', message: /quota\.maxTotalNodes: Too small/ },
  { what: 'quota naming an unknown target', as: 'root', path: 'teams.setQuota', input: { name: 'payments', quota: { allowedTargets: ['ghost'] } }, code: 'BAD_REQUEST', kaas: 'VALIDATION', message: /quota\.allowedTargets: target "ghost" does not exist/ },
  // targets
  { what: 'bad AWS account id', as: 'root', path: 'targets.create', input: { name: 'aws-x', cloud: 'aws', region: 'eu-west-1', account: '1234' }, code: 'BAD_REQUEST', kaas: 'VALIDATION', message: /account: "1234" is not valid for aws: .*12 digits/ },
  { what: 'bad Azure subscription', as: 'root', path: 'targets.create', input: { name: 'az-x', cloud: 'azure', region: 'westeurope', account: 'payments-prod' }, code: 'BAD_REQUEST', kaas: 'VALIDATION', message: /account: "payments-prod" is not valid for azure: .*GUID/ },
  { what: 'unknown cloud', as: 'root', path: 'targets.create', input: { name: 'moon-x', cloud: 'moon', region: 'sea', account: 'a' }, code: 'BAD_REQUEST', kaas: 'VALIDATION', message: /cloud: / },
  // templates
  { what: 'broken template YAML', as: 'root', path: 'templates.publish', input: { yaml: 'name: [unclosed' }, code: 'BAD_REQUEST', kaas: 'VALIDATION', message: /published template: invalid template: .*line 1/ },
  { what: 'template spec that fails validation', as: 'root', path: 'templates.publish', input: { yaml: simDev.replace('name: sim-dev', 'name: bad-dev').replace('minSize: 1', 'minSize: 9') }, code: 'BAD_REQUEST', kaas: 'VALIDATION', message: /nodePools\.0\.minSize/ },
  { what: 'deprecation message with a NUL character', as: 'root', path: 'templates.deprecate', input: { name: 'sim-dev', message: 'use\u0000x' }, code: 'BAD_REQUEST', kaas: 'VALIDATION', message: /message: must not contain the NUL character/ },
  // tokens
  { what: 'ttlDays 0', as: 'lead', path: 'tokens.create', input: { subject: 'ttl-zero', ttlDays: 0 }, code: 'BAD_REQUEST', kaas: 'VALIDATION', message: /ttlDays: Too small/ },
  { what: 'ttlDays 1000', as: 'lead', path: 'tokens.create', input: { subject: 'ttl-huge', ttlDays: 1000 }, code: 'BAD_REQUEST', kaas: 'VALIDATION', message: /ttlDays: Too big/ },
];

/** A message fit for a client: no stack frames, file paths or SQL. */
function expectNoInternals(message: string) {
  expect(message).not.toMatch(/\n\s+at |\.ts:\d+|node:internal|\b(select|insert into|update \w+ set|delete from)\b.*\b(from|values|where)\b|relation "|violates|syntax error at|PostgresError|invalid byte sequence/i);
}

const TABLES = ['clusters', 'operations', 'teams', 'tokens', 'targets', 'templates'] as const;

async function rowCounts(db: Db): Promise<Record<string, number>> {
  const counts: Record<string, number> = {};
  for (const table of TABLES) {
    const { n } = await db.selectFrom(table).select((eb) => eb.fn.countAll<string>().as('n')).executeTakeFirstOrThrow();
    counts[table] = Number(n);
  }
  return counts;
}

interface TrpcErrorBody {
  error?: { message: string; data: { code: string; httpStatus: number; kaas: { code: string }; stack?: string } };
}

describe('bad input', () => {
  let p: TestPlatform;
  let server: http.Server;
  let base: string;
  const tokens = {} as Record<Who, string>;
  let requests = 0;

  beforeAll(async () => {
    p = await testPlatform();
    const payments = await p.team('payments');
    await p.team('search');
    const root = await p.actor('root', 'platform-admin', null);
    tokens.root = root.token;
    const alice = await p.actor('alice', 'member', payments);
    tokens.alice = alice.token;
    tokens.lead = (await p.actor('lead', 'team-admin', payments)).token;
    // clusters are only queued: no worker runs in this file
    await p.caller(alice).clusters.create({ name: 'vault', template: 'sim-dev', set: ['deletionProtection=true'] });
    const gone = await p.caller(alice).clusters.create({ name: 'gone', template: 'sim-dev' });
    // what the worker does when a delete succeeds
    await p.services.db.updateTable('clusters').set({ status: 'deleted', deleted_at: new Date() }).where('id', '=', gone.cluster.id).execute();
    await p.caller(root as Actor).templates.publish({ yaml: simDev.replace(/^name: sim-dev$/m, 'name: old-dev') });
    await p.caller(root as Actor).templates.deprecate({ name: 'old-dev', message: 'use sim-dev' });
    server = createServer(p.services, createMetrics(p.services.db));
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    base = `http://127.0.0.1:${(server.address() as AddressInfo).port}/trpc`;
  });
  afterAll(async () => {
    await new Promise<void>((resolve) => server.close(() => resolve()));
    await p.close();
  });

  it('has at least 30 cases, each for a procedure of the router', () => {
    expect(CASES.length).toBeGreaterThanOrEqual(30);
    for (const c of CASES) expect(Object.keys(PROCEDURES), c.what).toContain(c.path);
    expect(new Set(CASES.map((c) => c.what)).size).toBe(CASES.length);
  });

  it.each(CASES.map((c) => [c.what, c] as const))('%s', async (_what, c) => {
    const db = p.services.db;
    const mutation = PROCEDURES[c.path]!._def.type === 'mutation';
    const requestId = `bad-input-${++requests}`;
    const headers = { authorization: `Bearer ${tokens[c.as]}`, 'content-type': 'application/json', 'x-request-id': requestId };
    const before = await rowCounts(db);
    const res = mutation
      ? await fetch(`${base}/${c.path}`, { method: 'POST', headers, body: JSON.stringify(c.input) })
      : await fetch(`${base}/${c.path}?input=${encodeURIComponent(JSON.stringify(c.input))}`, { headers });
    const body = (await res.json()) as TrpcErrorBody;
    expect(body.error, `${c.path} accepted it: ${JSON.stringify(body).slice(0, 300)}`).toBeDefined();
    const { message, data } = body.error!;
    expect({ status: res.status, code: data.code, kaas: data.kaas.code, message }).toEqual({ status: data.httpStatus, code: c.code, kaas: c.kaas, message: expect.stringMatching(c.message) });
    expect(res.status).toBeGreaterThanOrEqual(400);
    expect(res.status).toBeLessThan(500);
    expectNoInternals(message);
    expect(data.stack).toBeUndefined();
    expect(await rowCounts(db), 'nothing may be written').toEqual(before);
    const audit = await db.selectFrom('audit').select(['action', 'result', 'actor']).where('request_id', '=', requestId).execute();
    if (mutation) {
      expect(audit, 'the refused mutation is audited').toEqual([{ action: c.path, result: c.code === 'FORBIDDEN' || c.code === 'NOT_FOUND' ? 'denied' : 'failed', actor: c.as }]);
    } else {
      expect(audit).toEqual([]);
    }
  });
});

describe('bad bodies over real HTTP (startPlatform, role api)', () => {
  let platform: RunningPlatform;
  let home: string;

  beforeAll(async () => {
    home = fs.mkdtempSync(path.join(os.tmpdir(), 'kaas-bad-input-'));
    const config = loadConfig({ KAAS_HOME: home, PORT: '0', KAAS_LOG_LEVEL: 'silent', KAAS_ROLE: 'api', DATABASE_URL: await createEmptyDatabase() });
    platform = await startPlatform(config, { logger: createLogger('silent'), print: () => {} });
  });
  afterAll(async () => {
    await platform?.stop();
    fs.rmSync(home, { recursive: true, force: true });
  });

  async function post(body: string) {
    const db = platform.services.db;
    const before = await rowCounts(db);
    const auditBefore = await db.selectFrom('audit').select('id').execute();
    const res = await fetch(`${platform.url}/trpc/clusters.create`, { method: 'POST', headers: { authorization: `Bearer ${platform.adminToken}`, 'content-type': 'application/json' }, body });
    const text = await res.text();
    expect(await rowCounts(db), 'nothing may be written').toEqual(before);
    const audit = await db.selectFrom('audit').select(['result', 'action']).where('id', 'not in', auditBefore.length ? auditBefore.map((a) => a.id) : ['0']).execute();
    expect(audit.filter((a) => a.result === 'ok')).toEqual([]);
    expect(audit.length).toBeLessThanOrEqual(1);
    return { res, text, audit };
  }

  it('started with an admin token and no worker', () => {
    expect(platform.adminToken).toMatch(/^kaas_/);
    expect(platform.worker).toBeUndefined();
  });

  it(`refuses a body over ${MAX_BODY_BYTES} bytes with 413 and writes nothing`, async () => {
    const body = JSON.stringify({ team: 'default', name: 'huge', template: 'sim-dev', labels: { note: 'x'.repeat(MAX_BODY_BYTES + 1024) } });
    expect(Buffer.byteLength(body)).toBeGreaterThan(MAX_BODY_BYTES);
    const { res, text } = await post(body);
    expect(res.status).toBe(413);
    const { error } = JSON.parse(text) as TrpcErrorBody;
    expect(error?.data).toMatchObject({ code: 'PAYLOAD_TOO_LARGE', kaas: { code: 'VALIDATION' } });
    expect(error!.message).toMatch(/request body too large/);
    expectNoInternals(error!.message);
    expect(await platform.services.db.selectFrom('clusters').select('id').where('name', '=', 'huge').execute()).toEqual([]);
  });

  it('refuses malformed JSON with 400 and a message saying so, writing nothing', async () => {
    const { res, text } = await post('{"name": "broken", "template": ');
    expect(res.status).toBe(400);
    const { error } = JSON.parse(text) as TrpcErrorBody;
    expect(error?.data).toMatchObject({ code: 'BAD_REQUEST', kaas: { code: 'VALIDATION' } });
    expect(error!.message).toMatch(/^request body is not valid JSON: /);
    expectNoInternals(error!.message);
  });
});
