// The archive formats `save` writes (for its --format flag). Apart from index.ts, so only `save`
// loads the save machinery.
export {SAVE_FORMATS} from '../storage/image/save'
export type {SaveFormat} from '../storage/image/save'
