// Plays participants of a workshop room on phones: headless Chromium at 360×640, one
// tab per participant, joining by the room's address, proposing and placing dots.
// Used by the end-to-end room test (tests/e2e/room.rs), which drives the projector.
//
//   node a11y/phones.mjs URL COUNT
// prints one JSON line {"dots": {orgName: {need: n}}, "proposals": k, "axe": [...]}
// after voting, then waits for a line "end" on stdin and prints {"ended": n} once
// every page says the vote has ended. Screenshots go to $FERRY_SCREENSHOTS.
import fs from 'node:fs';
import http from 'node:http';
import path from 'node:path';
import readline from 'node:readline';
import { createRequire } from 'node:module';
import puppeteer from 'puppeteer-core';

const [url, countArg] = process.argv.slice(2);
const count = Number(countArg ?? 30);
const axePath = createRequire(import.meta.url).resolve('axe-core/axe.min.js');
const shots = process.env.FERRY_SCREENSHOTS;
const executablePath = [process.env.CHROMIUM, '/usr/bin/chromium', '/usr/bin/chromium-browser', '/usr/bin/google-chrome']
  .filter(Boolean)
  .find((p) => fs.existsSync(p));
if (!executablePath) {
  console.error('phones.mjs needs Chromium (apt install chromium, or set CHROMIUM)');
  process.exit(2);
}
// One Chromium plays every phone, each in a browser context of its own (its own
// connections, as each phone has). Every phone opens the room's own address: the room
// answers no other host name.
const browser = await puppeteer.launch({
  executablePath,
  headless: true,
  args: ['--no-sandbox', '--disable-gpu'],
});
browser.on('disconnected', () => {
  console.error('phones.mjs: Chromium went away');
  process.exit(3);
});

async function axe(page, label) {
  if (!(await page.evaluate(() => 'axe' in window))) await page.addScriptTag({ path: axePath });
  const result = await page.evaluate(() => window.axe.run(document, { resultTypes: ['violations'] }));
  return result.violations
    .filter((v) => v.impact === 'serious' || v.impact === 'critical')
    .map((v) => `${label}: ${v.id} (${v.nodes.length}) ${v.nodes.map((n) => n.target.join(' ')).join(', ')}`);
}

// Phones on a Wi-Fi each have an address of their own, and the room caps connections
// per address. Here every phone would be 127.0.0.1, and thirty Chromium contexts hold
// more than one phone's share of connections: each phone goes through a small proxy of
// its own that connects from 127.0.0.N (all of 127/8 is loopback on Linux).
// No keep-alive towards the room: the room closes a connection idle for 10 s, and a
// Node agent that reuses one just as it closes fails the request where a browser
// would send it again. A new connection for each request has no such race.
let phonesMade = 0;
const phonesSeen = new Set();
const proxyErrors = [];
// A phone's Wi-Fi can drop: while `cut` holds its index, its proxy hangs up on it.
const cut = new Set();
async function ownAddress() {
  const index = phonesMade;
  const localAddress = `127.0.0.${10 + phonesMade++}`;
  const agent = new http.Agent({ keepAlive: false, localAddress });
  const proxy = http.createServer((req, res) => {
    if (cut.has(index)) {
      req.socket.destroy();
      return;
    }
    const target = new URL(req.url);
    phonesSeen.add(localAddress);
    const headers = { ...req.headers };
    for (const h of ['proxy-connection', 'connection', 'keep-alive']) delete headers[h];
    const upstream = http.request(
      { host: target.hostname, port: target.port, path: target.pathname + target.search, method: req.method, headers, agent },
      (answer) => {
        res.writeHead(answer.statusCode, answer.headers);
        answer.pipe(res);
      },
    );
    upstream.on('error', (e) => {
      proxyErrors.push(`${localAddress} ${req.method} ${target.pathname.replace(/[0-9a-f]{64}/, '…')}: ${e.code ?? e.message}`);
      res.destroy();
    });
    res.on('close', () => { if (!res.writableFinished) upstream.destroy(); });
    req.pipe(upstream);
  });
  await new Promise((ok) => proxy.listen(0, '127.0.0.1', ok));
  proxy.unref();
  return `http://127.0.0.1:${proxy.address().port}`;
}

async function phone(lang) {
  // '<-loopback>': Chromium otherwise never sends loopback addresses through a proxy.
  const context = await browser.createBrowserContext({ proxyServer: await ownAddress(), proxyBypassList: ['<-loopback>'] });
  const page = await context.newPage();
  // axe is injected as an inline script; the room's CSP (rightly) refuses those.
  await page.setBypassCSP(true);
  await page.setViewport({ width: 360, height: 640, isMobile: true, hasTouch: true });
  await page.evaluateOnNewDocument((l) => Object.defineProperty(navigator, 'languages', { get: () => [l] }), lang);
  // Not 'networkidle': the page keeps its event stream open.
  await page.goto(url, { waitUntil: 'domcontentloaded' });
  await page.waitForSelector('[data-testid=room-join]');
  return page;
}

const LANGS = ['en', 'nb', 'de', 'es'];
const violations = [];
const pages = [];
const dots = {};
let proposals = 0;

// The page in every language, before and after joining, under axe.
for (const lang of LANGS) {
  const page = await phone(lang);
  violations.push(...(await axe(page, `${lang} join`)));
  pages.push({ page, lang });
}

