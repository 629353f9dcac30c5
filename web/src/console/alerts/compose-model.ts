// The compose form's state and how it becomes the API's alert body: pure, so it is tested without a browser.
import {
  CAP_CATEGORIES,
  CAP_CERTAINTIES,
  CAP_RESPONSE_TYPES,
  CAP_SEVERITIES,
  CAP_URGENCIES,
} from '../../../../src/domain/cap/cap-types.ts';
import type { LonLat } from '../../shared/map/geometry.ts';
import { polygonFromPoints } from '../../shared/map/geometry.ts';
import type { AlertCreate, AlertTargetBody, AlertView, TargetFilters } from './alerts-api.ts';

export { CAP_CATEGORIES, CAP_CERTAINTIES, CAP_RESPONSE_TYPES, CAP_SEVERITIES, CAP_URGENCIES };

type Category = (typeof CAP_CATEGORIES)[number];
type ResponseType = (typeof CAP_RESPONSE_TYPES)[number];

/** The sexes and vulnerabilities a target may filter on, in the registry's order. */
export const FILTER_SEXES = ['female', 'male', 'other', 'unknown'] as const satisfies NonNullable<
  TargetFilters['sexes']
>;
export const FILTER_VULNERABILITIES = [
  'pregnant',
  'child',
  'unaccompanied_child',
  'elderly',
  'disability',
  'medical',
  'chronic_illness',
  'trafficking_survivor',
  'violence_survivor',
  'detained',
  'passport_held_by_employer',
] as const satisfies NonNullable<TargetFilters['vulnerabilities']>;
/** Age bands offered as choices; the API accepts any "a-b" or "a+". */
export const FILTER_AGE_BANDS = ['0-17', '18-29', '30-44', '45-59', '60+'] as const;

export type InfoDraft = {
  language: string;
  headline: string;
  description: string;
  instruction: string;
  smsText: string;
};

export type CircleDraft = { center: LonLat; radiusKm: number };

export type TargetDraft = {
  countries: string[];
  areaIds: string[];
  /** Finished polygons, each a ring of clicked points (closed when sent). */
  polygons: LonLat[][];
  circles: CircleDraft[];
  languages: string[];
  sexes: (typeof FILTER_SEXES)[number][];
  ageBands: string[];
  vulnerabilities: (typeof FILTER_VULNERABILITIES)[number][];
  householdHeadsOnly: boolean;
  employerIds: string[];
};

export type ComposeDraft = {
  status: 'Actual' | 'Exercise';
  category: Category[];
  event: string;
  urgency: (typeof CAP_URGENCIES)[number];
  severity: (typeof CAP_SEVERITIES)[number];
  certainty: (typeof CAP_CERTAINTIES)[number];
  responseType: ResponseType[];
  /** `datetime-local` values, the officer's clock; empty for none. */
  effective: string;
  expires: string;
  infos: InfoDraft[];
  target: TargetDraft;
  askResponse: boolean;
};

export const emptyInfo = (language: string): InfoDraft => ({
  language,
  headline: '',
  description: '',
  instruction: '',
  smsText: '',
});

/** A new alert: a drill by default, so that trying the form never reaches anyone for real by mistake. */
export function newComposeDraft(language: string): ComposeDraft {
  return {
    status: 'Exercise',
    category: ['Safety'],
    event: '',
    urgency: 'Expected',
    severity: 'Moderate',
    certainty: 'Likely',
    responseType: ['Prepare'],
    effective: '',
    expires: '',
    infos: [emptyInfo(language)],
    target: {
      countries: [],
      areaIds: [],
      polygons: [],
      circles: [],
      languages: [],
      sexes: [],
      ageBands: [],
      vulnerabilities: [],
      householdHeadsOnly: false,
      employerIds: [],
    },
    askResponse: false,
  };
}

/** A `datetime-local` value as a CAP dateTime in UTC with whole seconds, or undefined when empty. */
export function toCapDateTime(local: string): string | undefined {
  if (!local) return undefined;
  const parsed = new Date(local);
  return Number.isNaN(parsed.getTime()) ? undefined : `${parsed.toISOString().slice(0, 19)}Z`;
}

/** A CAP dateTime as a `datetime-local` value on the officer's clock. */
export function fromCapDateTime(cap: string | null): string {
  if (!cap) return '';
  const parsed = new Date(cap);
  if (Number.isNaN(parsed.getTime())) return '';
  const local = new Date(parsed.getTime() - parsed.getTimezoneOffset() * 60_000);
  return local.toISOString().slice(0, 16);
}

