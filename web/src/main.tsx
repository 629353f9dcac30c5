import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import { App } from './App.tsx';
import { applyDocumentLocale, I18nProvider, initialLocale } from './i18n/I18nProvider.tsx';
import './shared/base.css';

const locale = initialLocale();
// Direction is set before the first paint, so a right-to-left reader never sees the page flip.
applyDocumentLocale(locale);

const root = document.getElementById('root');
if (!root) throw new Error('index.html has no #root element');
createRoot(root).render(
  <StrictMode>
    <I18nProvider locale={locale}>
      <App />
    </I18nProvider>
  </StrictMode>,
);
