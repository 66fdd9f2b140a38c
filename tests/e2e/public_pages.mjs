// The public pages (the start page and the privacy notice), with JavaScript on and off: they
// answer, are titled and headed as they should be, carry the design system's styles (and its
// scripts start when JavaScript is on), pass axe, weigh under 300 KB, ask nothing of another
// origin, and work from the keyboard (the skip link first, then into the main content).

import {
  check, checkNoExternalRequests, checkPage, newContext, newContextWithoutJavaScript, newPage,
  pressEnter, tabTo,
} from './lib.mjs';

const PAGES = [
  { path: '/', shot: 'start', h1: 'Your staff passport' },
  { path: '/privacy', shot: 'privacy', h1: 'Privacy notice' },
];

const NHS_BLUE = 'rgb(0, 94, 184)';

export default async function publicPages(t) {
  for (const js of [true, false]) {
    const mode = js ? 'JS on' : 'JS off';
    const context = js
      ? await newContext(t.browser, t.origin)
      : await newContextWithoutJavaScript(t.browser, t.origin);
    try {
      const page = await newPage(context);
      const assets = new Map();
      page.on('response', (r) => {
        const path = new URL(r.url()).pathname;
        if (path.startsWith('/assets/')) assets.set(path, r);
      });

      for (const p of PAGES) {
        const name = `${p.path} (${mode})`;
        assets.clear();
        const response = await page.goto(t.base + p.path);
        check(`${name}: answers 200 with HTML`,
          response.status() === 200 && (response.headers()['content-type'] ?? '').startsWith('text/html'),
          `${response.status()} ${response.headers()['content-type']}`);
        const title = await page.title();
        check(`${name}: is titled "${p.h1} – Lanyard staff passport"`,
          title === `${p.h1} – Lanyard staff passport`, title);
        const h1 = (await page.locator('h1').allInnerTexts()).map((s) => s.trim());
        check(`${name}: has one h1, "${p.h1}"`, h1.length === 1 && h1[0] === p.h1, h1);
        const lang = await page.evaluate(() => document.documentElement.lang);
        check(`${name}: is in British English (lang en-GB)`, lang === 'en-GB', lang);
        const header = await page.evaluate(() => {
          const h = document.querySelector('header');
          return h ? getComputedStyle(h).backgroundColor : '(no header)';
        });
        check(`${name}: has the design system's styles (an NHS blue header)`, header === NHS_BLUE, header);
        const css = assets.get('/assets/lanyard.css');
        check(`${name}: gets its stylesheet gzipped`,
          css?.status() === 200 && css.headers()['content-encoding'] === 'gzip',
          css ? `${css.status()} ${JSON.stringify(css.headers())}` : 'lanyard.css not requested');
        const footer = await page.locator('footer a[href="/privacy"]').count();
        check(`${name}: links to the privacy notice from the footer`, footer === 1, footer);
        if (js) {
          const body = await page.evaluate(() => document.body.className);
          check(`${name}: starts the design system's scripts (body is nhsuk-frontend-supported)`,
            body.split(/\s+/).includes('nhsuk-frontend-supported'), `body class="${body}"`);
        }
        await checkPage(page, `${p.shot} ${mode}`);
        await skipLink(page, name, js);
      }

      // Keyboard only: from the start page to the privacy notice.
      await page.goto(`${t.base}/`);
      try {
        await tabTo(page, 'a[href="/privacy"]');
        await pressEnter(page);
        check(`keyboard (${mode}): Tab and Enter reach the privacy notice`,
          new URL(page.url()).pathname === '/privacy', page.url());
      } catch (error) {
        check(`keyboard (${mode}): Tab and Enter reach the privacy notice`, false, error.message);
      }

      checkNoExternalRequests(context, `public pages (${mode}): no request left the origin`);
    } finally {
      await context.close();
    }
  }
}

// The skip link is the first Tab stop, shows when focused, and Enter moves focus to <main>
// (with JavaScript, the design system's skip link focuses it; without, the fragment moves the
// focus starting point there, so the next Tab lands in or after the main content).
async function skipLink(page, name, js) {
  await page.goto(page.url());
  await page.keyboard.press('Tab');
  const first = await page.evaluate(() => {
    const el = document.activeElement;
    const box = el?.getBoundingClientRect();
    return {
      skip: Boolean(el?.matches('a.nhsuk-skip-link[href="#maincontent"]')),
      shown: Boolean(box && box.width > 1 && box.height > 1),
      what: el ? el.outerHTML.slice(0, 120) : '(nothing)',
    };
  });
  check(`${name}: the skip link is the first Tab stop`, first.skip, first.what);
  check(`${name}: the skip link shows when focused`, first.skip && first.shown, first);
  await pressEnter(page);
  if (js) {
    const onMain = await page.evaluate(() => document.activeElement === document.getElementById('maincontent'));
    check(`${name}: Enter on the skip link moves focus to main`, onMain,
      await page.evaluate(() => document.activeElement?.outerHTML.slice(0, 120)));
  }
  await page.keyboard.press('Tab');
  const next = await page.evaluate(() => {
    const main = document.getElementById('maincontent');
    const el = document.activeElement;
    if (!main || !el || el === document.body) return { ok: false, what: '(nothing focused)' };
    const after = main.contains(el) || Boolean(main.compareDocumentPosition(el) & Node.DOCUMENT_POSITION_FOLLOWING);
    return { ok: after, what: el.outerHTML.slice(0, 120) };
  });
  check(`${name}: after the skip link, Tab goes on from the main content`, next.ok, next.what);
}
