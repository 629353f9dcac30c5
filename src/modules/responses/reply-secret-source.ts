import type { Config } from '../../config.ts';
import type { Database } from '../../db/database.ts';
import { loadReplyTokenSecret } from '../delivery/reply-secret.ts';

/** The reply-link secret of the web process: `current()` once loaded, `load()` to (re)try. */
export type ReplySecretSource = { current: () => Buffer | undefined; load: () => Promise<Buffer | null> };

/**
 * The reply-link secret for the web process, loaded on first use and kept once loaded. When it cannot be
 * loaded (no explicit secret, and a master key that does not open the data key) `load` answers null and
 * the reply routes refuse with 503, rather than the whole server failing to start; the next request
 * tries again.
 */
export function replySecretSource(database: Database, config: Config): ReplySecretSource {
  let loaded: Buffer | undefined;
  let loading: Promise<Buffer | null> | undefined;
  return {
    current: () => loaded,
    load: () => {
      if (loaded) return Promise.resolve(loaded);
      loading ??= loadReplyTokenSecret(database.db, config.masterKey, config.delivery.replyTokenSecret)
        .then((secret) => {
          loaded = secret;
          return secret;
        })
        .catch(() => null)
        .finally(() => {
          loading = undefined;
        });
      return loading;
    },
  };
}
