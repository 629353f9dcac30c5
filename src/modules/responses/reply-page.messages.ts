// The words of the reply-link pages, in the languages alerts are most often read in. A language without
// its own entry falls back to English. Each entry is complete: a page never mixes two languages.

export type ReplyPageMessages = {
  title: string;
  intro: string;
  safe: string;
  help: string;
  cancelled: string;
  /** `{answer}` is replaced by the answer's words (safe or help). */
  current: string;
  thanks: string;
  thanksSafe: string;
  thanksHelp: string;
  change: string;
  invalid: string;
  invalidHint: string;
  expired: string;
  expiredHint: string;
  notFound: string;
  answerInvalid: string;
  unavailable: string;
  errorCode: string;
};

const en: ReplyPageMessages = {
  title: 'Are you safe?',
  intro: 'Tell your embassy how you are.',
  safe: 'I am safe',
  help: 'I need help',
  cancelled: 'This alert has been cancelled. You can still tell us how you are.',
  current: 'Your last answer: {answer}. You can change it.',
  thanks: 'Thank you',
  thanksSafe: 'We have recorded that you are safe.',
  thanksHelp:
    'We have recorded that you need help. Your embassy will contact you. If your life is in danger, call the local emergency number now.',
  change: 'Change my answer',
  invalid: 'This reply link is not valid.',
  invalidHint: 'Check that you opened the whole link from the message.',
  expired: 'This reply link has expired.',
  expiredHint: 'Reply to the message by SMS, or contact your embassy.',
  notFound: 'This reply link is no longer valid.',
  answerInvalid: 'Choose one of the two answers.',
  unavailable: 'Your answer could not be saved just now. Please try again in a minute.',
  errorCode: 'Error code',
};

const ar: ReplyPageMessages = {
  title: 'هل أنت بأمان؟',
  intro: 'أخبر سفارتك بحالك.',
  safe: 'أنا بأمان',
  help: 'أحتاج إلى مساعدة',
  cancelled: 'أُلغي هذا التنبيه. لا يزال بإمكانك إخبارنا بحالك.',
  current: 'إجابتك الأخيرة: {answer}. يمكنك تغييرها.',
  thanks: 'شكرًا لك',
  thanksSafe: 'سجّلنا أنك بأمان.',
  thanksHelp:
    'سجّلنا أنك تحتاج إلى مساعدة. ستتواصل معك سفارتك. إذا كانت حياتك في خطر، اتصل برقم الطوارئ المحلي الآن.',
  change: 'تغيير إجابتي',
  invalid: 'رابط الرد هذا غير صالح.',
  invalidHint: 'تحقق من أنك فتحت الرابط كاملًا من الرسالة.',
  expired: 'انتهت صلاحية رابط الرد هذا.',
  expiredHint: 'رُدّ على الرسالة برسالة نصية، أو تواصل مع سفارتك.',
  notFound: 'رابط الرد هذا لم يعد صالحًا.',
  answerInvalid: 'اختر إحدى الإجابتين.',
  unavailable: 'تعذّر حفظ إجابتك الآن. يُرجى المحاولة مرة أخرى بعد دقيقة.',
  errorCode: 'رمز الخطأ',
};

const fil: ReplyPageMessages = {
  title: 'Ligtas ka ba?',
  intro: 'Ipaalam sa inyong embahada ang iyong kalagayan.',
  safe: 'Ligtas ako',
  help: 'Kailangan ko ng tulong',
  cancelled: 'Kinansela na ang alertong ito. Maaari mo pa ring ipaalam sa amin ang iyong kalagayan.',
  current: 'Ang huli mong sagot: {answer}. Maaari mo itong palitan.',
  thanks: 'Salamat',
  thanksSafe: 'Naitala namin na ligtas ka.',
  thanksHelp:
    'Naitala namin na kailangan mo ng tulong. Makikipag-ugnayan sa iyo ang inyong embahada. Kung nasa panganib ang iyong buhay, tumawag agad sa lokal na emergency number.',
  change: 'Palitan ang aking sagot',
  invalid: 'Hindi wasto ang link na ito.',
  invalidHint: 'Tiyaking binuksan mo ang buong link mula sa mensahe.',
  expired: 'Nag-expire na ang link na ito.',
  expiredHint: 'Sumagot sa mensahe sa pamamagitan ng SMS, o makipag-ugnayan sa inyong embahada.',
  notFound: 'Hindi na wasto ang link na ito.',
  answerInvalid: 'Pumili ng isa sa dalawang sagot.',
  unavailable: 'Hindi ma-save ang iyong sagot ngayon. Pakisubukang muli pagkalipas ng isang minuto.',
  errorCode: 'Code ng error',
};

