/**
 * Debian's chromium (/usr/bin/chromium, no browser download) driven by playwright-core, plus
 * axe-core and screenshots, for the console's browser tests. Missing chromium skips the tests,
 * except under CI=true, where it fails them (scripts/prepare.sh installs it when run as root).
 */
import fs from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { chromium, type Browser, type BrowserContext, type Page } from 'playwright-core';

export const CHROMIUM = process.env.KAAS_CHROMIUM ?? '/usr/bin/chromium';
export const chromiumMissing = !fs.existsSync(CHROMIUM);
if (chromiumMissing && process.env.CI === 'true') {
  throw new Error(`${CHROMIUM} is missing and CI=true: the console's browser tests must run. Install it: apt-get install -y chromium (scripts/prepare.sh does, as root)`);
}

/** The flags the brief asks for; Playwright adds a fresh --user-data-dir of its own to every launch. */
const FLAGS = ['--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'];

export async function launchChromium(): Promise<Browser> {
  return chromium.launch({ executablePath: CHROMIUM, headless: true, args: FLAGS });
}

export const DESKTOP = { width: 1280, height: 900 };
export const PHONE = { width: 390, height: 844 };

/** A fresh context (its own cookies) at `viewport`; every CSP violation and page error is recorded in `problems`. */
export async function openPage(browser: Browser, viewport = DESKTOP): Promise<{ context: BrowserContext; page: Page; problems: string[] }> {
  const context = await browser.newContext({ viewport, acceptDownloads: true });
  const page = await context.newPage();
  const problems: string[] = [];
  page.on('console', (m) => {
    if (/Content Security Policy|Refused to (execute|apply|load)/i.test(m.text())) problems.push(`CSP: ${m.text()}`);
  });
  page.on('pageerror', (e) => problems.push(`page error: ${e.message}`));
  return { context, page, problems };
}

const axeSource = fs.readFileSync(createRequire(import.meta.url).resolve('axe-core/axe.min.js'), 'utf8');

export interface AxeViolation {
  id: string;
  impact: string | null;
  help: string;
  nodes: string[];
}

/**
 * axe-core's serious and critical violations on the page as it is now. axe is evaluated through
 * the DevTools protocol (not a <script> tag), so the page's CSP stays in force.
 */
export async function seriousAxeViolations(page: Page): Promise<AxeViolation[]> {
  await page.evaluate(axeSource);
  // in-page code as a string: the root tsconfig has no DOM library (only web/ does)
  const violations = (await page.evaluate(`axe.run(document, { resultTypes: ['violations'] }).then((r) => r.violations.map((v) => ({ id: v.id, impact: v.impact, help: v.help, nodes: v.nodes.slice(0, 5).map((n) => JSON.stringify(n.target)) })))`)) as AxeViolation[];
  return violations.filter((v) => v.impact === 'serious' || v.impact === 'critical');
}

export const SCREENSHOTS = fileURLToPath(new URL('../../../docs/screenshots/', import.meta.url));

/** Writes docs/screenshots/<name>.png (the README links them). */
export async function screenshot(page: Page, name: string): Promise<void> {
  fs.mkdirSync(SCREENSHOTS, { recursive: true });
  await page.screenshot({ path: path.join(SCREENSHOTS, `${name}.png`), fullPage: false });
}

/** Presses Tab until the focused element has accessible text `text` (at most `max` presses); true when reached. */
export async function tabTo(page: Page, text: string | RegExp, max = 40): Promise<boolean> {
  for (let i = 0; i < max; i++) {
    await page.keyboard.press('Tab');
    const focused = (await page.evaluate(`document.activeElement?.innerText?.trim() ?? ''`)) as string;
    if (typeof text === 'string' ? focused === text : text.test(focused)) return true;
  }
  return false;
}
