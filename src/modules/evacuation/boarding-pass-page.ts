// A boarding pass as the evacuee sees it: the page the message's link opens (the QR code drawn as SVG
// on the server, no script), the e-mail body, and the short text an SMS carries. Nothing personal is
// shown: the pass says where and when to go, and its code says the rest to the officer at the door.
import { checkSmsLength } from '../../domain/messaging/sms-encoding.ts';
import { modeName, PASS_MESSAGES, type PassLanguage, type PassMessageKey } from './boarding-pass-messages.ts';
import { escapeHtml } from './manifest.ts';
import { directionOf, fill } from './page-language.ts';

/** What a pass tells its holder. Times are ISO-8601 UTC. */
export type PassFacts = {
  crisis: string;
  mode: string;
  destination: string;
  departsAt: string;
  assemblyPoint: string;
  /** When to be at the assembly point: the departure, or earlier for a leg from a hub. */
  gatherAt: string;
  expiresAt: string;
  token: string;
  /** The QR code of the token, as SVG markup. */
  qrSvg: string;
};

/** What the page shows: the pass, the pass of someone aboard, or why there is none. */
export type PassPageState =
  | { kind: 'valid' | 'boarded'; facts: PassFacts }
  | { kind: 'invalid' | 'expired' | 'replaced' | 'cancelled' | 'closed' };

/** '2025-03-12 14:00 UTC': the same for everyone, whatever their phone's time zone. */
export const readableUtc = (iso: string): string => `${iso.slice(0, 10)} ${iso.slice(11, 16)} UTC`;

const ltr = (text: string) => `<span dir="ltr">${escapeHtml(text)}</span>`;

/** The link a message carries: the pass page in the message's language. */
export const passUrl = (publicUrl: string, token: string, lang: PassLanguage): string =>
  `${publicUrl}/pass/${token}?lang=${lang}`;

/**
 * Subject and text of the message. The text is what an SMS carries: when the full text (leg, times,
 * assembly point, link) needs more than `maxSmsSegments`, the short one (leg and link) goes instead;
 * the page behind the link says the rest.
 */
export function passMessage(
  lang: PassLanguage,
  facts: PassFacts,
  url: string,
  maxSmsSegments: number,
): { subject: string; text: string } {
  const m = PASS_MESSAGES[lang];
  const mode = modeName(lang, facts.mode);
  const full = fill(m['message.text'], {
    mode,
    destination: facts.destination,
    departs: readableUtc(facts.departsAt),
    point: facts.assemblyPoint,
    // On the day of departure the time alone says it, and keeps the SMS short.
    gather:
      facts.gatherAt.slice(0, 10) === facts.departsAt.slice(0, 10)
        ? readableUtc(facts.gatherAt).slice(11)
        : readableUtc(facts.gatherAt),
    url,
  });
  return {
    subject: fill(m['message.subject'], { mode, destination: facts.destination }),
    text: checkSmsLength(full, maxSmsSegments).ok
      ? full
      : fill(m['message.short'], { mode, destination: facts.destination, url }),
  };
}

function qrFigure(lang: PassLanguage, facts: PassFacts): string {
  const label = escapeHtml(PASS_MESSAGES[lang]['page.qr']);
  const svg = facts.qrSvg.replace(
    /^<svg /,
    `<svg role="img" aria-label="${label}" width="240" height="240" `,
  );
  return `<figure class="qr">${svg}<figcaption><code dir="ltr">${escapeHtml(facts.token)}</code></figcaption></figure>`;
}

function factList(lang: PassLanguage, facts: PassFacts): string {
  const m = PASS_MESSAGES[lang];
  const row = (key: PassMessageKey, value: string) =>
    `<div><dt>${escapeHtml(m[key])}</dt><dd>${value}</dd></div>`;
  return `<dl class="facts">
${row('page.leg', escapeHtml(fill(m['page.legValue'], { mode: modeName(lang, facts.mode), destination: facts.destination })))}
${row('page.departs', ltr(readableUtc(facts.departsAt)))}
${row('page.point', `<span dir="auto">${escapeHtml(facts.assemblyPoint)}</span>`)}
${row('page.gather', ltr(readableUtc(facts.gatherAt)))}
${row('page.validUntil', ltr(readableUtc(facts.expiresAt)))}
</dl>`;
}

/** The e-mail body: the pass itself, its QR code inline, and the link to open it on a phone. */
export function passEmailHtml(lang: PassLanguage, facts: PassFacts, url: string): string {
  const m = PASS_MESSAGES[lang];
  return `<!doctype html>
<html lang="${lang}" dir="${directionOf(lang)}">
<head><meta charset="utf-8"><title>${escapeHtml(m['page.title'])}</title></head>
<body style="font-family:system-ui,sans-serif;line-height:1.4">
<h1 style="font-size:1.3rem">${escapeHtml(m['page.title'])}</h1>
<p>${escapeHtml(fill(m['message.htmlIntro'], { crisis: facts.crisis }))}</p>
${factList(lang, facts)}
${qrFigure(lang, facts)}
<p>${escapeHtml(m['page.show'])}</p>
<p><a href="${escapeHtml(url)}">${escapeHtml(m['message.htmlLink'])}</a></p>
</body>
</html>
`;
}

/** The pass page (or the reason there is none) in `lang`. */
export function renderPassPage(lang: PassLanguage, state: PassPageState): string {
  const m = PASS_MESSAGES[lang];
  let body: string;
  switch (state.kind) {
    case 'valid':
      body = `${factList(lang, state.facts)}
${qrFigure(lang, state.facts)}
<p class="note">${escapeHtml(m['page.show'])}</p>`;
      break;
    case 'boarded':
      body = `<p class="ok" role="status">${escapeHtml(m['page.boarded'])}</p>
${factList(lang, state.facts)}`;
      break;
    default:
      body = `<p class="refused" role="alert">${escapeHtml(m[`page.${state.kind}`])}</p>`;
  }
  return `<!doctype html>
<html lang="${lang}" dir="${directionOf(lang)}">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="robots" content="noindex, nofollow">
<title>${escapeHtml(m['page.title'])}</title>
<style>
body{font-family:system-ui,sans-serif;margin:0 auto;padding:1rem;max-width:30rem;color:#111;line-height:1.4}
h1{font-size:1.4rem;margin:.25rem 0 .75rem}
.facts{margin:0 0 1rem;padding:0}.facts div{margin:0 0 .5rem}
.facts dt{font-size:.8rem;text-transform:uppercase;color:#445}.facts dd{margin:0;font-weight:700;font-size:1.1rem}
.qr{margin:0 0 1rem;text-align:center}.qr svg{width:min(80vw,18rem);height:auto;background:#fff}
.qr code{display:block;word-break:break-all;font-size:.8rem;margin-top:.5rem}
.ok{background:#e5f6ea;border:2px solid #0a6b2d;padding:1rem;border-radius:.5rem;font-weight:700}
.refused{background:#fde8e8;border:2px solid #a33;padding:1rem;border-radius:.5rem;font-weight:700}
.note,.help{font-size:.95rem}
</style>
</head>
<body>
<h1>${escapeHtml(m['page.title'])}</h1>
${'facts' in state ? `<p>${escapeHtml(state.facts.crisis)}</p>` : ''}
${body}
<p class="help">${escapeHtml(m['page.help'])}</p>
</body>
</html>
`;
}
