/**
 * MiniSearch's `_storedFields` of a loaded build: a Map to MiniSearch (which gets, sets and
 * deletes by short id), holding the loaded documents in LoadedStoredFields (one compact
 * record each, no object per document for the collector to mark) and the documents added
 * since in the Map itself. A loaded document's object is built each time it is read, so
 * code that reads one field of many documents (filters, facets, date order, the vocabulary's
 * titles) reads it with `storedValue` instead.
 */
import { LoadedMap } from './loaded-map.js'
import type { LoadedStoredFields } from './stored-fields-codec.js'

export class StoredFieldsTable<T> extends LoadedMap<Partial<T>> {
  constructor (private readonly loaded: LoadedStoredFields) {
    super(loaded, shortId => loaded.fields(shortId) as Partial<T> | undefined)
  }

  /** One field of a document, without building its object. */
  fieldOf<K extends keyof T> (shortId: number, key: K): T[K] | undefined {
    const added = this.setSince(shortId)
    if (added !== undefined) return added[key]
    return this.loaded.fieldOf(shortId, key as string) as T[K] | undefined
  }

  /** See LoadedStoredFields.warmTexts; documents added since the load are in memory. */
  async warmTexts (shortIds: readonly number[]): Promise<void> {
    await this.loaded.warmTexts(shortIds.filter(shortId => this.setSince(shortId) === undefined))
  }

  /** A document's hot fields (see LoadedStoredFields), or all its fields when it was added since the load. */
  hotFieldsOf (shortId: number): Partial<T> | undefined {
    return this.setSince(shortId) ?? (this.loaded.has(shortId) ? this.loaded.hotFields(shortId) as Partial<T> : undefined)
  }

  /** Whether some document has a value for `key`: counted for hot keys, else a pass over the documents. */
  someHave (key: keyof T): boolean {
    const loaded = this.loaded.someHot(key as string)
    if (loaded === true) return true
    if (loaded === undefined) for (const shortId of this.loaded.shortIds()) if (this.loaded.fieldOf(shortId, key as string) !== undefined) return true
    for (const fields of this.valuesSetSince()) if (fields[key] !== undefined) return true
    return false
  }
}

/** Has a loaded build's file read the stored texts of these documents ahead of their reads (LoadedStoredFields.warmTexts). */
export async function warmStoredTexts<T> (storedFields: Map<number, Partial<T>>, shortIds: readonly number[]): Promise<void> {
  if (storedFields instanceof StoredFieldsTable) await (storedFields as StoredFieldsTable<T>).warmTexts(shortIds)
}

/** One stored field of a document, from a StoredFieldsTable without building the document's object. */
export function storedValue<T, K extends keyof T> (storedFields: Map<number, Partial<T>>, shortId: number, key: K): T[K] | undefined {
  return storedFields instanceof StoredFieldsTable ? (storedFields as StoredFieldsTable<T>).fieldOf(shortId, key) : storedFields.get(shortId)?.[key]
}

/**
 * The fields of a document that filters, facets and date order read (HOT_STORED_FIELDS),
 * from a StoredFieldsTable without building the document's object; from a plain Map, its
 * object. Other fields may be present: read only the hot ones.
 */
export function storedHotFields<T> (storedFields: Map<number, Partial<T>>, shortId: number): Partial<T> | undefined {
  return storedFields instanceof StoredFieldsTable ? (storedFields as StoredFieldsTable<T>).hotFieldsOf(shortId) : storedFields.get(shortId)
}

/** Whether some document has a value for stored field `key`, without a pass over a loaded build's documents for a hot key. */
export function someStoredHave<T> (storedFields: Map<number, Partial<T>>, key: keyof T): boolean {
  if (storedFields instanceof StoredFieldsTable) return (storedFields as StoredFieldsTable<T>).someHave(key)
  for (const fields of storedFields.values()) if (fields[key] !== undefined) return true
  return false
}