// Everyone joins at once, then votes at once: the room takes the load as a room would.
while (pages.length < count) pages.push({ page: await phone(LANGS[pages.length % 4]), lang: LANGS[pages.length % 4] });
await Promise.all(
  pages.map(async ({ page, lang }, i) => {
    const orgs = await page.$$('[data-testid=room-org]');
    const org = orgs[i % orgs.length];
    const orgName = await org.evaluate((el) => el.parentElement.textContent.trim());
    // Clicks on the elements themselves, as for the dots below: pulses can move the
    // layout under a pointer aimed a moment earlier.
    await org.evaluate((el) => el.click());
    if (i % 2 === 0) await page.type('[data-testid=room-name]', `P${i}`);
    await page.$eval('[data-testid=room-join-button]', (b) => b.click());
    await page.waitForSelector('[data-testid=room-dots-left]').catch(async (e) => {
      const shown = await page.evaluate(() => document.querySelector('main')?.innerText);
      throw new Error(`phone ${i}: not in the room after Join (${e.message}); the page says:\n${shown}\nproxy errors: ${proxyErrors.join('; ') || 'none'}`);
    });
    await page.waitForSelector('[data-testid^="room-add-"]');
    const buttons = await page.$$eval('[data-testid^="room-add-"]', (bs) => bs.map((b) => b.getAttribute('data-testid').slice('room-add-'.length)));
    if (buttons.length === 0) throw new Error(`phone ${i}: no cards to vote on`);
    const left = () => page.$eval('[data-testid=room-dots-left]', (el) => el.textContent);
    // Dots go round the cards from this participant's own starting card.
    let placed = 0;
    for (let k = 0; ; k++) {
      const need = buttons[(i + k) % buttons.length];
      const disabled = await page.$eval(`[data-testid=room-add-${need}]`, (b) => b.disabled);
      if (disabled) break;
      const before = await left();
      // A click on the element itself: the cards' totals move the layout under a
      // pointer aimed a moment earlier.
      await page.$eval(`[data-testid=room-add-${need}]`, (b) => b.click());
      await page
        .waitForFunction((b) => document.querySelector('[data-testid=room-dots-left]')?.textContent !== b, {}, before)
        .catch(async (e) => {
          const shown = await page.evaluate(() => document.querySelector('main')?.innerText);
          throw new Error(`phone ${i}: the dot on ${need} did not show (${e.message}); the page says:\n${shown}`);
        });
      dots[orgName] ??= {};
      dots[orgName][need] = (dots[orgName][need] ?? 0) + 1;
      placed++;
    }
    if (i % 5 === 0) {
      await page.type('[data-testid=room-text]', `we use WhatsApp for the board (${i})`);
      await page.$eval('[data-testid=room-send]', (b) => b.click());
      await page.waitForSelector('[data-testid=room-proposals]');
      proposals++;
    }
    if (i < LANGS.length) {
      violations.push(...(await axe(page, `${lang} voting`)));
      if (shots && i === 1) {
        fs.mkdirSync(shots, { recursive: true });
        await page.screenshot({ path: path.join(shots, 'room-phone-nb.png') });
      }
    }
    return placed;
  }),
);
// The Norwegian phone loses the Wi-Fi for a moment: taking a dot back gets no answer,
// which it says (not that the room is gone), and once the Wi-Fi is back the same
// taps work; its dots end as they were.
{
  const { page } = pages[1];
  const left = () => page.$eval('[data-testid=room-dots-left]', (el) => el.textContent);
  const need = await page.$eval('[data-testid^="room-remove-"]:not([disabled])', (b) => b.getAttribute('data-testid').slice('room-remove-'.length));
  const before = await left();
  cut.add(1);
  await page.$eval(`[data-testid=room-remove-${need}]`, (b) => b.click());
  await page.waitForSelector('[data-testid=room-no-answer]');
  if (await page.$('[data-testid=room-gone]')) throw new Error('a phone without an answer says the room is gone');
  if ((await left()) !== before) throw new Error('a dot taken back without an answer shows as taken back');
  violations.push(...(await axe(page, 'nb no answer')));
  if (shots) await page.screenshot({ path: path.join(shots, 'room-phone-no-answer.png') });
  cut.delete(1);
  await page.$eval(`[data-testid=room-remove-${need}]`, (b) => b.click());
  await page.waitForFunction((b) => document.querySelector('[data-testid=room-dots-left]')?.textContent !== b, {}, before);
  await page.waitForSelector('[data-testid=room-no-answer]', { hidden: true });
  await page.$eval(`[data-testid=room-add-${need}]`, (b) => b.click());
  await page.waitForFunction((b) => document.querySelector('[data-testid=room-dots-left]')?.textContent === b, {}, before);
}
// Had Chromium bypassed the proxies, every phone would have been 127.0.0.1 again.
if (phonesSeen.size !== pages.length) throw new Error(`only ${phonesSeen.size} of ${pages.length} phones came through their own address`);
console.log(JSON.stringify({ dots, proposals, axe: violations }));

const rl = readline.createInterface({ input: process.stdin });
for await (const line of rl) {
  if (line.trim() !== 'end') continue;
  const ended = await Promise.all(
    pages.map(({ page }) =>
      page
        .waitForSelector('[data-testid=room-ended]', { timeout: 10000 })
        .then(() => 1)
        .catch(() => 0),
    ),
  );
  if (shots) await pages[0].page.screenshot({ path: path.join(shots, 'room-phone-ended.png') });
  console.log(JSON.stringify({ ended: ended.reduce((a, b) => a + b, 0) }));
  break;
}
browser.removeAllListeners('disconnected');
// Closing thirty tabs can take longer than the test cares to wait: end here.
browser.close().catch(() => {});
process.exit(0);
