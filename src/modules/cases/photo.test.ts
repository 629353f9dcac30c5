import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { AppError } from '../../errors.ts';
import { checkPhoto, decodeBase64Photo, MAX_PHOTO_BYTES, sniffPhotoType } from './photo.ts';

const jpeg = Uint8Array.from([0xff, 0xd8, 0xff, 0xe0, 0, 0x10]);
const png = Uint8Array.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0, 0]);
const webp = Uint8Array.from(Buffer.from('RIFF\x24\x00\x00\x00WEBPVP8 ', 'latin1'));
const code = (fn: () => unknown) => {
  try {
    fn();
    return null;
  } catch (e) {
    return e instanceof AppError ? `${e.status} ${e.code}` : String(e);
  }
};

describe('photos', () => {
  test('knows JPEG, PNG and WebP by their bytes, and nothing else', () => {
    assert.equal(sniffPhotoType(jpeg), 'image/jpeg');
    assert.equal(sniffPhotoType(png), 'image/png');
    assert.equal(sniffPhotoType(webp), 'image/webp');
    assert.equal(sniffPhotoType(Buffer.from('GIF89a')), null);
    assert.equal(sniffPhotoType(Buffer.from('<svg onload=alert(1)>')), null);
    assert.equal(sniffPhotoType(Buffer.from('RIFF\x24\x00\x00\x00WAVE', 'latin1')), null);
  });

  test('accepts a photo that is what it claims, within the limit', () => {
    assert.equal(checkPhoto({ contentType: 'IMAGE/PNG ', bytes: png }), 'image/png');
    assert.equal(checkPhoto({ contentType: 'image/webp', bytes: webp }), 'image/webp');
  });

  test('refuses, with codes, another type, a disguise, an empty or an oversized photo', () => {
    assert.equal(
      code(() => checkPhoto({ contentType: 'image/gif', bytes: png })),
      '415 help_request.photo_type',
    );
    assert.equal(
      code(() => checkPhoto({ contentType: 'image/jpeg', bytes: png })),
      '415 help_request.photo_mismatch',
    );
    assert.equal(
      code(() => checkPhoto({ contentType: 'image/jpeg', bytes: new Uint8Array() })),
      '422 help_request.photo_empty',
    );
    const big = new Uint8Array(MAX_PHOTO_BYTES + 1);
    big.set(jpeg);
    assert.equal(
      code(() => checkPhoto({ contentType: 'image/jpeg', bytes: big })),
      '413 help_request.photo_too_large',
    );
    const atLimit = big.subarray(0, MAX_PHOTO_BYTES);
    assert.equal(checkPhoto({ contentType: 'image/jpeg', bytes: atLimit }), 'image/jpeg');
  });

  test('decodes base64 and refuses anything else', () => {
    assert.deepEqual([...decodeBase64Photo(Buffer.from(png).toString('base64'))], [...png]);
    assert.equal(
      code(() => decodeBase64Photo('not base64!')),
      '422 help_request.photo_encoding',
    );
  });
});
