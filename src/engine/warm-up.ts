// What the Engine loads for the verbs that must start fast (`run`, and the listing commands that
// scripts call in loops), loaded at once: scripts/bundle.js evaluates it before it writes the code
// cache, so those verbs start with their code compiled.
export function loadHotPathModules(): void {
  require('./lifecycle')
  require('../runtime/container/records')
  require('../runtime/container/filter')
  require('../runtime/container/report')
  require('../storage/store/images/filter')
  require('../storage/store/images/report')
  require('../storage/store/images/lookup')
  require('../storage/image/manifest-list')
  require('better-sqlite3')
}
