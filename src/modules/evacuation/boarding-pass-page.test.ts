import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { checkSmsLength } from '../../domain/messaging/sms-encoding.ts';
import { PASS_LANGUAGES, PASS_MESSAGES, passLanguageOf } from './boarding-pass-messages.ts';
import { type PassFacts, passEmailHtml, passMessage, passUrl, renderPassPage } from './boarding-pass-page.ts';
import { acceptedLanguages, directionOf, pickPageLanguage } from './page-language.ts';

const TOKEN = `HB1.${'A'.repeat(71)}.${'B'.repeat(22)}`;
const facts: PassFacts = {
  crisis: 'Flooding <Riyadh>',
  mode: 'bus',
  destination: 'Jeddah port',
  departsAt: '2031-03-12T14:00:00.000Z',
  assemblyPoint: 'King Fahd Stadium gate 3',
  gatherAt: '2031-03-12T12:30:00.000Z',
  expiresAt: '2031-03-13T14:00:00.000Z',
  token: TOKEN,
  qrSvg: '<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 25 25"><path d="M0 0h25v25H0z"/></svg>',
};
const URL_BASE = 'https://haven.embassy.example.org';

describe('boarding pass message', () => {
  test('fits a 4-segment SMS in English and Arabic, with leg, point, time and link', () => {
    for (const lang of PASS_LANGUAGES) {
      const url = passUrl(URL_BASE, TOKEN, lang);
      const { subject, text } = passMessage(lang, facts, url, 4);
      assert.ok(checkSmsLength(text, 4).ok, `${lang}: ${text}`);
      assert.ok(text.includes(url));
      assert.ok(text.includes('King Fahd Stadium gate 3'), 'the assembly point');
      assert.ok(text.includes(' 12:30 UTC'), 'when to be there');
      assert.ok(text.includes('2031-03-12 14:00 UTC'), 'when it leaves');
      assert.ok(subject.includes('Jeddah port'));
    }
    assert.match(passMessage('ar', facts, passUrl(URL_BASE, TOKEN, 'ar'), 4).text, /^بطاقة صعود: حافلة إلى/);
    assert.equal(passUrl(URL_BASE, TOKEN, 'ar'), `${URL_BASE}/pass/${TOKEN}?lang=ar`);
  });

  test('falls back to the leg and the link when names are too long for the SMS limit', () => {
    const long = { ...facts, assemblyPoint: 'Community hall of the '.repeat(8), destination: 'Port' };
    const url = passUrl(URL_BASE, TOKEN, 'ar');
    const { text } = passMessage('ar', long, url, 4);
    assert.equal(text, `بطاقة صعودك (حافلة إلى Port): ${url}`);
    assert.ok(checkSmsLength(text, 4).ok);
  });

  test('the e-mail carries the QR code inline, the link and the facts, all escaped', () => {
    const html = passEmailHtml('en', facts, passUrl(URL_BASE, TOKEN, 'en'));
    assert.match(html, /<svg role="img" aria-label="QR code of the boarding pass"/);
    assert.ok(html.includes(`href="${URL_BASE}/pass/${TOKEN}?lang=en"`));
    assert.ok(html.includes('Flooding &lt;Riyadh&gt;'));
    assert.doesNotMatch(html, /<script/i);
  });

  test('a person reads the pass in the first of their languages offered, else English', () => {
    assert.equal(passLanguageOf(['fil', 'ar-SA', 'en']), 'ar');
    assert.equal(passLanguageOf(['en-PH']), 'en');
    assert.equal(passLanguageOf(['am']), 'en');
    assert.equal(passLanguageOf([]), 'en');
  });
});

describe('boarding pass page', () => {
  test('shows the QR code and the facts, right to left in Arabic, with no script', () => {
    const html = renderPassPage('ar', { kind: 'valid', facts });
    assert.match(html, /<html lang="ar" dir="rtl">/);
    assert.ok(html.includes(PASS_MESSAGES.ar['page.title']));
    assert.match(html, /<svg role="img"/);
    assert.ok(html.includes(`<code dir="ltr">${TOKEN}</code>`));
    assert.ok(html.includes('<span dir="ltr">2031-03-12 12:30 UTC</span>'));
    assert.doesNotMatch(html, /<script/i);
  });

  test('says why there is no pass, without showing a code', () => {
    for (const kind of ['invalid', 'expired', 'replaced', 'cancelled', 'closed'] as const) {
      const html = renderPassPage('en', { kind });
      assert.ok(html.includes(PASS_MESSAGES.en[`page.${kind}`]), kind);
      assert.doesNotMatch(html, /<svg/);
    }
    const aboard = renderPassPage('en', { kind: 'boarded', facts });
    assert.ok(aboard.includes(PASS_MESSAGES.en['page.boarded']));
    assert.doesNotMatch(aboard, /<svg/, 'no code to scan again once aboard');
  });

  test('every language has every message with the same placeholders', () => {
    const placeholders = (text: string) => [...text.matchAll(/\{(\w+)\}/g)].map((m) => m[1]).sort();
    for (const lang of PASS_LANGUAGES)
      for (const [key, text] of Object.entries(PASS_MESSAGES.en))
        assert.deepEqual(
          placeholders(PASS_MESSAGES[lang][key as keyof typeof PASS_MESSAGES.en]),
          placeholders(text),
          `${lang} ${key}`,
        );
  });
});

describe('page language', () => {
  test('an explicit choice, then Accept-Language by weight, then the default', () => {
    const offered = ['en', 'ar'] as const;
    assert.deepEqual(acceptedLanguages('fr;q=0.2, ar-EG;q=0.9, *, en;q=0'), ['ar-EG', 'fr']);
    assert.equal(pickPageLanguage(offered, undefined, 'fr, ar;q=0.5'), 'ar');
    assert.equal(pickPageLanguage(offered, 'EN', 'ar'), 'en');
    assert.equal(pickPageLanguage(offered, 'tl', 'tl, fil'), 'en');
    assert.equal(pickPageLanguage(offered, undefined, undefined), 'en');
    assert.equal(directionOf('ar-AE'), 'rtl');
    assert.equal(directionOf('en'), 'ltr');
  });
});
