import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from 'typebox';
import type { AppDeps } from '../../app.ts';
import { listCountries } from '../../domain/reference/countries.ts';
import { listLanguages } from '../../domain/reference/languages.ts';

const Country = Type.Object({ alpha2: Type.String(), alpha3: Type.String(), numeric: Type.String(), name: Type.String(), region: Type.String() });
const Language = Type.Object({ tag: Type.String(), name: Type.String(), nativeName: Type.String(), direction: Type.String() });

/** Reference data bundled with Haven: countries (ISO 3166-1) and languages (BCP 47). */
export const referenceRoutes: FastifyPluginAsyncTypebox<AppDeps> = async (app) => {
  app.get('/api/reference/countries', {
    schema: { tags: ['reference'], response: { 200: Type.Object({ items: Type.Array(Country) }) } },
    handler: async () => ({ items: [...listCountries()] }),
  });
  app.get('/api/reference/languages', {
    schema: { tags: ['reference'], response: { 200: Type.Object({ items: Type.Array(Language) }) } },
    handler: async () => ({ items: [...listLanguages()] }),
  });
};
