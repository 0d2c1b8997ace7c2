// Accessibility check of every main screen (and the SSO step signed in, applied and
// showing an app's settings): the UI's web build in headless Chromium,
// with the engine's real answers (crates/ferry-bindings/examples/ui_fixtures.rs)
// served in place of Tauri's IPC, and axe-core run on each screen. Fails on any
// serious or critical violation, and if projector mode needs sideways scrolling at
// 1280×720. Usage: node a11y/check.mjs FIXTURES.json   (run by scripts/check-a11y)
import fs from 'node:fs';
import http from 'node:http';
import path from 'node:path';
import { createRequire } from 'node:module';
import { fileURLToPath } from 'node:url';
import puppeteer from 'puppeteer-core';

const here = path.dirname(fileURLToPath(import.meta.url));
const dist = path.join(here, '..', 'dist');
const fixtures = JSON.parse(fs.readFileSync(process.argv[2], 'utf8'));
const axePath = createRequire(import.meta.url).resolve('axe-core/axe.min.js');

const TYPES = { '.html': 'text/html', '.js': 'text/javascript', '.css': 'text/css', '.svg': 'image/svg+xml', '.png': 'image/png', '.woff2': 'font/woff2' };
const server = http.createServer((req, res) => {
  const url = new URL(req.url, 'http://x');
  const file = path.join(dist, url.pathname === '/' ? 'index.html' : decodeURIComponent(url.pathname));
  if (!file.startsWith(dist) || !fs.existsSync(file)) {
    res.writeHead(404).end();
    return;
  }
  res.writeHead(200, { 'Content-Type': TYPES[path.extname(file)] ?? 'application/octet-stream' });
  fs.createReadStream(file).pipe(res);
});
await new Promise((r) => server.listen(0, '127.0.0.1', r));
const base = `http://127.0.0.1:${server.address().port}/`;

// Stands in for Tauri: each command answers with what the engine answered for it.
function fakeBackend(fx) {
  let next = 0;
  const callbacks = {};
  const perPlan = (id) => fx.per_plan[id];
  window.__TAURI_INTERNALS__ = {
    metadata: { currentWindow: { label: 'main' }, currentWebview: { windowLabel: 'main', label: 'main' } },
    transformCallback(cb) {
      next += 1;
      callbacks[next] = cb;
      return next;
    },
    unregisterCallback(id) {
      delete callbacks[id];
    },
    convertFileSrc: (p) => p,
    async invoke(cmd, args = {}) {
      switch (cmd) {
        case 'plan_get':
        case 'plan_recommend':
          return perPlan(args.id)[cmd];
        case 'tools_proposed_needs':
        case 'tools_suites':
        case 'exit_plan_gaps':
        case 'exit_plan_defaults':
        case 'exit_plan_suggest':
        case 'deploy_preview':
        case 'sso_overview':
        case 'sso_plan':
        case 'sso_apply':
        case 'sso_verify':
        case 'deploy_arrive_outlook':
        case 'move_targets':
          return perPlan(args.plan.id)[cmd];
        case 'sso_app_settings':
          return perPlan(args.plan.id).sso_app_settings[args.clientId] ?? [];
        case 'plan_save':
          return { plan: args.plan, problems: [] };
        case 'plan_draft':
          return null;
        case 'plan_progress':
        case 'needs_vote_status':
          return perPlan(args.plan.id)[cmd];
        case 'plans_list':
          return args.trash ? [] : fx.plans_list;
        case 'app_ready':
        case 'settings_set':
          return null;
        case 'room_watch':
          return null;
        default:
          if (cmd in fx) return fx[cmd];
          throw { code: 'unknown', message: `no answer for ${cmd}`, params: {}, problems: [] };
      }
    },
  };
}

// Debian's chromium (scripts/setup installs it); another Chromium or Chrome also does.
const executablePath = [process.env.CHROMIUM, '/usr/bin/chromium', '/usr/bin/chromium-browser', '/usr/bin/google-chrome']
  .filter(Boolean)
  .find((p) => fs.existsSync(p));
