// The one migration registry of the store's DB (tspod.db). Every part that keeps tables in it has
// its own owner and its own append-only list; this registry names them all, in the order they
// are applied (storage first: the others' tables refer to its rows). openStoreDatabase
// (connection.ts) is the only caller of migrate(): every table exists once a store is open.
//
// A new migration: append it to its owner's list, with the next version.
// A new owner: write its list (`Migration[]`, owner "<name>") beside its code and add it below.
// Only data is imported here (the lists carry no code), so the store depends on no runtime code.
import {RUNTIME_MIGRATIONS} from '../../../runtime/container/schema'
import {POD_MIGRATIONS} from '../../../runtime/pod/schema'
import {VOLUME_MIGRATIONS} from '../../../runtime/volume/schema'
import {Migration, STORAGE_MIGRATIONS} from './schema'

export const MIGRATIONS: readonly Migration[] = [...STORAGE_MIGRATIONS, ...RUNTIME_MIGRATIONS, ...VOLUME_MIGRATIONS, ...POD_MIGRATIONS]
