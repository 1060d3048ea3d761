/**
 * poisk's typed errors. Each carries a stable `code` (for logs, tests and API clients)
 * and the context needed to act on it: a file and line, an index directory, a build id.
 */

export class PoiskError extends Error {
  readonly code: string
  /** The HTTP status a route answers with for this error, where it is not a 500. */
  readonly statusCode?: number

  constructor (code: string, message: string, options?: ErrorOptions) {
    super(message, options)
    this.name = new.target.name
    this.code = code
  }
}

/** Why a corpus record was skipped; reported per record and counted in the summary. */
export type SkipReason =
  | 'invalid-json'
  | 'invalid-utf8'
  | 'missing-title'
  | 'wrong-type'
  | 'invalid-date'
  | 'csv-syntax'
  | 'duplicate-id'
  | 'unreadable-file'
  | 'unsupported-format'

/** Why an indexed record was changed on the way in (a bad URL stored as absent); reported per record and counted. */
export type WarningReason = 'invalid-url'

export class CorpusRecordError extends PoiskError {
  readonly reason: SkipReason

  constructor (reason: SkipReason, message: string) {
    super('POISK_CORPUS_RECORD', message)
    this.reason = reason
  }
}

export class CorpusPathError extends PoiskError {
  constructor (readonly path: string, message: string, options?: ErrorOptions) {
    super('POISK_CORPUS_PATH', `${path}: ${message}`, options)
  }
}

export class IndexLoadError extends PoiskError {
  constructor (readonly dir: string, message: string, options?: ErrorOptions) {
    super('POISK_INDEX_LOAD', `${dir}: ${message}`, options)
  }
}

export class IndexIncompatibleError extends PoiskError {
  constructor (readonly dir: string, message: string) {
    super('POISK_INDEX_INCOMPATIBLE', `${dir}: ${message}`)
  }
}

export class ConfigError extends PoiskError {
  constructor (message: string) {
    super('POISK_CONFIG', message)
  }
}

export class BuildLockedError extends PoiskError {
  constructor (readonly indexDir: string, readonly pid: number, readonly startedAt: string) {
    super('POISK_BUILD_LOCKED', `${indexDir}: another build is running (pid ${pid}, since ${startedAt})`)
  }
}

export class BuildAbortedError extends PoiskError {
  constructor (message = 'the build was stopped') {
    super('POISK_BUILD_ABORTED', message)
  }
}

export class CanaryError extends PoiskError {
  constructor (readonly buildId: string, message: string) {
    super('POISK_CANARY_FAILED', `build ${buildId}: ${message}`)
  }
}

export class BuildFailedError extends PoiskError {
  constructor (message: string, readonly causeCode?: string) {
    super('POISK_BUILD_FAILED', message)
  }
}

export class IndexNotReadyError extends PoiskError {
  override readonly statusCode = 503
  constructor (message = 'no index is loaded yet') {
    super('POISK_INDEX_NOT_READY', message)
  }
}

/** The change log's device is full: the change was neither logged nor applied, and nothing of it stays. */
export class DiskFullError extends PoiskError {
  override readonly statusCode = 507
  constructor (readonly dir: string, options?: ErrorOptions) {
    super('POISK_DISK_FULL', `no space left on the device of ${dir}: the change was not logged or applied; free space and retry`, options)
  }
}

/** The change log could not be written for another reason (an I/O error): nothing was changed. */
export class ChangeLogWriteError extends PoiskError {
  override readonly statusCode = 503
  constructor (readonly dir: string, message: string, options?: ErrorOptions) {
    super('POISK_CHANGE_LOG_UNWRITABLE', `the change log in ${dir} cannot be written (${message}): the change was not logged or applied`, options)
  }
}

/** `serve --workers`: a worker's request to the primary (a change to log, a rebuild to relay) failed; nothing was changed. */
export class ClusterRequestError extends PoiskError {
  constructor (message: string, readonly causeCode?: string) {
    super('POISK_CLUSTER_REQUEST_FAILED', message)
  }
}

/** A MiniSearch without the private state poisk reads (minisearch-internals.ts): not the version poisk pins. */
export class MiniSearchShapeError extends PoiskError {
  constructor (message: string) {
    super('POISK_MINISEARCH_SHAPE', message)
  }
}

/** A change to a document that is not there (PATCH of an unknown id). */
export class NoDocumentError extends PoiskError {
  override readonly statusCode = 404
  constructor (readonly id: string) {
    super('POISK_NO_DOCUMENT', `no document ${id}`)
  }
}

/** A query that cannot be searched as typed (one made only of exclusions): the client's to fix. */
export class QueryError extends PoiskError {
  override readonly statusCode = 400
  constructor (code: 'POISK_ONLY_EXCLUSIONS', message: string) {
    super(code, message)
  }
}

/** A PostgreSQL corpus could not be read (cannot connect, no such table, a failing --query); the message names the source without its password. */
export class DatabaseSourceError extends PoiskError {
  constructor (readonly source: string, message: string, options?: ErrorOptions) {
    super('POISK_DATABASE_SOURCE', `${source}: ${message}`, options)
  }
}
