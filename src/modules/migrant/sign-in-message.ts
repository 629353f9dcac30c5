/**
 * The text of a sign-in code message, in the languages of the migrant app: short, so that it fits in one
 * or two SMS segments even in UCS-2 (Arabic, Amharic).
 */
const TEXTS = {
  en: {
    subject: 'Your Haven sign-in code',
    body: 'Your Haven code is {code}. It expires in {minutes} min. Do not share it.',
  },
  fil: {
    subject: 'Ang iyong sign-in code sa Haven',
    body: 'Ang iyong Haven code ay {code}. Mag-e-expire sa {minutes} min. Huwag ibahagi.',
  },
  ar: {
    subject: 'رمز الدخول إلى Haven',
    body: 'رمز Haven الخاص بك {code}. ينتهي بعد {minutes} دقائق. لا تشاركه.',
  },
  am: {
    subject: 'የHaven መግቢያ ኮድዎ',
    body: 'የHaven ኮድዎ {code} ነው። በ{minutes} ደቂቃ ያበቃል። ለማንም አያጋሩ።',
  },
  es: {
    subject: 'Tu código de acceso a Haven',
    body: 'Tu código de Haven es {code}. Caduca en {minutes} min. No lo compartas.',
  },
  id: {
    subject: 'Kode masuk Haven Anda',
    body: 'Kode Haven Anda {code}. Berlaku {minutes} menit. Jangan bagikan.',
  },
} as const;

export type SignInLanguage = keyof typeof TEXTS;
export const SIGN_IN_LANGUAGES = Object.keys(TEXTS) as SignInLanguage[];

/** The first of the wanted languages (BCP 47 tags, best first) that has a text, by base language; else English. */
export function signInLanguage(wanted: readonly (string | null | undefined)[]): SignInLanguage {
  for (const tag of wanted) {
    const base = tag?.toLowerCase().split(/[-_]/)[0];
    if (base === 'tl') return 'fil';
    if (base === 'in') return 'id';
    if (base && Object.hasOwn(TEXTS, base)) return base as SignInLanguage;
  }
  return 'en';
}

/**
 * The message carrying a code. An SMS ends with the origin-bound line of the WebOTP format
 * (`@host #code`), so a phone's browser can offer to fill the code in.
 */
export function signInMessage(
  language: SignInLanguage,
  code: string,
  minutes: number,
  options: { webOtpHost?: string | null } = {},
): { subject: string; text: string } {
  const t = TEXTS[language];
  const body = t.body.replace('{code}', code).replace('{minutes}', String(minutes));
  const text = options.webOtpHost ? `${body}\n\n@${options.webOtpHost} #${code}` : body;
  return { subject: t.subject, text };
}
