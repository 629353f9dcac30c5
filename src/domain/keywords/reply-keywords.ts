/**
 * The words people answer an alert with, one entry per language. Entries are data: a deployment adds a
 * language or a dialect's words with `mergeReplyKeywords` and builds its parser with `createReplyParser`.
 * Words are written as people spell them; the parser folds case, accents, Arabic vowel marks and letter
 * variants itself, so "آمن" also covers "امن" and "en sécurité" covers "EN SECURITE".
 */
export type ReplyKeywordSet = {
  /** BCP 47 tag of the language; 'und' for words shared by every language, such as OK and SOS. */
  language: string;
  /** Words or phrases saying the person is safe. */
  safe?: readonly string[];
  /** Words or phrases asking for help. A negated help word still asks for help ("no help has come"). */
  help?: readonly string[];
  /** Distress calls, read as SOS. */
  sos?: readonly string[];
  /** Opt-out words, honoured only when they are the whole reply, as SMS carriers do. */
  stop?: readonly string[];
  /** Single words that, placed before a safe word, make it a call for help ("NOT safe", "HINDI ligtas"). */
  negationsBefore?: readonly string[];
  /** Single words that negate a safe word they follow, in languages that negate after ("নিরাপদ নই"). */
  negationsAfter?: readonly string[];
  /**
   * Single words (pronouns, particles, adverbs) that may stand between a negation and a safe word without
   * breaking the negation ("no ESTOY a salvo", "hindi PO KAMI ligtas"). They also tell a reply's language.
   */
  fillers?: readonly string[];
};

