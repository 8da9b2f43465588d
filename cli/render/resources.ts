/** Tables for teams, members, tokens, targets, templates and the audit log. */
import type { AuditPage, Member, StackLockView, Target, Team, TeamMembers, TemplateDetail, TemplateSummary, Token, TokenPage } from '../api-types.ts';
import { formatUsd } from '../../platform/cost-estimate.ts';
import { renderDetails, renderTable } from './table.ts';

/** An allow-list: "*" is every one, an empty list none. */
const allowList = (v: string[] | '*' | null | undefined) => (v === '*' || v === null || v === undefined ? 'any' : v.join(', ') || 'none');
const cloudText = (t: { cloud: string; simulated: boolean }) => (t.simulated ? `${t.cloud} (simulated)` : t.cloud);

export function teamsTable(teams: Team[]): string {
  return renderTable(
    [
      { header: 'name', value: (t: Team) => t.name },
      { header: 'clusters', value: (t) => `${t.usage.clusters}/${t.quota.maxClusters}`, align: 'right' },
      { header: 'nodes', value: (t) => `${t.usage.nodes}/${t.quota.maxTotalNodes}`, align: 'right' },
      { header: 'targets', value: (t) => allowList(t.quota.allowedTargets) },
      { header: 'templates', value: (t) => allowList(t.quota.allowedTemplates) },
    ],
    teams,
    'no teams',
  );
}

export function teamText(t: Team): string {
  return renderDetails([
    ['name', t.name],
    ['clusters', `${t.usage.clusters} of ${t.quota.maxClusters}`],
    ['nodes', `${t.usage.nodes} of ${t.quota.maxTotalNodes}`],
    ['allowed targets', allowList(t.quota.allowedTargets)],
    ['allowed templates', allowList(t.quota.allowedTemplates)],
    ['monthly budget', budgetText(t)],
    ['created', t.createdAt],
  ]);
}

/** Budget used: `$420.00 of $500.00/month estimated (84%)`, or the estimate alone without a budget. */
export function budgetText(t: Team): string {
  const used = formatUsd(t.usage.monthlyCost);
  const unpriced = t.usage.unpricedClusters > 0 ? `; ${t.usage.unpricedClusters} cluster(s) not fully priced` : '';
  const budget = t.quota.monthlyBudget;
  if (budget === null || budget === undefined) return `none (${used}/month estimated${unpriced})`;
  const pct = budget > 0 ? ` (${Math.round((t.usage.monthlyCost / budget) * 100)}%)` : '';
  return `${used} of ${formatUsd(budget)}/month estimated${pct}${unpriced}`;
}

export function membersTable(m: TeamMembers): string {
  const table = renderTable(
    [
      { header: 'subject', value: (x: Member) => x.subject },
      { header: 'roles', value: (x) => x.roles.join(', ') },
      { header: 'tokens', value: (x) => x.liveTokens, align: 'right' },
      { header: 'clusters', value: (x) => x.usage.clusters, align: 'right' },
      { header: 'nodes', value: (x) => x.usage.nodes, align: 'right' },
      { header: 'expires', value: (x) => x.expiresAt },
    ],
    m.members,
    'no members (no live tokens)',
  );
  return `team ${m.team.name}: ${m.team.usage.clusters}/${m.team.quota.maxClusters} clusters, ${m.team.usage.nodes}/${m.team.quota.maxTotalNodes} nodes\n${table}`;
}

export function tokensTable(page: TokenPage): string {
  const table = renderTable(
    [
      { header: 'id', value: (t: Token) => t.id },
      { header: 'subject', value: (t) => t.subject },
      { header: 'role', value: (t) => t.role },
      { header: 'team', value: (t) => t.team },
      { header: 'status', value: (t) => t.status },
      { header: 'expires', value: (t) => t.expiresAt },
      { header: 'last used', value: (t) => t.lastUsedAt },
    ],
    page.items,
    'no tokens',
  );
  return page.nextCursor ? `${table}\n(more: --cursor ${page.nextCursor})` : table;
}

