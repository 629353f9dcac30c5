import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import type { Plugin } from 'vite';

type Options = {
  /** Absolute path of the app's HTML entry. */
  entryHtml: string;
  /** Absolute path of the service worker template. */
  serviceWorker: string;
  /** Files from public/ the shell needs too (manifest, icons), as URLs. */
  extra: readonly string[];
};

type BundleChunk = {
  type: 'chunk';
  isEntry: boolean;
  facadeModuleId: string | null;
  imports: string[];
  dynamicImports: string[];
  viteMetadata?: { importedCss: Set<string>; importedAssets: Set<string> };
};
type BundleItem = BundleChunk | { type: 'asset' };

/**
 * Writes the migrant app's service worker into the build (`app/sw.js`), with the URLs of every file the
 * app's entry needs, dynamic imports (language files) included, and a version derived from their names
 * (which carry content hashes): a new build means a new worker, which refreshes the offline copy.
 */
export function migrantAppServiceWorker(options: Options): Plugin {
  return {
    name: 'haven-migrant-app-service-worker',
    apply: 'build',
    generateBundle(_output, bundle) {
      const items = bundle as unknown as Record<string, BundleItem>;
      const entry = Object.entries(items).find(
        ([, item]) => item.type === 'chunk' && item.isEntry && item.facadeModuleId === options.entryHtml,
      );
      if (!entry) throw new Error(`the build has no entry for ${options.entryHtml}`);
      const files = new Set<string>();
      const visit = (name: string) => {
        const item = items[name];
        if (!item || files.has(name)) return;
        files.add(name);
        if (item.type !== 'chunk') return;
        for (const css of item.viteMetadata?.importedCss ?? []) files.add(css);
        for (const asset of item.viteMetadata?.importedAssets ?? []) files.add(asset);
        for (const next of [...item.imports, ...item.dynamicImports]) visit(next);
      };
      visit(entry[0]);
      const urls = ['/app/', ...options.extra, ...[...files].sort().map((file) => `/${file}`)];
      const version = createHash('sha256').update(urls.join('\n')).digest('hex').slice(0, 16);
      const source = readFileSync(options.serviceWorker, 'utf8')
        .replace('__HAVEN_APP_VERSION__', version)
        .replace('__HAVEN_APP_PRECACHE__', JSON.stringify(urls));
      this.emitFile({ type: 'asset', fileName: 'app/sw.js', source });
    },
  };
}
