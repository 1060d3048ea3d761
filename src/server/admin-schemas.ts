/** TypeBox schemas of the admin routes (rebuilds, status, document changes). */
import { Type, type Static } from 'typebox'

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
  current: Nullable(Type.Object({ buildId: Type.String(), documents: Type.Integer() })),
  lastSuccess: Nullable(Type.Object({
    buildId: Type.String(), origin: Type.String(), at: Type.String(), documents: Type.Integer(), durationMs: Optional(Type.Number())
  })),
  lastError: Nullable(Type.Object({
    buildId: Optional(Type.String()), origin: Type.String(), at: Type.String(), message: Type.String(), code: Optional(Type.String())
  })),
  changes: Type.Object({ logged: Type.Integer(), lastSeq: Type.Integer() })
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

export const DocumentChanged = Type.Object({
  id: Type.String(),
  seq: Type.Integer({ description: 'position in the change log' }),
  created: Optional(Type.Boolean()),
  deleted: Optional(Type.Boolean())
})
