import { AppError } from '../../errors.ts';

/** The largest photo a help request may carry, decoded. Phones send 1–4 MB; the apps scale down first. */
export const MAX_PHOTO_BYTES = 2 * 1024 * 1024;

export const PHOTO_TYPES = ['image/jpeg', 'image/png', 'image/webp'] as const;
export type PhotoType = (typeof PHOTO_TYPES)[number];

/** A photo as it arrives: what the sender says it is, and the bytes. */
export type PhotoUpload = { contentType: string; bytes: Uint8Array };

const startsWith = (bytes: Uint8Array, offset: number, sig: readonly number[]) =>
  bytes.length >= offset + sig.length && sig.every((b, i) => bytes[offset + i] === b);

/** What the bytes are, by their magic numbers, whatever the sender claimed. */
export function sniffPhotoType(bytes: Uint8Array): PhotoType | null {
  if (startsWith(bytes, 0, [0xff, 0xd8, 0xff])) return 'image/jpeg';
  if (startsWith(bytes, 0, [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a])) return 'image/png';
  // RIFF....WEBP
  if (startsWith(bytes, 0, [0x52, 0x49, 0x46, 0x46]) && startsWith(bytes, 8, [0x57, 0x45, 0x42, 0x50]))
    return 'image/webp';
  return null;
}

/**
 * Checks a photo before it is stored: an allowed type, bytes that really are that type (a renamed file
 * or a script is refused), and a size within the limit.
 */
export function checkPhoto(photo: PhotoUpload): PhotoType {
  const claimed = photo.contentType.trim().toLowerCase();
  if (!(PHOTO_TYPES as readonly string[]).includes(claimed)) {
    throw new AppError('help_request.photo_type', `A photo must be one of ${PHOTO_TYPES.join(', ')}`, 415);
  }
  if (photo.bytes.length === 0) throw new AppError('help_request.photo_empty', 'The photo is empty', 422);
  if (photo.bytes.length > MAX_PHOTO_BYTES) {
    throw new AppError(
      'help_request.photo_too_large',
      `A photo may be at most ${MAX_PHOTO_BYTES} bytes`,
      413,
      { maxBytes: MAX_PHOTO_BYTES },
    );
  }
  const actual = sniffPhotoType(photo.bytes);
  if (actual !== claimed) {
    throw new AppError('help_request.photo_mismatch', 'The photo’s content is not the type it claims', 415);
  }
  return actual;
}

/** Decodes a base64 photo from a JSON body; refuses text that is not base64 at all. */
export function decodeBase64Photo(data: string): Uint8Array {
  const compact = data.replace(/\s+/g, '');
  if (!/^[A-Za-z0-9+/]*={0,2}$/.test(compact) || compact.length % 4 !== 0) {
    throw new AppError('help_request.photo_encoding', 'photo.data must be base64', 422);
  }
  return Buffer.from(compact, 'base64');
}
