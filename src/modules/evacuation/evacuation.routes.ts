import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import type { FastifyRequest } from 'fastify';
import { Type } from 'typebox';
import type { AppDeps } from '../../app.ts';
import { viewerOf } from '../../http/auth.ts';
import { Problem } from '../../http/problem.ts';
import {
  boardingLegs,
  boardingPasses,
  closeBoarding,
  confirmArrival,
  legManifest,
  operationHeadCounts,
  operationReturnCases,
  scanBatch,
  scanPass,
} from './boarding.service.ts';
import { PASS_LANGUAGES } from './boarding-pass-messages.ts';
import { renderPassPage } from './boarding-pass-page.ts';
import { sendBoardingPasses, viewBoardingPass } from './boarding-pass-send.service.ts';
import { addCostItem, listEvacueeCosts, operationCostTotals } from './costs.service.ts';
import type { EvacuationContext } from './evacuation.context.ts';
import {
  ArrivalBody,
  ArrivalResult,
  AssemblyPointCreate,
  AssemblyPointView,
  BoardingLegs,
  BoardingPasses,
  BoardingPassSend,
  BoardingPassSendResult,
  CloseBoardingResult,
  CostCreate,
  CostTotals,
  CostView,
  EvacueeParams,
  EvacueePatch,
  EvacueeQuery,
  EvacueesAdd,
  EvacueesAdded,
  EvacueesFromRequests,
  EvacueesFromRequestsResult,
  EvacueeView,
  HeadCount,
  HubCreate,
  HubView,
  IdParams,
  LegChange,
  LegCreate,
  LegPatch,
  LegView,
  ManifestView,
  OperationCreate,
  OperationPatch,
  OperationQuery,
  OperationView,
  PlanRequest,
  PlanResult,
  PlanView,
  ScanBatch,
  ScanBatchResult,
  ScanBody,
  ScanResult,
} from './evacuation.schema.ts';
import { addEvacueesFromRequests } from './evacuee-requests.service.ts';
import { addEvacuees, listEvacuees, patchEvacuee } from './evacuees.service.ts';
import { renderManifestCsv, renderManifestHtml } from './manifest.ts';
import {
  cancelLeg,
  createAssemblyPoint,
  createHub,
  createLeg,
  createOperation,
  getOperationView,
  listAssemblyPointViews,
  listHubViews,
  listLegViews,
  listOperationViews,
  patchLeg,
  patchOperation,
} from './operations.service.ts';
import { pickPageLanguage } from './page-language.ts';
import { planOperation, readPlan } from './planning.service.ts';
import { SCAN_LANGUAGES } from './scan-messages.ts';
import { renderScanPage, scanAssets } from './scan-page.ts';

const errors = { 400: Problem, 401: Problem, 403: Problem, 404: Problem, 409: Problem, 422: Problem };
const tags = ['evacuation'];

const context = (req: FastifyRequest): EvacuationContext => ({
  viewer: viewerOf(req).viewer,
  ip: req.ip,
  now: new Date(),
});

/**
 * Evacuation: operations, assembly points, hubs and legs; evacuees (households kept together); the
 * planner's plan and its incremental re-plans; manifests, boarding passes, scanning, no-shows and
 * arrival; assistance costs; and the offline boarding-scanner page.
 */
