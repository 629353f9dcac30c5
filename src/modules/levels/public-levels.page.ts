import type { LocalizedText } from '../../domain/levels/scheme.ts';
import { languageDirection } from '../../domain/reference/languages.ts';
import type { PublicLevelsView } from './levels.schema.ts';

const ESCAPES: Record<string, string> = {
  '&': '&amp;',
  '<': '&lt;',
  '>': '&gt;',
  '"': '&quot;',
  "'": '&#39;',
};

/** Text made safe for HTML content and quoted attribute values. */
export const escapeHtml = (text: string): string => text.replace(/[&<>"']/g, (c) => ESCAPES[c]!);

const COLOUR = /^#[0-9a-fA-F]{6}$/;

/** Black or white, whichever reads better on the level's colour (WCAG relative luminance). */
function textColourOn(colour: string): string {
  const channel = (i: number) => {
    const c = Number.parseInt(colour.slice(i, i + 2), 16) / 255;
    return c <= 0.03928 ? c / 12.92 : ((c + 0.055) / 1.055) ** 2.4;
  };
  const luminance = 0.2126 * channel(1) + 0.7152 * channel(3) + 0.0722 * channel(5);
  return luminance > 0.179 ? '#000000' : '#ffffff';
}

/** One element per language, each carrying its own `lang` and `dir` so right-to-left scripts render right. */
function localized(tag: 'p' | 'span', text: LocalizedText, className: string): string {
  return Object.entries(text)
    .map(([lang, value]) => {
      const dir = languageDirection(lang);
      return `<${tag} class="${className}" lang="${escapeHtml(lang)}" dir="${dir}">${escapeHtml(value)}</${tag}>`;
    })
    .join(tag === 'span' ? '<span class="sep"> · </span>' : '\n');
}

type PublishedLevel = PublicLevelsView['countries'][number];

function badge(level: PublishedLevel): string {
  const colour = COLOUR.test(level.colour) ? level.colour : '#808080';
  return `<span class="badge" style="background:${colour};color:${textColourOn(colour)}">Level ${level.level}</span>`;
}

function entry(heading: string, level: PublishedLevel): string {
  return `<article class="entry">
<h3>${badge(level)} ${heading}</h3>
<p class="names">${localized('span', level.name, 'level-name')}</p>
<p class="since">In force since <time datetime="${escapeHtml(level.effectiveAt)}">${escapeHtml(level.effectiveAt.replace('T', ' ').replace(/\.\d+Z$|Z$/, ' UTC'))}</time></p>
<div class="advisories">
${localized('p', level.advisory, 'advisory')}
</div>
</article>`;
}

/**
 * The public page of current alert levels: server-rendered HTML that needs no script, listing each
 * country and area with its level's colour, name and advisory in every language of the scheme. Every
 * piece of text is escaped; each advisory carries its language's `lang` and `dir`.
 */
export function renderPublicLevelsPage(view: PublicLevelsView): string {
  const countries = view.countries.map((c) =>
    entry(`${escapeHtml(c.countryName)} <span class="code">(${escapeHtml(c.country)})</span>`, c),
  );
  const areas = view.areas.map((a) =>
    entry(
      `${escapeHtml(a.areaName)} <span class="code">— ${escapeHtml(a.countryName)} (${escapeHtml(a.country)})</span>`,
      a,
    ),
  );
  const none = '<p class="none">No alert level is in force.</p>';
  return `<!doctype html>
<html lang="en" dir="ltr">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>Alert levels</title>
<style>
body{font-family:system-ui,sans-serif;margin:0 auto;max-width:60rem;padding:1rem;line-height:1.5;color:#111}
.entry{border:1px solid #ccc;border-radius:.5rem;padding:.5rem 1rem;margin:1rem 0}
.badge{display:inline-block;padding:.1rem .6rem;border-radius:.3rem;font-weight:bold;border:1px solid #333}
.code,.since,.meta{color:#555}
.advisory{margin:.5rem 0}
[dir=rtl]{text-align:right}
</style>
</head>
<body>
<header>
<h1>Current alert levels</h1>
<p class="meta">${escapeHtml(view.scheme.name)} · as of <time datetime="${escapeHtml(view.asOf)}">${escapeHtml(view.asOf)}</time></p>
</header>
<main>
<section>
<h2>Countries</h2>
${countries.length ? countries.join('\n') : none}
</section>
<section>
<h2>Areas</h2>
${areas.length ? areas.join('\n') : none}
</section>
</main>
<footer><p class="meta">Also as data: <a href="/public/levels.json">/public/levels.json</a></p></footer>
</body>
</html>
`;
}
