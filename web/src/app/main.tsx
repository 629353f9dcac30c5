import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import { loadDictionary } from './i18n/dictionary.ts';
import { en } from './i18n/en.ts';
import { applyLocale, initialMigrantLocale, MigrantI18nProvider } from './i18n/MigrantI18n.tsx';
import { MigrantApp } from './MigrantApp.tsx';
import { registerServiceWorker } from './pwa/register.ts';
import './app.css';

// The migrant app's own entry (web/app/index.html): none of the console's code or texts is loaded.
const locale = initialMigrantLocale();
// Direction is set before the first paint, so a right-to-left reader never sees the page flip.
applyLocale(locale);

const root = document.getElementById('root');
if (!root) throw new Error('app/index.html has no #root element');

// A language chosen before but not cached (first visit offline) falls back to English, which is built in.
void loadDictionary(locale)
  .then(
    (dictionary) => ({ locale, dictionary }),
    () => ({ locale: 'en' as const, dictionary: en }),
  )
  .then((start) => {
    applyLocale(start.locale);
    createRoot(root).render(
      <StrictMode>
        <MigrantI18nProvider locale={start.locale} dictionary={start.dictionary}>
          <MigrantApp />
        </MigrantI18nProvider>
      </StrictMode>,
    );
  });

registerServiceWorker();