export const evacuationRoutes: FastifyPluginAsyncTypebox<AppDeps> = async (app, { database }) => {
  // ---------------------------------------------------------------------------------------- operations
  app.post('/api/evacuation/operations', {
    config: { action: 'evacuation.plan' },
    schema: {
      tags,
      summary: 'Open an evacuation operation for a crisis in a country (or a named area of it)',
      body: OperationCreate,
      response: { 201: OperationView, ...errors },
    },
    handler: async (req, reply) =>
      reply.code(201).send(await createOperation(database, context(req), req.body)),
  });
  app.get('/api/evacuation/operations', {
    config: { action: 'evacuation.plan' },
    schema: {
      tags,
      summary: "Operations in the viewer's countries, newest first",
      querystring: OperationQuery,
      response: { 200: Type.Object({ items: Type.Array(OperationView) }), ...errors },
    },
    handler: async (req) => ({ items: await listOperationViews(database, context(req), req.query) }),
  });
  app.get('/api/evacuation/operations/:id', {
    config: { action: 'evacuation.plan' },
    schema: { tags, params: IdParams, response: { 200: OperationView, ...errors } },
    handler: async (req) => getOperationView(database, context(req), req.params.id),
  });
  app.patch('/api/evacuation/operations/:id', {
    config: { action: 'evacuation.plan' },
    schema: {
      tags,
      summary: 'Rename, re-level, re-configure, activate or close an operation',
      description:
        'Closing frees its evacuees for other operations. 409 evacuation.status_transition_invalid.',
      params: IdParams,
      body: OperationPatch,
      response: { 200: OperationView, ...errors },
    },
    handler: async (req) => patchOperation(database, context(req), req.params.id, req.body),
  });

  // ------------------------------------------------------------------------------ points, hubs, legs
  app.post('/api/evacuation/operations/:id/assembly-points', {
    config: { action: 'evacuation.plan' },
    schema: {
      tags,
      summary: 'Add an assembly point',
      params: IdParams,
      body: AssemblyPointCreate,
      response: { 201: AssemblyPointView, ...errors },
    },
    handler: async (req, reply) =>
      reply.code(201).send(await createAssemblyPoint(database, context(req), req.params.id, req.body)),
  });
  app.get('/api/evacuation/operations/:id/assembly-points', {
    config: { action: 'evacuation.plan' },
    schema: {
      tags,
      params: IdParams,
      response: { 200: Type.Object({ items: Type.Array(AssemblyPointView) }), ...errors },
    },
    handler: async (req) => ({ items: await listAssemblyPointViews(database, context(req), req.params.id) }),
  });
  app.post('/api/evacuation/operations/:id/hubs', {
    config: { action: 'evacuation.plan' },
    schema: {
      tags,
      summary: 'Add an airport, port or station that legs leave from, and the assembly points it serves',
      params: IdParams,
      body: HubCreate,
      response: { 201: HubView, ...errors },
    },
    handler: async (req, reply) =>
      reply.code(201).send(await createHub(database, context(req), req.params.id, req.body)),
  });
  app.get('/api/evacuation/operations/:id/hubs', {
    config: { action: 'evacuation.plan' },
    schema: {
      tags,
      params: IdParams,
      response: { 200: Type.Object({ items: Type.Array(HubView) }), ...errors },
    },
    handler: async (req) => ({ items: await listHubViews(database, context(req), req.params.id) }),
  });
  app.post('/api/evacuation/operations/:id/legs', {
    config: { action: 'evacuation.plan' },
    schema: {
      tags,
      summary: 'Add a transport leg; with a plan in force, re-plans incrementally',
      description:
        '422 evacuation.departure_in_past, evacuation.leg_origin_invalid, evacuation.invalid_seats.',
      params: IdParams,
      body: LegCreate,
      response: { 201: LegChange, ...errors },
    },
    handler: async (req, reply) =>
      reply.code(201).send(await createLeg(database, context(req), req.params.id, req.body)),
  });
  app.get('/api/evacuation/operations/:id/legs', {
    config: { action: 'evacuation.plan' },
    schema: {
      tags,
      params: IdParams,
      response: { 200: Type.Object({ items: Type.Array(LegView) }), ...errors },
    },
    handler: async (req) => ({ items: await listLegViews(database, context(req), req.params.id) }),
  });
  app.patch('/api/evacuation/legs/:id', {
    config: { action: 'evacuation.plan' },
    schema: {
      tags,
      summary: "Change a scheduled leg's destination, departure or seats; re-plans incrementally",
      params: IdParams,
      body: LegPatch,
      response: { 200: LegChange, ...errors },
    },
    handler: async (req) => patchLeg(database, context(req), req.params.id, req.body),
  });
  app.post('/api/evacuation/legs/:id/cancel', {
    config: { action: 'evacuation.plan' },
    schema: {
      tags,
      summary: 'Cancel a leg nobody has boarded; its people are re-planned onto other legs',
      params: IdParams,
      response: { 200: LegChange, ...errors },
    },
    handler: async (req) => cancelLeg(database, context(req), req.params.id),
  });

  // -------------------------------------------------------------------------------------- evacuees
  app.post('/api/evacuation/operations/:id/evacuees', {
    config: { action: 'evacuation.plan' },
    schema: {
      tags,
      summary: 'Add evacuees by id or by filter; their households are added with them',
      description: '409 evacuation.person_in_other_operation when another open operation claims one of them.',
      params: IdParams,
      body: EvacueesAdd,
      response: { 200: EvacueesAdded, ...errors },
    },
    handler: async (req) => addEvacuees(database, context(req), req.params.id, req.body),
  });
  app.post('/api/evacuation/operations/:id/evacuees/from-requests', {
    config: { action: 'evacuation.plan' },
    schema: {
      tags,
      summary: 'Add the people who asked to be evacuated (help requests, "I need help" answers)',
      description:
        "People located in the operation's country (and inside its area, if it has one) with an open evacuation help request, or whose latest answer to the operation's alerts is need_help; their households come with them. Idempotent: people already in the operation are reported as skipped. 409 evacuation.person_in_other_operation unless skipPersonsInOtherOperations.",
      params: IdParams,
      body: Type.Optional(EvacueesFromRequests),
      response: { 200: EvacueesFromRequestsResult, ...errors },
    },
    handler: async (req) => addEvacueesFromRequests(database, context(req), req.params.id, req.body ?? {}),
  });
  app.get('/api/evacuation/operations/:id/evacuees', {
    config: { action: 'evacuation.plan' },
    schema: {
      tags,
      summary: 'Evacuees with document readiness and placement, a page at a time',
      params: IdParams,
      querystring: EvacueeQuery,
      response: {
        200: Type.Object({
          items: Type.Array(EvacueeView),
          nextAfter: Type.Union([Type.String(), Type.Null()]),
        }),
        ...errors,
      },
    },
    handler: async (req) => listEvacuees(database, context(req), req.params.id, req.query),
  });
  app.patch('/api/evacuation/operations/:id/evacuees/:personId', {
    config: { action: 'evacuation.plan' },
    schema: {
      tags,
      summary: 'Record when an emergency travel document is ready, or seat and access needs',
      description: '422 evacuation.etd_not_needed for someone who has their passport.',
      params: EvacueeParams,
      body: EvacueePatch,
      response: {
        200: Type.Object({ evacuee: EvacueeView, replan: Type.Union([PlanResult, Type.Null()]) }),
        ...errors,
      },
    },
    handler: async (req) =>
      patchEvacuee(database, context(req), req.params.id, req.params.personId, req.body),
  });

  // ---------------------------------------------------------------------------------------- planning
  app.post('/api/evacuation/operations/:id/plan', {
    config: { action: 'evacuation.plan' },
    schema: {
      tags,
      summary: 'Run the planner and make its plan the one in force',
      params: IdParams,
      body: Type.Optional(PlanRequest),
      response: { 201: PlanResult, ...errors },
    },
    handler: async (req, reply) =>
      reply.code(201).send(await planOperation(database, context(req), req.params.id, req.body ?? {})),
  });
  app.get('/api/evacuation/operations/:id/plan', {
    config: { action: 'evacuation.plan' },
    schema: {
      tags,
      summary: 'The plan in force: legs with their fill and people, points, the unassigned with reasons',
      params: IdParams,
      response: { 200: PlanView, ...errors },
    },
    handler: async (req) => readPlan(database, context(req), req.params.id),
  });

  // ---------------------------------------------------------------------------- manifests and passes
  app.get('/api/evacuation/legs/:id/manifest.csv', {
    config: { action: 'evacuation.plan' },
    schema: {
      tags,
      summary: "The leg's manifest as CSV",
      params: IdParams,
      produces: ['text/csv'],
      response: { 200: Type.String({ description: 'text/csv' }), ...errors },
    },
    handler: async (req, reply) => {
      const manifest = await legManifest(database, context(req), req.params.id, 'csv');
      return reply
        .type('text/csv; charset=utf-8')
        .header('Content-Disposition', `attachment; filename="manifest-${req.params.id}.csv"`)
        .send(renderManifestCsv(manifest));
    },
  });
  app.get('/api/evacuation/legs/:id/manifest.html', {
    config: { action: 'evacuation.plan' },
    schema: {
      tags,
      summary: "The leg's manifest as a print-ready page",
      params: IdParams,
      produces: ['text/html'],
      response: { 200: Type.String({ description: 'text/html' }), ...errors },
    },
    handler: async (req, reply) => {
      const manifest = await legManifest(database, context(req), req.params.id, 'html');
      return reply.type('text/html; charset=utf-8').send(renderManifestHtml(manifest));
    },
  });
  app.get('/api/evacuation/legs/:id/manifest.json', {
    config: { action: 'evacuation.plan' },
    schema: {
      tags,
      summary: "The leg's manifest as JSON (for carriers' and border systems)",
      params: IdParams,
      response: { 200: ManifestView, ...errors },
    },
    handler: async (req) => legManifest(database, context(req), req.params.id, 'json'),
  });
  app.get('/api/evacuation/legs/:id/boarding-passes', {
    config: { action: 'evacuation.plan' },
    schema: {
      tags,
      summary: 'A signed boarding pass and its QR code for everyone on the leg',
      params: IdParams,
      response: { 200: BoardingPasses, ...errors },
    },
    handler: async (req) => boardingPasses(database, context(req), req.params.id),
  });

  app.post('/api/evacuation/legs/:id/boarding-passes/send', {
    config: { action: 'evacuation.plan' },
    schema: {
      tags,
      summary: 'Send each person on the leg their boarding pass on their own channels',
      description:
        "Through the delivery outbox, in the person's language: leg, assembly point, time and a link to the pass with its QR code. Idempotent per person and pass: a pass already sent is skipped, one changed by a re-plan is sent. 409 evacuation.boarding_closed, evacuation.leg_cancelled; 422 evacuation.person_not_on_leg.",
      params: IdParams,
      body: Type.Optional(BoardingPassSend),
      response: { 200: BoardingPassSendResult, ...errors },
    },
    handler: async (req) => sendBoardingPasses(database, context(req), req.params.id, req.body ?? {}),
  });

  // ---------------------------------------------------------------------------------------- boarding
  app.post('/api/evacuation/boarding', {
    config: { action: 'evacuation.board' },
    schema: {
      tags,
      summary: 'Board the person a pass names at the leg being boarded',
      description:
        'A pass scanned twice answers alreadyBoarded. 422 evacuation.token_invalid (forged, altered), evacuation.token_expired; 409 evacuation.wrong_leg, evacuation.boarding_closed, evacuation.leg_cancelled.',
      body: ScanBody,
      response: { 200: ScanResult, ...errors },
    },
    handler: async (req) => scanPass(database, context(req), req.body),
  });
  app.post('/api/evacuation/boarding/batch', {
    config: { action: 'evacuation.board' },
    schema: {
      tags,
      summary: 'Scans made offline, with their original times; each answered on its own',
      body: ScanBatch,
      response: { 200: ScanBatchResult, ...errors },
    },
    handler: async (req) => scanBatch(database, context(req), req.body),
  });
  app.get('/api/evacuation/boarding/legs', {
    config: { action: 'evacuation.board' },
    schema: {
      tags,
      summary: 'Legs that may be boarded now, with head counts (for the scanner)',
      response: { 200: BoardingLegs, ...errors },
    },
    handler: async (req) => boardingLegs(database, context(req)),
  });
  app.get('/api/evacuation/operations/:id/head-counts', {
    config: { action: 'evacuation.board' },
    schema: {
      tags,
      summary: 'People aboard and expected, per leg',
      params: IdParams,
      response: { 200: Type.Object({ items: Type.Array(HeadCount) }), ...errors },
    },
    handler: async (req) => operationHeadCounts(database, context(req), req.params.id),
  });
  app.post('/api/evacuation/legs/:id/close-boarding', {
    config: { action: 'evacuation.plan' },
    schema: {
      tags,
      summary: 'Close boarding: no-shows are released and re-planned onto other legs',
      params: IdParams,
      response: { 200: CloseBoardingResult, ...errors },
    },
    handler: async (req) => closeBoarding(database, context(req), req.params.id),
  });
  app.post('/api/evacuation/legs/:id/arrived', {
    config: { action: 'evacuation.plan' },
    schema: {
      tags,
      summary: 'Confirm arrival: everyone aboard gets an open return-and-reintegration case',
      params: IdParams,
      body: Type.Optional(ArrivalBody),
      response: { 200: ArrivalResult, ...errors },
    },
    handler: async (req) => confirmArrival(database, context(req), req.params.id, req.body ?? {}),
  });
  app.get('/api/evacuation/operations/:id/return-cases', {
    config: { action: 'evacuation.plan' },
    schema: {
      tags,
      summary: 'Return cases opened on arrival',
      params: IdParams,
      response: {
        200: Type.Object({
          items: Type.Array(
            Type.Object({
              id: Type.String(),
              personId: Type.String(),
              legId: Type.Union([Type.String(), Type.Null()]),
              stage: Type.String(),
              status: Type.String(),
              openedAt: Type.String(),
            }),
          ),
        }),
        ...errors,
      },
    },
    handler: async (req) => operationReturnCases(database, context(req), req.params.id),
  });

  // ------------------------------------------------------------------------------------------- costs
  app.post('/api/evacuation/operations/:id/evacuees/:personId/costs', {
    config: { action: 'evacuation.plan' },
    schema: {
      tags,
      summary: 'Record a fare, exit fee, penalty or cash assistance, paid or waived',
      params: EvacueeParams,
      body: CostCreate,
      response: { 201: CostView, ...errors },
    },
    handler: async (req, reply) =>
      reply
        .code(201)
        .send(await addCostItem(database, context(req), req.params.id, req.params.personId, req.body)),
  });
  app.get('/api/evacuation/operations/:id/evacuees/:personId/costs', {
    config: { action: 'evacuation.plan' },
    schema: {
      tags,
      params: EvacueeParams,
      response: { 200: Type.Object({ items: Type.Array(CostView) }), ...errors },
    },
    handler: async (req) => listEvacueeCosts(database, context(req), req.params.id, req.params.personId),
  });
  app.get('/api/evacuation/operations/:id/costs', {
    config: { action: 'evacuation.plan' },
    schema: {
      tags,
      summary: 'Assistance totals per currency: paid, waived, by kind',
      params: IdParams,
      response: { 200: CostTotals, ...errors },
    },
    handler: async (req) => operationCostTotals(database, context(req), req.params.id),
  });

  // ------------------------------------------------------------------------------- boarding pass page
  app.get('/pass/:token', {
    config: { action: 'public' },
    schema: {
      tags,
      summary: 'A boarding pass as its holder sees it: the QR code, the leg, where and when to be',
      description: `The link a boarding pass message carries. In the language of ?lang= or else of Accept-Language (${PASS_LANGUAGES.join(', ')}). 404 for a pass that is not valid; 410 for one expired, replaced by a re-plan, or whose leg is cancelled or closed.`,
      params: Type.Object({ token: Type.String({ maxLength: 400, description: 'The signed pass token' }) }),
      querystring: Type.Object({ lang: Type.Optional(Type.String({ maxLength: 35 })) }),
      produces: ['text/html'],
      response: { 200: Type.String(), 404: Type.String(), 410: Type.String() },
    },
    handler: async (req, reply) => {
      const state = await viewBoardingPass(database, req.params.token, { ip: req.ip, now: new Date() });
      const lang = pickPageLanguage(PASS_LANGUAGES, req.query.lang, req.headers['accept-language']);
      const status =
        state.kind === 'valid' || state.kind === 'boarded' ? 200 : state.kind === 'invalid' ? 404 : 410;
      return reply
        .code(status)
        .type('text/html; charset=utf-8')
        .header('Cache-Control', 'no-store')
        .header('Referrer-Policy', 'no-referrer')
        .header('X-Robots-Tag', 'noindex, nofollow')
        .header('Vary', 'Accept-Language')
        .send(renderPassPage(lang, state));
    },
  });

  // ------------------------------------------------------------------------------------ scanner page
  app.get('/scan', {
    config: { action: 'public' },
    schema: {
      tags,
      summary: 'The boarding scanner page (works offline once loaded)',
      description: `In the language of ?lang= or else of Accept-Language: ${SCAN_LANGUAGES.join(', ')}.`,
      querystring: Type.Object({ lang: Type.Optional(Type.String({ maxLength: 35 })) }),
      response: { 200: Type.String() },
    },
    handler: async (req, reply) =>
      reply
        .type('text/html; charset=utf-8')
        .header('Cache-Control', 'no-cache')
        .header('Vary', 'Accept-Language')
        .send(
          renderScanPage(pickPageLanguage(SCAN_LANGUAGES, req.query.lang, req.headers['accept-language'])),
        ),
  });
  app.get('/scan/app.js', {
    config: { action: 'public' },
    schema: { tags, summary: "The scanner's script", response: { 200: Type.String() } },
    handler: async (_req, reply) =>
      reply
        .type('text/javascript; charset=utf-8')
        .header('Cache-Control', 'no-cache')
        .send(scanAssets.script),
  });
  app.get('/scan/sw.js', {
    config: { action: 'public' },
    schema: { tags, summary: "The scanner's service worker", response: { 200: Type.String() } },
    handler: async (_req, reply) =>
      reply
        .type('text/javascript; charset=utf-8')
        .header('Cache-Control', 'no-cache')
        .header('Service-Worker-Allowed', '/scan')
        .send(scanAssets.serviceWorker),
  });
};