/** Stack locks with the platform's verdict. */
export function locksTable(locks: StackLockView[]): string {
  return renderTable(
    [
      { header: 'cluster', value: (l: StackLockView) => (l.cluster ? `${l.team}/${l.cluster}` : l.stack) },
      { header: 'lock', value: (l) => l.id },
      { header: 'held by', value: (l) => `pid ${l.pid} on ${l.hostname}` },
      { header: 'since', value: (l) => l.since },
      { header: 'owner', value: (l) => l.owner },
      { header: 'verdict', value: (l) => `${l.stale ? 'stale' : 'live'}: ${l.reason}` },
    ],
    locks,
    'no stack locks',
  );
}

export function tokenText(t: Token): string {
  return renderDetails([
    ['id', t.id],
    ['subject', t.subject],
    ['role', t.role],
    ['team', t.team],
    ['status', t.status],
    ['created', `${t.createdAt} by ${t.createdBy}`],
    ['expires', t.expiresAt],
    ['revoked', t.revokedAt],
    ['last used', t.lastUsedAt],
  ]);
}

export function targetsTable(targets: Target[]): string {
  const forAdmin = targets.some((t) => t.allowedTeams !== undefined);
  return renderTable(
    [
      { header: 'name', value: (t: Target) => t.name },
      { header: 'cloud', value: (t) => cloudText(t) },
      { header: 'region', value: (t) => t.region },
      { header: 'account', value: (t) => t.account },
      { header: 'dns zones', value: (t) => t.dnsZones.join(', ') },
      // only platform admins are told which teams a target is open to
      ...(forAdmin ? [{ header: 'teams', value: (t: Target) => allowList(t.allowedTeams) }] : []),
    ],
    targets,
    'no targets',
  );
}

/** `reconcile: 2 of team-admin|platform-admin; delete: …`, or the default. */
function approvalPolicyText(policy: Target['approvalPolicy']): string {
  if (!policy) return 'platform default (see README "Approvals")';
  const rules = Object.entries(policy).map(([action, r]) => `${action}: ${r!.approvers} of ${[...r!.roles, ...r!.groups.map((g) => `group:${g}`)].join('|')}`);
  return rules.length ? rules.join('; ') : 'nothing needs approval';
}

export function targetText(t: Target): string {
  return renderDetails([
    ['name', t.name],
    ['cloud', cloudText(t)],
    ['region', t.region],
    ['account', t.account],
    ['dns zones', t.dnsZones.join(', ')],
    ...(t.allowedTeams !== undefined ? [['allowed teams', allowList(t.allowedTeams)] as [string, string]] : []),
    ...(t.approvalPolicy !== undefined ? [['approvals', approvalPolicyText(t.approvalPolicy)] as [string, string]] : []),
    ['created', t.createdAt],
  ]);
}

const deprecationText = (t: TemplateSummary) => (t.deprecated ? `yes: ${t.deprecationMessage ?? ''}`.replace(/: $/, '') : '');

export function templatesTable(templates: TemplateSummary[]): string {
  return renderTable(
    [
      { header: 'ref', value: (t: TemplateSummary) => t.ref },
      { header: 'cloud', value: (t) => cloudText(t) },
      { header: 'deprecated', value: (t) => deprecationText(t) },
      { header: 'description', value: (t) => t.description },
    ],
    templates,
    'no templates',
  );
}

export function templateText(t: TemplateDetail, yaml: (v: unknown) => string): string {
  const head = renderDetails([
    ['ref', t.ref],
    ['cloud', cloudText(t)],
    ['description', t.description],
    ['deprecated', t.deprecated ? `${t.deprecationMessage ?? 'yes'}${t.deprecatedAt ? ` (since ${t.deprecatedAt})` : ''}` : 'no'],
    ['versions', t.versions.join(', ')],
    ['created', `${t.createdAt} by ${t.createdBy}`],
  ]);
  return `${head}\n\n${yaml(t.definition)}`;
}

export function deprecatedText(templates: TemplateSummary[]): string {
  return templates.length ? templates.map((t) => `deprecated ${t.ref}: ${t.deprecationMessage ?? ''}`).join('\n') : 'no template version was deprecated';
}

export function auditTable(page: AuditPage): string {
  const table = renderTable(
    [
      { header: 'at', value: (a: AuditPage['items'][number]) => a.at },
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
