// Lanyard staff passport: the pages' one script, loaded as a module at the end of <body>
// (<script type="module" src="/assets/lanyard.js">). The pages work without it.
//
// 1. Starts the NHS design system's components (skip link, header menu, error summary, ...).
//    The design system's bundle sits beside this file in /assets, so this import is one more
//    request to the same origin.
// 2. Follows a running job: an element carrying data-lanyard-poll="URL" (a same-origin URL of
//    a JSON job status {total, done, failed, state}) has its <progress> and its
//    [data-lanyard-progress-text] element updated every second, and the page is reloaded once
//    the job has ended (state finished, done or failed). Without JavaScript the page offers a
//    link to check progress instead.

import { initAll } from './nhsuk-frontend.min.js';

initAll({ onError: (error) => console.warn('lanyard: a design system component did not start', error) });

const POLL_MS = 1000;
const ENDED = new Set(['finished', 'done', 'failed']);

function count(value) {
  const n = Number(value);
  return Number.isFinite(n) && n >= 0 ? Math.floor(n) : 0;
}

// The progress text: the element's data-lanyard-progress-text value as a pattern with {done},
// {total} and {failed}, or else "D of T rows done, F with a problem."
function describe(job, pattern) {
  const values = { done: count(job.done), total: count(job.total), failed: count(job.failed) };
  const text = pattern || '{done} of {total} rows done, {failed} with a problem.';
  return text.replace(/\{(done|total|failed)\}/g, (_, name) => String(values[name]));
}

// The page is reloaded once for an ended job: should the reloaded page still ask to follow it,
// it is not reloaded again and again.
function reloadKey(url) {
  return `lanyard-reloaded:${window.location.pathname}:${url.pathname}${url.search}`;
}

function reloadOnce(url) {
  try {
    if (window.sessionStorage.getItem(reloadKey(url))) return false;
    window.sessionStorage.setItem(reloadKey(url), '1');
  } catch {
    // No session storage: reload all the same.
  }
  return true;
}

function forgetReload(url) {
  try {
    window.sessionStorage.removeItem(reloadKey(url));
  } catch {
    // nothing to forget
  }
}

function follow(element) {
  let url;
  try {
    url = new URL(element.getAttribute('data-lanyard-poll'), window.location.href);
  } catch {
    return;
  }
  if (url.origin !== window.location.origin) return; // same origin only

  const progress = element.querySelector('progress');
  const text = element.querySelector('[data-lanyard-progress-text]');
  const pattern = text?.getAttribute('data-lanyard-progress-text') ?? '';

  async function poll() {
    try {
      const response = await fetch(url, {
        credentials: 'same-origin',
        cache: 'no-store',
        headers: { Accept: 'application/json' },
      });
      if (response.ok) {
        const job = await response.json();
        if (progress) {
          progress.max = Math.max(count(job.total), 1);
          progress.value = Math.min(count(job.done), progress.max);
        }
        if (text) {
          const next = describe(job, pattern);
          if (text.textContent !== next) text.textContent = next;
        }
        if (ENDED.has(job.state)) {
          if (reloadOnce(url)) window.location.reload();
          return;
        }
        forgetReload(url);
      }
    } catch {
      // A dropped connection or a restart: try again at the next tick.
    }
    window.setTimeout(poll, POLL_MS);
  }
  window.setTimeout(poll, POLL_MS);
}

document.querySelectorAll('[data-lanyard-poll]').forEach(follow);