const es: ReplyPageMessages = {
  title: '¿Está a salvo?',
  intro: 'Diga a su embajada cómo está.',
  safe: 'Estoy a salvo',
  help: 'Necesito ayuda',
  cancelled: 'Esta alerta ha sido cancelada. Aún puede decirnos cómo está.',
  current: 'Su última respuesta: {answer}. Puede cambiarla.',
  thanks: 'Gracias',
  thanksSafe: 'Hemos registrado que está a salvo.',
  thanksHelp:
    'Hemos registrado que necesita ayuda. Su embajada se pondrá en contacto con usted. Si su vida corre peligro, llame ahora al número de emergencias local.',
  change: 'Cambiar mi respuesta',
  invalid: 'Este enlace de respuesta no es válido.',
  invalidHint: 'Compruebe que abrió el enlace completo del mensaje.',
  expired: 'Este enlace de respuesta ha caducado.',
  expiredHint: 'Responda al mensaje por SMS o contacte con su embajada.',
  notFound: 'Este enlace de respuesta ya no es válido.',
  answerInvalid: 'Elija una de las dos respuestas.',
  unavailable: 'No se pudo guardar su respuesta en este momento. Inténtelo de nuevo en un minuto.',
  errorCode: 'Código de error',
};

const fr: ReplyPageMessages = {
  title: 'Êtes-vous en sécurité ?',
  intro: 'Dites à votre ambassade comment vous allez.',
  safe: 'Je suis en sécurité',
  help: "J'ai besoin d'aide",
  cancelled: 'Cette alerte a été annulée. Vous pouvez toujours nous dire comment vous allez.',
  current: 'Votre dernière réponse : {answer}. Vous pouvez la modifier.',
  thanks: 'Merci',
  thanksSafe: 'Nous avons noté que vous êtes en sécurité.',
  thanksHelp:
    "Nous avons noté que vous avez besoin d'aide. Votre ambassade va vous contacter. Si votre vie est en danger, appelez maintenant le numéro d'urgence local.",
  change: 'Modifier ma réponse',
  invalid: "Ce lien de réponse n'est pas valide.",
  invalidHint: 'Vérifiez que vous avez ouvert le lien complet du message.',
  expired: 'Ce lien de réponse a expiré.',
  expiredHint: 'Répondez au message par SMS ou contactez votre ambassade.',
  notFound: "Ce lien de réponse n'est plus valide.",
  answerInvalid: "Choisissez l'une des deux réponses.",
  unavailable: "Votre réponse n'a pas pu être enregistrée pour le moment. Réessayez dans une minute.",
  errorCode: "Code d'erreur",
};

const id: ReplyPageMessages = {
  title: 'Apakah Anda aman?',
  intro: 'Beri tahu kedutaan Anda bagaimana keadaan Anda.',
  safe: 'Saya aman',
  help: 'Saya butuh bantuan',
  cancelled: 'Peringatan ini telah dibatalkan. Anda tetap dapat memberi tahu kami keadaan Anda.',
  current: 'Jawaban terakhir Anda: {answer}. Anda dapat mengubahnya.',
  thanks: 'Terima kasih',
  thanksSafe: 'Kami telah mencatat bahwa Anda aman.',
  thanksHelp:
    'Kami telah mencatat bahwa Anda butuh bantuan. Kedutaan Anda akan menghubungi Anda. Jika nyawa Anda dalam bahaya, segera hubungi nomor darurat setempat.',
  change: 'Ubah jawaban saya',
  invalid: 'Tautan balasan ini tidak valid.',
  invalidHint: 'Pastikan Anda membuka seluruh tautan dari pesan.',
  expired: 'Tautan balasan ini sudah kedaluwarsa.',
  expiredHint: 'Balas pesan melalui SMS, atau hubungi kedutaan Anda.',
  notFound: 'Tautan balasan ini sudah tidak berlaku.',
  answerInvalid: 'Pilih salah satu dari dua jawaban.',
  unavailable: 'Jawaban Anda belum dapat disimpan saat ini. Silakan coba lagi dalam satu menit.',
  errorCode: 'Kode galat',
};

export const REPLY_PAGE_MESSAGES = { en, ar, fil, es, fr, id } as const;
export type ReplyPageLanguage = keyof typeof REPLY_PAGE_MESSAGES;

/** Languages written right to left. */
export const RTL_LANGUAGES: ReadonlySet<ReplyPageLanguage> = new Set(['ar']);

// Tagalog is the base of Filipino: a person registered as `tl` reads the Filipino page.
const ALIASES: Record<string, ReplyPageLanguage> = { tl: 'fil' };

/** The page language for a BCP 47 tag: the tag, its base language, an alias, or English. */
export function replyPageLanguage(tag: string | null | undefined): ReplyPageLanguage {
  if (!tag) return 'en';
  const base = tag.toLowerCase().split(/[-_]/)[0] ?? '';
  if (base in REPLY_PAGE_MESSAGES) return base as ReplyPageLanguage;
  return ALIASES[base] ?? 'en';
}
