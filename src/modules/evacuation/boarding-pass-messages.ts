// The words of a boarding pass: the message that carries it (short enough for an SMS) and the page
// its link opens, per language. A person gets the first of their languages offered here, else English.

export const PASS_LANGUAGES = ['en', 'ar'] as const;
export type PassLanguage = (typeof PASS_LANGUAGES)[number];

const en = {
  'message.subject': 'Your boarding pass: {mode} to {destination}',
  'message.text':
    'Boarding pass: {mode} to {destination}, departs {departs}. Be at {point} by {gather}. Show the QR code at the door: {url}',
  'message.short': 'Your boarding pass ({mode} to {destination}): {url}',
  'message.htmlIntro': 'Your boarding pass for the evacuation ({crisis}).',
  'message.htmlLink': 'Open the pass on your phone',
  'page.title': 'Boarding pass',
  'page.leg': 'Travel',
  'page.legValue': '{mode} to {destination}',
  'page.departs': 'Departs',
  'page.point': 'Assembly point',
  'page.gather': 'Be there by',
  'page.validUntil': 'Valid until',
  'page.show':
    'Show this code at the door. If the camera cannot read it, the officer types the code below it.',
  'page.qr': 'QR code of the boarding pass',
  'page.boarded': 'You have boarded. Have a safe journey.',
  'page.help': 'Contact the embassy if you need help.',
  'page.invalid': 'This is not a valid boarding pass.',
  'page.expired': 'This boarding pass has expired.',
  'page.replaced': 'This pass has been replaced: your place has changed. Use the latest pass we sent you.',
  'page.cancelled': 'This departure is cancelled. We will send you a new pass.',
  'page.closed': 'Boarding of this departure is closed.',
  'mode.bus': 'Bus',
  'mode.flight': 'Flight',
  'mode.ship': 'Ship',
  'mode.train': 'Train',
} as const;

export type PassMessageKey = keyof typeof en;
export type PassMessages = Record<PassMessageKey, string>;

const ar: PassMessages = {
  'message.subject': 'بطاقة صعودك: {mode} إلى {destination}',
  'message.text':
    'بطاقة صعود: {mode} إلى {destination}، المغادرة {departs}. كن في {point} قبل {gather}. البطاقة: {url}',
  'message.short': 'بطاقة صعودك ({mode} إلى {destination}): {url}',
  'message.htmlIntro': 'بطاقة صعودك لعملية الإجلاء ({crisis}).',
  'message.htmlLink': 'افتح البطاقة على هاتفك',
  'page.title': 'بطاقة الصعود',
  'page.leg': 'الرحلة',
  'page.legValue': '{mode} إلى {destination}',
  'page.departs': 'المغادرة',
  'page.point': 'نقطة التجمع',
  'page.gather': 'كن هناك قبل',
  'page.validUntil': 'صالحة حتى',
  'page.show': 'أظهر هذا الرمز عند الباب. إذا تعذّر على الكاميرا قراءته، يكتب الموظف الرمز المطبوع تحته.',
  'page.qr': 'رمز QR لبطاقة الصعود',
  'page.boarded': 'لقد صعدت. نتمنى لك رحلة آمنة.',
  'page.help': 'اتصل بالسفارة إذا احتجت إلى مساعدة.',
  'page.invalid': 'هذه ليست بطاقة صعود صالحة.',
  'page.expired': 'انتهت صلاحية بطاقة الصعود هذه.',
  'page.replaced': 'استُبدلت هذه البطاقة لأن مكانك تغيّر. استخدم أحدث بطاقة أرسلناها إليك.',
  'page.cancelled': 'أُلغيت هذه الرحلة. سنرسل إليك بطاقة جديدة.',
  'page.closed': 'أُغلق الصعود إلى هذه الرحلة.',
  'mode.bus': 'حافلة',
  'mode.flight': 'طائرة',
  'mode.ship': 'سفينة',
  'mode.train': 'قطار',
};

export const PASS_MESSAGES: Record<PassLanguage, PassMessages> = { en, ar };

/** The first of a person's languages (BCP 47, best first) that passes are written in; else English. */
export function passLanguageOf(languages: readonly string[]): PassLanguage {
  for (const tag of languages) {
    const primary = tag.split('-')[0]!.toLowerCase();
    const found = PASS_LANGUAGES.find((l) => l === primary);
    if (found) return found;
  }
  return 'en';
}

/** The name of a transport mode in the language, or the code itself for one it does not know. */
export const modeName = (lang: PassLanguage, mode: string): string =>
  PASS_MESSAGES[lang][`mode.${mode}` as PassMessageKey] ?? mode;
