import { createHash } from 'node:crypto';
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { Type } from 'typebox';
import type { AppDeps } from '../../app.ts';
import {
  BOUNDARY_RESOLUTIONS,
  type BoundaryResolution,
  countryBoundary,
  roundGeometry,
  worldMapBoundaries,
} from '../../domain/reference/boundaries.ts';
import { findCountry, listCountries } from '../../domain/reference/countries.ts';
import { listLanguages } from '../../domain/reference/languages.ts';
import { AppError } from '../../errors.ts';
import { Problem } from '../../http/problem.ts';

const Country = Type.Object({
  alpha2: Type.String(),
  alpha3: Type.String(),
  numeric: Type.String(),
  name: Type.String(),
  region: Type.String(),
});
const Language = Type.Object({
  tag: Type.String(),
  name: Type.String(),
  nativeName: Type.String(),
  direction: Type.String(),
});

// Boundaries are sent pre-serialised (they are large and never change while the server runs), so these
// schemas document the answer rather than drive serialisation.
const BoundaryProperties = Type.Object({
  code: Type.String({ description: 'ISO 3166-1 alpha-2' }),
  alpha3: Type.String(),
  name: Type.String(),
  resolution: Type.Union(
    BOUNDARY_RESOLUTIONS.map((r) => Type.Literal(r)),
    { description: 'Natural Earth scale of the geometry' },
  ),
});
const BoundaryGeometry = Type.Object({
  type: Type.Union([Type.Literal('Polygon'), Type.Literal('MultiPolygon')]),
  coordinates: Type.Array(Type.Unknown(), {
    description: 'GeoJSON coordinates: longitude, latitude (WGS 84)',
  }),
});
const BoundaryFeature = Type.Object({
  type: Type.Literal('Feature'),
  id: Type.String(),
  properties: BoundaryProperties,
  geometry: BoundaryGeometry,
});
const BoundaryCollection = Type.Object({
  type: Type.Literal('FeatureCollection'),
  features: Type.Array(BoundaryFeature),
});

const GEOJSON = 'application/geo+json; charset=utf-8';
// Reference data changes only with a new release of Haven; a day of caching is safe and the ETag revalidates.
const CACHE_CONTROL = 'public, max-age=86400';
// 3 decimals (about 100 m) is finer than the 1:110m map is accurate.
const MAP_DECIMALS = 3;

type Cached = { body: string; etag: string };
const etagOf = (body: string) => `"${createHash('sha256').update(body).digest('base64url').slice(0, 27)}"`;
const cached = (body: string): Cached => ({ body, etag: etagOf(body) });

function sendCached(req: FastifyRequest, reply: FastifyReply, doc: Cached) {
  reply.header('cache-control', CACHE_CONTROL).header('etag', doc.etag);
  if (req.headers['if-none-match'] === doc.etag) return reply.code(304).send();
  return reply.type(GEOJSON).send(doc.body);
}

/** Reference data bundled with Haven: countries (ISO 3166-1) with their boundaries, and languages (BCP 47). */
export const referenceRoutes: FastifyPluginAsyncTypebox<AppDeps> = async (app) => {
  let worldMap: Cached | undefined;
  const boundaries = new Map<string, Cached>();

  app.get('/api/reference/countries', {
    config: { action: 'public' },
    schema: { tags: ['reference'], response: { 200: Type.Object({ items: Type.Array(Country) }) } },
    handler: async () => ({ items: [...listCountries()] }),
  });

  app.get('/api/reference/languages', {
    config: { action: 'public' },
    schema: { tags: ['reference'], response: { 200: Type.Object({ items: Type.Array(Language) }) } },
    handler: async () => ({ items: [...listLanguages()] }),
  });

  app.get('/api/reference/countries/:code/boundary', {
    config: { action: 'public' },
    schema: {
      tags: ['reference'],
      summary: "A country's boundary as a GeoJSON Feature (Natural Earth)",
      description:
        'The code is ISO 3166-1 alpha-2 or alpha-3. A country too small for the requested scale comes at the next finer one. ' +
        'Territories Natural Earth draws as part of another country (Réunion in France) have no boundary of their own.',
      params: Type.Object({ code: Type.String({ minLength: 2, maxLength: 3 }) }),
      querystring: Type.Object(
        {
          resolution: Type.Optional(
            Type.Union(
              BOUNDARY_RESOLUTIONS.map((r) => Type.Literal(r)),
              { default: '50m' },
            ),
          ),
        },
        { additionalProperties: false },
      ),
      response: { 200: BoundaryFeature, 304: Type.Null(), 400: Problem, 404: Problem },
    },
    handler: async (req, reply) => {
      const country = findCountry(req.params.code);
      if (!country)
        throw new AppError('reference.country_not_found', 'No country has this ISO 3166-1 code', 404);
      const resolution: BoundaryResolution = req.query.resolution ?? '50m';
      const key = `${country.alpha2}:${resolution}`;
      let doc = boundaries.get(key);
      if (!doc) {
        const boundary = countryBoundary(country.alpha2, resolution);
        if (!boundary)
          throw new AppError(
            'reference.boundary_not_found',
            'Natural Earth draws no boundary of its own for this country',
            404,
          );
        doc = cached(JSON.stringify(boundary));
        boundaries.set(key, doc);
      }
      return sendCached(req, reply, doc);
    },
  });

  app.get('/api/reference/boundaries', {
    config: { action: 'public' },
    schema: {
      tags: ['reference'],
      summary: 'Every country boundary, for a world map (GeoJSON FeatureCollection)',
      description:
        'Natural Earth 1:110m, with countries too small for that scale (Bahrain, Singapore, Hong Kong) at 1:50m. Cacheable.',
      response: { 200: BoundaryCollection, 304: Type.Null() },
    },
    handler: async (req, reply) => {
      if (!worldMap) {
        const map = worldMapBoundaries();
        const features = map.features.map((f) => ({
          ...f,
          geometry: roundGeometry(f.geometry, MAP_DECIMALS),
        }));
        worldMap = cached(JSON.stringify({ type: 'FeatureCollection', features }));
      }
      return sendCached(req, reply, worldMap);
    },
  });
};
