import { request } from '../api.ts';
import type { AreaShape } from './geometry.ts';

/** One country outline from GET /api/reference/boundaries. */
export type CountryOutline = { code: string; name: string; geometry: AreaShape };

type BoundaryCollection = {
  features: { properties: { code: string; name: string }; geometry: AreaShape }[];
};

let outlines: Promise<CountryOutline[]> | null = null;

/** The world's country outlines, fetched once per page load (the answer is cacheable). */
export function loadCountryOutlines(): Promise<CountryOutline[]> {
  outlines ??= request<BoundaryCollection>('GET', '/api/reference/boundaries').then(
    (collection) =>
      collection.features.map((f) => ({
        code: f.properties.code,
        name: f.properties.name,
        geometry: f.geometry,
      })),
    (error: unknown) => {
      outlines = null; // a later map tries again
      throw error;
    },
  );
  return outlines;
}
