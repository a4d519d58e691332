// The store as a transport, `containers-storage:`, as containers/image registers it beside
// docker://, oci: and the archives, so that pull, load and save copy transport to transport.
// A reference names an image in one store: "[overlay@/graph/root]docker.io/library/alpine:latest",
// "[overlay@/graph/root]<image id>", or a name or id alone for the store the caller works on
// (ImageContext.store). Its source is StoreImageSource (source.ts), its destination
// StoreDestination (destination.ts), which gives the image the reference's names.
import {TspodError, UsageError} from '../../../../errors'
import {parseNormalizedName} from '../../reference/docker-reference'
import type {Image} from '../../../store/images/images'
import type {Store} from '../../../store/store'
import {ImageContext, ImageDestination, ImageReference, ImageSource, Transport} from '../types'
import {StoreDestination} from './destination'
import {StoreImageSource} from './source'

const TRANSPORT_NAME = 'containers-storage'
const IMAGE_ID = /^[0-9a-f]{64}$/

/** What a reference names: an image by id, or the names an image has (or is to be given). */
export interface StoreTarget {
  /** the store's graph root; absent: the store of the ImageContext */
  graphRoot?: string
  /** the driver the store runs ("overlay") */
  driver?: string
  id?: string
  /** fully qualified names ("docker.io/library/alpine:latest"), the first one the reference's */
  names: string[]
}

export const storeTransport: Transport = {
  name: TRANSPORT_NAME,
  parseReference(text: string): ImageReference {
    return new StoreImageReference(parseStoreTarget(text))
  },
}

/** "[driver@graphRoot]name-or-id", the bracket part optional (containers/image's syntax, without run root and options). */
function parseStoreTarget(text: string): StoreTarget {
  let rest = text
  let graphRoot: string | undefined
  let driver: string | undefined
  if (rest.startsWith('[')) {
    const close = rest.indexOf(']')
    if (close < 0) throw new UsageError(`invalid ${TRANSPORT_NAME} reference ${JSON.stringify(text)}: "[" without "]"`)
    const store = rest.slice(1, close)
    rest = rest.slice(close + 1)
    const at = store.indexOf('@')
    driver = at < 0 ? undefined : store.slice(0, at)
    graphRoot = (at < 0 ? store : store.slice(at + 1)).split('+')[0]
    if (!graphRoot.startsWith('/')) throw new UsageError(`invalid ${TRANSPORT_NAME} reference ${JSON.stringify(text)}: the store's graph root must be an absolute path`)
  }
  const id = rest.startsWith('sha256:') ? rest.slice('sha256:'.length) : rest
  if (IMAGE_ID.test(id)) return {graphRoot, driver, id, names: []}
  if (rest === '') throw new UsageError(`invalid ${TRANSPORT_NAME} reference ${JSON.stringify(text)}: no image name or id`)
  return {graphRoot, driver, names: [parseNormalizedName(rest).withDefaultTag().toString()]}
}

export class StoreImageReference implements ImageReference {
  readonly transport = storeTransport

  /** store: the store the reference is bound to; else the ImageContext's, when source or destination is made */
  constructor(
    readonly target: StoreTarget,
    private readonly store?: Store,
  ) {}

  /** An image of `store`, as save reads it. */
  static ofImage(store: Store, image: Image): StoreImageReference {
    return new StoreImageReference({graphRoot: store.config.graphRoot, driver: store.layout.driver.name, id: image.id, names: image.names}, store)
  }

  /** The image a copy writes into `store`, to be given these names (none: the source's are unknown). */
  static named(store: Store, names: string[]): StoreImageReference {
    return new StoreImageReference({graphRoot: store.config.graphRoot, driver: store.layout.driver.name, names}, store)
  }

  toString(): string {
    const {graphRoot, driver, id, names} = this.target
    const prefix = graphRoot === undefined ? '' : `[${driver ?? 'overlay'}@${graphRoot}]`
    return `${prefix}${id ?? names[0] ?? ''}`
  }

  dockerReference(): string | undefined {
    return this.target.names[0]
  }

  private storeOf(ctx: ImageContext): Store {
    const store = this.store ?? ctx.store
    if (!store) throw new TspodError(`${TRANSPORT_NAME}:${this.toString()}: no store to read or write the image in`)
    if (this.target.graphRoot !== undefined && store.config.graphRoot !== this.target.graphRoot)
      throw new TspodError(`${TRANSPORT_NAME}:${this.toString()}: the store at ${store.config.graphRoot} is another one`)
    return store
  }

  /** The image the reference names in `store`. */
  image(store: Store): Image {
    const {id, names} = this.target
    const image = id !== undefined ? store.images.get(id) : names[0] !== undefined ? store.images.byName(names[0]) : undefined
    if (!image) throw new TspodError(`${TRANSPORT_NAME}:${this.toString()}: no such image in the store`)
    return image
  }

  async newSource(ctx: ImageContext = {}): Promise<ImageSource> {
    const store = this.storeOf(ctx)
    return new StoreImageSource(this, store, this.image(store))
  }

  async newDestination(ctx: ImageContext = {}): Promise<ImageDestination> {
    if (this.target.id !== undefined) throw new TspodError(`${TRANSPORT_NAME}:${this.toString()}: an image is written under names, not under an id`)
    return new StoreDestination(this, this.storeOf(ctx), {names: this.target.names, onWarning: ctx.onWarning})
  }
}