if (!executablePath) {
  const msg = 'the accessibility check needs Chromium (apt install chromium, or set CHROMIUM=/path/to/chrome)';
  if (process.env.CI === 'true' || process.env.CI === '1') {
    console.error(msg);
    process.exit(1);
  }
  console.log(`SKIPPED: ${msg}`);
  server.close();
  process.exit(0);
}
const browser = await puppeteer.launch({
  executablePath,
  headless: true,
  args: ['--no-sandbox', '--disable-gpu'],
});
const page = await browser.newPage();
await page.setViewport({ width: 1280, height: 720 });
const pageErrors = [];
page.on('pageerror', (e) => pageErrors.push(String(e)));
await page.evaluateOnNewDocument(fakeBackend, fixtures);
await page.goto(base, { waitUntil: 'networkidle0' });

const failures = [];
async function check(screen) {
  await new Promise((r) => setTimeout(r, 150));
  if (!(await page.evaluate(() => 'axe' in window))) await page.addScriptTag({ path: axePath });
  const result = await page.evaluate(() => window.axe.run(document, { resultTypes: ['violations'] }));
  const bad = result.violations.filter((v) => v.impact === 'serious' || v.impact === 'critical');
  const minor = result.violations.length - bad.length;
  console.log(`${bad.length ? 'FAIL' : 'ok  '} ${screen}: ${bad.length} serious or critical, ${minor} minor`);
  for (const v of bad) {
    failures.push(`${screen}: ${v.id} (${v.impact}) ${v.help}`);
    for (const n of v.nodes.slice(0, 3)) console.log(`       ${v.id}: ${n.target.join(' ')} — ${n.failureSummary?.split('\n')[1]?.trim() ?? ''}`);
  }
}
const click = async (css) => {
  await page.waitForSelector(css, { timeout: 10000 });
  await page.click(css);
};

await page.waitForSelector('[data-testid=library][data-loaded=true]', { timeout: 10000 });
await check('library');
await click('[data-testid=new-plan]');
await page.waitForSelector('[data-testid=new-plan-name]');
await check('new plan dialog');
await page.keyboard.press('Escape');
await page.waitForSelector('[data-testid=new-plan-name]', { hidden: true, timeout: 5000 });
await click('[data-testid=open-cross]');
await page.waitForSelector('[data-testid=cross-view]', { timeout: 10000 });
await check('compare organisations');
await click('[data-testid=room-open-screen]');
await page.waitForSelector('[data-testid=room-setup]');
await check('workshop room, setting up');
await click('[data-testid=room-open]');
await page.waitForSelector('[data-testid=room-url]');
await check('workshop room, projector');
await click('[data-testid=room-people] summary');
await page.waitForSelector('[data-testid=room-person]', { timeout: 10000 });
await check('workshop room, people in the room');
await click('[data-testid=room-back]');
await page.waitForSelector('[data-testid=cross-view]', { timeout: 10000 });
await click('[data-testid=cross-back]');
await click('[data-testid=open-plan]');
await page.waitForSelector('[data-testid=plan-title]');
await check('organisation');
for (const step of ['tools', 'needs', 'recipes', 'sso', 'exit', 'deploy']) {
  await click(`[data-testid=step-${step}]`);
  await check(`step ${step}`);
  if (step === 'deploy' && (await page.$('[data-testid=move-mode-admin]'))) {
    // The data move as the administrator (its notes and fields), then back.
    await click('[data-testid=move-mode-admin]');
    await check('deploy, moving everyone\'s data');
    await click('[data-testid=move-mode-own]');
  }
  if (step === 'sso') {
    // Signed in (the fixtures saved credentials): review, apply, then one app's settings.
    await click('[data-testid=sso-review]');
    await page.waitForSelector('[data-testid=sso-changes]');
    await check('sso changes to review');
    await click('[data-testid=sso-apply]');
    await page.waitForSelector('[data-testid^=sso-check-] details summary');
    await page.click('[data-testid^=sso-check-] details summary');
    await page.waitForSelector('[data-testid^=sso-settings-]');
    await check('sso results and an app\'s settings');
  }
  if (step === 'needs') {
    await click('[data-testid=view-board]');
    await page.waitForSelector('[data-testid=needs-board]');
    await check('needs board');
    await click('[data-testid=projector-toggle]');
    await check('needs board, projector mode');
    const width = await page.evaluate(() => document.documentElement.scrollWidth);
    console.log(`${width <= 1280 ? 'ok  ' : 'FAIL'} projector mode fits 1280 px wide (${width} px)`);
    if (width > 1280) failures.push(`projector mode is ${width} px wide at a 1280×720 window`);
    await click('[data-testid=projector-toggle]');
  }
}

