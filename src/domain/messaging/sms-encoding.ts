/** The two alphabets an SMS can be sent in. */
export type SmsEncoding = 'GSM-7' | 'UCS-2';

/**
 * How a text goes over SMS: its alphabet, its length in that alphabet's units (septets for GSM-7,
 * UTF-16 code units for UCS-2), how many segments it takes and how many units fit in each of them.
 */
export type SmsEncodingInfo = {
  encoding: SmsEncoding;
  units: number;
  segments: number;
  perSegment: number;
};

/** Result of checking a text against a deployment's limit on segments per message. */
export type SmsLengthCheck =
  | { ok: true; sms: SmsEncodingInfo }
  | { ok: false; code: 'sms.too_long'; sms: SmsEncodingInfo; maxSegments: number };

/** Units in a message that fits in one segment, and per segment once a user-data header is needed. */
export const SMS_SEGMENT_UNITS = {
  'GSM-7': { single: 160, concatenated: 153 },
  'UCS-2': { single: 70, concatenated: 67 },
} as const satisfies Record<SmsEncoding, { single: number; concatenated: number }>;

/** Concatenated SMS reference numbers are one byte, so no message can have more segments than this. */
export const MAX_SMS_SEGMENTS = 255;

// GSM 03.38 default alphabet in code order (3GPP TS 23.038 §6.2.1); position 0x1B is the escape to the
// extension table, so it stands for no character of its own and is left out of the set.
const GSM7_BASIC_TABLE =
  '@£$¥èéùìòÇ\nØø\rÅåΔ_ΦΓΛΩΠΨΣΘΞ\u001bÆæßÉ !"#¤%&\'()*+,-./0123456789:;<=>?' +
  '¡ABCDEFGHIJKLMNOPQRSTUVWXYZÄÖÑÜ§¿abcdefghijklmnopqrstuvwxyzäöñüà';
// Characters of the default extension table, each sent as the escape plus one septet.
const GSM7_EXTENSION_TABLE = '\f^{}\\[~]|€';

const GSM7_BASIC = new Set([...GSM7_BASIC_TABLE].filter((c) => c !== '\u001b'));
const GSM7_EXTENSION = new Set(GSM7_EXTENSION_TABLE);

/** Septets a character takes in GSM-7: 1 in the basic set, 2 in the extension table, 0 if not encodable. */
function gsm7Septets(char: string): 0 | 1 | 2 {
  if (GSM7_BASIC.has(char)) return 1;
  if (GSM7_EXTENSION.has(char)) return 2;
  return 0;
}

/** True when every character of the text is in the GSM 03.38 basic set or its extension table. */
export function isGsm7Text(text: string): boolean {
  for (const char of text) {
    if (gsm7Septets(char) === 0) return false;
  }
  return true;
}

// Walks the text by code point and calls `cut` at each index where a new concatenated segment starts.
// A character's units never straddle two segments: an escape pair or a surrogate pair moves whole.
function walkSegments(
  text: string,
  encoding: SmsEncoding,
  cut: ((index: number) => void) | undefined,
): { units: number; segments: number } {
  const limit = SMS_SEGMENT_UNITS[encoding].concatenated;
  let units = 0;
  let used = 0;
  let segments = 1;
  let index = 0;
  for (const char of text) {
    const cost = encoding === 'GSM-7' ? gsm7Septets(char) : char.length;
    if (used + cost > limit) {
      segments += 1;
      used = 0;
      cut?.(index);
    }
    used += cost;
    units += cost;
    index += char.length;
  }
  return { units, segments };
}

function countUnits(text: string, encoding: SmsEncoding): number {
  if (encoding === 'UCS-2') return text.length;
  let units = 0;
  for (const char of text) units += gsm7Septets(char);
  return units;
}

/**
 * Chooses the alphabet for a text and counts its segments. GSM-7 when every character is in the
 * GSM 03.38 basic set or extension table (extension characters count two septets), UCS-2 otherwise,
 * counted in UTF-16 code units. An empty text still takes one segment.
 */
export function encodeSms(text: string): SmsEncodingInfo {
  const encoding: SmsEncoding = isGsm7Text(text) ? 'GSM-7' : 'UCS-2';
  const { single, concatenated } = SMS_SEGMENT_UNITS[encoding];
  const units = countUnits(text, encoding);
  if (units <= single) return { encoding, units, segments: 1, perSegment: single };
  const { segments } = walkSegments(text, encoding, undefined);
  return { encoding, units, segments, perSegment: concatenated };
}

/**
 * Splits a text into the segment strings it is sent as; joined, they give back the text. An escape
 * sequence (GSM-7) or a surrogate pair (UCS-2) is never split across two segments.
 */
export function splitSms(text: string): string[] {
  const { encoding } = encodeSms(text);
  if (countUnits(text, encoding) <= SMS_SEGMENT_UNITS[encoding].single) return [text];
  const starts = [0];
  walkSegments(text, encoding, (index) => starts.push(index));
  return starts.map((start, i) => text.slice(start, starts[i + 1]));
}

/**
 * Checks a text against the deployment's limit on segments per message, answering `sms.too_long`
 * when it needs more. The limit must be an integer from 1 to 255.
 */
export function checkSmsLength(text: string, maxSegments: number): SmsLengthCheck {
  if (!Number.isInteger(maxSegments) || maxSegments < 1 || maxSegments > MAX_SMS_SEGMENTS) {
    throw new RangeError(`maxSegments must be an integer from 1 to ${MAX_SMS_SEGMENTS}`);
  }
  const sms = encodeSms(text);
  return sms.segments <= maxSegments
    ? { ok: true, sms }
    : { ok: false, code: 'sms.too_long', sms, maxSegments };
}
