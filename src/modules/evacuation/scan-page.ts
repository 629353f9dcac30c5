import { readFileSync } from 'node:fs';
import { escapeHtml } from './manifest.ts';
import { directionOf } from './page-language.ts';
import {
  SCAN_LANGUAGE_NAMES,
  SCAN_LANGUAGES,
  SCAN_MESSAGES,
  type ScanLanguage,
  type ScanMessageKey,
} from './scan-messages.ts';

// The boarding scanner page, its script and its service worker. The page is HTML in the language the
// browser asks for (the content security policy allows scripts from this origin only, so nothing is
// run inline; the messages travel as a JSON data block); the script talks to the API with the
// console's session.

/** The scanner's script and service worker, read once at start-up. */
export const scanAssets = {
  script: readFileSync(new URL('./scan/app.js', import.meta.url), 'utf8'),
  serviceWorker: readFileSync(new URL('./scan/sw.js', import.meta.url), 'utf8'),
};

/** The scanner page in `lang`: camera, manual entry, leg choice, head count and the offline queue. */
export function renderScanPage(lang: ScanLanguage = 'en'): string {
  const m = SCAN_MESSAGES[lang];
  const e = (key: ScanMessageKey) => escapeHtml(m[key]);
  // A JSON data block is never run (the content security policy allows no inline script); `<` is
  // escaped so that no message can close the block.
  const messages = JSON.stringify(m).replace(/</g, '\\u003c');
  const switcher = SCAN_LANGUAGES.map((l) =>
    l === lang
      ? `<span lang="${l}" aria-current="true">${escapeHtml(SCAN_LANGUAGE_NAMES[l])}</span>`
      : `<a href="/scan?lang=${l}" lang="${l}" hreflang="${l}">${escapeHtml(SCAN_LANGUAGE_NAMES[l])}</a>`,
  ).join(' · ');
  return `<!doctype html>
<html lang="${lang}" dir="${directionOf(lang)}">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1, viewport-fit=cover">
<meta name="theme-color" content="#0b3d5c">
<title>${e('page.title')}</title>
<style>
*{box-sizing:border-box}
body{font-family:system-ui,sans-serif;margin:0;padding:1rem;max-width:32rem;margin-inline:auto;color:#111;background:#f5f7f9;line-height:1.4}
h1{font-size:1.3rem;margin:.25rem 0 .75rem}
.langs{font-size:.85rem;text-align:end;margin:0}
.bar{display:flex;justify-content:space-between;gap:.5rem;font-size:.85rem;margin-bottom:.75rem}
.online{color:#0a6b2d}.offline{color:#a33;font-weight:700}
label{display:block;font-weight:600;margin:.75rem 0 .25rem}
select,input,button{font:inherit;width:100%;padding:.7rem;border-radius:.5rem;border:1px solid #889}
button{background:#0b3d5c;color:#fff;border:0;font-weight:700;margin-top:.5rem}
video{width:100%;border-radius:.5rem;background:#000;margin-top:.5rem}
#heads{font-size:1.1rem;font-weight:700;margin:.5rem 0}
.note{font-size:.85rem;color:#445}
.result{margin-top:1rem;padding:1rem;border-radius:.5rem;font-size:1.1rem;background:#fff;border:2px solid #ccd}
.result p{margin:.25rem 0 0;font-size:1rem}
.boarded{border-color:#0a6b2d;background:#e5f6ea}.repeat{border-color:#b07a00;background:#fff6dd}
.refused{border-color:#a33;background:#fde8e8}.queued,.synced{border-color:#0b3d5c;background:#e6f0f6}
#problems{font-size:.85rem;color:#a33;padding-inline-start:1.2rem}
#signin{background:#fde8e8;padding:.75rem;border-radius:.5rem}
</style>
</head>
<body>
<nav class="langs" aria-label="${e('page.languages')}">${switcher}</nav>
<h1>${e('page.title')}</h1>
<div class="bar"><span id="network">…</span><span id="queued"></span></div>
<p id="signin" hidden>${e('signin.before')}<a href="/">${e('signin.link')}</a>${e('signin.after')}</p>
<label for="leg">${e('leg.label')}</label>
<select id="leg"><option value="">${e('leg.loading')}</option></select>
<p id="heads" aria-live="polite"></p>
<button id="camera" type="button">${e('camera.button')}</button>
<video id="video" playsinline muted hidden></video>
<p id="camera-note" class="note"></p>
<form id="manual" autocomplete="off">
<label for="token">${e('manual.label')}</label>
<input id="token" name="token" inputmode="text" autocapitalize="off" spellcheck="false" dir="ltr">
<button type="submit">${e('manual.button')}</button>
</form>
<div id="result" class="result" aria-live="assertive">${e('result.ready')}</div>
<ul id="problems" aria-label="${e('problems.label')}"></ul>
<script type="application/json" id="scan-messages">${messages}</script>
<script type="module" src="/scan/app.js"></script>
</body>
</html>
`;
}
