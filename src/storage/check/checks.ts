// Every check `tspod system check` runs, in order: the database first (a rebuild replaces the
// DB the others read). Adding a check is one line here.
import type {Check} from './check'
import {checkDatabase} from './database'
import {checkUnusedLayers} from './unused-layers'

export const CHECKS: Check[] = [checkDatabase, checkUnusedLayers]
