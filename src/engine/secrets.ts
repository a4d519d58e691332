// The secret verbs of the Engine: create, ls, inspect, rm, exists, on the file driver's store
// under the graph root (src/runtime/secret).
import {TspodError} from '../errors'
import {parseKeyValues} from '../runtime/volume/create-options'
import {NoSuchSecretError, SecretStore} from '../runtime/secret/secret-store'
import {SecretInfo, matchesSecretFilters, parseSecretFilters, secretInfo} from '../runtime/secret/report'

export interface CreateSecretOptions {
  name: string
  data: Buffer
  driver?: string
  /** --driver-opts KEY=VALUE[,KEY=VALUE] as given */
  driverOptions?: string[]
  /** --label KEY=VALUE as given */
  labels?: string[]
}

export class SecretEngine {
  readonly secrets: SecretStore

  constructor(graphRoot: string) {
    this.secrets = new SecretStore(graphRoot)
  }

  async create(options: CreateSecretOptions): Promise<string> {
    return this.secrets.create(options.name, options.data, {
      driver: options.driver,
      driverOptions: parseKeyValues((options.driverOptions ?? []).flatMap((o) => o.split(',')), 'options'),
      labels: parseKeyValues(options.labels ?? [], 'labels'),
    })
  }

  list(filters: string[]): SecretInfo[] {
    const parsed = parseSecretFilters(filters)
    return this.secrets
      .list()
      .filter((r) => matchesSecretFilters(r, parsed))
      .map(secretInfo)
  }

  /** The secrets found, in the order named, and the error of each one not found. */
  inspect(names: string[]): {records: SecretInfo[]; errors: Error[]} {
    const records: SecretInfo[] = []
    const errors: Error[] = []
    for (const name of names) {
      try {
        records.push(secretInfo(this.secrets.lookup(name)))
      } catch (err) {
        if (!(err instanceof NoSuchSecretError)) throw err
        errors.push(new TspodError(`inspecting secret: ${err.message}`))
      }
    }
    return {records, errors}
  }

  /** rm: each secret named (or all), its ID reported as it goes; the errors of those not removed. */
  async remove(targets: {names: string[]; all?: boolean}, onDone: (id: string) => void): Promise<Error[]> {
    const names = targets.all ? this.secrets.list().map((r) => r.id) : targets.names
    const errors: Error[] = []
    for (const name of names) {
      try {
        onDone((await this.secrets.remove(name)).id)
      } catch (err) {
        if (!(err instanceof NoSuchSecretError)) throw err
        errors.push(err)
      }
    }
    return errors
  }

  exists(name: string): boolean {
    return this.secrets.exists(name)
  }
}
