// The evacuation API as the console uses it. Shapes come from the server's schemas as types only.
import type { Static } from 'typebox';
import type {
  ArrivalResult as ArrivalSchema,
  AssemblyPointCreate,
  AssemblyPointView as AssemblyPointSchema,
  BoardingPasses as BoardingPassesSchema,
  BoardingPassSendResult as BoardingPassSendSchema,
  CloseBoardingResult as CloseBoardingSchema,
  CostCreate,
  CostView as CostSchema,
  CostTotals as CostTotalsSchema,
  EvacueeView as EvacueeSchema,
  EvacueesAdded as EvacueesAddedSchema,
  EvacueesFromRequestsResult as EvacueesFromRequestsSchema,
  HeadCount as HeadCountSchema,
  LegChange as LegChangeSchema,
  LegCreate,
  LegView as LegSchema,
  OperationCreate,
  OperationView as OperationSchema,
  PlanResult as PlanResultSchema,
  PlanView as PlanSchema,
} from '../../../../src/modules/evacuation/evacuation.schema.ts';
import { request } from '../../shared/api.ts';

export type {
  AssemblyPointCreate,
  CostCreate,
  LegCreate,
  OperationCreate,
} from '../../../../src/modules/evacuation/evacuation.schema.ts';
export type OperationView = Static<typeof OperationSchema>;
export type AssemblyPointView = Static<typeof AssemblyPointSchema>;
export type LegView = Static<typeof LegSchema>;
export type LegChange = Static<typeof LegChangeSchema>;
export type EvacueeView = Static<typeof EvacueeSchema>;
export type EvacueesAdded = Static<typeof EvacueesAddedSchema>;
export type EvacueesFromRequests = Static<typeof EvacueesFromRequestsSchema>;
export type PlanResult = Static<typeof PlanResultSchema>;
export type PlanView = Static<typeof PlanSchema>;
export type PlanLeg = PlanView['legs'][number];
export type HeadCount = Static<typeof HeadCountSchema>;
export type BoardingPasses = Static<typeof BoardingPassesSchema>;
export type BoardingPassSend = Static<typeof BoardingPassSendSchema>;
export type CloseBoardingResult = Static<typeof CloseBoardingSchema>;
export type ArrivalResult = Static<typeof ArrivalSchema>;
export type CostView = Static<typeof CostSchema>;
export type CostTotals = Static<typeof CostTotalsSchema>;

/** A country's outline as GeoJSON (Polygon or MultiPolygon), from the reference data. */
export type BoundaryFeature = {
  type: 'Feature';
  geometry:
    | { type: 'Polygon'; coordinates: number[][][] }
    | { type: 'MultiPolygon'; coordinates: number[][][][] };
};

const OPERATIONS = '/api/evacuation/operations';
const op = (id: string) => `${OPERATIONS}/${encodeURIComponent(id)}`;
const leg = (id: string) => `/api/evacuation/legs/${encodeURIComponent(id)}`;

export const evacuationApi = {
  operations: (signal?: AbortSignal) => request<{ items: OperationView[] }>('GET', OPERATIONS, { signal }),
  createOperation: (body: OperationCreate) => request<OperationView>('POST', OPERATIONS, { body }),
  operation: (id: string, signal?: AbortSignal) => request<OperationView>('GET', op(id), { signal }),
  assemblyPoints: (id: string, signal?: AbortSignal) =>
    request<{ items: AssemblyPointView[] }>('GET', `${op(id)}/assembly-points`, { signal }),
  addAssemblyPoint: (id: string, body: AssemblyPointCreate) =>
    request<AssemblyPointView>('POST', `${op(id)}/assembly-points`, { body }),
  legs: (id: string, signal?: AbortSignal) =>
    request<{ items: LegView[] }>('GET', `${op(id)}/legs`, { signal }),
  addLeg: (id: string, body: LegCreate) => request<LegChange>('POST', `${op(id)}/legs`, { body }),
  cancelLeg: (legId: string) => request<LegChange>('POST', `${leg(legId)}/cancel`),
  evacuees: (id: string, signal?: AbortSignal) =>
    request<{ items: EvacueeView[]; nextAfter: string | null }>('GET', `${op(id)}/evacuees?limit=5000`, {
      signal,
    }),
  addEvacuees: (id: string, personIds: string[]) =>
    request<EvacueesAdded>('POST', `${op(id)}/evacuees`, { body: { personIds } }),
  /** Adds the people who asked to be evacuated (help requests, "I need help" answers), households too. */
  addFromRequests: (id: string, skipPersonsInOtherOperations = false) =>
    request<EvacueesFromRequests>('POST', `${op(id)}/evacuees/from-requests`, {
      body: skipPersonsInOtherOperations ? { skipPersonsInOtherOperations } : {},
    }),
  runPlanner: (id: string, keepAssignments: boolean) =>
    request<PlanResult>('POST', `${op(id)}/plan`, { body: { keepAssignments } }),
  /** The plan in force, or null before the first run. */
  plan: async (id: string, signal?: AbortSignal): Promise<PlanView | null> => {
    const answer = await request<PlanView | { code?: string }>('GET', `${op(id)}/plan`, {
      signal,
      accept: [404],
    });
    return 'planId' in answer ? answer : null;
  },
  headCounts: (id: string, signal?: AbortSignal) =>
    request<{ items: HeadCount[] }>('GET', `${op(id)}/head-counts`, { signal }),
  boardingPasses: (legId: string, signal?: AbortSignal) =>
    request<BoardingPasses>('GET', `${leg(legId)}/boarding-passes`, { signal }),
  sendBoardingPasses: (legId: string) =>
    request<BoardingPassSend>('POST', `${leg(legId)}/boarding-passes/send`, { body: {} }),
  closeBoarding: (legId: string) => request<CloseBoardingResult>('POST', `${leg(legId)}/close-boarding`),
  confirmArrival: (legId: string) => request<ArrivalResult>('POST', `${leg(legId)}/arrived`, { body: {} }),
  costTotals: (id: string, signal?: AbortSignal) => request<CostTotals>('GET', `${op(id)}/costs`, { signal }),
  evacueeCosts: (id: string, personId: string, signal?: AbortSignal) =>
    request<{ items: CostView[] }>('GET', `${op(id)}/evacuees/${encodeURIComponent(personId)}/costs`, {
      signal,
    }),
  addCost: (id: string, personId: string, body: CostCreate) =>
    request<CostView>('POST', `${op(id)}/evacuees/${encodeURIComponent(personId)}/costs`, { body }),
  boundary: (country: string, signal?: AbortSignal) =>
    request<BoundaryFeature>(
      'GET',
      `/api/reference/countries/${encodeURIComponent(country)}/boundary?resolution=50m`,
      {
        signal,
      },
    ),
};

/** Where the leg's manifest can be downloaded or printed. */
export const manifestCsvUrl = (legId: string) => `${leg(legId)}/manifest.csv`;
export const manifestHtmlUrl = (legId: string) => `${leg(legId)}/manifest.html`;
export const manifestJsonUrl = (legId: string) => `${leg(legId)}/manifest.json`;
