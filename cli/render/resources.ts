/** Tables for teams, members, tokens, targets, templates and the audit log. */
import type { AuditEntry, Member, Quota, Target, Team, Template, TokenInfo } from '../list-shape.ts';
import { renderDetails, renderTable } from './table.ts';

const listOrAny = (v: string[] | null | undefined) => (v === null || v === undefined ? 'any' : v.join(', ') || 'none');

function quotaOf(t: Team): Quota {
  return t.quota ?? { maxClusters: t.maxClusters, maxTotalNodes: t.maxTotalNodes, allowedTargets: t.allowedTargets ?? null, allowedTemplates: t.allowedTemplates ?? null } as Quota;
}

export function teamsTable(teams: Team[]): string {
  return renderTable(
    [
      { header: 'name', value: (t: Team) => t.name },
      { header: 'clusters', value: (t) => (t.usage?.clusters !== undefined ? `${t.usage.clusters}/${quotaOf(t).maxClusters ?? '-'}` : quotaOf(t).maxClusters), align: 'right' },
      { header: 'nodes', value: (t) => (t.usage?.nodes !== undefined ? `${t.usage.nodes}/${quotaOf(t).maxTotalNodes ?? '-'}` : quotaOf(t).maxTotalNodes), align: 'right' },
      { header: 'targets', value: (t) => listOrAny(quotaOf(t).allowedTargets) },
      { header: 'templates', value: (t) => listOrAny(quotaOf(t).allowedTemplates) },
    ],
    teams,
    'no teams',
  );
}

export function teamText(t: Team): string {
  const q = quotaOf(t);
  return renderDetails([
    ['name', t.name],
    ['max clusters', q.maxClusters],
    ['max nodes', q.maxTotalNodes],
    ['clusters used', t.usage?.clusters],
    ['nodes used', t.usage?.nodes],
    ['allowed targets', listOrAny(q.allowedTargets)],
    ['allowed templates', listOrAny(q.allowedTemplates)],
    ['created', t.createdAt],
  ]);
}

export function membersTable(members: Member[]): string {
  return renderTable(
    [
      { header: 'subject', value: (m: Member) => m.subject },
      { header: 'role', value: (m) => m.role },
      { header: 'team', value: (m) => m.team },
      { header: 'expires', value: (m) => m.expiresAt },
      { header: 'last used', value: (m) => m.lastUsedAt },
    ],
    members,
    'no members',
  );
}

export function tokensTable(tokens: TokenInfo[]): string {
  return renderTable(
    [
      { header: 'id', value: (t: TokenInfo) => t.id },
      { header: 'subject', value: (t) => t.subject },
      { header: 'role', value: (t) => t.role },
      { header: 'team', value: (t) => t.team },
      { header: 'expires', value: (t) => t.expiresAt },
      { header: 'revoked', value: (t) => t.revokedAt },
      { header: 'last used', value: (t) => t.lastUsedAt },
    ],
    tokens,
    'no tokens',
  );
}

export function targetsTable(targets: Target[]): string {
  return renderTable(
    [
      { header: 'name', value: (t: Target) => t.name },
      { header: 'cloud', value: (t) => (t.cloud === 'sim' ? 'sim (simulated)' : t.cloud) },
      { header: 'region', value: (t) => t.region },
      { header: 'account', value: (t) => t.account },
      { header: 'dns zones', value: (t) => (t.dnsZones ?? []).join(', ') },
      { header: 'teams', value: (t) => listOrAny(t.allowedTeams) },
    ],
    targets,
    'no targets',
  );
}

export function targetText(t: Target): string {
  return renderDetails([
    ['name', t.name],
    ['cloud', t.cloud === 'sim' ? 'sim (simulated)' : t.cloud],
    ['region', t.region],
    ['account', t.account],
    ['dns zones', (t.dnsZones ?? []).join(', ')],
    ['allowed teams', listOrAny(t.allowedTeams)],
    ['created', t.createdAt],
  ]);
}

const refOf = (t: Template) => t.ref ?? `${t.name}@${t.version}`;

export function templatesTable(templates: Template[]): string {
  return renderTable(
    [
      { header: 'ref', value: (t: Template) => refOf(t) },
      { header: 'cloud', value: (t) => (t.cloud === 'sim' ? 'sim (simulated)' : t.cloud) },
      { header: 'deprecated', value: (t) => (t.deprecated ? t.deprecationMessage || 'yes' : '') },
      { header: 'description', value: (t) => t.description ?? (t.definition as { description?: string } | undefined)?.description },
    ],
    templates,
    'no templates',
  );
}

export function templateText(t: Template, yaml: (v: unknown) => string): string {
  const head = renderDetails([
    ['ref', refOf(t)],
    ['cloud', t.cloud],
    ['deprecated', t.deprecated ? t.deprecationMessage || 'yes' : 'no'],
    ['created', t.createdAt],
  ]);
  return t.definition === undefined ? head : `${head}\n\n${yaml(t.definition)}`;
}

export function auditTable(page: { items: AuditEntry[]; nextCursor: string | null }): string {
  const table = renderTable(
    [
      { header: 'at', value: (a: AuditEntry) => a.at },
      { header: 'actor', value: (a) => a.actor },
      { header: 'team', value: (a) => a.team },
      { header: 'action', value: (a) => a.action },
      { header: 'target', value: (a) => a.target },
      { header: 'result', value: (a) => a.result },
      { header: 'request id', value: (a) => a.requestId },
    ],
    page.items,
    'no audit entries',
  );
  return page.nextCursor ? `${table}\n(more: --cursor ${page.nextCursor})` : table;
}