/** The target as the API takes it: empty parts and filters left out. */
export function toTargetBody(target: TargetDraft): AlertTargetBody {
  const body: AlertTargetBody = {};
  if (target.countries.length) body.countries = target.countries;
  if (target.areaIds.length) body.areaIds = target.areaIds;
  const polygons = target.polygons.filter((ring) => ring.length >= 3).map(polygonFromPoints);
  if (polygons.length) body.polygons = polygons as AlertTargetBody['polygons'];
  if (target.circles.length) {
    body.circles = target.circles.map((c) => ({
      center: [...c.center],
      radiusMeters: Math.round(c.radiusKm * 1000),
    }));
  }
  const filters: TargetFilters = {};
  if (target.languages.length) filters.languages = target.languages;
  if (target.sexes.length) filters.sexes = target.sexes;
  if (target.ageBands.length) filters.ageBands = target.ageBands;
  if (target.vulnerabilities.length) filters.vulnerabilities = target.vulnerabilities;
  if (target.householdHeadsOnly) filters.householdHeadsOnly = true;
  if (target.employerIds.length) filters.employerIds = target.employerIds;
  if (Object.keys(filters).length) body.filters = filters;
  return body;
}

/** Whether the target names no place at all (filters alone select nobody). */
export function isTargetEmpty(target: TargetDraft): boolean {
  return (
    target.countries.length === 0 &&
    target.areaIds.length === 0 &&
    target.polygons.every((ring) => ring.length < 3) &&
    target.circles.length === 0
  );
}

const optional = (text: string) => (text.trim() ? text.trim() : undefined);

/** The whole alert as POST /api/alerts and PATCH take it. */
export function toAlertBody(draft: ComposeDraft): AlertCreate {
  const body: AlertCreate = {
    status: draft.status,
    category: draft.category,
    event: draft.event.trim(),
    urgency: draft.urgency,
    severity: draft.severity,
    certainty: draft.certainty,
    responseType: draft.responseType,
    infos: draft.infos.map((info) => {
      const block: AlertCreate['infos'][number] = {
        language: info.language.trim(),
        headline: info.headline.trim(),
        smsText: info.smsText.trim(),
      };
      const description = optional(info.description);
      const instruction = optional(info.instruction);
      if (description) block.description = description;
      if (instruction) block.instruction = instruction;
      return block;
    }),
    target: toTargetBody(draft.target),
    askResponse: draft.askResponse,
  };
  const effective = toCapDateTime(draft.effective);
  const expires = toCapDateTime(draft.expires);
  if (effective) body.effective = effective;
  if (expires) body.expires = expires;
  return body;
}

/** A saved alert back in the form, to edit a draft. Drawn polygons come back as their outer rings. */
export function draftFromAlert(alert: AlertView): ComposeDraft {
  const filters = alert.target.filters;
  return {
    status: alert.status,
    category: alert.category as Category[],
    event: alert.event,
    urgency: alert.urgency as ComposeDraft['urgency'],
    severity: alert.severity as ComposeDraft['severity'],
    certainty: alert.certainty as ComposeDraft['certainty'],
    responseType: alert.responseType as ResponseType[],
    effective: fromCapDateTime(alert.effective),
    expires: fromCapDateTime(alert.expires),
    infos: alert.infos.map((info) => ({
      language: info.language,
      headline: info.headline,
      description: info.description ?? '',
      instruction: info.instruction ?? '',
      smsText: info.smsText,
    })),
    target: {
      countries: alert.target.countries,
      areaIds: alert.target.areaIds,
      polygons: alert.target.polygons.flatMap((shape) => {
        const rings = shape.type === 'Polygon' ? [shape.coordinates[0]] : shape.coordinates.map((p) => p[0]);
        return rings
          .filter((ring) => ring !== undefined)
          .map((ring) => ring.slice(0, -1).map((p) => [p[0] ?? 0, p[1] ?? 0] as LonLat));
      }),
      circles: alert.target.circles.map((c) => ({
        center: [c.center[0] ?? 0, c.center[1] ?? 0],
        radiusKm: c.radiusMeters / 1000,
      })),
      languages: filters.languages ?? [],
      sexes: filters.sexes ?? [],
      ageBands: filters.ageBands ?? [],
      vulnerabilities: filters.vulnerabilities ?? [],
      householdHeadsOnly: filters.householdHeadsOnly ?? false,
      employerIds: filters.employerIds ?? [],
    },
    askResponse: alert.askResponse,
  };
}
