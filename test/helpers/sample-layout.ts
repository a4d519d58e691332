// A rootless overlay layout with made-up paths, for tests that only plan (nothing is mounted).
import type {RootfsLayout} from '../../src/runtime/plan'

export const SAMPLE_LAYOUT: RootfsLayout = {
  lowerDirs: ['/store/layers/top', '/store/layers/base'],
  upperDir: '/store/c1/upper',
  workDir: '/store/c1/work',
  mergedDir: '/store/c1/merged',
  rootless: true,
}
