/** TypeBox schemas of the admin routes (rebuilds, status, document changes). */
import { Type, type Static } from './schema-builder.js'

const Optional = Type.Optional
const Nullable = <T extends ReturnType<typeof Type.Object>>(schema: T) => Type.Union([schema, Type.Null()])

export const ReindexAccepted = Type.Object({
  buildId: Type.String(),
  joined: Type.Boolean({ description: 'true when the request joined a build already running' }),
  statusUrl: Type.String()
})

export const ReloadResult = Type.Object({
  buildId: Type.Union([Type.String(), Type.Null()]),
  changed: Type.Boolean(),
  /** SYNONYMS_FILE's rules after the reload, when a file is configured. */
  synonymRules: Type.Optional(Type.Integer())
})

const Progress = Type.Object({
  bytesRead: Type.Integer(),
  bytesTotal: Type.Integer(),
  indexed: Type.Integer({ description: 'documents done' }),
  skipped: Type.Integer(),
  documentsExpected: Type.Union([Type.Integer(), Type.Null()], { description: 'documents in the live index, as an estimate of the total' })
})

export const AdminStatus = Type.Object({
  state: Type.Union([Type.Literal('idle'), Type.Literal('building')]),
  build: Nullable(Type.Object({ buildId: Type.String(), startedAt: Type.String(), progress: Progress })),
  current: Nullable(Type.Object({
    buildId: Type.String(),
    documents: Type.Integer(),
    vocabularyReady: Type.Boolean({ description: 'whether the headline vocabulary (corrections, suggestion spellings) is prepared: a server finishes it in the background after a start' })
  })),
  lastSuccess: Nullable(Type.Object({
    buildId: Type.String(), origin: Type.String(), at: Type.String(), documents: Type.Integer(), durationMs: Optional(Type.Number())
  })),
  lastError: Nullable(Type.Object({
    buildId: Optional(Type.String()), origin: Type.String(), at: Type.String(), message: Type.String(), code: Optional(Type.String())
  })),
  changes: Type.Object({ logged: Type.Integer(), lastSeq: Type.Integer() }),
  follow: Optional(Type.Object({
    source: Type.String({ description: 'the followed table or query; the connection string without its password' }),
    lastSeenUpdatedAt: Type.Union([Type.String(), Type.Null()], { description: 'the newest updated_at applied, as PostgreSQL prints it' }),
    lagMs: Type.Union([Type.Number(), Type.Null()], { description: 'ms since this process last held every row of the table (about FOLLOW_INTERVAL_MS in step; grows while the database is away)' }),
    lastPollAt: Type.Union([Type.String(), Type.Null()]),
    lastError: Optional(Type.String())
  }, { description: 'serve --follow: present in the process that follows the table' }))
})

/** A document as PUT: the id comes from the path; the fields are those of a corpus record. */
export const DocumentInput = Type.Object({
  title: Type.String({ minLength: 1, maxLength: 2000 }),
  body: Optional(Type.String({ maxLength: 1_000_000 })),
  summary: Optional(Type.String({ maxLength: 100_000 })),
  url: Optional(Type.String({ maxLength: 2000 })),
  date: Optional(Type.String({ maxLength: 64 })),
  tags: Optional(Type.Array(Type.String({ maxLength: 200 }), { maxItems: 100 })),
  source: Optional(Type.String({ maxLength: 200 }))
}, { additionalProperties: false })
export type DocumentInput = Static<typeof DocumentInput>

/** A PATCH: any of a document's fields, merged into the stored document (at least one). */
export const DocumentPatchInput = Type.Partial(DocumentInput, { minProperties: 1, additionalProperties: false })

const RecordWarnings = Type.Array(Type.Object({
  reason: Type.String({ description: 'invalid-url: the url was not an http(s) URL with a real host (or was doubled)' }),
  message: Type.String()
}), { description: 'What was dropped from the document (it is stored without that field)' })

export const DocumentChanged = Type.Object({
  id: Type.String(),
  seq: Type.Integer({ description: 'position in the change log' }),
  created: Optional(Type.Boolean()),
  deleted: Optional(Type.Boolean()),
  warnings: Optional(RecordWarnings)
})

/** POST /documents/_bulk's answer: an item per record, in the order of the request (as Elasticsearch's `_bulk`). */
export const BulkResult = Type.Object({
  took: Type.Integer({ description: 'milliseconds from the first record read to the answer' }),
  errors: Type.Boolean({ description: 'true when any item is not a 2xx' }),
  items: Type.Array(Type.Object({
    id: Type.Union([Type.String(), Type.Null()], { description: 'the document id; null when the record has none that can be read' }),
    status: Type.Integer({ description: '201 created, 200 replaced, 400 not a valid document, 507 or 503 not logged' }),
    error: Optional(Type.Object({
      code: Type.String(),
      message: Type.String(),
      position: Type.Integer({ description: 'the line (NDJSON) or the element (JSON array), from 1' })
    })),
    warnings: Optional(RecordWarnings)
  }))
})
