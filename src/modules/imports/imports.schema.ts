import { type Static, Type } from 'typebox';
import { UUID_PATTERN } from '../../lib/ids.ts';

const Nullable = <T extends Parameters<typeof Type.Union>[0][number]>(t: T) => Type.Union([t, Type.Null()]);

export const ImportIdParams = Type.Object({
  id: Type.String({ pattern: UUID_PATTERN, description: 'Import id (UUID v7)' }),
});
export type ImportIdParams = Static<typeof ImportIdParams>;

export const ImportQuery = Type.Object(
  {
    delimiter: Type.Optional(
      Type.Union([Type.Literal('comma'), Type.Literal('semicolon'), Type.Literal('tab')], {
        description: 'Field delimiter; detected from the header line when absent',
      }),
    ),
    ignoreUnknownColumns: Type.Optional(
      Type.Boolean({
        default: false,
        description: 'Ignore columns Haven does not know instead of refusing the file',
      }),
    ),
  },
  { additionalProperties: false },
);
export type ImportQuery = Static<typeof ImportQuery>;

/** The request body: a CSV file, documented for OpenAPI; its bytes are read by the import itself. */
export const ImportCsvBody = Type.Unknown({
  description:
    'The CSV file, UTF-8 (fields that are not valid UTF-8 are read as Windows-1252). Columns: see docs/import.md.',
});

const ImportErrorView = Type.Object({
  code: Type.String({ description: 'Stable code, e.g. import.missing_column' }),
  message: Type.String(),
  line: Nullable(Type.Integer({ description: 'File line where reading or writing stopped' })),
  columns: Type.Optional(Type.Array(Type.String())),
});

export const ImportSummaryView = Type.Object({
  id: Type.String(),
  status: Type.Union([Type.Literal('running'), Type.Literal('done'), Type.Literal('failed')]),
  source: Type.String(),
  filename: Nullable(Type.String()),
  rowsRead: Type.Integer({ description: 'Data rows read (blank rows are not counted)' }),
  created: Type.Integer(),
  updated: Type.Integer(),
  unchanged: Type.Integer(),
  rejected: Type.Integer(),
  error: Nullable(ImportErrorView),
  startedAt: Type.String(),
  finishedAt: Nullable(Type.String()),
  warnings: Type.Array(Type.String(), {
    description: 'How the file was read; only in the answer of the import itself',
  }),
});
export type ImportSummaryView = Static<typeof ImportSummaryView>;

export const ImportRejectionView = Type.Object({
  line: Type.Integer({
    description: 'Line of the file where the rejected row starts (line 1 is the header)',
  }),
  code: Type.String(),
  field: Nullable(Type.String({ description: 'CSV column of the first problem' })),
  message: Type.String({ description: 'Every problem of the row, without its data' }),
});

export const ImportRejectionQuery = Type.Object(
  {
    cursor: Type.Optional(Type.String({ maxLength: 40 })),
    limit: Type.Optional(Type.Integer({ minimum: 1, maximum: 1000, default: 100 })),
  },
  { additionalProperties: false },
);
export type ImportRejectionQuery = Static<typeof ImportRejectionQuery>;

export const ImportRejectionPage = Type.Object({
  items: Type.Array(ImportRejectionView),
  nextCursor: Nullable(Type.String()),
});
