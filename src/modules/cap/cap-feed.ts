/** One alert in the public feed. */
export type FeedEntry = {
  /** An IRI: the alert's CAP identifier (a URN). */
  id: string;
  title: string;
  /** RFC 3339. */
  updated: string;
  /** The public CAP document of the alert. */
  link: string;
  summary: string;
  categories: string[];
};

export type AtomFeed = {
  id: string;
  title: string;
  /** The feed's own address. */
  self: string;
  author: string;
  /** RFC 3339: the newest entry's time, or the time of writing for an empty feed. */
  updated: string;
  entries: FeedEntry[];
};

/** Drops the characters XML 1.0 cannot carry at all (controls, lone surrogates, U+FFFE/U+FFFF). */
function dropIllegal(text: string): string {
  let out = '';
  for (const ch of text) {
    const c = ch.codePointAt(0) ?? 0;
    const legal =
      c === 0x9 ||
      c === 0xa ||
      c === 0xd ||
      (c >= 0x20 && c <= 0xd7ff) ||
      (c >= 0xe000 && c <= 0xfffd) ||
      c >= 0x10000;
    if (legal) out += ch;
  }
  return out;
}

/** Escapes text for an XML element or a double- or single-quoted attribute. */
export function escapeXml(text: string): string {
  return dropIllegal(text).replace(/[&<>"']/g, (c) =>
    c === '&' ? '&amp;' : c === '<' ? '&lt;' : c === '>' ? '&gt;' : c === '"' ? '&quot;' : '&apos;',
  );
}

/** Writes an Atom 1.0 (RFC 4287) feed; every text and attribute is escaped. */
export function renderAtomFeed(feed: AtomFeed): string {
  const e = escapeXml;
  const entries = feed.entries.map((entry) =>
    [
      '  <entry>',
      `    <id>${e(entry.id)}</id>`,
      `    <title type="text">${e(entry.title)}</title>`,
      `    <updated>${e(entry.updated)}</updated>`,
      `    <link rel="alternate" type="application/cap+xml" href="${e(entry.link)}"/>`,
      ...entry.categories.map((term) => `    <category term="${e(term)}"/>`),
      `    <summary type="text">${e(entry.summary)}</summary>`,
      '  </entry>',
    ].join('\n'),
  );
  return [
    '<?xml version="1.0" encoding="UTF-8"?>',
    '<feed xmlns="http://www.w3.org/2005/Atom">',
    `  <id>${e(feed.id)}</id>`,
    `  <title type="text">${e(feed.title)}</title>`,
    `  <updated>${e(feed.updated)}</updated>`,
    `  <link rel="self" type="application/atom+xml" href="${e(feed.self)}"/>`,
    `  <author><name>${e(feed.author)}</name></author>`,
    ...entries,
    '</feed>',
    '',
  ].join('\n');
}