// Layout pass: every main screen at 1280×800 and 1024×768 in all four languages has no
// sideways scrolling and no text cut inside a control (a button, a select, a label).
async function layout(label) {
  const found = await page.evaluate(() => {
    const out = [];
    const doc = document.documentElement;
    if (doc.scrollWidth > doc.clientWidth + 1) out.push(`the page scrolls sideways (${doc.scrollWidth} px wide)`);
    for (const el of document.querySelectorAll('button, select, label, th, .chip')) {
      const style = getComputedStyle(el);
      if (style.visibility === 'hidden' || el.offsetParent === null) continue;
      if (el.scrollWidth > el.clientWidth + 1 && style.overflowX !== 'visible')
        out.push(`text cut in <${el.tagName.toLowerCase()}> "${(el.textContent || el.value || '').trim().slice(0, 40)}"`);
    }
    return out;
  });
  for (const f of found) failures.push(`layout ${label}: ${f}`);
  console.log(`${found.length ? 'FAIL' : 'ok  '} layout ${label}${found.length ? `: ${found.length} problem(s)` : ''}`);
}

for (const [width, height] of [[1280, 800], [1024, 768]]) {
  await page.setViewport({ width, height });
  for (const lang of ['en', 'nb', 'de', 'es']) {
    await page.goto(base, { waitUntil: 'networkidle0' });
    await page.waitForSelector('[data-testid=app-language]');
    await page.select('[data-testid=app-language]', lang);
    await page.waitForFunction((l) => document.documentElement.lang === l, { timeout: 5000 }, lang);
    await layout(`${width}×${height} ${lang} library`);
    await click('[data-testid=open-plan]');
    await page.waitForSelector('[data-testid=plan-title]');
    await layout(`${width}×${height} ${lang} organisation`);
    for (const step of ['tools', 'needs', 'recipes', 'sso', 'exit', 'deploy']) {
      await click(`[data-testid=step-${step}]`);
      await new Promise((r) => setTimeout(r, 100));
      await layout(`${width}×${height} ${lang} ${step}`);
      // The data-move card, also as the administrator moves everyone's data; it sits
      // below the fold: with FERRY_SCREENSHOTS, a picture of it alone, to look at.
      if (step === 'deploy' && (await page.$('[data-testid=move-mode-admin]'))) {
        const shots = width === 1280 && process.env.FERRY_SCREENSHOTS;
        const card = await page.$('[data-testid=move-data]');
        if (shots) fs.mkdirSync(shots, { recursive: true });
        if (shots) await card.screenshot({ path: path.join(shots, `move-card-${lang}.png`) });
        await click('[data-testid=move-mode-admin]');
        await layout(`${width}×${height} ${lang} ${step}, moving everyone's data`);
        if (shots) await card.screenshot({ path: path.join(shots, `move-card-admin-${lang}.png`) });
        await click('[data-testid=move-mode-own]');
      }
    }
  }
}

await browser.close();
server.close();
if (pageErrors.length) failures.push(...pageErrors.map((e) => `page error: ${e}`));
if (failures.length) {
  console.error(`\n${failures.length} problem(s):\n  ${failures.join('\n  ')}`);
  process.exit(1);
}
console.log('\nNo serious or critical accessibility problems.');