/** Languages Haven reads replies in out of the box. */
// biome-ignore format: word lists read better packed than one word per line
export const DEFAULT_REPLY_KEYWORDS: readonly ReplyKeywordSet[] = [
  {
    language: 'und',
    safe: ['ok', 'okay', 'okey', 'oke', 'okie', 'okk'],
    sos: ['sos', 'mayday', '🆘'],
  },
  {
    language: 'en',
    safe: ['safe', 'fine', 'alright', 'all right', 'all good', 'unharmed', 'secure'],
    help: ['help', 'helpme', 'need help', 'emergency', 'rescue', 'unsafe', 'trapped'],
    stop: ['stop', 'stopall', 'unsubscribe', 'cancel', 'end', 'quit', 'opt out', 'optout'],
    negationsBefore: [
      'not', 'no', 'never', 'nor', 'cannot', 'nobody', 'noone', 'none', 'neither', 'hardly', 'isnt', 'arent',
      'aint', 'wasnt', 'werent', 'dont', 'doesnt', 'didnt', 'cant', 'wont', 'havent',
    ],
    fillers: [
      'i', 'im', 'am', 'we', 'are', 'is', 'was', 'were', 'be', 'been', 'being', 'feel', 'feeling', 'still',
      'yet', 'very', 'really', 'quite', 'so', 'too', 'totally', 'completely', 'entirely', 'fully', 'all',
      'longer', 'one', 'at', 'here', 'now', 'us', 'everyone', 'everybody', 'family', 'my', 'our', 'the', 'm',
      're', 's', 've', 'thank', 'thanks', 'you',
    ],
  },
  {
    language: 'fil',
    safe: ['ligtas', 'ayos', 'ayos lang', 'ok lang', 'okay lang', 'okey lang', 'maayos', 'maayos lang'],
    help: ['tulong', 'tulungan', 'tulungan niyo kami', 'saklolo', 'sagipin', 'kailangan ng tulong'],
    stop: ['tigil', 'itigil', 'hinto', 'ihinto'],
    negationsBefore: ['hindi', 'di', 'hinde', 'indi', 'wala', 'walang'],
    fillers: [
      'po', 'ho', 'pa', 'na', 'kami', 'kaming', 'ako', 'akong', 'tayo', 'tayong', 'sila', 'siya', 'lahat',
      'naman', 'talaga', 'ang', 'mga', 'dito', 'pamilya', 'ngayon', 'rin', 'din', 'masyadong', 'salamat',
    ],
  },
  {
    language: 'ar',
    safe: [
      'آمن', 'آمنة', 'آمنين', 'آمنون', 'أمان', 'بأمان', 'في أمان', 'بخير', 'سالم', 'سالمة', 'سالمين', 'تمام',
      'كويس', 'منيح', 'أوكي',
    ],
    help: [
      'مساعدة', 'ساعدني', 'ساعدوني', 'ساعدونا', 'النجدة', 'نجدة', 'أنقذوني', 'أنقذونا', 'الحقوني', 'أغيثوني',
      'طوارئ',
    ],
    stop: ['توقف', 'أوقف', 'إيقاف', 'إلغاء', 'إلغاء الاشتراك'],
    negationsBefore: [
      'غير', 'لست', 'لسنا', 'ليس', 'ليست', 'ليسوا', 'مش', 'مو', 'موش', 'مب', 'ما', 'لا', 'مافي', 'مافيش',
    ],
    fillers: [
      'أنا', 'نحن', 'إحنا', 'نحنا', 'كلنا', 'جميعا', 'الحمد', 'لله', 'والحمد', 'الحمدلله',
      'الآن', 'حاليا', 'هنا', 'جدا', 'تماما', 'عائلتي', 'بعد', 'شكرا',
    ],
  },
  {
    language: 'am',
    safe: ['ደህና', 'ደህና ነኝ', 'ደህና ነን', 'ሰላም ነኝ', 'ሰላም ነን'],
    help: ['እርዳታ', 'ርዳታ', 'እርዱኝ', 'እርዱን', 'እርዳኝ', 'እርዱ', 'ድረሱልኝ', 'ድረሱልን', 'አድኑኝ', 'አድኑን'],
    stop: ['አቁም', 'አቁሙ'],
    negationsAfter: ['አይደለሁም', 'አይደለንም', 'አይደለም', 'አይደለችም', 'አይደሉም', 'አይደለህም', 'አይደለሽም'],
    fillers: ['እኔ', 'እኛ', 'አሁን', 'በጣም', 'ሁላችንም', 'አመሰግናለሁ'],
  },
  {
    language: 'es',
    safe: [
      'a salvo', 'seguro', 'segura', 'seguros', 'seguras', 'estoy bien', 'estamos bien', 'todo bien',
      'todos bien', 'sano y salvo', 'sana y salva', 'sanos y salvos', 'sanas y salvas',
    ],
    help: [
      'ayuda', 'auxilio', 'socorro', 'ayúdame', 'ayúdenme', 'ayúdennos', 'necesito ayuda', 'inseguro',
      'insegura', 'inseguros', 'inseguras', 'emergencia', 'rescate',
    ],
    stop: ['alto', 'baja', 'parar', 'cancelar', 'detener'],
    negationsBefore: ['no', 'nunca', 'ni', 'tampoco', 'nadie', 'ninguno', 'ninguna'],
    fillers: [
      'estoy', 'estamos', 'está', 'están', 'yo', 'nosotros', 'nosotras', 'todavía', 'aún', 'muy', 'del',
      'todo', 'todos', 'aquí', 'ahora', 'me', 'siento', 'nos', 'sentimos', 'somos', 'soy', 'es', 'mi',
      'familia', 'completamente', 'ya', 'gracias',
    ],
  },
  {
    language: 'fr',
    safe: [
      'en sécurité', 'en sûreté', 'sain et sauf', 'saine et sauve', 'sains et saufs', 'saines et sauves',
      'ça va', 'je vais bien', 'nous allons bien', 'on va bien',
    ],
    help: ['aide', 'au secours', 'secours', 'aidez moi', 'aidez nous', 'urgence', 'sauvez nous'],
    stop: ['arrêt', 'arrêter', 'désabonner', 'désinscrire', 'fin'],
    negationsBefore: ['pas', 'ne', 'n', 'non', 'jamais', 'personne', 'aucun', 'aucune'],
    // "ça va pas": colloquial French drops "ne" and puts "pas" after the verb.
    negationsAfter: ['pas'],
    fillers: [
      'je', 'j', 'suis', 'nous', 'sommes', 'on', 'est', 'me', 'sens', 'sentons', 'toujours', 'encore', 'très',
      'vraiment', 'plus', 'tous', 'toutes', 'ici', 'maintenant', 'du', 'tout', 'complètement', 'ma',
      'famille', 'merci',
    ],
  },
  {
    language: 'id',
    safe: ['aman', 'baik baik saja', 'baik2 saja', 'baik saja'],
    help: ['tolong', 'tolong kami', 'minta tolong', 'bantuan', 'bantu', 'darurat'],
    stop: ['berhenti', 'henti'],
    negationsBefore: [
      'tidak', 'tak', 'tdk', 'gak', 'ga', 'nggak', 'ngga', 'enggak', 'engga', 'bukan', 'belum', 'blm',
      'kurang',
    ],
    fillers: [
      'saya', 'aku', 'kami', 'kita', 'masih', 'sudah', 'sdh', 'udah', 'sangat', 'dalam', 'keadaan', 'kondisi',
      'semua', 'sekarang', 'merasa', 'terlalu', 'begitu', 'benar', 'terima', 'kasih',
    ],
  },
  {
    language: 'bn',
    safe: ['নিরাপদ', 'নিরাপদে', 'নিরাপদ আছি', 'নিরাপদে আছি', 'ভালো আছি', 'ভাল আছি', 'ভালো আছে', 'ঠিক আছি'],
    help: ['সাহায্য', 'সাহায্য চাই', 'বাঁচাও', 'বাঁচান', 'উদ্ধার', 'অনিরাপদ'],
    stop: ['বন্ধ', 'বন্ধ করুন'],
    negationsAfter: ['নই', 'না', 'নেই', 'নয়', 'নাই'],
    fillers: ['আমি', 'আমরা', 'এখনও', 'এখন', 'খুব', 'সবাই', 'এখানে', 'আছি', 'আছে', 'ধন্যবাদ'],
  },
  {
    language: 'ne',
    safe: [
      'सुरक्षित', 'सुरक्षित छु', 'सुरक्षित छौं', 'ठिक', 'ठीक', 'ठिक छु', 'ठीक छु', 'ठिक छौं', 'ठीक छौं', 'सकुशल',
    ],
    help: ['मद्दत', 'मदत', 'सहायता', 'सहयोग', 'बचाउनुहोस्', 'गुहार', 'उद्धार', 'असुरक्षित'],
    stop: ['बन्द', 'रोक्नुहोस्'],
    negationsAfter: ['छैन', 'छैनौं', 'छैनौँ', 'छैनौ', 'छैनन्', 'होइन', 'नहीं'],
    fillers: ['म', 'हामी', 'अहिले', 'धेरै', 'सबै', 'यहाँ', 'पनि', 'धन्यवाद'],
  },
];

/**
 * Adds a deployment's words to a keyword table: an entry for a language already present extends it, an
 * entry for a new language is appended. Neither input is changed.
 */
export function mergeReplyKeywords(
  base: readonly ReplyKeywordSet[],
  additions: readonly ReplyKeywordSet[],
): ReplyKeywordSet[] {
  const merged = base.map((entry) => ({ ...entry }));
  for (const addition of additions) {
    const key = addition.language.toLowerCase();
    const existing = merged.find((entry) => entry.language.toLowerCase() === key);
    if (!existing) {
      merged.push({ ...addition });
      continue;
    }
    for (const field of LIST_FIELDS) {
      const extra = addition[field];
      if (extra) existing[field] = [...(existing[field] ?? []), ...extra];
    }
  }
  return merged;
}

const LIST_FIELDS = [
  'safe',
  'help',
  'sos',
  'stop',
  'negationsBefore',
  'negationsAfter',
  'fillers',
] as const satisfies readonly (keyof ReplyKeywordSet)[];
