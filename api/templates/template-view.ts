/** What the API returns for templates: a summary per version, and the full definition on `get`. */
import type { TemplateDefinition } from '../../platform/templates.ts';
import type { TemplateRow } from '../db/schema.ts';
import { rowToStoredTemplate } from './template-store.ts';

export interface TemplateSummary {
  name: string;
  version: number;
  /** `name@version`, what clusters record. */
  ref: string;
  cloud: string;
  /** True for the simulated `sim` cloud. */
  simulated: boolean;
  description: string;
  deprecated: boolean;
  deprecationMessage: string | null;
  deprecatedAt: string | null;
  createdBy: string;
  createdAt: string;
}

export interface TemplateDetail extends TemplateSummary {
  definition: TemplateDefinition;
}

export function templateRowToSummary(row: TemplateRow): TemplateSummary {
  const stored = rowToStoredTemplate(row);
  return {
    name: stored.name,
    version: stored.version,
    ref: stored.ref,
    cloud: row.cloud,
    simulated: row.cloud === 'sim',
    description: stored.definition.description,
    deprecated: stored.deprecated,
    deprecationMessage: stored.deprecationMessage,
    deprecatedAt: row.deprecated_at?.toISOString() ?? null,
    createdBy: row.created_by,
    createdAt: row.created_at.toISOString(),
  };
}

export function templateRowToDetail(row: TemplateRow): TemplateDetail {
  return { ...templateRowToSummary(row), definition: rowToStoredTemplate(row).definition };
}
