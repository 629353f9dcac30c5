import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import type { AppDeps } from '../../app.ts';
import { AppError } from '../../errors.ts';
import { viewerOf } from '../../http/auth.ts';
import { Problem } from '../../http/problem.ts';
import { recordAudit } from '../audit/audit.service.ts';
import {
  ImportCsvBody,
  ImportIdParams,
  ImportQuery,
  ImportRejectionPage,
  ImportRejectionQuery,
  ImportSummaryView,
} from './imports.schema.ts';
import { chunksOf, getImport, importPersons, listImportRejections } from './imports.service.ts';

const tags = ['imports'];
const errors = {
  400: Problem,
  401: Problem,
  403: Problem,
  404: Problem,
  413: Problem,
  415: Problem,
  422: Problem,
  500: Problem,
};
const DELIMITERS = { comma: ',', semicolon: ';', tab: '\t' } as const;

/** How many times the general body limit a CSV upload may be. */
export const IMPORT_BODY_LIMIT_FACTOR = 64;

/** Bulk import of persons from CSV, with the report of each import. */
export const importRoutes: FastifyPluginAsyncTypebox<AppDeps> = async (app, { config, database }) => {
  const { db } = database;
  const bodyLimit = IMPORT_BODY_LIMIT_FACTOR * config.bodyLimitBytes;

  // Registered inside this plugin, so only these routes accept CSV bodies, and only up to their own limit.
  app.addContentTypeParser(
    ['text/csv', 'application/csv'],
    { parseAs: 'buffer', bodyLimit },
    (_req, body, done) => {
      done(null, body);
    },
  );

  app.post('/api/imports', {
    bodyLimit,
    config: { action: 'imports.run' },
    schema: {
      tags,
      summary: 'Import persons from a CSV file (Content-Type: text/csv); answers with the import summary',
      description:
        'Rows are checked one by one and committed in batches; rows matching a stored person (external_ref, or phone and name) update it. ' +
        'Rejected rows are listed at /api/imports/{id}/rejections. A problem with the file itself (missing or unknown columns, empty file) ' +
        'is answered with 422 and the import id.',
      querystring: ImportQuery,
      body: {
        content: { 'text/csv': { schema: ImportCsvBody }, 'application/csv': { schema: ImportCsvBody } },
      } as never,
      response: { 201: ImportSummaryView, ...errors },
    },
    handler: async (req, reply) => {
      const body = req.body as unknown;
      if (!Buffer.isBuffer(body)) {
        throw new AppError(
          'request.unsupported_media_type',
          'Send the CSV file with Content-Type: text/csv',
          415,
        );
      }
      const { viewer } = viewerOf(req);
      const summary = await importPersons(db, chunksOf(body), {
        source: 'api',
        delimiter: req.query.delimiter ? DELIMITERS[req.query.delimiter] : undefined,
        ignoreUnknownColumns: req.query.ignoreUnknownColumns,
        // A consular officer writes only the people of their post's jurisdiction, as with single records.
        writableCountries: viewer.role === 'consular_officer' ? viewer.jurisdiction : undefined,
      });
      // One entry per import: the import id leads to its counts and rejections (person ids would run to millions).
      await recordAudit(database.db, database.dialect, {
        actorUserId: viewer.userId,
        actorRole: viewer.role,
        action: 'imports.run',
        outcome: 'done',
        personIds: [],
        ip: req.ip,
        details: {
          importId: summary.id,
          status: summary.status,
          created: summary.created,
          updated: summary.updated,
          rejected: summary.rejected,
        },
      });
      if (summary.status === 'failed') {
        // Rows committed before the problem stay; the import id leads to them and to the rejections.
        const error = summary.error!;
        const writeFailed = error.code === 'import.write_failed';
        const status = writeFailed ? 500 : error.code === 'import.read_failed' ? 400 : 422;
        // A 5xx answer names no database internals; the stored import keeps the database's error code.
        const message = writeFailed
          ? `rows from line ${error.line} on could not be written and were not imported`
          : error.message;
        throw new AppError(error.code, message, status, {
          importId: summary.id,
          line: error.line,
          ...(error.columns ? { columns: error.columns } : {}),
        });
      }
      return reply.code(201).header('location', `/api/imports/${summary.id}`).send(summary);
    },
  });

  app.get('/api/imports/:id', {
    config: { action: 'imports.run' },
    schema: {
      tags,
      summary: 'The summary of one import',
      params: ImportIdParams,
      response: { 200: ImportSummaryView, ...errors },
    },
    handler: async (req) => getImport(db, req.params.id),
  });

  app.get('/api/imports/:id/rejections', {
    config: { action: 'imports.run' },
    schema: {
      tags,
      summary: 'The rejected rows of an import, in file order, with cursor pagination',
      params: ImportIdParams,
      querystring: ImportRejectionQuery,
      response: { 200: ImportRejectionPage, ...errors },
    },
    handler: async (req) => listImportRejections(db, req.params.id, req.query),
  });
};
