/** Shipped templates seed the catalogue at start-up; a restart never supersedes a version an admin published. */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Actor } from '../api/auth/tokens.ts';
import { bootstrap, SHIPPED_TEMPLATES_DIR } from '../api/bootstrap.ts';
import { createLogger } from '../api/logger.ts';
import { publishTemplateDirectory } from '../api/templates/template-store.ts';
import { testPlatform, type TestPlatform } from './support/services.ts';

const simDev = fs.readFileSync(path.join(SHIPPED_TEMPLATES_DIR, 'sim-dev.yaml'), 'utf8');
const withDescription = (yaml: string, description: string) => yaml.replace(/^description: .*$/m, `description: ${description}`);
const withVersion = (yaml: string, version: number) => yaml.replace(/^version: .*$/m, `version: ${version}`);

async function versions(p: TestPlatform, name: string) {
  return p.services.db.selectFrom('templates').select(['version', 'created_by']).where('name', '=', name).orderBy('version').execute();
}

describe('templates at start-up', () => {
  let p: TestPlatform;
  let admin: Actor;
  const restart = () => bootstrap(p.services.db, p.home, 'http://test', createLogger('silent'), () => {});
  beforeAll(async () => {
    p = await testPlatform(); // its bootstrap seeded the shipped templates as version 1
    admin = await p.actor('root', 'platform-admin', null);
  });
  afterAll(() => p.close());

  it('a restart keeps the version an admin published through the API', async () => {
    expect((await versions(p, 'sim-dev')).map((v) => v.version)).toEqual([1]);
    const published = await p.caller(admin).templates.publish({ yaml: withDescription(simDev, 'Admin tuned dev cluster') });
    expect(published).toMatchObject({ created: true, template: { ref: 'sim-dev@2' } });
    await restart();
    await restart();
    expect(await versions(p, 'sim-dev')).toEqual([
      { version: 1, created_by: 'platform' },
      { version: 2, created_by: 'root' },
    ]);
    const latest = await p.caller(admin).templates.get({ name: 'sim-dev' });
    expect(latest).toMatchObject({ version: 2, description: 'Admin tuned dev cluster' });
  });

  it('a changed shipped file is published when the latest version came from the shipped file', async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'kaas-shipped-'));
    try {
      fs.copyFileSync(path.join(SHIPPED_TEMPLATES_DIR, 'eks-standard.yaml'), path.join(dir, 'eks-standard.yaml'));
      await publishTemplateDirectory(p.services.db, dir); // unchanged: no new version
      expect((await versions(p, 'eks-standard')).map((v) => v.version)).toEqual([1]);
      const shipped = fs.readFileSync(path.join(dir, 'eks-standard.yaml'), 'utf8');
      fs.writeFileSync(path.join(dir, 'eks-standard.yaml'), withDescription(shipped, 'EKS standard, next platform release'));
      const seeded = await publishTemplateDirectory(p.services.db, dir);
      expect(seeded.map((t) => [t.template.ref, t.created])).toEqual([['eks-standard@2', true]]);
      expect(await versions(p, 'eks-standard')).toEqual([
        { version: 1, created_by: 'platform' },
        { version: 2, created_by: 'platform' },
      ]);
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });

  it('a shipped file seeds a template that does not exist yet', async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'kaas-shipped-'));
    try {
      fs.writeFileSync(path.join(dir, 'sim-small.yaml'), simDev.replace(/^name: sim-dev$/m, 'name: sim-small'));
      await publishTemplateDirectory(p.services.db, dir);
      expect(await versions(p, 'sim-small')).toEqual([{ version: 1, created_by: 'platform' }]);
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });

  it('publish says that the file\'s version: field is ignored when it differs from the version assigned', async () => {
    const yaml = withVersion(withDescription(simDev.replace(/^name: sim-dev$/m, 'name: notice-dev'), 'first'), 7);
    const first = await p.caller(admin).templates.publish({ yaml });
    expect(first.message).toBe("published notice-dev@1 (the file's version: 7 is ignored; versions are assigned by the platform)");
    const same = await p.caller(admin).templates.publish({ yaml: withVersion(yaml, 1) });
    expect(same.message).toBe('unchanged: notice-dev@1 (same content as the latest version)');
    const second = await p.caller(admin).templates.publish({ yaml: withVersion(withDescription(yaml, 'second'), 2) });
    expect(second.message).toBe('published notice-dev@2');
  });
});
